/* cs-clip-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cs-clip-store.h"

static gboolean
insert_frame (CsStore      *store,
              gint64        clip_id,
              const char   *kind,
              CsClipFrame  *frame,
              gboolean      with_score,
              GError      **error)
{
  sqlite3_stmt *stmt = cs_store_prepare (store,
      "INSERT INTO frames (clip_id, time_ms, kind, width, height, data, score) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
  gsize size;
  const void *data;
  int rc;

  if (stmt == NULL)
    return FALSE;
  data = g_bytes_get_data (frame->png, &size);
  sqlite3_bind_int64 (stmt, 1, clip_id);
  sqlite3_bind_int64 (stmt, 2, MAX (0, frame->time_ms));
  sqlite3_bind_text (stmt, 3, kind, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, frame->width);
  sqlite3_bind_int (stmt, 5, frame->height);
  sqlite3_bind_blob64 (stmt, 6, data, size, SQLITE_STATIC);
  if (with_score)
    sqlite3_bind_double (stmt, 7, frame->score);
  else
    sqlite3_bind_null (stmt, 7);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    return cs_store_set_error (store, error, "frames");
  return TRUE;
}

gboolean
cs_clip_store_analysis (CsStore         *store,
                        gint64           clip_id,
                        CsClipAnalysis  *analysis,
                        GError         **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CS_IS_STORE (store), FALSE);
  g_return_val_if_fail (analysis != NULL, FALSE);

  for (guint i = 0; i < analysis->thumbnails->len; i++)
    if (!insert_frame (store, clip_id, "thumbnail", g_ptr_array_index (analysis->thumbnails, i), FALSE, error))
      return FALSE;
  for (guint i = 0; i < analysis->covers->len; i++)
    if (!insert_frame (store, clip_id, "cover", g_ptr_array_index (analysis->covers, i), TRUE, error))
      return FALSE;

  stmt = cs_store_prepare (store,
                           "INSERT OR REPLACE INTO clip_features (clip_id, name, value) VALUES (?1, ?2, ?3)",
                           error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < analysis->feature_names->len; i++)
    {
      int rc;

      sqlite3_bind_int64 (stmt, 1, clip_id);
      sqlite3_bind_text (stmt, 2, g_ptr_array_index (analysis->feature_names, i), -1, SQLITE_STATIC);
      sqlite3_bind_double (stmt, 3, g_array_index (analysis->feature_values, double, i));
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      if (rc != SQLITE_DONE)
        return cs_store_set_error (store, error, "clip_features");
    }
  return TRUE;
}
