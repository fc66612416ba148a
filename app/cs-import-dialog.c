/* cs-import-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "clipscope-engine.h"
#include "cs-import-dialog.h"

#define PREVIEW_ROWS 8

typedef struct
{
  const char *kind;
  const char *field;
  const char *title;
  const char *hint;
  gboolean    required;
} FieldInfo;

/* The fields a user maps, in the order the form shows them. */
static const FieldInfo field_infos[] = {
  { CS_TABLE_KIND_EVENTS, "viewer", N_("Viewer"), N_("Who acted: a user or viewer ID"), TRUE },
  { CS_TABLE_KIND_EVENTS, "clip", N_("Clip"), N_("Which clip: its ID, file name or title"), TRUE },
  { CS_TABLE_KIND_EVENTS, "time", N_("Time"), N_("When it happened"), TRUE },
  { CS_TABLE_KIND_EVENTS, "event", N_("Action"), N_("Without it, every row is a view"), FALSE },
  { CS_TABLE_KIND_EVENTS, "watch_time", N_("Watch Time"), N_("How long the clip was watched"), FALSE },
  { CS_TABLE_KIND_EVENTS, "value", N_("Rating"), N_("A score the viewer gave"), FALSE },
  { CS_TABLE_KIND_EVENTS, "text", N_("Comment Text"), N_("What a comment said"), FALSE },
  /* Clip stats: a clip or a title is needed (update_state checks). */
  { CS_TABLE_KIND_STATS, "clip", N_("Clip"), N_("Its ID or file name"), FALSE },
  { CS_TABLE_KIND_STATS, "title", N_("Title"), N_("Used to find the clip when there is no ID"), FALSE },
  { CS_TABLE_KIND_STATS, "caption", N_("Caption"), N_("The text posted with the clip"), FALSE },
  { CS_TABLE_KIND_STATS, "hashtags", N_("Hashtags"), N_("Tags also found in the title and caption"), FALSE },
  { CS_TABLE_KIND_STATS, "post_time", N_("Posted"), N_("When the clip was posted"), FALSE },
  { CS_TABLE_KIND_STATS, "day", N_("Day"), N_("For figures per day; leave out for lifetime totals"), FALSE },
  { CS_TABLE_KIND_STATS, "views", N_("Views"), N_("Plays or views"), FALSE },
  { CS_TABLE_KIND_STATS, "likes", N_("Likes"), N_("Likes"), FALSE },
  { CS_TABLE_KIND_STATS, "comments", N_("Comments"), N_("Comments"), FALSE },
  { CS_TABLE_KIND_STATS, "shares", N_("Shares"), N_("Shares or forwards"), FALSE },
  { CS_TABLE_KIND_STATS, "saves", N_("Saves"), N_("Saves or favourites"), FALSE },
  { CS_TABLE_KIND_STATS, "avg_watch_time", N_("Average Watch Time"), N_("Per view"), FALSE },
  { CS_TABLE_KIND_STATS, "completion_rate", N_("Completion Rate"), N_("Share of views watched to the end"), FALSE },
  { CS_TABLE_KIND_STATS, "followers", N_("Followers Gained"), N_("New followers from the clip"), FALSE },
  { CS_TABLE_KIND_STATS, "duration", N_("Duration"), N_("Length of the clip"), FALSE },
};

typedef struct
{
  const char *kind;
  const char *title;
  const char *description;
} KindInfo;

static const KindInfo kind_infos[] = {
  { CS_TABLE_KIND_EVENTS, N_("Event log"), N_("One row per viewer action") },
  { CS_TABLE_KIND_STATS, N_("Clip statistics"), N_("One row per clip, or per clip and day") },
};

typedef struct
{
  const char *encoding;   /* NULL: detect */
  const char *title;
} EncodingInfo;

static const EncodingInfo encoding_infos[] = {
  { NULL, N_("Automatic") },
  { "UTF-8", N_("UTF-8") },
  { "UTF-16", N_("UTF-16 (Excel “Unicode Text”)") },
  { "GB18030", N_("GB18030 / GBK (Chinese Excel)") },
};

typedef struct
{
  const char *identifier;  /* NULL: this computer's zone */
  const char *title;
} ZoneInfo;

