/* cs-predict-metrics.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cs-predict-metrics.h"

#define CALIBRATION_BINS 10
#define LOG_LOSS_EPS 1e-15

static const struct
{
  const char *name;
  const char *label;
  gboolean    higher_is_better;
} metric_info[CS_N_PREDICT_METRICS] = {
  { "accuracy",          N_("Accuracy"),          TRUE },
  { "balanced_accuracy", N_("Balanced accuracy"), TRUE },
  { "macro_precision",   N_("Macro precision"),   TRUE },
  { "macro_recall",      N_("Macro recall"),      TRUE },
  { "macro_f1",          N_("Macro F1"),          TRUE },
  { "roc_auc",           N_("ROC AUC"),           TRUE },
  { "log_loss",          N_("Log loss"),          FALSE },
  { "fit_s",             N_("Fit s"),             FALSE },
  { "predict_s",         N_("Predict s"),         FALSE },
  { "mae",               N_("MAE"),               FALSE },
  { "rmse",              N_("RMSE"),              FALSE },
  { "r2",                N_("R²"),                TRUE },
  { "spearman",          N_("Spearman ρ"),        TRUE },
  { "mae_log",           N_("MAE (log)"),         FALSE },
  { "rmse_log",          N_("RMSE (log)"),        FALSE },
  { "r2_log",            N_("R² (log)"),          TRUE },
};

const char *
cs_predict_metric_get_name (CsPredictMetric m)
{
  g_return_val_if_fail (m < CS_N_PREDICT_METRICS, NULL);
  return metric_info[m].name;
}

const char *
cs_predict_metric_get_label (CsPredictMetric m)
{
  g_return_val_if_fail (m < CS_N_PREDICT_METRICS, NULL);
  return _(metric_info[m].label);
}

gboolean
cs_predict_metric_higher_is_better (CsPredictMetric m)
{
  g_return_val_if_fail (m < CS_N_PREDICT_METRICS, TRUE);
  return metric_info[m].higher_is_better;
}

gboolean
cs_predict_metric_applies (CsPredictMetric m,
                           gboolean        regression,
                           gboolean        log_target)
{
  if (m == CS_PM_FIT_S || m == CS_PM_PREDICT_S)
    return TRUE;
  if (!regression)
    return m < CS_PM_FIT_S;
  if (m >= CS_PM_MAE_LOG)
    return log_target;
  return m >= CS_PM_MAE;
}

char *
cs_predict_metric_format (CsPredictMetric m,
                          double          mean,
                          double          sd)
{
  int decimals = 3;
  gboolean group = FALSE;

  if (isnan (mean))
    return g_strdup ("—");
  if (m == CS_PM_MAE || m == CS_PM_RMSE)
    {
      double size = fabs (mean);

      decimals = size >= 100 ? 0 : size >= 10 ? 1 : size >= 1 ? 2 : 3;
      group = size >= 100;
    }
  if (isnan (sd))
    return group ? g_strdup_printf ("%'.*f", decimals, mean) : g_strdup_printf ("%.*f", decimals, mean);
  return group ? g_strdup_printf ("%'.*f ± %'.*f", decimals, mean, decimals, sd)
               : g_strdup_printf ("%.*f ± %.*f", decimals, mean, decimals, sd);
}

void
cs_confusion_matrix (const guint *truth,
                     const guint *predicted,
                     guint        n,
                     guint        n_classes,
                     guint       *out)
{
  memset (out, 0, (gsize) n_classes * n_classes * sizeof (guint));
  for (guint i = 0; i < n; i++)
    if (truth[i] < n_classes && predicted[i] < n_classes)
      out[truth[i] * n_classes + predicted[i]]++;
}

static guint
row_sum (const guint *m, guint C, guint c)
{
  guint s = 0;

  for (guint j = 0; j < C; j++)
    s += m[c * C + j];
  return s;
}

static guint
col_sum (const guint *m, guint C, guint c)
{
  guint s = 0;

  for (guint i = 0; i < C; i++)
    s += m[i * C + c];
  return s;
}

double
cs_metric_accuracy (const guint *m,
                    guint        C)
{
  guint hits = 0, n = 0;

  for (guint c = 0; c < C; c++)
    {
      hits += m[c * C + c];
      n += row_sum (m, C, c);
    }
  return n > 0 ? (double) hits / n : NAN;
}

double
cs_metric_balanced_accuracy (const guint *m,
                             guint        C)
{
  double sum = 0;
  guint present = 0;

  for (guint c = 0; c < C; c++)
    {
      guint p = row_sum (m, C, c);

      if (p == 0)
        continue;
      sum += (double) m[c * C + c] / p;
      present++;
    }
  return present > 0 ? sum / present : NAN;
}

guint
cs_metric_class_scores (const guint *m,
                        guint        C,
                        guint        c,
                        double      *precision,
                        double      *recall,
                        double      *f1)
{
  guint p = row_sum (m, C, c), q = col_sum (m, C, c), tp = m[c * C + c];
  double pr = q > 0 ? (double) tp / q : 0;
  double re = p > 0 ? (double) tp / p : 0;

  *precision = pr;
  *recall = re;
  *f1 = pr + re > 0 ? 2 * pr * re / (pr + re) : 0;
  return p;
}

/* which: 0 precision, 1 recall, 2 F1. */
static double
macro (const guint *m,
       guint        C,
       int          which)
{
  double sum = 0;
  guint counted = 0;

  for (guint c = 0; c < C; c++)
    {
      double scores[3];

      if (row_sum (m, C, c) + col_sum (m, C, c) == 0)
        continue;
      counted++;
      cs_metric_class_scores (m, C, c, &scores[0], &scores[1], &scores[2]);
      sum += scores[which];
    }
  return counted > 0 ? sum / counted : NAN;
}

