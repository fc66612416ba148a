/* cs-chart.h: a chart model and its Cairo drawing, without GTK.
 *
 * One drawing path for screen, export and tests: cs_chart_render() draws into
 * any cairo_t (CsChartView uses gtk_snapshot_append_cairo(); exports use PNG,
 * SVG and PDF surfaces). Needs only Cairo and Pango, so clipscope-cli and the
 * tests render charts headless.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>
#include <pango/pangocairo.h>

#include "cs-chart-layer.h"

G_BEGIN_DECLS

#define CS_TYPE_CHART (cs_chart_get_type ())
G_DECLARE_FINAL_TYPE (CsChart, cs_chart, CS, CHART, GObject)

typedef struct
{
  double r, g, b, a;
} CsColor;

/* Colours the chart draws with; the view fills it from the GTK style. */
typedef struct
{
  CsColor foreground;   /* text, axes */
  CsColor background;   /* transparent by default */
  CsColor grid;
  gboolean dark;        /* pick the dark variant of the palette */
  const char *font_family; /* NULL = the default sans */
  double font_size;     /* points; 0 = 10 */
} CsChartStyle;

G_GNUC_WARN_UNUSED_RESULT
CsChart    *cs_chart_new            (void);
const char *cs_chart_get_title      (CsChart            *self);
void        cs_chart_set_title      (CsChart            *self,
                                     const char         *title);
const char *cs_chart_get_y_label    (CsChart            *self);
void        cs_chart_set_y_label    (CsChart            *self,
                                     const char         *label);
const char *cs_chart_get_x_label    (CsChart            *self);
void        cs_chart_set_x_label    (CsChart            *self,
                                     const char         *label);
void        cs_chart_add_layer      (CsChart            *self,
                                     CsChartLayer       *layer);
GListModel *cs_chart_get_layers     (CsChart            *self);
void        cs_chart_set_style      (CsChart            *self,
                                     const CsChartStyle *style);
const CsChartStyle *
            cs_chart_get_style      (CsChart            *self);
/* Colour @index of the colour-blind-safe categorical palette (Okabe–Ito). */
CsColor     cs_chart_palette_color  (CsChart            *self,
                                     guint               index);

/* Draws the whole chart (title, axes, layers, legend) into @cr at 0,0.
 * Empty or all-NaN data draws an empty-state message. */
void        cs_chart_render         (CsChart            *self,
                                     cairo_t            *cr,
                                     double              width,
                                     double              height);
/* Writes PNG, SVG or PDF, chosen by the file name's extension. */
gboolean    cs_chart_export         (CsChart            *self,
                                     const char         *path,
                                     double              width,
                                     double              height,
                                     GError            **error);
/* A one-paragraph plain-text description with the key numbers, for
 * accessibility and tooltips. */
char       *cs_chart_describe       (CsChart            *self);

/* Emitted when data or style changed and the chart must be redrawn. */
/* signal: "changed" */

/* ---- Additions beyond the first sketch ---- */

/* Text roles; each has its own size and weight derived from the style's
 * font. Layers use CS_CHART_FONT_VALUE for labels on their marks. */
typedef enum
{
  CS_CHART_FONT_TITLE,
  CS_CHART_FONT_LABEL,    /* axis titles */
  CS_CHART_FONT_TICK,     /* tick and category labels */
  CS_CHART_FONT_LEGEND,
  CS_CHART_FONT_VALUE,    /* labels on bars and points */
  CS_CHART_FONT_MESSAGE,  /* the empty state */
} CsChartFont;

typedef enum
{
  CS_CHART_LEGEND_AUTO,   /* above the plot, wrapping */
  CS_CHART_LEGEND_TOP,
  CS_CHART_LEGEND_RIGHT,
  CS_CHART_LEGEND_HIDDEN,
} CsChartLegendPosition;

typedef struct
{
  /* Draw with this style instead of the chart's own (NULL: the chart's).
   * The view draws in theme colours without changing the model. */
  const CsChartStyle *style;
  /* A box in the top-right corner that the chart keeps free, e.g. for the
   * view's menu button. */
  double              reserve_width;
  double              reserve_height;
} CsChartRenderOptions;

/* The style a new chart has: Adwaita-like text colour, transparent
 * background, subtle grid, default font (font_family NULL, font_size 0). */
void        cs_chart_style_init_default (CsChartStyle       *style,
                                         gboolean            dark);

void        cs_chart_remove_all_layers  (CsChart            *self);
CsChartLegendPosition
            cs_chart_get_legend_position (CsChart           *self);
void        cs_chart_set_legend_position (CsChart           *self,
                                          CsChartLegendPosition position);
/* TRUE when no layer has a finite value to show. */
gboolean    cs_chart_is_empty           (CsChart            *self);

/* cs_chart_render() with options; fills @out_frame (nullable) with the
 * plot rectangle for hit-testing and returns TRUE when a plot (not the
 * empty state) was drawn. */
gboolean    cs_chart_render_full        (CsChart                    *self,
                                         cairo_t                    *cr,
                                         double                      width,
                                         double                      height,
                                         const CsChartRenderOptions *options,
                                         CsChartFrame               *out_frame);
/* cs_chart_export() with another style (NULL: the chart's own). Exports
 * always have an opaque background, so they read the same on any slide. */
