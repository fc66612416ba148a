/* test-event-import.c: importing event logs into a project.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cs-error.h"
#include "cs-event-import.h"
#include "cs-store.h"

typedef struct
{
  char    *dir;
  CsStore *store;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("clipscope-import-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "test.clipscope", NULL);
  fixture->store = cs_store_open (path, CS_STORE_CREATE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  GDir *dir;
  const char *name;

  g_assert_finalize_object (fixture->store);

  dir = g_dir_open (fixture->dir, 0, NULL);
  g_assert_nonnull (dir);
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
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static gint64
count (Fixture    *fixture,
       const char *sql)
{
  gint64 n = cs_store_query_int (fixture->store, sql, -1);

  g_assert_cmpint (n, >=, 0);
  return n;
}

/* Nothing at all was written by a failed import. */
static void
assert_unchanged (Fixture *fixture,
                  gint64   events,
                  gint64   imports)
{
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events"), ==, events);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM imports"), ==, imports);
  if (imports == 0)
    {
      g_assert_cmpint (count (fixture, "SELECT count(*) FROM viewers"), ==, 0);
      g_assert_cmpint (count (fixture, "SELECT count(*) FROM clips"), ==, 0);
      g_assert_cmpint (count (fixture, "SELECT count(*) FROM import_rejects"), ==, 0);
      g_assert_cmpint (count (fixture, "SELECT count(*) FROM column_mappings"), ==, 0);
    }
}

static const char *
shared_data (void)
{
  const char *dir = g_getenv ("CS_SHARED_DATA");

  /* Real data is required, not optional (DESIGN §6). */
  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    g_error ("CS_SHARED_DATA is not set or is not a folder (%s): the real-data tests "
             "cannot run", dir ? dir : "unset");
  return dir;
}

/* 2020-05-31T23:54:00Z: 18,413 days after 1970-01-01 (18,262 to 2020-01-01,
 * 121 more to May 1, 30 to May 31) × 86,400 + 23 × 3,600 + 54 × 60. */
#define T_2020_05_31_2354 G_GINT64_CONSTANT (1590969240)
#define T_2020_05_31      G_GINT64_CONSTANT (1590883200)

static const char tiny_log[] =
  "user_id,video_id,timestamp,event,watch_time,comment\n"
  "u1,c1,1590969240,view,12.5,\n"
  "u1,c2,2020-05-31T23:54:00Z,like,,\n"
  "u2,c1,2020-05-31 23:54:00,comment,,\"so good, really\"\n"
  "u2,c3,1590969240000,share,,\n"
  "u3,c1,2020-05-31,follow,,\n"
  " u3 ,c2,2020-06-01T07:54:00+08:00,Favorite,0:42,\n";

static void
test_tiny (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *path = write_file (fixture, "tiny.csv", tiny_log);
  g_autoptr(GError) error = NULL;
  g_autoptr(CsImportReport) report = NULL;
  g_autofree char *after = NULL;
  sqlite3_stmt *stmt;
  struct
  {
    const char *viewer, *clip;
    gint64 time;
    int kind;
    gint64 watch_ms;
    const char *text;
  } expected[] = {
    { "u1", "c1", T_2020_05_31_2354, CS_EVENT_VIEW, 12500, NULL },
    { "u1", "c2", T_2020_05_31_2354, CS_EVENT_LIKE, -1, NULL },
    { "u2", "c1", T_2020_05_31_2354, CS_EVENT_COMMENT, -1, "so good, really" },
    { "u2", "c3", T_2020_05_31_2354, CS_EVENT_SHARE, -1, NULL },
    { "u3", "c1", T_2020_05_31, CS_EVENT_FOLLOW, -1, NULL },
    { "u3", "c2", T_2020_05_31_2354, CS_EVENT_SAVE, 42000, NULL },
  };
  guint i = 0;

  report = cs_event_import_run (fixture->store, path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);

  g_assert_cmpint (report->rows_read, ==, 6);
  g_assert_cmpint (report->rows_imported, ==, 6);
  g_assert_cmpint (report->rows_rejected, ==, 0);
  g_assert_cmpuint (report->rejects->len, ==, 0);
  g_assert_cmpstr (report->encoding, ==, "UTF-8");
  g_assert_cmpint (report->import_id, >, 0);
  g_assert_cmpstr (g_hash_table_lookup (report->mapping, "viewer"), ==, "user_id");
  g_assert_cmpstr (g_hash_table_lookup (report->mapping, "clip"), ==, "video_id");
  g_assert_cmpstr (g_hash_table_lookup (report->mapping, "time"), ==, "timestamp");
  g_assert_cmpstr (g_hash_table_lookup (report->mapping, "event"), ==, "event");
  g_assert_cmpstr (g_hash_table_lookup (report->mapping, "watch_time"), ==, "watch_time");
  g_assert_cmpstr (g_hash_table_lookup (report->mapping, "text"), ==, "comment");
  g_assert_null (g_hash_table_lookup (report->mapping, "value"));

  g_assert_cmpint (count (fixture, "SELECT count(*) FROM viewers"), ==, 3);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM clips"), ==, 3);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events"), ==, 6);

  stmt = cs_store_prepare (fixture->store,
                           "SELECT v.external_id, c.external_id, e.time, e.kind, "
                           "       ifnull (e.watch_ms, -1), e.text, e.value, e.import_id "
                           "FROM events e JOIN viewers v ON v.id = e.viewer_id "
                           "JOIN clips c ON c.id = e.clip_id ORDER BY e.id", &error);
  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_assert_cmpuint (i, <, G_N_ELEMENTS (expected));
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, expected[i].viewer);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, expected[i].clip);
      g_assert_cmpint (sqlite3_column_int64 (stmt, 2), ==, expected[i].time);
      g_assert_cmpint (sqlite3_column_int (stmt, 3), ==, expected[i].kind);
      g_assert_cmpint (sqlite3_column_int64 (stmt, 4), ==, expected[i].watch_ms);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 5), ==, expected[i].text);
      g_assert_cmpint (sqlite3_column_type (stmt, 6), ==, SQLITE_NULL);
      g_assert_cmpint (sqlite3_column_int64 (stmt, 7), ==, report->import_id);
      i++;
    }
  sqlite3_reset (stmt);
  g_assert_cmpuint (i, ==, G_N_ELEMENTS (expected));

  /* The import is recorded, with its mapping, and the mapping is saved for
   * the next file with these columns. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM imports WHERE kind = 'events' "
                                   "AND encoding = 'UTF-8' AND rows_read = 6 "
                                   "AND rows_imported = 6 AND rows_rejected = 0 "
                                   "AND source LIKE '%/tiny.csv' "
                                   "AND json_extract (mapping, '$.viewer') = 'user_id' "
                                   "AND json_extract (mapping, '$.text') = 'comment'"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM column_mappings WHERE kind = 'events' "
                                   "AND signature = 'user_id\tvideo_id\ttimestamp\tevent\t"
                                   "watch_time\tcomment' "
                                   "AND json_extract (mapping, '$.clip') = 'video_id'"), ==, 1);

  /* The source is read, never written. */
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, tiny_log);
}

