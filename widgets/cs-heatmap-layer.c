/* cs-heatmap-layer.c: a grid of cells coloured by value, with a colour
 * scale right of the plot.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "cs-chart.h"
#include "cs-heatmap-layer.h"

#define SCALE_BAR_WIDTH 10.0
#define SCALE_LABEL_GAP  4.0

struct _CsHeatmapLayer
{
  CsChartLayer   parent_instance;

  char         **rows;
  char         **columns;
  double        *values;
  guint          n_rows;
  guint          n_columns;
  gboolean       percent;
  gboolean       show_values;
};

G_DEFINE_FINAL_TYPE (CsHeatmapLayer, cs_heatmap_layer, CS_TYPE_CHART_LAYER)

static double
value_at (CsHeatmapLayer *self,
          guint           r,
          guint           c)
{
  return self->values[(gsize) r * self->n_columns + c];
}

static gboolean
value_range (CsHeatmapLayer *self,
             double         *lo,
             double         *hi)
{
  gsize i, n = (gsize) self->n_rows * self->n_columns;
  gboolean any = FALSE;

  *lo = INFINITY;
  *hi = -INFINITY;
  for (i = 0; i < n; i++)
    if (isfinite (self->values[i]))
      {
        *lo = MIN (*lo, self->values[i]);
        *hi = MAX (*hi, self->values[i]);
        any = TRUE;
      }
  return any;
}

static double
normalise (double value,
           double lo,
           double hi)
{
  return hi > lo ? (value - lo) / (hi - lo) : 0.5;
}

static gboolean
cs_heatmap_layer_get_y_range (CsChartLayer *layer,
                              double       *min,
                              double       *max)
{
  CsHeatmapLayer *self = CS_HEATMAP_LAYER (layer);
  double lo, hi;

  if (!value_range (self, &lo, &hi))
    return FALSE;
  /* The y axis shows rows, not values. */
  *min = 0.0;
  *max = self->n_rows;
  return TRUE;
}

static const char * const *
cs_heatmap_layer_get_categories (CsChartLayer *layer)
{
  return (const char * const *) CS_HEATMAP_LAYER (layer)->columns;
}

static const char * const *
cs_heatmap_layer_get_y_categories (CsChartLayer *layer)
{
  return (const char * const *) CS_HEATMAP_LAYER (layer)->rows;
}

static char *
scale_label (CsHeatmapLayer *self,
             double          value)
{
  return cs_chart_format_number (value, self->percent);
}

static double
cs_heatmap_layer_get_side_width (CsChartLayer *layer,
                                 CsChart      *chart,
                                 cairo_t      *cr)
{
  CsHeatmapLayer *self = CS_HEATMAP_LAYER (layer);
  double lo, hi, width = 0.0;
  guint i;

  if (!value_range (self, &lo, &hi))
    return 0.0;
  for (i = 0; i < 3; i++)
    {
      g_autofree char *text = scale_label (self, lo + (hi - lo) * i / 2.0);
      g_autoptr(PangoLayout) layout = cs_chart_create_layout (chart, cr, CS_CHART_FONT_TICK, text);
      int w;

      pango_layout_get_pixel_size (layout, &w, NULL);
      width = MAX (width, w);
    }
  return SCALE_BAR_WIDTH + SCALE_LABEL_GAP + width;
}

static void
draw_scale (CsHeatmapLayer     *self,
            CsChart            *chart,
            cairo_t            *cr,
            const CsChartFrame *frame,
            double              lo,
            double              hi)
{
  const CsChartStyle *style = cs_chart_get_render_style (chart);
  cairo_pattern_t *gradient;
  double x = frame->x + frame->width + CS_CHART_SIDE_GAP;
  double top = frame->y, bottom = frame->y + frame->height;
  guint i;

  gradient = cairo_pattern_create_linear (0, bottom, 0, top);
  for (i = 0; i <= 8; i++)
    {
      CsColor c = cs_chart_sequential_color (chart, i / 8.0);

      cairo_pattern_add_color_stop_rgb (gradient, i / 8.0, c.r, c.g, c.b);
    }
  cairo_rectangle (cr, x, top, SCALE_BAR_WIDTH, bottom - top);
  cairo_set_source (cr, gradient);
  cairo_fill (cr);
  cairo_pattern_destroy (gradient);

  /* Low at the bottom, high at the top, the middle between. */
  for (i = 0; i < 3; i++)
    {
      g_autofree char *text = scale_label (self, lo + (hi - lo) * i / 2.0);
      double y = bottom - (bottom - top) * i / 2.0;

      cs_chart_show_text (chart, cr, CS_CHART_FONT_TICK, text,
                          x + SCALE_BAR_WIDTH + SCALE_LABEL_GAP, y, 0.0, i == 0 ? 1.0 : i == 2 ? 0.0 : 0.5,
                          0.0, &style->foreground, 0.65);
    }
}

