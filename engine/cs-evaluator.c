/* cs-evaluator.c
 *
 * A comparison is one parent run (task 'recommend', model NULL) holding the
 * protocol, seed and split summary, with one child run per model holding its
 * parameters, timings and metrics rows (name, k, fold -1).
 *
 * Nothing is written until every model has finished: the rows go in one
 * transaction at the end, so cancelling (or a crash) leaves no half-written
 * comparison and no "cancelled" row behind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cs-error.h"
#include "cs-eval-significance.h"
#include "cs-eval-tuning.h"
#include "cs-evaluator.h"
#include "cs-interactions.h"
#include "cs-memory.h"
#include "cs-metrics.h"
#include "cs-parallel.h"
#include "cs-predict-metrics.h"
#include "cs-protocol.h"
#include "cs-recommender.h"
#include "cs-run-rows.h"
#include "cs-significance.h"

#define MAX_K 10000
#define VIEWERS_PER_CHUNK 32

void
cs_eval_request_clear (CsEvalRequest *request)
{
  if (request == NULL)
    return;
  g_clear_pointer (&request->protocol, g_free);
  g_clear_pointer (&request->models, g_free);
  g_clear_pointer (&request->positives, g_free);
  g_clear_pointer (&request->ks, g_free);
  request->n_ks = 0;
  request->seed = 0;
}

static void
model_result_free (gpointer data)
{
  CsEvalModelResult *model = data;

  g_free (model->name);
  g_free (model->label);
  g_free (model->params);
  g_clear_pointer (&model->metrics, g_hash_table_unref);
  g_free (model->status);
  g_free (model->error);
  g_free (model->tuning);
  g_free (model);
}

static CsEvalModelResult *
model_result_new (void)
{
  CsEvalModelResult *model = g_new0 (CsEvalModelResult, 1);

  model->metrics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  model->peak_rss_mb = NAN;
  return model;
}

static void
model_result_set (CsEvalModelResult *model,
                  const char        *key,
                  double             value)
{
  g_hash_table_replace (model->metrics, g_strdup (key), g_memdup2 (&value, sizeof value));
}

void
cs_eval_result_free (CsEvalResult *result)
{
  if (result == NULL)
    return;
  g_free (result->protocol_json);
  g_clear_pointer (&result->models, g_ptr_array_unref);
  g_free (result->ks);
  g_free (result->curve_ks);
  g_free (result->folds);
  g_clear_pointer (&result->significance, g_hash_table_unref);
  g_free (result);
}

static CsEvalResult *
result_new (void)
{
  CsEvalResult *result = g_new0 (CsEvalResult, 1);

  result->models = g_ptr_array_new_with_free_func (model_result_free);
  result->baseline = -1;
  result->n_folds = 1;
  result->significance = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify) cs_significance_matrix_free);
  return result;
}

/* ---- Intervals and paired tests ----------------------------------------- */

static const char * const statistic_suffixes[] = {
  "lo", "hi", "t", "p", "p_holm", "wilcoxon_p", "wilcoxon_p_holm", "wins", "ties", "losses", NULL
};

const char * const *
cs_eval_get_statistic_suffixes (void)
{
  return statistic_suffixes;
}

static const char * const fold_suffixes[] = { "fold_mean", "sd", "nb_t", "nb_p", NULL };

const char * const *
cs_eval_get_fold_suffixes (void)
{
  return fold_suffixes;
}

static gboolean
has_suffix_in (const char         *key,
               gsize               len,
               const char * const *suffixes)
{
  for (guint i = 0; suffixes[i]; i++)
    {
      gsize n = strlen (suffixes[i]);

      if (len > n + 1 && key[len - n - 1] == '_' && strncmp (key + len - n, suffixes[i], n) == 0)
        return TRUE;
    }
  return FALSE;
}

/* TRUE for "ndcg_lo@10", "ndcg_sd@10", "ndcg@10#2" and the other derived
 * names. */
static gboolean
is_statistic_key (const char *key)
{
  const char *at = strchr (key, '@');
  gsize len = at ? (gsize) (at - key) : strlen (key);

  return strchr (key, '#') != NULL || has_suffix_in (key, len, statistic_suffixes) ||
         has_suffix_in (key, len, fold_suffixes);
}

static void
set_statistic (CsEvalModelResult *model,
               CsMetric           metric,
               guint              k,
               const char        *suffix,
               double             value)
{
  g_autofree char *key = g_strdup_printf ("%s_%s@%u", cs_metric_get_name (metric), suffix, k);

  model_result_set (model, key, value);
}

/* Every per-viewer metric at every K resampled together, so all models and
 * metrics share the viewers drawn (same seed, same slots). */
static void
add_intervals (CsEvalModelResult  *model,
               const CsEvalResult *result,
               const double       *values,
               gint32              n_slots)
{
  guint n_series = result->n_ks * CS_N_METRICS;
  g_autofree const double **series = g_new0 (const double *, n_series);
  g_autofree double *lo = g_new (double, n_series);
  g_autofree double *hi = g_new (double, n_series);
  guint n = 0;

  for (guint ki = 0; ki < result->n_ks; ki++)
    for (guint metric = 0; metric < CS_N_METRICS; metric++)
      if (metric != CS_METRIC_COVERAGE)
        series[n++] = &values[((gsize) ki * CS_N_METRICS + metric) * n_slots];

  cs_bootstrap_mean_ci (series, n, (gsize) n_slots, result->n_bootstrap, CS_BOOTSTRAP_DEFAULT_LEVEL,
                        (guint32) result->seed, lo, hi);

  n = 0;
  for (guint ki = 0; ki < result->n_ks; ki++)
    for (guint metric = 0; metric < CS_N_METRICS; metric++)
      if (metric != CS_METRIC_COVERAGE)
        {
          set_statistic (model, metric, result->ks[ki], "lo", lo[n]);
          set_statistic (model, metric, result->ks[ki], "hi", hi[n]);
          n++;
        }
}

/* Each model that finished against the baseline, per metric and K; Holm's
 * family is the models compared with the baseline for that metric and K. */
static void
add_paired_tests (CsEvalResult  *result,
                  double       **per_viewer,
                  gint32         n_slots)
{
  guint n_models = result->models->len;
  guint b = (guint) result->baseline;
  g_autofree double *p_t = g_new (double, n_models);
  g_autofree double *p_w = g_new (double, n_models);
  g_autofree double *holm_t = g_new (double, n_models);
  g_autofree double *holm_w = g_new (double, n_models);

  for (guint ki = 0; ki < result->n_ks; ki++)
    for (guint metric = 0; metric < CS_N_METRICS; metric++)
      {
        gsize offset = ((gsize) ki * CS_N_METRICS + metric) * n_slots;
        guint k = result->ks[ki];

        if (metric == CS_METRIC_COVERAGE)
          continue;
        for (guint m = 0; m < n_models; m++)
          {
            CsEvalModelResult *model = g_ptr_array_index (result->models, m);
            CsPairedTest test;

            p_t[m] = p_w[m] = NAN;
            if (m == b || per_viewer[m] == NULL)
              continue;
            cs_paired_test (&per_viewer[m][offset], &per_viewer[b][offset], (gsize) n_slots, &test);
            p_t[m] = test.t_p;
            p_w[m] = test.w_p;
            set_statistic (model, metric, k, "t", test.t);
            set_statistic (model, metric, k, "p", test.t_p);
            set_statistic (model, metric, k, "wilcoxon_p", test.w_p);
            set_statistic (model, metric, k, "wins", test.wins);
            set_statistic (model, metric, k, "ties", test.ties);
            set_statistic (model, metric, k, "losses", test.losses);
          }
        cs_holm_adjust (p_t, n_models, holm_t);
        cs_holm_adjust (p_w, n_models, holm_w);
        for (guint m = 0; m < n_models; m++)
          if (m != b && per_viewer[m] != NULL)
            {
              set_statistic (g_ptr_array_index (result->models, m), metric, k, "p_holm", holm_t[m]);
              set_statistic (g_ptr_array_index (result->models, m), metric, k, "wilcoxon_p_holm", holm_w[m]);
            }
      }
}

static const guint curve_ks[] = { 1, 2, 3, 5, 10, 15, 20, 30, 40, 50 };

const guint *
cs_eval_get_curve_ks (guint *n_ks)
{
  if (n_ks != NULL)
    *n_ks = G_N_ELEMENTS (curve_ks);
  return curve_ks;
}

double
cs_eval_model_result_get (const CsEvalModelResult *model,
                          const char              *metric)
{
  const double *value;

  g_return_val_if_fail (model != NULL, NAN);
  g_return_val_if_fail (metric != NULL, NAN);

  value = g_hash_table_lookup (model->metrics, metric);
  return value ? *value : NAN;
}

static int
compare_uint (const void *a,
              const void *b)
{
  guint x = *(const guint *) a;
  guint y = *(const guint *) b;

  return (x > y) - (x < y);
}

