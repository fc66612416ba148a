/* cs-predict-report.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cs-predict-charts.h"
#include "cs-predict-report.h"
#include "cs-predict-table.h"
#include "cs-report-private.h"
#include "cs-report-table.h"

struct _CsPredictReport
{
  CsReport         parent_instance;

  CsPredictResult *result;
  const CsPredictModelResult *detail;
  CsReportTable   *table;     /* built on first use */
  CsReportTable   *class_table; /* the detail model class by class; NULL for a number */
  GPtrArray       *table_rows; /* CsPredictTableRow*, for the tests' explanations */
  gboolean         laid_out;
  gboolean         reading_page; /* the explanations have a page of their own */
  gboolean         classes_on_table_page; /* the class table fits under the metrics */
  CsPredictCharts  charts;
  gboolean         charts_ready;
  GArray          *chart_list; /* CsPredictChartKind, in the order they are drawn */
};

G_DEFINE_FINAL_TYPE (CsPredictReport, cs_predict_report, CS_TYPE_REPORT)

static const CsPredictModelResult *
find_detail (const CsPredictResult *result)
{
  CsPredictModelResult *best = result->best ? cs_predict_result_find_model (result, result->best) : NULL;

  if (best != NULL && g_strcmp0 (best->status, "failed") != 0)
    return best;
  for (guint m = 0; m < result->models->len; m++)
    {
      const CsPredictModelResult *model = g_ptr_array_index (result->models, m);

      if (g_strcmp0 (model->status, "failed") != 0)
        return model;
    }
  return NULL;
}

CsReport *
cs_predict_report_new (CsPredictResult *result)
{
  CsPredictReport *self;

  g_return_val_if_fail (result != NULL, NULL);

  self = g_object_new (CS_TYPE_PREDICT_REPORT, NULL);
  self->result = result;
  self->detail = find_detail (result);
  return CS_REPORT (self);
}

const CsPredictResult *
cs_predict_report_get_result (CsPredictReport *self)
{
  g_return_val_if_fail (CS_IS_PREDICT_REPORT (self), NULL);

  return self->result;
}

const CsPredictModelResult *
cs_predict_report_get_detail_model (CsPredictReport *self)
{
  g_return_val_if_fail (CS_IS_PREDICT_REPORT (self), NULL);

  return self->detail;
}

/* ---- Table --------------------------------------------------------------- */

static CsReportTable *
ensure_table (CsPredictReport *self)
{
  const CsPredictResult *result = self->result;
  guint n_models = result->models->len;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autofree CsReportCellStyle *styles = g_new0 (CsReportCellStyle, MAX (n_models, 1));

  if (self->table != NULL)
    return self->table;

  for (guint m = 0; m < n_models; m++)
    g_ptr_array_add (labels, ((CsPredictModelResult *) g_ptr_array_index (result->models, m))->label);
  self->table = cs_report_table_new (_("Metric"), (const char * const *) labels->pdata, n_models);
  self->table_rows = cs_predict_result_get_table (result);
  /* Each row is its own group: stripes alternate, and a page may break
   * between any two rows. */
  for (guint r = 0; r < self->table_rows->len; r++)
    {
      const CsPredictTableRow *row = g_ptr_array_index (self->table_rows, r);

      for (guint m = 0; m < n_models; m++)
        styles[m] = row->emphasis[m] ? CS_REPORT_CELL_BOLD
                    : g_strcmp0 (row->cells[m], "—") == 0 ? CS_REPORT_CELL_DIM : CS_REPORT_CELL_PLAIN;
      cs_report_table_add_row (self->table, row->title, r, (const char * const *) row->cells, styles);
    }
  for (guint m = 0; m < n_models; m++)
    {
      const CsPredictModelResult *model = g_ptr_array_index (result->models, m);

      if (g_strcmp0 (model->status, "failed") == 0)
        cs_report_table_add_failure (self->table, model->label, model->error);
    }
  return self->table;
}

/* The detail model's precision, recall and F1 for each class, from its
 * confusion matrix over all test folds; NULL for a number. */
