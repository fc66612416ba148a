/* cs-clf-rbf-svm.c: C-SVC with an RBF kernel through libsvm.
 *
 * K(a, b) = exp (−gamma · |a − b|²). gamma "scale" (the default) is
 * 1 / (F · Var(X)) with Var over all n × F entries of the training matrix,
 * zeros included (scikit-learn's definition); a number is used as given.
 * Probabilities are libsvm's (Platt scaling fitted by an internal 5-fold
 * cross-validation; pairwise coupling for three classes). libsvm draws those
 * folds with rand(), seeded with the run's seed before each fit.
 * Settings: C (1), gamma (scale), tol (1e-3), cache_mb (200).
 *
 * For a number (cs-classifier.h): epsilon-SVR (as scikit-learn's SVR) with
 * the same kernel and settings plus epsilon (0.1, on the standardised
 * target); no probabilities, its one output is libsvm's prediction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsvm/svm.h>
#include <stdlib.h>
#include <string.h>

#include "cs-classifier.h"
#include "cs-error.h"

typedef struct
{
  double            c, tol, cache_mb, epsilon;
  double            gamma;      /* ≤ 0: "scale" */
  double            gamma_used;
  struct svm_model *model;
  struct svm_node  *train_nodes; /* libsvm keeps pointers into the training rows */
  struct svm_node **train_rows;
  double           *train_y;
  int              *labels;
  int               n_labels;
} RbfSvm;

static void
quiet (const char *text)
{
}

static struct svm_node **
to_nodes (const CsCsr      *x,
          gint32            n_cols,
          struct svm_node **buffer)
{
  struct svm_node **rows = g_new (struct svm_node *, MAX (x->n_rows, 1));
  struct svm_node *node;

  node = *buffer = g_new (struct svm_node, (gsize) x->row_ptr[x->n_rows] + x->n_rows + 1);
  for (gint32 i = 0; i < x->n_rows; i++)
    {
      rows[i] = node;
      for (gint32 k = x->row_ptr[i]; k < x->row_ptr[i + 1]; k++)
        if (x->col_idx[k] < n_cols)
          {
            node->index = x->col_idx[k] + 1;
            node->value = x->values[k];
            node++;
          }
      node->index = -1;
      node++;
    }
  return rows;
}

static void
release (RbfSvm *svm)
{
  if (svm->model)
    svm_free_and_destroy_model (&svm->model);
  g_clear_pointer (&svm->train_nodes, g_free);
  g_clear_pointer (&svm->train_rows, g_free);
  g_clear_pointer (&svm->train_y, g_free);
  g_clear_pointer (&svm->labels, g_free);
}

/* Takes @y (classes or the standardised target, one per row). */
static gboolean
train_svm (CsClassifier  *self,
           const CsCsr   *x,
           double        *y,
           GError       **error)
{
  RbfSvm *svm = self->state;
  struct svm_problem prob = { 0 };
  struct svm_parameter param = { 0 };
  const char *problem;

  release (svm);
  svm->train_rows = to_nodes (x, x->n_cols, &svm->train_nodes);
  svm->train_y = y;

  svm->gamma_used = svm->gamma;
  if (svm->gamma <= 0)
    {
      double sum = 0, sum2 = 0, n = (double) x->n_rows * x->n_cols, var;

      for (gint32 k = 0; k < x->row_ptr[x->n_rows]; k++)
        {
          sum += x->values[k];
          sum2 += (double) x->values[k] * x->values[k];
        }
      var = sum2 / n - (sum / n) * (sum / n);
      svm->gamma_used = var > 0 ? 1.0 / (x->n_cols * var) : 1.0;
    }

  prob.l = x->n_rows;
  prob.y = svm->train_y;
  prob.x = svm->train_rows;
  param.svm_type = self->regression ? EPSILON_SVR : C_SVC;
  param.kernel_type = RBF;
  param.gamma = svm->gamma_used;
  param.cache_size = svm->cache_mb;
  param.eps = svm->tol;
  param.C = svm->c;
  param.p = svm->epsilon;
  param.shrinking = 1;
  param.probability = !self->regression;

  problem = svm_check_parameter (&prob, &param);
  if (problem != NULL)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                   _("libsvm refused the settings of %s: %s"), self->name, problem);
      return FALSE;
    }
  svm_set_print_string_function (quiet);
  srand ((unsigned) self->seed);
  svm->model = svm_train (&prob, &param);
  if (self->regression)
    return TRUE;
  svm->n_labels = svm_get_nr_class (svm->model);
  svm->labels = g_new (int, svm->n_labels);
  svm_get_labels (svm->model, svm->labels);
  return TRUE;
}

