/* cs-frame-sampler.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <gst/app/gstappsink.h>
#include <gst/pbutils/pbutils.h>
#include <gst/video/video.h>
#include <math.h>
#include <string.h>

#include "cs-error.h"
#include "cs-frame-sampler.h"
#include "cs-frame-skip.h"
#include "cs-media-private.h"

/* A damaged file can preroll forever: 4 s plus 1 s per MiB, at most 20 s. */
#define PREROLL_TIMEOUT_MS(size) ((guint) CLAMP (4000 + (size) / 1024, 4000, 20000))
#define SEEK_TIMEOUT_MS    10000

void
cs_sampled_frame_free (CsSampledFrame *frame)
{
  if (frame == NULL)
    return;
  g_free (frame->data);
  g_free (frame);
}

CsRgbFrame
cs_sampled_frame_view (const CsSampledFrame *frame)
{
  CsRgbFrame view = { frame->data, frame->width, frame->height, frame->stride };

  return view;
}

static void
fit_size (int  width,
          int  height,
          int  max_long_side,
          int *out_width,
          int *out_height)
{
  int long_side = MAX (width, height);
  double scale = long_side > max_long_side ? (double) max_long_side / long_side : 1.0;

  *out_width = MAX (1, (int) lround (width * scale));
  *out_height = MAX (1, (int) lround (height * scale));
}

CsSampledFrame *
cs_sampled_frame_scale (const CsSampledFrame *frame,
                        int                   max_long_side)
{
  CsSampledFrame *out;
  int w, h;

  g_return_val_if_fail (frame != NULL && max_long_side > 0, NULL);

  fit_size (frame->width, frame->height, max_long_side, &w, &h);
  out = g_new0 (CsSampledFrame, 1);
  out->time_ms = frame->time_ms;
  out->width = w;
  out->height = h;
  out->stride = 3 * w;
  out->data = g_malloc ((gsize) out->stride * h);

  /* Area average: each output pixel is the mean of the source pixels whose
   * centres fall in its footprint (at least one), which is what a
   * thumbnail wants and cheap enough for a few frames. */
  for (int y = 0; y < h; y++)
    {
      int y0 = (int) ((gint64) y * frame->height / h);
      int y1 = MAX (y0 + 1, (int) ((gint64) (y + 1) * frame->height / h));

      for (int x = 0; x < w; x++)
        {
          int x0 = (int) ((gint64) x * frame->width / w);
          int x1 = MAX (x0 + 1, (int) ((gint64) (x + 1) * frame->width / w));
          guint sum[3] = { 0, 0, 0 };
          guint count = (guint) ((y1 - y0) * (x1 - x0));

          for (int sy = y0; sy < y1; sy++)
            {
              const guint8 *p = frame->data + (gsize) sy * frame->stride + 3 * x0;

              for (int sx = x0; sx < x1; sx++, p += 3)
                {
                  sum[0] += p[0];
                  sum[1] += p[1];
                  sum[2] += p[2];
                }
            }
          for (int c = 0; c < 3; c++)
            out->data[(gsize) y * out->stride + 3 * x + c] = (guint8) ((sum[c] + count / 2) / count);
        }
    }
  return out;
}

static CsSampledFrame *
frame_from_sample (GstSample *sample)
{
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstCaps *caps = gst_sample_get_caps (sample);
  GstVideoInfo vinfo;
  GstMapInfo map;
  CsSampledFrame *frame;
  int src_stride;

  if (buffer == NULL || caps == NULL || !gst_video_info_from_caps (&vinfo, caps))
    return NULL;
  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    return NULL;

  frame = g_new0 (CsSampledFrame, 1);
  frame->width = GST_VIDEO_INFO_WIDTH (&vinfo);
  frame->height = GST_VIDEO_INFO_HEIGHT (&vinfo);
  frame->stride = 3 * frame->width;
  frame->time_ms = GST_BUFFER_PTS_IS_VALID (buffer) ? (gint64) (GST_BUFFER_PTS (buffer) / GST_MSECOND) : -1;
  src_stride = GST_VIDEO_INFO_PLANE_STRIDE (&vinfo, 0);
  if ((gsize) src_stride * (frame->height - 1) + frame->stride > map.size)
    {
      gst_buffer_unmap (buffer, &map);
      g_free (frame);
      return NULL;
    }
  frame->data = g_malloc ((gsize) frame->stride * frame->height);
  for (int y = 0; y < frame->height; y++)
    memcpy (frame->data + (gsize) y * frame->stride, map.data + (gsize) y * src_stride, frame->stride);
  gst_buffer_unmap (buffer, &map);
  return frame;
}

