/* cs-clips-page.h: the clip library: a searchable, sortable grid of the
 * project's clips and a detail pane with the player, metadata, content
 * features and cover suggestions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "clipscope-engine.h"
#include "cs-clip-list.h"
#include "cs-video-preview.h"

G_BEGIN_DECLS

#define CS_TYPE_CLIPS_PAGE (cs_clips_page_get_type ())
G_DECLARE_FINAL_TYPE (CsClipsPage, cs_clips_page, CS, CLIPS_PAGE, AdwBin)

G_GNUC_WARN_UNUSED_RESULT
GtkWidget      *cs_clips_page_new             (CsJobList   *jobs);
void            cs_clips_page_set_project     (CsClipsPage *self,
                                               CsProject   *project);
/* Reloads the clips (off the main thread) when the project's clip count
 * changed since the last load, or always when @force. */
void            cs_clips_page_refresh         (CsClipsPage *self,
                                               gboolean     force);
/* TRUE while clips are being loaded. */
gboolean        cs_clips_page_is_loading      (CsClipsPage *self);
/* The grid's model: the clips after search and sort. */
GListModel     *cs_clips_page_get_model       (CsClipsPage *self);
void            cs_clips_page_select          (CsClipsPage *self,
                                               guint        position);
CsClip         *cs_clips_page_get_selected    (CsClipsPage *self);
/* For tests: the grid, the detail pane and what it shows. */
GtkWidget      *cs_clips_page_get_grid        (CsClipsPage *self);
gboolean        cs_clips_page_get_detail_shown (CsClipsPage *self);
const char     *cs_clips_page_get_detail_duration (CsClipsPage *self);
CsVideoPreview *cs_clips_page_get_preview     (CsClipsPage *self);
/* The selected clip's features and frames once loaded, or NULL. */
const CsClipDetails *cs_clips_page_get_details (CsClipsPage *self);

G_END_DECLS
