/* fuzz-xlsx-reader.c: libFuzzer target for CsTableReader's XLSX back end.
 *
 * Random bytes are almost never a zip archive, so the input is mostly the
 * workbook's XML parts, which the target zips (stored, in memory) before
 * reading: the parts are separated by a line "@@", in the order sheet,
 * shared strings, styles, workbook (missing ones are left out, a workbook
 * listing one sheet is used when none is given). An input starting with "PK"
 * is read as the whole file instead, for damaged archives.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <stdint.h>
#include <string.h>
#include <zip.h>

#include "fuzz-table-reader.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char default_workbook[] =
  "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
  "<sheets><sheet name=\"S\" r:id=\"rId1\"/></sheets></workbook>";

static const char * const part_names[] = {
  "xl/worksheets/sheet1.xml",
  "xl/sharedStrings.xml",
  "xl/styles.xml",
  "xl/workbook.xml",
};

/* A zip archive of the parts, in memory. */
static GBytes *
zip_parts (const uint8_t *data,
           size_t         size)
{
  zip_error_t zerror;
  zip_source_t *source;
  zip_t *zip;
  const uint8_t *p = data, *end = data + size;
  gboolean has_workbook = FALSE;
  zip_int64_t length;
  guint8 *out;

  zip_error_init (&zerror);
  source = zip_source_buffer_create (NULL, 0, 0, &zerror);
  zip_source_keep (source);
  zip = zip_open_from_source (source, ZIP_TRUNCATE, &zerror);
  g_assert_nonnull (zip);

  for (guint i = 0; i < G_N_ELEMENTS (part_names) && p <= end; i++)
    {
      const uint8_t *sep = NULL;
      zip_source_t *part;
      zip_int64_t index;

      for (const uint8_t *q = p; q + 4 <= end && sep == NULL; q++)
        if (memcmp (q, "\n@@\n", 4) == 0)
          sep = q;
      part = zip_source_buffer (zip, p, (sep != NULL ? sep : end) - p, 0);
      index = zip_file_add (zip, part_names[i], part, 0);
      zip_set_file_compression (zip, index, ZIP_CM_STORE, 0);
      has_workbook |= i == 3;
      if (sep == NULL)
        break;
      p = sep + 4;
    }
  if (!has_workbook)
    zip_file_add (zip, part_names[3],
                  zip_source_buffer (zip, default_workbook, strlen (default_workbook), 0), 0);
  g_assert_cmpint (zip_close (zip), ==, 0);

  zip_source_open (source);
  zip_source_seek (source, 0, SEEK_END);
  length = zip_source_tell (source);
  zip_source_seek (source, 0, SEEK_SET);
  out = g_malloc (length);
  g_assert_cmpint (zip_source_read (source, out, length), ==, length);
  zip_source_close (source);
  zip_source_free (source);
  return g_bytes_new_take (out, length);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  CsTableReaderOptions opts = { .format = CS_TABLE_FORMAT_XLSX, .max_field = 4096 };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(CsTableReader) reader = NULL;
  g_autoptr(GError) error = NULL;

  if (size >= 2 && data[0] == 'P' && data[1] == 'K')
    bytes = g_bytes_new_static (data, size);
  else
    bytes = zip_parts (data, size);

  reader = cs_table_reader_new_for_bytes (bytes, "fuzz.xlsx", &opts, &error);
  if (reader == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  g_assert_cmpstr (cs_table_reader_get_format (reader), ==, "XLSX");

  fuzz_read_table (reader);
  return 0;
}
