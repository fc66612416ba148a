/* cs-predictor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cs-classifier.h"
#include "cs-error.h"
#include "cs-predict-features.h"
#include "cs-predictor.h"
#include "cs-run-rows.h"

#define TIE_EPS 1e-9
#define N_SHAP 20

/* ---- Results ------------------------------------------------------------ */

void
cs_predict_request_clear (CsPredictRequest *request)
{
  if (request == NULL)
    return;
  g_clear_pointer (&request->target, g_free);
  g_clear_pointer (&request->models, g_free);
}

static void
importance_free (gpointer data)
{
  CsPredictImportance *imp = data;

  g_free (imp->name);
  g_free (imp);
}

static void
curve_free (gpointer data)
{
  CsPredictCurve *curve = data;

  g_free (curve->x);
  g_free (curve->y);
  g_free (curve);
}

static void
clip_free (gpointer data)
{
  CsPredictClip *clip = data;

  g_ptr_array_unref (clip->reasons);
  g_free (clip);
}

static CsPredictClip *
clip_new (gint64 clip_id,
          guint  fold,
          guint  truth)
{
  CsPredictClip *clip = g_new0 (CsPredictClip, 1);

  clip->clip_id = clip_id;
  clip->fold = fold;
  clip->truth = truth;
  clip->reasons = g_ptr_array_new_with_free_func ((GDestroyNotify) cs_predict_reason_free);
  return clip;
}

void
cs_predict_model_result_free (CsPredictModelResult *m)
{
  if (m == NULL)
    return;

  g_free (m->name);
  g_free (m->label);
  g_free (m->params);
  g_free (m->status);
  g_free (m->error);
  for (guint k = 0; k < CS_N_PREDICT_METRICS; k++)
    g_free (m->folds[k]);
  g_free (m->confusion);
  g_ptr_array_unref (m->importance);
  g_ptr_array_unref (m->shap);
  g_ptr_array_unref (m->curves);
  g_ptr_array_unref (m->clips);
  g_free (m);
}

void
cs_predict_result_free (CsPredictResult *result)
{
  if (result == NULL)
    return;
  g_free (result->protocol_json);
  g_free (result->target_spec);
  for (guint c = 0; c < CS_PREDICT_MAX_CLASSES; c++)
    g_free (result->class_names[c]);
  g_free (result->fold_of_row);
  g_free (result->n_train);
  g_free (result->n_test);
  g_ptr_array_unref (result->models);
  g_free (result->best);
  g_free (result);
}

/* ---- Protocols ---------------------------------------------------------- */

/* SplitMix64: small, seedable, and the same on every platform. */
static guint64
splitmix64 (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static void
shuffle (guint   *items,
         guint    n,
         guint64 *state)
{
  for (guint i = n; i > 1; i--)
    {
      guint j = (guint) (splitmix64 (state) % i);
      guint tmp = items[i - 1];

      items[i - 1] = items[j];
      items[j] = tmp;
    }
}

gboolean
cs_predict_stratified_folds (const guint        *labels,
                             guint               n,
                             guint               n_classes,
                             const char * const *class_names,
                             guint               k,
                             guint64             seed,
                             guint              *fold_of_row,
                             GError            **error)
{
  g_autofree guint *members = g_new (guint, MAX (n, 1));
  guint64 state = seed;
  guint offset = 0;

  if (k < 2)
    {
      g_set_error_literal (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                           _("Cross-validation needs at least 2 folds"));
      return FALSE;
    }
  if (n < k)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                   _("Only %u clips have a target, fewer than the %u folds: use fewer folds or add clips"),
                   n, k);
      return FALSE;
    }
  for (guint c = 0; c < n_classes; c++)
    {
      guint count = 0;

      for (guint i = 0; i < n; i++)
        if (labels[i] == c)
          members[count++] = i;
      if (count < k)
        {
          g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "The class “%s” has only %u clip, fewer than the %u folds: "
                                    "use at most %u folds, or thresholds that put more clips in every class",
                                    "The class “%s” has only %u clips, fewer than the %u folds: "
                                    "use at most %u folds, or thresholds that put more clips in every class",
                                    count),
                       class_names ? class_names[c] : "?", count, k, MAX (count, 2));
          return FALSE;
        }
      shuffle (members, count, &state);
      for (guint j = 0; j < count; j++)
        fold_of_row[members[j]] = (offset + j) % k;
      offset = (offset + count) % k;
    }
  return TRUE;
}

typedef struct
{
  gint64 time;
  gint64 id;
  guint  row;
} TimedRow;

static int
compare_timed (const void *a,
               const void *b)
{
  const TimedRow *x = a, *y = b;

  if (x->time != y->time)
    return x->time < y->time ? -1 : 1;
  return (x->id > y->id) - (x->id < y->id);
}

static gboolean
time_split (const CsPredictDataset *ds,
            double                  test_fraction,
            guint                  *fold_of_row,
            GError                **error)
{
  g_autofree TimedRow *rows = g_new (TimedRow, MAX (ds->n_rows, 1));
  guint n_test;

  if (!(test_fraction > 0 && test_fraction < 1))
    {
      g_set_error_literal (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                           _("The test fraction of a time split must be between 0 and 1"));
      return FALSE;
    }
  for (guint i = 0; i < ds->n_rows; i++)
    {
      if (ds->posted_at[i] == G_MININT64)
        {
          g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                       _("Clip %" PRId64 " has no posting time, so it cannot be placed in time: "
                         "import statistics with posting times or use cross-validation"),
                       ds->clip_ids[i]);
          return FALSE;
        }
      rows[i] = (TimedRow) { ds->posted_at[i], ds->clip_ids[i], i };
    }
  qsort (rows, ds->n_rows, sizeof (TimedRow), compare_timed);
  n_test = (guint) ceil (ds->n_rows * test_fraction);
  if (n_test < 1 || n_test >= ds->n_rows)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                   _("%u clips are too few for a time split: add clips"), ds->n_rows);
      return FALSE;
    }
  for (guint i = 0; i < ds->n_rows; i++)
    fold_of_row[rows[i].row] = i >= ds->n_rows - n_test ? 0 : 1;
  return TRUE;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* ---- One fold ----------------------------------------------------------- */

typedef struct
{
  guint             *train;
  guint              n_train;
  guint             *test;
  guint              n_test;
  guint             *y_test;
  double            *v_test;   /* regression: the target as it is */
  CsPredictFeatures *features;
  CsCsr             *x_train;
  CsCsr             *x_test;
} Fold;

static void
fold_clear (Fold *fold)
{
  g_free (fold->train);
  g_free (fold->test);
  g_free (fold->y_test);
  g_free (fold->v_test);
  g_clear_pointer (&fold->features, cs_predict_features_free);
  g_clear_pointer (&fold->x_train, cs_csr_free);
  g_clear_pointer (&fold->x_test, cs_csr_free);
}

static gboolean
fold_prepare (Fold                   *fold,
              const CsPredictDataset *ds,
              const guint            *fold_of_row,
              guint                   f,
              guint                   groups,
              GError                **error)
{
  fold->train = g_new (guint, ds->n_rows);
  fold->test = g_new (guint, ds->n_rows);
  fold->y_test = g_new (guint, ds->n_rows);
  fold->v_test = g_new (double, ds->n_rows);
  for (guint i = 0; i < ds->n_rows; i++)
    if (fold_of_row[i] == f)
      {
        fold->y_test[fold->n_test] = ds->regression ? 0 : ds->labels[i];
        fold->v_test[fold->n_test] = ds->target[i];
        fold->test[fold->n_test++] = i;
      }
    else
      fold->train[fold->n_train++] = i;
  fold->features = cs_predict_features_fit (ds, groups, fold->train, fold->n_train, error);
  if (fold->features == NULL)
    return FALSE;
  fold->x_train = cs_predict_features_transform (fold->features, ds, fold->train, fold->n_train);
  fold->x_test = cs_predict_features_transform (fold->features, ds, fold->test, fold->n_test);
  return TRUE;
}

