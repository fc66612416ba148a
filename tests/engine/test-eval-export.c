/* test-eval-export.c: a comparison as CSV, checked against text written by
 * hand, and its protocol in words.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "cs-eval-export.h"

static void
model_free (gpointer data)
{
  CsEvalModelResult *model = data;

  g_free (model->name);
  g_free (model->label);
  g_free (model->params);
  g_clear_pointer (&model->metrics, g_hash_table_unref);
  g_free (model->status);
  g_free (model->error);
  g_free (model);
}

static CsEvalModelResult *
add_model (CsEvalResult *result,
           const char   *name,
           const char   *label,
           const char   *status,
           double        fit_s,
           double        score_s)
{
  CsEvalModelResult *model = g_new0 (CsEvalModelResult, 1);

  model->name = g_strdup (name);
  model->label = g_strdup (label);
  model->params = g_strdup ("{}");
  model->status = g_strdup (status);
  model->fit_s = fit_s;
  model->score_s = score_s;
  model->metrics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_ptr_array_add (result->models, model);
  return model;
}

static void
set_metric (CsEvalModelResult *model,
            const char        *key,
            double             value)
{
  g_hash_table_replace (model->metrics, g_strdup (key), g_memdup2 (&value, sizeof value));
}

static CsEvalResult *
make_result (const char *protocol_json)
{
  CsEvalResult *result = g_new0 (CsEvalResult, 1);
  CsEvalModelResult *pop, *knn;

  result->run_id = 7;
  result->protocol_json = g_strdup (protocol_json);
  result->models = g_ptr_array_new_with_free_func (model_free);
  result->n_ks = 2;
  result->ks = g_new (guint, 2);
  result->ks[0] = 5;
  result->ks[1] = 10;

  pop = add_model (result, "pop", "Popularity", "done", 0.5, 0.125);
  set_metric (pop, "ndcg@5", 0.1);
  set_metric (pop, "ndcg@10", 0.25);
  set_metric (pop, "recall@5", 1.0 / 3.0);
  set_metric (pop, "recall@10", 0.75);
  /* A label that needs quoting: a comma and quotes. */
  knn = add_model (result, "itemknn", "Item \"KNN\", k=5", "failed", 0.0, 0.0);
  knn->error = g_strdup ("singular");
  return result;
}

static void
test_csv (void)
{
  g_autoptr(CsEvalResult) result = make_result ("{\"name\":\"temporal\",\"train_fraction\":0.8}");
  g_autofree char *csv = cs_eval_result_to_csv (result);
  const char *expected =
    "model,label,metric,k,mean,ci_lo,ci_hi,sd,p_holm\r\n"
    "pop,Popularity,ndcg,5,0.1,,,,\r\n"
    "pop,Popularity,ndcg,10,0.25,,,,\r\n"
    "pop,Popularity,recall,5,0.3333333333333333,,,,\r\n"
    "pop,Popularity,recall,10,0.75,,,,\r\n"
    "pop,Popularity,fit_s,,0.5,,,,\r\n"
    "pop,Popularity,score_s,,0.125,,,,\r\n"
    "itemknn,\"Item \"\"KNN\"\", k=5\",ndcg,5,,,,,\r\n"
    "itemknn,\"Item \"\"KNN\"\", k=5\",ndcg,10,,,,,\r\n"
    "itemknn,\"Item \"\"KNN\"\", k=5\",recall,5,,,,,\r\n"
    "itemknn,\"Item \"\"KNN\"\", k=5\",recall,10,,,,,\r\n"
    "itemknn,\"Item \"\"KNN\"\", k=5\",fit_s,,,,,,\r\n"
    "itemknn,\"Item \"\"KNN\"\", k=5\",score_s,,,,,,\r\n";

  g_assert_cmpstr (csv, ==, expected);
}

/* A k-fold comparison: the interval, the sd over folds and the adjusted p
 * go in their columns, the baseline has no p. */
