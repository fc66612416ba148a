/* cs-histogram-layer.h: counts of values in bins along a numeric x axis.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-chart-layer.h"

G_BEGIN_DECLS

#define CS_TYPE_HISTOGRAM_LAYER (cs_histogram_layer_get_type ())
G_DECLARE_FINAL_TYPE (CsHistogramLayer, cs_histogram_layer, CS, HISTOGRAM_LAYER, CsChartLayer)

G_GNUC_WARN_UNUSED_RESULT
CsHistogramLayer *cs_histogram_layer_new        (void);
/* Bins @values (NaN left out) into about @n_bins bins (0: Sturges'
 * ⌈log₂ n⌉ + 1) with round edges: the nice ticks over the values' range. */
void              cs_histogram_layer_set_data   (CsHistogramLayer *self,
                                                 const double     *values,
                                                 gsize             n,
                                                 guint             n_bins);
/* Bins @values between given increasing @edges (@n_edges ≥ 2): bin i is
 * [edges[i], edges[i+1]), the last one closed; values outside are left out. */
void              cs_histogram_layer_set_data_with_edges (CsHistogramLayer *self,
                                                          const double     *values,
                                                          gsize             n,
                                                          const double     *edges,
                                                          guint             n_edges);
guint             cs_histogram_layer_get_n_bins (CsHistogramLayer *self);
guint             cs_histogram_layer_get_count  (CsHistogramLayer *self,
                                                 guint             bin);
/* Edge @index, 0 … n_bins. */
double            cs_histogram_layer_get_edge   (CsHistogramLayer *self,
                                                 guint             index);

G_END_DECLS