double
cs_metric_macro_precision (const guint *m,
                           guint        C)
{
  return macro (m, C, 0);
}

double
cs_metric_macro_recall (const guint *m,
                        guint        C)
{
  return macro (m, C, 1);
}

double
cs_metric_macro_f1 (const guint *m,
                    guint        C)
{
  return macro (m, C, 2);
}

typedef struct
{
  double   score;
  gboolean positive;
} Scored;

static int
compare_score_ascending (const void *a,
                         const void *b)
{
  double x = ((const Scored *) a)->score, y = ((const Scored *) b)->score;

  return (x > y) - (x < y);
}

double
cs_metric_binary_auc (const double   *score,
                      const gboolean *positive,
                      guint           n)
{
  g_autofree Scored *s = g_new (Scored, MAX (n, 1));
  double rank_sum = 0, n_pos = 0, n_neg;
  guint i = 0;

  for (guint k = 0; k < n; k++)
    {
      s[k].score = score[k];
      s[k].positive = positive[k];
      n_pos += positive[k] ? 1 : 0;
    }
  n_neg = n - n_pos;
  if (n_pos == 0 || n_neg == 0)
    return NAN;
  qsort (s, n, sizeof (Scored), compare_score_ascending);
  /* Mid-ranks (1-based) over runs of equal scores. */
  while (i < n)
    {
      guint j = i;
      double mid;

      while (j + 1 < n && s[j + 1].score == s[i].score)
        j++;
      mid = (i + j) / 2.0 + 1.0;
      for (guint k = i; k <= j; k++)
        if (s[k].positive)
          rank_sum += mid;
      i = j + 1;
    }
  return (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg);
}

double
cs_metric_roc_auc_ovr (const double *proba,
                       const guint  *truth,
                       guint         n,
                       guint         C)
{
  g_autofree double *score = g_new (double, MAX (n, 1));
  g_autofree gboolean *positive = g_new (gboolean, MAX (n, 1));
  double sum = 0;
  guint counted = 0;

  for (guint c = 0; c < C; c++)
    {
      double auc;

      for (guint i = 0; i < n; i++)
        {
          score[i] = proba[(gsize) i * C + c];
          positive[i] = truth[i] == c;
        }
      auc = cs_metric_binary_auc (score, positive, n);
      if (isnan (auc))
        continue;
      sum += auc;
      counted++;
    }
  return counted > 0 ? sum / counted : NAN;
}

