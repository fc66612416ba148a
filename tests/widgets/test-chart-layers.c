/* test-chart-layers.c: every layer type, the numeric, time and category
 * axes, clicks and legend toggles, without a display.
 *
 * Each sample chart (chart-samples.c, also drawn by chart-gallery) is
 * compared with a reference image in tests/widgets/reference/layer-*.png.
 * After an intended change in the drawing, regenerate them with
 *
 *   CS_UPDATE_REFERENCES=1 meson test -C build test-chart-layers
 *
 * look at the new images, and commit them (docs/CHARTS.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#include "chart-samples.h"
#include "chart-test-utils.h"
#include "cs-bar-layer.h"
#include "cs-box-plot-layer.h"
#include "cs-chart.h"
#include "cs-chart-axis.h"
#include "cs-confusion-matrix-layer.h"
#include "cs-curve-layer.h"
#include "cs-funnel-layer.h"
#include "cs-heatmap-layer.h"
#include "cs-histogram-layer.h"
#include "cs-line-layer.h"
#include "cs-retention-layer.h"
#include "cs-scatter-layer.h"
#include "cs-significance-layer.h"
#include "cs-stacked-bar-layer.h"

#define REF_WIDTH  360
#define REF_HEIGHT 240

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */


/* ------------------------------------------------------------------ */
/* Ticks                                                               */
/* ------------------------------------------------------------------ */

/* Like render_to_surface(), also returning the frame for hit tests. */
static cairo_surface_t *
render_full (CsChart      *chart,
             int           width,
             int           height,
             CsChartFrame *frame)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);

  g_assert_true (cs_chart_render_full (chart, cr, width, height, NULL, frame));
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static void
assert_empty_state (CsChart *chart)
{
  cairo_surface_t *surface;
  double share;

  g_assert_true (cs_chart_is_empty (chart));
  surface = render_to_surface (chart, 320, 220);
  share = non_background_share (surface, 320 / 4, 220 / 3, 320 * 3 / 4, 220 * 2 / 3);
  g_assert_cmpfloat (share, >, 0.005);
  share = non_background_share (surface, 0, 220 - 40, 60, 220);
  g_assert_cmpfloat (share, ==, 0.0);
  cairo_surface_destroy (surface);
}

/* ------------------------------------------------------------------ */
/* Reference images                                                    */
/* ------------------------------------------------------------------ */

static void
test_reference (gconstpointer data)
{
  const char *name = data;
  g_autoptr(CsChart) chart = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *description = NULL;
  cairo_surface_t *surface;

  if (!font_available (REFERENCE_FONT))
    {
      g_test_skip ("the reference images are drawn in " REFERENCE_FONT ", which is not installed");
      return;
    }

  chart = chart_sample_new (name);
  g_assert_nonnull (chart);
  g_assert_false (cs_chart_is_empty (chart));
  set_test_style (chart, FALSE);
  surface = render_to_surface (chart, REF_WIDTH, REF_HEIGHT);
  reference = g_strconcat ("layer-", name, NULL);
  compare_with_reference (surface, reference);
  cairo_surface_destroy (surface);

  /* Every sample also says something for screen readers. */
  description = cs_chart_describe (chart);
  g_assert_null (strstr (description, "No data"));
}

static void
test_reference_dark (void)
{
  static const char * const names[] = { "heatmap", "line", "confusion-matrix" };
  guint i;

  if (!font_available (REFERENCE_FONT))
    {
      g_test_skip ("the reference images are drawn in " REFERENCE_FONT ", which is not installed");
      return;
    }
  for (i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(CsChart) chart = chart_sample_new (names[i]);
      g_autofree char *reference = g_strconcat ("layer-", names[i], "-dark", NULL);
      cairo_surface_t *surface;

      set_test_style (chart, TRUE);
      surface = render_to_surface (chart, REF_WIDTH, REF_HEIGHT);
      compare_with_reference (surface, reference);
      cairo_surface_destroy (surface);
    }
}

/* Hovering the middle of the plot of every sample names an item, and a
 * click there finds the same layer. */
