/* test-store.c: opening, creating, upgrading and refusing project files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "cs-error.h"
#include "cs-store-private.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("clipscope-store-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  GDir *dir;
  const char *name;

  _cs_store_set_migrations_for_testing (NULL, 0);
  _cs_store_set_busy_timeout_for_testing (-1);

  g_chmod (fixture->dir, 0700);
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
fixture_path (Fixture    *fixture,
              const char *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static void
assert_same_bytes (GBytes     *before,
                   const char *path)
{
  g_autoptr(GBytes) after = read_bytes (path);

  g_assert_cmpuint (g_bytes_get_size (after), ==, g_bytes_get_size (before));
  g_assert_true (g_bytes_equal (before, after));
}

static void
assert_no_side_files (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);

  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
}

/* A plain connection, to look at the file without CsStore's help. */
static sqlite3 *
raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  return db;
}

static void
raw_exec (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static gint64
raw_int (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
raw_text (sqlite3    *db,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static gint64
file_user_version (const char *path)
{
  sqlite3 *db = raw_open (path);
  gint64 version = raw_int (db, "PRAGMA user_version");

  sqlite3_close (db);
  return version;
}

static void
assert_integrity_ok (const char *path)
{
  sqlite3 *db = NULL;
  g_autofree char *result = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  result = raw_text (db, "PRAGMA integrity_check");
  g_assert_cmpstr (result, ==, "ok");
  sqlite3_close (db);
}

static void
store_exec (CsStore    *store,
            const char *sql)
{
  g_autoptr(GError) error = NULL;

  cs_store_exec (store, sql, &error);
  g_assert_no_error (error);
}

/* A closed project with a few rows, for the tests that reopen it. */
static void
make_project (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CsStore) store = cs_store_open (path, CS_STORE_CREATE, &error);

  g_assert_no_error (error);
  store_exec (store,
              "BEGIN;"
              "INSERT INTO clips (id, external_id, title) VALUES (1, 'c1', 'Croissant'), (2, 'c2', 'Baguette');"
              "INSERT INTO viewers (id, external_id) VALUES (1, 'v1');"
              "INSERT INTO events (viewer_id, clip_id, time, kind) VALUES (1, 1, 1700000000, 1), (1, 2, 1700000060, 2);"
              "COMMIT;");
}

static void
test_create_fresh (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "Bakery.clipscope");
  g_autoptr(GError) error = NULL;
  g_autoptr(CsStore) store = NULL;
  g_autofree char *app_id = NULL;
  g_autofree char *created_at = NULL;
  g_autofree char *journal_mode = NULL;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;
  gint64 after;
  sqlite3 *db;
  int rc;

  store = cs_store_open (path, CS_STORE_CREATE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  after = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_cmpint (cs_store_get_schema_version (store), ==, CS_STORE_SCHEMA_VERSION);
  g_assert_false (cs_store_is_read_only (store));
  g_assert_cmpstr (cs_store_get_path (store), ==, path);

  app_id = cs_store_get_setting (store, "app_id");
  g_assert_cmpstr (app_id, ==, "io.github.clipscope.Clipscope");
  created_at = cs_store_get_setting (store, "created_at");
  g_assert_nonnull (created_at);
  g_assert_cmpint (g_ascii_strtoll (created_at, NULL, 10), >=, before);
  g_assert_cmpint (g_ascii_strtoll (created_at, NULL, 10), <=, after);

  db = cs_store_get_db (store);
  journal_mode = raw_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (journal_mode, ==, "wal");
  g_assert_cmpint (raw_int (db, "PRAGMA foreign_keys"), ==, 1);

  /* An event for a viewer that does not exist is refused... */
  store_exec (store, "INSERT INTO clips (id, external_id) VALUES (1, 'c1')");
  rc = sqlite3_exec (db, "INSERT INTO events (viewer_id, clip_id, time, kind) VALUES (42, 1, 0, 1)",
                     NULL, NULL, NULL);
  g_assert_cmpint (rc & 0xff, ==, SQLITE_CONSTRAINT);
  /* ...and accepted once the viewer exists. */
  store_exec (store, "INSERT INTO viewers (id, external_id) VALUES (42, 'v42')");
  store_exec (store, "INSERT INTO events (viewer_id, clip_id, time, kind) VALUES (42, 1, 0, 1)");
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM events", -1), ==, 1);

  g_clear_object (&store);

  /* What another program sees in the file. */
  g_assert_cmpint (file_user_version (path), ==, CS_STORE_SCHEMA_VERSION);
  {
    sqlite3 *raw = raw_open (path);
    g_autofree char *mode = raw_text (raw, "PRAGMA journal_mode");

    g_assert_cmpstr (mode, ==, "wal");
    sqlite3_close (raw);
  }
  assert_integrity_ok (path);

  /* Reopening finds the rows again. */
  store = cs_store_open (path, CS_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM events", -1), ==, 1);
  g_assert_cmpint (cs_store_get_schema_version (store), ==, CS_STORE_SCHEMA_VERSION);
}

static void
test_missing (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "Gone.clipscope");
  g_autofree char *nested = fixture_path (fixture, "no-such-folder/New.clipscope");
  g_autoptr(GError) error = NULL;
  CsStore *store;

  store = cs_store_open (path, CS_STORE_OPEN_EXISTING, &error);
  g_assert_null (store);
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“Gone.clipscope”"));
  g_clear_error (&error);
  /* Opening is not creating. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  store = cs_store_open (path, CS_STORE_READ_ONLY | CS_STORE_CREATE, &error);
  g_assert_null (store);
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  store = cs_store_open (nested, CS_STORE_CREATE, &error);
  g_assert_null (store);
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND);
}

static const char migration_2[] =
  "ALTER TABLE clips ADD COLUMN mood TEXT;"
  "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);";

/* Half of it works before it fails: the good half must not stay behind. */
static const char migration_3_broken[] =
  "CREATE TABLE tags (name TEXT);"
  "INSERT INTO tags VALUES ('spring');"
  "UPDATE clips SET title = 'renamed';"
  "INSERT INTO no_such_table VALUES (1);";

static void
test_upgrade_keeps_rows (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "Old.clipscope");
  const char *migrations[] = { _cs_store_migrations[0], migration_2 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CsStore) store = NULL;
  g_autofree char *title = NULL;
  g_autofree char *schema = NULL;
  sqlite3 *db;

  _cs_store_set_migrations_for_testing (migrations, G_N_ELEMENTS (migrations));

  /* What an older Clipscope (schema 1) wrote. */
  store = _cs_store_open_at_version (path, CS_STORE_CREATE, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cs_store_get_schema_version (store), ==, 1);
  store_exec (store,
              "BEGIN;"
              "INSERT INTO clips (id, external_id, title) VALUES (1, 'c1', 'Croissant'), (2, 'c2', 'Baguette'), (3, 'c3', 'Tart');"
              "INSERT INTO viewers (id, external_id) VALUES (1, 'v1'), (2, 'v2');"
              "INSERT INTO events (viewer_id, clip_id, time, kind) VALUES (1, 1, 10, 1), (2, 3, 20, 1);"
              "COMMIT;");
  g_clear_object (&store);
  g_assert_cmpint (file_user_version (path), ==, 1);

  /* The current version opens it and brings it up to date. */
  store = cs_store_open (path, CS_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cs_store_get_schema_version (store), ==, 2);
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM clips", -1), ==, 3);
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM events", -1), ==, 2);
  db = cs_store_get_db (store);
  title = raw_text (db, "SELECT title FROM clips WHERE external_id = 'c3'");
  g_assert_cmpstr (title, ==, "Tart");
  schema = cs_store_get_setting (store, "schema");
  g_assert_cmpstr (schema, ==, "2");

  /* The new schema is there to use. */
  store_exec (store, "UPDATE clips SET mood = 'cosy' WHERE id = 1");
  store_exec (store, "INSERT INTO notes (body) VALUES ('post at 8')");
  g_clear_object (&store);

  g_assert_cmpint (file_user_version (path), ==, 2);
  assert_integrity_ok (path);
}

static void
test_upgrade_failure_rolls_back (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "Old.clipscope");
  const char *migrations[] = { _cs_store_migrations[0], migration_2, migration_3_broken };
  g_autoptr(GError) error = NULL;
  g_autoptr(CsStore) store = NULL;
  g_autofree char *title = NULL;
  sqlite3 *db;

  _cs_store_set_migrations_for_testing (migrations, G_N_ELEMENTS (migrations));

  store = _cs_store_open_at_version (path, CS_STORE_CREATE, 2, &error);
  g_assert_no_error (error);
  store_exec (store,
              "INSERT INTO clips (id, external_id, title, mood) VALUES (1, 'c1', 'Croissant', 'cosy');"
              "INSERT INTO notes (body) VALUES ('keep me');");
  g_clear_object (&store);

  store = cs_store_open (path, CS_STORE_OPEN_EXISTING, &error);
  g_assert_null (store);
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "“Old.clipscope”"));
  g_clear_error (&error);

  /* As it was: schema 2, no trace of migration 3, rows untouched. */
  g_assert_cmpint (file_user_version (path), ==, 2);
  assert_integrity_ok (path);
  db = raw_open (path);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sqlite_master WHERE name = 'tags'"), ==, 0);
  title = raw_text (db, "SELECT title FROM clips WHERE id = 1");
  g_assert_cmpstr (title, ==, "Croissant");
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM notes"), ==, 1);
  sqlite3_close (db);

  /* The same file still opens with the version that made it. */
  _cs_store_set_migrations_for_testing (migrations, 2);
  store = cs_store_open (path, CS_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cs_store_get_schema_version (store), ==, 2);
}

