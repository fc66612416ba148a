/* cs-store.c: one SQLite connection to a project file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cs-error.h"
#include "cs-store-private.h"

#define DEFAULT_BUSY_TIMEOUT_MS 3000

struct _CsStore
{
  GObject     parent_instance;

  sqlite3    *db;
  char       *path;
  GHashTable *statements;   /* SQL text → sqlite3_stmt */
  int         schema_version;
  gboolean    read_only;

  /* A ROLLBACK resets the connection's error, so cs_store_rollback() keeps
   * the error that caused it for a cs_store_set_error() that follows. */
  int         saved_code;
  char       *saved_message;
};

G_DEFINE_FINAL_TYPE (CsStore, cs_store, G_TYPE_OBJECT)

/* Test hooks (cs-store-private.h); set only while no store is being opened. */
static const char * const *test_migrations;
static guint n_test_migrations;
static int busy_timeout_ms = DEFAULT_BUSY_TIMEOUT_MS;

static void
get_migrations (const char * const **migrations,
                guint               *n_migrations)
{
  if (test_migrations != NULL)
    {
      *migrations = test_migrations;
      *n_migrations = n_test_migrations;
    }
  else
    {
      /* The header's version and the list must move together. */
      g_assert (_cs_store_n_migrations == CS_STORE_SCHEMA_VERSION);
      *migrations = _cs_store_migrations;
      *n_migrations = _cs_store_n_migrations;
    }
}

static void
cs_store_finalize (GObject *object)
{
  CsStore *self = (CsStore *)object;

  /* Statements first: a connection with live statements does not close. */
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  self->db = NULL;
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->saved_message, g_free);

  G_OBJECT_CLASS (cs_store_parent_class)->finalize (object);
}

static void
cs_store_class_init (CsStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cs_store_finalize;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
cs_store_init (CsStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            finalize_statement);
}

static void
set_sqlite_error (GError     **error,
                  const char  *path,
                  int          code,
                  const char  *message,
                  const char  *what)
{
  g_autofree char *name = g_filename_display_basename (path);

  switch (code & 0xff)
    {
    case SQLITE_FULL:
      g_set_error_literal (error, CS_STORE_ERROR, CS_STORE_ERROR_FULL,
                           _("The disk is full. Free some space and try again; the project was not changed."));
      break;

    case SQLITE_READONLY:
    case SQLITE_PERM:
      g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_READ_ONLY,
                   _("“%s” is read-only. Copy it to a folder you can write to, or change its permissions."),
                   name);
      break;

    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_LOCKED,
                   _("“%s” is in use by another program. Close it there and try again."),
                   name);
      break;

    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_CORRUPT,
                   _("“%s” is damaged and cannot be read. Open a backup copy instead."),
                   name);
      break;

    default:
      if (what != NULL)
        g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_FAILED,
                     _("Could not finish %s in “%s”: %s"),
                     what, name, message ? message : sqlite3_errstr (code));
      else
        g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_FAILED,
                     _("Could not read or change “%s”: %s"),
                     name, message ? message : sqlite3_errstr (code));
      break;
    }
}

static gboolean
is_error_code (int code)
{
  return code != SQLITE_OK && code != SQLITE_ROW && code != SQLITE_DONE;
}

gboolean
cs_store_set_error (CsStore     *self,
                    GError     **error,
                    const char  *what)
{
  int code;

  g_return_val_if_fail (CS_IS_STORE (self), FALSE);

  code = sqlite3_extended_errcode (self->db);
  if (!is_error_code (code) && self->saved_code != SQLITE_OK)
    set_sqlite_error (error, self->path, self->saved_code, self->saved_message, what);
  else
    set_sqlite_error (error, self->path, code, sqlite3_errmsg (self->db), what);

  return FALSE;
}

static void
clear_saved_error (CsStore *self)
{
  self->saved_code = SQLITE_OK;
  g_clear_pointer (&self->saved_message, g_free);
}

