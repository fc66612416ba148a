/* cs-media-probe.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <gst/app/gstappsink.h>
#include <gst/pbutils/pbutils.h>
#include <math.h>
#include <string.h>

#include "cs-error.h"
#include "cs-media-private.h"
#include "cs-media-probe.h"
#include "cs-video-features.h"

/* Small damaged files make the discoverer wait for data that never comes:
 * allow 3 s plus 1 s per MiB (reading headers does not take longer for big
 * files, but slow disks do), at most 15 s. */
#define DISCOVER_TIMEOUT_S(size) CLAMP (3 + (size) / (1 << 20), 3, 15)
#define MEASURE_TIMEOUT_MS 60000
/* Shorter than this is a damaged file (a header and a frame), not a clip. */
#define MIN_DURATION_MS 100
#define AUDIO_RATE 8000

void
cs_media_info_free (CsMediaInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->uri);
  g_free (info->container);
  g_free (info->video_codec);
  g_free (info->audio_codec);
  g_free (info);
}

static gpointer
init_gst (gpointer data)
{
  gst_init (NULL, NULL);
  gst_pb_utils_init ();
  return NULL;
}

void
cs_media_init (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, init_gst, NULL);
}

const char *
cs_media_package_for_caps (const char *caps_name)
{
  static const struct { const char *prefix; const char *package; } table[] = {
    /* Exact caps names: "video/mpeg" must not match "video/mpegts". */
    /* FFmpeg's decoders (gst-libav) cover the patent-encumbered codecs. */
    { "video/x-h264",     "gstreamer1.0-libav (Flatpak: org.freedesktop.Platform.ffmpeg-full)" },
    { "video/x-h265",     "gstreamer1.0-libav (Flatpak: org.freedesktop.Platform.ffmpeg-full)" },
    { "video/mpeg",       "gstreamer1.0-libav (Flatpak: org.freedesktop.Platform.ffmpeg-full)" },
    { "video/x-divx",     "gstreamer1.0-libav (Flatpak: org.freedesktop.Platform.ffmpeg-full)" },
    { "video/x-msmpeg",   "gstreamer1.0-libav (Flatpak: org.freedesktop.Platform.ffmpeg-full)" },
    { "video/x-wmv",      "gstreamer1.0-libav (Flatpak: org.freedesktop.Platform.ffmpeg-full)" },
    { "video/x-h263",     "gstreamer1.0-libav (Flatpak: org.freedesktop.Platform.ffmpeg-full)" },
    { "video/x-prores",   "gstreamer1.0-libav (Flatpak: org.freedesktop.Platform.ffmpeg-full)" },
    { "video/x-cinepak",  "gstreamer1.0-libav (Flatpak: org.freedesktop.Platform.ffmpeg-full)" },
    { "audio/mpeg",       "gstreamer1.0-libav (Flatpak: org.freedesktop.Platform.ffmpeg-full)" },
    { "audio/x-ac3",      "gstreamer1.0-libav (Flatpak: org.freedesktop.Platform.ffmpeg-full)" },
    { "audio/x-wma",      "gstreamer1.0-libav (Flatpak: org.freedesktop.Platform.ffmpeg-full)" },
    { "audio/AMR",        "gstreamer1.0-plugins-ugly (Flatpak: org.freedesktop.Platform.ffmpeg-full)" },
    { "audio/x-pn-realaudio", "gstreamer1.0-libav (Flatpak: org.freedesktop.Platform.ffmpeg-full)" },
    /* Demuxers for old Windows and RealMedia containers live in -ugly. */
    { "video/x-ms-asf",   "gstreamer1.0-plugins-ugly" },
    { "application/vnd.rn-realmedia", "gstreamer1.0-plugins-ugly" },
    { "video/mpegts",     "gstreamer1.0-plugins-bad" },
    { "application/mxf",  "gstreamer1.0-plugins-bad" },
    { "video/x-dv",       "gstreamer1.0-plugins-good" },
  };

  if (caps_name != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (table); i++)
      if (g_str_equal (caps_name, table[i].prefix))
        return table[i].package;
  return "gstreamer1.0-libav or gstreamer1.0-plugins-bad";
}

static gpointer
list_decoders (gpointer video)
{
  GstElementFactoryListType type = GST_ELEMENT_FACTORY_TYPE_DECODER;

  if (GPOINTER_TO_INT (video))
    type |= GST_ELEMENT_FACTORY_TYPE_MEDIA_VIDEO | GST_ELEMENT_FACTORY_TYPE_MEDIA_IMAGE;
  else
    type |= GST_ELEMENT_FACTORY_TYPE_MEDIA_AUDIO;
  return gst_element_factory_list_get_elements (type, GST_RANK_NONE);
}

gboolean
_cs_media_is_encoded_stream (GstCaps  *caps,
                             gboolean  video)
{
  static GOnce once_video = G_ONCE_INIT;
  static GOnce once_audio = G_ONCE_INIT;
  GstStructure *s;
  const char *name;
  GList *factories, *matching;
  gboolean found;

  if (caps == NULL || gst_caps_is_empty (caps) || gst_caps_is_any (caps))
    return FALSE;
  s = gst_caps_get_structure (caps, 0);
  name = gst_structure_get_name (s);
  if (g_str_has_suffix (name, "/x-raw"))
    return FALSE;
  if (video && !g_str_has_prefix (name, "video/") && !g_str_has_prefix (name, "image/"))
    return FALSE;
  if (!video && !g_str_has_prefix (name, "audio/"))
    return FALSE;

  /* The factory lists are built once; the registry does not change under us. */
  if (video)
    factories = g_once (&once_video, list_decoders, GINT_TO_POINTER (TRUE));
  else
    factories = g_once (&once_audio, list_decoders, GINT_TO_POINTER (FALSE));
  matching = gst_element_factory_list_filter (factories, caps, GST_PAD_SINK, FALSE);
  found = matching != NULL;
  gst_plugin_feature_list_free (matching);
  return found;
}

