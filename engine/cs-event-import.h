/* cs-event-import.h: import an event log (CSV/TSV) into a project.
 *
 * The whole import is one transaction: all accepted rows or none. Rejected
 * rows are kept (line, reason, raw text) in import_rejects and in the report.
 *
 * Columns are found from the header. A header name is compared after
 * trimming, dropping a RecBole type (`user_id:token` → `user_id`), case
 * folding, and turning spaces and hyphens into `_` ("User ID" → `user_id`).
 * The first synonym in this order that names a column wins:
 *
 *   viewer      user_id userid uid user viewer viewer_id 用户 用户id (用户ID)
 *   clip        item_id itemid video_id clip clip_id item video 作品id 视频id
 *   time        timestamp time datetime date event_time 时间 观看时间
 *   event       event action type behavior event_type 行为
 *   watch_time  watch_time play_time watch_seconds 观看时长 play_duration
 *   value       rating score 评分
 *   text        comment text 评论内容
 *
 * viewer, clip and time are required. A mapping given by the caller wins
 * over the guess; a field mapped to "" is left out.
 *
 * Values: viewer and clip ids are trimmed text. Times are Unix seconds
 * (integer or decimal), Unix milliseconds (any value above 1e11), or ISO 8601
 * ("2020-05-31T23:54:00Z", "2020-05-31 23:54:00+08:00", "2020-05-31"; '/' may
 * separate the date); a time without a zone is taken as UTC until the
 * project's time-zone setting exists. Events: view/play/watch/播放/观看 → view,
 * like/点赞, comment/评论, share/forward/转发/分享, follow/关注,
 * save/favorite/favourite/收藏; without an event column every row is a view.
 * watch_time is in seconds (or M:SS, H:MM:SS) and stored in milliseconds.
 *
 * Duplicates. A row whose (viewer, clip, time, event, watch time, value,
 * text) equals those of an event already in the project, or of an earlier
 * row of the same file, is skipped and counted in rows_duplicate (not a
 * reject, not imported). Importing the same file twice therefore adds nothing
 * the second time. Times compare in whole seconds and watch times in
 * milliseconds, as stored; an absent value equals only an absent value.
 *
 * Speed. Ids are mapped to row ids through in-memory tables (one SQLite lookup
 * per distinct id). When the file holds at least as many rows as the events
 * table already does (estimated after its first 1,000 rows from their bytes),
 * the three events indexes are dropped for the import and rebuilt by sorting
 * before the commit, inside the same transaction, so a failure or a cancel still leaves the project as
 * it was. Candidate duplicates are found with a table of 32-bit fingerprints
 * of the rows (about 4 bytes per row) and confirmed exactly in SQLite.
 *
 * Pseudonymisation (CsEventImportOptions.pseudonymise). Each viewer id is
 * replaced before it reaches the project by "p" followed by the first 16 hex
 * digits (64 bits) of HMAC-SHA256(key, id), the id trimmed. The key is 32
 * random bytes created at the first such import and kept, as hex, in the
 * project's settings ("pseudonym_key"): within one project the same id always
 * gets the same pseudonym, and without the project file a pseudonym cannot be
 * traced back by hashing guessed ids. A rejected row's raw text is then
 * rebuilt from its fields with the viewer column replaced by its pseudonym;
 * when the row cannot be split reliably (invalid text, an unterminated quote,
 * too few fields) its raw text is withheld (empty). Reasons never quote the
 * viewer column.
 *
 * Rollback. cs_event_import_rollback() removes an import's events, its
 * rejects, the import itself, and the viewers and clips it created that
 * nothing else uses now (no events of other imports, no clip stats, no video
 * file), in one transaction. The viewers and clips it created that later
 * imports still use pass to the first of those imports. The same call
 * rolls back a clip-stats import (cs-stats-import.h): its stats rows and the
 * clips it created. Figures such an import replaced (a clip's earlier
 * stats for the same day) are not brought back, and titles or captions it
 * filled in stay: roll back before importing anything else on top.
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
  char   *reason;   /* "column “time”: “12abc” is not a time" */
  char   *raw;      /* the record as read (valid UTF-8, cut at 16 KiB) */
} CsImportReject;

