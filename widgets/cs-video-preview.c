/* cs-video-preview.c: a small player for one clip.
 *
 * GTK 4.8's GStreamer backend hands out frames as decoded, without applying
 * the file's rotation tag, so the picture area draws the stream's paintable
 * itself, turned by the rotation the probe stored for the clip.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cs-clip-card.h"
#include "cs-video-preview.h"

/* The picture area: the stream's paintable, rotated and fitted. */
#define CS_TYPE_VIDEO_CANVAS (cs_video_canvas_get_type ())
G_DECLARE_FINAL_TYPE (CsVideoCanvas, cs_video_canvas, CS, VIDEO_CANVAS, GtkWidget)

struct _CsVideoCanvas
{
  GtkWidget     parent_instance;

  GdkPaintable *paintable;
  int           rotation;
  int           width;      /* upright display size, when known */
  int           height;
};

G_DEFINE_FINAL_TYPE (CsVideoCanvas, cs_video_canvas, GTK_TYPE_WIDGET)

static void
canvas_invalidate_size_cb (CsVideoCanvas *self)
{
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
canvas_invalidate_contents_cb (CsVideoCanvas *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
quarter_turn (int rotation)
{
  return rotation == 90 || rotation == 270;
}

/* The upright width and height to show: the clip's probed display size
 * (it accounts for non-square pixels, which GTK 4.8's paintable does not),
 * else the paintable's size turned by the rotation. */
static gboolean
upright_size (CsVideoCanvas *self,
              double        *uw,
              double        *uh)
{
  double pw, ph;

  if (self->width > 0 && self->height > 0)
    {
      *uw = self->width;
      *uh = self->height;
      return TRUE;
    }
  if (self->paintable == NULL)
    return FALSE;
  pw = gdk_paintable_get_intrinsic_width (self->paintable);
  ph = gdk_paintable_get_intrinsic_height (self->paintable);
  if (pw <= 0 || ph <= 0)
    return FALSE;
  *uw = quarter_turn (self->rotation) ? ph : pw;
  *uh = quarter_turn (self->rotation) ? pw : ph;
  return TRUE;
}

static void
cs_video_canvas_set_paintable (CsVideoCanvas *self,
                               GdkPaintable  *paintable,
                               int            rotation,
                               int            width,
                               int            height)
{
  if (self->paintable != NULL)
    g_signal_handlers_disconnect_by_data (self->paintable, self);
  g_set_object (&self->paintable, paintable);
  self->rotation = rotation;
  self->width = width;
  self->height = height;
  /* Tall clips get a taller picture (the pane is about 340 px wide). */
  {
    double uw, uh;

    gtk_widget_set_size_request (GTK_WIDGET (self), -1,
                                 upright_size (self, &uw, &uh) ? (int) CLAMP (336 * uh / uw, 190, 420) : 190);
  }
  if (paintable != NULL)
    {
      g_signal_connect_swapped (paintable, "invalidate-size", G_CALLBACK (canvas_invalidate_size_cb), self);
      g_signal_connect_swapped (paintable, "invalidate-contents", G_CALLBACK (canvas_invalidate_contents_cb), self);
    }
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
cs_video_canvas_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  CsVideoCanvas *self = CS_VIDEO_CANVAS (widget);
  double w = gtk_widget_get_width (widget);
  double h = gtk_widget_get_height (widget);
  double pw, ph, uw, uh, scale;

  if (self->paintable == NULL || !upright_size (self, &uw, &uh))
    return;

  /* The upright size fitted into the widget; the decoded picture is drawn
   * at that size before it is turned upright. */
  scale = MIN (w / uw, h / uh);
  pw = quarter_turn (self->rotation) ? uh : uw;
  ph = quarter_turn (self->rotation) ? uw : uh;

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (w / 2, h / 2));
  gtk_snapshot_rotate (snapshot, (float) self->rotation);
  /* gdk_paintable_snapshot draws from the origin: centre the picture so
   * that the rotation turns around its middle. */
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-pw * scale / 2, -ph * scale / 2));
  gdk_paintable_snapshot (self->paintable, snapshot, pw * scale, ph * scale);
  gtk_snapshot_restore (snapshot);
}

static void
cs_video_canvas_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  CsVideoCanvas *self = CS_VIDEO_CANVAS (widget);
  double uw, uh;

  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 0 : 180;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 320 : 240;
  /* Tall clips get a taller picture, up to a point, for the width given. */
  if (orientation == GTK_ORIENTATION_VERTICAL && for_size > 0 && upright_size (self, &uw, &uh))
    *natural = (int) CLAMP (for_size * uh / uw, 180, 420);
}

static GtkSizeRequestMode
cs_video_canvas_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
cs_video_canvas_dispose (GObject *object)
{
  cs_video_canvas_set_paintable (CS_VIDEO_CANVAS (object), NULL, 0, 0, 0);

  G_OBJECT_CLASS (cs_video_canvas_parent_class)->dispose (object);
}