static void
test_hover_every_layer (void)
{
  const char * const *names = chart_samples_list ();
  guint i;

  for (i = 0; names[i] != NULL; i++)
    {
      g_autoptr(CsChart) chart = chart_sample_new (names[i]);
      CsChartFrame frame;
      cairo_surface_t *surface = render_full (chart, 480, 320, &frame);
      CsChartLayer *layer = NULL;
      g_autofree char *text = NULL;
      guint series = 99, index = 99;
      double x = frame.x + frame.width * 0.5, y;
      gboolean found = FALSE;

      /* Scan down the middle column for an item (points are small). */
      for (y = frame.y; y < frame.y + frame.height && !found; y += 2.0)
        found = cs_chart_item_at (chart, &frame, x, y, &layer, &series, &index);
      g_test_message ("%s: item (%u, %u) at %.0f, %.0f", names[i], series, index, x, y);
      g_assert_true (found);
      g_assert_true (CS_IS_CHART_LAYER (layer));
      text = cs_chart_describe_at (chart, &frame, x, y - 2.0);
      g_assert_nonnull (text);
      g_test_message ("%s: %s", names[i], text);
      cairo_surface_destroy (surface);
    }
}

/* ------------------------------------------------------------------ */
/* Time axis                                                           */
/* ------------------------------------------------------------------ */

static void
assert_time_labels (double              lo,
                    double              hi,
                    guint               max_intervals,
                    const char * const *expected)
{
  CsChartTimeTicks ticks;
  guint i;

  g_assert_true (cs_chart_time_ticks_compute (&ticks, lo, hi, max_intervals));
  for (i = 0; i < ticks.n_ticks; i++)
    {
      g_autofree char *label = cs_chart_time_ticks_format (&ticks, i);

      g_test_message ("tick %u: %.0f %s", i, ticks.ticks[i], label);
      g_assert_nonnull (expected[i]);
      g_assert_cmpstr (label, ==, expected[i]);
      g_assert_cmpfloat (ticks.ticks[i], >=, ticks.min);
      g_assert_cmpfloat (ticks.ticks[i], <=, ticks.max);
    }
  g_assert_null (expected[ticks.n_ticks]);
}

/* 2026-12-30 00:00 UTC */
#define DEC_30_2026 1798588800.0

static void
test_time_year_boundary (void)
{
  /* 2026-12-30 .. 2027-01-02: days, and the new year by its number. */
  static const char * const days[] = { "Dec 30", "Dec 31", "2027", "Jan 2", NULL };
  /* The same range with room for more: every 12 hours. */
  static const char * const halves[] = {
    "Dec 30", "12:00", "Dec 31", "12:00", "2027", "12:00", "Jan 2", NULL,
  };
  /* Months across a year: Sep 2026 .. Mar 2027. */
  static const char * const months[] = { "Sep", "Oct", "Nov", "Dec", "2027", "Feb", "Mar", NULL };

  assert_time_labels (DEC_30_2026, DEC_30_2026 + 3 * 86400.0, 4, days);
  assert_time_labels (DEC_30_2026, DEC_30_2026 + 3 * 86400.0, 6, halves);
  assert_time_labels (1788220800.0 /* 2026-09-01 */, 1803859200.0 /* 2027-03-01 */, 8, months);
}

static void
test_time_hours (void)
{
  /* 08:00 .. 20:00 on Sep 3 2026, at most 6 intervals: every two hours. */
  static const char * const hours[] = {
    "08:00", "10:00", "12:00", "14:00", "16:00", "18:00", "20:00", NULL,
  };
  double sep3 = 1788220800.0 + 2 * 86400.0;

  assert_time_labels (sep3 + 8 * 3600.0, sep3 + 20 * 3600.0, 6, hours);
}

static void
test_time_one_point (void)
{
  /* One point at 14:00: an hour around it, ticks every 15 minutes. */
  static const char * const quarters[] = { "13:30", "13:45", "14:00", "14:15", "14:30", NULL };
  double t = 1788220800.0 + 14 * 3600.0;
  g_autoptr(CsChart) chart = cs_chart_new ();
  g_autoptr(CsLineLayer) line = cs_line_layer_new ();
  cairo_surface_t *surface;
  CsChartFrame frame;
  g_autofree char *text = NULL;

  assert_time_labels (t, t, 4, quarters);

  /* And a chart of it draws, with the point marked and described. */
  cs_chart_set_axis_kind (chart, CS_CHART_AXIS_X, CS_CHART_AXIS_TIME);
  cs_line_layer_add_series (line, "Views", &t, (double[]) { 42.0 }, 1);
  cs_chart_add_layer (chart, CS_CHART_LAYER (line));
  surface = render_full (chart, 360, 240, &frame);
  g_assert_cmpint (frame.x_kind, ==, CS_CHART_AXIS_TIME);
  text = cs_chart_describe_at (chart, &frame, cs_chart_frame_value_to_x (&frame, t),
                               cs_chart_frame_value_to_y (&frame, 42.0));
  g_assert_cmpstr (text, ==, "Views — Sep 1 2026, 14:00: 42");
  cairo_surface_destroy (surface);
}

