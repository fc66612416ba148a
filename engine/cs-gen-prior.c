/* cs-gen-prior.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <lapacke.h>
#include <math.h>
#include <string.h>

#include "cs-gen-prior.h"
#include "cs-nn-rng.h"

CsGenPrior *
cs_gen_prior_new (int k,
                  int dim)
{
  CsGenPrior *prior = g_new0 (CsGenPrior, 1);

  prior->k = k;
  prior->dim = dim;
  prior->weights = g_new0 (float, k);
  prior->means = g_new0 (float, (gsize) k * dim);
  prior->chol = g_new0 (float, (gsize) k * dim * dim);
  return prior;
}

void
cs_gen_prior_free (CsGenPrior *prior)
{
  if (prior == NULL)
    return;
  g_free (prior->weights);
  g_free (prior->means);
  g_free (prior->chol);
  g_free (prior);
}

static double
distance2 (const double *a,
           const double *b,
           int           dim)
{
  double s = 0;

  for (int j = 0; j < dim; j++)
    s += (a[j] - b[j]) * (a[j] - b[j]);
  return s;
}

/* k-means++ seeds, then Lloyd: the cluster of every point in @assign. */
static void
kmeans (const double *x,
        int           n,
        int           dim,
        int           k,
        guint64       seed,
        int          *assign)
{
  g_autofree double *centres = g_new (double, (gsize) k * dim);
  g_autofree double *d2 = g_new (double, n);
  g_autofree double *sums = g_new (double, (gsize) k * dim);
  g_autofree int *counts = g_new (int, k);
  CsNnRng rng;

  cs_nn_rng_init (&rng, seed);
  memcpy (centres, x + (gsize) cs_nn_rng_below (&rng, (guint32) n) * dim, dim * sizeof (double));
  for (int i = 0; i < n; i++)
    d2[i] = distance2 (x + (gsize) i * dim, centres, dim);
  for (int c = 1; c < k; c++)
    {
      double total = 0, pick;
      int chosen = n - 1;

      for (int i = 0; i < n; i++)
        total += d2[i];
      pick = cs_nn_rng_uniform (&rng) * total;
      for (int i = 0; i < n; i++)
        {
          pick -= d2[i];
          if (pick < 0)
            {
              chosen = i;
              break;
            }
        }
      memcpy (centres + (gsize) c * dim, x + (gsize) chosen * dim, dim * sizeof (double));
      for (int i = 0; i < n; i++)
        d2[i] = MIN (d2[i], distance2 (x + (gsize) i * dim, centres + (gsize) c * dim, dim));
    }

  for (int iter = 0; iter < 10; iter++)
    {
      memset (sums, 0, sizeof (double) * k * dim);
      memset (counts, 0, sizeof (int) * k);
      for (int i = 0; i < n; i++)
        {
          double best = G_MAXDOUBLE;

          for (int c = 0; c < k; c++)
            {
              double dist = distance2 (x + (gsize) i * dim, centres + (gsize) c * dim, dim);

              if (dist < best)
                {
                  best = dist;
                  assign[i] = c;
                }
            }
          counts[assign[i]]++;
          for (int j = 0; j < dim; j++)
            sums[(gsize) assign[i] * dim + j] += x[(gsize) i * dim + j];
        }
      for (int c = 0; c < k; c++)
        if (counts[c] > 0)
          for (int j = 0; j < dim; j++)
            centres[(gsize) c * dim + j] = sums[(gsize) c * dim + j] / counts[c];
    }
}

/* Weighted mean of @x under weights @r (summing to @total) and covariance
 * (the weighted sum of squares over @divisor), plus @shrink on the
 * diagonal, factored in place (lower triangle). */
