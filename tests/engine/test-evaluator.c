/* test-evaluator.c: a comparison end to end on small projects — stored runs
 * and metrics, reading back, the JSON document, errors and cancellation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "cs-error.h"
#include "cs-eval-inspect.h"
#include "cs-eval-significance.h"
#include "cs-evaluator.h"
#include "cs-memory.h"
#include "cs-interactions.h"
#include "cs-metrics.h"
#include "cs-protocol.h"
#include "cs-recommender.h"

#define EPS 1e-9

/* A model that cannot fit, as a singular or NaN-ridden model would. */
#define TEST_TYPE_FAILING (test_failing_get_type ())
G_DECLARE_FINAL_TYPE (TestFailing, test_failing, TEST, FAILING, CsRecommender)

struct _TestFailing
{
  CsRecommender parent_instance;
};

G_DEFINE_FINAL_TYPE (TestFailing, test_failing, CS_TYPE_RECOMMENDER)

static gboolean
test_failing_fit (CsRecommender   *self,
                  const CsCsr     *train,
                  CsProgressFunc   progress,
                  gpointer         progress_data,
                  GCancellable    *cancellable,
                  GError         **error)
{
  g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_FAILED, "The matrix is singular");
  return FALSE;
}

static void
test_failing_score (CsRecommender *self,
                    gint32         viewer,
                    float         *scores)
{
  g_assert_not_reached ();
}

static void
test_failing_class_init (TestFailingClass *klass)
{
  CS_RECOMMENDER_CLASS (klass)->name = "failing";
  CS_RECOMMENDER_CLASS (klass)->display_name = "Failing";
  CS_RECOMMENDER_CLASS (klass)->fit = test_failing_fit;
  CS_RECOMMENDER_CLASS (klass)->score = test_failing_score;
}

static void
test_failing_init (TestFailing *self)
{
}

/* Least popular first: fits on any data and ranks unlike Popularity, for the
 * tests over folds. */
#define TEST_TYPE_UNPOPULAR (test_unpopular_get_type ())
G_DECLARE_FINAL_TYPE (TestUnpopular, test_unpopular, TEST, UNPOPULAR, CsRecommender)

struct _TestUnpopular
{
  CsRecommender parent_instance;
  float        *counts;
  gint32        n_clips;
};

G_DEFINE_FINAL_TYPE (TestUnpopular, test_unpopular, CS_TYPE_RECOMMENDER)

static gboolean
test_unpopular_fit (CsRecommender   *recommender,
                    const CsCsr     *train,
                    CsProgressFunc   progress,
                    gpointer         progress_data,
                    GCancellable    *cancellable,
                    GError         **error)
{
  TestUnpopular *self = TEST_UNPOPULAR (recommender);

  g_free (self->counts);
  self->n_clips = train->n_cols;
  self->counts = g_new0 (float, MAX (train->n_cols, 1));
  for (gint32 i = 0; i < train->row_ptr[train->n_rows]; i++)
    self->counts[train->col_idx[i]]++;
  return TRUE;
}

static void
test_unpopular_score (CsRecommender *recommender,
                      gint32         viewer,
                      float         *scores)
{
  TestUnpopular *self = TEST_UNPOPULAR (recommender);

  for (gint32 c = 0; c < self->n_clips; c++)
    scores[c] = -self->counts[c];
}

static void
test_unpopular_finalize (GObject *object)
{
  g_free (TEST_UNPOPULAR (object)->counts);
  G_OBJECT_CLASS (test_unpopular_parent_class)->finalize (object);
}

static void
test_unpopular_class_init (TestUnpopularClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_unpopular_finalize;
  CS_RECOMMENDER_CLASS (klass)->name = "unpopular";
  CS_RECOMMENDER_CLASS (klass)->display_name = "Unpopular";
  CS_RECOMMENDER_CLASS (klass)->fit = test_unpopular_fit;
  CS_RECOMMENDER_CLASS (klass)->score = test_unpopular_score;
}

static void
test_unpopular_init (TestUnpopular *self)
{
}

