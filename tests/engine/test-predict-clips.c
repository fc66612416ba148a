/* test-predict-clips.c: Predict's per-clip out-of-fold predictions, the
 * reasons of a clip's prediction, and scoring clips without statistics.
 *
 * Expected reasons are worked out independently: Naive Bayes's from the
 * class counts by hand, logistic regression's from the optimum of
 * liblinear's objective found by this file's own Newton iteration, ridge
 * regression's predictions and reasons from its optimum in closed form.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cs-classifier.h"
#include "cs-error.h"
#include "cs-predict-reasons.h"
#include "cs-predict-score.h"
#include "cs-predictor.h"
#include "cs-store.h"
#include "cs-test-data.h"

static const CsPredictReason *
reason (GPtrArray *rows,
        guint      row,
        guint      r)
{
  GPtrArray *reasons = g_ptr_array_index (rows, row);

  g_assert_cmpuint (r, <, reasons->len);
  return g_ptr_array_index (reasons, r);
}

/* Counts (2 1 0), (1 0 0) in class 0 and (0 1 2) in class 1, alpha 1:
 *   ln P(j|0) = ln (4/7, 2/7, 1/7), ln P(j|1) = ln (1/6, 2/6, 3/6).
 * x = (1 0 1) is predicted 0 (P = 288/435). Centred over the two classes,
 * feature j pushes class 0 by x_j · (ln P(j|0) − ln P(j|1)) / 2:
 *   column 0: ln (24/7) / 2 = +0.61613, column 2: ln (2/7) / 2 = −0.62638,
 *   column 1 is 0 in x, so it is no reason. Strongest first: 2, then 0. */
static void
test_reasons_naive_bayes (void)
{
  const float train[] = { 2, 1, 0, 1, 0, 0, 0, 1, 2 };
  const float test[] = { 1, 0, 1 };
  const guint y[] = { 0, 0, 1 };
  const guint predicted[] = { 0 };
  g_autoptr(CsCsr) x_train = cs_test_dense_csr (train, 3, 3);
  g_autoptr(CsCsr) x_test = cs_test_dense_csr (test, 1, 3);
  g_autoptr(CsClassifier) nb = NULL;
  g_autoptr(GPtrArray) reasons = NULL;
  g_autoptr(GError) error = NULL;

  nb = cs_classifier_new ("nb", NULL, 2, 0, &error);
  g_assert_no_error (error);
  g_assert_true (cs_classifier_fit (nb, x_train, y, &error));
  g_assert_cmpint (cs_classifier_get_contribution_kind (nb), ==, CS_CONTRIBUTIONS_LOG_PROB);
  reasons = cs_predict_reasons_compute (nb, NULL, x_test, predicted, 3, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (reasons, 0))->len, ==, 2);
  g_assert_cmpstr (reason (reasons, 0, 0)->feature, ==, "column 2");
  g_assert_cmpfloat_with_epsilon (reason (reasons, 0, 0)->contribution, log (2.0 / 7) / 2, 1e-6);
  g_assert_cmpfloat_with_epsilon (reason (reasons, 0, 0)->value, 1.0, 1e-12);
  g_assert_cmpstr (reason (reasons, 0, 1)->feature, ==, "column 0");
  g_assert_cmpfloat_with_epsilon (reason (reasons, 0, 1)->contribution, log (24.0 / 7) / 2, 1e-6);
}

/* liblinear's L2R_LR with bias 1 (regularised like the weights):
 *   min_v ½ vᵀv + C Σ_i ln (1 + exp (−y_i vᵀx̃_i)),  x̃ = (x, 1), y = ±1,
 * solved here by Newton's method: g = v + C Σ (σ(y vᵀx̃) − 1) y x̃,
 * H = I + C Σ σ(1 − σ) x̃ x̃ᵀ. */