double
cs_metric_log_loss (const double *proba,
                    const guint  *truth,
                    guint         n,
                    guint         C)
{
  double sum = 0;

  if (n == 0)
    return NAN;
  for (guint i = 0; i < n; i++)
    sum -= log (MAX (proba[(gsize) i * C + truth[i]], LOG_LOSS_EPS));
  return sum / n;
}

void
cs_classification_metrics (const double *proba,
                           const guint  *truth,
                           guint         n,
                           guint         C,
                           double       *out,
                           guint        *confusion)
{
  g_autofree guint *predicted = g_new (guint, MAX (n, 1));
  g_autofree guint *m = g_new (guint, (gsize) C * C);

  for (guint i = 0; i < n; i++)
    {
      const double *p = proba + (gsize) i * C;
      guint best = 0;

      for (guint c = 1; c < C; c++)
        if (p[c] > p[best])
          best = c;
      predicted[i] = best;
    }
  cs_confusion_matrix (truth, predicted, n, C, m);
  out[CS_PM_ACCURACY] = cs_metric_accuracy (m, C);
  out[CS_PM_BALANCED_ACCURACY] = cs_metric_balanced_accuracy (m, C);
  out[CS_PM_MACRO_PRECISION] = cs_metric_macro_precision (m, C);
  out[CS_PM_MACRO_RECALL] = cs_metric_macro_recall (m, C);
  out[CS_PM_MACRO_F1] = cs_metric_macro_f1 (m, C);
  out[CS_PM_ROC_AUC] = cs_metric_roc_auc_ovr (proba, truth, n, C);
  out[CS_PM_LOG_LOSS] = cs_metric_log_loss (proba, truth, n, C);
  if (confusion)
    memcpy (confusion, m, (gsize) C * C * sizeof (guint));
}

/* ---- Curves ------------------------------------------------------------- */

const char *
cs_curve_kind_get_name (CsCurveKind kind)
{
  static const char * const names[] = { "roc", "pr", "calibration" };

  g_return_val_if_fail (kind < CS_N_CURVES, NULL);
  return names[kind];
}

static int
compare_score_descending (const void *a,
                          const void *b)
{
  return -compare_score_ascending (a, b);
}

guint
cs_classification_curve (CsCurveKind   kind,
                         const double *proba,
                         const guint  *truth,
                         guint         n,
                         guint         C,
                         guint         c,
                         double      **x_out,
                         double      **y_out)
{
  g_autofree Scored *s = g_new (Scored, MAX (n, 1));
  GArray *x = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *y = g_array_new (FALSE, FALSE, sizeof (double));
  double n_pos = 0, tp = 0, fp = 0, v;
  guint points;

  for (guint i = 0; i < n; i++)
    {
      s[i].score = proba[(gsize) i * C + c];
      s[i].positive = truth[i] == c;
      n_pos += s[i].positive;
    }

  if (kind == CS_CURVE_CALIBRATION)
    {
      double sum_p[CALIBRATION_BINS] = { 0 }, sum_pos[CALIBRATION_BINS] = { 0 };
      guint count[CALIBRATION_BINS] = { 0 };

      for (guint i = 0; i < n; i++)
        {
          guint b = (guint) CLAMP (floor (s[i].score * CALIBRATION_BINS), 0, CALIBRATION_BINS - 1);

          sum_p[b] += s[i].score;
          sum_pos[b] += s[i].positive;
          count[b]++;
        }
      for (guint b = 0; b < CALIBRATION_BINS; b++)
        if (count[b] > 0)
          {
            v = sum_p[b] / count[b];
            g_array_append_val (x, v);
            v = sum_pos[b] / count[b];
            g_array_append_val (y, v);
          }
    }
  else
    {
      double n_neg = n - n_pos;

      qsort (s, n, sizeof (Scored), compare_score_descending);
      if (kind == CS_CURVE_ROC)
        {
          v = 0;
          g_array_append_val (x, v);
          g_array_append_val (y, v);
        }
      else
        {
          v = 0;
          g_array_append_val (x, v);
          v = 1;
          g_array_append_val (y, v);
        }
      for (guint i = 0; i < n; i++)
        {
          if (s[i].positive)
            tp++;
          else
            fp++;
          if (i + 1 < n && s[i + 1].score == s[i].score)
            continue;
          if (kind == CS_CURVE_ROC)
            {
              v = n_neg > 0 ? fp / n_neg : 0;
              g_array_append_val (x, v);
              v = n_pos > 0 ? tp / n_pos : 0;
              g_array_append_val (y, v);
            }
          else
            {
              v = n_pos > 0 ? tp / n_pos : 0;
              g_array_append_val (x, v);
              v = tp / (tp + fp);
              g_array_append_val (y, v);
            }
        }
    }
  points = x->len;
  *x_out = (double *) (gpointer) g_array_free (x, FALSE);
  *y_out = (double *) (gpointer) g_array_free (y, FALSE);
  return points;
}

