/* cs-report.c
 *
 * Layout is in points on an A4 page. Text sizes are absolute (points), so
 * the pages look the same in PDF, SVG and PNG. Charts are CsChart models
 * drawn with cs_chart_render(), which works in logical pixels at 96 dpi:
 * they are drawn scaled by 72/96 so their 10 pt text is 10 pt on paper.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "cs-bar-layer.h"
#include "cs-chart.h"
#include "cs-eval-significance.h"
#include "cs-significance-layer.h"
#include "cs-eval-export.h"
#include "cs-format.h"
#include "cs-metrics.h"
#include "cs-report.h"

#define FONT_FAMILY   "Cantarell, sans-serif"
#define MARGIN_X      56.0
#define MARGIN_TOP    60.0
#define MARGIN_BOTTOM 64.0
#define CONTENT_WIDTH (CS_REPORT_PAGE_WIDTH - 2 * MARGIN_X)
#define CONTENT_BOTTOM (CS_REPORT_PAGE_HEIGHT - MARGIN_BOTTOM)
#define CHART_SCALE   0.75  /* 72 pt per 96 logical pixels */
#define PNG_SCALE     2.0   /* 144 dpi */
#define PAGE_GAP      24.0  /* between the pages of a PNG or SVG */

/* GNOME palette. */
static const CsColor text_color    = { 0.118, 0.118, 0.118, 1.0 };
static const CsColor dim_color     = { 0.369, 0.361, 0.392, 1.0 };
static const CsColor accent_color  = { 0.110, 0.443, 0.847, 1.0 };
static const CsColor rule_color    = { 0.871, 0.867, 0.855, 1.0 };
static const CsColor stripe_color  = { 0.965, 0.961, 0.957, 1.0 };
static const CsColor notice_fill   = { 0.992, 0.953, 0.816, 1.0 };
static const CsColor notice_border = { 0.898, 0.647, 0.039, 1.0 };
static const CsColor gap_color     = { 0.871, 0.867, 0.855, 1.0 };

typedef struct
{
  char     *label;
  double   *values;       /* one per model, NaN when missing */
  gboolean  lower_better;
  gboolean  seconds;
  guint     group;        /* rows of one metric share a stripe */
} TableRow;

struct _CsReport
{
  GObject       parent_instance;

  CsEvalResult *result;
  char         *project_title;
  gboolean      simulated;
  GDateTime    *date;

  GPtrArray    *rows;     /* TableRow*, built on first use */
  guint         rows_per_page;
  GArray       *page_starts; /* guint: first row of each table page */
  double        font_size; /* of the table */
};

G_DEFINE_FINAL_TYPE (CsReport, cs_report, G_TYPE_OBJECT)

static void
table_row_free (gpointer data)
{
  TableRow *row = data;

  g_free (row->label);
  g_free (row->values);
  g_free (row);
}

CsReport *
cs_report_new (CsEvalResult *result)
{
  CsReport *self;

  g_return_val_if_fail (result != NULL, NULL);

  self = g_object_new (CS_TYPE_REPORT, NULL);
  self->result = result;
  return self;
}

const CsEvalResult *
cs_report_get_result (CsReport *self)
{
  g_return_val_if_fail (CS_IS_REPORT (self), NULL);

  return self->result;
}

void
cs_report_set_project_title (CsReport   *self,
                             const char *title)
{
  g_return_if_fail (CS_IS_REPORT (self));

  g_free (self->project_title);
  self->project_title = g_strdup (title);
}

void
cs_report_set_simulated (CsReport *self,
                         gboolean  simulated)
{
  g_return_if_fail (CS_IS_REPORT (self));

  self->simulated = !!simulated;
}

void
cs_report_set_date (CsReport  *self,
                    GDateTime *date)
{
  g_return_if_fail (CS_IS_REPORT (self));
  g_return_if_fail (date != NULL);

  g_clear_pointer (&self->date, g_date_time_unref);
  self->date = g_date_time_ref (date);
}

/* ---- Text ---------------------------------------------------------------- */

static void
set_color (cairo_t       *cr,
           const CsColor *color)
{
  cairo_set_source_rgba (cr, color->r, color->g, color->b, color->a);
}