typedef struct
{
  char    *dir;
  char    *path;
  CsStore *store;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("cs-test-evaluator-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "test.clipscope", NULL);
  f->store = cs_store_open (f->path, CS_STORE_CREATE, &error);
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
  g_free (f->path);
  g_free (f->dir);
}

static void
exec (Fixture    *f,
      const char *sql)
{
  g_autoptr(GError) error = NULL;

  cs_store_exec (f->store, sql, &error);
  g_assert_no_error (error);
}

/* The log of test-protocol.c, with rowids that do not follow the id order,
 * plus a like that the default rule ignores:
 *   viewers "1" "2" "3" "10" → indices 0 1 2 3; clips c1 c10 c2 c3 → 0 1 2 3.
 * Temporal 80/20 (worked out in test-protocol.c): training
 *   v0 {c0, c1, c2}  v1 {c0, c1}  v3 {c0, c1, c2}; test v1 {c2} only. */
static void
insert_small_log (Fixture *f)
{
  exec (f,
        "INSERT INTO viewers (id, external_id) VALUES (11, '10'), (12, '3'), (13, '2'), (14, '1');"
        "INSERT INTO clips (id, external_id) VALUES (21, 'c3'), (22, 'c2'), (23, 'c10'), (24, 'c1');"
        "INSERT INTO events (viewer_id, clip_id, time, kind) VALUES"
        " (13, 24, 100, 1), (11, 22, 100, 1), (14, 24, 105, 1), (13, 23, 110, 1),"
        " (13, 24, 175, 1), (11, 24, 140, 1), (11, 23, 150, 1), (14, 23, 160, 1),"
        " (14, 22, 160, 1), (13, 22, 160, 1), (12, 22, 170, 1), (14, 21, 180, 1),"
        " (12, 24, 50, 2);");
}

static CsEvalRequest
make_request (const char *protocol,
              const char *models,
              const char *ks)
{
  CsEvalRequest request = { 0 };

  request.protocol = g_strdup (protocol);
  request.models = g_strdup (models);
  request.seed = 7;
  g_assert_true (cs_eval_parse_ks (ks, &request.ks, &request.n_ks, NULL));
  return request;
}

typedef struct
{
  double     last;
  gboolean   monotonic;
  GPtrArray *messages;
  char      *cancel_on;
  GCancellable *cancellable;
} Progress;

static void
progress_cb (double      fraction,
             const char *message,
             gpointer    user_data)
{
  Progress *p = user_data;

  if (fraction < p->last || fraction < 0 || fraction > 1)
    p->monotonic = FALSE;
  p->last = fraction;
  if (message && (p->messages->len == 0 ||
                  g_strcmp0 (g_ptr_array_index (p->messages, p->messages->len - 1), message) != 0))
    g_ptr_array_add (p->messages, g_strdup (message));
  if (p->cancel_on && message && g_str_has_prefix (message, p->cancel_on))
    g_cancellable_cancel (p->cancellable);
}

static gboolean
has_message (Progress   *p,
             const char *message)
{
  for (guint i = 0; i < p->messages->len; i++)
    if (g_strcmp0 (g_ptr_array_index (p->messages, i), message) == 0)
      return TRUE;
  return FALSE;
}

static void
test_run_small (Fixture       *f,
                gconstpointer  data)
{
  CsEvalRequest request = make_request ("temporal", "pop;itemknn:k=10", "10,5");
  Progress progress = { 0, TRUE, g_ptr_array_new_with_free_func (g_free), NULL, NULL };
  g_autoptr(CsEvalResult) result = NULL;
  g_autoptr(GError) error = NULL;

  insert_small_log (f);
  result = cs_evaluator_run (f->store, &request, progress_cb, &progress, NULL, &error);
  g_assert_no_error (error);
  cs_eval_request_clear (&request);

  g_assert_cmpint (result->run_id, >, 0);
  g_assert_cmpint (result->train_pairs, ==, 8);
  g_assert_cmpint (result->test_pairs, ==, 1);
  g_assert_cmpint (result->test_viewers, ==, 1);
  g_assert_cmpint (result->n_viewers, ==, 4);
  g_assert_cmpint (result->n_clips, ==, 4);
  g_assert_cmpuint (result->n_ks, ==, 2);
  g_assert_cmpuint (result->ks[0], ==, 5);
  g_assert_cmpuint (result->ks[1], ==, 10);
  g_assert_cmpuint (result->seed, ==, 7);
  g_assert_cmpuint (result->models->len, ==, 2);

  /* Viewer "2" (v1) saw c1, c10 in training; its test clip is c2.
   * c3 has no training viewer, so it is no candidate: the ranked catalogue
   * is the 3 clips with training pairs.
   * Popularity in training: c1 3, c10 3, c2 2 → unseen ranking [c2].
   * ItemKNN: U(c1) = U(c10) = {v0, v1, v3}, U(c2) = {v0, v3};
   *   score(v1, c2) = sim(c1, c2) + sim(c10, c2) = 2 · 2/√(3·2) = 1.633
   *   → the same ranking [c2].
   * Both hit at rank 1 with |T| = 1: precision@K = 1/K, the rest 1.
   * coverage = |{c2}| / 3 clips with training pairs = 1/3.
   * novelty: U = 3 training viewers; c2: −log2(2/3) = 0.5849625007211562. */
  for (guint m = 0; m < 2; m++)
    {
      CsEvalModelResult *model = g_ptr_array_index (result->models, m);

      g_assert_cmpstr (model->name, ==, m == 0 ? "pop" : "itemknn");
      g_assert_cmpstr (model->label, ==, m == 0 ? "Popularity" : "ItemKNN (k=10)");
      g_assert_cmpstr (model->params, ==, m == 0 ? "{}" : "{\"k\":10}");
      g_assert_cmpstr (model->status, ==, "done");
      g_assert_null (model->error);
      g_assert_cmpint (model->run_id, >, result->run_id);
      g_assert_cmpfloat (model->fit_s, >=, 0);
      g_assert_cmpfloat (model->score_s, >=, 0);

      g_assert_cmpfloat_with_epsilon (cs_eval_model_result_get (model, "precision@10"), 0.1, EPS);
      g_assert_cmpfloat_with_epsilon (cs_eval_model_result_get (model, "precision@5"), 0.2, EPS);
      g_assert_cmpfloat_with_epsilon (cs_eval_model_result_get (model, "recall@10"), 1.0, EPS);
      g_assert_cmpfloat_with_epsilon (cs_eval_model_result_get (model, "hr@10"), 1.0, EPS);
      g_assert_cmpfloat_with_epsilon (cs_eval_model_result_get (model, "ndcg@10"), 1.0, EPS);
      g_assert_cmpfloat_with_epsilon (cs_eval_model_result_get (model, "map@10"), 1.0, EPS);
      g_assert_cmpfloat_with_epsilon (cs_eval_model_result_get (model, "mrr@10"), 1.0, EPS);
      g_assert_cmpfloat_with_epsilon (cs_eval_model_result_get (model, "coverage@10"), 1.0 / 3.0, EPS);
      g_assert_cmpfloat_with_epsilon (cs_eval_model_result_get (model, "novelty@10"), 0.5849625007211562, EPS);
      g_assert_true (isnan (cs_eval_model_result_get (model, "ndcg@20")));
    }

  /* Rows: one parent, two children, 2 models × 2 K × 8 metrics. */
  g_assert_cmpint (cs_store_query_int (f->store, "SELECT COUNT(*) FROM runs WHERE parent_id IS NULL", -1), ==, 1);
  g_assert_cmpint (cs_store_query_int (f->store,
                                       "SELECT COUNT(*) FROM runs WHERE parent_id IS NULL AND task = 'recommend'"
                                       " AND model IS NULL AND status = 'done' AND seed = 7"
                                       " AND json_extract(protocol, '$.name') = 'temporal'"
                                       " AND json_extract(protocol, '$.positives') = 'view'"
                                       " AND json_extract(summary, '$.train_pairs') = 8"
                                       " AND json_extract(summary, '$.test_viewers') = 1"
                                       " AND json_extract(summary, '$.n_clips') = 4"
                                       " AND json_extract(summary, '$.dropped_cold_viewer') = 1"
                                       " AND finished_at >= started_at", -1), ==, 1);
  g_assert_cmpint (cs_store_query_int (f->store,
                                       "SELECT COUNT(*) FROM runs WHERE parent_id IS NOT NULL"
                                       " AND task = 'recommend' AND status = 'done' AND fit_s IS NOT NULL"
                                       " AND score_s IS NOT NULL AND model IN ('pop', 'itemknn')", -1), ==, 2);
  g_assert_cmpint (cs_store_query_int (f->store, "SELECT COUNT(*) FROM metrics WHERE fold = -1"
                                       " AND instr(name, '_') = 0", -1), ==, 32);
  /* Intervals: 2 models × 2 K × 7 per-viewer metrics × (lo, hi); tests of
   * ItemKNN against the baseline Popularity: 2 K × 7 metrics × 8 figures. */
  g_assert_cmpint (cs_store_query_int (f->store, "SELECT COUNT(*) FROM metrics WHERE fold = -1"
                                       " AND substr(name, -3) IN ('_lo', '_hi')",
                                       -1), ==, 56);
  g_assert_cmpint (cs_store_query_int (f->store, "SELECT COUNT(*) FROM metrics m JOIN runs r ON r.id = m.run_id"
                                       " WHERE fold = -1 AND r.model = 'itemknn' AND instr(m.name, '_') > 0"
                                       " AND substr(m.name, -3) NOT IN ('_lo', '_hi')", -1), ==, 112);
  g_assert_cmpint (cs_store_query_int (f->store, "SELECT COUNT(*) FROM metrics", -1), ==, 200);
  /* One test viewer: every resample is that viewer, the interval is a point;
   * both models rank the test clip first, so the viewer is a tie and a
   * t-test on one pair has no value (stored as NULL). */
  for (guint m = 0; m < result->models->len; m++)
    {
      CsEvalModelResult *model = g_ptr_array_index (result->models, m);

      g_assert_cmpfloat (cs_eval_model_result_get (model, "ndcg_lo@10"), ==, 1.0);
      g_assert_cmpfloat (cs_eval_model_result_get (model, "ndcg_hi@10"), ==, 1.0);
    }
  g_assert_cmpint (result->baseline, ==, 0);
  g_assert_cmpfloat (cs_eval_model_result_get (g_ptr_array_index (result->models, 1), "ndcg_ties@10"), ==, 1);
  g_assert_cmpfloat (cs_eval_model_result_get (g_ptr_array_index (result->models, 1), "ndcg_wins@10"), ==, 0);
  g_assert_true (isnan (cs_eval_model_result_get (g_ptr_array_index (result->models, 1), "ndcg_p@10")));
  g_assert_cmpint (cs_store_query_int (f->store,
                                       "SELECT COUNT(*) FROM metrics m JOIN runs r ON r.id = m.run_id"
                                       " WHERE r.model = 'itemknn' AND m.name = 'ndcg' AND m.k = 10"
                                       " AND m.value = 1.0", -1), ==, 1);

  /* Progress: monotonic in [0, 1], with per-model messages. */
  g_assert_true (progress.monotonic);
  g_assert_cmpfloat (progress.last, ==, 1.0);
  g_assert_true (has_message (&progress, "Training Popularity"));
  g_assert_true (has_message (&progress, "Training ItemKNN"));
  g_assert_true (has_message (&progress, "Scoring 1 viewer"));
  g_ptr_array_unref (progress.messages);

  g_assert_cmpint (cs_eval_result_latest_id (f->store), ==, result->run_id);
}

static void
assert_results_equal (const CsEvalResult *a,
                      const CsEvalResult *b)
{
  g_assert_cmpint (a->run_id, ==, b->run_id);
  g_assert_cmpstr (a->protocol_json, ==, b->protocol_json);
  g_assert_cmpint (a->train_pairs, ==, b->train_pairs);
  g_assert_cmpint (a->test_pairs, ==, b->test_pairs);
  g_assert_cmpint (a->test_viewers, ==, b->test_viewers);
  g_assert_cmpint (a->n_viewers, ==, b->n_viewers);
  g_assert_cmpint (a->n_clips, ==, b->n_clips);
  g_assert_cmpuint (a->seed, ==, b->seed);
  g_assert_cmpint (a->baseline, ==, b->baseline);
  g_assert_cmpuint (a->n_bootstrap, ==, b->n_bootstrap);
  g_assert_cmpuint (a->n_ks, ==, b->n_ks);
  for (guint i = 0; i < a->n_ks; i++)
    g_assert_cmpuint (a->ks[i], ==, b->ks[i]);
  g_assert_cmpuint (a->models->len, ==, b->models->len);
  for (guint m = 0; m < a->models->len; m++)
    {
      const CsEvalModelResult *x = g_ptr_array_index (a->models, m);
      const CsEvalModelResult *y = g_ptr_array_index (b->models, m);
      GHashTableIter iter;
      gpointer key, value;

      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpstr (x->label, ==, y->label);
      g_assert_cmpstr (x->params, ==, y->params);
      g_assert_cmpstr (x->status, ==, y->status);
      g_assert_cmpint (x->run_id, ==, y->run_id);
      g_assert_cmpfloat (x->fit_s, ==, y->fit_s);
      g_assert_cmpint (isnan (x->score_s), ==, isnan (y->score_s));
      if (!isnan (x->score_s))
        g_assert_cmpfloat (x->score_s, ==, y->score_s);
      g_assert_cmpstr (x->error, ==, y->error);
      g_assert_cmpuint (g_hash_table_size (x->metrics), ==, g_hash_table_size (y->metrics));
      g_hash_table_iter_init (&iter, x->metrics);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          /* Stored as REAL: bit for bit the same double; NaN (a test without
           * a value) as NULL, read back as NaN. */
          g_assert_true (g_hash_table_contains (y->metrics, key));
          if (isnan (*(double *) value))
            g_assert_true (isnan (cs_eval_model_result_get (y, key)));
          else
            g_assert_cmpfloat (*(double *) value, ==, cs_eval_model_result_get (y, key));
        }
    }
}

/* A few hundred viewers with random histories, so that scoring runs in
 * parallel chunks and every metric has something to measure. */
