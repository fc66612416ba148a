/* test-predict-report.c: hand-made Predict comparisons rendered as reports,
 * headless.
 *
 * The PDF must have the pages the result has data for, and its text (read
 * back with pdftotext, from poppler-utils) the target in words, the model
 * names and every figure as the Predict page prints it: "mean ± sd" of the
 * folds set here, worked out by hand below; the chart pages must not be
 * blank where the charts go.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "chart-test-utils.h"
#include "cs-predict-report.h"
#include "cs-report-private.h"
#include "pdf-test-utils.h"

static CsPredictModelResult *
add_model (CsPredictResult *result,
           const char      *name,
           const char      *label)
{
  CsPredictModelResult *model = g_new0 (CsPredictModelResult, 1);

  model->name = g_strdup (name);
  model->label = g_strdup (label);
  model->params = g_strdup ("{}");
  model->status = g_strdup ("done");
  model->n_folds = result->n_folds;
  for (guint k = 0; k < CS_N_PREDICT_METRICS; k++)
    model->mean[k] = model->sd[k] = NAN;
  model->p_vs_best = model->p_vs_baseline = NAN;
  /* Items whose names and points are static, so freeing them is g_free. */
  model->importance = g_ptr_array_new_with_free_func (g_free);
  model->shap = g_ptr_array_new_with_free_func (g_free);
  model->curves = g_ptr_array_new_with_free_func (g_free);
  model->clips = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (result->models, model);
  return model;
}

/* Three folds' values; the mean and sample sd as the engine keeps them. */
static void
set_metric (CsPredictModelResult *model,
            CsPredictMetric       metric,
            double                a,
            double                b,
            double                c)
{
  double mean = (a + b + c) / 3;

  model->folds[metric] = g_new (double, 3);
  model->folds[metric][0] = a;
  model->folds[metric][1] = b;
  model->folds[metric][2] = c;
  model->mean[metric] = mean;
  model->sd[metric] = sqrt (((a - mean) * (a - mean) + (b - mean) * (b - mean) + (c - mean) * (c - mean)) / 2);
}

static void
add_curve (CsPredictModelResult *model,
           CsCurveKind           kind,
           guint                 class_index)
{
  CsPredictCurve *curve = g_new0 (CsPredictCurve, 1);
  static double x[4] = { 0.0, 0.2, 0.6, 1.0 };
  static double y[3][4] = { { 0.0, 0.5, 0.8, 1.0 }, { 0.0, 0.6, 0.8, 1.0 }, { 0.0, 0.7, 0.9, 1.0 } };

  curve->kind = kind;
  curve->class_index = class_index;
  curve->fold = 0;
  curve->n_points = 4;
  curve->x = x;
  curve->y = y[class_index];
  g_ptr_array_add (model->curves, curve);
}

static void
add_importance (CsPredictModelResult *model,
                char                 *name,
                double                mean,
                double                sd)
{
  CsPredictImportance *imp = g_new0 (CsPredictImportance, 1);

  imp->name = name;
  imp->mean = mean;
  imp->sd = sd;
  g_ptr_array_add (model->importance, imp);
}

static CsPredictResult *
new_result (const char *target,
            const char *protocol)
{
  CsPredictResult *result = g_new0 (CsPredictResult, 1);

  result->run_id = 17;
  result->protocol_json = g_strdup (protocol);
  result->target_spec = g_strdup (target);
  result->n_clips = 30;
  result->n_folds = 3;
  result->groups = CS_PREDICT_TEXT | CS_PREDICT_TIME;
  result->n_features = 120;
  result->seed = 7;
  result->models = g_ptr_array_new_with_free_func ((GDestroyNotify) cs_predict_model_result_free);
  return result;
}

/* Views in three classes of ten clips; the majority baseline, logistic
 * regression (the best) and a random forest that failed. */