static gboolean
svm_fit (CsClassifier  *self,
         const CsCsr   *x,
         const guint   *y,
         GError       **error)
{
  double *labels = g_new (double, MAX (x->n_rows, 1));

  for (gint32 i = 0; i < x->n_rows; i++)
    labels[i] = y[i];
  return train_svm (self, x, labels, error);
}

static gboolean
svm_fit_values (CsClassifier  *self,
                const CsCsr   *x,
                const double  *y,
                GError       **error)
{
  return train_svm (self, x, g_memdup2 (y, MAX (x->n_rows, 1) * sizeof (double)), error);
}

static gboolean
svm_predict_proba (CsClassifier  *self,
                   const CsCsr   *x,
                   double        *proba,
                   GError       **error)
{
  RbfSvm *svm = self->state;
  g_autofree struct svm_node *buffer = NULL;
  g_autofree struct svm_node **rows = to_nodes (x, self->n_cols, &buffer);
  g_autofree double *out = g_new (double, MAX (svm->n_labels, 1));

  for (gint32 i = 0; i < x->n_rows; i++)
    {
      double *p = proba + (gsize) i * self->n_classes;

      if (self->regression)
        {
          *p = svm_predict (svm->model, rows[i]);
          continue;
        }
      memset (p, 0, self->n_classes * sizeof (double));
      if (svm->n_labels == 1)
        {
          p[svm->labels[0]] = 1.0;
          continue;
        }
      svm_predict_probability (svm->model, rows[i], out);
      for (int l = 0; l < svm->n_labels; l++)
        p[svm->labels[l]] = out[l];
    }
  return TRUE;
}

static void
svm_finalize (CsClassifier *self)
{
  release (self->state);
  g_free (self->state);
}

static const CsClassifierClass rbf_svm_class = {
  svm_fit, svm_predict_proba, NULL, svm_finalize, CS_CONTRIBUTIONS_NONE, svm_fit_values,
};

gboolean
_cs_rbf_svm_init (CsClassifier  *self,
                  GError       **error)
{
  static const char * const keys[] = { "C", "gamma", "tol", "cache_mb", NULL };
  static const char * const svr_keys[] = { "C", "gamma", "tol", "cache_mb", "epsilon", NULL };
  RbfSvm *svm = g_new0 (RbfSvm, 1);
  const char *gamma = g_hash_table_lookup (self->params, "gamma");

  self->klass = &rbf_svm_class;
  self->state = svm;
  if (!cs_classifier_check_keys (self, self->regression ? svr_keys : keys, error) ||
      (self->regression && !cs_classifier_get_double (self, "epsilon", 0.1, 0, 1e6, &svm->epsilon, error)) ||
      !cs_classifier_get_double (self, "C", 1.0, 1e-8, 1e8, &svm->c, error) ||
      !cs_classifier_get_double (self, "tol", 1e-3, 1e-12, 1.0, &svm->tol, error) ||
      !cs_classifier_get_double (self, "cache_mb", 200, 1, 1e6, &svm->cache_mb, error))
    return FALSE;
  if (gamma == NULL || strcmp (gamma, "scale") == 0)
    {
      svm->gamma = 0;
      g_hash_table_insert (self->resolved, g_strdup ("gamma"), g_strdup ("scale"));
      return TRUE;
    }
  return cs_classifier_get_double (self, "gamma", 0, 1e-12, 1e12, &svm->gamma, error);
}
