/* cs-eval-tuning.c
 *
 * The validation split is made from the training matrix alone (plus the
 * pairs' times from the interactions), so nothing here can see a test
 * pair: tuning is as blind to the test set as the final fit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "cs-error.h"
#include "cs-eval-tuning.h"
#include "cs-evaluator.h"
#include "cs-metrics.h"

/* Mixed into the shuffle's seed so the validation cut never repeats the
 * protocol's own random cut of the same viewer ("vali"). */
#define VALIDATION_SEED_SALT 0x76616c69u

static const struct
{
  const char *name;
  const char *grid;
} grids[] = {
  { "itemknn", "k=50,100,200" },
  { "userknn", "k=50,100,200" },
  { "ease", "lambda=100,500,2000" },
  { "ials", "factors=32,64 reg=0.01,0.1" },
  { "bpr", "factors=32,64 lr=0.01,0.05" },
  { "content", "feature-weight=0,0.5,2" },
};

static GMutex registered_lock;
static GHashTable *registered;   /* name → grid, for models defined elsewhere */

const char *
cs_eval_tuning_get_grid (const char *name)
{
  const char *grid = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (grids); i++)
    if (strcmp (grids[i].name, name) == 0)
      return grids[i].grid;

  g_mutex_lock (&registered_lock);
  if (registered != NULL)
    grid = g_hash_table_lookup (registered, name);
  g_mutex_unlock (&registered_lock);
  return grid;
}

void
cs_eval_tuning_register_grid (const char *name,
                              const char *grid)
{
  g_return_if_fail (name != NULL && grid != NULL);

  g_mutex_lock (&registered_lock);
  if (registered == NULL)
    registered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  /* Kept for the life of the process: get_grid() hands out the text. */
  g_hash_table_replace (registered, g_strdup (name), g_strdup (grid));
  g_mutex_unlock (&registered_lock);
}

GPtrArray *
cs_eval_tuning_expand_grid (const char  *grid,
                            GError     **error)
{
  g_auto(GStrv) dims = NULL;
  g_autoptr(GPtrArray) points = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (grid != NULL, NULL);

  g_ptr_array_add (points, g_strdup (""));
  dims = g_strsplit (grid, " ", -1);
  for (guint d = 0; dims[d]; d++)
    {
      const char *eq = strchr (dims[d], '=');
      g_autofree char *key = NULL;
      g_auto(GStrv) values = NULL;
      g_autoptr(GPtrArray) next = g_ptr_array_new_with_free_func (g_free);

      if (*dims[d] == '\0')
        continue;
      if (eq == NULL || eq == dims[d] || eq[1] == '\0')
        {
          g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                       _("The tuning grid “%s” is malformed: write KEY=V1,V2 for each setting"), grid);
          return NULL;
        }
      key = g_strndup (dims[d], (gsize) (eq - dims[d]));
      values = g_strsplit (eq + 1, ",", -1);
      /* The earlier dimensions vary slowest. */
      for (guint p = 0; p < points->len; p++)
        for (guint v = 0; values[v]; v++)
          {
            const char *prefix = g_ptr_array_index (points, p);

            g_ptr_array_add (next, g_strdup_printf ("%s%s%s=%s", prefix, *prefix ? "," : "", key,
                                                    values[v]));
          }
      g_ptr_array_unref (points);
      points = g_steal_pointer (&next);
    }
  if (points->len == 1 && *(char *) g_ptr_array_index (points, 0) == '\0')
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                   _("The tuning grid “%s” is empty: write KEY=V1,V2 for each setting"), grid);
      return NULL;
    }
  return g_steal_pointer (&points);
}

CsEvalTuningCut
cs_eval_tuning_cut_for (const CsProtocol *protocol)
{
  g_return_val_if_fail (protocol != NULL, CS_EVAL_TUNING_CUT_LAST);

  return protocol->kind == CS_PROTOCOL_RANDOM || protocol->kind == CS_PROTOCOL_KFOLD
         ? CS_EVAL_TUNING_CUT_RANDOM : CS_EVAL_TUNING_CUT_LAST;
}

/* ---- Validation split --------------------------------------------------- */

/* Time of pair (v, c) among the interactions' pairs of v, which start at
 * @start and end before @end sorted by clip. */
static gint64
pair_time (const CsInteractions *ia,
           gsize                 start,
           gsize                 end,
           gint32                clip)
{
  while (start < end)
    {
      gsize mid = start + (end - start) / 2;

      if (ia->clip[mid] < clip)
        start = mid + 1;
      else
        end = mid;
    }
  g_return_val_if_fail (start < ia->n_pairs && ia->clip[start] == clip, G_MININT64);
  return ia->time[start];
}

