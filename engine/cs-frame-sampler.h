/* cs-frame-sampler.h: pictures of a clip at chosen times, by seeking.
 *
 * uridecodebin ! videoflip ! videoscale ! videoconvert ! RGB ! appsink,
 * paused; for each time one flushing key-unit seek (snapped to the nearest
 * key frame) and the prerolled frame. When that lands on the frame the
 * previous sample already had (clips with key frames far apart), the seek is
 * repeated as an accurate one. The sound is never decoded. A file that
 * cannot seek is played once, taking the first frame at or after each time.
 *
 * Frames come upright (the rotation applied with videoflip, set when the
 * first picture arrives) and scaled to at most @max_long_side pixels on
 * the long side, never enlarged.
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

/* A sampling pipeline kept open, so that one preroll serves the probe
 * and every sample (cs_clip_analyze()). */
typedef struct _CsFrameSampler CsFrameSampler;

void            cs_frame_sampler_free     (CsFrameSampler *sampler);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsFrameSampler, cs_frame_sampler_free)

/* Opens @path, prerolls the pipeline and probes the file from it: the
 * codecs (named from the decodebin's stream topology as GstDiscoverer
 * names them), the decoded size and frame rate, the rotation from the
 * picture stream's tags, the duration and seekability from queries, sound
 * yes/no from the streams found. *@info gets the result, as
 * cs_media_probe() would give it. When the pipeline fails (an error, a
 * missing plugin, no picture stream), GstDiscoverer is asked why and its
 * refusal is returned as cs_media_probe() returns it; when it finds the
 * file fine, the error is TRUNCATED (no picture could be decoded). A
 * preroll that times out is TRUNCATED without asking. */
CsFrameSampler *cs_frame_sampler_open     (const char      *path,
                                           int              max_long_side,
                                           CsMediaInfo    **info,
                                           GCancellable    *cancellable,
                                           GError         **error);

/* Samples an open sampler at @times_ms (as cs_frame_sampler_sample());
 * may be called again with other times. */
GPtrArray      *cs_frame_sampler_grab     (CsFrameSampler  *sampler,
                                           const gint64    *times_ms,
                                           guint            n_times,
                                           GCancellable    *cancellable,
                                           GError         **error);

/* How many frames the last grab found by a key-unit seek each; the
 * others were decoded through (key frames further apart than the
 * samples, or a file that cannot seek). */
guint           cs_frame_sampler_get_n_sought (CsFrameSampler *sampler);

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
