/* cs-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cs-clip-import.h"
#include "cs-clips-page.h"
#include "cs-compat.h"
#include "cs-import-dialog.h"
#include "cs-import-review.h"
#include "cs-job-row.h"
#include "cs-audience-page.h"
#include "cs-generate-page.h"
#include "cs-predict-page.h"
#include "cs-recommend-page.h"
#include "cs-window.h"
#include "cs-window-private.h"

struct _CsWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  CsProject            *project;
  CsJobList            *jobs;
  GCancellable         *cancellable;   /* cancelled when the window closes */
  CsJob                *loading_job;   /* the job the loading page follows */
  GBindingGroup        *loading_bindings;
  char                 *opening_path;
  GMenu                *recent_menu_items;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwLeaflet           *leaflet;
  GtkListBox           *sidebar_list;
  GtkStack             *page_stack;
  AdwWindowTitle       *window_title;
  GtkMenuButton        *jobs_button;
  GtkListBox           *jobs_list;
  AdwStatusPage        *loading_page;
  GtkProgressBar       *loading_progress;
  GtkLabel             *loading_message;
  GtkWidget            *loading_cancel;
  GtkWidget            *simulated_label;
  GMenu                *recent_menu;
  GtkWidget            *content;

  /* Pages */
  CsClipsPage          *clips_page;
  CsAudiencePage       *audience_page;
  CsRecommendPage      *recommend_page;
  CsPredictPage        *predict_page;
  CsGeneratePage       *generate_page;
};

G_DEFINE_FINAL_TYPE (CsWindow, cs_window, ADW_TYPE_APPLICATION_WINDOW)

typedef struct
{
  const char *name;
  const char *icon;
  const char *title;
} PageInfo;

static const PageInfo pages[] = {
  { "clips", "cs-clips-symbolic", N_("Clips") },
  { "audience", "cs-audience-symbolic", N_("Audience") },
  { "recommend", "cs-recommend-symbolic", N_("Recommend") },
  { "predict", "cs-predict-symbolic", N_("Predict") },
  { "generate", "cs-generate-symbolic", N_("Generate") },
};

static void update_pages (CsWindow *self);

CsWindow *
cs_window_new (CsApplication *application)
{
  return g_object_new (CS_TYPE_WINDOW, "application", application, NULL);
}

CsProject *
cs_window_get_project (CsWindow *self)
{
  g_return_val_if_fail (CS_IS_WINDOW (self), NULL);

  return self->project;
}

CsJobList *
cs_window_get_jobs (CsWindow *self)
{
  g_return_val_if_fail (CS_IS_WINDOW (self), NULL);

  return self->jobs;
}

CsRecommendPage *
_cs_window_get_recommend_page (CsWindow *self)
{
  return self->recommend_page;
}

CsAudiencePage *
_cs_window_get_audience_page (CsWindow *self)
{
  return self->audience_page;
}

CsPredictPage *
_cs_window_get_predict_page (CsWindow *self)
{
  return self->predict_page;
}

gboolean
_cs_window_is_busy (CsWindow *self)
{
  return self->opening_path != NULL || self->loading_job != NULL;
}

void
cs_window_toast (CsWindow   *self,
                 const char *message)
{
  AdwToast *toast;

  g_return_if_fail (CS_IS_WINDOW (self));

  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
show_error (CsWindow     *self,
            const char   *heading,
            const GError *error)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, error->message));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* What the main area shows when no project page can be shown. */
static void
show_home (CsWindow *self)
{
  gtk_stack_set_visible_child_name (self->main_stack, self->project ? "project" : "welcome");
}

static void
follow_job_on_loading_page (CsWindow   *self,
                            CsJob      *job,
                            const char *title)
{
  g_set_object (&self->loading_job, job);
  g_binding_group_set_source (self->loading_bindings, job);
  adw_status_page_set_title (self->loading_page, title);
  gtk_widget_set_visible (self->loading_cancel, job != NULL);
  if (job == NULL)
    {
      gtk_progress_bar_set_fraction (self->loading_progress, 0);
      gtk_label_set_label (self->loading_message, "");
    }
  gtk_stack_set_visible_child_name (self->main_stack, "loading");
}

static void
loading_cancel_clicked_cb (CsWindow *self)
{
  if (self->loading_job != NULL)
    cs_job_cancel (self->loading_job);
}

