/* cs-media-private.h: GStreamer helpers shared by the probe and the frame
 * sampler.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

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

/* Keeps @measured_ms when it disagrees with the stated duration by more
 * than 5 % + 100 ms, refuses less than 100 ms of video and sets the
 * bitrate. */
gboolean _cs_media_probe_finish (CsMediaInfo  *info,
                                 gint64        measured_ms,
                                 GError      **error);

/* The end of the last video packet, demuxed to the end without decoding,
 * in ms; -1 when none was read. */
gint64   _cs_media_measure_duration_ms (const char   *uri,
                                        GCancellable *cancellable);

G_END_DECLS
