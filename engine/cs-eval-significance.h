/* cs-eval-significance.h: the significance matrix of a recommender
 * comparison: for each per-viewer metric and each K asked for, every pair of
 * models tested over the test viewers (paired t and Wilcoxon signed-rank),
 * Holm-adjusted over all pairs (cs-significance.h gives the formulas).
 *
 * The evaluator computes the matrices from the per-viewer values while it
 * still has them and stores them with the comparison (an artifact of the
 * parent run named "significance", JSON), so a reopened comparison shows
 * the same matrix without the per-viewer values. Comparisons stored before
 * this have none.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "cs-evaluator.h"
#include "cs-metrics.h"
#include "cs-significance.h"

G_BEGIN_DECLS

/* The matrix of @metric at cut-off @k over @result's models (in their
 * order), or NULL when the comparison has none for them (an older run, a K
 * not asked for, coverage). Owned by @result. */
const CsSignificanceMatrix *cs_eval_result_get_significance (const CsEvalResult *result,
                                                             CsMetric            metric,
                                                             guint               k);

/* For the evaluator: computes every matrix from @per_viewer[m] (model m's
 * values laid out [k index][metric][slot], as the evaluator copies them, or
 * NULL for a model that failed) into @result. */
void     cs_eval_significance_compute (CsEvalResult        *result,
                                       const double * const *per_viewer,
                                       gint32               n_slots);
/* For the evaluator, inside its transaction, after @result->run_id is set. */
gboolean cs_eval_significance_store   (CsStore             *store,
                                       const CsEvalResult  *result,
                                       GError             **error);
/* Adds the matrices as one JSON object value to @builder (the stored form,
 * also in `clipscope-cli evaluate --json`): {"n_models": M, "matrices":
 * {"ndcg@10": {"mean_diff": [M·M numbers, row-major, null on the
 * diagonal], "t", "t_p", "t_p_holm", "wilcoxon_p", "wilcoxon_p_holm", "wins"}, …},
 * "n": test viewers}. Models in @result's order. */
void     cs_eval_significance_add_json (const CsEvalResult  *result,
                                        JsonBuilder         *builder);
/* For cs_eval_result_load(): reads the stored matrices, if any, into @result. */
gboolean cs_eval_significance_load    (CsStore             *store,
                                       CsEvalResult        *result,
                                       GError             **error);

G_END_DECLS
