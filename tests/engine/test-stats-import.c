/* test-stats-import.c: clip-stats tables and linking rows to clips.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cs-clip-linker.h"
#include "cs-error.h"
#include "cs-stats-import.h"
#include "cs-store.h"

typedef struct
{
  char    *dir;
  CsStore *store;
  guint    n_files;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("clipscope-stats-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "test.clipscope", NULL);
  fixture->store = cs_store_open (path, CS_STORE_CREATE, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  GDir *dir;
  const char *name;

  g_assert_finalize_object (fixture->store);
  dir = g_dir_open (fixture->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_dir_close (dir);
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->dir);
}

static char *
write_file (Fixture    *fixture,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("stats-%u.csv", fixture->n_files++);
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static CsStatsImportReport *
import (Fixture    *fixture,
        const char *contents,
        int         year,
        GError    **error)
{
  g_autofree char *path = write_file (fixture, contents);
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (8 * 3600);
  CsStatsImportOptions options = { NULL, { zone, year } };

  return cs_stats_import_run (fixture->store, path, &options, NULL, NULL, NULL, error);
}

static gint64
query_int (Fixture    *fixture,
           const char *sql)
{
  return cs_store_query_int (fixture->store, sql, G_MININT64);
}

static char *
query_text (Fixture    *fixture,
            const char *sql)
{
  sqlite3_stmt *stmt = cs_store_prepare (fixture->store, sql, NULL);
  char *text = NULL;

  g_assert_nonnull (stmt);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return text;
}

static double
query_double (Fixture    *fixture,
              const char *sql)
{
  sqlite3_stmt *stmt = cs_store_prepare (fixture->store, sql, NULL);
  double value;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_double (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

static const char chinese_table[] =
  "作品ID,作品名称,发布时间,播放量,点赞,评论,转发,收藏,完播率,平均播放时长,涨粉,作品时长,标签\n"
  "v1,春节包饺子 #春节 #美食,2020年1月24日 20:00,1.4万,\"1,234\",56,7,8,35.2%,0:12,3,0:30,\n"
  "v2,雪景,5月31日 23:54,2.3亿,12K,-,N/A,0,0.5,12.5s,-2,1分5秒,雪景，冬天、北方\n"
  "v3,坏行,2020-05-31,12abc,1,1,1,1,1%,1,1,1,\n"
  "v4,负数,2020-05-31,-3,1,1,1,1,1%,1,1,1,\n";

static void
test_basic (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CsStatsImportReport) result = import (fixture, chinese_table, 2020, &error);
  CsImportReject *reject;
  g_autofree char *hashtags = NULL;
  g_autofree char *mapping_saved = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpint (result->report->rows_read, ==, 4);
  g_assert_cmpint (result->report->rows_imported, ==, 2);
  g_assert_cmpint (result->report->rows_rejected, ==, 2);
  g_assert_cmpint (result->clips_created, ==, 2);
  g_assert_cmpint (result->clips_linked, ==, 0);
  g_assert_cmpint (result->stats_replaced, ==, 0);
  g_assert_cmpuint (result->unmatched->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (result->unmatched, 0), ==, "v1");

  /* The mapping came from the Chinese header. */
  g_assert_cmpstr (g_hash_table_lookup (result->report->mapping, "views"), ==, "播放量");
  g_assert_cmpstr (g_hash_table_lookup (result->report->mapping, "completion_rate"), ==, "完播率");
  g_assert_cmpstr (g_hash_table_lookup (result->report->mapping, "duration"), ==, "作品时长");

  reject = g_ptr_array_index (result->report->rejects, 0);
  g_assert_cmpint (reject->line, ==, 4);
  g_assert_cmpstr (reject->reason, ==, "column “播放量”: “12abc” is not a number");
  g_assert_true (g_str_has_prefix (reject->raw, "v3,坏行,"));
  reject = g_ptr_array_index (result->report->rejects, 1);
  g_assert_cmpstr (reject->reason, ==, "column “播放量”: “-3” is a negative count");
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM import_rejects"), ==, 2);

  /* v1: 1.4万 = 14000, "1,234", 35.2% = 0.352, 0:12 = 12 s, 0:30 = 30000 ms;
   * 2020-01-24 20:00 at UTC+8 = 1579867200 (date -u -d "2020-01-24 12:00" +%s). */
  g_assert_cmpfloat (query_double (fixture, "SELECT views FROM clip_stats JOIN clips c ON c.id = clip_id WHERE external_id = 'v1'"), ==, 14000);
  g_assert_cmpfloat (query_double (fixture, "SELECT likes FROM clip_stats JOIN clips c ON c.id = clip_id WHERE external_id = 'v1'"), ==, 1234);
  g_assert_cmpfloat_with_epsilon (query_double (fixture, "SELECT completion_rate FROM clip_stats JOIN clips c ON c.id = clip_id WHERE external_id = 'v1'"), 0.352, 1e-12);
  g_assert_cmpfloat (query_double (fixture, "SELECT avg_watch_s FROM clip_stats JOIN clips c ON c.id = clip_id WHERE external_id = 'v1'"), ==, 12);
  g_assert_cmpint (query_int (fixture, "SELECT duration_ms FROM clips WHERE external_id = 'v1'"), ==, 30000);
  g_assert_cmpint (query_int (fixture, "SELECT posted_at FROM clips WHERE external_id = 'v1'"), ==, 1579867200);
  hashtags = query_text (fixture, "SELECT hashtags FROM clips WHERE external_id = 'v1'");
  g_assert_cmpstr (hashtags, ==, "春节 美食");

  /* v2: 2.3亿, 12K, missing comments and shares, a fraction, lost followers;
   * 5月31日 23:54 of 2020 at UTC+8 = 1590940440. */
  g_assert_cmpfloat (query_double (fixture, "SELECT views FROM clip_stats JOIN clips c ON c.id = clip_id WHERE external_id = 'v2'"), ==, 230000000);
  g_assert_cmpfloat (query_double (fixture, "SELECT likes FROM clip_stats JOIN clips c ON c.id = clip_id WHERE external_id = 'v2'"), ==, 12000);
  g_assert_cmpint (query_int (fixture, "SELECT comments IS NULL AND shares IS NULL FROM clip_stats JOIN clips c ON c.id = clip_id WHERE external_id = 'v2'"), ==, 1);
  g_assert_cmpfloat (query_double (fixture, "SELECT completion_rate FROM clip_stats JOIN clips c ON c.id = clip_id WHERE external_id = 'v2'"), ==, 0.5);
  g_assert_cmpfloat (query_double (fixture, "SELECT followers FROM clip_stats JOIN clips c ON c.id = clip_id WHERE external_id = 'v2'"), ==, -2);
  g_assert_cmpint (query_int (fixture, "SELECT posted_at FROM clips WHERE external_id = 'v2'"), ==, 1590940440);
  g_assert_cmpint (query_int (fixture, "SELECT duration_ms FROM clips WHERE external_id = 'v2'"), ==, 65000);
  /* A tags column of bare words, with Chinese separators. */
  g_clear_pointer (&hashtags, g_free);
  hashtags = query_text (fixture, "SELECT hashtags FROM clips WHERE external_id = 'v2'");
  g_assert_cmpstr (hashtags, ==, "雪景 冬天 北方");
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM clip_stats WHERE day IS NOT NULL"), ==, 0);

  /* The import is recorded, and its mapping saved for next time. */
  g_assert_cmpint (query_int (fixture, "SELECT rows_imported FROM imports WHERE kind = 'stats'"), ==, 2);
  mapping_saved = query_text (fixture, "SELECT mapping FROM column_mappings WHERE kind = 'stats'");
  g_assert_nonnull (strstr (mapping_saved, "\"views\":\"播放量\""));
}

