/* cs-event-import.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <sys/random.h>

#include "cs-table-reader.h"
#include "cs-value-parse.h"
#include "cs-stats-import.h"
#include "cs-error.h"
#include "cs-event-import.h"
#include "cs-import-common.h"

/* Rejected rows keep their text for the user to look at, not whole files. */
/* Values quoted in a reject reason. */
#define REASON_VALUE_MAX_CHARS 40
/* The page cache while importing with the indexes: they stay in memory up to
 * this size. Without them, a smaller one, which also bounds each sort that
 * rebuilds them: peak memory stays under 300 MB for 5 M rows. */
#define IMPORT_CACHE_KIB 131072
#define SORT_CACHE_KIB 65536
/* Candidate duplicates are found by sorting the events table rather than
 * by a look each when there is one for every SORT_DUPLICATES_RATIO events
 * or more (see restore_indexes_removing_duplicates()). */
#define SORT_DUPLICATES_RATIO 16
/* Rows read before deciding whether to drop the events indexes. */
#define DECIDE_AFTER_ROWS 1000
/* The project's events go into the duplicate fingerprints when the file has
 * at least 1/RATIO as many rows, and there are at most MAX of them. */
#define FINGERPRINT_ALL_RATIO 10
#define FINGERPRINT_ALL_MAX_EVENTS 10000000
/* Rows between checks of the cancellable and progress reports. */
#define CHECK_EVERY_ROWS 1000
#define PROGRESS_INTERVAL_US (G_USEC_PER_SEC / 10)
/* Above this, a number in a time column is milliseconds (1e11 s is the year
 * 5138; 1e11 ms is March 1973). */
#define MS_THRESHOLD 1e11
/* 0001-01-01 and 9999-12-31T23:59:59, in Unix seconds. */
#define MIN_TIME (-62135596800.0)
#define MAX_TIME 253402300799.0

typedef enum
{
  FIELD_VIEWER,
  FIELD_CLIP,
  FIELD_TIME,
  FIELD_EVENT,
  FIELD_WATCH,
  FIELD_VALUE,
  FIELD_TEXT,
  N_FIELDS
} Field;

static const char * const field_names[N_FIELDS + 1] = {
  CS_EVENT_FIELD_VIEWER,
  CS_EVENT_FIELD_CLIP,
  CS_EVENT_FIELD_TIME,
  CS_EVENT_FIELD_EVENT,
  CS_EVENT_FIELD_WATCH,
  CS_EVENT_FIELD_VALUE,
  CS_EVENT_FIELD_TEXT,
  NULL
};

/* Normalised as by normalise_header(); the order is the preference. Keep the
 * table in cs-event-import.h in step. */
static const char * const viewer_synonyms[] = {
  "user_id", "userid", "uid", "user", "viewer", "viewer_id", "用户", "用户id", NULL
};
static const char * const clip_synonyms[] = {
  "item_id", "itemid", "video_id", "clip", "clip_id", "item", "video", "作品id", "视频id", NULL
};
static const char * const time_synonyms[] = {
  "timestamp", "time", "datetime", "date", "event_time", "时间", "观看时间", NULL
};
static const char * const event_synonyms[] = {
  "event", "action", "type", "behavior", "event_type", "行为", NULL
};
static const char * const watch_synonyms[] = {
  "watch_time", "play_time", "watch_seconds", "观看时长", "play_duration", NULL
};
static const char * const value_synonyms[] = {
  "rating", "score", "评分", NULL
};
static const char * const text_synonyms[] = {
  "comment", "text", "评论内容", NULL
};

static const char * const * const field_synonyms[N_FIELDS] = {
  viewer_synonyms,
  clip_synonyms,
  time_synonyms,
  event_synonyms,
  watch_synonyms,
  value_synonyms,
  text_synonyms,
};

static const struct
{
  const char  *name;  /* case-folded */
  CsEventKind  kind;
} event_names[] = {
  { "view", CS_EVENT_VIEW },
  { "play", CS_EVENT_VIEW },
  { "watch", CS_EVENT_VIEW },
  { "播放", CS_EVENT_VIEW },
  { "观看", CS_EVENT_VIEW },
  { "like", CS_EVENT_LIKE },
  { "点赞", CS_EVENT_LIKE },
  { "comment", CS_EVENT_COMMENT },
  { "评论", CS_EVENT_COMMENT },
  { "share", CS_EVENT_SHARE },
  { "forward", CS_EVENT_SHARE },
  { "转发", CS_EVENT_SHARE },
  { "分享", CS_EVENT_SHARE },
  { "follow", CS_EVENT_FOLLOW },
  { "关注", CS_EVENT_FOLLOW },
  { "save", CS_EVENT_SAVE },
  { "favorite", CS_EVENT_SAVE },
  { "favourite", CS_EVENT_SAVE },
  { "收藏", CS_EVENT_SAVE },
};

/* Report and rejects */

static void
cs_import_reject_free (CsImportReject *reject)
{
  g_free (reject->reason);
  g_free (reject->raw);
  g_free (reject);
}

void
cs_import_report_free (CsImportReport *report)
{
  if (report == NULL)
    return;

  g_free (report->encoding);
  g_clear_pointer (&report->mapping, g_hash_table_unref);
  g_clear_pointer (&report->rejects, g_ptr_array_unref);
  g_free (report);
}

const char * const *
cs_event_fields (void)
{
  return field_names;
}

static int
field_from_name (const char *name)
{
  for (int f = 0; f < N_FIELDS; f++)
    if (g_strcmp0 (name, field_names[f]) == 0)
      return f;
  return -1;
}

/* Header names */

/* "  User ID:token " → "user_id". */
static char *
normalise_header (const char *name)
{
  static const char * const recbole_types[] = { ":token", ":token_seq", ":float", ":float_seq" };
  g_autofree char *copy = g_strstrip (g_strdup (name));
  char *folded;

  for (guint i = 0; i < G_N_ELEMENTS (recbole_types); i++)
    if (g_str_has_suffix (copy, recbole_types[i]))
      {
        copy[strlen (copy) - strlen (recbole_types[i])] = '\0';
        g_strchomp (copy);
        break;
      }

  folded = g_utf8_casefold (copy, -1);
  g_strdelimit (folded, " -", '_');
  return folded;
}

static char *
normalised_signature (const char * const *header)
{
  g_autoptr(GString) signature = g_string_new (NULL);

  for (guint i = 0; header[i] != NULL; i++)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (header[i]));
      g_autofree char *folded = g_utf8_casefold (trimmed, -1);

      if (i > 0)
        g_string_append_c (signature, '\t');
      g_string_append (signature, folded);
    }
  return g_string_free (g_steal_pointer (&signature), FALSE);
}

/* Fills @columns for the fields still at -1 (and not in @fixed) from the
 * synonym table, never taking a column twice. */
static void
guess_columns (const char * const *header,
               const gboolean      fixed[N_FIELDS],
               int                 columns[N_FIELDS])
{
  guint n = g_strv_length ((char **) header);
  g_autofree gboolean *used = g_new0 (gboolean, n + 1);
  g_auto(GStrv) normalised = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    normalised[i] = normalise_header (header[i]);

  for (int f = 0; f < N_FIELDS; f++)
    if (columns[f] >= 0)
      used[columns[f]] = TRUE;

  for (int f = 0; f < N_FIELDS; f++)
    {
      if (fixed[f] || columns[f] >= 0)
        continue;

      for (guint s = 0; field_synonyms[f][s] != NULL && columns[f] < 0; s++)
        for (guint i = 0; i < n; i++)
          if (!used[i] && strcmp (normalised[i], field_synonyms[f][s]) == 0)
            {
              columns[f] = i;
              used[i] = TRUE;
              break;
            }
    }
}

static GHashTable *
mapping_table (const char * const *header,
               const int           columns[N_FIELDS])
{
  GHashTable *mapping = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (int f = 0; f < N_FIELDS; f++)
    if (columns[f] >= 0)
      g_hash_table_insert (mapping, g_strdup (field_names[f]),
                           g_strstrip (g_strdup (header[columns[f]])));
  return mapping;
}

GHashTable *
cs_event_mapping_guess (const char * const *header)
{
  gboolean fixed[N_FIELDS] = { FALSE, };
  int columns[N_FIELDS];

  g_return_val_if_fail (header != NULL, NULL);

  for (int f = 0; f < N_FIELDS; f++)
    columns[f] = -1;
  guess_columns (header, fixed, columns);
  return mapping_table (header, columns);
}

