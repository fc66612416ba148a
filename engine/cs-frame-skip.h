/* cs-frame-skip.h: which coded pictures the frame sampler may leave
 * undecoded.
 *
 * The sampler plays a clip through to reach samples whose key frames are
 * far apart, and throws away every decoded picture before the next time it
 * wants. A picture that no other picture refers to (an H.264 access unit
 * whose slices all have nal_ref_idc 0, typically a B-frame) can be left out
 * of the decoder's input altogether: every later picture decodes to the
 * same pixels. These two functions decide which access units those are, and
 * whether one lies far enough before the next wanted time that it could
 * never be the picture a sample takes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How far (in frame durations) before an accurate seek's time a picture
 * must end to be skipped. */
#define CS_FRAME_SKIP_MARGIN_FRAMES 3

/* TRUE when the H.264 access unit @data (@size bytes) is disposable: it
 * holds at least one coded slice, every slice is a non-IDR slice (NAL unit
 * type 1) with nal_ref_idc 0, and the other NAL units are only access unit
 * delimiters (9) and filler (12). Anything else (parameter sets, SEI,
 * partitions, extensions, a truncated or malformed unit) makes it FALSE.
 * @nal_length_size: 1 to 4 for the "avc" stream format (each NAL unit
 * prefixed by its big-endian length, as MP4 and Matroska store it), 0 for
 * the "byte-stream" format (units separated by 00 00 01 start codes). */
gboolean cs_frame_skip_h264_disposable (const guint8 *data,
                                        gsize         size,
                                        int           nal_length_size);

/* Playing on: TRUE when a picture shown at @pts_ns comes before @next_ms,
 * the next wanted time, counted in whole milliseconds as the sampler
 * counts frame times: the sampler drops such a picture once decoded
 * (or, disposable, before). FALSE when either is negative (unknown). */
gboolean cs_frame_skip_before_next     (gint64        pts_ns,
                                        gint64        next_ms);

/* An accurate seek to @target_ns prerolls the first picture whose span
 * [@pts_ns, @pts_ns + @duration_ns) reaches past @target_ns. TRUE when a
 * picture cannot be that one: it ends CS_FRAME_SKIP_MARGIN_FRAMES nominal
 * frames (@frame_ns) before @target_ns. @duration_ns -1 (unknown) counts
 * as one nominal frame, which is what the decoder then gives it; FALSE
 * when the frame rate is unknown too (@frame_ns <= 0), or when @pts_ns or
 * @target_ns is negative. */
gboolean cs_frame_skip_before_target   (gint64        pts_ns,
                                        gint64        duration_ns,
                                        gint64        frame_ns,
                                        gint64        target_ns);

/* The NAL length size of the "avc" stream format from its
 * AVCDecoderConfigurationRecord (the caps' codec_data): 1, 2 or 4; 0 when
 * @data is not such a record. */
int      cs_frame_skip_h264_nal_length_size (const guint8 *data,
                                             gsize         size);

G_END_DECLS