static void
test_create_failure_removes_file (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "New.clipscope");
  const char *migrations[] = { _cs_store_migrations[0], migration_2, migration_3_broken };
  g_autoptr(GError) error = NULL;
  CsStore *store;

  _cs_store_set_migrations_for_testing (migrations, G_N_ELEMENTS (migrations));

  store = cs_store_open (path, CS_STORE_CREATE, &error);
  g_assert_null (store);
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_FAILED);

  /* No half-made project left behind to be mistaken for a real one. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  assert_no_side_files (path);
}

static void
assert_not_a_project (const char *path,
                      const char *expected_message)
{
  g_autoptr(GBytes) before = read_bytes (path);
  const CsStoreFlags flags[] = { CS_STORE_OPEN_EXISTING, CS_STORE_CREATE, CS_STORE_READ_ONLY };

  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    {
      g_autoptr(GError) error = NULL;
      CsStore *store = cs_store_open (path, flags[i], &error);

      g_assert_null (store);
      g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_A_PROJECT);
      g_assert_cmpstr (error->message, ==, expected_message);
      assert_same_bytes (before, path);
      assert_no_side_files (path);
    }
}

static void
test_not_a_project (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *text = fixture_path (fixture, "notes.txt");
  g_autofree char *empty = fixture_path (fixture, "empty.clipscope");
  g_autofree char *foreign = fixture_path (fixture, "recipes.db");
  g_autofree char *foreign_wal = fixture_path (fixture, "shop.sqlite");
  g_autofree char *folder = fixture_path (fixture, "folder.clipscope");
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  g_file_set_contents (text, "Buy flour\nPost the croissant clip at 8\n", -1, &error);
  g_assert_no_error (error);
  assert_not_a_project (text, "“notes.txt” is not a Clipscope project. Open a project that Clipscope made, or create a new one.");

  g_file_set_contents (empty, "", 0, &error);
  g_assert_no_error (error);
  assert_not_a_project (empty, "“empty.clipscope” is not a Clipscope project. Open a project that Clipscope made, or create a new one.");
  g_assert_cmpint (g_file_test (empty, G_FILE_TEST_EXISTS), ==, TRUE);

  /* Another app's database, even one with a settings table and a high
   * user_version of its own, is neither ours nor "too new". */
  g_assert_cmpint (sqlite3_open (foreign, &db), ==, SQLITE_OK);
  raw_exec (db,
            "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);"
            "INSERT INTO settings VALUES ('app_id', 'org.example.Recipes');"
            "CREATE TABLE recipes (name TEXT);"
            "INSERT INTO recipes VALUES ('Croissant');"
            "PRAGMA user_version = 7;");
  sqlite3_close (db);
  assert_not_a_project (foreign, "“recipes.db” is not a Clipscope project. Open a project that Clipscope made, or create a new one.");
  assert_integrity_ok (foreign);

  g_assert_cmpint (sqlite3_open (foreign_wal, &db), ==, SQLITE_OK);
  raw_exec (db,
            "PRAGMA journal_mode = WAL;"
            "CREATE TABLE settings (name TEXT, value TEXT);"
            "INSERT INTO settings VALUES ('theme', 'dark');");
  sqlite3_close (db);
  assert_not_a_project (foreign_wal, "“shop.sqlite” is not a Clipscope project. Open a project that Clipscope made, or create a new one.");
  assert_integrity_ok (foreign_wal);

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_assert_null (cs_store_open (folder, CS_STORE_CREATE, &error));
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_A_PROJECT);
  g_assert_cmpint (g_rmdir (folder), ==, 0);
}

