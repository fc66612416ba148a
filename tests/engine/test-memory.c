/* test-memory.c: the peak memory figures behind "Peak memory" in the
 * Recommend results.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/mman.h>

#include "cs-memory.h"

#define CHUNK (96 * 1000 * 1000)

/* Touching 96 MB raises the peak by at least that; unmapping it and
 * resetting brings the peak back down, below what it was with the block.
 * The block is mapped directly, so neither malloc's caches nor a
 * sanitizer's quarantine keep it resident after it is given back. */
static void
test_peak (void)
{
  gint64 rss, before, with_block, after_reset;
  guint8 *block;

  if (!cs_memory_reset_peak ())
    {
      g_test_skip ("this system cannot reset the peak resident size");
      return;
    }
  rss = cs_memory_get_rss ();
  before = cs_memory_get_peak_rss ();
  g_assert_cmpint (rss, >, 0);
  /* Read after the current size, the peak includes it. */
  g_assert_cmpint (rss, <=, before);

  block = mmap (NULL, CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  g_assert_true (block != MAP_FAILED);
  memset (block, 1, CHUNK);  /* resident only once written */
  with_block = cs_memory_get_peak_rss ();
  g_assert_cmpint (with_block, >=, before + CHUNK - 4 * 1000 * 1000);
  g_assert_cmpint (munmap (block, CHUNK), ==, 0);

  g_assert_true (cs_memory_reset_peak ());
  after_reset = cs_memory_get_peak_rss ();
  g_assert_cmpint (after_reset, <, with_block - CHUNK / 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/memory/peak", test_peak);
  return g_test_run ();
}
