/* cs-clip-list.h: the clips of a project as a GListModel of CsClip.
 *
 * Loaded in one go on a worker thread (one query for the clips, one for
 * their first thumbnails) and then immutable: the UI puts it under filter,
 * sort and selection models, and swaps in a new list after an import.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cs-clip.h"
#include "cs-store.h"

G_BEGIN_DECLS

#define CS_TYPE_CLIP_LIST (cs_clip_list_get_type ())
G_DECLARE_FINAL_TYPE (CsClipList, cs_clip_list, CS, CLIP_LIST, GObject)

/* An empty list. */
G_GNUC_WARN_UNUSED_RESULT
CsClipList *cs_clip_list_new         (void);
/* Blocking; in id order. */
G_GNUC_WARN_UNUSED_RESULT
CsClipList *cs_clip_list_load        (CsStore              *store,
                                      GCancellable         *cancellable,
                                      GError              **error);
/* Opens its own connection to @project_path on a worker thread. */
void        cs_clip_list_load_async  (const char           *project_path,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
CsClipList *cs_clip_list_load_finish (GAsyncResult         *result,
                                      GError              **error);

/* The clip with this id, or NULL (not a new reference). */
CsClip     *cs_clip_list_find        (CsClipList           *self,
                                      gint64                clip_id);

G_END_DECLS
