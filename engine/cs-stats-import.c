/* cs-stats-import.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "cs-clip-linker.h"
#include "cs-column-guess.h"
#include "cs-table-reader.h"
#include "cs-error.h"
#include "cs-import-common.h"
#include "cs-stats-import.h"

/* Rows between checks of the cancellable and progress reports. */
#define CHECK_EVERY_ROWS 500
#define PROGRESS_INTERVAL_US (G_USEC_PER_SEC / 10)
/* A hashtag longer than this is not one ("#" before a pasted paragraph). */
#define MAX_TAG_CHARS 64

/* In the order of cs_table_kind_get_fields (CS_TABLE_STATS). */
typedef enum
{
  F_CLIP,
  F_TITLE,
  F_CAPTION,
  F_HASHTAGS,
  F_POST_TIME,
  F_DAY,
  F_VIEWS,
  F_LIKES,
  F_COMMENTS,
  F_SHARES,
  F_SAVES,
  F_AVG_WATCH,
  F_COMPLETION,
  F_FOLLOWERS,
  F_DURATION,
  N_FIELDS
} Field;

/* The stats fields whose values go into clip_stats, in its column order. */
static const Field stat_fields[] = {
  F_VIEWS, F_LIKES, F_COMMENTS, F_SHARES, F_SAVES, F_AVG_WATCH, F_COMPLETION, F_FOLLOWERS,
};

static const char * const *
field_names (void)
{
  const char * const *names = cs_table_kind_get_fields (CS_TABLE_STATS);

  g_assert (g_strv_length ((char **) names) == N_FIELDS);
  g_assert (strcmp (names[F_DURATION], CS_STATS_FIELD_DURATION) == 0);
  return names;
}

static int
field_from_name (const char *name)
{
  const char * const *names = field_names ();

  for (int f = 0; f < N_FIELDS; f++)
    if (g_strcmp0 (name, names[f]) == 0)
      return f;
  return -1;
}

/* Reports */

void
cs_stats_import_report_free (CsStatsImportReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->report, cs_import_report_free);
  g_clear_pointer (&report->unmatched, g_ptr_array_unref);
  g_free (report);
}

/* Hashtags */

static gboolean
ends_tag (gunichar c)
{
  static const gunichar stops[] = {
    ',', '.', '!', '?', ';', ':', '"', '\'', '(', ')', '[', ']', '{', '}', '<', '>', '@',
    0x3001, 0x3002, 0xFF0C, 0xFF01, 0xFF1F, 0xFF1B, 0xFF1A, /* 、。，！？；： */
    0x3010, 0x3011, 0x300C, 0x300D, 0x300A, 0x300B,         /* 【】「」《》 */
    0x201C, 0x201D, 0x2018, 0x2019, 0xFF08, 0xFF09,         /* “”‘’（） */
  };

  if (g_unichar_isspace (c) || c == '#' || c == 0xFF03)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (stops); i++)
    if (c == stops[i])
      return TRUE;
  return FALSE;
}

static void
add_tag (GPtrArray  *tags,
         const char *start,
         gsize       len)
{
  g_autofree char *tag = g_strndup (start, len);

  g_strstrip (tag);
  if (tag[0] == '\0' || !g_utf8_validate (tag, -1, NULL) ||
      g_utf8_strlen (tag, -1) > MAX_TAG_CHARS)
    return;
  for (guint i = 0; i < tags->len; i++)
    if (strcmp (g_ptr_array_index (tags, i), tag) == 0)
      return;
  g_ptr_array_add (tags, g_steal_pointer (&tag));
}

static gboolean
is_hash (const char *p)
{
  return *p == '#' || g_utf8_get_char (p) == 0xFF03;  /* ＃ */
}

