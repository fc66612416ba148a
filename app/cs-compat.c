/* cs-compat.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cs-compat.h"

typedef struct
{
  CsFileChosenFunc callback;
  gpointer         user_data;
} Chooser;

static GListStore *
make_filters (CsFileFilterKind kind)
{
  GListStore *filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  switch (kind)
    {
    case CS_FILE_FILTER_PROJECT:
      gtk_file_filter_set_name (filter, _("Clipscope Projects"));
      gtk_file_filter_add_pattern (filter, "*.clipscope");
      break;

    case CS_FILE_FILTER_TABLE:
      gtk_file_filter_set_name (filter, _("Tables (CSV, TSV)"));
      gtk_file_filter_add_pattern (filter, "*.csv");
      gtk_file_filter_add_pattern (filter, "*.tsv");
      gtk_file_filter_add_pattern (filter, "*.txt");
      gtk_file_filter_add_pattern (filter, "*.inter");
      gtk_file_filter_add_mime_type (filter, "text/csv");
      gtk_file_filter_add_mime_type (filter, "text/tab-separated-values");
      break;

    case CS_FILE_FILTER_REPORT:
      gtk_file_filter_set_name (filter, _("Reports (PDF, PNG, SVG)"));
      gtk_file_filter_add_pattern (filter, "*.pdf");
      gtk_file_filter_add_pattern (filter, "*.png");
      gtk_file_filter_add_pattern (filter, "*.svg");
      gtk_file_filter_add_mime_type (filter, "application/pdf");
      gtk_file_filter_add_mime_type (filter, "image/png");
      gtk_file_filter_add_mime_type (filter, "image/svg+xml");
      break;

    case CS_FILE_FILTER_PNG:
      gtk_file_filter_set_name (filter, _("PNG Images"));
      gtk_file_filter_add_pattern (filter, "*.png");
      gtk_file_filter_add_mime_type (filter, "image/png");
      break;

    case CS_FILE_FILTER_VIDEO:
      gtk_file_filter_set_name (filter, _("Videos"));
      gtk_file_filter_add_mime_type (filter, "video/*");
      break;

    default:
      g_assert_not_reached ();
    }

  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  g_list_store_append (filters, filter);
  g_list_store_append (filters, all);
  return filters;
}

typedef struct
{
  CsFilesChosenFunc callback;
  gpointer          user_data;
} FilesChooser;

#if GTK_CHECK_VERSION (4, 10, 0)

static void
files_dialog_done_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GtkFileDialog *dialog = GTK_FILE_DIALOG (object);
  g_autofree FilesChooser *chooser = user_data;
  g_autoptr(GListModel) files = NULL;

  if (GPOINTER_TO_INT (g_object_get_data (object, "cs-folder")))
    {
      g_autoptr(GFile) folder = gtk_file_dialog_select_folder_finish (dialog, result, NULL);

      if (folder != NULL)
        {
          GListStore *store = g_list_store_new (G_TYPE_FILE);

          g_list_store_append (store, folder);
          files = G_LIST_MODEL (store);
        }
    }
  else
    files = gtk_file_dialog_open_multiple_finish (dialog, result, NULL);
  chooser->callback (files, chooser->user_data);
}

static void
run_files_chooser (GtkWindow         *parent,
                   const char        *title,
                   gboolean           folder,
                   CsFileFilterKind   filter,
                   CsFilesChosenFunc  callback,
                   gpointer           user_data)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  FilesChooser *chooser = g_new0 (FilesChooser, 1);

  chooser->callback = callback;
  chooser->user_data = user_data;
  gtk_file_dialog_set_title (dialog, title);
  g_object_set_data (G_OBJECT (dialog), "cs-folder", GINT_TO_POINTER (folder));
  if (folder)
    gtk_file_dialog_select_folder (dialog, parent, NULL, files_dialog_done_cb, chooser);
  else
    {
      g_autoptr(GListStore) filters = make_filters (filter);

      gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
      gtk_file_dialog_open_multiple (dialog, parent, NULL, files_dialog_done_cb, chooser);
    }
}

static void
dialog_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GtkFileDialog *dialog = GTK_FILE_DIALOG (object);
  g_autofree Chooser *chooser = user_data;
  g_autoptr(GFile) file = NULL;

  if (GPOINTER_TO_INT (g_object_get_data (object, "cs-save")))
    file = gtk_file_dialog_save_finish (dialog, result, NULL);
  else
    file = gtk_file_dialog_open_finish (dialog, result, NULL);
  chooser->callback (file, chooser->user_data);
}

static void
run_chooser (GtkWindow        *parent,
             const char       *title,
             const char       *suggested_name,
             gboolean          save,
             CsFileFilterKind  filter,
             CsFileChosenFunc  callback,
             gpointer          user_data)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  g_autoptr(GListStore) filters = make_filters (filter);
  Chooser *chooser = g_new0 (Chooser, 1);

  chooser->callback = callback;
  chooser->user_data = user_data;
  gtk_file_dialog_set_title (dialog, title);
  gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
  g_object_set_data (G_OBJECT (dialog), "cs-save", GINT_TO_POINTER (save));
  if (save)
    {
      gtk_file_dialog_set_initial_name (dialog, suggested_name);
      gtk_file_dialog_save (dialog, parent, NULL, dialog_done_cb, chooser);
    }
  else
    gtk_file_dialog_open (dialog, parent, NULL, dialog_done_cb, chooser);
}

#else

static void
native_files_response_cb (GtkNativeDialog *native,
                          int              response,
                          gpointer         user_data)
{
  g_autofree FilesChooser *chooser = user_data;
  g_autoptr(GListModel) files = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (native));
  chooser->callback (files, chooser->user_data);
  g_object_unref (native);
}

static void
run_files_chooser (GtkWindow         *parent,
                   const char        *title,
                   gboolean           folder,
                   CsFileFilterKind   filter,
                   CsFilesChosenFunc  callback,
                   gpointer           user_data)
{
  GtkFileChooserNative *native;
  FilesChooser *chooser = g_new0 (FilesChooser, 1);

  chooser->callback = callback;
  chooser->user_data = user_data;
  native = gtk_file_chooser_native_new (title, parent,
                                        folder ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER
                                               : GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  if (!folder)
    {
      g_autoptr(GListStore) filters = make_filters (filter);

      gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (native), TRUE);
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (filters)); i++)
        {
          g_autoptr(GtkFileFilter) f = g_list_model_get_item (G_LIST_MODEL (filters), i);
          gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), f);
        }
    }
  g_signal_connect (native, "response", G_CALLBACK (native_files_response_cb), chooser);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
native_response_cb (GtkNativeDialog *native,
                    int              response,
                    gpointer         user_data)
{
  g_autofree Chooser *chooser = user_data;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
  chooser->callback (file, chooser->user_data);
  g_object_unref (native);
}

static void
run_chooser (GtkWindow        *parent,
             const char       *title,
             const char       *suggested_name,
             gboolean          save,
             CsFileFilterKind  filter,
             CsFileChosenFunc  callback,
             gpointer          user_data)
{
  GtkFileChooserNative *native;
  g_autoptr(GListStore) filters = make_filters (filter);
  Chooser *chooser = g_new0 (Chooser, 1);

  chooser->callback = callback;
  chooser->user_data = user_data;
  native = gtk_file_chooser_native_new (title, parent,
                                        save ? GTK_FILE_CHOOSER_ACTION_SAVE
                                             : GTK_FILE_CHOOSER_ACTION_OPEN,
                                        save ? _("_Create") : _("_Open"),
                                        _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (filters)); i++)
    {
      g_autoptr(GtkFileFilter) f = g_list_model_get_item (G_LIST_MODEL (filters), i);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), f);
    }
  if (save && suggested_name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), suggested_name);
  g_signal_connect (native, "response", G_CALLBACK (native_response_cb), chooser);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

#endif

void
cs_compat_open_file (GtkWindow        *parent,
                     const char       *title,
                     CsFileFilterKind  filter,
                     CsFileChosenFunc  callback,
                     gpointer          user_data)
{
  g_return_if_fail (callback != NULL);

  run_chooser (parent, title, NULL, FALSE, filter, callback, user_data);
}

void
cs_compat_save_file (GtkWindow        *parent,
                     const char       *title,
                     const char       *suggested_name,
                     CsFileFilterKind  filter,
                     CsFileChosenFunc  callback,
                     gpointer          user_data)
{
  g_return_if_fail (callback != NULL);

  run_chooser (parent, title, suggested_name, TRUE, filter, callback, user_data);
}

void
cs_compat_open_files (GtkWindow         *parent,
                      const char        *title,
                      gboolean           folder,
                      CsFileFilterKind   filter,
                      CsFilesChosenFunc  callback,
                      gpointer           user_data)
{
  g_return_if_fail (callback != NULL);

  run_files_chooser (parent, title, folder, filter, callback, user_data);
}

void
cs_compat_show_folder (GtkWindow *parent,
                       GFile     *folder)
{
#if GTK_CHECK_VERSION (4, 10, 0)
  g_autoptr(GtkFileLauncher) launcher = gtk_file_launcher_new (folder);

  gtk_file_launcher_launch (launcher, parent, NULL, NULL, NULL);
#else
  g_autofree char *uri = g_file_get_uri (folder);

  gtk_show_uri (parent, uri, GDK_CURRENT_TIME);
#endif
}

GFile *
cs_compat_with_extension (GFile      *file,
                          const char *extension)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr(GFile) parent = NULL;
  g_autofree char *named = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (name == NULL || strchr (name, '.') != NULL || (parent = g_file_get_parent (file)) == NULL)
    return g_object_ref (file);
  named = g_strconcat (name, extension, NULL);
  return g_file_get_child (parent, named);
}
