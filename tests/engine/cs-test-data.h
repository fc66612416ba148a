/* cs-test-data.h: helpers the engine tests share (real data, temporary folders).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

/* The folder of real third-party data (meson option shared_data). Real data
 * is required, not optional (DESIGN §6): the test fails without it. */
static inline const char *
cs_test_shared_data (void)
{
  const char *dir = g_getenv ("CS_SHARED_DATA");

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    g_error ("CS_SHARED_DATA is not set or is not a folder (%s): the real-data tests "
             "cannot run", dir ? dir : "unset");
  return dir;
}

/* A new empty folder under the temporary folder; free with g_free(). */
static inline char *
cs_test_make_dir (const char *template)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp (template, &error);

  g_assert_no_error (error);
  return dir;
}

/* Removes @dir and the files in it (not subfolders). */
static inline void
cs_test_remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (dir);
}