static CsPredictResult *
make_classes (void)
{
  CsPredictResult *result = new_result ("views:terciles", "{\"name\":\"stratified-kfold\",\"folds\":3}");
  static const char *classes[3] = { "low", "medium", "high" };
  CsPredictModelResult *majority, *logreg, *rf;

  result->n_classes = 3;
  for (guint c = 0; c < 3; c++)
    {
      result->class_names[c] = g_strdup (classes[c]);
      result->class_counts[c] = 10;
    }
  result->thresholds[0] = 50;
  result->thresholds[1] = 120;
  result->best = g_strdup ("logreg");

  majority = add_model (result, "majority", "Majority class");
  set_metric (majority, CS_PM_ACCURACY, 0.3, 0.3, 0.4);
  set_metric (majority, CS_PM_MACRO_F1, 0.15, 0.15, 0.2);
  set_metric (majority, CS_PM_ROC_AUC, 0.5, 0.5, 0.5);
  majority->p_vs_best = 0.0004;
  majority->confusion = g_new0 (guint, 9);

  logreg = add_model (result, "logreg", "Logistic regression");
  set_metric (logreg, CS_PM_ACCURACY, 0.6, 0.7, 0.8);
  set_metric (logreg, CS_PM_MACRO_F1, 0.55, 0.65, 0.75);
  set_metric (logreg, CS_PM_ROC_AUC, 0.7, 0.8, 0.9);
  logreg->p_vs_baseline = 0.0312;
  logreg->wins = 3;
  {
    static const guint confusion[9] = { 7, 2, 1, 2, 6, 2, 0, 2, 8 };

    logreg->confusion = g_memdup2 (confusion, sizeof confusion);
  }
  for (guint c = 0; c < 3; c++)
    {
      add_curve (logreg, CS_CURVE_ROC, c);
      add_curve (logreg, CS_CURVE_PR, c);
      add_curve (logreg, CS_CURVE_CALIBRATION, c);
    }
  add_importance (logreg, (char *) "words", 0.12, 0.03);
  add_importance (logreg, (char *) "hour", 0.05, 0.02);

  rf = add_model (result, "rf", "Random forest");
  g_free (rf->status);
  rf->status = g_strdup ("failed");
  rf->error = g_strdup ("XGBoost could not be loaded");
  return result;
}

/* Page @page's text, runs of spaces as one. */
static char *
page_text (const char *path,
           guint       page)
{
  g_autofree char *text = pdf_text (path, page);
  g_autoptr(GRegex) spaces = g_regex_new ("\\s+", 0, 0, NULL);
  /* pdftotext drops the narrow space after a slash ("3 /0 /0"). */
  g_autoptr(GRegex) slashes = g_regex_new ("\\s*/\\s*", 0, 0, NULL);
  g_autofree char *spaced = g_regex_replace_literal (spaces, text, -1, 0, " ", 0, NULL);

  return g_regex_replace_literal (slashes, spaced, -1, 0, " / ", 0, NULL);
}

static void
assert_has (const char *text,
            const char *needle)
{
  if (strstr (text, needle) == NULL)
    g_error ("the page does not say “%s”:\n%s", needle, text);
}