gboolean
_cs_media_wait (GstElement    *pipeline,
                gboolean       async_done,
                guint          timeout_ms,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  GstMessageType types = GST_MESSAGE_ERROR | GST_MESSAGE_EOS;

  if (async_done)
    types |= GST_MESSAGE_ASYNC_DONE;

  for (;;)
    {
      GstMessage *msg;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error_literal (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_TRUNCATED,
                               _("Reading the file took too long; it may be damaged"));
          return FALSE;
        }

      msg = gst_bus_timed_pop_filtered (bus, 100 * GST_MSECOND, types);
      if (msg == NULL)
        continue;

      switch (GST_MESSAGE_TYPE (msg))
        {
        case GST_MESSAGE_ERROR:
          {
            g_autoptr(GError) gst_error = NULL;
            g_autofree char *debug = NULL;

            gst_message_parse_error (msg, &gst_error, &debug);
            g_set_error (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_TRUNCATED,
                         _("The file could not be decoded: %s"), gst_error->message);
            gst_message_unref (msg);
            return FALSE;
          }
        case GST_MESSAGE_EOS:
        case GST_MESSAGE_ASYNC_DONE:
          gst_message_unref (msg);
          return TRUE;
        default:
          gst_message_unref (msg);
          break;
        }
    }
}

int
_cs_media_rotation_from_tags (const GstTagList *tags)
{
  g_autofree char *orientation = NULL;

  if (tags == NULL || !gst_tag_list_get_string (tags, GST_TAG_IMAGE_ORIENTATION, &orientation))
    return 0;
  /* "rotate-90", "flip-rotate-270": the number is what matters for upright
   * display; mirrored clips are rare enough to show mirrored. */
  if (g_str_has_suffix (orientation, "-90"))
    return 90;
  if (g_str_has_suffix (orientation, "-180"))
    return 180;
  if (g_str_has_suffix (orientation, "-270"))
    return 270;
  return 0;
}

/* matroskademux marks VP8/VP9 with an alpha side channel. */
static gboolean
codec_alpha (GstCaps *caps)
{
  gboolean alpha = FALSE;

  if (caps == NULL || gst_caps_is_empty (caps))
    return FALSE;
  return gst_structure_get_boolean (gst_caps_get_structure (caps, 0), "codec-alpha", &alpha) && alpha;
}

static char *
describe_caps (GstCaps *caps)
{
  if (caps == NULL || gst_caps_is_empty (caps))
    return NULL;
  return gst_pb_utils_get_codec_description (caps);
}

static gboolean
has_decoder_for_name (const char *caps_name)
{
  g_autoptr(GstCaps) caps = gst_caps_new_empty_simple (caps_name);

  return _cs_media_is_encoded_stream (caps, g_str_has_prefix (caps_name, "video/") ||
                                            g_str_has_prefix (caps_name, "image/"));
}

/* "no decoder for HEVC (H.265): install gstreamer1.0-libav (Flatpak: …)" */
static void
set_missing_error (GstDiscovererInfo  *dinfo,
                   GError            **error)
{
  const char **details;
  g_autoptr(GString) what = g_string_new (NULL);
  g_autoptr(GString) packages = g_string_new (NULL);

  /* Owned by @dinfo. */
  details = gst_discoverer_info_get_missing_elements_installer_details (dinfo);
  for (guint i = 0; details != NULL && details[i] != NULL; i++)
    {
      /* gstreamer|1.0|app|DESCRIPTION|decoder-CAPS or element-NAME */
      g_auto(GStrv) fields = g_strsplit (details[i], "|", 5);
      const char *description, *detail, *caps_name = NULL;
      g_autofree char *caps_copy = NULL;
      const char *package;

      if (g_strv_length (fields) < 5)
        continue;
      description = fields[3];
      detail = fields[4];
      if (g_str_has_prefix (detail, "decoder-") || g_str_has_prefix (detail, "encoder-"))
        {
          char *comma;

          caps_copy = g_strdup (detail + strlen ("decoder-"));
          comma = strchr (caps_copy, ',');
          if (comma != NULL)
            *comma = '\0';
          caps_name = caps_copy;
        }
      /* MPEG program streams ("video/mpeg, systemstream=true") need a
       * demuxer, which -bad has, not a decoder. */
      if (caps_name != NULL && strstr (detail, "systemstream=(boolean)true") != NULL)
        package = "gstreamer1.0-plugins-bad";
      else if (caps_name != NULL && has_decoder_for_name (caps_name))
        /* A decoder for the codec is installed but refuses this variant of
         * it (H.264 "variant=itu" in old AVI files): no package helps. */
        package = _("no package: the installed decoders do not read this variant");
      else
        package = cs_media_package_for_caps (caps_name);

      if (what->len > 0)
        g_string_append (what, ", ");
      g_string_append (what, description);
      if (strstr (packages->str, package) == NULL)
        {
          if (packages->len > 0)
            g_string_append (packages, "; ");
          g_string_append (packages, package);
        }
    }

  if (what->len == 0)
    g_string_append (what, _("a codec of this file"));
  if (packages->len == 0)
    g_string_append (packages, cs_media_package_for_caps (NULL));

  if (g_str_has_prefix (packages->str, "gstreamer"))
    g_set_error (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_NO_DECODER,
                 _("Missing %s: install %s"), what->str, packages->str);
  else
    g_set_error (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_NO_DECODER,
                 _("Missing %s (%s)"), what->str, packages->str);
}