struct _CsFrameSampler
{
  GstElement   *pipeline;
  GstElement   *decodebin;
  GstElement   *flip;       /* where the decoded picture goes in */
  GstElement   *filter;
  GstElement   *sink;
  int           max_long_side;
  GMutex        lock;       /* for the fields below, set from streaming threads */
  int           rotation;   /* from the tags at the first picture, or forced; -1 before */
  gboolean      forced_rotation;
  GstCaps      *picture_caps;
  /* Atomic: the next wanted time (ms) while playing on, -1 otherwise;
   * pictures before it are dropped after decoding (drop_early_cb) and,
   * when disposable, before (skip_disposable_cb). */
  gint          next_ms;
  /* Atomic: the time (ms) of an accurate seek under way, -1 otherwise. */
  gint          seek_ms;
  /* Atomic: the demuxer stamps every picture with its own time (MP4,
   * Matroska), so leaving pictures out cannot shift another's time. */
  gint          stamped;
  guint         n_sought;   /* samples the last grab took by a key-unit seek */
};

static gboolean
video_only_autoplug_cb (GstElement *bin,
                        GstPad     *pad,
                        GstCaps    *caps,
                        gpointer    user_data)
{
  /* Sound stays encoded, but goes through its parser when it has one. */
  return !_cs_media_is_encoded_stream (caps, FALSE) || _cs_media_wants_parser (caps);
}