static void
newton_logreg (const float  *x,
               const guint  *y,
               guint         n,
               double        C,
               double        v[3])
{
  memset (v, 0, 3 * sizeof (double));
  for (guint it = 0; it < 50; it++)
    {
      double g[3] = { v[0], v[1], v[2] }, h[3][4] = { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };

      for (guint i = 0; i < n; i++)
        {
          double xt[3] = { x[2 * i], x[2 * i + 1], 1 };
          double yi = y[i] == 1 ? 1 : -1;
          double s = 1 / (1 + exp (-yi * (v[0] * xt[0] + v[1] * xt[1] + v[2] * xt[2])));

          for (guint a = 0; a < 3; a++)
            {
              g[a] += C * (s - 1) * yi * xt[a];
              for (guint b = 0; b < 3; b++)
                h[a][b] += C * s * (1 - s) * xt[a] * xt[b];
            }
        }
      /* Solve H d = g by Gaussian elimination (H is positive definite). */
      for (guint a = 0; a < 3; a++)
        h[a][3] = g[a];
      for (guint p = 0; p < 3; p++)
        for (guint r = p + 1; r < 3; r++)
          {
            double f = h[r][p] / h[p][p];

            for (guint c = p; c < 4; c++)
              h[r][c] -= f * h[p][c];
          }
      for (int a = 2; a >= 0; a--)
        {
          double d = h[a][3];

          for (guint c = (guint) a + 1; c < 3; c++)
            d -= h[a][c] * h[c][3];
          h[a][3] = d / h[a][a];
        }
      for (guint a = 0; a < 3; a++)
        v[a] -= h[a][3];
    }
}

/* Reasons of logistic regression are coefficient × value on the decision
 * value of the predicted class (class 1's is vᵀx̃, class 0's −vᵀx̃). */
static void
test_reasons_logreg (void)
{
  const float train[] = { 1, 0, 2, 1, 0, 1, 0, 2, 1, 1, 3, 0, 1, 2, 2, 2 };
  const guint y[] = { 0, 0, 1, 1, 1, 0, 0, 1 };
  const float test[] = { 0.5f, 1.5f, 3, 0.5f };
  g_autoptr(CsCsr) x_train = cs_test_dense_csr (train, 8, 2);
  g_autoptr(CsCsr) x_test = cs_test_dense_csr (test, 2, 2);
  g_autoptr(CsClassifier) clf = NULL;
  g_autoptr(GPtrArray) reasons = NULL;
  g_autoptr(GError) error = NULL;
  guint predicted[2];
  double proba[4], v[3];

  newton_logreg (train, y, 8, 1.0, v);
  clf = cs_classifier_new ("logreg", "tol=1e-10", 2, 0, &error);
  g_assert_no_error (error);
  g_assert_true (cs_classifier_fit (clf, x_train, y, &error));
  g_assert_true (cs_classifier_predict_proba (clf, x_test, proba, &error));
  cs_classifier_argmax (proba, 2, 2, predicted);

  for (guint i = 0; i < 2; i++)
    {
      double x0 = test[2 * i], x1 = test[2 * i + 1];
      double d1 = v[0] * x0 + v[1] * x1 + v[2];

      /* The model agrees with the hand optimum: P(1 | x) = σ(vᵀx̃). */
      g_assert_cmpfloat_with_epsilon (proba[2 * i + 1], 1 / (1 + exp (-d1)), 1e-6);
      g_assert_cmpuint (predicted[i], ==, d1 > 0 ? 1 : 0);
    }
  /* The first row is class 1 (column 1 is large), the second class 0. */
  g_assert_cmpuint (predicted[0], ==, 1);
  g_assert_cmpuint (predicted[1], ==, 0);

  reasons = cs_predict_reasons_compute (clf, NULL, x_test, predicted, 3, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      double sign = predicted[i] == 1 ? 1 : -1;
      double c0 = sign * v[0] * test[2 * i], c1 = sign * v[1] * test[2 * i + 1];
      gboolean first_is_0 = fabs (c0) > fabs (c1);
      const CsPredictReason *a = reason (reasons, i, 0), *b = reason (reasons, i, 1);

      g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (reasons, i))->len, ==, 2);
      g_assert_cmpstr (a->feature, ==, first_is_0 ? "column 0" : "column 1");
      g_assert_cmpfloat_with_epsilon (a->contribution, first_is_0 ? c0 : c1, 1e-5);
      g_assert_cmpfloat_with_epsilon (b->contribution, first_is_0 ? c1 : c0, 1e-5);
    }
  /* Signs a user reads: column 1 pushes row 0 toward class 1, column 0
   * pushes row 1 toward class 0. */
  g_assert_cmpfloat (v[1], >, 0);
  g_assert_cmpfloat (v[0], <, 0);

  /* Only one reason asked for: the strongest. */
  g_clear_pointer (&reasons, g_ptr_array_unref);
  reasons = cs_predict_reasons_compute (clf, NULL, x_test, predicted, 1, NULL, &error);
  g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (reasons, 0))->len, ==, 1);
}