static void
test_too_new (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "future.clipscope");
  g_autoptr(GBytes) before = NULL;
  const CsStoreFlags flags[] = { CS_STORE_OPEN_EXISTING, CS_STORE_READ_ONLY };
  sqlite3 *db;

  make_project (path);
  db = raw_open (path);
  raw_exec (db, "PRAGMA user_version = 99");
  sqlite3_close (db);
  before = read_bytes (path);

  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    {
      g_autoptr(GError) error = NULL;
      CsStore *store = cs_store_open (path, flags[i], &error);

      g_assert_null (store);
      g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_TOO_NEW);
      g_assert_cmpstr (error->message, ==,
                       "“future.clipscope” was made by a newer version of Clipscope "
                       "(schema 99; this version reads up to " G_STRINGIFY (CS_STORE_SCHEMA_VERSION)
                       "). Update Clipscope to open it.");
      assert_same_bytes (before, path);
      assert_no_side_files (path);
    }

  g_assert_cmpint (file_user_version (path), ==, 99);
  assert_integrity_ok (path);
}

/* Runs @check as an unprivileged user: root writes through permission bits,
 * so a chmod alone proves nothing when the tests run as root (as in CI).
 * Returns FALSE when the privileges could not be dropped. */
static gboolean
run_unprivileged (void (*check) (const char *path),
                  const char *path)
{
  pid_t pid;
  int status = 0;

  if (geteuid () != 0)
    {
      check (path);
      return TRUE;
    }

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      if (setgid (65534) != 0 || setuid (65534) != 0 || geteuid () == 0)
        _exit (77);
      check (path);
      _exit (0);
    }

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  if (WIFEXITED (status) && WEXITSTATUS (status) == 77)
    return FALSE;
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  return TRUE;
}

