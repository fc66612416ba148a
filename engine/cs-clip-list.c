/* cs-clip-list.c: the clips of a project as a GListModel of CsClip.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cs-clip-list.h"

struct _CsClipList
{
  GObject     parent_instance;

  GPtrArray  *clips;   /* of CsClip, by id */
  GHashTable *by_id;   /* owned gint64* → CsClip (borrowed) */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsClipList, cs_clip_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
cs_clip_list_get_item_type (GListModel *model)
{
  return CS_TYPE_CLIP;
}

static guint
cs_clip_list_get_n_items (GListModel *model)
{
  return CS_CLIP_LIST (model)->clips->len;
}

static gpointer
cs_clip_list_get_item (GListModel *model,
                       guint       position)
{
  CsClipList *self = CS_CLIP_LIST (model);

  if (position >= self->clips->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->clips, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = cs_clip_list_get_item_type;
  iface->get_n_items = cs_clip_list_get_n_items;
  iface->get_item = cs_clip_list_get_item;
}

static void
cs_clip_list_finalize (GObject *object)
{
  CsClipList *self = CS_CLIP_LIST (object);

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->clips, g_ptr_array_unref);

  G_OBJECT_CLASS (cs_clip_list_parent_class)->finalize (object);
}

static void
cs_clip_list_class_init (CsClipListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cs_clip_list_finalize;
}

static void
cs_clip_list_init (CsClipList *self)
{
  self->clips = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

CsClipList *
cs_clip_list_new (void)
{
  return g_object_new (CS_TYPE_CLIP_LIST, NULL);
}

CsClip *
cs_clip_list_find (CsClipList *self,
                   gint64      clip_id)
{
  g_return_val_if_fail (CS_IS_CLIP_LIST (self), NULL);

  return g_hash_table_lookup (self->by_id, &clip_id);
}

CsClipList *
cs_clip_list_load (CsStore       *store,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(CsClipList) self = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CS_IS_STORE (store), NULL);

  self = cs_clip_list_new ();

  /* One read transaction, so the clips and their thumbnails agree. */
  if (!cs_store_exec (store, "BEGIN", error))
    return NULL;

  stmt = cs_store_prepare (store, "SELECT " CS_CLIP_COLUMNS " FROM clips ORDER BY id", error);
  if (stmt == NULL)
    goto fail;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CsClip *clip = _cs_clip_new_from_row (stmt);
      gint64 id = cs_clip_get_id (clip);

      g_ptr_array_add (self->clips, clip);
      g_hash_table_insert (self->by_id, g_memdup2 (&id, sizeof id), clip);
      if ((self->clips->len & 1023) == 0 && g_cancellable_is_cancelled (cancellable))
        {
          sqlite3_reset (stmt);
          g_cancellable_set_error_if_cancelled (cancellable, error);
          goto fail;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      cs_store_set_error (store, error, _("reading the clips"));
      goto fail;
    }

  /* The grid shows each clip's first thumbnail: one row per clip. */
  stmt = cs_store_prepare (store,
                           "SELECT f.clip_id, f.data FROM clips c"
                           " JOIN frames f ON f.id = (SELECT id FROM frames"
                           "   WHERE clip_id = c.id AND kind = 'thumbnail'"
                           "   ORDER BY time_ms, id LIMIT 1)",
                           error);
  if (stmt == NULL)
    goto fail;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      CsClip *clip = cs_clip_list_find (self, id);
      int size = sqlite3_column_bytes (stmt, 1);

      if (clip != NULL && size > 0)
        {
          g_autoptr(GBytes) png = g_bytes_new (sqlite3_column_blob (stmt, 1), (gsize) size);
          _cs_clip_set_thumbnail (clip, png);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      cs_store_set_error (store, error, _("reading the clip thumbnails"));
      goto fail;
    }

  cs_store_exec (store, "COMMIT", NULL);
  return g_steal_pointer (&self);

fail:
  cs_store_exec (store, "ROLLBACK", NULL);
  return NULL;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(CsStore) store = NULL;
  GError *error = NULL;
  CsClipList *list;

  if (g_task_return_error_if_cancelled (task))
    return;
  store = cs_store_open (task_data, CS_STORE_OPEN_EXISTING, &error);
  if (store == NULL || (list = cs_clip_list_load (store, cancellable, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, list, g_object_unref);
}

void
cs_clip_list_load_async (const char          *project_path,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (project_path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cs_clip_list_load_async);
  g_task_set_task_data (task, g_strdup (project_path), g_free);
  g_task_run_in_thread (task, load_thread);
}

CsClipList *
cs_clip_list_load_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cs_clip_list_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
