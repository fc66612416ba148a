/* cs-clip-linker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cs-clip-linker.h"

static const char * const video_extensions[] = {
  ".mp4", ".mov", ".mkv", ".webm", ".avi", ".m4v", ".flv", ".wmv", ".3gp", ".ts", ".mpg",
  ".mpeg", ".ogv",
};

struct _CsClipLinker
{
  /* Keys → clip id (as a pointer); the first clip to claim a key keeps it. */
  GHashTable *by_id;
  GHashTable *by_id_key;
  GHashTable *by_file_key;
  GHashTable *by_title_key;

  GPtrArray  *unmatched;
  GHashTable *unmatched_set;
};

char *
cs_clip_linker_key (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *nfkc = NULL;
  g_autofree char *folded = NULL;
  GString *key;

  g_return_val_if_fail (text != NULL, NULL);

  valid = g_utf8_make_valid (text, -1);
  nfkc = g_utf8_normalize (valid, -1, G_NORMALIZE_NFKC);
  folded = g_utf8_casefold (g_strstrip (nfkc), -1);

  for (guint i = 0; i < G_N_ELEMENTS (video_extensions); i++)
    if (g_str_has_suffix (folded, video_extensions[i]) &&
        strlen (folded) > strlen (video_extensions[i]))
      {
        folded[strlen (folded) - strlen (video_extensions[i])] = '\0';
        break;
      }

  key = g_string_sized_new (strlen (folded));
  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isspace (c) && c != '_')
        g_string_append_unichar (key, c);
    }
  return g_string_free (key, FALSE);
}

static void
claim (GHashTable *table,
       char       *key,  /* (transfer full) */
       gint64      clip_id)
{
  if (key == NULL || key[0] == '\0' || g_hash_table_contains (table, key))
    {
      g_free (key);
      return;
    }
  g_hash_table_insert (table, key, GSIZE_TO_POINTER ((gsize) clip_id));
}

void
cs_clip_linker_add (CsClipLinker *self,
                    gint64        clip_id,
                    const char   *external_id,
                    const char   *title,
                    const char   *path)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (clip_id > 0);

  if (external_id != NULL)
    {
      claim (self->by_id, g_strdup (external_id), clip_id);
      claim (self->by_id_key, cs_clip_linker_key (external_id), clip_id);
    }
  if (path != NULL && path[0] != '\0')
    {
      g_autofree char *base = g_path_get_basename (path);

      claim (self->by_file_key, cs_clip_linker_key (base), clip_id);
    }
  if (title != NULL)
    claim (self->by_title_key, cs_clip_linker_key (title), clip_id);
}

static GHashTable *
new_table (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

void
cs_clip_linker_free (CsClipLinker *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->by_id);
  g_hash_table_unref (self->by_id_key);
  g_hash_table_unref (self->by_file_key);
  g_hash_table_unref (self->by_title_key);
  g_ptr_array_unref (self->unmatched);
  g_hash_table_unref (self->unmatched_set);
  g_free (self);
}

CsClipLinker *
cs_clip_linker_new (CsStore  *store,
                    GError  **error)
{
  g_autoptr(CsClipLinker) self = g_new0 (CsClipLinker, 1);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CS_IS_STORE (store), NULL);

  self->by_id = new_table ();
  self->by_id_key = new_table ();
  self->by_file_key = new_table ();
  self->by_title_key = new_table ();
  self->unmatched = g_ptr_array_new_with_free_func (g_free);
  self->unmatched_set = g_hash_table_new (g_str_hash, g_str_equal);

  stmt = cs_store_prepare (store, "SELECT id, external_id, title, path FROM clips ORDER BY id",
                           error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    cs_clip_linker_add (self, sqlite3_column_int64 (stmt, 0),
                        (const char *) sqlite3_column_text (stmt, 1),
                        (const char *) sqlite3_column_text (stmt, 2),
                        (const char *) sqlite3_column_text (stmt, 3));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      cs_store_set_error (store, error, _("Could not read the project’s clips"));
      return NULL;
    }
  return g_steal_pointer (&self);
}

gint64
cs_clip_linker_lookup (CsClipLinker *self,
                       const char   *reference,
                       CsClipLink   *how)
{
  g_autofree char *key = NULL;
  struct { GHashTable *table; CsClipLink link; } rules[] = {
    { self->by_id_key, CS_CLIP_LINK_ID_LOOSE },
    { self->by_file_key, CS_CLIP_LINK_FILE },
    { self->by_title_key, CS_CLIP_LINK_TITLE },
  };
  gpointer value;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (reference != NULL, 0);

  if (how != NULL)
    *how = CS_CLIP_LINK_NONE;

  if (g_hash_table_lookup_extended (self->by_id, reference, NULL, &value))
    {
      if (how != NULL)
        *how = CS_CLIP_LINK_ID;
      return (gint64) GPOINTER_TO_SIZE (value);
    }

  key = cs_clip_linker_key (reference);
  for (guint i = 0; key[0] != '\0' && i < G_N_ELEMENTS (rules); i++)
    if (g_hash_table_lookup_extended (rules[i].table, key, NULL, &value))
      {
        if (how != NULL)
          *how = rules[i].link;
        return (gint64) GPOINTER_TO_SIZE (value);
      }

  if (!g_hash_table_contains (self->unmatched_set, reference))
    {
      char *copy = g_strdup (reference);

      g_ptr_array_add (self->unmatched, copy);
      g_hash_table_add (self->unmatched_set, copy);
    }
  return 0;
}

GPtrArray *
cs_clip_linker_get_unmatched (CsClipLinker *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->unmatched;
}
