/* cs-clf-naive-bayes.c: multinomial Naive Bayes on non-negative features.
 *
 *   log P(c)     = ln (n_c / n)                     (class prior from training)
 *   log P(j | c) = ln ((N_cj + α) / (N_c + α · F))  N_cj = Σ of feature j over
 *                                                    class c's rows, N_c = Σ_j N_cj,
 *                                                    F = number of features
 *   score(c | x) = log P(c) + Σ_j x_j · log P(j | c), probabilities by softmax.
 * As scikit-learn's MultinomialNB (fit_prior=True); α = "alpha", default 1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cs-classifier.h"

typedef struct
{
  double  alpha;
  double *log_prior;   /* n_classes */
  double *log_prob;    /* n_classes × n_cols */
} NaiveBayes;

static gboolean
nb_fit (CsClassifier  *self,
        const CsCsr   *x,
        const guint   *y,
        GError       **error)
{
  NaiveBayes *nb = self->state;
  guint C = self->n_classes;
  gint32 F = x->n_cols;
  g_autofree double *class_rows = g_new0 (double, C);

  g_free (nb->log_prior);
  g_free (nb->log_prob);
  nb->log_prior = g_new0 (double, C);
  nb->log_prob = g_new0 (double, (gsize) C * MAX (F, 1));

  for (gint32 i = 0; i < x->n_rows; i++)
    {
      double *counts = nb->log_prob + (gsize) y[i] * F;

      class_rows[y[i]] += 1;
      for (gint32 k = x->row_ptr[i]; k < x->row_ptr[i + 1]; k++)
        counts[x->col_idx[k]] += MAX (x->values[k], 0.0f);
    }
  for (guint c = 0; c < C; c++)
    {
      double *row = nb->log_prob + (gsize) c * F;
      double total = 0;

      for (gint32 j = 0; j < F; j++)
        total += row[j];
      for (gint32 j = 0; j < F; j++)
        row[j] = log ((row[j] + nb->alpha) / (total + nb->alpha * F));
      /* A class absent from training gets no prior mass. */
      nb->log_prior[c] = class_rows[c] > 0 ? log (class_rows[c] / x->n_rows) : -INFINITY;
    }
  return TRUE;
}

static gboolean
nb_predict (CsClassifier  *self,
            const CsCsr   *x,
            double        *proba,
            GError       **error)
{
  NaiveBayes *nb = self->state;
  guint C = self->n_classes;

  for (gint32 i = 0; i < x->n_rows; i++)
    {
      double *p = proba + (gsize) i * C;

      for (guint c = 0; c < C; c++)
        {
          const double *row = nb->log_prob + (gsize) c * x->n_cols;
          double s = nb->log_prior[c];

          for (gint32 k = x->row_ptr[i]; k < x->row_ptr[i + 1]; k++)
            s += MAX (x->values[k], 0.0f) * row[x->col_idx[k]];
          p[c] = s;
        }
      cs_classifier_softmax (p, C);
    }
  return TRUE;
}

/* x_j · ln P(j | c) centred over the classes (cs-classifier.h, LOG_PROB):
 * a feature that makes every class equally likely contributes 0. Classes
 * absent from training (prior −∞) are left out of the prior's centring. */
static float *
nb_contributions (CsClassifier  *self,
                  const CsCsr   *x,
                  GError       **error)
{
  NaiveBayes *nb = self->state;
  guint C = self->n_classes, n_prior = 0;
  gint32 F = self->n_cols;
  gsize width = (gsize) F + 1;
  float *out = g_new0 (float, MAX ((gsize) x->n_rows * C * width, 1));
  double mean_prior = 0;

  for (guint c = 0; c < C; c++)
    if (isfinite (nb->log_prior[c]))
      {
        mean_prior += nb->log_prior[c];
        n_prior++;
      }
  mean_prior /= MAX (n_prior, 1);
  for (gint32 i = 0; i < x->n_rows; i++)
    {
      for (gint32 k = x->row_ptr[i]; k < x->row_ptr[i + 1]; k++)
        {
          gint32 j = x->col_idx[k];
          double v = MAX (x->values[k], 0.0f), mean = 0;

          if (j >= F)
            continue;
          for (guint c = 0; c < C; c++)
            mean += nb->log_prob[(gsize) c * F + j] / C;
          for (guint c = 0; c < C; c++)
            out[((gsize) i * C + c) * width + j] = (float) (v * (nb->log_prob[(gsize) c * F + j] - mean));
        }
      for (guint c = 0; c < C; c++)
        out[((gsize) i * C + c) * width + F] = (float) (nb->log_prior[c] - mean_prior);
    }
  return out;
}

static void
nb_finalize (CsClassifier *self)
{
  NaiveBayes *nb = self->state;

  g_free (nb->log_prior);
  g_free (nb->log_prob);
  g_free (nb);
}

static const CsClassifierClass nb_class = {
  nb_fit, nb_predict, nb_contributions, nb_finalize, CS_CONTRIBUTIONS_LOG_PROB,
};

gboolean
_cs_naive_bayes_init (CsClassifier  *self,
                      GError       **error)
{
  static const char * const keys[] = { "alpha", NULL };
  NaiveBayes *nb = g_new0 (NaiveBayes, 1);

  self->klass = &nb_class;
  self->state = nb;
  return cs_classifier_check_keys (self, keys, error) &&
         cs_classifier_get_double (self, "alpha", 1.0, 1e-10, 1e6, &nb->alpha, error);
}