static void
insert_random_log (Fixture *f,
                   guint    n_viewers,
                   guint    n_clips,
                   guint    n_events)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  g_assert_true (cs_store_begin (f->store, &error));
  for (guint v = 0; v < n_viewers; v++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO viewers (id, external_id) VALUES (%u, 'u%u')",
                                              v + 1, v);
      exec (f, sql);
    }
  for (guint c = 0; c < n_clips; c++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO clips (id, external_id) VALUES (%u, '%u')",
                                              c + 1, c * 7);
      exec (f, sql);
    }
  stmt = cs_store_prepare (f->store, "INSERT INTO events (viewer_id, clip_id, time, kind) VALUES (?, ?, ?, 1)",
                           &error);
  g_assert_no_error (error);
  for (guint e = 0; e < n_events; e++)
    {
      /* Viewers have tastes (clip ≈ viewer mod n_clips) plus popular clips. */
      guint v = g_rand_int_range (rand, 0, n_viewers);
      guint c = g_rand_boolean (rand) ? (v + g_rand_int_range (rand, 0, 5)) % n_clips
                                      : (guint) (n_clips * pow (g_rand_double (rand), 3));

      sqlite3_bind_int (stmt, 1, v + 1);
      sqlite3_bind_int (stmt, 2, c + 1);
      sqlite3_bind_int64 (stmt, 3, 1000 + e);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  g_assert_true (cs_store_commit (f->store, &error));
}

static void
test_load_back (Fixture       *f,
                gconstpointer  data)
{
  CsEvalRequest request = make_request ("temporal", "pop;itemknn:k=20", "10,20");
  g_autoptr(CsEvalResult) result = NULL;
  g_autoptr(CsEvalResult) loaded = NULL;
  g_autoptr(CsEvalResult) missing = NULL;
  g_autoptr(GError) error = NULL;

  insert_random_log (f, 300, 60, 6000);
  result = cs_evaluator_run (f->store, &request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  cs_eval_request_clear (&request);
  g_assert_cmpint (result->test_viewers, >, 50);

  for (guint m = 0; m < result->models->len; m++)
    {
      CsEvalModelResult *model = g_ptr_array_index (result->models, m);
      GHashTableIter iter;
      gpointer key, value;

      /* 2 K × 8 metrics, an interval for the 7 per-viewer ones, and 8 test
       * figures each for the model that is not the baseline. */
      g_assert_cmpuint (g_hash_table_size (model->metrics), ==,
                        2 * CS_N_METRICS + 2 * 7 * 2 + (m == 0 ? 0 : 2 * 7 * 8));
      g_hash_table_iter_init (&iter, model->metrics);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          double v = *(double *) value;

          if (strchr (key, '_') != NULL)
            continue;
          /* The mean lies inside its bootstrap interval. */
          {
            g_autofree char *name = g_strndup (key, strchr (key, '@') - (char *) key);
            g_autofree char *lo = g_strdup_printf ("%s_lo%s", name, strchr (key, '@'));
            g_autofree char *hi = g_strdup_printf ("%s_hi%s", name, strchr (key, '@'));

            if (!g_str_has_prefix (key, "coverage@"))
              {
                g_assert_cmpfloat (cs_eval_model_result_get (model, lo), <=, v);
                g_assert_cmpfloat (cs_eval_model_result_get (model, hi), >=, v);
                g_assert_cmpfloat (cs_eval_model_result_get (model, lo), <, cs_eval_model_result_get (model, hi));
              }
          }
          g_assert_true (isfinite (v));
          g_assert_cmpfloat (v, >=, 0);
          if (!g_str_has_prefix (key, "novelty@"))
            g_assert_cmpfloat (v, <=, 1);
        }
      /* Personal tastes are easy for ItemKNN: it beats popularity here. */
      g_assert_cmpfloat (cs_eval_model_result_get (model, "ndcg@10"), >, 0.01);
    }
  g_assert_cmpfloat (cs_eval_model_result_get (g_ptr_array_index (result->models, 1), "ndcg@10"), >,
                     cs_eval_model_result_get (g_ptr_array_index (result->models, 0), "ndcg@10"));
  /* …and the paired tests against the baseline (Popularity) say so: every
   * test viewer is a win, a tie or a loss, more win than lose, and with one
   * model compared Holm changes nothing. */
  {
    CsEvalModelResult *knn = g_ptr_array_index (result->models, 1);  /* Unpopular */
    double wins = cs_eval_model_result_get (knn, "ndcg_wins@10");
    double losses = cs_eval_model_result_get (knn, "ndcg_losses@10");

    g_assert_cmpint (result->baseline, ==, 0);
    g_assert_cmpfloat (wins + cs_eval_model_result_get (knn, "ndcg_ties@10") + losses, ==,
                       (double) result->test_viewers);
    g_assert_cmpfloat (wins, >, losses);
    g_assert_cmpfloat (cs_eval_model_result_get (knn, "ndcg_t@10"), >, 0);
    g_assert_cmpfloat (cs_eval_model_result_get (knn, "ndcg_p@10"), <, 0.05);
    g_assert_cmpfloat (cs_eval_model_result_get (knn, "ndcg_p_holm@10"), ==,
                       cs_eval_model_result_get (knn, "ndcg_p@10"));
    g_assert_cmpfloat (cs_eval_model_result_get (knn, "ndcg_wilcoxon_p@10"), <, 0.05);
    g_assert_true (isnan (cs_eval_model_result_get (g_ptr_array_index (result->models, 0), "ndcg_p@10")));
  }
  /* Recall and hits can only grow with K. */
  for (guint m = 0; m < result->models->len; m++)
    {
      CsEvalModelResult *model = g_ptr_array_index (result->models, m);

      g_assert_cmpfloat (cs_eval_model_result_get (model, "recall@20"), >=,
                         cs_eval_model_result_get (model, "recall@10"));
      g_assert_cmpfloat (cs_eval_model_result_get (model, "hr@20"), >=,
                         cs_eval_model_result_get (model, "hr@10"));
      g_assert_cmpfloat (cs_eval_model_result_get (model, "coverage@20"), >=,
                         cs_eval_model_result_get (model, "coverage@10"));
    }

  loaded = cs_eval_result_load (f->store, result->run_id, &error);
  g_assert_no_error (error);
  assert_results_equal (result, loaded);
  /* Each model's peak memory is kept with it (where Linux can measure it:
   * at least the test program itself is resident). */
  if (cs_memory_reset_peak ())
    for (guint m = 0; m < result->models->len; m++)
      {
        const CsEvalModelResult *a = g_ptr_array_index (result->models, m);
        const CsEvalModelResult *b = g_ptr_array_index (loaded->models, m);

        g_assert_cmpfloat (a->peak_rss_mb, >, 1.0);
        g_assert_cmpfloat (a->peak_rss_mb, ==, b->peak_rss_mb);
      }

  missing = cs_eval_result_load (f->store, result->run_id + 100, &error);
  g_assert_null (missing);
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND);
}

/* Every pair of models, tested over the same viewers: the matrix agrees
 * with the tests against the baseline where they overlap, Holm's family is
 * the three pairs of models that finished (the failing one is left out),
 * and a reopened comparison has the same matrix. */