void
cs_stats_extract_hashtags (const char *text,
                           GPtrArray  *tags)
{
  const char *p;

  g_return_if_fail (text != NULL && tags != NULL);

  if (!g_utf8_validate (text, -1, NULL))
    return;

  for (p = text; *p != '\0';)
    {
      const char *start, *q;

      if (!is_hash (p))
        {
          p = g_utf8_next_char (p);
          continue;
        }
      start = g_utf8_next_char (p);

      /* "#topic#": a closing '#' with no white space before it. */
      for (q = start; *q != '\0' && !is_hash (q) && !g_unichar_isspace (g_utf8_get_char (q));
           q = g_utf8_next_char (q))
        ;
      if (is_hash (q) && q > start)
        {
          add_tag (tags, start, q - start);
          p = g_utf8_next_char (q);
          continue;
        }

      /* "#tag": up to white space or punctuation. */
      for (q = start; *q != '\0' && !ends_tag (g_utf8_get_char (q)); q = g_utf8_next_char (q))
        ;
      if (q > start)
        add_tag (tags, start, q - start);
      p = q > start ? q : start;
    }
}

/* Rows: the only place that knows the reader, so that another reader (JSON,
 * spreadsheets) can stand in. */

typedef struct
{
  GStrv   fields;
  guint   n_fields;
  gint64  line;
  char   *raw;
  gsize   raw_len;
  char   *problem;
} Row;

static void
row_clear (Row *row)
{
  g_clear_pointer (&row->fields, g_strfreev);
  g_clear_pointer (&row->raw, g_free);
  g_clear_pointer (&row->problem, g_free);
}

typedef struct
{
  CsTableReader *reader;
} RowSource;

static gboolean
source_open (RowSource   *source,
             const char  *path,
             const char  *encoding,
             GError     **error)
{
  CsTableReaderOptions options = { .encoding = encoding };

  source->reader = cs_table_reader_new_for_path (path, &options, error);
  return source->reader != NULL;
}

static void
source_close (RowSource *source)
{
  g_clear_object (&source->reader);
}

/* The next record (blank lines skipped) copied into @row; FALSE at the end
 * or on an error. */
static gboolean
source_next (RowSource     *source,
             GCancellable  *cancellable,
             Row           *row,
             GError       **error)
{
  CsTableReader *reader = source->reader;

  while (cs_table_reader_next (reader, cancellable, error))
    {
      const char * const *fields = cs_table_reader_get_fields (reader);
      guint n_fields = cs_table_reader_get_n_fields (reader);
      const char *problem = cs_table_reader_get_problem (reader);
      const char *raw;

      if (n_fields == 1 && fields[0][0] == '\0' && problem == NULL)
        continue;

      row_clear (row);
      raw = cs_table_reader_get_raw (reader, &row->raw_len);
      row->raw = g_strndup (raw, row->raw_len);
      row->fields = cs_table_reader_dup_fields (reader);
      row->n_fields = n_fields;
      row->line = cs_table_reader_get_line (reader);
      row->problem = g_strdup (problem);
      return TRUE;
    }
  return FALSE;
}

/* 0..1, or -1 when the size is unknown. */
static double
source_fraction (RowSource *source)
{
  guint64 total = cs_table_reader_get_total_bytes (source->reader);

  if (total == 0)
    return -1;
  return MIN (1.0, (double) cs_table_reader_get_bytes_read (source->reader) / (double) total);
}

/* The import */

typedef struct
{
  CsStore              *store;
  sqlite3              *db;
  CsStatsImportReport  *result;
  CsImportReport       *report;
  CsTimeContext         time;
  CsClipLinker         *linker;

  GStrv                 header;
  guint                 n_columns;
  int                   columns[N_FIELDS];

  sqlite3_stmt         *insert_clip;
  sqlite3_stmt         *update_clip;
  sqlite3_stmt         *delete_stats;
  sqlite3_stmt         *insert_stats;
  sqlite3_stmt         *insert_reject;

  GHashTable           *linked;   /* ids of existing clips rows were linked to */
  GHashTable           *created;  /* ids of the clips this import made */
  char                 *first_problem;
} Import;

static void
import_clear (Import *import)
{
  g_clear_pointer (&import->linker, cs_clip_linker_free);
  g_clear_pointer (&import->header, g_strfreev);
  g_clear_pointer (&import->linked, g_hash_table_unref);
  g_clear_pointer (&import->created, g_hash_table_unref);
  g_clear_pointer (&import->first_problem, g_free);
}