static void
test_reimport (Fixture       *fixture,
               gconstpointer  data)
{
  const char table[] =
    "video_id,title,views\n"
    "a,First,10\n"
    "b,Second,20\n"
    "a,First,15\n";  /* a later row for the same clip wins */
  g_autoptr(GError) error = NULL;
  g_autoptr(CsStatsImportReport) first = import (fixture, table, 0, &error);
  g_autoptr(CsStatsImportReport) second = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (first->report->rows_imported, ==, 3);
  g_assert_cmpint (first->clips_created, ==, 2);
  g_assert_cmpint (first->stats_replaced, ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM clip_stats"), ==, 2);
  g_assert_cmpfloat (query_double (fixture, "SELECT views FROM clip_stats JOIN clips c ON c.id = clip_id WHERE external_id = 'a'"), ==, 15);

  /* The same file again: the same stats, not twice as many; the clips are
   * found, not made again. */
  second = import (fixture, table, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (second->clips_created, ==, 0);
  g_assert_cmpint (second->clips_linked, ==, 2);
  g_assert_cmpint (second->stats_replaced, ==, 3);
  g_assert_cmpuint (second->unmatched->len, ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM clip_stats"), ==, 2);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM clips"), ==, 2);
  g_assert_cmpint (query_int (fixture, "SELECT sum(views) FROM clip_stats"), ==, 35);
}

/* Rolling a stats import back removes its figures and the clips it made;
 * a clip an event log also uses stays. */
static void
test_rollback (Fixture       *fixture,
               gconstpointer  data)
{
  const char table[] =
    "video_id,title,views\n"
    "a,First,10\n"
    "b,Second,20\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(CsStatsImportReport) report = import (fixture, table, 0, &error);

  g_assert_no_error (error);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM clips"), ==, 2);
  /* An event of another import on clip b. */
  g_assert_true (cs_store_exec (fixture->store,
                                "INSERT INTO viewers (external_id) VALUES ('v');"
                                "INSERT INTO events (viewer_id, clip_id, time, kind) "
                                "SELECT v.id, c.id, 1700000000, 1 FROM viewers v, clips c WHERE c.external_id = 'b';",
                                &error));
  g_assert_no_error (error);

  g_assert_true (cs_event_import_rollback (fixture->store, report->report->import_id, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM clip_stats"), ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM clips WHERE external_id = 'a'"), ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM clips WHERE external_id = 'b'"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM imports"), ==, 0);

  /* Twice is an error that says what to do. */
  g_assert_false (cs_event_import_rollback (fixture->store, report->report->import_id, NULL, &error));
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND);
}

