/* cs-column-guess.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cs-column-guess.h"
#include "cs-error.h"
#include "cs-import-common.h"
#include "cs-value-parse.h"

#define CONFIDENCE_EXACT   0.95
#define CONFIDENCE_PARTIAL 0.7
#define CONFIDENCE_WEAK    0.2
/* A column whose sample values average this many characters is prose. */
#define LONG_TEXT_CHARS 20
/* Token ids (viewers, clips) are no longer than this. */
#define MAX_ID_CHARS 64

typedef enum
{
  VALUES_NONE,
  VALUES_TIME,
  VALUES_PERCENT,
  VALUES_HASHTAGS,
  VALUES_LONG_TEXT,
  VALUES_SHORT_TEXT,
  VALUES_ID,
  VALUES_DURATION,       /* "1:23", "12.5s": not plain numbers */
  VALUES_LARGEST_COUNT,  /* the unused count column with the largest mean */
} ValueShape;

typedef struct
{
  const char         *field;
  const char * const *synonyms;  /* normalised */
  ValueShape          shape;     /* what values alone can place here */
} FieldSpec;

/* Keep the table in cs-column-guess.h in step. */

#define S(...) (const char * const[]) { __VA_ARGS__, NULL }

static const FieldSpec event_fields[] = {
  { "viewer", S ("user_id", "userid", "uid", "user", "viewer", "viewer_id", "visitor_id",
                 "用户", "用户id", "观众", "粉丝id"), VALUES_ID },
  { "clip", S ("item_id", "itemid", "video_id", "clip", "clip_id", "item", "video", "photo_id",
               "aweme_id", "作品id", "视频id", "作品", "视频"), VALUES_ID },
  { "time", S ("timestamp", "time", "datetime", "date", "event_time", "时间", "观看时间",
               "日期"), VALUES_TIME },
  { "event", S ("event", "action", "type", "behavior", "behaviour", "event_type", "行为",
                "事件", "类型"), VALUES_NONE },
  { "watch_time", S ("watch_time", "play_time", "watch_seconds", "play_duration",
                     "watch_duration", "观看时长", "播放时长"), VALUES_DURATION },
  { "value", S ("rating", "score", "value", "评分", "分数"), VALUES_NONE },
  { "text", S ("comment", "text", "content", "评论内容", "评论", "内容"), VALUES_LONG_TEXT },
};

static const FieldSpec stats_fields[] = {
  { CS_STATS_FIELD_CLIP, S ("clip_id", "video_id", "item_id", "aweme_id", "photo_id", "id",
                            "clip", "video", "item", "作品id", "视频id", "url", "link", "链接"),
    VALUES_ID },
  { CS_STATS_FIELD_TITLE, S ("title", "name", "video_title", "标题", "作品名称", "作品标题",
                             "视频标题", "名称"), VALUES_SHORT_TEXT },
  { CS_STATS_FIELD_CAPTION, S ("caption", "content", "text", "description", "desc", "文案",
                               "内容", "描述", "作品描述", "正文", "简介"), VALUES_LONG_TEXT },
  { CS_STATS_FIELD_HASHTAGS, S ("hashtags", "hashtag", "tags", "tag", "topic", "topics", "话题",
                                "标签"), VALUES_HASHTAGS },
  { CS_STATS_FIELD_POST_TIME, S ("post_time", "pub_time", "publish_time", "posted_at",
                                 "created_at", "create_time", "upload_time", "time", "发布时间",
                                 "发表时间", "上传时间", "发布日期"), VALUES_TIME },
  { CS_STATS_FIELD_DAY, S ("day", "date", "stat_date", "日期", "统计日期"), VALUES_NONE },
  { CS_STATS_FIELD_VIEWS, S ("views", "view", "plays", "play", "play_count", "view_count",
                             "播放量", "播放数", "播放次数", "观看次数", "浏览量", "阅读量"),
    VALUES_LARGEST_COUNT },
  { CS_STATS_FIELD_LIKES, S ("likes", "like", "digg_count", "like_count", "点赞", "点赞数",
                             "点赞量", "赞"), VALUES_NONE },
  { CS_STATS_FIELD_COMMENTS, S ("comments", "comment", "comment_count", "reply", "replies",
                                "评论", "评论数", "评论量", "回复"), VALUES_NONE },
  { CS_STATS_FIELD_SHARES, S ("shares", "share", "forward", "forwards", "repost", "reposts",
                              "share_count", "分享", "分享数", "转发", "转发数", "转发量"),
    VALUES_NONE },
  { CS_STATS_FIELD_SAVES, S ("saves", "save", "favorite", "favourite", "collect", "collects",
                             "收藏", "收藏数", "收藏量"), VALUES_NONE },
  { CS_STATS_FIELD_AVG_WATCH, S ("avg_watch_time", "average_watch_time", "avg_play_time",
                                 "平均播放时长", "平均观看时长", "人均观看时长"), VALUES_NONE },
  { CS_STATS_FIELD_COMPLETION, S ("completion_rate", "finish_rate", "completion", "完播率",
                                  "完播"), VALUES_PERCENT },
  { CS_STATS_FIELD_FOLLOWERS, S ("followers", "followers_gained", "new_followers", "follows",
                                 "涨粉", "新增粉丝", "涨粉数", "粉丝增量"), VALUES_NONE },
  { CS_STATS_FIELD_DURATION, S ("duration", "length", "video_duration", "时长", "视频时长",
                                "作品时长"), VALUES_NONE },
};

