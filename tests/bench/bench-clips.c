/* bench-clips.c: how long understanding a clip takes, against decoding it.
 *
 * For each clip of a folder (default: $CS_SHARED_DATA/videos), the time of
 * cs_clip_analyze() (probe, 16 sampled frames, features, thumbnails, covers,
 * sound) against `gst-launch-1.0 uridecodebin uri=… ! fakesink sync=false`
 * decoding the whole file, in the same run, and their ratio (with the
 * total and the median ratio per clip); then the time of importing the
 * whole folder into a new project (cs_clip_import_run).
 *
 *   bench-clips [--key-frame-every-second] [FOLDER]
 *
 * Files the importer refuses are listed apart. The "sought" column says
 * how many of the 16 samples a key-unit seek found (the first always); after the first
 * sample that lands on an earlier frame, the sampler decodes through
 * (docs/CLIPS.md, step 3), and the totals are also given for each way.
 *
 * --key-frame-every-second: then the clips of 16 s or more (a sample
 * every second or further apart) are encoded again, picture only, with
 * x264enc at their own size, frame rate and bitrate, a key frame every second,
 * as phone cameras store them, into a temporary folder, and measured the
 * same way. Figures go in docs/BENCHMARKS.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include <gst/gst.h>
#include <math.h>

#include "clipscope-engine.h"

/* gst-launch-1.0 now and then hangs at the end of a file (3gp.3gp):
 * such a decode is stopped after this long and left out. */
#define DECODE_TIMEOUT_S 60
/* Encoding a clip again (--key-frame-every-second) that takes longer than
 * this is stopped and the clip left out. */
#define ENCODE_TIMEOUT_S 600

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

typedef struct
{
  double total_ours;
  double total_peer;
  guint  measured;
} Totals;

static void
add (Totals *t,
     double  ours,
     double  peer)
{
  t->total_ours += ours;
  t->total_peer += peer;
  t->measured++;
}

static void
print_totals (const char   *label,
              const Totals *t)
{
  printf ("%-58s %9.3f %9.3f %7.2f   (%u clips)\n", label, t->total_ours, t->total_peer,
          t->total_peer > 0 ? t->total_ours / t->total_peer : 0.0, t->measured);
}

/* One line per file, then the totals (all, by seeking, decoded through)
 * and the median ratio. Fills @long_clips, when given, with the paths,
 * frame rates and bitrates of the clips measured that last 16 s or more. */
static guint
measure (GPtrArray *files,
         GPtrArray *long_clips,
         GArray    *long_fps,
         GArray    *long_bitrates)
{
  g_autoptr(GArray) ratios = g_array_new (FALSE, FALSE, sizeof (double));
  Totals all = { 0 }, sought = { 0 }, through = { 0 };

  printf ("%-58s %9s %9s %7s %7s\n", "clip", "ours_s", "decode_s", "ratio", "sought");
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
      printf ("%-58s %9.3f %9.3f %7.2f %7u\n", name, ours, peer, ours / peer, analysis->n_sought);
      g_array_append_val (ratios, (double) { ours / peer });
      add (&all, ours, peer);
      add (analysis->n_sought > 1 ? &sought : &through, ours, peer);
      if (long_clips != NULL && analysis->info->duration_ms >= 16000)
        {
          g_ptr_array_add (long_clips, g_strdup (path));
          g_array_append_val (long_fps, analysis->info->fps);
          g_array_append_val (long_bitrates, analysis->info->bitrate);
        }
    }
  print_totals ("TOTAL (clips both read)", &all);
  print_totals ("  sampled by seeking", &sought);
  print_totals ("  decoded through (key frames further apart)", &through);
  /* Single clips move a lot from run to run; the median ratio less so. */
  if (ratios->len > 0)
    {
      double *r = (double *) ratios->data;
      guint n = ratios->len;

      qsort (r, n, sizeof (double), compare_doubles);
      printf ("%-58s %9s %9s %7.2f (range %.2f–%.2f)\n", "median ratio per clip", "", "",
              n % 2 ? r[n / 2] : (r[n / 2 - 1] + r[n / 2]) / 2, r[0], r[n - 1]);
    }
  return all.measured;
}