static void
test_csv_statistics (void)
{
  g_autoptr(CsEvalResult) result = make_result ("{\"name\":\"kfold\",\"folds\":5,\"seed\":1}");
  CsEvalModelResult *pop = g_ptr_array_index (result->models, 0);
  CsEvalModelResult *knn = g_ptr_array_index (result->models, 1);
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;

  set_metric (pop, "ndcg_lo@5", 0.0625);
  set_metric (pop, "ndcg_hi@5", 0.125);
  set_metric (pop, "ndcg_sd@5", 0.5);
  g_free (knn->status);
  knn->status = g_strdup ("done");
  set_metric (knn, "ndcg@5", 0.2);
  set_metric (knn, "ndcg_lo@5", 0.15);
  set_metric (knn, "ndcg_hi@5", 0.25);
  set_metric (knn, "ndcg_sd@5", 0.01);
  set_metric (knn, "ndcg_p_holm@5", 0.003);
  set_metric (knn, "ndcg_p@5", 0.001);  /* not a column: the adjusted one is */
  csv = cs_eval_result_to_csv (result);
  lines = g_strsplit (csv, "\r\n", -1);

  g_assert_cmpstr (lines[1], ==, "pop,Popularity,ndcg,5,0.1,0.0625,0.125,0.5,");
  g_assert_cmpstr (lines[2], ==, "pop,Popularity,ndcg,10,0.25,,,,");
  g_assert_cmpstr (lines[7], ==, "itemknn,\"Item \"\"KNN\"\", k=5\",ndcg,5,0.2,0.15,0.25,0.01,0.003");
  g_assert_cmpstr (lines[11], ==, "itemknn,\"Item \"\"KNN\"\", k=5\",fit_s,,0,,,,");
}

static void
test_csv_write (void)
{
  g_autoptr(CsEvalResult) result = make_result ("{\"name\":\"leave-last-out\"}");
  g_autofree char *dir = g_dir_make_tmp ("cs-eval-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "table.csv", NULL);
  g_autofree char *bad = g_build_filename (dir, "missing", "table.csv", NULL);
  g_autofree char *text = NULL;
  g_autofree char *csv = cs_eval_result_to_csv (result);
  g_autoptr(GError) error = NULL;

  g_assert_true (cs_eval_result_write_csv (result, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, csv);

  g_assert_false (cs_eval_result_write_csv (result, bad, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "table.csv"));

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_words (void)
{
  g_autoptr(CsEvalResult) temporal = make_result ("{\"name\":\"temporal\",\"train_fraction\":0.7,\"positives\":\"watch:0.5\"}");
  g_autoptr(CsEvalResult) llo = make_result ("{\"name\":\"leave-last-out\",\"positives\":\"like\"}");
  g_autoptr(CsEvalResult) broken = make_result ("not json");
  g_autofree char *p1 = cs_eval_result_describe_protocol (temporal);
  g_autofree char *r1 = cs_eval_result_describe_positives (temporal);
  g_autofree char *p2 = cs_eval_result_describe_protocol (llo);
  g_autofree char *r2 = cs_eval_result_describe_positives (llo);
  g_autofree char *p3 = cs_eval_result_describe_protocol (broken);
  g_autofree char *r3 = cs_eval_result_describe_positives (broken);
  g_autofree char *n1 = cs_eval_result_get_protocol_name (temporal);
  g_autofree char *n3 = cs_eval_result_get_protocol_name (broken);

  g_assert_cmpstr (p1, ==, "Temporal split: the oldest 70 % of interactions train, the newest 30 % test");
  g_assert_cmpstr (r1, ==, "A view counts as interest when at least 50 % of the clip was watched");
  g_assert_cmpstr (p2, ==, "Leave last out: each viewer’s latest clip tests, everything before it trains");
  g_assert_cmpstr (r2, ==, "A like counts as interest");
  g_assert_cmpstr (p3, ==, "Unknown protocol");
  g_assert_cmpstr (r3, ==, "Every view counts as interest");
  g_assert_cmpstr (n1, ==, "temporal");
  g_assert_null (n3);

  {
    g_autoptr(CsEvalResult) weighted =
      make_result ("{\"name\":\"temporal\",\"positives\":\"weighted:view=1,like=2.5,share=5\"}");
    g_autofree char *r4 = cs_eval_result_describe_positives (weighted);

    g_autoptr(CsEvalResult) kfold = make_result ("{\"name\":\"kfold\",\"folds\":5,\"seed\":42}");
    g_autoptr(CsEvalResult) random = make_result ("{\"name\":\"random\",\"test_fraction\":0.25,\"seed\":9}");
    g_autofree char *p4 = cs_eval_result_describe_protocol (kfold);
    g_autofree char *p5 = cs_eval_result_describe_protocol (random);

    g_assert_cmpstr (p4, ==, "K-fold by viewer: each viewer’s clips dealt into 5 folds (seed 42), each fold tested "
                             "once while the others train; training interactions are per fold, test interactions "
                             "over all folds");
    g_assert_cmpstr (p5, ==, "Random holdout: a random 25 % of each viewer’s clips test (seed 9), the rest train");
    g_assert_cmpstr (r4, ==, "Weighted interest: view 1, like 2.5, share 5; iALS learns more from heavier "
                             "interest, the other models only see whether there was any");
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/eval-export/csv", test_csv);
  g_test_add_func ("/eval-export/csv-statistics", test_csv_statistics);
  g_test_add_func ("/eval-export/csv-write", test_csv_write);
  g_test_add_func ("/eval-export/words", test_words);

  return g_test_run ();
}