static void
test_per_day (Fixture       *fixture,
              gconstpointer  data)
{
  const char table[] =
    "clip_id\tdate\tplays\n"
    "a\t2020-05-30\t5\n"
    "a\t2020/5/31\t7\n"
    "a\t20200601\t9\n"
    "b\t2020-05-31\t1\n";
  const char again[] =
    "clip_id\tdate\tplays\n"
    "a\t2020-05-31\t70\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(CsStatsImportReport) result = import (fixture, table, 0, &error);
  g_autoptr(CsStatsImportReport) update = NULL;
  g_autofree char *days = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (result->report->mapping, "day"), ==, "date");
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM clip_stats"), ==, 4);
  days = query_text (fixture, "SELECT group_concat (day, ' ') FROM (SELECT day FROM clip_stats ORDER BY id)");
  g_assert_cmpstr (days, ==, "2020-05-30 2020-05-31 2020-06-01 2020-05-31");

  /* One day of one clip replaced; the other days stay. */
  update = import (fixture, again, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (update->stats_replaced, ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM clip_stats"), ==, 4);
  g_assert_cmpint (query_int (fixture, "SELECT sum(views) FROM clip_stats"), ==, 5 + 70 + 9 + 1);
}

static gint64
add_clip (Fixture    *fixture,
          const char *external_id,
          const char *title,
          const char *path)
{
  sqlite3_stmt *stmt = cs_store_prepare (fixture->store,
                                         "INSERT INTO clips (external_id, title, path) VALUES (?1, ?2, ?3)",
                                         NULL);

  sqlite3_bind_text (stmt, 1, external_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, title, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, path, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);
  return sqlite3_last_insert_rowid (cs_store_get_db (fixture->store));
}

static void
test_linker (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CsClipLinker) linker = NULL;
  gint64 clip1 = add_clip (fixture, "/videos/My Clip.MP4", "my clip", "/videos/My Clip.MP4");
  gint64 clip2 = add_clip (fixture, "7034567890", "Sunset over the harbour", NULL);
  gint64 clip3 = add_clip (fixture, "/home/u/夏日_海边.mov", NULL, "/home/u/夏日_海边.mov");
  gint64 clip4 = add_clip (fixture, "dup-2", "same title", NULL);
  CsClipLink how;
  GPtrArray *unmatched;
  g_autofree char *key = cs_clip_linker_key ("  Ｍｙ  Ｃｌｉｐ.mp4 ");

  add_clip (fixture, "dup-3", "Same Title", NULL);
  g_assert_cmpstr (key, ==, "myclip");

  linker = cs_clip_linker_new (fixture->store, &error);
  g_assert_no_error (error);

  g_assert_cmpint (cs_clip_linker_lookup (linker, "7034567890", &how), ==, clip2);
  g_assert_cmpint (how, ==, CS_CLIP_LINK_ID);
  g_assert_cmpint (cs_clip_linker_lookup (linker, "my clip", &how), ==, clip1);
  g_assert_cmpint (cs_clip_linker_lookup (linker, "My Clip.mp4", &how), ==, clip1);
  g_assert_cmpint (cs_clip_linker_lookup (linker, "MY_CLIP", &how), ==, clip1);
  g_assert_cmpint (cs_clip_linker_lookup (linker, "ＭＹ ＣＬＩＰ", &how), ==, clip1);
  g_assert_cmpint (cs_clip_linker_lookup (linker, "SUNSET over the Harbour", &how), ==, clip2);
  g_assert_cmpint (how, ==, CS_CLIP_LINK_TITLE);
  g_assert_cmpint (cs_clip_linker_lookup (linker, "夏日 海边", &how), ==, clip3);
  g_assert_cmpint (how, ==, CS_CLIP_LINK_FILE);
  /* Two clips with one title: the older. */
  g_assert_cmpint (cs_clip_linker_lookup (linker, "SAME TITLE", &how), ==, clip4);

  g_assert_cmpint (cs_clip_linker_lookup (linker, "Sunrise", &how), ==, 0);
  g_assert_cmpint (how, ==, CS_CLIP_LINK_NONE);
  g_assert_cmpint (cs_clip_linker_lookup (linker, "Sunrise", NULL), ==, 0);
  g_assert_cmpint (cs_clip_linker_lookup (linker, "703456789", NULL), ==, 0);
  unmatched = cs_clip_linker_get_unmatched (linker);
  g_assert_cmpuint (unmatched->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (unmatched, 0), ==, "Sunrise");
  g_assert_cmpstr (g_ptr_array_index (unmatched, 1), ==, "703456789");

  cs_clip_linker_add (linker, 99, "new-id", "Sunrise", NULL);
  g_assert_cmpint (cs_clip_linker_lookup (linker, "sunrise", NULL), ==, 99);
}