static CsPredictMetric
primary_metric (gboolean regression,
                gboolean log_target)
{
  if (!regression)
    return CS_PM_MACRO_F1;
  return log_target ? CS_PM_RMSE_LOG : CS_PM_RMSE;
}

CsPredictMetric
cs_predict_result_get_primary_metric (const CsPredictResult *result)
{
  return primary_metric (result->regression, result->log_target);
}

gboolean
cs_predictor_fit (CsClassifier           *clf,
                  const CsPredictDataset *ds,
                  const guint            *rows,
                  guint                   n_rows,
                  const CsCsr            *x,
                  GError                **error)
{
  g_autofree guint *labels = NULL;
  g_autofree double *values = NULL;

  g_return_val_if_fail (clf->regression == ds->regression, FALSE);
  g_return_val_if_fail (x->n_rows == (gint32) n_rows, FALSE);

  if (!clf->regression)
    {
      labels = g_new (guint, MAX (n_rows, 1));
      for (guint i = 0; i < n_rows; i++)
        labels[i] = ds->labels[rows[i]];
      return cs_classifier_fit (clf, x, labels, error);
    }
  values = g_new (double, MAX (n_rows, 1));
  for (guint i = 0; i < n_rows; i++)
    values[i] = cs_predict_dataset_model_value (ds->target[rows[i]], ds->log_target);
  return cs_classifier_fit_values (clf, x, values, error);
}

gboolean
cs_predictor_predict (CsClassifier *clf,
                      const CsCsr  *x,
                      gboolean      log_target,
                      double       *out,
                      GError      **error)
{
  if (!clf->regression)
    return cs_classifier_predict_proba (clf, x, out, error);
  if (!cs_classifier_predict_values (clf, x, out, error))
    return FALSE;
  for (gint32 i = 0; i < x->n_rows; i++)
    out[i] = cs_predict_dataset_target_value (out[i], log_target);
  return TRUE;
}

/* Every metric of a fold's predictions (fit_s and predict_s left as they
 * are) and, for classes, its confusion matrix. */
static void
fold_metrics (const CsClassifier *clf,
              const Fold         *fold,
              const double       *out,
              gboolean            log_target,
              double             *values,
              guint              *confusion)
{
  if (clf->regression)
    cs_regression_metrics (fold->v_test, out, fold->n_test, log_target, values);
  else
    cs_classification_metrics (out, fold->y_test, fold->n_test, clf->n_classes, values, confusion);
}

static double
primary_of (const CsClassifier *clf,
            const Fold         *fold,
            const double       *out,
            gboolean            log_target)
{
  double values[CS_N_PREDICT_METRICS];

  fold_metrics (clf, fold, out, log_target, values, NULL);
  return values[primary_metric (clf->regression, log_target)];
}

/* @x with the columns of @block taken from row perm[i] instead of row i. */
static CsCsr *
permute_block (const CsCsr          *x,
               const CsFeatureBlock *block,
               const guint          *perm)
{
  gint32 lo = block->first, hi = block->first + block->n_cols;
  CsCsr *out = cs_csr_new (x->n_rows, x->n_cols, x->row_ptr[x->n_rows]);
  gint32 w = 0;

  for (gint32 i = 0; i < x->n_rows; i++)
    {
      gint32 src = (gint32) perm[i];
      gint32 a = x->row_ptr[i], b = x->row_ptr[src];

      out->row_ptr[i] = w;
      /* Merge row i outside the block with row src inside it, by column. */
      while (TRUE)
        {
          gboolean have_a, have_b;

          while (a < x->row_ptr[i + 1] && x->col_idx[a] >= lo && x->col_idx[a] < hi)
            a++;
          while (b < x->row_ptr[src + 1] && !(x->col_idx[b] >= lo && x->col_idx[b] < hi))
            b++;
          have_a = a < x->row_ptr[i + 1];
          have_b = b < x->row_ptr[src + 1];
          if (!have_a && !have_b)
            break;
          if (have_a && (!have_b || x->col_idx[a] < x->col_idx[b]))
            {
              out->col_idx[w] = x->col_idx[a];
              out->values[w++] = x->values[a++];
            }
          else
            {
              out->col_idx[w] = x->col_idx[b];
              out->values[w++] = x->values[b++];
            }
        }
    }
  out->row_ptr[x->n_rows] = w;
  return out;
}

typedef struct
{
  double sum;
  double sum2;
  guint  n;
} Acc;

static void
acc_add (GHashTable *table,
         const char *name,
         double      value)
{
  Acc *acc = g_hash_table_lookup (table, name);

  if (acc == NULL)
    {
      acc = g_new0 (Acc, 1);
      g_hash_table_insert (table, g_strdup (name), acc);
    }
  acc->sum += value;
  acc->sum2 += value * value;
  acc->n++;
}

/* Permutation importance and SHAP of one fold into @importance and @shap,
 * and each test row's reasons toward @predicted into @clips[row]. */
static gboolean
explain_fold (CsClassifier     *clf,
              const Fold       *fold,
              guint             f,
              guint64           seed,
              gboolean          log_target,
              double            base,
              const guint      *predicted,
              CsPredictClip   **clips,
              GHashTable       *importance,
              GHashTable       *shap,
              GError          **error)
{
  guint C = clf->n_classes, n_blocks;
  const CsFeatureBlock *blocks = cs_predict_features_get_blocks (fold->features, &n_blocks);
  g_autofree double *proba = g_new (double, (gsize) MAX (fold->n_test, 1) * C);
  g_autofree guint *perm = g_new (guint, MAX (fold->n_test, 1));

  for (guint b = 0; b < n_blocks; b++)
    {
      guint64 state = seed ^ (G_GUINT64_CONSTANT (0x5DEECE66D) * (f + 1)) ^ ((guint64) b << 32);
      g_autoptr(CsCsr) permuted = NULL;
      double score;

      for (guint i = 0; i < fold->n_test; i++)
        perm[i] = i;
      shuffle (perm, fold->n_test, &state);
      permuted = permute_block (fold->x_test, &blocks[b], perm);
      if (!cs_predictor_predict (clf, permuted, log_target, proba, error))
        return FALSE;
      score = primary_of (clf, fold, proba, log_target);
      /* The loss of quality: a drop in macro-F1, a rise in RMSE. */
      acc_add (importance, blocks[b].name, clf->regression ? score - base : base - score);
    }

  if (cs_classifier_has_contributions (clf))
    {
      gboolean is_shap = cs_classifier_get_contribution_kind (clf) == CS_CONTRIBUTIONS_SHAP;
      gint32 F = fold->x_test->n_cols;
      g_autofree double *sum = is_shap ? g_new0 (double, MAX (F, 1)) : NULL;
      g_autoptr(GPtrArray) reasons = cs_predict_reasons_compute (clf, fold->features, fold->x_test, predicted,
                                                                 CS_PREDICT_N_REASONS, sum, error);

      if (reasons == NULL)
        return FALSE;
      for (guint i = 0; i < fold->n_test; i++)
        {
          g_ptr_array_unref (clips[fold->test[i]]->reasons);
          clips[fold->test[i]]->reasons = g_ptr_array_ref (g_ptr_array_index (reasons, i));
        }
      for (gint32 j = 0; is_shap && j < F; j++)
        if (sum[j] > 0)
          acc_add (shap, cs_predict_features_get_name (fold->features, j), sum[j] / ((double) fold->n_test * C));
    }
  return TRUE;
}

static int
compare_importance (gconstpointer a,
                    gconstpointer b)
{
  const CsPredictImportance *x = *(CsPredictImportance * const *) a;
  const CsPredictImportance *y = *(CsPredictImportance * const *) b;

  if (x->mean != y->mean)
    return x->mean > y->mean ? -1 : 1;
  return strcmp (x->name, y->name);
}

/* Mean (and sd) over @n_folds folds; a name missing from some fold counts 0
 * there. */