/* Sorted, unique copy. */
static guint
normalize_ks (const guint *in,
              guint        n_in,
              guint      **out)
{
  guint *ks = g_memdup2 (in, sizeof (guint) * n_in);
  guint n = 0;

  qsort (ks, n_in, sizeof (guint), compare_uint);
  for (guint i = 0; i < n_in; i++)
    if (n == 0 || ks[n - 1] != ks[i])
      ks[n++] = ks[i];
  *out = ks;
  return n;
}

gboolean
cs_eval_parse_ks (const char  *spec,
                  guint      **ks,
                  guint       *n_ks,
                  GError     **error)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (guint));

  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (ks != NULL && n_ks != NULL, FALSE);

  parts = g_strsplit (spec, ",", -1);
  for (guint i = 0; parts[i]; i++)
    {
      const char *text = g_strstrip (parts[i]);
      guint64 v = 0;
      guint k;

      if (*text == '\0')
        continue;
      if (!g_ascii_string_to_unsigned (text, 10, 1, MAX_K, &v, NULL))
        {
          g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                       _("Each K must be a whole number from 1 to %d, as in “10,20” (got “%s”)"),
                       MAX_K, text);
          return FALSE;
        }
      k = (guint) v;
      g_array_append_val (values, k);
    }
  if (values->len == 0)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                   _("No cut-off K given; write one or more, as in “10,20”"));
      return FALSE;
    }

  *n_ks = normalize_ks ((guint *) (void *) values->data, values->len, ks);
  return TRUE;
}

/* ---- Scoring ------------------------------------------------------------ */

typedef struct
{
  CsRecommender        *model;
  const CsSplit        *split;
  CsMetricsAccumulator *acc;
  guint                 max_k;
  float               **scratch;   /* per worker, CS_RECOMMENDER_MAX_BATCH × n_clips */
  gint32              **lists;     /* per worker, CS_RECOMMENDER_MAX_BATCH × max_k */
  gint                  done;      /* atomic */
  CsProgressFunc        progress;
  gpointer              progress_data;
  double                base, span;
  const char           *message;
  gint64                last_report;
} ScoreData;

static void
score_viewers (gint64   start,
               gint64   end,
               guint    worker,
               gpointer user_data)
{
  ScoreData *data = user_data;
  const CsCsr *test = data->split->test;

  /* A few viewers per model call, which lets factor models read their
   * clip factors once for all of them. */
  for (gint64 s = start; s < end; s += CS_RECOMMENDER_MAX_BATCH)
    {
      guint batch = (guint) MIN (end - s, CS_RECOMMENDER_MAX_BATCH);
      guint n[CS_RECOMMENDER_MAX_BATCH];

      cs_recommender_recommend_many (data->model, &data->split->test_viewers[s], batch, data->max_k,
                                     data->scratch[worker], data->lists[worker], n);
      for (guint i = 0; i < batch; i++)
        {
          gint32 v = data->split->test_viewers[s + i];

          cs_metrics_accumulator_add (data->acc, (gint32) (s + i), &data->lists[worker][i * data->max_k],
                                      n[i], &test->col_idx[test->row_ptr[v]],
                                      (guint) cs_csr_row_length (test, v));
        }
    }

  g_atomic_int_add (&data->done, (gint) (end - start));
  if (worker == 0 && data->progress)
    {
      gint64 now = g_get_monotonic_time ();

      if (now - data->last_report >= G_USEC_PER_SEC / 20)
        {
          double f = (double) g_atomic_int_get (&data->done) / MAX (data->split->n_test_viewers, 1);

          data->last_report = now;
          data->progress (data->base + data->span * f, data->message, data->progress_data);
        }
    }
}

/* Returns FALSE only when cancelled. */
static gboolean
score_model (CsRecommender         *model,
             const CsSplit         *split,
             CsMetricsAccumulator  *acc,
             CsProgressFunc         progress,
             gpointer               progress_data,
             double                 base,
             double                 span,
             GCancellable          *cancellable)
{
  ScoreData data = { 0 };
  g_autofree char *message = NULL;
  gint32 n_clips = split->train->n_cols;
  guint n_workers = cs_parallel_get_n_workers (split->n_test_viewers, VIEWERS_PER_CHUNK);
  gboolean ok;

  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Scoring %d viewer", "Scoring %d viewers",
                                          split->n_test_viewers),
                             split->n_test_viewers);
  if (progress)
    progress (base, message, progress_data);

  data.model = model;
  data.split = split;
  data.acc = acc;
  data.max_k = cs_metrics_accumulator_get_max_k (acc);
  data.scratch = g_new0 (float *, n_workers);
  data.lists = g_new0 (gint32 *, n_workers);
  for (guint w = 0; w < n_workers; w++)
    {
      data.scratch[w] = g_new (float, (gsize) CS_RECOMMENDER_MAX_BATCH * MAX (n_clips, 1));
      data.lists[w] = g_new (gint32, (gsize) CS_RECOMMENDER_MAX_BATCH * data.max_k);
    }
  data.progress = progress;
  data.progress_data = progress_data;
  data.base = base;
  data.span = span;
  data.message = message;
  data.last_report = g_get_monotonic_time ();

  ok = cs_parallel_for (split->n_test_viewers, VIEWERS_PER_CHUNK, score_viewers, &data, cancellable);

  for (guint w = 0; w < n_workers; w++)
    {
      g_free (data.scratch[w]);
      g_free (data.lists[w]);
    }
  g_free (data.scratch);
  g_free (data.lists);
  return ok;
}

gboolean
cs_evaluator_score_split (CsRecommender        *model,
                          const CsSplit        *split,
                          CsMetricsAccumulator *acc,
                          GCancellable         *cancellable)
{
  g_return_val_if_fail (CS_IS_RECOMMENDER (model), FALSE);
  g_return_val_if_fail (split != NULL && acc != NULL, FALSE);

  return score_model (model, split, acc, NULL, NULL, 0, 1, cancellable);
}

typedef struct
{
  CsProgressFunc progress;
  gpointer       progress_data;
  double         base, span;
  const char    *message;
} FitProgress;

static void
fit_progress_cb (double      fraction,
                 const char *message,
                 gpointer    user_data)
{
  FitProgress *fp = user_data;

  fp->progress (fp->base + fp->span * CLAMP (fraction, 0, 1), fp->message, fp->progress_data);
}

/* Keeps the tuning's own messages, which name the setting tried. */
static void
tune_progress_cb (double      fraction,
                  const char *message,
                  gpointer    user_data)
{
  FitProgress *fp = user_data;

  fp->progress (fp->base + fp->span * CLAMP (fraction, 0, 1), message ? message : fp->message,
                fp->progress_data);
}

/* With request->tune, picks @model's settings on a validation split of
 * @split's training pairs (made once per fold in *@validation, from the
 * training matrix only) and sets them; appends the tuning to @tunings.
 * TRUE with nothing done for a model without a grid. */
