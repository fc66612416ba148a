/* cs-media-private.h: GStreamer helpers shared by the probe and the frame
 * sampler.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

#include "cs-frame-sampler.h"
#include "cs-media-probe.h"

G_BEGIN_DECLS

/* TRUE when @caps are an encoded audio (@video FALSE) or video/image
 * (@video TRUE) elementary stream that a decoder could take: a uridecodebin
 * "autoplug-continue" handler returns FALSE for those to leave the stream
 * undecoded, so the sampler never decodes sound and the audio meter never
 * decodes pictures. */
gboolean _cs_media_is_encoded_stream (GstCaps  *caps,
                                      gboolean  video);

/* Waits on @pipeline's bus for ASYNC_DONE (when @async_done) or EOS, up to
 * @timeout_ms, checking @cancellable every 100 ms. FALSE with @error
 * on an error message, cancellation or timeout. */
gboolean _cs_media_wait      (GstElement    *pipeline,
                              gboolean       async_done,
                              guint          timeout_ms,
                              GCancellable  *cancellable,
                              GError       **error);

/* cs_media_probe() that may leave the Matroska/WebM duration check
 * (_cs_media_measure_duration_ms()) to the caller when @may_defer: then
 * *@check_duration is TRUE, the duration is the stated one and the bitrate
 * is not set until _cs_media_probe_finish() is given the measured end (or
 * -1). This lets cs_clip_analyze() demux beside the sampling. */
CsMediaInfo *_cs_media_probe_deferred (const char    *path,
                                       gboolean       may_defer,
                                       gboolean      *check_duration,
                                       GCancellable  *cancellable,
                                       GError       **error);

/* cs_frame_sampler_open() that may leave the Matroska/WebM duration check
 * to the caller, as _cs_media_probe_deferred() does. */
CsFrameSampler *_cs_frame_sampler_open_deferred (const char    *path,
                                                 int            max_long_side,
                                                 gboolean       may_defer,
                                                 gboolean      *check_duration,
                                                 CsMediaInfo  **info,
                                                 GCancellable  *cancellable,
                                                 GError       **error);

/* Keeps @measured_ms when it disagrees with the stated duration by more
 * than 5 % + 100 ms, refuses less than 100 ms of video and sets the
 * bitrate. */
gboolean _cs_media_probe_finish (CsMediaInfo  *info,
                                 gint64        measured_ms,
                                 GError      **error);

/* The CsMediaInfo of @path with only uri and file_size set; CS_MEDIA_ERROR
 * OPEN or EMPTY when it cannot be read or holds nothing. */
CsMediaInfo *_cs_media_info_new (const char    *path,
                                 GCancellable  *cancellable,
                                 GError       **error);

/* Degrees clockwise from an image-orientation tag ("rotate-90",
 * "flip-rotate-270": mirroring is ignored); 0 without one. */
int      _cs_media_rotation_from_tags (const GstTagList *tags);

/* The probe from a prerolled uridecodebin pipeline (see cs_frame_sampler_open()):
 * codecs from @topology (a decodebin "stream-topology" message's
 * structure, named as GstDiscoverer names them), size and frame rate from
 * @picture_caps (the decoded pictures), @rotation from the stream's tags,
 * duration and seekability from queries on @pipeline; then as
 * _cs_media_probe_deferred(). FALSE with @error for a refusal (too small,
 * too short); FALSE without @error when the pipeline does not tell enough
 * (no picture stream in @topology): ask the discoverer then. */
gboolean _cs_media_probe_preroll (CsMediaInfo         *info,
                                  GstElement          *pipeline,
                                  const GstStructure  *topology,
                                  GstCaps             *picture_caps,
                                  int                  rotation,
                                  gboolean             may_defer,
                                  gboolean            *check_duration,
                                  GCancellable        *cancellable,
                                  GError             **error);

/* TRUE when @caps are an audio stream that is neither parsed nor framed
 * and a parser (rank marginal or more) takes: the sampler lets decodebin
 * plug it, so the codec is named from the parser's caps, as the
 * discoverer names it, while the sound stays undecoded. */
gboolean _cs_media_wants_parser (GstCaps *caps);

/* The end of the last video packet, demuxed to the end without decoding,
 * in ms; -1 when none was read. */
gint64   _cs_media_measure_duration_ms (const char   *uri,
                                        GCancellable *cancellable);

G_END_DECLS
