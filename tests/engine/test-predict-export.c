/* test-predict-export.c: a Predict comparison as CSV, checked against text
 * written by hand, for classes and for a number.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "cs-predict-export.h"

/* Models are freed here (the engine's free function is its own). */
static void
free_result (CsPredictResult *result)
{
  for (guint m = 0; m < result->models->len; m++)
    {
      CsPredictModelResult *model = g_ptr_array_index (result->models, m);

      g_free (model->name);
      g_free (model->label);
      g_free (model->status);
      for (guint k = 0; k < CS_N_PREDICT_METRICS; k++)
        g_free (model->folds[k]);
      g_free (model);
    }
  g_ptr_array_set_size (result->models, 0);
  cs_predict_result_free (result);
}

static CsPredictResult *
new_result (gboolean regression,
            gboolean log_target,
            guint    n_folds)
{
  CsPredictResult *result = g_new0 (CsPredictResult, 1);

  result->models = g_ptr_array_new ();
  result->regression = regression;
  result->log_target = log_target;
  result->n_folds = n_folds;
  return result;
}

/* Every metric's folds are @base + fold / 10; mean and sd as given. */
static CsPredictModelResult *
add_model (CsPredictResult *result,
           const char      *name,
           const char      *label,
           const char      *status,
           double           base)
{
  CsPredictModelResult *model = g_new0 (CsPredictModelResult, 1);

  model->name = g_strdup (name);
  model->label = g_strdup (label);
  model->status = g_strdup (status);
  model->n_folds = result->n_folds;
  for (guint k = 0; k < CS_N_PREDICT_METRICS; k++)
    {
      model->folds[k] = g_new (double, result->n_folds);
      for (guint f = 0; f < result->n_folds; f++)
        model->folds[k][f] = base + f / 10.0;
      model->mean[k] = base + 0.05;
      model->sd[k] = 0.25;
    }
  model->p_vs_best = NAN;
  model->p_vs_baseline = NAN;
  g_ptr_array_add (result->models, model);
  return model;
}

static void
test_classes (void)
{
  CsPredictResult *result = new_result (FALSE, FALSE, 2);
  CsPredictModelResult *nb;
  g_autofree char *csv = NULL;
  const char *expected =
    "model,label,metric,mean,sd,fold_1,fold_2\r\n"
    "nb,\"Naive Bayes, \"\"multinomial\"\"\",accuracy,0.55,0.25,0.5,0.6\r\n"
    "nb,\"Naive Bayes, \"\"multinomial\"\"\",balanced_accuracy,0.55,0.25,0.5,0.6\r\n"
    "nb,\"Naive Bayes, \"\"multinomial\"\"\",macro_precision,0.55,0.25,0.5,0.6\r\n"
    "nb,\"Naive Bayes, \"\"multinomial\"\"\",macro_recall,0.55,0.25,0.5,0.6\r\n"
    "nb,\"Naive Bayes, \"\"multinomial\"\"\",macro_f1,0.55,0.25,0.5,0.6\r\n"
    "nb,\"Naive Bayes, \"\"multinomial\"\"\",roc_auc,0.55,0.25,0.5,0.6\r\n"
    "nb,\"Naive Bayes, \"\"multinomial\"\"\",log_loss,0.55,0.25,0.5,0.6\r\n"
    "nb,\"Naive Bayes, \"\"multinomial\"\"\",fit_s,0.55,0.25,0.5,0.6\r\n"
    "nb,\"Naive Bayes, \"\"multinomial\"\"\",predict_s,0.55,0.25,0.5,0.6\r\n"
    "nb,\"Naive Bayes, \"\"multinomial\"\"\",macro_f1_p_vs_best,,,,\r\n"
    "nb,\"Naive Bayes, \"\"multinomial\"\"\",macro_f1_p_vs_baseline,0.031,,,\r\n"
    "nb,\"Naive Bayes, \"\"multinomial\"\"\",macro_f1_wins,2,,,\r\n"
    "nb,\"Naive Bayes, \"\"multinomial\"\"\",macro_f1_ties,0,,,\r\n"
    "nb,\"Naive Bayes, \"\"multinomial\"\"\",macro_f1_losses,0,,,\r\n"
    "rf,Random forest,accuracy,,,,\r\n"
    "rf,Random forest,balanced_accuracy,,,,\r\n"
    "rf,Random forest,macro_precision,,,,\r\n"
    "rf,Random forest,macro_recall,,,,\r\n"
    "rf,Random forest,macro_f1,,,,\r\n"
    "rf,Random forest,roc_auc,,,,\r\n"
    "rf,Random forest,log_loss,,,,\r\n"
    "rf,Random forest,fit_s,,,,\r\n"
    "rf,Random forest,predict_s,,,,\r\n"
    "rf,Random forest,macro_f1_p_vs_best,,,,\r\n"
    "rf,Random forest,macro_f1_p_vs_baseline,,,,\r\n"
    "rf,Random forest,macro_f1_wins,,,,\r\n"
    "rf,Random forest,macro_f1_ties,,,,\r\n"
    "rf,Random forest,macro_f1_losses,,,,\r\n";

  nb = add_model (result, "nb", "Naive Bayes, \"multinomial\"", "done", 0.5);
  nb->p_vs_baseline = 0.031;
  nb->wins = 2;
  add_model (result, "rf", "Random forest", "failed", 0.7);
  csv = cs_predict_result_to_csv (result);
  g_assert_cmpstr (csv, ==, expected);
  free_result (result);
}

/* A count: the number's metrics on both scales, compared on rmse_log; one
 * fold (a time split) has no sd. */
static void
test_number (void)
{
  CsPredictResult *result = new_result (TRUE, TRUE, 1);
  g_autofree char *csv = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-predict-export-XXXXXX", NULL);
  g_autofree char *back = NULL;
  g_autoptr(GError) error = NULL;
  const char *expected =
    "model,label,metric,mean,sd,fold_1\r\n"
    "logreg,Ridge regression,fit_s,0.1,,0.05\r\n"
    "logreg,Ridge regression,predict_s,0.1,,0.05\r\n"
    "logreg,Ridge regression,mae,0.1,,0.05\r\n"
    "logreg,Ridge regression,rmse,0.1,,0.05\r\n"
    "logreg,Ridge regression,r2,0.1,,0.05\r\n"
    "logreg,Ridge regression,spearman,0.1,,0.05\r\n"
    "logreg,Ridge regression,mae_log,0.1,,0.05\r\n"
    "logreg,Ridge regression,rmse_log,0.1,,0.05\r\n"
    "logreg,Ridge regression,r2_log,0.1,,0.05\r\n"
    "logreg,Ridge regression,rmse_log_p_vs_best,,,\r\n"
    "logreg,Ridge regression,rmse_log_p_vs_baseline,,,\r\n"
    "logreg,Ridge regression,rmse_log_wins,1,,\r\n"
    "logreg,Ridge regression,rmse_log_ties,0,,\r\n"
    "logreg,Ridge regression,rmse_log_losses,0,,\r\n";

  add_model (result, "logreg", "Ridge regression", "done", 0.05)->wins = 1;
  csv = cs_predict_result_to_csv (result);
  g_assert_cmpstr (csv, ==, expected);

  path = g_build_filename (dir, "predict.csv", NULL);
  g_assert_true (cs_predict_result_write_csv (result, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &back, NULL, NULL));
  g_assert_cmpstr (back, ==, expected);
  g_unlink (path);
  g_rmdir (dir);
  free_result (result);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/predict-export/classes", test_classes);
  g_test_add_func ("/predict-export/number", test_number);
  return g_test_run ();
}