static GPtrArray *
summarise (GHashTable *table,
           guint       n_folds,
           guint       limit)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (importance_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Acc *acc = value;
      CsPredictImportance *imp = g_new0 (CsPredictImportance, 1);
      double mean = acc->sum / n_folds;

      imp->name = g_strdup (key);
      imp->mean = mean;
      imp->sd = n_folds > 1 ? sqrt (MAX (0, (acc->sum2 - n_folds * mean * mean) / (n_folds - 1))) : NAN;
      g_ptr_array_add (out, imp);
    }
  g_ptr_array_sort (out, compare_importance);
  if (limit > 0 && out->len > limit)
    g_ptr_array_set_size (out, limit);
  return out;
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static double
process_cpu_seconds (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
    return 0;
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
mean_sd (const double *v,
         guint         n,
         double       *mean,
         double       *sd)
{
  double m = 0, s = 0;

  for (guint i = 0; i < n; i++)
    m += v[i] / n;
  for (guint i = 0; i < n; i++)
    s += (v[i] - m) * (v[i] - m);
  *mean = n > 0 ? m : NAN;
  *sd = n > 1 ? sqrt (s / (n - 1)) : NAN;
}

static CsPredictModelResult *
model_result_new (const CsModelSpec *spec,
                  guint              n_folds,
                  guint              n_classes)
{
  CsPredictModelResult *m = g_new0 (CsPredictModelResult, 1);

  m->name = g_strdup (spec->name);
  m->n_folds = n_folds;
  for (guint k = 0; k < CS_N_PREDICT_METRICS; k++)
    {
      m->folds[k] = g_new (double, n_folds);
      for (guint f = 0; f < n_folds; f++)
        m->folds[k][f] = NAN;
      m->mean[k] = m->sd[k] = NAN;
    }
  m->confusion = n_classes > 0 ? g_new0 (guint, n_classes * n_classes) : NULL;
  m->p_vs_best = m->p_vs_baseline = NAN;
  m->importance = g_ptr_array_new_with_free_func (importance_free);
  m->shap = g_ptr_array_new_with_free_func (importance_free);
  m->curves = g_ptr_array_new_with_free_func (curve_free);
  m->clips = g_ptr_array_new_with_free_func (clip_free);
  return m;
}

/* Fits and scores one model on every fold; a failure is recorded in @m. */
static gboolean
run_model (CsPredictModelResult   *m,
           const CsModelSpec      *spec,
           Fold                   *folds,
           guint                   n_folds,
           const CsPredictDataset *ds,
           const CsPredictRequest *request,
           double                  progress_start,
           double                  progress_share,
           CsProgressFunc          progress,
           gpointer                progress_data,
           GCancellable           *cancellable,
           GError                **error)
{
  /* Outputs per clip: one number, or a probability per class. */
  guint C = ds->regression ? 1 : ds->n_classes;
  g_autoptr(GHashTable) importance = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) shap = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) local_error = NULL;
  g_autofree CsPredictClip **clips = g_new0 (CsPredictClip *, MAX (ds->n_rows, 1));

  for (guint f = 0; f < n_folds; f++)
    {
      Fold *fold = &folds[f];
      g_autoptr(CsClassifier) clf = NULL;
      g_autofree double *proba = g_new (double, (gsize) MAX (fold->n_test, 1) * C);
      g_autofree guint *confusion = g_new0 (guint, C * C);
      g_autofree guint *predicted = g_new (guint, MAX (fold->n_test, 1));
      double values[CS_N_PREDICT_METRICS];
      gint64 start;
      double cpu_start;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          for (guint i = 0; i < ds->n_rows; i++)
            g_clear_pointer (&clips[i], clip_free);
          return FALSE;
        }
      if (progress)
        {
          g_autofree char *message = g_strdup_printf (_("%s, fold %u of %u"), m->label ? m->label : m->name,
                                                      f + 1, n_folds);

          progress (progress_start + progress_share * f / n_folds, message, progress_data);
        }

      clf = cs_classifier_new (spec->name, spec->params, ds->regression ? CS_CLASSIFIER_REGRESSION : C,
                               request->seed, &local_error);
      if (clf == NULL)
        break;
      if (m->label == NULL)
        {
          m->label = cs_classifier_label (clf);
          m->params = cs_classifier_params_json (clf);
        }
      start = g_get_monotonic_time ();
      cpu_start = process_cpu_seconds ();
      if (!cs_predictor_fit (clf, ds, fold->train, fold->n_train, fold->x_train, &local_error))
        break;
      values[CS_PM_FIT_S] = seconds_since (start);
      m->fit_cpu_s += process_cpu_seconds () - cpu_start;
      start = g_get_monotonic_time ();
      if (!cs_predictor_predict (clf, fold->x_test, ds->log_target, proba, &local_error))
        break;
      values[CS_PM_PREDICT_S] = seconds_since (start);
      for (guint k = 0; k < CS_N_PREDICT_METRICS; k++)
        if (k != CS_PM_FIT_S && k != CS_PM_PREDICT_S)
          values[k] = NAN;
      fold_metrics (clf, fold, proba, ds->log_target, values, confusion);
      for (guint k = 0; k < CS_N_PREDICT_METRICS; k++)
        m->folds[k][f] = values[k];
      for (guint k = 0; !ds->regression && k < C * C; k++)
        m->confusion[k] += confusion[k];
      if (ds->regression)
        memset (predicted, 0, MAX (fold->n_test, 1) * sizeof (guint));
      else
        cs_classifier_argmax (proba, fold->n_test, C, predicted);
      for (guint i = 0; i < fold->n_test; i++)
        {
          guint row = fold->test[i];

          g_clear_pointer (&clips[row], clip_free);
          clips[row] = clip_new (ds->clip_ids[row], f, fold->y_test[i]);
          clips[row]->predicted = predicted[i];
          if (ds->regression)
            {
              clips[row]->truth_value = fold->v_test[i];
              clips[row]->predicted_value = proba[i];
            }
          else
            memcpy (clips[row]->proba, proba + (gsize) i * C, C * sizeof (double));
        }

      for (guint kind = 0; !ds->regression && kind < CS_N_CURVES; kind++)
        for (guint c = 0; c < C; c++)
          {
            CsPredictCurve *curve = g_new0 (CsPredictCurve, 1);

            curve->kind = kind;
            curve->class_index = c;
            curve->fold = f;
            curve->n_points = cs_classification_curve (kind, proba, fold->y_test, fold->n_test, C, c,
                                                       &curve->x, &curve->y);
            g_ptr_array_add (m->curves, curve);
          }

      if (request->explain &&
          !explain_fold (clf, fold, f, request->seed, ds->log_target,
                         values[primary_metric (ds->regression, ds->log_target)], predicted, clips,
                         importance, shap, &local_error))
        break;
    }

  /* Rows never tested (a time split's training rows) have no prediction. */
  for (guint i = 0; i < ds->n_rows; i++)
    if (clips[i] != NULL)
      {
        if (local_error == NULL)
          g_ptr_array_add (m->clips, g_steal_pointer (&clips[i]));
        else
          g_clear_pointer (&clips[i], clip_free);
      }

  if (local_error != NULL)
    {
      if (g_error_matches (local_error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM) ||
          g_error_matches (local_error, CS_MODEL_ERROR, CS_MODEL_ERROR_UNKNOWN_MODEL))
        {
          /* Bad settings are the user's to fix before anything runs. */
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      m->status = g_strdup ("failed");
      m->error = g_strdup (local_error->message);
      if (m->label == NULL)
        m->label = g_strdup (spec->name);
      return TRUE;
    }

  m->status = g_strdup ("done");
  for (guint k = 0; k < CS_N_PREDICT_METRICS; k++)
    mean_sd (m->folds[k], n_folds, &m->mean[k], &m->sd[k]);
  g_ptr_array_unref (m->importance);
  m->importance = summarise (importance, n_folds, 0);
  g_ptr_array_unref (m->shap);
  m->shap = summarise (shap, n_folds, N_SHAP);
  return TRUE;
}

