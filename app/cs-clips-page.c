/* cs-clips-page.c: the clip library.
 *
 * The clips load on a worker (CsClipList) and reach the grid as a ready
 * model; the grid is a GtkGridView over filter and sort models, so it only
 * makes cards for the clips on screen, whatever their number. Selecting a
 * clip loads its features and frames on a worker and opens the detail pane
 * (an AdwFlap: beside the grid when there is room, over it when narrow).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cs-chart-view.h"
#include "cs-clip-card.h"
#include "cs-retention-layer.h"
#include "cs-clips-page.h"
#include "cs-compat.h"
#include "cs-page-export.h"

struct _CsClipsPage
{
  AdwBin              parent_instance;

  CsProject          *project;
  CsJobList          *jobs;
  CsClipList         *clips;
  GCancellable       *load_cancellable;
  GCancellable       *details_cancellable;
  CsClipDetails      *details;
  gint64              loaded_count;     /* -1: never loaded */
  gint64              reselect_id;      /* clip to select after a reload */
  gboolean            loading;
  guint               cover_index;
  guint               reveal_tick_id;   /* waiting for the flap's first size */

  GtkCustomFilter    *filter;
  GtkCustomSorter    *sorter;
  GtkFilterListModel *filter_model;
  GtkSortListModel   *sort_model;
  GtkSingleSelection *selection;

  GtkStack           *stack;
  AdwFlap            *flap;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *sort_dropdown;
  GtkStack           *grid_stack;
  GtkGridView        *grid_view;
  GtkLabel           *detail_title;
  CsVideoPreview     *preview;
  CsChartView        *retention_view;
  CsChart            *retention_chart;
  CsRetentionLayer   *retention;
  GtkBox             *strip_row;
  GtkWidget          *simulated_note;
  GtkListBox         *info_list;
  GtkListBox         *features_list;
  GtkWidget          *features_empty;
  GtkWidget          *covers_box;
  GtkBox             *covers_row;
  GtkWidget          *export_cover_button;
  char               *detail_duration;
};

G_DEFINE_FINAL_TYPE (CsClipsPage, cs_clips_page, ADW_TYPE_BIN)

/* The features the importer stores (engine/cs-clip-import.h), with their
 * labels and how to show their units; others show with their stored name. */
typedef enum { UNIT_PLAIN, UNIT_PERCENT, UNIT_PER_MIN, UNIT_DBFS, UNIT_ORIENTATION } Unit;

static const struct {
  const char *name;
  const char *label;
  const char *hint;
  Unit        unit;
} known_features[] = {
  { "brightness", N_("Brightness"), N_("Mean luma: 0 % black, 100 % white"), UNIT_PERCENT },
  { "contrast", N_("Contrast"), N_("Standard deviation of luma: 0 flat, 0.5 half black, half white"), UNIT_PLAIN },
  { "colourfulness", N_("Colourfulness"), N_("Hasler–Süsstrunk: 15 slightly, 33 moderately, 59 quite, 82 highly colourful"), UNIT_PLAIN },
  { "saturation", N_("Saturation"), N_("Mean HSV saturation"), UNIT_PERCENT },
  { "sharpness", N_("Sharpness"), N_("Variance of the Laplacian: a few hundred is soft, thousands sharp"), UNIT_PLAIN },
  { "motion", N_("Motion"), N_("Mean change of luma between sampled frames"), UNIT_PERCENT },
  { "scene_cuts_per_min", N_("Scene cuts"), N_("Changes of scene between sampled frames"), UNIT_PER_MIN },
  { "orientation", N_("Orientation"), NULL, UNIT_ORIENTATION },
  { "loudness_dbfs", N_("Loudness"), N_("RMS level of the sound, in decibels below full scale"), UNIT_DBFS },
  { "silence_share", N_("Silence"), N_("Share of 100 ms windows quieter than −50 dBFS"), UNIT_PERCENT },
};

GtkWidget *
cs_clips_page_new (CsJobList *jobs)
{
  CsClipsPage *self = g_object_new (CS_TYPE_CLIPS_PAGE, NULL);

  self->jobs = g_object_ref (jobs);
  return GTK_WIDGET (self);
}

static void
list_clear (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
add_row (GtkListBox *list,
         const char *title,
         const char *value,
         const char *tooltip)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (value);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "numeric");
  if (tooltip != NULL)
    gtk_widget_set_tooltip_text (row, tooltip);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  gtk_list_box_append (list, row);
}