static gboolean
tune_model (CsRecommender         *model,
            const CsSplit         *split,
            const CsInteractions  *ia,
            CsEvalTuningCut        cut,
            guint64                seed,
            guint                  k,
            CsSplit              **validation,
            GPtrArray             *tunings,
            FitProgress           *fp,
            GCancellable          *cancellable,
            GError               **error)
{
  const char *grid = cs_eval_tuning_get_grid (cs_recommender_get_name (model));
  g_autoptr(CsEvalTuning) tuning = NULL;
  gint64 t0 = g_get_monotonic_time ();

  if (grid == NULL)
    return TRUE;
  if (*validation == NULL)
    *validation = cs_eval_tuning_split (split->train, ia, cut, seed);
  tuning = cs_eval_tuning_run (model, grid, *validation, k, fp->progress ? tune_progress_cb : NULL, fp,
                               cancellable, error);
  if (tuning == NULL ||
      !cs_eval_tuning_apply (model, g_ptr_array_index (tuning->points, tuning->chosen), error))
    return FALSE;
  tuning->seconds = (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC;
  g_ptr_array_add (tunings, g_steal_pointer (&tuning));
  return TRUE;
}

/* The chosen settings (under k-fold the mode over the folds) as the
 * model's params and label, and the tuning record. */
static gboolean
finish_tuning (CsEvalModelResult  *mr,
               GPtrArray          *tunings,
               CsEvalTuningCut     cut,
               GError            **error)
{
  CsEvalTuning **all = (CsEvalTuning **) tunings->pdata;
  g_autoptr(CsRecommender) chosen = cs_recommender_new_from_json (mr->name, mr->params, error);

  if (chosen == NULL ||
      !cs_eval_tuning_apply (chosen, g_ptr_array_index (all[0]->points, cs_eval_tuning_mode (all, tunings->len)),
                             error))
    return FALSE;
  g_free (mr->params);
  g_free (mr->label);
  mr->params = cs_recommender_get_params_json (chosen);
  mr->label = cs_recommender_get_label (chosen);
  mr->tuning = cs_eval_tuning_to_json (all, tunings->len, cut);
  return TRUE;
}

/* ---- JSON helpers ------------------------------------------------------- */

static char *
builder_to_text (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static void
add_raw_json (JsonBuilder *builder,
              const char  *text)
{
  g_autoptr(JsonNode) node = text ? json_from_string (text, NULL) : NULL;

  if (node != NULL)
    json_builder_add_value (builder, g_steal_pointer (&node));
  else
    {
      json_builder_begin_object (builder);
      json_builder_end_object (builder);
    }
}

static void
add_number (JsonBuilder *builder,
            double       value)
{
  if (isfinite (value))
    json_builder_add_double_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* The split's sizes and cut-offs, shared by the stored summary and the
 * evaluate JSON. */
static void
add_counts (JsonBuilder        *b,
            const CsEvalResult *result)
{
  json_builder_set_member_name (b, "train_pairs");
  json_builder_add_int_value (b, result->train_pairs);
  json_builder_set_member_name (b, "test_pairs");
  json_builder_add_int_value (b, result->test_pairs);
  json_builder_set_member_name (b, "test_viewers");
  json_builder_add_int_value (b, result->test_viewers);
  json_builder_set_member_name (b, "n_viewers");
  json_builder_add_int_value (b, result->n_viewers);
  json_builder_set_member_name (b, "n_clips");
  json_builder_add_int_value (b, result->n_clips);
}

static void
add_ks (JsonBuilder        *b,
        const CsEvalResult *result)
{
  json_builder_set_member_name (b, "ks");
  json_builder_begin_array (b);
  for (guint i = 0; i < result->n_ks; i++)
    json_builder_add_int_value (b, result->ks[i]);
  json_builder_end_array (b);
}

/* "n_folds" and "folds": [{"train_pairs", "test_pairs", "test_viewers",
 * "dropped_cold_clip"}, …], under k-fold only. */
static void
add_folds (JsonBuilder        *b,
           const CsEvalResult *result)
{
  if (result->folds == NULL)
    return;
  json_builder_set_member_name (b, "n_folds");
  json_builder_add_int_value (b, result->n_folds);
  json_builder_set_member_name (b, "folds");
  json_builder_begin_array (b);
  for (guint f = 0; f < result->n_folds; f++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "train_pairs");
      json_builder_add_int_value (b, result->folds[f].train_pairs);
      json_builder_set_member_name (b, "test_pairs");
      json_builder_add_int_value (b, result->folds[f].test_pairs);
      json_builder_set_member_name (b, "test_viewers");
      json_builder_add_int_value (b, result->folds[f].test_viewers);
      json_builder_set_member_name (b, "dropped_cold_clip");
      json_builder_add_int_value (b, result->folds[f].dropped_cold_clip);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/* The dropped counts are summed over the folds. */
static char *
summary_json (const CsEvalResult   *result,
              gsize                 n_pairs,
              gint64                dropped_cold_viewer,
              gint64                dropped_cold_clip,
              gint64                dropped_seen,
              const char           *models)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_counts (b, result);
  json_builder_set_member_name (b, "n_pairs");
  json_builder_add_int_value (b, (gint64) n_pairs);
  json_builder_set_member_name (b, "dropped_cold_viewer");
  json_builder_add_int_value (b, dropped_cold_viewer);
  json_builder_set_member_name (b, "dropped_cold_clip");
  json_builder_add_int_value (b, dropped_cold_clip);
  json_builder_set_member_name (b, "dropped_seen");
  json_builder_add_int_value (b, dropped_seen);
  add_folds (b, result);
  add_ks (b, result);
  if (result->n_curve_ks > 0)
    {
      json_builder_set_member_name (b, "curve_ks");
      json_builder_begin_array (b);
      for (guint i = 0; i < result->n_curve_ks; i++)
        json_builder_add_int_value (b, result->curve_ks[i]);
      json_builder_end_array (b);
    }
  json_builder_set_member_name (b, "models");
  json_builder_add_string_value (b, models);
  json_builder_set_member_name (b, "baseline");
  json_builder_add_int_value (b, result->baseline);
  json_builder_set_member_name (b, "n_bootstrap");
  json_builder_add_int_value (b, result->n_bootstrap);
  json_builder_end_object (b);
  return builder_to_text (b);
}

static char *
child_summary_json (const CsEvalModelResult *model)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "label");
  json_builder_add_string_value (b, model->label);
  if (isfinite (model->peak_rss_mb))
    {
      json_builder_set_member_name (b, "peak_rss_mb");
      json_builder_add_double_value (b, model->peak_rss_mb);
    }
  if (model->tuning != NULL)
    {
      json_builder_set_member_name (b, "tuning");
      add_raw_json (b, model->tuning);
    }
  json_builder_end_object (b);
  return builder_to_text (b);
}

/* ---- Storing ------------------------------------------------------------ */

static gboolean
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every "name@k" entry of the model (means, intervals, tests) as a
 * metrics row (fold -1), and every "name@k#f" as a row of fold f; sorted. */
static gboolean
store_metrics (CsStore            *store,
               CsEvalModelResult  *model,
               GError            **error)
{
  g_autofree gpointer *keys = NULL;
  guint n_keys = 0;

  keys = g_hash_table_get_keys_as_array (model->metrics, &n_keys);
  qsort (keys, n_keys, sizeof (gpointer), compare_strings);
  for (guint i = 0; i < n_keys; i++)
    {
      const char *key = keys[i];
      const char *at = strchr (key, '@');
      const char *hash = strchr (key, '#');
      g_autofree char *name = g_strndup (key, at ? (gsize) (at - key) : strlen (key));

      if (!cs_run_rows_insert_metric (store, model->run_id, name, at ? atoi (at + 1) : 0,
                                      hash ? atoi (hash + 1) : -1,
                                      cs_eval_model_result_get (model, key), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
store_result (CsStore       *store,
              CsEvalResult  *result,
              GPtrArray     *states,   /* GBytes* or NULL per model */
              const char    *summary,
              gint64         started_at,
              GError       **error)
{
  gint64 finished_at = g_get_real_time () / G_USEC_PER_SEC;
  CsRunRow parent = {
    0, "recommend", NULL, NULL, result->protocol_json, result->seed, "done", NULL,
    NAN, NAN, summary, started_at, finished_at,
  };

  if (!cs_store_begin (store, error))
    return FALSE;

  result->run_id = cs_run_rows_insert_run (store, &parent, error);
  if (result->run_id == 0)
    goto fail;

  for (guint m = 0; m < result->models->len; m++)
    {
      CsEvalModelResult *model = g_ptr_array_index (result->models, m);
      g_autofree char *child_summary = child_summary_json (model);
      gboolean failed = g_strcmp0 (model->status, "done") != 0;
      CsRunRow child = {
        result->run_id, "recommend", model->name, model->params, result->protocol_json, result->seed,
        model->status, model->error, model->fit_s, failed ? NAN : model->score_s, child_summary,
        started_at, finished_at,
      };

      model->run_id = cs_run_rows_insert_run (store, &child, error);
      if (model->run_id == 0)
        goto fail;

      if (!failed && !store_metrics (store, model, error))
        goto fail;
      if (states->pdata[m] != NULL &&
          !cs_recommender_store_state (store, model->run_id, states->pdata[m], error))
        goto fail;
    }
  if (!cs_eval_significance_store (store, result, error))
    goto fail;

  if (!cs_store_commit (store, error))
    goto fail;
  return TRUE;

fail:
  cs_store_rollback (store);
  result->run_id = 0;
  for (guint m = 0; m < result->models->len; m++)
    ((CsEvalModelResult *) g_ptr_array_index (result->models, m))->run_id = 0;
  return FALSE;
}

/* ---- Folds -------------------------------------------------------------- */

/* One model's values while the folds run. */
typedef struct
{
  double *sum;          /* [all K][metric][viewer]: per-viewer values summed over folds */
  double *fold_values;  /* [fold][all K][metric]: each fold's means (coverage included) */
} ModelFolds;

static void
model_folds_clear (gpointer data)
{
  ModelFolds *state = data;

  g_clear_pointer (&state->sum, g_free);
  g_clear_pointer (&state->fold_values, g_free);
}

static void
note_split (CsEvalResult  *result,
            guint          fold,
            const CsSplit *split,
            gint32        *n_tested)
{
  for (gint32 s = 0; s < split->n_test_viewers; s++)
    n_tested[split->test_viewers[s]]++;

  result->test_pairs += split->test_pairs;
  if (result->folds == NULL)
    {
      result->train_pairs = split->train_pairs;
      return;
    }
  result->folds[fold].train_pairs = split->train_pairs;
  result->folds[fold].test_pairs = split->test_pairs;
  result->folds[fold].test_viewers = split->n_test_viewers;
  result->folds[fold].dropped_cold_clip = split->dropped_cold_clip;
  /* Mean over the folds once the last one is in. */
  if (fold + 1 == result->n_folds)
    {
      double sum = 0;

      for (guint f = 0; f < result->n_folds; f++)
        sum += (double) result->folds[f].train_pairs;
      result->train_pairs = llround (sum / result->n_folds);
    }
}

static gint32 *
pooled_viewers (const gint32 *n_tested,
                gint32        n_viewers,
                gint32       *n_slots)
{
  g_autoptr(GArray) viewers = g_array_new (FALSE, FALSE, sizeof (gint32));

  for (gint32 v = 0; v < n_viewers; v++)
    if (n_tested[v] > 0)
      g_array_append_val (viewers, v);
  *n_slots = (gint32) viewers->len;
  return (gint32 *) (void *) g_array_free (g_steal_pointer (&viewers), FALSE);
}

/* Adds one fold's scores of a model to its running state. */
static void
pool_fold (ModelFolds           *state,
           CsMetricsAccumulator *acc,
           const CsSplit        *split,
           guint                 fold,
           guint                 n_all_ks,
           gint32                n_viewers)
{
  if (state->sum == NULL)
    state->sum = g_new0 (double, (gsize) n_all_ks * CS_N_METRICS * n_viewers);

  for (guint ki = 0; ki < n_all_ks; ki++)
    for (guint metric = 0; metric < CS_N_METRICS; metric++)
      {
        double *sum = &state->sum[((gsize) ki * CS_N_METRICS + metric) * n_viewers];
        const double *values;
        gint32 n = 0;

        state->fold_values[((gsize) fold * n_all_ks + ki) * CS_N_METRICS + metric] =
          cs_metrics_accumulator_get_mean (acc, metric, ki);
        if (metric == CS_METRIC_COVERAGE)
          continue;
        values = cs_metrics_accumulator_get_values (acc, metric, ki, &n);
        for (gint32 s = 0; s < MIN (n, split->n_test_viewers); s++)
          sum[split->test_viewers[s]] += values[s];
      }
}

static void
mean_sd (const double *values,
         gsize         stride,
         guint         n,
         double       *mean,
         double       *sd)
{
  double m = 0, ss = 0;

  for (guint i = 0; i < n; i++)
    m += values[i * stride] / n;
  for (guint i = 0; i < n; i++)
    ss += (values[i * stride] - m) * (values[i * stride] - m);
  *mean = m;
  *sd = n > 1 ? sqrt (ss / (n - 1)) : NAN;
}

/* Sets the model's means (and under k-fold its fold values, their mean and
 * sd) and returns its per-viewer values at the cut-offs asked for,
 * [K][metric][slot] as add_intervals() reads them. Frees the sums. */
static double *
finish_model (CsEvalModelResult  *mr,
              ModelFolds         *state,
              const CsEvalResult *result,
              const guint        *acc_kis,
              const guint        *all_ks,
              guint               n_all_ks,
              const gint32       *n_tested,
              gint32              n_viewers,
              const gint32       *slot_viewers,
              gint32              n_slots)
{
  guint n_folds = result->n_folds;
  double *values = g_new0 (double, (gsize) result->n_ks * CS_N_METRICS * n_slots);
  gsize fold_stride = (gsize) n_all_ks * CS_N_METRICS;

  for (guint ki = 0; ki < n_all_ks; ki++)
    for (guint metric = 0; metric < CS_N_METRICS; metric++)
      {
        g_autofree char *key = g_strdup_printf ("%s@%u", cs_metric_get_name (metric), all_ks[ki]);
        const double *sum = &state->sum[((gsize) ki * CS_N_METRICS + metric) * n_viewers];
        double mean = 0, sd;

        if (n_folds == 1 || metric == CS_METRIC_COVERAGE)
          mean_sd (&state->fold_values[(gsize) ki * CS_N_METRICS + metric], fold_stride, n_folds, &mean, &sd);
        else
          for (gint32 s = 0; s < n_slots; s++)
            mean += sum[slot_viewers[s]] / n_tested[slot_viewers[s]] / n_slots;
        model_result_set (mr, key, mean);
      }

  for (guint ki = 0; ki < result->n_ks; ki++)
    for (guint metric = 0; metric < CS_N_METRICS; metric++)
      {
        const double *sum = &state->sum[((gsize) acc_kis[ki] * CS_N_METRICS + metric) * n_viewers];
        const double *folds = &state->fold_values[(gsize) acc_kis[ki] * CS_N_METRICS + metric];
        const char *name = cs_metric_get_name (metric);
        guint k = result->ks[ki];
        double mean, sd;

        if (metric != CS_METRIC_COVERAGE)
          for (gint32 s = 0; s < n_slots; s++)
            values[((gsize) ki * CS_N_METRICS + metric) * n_slots + s] =
              sum[slot_viewers[s]] / n_tested[slot_viewers[s]];
        if (n_folds == 1)
          continue;
        for (guint f = 0; f < n_folds; f++)
          {
            g_autofree char *key = g_strdup_printf ("%s@%u#%u", name, k, f);

            model_result_set (mr, key, folds[f * fold_stride]);
          }
        mean_sd (folds, fold_stride, n_folds, &mean, &sd);
        set_statistic (mr, metric, k, "fold_mean", mean);
        set_statistic (mr, metric, k, "sd", sd);
      }
  g_clear_pointer (&state->sum, g_free);
  return values;
}

/* The corrected resampled t-test of every finished model's fold values
 * against the baseline's, per metric and K. */
static void
add_fold_tests (CsEvalResult     *result,
                const ModelFolds *state)
{
  guint b = (guint) result->baseline;
  guint n_folds = result->n_folds;
  gsize fold_stride;
  g_autofree double *x = g_new (double, n_folds);
  g_autofree double *y = g_new (double, n_folds);
  guint n_all_ks = result->n_curve_ks > 0 ? result->n_curve_ks : result->n_ks;
  const guint *all_ks = result->n_curve_ks > 0 ? result->curve_ks : result->ks;
  double ratio = 0;

  fold_stride = (gsize) n_all_ks * CS_N_METRICS;
  for (guint f = 0; f < n_folds; f++)
    ratio += (double) result->folds[f].test_pairs / MAX (result->folds[f].train_pairs, 1) / n_folds;

  for (guint m = 0; m < result->models->len; m++)
    {
      CsEvalModelResult *model = g_ptr_array_index (result->models, m);

      if (m == b || g_strcmp0 (model->status, "done") != 0)
        continue;
      for (guint ki = 0, ai = 0; ki < result->n_ks; ki++)
        {
          while (all_ks[ai] != result->ks[ki])
            ai++;
          for (guint metric = 0; metric < CS_N_METRICS; metric++)
            {
              double t, p;

              for (guint f = 0; f < n_folds; f++)
                {
                  x[f] = state[m].fold_values[f * fold_stride + (gsize) ai * CS_N_METRICS + metric];
                  y[f] = state[b].fold_values[f * fold_stride + (gsize) ai * CS_N_METRICS + metric];
                }
              p = cs_corrected_t_test (x, y, n_folds, ratio, &t);
              set_statistic (model, metric, result->ks[ki], "nb_t", t);
              set_statistic (model, metric, result->ks[ki], "nb_p", p);
            }
        }
    }
}

/* ---- Running ------------------------------------------------------------ */

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

CsEvalResult *
cs_evaluator_run (CsStore              *store,
                  const CsEvalRequest  *request,
                  CsProgressFunc        progress,
                  gpointer              progress_data,
                  GCancellable         *cancellable,
                  GError              **error)
{
  g_autoptr(CsEvalResult) result = NULL;
  g_autoptr(CsProtocol) protocol = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(CsInteractions) ia = NULL;
  g_autoptr(GPtrArray) per_viewer = NULL;   /* per model: finish_model() or NULL */
  g_autofree gint32 *n_tested = NULL;       /* per viewer: folds that test it */
  g_autofree gint32 *slot_viewers = NULL;   /* the viewers tested at all, ascending */
  g_autoptr(GArray) states = NULL;          /* ModelFolds per model */
  g_autoptr(GPtrArray) kept = NULL;         /* per model: its trained state (first fold) or NULL */
  g_autoptr(CsClipContent) content = NULL;
  g_autoptr(GPtrArray) tunings = NULL;      /* per model: CsEvalTuning* per fold */
  CsEvalTuningCut cut;
  ModelFolds *state;
  gint32 n_slots = 0;
  guint n_folds;
  gint64 dropped_cold_viewer = 0, dropped_cold_clip = 0, dropped_seen = 0;
  g_autofree char *positives = NULL;
  g_autofree char *summary = NULL;
  g_autofree guint *acc_kis = NULL;       /* index in all_ks of each K asked for */
  const guint *all_ks;
  guint n_all_ks;
  const char *model_spec;
  gint64 started_at = g_get_real_time () / G_USEC_PER_SEC;
  gint64 t_phase;

  g_return_val_if_fail (CS_IS_STORE (store), NULL);
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  /* Every bad setting is reported before any heavy work starts. */
  protocol = cs_protocol_parse (request->protocol ? request->protocol : "temporal", error);
  if (protocol == NULL)
    return NULL;
  positives = cs_positive_rule_normalize (request->positives, error);
  if (positives == NULL)
    return NULL;
  model_spec = request->models ? request->models : "pop;itemknn";
  models = cs_recommender_parse_models (model_spec, error);
  if (models == NULL)
    return NULL;

  if (request->baseline >= models->len)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The baseline must be one of the %u model compared (got number %u)",
                                "The baseline must be one of the %u models compared (got number %u)",
                                models->len),
                   models->len, request->baseline + 1);
      return NULL;
    }

  result = result_new ();
  result->seed = request->seed;
  result->n_bootstrap = request->n_bootstrap > 0 ? request->n_bootstrap : CS_BOOTSTRAP_DEFAULT_RESAMPLES;
  if (request->n_ks > 0)
    {
      for (guint i = 0; i < request->n_ks; i++)
        if (request->ks[i] == 0 || request->ks[i] > MAX_K)
          {
            g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                         _("Each K must be a whole number from 1 to %d (got %u)"),
                         MAX_K, request->ks[i]);
            return NULL;
          }
      result->n_ks = normalize_ks (request->ks, request->n_ks, &result->ks);
    }
  else
    {
      static const guint default_ks[] = { 10 };

      result->n_ks = normalize_ks (default_ks, G_N_ELEMENTS (default_ks), &result->ks);
    }
  /* The curve's cut-offs get means only; the intervals and tests, which cost
   * n_bootstrap resamples per series, stay at the cut-offs asked for. */
  if (request->curve)
    {
      g_autofree guint *all = g_new (guint, G_N_ELEMENTS (curve_ks) + result->n_ks);

      memcpy (all, curve_ks, sizeof curve_ks);
      memcpy (all + G_N_ELEMENTS (curve_ks), result->ks, sizeof (guint) * result->n_ks);
      result->n_curve_ks = normalize_ks (all, G_N_ELEMENTS (curve_ks) + result->n_ks, &result->curve_ks);
    }
  all_ks = result->n_curve_ks > 0 ? result->curve_ks : result->ks;
  n_all_ks = result->n_curve_ks > 0 ? result->n_curve_ks : result->n_ks;
  acc_kis = g_new (guint, result->n_ks);
  for (guint ki = 0, ai = 0; ki < result->n_ks; ki++)
    {
      while (all_ks[ai] != result->ks[ki])
        ai++;
      acc_kis[ki] = ai;
    }

  if (progress)
    progress (0.0, _("Reading interactions"), progress_data);
  t_phase = g_get_monotonic_time ();
  ia = cs_interactions_load (store, positives, cancellable, error);
  if (ia == NULL)
    return NULL;
  g_debug ("Read %" G_GSIZE_FORMAT " pairs (%d viewers, %d clips) in %.3f s",
           ia->n_pairs, ia->n_viewers, ia->n_clips, seconds_since (t_phase));

  if (ia->n_pairs == 0)
    {
      if (g_strcmp0 (positives, CS_POSITIVES_DEFAULT) == 0)
        g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                     _("This project has no view events to learn from: import an event log "
                       "(one row per viewer, clip and time) first"));
      else
        g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                     _("No events count as positives under the rule “%s”: choose another rule "
                       "or import an event log that has such events"), positives);
      return NULL;
    }

  n_folds = cs_protocol_get_n_folds (protocol);
  result->protocol_json = cs_protocol_to_json (protocol, positives);
  result->n_viewers = ia->n_viewers;
  result->n_clips = ia->n_clips;
  result->n_folds = n_folds;
  if (n_folds > 1)
    result->folds = g_new0 (CsEvalFold, n_folds);
  n_tested = g_new0 (gint32, MAX (ia->n_viewers, 1));
  states = g_array_sized_new (FALSE, TRUE, sizeof (ModelFolds), models->len);
  g_array_set_clear_func (states, model_folds_clear);
  g_array_set_size (states, models->len);
  state = (ModelFolds *) (void *) states->data;
  per_viewer = g_ptr_array_new_full (models->len, g_free);
  kept = g_ptr_array_new_full (models->len, (GDestroyNotify) g_bytes_unref);
  tunings = g_ptr_array_new_full (models->len, (GDestroyNotify) g_ptr_array_unref);
  cut = cs_eval_tuning_cut_for (protocol);

  /* Side information for the models that use the clips' text and features,
   * read once for all of them and every fold. */
  for (guint m = 0; m < models->len; m++)
    if (cs_recommender_needs_clip_content (g_ptr_array_index (models, m)) && content == NULL)
      {
        content = cs_clip_content_load (store, ia->clip_rowids, (guint) ia->n_clips, cancellable, error);
        if (content == NULL)
          return NULL;
      }

  for (guint m = 0; m < models->len; m++)
    {
      CsRecommender *model = g_ptr_array_index (models, m);
      CsEvalModelResult *mr = model_result_new ();

      g_ptr_array_add (result->models, mr);
      g_ptr_array_add (per_viewer, NULL);
      g_ptr_array_add (kept, NULL);
      g_ptr_array_add (tunings, g_ptr_array_new_with_free_func ((GDestroyNotify) cs_eval_tuning_free));
      mr->name = g_strdup (cs_recommender_get_name (model));
      mr->label = cs_recommender_get_label (model);
      mr->params = cs_recommender_get_params_json (model);
      state[m].fold_values = g_new (double, (gsize) n_folds * n_all_ks * CS_N_METRICS);
    }

  for (guint f = 0; f < n_folds; f++)
    {
      g_autoptr(CsSplit) split = NULL;
      g_autoptr(CsSplit) validation = NULL;   /* cut from split->train when tuning */
      g_autoptr(GPtrArray) fold_models = NULL;
      double fold_base = 0.1 + 0.9 * f / n_folds;

      if (progress)
        {
          g_autofree char *message = n_folds > 1
            ? g_strdup_printf (_("Splitting fold %u of %u into training and test interactions"), f + 1, n_folds)
            : g_strdup (_("Splitting into training and test interactions"));

          progress (n_folds > 1 ? fold_base : 0.05, message, progress_data);
        }
      t_phase = g_get_monotonic_time ();
      split = cs_protocol_split (protocol, ia, f, cancellable, error);
      if (split == NULL)
        return NULL;
      g_debug ("Split fold %u in %.3f s", f, seconds_since (t_phase));

      if (split->n_test_viewers == 0)
        {
          g_autofree char *n_pairs = g_strdup_printf ("%" G_GSIZE_FORMAT, ia->n_pairs);
          g_autofree char *label = cs_protocol_get_label (protocol);

          if (n_folds > 1)
            g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                         _("Too little data for the evaluation “%s”: fold %u has no viewer left to test "
                           "(%s interactions of %d viewers). Use fewer folds, or import a longer event "
                           "log with viewers who watched several clips"),
                         label, f + 1, n_pairs, ia->n_viewers);
          else
            g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                         _("Too little data for the evaluation “%s”: after the split no viewer has a clip left to "
                           "test on (%s interactions of %d viewers). Import a longer event log, "
                           "with viewers who watched several clips"),
                         label, n_pairs, ia->n_viewers);
          return NULL;
        }

      note_split (result, f, split, n_tested);
      dropped_cold_viewer += split->dropped_cold_viewer;
      dropped_cold_clip += split->dropped_cold_clip;
      dropped_seen += split->dropped_seen;
      if (f + 1 == n_folds)
        {
          /* Every fold's viewers are known: the slots of the pooled values. */
          slot_viewers = pooled_viewers (n_tested, ia->n_viewers, &n_slots);
          result->test_viewers = n_slots;
        }

      /* Fresh, unfitted models for every fold. */
      fold_models = f == 0 ? g_ptr_array_ref (models) : cs_recommender_parse_models (model_spec, error);
      if (fold_models == NULL)
        return NULL;
      for (guint m = 0; m < fold_models->len; m++)
        if (cs_recommender_needs_clip_content (g_ptr_array_index (fold_models, m)))
          cs_recommender_set_clip_content (g_ptr_array_index (fold_models, m), content);

      for (guint m = 0; m < fold_models->len; m++)
        {
          CsRecommender *model = g_ptr_array_index (fold_models, m);
          CsEvalModelResult *mr = g_ptr_array_index (result->models, m);
          g_autoptr(CsMetricsAccumulator) acc = NULL;
          g_autoptr(GError) fit_error = NULL;
          g_autofree char *message = NULL;
          double base = fold_base + 0.9 * m / (models->len * n_folds);
          double span = 0.9 / (models->len * n_folds);
          FitProgress fp;
          gboolean peak_known;
          gboolean tuned, fit_ok;
          gint64 t0;

          if (g_strcmp0 (mr->status, "failed") == 0)
            continue;

          if (n_folds > 1)
            /* Translators: %s is a model name such as ItemKNN, then the fold
             * number and the number of folds. */
            message = g_strdup_printf (_("Training %s, fold %u of %u"),
                                       cs_recommender_get_display_name (model), f + 1, n_folds);
          else
            /* Translators: %s is a model name such as ItemKNN. */
            message = g_strdup_printf (_("Training %s"), cs_recommender_get_display_name (model));
          fp.progress = progress;
          fp.progress_data = progress_data;
          fp.base = base;
          fp.span = span / 2;
          fp.message = message;
          if (progress)
            progress (base, message, progress_data);

          /* Models run one after the other: the process's peak from here
           * to the end of the scoring is this model's. */
          peak_known = cs_memory_reset_peak ();
          /* A tuned model's grid gets the first half of its share. */
          tuned = request->tune && cs_eval_tuning_get_grid (cs_recommender_get_name (model)) != NULL;
          fit_ok = TRUE;
          if (tuned)
            {
              fp.span = span / 2;
              fit_ok = tune_model (model, split, ia, cut, request->seed, result->ks[0], &validation,
                                   tunings->pdata[m], &fp, cancellable, &fit_error);
              base += span / 2;
              span /= 2;
              fp.base = base;
              fp.span = span / 2;
            }
          t0 = g_get_monotonic_time ();
          if (!fit_ok ||
              !cs_recommender_fit (model, split->train, progress ? fit_progress_cb : NULL, &fp,
                                   cancellable, &fit_error))
            {
              mr->fit_s += seconds_since (t0);
              if (g_error_matches (fit_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
                  g_cancellable_is_cancelled (cancellable))
                {
                  g_propagate_error (error, g_steal_pointer (&fit_error));
                  return NULL;
                }
              mr->status = g_strdup ("failed");
              if (n_folds > 1)
                /* Translators: the fold a model failed on, then why. */
                mr->error = g_strdup_printf (_("Fold %u of %u: %s"), f + 1, n_folds, fit_error->message);
              else
                mr->error = g_strdup (fit_error->message);
              mr->score_s = NAN;
              g_clear_pointer (&state[m].sum, g_free);
              g_debug ("%s failed: %s", mr->label, mr->error);
              continue;
            }
          mr->fit_s += seconds_since (t0);
          if (request->store_state && f == 0)
            {
              g_autoptr(GError) state_error = NULL;

              /* Serialised now, written with the runs at the end: one model's
               * state never holds up the others, and a model that cannot keep
               * its state still has its results. A k-fold comparison keeps
               * the models of its first fold. */
              kept->pdata[m] = cs_recommender_save_state (model, &state_error);
              if (kept->pdata[m] == NULL)
                g_warning ("%s: %s", mr->label, state_error->message);
            }

          acc = cs_metrics_accumulator_new (all_ks, n_all_ks, split->train, split->n_test_viewers);
          if (cs_recommender_ranks_cold_clips (model))
            cs_metrics_accumulator_count_all_clips (acc);
          t0 = g_get_monotonic_time ();
          if (!score_model (model, split, acc, progress, progress_data, base + span / 2, span / 2,
                            cancellable))
            {
              g_cancellable_set_error_if_cancelled (cancellable, error);
              return NULL;
            }
          mr->score_s += seconds_since (t0);
          if (peak_known && cs_memory_get_peak_rss () > 0)
            {
              double mb = cs_memory_get_peak_rss () / 1e6;

              mr->peak_rss_mb = isfinite (mr->peak_rss_mb) ? MAX (mr->peak_rss_mb, mb) : mb;
            }

          pool_fold (&state[m], acc, split, f, n_all_ks, ia->n_viewers);
          if (f + 1 == n_folds)
            {
              g_autoptr(GError) tune_error = NULL;

              if (((GPtrArray *) tunings->pdata[m])->len > 0 &&
                  !finish_tuning (mr, tunings->pdata[m], cut, &tune_error))
                g_warning ("%s: %s", mr->label, tune_error->message);
              mr->status = g_strdup ("done");
              per_viewer->pdata[m] = finish_model (mr, &state[m], result, acc_kis, all_ks, n_all_ks,
                                                   n_tested, ia->n_viewers, slot_viewers, n_slots);
              add_intervals (mr, result, per_viewer->pdata[m], n_slots);
            }
        }
    }

  if (per_viewer->pdata[request->baseline] != NULL)
    {
      result->baseline = (gint) request->baseline;
      add_paired_tests (result, (double **) per_viewer->pdata, n_slots);
      if (n_folds > 1)
        add_fold_tests (result, state);
    }
  cs_eval_significance_compute (result, (const double * const *) per_viewer->pdata, n_slots);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (progress)
    progress (1.0, _("Saving the comparison"), progress_data);
  summary = summary_json (result, ia->n_pairs, dropped_cold_viewer, dropped_cold_clip, dropped_seen,
                          model_spec);
  t_phase = g_get_monotonic_time ();
  if (!store_result (store, result, kept, summary, started_at, error))
    return NULL;
  g_debug ("Stored comparison %" G_GINT64_FORMAT " in %.3f s", result->run_id, seconds_since (t_phase));

  return g_steal_pointer (&result);
}