static void
test_classes (void)
{
  g_autoptr(CsReport) report = cs_predict_report_new (make_classes ());
  g_autoptr(GDateTime) date = g_date_time_new_utc (2026, 11, 28, 12, 0, 0);
  g_autofree char *dir = g_dir_make_tmp ("cs-predict-report-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "predict.pdf", NULL);
  g_autofree char *title = NULL;
  g_autofree char *table = NULL;
  g_autofree char *charts = NULL;
  g_autoptr(GError) error = NULL;

  cs_report_set_project_title (report, "Shop");
  cs_report_set_simulated (report, TRUE);
  cs_report_set_date (report, date);
  g_assert_cmpstr (cs_predict_report_get_detail_model (CS_PREDICT_REPORT (report))->name, ==, "logreg");
  /* Title, the table with the best model class by class, how to read them
   * (too long to share the table's page here), and six charts two a page:
   * macro-F1 and the confusion matrix, ROC and precision–recall,
   * calibration and permutation importance. */
  g_assert_cmpuint (cs_report_get_n_pages (report), ==, 6);
  g_assert_true (cs_report_export (report, path, NULL, &error));
  g_assert_no_error (error);
  if (!pdf_tools_available ())
    goto out;
  g_assert_cmpuint (pdf_pages (path), ==, 6);

  title = page_text (path, 1);
  assert_has (title, "Predict comparison");
  assert_has (title, "Project “Shop” · 28 November 2026 · comparison 17");
  assert_has (title, "Simulated data");
  assert_has (title, "Predicting Views in 3 classes — low (< 50): 10, medium (50 – 120): 10, high (≥ 120): 10; "
                     "stratified 3-fold cross-validation on 30 clips.");
  assert_has (title, "Title, Caption and Hashtags Posting Time");
  assert_has (title, "Seed 7");
  assert_has (title, "Logistic regression (best)");
  assert_has (title, "Random forest (failed)");

  table = page_text (path, 2);
  assert_has (table, "Majority class");
  assert_has (table, "Logistic regression");
  /* Accuracy 0.6, 0.7, 0.8: mean 0.7, sd √((0.01 + 0 + 0.01) / 2) = 0.1. */
  assert_has (table, "0.700 ± 0.100");
  /* 0.3, 0.3, 0.4: mean 0.3333, sd √((0.0011 + 0.0011 + 0.0044) / 2) = 0.0577. */
  assert_has (table, "0.333 ± 0.058");
  /* Macro-F1 0.15, 0.15, 0.2 and 0.55, 0.65, 0.75. */
  assert_has (table, "0.167 ± 0.029");
  assert_has (table, "0.650 ± 0.100");
  assert_has (table, "< 0.001");
  assert_has (table, "0.031");
  assert_has (table, "3 / 0 / 0");
  assert_has (table, "Folds better / same / worse");
  assert_has (table, "Random forest failed: XGBoost could not be loaded");
  /* Under the table, the best model class by class, from its confusion
   * matrix [7 2 1; 2 6 2; 0 2 8]: low precision 7/9, F1 2·7/(10 + 9) =
   * 14/19; high precision 8/11, F1 16/21. */
  assert_has (table, "Class by class: Logistic regression");
  assert_has (table, "0.778");
  assert_has (table, "0.737");
  assert_has (table, "0.727");
  assert_has (table, "0.762");
  g_free (table);

  /* The explanations no longer fit there: a page of their own. */
  table = page_text (path, 3);
  assert_has (table, "Reading the table");
  assert_has (table, "Corrected resampled t-test");
  assert_has (table, "Reading the numbers");

  charts = page_text (path, 4);
  assert_has (charts, "Macro-F1 per model (mean ± sd over folds)");
  assert_has (charts, "Confusion matrix");
  assert_has (charts, "the best model, Logistic regression");
  g_free (charts);
  charts = page_text (path, 6);
  assert_has (charts, "Permutation importance (drop in macro-F1)");
  assert_has (charts, "words");

  /* Both halves of every chart page have a chart in them. */
  for (guint page = 3; page < 6; page++)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) CS_REPORT_PAGE_WIDTH,
                                                             (int) CS_REPORT_PAGE_HEIGHT);
      cairo_t *cr = cairo_create (surface);
      int top = 150, half = (int) (CS_REPORT_CONTENT_BOTTOM - top) / 2;
      int x0 = (int) CS_REPORT_MARGIN_X, x1 = (int) (CS_REPORT_MARGIN_X + CS_REPORT_CONTENT_WIDTH);

      cs_report_render_page (report, cr, page);
      cairo_destroy (cr);
      g_assert_cmpfloat (non_background_share (surface, x0, top, x1, top + half), >, 0.02);
      g_assert_cmpfloat (non_background_share (surface, x0, top + half, x1, 2 * half + top), >, 0.02);
      cairo_surface_destroy (surface);
    }

