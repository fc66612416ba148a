/* test-predict-metrics.c: classification metrics, curves and the corrected
 * resampled t-test on hand-computed cases (DESIGN §4). The expected values
 * were worked out by hand below and checked with scikit-learn 1.2 and
 * scipy 1.10 (f1_score, precision_score, recall_score,
 * balanced_accuracy_score, roc_auc_score, stats.t.sf).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cs-predict-metrics.h"

#define EPS 1e-12

/* truth 0 0 0 1 1 2, predicted 0 0 1 1 0 0: class 2 is never predicted.
 *   confusion   [2 1 0; 1 1 0; 1 0 0]
 *   recall      2/3, 1/2, 0          precision   2/4, 1/2, 0 (none predicted)
 *   F1          4/7, 1/2, 0
 *   accuracy 3/6, balanced accuracy = macro recall = 7/18,
 *   macro precision 1/3, macro F1 (4/7 + 1/2) / 3 = 5/14. */
static void
test_confusion_metrics (void)
{
  const guint truth[] = { 0, 0, 0, 1, 1, 2 };
  const guint predicted[] = { 0, 0, 1, 1, 0, 0 };
  const guint expected[] = { 2, 1, 0, 1, 1, 0, 1, 0, 0 };
  guint m[9];

  cs_confusion_matrix (truth, predicted, 6, 3, m);
  for (guint i = 0; i < 9; i++)
    g_assert_cmpuint (m[i], ==, expected[i]);
  g_assert_cmpfloat_with_epsilon (cs_metric_accuracy (m, 3), 0.5, EPS);
  g_assert_cmpfloat_with_epsilon (cs_metric_balanced_accuracy (m, 3), 7.0 / 18, EPS);
  g_assert_cmpfloat_with_epsilon (cs_metric_macro_recall (m, 3), 7.0 / 18, EPS);
  g_assert_cmpfloat_with_epsilon (cs_metric_macro_precision (m, 3), 1.0 / 3, EPS);
  g_assert_cmpfloat_with_epsilon (cs_metric_macro_f1 (m, 3), 5.0 / 14, EPS);

  /* Each class on its own (the report's per-class table), with its count
   * in the truth. */
  {
    const double want[3][3] = { { 1.0 / 2, 2.0 / 3, 4.0 / 7 }, { 1.0 / 2, 1.0 / 2, 1.0 / 2 }, { 0, 0, 0 } };
    const guint want_support[3] = { 3, 2, 1 };

    for (guint c = 0; c < 3; c++)
      {
        double precision, recall, f1;

        g_assert_cmpuint (cs_metric_class_scores (m, 3, c, &precision, &recall, &f1), ==, want_support[c]);
        g_assert_cmpfloat_with_epsilon (precision, want[c][0], EPS);
        g_assert_cmpfloat_with_epsilon (recall, want[c][1], EPS);
        g_assert_cmpfloat_with_epsilon (f1, want[c][2], EPS);
      }
  }
}

/* A class absent from both truth and predictions does not count in macro
 * averages; one absent from the truth only does not count in balanced
 * accuracy. truth 0 0 1 1, predicted 0 1 1 2 (of 4 classes):
 *   F1 class 0: P 1, R 1/2 → 2/3; class 1: P 1/2, R 1/2 → 1/2; class 2:
 *   P 0, R 0 → 0; class 3 absent → macro F1 = (2/3 + 1/2 + 0) / 3 = 7/18;
 *   balanced accuracy (1/2 + 1/2) / 2 = 1/2. */
static void
test_absent_classes (void)
{
  const guint truth[] = { 0, 0, 1, 1 };
  const guint predicted[] = { 0, 1, 1, 2 };
  guint m[16];

  cs_confusion_matrix (truth, predicted, 4, 4, m);
  g_assert_cmpfloat_with_epsilon (cs_metric_macro_f1 (m, 4), 7.0 / 18, EPS);
  g_assert_cmpfloat_with_epsilon (cs_metric_balanced_accuracy (m, 4), 0.5, EPS);
}

/* Scores 0.1 (neg), 0.4 (pos), 0.4 (neg), 0.8 (pos): of the 4 positive–
 * negative pairs, 3 are ordered right and one is tied (½): AUC 3.5/4. */
