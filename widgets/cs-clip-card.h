/* cs-clip-card.h: one clip in the clip grid: thumbnail, title, duration,
 * orientation badge and a mark on simulated clips.
 *
 * Made for a GtkGridView factory: the grid recycles cards, so a card only
 * shows whatever clip it is bound to. Textures are made once per clip, the
 * first time a card shows it, and kept on the clip.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cs-clip.h"

G_BEGIN_DECLS

#define CS_TYPE_CLIP_CARD (cs_clip_card_get_type ())
G_DECLARE_FINAL_TYPE (CsClipCard, cs_clip_card, CS, CLIP_CARD, GtkWidget)

G_GNUC_WARN_UNUSED_RESULT
GtkWidget  *cs_clip_card_new      (void);
CsClip     *cs_clip_card_get_clip (CsClipCard *self);
void        cs_clip_card_set_clip (CsClipCard *self,
                                   CsClip     *clip);

/* The clip's decoded thumbnail once a card has decoded it (on a worker),
 * else a placeholder in the clip's colour (also for clips without one: demo
 * clips, clips known only from a log). Cached on the clip. Never NULL. */
GdkPaintable *cs_clip_card_get_paintable (CsClip *clip);
/* "0:07", "1:02:03". */
char       *cs_clip_format_duration (gint64 duration_ms);
/* "9:16", "16:9", "1:1" or NULL. */
const char *cs_clip_orientation_badge (CsClip *clip);

G_END_DECLS
