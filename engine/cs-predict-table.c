/* cs-predict-table.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "cs-predict-table.h"

/* cs-predict-dataset.h's target metrics. */
static const struct {
  const char *name;
  const char *title;
} targets[] = {
  { "views", N_("Views") },
  { "likes", N_("Likes") },
  { "comments", N_("Comments") },
  { "shares", N_("Shares") },
  { "like_rate", N_("Like rate") },
  { "comment_rate", N_("Comment rate") },
  { "share_rate", N_("Share rate") },
  { "completion_rate", N_("Completion rate") },
  { "avg_watch_s", N_("Average watch time") },
};

static const struct {
  CsPredictGroups group;
  const char     *title;
  const char     *description;
} groups[] = {
  { CS_PREDICT_TEXT, N_("Title, Caption and Hashtags"), N_("Words and word pairs, length, emoji, hashtags") },
  { CS_PREDICT_TIME, N_("Posting Time"), N_("Hour of the day and day of the week") },
  { CS_PREDICT_CONTENT, N_("Picture"), N_("Brightness, colourfulness and the other frame features") },
  { CS_PREDICT_DURATION, N_("Duration and Orientation"), NULL },
};

const char *
cs_predict_target_get_title (const char *metric)
{
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    if (g_strcmp0 (metric, targets[i].name) == 0)
      return _(targets[i].title);
  return metric;
}

const char *
cs_predict_group_get_title (CsPredictGroups group)
{
  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    if (groups[i].group == group)
      return _(groups[i].title);
  return NULL;
}

const char *
cs_predict_group_get_description (CsPredictGroups group)
{
  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    if (groups[i].group == group && groups[i].description != NULL)
      return _(groups[i].description);
  return NULL;
}

char *
cs_predict_format_number (double v)
{
  if (fabs (v) >= 100 || v == floor (v))
    return g_strdup_printf ("%.0f", v);
  return g_strdup_printf ("%.3g", v);
}

char *
cs_predict_result_describe_protocol (const CsPredictResult *result)
{
  g_autoptr(JsonNode) node = NULL;
  const char *name = NULL;

  g_return_val_if_fail (result != NULL, NULL);

  node = json_from_string (result->protocol_json, NULL);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    name = json_object_get_string_member_with_default (json_node_get_object (node), "name", NULL);
  if (g_strcmp0 (name, "time-split") == 0 || g_strcmp0 (name, "time") == 0)
    {
      double fraction = json_object_get_double_member_with_default (json_node_get_object (node),
                                                                     "test_fraction", 0.2);
      /* Translators: %d is a percentage. */
      return g_strdup_printf (_("time split, the newest %d %% of clips test"), (int) lround (fraction * 100));
    }
  if (g_strcmp0 (name, "kfold") == 0)
    /* Translators: %u is the number of folds. */
    return g_strdup_printf (_("%u-fold cross-validation"), result->n_folds);
  /* Translators: %u is the number of folds. */
  return g_strdup_printf (_("stratified %u-fold cross-validation"), result->n_folds);
}

