/* test-predict.c: Predict's text tokens, targets, folds, features, models,
 * bad input and stored runs.
 *
 * Expected tokens of Chinese text come from ICU's word break iterator as
 * PyICU (python3-icu) gives them: BreakIterator.createWordInstance
 * (Locale.getRoot ()), segments with rule status ≥ 100.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "cs-classifier.h"
#include "cs-error.h"
#include "cs-predict-dataset.h"
#include "cs-predict-features.h"
#include "cs-predictor.h"
#include "cs-store.h"
#include "cs-test-data.h"
#include "cs-text-tokens.h"

static void
assert_tokens (const CsTextTokens *t,
               const char * const *expected)
{
  guint n = g_strv_length ((char **) expected);

  for (guint i = 0; i < MIN (n, t->tokens->len); i++)
    g_assert_cmpstr (g_ptr_array_index (t->tokens, i), ==, expected[i]);
  g_assert_cmpuint (t->tokens->len, ==, n);
}

static void
test_tokens_chinese (void)
{
  const char * const expected[] = {
    "今天", "天气", "很好", "我们", "去", "北京", "#春节快乐#", "直播", "间", "见", "#vlog", "#穿搭", NULL,
  };
  g_autoptr(CsTextTokens) t = cs_text_tokens_new ("今天天气很好，我们去北京。#春节快乐# 直播间见 #vlog", "穿搭");

  assert_tokens (t, expected);
  g_assert_cmpuint (t->n_hashtags, ==, 3);
  /* 今天天气很好，我们去北京。 (13) #春节快乐# (6) space 直播间见 space (6) #vlog (5) */
  g_assert_cmpuint (t->n_chars, ==, 30);
  g_assert_cmpuint (t->n_emoji, ==, 0);
}

static void
test_tokens_other_scripts (void)
{
  const char * const expected[] = { "hello", "world", "2020", "#my_topic#", "привет", NULL };
  g_autoptr(CsTextTokens) t = cs_text_tokens_new ("Hello, World 2020! 😀👍 #My Topic# Привет", NULL);
  g_autoptr(CsTextTokens) empty = cs_text_tokens_new ("", NULL);
  g_autoptr(CsTextTokens) none = cs_text_tokens_new (NULL, NULL);
  g_autoptr(CsTextTokens) broken = cs_text_tokens_new ("ab\xff\xfe cd", NULL);

  assert_tokens (t, expected);
  g_assert_cmpuint (t->n_emoji, ==, 2);
  g_assert_cmpuint (empty->tokens->len, ==, 0);
  g_assert_cmpuint (none->tokens->len, ==, 0);
  g_assert_cmpuint (none->n_chars, ==, 0);
  /* Invalid UTF-8 is repaired, the words around it kept. */
  g_assert_cmpuint (broken->tokens->len, >=, 2);
}

/* 9 values 1..9: numpy.quantile gives t1 = 1 + 8/3, t2 = 1 + 16/3; classes
 * low 1 2 3, medium 4 5 6, high 7 8 9. */
static void
test_target_terciles (void)
{
  g_autoptr(CsPredictDataset) ds = cs_predict_dataset_new (10);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 9; i++)
    ds->target[i] = i + 1;
  ds->target[9] = NAN;  /* no value: dropped */
  g_assert_true (cs_predict_dataset_set_target (ds, "views", "terciles", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ds->n_rows, ==, 9);
  g_assert_cmpuint (ds->n_dropped, ==, 1);
  g_assert_cmpfloat_with_epsilon (ds->thresholds[0], 1 + 8.0 / 3, 1e-12);
  g_assert_cmpfloat_with_epsilon (ds->thresholds[1], 1 + 16.0 / 3, 1e-12);
  for (guint i = 0; i < 9; i++)
    g_assert_cmpuint (ds->labels[i], ==, i / 3);
  g_assert_cmpstr (ds->class_names[2], ==, "high");
  g_assert_cmpstr (ds->target_spec, ==, "views:terciles");

  g_assert_true (cs_predict_dataset_set_target (ds, "views", ">=5", &error));
  g_assert_cmpuint (ds->n_classes, ==, 2);
  g_assert_cmpuint (ds->labels[3], ==, 0);
  g_assert_cmpuint (ds->labels[4], ==, 1);
  g_assert_cmpstr (ds->class_names[1], ==, ">=5");
}