static void
set_project (CsWindow  *self,
             CsProject *project)
{
  CsApplication *app = CS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (self->project, update_pages, self);
  g_set_object (&self->project, project);
  g_signal_connect_object (project, "changed", G_CALLBACK (update_pages), self, G_CONNECT_SWAPPED);

  adw_window_title_set_title (self->window_title, cs_project_get_title (project));
  gtk_widget_set_visible (self->simulated_label, cs_project_get_simulated (project));
  cs_audience_page_set_project (self->audience_page, project);
  cs_generate_page_set_project (self->generate_page, project);
  cs_recommend_page_set_project (self->recommend_page, project);
  cs_predict_page_set_project (self->predict_page, project);
  cs_clips_page_set_project (self->clips_page, project);
  update_pages (self);

  if (app != NULL)
    cs_application_add_recent (app, cs_project_get_path (project));

  gtk_stack_set_visible_child_name (self->main_stack, "project");
}

static void
open_project_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CsWindow) self = user_data;
  g_autoptr(CsProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_steal_pointer (&self->opening_path);

  project = cs_project_open_finish (result, &error);
  if (project == NULL)
    {
      g_autofree char *basename = g_path_get_basename (path);
      g_autofree char *heading = g_strdup_printf (_("Could Not Open “%s”"), basename);
      CsApplication *app = CS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (g_error_matches (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND) && app != NULL)
        cs_application_remove_recent (app, path);
      show_home (self);
      show_error (self, heading, error);
      return;
    }

  set_project (self, project);
}

void
cs_window_open_path (CsWindow   *self,
                     const char *path)
{
  g_autofree char *basename = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (CS_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  if (self->opening_path != NULL)
    return;

  basename = g_path_get_basename (path);
  title = g_strdup_printf (_("Opening “%s”…"), basename);
  follow_job_on_loading_page (self, NULL, title);
  self->opening_path = g_strdup (path);
  cs_project_open_async (path, CS_STORE_OPEN_EXISTING, self->cancellable,
                         open_project_cb, g_object_ref (self));
}

static void
create_project_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CsWindow) self = user_data;
  g_autoptr(CsProject) project = NULL;
  g_autoptr(GError) error = NULL;

  project = cs_project_open_finish (result, &error);
  if (project == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _("Could Not Create the Project"), error);
      return;
    }
  set_project (self, project);
}

static gboolean
demo_job_func (CsJob         *job,
               gpointer       task_data,
               GCancellable  *cancellable,
               GError       **error)
{
  CsDemoOptions options;

  cs_demo_options_init (&options);
  return cs_demo_create (task_data, &options, cs_job_progress_func, job, cancellable, error);
}

static void
demo_created_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  CsJob *job = CS_JOB (object);
  g_autofree char *path = g_object_steal_data (object, "cs-demo-path");

  g_clear_object (&self->loading_job);
  g_binding_group_set_source (self->loading_bindings, NULL);

  if (!cs_job_run_finish (job, result, &error))
    {
      show_home (self);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _("Could Not Create the Demo Project"), error);
      return;
    }
  cs_window_open_path (self, path);
}

void
cs_window_open_demo (CsWindow *self)
{
  g_autofree char *path = cs_demo_default_path ();
  g_autofree char *dir = NULL;
  g_autoptr(CsJob) job = NULL;

  g_return_if_fail (CS_IS_WINDOW (self));

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      cs_window_open_path (self, path);
      return;
    }
  if (self->loading_job != NULL)
    return;

  dir = g_path_get_dirname (path);
  g_mkdir_with_parents (dir, 0750);

  job = cs_job_new (_("Creating the demo project"));
  g_object_set_data_full (G_OBJECT (job), "cs-demo-path", g_strdup (path), g_free);
  cs_job_list_add (self->jobs, job);
  follow_job_on_loading_page (self, job, _("Preparing the Demo Project"));
  cs_job_run_async (job, demo_job_func, g_strdup (path), g_free,
                    demo_created_cb, g_object_ref (self));
}

typedef struct
{
  char        *project_path;
  char        *source_path;
  char        *kind;          /* CS_TABLE_KIND_* */
  GHashTable  *mapping;       /* (nullable) field -> column */
  char        *encoding;      /* (nullable) detect when NULL */
  gboolean     pseudonymise;
  int          year;          /* of dates without one */
  char        *time_zone;     /* (nullable) for times without one: saved in the project */
  GPtrArray   *unmatched;     /* (nullable) stats: references no clip had */
  char        *summary;
  CsImportReport *report;     /* when the import ran */
  CsWindow    *window;
  gint64       import_id;     /* rollback */
} ImportData;

static void
import_data_free (gpointer data)
{
  ImportData *import = data;

  g_free (import->project_path);
  g_free (import->source_path);
  g_free (import->kind);
  g_clear_pointer (&import->mapping, g_hash_table_unref);
  g_free (import->encoding);
  g_free (import->summary);
  g_clear_pointer (&import->report, cs_import_report_free);
  g_free (import->time_zone);
  g_clear_pointer (&import->unmatched, g_ptr_array_unref);
  g_clear_object (&import->window);
  g_free (import);
}

