/* cs-predict-charts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "cs-predict-charts.h"
#include "cs-predict-table.h"

/* At most this many features in the importance charts: more would not
 * leave room for their names. */
#define MAX_FEATURES 12

void
cs_predict_charts_init (CsPredictCharts *self)
{
  static const char *titles[CS_PREDICT_N_CHARTS] = {
    N_("Macro-F1 per model (mean ± sd over folds)"),
    N_("ROC curves, first test fold"),
    N_("Precision–recall curves, first test fold"),
    N_("Calibration, first test fold"),
    N_("Confusion matrix, all test folds"),
    N_("Permutation importance (drop in macro-F1)"),
    N_("SHAP (mean absolute contribution)"),
    N_("Predicted against true, all test folds"),
  };
  static const char *x_labels[3] = { N_("False positive rate"), N_("Recall"), N_("Predicted probability") };
  static const char *y_labels[3] = { N_("True positive rate"), N_("Precision"), N_("Share that is the class") };

  g_return_if_fail (self != NULL);

  for (guint i = 0; i < CS_PREDICT_N_CHARTS; i++)
    {
      self->charts[i] = cs_chart_new ();
      cs_chart_set_title (self->charts[i], _(titles[i]));
    }

  self->primary_bars = cs_bar_layer_new ();
  cs_bar_layer_set_value_format (self->primary_bars, "%.3f");
  cs_bar_layer_set_error_label (self->primary_bars, _("± sd over folds"));
  cs_chart_add_layer (self->charts[CS_PREDICT_CHART_PRIMARY], CS_CHART_LAYER (self->primary_bars));
  cs_chart_set_y_label (self->charts[CS_PREDICT_CHART_PRIMARY], _("Macro-F1 (higher is better)"));

  for (guint k = 0; k < 3; k++)
    {
      self->curves[k] = cs_line_layer_new ();
      cs_chart_add_layer (self->charts[CS_PREDICT_CHART_ROC + k], CS_CHART_LAYER (self->curves[k]));
      cs_chart_set_x_label (self->charts[CS_PREDICT_CHART_ROC + k], _(x_labels[k]));
      cs_chart_set_y_label (self->charts[CS_PREDICT_CHART_ROC + k], _(y_labels[k]));
    }
  cs_line_layer_set_markers (self->curves[2], TRUE);

  self->confusion = cs_confusion_matrix_layer_new ();
  cs_chart_add_layer (self->charts[CS_PREDICT_CHART_CONFUSION], CS_CHART_LAYER (self->confusion));
  cs_chart_set_x_label (self->charts[CS_PREDICT_CHART_CONFUSION], _("Predicted class"));
  cs_chart_set_y_label (self->charts[CS_PREDICT_CHART_CONFUSION], _("True class"));

  self->importance_bars = cs_bar_layer_new ();
  cs_bar_layer_set_value_format (self->importance_bars, "%.3f");
  cs_bar_layer_set_error_label (self->importance_bars, _("± sd over folds"));
  cs_chart_add_layer (self->charts[CS_PREDICT_CHART_IMPORTANCE], CS_CHART_LAYER (self->importance_bars));
  self->shap_bars = cs_bar_layer_new ();
  cs_bar_layer_set_value_format (self->shap_bars, "%.3g");
  cs_chart_add_layer (self->charts[CS_PREDICT_CHART_SHAP], CS_CHART_LAYER (self->shap_bars));

  self->scatter = cs_scatter_layer_new ();
  cs_chart_add_layer (self->charts[CS_PREDICT_CHART_SCATTER], CS_CHART_LAYER (self->scatter));
  self->diagonal = cs_line_layer_new ();
  cs_chart_add_layer (self->charts[CS_PREDICT_CHART_SCATTER], CS_CHART_LAYER (self->diagonal));
}