static void
test_significance (Fixture       *f,
                   gconstpointer  data)
{
  CsEvalRequest request = make_request ("temporal", "pop;failing;itemknn:k=20;ease", "10,20");
  g_autoptr(CsEvalResult) result = NULL;
  g_autoptr(CsEvalResult) loaded = NULL;
  g_autoptr(GError) error = NULL;
  const CsSignificanceMatrix *m, *back;
  CsEvalModelResult *knn, *ease;

  insert_random_log (f, 300, 60, 6000);
  result = cs_evaluator_run (f->store, &request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  cs_eval_request_clear (&request);
  knn = g_ptr_array_index (result->models, 2);
  ease = g_ptr_array_index (result->models, 3);

  /* One matrix per per-viewer metric and K asked for; none for coverage. */
  g_assert_cmpuint (g_hash_table_size (result->significance), ==, 2 * 7);
  g_assert_null (cs_eval_result_get_significance (result, CS_METRIC_COVERAGE, 10));
  g_assert_null (cs_eval_result_get_significance (result, CS_METRIC_NDCG, 5));
  m = cs_eval_result_get_significance (result, CS_METRIC_NDCG, 10);
  g_assert_nonnull (m);
  g_assert_cmpuint (m->n_models, ==, 4);
  g_assert_cmpuint (m->n, ==, (guint) result->test_viewers);

  /* Row against column: the same test as against the baseline (model 0). */
  g_assert_cmpfloat (m->t_p[2 * 4 + 0], ==, cs_eval_model_result_get (knn, "ndcg_p@10"));
  g_assert_cmpfloat (m->t[2 * 4 + 0], ==, cs_eval_model_result_get (knn, "ndcg_t@10"));
  g_assert_cmpfloat (m->w_p[3 * 4 + 0], ==, cs_eval_model_result_get (ease, "ndcg_wilcoxon_p@10"));
  g_assert_cmpfloat (m->wins[2 * 4 + 0], ==, cs_eval_model_result_get (knn, "ndcg_wins@10"));
  g_assert_cmpfloat (m->wins[0 * 4 + 2], ==, cs_eval_model_result_get (knn, "ndcg_losses@10"));
  g_assert_cmpfloat_with_epsilon (m->mean_diff[2 * 4 + 0],
                                  cs_eval_model_result_get (knn, "ndcg@10") -
                                  cs_eval_model_result_get (g_ptr_array_index (result->models, 0), "ndcg@10"),
                                  1e-12);

  /* Holm over the pairs {pop, knn}, {pop, ease}, {knn, ease} by hand:
   * sorted p(1) ≤ p(2) ≤ p(3) become 3 p(1), max(that, 2 p(2)), max(that, p(3)),
   * each at most 1. */
  {
    double p[3] = { m->t_p[0 * 4 + 2], m->t_p[0 * 4 + 3], m->t_p[2 * 4 + 3] };
    double holm[3] = { m->t_p_holm[0 * 4 + 2], m->t_p_holm[0 * 4 + 3], m->t_p_holm[2 * 4 + 3] };
    guint order[3] = { 0, 1, 2 };
    double running = 0;

    for (guint a = 0; a < 3; a++)
      for (guint b = a + 1; b < 3; b++)
        if (p[order[b]] < p[order[a]])
          {
            guint t = order[a];
            order[a] = order[b];
            order[b] = t;
          }
    for (guint j = 0; j < 3; j++)
      {
        running = MAX (running, MIN (1.0, (3 - j) * p[order[j]]));
        g_assert_cmpfloat_with_epsilon (holm[order[j]], running, 1e-15);
      }
  }
  /* The failed model has no tests. */
  for (guint i = 0; i < 4; i++)
    {
      g_assert_true (isnan (m->t_p[1 * 4 + i]));
      g_assert_true (isnan (m->w_p_holm[i * 4 + 1]));
    }

  /* Reopened: the same matrices, read from the project. */
  g_assert_cmpint (cs_store_query_int (f->store, "SELECT COUNT(*) FROM artifacts WHERE name = 'significance'",
                                       -1), ==, 1);
  loaded = cs_eval_result_load (f->store, result->run_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (loaded->significance), ==, 2 * 7);
  back = cs_eval_result_get_significance (loaded, CS_METRIC_MRR, 20);
  m = cs_eval_result_get_significance (result, CS_METRIC_MRR, 20);
  g_assert_nonnull (back);
  g_assert_cmpuint (back->n, ==, m->n);
  for (guint c = 0; c < 16; c++)
    {
      double *sides[][2] = {
        { m->mean_diff, back->mean_diff }, { m->t, back->t }, { m->t_p, back->t_p },
        { m->t_p_holm, back->t_p_holm }, { m->w_p, back->w_p }, { m->w_p_holm, back->w_p_holm },
      };

      for (guint t = 0; t < G_N_ELEMENTS (sides); t++)
        if (isnan (sides[t][0][c]))
          g_assert_true (isnan (sides[t][1][c]));
        else
          g_assert_cmpfloat (sides[t][1][c], ==, sides[t][0][c]);
      g_assert_cmpuint (back->wins[c], ==, m->wins[c]);
    }
}

static void
test_deterministic (Fixture       *f,
                    gconstpointer  data)
{
  CsEvalRequest request = make_request ("temporal", "pop;itemknn:k=5", "10");
  g_autoptr(CsEvalResult) first = NULL;
  g_autoptr(CsEvalResult) second = NULL;

  /* Same data, same settings → the same numbers, whatever the threads did. */
  insert_random_log (f, 200, 40, 3000);
  first = cs_evaluator_run (f->store, &request, NULL, NULL, NULL, NULL);
  second = cs_evaluator_run (f->store, &request, NULL, NULL, NULL, NULL);
  cs_eval_request_clear (&request);
  g_assert_nonnull (first);
  g_assert_nonnull (second);
  g_assert_cmpint (second->run_id, >, first->run_id);
  g_assert_cmpint (cs_eval_result_latest_id (f->store), ==, second->run_id);
  for (guint m = 0; m < 2; m++)
    for (guint metric = 0; metric < CS_N_METRICS; metric++)
      {
        g_autofree char *key = g_strdup_printf ("%s@10", cs_metric_get_name (metric));

        g_assert_cmpfloat (cs_eval_model_result_get (g_ptr_array_index (first->models, m), key), ==,
                           cs_eval_model_result_get (g_ptr_array_index (second->models, m), key));
      }
}

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  CsEvalRequest request = make_request ("temporal", "pop;itemknn:k=10", "10,20");
  g_autoptr(CsEvalResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  JsonObject *object, *protocol;
  JsonArray *models;

  insert_small_log (f);
  result = cs_evaluator_run (f->store, &request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  cs_eval_request_clear (&request);

  text = cs_eval_result_to_json (result);
  root = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  object = json_node_get_object (root);

  g_assert_cmpint (json_object_get_int_member (object, "run_id"), ==, result->run_id);
  g_assert_cmpint (json_object_get_int_member (object, "train_pairs"), ==, 8);
  g_assert_cmpint (json_object_get_int_member (object, "test_pairs"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "test_viewers"), ==, 1);
  protocol = json_object_get_object_member (object, "protocol");
  g_assert_nonnull (protocol);
  g_assert_cmpstr (json_object_get_string_member (protocol, "name"), ==, "temporal");
  g_assert_cmpfloat (json_object_get_double_member (protocol, "train_fraction"), ==, 0.8);

  models = json_object_get_array_member (object, "models");
  g_assert_cmpuint (json_array_get_length (models), ==, 2);
  for (guint m = 0; m < 2; m++)
    {
      JsonObject *model = json_array_get_object_element (models, m);
      JsonObject *params = json_object_get_object_member (model, "params");
      JsonObject *metrics = json_object_get_object_member (model, "metrics");
      g_autoptr(GList) names = json_object_get_members (metrics);
      static const char * const expected_order[] = {
        "ndcg@10", "recall@10", "precision@10", "hr@10", "map@10", "mrr@10", "coverage@10", "novelty@10",
        "ndcg@20", "recall@20", "precision@20", "hr@20", "map@20", "mrr@20", "coverage@20", "novelty@20",
      };
      guint i = 0;

      g_assert_cmpstr (json_object_get_string_member (model, "name"), ==, m == 0 ? "pop" : "itemknn");
      g_assert_nonnull (params);
      if (m == 1)
        g_assert_cmpint (json_object_get_int_member (params, "k"), ==, 10);
      else
        g_assert_cmpuint (json_object_get_size (params), ==, 0);
      g_assert_true (json_object_has_member (model, "fit_s"));
      g_assert_true (json_object_has_member (model, "score_s"));
      g_assert_nonnull (metrics);

      /* DESIGN §7's order, every K in turn. */
      g_assert_cmpuint (g_list_length (names), ==, G_N_ELEMENTS (expected_order));
      for (GList *l = names; l; l = l->next, i++)
        g_assert_cmpstr (l->data, ==, expected_order[i]);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (metrics, "ndcg@10"), 1.0, EPS);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (metrics, "precision@20"), 0.05, EPS);
    }
}

static void
test_failed_model (Fixture       *f,
                   gconstpointer  data)
{
  CsEvalRequest request = make_request ("temporal", "pop;failing;itemknn", "10");
  g_autoptr(CsEvalResult) result = NULL;
  g_autoptr(CsEvalResult) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  CsEvalModelResult *failing;
  JsonObject *model;

  /* One model fails: it is stored as failed with its message, the others
   * still finish. */
  insert_small_log (f);
  result = cs_evaluator_run (f->store, &request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  cs_eval_request_clear (&request);
  g_assert_cmpuint (result->models->len, ==, 3);

  failing = g_ptr_array_index (result->models, 1);
  g_assert_cmpstr (failing->name, ==, "failing");
  g_assert_cmpstr (failing->status, ==, "failed");
  g_assert_cmpstr (failing->error, ==, "The matrix is singular");
  g_assert_cmpuint (g_hash_table_size (failing->metrics), ==, 0);
  g_assert_cmpstr (((CsEvalModelResult *) g_ptr_array_index (result->models, 0))->status, ==, "done");
  g_assert_cmpstr (((CsEvalModelResult *) g_ptr_array_index (result->models, 2))->status, ==, "done");
  g_assert_cmpfloat_with_epsilon (cs_eval_model_result_get (g_ptr_array_index (result->models, 2), "ndcg@10"),
                                  1.0, EPS);

  g_assert_cmpint (cs_store_query_int (f->store,
                                       "SELECT COUNT(*) FROM runs WHERE model = 'failing' AND status = 'failed'"
                                       " AND error = 'The matrix is singular' AND score_s IS NULL", -1), ==, 1);
  g_assert_cmpint (cs_store_query_int (f->store,
                                       "SELECT COUNT(*) FROM metrics m JOIN runs r ON r.id = m.run_id"
                                       " WHERE r.model = 'failing'", -1), ==, 0);

  loaded = cs_eval_result_load (f->store, result->run_id, &error);
  g_assert_no_error (error);
  assert_results_equal (result, loaded);

  text = cs_eval_result_to_json (result);
  root = json_from_string (text, &error);
  g_assert_no_error (error);
  model = json_array_get_object_element (json_object_get_array_member (json_node_get_object (root), "models"), 1);
  g_assert_cmpstr (json_object_get_string_member (model, "status"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (model, "error"), ==, "The matrix is singular");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (model, "score_s")));
}

/* k-fold on a log whose Popularity ranking is the same in every fold:
 * anchor viewers with one pair each (always training) watch c0 20 times,
 * c1 16, c2 12, c3 8, c4 4, and the three tested viewers (two pairs each,
 * so kfold:2 tests one of them per fold and each exactly once) can shift a
 * count by at most 3. The ranking is c0 > c1 > c2 > c3 > c4 minus the
 * viewer's training clip, whichever way the shuffle falls:
 *   X {c0, c2}: c0 tested → c0 c1 c3 c4, hit at 1; c2 tested → c1 c2 c3 c4, hit at 2
 *   Y {c1, c4}: c1 tested → c0 c1 c2 c3, hit at 2; c4 tested → c0 c2 c3 c4, hit at 4
 *   Z {c3, c4}: c3 tested → c0 c1 c2 c3, hit at 4; c4 tested → c0 c1 c2 c4, hit at 4
 * Each viewer's value is the mean of its two folds (|T| = 1 in each). */