out:
  g_unlink (path);
  g_rmdir (dir);
}

/* Views as a number (a count: the models learn log(1 + n)). */
static void
test_number (void)
{
  CsPredictResult *result = new_result ("views:value", "{\"name\":\"kfold\",\"folds\":3}");
  g_autoptr(CsReport) report = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-predict-report-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "number.pdf", NULL);
  g_autofree char *title = NULL;
  g_autofree char *table = NULL;
  g_autofree char *charts = NULL;
  g_autoptr(GError) error = NULL;
  CsPredictModelResult *majority, *ridge;

  result->regression = TRUE;
  result->log_target = TRUE;
  result->target_mean = 64.6;
  result->target_median = 57;
  result->best = g_strdup ("logreg");
  majority = add_model (result, "majority", "Training mean");
  set_metric (majority, CS_PM_RMSE_LOG, 1.0, 1.1, 1.2);
  set_metric (majority, CS_PM_MAE, 40, 50, 60);
  ridge = add_model (result, "logreg", "Ridge");
  set_metric (ridge, CS_PM_RMSE_LOG, 0.5, 0.7, 0.9);
  set_metric (ridge, CS_PM_MAE, 20, 25, 30);
  for (guint i = 0; i < 30; i++)
    {
      CsPredictClip *clip = g_new0 (CsPredictClip, 1);

      clip->clip_id = i + 1;
      clip->fold = i % 3;
      clip->truth_value = 10 * i;
      clip->predicted_value = 8 * i + 5;
      g_ptr_array_add (ridge->clips, clip);
    }
  report = cs_predict_report_new (result);

  /* Title, the table, RMSE (log) and the scatter; nothing explained. */
  g_assert_cmpuint (cs_report_get_n_pages (report), ==, 3);
  g_assert_true (cs_report_export (report, path, NULL, &error));
  g_assert_no_error (error);
  if (!pdf_tools_available ())
    goto out;
  g_assert_cmpuint (pdf_pages (path), ==, 3);

  title = page_text (path, 1);
  assert_has (title, "Predicting Views, the number itself (the models learn log(1 + views)");
  assert_has (title, "mean 64.6, median 57; 3-fold cross-validation on 30 clips.");
  table = page_text (path, 2);
  /* RMSE (log) 0.5, 0.7, 0.9: mean 0.7, sd 0.2, to 3 decimals; errors in
   * views between 10 and 100 to one decimal. */
  assert_has (table, "0.700 ± 0.200");
  assert_has (table, "50.0 ± 10.0");
  assert_has (table, "25.0 ± 5.0");
  assert_has (table, "RMSE (log) p vs best");
  charts = page_text (path, 3);
  assert_has (charts, "RMSE (log) per model (mean ± sd over folds)");
  assert_has (charts, "Predicted against true, all test folds");
  assert_has (charts, "True Views, log(1 + n)");

out:
  g_unlink (path);
  g_rmdir (dir);
}

/* One tall PNG: all pages one below the other, at 144 dpi. */
static void
test_png (void)
{
  g_autoptr(CsReport) report = cs_predict_report_new (make_classes ());
  g_autofree char *dir = g_dir_make_tmp ("cs-predict-report-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "predict.png", NULL);
  g_autoptr(GError) error = NULL;
  cairo_surface_t *png;

  g_assert_true (cs_report_export (report, path, NULL, &error));
  g_assert_no_error (error);
  png = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  /* 6 pages of 841.89 pt and 7 gaps of 24 pt, × 2. */
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, (int) ceil ((6 * 841.890 + 7 * 24) * 2));
  cairo_surface_destroy (png);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/predict-report/classes", test_classes);
  g_test_add_func ("/predict-report/number", test_number);
  g_test_add_func ("/predict-report/png", test_png);
  return g_test_run ();
}