static gboolean
looks_like_number (const char *text)
{
  const char *p = text;
  gboolean digits = FALSE;

  while (g_ascii_isspace (*p))
    p++;
  if (*p == '-' || *p == '+')
    p++;
  for (; g_ascii_isdigit (*p) || *p == '.'; p++)
    digits |= g_ascii_isdigit (*p);
  while (g_ascii_isspace (*p))
    p++;
  return digits && *p == '\0';
}

gboolean
cs_event_header_is_data (const char * const *header)
{
  gboolean any = FALSE;

  g_return_val_if_fail (header != NULL, FALSE);

  for (guint i = 0; header[i] != NULL; i++)
    {
      if (header[i][0] != '\0' && !looks_like_number (header[i]))
        return FALSE;
      any |= header[i][0] != '\0';
    }
  return any;
}

GStrv
cs_event_positional_header (guint n_columns)
{
  GStrv header = g_new0 (char *, n_columns + 1);

  for (guint i = 0; i < n_columns; i++)
    header[i] = g_strdup_printf ("#%u", i + 1);
  return header;
}

static gboolean
resolve_mapping (const char * const  *header,
                 GHashTable          *overrides,
                 int                  columns[N_FIELDS],
                 GError             **error)
{
  gboolean fixed[N_FIELDS] = { FALSE, };
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(GString) how = g_string_new (NULL);
  g_autofree char *list = NULL;
  gboolean headerless = TRUE;
  guint n_missing = 0;

  for (int f = 0; f < N_FIELDS; f++)
    columns[f] = -1;

  if (overrides != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, overrides);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          int f = field_from_name (key);

          if (f < 0)
            {
              g_autofree char *fields = g_strjoinv (", ", (char **) field_names);

              g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FAILED,
                           _("There is no field “%s” in an event log; the fields are: %s"),
                           (const char *) key, fields);
              return FALSE;
            }

          fixed[f] = TRUE;
          if (value == NULL || *(const char *) value == '\0')
            continue;

          columns[f] = cs_import_find_column (header, value);
          if (columns[f] < 0)
            {
              list = cs_import_describe_columns (header);
              g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_MISSING_COLUMN,
                           _("The file has no column “%s”; its columns are: %s"),
                           (const char *) value, list);
              return FALSE;
            }
        }
    }

  guess_columns (header, fixed, columns);

  for (int f = FIELD_VIEWER; f <= FIELD_TIME; f++)
    if (columns[f] < 0)
      {
        if (missing->len > 0)
          {
            g_string_append (missing, ", ");
            g_string_append_c (how, ',');
          }
        g_string_append (missing, field_names[f]);
        n_missing++;
        /* TRANSLATORS: the text after = stands for a column name. */
        g_string_append_printf (how, _("%s=COLUMN"), field_names[f]);
      }
  if (missing->len == 0)
    return TRUE;

  /* A file without a header line has the columns #1, #2 … */
  headerless = header[0] != NULL && g_str_equal (header[0], "#1");
  list = cs_import_describe_columns (header);

  if (headerless)
    g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_MISSING_COLUMN,
                 _("The file has no line of column names: say which column holds what by its "
                   "position, for example --map viewer=#1,clip=#3,time=#11 (in the app, choose "
                   "the columns in the mapping step)"));
  else
    g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_MISSING_COLUMN,
                 g_dngettext (GETTEXT_PACKAGE,
                              "No column was found for %s; the file’s columns are: %s. "
                              "Give that column a name Clipscope knows (such as user_id, item_id "
                              "or timestamp), or map it by hand (clipscope-cli: --map %s)",
                              "No columns were found for %s; the file’s columns are: %s. "
                              "Give those columns names Clipscope knows (such as user_id, item_id "
                              "or timestamp), or map them by hand (clipscope-cli: --map %s)",
                              n_missing),
                 missing->str, list, how->str);
  return FALSE;
}

GHashTable *
cs_event_mapping_parse (const char  *spec,
                        GError     **error)
{
  g_return_val_if_fail (spec != NULL, NULL);

  return cs_import_mapping_parse (spec, field_names, _("an event log"), "viewer=user_id", error);
}

/* Values */

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* @text without surrounding white space: @text itself when it has none, else
 * a copy in @scratch. */
static const char *
trimmed (const char *text,
         GString    *scratch)
{
  gsize len = strlen (text);
  const char *start = text;

  if (len == 0 || (!is_space (text[0]) && !is_space (text[len - 1])))
    return text;

  while (is_space (*start))
    start++;
  len -= start - text;
  while (len > 0 && is_space (start[len - 1]))
    len--;
  g_string_truncate (scratch, 0);
  g_string_append_len (scratch, start, len);
  return scratch->str;
}

/* A plain decimal number: sign, digits, point, exponent; nothing else (no
 * hex, inf, nan, thousands separators). @text is trimmed. */
static gboolean
parse_decimal (const char *text,
               double     *out)
{
  const char *p = text;
  gboolean digits = FALSE;
  char *end = NULL;
  double value;

  if (*p == '+' || *p == '-')
    p++;
  for (; g_ascii_isdigit (*p); p++)
    digits = TRUE;
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++)
      digits = TRUE;
  if (!digits)
    return FALSE;
  if (*p == 'e' || *p == 'E')
    {
      p++;
      if (*p == '+' || *p == '-')
        p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  if (*p != '\0')
    return FALSE;

  value = g_ascii_strtod (text, &end);
  if (end != p || !isfinite (value))
    return FALSE;
  *out = value;
  return TRUE;
}

/* Reads exactly @n_digits digits (or between @min and @max when they differ). */
static gboolean
read_digits (const char **p,
             guint        min,
             guint        max,
             int         *out)
{
  guint n = 0;
  int value = 0;

  while (n < max && g_ascii_isdigit ((*p)[n]))
    {
      value = value * 10 + ((*p)[n] - '0');
      n++;
    }
  if (n < min)
    return FALSE;
  *p += n;
  *out = value;
  return TRUE;
}





/* Up to 15 ASCII digits and nothing else (so no overflow, and exact as a
 * double too): the common case of a time or a count. */
static gboolean
parse_plain_integer (const char *text,
                     gint64     *out)
{
  gint64 value = 0;
  guint n;

  for (n = 0; g_ascii_isdigit (text[n]); n++)
    {
      if (n == 15)
        return FALSE;
      value = value * 10 + (text[n] - '0');
    }
  if (n == 0 || text[n] != '\0')
    return FALSE;
  *out = value;
  return TRUE;
}

/* Plain integers are Unix seconds or milliseconds, except those with the
 * digit count of a compact date (8, 12 or 14: "20200531", "202005312354"),
 * which cs-value-parse reads as dates when they make one. Seconds and
 * milliseconds take the fast path: most logs hold nothing else. */
static gboolean
parse_time_with (const char          *text,
                 const CsTimeContext *context,
                 gint64              *unix_seconds)
{
  g_autoptr(GString) scratch = NULL;
  double value;
  gint64 plain;
  gint64 seconds;
  gsize len;

  if (is_space (text[0]) || (text[0] != '\0' && is_space (text[strlen (text) - 1])))
    {
      scratch = g_string_new (NULL);
      text = trimmed (text, scratch);
    }

  len = strlen (text);
  if (len != 8 && len != 12 && len != 14 && parse_plain_integer (text, &plain))
    {
      if (plain > MS_THRESHOLD)
        plain /= 1000;  /* milliseconds, floored as below */
      if (plain > MAX_TIME)
        return FALSE;
      if (unix_seconds != NULL)
        *unix_seconds = plain;
      return TRUE;
    }

  if (len != 8 && len != 12 && len != 14 && parse_decimal (text, &value))
    {
      if (fabs (value) > MS_THRESHOLD)
        value /= 1000.0;
      if (value < MIN_TIME || value > MAX_TIME)
        return FALSE;
      if (unix_seconds != NULL)
        *unix_seconds = (gint64) floor (value);
      return TRUE;
    }

  if (cs_value_parse_time (text, context, &seconds, NULL) != CS_VALUE_OK)
    return FALSE;
  if (unix_seconds != NULL)
    *unix_seconds = seconds;
  return TRUE;
}

gboolean
cs_import_parse_time (const char *text,
                      gint64     *unix_seconds)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  CsTimeContext context = { .zone = utc, .default_year = 0 };

  g_return_val_if_fail (text != NULL, FALSE);

  return parse_time_with (text, &context, unix_seconds);
}