CsSplit *
cs_eval_tuning_split (const CsCsr          *train,
                      const CsInteractions *interactions,
                      CsEvalTuningCut       cut,
                      guint64               seed)
{
  g_autoptr(GArray) t_rows = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) t_cols = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) t_vals = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr(GArray) v_rows = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) v_cols = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) viewers = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autofree gsize *ia_start = NULL;
  g_autofree gint32 *order = NULL;
  CsSplit *split;
  gint32 max_row = 0;

  g_return_val_if_fail (train != NULL && interactions != NULL, NULL);

  /* Where each viewer's pairs start among the interactions (sorted by viewer). */
  ia_start = g_new0 (gsize, (gsize) train->n_rows + 1);
  for (gsize i = 0; i < interactions->n_pairs; i++)
    if (interactions->viewer[i] < train->n_rows)
      ia_start[interactions->viewer[i] + 1]++;
  for (gint32 v = 0; v < train->n_rows; v++)
    ia_start[v + 1] += ia_start[v];

  for (gint32 v = 0; v < train->n_rows; v++)
    max_row = MAX (max_row, cs_csr_row_length (train, v));
  order = g_new (gint32, MAX (max_row, 1));

  for (gint32 v = 0; v < train->n_rows; v++)
    {
      const gint32 *cols = &train->col_idx[train->row_ptr[v]];
      gint32 n = cs_csr_row_length (train, v);
      gint32 n_val = 0;

      for (gint32 i = 0; i < n; i++)
        order[i] = i;
      if (n >= 2 && cut == CS_EVAL_TUNING_CUT_LAST)
        {
          gint32 last = 0;
          gint64 last_time = G_MININT64;

          /* Later time wins; at equal times the higher clip index, which
           * comes later in the ascending row. */
          for (gint32 i = 0; i < n; i++)
            {
              gint64 t = pair_time (interactions, ia_start[v], ia_start[v + 1], cols[i]);

              if (t >= last_time)
                {
                  last_time = t;
                  last = i;
                }
            }
          order[0] = last;
          order[last] = 0;
          n_val = 1;
        }
      else if (n >= 2)
        {
          guint32 seed_array[4] = { (guint32) (seed & 0xffffffffu), (guint32) (seed >> 32), (guint32) v,
                                    VALIDATION_SEED_SALT };
          g_autoptr(GRand) rand = g_rand_new_with_seed_array (seed_array, G_N_ELEMENTS (seed_array));

          for (gint32 i = n - 1; i >= 1; i--)
            {
              gint32 j = g_rand_int_range (rand, 0, i + 1);
              gint32 tmp = order[i];

              order[i] = order[j];
              order[j] = tmp;
            }
          n_val = (gint32) cs_protocol_random_n_test (n, CS_EVAL_TUNING_VALIDATION_FRACTION);
        }

      for (gint32 i = 0; i < n; i++)
        {
          GArray *rows = i < n_val ? v_rows : t_rows;
          GArray *cols_out = i < n_val ? v_cols : t_cols;

          g_array_append_val (rows, v);
          g_array_append_val (cols_out, cols[order[i]]);
          /* The training part keeps its weights (a weighted positives rule);
           * validation pairs are plain positives, as test pairs are. */
          if (i >= n_val)
            g_array_append_val (t_vals, train->values[train->row_ptr[v] + order[i]]);
        }
      if (n_val > 0)
        g_array_append_val (viewers, v);
    }

  split = g_new0 (CsSplit, 1);
  split->train = cs_csr_new_from_pairs (train->n_rows, train->n_cols, (gint32 *) (void *) t_rows->data,
                                        (gint32 *) (void *) t_cols->data,
                                        (float *) (void *) t_vals->data, t_rows->len);
  split->test = cs_csr_new_from_pairs (train->n_rows, train->n_cols, (gint32 *) (void *) v_rows->data,
                                       (gint32 *) (void *) v_cols->data, NULL, v_rows->len);
  split->train_pairs = t_rows->len;
  split->test_pairs = v_rows->len;
  split->n_test_viewers = (gint32) viewers->len;
  split->test_viewers = (gint32 *) (void *) g_array_free (g_steal_pointer (&viewers), FALSE);
  return split;
}

/* ---- Running the grid --------------------------------------------------- */

void
cs_eval_tuning_free (CsEvalTuning *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->points, g_ptr_array_unref);
  g_free (self->validation_ndcg);
  g_free (self);
}