static CsReportTable *
ensure_class_table (CsPredictReport *self)
{
  const CsPredictResult *result = self->result;
  const char *columns[] = { _("Test clips"), _("Precision"), _("Recall"), _("F1") };

  if (self->class_table != NULL || result->regression || self->detail == NULL ||
      self->detail->confusion == NULL)
    return self->class_table;

  self->class_table = cs_report_table_new (_("Class"), columns, G_N_ELEMENTS (columns));
  for (guint c = 0; c < result->n_classes; c++)
    {
      double precision, recall, f1;
      guint support = cs_metric_class_scores (self->detail->confusion, result->n_classes, c,
                                              &precision, &recall, &f1);
      g_autofree char *clips = g_strdup_printf ("%u", support);
      g_autofree char *p = g_strdup_printf ("%.3f", precision);
      g_autofree char *r = g_strdup_printf ("%.3f", recall);
      g_autofree char *f = g_strdup_printf ("%.3f", f1);
      const char *cells[] = { clips, p, r, f };

      cs_report_table_add_row (self->class_table, result->class_names[c], c, cells, NULL);
    }
  return self->class_table;
}

/* ---- Charts -------------------------------------------------------------- */

static gboolean
has_curves (const CsPredictModelResult *model,
            CsCurveKind                 kind)
{
  for (guint i = 0; model->curves != NULL && i < model->curves->len; i++)
    if (((CsPredictCurve *) g_ptr_array_index (model->curves, i))->kind == kind &&
        ((CsPredictCurve *) g_ptr_array_index (model->curves, i))->fold == 0)
      return TRUE;
  return FALSE;
}

/* The charts the result has data for, in the page's order. */
static void
ensure_charts (CsPredictReport *self)
{
  const CsPredictResult *result = self->result;
  const CsPredictModelResult *model = self->detail;
  CsPredictChartKind kind;

  if (self->charts_ready)
    return;
  self->charts_ready = TRUE;
  cs_predict_charts_init (&self->charts);
  for (guint i = 0; i < CS_PREDICT_N_CHARTS; i++)
    cs_report_style_chart (self->charts.charts[i]);
  cs_predict_charts_show_result (&self->charts, result);
  cs_predict_charts_show_model (&self->charts, result, model);

  self->chart_list = g_array_new (FALSE, FALSE, sizeof (CsPredictChartKind));
  if (result->models->len == 0)
    return;
  kind = CS_PREDICT_CHART_PRIMARY;
  g_array_append_val (self->chart_list, kind);
  if (model == NULL)
    return;
  if (result->regression && model->clips != NULL && model->clips->len > 0)
    {
      kind = CS_PREDICT_CHART_SCATTER;
      g_array_append_val (self->chart_list, kind);
    }
  if (!result->regression)
    {
      static const CsCurveKind curves[3] = { CS_CURVE_ROC, CS_CURVE_PR, CS_CURVE_CALIBRATION };

      if (model->confusion != NULL)
        {
          kind = CS_PREDICT_CHART_CONFUSION;
          g_array_append_val (self->chart_list, kind);
        }
      for (guint k = 0; k < 3; k++)
        if (has_curves (model, curves[k]))
          {
            kind = CS_PREDICT_CHART_ROC + k;
            g_array_append_val (self->chart_list, kind);
          }
    }
  if (model->importance != NULL && model->importance->len > 0)
    {
      kind = CS_PREDICT_CHART_IMPORTANCE;
      g_array_append_val (self->chart_list, kind);
    }
  if (model->shap != NULL && model->shap->len > 0)
    {
      kind = CS_PREDICT_CHART_SHAP;
      g_array_append_val (self->chart_list, kind);
    }
}

static guint
n_chart_pages (CsPredictReport *self)
{
  ensure_charts (self);
  return (self->chart_list->len + 1) / 2;
}

/* ---- Pages --------------------------------------------------------------- */