static void
pad_added_cb (GstElement *decodebin,
              GstPad     *pad,
              gpointer    user_data)
{
  CsFrameSampler *sampler = user_data;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  const char *name = caps != NULL ? gst_structure_get_name (gst_caps_get_structure (caps, 0)) : "";
  g_autoptr(GstPad) sinkpad = NULL;
  GstElement *fake;

  if (g_str_equal (name, "video/x-raw"))
    {
      sinkpad = gst_element_get_static_pad (sampler->flip, "sink");
      if (!gst_pad_is_linked (sinkpad))
        {
          gst_pad_link (pad, sinkpad);
          return;
        }
      g_clear_object (&sinkpad);
    }

  /* Other streams (undecoded sound, a second picture) go nowhere; async
   * off so they do not hold up the preroll. */
  fake = gst_element_factory_make ("fakesink", NULL);
  g_object_set (fake, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add (GST_BIN (sampler->pipeline), fake);
  gst_element_sync_state_with_parent (fake);
  sinkpad = gst_element_get_static_pad (fake, "sink");
  gst_pad_link (pad, sinkpad);
}

/* Every stream is out: without a picture stream linked by now, the
 * preroll would wait for nothing (sound only, or a picture stream without
 * caps): tell preroll(). */
static void
no_more_pads_cb (GstElement *decodebin,
                 gpointer    user_data)
{
  CsFrameSampler *sampler = user_data;

  gst_element_post_message (sampler->pipeline,
                            gst_message_new_application (GST_OBJECT (sampler->pipeline),
                                                         gst_structure_new_empty ("cs-no-more-pads")));
}

typedef struct
{
  int stream;
  int global;
} TagRotation;

static gboolean
tag_rotation_cb (GstPad    *pad,
                 GstEvent **event,
                 gpointer   user_data)
{
  TagRotation *found = user_data;
  GstTagList *tags = NULL;

  if (GST_EVENT_TYPE (*event) != GST_EVENT_TAG)
    return TRUE;
  gst_event_parse_tag (*event, &tags);
  if (gst_tag_list_get_scope (tags) == GST_TAG_SCOPE_STREAM)
    found->stream = _cs_media_rotation_from_tags (tags);
  else
    found->global = _cs_media_rotation_from_tags (tags);
  return TRUE;
}

/* What skip_disposable_cb keeps about the decoder's input. */
typedef struct
{
  CsFrameSampler *sampler;
  GstCaps        *caps;             /* the caps the fields below are from */
  int             nal_length_size;  /* 1-4 "avc", 0 "byte-stream", -1 unusable */
  gint64          frame_ns;         /* from the frame rate, 0 unknown */
} SkipState;

static void
skip_state_free (gpointer data)
{
  SkipState *state = data;

  g_clear_pointer (&state->caps, gst_caps_unref);
  g_free (state);
}

static void
skip_state_update (SkipState *state,
                   GstCaps   *caps)
{
  GstStructure *s = gst_caps_get_structure (caps, 0);
  const char *format = gst_structure_get_string (s, "stream-format");
  const char *alignment = gst_structure_get_string (s, "alignment");
  const GValue *codec_data = gst_structure_get_value (s, "codec_data");
  int fps_n = 0, fps_d = 1;

  gst_caps_replace (&state->caps, caps);
  state->nal_length_size = -1;
  state->frame_ns = 0;
  if (gst_structure_get_fraction (s, "framerate", &fps_n, &fps_d) && fps_n > 0 && fps_d > 0)
    state->frame_ns = (gint64) gst_util_uint64_scale (GST_SECOND, fps_d, fps_n);
  /* One buffer must be one picture for a buffer to be left out whole. */
  if (g_strcmp0 (alignment, "au") != 0)
    return;
  if (g_strcmp0 (format, "byte-stream") == 0)
    state->nal_length_size = 0;
  else if ((g_strcmp0 (format, "avc") == 0 || g_strcmp0 (format, "avc3") == 0) &&
           codec_data != NULL && G_VALUE_HOLDS (codec_data, GST_TYPE_BUFFER))
    {
      GstMapInfo map;
      GstBuffer *record = gst_value_get_buffer (codec_data);

      if (gst_buffer_map (record, &map, GST_MAP_READ))
        {
          int length_size = cs_frame_skip_h264_nal_length_size (map.data, map.size);

          state->nal_length_size = length_size > 0 ? length_size : -1;
          gst_buffer_unmap (record, &map);
        }
    }
}

/* On the H.264 decoder's input: an access unit no picture refers to, and
 * shown well before the next wanted time, is dropped undecoded
 * (cs-frame-skip.h says which). Its own picture would have been dropped
 * after decoding (drop_early_cb), and no other picture changes. avdec_h264's
 * "skip-frame" property cannot do this: gst-libav 1.22 hands its values
 * (1 "Skip B-frames", 5 "Skip everything") to libavcodec's AVDiscard,
 * whose levels start at 8 for non-reference frames, so every value decodes
 * every frame (measured: 77 of 77 pictures out of again.mkv with each). */
static GstPadProbeReturn
skip_disposable_cb (GstPad          *pad,
                    GstPadProbeInfo *pinfo,
                    gpointer         user_data)
{
  SkipState *state = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (pinfo);
  gint next_ms = g_atomic_int_get (&state->sampler->next_ms);
  gint seek_ms = g_atomic_int_get (&state->sampler->seek_ms);
  g_autoptr(GstCaps) caps = NULL;
  GstMapInfo map;
  gint64 pts;
  gboolean early, disposable;

  if (buffer == NULL || (next_ms < 0 && seek_ms < 0) || !g_atomic_int_get (&state->sampler->stamped))
    return GST_PAD_PROBE_OK;
  if (!GST_BUFFER_PTS_IS_VALID (buffer))
    {
      /* The decoder will count this picture's time on from the last
       * picture out: from here on, leave nothing out. */
      g_atomic_int_set (&state->sampler->stamped, FALSE);
      return GST_PAD_PROBE_OK;
    }
  caps = gst_pad_get_current_caps (pad);
  if (caps == NULL)
    return GST_PAD_PROBE_OK;
  if (state->caps != caps)
    skip_state_update (state, caps);
  if (state->nal_length_size < 0)
    return GST_PAD_PROBE_OK;

  /* Playing on, the next wanted time only grows (and is read here before
   * the picture reaches drop_early_cb): a picture before it now is before
   * it then. */
  pts = (gint64) GST_BUFFER_PTS (buffer);
  if (next_ms >= 0)
    early = cs_frame_skip_before_next (pts, next_ms);
  else
    early = cs_frame_skip_before_target (pts,
                                         GST_BUFFER_DURATION_IS_VALID (buffer) ? (gint64) GST_BUFFER_DURATION (buffer) : -1,
                                         state->frame_ns, (gint64) seek_ms * GST_MSECOND);
  if (!early || !gst_buffer_map (buffer, &map, GST_MAP_READ))
    return GST_PAD_PROBE_OK;
  disposable = cs_frame_skip_h264_disposable (map.data, map.size, state->nal_length_size);
  gst_buffer_unmap (buffer, &map);
  return disposable ? GST_PAD_PROBE_DROP : GST_PAD_PROBE_OK;
}

/* FFmpeg decoders start a pool of frame threads after every flushing seek,
 * which costs more than decoding the few frames a seek needs: one thread.
 * libvpx's worker threads (vp8dec, vp9dec) wait for each other by
 * spinning: on a busy 2-core machine they took 15 s to decode a 3 s 360p
 * VP8 clip (stream-of-water.webm) that one thread decodes in 0.2 s. The
 * pictures are the same. H.264 pictures no other refers to may be left
 * out (skip_disposable_cb); VP8 and VP9 mark theirs only inside the
 * compressed header and vp8dec/vp9dec offer no way to skip, so those are
 * all decoded. */
static void
deep_element_added_cb (GstBin     *bin,
                       GstBin     *sub_bin,
                       GstElement *element,
                       gpointer    user_data)
{
  CsFrameSampler *sampler = user_data;
  GstElementFactory *factory = gst_element_get_factory (element);
  GObjectClass *klass = G_OBJECT_GET_CLASS (element);
  const char *name = factory != NULL ? GST_OBJECT_NAME (factory) : "";

  if (g_str_has_prefix (name, "avdec_") && g_object_class_find_property (klass, "max-threads") != NULL)
    g_object_set (element, "max-threads", 1, NULL);
  else if ((g_str_equal (name, "vp8dec") || g_str_equal (name, "vp9dec")) &&
           g_object_class_find_property (klass, "threads") != NULL)
    g_object_set (element, "threads", 1, NULL);

  /* Demuxers that give every picture its presentation time: other
   * demuxers (AVI, MPEG-PS, FLV) leave some unstamped, and the decoder
   * then counts on from the last picture out, which a left-out picture
   * would change. */
  if (g_str_equal (name, "qtdemux") || g_str_equal (name, "matroskademux"))
    g_atomic_int_set (&sampler->stamped, TRUE);
  if (g_str_equal (name, "avdec_h264"))
    {
      g_autoptr(GstPad) sinkpad = gst_element_get_static_pad (element, "sink");
      SkipState *state = g_new0 (SkipState, 1);

      state->sampler = sampler;
      state->nal_length_size = -1;
      gst_pad_add_probe (sinkpad, GST_PAD_PROBE_TYPE_BUFFER, skip_disposable_cb, state,
                         skip_state_free);
    }
}

static int
flip_method (int rotation)
{
  /* GstVideoFlipMethod: 1 clockwise, 2 rotate-180, 3 counterclockwise. */
  switch (rotation)
    {
    case 90:
      return 1;
    case 180:
      return 2;
    case 270:
      return 3;
    default:
      return 0;
    }
}

/* At the first decoded picture, its size and every tag the stream carries
 * are known: rotate from the tags (the stream's orientation, else the
 * file's) and scale to fit, before that picture reaches videoflip. */
static GstPadProbeReturn
first_picture_cb (GstPad          *pad,
                  GstPadProbeInfo *pinfo,
                  gpointer         user_data)
{
  CsFrameSampler *sampler = user_data;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  g_autoptr(GstPad) peer = gst_pad_get_peer (pad);
  g_autoptr(GstCaps) filter = NULL;
  TagRotation found = { 0, 0 };
  int width = 0, height = 0, rotation, w, h;

  if (caps == NULL)
    return GST_PAD_PROBE_OK;
  g_mutex_lock (&sampler->lock);
  if (!sampler->forced_rotation)
    {
      if (peer != NULL)
        gst_pad_sticky_events_foreach (peer, tag_rotation_cb, &found);
      sampler->rotation = found.stream != 0 ? found.stream : found.global;
    }
  rotation = sampler->rotation;
  gst_caps_replace (&sampler->picture_caps, caps);
  g_mutex_unlock (&sampler->lock);

  gst_structure_get_int (gst_caps_get_structure (caps, 0), "width", &width);
  gst_structure_get_int (gst_caps_get_structure (caps, 0), "height", &height);
  if (rotation == 90 || rotation == 270)
    fit_size (MAX (1, height), MAX (1, width), sampler->max_long_side, &w, &h);
  else
    fit_size (MAX (1, width), MAX (1, height), sampler->max_long_side, &w, &h);
  filter = gst_caps_new_simple ("video/x-raw",
                                "format", G_TYPE_STRING, "RGB",
                                "width", G_TYPE_INT, w,
                                "height", G_TYPE_INT, h,
                                "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                                NULL);
  g_object_set (sampler->flip, "method", flip_method (rotation), NULL);
  g_object_set (sampler->filter, "caps", filter, NULL);
  return GST_PAD_PROBE_REMOVE;
}

static CsSampledFrame *
seek_and_pull (GstElement    *pipeline,
               GstElement    *sink,
               gint64         time_ms,
               GstSeekFlags   flags,
               GCancellable  *cancellable,
               GError       **error)
{
  GstSample *sample;
  CsSampledFrame *frame;

  if (!gst_element_seek_simple (pipeline, GST_FORMAT_TIME, GST_SEEK_FLAG_FLUSH | flags,
                                time_ms * GST_MSECOND))
    return NULL;
  if (!_cs_media_wait (pipeline, TRUE, SEEK_TIMEOUT_MS, cancellable, error))
    return NULL;
  sample = gst_app_sink_try_pull_preroll (GST_APP_SINK (sink), 2 * GST_SECOND);
  if (sample == NULL)
    return NULL;
  frame = frame_from_sample (sample);
  gst_sample_unref (sample);
  return frame;
}

static GstPadProbeReturn
drop_early_cb (GstPad          *pad,
               GstPadProbeInfo *info,
               gpointer         user_data)
{
  gint *target_ms = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

  /* Frames before the next time wanted are dropped before any scaling or
   * conversion: playing through then costs the decoding alone. */
  if (buffer != NULL && GST_BUFFER_PTS_IS_VALID (buffer) &&
      cs_frame_skip_before_next ((gint64) GST_BUFFER_PTS (buffer), g_atomic_int_get (target_ms)))
    return GST_PAD_PROBE_DROP;
  return GST_PAD_PROBE_OK;
}

/* Play on from where the pipeline is, keeping the first frame at or after
 * each of the times from @first on. */
static void
sample_by_playing (CsFrameSampler *sampler,
                   const gint64  *times_ms,
                   guint          first,
                   guint          n_times,
                   GPtrArray     *frames,
                   GCancellable  *cancellable)
{
  GstElement *pipeline = sampler->pipeline;
  GstElement *sink = sampler->sink;
  g_autoptr(GstPad) pad = gst_element_get_static_pad (sampler->flip, "sink");
  guint next = first;
  gulong probe;

  g_atomic_int_set (&sampler->next_ms, (gint) MIN (times_ms[first], G_MAXINT));
  probe = gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, drop_early_cb, &sampler->next_ms, NULL);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while (next < n_times && !g_cancellable_is_cancelled (cancellable))
    {
      GstSample *sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 2 * GST_SECOND);
      CsSampledFrame *frame, *last;

      if (sample == NULL)
        break;
      frame = frame_from_sample (sample);
      gst_sample_unref (sample);
      if (frame == NULL)
        continue;
      last = frames->len > 0 ? g_ptr_array_index (frames, frames->len - 1) : NULL;
      if (frame->time_ms >= times_ms[next] && (last == NULL || frame->time_ms > last->time_ms))
        {
          while (next < n_times && frame->time_ms >= times_ms[next])
            next++;
          if (next < n_times)
            g_atomic_int_set (&sampler->next_ms, (gint) MIN (times_ms[next], G_MAXINT));
          g_ptr_array_add (frames, frame);
        }
      else
        cs_sampled_frame_free (frame);
    }
  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  gst_pad_remove_probe (pad, probe);
  g_atomic_int_set (&sampler->next_ms, -1);
}