#undef S

static const FieldSpec *
kind_fields (CsTableKind  kind,
             guint       *n)
{
  if (kind == CS_TABLE_EVENTS)
    {
      *n = G_N_ELEMENTS (event_fields);
      return event_fields;
    }
  *n = G_N_ELEMENTS (stats_fields);
  return stats_fields;
}

const char * const *
cs_table_kind_get_fields (CsTableKind kind)
{
  static const char *names[2][G_N_ELEMENTS (stats_fields) + 1];
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      for (guint i = 0; i < G_N_ELEMENTS (event_fields); i++)
        names[CS_TABLE_EVENTS][i] = event_fields[i].field;
      for (guint i = 0; i < G_N_ELEMENTS (stats_fields); i++)
        names[CS_TABLE_STATS][i] = stats_fields[i].field;
      g_once_init_leave (&initialised, 1);
    }
  return names[kind == CS_TABLE_EVENTS ? CS_TABLE_EVENTS : CS_TABLE_STATS];
}

const char *
cs_table_kind_to_string (CsTableKind kind)
{
  return kind == CS_TABLE_EVENTS ? "events" : "stats";
}

void
cs_column_guess_free (CsColumnGuess *guess)
{
  if (guess == NULL)
    return;
  g_free (guess->reason);
  g_free (guess);
}

static gboolean
is_cjk (gunichar c)
{
  return c >= 0x2E80 && c <= 0x9FFF;
}

char *
cs_column_normalise_header (const char *name)
{
  static const char * const recbole_types[] = { ":token_seq", ":token", ":float_seq", ":float" };
  g_autofree char *valid = g_utf8_make_valid (name, -1);
  g_autofree char *nfkc = g_utf8_normalize (valid, -1, G_NORMALIZE_NFKC);
  g_autofree char *folded = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  int depth = 0;

  g_strstrip (nfkc);
  for (guint i = 0; i < G_N_ELEMENTS (recbole_types); i++)
    if (g_str_has_suffix (nfkc, recbole_types[i]))
      {
        nfkc[strlen (nfkc) - strlen (recbole_types[i])] = '\0';
        break;
      }

  folded = g_utf8_casefold (nfkc, -1);
  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* NFKC made "（" "(" already. */
      if (c == '(' || c == '[' || c == 0x3010 /* 【 */)
        depth++;
      else if ((c == ')' || c == ']' || c == 0x3011) && depth > 0)
        depth--;
      else if (depth > 0)
        continue;
      else if (c == ' ' || c == '-' || c == '.' || c == '_' || c == '\t')
        {
          if (out->len > 0 && out->str[out->len - 1] != '_')
            g_string_append_c (out, '_');
        }
      else
        g_string_append_unichar (out, c);
    }
  while (out->len > 0 && out->str[out->len - 1] == '_')
    g_string_truncate (out, out->len - 1);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Whether @synonym names @normalised in part: its last '_' part, or (for a
 * Chinese synonym) anywhere in it. */
static gboolean
partial_match (const char *normalised,
               const char *synonym)
{
  const char *last = strrchr (normalised, '_');

  if (last != NULL && strcmp (last + 1, synonym) == 0)
    return TRUE;
  if (is_cjk (g_utf8_get_char (synonym)))
    return strstr (normalised, synonym) != NULL;
  return FALSE;
}

/* Sample values */

