/* test-content-recommender.c: the content-based model on a 4-clip example
 * whose cosines are worked out below by hand, a clip nobody watched ranked
 * by its text, and every model's trained state: saved, loaded, and scoring
 * exactly as before; a damaged state is refused with a message.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "cs-clip-content.h"
#include "cs-content-recommender.h"
#include "cs-error.h"
#include "cs-eval-inspect.h"
#include "cs-evaluator.h"
#include "cs-recommender.h"

#define EPS 1e-6

/* Clips: c0 "cat dog", c1 "cat", c2 "dog", c3 no text. */
static CsClipContent *
four_clips (void)
{
  CsClipContent *content = cs_clip_content_new (4);
  CsPredictDataset *rows = cs_clip_content_get_rows (content);

  cs_predict_dataset_set_text (rows, 0, "Cat dog", NULL);
  cs_predict_dataset_set_text (rows, 1, "cat", NULL);
  cs_predict_dataset_set_text (rows, 2, "dog!", NULL);
  return content;
}

static CsRecommender *
fit_content (const char    *spec,
             CsClipContent *content,
             const CsCsr   *train)
{
  g_autoptr(GError) error = NULL;
  CsRecommender *model = cs_recommender_new_from_spec (spec, &error);

  g_assert_no_error (error);
  cs_recommender_set_clip_content (model, content);
  g_assert_true (cs_recommender_fit (model, train, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return model;
}

static void
test_content_cosines (void)
{
  /* v0 watched c1; v1 watched c0 and c1. */
  const gint32 rows[] = { 0, 1, 1 };
  const gint32 cols[] = { 1, 0, 1 };
  g_autoptr(CsCsr) train = cs_csr_new_from_pairs (2, 4, rows, cols, NULL, 3);
  g_autoptr(CsClipContent) content = four_clips ();
  g_autoptr(CsRecommender) model = fit_content ("content:min_df=1", content, train);
  /* n = 4 clips. Terms: "cat" (c0, c1), "dog" (c0, c2), the pair "cat dog"
   * (c0). idf = ln (5 / (1 + df)) + 1: a for cat and dog, b for the pair.
   * t0 = (a, b, a) / N with N = √(2a² + b²); t1 = cat, t2 = dog, t3 = 0. */
  double a = log (5.0 / 3.0) + 1, b = log (5.0 / 2.0) + 1;
  double n = sqrt (2 * a * a + b * b);
  double c01 = a / n;  /* t0 · t1 = t0 · t2 */
  float scores[4];

  g_assert_cmpint (cs_recommender_get_n_clips (model), ==, 4);
  /* Viewer 0: the profile is t1. */
  cs_recommender_score (model, 0, scores);
  g_assert_cmpfloat_with_epsilon (scores[0], c01, EPS);
  g_assert_cmpfloat_with_epsilon (scores[1], 1.0, EPS);
  g_assert_cmpfloat_with_epsilon (scores[2], 0.0, EPS);
  g_assert_cmpfloat (scores[3], ==, 0.0f);  /* no text, no features */

  /* Viewer 1: p = (t0 + t1) / 2, ‖t0 + t1‖ = √(2 + 2 c01). */
  cs_recommender_score (model, 1, scores);
  g_assert_cmpfloat_with_epsilon (scores[0], (1 + c01) / sqrt (2 + 2 * c01), EPS);
  g_assert_cmpfloat_with_epsilon (scores[1], (c01 + 1) / sqrt (2 + 2 * c01), EPS);
  g_assert_cmpfloat_with_epsilon (scores[2], c01 / sqrt (2 + 2 * c01), EPS);
  g_assert_cmpfloat (scores[3], ==, 0.0f);

  /* With the default min_df = 2 the pair is dropped: t0 = (1, 1) / √2. */
  {
    g_autoptr(CsRecommender) df2 = fit_content ("content", content, train);

    cs_recommender_score (df2, 0, scores);
    g_assert_cmpfloat_with_epsilon (scores[0], 1 / sqrt (2), EPS);
    g_assert_cmpfloat_with_epsilon (scores[2], 0.0, EPS);
  }
}

static void
test_content_features (void)
{
  /* One feature: c0 1, c1 3, c2 missing, c3 5: mean 3, population sd
   * √(8/3), so z = −√1.5, 0, 0 (missing), +√1.5. With both weights 1 and
   * m = 1: v0 = (t0, −√1.5), v1 = (t1, 0), v3 = (0, √1.5). */
  const gint32 rows[] = { 0 };
  const gint32 cols[] = { 0 };
  g_autoptr(CsCsr) train = cs_csr_new_from_pairs (1, 4, rows, cols, NULL, 1);
  g_autoptr(CsClipContent) content = four_clips ();
  CsPredictDataset *ds = cs_clip_content_get_rows (content);
  const char * const names[] = { "brightness", NULL };
  g_autoptr(CsRecommender) model = NULL;
  double a = log (5.0 / 3.0) + 1, b = log (5.0 / 2.0) + 1;
  double c01 = a / sqrt (2 * a * a + b * b);
  double z = sqrt (1.5);
  float scores[4];

  cs_predict_dataset_set_content_names (ds, names, 1);
  ds->content[0] = 1;
  ds->content[1] = 3;
  ds->content[3] = 5;
  model = fit_content ("content:min_df=1,feature_weight=1", content, train);

  /* Viewer 0 watched c0: p = v0, ‖v0‖ = √2.5. */
  cs_recommender_score (model, 0, scores);
  g_assert_cmpfloat_with_epsilon (scores[0], 1.0, EPS);
  g_assert_cmpfloat_with_epsilon (scores[1], c01 / sqrt (2.5), EPS);
  g_assert_cmpfloat_with_epsilon (scores[2], c01 / sqrt (2.5), EPS);
  g_assert_cmpfloat_with_epsilon (scores[3], -z * z / (sqrt (2.5) * z), EPS);
}

static void
test_content_cold_clip (void)
{
  /* c2 "cat" has no training pair; viewer 0 watched c1 "cat". */
  const gint32 rows[] = { 0, 1, 1 };
  const gint32 cols[] = { 1, 0, 3 };
  g_autoptr(CsCsr) train = cs_csr_new_from_pairs (2, 4, rows, cols, NULL, 3);
  g_autoptr(CsClipContent) content = cs_clip_content_new (4);
  CsPredictDataset *ds = cs_clip_content_get_rows (content);
  g_autoptr(CsRecommender) model = NULL;
  g_autoptr(CsRecommender) pop = NULL;
  g_autoptr(GError) error = NULL;
  float scratch[4];
  gint32 list[4];
  guint n;

  cs_predict_dataset_set_text (ds, 0, "dog days", NULL);
  cs_predict_dataset_set_text (ds, 1, "cat", "pets");
  cs_predict_dataset_set_text (ds, 2, "a cat", "pets");
  cs_predict_dataset_set_text (ds, 3, "dog", NULL);
  model = fit_content ("content", content, train);
  g_assert_true (cs_recommender_ranks_cold_clips (model));

  /* Terms of ≥ 2 clips: cat, dog, #pets. c2 shares both of c1's terms, so
   * it comes first although nobody watched it; c0 and c3 score 0 and
   * follow in index order. */
  n = cs_recommender_recommend (model, 0, 3, scratch, list);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (list[0], ==, 2);
  g_assert_cmpfloat_with_epsilon (scratch[2], 1.0, EPS);
  g_assert_cmpint (list[1], ==, 0);
  g_assert_cmpint (list[2], ==, 3);

  /* A model that learns from pairs only never offers the cold clip. */
  pop = cs_recommender_new_from_spec ("pop", &error);
  g_assert_true (cs_recommender_fit (pop, train, NULL, NULL, NULL, &error));
  g_assert_false (cs_recommender_ranks_cold_clips (pop));
  n = cs_recommender_recommend (pop, 0, 3, scratch, list);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (list[0], ==, 0);
  g_assert_cmpint (list[1], ==, 3);
}

static void
test_content_errors (void)
{
  const gint32 rows[] = { 0 };
  const gint32 cols[] = { 0 };
  g_autoptr(CsCsr) train = cs_csr_new_from_pairs (1, 3, rows, cols, NULL, 1);
  g_autoptr(CsClipContent) empty = cs_clip_content_new (3);
  g_autoptr(CsRecommender) model = NULL;
  g_autoptr(GError) error = NULL;

  /* No side information at all. */
  model = cs_recommender_new_from_spec ("content", &error);
  g_assert_true (cs_recommender_needs_clip_content (model));
  g_assert_false (cs_recommender_fit (model, train, NULL, NULL, NULL, &error));
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA);
  g_clear_error (&error);

  /* Clips without text or features (an event log alone). */
  cs_recommender_set_clip_content (model, empty);
  g_assert_false (cs_recommender_fit (model, train, NULL, NULL, NULL, &error));
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA);
  g_assert_nonnull (strstr (error->message, "import clip texts"));
}

