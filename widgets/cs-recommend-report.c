/* cs-recommend-report.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "cs-bar-layer.h"
#include "cs-eval-export.h"
#include "cs-eval-significance.h"
#include "cs-format.h"
#include "cs-metrics.h"
#include "cs-recommend-report.h"
#include "cs-report-private.h"
#include "cs-report-table.h"
#include "cs-significance-layer.h"

struct _CsRecommendReport
{
  CsReport       parent_instance;

  CsEvalResult  *result;
  CsReportTable *table;   /* built on first use */
};

G_DEFINE_FINAL_TYPE (CsRecommendReport, cs_recommend_report, CS_TYPE_REPORT)

CsReport *
cs_recommend_report_new (CsEvalResult *result)
{
  CsRecommendReport *self;

  g_return_val_if_fail (result != NULL, NULL);

  self = g_object_new (CS_TYPE_RECOMMEND_REPORT, NULL);
  self->result = result;
  return CS_REPORT (self);
}

const CsEvalResult *
cs_recommend_report_get_result (CsRecommendReport *self)
{
  g_return_val_if_fail (CS_IS_RECOMMEND_REPORT (self), NULL);

  return self->result;
}

static char *
count_text (gint64 count)
{
  return cs_format_count (count);
}

/* ---- Table --------------------------------------------------------------- */

static char *
format_cell (gboolean seconds,
             double   value)
{
  if (!isfinite (value))
    return g_strdup ("—");
  if (seconds)
    return value < 0.0005 ? g_strdup (_("< 0.001 s")) : g_strdup_printf (_("%.3f s"), value);
  return g_strdup_printf ("%.4f", value);
}

/* Bold marks the best value (the highest, the lowest for times); values
 * that print the same as the best are as good as the best. */
static void
add_row (CsRecommendReport *self,
         const char        *label,
         guint              group,
         const double      *values,
         gboolean           seconds)
{
  guint n_models = self->result->models->len;
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  g_autofree CsReportCellStyle *styles = g_new0 (CsReportCellStyle, MAX (n_models, 1));
  g_autofree char *best_text = NULL;
  double best = seconds ? INFINITY : -INFINITY;

  for (guint m = 0; m < n_models; m++)
    if (isfinite (values[m]))
      best = seconds ? MIN (best, values[m]) : MAX (best, values[m]);
  if (isfinite (best) && n_models > 1)
    best_text = format_cell (seconds, best);
  for (guint m = 0; m < n_models; m++)
    {
      char *text = format_cell (seconds, values[m]);

      g_ptr_array_add (cells, text);
      styles[m] = !isfinite (values[m]) ? CS_REPORT_CELL_DIM
                  : best_text != NULL && strcmp (text, best_text) == 0 ? CS_REPORT_CELL_BOLD
                  : CS_REPORT_CELL_PLAIN;
    }
  cs_report_table_add_row (self->table, label, group, (const char * const *) cells->pdata, styles);
}

static CsReportTable *
ensure_table (CsRecommendReport *self)
{
  const CsEvalResult *result = self->result;
  guint n_models = result->models->len;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autofree double *values = g_new (double, MAX (n_models, 1));
  guint group = 0;

  if (self->table != NULL)
    return self->table;

  for (guint m = 0; m < n_models; m++)
    g_ptr_array_add (labels, ((CsEvalModelResult *) g_ptr_array_index (result->models, m))->label);
  self->table = cs_report_table_new (_("Metric"), (const char * const *) labels->pdata, n_models);

  for (guint metric = 0; metric < CS_N_METRICS; metric++)
    {
      gboolean any = FALSE;

      /* A metric no model has (e.g. stored before it existed) is left out. */
      for (guint ki = 0; ki < result->n_ks && !any; ki++)
        {
          g_autofree char *key = g_strdup_printf ("%s@%u", cs_metric_get_name ((CsMetric) metric), result->ks[ki]);

          for (guint m = 0; m < n_models; m++)
            any |= isfinite (cs_eval_model_result_get (g_ptr_array_index (result->models, m), key));
        }
      if (!any)
        continue;
      for (guint ki = 0; ki < result->n_ks; ki++)
        {
          g_autofree char *key = g_strdup_printf ("%s@%u", cs_metric_get_name ((CsMetric) metric), result->ks[ki]);
          g_autofree char *label = g_strdup_printf ("%s@%u", cs_metric_get_label ((CsMetric) metric),
                                                    result->ks[ki]);

          for (guint m = 0; m < n_models; m++)
            values[m] = cs_eval_model_result_get (g_ptr_array_index (result->models, m), key);
          add_row (self, label, group, values, FALSE);
        }
      group++;
    }

  for (guint t = 0; t < 2; t++)
    {
      for (guint m = 0; m < n_models; m++)
        {
          const CsEvalModelResult *model = g_ptr_array_index (result->models, m);
          gboolean failed = g_strcmp0 (model->status, "failed") == 0;

          values[m] = t == 0 ? model->fit_s : (failed ? NAN : model->score_s);
        }
      add_row (self, t == 0 ? _("Training time") : _("Scoring time"), group, values, TRUE);
    }

  for (guint m = 0; m < n_models; m++)
    {
      const CsEvalModelResult *model = g_ptr_array_index (result->models, m);

      if (g_strcmp0 (model->status, "failed") == 0)
        cs_report_table_add_failure (self->table, model->label, model->error);
    }
  return self->table;
}