void
cs_predict_charts_clear (CsPredictCharts *self)
{
  g_return_if_fail (self != NULL);

  g_clear_object (&self->primary_bars);
  for (guint k = 0; k < 3; k++)
    g_clear_object (&self->curves[k]);
  g_clear_object (&self->confusion);
  g_clear_object (&self->importance_bars);
  g_clear_object (&self->shap_bars);
  g_clear_object (&self->scatter);
  g_clear_object (&self->diagonal);
  for (guint i = 0; i < CS_PREDICT_N_CHARTS; i++)
    g_clear_object (&self->charts[i]);
}

void
cs_predict_charts_show_result (CsPredictCharts       *self,
                               const CsPredictResult *result)
{
  CsChart *chart = self->charts[CS_PREDICT_CHART_PRIMARY];
  guint n;
  g_autofree double *values = NULL;
  g_autofree double *low = NULL;
  g_autofree double *high = NULL;
  g_autofree const char **names = NULL;
  CsPredictMetric primary;
  const char *categories[1];

  g_return_if_fail (self != NULL);
  g_return_if_fail (result != NULL);

  n = result->models->len;
  values = g_new (double, MAX (n, 1));
  low = g_new (double, MAX (n, 1));
  high = g_new (double, MAX (n, 1));
  names = g_new0 (const char *, n + 1);
  primary = cs_predict_result_get_primary_metric (result);
  categories[0] = cs_predict_metric_get_label (primary);

  if (result->regression)
    {
      /* Translators: %s is "RMSE" or "RMSE (log)". */
      g_autofree char *title = g_strdup_printf (_("%s per model (mean ± sd over folds)"), categories[0]);
      /* Translators: %s is "RMSE" or "RMSE (log)". */
      g_autofree char *axis = g_strdup_printf (_("%s (lower is better)"), categories[0]);

      cs_chart_set_title (chart, title);
      cs_chart_set_y_label (chart, axis);
    }
  else
    {
      cs_chart_set_title (chart, _("Macro-F1 per model (mean ± sd over folds)"));
      cs_chart_set_y_label (chart, _("Macro-F1 (higher is better)"));
    }
  /* As the table: log-scale errors to three decimals; an error in the
   * target's units (views, seconds) may be large, so significant digits. */
  cs_bar_layer_set_value_format (self->primary_bars, primary == CS_PM_RMSE ? "%.4g" : "%.3f");
  for (guint m = 0; m < n; m++)
    {
      const CsPredictModelResult *model = g_ptr_array_index (result->models, m);
      double sd = isnan (model->sd[primary]) ? 0.0 : model->sd[primary];

      names[m] = model->label;
      values[m] = model->mean[primary];
      low[m] = values[m] - sd;
      high[m] = values[m] + sd;
    }
  cs_bar_layer_set_data (self->primary_bars, categories, 1, names, n, values, low, high);
  cs_chart_set_title (self->charts[CS_PREDICT_CHART_IMPORTANCE],
                      result->regression ? _("Permutation importance (rise in RMSE)")
                                         : _("Permutation importance (drop in macro-F1)"));
}

static void
set_bars_from (CsBarLayer *bars,
               GPtrArray  *items,
               gboolean    with_sd,
               const char *series_name)
{
  guint n = items != NULL ? MIN (items->len, MAX_FEATURES) : 0;
  g_autofree const char **names = g_new0 (const char *, n + 1);
  g_autofree double *values = g_new0 (double, n + 1);
  g_autofree double *low = g_new0 (double, n + 1);
  g_autofree double *high = g_new0 (double, n + 1);
  const char *series[1] = { series_name };

  for (guint i = 0; i < n; i++)
    {
      const CsPredictImportance *imp = g_ptr_array_index (items, i);
      double sd = with_sd && !isnan (imp->sd) ? imp->sd : 0.0;

      names[i] = imp->name;
      values[i] = imp->mean;
      low[i] = with_sd ? imp->mean - sd : NAN;
      high[i] = with_sd ? imp->mean + sd : NAN;
    }
  cs_bar_layer_set_data (bars, names, n, series, 1, values, low, high);
}

/* Counts are drawn as log(1 + n), the scale the models learn, so the many
 * small clips do not sit in a corner. */
