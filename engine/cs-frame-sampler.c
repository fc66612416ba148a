/* cs-frame-sampler.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <gst/app/gstappsink.h>
#include <gst/video/video.h>
#include <math.h>
#include <string.h>

#include "cs-error.h"
#include "cs-frame-sampler.h"
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

static gboolean
video_only_autoplug_cb (GstElement *bin,
                        GstPad     *pad,
                        GstCaps    *caps,
                        gpointer    user_data)
{
  return !_cs_media_is_encoded_stream (caps, FALSE);
}

typedef struct
{
  GstElement *pipeline;
  GstElement *first;  /* where the decoded picture goes in */
} SamplerPads;

static void
pad_added_cb (GstElement *decodebin,
              GstPad     *pad,
              gpointer    user_data)
{
  SamplerPads *pads = user_data;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  const char *name = caps != NULL ? gst_structure_get_name (gst_caps_get_structure (caps, 0)) : "";
  g_autoptr(GstPad) sinkpad = NULL;
  GstElement *fake;

  if (g_str_equal (name, "video/x-raw"))
    {
      sinkpad = gst_element_get_static_pad (pads->first, "sink");
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
  gst_bin_add (GST_BIN (pads->pipeline), fake);
  gst_element_sync_state_with_parent (fake);
  sinkpad = gst_element_get_static_pad (fake, "sink");
  gst_pad_link (pad, sinkpad);
}

/* FFmpeg decoders start a pool of frame threads after every flushing seek,
 * which costs more than decoding the few frames a seek needs: one thread. */
static void
deep_element_added_cb (GstBin     *bin,
                       GstBin     *sub_bin,
                       GstElement *element,
                       gpointer    user_data)
{
  GstElementFactory *factory = gst_element_get_factory (element);

  if (factory != NULL &&
      g_str_has_prefix (GST_OBJECT_NAME (factory), "avdec_") &&
      g_object_class_find_property (G_OBJECT_GET_CLASS (element), "max-threads") != NULL)
    g_object_set (element, "max-threads", 1, NULL);
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
      (gint64) (GST_BUFFER_PTS (buffer) / GST_MSECOND) < g_atomic_int_get (target_ms))
    return GST_PAD_PROBE_DROP;
  return GST_PAD_PROBE_OK;
}

/* Play on from where the pipeline is, keeping the first frame at or after
 * each of the times from @first on. */
static void
sample_by_playing (GstElement    *pipeline,
                   GstElement    *head,
                   GstElement    *sink,
                   const gint64  *times_ms,
                   guint          first,
                   guint          n_times,
                   GPtrArray     *frames,
                   GCancellable  *cancellable)
{
  g_autoptr(GstPad) pad = gst_element_get_static_pad (head, "sink");
  gint target_ms = (gint) MIN (times_ms[first], G_MAXINT);
  guint next = first;
  gulong probe;

  probe = gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, drop_early_cb, &target_ms, NULL);
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
            g_atomic_int_set (&target_ms, (gint) MIN (times_ms[next], G_MAXINT));
          g_ptr_array_add (frames, frame);
        }
      else
        cs_sampled_frame_free (frame);
    }
  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  gst_pad_remove_probe (pad, probe);
}

