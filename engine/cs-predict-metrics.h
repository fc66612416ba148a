/* cs-predict-metrics.h: classification metrics, curves and the corrected
 * resampled t-test (DESIGN §4 "Classifiers" and "Comparisons", exactly).
 *
 * With the confusion matrix M (rows = true class, columns = predicted), for
 * class c: TP_c = M[c][c], P_c = Σ_j M[c][j] (true), Q_c = Σ_i M[i][c]
 * (predicted), precision_c = TP_c / Q_c (0 when Q_c = 0), recall_c = TP_c /
 * P_c (0 when P_c = 0), F1_c = 2 · precision_c · recall_c / (precision_c +
 * recall_c) (0 when both are 0). As scikit-learn (zero_division = 0):
 *   accuracy            Σ_c TP_c / n
 *   balanced_accuracy   mean of recall_c over classes with P_c > 0
 *   macro_precision,    mean over the classes present in the truth or in
 *   macro_recall,       the predictions (P_c + Q_c > 0), so a class never
 *   macro_f1            predicted counts with F1 = 0
 *   roc_auc             one-vs-rest, macro: for each class with both
 *                       positives and negatives in the truth, the
 *                       probability that a random positive scores above a
 *                       random negative under p(c), ties counting ½
 *                       (Mann–Whitney with mid-ranks); the mean of those
 *   log_loss            −(1/n) Σ_i ln max (p_i(true class), 1e-15)
 *
 * Curves, one per class (one-vs-rest, score p(c)):
 *   roc          (false positive rate, true positive rate) at every distinct
 *                score, from (0, 0) to (1, 1)
 *   pr           (recall, precision) at every distinct score, from recall 0
 *                (precision 1)
 *   calibration  10 equal bins of p(c) on [0, 1]: (mean p(c), fraction of
 *                positives) of each non-empty bin
 *
 * Regression (a target that is the number itself), with truth y_i, prediction
 * ŷ_i and ȳ the mean of the truth over the n rows:
 *   mae                 (1/n) Σ |y_i − ŷ_i|
 *   rmse                sqrt ((1/n) Σ (y_i − ŷ_i)²)
 *   r2                  1 − Σ (y_i − ŷ_i)² / Σ (y_i − ȳ)² (scikit-learn's
 *                       r2_score): 0 for predicting ȳ, negative for worse;
 *                       NAN when every y_i is the same
 *   spearman            Pearson correlation of the mid-ranks (ties share
 *                       the mean of their ranks) of y and ŷ; NAN when either
 *                       is constant (a baseline that predicts one number)
 *   mae_log, rmse_log,  the same on log1p of both, for counts (views, likes,
 *   r2_log              comments, shares), whose models learn log1p
 *
 * Corrected resampled t-test (Nadeau & Bengio 2003) of two models' scores
 * a_j, b_j over k folds: d_j = a_j − b_j, d̄ their mean, s² their variance
 * (divisor k − 1), t = d̄ / sqrt ((1/k + n_test/n_train) · s²), two-sided p
 * from Student's t with k − 1 degrees of freedom. s² = 0 gives p = 1 when
 * d̄ = 0 and p = 0 otherwise; k < 2 gives NAN.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  CS_PM_ACCURACY,
  CS_PM_BALANCED_ACCURACY,
  CS_PM_MACRO_PRECISION,
  CS_PM_MACRO_RECALL,
  CS_PM_MACRO_F1,
  CS_PM_ROC_AUC,
  CS_PM_LOG_LOSS,
  CS_PM_FIT_S,
  CS_PM_PREDICT_S,
  CS_PM_MAE,
  CS_PM_RMSE,
  CS_PM_R2,
  CS_PM_SPEARMAN,
  CS_PM_MAE_LOG,
  CS_PM_RMSE_LOG,
  CS_PM_R2_LOG,
  CS_N_PREDICT_METRICS
} CsPredictMetric;

/* "accuracy", "balanced_accuracy", "macro_precision", "macro_recall",
 * "macro_f1", "roc_auc", "log_loss", "fit_s", "predict_s", "mae", "rmse",
 * "r2", "spearman", "mae_log", "rmse_log", "r2_log". */
const char *cs_predict_metric_get_name   (CsPredictMetric m);
/* Translated short label for tables. */
const char *cs_predict_metric_get_label  (CsPredictMetric m);
/* Whether a higher value is better (log loss and times: lower). */
gboolean    cs_predict_metric_higher_is_better (CsPredictMetric m);
/* Whether @m is computed for a classification target (@regression FALSE),
 * or for a number (@regression TRUE; the _log ones only when @log_target). */
