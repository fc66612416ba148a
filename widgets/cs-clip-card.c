/* cs-clip-card.c: one clip in the clip grid.
 *
 * A clip without a stored thumbnail (the demo's simulated clips have none
 * until they are imported, clips known only from an event log have no file)
 * shows a gradient in the clip's colour: attrs "hue" when the project has
 * one, otherwise a muted colour derived from its id. That costs no decode at
 * all, so the grid stays smooth with thousands of such clips; the detail
 * pane's player shows the real frames.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cs-clip-card.h"

struct _CsClipCard
{
  GtkWidget   parent_instance;

  CsClip     *clip;

  GtkPicture *picture;
  GtkLabel   *title_label;
  GtkLabel   *duration_label;
  GtkLabel   *orientation_label;
  GtkWidget  *simulated_label;
};

G_DEFINE_FINAL_TYPE (CsClipCard, cs_clip_card, GTK_TYPE_WIDGET)

static GQuark paintable_quark;

char *
cs_clip_format_duration (gint64 duration_ms)
{
  gint64 s = (MAX (duration_ms, 0) + 500) / 1000;

  if (s >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", (int) (s / 3600), (int) (s / 60 % 60), (int) (s % 60));
  return g_strdup_printf ("%d:%02d", (int) (s / 60), (int) (s % 60));
}

const char *
cs_clip_orientation_badge (CsClip *clip)
{
  switch (cs_clip_get_orientation (clip))
    {
    case CS_CLIP_ORIENTATION_VERTICAL:
      return "9:16";
    case CS_CLIP_ORIENTATION_SQUARE:
      return "1:1";
    case CS_CLIP_ORIENTATION_LANDSCAPE:
      return "16:9";
    case CS_CLIP_ORIENTATION_UNKNOWN:
    default:
      return NULL;
    }
}

static void
hsv_to_rgb (double  h,
            double  s,
            double  v,
            guint8 *rgb)
{
  double c = v * s;
  double hp = fmod (h, 360.0) / 60.0;
  double x = c * (1 - fabs (fmod (hp, 2.0) - 1));
  double r = 0, g = 0, b = 0, m = v - c;

  if (hp < 1) { r = c; g = x; }
  else if (hp < 2) { r = x; g = c; }
  else if (hp < 3) { g = c; b = x; }
  else if (hp < 4) { g = x; b = c; }
  else if (hp < 5) { r = x; b = c; }
  else { r = c; b = x; }
  rgb[0] = (guint8) lround ((r + m) * 255);
  rgb[1] = (guint8) lround ((g + m) * 255);
  rgb[2] = (guint8) lround ((b + m) * 255);
}

/* A small diagonal gradient; GtkPicture scales it up smoothly. */
static GdkTexture *
placeholder_texture (CsClip *clip)
{
  enum { W = 16, H = 20 };
  double hue = cs_clip_get_hue (clip);
  double saturation = 0.55;
  guint8 light[3], dark[3];
  g_autoptr(GBytes) bytes = NULL;
  guint8 *pixels = g_malloc (W * H * 3);

  if (hue < 0)
    {
      hue = (double) ((guint64) cs_clip_get_id (clip) * 47 % 360);
      saturation = 0.25;
    }
  hsv_to_rgb (hue, saturation, 0.80, light);
  hsv_to_rgb (hue + 30.0, saturation * 0.8, 0.25, dark);
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      {
        double t = ((double) x / (W - 1) + (double) y / (H - 1)) / 2.0;

        for (int c = 0; c < 3; c++)
          pixels[(y * W + x) * 3 + c] = (guint8) lround (light[c] * (1 - t) + dark[c] * t);
      }
  bytes = g_bytes_new_take (pixels, W * H * 3);
  return gdk_memory_texture_new (W, H, GDK_MEMORY_R8G8B8, bytes, W * 3);
}

static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  GdkTexture *texture = gdk_texture_new_from_bytes (task_data, &error);

  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static void
decode_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CsClip *clip = CS_CLIP (object);
  g_autoptr(CsClipCard) self = user_data;
  g_autoptr(GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), NULL);

  /* A thumbnail that does not decode keeps the placeholder. */
  if (texture != NULL)
    g_object_set_qdata_full (G_OBJECT (clip), paintable_quark,
                             g_object_ref (texture), g_object_unref);
  if (self->clip == clip)
    gtk_picture_set_paintable (self->picture, cs_clip_card_get_paintable (clip));
}

/* The clip's picture: its decoded thumbnail when ready, else the placeholder.
 * Thumbnails are decoded once per clip, on a worker (see set_clip). */