/* 6 viewers × 7 clips with some structure; clip 6 is never watched. */
static CsCsr *
state_matrix (void)
{
  const gint32 rows[] = { 0, 0, 0, 1, 1, 2, 2, 2, 3, 3, 4, 4, 4, 5, 5 };
  const gint32 cols[] = { 0, 1, 2, 0, 2, 1, 3, 4, 3, 4, 0, 4, 5, 2, 5 };

  return cs_csr_new_from_pairs (6, 7, rows, cols, NULL, G_N_ELEMENTS (rows));
}

static CsClipContent *
state_content (void)
{
  CsClipContent *content = cs_clip_content_new (7);
  CsPredictDataset *ds = cs_clip_content_get_rows (content);
  const char * const texts[] = { "cat video", "funny cat", "dog video", "funny dog",
                                 "cooking pasta", "pasta video", "cat and dog" };
  const char * const names[] = { "motion", NULL };

  cs_predict_dataset_set_content_names (ds, names, 1);
  for (guint j = 0; j < 7; j++)
    {
      cs_predict_dataset_set_text (ds, j, texts[j], NULL);
      ds->content[j] = j == 3 ? NAN : j * 0.25;
    }
  return content;
}

static void
test_state_round_trip (void)
{
  g_autoptr(CsCsr) train = state_matrix ();
  g_autoptr(CsClipContent) content = state_content ();
  const char * const *names = cs_recommender_list_names ();
  const char * const specs[] = {
    "itemknn:k=2", "userknn:k=2", "ease:lambda=0.5", "ials:factors=4,iters=3,seed=7",
    "bpr:factors=3,epochs=5,seed=3", "content:min_df=1",
  };
  g_autoptr(GPtrArray) all = g_ptr_array_new ();

  /* Every model of the factory, defaults and a few settings. */
  for (guint i = 0; names[i]; i++)
    g_ptr_array_add (all, (gpointer) names[i]);
  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    g_ptr_array_add (all, (gpointer) specs[i]);

  for (guint i = 0; i < all->len; i++)
    {
      const char *spec = g_ptr_array_index (all, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(CsRecommender) model = cs_recommender_new_from_spec (spec, &error);
      g_autoptr(CsRecommender) loaded = NULL;
      g_autoptr(GBytes) state = NULL;
      g_autoptr(GBytes) again = NULL;
      g_autofree char *params = NULL;
      g_autofree char *loaded_params = NULL;

      g_test_message ("model %s", spec);
      g_assert_no_error (error);
      cs_recommender_set_clip_content (model, content);
      g_assert_true (cs_recommender_fit (model, train, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
      state = cs_recommender_save_state (model, &error);
      g_assert_no_error (error);
      g_assert_nonnull (state);
      g_assert_cmpmem (g_bytes_get_data (state, NULL), 4, "CSMS", 4);

      loaded = cs_recommender_load_state (state, &error);
      g_assert_no_error (error);
      g_assert_nonnull (loaded);
      g_assert_true (cs_recommender_is_fitted (loaded));
      g_assert_cmpstr (cs_recommender_get_name (loaded), ==, cs_recommender_get_name (model));
      params = cs_recommender_get_params_json (model);
      loaded_params = cs_recommender_get_params_json (loaded);
      g_assert_cmpstr (loaded_params, ==, params);
      g_assert_cmpint (cs_recommender_get_n_clips (loaded), ==, 7);

      for (gint32 v = 0; v < train->n_rows; v++)
        {
          float a[7], b[7], sa[7], sb[7];
          gint32 la[5], lb[5];
          guint na, nb;

          cs_recommender_score (model, v, a);
          cs_recommender_score (loaded, v, b);
          /* Bit for bit, not merely close. */
          g_assert_cmpmem (a, sizeof a, b, sizeof b);
          na = cs_recommender_recommend (model, v, 5, sa, la);
          nb = cs_recommender_recommend (loaded, v, 5, sb, lb);
          g_assert_cmpmem (la, na * sizeof (gint32), lb, nb * sizeof (gint32));
        }

      /* Saving the loaded model gives the same bytes. */
      again = cs_recommender_save_state (loaded, &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (state, again));

      /* Every truncation of the blob is refused with a message, never read
       * past its end. */
      for (gsize cut = 0; cut < g_bytes_get_size (state); cut += 1 + cut / 8)
        {
          g_autoptr(GBytes) part = g_bytes_new_from_bytes (state, 0, cut);
          g_autoptr(GError) local = NULL;
          g_autoptr(CsRecommender) bad = cs_recommender_load_state (part, &local);

          g_assert_null (bad);
          g_assert_error (local, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM);
        }
    }
}

static void
test_state_errors (void)
{
  g_autoptr(CsCsr) train = state_matrix ();
  g_autoptr(CsRecommender) model = NULL;
  g_autoptr(GBytes) state = NULL;
  g_autoptr(GBytes) bad = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CsRecommender) none = NULL;
  guint8 *copy;
  gsize len;

  /* An unfitted model has no state. */
  model = cs_recommender_new_from_spec ("itemknn", &error);
  g_assert_null (cs_recommender_save_state (model, &error));
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM);
  g_clear_error (&error);

  g_assert_true (cs_recommender_fit (model, train, NULL, NULL, NULL, &error));
  state = cs_recommender_save_state (model, &error);
  g_assert_no_error (error);

  /* A column index out of range in the training matrix (the first col_idx
   * follows magic, version, two strings and 3 + 7 int32). */
  copy = g_bytes_unref_to_data (g_bytes_ref (state), &len);
  {
    guint32 name_len, params_len;
    gsize at;

    memcpy (&name_len, copy + 8, 4);
    name_len = GUINT32_FROM_LE (name_len);
    memcpy (&params_len, copy + 12 + name_len, 4);
    params_len = GUINT32_FROM_LE (params_len);
    at = 16 + name_len + params_len + 12 + 7 * 4;
    g_assert_cmpuint (at + 4, <, len);
    copy[at] = 99;
  }
  bad = g_bytes_new_take (copy, len);
  none = cs_recommender_load_state (bad, &error);
  g_assert_null (none);
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM);
  g_assert_nonnull (strstr (error->message, "run the comparison again"));
}