/* A project of 30 clips whose likes follow their title, 3 more without
 * statistics. */
static CsStore *
make_store (char **dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  static const char * const words[] = { "猫咪 日常", "新品 上架 #穿搭#", "教程 分享" };
  CsStore *store;

  *dir = cs_test_make_dir ("cs-test-predict-clips-XXXXXX");
  path = g_build_filename (*dir, "p.clipscope", NULL);
  store = cs_store_open (path, CS_STORE_CREATE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 33; i++)
    {
      g_autofree char *sql = g_strdup_printf (
        "INSERT INTO clips (id, external_id, title, posted_at) VALUES (%u, 'c%u', '%s', %u);",
        i + 1, i, words[i % 3], 1700000000 + i * 3600);

      g_assert_true (cs_store_exec (store, sql, &error));
      if (i >= 30)
        continue;
      g_free (sql);
      sql = g_strdup_printf ("INSERT INTO clip_stats (clip_id, day, views, likes) VALUES (%u, NULL, %u, %u);",
                             i + 1, 100 + i, (i % 3) * 10 + i / 10);
      g_assert_true (cs_store_exec (store, sql, &error));
    }
  return store;
}

static void
remove_store (CsStore    *store,
              const char *dir)
{
  g_object_unref (store);
  cs_test_remove_dir (dir);
}

/* Each model's clips, counted by (truth, predicted), are its confusion
 * matrix; every clip is tested once, its truth is its label, its predicted
 * class the most probable. */
static void
assert_clips_match (const CsPredictResult *result,
                    const guint           *fold_of_row,
                    const gint64          *clip_ids)
{
  guint C = result->n_classes;

  for (guint i = 0; i < result->models->len; i++)
    {
      const CsPredictModelResult *m = g_ptr_array_index (result->models, i);
      guint counts[CS_PREDICT_MAX_CLASSES * CS_PREDICT_MAX_CLASSES] = { 0 };
      guint total = 0;

      g_assert_cmpstr (m->status, ==, "done");
      g_assert_cmpuint (m->clips->len, ==, result->n_clips);
      for (guint k = 0; k < m->clips->len; k++)
        {
          const CsPredictClip *clip = g_ptr_array_index (m->clips, k);
          double sum = 0;

          for (guint c = 0; c < C; c++)
            {
              sum += clip->proba[c];
              g_assert_cmpfloat (clip->proba[c], <=, clip->proba[clip->predicted]);
            }
          /* XGBoost's probabilities are floats. */
          g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-6);
          counts[clip->truth * C + clip->predicted]++;
          if (fold_of_row != NULL)
            {
              g_assert_cmpint (clip->clip_id, ==, clip_ids[k]);
              g_assert_cmpuint (clip->fold, ==, fold_of_row[k]);
            }
          if (g_strcmp0 (m->name, "majority") == 0 || g_strcmp0 (m->name, "rbfsvm") == 0)
            g_assert_cmpuint (clip->reasons->len, ==, 0);
          else
            g_assert_cmpuint (clip->reasons->len, <=, CS_PREDICT_N_REASONS);
        }
      for (guint t = 0; t < C; t++)
        for (guint p = 0; p < C; p++)
          {
            g_autoptr(GPtrArray) cell = cs_predict_model_result_get_cell (m, t, p);

            g_assert_cmpuint (counts[t * C + p], ==, m->confusion[t * C + p]);
            g_assert_cmpuint (cell->len, ==, m->confusion[t * C + p]);
            for (guint k = 1; k < cell->len; k++)
              g_assert_cmpfloat (((CsPredictClip *) cell->pdata[k - 1])->proba[p], >=,
                                 ((CsPredictClip *) cell->pdata[k])->proba[p]);
            total += counts[t * C + p];
          }
      g_assert_cmpuint (total, ==, result->n_clips);
    }
}

