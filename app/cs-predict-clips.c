/* cs-predict-clips.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "cs-predict-clips.h"

#define THUMB_SIZE 56

/* The first thumbnail fitted into a THUMB_SIZE square, whatever the clip's
 * orientation, so the titles line up. */
static GtkWidget *
thumbnail (CsClip *clip)
{
  GBytes *png = clip ? cs_clip_get_thumbnail (clip) : NULL;
  g_autoptr(GdkTexture) texture = png ? gdk_texture_new_from_bytes (png, NULL) : NULL;
  GtkWidget *image;

  if (texture != NULL)
    image = gtk_image_new_from_paintable (GDK_PAINTABLE (texture));
  else
    {
      image = gtk_image_new_from_icon_name ("video-x-generic-symbolic");
      gtk_widget_add_css_class (image, "dim-label");
    }
  gtk_image_set_pixel_size (GTK_IMAGE (image), THUMB_SIZE);
  gtk_widget_set_valign (image, GTK_ALIGN_CENTER);
  return image;
}

GtkWidget *
cs_predict_clip_row_new_value (CsClipList *clips,
                               gint64      clip_id,
                               const char *detail,
                               const char *value,
                               const char *value_tip,
                               GPtrArray  *reasons)
{
  CsClip *clip = clips ? cs_clip_list_find (clips, clip_id) : NULL;
  g_autofree char *fallback = g_strdup_printf (_("Clip %" PRId64), clip_id);
  g_autofree char *why = cs_predict_reasons_to_text (reasons);
  g_autofree char *subtitle = NULL;
  g_autofree char *escaped = NULL;
  const char *title = clip ? cs_clip_get_title (clip) : NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (value);

  /* Rows show markup; titles such as "Q&A: how we started" are text. */
  if (detail != NULL && why[0] != '\0')
    subtitle = g_markup_printf_escaped ("%s\n%s", detail, why);
  else
    subtitle = g_markup_escape_text (detail != NULL ? detail : why, -1);
  escaped = g_markup_escape_text (title && title[0] ? title : fallback, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), thumbnail (clip));
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_set_tooltip_text (label, value_tip);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  return row;
}

GtkWidget *
cs_predict_clip_row_new (CsClipList *clips,
                         gint64      clip_id,
                         const char *detail,
                         double      probability,
                         GPtrArray  *reasons)
{
  g_autofree char *percent = g_strdup_printf ("%.0f %%", 100 * probability);

  return cs_predict_clip_row_new_value (clips, clip_id, detail, percent,
                                        _("Probability of the predicted class"), reasons);
}

GtkWidget *
cs_predict_cell_window_new (GtkWidget                  *parent,
                            CsClipList                 *clips,
                            const CsPredictResult      *result,
                            const CsPredictModelResult *model,
                            guint                       truth,
                            guint                       predicted)
{
  g_autoptr(GPtrArray) cell = cs_predict_model_result_get_cell (model, truth, predicted);
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *note;
  g_autofree char *title = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *detail = NULL;
  GtkRoot *root = gtk_widget_get_root (parent);

  /* Translators: the window of a confusion matrix cell: "high, predicted medium" */
  title = g_strdup_printf (_("%s, predicted %s"), result->class_names[truth], result->class_names[predicted]);
  detail = g_strdup (title);
  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 600);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (title, model->label));
  gtk_box_append (GTK_BOX (box), header);

  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u clip was %s and predicted %s by a model that had not seen it "
                                          "(out-of-fold). Most probable first.",
                                          "%u clips were %s and predicted %s by models that had not seen them "
                                          "(out-of-fold). Most probable first.", cell->len),
                             cell->len, result->class_names[truth], result->class_names[predicted]);
  note = gtk_label_new (summary);
  gtk_label_set_wrap (GTK_LABEL (note), TRUE);
  gtk_label_set_xalign (GTK_LABEL (note), 0);
  gtk_box_append (GTK_BOX (content), note);
  note = gtk_label_new (result->explained ? cs_predict_reasons_describe (model->name)
                                          : _("No reasons: the comparison ran without explanations."));
  gtk_label_set_wrap (GTK_LABEL (note), TRUE);
  gtk_label_set_xalign (GTK_LABEL (note), 0);
  gtk_widget_add_css_class (note, "dim-label");
  gtk_box_append (GTK_BOX (content), note);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  for (guint i = 0; i < MIN (cell->len, CS_PREDICT_CLIPS_MAX_ROWS); i++)
    {
      const CsPredictClip *clip = g_ptr_array_index (cell, i);

      gtk_list_box_append (GTK_LIST_BOX (list),
                           cs_predict_clip_row_new (clips, clip->clip_id, detail, clip->proba[predicted],
                                                    clip->reasons));
    }
  if (cell->len > 0)
    gtk_box_append (GTK_BOX (content), list);
  if (cell->len > CS_PREDICT_CLIPS_MAX_ROWS)
    {
      g_autofree char *more = g_strdup_printf (_("And %u less probable clips."),
                                               cell->len - CS_PREDICT_CLIPS_MAX_ROWS);

      note = gtk_label_new (more);
      gtk_label_set_xalign (GTK_LABEL (note), 0);
      gtk_widget_add_css_class (note, "dim-label");
      gtk_box_append (GTK_BOX (content), note);
    }
  if (cell->len == 0 && model->clips->len == 0)
    {
      note = gtk_label_new (_("This comparison kept no per-clip predictions: run it again to list the clips."));
      gtk_label_set_wrap (GTK_LABEL (note), TRUE);
      gtk_label_set_xalign (GTK_LABEL (note), 0);
      gtk_box_append (GTK_BOX (content), note);
    }

  gtk_widget_set_margin_top (content, 12);
  gtk_widget_set_margin_bottom (content, 12);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), content);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_window_set_content (ADW_WINDOW (window), box);
  return window;
}