static void
show_scatter (CsPredictCharts            *self,
              const CsPredictResult      *result,
              const CsPredictModelResult *model)
{
  CsChart *chart = self->charts[CS_PREDICT_CHART_SCATTER];
  guint n = model->clips != NULL ? model->clips->len : 0;
  g_autofree double *x = g_new (double, MAX (n, 1));
  g_autofree double *y = g_new (double, MAX (n, 1));
  g_auto(GStrv) parts = g_strsplit (result->target_spec, ":", 2);
  const char *title = cs_predict_target_get_title (parts[0]);
  g_autofree char *x_label = NULL;
  g_autofree char *y_label = NULL;
  double ends[2] = { INFINITY, -INFINITY };

  for (guint i = 0; i < n; i++)
    {
      const CsPredictClip *clip = g_ptr_array_index (model->clips, i);

      x[i] = result->log_target ? log1p (clip->truth_value) : clip->truth_value;
      y[i] = result->log_target ? log1p (clip->predicted_value) : clip->predicted_value;
      ends[0] = MIN (ends[0], MIN (x[i], y[i]));
      ends[1] = MAX (ends[1], MAX (x[i], y[i]));
    }
  cs_scatter_layer_add_series (self->scatter, _("Clips"), x, y, n);
  if (n > 0)
    cs_line_layer_add_series (self->diagonal, _("Perfect prediction"), ends, ends, 2);
  if (result->log_target)
    {
      /* Translators: %s is a metric name, as in "True views, log(1 + n)". */
      x_label = g_strdup_printf (_("True %s, log(1 + n)"), title);
      /* Translators: %s is a metric name, as in "Predicted views, log(1 + n)". */
      y_label = g_strdup_printf (_("Predicted %s, log(1 + n)"), title);
    }
  else
    {
      /* Translators: %s is a metric name. */
      x_label = g_strdup_printf (_("True %s"), title);
      /* Translators: %s is a metric name. */
      y_label = g_strdup_printf (_("Predicted %s"), title);
    }
  cs_chart_set_x_label (chart, x_label);
  cs_chart_set_y_label (chart, y_label);
}

void
cs_predict_charts_show_model (CsPredictCharts            *self,
                              const CsPredictResult      *result,
                              const CsPredictModelResult *model)
{
  CsCurveKind kinds[3] = { CS_CURVE_ROC, CS_CURVE_PR, CS_CURVE_CALIBRATION };

  g_return_if_fail (self != NULL);

  for (guint k = 0; k < 3; k++)
    cs_line_layer_clear (self->curves[k]);
  cs_scatter_layer_clear (self->scatter);
  cs_line_layer_clear (self->diagonal);
  if (model == NULL || result == NULL)
    return;

  set_bars_from (self->importance_bars, model->importance, TRUE,
                 result->regression ? _("Rise in RMSE") : _("Drop in macro-F1"));
  set_bars_from (self->shap_bars, model->shap, FALSE, _("Mean |SHAP|"));
  if (result->regression)
    {
      show_scatter (self, result, model);
      return;
    }

  /* Curves of the first fold, one per class (one-vs-rest); the reference
   * line is chance (ROC) or perfect calibration. */
  for (guint k = 0; k < 3; k++)
    {
      static const double diag[2] = { 0.0, 1.0 };

      for (guint i = 0; model->curves != NULL && i < model->curves->len; i++)
        {
          const CsPredictCurve *curve = g_ptr_array_index (model->curves, i);

          if (curve->kind != kinds[k] || curve->fold != 0 || curve->class_index >= result->n_classes)
            continue;
          cs_line_layer_add_series (self->curves[k], result->class_names[curve->class_index],
                                    curve->x, curve->y, curve->n_points);
        }
      if (k != 1)
        cs_line_layer_add_series (self->curves[k], k == 0 ? _("Chance") : _("Perfectly calibrated"), diag, diag, 2);
    }

  cs_confusion_matrix_layer_set_data (self->confusion, (const char * const *) result->class_names,
                                      result->n_classes, model->confusion);
}
