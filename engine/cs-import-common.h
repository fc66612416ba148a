/* cs-import-common.h: what every table import (event logs, clip stats)
 * shares: rejects, column lookup, --map parsing, the JSON report, messages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "cs-event-import.h"
#include "cs-store.h"

G_BEGIN_DECLS

/* Rejected rows keep their text for the user to look at, not whole files. */
#define CS_IMPORT_RAW_MAX_BYTES (16 * 1024)

/* A new, empty report for @encoding (rejects freed with it). */
CsImportReport *cs_import_report_new          (const char          *encoding);

/* A reject's raw text as text that can be stored and shown: valid UTF-8, no
 * NUL, at most CS_IMPORT_RAW_MAX_BYTES (then cut on a character and ended
 * with "…"). */
char           *cs_import_make_raw            (const char          *raw,
                                               gsize                len);

/* Appends a reject to @report->rejects while it has fewer than
 * CS_IMPORT_MAX_REPORTED_REJECTS; takes @reason and @raw. */
void            cs_import_report_add_reject   (CsImportReport      *report,
                                               gint64               line,
                                               char                *reason,
                                               char                *raw);

/* Inside the import's transaction: the imports row (@kind "events",
 * "stats" …; @mapping_json from cs_import_mapping_to_json()); sets
 * @report->import_id. */
gboolean        cs_import_record_begin        (CsStore             *store,
                                               const char          *kind,
                                               const char          *path,
                                               const char          *mapping_json,
                                               CsImportReport      *report,
                                               GError             **error);

/* The row counts of @report into its imports row. */
gboolean        cs_import_record_counts       (CsStore             *store,
                                               CsImportReport      *report,
                                               GError             **error);

/* Counts a rejected row and keeps it: in import_rejects (up to
 * CS_IMPORT_MAX_STORED_REJECTS) and in @report (up to
 * CS_IMPORT_MAX_REPORTED_REJECTS). Sets *@first_problem for the first one.
 * @insert_reject: (nullable): a prepared "INSERT INTO import_rejects (import_id,
 * line, reason, raw) VALUES (?1, ?2, ?3, ?4)", or NULL to prepare it. */
gboolean        cs_import_reject_row          (CsStore             *store,
                                               sqlite3_stmt        *insert_reject,
                                               CsImportReport      *report,
                                               gint64               line,
                                               const char          *raw,
                                               gsize                raw_len,
                                               char                *reason,
                                               char               **first_problem,
                                               GError             **error);

/* The column @name designates: the same text, else the same text in another
 * case, else the same normalised name (cs_column_normalise_header()); -1. */
int             cs_import_find_column         (const char * const  *header,
                                               const char          *name);

/* "a, b, c" for a message, cut after 30 columns. */
char           *cs_import_describe_columns    (const char * const  *header);

/* "FIELD=COLUMN,…" against @fields; FIELD= leaves a field out. @what names
 * the kind of table in messages ("an event log", "a clip-stats table"). */
GHashTable     *cs_import_mapping_parse       (const char          *spec,
                                               const char * const  *fields,
                                               const char          *what,
                                               const char          *example,
                                               GError             **error);

/* The error for a field that is not in @fields. Returns FALSE. */
gboolean        cs_import_unknown_field       (const char          *field,
                                               const char * const  *fields,
                                               const char          *what,
                                               GError             **error);

/* {FIELD: COLUMN} in @fields order, as stored in imports.mapping. */
char           *cs_import_mapping_to_json     (GHashTable          *mapping,
                                               const char * const  *fields);

/* Adds the members "import_id" … "rejects" (DESIGN §7) of @report to the
 * object @builder is in, the mapping in @fields order. */
void            cs_import_report_add_json     (CsImportReport      *report,
                                               const char * const  *fields,
                                               JsonBuilder         *builder);

/* "Read 12,000 rows", translated. */
char           *cs_import_progress_message    (gint64               rows_read);

/* G_IO_ERROR_CANCELLED with a message saying nothing changed. */
void            cs_import_set_cancelled       (GError             **error);

/* The error when no row could be imported. */
void            cs_import_set_nothing_read    (GError             **error,
                                               gint64               rows_read,
                                               const char          *first_problem);

G_END_DECLS