static PangoLayout *
make_layout (cairo_t    *cr,
             const char *text,
             double      size,
             PangoWeight weight,
             double      width,
             gboolean    markup)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoContext *context = pango_layout_get_context (layout);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (FONT_FAMILY);
  cairo_font_options_t *options = cairo_font_options_create ();
  PangoAttrList *attrs = pango_attr_list_new ();

  /* Unhinted metrics: the same line breaks in PDF, SVG and PNG. */
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  pango_layout_context_changed (layout);

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, weight);
  pango_layout_set_font_description (layout, font);
  /* Figures of equal width, so columns of numbers line up. */
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  if (markup)
    pango_layout_set_markup (layout, text, -1);
  else
    pango_layout_set_text (layout, text, -1);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return (double) h / PANGO_SCALE;
}

static double
layout_width (PangoLayout *layout)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  return (double) logical.width / PANGO_SCALE;
}

/* Draws @text with its top-left at @x, @y and returns its height. */
static double
draw_text (cairo_t       *cr,
           const char    *text,
           double         x,
           double         y,
           double         size,
           PangoWeight    weight,
           double         width,
           const CsColor *color)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, text, size, weight, width, FALSE);

  set_color (cr, color);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  return layout_height (layout);
}

/* Right-aligned at @right. */
static void
draw_text_right (cairo_t       *cr,
                 const char    *text,
                 double         right,
                 double         y,
                 double         size,
                 PangoWeight    weight,
                 const CsColor *color)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, text, size, weight, -1, FALSE);

  set_color (cr, color);
  cairo_move_to (cr, right - layout_width (layout), y);
  pango_cairo_show_layout (cr, layout);
}

static void
hline (cairo_t       *cr,
       double         x0,
       double         x1,
       double         y,
       double         width,
       const CsColor *color)
{
  set_color (cr, color);
  cairo_set_line_width (cr, width);
  cairo_move_to (cr, x0, y);
  cairo_line_to (cr, x1, y);
  cairo_stroke (cr);
}

static double
draw_heading (cairo_t    *cr,
              const char *text,
              double      y)
{
  return y + draw_text (cr, text, MARGIN_X, y, 14, PANGO_WEIGHT_BOLD, CONTENT_WIDTH, &text_color) + 8;
}

/* A two-column list of facts: name in grey, value beside it. */
static double
draw_fact (cairo_t    *cr,
           const char *name,
           const char *value,
           double      y)
{
  const double name_width = 132;
  double h1, h2;

  h1 = draw_text (cr, name, MARGIN_X, y, 10.5, PANGO_WEIGHT_NORMAL, name_width - 12, &dim_color);
  h2 = draw_text (cr, value, MARGIN_X + name_width, y, 10.5, PANGO_WEIGHT_NORMAL,
                  CONTENT_WIDTH - name_width, &text_color);
  return y + MAX (h1, h2) + 5;
}

static char *
format_date (CsReport *self)
{
  g_autoptr(GDateTime) now = NULL;
  GDateTime *date = self->date;

  if (date == NULL)
    date = now = g_date_time_new_now_local ();
  /* Translators: the report's date, strftime format, e.g. "28 November 2026". */
  return g_date_time_format (date, _("%-d %B %Y"));
}

static char *
count_text (gint64 count)
{
  return cs_format_count (count);
}

/* ---- Table --------------------------------------------------------------- */

