/* cs-stacked-bar-layer.c: one bar per category, its series stacked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "cs-chart.h"
#include "cs-stacked-bar-layer.h"

#define MAX_BAR_WIDTH 64.0

struct _CsStackedBarLayer
{
  CsChartLayer   parent_instance;

  char         **categories;
  char         **series;
  double        *values;
  guint          n_categories;
  guint          n_series;
};

G_DEFINE_FINAL_TYPE (CsStackedBarLayer, cs_stacked_bar_layer, CS_TYPE_CHART_LAYER)

static double
value_at (CsStackedBarLayer *self,
          guint              c,
          guint              s)
{
  return self->values[(gsize) c * self->n_series + s];
}

static gboolean
cs_stacked_bar_layer_get_y_range (CsChartLayer *layer,
                                  double       *min,
                                  double       *max)
{
  CsStackedBarLayer *self = CS_STACKED_BAR_LAYER (layer);
  gboolean any = FALSE;
  guint c, s;

  *min = 0.0;
  *max = 0.0;
  for (c = 0; c < self->n_categories; c++)
    {
      double up = 0.0, down = 0.0;

      for (s = 0; s < self->n_series; s++)
        {
          double v = value_at (self, c, s);

          if (!isfinite (v))
            continue;
          any = TRUE;
          if (v >= 0)
            up += v;
          else
            down += v;
        }
      *min = MIN (*min, down);
      *max = MAX (*max, up);
    }
  return any;
}

static const char * const *
cs_stacked_bar_layer_get_categories (CsChartLayer *layer)
{
  return (const char * const *) CS_STACKED_BAR_LAYER (layer)->categories;
}

static const char * const *
cs_stacked_bar_layer_get_series (CsChartLayer *layer)
{
  return (const char * const *) CS_STACKED_BAR_LAYER (layer)->series;
}

static void
bar_x (const CsChartFrame *frame,
       guint               n_categories,
       guint               c,
       double             *x,
       double             *width)
{
  double slot = frame->width / n_categories;

  *width = MIN (slot * 0.6, MAX_BAR_WIDTH);
  *x = frame->x + slot * c + (slot - *width) / 2.0;
}

/* Value range [from, to] of segment (c, s) in the stack. */
static gboolean
segment (CsStackedBarLayer *self,
         guint              c,
         guint              s,
         double            *from,
         double            *to)
{
  double up = 0.0, down = 0.0;
  guint i;

  for (i = 0; i <= s; i++)
    {
      double v = value_at (self, c, i);

      if (!isfinite (v) || !cs_chart_layer_get_series_visible (CS_CHART_LAYER (self), i))
        {
          if (i == s)
            return FALSE;
          continue;
        }
      if (v >= 0)
        {
          *from = up;
          up += v;
          *to = up;
        }
      else
        {
          *from = down;
          down += v;
          *to = down;
        }
    }
  return TRUE;
}

static void
cs_stacked_bar_layer_render (CsChartLayer       *layer,
                             CsChart            *chart,
                             cairo_t            *cr,
                             const CsChartFrame *frame)
{
  CsStackedBarLayer *self = CS_STACKED_BAR_LAYER (layer);
  const CsChartStyle *style = cs_chart_get_render_style (chart);
  guint c, s;

  for (s = 0; s < self->n_series; s++)
    {
      CsColor color = cs_chart_get_series_color (chart, layer, s);

      for (c = 0; c < self->n_categories; c++)
        {
          double x, w, from, to, y0, y1;

          if (!segment (self, c, s, &from, &to) || from == to)
            continue;
          bar_x (frame, self->n_categories, c, &x, &w);
          y0 = cs_chart_snap_y (cr, cs_chart_frame_value_to_y (frame, from), 0.0);
          y1 = cs_chart_snap_y (cr, cs_chart_frame_value_to_y (frame, to), 0.0);
          cairo_rectangle (cr, cs_chart_snap_x (cr, x, 0.0), MIN (y0, y1),
                           cs_chart_snap_x (cr, x + w, 0.0) - cs_chart_snap_x (cr, x, 0.0),
                           fabs (y1 - y0));
        }
      cs_chart_set_source_color (cr, &color, 1.0);
      cairo_fill (cr);
    }

  /* Thin gaps between segments, in the background colour where known. */
  if (style->background.a > 0.0)
    {
      cairo_set_line_width (cr, cs_chart_snap_width (cr, 1.0));
      for (c = 0; c < self->n_categories; c++)
        for (s = 0; s < self->n_series; s++)
          {
            double x, w, from, to, y;

            if (!segment (self, c, s, &from, &to) || from == 0.0)
              continue;
            bar_x (frame, self->n_categories, c, &x, &w);
            y = cs_chart_snap_y (cr, cs_chart_frame_value_to_y (frame, from), 1.0);
            cairo_move_to (cr, x, y);
            cairo_line_to (cr, x + w, y);
          }
      cs_chart_set_source_color (cr, &style->background, 1.0);
      cairo_stroke (cr);
    }
}