static void
test_out_of_fold (void)
{
  g_autofree char *dir = NULL;
  CsStore *store = make_store (&dir);
  g_autoptr(CsPredictResult) result = NULL;
  g_autoptr(CsPredictResult) loaded = NULL;
  g_autoptr(GError) error = NULL;
  CsPredictRequest request = { 0 };
  gint64 ids[30];
  gboolean any_reason = FALSE;

  request.target = g_strdup ("likes:terciles");
  request.groups = CS_PREDICT_TEXT | CS_PREDICT_TIME;
  request.models = g_strdup ("majority;nb;logreg;rbfsvm;gbdt:rounds=5");
  request.protocol = CS_PREDICT_PROTOCOL_KFOLD;
  request.folds = 3;
  request.seed = 7;
  request.explain = TRUE;
  result = cs_predictor_run (store, &request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  cs_predict_request_clear (&request);
  g_assert_cmpuint (result->n_clips, ==, 30);
  for (guint i = 0; i < 30; i++)
    ids[i] = i + 1;
  assert_clips_match (result, result->fold_of_row, ids);
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM predict_clips", 0), ==, 5 * 30);

  /* Reopened, the same predictions and reasons. */
  loaded = cs_predict_result_load (store, result->run_id, &error);
  g_assert_no_error (error);
  g_assert_true (loaded->explained);
  assert_clips_match (loaded, result->fold_of_row, ids);
  for (guint i = 0; i < result->models->len; i++)
    {
      const CsPredictModelResult *a = g_ptr_array_index (result->models, i);
      const CsPredictModelResult *b = g_ptr_array_index (loaded->models, i);

      for (guint k = 0; k < a->clips->len; k++)
        {
          const CsPredictClip *x = g_ptr_array_index (a->clips, k), *y = g_ptr_array_index (b->clips, k);

          g_assert_cmpuint (x->predicted, ==, y->predicted);
          g_assert_cmpfloat_with_epsilon (x->proba[x->predicted], y->proba[y->predicted], 1e-12);
          g_assert_cmpuint (x->reasons->len, ==, y->reasons->len);
          for (guint r = 0; r < x->reasons->len; r++)
            {
              const CsPredictReason *u = g_ptr_array_index (x->reasons, r), *v = g_ptr_array_index (y->reasons, r);

              g_assert_cmpstr (u->feature, ==, v->feature);
              g_assert_cmpfloat_with_epsilon (u->contribution, v->contribution, 1e-12);
              any_reason = TRUE;
            }
        }
    }
  g_assert_true (any_reason);
  remove_store (store, dir);
}

/* Time split: only the newest clips were tested, so only they have one. */
static void
test_out_of_fold_time_split (void)
{
  g_autofree char *dir = NULL;
  CsStore *store = make_store (&dir);
  g_autoptr(CsPredictResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CsPredictRequest request = { 0 };
  const CsPredictModelResult *nb;

  request.target = g_strdup ("likes:terciles");
  request.groups = CS_PREDICT_TEXT;
  request.models = g_strdup ("nb");
  request.protocol = CS_PREDICT_PROTOCOL_TIME_SPLIT;
  request.test_fraction = 0.2;
  result = cs_predictor_run (store, &request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  cs_predict_request_clear (&request);
  nb = g_ptr_array_index (result->models, 0);
  /* ceil (30 · 0.2) = 6 newest: clips 25 .. 30 (posted hourly in id order). */
  g_assert_cmpuint (nb->clips->len, ==, 6);
  for (guint k = 0; k < 6; k++)
    g_assert_cmpint (((CsPredictClip *) g_ptr_array_index (nb->clips, k))->clip_id, ==, 25 + k);
  remove_store (store, dir);
}

static void
test_score (void)
{
  g_autofree char *dir = NULL;
  CsStore *store = make_store (&dir);
  g_autoptr(CsPredictResult) result = NULL;
  g_autoptr(CsPredictScoreResult) scores = NULL;
  g_autoptr(GError) error = NULL;
  CsPredictRequest request = { 0 };
  const gint64 known[] = { 31, 4 }, missing[] = { 99 }, one[] = { 32 };

  /* No comparison yet. */
  scores = cs_predict_score (store, 0, "nb", NULL, 0, 3, NULL, NULL, NULL, &error);
  g_assert_null (scores);
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "run one first"));
  g_clear_error (&error);

  request.target = g_strdup ("likes:terciles");
  request.groups = CS_PREDICT_TEXT | CS_PREDICT_TIME;
  request.models = g_strdup ("majority;nb;logreg");
  request.folds = 3;
  request.seed = 3;
  result = cs_predictor_run (store, &request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  cs_predict_request_clear (&request);

  /* Every clip without statistics, and only those. */
  scores = cs_predict_score (store, result->run_id, "nb", NULL, 0, 3, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scores->scores->len, ==, 3);
  g_assert_cmpuint (scores->n_train, ==, 30);
  for (guint i = 0; i < 3; i++)
    {
      const CsPredictScore *s = g_ptr_array_index (scores->scores, i);
      double sum = 0;

      g_assert_cmpint (s->clip_id, ==, 31 + i);
      g_assert_nonnull (s->title);
      for (guint c = 0; c < scores->n_classes; c++)
        sum += s->proba[c];
      g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-9);
      g_assert_cmpuint (s->reasons->len, >, 0);
    }
  /* Likes follow the title: clip 31 is titled like clips 1, 4, 7 … (i % 3
   * = 0, the fewest likes), clip 33 like the most liked ones. */
  g_assert_cmpstr (scores->class_names[((CsPredictScore *) scores->scores->pdata[0])->predicted], ==, "low");
  g_assert_cmpstr (scores->class_names[((CsPredictScore *) scores->scores->pdata[2])->predicted], ==, "high");
  g_clear_pointer (&scores, cs_predict_score_result_free);

  scores = cs_predict_score (store, result->run_id, "logreg", one, 1, 2, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scores->scores->len, ==, 1);
  g_assert_cmpint (((CsPredictScore *) scores->scores->pdata[0])->clip_id, ==, 32);
  g_assert_cmpuint (((CsPredictScore *) scores->scores->pdata[0])->reasons->len, <=, 2);
  g_clear_pointer (&scores, cs_predict_score_result_free);

  /* Bad input. */
  g_assert_null (cs_predict_score (store, result->run_id, "gbdt", NULL, 0, 3, NULL, NULL, NULL, &error));
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_UNKNOWN_MODEL);
  g_assert_nonnull (strstr (error->message, "majority, nb, logreg"));
  g_clear_error (&error);
  g_assert_null (cs_predict_score (store, result->run_id + 100, "nb", NULL, 0, 3, NULL, NULL, NULL, &error));
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (cs_predict_score (store, result->run_id, "nb", known, 2, 3, NULL, NULL, NULL, &error));
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA);
  g_assert_nonnull (strstr (error->message, "Clip 4"));
  g_clear_error (&error);
  g_assert_null (cs_predict_score (store, result->run_id, "nb", missing, 1, 3, NULL, NULL, NULL, &error));
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Once every clip has statistics, there is nothing to score. */
  g_assert_true (cs_store_exec (store, "INSERT INTO clip_stats (clip_id, day, views, likes) VALUES"
                                       " (31, NULL, 1, 1), (32, NULL, 1, 1), (33, NULL, 1, 1)", &error));
  g_assert_null (cs_predict_score (store, result->run_id, "nb", NULL, 0, 3, NULL, NULL, NULL, &error));
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA);
  g_assert_nonnull (strstr (error->message, "no new clip to score"));
  remove_store (store, dir);
}