static void
ensure_rows (CsReport *self)
{
  const CsEvalResult *result = self->result;
  guint n_models = result->models->len;
  guint group = 0;

  if (self->rows != NULL)
    return;

  self->rows = g_ptr_array_new_with_free_func (table_row_free);
  for (guint metric = 0; metric < CS_N_METRICS; metric++)
    {
      gboolean any = FALSE;
      guint first = self->rows->len;

      for (guint ki = 0; ki < result->n_ks; ki++)
        {
          TableRow *row = g_new0 (TableRow, 1);
          const char *name = cs_metric_get_name ((CsMetric) metric);
          g_autofree char *key = g_strdup_printf ("%s@%u", name, result->ks[ki]);

          row->label = g_strdup_printf ("%s@%u", cs_metric_get_label ((CsMetric) metric), result->ks[ki]);
          row->values = g_new (double, MAX (n_models, 1));
          row->group = group;
          for (guint m = 0; m < n_models; m++)
            {
              row->values[m] = cs_eval_model_result_get (g_ptr_array_index (result->models, m), key);
              any |= isfinite (row->values[m]);
            }
          g_ptr_array_add (self->rows, row);
        }
      /* A metric no model has (e.g. stored before it existed) is left out. */
      if (!any)
        g_ptr_array_remove_range (self->rows, first, self->rows->len - first);
      else
        group++;
    }

  for (guint t = 0; t < 2; t++)
    {
      TableRow *row = g_new0 (TableRow, 1);

      row->label = g_strdup (t == 0 ? _("Training time") : _("Scoring time"));
      row->values = g_new (double, MAX (n_models, 1));
      row->lower_better = TRUE;
      row->seconds = TRUE;
      row->group = group;
      for (guint m = 0; m < n_models; m++)
        {
          const CsEvalModelResult *model = g_ptr_array_index (result->models, m);
          gboolean failed = g_strcmp0 (model->status, "failed") == 0;

          row->values[m] = t == 0 ? model->fit_s : (failed ? NAN : model->score_s);
        }
      g_ptr_array_add (self->rows, row);
    }

  self->font_size = n_models <= 5 ? 10.0 : n_models <= 8 ? 8.5 : 7.0;
  /* The first table page has a heading and an explanation above it. */
  self->rows_per_page = (guint) MAX (1.0, floor ((CONTENT_BOTTOM - MARGIN_TOP - 150) /
                                                 (self->font_size * 2.1)));

  /* Pages break between metrics, never inside one (unless a metric alone
   * is longer than a page). */
  self->page_starts = g_array_new (FALSE, FALSE, sizeof (guint));
  {
    guint start = 0;

    g_array_append_val (self->page_starts, start);
    for (guint r = 0; r < self->rows->len;)
      {
        guint this_group = ((TableRow *) g_ptr_array_index (self->rows, r))->group;
        guint end = r;

        while (end < self->rows->len &&
               ((TableRow *) g_ptr_array_index (self->rows, end))->group == this_group)
          end++;
        if (end - start > self->rows_per_page && r > start)
          {
            start = r;
            g_array_append_val (self->page_starts, start);
          }
        while (end - start > self->rows_per_page)
          {
            start += self->rows_per_page;
            g_array_append_val (self->page_starts, start);
          }
        r = end;
      }
  }
}

static guint
n_table_pages (CsReport *self)
{
  ensure_rows (self);
  return self->page_starts->len;
}

static char *
format_cell (const TableRow *row,
             double          value)
{
  if (!isfinite (value))
    return g_strdup ("—");
  if (row->seconds)
    return value < 0.0005 ? g_strdup (_("< 0.001 s")) : g_strdup_printf (_("%.3f s"), value);
  return g_strdup_printf ("%.4f", value);
}