static void
weighted_gaussian (const double *x,
                   const double *r,
                   int           n,
                   int           dim,
                   double        total,
                   double        divisor,
                   double        shrink,
                   double       *mean,
                   double       *cov)
{
  memset (mean, 0, sizeof (double) * dim);
  memset (cov, 0, sizeof (double) * dim * dim);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < dim; j++)
      mean[j] += r[i] * x[(gsize) i * dim + j] / total;
  for (int i = 0; i < n; i++)
    {
      if (r[i] == 0)
        continue;
      for (int a = 0; a < dim; a++)
        {
          double da = r[i] * (x[(gsize) i * dim + a] - mean[a]) / divisor;

          for (int b = 0; b <= a; b++)
            cov[(gsize) a * dim + b] += da * (x[(gsize) i * dim + b] - mean[b]);
        }
    }
  for (int a = 0; a < dim; a++)
    cov[(gsize) a * dim + a] += shrink;
  if (LAPACKE_dpotrf (LAPACK_ROW_MAJOR, 'L', dim, cov, dim) != 0)
    for (int a = 0; a < dim; a++)
      for (int b = 0; b <= a; b++)
        cov[(gsize) a * dim + b] = a == b ? sqrt (MAX (cov[(gsize) a * dim + a], shrink)) : 0;
}

/* log N(x | m, L Lᵀ) with L lower triangular. */
static double
log_density (const double *x,
             const double *mean,
             const double *chol,
             int           dim,
             double       *scratch)
{
  double quad = 0, logdet = 0;

  for (int a = 0; a < dim; a++)
    {
      double v = x[a] - mean[a];

      for (int b = 0; b < a; b++)
        v -= chol[(gsize) a * dim + b] * scratch[b];
      scratch[a] = v / chol[(gsize) a * dim + a];
      quad += scratch[a] * scratch[a];
      logdet += log (chol[(gsize) a * dim + a]);
    }
  return -0.5 * quad - logdet - 0.5 * dim * log (2 * G_PI);
}

CsGenPrior *
cs_gen_prior_fit (const double *x,
                  int           n,
                  int           dim,
                  int           k,
                  guint64       seed)
{
  g_autofree double *ones = g_new (double, n);
  g_autofree double *means = NULL;
  g_autofree double *covs = NULL;
  g_autofree double *weights = NULL;
  g_autofree double *r = NULL;
  g_autofree double *rk = NULL;
  g_autofree double *scratch = g_new (double, dim);
  g_autofree int *assign = NULL;
  double trace = 0, shrink, last = -G_MAXDOUBLE;
  CsGenPrior *prior;

  g_return_val_if_fail (x != NULL && n >= 2 && dim > 0 && k > 0, NULL);

  k = MIN (k, n / 2);
  k = MAX (k, 1);
  means = g_new (double, (gsize) k * dim);
  covs = g_new (double, (gsize) k * dim * dim);
  weights = g_new (double, k);

  /* The shrinkage comes from the codes' covariance (n − 1). */
  for (int j = 0; j < dim; j++)
    {
      double m = 0;

      for (int i = 0; i < n; i++)
        m += x[(gsize) i * dim + j] / n;
      for (int i = 0; i < n; i++)
        trace += (x[(gsize) i * dim + j] - m) * (x[(gsize) i * dim + j] - m) / (n - 1);
    }
  shrink = CS_GEN_PRIOR_SHRINK * MAX (trace / dim, 1e-6);
  for (int i = 0; i < n; i++)
    ones[i] = 1;
  weighted_gaussian (x, ones, n, dim, n, n - 1, shrink, means, covs);
  weights[0] = 1;
  /* Every component starts as the whole cloud, so one that loses all its
   * points keeps a sound (weightless) Gaussian. */
  for (int c = 1; c < k; c++)
    {
      memcpy (means + (gsize) c * dim, means, sizeof (double) * dim);
      memcpy (covs + (gsize) c * dim * dim, covs, sizeof (double) * dim * dim);
    }

  if (k > 1)
    {
      assign = g_new (int, n);
      r = g_new0 (double, (gsize) n * k);
      rk = g_new (double, n);
      kmeans (x, n, dim, k, seed, assign);
      for (int i = 0; i < n; i++)
        r[(gsize) i * k + assign[i]] = 1;

      for (int iter = 0; iter <= CS_GEN_PRIOR_EM_ITERS; iter++)
        {
          double ll = 0;

          /* M: weights, means and covariances from the responsibilities. */
          for (int c = 0; c < k; c++)
            {
              double total = 0;

              for (int i = 0; i < n; i++)
                total += rk[i] = r[(gsize) i * k + c];
              weights[c] = total / n;
              if (total < 1e-9)
                continue;
              weighted_gaussian (x, rk, n, dim, total, total, shrink, means + (gsize) c * dim,
                                 covs + (gsize) c * dim * dim);
            }
          if (iter == CS_GEN_PRIOR_EM_ITERS)
            break;

          /* E: responsibilities, by log-sum-exp. */
          for (int i = 0; i < n; i++)
            {
              double *ri = r + (gsize) i * k;
              double top = -G_MAXDOUBLE, sum = 0;

              for (int c = 0; c < k; c++)
                {
                  ri[c] = weights[c] > 0
                    ? log (weights[c]) + log_density (x + (gsize) i * dim, means + (gsize) c * dim,
                                                      covs + (gsize) c * dim * dim, dim, scratch)
                    : -G_MAXDOUBLE;
                  top = MAX (top, ri[c]);
                }
              for (int c = 0; c < k; c++)
                sum += ri[c] = ri[c] > -G_MAXDOUBLE ? exp (ri[c] - top) : 0;
              for (int c = 0; c < k; c++)
                ri[c] /= sum;
              ll += (top + log (sum)) / n;
            }
          if (ll - last < 1e-6 * fabs (ll))
            {
              last = ll;
              /* One more M step with these responsibilities, then stop. */
              iter = CS_GEN_PRIOR_EM_ITERS - 1;
              continue;
            }
          last = ll;
        }
    }

  prior = cs_gen_prior_new (k, dim);
  for (int c = 0; c < k; c++)
    {
      prior->weights[c] = (float) weights[c];
      for (int a = 0; a < dim; a++)
        {
          prior->means[(gsize) c * dim + a] = (float) means[(gsize) c * dim + a];
          for (int b = 0; b <= a; b++)
            prior->chol[((gsize) c * dim + a) * dim + b] = (float) covs[((gsize) c * dim + a) * dim + b];
        }
    }
  return prior;
}

