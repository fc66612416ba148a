/* cs-bar-layer.h: bars and grouped bars, with optional error bars.
 *
 * Data is a table: categories along x (one group per category), one bar per
 * series in each group.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-chart-layer.h"

G_BEGIN_DECLS

#define CS_TYPE_BAR_LAYER (cs_bar_layer_get_type ())
G_DECLARE_FINAL_TYPE (CsBarLayer, cs_bar_layer, CS, BAR_LAYER, CsChartLayer)

G_GNUC_WARN_UNUSED_RESULT
CsBarLayer *cs_bar_layer_new            (void);
/* Replaces the data. @values is n_categories × n_series, row-major by
 * category; @low and @high (nullable) are error-bar ends in the same layout.
 * NaN values are drawn as missing. */
void        cs_bar_layer_set_data       (CsBarLayer         *self,
                                         const char * const *categories,
                                         guint               n_categories,
                                         const char * const *series,
                                         guint               n_series,
                                         const double       *values,
                                         const double       *low,
                                         const double       *high);
/* printf format for values in labels and tooltips ("%.3f" by default). */
void        cs_bar_layer_set_value_format (CsBarLayer       *self,
                                           const char       *format);
double      cs_bar_layer_get_value      (CsBarLayer         *self,
                                         guint               category,
                                         guint               series);
guint       cs_bar_layer_get_n_categories (CsBarLayer       *self);
guint       cs_bar_layer_get_n_series   (CsBarLayer         *self);
/* What the error bars show, for tooltips ("95 % CI" by default; e.g.
 * "± 1 SD" when they are a standard deviation). */
void        cs_bar_layer_set_error_label (CsBarLayer        *self,
                                          const char        *label);
/* Numbers over the bars (on by default); drawn only when every bar has
 * room for its label. */
void        cs_bar_layer_set_show_values (CsBarLayer        *self,
                                          gboolean           show_values);

G_END_DECLS
