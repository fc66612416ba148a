/* test-demo.c: the simulated demo project (docs/DEMO.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <string.h>

#include "clipscope-engine.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("clipscope-demo-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "Demo.clipscope", NULL);
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    {
      g_remove (path);
    }
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static guint
count_entries (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
small_options (CsDemoOptions *options,
               guint64        seed,
               guint          viewers,
               guint          clips)
{
  cs_demo_options_init (options);
  options->seed = seed;
  options->n_viewers = viewers;
  options->n_clips = clips;
  options->render_media = FALSE;
}

static CsStore *
create (const char          *path,
        const CsDemoOptions *options,
        CsDemoSummary       *summary)
{
  g_autoptr(GError) error = NULL;
  CsStore *store;

  g_assert_true (cs_demo_create_full (path, options, summary, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  store = cs_store_open (path, CS_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  return store;
}

static gint64
query_int (CsStore    *store,
           const char *sql)
{
  gint64 value = cs_store_query_int (store, sql, G_MININT64);

  if (value == G_MININT64)
    g_error ("query failed: %s: %s", sql, sqlite3_errmsg (cs_store_get_db (store)));
  return value;
}

static double
query_double (CsStore    *store,
              const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  double value;

  g_assert_cmpint (sqlite3_prepare_v2 (cs_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_double (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* SHA-256 over every column of every row of a query, as text. */
static char *
checksum_query (CsStore    *store,
                const char *sql)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (cs_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i);

          g_checksum_update (checksum, (const guchar *) (text ? text : "\x01NULL"), -1);
          g_checksum_update (checksum, (const guchar *) "\x1f", 1);
        }
      g_checksum_update (checksum, (const guchar *) "\x1e", 1);
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  return g_strdup (g_checksum_get_string (checksum));
}

#define EVENTS_SQL "SELECT id, import_id, viewer_id, clip_id, time, kind, watch_ms, value, text FROM events ORDER BY id"
#define CLIPS_SQL "SELECT id, external_id, title, caption, hashtags, path, content_hash, duration_ms," \
                  " width, height, fps, video_codec, audio_codec, has_audio, posted_at, simulated, attrs" \
                  " FROM clips ORDER BY id"
#define VIEWERS_SQL "SELECT * FROM viewers ORDER BY id"

/* ---------------------------------------------------------------------- */

static void
test_defaults (void)
{
  CsDemoOptions options;
  g_autofree char *path = cs_demo_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "clipscope", "Demo.clipscope", NULL);
  g_autofree char *folder = cs_demo_clips_folder ("/a/b/Shop.clipscope");
  g_autofree char *folder2 = cs_demo_clips_folder ("/a/b/shop.db");

  cs_demo_options_init (&options);
  g_assert_cmpuint (options.n_viewers, ==, 400);
  g_assert_cmpuint (options.n_clips, ==, 36);
  g_assert_cmpuint (options.n_days, ==, 42);
  g_assert_cmpuint (options.n_events, ==, 0);
  g_assert_true (options.render_media);

  g_assert_cmpstr (path, ==, expected);
  g_assert_cmpstr (folder, ==, "/a/b/Shop-clips");
  g_assert_cmpstr (folder2, ==, "/a/b/shop.db-clips");
}

static void
test_deterministic (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path_a = g_build_filename (fixture->dir, "a.clipscope", NULL);
  g_autofree char *path_b = g_build_filename (fixture->dir, "b.clipscope", NULL);
  g_autofree char *path_c = g_build_filename (fixture->dir, "c.clipscope", NULL);
  g_autoptr(CsStore) a = NULL;
  g_autoptr(CsStore) b = NULL;
  g_autoptr(CsStore) c = NULL;
  g_autofree char *events_a = NULL, *events_b = NULL, *events_c = NULL;
  g_autofree char *clips_a = NULL, *clips_b = NULL, *clips_c = NULL;
  g_autofree char *viewers_a = NULL, *viewers_b = NULL;
  CsDemoOptions options;

  small_options (&options, 7, 300, 16);
  a = create (path_a, &options, NULL);
  b = create (path_b, &options, NULL);
  options.seed = 8;
  c = create (path_c, &options, NULL);

  events_a = checksum_query (a, EVENTS_SQL);
  events_b = checksum_query (b, EVENTS_SQL);
  events_c = checksum_query (c, EVENTS_SQL);
  g_assert_cmpstr (events_a, ==, events_b);
  g_assert_cmpstr (events_a, !=, events_c);

  clips_a = checksum_query (a, CLIPS_SQL);
  clips_b = checksum_query (b, CLIPS_SQL);
  clips_c = checksum_query (c, CLIPS_SQL);
  g_assert_cmpstr (clips_a, ==, clips_b);
  g_assert_cmpstr (clips_a, !=, clips_c);

  viewers_a = checksum_query (a, VIEWERS_SQL);
  viewers_b = checksum_query (b, VIEWERS_SQL);
  g_assert_cmpstr (viewers_a, ==, viewers_b);

  g_assert_cmpint (query_int (a, "SELECT count(*) FROM events"), >, 500);
}