static void
cs_video_canvas_class_init (CsVideoCanvasClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cs_video_canvas_dispose;
  GTK_WIDGET_CLASS (klass)->snapshot = cs_video_canvas_snapshot;
  GTK_WIDGET_CLASS (klass)->measure = cs_video_canvas_measure;
  GTK_WIDGET_CLASS (klass)->get_request_mode = cs_video_canvas_get_request_mode;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "videocanvas");
}

static void
cs_video_canvas_init (CsVideoCanvas *self)
{
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}

/* The preview */

struct _CsVideoPreview
{
  GtkWidget       parent_instance;

  GtkMediaStream *stream;
  double          fps;

  GtkStack       *stack;
  CsVideoCanvas  *canvas;
  GtkLabel       *error_label;
  GtkButton      *play_button;
  GtkScale       *scale;
  GtkLabel       *time_label;
  GtkToggleButton *loop_button;
  GtkWidget      *controls;
};

G_DEFINE_FINAL_TYPE (CsVideoPreview, cs_video_preview, GTK_TYPE_WIDGET)

static char *
format_time (gint64 us)
{
  gint64 s = MAX (us, 0) / G_USEC_PER_SEC;

  return g_strdup_printf ("%d:%02d", (int) (s / 60), (int) (s % 60));
}

static void
update_controls (CsVideoPreview *self)
{
  GtkMediaStream *stream = self->stream;
  gboolean prepared = stream != NULL && gtk_media_stream_is_prepared (stream);
  gint64 duration = prepared ? gtk_media_stream_get_duration (stream) : 0;
  gint64 now = prepared ? gtk_media_stream_get_timestamp (stream) : 0;
  gboolean playing = stream != NULL && gtk_media_stream_get_playing (stream);
  g_autofree char *t_now = format_time (now);
  g_autofree char *t_all = cs_clip_format_duration (duration / 1000);
  g_autofree char *text = g_strdup_printf ("%s / %s", t_now, t_all);
  GtkAdjustment *adj = gtk_range_get_adjustment (GTK_RANGE (self->scale));

  gtk_widget_set_sensitive (self->controls, prepared);
  gtk_button_set_icon_name (self->play_button,
                            playing ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button), playing ? _("Pause (Space)") : _("Play (Space)"));
  gtk_adjustment_configure (adj, now / (double) G_USEC_PER_SEC, 0, MAX (duration / (double) G_USEC_PER_SEC, 0.001),
                            0.1, 1.0, 0);
  gtk_label_set_label (self->time_label, text);
}

