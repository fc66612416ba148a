/* cs-stats-import.h: import a clip-stats table into a project.
 *
 * A clip-stats table has one row per clip (lifetime figures) or per clip and
 * day (with a day column), as creator centres export them. Fields and their
 * header synonyms are in cs-column-guess.h. Columns come from, in this order
 * of precedence: the caller's mapping, the mapping saved for this header by
 * an earlier import (column_mappings), the guess from the header and from the
 * first CS_STATS_IMPORT_SAMPLE_ROWS rows (guesses at least
 * CS_COLUMN_GUESS_APPLY confident). A clip reference is required: a
 * clip column, or else a title column.
 *
 * Each row's clip reference is linked to the project's clips (cs-clip-linker.h:
 * by external id, file name or title). A reference that matches none becomes
 * a new clip whose external id is the reference (the clip id, or the title
 * when the table has no id column); these references are listed in the report
 * as unmatched, for review. A linked or new clip gets the row's title,
 * caption, hashtags, post time and duration, where the row has them (an empty
 * cell keeps what the clip had). Hashtags are the hashtags column's tags plus
 * those in the title and caption, in both forms, "#tag" (up to a space or
 * punctuation) and Weibo's "#topic#" (no white space inside), stored
 * space-separated without '#', each once.
 *
 * Values (cs-value-parse.h): counts (views, likes, comments, shares, saves,
 * followers) are numbers ("1.4万", "1,234", "3061.0"), never negative;
 * completion_rate is a rate ("35.2%", "0.352"); avg_watch_time and duration
 * are durations ("1:23", "12.5s", "1分23秒"); post_time is a time read with
 * the options' zone (else the project's CS_STATS_IMPORT_ZONE_SETTING, else
 * local time) and default year; day is a date, stored as YYYY-MM-DD in
 * that zone. An empty or "-" cell is no value (NULL).
 *
 * Re-importing: a clip has at most one lifetime row and one row per day. A
 * row for a clip and day that already has stats (from an earlier import of
 * the same or another file, or an earlier row of the same file) replaces
 * them; the report counts these in stats_replaced. Importing the same file
 * twice therefore leaves the same stats, not twice as many.
 *
 * Like the event import: one transaction, all accepted rows or none; rejected
 * rows are kept (line, reason such as column “views”: “12abc” is not a
 * number, raw text) in import_rejects and the report; progress and cancel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cs-event-import.h"
#include "cs-store.h"
#include "cs-types.h"
#include "cs-value-parse.h"

G_BEGIN_DECLS

/* The project setting (cs_store_get_setting()) naming the zone of times
 * written without one, as g_time_zone_new_identifier() reads it ("+08:00",
 * "Asia/Shanghai"); used when the options give no zone. */
#define CS_STATS_IMPORT_ZONE_SETTING "time_zone"

/* Rows read before the import starts, to guess columns from their values. */
#define CS_STATS_IMPORT_SAMPLE_ROWS 20

typedef struct
{
  GHashTable    *mapping;  /* (nullable): field → column overrides; "" leaves a field out */
  CsTimeContext  time;     /* zone and default year for post_time and day */
  const char    *encoding; /* (nullable): an iconv name; NULL detects (cs-table-reader.h) */
} CsStatsImportOptions;

typedef struct
{
  CsImportReport *report;          /* rows, rejects, mapping, import id */
  GPtrArray      *unmatched;       /* char*: references no clip had; new clips now */
  gint64          clips_created;
  gint64          clips_linked;    /* distinct existing clips rows were linked to */
  gint64          stats_replaced;  /* stats rows replaced (see above) */
} CsStatsImportReport;

void                 cs_stats_import_report_free    (CsStatsImportReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsStatsImportReport, cs_stats_import_report_free)

/* @options: (nullable). Blocking; call from a worker thread. */
CsStatsImportReport *cs_stats_import_run            (CsStore                    *store,
                                                     const char                 *path,
                                                     const CsStatsImportOptions *options,
                                                     CsProgressFunc              progress,
                                                     gpointer                    progress_data,
                                                     GCancellable               *cancellable,
                                                     GError                    **error);

/* "FIELD=COLUMN,…" for the stats fields; FIELD= leaves a field out. */
GHashTable          *cs_stats_mapping_parse         (const char                 *spec,
                                                     GError                    **error);

/* The hashtags of @text ("#a #b", "【#话题#】"), appended to @tags (char*)
 * unless already there. */
void                 cs_stats_extract_hashtags      (const char                 *text,
                                                     GPtrArray                  *tags);

/* {"import_id","rows_read","rows_imported","rows_rejected","encoding",
 *  "mapping":{FIELD:COLUMN},"rejects":[{"line","reason","raw"}…],
 *  "clips_created","clips_linked","stats_replaced","unmatched":[…]} */
char                *cs_stats_import_report_to_json (CsStatsImportReport        *report);

G_END_DECLS
