/* cs-user-knn.h: viewer-based nearest neighbours on the binary training matrix.
 *
 * sim(u, v) = |I_u ∩ I_v| / sqrt(|I_u| · |I_v|) (cosine of the binary viewer
 * rows), sim(u, u) = 0, stored as float. Viewer u keeps the k viewers with the
 * largest similarity (ties, judged on the float values: the lower viewer index
 * is kept; zeros are never stored), N_k(u), and
 * score(u, j) = Σ_{v ∈ N_k(u), j ∈ I_v} sim(u, v).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-recommender.h"

G_BEGIN_DECLS

#define CS_TYPE_USER_KNN (cs_user_knn_get_type ())
G_DECLARE_FINAL_TYPE (CsUserKnn, cs_user_knn, CS, USER_KNN, CsRecommender)

#define CS_USER_KNN_DEFAULT_K 50

G_GNUC_WARN_UNUSED_RESULT
CsRecommender *cs_user_knn_new            (guint      k);
/* The truncated neighbour matrix (viewers × viewers) after fit, or NULL. */
const CsCsr   *cs_user_knn_get_neighbours (CsUserKnn *self);

G_END_DECLS