static char *
format_date (gint64 unix_s)
{
  g_autoptr(GDateTime) dt = unix_s > 0 ? g_date_time_new_from_unix_local (unix_s) : NULL;

  /* Translators: a date and time in strftime format. */
  return dt != NULL ? g_date_time_format (dt, _("%e %b %Y, %H:%M")) : NULL;
}

static void
show_info (CsClipsPage *self,
           CsClip      *clip)
{
  g_autofree char *duration = cs_clip_format_duration (cs_clip_get_duration_ms (clip));
  const char *none = _("Unknown");

  list_clear (self->info_list);

  g_free (self->detail_duration);
  self->detail_duration = g_strdup (duration);
  add_row (self->info_list, _("Duration"), duration, NULL);

  if (cs_clip_get_width (clip) > 0 && cs_clip_get_height (clip) > 0)
    {
      g_autofree char *size = NULL;

      /* Translators: width × height in pixels. */
      if (cs_clip_get_rotation (clip) != 0)
        size = g_strdup_printf (_("%d × %d, turned %d°"), cs_clip_get_width (clip), cs_clip_get_height (clip),
                                cs_clip_get_rotation (clip));
      else
        size = g_strdup_printf (_("%d × %d"), cs_clip_get_width (clip), cs_clip_get_height (clip));
      add_row (self->info_list, _("Resolution"), size, NULL);
    }
  if (cs_clip_get_fps (clip) > 0)
    {
      g_autofree char *fps = g_strdup_printf (_("%.3g fps"), cs_clip_get_fps (clip));
      add_row (self->info_list, _("Frame rate"), fps, NULL);
    }
  add_row (self->info_list, _("Container"), cs_clip_get_container (clip) ? cs_clip_get_container (clip) : none, NULL);
  add_row (self->info_list, _("Video"), cs_clip_get_video_codec (clip) ? cs_clip_get_video_codec (clip) : none, NULL);
  if (cs_clip_get_has_audio (clip))
    add_row (self->info_list, _("Sound"), cs_clip_get_audio_codec (clip) ? cs_clip_get_audio_codec (clip) : _("Yes"), NULL);
  else
    add_row (self->info_list, _("Sound"), _("None"), NULL);
  if (cs_clip_get_bitrate (clip) > 0)
    {
      g_autofree char *rate = g_strdup_printf (_("%.2f Mbit/s"), cs_clip_get_bitrate (clip) / 1e6);
      add_row (self->info_list, _("Bitrate"), rate, NULL);
    }
  if (cs_clip_get_file_size (clip) > 0)
    {
      g_autofree char *size = g_format_size ((guint64) cs_clip_get_file_size (clip));
      add_row (self->info_list, _("File size"), size, NULL);
    }
  if (cs_clip_get_posted_at (clip) > 0)
    {
      g_autofree char *posted = format_date (cs_clip_get_posted_at (clip));
      add_row (self->info_list, _("Posted"), posted, NULL);
    }
  if (cs_clip_get_path (clip) != NULL)
    {
      /* A path is long: it goes under the title, shortened in the middle. */
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *escaped = g_markup_escape_text (cs_clip_get_path (clip), -1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("File"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
      gtk_widget_set_tooltip_text (row, cs_clip_get_path (clip));
      gtk_list_box_append (self->info_list, row);
    }
}

static char *
format_feature (double value,
                Unit   unit)
{
  switch (unit)
    {
    case UNIT_PERCENT:
      return g_strdup_printf (_("%.1f %%"), value * 100.0);
    case UNIT_PER_MIN:
      return g_strdup_printf (_("%.1f per minute"), value);
    case UNIT_DBFS:
      return g_strdup_printf (_("%.1f dBFS"), value);
    case UNIT_ORIENTATION:
      switch ((int) lround (value))
        {
        case 0: return g_strdup (_("Landscape"));
        case 1: return g_strdup (_("Square"));
        case 2: return g_strdup (_("Vertical"));
        default: return g_strdup ("—");
        }
    case UNIT_PLAIN:
    default:
      return g_strdup_printf (fabs (value) >= 100 ? "%.0f" : "%.3g", value);
    }
}

static void
cover_toggled_cb (GtkToggleButton *button,
                  CsClipsPage     *self)
{
  if (gtk_toggle_button_get_active (button))
    self->cover_index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "cs-cover-index"));
}