/* Where shops that use these platforms are; IANA names follow summer time. */
static const ZoneInfo zone_infos[] = {
  { NULL, N_("This computer’s time zone") },
  { "Asia/Shanghai", N_("China (UTC+8)") },
  { "Asia/Hong_Kong", N_("Hong Kong (UTC+8)") },
  { "Asia/Taipei", N_("Taiwan (UTC+8)") },
  { "Asia/Singapore", N_("Singapore, Malaysia (UTC+8)") },
  { "Asia/Tokyo", N_("Japan, Korea (UTC+9)") },
  { "Asia/Jakarta", N_("Indonesia, Thailand, Vietnam (UTC+7)") },
  { "Asia/Kolkata", N_("India (UTC+5:30)") },
  { "Europe/London", N_("United Kingdom") },
  { "Europe/Berlin", N_("Central Europe") },
  { "America/New_York", N_("US and Canada, Eastern") },
  { "America/Los_Angeles", N_("US and Canada, Pacific") },
  { "UTC", N_("UTC") },
};

struct _CsImportDialog
{
  AdwWindow             parent_instance;

  GFile                *file;
  char                 *project_path;
  const char           *kind;
  CsTablePreview       *preview;
  GCancellable         *cancellable;
  GPtrArray            *field_rows;    /* AdwComboRow*, in field_infos order for the kind */
  GPtrArray            *field_names;   /* const char* matching field_rows */
  gboolean              ready;
  gboolean              updating;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkWidget            *import_button;
  GtkStack             *stack;
  GtkSpinner           *spinner;
  AdwStatusPage        *error_page;
  AdwActionRow         *file_row;
  AdwComboRow          *kind_row;
  AdwComboRow          *encoding_row;
  AdwPreferencesGroup  *columns_group;
  GtkLabel             *problem_label;
  GtkWidget            *privacy_group;
  GtkWidget            *dates_group;
  GtkSpinButton        *year_spin;
  AdwComboRow          *zone_row;
  GtkSwitch            *pseudonymise_switch;
  GtkGrid              *preview_grid;
};

G_DEFINE_FINAL_TYPE (CsImportDialog, cs_import_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_IMPORT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void load_preview (CsImportDialog *self);

/* Preview on a worker */

typedef struct
{
  char *path;
  char *kind;
  char *encoding;
  char *project_path;
} PreviewRequest;

static void
preview_request_free (gpointer data)
{
  PreviewRequest *request = data;

  g_free (request->path);
  g_free (request->kind);
  g_free (request->encoding);
  g_free (request->project_path);
  g_free (request);
}

static void
preview_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PreviewRequest *request = task_data;
  GError *error = NULL;
  CsTablePreview *preview;

  preview = cs_table_preview_read (request->path, request->kind, request->encoding,
                                   request->project_path, PREVIEW_ROWS, cancellable, &error);
  if (preview == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, preview, (GDestroyNotify) cs_table_preview_free);
}

static const FieldInfo *
find_field (const char *kind,
            const char *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_infos); i++)
    if (g_str_equal (field_infos[i].kind, kind) && g_str_equal (field_infos[i].field, field))
      return &field_infos[i];
  return NULL;
}

/* Position 0 of every column row is "not in this file"; column i is i + 1. */
static const char *
row_column (CsImportDialog *self,
            AdwComboRow    *row)
{
  guint selected = adw_combo_row_get_selected (row);

  if (self->preview == NULL || selected == 0 || selected == GTK_INVALID_LIST_POSITION ||
      selected > g_strv_length (self->preview->header))
    return NULL;
  return self->preview->header[selected - 1];
}