/* One integer from a query, with the SQLite result code. */
static int
query_int_rc (sqlite3    *db,
              const char *sql,
              gint64     *value)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return rc;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *value = sqlite3_column_int64 (stmt, 0);
      rc = SQLITE_OK;
    }
  else if (rc == SQLITE_DONE)
    {
      rc = SQLITE_OK;
    }

  sqlite3_finalize (stmt);
  return rc;
}

/* Whether the database carries our marker. A table that is missing or has
 * other columns only means the file is someone else's (SQLITE_ERROR); other
 * errors (locked, damaged) are returned as such. */
static int
check_marker (sqlite3  *db,
              gboolean *ours)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  *ours = FALSE;

  rc = sqlite3_prepare_v2 (db, "SELECT value FROM settings WHERE key = 'app_id'", -1, &stmt, NULL);
  if ((rc & 0xff) == SQLITE_ERROR)
    return SQLITE_OK;
  if (rc != SQLITE_OK)
    return rc;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const char *value = (const char *) sqlite3_column_text (stmt, 0);

      *ours = g_strcmp0 (value, CS_STORE_APP_ID) == 0;
      rc = SQLITE_OK;
    }
  else if (rc == SQLITE_DONE)
    {
      rc = SQLITE_OK;
    }

  sqlite3_finalize (stmt);
  return rc;
}

static void
set_not_a_project (GError     **error,
                   const char  *path)
{
  g_autofree char *name = g_filename_display_basename (path);

  g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_A_PROJECT,
               _("“%s” is not a Clipscope project. Open a project that Clipscope made, or create a new one."), name);
}