/* ---- t-test ------------------------------------------------------------- */

/* Continued fraction of the regularised incomplete beta function I_x(a, b)
 * (modified Lentz), valid for x < (a + 1) / (a + b + 2). */
static double
beta_fraction (double a,
               double b,
               double x)
{
  const double tiny = 1e-300;
  double c = 1, d = 1 - (a + b) * x / (a + 1), h;

  if (fabs (d) < tiny)
    d = tiny;
  d = 1 / d;
  h = d;
  for (int m = 1; m <= 300; m++)
    {
      double m2 = 2.0 * m, num, delta;

      num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
      d = 1 + num * d;
      d = fabs (d) < tiny ? 1 / tiny : 1 / d;
      c = 1 + num / c;
      if (fabs (c) < tiny)
        c = tiny;
      h *= d * c;
      num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
      d = 1 + num * d;
      d = fabs (d) < tiny ? 1 / tiny : 1 / d;
      c = 1 + num / c;
      if (fabs (c) < tiny)
        c = tiny;
      delta = d * c;
      h *= delta;
      if (fabs (delta - 1) < 1e-15)
        break;
    }
  return h;
}

static double
incomplete_beta (double a,
                 double b,
                 double x)
{
  double front;

  if (x <= 0)
    return 0;
  if (x >= 1)
    return 1;
  front = exp (lgamma (a + b) - lgamma (a) - lgamma (b) + a * log (x) + b * log1p (-x));
  if (x < (a + 1) / (a + b + 2))
    return front * beta_fraction (a, b, x) / a;
  return 1 - front * beta_fraction (b, a, 1 - x) / b;
}

double
cs_student_t_two_sided_p (double t,
                          double df)
{
  if (isnan (t) || df <= 0)
    return NAN;
  if (isinf (t))
    return 0;
  return incomplete_beta (df / 2, 0.5, df / (df + t * t));
}

double
cs_corrected_t_test (const double *a,
                     const double *b,
                     guint         k,
                     double        ratio,
                     double       *t_out)
{
  double mean = 0, var = 0, t;

  if (t_out)
    *t_out = NAN;
  if (k < 2)
    return NAN;
  for (guint j = 0; j < k; j++)
    mean += (a[j] - b[j]) / k;
  for (guint j = 0; j < k; j++)
    {
      double d = a[j] - b[j] - mean;

      var += d * d / (k - 1);
    }
  if (var <= 0)
    {
      if (t_out)
        *t_out = mean == 0 ? 0 : copysign (INFINITY, mean);
      return mean == 0 ? 1 : 0;
    }
  t = mean / sqrt ((1.0 / k + ratio) * var);
  if (t_out)
    *t_out = t;
  return cs_student_t_two_sided_p (t, k - 1);
}

/* ---- Regression --------------------------------------------------------- */