static gboolean
import_job_func (CsJob         *job,
                 gpointer       task_data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  ImportData *import = task_data;
  g_autoptr(CsStore) store = NULL;
  CsImportReport *report;

  store = cs_store_open (import->project_path, CS_STORE_OPEN_EXISTING, error);
  if (store == NULL)
    return FALSE;

  /* The project keeps the zone: both importers read times without one in
   * it (cs-stats-import.h), and the next import offers it again. */
  if (import->time_zone != NULL &&
      !cs_store_set_setting (store, CS_STATS_IMPORT_ZONE_SETTING, import->time_zone, error))
    return FALSE;

  if (g_str_equal (import->kind, CS_TABLE_KIND_STATS))
    {
      CsStatsImportOptions options = { .mapping = import->mapping,
                                       .time = { .zone = NULL, .default_year = import->year },
                                       .encoding = import->encoding };
      CsStatsImportReport *stats;

      stats = cs_stats_import_run (store, import->source_path, &options,
                                   cs_job_progress_func, job, cancellable, error);
      if (stats == NULL)
        return FALSE;
      report = g_steal_pointer (&stats->report);
      import->unmatched = g_steal_pointer (&stats->unmatched);
      cs_stats_import_report_free (stats);
    }
  else
    {
      CsEventImportOptions options = { .pseudonymise = import->pseudonymise,
                                       .encoding = import->encoding,
                                       .default_year = import->year };

      report = cs_event_import_run_full (store, import->source_path, import->mapping, &options,
                                         cs_job_progress_func, job, cancellable, error);
      if (report == NULL)
        return FALSE;
    }
  /* Read by import_done_cb on the main thread once the job has finished. */
  import->report = report;

  {
    g_autofree char *imported = cs_format_count (report->rows_imported);
    g_autofree char *rejected = cs_format_count (report->rows_rejected);

    gboolean stats = g_str_equal (import->kind, CS_TABLE_KIND_STATS);
    g_autofree char *done = NULL;

    done = g_strdup_printf (stats
                            ? g_dngettext (GETTEXT_PACKAGE, "Imported stats of %s row", "Imported stats of %s rows",
                                           (gulong) report->rows_imported)
                            : g_dngettext (GETTEXT_PACKAGE, "Imported %s event", "Imported %s events",
                                           (gulong) report->rows_imported),
                            imported);
    if (report->rows_rejected > 0)
      {
        g_autofree char *refused = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                 "%s row could not be read",
                                                                 "%s rows could not be read",
                                                                 (gulong) report->rows_rejected),
                                                    rejected);

        /* Translators: "Imported 2 events; 1 row could not be read" */
        import->summary = g_strdup_printf (_("%s; %s"), done, refused);
      }
    else
      import->summary = g_steal_pointer (&done);
  }
  cs_job_update (job, 1.0, import->summary);
  return TRUE;
}

static gboolean
rollback_job_func (CsJob         *job,
                   gpointer       task_data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  ImportData *import = task_data;
  g_autoptr(CsStore) store = NULL;

  store = cs_store_open (import->project_path, CS_STORE_OPEN_EXISTING, error);
  if (store == NULL)
    return FALSE;
  if (!cs_event_import_rollback (store, import->import_id, cancellable, error))
    return FALSE;
  cs_job_update (job, 1.0, _("The import was rolled back; the project is as it was before it"));
  return TRUE;
}

static void
rollback_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CsWindow) self = user_data;

  if (cs_job_run_finish (CS_JOB (object), result, NULL) && self->project != NULL)
    cs_project_refresh_async (self->project, self->cancellable, NULL, NULL);
}

void
cs_window_rollback_import (CsWindow *self,
                           gint64    import_id)
{
  g_autoptr(CsJob) job = NULL;
  ImportData *import;

  g_return_if_fail (CS_IS_WINDOW (self));

  if (self->project == NULL)
    return;

  import = g_new0 (ImportData, 1);
  import->project_path = g_strdup (cs_project_get_path (self->project));
  import->import_id = import_id;
  job = cs_job_new (_("Rolling back the import"));
  cs_job_list_add (self->jobs, job);
  cs_job_run_async (job, rollback_job_func, import, import_data_free,
                    rollback_done_cb, g_object_ref (self));
}

static void
import_review_rollback_cb (CsImportReview *review,
                           CsWindow       *self)
{
  cs_window_rollback_import (self, cs_import_review_get_import_id (review));
}