static void
test_target_bad (void)
{
  g_autoptr(CsPredictDataset) same = cs_predict_dataset_new (6);
  g_autoptr(CsPredictDataset) ties = cs_predict_dataset_new (6);
  g_autoptr(CsPredictDataset) ok = cs_predict_dataset_new (6);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 6; i++)
    {
      same->target[i] = 7;
      ties->target[i] = i < 5 ? 0 : 10;  /* terciles 0 and 0: no "medium" clip */
      ok->target[i] = i;
    }
  g_assert_false (cs_predict_dataset_set_target (same, "likes", "terciles", &error));
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA);
  g_assert_nonnull (strstr (error->message, "same"));
  g_clear_error (&error);

  g_assert_false (cs_predict_dataset_set_target (ties, "likes", "terciles", &error));
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA);
  g_assert_nonnull (strstr (error->message, "choose thresholds"));
  g_clear_error (&error);

  g_assert_false (cs_predict_dataset_set_target (ok, "likes", "5,2", &error));
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM);
  g_clear_error (&error);
  g_assert_false (cs_predict_dataset_set_target (ok, "likes", ">=x", &error));
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM);
}

/* 30 / 15 / 9 rows of three classes in 3 folds: every fold holds exactly
 * 10 / 5 / 3, the same seed gives the same folds, another seed others. */
static void
test_stratified_folds (void)
{
  const char * const names[] = { "low", "medium", "high" };
  guint labels[54], a[54], b[54], c[54];
  guint counts[3][3] = { { 0 } };
  gboolean differ = FALSE;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 54; i++)
    labels[i] = i < 30 ? 0 : i < 45 ? 1 : 2;
  g_assert_true (cs_predict_stratified_folds (labels, 54, 3, names, 3, 7, a, &error));
  g_assert_true (cs_predict_stratified_folds (labels, 54, 3, names, 3, 7, b, &error));
  g_assert_true (cs_predict_stratified_folds (labels, 54, 3, names, 3, 8, c, &error));
  for (guint i = 0; i < 54; i++)
    {
      g_assert_cmpuint (a[i], <, 3);
      counts[a[i]][labels[i]]++;
      g_assert_cmpuint (a[i], ==, b[i]);
      differ |= a[i] != c[i];
    }
  g_assert_true (differ);
  for (guint f = 0; f < 3; f++)
    {
      g_assert_cmpuint (counts[f][0], ==, 10);
      g_assert_cmpuint (counts[f][1], ==, 5);
      g_assert_cmpuint (counts[f][2], ==, 3);
    }
}

static void
test_folds_bad (void)
{
  const char * const names[] = { "low", "high" };
  const guint one_member[] = { 0, 0, 0, 0, 0, 0, 1 };
  guint folds[7];
  g_autoptr(GError) error = NULL;

  g_assert_false (cs_predict_stratified_folds (one_member, 7, 2, names, 5, 0, folds, &error));
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA);
  g_assert_nonnull (strstr (error->message, "“high” has only 1 clip,"));
  g_assert_nonnull (strstr (error->message, "fewer than the 5 folds"));
  g_clear_error (&error);

  g_assert_false (cs_predict_stratified_folds (one_member, 3, 2, names, 5, 0, folds, &error));
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA);
  g_assert_nonnull (strstr (error->message, "Only 3 clips"));
}

/* The TF-IDF of a tiny corpus, by hand. Training docs "a b", "a c", "a b":
 * terms (df ≥ 2): "a" (df 3), "a b" (df 2), "b" (df 2); idf = ln (4/(1+df))
 * + 1: a 1, b and "a b" ln (4/3) + 1. Row "a b": (1, w, w) / sqrt (1 + 2w²). */