static void
strip_clicked_cb (GtkButton   *button,
                  CsClipsPage *self)
{
  GtkMediaStream *stream = cs_video_preview_get_stream (self->preview);
  gint64 time_ms = *(gint64 *) g_object_get_data (G_OBJECT (button), "cs-time-ms");

  if (stream != NULL && gtk_media_stream_is_seekable (stream))
    {
      gtk_media_stream_pause (stream);
      gtk_media_stream_seek (stream, time_ms * 1000);
    }
}

/* The thumbnail strip under the player: a click shows that moment. */
static void
show_strip (CsClipsPage *self)
{
  CsClipDetails *details = self->details;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->strip_row))) != NULL)
    gtk_box_remove (self->strip_row, child);
  gtk_widget_set_visible (GTK_WIDGET (self->strip_row), details != NULL && details->thumbnails->len > 0);
  if (details == NULL)
    return;

  for (guint i = 0; i < details->thumbnails->len; i++)
    {
      const CsStoredFrame *frame = g_ptr_array_index (details->thumbnails, i);
      g_autoptr(GdkTexture) texture = gdk_texture_new_from_bytes (frame->png, NULL);
      g_autofree char *at = cs_clip_format_duration (frame->time_ms);
      GtkWidget *button, *picture;

      if (texture == NULL)
        continue;
      button = gtk_button_new ();
      picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
      gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
      gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
      gtk_widget_set_size_request (picture, 8, 36);
      gtk_button_set_child (GTK_BUTTON (button), picture);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_add_css_class (button, "clip-strip-frame");
      gtk_widget_set_tooltip_text (button, at);
      g_object_set_data_full (G_OBJECT (button), "cs-time-ms", g_memdup2 (&frame->time_ms, sizeof frame->time_ms), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (strip_clicked_cb), self);
      gtk_box_append (self->strip_row, button);
    }
}

/* Under the player: how much of the clip its viewers watched, in seconds
 * of the clip, when the event log has watch times for it. */
static void
show_retention (CsClipsPage *self)
{
  CsClipDetails *details = self->details;
  CsClip *clip = gtk_single_selection_get_selected_item (self->selection);
  double seconds[101];
  gint64 duration_ms;

  cs_line_layer_clear (CS_LINE_LAYER (self->retention));
  if (details == NULL || clip == NULL || details->retention_views == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->retention_view), FALSE);
      return;
    }
  duration_ms = cs_clip_get_duration_ms (clip);
  for (guint p = 0; p <= 100; p++)
    seconds[p] = duration_ms > 0 ? p * duration_ms / 100000.0 : p;
  cs_chart_set_axis_unit (self->retention_chart, CS_CHART_AXIS_X, duration_ms > 0 ? "s" : "%");
  {
    g_autofree char *views = cs_format_count (details->retention_views);
    /* Translators: chart title; %s is a number of views */
    g_autofree char *title = g_strdup_printf (_("Still watching (%s views)"), views);

    cs_chart_set_title (self->retention_chart, title);
  }
  cs_retention_layer_add_curve (self->retention, _("Views"), seconds, details->retention, 101);
  gtk_widget_set_visible (GTK_WIDGET (self->retention_view), TRUE);
}