/* ---- Reading back ------------------------------------------------------- */

static gint64
object_int (JsonObject *object,
            const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_int (node) : 0;
}

static double
column_double_or_nan (sqlite3_stmt *stmt,
                      int           column)
{
  return sqlite3_column_type (stmt, column) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, column);
}

static char *
column_text_dup (sqlite3_stmt *stmt,
                 int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text ? g_strdup (text) : NULL;
}

/* A number member of a run's summary JSON, or NAN. */
static double
summary_double (const char *summary,
                const char *member)
{
  g_autoptr(JsonNode) node = summary ? json_from_string (summary, NULL) : NULL;
  JsonNode *value;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NAN;
  value = json_object_get_member (json_node_get_object (node), member);
  return value != NULL && JSON_NODE_HOLDS_VALUE (value) ? json_node_get_double (value) : NAN;
}

static char *
label_for (const char *name,
           const char *params,
           const char *summary)
{
  g_autoptr(CsRecommender) model = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (name == NULL)
    return g_strdup ("?");
  model = cs_recommender_new_from_json (name, params, NULL);
  if (model != NULL)
    return cs_recommender_get_label (model);

  /* A model this build does not know (a newer version wrote it). */
  node = summary ? json_from_string (summary, NULL) : NULL;
  if (node && JSON_NODE_HOLDS_OBJECT (node) &&
      json_object_has_member (json_node_get_object (node), "label"))
    return g_strdup (json_object_get_string_member (json_node_get_object (node), "label"));
  return g_strdup (name);
}

