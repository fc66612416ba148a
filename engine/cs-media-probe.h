/* cs-media-probe.h: what a video file is (GstDiscoverer), and what its
 * sound is like (decoded at a low rate). cs_clip_analyze() probes from the
 * preroll of its sampling pipeline instead (cs_frame_sampler_open()), with
 * the same results, and asks the discoverer only to explain a refusal.
 *
 * Every refusal is a CS_MEDIA_ERROR with a message a user can act on:
 * EMPTY (0 bytes), NOT_MEDIA (not audio or video at all), TRUNCATED (a
 * media file too damaged to read), NO_DECODER (names the codec and the
 * package that provides a decoder), AUDIO_ONLY, TOO_SMALL (a picture of
 * 1 pixel on a side), OPEN (cannot be read).
 *
 * A container that does not state its duration (some WebM recordings) is
 * measured by demuxing it to the end: the duration is the end of its last
 * video buffer.
 *
 * Blocking; call from a worker thread (GStreamer must be initialised).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char    *uri;
  char    *container;        /* "ISO MP4/M4A", "Matroska"; NULL when unknown */
  char    *video_codec;      /* "H.264 (High Profile)" as gst_pb_utils_get_codec_description() says */
  char    *audio_codec;      /* NULL without audio */
  gint64   duration_ms;
  gboolean duration_measured; /* the container had none: measured by demuxing */
  int      width;            /* as shown upright, after rotation */
  int      height;
  int      coded_width;      /* as stored in the stream, before rotation */
  int      coded_height;
  double   fps;              /* 0 when the stream does not say */
  gint64   bitrate;          /* bits per second over the whole file; 0 when unknown */
  int      rotation;         /* degrees clockwise to show upright: 0, 90, 180, 270 */
  gboolean has_audio;
  gboolean has_alpha;        /* VP8/VP9 with an alpha channel */
  gboolean seekable;
  gint64   file_size;        /* bytes */
} CsMediaInfo;

void         cs_media_info_free    (CsMediaInfo   *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsMediaInfo, cs_media_info_free)

/* Initialises GStreamer once (safe from any thread). */
void         cs_media_init         (void);

CsMediaInfo *cs_media_probe        (const char    *path,
                                    GCancellable  *cancellable,
                                    GError       **error);

/* Decodes the audio of @uri (mono, 8 kHz) and measures its loudness
 * (cs_audio_rms_dbfs) and silence share (cs_audio_silence_share over
 * 100 ms windows). The picture is not decoded. FALSE with @error when the
 * audio cannot be decoded (damaged audio): callers keep the clip and leave
 * the two features out. */
gboolean     cs_media_measure_audio (const char   *uri,
                                     double       *loudness_dbfs,
                                     double       *silence_share,
                                     GCancellable *cancellable,
                                     GError      **error);

/* The Debian package and Flatpak extension that provide a decoder for a
 * GStreamer caps name ("video/x-h265"), for messages. Never NULL. */
const char  *cs_media_package_for_caps (const char *caps_name);

G_END_DECLS