typedef struct
{
  guint  n;          /* non-missing values */
  guint  n_time;
  guint  n_percent;
  guint  n_hashtag;
  guint  n_number;
  guint  n_token;    /* short, no spaces, not a plain number */
  guint  n_count;    /* numbers >= 0, not percentages */
  guint  n_duration; /* durations that are not plain numbers */
  gboolean sequence; /* 0, 1, 2 … or 1, 2, 3 …: row numbers, not counts */
  double mean_count;
  guint  n_distinct;
  double mean_chars;
  const char *example;
} Shape;

static void
describe_values (const char * const * const *rows,
                 guint                       n_rows,
                 guint                       column,
                 Shape                      *shape)
{
  g_autoptr(GHashTable) distinct = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  CsTimeContext context = { utc, 2000 };
  double chars = 0, counts = 0, previous = -1;

  memset (shape, 0, sizeof *shape);
  shape->sequence = TRUE;
  for (guint r = 0; r < n_rows; r++)
    {
      const char *value = NULL;
      g_autofree char *trimmed = NULL;
      double number;
      glong length;

      for (guint c = 0; rows[r] != NULL && c <= column; c++)
        if (rows[r][c] == NULL)
          break;
        else if (c == column)
          value = rows[r][c];
      if (value == NULL || cs_value_is_missing (value))
        continue;

      trimmed = g_strstrip (g_strdup (value));
      shape->n++;
      if (shape->example == NULL)
        shape->example = value;
      g_hash_table_add (distinct, (gpointer) value);
      length = g_utf8_strlen (trimmed, -1);
      chars += length;

      if (cs_value_parse_number (trimmed, 0, &number, NULL, NULL) == CS_VALUE_OK)
        {
          shape->n_number++;
          if (g_str_has_suffix (trimmed, "%"))
            shape->n_percent++;
          else if (number >= 0)
            {
              shape->n_count++;
              counts += number;
            }
          shape->sequence &= previous < 0 ? number <= 1 : number == previous + 1;
          previous = number;
          continue;
        }
      if (cs_value_parse_duration (trimmed, NULL, NULL) == CS_VALUE_OK)
        shape->n_duration++;
      if (cs_value_parse_time (trimmed, &context, NULL, NULL) == CS_VALUE_OK)
        shape->n_time++;
      if (trimmed[0] == '#')
        shape->n_hashtag++;
      if (length <= MAX_ID_CHARS && strpbrk (trimmed, " \t") == NULL)
        shape->n_token++;
    }
  shape->n_distinct = g_hash_table_size (distinct);
  shape->mean_chars = shape->n > 0 ? chars / shape->n : 0;
  shape->mean_count = shape->n_count > 0 ? counts / shape->n_count : 0;
  shape->sequence &= shape->n_number == shape->n && shape->n > 1;
}

/* How well the values fit @wanted: 0 when they do not. */
static double
shape_fits (const Shape *shape,
            ValueShape   wanted)
{
  if (shape->n == 0)
    return 0;
  switch (wanted)
    {
    case VALUES_TIME:
      return shape->n_time == shape->n ? 0.6 : 0;
    case VALUES_PERCENT:
      return shape->n_percent == shape->n ? 0.5 : 0;
    case VALUES_HASHTAGS:
      return shape->n_hashtag == shape->n ? 0.6 : 0;
    case VALUES_LONG_TEXT:
      return shape->n_number == 0 && shape->n_time == 0 &&
             shape->mean_chars >= LONG_TEXT_CHARS ? 0.4 : 0;
    case VALUES_SHORT_TEXT:
      return shape->n_number == 0 && shape->n_time == 0 && shape->n_hashtag == 0 &&
             shape->n_token < shape->n && shape->mean_chars < LONG_TEXT_CHARS ? 0.3 : 0;
    case VALUES_ID:
      /* Ids are distinct in a stats table; in an event log they repeat, so
       * plain numbers are accepted there too (viewer 17, clip 3). */
      return shape->n_time == 0 && shape->n_hashtag == 0 && shape->n_percent == 0 &&
             shape->mean_chars <= MAX_ID_CHARS &&
             shape->n_token + shape->n_number == shape->n ? 0.3 : 0;
    case VALUES_DURATION:
      return shape->n_duration == shape->n ? 0.4 : 0;
    case VALUES_LARGEST_COUNT:
      /* Only a candidate here; the largest is chosen by the caller. */
      return shape->n_count == shape->n && !shape->sequence ? CONFIDENCE_WEAK : 0;
    case VALUES_NONE:
    default:
      return 0;
    }
}

