/* cs-clip-store.h: write a clip's analysis (frames, features) to a project.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-clip-import.h"
#include "cs-store.h"

G_BEGIN_DECLS

/* Inserts @analysis's thumbnails, covers and features for the existing clip
 * @clip_id. Runs inside the caller's transaction; on error the caller rolls
 * back. */
gboolean cs_clip_store_analysis (CsStore         *store,
                                 gint64           clip_id,
                                 CsClipAnalysis  *analysis,
                                 GError         **error);

G_END_DECLS