static void
test_twice (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *path = write_file (fixture, "tiny.csv", tiny_log);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(CsImportReport) report =
        cs_event_import_run (fixture->store, path, NULL, NULL, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (report->import_id, ==, i + 1);
      g_assert_cmpint (report->rows_read, ==, 6);
      /* The second time every row is already there. */
      g_assert_cmpint (report->rows_imported, ==, i == 0 ? 6 : 0);
      g_assert_cmpint (report->rows_duplicate, ==, i == 0 ? 0 : 6);
      g_assert_cmpint (report->rows_rejected, ==, 0);
    }

  /* Viewers and clips are found again by their ids; events are not doubled. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM viewers"), ==, 3);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM clips"), ==, 3);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events"), ==, 6);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events WHERE import_id = 2"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM imports WHERE id = 2 "
                                   "AND rows_imported = 0 AND rows_duplicate = 6"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM column_mappings"), ==, 1);
}

static void
test_recbole (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *path =
    write_file (fixture, "small.inter",
                "user_id:token\titem_id:token\trating:float\ttimestamp:float\r\n"
                "196\t242\t3\t881250949\r\n"
                "186\t302\t3.5\t891717742.7\r\n"
                "196\t302\t1\t881250950\r\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(CsImportReport) report = NULL;

  report = cs_event_import_run (fixture->store, path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (report->rows_imported, ==, 3);
  g_assert_cmpstr (g_hash_table_lookup (report->mapping, "viewer"), ==, "user_id:token");
  g_assert_cmpstr (g_hash_table_lookup (report->mapping, "value"), ==, "rating:float");

  g_assert_cmpint (count (fixture, "SELECT count(*) FROM viewers"), ==, 2);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM clips"), ==, 2);
  /* No event column: every row is a view, the rating is its value. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events WHERE kind = 1"), ==, 3);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events e JOIN viewers v "
                                   "ON v.id = e.viewer_id JOIN clips c ON c.id = e.clip_id "
                                   "WHERE v.external_id = '186' AND c.external_id = '302' "
                                   "AND e.value = 3.5 AND e.time = 891717742"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT sum (value * 10) FROM events"), ==, 75);
}

static void
test_bad_rows (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *path =
    write_file (fixture, "bad.csv",
                "uid,item_id,time,action,comment\n"                 /* 1 */
                "a,x,1590969240,comment,\"two\nlines\"\n"            /* 2-3 */
                "b,x,12abc,view,\n"                                  /* 4: bad time */
                "c,y,1590969240,view,\n"                             /* 5 */
                "d,y,1590969240,purchase,\n"                         /* 6: unknown event */
                ",y,1590969240,view,\n"                              /* 7: no viewer */
                "e,y,1590969240\n"                                   /* 8: too short */
                "f,z,1590969240,view,,\n"                            /* 9: empty extra: fine */
                "\n"                                                 /* 10: blank, skipped */
                "g,z,2020-02-30,view,\n");                           /* 11: no such day */
  g_autoptr(GError) error = NULL;
  g_autoptr(CsImportReport) report = NULL;
  CsImportReject *reject;
  sqlite3_stmt *stmt;
  struct { gint64 line; const char *reason; const char *raw; } expected[] = {
    { 4, "column “time”: “12abc” is not a time", "b,x,12abc,view," },
    { 6, "column “action”: “purchase” is not a known event (view, like, comment, share, "
         "follow, save)", "d,y,1590969240,purchase," },
    { 7, "column “uid” is empty", ",y,1590969240,view," },
    { 8, "the row has 3 values but the header has 5 columns", "e,y,1590969240" },
    { 11, "column “time”: “2020-02-30” is not a time", "g,z,2020-02-30,view," },
  };
  guint i = 0;

  report = cs_event_import_run (fixture->store, path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (report->rows_read, ==, 8);
  g_assert_cmpint (report->rows_imported, ==, 3);
  g_assert_cmpint (report->rows_rejected, ==, 5);
  g_assert_cmpuint (report->rejects->len, ==, 5);
  for (i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      reject = g_ptr_array_index (report->rejects, i);
      g_assert_cmpint (reject->line, ==, expected[i].line);
      g_assert_cmpstr (reject->reason, ==, expected[i].reason);
      g_assert_cmpstr (reject->raw, ==, expected[i].raw);
    }

  /* The same rejects are kept in the project. */
  stmt = cs_store_prepare (fixture->store,
                           "SELECT line, reason, raw FROM import_rejects "
                           "WHERE import_id = ?1 ORDER BY rowid", &error);
  g_assert_no_error (error);
  sqlite3_bind_int64 (stmt, 1, report->import_id);
  for (i = 0; sqlite3_step (stmt) == SQLITE_ROW; i++)
    {
      g_assert_cmpuint (i, <, G_N_ELEMENTS (expected));
      g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, expected[i].line);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, expected[i].reason);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), ==, expected[i].raw);
    }
  sqlite3_reset (stmt);
  g_assert_cmpuint (i, ==, 5);

  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events"), ==, 3);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events WHERE text = 'two\nlines'"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT rows_rejected FROM imports"), ==, 5);
  /* Viewers of rejected rows are not created. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM viewers"), ==, 3);
}

static void
test_invalid_utf8 (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path =
    write_file (fixture, "latin1.csv",
                "user,clip,date\n"
                "ren\xE9,x,2020-05-31\n"
                "anna,x,2020-05-31\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(CsImportReport) report = NULL;
  CsImportReject *reject;

  report = cs_event_import_run (fixture->store, path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (report->rows_imported, ==, 1);
  g_assert_cmpint (report->rows_rejected, ==, 1);
  reject = g_ptr_array_index (report->rejects, 0);
  g_assert_cmpint (reject->line, ==, 2);
  g_assert_nonnull (strstr (reject->reason, "UTF-8"));
  /* Kept as valid text, the bad byte replaced. */
  g_assert_cmpstr (reject->raw, ==, "ren\xEF\xBF\xBD,x,2020-05-31");
}

