/* cs-bpr.h: Bayesian personalised ranking with matrix factorisation (BPR-MF).
 *
 * Rendle et al. (2009). With viewer factors p_u, clip factors q_i (f each)
 * and clip biases b_i, x_uij = p_uᵀ(q_i − q_j) + b_i − b_j. Each of @epochs
 * epochs draws nnz triples: a training pair (u, i) uniformly, then a clip j
 * uniformly among the clips u has not seen in training, and takes one SGD
 * step on ln σ(x_uij) − reg (|p_u|² + |q_i|² + |q_j|² + b_i² + b_j²) with
 * learning rate @lr:
 *   g = 1 − σ(x_uij) = σ(−x_uij)
 *   p_u += lr (g (q_i − q_j) − reg p_u)
 *   q_i += lr (g p_u − reg q_i),  q_j += lr (−g p_u − reg q_j)
 *   b_i += lr (g − reg b_i),      b_j += lr (−g − reg b_j)
 * (all three vectors updated from their values before the step).
 * Factors start as N(0, 0.1²) draws from @seed, biases at 0. SGD steps run in
 * one fixed order on one thread: lock-free parallel SGD (Hogwild) would make
 * results depend on timing, and the same seed must give the same model.
 * score(u, j) = p_uᵀ q_j + b_j.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-recommender.h"

G_BEGIN_DECLS

#define CS_TYPE_BPR (cs_bpr_get_type ())
G_DECLARE_FINAL_TYPE (CsBpr, cs_bpr, CS, BPR, CsRecommender)

G_GNUC_WARN_UNUSED_RESULT
CsRecommender *cs_bpr_new (guint factors,
                           guint epochs,
                           guint seed);

G_END_DECLS