static void
compare_models (CsPredictResult *result)
{
  CsPredictModelResult *best = NULL, *baseline = NULL;
  CsPredictMetric primary = cs_predict_result_get_primary_metric (result);
  double sign = cs_predict_metric_higher_is_better (primary) ? 1 : -1;
  double ratio = 0;

  for (guint f = 0; f < result->n_folds; f++)
    ratio += (double) result->n_test[f] / MAX (result->n_train[f], 1) / result->n_folds;

  for (guint i = 0; i < result->models->len; i++)
    {
      CsPredictModelResult *m = g_ptr_array_index (result->models, i);

      if (g_strcmp0 (m->status, "done") != 0)
        continue;
      if (best == NULL || sign * m->mean[primary] > sign * best->mean[primary])
        best = m;
      if (baseline == NULL && g_strcmp0 (m->name, "majority") == 0)
        baseline = m;
    }
  if (best != NULL)
    result->best = g_strdup (best->name);

  for (guint i = 0; i < result->models->len; i++)
    {
      CsPredictModelResult *m = g_ptr_array_index (result->models, i);
      const double *a = m->folds[primary];

      if (g_strcmp0 (m->status, "done") != 0)
        continue;
      if (best != NULL && m != best)
        m->p_vs_best = cs_corrected_t_test (a, best->folds[primary], result->n_folds, ratio, NULL);
      if (baseline != NULL && m != baseline)
        {
          const double *b = baseline->folds[primary];

          m->p_vs_baseline = cs_corrected_t_test (a, b, result->n_folds, ratio, NULL);
          for (guint f = 0; f < result->n_folds; f++)
            {
              if (fabs (a[f] - b[f]) <= TIE_EPS)
                m->ties++;
              else if (sign * a[f] > sign * b[f])
                m->wins++;
              else
                m->losses++;
            }
        }
    }
}

static char *
protocol_json (const CsPredictRequest *request,
               gboolean                regression)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  if (request->protocol == CS_PREDICT_PROTOCOL_KFOLD)
    {
      json_builder_add_string_value (b, regression ? "kfold" : "stratified-kfold");
      json_builder_set_member_name (b, "folds");
      json_builder_add_int_value (b, request->folds);
    }
  else
    {
      json_builder_add_string_value (b, "time-split");
      json_builder_set_member_name (b, "test_fraction");
      json_builder_add_double_value (b, request->test_fraction);
    }
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, (gint64) request->seed);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

CsPredictResult *
cs_predictor_run_dataset (const CsPredictDataset *ds,
                          const CsPredictRequest *request,
                          CsProgressFunc          progress,
                          gpointer                progress_data,
                          GCancellable           *cancellable,
                          GError                **error)
{
  g_autoptr(CsPredictResult) result = NULL;
  g_autoptr(GPtrArray) specs = NULL;
  Fold *folds = NULL;
  guint n_folds;
  gboolean ok = TRUE;

  g_return_val_if_fail (ds != NULL && request != NULL, NULL);
  g_return_val_if_fail (ds->labels != NULL || ds->regression, NULL);

  specs = cs_classifier_parse_specs (request->models, error);
  if (specs == NULL)
    return NULL;
  /* Settings are checked before any work, so a typo fails at once. */
  for (guint i = 0; i < specs->len; i++)
    {
      CsModelSpec *spec = g_ptr_array_index (specs, i);
      g_autoptr(CsClassifier) probe = cs_classifier_new (spec->name, spec->params,
                                                         ds->regression ? CS_CLASSIFIER_REGRESSION : ds->n_classes,
                                                         request->seed, error);

      if (probe == NULL)
        return NULL;
    }

  result = g_new0 (CsPredictResult, 1);
  result->models = g_ptr_array_new_with_free_func ((GDestroyNotify) cs_predict_model_result_free);
  result->target_spec = g_strdup (ds->target_spec);
  result->regression = ds->regression;
  result->log_target = ds->log_target;
  result->target_mean = result->target_median = NAN;
  if (ds->regression && ds->n_rows > 0)
    {
      g_autofree double *sorted = g_memdup2 (ds->target, ds->n_rows * sizeof (double));

      result->target_mean = 0;
      for (guint i = 0; i < ds->n_rows; i++)
        result->target_mean += ds->target[i] / ds->n_rows;
      qsort (sorted, ds->n_rows, sizeof (double), compare_double);
      result->target_median = ds->n_rows % 2 ? sorted[ds->n_rows / 2]
                              : (sorted[ds->n_rows / 2 - 1] + sorted[ds->n_rows / 2]) / 2;
    }
  result->n_classes = ds->n_classes;
  for (guint c = 0; c < ds->n_classes; c++)
    result->class_names[c] = g_strdup (ds->class_names[c]);
  for (guint c = 0; c + 1 < ds->n_classes; c++)
    result->thresholds[c] = ds->thresholds[c];
  for (guint i = 0; !ds->regression && i < ds->n_rows; i++)
    result->class_counts[ds->labels[i]]++;
  result->n_clips = ds->n_rows;
  result->n_dropped = ds->n_dropped;
  result->groups = request->groups;
  result->seed = request->seed;
  result->explained = request->explain;
  result->protocol_json = protocol_json (request, ds->regression);
  result->fold_of_row = g_new (guint, MAX (ds->n_rows, 1));

  if (request->protocol == CS_PREDICT_PROTOCOL_KFOLD)
    {
      /* A number: plain k-fold, the stratified rule with every row in one class. */
      g_autofree guint *one_class = ds->regression ? g_new0 (guint, MAX (ds->n_rows, 1)) : NULL;
      static const char * const all[] = { "all", NULL };

      if (!cs_predict_stratified_folds (ds->regression ? one_class : ds->labels, ds->n_rows,
                                        ds->regression ? 1 : ds->n_classes,
                                        ds->regression ? all : (const char * const *) ds->class_names,
                                        request->folds, request->seed, result->fold_of_row, error))
        return NULL;
      n_folds = request->folds;
    }
  else
    {
      if (!time_split (ds, request->test_fraction, result->fold_of_row, error))
        return NULL;
      n_folds = 1;
    }
  result->n_folds = n_folds;
  result->n_train = g_new0 (guint, n_folds);
  result->n_test = g_new0 (guint, n_folds);

  if (progress)
    progress (0.0, _("Preparing features"), progress_data);
  folds = g_new0 (Fold, n_folds);
  for (guint f = 0; f < n_folds && ok; f++)
    {
      ok = fold_prepare (&folds[f], ds, result->fold_of_row, f, request->groups, error);
      if (ok)
        {
          result->n_train[f] = folds[f].n_train;
          result->n_test[f] = folds[f].n_test;
        }
      ok = ok && !g_cancellable_set_error_if_cancelled (cancellable, error);
    }
  if (ok)
    result->n_features = (guint) cs_predict_features_get_n_cols (folds[0].features);

  for (guint i = 0; i < specs->len && ok; i++)
    {
      CsModelSpec *spec = g_ptr_array_index (specs, i);
      CsPredictModelResult *m = model_result_new (spec, n_folds, ds->n_classes);
      double share = 0.9 / specs->len;

      g_ptr_array_add (result->models, m);
      ok = run_model (m, spec, folds, n_folds, ds, request, 0.1 + share * i, share,
                      progress, progress_data, cancellable, error);
    }

  for (guint f = 0; f < n_folds; f++)
    fold_clear (&folds[f]);
  g_free (folds);
  if (!ok)
    return NULL;
  compare_models (result);
  if (progress)
    progress (1.0, NULL, progress_data);
  return g_steal_pointer (&result);
}

/* ---- JSON --------------------------------------------------------------- */