static void
check_read_only_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CsStore) store = NULL;
  g_autofree char *app_id = NULL;

  g_assert_cmpint (access (path, W_OK), !=, 0);

  store = cs_store_open (path, CS_STORE_OPEN_EXISTING, &error);
  g_assert_null (store);
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_READ_ONLY);
  g_assert_cmpstr (error->message, ==,
                   "“Locked.clipscope” is read-only. Copy it to a folder you can write to, "
                   "or change its permissions.");
  g_clear_error (&error);
  assert_no_side_files (path);

  /* Asked for read-only, the same file opens and reads. */
  store = cs_store_open (path, CS_STORE_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (cs_store_is_read_only (store));
  app_id = cs_store_get_setting (store, "app_id");
  g_assert_cmpstr (app_id, ==, "io.github.clipscope.Clipscope");
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM clips", -1), ==, 2);
}

static void
test_read_only_file (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "Locked.clipscope");
  g_autoptr(GBytes) before = NULL;

  make_project (path);
  before = read_bytes (path);
  g_assert_cmpint (g_chmod (path, 0444), ==, 0);
  /* Lets the unprivileged user reach the file, not write beside it. */
  g_assert_cmpint (g_chmod (fixture->dir, 0755), ==, 0);

  if (!run_unprivileged (check_read_only_file, path))
    {
      g_test_skip ("cannot drop root privileges to test file permissions");
      return;
    }

  g_chmod (fixture->dir, 0700);
  g_chmod (path, 0644);
  assert_same_bytes (before, path);
  assert_integrity_ok (path);
}