static gboolean
encoded_autoplug_cb (GstElement *bin,
                     GstPad     *pad,
                     GstCaps    *caps,
                     gpointer    user_data)
{
  return !_cs_media_is_encoded_stream (caps, TRUE) && !_cs_media_is_encoded_stream (caps, FALSE);
}

typedef struct
{
  GstElement *pipeline;
  GstElement *sink;
} DemuxPads;

static void
demux_pad_added_cb (GstElement *decodebin,
                    GstPad     *pad,
                    gpointer    user_data)
{
  DemuxPads *pads = user_data;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  const char *name = caps != NULL ? gst_structure_get_name (gst_caps_get_structure (caps, 0)) : "";
  g_autoptr(GstPad) sinkpad = NULL;
  GstElement *fake;

  if (g_str_has_prefix (name, "video/") || g_str_has_prefix (name, "image/"))
    {
      sinkpad = gst_element_get_static_pad (pads->sink, "sink");
      if (!gst_pad_is_linked (sinkpad))
        {
          gst_pad_link (pad, sinkpad);
          return;
        }
      g_clear_object (&sinkpad);
    }
  fake = gst_element_factory_make ("fakesink", NULL);
  g_object_set (fake, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add (GST_BIN (pads->pipeline), fake);
  gst_element_sync_state_with_parent (fake);
  sinkpad = gst_element_get_static_pad (fake, "sink");
  gst_pad_link (pad, sinkpad);
}

/* Demux to the end without decoding, and take the end of the last video
 * packet: cheap, and the same answer every time (a duration query on a
 * container that states none gives an estimate that depends on how much
 * the demuxer had read). */
gint64
_cs_media_measure_duration_ms (const char   *uri,
                               GCancellable *cancellable)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  GstElement *decodebin, *sink;
  DemuxPads pads;
  gint64 end = -1;
  gint64 deadline = g_get_monotonic_time () + (gint64) MEASURE_TIMEOUT_MS * 1000;

  pipeline = gst_object_ref_sink (gst_pipeline_new (NULL));
  decodebin = gst_element_factory_make ("uridecodebin", NULL);
  sink = gst_element_factory_make ("appsink", NULL);
  if (decodebin == NULL || sink == NULL)
    return -1;
  g_object_set (decodebin, "uri", uri, NULL);
  g_object_set (sink, "sync", FALSE, "max-buffers", 64, NULL);
  gst_bin_add_many (GST_BIN (pipeline), decodebin, sink, NULL);
  pads.pipeline = pipeline;
  pads.sink = sink;
  g_signal_connect (decodebin, "autoplug-continue", G_CALLBACK (encoded_autoplug_cb), NULL);
  g_signal_connect (decodebin, "pad-added", G_CALLBACK (demux_pad_added_cb), &pads);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);

  while (!g_cancellable_is_cancelled (cancellable) && g_get_monotonic_time () < deadline)
    {
      GstSample *sample;
      GstBuffer *buffer;
      GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

      if (msg != NULL)
        {
          gst_message_unref (msg);
          break;
        }
      sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 100 * GST_MSECOND);
      if (sample == NULL)
        {
          if (gst_app_sink_is_eos (GST_APP_SINK (sink)))
            break;
          continue;
        }
      buffer = gst_sample_get_buffer (sample);
      if (buffer != NULL && GST_BUFFER_PTS_IS_VALID (buffer))
        {
          gint64 e = GST_BUFFER_PTS (buffer);

          if (GST_BUFFER_DURATION_IS_VALID (buffer))
            e += GST_BUFFER_DURATION (buffer);
          end = MAX (end, e);
        }
      gst_sample_unref (sample);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_signal_handlers_disconnect_by_data (decodebin, &pads);
  return end >= 0 ? (gint64) ((end + GST_MSECOND / 2) / GST_MSECOND) : -1;
}

typedef struct
{
  GstDiscovererInfo *info;
  GError            *error;
  gboolean           done;
} Discovery;

static void
discovered_cb (GstDiscoverer     *discoverer,
               GstDiscovererInfo *info,
               GError            *error,
               gpointer           user_data)
{
  Discovery *discovery = user_data;

  g_clear_object (&discovery->info);
  discovery->info = info != NULL ? g_object_ref (info) : NULL;
  g_clear_error (&discovery->error);
  discovery->error = error != NULL ? g_error_copy (error) : NULL;
}

static void
finished_cb (GstDiscoverer *discoverer,
             gpointer       user_data)
{
  ((Discovery *) user_data)->done = TRUE;
}

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* gst_discoverer_discover_uri() cannot be cancelled and a damaged file can
 * hold it for its whole time-out: run it asynchronously on a private main
 * context instead, and look at @cancellable every 100 ms (DESIGN §2: a
 * cancel takes effect within 200 ms). */
