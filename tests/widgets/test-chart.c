/* test-chart.c: the chart model, its drawing and exports, without a display.
 *
 * Rendering is compared with reference images in tests/widgets/reference/
 * with a tolerance. After an intended change in the drawing, regenerate
 * them with
 *
 *   CS_UPDATE_REFERENCES=1 meson test -C build test-chart
 *
 * look at the new images, and commit them (docs/CHARTS.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "chart-test-utils.h"
#include "cs-bar-layer.h"
#include "cs-chart.h"
#include "cs-chart-axis.h"


/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static const char *categories[] = { "NDCG@10", "Recall@10" };
static const char *series[] = { "Popularity", "ItemKNN" };
static const double values[] = { 0.052, 0.081, 0.100, 0.150 };
static const double low[] = { 0.045, 0.070, 0.088, 0.136 };
static const double high[] = { 0.060, 0.090, 0.113, 0.163 };

static CsChart *
grouped_bar_chart (void)
{
  CsChart *chart = cs_chart_new ();
  g_autoptr(CsBarLayer) bars = cs_bar_layer_new ();

  cs_chart_set_title (chart, "Ranking quality");
  cs_chart_set_y_label (chart, "Score");
  cs_bar_layer_set_data (bars, categories, 2, series, 2, values, low, high);
  cs_chart_add_layer (chart, CS_CHART_LAYER (bars));
  return chart;
}


/* ------------------------------------------------------------------ */
/* Ticks                                                               */
/* ------------------------------------------------------------------ */

static void
assert_ticks (double        lo,
              double        hi,
              guint         max_intervals,
              const double *expected,
              guint         n_expected,
              const char  **labels)
{
  CsChartTicks ticks;
  guint i;

  g_assert_true (cs_chart_ticks_compute (&ticks, lo, hi, max_intervals));
  g_assert_cmpuint (ticks.n_ticks, ==, n_expected);
  for (i = 0; i < n_expected; i++)
    {
      g_autofree char *label = cs_chart_ticks_format (&ticks, ticks.ticks[i]);

      g_assert_cmpfloat_with_epsilon (ticks.ticks[i], expected[i], fabs (expected[i]) * 1e-12 + 1e-300);
      if (labels != NULL)
        g_assert_cmpstr (label, ==, labels[i]);
    }
  g_assert_cmpfloat (ticks.min, ==, ticks.ticks[0]);
  g_assert_cmpfloat (ticks.max, ==, ticks.ticks[n_expected - 1]);
  /* The ticks cover the data. */
  g_assert_cmpfloat (ticks.min, <=, MIN (lo, hi));
  g_assert_cmpfloat (ticks.max, >=, MAX (lo, hi));
  g_assert_cmpuint (ticks.n_ticks - 1, <=, max_intervals);
}

static void
test_ticks_zero_range (void)
{
  /* 0..0 becomes 0..1; 1/5 = 0.2 is already nice. */
  static const double expected[] = { 0.0, 0.2, 0.4, 0.6, 0.8, 1.0 };
  static const char *labels[] = { "0", "0.2", "0.4", "0.6", "0.8", "1.0" };

  assert_ticks (0.0, 0.0, 5, expected, G_N_ELEMENTS (expected), labels);
}

static void
test_ticks_negative (void)
{
  /* Range 10 in 5 intervals: step 2 needs −4..8 (6 intervals), too many;
   * 2.5 fits as −5..7.5. */
  static const double five[] = { -5.0, -2.5, 0.0, 2.5, 5.0, 7.5 };
  static const char *five_labels[] = { "−5.0", "−2.5", "0", "2.5", "5.0", "7.5" };
  /* With room for 6 intervals, step 2 from −4 to 8. */
  static const double six[] = { -4.0, -2.0, 0.0, 2.0, 4.0, 6.0, 8.0 };
  static const char *six_labels[] = { "−4", "−2", "0", "2", "4", "6", "8" };
  /* All negative. */
  static const double neg[] = { -35.0, -30.0, -25.0, -20.0, -15.0, -10.0 };

  assert_ticks (-3.0, 7.0, 5, five, G_N_ELEMENTS (five), five_labels);
  assert_ticks (-3.0, 7.0, 6, six, G_N_ELEMENTS (six), six_labels);
  assert_ticks (-35.0, -12.0, 5, neg, G_N_ELEMENTS (neg), NULL);
  /* Reversed bounds are the same range. */
  assert_ticks (7.0, -3.0, 6, six, G_N_ELEMENTS (six), six_labels);
}