static char *
describe_shape (ValueShape  shape,
                const char *column,
                const char *example)
{
  g_autofree char *quoted = cs_value_quote (example);

  switch (shape)
    {
    case VALUES_TIME:
      return g_strdup_printf (_("the values of column “%s” are times (“%s”)"), column, quoted);
    case VALUES_PERCENT:
      return g_strdup_printf (_("the values of column “%s” are percentages (“%s”)"),
                              column, quoted);
    case VALUES_HASHTAGS:
      return g_strdup_printf (_("the values of column “%s” are hashtags (“%s”)"),
                              column, quoted);
    case VALUES_LONG_TEXT:
      return g_strdup_printf (_("the values of column “%s” are long texts (“%s”)"),
                              column, quoted);
    case VALUES_SHORT_TEXT:
      return g_strdup_printf (_("the values of column “%s” are short texts (“%s”)"),
                              column, quoted);
    case VALUES_DURATION:
      return g_strdup_printf (_("the values of column “%s” are durations (“%s”)"),
                              column, quoted);
    case VALUES_LARGEST_COUNT:
      return g_strdup_printf (_("column “%s” has the largest counts (“%s”); views usually "
                                "are the largest"),
                              column, quoted);
    case VALUES_ID:
    case VALUES_NONE:
    default:
      return g_strdup_printf (_("the values of column “%s” look like ids (“%s”)"),
                              column, quoted);
    }
}

GPtrArray *
cs_column_guess (CsTableKind                  kind,
                 const char * const          *header,
                 const char * const * const  *rows,
                 guint                        n_rows)
{
  guint n_fields, n_columns;
  const FieldSpec *fields = kind_fields (kind, &n_fields);
  g_autoptr(GPtrArray) guesses = g_ptr_array_new_with_free_func ((GDestroyNotify) cs_column_guess_free);
  g_auto(GStrv) normalised = NULL;
  g_autofree gboolean *used = NULL;

  g_return_val_if_fail (header != NULL, NULL);

  n_columns = g_strv_length ((char **) header);
  normalised = g_new0 (char *, n_columns + 1);
  used = g_new0 (gboolean, n_columns + 1);
  for (guint i = 0; i < n_columns; i++)
    normalised[i] = cs_column_normalise_header (header[i]);

  for (guint f = 0; f < n_fields; f++)
    {
      CsColumnGuess *guess = g_new0 (CsColumnGuess, 1);

      guess->field = fields[f].field;
      guess->column = -1;
      g_ptr_array_add (guesses, guess);
    }

  /* Headers: whole names first for every field, then parts. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint f = 0; f < n_fields; f++)
      {
        CsColumnGuess *guess = g_ptr_array_index (guesses, f);

        for (guint s = 0; guess->column < 0 && fields[f].synonyms[s] != NULL; s++)
          for (guint i = 0; i < n_columns; i++)
            {
              const char *synonym = fields[f].synonyms[s];
              g_autofree char *column = NULL;

              if (used[i] || normalised[i][0] == '\0' ||
                  !(pass == 0 ? strcmp (normalised[i], synonym) == 0
                              : partial_match (normalised[i], synonym)))
                continue;

              column = g_strstrip (g_strdup (header[i]));
              guess->column = i;
              guess->confidence = pass == 0 ? CONFIDENCE_EXACT : CONFIDENCE_PARTIAL;
              guess->reason = pass == 0
                ? g_strdup_printf (_("the column name “%s” means %s"), column, guess->field)
                : g_strdup_printf (_("the column name “%s” contains “%s”, a name for %s"),
                                   column, synonym, guess->field);
              used[i] = TRUE;
              break;
            }
      }

  /* Values, for what the header left open. */
  if (rows != NULL && n_rows > 0)
    {
      g_autofree Shape *shapes = g_new0 (Shape, n_columns + 1);

      for (guint i = 0; i < n_columns; i++)
        describe_values (rows, n_rows, i, &shapes[i]);

      for (guint f = 0; f < n_fields; f++)
        {
          CsColumnGuess *guess = g_ptr_array_index (guesses, f);
          ValueShape wanted = fields[f].shape;

          if (guess->column >= 0 || wanted == VALUES_NONE)
            continue;
          for (guint i = 0; i < n_columns; i++)
            {
              double fit;
              g_autofree char *column = NULL;

              if (used[i])
                continue;
              fit = shape_fits (&shapes[i], wanted);
              /* Stats have one row per clip: ids there are distinct, and
               * a column of plain numbers is more likely a count. */
              if (wanted == VALUES_ID && kind == CS_TABLE_STATS &&
                  (shapes[i].n_distinct < shapes[i].n || shapes[i].n_number > 0))
                fit = 0;
              if (fit <= 0)
                continue;
              if (wanted == VALUES_LARGEST_COUNT)
                for (guint j = i + 1; j < n_columns; j++)
                  if (!used[j] && shape_fits (&shapes[j], wanted) > 0 &&
                      shapes[j].mean_count > shapes[i].mean_count)
                    i = j;

              column = g_strstrip (g_strdup (header[i]));
              guess->column = i;
              guess->confidence = fit;
              guess->reason = describe_shape (wanted, column, shapes[i].example);
              used[i] = TRUE;
              break;
            }
        }
    }

  return g_steal_pointer (&guesses);
}