char *
cs_predict_result_describe (const CsPredictResult *result)
{
  g_autoptr(GString) classes = g_string_new (NULL);
  g_auto(GStrv) parts = NULL;
  g_autofree char *protocol = NULL;

  g_return_val_if_fail (result != NULL, NULL);

  parts = g_strsplit (result->target_spec, ":", 2);
  protocol = cs_predict_result_describe_protocol (result);
  if (result->regression)
    {
      g_autofree char *mean = cs_predict_format_number (result->target_mean);
      g_autofree char *median = cs_predict_format_number (result->target_median);

      if (result->log_target)
        /* Translators: "Predicting Views, the number itself (…) — mean 64.6, median 57; 5-fold cross-validation on 90 clips." */
        return g_strdup_printf (_("Predicting %s, the number itself (the models learn log(1 + %s), since a few "
                                  "clips have far more than the rest) — mean %s, median %s; %s on %u clips."),
                                cs_predict_target_get_title (parts[0]), parts[0], mean, median, protocol,
                                result->n_clips);
      /* Translators: "Predicting Like rate, the number itself — mean 0.06, median 0.05; 5-fold cross-validation on 90 clips." */
      return g_strdup_printf (_("Predicting %s, the number itself — mean %s, median %s; %s on %u clips."),
                              cs_predict_target_get_title (parts[0]), mean, median, protocol, result->n_clips);
    }
  for (guint c = 0; c < result->n_classes; c++)
    {
      g_autofree char *range = NULL;

      if (c == 0)
        {
          g_autofree char *t = cs_predict_format_number (result->thresholds[0]);
          range = g_strdup_printf ("< %s", t);
        }
      else if (c + 1 == result->n_classes)
        {
          g_autofree char *t = cs_predict_format_number (result->thresholds[c - 1]);
          range = g_strdup_printf ("≥ %s", t);
        }
      else
        {
          g_autofree char *a = cs_predict_format_number (result->thresholds[c - 1]);
          g_autofree char *b = cs_predict_format_number (result->thresholds[c]);
          range = g_strdup_printf ("%s – %s", a, b);
        }
      /* Translators: a class, its range and its number of clips: "high (≥ 120): 14 clips". */
      g_string_append_printf (classes, _("%s%s (%s): %u"), c > 0 ? ", " : "",
                              result->class_names[c], range, result->class_counts[c]);
    }
  /* Translators: "Predicting Views in 3 classes — low (< 50): 13, …; stratified 5-fold cross-validation on 40 clips." */
  return g_strdup_printf (_("Predicting %s in %u classes — %s; %s on %u clips."),
                          cs_predict_target_get_title (parts[0]), result->n_classes, classes->str, protocol,
                          result->n_clips);
}

static void
row_free (gpointer data)
{
  CsPredictTableRow *row = data;

  g_free (row->title);
  g_strfreev (row->cells);
  g_free (row->emphasis);
  g_free (row);
}

static CsPredictTableRow *
row_new (GPtrArray  *rows,
         char       *title,
         const char *tip,
         guint       n_models)
{
  CsPredictTableRow *row = g_new0 (CsPredictTableRow, 1);

  row->title = title;
  row->tip = tip;
  row->cells = g_new0 (char *, n_models + 1);
  row->emphasis = g_new0 (gboolean, MAX (n_models, 1));
  g_ptr_array_add (rows, row);
  return row;
}

static const CsPredictMetric class_order[] = {
  CS_PM_ACCURACY, CS_PM_BALANCED_ACCURACY, CS_PM_MACRO_PRECISION, CS_PM_MACRO_RECALL,
  CS_PM_MACRO_F1, CS_PM_ROC_AUC, CS_PM_LOG_LOSS, CS_PM_FIT_S, CS_PM_PREDICT_S,
};
/* A number target; the log-scale rows only for counts. */
static const CsPredictMetric number_order[] = {
  CS_PM_MAE, CS_PM_RMSE, CS_PM_R2, CS_PM_SPEARMAN, CS_PM_MAE_LOG, CS_PM_RMSE_LOG, CS_PM_R2_LOG,
  CS_PM_FIT_S, CS_PM_PREDICT_S,
};

static void
add_metric_rows (const CsPredictResult *result,
                 GPtrArray             *rows)
{
  guint n_models = result->models->len;
  const CsPredictMetric *order = result->regression ? number_order : class_order;
  guint n_order = result->regression ? G_N_ELEMENTS (number_order) : G_N_ELEMENTS (class_order);

  for (guint r = 0; r < n_order; r++)
    {
      CsPredictMetric metric = order[r];
      gboolean higher = cs_predict_metric_higher_is_better (metric);
      gboolean timing = metric == CS_PM_FIT_S || metric == CS_PM_PREDICT_S;
      g_autofree char *best_text = NULL;
      CsPredictTableRow *row;
      double best = NAN;

      if (!cs_predict_metric_applies (metric, result->regression, result->log_target))
        continue;
      for (guint m = 0; m < n_models; m++)
        {
          double v = ((CsPredictModelResult *) g_ptr_array_index (result->models, m))->mean[metric];

          if (!isnan (v) && (isnan (best) || (higher ? v > best : v < best)))
            best = v;
        }
      /* Values that print the same as the best are as good as the best;
       * times are no contest, so they stay plain. */
      if (!isnan (best) && !timing)
        best_text = cs_predict_metric_format (metric, best, NAN);

      row = row_new (rows, g_strdup (cs_predict_metric_get_label (metric)), NULL, n_models);
      for (guint m = 0; m < n_models; m++)
        {
          const CsPredictModelResult *model = g_ptr_array_index (result->models, m);
          g_autofree char *mean = cs_predict_metric_format (metric, model->mean[metric], NAN);

          row->cells[m] = cs_predict_metric_format (metric, model->mean[metric], model->sd[metric]);
          row->emphasis[m] = n_models > 1 && g_strcmp0 (mean, best_text) == 0;
        }
    }
}