static void
test_ticks_tiny (void)
{
  /* Range 0.0003 / 5 = 0.00006: 5e-5 needs 2..8 (6 intervals), 1e-4 fits. */
  static const double expected[] = { 0.0001, 0.0002, 0.0003, 0.0004 };
  static const char *labels[] = { "0.0001", "0.0002", "0.0003", "0.0004" };
  /* Five decimals are too many: scientific notation. */
  static const double tinier[] = { 0.00001, 0.00002, 0.00003, 0.00004 };
  static const char *tinier_labels[] = { "1e−5", "2e−5", "3e−5", "4e−5" };
  static const double metric[] = { 0.0, 0.01, 0.02, 0.03, 0.04, 0.05 };
  static const char *metric_labels[] = { "0", "0.01", "0.02", "0.03", "0.04", "0.05" };

  assert_ticks (0.0001, 0.0004, 5, expected, G_N_ELEMENTS (expected), labels);
  assert_ticks (0.00001, 0.00004, 5, tinier, G_N_ELEMENTS (tinier), tinier_labels);
  assert_ticks (0.0, 0.048, 5, metric, G_N_ELEMENTS (metric), metric_labels);
}

static void
assert_log_ticks (double              lo,
                  double              hi,
                  guint               max_intervals,
                  const double       *expected,
                  guint               n,
                  const char * const *labels)
{
  CsChartTicks ticks;

  g_assert_true (cs_chart_log_ticks_compute (&ticks, lo, hi, max_intervals));
  g_assert_cmpuint (ticks.n_ticks, ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *label = cs_chart_ticks_format (&ticks, ticks.ticks[i]);

      g_assert_cmpfloat_with_epsilon (ticks.ticks[i], expected[i], expected[i] * 1e-12);
      g_assert_cmpstr (label, ==, labels[i]);
    }
  g_assert_cmpfloat (ticks.min, ==, ticks.ticks[0]);
  g_assert_cmpfloat (ticks.max, ==, ticks.ticks[n - 1]);
}

/* Log axes: decades, thinned when there are many, 1-2-5 within two
 * decades; zero (a count) starts the axis at 1. */
