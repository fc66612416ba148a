/* chart-samples.c: one sample chart of every kind, with plausible,
 * deterministic data (no random numbers: references must not change).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "chart-samples.h"
#include "cs-bar-layer.h"
#include "cs-box-plot-layer.h"
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

static const char * const samples[] = {
  "bar", "bar-log", "stacked-bar", "line", "area", "stacked-area", "scatter", "histogram", "heatmap",
  "confusion-matrix", "roc", "precision-recall", "box-plot", "retention", "funnel",
  "significance", NULL,
};

const char * const *
chart_samples_list (void)
{
  return samples;
}

/* A fixed pseudo-random sequence in [0, 1). */
static double
noise (guint32 *state)
{
  *state = *state * 1664525u + 1013904223u;
  return (*state >> 8) / 16777216.0;
}

static void
add (CsChart      *chart,
     gpointer      layer)
{
  cs_chart_add_layer (chart, CS_CHART_LAYER (layer));
  g_object_unref (layer);
}

static void
sample_bar (CsChart *chart)
{
  static const char *categories[] = { "NDCG@10", "Recall@10", "MRR" };
  static const char *series[] = { "Popularity", "ItemKNN", "EASE" };
  static const double values[] = { 0.052, 0.081, 0.094, 0.100, 0.150, 0.171, 0.071, 0.112, 0.125 };
  static const double low[] = { 0.045, 0.070, 0.083, 0.088, 0.136, 0.158, 0.062, 0.100, 0.113 };
  static const double high[] = { 0.060, 0.090, 0.105, 0.113, 0.163, 0.184, 0.080, 0.124, 0.137 };
  CsBarLayer *bars = cs_bar_layer_new ();

  cs_chart_set_title (chart, "Ranking quality");
  cs_chart_set_y_label (chart, "Score");
  cs_bar_layer_set_data (bars, categories, 3, series, 3, values, low, high);
  add (chart, bars);
}

static void
sample_stacked_bar (CsChart *chart)
{
  static const char *weeks[] = { "Week 1", "Week 2", "Week 3", "Week 4", "Week 5", "Week 6" };
  static const char *sources[] = { "For You", "Following", "Search", "Profile" };
  static const double views[] = {
    8200, 2100, 900, 400,
    9100, 2300, 1100, 450,
    12500, 2400, 1300, 600,
    10100, 2600, 1500, 520,
    15800, 2900, 1800, 700,
    14200, 3100, 2100, 760,
  };
  CsStackedBarLayer *layer = cs_stacked_bar_layer_new ();

  cs_chart_set_title (chart, "Views by source");
  cs_chart_set_y_label (chart, "Views");
  cs_stacked_bar_layer_set_data (layer, weeks, 6, sources, 4, views);
  add (chart, layer);
}

static void
sample_line (CsChart *chart)
{
  /* 2026-09-01 00:00 UTC, daily for eight weeks. */
  const double start = 1788220800.0;
  double x[56], a[56], b[56], lo[56], hi[56];
  guint32 state = 7;
  CsLineLayer *layer = cs_line_layer_new ();
  guint i, s;

  for (i = 0; i < 56; i++)
    {
      double trend = 1200.0 + 18.0 * i;
      double weekly = (i % 7 == 5 || i % 7 == 6) ? 350.0 : 0.0;

      x[i] = start + i * 86400.0;
      a[i] = trend + weekly + 200.0 * (noise (&state) - 0.5);
      b[i] = 800.0 + 6.0 * i + 0.6 * weekly + 150.0 * (noise (&state) - 0.5);
      lo[i] = a[i] - 120.0 - 2.0 * i;
      hi[i] = a[i] + 120.0 + 2.0 * i;
    }
  cs_chart_set_title (chart, "Daily views");
  cs_chart_set_y_label (chart, "Views");
  cs_chart_set_axis_kind (chart, CS_CHART_AXIS_X, CS_CHART_AXIS_TIME);
  s = cs_line_layer_add_series (layer, "Forecast", x, a, 56);
  cs_line_layer_set_band (layer, s, lo, hi);
  cs_line_layer_add_series (layer, "Last season", x, b, 56);
  add (chart, layer);
}

