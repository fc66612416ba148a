/* cs-compat.h: newer GTK/libadwaita API behind version checks (DESIGN §3).
 *
 * Each helper uses the modern API where the build's GTK has it and the
 * Debian 12 baseline (GTK 4.8) otherwise.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Called with the chosen file, or NULL when the user cancelled. */
typedef void (*CsFileChosenFunc) (GFile    *file,
                                  gpointer  user_data);

typedef enum
{
  CS_FILE_FILTER_PROJECT,   /* *.clipscope */
  CS_FILE_FILTER_TABLE,     /* CSV, TSV, text */
  CS_FILE_FILTER_REPORT,    /* PDF, PNG, SVG */
  CS_FILE_FILTER_PNG,       /* *.png */
  CS_FILE_FILTER_VIDEO,     /* video files */
} CsFileFilterKind;

/* Called with the chosen files (a GListModel of GFile), or NULL when the
 * user cancelled. */
typedef void (*CsFilesChosenFunc) (GListModel *files,
                                   gpointer    user_data);

void cs_compat_open_file   (GtkWindow        *parent,
                            const char       *title,
                            CsFileFilterKind  filter,
                            CsFileChosenFunc  callback,
                            gpointer          user_data);
void cs_compat_save_file   (GtkWindow        *parent,
                            const char       *title,
                            const char       *suggested_name,
                            CsFileFilterKind  filter,
                            CsFileChosenFunc  callback,
                            gpointer          user_data);
/* Several files of @filter, or (@folder TRUE) one folder. */
void cs_compat_open_files  (GtkWindow         *parent,
                            const char        *title,
                            gboolean           folder,
                            CsFileFilterKind   filter,
                            CsFilesChosenFunc  callback,
                            gpointer           user_data);
/* Opens a folder in the file manager. */
void cs_compat_show_folder (GtkWindow        *parent,
                            GFile            *folder);
/* @file, or when its name has no extension the same name with @extension
 * (".pdf") added: a name typed without one gets the default. */
GFile *cs_compat_with_extension (GFile      *file,
                                 const char *extension);

G_END_DECLS