static void
test_simulated (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CsStore) store = NULL;
  g_autofree char *simulated = NULL;
  CsDemoOptions options;
  CsDemoSummary summary;
  gint64 end;

  small_options (&options, 3, 250, 12);
  options.n_days = 21;
  store = create (fixture->path, &options, &summary);

  simulated = cs_store_get_setting (store, "simulated");
  g_assert_cmpstr (simulated, ==, "1");
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM clips"), ==, 12);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM viewers"), ==, 250);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM clips WHERE simulated != 1"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM viewers WHERE simulated != 1"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM viewers WHERE external_id NOT GLOB 'viewer-[0-9][0-9][0-9][0-9]'"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM imports WHERE kind = 'demo' AND source = 'simulated'"), ==, 1);
  g_assert_cmpint (query_int (store, "SELECT rows_imported FROM imports"), ==, query_int (store, "SELECT count(*) FROM events"));

  /* The summary tells what was written. */
  g_assert_cmpuint (summary.n_clips, ==, 12);
  g_assert_cmpuint (summary.n_viewers, ==, 250);
  g_assert_false (summary.media);
  g_assert_cmpint (summary.n_events, ==, query_int (store, "SELECT count(*) FROM events"));
  g_assert_cmpint (summary.n_by_kind[CS_EVENT_VIEW], ==, query_int (store, "SELECT count(*) FROM events WHERE kind = 1"));
  g_assert_cmpint (summary.n_by_kind[CS_EVENT_LIKE], ==, query_int (store, "SELECT count(*) FROM events WHERE kind = 2"));
  g_assert_cmpint (summary.n_by_kind[CS_EVENT_FOLLOW], ==, query_int (store, "SELECT count(*) FROM events WHERE kind = 5"));

  /* A sound file: integrity, references, WAL like every project. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check != 'ok'"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM pragma_index_list('events')"), ==, 3);
  g_assert_cmpint (query_int (store, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), ==, 1);

  /* No media: metadata only. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM clips WHERE path IS NOT NULL OR content_hash IS NOT NULL OR video_codec IS NOT NULL"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM clips WHERE duration_ms BETWEEN 4000 AND 8000 AND fps = 25"
                                     " AND ((width = 270 AND height = 480) OR (width = 480 AND height = 270))"), ==, 12);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM clips WHERE json_extract(attrs, '$.simulated') = 1"
                                     " AND json_extract(attrs, '$.category') IN ('bakery', 'tea', 'fashion', 'studio')"
                                     " AND json_extract(attrs, '$.quality') IS NOT NULL"
                                     " AND length(hashtags) > 0 AND hashtags NOT LIKE '%#%'"), ==, 12);
  g_assert_cmpint (query_int (store, "SELECT count(DISTINCT json_extract(attrs, '$.category')) FROM clips"), ==, 4);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM viewers WHERE json_extract(attrs, '$.taste.tea') IS NOT NULL"), ==, 250);

  /* Every kind of event, each after its clip was posted and within the
   * period; reactions come after a view of the same clip by the same viewer. */
  for (int kind = CS_EVENT_VIEW; kind <= CS_EVENT_FOLLOW; kind++)
    g_assert_cmpuint (summary.n_by_kind[kind], >, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM events WHERE kind NOT BETWEEN 1 AND 5"), ==, 0);
  end = 1788220800 + 21 * 86400;
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM events e JOIN clips c ON c.id = e.clip_id"
                                            " WHERE e.time < c.posted_at OR e.time >= %" G_GINT64_FORMAT,
                                            end + 3600);
    g_assert_cmpint (query_int (store, sql), ==, 0);
  }
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM events r WHERE kind IN (2, 3, 4, 5) AND NOT EXISTS"
                                     " (SELECT 1 FROM events v WHERE v.kind = 1 AND v.viewer_id = r.viewer_id"
                                     "  AND v.clip_id = r.clip_id AND v.time <= r.time)"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM events WHERE (kind = 1) != (watch_ms IS NOT NULL)"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM events WHERE (kind = 3) != (text IS NOT NULL)"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT max(n) FROM (SELECT count(*) n FROM events WHERE kind = 2 GROUP BY viewer_id, clip_id)"), ==, 1);
  g_assert_cmpint (query_int (store, "SELECT max(n) FROM (SELECT count(*) n FROM events WHERE kind = 5 GROUP BY viewer_id)"), ==, 1);
  /* Nobody who followed before the period follows again. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM events e JOIN viewers v ON v.id = e.viewer_id"
                                     " WHERE e.kind = 5 AND json_extract(v.attrs, '$.follows_at_start')"), ==, 0);
}

/* Effects the model promises (docs/DEMO.md), on a mid-sized project. */
static void
test_model (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(CsStore) store = NULL;
  CsDemoOptions options;
  double prime, off, fav, other, vertical, landscape, sound, silent;
  double tea, studio;
  gint64 views;

  small_options (&options, 11, 1500, 96);
  store = create (fixture->path, &options, NULL);

  g_assert_true (cs_store_exec (store, "CREATE TEMP VIEW v AS"
                                     " SELECT e.*, 1.0 * e.watch_ms / c.duration_ms AS ratio,"
                                     "  json_extract(c.attrs, '$.post_hour') AS hour,"
                                     "  json_extract(c.attrs, '$.category') AS category,"
                                     "  json_extract(c.attrs, '$.orientation') AS orientation,"
                                     "  json_extract(c.attrs, '$.sound') AS sound"
                                     " FROM events e JOIN clips c ON c.id = e.clip_id WHERE e.kind = 1", NULL));

  views = query_int (store, "SELECT count(*) FROM v");
  g_assert_cmpint (views, >, 20000);

  /* Posting time: clips posted just before the evening crowd (17–19 h)
   * reach more viewers and are watched longer. Watch ratios are compared
   * within each category, so that the mix of categories does not matter. */
  prime = query_double (store, "SELECT 1.0 * count(*) / count(DISTINCT clip_id) FROM v WHERE hour BETWEEN 17 AND 19");
  off = query_double (store, "SELECT 1.0 * count(*) / count(DISTINCT clip_id) FROM v WHERE hour NOT BETWEEN 17 AND 19");
  g_test_message ("views per clip: posted 17-19 h %.1f, other hours %.1f", prime, off);
  g_assert_cmpfloat (prime, >, 1.2 * off);
  prime = query_double (store, "SELECT avg(r) FROM (SELECT category, avg(ratio) r FROM v WHERE hour BETWEEN 17 AND 19 GROUP BY category)");
  off = query_double (store, "SELECT avg(r) FROM (SELECT category, avg(ratio) r FROM v WHERE hour NOT BETWEEN 17 AND 19 GROUP BY category)");
  g_test_message ("watch ratio: posted 17-19 h %.3f, other hours %.3f", prime, off);
  g_assert_cmpfloat (prime, >, 1.1 * off);

  /* Taste: viewers like clips of their favourite category far more often. */
  fav = query_double (store, "SELECT 1.0 * sum(e.kind = 2) / sum(e.kind = 1) FROM events e"
                             " JOIN clips c ON c.id = e.clip_id JOIN viewers w ON w.id = e.viewer_id"
                             " WHERE json_extract(c.attrs, '$.category') = json_extract(w.attrs, '$.favorite')");
  other = query_double (store, "SELECT 1.0 * sum(e.kind = 2) / sum(e.kind = 1) FROM events e"
                               " JOIN clips c ON c.id = e.clip_id JOIN viewers w ON w.id = e.viewer_id"
                               " WHERE json_extract(c.attrs, '$.category') != json_extract(w.attrs, '$.favorite')");
  g_test_message ("likes per view: favourite category %.3f, others %.3f", fav, other);
  g_assert_cmpfloat (fav, >, 1.5 * other);

  /* Content: vertical and sound hold attention (within categories). */
  vertical = query_double (store, "SELECT avg(r) FROM (SELECT avg(ratio) r FROM v WHERE orientation = 'vertical' GROUP BY category)");
  landscape = query_double (store, "SELECT avg(r) FROM (SELECT avg(ratio) r FROM v WHERE orientation = 'landscape' GROUP BY category)");
  sound = query_double (store, "SELECT avg(r) FROM (SELECT avg(ratio) r FROM v WHERE sound GROUP BY category)");
  silent = query_double (store, "SELECT avg(r) FROM (SELECT avg(ratio) r FROM v WHERE NOT sound GROUP BY category)");
  g_test_message ("watch ratio: vertical %.3f landscape %.3f, sound %.3f silent %.3f", vertical, landscape, sound, silent);
  g_assert_cmpfloat (vertical, >, landscape);
  g_assert_cmpfloat (sound, >, silent);

  /* The audience prefers tea to behind-the-scenes clips. */
  tea = query_double (store, "SELECT 1.0 * count(*) / count(DISTINCT clip_id) FROM v WHERE category = 'tea'");
  studio = query_double (store, "SELECT 1.0 * count(*) / count(DISTINCT clip_id) FROM v WHERE category = 'studio'");
  g_assert_cmpfloat (tea, >, studio);

  /* Watch times: rewatches above 1× exist, capped at 3×, never below 0.2 s. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM v WHERE ratio > 1.0"), >, views / 50);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM v WHERE ratio > 3.001 OR watch_ms < 200"), ==, 0);
  g_assert_cmpfloat (query_double (store, "SELECT avg(ratio) FROM v"), >, 0.4);
  g_assert_cmpfloat (query_double (store, "SELECT avg(ratio) FROM v"), <, 0.9);

  /* Comments speak both languages. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM events WHERE kind = 3 AND text GLOB '*[a-z]*'"), >, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM events WHERE kind = 3 AND unicode(text) > 0x3000"), >, 0);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM clips WHERE unicode(caption) > 0x3000"), >, 0);
}

static void
check_target (const char *path,
              guint       viewers,
              guint       clips,
              guint64     target)
{
  g_autoptr(CsStore) store = NULL;
  CsDemoOptions options;
  gint64 views;

  small_options (&options, 5, viewers, clips);
  options.n_events = target;
  store = create (path, &options, NULL);
  views = query_int (store, "SELECT count(*) FROM events WHERE kind = 1");
  g_test_message ("target %" G_GUINT64_FORMAT " views, got %" G_GINT64_FORMAT, target, views);
  g_assert_cmpfloat (views, >=, 0.9 * target);
  g_assert_cmpfloat (views, <=, 1.1 * target);
}

static void
test_n_events (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *a = g_build_filename (fixture->dir, "a.clipscope", NULL);
  g_autofree char *b = g_build_filename (fixture->dir, "b.clipscope", NULL);
  g_autofree char *c = g_build_filename (fixture->dir, "c.clipscope", NULL);

  /* Fewer views than the model gives, more, and far more than viewers ×
   * clips (viewers then see clips again). */
  check_target (a, 2000, 40, 3000);
  check_target (b, 2000, 40, 60000);
  check_target (c, 50, 10, 4000);
}