static void
import_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ImportData *import = user_data;
  CsWindow *self = import->window;
  g_autoptr(GError) error = NULL;

  /* Success and failure are announced by the job list's toast. */
  if (!cs_job_run_finish (CS_JOB (object), result, &error) || self->project == NULL)
    {
      import_data_free (import);
      return;
    }
  cs_project_refresh_async (self->project, self->cancellable, NULL, NULL);

  /* Rows were refused: the user sees them and decides (DESIGN §5). */
  if (import != NULL && import->report != NULL &&
      (import->report->rows_rejected > 0 || (import->unmatched != NULL && import->unmatched->len > 0)) &&
      gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      g_autofree char *name = g_path_get_basename (import->source_path);
      CsImportReview *review = cs_import_review_new (GTK_WINDOW (self), name, import->report,
                                                     import->unmatched);

      g_signal_connect_object (review, "rollback", G_CALLBACK (import_review_rollback_cb), self, 0);
      gtk_window_present (GTK_WINDOW (review));
    }
  import_data_free (import);
}

void
cs_window_import_table (CsWindow   *self,
                        GFile      *file,
                        const char *kind,
                        GHashTable *mapping,
                        const char *encoding,
                        gboolean    pseudonymise,
                        int         year,
                        const char *time_zone)
{
  g_autofree char *basename = NULL;
  g_autofree char *title = NULL;
  g_autoptr(CsJob) job = NULL;
  ImportData *import;

  g_return_if_fail (CS_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (kind != NULL);

  if (self->project == NULL)
    return;

  import = g_new0 (ImportData, 1);
  import->project_path = g_strdup (cs_project_get_path (self->project));
  import->source_path = g_file_get_path (file);
  import->kind = g_strdup (kind);
  import->mapping = mapping != NULL ? g_hash_table_ref (mapping) : NULL;
  import->encoding = g_strdup (encoding);
  import->pseudonymise = pseudonymise;
  import->year = year;
  import->time_zone = g_strdup (time_zone);
  if (import->source_path == NULL)
    {
      import_data_free (import);
      cs_window_toast (self, _("Only local files can be imported"));
      return;
    }

  basename = g_file_get_basename (file);
  title = g_strdup_printf (_("Importing “%s”"), basename);
  job = cs_job_new (title);
  cs_job_list_add (self->jobs, job);
  /* The done callback reads the report, then frees @import. */
  import->window = g_object_ref (self);
  cs_job_run_async (job, import_job_func, import, NULL, import_done_cb, import);
}

void
cs_window_import_events (CsWindow *self,
                         GFile    *file)
{
  cs_window_import_table (self, file, CS_TABLE_KIND_EVENTS, NULL, NULL, FALSE, 0, NULL);
}

static void
import_dialog_import_cb (CsImportDialog *dialog,
                         CsWindow       *self)
{
  g_autoptr(GHashTable) mapping = cs_import_dialog_dup_mapping (dialog);
  g_autofree char *time_zone = cs_import_dialog_dup_time_zone (dialog);

  cs_window_import_table (self, cs_import_dialog_get_file (dialog),
                          cs_import_dialog_get_kind (dialog), mapping,
                          cs_import_dialog_get_encoding (dialog),
                          cs_import_dialog_get_pseudonymise (dialog),
                          cs_import_dialog_get_year (dialog),
                          time_zone);
}

CsImportDialog *
cs_window_choose_columns (CsWindow   *self,
                          GFile      *file,
                          const char *kind)
{
  CsImportDialog *dialog;

  g_return_val_if_fail (CS_IS_WINDOW (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (self->project == NULL)
    return NULL;

  dialog = cs_import_dialog_new (GTK_WINDOW (self), file, kind,
                                 cs_project_get_path (self->project));
  g_signal_connect_object (dialog, "import", G_CALLBACK (import_dialog_import_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

void
cs_window_show_page (CsWindow   *self,
                     const char *name)
{
  g_return_if_fail (CS_IS_WINDOW (self));

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    if (g_str_equal (pages[i].name, name))
      {
        gtk_list_box_select_row (self->sidebar_list,
                                 gtk_list_box_get_row_at_index (self->sidebar_list, (int) i));
        gtk_stack_set_visible_child_name (self->page_stack, name);
        adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
        return;
      }
}

const char *
cs_window_get_page (CsWindow *self)
{
  g_return_val_if_fail (CS_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->page_stack);
}

static void
sidebar_row_activated_cb (CsWindow      *self,
                          GtkListBoxRow *row)
{
  int index = gtk_list_box_row_get_index (row);

  if (index >= 0 && index < (int) G_N_ELEMENTS (pages))
    cs_window_show_page (self, pages[index].name);
}

static void
back_clicked_cb (CsWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
page_changed_cb (CsWindow *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->page_stack);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    if (g_strcmp0 (pages[i].name, name) == 0)
      adw_window_title_set_subtitle (self->window_title, _(pages[i].title));
}

/* The pages that follow the project's counts (Audience follows its
 * "changed" signal itself). */
static void
update_pages (CsWindow *self)
{
  if (self->project == NULL)
    return;

  cs_clips_page_refresh (self->clips_page, FALSE);
  cs_recommend_page_refresh (self->recommend_page);
  cs_predict_page_refresh (self->predict_page);
  cs_generate_page_refresh (self->generate_page);
}

static void
job_finished_cb (CsWindow  *self,
                 CsJob     *job,
                 CsJobList *jobs)
{
  g_autofree char *text = NULL;
  const char *message = cs_job_get_message (job);

  switch (cs_job_get_state (job))
    {
    case CS_JOB_SUCCEEDED:
      if (message != NULL && message[0] != '\0')
        text = g_strdup (message);
      else
        text = g_strdup_printf (_("%s: done"), cs_job_get_title (job));
      break;

    case CS_JOB_CANCELLED:
      text = g_strdup_printf (_("%s: cancelled; nothing was changed"), cs_job_get_title (job));
      break;

    case CS_JOB_FAILED:
      /* Translators: a job's title, then why it failed. */
      text = g_strdup_printf (_("%s: %s"), cs_job_get_title (job), cs_job_get_error (job)->message);
      break;

    case CS_JOB_QUEUED:
    case CS_JOB_RUNNING:
    default:
      return;
    }
  cs_window_toast (self, text);
}

static void
release_application_cb (CsJob        *job,
                        GApplication *app)
{
  g_application_release (app);
}

static void
unref_application (gpointer  data,
                   GClosure *closure)
{
  g_object_unref (data);
}

static void
jobs_changed_cb (CsWindow   *self,
                 guint       position,
                 guint       removed,
                 guint       added,
                 GListModel *model)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  guint n = g_list_model_get_n_items (model);

  /* A running job keeps the application alive after its window closed, so
   * that a cancelled job can roll back before the process exits. */
  for (guint i = position; app != NULL && i < position + added; i++)
    {
      g_autoptr(CsJob) job = g_list_model_get_item (model, i);

      g_application_hold (app);
      g_signal_connect_data (job, "finished", G_CALLBACK (release_application_cb),
                             g_object_ref (app), unref_application, 0);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->jobs_button), n > 0);
  if (n == 0)
    gtk_menu_button_popdown (self->jobs_button);
}

static GtkWidget *
create_job_row (gpointer item,
                gpointer user_data)
{
  return cs_job_row_new (CS_JOB (item));
}

static void
update_recent_menu (CsWindow *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-projects");

  g_menu_remove_all (self->recent_menu_items);
  for (guint i = 0; recent[i] != NULL; i++)
    {
      g_autofree char *basename = g_path_get_basename (recent[i]);
      g_autoptr(GMenuItem) item = NULL;
      char *dot = strrchr (basename, '.');

      if (dot != NULL && g_str_equal (dot, ".clipscope"))
        *dot = '\0';
      item = g_menu_item_new (basename, NULL);
      g_menu_item_set_action_and_target (item, "win.open-recent", "s", recent[i]);
      g_menu_append_item (self->recent_menu_items, item);
    }
}

static void
open_chosen_cb (GFile    *file,
                gpointer  user_data)
{
  g_autoptr(CsWindow) self = user_data;
  g_autofree char *path = NULL;

  if (file == NULL || (path = g_file_get_path (file)) == NULL)
    return;
  cs_window_open_path (self, path);
}

static void
new_chosen_cb (GFile    *file,
               gpointer  user_data)
{
  g_autoptr(CsWindow) self = user_data;
  g_autofree char *path = NULL;
  g_autofree char *with_ext = NULL;

  if (file == NULL || (path = g_file_get_path (file)) == NULL)
    return;

  with_ext = g_str_has_suffix (path, ".clipscope") ? g_strdup (path)
                                                   : g_strconcat (path, ".clipscope", NULL);
  /* Never overwrite: a new project goes to a new file. */
  if (g_file_test (with_ext, G_FILE_TEST_EXISTS))
    {
      g_autofree char *basename = g_path_get_basename (with_ext);
      g_autoptr(GError) error = g_error_new (CS_STORE_ERROR, CS_STORE_ERROR_FAILED,
                                             _("“%s” already exists. Choose another name, or open it with Open Project."),
                                             basename);
      show_error (self, _("Could Not Create the Project"), error);
      return;
    }
  cs_project_open_async (with_ext, CS_STORE_CREATE, self->cancellable,
                         create_project_cb, g_object_ref (self));
}

static void
import_chosen_cb (GFile    *file,
                  gpointer  user_data)
{
  g_autoptr(CsWindow) self = user_data;

  if (file != NULL)
    cs_window_choose_columns (self, file, CS_TABLE_KIND_EVENTS);
}

static void
import_stats_chosen_cb (GFile    *file,
                        gpointer  user_data)
{
  g_autoptr(CsWindow) self = user_data;

  if (file != NULL)
    cs_window_choose_columns (self, file, CS_TABLE_KIND_STATS);
}

static void
new_project_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  CsWindow *self = CS_WINDOW (widget);

  cs_compat_save_file (GTK_WINDOW (self), _("New Project"), _("Untitled.clipscope"),
                       CS_FILE_FILTER_PROJECT, new_chosen_cb, g_object_ref (self));
}

static void
open_project_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  CsWindow *self = CS_WINDOW (widget);

  cs_compat_open_file (GTK_WINDOW (self), _("Open Project"), CS_FILE_FILTER_PROJECT,
                       open_chosen_cb, g_object_ref (self));
}

static void
open_recent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  cs_window_open_path (CS_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
open_demo_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  cs_window_open_demo (CS_WINDOW (widget));
}

static void
import_events_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  CsWindow *self = CS_WINDOW (widget);

  if (self->project == NULL)
    {
      cs_window_toast (self, _("Open or create a project first"));
      return;
    }
  cs_compat_open_file (GTK_WINDOW (self), _("Import Event Log"), CS_FILE_FILTER_TABLE,
                       import_chosen_cb, g_object_ref (self));
}

static void
import_stats_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  CsWindow *self = CS_WINDOW (widget);

  if (self->project == NULL)
    {
      cs_window_toast (self, _("Open or create a project first"));
      return;
    }
  cs_compat_open_file (GTK_WINDOW (self), _("Import Clip Stats"), CS_FILE_FILTER_TABLE,
                       import_stats_chosen_cb, g_object_ref (self));
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  CsWindow *self = CS_WINDOW (widget);

  if (self->project != NULL)
    cs_window_show_page (self, g_variant_get_string (param, NULL));
}