static void
insert_kfold_log (Fixture *f)
{
  const guint anchors[] = { 20, 16, 12, 8, 4 };
  g_autoptr(GString) sql = g_string_new ("INSERT INTO clips (id, external_id) VALUES"
                                         " (1, 'c0'), (2, 'c1'), (3, 'c2'), (4, 'c3'), (5, 'c4');"
                                         "INSERT INTO viewers (id, external_id) VALUES"
                                         " (1, 'X'), (2, 'Y'), (3, 'Z');"
                                         "INSERT INTO events (viewer_id, clip_id, time, kind) VALUES"
                                         " (1, 1, 1, 1), (1, 3, 2, 1), (2, 2, 3, 1), (2, 5, 4, 1),"
                                         " (3, 4, 5, 1), (3, 5, 6, 1);");
  guint id = 10;

  for (guint c = 0; c < G_N_ELEMENTS (anchors); c++)
    for (guint i = 0; i < anchors[c]; i++, id++)
      g_string_append_printf (sql,
                              "INSERT INTO viewers (id, external_id) VALUES (%u, 'a%u');"
                              "INSERT INTO events (viewer_id, clip_id, time, kind) VALUES (%u, %u, %u, 1);",
                              id, id, id, c + 1, 100 + id);
  exec (f, sql->str);
}

static void
test_kfold (Fixture       *f,
            gconstpointer  data)
{
  CsEvalRequest request = make_request ("kfold:2:5", "pop;unpopular;failing", "1,3");
  g_autoptr(CsEvalResult) result = NULL;
  g_autoptr(CsEvalResult) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  CsEvalModelResult *pop, *unpop, *failing;
  const double l3 = 1 / log2 (3);
  JsonObject *object, *json_pop, *json_unpop;
  struct { const char *key; double value; } expected[] = {
    /* (X + Y + Z) / 3 with the per-viewer means above. */
    { "ndcg@3", ((1 + l3) / 2 + l3 / 2 + 0) / 3 },
    { "recall@3", (1 + 0.5 + 0) / 3 },
    { "precision@3", (1.0 / 3 + 1.0 / 6 + 0) / 3 },
    { "hr@3", (1 + 0.5 + 0) / 3 },
    { "map@3", ((1 + 0.5) / 2 + 0.5 / 2 + 0) / 3 },
    { "mrr@3", ((1 + 0.5) / 2 + 0.5 / 2 + 0) / 3 },
    /* Only X's c0 sits at rank 1. */
    { "ndcg@1", 0.5 / 3 },
    { "recall@1", 0.5 / 3 },
    { "mrr@1", 0.5 / 3 },
    /* Every fold's top-3 lists cover c0 … c3 and never c4 (4 of 5 clips). */
    { "coverage@3", 0.8 },
    { "coverage_fold_mean@3", 0.8 },
    { "coverage_sd@3", 0 },
    /* Every fold tests all three viewers, so the mean of the fold means is
     * the viewers' mean. */
    { "ndcg_fold_mean@3", ((1 + l3) / 2 + l3 / 2 + 0) / 3 },
    { "recall_fold_mean@3", 0.5 },
  };

  insert_kfold_log (f);
  result = cs_evaluator_run (f->store, &request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  cs_eval_request_clear (&request);

  g_assert_cmpuint (result->n_folds, ==, 2);
  /* 66 pairs; each fold tests one pair of X, Y and Z. */
  for (guint fold = 0; fold < 2; fold++)
    {
      g_assert_cmpint (result->folds[fold].train_pairs, ==, 63);
      g_assert_cmpint (result->folds[fold].test_pairs, ==, 3);
      g_assert_cmpint (result->folds[fold].test_viewers, ==, 3);
      g_assert_cmpint (result->folds[fold].dropped_cold_clip, ==, 0);
    }
  g_assert_cmpint (result->train_pairs, ==, 63);
  g_assert_cmpint (result->test_pairs, ==, 6);
  g_assert_cmpint (result->test_viewers, ==, 3);

  pop = g_ptr_array_index (result->models, 0);
  unpop = g_ptr_array_index (result->models, 1);
  failing = g_ptr_array_index (result->models, 2);
  g_assert_cmpstr (pop->status, ==, "done");
  g_assert_cmpstr (unpop->status, ==, "done");
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpfloat_with_epsilon (cs_eval_model_result_get (pop, expected[i].key), expected[i].value, EPS);

  /* Fold values: two per metric; their mean and sample sd |a − b| / √2. */
  for (guint metric = 0; metric < CS_N_METRICS; metric++)
    {
      const char *name = cs_metric_get_name (metric);
      g_autofree char *k0 = g_strdup_printf ("%s@3#0", name);
      g_autofree char *k1 = g_strdup_printf ("%s@3#1", name);
      g_autofree char *k2 = g_strdup_printf ("%s@3#2", name);
      g_autofree char *mean_key = g_strdup_printf ("%s_fold_mean@3", name);
      g_autofree char *sd_key = g_strdup_printf ("%s_sd@3", name);
      double a = cs_eval_model_result_get (pop, k0), b = cs_eval_model_result_get (pop, k1);

      g_assert_true (isfinite (a) && isfinite (b));
      g_assert_true (isnan (cs_eval_model_result_get (pop, k2)));
      g_assert_cmpfloat_with_epsilon (cs_eval_model_result_get (pop, mean_key), (a + b) / 2, EPS);
      g_assert_cmpfloat_with_epsilon (cs_eval_model_result_get (pop, sd_key), fabs (a - b) / sqrt (2), EPS);
    }
  /* Fold recall@3 is (hits of X + Y + Z) / 3 in that fold: X hits in both,
   * Y in one, Z in none, so one fold has 2/3 and the other 1/3. */
  g_assert_cmpfloat_with_epsilon (cs_eval_model_result_get (pop, "recall@3#0") +
                                  cs_eval_model_result_get (pop, "recall@3#1"), 1.0, EPS);
  g_assert_cmpfloat_with_epsilon (fabs (cs_eval_model_result_get (pop, "recall@3#0") -
                                        cs_eval_model_result_get (pop, "recall@3#1")), 1.0 / 3, EPS);

  /* Nadeau–Bengio for Unpopular against Popularity over the two folds, by
   * hand: d_f the fold differences, s² = (d0 − d1)² / 2, n_test/n_train =
   * 3/63, t = mean(d) / √((1/2 + 3/63) s²), p two-sided with 1 df (Cauchy:
   * p = 1 − 2 atan(|t|) / π). */
  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? "ndcg" : "recall";
      g_autofree char *k0 = g_strdup_printf ("%s@3#0", name);
      g_autofree char *k1 = g_strdup_printf ("%s@3#1", name);
      g_autofree char *t_key = g_strdup_printf ("%s_nb_t@3", name);
      g_autofree char *p_key = g_strdup_printf ("%s_nb_p@3", name);
      double d0 = cs_eval_model_result_get (unpop, k0) - cs_eval_model_result_get (pop, k0);
      double d1 = cs_eval_model_result_get (unpop, k1) - cs_eval_model_result_get (pop, k1);
      double s2 = (d0 - d1) * (d0 - d1) / 2;

      double t = (d0 + d1) / 2 / sqrt ((0.5 + 3.0 / 63) * s2);

      /* The folds differ for both models, so s² > 0. */
      g_assert_cmpfloat (s2, >, 1e-6);
      g_assert_cmpfloat_with_epsilon (cs_eval_model_result_get (unpop, t_key), t, 1e-9);
      g_assert_cmpfloat_with_epsilon (cs_eval_model_result_get (unpop, p_key),
                                      1 - 2 * atan (fabs (t)) / G_PI, 1e-9);
      g_assert_true (isnan (cs_eval_model_result_get (pop, t_key)));
    }
  /* The per-viewer tests still pair the three viewers. */
  g_assert_cmpfloat (cs_eval_model_result_get (unpop, "ndcg_wins@3") + cs_eval_model_result_get (unpop, "ndcg_ties@3") +
                     cs_eval_model_result_get (unpop, "ndcg_losses@3"), ==, 3);

  /* A model failing on a fold fails with the fold named; the others finish. */
  g_assert_cmpstr (failing->status, ==, "failed");
  g_assert_cmpstr (failing->error, ==, "Fold 1 of 2: The matrix is singular");

  /* Stored per fold, read back the same. */
  g_assert_cmpint (cs_store_query_int (f->store,
                                       "SELECT COUNT(*) FROM metrics m JOIN runs r ON r.id = m.run_id"
                                       " WHERE r.model = 'pop' AND m.name = 'ndcg' AND m.k = 3 AND m.fold >= 0", -1),
                   ==, 2);
  loaded = cs_eval_result_load (f->store, result->run_id, &error);
  g_assert_no_error (error);
  assert_results_equal (result, loaded);
  g_assert_cmpuint (loaded->n_folds, ==, 2);
  g_assert_cmpint (loaded->folds[1].train_pairs, ==, 63);

  /* JSON: per-fold values, their mean and sd, and the fold test. */
  text = cs_eval_result_to_json (loaded);
  root = json_from_string (text, &error);
  g_assert_no_error (error);
  object = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (object, "n_folds"), ==, 2);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (object, "folds")), ==, 2);
  json_pop = json_array_get_object_element (json_object_get_array_member (object, "models"), 0);
  json_unpop = json_array_get_object_element (json_object_get_array_member (object, "models"), 1);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_object_get_object_member (json_pop, "metrics"),
                                                                 "ndcg@3"), expected[0].value, EPS);
  g_assert_false (json_object_has_member (json_object_get_object_member (json_pop, "metrics"), "ndcg@3#0"));
  g_assert_false (json_object_has_member (json_object_get_object_member (json_pop, "metrics"), "ndcg_sd@3"));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_object_get_object_member (json_pop, "sd"),
                                                                 "ndcg@3"),
                                  cs_eval_model_result_get (pop, "ndcg_sd@3"), EPS);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (
                                    json_array_get_object_element (json_object_get_array_member (json_pop, "folds"), 1),
                                    "recall@3"),
                                  cs_eval_model_result_get (pop, "recall@3#1"), EPS);
  g_assert_true (json_object_has_member (json_object_get_object_member (
                                           json_object_get_object_member (json_unpop, "vs_baseline"), "ndcg@3"), "nb_p"));
}

