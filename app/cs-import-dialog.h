/* cs-import-dialog.h: the mapping step before a table import.
 *
 * Shows what Clipscope read from a table file (format, encoding, the first
 * rows) and the column proposed for each field; the user corrects the
 * proposal, chooses another encoding, and presses Import. The dialog only
 * collects the choice: its "import" signal hands it to the window, which runs
 * the import as a job.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CS_TYPE_IMPORT_DIALOG (cs_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CsImportDialog, cs_import_dialog, CS, IMPORT_DIALOG, AdwWindow)

/* @kind: CS_TABLE_KIND_EVENTS or CS_TABLE_KIND_STATS, the first choice.
 * @project_path: (nullable): whose saved mappings to offer. */
CsImportDialog *cs_import_dialog_new              (GtkWindow      *parent,
                                                   GFile          *file,
                                                   const char     *kind,
                                                   const char     *project_path);

GFile          *cs_import_dialog_get_file         (CsImportDialog *self);
const char     *cs_import_dialog_get_kind         (CsImportDialog *self);
/* (nullable): NULL when the encoding is detected. */
const char     *cs_import_dialog_get_encoding     (CsImportDialog *self);
/* field -> column (columns trimmed); a field the user set to "not in this
 * file" maps to "". A new reference. */
GHashTable     *cs_import_dialog_dup_mapping      (CsImportDialog *self);
gboolean        cs_import_dialog_get_pseudonymise (CsImportDialog *self);
/* The zone of times written without one, as an identifier
 * g_time_zone_new_identifier() takes ("Asia/Shanghai"). */
char           *cs_import_dialog_dup_time_zone    (CsImportDialog *self);
/* The year of dates written without one. */
int             cs_import_dialog_get_year         (CsImportDialog *self);

/* For tests: the column chosen for @field now, or NULL (not in the file). */
const char     *cs_import_dialog_get_column       (CsImportDialog *self,
                                                   const char     *field);
void            cs_import_dialog_set_column       (CsImportDialog *self,
                                                   const char     *field,
                                                   const char     *column);
/* For tests: TRUE once the preview is shown (or failed). */
gboolean        cs_import_dialog_is_ready         (CsImportDialog *self);

G_END_DECLS
