/* cs-heatmap-layer.h: a grid of cells (rows × columns) coloured by value,
 * with a colour scale right of the plot.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-chart-layer.h"

G_BEGIN_DECLS

#define CS_TYPE_HEATMAP_LAYER (cs_heatmap_layer_get_type ())
G_DECLARE_FINAL_TYPE (CsHeatmapLayer, cs_heatmap_layer, CS, HEATMAP_LAYER, CsChartLayer)

G_GNUC_WARN_UNUSED_RESULT
CsHeatmapLayer *cs_heatmap_layer_new            (void);
/* @values is n_rows × n_columns, row-major by row; rows are listed top to
 * bottom along y (e.g. Mon … Sun), columns left to right along x (e.g.
 * hours 0 … 23). NaN cells are missing. */
void            cs_heatmap_layer_set_data       (CsHeatmapLayer     *self,
                                                 const char * const *rows,
                                                 guint               n_rows,
                                                 const char * const *columns,
                                                 guint               n_columns,
                                                 const double       *values);
/* Values are shares: the scale and tooltips read 0.25 as "25 %". */
void            cs_heatmap_layer_set_percent    (CsHeatmapLayer     *self,
                                                 gboolean            percent);
/* Numbers in the cells when they fit (off by default). */
void            cs_heatmap_layer_set_show_values (CsHeatmapLayer    *self,
                                                  gboolean           show_values);
double          cs_heatmap_layer_get_value      (CsHeatmapLayer     *self,
                                                 guint               row,
                                                 guint               column);

G_END_DECLS