gboolean
cs_eval_tuning_apply (CsRecommender  *model,
                      const char     *point,
                      GError        **error)
{
  g_auto(GStrv) settings = NULL;

  g_return_val_if_fail (CS_IS_RECOMMENDER (model), FALSE);
  g_return_val_if_fail (point != NULL, FALSE);

  settings = g_strsplit (point, ",", -1);
  for (guint i = 0; settings[i]; i++)
    {
      char *eq = strchr (settings[i], '=');

      if (eq == NULL)
        continue;
      *eq = '\0';
      if (!cs_recommender_set_param (model, settings[i], eq + 1, error))
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  CsProgressFunc progress;
  gpointer       progress_data;
  double         base, span;
  const char    *message;
} PointProgress;

static void
point_progress_cb (double      fraction,
                   const char *message,
                   gpointer    user_data)
{
  PointProgress *pp = user_data;

  pp->progress (pp->base + pp->span * CLAMP (fraction, 0, 1), pp->message, pp->progress_data);
}

CsEvalTuning *
cs_eval_tuning_run (CsRecommender  *model,
                    const char     *grid,
                    const CsSplit  *validation,
                    guint           k,
                    CsProgressFunc  progress,
                    gpointer        progress_data,
                    GCancellable   *cancellable,
                    GError        **error)
{
  g_autoptr(CsEvalTuning) tuning = NULL;
  g_autoptr(GError) first_error = NULL;
  g_autofree char *params = NULL;
  gboolean any = FALSE;

  g_return_val_if_fail (CS_IS_RECOMMENDER (model), NULL);
  g_return_val_if_fail (grid != NULL && validation != NULL && k > 0, NULL);

  if (validation->n_test_viewers == 0)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                   _("No viewer has two training interactions, so no validation split can be cut "
                     "for tuning: turn tuning off, or import a longer event log"));
      return NULL;
    }

  tuning = g_new0 (CsEvalTuning, 1);
  tuning->k = k;
  tuning->points = cs_eval_tuning_expand_grid (grid, error);
  if (tuning->points == NULL)
    return NULL;
  tuning->validation_ndcg = g_new (double, tuning->points->len);
  tuning->tuning_train_pairs = validation->train_pairs;
  tuning->validation_pairs = validation->test_pairs;
  tuning->validation_viewers = validation->n_test_viewers;
  params = cs_recommender_get_params_json (model);

  for (guint p = 0; p < tuning->points->len; p++)
    {
      const char *point = g_ptr_array_index (tuning->points, p);
      g_autoptr(CsRecommender) candidate = NULL;
      g_autoptr(CsMetricsAccumulator) acc = NULL;
      g_autoptr(GError) point_error = NULL;
      g_autofree char *message = NULL;
      double share = 1.0 / tuning->points->len;
      PointProgress pp;

      tuning->validation_ndcg[p] = NAN;
      /* Translators: %s is a model name such as ItemKNN, then the setting
       * tried ("k=50"), its number and the number of settings. */
      message = g_strdup_printf (_("Tuning %s: trying %s (%u of %u)"), cs_recommender_get_display_name (model),
                                 point, p + 1, tuning->points->len);
      pp.progress = progress;
      pp.progress_data = progress_data;
      pp.base = p * share;
      pp.span = share * 0.8;
      pp.message = message;
      if (progress)
        progress (pp.base, message, progress_data);

      candidate = cs_recommender_new_from_json (cs_recommender_get_name (model), params, error);
      if (candidate == NULL || !cs_eval_tuning_apply (candidate, point, error))
        return NULL;
      if (cs_recommender_needs_clip_content (candidate))
        cs_recommender_set_clip_content (candidate, cs_recommender_get_clip_content (model));

      if (!cs_recommender_fit (candidate, validation->train, progress ? point_progress_cb : NULL, &pp,
                               cancellable, &point_error))
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return NULL;
          g_debug ("Tuning %s at %s: %s", cs_recommender_get_name (model), point, point_error->message);
          if (first_error == NULL)
            first_error = g_steal_pointer (&point_error);
          continue;
        }

      acc = cs_metrics_accumulator_new (&k, 1, validation->train, validation->n_test_viewers);
      if (cs_recommender_ranks_cold_clips (candidate))
        cs_metrics_accumulator_count_all_clips (acc);
      if (!cs_evaluator_score_split (candidate, validation, acc, cancellable))
        {
          g_cancellable_set_error_if_cancelled (cancellable, error);
          return NULL;
        }
      tuning->validation_ndcg[p] = cs_metrics_accumulator_get_mean (acc, CS_METRIC_NDCG, 0);
      /* Strictly better only: ties keep the earlier point. */
      if (isfinite (tuning->validation_ndcg[p]) &&
          (!any || tuning->validation_ndcg[p] > tuning->validation_ndcg[tuning->chosen]))
        {
          tuning->chosen = p;
          any = TRUE;
        }
    }

  if (!any)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_FAILED,
                   _("No setting of the tuning grid could be fitted on the validation split: %s"),
                   first_error ? first_error->message : "?");
      return NULL;
    }
  return g_steal_pointer (&tuning);
}