/* Clip import: files and folders from the chooser or dropped on the window,
 * one job with per-file progress (engine/cs-clip-import.h). */

typedef struct
{
  char  *project_path;
  GStrv  paths;
  char  *summary;
} ClipImportData;

static void
clip_import_data_free (gpointer data)
{
  ClipImportData *import = data;

  g_free (import->project_path);
  g_strfreev (import->paths);
  g_free (import->summary);
  g_free (import);
}

static char *
clip_import_summary (const CsClipImportReport *report)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "Imported %u clip", "Imported %u clips", report->n_ok),
                          report->n_ok);
  if (report->n_duplicate > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                               "; %u was already in the project",
                                               "; %u were already in the project",
                                               report->n_duplicate),
                            report->n_duplicate);
  if (report->n_error > 0)
    {
      const CsClipImportFile *first = NULL;
      g_autofree char *name = NULL;

      for (guint i = 0; i < report->files->len && first == NULL; i++)
        {
          const CsClipImportFile *file = g_ptr_array_index (report->files, i);
          if (file->status == CS_CLIP_IMPORT_ERROR)
            first = file;
        }
      name = first != NULL ? g_path_get_basename (first->path) : g_strdup ("");
      /* Translators: the count of refused files, then the first one's name and reason. */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "; %u file could not be read (%s: %s)",
                                                 "; %u files could not be read (first, %s: %s)",
                                                 report->n_error),
                              report->n_error, name, first && first->error ? first->error : "");
    }
  return g_string_free (text, FALSE);
}