static void
test_missing_column (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *good = write_file (fixture, "good.csv", tiny_log);
  g_autofree char *path =
    write_file (fixture, "named.csv",
                "viewer_name,clip,time\n"
                "ann,x,1590969240\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(CsImportReport) first = NULL;
  g_autoptr(CsImportReport) report = NULL;
  g_autoptr(GHashTable) mapping = NULL;

  /* Something in the project already, which must stay as it is. */
  first = cs_event_import_run (fixture->store, good, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  report = cs_event_import_run (fixture->store, path, NULL, NULL, NULL, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_MISSING_COLUMN);
  /* Names the field, the columns there are, and how to say which one. */
  g_assert_nonnull (strstr (error->message, "viewer"));
  g_assert_nonnull (strstr (error->message, "viewer_name, clip, time"));
  g_assert_nonnull (strstr (error->message, "--map viewer=COLUMN"));
  g_clear_error (&error);
  assert_unchanged (fixture, 6, 1);

  /* A mapping naming a column that is not there. */
  mapping = cs_event_mapping_parse ("viewer=name", &error);
  g_assert_no_error (error);
  report = cs_event_import_run (fixture->store, path, mapping, NULL, NULL, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_MISSING_COLUMN);
  g_assert_cmpstr (error->message, ==,
                   "The file has no column “name”; its columns are: viewer_name, clip, time");
  g_clear_error (&error);
  g_clear_pointer (&mapping, g_hash_table_unref);
  assert_unchanged (fixture, 6, 1);

  /* Named rightly, it imports; case does not matter. */
  mapping = cs_event_mapping_parse ("viewer=Viewer_Name", &error);
  g_assert_no_error (error);
  report = cs_event_import_run (fixture->store, path, mapping, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (report->rows_imported, ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (report->mapping, "viewer"), ==, "viewer_name");
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events"), ==, 7);
}

static void
test_mapping_override (Fixture       *fixture,
                       gconstpointer  data)
{
  /* The guess would take "user" and "time"; the mapping moves both and
   * leaves out the score. */
  g_autofree char *path =
    write_file (fixture, "override.csv",
                "user,uploader,item,time,posted,score\n"
                "v1,u9,c1,1590969240,2020-05-31,5\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) mapping = NULL;
  g_autoptr(CsImportReport) report = NULL;

  mapping = cs_event_mapping_parse ("viewer=uploader, time = posted,value=", &error);
  g_assert_no_error (error);
  report = cs_event_import_run (fixture->store, path, mapping, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (report->mapping, "viewer"), ==, "uploader");
  g_assert_cmpstr (g_hash_table_lookup (report->mapping, "clip"), ==, "item");
  g_assert_cmpstr (g_hash_table_lookup (report->mapping, "time"), ==, "posted");
  g_assert_null (g_hash_table_lookup (report->mapping, "value"));
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM viewers WHERE external_id = 'u9'"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT time FROM events"), ==, T_2020_05_31);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events WHERE value IS NULL"), ==, 1);
}

/* A file without a line of names (the Douyin sample): the columns are #1,
 * #2 …, a mapping by position imports it, the first line included. */
static void
test_headerless (Fixture       *fixture,
                 gconstpointer  data)
{
  static const char log[] =
    "7\t1590940440\t42\t12\n"
    "8\t1590940500\t42\t3\n"
    "7\t1590940560\t43\t40\n";
  g_autofree char *path = g_build_filename (shared_data (), "interactions", "douyin-sample",
                                            "byterec_sample.txt", NULL);
  g_autofree char *small = write_file (fixture, "headerless.tsv", log);
  g_autoptr(GHashTable) mapping = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CsImportReport) report = NULL;
  g_autofree char *contents = NULL;
  guint n_lines = 0;

  report = cs_event_import_run (fixture->store, path, NULL, NULL, NULL, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_MISSING_COLUMN);
  g_assert_nonnull (strstr (error->message, "no line of column names"));
  g_assert_nonnull (strstr (error->message, "viewer=#1"));
  assert_unchanged (fixture, 0, 0);
  g_clear_error (&error);

  /* Mapped by position, every line is a row, the first one too (its
   * 11-digit times, shifted by the challenge, read as seconds). */
  mapping = cs_event_mapping_parse ("viewer=#1,clip=#3,time=#11", &error);
  g_assert_no_error (error);
  report = cs_event_import_run (fixture->store, path, mapping, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  for (const char *p = contents; *p != '\0'; p++)
    n_lines += *p == '\n';
  g_assert_cmpint (report->rows_read, ==, n_lines);
  g_assert_cmpint (report->rows_imported, ==, n_lines);
  /* uid 37448 and item 567569 are the first line's. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events e JOIN viewers v ON v.id = e.viewer_id "
                                   "JOIN clips c ON c.id = e.clip_id "
                                   "WHERE v.external_id = '37448' AND c.external_id = '567569'"), ==, 1);
  g_clear_pointer (&report, cs_import_report_free);
  g_clear_pointer (&mapping, g_hash_table_unref);
  g_assert_true (cs_store_exec (fixture->store, "DELETE FROM events; DELETE FROM viewers; DELETE FROM clips;", NULL));

  mapping = cs_event_mapping_parse ("viewer=#1,time=#2,clip=#3,watch_time=#4", &error);
  g_assert_no_error (error);
  report = cs_event_import_run (fixture->store, small, mapping, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (report->rows_read, ==, 3);
  g_assert_cmpint (report->rows_imported, ==, 3);
  g_assert_cmpstr (g_hash_table_lookup (report->mapping, "viewer"), ==, "#1");
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM viewers"), ==, 2);
  g_assert_cmpint (count (fixture, "SELECT sum(watch_ms) FROM events"), ==, 55000);
  g_assert_cmpint (count (fixture, "SELECT min(time) FROM events"), ==, 1590940440);
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  const char *contents[] = { "", "\xEF\xBB\xBF", "user_id,item_id,timestamp\n",
                             "user_id,item_id,timestamp\n\n\n" };

  for (guint i = 0; i < G_N_ELEMENTS (contents); i++)
    {
      g_autofree char *path = write_file (fixture, "empty.csv", contents[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(CsImportReport) report = NULL;

      report = cs_event_import_run (fixture->store, path, NULL, NULL, NULL, NULL, &error);
      g_assert_null (report);
      g_assert_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_EMPTY);
      g_assert_nonnull (strstr (error->message, "empty.csv"));
      assert_unchanged (fixture, 0, 0);
    }
}

static void
test_missing_file (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "nothing.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CsImportReport) report = NULL;

  report = cs_event_import_run (fixture->store, path, NULL, NULL, NULL, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_OPEN);
  assert_unchanged (fixture, 0, 0);
}

static void
test_read_only_project (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = write_file (fixture, "tiny.csv", tiny_log);
  g_autoptr(GError) error = NULL;
  g_autoptr(CsStore) read_only = NULL;
  g_autoptr(CsImportReport) report = NULL;

  read_only = cs_store_open (cs_store_get_path (fixture->store), CS_STORE_READ_ONLY, &error);
  g_assert_no_error (error);

  /* A store error is reported as one, and rolls everything back. */
  report = cs_event_import_run (read_only, path, NULL, NULL, NULL, NULL, &error);
  g_assert_null (report);
  g_assert_nonnull (error);
  g_assert_true (error->domain == CS_STORE_ERROR);
  g_test_message ("%s", error->message);
  assert_unchanged (fixture, 0, 0);
}

static void
test_all_rejected (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("user_id,item_id,timestamp\n");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CsImportReport) report = NULL;

  for (guint i = 0; i < 200; i++)
    g_string_append_printf (text, "u%u,c%u,yesterday\n", i, i);
  path = write_file (fixture, "bad.csv", text->str);

  report = cs_event_import_run (fixture->store, path, NULL, NULL, NULL, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT);
  g_assert_cmpstr (error->message, ==,
                   "None of the 200 rows could be read; first problem: line 2: "
                   "column “timestamp”: “yesterday” is not a time");
  assert_unchanged (fixture, 0, 0);
}

typedef struct
{
  GCancellable *cancellable;
  guint         n_calls;
  double        last_fraction;
  char         *message;
} ProgressData;

static void
cancel_on_progress (double      fraction,
                    const char *message,
                    gpointer    user_data)
{
  ProgressData *progress = user_data;

  g_assert_cmpfloat (fraction, >=, progress->last_fraction);
  g_assert_cmpfloat (fraction, <=, 1.0);
  progress->last_fraction = fraction;
  progress->n_calls++;
  /* Cancel once rows are being read. */
  if (fraction > 0 && progress->cancellable != NULL)
    {
      g_free (progress->message);
      progress->message = g_strdup (message);
      g_cancellable_cancel (progress->cancellable);
    }
}

static char *
write_big_log (Fixture *fixture,
               guint    n_rows)
{
  g_autoptr(GString) text = g_string_new ("user_id\titem_id\ttimestamp\n");

  for (guint i = 0; i < n_rows; i++)
    g_string_append_printf (text, "v%u\tc%u\t%u\n", i % 97, i % 31, 1590969240 + i);
  return write_file (fixture, "big.tsv", text->str);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *path = write_big_log (fixture, 5000);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CsImportReport) report = NULL;
  ProgressData progress = { cancellable, 0, 0, NULL };

  report = cs_event_import_run (fixture->store, path, NULL, cancel_on_progress, &progress,
                                cancellable, &error);
  g_assert_null (report);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (error->message, ==, "Import cancelled; the project was not changed");
  g_assert_true (g_cancellable_is_cancelled (cancellable));
  /* Cancelled part-way, after rows had been written in the transaction. */
  g_assert_nonnull (progress.message);
  g_assert_nonnull (strstr (progress.message, "Read 1"));
  g_assert_cmpfloat (progress.last_fraction, <, 1.0);
  g_free (progress.message);
  assert_unchanged (fixture, 0, 0);

  /* The same file imports in full afterwards, ending at 100 %. */
  g_clear_error (&error);
  progress = (ProgressData) { NULL, 0, 0, NULL };
  report = cs_event_import_run (fixture->store, path, NULL, cancel_on_progress, &progress,
                                NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (report->rows_imported, ==, 5000);
  g_assert_cmpfloat (progress.last_fraction, ==, 1.0);
  g_assert_cmpuint (progress.n_calls, >=, 2);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM viewers"), ==, 97);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM clips"), ==, 31);
}

static void
test_many_rejects (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("user_id,item_id,timestamp\n");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CsImportReport) report = NULL;

  /* 1,500 bad rows among good ones: the report keeps the first 1,000, the
   * project all of them. */
  for (guint i = 0; i < 3000; i++)
    if (i % 2 == 0)
      g_string_append_printf (text, "u1,c1,%u\n", 1590969240 + i);
    else
      g_string_append (text, "u1,c1,soon\n");
  path = write_file (fixture, "half.csv", text->str);

  report = cs_event_import_run (fixture->store, path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (report->rows_read, ==, 3000);
  g_assert_cmpint (report->rows_imported, ==, 1500);
  g_assert_cmpint (report->rows_rejected, ==, 1500);
  g_assert_cmpuint (report->rejects->len, ==, CS_IMPORT_MAX_REPORTED_REJECTS);
  g_assert_cmpint (((CsImportReject *) g_ptr_array_index (report->rejects, 999))->line, ==, 2001);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM import_rejects"), ==, 1500);
  g_assert_cmpint (count (fixture, "SELECT max(line) FROM import_rejects"), ==, 3001);
}