static void
draw_title_page (CsPredictReport *self,
                 cairo_t         *cr)
{
  const CsPredictResult *result = self->result;
  g_autofree char *target = cs_predict_result_describe (result);
  g_autofree char *protocol = cs_predict_result_describe_protocol (result);
  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, result->seed);
  g_autofree char *folds = NULL;
  g_autoptr(GString) groups = g_string_new (NULL);
  g_autoptr(GString) models = g_string_new (NULL);
  double y;

  y = cs_report_draw_title_block (CS_REPORT (self), cr, result->run_id);

  for (guint bit = 0; bit < 8; bit++)
    {
      const char *title = (result->groups & (1u << bit)) ? cs_predict_group_get_title (1u << bit) : NULL;

      if (title != NULL)
        g_string_append_printf (groups, "%s%s", groups->len ? "\n" : "", title);
    }
  for (guint m = 0; m < result->models->len; m++)
    {
      const CsPredictModelResult *model = g_ptr_array_index (result->models, m);

      g_string_append_printf (models, "%s%s", m ? "\n" : "", model->label);
      if (g_strcmp0 (model->status, "failed") == 0)
        /* Translators: after a model name in the report when it could not be trained. */
        g_string_append (models, _(" (failed)"));
      else if (model == self->detail)
        /* Translators: after the name of the model with the best mean score in the report. */
        g_string_append (models, _(" (best)"));
    }
  folds = result->n_folds > 1
          /* Translators: the folds of a Predict comparison in the report. */
          ? g_strdup_printf (_("%u test folds; every clip is tested once, by models that did not learn from it"),
                             result->n_folds)
          : g_strdup (_("One test set, the newest clips"));

  y = cs_report_draw_heading (cr, _("What was predicted"), y);
  y += cs_report_draw_text (cr, target, CS_REPORT_MARGIN_X, y, 10.5, PANGO_WEIGHT_NORMAL, CS_REPORT_CONTENT_WIDTH,
                            &cs_report_text_color) + 20;

  y = cs_report_draw_heading (cr, _("How the models were compared"), y);
  y = cs_report_draw_fact (cr, _("Evaluation"), protocol, y);
  y = cs_report_draw_fact (cr, _("Folds"), folds, y);
  y = cs_report_draw_fact (cr, _("Seed"), seed, y);
  y = cs_report_draw_fact (cr, _("Features"), groups->len ? groups->str : "—", y);
  y = cs_report_draw_fact (cr, _("Models"), models->len ? models->str : "—", y);
  y += 6;
  y += cs_report_draw_text (cr,
                            _("Each model learned from the training clips of a fold and predicted the clips held out; "
                              "the features were fitted on the training clips only. Results of different targets, "
                              "features or protocols are not comparable: compare these numbers only with runs that "
                              "used the same settings and data."),
                            CS_REPORT_MARGIN_X, y, 9.5, PANGO_WEIGHT_NORMAL, CS_REPORT_CONTENT_WIDTH,
                            &cs_report_dim_color);
  y += 26;

  y = cs_report_draw_heading (cr, _("Data"), y);
  {
    g_autofree char *clips = g_strdup_printf ("%u", result->n_clips);

    y = cs_report_draw_fact (cr, _("Clips"), clips, y);
  }
  if (result->n_dropped > 0)
    {
      g_autofree char *dropped = g_strdup_printf ("%u", result->n_dropped);

      y = cs_report_draw_fact (cr, _("Clips without a value"), dropped, y);
    }
  if (result->regression)
    {
      g_autofree char *mean = cs_predict_format_number (result->target_mean);
      g_autofree char *median = cs_predict_format_number (result->target_median);

      y = cs_report_draw_fact (cr, _("Mean"), mean, y);
      y = cs_report_draw_fact (cr, _("Median"), median, y);
    }
  if (result->n_features > 0)
    {
      g_autofree char *features = g_strdup_printf ("%u", result->n_features);

      cs_report_draw_fact (cr, _("Feature columns"), features, y);
    }
}

