/* cs-media-private.h: GStreamer helpers shared by the probe and the frame
 * sampler.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

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

G_END_DECLS