static void
test_json (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *path =
    write_file (fixture, "j.csv",
                "user_id,item_id,timestamp\n"
                "a,b,1590969240\n"
                "a,b,later\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(CsImportReport) report = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = NULL;
  JsonObject *root, *mapping, *reject;
  JsonArray *rejects;

  report = cs_event_import_run (fixture->store, path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  json = cs_import_report_to_json (report);

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "import_id"), ==, report->import_id);
  g_assert_cmpint (json_object_get_int_member (root, "rows_read"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (root, "rows_imported"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (root, "rows_rejected"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (root, "encoding"), ==, "UTF-8");

  mapping = json_object_get_object_member (root, "mapping");
  g_assert_cmpuint (json_object_get_size (mapping), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (mapping, "viewer"), ==, "user_id");
  g_assert_cmpstr (json_object_get_string_member (mapping, "clip"), ==, "item_id");
  g_assert_cmpstr (json_object_get_string_member (mapping, "time"), ==, "timestamp");

  rejects = json_object_get_array_member (root, "rejects");
  g_assert_cmpuint (json_array_get_length (rejects), ==, 1);
  reject = json_array_get_object_element (rejects, 0);
  g_assert_cmpint (json_object_get_int_member (reject, "line"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (reject, "reason"), ==,
                   "column “timestamp”: “later” is not a time");
  g_assert_cmpstr (json_object_get_string_member (reject, "raw"), ==, "a,b,later");
}

static void
test_ml100k (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (shared_data (), "interactions", "ml-100k",
                                            "ml-100k.inter", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CsImportReport) report = NULL;
  gint64 start = g_get_monotonic_time ();

  report = cs_event_import_run (fixture->store, path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("ml-100k imported in %.2f s",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

  g_assert_cmpint (report->rows_read, ==, 100000);
  g_assert_cmpint (report->rows_imported, ==, 100000);
  g_assert_cmpint (report->rows_rejected, ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM viewers"), ==, 943);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM clips"), ==, 1682);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events WHERE kind = 1"), ==, 100000);
  /* The first row of the file: 196 242 3 881250949. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events e JOIN viewers v "
                                   "ON v.id = e.viewer_id JOIN clips c ON c.id = e.clip_id "
                                   "WHERE v.external_id = '196' AND c.external_id = '242' "
                                   "AND e.value = 3 AND e.time = 881250949"), ==, 1);
  /* Ratings are whole stars 1 to 5. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events WHERE value NOT IN "
                                   "(1, 2, 3, 4, 5)"), ==, 0);
}

static void
test_tiktok (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (shared_data (), "interactions", "tiktok-pairs",
                                            "tiktok.inter", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CsImportReport) report = NULL;

  /* RecBole with CRLF line ends and no rating. */
  report = cs_event_import_run (fixture->store, path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (report->rows_imported, ==, 59541);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM viewers"), ==, 9298);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM clips"), ==, 6245);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events WHERE value IS NULL"), ==, 59541);
  /* 2021-01-01T00:00:00Z, the first synthetic timestamp. */
  g_assert_cmpint (count (fixture, "SELECT min(time) FROM events"), ==, 1609459200);
}

/* Duplicates, rollback, pseudonyms and hostile input (issue 4). */

static CsImportReport *
import_file (Fixture                    *fixture,
             const char                 *path,
             const CsEventImportOptions *options)
{
  g_autoptr(GError) error = NULL;
  CsImportReport *report;

  report = cs_event_import_run_full (fixture->store, path, NULL, options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpint (report->rows_read, ==,
                   report->rows_imported + report->rows_rejected + report->rows_duplicate);
  return report;
}

static void
assert_integrity (Fixture *fixture)
{
  sqlite3_stmt *stmt = cs_store_prepare (fixture->store, "PRAGMA integrity_check", NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_reset (stmt);
  /* Every reference holds, and checks are on again after the import. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
  g_assert_cmpint (count (fixture, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (count (fixture, "PRAGMA temp_store"), ==, 2);  /* MEMORY, as the store sets it */
  g_assert_cmpint (cs_store_query_int (fixture->store, "PRAGMA cache_size", 0), ==, -32768);
  /* The three events indexes are there (after an import that dropped them). */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' "
                                   "AND name IN ('events_import', 'events_clip', "
                                   "'events_viewer_time')"), ==, 3);
}

/* The project file's bytes, after moving everything committed into it. */
static char *
project_checksum (Fixture *fixture)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_cmpint (sqlite3_exec (cs_store_get_db (fixture->store),
                                 "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (g_file_get_contents (cs_store_get_path (fixture->store), &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* Lines 2-16 (in the test they follow 1,000 other rows). Duplicates, worked
 * out by hand: line 3 repeats line 2; 6
 * repeats 5 (no watch time equals no watch time); 12 repeats 11; 15 repeats
 * 14 (4 and 4.0 are the same number); 16 repeats 2 (" u1 " is trimmed,
 * 100000000500 ms floor to 100000000 s, 12.500 s is 12500 ms). The others
 * differ from every earlier row in one field. */
static const char duplicates_log[] =
  "user_id,item_id,timestamp,event,watch_time,rating,comment\n"
  "u1,c1,100000000,view,12.5,,\n"          /* 2 */
  "u1,c1,100000000,view,12.5,,\n"          /* 3: = 2 */
  "u1,c1,100000000,view,12.6,,\n"          /* 4: watch */
  "u1,c1,100000000,view,,,\n"              /* 5: no watch */
  "u1,c1,100000000,view,,,\n"              /* 6: = 5 */
  "u1,c1,100000000,like,,,\n"              /* 7: event */
  "u1,c1,100000001,view,12.5,,\n"          /* 8: time */
  "u2,c1,100000000,view,12.5,,\n"          /* 9: viewer */
  "u1,c2,100000000,view,12.5,,\n"          /* 10: clip */
  "u1,c1,100000000,comment,,,nice\n"       /* 11: text */
  "u1,c1,100000000,comment,,,nice\n"       /* 12: = 11 */
  "u1,c1,100000000,comment,,,Nice\n"       /* 13: text differs in case */
  "u1,c1,100000000,view,,4,\n"             /* 14: value */
  "u1,c1,100000000,view,,4.0,\n"           /* 15: = 14 */
  " u1 ,c1,100000000500,view,12.500,,\n";  /* 16: = 2 */

static void
test_duplicates (Fixture       *fixture,
                 gconstpointer  data)
{
  guint events_first = GPOINTER_TO_UINT (data);
  g_autoptr(GString) log = g_string_new (duplicates_log);
  g_autofree char *path = NULL;
  gint64 before = 0;

  /* 1,000 distinct rows first, after which the importer decides how to
   * work, from the 1,015 rows of the file against the events already there:
   * - none: drop the indexes, check candidates once they are back; the
   *   second time (1,010 events) the same, with the project's events in the
   *   fingerprints;
   * - 5,000: keep the indexes, project's events in the fingerprints;
   * - 12,000: keep the indexes, check every row of a known viewer.
   * The second time, every one of the first 1,000 rows is a duplicate, and
   * a file that repeats the project that much drops the indexes (the
   * candidates are then found by sorting: see test_duplicates_sorted()).
   * All must agree. */
  g_string_erase (log, 0, strchr (log->str, '\n') + 1 - log->str);
  {
    g_autoptr(GString) filler = g_string_new ("user_id,item_id,timestamp,event,watch_time,rating,comment\n");

    for (guint i = 0; i < 1000; i++)
      g_string_append_printf (filler, "f%u,c1,%u,view,,,\n", i, 1000 + i);
    g_string_prepend (log, filler->str);
  }
  path = write_file (fixture, "dups.csv", log->str);

  if (events_first > 0)
    {
      g_autofree char *big = write_big_log (fixture, events_first);
      g_autoptr(CsImportReport) first = import_file (fixture, big, NULL);

      g_assert_cmpint (first->rows_imported, ==, events_first);
      before = events_first;
    }

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(CsImportReport) report = import_file (fixture, path, NULL);
      g_autofree char *json = cs_import_report_to_json (report);

      g_assert_cmpint (report->rows_read, ==, 1015);
      g_assert_cmpint (report->rows_rejected, ==, 0);
      /* The second time, all 1,015 are in the project already. */
      g_assert_cmpint (report->rows_imported, ==, round == 0 ? 1010 : 0);
      g_assert_cmpint (report->rows_duplicate, ==, round == 0 ? 5 : 1015);
      g_assert_nonnull (strstr (json, round == 0 ? "\"rows_duplicate\":5" : "\"rows_duplicate\":1015"));
      g_assert_cmpint (count (fixture, "SELECT count(*) FROM events"), ==, before + 1010);
      assert_integrity (fixture);
    }

  /* What stayed is the first of each group. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events e JOIN viewers v "
                                   "ON v.id = e.viewer_id WHERE v.external_id = 'u1' "
                                   "AND watch_ms = 12500 AND time = 100000000"), ==, 2);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events WHERE watch_ms IS NULL "
                                   "AND value IS NULL AND text IS NULL AND kind = 1 "
                                   "AND time = 100000000"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events e JOIN viewers v "
                                   "ON v.id = e.viewer_id WHERE v.external_id LIKE 'f%'"), ==, 1000);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events WHERE text IS NOT NULL"), ==, 2);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events WHERE value = 4"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT sum(rows_duplicate) FROM imports"), ==, 1020);
}

static void
collect_messages (double      fraction,
                  const char *message,
                  gpointer    user_data)
{
  g_ptr_array_add (user_data, g_strdup (message));
}

/* Many candidates: a file whose 3,000 rows come twice around the
 * duplicates above, imported twice. The second half of the first import,
 * and everything after the first 1,000 rows of the second, is checked after
 * the insert with the indexes away; those candidates are one in two of the
 * table's events, so they are found by sorting the table rather than one
 * look each. The same rows must go as the looks remove. */
static void
test_duplicates_sorted (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GString) log = g_string_new ("user_id,item_id,timestamp,event,watch_time,rating,comment\n");
  g_autoptr(GString) filler = g_string_new (NULL);
  g_autofree char *path = NULL;

  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (filler, "f%u,c%u,%u,view,%u,,\n", i % 200, i % 7, 1000 + i / 3, i % 2);
  g_string_append (log, filler->str);
  g_string_append (log, strchr (duplicates_log, '\n') + 1);
  g_string_append (log, filler->str);
  path = write_file (fixture, "dups.csv", log->str);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(CsImportReport) report = NULL;
      g_autoptr(GError) error = NULL;

      report = cs_event_import_run_full (fixture->store, path, NULL, NULL, collect_messages, messages,
                                         NULL, &error);
      g_assert_no_error (error);
      /* The wait at the end says what it is. */
      g_ptr_array_add (messages, NULL);
      g_assert_true (g_strv_contains ((const char * const *) messages->pdata,
                                      "Finding repeated events and indexing…"));
      g_assert_cmpint (report->rows_read, ==, 6015);
      g_assert_cmpint (report->rows_rejected, ==, 0);
      g_assert_cmpint (report->rows_imported, ==, round == 0 ? 3010 : 0);
      g_assert_cmpint (report->rows_duplicate, ==, round == 0 ? 3005 : 6015);
      g_assert_cmpint (count (fixture, "SELECT count(*) FROM events"), ==, 3010);
      assert_integrity (fixture);
    }

  /* The first of each group stayed: the filler's first copy (ids 1-3000)
   * and the first of each group of the hand-worked rows. */
  g_assert_cmpint (count (fixture, "SELECT max(e.id) FROM events e JOIN viewers v "
                                   "ON v.id = e.viewer_id WHERE v.external_id LIKE 'f%'"), ==, 3000);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events e JOIN viewers v "
                                   "ON v.id = e.viewer_id WHERE v.external_id = 'u1' "
                                   "AND watch_ms = 12500 AND time = 100000000"), ==, 2);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events WHERE text IS NOT NULL"), ==, 2);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events WHERE value = 4"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM (SELECT DISTINCT viewer_id, time, clip_id, kind, "
                                   "watch_ms, value, text FROM events)"), ==, 3010);
  g_assert_cmpint (count (fixture, "SELECT sum(rows_duplicate) FROM imports"), ==, 9020);
}

static void
test_rollback (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *a = write_file (fixture, "a.csv",
                                   "user_id,item_id,timestamp\n"
                                   "u1,c1,100\n"
                                   "u2,c1,200\n"
                                   "u2,c2,soon\n");       /* rejected: c2 never made */
  g_autofree char *b = write_file (fixture, "b.csv",
                                   "user_id,item_id,timestamp\n"
                                   "u1,c3,300\n"          /* u1 is a's */
                                   "u3,c1,400\n");        /* c1 is a's */
  g_autoptr(CsImportReport) report_a = import_file (fixture, a, NULL);
  g_autoptr(CsImportReport) report_b = import_file (fixture, b, NULL);
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *checksum = NULL;
  g_autofree char *checksum_after = NULL;

  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events"), ==, 4);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM import_rejects"), ==, 1);

  /* A cancel changes nothing. */
  checksum = project_checksum (fixture);
  g_cancellable_cancel (cancelled);
  g_assert_false (cs_event_import_rollback (fixture->store, report_a->import_id, cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  checksum_after = project_checksum (fixture);
  g_assert_cmpstr (checksum, ==, checksum_after);

  g_assert_true (cs_event_import_rollback (fixture->store, report_a->import_id, NULL, &error));
  g_assert_no_error (error);

  /* b's two events stay; u2 (only a's) goes; u1 and c1, which b uses, stay
   * and now belong to b. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events"), ==, 2);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events WHERE time IN (300, 400)"), ==, 2);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM import_rejects"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM imports"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM viewers WHERE external_id IN ('u1', 'u3')"), ==, 2);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM viewers"), ==, 2);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM clips WHERE external_id IN ('c1', 'c3')"), ==, 2);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM clips"), ==, 2);
  assert_integrity (fixture);

  /* Gone is gone. */
  g_assert_false (cs_event_import_rollback (fixture->store, report_a->import_id, NULL, &error));
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Undoing b as well leaves nothing behind. */
  g_assert_true (cs_event_import_rollback (fixture->store, report_b->import_id, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM viewers"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM clips"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM imports"), ==, 0);

  /* A clip with a video file is the user's, not the import's. */
  {
    g_autoptr(CsImportReport) again = import_file (fixture, a, NULL);

    g_assert_true (cs_store_exec (fixture->store,
                                  "UPDATE clips SET path = '/videos/c1.mp4' WHERE external_id = 'c1'",
                                  &error));
    g_assert_true (cs_event_import_rollback (fixture->store, again->import_id, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (count (fixture, "SELECT count(*) FROM clips WHERE external_id = 'c1'"), ==, 1);
    g_assert_cmpint (count (fixture, "SELECT count(*) FROM viewers"), ==, 0);
  }
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  for (gsize i = 0, n = strlen (needle); i + n <= length; i++)
    if (memcmp (contents + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static void
test_pseudonymise (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = write_file (fixture, "people.csv",
                                      "user_id,item_id,timestamp\n"
                                      "alice,c1,100\n"
                                      " bob ,c1,200\n"
                                      "alice,c2,300\n"
                                      "secret-user,c3,soon\n"
                                      "\"x,y\",c1,\n");
  g_autofree char *more = write_file (fixture, "more.csv",
                                      "user_id,item_id,timestamp\n"
                                      "alice,c9,500\n");
  CsEventImportOptions options = { .pseudonymise = TRUE };
  g_autoptr(GError) error = NULL;
  g_autoptr(CsImportReport) report = NULL;
  g_autoptr(CsImportReport) report_more = NULL;
  g_autofree char *json = NULL;
  g_autofree char *db_path = g_strdup (cs_store_get_path (fixture->store));
  CsImportReject *reject;

  /* A known key (bytes 0..31), so that the pseudonyms can be computed
   * elsewhere: python3 -c "import hmac,hashlib; print(hmac.new(bytes(range(32)),
   * b'alice', hashlib.sha256).hexdigest()[:16])" gives 6eefad2bed97b6d9. */
  g_assert_true (cs_store_set_setting (fixture->store, "pseudonym_key",
                                       "000102030405060708090a0b0c0d0e0f"
                                       "101112131415161718191a1b1c1d1e1f", &error));
  g_assert_no_error (error);

  report = import_file (fixture, path, &options);
  g_assert_cmpint (report->rows_imported, ==, 3);
  g_assert_cmpint (report->rows_rejected, ==, 2);
  g_assert_true (report->pseudonymised);
  json = cs_import_report_to_json (report);
  g_assert_nonnull (strstr (json, "\"pseudonymised\":true"));

  g_assert_cmpint (count (fixture, "SELECT count(*) FROM viewers"), ==, 2);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM viewers WHERE external_id IN "
                                   "('p6eefad2bed97b6d9', 'p928931744d17c7ee')"), ==, 2);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events e JOIN viewers v ON v.id = "
                                   "e.viewer_id WHERE v.external_id = 'p6eefad2bed97b6d9'"), ==, 2);
  g_assert_cmpint (count (fixture, "SELECT pseudonymised FROM imports"), ==, 1);

  /* Rejected rows show the pseudonym too ("secret-user" → p0e15b7a55b7b0d0c),
   * quoted as CSV where needed. */
  reject = g_ptr_array_index (report->rejects, 0);
  g_assert_cmpint (reject->line, ==, 5);
  g_assert_cmpstr (reject->raw, ==, "p0e15b7a55b7b0d0c,c3,soon");
  reject = g_ptr_array_index (report->rejects, 1);
  g_assert_cmpstr (reject->reason, ==, "column “timestamp” is empty");
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM import_rejects "
                                   "WHERE raw = 'p0e15b7a55b7b0d0c,c3,soon'"), ==, 1);

  /* The same viewer id gets the same pseudonym next time. */
  report_more = import_file (fixture, more, &options);
  g_assert_cmpint (report_more->rows_imported, ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM viewers"), ==, 2);

  /* No raw id anywhere in the project file. */
  g_clear_pointer (&json, g_free);
  json = project_checksum (fixture);
  g_assert_false (file_contains (db_path, "alice"));
  g_assert_false (file_contains (db_path, "bob"));
  g_assert_false (file_contains (db_path, "secret-user"));
  g_assert_true (file_contains (db_path, "p6eefad2bed97b6d9"));
}

static void
test_pseudonym_key_made (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *path = write_file (fixture, "k.csv", "user_id,item_id,timestamp\nalice,c1,100\n");
  g_autofree char *other = write_file (fixture, "k2.csv", "user_id,item_id,timestamp\nalice,c2,100\n");
  CsEventImportOptions options = { .pseudonymise = TRUE };
  g_autoptr(CsImportReport) first = NULL;
  g_autoptr(CsImportReport) second = NULL;
  g_autofree char *key = NULL;
  g_autofree char *key_again = NULL;

  first = import_file (fixture, path, &options);
  key = cs_store_get_setting (fixture->store, "pseudonym_key");
  g_assert_nonnull (key);
  g_assert_cmpuint (strlen (key), ==, 64);
  for (guint i = 0; i < 64; i++)
    g_assert_true (g_ascii_isxdigit (key[i]));

  second = import_file (fixture, other, &options);
  key_again = cs_store_get_setting (fixture->store, "pseudonym_key");
  g_assert_cmpstr (key, ==, key_again);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM viewers WHERE length (external_id) = 17 "
                                   "AND external_id LIKE 'p%'"), ==, 1);
}

static void
test_hostile_files (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CsImportReport) report = NULL;
  g_autoptr(GString) binary = g_string_new ("user_id,item_id,timestamp\n");
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);
  g_autofree char *path = NULL;
  CsImportReject *reject;

  /* Ragged rows and a quote never closed, which takes the rest of the file
   * into its record: line 2 imports; 3 is short, 4 long; 5 opens a quote
   * that runs to the end (lines 5-6 are one bad record). */
  path = write_file (fixture, "ragged.csv",
                     "user_id,item_id,timestamp\n"
                     "u1,c1,100\n"
                     "u2,c1\n"
                     "u3,c1,100,extra\n"
                     "u4,\"c1,100\n"
                     "u5,c1,100\n");
  report = import_file (fixture, path, NULL);
  g_assert_cmpint (report->rows_read, ==, 4);
  g_assert_cmpint (report->rows_imported, ==, 1);
  g_assert_cmpint (report->rows_rejected, ==, 3);
  reject = g_ptr_array_index (report->rejects, 0);
  g_assert_cmpstr (reject->reason, ==, "the row has 2 values but the header has 3 columns");
  reject = g_ptr_array_index (report->rejects, 1);
  g_assert_cmpstr (reject->reason, ==, "the row has 4 values but the header has 3 columns");
  reject = g_ptr_array_index (report->rejects, 2);
  g_assert_cmpint (reject->line, ==, 5);
  g_assert_nonnull (strstr (reject->reason, "line 5"));
  g_clear_pointer (&report, cs_import_report_free);
  g_clear_pointer (&path, g_free);

  /* A binary file after a good header: bytes that are never UTF-8 (and
   * NULs): refused as a whole, nothing is imported. */
  for (guint i = 0; i < 64 * 1024; i++)
    {
      guint r = g_rand_int_range (rand, 0, 130);

      g_string_append_c (binary, r < 2 ? (r == 0 ? '\n' : '\0') : (char) (0x80 + r - 2));
    }
  path = g_build_filename (fixture->dir, "binary.csv", NULL);
  g_assert_true (g_file_set_contents (path, binary->str, binary->len, NULL));
  report = cs_event_import_run (fixture->store, path, NULL, NULL, NULL, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "binary data"));
  g_clear_error (&error);
  assert_unchanged (fixture, 1, 1);
}