/* At most this many rejects are kept in the report; import_rejects keeps up
 * to CS_IMPORT_MAX_STORED_REJECTS, rows_rejected counts them all. */
#define CS_IMPORT_MAX_REPORTED_REJECTS 1000
#define CS_IMPORT_MAX_STORED_REJECTS   100000

typedef struct
{
  gint64       import_id;
  gint64       rows_read;
  gint64       rows_imported;
  gint64       rows_rejected;
  char        *encoding;      /* "UTF-8" */
  GHashTable  *mapping;       /* field name -> column name (both char*) */
  GPtrArray   *rejects;       /* CsImportReject*, the first 1000 */
  /* Rows skipped as duplicates: rows_read = imported + rejected + duplicate. */
  gint64       rows_duplicate;
  gboolean     pseudonymised;
} CsImportReport;

typedef struct
{
  /* Replace viewer ids by keyed hashes before they are stored (see above). */
  gboolean    pseudonymise;
  /* (nullable): the file's encoding as iconv names it; NULL detects it
   * (cs-table-reader.h: UTF-8 with or without BOM, UTF-16, GB18030). */
  const char *encoding;
  /* The year of dates written without one ("5月31日 23:54"); 0: such
   * times are refused. */
  int         default_year;
} CsEventImportOptions;

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
/* The same with @options (nullable: the defaults, all FALSE). */
CsImportReport *cs_event_import_run_full (CsStore                    *store,
                                          const char                 *path,
                                          GHashTable                 *mapping,
                                          const CsEventImportOptions *options,
                                          CsProgressFunc              progress,
                                          gpointer                    progress_data,
                                          GCancellable               *cancellable,
                                          GError                    **error);

/* Removes the event or stats import @import_id (see "Rollback" above). An
 * unknown id, or an import of another kind (clips, demo), is
 * CS_STORE_ERROR_NOT_FOUND.
 * On error or cancel the project is left as it was. Blocking. */
gboolean        cs_event_import_rollback (CsStore        *store,
                                          gint64          import_id,
                                          GCancellable   *cancellable,
                                          GError        **error);

/* The pseudonym of @viewer_id under @key (any bytes): "p" + 16 hex digits. */
char           *cs_event_pseudonym      (const guint8   *key,
                                         gsize           key_len,
                                         const char     *viewer_id);

/* "FIELD=COLUMN,FIELD=COLUMN" as given to clipscope-cli --map; a field
 * with an empty column ("value=") is left out. Unknown fields are an error. */
GHashTable     *cs_event_mapping_parse  (const char     *spec,
                                         GError        **error);

/* The fields in order (viewer, clip, time, event, watch_time, value, text),
 * NULL-terminated. */
const char * const *cs_event_fields     (void);

/* Whether the first line of a table holds data rather than column names
 * (every cell a number or empty). Such a file's columns are named by
 * position, "#1", "#2" … (cs_event_positional_header()), its first line is
 * a row, and a mapping names them: --map viewer=#1,clip=#3,time=#11. */
gboolean        cs_event_header_is_data (const char * const *header);
GStrv           cs_event_positional_header (guint n_columns);

/* The guess for a header row: field name -> column name, for the fields that
 * were found (a mapping step offers it before importing). */
GHashTable     *cs_event_mapping_guess  (const char * const *header);

/* A time value as the importer reads it, in Unix seconds (UTC). */
gboolean        cs_import_parse_time    (const char     *text,
                                         gint64         *unix_seconds);

/* The report as {"import_id","rows_read","rows_imported","rows_rejected",
 * "rows_duplicate","pseudonymised","encoding","mapping":{FIELD:COLUMN},"rejects":[{"line","reason","raw"}..]}
 * (DESIGN §7), fields in that order. */
char           *cs_import_report_to_json (CsImportReport *report);

G_END_DECLS