static GstDiscovererInfo *
discover (GstDiscoverer  *discoverer,
          const char     *uri,
          GCancellable   *cancellable,
          GError        **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSource) wake = g_timeout_source_new (100);
  Discovery discovery = { NULL, NULL, FALSE };
  gulong discovered_id, finished_id;

  g_main_context_push_thread_default (context);
  g_source_set_callback (wake, wake_cb, NULL, NULL);
  g_source_attach (wake, context);
  discovered_id = g_signal_connect (discoverer, "discovered", G_CALLBACK (discovered_cb), &discovery);
  finished_id = g_signal_connect (discoverer, "finished", G_CALLBACK (finished_cb), &discovery);
  gst_discoverer_start (discoverer);
  gst_discoverer_discover_uri_async (discoverer, uri);
  while (!discovery.done && !g_cancellable_is_cancelled (cancellable))
    g_main_context_iteration (context, TRUE);
  gst_discoverer_stop (discoverer);
  g_signal_handler_disconnect (discoverer, discovered_id);
  g_signal_handler_disconnect (discoverer, finished_id);
  g_source_destroy (wake);
  g_main_context_pop_thread_default (context);

  if (discovery.error != NULL)
    g_propagate_error (error, discovery.error);
  return discovery.info;
}

/* An EBML variable-length integer at @p (RFC 8794 §4): its length is given
 * by the leading zero bits of the first byte. IDs keep the length marker,
 * sizes drop it; a size of all ones is "unknown" (G_MAXUINT64). 0 bytes
 * read when it does not fit before @end. */
static gsize
ebml_vint (const guint8 *p,
           const guint8 *end,
           gboolean      keep_marker,
           guint64      *value)
{
  gsize length = 1;
  guint64 v;
  gboolean all_ones;

  if (p >= end || p[0] == 0)
    return 0;
  while (!(p[0] & (0x80 >> (length - 1))))
    length++;
  if (p + length > end)
    return 0;
  v = keep_marker ? p[0] : (p[0] & (0xff >> length));
  all_ones = (p[0] & (0xff >> length)) == (0xff >> length);
  for (gsize i = 1; i < length; i++)
    {
      v = (v << 8) | p[i];
      all_ones = all_ones && p[i] == 0xff;
    }
  *value = !keep_marker && all_ones ? G_MAXUINT64 : v;
  return length;
}

#define EBML_ID_HEADER   0x1A45DFA3
#define EBML_ID_SEGMENT  0x18538067
#define EBML_ID_INFO     0x1549A966
#define EBML_ID_DURATION 0x4489
#define EBML_ID_CLUSTER  0x1F43B675

/* TRUE when a Matroska/WebM file states its duration: a Duration element
 * (float, > 0) in the Segment's Info (Matroska specification, RFC 9559
 * §5.1.2.4), looked for in the first 256 KiB, before the first Cluster,
 * where muxers write it. */
static gboolean
matroska_states_duration (const char *uri)
{
  g_autoptr(GFile) file = g_file_new_for_uri (uri);
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, NULL);
  g_autofree guint8 *data = g_malloc (256 * 1024);
  const guint8 *p, *end, *info_end = NULL;
  gsize n = 0;

  if (stream == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (stream), data, 256 * 1024, &n, NULL, NULL))
    return FALSE;
  p = data;
  end = data + n;
  while (p < end)
    {
      guint64 id, size;
      gsize l1 = ebml_vint (p, end, TRUE, &id), l2;

      if (l1 == 0 || (l2 = ebml_vint (p + l1, end, FALSE, &size)) == 0)
        return FALSE;
      p += l1 + l2;
      if (info_end != NULL && p > info_end)
        return FALSE;
      /* Go into the Segment and its Info; step over everything else. */
      if (id == EBML_ID_SEGMENT)
        continue;
      if (id == EBML_ID_INFO && size != G_MAXUINT64)
        {
          info_end = p + MIN (size, (guint64) (end - p));
          continue;
        }
      if (id == EBML_ID_CLUSTER || size == G_MAXUINT64 || size > (guint64) (end - p))
        return FALSE;
      if (id == EBML_ID_DURATION && info_end != NULL)
        {
          double duration;

          if (size == 4)
            {
              guint32 bits;
              float f;

              /* memcpy: the element need not be aligned (GST_READ_UINT32_BE
               * loads it as if it were, which UBSan rightly rejects). */
              memcpy (&bits, p, sizeof bits);
              bits = GUINT32_FROM_BE (bits);
              memcpy (&f, &bits, sizeof f);
              duration = f;
            }
          else if (size == 8)
            {
              guint64 bits;

              memcpy (&bits, p, sizeof bits);
              bits = GUINT64_FROM_BE (bits);
              memcpy (&duration, &bits, sizeof duration);
            }
          else
            return FALSE;
          return duration > 0;
        }
      p += size;
      if (info_end != NULL && p >= info_end)
        return FALSE;  /* the Info ended without a Duration */
    }
  return FALSE;
}

/* Matroska/WebM may state no duration, and then the demuxer's figure is an
 * estimate that changes from run to run: such files get their duration
 * checked by demuxing. One that states it in its Segment Info does not. */