static void
remove_database_files (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

/* Brings the schema from its current version to @target in one transaction,
 * so that a failure leaves the file exactly as it was. */
static gboolean
migrate (CsStore   *self,
         int        target,
         gboolean   is_new,
         GError   **error)
{
  const char * const *migrations;
  guint n_migrations;
  gint64 version = 0;
  g_autofree char *schema = NULL;
  g_autofree char *set_version = NULL;
  int rc;

  get_migrations (&migrations, &n_migrations);
  g_assert (target >= 1 && (guint) target <= n_migrations);

  if (!cs_store_begin (self, error))
    return FALSE;

  /* Another program may have upgraded the file since we looked. */
  rc = query_int_rc (self->db, "PRAGMA user_version", &version);
  if (rc != SQLITE_OK)
    goto failed;

  if (version >= target)
    {
      cs_store_rollback (self);
      self->schema_version = (int) version;
      return TRUE;
    }

  for (int v = (int) version + 1; v <= target; v++)
    {
      rc = sqlite3_exec (self->db, migrations[v - 1], NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        goto failed;
    }

  if (is_new)
    {
      g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT,
                                              g_get_real_time () / G_USEC_PER_SEC);

      if (!cs_store_set_setting (self, "app_id", CS_STORE_APP_ID, NULL) ||
          !cs_store_set_setting (self, "created_at", now, NULL))
        goto failed;
    }

  schema = g_strdup_printf ("%d", target);
  if (!cs_store_set_setting (self, "schema", schema, NULL))
    goto failed;

  set_version = g_strdup_printf ("PRAGMA user_version = %d", target);
  rc = sqlite3_exec (self->db, set_version, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    goto failed;

  if (!cs_store_commit (self, error))
    {
      cs_store_rollback (self);
      return FALSE;
    }

  self->schema_version = target;
  return TRUE;

failed:
  cs_store_rollback (self);
  return cs_store_set_error (self, error, is_new ? _("creating the project") : _("updating the project"));
}

static int
open_connection (const char  *path,
                 int          open_flags,
                 gboolean     immutable,
                 sqlite3    **db)
{
  g_autofree char *uri = NULL;
  int rc;

  if (immutable)
    {
      g_autofree char *absolute = g_canonicalize_filename (path, NULL);
      g_autofree char *escaped = g_uri_escape_string (absolute, "/", FALSE);

      uri = g_strconcat ("file:", escaped, "?immutable=1", NULL);
      open_flags |= SQLITE_OPEN_URI;
    }

  rc = sqlite3_open_v2 (uri ? uri : path, db, open_flags | SQLITE_OPEN_NOMUTEX, NULL);
  if (*db != NULL)
    {
      sqlite3_extended_result_codes (*db, 1);
      sqlite3_busy_timeout (*db, busy_timeout_ms);
    }

  return rc;
}

static gboolean
needs_immutable (int code)
{
  return code == SQLITE_READONLY_DIRECTORY ||
         code == SQLITE_READONLY_CANTINIT ||
         code == SQLITE_READONLY_CANTLOCK ||
         (code & 0xff) == SQLITE_CANTOPEN;
}

static gboolean
has_wal_file (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  return g_file_test (wal, G_FILE_TEST_EXISTS);
}

static CsStore *
open_store (const char    *path,
            CsStoreFlags   flags,
            int            target,
            GError       **error)
{
  g_autoptr(CsStore) self = NULL;
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *folder = g_path_get_dirname (path);
  const char * const *migrations;
  guint n_migrations;
  gboolean read_only = (flags & CS_STORE_READ_ONLY) != 0;
  gboolean is_new = FALSE;
  gboolean writable = TRUE;
  gboolean folder_writable = TRUE;
  GStatBuf st;
  sqlite3 *db = NULL;
  gint64 version = 0;
  int open_flags;
  int rc;

  get_migrations (&migrations, &n_migrations);

  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;

      if (saved_errno != ENOENT)
        {
          g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_FAILED,
                       _("Could not open “%s”: %s"), name, g_strerror (saved_errno));
          return NULL;
        }

      if (!(flags & CS_STORE_CREATE) || read_only)
        {
          g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND,
                       _("“%s” was not found. It may have been moved or deleted."), name);
          return NULL;
        }

      if (g_access (folder, W_OK) != 0)
        {
          if (errno == ENOENT)
            g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND,
                         _("The folder for “%s” does not exist."), name);
          else
            g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_READ_ONLY,
                         _("“%s” cannot be created because its folder is read-only. Choose a folder you can write to."),
                         name);
          return NULL;
        }

      is_new = TRUE;
    }
  else
    {
      /* An empty file is a valid empty database to SQLite, but it is not a
       * project, and we never write into files we did not create. */
      if (S_ISDIR (st.st_mode) || st.st_size == 0)
        {
          set_not_a_project (error, path);
          return NULL;
        }

      /* WAL needs to create files beside the project, so the folder counts. */
      writable = g_access (path, W_OK) == 0;
      folder_writable = g_access (folder, W_OK) == 0;
    }

  /* A read-only SQLite connection to a WAL file leaves -wal and -shm files
   * behind, so a store that only should not write still opens read-write
   * where it may, with query_only set below. */
  if (is_new)
    open_flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  else if (!writable || !folder_writable)
    open_flags = SQLITE_OPEN_READONLY;
  else
    open_flags = SQLITE_OPEN_READWRITE;

  /* A file we cannot write is only opened to say what it is before we refuse
   * it: read it as immutable, so SQLite leaves no -wal and -shm files behind.
   * That is safe only while nobody has it open, i.e. while it has no -wal. */
  rc = open_connection (path, open_flags,
                        open_flags == SQLITE_OPEN_READONLY && !read_only && !has_wal_file (path),
                        &db);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, path, rc, db ? sqlite3_errmsg (db) : NULL, NULL);
      sqlite3_close_v2 (db);
      if (is_new)
        remove_database_files (path);
      return NULL;
    }

  /* Everything up to the version check only reads, so that a file that is
   * not ours, or is newer than us, is left exactly as it was. */
  if (!is_new)
    {
      gboolean ours = FALSE;

      rc = query_int_rc (db, "PRAGMA user_version", &version);

      /* Reading a WAL file needs -shm and -wal files, which a read-only
       * folder cannot get. Without a -wal file the database file holds every
       * commit, and SQLite may read it as immutable. */
      if (open_flags == SQLITE_OPEN_READONLY && needs_immutable (rc) && !has_wal_file (path))
        {
          sqlite3_close_v2 (db);
          db = NULL;
          rc = open_connection (path, open_flags, TRUE, &db);
          if (rc == SQLITE_OK)
            rc = query_int_rc (db, "PRAGMA user_version", &version);
        }

      if (rc == SQLITE_OK)
        rc = check_marker (db, &ours);

      if ((rc & 0xff) == SQLITE_NOTADB || (rc == SQLITE_OK && !ours))
        {
          set_not_a_project (error, path);
          sqlite3_close_v2 (db);
          return NULL;
        }
      if (rc != SQLITE_OK)
        {
          set_sqlite_error (error, path, rc, db ? sqlite3_errmsg (db) : NULL, NULL);
          sqlite3_close_v2 (db);
          return NULL;
        }
    }

  self = g_object_new (CS_TYPE_STORE, NULL);
  self->db = db;
  self->path = g_strdup (path);
  self->read_only = read_only;
  if (read_only)
    sqlite3_exec (db, "PRAGMA query_only = ON", NULL, NULL, NULL);

  if (!is_new)
    {
      if (version > (gint64) n_migrations)
        {
          g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_TOO_NEW,
                       _("“%s” was made by a newer version of Clipscope (schema %d; this version reads up to %u). Update Clipscope to open it."),
                       name, (int) version, n_migrations);
          return NULL;
        }

      /* Every project carries the marker from migration 1 on. */
      if (version < 1)
        {
          g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_CORRUPT,
                       _("“%s” is damaged and cannot be read. Open a backup copy instead."),
                       name);
          return NULL;
        }

      if (!read_only && !writable)
        {
          g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_READ_ONLY,
                       _("“%s” is read-only. Copy it to a folder you can write to, or change its permissions."),
                       name);
          return NULL;
        }
      if (!read_only && !folder_writable)
        {
          g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_READ_ONLY,
                       _("The folder of “%s” is read-only. Copy the project to a folder you can write to, or change the folder’s permissions."),
                       name);
          return NULL;
        }
      if (read_only && version < target)
        {
          g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_READ_ONLY,
                       _("“%s” was made by an older version of Clipscope and must be updated, which needs write access. Open it for writing, or copy it to a folder you can write to."),
                       name);
          return NULL;
        }
    }

  /* SQLite quietly falls back to read-only when the OS refuses writing. */
  if (!read_only && sqlite3_db_readonly (db, "main") == 1)
    {
      g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_READ_ONLY,
                   _("“%s” is read-only. Copy it to a folder you can write to, or change its permissions."),
                   name);
      goto failed;
    }

  rc = sqlite3_exec (db,
                     "PRAGMA foreign_keys = ON;"
                     "PRAGMA cache_size = -32768;"
                     "PRAGMA temp_store = MEMORY;"
                     "PRAGMA synchronous = NORMAL;",
                     NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      cs_store_set_error (self, error, NULL);
      goto failed;
    }

  if (!read_only)
    {
      /* Changing the journal mode writes the header: only on our own files. */
      rc = sqlite3_exec (db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        {
          cs_store_set_error (self, error, NULL);
          goto failed;
        }

      if (version < target && !migrate (self, target, is_new, error))
        goto failed;
    }

  if (self->schema_version == 0)
    self->schema_version = (int) version;

  return g_steal_pointer (&self);

failed:
  g_clear_object (&self);
  if (is_new)
    remove_database_files (path);
  return NULL;
}