static void
add_number (JsonBuilder *b,
            double       value)
{
  if (isfinite (value))
    json_builder_add_double_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_member_number (JsonBuilder *b,
                   const char  *name,
                   double       value)
{
  json_builder_set_member_name (b, name);
  add_number (b, value);
}

static void
add_raw (JsonBuilder *b,
         const char  *text)
{
  JsonNode *node = text ? json_from_string (text, NULL) : NULL;

  if (node)
    json_builder_add_value (b, node);
  else
    json_builder_add_null_value (b);
}

static void
add_importance (JsonBuilder *b,
                const char  *member,
                GPtrArray   *list,
                gboolean     with_sd)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    {
      CsPredictImportance *imp = g_ptr_array_index (list, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, imp->name);
      add_member_number (b, with_sd ? "mean" : "value", imp->mean);
      if (with_sd)
        add_member_number (b, "sd", imp->sd);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
add_confusion (JsonBuilder *b,
               const guint *confusion,
               guint        C)
{
  json_builder_set_member_name (b, "confusion");
  json_builder_begin_array (b);
  for (guint i = 0; i < C; i++)
    {
      json_builder_begin_array (b);
      for (guint j = 0; j < C; j++)
        json_builder_add_int_value (b, confusion[i * C + j]);
      json_builder_end_array (b);
    }
  json_builder_end_array (b);
}

static void
add_target (JsonBuilder           *b,
            const CsPredictResult *result)
{
  json_builder_set_member_name (b, "target");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "spec");
  json_builder_add_string_value (b, result->target_spec);
  if (result->regression)
    {
      json_builder_set_member_name (b, "regression");
      json_builder_add_boolean_value (b, TRUE);
      json_builder_set_member_name (b, "log_scale");
      json_builder_add_boolean_value (b, result->log_target);
      add_member_number (b, "mean", result->target_mean);
      add_member_number (b, "median", result->target_median);
      json_builder_end_object (b);
      return;
    }
  json_builder_set_member_name (b, "classes");
  json_builder_begin_array (b);
  for (guint c = 0; c < result->n_classes; c++)
    json_builder_add_string_value (b, result->class_names[c]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "class_counts");
  json_builder_begin_array (b);
  for (guint c = 0; c < result->n_classes; c++)
    json_builder_add_int_value (b, result->class_counts[c]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "thresholds");
  json_builder_begin_array (b);
  for (guint c = 0; c + 1 < result->n_classes; c++)
    add_number (b, result->thresholds[c]);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
add_features (JsonBuilder *b,
              guint        groups)
{
  static const struct { guint flag; const char *name; } names[] = {
    { CS_PREDICT_TEXT, "text" }, { CS_PREDICT_TIME, "time" },
    { CS_PREDICT_CONTENT, "content" }, { CS_PREDICT_DURATION, "duration" },
  };

  json_builder_set_member_name (b, "features");
  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (groups & names[i].flag)
      json_builder_add_string_value (b, names[i].name);
  json_builder_end_array (b);
}

static char *
builder_text (JsonBuilder *b)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);

  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static char *
summary_json (const CsPredictResult *result,
              const char            *models)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_target (b, result);
  add_features (b, result->groups);
  json_builder_set_member_name (b, "n_clips");
  json_builder_add_int_value (b, result->n_clips);
  json_builder_set_member_name (b, "n_dropped");
  json_builder_add_int_value (b, result->n_dropped);
  json_builder_set_member_name (b, "n_features");
  json_builder_add_int_value (b, result->n_features);
  json_builder_set_member_name (b, "models");
  json_builder_add_string_value (b, models);
  json_builder_set_member_name (b, "explained");
  json_builder_add_boolean_value (b, result->explained);
  if (result->best)
    {
      json_builder_set_member_name (b, "best");
      json_builder_add_string_value (b, result->best);
    }
  json_builder_end_object (b);
  return builder_text (b);
}

static void
add_model_details (JsonBuilder                *b,
                   const CsPredictModelResult *m,
                   guint                       n_classes)
{
  json_builder_set_member_name (b, "label");
  json_builder_add_string_value (b, m->label);
  if (m->confusion != NULL)
    add_confusion (b, m->confusion, n_classes);
  add_member_number (b, "p_vs_best", m->p_vs_best);
  add_member_number (b, "p_vs_baseline", m->p_vs_baseline);
  json_builder_set_member_name (b, "win_tie_loss");
  json_builder_begin_array (b);
  json_builder_add_int_value (b, m->wins);
  json_builder_add_int_value (b, m->ties);
  json_builder_add_int_value (b, m->losses);
  json_builder_end_array (b);
  add_importance (b, "importance", m->importance, TRUE);
  add_importance (b, "shap", m->shap, FALSE);
}

static char *
child_summary_json (const CsPredictModelResult *m,
                    guint                       n_classes)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_model_details (b, m, n_classes);
  json_builder_end_object (b);
  return builder_text (b);
}

/* Each tested clip's out-of-fold prediction: "clips": [{"clip_id", "fold",
 * "truth", "predicted" (class names), "proba": [per class], "reasons":
 * [{"feature", "value", "contribution"}] (explained runs only)}]. */
static void
add_clips_json (JsonBuilder                *b,
                const CsPredictModelResult *m,
                const CsPredictResult      *result)
{
  if (m->clips == NULL)
    return;
  json_builder_set_member_name (b, "clips");
  json_builder_begin_array (b);
  for (guint i = 0; i < m->clips->len; i++)
    {
      const CsPredictClip *clip = g_ptr_array_index (m->clips, i);

      if (clip == NULL)
        continue;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "clip_id");
      json_builder_add_int_value (b, clip->clip_id);
      json_builder_set_member_name (b, "fold");
      json_builder_add_int_value (b, clip->fold);
      if (result->regression)
        {
          add_member_number (b, "truth", clip->truth_value);
          add_member_number (b, "predicted", clip->predicted_value);
          goto reasons;
        }
      json_builder_set_member_name (b, "truth");
      json_builder_add_string_value (b, result->class_names[clip->truth]);
      json_builder_set_member_name (b, "predicted");
      json_builder_add_string_value (b, result->class_names[clip->predicted]);
      json_builder_set_member_name (b, "proba");
      json_builder_begin_array (b);
      for (guint c = 0; c < result->n_classes; c++)
        add_number (b, clip->proba[c]);
      json_builder_end_array (b);
    reasons:
      if (result->explained && clip->reasons != NULL)
        {
          json_builder_set_member_name (b, "reasons");
          cs_predict_reasons_add_json (clip->reasons, b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

char *
cs_predict_result_to_json (const CsPredictResult *result)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "run_id");
  json_builder_add_int_value (b, result->run_id);
  json_builder_set_member_name (b, "protocol");
  add_raw (b, result->protocol_json);
  add_target (b, result);
  add_features (b, result->groups);
  json_builder_set_member_name (b, "n_clips");
  json_builder_add_int_value (b, result->n_clips);
  json_builder_set_member_name (b, "n_features");
  json_builder_add_int_value (b, result->n_features);
  json_builder_set_member_name (b, "best");
  if (result->best)
    json_builder_add_string_value (b, result->best);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "models");
  json_builder_begin_array (b);
  for (guint i = 0; i < result->models->len; i++)
    {
      const CsPredictModelResult *m = g_ptr_array_index (result->models, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, m->name);
      json_builder_set_member_name (b, "params");
      add_raw (b, m->params);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, m->status);
      if (m->error)
        {
          json_builder_set_member_name (b, "error");
          json_builder_add_string_value (b, m->error);
        }
      add_member_number (b, "fit_s", m->mean[CS_PM_FIT_S]);
      add_member_number (b, "predict_s", m->mean[CS_PM_PREDICT_S]);
      json_builder_set_member_name (b, "metrics");
      json_builder_begin_object (b);
      for (guint k = 0; k < CS_N_PREDICT_METRICS; k++)
        {
          if (!cs_predict_metric_applies (k, result->regression, result->log_target))
            continue;
          json_builder_set_member_name (b, cs_predict_metric_get_name (k));
          json_builder_begin_object (b);
          add_member_number (b, "mean", m->mean[k]);
          add_member_number (b, "sd", m->sd[k]);
          json_builder_set_member_name (b, "folds");
          json_builder_begin_array (b);
          for (guint f = 0; f < m->n_folds; f++)
            add_number (b, m->folds[k][f]);
          json_builder_end_array (b);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
      add_model_details (b, m, result->n_classes);
      add_clips_json (b, m, result);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return builder_text (b);
}

/* ---- Storing ------------------------------------------------------------ */

static gboolean
step (CsStore       *store,
      sqlite3_stmt  *stmt,
      GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  return cs_store_set_error (store, error, _("Could not save the comparison"));
}

static gboolean
insert_curve (CsStore              *store,
              gint64                run_id,
              const CsPredictResult *result,
              const CsPredictCurve *curve,
              GError              **error)
{
  sqlite3_stmt *stmt = cs_store_prepare (store,
                                         "INSERT INTO curves (run_id, name, fold, x, y) VALUES (?1, ?2, ?3, ?4, ?5)",
                                         error);
  g_autofree char *name = NULL;
  g_autofree double *x = NULL, *y = NULL;

  if (stmt == NULL)
    return FALSE;
  name = g_strdup_printf ("%s:%s", cs_curve_kind_get_name (curve->kind),
                          result->class_names[curve->class_index]);
  /* The table holds little-endian doubles. */
  x = g_new (double, MAX (curve->n_points, 1));
  y = g_new (double, MAX (curve->n_points, 1));
  for (guint i = 0; i < curve->n_points; i++)
    {
      guint64 bits;

      memcpy (&bits, &curve->x[i], 8);
      bits = GUINT64_TO_LE (bits);
      memcpy (&x[i], &bits, 8);
      memcpy (&bits, &curve->y[i], 8);
      bits = GUINT64_TO_LE (bits);
      memcpy (&y[i], &bits, 8);
    }
  sqlite3_bind_int64 (stmt, 1, run_id);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, (int) curve->fold);
  sqlite3_bind_blob (stmt, 4, x, (int) (curve->n_points * sizeof (double)), SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 5, y, (int) (curve->n_points * sizeof (double)), SQLITE_TRANSIENT);
  return step (store, stmt, error);
}

