/* cs-run-rows.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "cs-run-rows.h"

static const char insert_run_sql[] =
  "INSERT INTO runs (parent_id, task, model, params, protocol, seed, status, error,"
  " fit_s, score_s, summary, started_at, finished_at)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_number (sqlite3_stmt *stmt,
             int           index,
             double        value)
{
  if (isfinite (value))
    sqlite3_bind_double (stmt, index, value);
  else
    sqlite3_bind_null (stmt, index);
}

static gboolean
step (CsStore       *store,
      sqlite3_stmt  *stmt,
      GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    {
      cs_store_set_error (store, error, _("Could not save the comparison"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

gint64
cs_run_rows_insert_run (CsStore         *store,
                        const CsRunRow  *row,
                        GError         **error)
{
  sqlite3_stmt *stmt = cs_store_prepare (store, insert_run_sql, error);

  if (stmt == NULL)
    return 0;
  if (row->parent_id > 0)
    sqlite3_bind_int64 (stmt, 1, row->parent_id);
  else
    sqlite3_bind_null (stmt, 1);
  bind_text (stmt, 2, row->task);
  bind_text (stmt, 3, row->model);
  bind_text (stmt, 4, row->params);
  bind_text (stmt, 5, row->protocol);
  sqlite3_bind_int64 (stmt, 6, (sqlite3_int64) row->seed);
  bind_text (stmt, 7, row->status);
  bind_text (stmt, 8, row->error);
  bind_number (stmt, 9, row->fit_s);
  bind_number (stmt, 10, row->score_s);
  bind_text (stmt, 11, row->summary);
  sqlite3_bind_int64 (stmt, 12, row->started_at);
  sqlite3_bind_int64 (stmt, 13, row->finished_at);
  if (!step (store, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (cs_store_get_db (store));
}

gboolean
cs_run_rows_insert_metric (CsStore     *store,
                           gint64       run_id,
                           const char  *name,
                           int          k,
                           int          fold,
                           double       value,
                           GError     **error)
{
  sqlite3_stmt *stmt = cs_store_prepare (store,
                                         "INSERT INTO metrics (run_id, name, k, fold, value)"
                                         " VALUES (?1, ?2, ?3, ?4, ?5)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, k);
  sqlite3_bind_int (stmt, 4, fold);
  bind_number (stmt, 5, value);
  return step (store, stmt, error);
}
