/* test-metrics.c: ranking and ranking metrics on hand-computed examples
 * (DESIGN §4).
 *
 * Constants used below: 1/log2(2) = 1, 1/log2(3) = 0.6309297535714575,
 * 1/log2(4) = 0.5, 1/log2(5) = 0.43067655807339306, log2(3) = 1.584962500721156.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cs-metrics.h"

#define EPS 1e-9

static void
check_all (const gint32 *ranked,
           guint         n_ranked,
           guint         k,
           const gint32 *test,
           guint         n_test,
           double        precision,
           double        recall,
           double        hr,
           double        ndcg,
           double        map,
           double        mrr)
{
  double out[CS_N_METRICS];

  g_assert_cmpfloat_with_epsilon (cs_metric_precision (ranked, n_ranked, k, test, n_test), precision, EPS);
  g_assert_cmpfloat_with_epsilon (cs_metric_recall (ranked, n_ranked, k, test, n_test), recall, EPS);
  g_assert_cmpfloat_with_epsilon (cs_metric_hr (ranked, n_ranked, k, test, n_test), hr, EPS);
  g_assert_cmpfloat_with_epsilon (cs_metric_ndcg (ranked, n_ranked, k, test, n_test), ndcg, EPS);
  g_assert_cmpfloat_with_epsilon (cs_metric_map (ranked, n_ranked, k, test, n_test), map, EPS);
  g_assert_cmpfloat_with_epsilon (cs_metric_mrr (ranked, n_ranked, k, test, n_test), mrr, EPS);

  /* The all-at-once function agrees with the single ones. */
  cs_metrics_compute_viewer (ranked, n_ranked, k, test, n_test, out);
  g_assert_cmpfloat_with_epsilon (out[CS_METRIC_PRECISION], precision, EPS);
  g_assert_cmpfloat_with_epsilon (out[CS_METRIC_RECALL], recall, EPS);
  g_assert_cmpfloat_with_epsilon (out[CS_METRIC_HR], hr, EPS);
  g_assert_cmpfloat_with_epsilon (out[CS_METRIC_NDCG], ndcg, EPS);
  g_assert_cmpfloat_with_epsilon (out[CS_METRIC_MAP], map, EPS);
  g_assert_cmpfloat_with_epsilon (out[CS_METRIC_MRR], mrr, EPS);
}

static void
test_fewer_tests_than_k (void)
{
  /* K = 5, T = {5, 7} (|T| < K); hits at ranks 1 (clip 5) and 3 (clip 7).
   * precision = 2/5 = 0.4; recall = 2/2 = 1; hr = 1
   * DCG  = 1/log2(2) + 1/log2(4) = 1 + 0.5 = 1.5
   * IDCG = 1/log2(2) + 1/log2(3) = 1.6309297535714575 (min(|T|, K) = 2 terms)
   * ndcg = 1.5 / 1.6309297535714575 = 0.9197207891481876
   * map  = (1/min(2, 5)) · (1/1 + 2/3) = 0.8333333333333334
   * mrr  = 1/1 */
  const gint32 ranked[] = { 5, 2, 7, 1, 9 };
  const gint32 test[] = { 5, 7 };

  check_all (ranked, 5, 5, test, 2, 0.4, 1.0, 1.0, 0.9197207891481876, 5.0 / 6.0, 1.0);
}

static void
test_more_tests_than_k (void)
{
  /* K = 3, T = {1, 2, 3, 4, 5} (|T| > K); hits at ranks 1 (3) and 3 (4).
   * precision = 2/3; recall = 2/5 = 0.4; hr = 1
   * DCG  = 1 + 1/log2(4) = 1.5
   * IDCG = 1 + 0.6309297535714575 + 0.5 = 2.1309297535714578 (min(5, 3) = 3 terms)
   * ndcg = 1.5 / 2.1309297535714578 = 0.7039180890341347
   * map  = (1/min(5, 3)) · (1/1 + 2/3) = 0.5555555555555556
   * mrr  = 1 */
  const gint32 ranked[] = { 3, 8, 4 };
  const gint32 test[] = { 1, 2, 3, 4, 5 };

  check_all (ranked, 3, 3, test, 5, 2.0 / 3.0, 0.4, 1.0, 0.7039180890341347, 5.0 / 9.0, 1.0);
}