static char *
proba_json (const double *proba,
            guint         C)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  for (guint c = 0; c < C; c++)
    add_number (b, proba[c]);
  json_builder_end_array (b);
  return builder_text (b);
}

static char *
reasons_json (GPtrArray *reasons)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  for (guint r = 0; r < reasons->len; r++)
    {
      const CsPredictReason *reason = g_ptr_array_index (reasons, r);

      json_builder_begin_array (b);
      json_builder_add_string_value (b, reason->feature);
      add_number (b, reason->value);
      add_number (b, reason->contribution);
      json_builder_end_array (b);
    }
  json_builder_end_array (b);
  return builder_text (b);
}

/* A number target keeps the true and predicted numbers in the truth and
 * predicted columns (SQLite keeps a REAL there) and "[]" as proba. */
static gboolean
insert_clips (CsStore                    *store,
              const CsPredictModelResult *m,
              const CsPredictResult      *result,
              GError                    **error)
{
  sqlite3_stmt *stmt = cs_store_prepare (store,
                                         "INSERT INTO predict_clips (run_id, clip_id, fold, truth, predicted, proba, reasons)"
                                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);

  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < m->clips->len; i++)
    {
      const CsPredictClip *clip = g_ptr_array_index (m->clips, i);
      g_autofree char *proba = proba_json (clip->proba, result->n_classes);
      g_autofree char *reasons = result->explained ? reasons_json (clip->reasons) : NULL;

      sqlite3_bind_int64 (stmt, 1, m->run_id);
      sqlite3_bind_int64 (stmt, 2, clip->clip_id);
      sqlite3_bind_int (stmt, 3, (int) clip->fold);
      if (result->regression)
        {
          sqlite3_bind_double (stmt, 4, clip->truth_value);
          sqlite3_bind_double (stmt, 5, clip->predicted_value);
        }
      else
        {
          sqlite3_bind_int (stmt, 4, (int) clip->truth);
          sqlite3_bind_int (stmt, 5, (int) clip->predicted);
        }
      sqlite3_bind_text (stmt, 6, proba, -1, SQLITE_TRANSIENT);
      if (reasons != NULL)
        sqlite3_bind_text (stmt, 7, reasons, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (stmt, 7);
      if (!step (store, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
store_model (CsStore               *store,
             CsPredictResult       *result,
             CsPredictModelResult  *m,
             gint64                 started_at,
             gint64                 finished_at,
             GError               **error)
{
  g_autofree char *summary = child_summary_json (m, result->n_classes);
  gboolean done = g_strcmp0 (m->status, "done") == 0;
  double fit = 0, score = 0;
  CsRunRow row;

  for (guint f = 0; f < m->n_folds && done; f++)
    {
      fit += m->folds[CS_PM_FIT_S][f];
      score += m->folds[CS_PM_PREDICT_S][f];
    }
  row = (CsRunRow) {
    result->run_id, "predict", m->name, m->params ? m->params : "{}", result->protocol_json, result->seed,
    m->status, m->error, done ? fit : NAN, done ? score : NAN, summary, started_at, finished_at,
  };
  m->run_id = cs_run_rows_insert_run (store, &row, error);
  if (m->run_id == 0)
    return FALSE;
  if (!done)
    return TRUE;

  for (guint k = 0; k < CS_N_PREDICT_METRICS; k++)
    {
      const char *name = cs_predict_metric_get_name (k);
      g_autofree char *sd_name = g_strconcat (name, "_sd", NULL);

      if (!cs_predict_metric_applies (k, result->regression, result->log_target))
        continue;
      for (guint f = 0; f < m->n_folds; f++)
        if (!cs_run_rows_insert_metric (store, m->run_id, name, 0, (int) f, m->folds[k][f], error))
          return FALSE;
      if (!cs_run_rows_insert_metric (store, m->run_id, name, 0, -1, m->mean[k], error) ||
          !cs_run_rows_insert_metric (store, m->run_id, sd_name, 0, -1, m->sd[k], error))
        return FALSE;
    }
  if (!cs_run_rows_insert_metric (store, m->run_id, "p_vs_best", 0, -1, m->p_vs_best, error) ||
      !cs_run_rows_insert_metric (store, m->run_id, "p_vs_baseline", 0, -1, m->p_vs_baseline, error))
    return FALSE;
  for (guint i = 0; i < m->curves->len; i++)
    if (!insert_curve (store, m->run_id, result, g_ptr_array_index (m->curves, i), error))
      return FALSE;
  return insert_clips (store, m, result, error);
}

static gboolean
store_result (CsStore          *store,
              CsPredictResult  *result,
              const char       *models,
              gint64            started_at,
              GError          **error)
{
  gint64 finished_at = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *summary = summary_json (result, models);
  CsRunRow parent = {
    0, "predict", NULL, NULL, result->protocol_json, result->seed, "done", NULL,
    NAN, NAN, summary, started_at, finished_at,
  };

  if (!cs_store_begin (store, error))
    return FALSE;
  result->run_id = cs_run_rows_insert_run (store, &parent, error);
  if (result->run_id == 0)
    goto fail;
  for (guint i = 0; i < result->models->len; i++)
    if (!store_model (store, result, g_ptr_array_index (result->models, i), started_at, finished_at, error))
      goto fail;
  if (!cs_store_commit (store, error))
    goto fail;
  return TRUE;

fail:
  cs_store_rollback (store);
  result->run_id = 0;
  return FALSE;
}

CsPredictResult *
cs_predictor_run (CsStore                *store,
                  const CsPredictRequest *request,
                  CsProgressFunc          progress,
                  gpointer                progress_data,
                  GCancellable           *cancellable,
                  GError                **error)
{
  g_autoptr(CsPredictDataset) ds = NULL;
  g_autoptr(CsPredictResult) result = NULL;
  g_autofree char *metric = NULL;
  const char *colon;
  gint64 started_at = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (CS_IS_STORE (store), NULL);
  g_return_val_if_fail (request != NULL && request->target != NULL, NULL);

  colon = strchr (request->target, ':');
  if (colon == NULL || colon == request->target || colon[1] == '\0')
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                   _("Cannot read the target “%s”: use METRIC:terciles, METRIC:>=X, METRIC:X,Y or METRIC:value"),
                   request->target);
      return NULL;
    }
  metric = g_strndup (request->target, colon - request->target);
  if (progress)
    progress (0.0, _("Reading clips"), progress_data);
  ds = cs_predict_dataset_load (store, metric, error);
  if (ds == NULL || !cs_predict_dataset_set_target (ds, metric, colon + 1, error))
    return NULL;
  result = cs_predictor_run_dataset (ds, request, progress, progress_data, cancellable, error);
  if (result == NULL)
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !store_result (store, result, request->models, started_at, error))
    return NULL;
  return g_steal_pointer (&result);
}

/* ---- Loading ------------------------------------------------------------ */

gint64
cs_predict_result_latest_id (CsStore *store)
{
  return cs_store_query_int (store,
                             "SELECT id FROM runs WHERE task = 'predict' AND parent_id IS NULL"
                             " AND status = 'done' ORDER BY id DESC LIMIT 1", 0);
}

static JsonObject *
parse_object (const char *text,
              JsonNode  **node)
{
  *node = text ? json_from_string (text, NULL) : NULL;
  if (*node == NULL || !JSON_NODE_HOLDS_OBJECT (*node))
    return NULL;
  return json_node_get_object (*node);
}

static double
member_number (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_double (node) : NAN;
}

static GPtrArray *
load_importance (JsonObject *object,
                 const char *member,
                 const char *value_name)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (importance_free);
  JsonArray *array = object && json_object_has_member (object, member)
                     ? json_object_get_array_member (object, member) : NULL;

  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      JsonObject *item = json_array_get_object_element (array, i);
      CsPredictImportance *imp = g_new0 (CsPredictImportance, 1);

      imp->name = g_strdup (json_object_get_string_member_with_default (item, "name", ""));
      imp->mean = member_number (item, value_name);
      imp->sd = member_number (item, "sd");
      g_ptr_array_add (out, imp);
    }
  return out;
}

