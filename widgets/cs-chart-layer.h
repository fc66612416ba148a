/* cs-chart-layer.h: a layer of a chart (bars, lines, ...), drawn over shared axes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib-object.h>

G_BEGIN_DECLS

#define CS_TYPE_CHART_LAYER (cs_chart_layer_get_type ())
G_DECLARE_DERIVABLE_TYPE (CsChartLayer, cs_chart_layer, CS, CHART_LAYER, GObject)

typedef struct _CsChart CsChart;

/* The plotting area and value range a layer draws into. */
typedef struct
{
  double x, y, width, height;  /* plot rectangle in device units */
  double y_min, y_max;         /* value range of the y axis */
} CsChartFrame;

struct _CsChartLayerClass
{
  GObjectClass parent_class;

  /* Range of values the layer needs on the y axis; FALSE when empty. */
  gboolean (*get_y_range)     (CsChartLayer       *self,
                               double             *min,
                               double             *max);
  /* Category labels along x (NULL-terminated, owned by the layer), or NULL. */
  const char * const *
           (*get_categories)  (CsChartLayer       *self);
  void     (*render)          (CsChartLayer       *self,
                               CsChart            *chart,
                               cairo_t            *cr,
                               const CsChartFrame *frame);
  /* Text for the item under (x, y), or NULL. */
  char    *(*describe_at)     (CsChartLayer       *self,
                               const CsChartFrame *frame,
                               double              x,
                               double              y);
  /* Plain-text summary of the data for accessibility. */
  char    *(*describe)        (CsChartLayer       *self);
  /* Series names for the legend (NULL-terminated, owned by the layer). */
  const char * const *
           (*get_series)      (CsChartLayer       *self);

  gpointer padding[8];
};

gboolean            cs_chart_layer_get_y_range    (CsChartLayer       *self,
                                                   double             *min,
                                                   double             *max);
const char * const *cs_chart_layer_get_categories (CsChartLayer       *self);
const char * const *cs_chart_layer_get_series     (CsChartLayer       *self);
void                cs_chart_layer_render         (CsChartLayer       *self,
                                                   CsChart            *chart,
                                                   cairo_t            *cr,
                                                   const CsChartFrame *frame);
char               *cs_chart_layer_describe_at    (CsChartLayer       *self,
                                                   const CsChartFrame *frame,
                                                   double              x,
                                                   double              y);
char               *cs_chart_layer_describe       (CsChartLayer       *self);
/* Subclasses call this when their data changes. */
void                cs_chart_layer_changed        (CsChartLayer       *self);

/* The y coordinate of @value inside @frame (y_max at the top). */
double              cs_chart_frame_value_to_y     (const CsChartFrame *frame,
                                                   double              value);

G_END_DECLS