static void
sample_area (CsChart *chart)
{
  double x[25], y[25];
  CsLineLayer *layer = cs_line_layer_new ();
  guint i;

  for (i = 0; i < 25; i++)
    {
      x[i] = i;
      y[i] = 40.0 + 260.0 * exp (-pow ((i - 19.0) / 3.5, 2.0)) + 60.0 * exp (-pow ((i - 12.5) / 2.0, 2.0));
    }
  cs_chart_set_title (chart, "Views per hour, Saturday");
  cs_chart_set_y_label (chart, "Views");
  cs_chart_set_x_label (chart, "Hour");
  cs_chart_set_axis_unit (chart, CS_CHART_AXIS_X, "h");
  cs_line_layer_set_fill (layer, TRUE);
  cs_line_layer_set_markers (layer, TRUE);
  cs_line_layer_add_series (layer, "Views", x, y, 25);
  add (chart, layer);
}

/* Views by source over four weeks, stacked: the top line is the total. */
static void
sample_stacked_area (CsChart *chart)
{
  static const char *sources[] = { "For You feed", "Search", "Profile" };
  double x[28], y[3][28];
  CsLineLayer *layer = cs_line_layer_new ();
  guint i, s;

  for (i = 0; i < 28; i++)
    {
      x[i] = 1767225600.0 + i * 86400.0;   /* from 2026-01-01 */
      y[0][i] = 900.0 + 500.0 * sin (i / 3.0) + 40.0 * i;
      y[1][i] = 300.0 + 8.0 * i;
      y[2][i] = 120.0 + 60.0 * (i % 7 == 5 || i % 7 == 6);
    }
  cs_chart_set_title (chart, "Views by source");
  cs_chart_set_y_label (chart, "Views");
  cs_chart_set_axis_kind (chart, CS_CHART_AXIS_X, CS_CHART_AXIS_TIME);
  cs_line_layer_set_stacked (layer, TRUE);
  for (s = 0; s < 3; s++)
    cs_line_layer_add_series (layer, sources[s], x, y[s], 28);
  add (chart, layer);
}

/* Views per clip span four decades: a log axis shows the small ones too. */
static void
sample_bar_log (CsChart *chart)
{
  static const char *clips[] = { "Unboxing", "Matcha bread", "Behind the counter", "Live Q&A", "Restock" };
  static const char *series[] = { "Views" };
  static const double views[] = { 2300000.0, 184000.0, 9600.0, 730.0, 45.0 };
  CsBarLayer *layer = cs_bar_layer_new ();

  cs_chart_set_title (chart, "Views per clip");
  cs_chart_set_y_label (chart, "Views (log scale)");
  cs_chart_set_y_log (chart, TRUE);
  cs_bar_layer_set_data (layer, clips, G_N_ELEMENTS (clips), series, 1, views, NULL, NULL);
  add (chart, layer);
}

static void
sample_scatter (CsChart *chart)
{
  double x1[40], y1[40], x2[30], y2[30];
  guint32 state = 11;
  CsScatterLayer *layer = cs_scatter_layer_new ();
  guint i;

  for (i = 0; i < 40; i++)
    {
      x1[i] = 8.0 + 50.0 * noise (&state);
      y1[i] = 0.75 - x1[i] * 0.007 + 0.12 * (noise (&state) - 0.5);
    }
  for (i = 0; i < 30; i++)
    {
      x2[i] = 15.0 + 100.0 * noise (&state);
      y2[i] = 0.55 - x2[i] * 0.0028 + 0.15 * (noise (&state) - 0.5);
    }
  cs_chart_set_title (chart, "Length against completion");
  cs_chart_set_x_label (chart, "Clip length");
  cs_chart_set_axis_unit (chart, CS_CHART_AXIS_X, "s");
  cs_chart_set_y_label (chart, "Completion");
  cs_chart_set_axis_percent (chart, CS_CHART_AXIS_Y, TRUE);
  cs_scatter_layer_add_series (layer, "Tutorials", x1, y1, 40);
  cs_scatter_layer_add_series (layer, "Vlogs", x2, y2, 30);
  add (chart, layer);
}