static void
update_state (CsImportDialog *self)
{
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *twice = NULL;
  gboolean has_clip_or_title = FALSE;
  guint n_missing = 0;

  if (!self->ready || self->preview == NULL)
    {
      gtk_widget_set_sensitive (self->import_button, FALSE);
      return;
    }

  for (guint i = 0; i < self->field_rows->len; i++)
    {
      AdwComboRow *row = g_ptr_array_index (self->field_rows, i);
      const char *field = g_ptr_array_index (self->field_names, i);
      const FieldInfo *info = find_field (self->kind, field);
      const char *column = row_column (self, row);
      g_autofree char *sample = NULL;

      if (column == NULL)
        {
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(info->hint));
          if (info->required)
            {
              if (n_missing++ > 0)
                g_string_append (missing, ", ");
              g_string_append (missing, _(info->title));
            }
          continue;
        }

      if (g_str_equal (field, "clip") || g_str_equal (field, "title"))
        has_clip_or_title = TRUE;
      sample = cs_table_preview_sample (self->preview, column, 3);
      if (sample[0] != '\0')
        {
          /* Translators: the first values of a column, "e.g. 196, 186, 22" */
          g_autofree char *subtitle = g_strdup_printf (_("e.g. %s"), sample);

          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
        }
      else
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Empty in the first rows"));

      if (g_hash_table_contains (used, column) && twice == NULL)
        twice = g_strdup_printf (_("The column “%s” is chosen for two fields. Choose one column per field."),
                                 column);
      g_hash_table_add (used, (gpointer) column);
    }

  if (g_str_equal (self->kind, CS_TABLE_KIND_STATS) && !has_clip_or_title && n_missing == 0)
    {
      n_missing = 1;
      gtk_label_set_text (self->problem_label,
                          _("Choose a column for Clip or Title: Clipscope needs one to know which clip a row is about."));
    }
  else if (n_missing > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "Choose a column for %s: Clipscope needs it for every row.",
                                                            "Choose a column for %s: Clipscope needs them for every row.",
                                                            n_missing),
                                               missing->str);
      gtk_label_set_text (self->problem_label, text);
    }
  else if (twice != NULL)
    gtk_label_set_text (self->problem_label, twice);

  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), n_missing > 0 || twice != NULL);
  gtk_widget_set_sensitive (self->import_button, n_missing == 0 && twice == NULL);
}

static void
field_row_changed_cb (CsImportDialog *self)
{
  if (!self->updating)
    update_state (self);
}

static void
clear_columns (CsImportDialog *self)
{
  for (guint i = 0; i < self->field_rows->len; i++)
    adw_preferences_group_remove (self->columns_group,
                                  g_ptr_array_index (self->field_rows, i));
  g_ptr_array_set_size (self->field_rows, 0);
  g_ptr_array_set_size (self->field_names, 0);
}

static void
build_columns (CsImportDialog *self)
{
  g_autoptr(GtkStringList) choices = gtk_string_list_new (NULL);
  guint n_columns = g_strv_length (self->preview->header);

  clear_columns (self);

  gtk_string_list_append (choices, _("Not in this file"));
  for (guint c = 0; c < n_columns; c++)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (self->preview->header[c]));

      gtk_string_list_append (choices, trimmed[0] != '\0' ? trimmed : _("(unnamed column)"));
    }

  self->updating = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (field_infos); i++)
    {
      const FieldInfo *info = &field_infos[i];
      const char *column;
      AdwComboRow *row;
      guint selected = 0;

      if (!g_str_equal (info->kind, self->kind))
        continue;

      row = ADW_COMBO_ROW (adw_combo_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(info->title));
      adw_combo_row_set_model (row, G_LIST_MODEL (choices));

      column = g_hash_table_lookup (self->preview->mapping, info->field);
      if (column != NULL)
        for (guint c = 0; c < n_columns; c++)
          {
            g_autofree char *trimmed = g_strstrip (g_strdup (self->preview->header[c]));

            if (g_str_equal (trimmed, column))
              {
                selected = c + 1;
                break;
              }
          }
      adw_combo_row_set_selected (row, selected);
      g_signal_connect_swapped (row, "notify::selected", G_CALLBACK (field_row_changed_cb), self);

      adw_preferences_group_add (self->columns_group, GTK_WIDGET (row));
      g_ptr_array_add (self->field_rows, row);
      g_ptr_array_add (self->field_names, (gpointer) info->field);
    }
  self->updating = FALSE;

  adw_preferences_group_set_description (self->columns_group,
                                         g_strcmp0 (self->preview->header[0], "#1") == 0
                                         ? _("This file has no line of column names: its columns are numbered #1, #2 … Choose the column of each field from the first rows below.")
                                         : self->preview->mapping_saved
                                         ? _("These are the columns you chose last time for a file laid out like this one.")
                                         : _("Clipscope guessed each field from the column names. Check them before importing."));
}