CsStore *
cs_store_open (const char    *path,
               CsStoreFlags   flags,
               GError       **error)
{
  const char * const *migrations;
  guint n_migrations;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  get_migrations (&migrations, &n_migrations);
  return open_store (path, flags, n_migrations, error);
}

CsStore *
_cs_store_open_at_version (const char    *path,
                           CsStoreFlags   flags,
                           int            version,
                           GError       **error)
{
  const char * const *migrations;
  guint n_migrations;

  get_migrations (&migrations, &n_migrations);

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (version >= 1 && (guint) version <= n_migrations, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return open_store (path, flags, version, error);
}

void
_cs_store_set_migrations_for_testing (const char * const *migrations,
                                      guint               n_migrations)
{
  g_return_if_fail (migrations != NULL || n_migrations == 0);

  test_migrations = migrations;
  n_test_migrations = n_migrations;
}

void
_cs_store_set_busy_timeout_for_testing (int milliseconds)
{
  busy_timeout_ms = milliseconds >= 0 ? milliseconds : DEFAULT_BUSY_TIMEOUT_MS;
}

const char *
cs_store_get_path (CsStore *self)
{
  g_return_val_if_fail (CS_IS_STORE (self), NULL);

  return self->path;
}

sqlite3 *
cs_store_get_db (CsStore *self)
{
  g_return_val_if_fail (CS_IS_STORE (self), NULL);

  return self->db;
}

gboolean
cs_store_is_read_only (CsStore *self)
{
  g_return_val_if_fail (CS_IS_STORE (self), TRUE);

  return self->read_only || sqlite3_db_readonly (self->db, "main") == 1;
}

int
cs_store_get_schema_version (CsStore *self)
{
  g_return_val_if_fail (CS_IS_STORE (self), 0);

  return self->schema_version;
}

gboolean
cs_store_exec (CsStore     *self,
               const char  *sql,
               GError     **error)
{
  g_return_val_if_fail (CS_IS_STORE (self), FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);

  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return cs_store_set_error (self, error, NULL);

  return TRUE;
}

sqlite3_stmt *
cs_store_prepare (CsStore     *self,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CS_IS_STORE (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      cs_store_set_error (self, error, NULL);
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
cs_store_begin (CsStore  *self,
                GError  **error)
{
  g_return_val_if_fail (CS_IS_STORE (self), FALSE);

  clear_saved_error (self);

  if (self->read_only)
    {
      g_autofree char *name = g_filename_display_basename (self->path);

      g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_READ_ONLY,
                   _("“%s” is read-only. Copy it to a folder you can write to, or change its permissions."),
                   name);
      return FALSE;
    }

  /* IMMEDIATE takes the write lock now, while waiting is still harmless,
   * rather than failing halfway through the transaction. */
  return cs_store_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
cs_store_commit (CsStore  *self,
                 GError  **error)
{
  g_return_val_if_fail (CS_IS_STORE (self), FALSE);

  return cs_store_exec (self, "COMMIT", error);
}

void
cs_store_rollback (CsStore *self)
{
  int code;

  g_return_if_fail (CS_IS_STORE (self));

  code = sqlite3_extended_errcode (self->db);
  if (is_error_code (code))
    {
      g_free (self->saved_message);
      self->saved_code = code;
      self->saved_message = g_strdup (sqlite3_errmsg (self->db));
    }

  /* SQLite rolls back by itself after some errors (disk full, I/O). */
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

char *
cs_store_get_setting (CsStore    *self,
                      const char *key)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_return_val_if_fail (CS_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = cs_store_prepare (self, "SELECT value FROM settings WHERE key = ?1", NULL);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  /* Ends the read transaction, so that the connection sees later writes. */
  sqlite3_reset (stmt);

  return value;
}

gboolean
cs_store_set_setting (CsStore     *self,
                      const char  *key,
                      const char  *value,
                      GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CS_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  stmt = cs_store_prepare (self,
                           "INSERT INTO settings (key, value) VALUES (?1, ?2)"
                           " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      cs_store_set_error (self, error, _("saving a setting"));
      sqlite3_reset (stmt);
      return FALSE;
    }

  return TRUE;
}

gint64
cs_store_query_int (CsStore    *self,
                    const char *sql,
                    gint64      fallback)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = fallback;

  g_return_val_if_fail (CS_IS_STORE (self), fallback);
  g_return_val_if_fail (sql != NULL, fallback);

  /* Not cached: callers often build the SQL text on the fly. */
  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return fallback;

  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = sqlite3_column_int64 (stmt, 0);

  sqlite3_finalize (stmt);
  return value;
}
