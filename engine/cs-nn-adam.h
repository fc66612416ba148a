/* cs-nn-adam.h: Adam (Kingma & Ba), as torch.optim.Adam computes it.
 *
 * For each value, at step t = 1, 2, …:
 *   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²,
 *   w ← w − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε).
 * The moments live in each CsNnParam (m, v); t is the optimiser's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  float   lr;
  float   beta1;
  float   beta2;
  float   eps;
  gint64  t;       /* steps taken */
} CsNnAdam;

void cs_nn_adam_init (CsNnAdam  *adam,
                      float      lr,
                      float      beta1,
                      float      beta2,
                      float      eps);
/* One step over @params (CsNnParam *), using their gradients. */
void cs_nn_adam_step (CsNnAdam  *adam,
                      GPtrArray *params);

G_END_DECLS