GPtrArray *
cs_frame_sampler_sample (const CsMediaInfo  *info,
                         const gint64       *times_ms,
                         guint               n_times,
                         int                 max_long_side,
                         GCancellable       *cancellable,
                         GError            **error)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func ((GDestroyNotify) cs_sampled_frame_free);
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GError) local_error = NULL;
  GstElement *decodebin, *convert, *flip, *scale, *filter, *sink;
  SamplerPads pads;
  int w, h;
  gboolean seek_ok = TRUE;

  g_return_val_if_fail (info != NULL && info->uri != NULL, NULL);
  g_return_val_if_fail (times_ms != NULL || n_times == 0, NULL);

  cs_media_init ();
  pipeline = gst_object_ref_sink (gst_pipeline_new (NULL));
  decodebin = gst_element_factory_make ("uridecodebin", NULL);
  convert = gst_element_factory_make ("videoconvert", NULL);
  flip = gst_element_factory_make ("videoflip", NULL);
  scale = gst_element_factory_make ("videoscale", NULL);
  filter = gst_element_factory_make ("capsfilter", NULL);
  sink = gst_element_factory_make ("appsink", NULL);
  if (decodebin == NULL || convert == NULL || flip == NULL || scale == NULL ||
      filter == NULL || sink == NULL)
    {
      g_set_error_literal (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_NO_ELEMENT,
                           _("GStreamer’s video plugins are missing: install "
                             "gstreamer1.0-plugins-base and gstreamer1.0-plugins-good"));
      return NULL;
    }

  fit_size (info->width, info->height, max_long_side, &w, &h);
  caps = gst_caps_new_simple ("video/x-raw",
                              "format", G_TYPE_STRING, "RGB",
                              "width", G_TYPE_INT, w,
                              "height", G_TYPE_INT, h,
                              "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                              NULL);
  g_object_set (filter, "caps", caps, NULL);
  g_object_set (flip, "method", flip_method (info->rotation), NULL);
  g_object_set (sink, "sync", FALSE, "max-buffers", 1, NULL);
  g_object_set (decodebin, "uri", info->uri, NULL);
  gst_bin_add_many (GST_BIN (pipeline), decodebin, convert, flip, scale, filter, sink, NULL);
  /* Rotate and scale in the decoder's YUV, then convert only the small
   * picture to RGB: converting 720p and then scaling cost more than the
   * decoding itself. */
  gst_element_link_many (flip, scale, convert, filter, sink, NULL);

  pads.pipeline = pipeline;
  pads.first = flip;
  g_signal_connect (decodebin, "autoplug-continue", G_CALLBACK (video_only_autoplug_cb), NULL);
  g_signal_connect (decodebin, "pad-added", G_CALLBACK (pad_added_cb), &pads);
  g_signal_connect (pipeline, "deep-element-added", G_CALLBACK (deep_element_added_cb), NULL);

  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  if (!_cs_media_wait (pipeline, TRUE, PREROLL_TIMEOUT_MS (info->file_size), cancellable, &local_error))
    {
      gst_element_set_state (pipeline, GST_STATE_NULL);
      g_signal_handlers_disconnect_by_data (decodebin, &pads);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_TRUNCATED,
                     _("No picture could be decoded: %s"), local_error->message);
      return NULL;
    }

  for (guint i = 0; i < n_times; i++)
    {
      CsSampledFrame *frame;
      CsSampledFrame *previous = frames->len > 0 ? g_ptr_array_index (frames, frames->len - 1) : NULL;

      if (!seek_ok)
        {
          /* Key frames far apart (or none to seek to): decoding on from here
           * costs less than an accurate seek per sample, each of which
           * decodes from the key frame again. */
          sample_by_playing (pipeline, flip, sink, times_ms, i, n_times, frames, cancellable);
          break;
        }

      frame = seek_and_pull (pipeline, sink, times_ms[i],
                             GST_SEEK_FLAG_KEY_UNIT | GST_SEEK_FLAG_SNAP_NEAREST,
                             cancellable, &local_error);
      if (frame != NULL && previous != NULL && frame->time_ms <= previous->time_ms)
        {
          cs_sampled_frame_free (frame);
          frame = seek_and_pull (pipeline, sink, times_ms[i], GST_SEEK_FLAG_ACCURATE,
                                 cancellable, &local_error);
          if (frame != NULL && frame->time_ms <= previous->time_ms)
            g_clear_pointer (&frame, cs_sampled_frame_free);
          seek_ok = FALSE;
        }
      else if (frame == NULL && frames->len == 0)
        {
          /* The first seek failed: start again from the top and play through. */
          seek_ok = FALSE;
          g_clear_error (&local_error);
          if (g_cancellable_is_cancelled (cancellable))
            break;
          gst_element_set_state (pipeline, GST_STATE_READY);
          sample_by_playing (pipeline, flip, sink, times_ms, 0, n_times, frames, cancellable);
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

  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_signal_handlers_disconnect_by_data (decodebin, &pads);

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
