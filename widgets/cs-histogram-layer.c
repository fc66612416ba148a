/* cs-histogram-layer.c: counts of values in bins along a numeric x axis.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "cs-chart.h"
#include "cs-chart-axis.h"
#include "cs-histogram-layer.h"

struct _CsHistogramLayer
{
  CsChartLayer  parent_instance;

  double       *edges;   /* n_bins + 1 */
  guint        *counts;  /* n_bins */
  guint         n_bins;
};

G_DEFINE_FINAL_TYPE (CsHistogramLayer, cs_histogram_layer, CS_TYPE_CHART_LAYER)

static gboolean
cs_histogram_layer_get_x_range (CsChartLayer *layer,
                                double       *min,
                                double       *max)
{
  CsHistogramLayer *self = CS_HISTOGRAM_LAYER (layer);

  if (self->n_bins == 0)
    return FALSE;
  *min = self->edges[0];
  *max = self->edges[self->n_bins];
  return TRUE;
}

static gboolean
cs_histogram_layer_get_y_range (CsChartLayer *layer,
                                double       *min,
                                double       *max)
{
  CsHistogramLayer *self = CS_HISTOGRAM_LAYER (layer);
  guint i, top = 0, total = 0;

  for (i = 0; i < self->n_bins; i++)
    {
      top = MAX (top, self->counts[i]);
      total += self->counts[i];
    }
  if (total == 0)
    return FALSE;
  *min = 0.0;
  *max = top;
  return TRUE;
}

static void
cs_histogram_layer_render (CsChartLayer       *layer,
                           CsChart            *chart,
                           cairo_t            *cr,
                           const CsChartFrame *frame)
{
  CsHistogramLayer *self = CS_HISTOGRAM_LAYER (layer);
  CsColor color = cs_chart_get_series_color (chart, layer, 0);
  const CsChartStyle *style = cs_chart_get_render_style (chart);
  double base = cs_chart_snap_y (cr, cs_chart_frame_value_to_y (frame, 0.0), 0.0);
  guint i;

  for (i = 0; i < self->n_bins; i++)
    {
      double x0 = cs_chart_snap_x (cr, cs_chart_frame_value_to_x (frame, self->edges[i]), 0.0);
      double x1 = cs_chart_snap_x (cr, cs_chart_frame_value_to_x (frame, self->edges[i + 1]), 0.0);
      double top = cs_chart_snap_y (cr, cs_chart_frame_value_to_y (frame, self->counts[i]), 0.0);

      if (self->counts[i] == 0)
        continue;
      cairo_rectangle (cr, x0, top, x1 - x0, base - top);
    }
  cs_chart_set_source_color (cr, &color, 0.85);
  cairo_fill_preserve (cr);
  /* Bins touch; a hairline in the background colour keeps them apart. */
  cairo_set_line_width (cr, cs_chart_snap_width (cr, 1.0));
  if (style->background.a > 0.0)
    cs_chart_set_source_color (cr, &style->background, 1.0);
  else
    {
      CsColor bg = style->dark ? (CsColor) { 0.14, 0.14, 0.14, 1.0 } : (CsColor) { 1, 1, 1, 1 };

      cs_chart_set_source_color (cr, &bg, 1.0);
    }
  cairo_stroke (cr);
}

static gboolean
cs_histogram_layer_item_at (CsChartLayer       *layer,
                            const CsChartFrame *frame,
                            double              x,
                            double              y,
                            guint              *series,
                            guint              *index)
{
  CsHistogramLayer *self = CS_HISTOGRAM_LAYER (layer);
  double value;
  guint i;

  if (y < frame->y - 8.0 || y > frame->y + frame->height)
    return FALSE;
  value = cs_chart_frame_x_to_value (frame, x);
  for (i = 0; i < self->n_bins; i++)
    if (value >= self->edges[i] && value < self->edges[i + 1])
      {
        *series = 0;
        *index = i;
        return TRUE;
      }
  return FALSE;
}

static char *
cs_histogram_layer_describe_item (CsChartLayer       *layer,
                                  const CsChartFrame *frame,
                                  guint               series,
                                  guint               index)
{
  CsHistogramLayer *self = CS_HISTOGRAM_LAYER (layer);
  g_autofree char *lo = NULL;
  g_autofree char *hi = NULL;

  if (index >= self->n_bins)
    return NULL;
  lo = cs_chart_frame_format_x (frame, self->edges[index]);
  hi = cs_chart_frame_format_x (frame, self->edges[index + 1]);
  /* Translators: tooltip of a histogram bin: "0.2–0.4: 12 values". */
  return g_strdup_printf (ngettext ("%s–%s: %u value", "%s–%s: %u values", self->counts[index]),
                          lo, hi, self->counts[index]);
}

static char *
cs_histogram_layer_describe (CsChartLayer *layer)
{
  CsHistogramLayer *self = CS_HISTOGRAM_LAYER (layer);
  g_autoptr(GString) str = g_string_new (NULL);
  guint i, total = 0;

  for (i = 0; i < self->n_bins; i++)
    total += self->counts[i];
  if (total == 0)
    return NULL;
  /* Translators: accessible summary of a histogram; bins follow. */
  g_string_append_printf (str, ngettext ("%u value in %u bins", "%u values in %u bins", total),
                          total, self->n_bins);
  for (i = 0; i < self->n_bins; i++)
    {
      g_autofree char *lo = cs_chart_format_number (self->edges[i], FALSE);
      g_autofree char *hi = cs_chart_format_number (self->edges[i + 1], FALSE);

      g_string_append_printf (str, "%s %s–%s: %u", i == 0 ? ":" : ",", lo, hi, self->counts[i]);
    }
  return g_string_free (g_steal_pointer (&str), FALSE);
}