/* Appends rows to the file while it is being read. */
static void
append_on_progress (double      fraction,
                    const char *message,
                    gpointer    user_data)
{
  const char *path = user_data;
  FILE *file;

  if (fraction <= 0 || fraction >= 1.0)
    return;
  file = fopen (path, "a");
  g_assert_nonnull (file);
  fputs ("late\tc1\t1590969240\n", file);
  g_assert_cmpint (fclose (file), ==, 0);
}

static void
test_file_changes (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = write_big_log (fixture, 100000);
  g_autoptr(GError) error = NULL;
  g_autoptr(CsImportReport) report = NULL;

  report = cs_event_import_run (fixture->store, path, NULL, append_on_progress, path, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "changed while it was being read"));
  assert_unchanged (fixture, 0, 0);
  g_clear_error (&error);

  /* Once the file stays still, it imports: the rows and the ones added. */
  report = cs_event_import_run (fixture->store, path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (report->rows_read, >, 100000);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events"), ==, report->rows_imported);
  /* The appended rows are all the same event. */
  g_assert_cmpint (report->rows_imported, ==, 100001);
  g_assert_cmpint (report->rows_duplicate, ==, report->rows_read - 100001);
}

static void
cancel_at_message (double      fraction,
                   const char *message,
                   gpointer    user_data)
{
  ProgressData *progress = user_data;

  progress->n_calls++;
  if (g_str_has_prefix (message, progress->message))
    g_cancellable_cancel (progress->cancellable);
}