static void
test_no_hits (void)
{
  const gint32 ranked[] = { 0, 1, 2, 3 };
  const gint32 test[] = { 4, 7 };

  check_all (ranked, 4, 4, test, 2, 0, 0, 0, 0, 0, 0);
}

static void
test_hit_at_rank_one_only (void)
{
  /* K = 3, T = {4}: hit at rank 1. precision = 1/3, recall = 1, ndcg = 1/1,
   * map = (1/1) · (1/1) = 1, mrr = 1. */
  const gint32 ranked[] = { 4, 1, 2 };
  const gint32 test[] = { 4 };

  check_all (ranked, 3, 3, test, 1, 1.0 / 3.0, 1.0, 1.0, 1.0, 1.0, 1.0);
}

static void
test_cutoff (void)
{
  /* The ranking goes on past K = 2, but only ranks ≤ K count: T = {4, 9},
   * clip 9 at rank 2 is a hit, clip 4 at rank 3 is not.
   * precision = 1/2; recall = 1/2; hr = 1
   * ndcg = (1/log2(3)) / (1 + 1/log2(3)) = 0.6309297535714575 / 1.6309297535714575
   *      = 0.38685280723454163
   * map  = (1/min(2, 2)) · (1/2) = 0.25; mrr = 1/2 */
  const gint32 ranked[] = { 1, 9, 4, 6 };
  const gint32 test[] = { 4, 9 };

  check_all (ranked, 4, 2, test, 2, 0.5, 0.5, 1.0, 0.38685280723454163, 0.25, 0.5);
}

static void
test_short_list (void)
{
  /* Fewer candidates than K: the list has 1 clip, K = 5, T = {2, 3}.
   * precision = 1/K = 1/5 (K, not the list length); recall = 1/2
   * ndcg = 1 / (1 + 1/log2(3)) = 0.6131471927654584
   * map = (1/min(2, 5)) · (1/1) = 0.5; mrr = 1 */
  const gint32 ranked[] = { 2 };
  const gint32 test[] = { 2, 3 };

  check_all (ranked, 1, 5, test, 2, 0.2, 0.5, 1.0, 1.0 / 1.6309297535714575, 0.5, 1.0);
}

static void
test_rank_ties (void)
{
  /* Scores by clip: 0:0.5 1:0.9 2:0.5 3:0.9 4:0.1 5:0.5, clip 3 seen.
   * Unseen by score: 1 (0.9), then the 0.5 tie in index order 0, 2, 5,
   * then 4 (0.1). */
  const float scores[] = { 0.5f, 0.9f, 0.5f, 0.9f, 0.1f, 0.5f };
  const gint32 seen[] = { 3 };
  const gint32 expected[] = { 1, 0, 2, 5, 4 };
  const gint32 test[] = { 5 };
  gint32 out[6];
  guint n;

  n = cs_rank_top_k (scores, 6, seen, 1, 4, out);
  g_assert_cmpuint (n, ==, 4);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (out[i], ==, expected[i]);

  /* K larger than the candidates: all 5 unseen clips. */
  n = cs_rank_top_k (scores, 6, seen, 1, 10, out);
  g_assert_cmpuint (n, ==, 5);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (out[i], ==, expected[i]);

  /* T = {5}: with ties to the lower index clip 5 is rank 4, not rank 2.
   * ndcg@4 = (1/log2(5)) / 1 = 0.43067655807339306; map = 1/4; mrr = 1/4;
   * precision = 1/4; recall = 1 */
  check_all (out, 4, 4, test, 1, 0.25, 1.0, 1.0, 0.43067655807339306, 0.25, 0.25);
}

static void
test_rank_nan_and_seen (void)
{
  /* NaN counts as −∞: it ranks after every number, ties by index with −∞. */
  const float scores[] = { NAN, -INFINITY, 2.0f, -1.0f, 2.0f };
  const gint32 seen[] = { 2 };
  const gint32 expected[] = { 4, 3, 0, 1 };
  gint32 out[5];
  guint n;

  n = cs_rank_top_k (scores, 5, seen, 1, 5, out);
  g_assert_cmpuint (n, ==, 4);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (out[i], ==, expected[i]);

  g_assert_cmpuint (cs_rank_top_k (scores, 5, seen, 1, 0, out), ==, 0);
}