static void
draw_table (CsReport *self,
            cairo_t  *cr,
            guint     table_page,
            double    y)
{
  const CsEvalResult *result = self->result;
  guint n_models = result->models->len;
  double size = self->font_size;
  double row_height = size * 2.1;
  /* Many models take room from the metric names, which are short. */
  double label_width = CLAMP (CONTENT_WIDTH - 70.0 * n_models, 90, 150);
  double col_width = MIN (150, (CONTENT_WIDTH - label_width) / MAX (n_models, 1));
  double right = MARGIN_X + label_width + col_width * n_models;
  double header_height = 0;
  guint first = g_array_index (self->page_starts, guint, table_page);
  guint last = table_page + 1 < self->page_starts->len
               ? g_array_index (self->page_starts, guint, table_page + 1) : self->rows->len;
  gboolean any_failed = FALSE;

  /* Header: model names, wrapped in their column, bottom-aligned. */
  for (guint m = 0; m < n_models; m++)
    {
      const CsEvalModelResult *model = g_ptr_array_index (result->models, m);
      g_autoptr(PangoLayout) layout = make_layout (cr, model->label, size, PANGO_WEIGHT_BOLD,
                                                   col_width - 8, FALSE);

      header_height = MAX (header_height, layout_height (layout));
    }
  draw_text (cr, _("Metric"), MARGIN_X + 4, y + header_height - size * 1.3, size,
             PANGO_WEIGHT_BOLD, label_width, &text_color);
  for (guint m = 0; m < n_models; m++)
    {
      const CsEvalModelResult *model = g_ptr_array_index (result->models, m);
      g_autoptr(PangoLayout) layout = make_layout (cr, model->label, size, PANGO_WEIGHT_BOLD,
                                                   col_width - 8, FALSE);
      double h = layout_height (layout);

      pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
      set_color (cr, &text_color);
      cairo_move_to (cr, MARGIN_X + label_width + col_width * m + 4, y + header_height - h);
      pango_cairo_show_layout (cr, layout);
      any_failed |= g_strcmp0 (model->status, "failed") == 0;
    }
  y += header_height + 6;
  hline (cr, MARGIN_X, right, y, 1.0, &text_color);

  for (guint r = first; r < last; r++)
    {
      const TableRow *row = g_ptr_array_index (self->rows, r);
      g_autofree char *best_text = NULL;
      double best = row->lower_better ? INFINITY : -INFINITY;
      double text_y = y + (row_height - size * 1.25) / 2;

      if (row->group % 2 == 1)
        {
          set_color (cr, &stripe_color);
          cairo_rectangle (cr, MARGIN_X, y, right - MARGIN_X, row_height);
          cairo_fill (cr);
        }
      if (r > first && ((TableRow *) g_ptr_array_index (self->rows, r - 1))->group != row->group)
        hline (cr, MARGIN_X, right, y, 0.5, &rule_color);

      for (guint m = 0; m < n_models; m++)
        if (isfinite (row->values[m]))
          best = row->lower_better ? MIN (best, row->values[m]) : MAX (best, row->values[m]);
      /* Values that print the same as the best are as good as the best. */
      if (isfinite (best) && n_models > 1)
        best_text = format_cell (row, best);

      draw_text (cr, row->label, MARGIN_X + 4, text_y, size, PANGO_WEIGHT_NORMAL,
                 label_width - 8, &text_color);
      for (guint m = 0; m < n_models; m++)
        {
          g_autofree char *text = format_cell (row, row->values[m]);
          gboolean is_best = best_text != NULL && strcmp (text, best_text) == 0;

          draw_text_right (cr, text, MARGIN_X + label_width + col_width * (m + 1) - 4, text_y, size,
                           is_best ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL,
                           isfinite (row->values[m]) ? &text_color : &dim_color);
        }
      y += row_height;
    }
  hline (cr, MARGIN_X, right, y, 1.0, &text_color);
  y += 12;

  if (last == self->rows->len && any_failed)
    for (guint m = 0; m < n_models; m++)
      {
        const CsEvalModelResult *model = g_ptr_array_index (result->models, m);
        g_autofree char *note = NULL;

        if (g_strcmp0 (model->status, "failed") != 0)
          continue;
        /* Translators: a model that could not be trained, and why. */
        note = g_strdup_printf (_("%s failed: %s"), model->label,
                                model->error ? model->error : _("no reason was stored"));
        y += draw_text (cr, note, MARGIN_X, y, 9, PANGO_WEIGHT_NORMAL, CONTENT_WIDTH, &dim_color) + 4;
      }
}

/* ---- Charts -------------------------------------------------------------- */

static CsChart *
make_chart (const char *title,
            const char *x_label,
            const char *y_label)
{
  CsChart *chart = cs_chart_new ();
  CsChartStyle style;

  cs_chart_style_init_default (&style, FALSE);
  style.font_family = "Cantarell";
  style.font_size = 10;
  cs_chart_set_style (chart, &style);
  cs_chart_set_title (chart, title);
  cs_chart_set_x_label (chart, x_label);
  cs_chart_set_y_label (chart, y_label);
  return chart;
}