/* A cancel while rows are read, and one while the indexes are rebuilt,
 * leave the project file as it was, to the byte. */
static void
test_cancel_byte_identical (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *small = write_file (fixture, "small.csv",
                                       "user_id,item_id,timestamp\nu1,c1,100\nu2,c2,200\n");
  g_autofree char *big = write_big_log (fixture, 60000);
  g_autoptr(CsImportReport) first = import_file (fixture, small, NULL);
  const char *stages[] = { "Read ", "Indexing" };

  for (guint i = 0; i < G_N_ELEMENTS (stages); i++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      ProgressData progress = { cancellable, 0, 0, (char *) stages[i] };
      g_autofree char *before = project_checksum (fixture);
      g_autofree char *after = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(CsImportReport) report = NULL;

      report = cs_event_import_run (fixture->store, big, NULL, cancel_at_message, &progress,
                                    cancellable, &error);
      g_assert_null (report);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_true (g_cancellable_is_cancelled (cancellable));
      after = project_checksum (fixture);
      g_assert_cmpstr (before, ==, after);
      assert_unchanged (fixture, 2, 1);
      assert_integrity (fixture);
    }
}

static void
signal_on_progress (double      fraction,
                    const char *message,
                    gpointer    user_data)
{
  int fd = GPOINTER_TO_INT (user_data);
  static gboolean sent = FALSE;

  /* Halfway through the rows: plenty written into the transaction. */
  if (!sent && fraction >= 0.5)
    {
      sent = TRUE;
      g_assert_cmpint (write (fd, "x", 1), ==, 1);
    }
}

