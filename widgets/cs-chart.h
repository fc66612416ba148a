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
#include <glib-object.h>

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

G_END_DECLS