guint
cs_frame_sampler_get_n_sought (CsFrameSampler *sampler)
{
  g_return_val_if_fail (sampler != NULL, 0);

  return sampler->n_sought;
}

void
cs_frame_sampler_free (CsFrameSampler *sampler)
{
  if (sampler == NULL)
    return;
  gst_element_set_state (sampler->pipeline, GST_STATE_NULL);
  if (sampler->decodebin != NULL)
    g_signal_handlers_disconnect_by_data (sampler->decodebin, sampler);
  gst_object_unref (sampler->pipeline);
  g_clear_pointer (&sampler->picture_caps, gst_caps_unref);
  g_mutex_clear (&sampler->lock);
  g_free (sampler);
}

/* uridecodebin ! videoflip ! videoscale ! videoconvert ! capsfilter !
 * appsink, not started yet. */
static CsFrameSampler *
sampler_new (const char  *uri,
             int          max_long_side,
             int          rotation,
             GError     **error)
{
  g_autoptr(CsFrameSampler) sampler = g_new0 (CsFrameSampler, 1);
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstPad) flip_sink = NULL;
  GstElement *convert, *scale;

  g_mutex_init (&sampler->lock);
  sampler->max_long_side = max_long_side;
  sampler->rotation = rotation;
  sampler->forced_rotation = rotation >= 0;
  sampler->next_ms = -1;
  sampler->seek_ms = -1;
  sampler->pipeline = gst_object_ref_sink (gst_pipeline_new (NULL));
  sampler->decodebin = gst_element_factory_make ("uridecodebin", NULL);
  convert = gst_element_factory_make ("videoconvert", NULL);
  sampler->flip = gst_element_factory_make ("videoflip", NULL);
  scale = gst_element_factory_make ("videoscale", NULL);
  sampler->filter = gst_element_factory_make ("capsfilter", NULL);
  sampler->sink = gst_element_factory_make ("appsink", NULL);
  if (sampler->decodebin == NULL || convert == NULL || sampler->flip == NULL || scale == NULL ||
      sampler->filter == NULL || sampler->sink == NULL)
    {
      /* Elements not yet in the bin are floating: sink and drop them. */
      GstElement *made[] = { sampler->decodebin, convert, sampler->flip, scale, sampler->filter, sampler->sink };

      for (guint i = 0; i < G_N_ELEMENTS (made); i++)
        if (made[i] != NULL)
          gst_object_unref (gst_object_ref_sink (made[i]));
      sampler->decodebin = NULL;
      g_set_error_literal (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_NO_ELEMENT,
                           _("GStreamer’s video plugins are missing: install "
                             "gstreamer1.0-plugins-base and gstreamer1.0-plugins-good"));
      return NULL;
    }

  /* The size comes at the first picture (first_picture_cb). */
  caps = gst_caps_new_simple ("video/x-raw",
                              "format", G_TYPE_STRING, "RGB",
                              "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                              NULL);
  g_object_set (sampler->filter, "caps", caps, NULL);
  g_object_set (sampler->sink, "sync", FALSE, "max-buffers", 1, NULL);
  g_object_set (sampler->decodebin, "uri", uri, "post-stream-topology", TRUE, NULL);
  gst_bin_add_many (GST_BIN (sampler->pipeline), sampler->decodebin, convert, sampler->flip, scale,
                    sampler->filter, sampler->sink, NULL);
  /* Rotate and scale in the decoder's YUV, then convert only the small
   * picture to RGB: converting 720p and then scaling cost more than the
   * decoding itself. */
  gst_element_link_many (sampler->flip, scale, convert, sampler->filter, sampler->sink, NULL);

  flip_sink = gst_element_get_static_pad (sampler->flip, "sink");
  gst_pad_add_probe (flip_sink, GST_PAD_PROBE_TYPE_BUFFER, first_picture_cb, sampler, NULL);
  g_signal_connect (sampler->decodebin, "autoplug-continue", G_CALLBACK (video_only_autoplug_cb), NULL);
  g_signal_connect (sampler->decodebin, "pad-added", G_CALLBACK (pad_added_cb), sampler);
  g_signal_connect (sampler->decodebin, "no-more-pads", G_CALLBACK (no_more_pads_cb), sampler);
  g_signal_connect (sampler->pipeline, "deep-element-added", G_CALLBACK (deep_element_added_cb), sampler);
  return g_steal_pointer (&sampler);
}