/* A process killed in the middle of an import (SIGKILL: no cleanup at all)
 * leaves the project as it was, to the byte. */
static void
test_killed (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *small = write_file (fixture, "small.csv",
                                       "user_id,item_id,timestamp\nu1,c1,100\nu2,c2,200\n");
  g_autofree char *big = write_big_log (fixture, 200000);
  g_autoptr(CsImportReport) first = import_file (fixture, small, NULL);
  g_autofree char *before = project_checksum (fixture);
  g_autofree char *after = NULL;
  char byte;
  int fds[2];
  int status;
  pid_t pid;

  g_assert_cmpint (pipe (fds), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      g_autoptr(CsStore) store = cs_store_open (cs_store_get_path (fixture->store),
                                                CS_STORE_OPEN_EXISTING, NULL);
      g_autoptr(CsImportReport) report = NULL;

      close (fds[0]);
      report = cs_event_import_run (store, big, NULL, signal_on_progress,
                                    GINT_TO_POINTER (fds[1]), NULL, NULL);
      _exit (report != NULL ? 3 : 4);  /* not reached: killed before */
    }
  close (fds[1]);
  g_assert_cmpint (read (fds[0], &byte, 1), ==, 1);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  close (fds[0]);

  after = project_checksum (fixture);
  g_assert_cmpstr (before, ==, after);
  assert_unchanged (fixture, 2, 1);
  assert_integrity (fixture);
}

static void
test_disk_full (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *small = write_file (fixture, "small.csv",
                                       "user_id,item_id,timestamp\nu1,c1,100\n");
  g_autofree char *big = write_big_log (fixture, 50000);
  g_autoptr(CsImportReport) first = import_file (fixture, small, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CsImportReport) report = NULL;
  g_autofree char *limit = NULL;
  g_autofree char *before = project_checksum (fixture);
  g_autofree char *after = NULL;

  /* Room for a few pages only: as if the disk were full. */
  limit = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT,
                           count (fixture, "PRAGMA page_count") + 8);
  g_assert_true (cs_store_exec (fixture->store, limit, &error));

  report = cs_event_import_run (fixture->store, big, NULL, NULL, NULL, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_FULL);
  g_clear_error (&error);
  after = project_checksum (fixture);
  g_assert_cmpstr (before, ==, after);
  assert_unchanged (fixture, 1, 1);

  /* With room again, the same store imports the file. */
  g_assert_true (cs_store_exec (fixture->store, "PRAGMA max_page_count = 1000000000", &error));
  report = import_file (fixture, big, NULL);
  g_assert_cmpint (report->rows_imported, ==, 50000);
  assert_integrity (fixture);
}

/* 2 GiB of NUL bytes after a header, as a sparse file (no disk space): the
 * reader sees binary data in its first block and says so, memory stays
 * bounded and nothing is imported. */
static void
test_huge_file (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CsImportReport) report = NULL;
  struct rusage usage;
  int fd;

  /* In a process of its own: the peak memory is a process-wide high-water
   * mark, and the other tests of this binary must not count. */
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  path = write_file (fixture, "huge.csv", "user_id,item_id,timestamp\n");
  fd = g_open (path, O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, G_GINT64_CONSTANT (2) << 30), ==, 0);
  g_assert_cmpint (close (fd), ==, 0);

  report = cs_event_import_run (fixture->store, path, NULL, NULL, NULL, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "binary data"));
  assert_unchanged (fixture, 0, 0);

  /* The reader holds at most a record of twice the 64 MiB field limit.
   * AddressSanitizer's allocator keeps freed memory in quarantine and adds
   * its own: the bound holds for the build users run, checked in CI's
   * first pass. */
  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
#if defined(__SANITIZE_ADDRESS__)
  g_test_message ("peak RSS %ld KiB (not checked under AddressSanitizer)", usage.ru_maxrss);
#else
  g_assert_cmpint (usage.ru_maxrss, <, 300 * 1024);
#endif
}

/* The same log as UTF-16 (Excel's "Unicode Text", tab-separated), as
 * GB18030 with a Chinese header, and as JSON Lines: the same events. */
static void
test_formats_and_encodings (Fixture       *fixture,
                            gconstpointer  data)
{
  static const char tsv[] =
    "用户ID\t作品ID\t时间\t观看时长\n"
    "u1\tc1\t2024-03-01 10:00:00\t12\n"
    "u2\tc1\t20240302\t3\n"
    "u1\tc2\t1709467200\t40\n";
  static const char jsonl[] =
    "{\"user_id\": \"u3\", \"item_id\": \"c3\", \"timestamp\": 1709467300, \"watch_time\": 5}\n"
    "{\"user_id\": \"u3\", \"item_id\": \"c1\", \"timestamp\": \"2024-03-03T12:00:00Z\", \"watch_time\": 7}\n";
  const char *encodings[] = { "UTF-16", "GB18030" };
  g_autofree char *json_path = write_file (fixture, "log.jsonl", jsonl);
  g_autoptr(CsImportReport) json_report = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (encodings); i++)
    {
      g_autofree char *name = g_strdup_printf ("log-%s.txt", encodings[i]);
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_autofree char *converted = NULL;
      g_autoptr(CsImportReport) report = NULL;
      g_autoptr(GError) error = NULL;
      gsize length;

      converted = g_convert (tsv, -1, encodings[i], "UTF-8", NULL, &length, &error);
      g_assert_no_error (error);
      g_assert_true (g_file_set_contents (path, converted, length, NULL));
      report = import_file (fixture, path, NULL);
      /* The second file repeats the first: its three rows are duplicates. */
      g_assert_cmpint (report->rows_read, ==, 3);
      g_assert_cmpint (report->rows_imported, ==, i == 0 ? 3 : 0);
      g_assert_cmpint (report->rows_duplicate, ==, i == 0 ? 0 : 3);
      g_assert_true (g_str_has_prefix (report->encoding, encodings[i]));
    }
  g_assert_cmpint (cs_store_query_int (fixture->store, "SELECT count(*) FROM events", -1), ==, 3);
  /* 2024-03-01 10:00 UTC, 2024-03-02 (a compact date), 1709467200
   * (`date -u -d @1709467200` = 2024-03-03 12:00): */
  g_assert_cmpint (cs_store_query_int (fixture->store, "SELECT sum(time) FROM events", -1), ==,
                   G_GINT64_CONSTANT (1709287200) + G_GINT64_CONSTANT (1709337600) + G_GINT64_CONSTANT (1709467200));

  json_report = import_file (fixture, json_path, NULL);
  g_assert_cmpint (json_report->rows_imported, ==, 2);
  g_assert_cmpint (cs_store_query_int (fixture->store, "SELECT sum(watch_ms) FROM events", -1), ==,
                   (12 + 3 + 40 + 5 + 7) * 1000);
}

