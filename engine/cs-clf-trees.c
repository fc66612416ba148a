/* cs-clf-trees.c: random forest and gradient-boosted trees through the
 * XGBoost C API.
 *
 * Both use objective multi:softprob (one probability per class),
 * tree_method hist and the run's seed. Entries absent from the CSR matrix
 * (zeros) are "missing" to XGBoost, as with a SciPy sparse matrix in Python.
 *   rf    one boosting round of num_parallel_tree = trees (100) trees,
 *         learning_rate 1, max_depth = depth (8), subsample (0.8, rows
 *         drawn without replacement per tree), colsample_bynode =
 *         colsample (0.8), reg_lambda = lambda (1e-5): XGBRFClassifier.
 *   gbdt  rounds (100) rounds of one tree, eta (0.3), max_depth = depth (6),
 *         subsample (1), colsample_bytree = colsample (1), lambda (1):
 *         XGBClassifier's defaults.
 * Contributions are XGBoost's exact TreeSHAP (pred_contribs).
 * For a number (cs-classifier.h): objective reg:squarederror on the
 * standardised target with base_score 0 (its training mean), one output.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <xgboost/c_api.h>

#include "cs-classifier.h"
#include "cs-error.h"

typedef struct
{
  gboolean      forest;
  double        trees, rounds, depth, eta, subsample, colsample, lambda;
  BoosterHandle booster;
} Trees;

static gboolean
check (int            rc,
       const char    *what,
       GError       **error)
{
  if (rc == 0)
    return TRUE;
  g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_FAILED,
               _("XGBoost could not %s: %s"), what, XGBGetLastError ());
  return FALSE;
}

static DMatrixHandle
to_dmatrix (const CsCsr  *x,
            gint32        n_cols,
            GError      **error)
{
  gsize nnz = (gsize) x->row_ptr[x->n_rows];
  g_autofree size_t *indptr = g_new (size_t, x->n_rows + 1);
  g_autofree unsigned *indices = g_new (unsigned, MAX (nnz, 1));
  g_autofree float *data = g_new (float, MAX (nnz, 1));
  gsize out = 0;
  DMatrixHandle dmat = NULL;

  indptr[0] = 0;
  for (gint32 i = 0; i < x->n_rows; i++)
    {
      for (gint32 k = x->row_ptr[i]; k < x->row_ptr[i + 1]; k++)
        if (x->col_idx[k] < n_cols)
          {
            indices[out] = (unsigned) x->col_idx[k];
            data[out++] = x->values[k];
          }
      indptr[i + 1] = out;
    }
  if (!check (XGDMatrixCreateFromCSREx (indptr, indices, data, (size_t) x->n_rows + 1, out,
                                        (size_t) n_cols, &dmat),
              _("read the feature matrix"), error))
    return NULL;
  return dmat;
}

static gboolean
set_param (BoosterHandle  booster,
           const char    *key,
           double         value,
           GError       **error)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (text, sizeof text, "%.10g", value);
  return check (XGBoosterSetParam (booster, key, text), _("take its settings"), error);
}

/* @labels: classes or the standardised target, one per row. */
static gboolean
train_trees (CsClassifier  *self,
             const CsCsr   *x,
             const float   *labels,
             GError       **error)
{
  Trees *t = self->state;
  DMatrixHandle dtrain = to_dmatrix (x, x->n_cols, error);
  gboolean ok;
  int rounds;

  if (dtrain == NULL)
    return FALSE;
  if (t->booster)
    {
      XGBoosterFree (t->booster);
      t->booster = NULL;
    }
  ok = check (XGDMatrixSetFloatInfo (dtrain, "label", labels, (bst_ulong) x->n_rows),
              _("read the classes"), error) &&
       check (XGBoosterCreate (&dtrain, 1, &t->booster), _("start"), error) &&
       check (XGBoosterSetParam (t->booster, "tree_method", "hist"), _("take its settings"), error) &&
       check (XGBoosterSetParam (t->booster, "verbosity", "0"), _("take its settings"), error) &&
       set_param (t->booster, "seed", (double) (self->seed & 0x7fffffff), error) &&
       set_param (t->booster, "nthread", self->n_threads, error) &&
       set_param (t->booster, "max_depth", t->depth, error) &&
       set_param (t->booster, "subsample", t->subsample, error) &&
       set_param (t->booster, "lambda", t->lambda, error);
  if (ok && self->regression)
    ok = check (XGBoosterSetParam (t->booster, "objective", "reg:squarederror"), _("take its settings"), error) &&
         set_param (t->booster, "base_score", 0.0, error);
  else if (ok)
    ok = check (XGBoosterSetParam (t->booster, "objective", "multi:softprob"), _("take its settings"), error) &&
         set_param (t->booster, "num_class", self->n_classes, error);
  if (ok && t->forest)
    ok = set_param (t->booster, "num_parallel_tree", t->trees, error) &&
         set_param (t->booster, "eta", 1.0, error) &&
         set_param (t->booster, "colsample_bynode", t->colsample, error);
  else if (ok)
    ok = set_param (t->booster, "eta", t->eta, error) &&
         set_param (t->booster, "colsample_bytree", t->colsample, error);
  rounds = t->forest ? 1 : (int) t->rounds;
  for (int r = 0; ok && r < rounds; r++)
    ok = check (XGBoosterUpdateOneIter (t->booster, r, dtrain), _("train"), error);
  XGDMatrixFree (dtrain);
  return ok;
}