static gboolean
clip_import_job_func (CsJob         *job,
                      gpointer       task_data,
                      GCancellable  *cancellable,
                      GError       **error)
{
  ClipImportData *import = task_data;
  g_autoptr(CsStore) store = NULL;
  g_autoptr(CsClipImportReport) report = NULL;

  store = cs_store_open (import->project_path, CS_STORE_OPEN_EXISTING, error);
  if (store == NULL)
    return FALSE;
  report = cs_clip_import_run (store, (const char * const *) import->paths,
                               cs_job_progress_func, job, cancellable, error);
  if (report == NULL)
    return FALSE;
  import->summary = clip_import_summary (report);
  cs_job_update (job, 1.0, import->summary);
  return TRUE;
}

static void
clip_import_done_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(CsWindow) self = user_data;

  /* Even a cancelled import keeps the clips done before the cancel. The
   * job list's toast tells the outcome. */
  cs_job_run_finish (CS_JOB (object), result, NULL);
  if (self->project != NULL)
    {
      cs_project_refresh_async (self->project, self->cancellable, NULL, NULL);
      cs_clips_page_refresh (self->clips_page, TRUE);
    }
}

static void
import_clips (CsWindow   *self,
              GListModel *files)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CsJob) job = NULL;
  g_autofree char *title = NULL;
  ClipImportData *import;
  guint n = g_list_model_get_n_items (files);

  if (self->project == NULL)
    {
      cs_window_toast (self, _("Open or create a project first"));
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (files, i);
      char *path = g_file_get_path (file);

      if (path != NULL)
        g_ptr_array_add (paths, path);
    }
  if (paths->len == 0)
    {
      cs_window_toast (self, _("Only local files can be imported"));
      return;
    }
  g_ptr_array_add (paths, NULL);

  if (paths->len == 2)
    {
      g_autofree char *basename = g_path_get_basename (g_ptr_array_index (paths, 0));
      title = g_strdup_printf (_("Importing “%s”"), basename);
    }
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Importing %u item", "Importing %u items", paths->len - 1),
                             paths->len - 1);

  import = g_new0 (ClipImportData, 1);
  import->project_path = g_strdup (cs_project_get_path (self->project));
  import->paths = (GStrv) g_ptr_array_steal (paths, NULL);
  job = cs_job_new (title);
  cs_job_list_add (self->jobs, job);
  cs_window_show_page (self, "clips");
  cs_job_run_async (job, clip_import_job_func, import, clip_import_data_free,
                    clip_import_done_cb, g_object_ref (self));
}