static void
test_auc_ties (void)
{
  const double score[] = { 0.1, 0.4, 0.4, 0.8 };
  const gboolean positive[] = { FALSE, TRUE, FALSE, TRUE };
  const gboolean all_positive[] = { TRUE, TRUE, TRUE, TRUE };
  const double constant[] = { 0.5, 0.5, 0.5, 0.5 };

  g_assert_cmpfloat_with_epsilon (cs_metric_binary_auc (score, positive, 4), 0.875, EPS);
  /* Every score equal: a coin, 0.5. */
  g_assert_cmpfloat_with_epsilon (cs_metric_binary_auc (constant, positive, 4), 0.5, EPS);
  g_assert_true (isnan (cs_metric_binary_auc (score, all_positive, 4)));
}

/* Three classes, one-vs-rest: rows (p0, p1, p2) with truth:
 *   (0.6 0.3 0.1) 0   (0.2 0.5 0.3) 1   (0.3 0.3 0.4) 2   (0.5 0.4 0.1) 1
 * class 0 positives {0.6} vs negatives {0.2, 0.3, 0.5}: 3/3 = 1
 * class 1 positives {0.5, 0.4} vs {0.3, 0.3}: 4/4 = 1
 * class 2 positive {0.4} vs {0.1, 0.3, 0.1}: 1
 * → 1; log loss −(ln 0.6 + ln 0.5 + ln 0.4 + ln 0.4) / 4; predictions
 * 0 1 2 0 → accuracy 3/4. */
static void
test_ovr_and_log_loss (void)
{
  const double proba[] = { 0.6, 0.3, 0.1, 0.2, 0.5, 0.3, 0.3, 0.3, 0.4, 0.5, 0.4, 0.1 };
  const guint truth[] = { 0, 1, 2, 1 };
  const double zero_proba[] = { 0.0, 1.0 };
  const guint zero_truth[] = { 0 };
  double out[CS_N_PREDICT_METRICS];
  guint m[9];

  g_assert_cmpfloat_with_epsilon (cs_metric_roc_auc_ovr (proba, truth, 4, 3), 1.0, EPS);
  g_assert_cmpfloat_with_epsilon (cs_metric_log_loss (proba, truth, 4, 3),
                                  -(log (0.6) + log (0.5) + log (0.4) + log (0.4)) / 4, EPS);
  /* A zero probability for the true class costs −ln 1e-15, not infinity. */
  g_assert_cmpfloat_with_epsilon (cs_metric_log_loss (zero_proba, zero_truth, 1, 2), -log (1e-15), 1e-9);

  cs_classification_metrics (proba, truth, 4, 3, out, m);
  g_assert_cmpfloat_with_epsilon (out[CS_PM_ACCURACY], 0.75, EPS);
  g_assert_cmpuint (m[1 * 3 + 0], ==, 1);  /* the last row: true 1, predicted 0 */
}

/* The same scores as test_auc_ties, as two-class probabilities (column 1):
 * descending 0.8 (pos), 0.4 (pos, neg tied), 0.1 (neg). ROC: (0,0) (0,½)
 * (½,1) (1,1). PR: (0,1) (½,1) (1,⅔) (1,½). Calibration bins: 0.1 → bin 1
 * (0 positives), 0.4 ×2 → bin 4 (½), 0.8 → bin 8 (1). */
static void
test_curves (void)
{
  const double proba[] = { 0.9, 0.1, 0.6, 0.4, 0.6, 0.4, 0.2, 0.8 };
  const guint truth[] = { 0, 1, 0, 1 };
  const double roc_x[] = { 0, 0, 0.5, 1 }, roc_y[] = { 0, 0.5, 1, 1 };
  const double pr_x[] = { 0, 0.5, 1, 1 }, pr_y[] = { 1, 1, 2.0 / 3, 0.5 };
  const double cal_x[] = { 0.1, 0.4, 0.8 }, cal_y[] = { 0, 0.5, 1 };
  double *x, *y;
  guint n;

  n = cs_classification_curve (CS_CURVE_ROC, proba, truth, 4, 2, 1, &x, &y);
  g_assert_cmpuint (n, ==, 4);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpfloat_with_epsilon (x[i], roc_x[i], EPS);
      g_assert_cmpfloat_with_epsilon (y[i], roc_y[i], EPS);
    }
  g_free (x);
  g_free (y);

  n = cs_classification_curve (CS_CURVE_PR, proba, truth, 4, 2, 1, &x, &y);
  g_assert_cmpuint (n, ==, 4);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpfloat_with_epsilon (x[i], pr_x[i], EPS);
      g_assert_cmpfloat_with_epsilon (y[i], pr_y[i], EPS);
    }
  g_free (x);
  g_free (y);

  n = cs_classification_curve (CS_CURVE_CALIBRATION, proba, truth, 4, 2, 1, &x, &y);
  g_assert_cmpuint (n, ==, 3);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpfloat_with_epsilon (x[i], cal_x[i], EPS);
      g_assert_cmpfloat_with_epsilon (y[i], cal_y[i], EPS);
    }
  g_free (x);
  g_free (y);
}