typedef enum
{
  PREROLL_OK,
  PREROLL_FAILED,    /* an error, a missing plugin or no picture: ask the discoverer why */
  PREROLL_STOPPED,   /* cancelled or timed out: @error is final */
} PrerollResult;

/* Pauses the pipeline and waits for its first picture, keeping the
 * decodebin's stream topology. */
static PrerollResult
preroll (CsFrameSampler  *sampler,
         guint            timeout_ms,
         GstStructure   **topology,
         GCancellable    *cancellable,
         GError         **error)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (sampler->pipeline);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  gst_element_set_state (sampler->pipeline, GST_STATE_PAUSED);
  for (;;)
    {
      g_autoptr(GstMessage) msg = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return PREROLL_STOPPED;
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error_literal (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_TRUNCATED,
                               _("Reading the file took too long; it may be damaged"));
          return PREROLL_STOPPED;
        }

      msg = gst_bus_timed_pop_filtered (bus, 100 * GST_MSECOND,
                                        GST_MESSAGE_ERROR | GST_MESSAGE_EOS |
                                        GST_MESSAGE_ASYNC_DONE | GST_MESSAGE_ELEMENT |
                                        GST_MESSAGE_APPLICATION);
      if (msg == NULL)
        continue;
      switch (GST_MESSAGE_TYPE (msg))
        {
        case GST_MESSAGE_ERROR:
          {
            g_autoptr(GError) gst_error = NULL;

            gst_message_parse_error (msg, &gst_error, NULL);
            g_set_error (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_TRUNCATED,
                         _("The file could not be decoded: %s"), gst_error->message);
            return PREROLL_FAILED;
          }
        case GST_MESSAGE_EOS:
          g_set_error_literal (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_TRUNCATED,
                               _("the file is damaged or cut short"));
          return PREROLL_FAILED;
        case GST_MESSAGE_ELEMENT:
          if (gst_message_has_name (msg, "stream-topology"))
            {
              g_clear_pointer (topology, gst_structure_free);
              *topology = gst_structure_copy (gst_message_get_structure (msg));
            }
          else if (gst_is_missing_plugin_message (msg))
            {
              g_set_error_literal (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_NO_DECODER,
                                   _("a plugin is missing"));
              return PREROLL_FAILED;
            }
          break;
        case GST_MESSAGE_APPLICATION:
          {
            g_autoptr(GstPad) flip_sink = gst_element_get_static_pad (sampler->flip, "sink");

            if (gst_message_has_name (msg, "cs-no-more-pads") && !gst_pad_is_linked (flip_sink))
              {
                g_set_error_literal (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_TRUNCATED,
                                     _("the file is damaged or cut short"));
                return PREROLL_FAILED;
              }
            break;
          }
        case GST_MESSAGE_ASYNC_DONE:
          {
            gboolean pictures;

            g_mutex_lock (&sampler->lock);
            pictures = sampler->picture_caps != NULL;
            g_mutex_unlock (&sampler->lock);
            if (pictures)
              return PREROLL_OK;
            /* Prerolled with no picture: sound only, or a picture stream
             * that decodes to nothing. */
            g_set_error_literal (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_TRUNCATED,
                                 _("the file is damaged or cut short"));
            return PREROLL_FAILED;
          }
        default:
          break;
        }
    }
}

