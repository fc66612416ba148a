/* cs-page-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cs-page-export.h"
#include "cs-report-run.h"
#include "cs-window.h"

void
cs_page_toast (GtkWidget  *page,
               const char *message)
{
  GtkWidget *window = gtk_widget_get_ancestor (page, CS_TYPE_WINDOW);

  if (window != NULL)
    cs_window_toast (CS_WINDOW (window), message);
  else
    g_message ("%s", message);
}

void
cs_page_toast_saved (GtkWidget *page,
                     GFile     *file)
{
  g_autofree char *name = g_file_get_basename (file);
  /* Translators: %s is a file name. */
  g_autofree char *message = g_strdup_printf (_("Saved “%s”"), name);

  cs_page_toast (page, message);
}

void
cs_page_show_save_error (GtkWidget    *page,
                         const char   *heading,
                         const GError *error)
{
  GtkRoot *root = gtk_widget_get_root (page);
  GtkWidget *dialog;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  GFile    *file;
  char     *heading;
  GBytes   *bytes;          /* the contents, or a report of: */
  char     *project_path;
  char     *project_title;
  gboolean  simulated;
  gint64    run_id;
} SaveData;

static void
save_data_free (gpointer data)
{
  SaveData *save = data;

  g_clear_object (&save->file);
  g_free (save->heading);
  g_clear_pointer (&save->bytes, g_bytes_unref);
  g_free (save->project_path);
  g_free (save->project_title);
  g_free (save);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveData *save = task_data;
  GError *error = NULL;

  if (save->bytes == NULL)
    {
      if (!cs_report_export_run (save->project_path, save->project_title, save->simulated, save->run_id,
                                 save->file, cancellable, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }
  else if (!g_file_replace_contents (save->file, g_bytes_get_data (save->bytes, NULL),
                                     g_bytes_get_size (save->bytes), NULL, FALSE,
                                     G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, &error))
    {
      g_autofree char *name = g_file_get_parse_name (save->file);

      g_prefix_error (&error, _("Could not write “%s”: "), name);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GtkWidget *page = GTK_WIDGET (object);
  SaveData *save = g_task_get_task_data (G_TASK (result));
  g_autoptr(GTask) outer = user_data;
  g_autoptr(GError) error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    cs_page_toast_saved (page, save->file);
  else
    cs_page_show_save_error (page, save->heading, error);
  if (outer == NULL)
    return;
  if (error != NULL)
    g_task_return_error (outer, g_steal_pointer (&error));
  else
    g_task_return_boolean (outer, TRUE);
}

static void
start_save (GtkWidget           *page,
            SaveData            *save,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GTask *outer = NULL;

  if (callback != NULL)
    {
      outer = g_task_new (page, cancellable, callback, user_data);
      g_task_set_source_tag (outer, cs_page_export_finish);
    }
  task = g_task_new (page, cancellable, saved_cb, outer);
  g_task_set_source_tag (task, start_save);
  g_task_set_task_data (task, save, save_data_free);
  g_task_run_in_thread (task, save_thread);
}

void
cs_page_save_bytes_async (GtkWidget           *page,
                          GFile               *file,
                          GBytes              *bytes,
                          const char          *heading,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  SaveData *save;

  g_return_if_fail (GTK_IS_WIDGET (page));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (bytes != NULL);

  save = g_new0 (SaveData, 1);
  save->file = g_object_ref (file);
  save->heading = g_strdup (heading);
  save->bytes = g_bytes_ref (bytes);
  start_save (page, save, cancellable, callback, user_data);
}

void
cs_page_export_report_async (GtkWidget           *page,
                             CsProject           *project,
                             gint64               run_id,
                             GFile               *file,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  SaveData *save;

  g_return_if_fail (GTK_IS_WIDGET (page));
  g_return_if_fail (CS_IS_PROJECT (project));
  g_return_if_fail (G_IS_FILE (file));

  save = g_new0 (SaveData, 1);
  save->file = g_object_ref (file);
  save->heading = g_strdup (_("Could Not Save the Report"));
  save->project_path = g_strdup (cs_project_get_path (project));
  save->project_title = g_strdup (cs_project_get_title (project));
  save->simulated = cs_project_get_simulated (project);
  save->run_id = run_id;
  start_save (page, save, cancellable, callback, user_data);
}

void
cs_page_export_fail (GtkWidget           *page,
                     const char          *heading,
                     GError              *error,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_return_if_fail (GTK_IS_WIDGET (page));
  g_return_if_fail (error != NULL);

  cs_page_show_save_error (page, heading, error);
  if (callback != NULL)
    {
      g_autoptr(GTask) task = g_task_new (page, cancellable, callback, user_data);

      g_task_set_source_tag (task, cs_page_export_finish);
      g_task_return_error (task, error);
    }
  else
    g_error_free (error);
}

gboolean
cs_page_export_finish (GtkWidget     *page,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, page), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cs_page_export_finish, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
