/* cs-content-recommender.h: the content-based model ("content"): clips are
 * recommended for resembling, in their text and content features, the clips
 * a viewer watched. It needs the clips' side information
 * (cs_recommender_set_clip_content(), CS_RECOMMENDER_NEEDS_CLIP_CONTENT) and,
 * unlike the models that learn from who watched what, it ranks clips nobody
 * watched in training (CS_RECOMMENDER_RANKS_COLD_CLIPS).
 *
 * For the n clips of the training matrix (all of them, watched in training
 * or not: the text and features say nothing about who watched what):
 *
 *   t_j  the clip's TF-IDF row of cs_text_tfidf() fitted on the n clips:
 *        terms (tokens and adjacent token pairs, cs-text-tokens.h) found in
 *        at least min_df clips, tf = count, idf = ln ((1 + n) / (1 + df)) + 1,
 *        scaled to unit L2 norm (0 when the clip has no kept term);
 *   z_j  its content features (clip_features) z-scored over the clips that
 *        have the feature: z = (x − mean) / sd (population sd); a missing
 *        value is 0 (the mean); features with sd 0 or no value are left out,
 *        and m is the number of features kept;
 *   v_j  = [ text_weight · t_j ,  feature_weight · z_j / √m ]
 *        (the 1/√m keeps the features' part of the norm near feature_weight
 *        whatever the number of features).
 *
 * Viewer profile p_u = (1 / |I_u|) Σ_{j ∈ I_u} v_j over the viewer's
 * training clips I_u, and
 *
 *   score (u, j) = p_u · v_j / (‖p_u‖ ‖v_j‖)      (cosine, in −1 … 1)
 *
 * with score 0 when either norm is 0: a clip with no text and no features
 * scores 0, and so does every clip for a viewer whose clips have neither.
 * Vectors are kept as float, dot products summed in double.
 *
 * Fitting fails with CS_MODEL_ERROR_NO_DATA when no clip has text or a
 * content feature (an event log alone, as ml-100k).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-recommender.h"

G_BEGIN_DECLS

#define CS_TYPE_CONTENT_RECOMMENDER (cs_content_recommender_get_type ())
G_DECLARE_FINAL_TYPE (CsContentRecommender, cs_content_recommender, CS, CONTENT_RECOMMENDER, CsRecommender)

#define CS_CONTENT_DEFAULT_TEXT_WEIGHT    1.0
#define CS_CONTENT_DEFAULT_FEATURE_WEIGHT 0.5
#define CS_CONTENT_DEFAULT_MIN_DF         2

G_GNUC_WARN_UNUSED_RESULT
CsRecommender *cs_content_recommender_new (void);

G_END_DECLS