static void
cs_heatmap_layer_render (CsChartLayer       *layer,
                         CsChart            *chart,
                         cairo_t            *cr,
                         const CsChartFrame *frame)
{
  CsHeatmapLayer *self = CS_HEATMAP_LAYER (layer);
  const CsChartStyle *style = cs_chart_get_render_style (chart);
  double lo, hi, cw, ch, gap;
  guint r, c;

  if (!value_range (self, &lo, &hi))
    return;
  cw = frame->width / self->n_columns;
  ch = frame->height / self->n_rows;
  /* A hairline between cells while they are big enough to spare it. */
  gap = MIN (cw, ch) >= 6.0 ? 1.0 : 0.0;

  for (r = 0; r < self->n_rows; r++)
    for (c = 0; c < self->n_columns; c++)
      {
        double v = value_at (self, r, c);
        double x0 = cs_chart_snap_x (cr, frame->x + c * cw, 0.0);
        double x1 = cs_chart_snap_x (cr, frame->x + (c + 1) * cw, 0.0) - gap;
        double y0 = cs_chart_snap_y (cr, frame->y + r * ch, 0.0);
        double y1 = cs_chart_snap_y (cr, frame->y + (r + 1) * ch, 0.0) - gap;
        CsColor color;

        if (!isfinite (v))
          {
            cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
            cs_chart_set_source_color (cr, &style->grid, 1.0);
            cairo_fill (cr);
            continue;
          }
        color = cs_chart_sequential_color (chart, normalise (v, lo, hi));
        cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
        cs_chart_set_source_color (cr, &color, 1.0);
        cairo_fill (cr);

        if (self->show_values)
          {
            g_autofree char *text = scale_label (self, v);
            CsColor ink = cs_chart_text_color_on (&color);

            cs_chart_show_text (chart, cr, CS_CHART_FONT_VALUE, text,
                                (x0 + x1) / 2.0, (y0 + y1) / 2.0, 0.5, 0.5,
                                x1 - x0 - 2.0, &ink, 1.0);
          }
      }

  draw_scale (self, chart, cr, frame, lo, hi);
}

static gboolean
cs_heatmap_layer_item_at (CsChartLayer       *layer,
                          const CsChartFrame *frame,
                          double              x,
                          double              y,
                          guint              *series,
                          guint              *index)
{
  CsHeatmapLayer *self = CS_HEATMAP_LAYER (layer);

  if (self->n_rows == 0 || self->n_columns == 0 ||
      x < frame->x || x >= frame->x + frame->width ||
      y < frame->y || y >= frame->y + frame->height)
    return FALSE;
  *series = MIN ((guint) ((y - frame->y) / (frame->height / self->n_rows)), self->n_rows - 1);
  *index = MIN ((guint) ((x - frame->x) / (frame->width / self->n_columns)), self->n_columns - 1);
  return TRUE;
}

static char *
cs_heatmap_layer_describe_item (CsChartLayer       *layer,
                                const CsChartFrame *frame,
                                guint               row,
                                guint               column)
{
  CsHeatmapLayer *self = CS_HEATMAP_LAYER (layer);
  g_autofree char *value = NULL;

  if (row >= self->n_rows || column >= self->n_columns)
    return NULL;
  value = scale_label (self, value_at (self, row, column));
  /* Translators: tooltip of a heatmap cell: row, column: value ("Mon, 14: 0.52"). */
  return g_strdup_printf (_("%s, %s: %s"), self->rows[row], self->columns[column], value);
}