/* A project whose clips' numbers are known functions of one content
 * feature, brightness b: 40 clips with statistics, b = 0.1 + 0.8 k / 39
 * (clip ids shuffled against b), avg_watch_s = 5 + 20 b and views =
 * round (expm1 (3 + 4 b)); and 4 clips without statistics, ids 41 .. 44,
 * whose b lies between. */
#define N_LINEAR 40
static const double new_brightness[] = { 0.2345, 0.5, 0.6789, 0.85 };

static double
linear_brightness (guint k)
{
  /* 17 is prime to 40: ids 1 .. 40 visit every k once, out of order. */
  return 0.1 + 0.8 * ((k * 17) % N_LINEAR) / (N_LINEAR - 1.0);
}

static CsStore *
make_linear_store (char **dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  CsStore *store;

  *dir = cs_test_make_dir ("cs-test-predict-number-XXXXXX");
  path = g_build_filename (*dir, "p.clipscope", NULL);
  store = cs_store_open (path, CS_STORE_CREATE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_LINEAR + G_N_ELEMENTS (new_brightness); i++)
    {
      double b = i < N_LINEAR ? linear_brightness (i) : new_brightness[i - N_LINEAR];
      char number[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *sql = g_strdup_printf (
        "INSERT INTO clips (id, external_id, title) VALUES (%u, 'c%u', 'clip %u');"
        "INSERT INTO clip_features (clip_id, name, value) VALUES (%u, 'brightness', %s);",
        i + 1, i, i + 1, i + 1, g_ascii_dtostr (number, sizeof number, b));

      g_assert_true (cs_store_exec (store, sql, &error));
      if (i >= N_LINEAR)
        continue;
      g_free (sql);
      sql = g_strdup_printf ("INSERT INTO clip_stats (clip_id, day, views, avg_watch_s) VALUES (%u, NULL, %.0f, %s);",
                             i + 1, round (expm1 (3 + 4 * b)), g_ascii_dtostr (number, sizeof number, 5 + 20 * b));
      g_assert_true (cs_store_exec (store, sql, &error));
    }
  return store;
}

/* liblinear's ridge (L2R_L2LOSS_SVR, p = 0) on one min–max scaled feature
 * x with its bias feature 1: it minimises ½ (w² + c²) + C Σ (z − w x − c)²
 * over the standardised target z = (y − mean) / sd (population sd), whose
 * optimum solves
 *   (1 + 2C Σx²) w + 2C Σx c = 2C Σxz
 *   2C Σx w + (1 + 2C n) c  = 2C Σz.
 * @y are the training targets on the model scale; @x_new gets the
 * predictions on that scale, @contribution w·x scaled back (× sd). */
static void
expected_ridge (const double *y,
                double        C,
                const double *b_new,
                guint         n_new,
                double       *out,
                double       *contribution)
{
  double lo = INFINITY, hi = -INFINITY, mean = 0, var = 0, sd;
  double sx = 0, sxx = 0, sz = 0, sxz = 0, a11, a12, a22, r1, r2, det, w, c;

  for (guint k = 0; k < N_LINEAR; k++)
    {
      lo = MIN (lo, linear_brightness (k));
      hi = MAX (hi, linear_brightness (k));
      mean += y[k] / N_LINEAR;
    }
  for (guint k = 0; k < N_LINEAR; k++)
    var += (y[k] - mean) * (y[k] - mean) / N_LINEAR;
  sd = sqrt (var);
  for (guint k = 0; k < N_LINEAR; k++)
    {
      double x = (linear_brightness (k) - lo) / (hi - lo), z = (y[k] - mean) / sd;

      sx += x;
      sxx += x * x;
      sz += z;
      sxz += x * z;
    }
  a11 = 1 + 2 * C * sxx;
  a12 = 2 * C * sx;
  a22 = 1 + 2 * C * N_LINEAR;
  r1 = 2 * C * sxz;
  r2 = 2 * C * sz;
  det = a11 * a22 - a12 * a12;
  w = (r1 * a22 - a12 * r2) / det;
  c = (a11 * r2 - a12 * r1) / det;
  for (guint i = 0; i < n_new; i++)
    {
      double x = (b_new[i] - lo) / (hi - lo);

      out[i] = mean + sd * (w * x + c);
      contribution[i] = sd * w * x;
    }
}

static CsPredictResult *
run_number (CsStore    *store,
            const char *target,
            const char *models)
{
  g_autoptr(GError) error = NULL;
  CsPredictRequest request = { 0 };
  CsPredictResult *result;

  request.target = g_strdup (target);
  request.groups = CS_PREDICT_CONTENT;
  request.models = g_strdup (models);
  request.folds = 3;
  request.seed = 11;
  result = cs_predictor_run (store, &request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  cs_predict_request_clear (&request);
  g_assert_true (result->regression);
  return result;
}

static const CsPredictScore *
score_at (const CsPredictScoreResult *scores,
          guint                       i)
{
  const CsPredictScore *s = g_ptr_array_index (scores->scores, i);

  g_assert_cmpint (s->clip_id, ==, N_LINEAR + 1 + i);
  g_assert_true (isnan (s->proba[0]));
  return s;
}

/* Scoring with a comparison of a number: the model, refitted on the 40
 * clips with statistics, predicts the 4 without. */
static void
test_score_number (void)
{
  g_autofree char *dir = NULL;
  CsStore *store = make_linear_store (&dir);
  g_autoptr(CsPredictResult) watch = run_number (store, "avg_watch_s:value", "majority;logreg;gbdt");
  g_autoptr(CsPredictResult) views = run_number (store, "views:value", "majority;logreg:C=100");
  g_autoptr(CsPredictScoreResult) scores = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  const guint n_new = G_N_ELEMENTS (new_brightness);
  double y[N_LINEAR], expected[G_N_ELEMENTS (new_brightness)], contribution[G_N_ELEMENTS (new_brightness)];
  double log_mean = 0;

  /* Average watch time, as it is: ridge with C = 1 is the optimum above. */
  for (guint k = 0; k < N_LINEAR; k++)
    y[k] = 5 + 20 * linear_brightness (k);
  expected_ridge (y, 1.0, new_brightness, n_new, expected, contribution);
  scores = cs_predict_score (store, watch->run_id, "logreg", NULL, 0, 3, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (scores->regression);
  g_assert_false (scores->log_target);
  g_assert_cmpuint (scores->n_classes, ==, 0);
  g_assert_cmpuint (scores->n_train, ==, N_LINEAR);
  g_assert_cmpuint (scores->scores->len, ==, n_new);
  g_assert_nonnull (strstr (scores->reasons_note, "coefficient × feature value"));
  for (guint i = 0; i < n_new; i++)
    {
      const CsPredictScore *s = score_at (scores, i);
      const CsPredictReason *r;

      g_assert_cmpfloat_with_epsilon (s->value, expected[i], 1e-3);
      /* C = 1 shrinks toward the mean (by 0.97 s at b = 0.85), no more. */
      g_assert_cmpfloat_with_epsilon (s->value, 5 + 20 * new_brightness[i], 1.2);
      g_assert_cmpuint (s->reasons->len, ==, 1);
      r = g_ptr_array_index (s->reasons, 0);
      g_assert_cmpstr (r->feature, ==, "brightness");
      g_assert_cmpfloat_with_epsilon (r->contribution, contribution[i], 1e-3);
    }
  g_clear_pointer (&scores, cs_predict_score_result_free);

  /* Boosted trees cut between neighbouring training clips (0.8 / 39 apart in
   * b, 0.41 s of watch time): each prediction is within that of the truth. */
  scores = cs_predict_score (store, watch->run_id, "gbdt", NULL, 0, 3, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (scores->reasons_note, "SHAP"));
  for (guint i = 0; i < n_new; i++)
    {
      const CsPredictScore *s = score_at (scores, i);
      const CsPredictReason *r;

      g_assert_cmpfloat_with_epsilon (s->value, 5 + 20 * new_brightness[i], 0.5);
      g_assert_cmpuint (s->reasons->len, ==, 1);
      r = g_ptr_array_index (s->reasons, 0);
      g_assert_cmpstr (r->feature, ==, "brightness");
      /* Brighter than the middle (b = 0.5) pushes the number up. */
      if (new_brightness[i] > 0.55)
        g_assert_cmpfloat (r->contribution, >, 0);
      else if (new_brightness[i] < 0.45)
        g_assert_cmpfloat (r->contribution, <, 0);
    }
  g_clear_pointer (&scores, cs_predict_score_result_free);

  /* Views, a count: learnt as log1p, predicted back with expm1. With
   * C = 100 (the comparison's setting, carried over) ridge is close to
   * least squares, so within 2 % of expm1 (3 + 4 b). */
  for (guint k = 0; k < N_LINEAR; k++)
    {
      y[k] = log1p (round (expm1 (3 + 4 * linear_brightness (k))));
      log_mean += y[k] / N_LINEAR;
    }
  expected_ridge (y, 100.0, new_brightness, n_new, expected, contribution);
  scores = cs_predict_score (store, views->run_id, "logreg", NULL, 0, 3, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (scores->log_target);
  g_assert_nonnull (strstr (scores->reasons_note, "log(1 + the predicted number)"));
  for (guint i = 0; i < n_new; i++)
    {
      const CsPredictScore *s = score_at (scores, i);
      double truth = expm1 (3 + 4 * new_brightness[i]);

      g_assert_cmpfloat_with_epsilon (s->value / expm1 (expected[i]), 1.0, 1e-3);
      g_assert_cmpfloat_with_epsilon (s->value / truth, 1.0, 0.02);
      g_assert_cmpfloat_with_epsilon (((CsPredictReason *) g_ptr_array_index (s->reasons, 0))->contribution,
                                      contribution[i], 1e-3);
    }
  json = cs_predict_score_result_to_json (scores);
  g_assert_nonnull (strstr (json, "\"regression\":true"));
  g_assert_nonnull (strstr (json, "\"predicted\":"));
  g_assert_null (strstr (json, "\"probabilities\""));
  g_clear_pointer (&scores, cs_predict_score_result_free);

  /* The baseline: expm1 of the mean log1p, the same for every clip, and
   * no reasons. */
  scores = cs_predict_score (store, views->run_id, "majority", NULL, 0, 3, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n_new; i++)
    {
      const CsPredictScore *s = score_at (scores, i);

      g_assert_cmpfloat_with_epsilon (s->value / expm1 (log_mean), 1.0, 1e-9);
      g_assert_cmpuint (s->reasons->len, ==, 0);
    }
  g_assert_nonnull (strstr (scores->reasons_note, "same number for every clip"));
  remove_store (store, dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/predict-clips/reasons-naive-bayes", test_reasons_naive_bayes);
  g_test_add_func ("/engine/predict-clips/reasons-logreg", test_reasons_logreg);
  g_test_add_func ("/engine/predict-clips/out-of-fold", test_out_of_fold);
  g_test_add_func ("/engine/predict-clips/out-of-fold-time-split", test_out_of_fold_time_split);
  g_test_add_func ("/engine/predict-clips/score", test_score);
  g_test_add_func ("/engine/predict-clips/score-number", test_score_number);
  return g_test_run ();
}