static void
load_model_summary (CsPredictModelResult *m,
                    const char           *summary,
                    guint                 C)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object = parse_object (summary, &node);
  JsonArray *rows, *wtl;

  if (object == NULL)
    return;
  g_free (m->label);
  m->label = g_strdup (json_object_get_string_member_with_default (object, "label", m->name));
  m->p_vs_best = member_number (object, "p_vs_best");
  m->p_vs_baseline = member_number (object, "p_vs_baseline");
  rows = json_object_has_member (object, "confusion") ? json_object_get_array_member (object, "confusion") : NULL;
  for (guint i = 0; rows && i < MIN (C, json_array_get_length (rows)); i++)
    {
      JsonArray *row = json_array_get_array_element (rows, i);

      for (guint j = 0; j < MIN (C, json_array_get_length (row)); j++)
        m->confusion[i * C + j] = (guint) json_array_get_int_element (row, j);
    }
  wtl = json_object_has_member (object, "win_tie_loss") ? json_object_get_array_member (object, "win_tie_loss") : NULL;
  if (wtl && json_array_get_length (wtl) == 3)
    {
      m->wins = (guint) json_array_get_int_element (wtl, 0);
      m->ties = (guint) json_array_get_int_element (wtl, 1);
      m->losses = (guint) json_array_get_int_element (wtl, 2);
    }
  g_ptr_array_unref (m->importance);
  m->importance = load_importance (object, "importance", "mean");
  g_ptr_array_unref (m->shap);
  m->shap = load_importance (object, "shap", "value");
}

static double
le_double (const guint8 *bytes)
{
  guint64 bits;
  double value;

  memcpy (&bits, bytes, 8);
  bits = GUINT64_FROM_LE (bits);
  memcpy (&value, &bits, 8);
  return value;
}

static void
load_reasons (CsPredictClip *clip,
              const char    *text)
{
  g_autoptr(JsonNode) node = text ? json_from_string (text, NULL) : NULL;
  JsonArray *array = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  for (guint r = 0; array && r < json_array_get_length (array); r++)
    {
      JsonNode *item = json_array_get_element (array, r);
      JsonArray *triple = JSON_NODE_HOLDS_ARRAY (item) ? json_node_get_array (item) : NULL;
      JsonNode *value, *contribution;

      if (triple == NULL || json_array_get_length (triple) != 3)
        continue;
      value = json_array_get_element (triple, 1);
      contribution = json_array_get_element (triple, 2);
      g_ptr_array_add (clip->reasons,
                       cs_predict_reason_new (json_array_get_string_element (triple, 0),
                                              JSON_NODE_HOLDS_VALUE (value) ? json_node_get_double (value) : NAN,
                                              JSON_NODE_HOLDS_VALUE (contribution)
                                              ? json_node_get_double (contribution) : NAN));
    }
}

static gboolean
load_clips (CsStore               *store,
            CsPredictResult       *result,
            CsPredictModelResult  *m,
            GError               **error)
{
  sqlite3_stmt *stmt = cs_store_prepare (store,
                                         "SELECT clip_id, fold, truth, predicted, proba, reasons FROM predict_clips"
                                         " WHERE run_id = ?1 ORDER BY clip_id", error);
  guint C = result->n_classes;
  CsPredictClip *clip;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, m->run_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint truth = (guint) sqlite3_column_int (stmt, 2), predicted = (guint) sqlite3_column_int (stmt, 3);
      g_autoptr(JsonNode) node = NULL;
      JsonArray *proba;

      clip = clip_new (sqlite3_column_int64 (stmt, 0), (guint) sqlite3_column_int (stmt, 1), 0);
      load_reasons (clip, (const char *) sqlite3_column_text (stmt, 5));
      if (result->regression)
        {
          clip->truth_value = sqlite3_column_double (stmt, 2);
          clip->predicted_value = sqlite3_column_double (stmt, 3);
          g_ptr_array_add (m->clips, clip);
          continue;
        }
      node = json_from_string ((const char *) sqlite3_column_text (stmt, 4), NULL);
      proba = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
      /* A row that does not fit the classes is skipped, not trusted. */
      if (truth >= C || predicted >= C || proba == NULL || json_array_get_length (proba) != C)
        {
          clip_free (clip);
          continue;
        }
      clip->truth = truth;
      clip->predicted = predicted;
      for (guint c = 0; c < C; c++)
        {
          JsonNode *p = json_array_get_element (proba, c);

          clip->proba[c] = JSON_NODE_HOLDS_VALUE (p) ? json_node_get_double (p) : NAN;
        }
      g_ptr_array_add (m->clips, clip);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return cs_store_set_error (store, error, _("Could not read the comparison"));
  return TRUE;
}