static void
test_link_titles (Fixture       *fixture,
                  gconstpointer  data)
{
  /* A table that names clips by title only, against clips imported from
   * files: the file name finds them. */
  const char table[] =
    "标题,播放量\n"
    "My Clip,100\n"
    "ＳＵＮＳＥＴ,50\n"
    "Unknown clip,1\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(CsStatsImportReport) result = NULL;
  gint64 clip1 = add_clip (fixture, "/v/my_clip.mp4", NULL, "/v/my_clip.mp4");
  gint64 clip2 = add_clip (fixture, "/v/sunset.webm", NULL, "/v/sunset.webm");
  g_autofree char *json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *unmatched;

  result = import (fixture, table, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->clips_linked, ==, 2);
  g_assert_cmpint (result->clips_created, ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT views FROM clip_stats WHERE clip_id = 1"), ==, 100);
  g_assert_cmpint (clip1, ==, 1);
  g_assert_cmpint (cs_store_query_int (fixture->store, "SELECT views FROM clip_stats WHERE clip_id = 2", -1), ==, 50);
  g_assert_cmpint (clip2, ==, 2);
  /* The linked clips got their titles; the new one is known by its title. */
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM clips WHERE id = 1 AND title = 'My Clip'"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM clips WHERE external_id = 'Unknown clip' AND title = 'Unknown clip'"), ==, 1);

  json = cs_stats_import_report_to_json (result);
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "rows_imported"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "mapping"), "title"), ==, "标题");
  unmatched = json_object_get_array_member (root, "unmatched");
  g_assert_cmpuint (json_array_get_length (unmatched), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (unmatched, 0), ==, "Unknown clip");
  g_assert_cmpint (json_object_get_int_member (root, "clips_created"), ==, 1);
}