/* k-fold on a larger log: progress runs over folds × models, the same seed
 * gives the same figures, the result reads back the same, and Cancel in a
 * later fold leaves nothing behind. */
static void
test_kfold_run (Fixture       *f,
                gconstpointer  data)
{
  CsEvalRequest request = make_request ("kfold:3:1", "pop;itemknn:k=20", "10");
  Progress progress = { 0, TRUE, g_ptr_array_new_with_free_func (g_free), NULL, NULL };
  g_autoptr(CsEvalResult) result = NULL;
  g_autoptr(CsEvalResult) again = NULL;
  g_autoptr(CsEvalResult) loaded = NULL;
  g_autoptr(GError) error = NULL;
  gint64 test_pairs = 0;

  insert_random_log (f, 300, 60, 6000);
  result = cs_evaluator_run (f->store, &request, progress_cb, &progress, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (progress.monotonic);
  g_assert_cmpfloat (progress.last, ==, 1.0);
  g_assert_true (has_message (&progress, "Splitting fold 2 of 3 into training and test interactions"));
  g_assert_true (has_message (&progress, "Training Popularity, fold 1 of 3"));
  g_assert_true (has_message (&progress, "Training ItemKNN, fold 3 of 3"));
  g_ptr_array_unref (progress.messages);

  g_assert_cmpuint (result->n_folds, ==, 3);
  for (guint fold = 0; fold < 3; fold++)
    test_pairs += result->folds[fold].test_pairs;
  g_assert_cmpint (result->test_pairs, ==, test_pairs);
  for (guint m = 0; m < 2; m++)
    {
      CsEvalModelResult *model = g_ptr_array_index (result->models, m);
      double lo = cs_eval_model_result_get (model, "ndcg_lo@10");
      double hi = cs_eval_model_result_get (model, "ndcg_hi@10");
      double mean = cs_eval_model_result_get (model, "ndcg@10");

      g_assert_cmpstr (model->status, ==, "done");
      g_assert_cmpfloat (lo, <=, mean);
      g_assert_cmpfloat (mean, <=, hi);
      g_assert_cmpfloat (cs_eval_model_result_get (model, "ndcg_sd@10"), >, 0);
    }

  again = cs_evaluator_run (f->store, &request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint m = 0; m < 2; m++)
    for (guint fold = 0; fold < 3; fold++)
      {
        g_autofree char *key = g_strdup_printf ("ndcg@10#%u", fold);

        g_assert_cmpfloat (cs_eval_model_result_get (g_ptr_array_index (result->models, m), key), ==,
                           cs_eval_model_result_get (g_ptr_array_index (again->models, m), key));
      }

  loaded = cs_eval_result_load (f->store, result->run_id, &error);
  g_assert_no_error (error);
  assert_results_equal (result, loaded);

  /* Cancel while training in the second fold. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(CsEvalResult) cancelled = NULL;

    progress = (Progress) { 0, TRUE, g_ptr_array_new_with_free_func (g_free),
                            (char *) "Training ItemKNN, fold 2", cancellable };
    cancelled = cs_evaluator_run (f->store, &request, progress_cb, &progress, cancellable, &error);
    g_ptr_array_unref (progress.messages);
    g_assert_null (cancelled);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
  cs_eval_request_clear (&request);
  /* The two finished comparisons (a parent and two models each), nothing else. */
  g_assert_cmpint (cs_store_query_int (f->store, "SELECT COUNT(*) FROM runs", -1), ==, 6);
}

/* kfold:5 on the small log, whose viewers have at most 4 pairs: fold 5
 * tests nobody, which stops the run with a message asking for fewer folds. */
static void
test_kfold_too_many_folds (Fixture       *f,
                           gconstpointer  data)
{
  CsEvalRequest request = make_request ("kfold:5:1", "pop", "10");
  g_autoptr(CsEvalResult) result = NULL;
  g_autoptr(GError) error = NULL;

  insert_small_log (f);
  result = cs_evaluator_run (f->store, &request, NULL, NULL, NULL, &error);
  cs_eval_request_clear (&request);
  g_assert_null (result);
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA);
  g_assert_nonnull (strstr (error->message, "fold 5 has no viewer left to test"));
  g_assert_nonnull (strstr (error->message, "Use fewer folds"));
  g_assert_cmpint (cs_store_query_int (f->store, "SELECT COUNT(*) FROM runs", -1), ==, 0);
}

static void
test_no_data (Fixture       *f,
              gconstpointer  data)
{
  CsEvalRequest request = make_request ("temporal", "pop", "10");
  g_autoptr(CsEvalResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* No events at all. */
  result = cs_evaluator_run (f->store, &request, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "import"));
  g_clear_error (&error);

  /* Events, but the only test pair comes from a viewer with no training. */
  exec (f,
        "INSERT INTO viewers (id, external_id) VALUES (1, 'a'), (2, 'b');"
        "INSERT INTO clips (id, external_id) VALUES (1, 'x'), (2, 'y');"
        "INSERT INTO events (viewer_id, clip_id, time, kind) VALUES (1, 1, 1, 1), (1, 2, 2, 1), (2, 1, 3, 1);");
  result = cs_evaluator_run (f->store, &request, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* A rule nothing matches. */
  request.positives = g_strdup ("share");
  result = cs_evaluator_run (f->store, &request, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA);
  g_clear_error (&error);
  cs_eval_request_clear (&request);

  g_assert_cmpint (cs_store_query_int (f->store, "SELECT COUNT(*) FROM runs", -1), ==, 0);
  g_assert_cmpint (cs_eval_result_latest_id (f->store), ==, 0);
}

static void
test_bad_request (Fixture       *f,
                  gconstpointer  data)
{
  static const struct
  {
    const char *protocol;
    const char *models;
    const char *positives;
    guint       baseline;
    int         code;
  } cases[] = {
    { "temporal", "pop;bogus", NULL, 0, CS_MODEL_ERROR_UNKNOWN_MODEL },
    { "temporal", "itemknn:k=0", NULL, 0, CS_MODEL_ERROR_INVALID_PARAM },
    { "sideways", "pop", NULL, 0, CS_MODEL_ERROR_INVALID_PARAM },
    { "temporal", "pop", "stars", 0, CS_MODEL_ERROR_INVALID_PARAM },
    { "temporal", "pop;itemknn", NULL, 2, CS_MODEL_ERROR_INVALID_PARAM },
  };

  insert_small_log (f);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CsEvalRequest request = make_request (cases[i].protocol, cases[i].models, "10");
      g_autoptr(CsEvalResult) result = NULL;
      g_autoptr(GError) error = NULL;

      request.positives = g_strdup (cases[i].positives);
      request.baseline = cases[i].baseline;
      result = cs_evaluator_run (f->store, &request, NULL, NULL, NULL, &error);
      cs_eval_request_clear (&request);
      g_assert_null (result);
      g_assert_error (error, CS_MODEL_ERROR, cases[i].code);
    }
  g_assert_cmpint (cs_store_query_int (f->store, "SELECT COUNT(*) FROM runs", -1), ==, 0);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  static const char * const points[] = { "Reading", "Training ItemKNN", "Scoring" };

  insert_random_log (f, 300, 60, 6000);
  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      CsEvalRequest request = make_request ("temporal", "pop;itemknn", "10");
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      Progress progress = { 0, TRUE, g_ptr_array_new_with_free_func (g_free), (char *) points[i], cancellable };
      g_autoptr(CsEvalResult) result = NULL;
      g_autoptr(GError) error = NULL;

      result = cs_evaluator_run (f->store, &request, progress_cb, &progress, cancellable, &error);
      cs_eval_request_clear (&request);
      g_ptr_array_unref (progress.messages);
      g_assert_null (result);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    }
  /* Nothing half-written. */
  g_assert_cmpint (cs_store_query_int (f->store, "SELECT COUNT(*) FROM runs", -1), ==, 0);
  g_assert_cmpint (cs_store_query_int (f->store, "SELECT COUNT(*) FROM metrics", -1), ==, 0);
}