static void
show_details (CsClipsPage *self)
{
  CsClipDetails *details = self->details;
  GtkWidget *child;
  GtkToggleButton *first = NULL;

  show_strip (self);
  show_retention (self);
  list_clear (self->features_list);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->covers_row))) != NULL)
    gtk_box_remove (self->covers_row, child);

  gtk_widget_set_visible (GTK_WIDGET (self->features_list), details != NULL && details->features->len > 0);
  gtk_widget_set_visible (self->features_empty, details == NULL || details->features->len == 0);
  gtk_widget_set_visible (self->covers_box, details != NULL && details->covers->len > 0);
  if (details == NULL)
    return;

  for (guint k = 0; k < G_N_ELEMENTS (known_features); k++)
    {
      double v = cs_clip_details_get_feature (details, known_features[k].name);
      g_autofree char *text = NULL;

      if (isnan (v))
        continue;
      text = format_feature (v, known_features[k].unit);
      add_row (self->features_list, _(known_features[k].label), text,
               known_features[k].hint ? _(known_features[k].hint) : NULL);
    }
  for (guint i = 0; i < details->features->len; i++)
    {
      const CsClipFeature *feature = &g_array_index (details->features, CsClipFeature, i);
      g_autofree char *text = NULL;
      gboolean known = FALSE;

      for (guint k = 0; k < G_N_ELEMENTS (known_features) && !known; k++)
        known = g_str_equal (feature->name, known_features[k].name);
      if (known)
        continue;
      text = format_feature (feature->value, UNIT_PLAIN);
      add_row (self->features_list, feature->name, text, NULL);
    }

  self->cover_index = 0;
  for (guint i = 0; i < details->covers->len; i++)
    {
      const CsStoredFrame *frame = g_ptr_array_index (details->covers, i);
      g_autoptr(GdkTexture) texture = gdk_texture_new_from_bytes (frame->png, NULL);
      GtkWidget *button = gtk_toggle_button_new ();
      GtkWidget *picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
      g_autofree char *at = cs_clip_format_duration (frame->time_ms);
      g_autofree char *tip = g_strdup_printf (_("Frame at %s"), at);

      gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
      gtk_widget_set_size_request (picture, -1, 120);
      gtk_button_set_child (GTK_BUTTON (button), picture);
      gtk_widget_set_tooltip_text (button, tip);
      gtk_widget_add_css_class (button, "cover-choice");
      g_object_set_data (G_OBJECT (button), "cs-cover-index", GUINT_TO_POINTER (i));
      if (first == NULL)
        first = GTK_TOGGLE_BUTTON (button);
      else
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), first);
      g_signal_connect (button, "toggled", G_CALLBACK (cover_toggled_cb), self);
      gtk_box_append (self->covers_row, button);
    }
  if (first != NULL)
    gtk_toggle_button_set_active (first, TRUE);
}

static void
details_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CsClipsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  CsClipDetails *details = cs_clip_details_load_finish (result, &error);

  if (details == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the clip’s details: %s", error->message);
      return;
    }
  g_clear_pointer (&self->details, cs_clip_details_free);
  self->details = details;
  show_details (self);
}

/* AdwFlap 1.2 starts its reveal spring at the velocity divided by the
 * flap's last allocated width. Before the flap's first allocation that is
 * 0 / 0: the spring's estimated duration becomes 1 ms and a frame drawn
 * within that millisecond lays the pane out at a NaN (INT_MIN) width, which
 * GTK reports as a critical warning. That happens when a clip is selected in
 * the same main-loop turn as the grid replaces the empty state (the first
 * import into an empty project, or a reload that selects the clip again),
 * so the reveal waits for the flap's first size. */
static void
stop_waiting_to_reveal (CsClipsPage *self)
{
  if (self->reveal_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->flap), self->reveal_tick_id);
  self->reveal_tick_id = 0;
}

static gboolean
reveal_when_allocated_cb (GtkWidget     *widget,
                          GdkFrameClock *clock,
                          gpointer       user_data)
{
  CsClipsPage *self = user_data;

  if (gtk_widget_get_width (widget) == 0)
    return G_SOURCE_CONTINUE;

  self->reveal_tick_id = 0;
  if (gtk_single_selection_get_selected_item (self->selection) != NULL)
    adw_flap_set_reveal_flap (self->flap, TRUE);
  return G_SOURCE_REMOVE;
}

static void
reveal_detail (CsClipsPage *self)
{
  GtkWidget *flap = GTK_WIDGET (self->flap);

  if (gtk_widget_get_mapped (flap) && gtk_widget_get_width (flap) == 0)
    {
      if (self->reveal_tick_id == 0)
        self->reveal_tick_id = gtk_widget_add_tick_callback (flap, reveal_when_allocated_cb,
                                                             self, NULL);
      return;
    }

  stop_waiting_to_reveal (self);
  adw_flap_set_reveal_flap (self->flap, TRUE);
}

