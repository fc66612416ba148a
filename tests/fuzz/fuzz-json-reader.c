/* fuzz-json-reader.c: libFuzzer target for CsTableReader's JSON and JSON
 * Lines back end, with encoding detection in front of it.
 *
 * Any bytes must give records or a clean error, never a crash, a hang or
 * unbounded memory. The first byte picks the format: JSON array, JSON Lines,
 * or detected (which also exercises the encoding sniffing and delimited
 * text).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <stdint.h>

#include "fuzz-table-reader.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const CsTableFormat formats[] = {
    CS_TABLE_FORMAT_JSON, CS_TABLE_FORMAT_JSON_LINES, CS_TABLE_FORMAT_AUTO
  };
  CsTableReaderOptions opts = { .max_field = 4096 };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(CsTableReader) reader = NULL;
  g_autoptr(GError) error = NULL;

  if (size == 0)
    return 0;
  opts.format = formats[data[0] % G_N_ELEMENTS (formats)];
  bytes = g_bytes_new_static (data + 1, size - 1);
  reader = cs_table_reader_new_for_bytes (bytes, "fuzz.json", &opts, &error);
  if (reader == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }

  fuzz_read_table (reader);
  return 0;
}
