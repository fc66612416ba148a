/* cs-ials.h: implicit-feedback alternating least squares (iALS / WRMF).
 *
 * Hu, Koren & Volinsky (2008) with the conjugate-gradient solver of Takács,
 * Pilászy & Tikk (2011). For viewer factors x_u and clip factors y_i (f each),
 * preference p_ui = 1 for a training pair (0 otherwise) and confidence
 * c_ui = 1 + alpha·r_ui (r_ui the pair's value, 1 for plain positives), it
 * minimises
 *   Σ_{u,i} c_ui (p_ui − x_uᵀ y_i)² + reg (Σ_u |x_u|² + Σ_i |y_i|²).
 * Each of @iters iterations solves every viewer with the clips fixed, then
 * every clip with the viewers fixed; each small system
 *   (YᵀY + Σ_{i ∈ I_u} (c_ui − 1) y_i y_iᵀ + reg·I) x_u = Σ_{i ∈ I_u} c_ui y_i
 * gets @cg_steps conjugate-gradient steps started from the current x_u.
 * Factors start as N(0, 0.01²) draws from @seed; viewers (and clips) are
 * solved in parallel, each by one worker, so the result does not depend on
 * the number of threads. score(u, j) = x_uᵀ y_j.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-recommender.h"

G_BEGIN_DECLS

#define CS_TYPE_IALS (cs_ials_get_type ())
G_DECLARE_FINAL_TYPE (CsIals, cs_ials, CS, IALS, CsRecommender)

G_GNUC_WARN_UNUSED_RESULT
CsRecommender *cs_ials_new (guint factors,
                            guint iters,
                            guint seed);

G_END_DECLS