static gboolean
needs_duration_check (const CsMediaInfo *info)
{
  if (info->duration_ms <= 0)
    return TRUE;
  if (info->container == NULL ||
      (strstr (info->container, "WebM") == NULL && strstr (info->container, "Matroska") == NULL))
    return FALSE;
  return !matroska_states_duration (info->uri);
}

gboolean
_cs_media_probe_finish (CsMediaInfo  *info,
                        gint64        measured_ms,
                        GError      **error)
{
  /* Keep the measured end only when it disagrees with the stated figure:
   * the stated one is exact when there is one. */
  if (measured_ms > 0 &&
      (info->duration_ms <= 0 || fabs ((double) measured_ms - info->duration_ms) > 0.05 * measured_ms + 100))
    {
      info->duration_ms = measured_ms;
      info->duration_measured = TRUE;
    }

  if (info->duration_ms < MIN_DURATION_MS)
    {
      g_set_error (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_TRUNCATED,
                   _("The file holds less than %d ms of video: it is damaged or cut short"),
                   MIN_DURATION_MS);
      return FALSE;
    }

  if (info->duration_ms > 0)
    info->bitrate = (gint64) llround (info->file_size * 8.0 * 1000.0 / info->duration_ms);
  return TRUE;
}

CsMediaInfo *
cs_media_probe (const char    *path,
                GCancellable  *cancellable,
                GError       **error)
{
  gboolean check = FALSE;

  return _cs_media_probe_deferred (path, FALSE, &check, cancellable, error);
}

CsMediaInfo *
_cs_media_info_new (const char    *path,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(CsMediaInfo) info = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) finfo = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  cs_media_init ();
  display = g_filename_display_basename (path);
  file = g_file_new_for_path (path);
  finfo = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                             G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (finfo == NULL)
    {
      g_set_error (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_OPEN,
                   _("“%s” cannot be read: %s"), display, local_error->message);
      return NULL;
    }

  info = g_new0 (CsMediaInfo, 1);
  info->uri = g_file_get_uri (file);
  info->file_size = g_file_info_get_size (finfo);
  if (info->file_size == 0)
    {
      g_set_error_literal (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_EMPTY,
                           _("The file is empty (0 bytes)"));
      return NULL;
    }
  return g_steal_pointer (&info);
}

/* What every probe does once the streams are known: refuse pictures under
 * 2 px, turn the size upright and settle the duration (measured now, or
 * left to the caller when @may_defer). */
static gboolean
probe_complete (CsMediaInfo   *info,
                gboolean       may_defer,
                gboolean      *check_duration,
                GCancellable  *cancellable,
                GError       **error)
{
  if (info->coded_width < 2 || info->coded_height < 2)
    {
      g_set_error (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_TOO_SMALL,
                   _("The picture is %d×%d pixels: too small to show or measure"),
                   info->coded_width, info->coded_height);
      return FALSE;
    }

  if (info->rotation == 90 || info->rotation == 270)
    {
      info->width = info->coded_height;
      info->height = info->coded_width;
    }
  else
    {
      info->width = info->coded_width;
      info->height = info->coded_height;
    }

  if (needs_duration_check (info))
    {
      gint64 measured;

      /* With a stated duration long enough to sample, the caller can demux
       * in a thread beside the sampling and finish the probe after it. */
      if (may_defer && info->duration_ms >= MIN_DURATION_MS)
        {
          *check_duration = TRUE;
          return TRUE;
        }
      measured = _cs_media_measure_duration_ms (info->uri, cancellable);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      return _cs_media_probe_finish (info, measured, error);
    }
  return _cs_media_probe_finish (info, -1, error);
}