static void
stream_error_cb (CsVideoPreview *self)
{
  const GError *error = self->stream ? gtk_media_stream_get_error (self->stream) : NULL;

  if (error == NULL)
    return;
  gtk_label_set_label (self->error_label, error->message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
clear_stream (CsVideoPreview *self)
{
  if (self->stream == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->stream, self);
  gtk_media_stream_pause (self->stream);
  g_clear_object (&self->stream);
}

void
cs_video_preview_set_file (CsVideoPreview *self,
                           const char     *path,
                           int             rotation,
                           int             width,
                           int             height,
                           double          fps)
{
  g_return_if_fail (CS_IS_VIDEO_PREVIEW (self));

  clear_stream (self);
  self->fps = fps > 0 ? fps : 25.0;

  if (path == NULL)
    {
      cs_video_canvas_set_paintable (self->canvas, NULL, 0, 0, 0);
      gtk_label_set_label (self->error_label, _("This clip has no video file in the project."));
      gtk_stack_set_visible_child_name (self->stack, "error");
      update_controls (self);
      return;
    }
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *text = g_strdup_printf (_("The video file “%s” is missing. It may have been moved or deleted."), path);

      cs_video_canvas_set_paintable (self->canvas, NULL, 0, 0, 0);
      gtk_label_set_label (self->error_label, text);
      gtk_stack_set_visible_child_name (self->stack, "error");
      update_controls (self);
      return;
    }

  self->stream = gtk_media_file_new_for_filename (path);
  gtk_media_stream_set_loop (self->stream, gtk_toggle_button_get_active (self->loop_button));
  g_signal_connect_swapped (self->stream, "notify::prepared", G_CALLBACK (update_controls), self);
  g_signal_connect_swapped (self->stream, "notify::playing", G_CALLBACK (update_controls), self);
  g_signal_connect_swapped (self->stream, "notify::timestamp", G_CALLBACK (update_controls), self);
  g_signal_connect_swapped (self->stream, "notify::duration", G_CALLBACK (update_controls), self);
  g_signal_connect_swapped (self->stream, "notify::error", G_CALLBACK (stream_error_cb), self);
  cs_video_canvas_set_paintable (self->canvas, GDK_PAINTABLE (self->stream), ((rotation % 360) + 360) % 360,
                                 width, height);
  gtk_stack_set_visible_child_name (self->stack, "video");
  update_controls (self);
}

GtkMediaStream *
cs_video_preview_get_stream (CsVideoPreview *self)
{
  g_return_val_if_fail (CS_IS_VIDEO_PREVIEW (self), NULL);

  return self->stream;
}

void
cs_video_preview_toggle_play (CsVideoPreview *self)
{
  g_return_if_fail (CS_IS_VIDEO_PREVIEW (self));

  if (self->stream == NULL || !gtk_media_stream_is_prepared (self->stream))
    return;
  if (gtk_media_stream_get_playing (self->stream))
    gtk_media_stream_pause (self->stream);
  else
    {
      /* Play again from the start once the end was reached. */
      if (gtk_media_stream_get_ended (self->stream))
        gtk_media_stream_seek (self->stream, 0);
      gtk_media_stream_play (self->stream);
    }
}

void
cs_video_preview_step (CsVideoPreview *self,
                       int             frames)
{
  gint64 frame_us, target, duration;

  g_return_if_fail (CS_IS_VIDEO_PREVIEW (self));

  if (self->stream == NULL || !gtk_media_stream_is_prepared (self->stream) ||
      !gtk_media_stream_is_seekable (self->stream))
    return;
  gtk_media_stream_pause (self->stream);
  frame_us = (gint64) llround (G_USEC_PER_SEC / self->fps);
  duration = gtk_media_stream_get_duration (self->stream);
  target = gtk_media_stream_get_timestamp (self->stream) + frames * frame_us;
  target = CLAMP (target, 0, duration > 0 ? duration - 1 : 0);
  gtk_media_stream_seek (self->stream, target);
}

static void
play_clicked_cb (CsVideoPreview *self)
{
  cs_video_preview_toggle_play (self);
}

static void
step_back_clicked_cb (CsVideoPreview *self)
{
  cs_video_preview_step (self, -1);
}

static void
step_forward_clicked_cb (CsVideoPreview *self)
{
  cs_video_preview_step (self, 1);
}

static void
loop_toggled_cb (CsVideoPreview *self)
{
  if (self->stream != NULL)
    gtk_media_stream_set_loop (self->stream, gtk_toggle_button_get_active (self->loop_button));
}

static gboolean
scale_change_value_cb (CsVideoPreview *self,
                       GtkScrollType   scroll,
                       double          value)
{
  if (self->stream != NULL && gtk_media_stream_is_seekable (self->stream))
    gtk_media_stream_seek (self->stream, (gint64) (value * G_USEC_PER_SEC));
  return FALSE;
}

static void
canvas_pressed_cb (CsVideoPreview *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
  cs_video_preview_toggle_play (self);
}

static gboolean
toggle_shortcut (GtkWidget *widget,
                 GVariant  *args,
                 gpointer   user_data)
{
  cs_video_preview_toggle_play (CS_VIDEO_PREVIEW (widget));
  return TRUE;
}

static gboolean
step_shortcut (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  cs_video_preview_step (CS_VIDEO_PREVIEW (widget), g_variant_get_int32 (args));
  return TRUE;
}

GtkWidget *
cs_video_preview_new (void)
{
  return g_object_new (CS_TYPE_VIDEO_PREVIEW, NULL);
}

static void
cs_video_preview_dispose (GObject *object)
{
  CsVideoPreview *self = CS_VIDEO_PREVIEW (object);
  GtkWidget *child;

  clear_stream (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CS_TYPE_VIDEO_PREVIEW);
  /* The template's top box is not a bound child: unparent it too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cs_video_preview_parent_class)->dispose (object);
}

static void
cs_video_preview_class_init (CsVideoPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cs_video_preview_dispose;

  g_type_ensure (CS_TYPE_VIDEO_CANVAS);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "videopreview");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clipscope/Clipscope/ui/cs-video-preview.ui");
  gtk_widget_class_bind_template_child (widget_class, CsVideoPreview, stack);
  gtk_widget_class_bind_template_child (widget_class, CsVideoPreview, canvas);
  gtk_widget_class_bind_template_child (widget_class, CsVideoPreview, error_label);
  gtk_widget_class_bind_template_child (widget_class, CsVideoPreview, play_button);
  gtk_widget_class_bind_template_child (widget_class, CsVideoPreview, scale);
  gtk_widget_class_bind_template_child (widget_class, CsVideoPreview, time_label);
  gtk_widget_class_bind_template_child (widget_class, CsVideoPreview, loop_button);
  gtk_widget_class_bind_template_child (widget_class, CsVideoPreview, controls);
  gtk_widget_class_bind_template_callback (widget_class, play_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, step_back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, step_forward_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, loop_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, scale_change_value_cb);
  gtk_widget_class_bind_template_callback (widget_class, canvas_pressed_cb);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_space, 0, toggle_shortcut, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_comma, 0, step_shortcut, "i", -1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_period, 0, step_shortcut, "i", 1);
}

static void
cs_video_preview_init (CsVideoPreview *self)
{
  self->fps = 25.0;
  gtk_widget_init_template (GTK_WIDGET (self));
  update_controls (self);
}
