/* cs-box-plot-layer.c: the spread of values per category.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "cs-box-plot-layer.h"
#include "cs-chart.h"

#define MAX_BOX_WIDTH 48.0
#define OUTLIER_RADIUS 2.5

typedef struct
{
  double     *sorted;   /* finite values, ascending */
  CsBoxStats  stats;
} Box;

struct _CsBoxPlotLayer
{
  CsChartLayer   parent_instance;

  char         **categories;
  Box           *boxes;
  guint          n_categories;
};

G_DEFINE_FINAL_TYPE (CsBoxPlotLayer, cs_box_plot_layer, CS_TYPE_CHART_LAYER)

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Type 7 (R's default): position (n − 1) p between order statistics. */
static double
quantile (const double *sorted,
          guint         n,
          double        p)
{
  double pos = (n - 1) * p;
  guint i = (guint) floor (pos);

  if (i + 1 >= n)
    return sorted[n - 1];
  return sorted[i] + (sorted[i + 1] - sorted[i]) * (pos - i);
}

static void
compute_stats (Box *box)
{
  CsBoxStats *s = &box->stats;
  double iqr, lo_fence, hi_fence;
  guint i;

  if (s->n == 0)
    return;
  s->min = box->sorted[0];
  s->max = box->sorted[s->n - 1];
  s->q1 = quantile (box->sorted, s->n, 0.25);
  s->median = quantile (box->sorted, s->n, 0.5);
  s->q3 = quantile (box->sorted, s->n, 0.75);
  iqr = s->q3 - s->q1;
  lo_fence = s->q1 - 1.5 * iqr;
  hi_fence = s->q3 + 1.5 * iqr;
  s->whisker_low = s->q1;
  s->whisker_high = s->q3;
  s->n_outliers = 0;
  for (i = 0; i < s->n; i++)
    {
      double v = box->sorted[i];

      if (v < lo_fence || v > hi_fence)
        s->n_outliers++;
      else
        {
          s->whisker_low = MIN (s->whisker_low, v);
          s->whisker_high = MAX (s->whisker_high, v);
        }
    }
}

static gboolean
cs_box_plot_layer_get_y_range (CsChartLayer *layer,
                               double       *min,
                               double       *max)
{
  CsBoxPlotLayer *self = CS_BOX_PLOT_LAYER (layer);
  gboolean any = FALSE;
  guint i;

  *min = INFINITY;
  *max = -INFINITY;
  for (i = 0; i < self->n_categories; i++)
    if (self->boxes[i].stats.n > 0)
      {
        *min = MIN (*min, self->boxes[i].stats.min);
        *max = MAX (*max, self->boxes[i].stats.max);
        any = TRUE;
      }
  return any;
}

static const char * const *
cs_box_plot_layer_get_categories (CsChartLayer *layer)
{
  return (const char * const *) CS_BOX_PLOT_LAYER (layer)->categories;
}

static void
cs_box_plot_layer_render (CsChartLayer       *layer,
                          CsChart            *chart,
                          cairo_t            *cr,
                          const CsChartFrame *frame)
{
  CsBoxPlotLayer *self = CS_BOX_PLOT_LAYER (layer);
  double slot = frame->width / MAX (self->n_categories, 1);
  double lw = cs_chart_snap_width (cr, 1.5);
  guint i, j;

  cairo_set_line_width (cr, lw);
  for (i = 0; i < self->n_categories; i++)
    {
      const CsBoxStats *s = &self->boxes[i].stats;
      CsColor color = cs_chart_get_series_color (chart, layer, i);
      double w = MIN (slot * 0.5, MAX_BOX_WIDTH);
      double cx = cs_chart_snap_x (cr, frame->x + slot * (i + 0.5), lw);
      double x0 = cs_chart_snap_x (cr, cx - w / 2.0, lw);
      double x1 = cs_chart_snap_x (cr, cx + w / 2.0, lw);
      double y_q1, y_q3, y_med;

#define Y(v) cs_chart_snap_y (cr, cs_chart_frame_value_to_y (frame, (v)), lw)
      if (s->n == 0)
        continue;
      y_q1 = Y (s->q1);
      y_q3 = Y (s->q3);
      y_med = Y (s->median);

      cairo_rectangle (cr, x0, y_q3, x1 - x0, MAX (y_q1 - y_q3, lw));
      cs_chart_set_source_color (cr, &color, 0.25);
      cairo_fill_preserve (cr);
      cs_chart_set_source_color (cr, &color, 1.0);
      cairo_stroke (cr);

      /* Whiskers with short caps. */
      cairo_move_to (cr, cx, y_q3);
      cairo_line_to (cr, cx, Y (s->whisker_high));
      cairo_move_to (cr, cx - w / 4.0, Y (s->whisker_high));
      cairo_line_to (cr, cx + w / 4.0, Y (s->whisker_high));
      cairo_move_to (cr, cx, y_q1);
      cairo_line_to (cr, cx, Y (s->whisker_low));
      cairo_move_to (cr, cx - w / 4.0, Y (s->whisker_low));
      cairo_line_to (cr, cx + w / 4.0, Y (s->whisker_low));
      cairo_stroke (cr);

      cairo_save (cr);
      cairo_set_line_width (cr, cs_chart_snap_width (cr, 2.5));
      cairo_move_to (cr, x0, y_med);
      cairo_line_to (cr, x1, y_med);
      cairo_stroke (cr);
      cairo_restore (cr);
#undef Y

      for (j = 0; j < s->n; j++)
        {
          double v = self->boxes[i].sorted[j];

          if (v >= s->whisker_low && v <= s->whisker_high)
            continue;
          cairo_new_sub_path (cr);
          cairo_arc (cr, cx, cs_chart_frame_value_to_y (frame, v), OUTLIER_RADIUS, 0, 2 * G_PI);
        }
      cairo_stroke (cr);
    }
}

static gboolean
cs_box_plot_layer_item_at (CsChartLayer       *layer,
                           const CsChartFrame *frame,
                           double              x,
                           double              y,
                           guint              *series,
                           guint              *index)
{
  CsBoxPlotLayer *self = CS_BOX_PLOT_LAYER (layer);
  guint i;

  if (self->n_categories == 0 || x < frame->x || x >= frame->x + frame->width ||
      y < frame->y - 8.0 || y > frame->y + frame->height + 8.0)
    return FALSE;
  i = MIN ((guint) ((x - frame->x) / (frame->width / self->n_categories)), self->n_categories - 1);
  if (self->boxes[i].stats.n == 0)
    return FALSE;
  *series = 0;
  *index = i;
  return TRUE;
}

static char *
describe_box (CsBoxPlotLayer     *self,
              const CsChartFrame *frame,
              guint               i)
{
  const CsBoxStats *s = &self->boxes[i].stats;
  g_autofree char *median = NULL;
  g_autofree char *q1 = NULL;
  g_autofree char *q3 = NULL;
  g_autofree char *min = NULL;
  g_autofree char *max = NULL;

#define FMT(v) (frame != NULL ? cs_chart_frame_format_y (frame, (v)) : cs_chart_format_number ((v), FALSE))
  median = FMT (s->median);
  q1 = FMT (s->q1);
  q3 = FMT (s->q3);
  min = FMT (s->min);
  max = FMT (s->max);
#undef FMT
  /* Translators: tooltip of a box plot: "Fold scores: median 0.81 (Q1 0.78–Q3 0.84),
   * range 0.70–0.88, 5 values". */
  return g_strdup_printf (ngettext ("%s: median %s (Q1 %s–Q3 %s), range %s–%s, %u value",
                                    "%s: median %s (Q1 %s–Q3 %s), range %s–%s, %u values",
                                    s->n),
                          self->categories[i], median, q1, q3, min, max, s->n);
}

static char *
cs_box_plot_layer_describe_item (CsChartLayer       *layer,
                                 const CsChartFrame *frame,
                                 guint               series,
                                 guint               index)
{
  CsBoxPlotLayer *self = CS_BOX_PLOT_LAYER (layer);

  if (index >= self->n_categories || self->boxes[index].stats.n == 0)
    return NULL;
  return describe_box (self, frame, index);
}

static char *
cs_box_plot_layer_describe (CsChartLayer *layer)
{
  CsBoxPlotLayer *self = CS_BOX_PLOT_LAYER (layer);
  g_autoptr(GString) str = g_string_new (NULL);
  guint i;

  for (i = 0; i < self->n_categories; i++)
    {
      g_autofree char *text = NULL;

      if (self->boxes[i].stats.n == 0)
        continue;
      text = describe_box (self, NULL, i);
      g_string_append_printf (str, "%s%s", str->len > 0 ? "; " : "", text);
    }
  return g_string_free (g_steal_pointer (&str), FALSE);
}

static void
clear_data (CsBoxPlotLayer *self)
{
  guint i;

  for (i = 0; i < self->n_categories; i++)
    g_free (self->boxes[i].sorted);
  g_clear_pointer (&self->boxes, g_free);
  g_clear_pointer (&self->categories, g_strfreev);
  self->n_categories = 0;
}

static void
cs_box_plot_layer_finalize (GObject *object)
{
  clear_data (CS_BOX_PLOT_LAYER (object));

  G_OBJECT_CLASS (cs_box_plot_layer_parent_class)->finalize (object);
}

static void
cs_box_plot_layer_class_init (CsBoxPlotLayerClass *klass)
{
  CsChartLayerClass *layer_class = CS_CHART_LAYER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = cs_box_plot_layer_finalize;
  layer_class->get_y_range = cs_box_plot_layer_get_y_range;
  layer_class->get_categories = cs_box_plot_layer_get_categories;
  layer_class->render = cs_box_plot_layer_render;
  layer_class->item_at = cs_box_plot_layer_item_at;
  layer_class->describe_item = cs_box_plot_layer_describe_item;
  layer_class->describe = cs_box_plot_layer_describe;
}

static void
cs_box_plot_layer_init (CsBoxPlotLayer *self)
{
}

CsBoxPlotLayer *
cs_box_plot_layer_new (void)
{
  return g_object_new (CS_TYPE_BOX_PLOT_LAYER, NULL);
}

void
cs_box_plot_layer_set_data (CsBoxPlotLayer     *self,
                            const char * const *categories,
                            guint               n_categories,
                            const double       *values,
                            const guint        *n_values)
{
  gsize offset = 0;
  guint i, j;

  g_return_if_fail (CS_IS_BOX_PLOT_LAYER (self));
  g_return_if_fail ((categories != NULL && n_values != NULL) || n_categories == 0);

  clear_data (self);
  if (n_categories > 0)
    {
      self->categories = g_new0 (char *, n_categories + 1);
      self->boxes = g_new0 (Box, n_categories);
      self->n_categories = n_categories;
    }
  for (i = 0; i < n_categories; i++)
    {
      Box *box = &self->boxes[i];

      self->categories[i] = g_strdup (categories[i] != NULL ? categories[i] : "");
      box->sorted = g_new (double, MAX (n_values[i], 1));
      for (j = 0; j < n_values[i]; j++)
        if (values != NULL && isfinite (values[offset + j]))
          box->sorted[box->stats.n++] = values[offset + j];
      offset += n_values[i];
      qsort (box->sorted, box->stats.n, sizeof (double), compare_doubles);
      compute_stats (box);
    }
  cs_chart_layer_changed (CS_CHART_LAYER (self));
}

gboolean
cs_box_plot_layer_get_stats (CsBoxPlotLayer *self,
                             guint           category,
                             CsBoxStats     *stats)
{
  g_return_val_if_fail (CS_IS_BOX_PLOT_LAYER (self), FALSE);
  g_return_val_if_fail (stats != NULL, FALSE);

  if (category >= self->n_categories || self->boxes[category].stats.n == 0)
    {
      memset (stats, 0, sizeof *stats);
      return FALSE;
    }
  *stats = self->boxes[category].stats;
  return TRUE;
}
