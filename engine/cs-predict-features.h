/* cs-predict-features.h: the feature matrix of a Predict dataset, fitted on
 * the training rows of one fold only (no peeking at the test rows).
 *
 * Columns, in this order, for the groups switched on:
 *   text      TF-IDF of terms: every token (word or hashtag, see
 *             cs-text-tokens.h) and every pair of adjacent tokens ("a b"),
 *             kept when it occurs in at least min_df (2) training clips;
 *             columns in byte order of the term. As scikit-learn's
 *             TfidfVectorizer defaults: tf = raw count in the clip,
 *             idf = ln ((1 + n) / (1 + df)) + 1 over the n training clips,
 *             each row scaled to unit L2 norm (rows without terms stay 0).
 *             Then characters, emoji and hashtags of the text (scaled).
 *   time      hour 0..23 and weekday Mon..Sun, one-hot (31 columns, all 0
 *             when unknown). One-hot rather than sin/cos, so every column is
 *             ≥ 0 and multinomial Naive Bayes can use it too.
 *   content   each clip_features value (scaled).
 *   duration  duration in seconds (scaled), orientation one-hot (3).
 * "Scaled" is min–max on the training rows: (v − min) / (max − min), clipped
 * to 0..1 for test rows, missing values 0. Zeros are not stored in the CSR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cs-predict-dataset.h"
#include "cs-sparse.h"

G_BEGIN_DECLS

/* A run of columns permuted together by permutation importance. */
typedef struct
{
  char  *name;   /* "words", "hour", "brightness" … */
  gint32 first;
  gint32 n_cols;
} CsFeatureBlock;

typedef struct _CsPredictFeatures CsPredictFeatures;

/* Fails with CS_MODEL_ERROR_NO_DATA when a chosen group has nothing in the
 * training rows (no text at all, no posting times, no analysed clips). */
G_GNUC_WARN_UNUSED_RESULT
CsPredictFeatures *cs_predict_features_fit        (const CsPredictDataset  *dataset,
                                                   guint                    groups,
                                                   const guint             *rows,
                                                   guint                    n_rows,
                                                   GError                 **error);
void               cs_predict_features_free       (CsPredictFeatures       *self);
G_GNUC_WARN_UNUSED_RESULT
CsCsr             *cs_predict_features_transform  (const CsPredictFeatures *self,
                                                   const CsPredictDataset  *dataset,
                                                   const guint             *rows,
                                                   guint                    n_rows);
gint32             cs_predict_features_get_n_cols (const CsPredictFeatures *self);
/* Column names: the term for text columns, "hour=7", "duration_s" … */
const char        *cs_predict_features_get_name   (const CsPredictFeatures *self,
                                                   gint32                   column);
const CsFeatureBlock *cs_predict_features_get_blocks (const CsPredictFeatures *self,
                                                      guint                   *n_blocks);

/* The text columns alone, fitted on all @n_rows rows: terms (tokens and
 * adjacent pairs) of at least @min_df rows, tf-idf as above with n =
 * @n_rows, each row of unit L2 norm (rows without a kept term empty).
 * @tokens[i] may be NULL. Columns in byte order of the term. */
G_GNUC_WARN_UNUSED_RESULT
CsCsr             *cs_text_tfidf                  (CsTextTokens * const    *tokens,
                                                   guint                    n_rows,
                                                   guint                    min_df);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsPredictFeatures, cs_predict_features_free)

G_END_DECLS
