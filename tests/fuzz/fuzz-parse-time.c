/* fuzz-parse-time.c: libFuzzer target for the event-log time parser.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>

#include "cs-event-import.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  gint64 seconds = 0;

  (void) cs_import_parse_time (text, &seconds);
  return 0;
}