static void
sample_histogram (CsChart *chart)
{
  double values[400];
  guint32 state = 3;
  CsHistogramLayer *layer = cs_histogram_layer_new ();
  guint i;

  /* Roughly log-normal watch times. */
  for (i = 0; i < 400; i++)
    {
      double u = noise (&state) + noise (&state) + noise (&state) - 1.5;

      values[i] = exp (2.6 + 0.9 * u);
    }
  cs_chart_set_title (chart, "Watch time per view");
  cs_chart_set_x_label (chart, "Watch time");
  cs_chart_set_axis_unit (chart, CS_CHART_AXIS_X, "s");
  cs_chart_set_y_label (chart, "Views");
  cs_histogram_layer_set_data (layer, values, 400, 12);
  add (chart, layer);
}

static void
sample_heatmap (CsChart *chart)
{
  static const char *days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char *hours[] = {
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11",
    "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23",
  };
  double values[7 * 24];
  CsHeatmapLayer *layer = cs_heatmap_layer_new ();
  guint d, h;

  for (d = 0; d < 7; d++)
    for (h = 0; h < 24; h++)
      {
        double evening = exp (-pow ((h - 20.0) / 2.5, 2.0));
        double lunch = 0.4 * exp (-pow ((h - 12.5) / 1.5, 2.0));
        double weekend = d >= 5 ? 1.4 : 1.0;

        values[d * 24 + h] = round (20.0 + 480.0 * weekend * (evening + lunch));
      }
  cs_chart_set_title (chart, "Views by hour of the week");
  cs_chart_set_x_label (chart, "Hour");
  cs_heatmap_layer_set_data (layer, days, 7, hours, 24, values);
  add (chart, layer);
}

static void
sample_confusion (CsChart *chart)
{
  static const char *classes[] = { "Tutorial", "Vlog", "Comedy", "Review" };
  static const guint counts[] = {
    42, 3, 1, 4,
    5, 31, 6, 2,
    0, 7, 25, 1,
    6, 2, 1, 19,
  };
  CsConfusionMatrixLayer *layer = cs_confusion_matrix_layer_new ();

  cs_chart_set_title (chart, "Genre classifier");
  cs_chart_set_x_label (chart, "Predicted");
  cs_chart_set_y_label (chart, "True");
  cs_confusion_matrix_layer_set_data (layer, classes, 4, counts);
  add (chart, layer);
}

/* Four models: EASE beats everything, iALS and ItemKNN do not differ,
 * Popularity loses to all. */
static void
sample_significance (CsChart *chart)
{
  static const char *models[] = { "Popularity", "ItemKNN", "EASE", "iALS" };
  static const double diff[] = {
    NAN, -0.041, -0.083, -0.045,
    0.041, NAN, -0.042, -0.004,
    0.083, 0.042, NAN, 0.038,
    0.045, 0.004, -0.038, NAN,
  };
  static const double p[] = {
    NAN, 0.0004, 0.00001, 0.0002,
    0.0004, NAN, 0.0021, 0.412,
    0.00001, 0.0021, NAN, 0.031,
    0.0002, 0.412, 0.031, NAN,
  };
  CsSignificanceLayer *layer = cs_significance_layer_new ();

  cs_chart_set_title (chart, "NDCG@10, row against column");
  cs_significance_layer_set_data (layer, models, 4, diff, p, 0.05);
  cs_significance_layer_set_labels (layer, "NDCG@10", "paired t-test, Holm-adjusted");
  add (chart, layer);
}

static void
scores_for (guint32   seed,
            double    separation,
            double   *scores,
            gboolean *labels,
            guint     n)
{
  guint32 state = seed;
  guint i;

  for (i = 0; i < n; i++)
    {
      labels[i] = noise (&state) < 0.3;
      scores[i] = noise (&state) + (labels[i] ? separation : 0.0);
    }
}

static void
sample_curve (CsChart     *chart,
              CsCurveKind  kind)
{
  double scores[300];
  gboolean labels[300];
  CsCurveLayer *layer = cs_curve_layer_new (kind);

  scores_for (5, 0.55, scores, labels, 300);
  cs_curve_layer_add_scores (layer, "Gradient boosting", scores, labels, 300);
  scores_for (5, 0.25, scores, labels, 300);
  cs_curve_layer_add_scores (layer, "Logistic", scores, labels, 300);
  if (kind == CS_CURVE_ROC)
    {
      cs_chart_set_title (chart, "Will it go viral? ROC");
      cs_chart_set_x_label (chart, "False-positive rate");
      cs_chart_set_y_label (chart, "True-positive rate");
    }
  else
    {
      cs_chart_set_title (chart, "Will it go viral? Precision–recall");
      cs_chart_set_x_label (chart, "Recall");
      cs_chart_set_y_label (chart, "Precision");
    }
  add (chart, layer);
}