/* a − b = 0.05 0.06 0.04 0.04 0.06: mean 0.05, variance 0.0004 / 4 = 1e-4;
 * with n_test/n_train = 1/4 (5 folds): t = 0.05 / sqrt ((1/5 + 1/4) · 1e-4)
 * = 7.453559925; two-sided p with 4 degrees of freedom 0.0017310057
 * (scipy: 2 * stats.t.sf (t, 4)). */
static void
test_corrected_t_test (void)
{
  const double a[] = { 0.80, 0.82, 0.78, 0.81, 0.79 };
  const double b[] = { 0.75, 0.76, 0.74, 0.77, 0.73 };
  double t, p;

  p = cs_corrected_t_test (a, b, 5, 0.25, &t);
  g_assert_cmpfloat_with_epsilon (t, 0.05 / sqrt (0.45 * 1e-4), 1e-9);
  g_assert_cmpfloat_with_epsilon (p, 0.0017310057262460107, 1e-9);
  /* Symmetric. */
  g_assert_cmpfloat_with_epsilon (cs_corrected_t_test (b, a, 5, 0.25, NULL), p, 1e-12);
  /* The same scores: no difference at all. */
  g_assert_cmpfloat_with_epsilon (cs_corrected_t_test (a, a, 5, 0.25, NULL), 1.0, EPS);
  /* One fold: no test. */
  g_assert_true (isnan (cs_corrected_t_test (a, b, 1, 0.25, NULL)));
  /* t = 0 → p = 1; Student's t with 1 df is Cauchy: P(|T| > 1) = 1/2. */
  g_assert_cmpfloat_with_epsilon (cs_student_t_two_sided_p (0, 3), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (cs_student_t_two_sided_p (1, 1), 0.5, 1e-12);
}

/* truth 1 2 2 4, predicted 2 2 3 3: errors −1 0 −1 1.
 *   MAE 3/4, RMSE sqrt (3/4); mean 9/4, Σ (y − ȳ)² = 19/4, so R² = 1 − 3/(19/4) = 7/19.
 *   Mid-ranks: truth 1 2.5 2.5 4, predicted 1.5 1.5 3.5 3.5; centred on 2.5:
 *   (−1.5 0 0 1.5)·(−1 −1 1 1) = 3, |a|² = 4.5, |b|² = 4: ρ = 3/sqrt (18) = 1/√2.
 *   log1p: |ln 2 − ln 3| + 0 + |ln 3 − ln 4| + |ln 5 − ln 4| = ln (3/2 · 4/3 · 5/4) = ln (5/2).
 * scipy.stats.spearmanr, sklearn's r2_score and mean_absolute_error on log1p
 * give the same (0.70711, 0.36842, 0.22907). */
static void
test_regression_metrics (void)
{
  const double truth[] = { 1, 2, 2, 4 };
  const double predicted[] = { 2, 2, 3, 3 };
  const double mean[] = { 2.25, 2.25, 2.25, 2.25 };
  const double same[] = { 3, 3, 3, 3 };
  double out[CS_N_PREDICT_METRICS];

  g_assert_cmpfloat_with_epsilon (cs_metric_mae (truth, predicted, 4), 0.75, EPS);
  g_assert_cmpfloat_with_epsilon (cs_metric_rmse (truth, predicted, 4), sqrt (0.75), EPS);
  g_assert_cmpfloat_with_epsilon (cs_metric_r2 (truth, predicted, 4), 7.0 / 19, EPS);
  g_assert_cmpfloat_with_epsilon (cs_metric_spearman (truth, predicted, 4), 1 / sqrt (2), EPS);
  /* Predicting the mean scores R² 0; a constant has no rank correlation;
   * a constant truth has no R². */
  g_assert_cmpfloat_with_epsilon (cs_metric_r2 (truth, mean, 4), 0.0, EPS);
  g_assert_true (isnan (cs_metric_spearman (truth, mean, 4)));
  g_assert_true (isnan (cs_metric_r2 (same, predicted, 4)));
  /* Ranks, not values: any increasing map of the predictions keeps ρ. */
  {
    const double cubed[] = { 8, 8, 27, 27 };

    g_assert_cmpfloat_with_epsilon (cs_metric_spearman (truth, cubed, 4), 1 / sqrt (2), EPS);
  }

  cs_regression_metrics (truth, predicted, 4, FALSE, out);
  g_assert_cmpfloat_with_epsilon (out[CS_PM_MAE], 0.75, EPS);
  g_assert_cmpfloat_with_epsilon (out[CS_PM_R2], 7.0 / 19, EPS);
  g_assert_true (isnan (out[CS_PM_MAE_LOG]));
  cs_regression_metrics (truth, predicted, 4, TRUE, out);
  g_assert_cmpfloat_with_epsilon (out[CS_PM_MAE_LOG], log (2.5) / 4, EPS);
  g_assert_cmpfloat_with_epsilon (out[CS_PM_RMSE_LOG],
                                  sqrt ((pow (log (1.5), 2) + pow (log (4.0 / 3), 2) + pow (log (1.25), 2)) / 4),
                                  EPS);
  g_assert_cmpfloat_with_epsilon (out[CS_PM_SPEARMAN], 1 / sqrt (2), EPS);

  /* Which metrics a comparison reports. */
  g_assert_true (cs_predict_metric_applies (CS_PM_MACRO_F1, FALSE, FALSE));
  g_assert_false (cs_predict_metric_applies (CS_PM_RMSE, FALSE, FALSE));
  g_assert_true (cs_predict_metric_applies (CS_PM_FIT_S, TRUE, FALSE));
  g_assert_false (cs_predict_metric_applies (CS_PM_ACCURACY, TRUE, TRUE));
  g_assert_false (cs_predict_metric_applies (CS_PM_RMSE_LOG, TRUE, FALSE));
  g_assert_true (cs_predict_metric_applies (CS_PM_RMSE_LOG, TRUE, TRUE));
  g_assert_false (cs_predict_metric_higher_is_better (CS_PM_RMSE));
  g_assert_true (cs_predict_metric_higher_is_better (CS_PM_R2));
}

/* Table cells as the page shows them (the C locale has no thousands
 * separator). */
static void
test_format (void)
{
  struct { CsPredictMetric m; double mean, sd; const char *text; } cases[] = {
    { CS_PM_MAE, 12415600.4, 3215044.6, "12415600 ± 3215045" },
    { CS_PM_RMSE, 45.678, 3.21, "45.7 ± 3.2" },
    { CS_PM_MAE, 4.5, 0.25, "4.50 ± 0.25" },
    { CS_PM_MAE, 0.5, 0.1, "0.500 ± 0.100" },
    { CS_PM_MAE, -250, NAN, "-250" },
    { CS_PM_R2, 0.12345, NAN, "0.123" },
    { CS_PM_MACRO_F1, 0.4567, 0.0123, "0.457 ± 0.012" },
    { CS_PM_RMSE_LOG, 1.74349, 0.0512, "1.743 ± 0.051" },
    { CS_PM_FIT_S, 123.4567, 2, "123.457 ± 2.000" },
    { CS_PM_MAE, NAN, 1, "—" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = cs_predict_metric_format (cases[i].m, cases[i].mean, cases[i].sd);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/predict-metrics/confusion", test_confusion_metrics);
  g_test_add_func ("/engine/predict-metrics/absent-classes", test_absent_classes);
  g_test_add_func ("/engine/predict-metrics/auc-ties", test_auc_ties);
  g_test_add_func ("/engine/predict-metrics/ovr-log-loss", test_ovr_and_log_loss);
  g_test_add_func ("/engine/predict-metrics/curves", test_curves);
  g_test_add_func ("/engine/predict-metrics/corrected-t-test", test_corrected_t_test);
  g_test_add_func ("/engine/predict-metrics/regression", test_regression_metrics);
  g_test_add_func ("/engine/predict-metrics/format", test_format);
  return g_test_run ();
}