/* Tests on macro-F1 (a number: RMSE) per fold (corrected resampled t-test). */
static void
add_test_rows (const CsPredictResult *result,
               GPtrArray             *rows)
{
  static const struct { const char *title; const char *tip; const char *number_tip; } tests[] = {
    { N_("Macro-F1 p vs best"),
      N_("Corrected resampled t-test over folds against the model with the highest mean macro-F1. Below 0.05: the difference is unlikely to be chance."),
      N_("Corrected resampled t-test over folds against the model with the lowest mean error. Below 0.05: the difference is unlikely to be chance.") },
    { N_("Macro-F1 p vs baseline"),
      N_("The same test against the majority-class baseline"),
      N_("The same test against the training-mean baseline") },
    { N_("Folds better / same / worse"),
      N_("Folds in which this model’s macro-F1 is higher, equal or lower than the baseline’s"),
      N_("Folds in which this model’s error is lower, equal or higher than the baseline’s") },
  };
  const char *primary = cs_predict_metric_get_label (cs_predict_result_get_primary_metric (result));
  guint n_models = result->models->len;
  int baseline = -1;

  for (guint m = 0; m < n_models; m++)
    if (g_strcmp0 (((CsPredictModelResult *) g_ptr_array_index (result->models, m))->name, "majority") == 0)
      baseline = (int) m;

  for (guint r = 0; r < G_N_ELEMENTS (tests); r++)
    {
      CsPredictTableRow *row;
      char *title;

      if (r > 0 && baseline < 0)
        break;
      if (!result->regression || r == 2)
        title = g_strdup (_(tests[r].title));
      else if (r == 0)
        /* Translators: %s is a metric, "RMSE" or "RMSE (log)". */
        title = g_strdup_printf (_("%s p vs best"), primary);
      else
        /* Translators: %s is a metric, "RMSE" or "RMSE (log)". */
        title = g_strdup_printf (_("%s p vs baseline"), primary);
      row = row_new (rows, title, result->regression ? _(tests[r].number_tip) : _(tests[r].tip), n_models);
      for (guint m = 0; m < n_models; m++)
        {
          const CsPredictModelResult *model = g_ptr_array_index (result->models, m);
          double p = r == 0 ? model->p_vs_best : model->p_vs_baseline;

          if (r == 0 && g_strcmp0 (model->name, result->best) == 0)
            row->cells[m] = g_strdup (_("best"));
          else if (r > 0 && (int) m == baseline)
            row->cells[m] = g_strdup (_("baseline"));
          else if (r == 2)
            row->cells[m] = g_strdup_printf ("%u / %u / %u", model->wins, model->ties, model->losses);
          else
            row->cells[m] = isnan (p) ? g_strdup ("—") : p < 0.001 ? g_strdup ("< 0.001") : g_strdup_printf ("%.3f", p);
          row->emphasis[m] = r == 1 && !isnan (p) && p < 0.05 && (int) m != baseline;
        }
    }
}

GPtrArray *
cs_predict_result_get_table (const CsPredictResult *result)
{
  GPtrArray *rows;

  g_return_val_if_fail (result != NULL, NULL);

  rows = g_ptr_array_new_with_free_func (row_free);
  add_metric_rows (result, rows);
  add_test_rows (result, rows);
  return rows;
}
