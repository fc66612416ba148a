/* test-eval-tuning.c: the tuning option — grids, the validation split cut
 * from training pairs, and a comparison whose tuned choice differs from
 * the one the test pairs would favour, so a choice made by peeking at the
 * test set would be caught.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "cs-error.h"
#include "cs-eval-tuning.h"
#include "cs-evaluator.h"
#include "cs-interactions.h"
#include "cs-protocol.h"
#include "cs-recommender.h"

#define EPS 1e-9

/* Ranks clips by index, ascending (order=0: lowest index first) or
 * descending (order=1), whatever the data; records every matrix it is
 * fitted on, so the test can check none of them held a test pair. */
#define TEST_TYPE_PROBE (test_probe_get_type ())
G_DECLARE_FINAL_TYPE (TestProbe, test_probe, TEST, PROBE, CsRecommender)

struct _TestProbe
{
  CsRecommender parent_instance;
  guint         order;
  gint32        n_clips;
};

G_DEFINE_FINAL_TYPE (TestProbe, test_probe, CS_TYPE_RECOMMENDER)

enum { PROP_0, PROP_ORDER, N_PROPS };

/* "v:c v:c …" of every matrix fitted, in fit order. */
static GPtrArray *fitted;

static char *
matrix_text (const CsCsr *m)
{
  GString *text = g_string_new (NULL);

  for (gint32 v = 0; v < m->n_rows; v++)
    for (gint32 i = m->row_ptr[v]; i < m->row_ptr[v + 1]; i++)
      g_string_append_printf (text, "%s%d:%d", text->len ? " " : "", v, m->col_idx[i]);
  return g_string_free (text, FALSE);
}

static gboolean
test_probe_fit (CsRecommender   *recommender,
                const CsCsr     *train,
                CsProgressFunc   progress,
                gpointer         progress_data,
                GCancellable    *cancellable,
                GError         **error)
{
  TEST_PROBE (recommender)->n_clips = train->n_cols;
  if (fitted != NULL)
    g_ptr_array_add (fitted, matrix_text (train));
  return TRUE;
}

static void
test_probe_score (CsRecommender *recommender,
                  gint32         viewer,
                  float         *scores)
{
  TestProbe *self = TEST_PROBE (recommender);

  for (gint32 c = 0; c < self->n_clips; c++)
    scores[c] = self->order == 0 ? (float) -c : (float) c;
}

static void
test_probe_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  g_value_set_uint (value, TEST_PROBE (object)->order);
}

static void
test_probe_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  TEST_PROBE (object)->order = g_value_get_uint (value);
}

