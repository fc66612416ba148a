/* cs-popularity.h: recommends what most training viewers watched.
 *
 * score(u, j) = number of training viewers of clip j (the same for everyone).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-recommender.h"

G_BEGIN_DECLS

#define CS_TYPE_POPULARITY (cs_popularity_get_type ())
G_DECLARE_FINAL_TYPE (CsPopularity, cs_popularity, CS, POPULARITY, CsRecommender)

G_GNUC_WARN_UNUSED_RESULT
CsRecommender *cs_popularity_new (void);

G_END_DECLS