static void
clips_chosen_cb (GListModel *files,
                 gpointer    user_data)
{
  g_autoptr(CsWindow) self = user_data;

  if (files != NULL)
    import_clips (self, files);
}

static void
import_clips_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  CsWindow *self = CS_WINDOW (widget);
  gboolean folder = g_str_equal (action_name, "win.import-clip-folder");

  if (self->project == NULL)
    {
      cs_window_toast (self, _("Open or create a project first"));
      return;
    }
  cs_compat_open_files (GTK_WINDOW (self), folder ? _("Import a Folder of Clips") : _("Import Clips"),
                        folder, CS_FILE_FILTER_VIDEO, clips_chosen_cb, g_object_ref (self));
}

/* Tables go to the mapping step, everything else to the clip import. */
static gboolean
is_table_file (GFile *file)
{
  static const char * const suffixes[] = { ".csv", ".tsv", ".txt", ".json", ".jsonl", ".ndjson", ".xlsx", ".inter" };
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *lower = g_ascii_strdown (name, -1);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (lower, suffixes[i]))
      return TRUE;
  return FALSE;
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         CsWindow      *self)
{
  GSList *list = gdk_file_list_get_files (g_value_get_boxed (value));
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);

  for (GSList *l = list; l != NULL; l = l->next)
    g_list_store_append (files, l->data);
  g_slist_free (list);
  if (g_list_model_get_n_items (G_LIST_MODEL (files)) == 0)
    return FALSE;
  if (g_list_model_get_n_items (G_LIST_MODEL (files)) == 1)
    {
      g_autoptr(GFile) file = g_list_model_get_item (G_LIST_MODEL (files), 0);

      if (is_table_file (file))
        {
          if (self->project == NULL)
            cs_window_toast (self, _("Open or create a project first"));
          else
            cs_window_choose_columns (self, file, CS_TABLE_KIND_EVENTS);
          return TRUE;
        }
    }
  import_clips (self, G_LIST_MODEL (files));
  return TRUE;
}

static void
save_window_state (CsWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)))
    {
      g_settings_set_int (self->settings, "window-width", MAX (width, 360));
      g_settings_set_int (self->settings, "window-height", MAX (height, 294));
    }
}

static gboolean
cs_window_close_request (GtkWindow *window)
{
  CsWindow *self = CS_WINDOW (window);

  save_window_state (self);
  g_cancellable_cancel (self->cancellable);
  cs_job_list_cancel_all (self->jobs);

  return GTK_WINDOW_CLASS (cs_window_parent_class)->close_request (window);
}

static void
bench_after_paint_cb (GdkFrameClock *clock,
                      CsWindow      *self)
{
  gint64 t0 = g_ascii_strtoll (g_getenv ("CS_BENCH_STARTUP"), NULL, 10);

  if (self->project == NULL || !gtk_widget_get_mapped (self->content))
    return;
  g_signal_handlers_disconnect_by_func (clock, bench_after_paint_cb, self);
  g_print ("first-frame-ms %.1f\n", (g_get_monotonic_time () - t0) / 1000.0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
cs_window_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (cs_window_parent_class)->realize (widget);

  /* The startup benchmark (tests/bench/bench-startup.c) measures the time
   * from launch to the first painted frame that shows the project. */
  if (g_getenv ("CS_BENCH_STARTUP") != NULL)
    g_signal_connect_object (gtk_widget_get_frame_clock (widget), "after-paint",
                             G_CALLBACK (bench_after_paint_cb), widget, 0);
}

static void
cs_window_dispose (GObject *object)
{
  CsWindow *self = CS_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), CS_TYPE_WINDOW);

  g_clear_object (&self->loading_bindings);
  g_clear_object (&self->loading_job);
  g_clear_object (&self->project);
  g_clear_object (&self->jobs);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->recent_menu_items);
  g_clear_pointer (&self->opening_path, g_free);

  G_OBJECT_CLASS (cs_window_parent_class)->dispose (object);
}

