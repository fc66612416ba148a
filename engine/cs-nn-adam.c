/* cs-nn-adam.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cs-nn-adam.h"
#include "cs-nn-layer.h"

void
cs_nn_adam_init (CsNnAdam *adam,
                 float     lr,
                 float     beta1,
                 float     beta2,
                 float     eps)
{
  adam->lr = lr;
  adam->beta1 = beta1;
  adam->beta2 = beta2;
  adam->eps = eps;
  adam->t = 0;
}

void
cs_nn_adam_step (CsNnAdam  *adam,
                 GPtrArray *params)
{
  double bc1, bc2;
  float step, sqrt_bc2, b1 = adam->beta1, b2 = adam->beta2;

  adam->t++;
  bc1 = 1.0 - pow (adam->beta1, (double) adam->t);
  bc2 = 1.0 - pow (adam->beta2, (double) adam->t);
  step = (float) (adam->lr / bc1);
  sqrt_bc2 = (float) sqrt (bc2);

  for (guint i = 0; i < params->len; i++)
    {
      CsNnParam *p = g_ptr_array_index (params, i);

      for (gsize j = 0; j < p->n; j++)
        {
          float g = p->g[j];

          p->m[j] = b1 * p->m[j] + (1.0f - b1) * g;
          p->v[j] = b2 * p->v[j] + (1.0f - b2) * g * g;
          p->w[j] -= step * p->m[j] / (sqrtf (p->v[j]) / sqrt_bc2 + adam->eps);
        }
    }
}