static void
test_parse_time (void)
{
  struct { const char *text; gint64 expected; } good[] = {
    { "1590969240", T_2020_05_31_2354 },
    { " 1590969240 ", T_2020_05_31_2354 },
    { "1590969240.9", T_2020_05_31_2354 },
    { "1590969240000", T_2020_05_31_2354 },      /* milliseconds */
    { "1590969240999", T_2020_05_31_2354 },
    { "1.59096924E9", T_2020_05_31_2354 },
    { "0", 0 },
    { "-86400", -86400 },
    { "100000000001", 100000000 },               /* above 1e11: ms */
    { "2020-05-31T23:54:00Z", T_2020_05_31_2354 },
    { "2020-05-31T23:54:00", T_2020_05_31_2354 },
    { "2020-05-31 23:54:00", T_2020_05_31_2354 },
    { "2020-05-31 23:54", T_2020_05_31_2354 },
    { "2020-05-31T23:54:00.123Z", T_2020_05_31_2354 },
    { "2020-06-01T07:54:00+08:00", T_2020_05_31_2354 },
    { "2020-06-01 07:54:00 +0800", T_2020_05_31_2354 },
    { "2020-05-31T18:54:00-05", T_2020_05_31_2354 },
    { "2020/05/31 23:54:00", T_2020_05_31_2354 },
    { "2020-5-31 23:54:00 UTC", T_2020_05_31_2354 },
    { "2020-05-31", T_2020_05_31 },
    { "1970-01-01T00:00:00Z", 0 },
    { "2000-03-01", 951868800 },                 /* 2000 is a leap year */
    { "1969-12-31T23:59:59Z", -1 },
    /* Compact dates are dates, not Unix seconds (`date -u -d 2020-05-31 +%s`). */
    { "20200531", 1590883200 },
    { "202005312354", 1590969240 },
  };
  const char *bad[] = {
    "", "12abc", "yesterday", "0x10", "inf", "nan", "1,590,969,240",
    "2020-02-30", "2019-02-29", "2020-13-01", "2020-05-31T24:00:00",
    "2020-05-31T23:60", "2020-05-31T23:54:00+25:00", "2020-05-31 23",
    "2020-05-31T23:54:00Zjunk", "31/05/2020", "1e300",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      gint64 value = G_MININT64;

      if (!cs_import_parse_time (good[i].text, &value))
        g_error ("“%s” was not read as a time", good[i].text);
      g_assert_cmpint (value, ==, good[i].expected);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    if (cs_import_parse_time (bad[i], NULL))
      g_error ("“%s” was read as a time", bad[i]);
}

static void
test_mapping_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) mapping = NULL;
  const char *bad[] = { "user=uid", "viewer", "viewer=a,viewer=b" };

  mapping = cs_event_mapping_parse ("viewer=uid, clip = 作品ID ,value=,", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (mapping), ==, 3);
  g_assert_cmpstr (g_hash_table_lookup (mapping, "viewer"), ==, "uid");
  g_assert_cmpstr (g_hash_table_lookup (mapping, "clip"), ==, "作品ID");
  g_assert_cmpstr (g_hash_table_lookup (mapping, "value"), ==, "");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GHashTable) none = cs_event_mapping_parse (bad[i], &error);

      g_assert_null (none);
      g_assert_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FAILED);
      g_clear_error (&error);
    }
}

static void
test_guess (void)
{
  const char *chinese[] = { "用户ID", "作品ID", "观看时间", "行为", "观看时长", "评论内容",
                            NULL };
  const char *english[] = { " User ID ", "Video-ID", "Event_Time", "Behavior", "Play_Duration",
                            "Score", NULL };
  /* The earlier synonym wins, whatever the column order. */
  const char *order[] = { "user", "time", "item", "timestamp", "user_id", "type", NULL };
  const char *none[] = { "a", "b", NULL };
  g_autoptr(GHashTable) guess = NULL;

  guess = cs_event_mapping_guess (chinese);
  g_assert_cmpuint (g_hash_table_size (guess), ==, 6);
  g_assert_cmpstr (g_hash_table_lookup (guess, "viewer"), ==, "用户ID");
  g_assert_cmpstr (g_hash_table_lookup (guess, "clip"), ==, "作品ID");
  g_assert_cmpstr (g_hash_table_lookup (guess, "time"), ==, "观看时间");
  g_assert_cmpstr (g_hash_table_lookup (guess, "event"), ==, "行为");
  g_assert_cmpstr (g_hash_table_lookup (guess, "watch_time"), ==, "观看时长");
  g_assert_cmpstr (g_hash_table_lookup (guess, "text"), ==, "评论内容");
  g_clear_pointer (&guess, g_hash_table_unref);

  guess = cs_event_mapping_guess (english);
  g_assert_cmpuint (g_hash_table_size (guess), ==, 6);
  g_assert_cmpstr (g_hash_table_lookup (guess, "viewer"), ==, "User ID");
  g_assert_cmpstr (g_hash_table_lookup (guess, "clip"), ==, "Video-ID");
  g_assert_cmpstr (g_hash_table_lookup (guess, "time"), ==, "Event_Time");
  g_assert_cmpstr (g_hash_table_lookup (guess, "event"), ==, "Behavior");
  g_assert_cmpstr (g_hash_table_lookup (guess, "watch_time"), ==, "Play_Duration");
  g_assert_cmpstr (g_hash_table_lookup (guess, "value"), ==, "Score");
  g_clear_pointer (&guess, g_hash_table_unref);

  guess = cs_event_mapping_guess (order);
  g_assert_cmpstr (g_hash_table_lookup (guess, "viewer"), ==, "user_id");
  g_assert_cmpstr (g_hash_table_lookup (guess, "clip"), ==, "item");
  g_assert_cmpstr (g_hash_table_lookup (guess, "time"), ==, "timestamp");
  g_assert_cmpstr (g_hash_table_lookup (guess, "event"), ==, "type");
  g_clear_pointer (&guess, g_hash_table_unref);

  guess = cs_event_mapping_guess (none);
  g_assert_cmpuint (g_hash_table_size (guess), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/engine/event-import/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("tiny", test_tiny);
  ADD ("twice", test_twice);
  ADD ("recbole", test_recbole);
  ADD ("bad-rows", test_bad_rows);
  ADD ("invalid-utf8", test_invalid_utf8);
  ADD ("missing-column", test_missing_column);
  ADD ("mapping-override", test_mapping_override);
  ADD ("headerless", test_headerless);
  ADD ("empty", test_empty);
  ADD ("missing-file", test_missing_file);
  ADD ("all-rejected", test_all_rejected);
  ADD ("read-only-project", test_read_only_project);
  ADD ("cancel", test_cancel);
  ADD ("many-rejects", test_many_rejects);
  ADD ("json", test_json);
  ADD ("formats-and-encodings", test_formats_and_encodings);
  ADD ("ml100k", test_ml100k);
  ADD ("tiktok", test_tiktok);
  g_test_add ("/engine/event-import/duplicates/new-project", Fixture, GUINT_TO_POINTER (0),
              fixture_setup, test_duplicates, fixture_teardown);
  g_test_add ("/engine/event-import/duplicates/sorted", Fixture, NULL,
              fixture_setup, test_duplicates_sorted, fixture_teardown);
  g_test_add ("/engine/event-import/duplicates/5000-events", Fixture, GUINT_TO_POINTER (5000),
              fixture_setup, test_duplicates, fixture_teardown);
  g_test_add ("/engine/event-import/duplicates/12000-events", Fixture, GUINT_TO_POINTER (12000),
              fixture_setup, test_duplicates, fixture_teardown);
  ADD ("rollback", test_rollback);
  ADD ("pseudonymise", test_pseudonymise);
  ADD ("pseudonym-key-made", test_pseudonym_key_made);
  ADD ("hostile-files", test_hostile_files);
  ADD ("file-changes", test_file_changes);
  ADD ("cancel-byte-identical", test_cancel_byte_identical);
  ADD ("killed", test_killed);
  ADD ("disk-full", test_disk_full);
  ADD ("huge-file", test_huge_file);
#undef ADD

  g_test_add_func ("/engine/event-import/parse-time", test_parse_time);
  g_test_add_func ("/engine/event-import/mapping-parse", test_mapping_parse);
  g_test_add_func ("/engine/event-import/guess", test_guess);

  return g_test_run ();
}
