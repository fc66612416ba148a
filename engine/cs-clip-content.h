/* cs-clip-content.h: what is known about each clip of a training matrix
 * besides who watched it — its text and its content features — for
 * recommenders that use it (CS_RECOMMENDER_NEEDS_CLIP_CONTENT).
 *
 * Row j describes the clip of internal index j of the interactions
 * (cs-interactions.h), so it lines up with column j of the training matrix.
 * Text is the clip's title and caption joined by a line break, tokenised
 * with its hashtags column as cs-text-tokens.h says; content features are
 * the clip_features rows the clip import wrote (NAN when a clip lacks one).
 * The rows are a CsPredictDataset, so the Predict features (TF-IDF) apply
 * to them unchanged. Immutable once built; reference counted, so models
 * fitted on several threads can share one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cs-predict-dataset.h"

G_BEGIN_DECLS

typedef struct _CsClipContent CsClipContent;

/* @n_clips rows without text or features: fill them through
 * cs_clip_content_get_rows() (tests, data that never touches a store). */
G_GNUC_WARN_UNUSED_RESULT
CsClipContent          *cs_clip_content_new       (guint                n_clips);
/* Reads the text and features of clips.id @clip_rowids[j] into row j (ids
 * that are 0 or not in the project give an empty row). Blocking. */
G_GNUC_WARN_UNUSED_RESULT
CsClipContent          *cs_clip_content_load      (CsStore             *store,
                                                   const gint64        *clip_rowids,
                                                   guint                n_clips,
                                                   GCancellable        *cancellable,
                                                   GError             **error);
CsClipContent          *cs_clip_content_ref       (CsClipContent       *self);
void                    cs_clip_content_unref     (CsClipContent       *self);
guint                   cs_clip_content_get_n_clips (CsClipContent     *self);
/* One row per clip: tokens and content (other fields unused). Writable
 * only until the content is given to a model. */
CsPredictDataset       *cs_clip_content_get_rows  (CsClipContent       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsClipContent, cs_clip_content_unref)

G_END_DECLS
