/* cs-event-import.h: import an event log (CSV/TSV) into a project.
 *
 * The whole import is one transaction: all accepted rows or none. Rejected
 * rows are kept (line, reason, raw text) in import_rejects and in the report.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cs-store.h"
#include "cs-types.h"

G_BEGIN_DECLS

/* Fields of an event log a column can be mapped to. */
#define CS_EVENT_FIELD_VIEWER   "viewer"
#define CS_EVENT_FIELD_CLIP     "clip"
#define CS_EVENT_FIELD_TIME     "time"
#define CS_EVENT_FIELD_EVENT    "event"     /* optional: view/like/comment/share/follow/save */
#define CS_EVENT_FIELD_WATCH    "watch_time"/* optional: seconds watched */
#define CS_EVENT_FIELD_VALUE    "value"     /* optional: a rating */
#define CS_EVENT_FIELD_TEXT     "text"      /* optional: comment text */

typedef struct
{
  gint64  line;     /* 1-based line number of the record's first line in the file */
  char   *reason;   /* "column 'time': '12abc' is not a time" */
  char   *raw;      /* the record as read */
} CsImportReject;

typedef struct
{
  gint64       import_id;
  gint64       rows_read;
  gint64       rows_imported;
  gint64       rows_rejected;
  char        *encoding;      /* "UTF-8" */
  GHashTable  *mapping;       /* field name -> column name (both char*) */
  GPtrArray   *rejects;       /* CsImportReject*, the first 1000 */
} CsImportReport;

void            cs_import_report_free   (CsImportReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsImportReport, cs_import_report_free)

/* @mapping: (nullable): field name -> column name overrides; fields left out
 * are guessed from the header. Blocking; call from a worker thread. */
CsImportReport *cs_event_import_run     (CsStore        *store,
                                         const char     *path,
                                         GHashTable     *mapping,
                                         CsProgressFunc  progress,
                                         gpointer        progress_data,
                                         GCancellable   *cancellable,
                                         GError        **error);

/* "FIELD=COLUMN,FIELD=COLUMN" as given to clipscope-cli --map. */
GHashTable     *cs_event_mapping_parse  (const char     *spec,
                                         GError        **error);

/* The report as {"rows_read","rows_imported","rows_rejected","encoding",
 * "mapping":{..},"rejects":[{"line","reason"}..]} (DESIGN §7). */
char           *cs_import_report_to_json (CsImportReport *report);

G_END_DECLS