static char *
cs_heatmap_layer_describe (CsChartLayer *layer)
{
  CsHeatmapLayer *self = CS_HEATMAP_LAYER (layer);
  double lo, hi, best = -INFINITY;
  guint r, c, best_r = 0, best_c = 0;
  g_autofree char *lo_text = NULL;
  g_autofree char *hi_text = NULL;

  if (!value_range (self, &lo, &hi))
    return NULL;
  for (r = 0; r < self->n_rows; r++)
    for (c = 0; c < self->n_columns; c++)
      if (value_at (self, r, c) > best)
        {
          best = value_at (self, r, c);
          best_r = r;
          best_c = c;
        }
  lo_text = scale_label (self, lo);
  hi_text = scale_label (self, hi);
  /* Translators: accessible summary of a heatmap: rows, columns, range, where the highest is. */
  return g_strdup_printf (_("%u × %u cells from %s to %s, highest at %s, %s"),
                          self->n_rows, self->n_columns, lo_text, hi_text,
                          self->rows[best_r], self->columns[best_c]);
}

static void
clear_data (CsHeatmapLayer *self)
{
  g_clear_pointer (&self->rows, g_strfreev);
  g_clear_pointer (&self->columns, g_strfreev);
  g_clear_pointer (&self->values, g_free);
  self->n_rows = 0;
  self->n_columns = 0;
}

static void
cs_heatmap_layer_finalize (GObject *object)
{
  clear_data (CS_HEATMAP_LAYER (object));

  G_OBJECT_CLASS (cs_heatmap_layer_parent_class)->finalize (object);
}

static void
cs_heatmap_layer_class_init (CsHeatmapLayerClass *klass)
{
  CsChartLayerClass *layer_class = CS_CHART_LAYER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = cs_heatmap_layer_finalize;
  layer_class->get_y_range = cs_heatmap_layer_get_y_range;
  layer_class->get_categories = cs_heatmap_layer_get_categories;
  layer_class->get_y_categories = cs_heatmap_layer_get_y_categories;
  layer_class->get_side_width = cs_heatmap_layer_get_side_width;
  layer_class->render = cs_heatmap_layer_render;
  layer_class->item_at = cs_heatmap_layer_item_at;
  layer_class->describe_item = cs_heatmap_layer_describe_item;
  layer_class->describe = cs_heatmap_layer_describe;
}

static void
cs_heatmap_layer_init (CsHeatmapLayer *self)
{
}

CsHeatmapLayer *
cs_heatmap_layer_new (void)
{
  return g_object_new (CS_TYPE_HEATMAP_LAYER, NULL);
}

void
cs_heatmap_layer_set_data (CsHeatmapLayer     *self,
                           const char * const *rows,
                           guint               n_rows,
                           const char * const *columns,
                           guint               n_columns,
                           const double       *values)
{
  g_return_if_fail (CS_IS_HEATMAP_LAYER (self));
  g_return_if_fail (rows != NULL || n_rows == 0);
  g_return_if_fail (columns != NULL || n_columns == 0);
  g_return_if_fail (values != NULL || n_rows * n_columns == 0);

  clear_data (self);
  if (n_rows > 0 && n_columns > 0)
    {
      self->rows = cs_chart_layer_copy_names (rows, n_rows);
      self->columns = cs_chart_layer_copy_names (columns, n_columns);
      self->values = g_memdup2 (values, sizeof (double) * n_rows * n_columns);
      self->n_rows = n_rows;
      self->n_columns = n_columns;
    }
  cs_chart_layer_changed (CS_CHART_LAYER (self));
}

void
cs_heatmap_layer_set_percent (CsHeatmapLayer *self,
                              gboolean        percent)
{
  g_return_if_fail (CS_IS_HEATMAP_LAYER (self));

  self->percent = !!percent;
  cs_chart_layer_changed (CS_CHART_LAYER (self));
}

void
cs_heatmap_layer_set_show_values (CsHeatmapLayer *self,
                                  gboolean        show_values)
{
  g_return_if_fail (CS_IS_HEATMAP_LAYER (self));

  self->show_values = !!show_values;
  cs_chart_layer_changed (CS_CHART_LAYER (self));
}

double
cs_heatmap_layer_get_value (CsHeatmapLayer *self,
                            guint           row,
                            guint           column)
{
  g_return_val_if_fail (CS_IS_HEATMAP_LAYER (self), NAN);
  g_return_val_if_fail (row < self->n_rows && column < self->n_columns, NAN);

  return value_at (self, row, column);
}