static void
check_read_only_folder (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *other = g_build_filename (folder, "Other.clipscope", NULL);
  CsStore *store;

  g_assert_cmpint (access (folder, W_OK), !=, 0);

  /* WAL keeps files beside the project, so the folder must be writable. */
  store = cs_store_open (path, CS_STORE_OPEN_EXISTING, &error);
  g_assert_null (store);
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "“Shared #1 50%.clipscope”"));
  g_clear_error (&error);

  /* Asked for read-only, it opens and reads, though SQLite cannot make its
   * WAL files beside it. */
  store = cs_store_open (path, CS_STORE_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM events", -1), ==, 2);
  g_clear_object (&store);

  store = cs_store_open (other, CS_STORE_CREATE, &error);
  g_assert_null (store);
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "“Other.clipscope”"));
}

static void
test_read_only_folder (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "Shared #1 50%.clipscope");
  g_autofree char *other = fixture_path (fixture, "Other.clipscope");
  g_autoptr(GBytes) before = NULL;

  make_project (path);
  before = read_bytes (path);
  g_assert_cmpint (g_chmod (path, 0666), ==, 0);
  g_assert_cmpint (g_chmod (fixture->dir, 0555), ==, 0);

  if (!run_unprivileged (check_read_only_folder, path))
    {
      g_test_skip ("cannot drop root privileges to test folder permissions");
      return;
    }

  g_chmod (fixture->dir, 0700);
  assert_same_bytes (before, path);
  assert_no_side_files (path);
  g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
}

/* Runs whoever runs the tests, root included: a read-only connection refuses
 * writes with an error that says so, and leaves the file alone. */
static void
test_read_only_flag (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "Archive.clipscope");
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CsStore) store = NULL;
  sqlite3_stmt *stmt;

  make_project (path);
  before = read_bytes (path);

  store = cs_store_open (path, CS_STORE_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (cs_store_is_read_only (store));
  g_assert_cmpint (cs_store_get_schema_version (store), ==, CS_STORE_SCHEMA_VERSION);
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM events", -1), ==, 2);

  g_assert_false (cs_store_set_setting (store, "simulated", "1", &error));
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_READ_ONLY);
  g_assert_cmpstr (error->message, ==,
                   "“Archive.clipscope” is read-only. Copy it to a folder you can write to, "
                   "or change its permissions.");
  g_clear_error (&error);

  stmt = cs_store_prepare (store, "INSERT INTO viewers (external_id) VALUES (?1)", &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, "v9", -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), !=, SQLITE_DONE);
  cs_store_set_error (store, &error, "importing events");
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_READ_ONLY);
  sqlite3_reset (stmt);

  g_clear_object (&store);
  assert_same_bytes (before, path);
  assert_integrity_ok (path);
}

static void
test_read_only_needs_upgrade (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "Old.clipscope");
  const char *migrations[] = { _cs_store_migrations[0], migration_2 };
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CsStore) store = NULL;

  _cs_store_set_migrations_for_testing (migrations, G_N_ELEMENTS (migrations));
  store = _cs_store_open_at_version (path, CS_STORE_CREATE, 1, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  before = read_bytes (path);

  store = cs_store_open (path, CS_STORE_READ_ONLY, &error);
  g_assert_null (store);
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_READ_ONLY);
  assert_same_bytes (before, path);
  g_assert_cmpint (file_user_version (path), ==, 1);
}