static double
normal_cdf (double x)
{
  return 0.5 * erfc (-x / G_SQRT2);
}

double
cs_gen_normal_quantile (double p)
{
  double lo = -40, hi = 40;

  /* Bisection on Φ: slow but exact to the last bit, and only a few
   * hundred samples are ever mapped at once. */
  for (int i = 0; i < 200 && hi - lo > 0; i++)
    {
      double mid = 0.5 * (lo + hi);

      if (mid == lo || mid == hi)
        break;
      if (normal_cdf (mid) < p)
        lo = mid;
      else
        hi = mid;
    }
  return 0.5 * (lo + hi);
}

void
cs_gen_prior_map (const CsGenPrior *prior,
                  const float      *z,
                  int               n,
                  float            *out)
{
  int dim = prior->dim;

  for (int i = 0; i < n; i++)
    {
      const float *zi = z + (gsize) i * dim;
      float *oi = out + (gsize) i * dim;
      float first = zi[0];
      int c = 0;

      if (prior->k > 1)
        {
          double u = normal_cdf (zi[0]), before = 0;

          while (c < prior->k - 1 && u >= before + prior->weights[c])
            before += prior->weights[c++];
          u = (u - before) / MAX (prior->weights[c], 1e-12);
          first = (float) cs_gen_normal_quantile (CLAMP (u, 1e-12, 1 - 1e-12));
        }
      for (int a = 0; a < dim; a++)
        {
          const float *row = prior->chol + ((gsize) c * dim + a) * dim;
          float v = prior->means[(gsize) c * dim + a] + row[0] * first;

          for (int b = 1; b <= a; b++)
            v += row[b] * zi[b];
          oi[a] = v;
        }
    }
}