/* ------------------------------------------------------------------ */
/* Numbers worked out by hand                                          */
/* ------------------------------------------------------------------ */

static void
assert_points (const double *x,
               const double *y,
               gsize         n,
               const double *ex,
               const double *ey,
               gsize         en)
{
  gsize i;

  g_assert_cmpuint (n, ==, en);
  for (i = 0; i < n; i++)
    {
      g_assert_cmpfloat_with_epsilon (x[i], ex[i], 1e-12);
      g_assert_cmpfloat_with_epsilon (y[i], ey[i], 1e-12);
    }
}

static void
test_roc_pr_by_hand (void)
{
  /* Scores 0.9 0.8 0.7 0.6 with labels + − + −; P = N = 2.
   * Thresholds from the top: TP/FP = 1/0, 1/1, 2/1, 2/2.
   * ROC (FP/N, TP/P): (0,0) (0,.5) (.5,.5) (.5,1) (1,1); AUC = .5·.5 + .5·1 = .75.
   * PR (TP/P, TP/(TP+FP)): (0,1) (.5,1) (.5,.5) (1,2/3) (1,.5);
   * AP = .5·1 + 0·.5 + .5·2/3 + 0·.5 = 5/6. */
  static const double scores[] = { 0.9, 0.8, 0.7, 0.6 };
  static const gboolean labels[] = { TRUE, FALSE, TRUE, FALSE };
  static const double roc_x[] = { 0, 0, 0.5, 0.5, 1 };
  static const double roc_y[] = { 0, 0.5, 0.5, 1, 1 };
  static const double pr_x[] = { 0, 0.5, 0.5, 1, 1 };
  static const double pr_y[] = { 1, 1, 0.5, 2.0 / 3.0, 0.5 };
  /* Ties are one threshold: 0.5 0.5 with + − gives one point (1, 1). */
  static const double tied[] = { 0.5, 0.5 };
  static const gboolean tied_labels[] = { TRUE, FALSE };
  static const double tied_x[] = { 0, 1 };
  static const double tied_y[] = { 0, 1 };
  g_autoptr(CsCurveLayer) layer = cs_curve_layer_new (CS_CURVE_PRECISION_RECALL);
  double *x, *y, area;
  gsize n;

  g_assert_true (cs_curve_compute (CS_CURVE_ROC, scores, labels, 4, &x, &y, &n, &area));
  assert_points (x, y, n, roc_x, roc_y, 5);
  g_assert_cmpfloat_with_epsilon (area, 0.75, 1e-12);
  g_free (x);
  g_free (y);

  g_assert_true (cs_curve_compute (CS_CURVE_PRECISION_RECALL, scores, labels, 4, &x, &y, &n, &area));
  assert_points (x, y, n, pr_x, pr_y, 5);
  g_assert_cmpfloat_with_epsilon (area, 5.0 / 6.0, 1e-12);
  g_free (x);
  g_free (y);

  g_assert_true (cs_curve_compute (CS_CURVE_ROC, tied, tied_labels, 2, &x, &y, &n, &area));
  assert_points (x, y, n, tied_x, tied_y, 2);
  g_assert_cmpfloat_with_epsilon (area, 0.5, 1e-12);
  g_free (x);
  g_free (y);

  /* One class only: no curve. */
  g_assert_false (cs_curve_compute (CS_CURVE_ROC, scores, (gboolean[]) { TRUE, TRUE, TRUE, TRUE },
                                    4, &x, &y, &n, &area));
  g_assert_null (x);

  /* The layer names the series with its area and takes the prevalence. */
  g_assert_cmpint (cs_curve_layer_add_scores (layer, "Model", scores, labels, 4), ==, 0);
  g_assert_cmpfloat_with_epsilon (cs_curve_layer_get_area (layer, 0), 5.0 / 6.0, 1e-12);
  g_assert_cmpstr (cs_chart_layer_get_series (CS_CHART_LAYER (layer))[0], ==, "Model (AP 0.83)");
}