static gboolean
trees_fit (CsClassifier  *self,
           const CsCsr   *x,
           const guint   *y,
           GError       **error)
{
  g_autofree float *labels = g_new (float, MAX (x->n_rows, 1));

  for (gint32 i = 0; i < x->n_rows; i++)
    labels[i] = (float) y[i];
  return train_trees (self, x, labels, error);
}

static gboolean
trees_fit_values (CsClassifier  *self,
                  const CsCsr   *x,
                  const double  *y,
                  GError       **error)
{
  g_autofree float *labels = g_new (float, MAX (x->n_rows, 1));

  for (gint32 i = 0; i < x->n_rows; i++)
    labels[i] = (float) y[i];
  return train_trees (self, x, labels, error);
}

static const float *
predict (CsClassifier  *self,
         const CsCsr   *x,
         int            mask,
         bst_ulong     *len,
         DMatrixHandle *dmat,
         GError       **error)
{
  Trees *t = self->state;
  const float *result = NULL;

  *dmat = to_dmatrix (x, self->n_cols, error);
  if (*dmat == NULL)
    return NULL;
  if (!check (XGBoosterPredict (t->booster, *dmat, mask, 0, 0, len, &result), _("predict"), error))
    return NULL;
  return result;
}

static gboolean
trees_predict (CsClassifier  *self,
               const CsCsr   *x,
               double        *proba,
               GError       **error)
{
  DMatrixHandle dmat = NULL;
  bst_ulong len = 0;
  const float *result = predict (self, x, 0, &len, &dmat, error);
  gboolean ok = result != NULL && len == (bst_ulong) x->n_rows * self->n_classes;

  if (result != NULL && !ok)
    g_set_error_literal (error, CS_MODEL_ERROR, CS_MODEL_ERROR_FAILED,
                         _("XGBoost returned an unexpected number of probabilities"));
  for (bst_ulong i = 0; ok && i < len; i++)
    proba[i] = result[i];
  if (dmat)
    XGDMatrixFree (dmat);
  return ok;
}

static float *
trees_contributions (CsClassifier  *self,
                     const CsCsr   *x,
                     GError       **error)
{
  DMatrixHandle dmat = NULL;
  bst_ulong len = 0;
  const float *result = predict (self, x, 4, &len, &dmat, error);
  float *out = NULL;

  if (result != NULL && len == (bst_ulong) x->n_rows * self->n_classes * (self->n_cols + 1))
    out = g_memdup2 (result, len * sizeof (float));
  else if (result != NULL)
    g_set_error_literal (error, CS_MODEL_ERROR, CS_MODEL_ERROR_FAILED,
                         _("XGBoost returned an unexpected number of contributions"));
  if (dmat)
    XGDMatrixFree (dmat);
  return out;
}

static void
trees_finalize (CsClassifier *self)
{
  Trees *t = self->state;

  if (t->booster)
    XGBoosterFree (t->booster);
  g_free (t);
}

static const CsClassifierClass trees_class = {
  trees_fit, trees_predict, trees_contributions, trees_finalize, CS_CONTRIBUTIONS_SHAP,
  trees_fit_values,
};

gboolean
_cs_trees_init (CsClassifier  *self,
                GError       **error)
{
  static const char * const rf_keys[] = { "trees", "depth", "subsample", "colsample", "lambda", NULL };
  static const char * const gbdt_keys[] = { "rounds", "depth", "eta", "subsample", "colsample", "lambda", NULL };
  Trees *t = g_new0 (Trees, 1);

  self->klass = &trees_class;
  self->state = t;
  t->forest = g_strcmp0 (self->name, "rf") == 0;
  if (t->forest)
    return cs_classifier_check_keys (self, rf_keys, error) &&
           cs_classifier_get_double (self, "trees", 100, 1, 100000, &t->trees, error) &&
           cs_classifier_get_double (self, "depth", 8, 1, 64, &t->depth, error) &&
           cs_classifier_get_double (self, "subsample", 0.8, 1e-6, 1, &t->subsample, error) &&
           cs_classifier_get_double (self, "colsample", 0.8, 1e-6, 1, &t->colsample, error) &&
           cs_classifier_get_double (self, "lambda", 1e-5, 0, 1e6, &t->lambda, error);
  return cs_classifier_check_keys (self, gbdt_keys, error) &&
         cs_classifier_get_double (self, "rounds", 100, 1, 100000, &t->rounds, error) &&
         cs_classifier_get_double (self, "depth", 6, 1, 64, &t->depth, error) &&
         cs_classifier_get_double (self, "eta", 0.3, 1e-6, 1, &t->eta, error) &&
         cs_classifier_get_double (self, "subsample", 1, 1e-6, 1, &t->subsample, error) &&
         cs_classifier_get_double (self, "colsample", 1, 1e-6, 1, &t->colsample, error) &&
         cs_classifier_get_double (self, "lambda", 1, 0, 1e6, &t->lambda, error);
}