double
cs_metric_mae (const double *truth,
               const double *predicted,
               guint         n)
{
  double sum = 0;

  for (guint i = 0; i < n; i++)
    sum += fabs (truth[i] - predicted[i]);
  return n > 0 ? sum / n : NAN;
}

double
cs_metric_rmse (const double *truth,
                const double *predicted,
                guint         n)
{
  double sum = 0;

  for (guint i = 0; i < n; i++)
    sum += (truth[i] - predicted[i]) * (truth[i] - predicted[i]);
  return n > 0 ? sqrt (sum / n) : NAN;
}

double
cs_metric_r2 (const double *truth,
              const double *predicted,
              guint         n)
{
  double mean = 0, ss_res = 0, ss_tot = 0;

  for (guint i = 0; i < n; i++)
    mean += truth[i] / n;
  for (guint i = 0; i < n; i++)
    {
      ss_res += (truth[i] - predicted[i]) * (truth[i] - predicted[i]);
      ss_tot += (truth[i] - mean) * (truth[i] - mean);
    }
  return ss_tot > 0 ? 1.0 - ss_res / ss_tot : NAN;
}

typedef struct
{
  double value;
  guint  index;
} Ranked;

static int
compare_ranked (const void *a,
                const void *b)
{
  double x = ((const Ranked *) a)->value, y = ((const Ranked *) b)->value;

  return (x > y) - (x < y);
}

/* 1-based mid-ranks of @v into @rank. */
static void
mid_ranks (const double *v,
           guint         n,
           double       *rank)
{
  g_autofree Ranked *r = g_new (Ranked, MAX (n, 1));
  guint i = 0;

  for (guint k = 0; k < n; k++)
    r[k] = (Ranked) { v[k], k };
  qsort (r, n, sizeof (Ranked), compare_ranked);
  while (i < n)
    {
      guint j = i;

      while (j + 1 < n && r[j + 1].value == r[i].value)
        j++;
      for (guint k = i; k <= j; k++)
        rank[r[k].index] = (i + j) / 2.0 + 1.0;
      i = j + 1;
    }
}

double
cs_metric_spearman (const double *truth,
                    const double *predicted,
                    guint         n)
{
  g_autofree double *a = g_new (double, MAX (n, 1));
  g_autofree double *b = g_new (double, MAX (n, 1));
  double mean = (n + 1) / 2.0, sab = 0, saa = 0, sbb = 0;

  mid_ranks (truth, n, a);
  mid_ranks (predicted, n, b);
  /* Mid-ranks always average (n + 1) / 2. */
  for (guint i = 0; i < n; i++)
    {
      sab += (a[i] - mean) * (b[i] - mean);
      saa += (a[i] - mean) * (a[i] - mean);
      sbb += (b[i] - mean) * (b[i] - mean);
    }
  return saa > 0 && sbb > 0 ? sab / sqrt (saa * sbb) : NAN;
}

void
cs_regression_metrics (const double *truth,
                       const double *predicted,
                       guint         n,
                       gboolean      log_target,
                       double       *out)
{
  out[CS_PM_MAE] = cs_metric_mae (truth, predicted, n);
  out[CS_PM_RMSE] = cs_metric_rmse (truth, predicted, n);
  out[CS_PM_R2] = cs_metric_r2 (truth, predicted, n);
  out[CS_PM_SPEARMAN] = cs_metric_spearman (truth, predicted, n);
  out[CS_PM_MAE_LOG] = out[CS_PM_RMSE_LOG] = out[CS_PM_R2_LOG] = NAN;
  if (log_target)
    {
      g_autofree double *lt = g_new (double, MAX (n, 1));
      g_autofree double *lp = g_new (double, MAX (n, 1));

      for (guint i = 0; i < n; i++)
        {
          lt[i] = log1p (truth[i]);
          lp[i] = log1p (predicted[i]);
        }
      out[CS_PM_MAE_LOG] = cs_metric_mae (lt, lp, n);
      out[CS_PM_RMSE_LOG] = cs_metric_rmse (lt, lp, n);
      out[CS_PM_R2_LOG] = cs_metric_r2 (lt, lp, n);
    }
}
