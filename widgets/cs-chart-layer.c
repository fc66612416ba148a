/* cs-chart-layer.c: a layer of a chart (bars, lines, ...), drawn over shared axes.
 *
 * The defaults describe an empty layer, so a subclass only overrides what
 * it has: a layer without a y range is simply left out of the axis.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cs-chart-layer.h"

G_DEFINE_ABSTRACT_TYPE (CsChartLayer, cs_chart_layer, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static gboolean
cs_chart_layer_real_get_y_range (CsChartLayer *self,
                                 double       *min,
                                 double       *max)
{
  return FALSE;
}

static const char * const *
cs_chart_layer_real_get_categories (CsChartLayer *self)
{
  return NULL;
}

static const char * const *
cs_chart_layer_real_get_series (CsChartLayer *self)
{
  return NULL;
}

static void
cs_chart_layer_real_render (CsChartLayer       *self,
                            CsChart            *chart,
                            cairo_t            *cr,
                            const CsChartFrame *frame)
{
}

static char *
cs_chart_layer_real_describe_at (CsChartLayer       *self,
                                 const CsChartFrame *frame,
                                 double              x,
                                 double              y)
{
  return NULL;
}

static char *
cs_chart_layer_real_describe (CsChartLayer *self)
{
  return NULL;
}

static void
cs_chart_layer_class_init (CsChartLayerClass *klass)
{
  klass->get_y_range = cs_chart_layer_real_get_y_range;
  klass->get_categories = cs_chart_layer_real_get_categories;
  klass->get_series = cs_chart_layer_real_get_series;
  klass->render = cs_chart_layer_real_render;
  klass->describe_at = cs_chart_layer_real_describe_at;
  klass->describe = cs_chart_layer_real_describe;

  /**
   * CsChartLayer::changed:
   *
   * The layer's data or look changed; the chart redraws.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 0);
}

static void
cs_chart_layer_init (CsChartLayer *self)
{
}

gboolean
cs_chart_layer_get_y_range (CsChartLayer *self,
                            double       *min,
                            double       *max)
{
  double lo = 0.0, hi = 0.0;
  gboolean ret;

  g_return_val_if_fail (CS_IS_CHART_LAYER (self), FALSE);

  ret = CS_CHART_LAYER_GET_CLASS (self)->get_y_range (self, &lo, &hi);
  if (min != NULL)
    *min = lo;
  if (max != NULL)
    *max = hi;
  return ret;
}

const char * const *
cs_chart_layer_get_categories (CsChartLayer *self)
{
  g_return_val_if_fail (CS_IS_CHART_LAYER (self), NULL);

  return CS_CHART_LAYER_GET_CLASS (self)->get_categories (self);
}

const char * const *
cs_chart_layer_get_series (CsChartLayer *self)
{
  g_return_val_if_fail (CS_IS_CHART_LAYER (self), NULL);

  return CS_CHART_LAYER_GET_CLASS (self)->get_series (self);
}

void
cs_chart_layer_render (CsChartLayer       *self,
                       CsChart            *chart,
                       cairo_t            *cr,
                       const CsChartFrame *frame)
{
  g_return_if_fail (CS_IS_CHART_LAYER (self));
  g_return_if_fail (cr != NULL);
  g_return_if_fail (frame != NULL);

  cairo_save (cr);
  CS_CHART_LAYER_GET_CLASS (self)->render (self, chart, cr, frame);
  cairo_restore (cr);
}

char *
cs_chart_layer_describe_at (CsChartLayer       *self,
                            const CsChartFrame *frame,
                            double              x,
                            double              y)
{
  g_return_val_if_fail (CS_IS_CHART_LAYER (self), NULL);
  g_return_val_if_fail (frame != NULL, NULL);

  return CS_CHART_LAYER_GET_CLASS (self)->describe_at (self, frame, x, y);
}

char *
cs_chart_layer_describe (CsChartLayer *self)
{
  g_return_val_if_fail (CS_IS_CHART_LAYER (self), NULL);

  return CS_CHART_LAYER_GET_CLASS (self)->describe (self);
}

void
cs_chart_layer_changed (CsChartLayer *self)
{
  g_return_if_fail (CS_IS_CHART_LAYER (self));

  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

double
cs_chart_frame_value_to_y (const CsChartFrame *frame,
                           double              value)
{
  double span;

  g_return_val_if_fail (frame != NULL, 0.0);

  span = frame->y_max - frame->y_min;
  if (!(span > 0.0))
    return frame->y + frame->height;
  return frame->y + frame->height * (frame->y_max - value) / span;
}