static void
test_confusion_proportions (void)
{
  static const char *classes[] = { "A", "B", "C" };
  /* Rows are true classes: A 8+2+0 = 10, B 1+3+0 = 4, C none. */
  static const guint counts[] = { 8, 2, 0, 1, 3, 0, 0, 0, 0 };
  g_autoptr(CsChart) chart = cs_chart_new ();
  g_autoptr(CsConfusionMatrixLayer) layer = cs_confusion_matrix_layer_new ();
  g_autofree char *text = NULL;
  cairo_surface_t *surface;
  CsChartFrame frame;
  CsChartLayer *hit = NULL;
  guint row, column;

  cs_confusion_matrix_layer_set_data (layer, classes, 3, counts);
  g_assert_cmpfloat_with_epsilon (cs_confusion_matrix_layer_get_proportion (layer, 0, 0), 0.8, 1e-12);
  g_assert_cmpfloat_with_epsilon (cs_confusion_matrix_layer_get_proportion (layer, 0, 1), 0.2, 1e-12);
  g_assert_cmpfloat_with_epsilon (cs_confusion_matrix_layer_get_proportion (layer, 1, 0), 0.25, 1e-12);
  g_assert_cmpfloat_with_epsilon (cs_confusion_matrix_layer_get_proportion (layer, 1, 1), 0.75, 1e-12);
  g_assert_true (isnan (cs_confusion_matrix_layer_get_proportion (layer, 2, 2)));
  g_assert_cmpuint (cs_confusion_matrix_layer_get_count (layer, 0, 1), ==, 2);

  /* True classes down y, predicted along x: the cell in the second row,
   * first column is "true B, predicted A". */
  cs_chart_add_layer (chart, CS_CHART_LAYER (layer));
  surface = render_full (chart, 360, 300, &frame);
  g_assert_cmpint (frame.y_kind, ==, CS_CHART_AXIS_CATEGORIES);
  g_assert_true (cs_chart_item_at (chart, &frame, frame.x + frame.width / 6.0,
                                   frame.y + frame.height / 2.0, &hit, &row, &column));
  g_assert_true (hit == CS_CHART_LAYER (layer));
  g_assert_cmpuint (row, ==, 1);
  g_assert_cmpuint (column, ==, 0);
  text = cs_chart_describe_at (chart, &frame, frame.x + frame.width / 6.0, frame.y + frame.height / 2.0);
  g_assert_cmpstr (text, ==, "True B, predicted A: 1 clip (25\u00a0% of B)");
  cairo_surface_destroy (surface);
}

/* The sample (chart-samples.c): Popularity, ItemKNN, EASE, iALS; EASE beats
 * Popularity (p < 0.001), ItemKNN and iALS do not differ (p = 0.412). */
static void
test_significance_cells (void)
{
  g_autoptr(CsChart) chart = chart_sample_new ("significance");
  g_autofree char *text = NULL;
  g_autofree char *description = NULL;
  CsSignificanceLayer *layer;
  cairo_surface_t *surface;
  CsChartStyle style;
  CsChartFrame frame;
  double cw, ch;

  set_test_style (chart, FALSE);
  layer = g_list_model_get_item (cs_chart_get_layers (chart), 0);
  g_object_unref (layer);   /* the chart keeps it */
  g_assert_cmpint (cs_significance_layer_get_verdict (layer, 2, 0), ==, CS_SIGNIFICANCE_ROW_BETTER);
  g_assert_cmpint (cs_significance_layer_get_verdict (layer, 0, 2), ==, CS_SIGNIFICANCE_ROW_WORSE);
  g_assert_cmpint (cs_significance_layer_get_verdict (layer, 1, 3), ==, CS_SIGNIFICANCE_NOT_SIGNIFICANT);
  g_assert_cmpint (cs_significance_layer_get_verdict (layer, 2, 3), ==, CS_SIGNIFICANCE_ROW_BETTER);
  g_assert_cmpint (cs_significance_layer_get_verdict (layer, 1, 1), ==, CS_SIGNIFICANCE_NONE);

  surface = render_full (chart, 400, 320, &frame);
  g_assert_cmpint (frame.x_kind, ==, CS_CHART_AXIS_CATEGORIES);
  g_assert_cmpint (frame.y_kind, ==, CS_CHART_AXIS_CATEGORIES);
  cw = frame.width / 4;
  ch = frame.height / 4;
  /* A corner of each cell, away from its text: better in the first
   * palette colour (Okabe–Ito blue #0072B2), worse in the second (orange
   * #E69F00), not significant in the grid colour, the diagonal empty. */
  cs_chart_style_init_default (&style, FALSE);
#define CELL(r, c) pixel_at (surface, (int) (frame.x + (c) * cw + 3), (int) (frame.y + (r) * ch + 3))
#define RGB_OF(color) (0xff000000u | ((guint32) round ((color).r * 255) << 16) | \
                       ((guint32) round ((color).g * 255) << 8) | (guint32) round ((color).b * 255))
  g_assert_cmpint (max_channel_difference (CELL (2, 0), 0xff0072b2), <=, 2);
  g_assert_cmpint (max_channel_difference (CELL (0, 2), 0xffe69f00), <=, 2);
  g_assert_cmpint (max_channel_difference (CELL (3, 1), 0xffe69f00), >, 40);
  g_assert_cmpint (max_channel_difference (CELL (1, 1), 0xffffffff), <=, 2);
  if (style.grid.a >= 1.0)
    g_assert_cmpint (max_channel_difference (CELL (1, 3), RGB_OF (style.grid)), <=, 2);
  else
    g_assert_cmpint (max_channel_difference (CELL (1, 3), 0xffffffff), >, 0);