/* Seconds as a number, or M:SS / H:MM:SS. */
static gboolean
parse_seconds (const char *text,
               double     *out)
{
  const char *p = text;
  int parts[3];
  guint n = 0;
  double value;
  gint64 whole = 0;
  guint n_digits = 0;

  /* "12" or "12.345": the common case, without strtod. */
  for (; g_ascii_isdigit (*p) && n_digits < 15; p++, n_digits++)
    whole = whole * 10 + (*p - '0');
  if (n_digits > 0 && (*p == '\0' || *p == '.'))
    {
      gint64 fraction = 0, scale = 1;

      if (*p == '.')
        for (p++; g_ascii_isdigit (*p) && scale < 1000000; p++)
          {
            fraction = fraction * 10 + (*p - '0');
            scale *= 10;
          }
      if (*p == '\0')
        {
          *out = whole + (double) fraction / scale;
          return TRUE;
        }
    }
  p = text;

  if (parse_decimal (text, &value))
    {
      if (value < 0)
        return FALSE;
      *out = value;
      return TRUE;
    }

  while (n < 3 && read_digits (&p, 1, 9, &parts[n]))
    {
      n++;
      if (*p != ':')
        break;
      p++;
    }
  if (*p != '\0' || n < 2 || parts[n - 1] > 59 || (n == 3 && parts[1] > 59))
    return FALSE;

  value = 0;
  for (guint i = 0; i < n; i++)
    value = value * 60 + parts[i];
  *out = value;
  return TRUE;
}

static gboolean
parse_event_kind (const char  *text,
                  CsEventKind *out)
{
  g_autofree char *folded = NULL;
  gboolean ascii = TRUE;

  for (const char *p = text; *p != '\0' && ascii; p++)
    ascii = (guchar) *p < 0x80;

  /* No allocation for the common ASCII names. */
  if (ascii)
    {
      for (guint i = 0; i < G_N_ELEMENTS (event_names); i++)
        if (g_ascii_strcasecmp (text, event_names[i].name) == 0)
          {
            *out = event_names[i].kind;
            return TRUE;
          }
      return FALSE;
    }

  folded = g_utf8_casefold (text, -1);
  for (guint i = 0; i < G_N_ELEMENTS (event_names); i++)
    if (strcmp (folded, event_names[i].name) == 0)
      {
        *out = event_names[i].kind;
        return TRUE;
      }
  return FALSE;
}

/* The value as quoted in a reason: cut short, on one line. */
static char *
quote_value (const char *value)
{
  g_autoptr(GString) quoted = g_string_new (NULL);
  guint n = 0;

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p), n++)
    {
      if (n == REASON_VALUE_MAX_CHARS)
        {
          g_string_append (quoted, "…");
          break;
        }
      if (*p == '\n' || *p == '\r' || *p == '\t')
        g_string_append_c (quoted, ' ');
      else
        g_string_append_len (quoted, p, g_utf8_next_char (p) - p);
    }
  return g_string_free (g_steal_pointer (&quoted), FALSE);
}

/* The import */

/* Where rows come from. The row loop reads its input only through these
 * calls, so that another reader with the same calls (JSON, spreadsheets,
 * other encodings) can take the CSV reader's place. */
typedef CsTableReader RowSource;

static inline gboolean
source_next (RowSource    *source,
             GCancellable *cancellable,
             GError      **error)
{
  return cs_table_reader_next (source, cancellable, error);
}

static inline const char * const *
source_fields (RowSource *source,
               guint     *n_fields)
{
  *n_fields = cs_table_reader_get_n_fields (source);
  return cs_table_reader_get_fields (source);
}

static inline gint64
source_line (RowSource *source)
{
  return cs_table_reader_get_line (source);
}

static inline const char *
source_raw (RowSource *source,
            gsize     *length)
{
  return cs_table_reader_get_raw (source, length);
}

static inline const char *
source_problem (RowSource *source)
{
  return cs_table_reader_get_problem (source);
}

/* One record as read. */
typedef struct
{
  const char * const *fields;
  guint               n_fields;
  gint64              line;
  const char         *raw;
  gsize               raw_len;
  const char         *problem;
} Record;

/* A set of 32-bit fingerprints of the rows imported so far, open addressing
 * with linear probing; 0 marks an empty slot. A fingerprint found again makes
 * the row a candidate duplicate, which SQLite then confirms or not: about one
 * row in 2^32 / n is checked for nothing. */
typedef struct
{
  guint32 *slots;
  gsize    mask;
  gsize    n;
} FingerprintSet;

static void
fingerprint_set_init (FingerprintSet *set)
{
  set->mask = (1 << 16) - 1;
  set->slots = g_new0 (guint32, set->mask + 1);
  set->n = 0;
}

static void
fingerprint_set_clear (FingerprintSet *set)
{
  g_clear_pointer (&set->slots, g_free);
}

static gboolean
fingerprint_set_insert (guint32 *slots,
                        gsize    mask,
                        guint32  fingerprint)
{
  gsize i = (fingerprint * (gsize) 0x9E3779B1u) & mask;

  while (slots[i] != 0)
    {
      if (slots[i] == fingerprint)
        return FALSE;
      i = (i + 1) & mask;
    }
  slots[i] = fingerprint;
  return TRUE;
}

/* Adds @fingerprint; TRUE when it was there already. */
static gboolean
fingerprint_set_add (FingerprintSet *set,
                     guint32         fingerprint)
{
  if (fingerprint == 0)
    fingerprint = 1;

  /* Kept at most 70 % full, so that probes stay short. */
  if ((set->n + 1) * 10 > (set->mask + 1) * 7)
    {
      gsize mask = set->mask * 2 + 1;
      guint32 *slots = g_new0 (guint32, mask + 1);

      for (gsize i = 0; i <= set->mask; i++)
        if (set->slots[i] != 0)
          fingerprint_set_insert (slots, mask, set->slots[i]);
      g_free (set->slots);
      set->slots = slots;
      set->mask = mask;
    }

  if (!fingerprint_set_insert (set->slots, set->mask, fingerprint))
    return TRUE;
  set->n++;
  return FALSE;
}

static guint64
mix64 (guint64 h,
       guint64 v)
{
  /* The splitmix64 finaliser over the running state. */
  h ^= v + 0x9E3779B97F4A7C15ull;
  h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ull;
  h = (h ^ (h >> 27)) * 0x94D049BB133111EBull;
  return h ^ (h >> 31);
}

/* An event as it is stored. */
typedef struct
{
  gint64       viewer_id;
  gint64       clip_id;
  gint64       time;
  CsEventKind  kind;
  gboolean     has_watch;
  gint64       watch_ms;
  gboolean     has_value;
  double       value;
  const char  *text;        /* NULL when none */
} EventRow;

static guint32
event_fingerprint (const EventRow *row)
{
  guint64 h = 0;
  guint64 bits;

  h = mix64 (h, (guint64) row->viewer_id);
  h = mix64 (h, (guint64) row->clip_id);
  h = mix64 (h, (guint64) row->time);
  h = mix64 (h, (guint64) row->kind);
  h = mix64 (h, row->has_watch ? (guint64) row->watch_ms : G_MAXUINT64);
  memcpy (&bits, &row->value, sizeof bits);
  h = mix64 (h, row->has_value ? bits : G_MAXUINT64 - 1);
  h = mix64 (h, row->text != NULL ? g_str_hash (row->text) : G_MAXUINT64 - 2);
  return (guint32) (h >> 32);
}

/* An events index dropped for the import, and how to make it again. */
typedef struct
{
  char *name;
  char *sql;
} DroppedIndex;

static void
dropped_index_free (DroppedIndex *index)
{
  g_free (index->name);
  g_free (index->sql);
  g_free (index);
}

typedef struct
{
  CsStore        *store;
  sqlite3        *db;
  gint64          import_id;
  CsImportReport *report;
  GCancellable   *cancellable;

  const char * const *header;   /* column names */
  guint           n_columns;
  int             columns[N_FIELDS];

  sqlite3_stmt   *insert_event;
  sqlite3_stmt   *insert_reject;
  sqlite3_stmt   *insert_viewer;
  sqlite3_stmt   *select_viewer;
  sqlite3_stmt   *insert_clip;
  sqlite3_stmt   *select_clip;
  sqlite3_stmt   *find_event;

  /* external_id as read → rowid, so that each id costs one lookup in
   * SQLite. The keys are the ids as read even when pseudonymised: this table
   * lives in memory only. */
  GHashTable     *viewers;
  GHashTable     *clips;

  /* Duplicates: the largest viewer id before the import (a row of a newer
   * viewer can only repeat a row of this import), the fingerprints of the
   * rows so far, and, while the indexes are dropped, the event ids to check
   * once they are back. */
  gint64          viewers_max_before;
  gint64          events_before;
  gboolean        all_fingerprints;   /* the set holds the project's events too */
  FingerprintSet  fingerprints;
  GArray         *deferred;       /* gint64 event ids */

  GPtrArray      *dropped;        /* DroppedIndex* */
  gint64          cache_size_before;
  gint64          temp_store_before;
  gboolean        settings_changed;

  gboolean        pseudonymise;
  guint8          key[32];

  char           *first_problem;
  GString        *scratch[N_FIELDS];
  /* How times without a zone are read: the project's time zone setting,
   * else UTC. */
  CsTimeContext   time_context;
  GTimeZone      *time_zone;
} Import;