/* ---- Charts -------------------------------------------------------------- */

/* One group per K, one bar per model. */
static CsChart *
metric_chart (const CsEvalResult *result,
              CsMetric            metric,
              const char         *title,
              const char         *y_label)
{
  CsChart *chart = cs_report_make_chart (title, _("List length K"), y_label);
  g_autoptr(CsBarLayer) bars = cs_bar_layer_new ();
  g_autoptr(GPtrArray) categories = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) series = g_ptr_array_new ();
  guint n_models = result->models->len;
  g_autofree double *values = g_new0 (double, MAX (1, result->n_ks * n_models));

  for (guint m = 0; m < n_models; m++)
    g_ptr_array_add (series, ((CsEvalModelResult *) g_ptr_array_index (result->models, m))->label);
  for (guint ki = 0; ki < result->n_ks; ki++)
    {
      g_autofree char *key = g_strdup_printf ("%s@%u", cs_metric_get_name (metric), result->ks[ki]);

      /* Translators: a category on the x axis of a report chart. */
      g_ptr_array_add (categories, g_strdup_printf (_("K = %u"), result->ks[ki]));
      for (guint m = 0; m < n_models; m++)
        values[ki * n_models + m] = cs_eval_model_result_get (g_ptr_array_index (result->models, m), key);
    }
  cs_bar_layer_set_value_format (bars, "%.3f");
  cs_bar_layer_set_data (bars, (const char * const *) categories->pdata, categories->len,
                         (const char * const *) series->pdata, series->len, values, NULL, NULL);
  cs_chart_add_layer (chart, CS_CHART_LAYER (bars));
  return chart;
}

/* One group per model: training and scoring time. */
static CsChart *
time_chart (const CsEvalResult *result)
{
  CsChart *chart = cs_report_make_chart (_("Time to train and to score every test viewer"), NULL,
                               _("Seconds (lower is faster)"));
  g_autoptr(CsBarLayer) bars = cs_bar_layer_new ();
  g_autoptr(GPtrArray) categories = g_ptr_array_new ();
  const char *series[] = { _("Training"), _("Scoring") };
  guint n_models = result->models->len;
  g_autofree double *values = g_new0 (double, MAX (1, 2 * n_models));
  double max = 0, unit = 1;

  for (guint m = 0; m < n_models; m++)
    {
      const CsEvalModelResult *model = g_ptr_array_index (result->models, m);
      gboolean failed = g_strcmp0 (model->status, "failed") == 0;

      g_ptr_array_add (categories, model->label);
      values[2 * m] = model->fit_s;
      values[2 * m + 1] = failed ? NAN : model->score_s;
      max = MAX (max, MAX (model->fit_s, failed ? 0 : model->score_s));
    }
  /* Small models train in milliseconds; "0.44" reads better than "4.4e-04". */
  if (max < 1.0)
    {
      unit = 1000;
      cs_chart_set_y_label (chart, _("Milliseconds (lower is faster)"));
    }
  for (guint i = 0; i < 2 * n_models; i++)
    values[i] *= unit;
  cs_bar_layer_set_value_format (bars, "%.3g");
  cs_bar_layer_set_data (bars, (const char * const *) categories->pdata, categories->len,
                         series, 2, values, NULL, NULL);
  cs_chart_add_layer (chart, CS_CHART_LAYER (bars));
  return chart;
}

/* Every pair of models at the first K asked for, or NULL when the
 * comparison kept no significance matrix (stored before it existed) or has
 * fewer than two models. */
static const CsSignificanceMatrix *
significance_of (const CsEvalResult *result,
                 CsMetric            metric)
{
  const CsSignificanceMatrix *matrix;

  if (result->n_ks == 0)
    return NULL;
  matrix = cs_eval_result_get_significance (result, metric, result->ks[0]);
  return matrix != NULL && matrix->n_models >= 2 ? matrix : NULL;
}

