/* cs-frame-sampler.h: pictures of a clip at chosen times, by seeking.
 *
 * uridecodebin ! videoflip ! videoscale ! videoconvert ! RGB ! appsink,
 * paused; for each time one flushing key-unit seek (snapped to the nearest
 * key frame) and the prerolled frame. When that lands on the frame the
 * previous sample already had (clips with key frames far apart), the seek is
 * repeated as an accurate one. The sound is never decoded. A file that
 * cannot seek is played once, taking the first frame at or after each time.
 *
 * Frames come upright (the probe's rotation applied with videoflip) and
 * scaled to at most @max_long_side pixels on the long side, never enlarged.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cs-media-probe.h"
#include "cs-video-features.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  time_ms;   /* the frame's own time, which may differ from the one asked for */
  int     width;
  int     height;
  int     stride;    /* 3 * width: rows are packed */
  guint8 *data;
} CsSampledFrame;

void            cs_sampled_frame_free     (CsSampledFrame *frame);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsSampledFrame, cs_sampled_frame_free)

/* The frame as a CsRgbFrame (borrowed pixels). */
CsRgbFrame      cs_sampled_frame_view     (const CsSampledFrame *frame);

/* A copy scaled (area average) to fit @max_long_side, never enlarged. */
CsSampledFrame *cs_sampled_frame_scale    (const CsSampledFrame *frame,
                                           int                   max_long_side);

/* @times_ms: @n_times times, ascending. Returns a GPtrArray of
 * CsSampledFrame, in time order, possibly fewer than asked for (times past
 * the last frame); FALSE/NULL with @error when no frame could be decoded. */
GPtrArray      *cs_frame_sampler_sample   (const CsMediaInfo    *info,
                                           const gint64         *times_ms,
                                           guint                 n_times,
                                           int                   max_long_side,
                                           GCancellable         *cancellable,
                                           GError              **error);

G_END_DECLS
