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
/* What the x or y axis of a chart shows. */
typedef enum
{
  CS_CHART_AXIS_AUTO,        /* categories when a layer has some, else numeric */
  CS_CHART_AXIS_CATEGORIES,  /* one slot per category, from a layer */
  CS_CHART_AXIS_NUMERIC,     /* nice ticks over the layers' range */
  CS_CHART_AXIS_TIME,        /* Unix seconds; ticks in hours, days, weeks, months, years */
} CsChartAxisKind;

/* The plotting area and value range a layer draws into. */
typedef struct
{
  double x, y, width, height;  /* plot rectangle in device units */
  double y_min, y_max;         /* value range of the y axis */
  /* Added with numeric and time x axes: the value range along x (0 and
   * the number of categories on a category axis), and how the axes print
   * values, so tooltips read like the ticks. */
  double x_min, x_max;
  CsChartAxisKind x_kind, y_kind;
  gboolean x_percent, y_percent;
  /* y is logarithmic: y_min > 0, values at or below y_min on the bottom. */
  gboolean y_log;
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

  /* Value range along a numeric or time x axis; FALSE when none. */
  gboolean (*get_x_range)     (CsChartLayer       *self,
                               double             *min,
                               double             *max);
  /* Category labels along y, top to bottom (heatmaps), or NULL. */
  const char * const *
           (*get_y_categories) (CsChartLayer      *self);
  /* The item under (x, y): a series (or row) and an index (or column);
   * see cs_chart_layer_item_at(). The default finds nothing. */
  gboolean (*item_at)         (CsChartLayer       *self,
                               const CsChartFrame *frame,
                               double              x,
                               double              y,
                               guint              *series,
                               guint              *index);
  /* Tooltip text of an item found by item_at; the default describe_at
   * is item_at followed by this. */
  char    *(*describe_item)   (CsChartLayer       *self,
                               const CsChartFrame *frame,
                               guint               series,
                               guint               index);
  /* Width the layer needs right of the plot (a colour scale); it draws
   * there from frame->x + frame->width + CS_CHART_SIDE_GAP. */
  double   (*get_side_width)  (CsChartLayer       *self,
                               CsChart            *chart,
                               cairo_t            *cr);

  gpointer padding[3];
};

#define CS_CHART_SIDE_GAP 12.0

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

gboolean            cs_chart_layer_get_x_range    (CsChartLayer       *self,
                                                   double             *min,
                                                   double             *max);
const char * const *cs_chart_layer_get_y_categories (CsChartLayer     *self);
/* The item under (@x, @y) in @frame. What @series and @index mean is the
 * layer's: bars give (series, category), lines and scatter (series, point),
 * heatmap and confusion-matrix cells (row, column), box plots (0, box),
 * funnels (0, stage), histograms (0, bin). */
gboolean            cs_chart_layer_item_at        (CsChartLayer       *self,
                                                   const CsChartFrame *frame,
                                                   double              x,
                                                   double              y,
                                                   guint              *series,
                                                   guint              *index);
double              cs_chart_layer_get_side_width (CsChartLayer       *self,
                                                   CsChart            *chart,
                                                   cairo_t            *cr);
/* Legend toggles: a hidden series keeps its legend entry (dimmed) and its
 * place on the axes but is not drawn, on screen or in exports. */
gboolean            cs_chart_layer_get_series_visible (CsChartLayer   *self,
                                                       guint           series);
void                cs_chart_layer_set_series_visible (CsChartLayer   *self,
                                                       guint           series,
                                                       gboolean        visible);

/* The y coordinate of @value inside @frame (y_max at the top). */
double              cs_chart_frame_value_to_y     (const CsChartFrame *frame,
                                                   double              value);
/* The x coordinate of @value on a numeric or time axis. */
double              cs_chart_frame_value_to_x     (const CsChartFrame *frame,
                                                   double              value);
/* The values at a point, the inverse of the two above. */
double              cs_chart_frame_x_to_value     (const CsChartFrame *frame,
                                                   double              x);
double              cs_chart_frame_y_to_value     (const CsChartFrame *frame,
                                                   double              y);
/* A value as the frame's axes print it: a date for a time axis, "25 %" for
 * a percentage axis, else cs_chart_format_number(). For tooltips. */
char               *cs_chart_frame_format_x       (const CsChartFrame *frame,
                                                   double              value);
char               *cs_chart_frame_format_y       (const CsChartFrame *frame,
                                                   double              value);
/* A number for tooltips: up to 4 significant digits, U+2212 minus,
 * "no value" for NaN; as a percentage ("25.3 %") when @percent. */
char               *cs_chart_format_number        (double              value,
                                                   gboolean            percent);
/* A NULL-terminated copy of @n labels for a layer's data; a NULL array or
 * label gives "". */
char              **cs_chart_layer_copy_names     (const char * const *names,
                                                   guint               n);

G_END_DECLS
