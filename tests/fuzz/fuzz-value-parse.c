/* fuzz-value-parse.c: libFuzzer target for the number, time and duration
 * parsers (cs-value-parse.h), and the other per-cell text functions of the
 * stats import: hashtags, header names, clip-link keys. The first byte picks the zone and default year,
 * so that both paths of a time without a zone are reached.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>

#include "cs-clip-linker.h"
#include "cs-column-guess.h"
#include "cs-stats-import.h"
#include "cs-value-parse.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static GTimeZone *zones[2];
  g_autofree char *text = NULL;
  CsTimeContext context = { NULL, 0 };
  g_autofree char *reason = NULL;
  double number;
  gint64 seconds;
  guint8 selector;

  if (size == 0)
    return 0;
  if (zones[0] == NULL)
    {
      zones[0] = g_time_zone_new_utc ();
      zones[1] = g_time_zone_new_offset (8 * 3600);
    }

  selector = data[0];
  text = g_strndup ((const char *) data + 1, size - 1);
  context.zone = zones[selector & 1];
  context.default_year = selector & 2 ? 2020 : 0;

  /* A parser that says OK leaves a value; INVALID always comes with a reason. */
  if (cs_value_parse_number (text, selector & 4 ? CS_NUMBER_AS_RATE : 0,
                             &number, NULL, &reason) == CS_VALUE_INVALID)
    g_assert (reason != NULL);
  g_clear_pointer (&reason, g_free);
  if (cs_value_parse_time (text, &context, &seconds, &reason) == CS_VALUE_INVALID)
    g_assert (reason != NULL);
  g_clear_pointer (&reason, g_free);
  if (cs_value_parse_duration (text, &number, &reason) == CS_VALUE_INVALID)
    g_assert (reason != NULL);
  else
    g_assert (reason == NULL);

  {
    g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *header = cs_column_normalise_header (text);
    g_autofree char *key = cs_clip_linker_key (text);

    cs_stats_extract_hashtags (text, tags);
    for (guint i = 0; i < tags->len; i++)
      g_assert (g_utf8_validate (g_ptr_array_index (tags, i), -1, NULL));
    g_assert (g_utf8_validate (header, -1, NULL));
    g_assert (g_utf8_validate (key, -1, NULL));
  }
  return 0;
}