static void
test_locked (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "Busy.clipscope");
  g_autoptr(GError) error = NULL;
  g_autoptr(CsStore) store = NULL;
  gint64 start;
  sqlite3 *other;

  make_project (path);
  _cs_store_set_busy_timeout_for_testing (100);

  /* Another program holding the whole file: not even reading is possible. */
  other = raw_open (path);
  raw_exec (other,
            "PRAGMA locking_mode = EXCLUSIVE;"
            "BEGIN EXCLUSIVE;"
            "INSERT INTO clips (external_id, title) VALUES ('c3', 'Tart');");

  start = g_get_monotonic_time ();
  store = cs_store_open (path, CS_STORE_OPEN_EXISTING, &error);
  g_assert_null (store);
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_LOCKED);
  g_assert_cmpstr (error->message, ==,
                   "“Busy.clipscope” is in use by another program. Close it there and try again.");
  g_clear_error (&error);
  /* It waited for the lock, but not forever. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 90 * 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);

  raw_exec (other, "COMMIT; PRAGMA locking_mode = NORMAL; SELECT count(*) FROM clips;");
  sqlite3_close (other);

  store = cs_store_open (path, CS_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM clips", -1), ==, 3);
  g_clear_object (&store);
  assert_integrity_ok (path);
}

static void
test_locked_writer (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "Busy.clipscope");
  g_autoptr(GError) error = NULL;
  g_autoptr(CsStore) store = NULL;
  sqlite3 *other;

  make_project (path);
  _cs_store_set_busy_timeout_for_testing (100);

  other = raw_open (path);
  raw_exec (other, "BEGIN EXCLUSIVE; INSERT INTO clips (external_id) VALUES ('c3');");

  /* In WAL mode a writer does not keep readers out... */
  store = cs_store_open (path, CS_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM clips", -1), ==, 2);

  /* ...but a second writer gets a clear answer after the timeout. */
  g_assert_false (cs_store_begin (store, &error));
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_LOCKED);
  g_assert_cmpstr (error->message, ==,
                   "“Busy.clipscope” is in use by another program. Close it there and try again.");
  g_clear_error (&error);

  raw_exec (other, "COMMIT");
  sqlite3_close (other);

  g_assert_true (cs_store_begin (store, &error));
  g_assert_no_error (error);
  store_exec (store, "INSERT INTO clips (external_id) VALUES ('c4')");
  g_assert_true (cs_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM clips", -1), ==, 4);
}

/* An upgrade needs the write lock: a busy file is reported, and left as it was. */
static void
test_locked_upgrade (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "Old.clipscope");
  const char *migrations[] = { _cs_store_migrations[0], migration_2 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CsStore) store = NULL;
  sqlite3 *other;

  _cs_store_set_migrations_for_testing (migrations, G_N_ELEMENTS (migrations));
  _cs_store_set_busy_timeout_for_testing (100);
  store = _cs_store_open_at_version (path, CS_STORE_CREATE, 1, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  other = raw_open (path);
  raw_exec (other, "BEGIN EXCLUSIVE; INSERT INTO viewers (external_id) VALUES ('v1');");

  store = cs_store_open (path, CS_STORE_OPEN_EXISTING, &error);
  g_assert_null (store);
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_cmpint (raw_int (other, "PRAGMA user_version"), ==, 1);

  raw_exec (other, "COMMIT");
  sqlite3_close (other);

  store = cs_store_open (path, CS_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cs_store_get_schema_version (store), ==, 2);
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM viewers", -1), ==, 1);
  g_clear_object (&store);
  assert_integrity_ok (path);
}