static void
test_ticks_log (void)
{
  static const double views[] = { 1, 10, 100, 1000, 1e4, 1e5 };
  static const char *view_labels[] = { "1", "10", "100", "1000", "10k", "100k" };
  static const double counts[] = { 1, 2, 5, 10, 20, 50, 100 };
  static const char *count_labels[] = { "1", "2", "5", "10", "20", "50", "100" };
  static const double shares[] = { 0.001, 0.01, 0.1, 1 };
  static const char *share_labels[] = { "0.001", "0.01", "0.1", "1" };
  /* 1 .. 2.3e9 is ten decades; four intervals → every third decade. */
  static const double wide[] = { 1, 1000, 1e6, 1e9, 1e12 };
  static const char *wide_labels[] = { "1", "1000", "1M", "1B", "1T" };
  CsChartTicks ticks;
  CsChartFrame frame = { .x = 0, .y = 0, .width = 100, .height = 300,
                         .y_min = 1, .y_max = 1000, .y_log = TRUE };

  assert_log_ticks (3, 25000, 10, views, G_N_ELEMENTS (views), view_labels);
  assert_log_ticks (0, 50, 10, counts, G_N_ELEMENTS (counts), count_labels);
  assert_log_ticks (0.003, 0.8, 10, shares, G_N_ELEMENTS (shares), share_labels);
  assert_log_ticks (1, 2.3e9, 4, wide, G_N_ELEMENTS (wide), wide_labels);
  g_assert_false (cs_chart_log_ticks_compute (&ticks, -5, 0, 5));
  g_assert_false (cs_chart_log_ticks_compute (&ticks, 1, NAN, 5));

  /* Three decades over 300 px: each decade is 100 px; 0 sits on the bottom. */
  g_assert_cmpfloat_with_epsilon (cs_chart_frame_value_to_y (&frame, 10), 200.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (cs_chart_frame_value_to_y (&frame, 100), 100.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (cs_chart_frame_value_to_y (&frame, 0), 300.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (cs_chart_frame_y_to_value (&frame, 150.0), pow (10.0, 1.5), 1e-9);
}

static void
test_ticks_huge (void)
{
  /* 4e9 / 5 = 8e8: 5e8 needs 2..10 (8 intervals), 1e9 fits. */
  static const double billions[] = { 1e9, 2e9, 3e9, 4e9, 5e9 };
  static const char *billion_labels[] = { "1B", "2B", "3B", "4B", "5B" };
  static const double thousands[] = { 0, 5000, 10000, 15000, 20000, 25000 };
  static const char *thousand_labels[] = { "0", "5k", "10k", "15k", "20k", "25k" };
  static const double millions[] = { 0, 1e6, 2e6, 3e6 };
  static const char *million_labels[] = { "0", "1M", "2M", "3M" };
  /* Below 10 000 numbers stay whole: "2000" reads better than "2.0k". */
  static const double small[] = { 0, 500, 1000, 1500, 2000, 2500 };
  static const char *small_labels[] = { "0", "500", "1000", "1500", "2000", "2500" };
  static const double views[] = { 0, 2500, 5000, 7500, 10000, 12500 };
  static const char *view_labels[] = { "0", "2.5k", "5k", "7.5k", "10k", "12.5k" };
  static const double astronomic[] = { 1e20, 1.5e20, 2e20, 2.5e20, 3e20 };
  static const char *astronomic_labels[] = { "1e20", "1.5e20", "2e20", "2.5e20", "3e20" };

  assert_ticks (1e9, 5e9, 5, billions, G_N_ELEMENTS (billions), billion_labels);
  assert_ticks (0, 23000, 5, thousands, G_N_ELEMENTS (thousands), thousand_labels);
  assert_ticks (0, 3e6, 5, millions, G_N_ELEMENTS (millions), million_labels);
  assert_ticks (0, 2400, 5, small, G_N_ELEMENTS (small), small_labels);
  assert_ticks (0, 12000, 5, views, G_N_ELEMENTS (views), view_labels);
  assert_ticks (1e20, 3e20, 5, astronomic, G_N_ELEMENTS (astronomic), astronomic_labels);
}

static void
test_ticks_one_value (void)
{
  /* One value is shown against zero. */
  static const double five[] = { 0, 1, 2, 3, 4, 5 };
  static const double minus_three[] = { -3, -2, -1, 0 };
  static const double small[] = { 0, 0.01, 0.02, 0.03, 0.04, 0.05 };
  /* A value far from zero with a range below its precision still gets
   * distinct ticks. */
  CsChartTicks ticks;
  guint i;

  assert_ticks (5, 5, 5, five, G_N_ELEMENTS (five), NULL);
  assert_ticks (-3, -3, 5, minus_three, G_N_ELEMENTS (minus_three), NULL);
  assert_ticks (0.05, 0.05, 5, small, G_N_ELEMENTS (small), NULL);

  g_assert_true (cs_chart_ticks_compute (&ticks, 1e15, 1e15 + 0.001, 5));
  g_assert_cmpuint (ticks.n_ticks, >=, 2);
  for (i = 1; i < ticks.n_ticks; i++)
    g_assert_cmpfloat (ticks.ticks[i], >, ticks.ticks[i - 1]);
}

static void
test_ticks_invalid (void)
{
  CsChartTicks ticks;

  g_assert_false (cs_chart_ticks_compute (&ticks, NAN, 1.0, 5));
  g_assert_false (cs_chart_ticks_compute (&ticks, 0.0, INFINITY, 5));
  g_assert_false (cs_chart_ticks_compute (&ticks, -1e308, 1e308, 5));
}

/* ------------------------------------------------------------------ */
/* Rendering                                                           */
/* ------------------------------------------------------------------ */

static void
test_render_reference (void)
{
  g_autoptr(CsChart) chart = NULL;
  cairo_surface_t *surface;

  if (!font_available (REFERENCE_FONT))
    {
      g_test_skip ("the reference images are drawn in " REFERENCE_FONT ", which is not installed");
      return;
    }

  chart = grouped_bar_chart ();
  set_test_style (chart, FALSE);
  surface = render_to_surface (chart, 480, 300);
  compare_with_reference (surface, "grouped-bars-light");
  cairo_surface_destroy (surface);
}

static void
test_render_reference_narrow_dark (void)
{
  static const char *long_categories[] = {
    "Completion rate in the first week",
    "Average watch time per viewer",
    "Shares per thousand views",
    "Followers gained",
  };
  static const double narrow_values[] = { 0.42, 0.55, 0.31, NAN, 0.12, 0.18, 0.05, 0.07 };
  g_autoptr(CsChart) chart = cs_chart_new ();
  g_autoptr(CsBarLayer) bars = cs_bar_layer_new ();
  cairo_surface_t *surface;

  if (!font_available (REFERENCE_FONT))
    {
      g_test_skip ("the reference images are drawn in " REFERENCE_FONT ", which is not installed");
      return;
    }

  /* At the narrowest width the app allows, long labels must rotate or
   * shorten and a missing value must show as missing. */
  cs_chart_set_title (chart, "Engagement by posting slot, last 30 days");
  cs_chart_set_y_label (chart, "Share of views");
  cs_chart_set_x_label (chart, "Metric");
  cs_bar_layer_set_data (bars, long_categories, 4, series, 2, narrow_values, NULL, NULL);
  cs_bar_layer_set_value_format (bars, "%.2f");
  cs_chart_add_layer (chart, CS_CHART_LAYER (bars));
  set_test_style (chart, TRUE);

  surface = render_to_surface (chart, 360, 260);
  compare_with_reference (surface, "grouped-bars-dark-narrow");
  cairo_surface_destroy (surface);
}

static void
test_render_reference_rotated (void)
{
  static const char *many[] = {
    "Monday morning", "Monday evening", "Tuesday", "Wednesday",
    "Thursday", "Friday", "Saturday", "Sunday",
  };
  static const double views[] = { 1200, 5400, 3100, 2800, 4100, 12500, 9800, 7600 };
  g_autoptr(CsChart) chart = cs_chart_new ();
  g_autoptr(CsBarLayer) bars = cs_bar_layer_new ();
  cairo_surface_t *surface;

  if (!font_available (REFERENCE_FONT))
    {
      g_test_skip ("the reference images are drawn in " REFERENCE_FONT ", which is not installed");
      return;
    }

  /* Eight categories in 360 px: labels rotate; one series: no legend;
   * thousands: "k" ticks. */
  cs_chart_set_title (chart, "Views by day posted");
  cs_bar_layer_set_data (bars, many, G_N_ELEMENTS (many), NULL, 1, views, NULL, NULL);
  cs_bar_layer_set_value_format (bars, "%.0f");
  cs_chart_add_layer (chart, CS_CHART_LAYER (bars));
  set_test_style (chart, FALSE);

  surface = render_to_surface (chart, 360, 240);
  compare_with_reference (surface, "bars-rotated-labels");
  cairo_surface_destroy (surface);
}

static void
assert_empty_state (CsChart *chart)
{
  cairo_surface_t *surface;
  double share;

  g_assert_true (cs_chart_is_empty (chart));
  surface = render_to_surface (chart, 320, 220);
  /* The message is drawn in the middle... */
  share = non_background_share (surface, 320 / 4, 220 / 3, 320 * 3 / 4, 220 * 2 / 3);
  g_assert_cmpfloat (share, >, 0.005);
  /* ...and nothing else: no axes in the corners. */
  share = non_background_share (surface, 0, 220 - 40, 60, 220);
  g_assert_cmpfloat (share, ==, 0.0);
  cairo_surface_destroy (surface);
}

static void
test_render_empty (void)
{
  static const double all_nan[] = { NAN, NAN, NAN, NAN };
  static const double all_nan_low[] = { 0.1, 0.1, 0.1, 0.1 };
  g_autoptr(CsChart) chart = cs_chart_new ();
  g_autoptr(CsBarLayer) bars = cs_bar_layer_new ();
  g_autofree char *description = NULL;

  set_test_style (chart, FALSE);

  /* No layers at all. */
  assert_empty_state (chart);

  /* A layer without data. */
  cs_chart_add_layer (chart, CS_CHART_LAYER (bars));
  assert_empty_state (chart);

  /* Only NaN, even with error bars. */
  cs_bar_layer_set_data (bars, categories, 2, series, 2, all_nan, all_nan_low, all_nan_low);
  assert_empty_state (chart);

  description = cs_chart_describe (chart);
  g_assert_nonnull (strstr (description, "No data"));
}

static void
test_render_edge_data (void)
{
  static const double negative[] = { -0.5, 0.25, -1e-9, 3.0 };
  static const double huge[] = { 3e9, 1.2e9, 5e8, NAN };
  static const double single[] = { 42.0 };
  static const char *one[] = { "Only" };
  g_autoptr(CsChart) chart = cs_chart_new ();
  g_autoptr(CsBarLayer) bars = cs_bar_layer_new ();
  cairo_surface_t *surface;

  set_test_style (chart, FALSE);
  cs_chart_add_layer (chart, CS_CHART_LAYER (bars));

  cs_bar_layer_set_data (bars, categories, 2, series, 2, negative, NULL, NULL);
  surface = render_to_surface (chart, 360, 220);
  g_assert_cmpfloat (non_background_share (surface, 0, 0, 360, 220), >, 0.02);
  cairo_surface_destroy (surface);

  cs_bar_layer_set_data (bars, categories, 2, series, 2, huge, NULL, NULL);
  surface = render_to_surface (chart, 360, 220);
  g_assert_cmpfloat (non_background_share (surface, 0, 0, 360, 220), >, 0.02);
  cairo_surface_destroy (surface);

  cs_bar_layer_set_data (bars, one, 1, NULL, 1, single, NULL, NULL);
  surface = render_to_surface (chart, 360, 220);
  g_assert_cmpfloat (non_background_share (surface, 0, 0, 360, 220), >, 0.02);
  cairo_surface_destroy (surface);

  /* Tiny sizes draw something or nothing, but never crash. */
  surface = render_to_surface (chart, 20, 10);
  cairo_surface_destroy (surface);
}

/* ------------------------------------------------------------------ */
/* Model                                                               */
/* ------------------------------------------------------------------ */

static void
count_cb (gpointer  instance,
          guint    *count)
{
  (*count)++;
}

static void
test_changed_signal (void)
{
  g_autoptr(CsChart) chart = cs_chart_new ();
  g_autoptr(CsBarLayer) bars = cs_bar_layer_new ();
  CsChartStyle style;
  guint count = 0;

  g_signal_connect (chart, "changed", G_CALLBACK (count_cb), &count);

  cs_chart_add_layer (chart, CS_CHART_LAYER (bars));
  g_assert_cmpuint (count, ==, 1);
  cs_bar_layer_set_data (bars, categories, 2, series, 2, values, NULL, NULL);
  g_assert_cmpuint (count, ==, 2);
  cs_chart_set_title (chart, "Title");
  cs_chart_set_title (chart, "Title");
  g_assert_cmpuint (count, ==, 3);

  /* The same style again is no change. */
  cs_chart_style_init_default (&style, FALSE);
  cs_chart_set_style (chart, &style);
  g_assert_cmpuint (count, ==, 3);
  style.dark = TRUE;
  cs_chart_set_style (chart, &style);
  g_assert_cmpuint (count, ==, 4);
  g_assert_true (cs_chart_get_style (chart)->dark);

  cs_chart_remove_all_layers (chart);
  g_assert_cmpuint (count, ==, 5);
  g_assert_cmpuint (g_list_model_get_n_items (cs_chart_get_layers (chart)), ==, 0);

  /* A removed layer no longer reaches the chart. */
  cs_bar_layer_set_data (bars, categories, 2, series, 2, values, NULL, NULL);
  g_assert_cmpuint (count, ==, 5);
}

static void
test_palette (void)
{
  g_autoptr(CsChart) chart = cs_chart_new ();
  g_autoptr(CsBarLayer) first = cs_bar_layer_new ();
  g_autoptr(CsBarLayer) second = cs_bar_layer_new ();
  CsChartStyle style;
  CsColor light, dark, a, b;
  guint i, j;

  /* Eight distinct colours, then they repeat. */
  for (i = 0; i < 8; i++)
    for (j = i + 1; j < 8; j++)
      {
        a = cs_chart_palette_color (chart, i);
        b = cs_chart_palette_color (chart, j);
        g_assert_false (a.r == b.r && a.g == b.g && a.b == b.b);
      }
  a = cs_chart_palette_color (chart, 0);
  b = cs_chart_palette_color (chart, 8);
  g_assert_true (a.r == b.r && a.g == b.g && a.b == b.b);

  /* Okabe–Ito blue first on light backgrounds, lighter on dark ones. */
  light = cs_chart_palette_color (chart, 0);
  g_assert_cmpfloat_with_epsilon (light.b, 0xB2 / 255.0, 1e-9);
  cs_chart_style_init_default (&style, TRUE);
  cs_chart_set_style (chart, &style);
  dark = cs_chart_palette_color (chart, 0);
  g_assert_cmpfloat (0.2126 * dark.r + 0.7152 * dark.g + 0.0722 * dark.b, >,
                     0.2126 * light.r + 0.7152 * light.g + 0.0722 * light.b);

  /* Series of a second layer continue the palette. */
  cs_bar_layer_set_data (first, categories, 2, series, 2, values, NULL, NULL);
  cs_bar_layer_set_data (second, categories, 2, series, 2, values, NULL, NULL);
  cs_chart_add_layer (chart, CS_CHART_LAYER (first));
  cs_chart_add_layer (chart, CS_CHART_LAYER (second));
  a = cs_chart_get_series_color (chart, CS_CHART_LAYER (second), 0);
  b = cs_chart_palette_color (chart, 2);
  g_assert_true (a.r == b.r && a.g == b.g && a.b == b.b);
}

static void
test_describe (void)
{
  g_autoptr(CsChart) chart = grouped_bar_chart ();
  g_autofree char *description = cs_chart_describe (chart);

  g_assert_cmpstr (description, ==,
                   "Ranking quality. NDCG@10: Popularity 0.052, ItemKNN 0.081; "
                   "Recall@10: Popularity 0.100, ItemKNN 0.150");
}

static void
test_describe_at (void)
{
  g_autoptr(CsChart) chart = grouped_bar_chart ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 480, 300);
  cairo_t *cr = cairo_create (surface);
  CsChartFrame frame;
  double x;
  char *text;

  g_assert_true (cs_chart_render_full (chart, cr, 480, 300, NULL, &frame));
  g_assert_cmpfloat (frame.width, >, 100);
  g_assert_cmpfloat (frame.height, >, 50);
  g_assert_cmpfloat (frame.y_min, ==, 0.0);
  g_assert_cmpfloat (frame.y_max, >=, 0.163);

  /* Sweep the plot at mid-height: every bar answers once. */
  for (x = frame.x; x < frame.x + frame.width; x += 0.5)
    {
      text = cs_chart_describe_at (chart, &frame, x, frame.y + frame.height / 2.0);
      if (text != NULL)
        g_hash_table_add (seen, text);
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 4);
  g_assert_true (g_hash_table_contains (seen, "ItemKNN — NDCG@10: 0.081 (95 % CI 0.070–0.090)"));
  g_assert_true (g_hash_table_contains (seen, "Popularity — Recall@10: 0.100 (95 % CI 0.088–0.113)"));

  /* Outside the plot nothing answers. */
  g_assert_null (cs_chart_describe_at (chart, &frame, 1, 1));
  g_assert_null (cs_chart_describe_at (chart, &frame, frame.x + frame.width / 4, frame.y + frame.height + 5));

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
test_value_format (void)
{
  g_autoptr(CsBarLayer) bars = cs_bar_layer_new ();
  static const double v[] = { -0.5, NAN };
  g_autofree char *description = NULL;

  cs_bar_layer_set_data (bars, categories, 1, series, 2, v, NULL, NULL);
  cs_bar_layer_set_value_format (bars, "%.1f %%");
  description = cs_chart_layer_describe (CS_CHART_LAYER (bars));
  g_assert_cmpstr (description, ==, "NDCG@10: Popularity −0.5 %, ItemKNN no value");
  g_assert_true (isnan (cs_bar_layer_get_value (bars, 0, 1)));

  /* Anything but one floating-point conversion is refused. */
  g_test_expect_message ("Clipscope-Chart", G_LOG_LEVEL_CRITICAL, "*floating-point*");
  cs_bar_layer_set_value_format (bars, "%s");
  g_test_assert_expected_messages ();
  g_test_expect_message ("Clipscope-Chart", G_LOG_LEVEL_CRITICAL, "*floating-point*");
  cs_bar_layer_set_value_format (bars, "%f %f");
  g_test_assert_expected_messages ();
  g_test_expect_message ("Clipscope-Chart", G_LOG_LEVEL_CRITICAL, "*floating-point*");
  cs_bar_layer_set_value_format (bars, "%*f");
  g_test_assert_expected_messages ();
}

/* ------------------------------------------------------------------ */
/* Export                                                              */
/* ------------------------------------------------------------------ */

static void
assert_png_not_blank (const char *path)
{
  cairo_surface_t *loaded = cairo_image_surface_create_from_png (path);
  cairo_surface_t *surface;
  int width, height;

  g_assert_cmpint (cairo_surface_status (loaded), ==, CAIRO_STATUS_SUCCESS);
  surface = to_argb32 (loaded);
  width = cairo_image_surface_get_width (surface);
  height = cairo_image_surface_get_height (surface);
  g_assert_cmpint (width, >, 100);
  g_assert_cmpint (height, >, 50);
  /* Bars, text and grid: a few per cent of the pixels at least. */
  g_assert_cmpfloat (non_background_share (surface, 0, 0, width, height), >, 0.02);
  cairo_surface_destroy (surface);
  cairo_surface_destroy (loaded);
}

static void
run_converter (const char * const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH,
                               NULL, NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s\n%s", argv[0], error->message, err);
}

static void
test_export (void)
{
  g_autoptr(CsChart) chart = grouped_bar_chart ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-chart-XXXXXX", &error);
  g_autofree char *png = NULL;
  g_autofree char *svg = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *svg_png = NULL;
  g_autofree char *pdf_prefix = NULL;
  g_autofree char *pdf_png = NULL;
  g_autofree char *rsvg = g_find_program_in_path ("rsvg-convert");
  g_autofree char *pdftoppm = g_find_program_in_path ("pdftoppm");
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_no_error (error);
  png = g_build_filename (dir, "chart.png", NULL);
  svg = g_build_filename (dir, "chart.SVG", NULL);
  pdf = g_build_filename (dir, "chart.pdf", NULL);
  svg_png = g_build_filename (dir, "from-svg.png", NULL);
  pdf_prefix = g_build_filename (dir, "from-pdf", NULL);
  pdf_png = g_build_filename (dir, "from-pdf.png", NULL);

  g_assert_true (cs_chart_export (chart, png, 480, 300, &error));
  g_assert_no_error (error);
  g_assert_true (cs_chart_export (chart, svg, 480, 300, &error));
  g_assert_no_error (error);
  g_assert_true (cs_chart_export (chart, pdf, 480, 300, &error));
  g_assert_no_error (error);

  /* PNG at twice the size, for crisp slides. */
  assert_png_not_blank (png);
  {
    cairo_surface_t *s = cairo_image_surface_create_from_png (png);

    g_assert_cmpint (cairo_image_surface_get_width (s), ==, 960);
    g_assert_cmpint (cairo_image_surface_get_height (s), ==, 600);
    cairo_surface_destroy (s);
  }

  g_assert_true (g_file_get_contents (svg, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 1000);
  g_assert_nonnull (strstr (contents, "<svg"));
  g_clear_pointer (&contents, g_free);

  g_assert_true (g_file_get_contents (pdf, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (g_str_has_prefix (contents, "%PDF"));
  g_clear_pointer (&contents, g_free);

  if (rsvg != NULL)
    {
      const char *argv[] = { rsvg, "-o", svg_png, svg, NULL };

      run_converter (argv);
      assert_png_not_blank (svg_png);
    }
  else
    g_test_message ("rsvg-convert not found: the SVG was not rasterised");

  if (pdftoppm != NULL)
    {
      const char *argv[] = { pdftoppm, "-png", "-r", "72", "-singlefile", pdf, pdf_prefix, NULL };

      run_converter (argv);
      assert_png_not_blank (pdf_png);
    }
  else
    g_test_message ("pdftoppm not found: the PDF was not rasterised");

  g_unlink (png);
  g_unlink (svg);
  g_unlink (pdf);
  g_unlink (svg_png);
  g_unlink (pdf_png);
  g_rmdir (dir);
}

static void
test_export_errors (void)
{
  g_autoptr(CsChart) chart = grouped_bar_chart ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-chart-XXXXXX", &error);
  g_autofree char *unknown = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *existing = NULL;

  g_assert_no_error (error);
  unknown = g_build_filename (dir, "chart.jpeg", NULL);
  missing = g_build_filename (dir, "no", "such", "folder", "chart.png", NULL);
  existing = g_build_filename (dir, "chart.png", NULL);

  g_assert_false (cs_chart_export (chart, unknown, 480, 300, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "chart.jpeg"));
  g_assert_nonnull (strstr (error->message, ".png"));
  g_assert_false (g_file_test (unknown, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  g_assert_false (cs_chart_export (chart, missing, 480, 300, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "chart.png"));
  g_clear_error (&error);

  g_assert_false (cs_chart_export (chart, existing, 0, 300, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Writing over an existing file replaces it. */
  g_assert_true (g_file_set_contents (existing, "old", -1, NULL));
  g_assert_true (cs_chart_export (chart, existing, 480, 300, &error));
  g_assert_no_error (error);
  assert_png_not_blank (existing);

  g_unlink (existing);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Chart/ticks/zero-range", test_ticks_zero_range);
  g_test_add_func ("/Chart/ticks/negative", test_ticks_negative);
  g_test_add_func ("/Chart/ticks/tiny", test_ticks_tiny);
  g_test_add_func ("/Chart/ticks/huge", test_ticks_huge);
  g_test_add_func ("/Chart/ticks/log", test_ticks_log);
  g_test_add_func ("/Chart/ticks/one-value", test_ticks_one_value);
  g_test_add_func ("/Chart/ticks/invalid", test_ticks_invalid);
  g_test_add_func ("/Chart/render/reference", test_render_reference);
  g_test_add_func ("/Chart/render/reference-narrow-dark", test_render_reference_narrow_dark);
  g_test_add_func ("/Chart/render/reference-rotated", test_render_reference_rotated);
  g_test_add_func ("/Chart/render/empty", test_render_empty);
  g_test_add_func ("/Chart/render/edge-data", test_render_edge_data);
  g_test_add_func ("/Chart/model/changed", test_changed_signal);
  g_test_add_func ("/Chart/model/palette", test_palette);
  g_test_add_func ("/Chart/model/describe", test_describe);
  g_test_add_func ("/Chart/model/describe-at", test_describe_at);
  g_test_add_func ("/Chart/model/value-format", test_value_format);
  g_test_add_func ("/Chart/export/formats", test_export);
  g_test_add_func ("/Chart/export/errors", test_export_errors);

  return g_test_run ();
}
