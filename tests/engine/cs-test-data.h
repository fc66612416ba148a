/* cs-test-data.h: helpers the engine tests share (real data, temporary folders,
 * small matrices).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

#include "cs-sparse.h"

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

/* A CSR matrix of the @n_rows × @n_cols row-major @values (zeros left out). */
static inline CsCsr *
cs_test_dense_csr (const float *values,
                   gint32       n_rows,
                   gint32       n_cols)
{
  g_autoptr(GArray) r = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) c = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) v = g_array_new (FALSE, FALSE, sizeof (float));

  for (gint32 i = 0; i < n_rows; i++)
    for (gint32 j = 0; j < n_cols; j++)
      if (values[i * n_cols + j] != 0)
        {
          g_array_append_val (r, i);
          g_array_append_val (c, j);
          g_array_append_val (v, values[i * n_cols + j]);
        }
  return cs_csr_new_from_pairs (n_rows, n_cols, (gint32 *) (gpointer) r->data, (gint32 *) (gpointer) c->data,
                                (float *) (gpointer) v->data, r->len);
}
