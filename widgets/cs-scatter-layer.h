/* cs-scatter-layer.h: points over numeric (or time) x and y axes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-chart-layer.h"

G_BEGIN_DECLS

#define CS_TYPE_SCATTER_LAYER (cs_scatter_layer_get_type ())
G_DECLARE_FINAL_TYPE (CsScatterLayer, cs_scatter_layer, CS, SCATTER_LAYER, CsChartLayer)

G_GNUC_WARN_UNUSED_RESULT
CsScatterLayer *cs_scatter_layer_new        (void);
/* Adds a series of @n points (copied) and returns its index; points with
 * a NaN coordinate are left out. */
guint           cs_scatter_layer_add_series (CsScatterLayer *self,
                                             const char     *name,
                                             const double   *x,
                                             const double   *y,
                                             gsize           n);
void            cs_scatter_layer_clear      (CsScatterLayer *self);

G_END_DECLS