static void
import_clear (Import *import)
{
  g_clear_pointer (&import->viewers, g_hash_table_unref);
  g_clear_pointer (&import->clips, g_hash_table_unref);
  g_clear_pointer (&import->first_problem, g_free);
  g_clear_pointer (&import->deferred, g_array_unref);
  g_clear_pointer (&import->dropped, g_ptr_array_unref);
  fingerprint_set_clear (&import->fingerprints);
  g_clear_pointer (&import->time_zone, g_time_zone_unref);
  for (int f = 0; f < N_FIELDS; f++)
    if (import->scratch[f] != NULL)
      g_string_free (import->scratch[f], TRUE);
  memset (import->key, 0, sizeof import->key);
}

static char *
mapping_json (const char * const *header,
              const int           columns[N_FIELDS])
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  for (int f = 0; f < N_FIELDS; f++)
    if (columns[f] >= 0)
      {
        g_autofree char *column = g_strstrip (g_strdup (header[columns[f]]));

        json_builder_set_member_name (builder, field_names[f]);
        json_builder_add_string_value (builder, column);
      }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static gboolean
set_store_error (Import  *import,
                 GError **error)
{
  /* A cancel interrupts SQLite through the progress handler. */
  if (g_cancellable_is_cancelled (import->cancellable))
    {
      cs_import_set_cancelled (error);
      return FALSE;
    }
  return cs_store_set_error (import->store, error, _("Could not save the imported events"));
}

static gboolean
step_done (Import      *import,
           sqlite3_stmt *stmt,
           GError     **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return set_store_error (import, error);
  return TRUE;
}