static void
test_tfidf (void)
{
  g_autoptr(CsPredictDataset) ds = cs_predict_dataset_new (3);
  g_autoptr(CsPredictFeatures) features = NULL;
  g_autoptr(CsCsr) x = NULL;
  g_autoptr(GError) error = NULL;
  const guint rows[] = { 0, 1, 2 };
  double w = log (4.0 / 3) + 1, norm = sqrt (1 + 2 * w * w);

  cs_predict_dataset_set_text (ds, 0, "a b", NULL);
  cs_predict_dataset_set_text (ds, 1, "a c", NULL);
  cs_predict_dataset_set_text (ds, 2, "a b", NULL);
  features = cs_predict_features_fit (ds, CS_PREDICT_TEXT, rows, 3, &error);
  g_assert_no_error (error);
  /* 3 terms + characters, emoji, hashtags */
  g_assert_cmpint (cs_predict_features_get_n_cols (features), ==, 6);
  g_assert_cmpstr (cs_predict_features_get_name (features, 0), ==, "a");
  g_assert_cmpstr (cs_predict_features_get_name (features, 1), ==, "a b");
  g_assert_cmpstr (cs_predict_features_get_name (features, 2), ==, "b");
  x = cs_predict_features_transform (features, ds, rows, 3);
  g_assert_cmpint (x->row_ptr[1], ==, 3);  /* all three characters equal: scaled column 0 */
  g_assert_cmpfloat_with_epsilon (x->values[0], 1 / norm, 1e-6);
  g_assert_cmpfloat_with_epsilon (x->values[1], w / norm, 1e-6);
  g_assert_cmpfloat_with_epsilon (x->values[2], w / norm, 1e-6);
  /* "a c": only "a" is known → (1) */
  g_assert_cmpint (x->row_ptr[2] - x->row_ptr[1], ==, 1);
  g_assert_cmpfloat_with_epsilon (x->values[3], 1.0, 1e-6);
}

static void
test_features_bad (void)
{
  g_autoptr(CsPredictDataset) ds = cs_predict_dataset_new (3);
  g_autoptr(GError) error = NULL;
  const guint rows[] = { 0, 1, 2 };
  CsPredictFeatures *features;

  for (guint i = 0; i < 3; i++)
    cs_predict_dataset_set_text (ds, i, i == 1 ? "。！" : "", NULL);
  features = cs_predict_features_fit (ds, CS_PREDICT_TEXT, rows, 3, &error);
  g_assert_null (features);
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA);
  g_assert_nonnull (strstr (error->message, "leave the text features out"));
  g_clear_error (&error);

  features = cs_predict_features_fit (ds, CS_PREDICT_TIME, rows, 3, &error);
  g_assert_null (features);
  g_assert_nonnull (strstr (error->message, "posting time"));
  g_clear_error (&error);

  features = cs_predict_features_fit (ds, CS_PREDICT_CONTENT, rows, 3, &error);
  g_assert_null (features);
  g_assert_nonnull (strstr (error->message, "content features"));
}

/* Counts (2 1 0), (1 0 0) in class 0 and (0 1 2) in class 1, alpha 1:
 *   P(j|0) = (3+1, 1+1, 0+1) / (4+3) = 4/7 2/7 1/7, prior 2/3
 *   P(j|1) = (0+1, 1+1, 2+1) / (3+3) = 1/6 2/6 3/6, prior 1/3
 * x = (1 0 1): 2/3 · 4/7 · 1/7 = 8/147 against 1/3 · 1/6 · 3/6 = 1/36,
 * so P(0|x) = (8/147) / (8/147 + 1/36) = 288/435. */
static void
test_naive_bayes (void)
{
  const float train[] = { 2, 1, 0, 1, 0, 0, 0, 1, 2 };
  const float test[] = { 1, 0, 1 };
  const guint y[] = { 0, 0, 1 };
  g_autoptr(CsCsr) x_train = cs_test_dense_csr (train, 3, 3);
  g_autoptr(CsCsr) x_test = cs_test_dense_csr (test, 1, 3);
  g_autoptr(CsClassifier) nb = NULL;
  g_autoptr(GError) error = NULL;
  double proba[2];

  nb = cs_classifier_new ("nb", NULL, 2, 0, &error);
  g_assert_no_error (error);
  g_assert_true (cs_classifier_fit (nb, x_train, y, &error));
  g_assert_true (cs_classifier_predict_proba (nb, x_test, proba, &error));
  g_assert_cmpfloat_with_epsilon (proba[0], 288.0 / 435, 1e-12);
  g_assert_cmpfloat_with_epsilon (proba[1], 147.0 / 435, 1e-12);
}

/* Every model on a separable problem: class = which of three columns is
 * large. Each must get the training-like test rows right, with
 * probabilities that sum to 1, and repeat exactly with the same seed. */
