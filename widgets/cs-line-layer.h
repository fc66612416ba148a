/* cs-line-layer.h: lines over a numeric or time x axis, with optional
 * markers, shaded bands (confidence intervals), area fill and stacked areas.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-chart-layer.h"

G_BEGIN_DECLS

#define CS_TYPE_LINE_LAYER (cs_line_layer_get_type ())
G_DECLARE_DERIVABLE_TYPE (CsLineLayer, cs_line_layer, CS, LINE_LAYER, CsChartLayer)

struct _CsLineLayerClass
{
  CsChartLayerClass parent_class;

  gpointer padding[4];
};

G_GNUC_WARN_UNUSED_RESULT
CsLineLayer  *cs_line_layer_new          (void);
/* Adds a series of @n points and returns its index. @x must not decrease
 * (NULL: 0, 1, 2 …); NaN in @y breaks the line. The arrays are copied. */
guint         cs_line_layer_add_series   (CsLineLayer   *self,
                                          const char    *name,
                                          const double  *x,
                                          const double  *y,
                                          gsize          n);
/* A shaded band from @low to @high around series @series (same length as
 * its points), e.g. a 95 % confidence interval. */
void          cs_line_layer_set_band     (CsLineLayer   *self,
                                          guint          series,
                                          const double  *low,
                                          const double  *high);
/* Name of the band in tooltips ("95 % CI" by default). */
void          cs_line_layer_set_band_label (CsLineLayer *self,
                                            const char  *label);
void          cs_line_layer_clear        (CsLineLayer   *self);
/* Dots on the points (off by default; drawn only while they fit). */
void          cs_line_layer_set_markers  (CsLineLayer   *self,
                                          gboolean       markers);
/* Fills under each line down to zero: an area chart. */
void          cs_line_layer_set_fill     (CsLineLayer   *self,
                                          gboolean       fill);
/* Stacked areas: each series is drawn on top of the visible series before
 * it (point by point: the series share x), so the top line is the total.
 * Tooltips still give each series' own value. Hiding a series in the
 * legend restacks the others. */
void          cs_line_layer_set_stacked  (CsLineLayer   *self,
                                          gboolean       stacked);
guint         cs_line_layer_get_n_series (CsLineLayer   *self);
/* The points of @series (owned by the layer); @n is set to their count. */
const double *cs_line_layer_get_x        (CsLineLayer   *self,
                                          guint          series,
                                          gsize         *n);
const double *cs_line_layer_get_y        (CsLineLayer   *self,
                                          guint          series,
                                          gsize         *n);
const char   *cs_line_layer_get_series_name (CsLineLayer *self,
                                             guint        series);

G_END_DECLS