static gboolean
cs_stacked_bar_layer_item_at (CsChartLayer       *layer,
                              const CsChartFrame *frame,
                              double              x,
                              double              y,
                              guint              *series,
                              guint              *index)
{
  CsStackedBarLayer *self = CS_STACKED_BAR_LAYER (layer);
  double value, slot, best = INFINITY;
  gboolean found = FALSE;
  guint c, s;

  if (self->n_categories == 0 || x < frame->x || x >= frame->x + frame->width ||
      y < frame->y - 8.0 || y > frame->y + frame->height)
    return FALSE;
  slot = frame->width / self->n_categories;
  c = MIN ((guint) ((x - frame->x) / slot), self->n_categories - 1);
  value = cs_chart_frame_y_to_value (frame, y);

  /* The segment under the pointer, else the nearest one in the column. */
  for (s = 0; s < self->n_series; s++)
    {
      double from, to, d;

      if (!segment (self, c, s, &from, &to))
        continue;
      if (value >= MIN (from, to) && value <= MAX (from, to))
        d = 0.0;
      else
        d = MIN (fabs (value - from), fabs (value - to));
      if (d < best)
        {
          best = d;
          *series = s;
          *index = c;
          found = TRUE;
        }
    }
  return found;
}

static char *
cs_stacked_bar_layer_describe_item (CsChartLayer       *layer,
                                    const CsChartFrame *frame,
                                    guint               series,
                                    guint               index)
{
  CsStackedBarLayer *self = CS_STACKED_BAR_LAYER (layer);
  g_autofree char *value = NULL;
  g_autofree char *total = NULL;

  if (series >= self->n_series || index >= self->n_categories)
    return NULL;
  value = cs_chart_frame_format_y (frame, value_at (self, index, series));
  total = cs_chart_frame_format_y (frame, cs_stacked_bar_layer_get_total (self, index));
  /* Translators: tooltip of a stacked bar segment: series — category: value (of total). */
  return g_strdup_printf (_("%s — %s: %s (of %s)"), self->series[series],
                          self->categories[index], value, total);
}

static char *
cs_stacked_bar_layer_describe (CsChartLayer *layer)
{
  CsStackedBarLayer *self = CS_STACKED_BAR_LAYER (layer);
  g_autoptr(GString) str = g_string_new (NULL);
  guint c, s;

  for (c = 0; c < self->n_categories; c++)
    {
      g_string_append_printf (str, "%s%s:", c > 0 ? "; " : "", self->categories[c]);
      for (s = 0; s < self->n_series; s++)
        {
          g_autofree char *v = cs_chart_format_number (value_at (self, c, s), FALSE);

          g_string_append_printf (str, "%s %s %s", s > 0 ? "," : "", self->series[s], v);
        }
    }
  return g_string_free (g_steal_pointer (&str), FALSE);
}

static void
clear_data (CsStackedBarLayer *self)
{
  g_clear_pointer (&self->categories, g_strfreev);
  g_clear_pointer (&self->series, g_strfreev);
  g_clear_pointer (&self->values, g_free);
  self->n_categories = 0;
  self->n_series = 0;
}

static void
cs_stacked_bar_layer_finalize (GObject *object)
{
  clear_data (CS_STACKED_BAR_LAYER (object));

  G_OBJECT_CLASS (cs_stacked_bar_layer_parent_class)->finalize (object);
}

static void
cs_stacked_bar_layer_class_init (CsStackedBarLayerClass *klass)
{
  CsChartLayerClass *layer_class = CS_CHART_LAYER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = cs_stacked_bar_layer_finalize;
  layer_class->get_y_range = cs_stacked_bar_layer_get_y_range;
  layer_class->get_categories = cs_stacked_bar_layer_get_categories;
  layer_class->get_series = cs_stacked_bar_layer_get_series;
  layer_class->render = cs_stacked_bar_layer_render;
  layer_class->item_at = cs_stacked_bar_layer_item_at;
  layer_class->describe_item = cs_stacked_bar_layer_describe_item;
  layer_class->describe = cs_stacked_bar_layer_describe;
}

static void
cs_stacked_bar_layer_init (CsStackedBarLayer *self)
{
}

CsStackedBarLayer *
cs_stacked_bar_layer_new (void)
{
  return g_object_new (CS_TYPE_STACKED_BAR_LAYER, NULL);
}

void
cs_stacked_bar_layer_set_data (CsStackedBarLayer  *self,
                               const char * const *categories,
                               guint               n_categories,
                               const char * const *series,
                               guint               n_series,
                               const double       *values)
{
  g_return_if_fail (CS_IS_STACKED_BAR_LAYER (self));
  g_return_if_fail (categories != NULL || n_categories == 0);
  g_return_if_fail (series != NULL || n_series == 0);
  g_return_if_fail (values != NULL || n_categories * n_series == 0);

  clear_data (self);
  if (n_categories > 0 && n_series > 0)
    {
      self->categories = cs_chart_layer_copy_names (categories, n_categories);
      self->series = cs_chart_layer_copy_names (series, n_series);
      self->values = g_memdup2 (values, sizeof (double) * n_categories * n_series);
      self->n_categories = n_categories;
      self->n_series = n_series;
    }
  cs_chart_layer_changed (CS_CHART_LAYER (self));
}

double
cs_stacked_bar_layer_get_total (CsStackedBarLayer *self,
                                guint              category)
{
  double total = 0.0;
  gboolean any = FALSE;
  guint s;

  g_return_val_if_fail (CS_IS_STACKED_BAR_LAYER (self), NAN);
  g_return_val_if_fail (category < self->n_categories, NAN);

  for (s = 0; s < self->n_series; s++)
    if (isfinite (value_at (self, category, s)))
      {
        total += value_at (self, category, s);
        any = TRUE;
      }
  return any ? total : NAN;
}
