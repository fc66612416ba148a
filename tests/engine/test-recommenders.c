/* test-recommenders.c: Popularity, ItemKNN, UserKNN and EASE on small
 * matrices worked out independently, the model factory, ItemKNN against a
 * brute-force cosine, and iALS / BPR-MF: reproducible for a seed and far
 * better than chance on a matrix with obvious structure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cs-bpr.h"
#include "cs-ease.h"
#include "cs-error.h"
#include "cs-ials.h"
#include "cs-item-knn.h"
#include "cs-popularity.h"
#include "cs-recommender.h"
#include "cs-user-knn.h"

#define EPS 1e-6

/* Matrix A, 5 viewers × 5 clips:
 *   v0: c0 c1 c2
 *   v1: c0 c2
 *   v2: c1 c3
 *   v3: c0 c1 c3
 *   v4: (nothing)
 * Viewers per clip: U0 = {v0, v1, v3}, U1 = {v0, v2, v3}, U2 = {v0, v1},
 * U3 = {v2, v3}, U4 = {}. */
static CsCsr *
matrix_a (void)
{
  const gint32 rows[] = { 0, 0, 0, 1, 1, 2, 2, 3, 3, 3 };
  const gint32 cols[] = { 0, 1, 2, 0, 2, 1, 3, 0, 1, 3 };

  return cs_csr_new_from_pairs (5, 5, rows, cols, NULL, G_N_ELEMENTS (rows));
}

static void
assert_scores (CsRecommender *model,
               gint32         viewer,
               const double  *expected)
{
  float scores[5];

  cs_recommender_score (model, viewer, scores);
  for (guint j = 0; j < 5; j++)
    g_assert_cmpfloat_with_epsilon (scores[j], expected[j], EPS);
}

static void
assert_ranking (CsRecommender *model,
                gint32         viewer,
                guint          k,
                const gint32  *expected,
                guint          n_expected)
{
  float scratch[5];
  gint32 out[5];
  guint n = cs_recommender_recommend (model, viewer, k, scratch, out);

  g_assert_cmpuint (n, ==, n_expected);
  for (guint r = 0; r < n; r++)
    g_assert_cmpint (out[r], ==, expected[r]);
}