static void
test_disk_full (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "Full.clipscope");
  g_autoptr(GError) error = NULL;
  g_autoptr(CsStore) store = NULL;
  g_autofree char *big = g_strnfill (256 * 1024, 'x');
  g_autofree char *limit = NULL;
  sqlite3_stmt *stmt;
  sqlite3 *db;

  make_project (path);
  store = cs_store_open (path, CS_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  db = cs_store_get_db (store);

  /* No room for a single new page. */
  limit = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT,
                           raw_int (db, "PRAGMA page_count"));
  g_assert_cmpint (raw_int (db, limit), ==, raw_int (db, "PRAGMA page_count"));

  g_assert_true (cs_store_begin (store, &error));
  g_assert_no_error (error);
  store_exec (store, "INSERT INTO viewers (external_id) VALUES ('v2')");
  stmt = cs_store_prepare (store, "INSERT INTO clips (external_id, attrs) VALUES (?1, ?2)", &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, "c3", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, big, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_FULL);

  g_assert_false (cs_store_set_error (store, &error, "importing clips"));
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_FULL);
  g_assert_cmpstr (error->message, ==,
                   "The disk is full. Free some space and try again; the project was not changed.");
  g_clear_error (&error);

  /* Callers usually roll back first and report after: same answer. */
  cs_store_rollback (store);
  cs_store_set_error (store, &error, "importing clips");
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_FULL);
  g_clear_error (&error);

  /* The whole transaction is gone, including the part that fitted. */
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM clips", -1), ==, 2);
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM viewers", -1), ==, 1);

  /* With space again, the same store carries on. */
  store_exec (store, "PRAGMA max_page_count = 1000000");
  g_assert_true (cs_store_begin (store, &error));
  stmt = cs_store_prepare (store, "INSERT INTO clips (external_id, attrs) VALUES (?1, ?2)", &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, "c3", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, big, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  g_assert_true (cs_store_commit (store, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  assert_integrity_ok (path);
  {
    sqlite3 *raw = raw_open (path);

    g_assert_cmpint (raw_int (raw, "SELECT count(*) FROM clips"), ==, 3);
    sqlite3_close (raw);
  }
}

static void
test_statements_and_settings (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "Cache.clipscope");
  g_autoptr(GError) error = NULL;
  g_autoptr(CsStore) store = NULL;
  g_autofree char *value = NULL;
  sqlite3_stmt *first;
  sqlite3_stmt *again;

  store = cs_store_open (path, CS_STORE_CREATE, &error);
  g_assert_no_error (error);

  first = cs_store_prepare (store, "SELECT ?1 + 1", &error);
  g_assert_no_error (error);
  sqlite3_bind_int (first, 1, 41);
  g_assert_cmpint (sqlite3_step (first), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (first, 0), ==, 42);

  /* The same statement comes back, from the start and without the old value. */
  again = cs_store_prepare (store, "SELECT ?1 + 1", &error);
  g_assert_true (again == first);
  g_assert_cmpint (sqlite3_step (again), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_type (again, 0), ==, SQLITE_NULL);
  sqlite3_reset (again);

  g_assert_null (cs_store_prepare (store, "SELECT * FROM no_such_table", &error));
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_null (cs_store_get_setting (store, "simulated"));
  g_assert_true (cs_store_set_setting (store, "simulated", "0", &error));
  g_assert_true (cs_store_set_setting (store, "simulated", "1", &error));
  g_assert_no_error (error);
  value = cs_store_get_setting (store, "simulated");
  g_assert_cmpstr (value, ==, "1");
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM settings WHERE key = 'simulated'", -1), ==, 1);

  g_assert_cmpint (cs_store_query_int (store, "SELECT max(id) FROM clips", -7), ==, -7);
  g_assert_cmpint (cs_store_query_int (store, "SELECT nonsense", -7), ==, -7);

  /* A rolled-back transaction leaves nothing. */
  g_assert_true (cs_store_begin (store, &error));
  store_exec (store, "INSERT INTO clips (external_id) VALUES ('c1')");
  cs_store_rollback (store);
  g_assert_cmpint (cs_store_query_int (store, "SELECT count(*) FROM clips", -1), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/engine/store/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("create-fresh", test_create_fresh);
  ADD ("missing", test_missing);
  ADD ("upgrade-keeps-rows", test_upgrade_keeps_rows);
  ADD ("upgrade-failure-rolls-back", test_upgrade_failure_rolls_back);
  ADD ("create-failure-removes-file", test_create_failure_removes_file);
  ADD ("not-a-project", test_not_a_project);
  ADD ("too-new", test_too_new);
  ADD ("read-only-file", test_read_only_file);
  ADD ("read-only-folder", test_read_only_folder);
  ADD ("read-only-flag", test_read_only_flag);
  ADD ("read-only-needs-upgrade", test_read_only_needs_upgrade);
  ADD ("locked", test_locked);
  ADD ("locked-writer", test_locked_writer);
  ADD ("locked-upgrade", test_locked_upgrade);
  ADD ("disk-full", test_disk_full);
  ADD ("statements-and-settings", test_statements_and_settings);

#undef ADD

  return g_test_run ();
}