/* The Recommend page's matrix: row against column, paired t-test, Holm. */
static CsChart *
significance_chart (const CsEvalResult         *result,
                    CsMetric                    metric,
                    const CsSignificanceMatrix *matrix)
{
  g_autofree char *name = g_strdup_printf ("%s@%u", cs_metric_get_label (metric), result->ks[0]);
  /* Translators: title of the significance matrix, %s is a metric such as NDCG@10. */
  g_autofree char *title = g_strdup_printf (_("%s: is the row model better than the column model?"), name);
  CsChart *chart = cs_report_make_chart (title, _("Column model; p adjusted for all pairs, significant below 0.05"),
                               _("Row model"));
  g_autoptr(CsSignificanceLayer) layer = cs_significance_layer_new ();
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  for (guint m = 0; m < result->models->len; m++)
    g_ptr_array_add (labels, ((CsEvalModelResult *) g_ptr_array_index (result->models, m))->label);
  cs_significance_layer_set_labels (layer, name, _("paired t-test, Holm-adjusted"));
  cs_significance_layer_set_data (layer, (const char * const *) labels->pdata, labels->len,
                                  matrix->mean_diff, matrix->t_p_holm, 0.05);
  cs_chart_add_layer (chart, CS_CHART_LAYER (layer));
  return chart;
}

/* ---- Pages --------------------------------------------------------------- */

static const char *
cs_recommend_report_get_kind_title (CsReport *report)
{
  return _("Recommender comparison");
}

static guint
cs_recommend_report_get_n_pages (CsReport *report)
{
  CsRecommendReport *self = CS_RECOMMEND_REPORT (report);

  /* Title, the table, accuracy charts, coverage and time charts, and the
   * significance matrices when the comparison kept them. */
  return 1 + cs_report_table_get_n_pages (ensure_table (self)) + 2 +
         (significance_of (self->result, CS_METRIC_NDCG) != NULL ? 1 : 0);
}

static void
draw_title_page (CsRecommendReport *self,
                 cairo_t           *cr)
{
  const CsEvalResult *result = self->result;
  double y;
  g_autofree char *protocol = cs_eval_result_describe_protocol (result);
  g_autofree char *positives = cs_eval_result_describe_positives (result);
  g_autoptr(GString) ks = g_string_new (NULL);
  g_autoptr(GString) models = g_string_new (NULL);

  y = cs_report_draw_title_block (CS_REPORT (self), cr, result->run_id);

  for (guint ki = 0; ki < result->n_ks; ki++)
    g_string_append_printf (ks, "%s%u", ki ? ", " : "", result->ks[ki]);
  for (guint m = 0; m < result->models->len; m++)
    {
      const CsEvalModelResult *model = g_ptr_array_index (result->models, m);

      g_string_append_printf (models, "%s%s", m ? "\n" : "", model->label);
      if (g_strcmp0 (model->status, "failed") == 0)
        /* Translators: after a model name in the report when it could not be trained. */
        g_string_append (models, _(" (failed)"));
    }

  y = cs_report_draw_heading (cr, _("How the models were compared"), y);
  y = cs_report_draw_fact (cr, _("Evaluation"), protocol, y);
  y = cs_report_draw_fact (cr, _("Interest"), positives, y);
  y = cs_report_draw_fact (cr, _("List length K"), ks->str, y);
  {
    g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, result->seed);

    y = cs_report_draw_fact (cr, _("Seed"), seed, y);
  }
  y = cs_report_draw_fact (cr, _("Models"), models->len ? models->str : "—", y);
  y += 6;
  y += cs_report_draw_text (cr,
                  _("Each model learned from the training interactions and ranked, for every test viewer, "
                    "all the clips that viewer had not met in training. Results of different protocols "
                    "are not comparable: compare these numbers only with runs that used the same "
                    "evaluation, interest rule and data."),
                  CS_REPORT_MARGIN_X, y, 9.5, PANGO_WEIGHT_NORMAL, CS_REPORT_CONTENT_WIDTH, &cs_report_dim_color);
  y += 26;

  y = cs_report_draw_heading (cr, _("Data"), y);
  {
    g_autofree char *train = count_text (result->train_pairs);
    g_autofree char *test = count_text (result->test_pairs);
    g_autofree char *test_viewers = count_text (result->test_viewers);
    g_autofree char *viewers = count_text (result->n_viewers);
    g_autofree char *clips = count_text (result->n_clips);
    /* Translators: "943 of 943 viewers with interest". */
    g_autofree char *viewers_text = g_strdup_printf (_("%s of %s viewers"), test_viewers, viewers);

    y = cs_report_draw_fact (cr, _("Training interactions"), train, y);
    y = cs_report_draw_fact (cr, _("Test interactions"), test, y);
    y = cs_report_draw_fact (cr, _("Test viewers"), viewers_text, y);
    y = cs_report_draw_fact (cr, _("Clips"), clips, y);
  }
  y += 20;

  y = cs_report_draw_heading (cr, _("Reading the numbers"), y);
  cs_report_draw_text (cr,
             _("Every metric is a mean over the test viewers; higher is better. NDCG@K (0 to 1) rewards "
               "finding a viewer’s test clips near the top of their list of K clips. Recall@K is the share "
               "of a viewer’s test clips the list finds, and Precision@K the share of the list that was "
               "right. Hit rate@K counts viewers with at least one hit; MAP and MRR reward early hits. "
               "Coverage@K is the share of all clips that appear in some list, and Novelty@K grows as the "
               "lists favour less popular clips."),
             CS_REPORT_MARGIN_X, y, 10, PANGO_WEIGHT_NORMAL, CS_REPORT_CONTENT_WIDTH, &cs_report_text_color);
}

