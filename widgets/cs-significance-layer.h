/* cs-significance-layer.h: a models × models grid of paired tests, row
 * model against column model (engine/cs-eval-significance.h computes them).
 *
 * A cell is coloured by its verdict: the first palette colour when the row
 * model is significantly better (mean difference > 0 and adjusted p <
 * alpha), the second when it is significantly worse, the grid colour when
 * the difference is not significant; the diagonal and models without
 * values stay empty. Each cell shows its adjusted p ("0.012", "<0.001"), so
 * colour is never the only cue; the legend names the two colours.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-chart-layer.h"

G_BEGIN_DECLS

typedef enum
{
  CS_SIGNIFICANCE_NONE,             /* the diagonal, or no test */
  CS_SIGNIFICANCE_ROW_BETTER,
  CS_SIGNIFICANCE_ROW_WORSE,
  CS_SIGNIFICANCE_NOT_SIGNIFICANT,
} CsSignificanceVerdict;

#define CS_TYPE_SIGNIFICANCE_LAYER (cs_significance_layer_get_type ())
G_DECLARE_FINAL_TYPE (CsSignificanceLayer, cs_significance_layer, CS, SIGNIFICANCE_LAYER, CsChartLayer)

G_GNUC_WARN_UNUSED_RESULT
CsSignificanceLayer  *cs_significance_layer_new         (void);
/* @mean_diff and @p are n_models × n_models, row-major by row model:
 * mean over viewers of (row − column), and the adjusted p of that pair
 * (NAN: no test). A difference is significant when p < @alpha. */
void                  cs_significance_layer_set_data    (CsSignificanceLayer *self,
                                                         const char * const  *models,
                                                         guint                n_models,
                                                         const double        *mean_diff,
                                                         const double        *p,
                                                         double               alpha);
/* What tooltips and the description name: the metric ("NDCG@10") and the
 * test ("paired t-test, Holm-adjusted"). */
void                  cs_significance_layer_set_labels  (CsSignificanceLayer *self,
                                                         const char          *metric,
                                                         const char          *test);
CsSignificanceVerdict cs_significance_layer_get_verdict (CsSignificanceLayer *self,
                                                         guint                row,
                                                         guint                column);
double                cs_significance_layer_get_p       (CsSignificanceLayer *self,
                                                         guint                row,
                                                         guint                column);

G_END_DECLS