static void
clear_bins (CsHistogramLayer *self)
{
  g_clear_pointer (&self->edges, g_free);
  g_clear_pointer (&self->counts, g_free);
  self->n_bins = 0;
}

static void
cs_histogram_layer_finalize (GObject *object)
{
  clear_bins (CS_HISTOGRAM_LAYER (object));

  G_OBJECT_CLASS (cs_histogram_layer_parent_class)->finalize (object);
}

static void
cs_histogram_layer_class_init (CsHistogramLayerClass *klass)
{
  CsChartLayerClass *layer_class = CS_CHART_LAYER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = cs_histogram_layer_finalize;
  layer_class->get_x_range = cs_histogram_layer_get_x_range;
  layer_class->get_y_range = cs_histogram_layer_get_y_range;
  layer_class->render = cs_histogram_layer_render;
  layer_class->item_at = cs_histogram_layer_item_at;
  layer_class->describe_item = cs_histogram_layer_describe_item;
  layer_class->describe = cs_histogram_layer_describe;
}

static void
cs_histogram_layer_init (CsHistogramLayer *self)
{
}

CsHistogramLayer *
cs_histogram_layer_new (void)
{
  return g_object_new (CS_TYPE_HISTOGRAM_LAYER, NULL);
}

static void
count_values (CsHistogramLayer *self,
              const double     *values,
              gsize             n)
{
  gsize j;

  for (j = 0; j < n; j++)
    {
      double v = values[j];
      guint lo = 0, hi = self->n_bins;

      if (!isfinite (v) || v < self->edges[0] || v > self->edges[self->n_bins])
        continue;
      /* The bin whose left edge is the last at or below v. */
      while (hi - lo > 1)
        {
          guint mid = (lo + hi) / 2;

          if (self->edges[mid] <= v)
            lo = mid;
          else
            hi = mid;
        }
      self->counts[lo]++;
    }
}

void
cs_histogram_layer_set_data_with_edges (CsHistogramLayer *self,
                                        const double     *values,
                                        gsize             n,
                                        const double     *edges,
                                        guint             n_edges)
{
  guint i;

  g_return_if_fail (CS_IS_HISTOGRAM_LAYER (self));
  g_return_if_fail (values != NULL || n == 0);
  g_return_if_fail (edges != NULL || n_edges == 0);

  clear_bins (self);
  for (i = 0; i + 1 < n_edges; i++)
    if (!(edges[i] < edges[i + 1]))
      {
        g_warning ("Histogram edges must be finite and increasing");
        n_edges = 0;
        break;
      }
  if (n_edges >= 2)
    {
      self->n_bins = n_edges - 1;
      self->edges = g_memdup2 (edges, n_edges * sizeof (double));
      self->counts = g_new0 (guint, self->n_bins);
      count_values (self, values, n);
    }
  cs_chart_layer_changed (CS_CHART_LAYER (self));
}

void
cs_histogram_layer_set_data (CsHistogramLayer *self,
                             const double     *values,
                             gsize             n,
                             guint             n_bins)
{
  CsChartTicks ticks;
  double lo = INFINITY, hi = -INFINITY;
  gsize j, finite = 0;

  g_return_if_fail (CS_IS_HISTOGRAM_LAYER (self));
  g_return_if_fail (values != NULL || n == 0);

  for (j = 0; j < n; j++)
    if (isfinite (values[j]))
      {
        lo = MIN (lo, values[j]);
        hi = MAX (hi, values[j]);
        finite++;
      }
  if (finite == 0)
    {
      cs_histogram_layer_set_data_with_edges (self, values, 0, NULL, 0);
      return;
    }
  if (n_bins == 0)
    n_bins = (guint) ceil (log2 ((double) finite)) + 1;
  n_bins = CLAMP (n_bins, 1, CS_CHART_TICKS_MAX - 1);
  /* One value, or all equal: a bin of width one around them. */
  if (hi - lo <= 0.0)
    {
      lo -= 0.5;
      hi += 0.5;
    }
  cs_chart_ticks_compute (&ticks, lo, hi, n_bins);
  cs_histogram_layer_set_data_with_edges (self, values, n, ticks.ticks, ticks.n_ticks);
}

guint
cs_histogram_layer_get_n_bins (CsHistogramLayer *self)
{
  g_return_val_if_fail (CS_IS_HISTOGRAM_LAYER (self), 0);

  return self->n_bins;
}

guint
cs_histogram_layer_get_count (CsHistogramLayer *self,
                              guint             bin)
{
  g_return_val_if_fail (CS_IS_HISTOGRAM_LAYER (self), 0);
  g_return_val_if_fail (bin < self->n_bins, 0);

  return self->counts[bin];
}

double
cs_histogram_layer_get_edge (CsHistogramLayer *self,
                             guint             index)
{
  g_return_val_if_fail (CS_IS_HISTOGRAM_LAYER (self), NAN);
  g_return_val_if_fail (index <= self->n_bins, NAN);

  return self->edges[index];
}