static gboolean
step_done (Import        *import,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return cs_store_set_error (import->store, error, _("Could not save the imported stats"));
  return TRUE;
}

static const char *
column_name (Import *import,
             Field   field)
{
  return import->header[import->columns[field]];
}

/* Override, else saved mapping, else guess; one column per field. */
static gboolean
resolve_mapping (Import      *import,
                 GHashTable  *overrides,
                 GPtrArray   *samples,
                 GError     **error)
{
  const char * const *header = (const char * const *) import->header;
  const char * const *names = field_names ();
  gboolean fixed[N_FIELDS] = { FALSE, };
  g_autofree gboolean *used = g_new0 (gboolean, import->n_columns + 1);
  g_autoptr(GHashTable) saved = NULL;
  g_autoptr(GPtrArray) guesses = NULL;
  g_autofree const char * const **rows = NULL;

  for (int f = 0; f < N_FIELDS; f++)
    import->columns[f] = -1;

  if (overrides != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, overrides);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          int f = field_from_name (key);

          if (f < 0)
            return cs_import_unknown_field (key, field_names (), _("a clip-stats table"), error);
          fixed[f] = TRUE;
          if (value == NULL || *(const char *) value == '\0')
            continue;
          import->columns[f] = cs_import_find_column (header, value);
          if (import->columns[f] < 0)
            {
              g_autofree char *list = cs_import_describe_columns (header);

              g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_MISSING_COLUMN,
                           _("The file has no column “%s”; its columns are: %s"),
                           (const char *) value, list);
              return FALSE;
            }
          used[import->columns[f]] = TRUE;
        }
    }

  /* A mapping saved by an earlier import of a file with these columns. */
  saved = cs_column_mapping_load (import->store, CS_TABLE_STATS, header, NULL);
  for (int f = 0; saved != NULL && f < N_FIELDS; f++)
    {
      const char *column = g_hash_table_lookup (saved, names[f]);
      int i = column != NULL ? cs_import_find_column (header, column) : -1;

      if (!fixed[f] && import->columns[f] < 0 && i >= 0 && !used[i])
        {
          import->columns[f] = i;
          fixed[f] = TRUE;
          used[i] = TRUE;
        }
    }

  rows = g_new0 (const char * const *, samples->len + 1);
  for (guint r = 0; r < samples->len; r++)
    rows[r] = (const char * const *) ((Row *) g_ptr_array_index (samples, r))->fields;
  guesses = cs_column_guess (CS_TABLE_STATS, header, rows, samples->len);
  for (int f = 0; f < N_FIELDS; f++)
    {
      CsColumnGuess *guess = g_ptr_array_index (guesses, f);

      if (!fixed[f] && import->columns[f] < 0 && guess->column >= 0 && !used[guess->column] &&
          guess->confidence >= CS_COLUMN_GUESS_APPLY)
        {
          import->columns[f] = guess->column;
          used[guess->column] = TRUE;
        }
    }

  if (import->columns[F_CLIP] < 0 && import->columns[F_TITLE] < 0)
    {
      g_autofree char *list = cs_import_describe_columns (header);

      g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_MISSING_COLUMN,
                   _("No column names the clips: a clip-stats table needs a clip id or a "
                     "title column. The file’s columns are: %s. Name one of them id or "
                     "title, or map it by hand (clipscope-cli: --map clip=COLUMN)"),
                   list);
      return FALSE;
    }
  return TRUE;
}

static GHashTable *
mapping_table (Import *import)
{
  const char * const *names = field_names ();
  GHashTable *mapping = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (int f = 0; f < N_FIELDS; f++)
    if (import->columns[f] >= 0)
      g_hash_table_insert (mapping, g_strdup (names[f]),
                           g_strstrip (g_strdup (column_name (import, f))));
  return mapping;
}