static void
clear_grid (GtkGrid *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))) != NULL)
    gtk_grid_remove (grid, child);
}

static GtkWidget *
grid_label (const char *text,
            gboolean    heading)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  if (heading)
    gtk_widget_add_css_class (label, "heading");
  else
    gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  return label;
}

static void
build_preview_grid (CsImportDialog *self)
{
  guint n_columns = g_strv_length (self->preview->header);

  clear_grid (self->preview_grid);
  for (guint c = 0; c < n_columns && c < 40; c++)
    gtk_grid_attach (self->preview_grid, grid_label (self->preview->header[c], TRUE), c, 0, 1, 1);
  for (guint r = 0; r < self->preview->rows->len; r++)
    {
      char **row = g_ptr_array_index (self->preview->rows, r);

      for (guint c = 0; row[c] != NULL && c < n_columns && c < 40; c++)
        {
          g_autofree char *flat = g_strdelimit (g_strdup (row[c]), "\r\n\t", ' ');

          gtk_grid_attach (self->preview_grid, grid_label (flat, FALSE), c, r + 1, 1, 1);
        }
    }
}

static void
preview_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CsImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  CsTablePreview *preview;
  g_autofree char *size = NULL;
  g_autofree char *subtitle = NULL;
  g_autoptr(GFileInfo) info = NULL;

  preview = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_stop (self->spinner);
  self->ready = TRUE;
  g_clear_pointer (&self->preview, cs_table_preview_free);

  if (preview == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      update_state (self);
      return;
    }

  self->preview = preview;

  info = g_file_query_info (self->file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, NULL, NULL);
  size = g_format_size (info != NULL ? g_file_info_get_size (info) : 0);
  /* Translators: format · encoding · size, "CSV · UTF-8 · 1.2 MB" */
  subtitle = g_strdup_printf (_("%s · %s · %s"), preview->format, preview->encoding, size);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->file_row), subtitle);

  build_columns (self);
  build_preview_grid (self);
  /* The zone this project's imports used before. */
  for (guint i = 1; preview->time_zone != NULL && i < G_N_ELEMENTS (zone_infos); i++)
    if (g_str_equal (zone_infos[i].identifier, preview->time_zone))
      adw_combo_row_set_selected (self->zone_row, i);
  gtk_widget_set_visible (self->privacy_group, g_str_equal (self->kind, CS_TABLE_KIND_EVENTS));

  gtk_stack_set_visible_child_name (self->stack, "form");
  update_state (self);
}

static void
load_preview (CsImportDialog *self)
{
  g_autoptr(GTask) task = NULL;
  PreviewRequest *request;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->ready = FALSE;

  request = g_new0 (PreviewRequest, 1);
  request->path = g_file_get_path (self->file);
  request->kind = g_strdup (self->kind);
  request->encoding = g_strdup (cs_import_dialog_get_encoding (self));
  request->project_path = g_strdup (self->project_path);

  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  update_state (self);

  task = g_task_new (NULL, self->cancellable, preview_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, load_preview);
  g_task_set_task_data (task, request, preview_request_free);
  g_task_run_in_thread (task, preview_thread);
}

static void
kind_changed_cb (CsImportDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->kind_row);

  if (selected < G_N_ELEMENTS (kind_infos))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->kind_row), _(kind_infos[selected].description));
  if (selected < G_N_ELEMENTS (kind_infos) && !g_str_equal (kind_infos[selected].kind, self->kind))
    {
      self->kind = kind_infos[selected].kind;
      load_preview (self);
    }
}

