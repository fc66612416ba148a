/* bench-clips.c: how long understanding a clip takes, against decoding it.
 *
 * For each clip of a folder (default: $CS_SHARED_DATA/videos), the time of
 * cs_clip_analyze() (probe, 16 sampled frames, features, thumbnails, covers,
 * sound) against `gst-launch-1.0 uridecodebin uri=… ! fakesink sync=false`
 * decoding the whole file, in the same run, and their ratio (with the
 * total and the median ratio per clip); then the time of importing the
 * whole folder into a new project (cs_clip_import_run).
 *
 *   bench-clips [FOLDER]
 *
 * Files the importer refuses are listed apart. Figures go in
 * docs/BENCHMARKS.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "clipscope-engine.h"

/* gst-launch-1.0 now and then hangs at the end of a file (3gp.3gp):
 * such a decode is stopped after this long and left out. */
#define DECODE_TIMEOUT_S 60

static void
waited_cb (GObject      *child,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (child), result, NULL);
  *(gboolean *) user_data = TRUE;
}

static gboolean
timed_out_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static double
decode_seconds (const char *path)
{
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autofree char *arg = g_strdup_printf ("uri=%s", uri);
  const char *argv[] = { "gst-launch-1.0", "-q", "uridecodebin", arg, "!", "fakesink", "sync=false", NULL };
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GSubprocess) child = NULL;
  gboolean done = FALSE, timed_out = FALSE;
  guint timeout_id;
  double seconds;

  child = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                             NULL);
  if (child == NULL)
    return -1.0;
  g_subprocess_wait_async (child, NULL, waited_cb, &done);
  timeout_id = g_timeout_add_seconds (DECODE_TIMEOUT_S, timed_out_cb, &timed_out);
  while (!done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  if (!timed_out)
    g_source_remove (timeout_id);
  else
    g_subprocess_force_exit (child);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out || !g_subprocess_get_successful (child))
    return -1.0;
  return seconds;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *folder = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *project = NULL;
  double total_ours = 0.0, total_peer = 0.0;
  guint measured = 0;
  g_autoptr(GArray) ratios = g_array_new (FALSE, FALSE, sizeof (double));

  if (argc > 1)
    folder = g_strdup (argv[1]);
  else if (g_getenv ("CS_SHARED_DATA") != NULL)
    folder = g_build_filename (g_getenv ("CS_SHARED_DATA"), "videos", NULL);
  else
    {
      g_printerr ("bench-clips: give a FOLDER or set CS_SHARED_DATA\n");
      return 1;
    }

  cs_media_init ();
  {
    const char *paths[] = { folder, NULL };

    files = cs_clip_import_collect (paths, NULL, &error);
    if (files == NULL)
      {
        g_printerr ("bench-clips: %s\n", error->message);
        return 1;
      }
  }

  printf ("%-58s %9s %9s %7s\n", "clip", "ours_s", "decode_s", "ratio");
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autoptr(CsClipAnalysis) analysis = NULL;
      g_autoptr(GError) file_error = NULL;
      g_autofree char *name = g_path_get_basename (path);
      gint64 start = g_get_monotonic_time ();
      double ours, peer;

      analysis = cs_clip_analyze (path, NULL, &file_error);
      ours = (g_get_monotonic_time () - start) / 1e6;
      if (analysis == NULL)
        {
          printf ("%-58s refused: %s\n", name, file_error->message);
          continue;
        }
      peer = decode_seconds (path);
      if (peer <= 0)
        {
          printf ("%-58s %9.3f %9s %7s\n", name, ours, "failed", "-");
          continue;
        }
      printf ("%-58s %9.3f %9.3f %7.2f\n", name, ours, peer, ours / peer);
      g_array_append_val (ratios, (double) { ours / peer });
      total_ours += ours;
      total_peer += peer;
      measured++;
    }
  printf ("%-58s %9.3f %9.3f %7.2f\n", "TOTAL (clips both read)", total_ours, total_peer,
          total_peer > 0 ? total_ours / total_peer : 0.0);
  /* Single clips move a lot from run to run; the median ratio less so. */
  if (ratios->len > 0)
    {
      double *r = (double *) ratios->data;
      guint n = ratios->len;

      qsort (r, n, sizeof (double), compare_doubles);
      printf ("%-58s %9s %9s %7.2f (range %.2f–%.2f)\n", "median ratio per clip", "", "",
              n % 2 ? r[n / 2] : (r[n / 2 - 1] + r[n / 2]) / 2, r[0], r[n - 1]);
    }

  tmp = g_dir_make_tmp ("bench-clips-XXXXXX", &error);
  if (tmp == NULL)
    {
      g_printerr ("bench-clips: %s\n", error->message);
      return 1;
    }
  project = g_build_filename (tmp, "Bench.clipscope", NULL);
  {
    g_autoptr(CsStore) store = cs_store_open (project, CS_STORE_CREATE, &error);
    g_autoptr(CsClipImportReport) report = NULL;
    const char *paths[] = { folder, NULL };
    gint64 start;

    if (store == NULL)
      {
        g_printerr ("bench-clips: %s\n", error->message);
        return 1;
      }
    start = g_get_monotonic_time ();
    report = cs_clip_import_run (store, paths, NULL, NULL, NULL, &error);
    if (report == NULL)
      {
        g_printerr ("bench-clips: %s\n", error->message);
        return 1;
      }
    printf ("\nwhole-folder import: %u files (%u ok, %u refused) in %.1f s on %u CPUs\n",
            report->files->len, report->n_ok, report->n_error,
            (g_get_monotonic_time () - start) / 1e6, g_get_num_processors ());
  }
  {
    g_autofree char *wal = g_strconcat (project, "-wal", NULL);
    g_autofree char *shm = g_strconcat (project, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
    g_unlink (project);
    g_rmdir (tmp);
  }
  return measured > 0 ? 0 : 1;
}
