/* cs-clip-linker.h: find the project's clip a table's row speaks of.
 *
 * Logs and stats name clips by a platform id, a file name or a title. The
 * linker loads the project's clips once and matches a reference, in order:
 *   1. the external id, exactly;
 *   2. the external id, tolerantly;
 *   3. the video file's name (without its folder), tolerantly;
 *   4. the title, tolerantly.
 * “Tolerantly” compares keys made by cs_clip_linker_key(): NFKC (full-width
 * letters and digits become ASCII), case folded, a video file extension
 * dropped (.mp4 .mov .mkv .webm .avi .m4v .flv .wmv .3gp .ts .mpg .mpeg
 * .ogv), white space and '_' removed — so "My Clip.MP4", "my_clip" and
 * "ＭＹ ＣＬＩＰ" all find the clip titled "my clip". When a key belongs to
 * more than one clip, the oldest clip (lowest id) wins.
 *
 * Every reference that matched nothing is remembered once, in the order met,
 * for the review list the app shows after an import.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "cs-store.h"

G_BEGIN_DECLS

typedef enum
{
  CS_CLIP_LINK_NONE,
  CS_CLIP_LINK_ID,        /* the external id, exactly */
  CS_CLIP_LINK_ID_LOOSE,  /* the external id, tolerantly */
  CS_CLIP_LINK_FILE,      /* the file name */
  CS_CLIP_LINK_TITLE,     /* the title */
} CsClipLink;

typedef struct _CsClipLinker CsClipLinker;

/* Reads the clips of @store (id, external_id, path, title). */
CsClipLinker *cs_clip_linker_new           (CsStore       *store,
                                            GError       **error);
void          cs_clip_linker_free          (CsClipLinker  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsClipLinker, cs_clip_linker_free)

/* The clip @reference names, or 0 (and the reference is listed as
 * unmatched). @how: (out) (optional): which rule matched. */
gint64        cs_clip_linker_lookup        (CsClipLinker  *self,
                                            const char    *reference,
                                            CsClipLink    *how);

/* Makes a clip created after cs_clip_linker_new() findable. @title and
 * @path are nullable. */
void          cs_clip_linker_add           (CsClipLinker  *self,
                                            gint64         clip_id,
                                            const char    *external_id,
                                            const char    *title,
                                            const char    *path);

/* References that matched nothing, each once, in the order met (char*). */
GPtrArray    *cs_clip_linker_get_unmatched (CsClipLinker  *self);

/* The tolerant key of @text, as described above. */
char         *cs_clip_linker_key           (const char    *text);

G_END_DECLS