gboolean    cs_chart_export_full        (CsChart            *self,
                                         const char         *path,
                                         double              width,
                                         double              height,
                                         const CsChartStyle *style,
                                         GError            **error);
/* Tooltip text for the item at (@x, @y) in a frame from
 * cs_chart_render_full(), asking the topmost layer first; NULL if none. */
char       *cs_chart_describe_at        (CsChart            *self,
                                         const CsChartFrame *frame,
                                         double              x,
                                         double              y);

/* ---- Axes, clicks and legend toggles ---- */

typedef enum
{
  CS_CHART_AXIS_X,
  CS_CHART_AXIS_Y,
} CsChartAxis;

/* What an axis shows (CsChartAxisKind is in cs-chart-layer.h). AUTO: x
 * shows categories when a layer has some, else numeric ticks over the
 * layers' x range; y shows a layer's y categories (heatmaps), else
 * numbers. TIME on x reads values as Unix seconds. */
void        cs_chart_set_axis_kind      (CsChart            *self,
                                         CsChartAxis         axis,
                                         CsChartAxisKind     kind);
CsChartAxisKind
            cs_chart_get_axis_kind      (CsChart            *self,
                                         CsChartAxis         axis);
/* Values are shares: ticks and tooltips read 0.25 as "25 %". */
void        cs_chart_set_axis_percent   (CsChart            *self,
                                         CsChartAxis         axis,
                                         gboolean            percent);
gboolean    cs_chart_get_axis_percent   (CsChart            *self,
                                         CsChartAxis         axis);
/* A logarithmic y axis, for values that span decades (views: 12 … 2.3M).
 * Ticks at powers of ten; values at or below zero sit on the bottom edge. */
void        cs_chart_set_y_log          (CsChart            *self,
                                         gboolean            log);
gboolean    cs_chart_get_y_log          (CsChart            *self);
/* The unit after the axis title: "Watch time (s)". */
void        cs_chart_set_axis_unit      (CsChart            *self,
                                         CsChartAxis         axis,
                                         const char         *unit);
const char *cs_chart_get_axis_unit      (CsChart            *self,
                                         CsChartAxis         axis);

/* The item under (@x, @y) in a frame from cs_chart_render_full(), topmost
 * layer first; see cs_chart_layer_item_at() for what @series and @index
 * mean. @layer (transfer none) is owned by the chart. */
gboolean    cs_chart_item_at            (CsChart            *self,
                                         const CsChartFrame *frame,
                                         double              x,
                                         double              y,
                                         CsChartLayer      **layer,
                                         guint              *series,
                                         guint              *index);
/* The legend entry at (@x, @y) of the last cs_chart_render_full() that
 * asked for its frame (the view's drawing, not exports). */
gboolean    cs_chart_legend_at          (CsChart            *self,
                                         double              x,
                                         double              y,
                                         CsChartLayer      **layer,
                                         guint              *series);
/* Hides or shows the series whose legend entry is at (@x, @y); the state
 * is in the layer, so exports match the screen. TRUE if there was one. */
gboolean    cs_chart_toggle_legend_at   (CsChart            *self,
                                         double              x,
                                         double              y);

/* For layers, while they render. */

/* The style of the drawing in progress (the chart's own outside one). */
const CsChartStyle *
            cs_chart_get_render_style   (CsChart            *self);
/* A layout in the chart's font for @role, ready to show on @cr. */
G_GNUC_WARN_UNUSED_RESULT
PangoLayout *cs_chart_create_layout     (CsChart            *self,
                                         cairo_t            *cr,
                                         CsChartFont         role,
                                         const char         *text);
/* Palette colour of @layer's series @series, counting the series of the
 * layers below it, so colours never repeat across layers. */
CsColor     cs_chart_get_series_color   (CsChart            *self,
                                         CsChartLayer       *layer,
                                         guint               series);
/* Colour of @t (0..1, clamped) on a sequential, colour-blind-safe map
 * (viridis). Higher values contrast more with the background: dark purple
 * on light styles, bright yellow on dark ones. */
CsColor     cs_chart_sequential_color   (CsChart            *self,
                                         double              t);
/* Black or white, whichever reads better on @background. */
CsColor     cs_chart_text_color_on      (const CsColor      *background);
/* Shows @text in @role's font with its (@xalign, @yalign) point at
 * (@x, @y); returns its width, or 0 when it is wider than @max_width
 * (> 0) and was not drawn. */
double      cs_chart_show_text          (CsChart            *self,
                                         cairo_t            *cr,
                                         CsChartFont         role,
                                         const char         *text,
                                         double              x,
                                         double              y,
                                         double              xalign,
                                         double              yalign,
                                         double              max_width,
                                         const CsColor      *color,
                                         double              alpha);
void        cs_chart_set_source_color   (cairo_t            *cr,
                                         const CsColor      *color,
                                         double              alpha);
/* Pixel grid alignment at the device scale of @cr: the centre of a line of
 * @line_width (user units) along x or y, or a fill edge when @line_width
 * is 0; and a line width rounded to whole device pixels. */
double      cs_chart_snap_x             (cairo_t            *cr,
                                         double              x,
                                         double              line_width);
double      cs_chart_snap_y             (cairo_t            *cr,
                                         double              y,
                                         double              line_width);
double      cs_chart_snap_width         (cairo_t            *cr,
                                         double              line_width);

G_END_DECLS