static void
test_rank_large_k (void)
{
  /* More than the 64 entries kept on the stack: scores 1000 - j for even j,
   * j for odd j, so even clips rank first (0, 2, 4, …) then odd ones from
   * the top (199, 197, …). */
  float scores[200];
  gint32 out[200];
  guint n;

  for (int j = 0; j < 200; j++)
    scores[j] = j % 2 == 0 ? 1000.0f - j : (float) j;
  n = cs_rank_top_k (scores, 200, NULL, 0, 120, out);
  g_assert_cmpuint (n, ==, 120);
  for (int r = 0; r < 100; r++)
    g_assert_cmpint (out[r], ==, 2 * r);
  for (int r = 100; r < 120; r++)
    g_assert_cmpint (out[r], ==, 199 - 2 * (r - 100));
}

static void
test_select_top_k (void)
{
  /* Sparse candidates: (score, index) = (0.5, 7) (0.5, 3) (0.9, 9) (0.1, 1).
   * Best 3: 9 (0.9), then the 0.5 tie by index: 3, 7. */
  float s[] = { 0.5f, 0.5f, 0.9f, 0.1f };
  gint32 i[] = { 7, 3, 9, 1 };
  guint n = cs_select_top_k (s, i, 4, 3);

  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (i[0], ==, 9);
  g_assert_cmpint (i[1], ==, 3);
  g_assert_cmpint (i[2], ==, 7);
  g_assert_cmpfloat (s[0], ==, 0.9f);
  g_assert_cmpfloat (s[2], ==, 0.5f);
}

static void
test_novelty (void)
{
  /* Popularity (training viewers per clip) 4, 2, 1, 0 with U = 4:
   * −log2(4/4) = 0, −log2(2/4) = 1, −log2(1/4) = 2, and the unwatched clip
   * counts as watched once: −log2(1/4) = 2.
   * novelty@4 = (0 + 1 + 2 + 2) / 4 = 1.25; novelty@2 = (0 + 1) / 2 = 0.5 */
  const gint32 popularity[] = { 4, 2, 1, 0 };
  const gint32 ranked[] = { 0, 1, 2, 3 };

  g_assert_cmpfloat_with_epsilon (cs_metric_novelty (ranked, 4, 4, popularity, 4), 1.25, EPS);
  g_assert_cmpfloat_with_epsilon (cs_metric_novelty (ranked, 4, 2, popularity, 4), 0.5, EPS);
  g_assert_cmpfloat_with_epsilon (cs_metric_novelty (ranked, 0, 2, popularity, 4), 0.0, EPS);
}

