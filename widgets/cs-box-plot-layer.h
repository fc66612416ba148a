/* cs-box-plot-layer.h: the spread of values per category (e.g. a metric
 * over cross-validation folds): box from Q1 to Q3, median line, whiskers
 * to the furthest values within 1.5 IQR, outliers as dots.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-chart-layer.h"

G_BEGIN_DECLS

#define CS_TYPE_BOX_PLOT_LAYER (cs_box_plot_layer_get_type ())
G_DECLARE_FINAL_TYPE (CsBoxPlotLayer, cs_box_plot_layer, CS, BOX_PLOT_LAYER, CsChartLayer)

typedef struct
{
  guint  n;             /* finite values */
  double min, max;      /* of all values */
  double q1, median, q3;  /* linear interpolation between order statistics */
  double whisker_low;   /* smallest value ≥ Q1 − 1.5 IQR */
  double whisker_high;  /* largest value ≤ Q3 + 1.5 IQR */
  guint  n_outliers;
} CsBoxStats;

G_GNUC_WARN_UNUSED_RESULT
CsBoxPlotLayer *cs_box_plot_layer_new       (void);
/* Category i has @n_values[i] values, stored one category after the other
 * in @values; NaN values are left out. */
void            cs_box_plot_layer_set_data  (CsBoxPlotLayer     *self,
                                             const char * const *categories,
                                             guint               n_categories,
                                             const double       *values,
                                             const guint        *n_values);
/* FALSE when the category has no finite value. */
gboolean        cs_box_plot_layer_get_stats (CsBoxPlotLayer     *self,
                                             guint               category,
                                             CsBoxStats         *stats);

G_END_DECLS
