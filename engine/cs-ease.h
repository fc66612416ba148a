/* cs-ease.h: EASE, the closed-form linear item-item model (Steck 2019).
 *
 * With X the binary training matrix (viewers × clips) and λ ≥ 0:
 *   P = (XᵀX + λI)⁻¹,   B = I − P·diag(1/diag P),
 * i.e. B[i, j] = −P[i, j] / P[j, j] for i ≠ j and B[i, i] = 0 (DESIGN §4), and
 *   score(u, j) = Σ_{i ∈ training clips of u} B[i, j].
 *
 * XᵀX is accumulated from the sparse matrix in double; the inverse goes
 * through LAPACK's Cholesky routines (dpotrf + dpotri) in double, since
 * XᵀX + λI is symmetric positive definite for λ > 0. B is kept in double
 * (8·n² bytes for n clips) and scores are summed in double and then rounded
 * to float. A catalogue whose matrix would not fit in half of the computer's
 * memory is refused with CS_MODEL_ERROR_FAILED before anything is allocated;
 * a singular matrix (λ = 0 and a clip nobody watched, say) or a NaN gives
 * CS_MODEL_ERROR_FAILED naming λ.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-recommender.h"

G_BEGIN_DECLS

#define CS_TYPE_EASE (cs_ease_get_type ())
G_DECLARE_FINAL_TYPE (CsEase, cs_ease, CS, EASE, CsRecommender)

#define CS_EASE_DEFAULT_LAMBDA 500.0

G_GNUC_WARN_UNUSED_RESULT
CsRecommender *cs_ease_new          (double  lambda);
/* Bytes the fit needs for @n_clips clips (the n × n double matrix). */
guint64        cs_ease_memory_needed (gint32 n_clips);
/* B (n_clips × n_clips, row major) after fit, or NULL. */
const double  *cs_ease_get_weights  (CsEase *self);

G_END_DECLS