static gboolean
load_model_rows (CsStore               *store,
                 CsPredictResult       *result,
                 CsPredictModelResult  *m,
                 GError               **error)
{
  sqlite3_stmt *stmt = cs_store_prepare (store, "SELECT name, fold, value FROM metrics WHERE run_id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, m->run_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      int fold = sqlite3_column_int (stmt, 1);
      double value = sqlite3_column_type (stmt, 2) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, 2);

      for (guint k = 0; k < CS_N_PREDICT_METRICS; k++)
        {
          const char *metric = cs_predict_metric_get_name (k);
          gsize len = strlen (metric);

          if (strncmp (name, metric, len) != 0)
            continue;
          if (name[len] == '\0' && fold >= 0 && (guint) fold < m->n_folds)
            m->folds[k][fold] = value;
          else if (name[len] == '\0' && fold == -1)
            m->mean[k] = value;
          else if (strcmp (name + len, "_sd") == 0)
            m->sd[k] = value;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return cs_store_set_error (store, error, _("Could not read the comparison"));

  stmt = cs_store_prepare (store, "SELECT name, fold, x, y FROM curves WHERE run_id = ?1 ORDER BY fold, name", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, m->run_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      const char *colon = strchr (name, ':');
      const guint8 *x = sqlite3_column_blob (stmt, 2), *y = sqlite3_column_blob (stmt, 3);
      guint n = (guint) (MIN (sqlite3_column_bytes (stmt, 2), sqlite3_column_bytes (stmt, 3)) / 8);
      CsPredictCurve *curve;
      int kind = -1, c = -1;

      for (guint k = 0; colon && k < CS_N_CURVES; k++)
        if (strncmp (name, cs_curve_kind_get_name (k), colon - name) == 0 &&
            cs_curve_kind_get_name (k)[colon - name] == '\0')
          kind = (int) k;
      for (guint k = 0; colon && k < result->n_classes; k++)
        if (g_strcmp0 (colon + 1, result->class_names[k]) == 0)
          c = (int) k;
      if (kind < 0 || c < 0)
        continue;
      curve = g_new0 (CsPredictCurve, 1);
      curve->kind = kind;
      curve->class_index = (guint) c;
      curve->fold = (guint) sqlite3_column_int (stmt, 1);
      curve->n_points = n;
      curve->x = g_new (double, MAX (n, 1));
      curve->y = g_new (double, MAX (n, 1));
      for (guint i = 0; i < n; i++)
        {
          curve->x[i] = le_double (x + 8 * i);
          curve->y[i] = le_double (y + 8 * i);
        }
      g_ptr_array_add (m->curves, curve);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return cs_store_set_error (store, error, _("Could not read the comparison"));
  return load_clips (store, result, m, error);
}

static void
load_summary (CsPredictResult *result,
              const char      *summary)
{
  static const struct { guint flag; const char *name; } groups[] = {
    { CS_PREDICT_TEXT, "text" }, { CS_PREDICT_TIME, "time" },
    { CS_PREDICT_CONTENT, "content" }, { CS_PREDICT_DURATION, "duration" },
  };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object = parse_object (summary, &node);
  JsonObject *target;
  JsonArray *array;

  if (object == NULL)
    return;
  result->n_clips = (guint) json_object_get_int_member_with_default (object, "n_clips", 0);
  result->n_dropped = (guint) json_object_get_int_member_with_default (object, "n_dropped", 0);
  result->n_features = (guint) json_object_get_int_member_with_default (object, "n_features", 0);
  result->best = g_strdup (json_object_get_string_member_with_default (object, "best", NULL));
  result->explained = json_object_get_boolean_member_with_default (object, "explained", FALSE);
  array = json_object_has_member (object, "features") ? json_object_get_array_member (object, "features") : NULL;
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
      if (g_strcmp0 (json_array_get_string_element (array, i), groups[g].name) == 0)
        result->groups |= groups[g].flag;
  target = json_object_has_member (object, "target") ? json_object_get_object_member (object, "target") : NULL;
  if (target == NULL)
    return;
  result->target_spec = g_strdup (json_object_get_string_member_with_default (target, "spec", ""));
  if (json_object_get_boolean_member_with_default (target, "regression", FALSE))
    {
      result->regression = TRUE;
      result->log_target = json_object_get_boolean_member_with_default (target, "log_scale", FALSE);
      result->target_mean = member_number (target, "mean");
      result->target_median = member_number (target, "median");
      return;
    }
  array = json_object_has_member (target, "classes") ? json_object_get_array_member (target, "classes") : NULL;
  if (array == NULL)
    return;
  result->n_classes = MIN (json_array_get_length (array), CS_PREDICT_MAX_CLASSES);
  for (guint c = 0; c < result->n_classes; c++)
    result->class_names[c] = g_strdup (json_array_get_string_element (array, c));
  array = json_object_get_array_member (target, "class_counts");
  for (guint c = 0; array && c < MIN (result->n_classes, json_array_get_length (array)); c++)
    result->class_counts[c] = (guint) json_array_get_int_element (array, c);
  array = json_object_get_array_member (target, "thresholds");
  for (guint c = 0; array && c < MIN (result->n_classes - 1, json_array_get_length (array)); c++)
    result->thresholds[c] = json_node_get_double (json_array_get_element (array, c));
}

CsPredictResult *
cs_predict_result_load (CsStore  *store,
                        gint64    run_id,
                        GError  **error)
{
  g_autoptr(CsPredictResult) result = NULL;
  g_autoptr(JsonNode) protocol_node = NULL;
  JsonObject *protocol;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CS_IS_STORE (store), NULL);

  stmt = cs_store_prepare (store,
                           "SELECT protocol, seed, summary FROM runs"
                           " WHERE id = ?1 AND task = 'predict' AND parent_id IS NULL", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, run_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        cs_store_set_error (store, error, _("Could not read the comparison"));
      else
        g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND,
                     _("The project has no prediction comparison %" PRId64), run_id);
      return NULL;
    }
  result = g_new0 (CsPredictResult, 1);
  result->run_id = run_id;
  result->models = g_ptr_array_new_with_free_func ((GDestroyNotify) cs_predict_model_result_free);
  result->protocol_json = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  result->seed = (guint64) sqlite3_column_int64 (stmt, 1);
  load_summary (result, (const char *) sqlite3_column_text (stmt, 2));
  sqlite3_reset (stmt);
  protocol = parse_object (result->protocol_json, &protocol_node);
  result->n_folds = protocol && (g_strcmp0 (json_object_get_string_member_with_default (protocol, "name", ""),
                                            "stratified-kfold") == 0 ||
                                 g_strcmp0 (json_object_get_string_member_with_default (protocol, "name", ""),
                                            "kfold") == 0)
                    ? (guint) json_object_get_int_member_with_default (protocol, "folds", 1) : 1;
  result->n_train = g_new0 (guint, result->n_folds);
  result->n_test = g_new0 (guint, result->n_folds);
  if ((result->n_classes == 0 && !result->regression) || result->target_spec == NULL)
    {
      g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_CORRUPT,
                   _("The prediction comparison %" PRId64 " has no readable summary"), run_id);
      return NULL;
    }

  stmt = cs_store_prepare (store,
                           "SELECT id, model, params, status, error, summary FROM runs"
                           " WHERE parent_id = ?1 ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, run_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CsModelSpec spec = { (char *) sqlite3_column_text (stmt, 1), NULL };
      CsPredictModelResult *m = model_result_new (&spec, result->n_folds, result->n_classes);
      const char *error_text = (const char *) sqlite3_column_text (stmt, 4);

      m->run_id = sqlite3_column_int64 (stmt, 0);
      m->params = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      m->status = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      m->error = g_strdup (error_text);
      load_model_summary (m, (const char *) sqlite3_column_text (stmt, 5), result->n_classes);
      if (m->label == NULL)
        m->label = g_strdup (m->name);
      g_ptr_array_add (result->models, m);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      cs_store_set_error (store, error, _("Could not read the comparison"));
      return NULL;
    }
  for (guint i = 0; i < result->models->len; i++)
    if (!load_model_rows (store, result, g_ptr_array_index (result->models, i), error))
      return NULL;
  return g_steal_pointer (&result);
}

/* ---- Per-clip predictions ---------------------------------------------- */

static int
compare_cell (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const CsPredictClip *x = *(CsPredictClip * const *) a;
  const CsPredictClip *y = *(CsPredictClip * const *) b;
  guint p = GPOINTER_TO_UINT (user_data);

  if (x->proba[p] != y->proba[p])
    return x->proba[p] > y->proba[p] ? -1 : 1;
  return (x->clip_id > y->clip_id) - (x->clip_id < y->clip_id);
}

GPtrArray *
cs_predict_model_result_get_cell (const CsPredictModelResult *model,
                                  guint                       truth,
                                  guint                       predicted)
{
  GPtrArray *out = g_ptr_array_new ();

  g_return_val_if_fail (model != NULL, out);

  for (guint i = 0; model->clips != NULL && i < model->clips->len; i++)
    {
      CsPredictClip *clip = g_ptr_array_index (model->clips, i);

      if (clip->truth == truth && clip->predicted == predicted)
        g_ptr_array_add (out, clip);
    }
  g_ptr_array_sort_with_data (out, compare_cell, GUINT_TO_POINTER (predicted));
  return out;
}

CsPredictModelResult *
cs_predict_result_find_model (const CsPredictResult *result,
                              const char            *name)
{
  g_return_val_if_fail (result != NULL, NULL);

  for (guint i = 0; i < result->models->len; i++)
    {
      CsPredictModelResult *m = g_ptr_array_index (result->models, i);

      if (g_strcmp0 (m->name, name) == 0)
        return m;
    }
  return NULL;
}
