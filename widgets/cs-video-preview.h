/* cs-video-preview.h: a small player for one clip: the picture (upright,
 * whatever the file's rotation), play/pause, a scrub bar, frame steps and
 * loop. Space toggles playback, comma and period step one frame back and
 * forward while the preview has the focus.
 *
 * Playback is GtkMediaFile (GTK's GStreamer backend), so decoding happens on
 * GStreamer's threads, never on the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CS_TYPE_VIDEO_PREVIEW (cs_video_preview_get_type ())
G_DECLARE_FINAL_TYPE (CsVideoPreview, cs_video_preview, CS, VIDEO_PREVIEW, GtkWidget)

G_GNUC_WARN_UNUSED_RESULT
GtkWidget      *cs_video_preview_new            (void);
/* @path NULL clears the preview. @rotation is in degrees clockwise to show
 * the picture upright; @width × @height is the upright display size (0 when
 * unknown: the decoded size is used); @fps sets the frame step (25 when
 * unknown). */
void            cs_video_preview_set_file       (CsVideoPreview *self,
                                                 const char     *path,
                                                 int             rotation,
                                                 int             width,
                                                 int             height,
                                                 double          fps);
GtkMediaStream *cs_video_preview_get_stream     (CsVideoPreview *self);
void            cs_video_preview_toggle_play    (CsVideoPreview *self);
/* Pauses and moves by @frames (negative: back). */
void            cs_video_preview_step           (CsVideoPreview *self,
                                                 int             frames);

G_END_DECLS