/* A project where leave-last-out keeps a test clip nobody else watched:
 *   clips c1 "cat video", c2 "dog video", c3 "cat toy", c4 "bone"
 *   viewer 1: c1, c2, then c3 (test; c3 has no training pair)
 *   viewer 2: c2, c4, then c1 (test)
 *   viewer 3: c4, then c2 (test)
 * Content (min_df 1), top 1: viewer 1's profile shares "cat" with c3 only
 * (c4 shares nothing) → c3, a hit; viewer 2's shares "video" with c1 → hit;
 * viewer 3's "bone" with no candidate → all 0 → c1 by index, a miss.
 * Popularity (c2: 2, c4: 2, c1: 1; the cold c3 is no candidate): viewer 1
 * gets c4 (miss), viewer 2 c1 (hit), viewer 3 c2 (hit). Coverage@1:
 * content {c3, c1} of all 4 clips, popularity {c4, c1, c2} of 3 training
 * clips. */
static void
test_evaluate_cold_and_kept (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-test-content-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "p.clipscope", NULL);
  g_autoptr(CsStore) store = cs_store_open (path, CS_STORE_CREATE, &error);
  g_autoptr(CsEvalResult) result = NULL;
  g_autoptr(CsEvalResult) unkept = NULL;
  g_autoptr(CsEvalInspector) inspector = NULL;
  g_autoptr(CsEvalInspection) inspection = NULL;
  g_autoptr(CsRecommender) loaded = NULL;
  CsEvalRequest request = { 0 };
  const CsEvalModelResult *pop, *content;
  float scratch[4];
  gint32 list[1];

  g_assert_no_error (error);
  g_assert_true (cs_store_exec (store,
    "INSERT INTO viewers (id, external_id) VALUES (11, '1'), (12, '2'), (13, '3');"
    "INSERT INTO clips (id, external_id, title, caption, hashtags) VALUES"
    " (21, 'c1', 'Cat', 'video', NULL), (22, 'c2', 'Dog video', NULL, NULL),"
    " (23, 'c3', NULL, 'cat toy', NULL), (24, 'c4', NULL, NULL, 'bone');"
    "INSERT INTO events (viewer_id, clip_id, time, kind) VALUES"
    " (11, 21, 100, 1), (11, 22, 110, 1), (11, 23, 200, 1),"
    " (12, 22, 100, 1), (12, 24, 120, 1), (12, 21, 130, 1),"
    " (13, 24, 100, 1), (13, 22, 110, 1);", &error));

  request.protocol = g_strdup ("leave-last-out");
  request.models = g_strdup ("pop;content:min_df=1");
  request.ks = g_new (guint, 1);
  request.ks[0] = 1;
  request.n_ks = 1;
  request.n_bootstrap = 20;
  request.store_state = TRUE;
  result = cs_evaluator_run (store, &request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  pop = g_ptr_array_index (result->models, 0);
  content = g_ptr_array_index (result->models, 1);
  g_assert_cmpstr (content->status, ==, "done");
  g_assert_cmpfloat_with_epsilon (cs_eval_model_result_get (pop, "hr@1"), 2.0 / 3, EPS);
  g_assert_cmpfloat_with_epsilon (cs_eval_model_result_get (content, "hr@1"), 2.0 / 3, EPS);
  g_assert_cmpfloat_with_epsilon (cs_eval_model_result_get (pop, "coverage@1"), 1.0, EPS);
  g_assert_cmpfloat_with_epsilon (cs_eval_model_result_get (content, "coverage@1"), 0.5, EPS);
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM model_states", -1), ==, 2);

  /* The kept content model ranks the cold clip c3 (index 2) first for
   * viewer 1 (index 0). */
  loaded = cs_recommender_load_from_run (store, content->run_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cs_recommender_recommend (loaded, 0, 1, scratch, list), ==, 1);
  g_assert_cmpint (list[0], ==, 2);

  /* Inspect shows it, from the kept model, as a hit. */
  inspector = cs_eval_inspector_new (store, result->run_id, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  inspection = cs_eval_inspector_inspect (inspector, store, "1", 1, &error);
  g_assert_no_error (error);
  {
    CsEvalInspectList *l = g_ptr_array_index (inspection->models, 1);

    g_assert_null (l->error);
    g_assert_cmpuint (l->clips->len, ==, 1);
    g_assert_cmpstr (cs_clip_get_external_id (g_ptr_array_index (l->clips, 0)), ==, "c3");
    g_assert_true (l->hits[0]);
  }

  /* A comparison that did not keep its models says so. */
  request.store_state = FALSE;
  unkept = cs_evaluator_run (store, &request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (cs_recommender_load_from_run (store, ((CsEvalModelResult *) g_ptr_array_index (unkept->models, 0))->run_id,
                                               &error));
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Deleting the comparison deletes its kept models. */
  g_assert_true (cs_eval_result_delete (store, result->run_id, &error));
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM model_states", -1), ==, 0);

  cs_eval_request_clear (&request);
  g_clear_object (&store);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/content/cosines", test_content_cosines);
  g_test_add_func ("/engine/content/features", test_content_features);
  g_test_add_func ("/engine/content/cold-clip", test_content_cold_clip);
  g_test_add_func ("/engine/content/errors", test_content_errors);
  g_test_add_func ("/engine/model-state/round-trip", test_state_round_trip);
  g_test_add_func ("/engine/model-state/errors", test_state_errors);
  g_test_add_func ("/engine/content/evaluate-cold-and-kept", test_evaluate_cold_and_kept);

  return g_test_run ();
}