/* The "tuning" object of a child run's summary as text, or NULL. */
static char *
summary_tuning (const char *summary)
{
  g_autoptr(JsonNode) node = summary ? json_from_string (summary, NULL) : NULL;
  JsonNode *tuning;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  tuning = json_object_get_member (json_node_get_object (node), "tuning");
  if (tuning == NULL || !JSON_NODE_HOLDS_OBJECT (tuning))
    return NULL;
  return json_to_string (tuning, FALSE);
}

static gboolean
load_metrics (CsStore            *store,
              CsEvalModelResult  *model,
              GArray             *ks,
              GError            **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = cs_store_prepare (store,
                           "SELECT name, k, value, fold FROM metrics WHERE run_id = ?1"
                           " ORDER BY k, name, fold",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, model->run_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      guint k = (guint) sqlite3_column_int (stmt, 1);
      int fold = sqlite3_column_int (stmt, 3);
      g_autofree char *key = NULL;

      if (fold >= 0)
        key = g_strdup_printf ("%s@%u#%d", name, k, fold);
      else
        key = k > 0 ? g_strdup_printf ("%s@%u", name, k) : g_strdup (name);
      model_result_set (model, key, column_double_or_nan (stmt, 2));
      if (k > 0)
        g_array_append_val (ks, k);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return cs_store_set_error (store, error, _("Could not read the comparison"));
  return TRUE;
}

/* The cut-offs in summary member @member, valid ones only. */
static void
summary_ks (JsonObject *object,
            const char *member,
            GArray     *ks)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      gint64 k = json_array_get_int_element (array, i);

      if (k > 0 && k <= MAX_K)
        {
          guint uk = (guint) k;

          g_array_append_val (ks, uk);
        }
    }
}