static void
test_accumulator (void)
{
  /* Training: v0 {0, 1}, v1 {0}, v2 {2}; popularity 2, 1, 1, 0; U = 3;
   * 3 clips have training pairs.
   * Slot 0: list [2, 3], T = {3}. Slot 1: list [1, 3], T = {2}.
   * K = 1: no hits → every accuracy metric 0.
   *   coverage@1 = |{2, 1}| / 3 = 2/3
   *   novelty@1 = mean(−log2(1/3), −log2(1/3)) = log2(3)
   * K = 2: slot 0 hits at rank 2: precision 1/2, recall 1, hr 1,
   *   ndcg (1/log2(3)) / 1 = 0.6309297535714575, map (1/1)(1/2), mrr 1/2;
   *   slot 1 no hits. Means: precision 0.25, recall 0.5, hr 0.5,
   *   ndcg 0.31546487678572877, map 0.25, mrr 0.25.
   *   coverage@2 = |{2, 3, 1}| / 3 = 1
   *   novelty@2: slot 0 (−log2(1/3) + −log2(max(0,1)/3)) / 2 = log2(3), slot 1
   *   the same → log2(3) */
  const gint32 rows[] = { 0, 0, 1, 2 };
  const gint32 cols[] = { 0, 1, 0, 2 };
  const guint ks[] = { 1, 2 };
  const gint32 list0[] = { 2, 3 }, test0[] = { 3 };
  const gint32 list1[] = { 1, 3 }, test1[] = { 2 };
  g_autoptr(CsCsr) train = cs_csr_new_from_pairs (3, 4, rows, cols, NULL, 4);
  g_autoptr(CsMetricsAccumulator) acc = cs_metrics_accumulator_new (ks, 2, train, 2);
  const double *values;
  gint32 n_slots;

  g_assert_cmpuint (cs_metrics_accumulator_get_max_k (acc), ==, 2);
  cs_metrics_accumulator_add (acc, 0, list0, 2, test0, 1);
  cs_metrics_accumulator_add (acc, 1, list1, 2, test1, 1);

  for (guint m = CS_METRIC_NDCG; m <= CS_METRIC_MRR; m++)
    g_assert_cmpfloat_with_epsilon (cs_metrics_accumulator_get_mean (acc, m, 0), 0.0, EPS);
  g_assert_cmpfloat_with_epsilon (cs_metrics_accumulator_get_mean (acc, CS_METRIC_COVERAGE, 0), 2.0 / 3.0, EPS);
  g_assert_cmpfloat_with_epsilon (cs_metrics_accumulator_get_mean (acc, CS_METRIC_NOVELTY, 0), 1.584962500721156, EPS);

  g_assert_cmpfloat_with_epsilon (cs_metrics_accumulator_get_mean (acc, CS_METRIC_PRECISION, 1), 0.25, EPS);
  g_assert_cmpfloat_with_epsilon (cs_metrics_accumulator_get_mean (acc, CS_METRIC_RECALL, 1), 0.5, EPS);
  g_assert_cmpfloat_with_epsilon (cs_metrics_accumulator_get_mean (acc, CS_METRIC_HR, 1), 0.5, EPS);
  g_assert_cmpfloat_with_epsilon (cs_metrics_accumulator_get_mean (acc, CS_METRIC_NDCG, 1), 0.31546487678572877, EPS);
  g_assert_cmpfloat_with_epsilon (cs_metrics_accumulator_get_mean (acc, CS_METRIC_MAP, 1), 0.25, EPS);
  g_assert_cmpfloat_with_epsilon (cs_metrics_accumulator_get_mean (acc, CS_METRIC_MRR, 1), 0.25, EPS);
  g_assert_cmpfloat_with_epsilon (cs_metrics_accumulator_get_mean (acc, CS_METRIC_COVERAGE, 1), 1.0, EPS);
  g_assert_cmpfloat_with_epsilon (cs_metrics_accumulator_get_mean (acc, CS_METRIC_NOVELTY, 1), 1.584962500721156, EPS);

  /* Per-viewer values, for intervals and paired tests. */
  values = cs_metrics_accumulator_get_values (acc, CS_METRIC_NDCG, 1, &n_slots);
  g_assert_cmpint (n_slots, ==, 2);
  g_assert_cmpfloat_with_epsilon (values[0], 0.6309297535714575, EPS);
  g_assert_cmpfloat_with_epsilon (values[1], 0.0, EPS);
}

static void
test_names (void)
{
  for (guint m = 0; m < CS_N_METRICS; m++)
    g_assert_cmpint (cs_metric_from_name (cs_metric_get_name (m)), ==, m);
  g_assert_cmpstr (cs_metric_get_name (CS_METRIC_NDCG), ==, "ndcg");
  g_assert_cmpstr (cs_metric_get_name (CS_METRIC_HR), ==, "hr");
  g_assert_cmpint (cs_metric_from_name ("auc"), ==, CS_N_METRICS);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/metrics/fewer-tests-than-k", test_fewer_tests_than_k);
  g_test_add_func ("/engine/metrics/more-tests-than-k", test_more_tests_than_k);
  g_test_add_func ("/engine/metrics/no-hits", test_no_hits);
  g_test_add_func ("/engine/metrics/hit-at-rank-one", test_hit_at_rank_one_only);
  g_test_add_func ("/engine/metrics/cutoff", test_cutoff);
  g_test_add_func ("/engine/metrics/short-list", test_short_list);
  g_test_add_func ("/engine/metrics/ndcg-ties", test_rank_ties);
  g_test_add_func ("/engine/metrics/rank-nan", test_rank_nan_and_seen);
  g_test_add_func ("/engine/metrics/rank-large-k", test_rank_large_k);
  g_test_add_func ("/engine/metrics/select-top-k", test_select_top_k);
  g_test_add_func ("/engine/metrics/novelty", test_novelty);
  g_test_add_func ("/engine/metrics/accumulator", test_accumulator);
  g_test_add_func ("/engine/metrics/names", test_names);

  return g_test_run ();
}
