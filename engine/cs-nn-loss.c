/* cs-nn-loss.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cs-nn-loss.h"

static double
bce_logits (const float *z, const float *t, gsize count, double scale, float *grad)
{
  double sum = 0.0;

  for (gsize i = 0; i < count; i++)
    {
      double zi = z[i];

      sum += MAX (zi, 0.0) - zi * t[i] + log1p (exp (-fabs (zi)));
      if (grad)
        grad[i] = (float) ((1.0 / (1.0 + exp (-zi)) - t[i]) * scale);
    }
  return sum * scale;
}

double
cs_nn_bce_with_logits (const float *logits,
                       const float *targets,
                       gsize        n,
                       gsize        d,
                       float       *grad)
{
  return bce_logits (logits, targets, n * d, 1.0 / (double) (n * d), grad);
}

double
cs_nn_bce_sum (const float *logits,
               const float *targets,
               gsize        n,
               gsize        d,
               float       *grad)
{
  return bce_logits (logits, targets, n * d, 1.0 / (double) n, grad);
}

double
cs_nn_mse_sum (const float *x_hat,
               const float *x,
               gsize        n,
               gsize        d,
               float       *grad)
{
  double sum = 0.0;

  for (gsize i = 0; i < n * d; i++)
    {
      double e = (double) x_hat[i] - x[i];

      sum += e * e;
      if (grad)
        grad[i] = (float) (2.0 * e / (double) n);
    }
  return sum / (double) n;
}

double
cs_nn_kl_gaussian (const float *mu,
                   const float *logvar,
                   gsize        n,
                   gsize        d,
                   float       *grad_mu,
                   float       *grad_logvar)
{
  double sum = 0.0;

  for (gsize i = 0; i < n * d; i++)
    {
      double m = mu[i], lv = logvar[i], var = exp (lv);

      sum += 1.0 + lv - m * m - var;
      if (grad_mu)
        grad_mu[i] = (float) (m / (double) n);
      if (grad_logvar)
        grad_logvar[i] = (float) (0.5 * (var - 1.0) / (double) n);
    }
  return -0.5 * sum / (double) n;
}
