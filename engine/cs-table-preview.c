/* cs-table-preview.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cs-column-guess.h"
#include "cs-error.h"
#include "cs-event-import.h"
#include "cs-store.h"
#include "cs-table-reader.h"
#include "cs-table-preview.h"

void
cs_table_preview_free (CsTablePreview *preview)
{
  if (preview == NULL)
    return;

  g_free (preview->path);
  g_free (preview->kind);
  g_free (preview->format);
  g_free (preview->encoding);
  g_strfreev (preview->header);
  g_clear_pointer (&preview->rows, g_ptr_array_unref);
  g_clear_pointer (&preview->mapping, g_hash_table_unref);
  g_free (preview->time_zone);
  g_free (preview);
}

CsTablePreview *
cs_table_preview_read (const char    *path,
                       const char    *kind,
                       const char    *encoding,
                       const char    *project_path,
                       guint          max_rows,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(CsTablePreview) preview = NULL;
  g_autoptr(CsTableReader) reader = NULL;
  CsTableReaderOptions options = { .encoding = encoding };
  g_autoptr(GError) local_error = NULL;
  CsTableKind table_kind;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (kind != NULL, NULL);

  reader = cs_table_reader_new_for_path (path, &options, error);
  if (reader == NULL)
    return NULL;

  if (!cs_table_reader_next (reader, cancellable, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_EMPTY,
                     _("“%s” is empty. Export the table again from your platform."),
                     path);
      return NULL;
    }

  preview = g_new0 (CsTablePreview, 1);
  preview->path = g_strdup (path);
  preview->kind = g_strdup (kind);
  preview->format = g_strdup (cs_table_reader_get_format (reader));
  preview->encoding = g_strdup (cs_table_reader_get_encoding (reader));
  preview->header = cs_table_reader_dup_fields (reader);
  preview->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  /* An event log without a line of names: columns by position, as the
   * event import reads it (cs_event_header_is_data()). */
  if (g_str_equal (kind, CS_TABLE_KIND_EVENTS) &&
      cs_event_header_is_data ((const char * const *) preview->header))
    {
      g_ptr_array_add (preview->rows, g_steal_pointer (&preview->header));
      preview->header = cs_event_positional_header (g_strv_length (g_ptr_array_index (preview->rows, 0)));
    }

  while (preview->rows->len < max_rows)
    {
      if (!cs_table_reader_next (reader, cancellable, &local_error))
        {
          /* A preview shows what could be read; the import reports the rest. */
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          break;
        }
      g_ptr_array_add (preview->rows, cs_table_reader_dup_fields (reader));
    }

  /* The user's own choice for this layout first, else the guess. */
  table_kind = g_str_equal (kind, CS_TABLE_KIND_STATS) ? CS_TABLE_STATS : CS_TABLE_EVENTS;
  if (project_path != NULL)
    {
      g_autoptr(CsStore) store = cs_store_open (project_path, CS_STORE_READ_ONLY, NULL);

      if (store != NULL)
        {
          preview->mapping = cs_column_mapping_load (store, table_kind,
                                                     (const char * const *) preview->header, NULL);
          preview->time_zone = cs_store_get_setting (store, "time_zone");
        }
    }
  preview->mapping_saved = preview->mapping != NULL;
  if (preview->mapping == NULL)
    {
      g_autoptr(GPtrArray) guesses = cs_column_guess (table_kind, (const char * const *) preview->header,
                                                      (const char * const * const *) preview->rows->pdata,
                                                      preview->rows->len);

      preview->mapping = cs_column_guesses_to_mapping (guesses, (const char * const *) preview->header);
    }

  return g_steal_pointer (&preview);
}

char *
cs_table_preview_sample (CsTablePreview *preview,
                         const char     *column,
                         guint           max)
{
  g_autoptr(GString) sample = g_string_new (NULL);
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  int index = -1;

  g_return_val_if_fail (preview != NULL, NULL);

  if (column == NULL)
    return g_strdup ("");

  /* Mappings name columns trimmed, as the importers compare them. */
  for (guint i = 0; preview->header[i] != NULL && index < 0; i++)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (preview->header[i]));

      if (g_str_equal (trimmed, column))
        index = i;
    }
  if (index < 0)
    return g_strdup ("");

  for (guint r = 0; r < preview->rows->len && seen->len < max; r++)
    {
      char **row = g_ptr_array_index (preview->rows, r);
      const char *value;
      gboolean dup = FALSE;

      if ((guint) index >= g_strv_length (row))
        continue;
      value = row[index];
      if (value[0] == '\0')
        continue;
      for (guint s = 0; s < seen->len; s++)
        dup |= g_str_equal (g_ptr_array_index (seen, s), value);
      if (dup)
        continue;
      g_ptr_array_add (seen, (gpointer) value);
      if (sample->len > 0)
        g_string_append (sample, ", ");
      if (g_utf8_strlen (value, -1) > 24)
        {
          g_autofree char *cut = g_utf8_substring (value, 0, 23);

          g_string_append_printf (sample, "%s…", cut);
        }
      else
        g_string_append (sample, value);
    }
  return g_string_free (g_steal_pointer (&sample), FALSE);
}