/* "folds" as add_folds() wrote it; nothing (one split) when absent or
 * malformed. */
static void
summary_folds (JsonObject   *object,
               CsEvalResult *result)
{
  JsonNode *node = object ? json_object_get_member (object, "folds") : NULL;
  JsonArray *array;
  guint n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n < 2)
    return;
  result->n_folds = n;
  result->folds = g_new0 (CsEvalFold, n);
  for (guint f = 0; f < n; f++)
    {
      JsonNode *element = json_array_get_element (array, f);
      JsonObject *fold = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;

      result->folds[f].train_pairs = object_int (fold, "train_pairs");
      result->folds[f].test_pairs = object_int (fold, "test_pairs");
      result->folds[f].test_viewers = object_int (fold, "test_viewers");
      result->folds[f].dropped_cold_clip = object_int (fold, "dropped_cold_clip");
    }
}

static void
set_not_found (GError **error,
               gint64   run_id)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run_id);

  g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND,
               _("There is no recommender comparison number %s in this project"), id);
}

CsEvalResult *
cs_eval_result_load (CsStore  *store,
                     gint64    run_id,
                     GError  **error)
{
  g_autoptr(CsEvalResult) result = NULL;
  g_autoptr(JsonNode) summary = NULL;
  g_autoptr(GArray) ks = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) metric_ks = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) curve = g_array_new (FALSE, FALSE, sizeof (guint));
  JsonObject *object = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CS_IS_STORE (store), NULL);

  stmt = cs_store_prepare (store,
                           "SELECT protocol, summary, seed FROM runs"
                           " WHERE id = ?1 AND parent_id IS NULL AND task = 'recommend'",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, run_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          cs_store_set_error (store, error, _("Could not read the comparison"));
          return NULL;
        }
      set_not_found (error, run_id);
      return NULL;
    }

  result = result_new ();
  result->run_id = run_id;
  result->protocol_json = column_text_dup (stmt, 0);
  if (result->protocol_json == NULL)
    result->protocol_json = g_strdup ("{}");
  if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
    summary = json_from_string ((const char *) sqlite3_column_text (stmt, 1), NULL);
  result->seed = (guint64) sqlite3_column_int64 (stmt, 2);
  sqlite3_reset (stmt);

  if (summary && JSON_NODE_HOLDS_OBJECT (summary))
    object = json_node_get_object (summary);
  result->train_pairs = object_int (object, "train_pairs");
  result->test_pairs = object_int (object, "test_pairs");
  result->test_viewers = object_int (object, "test_viewers");
  result->n_viewers = object_int (object, "n_viewers");
  result->n_clips = object_int (object, "n_clips");
  result->n_bootstrap = (guint) object_int (object, "n_bootstrap");
  result->baseline = object && json_object_has_member (object, "baseline")
                     ? (gint) object_int (object, "baseline") : -1;
  summary_ks (object, "ks", ks);
  summary_ks (object, "curve_ks", curve);
  summary_folds (object, result);

  stmt = cs_store_prepare (store,
                           "SELECT id, model, params, fit_s, score_s, status, error, summary"
                           " FROM runs WHERE parent_id = ?1 ORDER BY id",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, run_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CsEvalModelResult *model = model_result_new ();
      g_autofree char *child_summary = column_text_dup (stmt, 7);

      model->run_id = sqlite3_column_int64 (stmt, 0);
      model->name = column_text_dup (stmt, 1);
      model->params = column_text_dup (stmt, 2);
      model->fit_s = column_double_or_nan (stmt, 3);
      model->score_s = column_double_or_nan (stmt, 4);
      model->status = column_text_dup (stmt, 5);
      model->error = column_text_dup (stmt, 6);
      model->label = label_for (model->name, model->params, child_summary);
      model->peak_rss_mb = summary_double (child_summary, "peak_rss_mb");
      model->tuning = summary_tuning (child_summary);
      if (model->params == NULL)
        model->params = g_strdup ("{}");
      g_ptr_array_add (result->models, model);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      cs_store_set_error (store, error, _("Could not read the comparison"));
      return NULL;
    }

  /* Metrics after the runs query is done, since both use cached statements. */
  for (guint m = 0; m < result->models->len; m++)
    if (!load_metrics (store, g_ptr_array_index (result->models, m), metric_ks, error))
      return NULL;

  /* Older versions stored no "ks": every K with metrics was asked for. */
  if (ks->len == 0)
    result->n_ks = normalize_ks ((guint *) (void *) metric_ks->data, metric_ks->len, &result->ks);
  else
    result->n_ks = normalize_ks ((guint *) (void *) ks->data, ks->len, &result->ks);
  if (curve->len > 0)
    result->n_curve_ks = normalize_ks ((guint *) (void *) curve->data, curve->len, &result->curve_ks);
  if (result->baseline >= (gint) result->models->len)
    result->baseline = -1;
  if (!cs_eval_significance_load (store, result, error))
    return NULL;
  return g_steal_pointer (&result);
}