#undef CELL
#undef RGB_OF

  /* The tooltip of a cell reads as a sentence about row against column. */
  text = cs_chart_describe_at (chart, &frame, frame.x + 2.5 * cw, frame.y + 0.5 * ch);
  g_assert_cmpstr (text, ==, "Popularity against EASE: NDCG@10 lower by 0.083 on average over viewers; "
                             "paired t-test, Holm-adjusted, p < 0.001 (significant at 0.05)");
  g_clear_pointer (&text, g_free);
  text = cs_chart_describe_at (chart, &frame, frame.x + 3.5 * cw, frame.y + 1.5 * ch);
  g_assert_cmpstr (text, ==, "ItemKNN against iALS: no significant difference in NDCG@10; "
                             "paired t-test, Holm-adjusted, p = 0.412");

  /* Screen readers hear each pair once. */
  description = cs_chart_describe (chart);
  g_assert_nonnull (strstr (description, "EASE against iALS: NDCG@10 higher by 0.038"));
  g_assert_null (strstr (description, "iALS against EASE"));
  cairo_surface_destroy (surface);
}

static void
test_histogram_counts (void)
{
  /* Edges 0, 1, 2, 3: [0,1) holds 0, 0.5, 0.99; [1,2) holds 1, 1.5;
   * [2,3] holds 2, 3 (the last bin is closed); −1, 3.5 and NaN fall out. */
  static const double values[] = { 0.0, 0.5, 0.99, 1.0, 1.5, 2.0, 3.0, -1.0, 3.5, NAN };
  static const double edges[] = { 0.0, 1.0, 2.0, 3.0 };
  /* Automatic bins over 1 .. 9 in at most 4: the nice ticks 0, 2.5, 5,
   * 7.5, 10; counts by hand: [0,2.5) 1 2, [2.5,5) 3 4, [5,7.5) 5 6 7,
   * [7.5,10] 8 9. */
  static const double nine[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
  static const guint nine_counts[] = { 2, 2, 3, 2 };
  g_autoptr(CsHistogramLayer) layer = cs_histogram_layer_new ();
  guint i;

  cs_histogram_layer_set_data_with_edges (layer, values, G_N_ELEMENTS (values), edges, 4);
  g_assert_cmpuint (cs_histogram_layer_get_n_bins (layer), ==, 3);
  g_assert_cmpuint (cs_histogram_layer_get_count (layer, 0), ==, 3);
  g_assert_cmpuint (cs_histogram_layer_get_count (layer, 1), ==, 2);
  g_assert_cmpuint (cs_histogram_layer_get_count (layer, 2), ==, 2);

  cs_histogram_layer_set_data (layer, nine, 9, 4);
  g_assert_cmpuint (cs_histogram_layer_get_n_bins (layer), ==, 4);
  for (i = 0; i < 4; i++)
    {
      g_assert_cmpfloat (cs_histogram_layer_get_edge (layer, i), ==, 2.5 * i);
      g_assert_cmpuint (cs_histogram_layer_get_count (layer, i), ==, nine_counts[i]);
    }
}

static void
test_box_stats (void)
{
  /* 1 2 3 4 100: Q1 = 2, median 3, Q3 = 4 (type 7); IQR 2, fences −1 and
   * 7, so 100 is an outlier and the upper whisker stops at 4. */
  static const char *names[] = { "A" };
  static const double values[] = { 4, 100, 1, 3, 2 };
  static const guint n_values[] = { 5 };
  g_autoptr(CsBoxPlotLayer) layer = cs_box_plot_layer_new ();
  CsBoxStats stats;

  cs_box_plot_layer_set_data (layer, names, 1, values, n_values);
  g_assert_true (cs_box_plot_layer_get_stats (layer, 0, &stats));
  g_assert_cmpuint (stats.n, ==, 5);
  g_assert_cmpfloat (stats.q1, ==, 2.0);
  g_assert_cmpfloat (stats.median, ==, 3.0);
  g_assert_cmpfloat (stats.q3, ==, 4.0);
  g_assert_cmpfloat (stats.whisker_low, ==, 1.0);
  g_assert_cmpfloat (stats.whisker_high, ==, 4.0);
  g_assert_cmpfloat (stats.max, ==, 100.0);
  g_assert_cmpuint (stats.n_outliers, ==, 1);
}

static void
test_funnel_and_percent (void)
{
  static const char *stages[] = { "Views", "Likes", "Shares" };
  static const double counts[] = { 1000, 120, 30 };
  g_autoptr(CsFunnelLayer) layer = cs_funnel_layer_new ();
  g_autofree char *share = cs_chart_format_number (0.25, TRUE);
  g_autofree char *fraction = cs_chart_format_number (0.125, TRUE);
  g_autofree char *negative = cs_chart_format_number (-1.5, FALSE);

  cs_funnel_layer_set_data (layer, stages, counts, 3);
  g_assert_true (isnan (cs_funnel_layer_get_step_rate (layer, 0)));
  g_assert_cmpfloat_with_epsilon (cs_funnel_layer_get_step_rate (layer, 1), 0.12, 1e-12);
  g_assert_cmpfloat_with_epsilon (cs_funnel_layer_get_step_rate (layer, 2), 0.25, 1e-12);

  g_assert_cmpstr (share, ==, "25\u00a0%");
  g_assert_cmpstr (fraction, ==, "12.5\u00a0%");
  g_assert_cmpstr (negative, ==, "\u22121.50");
}

/* ------------------------------------------------------------------ */
/* Legend toggles, speed, empty data                                   */
/* ------------------------------------------------------------------ */

static void
test_legend_toggle (void)
{
  g_autoptr(CsChart) chart = chart_sample_new ("line");
  CsChartFrame frame;
  cairo_surface_t *before, *after;
  CsChartLayer *layer = NULL;
  guint series = 99, x, y, differing = 0;
  gboolean found = FALSE;

  set_test_style (chart, FALSE);
  before = render_full (chart, 480, 320, &frame);

  /* Find the second legend entry by scanning the header. */
  for (y = 0; y < frame.y && !found; y++)
    for (x = 0; x < 480 && !found; x++)
      if (cs_chart_legend_at (chart, x, y, &layer, &series) && series == 1)
        found = TRUE;
  g_assert_true (found);
  g_assert_true (cs_chart_layer_get_series_visible (layer, 1));
  g_assert_true (cs_chart_toggle_legend_at (chart, x - 1, y - 1));
  g_assert_false (cs_chart_layer_get_series_visible (layer, 1));

  /* The model holds the state, so any later drawing (an export) agrees. */
  after = render_full (chart, 480, 320, &frame);
  for (y = (guint) frame.y; y < frame.y + frame.height; y++)
    for (x = (guint) frame.x; x < frame.x + frame.width; x++)
      if (pixel_at (before, x, y) != pixel_at (after, x, y))
        differing++;
  g_assert_cmpuint (differing, >, 100);

  cs_chart_layer_set_series_visible (layer, 1, TRUE);
  g_assert_true (cs_chart_layer_get_series_visible (layer, 1));
  cairo_surface_destroy (before);
  cairo_surface_destroy (after);
}

/* Stacked areas: the second series stands on the first, the axis reaches
 * the total, tooltips give each series' own value, and hiding a series
 * restacks the rest. */
static void
test_stacked_area (void)
{
  static const double x[] = { 0, 1 };
  static const double a[] = { 1, 2 };
  static const double b[] = { 3, 4 };
  g_autoptr(CsChartLayer) layer = CS_CHART_LAYER (cs_line_layer_new ());
  CsChartFrame frame = { .x = 0, .y = 0, .width = 100, .height = 80,
                         .y_min = 0, .y_max = 8, .x_min = 0, .x_max = 1,
                         .x_kind = CS_CHART_AXIS_NUMERIC, .y_kind = CS_CHART_AXIS_NUMERIC };
  double lo, hi;
  guint series = 99, index = 99;
  g_autofree char *text = NULL;

  cs_line_layer_set_stacked (CS_LINE_LAYER (layer), TRUE);
  cs_line_layer_add_series (CS_LINE_LAYER (layer), "Feed", x, a, 2);
  cs_line_layer_add_series (CS_LINE_LAYER (layer), "Search", x, b, 2);

  g_assert_true (cs_chart_layer_get_y_range (layer, &lo, &hi));
  g_assert_cmpfloat (lo, ==, 0.0);
  g_assert_cmpfloat (hi, ==, 6.0);   /* 2 + 4 at x = 1 */

  /* The top of "Search" at x = 1 is drawn at 6 of 8: 20 px from the top. */
  g_assert_true (cs_chart_layer_item_at (layer, &frame, 100, 20, &series, &index));
  g_assert_cmpuint (series, ==, 1);
  g_assert_cmpuint (index, ==, 1);
  text = cs_chart_layer_describe_at (layer, &frame, 100, 20);
  g_assert_nonnull (strstr (text, "Search"));
  g_assert_nonnull (strstr (text, ": 4"));

  cs_chart_layer_set_series_visible (layer, 0, FALSE);
  g_assert_true (cs_chart_layer_get_y_range (layer, &lo, &hi));
  g_assert_cmpfloat (hi, ==, 4.0);
}

static void
test_line_100k (void)
{
  const gsize n = 100000;
  g_autofree double *x = g_new (double, n);
  g_autofree double *y = g_new (double, n);
  g_autoptr(CsChart) chart = cs_chart_new ();
  g_autoptr(CsLineLayer) line = cs_line_layer_new ();
  cairo_surface_t *surface;
  CsChartFrame frame;
  g_autofree char *text = NULL;
  gint64 start;
  double elapsed;
  gsize i;

  for (i = 0; i < n; i++)
    {
      x[i] = (double) i;
      y[i] = sin (i / 500.0) * 100.0 + (i % 97 == 0 ? 40.0 : 0.0);
    }
  cs_line_layer_add_series (line, "Signal", x, y, n);
  cs_chart_add_layer (chart, CS_CHART_LAYER (line));

  start = g_get_monotonic_time ();
  surface = render_full (chart, 800, 460, &frame);
  elapsed = (g_get_monotonic_time () - start) / 1e6;
  g_test_message ("100,000-point line drawn in %.3f s", elapsed);
  g_printerr ("# 100,000-point line drawn in %.3f s\n", elapsed);
  g_assert_cmpfloat (elapsed, <, 1.0);

  /* Hover finds the exact point by bisection. */
  text = cs_chart_describe_at (chart, &frame, cs_chart_frame_value_to_x (&frame, 50000.0),
                               cs_chart_frame_value_to_y (&frame, y[50000]));
  g_assert_nonnull (text);
  g_assert_true (g_str_has_prefix (text, "Signal — 50000: "));
  cairo_surface_destroy (surface);
}

static void
test_empty_and_nan (void)
{
  static const char *names[] = { "a", "b" };
  static const double nan2[] = { NAN, NAN };
  static const double nan4[] = { NAN, NAN, NAN, NAN };
  static const guint zeros[] = { 0, 0, 0, 0 };
  static const guint two[] = { 1, 1 };
  CsChartLayer *layers[12];
  guint i;

  layers[0] = CS_CHART_LAYER (cs_line_layer_new ());
  cs_line_layer_add_series (CS_LINE_LAYER (layers[0]), "a", nan2, nan2, 2);
  layers[1] = CS_CHART_LAYER (cs_scatter_layer_new ());
  cs_scatter_layer_add_series (CS_SCATTER_LAYER (layers[1]), "a", nan2, nan2, 2);
  layers[2] = CS_CHART_LAYER (cs_histogram_layer_new ());
  cs_histogram_layer_set_data (CS_HISTOGRAM_LAYER (layers[2]), nan2, 2, 0);
  layers[3] = CS_CHART_LAYER (cs_stacked_bar_layer_new ());
  cs_stacked_bar_layer_set_data (CS_STACKED_BAR_LAYER (layers[3]), names, 2, names, 2, nan4);
  layers[4] = CS_CHART_LAYER (cs_heatmap_layer_new ());
  cs_heatmap_layer_set_data (CS_HEATMAP_LAYER (layers[4]), names, 2, names, 2, nan4);
  layers[5] = CS_CHART_LAYER (cs_confusion_matrix_layer_new ());
  cs_confusion_matrix_layer_set_data (CS_CONFUSION_MATRIX_LAYER (layers[5]), names, 2, zeros);
  layers[6] = CS_CHART_LAYER (cs_curve_layer_new (CS_CURVE_ROC));
  g_assert_cmpint (cs_curve_layer_add_scores (CS_CURVE_LAYER (layers[6]), "a", nan2,
                                              (gboolean[]) { TRUE, FALSE }, 2), ==, -1);
  layers[7] = CS_CHART_LAYER (cs_box_plot_layer_new ());
  cs_box_plot_layer_set_data (CS_BOX_PLOT_LAYER (layers[7]), names, 2, nan2, two);
  layers[8] = CS_CHART_LAYER (cs_retention_layer_new ());
  cs_retention_layer_add_curve (CS_RETENTION_LAYER (layers[8]), "a", nan2, nan2, 2);
  layers[9] = CS_CHART_LAYER (cs_funnel_layer_new ());
  cs_funnel_layer_set_data (CS_FUNNEL_LAYER (layers[9]), names, nan2, 2);
  layers[10] = CS_CHART_LAYER (cs_bar_layer_new ());
  cs_bar_layer_set_data (CS_BAR_LAYER (layers[10]), names, 2, names, 2, nan4, NULL, NULL);
  layers[11] = CS_CHART_LAYER (cs_line_layer_new ());  /* no series at all */

  for (i = 0; i < G_N_ELEMENTS (layers); i++)
    {
      g_autoptr(CsChart) chart = cs_chart_new ();
      g_autofree char *description = NULL;
      CsChartFrame frame = { 0, 0, 300, 200, 0, 1, 0, 1, 0, 0, FALSE, FALSE };

      g_test_message ("%s", G_OBJECT_TYPE_NAME (layers[i]));
      set_test_style (chart, i % 2 == 1);
      cs_chart_add_layer (chart, layers[i]);
      assert_empty_state (chart);
      description = cs_chart_describe (chart);
      g_assert_nonnull (strstr (description, "No data"));
      /* Nothing to hover, nothing to click, nothing to crash. */
      g_assert_false (cs_chart_item_at (chart, &frame, 150, 100, NULL, NULL, NULL));
      g_object_unref (layers[i]);
    }
}

/* Odd data draws without crashing: single values, negatives, huge numbers,
 * a NaN in the middle of a line, tiny sizes. */
static void
test_odd_data (void)
{
  const char * const *names = chart_samples_list ();
  static const double xs[] = { 0, 1, 2, 3, 4 };
  static const double ys[] = { -1e12, 3e12, NAN, 5e12, -2e12 };
  g_autoptr(CsChart) chart = cs_chart_new ();
  g_autoptr(CsLineLayer) line = cs_line_layer_new ();
  cairo_surface_t *surface;
  guint i;

  cs_line_layer_add_series (line, "Huge", xs, ys, 5);
  cs_line_layer_set_markers (line, TRUE);
  cs_chart_add_layer (chart, CS_CHART_LAYER (line));
  surface = render_to_surface (chart, 360, 240);
  cairo_surface_destroy (surface);

  for (i = 0; names[i] != NULL; i++)
    {
      g_autoptr(CsChart) sample = chart_sample_new (names[i]);

      surface = render_to_surface (sample, 120, 80);
      cairo_surface_destroy (surface);
      surface = render_to_surface (sample, 2, 2);
      cairo_surface_destroy (surface);
    }
}

int
main (int    argc,
      char **argv)
{
  const char * const *names = chart_samples_list ();
  guint i;

  /* Time ticks and labels are in local time: pin it, and the language. */
  g_setenv ("TZ", "UTC", TRUE);
  g_setenv ("LC_ALL", "C", TRUE);

  g_test_init (&argc, &argv, NULL);

  for (i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat ("/ChartLayers/reference/", names[i], NULL);

      g_test_add_data_func (path, names[i], test_reference);
    }
  g_test_add_func ("/ChartLayers/reference/dark", test_reference_dark);
  g_test_add_func ("/ChartLayers/hover/every-layer", test_hover_every_layer);
  g_test_add_func ("/ChartLayers/time/year-boundary", test_time_year_boundary);
  g_test_add_func ("/ChartLayers/time/hours", test_time_hours);
  g_test_add_func ("/ChartLayers/time/one-point", test_time_one_point);
  g_test_add_func ("/ChartLayers/by-hand/roc-pr", test_roc_pr_by_hand);
  g_test_add_func ("/ChartLayers/by-hand/confusion", test_confusion_proportions);
  g_test_add_func ("/ChartLayers/by-hand/significance", test_significance_cells);
  g_test_add_func ("/ChartLayers/by-hand/histogram", test_histogram_counts);
  g_test_add_func ("/ChartLayers/by-hand/box-plot", test_box_stats);
  g_test_add_func ("/ChartLayers/by-hand/funnel-percent", test_funnel_and_percent);
  g_test_add_func ("/ChartLayers/legend/toggle", test_legend_toggle);
  g_test_add_func ("/ChartLayers/by-hand/stacked-area", test_stacked_area);
  g_test_add_func ("/ChartLayers/speed/line-100k", test_line_100k);
  g_test_add_func ("/ChartLayers/empty/every-layer", test_empty_and_nan);
  g_test_add_func ("/ChartLayers/odd-data", test_odd_data);

  return g_test_run ();
}