CsMediaInfo *
_cs_media_probe_deferred (const char    *path,
                          gboolean       may_defer,
                          gboolean      *check_duration,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(GstDiscoverer) discoverer = NULL;
  g_autoptr(GstDiscovererInfo) dinfo = NULL;
  g_autoptr(CsMediaInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  GList *videos, *audios;
  GstClockTime duration;
  GstDiscovererResult result;

  g_return_val_if_fail (path != NULL, NULL);

  *check_duration = FALSE;
  info = _cs_media_info_new (path, cancellable, error);
  if (info == NULL)
    return NULL;

  discoverer = gst_discoverer_new (DISCOVER_TIMEOUT_S (info->file_size) * GST_SECOND, &local_error);
  if (discoverer == NULL)
    {
      g_set_error (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_NO_ELEMENT,
                   _("GStreamer cannot inspect files: %s"), local_error->message);
      return NULL;
    }
  g_clear_error (&local_error);
  dinfo = discover (discoverer, info->uri, cancellable, &local_error);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (dinfo == NULL)
    {
      g_set_error (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_NOT_MEDIA,
                   _("Not a video file: %s"),
                   local_error != NULL ? local_error->message : "?");
      return NULL;
    }

  result = gst_discoverer_info_get_result (dinfo);
  switch (result)
    {
    case GST_DISCOVERER_OK:
      break;
    case GST_DISCOVERER_MISSING_PLUGINS:
      set_missing_error (dinfo, error);
      return NULL;
    case GST_DISCOVERER_TIMEOUT:
      g_set_error_literal (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_TRUNCATED,
                           _("Reading the file took too long; it may be damaged"));
      return NULL;
    case GST_DISCOVERER_URI_INVALID:
    case GST_DISCOVERER_BUSY:
    case GST_DISCOVERER_ERROR:
    default:
      {
        GstDiscovererStreamInfo *sinfo = gst_discoverer_info_get_stream_info (dinfo);

        /* Only when no format was recognised at all is it "not media";
         * a demuxer or decoder that gave up means a damaged media file. */
        if ((local_error != NULL && g_error_matches (local_error, GST_STREAM_ERROR,
                                                     GST_STREAM_ERROR_TYPE_NOT_FOUND)) ||
            (local_error == NULL && sinfo == NULL))
          g_set_error (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_NOT_MEDIA,
                       _("Not a video file (its format is not recognised)"));
        else
          g_set_error (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_TRUNCATED,
                       _("The file is damaged or cut short: %s"),
                       local_error != NULL ? local_error->message : _("unreadable headers"));
        g_clear_object (&sinfo);
        return NULL;
      }
    }

  {
    GstDiscovererStreamInfo *top = gst_discoverer_info_get_stream_info (dinfo);

    if (top != NULL && GST_IS_DISCOVERER_CONTAINER_INFO (top))
      {
        g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (top);

        info->container = describe_caps (caps);
      }
    g_clear_object (&top);
  }

  videos = gst_discoverer_info_get_video_streams (dinfo);
  audios = gst_discoverer_info_get_audio_streams (dinfo);
  info->has_audio = audios != NULL;
  if (audios != NULL)
    {
      g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (audios->data);

      info->audio_codec = describe_caps (caps);
    }
  if (videos != NULL)
    {
      GstDiscovererVideoInfo *vinfo = videos->data;
      g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (videos->data);
      const GstTagList *tags = gst_discoverer_stream_info_get_tags (videos->data);
      guint num = gst_discoverer_video_info_get_framerate_num (vinfo);
      guint den = gst_discoverer_video_info_get_framerate_denom (vinfo);

      info->video_codec = describe_caps (caps);
      info->coded_width = gst_discoverer_video_info_get_width (vinfo);
      info->coded_height = gst_discoverer_video_info_get_height (vinfo);
      info->fps = den > 0 ? (double) num / den : 0.0;
      info->rotation = _cs_media_rotation_from_tags (tags);
      if (info->rotation == 0)
        info->rotation = _cs_media_rotation_from_tags (gst_discoverer_info_get_tags (dinfo));
      info->has_alpha = codec_alpha (caps);
    }
  gst_discoverer_stream_info_list_free (videos);
  gst_discoverer_stream_info_list_free (audios);

  if (info->video_codec == NULL)
    {
      if (info->has_audio)
        g_set_error (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_AUDIO_ONLY,
                     _("Sound only (%s), no picture: not a video clip"),
                     info->audio_codec != NULL ? info->audio_codec : "?");
      else
        g_set_error_literal (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_NOT_MEDIA,
                             _("Not a video file (no picture or sound found)"));
      return NULL;
    }

  info->seekable = gst_discoverer_info_get_seekable (dinfo);
  duration = gst_discoverer_info_get_duration (dinfo);
  if (GST_CLOCK_TIME_IS_VALID (duration) && duration > 0)
    info->duration_ms = (gint64) ((duration + GST_MSECOND / 2) / GST_MSECOND);

  if (!probe_complete (info, may_defer, check_duration, cancellable, error))
    return NULL;
  return g_steal_pointer (&info);
}

/* The caps a decodebin stream-topology node ended with: the pad's current
 * ones (a parser may have added fields since), else the recorded ones. */
static GstCaps *
node_caps (const GstStructure *node)
{
  GstPad *pad = NULL;
  GstCaps *caps = NULL;

  if (gst_structure_get (node, "element-srcpad", GST_TYPE_PAD, &pad, NULL))
    {
      caps = gst_pad_get_current_caps (pad);
      gst_object_unref (pad);
    }
  if (caps == NULL)
    gst_structure_get (node, "caps", GST_TYPE_CAPS, &caps, NULL);
  if (caps != NULL && (gst_caps_is_empty (caps) || gst_caps_is_any (caps)))
    g_clear_pointer (&caps, gst_caps_unref);
  return caps;
}

typedef struct
{
  GstCaps *container;
  GstCaps *video;
  GstCaps *audio;
} Streams;

/* Names each stream the way GstDiscoverer does from the same topology: by
 * the last encoded caps along its chain (a parser's output says more than
 * the demuxer's: "MPEG-1 Layer 3 (MP3)" rather than "MPEG-1 Audio"), or by
 * the first caps when the container holds raw pictures. The container is
 * the top node's, when it is a demuxer (its "next" is a list). */
static void
walk_topology (const GstStructure *node,
               gboolean            top,
               Streams            *streams)
{
  g_autoptr(GstCaps) first = NULL;
  g_autoptr(GstCaps) named = NULL;
  const char *name;

  for (;;)
    {
      const GValue *next = gst_structure_get_value (node, "next");
      g_autoptr(GstCaps) caps = node_caps (node);

      if (caps != NULL)
        {
          if (first == NULL)
            first = gst_caps_ref (caps);
          if (!g_str_has_suffix (gst_structure_get_name (gst_caps_get_structure (caps, 0)), "/x-raw"))
            gst_caps_replace (&named, caps);
        }
      if (next != NULL && GST_VALUE_HOLDS_LIST (next))
        {
          if (top && streams->container == NULL && caps != NULL)
            streams->container = gst_caps_ref (caps);
          for (guint i = 0; i < gst_value_list_get_size (next); i++)
            walk_topology (gst_value_get_structure (gst_value_list_get_value (next, i)), FALSE, streams);
          return;
        }
      if (next == NULL || !GST_VALUE_HOLDS_STRUCTURE (next))
        break;
      node = gst_value_get_structure (next);
      top = FALSE;
    }

  if (named == NULL)
    named = g_steal_pointer (&first);
  if (named == NULL)
    return;
  name = gst_structure_get_name (gst_caps_get_structure (named, 0));
  if ((g_str_has_prefix (name, "video/") || g_str_has_prefix (name, "image/")) && streams->video == NULL)
    streams->video = g_steal_pointer (&named);
  else if (g_str_has_prefix (name, "audio/") && streams->audio == NULL)
    streams->audio = g_steal_pointer (&named);
}

gboolean
_cs_media_probe_preroll (CsMediaInfo         *info,
                         GstElement          *pipeline,
                         const GstStructure  *topology,
                         GstCaps             *picture_caps,
                         int                  rotation,
                         gboolean             may_defer,
                         gboolean            *check_duration,
                         GCancellable        *cancellable,
                         GError             **error)
{
  Streams streams = { NULL, NULL, NULL };
  g_autoptr(GstQuery) seeking = gst_query_new_seeking (GST_FORMAT_TIME);
  GstStructure *s;
  gint64 duration = 0;
  int num = 0, den = 0;

  *check_duration = FALSE;
  if (topology == NULL || picture_caps == NULL || gst_caps_is_empty (picture_caps))
    return FALSE;
  walk_topology (topology, TRUE, &streams);
  if (streams.video == NULL)
    {
      g_clear_pointer (&streams.container, gst_caps_unref);
      g_clear_pointer (&streams.audio, gst_caps_unref);
      return FALSE;
    }

  info->container = describe_caps (streams.container);
  info->video_codec = describe_caps (streams.video);
  info->has_alpha = codec_alpha (streams.video);
  info->has_audio = streams.audio != NULL;
  info->audio_codec = describe_caps (streams.audio);
  g_clear_pointer (&streams.container, gst_caps_unref);
  g_clear_pointer (&streams.video, gst_caps_unref);
  g_clear_pointer (&streams.audio, gst_caps_unref);

  /* Size and rate of the decoded pictures, as the discoverer reports them. */
  s = gst_caps_get_structure (picture_caps, 0);
  gst_structure_get_int (s, "width", &info->coded_width);
  gst_structure_get_int (s, "height", &info->coded_height);
  if (gst_structure_get_fraction (s, "framerate", &num, &den) && den > 0)
    info->fps = (double) num / den;
  info->rotation = rotation;

  if (gst_element_query (pipeline, seeking))
    {
      GstFormat format;
      gboolean seekable = FALSE;

      gst_query_parse_seeking (seeking, &format, &seekable, NULL, NULL);
      info->seekable = format == GST_FORMAT_TIME && seekable;
    }
  if (gst_element_query_duration (pipeline, GST_FORMAT_TIME, &duration) && duration > 0)
    info->duration_ms = (duration + GST_MSECOND / 2) / GST_MSECOND;

  return probe_complete (info, may_defer, check_duration, cancellable, error);
}

static gpointer
list_audio_parsers (gpointer unused)
{
  return gst_element_factory_list_get_elements (GST_ELEMENT_FACTORY_TYPE_PARSER |
                                                GST_ELEMENT_FACTORY_TYPE_MEDIA_AUDIO,
                                                GST_RANK_MARGINAL);
}

gboolean
_cs_media_wants_parser (GstCaps *caps)
{
  static GOnce once = G_ONCE_INIT;
  GstStructure *s;
  GList *matching;
  gboolean flag = FALSE, found;

  if (caps == NULL || gst_caps_is_empty (caps) || gst_caps_is_any (caps))
    return FALSE;
  s = gst_caps_get_structure (caps, 0);
  if ((gst_structure_get_boolean (s, "parsed", &flag) && flag) ||
      (gst_structure_get_boolean (s, "framed", &flag) && flag))
    return FALSE;
  matching = gst_element_factory_list_filter (g_once (&once, list_audio_parsers, NULL),
                                              caps, GST_PAD_SINK, FALSE);
  found = matching != NULL;
  gst_plugin_feature_list_free (matching);
  return found;
}

static gboolean
audio_only_autoplug_cb (GstElement *bin,
                        GstPad     *pad,
                        GstCaps    *caps,
                        gpointer    user_data)
{
  return !_cs_media_is_encoded_stream (caps, TRUE);
}

typedef struct
{
  GstElement *pipeline;
  GstElement *audio_chain;  /* the audioconvert of the chain, linked once */
  gint        no_more_pads;
} AudioPads;

static void
audio_no_more_pads_cb (GstElement *decodebin,
                       gpointer    user_data)
{
  AudioPads *pads = user_data;

  g_atomic_int_set (&pads->no_more_pads, 1);
}

static void
audio_pad_added_cb (GstElement *decodebin,
                    GstPad     *pad,
                    gpointer    user_data)
{
  AudioPads *pads = user_data;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  const char *name = caps != NULL ? gst_structure_get_name (gst_caps_get_structure (caps, 0)) : "";
  g_autoptr(GstPad) sinkpad = NULL;

  if (g_str_equal (name, "audio/x-raw"))
    {
      sinkpad = gst_element_get_static_pad (pads->audio_chain, "sink");
      if (!gst_pad_is_linked (sinkpad))
        {
          gst_pad_link (pad, sinkpad);
          return;
        }
    }

  {
    GstElement *fake = gst_element_factory_make ("fakesink", NULL);

    g_object_set (fake, "sync", FALSE, "async", FALSE, NULL);
    gst_bin_add (GST_BIN (pads->pipeline), fake);
    gst_element_sync_state_with_parent (fake);
    g_clear_object (&sinkpad);
    sinkpad = gst_element_get_static_pad (fake, "sink");
    gst_pad_link (pad, sinkpad);
  }
}

gboolean
cs_media_measure_audio (const char    *uri,
                        double        *loudness_dbfs,
                        double        *silence_share,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr(GstBus) bus = NULL;
  GstElement *decodebin, *convert, *resample, *filter, *sink;
  g_autoptr(GstCaps) caps = NULL;
  AudioPads pads;
  gint64 deadline;
  gboolean failed = FALSE;
  g_autofree char *failure = NULL;

  g_return_val_if_fail (uri != NULL, FALSE);

  cs_media_init ();
  pipeline = gst_object_ref_sink (gst_pipeline_new (NULL));
  decodebin = gst_element_factory_make ("uridecodebin", NULL);
  convert = gst_element_factory_make ("audioconvert", NULL);
  resample = gst_element_factory_make ("audioresample", NULL);
  filter = gst_element_factory_make ("capsfilter", NULL);
  sink = gst_element_factory_make ("appsink", NULL);
  if (decodebin == NULL || convert == NULL || resample == NULL || filter == NULL || sink == NULL)
    {
      g_set_error_literal (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_NO_ELEMENT,
                           _("GStreamer’s base plugins are missing: install gstreamer1.0-plugins-base"));
      return FALSE;
    }
  caps = gst_caps_new_simple ("audio/x-raw",
                              "format", G_TYPE_STRING, "F32LE",
                              "channels", G_TYPE_INT, 1,
                              "rate", G_TYPE_INT, AUDIO_RATE,
                              "layout", G_TYPE_STRING, "interleaved",
                              NULL);
  g_object_set (filter, "caps", caps, NULL);
  g_object_set (sink, "sync", FALSE, "max-buffers", 64, NULL);
  g_object_set (decodebin, "uri", uri, NULL);
  gst_bin_add_many (GST_BIN (pipeline), decodebin, convert, resample, filter, sink, NULL);
  gst_element_link_many (convert, resample, filter, sink, NULL);

  pads.pipeline = pipeline;
  pads.audio_chain = convert;
  pads.no_more_pads = 0;
  g_signal_connect (decodebin, "autoplug-continue", G_CALLBACK (audio_only_autoplug_cb), NULL);
  g_signal_connect (decodebin, "pad-added", G_CALLBACK (audio_pad_added_cb), &pads);
  g_signal_connect (decodebin, "no-more-pads", G_CALLBACK (audio_no_more_pads_cb), &pads);

  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  deadline = g_get_monotonic_time () + (gint64) MEASURE_TIMEOUT_MS * 1000;

  for (;;)
    {
      GstSample *sample;
      GstMessage *msg;

      if (g_cancellable_is_cancelled (cancellable))
        break;
      if (g_get_monotonic_time () > deadline)
        {
          failed = TRUE;
          failure = g_strdup (_("decoding took too long"));
          break;
        }
      msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
      if (msg != NULL)
        {
          g_autoptr(GError) gst_error = NULL;

          gst_message_parse_error (msg, &gst_error, NULL);
          failure = g_strdup (gst_error->message);
          failed = TRUE;
          gst_message_unref (msg);
          break;
        }
      sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 100 * GST_MSECOND);
      if (sample == NULL)
        {
          g_autoptr(GstPad) chain_pad = gst_element_get_static_pad (convert, "sink");

          if (gst_app_sink_is_eos (GST_APP_SINK (sink)))
            break;
          /* Every stream is out and none is sound that decodes. */
          if (g_atomic_int_get (&pads.no_more_pads) && !gst_pad_is_linked (chain_pad))
            {
              failed = TRUE;
              failure = g_strdup (_("no sound stream could be decoded"));
              break;
            }
          continue;
        }
      {
        GstBuffer *buffer = gst_sample_get_buffer (sample);
        GstMapInfo map;

        if (buffer != NULL && gst_buffer_map (buffer, &map, GST_MAP_READ))
          {
            g_array_append_vals (samples, map.data, map.size / sizeof (float));
            gst_buffer_unmap (buffer, &map);
          }
      }
      gst_sample_unref (sample);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_signal_handlers_disconnect_by_data (decodebin, &pads);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (failed || samples->len == 0)
    {
      g_set_error (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_TRUNCATED,
                   _("The sound could not be decoded: %s"),
                   failure != NULL ? failure : _("no audio samples"));
      return FALSE;
    }

  *loudness_dbfs = cs_audio_rms_dbfs ((const float *) samples->data, samples->len);
  *silence_share = cs_audio_silence_share ((const float *) samples->data, samples->len,
                                           AUDIO_RATE / 10);
  return TRUE;
}