static void
sample_box (CsChart *chart)
{
  static const char *models[] = { "Popularity", "ItemKNN", "EASE", "BPR" };
  static const guint n_values[] = { 5, 5, 5, 5 };
  static const double ndcg[] = {
    0.050, 0.052, 0.049, 0.055, 0.051,
    0.078, 0.083, 0.081, 0.074, 0.088,
    0.094, 0.091, 0.097, 0.093, 0.120,
    0.066, 0.072, 0.059, 0.070, 0.068,
  };
  CsBoxPlotLayer *layer = cs_box_plot_layer_new ();

  cs_chart_set_title (chart, "NDCG@10 across 5 folds");
  cs_chart_set_y_label (chart, "NDCG@10");
  cs_box_plot_layer_set_data (layer, models, 4, ndcg, n_values);
  add (chart, layer);
}

static void
sample_retention (CsChart *chart)
{
  double t[61], a[61], b[61];
  CsRetentionLayer *layer = cs_retention_layer_new ();
  guint i;

  for (i = 0; i <= 60; i++)
    {
      t[i] = i;
      a[i] = 0.38 + 0.62 * exp (-(double) i / 9.0);
      b[i] = 0.18 + 0.82 * exp (-(double) i / 6.0) + (i >= 30 && i < 36 ? 0.04 : 0.0);
    }
  cs_chart_set_title (chart, "Audience retention");
  cs_chart_set_x_label (chart, "Time into the clip");
  cs_chart_set_axis_unit (chart, CS_CHART_AXIS_X, "s");
  cs_chart_set_y_label (chart, "Still watching");
  cs_chart_set_axis_percent (chart, CS_CHART_AXIS_Y, TRUE);
  cs_retention_layer_add_curve (layer, "Latte art in 60 s", t, a, 61);
  cs_retention_layer_add_curve (layer, "Shop tour", t, b, 61);
  add (chart, layer);
}

static void
sample_funnel (CsChart *chart)
{
  static const char *stages[] = { "Views", "Likes", "Comments", "Shares", "Follows" };
  static const double counts[] = { 48200, 5300, 610, 420, 150 };
  CsFunnelLayer *layer = cs_funnel_layer_new ();

  cs_chart_set_title (chart, "From views to follows");
  cs_chart_set_y_label (chart, "People");
  cs_funnel_layer_set_data (layer, stages, counts, 5);
  add (chart, layer);
}

CsChart *
chart_sample_new (const char *name)
{
  CsChart *chart = cs_chart_new ();

  if (g_str_equal (name, "bar"))
    sample_bar (chart);
  else if (g_str_equal (name, "stacked-bar"))
    sample_stacked_bar (chart);
  else if (g_str_equal (name, "line"))
    sample_line (chart);
  else if (g_str_equal (name, "area"))
    sample_area (chart);
  else if (g_str_equal (name, "stacked-area"))
    sample_stacked_area (chart);
  else if (g_str_equal (name, "bar-log"))
    sample_bar_log (chart);
  else if (g_str_equal (name, "scatter"))
    sample_scatter (chart);
  else if (g_str_equal (name, "histogram"))
    sample_histogram (chart);
  else if (g_str_equal (name, "heatmap"))
    sample_heatmap (chart);
  else if (g_str_equal (name, "confusion-matrix"))
    sample_confusion (chart);
  else if (g_str_equal (name, "roc"))
    sample_curve (chart, CS_CURVE_ROC);
  else if (g_str_equal (name, "precision-recall"))
    sample_curve (chart, CS_CURVE_PRECISION_RECALL);
  else if (g_str_equal (name, "box-plot"))
    sample_box (chart);
  else if (g_str_equal (name, "retention"))
    sample_retention (chart);
  else if (g_str_equal (name, "funnel"))
    sample_funnel (chart);
  else if (g_str_equal (name, "significance"))
    sample_significance (chart);
  else
    g_clear_object (&chart);
  return chart;
}
