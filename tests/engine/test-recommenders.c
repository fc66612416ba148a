/* test-recommenders.c: Popularity and ItemKNN on small matrices worked out by
 * hand, the model factory, and ItemKNN against a brute-force cosine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cs-error.h"
#include "cs-item-knn.h"
#include "cs-popularity.h"
#include "cs-recommender.h"

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

  return g_test_run ();
}
