/* fuzz-csv-reader.c: libFuzzer target for the streaming CSV/TSV reader.
 *
 * Any bytes must give records or a clean error, never a crash, a hang or
 * unbounded memory. A small field limit keeps each input cheap.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <stdint.h>

#include "cs-csv-reader.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* The first byte picks the delimiter: 0 = detect, else one of four. */
  static const char delimiters[] = { 0, ',', '\t', ';', '|' };
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(CsCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  char delimiter;

  if (size == 0)
    return 0;
  delimiter = delimiters[data[0] % G_N_ELEMENTS (delimiters)];
  stream = g_memory_input_stream_new_from_data (data + 1, (gssize) size - 1, NULL);
  reader = cs_csv_reader_new (stream, delimiter);
  cs_csv_reader_set_max_field (reader, 4096);

  while (cs_csv_reader_next (reader, NULL, &error))
    {
      guint n = cs_csv_reader_get_n_fields (reader);
      gsize raw_length = 0;

      for (guint i = 0; i < n; i++)
        g_assert_nonnull (cs_csv_reader_get_field (reader, i));
      g_assert_nonnull (cs_csv_reader_get_raw (reader, &raw_length));
      g_assert_cmpint (cs_csv_reader_get_line (reader), >=, 1);
    }
  return 0;
}