static void
test_leave_last_out (Fixture       *f,
                     gconstpointer  data)
{
  CsEvalRequest request = make_request ("leave-last-out", "pop", "1");
  g_autoptr(CsEvalResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* Test clips (see test-protocol.c): v0 c3, v1 c2, v3 c10; 8 training
   * pairs. Popularity in training: c1 3 (v0 v1 v3), c10 2 (v0 v1), c2 3
   * (v0 v2 v3), c3 0. Only clips with training pairs are ranked, so v0,
   * whose one unseen clip c3 nobody watched in training, gets an empty list
   * (a cold-start miss); v1 (seen c1, c10) → c2, hit; v3 (seen c2, c1) →
   * c10, hit: hr@1 = 2/3, and the lists cover {c2, c10} of the 3 clips with
   * training pairs: 2/3. */
  insert_small_log (f);
  result = cs_evaluator_run (f->store, &request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  cs_eval_request_clear (&request);
  g_assert_cmpint (result->train_pairs, ==, 8);
  g_assert_cmpint (result->test_pairs, ==, 3);
  g_assert_cmpint (result->test_viewers, ==, 3);
  g_assert_cmpfloat_with_epsilon (cs_eval_model_result_get (g_ptr_array_index (result->models, 0), "hr@1"),
                                  2.0 / 3.0, EPS);
  g_assert_cmpfloat_with_epsilon (cs_eval_model_result_get (g_ptr_array_index (result->models, 0), "coverage@1"),
                                  2.0 / 3.0, EPS);
  g_assert_cmpint (cs_store_query_int (f->store,
                                       "SELECT COUNT(*) FROM runs WHERE parent_id IS NULL"
                                       " AND json_extract(protocol, '$.name') = 'leave-last-out'", -1), ==, 1);
}

static void
test_load_interactions (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(CsInteractions) from_store = NULL;
  g_autoptr(CsInteractions) in_memory = NULL;
  g_autoptr(CsInteractions) likes = NULL;
  g_autoptr(CsInteractions) any = NULL;
  g_autoptr(CsInteractions) weighted = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const viewers[] = { "2", "10", "1", "2", "2", "10", "10", "1", "1", "2", "3", "1" };
  static const char * const clips[] = { "c1", "c2", "c1", "c10", "c1", "c1", "c10", "c10", "c2", "c2", "c2", "c3" };
  static const gint64 times[] = { 100, 100, 105, 110, 175, 140, 150, 160, 160, 160, 170, 180 };

  insert_small_log (f);
  from_store = cs_interactions_load (f->store, NULL, NULL, &error);
  g_assert_no_error (error);
  in_memory = cs_interactions_new (viewers, clips, times, G_N_ELEMENTS (times));

  /* The same pairs and indices as built in memory, and the rowids. */
  g_assert_cmpstr (from_store->rule, ==, "view");
  g_assert_cmpuint (from_store->n_pairs, ==, in_memory->n_pairs);
  g_assert_cmpint (from_store->n_viewers, ==, 4);
  g_assert_cmpint (from_store->n_clips, ==, 4);
  for (gint32 i = 0; i < 4; i++)
    {
      g_assert_cmpstr (from_store->viewer_ids[i], ==, in_memory->viewer_ids[i]);
      g_assert_cmpstr (from_store->clip_ids[i], ==, in_memory->clip_ids[i]);
    }
  g_assert_cmpint (from_store->viewer_rowids[0], ==, 14);  /* "1" */
  g_assert_cmpint (from_store->viewer_rowids[3], ==, 11);  /* "10" */
  g_assert_cmpint (from_store->clip_rowids[1], ==, 23);    /* "c10" */
  for (gsize i = 0; i < from_store->n_pairs; i++)
    {
      g_assert_cmpint (from_store->viewer[i], ==, in_memory->viewer[i]);
      g_assert_cmpint (from_store->clip[i], ==, in_memory->clip[i]);
      g_assert_cmpint (from_store->time[i], ==, in_memory->time[i]);
    }

  /* Only the like: viewer "3" and clip c1, nothing else gets an index. */
  likes = cs_interactions_load (f->store, "like", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (likes->n_pairs, ==, 1);
  g_assert_cmpint (likes->n_viewers, ==, 1);
  g_assert_cmpstr (likes->viewer_ids[0], ==, "3");
  g_assert_cmpstr (likes->clip_ids[0], ==, "c1");
  g_assert_cmpint (likes->time[0], ==, 50);

  /* Any event: the like adds the pair ("3", c1). */
  any = cs_interactions_load (f->store, "any", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (any->n_pairs, ==, 12);
  g_assert_null (any->weight);

  /* Views weigh 1 and likes 4: the pairs of "any", ("2", c1) viewed twice
   * weighs 2, ("3", c1) liked weighs 4 and keeps the like's time. */
  weighted = cs_interactions_load (f->store, "weighted:like=4,view=1", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (weighted->rule, ==, "weighted:view=1,like=4");
  g_assert_cmpuint (weighted->n_pairs, ==, 12);
  for (gsize i = 0; i < weighted->n_pairs; i++)
    {
      const char *v = weighted->viewer_ids[weighted->viewer[i]];
      const char *c = weighted->clip_ids[weighted->clip[i]];
      float expected = 1.0f;

      if (strcmp (v, "2") == 0 && strcmp (c, "c1") == 0)
        expected = 2.0f;
      else if (strcmp (v, "3") == 0 && strcmp (c, "c1") == 0)
        {
          expected = 4.0f;
          g_assert_cmpint (weighted->time[i], ==, 50);
        }
      g_assert_cmpfloat (weighted->weight[i], ==, expected);
    }

  /* Likes only: the one pair, weight 4. */
  g_clear_pointer (&weighted, cs_interactions_free);
  weighted = cs_interactions_load (f->store, "weighted:like=4", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (weighted->n_pairs, ==, 1);
  g_assert_cmpfloat (weighted->weight[0], ==, 4.0f);
}

/* The history lists comparisons newest first with their models, and
 * deleting one takes its model runs and metrics with it. */
static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  static const struct { const char *models; const char *ks; } runs[] = {
    { "pop", "5" }, { "pop;itemknn:k=10", "3,10" }, { "itemknn:k=10", "2" },
  };
  gint64 ids[G_N_ELEMENTS (runs)];
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CsEvalResult) gone = NULL;
  CsEvalRunInfo *info;

  insert_small_log (f);
  list = cs_eval_result_list (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      CsEvalRequest request = make_request ("temporal", runs[i].models, runs[i].ks);
      g_autoptr(CsEvalResult) result = cs_evaluator_run (f->store, &request, NULL, NULL, NULL, &error);

      g_assert_no_error (error);
      cs_eval_request_clear (&request);
      ids[i] = result->run_id;
    }

  list = cs_eval_result_list (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (((CsEvalRunInfo *) g_ptr_array_index (list, i))->run_id, ==, ids[2 - i]);
  info = g_ptr_array_index (list, 1);
  g_assert_cmpstr (info->models, ==, "Popularity, ItemKNN (k=10)");
  g_assert_cmpuint (info->n_models, ==, 2);
  g_assert_cmpuint (info->k, ==, 3);                /* the smallest K asked for */
  g_assert_cmpint (info->test_viewers, ==, 1);      /* v1 only, see insert_small_log */
  g_assert_nonnull (strstr (info->protocol_json, "\"temporal\""));
  g_assert_cmpint (info->finished_at, >, 1600000000);
  g_assert_cmpuint (((CsEvalRunInfo *) g_ptr_array_index (list, 0))->k, ==, 2);
  g_assert_cmpstr (((CsEvalRunInfo *) g_ptr_array_index (list, 2))->models, ==, "Popularity");

  /* Two model runs with metrics before, nothing after. */
  {
    g_autofree char *children = g_strdup_printf ("SELECT count(*) FROM runs WHERE parent_id = %" G_GINT64_FORMAT, ids[1]);
    g_autofree char *metrics = g_strdup_printf ("SELECT count(*) FROM metrics WHERE run_id IN"
                                                " (SELECT id FROM runs WHERE parent_id = %" G_GINT64_FORMAT ")", ids[1]);
    gint64 n_metrics_all = cs_store_query_int (f->store, "SELECT count(*) FROM metrics", -1);
    gint64 n_metrics = cs_store_query_int (f->store, metrics, -1);

    g_assert_cmpint (cs_store_query_int (f->store, children, -1), ==, 2);
    g_assert_cmpint (n_metrics, >, 0);
    g_assert_true (cs_eval_result_delete (f->store, ids[1], &error));
    g_assert_no_error (error);
    g_assert_cmpint (cs_store_query_int (f->store, children, -1), ==, 0);
    g_assert_cmpint (cs_store_query_int (f->store, metrics, -1), ==, 0);
    g_assert_cmpint (cs_store_query_int (f->store, "SELECT count(*) FROM metrics", -1), ==,
                     n_metrics_all - n_metrics);
  }

  g_clear_pointer (&list, g_ptr_array_unref);
  list = cs_eval_result_list (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpint (((CsEvalRunInfo *) g_ptr_array_index (list, 0))->run_id, ==, ids[2]);
  g_assert_cmpint (((CsEvalRunInfo *) g_ptr_array_index (list, 1))->run_id, ==, ids[0]);

  gone = cs_eval_result_load (f->store, ids[1], &error);
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND);
  g_assert_null (gone);
  g_clear_error (&error);
  g_assert_false (cs_eval_result_delete (f->store, ids[1], &error));
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND);
  /* A model run is not a comparison and cannot be deleted on its own. */
  g_clear_error (&error);
  g_assert_false (cs_eval_result_delete (f->store, ids[0] + 1, &error));
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND);
}

/* A curve adds means at 1…50 and keeps intervals and tests at the K asked
 * for; those and the curve's means are what runs without a curve give. */
static void
test_curve (Fixture       *f,
            gconstpointer  data)
{
  static const guint expected_ks[] = { 1, 2, 3, 5, 7, 10, 15, 20, 30, 40, 50 };
  CsEvalRequest request = make_request ("temporal", "pop;itemknn:k=20", "7");
  CsEvalRequest plain7 = make_request ("temporal", "pop;itemknn:k=20", "7");
  CsEvalRequest plain30 = make_request ("temporal", "pop;itemknn:k=20", "30");
  g_autoptr(CsEvalResult) result = NULL;
  g_autoptr(CsEvalResult) at7 = NULL;
  g_autoptr(CsEvalResult) at30 = NULL;
  g_autoptr(CsEvalResult) loaded = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;

  insert_random_log (f, 300, 60, 6000);
  request.curve = TRUE;
  result = cs_evaluator_run (f->store, &request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  at7 = cs_evaluator_run (f->store, &plain7, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  at30 = cs_evaluator_run (f->store, &plain30, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  cs_eval_request_clear (&request);
  cs_eval_request_clear (&plain7);
  cs_eval_request_clear (&plain30);

  g_assert_cmpuint (result->n_ks, ==, 1);
  g_assert_cmpuint (result->ks[0], ==, 7);
  g_assert_cmpmem (result->curve_ks, result->n_curve_ks * sizeof (guint), expected_ks, sizeof expected_ks);
  g_assert_cmpuint (at7->n_curve_ks, ==, 0);

  for (guint m = 0; m < 2; m++)
    {
      CsEvalModelResult *model = g_ptr_array_index (result->models, m);
      CsEvalModelResult *model7 = g_ptr_array_index (at7->models, m);
      CsEvalModelResult *model30 = g_ptr_array_index (at30->models, m);
      double previous_recall = 0, previous_hr = 0;

      /* The same numbers at K = 7, the interval too (same seed, same viewers). */
      g_assert_cmpfloat (cs_eval_model_result_get (model, "ndcg@7"), ==, cs_eval_model_result_get (model7, "ndcg@7"));
      g_assert_cmpfloat (cs_eval_model_result_get (model, "ndcg_lo@7"), ==, cs_eval_model_result_get (model7, "ndcg_lo@7"));
      g_assert_cmpfloat (cs_eval_model_result_get (model, "recall_hi@7"), ==, cs_eval_model_result_get (model7, "recall_hi@7"));
      g_assert_cmpfloat (cs_eval_model_result_get (model, "recall@30"), ==, cs_eval_model_result_get (model30, "recall@30"));
      g_assert_cmpfloat (cs_eval_model_result_get (model, "ndcg@30"), ==, cs_eval_model_result_get (model30, "ndcg@30"));
      /* No intervals or tests on the curve. */
      g_assert_true (isnan (cs_eval_model_result_get (model, "ndcg_lo@10")));
      g_assert_true (isnan (cs_eval_model_result_get (model, "ndcg_p@10")));
      if (m == 1)
        g_assert_false (isnan (cs_eval_model_result_get (model, "ndcg_p@7")));

      /* Recall and hit rate can only grow with K; at 50 of 60 clips nearly
       * every held-out clip is in the list. */
      for (guint i = 0; i < G_N_ELEMENTS (expected_ks); i++)
        {
          g_autofree char *recall_key = g_strdup_printf ("recall@%u", expected_ks[i]);
          g_autofree char *hr_key = g_strdup_printf ("hr@%u", expected_ks[i]);
          double recall = cs_eval_model_result_get (model, recall_key);
          double hr = cs_eval_model_result_get (model, hr_key);

          g_assert_cmpfloat (recall, >=, previous_recall);
          g_assert_cmpfloat (hr, >=, previous_hr);
          previous_recall = recall;
          previous_hr = hr;
        }
    }

  /* Read back: the K asked for and the curve apart; the history says K = 7. */
  loaded = cs_eval_result_load (f->store, result->run_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->n_ks, ==, 1);
  g_assert_cmpuint (loaded->ks[0], ==, 7);
  g_assert_cmpmem (loaded->curve_ks, loaded->n_curve_ks * sizeof (guint), expected_ks, sizeof expected_ks);
  g_assert_cmpfloat (cs_eval_model_result_get (g_ptr_array_index (loaded->models, 1), "ndcg@40"), ==,
                     cs_eval_model_result_get (g_ptr_array_index (result->models, 1), "ndcg@40"));
  history = cs_eval_result_list (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (((CsEvalRunInfo *) g_ptr_array_index (history, 2))->k, ==, 7);
}

static void
assert_clips (GPtrArray  *clips,
              const char *expected)
{
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < clips->len; i++)
    g_string_append_printf (ids, "%s%s", i ? " " : "", cs_clip_get_external_id (g_ptr_array_index (clips, i)));
  g_assert_cmpstr (ids->str, ==, expected);
}

/* insert_small_log by hand: viewer "2" trains on c1 (t 100) and c10 (110)
 * and tests on c2. Only clips with a training pair are ranked (RECOMMEND.md
 * "Ranking"): c1 3 viewers, c10 3, c2 2; c3 has none. Of those, "2" has
 * not seen c2 only, so every list is c2, a hit, however long K is. */
static void
test_inspect (Fixture       *f,
              gconstpointer  data)
{
  CsEvalRequest request = make_request ("temporal", "pop;itemknn:k=10", "1");
  g_autoptr(CsEvalResult) result = NULL;
  g_autoptr(CsEvalInspector) inspector = NULL;
  g_autoptr(CsEvalInspection) at1 = NULL;
  g_autoptr(CsEvalInspection) at3 = NULL;
  g_autoptr(CsEvalInspection) none = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *viewers;
  guint n_viewers = 0;

  insert_small_log (f);
  result = cs_evaluator_run (f->store, &request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  cs_eval_request_clear (&request);

  inspector = cs_eval_inspector_new (f->store, result->run_id, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  viewers = cs_eval_inspector_get_test_viewers (inspector, &n_viewers);
  g_assert_cmpuint (n_viewers, ==, 1);
  g_assert_cmpstr (viewers[0], ==, "2");

  /* K = 0: the comparison's K, 1. */
  at1 = cs_eval_inspector_inspect (inspector, f->store, "2", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (at1->k, ==, 1);
  assert_clips (at1->train, "c1 c10");
  assert_clips (at1->test, "c2");
  g_assert_cmpuint (at1->models->len, ==, 2);
  for (guint m = 0; m < 2; m++)
    {
      CsEvalInspectList *list = g_ptr_array_index (at1->models, m);

      g_assert_null (list->error);
      assert_clips (list->clips, "c2");
      g_assert_true (list->hits[0]);
      g_assert_cmpuint (list->n_hits, ==, 1);
      /* What the comparison measured for this one viewer. */
      g_assert_cmpfloat (cs_eval_model_result_get (g_ptr_array_index (result->models, m), "hr@1"), ==, 1.0);
    }
  g_assert_cmpstr (((CsEvalInspectList *) g_ptr_array_index (at1->models, 0))->label, ==, "Popularity");

  /* One candidate, so a list of 3 holds 1. */
  at3 = cs_eval_inspector_inspect (inspector, f->store, "2", 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (at3->k, ==, 3);
  for (guint m = 0; m < 2; m++)
    assert_clips (((CsEvalInspectList *) g_ptr_array_index (at3->models, m))->clips, "c2");

  /* Viewer "3" only liked a clip and watched one too late: not a test viewer. */
  none = cs_eval_inspector_inspect (inspector, f->store, "3", 0, &error);
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA);
  g_assert_null (none);
}

static void
test_parse_ks (void)
{
  g_autofree guint *ks = NULL;
  guint n = 0;
  static const char * const bad[] = { "", " , ", "0", "a", "10,x", "-5", "100001" };

  g_assert_true (cs_eval_parse_ks (" 20,10,10, 5", &ks, &n, NULL));
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (ks[0], ==, 5);
  g_assert_cmpuint (ks[1], ==, 10);
  g_assert_cmpuint (ks[2], ==, 20);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree guint *none = NULL;
      guint n_none = 0;

      g_assert_false (cs_eval_parse_ks (bad[i], &none, &n_none, &error));
      g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  cs_recommender_register ("failing", TEST_TYPE_FAILING);
  cs_recommender_register ("unpopular", TEST_TYPE_UNPOPULAR);

#define ADD(path, func) \
  g_test_add ("/engine/evaluator/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("run-small", test_run_small);
  ADD ("load-back", test_load_back);
  ADD ("deterministic", test_deterministic);
  ADD ("json", test_json);
  ADD ("failed-model", test_failed_model);
  ADD ("kfold", test_kfold);
  ADD ("kfold-run", test_kfold_run);
  ADD ("kfold-too-many-folds", test_kfold_too_many_folds);
  ADD ("no-data", test_no_data);
  ADD ("bad-request", test_bad_request);
  ADD ("cancel", test_cancel);
  ADD ("leave-last-out", test_leave_last_out);
  ADD ("load-interactions", test_load_interactions);
  ADD ("history", test_history);
  ADD ("curve", test_curve);
  ADD ("inspect", test_inspect);
  ADD ("significance", test_significance);
#undef ADD
  g_test_add_func ("/engine/evaluator/parse-ks", test_parse_ks);

  return g_test_run ();
}
