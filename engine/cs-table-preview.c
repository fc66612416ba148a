/* cs-table-preview.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cs-csv-reader.h"
#include "cs-error.h"
#include "cs-event-import.h"
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
  g_free (preview);
}

static CsCsvReader *
open_reader (const char  *path,
             const char  *encoding,
             GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GCharsetConverter) converter = NULL;
  g_autoptr(GInputStream) converted = NULL;
  g_autoptr(GError) local_error = NULL;

  if (encoding == NULL || g_ascii_strcasecmp (encoding, "UTF-8") == 0)
    return cs_csv_reader_new_for_path (path, 0, error);

  stream = g_file_read (file, NULL, &local_error);
  if (stream == NULL)
    {
      g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_OPEN,
                   _("Could not open “%s”: %s"), path, local_error->message);
      return NULL;
    }
  converter = g_charset_converter_new ("UTF-8", encoding, &local_error);
  if (converter == NULL)
    {
      g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_ENCODING,
                   _("The encoding “%s” is not known. Choose another one."), encoding);
      return NULL;
    }
  converted = g_converter_input_stream_new (G_INPUT_STREAM (stream), G_CONVERTER (converter));
  return cs_csv_reader_new (converted, 0);
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
  g_autoptr(CsCsvReader) reader = NULL;
  g_autoptr(GError) local_error = NULL;
  char delimiter;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (kind != NULL, NULL);

  reader = open_reader (path, encoding, error);
  if (reader == NULL)
    return NULL;

  if (!cs_csv_reader_next (reader, cancellable, &local_error))
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
  delimiter = cs_csv_reader_get_delimiter (reader);
  preview->format = g_strdup (delimiter == '\t' ? "TSV" : "CSV");
  preview->encoding = g_strdup (encoding != NULL ? encoding
                                : cs_csv_reader_get_had_bom (reader) ? "UTF-8 (BOM)" : "UTF-8");
  preview->header = cs_csv_reader_dup_fields (reader);
  preview->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  while (preview->rows->len < max_rows)
    {
      if (!cs_csv_reader_next (reader, cancellable, &local_error))
        {
          /* A preview shows what could be read; the import reports the rest. */
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          break;
        }
      g_ptr_array_add (preview->rows, cs_csv_reader_dup_fields (reader));
    }

  preview->mapping = cs_event_mapping_guess ((const char * const *) preview->header);
  (void) project_path;

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