static void
selection_changed_cb (CsClipsPage *self)
{
  CsClip *clip = gtk_single_selection_get_selected_item (self->selection);

  g_cancellable_cancel (self->details_cancellable);
  g_clear_object (&self->details_cancellable);
  g_clear_pointer (&self->details, cs_clip_details_free);

  if (clip == NULL)
    {
      cs_video_preview_set_file (self->preview, NULL, 0, 0, 0, 0);
      stop_waiting_to_reveal (self);
      adw_flap_set_reveal_flap (self->flap, FALSE);
      return;
    }

  gtk_label_set_label (self->detail_title, cs_clip_get_title (clip));
  gtk_widget_set_visible (self->simulated_note, cs_clip_get_simulated (clip));
  cs_video_preview_set_file (self->preview, cs_clip_get_path (clip),
                             cs_clip_get_rotation (clip), cs_clip_get_width (clip),
                             cs_clip_get_height (clip), cs_clip_get_fps (clip));
  show_info (self, clip);
  show_details (self);
  reveal_detail (self);

  if (self->project != NULL)
    {
      self->details_cancellable = g_cancellable_new ();
      cs_clip_details_load_async (cs_project_get_path (self->project), cs_clip_get_id (clip),
                                  self->details_cancellable, details_loaded_cb, g_object_ref (self));
    }
}

static void
flap_revealed_cb (CsClipsPage *self)
{
  /* Closing the pane (the shield of a folded flap, or Escape) unselects. */
  if (!adw_flap_get_reveal_flap (self->flap) &&
      gtk_single_selection_get_selected (self->selection) != GTK_INVALID_LIST_POSITION)
    gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

static void
close_detail_clicked_cb (CsClipsPage *self)
{
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

static void
update_grid_stack (CsClipsPage *self)
{
  gboolean any = g_list_model_get_n_items (G_LIST_MODEL (self->sort_model)) > 0;

  gtk_stack_set_visible_child_name (self->grid_stack, any ? "grid" : "no-results");
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  CsClipsPage *self = user_data;

  return cs_clip_matches (item, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static int
sort_func (gconstpointer a,
           gconstpointer b,
           gpointer      user_data)
{
  CsClipsPage *self = user_data;
  static const CsClipSort sorts[] = { CS_CLIP_SORT_ADDED, CS_CLIP_SORT_DURATION, CS_CLIP_SORT_NAME };
  guint i = MIN (gtk_drop_down_get_selected (self->sort_dropdown), G_N_ELEMENTS (sorts) - 1);

  return cs_clip_compare ((CsClip *) a, (CsClip *) b, sorts[i]);
}

static void
search_changed_cb (CsClipsPage *self)
{
  if (self->filter != NULL)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
sort_changed_cb (CsClipsPage *self)
{
  if (self->sorter != NULL)
    gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);
}

/* Export Cover */

static void
cover_chosen_cb (GFile    *file,
                 gpointer  user_data)
{
  g_autoptr(CsClipsPage) self = user_data;
  const CsStoredFrame *frame;

  if (file == NULL || self->details == NULL || self->cover_index >= self->details->covers->len)
    return;
  frame = g_ptr_array_index (self->details->covers, self->cover_index);
  cs_page_save_bytes_async (GTK_WIDGET (self), file, frame->png, _("Could Not Save the Cover"),
                            NULL, NULL, NULL);
}

static void
export_cover_clicked_cb (CsClipsPage *self)
{
  CsClip *clip = gtk_single_selection_get_selected_item (self->selection);
  g_autofree char *name = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (clip == NULL || self->details == NULL || self->details->covers->len == 0)
    return;
  /* Translators: the suggested file name of an exported cover. */
  name = g_strdup_printf (_("%s cover.png"), cs_clip_get_title (clip));
  g_strdelimit (name, "/\\", '-');
  cs_compat_save_file (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Export Cover"), name,
                       CS_FILE_FILTER_PNG, cover_chosen_cb, g_object_ref (self));
}

/* Loading */

static void
set_clips (CsClipsPage *self,
           CsClipList  *clips)
{
  guint n;

  g_set_object (&self->clips, clips);
  gtk_filter_list_model_set_model (self->filter_model, G_LIST_MODEL (clips));
  n = g_list_model_get_n_items (G_LIST_MODEL (clips));
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "main" : "empty");
  update_grid_stack (self);

  if (self->reselect_id > 0)
    {
      GListModel *model = G_LIST_MODEL (self->sort_model);

      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(CsClip) clip = g_list_model_get_item (model, i);

          if (cs_clip_get_id (clip) == self->reselect_id)
            {
              gtk_single_selection_set_selected (self->selection, i);
              break;
            }
        }
      self->reselect_id = 0;
    }
}

static void
clips_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CsClipsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CsClipList) clips = cs_clip_list_load_finish (result, &error);

  if (clips == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->loading = FALSE;
      self->loaded_count = -1;
      g_warning ("Could not read the clips: %s", error->message);
      return;
    }
  self->loading = FALSE;
  self->loaded_count = g_list_model_get_n_items (G_LIST_MODEL (clips));
  set_clips (self, clips);
}

