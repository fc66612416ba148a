/* fuzz-table-reader.h: what the CsTableReader fuzz targets check on every record.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-table-reader.h"

/* Reads every record; fields, raw text and lines must always be there, and
 * JSON records exactly as wide as the header. Errors are fine. */
static inline void
fuzz_read_table (CsTableReader *reader)
{
  g_autoptr(GError) error = NULL;
  gboolean json = cs_table_reader_get_format_id (reader) == CS_TABLE_FORMAT_JSON
                  || cs_table_reader_get_format_id (reader) == CS_TABLE_FORMAT_JSON_LINES;
  guint n_columns = 0;

  while (cs_table_reader_next (reader, NULL, &error))
    {
      guint n = cs_table_reader_get_n_fields (reader);
      gsize raw_length = 0;

      for (guint i = 0; i < n; i++)
        g_assert_nonnull (cs_table_reader_get_field (reader, i));
      g_assert_nonnull (cs_table_reader_get_raw (reader, &raw_length));
      g_assert_cmpint (cs_table_reader_get_line (reader), >=, 1);
      if (cs_table_reader_get_n_records (reader) == 1)
        n_columns = n;
      else if (json)
        g_assert_cmpuint (n, ==, n_columns);
    }
}