static void
test_models_separable (void)
{
  const char * const specs[] = {
    "majority", "nb", "logreg", "linsvm", "rbfsvm", "rf:trees=20", "gbdt:rounds=20",
  };
  float train[60 * 3], test[6 * 3];
  guint y[60], y_test[6];

  for (guint i = 0; i < 60; i++)
    {
      y[i] = i % 3;
      for (guint j = 0; j < 3; j++)
        train[i * 3 + j] = (j == y[i] ? 1.0f : 0.1f) + 0.01f * (i % 7);
    }
  for (guint i = 0; i < 6; i++)
    {
      y_test[i] = i % 3;
      for (guint j = 0; j < 3; j++)
        test[i * 3 + j] = j == y_test[i] ? 1.02f : 0.12f;
    }

  for (guint s = 0; s < G_N_ELEMENTS (specs); s++)
    {
      g_auto(GStrv) parts = g_strsplit (specs[s], ":", 2);
      g_autoptr(CsCsr) x_train = cs_test_dense_csr (train, 60, 3);
      g_autoptr(CsCsr) x_test = cs_test_dense_csr (test, 6, 3);
      g_autoptr(CsClassifier) model = NULL;
      g_autoptr(CsClassifier) again = NULL;
      g_autoptr(GError) error = NULL;
      double proba[18], proba2[18];
      guint predicted[6];

      model = cs_classifier_new (parts[0], parts[1], 3, 42, &error);
      g_assert_no_error (error);
      g_assert_true (cs_classifier_fit (model, x_train, y, &error));
      g_assert_true (cs_classifier_predict_proba (model, x_test, proba, &error));
      again = cs_classifier_new (parts[0], parts[1], 3, 42, &error);
      g_assert_true (cs_classifier_fit (again, x_train, y, &error));
      g_assert_true (cs_classifier_predict_proba (again, x_test, proba2, &error));
      g_assert_no_error (error);
      g_test_message ("%s", specs[s]);
      cs_classifier_argmax (proba, 6, 3, predicted);
      for (guint i = 0; i < 6; i++)
        {
          double sum = proba[i * 3] + proba[i * 3 + 1] + proba[i * 3 + 2];

          g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-5);
          if (g_strcmp0 (parts[0], "majority") == 0)
            g_assert_cmpfloat_with_epsilon (proba[i * 3], 1.0 / 3, 1e-12);
          else
            g_assert_cmpuint (predicted[i], ==, y_test[i]);
        }
      for (guint k = 0; k < 18; k++)
        g_assert_cmpfloat (proba[k], ==, proba2[k]);
    }
}

/* The RBF SVM's kernel matrix (computed once, handed to libsvm as a
 * precomputed kernel) must give the model libsvm's own kernel gives: the
 * same probabilities and the same regression outputs, on sparse rows
 * (some of them empty). */
static void
test_rbf_svm_kernel_matrix (void)
{
  const guint n = 150, n_test = 40, n_cols = 30;
  g_autofree float *train = g_new0 (float, n * n_cols);
  g_autofree float *test = g_new0 (float, n_test * n_cols);
  g_autofree guint *y = g_new (guint, n);
  g_autofree double *values = g_new (double, n);
  GRand *rand = g_rand_new_with_seed (11);

  for (guint i = 0; i < n + n_test; i++)
    {
      gboolean is_test = i >= n;
      guint cls = i % 3, row = is_test ? i - n : i;
      float *out = is_test ? test + row * n_cols : train + row * n_cols;

      for (guint j = 0; j < n_cols; j++)
        if (g_rand_double (rand) < 0.25 || (j % 3 == cls && g_rand_double (rand) < 0.5))
          out[j] = (float) g_rand_double_range (rand, 0.1, 2.0);
      if (!is_test)
        {
          y[i] = cls;
          values[i] = out[0] + 2.0 * out[1] - out[2] + 0.1 * cls;
        }
      if (!is_test && i < 3)
        memset (out, 0, n_cols * sizeof (float));  /* empty rows too */
    }
  g_rand_free (rand);

  for (guint regression = 0; regression < 2; regression++)
    {
      g_autoptr(CsCsr) x_train = cs_test_dense_csr (train, n, n_cols);
      g_autoptr(CsCsr) x_test = cs_test_dense_csr (test, n_test, n_cols);
      guint n_out = regression ? 1 : 3, agree = 0;
      g_autofree double *matrix = g_new (double, n_test * n_out);
      g_autofree double *direct = g_new (double, n_test * n_out);
      g_autoptr(CsClassifier) with_matrix = NULL;
      g_autoptr(CsClassifier) without = NULL;
      g_autoptr(GError) error = NULL;

      with_matrix = cs_classifier_new ("rbfsvm", "C=3", regression ? CS_CLASSIFIER_REGRESSION : 3, 7, &error);
      without = cs_classifier_new ("rbfsvm", "C=3,gram_mb=0", regression ? CS_CLASSIFIER_REGRESSION : 3, 7, &error);
      g_assert_no_error (error);
      if (regression)
        {
          g_assert_true (cs_classifier_fit_values (with_matrix, x_train, values, &error));
          g_assert_true (cs_classifier_fit_values (without, x_train, values, &error));
          g_assert_true (cs_classifier_predict_values (with_matrix, x_test, matrix, &error));
          g_assert_true (cs_classifier_predict_values (without, x_test, direct, &error));
        }
      else
        {
          g_assert_true (cs_classifier_fit (with_matrix, x_train, y, &error));
          g_assert_true (cs_classifier_fit (without, x_train, y, &error));
          g_assert_true (cs_classifier_predict_proba (with_matrix, x_test, matrix, &error));
          g_assert_true (cs_classifier_predict_proba (without, x_test, direct, &error));
        }
      g_assert_no_error (error);
      for (guint k = 0; k < n_test * n_out; k++)
        {
          g_assert_cmpfloat_with_epsilon (matrix[k], direct[k], 1e-9);
          agree += matrix[k] == direct[k];
        }
      /* Not constant outputs: the classes were learnt. */
      if (!regression)
        {
          guint predicted[40], right = 0;

          cs_classifier_argmax (matrix, n_test, 3, predicted);
          for (guint i = 0; i < n_test; i++)
            right += predicted[i] == (n + i) % 3;
          g_assert_cmpuint (right, >=, n_test / 2);
        }
      g_test_message ("%s: %u of %u outputs equal to the bit", regression ? "SVR" : "SVC",
                      agree, n_test * n_out);
    }
}