static void
test_probe_class_init (TestProbeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_probe_get_property;
  object_class->set_property = test_probe_set_property;
  CS_RECOMMENDER_CLASS (klass)->name = "probe";
  CS_RECOMMENDER_CLASS (klass)->display_name = "Probe";
  CS_RECOMMENDER_CLASS (klass)->fit = test_probe_fit;
  CS_RECOMMENDER_CLASS (klass)->score = test_probe_score;
  g_object_class_install_property (object_class, PROP_ORDER,
                                   g_param_spec_uint ("order", "Order", "0 ascending, 1 descending",
                                                      0, 1, 0, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void
test_probe_init (TestProbe *self)
{
}

typedef struct
{
  char    *dir;
  CsStore *store;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("cs-test-tuning-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "test.clipscope", NULL);
  f->store = cs_store_open (path, CS_STORE_CREATE, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&f->store);
  dir = g_dir_open (f->dir, 0, NULL);
  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (f->dir, name, NULL);

      g_unlink (file);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

/* Viewers u1 … u5 (indices 0 … 4); clips c1 … c6 (indices 0 … 5).
 *   u1: c3@10 c4@20 c6@30 c1@40     u2: c4@10 c5@20 c6@25 c2@40
 *   u3: c1@5   u4: c2@5   u5: c6@5  (one pair each: training only, so
 *   every clip has training and tuning-train pairs and is a candidate)
 * Leave-last-out: test u1 {c1}, u2 {c2}; training u1 {c3 c4 c6},
 * u2 {c4 c5 c6}. Validation (last training pair by time): c6 for both;
 * tuning-train u1 {c3 c4}, u2 {c4 c5}.
 *
 * Worked out by hand, NDCG@10 with one relevant clip at rank r = 1/log2(r+1):
 *   validation, order=0 (c1 c2 … first): c6 is 4th for both → 1/log2 5
 *   validation, order=1 (c6 c5 … first): c6 is 1st for both → 1
 *   test, order=0: u1 c1 1st → 1; u2 c1 c2 → 2nd → 1/log2 3
 *   test, order=1: u1 c5 c2 c1 → 3rd → 1/2; u2 c3 c2 → 2nd → 1/log2 3
 * So validation picks order=1, while the test pairs favour order=0. */
static void
insert_log (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  cs_store_exec (f->store,
                 "INSERT INTO viewers (id, external_id) VALUES (1, 'u1'), (2, 'u2'), (3, 'u3'), (4, 'u4'),"
                 " (5, 'u5');"
                 "INSERT INTO clips (id, external_id) VALUES (1, 'c1'), (2, 'c2'), (3, 'c3'), (4, 'c4'),"
                 " (5, 'c5'), (6, 'c6');"
                 "INSERT INTO events (viewer_id, clip_id, time, kind) VALUES"
                 " (1, 3, 10, 1), (1, 4, 20, 1), (1, 6, 30, 1), (1, 1, 40, 1),"
                 " (2, 4, 10, 1), (2, 5, 20, 1), (2, 6, 25, 1), (2, 2, 40, 1),"
                 " (3, 1, 5, 1), (4, 2, 5, 1), (5, 6, 5, 1);",
                 &error);
  g_assert_no_error (error);
}

static CsEvalRequest
make_request (const char *protocol,
              const char *models,
              gboolean    tune)
{
  CsEvalRequest request = { 0 };

  request.protocol = g_strdup (protocol);
  request.models = g_strdup (models);
  request.seed = 3;
  request.tune = tune;
  request.n_bootstrap = 50;
  g_assert_true (cs_eval_parse_ks ("10", &request.ks, &request.n_ks, NULL));
  return request;
}

static CsEvalResult *
run (Fixture    *f,
     const char *protocol,
     const char *models,
     gboolean    tune)
{
  CsEvalRequest request = make_request (protocol, models, tune);
  g_autoptr(GError) error = NULL;
  CsEvalResult *result = cs_evaluator_run (f->store, &request, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  cs_eval_request_clear (&request);
  return result;
}

static void
test_picks_validation_not_test (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(CsEvalResult) untuned0 = NULL;
  g_autoptr(CsEvalResult) untuned1 = NULL;
  g_autoptr(CsEvalResult) tuned = NULL;
  g_autoptr(CsEvalResult) loaded = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json_text = NULL;
  const CsEvalModelResult *model;
  JsonObject *tuning;
  JsonArray *scores;
  double ndcg_test1 = (0.5 + 1 / log2 (3)) / 2;
  double ndcg_test0 = (1 + 1 / log2 (3)) / 2;

  insert_log (f);

  /* Without tuning: the test pairs favour order=0. */
  untuned0 = run (f, "leave-last-out", "probe:order=0", FALSE);
  untuned1 = run (f, "leave-last-out", "probe:order=1", FALSE);
  g_assert_cmpfloat_with_epsilon (cs_eval_model_result_get (g_ptr_array_index (untuned0->models, 0), "ndcg@10"),
                                  ndcg_test0, EPS);
  g_assert_cmpfloat_with_epsilon (cs_eval_model_result_get (g_ptr_array_index (untuned1->models, 0), "ndcg@10"),
                                  ndcg_test1, EPS);

  /* Tuned from the default order=0: validation picks order=1. */
  fitted = g_ptr_array_new_with_free_func (g_free);
  tuned = run (f, "leave-last-out", "probe", TRUE);
  model = g_ptr_array_index (tuned->models, 0);
  g_assert_cmpstr (model->status, ==, "done");
  g_assert_cmpstr (model->params, ==, "{\"order\":1}");
  g_assert_cmpstr (model->label, ==, "Probe (order=1)");
  g_assert_cmpfloat_with_epsilon (cs_eval_model_result_get (model, "ndcg@10"), ndcg_test1, EPS);

  /* Tuning fitted order=0 then order=1 on tuning-train, then the final
   * fit on the whole training matrix; no fit ever held a test pair (u1 c1
   * = 0:0, u2 c2 = 1:1) and the grid never held the validation pairs
   * (c6 = 0:5, 1:5). */
  g_assert_cmpuint (fitted->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (fitted, 0), ==, "0:2 0:3 1:3 1:4 2:0 3:1 4:5");
  g_assert_cmpstr (g_ptr_array_index (fitted, 1), ==, "0:2 0:3 1:3 1:4 2:0 3:1 4:5");
  g_assert_cmpstr (g_ptr_array_index (fitted, 2), ==, "0:2 0:3 0:5 1:3 1:4 1:5 2:0 3:1 4:5");
  g_clear_pointer (&fitted, g_ptr_array_unref);

  /* The test side is untouched: same pairs and viewers, and exactly the
   * numbers of an untuned run of the chosen setting. */
  g_assert_cmpint (tuned->test_pairs, ==, 2);
  g_assert_cmpint (tuned->test_pairs, ==, untuned1->test_pairs);
  g_assert_cmpint (tuned->test_viewers, ==, untuned1->test_viewers);
  g_assert_cmpint (tuned->train_pairs, ==, 9);
  for (guint metric = 0; metric < CS_N_METRICS; metric++)
    {
      g_autofree char *key = g_strdup_printf ("%s@10", cs_metric_get_name (metric));

      g_assert_cmpfloat (cs_eval_model_result_get (model, key), ==,
                         cs_eval_model_result_get (g_ptr_array_index (untuned1->models, 0), key));
    }

  /* The record: grid, validation scores worked out above, the choice. */
  g_assert_nonnull (model->tuning);
  node = json_from_string (model->tuning, &error);
  g_assert_no_error (error);
  tuning = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (tuning, "metric"), ==, "ndcg@10");
  g_assert_cmpstr (json_object_get_string_member (tuning, "validation"), ==, "last");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (tuning, "grid")), ==, 2);
  scores = json_object_get_array_member (tuning, "validation_ndcg");
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (scores, 0), 1 / log2 (5), EPS);
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (scores, 1), 1.0, EPS);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (tuning, "chosen"), "order"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (tuning, "tuning_train_pairs"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (tuning, "validation_pairs"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (tuning, "validation_viewers"), ==, 2);

  /* Kept in the project and read back. */
  loaded = cs_eval_result_load (f->store, tuned->run_id, &error);
  g_assert_no_error (error);
  model = g_ptr_array_index (loaded->models, 0);
  g_assert_cmpstr (model->label, ==, "Probe (order=1)");
  g_assert_nonnull (model->tuning);
  json_text = cs_eval_result_to_json (loaded);
  g_assert_nonnull (strstr (json_text, "\"tuning\":{\"metric\":\"ndcg@10\""));
  g_assert_null (((CsEvalModelResult *) g_ptr_array_index (untuned1->models, 0))->tuning);
}

static void
test_grid (void)
{
  g_autoptr(GPtrArray) points = cs_eval_tuning_expand_grid ("a=1,2 b=x,y", NULL);
  g_autoptr(GPtrArray) ials = cs_eval_tuning_expand_grid (cs_eval_tuning_get_grid ("ials"), NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (points->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (points, 0), ==, "a=1,b=x");
  g_assert_cmpstr (g_ptr_array_index (points, 1), ==, "a=1,b=y");
  g_assert_cmpstr (g_ptr_array_index (points, 2), ==, "a=2,b=x");
  g_assert_cmpstr (g_ptr_array_index (points, 3), ==, "a=2,b=y");
  g_assert_cmpuint (ials->len, ==, 4);
  g_assert_null (cs_eval_tuning_get_grid ("pop"));
  g_assert_nonnull (cs_eval_tuning_get_grid ("itemknn"));
  g_assert_null (cs_eval_tuning_expand_grid ("k", &error));
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM);

  /* Every built-in grid point is a valid setting of its model. */
  for (const char * const *name = cs_recommender_list_names (); *name; name++)
    {
      const char *grid = cs_eval_tuning_get_grid (*name);
      g_autoptr(GPtrArray) all = grid ? cs_eval_tuning_expand_grid (grid, NULL) : NULL;

      for (guint p = 0; all && p < all->len; p++)
        {
          g_autoptr(CsRecommender) model = cs_recommender_new_from_spec (*name, NULL);

          g_assert_true (cs_eval_tuning_apply (model, g_ptr_array_index (all, p), NULL));
        }
    }
}

/* The random cut: disjoint, covering the training pairs, 20 % per viewer
 * (clamp (round (0.2 n), 1, n − 1)), the same for the same seed. */
static void
test_random_cut (void)
{
  static const char * const viewers[] = { "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "b", "b", "c" };
  static const char * const clips[] = { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "1", "2" };
  static const gint64 times[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 2, 3 };
  g_autoptr(CsInteractions) ia = cs_interactions_new (viewers, clips, times, G_N_ELEMENTS (viewers));
  g_autoptr(CsCsr) train = cs_csr_new_from_pairs (ia->n_viewers, ia->n_clips, ia->viewer, ia->clip, NULL,
                                                  ia->n_pairs);
  g_autoptr(CsSplit) cut = cs_eval_tuning_split (train, ia, CS_EVAL_TUNING_CUT_RANDOM, 11);
  g_autoptr(CsSplit) again = cs_eval_tuning_split (train, ia, CS_EVAL_TUNING_CUT_RANDOM, 11);
  g_autoptr(CsSplit) last = cs_eval_tuning_split (train, ia, CS_EVAL_TUNING_CUT_LAST, 11);
  g_autofree char *cut_text = NULL;
  g_autofree char *again_text = NULL;

  /* a: 10 pairs → 2; b: 2 pairs → 1; c: 1 pair → none. */
  g_assert_cmpint (cut->test_pairs, ==, 3);
  g_assert_cmpint (cut->train_pairs, ==, 10);
  g_assert_cmpint (cut->n_test_viewers, ==, 2);
  g_assert_cmpint (cs_csr_row_length (cut->test, 0), ==, 2);
  for (gint32 v = 0; v < ia->n_viewers; v++)
    for (gint32 i = train->row_ptr[v]; i < train->row_ptr[v + 1]; i++)
      g_assert_true (cs_csr_contains (cut->train, v, train->col_idx[i]) !=
                     cs_csr_contains (cut->test, v, train->col_idx[i]));
  cut_text = matrix_text (cut->test);
  again_text = matrix_text (again->test);
  g_assert_cmpstr (cut_text, ==, again_text);

  /* The last cut: a's clip 9 (time 10), b's clip 1 (time 2). */
  g_assert_cmpint (last->test_pairs, ==, 2);
  g_assert_true (cs_csr_contains (last->test, 0, 9));
  g_assert_true (cs_csr_contains (last->test, 1, 1));

  /* Under a weighted rule the training part keeps each pair's weight (here
   * 10 · viewer + clip + 1, set by hand); validation pairs are plain 1s. */
  {
    g_autoptr(CsSplit) weighted = NULL;

    for (gint32 v = 0; v < ia->n_viewers; v++)
      for (gint32 i = train->row_ptr[v]; i < train->row_ptr[v + 1]; i++)
        train->values[i] = (float) (10 * v + train->col_idx[i] + 1);
    weighted = cs_eval_tuning_split (train, ia, CS_EVAL_TUNING_CUT_RANDOM, 11);
    g_assert_cmpint (weighted->train_pairs, ==, 10);
    for (gint32 v = 0; v < ia->n_viewers; v++)
      for (gint32 i = weighted->train->row_ptr[v]; i < weighted->train->row_ptr[v + 1]; i++)
        g_assert_cmpfloat (weighted->train->values[i], ==, (float) (10 * v + weighted->train->col_idx[i] + 1));
    for (gint32 i = 0; i < (gint32) weighted->test_pairs; i++)
      g_assert_cmpfloat (weighted->test->values[i], ==, 1.0f);
  }
}

/* Each fold tunes on its own training pairs; the record lists the folds. */
static void
test_kfold (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(CsEvalResult) tuned = NULL;
  g_autoptr(JsonNode) node = NULL;
  const CsEvalModelResult *model;

  insert_log (f);
  tuned = run (f, "kfold:2:5", "pop;probe", TRUE);
  g_assert_null (((CsEvalModelResult *) g_ptr_array_index (tuned->models, 0))->tuning);
  model = g_ptr_array_index (tuned->models, 1);
  g_assert_cmpstr (model->status, ==, "done");
  node = json_from_string (model->tuning, NULL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "validation"), ==, "random:0.2");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (node), "folds")),
                    ==, 2);
}

static void
cancel_on_tuning (double      fraction,
                  const char *message,
                  gpointer    user_data)
{
  if (message && g_str_has_prefix (message, "Tuning"))
    g_cancellable_cancel (user_data);
}

/* Cancel during the grid: nothing stored. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  CsEvalRequest request = make_request ("leave-last-out", "pop;probe", TRUE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CsEvalResult) result = NULL;

  insert_log (f);
  result = cs_evaluator_run (f->store, &request, cancel_on_tuning, cancellable, cancellable, &error);
  cs_eval_request_clear (&request);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (result);
  g_assert_cmpint (cs_store_query_int (f->store, "SELECT count(*) FROM runs", -1), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  cs_recommender_register ("probe", TEST_TYPE_PROBE);
  cs_eval_tuning_register_grid ("probe", "order=0,1");

#define ADD(path, func) \
  g_test_add ("/engine/eval-tuning/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("picks-validation-not-test", test_picks_validation_not_test);
  ADD ("kfold", test_kfold);
  ADD ("cancel", test_cancel);
#undef ADD
  g_test_add_func ("/engine/eval-tuning/grid", test_grid);
  g_test_add_func ("/engine/eval-tuning/random-cut", test_random_cut);

  return g_test_run ();
}