static void
draw_table_page (CsRecommendReport *self,
                 cairo_t           *cr,
                 guint              table_page)
{
  double y;
  g_autofree char *viewers = count_text (self->result->test_viewers);
  g_autofree char *subtitle = NULL;

  if (table_page == 0)
    {
      subtitle = g_strdup_printf (_("Means over %s test viewers. Bold marks the best value in each row: "
                                    "the highest for metrics, the lowest for times."), viewers);
      y = cs_report_draw_page_title (cr, _("Metrics"), subtitle);
    }
  else
    y = cs_report_draw_page_title (cr, _("Metrics (continued)"), NULL);
  cs_report_table_draw (self->table, cr, table_page, y);
}

static void
draw_charts_page (CsRecommendReport *self,
                  cairo_t           *cr,
                  guint              which)
{
  g_autoptr(CsChart) top = NULL;
  g_autoptr(CsChart) bottom = NULL;
  double y, h;

  if (which == 0)
    {
      y = cs_report_draw_page_title (cr, _("Accuracy"),
                           _("How well each model’s list of K clips finds what viewers watched next."));
      top = metric_chart (self->result, CS_METRIC_NDCG, _("Ranking quality (NDCG@K)"),
                          _("NDCG (higher is better)"));
      bottom = metric_chart (self->result, CS_METRIC_RECALL, _("Share of test clips found (Recall@K)"),
                             _("Recall (higher is better)"));
    }
  else if (which == 2)
    {
      const CsSignificanceMatrix *ndcg = significance_of (self->result, CS_METRIC_NDCG);
      const CsSignificanceMatrix *recall = significance_of (self->result, CS_METRIC_RECALL);

      y = cs_report_draw_page_title (cr, _("Which differences are real"),
                           _("Every pair of models tested over the same test viewers (paired t-test, "
                             "p-values Holm-adjusted for all pairs). Blue: the row model is significantly "
                             "better; orange: significantly worse; grey: no significant difference."));
      top = significance_chart (self->result, CS_METRIC_NDCG, ndcg);
      if (recall != NULL)
        bottom = significance_chart (self->result, CS_METRIC_RECALL, recall);
    }
  else
    {
      y = cs_report_draw_page_title (cr, _("Breadth and speed"),
                           _("How much of the catalogue the lists use, and what each model costs to run."));
      top = metric_chart (self->result, CS_METRIC_COVERAGE, _("Share of clips recommended (Coverage@K)"),
                          _("Coverage (higher is broader)"));
      bottom = time_chart (self->result);
    }
  h = (CS_REPORT_CONTENT_BOTTOM - y - 24) / 2;
  cs_report_draw_chart (cr, top, CS_REPORT_MARGIN_X, y, CS_REPORT_CONTENT_WIDTH, h);
  if (bottom != NULL)
    cs_report_draw_chart (cr, bottom, CS_REPORT_MARGIN_X, y + h + 24, CS_REPORT_CONTENT_WIDTH, h);
}

static void
cs_recommend_report_draw_page (CsReport *report,
                               cairo_t  *cr,
                               guint     page)
{
  CsRecommendReport *self = CS_RECOMMEND_REPORT (report);
  guint n_table = cs_report_table_get_n_pages (ensure_table (self));

  if (page == 0)
    draw_title_page (self, cr);
  else if (page <= n_table)
    draw_table_page (self, cr, page - 1);
  else
    draw_charts_page (self, cr, page - 1 - n_table);
}

static void
cs_recommend_report_finalize (GObject *object)
{
  CsRecommendReport *self = CS_RECOMMEND_REPORT (object);

  g_clear_pointer (&self->result, cs_eval_result_free);
  g_clear_pointer (&self->table, cs_report_table_free);

  G_OBJECT_CLASS (cs_recommend_report_parent_class)->finalize (object);
}

static void
cs_recommend_report_class_init (CsRecommendReportClass *klass)
{
  CsReportClass *report_class = CS_REPORT_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = cs_recommend_report_finalize;
  report_class->get_kind_title = cs_recommend_report_get_kind_title;
  report_class->get_n_pages = cs_recommend_report_get_n_pages;
  report_class->draw_page = cs_recommend_report_draw_page;
}

static void
cs_recommend_report_init (CsRecommendReport *self)
{
}