static void
test_hashtags (void)
{
  const struct { const char *text, *tags; } cases[] = {
    { "【#医生陶勇送给网友一首诗#】昨晚", "医生陶勇送给网友一首诗" },
    { "#a##b# text #c#", "a b c" },
    { "Dinner #food #travel, then #food again", "food travel" },
    { "#中国女排儿童节送祝福#晚上#六一儿童节#", "中国女排儿童节送祝福 六一儿童节" },
    { "no tags # here", "" },
    { "＃全角＃ and #end", "全角 end" },
    { "#tag！后面", "tag" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *joined = NULL;

      cs_stats_extract_hashtags (cases[i].text, tags);
      g_ptr_array_add (tags, NULL);
      joined = g_strjoinv (" ", (char **) tags->pdata);
      g_assert_cmpstr (joined, ==, cases[i].tags);
    }
}

static void
test_errors (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CsStatsImportReport) result = NULL;
  g_autoptr(GHashTable) mapping = NULL;
  g_autofree char *path = NULL;

  /* No clip column and no title. */
  result = import (fixture, "foo,bar\n1,2\n", 0, &error);
  g_assert_null (result);
  g_assert_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_MISSING_COLUMN);
  g_assert_nonnull (strstr (error->message, "foo, bar"));
  g_clear_error (&error);

  /* Empty file, header only, all rows bad: nothing changes. */
  result = import (fixture, "", 0, &error);
  g_assert_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_EMPTY);
  g_clear_error (&error);
  result = import (fixture, "id,views\n", 0, &error);
  g_assert_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_EMPTY);
  g_clear_error (&error);
  result = import (fixture, "id,views\na,x\nb,y\n", 0, &error);
  g_assert_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "line 2: column “views”: “x” is not a number"));
  g_clear_error (&error);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM clips"), ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM imports"), ==, 0);

  /* The project's time zone for times without one, when the caller gives
   * none: 2020-05-31 23:54 at UTC+8 = 1590940440. */
  g_assert_true (cs_store_set_setting (fixture->store, CS_STATS_IMPORT_ZONE_SETTING, "+08:00", &error));
  path = write_file (fixture, "id,发布时间,views\nz,2020-05-31 23:54,1\n");
  result = cs_stats_import_run (fixture->store, path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (fixture, "SELECT posted_at FROM clips WHERE external_id = 'z'"), ==, 1590940440);
  g_clear_pointer (&result, cs_stats_import_report_free);
  g_clear_pointer (&path, g_free);
  g_assert_true (cs_store_set_setting (fixture->store, CS_STATS_IMPORT_ZONE_SETTING, "Mars/Olympus", &error));
  path = write_file (fixture, "id,views\ny,1\n");
  result = cs_stats_import_run (fixture->store, path, NULL, NULL, NULL, NULL, &error);
  g_assert_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "Mars/Olympus"));
  g_clear_error (&error);
  g_clear_pointer (&path, g_free);
  g_assert_true (cs_store_set_setting (fixture->store, CS_STATS_IMPORT_ZONE_SETTING, "UTC", &error));

  /* A time without a year, and no year given. */
  result = import (fixture, "id,发布时间,views\na,5月31日 23:54,1\nb,2020-01-01,2\n", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->report->rows_rejected, ==, 1);
  g_assert_nonnull (strstr (((CsImportReject *) g_ptr_array_index (result->report->rejects, 0))->reason,
                            "has no year"));
  g_clear_pointer (&result, cs_stats_import_report_free);

  /* --map: unknown fields and columns; an override wins over the guess. */
  mapping = cs_stats_mapping_parse ("views=点赞,nope=x", &error);
  g_assert_null (mapping);
  g_assert_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FAILED);
  g_clear_error (&error);
  mapping = cs_stats_mapping_parse ("views=likes, likes=", &error);
  g_assert_no_error (error);
  path = write_file (fixture, "id,likes,views\nq,5,100\n");
  {
    CsStatsImportOptions options = { mapping, { NULL, 0 } };

    result = cs_stats_import_run (fixture->store, path, &options, NULL, NULL, NULL, &error);
  }
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (result->report->mapping, "views"), ==, "likes");
  g_assert_null (g_hash_table_lookup (result->report->mapping, "likes"));
  g_assert_cmpint (query_int (fixture, "SELECT views FROM clip_stats JOIN clips c ON c.id = clip_id WHERE external_id = 'q'"), ==, 5);
}

static void
cancel_on_progress (double      fraction,
                    const char *message,
                    gpointer    user_data)
{
  if (fraction > 0)
    g_cancellable_cancel (user_data);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GString) table = g_string_new ("id,views\n");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CsStatsImportReport) result = NULL;
  g_autofree char *path = NULL;

  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (table, "c%u,%u\n", i, i);
  path = write_file (fixture, table->str);
  result = cs_stats_import_run (fixture->store, path, NULL, cancel_on_progress, cancellable,
                                cancellable, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM clips"), ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM clip_stats"), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/stats-import/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("basic", test_basic);
  ADD ("reimport", test_reimport);
  ADD ("rollback", test_rollback);
  ADD ("per-day", test_per_day);
  ADD ("linker", test_linker);
  ADD ("link-titles", test_link_titles);
  ADD ("errors", test_errors);
  ADD ("cancel", test_cancel);
#undef ADD
  g_test_add_func ("/stats-import/hashtags", test_hashtags);

  return g_test_run ();
}