/* How to read the tests and the metrics; returns the y below it. */
static double
draw_reading (CsPredictReport *self,
              cairo_t         *cr,
              double           y)
{
  y = cs_report_draw_heading (cr, _("The tests"), y);
  for (guint r = 0; r < self->table_rows->len; r++)
    {
      const CsPredictTableRow *row = g_ptr_array_index (self->table_rows, r);

      if (row->tip != NULL)
        y = cs_report_draw_fact (cr, row->title, row->tip, y);
    }
  y += 20;
  y = cs_report_draw_heading (cr, _("Reading the numbers"), y);
  y += cs_report_draw_text (cr,
                            self->result->regression
                       ? _("MAE is the mean absolute error and RMSE the root mean squared error, in the target’s own "
                           "units (lower is better); R² is the share of the variance explained (1 is perfect, 0 no "
                           "better than the mean) and Spearman ρ how well the predictions put the clips in order. "
                           "For counts, the (log) rows measure errors in log(1 + n), where being off by a factor "
                           "counts the same for small and large clips. The baseline predicts the training clips’ "
                           "mean: a useful model beats it.")
                       : _("Accuracy is the share of clips put in their class. Balanced accuracy, macro precision, "
                           "recall and F1 weigh every class equally, so a model cannot do well by always naming the "
                           "common class; macro-F1 is what the models are compared on. ROC AUC (0.5 is chance, 1 "
                           "perfect) says how well the probabilities rank the clips, and log loss (lower is better) "
                           "punishes confident mistakes. The majority baseline names the most common class for "
                           "every clip: a useful model beats it."),
                       CS_REPORT_MARGIN_X, y, 10, PANGO_WEIGHT_NORMAL, CS_REPORT_CONTENT_WIDTH,
                       &cs_report_text_color);
  return y;
}

/* The best model class by class (nothing for a number); returns the y
 * below it. */
static double
draw_classes (CsPredictReport *self,
              cairo_t         *cr,
              double           y)
{
  g_autofree char *heading = NULL;

  if (ensure_class_table (self) == NULL)
    return y;
  /* Translators: %s is a model, e.g. "Logistic regression (C=1)". */
  heading = g_strdup_printf (_("Class by class: %s"), self->detail->label);
  y = cs_report_draw_heading (cr, heading, y);
  y += cs_report_draw_text (cr,
                            _("Over all test folds. Precision: of the clips the model put in a class, the "
                              "share that belong there. Recall: of the clips in a class, the share the model "
                              "put there. F1 is their harmonic mean: a class the model seldom finds, or "
                              "names too often, has a low F1."),
                            CS_REPORT_MARGIN_X, y, 10, PANGO_WEIGHT_NORMAL, CS_REPORT_CONTENT_WIDTH,
                            &cs_report_text_color);
  return cs_report_table_draw (self->class_table, cr, 0, y + 8) + 20;
}

/* Returns the y below the table. */
static double
draw_table_part (CsPredictReport *self,
                 cairo_t         *cr,
                 guint            table_page)
{
  CsReportTable *table = ensure_table (self);
  g_autofree char *subtitle = NULL;
  double y;

  if (table_page == 0)
    {
      subtitle = self->result->n_folds > 1
                 /* Translators: under the report's table of a Predict comparison. */
                 ? g_strdup_printf (_("Mean ± standard deviation over the %u test folds. Bold marks the best mean "
                                      "in each row and p-values below 0.05 against the baseline."),
                                    self->result->n_folds)
                 : g_strdup (_("Values on the test set. Bold marks the best value in each row."));
      y = cs_report_draw_page_title (cr, _("Metrics"), subtitle);
    }
  else
    y = cs_report_draw_page_title (cr, _("Metrics (continued)"), NULL);
  return cs_report_table_draw (table, cr, table_page, y);
}

/* Under the table on its last page come the best model class by class,
 * then the explanations, each when it fits there; what does not fit has
 * a page of its own ("Reading the table"), the classes first. */
static void
ensure_layout (CsPredictReport *self)
{
  cairo_surface_t *scratch;
  cairo_t *cr;
  double y, below;

  if (self->laid_out)
    return;
  self->laid_out = TRUE;
  scratch = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cr = cairo_create (scratch);
  y = draw_table_part (self, cr, cs_report_table_get_n_pages (ensure_table (self)) - 1) + 14;
  below = draw_classes (self, cr, y);
  self->classes_on_table_page = below <= CS_REPORT_CONTENT_BOTTOM;
  if (self->classes_on_table_page)
    y = below;
  self->reading_page = !self->classes_on_table_page || draw_reading (self, cr, y) > CS_REPORT_CONTENT_BOTTOM;
  cairo_destroy (cr);
  cairo_surface_destroy (scratch);
}

static void
draw_table_page (CsPredictReport *self,
                 cairo_t         *cr,
                 guint            table_page)
{
  double y = draw_table_part (self, cr, table_page);

  if (table_page + 1 < cs_report_table_get_n_pages (self->table))
    return;
  y += 14;
  if (self->classes_on_table_page)
    y = draw_classes (self, cr, y);
  if (!self->reading_page)
    draw_reading (self, cr, y);
}