gint64
cs_eval_result_latest_id (CsStore *store)
{
  g_return_val_if_fail (CS_IS_STORE (store), 0);

  return cs_store_query_int (store,
                             "SELECT id FROM runs WHERE task = 'recommend' AND parent_id IS NULL"
                             " AND status = 'done' ORDER BY id DESC LIMIT 1",
                             0);
}

/* ---- History ------------------------------------------------------------ */

void
cs_eval_run_info_free (CsEvalRunInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->protocol_json);
  g_free (info->models);
  g_free (info);
}

static guint
summary_first_k (JsonObject *object)
{
  JsonNode *node = object ? json_object_get_member (object, "ks") : NULL;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return 0;
  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0)
    return 0;
  return (guint) CLAMP (json_array_get_int_element (array, 0), 0, MAX_K);
}

GPtrArray *
cs_eval_result_list (CsStore  *store,
                     GError  **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) cs_eval_run_info_free);
  CsEvalRunInfo *info = NULL;
  GString *models = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CS_IS_STORE (store), NULL);

  /* One row per model, parents newest first and their models in run order. */
  stmt = cs_store_prepare (store,
                           "SELECT p.id, COALESCE(p.finished_at, p.started_at), p.protocol, p.summary,"
                           " c.model, c.params, c.summary"
                           " FROM runs p LEFT JOIN runs c ON c.parent_id = p.id"
                           " WHERE p.task = 'recommend' AND p.parent_id IS NULL AND p.status = 'done'"
                           " ORDER BY p.id DESC, c.id",
                           error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (info == NULL || info->run_id != id)
        {
          g_autoptr(JsonNode) summary = NULL;
          JsonObject *object = NULL;

          if (sqlite3_column_type (stmt, 3) != SQLITE_NULL)
            summary = json_from_string ((const char *) sqlite3_column_text (stmt, 3), NULL);
          if (summary && JSON_NODE_HOLDS_OBJECT (summary))
            object = json_node_get_object (summary);
          if (info != NULL)
            info->models = g_string_free (models, FALSE);
          info = g_new0 (CsEvalRunInfo, 1);
          info->run_id = id;
          info->finished_at = sqlite3_column_int64 (stmt, 1);
          info->protocol_json = column_text_dup (stmt, 2);
          if (info->protocol_json == NULL)
            info->protocol_json = g_strdup ("{}");
          info->test_viewers = object_int (object, "test_viewers");
          info->k = summary_first_k (object);
          models = g_string_new (NULL);
          g_ptr_array_add (list, info);
        }
      if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
        {
          g_autofree char *label = label_for ((const char *) sqlite3_column_text (stmt, 4),
                                              (const char *) sqlite3_column_text (stmt, 5),
                                              (const char *) sqlite3_column_text (stmt, 6));

          if (models->len > 0)
            g_string_append (models, ", ");
          g_string_append (models, label);
          info->n_models++;
        }
    }
  sqlite3_reset (stmt);
  if (info != NULL)
    info->models = g_string_free (models, FALSE);
  if (rc != SQLITE_DONE)
    {
      cs_store_set_error (store, error, _("Could not read the stored comparisons"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

gboolean
cs_eval_result_delete (CsStore  *store,
                       gint64    run_id,
                       GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CS_IS_STORE (store), FALSE);

  /* The model runs and their metrics go with it: ON DELETE CASCADE. */
  stmt = cs_store_prepare (store,
                           "DELETE FROM runs WHERE id = ?1 AND parent_id IS NULL AND task = 'recommend'",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return cs_store_set_error (store, error, _("Could not delete the comparison"));
  if (sqlite3_changes (cs_store_get_db (store)) == 0)
    {
      set_not_found (error, run_id);
      return FALSE;
    }
  return TRUE;
}

/* ---- JSON --------------------------------------------------------------- */

static void
add_metrics (JsonBuilder             *b,
             const CsEvalResult      *result,
             const CsEvalModelResult *model)
{
  g_autoptr(GHashTable) done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) rest = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;

  json_builder_begin_object (b);
  /* §7 order: every metric at the first K, then at the next K… */
  for (guint ki = 0; ki < result->n_ks; ki++)
    for (guint metric = 0; metric < CS_N_METRICS; metric++)
      {
        char *name = g_strdup_printf ("%s@%u", cs_metric_get_name (metric), result->ks[ki]);
        const double *v = g_hash_table_lookup (model->metrics, name);

        if (v != NULL)
          {
            json_builder_set_member_name (b, name);
            add_number (b, *v);
          }
        g_hash_table_add (done, name);
      }
  /* Then whatever else a newer version stored, sorted. */
  g_hash_table_iter_init (&iter, model->metrics);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (done, key) && !is_statistic_key (key))
      g_ptr_array_add (rest, key);
  g_ptr_array_sort (rest, compare_strings);
  for (guint i = 0; i < rest->len; i++)
    {
      json_builder_set_member_name (b, g_ptr_array_index (rest, i));
      add_number (b, *(double *) g_hash_table_lookup (model->metrics, g_ptr_array_index (rest, i)));
    }
  json_builder_end_object (b);
}

/* "ci": {"ndcg@10": [lo, hi], …} in §7 metric order; nothing when the run
 * has no intervals (stored by an older version). */
static void
add_intervals_json (JsonBuilder             *b,
                    const CsEvalResult      *result,
                    const CsEvalModelResult *model)
{
  json_builder_set_member_name (b, "ci");
  json_builder_begin_object (b);
  for (guint ki = 0; ki < result->n_ks; ki++)
    for (guint metric = 0; metric < CS_N_METRICS; metric++)
      {
        g_autofree char *lo_key = g_strdup_printf ("%s_lo@%u", cs_metric_get_name (metric), result->ks[ki]);
        g_autofree char *hi_key = g_strdup_printf ("%s_hi@%u", cs_metric_get_name (metric), result->ks[ki]);
        g_autofree char *name = g_strdup_printf ("%s@%u", cs_metric_get_name (metric), result->ks[ki]);

        if (!g_hash_table_contains (model->metrics, lo_key))
          continue;
        json_builder_set_member_name (b, name);
        json_builder_begin_array (b);
        add_number (b, cs_eval_model_result_get (model, lo_key));
        add_number (b, cs_eval_model_result_get (model, hi_key));
        json_builder_end_array (b);
      }
  json_builder_end_object (b);
}

/* "vs_baseline": {"ndcg@10": {"t", "p", "p_holm", "wilcoxon_p",
 * "wilcoxon_p_holm", "wins", "ties", "losses"}, …}; absent for the baseline. */
static void
add_tests_json (JsonBuilder             *b,
                const CsEvalResult      *result,
                const CsEvalModelResult *model)
{
  gboolean open = FALSE;

  for (guint ki = 0; ki < result->n_ks; ki++)
    for (guint metric = 0; metric < CS_N_METRICS; metric++)
      {
        g_autofree char *name = g_strdup_printf ("%s@%u", cs_metric_get_name (metric), result->ks[ki]);
        g_autofree char *probe = g_strdup_printf ("%s_p@%u", cs_metric_get_name (metric), result->ks[ki]);
        g_autofree char *nb_probe = g_strdup_printf ("%s_nb_p@%u", cs_metric_get_name (metric), result->ks[ki]);
        gboolean has_viewer_tests = g_hash_table_contains (model->metrics, probe);

        if (!has_viewer_tests && !g_hash_table_contains (model->metrics, nb_probe))
          continue;
        if (!open)
          {
            json_builder_set_member_name (b, "vs_baseline");
            json_builder_begin_object (b);
            open = TRUE;
          }
        json_builder_set_member_name (b, name);
        json_builder_begin_object (b);
        /* Suffixes after "lo" and "hi" are the tests. */
        for (guint i = 2; has_viewer_tests && statistic_suffixes[i]; i++)
          {
            g_autofree char *key = g_strdup_printf ("%s_%s@%u", cs_metric_get_name (metric),
                                                    statistic_suffixes[i], result->ks[ki]);
            double value = cs_eval_model_result_get (model, key);

            json_builder_set_member_name (b, statistic_suffixes[i]);
            if (i >= 7 && isfinite (value))
              json_builder_add_int_value (b, (gint64) value);
            else
              add_number (b, value);
          }
        /* Under k-fold, the corrected resampled t-test over folds. */
        for (guint i = 2; fold_suffixes[i]; i++)
          {
            g_autofree char *key = g_strdup_printf ("%s_%s@%u", cs_metric_get_name (metric),
                                                    fold_suffixes[i], result->ks[ki]);

            if (!g_hash_table_contains (model->metrics, key))
              continue;
            json_builder_set_member_name (b, fold_suffixes[i]);
            add_number (b, cs_eval_model_result_get (model, key));
          }
        json_builder_end_object (b);
      }
  if (open)
    json_builder_end_object (b);
}

/* {"ndcg@10": …, …} in §7 metric order, of "M_suffix@K" or, when @suffix
 * is NULL, of fold @fold's "M@K#fold". */
static void
add_fold_figures (JsonBuilder             *b,
                  const CsEvalResult      *result,
                  const CsEvalModelResult *model,
                  const char              *suffix,
                  guint                    fold)
{
  json_builder_begin_object (b);
  for (guint ki = 0; ki < result->n_ks; ki++)
    for (guint metric = 0; metric < CS_N_METRICS; metric++)
      {
        const char *metric_name = cs_metric_get_name (metric);
        g_autofree char *key = suffix ? g_strdup_printf ("%s_%s@%u", metric_name, suffix, result->ks[ki])
                                      : g_strdup_printf ("%s@%u#%u", metric_name, result->ks[ki], fold);
        g_autofree char *name = g_strdup_printf ("%s@%u", metric_name, result->ks[ki]);

        if (!g_hash_table_contains (model->metrics, key))
          continue;
        json_builder_set_member_name (b, name);
        add_number (b, cs_eval_model_result_get (model, key));
      }
  json_builder_end_object (b);
}

/* Under k-fold: "fold_mean" and "sd" ({"ndcg@10": …, …}) and "folds" (one
 * {"ndcg@10": …, …} per fold), in §7 metric order. */
static void
add_folds_json (JsonBuilder             *b,
                const CsEvalResult      *result,
                const CsEvalModelResult *model)
{
  if (result->n_folds < 2 || g_strcmp0 (model->status, "failed") == 0)
    return;
  for (guint i = 0; i < 2; i++)
    {
      json_builder_set_member_name (b, fold_suffixes[i]);
      add_fold_figures (b, result, model, fold_suffixes[i], 0);
    }
  json_builder_set_member_name (b, "folds");
  json_builder_begin_array (b);
  for (guint f = 0; f < result->n_folds; f++)
    add_fold_figures (b, result, model, NULL, f);
  json_builder_end_array (b);
}

char *
cs_eval_result_to_json (const CsEvalResult *result)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (result != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "run_id");
  json_builder_add_int_value (b, result->run_id);
  json_builder_set_member_name (b, "protocol");
  add_raw_json (b, result->protocol_json);
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, (gint64) result->seed);
  add_counts (b, result);
  add_folds (b, result);
  add_ks (b, result);
  json_builder_set_member_name (b, "bootstrap");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "resamples");
  json_builder_add_int_value (b, result->n_bootstrap);
  json_builder_set_member_name (b, "level");
  json_builder_add_double_value (b, CS_BOOTSTRAP_DEFAULT_LEVEL);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "baseline");
  if (result->baseline >= 0)
    json_builder_add_string_value (b, ((CsEvalModelResult *) g_ptr_array_index (result->models,
                                                                               result->baseline))->label);
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "models");
  json_builder_begin_array (b);
  for (guint m = 0; m < result->models->len; m++)
    {
      const CsEvalModelResult *model = g_ptr_array_index (result->models, m);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, model->name);
      json_builder_set_member_name (b, "label");
      json_builder_add_string_value (b, model->label);
      json_builder_set_member_name (b, "params");
      add_raw_json (b, model->params);
      json_builder_set_member_name (b, "run_id");
      json_builder_add_int_value (b, model->run_id);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, model->status ? model->status : "done");
      if (model->error)
        {
          json_builder_set_member_name (b, "error");
          json_builder_add_string_value (b, model->error);
        }
      json_builder_set_member_name (b, "fit_s");
      add_number (b, model->fit_s);
      json_builder_set_member_name (b, "score_s");
      add_number (b, model->score_s);
      json_builder_set_member_name (b, "peak_rss_mb");
      add_number (b, model->peak_rss_mb);
      if (model->tuning != NULL)
        {
          json_builder_set_member_name (b, "tuning");
          add_raw_json (b, model->tuning);
        }
      json_builder_set_member_name (b, "metrics");
      add_metrics (b, result, model);
      add_intervals_json (b, result, model);
      add_folds_json (b, result, model);
      add_tests_json (b, result, model);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  /* Every pair of models (the Recommend page's significance matrix). */
  if (result->significance != NULL && g_hash_table_size (result->significance) > 0)
    {
      json_builder_set_member_name (b, "significance");
      cs_eval_significance_add_json (result, b);
    }
  json_builder_end_object (b);

  return builder_to_text (b);
}