static gboolean
exec (Import      *import,
      const char  *sql,
      GError     **error)
{
  if (sqlite3_exec (import->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_store_error (import, error);
  return TRUE;
}

char *
cs_event_pseudonym (const guint8 *key,
                    gsize         key_len,
                    const char   *viewer_id)
{
  g_autoptr(GHmac) hmac = NULL;
  const char *digest;

  g_return_val_if_fail (key != NULL && viewer_id != NULL, NULL);

  hmac = g_hmac_new (G_CHECKSUM_SHA256, key, key_len);
  g_hmac_update (hmac, (const guchar *) viewer_id, -1);
  digest = g_hmac_get_string (hmac);
  return g_strdup_printf ("p%.16s", digest);
}

/* The rowid of a viewer or clip, created when new. @stored_id is what the
 * project keeps: @external_id, or its pseudonym. */
static gboolean
ensure_entity (Import        *import,
               GHashTable    *cache,
               sqlite3_stmt  *insert,
               sqlite3_stmt  *select,
               const char    *external_id,
               gint64        *id,
               GError       **error)
{
  g_autofree char *pseudonym = NULL;
  const char *stored_id = external_id;
  gpointer value;
  int rc;

  if (g_hash_table_lookup_extended (cache, external_id, NULL, &value))
    {
      *id = (gint64) GPOINTER_TO_SIZE (value);
      return TRUE;
    }

  if (import->pseudonymise && cache == import->viewers)
    stored_id = pseudonym = cs_event_pseudonym (import->key, sizeof import->key, external_id);

  sqlite3_bind_text (insert, 1, stored_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 2, import->import_id);
  if (!step_done (import, insert, error))
    return FALSE;

  if (sqlite3_changes (import->db) == 1)
    *id = sqlite3_last_insert_rowid (import->db);
  else
    {
      sqlite3_bind_text (select, 1, stored_id, -1, SQLITE_STATIC);
      rc = sqlite3_step (select);
      if (rc != SQLITE_ROW)
        {
          /* No row after an ignored insert cannot happen but in a damaged file. */
          sqlite3_reset (select);
          return set_store_error (import, error);
        }
      *id = sqlite3_column_int64 (select, 0);
      sqlite3_reset (select);
    }

  /* Row ids are small positive numbers; a pointer holds one. */
  g_assert (*id > 0 && (guint64) *id <= G_MAXSIZE);
  g_hash_table_insert (cache, g_strdup (external_id), GSIZE_TO_POINTER ((gsize) *id));
  return TRUE;
}

/* A rejected row's text when viewer ids are pseudonymised: the fields again
 * as CSV, the viewer's replaced by its pseudonym; empty when the record
 * cannot be split reliably. */
static char *
make_pseudonymised_raw (Import       *import,
                        const Record *record)
{
  g_autoptr(GString) text = NULL;
  int viewer_column = import->columns[FIELD_VIEWER];

  if (record->problem != NULL || record->n_fields != import->n_columns ||
      viewer_column < 0 || (guint) viewer_column >= record->n_fields)
    return g_strdup ("");

  text = g_string_new (NULL);
  for (guint i = 0; i < record->n_fields; i++)
    {
      g_autofree char *pseudonym = NULL;
      const char *field = record->fields[i];

      if (i > 0)
        g_string_append_c (text, ',');
      if ((int) i == viewer_column)
        {
          g_autoptr(GString) scratch = g_string_new (NULL);
          const char *id = trimmed (field, scratch);

          if (id[0] != '\0')
            field = pseudonym = cs_event_pseudonym (import->key, sizeof import->key, id);
        }
      if (strpbrk (field, ",\"\r\n") != NULL)
        {
          g_string_append_c (text, '"');
          for (const char *p = field; *p != '\0'; p++)
            {
              if (*p == '"')
                g_string_append_c (text, '"');
              g_string_append_c (text, *p);
            }
          g_string_append_c (text, '"');
        }
      else
        g_string_append (text, field);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
reject_row (Import        *import,
            const Record  *record,
            char          *reason,  /* (transfer full) */
            GError       **error)
{
  g_autofree char *pseudonymised = NULL;
  const char *raw = record->raw;
  gsize raw_len = record->raw_len;

  if (import->pseudonymise && import->report->rows_rejected < CS_IMPORT_MAX_STORED_REJECTS)
    {
      pseudonymised = make_pseudonymised_raw (import, record);
      raw = pseudonymised;
      raw_len = strlen (pseudonymised);
    }
  if (cs_import_reject_row (import->store, import->insert_reject, import->report, record->line,
                            raw, raw_len, reason, &import->first_problem, error))
    return TRUE;
  /* A cancel interrupts SQLite through the progress handler. */
  if (g_cancellable_is_cancelled (import->cancellable))
    {
      g_clear_error (error);
      cs_import_set_cancelled (error);
    }
  return FALSE;
}

static const char *
column_name (Import *import,
             Field   field)
{
  return import->header[import->columns[field]];
}

/* The value of @field in this row, trimmed; NULL when the field has no
 * column. */
static const char *
field_value (Import             *import,
             const char * const *fields,
             Field               field)
{
  if (import->columns[field] < 0)
    return NULL;
  if (import->scratch[field] == NULL)
    import->scratch[field] = g_string_new (NULL);
  return trimmed (fields[import->columns[field]], import->scratch[field]);
}

static void
bind_event (sqlite3_stmt   *stmt,
            int             first,
            const EventRow *row)
{
  sqlite3_bind_int64 (stmt, first, row->viewer_id);
  sqlite3_bind_int64 (stmt, first + 1, row->clip_id);
  sqlite3_bind_int64 (stmt, first + 2, row->time);
  sqlite3_bind_int (stmt, first + 3, row->kind);
  if (row->has_watch)
    sqlite3_bind_int64 (stmt, first + 4, row->watch_ms);
  else
    sqlite3_bind_null (stmt, first + 4);
  if (row->has_value)
    sqlite3_bind_double (stmt, first + 5, row->value);
  else
    sqlite3_bind_null (stmt, first + 5);
  if (row->text != NULL)
    sqlite3_bind_text (stmt, first + 6, row->text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, first + 6);
}

/* Whether the project holds @row already (while the indexes are there). */
static gboolean
event_exists (Import         *import,
              const EventRow *row,
              gboolean       *exists,
              GError        **error)
{
  int rc;

  bind_event (import->find_event, 1, row);
  rc = sqlite3_step (import->find_event);
  sqlite3_reset (import->find_event);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_store_error (import, error);
  *exists = rc == SQLITE_ROW;
  return TRUE;
}

/* Checks one row and stores it as an event, or as a reject, or counts it as
 * a duplicate. Any source of rows comes through here. */
static gboolean
import_row (Import        *import,
            const Record  *record,
            GError       **error)
{
  const char * const *fields = record->fields;
  guint n_fields = record->n_fields;
  const char *viewer, *clip, *time_text, *event, *watch, *value, *text;
  EventRow row = { 0, };
  double watch_s = -1;
  gboolean candidate;

  if (record->problem != NULL)
    return reject_row (import, record, g_strdup (record->problem), error);

  if (n_fields != import->n_columns)
    {
      gboolean extra_empty = n_fields > import->n_columns;

      /* Some writers end every row with a delimiter; empty extra fields are
       * harmless. */
      for (guint i = import->n_columns; extra_empty && i < n_fields; i++)
        extra_empty = trimmed (fields[i], import->scratch[FIELD_VIEWER])[0] == '\0';

      if (!extra_empty)
        {
          char *reason =
            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "the row has %u value but the header has %u columns",
                                          "the row has %u values but the header has %u columns",
                                          n_fields),
                             n_fields, import->n_columns);

          return reject_row (import, record, reason, error);
        }
    }

  viewer = field_value (import, fields, FIELD_VIEWER);
  clip = field_value (import, fields, FIELD_CLIP);
  time_text = field_value (import, fields, FIELD_TIME);
  event = field_value (import, fields, FIELD_EVENT);
  watch = field_value (import, fields, FIELD_WATCH);
  value = field_value (import, fields, FIELD_VALUE);
  text = field_value (import, fields, FIELD_TEXT);

  for (Field f = FIELD_VIEWER; f <= FIELD_EVENT; f++)
    {
      const char *required = f == FIELD_VIEWER ? viewer
                             : f == FIELD_CLIP ? clip
                             : f == FIELD_TIME ? time_text
                             : event;

      if (required != NULL && required[0] == '\0')
        return reject_row (import, record,
                           g_strdup_printf (_("column “%s” is empty"), column_name (import, f)),
                           error);
    }

  if (!parse_time_with (time_text, &import->time_context, &row.time))
    {
      g_autofree char *quoted = quote_value (time_text);

      return reject_row (import, record,
                         g_strdup_printf (_("column “%s”: “%s” is not a time"),
                                          column_name (import, FIELD_TIME), quoted),
                         error);
    }

  row.kind = CS_EVENT_VIEW;
  if (event != NULL && !parse_event_kind (event, &row.kind))
    {
      g_autofree char *quoted = quote_value (event);

      return reject_row (import, record,
                         g_strdup_printf (_("column “%s”: “%s” is not a known event "
                                            "(view, like, comment, share, follow, save)"),
                                          column_name (import, FIELD_EVENT), quoted),
                         error);
    }

  if (watch != NULL && watch[0] != '\0')
    {
      if (!parse_seconds (watch, &watch_s))
        {
          g_autofree char *quoted = quote_value (watch);

          return reject_row (import, record,
                             g_strdup_printf (_("column “%s”: “%s” is not a number of seconds"),
                                              column_name (import, FIELD_WATCH), quoted),
                             error);
        }
      row.has_watch = TRUE;
      row.watch_ms = (gint64) llround (watch_s * 1000.0);
    }

  if (value != NULL && value[0] != '\0')
    {
      if (!parse_decimal (value, &row.value))
        {
          g_autofree char *quoted = quote_value (value);

          return reject_row (import, record,
                             g_strdup_printf (_("column “%s”: “%s” is not a number"),
                                              column_name (import, FIELD_VALUE), quoted),
                             error);
        }
      row.has_value = TRUE;
    }

  if (text != NULL && text[0] != '\0')
    row.text = text;

  if (!ensure_entity (import, import->viewers, import->insert_viewer, import->select_viewer,
                      viewer, &row.viewer_id, error) ||
      !ensure_entity (import, import->clips, import->insert_clip, import->select_clip,
                      clip, &row.clip_id, error))
    return FALSE;

  /* A row can repeat an earlier row only when its fingerprint was seen, and
   * an event of the project only when its viewer was there before (or, once
   * the project's events are in the set too, when its fingerprint was seen):
   * only those rows cost a look in SQLite. */
  candidate = fingerprint_set_add (&import->fingerprints, event_fingerprint (&row));
  if (!import->all_fingerprints)
    candidate |= row.viewer_id <= import->viewers_max_before;
  if (candidate && import->dropped == NULL)
    {
      gboolean exists = FALSE;

      if (!event_exists (import, &row, &exists, error))
        return FALSE;
      if (exists)
        {
          import->report->rows_duplicate++;
          return TRUE;
        }
    }

  sqlite3_bind_int64 (import->insert_event, 1, import->import_id);
  bind_event (import->insert_event, 2, &row);
  if (!step_done (import, import->insert_event, error))
    return FALSE;

  if (candidate && import->dropped != NULL)
    {
      gint64 id = sqlite3_last_insert_rowid (import->db);

      g_array_append_val (import->deferred, id);
    }

  import->report->rows_imported++;
  return TRUE;
}

static gboolean
prepare_statements (Import  *import,
                    GError **error)
{
  struct { sqlite3_stmt **stmt; const char *sql; } statements[] = {
    { &import->insert_event,
      "INSERT INTO events (import_id, viewer_id, clip_id, time, kind, watch_ms, value, text) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)" },
    { &import->insert_reject,
      "INSERT INTO import_rejects (import_id, line, reason, raw) VALUES (?1, ?2, ?3, ?4)" },
    { &import->insert_viewer,
      "INSERT OR IGNORE INTO viewers (external_id, import_id) VALUES (?1, ?2)" },
    { &import->select_viewer, "SELECT id FROM viewers WHERE external_id = ?1" },
    { &import->insert_clip,
      "INSERT OR IGNORE INTO clips (external_id, import_id) VALUES (?1, ?2)" },
    { &import->select_clip, "SELECT id FROM clips WHERE external_id = ?1" },
    { &import->find_event,
      "SELECT 1 FROM events WHERE viewer_id = ?1 AND time = ?3 AND clip_id = ?2 "
      "AND kind = ?4 AND watch_ms IS ?5 AND value IS ?6 AND text IS ?7 LIMIT 1" },
  };

  /* Fetched once: cs_store_prepare() looks statements up by their text, which
   * is worth avoiding a few million times. */
  for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      *statements[i].stmt = cs_store_prepare (import->store, statements[i].sql, error);
      if (*statements[i].stmt == NULL)
        return FALSE;
    }
  return TRUE;
}

/* The project's pseudonymisation key, made when missing. */
static gboolean
load_key (Import  *import,
          GError **error)
{
  g_autofree char *hex = cs_store_get_setting (import->store, "pseudonym_key");

  if (hex == NULL || strlen (hex) != 2 * sizeof import->key)
    {
      g_autoptr(GString) made = g_string_new (NULL);

      if (getrandom (import->key, sizeof import->key, 0) != (gssize) sizeof import->key)
        {
          g_set_error_literal (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FAILED,
                               _("Could not make a key for pseudonyms: the system gave no "
                                 "random bytes"));
          return FALSE;
        }
      for (gsize i = 0; i < sizeof import->key; i++)
        g_string_append_printf (made, "%02x", import->key[i]);
      return cs_store_set_setting (import->store, "pseudonym_key", made->str, error);
    }

  for (gsize i = 0; i < sizeof import->key; i++)
    import->key[i] = g_ascii_xdigit_value (hex[2 * i]) * 16 + g_ascii_xdigit_value (hex[2 * i + 1]);
  return TRUE;
}

/* Adds the fingerprints of the project's events to the set: one pass over
 * the table instead of a look in the index for every row of a known viewer. */
static gboolean
add_project_fingerprints (Import  *import,
                          GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = cs_store_prepare (import->store,
                           "SELECT viewer_id, clip_id, time, kind, watch_ms, value, text "
                           "FROM events",
                           error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      EventRow row;

      row.viewer_id = sqlite3_column_int64 (stmt, 0);
      row.clip_id = sqlite3_column_int64 (stmt, 1);
      row.time = sqlite3_column_int64 (stmt, 2);
      row.kind = sqlite3_column_int (stmt, 3);
      row.has_watch = sqlite3_column_type (stmt, 4) != SQLITE_NULL;
      row.watch_ms = sqlite3_column_int64 (stmt, 4);
      row.has_value = sqlite3_column_type (stmt, 5) != SQLITE_NULL;
      row.value = sqlite3_column_double (stmt, 5);
      row.text = (const char *) sqlite3_column_text (stmt, 6);
      fingerprint_set_add (&import->fingerprints, event_fingerprint (&row));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_store_error (import, error);
  g_debug ("Event import: the project's events are in the duplicate fingerprints");
  import->all_fingerprints = TRUE;
  return TRUE;
}

/* When the file holds at least as many rows as the events table (estimated
 * from the first DECIDE_AFTER_ROWS rows' bytes), sorting the index entries
 * once at the end costs less than keeping three indexes up to date row by
 * row, which slows to disk speed once they outgrow the page cache. So it
 * does when the file repeats many of the project's events (estimated from
 * the duplicates among those rows: a file imported again), as many as
 * remove_duplicates_by_sorting() takes: each would cost a look in the index
 * in file order, which is as slow. Other files keep the indexes, and so
 * find their duplicates without inserting them. */
static gboolean
maybe_drop_indexes (Import   *import,
                    guint64   bytes_read,
                    guint64   file_bytes,
                    GError  **error)
{
  g_autofree char *cache_sql = NULL;
  double estimated_rows, estimated_duplicates;
  gboolean drop;
  sqlite3_stmt *stmt;
  int rc;

  if (bytes_read == 0 || file_bytes == 0)
    return TRUE;
  estimated_rows = (double) file_bytes * import->report->rows_read / bytes_read;
  estimated_duplicates = estimated_rows * import->report->rows_duplicate / import->report->rows_read;
  drop = estimated_rows >= import->events_before ||
         estimated_duplicates * SORT_DUPLICATES_RATIO >= import->events_before + estimated_rows;
  g_debug ("Event import: about %.0f rows (%.0f duplicates) into %" G_GINT64_FORMAT " events: "
           "%s the indexes", estimated_rows, estimated_duplicates, import->events_before,
           drop ? "dropping" : "keeping");

  /* Reading the project's events costs about what one look in the index
   * costs for a few of them: worth it for a file not much smaller. The set
   * takes 4-8 bytes an event (64 MiB for 10 million). */
  if (!import->all_fingerprints && estimated_rows * FINGERPRINT_ALL_RATIO >= import->events_before &&
      import->events_before <= FINGERPRINT_ALL_MAX_EVENTS &&
      !add_project_fingerprints (import, error))
    return FALSE;

  if (!drop)
    return TRUE;

  import->dropped = g_ptr_array_new_with_free_func ((GDestroyNotify) dropped_index_free);
  stmt = cs_store_prepare (import->store,
                           "SELECT name, sql FROM sqlite_schema WHERE type = 'index' "
                           "AND tbl_name = 'events' AND sql IS NOT NULL ORDER BY name",
                           error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DroppedIndex *index = g_new0 (DroppedIndex, 1);

      index->name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      index->sql = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      g_ptr_array_add (import->dropped, index);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_store_error (import, error);

  for (guint i = 0; i < import->dropped->len; i++)
    {
      DroppedIndex *index = g_ptr_array_index (import->dropped, i);
      g_autofree char *sql = g_strdup_printf ("DROP INDEX \"%s\"", index->name);

      if (!exec (import, sql, error))
        return FALSE;
    }

  /* Rows are only appended now, and the sorts that rebuild the indexes take
   * as much memory again as the page cache, spilling the rest to temporary
   * files (on disk, see import_settings()). */
  cache_sql = g_strdup_printf ("PRAGMA cache_size = -%d", SORT_CACHE_KIB);
  return exec (import, cache_sql, error);
}

/* Makes the dropped indexes again, viewer/time first: the duplicate checks
 * need it. */
static gboolean
restore_indexes (Import   *import,
                 gboolean  first_pass,
                 GError  **error)
{
  for (guint i = 0; i < import->dropped->len; i++)
    {
      DroppedIndex *index = g_ptr_array_index (import->dropped, i);
      gboolean viewer_time = strstr (index->sql, "viewer_id") != NULL;

      if (viewer_time == first_pass && !exec (import, index->sql, error))
        return FALSE;
    }
  return TRUE;
}

/* Runs @stmt once for each candidate's id as ?1; with @deletes, each row
 * it deleted is a duplicate rather than an imported row. */
static gboolean
step_each_candidate (Import        *import,
                     sqlite3_stmt  *stmt,
                     gboolean       deletes,
                     GError       **error)
{
  for (guint i = 0; i < import->deferred->len; i++)
    {
      sqlite3_bind_int64 (stmt, 1, g_array_index (import->deferred, gint64, i));
      if (!step_done (import, stmt, error))
        return FALSE;
      if (deletes && sqlite3_changes (import->db) > 0)
        {
          import->report->rows_duplicate++;
          import->report->rows_imported--;
        }
    }
  return TRUE;
}

/* The candidates (rows inserted while the indexes were away whose
 * fingerprint or viewer was seen before) that repeat an earlier event,
 * removed one by one: each a look in the viewer/time index and the rows it
 * points at, in file order. Right for a few candidates; for many, the looks
 * jump around a table larger than the page cache (about 100 µs a row). */
static gboolean
remove_duplicates_by_lookup (Import  *import,
                             GError **error)
{
  sqlite3_stmt *stmt;

  stmt = cs_store_prepare (import->store,
                           "DELETE FROM events WHERE id = ?1 AND EXISTS ("
                           " SELECT 1 FROM events o WHERE o.viewer_id = events.viewer_id"
                           " AND o.time = events.time AND o.clip_id = events.clip_id"
                           " AND o.kind = events.kind AND o.watch_ms IS events.watch_ms"
                           " AND o.value IS events.value AND o.text IS events.text"
                           " AND o.id < ?1)",
                           error);
  return stmt != NULL && step_each_candidate (import, stmt, TRUE, error);
}

/* The same rows found by sorting instead: the table's events numbered
 * within each group of equal fields (NULL equal to NULL, as IS compares) in
 * id order, and every candidate numbered after the first of its group
 * deleted, in id order. One sort of the table, sequential on disk, and no
 * index to update: this runs before any index is rebuilt. */
static gboolean
remove_duplicates_by_sorting (Import  *import,
                              GError **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  if (!exec (import, "CREATE TEMP TABLE cs_candidates (id INTEGER PRIMARY KEY)", error))
    return FALSE;
  stmt = cs_store_prepare (import->store, "INSERT INTO temp.cs_candidates (id) VALUES (?1)", error);
  if (stmt == NULL || !step_each_candidate (import, stmt, FALSE, error))
    return FALSE;
  ok = exec (import,
             "DELETE FROM events WHERE id IN ("
             " SELECT id FROM (SELECT id, row_number () OVER ("
             "   PARTITION BY viewer_id, time, clip_id, kind, watch_ms, value, text"
             "   ORDER BY id) AS n FROM events)"
             " WHERE n > 1 AND id IN temp.cs_candidates)",
             error);
  if (ok)
    {
      import->report->rows_duplicate += sqlite3_changes (import->db);
      import->report->rows_imported -= sqlite3_changes (import->db);
    }
  return exec (import, "DROP TABLE temp.cs_candidates", ok ? error : NULL) && ok;
}

/* Indexes back and the candidates that repeat an earlier event removed:
 * by sorting when they are many, else by looking each up in the
 * viewer/time index (made first, the others after the deletes). */
static gboolean
sorts_duplicates (Import *import)
{
  gint64 n_events = import->events_before + import->report->rows_imported;

  return import->deferred->len > 0 && (gint64) import->deferred->len * SORT_DUPLICATES_RATIO >= n_events;
}

static gboolean
restore_indexes_removing_duplicates (Import  *import,
                                     GError **error)
{
  g_debug ("Event import: %u candidate duplicates to check among %" G_GINT64_FORMAT " events",
           import->deferred->len, import->events_before + import->report->rows_imported);
  if (sorts_duplicates (import))
    return remove_duplicates_by_sorting (import, error) &&
           restore_indexes (import, TRUE, error) &&
           restore_indexes (import, FALSE, error);
  return restore_indexes (import, TRUE, error) &&
         (import->deferred->len == 0 || remove_duplicates_by_lookup (import, error)) &&
         restore_indexes (import, FALSE, error);
}

/* SQLite calls this every few thousand steps: a cancel stops long
 * statements (an index being sorted) too. */
static int
interrupt_on_cancel (void *data)
{
  return g_cancellable_is_cancelled (data);
}

/* Inside the transaction: the imports row, and the statements rows need. */
static gboolean
begin_import (Import      *import,
              const char  *path,
              GError     **error)
{
  g_autofree char *mapping = mapping_json (import->header, import->columns);
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);
  sqlite3_stmt *stmt;

  if (import->pseudonymise && !load_key (import, error))
    return FALSE;

  stmt = cs_store_prepare (import->store,
                           "INSERT INTO imports (kind, source, encoding, mapping, pseudonymised) "
                           "VALUES ('events', ?1, ?2, ?3, ?4)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, absolute, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, import->report->encoding, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, mapping, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, import->pseudonymise);
  if (!step_done (import, stmt, error))
    return FALSE;
  import->import_id = sqlite3_last_insert_rowid (import->db);
  import->report->import_id = import->import_id;

  import->viewers_max_before = cs_store_query_int (import->store,
                                                   "SELECT coalesce(max(id), 0) FROM viewers", 0);
  import->events_before = cs_store_query_int (import->store, "SELECT count(*) FROM events", 0);
  import->all_fingerprints = import->events_before == 0;

  return prepare_statements (import, error);
}

/* Indexes back, duplicates out, counts saved; the transaction stays open. */
static gboolean
finish_import (Import      *import,
               const char  *name,
               GError     **error)
{
  CsImportReport *report = import->report;
  g_autofree char *mapping = mapping_json (import->header, import->columns);
  g_autofree char *signature = normalised_signature (import->header);
  sqlite3_stmt *stmt;

  if (import->dropped != NULL && !restore_indexes_removing_duplicates (import, error))
    return FALSE;

  if (report->rows_imported == 0 && report->rows_duplicate == 0)
    {
      cs_import_set_nothing_read (error, report->rows_read, import->first_problem);
      return FALSE;
    }

  stmt = cs_store_prepare (import->store,
                           "UPDATE imports SET rows_read = ?2, rows_imported = ?3, "
                           "rows_rejected = ?4, rows_duplicate = ?5 WHERE id = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, import->import_id);
  sqlite3_bind_int64 (stmt, 2, report->rows_read);
  sqlite3_bind_int64 (stmt, 3, report->rows_imported);
  sqlite3_bind_int64 (stmt, 4, report->rows_rejected);
  sqlite3_bind_int64 (stmt, 5, report->rows_duplicate);
  if (!step_done (import, stmt, error))
    return FALSE;

  /* Offered again for the next file with the same columns. */
  stmt = cs_store_prepare (import->store,
                           "INSERT OR REPLACE INTO column_mappings "
                           "(kind, signature, mapping, updated_at) "
                           "VALUES ('events', ?1, ?2, strftime('%s','now'))",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, signature, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, mapping, -1, SQLITE_STATIC);
  return step_done (import, stmt, error);
}

static void
report_progress (CsTableReader  *reader,
                 CsImportReport *report,
                 CsProgressFunc  progress,
                 gpointer        progress_data)
{
  guint64 total = cs_table_reader_get_total_bytes (reader);
  double fraction = -1;
  g_autofree char *message = cs_import_progress_message (report->rows_read);

  if (total > 0)
    fraction = MIN (1.0, (double) cs_table_reader_get_bytes_read (reader) / (double) total);
  progress (fraction, message, progress_data);
}

/* Whether the file at @path is not the one whose @before was taken and
 * whose @bytes_read bytes were read to the end (0: not known, as for a
 * workbook, whose count is of uncompressed bytes): appended to, cut,
 * rewritten. */
static gboolean
file_changed (const char     *path,
              const GStatBuf *before,
              guint64         bytes_read)
{
  GStatBuf after;

  /* A pipe or a device has no size to compare. */
  if (!S_ISREG (before->st_mode))
    return FALSE;
  if (g_stat (path, &after) != 0)
    return TRUE;
  return after.st_size != before->st_size || (bytes_read > 0 && (guint64) after.st_size != bytes_read) ||
         after.st_ino != before->st_ino || after.st_mtim.tv_sec != before->st_mtim.tv_sec ||
         after.st_mtim.tv_nsec != before->st_mtim.tv_nsec;
}

/* The connection's settings for an import, outside the transaction (some
 * cannot change inside one); restore_settings() puts them back. */
static void
import_settings (Import *import)
{
  g_autofree char *sql = NULL;

  import->cache_size_before = cs_store_query_int (import->store, "PRAGMA cache_size", -2000);
  import->temp_store_before = cs_store_query_int (import->store, "PRAGMA temp_store", 0);
  sql = g_strdup_printf ("PRAGMA cache_size = -%d", IMPORT_CACHE_KIB);
  sqlite3_exec (import->db, sql, NULL, NULL, NULL);
  sqlite3_progress_handler (import->db, 10000, interrupt_on_cancel, import->cancellable);
  /* Every event refers to a viewer, a clip and an import this transaction
   * just found or made: checking that three times a row only costs time. */
  sqlite3_exec (import->db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
  /* Index sorts spill to temporary files: in memory they would hold a whole
   * index. (Neither setting can change inside a transaction.) */
  sqlite3_exec (import->db, "PRAGMA temp_store = FILE", NULL, NULL, NULL);
  import->settings_changed = TRUE;
}

static void
restore_settings (Import *import)
{
  g_autofree char *sql = NULL;

  if (!import->settings_changed)
    return;
  sqlite3_progress_handler (import->db, 0, NULL, NULL);
  sql = g_strdup_printf ("PRAGMA foreign_keys = ON; PRAGMA cache_size = %" G_GINT64_FORMAT "; "
                         "PRAGMA temp_store = %" G_GINT64_FORMAT,
                         import->cache_size_before, import->temp_store_before);
  sqlite3_exec (import->db, sql, NULL, NULL, NULL);
  import->settings_changed = FALSE;
}

CsImportReport *
cs_event_import_run (CsStore        *store,
                     const char     *path,
                     GHashTable     *mapping,
                     CsProgressFunc  progress,
                     gpointer        progress_data,
                     GCancellable   *cancellable,
                     GError        **error)
{
  return cs_event_import_run_full (store, path, mapping, NULL, progress, progress_data,
                                   cancellable, error);
}


CsImportReport *
cs_event_import_run_full (CsStore                    *store,
                          const char                 *path,
                          GHashTable                 *mapping,
                          const CsEventImportOptions *options,
                          CsProgressFunc              progress,
                          gpointer                    progress_data,
                          GCancellable               *cancellable,
                          GError                    **error)
{
  g_autoptr(CsImportReport) report = NULL;
  g_autoptr(CsTableReader) source = NULL;
  CsTableReaderOptions reader_options = { .encoding = options != NULL ? options->encoding : NULL };
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GCancellable) own_cancellable = NULL;
  g_auto(GStrv) header = NULL;
  g_auto(GStrv) first_row = NULL;
  g_autofree char *first_row_raw = NULL;
  gint64 first_row_line = 1;
  g_autofree char *name = NULL;
  Import import = { 0, };
  GStatBuf before;
  guint64 row_bytes = 0;
  gboolean in_transaction = FALSE;
  gint64 last_report = 0;
  gint64 n_records = 0;
  guint n_fields;

  g_return_val_if_fail (CS_IS_STORE (store), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  name = g_filename_display_basename (path);
  if (cancellable == NULL)
    cancellable = own_cancellable = g_cancellable_new ();

  /* Taken before opening, so that any change from here on is seen. */
  if (g_stat (path, &before) != 0)
    memset (&before, 0, sizeof before);

  source = cs_table_reader_new_for_path (path, &reader_options, error);
  if (source == NULL)
    return NULL;

  if (progress != NULL)
    progress (0.0, _("Reading the file…"), progress_data);

  /* The header. */
  if (!source_next (source, cancellable, &local_error))
    {
      if (local_error == NULL)
        g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_EMPTY,
                     _("The file “%s” is empty"), name);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        cs_import_set_cancelled (error);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (source_problem (source) != NULL)
    {
      gsize raw_len;
      const char *raw = source_raw (source, &raw_len);

      g_set_error (error, CS_IMPORT_ERROR,
                   g_utf8_validate_len (raw, raw_len, NULL) ? CS_IMPORT_ERROR_FORMAT
                                                            : CS_IMPORT_ERROR_ENCODING,
                   _("The first line of “%s” cannot be read: %s"),
                   name, source_problem (source));
      return NULL;
    }
  header = g_strdupv ((char **) source_fields (source, &n_fields));
  {
    gsize header_len;
    const char *header_raw = source_raw (source, &header_len);

    row_bytes = header_len + 1;
    /* No line of names: the columns are #1, #2 … and that line is a row. */
    if (cs_event_header_is_data ((const char * const *) header))
      {
        first_row = g_steal_pointer (&header);
        first_row_raw = g_strndup (header_raw, header_len);
        first_row_line = source_line (source);
        header = cs_event_positional_header (n_fields);
      }
  }

  report = g_new0 (CsImportReport, 1);
  report->encoding = g_strdup (cs_table_reader_get_encoding (source));
  report->rejects = g_ptr_array_new_with_free_func ((GDestroyNotify) cs_import_reject_free);
  report->pseudonymised = options != NULL && options->pseudonymise;

  import.store = store;
  import.db = cs_store_get_db (store);
  import.report = report;
  {
    /* The project's zone (the stats import's setting), else UTC. */
    g_autofree char *zone = cs_store_get_setting (store, CS_STATS_IMPORT_ZONE_SETTING);

    if (zone != NULL && zone[0] != '\0')
      import.time_zone = g_time_zone_new_identifier (zone);
    if (import.time_zone == NULL)
      import.time_zone = g_time_zone_new_utc ();
    import.time_context.zone = import.time_zone;
    import.time_context.default_year = options != NULL ? options->default_year : 0;
  }
  import.cancellable = cancellable;
  import.header = (const char * const *) header;
  import.n_columns = g_strv_length (header);
  import.viewers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  import.clips = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  import.scratch[FIELD_VIEWER] = g_string_new (NULL);
  import.deferred = g_array_new (FALSE, FALSE, sizeof (gint64));
  import.pseudonymise = report->pseudonymised;
  fingerprint_set_init (&import.fingerprints);

  /* Nothing is written before the columns are known. */
  if (!resolve_mapping (import.header, mapping, import.columns, error))
    goto fail;
  report->mapping = mapping_table (import.header, import.columns);

  import_settings (&import);

  if (!cs_store_begin (store, error))
    goto fail;
  in_transaction = TRUE;
  if (!begin_import (&import, path, error))
    goto fail;

  if (first_row != NULL)
    {
      Record record = { 0, };

      record.fields = (const char * const *) first_row;
      record.n_fields = g_strv_length (first_row);
      record.line = first_row_line;
      record.raw = first_row_raw;
      record.raw_len = strlen (first_row_raw);
      report->rows_read++;
      if (!import_row (&import, &record, error))
        goto fail;
    }

  while (source_next (source, cancellable, &local_error))
    {
      Record record;

      record.fields = source_fields (source, &record.n_fields);
      record.problem = source_problem (source);

      /* Blank lines (often at the end) are not rows. */
      if (record.n_fields == 1 && record.fields[0][0] == '\0' && record.problem == NULL)
        continue;

      report->rows_read++;
      record.line = source_line (source);
      record.raw = source_raw (source, &record.raw_len);
      if (!import_row (&import, &record, error))
        goto fail;
      /* The reader reads ahead by chunks: count the rows' own bytes. */
      row_bytes += record.raw_len + 1;
      if (report->rows_read == DECIDE_AFTER_ROWS &&
          !maybe_drop_indexes (&import, row_bytes, cs_table_reader_get_total_bytes (source),
                               error))
        goto fail;

      if (++n_records % CHECK_EVERY_ROWS == 0)
        {
          gint64 now = g_get_monotonic_time ();

          if (progress != NULL && (last_report == 0 || now - last_report >= PROGRESS_INTERVAL_US))
            {
              report_progress (source, report, progress, progress_data);
              last_report = now;
            }
          if (g_cancellable_is_cancelled (cancellable))
            {
              cs_import_set_cancelled (error);
              goto fail;
            }
        }
    }

  if (local_error != NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        cs_import_set_cancelled (error);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      goto fail;
    }

  if (file_changed (path, &before, cs_table_reader_get_format_id (source) == CS_TABLE_FORMAT_XLSX
                                      ? 0 : cs_table_reader_get_bytes_read (source)))
    {
      g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FAILED,
                   _("“%s” changed while it was being read (is it still being written?), "
                     "so nothing was imported; import it again once it is complete"),
                   name);
      goto fail;
    }

  if (report->rows_read == 0)
    {
      g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_EMPTY,
                   _("The file “%s” has column names but no rows"), name);
      goto fail;
    }

  if (progress != NULL && import.dropped != NULL)
    {
      /* All read; the fraction stays where it was. */
      guint64 total = cs_table_reader_get_total_bytes (source);

      progress (total > 0 ? 1.0 : -1.0,
                sorts_duplicates (&import) ? _("Finding repeated events and indexing…")
                                           : _("Indexing the events…"),
                progress_data);
    }
  if (!finish_import (&import, name, error))
    goto fail;

  /* A cancel after the last check still leaves the project as it was. */
  if (g_cancellable_is_cancelled (cancellable))
    {
      cs_import_set_cancelled (error);
      goto fail;
    }
  if (!cs_store_commit (store, error))
    {
      in_transaction = FALSE;
      goto fail;
    }

  if (progress != NULL)
    report_progress (source, report, progress, progress_data);

  restore_settings (&import);
  import_clear (&import);
  return g_steal_pointer (&report);

fail:
  /* @error is set. After a store error, the store keeps that error's
   * details across the rollback for the message. */
  if (in_transaction)
    cs_store_rollback (store);
  restore_settings (&import);
  import_clear (&import);
  return NULL;
}

/* Rollback */

gboolean
cs_event_import_rollback (CsStore       *store,
                          gint64         import_id,
                          GCancellable  *cancellable,
                          GError       **error)
{
  static const char * const steps[] = {
    "DELETE FROM events WHERE import_id = ?1",
    "DELETE FROM clip_stats WHERE import_id = ?1",
    "DELETE FROM import_rejects WHERE import_id = ?1",
    /* What the import created and nothing else uses. */
    "DELETE FROM viewers WHERE import_id = ?1 AND NOT EXISTS "
    "(SELECT 1 FROM events WHERE events.viewer_id = viewers.id)",
    "DELETE FROM clips WHERE import_id = ?1 AND path IS NULL AND NOT EXISTS "
    "(SELECT 1 FROM events WHERE events.clip_id = clips.id) AND NOT EXISTS "
    "(SELECT 1 FROM clip_stats WHERE clip_stats.clip_id = clips.id)",
    /* What stays is still used by later imports: it belongs to the first of
     * them now, so that undoing that one as well removes it. */
    "UPDATE viewers SET import_id = (SELECT min(import_id) FROM events "
    "WHERE events.viewer_id = viewers.id) WHERE import_id = ?1",
    "UPDATE clips SET import_id = (SELECT min(import_id) FROM events "
    "WHERE events.clip_id = clips.id) WHERE import_id = ?1",
    "DELETE FROM imports WHERE id = ?1",
  };
  sqlite3 *db;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CS_IS_STORE (store), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  db = cs_store_get_db (store);
  if (!cs_store_begin (store, error))
    return FALSE;

  stmt = cs_store_prepare (store, "SELECT kind FROM imports WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, import_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW || (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "events") != 0 &&
                           g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "stats") != 0))
    {
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        cs_store_set_error (store, error, _("Could not undo the import"));
      else
        g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND,
                     _("There is no event or stats import %" PRId64 " in this project; "
                       "use the number the import reported"),
                     import_id);
      goto fail;
    }
  sqlite3_reset (stmt);

  if (cancellable != NULL)
    sqlite3_progress_handler (db, 10000, interrupt_on_cancel, cancellable);
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      stmt = cs_store_prepare (store, steps[i], error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, import_id);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto fail;
      if (rc != SQLITE_DONE)
        {
          cs_store_set_error (store, error, _("Could not undo the import"));
          goto fail;
        }
    }
  sqlite3_progress_handler (db, 0, NULL, NULL);
  if (!cs_store_commit (store, error))
    return FALSE;
  return TRUE;

fail:
  sqlite3_progress_handler (db, 0, NULL, NULL);
  cs_store_rollback (store);
  return FALSE;
}

/* JSON */

char *
cs_import_report_to_json (CsImportReport *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (report != NULL, NULL);

  json_builder_begin_object (builder);
  cs_import_report_add_json (report, field_names, builder);
  json_builder_set_member_name (builder, "rows_duplicate");
  json_builder_add_int_value (builder, report->rows_duplicate);
  json_builder_set_member_name (builder, "pseudonymised");
  json_builder_add_boolean_value (builder, report->pseudonymised);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}