static gboolean
reject_row (Import      *import,
            const Row   *row,
            char        *reason,  /* (transfer full) */
            GError     **error)
{
  return cs_import_reject_row (import->store, import->insert_reject, import->report, row->line,
                               row->raw, row->raw_len, reason, &import->first_problem, error);
}

/* The row's value of @field, trimmed (a copy), or NULL when the field has
 * no column or the cell is empty. */
static char *
cell (Import    *import,
      const Row *row,
      Field      field)
{
  int column = import->columns[field];
  char *value;

  if (column < 0 || (guint) column >= row->n_fields)
    return NULL;
  value = g_strstrip (g_strdup (row->fields[column]));
  if (value[0] == '\0')
    g_clear_pointer (&value, g_free);
  return value;
}

/* The row's values, parsed. */
typedef struct
{
  char     *text[N_FIELDS];   /* trimmed cells */
  gboolean  has[N_FIELDS];    /* parsed to a value */
  double    number[N_FIELDS];
  gint64    time;             /* post_time */
  char     *day;              /* YYYY-MM-DD */
} Values;

static void
values_clear (Values *values)
{
  for (int f = 0; f < N_FIELDS; f++)
    g_clear_pointer (&values->text[f], g_free);
  g_clear_pointer (&values->day, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Values, values_clear)

/* Parses the cells; NULL, or the reason the row is rejected. */
static char *
parse_values (Import    *import,
              const Row *row,
              Values    *values)
{
  for (int f = 0; f < N_FIELDS; f++)
    {
      g_autofree char *reason = NULL;
      CsValueResult result = CS_VALUE_MISSING;
      const char *text;

      values->text[f] = cell (import, row, f);
      text = values->text[f];
      if (text == NULL)
        continue;

      switch ((Field) f)
        {
        case F_VIEWS:
        case F_LIKES:
        case F_COMMENTS:
        case F_SHARES:
        case F_SAVES:
        case F_FOLLOWERS:
          result = cs_value_parse_number (text, 0, &values->number[f], NULL, &reason);
          /* Followers gained may be negative (lost); counts may not. */
          if (result == CS_VALUE_OK && values->number[f] < 0 && f != F_FOLLOWERS)
            {
              g_autofree char *quoted = cs_value_quote (text);

              return g_strdup_printf (_("column “%s”: “%s” is a negative count"),
                                      column_name (import, f), quoted);
            }
          break;
        case F_COMPLETION:
          result = cs_value_parse_number (text, CS_NUMBER_AS_RATE, &values->number[f], NULL,
                                          &reason);
          break;
        case F_AVG_WATCH:
        case F_DURATION:
          result = cs_value_parse_duration (text, &values->number[f], &reason);
          break;
        case F_POST_TIME:
          result = cs_value_parse_time (text, &import->time, &values->time, &reason);
          break;
        case F_DAY:
          {
            gint64 seconds;

            result = cs_value_parse_time (text, &import->time, &seconds, &reason);
            if (result == CS_VALUE_OK)
              {
                g_autoptr(GTimeZone) local = NULL;
                g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (seconds);
                g_autoptr(GDateTime) there = NULL;
                GTimeZone *zone = import->time.zone;

                if (zone == NULL)
                  zone = local = g_time_zone_new_local ();
                there = g_date_time_to_timezone (utc, zone);
                values->day = g_date_time_format (there, "%Y-%m-%d");
              }
          }
          break;
        case F_CLIP:
        case F_TITLE:
        case F_CAPTION:
        case F_HASHTAGS:
        case N_FIELDS:
        default:
          continue;
        }

      if (result == CS_VALUE_INVALID)
        return g_strdup_printf (_("column “%s”: %s"), column_name (import, f), reason);
      values->has[f] = result == CS_VALUE_OK;
    }
  return NULL;
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

/* The clip the row speaks of, created when no clip matches. */
static gboolean
link_clip (Import        *import,
           const char    *reference,
           const char    *title,
           gint64        *clip_id,
           GError       **error)
{
  *clip_id = cs_clip_linker_lookup (import->linker, reference, NULL);
  if (*clip_id > 0)
    {
      /* Clips made by this import are not "linked". */
      if (!g_hash_table_contains (import->created, GSIZE_TO_POINTER ((gsize) *clip_id)))
        g_hash_table_add (import->linked, GSIZE_TO_POINTER ((gsize) *clip_id));
      return TRUE;
    }

  sqlite3_bind_text (import->insert_clip, 1, reference, -1, SQLITE_STATIC);
  bind_text_or_null (import->insert_clip, 2, title);
  sqlite3_bind_int64 (import->insert_clip, 3, import->report->import_id);
  if (!step_done (import, import->insert_clip, error))
    return FALSE;
  *clip_id = sqlite3_last_insert_rowid (import->db);
  cs_clip_linker_add (import->linker, *clip_id, reference, title, NULL);
  g_hash_table_add (import->created, GSIZE_TO_POINTER ((gsize) *clip_id));
  import->result->clips_created++;
  return TRUE;
}

static char *
row_hashtags (const Values *values)
{
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
  const Field sources[] = { F_HASHTAGS, F_TITLE, F_CAPTION };

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    if (values->text[sources[i]] != NULL)
      cs_stats_extract_hashtags (values->text[sources[i]], tags);
  /* A hashtags column may list bare words: "food travel". */
  if (tags->len == 0 && values->text[F_HASHTAGS] != NULL)
    {
      g_autoptr(GString) list = g_string_new (values->text[F_HASHTAGS]);
      g_auto(GStrv) words = NULL;

      /* The Chinese separators are several bytes: made spaces first, since
       * g_strsplit_set() splits on single bytes. */
      g_string_replace (list, "，", " ", 0);
      g_string_replace (list, "、", " ", 0);
      g_string_replace (list, "；", " ", 0);
      words = g_strsplit_set (list->str, " ,;\t", -1);
      for (guint i = 0; words[i] != NULL; i++)
        if (words[i][0] != '\0')
          add_tag (tags, words[i], strlen (words[i]));
    }
  if (tags->len == 0)
    return NULL;
  g_ptr_array_add (tags, NULL);
  return g_strjoinv (" ", (char **) tags->pdata);
}

static gboolean
import_row (Import     *import,
            const Row  *row,
            GError    **error)
{
  g_auto(Values) values = { { NULL, }, };
  g_autofree char *reason = NULL;
  g_autofree char *hashtags = NULL;
  const char *reference;
  gboolean any_stat = FALSE;
  gint64 clip_id;
  int i;

  if (row->problem != NULL)
    return reject_row (import, row, g_strdup (row->problem), error);

  if (row->n_fields != import->n_columns)
    {
      gboolean extra_empty = row->n_fields > import->n_columns;

      /* Some writers end every row with a delimiter. */
      for (guint c = import->n_columns; extra_empty && c < row->n_fields; c++)
        for (const char *p = row->fields[c]; *p != '\0' && extra_empty; p++)
          extra_empty = g_ascii_isspace (*p);
      if (!extra_empty)
        return reject_row (import, row,
                           g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                         "the row has %u value but the header has %u columns",
                                                         "the row has %u values but the header has %u columns",
                                                         row->n_fields),
                                            row->n_fields, import->n_columns),
                           error);
    }

  reason = parse_values (import, row, &values);
  if (reason != NULL)
    return reject_row (import, row, g_steal_pointer (&reason), error);

  reference = values.text[F_CLIP] != NULL ? values.text[F_CLIP] : values.text[F_TITLE];
  if (reference == NULL)
    {
      Field field = import->columns[F_CLIP] >= 0 ? F_CLIP : F_TITLE;

      return reject_row (import, row,
                         g_strdup_printf (_("column “%s” is empty: each row needs the clip it "
                                            "is about"),
                                          column_name (import, field)),
                         error);
    }

  if (!link_clip (import, reference, values.text[F_TITLE], &clip_id, error))
    return FALSE;

  hashtags = row_hashtags (&values);
  sqlite3_bind_int64 (import->update_clip, 1, clip_id);
  bind_text_or_null (import->update_clip, 2, values.text[F_TITLE]);
  bind_text_or_null (import->update_clip, 3, values.text[F_CAPTION]);
  bind_text_or_null (import->update_clip, 4, hashtags);
  if (values.has[F_POST_TIME])
    sqlite3_bind_int64 (import->update_clip, 5, values.time);
  else
    sqlite3_bind_null (import->update_clip, 5);
  if (values.has[F_DURATION])
    sqlite3_bind_int64 (import->update_clip, 6,
                        (gint64) llround (values.number[F_DURATION] * 1000));
  else
    sqlite3_bind_null (import->update_clip, 6);
  if (!step_done (import, import->update_clip, error))
    return FALSE;

  for (guint s = 0; s < G_N_ELEMENTS (stat_fields); s++)
    any_stat |= values.has[stat_fields[s]];

  /* A row with no figures (a table of titles) updates its clip only. */
  if (any_stat)
    {
      sqlite3_bind_int64 (import->delete_stats, 1, clip_id);
      bind_text_or_null (import->delete_stats, 2, values.day);
      if (!step_done (import, import->delete_stats, error))
        return FALSE;
      import->result->stats_replaced += sqlite3_changes (import->db);

      sqlite3_bind_int64 (import->insert_stats, 1, import->report->import_id);
      sqlite3_bind_int64 (import->insert_stats, 2, clip_id);
      bind_text_or_null (import->insert_stats, 3, values.day);
      i = 4;
      for (guint s = 0; s < G_N_ELEMENTS (stat_fields); s++, i++)
        if (values.has[stat_fields[s]])
          sqlite3_bind_double (import->insert_stats, i, values.number[stat_fields[s]]);
        else
          sqlite3_bind_null (import->insert_stats, i);
      if (!step_done (import, import->insert_stats, error))
        return FALSE;
    }

  import->report->rows_imported++;
  return TRUE;
}