gboolean    cs_predict_metric_applies  (CsPredictMetric m,
                                        gboolean        regression,
                                        gboolean        log_target);

/* A table cell: "@mean ± @sd" (just the mean when @sd is NAN; "—" when
 * @mean is NAN), both with the same number of decimals so a column reads
 * evenly. Metrics in the target's own units (mae, rmse: views, seconds)
 * get decimals by the mean's size: 0 from 100 up (with the locale's
 * thousands separator: "12,415,600 ± 3,215,044"), 1 from 10, 2 from 1,
 * 3 below; every other metric (fractions, R², ρ, log scale, seconds of
 * fitting) 3 decimals. */
char       *cs_predict_metric_format   (CsPredictMetric m,
                                        double          mean,
                                        double          sd);

/* @out: n_classes × n_classes, rows = true class. */
void        cs_confusion_matrix        (const guint  *truth,
                                        const guint  *predicted,
                                        guint         n,
                                        guint         n_classes,
                                        guint        *out);
/* Class @c's precision_c, recall_c and F1_c as above; returns P_c, the
 * clips truly in it. */
guint       cs_metric_class_scores     (const guint  *confusion,
                                        guint         n_classes,
                                        guint         c,
                                        double       *precision,
                                        double       *recall,
                                        double       *f1);
double      cs_metric_accuracy         (const guint  *confusion,
                                        guint         n_classes);
double      cs_metric_balanced_accuracy (const guint *confusion,
                                        guint         n_classes);
double      cs_metric_macro_precision  (const guint  *confusion,
                                        guint         n_classes);
double      cs_metric_macro_recall     (const guint  *confusion,
                                        guint         n_classes);
double      cs_metric_macro_f1         (const guint  *confusion,
                                        guint         n_classes);
/* Binary AUC of @score against @positive; NAN without both kinds. */
double      cs_metric_binary_auc       (const double *score,
                                        const gboolean *positive,
                                        guint         n);
/* @proba: n × n_classes. */
double      cs_metric_roc_auc_ovr      (const double *proba,
                                        const guint  *truth,
                                        guint         n,
                                        guint         n_classes);
double      cs_metric_log_loss         (const double *proba,
                                        const guint  *truth,
                                        guint         n,
                                        guint         n_classes);
/* Fills out[CS_PM_ACCURACY .. CS_PM_LOG_LOSS] and @confusion (may be NULL). */
void        cs_classification_metrics  (const double *proba,
                                        const guint  *truth,
                                        guint         n,
                                        guint         n_classes,
                                        double       *out,
                                        guint        *confusion);

double      cs_metric_mae              (const double *truth,
                                        const double *predicted,
                                        guint         n);
double      cs_metric_rmse             (const double *truth,
                                        const double *predicted,
                                        guint         n);
double      cs_metric_r2               (const double *truth,
                                        const double *predicted,
                                        guint         n);
double      cs_metric_spearman         (const double *truth,
                                        const double *predicted,
                                        guint         n);
/* Fills out[CS_PM_MAE .. CS_PM_SPEARMAN] from numbers on the original
 * scale, and out[CS_PM_MAE_LOG .. CS_PM_R2_LOG] from their log1p when
 * @log_target (NAN otherwise). */
void        cs_regression_metrics      (const double *truth,
                                        const double *predicted,
                                        guint         n,
                                        gboolean      log_target,
                                        double       *out);

typedef enum
{
  CS_CURVE_ROC,
  CS_CURVE_PR,
  CS_CURVE_CALIBRATION,
  CS_N_CURVES
} CsCurveKind;

/* "roc", "pr", "calibration". */
const char *cs_curve_kind_get_name     (CsCurveKind  kind);
/* One class's curve (one-vs-rest on column @c of @proba); returns the
 * number of points written to the new arrays @x and @y. */
guint       cs_classification_curve    (CsCurveKind   kind,
                                        const double *proba,
                                        const guint  *truth,
                                        guint         n,
                                        guint         n_classes,
                                        guint         c,
                                        double      **x,
                                        double      **y);

/* Returns p; @t_out (nullable) receives t. */
double      cs_corrected_t_test        (const double *a,
                                        const double *b,
                                        guint         k,
                                        double        test_train_ratio,
                                        double       *t_out);
/* Two-sided p of Student's t with @df degrees of freedom. */
double      cs_student_t_two_sided_p   (double        t,
                                        double        df);

G_END_DECLS