static void
test_popularity (void)
{
  g_autoptr(CsCsr) train = matrix_a ();
  g_autoptr(CsRecommender) pop = cs_popularity_new ();
  g_autoptr(GError) error = NULL;
  /* |U0| = 3, |U1| = 3, |U2| = 2, |U3| = 2, |U4| = 0, for everyone. */
  const double counts[] = { 3, 3, 2, 2, 0 };
  /* c4 has no training viewer, so it is no candidate for anyone. */
  const gint32 rank_v1[] = { 1, 3 };          /* seen c0 c2 */
  const gint32 rank_v2[] = { 0, 2 };          /* seen c1 c3 */
  const gint32 rank_v4[] = { 0, 1, 2, 3 };    /* ties 3 = 3 and 2 = 2 by index */

  g_assert_true (cs_recommender_fit (pop, train, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cs_recommender_is_fitted (pop));
  for (gint32 v = 0; v < 5; v++)
    assert_scores (pop, v, counts);

  assert_ranking (pop, 1, 5, rank_v1, 2);
  assert_ranking (pop, 2, 5, rank_v2, 2);
  assert_ranking (pop, 4, 5, rank_v4, 4);
  assert_ranking (pop, 4, 3, rank_v4, 3);
}

/* Similarities of matrix A, sim(i, j) = |Ui ∩ Uj| / sqrt(|Ui| |Uj|):
 *   0-1: {v0, v3} = 2 → 2/sqrt(3·3) = 2/3 = 0.6666667
 *   0-2: {v0, v1} = 2 → 2/sqrt(3·2) = 2/√6 = 0.8164966
 *   0-3: {v3}     = 1 → 1/√6 = 0.4082483
 *   1-2: {v0}     = 1 → 1/√6
 *   1-3: {v2, v3} = 2 → 2/√6
 *   2-3: {}       = 0 (not stored)
 *   clip 4 has no viewers: an empty row and column.
 * Rows of S (k = 100 keeps everything):
 *   S0 = c1 2/3, c2 2/√6, c3 1/√6
 *   S1 = c0 2/3, c2 1/√6, c3 2/√6
 *   S2 = c0 2/√6, c1 1/√6
 *   S3 = c0 1/√6, c1 2/√6 */
#define S23 0.6666666666666666
#define S2R6 0.8164965809277261
#define S1R6 0.4082482904638631

static void
test_item_knn (void)
{
  g_autoptr(CsCsr) train = matrix_a ();
  g_autoptr(CsRecommender) knn = cs_item_knn_new (100);
  g_autoptr(GError) error = NULL;
  const CsCsr *sim;
  /* score(v, j) = Σ_{i ∈ I_v} S[i, j]:
   * v0 = S0 + S1 + S2: c0 2/3 + 2/√6 = 1.4831632; c1 2/3 + 1/√6 = 1.0749150;
   *                    c2 2/√6 + 1/√6 = 3/√6 = 1.2247449; c3 1/√6 + 2/√6 = 1.2247449
   * v1 = S0 + S2:      c0 2/√6; c1 2/3 + 1/√6; c2 2/√6; c3 1/√6
   * v2 = S1 + S3:      c0 2/3 + 1/√6; c1 2/√6; c2 1/√6; c3 2/√6
   * v3 = S0 + S1 + S3: c0 2/3 + 1/√6; c1 2/3 + 2/√6; c2 3/√6; c3 3/√6
   * v4 = nothing:      all 0 */
  const double v0[] = { S23 + S2R6, S23 + S1R6, S2R6 + S1R6, S1R6 + S2R6, 0 };
  const double v1[] = { S2R6, S23 + S1R6, S2R6, S1R6, 0 };
  const double v2[] = { S23 + S1R6, S2R6, S1R6, S2R6, 0 };
  const double v3[] = { S23 + S1R6, S23 + S2R6, S2R6 + S1R6, S1R6 + S2R6, 0 };
  const double v4[] = { 0, 0, 0, 0, 0 };
  /* Unseen clips by score: v0 c3 (1.22) then c4 (0); v1 c1 (1.07), c3
   * (0.41), c4; v2 c0 (1.07), c2 (0.41), c4; v3 c2 (1.22), c4; v4 all zero:
   * index order. */
  /* c4 (no training viewer) is never ranked. */
  const gint32 rank_v0[] = { 3 };
  const gint32 rank_v1[] = { 1, 3 };
  const gint32 rank_v2[] = { 0, 2 };
  const gint32 rank_v3[] = { 2 };
  const gint32 rank_v4[] = { 0, 1, 2, 3 };

  g_assert_true (cs_recommender_fit (knn, train, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  sim = cs_item_knn_get_similarity (CS_ITEM_KNN (knn));
  g_assert_cmpint (sim->n_rows, ==, 5);
  g_assert_cmpint (cs_csr_get_nnz (sim), ==, 10);
  g_assert_cmpint (cs_csr_row_length (sim, 0), ==, 3);
  g_assert_cmpint (sim->col_idx[0], ==, 1);
  g_assert_cmpfloat_with_epsilon (sim->values[0], S23, EPS);
  g_assert_cmpint (sim->col_idx[1], ==, 2);
  g_assert_cmpfloat_with_epsilon (sim->values[1], S2R6, EPS);
  g_assert_cmpint (sim->col_idx[2], ==, 3);
  g_assert_cmpfloat_with_epsilon (sim->values[2], S1R6, EPS);
  g_assert_false (cs_csr_contains (sim, 2, 3));
  g_assert_false (cs_csr_contains (sim, 2, 2));
  g_assert_cmpint (cs_csr_row_length (sim, 4), ==, 0);

  assert_scores (knn, 0, v0);
  assert_scores (knn, 1, v1);
  assert_scores (knn, 2, v2);
  assert_scores (knn, 3, v3);
  assert_scores (knn, 4, v4);

  assert_ranking (knn, 0, 5, rank_v0, 1);
  assert_ranking (knn, 1, 5, rank_v1, 2);
  assert_ranking (knn, 2, 5, rank_v2, 2);
  assert_ranking (knn, 3, 5, rank_v3, 1);
  assert_ranking (knn, 4, 5, rank_v4, 4);
}

static void
test_item_knn_k1 (void)
{
  g_autoptr(CsCsr) train = matrix_a ();
  g_autoptr(CsRecommender) knn = NULL;
  g_autoptr(GError) error = NULL;
  /* k = 1 keeps each row's largest: S0 = c2 2/√6, S1 = c3 2/√6,
   * S2 = c0 2/√6, S3 = c1 2/√6.
   * v1 = S0 + S2: c0 2/√6, c2 2/√6; unseen c1, c3 both score 0 → index
   * order (c4 has no training viewer: no candidate).
   * v0 = S0 + S1 + S2: c0 2/√6, c2 2/√6, c3 2/√6 → unseen c3 only. */
  const double v1[] = { S2R6, 0, S2R6, 0, 0 };
  const double v0[] = { S2R6, 0, S2R6, S2R6, 0 };
  const gint32 rank_v1[] = { 1, 3 };
  const gint32 rank_v0[] = { 3 };

  knn = cs_recommender_new_from_spec ("itemknn:k=1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cs_item_knn_get_k (CS_ITEM_KNN (knn)), ==, 1);
  g_assert_true (cs_recommender_fit (knn, train, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (cs_csr_get_nnz (cs_item_knn_get_similarity (CS_ITEM_KNN (knn))), ==, 4);
  assert_scores (knn, 1, v1);
  assert_scores (knn, 0, v0);
  assert_ranking (knn, 1, 5, rank_v1, 2);
  assert_ranking (knn, 0, 5, rank_v0, 1);
}

static void
test_item_knn_truncation_ties (void)
{
  /* Matrix B: matrix A plus v4 = {c2, c3}, so every clip 0–3 has 3 viewers:
   * U0 = {v0, v1, v3}, U1 = {v0, v2, v3}, U2 = {v0, v1, v4}, U3 = {v2, v3, v4}.
   *   0-1: 2/3   0-2: 2/3   0-3: 1/3   1-2: 1/3   1-3: 2/3   2-3: 1/3
   * Full rows:  S0 = [0, 2/3, 2/3, 1/3]   S1 = [2/3, 0, 1/3, 2/3]
   *             S2 = [2/3, 1/3, 0, 1/3]   S3 = [1/3, 2/3, 1/3, 0]
   * k = 1: S0 keeps c1 (tie with c2, lower index), S1 c0 (tie with c3),
   *        S2 c0, S3 c1.
   * k = 2: S0 keeps c1, c2; S1 c0, c3; S2 c0 and c1 (1/3 tie with c3);
   *        S3 c1 and c0 (1/3 tie with c2). */
  const gint32 rows[] = { 0, 0, 0, 1, 1, 2, 2, 3, 3, 3, 4, 4 };
  const gint32 cols[] = { 0, 1, 2, 0, 2, 1, 3, 0, 1, 3, 2, 3 };
  g_autoptr(CsCsr) train = cs_csr_new_from_pairs (5, 5, rows, cols, NULL, G_N_ELEMENTS (rows));
  g_autoptr(CsRecommender) k1 = cs_item_knn_new (1);
  g_autoptr(CsRecommender) k2 = cs_item_knn_new (2);
  const gint32 keep1[] = { 1, 0, 0, 1 };
  const gint32 keep2[][2] = { { 1, 2 }, { 0, 3 }, { 0, 1 }, { 0, 1 } };
  const double value2[][2] = { { 2 / 3., 2 / 3. }, { 2 / 3., 2 / 3. }, { 2 / 3., 1 / 3. }, { 1 / 3., 2 / 3. } };
  const CsCsr *s1, *s2;

  g_assert_true (cs_recommender_fit (k1, train, NULL, NULL, NULL, NULL));
  g_assert_true (cs_recommender_fit (k2, train, NULL, NULL, NULL, NULL));
  s1 = cs_item_knn_get_similarity (CS_ITEM_KNN (k1));
  s2 = cs_item_knn_get_similarity (CS_ITEM_KNN (k2));

  for (gint32 i = 0; i < 4; i++)
    {
      g_assert_cmpint (cs_csr_row_length (s1, i), ==, 1);
      g_assert_cmpint (s1->col_idx[s1->row_ptr[i]], ==, keep1[i]);
      g_assert_cmpfloat_with_epsilon (s1->values[s1->row_ptr[i]], 2 / 3., EPS);

      /* Kept entries are stored in column order. */
      g_assert_cmpint (cs_csr_row_length (s2, i), ==, 2);
      for (gint32 t = 0; t < 2; t++)
        {
          g_assert_cmpint (s2->col_idx[s2->row_ptr[i] + t], ==, keep2[i][t]);
          g_assert_cmpfloat_with_epsilon (s2->values[s2->row_ptr[i] + t], value2[i][t], EPS);
        }
    }
  g_assert_cmpint (cs_csr_row_length (s1, 4), ==, 0);
}

/* An independent dense computation of the same definition. */
static void
brute_force_similarity (const CsCsr *train,
                        guint        k,
                        double      *out)
{
  gint32 n = train->n_cols;
  g_autofree double *counts = g_new0 (double, (gsize) n * n);
  g_autofree double *norm = g_new0 (double, n);

  for (gint32 u = 0; u < train->n_rows; u++)
    for (gint32 a = train->row_ptr[u]; a < train->row_ptr[u + 1]; a++)
      {
        norm[train->col_idx[a]] += 1;
        for (gint32 b = train->row_ptr[u]; b < train->row_ptr[u + 1]; b++)
          counts[(gsize) train->col_idx[a] * n + train->col_idx[b]] += 1;
      }

  for (gint32 i = 0; i < n; i++)
    {
      double *row = &out[(gsize) i * n];

      for (gint32 j = 0; j < n; j++)
        /* Rounded to float as the model stores them: ties are judged on the
         * stored values, so 3/√18 and 1/√2 (equal, but an ulp apart in double)
         * tie. */
        row[j] = (i == j || counts[(gsize) i * n + j] == 0) ? 0
                 : (float) (counts[(gsize) i * n + j] / sqrt (norm[i] * norm[j]));
      /* Keep the k largest positive entries, ties to the lower index: drop the
       * worst (smallest, then highest index) until k are left. */
      for (;;)
        {
          guint kept = 0;
          gint32 worst = -1;

          for (gint32 j = 0; j < n; j++)
            if (row[j] > 0)
              {
                kept++;
                if (worst < 0 || row[j] <= row[worst])
                  worst = j;
              }
          if (kept <= k)
            break;
          row[worst] = 0;
        }
    }
}

static void
test_item_knn_brute_force (void)
{
  /* 300 viewers × 200 clips, each viewer with 1–30 random clips; the fit
   * runs in parallel chunks, the reference is a plain dense loop. */
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) cols = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(CsCsr) train = NULL;
  g_autoptr(CsCsr) pairs = NULL;
  const guint ks[] = { 5, 1000 };
  const gint32 n_clips = 200;

  for (gint32 u = 0; u < 300; u++)
    {
      gint32 len = g_rand_int_range (rand, 1, 31);

      for (gint32 t = 0; t < len; t++)
        {
          /* Skewed towards low indices so that there are popular clips. */
          gint32 c = (gint32) (n_clips * pow (g_rand_double (rand), 2));

          g_array_append_val (rows, u);
          g_array_append_val (cols, c);
        }
    }
  /* Duplicates are summed by the builder; make the matrix binary again. */
  pairs = cs_csr_new_from_pairs (300, n_clips, (gint32 *) (void *) rows->data,
                                 (gint32 *) (void *) cols->data, NULL, rows->len);
  for (gint32 a = 0; a < cs_csr_get_nnz (pairs); a++)
    pairs->values[a] = 1.0f;
  train = g_steal_pointer (&pairs);

  for (guint t = 0; t < G_N_ELEMENTS (ks); t++)
    {
      g_autoptr(CsRecommender) knn = cs_item_knn_new (ks[t]);
      g_autofree double *expected = g_new (double, (gsize) n_clips * n_clips);
      g_autofree float *scores = g_new (float, n_clips);
      const CsCsr *sim;

      g_assert_true (cs_recommender_fit (knn, train, NULL, NULL, NULL, NULL));
      sim = cs_item_knn_get_similarity (CS_ITEM_KNN (knn));
      brute_force_similarity (train, ks[t], expected);

      for (gint32 i = 0; i < n_clips; i++)
        {
          g_autofree double *dense = g_new0 (double, n_clips);

          for (gint32 a = sim->row_ptr[i]; a < sim->row_ptr[i + 1]; a++)
            {
              if (a > sim->row_ptr[i])
                g_assert_cmpint (sim->col_idx[a - 1], <, sim->col_idx[a]);
              dense[sim->col_idx[a]] = sim->values[a];
            }
          for (gint32 j = 0; j < n_clips; j++)
            g_assert_cmpfloat_with_epsilon (dense[j], expected[(gsize) i * n_clips + j], EPS);
        }

      /* Scores are sums of those rows. */
      for (gint32 u = 0; u < 300; u += 37)
        {
          cs_recommender_score (knn, u, scores);
          for (gint32 j = 0; j < n_clips; j++)
            {
              double sum = 0;

              for (gint32 a = train->row_ptr[u]; a < train->row_ptr[u + 1]; a++)
                sum += expected[(gsize) train->col_idx[a] * n_clips + j];
              g_assert_cmpfloat_with_epsilon (scores[j], sum, 1e-4);
            }
        }
    }
}

static void
test_factory (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = cs_recommender_parse_models (" pop ; itemknn:k=100 ;", &error);
  g_autoptr(CsRecommender) stored = NULL;
  g_autofree char *pop_params = NULL;
  g_autofree char *knn_params = NULL;
  g_autofree char *pop_label = NULL;
  g_autofree char *knn_label = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 2);
  g_assert_true (CS_IS_POPULARITY (g_ptr_array_index (models, 0)));
  g_assert_true (CS_IS_ITEM_KNN (g_ptr_array_index (models, 1)));
  g_assert_cmpstr (cs_recommender_get_name (g_ptr_array_index (models, 0)), ==, "pop");
  g_assert_cmpstr (cs_recommender_get_name (g_ptr_array_index (models, 1)), ==, "itemknn");

  pop_params = cs_recommender_get_params_json (g_ptr_array_index (models, 0));
  knn_params = cs_recommender_get_params_json (g_ptr_array_index (models, 1));
  g_assert_cmpstr (pop_params, ==, "{}");
  g_assert_cmpstr (knn_params, ==, "{\"k\":100}");
  pop_label = cs_recommender_get_label (g_ptr_array_index (models, 0));
  knn_label = cs_recommender_get_label (g_ptr_array_index (models, 1));
  g_assert_cmpstr (pop_label, ==, "Popularity");
  g_assert_cmpstr (knn_label, ==, "ItemKNN (k=100)");

  /* Defaults, aliases, stored parameters. */
  {
    g_autoptr(CsRecommender) knn = cs_recommender_new_from_spec ("ItemKNN", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (cs_item_knn_get_k (CS_ITEM_KNN (knn)), ==, CS_ITEM_KNN_DEFAULT_K);
  }
  {
    g_autoptr(CsRecommender) pop = cs_recommender_new_from_spec ("popularity", &error);

    g_assert_no_error (error);
    g_assert_true (CS_IS_POPULARITY (pop));
  }
  stored = cs_recommender_new_from_json ("itemknn", "{\"k\":7}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cs_item_knn_get_k (CS_ITEM_KNN (stored)), ==, 7);
}

static void
test_factory_errors (void)
{
  static const struct
  {
    const char *spec;
    int         code;
  } cases[] = {
    { "foo",               CS_MODEL_ERROR_UNKNOWN_MODEL },
    { "pop;foo:x=1",       CS_MODEL_ERROR_UNKNOWN_MODEL },
    { "",                  CS_MODEL_ERROR_UNKNOWN_MODEL },
    { " ; ",               CS_MODEL_ERROR_UNKNOWN_MODEL },
    { ":k=3",              CS_MODEL_ERROR_UNKNOWN_MODEL },
    { "itemknn:k=0",       CS_MODEL_ERROR_INVALID_PARAM },
    { "itemknn:k=-5",      CS_MODEL_ERROR_INVALID_PARAM },
    { "itemknn:k=abc",     CS_MODEL_ERROR_INVALID_PARAM },
    { "itemknn:k=1e3",     CS_MODEL_ERROR_INVALID_PARAM },
    { "itemknn:k=1000001", CS_MODEL_ERROR_INVALID_PARAM },
    { "itemknn:kk=3",      CS_MODEL_ERROR_INVALID_PARAM },
    { "itemknn:k",         CS_MODEL_ERROR_INVALID_PARAM },
    { "pop:k=3",           CS_MODEL_ERROR_INVALID_PARAM },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) models = cs_recommender_parse_models (cases[i].spec, &error);

      g_test_message ("spec “%s”: %s", cases[i].spec, error ? error->message : "no error");
      g_assert_null (models);
      g_assert_error (error, CS_MODEL_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, !=, "");
    }
}

static void
test_cancelled (void)
{
  g_autoptr(CsCsr) train = matrix_a ();
  g_autoptr(CsRecommender) knn = cs_item_knn_new (10);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (cs_recommender_fit (knn, train, NULL, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (cs_recommender_is_fitted (knn));
}

/* UserKNN on matrix A. Viewer sets I0 = {c0 c1 c2}, I1 = {c0 c2},
 * I2 = {c1 c3}, I3 = {c0 c1 c3}, I4 = {}; cosines:
 *   s01 = 2/√6, s02 = 1/√6, s03 = 2/3, s12 = 0, s13 = 1/√6, s23 = 2/√6.
 * With k = 2: N(0) = {v1, v3}, N(1) = {v0, v3}, N(2) = {v3, v0},
 * N(3) = {v2, v0}, N(4) = {}. */
static void
test_user_knn (void)
{
  g_autoptr(CsCsr) train = matrix_a ();
  g_autoptr(CsRecommender) knn = cs_user_knn_new (2);
  g_autoptr(GError) error = NULL;
  const double r6 = 1.0 / sqrt (6.0);
  /* score(0) = s01·X1 + s03·X3 = 2/√6·(1,0,1,0,0) + 2/3·(1,1,0,1,0). */
  const double v0[] = { 2 * r6 + 2.0 / 3, 2.0 / 3, 2 * r6, 2.0 / 3, 0 };
  /* score(1) = s01·X0 + s13·X3 = 2/√6·(1,1,1,0,0) + 1/√6·(1,1,0,1,0). */
  const double v1[] = { 3 * r6, 3 * r6, 2 * r6, r6, 0 };
  /* score(2) = s23·X3 + s02·X0 = 2/√6·(1,1,0,1,0) + 1/√6·(1,1,1,0,0). */
  const double v2[] = { 3 * r6, 3 * r6, r6, 2 * r6, 0 };
  /* score(3) = s23·X2 + s03·X0 = 2/√6·(0,1,0,1,0) + 2/3·(1,1,1,0,0). */
  const double v3[] = { 2.0 / 3, 2 * r6 + 2.0 / 3, 2.0 / 3, 2 * r6, 0 };
  const double v4[] = { 0, 0, 0, 0, 0 };
  const gint32 rank_v1[] = { 1, 3 };
  const gint32 rank_v2[] = { 0, 2 };

  g_assert_true (cs_recommender_fit (knn, train, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_scores (knn, 0, v0);
  assert_scores (knn, 1, v1);
  assert_scores (knn, 2, v2);
  assert_scores (knn, 3, v3);
  assert_scores (knn, 4, v4);
  assert_ranking (knn, 1, 5, rank_v1, G_N_ELEMENTS (rank_v1));
  assert_ranking (knn, 2, 5, rank_v2, G_N_ELEMENTS (rank_v2));

  /* k = 1 keeps only the nearest: N(1) = {v0}, so score(1) = 2/√6·X0. */
  {
    g_autoptr(CsRecommender) knn1 = cs_recommender_new_from_spec ("userknn:k=1", &error);
    const double v1_k1[] = { 2 * r6, 2 * r6, 2 * r6, 0, 0 };

    g_assert_no_error (error);
    g_assert_true (cs_recommender_fit (knn1, train, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
    assert_scores (knn1, 1, v1_k1);
  }
}

/* EASE on matrix A with λ = 2. B below was computed independently with
 * NumPy's LU inverse (a different algorithm from the engine's Cholesky):
 *   /usr/bin/python3 -c "import numpy as np; X = np.zeros((5, 5));
 *     X[[0,0,0,1,1,2,2,3,3,3], [0,1,2,0,2,1,3,0,1,3]] = 1;
 *     P = np.linalg.inv(X.T @ X + 2 * np.eye(5)); B = np.eye(5) - P / np.diag(P);
 *     np.fill_diagonal(B, 0); print(B, X @ B)"
 * and its entries are the fractions 4/15, 26/67, 7/67, 13/30, 7/60, −10/67.
 * Clip c4 has no viewers: its row and column of B are 0. */
static void
test_ease (void)
{
  g_autoptr(CsCsr) train = matrix_a ();
  g_autoptr(CsRecommender) ease = cs_ease_new (2.0);
  g_autoptr(GError) error = NULL;
  const double expected_b[5][5] = {
    { 0,          4.0 / 15,   26.0 / 67,  7.0 / 67,   0 },
    { 4.0 / 15,   0,          7.0 / 67,   26.0 / 67,  0 },
    { 13.0 / 30,  7.0 / 60,   0,          -10.0 / 67, 0 },
    { 7.0 / 60,   13.0 / 30,  -10.0 / 67, 0,          0 },
    { 0,          0,          0,          0,          0 },
  };
  const double *b;

  g_assert_true (cs_recommender_fit (ease, train, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  b = cs_ease_get_weights (CS_EASE (ease));
  for (guint i = 0; i < 5; i++)
    for (guint j = 0; j < 5; j++)
      g_assert_cmpfloat_with_epsilon (b[i * 5 + j], expected_b[i][j], 1e-12);

  /* Scores are the sums of the rows of B over each viewer's clips. */
  for (gint32 v = 0; v < 5; v++)
    {
      double expected[5] = { 0 };

      for (gint32 a = train->row_ptr[v]; a < train->row_ptr[v + 1]; a++)
        for (guint j = 0; j < 5; j++)
          expected[j] += expected_b[train->col_idx[a]][j];
      assert_scores (ease, v, expected);
    }
  /* v1 (seen c0 c2): c1 = 4/15 + 7/60 = 23/60 beats c3 = 7/67 − 10/67 < 0. */
  {
    const gint32 rank_v1[] = { 1, 3 };

    assert_ranking (ease, 1, 5, rank_v1, G_N_ELEMENTS (rank_v1));
  }
}

/* λ = 0 with a clip nobody watched: XᵀX + λI is singular, and EASE says
 * so, naming the setting to change. */
static void
test_ease_singular (void)
{
  g_autoptr(CsCsr) train = matrix_a ();
  g_autoptr(CsRecommender) ease = NULL;
  g_autoptr(GError) error = NULL;

  ease = cs_recommender_new_from_spec ("ease:lambda=0", &error);
  g_assert_no_error (error);
  g_assert_false (cs_recommender_fit (ease, train, NULL, NULL, NULL, &error));
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "lambda"));
  g_assert_false (cs_recommender_is_fitted (ease));

  /* 100 000 clips would need 80 GB: more than half of this machine. */
  g_assert_cmpuint (cs_ease_memory_needed (100000), ==, G_GUINT64_CONSTANT (80000000000));
}

/* Two communities: viewers 0–29 watch six of clips 0–9, viewers 30–59 six of
 * clips 10–19; one more clip of each viewer's own block is held out. */
#define TOY_VIEWERS 60
#define TOY_CLIPS 20

static CsCsr *
toy_matrix (gint32 *held_out)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) cols = g_array_new (FALSE, FALSE, sizeof (gint32));

  for (gint32 v = 0; v < TOY_VIEWERS; v++)
    {
      gint32 block = v < TOY_VIEWERS / 2 ? 0 : 10;

      for (gint32 t = 0; t < 6; t++)
        {
          gint32 c = block + (v + t) % 10;

          g_array_append_val (rows, v);
          g_array_append_val (cols, c);
        }
      held_out[v] = block + (v + 6) % 10;
    }
  return cs_csr_new_from_pairs (TOY_VIEWERS, TOY_CLIPS, (gint32 *) (void *) rows->data,
                                (gint32 *) (void *) cols->data, NULL, rows->len);
}

/* Fits @spec on the toy matrix; returns the fraction of viewers whose held-out
 * clip is in their top 4 of 14 candidates, and the scores of all viewers. */
static double
toy_hit_rate (const char *spec,
              float      *all_scores)
{
  gint32 held_out[TOY_VIEWERS];
  g_autoptr(CsCsr) train = toy_matrix (held_out);
  g_autoptr(CsRecommender) model = NULL;
  g_autoptr(GError) error = NULL;
  guint hits = 0;

  model = cs_recommender_new_from_spec (spec, &error);
  g_assert_no_error (error);
  g_assert_true (cs_recommender_fit (model, train, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  for (gint32 v = 0; v < TOY_VIEWERS; v++)
    {
      float scratch[TOY_CLIPS];
      gint32 top[4];
      guint n = cs_recommender_recommend (model, v, 4, scratch, top);

      for (guint r = 0; r < n; r++)
        hits += top[r] == held_out[v];
      cs_recommender_score (model, v, &all_scores[v * TOY_CLIPS]);
    }
  return (double) hits / TOY_VIEWERS;
}

static void
check_seeded_model (const char *spec,
                    const char *other_seed_spec)
{
  g_autofree float *a = g_new (float, TOY_VIEWERS * TOY_CLIPS);
  g_autofree float *b = g_new (float, TOY_VIEWERS * TOY_CLIPS);
  g_autofree float *c = g_new (float, TOY_VIEWERS * TOY_CLIPS);
  double hr_a, hr_b, hr_c;

  /* The same seed gives the same model, bit for bit, whatever the number of
   * threads. */
  g_setenv ("CS_NUM_THREADS", "1", TRUE);
  hr_a = toy_hit_rate (spec, a);
  g_setenv ("CS_NUM_THREADS", "3", TRUE);
  hr_b = toy_hit_rate (spec, b);
  g_unsetenv ("CS_NUM_THREADS");
  g_assert_cmpfloat (hr_a, ==, hr_b);
  g_assert_cmpmem (a, sizeof (float) * TOY_VIEWERS * TOY_CLIPS, b, sizeof (float) * TOY_VIEWERS * TOY_CLIPS);

  /* Another seed gives other factors. */
  hr_c = toy_hit_rate (other_seed_spec, c);
  g_assert_true (memcmp (a, c, sizeof (float) * TOY_VIEWERS * TOY_CLIPS) != 0);

  /* Chance would put the held-out clip in the top 4 of 14 candidates for
   * 4/14 ≈ 29 % of viewers; only the 4 unseen clips of the viewer's own
   * block belong there, so a model that sees the blocks finds it for all. */
  g_test_message ("%s: top-4 hit rate %.3f (seed a), %.3f (other seed)", spec, hr_a, hr_c);
  g_assert_cmpfloat (hr_a, >=, 0.9);
  g_assert_cmpfloat (hr_c, >=, 0.9);
}

static void
test_ials_seeded (void)
{
  check_seeded_model ("ials:factors=8,iters=10,reg=0.1,alpha=10,seed=7",
                      "ials:factors=8,iters=10,reg=0.1,alpha=10,seed=8");
}

/* Viewer 0 watched X and Y. Viewers 1–6 watched X and P, viewers 7–12
 * watched Y and Q, so P goes with X and Q with Y. Returns viewer 0's
 * scores of P and Q after fitting iALS with X weighing @wx and Y @wy. */
static void
ials_weighted_scores (float  wx,
                      float  wy,
                      float *p,
                      float *q)
{
  enum { X, Y, P, Q, N_CLIPS };
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) cols = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr(CsCsr) train = NULL;
  g_autoptr(CsRecommender) model = NULL;
  g_autoptr(GError) error = NULL;
  float scores[N_CLIPS];

#define PAIR(v, c, w) G_STMT_START { gint32 v_ = (v), c_ = (c); float w_ = (w); \
    g_array_append_val (rows, v_); g_array_append_val (cols, c_); g_array_append_val (values, w_); } G_STMT_END
  PAIR (0, X, wx);
  PAIR (0, Y, wy);
  for (gint32 v = 1; v <= 12; v++)
    {
      PAIR (v, v <= 6 ? X : Y, 1.0f);
      PAIR (v, v <= 6 ? P : Q, 1.0f);
    }
#undef PAIR

  train = cs_csr_new_from_pairs (13, N_CLIPS, (gint32 *) (void *) rows->data, (gint32 *) (void *) cols->data,
                                 (float *) (void *) values->data, rows->len);
  model = cs_recommender_new_from_spec ("ials:factors=2,iters=15,reg=0.1,alpha=1,seed=3", &error);
  g_assert_no_error (error);
  g_assert_true (cs_recommender_fit (model, train, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  cs_recommender_score (model, 0, scores);
  *p = scores[P];
  *q = scores[Q];
}

/* A weighted positives rule reaches iALS as confidence: what the viewer
 * weighted more decides what comes next. */
static void
test_ials_weights (void)
{
  float p, q;

  ials_weighted_scores (20.0f, 1.0f, &p, &q);
  g_test_message ("X weighs 20, Y 1: P %.4f, Q %.4f", p, q);
  g_assert_cmpfloat (p, >, q + 0.05f);

  ials_weighted_scores (1.0f, 20.0f, &p, &q);
  g_test_message ("X weighs 1, Y 20: P %.4f, Q %.4f", p, q);
  g_assert_cmpfloat (q, >, p + 0.05f);
}

static void
test_bpr_seeded (void)
{
  check_seeded_model ("bpr:factors=8,epochs=200,lr=0.05,reg=0.01,seed=7",
                      "bpr:factors=8,epochs=200,lr=0.05,reg=0.01,seed=8");
}

/* Several viewers per call give the same scores, bit for bit, and the
 * same lists as one call per viewer, for every model (factor models score
 * batches their own way; a factor count that is not a multiple of 8
 * exercises the vector loops' tails). */
static void
test_recommend_many (void)
{
  static const char * const specs[] = {
    "pop", "itemknn:k=5", "ease:lambda=10", "ials:factors=12,iters=3,seed=2", "bpr:factors=8,epochs=5,seed=2",
  };
  static const gint32 viewers[] = { 5, 0, 59, 5, 31, 30, 2, 44, 17, 8, 9 };
  gint32 held_out[TOY_VIEWERS];
  g_autoptr(CsCsr) train = toy_matrix (held_out);

  for (guint m = 0; m < G_N_ELEMENTS (specs); m++)
    for (guint batch = 1; batch <= CS_RECOMMENDER_MAX_BATCH; batch++)
      {
        g_autoptr(CsRecommender) model = cs_recommender_new_from_spec (specs[m], NULL);
        float scratch[CS_RECOMMENDER_MAX_BATCH * TOY_CLIPS];
        gint32 lists[CS_RECOMMENDER_MAX_BATCH * 6];
        guint n[CS_RECOMMENDER_MAX_BATCH];

        g_assert_true (cs_recommender_fit (model, train, NULL, NULL, NULL, NULL));
        for (guint first = 0; first + batch <= G_N_ELEMENTS (viewers); first += batch)
          {
            cs_recommender_recommend_many (model, &viewers[first], batch, 6, scratch, lists, n);
            for (guint i = 0; i < batch; i++)
              {
                float one[TOY_CLIPS];
                gint32 list[6];
                guint len = cs_recommender_recommend (model, viewers[first + i], 6, one, list);

                g_assert_cmpmem (&scratch[i * TOY_CLIPS], sizeof one, one, sizeof one);
                g_assert_cmpmem (&lists[i * 6], n[i] * sizeof (gint32), list, len * sizeof (gint32));
              }
          }
      }
}

static void
test_factory_new_models (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = cs_recommender_parse_models (
      "pop;itemknn:k=100;userknn:k=50;ease:lambda=500;"
      "ials:factors=64,iters=10,reg=0.01,alpha=1;bpr:factors=64,epochs=30,lr=0.05,reg=0.01",
      &error);
  /* Labels list every setting, defaults included, sorted by name. */
  static const char * const labels[] = {
    "Popularity",
    "ItemKNN (k=100)",
    "UserKNN (k=50)",
    "EASE (lambda=500)",
    "iALS (alpha=1, cg_steps=3, factors=64, iters=10, reg=0.01, seed=0)",
    "BPR-MF (epochs=30, factors=64, lr=0.05, reg=0.01, seed=0)",
  };

  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, G_N_ELEMENTS (labels));
  for (guint i = 0; i < models->len; i++)
    {
      g_autofree char *json = cs_recommender_get_params_json (g_ptr_array_index (models, i));
      g_autofree char *label = cs_recommender_get_label (g_ptr_array_index (models, i));
      g_autoptr(CsRecommender) again = NULL;
      g_autofree char *json_again = NULL;

      g_assert_cmpstr (label, ==, labels[i]);
      /* Stored parameters give the same model back. */
      again = cs_recommender_new_from_json (cs_recommender_get_name (g_ptr_array_index (models, i)),
                                            json, &error);
      g_assert_no_error (error);
      json_again = cs_recommender_get_params_json (again);
      g_assert_cmpstr (json_again, ==, json);
    }
  g_assert_true (g_strv_contains (cs_recommender_list_names (), "ease"));
  g_assert_true (g_strv_contains (cs_recommender_list_names (), "bpr"));

  g_clear_pointer (&models, g_ptr_array_unref);
  models = cs_recommender_parse_models ("ials:factors=0", &error);
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM);
  g_clear_error (&error);
  models = cs_recommender_parse_models ("ease:lambda=-1", &error);
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/recommenders/popularity", test_popularity);
  g_test_add_func ("/engine/recommenders/item-knn", test_item_knn);
  g_test_add_func ("/engine/recommenders/item-knn-k1", test_item_knn_k1);
  g_test_add_func ("/engine/recommenders/item-knn-truncation-ties", test_item_knn_truncation_ties);
  g_test_add_func ("/engine/recommenders/item-knn-brute-force", test_item_knn_brute_force);
  g_test_add_func ("/engine/recommenders/factory", test_factory);
  g_test_add_func ("/engine/recommenders/factory-errors", test_factory_errors);
  g_test_add_func ("/engine/recommenders/cancelled", test_cancelled);
  g_test_add_func ("/engine/recommenders/user-knn", test_user_knn);
  g_test_add_func ("/engine/recommenders/ease", test_ease);
  g_test_add_func ("/engine/recommenders/ease-singular", test_ease_singular);
  g_test_add_func ("/engine/recommenders/ials-seeded", test_ials_seeded);
  g_test_add_func ("/engine/recommenders/ials-weights", test_ials_weights);
  g_test_add_func ("/engine/recommenders/bpr-seeded", test_bpr_seeded);
  g_test_add_func ("/engine/recommenders/factory-new-models", test_factory_new_models);
  g_test_add_func ("/engine/recommenders/recommend-many", test_recommend_many);

  return g_test_run ();
}