static gboolean
prepare_statements (Import  *import,
                    GError **error)
{
  struct { sqlite3_stmt **stmt; const char *sql; } statements[] = {
    /* import_id: the import that created the clip, so a rollback removes it. */
    { &import->insert_clip, "INSERT INTO clips (external_id, title, import_id) VALUES (?1, ?2, ?3)" },
    { &import->update_clip,
      "UPDATE clips SET title = coalesce (?2, title), caption = coalesce (?3, caption), "
      "hashtags = coalesce (?4, hashtags), posted_at = coalesce (?5, posted_at), "
      "duration_ms = coalesce (?6, duration_ms) WHERE id = ?1" },
    { &import->delete_stats, "DELETE FROM clip_stats WHERE clip_id = ?1 AND day IS ?2" },
    { &import->insert_stats,
      "INSERT INTO clip_stats (import_id, clip_id, day, views, likes, comments, shares, saves, "
      "avg_watch_s, completion_rate, followers) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)" },
    { &import->insert_reject,
      "INSERT INTO import_rejects (import_id, line, reason, raw) VALUES (?1, ?2, ?3, ?4)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      *statements[i].stmt = cs_store_prepare (import->store, statements[i].sql, error);
      if (*statements[i].stmt == NULL)
        return FALSE;
    }
  return TRUE;
}

/* Inside the transaction: the imports row, and the statements rows need. */
static gboolean
begin_import (Import      *import,
              const char  *path,
              GError     **error)
{
  g_autofree char *mapping = cs_import_mapping_to_json (import->report->mapping, field_names ());

  if (!cs_import_record_begin (import->store, "stats", path, mapping, import->report, error))
    return FALSE;

  /* Read now, inside the transaction, so that no clip is missed. */
  import->linker = cs_clip_linker_new (import->store, error);
  if (import->linker == NULL)
    return FALSE;
  return prepare_statements (import, error);
}

static gboolean
finish_import (Import      *import,
               GError     **error)
{
  CsImportReport *report = import->report;

  if (!cs_import_record_counts (import->store, report, error))
    return FALSE;

  /* Offered again for the next file with the same columns. */
  if (!cs_column_mapping_save (import->store, CS_TABLE_STATS,
                               (const char * const *) import->header, report->mapping, error))
    return FALSE;

  return cs_store_commit (import->store, error);
}

static void
report_progress (RowSource      *source,
                 CsImportReport *report,
                 CsProgressFunc  progress,
                 gpointer        progress_data)
{
  g_autofree char *message = cs_import_progress_message (report->rows_read);

  progress (source_fraction (source), message, progress_data);
}

static void
propagate_read_error (GError  *local_error,  /* (transfer full) */
                      GError **error)
{
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (local_error);
      cs_import_set_cancelled (error);
    }
  else
    g_propagate_error (error, local_error);
}

