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
} CsFileFilterKind;

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
/* Opens a folder in the file manager. */
void cs_compat_show_folder (GtkWindow        *parent,
                            GFile            *folder);

G_END_DECLS