static void
encoding_changed_cb (CsImportDialog *self)
{
  if (self->file != NULL)
    load_preview (self);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CsImportDialog *self = CS_IMPORT_DIALOG (widget);

  if (!gtk_widget_get_sensitive (self->import_button))
    return;
  g_signal_emit (self, signals[SIGNAL_IMPORT], 0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
cs_import_dialog_dispose (GObject *object)
{
  CsImportDialog *self = CS_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CS_TYPE_IMPORT_DIALOG);

  G_OBJECT_CLASS (cs_import_dialog_parent_class)->dispose (object);
}

static void
cs_import_dialog_finalize (GObject *object)
{
  CsImportDialog *self = CS_IMPORT_DIALOG (object);

  g_clear_object (&self->file);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->preview, cs_table_preview_free);
  g_clear_pointer (&self->field_rows, g_ptr_array_unref);
  g_clear_pointer (&self->field_names, g_ptr_array_unref);
  g_free (self->project_path);

  G_OBJECT_CLASS (cs_import_dialog_parent_class)->finalize (object);
}

static void
cs_import_dialog_class_init (CsImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cs_import_dialog_dispose;
  object_class->finalize = cs_import_dialog_finalize;

  /* Emitted when the user presses Import; read the choice with the getters. */
  signals[SIGNAL_IMPORT] = g_signal_new ("import", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/clipscope/Clipscope/ui/cs-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CsImportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, CsImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, CsImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, CsImportDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, CsImportDialog, error_page);
  gtk_widget_class_bind_template_child (widget_class, CsImportDialog, file_row);
  gtk_widget_class_bind_template_child (widget_class, CsImportDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, CsImportDialog, encoding_row);
  gtk_widget_class_bind_template_child (widget_class, CsImportDialog, columns_group);
  gtk_widget_class_bind_template_child (widget_class, CsImportDialog, problem_label);
  gtk_widget_class_bind_template_child (widget_class, CsImportDialog, privacy_group);
  gtk_widget_class_bind_template_child (widget_class, CsImportDialog, dates_group);
  gtk_widget_class_bind_template_child (widget_class, CsImportDialog, year_spin);
  gtk_widget_class_bind_template_child (widget_class, CsImportDialog, zone_row);
  gtk_widget_class_bind_template_child (widget_class, CsImportDialog, pseudonymise_switch);
  gtk_widget_class_bind_template_child (widget_class, CsImportDialog, preview_grid);

  gtk_widget_class_install_action (widget_class, "dialog.import", NULL, import_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cs_import_dialog_init (CsImportDialog *self)
{
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) encodings = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->field_rows = g_ptr_array_new ();
  self->field_names = g_ptr_array_new ();
  self->kind = CS_TABLE_KIND_EVENTS;
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();

    gtk_spin_button_set_value (self->year_spin, g_date_time_get_year (now));
  }

  for (guint i = 0; i < G_N_ELEMENTS (kind_infos); i++)
    gtk_string_list_append (kinds, _(kind_infos[i].title));
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (kinds));
  /* One kind only: nothing to choose. */
  gtk_widget_set_visible (GTK_WIDGET (self->kind_row), G_N_ELEMENTS (kind_infos) > 1);

  for (guint i = 0; i < G_N_ELEMENTS (encoding_infos); i++)
    gtk_string_list_append (encodings, _(encoding_infos[i].title));
  adw_combo_row_set_model (self->encoding_row, G_LIST_MODEL (encodings));
  {
    g_autoptr(GtkStringList) zones = gtk_string_list_new (NULL);

    for (guint i = 0; i < G_N_ELEMENTS (zone_infos); i++)
      gtk_string_list_append (zones, _(zone_infos[i].title));
    adw_combo_row_set_model (self->zone_row, G_LIST_MODEL (zones));
  }

  g_signal_connect_swapped (self->kind_row, "notify::selected", G_CALLBACK (kind_changed_cb), self);
  g_signal_connect_swapped (self->encoding_row, "notify::selected", G_CALLBACK (encoding_changed_cb), self);
}

CsImportDialog *
cs_import_dialog_new (GtkWindow  *parent,
                      GFile      *file,
                      const char *kind,
                      const char *project_path)
{
  CsImportDialog *self;
  g_autofree char *basename = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (CS_TYPE_IMPORT_DIALOG, "transient-for", parent, NULL);
  self->file = g_object_ref (file);
  self->project_path = g_strdup (project_path);

  for (guint i = 0; i < G_N_ELEMENTS (kind_infos); i++)
    if (kind != NULL && g_str_equal (kind_infos[i].kind, kind))
      {
        self->kind = kind_infos[i].kind;
        adw_combo_row_set_selected (self->kind_row, i);
      }
  kind_changed_cb (self);

  basename = g_file_get_basename (file);
  adw_window_title_set_subtitle (self->window_title, basename);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->file_row), basename);
  gtk_window_set_title (GTK_WINDOW (self), basename);

  load_preview (self);
  return self;
}

