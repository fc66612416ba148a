/* cs-item-knn.h: item-based nearest neighbours on the binary training matrix.
 *
 * sim(i, j) = |U_i ∩ U_j| / sqrt(|U_i| · |U_j|) (cosine of the binary item
 * columns), sim(i, i) = 0, stored as float. Row i of S keeps its k largest
 * entries (ties, judged on the float values: the lower clip index is kept;
 * zeros are never stored), and
 * score(u, j) = Σ_{i ∈ training clips of u} S[i, j].
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-recommender.h"

G_BEGIN_DECLS

#define CS_TYPE_ITEM_KNN (cs_item_knn_get_type ())
G_DECLARE_FINAL_TYPE (CsItemKnn, cs_item_knn, CS, ITEM_KNN, CsRecommender)

#define CS_ITEM_KNN_DEFAULT_K 100

G_GNUC_WARN_UNUSED_RESULT
CsRecommender *cs_item_knn_new            (guint      k);
guint          cs_item_knn_get_k          (CsItemKnn *self);
/* The truncated similarity matrix (clips × clips) after fit, or NULL. */
const CsCsr   *cs_item_knn_get_similarity (CsItemKnn *self);

G_END_DECLS