/* One group per K, one bar per model. */
static CsChart *
metric_chart (const CsEvalResult *result,
              CsMetric            metric,
              const char         *title,
              const char         *y_label)
{
  CsChart *chart = make_chart (title, _("List length K"), y_label);
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
  CsChart *chart = make_chart (_("Time to train and to score every test viewer"), NULL,
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
  CsChart *chart = make_chart (title, _("Column model; p adjusted for all pairs, significant below 0.05"),
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

static void
draw_chart (cairo_t *cr,
            CsChart *chart,
            double   x,
            double   y,
            double   width,
            double   height)
{
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, CHART_SCALE, CHART_SCALE);
  cs_chart_render (chart, cr, width / CHART_SCALE, height / CHART_SCALE);
  cairo_restore (cr);
}

/* ---- Pages --------------------------------------------------------------- */

guint
cs_report_get_n_pages (CsReport *self)
{
  g_return_val_if_fail (CS_IS_REPORT (self), 0);

  /* Title, the table, accuracy charts, coverage and time charts, and the
   * significance matrices when the comparison kept them. */
  return 1 + n_table_pages (self) + 2 + (significance_of (self->result, CS_METRIC_NDCG) != NULL ? 1 : 0);
}

static void
draw_footer (CsReport *self,
             cairo_t  *cr,
             guint     page,
             guint     n_pages)
{
  double y = CS_REPORT_PAGE_HEIGHT - MARGIN_BOTTOM + 22;
  g_autofree char *left = NULL;
  g_autofree char *right = NULL;

  hline (cr, MARGIN_X, MARGIN_X + CONTENT_WIDTH, y - 8, 0.5, &rule_color);
  if (self->project_title != NULL)
    /* Translators: the page footer: app name, project, data kind. */
    left = g_strdup_printf (self->simulated ? _("Clipscope · %s · simulated data") : _("Clipscope · %s"),
                            self->project_title);
  else
    left = g_strdup (self->simulated ? _("Clipscope · simulated data") : "Clipscope");
  /* Translators: page numbers in the report footer. */
  right = g_strdup_printf (_("Page %u of %u"), page + 1, n_pages);
  draw_text (cr, left, MARGIN_X, y, 8.5, PANGO_WEIGHT_NORMAL, CONTENT_WIDTH * 0.7, &dim_color);
  draw_text_right (cr, right, MARGIN_X + CONTENT_WIDTH, y, 8.5, PANGO_WEIGHT_NORMAL, &dim_color);
}

static double
draw_page_title (cairo_t    *cr,
                 const char *title,
                 const char *subtitle)
{
  double y = MARGIN_TOP;

  y += draw_text (cr, title, MARGIN_X, y, 18, PANGO_WEIGHT_BOLD, CONTENT_WIDTH, &text_color) + 4;
  if (subtitle != NULL)
    y += draw_text (cr, subtitle, MARGIN_X, y, 10.5, PANGO_WEIGHT_NORMAL, CONTENT_WIDTH, &dim_color);
  return y + 18;
}

static void
draw_title_page (CsReport *self,
                 cairo_t  *cr)
{
  const CsEvalResult *result = self->result;
  double y = MARGIN_TOP;
  g_autofree char *date = format_date (self);
  g_autofree char *subtitle = NULL;
  g_autofree char *protocol = cs_eval_result_describe_protocol (result);
  g_autofree char *positives = cs_eval_result_describe_positives (result);
  g_autoptr(GString) ks = g_string_new (NULL);
  g_autoptr(GString) models = g_string_new (NULL);

  y += draw_text (cr, _("CLIPSCOPE REPORT"), MARGIN_X, y, 9, PANGO_WEIGHT_BOLD, CONTENT_WIDTH,
                  &accent_color) + 6;
  y += draw_text (cr, _("Recommender comparison"), MARGIN_X, y, 28, PANGO_WEIGHT_BOLD,
                  CONTENT_WIDTH, &text_color) + 6;
  if (self->project_title != NULL)
    /* Translators: under the report title: project name, date and run number. */
    subtitle = g_strdup_printf (_("Project “%s” · %s · comparison %" PRId64),
                                self->project_title, date, result->run_id);
  else
    subtitle = g_strdup_printf (_("%s · comparison %" PRId64), date, result->run_id);
  y += draw_text (cr, subtitle, MARGIN_X, y, 12, PANGO_WEIGHT_NORMAL, CONTENT_WIDTH, &dim_color);
  y += 18;
  hline (cr, MARGIN_X, MARGIN_X + CONTENT_WIDTH, y, 1.5, &accent_color);
  y += 22;

  if (self->simulated)
    {
      g_autoptr(PangoLayout) body = make_layout (cr,
          _("This project was made by Clipscope’s demo. The numbers show how the comparison works, "
            "not how real viewers behave."),
          10, PANGO_WEIGHT_NORMAL, CONTENT_WIDTH - 28, FALSE);
      double h = 14 + 16 + layout_height (body) + 12;

      set_color (cr, &notice_fill);
      cairo_new_sub_path (cr);
      cairo_arc (cr, MARGIN_X + CONTENT_WIDTH - 6, y + 6, 6, -G_PI / 2, 0);
      cairo_arc (cr, MARGIN_X + CONTENT_WIDTH - 6, y + h - 6, 6, 0, G_PI / 2);
      cairo_arc (cr, MARGIN_X + 6, y + h - 6, 6, G_PI / 2, G_PI);
      cairo_arc (cr, MARGIN_X + 6, y + 6, 6, G_PI, 3 * G_PI / 2);
      cairo_close_path (cr);
      cairo_fill_preserve (cr);
      set_color (cr, &notice_border);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
      draw_text (cr, _("Simulated data"), MARGIN_X + 14, y + 12, 10.5, PANGO_WEIGHT_BOLD,
                 CONTENT_WIDTH - 28, &text_color);
      set_color (cr, &text_color);
      cairo_move_to (cr, MARGIN_X + 14, y + 30);
      pango_cairo_show_layout (cr, body);
      y += h + 22;
    }

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

  y = draw_heading (cr, _("How the models were compared"), y);
  y = draw_fact (cr, _("Evaluation"), protocol, y);
  y = draw_fact (cr, _("Interest"), positives, y);
  y = draw_fact (cr, _("List length K"), ks->str, y);
  {
    g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, result->seed);

    y = draw_fact (cr, _("Seed"), seed, y);
  }
  y = draw_fact (cr, _("Models"), models->len ? models->str : "—", y);
  y += 6;
  y += draw_text (cr,
                  _("Each model learned from the training interactions and ranked, for every test viewer, "
                    "all the clips that viewer had not met in training. Results of different protocols "
                    "are not comparable: compare these numbers only with runs that used the same "
                    "evaluation, interest rule and data."),
                  MARGIN_X, y, 9.5, PANGO_WEIGHT_NORMAL, CONTENT_WIDTH, &dim_color);
  y += 26;

  y = draw_heading (cr, _("Data"), y);
  {
    g_autofree char *train = count_text (result->train_pairs);
    g_autofree char *test = count_text (result->test_pairs);
    g_autofree char *test_viewers = count_text (result->test_viewers);
    g_autofree char *viewers = count_text (result->n_viewers);
    g_autofree char *clips = count_text (result->n_clips);
    /* Translators: "943 of 943 viewers with interest". */
    g_autofree char *viewers_text = g_strdup_printf (_("%s of %s viewers"), test_viewers, viewers);

    y = draw_fact (cr, _("Training interactions"), train, y);
    y = draw_fact (cr, _("Test interactions"), test, y);
    y = draw_fact (cr, _("Test viewers"), viewers_text, y);
    y = draw_fact (cr, _("Clips"), clips, y);
  }
  y += 20;

  y = draw_heading (cr, _("Reading the numbers"), y);
  draw_text (cr,
             _("Every metric is a mean over the test viewers; higher is better. NDCG@K (0 to 1) rewards "
               "finding a viewer’s test clips near the top of their list of K clips. Recall@K is the share "
               "of a viewer’s test clips the list finds, and Precision@K the share of the list that was "
               "right. Hit rate@K counts viewers with at least one hit; MAP and MRR reward early hits. "
               "Coverage@K is the share of all clips that appear in some list, and Novelty@K grows as the "
               "lists favour less popular clips."),
             MARGIN_X, y, 10, PANGO_WEIGHT_NORMAL, CONTENT_WIDTH, &text_color);
}

static void
draw_table_page (CsReport *self,
                 cairo_t  *cr,
                 guint     table_page)
{
  double y;
  g_autofree char *viewers = count_text (self->result->test_viewers);
  g_autofree char *subtitle = NULL;

  if (table_page == 0)
    {
      subtitle = g_strdup_printf (_("Means over %s test viewers. Bold marks the best value in each row: "
                                    "the highest for metrics, the lowest for times."), viewers);
      y = draw_page_title (cr, _("Metrics"), subtitle);
    }
  else
    y = draw_page_title (cr, _("Metrics (continued)"), NULL);
  draw_table (self, cr, table_page, y);
}

static void
draw_charts_page (CsReport *self,
                  cairo_t  *cr,
                  guint     which)
{
  g_autoptr(CsChart) top = NULL;
  g_autoptr(CsChart) bottom = NULL;
  double y, h;

  if (which == 0)
    {
      y = draw_page_title (cr, _("Accuracy"),
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

      y = draw_page_title (cr, _("Which differences are real"),
                           _("Every pair of models tested over the same test viewers (paired t-test, "
                             "p-values Holm-adjusted for all pairs). Blue: the row model is significantly "
                             "better; orange: significantly worse; grey: no significant difference."));
      top = significance_chart (self->result, CS_METRIC_NDCG, ndcg);
      if (recall != NULL)
        bottom = significance_chart (self->result, CS_METRIC_RECALL, recall);
    }
  else
    {
      y = draw_page_title (cr, _("Breadth and speed"),
                           _("How much of the catalogue the lists use, and what each model costs to run."));
      top = metric_chart (self->result, CS_METRIC_COVERAGE, _("Share of clips recommended (Coverage@K)"),
                          _("Coverage (higher is broader)"));
      bottom = time_chart (self->result);
    }
  h = (CONTENT_BOTTOM - y - 24) / 2;
  draw_chart (cr, top, MARGIN_X, y, CONTENT_WIDTH, h);
  if (bottom != NULL)
    draw_chart (cr, bottom, MARGIN_X, y + h + 24, CONTENT_WIDTH, h);
}

void
cs_report_render_page (CsReport *self,
                       cairo_t  *cr,
                       guint     page)
{
  guint n_pages, n_table;

  g_return_if_fail (CS_IS_REPORT (self));
  g_return_if_fail (cr != NULL);

  n_pages = cs_report_get_n_pages (self);
  n_table = n_table_pages (self);
  g_return_if_fail (page < n_pages);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, 0, 0, CS_REPORT_PAGE_WIDTH, CS_REPORT_PAGE_HEIGHT);
  cairo_fill (cr);

  if (page == 0)
    draw_title_page (self, cr);
  else if (page <= n_table)
    draw_table_page (self, cr, page - 1);
  else
    draw_charts_page (self, cr, page - 1 - n_table);
  draw_footer (self, cr, page, n_pages);
  cairo_restore (cr);
}

/* ---- Export -------------------------------------------------------------- */

typedef enum
{
  FORMAT_NONE,
  FORMAT_PDF,
  FORMAT_PNG,
  FORMAT_SVG,
} Format;

static Format
path_format (const char *path)
{
  const char *dot = strrchr (path, '.');
  const char *slash = strrchr (path, G_DIR_SEPARATOR);

  if (dot == NULL || (slash != NULL && dot < slash))
    return FORMAT_NONE;
  if (g_ascii_strcasecmp (dot, ".pdf") == 0)
    return FORMAT_PDF;
  if (g_ascii_strcasecmp (dot, ".png") == 0)
    return FORMAT_PNG;
  if (g_ascii_strcasecmp (dot, ".svg") == 0)
    return FORMAT_SVG;
  return FORMAT_NONE;
}

gboolean
cs_report_check_path (const char  *path,
                      GError     **error)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  if (path_format (path) != FORMAT_NONE)
    return TRUE;
  name = g_path_get_basename (path);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               /* Translators: %s is a file name such as "report.txt". */
               _("Cannot write a report as “%s”: the name must end in .pdf, .png or .svg"), name);
  return FALSE;
}