void
cs_clips_page_refresh (CsClipsPage *self,
                       gboolean     force)
{
  CsClip *selected;

  g_return_if_fail (CS_IS_CLIPS_PAGE (self));

  if (self->project == NULL)
    return;
  if (!force && self->loaded_count == cs_project_get_counts (self->project)->n_clips)
    return;

  selected = gtk_single_selection_get_selected_item (self->selection);
  if (selected != NULL)
    self->reselect_id = cs_clip_get_id (selected);

  g_cancellable_cancel (self->load_cancellable);
  g_set_object (&self->load_cancellable, g_cancellable_new ());
  self->loading = TRUE;
  /* Counted as loaded now, so that ::changed during the load does not start
   * another; a failed load forgets it. */
  self->loaded_count = cs_project_get_counts (self->project)->n_clips;
  cs_clip_list_load_async (cs_project_get_path (self->project), self->load_cancellable,
                           clips_loaded_cb, g_object_ref (self));
}

void
cs_clips_page_set_project (CsClipsPage *self,
                           CsProject   *project)
{
  g_return_if_fail (CS_IS_CLIPS_PAGE (self));

  if (!g_set_object (&self->project, project))
    return;

  g_cancellable_cancel (self->load_cancellable);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  self->loaded_count = -1;
  self->reselect_id = 0;
  {
    g_autoptr(CsClipList) empty = cs_clip_list_new ();
    set_clips (self, empty);
  }
  cs_clips_page_refresh (self, TRUE);
}

gboolean
cs_clips_page_is_loading (CsClipsPage *self)
{
  g_return_val_if_fail (CS_IS_CLIPS_PAGE (self), FALSE);

  return self->loading;
}

GListModel *
cs_clips_page_get_model (CsClipsPage *self)
{
  g_return_val_if_fail (CS_IS_CLIPS_PAGE (self), NULL);

  return G_LIST_MODEL (self->sort_model);
}

void
cs_clips_page_select (CsClipsPage *self,
                      guint        position)
{
  g_return_if_fail (CS_IS_CLIPS_PAGE (self));

  gtk_single_selection_set_selected (self->selection, position);
}

CsClip *
cs_clips_page_get_selected (CsClipsPage *self)
{
  g_return_val_if_fail (CS_IS_CLIPS_PAGE (self), NULL);

  return gtk_single_selection_get_selected_item (self->selection);
}

GtkWidget *
cs_clips_page_get_grid (CsClipsPage *self)
{
  g_return_val_if_fail (CS_IS_CLIPS_PAGE (self), NULL);

  return GTK_WIDGET (self->grid_view);
}

gboolean
cs_clips_page_get_detail_shown (CsClipsPage *self)
{
  g_return_val_if_fail (CS_IS_CLIPS_PAGE (self), FALSE);

  return adw_flap_get_reveal_flap (self->flap) || self->reveal_tick_id != 0;
}

const char *
cs_clips_page_get_detail_duration (CsClipsPage *self)
{
  g_return_val_if_fail (CS_IS_CLIPS_PAGE (self), NULL);

  return self->detail_duration;
}

CsVideoPreview *
cs_clips_page_get_preview (CsClipsPage *self)
{
  g_return_val_if_fail (CS_IS_CLIPS_PAGE (self), NULL);

  return self->preview;
}

const CsClipDetails *
cs_clips_page_get_details (CsClipsPage *self)
{
  g_return_val_if_fail (CS_IS_CLIPS_PAGE (self), NULL);

  return self->details;
}

/* Comma and period step the selected clip's preview from anywhere on the
 * page (the preview itself also takes Space). */
static gboolean
step_shortcut (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  CsClipsPage *self = CS_CLIPS_PAGE (widget);

  if (gtk_single_selection_get_selected_item (self->selection) == NULL)
    return FALSE;
  cs_video_preview_step (self->preview, g_variant_get_int32 (args));
  return TRUE;
}

/* The grid's factory */

static void
setup_card_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  gtk_list_item_set_child (item, cs_clip_card_new ());
}

static void
bind_card_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  cs_clip_card_set_clip (CS_CLIP_CARD (gtk_list_item_get_child (item)), gtk_list_item_get_item (item));
}