GHashTable *
cs_column_guesses_to_mapping (GPtrArray          *guesses,
                              const char * const *header)
{
  GHashTable *mapping = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < guesses->len; i++)
    {
      CsColumnGuess *guess = g_ptr_array_index (guesses, i);

      if (guess->column >= 0)
        g_hash_table_insert (mapping, g_strdup (guess->field),
                             g_strstrip (g_strdup (header[guess->column])));
    }
  return mapping;
}

/* Saved mappings */

char *
cs_column_signature (const char * const *header)
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

gboolean
cs_column_mapping_save (CsStore             *store,
                        CsTableKind          kind,
                        const char * const  *header,
                        GHashTable          *mapping,
                        GError             **error)
{
  g_autofree char *json = NULL;
  g_autofree char *signature = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CS_IS_STORE (store), FALSE);
  g_return_val_if_fail (header != NULL && mapping != NULL, FALSE);

  /* In field order, so that equal mappings are equal text. */
  json = cs_import_mapping_to_json (mapping, cs_table_kind_get_fields (kind));
  signature = cs_column_signature (header);

  stmt = cs_store_prepare (store,
                           "INSERT OR REPLACE INTO column_mappings "
                           "(kind, signature, mapping, updated_at) "
                           "VALUES (?1, ?2, ?3, strftime('%s','now'))",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, cs_table_kind_to_string (kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, signature, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, json, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return cs_store_set_error (store, error, _("Could not save the column mapping"));
  return TRUE;
}

GHashTable *
cs_column_mapping_load (CsStore             *store,
                        CsTableKind          kind,
                        const char * const  *header,
                        GError             **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) mapping = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *json = NULL;
  const char * const *fields = cs_table_kind_get_fields (kind);
  sqlite3_stmt *stmt;
  JsonObject *object;
  int rc;

  g_return_val_if_fail (CS_IS_STORE (store), NULL);
  g_return_val_if_fail (header != NULL, NULL);

  signature = cs_column_signature (header);
  stmt = cs_store_prepare (store,
                           "SELECT mapping FROM column_mappings WHERE kind = ?1 AND signature = ?2",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, cs_table_kind_to_string (kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, signature, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    json = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      cs_store_set_error (store, error, _("Could not read the saved column mappings"));
      return NULL;
    }
  /* A damaged saved mapping is as good as none: the guess takes over. */
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;

  object = json_node_get_object (json_parser_get_root (parser));
  mapping = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint f = 0; fields[f] != NULL; f++)
    {
      const char *column;
      g_autofree char *wanted = NULL;
      char *found = NULL;

      if (!json_object_has_member (object, fields[f]))
        continue;
      column = json_object_get_string_member_with_default (object, fields[f], NULL);
      if (column == NULL)
        continue;
      /* The same name up to case, as the signature is. */
      wanted = g_utf8_casefold (column, -1);
      for (guint i = 0; header[i] != NULL && found == NULL; i++)
        {
          g_autofree char *trimmed = g_strstrip (g_strdup (header[i]));
          g_autofree char *folded = g_utf8_casefold (trimmed, -1);

          if (strcmp (folded, wanted) == 0)
            found = g_steal_pointer (&trimmed);
        }
      if (found != NULL)
        g_hash_table_insert (mapping, g_strdup (fields[f]), found);
    }
  if (g_hash_table_size (mapping) == 0)
    return NULL;
  return g_steal_pointer (&mapping);
}