typedef struct
{
  GOutputStream *stream;
  GCancellable  *cancellable;
  GError        *error;
} StreamWriter;

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  StreamWriter *writer = closure;

  if (writer->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (writer->stream, data, length, NULL, writer->cancellable,
                                  &writer->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

static void
render_stacked (CsReport *self,
                cairo_t  *cr,
                guint     n_pages)
{
  set_color (cr, &gap_color);
  cairo_paint (cr);
  for (guint p = 0; p < n_pages; p++)
    {
      cairo_save (cr);
      cairo_translate (cr, PAGE_GAP, PAGE_GAP + p * (CS_REPORT_PAGE_HEIGHT + PAGE_GAP));
      cs_report_render_page (self, cr, p);
      cairo_restore (cr);
    }
}

static void
prefix_error (GError     **error,
              const char  *path)
{
  g_autofree char *name = g_filename_display_name (path);

  /* Translators: %s is a file path; the reason follows. */
  g_prefix_error (error, _("Could not write “%s”: "), name);
}

gboolean
cs_report_export (CsReport      *self,
                  const char    *path,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  StreamWriter writer = { 0 };
  cairo_surface_t *surface = NULL;
  cairo_status_t status = CAIRO_STATUS_SUCCESS;
  Format format;
  gboolean existed;
  guint n_pages;
  double width, height;

  g_return_val_if_fail (CS_IS_REPORT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!cs_report_check_path (path, error))
    return FALSE;
  format = path_format (path);
  n_pages = cs_report_get_n_pages (self);
  width = CS_REPORT_PAGE_WIDTH + 2 * PAGE_GAP;
  height = n_pages * (CS_REPORT_PAGE_HEIGHT + PAGE_GAP) + PAGE_GAP;

  /* GFile gives a message that says why (no such folder, read-only), and
   * replaces the file only once everything is written. */
  file = g_file_new_for_path (path);
  existed = g_file_query_exists (file, NULL);
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable, error);
  if (out == NULL)
    {
      prefix_error (error, path);
      return FALSE;
    }
  writer.stream = G_OUTPUT_STREAM (out);
  writer.cancellable = cancellable;

  if (format == FORMAT_PDF)
    {
      g_autofree char *title = NULL;

      surface = cairo_pdf_surface_create_for_stream (write_cb, &writer,
                                                     CS_REPORT_PAGE_WIDTH, CS_REPORT_PAGE_HEIGHT);
      title = self->project_title
        ? g_strdup_printf (_("Recommender comparison — %s"), self->project_title)
        : g_strdup (_("Recommender comparison"));
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Clipscope");
      {
        cairo_t *cr = cairo_create (surface);

        for (guint p = 0; p < n_pages && !g_cancellable_is_cancelled (cancellable); p++)
          {
            cs_report_render_page (self, cr, p);
            cairo_show_page (cr);
          }
        status = cairo_status (cr);
        cairo_destroy (cr);
      }
    }
  else if (format == FORMAT_SVG)
    {
      cairo_t *cr;

      surface = cairo_svg_surface_create_for_stream (write_cb, &writer, width, height);
      cr = cairo_create (surface);
      render_stacked (self, cr, n_pages);
      status = cairo_status (cr);
      cairo_destroy (cr);
    }
  else
    {
      cairo_t *cr;

      surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) ceil (width * PNG_SCALE),
                                            (int) ceil (height * PNG_SCALE));
      cr = cairo_create (surface);
      cairo_scale (cr, PNG_SCALE, PNG_SCALE);
      render_stacked (self, cr, n_pages);
      status = cairo_status (cr);
      cairo_destroy (cr);
      if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_write_to_png_stream (surface, write_cb, &writer);
    }

  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (writer.error == NULL)
    g_cancellable_set_error_if_cancelled (cancellable, &writer.error);
  if (writer.error == NULL && status != CAIRO_STATUS_SUCCESS)
    writer.error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "%s", cairo_status_to_string (status));
  if (writer.error != NULL)
    {
      g_autoptr(GCancellable) never = g_cancellable_new ();

      /* Closing cancelled drops the temporary copy when an old file is
       * replaced; a new file that was only partly written goes too. */
      g_cancellable_cancel (never);
      g_output_stream_close (G_OUTPUT_STREAM (out), never, NULL);
      if (!existed)
        g_file_delete (file, NULL, NULL);
      if (!g_error_matches (writer.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        prefix_error (&writer.error, path);
      g_propagate_error (error, writer.error);
      return FALSE;
    }
  if (!g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, error))
    {
      prefix_error (error, path);
      return FALSE;
    }
  return TRUE;
}

static void
cs_report_finalize (GObject *object)
{
  CsReport *self = CS_REPORT (object);

  g_clear_pointer (&self->result, cs_eval_result_free);
  g_clear_pointer (&self->project_title, g_free);
  g_clear_pointer (&self->date, g_date_time_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->page_starts, g_array_unref);

  G_OBJECT_CLASS (cs_report_parent_class)->finalize (object);
}

static void
cs_report_class_init (CsReportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cs_report_finalize;
}

static void
cs_report_init (CsReport *self)
{
}