static void
test_exists (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  CsDemoOptions options;

  small_options (&options, 1, 10, 2);
  g_assert_true (g_file_set_contents (fixture->path, "precious", -1, NULL));
  g_assert_false (cs_demo_create (fixture->path, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_true (g_file_get_contents (fixture->path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "precious");
  g_assert_cmpuint (count_entries (fixture->dir), ==, 1);
}

static void
test_invalid (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CsDemoOptions options;

  small_options (&options, 1, 0, 2);
  g_assert_false (cs_demo_create (fixture->path, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM);
  g_assert_cmpuint (count_entries (fixture->dir), ==, 0);
}

static void
test_render (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(CsStore) store = NULL;
  g_autoptr(GstDiscoverer) discoverer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = cs_demo_clips_folder (fixture->path);
  CsDemoOptions options;
  CsDemoSummary summary;
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  /* Seed 3 gives a landscape clip with sound and text, and a silent
   * vertical one without text (checked below). */
  small_options (&options, 3, 30, 2);
  options.render_media = TRUE;
  g_assert_true (cs_demo_create_full (fixture->path, &options, &summary, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (summary.media);

  /* The project and its clips folder, nothing else. */
  g_assert_cmpuint (count_entries (fixture->dir), ==, 2);
  g_assert_cmpuint (count_entries (folder), ==, 2);

  store = cs_store_open (fixture->path, CS_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, "SELECT count(DISTINCT width) FROM clips"), ==, 2);
  g_assert_cmpint (query_int (store, "SELECT sum(has_audio) FROM clips"), ==, 1);
  g_assert_cmpint (query_int (store, "SELECT sum(json_extract(attrs, '$.text')) FROM clips"), ==, 1);

  /* Each rendered clip was analysed as an import would: a thumbnail strip,
   * three covers and its content features, so the Clips page shows them. */
  g_assert_cmpint (query_int (store, "SELECT count(DISTINCT clip_id) FROM frames WHERE kind = 'thumbnail'"), ==, 2);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM frames WHERE kind = 'cover'"), ==, 6);
  g_assert_cmpint (query_int (store, "SELECT count(DISTINCT clip_id) FROM clip_features WHERE name = 'brightness'"), ==, 2);
  /* Only the clip with sound has a loudness. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM clip_features WHERE name = 'loudness_dbfs'"), ==, 1);

  discoverer = gst_discoverer_new (10 * GST_SECOND, &error);
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_prepare_v2 (cs_store_get_db (store),
                                       "SELECT path, content_hash, duration_ms, width, height, fps,"
                                       " video_codec, audio_codec, has_audio FROM clips ORDER BY id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *path = (const char *) sqlite3_column_text (stmt, 0);
      const char *hash = (const char *) sqlite3_column_text (stmt, 1);
      gint64 duration_ms = sqlite3_column_int64 (stmt, 2);
      int width = sqlite3_column_int (stmt, 3);
      int height = sqlite3_column_int (stmt, 4);
      const char *audio_codec = (const char *) sqlite3_column_text (stmt, 7);
      gboolean has_audio = sqlite3_column_int (stmt, 8);
      g_autofree char *uri = NULL;
      g_autofree char *contents = NULL;
      g_autofree char *file_hash = NULL;
      g_autofree char *dirname = NULL;
      g_autoptr(GstDiscovererInfo) info = NULL;
      GList *video, *audio;
      gsize length;
      gint64 discovered_ms;

      g_assert_nonnull (path);
      g_assert_true (g_path_is_absolute (path));
      dirname = g_path_get_dirname (path);
      g_assert_cmpstr (dirname, ==, folder);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 6), ==, "VP8");
      g_assert_cmpfloat (sqlite3_column_double (stmt, 5), ==, 25.0);
      g_assert_cmpstr (audio_codec, ==, has_audio ? "Vorbis" : NULL);

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_assert_cmpuint (length, >, 5000);
      file_hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
      g_assert_cmpstr (file_hash, ==, hash);

      uri = g_filename_to_uri (path, NULL, NULL);
      info = gst_discoverer_discover_uri (discoverer, uri, &error);
      g_assert_no_error (error);
      g_assert_cmpint (gst_discoverer_info_get_result (info), ==, GST_DISCOVERER_OK);
      discovered_ms = gst_discoverer_info_get_duration (info) / GST_MSECOND;
      g_test_message ("%s: %" G_GINT64_FORMAT " ms (expected %" G_GINT64_FORMAT "), %dx%d, audio %d, %" G_GSIZE_FORMAT " bytes",
                      path, discovered_ms, duration_ms, width, height, has_audio, length);
      g_assert_cmpint (ABS (discovered_ms - duration_ms), <=, 80);

      video = gst_discoverer_info_get_video_streams (info);
      audio = gst_discoverer_info_get_audio_streams (info);
      g_assert_cmpuint (g_list_length (video), ==, 1);
      g_assert_cmpuint (g_list_length (audio), ==, has_audio ? 1 : 0);
      g_assert_cmpuint (gst_discoverer_video_info_get_width (video->data), ==, width);
      g_assert_cmpuint (gst_discoverer_video_info_get_height (video->data), ==, height);
      gst_discoverer_stream_info_list_free (video);
      gst_discoverer_stream_info_list_free (audio);
      n++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (n, ==, 2);

  /* Rendering again gives the same files. */
  {
    g_autofree char *again = g_build_filename (fixture->dir, "Again.clipscope", NULL);
    g_autoptr(CsStore) store2 = create (again, &options, NULL);
    g_autofree char *hashes = checksum_query (store, "SELECT content_hash FROM clips ORDER BY id");
    g_autofree char *hashes2 = checksum_query (store2, "SELECT content_hash FROM clips ORDER BY id");

    g_assert_cmpstr (hashes, ==, hashes2);
  }
}

/* The path exists, but its clips folder does: refuse rather than mix. */
static void
test_folder_exists (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = cs_demo_clips_folder (fixture->path);
  CsDemoOptions options;

  small_options (&options, 1, 10, 2);
  options.render_media = TRUE;
  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  g_assert_false (cs_demo_create (fixture->path, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
}

typedef struct
{
  GCancellable *cancellable;
  const char   *when;        /* message prefix */
  double        after;       /* and fraction */
  gboolean      seen;
} CancelAt;

static void
cancel_at_cb (double      fraction,
              const char *message,
              gpointer    user_data)
{
  CancelAt *at = user_data;

  g_assert_cmpfloat (fraction, >=, 0.0);
  g_assert_cmpfloat (fraction, <=, 1.0);
  if (message != NULL && g_str_has_prefix (message, at->when) && fraction >= at->after)
    {
      at->seen = TRUE;
      g_cancellable_cancel (at->cancellable);
    }
}

static void
cancel_and_check (Fixture             *fixture,
                  const CsDemoOptions *options,
                  const char          *when,
                  double               after)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  CancelAt at = { cancellable, when, after, FALSE };

  g_assert_false (cs_demo_create (fixture->path, options, cancel_at_cb, &at, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (at.seen);
  /* Nothing left: no project, no -wal/-shm, no clips, no temporary files. */
  g_assert_cmpuint (count_entries (fixture->dir), ==, 0);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  CsDemoOptions options;

  small_options (&options, 9, 40, 3);
  options.render_media = TRUE;
  cancel_and_check (fixture, &options, "Rendering clip 1 of", 0);

  small_options (&options, 9, 2000, 40);
  cancel_and_check (fixture, &options, "Simulating viewers", 0.5);

  options.n_events = 20000;
  cancel_and_check (fixture, &options, "Calibrating", 0.1);

  /* Even after the last event: before the commit, and after it. */
  cancel_and_check (fixture, &options, "Saving the project", 0);
  cancel_and_check (fixture, &options, "Saving the project", 0.97);
}

typedef struct
{
  GCancellable *cancellable;
  gint64        cancelled_at;
} LateCancel;

static gpointer
cancel_later (gpointer user_data)
{
  LateCancel *late = user_data;

  g_usleep (300 * 1000);
  late->cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (late->cancellable);
  return NULL;
}

/* Cancel from another thread (as the app does) while clips render. */
static void
test_cancel_latency (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  LateCancel late = { cancellable, 0 };
  CsDemoOptions options;
  GThread *thread;
  double latency_ms;

  small_options (&options, 4, 20, 40);
  options.render_media = TRUE;
  thread = g_thread_new ("cancel", cancel_later, &late);
  g_assert_false (cs_demo_create (fixture->path, &options, NULL, NULL, cancellable, &error));
  latency_ms = (g_get_monotonic_time () - late.cancelled_at) / 1000.0;
  g_thread_join (thread);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_test_message ("cancelled after %.0f ms", latency_ms);
  /* 200 ms is the goal; sanitizers and busy machines get some slack. */
  g_assert_cmpfloat (latency_ms, <, 1000.0);
  g_assert_cmpuint (count_entries (fixture->dir), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gst_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/engine/demo/defaults", test_defaults);
  ADD ("/engine/demo/deterministic", test_deterministic);
  ADD ("/engine/demo/simulated", test_simulated);
  ADD ("/engine/demo/model", test_model);
  ADD ("/engine/demo/n-events", test_n_events);
  ADD ("/engine/demo/exists", test_exists);
  ADD ("/engine/demo/invalid", test_invalid);
  ADD ("/engine/demo/render", test_render);
  ADD ("/engine/demo/folder-exists", test_folder_exists);
  ADD ("/engine/demo/cancel", test_cancel);
  ADD ("/engine/demo/cancel-latency", test_cancel_latency);

  return g_test_run ();
}
