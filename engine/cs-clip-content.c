/* cs-clip-content.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cs-clip-content.h"
#include "cs-error.h"

struct _CsClipContent
{
  gatomicrefcount   ref;
  CsPredictDataset *rows;
};

CsClipContent *
cs_clip_content_new (guint n_clips)
{
  CsClipContent *self = g_new0 (CsClipContent, 1);

  g_atomic_ref_count_init (&self->ref);
  self->rows = cs_predict_dataset_new (n_clips);
  cs_predict_dataset_set_content_names (self->rows, NULL, 0);
  return self;
}

CsClipContent *
cs_clip_content_ref (CsClipContent *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref);
  return self;
}

void
cs_clip_content_unref (CsClipContent *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref))
    return;
  cs_predict_dataset_free (self->rows);
  g_free (self);
}

guint
cs_clip_content_get_n_clips (CsClipContent *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->rows->n_rows;
}

CsPredictDataset *
cs_clip_content_get_rows (CsClipContent *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->rows;
}

CsClipContent *
cs_clip_content_load (CsStore       *store,
                      const gint64  *clip_rowids,
                      guint          n_clips,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(CsClipContent) self = NULL;
  g_autoptr(GHashTable) row_of_clip = g_hash_table_new (g_int64_hash, g_int64_equal);
  sqlite3_stmt *stmt;
  guint n_read = 0;
  int rc;

  g_return_val_if_fail (CS_IS_STORE (store), NULL);
  g_return_val_if_fail (clip_rowids != NULL || n_clips == 0, NULL);

  self = cs_clip_content_new (n_clips);
  for (guint j = 0; j < n_clips; j++)
    {
      self->rows->clip_ids[j] = clip_rowids[j];
      if (clip_rowids[j] > 0)
        g_hash_table_insert (row_of_clip, &self->rows->clip_ids[j], GUINT_TO_POINTER (j + 1));
    }

  stmt = cs_store_prepare (store, "SELECT id, title, caption, hashtags FROM clips", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      guint row = GPOINTER_TO_UINT (g_hash_table_lookup (row_of_clip, &id));
      const char *title = (const char *) sqlite3_column_text (stmt, 1);
      const char *caption = (const char *) sqlite3_column_text (stmt, 2);
      const char *hashtags = (const char *) sqlite3_column_text (stmt, 3);
      g_autofree char *text = NULL;

      if (row == 0 || (title == NULL && caption == NULL && hashtags == NULL))
        continue;
      if (++n_read % 1024 == 0 && g_cancellable_is_cancelled (cancellable))
        break;
      text = g_strjoin ("\n", title ? title : "", caption ? caption : "", NULL);
      cs_predict_dataset_set_text (self->rows, row - 1, text, hashtags);
    }
  sqlite3_reset (stmt);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (rc != SQLITE_DONE)
    {
      cs_store_set_error (store, error, _("Could not read the clips’ titles and captions"));
      return NULL;
    }

  if (!cs_predict_dataset_load_content (self->rows, store, row_of_clip, error))
    return NULL;
  return g_steal_pointer (&self);
}
