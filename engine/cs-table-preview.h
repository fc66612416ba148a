/* cs-table-preview.h: the first rows of a table file, for the import dialog.
 *
 * Before importing, the app shows what Clipscope read (format, encoding, the
 * header and a few rows) and which column it proposes for each field, so the
 * user can correct the guess. Reading is I/O: call cs_table_preview_read()
 * from a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The kinds of table (the same words as imports.kind). */
#define CS_TABLE_KIND_EVENTS "events"
#define CS_TABLE_KIND_STATS  "stats"

typedef struct
{
  char        *path;
  char        *kind;       /* CS_TABLE_KIND_* */
  char        *format;     /* "CSV", "TSV" … as a user reads it */
  char        *encoding;   /* "UTF-8" … */
  GStrv        header;     /* column names as in the file */
  GPtrArray   *rows;       /* GStrv each, at most the number asked for */
  GHashTable  *mapping;    /* field -> column: the proposal */
  gboolean     mapping_saved; /* the proposal is a mapping the user saved */
  char        *time_zone;     /* (nullable) the project's "time_zone" setting */
} CsTablePreview;

void            cs_table_preview_free (CsTablePreview *preview);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsTablePreview, cs_table_preview_free)

/* Reads the header and up to @max_rows rows of @path as a table of @kind.
 * @encoding: (nullable): an encoding name to use instead of detecting one.
 * @project_path: (nullable): a project whose saved mappings are offered
 * first. Blocking. */
CsTablePreview *cs_table_preview_read (const char    *path,
                                       const char    *kind,
                                       const char    *encoding,
                                       const char    *project_path,
                                       guint          max_rows,
                                       GCancellable  *cancellable,
                                       GError       **error);

/* The values of @column in the preview's rows, at most @max distinct
 * non-empty ones, joined with ", " and shortened: "196, 186, 22". */
char           *cs_table_preview_sample (CsTablePreview *preview,
                                         const char     *column,
                                         guint           max);

G_END_DECLS