static void
test_model_settings_bad (void)
{
  g_autoptr(GError) error = NULL;
  CsClassifier *model;
  GPtrArray *specs;

  model = cs_classifier_new ("logreg", "C=abc", 3, 0, &error);
  g_assert_null (model);
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM);
  g_clear_error (&error);
  model = cs_classifier_new ("rf", "depth=3,leaves=9", 3, 0, &error);
  g_assert_null (model);
  g_assert_nonnull (strstr (error->message, "leaves"));
  g_clear_error (&error);
  specs = cs_classifier_parse_specs ("nb;forest", &error);
  g_assert_null (specs);
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_UNKNOWN_MODEL);
  g_clear_error (&error);

  specs = cs_classifier_parse_specs ("logreg:C=1;rbfsvm:C=10,gamma=scale;rf:trees=200;gbdt:rounds=200,depth=6,eta=0.1",
                                     &error);
  g_assert_no_error (error);
  g_assert_cmpuint (specs->len, ==, 4);
  g_assert_cmpstr (((CsModelSpec *) g_ptr_array_index (specs, 3))->params, ==, "rounds=200,depth=6,eta=0.1");
  g_ptr_array_unref (specs);
}

/* 30 clips with a title and lifetime statistics: likes follow the title. */
static void
add_clips (CsStore *store)
{
  static const char * const words[] = { "猫咪 日常", "新品 上架 #穿搭#", "教程 分享" };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *sql = g_strdup_printf (
        "INSERT INTO clips (id, external_id, title, posted_at) VALUES (%u, 'c%u', '%s', %u);"
        "INSERT INTO clip_stats (clip_id, day, views, likes) VALUES (%u, NULL, %u, %u);",
        i + 1, i, words[i % 3], 1700000000 + i * 3600, i + 1, 100 + i, (i % 3) * 10 + i / 10);

      g_assert_true (cs_store_exec (store, sql, &error));
      g_assert_no_error (error);
    }
}

/* Text and time, 3 folds, seed 1, explained. */
static CsPredictResult *
run_project (CsStore    *store,
             const char *target,
             const char *models,
             GError    **error)
{
  CsPredictRequest request = {
    .target = g_strdup (target), .groups = CS_PREDICT_TEXT | CS_PREDICT_TIME, .models = g_strdup (models),
    .protocol = CS_PREDICT_PROTOCOL_KFOLD, .folds = 3, .seed = 1, .explain = TRUE,
  };
  CsPredictResult *result = cs_predictor_run (store, &request, NULL, NULL, NULL, error);

  cs_predict_request_clear (&request);
  return result;
}

static void
remove_project (const char *dir,
                const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
}

/* A project with 30 clips: run majority and NB over 3 folds and check what
 * the store holds — the same shape as a recommender comparison. */