static void
draw_charts_page (CsPredictReport *self,
                  cairo_t         *cr,
                  guint            which)
{
  const char *detail = self->detail != NULL ? self->detail->label : "";
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  double y, h;

  if (which == 0)
    {
      title = g_strdup (_("Models compared"));
      subtitle = self->result->regression
                 /* Translators: %s is a model, e.g. "Logistic regression (C=1)". */
                 ? g_strdup_printf (_("Each model’s error over the test folds, and how close the best model, %s, "
                                      "comes to each clip’s true number."), detail)
                 : g_strdup_printf (_("Each model’s macro-F1 over the test folds, and where the best model, %s, "
                                      "puts the clips of each class."), detail);
    }
  else
    {
      /* Translators: %s is a model, e.g. "Logistic regression (C=1)". */
      title = g_strdup_printf (_("The best model: %s"), detail);
      subtitle = g_strdup (self->result->regression
                           ? _("Which features its predictions lean on.")
                           : _("How well its probabilities separate the classes (one class against the rest), "
                               "and which features it leans on."));
    }
  y = cs_report_draw_page_title (cr, title, subtitle);
  h = (CS_REPORT_CONTENT_BOTTOM - y - 24) / 2;
  for (guint i = 0; i < 2 && 2 * which + i < self->chart_list->len; i++)
    {
      CsPredictChartKind kind = g_array_index (self->chart_list, CsPredictChartKind, 2 * which + i);

      cs_report_draw_chart (cr, self->charts.charts[kind], CS_REPORT_MARGIN_X, y + i * (h + 24),
                            CS_REPORT_CONTENT_WIDTH, h);
    }
}

static const char *
cs_predict_report_get_kind_title (CsReport *report)
{
  return _("Predict comparison");
}

static guint
cs_predict_report_get_n_pages (CsReport *report)
{
  CsPredictReport *self = CS_PREDICT_REPORT (report);

  /* Title, the table, maybe how to read it, the charts two a page. */
  ensure_layout (self);
  return 1 + cs_report_table_get_n_pages (self->table) + (self->reading_page ? 1 : 0) + n_chart_pages (self);
}

static void
cs_predict_report_draw_page (CsReport *report,
                             cairo_t  *cr,
                             guint     page)
{
  CsPredictReport *self = CS_PREDICT_REPORT (report);
  guint n_table;

  ensure_layout (self);
  n_table = cs_report_table_get_n_pages (self->table) + (self->reading_page ? 1 : 0);
  if (page == 0)
    draw_title_page (self, cr);
  else if (self->reading_page && page == n_table)
    {
      double y = cs_report_draw_page_title (cr, _("Reading the table"), NULL);

      if (!self->classes_on_table_page)
        y = draw_classes (self, cr, y);
      draw_reading (self, cr, y);
    }
  else if (page <= n_table)
    draw_table_page (self, cr, page - 1);
  else
    draw_charts_page (self, cr, page - 1 - n_table);
}

static void
cs_predict_report_finalize (GObject *object)
{
  CsPredictReport *self = CS_PREDICT_REPORT (object);

  if (self->charts_ready)
    cs_predict_charts_clear (&self->charts);
  g_clear_pointer (&self->chart_list, g_array_unref);
  g_clear_pointer (&self->table, cs_report_table_free);
  g_clear_pointer (&self->class_table, cs_report_table_free);
  g_clear_pointer (&self->table_rows, g_ptr_array_unref);
  g_clear_pointer (&self->result, cs_predict_result_free);

  G_OBJECT_CLASS (cs_predict_report_parent_class)->finalize (object);
}

static void
cs_predict_report_class_init (CsPredictReportClass *klass)
{
  CsReportClass *report_class = CS_REPORT_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = cs_predict_report_finalize;
  report_class->get_kind_title = cs_predict_report_get_kind_title;
  report_class->get_n_pages = cs_predict_report_get_n_pages;
  report_class->draw_page = cs_predict_report_draw_page;
}

static void
cs_predict_report_init (CsPredictReport *self)
{
}