CsFrameSampler *
_cs_frame_sampler_open_deferred (const char    *path,
                                 int            max_long_side,
                                 gboolean       may_defer,
                                 gboolean      *check_duration,
                                 CsMediaInfo  **info_out,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  g_autoptr(CsMediaInfo) info = NULL;
  g_autoptr(CsFrameSampler) sampler = NULL;
  g_autoptr(GstStructure) topology = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GstCaps) picture_caps = NULL;
  PrerollResult result;
  int rotation;

  g_return_val_if_fail (path != NULL && max_long_side > 0, NULL);

  *check_duration = FALSE;
  info = _cs_media_info_new (path, cancellable, error);
  if (info == NULL)
    return NULL;
  sampler = sampler_new (info->uri, max_long_side, -1, error);
  if (sampler == NULL)
    return NULL;

  result = preroll (sampler, PREROLL_TIMEOUT_MS (info->file_size), &topology, cancellable, &local_error);
  if (result == PREROLL_STOPPED)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (result == PREROLL_OK)
    {
      g_mutex_lock (&sampler->lock);
      picture_caps = gst_caps_ref (sampler->picture_caps);
      rotation = sampler->rotation;
      g_mutex_unlock (&sampler->lock);
      if (_cs_media_probe_preroll (info, sampler->pipeline, topology, picture_caps, rotation,
                                   may_defer, check_duration, cancellable, &local_error))
        {
          *info_out = g_steal_pointer (&info);
          return g_steal_pointer (&sampler);
        }
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  /* The pipeline failed or did not tell enough: the discoverer names what
   * is wrong (a missing plugin and its package, sound only, a damaged
   * header) as before. When it finds nothing wrong, the pictures alone do
   * not decode. */
  g_clear_pointer (&sampler, cs_frame_sampler_free);
  {
    g_autoptr(CsMediaInfo) probed = NULL;
    gboolean unused = FALSE;

    probed = _cs_media_probe_deferred (path, FALSE, &unused, cancellable, error);
    if (probed == NULL)
      return NULL;
  }
  if (local_error == NULL)
    g_set_error_literal (&local_error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_TRUNCATED,
                         _("the file is damaged or cut short"));
  g_set_error (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_TRUNCATED,
               _("No picture could be decoded: %s"), local_error->message);
  return NULL;
}