guint
cs_eval_tuning_mode (CsEvalTuning * const *tunings,
                     guint                 n)
{
  g_autofree guint *count = NULL;
  guint best = 0;

  g_return_val_if_fail (tunings != NULL && n > 0, 0);

  count = g_new0 (guint, tunings[0]->points->len);
  for (guint f = 0; f < n; f++)
    count[tunings[f]->chosen]++;
  for (guint p = 1; p < tunings[0]->points->len; p++)
    if (count[p] > count[best])
      best = p;
  return best;
}

/* {"k": 50, …} with numbers where the value reads as one. */
static void
add_point (JsonBuilder *b,
           const char  *point)
{
  g_auto(GStrv) settings = g_strsplit (point, ",", -1);

  json_builder_begin_object (b);
  for (guint i = 0; settings[i]; i++)
    {
      char *eq = strchr (settings[i], '=');
      char *end = NULL;
      double value;

      if (eq == NULL)
        continue;
      *eq = '\0';
      json_builder_set_member_name (b, settings[i]);
      value = g_ascii_strtod (eq + 1, &end);
      if (end != eq + 1 && *end == '\0' && isfinite (value))
        {
          if (value == floor (value) && fabs (value) < 1e15)
            json_builder_add_int_value (b, (gint64) value);
          else
            json_builder_add_double_value (b, value);
        }
      else
        json_builder_add_string_value (b, eq + 1);
    }
  json_builder_end_object (b);
}

static void
add_scores (JsonBuilder  *b,
            const double *values,
            guint         n)
{
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    if (isfinite (values[i]))
      json_builder_add_double_value (b, values[i]);
    else
      json_builder_add_null_value (b);
  json_builder_end_array (b);
}

char *
cs_eval_tuning_to_json (CsEvalTuning * const *tunings,
                        guint                 n,
                        CsEvalTuningCut       cut)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *metric = NULL;
  g_autofree double *mean = NULL;
  const CsEvalTuning *first;
  double train_pairs = 0, val_pairs = 0, val_viewers = 0, seconds = 0;

  g_return_val_if_fail (tunings != NULL && n > 0, NULL);

  first = tunings[0];
  mean = g_new0 (double, first->points->len);
  for (guint f = 0; f < n; f++)
    {
      for (guint p = 0; p < first->points->len; p++)
        mean[p] += tunings[f]->validation_ndcg[p] / n;
      train_pairs += (double) tunings[f]->tuning_train_pairs / n;
      val_pairs += (double) tunings[f]->validation_pairs / n;
      val_viewers += (double) tunings[f]->validation_viewers / n;
      seconds += tunings[f]->seconds;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "metric");
  metric = g_strdup_printf ("ndcg@%u", first->k);
  json_builder_add_string_value (b, metric);
  json_builder_set_member_name (b, "validation");
  json_builder_add_string_value (b, cut == CS_EVAL_TUNING_CUT_LAST ? "last" : "random:0.2");
  json_builder_set_member_name (b, "grid");
  json_builder_begin_array (b);
  for (guint p = 0; p < first->points->len; p++)
    add_point (b, g_ptr_array_index (first->points, p));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "validation_ndcg");
  add_scores (b, mean, first->points->len);
  json_builder_set_member_name (b, "chosen");
  add_point (b, g_ptr_array_index (first->points, cs_eval_tuning_mode (tunings, n)));
  json_builder_set_member_name (b, "tuning_train_pairs");
  json_builder_add_int_value (b, llround (train_pairs));
  json_builder_set_member_name (b, "validation_pairs");
  json_builder_add_int_value (b, llround (val_pairs));
  json_builder_set_member_name (b, "validation_viewers");
  json_builder_add_int_value (b, llround (val_viewers));
  json_builder_set_member_name (b, "tuning_s");
  json_builder_add_double_value (b, seconds);
  if (n > 1)
    {
      json_builder_set_member_name (b, "folds");
      json_builder_begin_array (b);
      for (guint f = 0; f < n; f++)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "validation_ndcg");
          add_scores (b, tunings[f]->validation_ndcg, first->points->len);
          json_builder_set_member_name (b, "chosen");
          add_point (b, g_ptr_array_index (first->points, tunings[f]->chosen));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}
