/* fuzz-replay.c: runs a fuzz target over files, without libFuzzer.
 *
 * Built with every compiler so the saved corpus (tests/fuzz/corpus/TARGET)
 * is replayed by `meson test` — under ASan/UBSan in CI — as a regression
 * test of everything the fuzzers once found.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
main (int    argc,
      char **argv)
{
  guint n = 0;

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GDir) dir = g_dir_open (argv[i], 0, NULL);
      const char *name;

      if (dir == NULL)
        {
          fprintf (stderr, "fuzz-replay: cannot read the corpus folder %s\n", argv[i]);
          return 1;
        }
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (argv[i], name, NULL);
          g_autofree char *contents = NULL;
          gsize length;

          if (!g_file_get_contents (path, &contents, &length, NULL))
            continue;
          LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
          n++;
        }
    }
  if (n == 0)
    {
      fprintf (stderr, "fuzz-replay: the corpus is empty\n");
      return 1;
    }
  printf ("replayed %u inputs\n", n);
  return 0;
}