static void
test_store_run (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-test-predict-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "p.clipscope", NULL);
  g_autoptr(CsStore) store = cs_store_open (path, CS_STORE_CREATE, &error);
  g_autoptr(CsPredictResult) result = NULL;
  CsPredictRequest request = { 0 };

  g_assert_no_error (error);
  add_clips (store);
  result = run_project (store, "likes:terciles", "majority;nb", &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpint (result->run_id, >, 0);
  g_assert_cmpuint (result->n_clips, ==, 30);
  g_assert_cmpstr (result->best, ==, "nb");

  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM runs WHERE task = 'predict' AND parent_id IS NULL", 0), ==, 1);
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM runs WHERE task = 'predict' AND parent_id IS NOT NULL", 0), ==, 2);
  /* 9 metrics × (3 folds + mean + sd) + 2 p-values per model */
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM metrics", 0), ==, 2 * (9 * 5 + 2));
  /* 3 kinds × 3 classes × 3 folds per model */
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM curves", 0), ==, 2 * 27);
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM curves WHERE name = 'roc:high' AND fold = 2", 0), ==, 2);
  /* Words carry the class here (likes follow the title), so NB beats the baseline on every fold. */
  g_assert_cmpuint (((CsPredictModelResult *) g_ptr_array_index (result->models, 1))->wins, ==, 3);
  g_assert_cmpuint (((CsPredictModelResult *) g_ptr_array_index (result->models, 1))->importance->len, >, 0);

  /* Reopened from the store, it is the same comparison, curves included. */
  {
    g_autoptr(CsPredictResult) loaded = cs_predict_result_load (store, result->run_id, &error);
    g_autofree char *json = cs_predict_result_to_json (result);
    g_autofree char *loaded_json = NULL;
    CsPredictModelResult *nb;

    g_assert_no_error (error);
    g_assert_cmpint (cs_predict_result_latest_id (store), ==, result->run_id);
    loaded_json = cs_predict_result_to_json (loaded);
    g_assert_cmpstr (loaded_json, ==, json);
    nb = g_ptr_array_index (loaded->models, 1);
    g_assert_cmpuint (nb->curves->len, ==, 27);
    g_assert_null (cs_predict_result_load (store, result->run_id + 1, &error));
    g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* Too many folds for the data: a message, and nothing stored. */
  request.target = g_strdup ("likes:terciles");
  request.groups = CS_PREDICT_TEXT;
  request.models = g_strdup ("nb");
  request.folds = 20;
  g_clear_pointer (&result, cs_predict_result_free);
  result = cs_predictor_run (store, &request, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA);
  g_assert_nonnull (strstr (error->message, "fewer than the 20 folds"));
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM runs", 0), ==, 3);
  cs_predict_request_clear (&request);

  g_clear_object (&store);
  remove_project (dir, path);
}

static const CsPredictModelResult *
model_named (const CsPredictResult *result,
             const char            *name)
{
  const CsPredictModelResult *m = cs_predict_result_find_model (result, name);

  g_assert_nonnull (m);
  return m;
}

/* 60 clips whose target is 10 + 2 × duration (durations 1..60 in a shuffled
 * order, orientation unrelated): ridge regression and boosted trees find
 * the line, the training mean cannot (R² ≤ 0 on every fold: a constant c
 * scores −n (ȳ − c)² / Σ (y − ȳ)²), and Naive Bayes is refused with a
 * message while the others run. */
static void
test_regression (void)
{
  g_autoptr(CsPredictDataset) ds = cs_predict_dataset_new (60);
  g_autoptr(CsPredictResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CsPredictRequest request = { 0 };
  const CsPredictModelResult *mean, *nb, *ridge, *gbdt;
  const CsPredictReason *reason = NULL;

  for (guint i = 0; i < 60; i++)
    {
      ds->clip_ids[i] = i + 1;
      ds->duration_s[i] = (i * 37) % 60 + 1;
      ds->orientation[i] = (gint) (i % 3);
      ds->target[i] = 10 + 2 * ds->duration_s[i];
    }
  g_assert_true (cs_predict_dataset_set_target (ds, "avg_watch_s", "value", &error));
  g_assert_no_error (error);
  g_assert_true (ds->regression);
  g_assert_false (ds->log_target);
  g_assert_null (ds->labels);
  g_assert_cmpstr (ds->target_spec, ==, "avg_watch_s:value");

  request.groups = CS_PREDICT_DURATION;
  request.models = g_strdup ("majority;nb;logreg:C=100;gbdt");
  request.protocol = CS_PREDICT_PROTOCOL_KFOLD;
  request.folds = 5;
  request.seed = 3;
  request.explain = TRUE;
  result = cs_predictor_run_dataset (ds, &request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (result->regression);
  g_assert_cmpuint (result->n_classes, ==, 0);
  /* Mean of 10 + 2·(1..60) = 10 + 61; median the same (symmetric). */
  g_assert_cmpfloat_with_epsilon (result->target_mean, 71, 1e-9);
  g_assert_cmpfloat_with_epsilon (result->target_median, 71, 1e-9);
  g_assert_cmpint (cs_predict_result_get_primary_metric (result), ==, CS_PM_RMSE);

  mean = model_named (result, "majority");
  nb = model_named (result, "nb");
  ridge = model_named (result, "logreg");
  gbdt = model_named (result, "gbdt");
  g_assert_cmpstr (mean->label, ==, "Training mean");
  g_assert_cmpstr (ridge->label, ==, "Ridge regression (C=100)");

  g_assert_cmpstr (nb->status, ==, "failed");
  g_assert_nonnull (strstr (nb->error, "Naive Bayes predicts classes, not a number"));

  for (guint f = 0; f < 5; f++)
    {
      g_assert_cmpfloat (mean->folds[CS_PM_R2][f], <=, 0);
      g_assert_true (isnan (mean->folds[CS_PM_SPEARMAN][f]));
    }
  g_assert_cmpfloat (ridge->mean[CS_PM_R2], >, 0.99);
  g_assert_cmpfloat (ridge->mean[CS_PM_SPEARMAN], >, 0.99);
  g_assert_cmpfloat (gbdt->mean[CS_PM_R2], >, 0.95);
  g_assert_true (isnan (ridge->mean[CS_PM_ACCURACY]));
  g_assert_true (g_strcmp0 (result->best, "logreg") == 0 || g_strcmp0 (result->best, "gbdt") == 0);
  /* Lower RMSE on every fold: 5 wins, and a clear t-test. */
  g_assert_cmpuint (ridge->wins, ==, 5);
  g_assert_cmpfloat (ridge->p_vs_baseline, <, 0.01);

  /* Out of fold: the baseline predicts the mean of the other folds' targets. */
  g_assert_cmpuint (mean->clips->len, ==, 60);
  for (guint i = 0; i < mean->clips->len; i++)
    {
      const CsPredictClip *clip = g_ptr_array_index (mean->clips, i);
      double sum = 0;
      guint n = 0;

      for (guint r = 0; r < 60; r++)
        if (result->fold_of_row[r] != clip->fold)
          {
            sum += ds->target[r];
            n++;
          }
      g_assert_cmpfloat_with_epsilon (clip->truth_value, ds->target[clip->clip_id - 1], 1e-12);
      g_assert_cmpfloat_with_epsilon (clip->predicted_value, sum / n, 1e-9);
    }
  for (guint i = 0; i < ridge->clips->len; i++)
    {
      const CsPredictClip *clip = g_ptr_array_index (ridge->clips, i);

      g_assert_cmpfloat (fabs (clip->predicted_value - clip->truth_value), <, 8);
    }

  /* Duration is what matters: its permutation raises RMSE the most, and it
   * is each clip's first reason. */
  g_assert_cmpstr (((CsPredictImportance *) g_ptr_array_index (ridge->importance, 0))->name, ==, "duration_s");
  g_assert_cmpfloat (((CsPredictImportance *) g_ptr_array_index (ridge->importance, 0))->mean, >, 10);
  g_assert_cmpuint (gbdt->shap->len, >, 0);
  g_assert_cmpstr (((CsPredictImportance *) g_ptr_array_index (gbdt->shap, 0))->name, ==, "duration_s");
  for (guint i = 0; i < ridge->clips->len; i++)
    {
      const CsPredictClip *clip = g_ptr_array_index (ridge->clips, i);

      /* The longest clip (duration scaled to 1; the shortest's is 0, absent). */
      if (clip->truth_value != 130)
        continue;
      reason = g_ptr_array_index (clip->reasons, 0);
      g_assert_cmpstr (reason->feature, ==, "duration_s");
      g_assert_cmpfloat (reason->contribution, >, 0);
    }
  cs_predict_request_clear (&request);

  /* Views are a count: the models learn log1p (views); metrics come on both
   * scales, and predictions are counts again (≥ 0). views = e^(1 + d/10) − 1. */
  for (guint i = 0; i < ds->n_rows; i++)
    ds->target[i] = round (expm1 (1 + ds->duration_s[i] / 10));
  g_assert_true (cs_predict_dataset_set_target (ds, "views", "value", &error));
  g_assert_true (ds->log_target);
  request.groups = CS_PREDICT_DURATION;
  request.models = g_strdup ("majority;logreg:C=100");
  request.protocol = CS_PREDICT_PROTOCOL_KFOLD;
  request.folds = 5;
  request.seed = 3;
  g_clear_pointer (&result, cs_predict_result_free);
  result = cs_predictor_run_dataset (ds, &request, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (result->log_target);
  g_assert_cmpint (cs_predict_result_get_primary_metric (result), ==, CS_PM_RMSE_LOG);
  ridge = model_named (result, "logreg");
  g_assert_cmpfloat (ridge->mean[CS_PM_R2_LOG], >, 0.99);
  g_assert_cmpfloat (ridge->mean[CS_PM_SPEARMAN], >, 0.99);
  for (guint i = 0; i < ridge->clips->len; i++)
    {
      const CsPredictClip *clip = g_ptr_array_index (ridge->clips, i);

      g_assert_cmpfloat (clip->predicted_value, >=, 0);
      g_assert_cmpfloat (fabs (log1p (clip->predicted_value) - log1p (clip->truth_value)), <, 0.3);
    }
  cs_predict_request_clear (&request);
}

/* A number target stored and reopened: the same comparison, per-clip
 * numbers included, and only the regression metrics in the store. */
static void
test_regression_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-test-predict-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "p.clipscope", NULL);
  g_autoptr(CsStore) store = cs_store_open (path, CS_STORE_CREATE, &error);
  g_autoptr(CsPredictResult) result = NULL;
  g_autoptr(CsPredictResult) loaded = NULL;
  g_autofree char *json = NULL;
  g_autofree char *loaded_json = NULL;

  g_assert_no_error (error);
  add_clips (store);
  result = run_project (store, "likes:value", "majority;logreg", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->protocol_json, ==, "{\"name\":\"kfold\",\"folds\":3,\"seed\":1}");
  /* (4 + 3 log + 2 times) metrics × (3 folds + mean + sd) + 2 p-values, per model */
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM metrics", 0), ==, 2 * (9 * 5 + 2));
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM curves", 0), ==, 0);
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM predict_clips", 0), ==, 60);
  /* The true number is the clip's likes. */
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM predict_clips p JOIN clip_stats s"
                                              " ON s.clip_id = p.clip_id WHERE p.truth = s.likes", 0), ==, 60);

  loaded = cs_predict_result_load (store, result->run_id, &error);
  g_assert_no_error (error);
  g_assert_true (loaded->regression && loaded->log_target);
  g_assert_cmpuint (loaded->n_folds, ==, 3);
  json = cs_predict_result_to_json (result);
  loaded_json = cs_predict_result_to_json (loaded);
  g_assert_cmpstr (loaded_json, ==, json);

  g_clear_object (&store);
  remove_project (dir, path);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/predict/tokens-chinese", test_tokens_chinese);
  g_test_add_func ("/engine/predict/tokens-other-scripts", test_tokens_other_scripts);
  g_test_add_func ("/engine/predict/target-terciles", test_target_terciles);
  g_test_add_func ("/engine/predict/target-bad", test_target_bad);
  g_test_add_func ("/engine/predict/stratified-folds", test_stratified_folds);
  g_test_add_func ("/engine/predict/folds-bad", test_folds_bad);
  g_test_add_func ("/engine/predict/tfidf", test_tfidf);
  g_test_add_func ("/engine/predict/features-bad", test_features_bad);
  g_test_add_func ("/engine/predict/naive-bayes", test_naive_bayes);
  g_test_add_func ("/engine/predict/models-separable", test_models_separable);
  g_test_add_func ("/engine/predict/rbf-svm-kernel-matrix", test_rbf_svm_kernel_matrix);
  g_test_add_func ("/engine/predict/model-settings-bad", test_model_settings_bad);
  g_test_add_func ("/engine/predict/store-run", test_store_run);
  g_test_add_func ("/engine/predict/regression", test_regression);
  g_test_add_func ("/engine/predict/regression-store", test_regression_store);
  return g_test_run ();
}
