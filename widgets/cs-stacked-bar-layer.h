/* cs-stacked-bar-layer.h: one bar per category, its series stacked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-chart-layer.h"

G_BEGIN_DECLS

#define CS_TYPE_STACKED_BAR_LAYER (cs_stacked_bar_layer_get_type ())
G_DECLARE_FINAL_TYPE (CsStackedBarLayer, cs_stacked_bar_layer, CS, STACKED_BAR_LAYER, CsChartLayer)

G_GNUC_WARN_UNUSED_RESULT
CsStackedBarLayer *cs_stacked_bar_layer_new      (void);
/* @values is n_categories × n_series, row-major by category, as for
 * CsBarLayer. Positive values stack up from zero, negative ones down;
 * NaN is missing. Hidden series (legend toggles) leave the stack. */
void               cs_stacked_bar_layer_set_data (CsStackedBarLayer  *self,
                                                  const char * const *categories,
                                                  guint               n_categories,
                                                  const char * const *series,
                                                  guint               n_series,
                                                  const double       *values);
double             cs_stacked_bar_layer_get_total (CsStackedBarLayer *self,
                                                   guint              category);

G_END_DECLS