GdkPaintable *
cs_clip_card_get_paintable (CsClip *clip)
{
  GdkPaintable *paintable;

  g_return_val_if_fail (CS_IS_CLIP (clip), NULL);

  if (paintable_quark == 0)
    paintable_quark = g_quark_from_static_string ("cs-clip-card-paintable");

  paintable = g_object_get_qdata (G_OBJECT (clip), paintable_quark);
  if (paintable == NULL)
    {
      static GQuark placeholder_quark;

      if (placeholder_quark == 0)
        placeholder_quark = g_quark_from_static_string ("cs-clip-card-placeholder");
      paintable = g_object_get_qdata (G_OBJECT (clip), placeholder_quark);
      if (paintable == NULL)
        {
          paintable = GDK_PAINTABLE (placeholder_texture (clip));
          g_object_set_qdata_full (G_OBJECT (clip), placeholder_quark, paintable, g_object_unref);
        }
    }
  return paintable;
}

/* Starts decoding @clip's thumbnail off the main thread, once. */
static void
ensure_thumbnail (CsClipCard *self,
                  CsClip     *clip)
{
  static GQuark pending_quark;
  g_autoptr(GTask) task = NULL;
  GBytes *png;

  if (pending_quark == 0)
    pending_quark = g_quark_from_static_string ("cs-clip-card-decoding");
  if (paintable_quark == 0)
    paintable_quark = g_quark_from_static_string ("cs-clip-card-paintable");

  png = cs_clip_get_thumbnail (clip);
  if (png == NULL ||
      g_object_get_qdata (G_OBJECT (clip), paintable_quark) != NULL ||
      g_object_get_qdata (G_OBJECT (clip), pending_quark) != NULL)
    return;

  g_object_set_qdata (G_OBJECT (clip), pending_quark, GINT_TO_POINTER (TRUE));
  task = g_task_new (clip, NULL, decode_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, ensure_thumbnail);
  g_task_set_task_data (task, g_bytes_ref (png), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, decode_thread);
}

GtkWidget *
cs_clip_card_new (void)
{
  return g_object_new (CS_TYPE_CLIP_CARD, NULL);
}

CsClip *
cs_clip_card_get_clip (CsClipCard *self)
{
  g_return_val_if_fail (CS_IS_CLIP_CARD (self), NULL);

  return self->clip;
}

void
cs_clip_card_set_clip (CsClipCard *self,
                       CsClip     *clip)
{
  g_autofree char *duration = NULL;
  g_autofree char *description = NULL;
  const char *badge;

  g_return_if_fail (CS_IS_CLIP_CARD (self));
  g_return_if_fail (clip == NULL || CS_IS_CLIP (clip));

  if (!g_set_object (&self->clip, clip))
    return;

  if (clip == NULL)
    {
      gtk_picture_set_paintable (self->picture, NULL);
      gtk_label_set_label (self->title_label, "");
      gtk_label_set_label (self->duration_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->orientation_label), FALSE);
      gtk_widget_set_visible (self->simulated_label, FALSE);
      return;
    }

  duration = cs_clip_format_duration (cs_clip_get_duration_ms (clip));
  badge = cs_clip_orientation_badge (clip);
  gtk_picture_set_paintable (self->picture, cs_clip_card_get_paintable (clip));
  ensure_thumbnail (self, clip);
  gtk_label_set_label (self->title_label, cs_clip_get_title (clip));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label), cs_clip_get_title (clip));
  gtk_label_set_label (self->duration_label, duration);
  gtk_widget_set_visible (GTK_WIDGET (self->duration_label), cs_clip_get_duration_ms (clip) > 0);
  gtk_label_set_label (self->orientation_label, badge ? badge : "");
  gtk_widget_set_visible (GTK_WIDGET (self->orientation_label), badge != NULL);
  gtk_widget_set_visible (self->simulated_label, cs_clip_get_simulated (clip));

  /* Translators: a clip's title and its duration, read by screen readers. */
  description = g_strdup_printf (_("%s, %s"), cs_clip_get_title (clip), duration);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
}

static void
cs_clip_card_dispose (GObject *object)
{
  CsClipCard *self = CS_CLIP_CARD (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), CS_TYPE_CLIP_CARD);
  /* The template's top box is not a bound child: unparent it too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->clip);

  G_OBJECT_CLASS (cs_clip_card_parent_class)->dispose (object);
}

static void
cs_clip_card_class_init (CsClipCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cs_clip_card_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "clipcard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clipscope/Clipscope/ui/cs-clip-card.ui");
  gtk_widget_class_bind_template_child (widget_class, CsClipCard, picture);
  gtk_widget_class_bind_template_child (widget_class, CsClipCard, title_label);
  gtk_widget_class_bind_template_child (widget_class, CsClipCard, duration_label);
  gtk_widget_class_bind_template_child (widget_class, CsClipCard, orientation_label);
  gtk_widget_class_bind_template_child (widget_class, CsClipCard, simulated_label);
}

static void
cs_clip_card_init (CsClipCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