static void
row_free (Row *row)
{
  row_clear (row);
  g_free (row);
}

/* Imports @row and reports progress / checks for a cancel now and then. */
static gboolean
process_row (Import          *import,
             RowSource       *source,
             const Row       *row,
             CsProgressFunc   progress,
             gpointer         progress_data,
             GCancellable    *cancellable,
             gint64          *last_report,
             GError         **error)
{
  CsImportReport *report = import->report;

  report->rows_read++;
  if (!import_row (import, row, error))
    return FALSE;

  if (report->rows_read % CHECK_EVERY_ROWS == 0)
    {
      gint64 now = g_get_monotonic_time ();

      if (progress != NULL && (*last_report == 0 || now - *last_report >= PROGRESS_INTERVAL_US))
        {
          report_progress (source, report, progress, progress_data);
          *last_report = now;
        }
      if (g_cancellable_is_cancelled (cancellable))
        {
          cs_import_set_cancelled (error);
          return FALSE;
        }
    }
  return TRUE;
}

CsStatsImportReport *
cs_stats_import_run (CsStore                    *store,
                     const char                 *path,
                     const CsStatsImportOptions *options,
                     CsProgressFunc              progress,
                     gpointer                    progress_data,
                     GCancellable               *cancellable,
                     GError                    **error)
{
  g_autoptr(CsStatsImportReport) result = NULL;
  g_autoptr(GPtrArray) samples = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GTimeZone) project_zone = NULL;
  g_autofree char *name = NULL;
  RowSource source = { NULL, };
  Row header_row = { NULL, };
  Row row = { NULL, };
  Import import = { NULL, };
  gboolean in_transaction = FALSE;
  gboolean more = TRUE;
  gint64 last_report = 0;

  g_return_val_if_fail (CS_IS_STORE (store), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  name = g_filename_display_basename (path);
  if (!source_open (&source, path, options != NULL ? options->encoding : NULL, error))
    return NULL;
  if (progress != NULL)
    progress (0.0, _("Reading the file…"), progress_data);

  /* The header. */
  if (!source_next (&source, cancellable, &header_row, &local_error))
    {
      if (local_error == NULL)
        g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_EMPTY,
                     _("The file “%s” is empty"), name);
      else
        propagate_read_error (g_steal_pointer (&local_error), error);
      source_close (&source);
      return NULL;
    }
  if (header_row.problem != NULL)
    {
      g_set_error (error, CS_IMPORT_ERROR,
                   g_utf8_validate_len (header_row.raw, header_row.raw_len, NULL)
                     ? CS_IMPORT_ERROR_FORMAT : CS_IMPORT_ERROR_ENCODING,
                   _("The first line of “%s” cannot be read: %s"), name, header_row.problem);
      row_clear (&header_row);
      source_close (&source);
      return NULL;
    }

  result = g_new0 (CsStatsImportReport, 1);
  result->report = cs_import_report_new (cs_table_reader_get_encoding (source.reader));

  import.store = store;
  import.db = cs_store_get_db (store);
  import.result = result;
  import.report = result->report;
  if (options != NULL)
    import.time = options->time;
  if (import.time.zone == NULL)
    {
      g_autofree char *setting = cs_store_get_setting (store, CS_STATS_IMPORT_ZONE_SETTING);

      if (setting != NULL && (project_zone = g_time_zone_new_identifier (setting)) == NULL)
        {
          g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FAILED,
                       _("The project’s time zone “%s” is not one this system knows; "
                         "choose another in the project’s settings"),
                       setting);
          goto fail;
        }
      import.time.zone = project_zone;
    }
  import.header = g_steal_pointer (&header_row.fields);
  import.n_columns = header_row.n_fields;
  import.linked = g_hash_table_new (NULL, NULL);
  import.created = g_hash_table_new (NULL, NULL);
  row_clear (&header_row);

  /* The first rows, for the guess from values. */
  while (samples->len < CS_STATS_IMPORT_SAMPLE_ROWS &&
         (more = source_next (&source, cancellable, &row, &local_error)))
    {
      Row *copy = g_new0 (Row, 1);

      *copy = row;
      memset (&row, 0, sizeof row);
      g_ptr_array_add (samples, copy);
    }
  if (local_error != NULL)
    {
      propagate_read_error (g_steal_pointer (&local_error), error);
      goto fail;
    }

  /* Nothing is written before the columns are known. */
  if (!resolve_mapping (&import, options != NULL ? options->mapping : NULL, samples, error))
    goto fail;
  result->report->mapping = mapping_table (&import);

  if (!cs_store_begin (store, error))
    goto fail;
  in_transaction = TRUE;
  if (!begin_import (&import, path, error))
    goto fail;

  for (guint i = 0; i < samples->len; i++)
    if (!process_row (&import, &source, g_ptr_array_index (samples, i), progress, progress_data,
                      cancellable, &last_report, error))
      goto fail;
  while (more && source_next (&source, cancellable, &row, &local_error))
    if (!process_row (&import, &source, &row, progress, progress_data, cancellable,
                      &last_report, error))
      goto fail;
  if (local_error != NULL)
    {
      propagate_read_error (g_steal_pointer (&local_error), error);
      goto fail;
    }

  if (result->report->rows_read == 0)
    {
      g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_EMPTY,
                   _("The file “%s” has column names but no rows"), name);
      goto fail;
    }
  if (result->report->rows_imported == 0)
    {
      cs_import_set_nothing_read (error, result->report->rows_read, import.first_problem);
      goto fail;
    }
  /* A cancel after the last check still leaves the project as it was. */
  if (g_cancellable_is_cancelled (cancellable))
    {
      cs_import_set_cancelled (error);
      goto fail;
    }
  if (!finish_import (&import, error))
    goto fail;

  if (progress != NULL)
    report_progress (&source, result->report, progress, progress_data);

  result->clips_linked = g_hash_table_size (import.linked);
  result->unmatched = g_ptr_array_ref (cs_clip_linker_get_unmatched (import.linker));
  row_clear (&row);
  import_clear (&import);
  source_close (&source);
  return g_steal_pointer (&result);

fail:
  /* @error is set. */
  if (in_transaction)
    cs_store_rollback (store);
  row_clear (&header_row);
  row_clear (&row);
  import_clear (&import);
  source_close (&source);
  return NULL;
}

GHashTable *
cs_stats_mapping_parse (const char  *spec,
                        GError     **error)
{
  return cs_import_mapping_parse (spec, field_names (), _("a clip-stats table"),
                                  "views=播放量", error);
}

char *
cs_stats_import_report_to_json (CsStatsImportReport *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (result != NULL && result->report != NULL, NULL);

  json_builder_begin_object (builder);
  cs_import_report_add_json (result->report, field_names (), builder);
  json_builder_set_member_name (builder, "clips_created");
  json_builder_add_int_value (builder, result->clips_created);
  json_builder_set_member_name (builder, "clips_linked");
  json_builder_add_int_value (builder, result->clips_linked);
  json_builder_set_member_name (builder, "stats_replaced");
  json_builder_add_int_value (builder, result->stats_replaced);
  json_builder_set_member_name (builder, "unmatched");
  json_builder_begin_array (builder);
  for (guint i = 0; result->unmatched != NULL && i < result->unmatched->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (result->unmatched, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}