static void
unbind_card_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  cs_clip_card_set_clip (CS_CLIP_CARD (gtk_list_item_get_child (item)), NULL);
}

static void
cs_clips_page_dispose (GObject *object)
{
  CsClipsPage *self = CS_CLIPS_PAGE (object);

  g_cancellable_cancel (self->load_cancellable);
  g_cancellable_cancel (self->details_cancellable);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->sort_model != NULL)
    g_signal_handlers_disconnect_by_data (self->sort_model, self);
  if (self->flap != NULL)
    stop_waiting_to_reveal (self);

  /* AdwBin keeps its own pointer to the template's top child; drop it first
   * or AdwBin would unparent a widget the template already disposed. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CS_TYPE_CLIPS_PAGE);

  g_clear_object (&self->retention);
  g_clear_object (&self->retention_chart);
  g_clear_object (&self->selection);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->project);
  g_clear_object (&self->jobs);
  g_clear_object (&self->clips);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->details_cancellable);
  g_clear_pointer (&self->details, cs_clip_details_free);
  g_clear_pointer (&self->detail_duration, g_free);

  G_OBJECT_CLASS (cs_clips_page_parent_class)->dispose (object);
}

static void
cs_clips_page_class_init (CsClipsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cs_clips_page_dispose;

  g_type_ensure (CS_TYPE_VIDEO_PREVIEW);
  g_type_ensure (CS_TYPE_CHART_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clipscope/Clipscope/ui/cs-clips-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsClipsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CsClipsPage, flap);
  gtk_widget_class_bind_template_child (widget_class, CsClipsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CsClipsPage, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CsClipsPage, grid_stack);
  gtk_widget_class_bind_template_child (widget_class, CsClipsPage, grid_view);
  gtk_widget_class_bind_template_child (widget_class, CsClipsPage, detail_title);
  gtk_widget_class_bind_template_child (widget_class, CsClipsPage, preview);
  gtk_widget_class_bind_template_child (widget_class, CsClipsPage, retention_view);
  gtk_widget_class_bind_template_child (widget_class, CsClipsPage, strip_row);
  gtk_widget_class_bind_template_child (widget_class, CsClipsPage, simulated_note);
  gtk_widget_class_bind_template_child (widget_class, CsClipsPage, info_list);
  gtk_widget_class_bind_template_child (widget_class, CsClipsPage, features_list);
  gtk_widget_class_bind_template_child (widget_class, CsClipsPage, features_empty);
  gtk_widget_class_bind_template_child (widget_class, CsClipsPage, covers_box);
  gtk_widget_class_bind_template_child (widget_class, CsClipsPage, covers_row);
  gtk_widget_class_bind_template_child (widget_class, CsClipsPage, export_cover_button);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sort_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, flap_revealed_cb);
  gtk_widget_class_bind_template_callback (widget_class, close_detail_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_cover_clicked_cb);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_comma, 0, step_shortcut, "i", -1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_period, 0, step_shortcut, "i", 1);
}

static void
cs_clips_page_init (CsClipsPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->retention_chart = cs_chart_new ();
  cs_chart_set_axis_percent (self->retention_chart, CS_CHART_AXIS_Y, TRUE);
  cs_chart_set_legend_position (self->retention_chart, CS_CHART_LEGEND_HIDDEN);
  self->retention = cs_retention_layer_new ();
  cs_chart_add_layer (self->retention_chart, CS_CHART_LAYER (self->retention));
  cs_chart_view_set_chart (self->retention_view, self->retention_chart);
  g_signal_connect_object (self->retention_view, "exported", G_CALLBACK (cs_page_toast_saved), self,
                           G_CONNECT_SWAPPED);

  self->loaded_count = -1;
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->sorter = gtk_custom_sorter_new (sort_func, self, NULL);
  /* The list models take the filter and sorter. */
  self->filter_model = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));
  self->sort_model = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->filter_model)),
                                              GTK_SORTER (self->sorter));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->sort_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_swapped (self->selection, "notify::selected-item", G_CALLBACK (selection_changed_cb), self);
  g_signal_connect_swapped (self->sort_model, "items-changed", G_CALLBACK (update_grid_stack), self);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_card_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_card_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_card_cb), NULL);
  gtk_grid_view_set_factory (self->grid_view, factory);
  gtk_grid_view_set_model (self->grid_view, GTK_SELECTION_MODEL (self->selection));

  show_details (self);
}
