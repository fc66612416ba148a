/* cs-store.h: one SQLite connection to a project file.
 *
 * SQLite connections are not shared between threads: the thread that opens a
 * CsStore is the only one that uses it. Workers open their own with
 * cs_project_open_store().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define CS_TYPE_STORE (cs_store_get_type ())
G_DECLARE_FINAL_TYPE (CsStore, cs_store, CS, STORE, GObject)

/* The schema version this build writes (PRAGMA user_version). */
#define CS_STORE_SCHEMA_VERSION 7
#define CS_STORE_APP_ID "io.github.clipscope.Clipscope"

typedef enum
{
  CS_STORE_OPEN_EXISTING = 0,
  CS_STORE_CREATE        = 1 << 0,  /* create the file and schema when missing */
  CS_STORE_READ_ONLY     = 1 << 1,
} CsStoreFlags;

G_GNUC_WARN_UNUSED_RESULT
CsStore      *cs_store_open               (const char    *path,
                                           CsStoreFlags   flags,
                                           GError       **error);
const char   *cs_store_get_path           (CsStore       *self);
sqlite3      *cs_store_get_db             (CsStore       *self);
gboolean      cs_store_is_read_only       (CsStore       *self);
int           cs_store_get_schema_version (CsStore       *self);

gboolean      cs_store_exec               (CsStore       *self,
                                           const char    *sql,
                                           GError       **error);
/* A prepared statement, cached per connection and reset for reuse: do not
 * finalize it. Reset it yourself when you stop before SQLITE_DONE, or it
 * keeps its read snapshot open. */
sqlite3_stmt *cs_store_prepare            (CsStore       *self,
                                           const char    *sql,
                                           GError       **error);
/* BEGIN IMMEDIATE; fails with CS_STORE_ERROR_READ_ONLY on a read-only store.
 * cs_store_rollback() keeps the error that led to it for cs_store_set_error(). */
gboolean      cs_store_begin              (CsStore       *self,
                                           GError       **error);
gboolean      cs_store_commit             (CsStore       *self,
                                           GError       **error);
void          cs_store_rollback           (CsStore       *self);

/* Sets @error from the connection's last error, in CS_STORE_ERROR, with a
 * message that says what to do (disk full, read-only, locked...). Returns FALSE. */
gboolean      cs_store_set_error          (CsStore       *self,
                                           GError       **error,
                                           const char    *what);

char         *cs_store_get_setting        (CsStore       *self,
                                           const char    *key);
gboolean      cs_store_set_setting        (CsStore       *self,
                                           const char    *key,
                                           const char    *value,
                                           GError       **error);

/* Integer result of a one-value query, or @fallback on error/no row. */
gint64        cs_store_query_int           (CsStore       *self,
                                           const char    *sql,
                                           gint64         fallback);

G_END_DECLS