static void
link_video_cb (GstElement *decodebin,
               GstPad     *pad,
               gpointer    user_data)
{
  g_autoptr(GstCaps) caps = gst_pad_query_caps (pad, NULL);
  g_autoptr(GstPad) sinkpad = gst_element_get_static_pad (user_data, "sink");

  if (g_str_has_prefix (gst_structure_get_name (gst_caps_get_structure (caps, 0)), "video/") &&
      !gst_pad_is_linked (sinkpad))
    gst_pad_link (pad, sinkpad);
}

/* @path's pictures as H.264 in MP4, a key frame every second, no sound,
 * at the file's overall bitrate (x264enc's default, 2 Mbit/s, would give
 * the small clips several times more bits to decode than they had). */
static char *
encode_key_frame_every_second (const char  *path,
                               double       fps,
                               gint64       bitrate,
                               const char  *dir,
                               GError     **error)
{
  g_autofree char *uri = g_filename_to_uri (path, NULL, error);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *out = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  g_autoptr(GstElement) decodebin = NULL;
  g_autoptr(GstElement) convert = NULL;
  char *dot;

  if (uri == NULL)
    return NULL;
  if ((dot = strrchr (base, '.')) != NULL)
    *dot = '\0';
  out = g_strdup_printf ("%s/%s-key-every-1s.mp4", dir, base);
  description = g_strdup_printf ("uridecodebin name=decode uri=\"%s\""
                                 " videoconvert name=convert ! x264enc speed-preset=veryfast"
                                 " key-int-max=%d bitrate=%d ! mp4mux ! filesink location=\"%s\"",
                                 uri, MAX (1, (int) round (fps > 0 ? fps : 25)),
                                 bitrate > 0 ? (int) MAX (bitrate / 1000, 1) : 2048, out);
  pipeline = gst_parse_launch (description, error);
  if (pipeline == NULL)
    return NULL;
  decodebin = gst_bin_get_by_name (GST_BIN (pipeline), "decode");
  convert = gst_bin_get_by_name (GST_BIN (pipeline), "convert");
  g_signal_connect_object (decodebin, "pad-added", G_CALLBACK (link_video_cb), convert, 0);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  message = gst_bus_timed_pop_filtered (bus, ENCODE_TIMEOUT_S * GST_SECOND,
                                        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  if (message == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "not done after %d s", ENCODE_TIMEOUT_S);
      g_unlink (out);
      return NULL;
    }
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      gst_message_parse_error (message, error, NULL);
      return NULL;
    }
  return g_steal_pointer (&out);
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
  g_autoptr(GPtrArray) long_clips = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) long_fps = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) long_bitrates = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean key_every_second = FALSE;
  guint measured;

  if (argc > 1 && g_str_equal (argv[1], "--key-frame-every-second"))
    {
      key_every_second = TRUE;
      argv++;
      argc--;
    }
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

  measured = measure (files, key_every_second ? long_clips : NULL, long_fps, long_bitrates);

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
  if (key_every_second)
    {
      g_autoptr(GPtrArray) encoded = g_ptr_array_new_with_free_func (g_free);

      printf ("\nThe %u clips of 16 s or more, encoded again with a key frame every second:\n",
              long_clips->len);
      for (guint i = 0; i < long_clips->len; i++)
        {
          g_autoptr(GError) encode_error = NULL;
          char *out = encode_key_frame_every_second (g_ptr_array_index (long_clips, i),
                                                     g_array_index (long_fps, double, i),
                                                     g_array_index (long_bitrates, gint64, i), tmp,
                                                     &encode_error);
          if (out == NULL)
            printf ("%-58s not encoded: %s\n", (char *) g_ptr_array_index (long_clips, i),
                    encode_error->message);
          else
            g_ptr_array_add (encoded, out);
        }
      measure (encoded, NULL, NULL, NULL);
      for (guint i = 0; i < encoded->len; i++)
        g_unlink (g_ptr_array_index (encoded, i));
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
