/* cs-metrics.h: ranking and ranking metrics @K (DESIGN §4, exactly).
 *
 * Ranking: every clip the viewer has not seen in training, by score
 * descending, ties to the lower internal index (a NaN score counts as −∞).
 *
 * For one viewer with test set T (|T| ≥ 1) and ranked list L of length
 * min(K, number of candidates), with rel_r = 1 when L[r] ∈ T:
 *   precision@K = hits / K              (K, even when L is shorter)
 *   recall@K    = hits / |T|
 *   hr@K        = 1 when hits > 0, else 0
 *   ndcg@K      = Σ_{r ≤ K} rel_r / log2(r + 1)  ÷  Σ_{r ≤ min(|T|, K)} 1 / log2(r + 1)
 *   map@K       = (1 / min(|T|, K)) · Σ over hit ranks r ≤ K of precision@r
 *   mrr@K       = 1 / rank of the first hit within K, 0 when none
 *   novelty@K   = mean over r ≤ |L| of −log2(max(n_i, 1) / U), where n_i is the
 *                 number of training viewers of clip i = L[r] and U the number
 *                 of viewers with at least one training pair; 0 when L is empty.
 *                 A clip nobody watched in training counts as watched once,
 *                 which keeps novelty finite (at most log2 U).
 * Each is averaged over test viewers (viewers with ≥ 1 test pair); for
 * novelty this equals the mean over all recommended items whenever every list
 * has K items. And over all test viewers at once:
 *   coverage@K  = |∪ top-K lists| / number of clips with ≥ 1 training pair
 *                 (the clips the models rank; for a model that also ranks
 *                 clips without training pairs, every clip of the matrix:
 *                 cs_metrics_accumulator_count_all_clips())
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cs-sparse.h"

G_BEGIN_DECLS

/* In the order of DESIGN §7's JSON and of result tables. */
typedef enum
{
  CS_METRIC_NDCG,
  CS_METRIC_RECALL,
  CS_METRIC_PRECISION,
  CS_METRIC_HR,
  CS_METRIC_MAP,
  CS_METRIC_MRR,
  CS_METRIC_COVERAGE,
  CS_METRIC_NOVELTY,
  CS_N_METRICS
} CsMetric;

/* "ndcg", "recall", … as stored in the metrics table. */
const char *cs_metric_get_name  (CsMetric     metric);
/* Short translated label for tables: "NDCG", "Recall" … */
const char *cs_metric_get_label (CsMetric     metric);
/* CS_N_METRICS when unknown. */
CsMetric    cs_metric_from_name (const char  *name);

/* Writes the best min(@k, candidates) clips to @out, best first; returns how
 * many. @seen (sorted ascending) are left out. O(n log k). */
guint       cs_rank_top_k       (const float  *scores,
                                 gint32        n_clips,
                                 const gint32 *seen,
                                 guint         n_seen,
                                 guint         k,
                                 gint32       *out);

/* Sparse variant: reorders @scores/@indices in place so the first returned
 * entries are the best min(@k, @n), best first (same order as above). */
guint       cs_select_top_k     (float        *scores,
                                 gint32       *indices,
                                 guint         n,
                                 guint         k);

/* Per-viewer metrics. @ranked has @n_ranked entries, of which the first
 * min(n_ranked, k) count; @test is sorted ascending, @n_test ≥ 1. */
double      cs_metric_precision (const gint32 *ranked, guint n_ranked, guint k,
                                 const gint32 *test, guint n_test);
double      cs_metric_recall    (const gint32 *ranked, guint n_ranked, guint k,
                                 const gint32 *test, guint n_test);
double      cs_metric_hr        (const gint32 *ranked, guint n_ranked, guint k,
                                 const gint32 *test, guint n_test);
double      cs_metric_ndcg      (const gint32 *ranked, guint n_ranked, guint k,
                                 const gint32 *test, guint n_test);
double      cs_metric_map       (const gint32 *ranked, guint n_ranked, guint k,
                                 const gint32 *test, guint n_test);
double      cs_metric_mrr       (const gint32 *ranked, guint n_ranked, guint k,
                                 const gint32 *test, guint n_test);
/* @popularity[i] = training viewers of clip i; @n_train_viewers = U. */
double      cs_metric_novelty   (const gint32 *ranked, guint n_ranked, guint k,
                                 const gint32 *popularity,
                                 gint32        n_train_viewers);
/* All accuracy metrics at once: fills out[CS_METRIC_NDCG … CS_METRIC_MRR]. */
void        cs_metrics_compute_viewer (const gint32 *ranked, guint n_ranked, guint k,
                                       const gint32 *test, guint n_test,
                                       double       *out);

/* Collects per-viewer values over many viewers (one slot per test viewer) at
 * several K, and the top lists for coverage. Adding to distinct slots from
 * different threads is safe. */
typedef struct _CsMetricsAccumulator CsMetricsAccumulator;

G_GNUC_WARN_UNUSED_RESULT
CsMetricsAccumulator *cs_metrics_accumulator_new      (const guint          *ks,
                                                       guint                 n_ks,
                                                       const CsCsr          *train,
                                                       gint32                n_slots);
void                  cs_metrics_accumulator_free     (CsMetricsAccumulator *self);
/* Coverage over all train->n_cols clips rather than the clips with a
 * training pair: for models whose lists may hold clips nobody watched in
 * training (CS_RECOMMENDER_RANKS_COLD_CLIPS), so coverage stays ≤ 1. */
void                  cs_metrics_accumulator_count_all_clips (CsMetricsAccumulator *self);
guint                 cs_metrics_accumulator_get_max_k (CsMetricsAccumulator *self);
/* @ranked: the viewer's ranking, best first, at least min(max K, candidates)
 * long; @test sorted ascending. */
void                  cs_metrics_accumulator_add      (CsMetricsAccumulator *self,
                                                       gint32                slot,
                                                       const gint32         *ranked,
                                                       guint                 n_ranked,
                                                       const gint32         *test,
                                                       guint                 n_test);
/* Mean over the slots added so far (coverage: over their lists). */
double                cs_metrics_accumulator_get_mean (CsMetricsAccumulator *self,
                                                       CsMetric              metric,
                                                       guint                 k_index);
/* Per-slot values of a per-viewer metric (not coverage), for intervals and
 * paired tests; slots never added hold NAN. */
const double         *cs_metrics_accumulator_get_values (CsMetricsAccumulator *self,
                                                         CsMetric              metric,
                                                         guint                 k_index,
                                                         gint32               *n_slots);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsMetricsAccumulator, cs_metrics_accumulator_free)

G_END_DECLS