GFile *
cs_import_dialog_get_file (CsImportDialog *self)
{
  g_return_val_if_fail (CS_IS_IMPORT_DIALOG (self), NULL);

  return self->file;
}

const char *
cs_import_dialog_get_kind (CsImportDialog *self)
{
  g_return_val_if_fail (CS_IS_IMPORT_DIALOG (self), NULL);

  return self->kind;
}

const char *
cs_import_dialog_get_encoding (CsImportDialog *self)
{
  guint selected;

  g_return_val_if_fail (CS_IS_IMPORT_DIALOG (self), NULL);

  selected = adw_combo_row_get_selected (self->encoding_row);
  if (selected >= G_N_ELEMENTS (encoding_infos))
    return NULL;
  return encoding_infos[selected].encoding;
}

GHashTable *
cs_import_dialog_dup_mapping (CsImportDialog *self)
{
  GHashTable *mapping = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_return_val_if_fail (CS_IS_IMPORT_DIALOG (self), mapping);

  for (guint i = 0; i < self->field_rows->len; i++)
    {
      const char *column = row_column (self, g_ptr_array_index (self->field_rows, i));

      g_hash_table_insert (mapping, g_strdup (g_ptr_array_index (self->field_names, i)),
                           column != NULL ? g_strstrip (g_strdup (column)) : g_strdup (""));
    }
  return mapping;
}

char *
cs_import_dialog_dup_time_zone (CsImportDialog *self)
{
  guint selected;

  g_return_val_if_fail (CS_IS_IMPORT_DIALOG (self), NULL);

  selected = adw_combo_row_get_selected (self->zone_row);
  if (selected < G_N_ELEMENTS (zone_infos) && zone_infos[selected].identifier != NULL)
    return g_strdup (zone_infos[selected].identifier);
  {
    g_autoptr(GTimeZone) local = g_time_zone_new_local ();

    return g_strdup (g_time_zone_get_identifier (local));
  }
}

int
cs_import_dialog_get_year (CsImportDialog *self)
{
  g_return_val_if_fail (CS_IS_IMPORT_DIALOG (self), 0);

  return gtk_spin_button_get_value_as_int (self->year_spin);
}

gboolean
cs_import_dialog_get_pseudonymise (CsImportDialog *self)
{
  g_return_val_if_fail (CS_IS_IMPORT_DIALOG (self), FALSE);

  return g_str_equal (self->kind, CS_TABLE_KIND_EVENTS) &&
         gtk_switch_get_active (self->pseudonymise_switch);
}

const char *
cs_import_dialog_get_column (CsImportDialog *self,
                             const char     *field)
{
  g_return_val_if_fail (CS_IS_IMPORT_DIALOG (self), NULL);

  for (guint i = 0; i < self->field_names->len; i++)
    if (g_str_equal (g_ptr_array_index (self->field_names, i), field))
      return row_column (self, g_ptr_array_index (self->field_rows, i));
  return NULL;
}

void
cs_import_dialog_set_column (CsImportDialog *self,
                             const char     *field,
                             const char     *column)
{
  g_return_if_fail (CS_IS_IMPORT_DIALOG (self));
  g_return_if_fail (self->preview != NULL);

  for (guint i = 0; i < self->field_names->len; i++)
    if (g_str_equal (g_ptr_array_index (self->field_names, i), field))
      {
        guint selected = 0;

        for (guint c = 0; column != NULL && self->preview->header[c] != NULL; c++)
          if (g_str_equal (self->preview->header[c], column))
            selected = c + 1;
        adw_combo_row_set_selected (g_ptr_array_index (self->field_rows, i), selected);
      }
}

gboolean
cs_import_dialog_is_ready (CsImportDialog *self)
{
  g_return_val_if_fail (CS_IS_IMPORT_DIALOG (self), FALSE);

  return self->ready;
}