static void
cs_window_class_init (CsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cs_window_dispose;
  widget_class->realize = cs_window_realize;
  window_class->close_request = cs_window_close_request;

  g_type_ensure (CS_TYPE_RECOMMEND_PAGE);
  g_type_ensure (CS_TYPE_CLIPS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/clipscope/Clipscope/ui/cs-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CsWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, CsWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CsWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, CsWindow, page_stack);
  gtk_widget_class_bind_template_child (widget_class, CsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CsWindow, jobs_button);
  gtk_widget_class_bind_template_child (widget_class, CsWindow, jobs_list);
  gtk_widget_class_bind_template_child (widget_class, CsWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, CsWindow, loading_progress);
  gtk_widget_class_bind_template_child (widget_class, CsWindow, loading_message);
  gtk_widget_class_bind_template_child (widget_class, CsWindow, loading_cancel);
  gtk_widget_class_bind_template_child (widget_class, CsWindow, simulated_label);
  gtk_widget_class_bind_template_child (widget_class, CsWindow, recent_menu);
  gtk_widget_class_bind_template_child (widget_class, CsWindow, content);
  gtk_widget_class_bind_template_callback (widget_class, loading_cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, page_changed_cb);

  gtk_widget_class_install_action (widget_class, "win.new-project", NULL, new_project_action);
  gtk_widget_class_install_action (widget_class, "win.open-project", NULL, open_project_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.open-demo", NULL, open_demo_action);
  gtk_widget_class_install_action (widget_class, "win.import-events", NULL, import_events_action);
  gtk_widget_class_install_action (widget_class, "win.import-stats", NULL, import_stats_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.import-clips", NULL, import_clips_action);
  gtk_widget_class_install_action (widget_class, "win.import-clip-folder", NULL, import_clips_action);
}

static GtkWidget *
make_sidebar_row (const PageInfo *info)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name (info->icon);
  GtkWidget *label = gtk_label_new (_(info->title));

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

static void
cs_window_init (CsWindow *self)
{
  GtkWidget *page_widgets[G_N_ELEMENTS (pages)];
  int width, height;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->cancellable = g_cancellable_new ();
  self->jobs = cs_job_list_new ();

  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  self->clips_page = CS_CLIPS_PAGE (cs_clips_page_new (self->jobs));
  self->audience_page = CS_AUDIENCE_PAGE (cs_audience_page_new ());
  self->recommend_page = CS_RECOMMEND_PAGE (cs_recommend_page_new (self->jobs));
  self->predict_page = CS_PREDICT_PAGE (cs_predict_page_new (self->jobs));
  self->generate_page = CS_GENERATE_PAGE (cs_generate_page_new (self->jobs));
  page_widgets[0] = GTK_WIDGET (self->clips_page);
  page_widgets[1] = GTK_WIDGET (self->audience_page);
  page_widgets[2] = GTK_WIDGET (self->recommend_page);
  page_widgets[3] = GTK_WIDGET (self->predict_page);
  page_widgets[4] = GTK_WIDGET (self->generate_page);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      gtk_stack_add_titled (self->page_stack, page_widgets[i], pages[i].name, _(pages[i].title));
      gtk_list_box_append (self->sidebar_list, make_sidebar_row (&pages[i]));
    }
  gtk_list_box_select_row (self->sidebar_list, gtk_list_box_get_row_at_index (self->sidebar_list, 0));
  page_changed_cb (self);

  gtk_list_box_bind_model (self->jobs_list, G_LIST_MODEL (self->jobs), create_job_row, NULL, NULL);

  /* Video files and folders dropped anywhere on an open project import as clips. */
  {
    GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

    g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
    gtk_widget_add_controller (self->content, GTK_EVENT_CONTROLLER (drop));
  }
  g_signal_connect_object (self->jobs, "items-changed", G_CALLBACK (jobs_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->jobs, "job-finished", G_CALLBACK (job_finished_cb), self, G_CONNECT_SWAPPED);

  self->loading_bindings = g_binding_group_new ();
  g_binding_group_bind (self->loading_bindings, "fraction", self->loading_progress, "fraction", G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->loading_bindings, "message", self->loading_message, "label", G_BINDING_SYNC_CREATE);

  self->recent_menu_items = g_menu_new ();
  g_menu_append_section (self->recent_menu, NULL, G_MENU_MODEL (self->recent_menu_items));
  g_signal_connect_object (self->settings, "changed::recent-projects",
                           G_CALLBACK (update_recent_menu), self, G_CONNECT_SWAPPED);
  update_recent_menu (self);

  show_home (self);
}