CsFrameSampler *
cs_frame_sampler_open (const char    *path,
                       int            max_long_side,
                       CsMediaInfo  **info,
                       GCancellable  *cancellable,
                       GError       **error)
{
  gboolean check = FALSE;

  return _cs_frame_sampler_open_deferred (path, max_long_side, FALSE, &check, info,
                                          cancellable, error);
}

GPtrArray *
cs_frame_sampler_grab (CsFrameSampler  *sampler,
                       const gint64    *times_ms,
                       guint            n_times,
                       GCancellable    *cancellable,
                       GError         **error)
{
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func ((GDestroyNotify) cs_sampled_frame_free);
  g_autoptr(GError) local_error = NULL;
  GstElement *pipeline = sampler->pipeline;
  gboolean seek_ok = TRUE;

  g_return_val_if_fail (sampler != NULL, NULL);
  g_return_val_if_fail (times_ms != NULL || n_times == 0, NULL);

  sampler->n_sought = 0;

  for (guint i = 0; i < n_times; i++)
    {
      CsSampledFrame *frame;
      CsSampledFrame *previous = frames->len > 0 ? g_ptr_array_index (frames, frames->len - 1) : NULL;

      if (!seek_ok)
        {
          /* Key frames far apart (or none to seek to): decoding on from here
           * costs less than an accurate seek per sample, each of which
           * decodes from the key frame again. */
          g_debug ("Key frames too far apart: decoding through from sample %u of %u", i, n_times);
          sample_by_playing (sampler, times_ms, i, n_times, frames, cancellable);
          break;
        }

      frame = seek_and_pull (pipeline, sampler->sink, times_ms[i],
                             GST_SEEK_FLAG_KEY_UNIT | GST_SEEK_FLAG_SNAP_NEAREST,
                             cancellable, &local_error);
      if (frame != NULL && previous != NULL && frame->time_ms <= previous->time_ms)
        {
          cs_sampled_frame_free (frame);
          /* The decoder goes from the key frame to the picture at times_ms[i]:
           * the disposable ones well before it need not be decoded. */
          g_atomic_int_set (&sampler->seek_ms, (gint) MIN (times_ms[i], G_MAXINT));
          frame = seek_and_pull (pipeline, sampler->sink, times_ms[i], GST_SEEK_FLAG_ACCURATE,
                                 cancellable, &local_error);
          g_atomic_int_set (&sampler->seek_ms, -1);
          if (frame != NULL && frame->time_ms <= previous->time_ms)
            g_clear_pointer (&frame, cs_sampled_frame_free);
          seek_ok = FALSE;
        }
      else if (frame != NULL)
        sampler->n_sought++;
      else if (frame == NULL && frames->len == 0)
        {
          /* The first seek failed: start again from the top and play through. */
          seek_ok = FALSE;
          g_clear_error (&local_error);
          if (g_cancellable_is_cancelled (cancellable))
            break;
          g_debug ("The first seek failed: decoding through from the start");
          gst_element_set_state (pipeline, GST_STATE_READY);
          sample_by_playing (sampler, times_ms, 0, n_times, frames, cancellable);
          break;
        }
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_clear_pointer (&frame, cs_sampled_frame_free);
          break;
        }
      if (frame != NULL)
        g_ptr_array_add (frames, frame);
      g_clear_error (&local_error);
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (frames->len == 0)
    {
      g_set_error_literal (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_TRUNCATED,
                           _("No picture could be decoded: the file is damaged or cut short"));
      return NULL;
    }
  return g_steal_pointer (&frames);
}

GPtrArray *
cs_frame_sampler_sample (const CsMediaInfo  *info,
                         const gint64       *times_ms,
                         guint               n_times,
                         int                 max_long_side,
                         GCancellable       *cancellable,
                         GError            **error)
{
  g_autoptr(CsFrameSampler) sampler = NULL;
  g_autoptr(GstStructure) topology = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (info != NULL && info->uri != NULL, NULL);
  g_return_val_if_fail (times_ms != NULL || n_times == 0, NULL);

  cs_media_init ();
  sampler = sampler_new (info->uri, max_long_side, info->rotation, error);
  if (sampler == NULL)
    return NULL;
  if (preroll (sampler, PREROLL_TIMEOUT_MS (info->file_size), &topology, cancellable,
               &local_error) != PREROLL_OK)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_TRUNCATED,
                     _("No picture could be decoded: %s"), local_error->message);
      return NULL;
    }
  return cs_frame_sampler_grab (sampler, times_ms, n_times, cancellable, error);
}
