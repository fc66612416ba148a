/* cs-memory.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cs-memory.h"

gboolean
cs_memory_reset_peak (void)
{
  FILE *file = fopen ("/proc/self/clear_refs", "w");
  gboolean ok;

  if (file == NULL)
    return FALSE;
  ok = fputs ("5", file) >= 0;
  /* The kernel acts on the write, which fclose() flushes. */
  ok = fclose (file) == 0 && ok;
  return ok;
}

/* A "Name:   1234 kB" line of /proc/self/status, in bytes. */
static gint64
status_bytes (const char *name)
{
  g_autofree char *text = NULL;
  gsize len = strlen (name);

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL))
    return -1;
  for (const char *line = text; line != NULL && *line != '\0';)
    {
      const char *next = strchr (line, '\n');

      if (strncmp (line, name, len) == 0 && line[len] == ':')
        {
          gint64 kib = g_ascii_strtoll (line + len + 1, NULL, 10);

          return kib > 0 ? kib * 1024 : -1;
        }
      line = next != NULL ? next + 1 : NULL;
    }
  return -1;
}

gint64
cs_memory_get_peak_rss (void)
{
  return status_bytes ("VmHWM");
}

gint64
cs_memory_get_rss (void)
{
  return status_bytes ("VmRSS");
}

guint64
cs_memory_get_physical (void)
{
  long pages = sysconf (_SC_PHYS_PAGES);
  long page_size = sysconf (_SC_PAGESIZE);

  if (pages <= 0 || page_size <= 0)
    return G_MAXUINT64;
  return (guint64) pages * (guint64) page_size;
}
