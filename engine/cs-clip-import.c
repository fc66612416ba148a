/* cs-clip-import.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "cs-clip-import.h"
#include "cs-clip-store.h"
#include "cs-error.h"
#include "cs-frame-sampler.h"
#include "cs-parallel.h"
#include "cs-media-private.h"
#include "cs-png.h"
#include "cs-video-features.h"

#define N_SAMPLES        16
#define N_THUMBNAILS     8
#define N_COVERS         3
#define THUMB_LONG_SIDE  320
#define COVER_LONG_SIDE  720

static const char * const video_extensions[] = {
  "mp4", "m4v", "mov", "qt", "mkv", "webm", "avi", "wmv", "asf", "flv", "f4v",
  "mpg", "mpeg", "mpe", "m2v", "ts", "mts", "m2ts", "3gp", "3g2", "ogv", "ogg",
  "dv", "mxf", "rm", "rmvb", "vob", "divx", "y4m",
};

/* ---- reports ---- */

static void
file_free (CsClipImportFile *file)
{
  g_free (file->path);
  g_free (file->error);
  g_free (file->warning);
  g_free (file->video_codec);
  g_free (file->audio_codec);
  g_free (file);
}

void
cs_clip_import_report_free (CsClipImportReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->files, g_ptr_array_unref);
  g_free (report);
}

static void
clip_frame_free (CsClipFrame *frame)
{
  g_clear_pointer (&frame->png, g_bytes_unref);
  g_free (frame);
}

void
cs_clip_analysis_free (CsClipAnalysis *analysis)
{
  if (analysis == NULL)
    return;
  g_clear_pointer (&analysis->info, cs_media_info_free);
  g_clear_pointer (&analysis->thumbnails, g_ptr_array_unref);
  g_clear_pointer (&analysis->covers, g_ptr_array_unref);
  g_clear_pointer (&analysis->feature_values, g_array_unref);
  g_clear_pointer (&analysis->feature_names, g_ptr_array_unref);
  g_free (analysis->audio_error);
  g_free (analysis);
}

/* ---- analysis ---- */

static void
add_feature (CsClipAnalysis *analysis,
             const char     *name,
             double          value)
{
  g_ptr_array_add (analysis->feature_names, (gpointer) name);
  g_array_append_val (analysis->feature_values, value);
}

static CsClipFrame *
encode_frame (const CsSampledFrame  *frame,
              double                 score,
              GError               **error)
{
  g_autoptr(GBytes) png = cs_png_encode_rgb (frame->data, frame->width, frame->height,
                                             frame->stride, error);
  CsClipFrame *out;

  if (png == NULL)
    return NULL;
  out = g_new0 (CsClipFrame, 1);
  out->time_ms = frame->time_ms;
  out->width = frame->width;
  out->height = frame->height;
  out->score = score;
  out->png = g_steal_pointer (&png);
  return out;
}

typedef struct
{
  guint  index;
  double score;
} Ranked;

static int
ranked_compare (gconstpointer a,
                gconstpointer b)
{
  const Ranked *ra = a, *rb = b;

  if (ra->score != rb->score)
    return ra->score > rb->score ? -1 : 1;
  return ra->index < rb->index ? -1 : (ra->index > rb->index);
}

typedef struct
{
  char          *uri;
  GCancellable  *cancellable;
  gint64         measured_ms;
  gboolean       audio_ok;
  double         loudness;
  double         silence;
  GError        *audio_error;
} Helper;

static gpointer
measure_duration_thread (gpointer data)
{
  Helper *helper = data;

  helper->measured_ms = _cs_media_measure_duration_ms (helper->uri, helper->cancellable);
  return NULL;
}

static gpointer
measure_audio_thread (gpointer data)
{
  Helper *helper = data;

  helper->audio_ok = cs_media_measure_audio (helper->uri, &helper->loudness, &helper->silence,
                                             helper->cancellable, &helper->audio_error);
  return NULL;
}

static void
cancel_helpers_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

/* Cancels and waits for the helper threads still running. */
static void
stop_helpers (GCancellable  *helpers,
              GThread      **duration_thread,
              GThread      **audio_thread)
{
  g_cancellable_cancel (helpers);
  if (*duration_thread != NULL)
    g_thread_join (g_steal_pointer (duration_thread));
  if (*audio_thread != NULL)
    g_thread_join (g_steal_pointer (audio_thread));
}

typedef struct
{
  CsSampledFrame   *small;  /* THUMB_LONG_SIDE */
  double            brightness;
  double            contrast;
  double            colourfulness;
  double            saturation;
  double            sharpness;
  double            motion;  /* against the frame before; unused for the first */
  CsFrameHistogram  histogram;
} FrameWork;

typedef struct
{
  GPtrArray *samples;
  FrameWork *work;
} FramesJob;

static void
measure_frames (gint64   start,
                gint64   end,
                guint    worker,
                gpointer user_data)
{
  FramesJob *job = user_data;

  for (gint64 i = start; i < end; i++)
    {
      FrameWork *w = &job->work[i];
      CsRgbFrame view;

      w->small = cs_sampled_frame_scale (g_ptr_array_index (job->samples, i), THUMB_LONG_SIDE);
      view = cs_sampled_frame_view (w->small);
      w->brightness = cs_video_brightness (&view);
      w->contrast = cs_video_contrast (&view);
      w->colourfulness = cs_video_colourfulness (&view);
      w->saturation = cs_video_saturation (&view);
      w->sharpness = cs_video_sharpness (&view);
      cs_video_histogram (&view, &w->histogram);
    }
}

/* Motion against the frame before, once every frame is scaled. */
static void
measure_motion (gint64   start,
                gint64   end,
                guint    worker,
                gpointer user_data)
{
  FramesJob *job = user_data;

  for (gint64 i = MAX (start, 1); i < end; i++)
    {
      CsRgbFrame prev = cs_sampled_frame_view (job->work[i - 1].small);
      CsRgbFrame view = cs_sampled_frame_view (job->work[i].small);

      job->work[i].motion = cs_video_motion (&prev, &view);
    }
}

typedef struct
{
  guint                 n;
  const CsSampledFrame *frames[N_THUMBNAILS + N_COVERS];
  double                scores[N_THUMBNAILS + N_COVERS];
  CsClipFrame          *out[N_THUMBNAILS + N_COVERS];
  GError               *errors[N_THUMBNAILS + N_COVERS];
} EncodeJob;

static void
encode_frames (gint64   start,
               gint64   end,
               guint    worker,
               gpointer user_data)
{
  EncodeJob *job = user_data;

  for (gint64 j = start; j < end; j++)
    job->out[j] = encode_frame (job->frames[j], job->scores[j], &job->errors[j]);
}

static void
fill_times (gint64  duration_ms,
            gint64 *times)
{
  for (guint i = 0; i < N_SAMPLES; i++)
    times[i] = (gint64) ((i + 0.5) * duration_ms / N_SAMPLES);
}

CsClipAnalysis *
cs_clip_analyze (const char    *path,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(CsClipAnalysis) analysis = NULL;
  g_autoptr(CsFrameSampler) sampler = NULL;
  g_autoptr(GPtrArray) samples = NULL;
  g_autoptr(GPtrArray) small = NULL;
  g_autofree FrameWork *work = NULL;
  g_autofree Ranked *ranked = NULL;
  CsFrameHistogram mean_histogram = { { { 0 } } };
  gint64 times[N_SAMPLES];
  double sums[4] = { 0, 0, 0, 0 };
  double motion_sum = 0.0, sharp_sum = 0.0;
  guint motion_n = 0, cuts = 0, n;
  g_autoptr(GCancellable) helpers = g_cancellable_new ();
  g_autoptr(GError) local_error = NULL;
  GThread *duration_thread = NULL, *audio_thread = NULL;
  Helper helper = { NULL, };
  gulong cancel_id = 0;
  gboolean check_duration = FALSE;

  g_return_val_if_fail (path != NULL, NULL);

  analysis = g_new0 (CsClipAnalysis, 1);
  analysis->thumbnails = g_ptr_array_new_with_free_func ((GDestroyNotify) clip_frame_free);
  analysis->covers = g_ptr_array_new_with_free_func ((GDestroyNotify) clip_frame_free);
  analysis->feature_values = g_array_new (FALSE, FALSE, sizeof (double));
  analysis->feature_names = g_ptr_array_new ();

  /* One pipeline probes the file (from its preroll) and samples it. */
  sampler = _cs_frame_sampler_open_deferred (path, COVER_LONG_SIDE, TRUE, &check_duration,
                                             &analysis->info, cancellable, error);
  if (sampler == NULL)
    return NULL;

  /* Fixed costs dominate short clips: the Matroska/WebM duration check (a
   * demux pass) and the sound (its own decode) each run in a thread beside
   * the sampling instead of after it. Their results are the same; when the
   * measured duration replaces the stated one, the frames are sampled
   * again at the right times. */
  helper.uri = analysis->info->uri;
  helper.cancellable = helpers;
  helper.measured_ms = -1;
  if (cancellable != NULL)
    cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (cancel_helpers_cb),
                                       g_object_ref (helpers), g_object_unref);
  if (check_duration)
    duration_thread = g_thread_new ("cs-clip-duration", measure_duration_thread, &helper);
  if (analysis->info->has_audio)
    audio_thread = g_thread_new ("cs-clip-audio", measure_audio_thread, &helper);

  fill_times (analysis->info->duration_ms, times);
  samples = cs_frame_sampler_grab (sampler, times, N_SAMPLES, cancellable, &local_error);
  if (duration_thread != NULL && !g_cancellable_is_cancelled (cancellable))
    {
      gint64 stated_ms = analysis->info->duration_ms;

      g_thread_join (g_steal_pointer (&duration_thread));
      /* A probe error comes first, as when the check ran before sampling. */
      if (!_cs_media_probe_finish (analysis->info, helper.measured_ms, error))
        goto fail;
      if (analysis->info->duration_ms != stated_ms)
        {
          g_clear_pointer (&samples, g_ptr_array_unref);
          g_clear_error (&local_error);
          fill_times (analysis->info->duration_ms, times);
          samples = cs_frame_sampler_grab (sampler, times, N_SAMPLES, cancellable, &local_error);
        }
    }
  analysis->n_sought = cs_frame_sampler_get_n_sought (sampler);
  /* The decoder's memory goes before the features are computed. */
  g_clear_pointer (&sampler, cs_frame_sampler_free);
  if (samples == NULL || g_cancellable_is_cancelled (cancellable))
    {
      if (!g_cancellable_set_error_if_cancelled (cancellable, error))
        g_propagate_error (error, g_steal_pointer (&local_error));
      goto fail;
    }

  /* Per-frame work runs on every core (the sums below keep the order of
   * the frames, so the figures do not depend on it). */
  n = samples->len;
  work = g_new0 (FrameWork, n);
  {
    FramesJob job = { samples, work };

    cs_parallel_for (n, 1, measure_frames, &job, NULL);
    cs_parallel_for (n, 1, measure_motion, &job, NULL);
  }
  small = g_ptr_array_new_with_free_func ((GDestroyNotify) cs_sampled_frame_free);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (small, g_steal_pointer (&work[i].small));
  for (guint i = 0; i < n; i++)
    {
      sums[0] += work[i].brightness;
      sums[1] += work[i].contrast;
      sums[2] += work[i].colourfulness;
      sums[3] += work[i].saturation;
      sharp_sum += work[i].sharpness;
      for (int c = 0; c < 3; c++)
        for (int b = 0; b < CS_HISTOGRAM_BINS; b++)
          mean_histogram.bins[c][b] += work[i].histogram.bins[c][b] / n;
      if (i > 0)
        {
          if (work[i].motion >= 0)
            {
              motion_sum += work[i].motion;
              motion_n++;
            }
          if (cs_video_histogram_distance (&work[i - 1].histogram, &work[i].histogram) > CS_SCENE_CUT_THRESHOLD)
            cuts++;
        }
    }

  add_feature (analysis, "brightness", sums[0] / n);
  add_feature (analysis, "contrast", sums[1] / n);
  add_feature (analysis, "colourfulness", sums[2] / n);
  add_feature (analysis, "saturation", sums[3] / n);
  add_feature (analysis, "sharpness", sharp_sum / n);
  add_feature (analysis, "motion", motion_n > 0 ? motion_sum / motion_n : 0.0);
  add_feature (analysis, "scene_cuts_per_min",
               cs_video_cuts_per_minute (cuts, analysis->info->duration_ms));
  add_feature (analysis, "orientation",
               cs_video_orientation (analysis->info->width, analysis->info->height));

  if (audio_thread != NULL)
    {
      g_thread_join (g_steal_pointer (&audio_thread));
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto fail;
      if (helper.audio_ok)
        {
          add_feature (analysis, "loudness_dbfs", helper.loudness);
          add_feature (analysis, "silence_share", helper.silence);
        }
      else
        analysis->audio_error = g_strdup (helper.audio_error->message);
      g_clear_error (&helper.audio_error);
    }

  ranked = g_new0 (Ranked, n);
  for (guint i = 0; i < n; i++)
    {
      ranked[i].index = i;
      ranked[i].score = cs_video_cover_score (work[i].sharpness, work[i].brightness,
                                              cs_video_histogram_distance (&work[i].histogram,
                                                                           &mean_histogram));
    }
  qsort (ranked, n, sizeof (Ranked), ranked_compare);

  /* Thumbnails: 8 samples spread over the clip, (j + ½)·n/8 (every other one
   * of 16, from the second), so the strip skips the first few percent, where
   * fades from black live; all of them when there are 8 or fewer. Covers:
   * the best by score, at full sampling size. All PNGs are encoded on every
   * core, and kept in this order. */
  {
    guint n_thumbs = MIN (n, N_THUMBNAILS), n_covers = MIN (n, N_COVERS);
    EncodeJob job = { 0, };

    job.n = n_thumbs + n_covers;
    for (guint j = 0; j < n_thumbs; j++)
      {
        guint k = n <= N_THUMBNAILS ? j : MIN (n - 1, (guint) ((j + 0.5) * n / N_THUMBNAILS + 0.5));

        job.frames[j] = g_ptr_array_index (small, k);
      }
    for (guint r = 0; r < n_covers; r++)
      {
        job.frames[n_thumbs + r] = g_ptr_array_index (samples, ranked[r].index);
        job.scores[n_thumbs + r] = ranked[r].score;
      }
    cs_parallel_for (job.n, 1, encode_frames, &job, NULL);
    for (guint j = 0; j < job.n; j++)
      if (job.errors[j] != NULL && error != NULL && *error == NULL)
        g_propagate_error (error, g_steal_pointer (&job.errors[j]));
    for (guint j = 0; j < job.n; j++)
      {
        g_clear_error (&job.errors[j]);
        if (job.out[j] != NULL)
          g_ptr_array_add (j < n_thumbs ? analysis->thumbnails : analysis->covers, job.out[j]);
      }
    if (analysis->thumbnails->len + analysis->covers->len < job.n)
      goto fail;
  }

  g_cancellable_disconnect (cancellable, cancel_id);
  return g_steal_pointer (&analysis);

fail:
  stop_helpers (helpers, &duration_thread, &audio_thread);
  g_cancellable_disconnect (cancellable, cancel_id);
  g_clear_error (&helper.audio_error);
  return NULL;
}

/* ---- collecting files ---- */

gboolean
cs_clip_import_is_video_name (const char *name)
{
  const char *dot;
  g_autofree char *ext = NULL;

  g_return_val_if_fail (name != NULL, FALSE);

  dot = strrchr (name, '.');
  if (dot == NULL || dot[1] == '\0')
    return FALSE;
  ext = g_ascii_strdown (dot + 1, -1);
  for (guint i = 0; i < G_N_ELEMENTS (video_extensions); i++)
    if (g_str_equal (ext, video_extensions[i]))
      return TRUE;
  return FALSE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
walk_folder (const char    *folder,
             GPtrArray     *out,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  dir = g_dir_open (folder, 0, error);
  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (entries, g_build_filename (folder, name, NULL));
  g_ptr_array_sort (entries, compare_strings);

  for (guint i = 0; i < entries->len; i++)
    {
      const char *entry = g_ptr_array_index (entries, i);

      if (g_file_test (entry, G_FILE_TEST_IS_SYMLINK))
        continue;  /* no loops through links */
      if (g_file_test (entry, G_FILE_TEST_IS_DIR))
        {
          if (!walk_folder (entry, out, cancellable, error))
            return FALSE;
        }
      else if (g_file_test (entry, G_FILE_TEST_IS_REGULAR) && cs_clip_import_is_video_name (entry))
        g_ptr_array_add (out, g_strdup (entry));
    }
  return TRUE;
}

GPtrArray *
cs_clip_import_collect (const char * const *paths,
                        GCancellable       *cancellable,
                        GError            **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (paths != NULL, NULL);

  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autofree char *absolute = g_canonicalize_filename (paths[i], NULL);

      if (g_file_test (absolute, G_FILE_TEST_IS_DIR))
        {
          if (!walk_folder (absolute, out, cancellable, error))
            return NULL;
        }
      else if (g_file_test (absolute, G_FILE_TEST_EXISTS))
        g_ptr_array_add (out, g_steal_pointer (&absolute));
      else
        {
          g_autofree char *display = g_filename_display_name (paths[i]);

          g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_OPEN,
                       _("“%s” does not exist"), display);
          return NULL;
        }
    }
  return g_steal_pointer (&out);
}

/* ---- storing ---- */

static char *
hash_file (const char    *path,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (1 << 20);
  gssize n;

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;
  while ((n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, 1 << 20, cancellable, error)) > 0)
    g_checksum_update (checksum, buffer, n);
  if (n < 0)
    return NULL;
  return g_strdup (g_checksum_get_string (checksum));
}

static gint64
find_by_hash (CsStore    *store,
              const char *hash)
{
  sqlite3_stmt *stmt = cs_store_prepare (store, "SELECT id FROM clips WHERE content_hash = ?1", NULL);
  gint64 id = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return id;
}

static gboolean
external_id_taken (CsStore    *store,
                   const char *external_id)
{
  sqlite3_stmt *stmt = cs_store_prepare (store, "SELECT 1 FROM clips WHERE external_id = ?1", NULL);
  gboolean taken;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, external_id, -1, SQLITE_TRANSIENT);
  taken = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return taken;
}

/* The file name; "name (2).mp4" and so on when another clip has it. */
static char *
unique_external_id (CsStore    *store,
                    const char *path)
{
  g_autofree char *base = g_filename_display_basename (path);
  const char *dot = strrchr (base, '.');
  g_autofree char *stem = dot != NULL && dot != base ? g_strndup (base, dot - base) : g_strdup (base);
  const char *ext = dot != NULL && dot != base ? dot : "";

  if (!external_id_taken (store, base))
    return g_steal_pointer (&base);
  for (int i = 2;; i++)
    {
      g_autofree char *candidate = g_strdup_printf ("%s (%d)%s", stem, i, ext);

      if (!external_id_taken (store, candidate))
        return g_steal_pointer (&candidate);
    }
}

static char *
title_for (const char *path)
{
  g_autofree char *base = g_filename_display_basename (path);
  const char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    return g_strndup (base, dot - base);
  return g_steal_pointer (&base);
}

static char *
attrs_json (CsClipAnalysis *analysis)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  if (analysis->info->has_alpha)
    {
      json_builder_set_member_name (builder, "has_alpha");
      json_builder_add_boolean_value (builder, TRUE);
    }
  if (analysis->info->duration_measured)
    {
      json_builder_set_member_name (builder, "duration_measured");
      json_builder_add_boolean_value (builder, TRUE);
    }
  if (analysis->audio_error != NULL)
    {
      json_builder_set_member_name (builder, "audio_error");
      json_builder_add_string_value (builder, analysis->audio_error);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static gint64
store_clip (CsStore         *store,
            const char      *path,
            const char      *hash,
            CsClipAnalysis  *analysis,
            GError         **error)
{
  CsMediaInfo *info = analysis->info;
  g_autofree char *external_id = NULL;
  g_autofree char *title = title_for (path);
  g_autofree char *attrs = attrs_json (analysis);
  sqlite3_stmt *stmt;
  gint64 clip_id;
  int rc;

  if (!cs_store_begin (store, error))
    return 0;

  external_id = unique_external_id (store, path);
  stmt = cs_store_prepare (store,
      "INSERT INTO clips (external_id, title, path, content_hash, duration_ms, width, height, "
      "fps, video_codec, audio_codec, has_audio, attrs, container, bitrate, rotation, file_size) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, external_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, path, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, info->duration_ms);
  sqlite3_bind_int (stmt, 6, info->width);
  sqlite3_bind_int (stmt, 7, info->height);
  if (info->fps > 0)
    sqlite3_bind_double (stmt, 8, info->fps);
  else
    sqlite3_bind_null (stmt, 8);
  bind_text_or_null (stmt, 9, info->video_codec);
  bind_text_or_null (stmt, 10, info->audio_codec);
  sqlite3_bind_int (stmt, 11, info->has_audio ? 1 : 0);
  sqlite3_bind_text (stmt, 12, attrs, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 13, info->container);
  if (info->bitrate > 0)
    sqlite3_bind_int64 (stmt, 14, info->bitrate);
  else
    sqlite3_bind_null (stmt, 14);
  sqlite3_bind_int (stmt, 15, info->rotation);
  sqlite3_bind_int64 (stmt, 16, info->file_size);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      cs_store_set_error (store, error, "clips");
      goto fail;
    }
  clip_id = sqlite3_last_insert_rowid (cs_store_get_db (store));

  if (!cs_clip_store_analysis (store, clip_id, analysis, error))
    goto fail;

  if (!cs_store_commit (store, error))
    return 0;
  return clip_id;

fail:
  cs_store_rollback (store);
  return 0;
}

static gboolean
add_reject (CsStore     *store,
            gint64       import_id,
            guint        line,
            const char  *reason,
            const char  *path)
{
  sqlite3_stmt *stmt = cs_store_prepare (store,
      "INSERT INTO import_rejects (import_id, line, reason, raw) VALUES (?1, ?2, ?3, ?4)", NULL);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, import_id);
  sqlite3_bind_int64 (stmt, 2, line);
  sqlite3_bind_text (stmt, 3, reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, path, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return rc == SQLITE_DONE;
}

static gboolean
update_import (CsStore            *store,
               CsClipImportReport *report,
               GError            **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = cs_store_prepare (store,
      "UPDATE imports SET rows_read = ?2, rows_imported = ?3, rows_rejected = ?4 WHERE id = ?1",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, report->import_id);
  sqlite3_bind_int64 (stmt, 2, report->files->len);
  sqlite3_bind_int64 (stmt, 3, report->n_ok);
  sqlite3_bind_int64 (stmt, 4, report->n_duplicate + report->n_error);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    return cs_store_set_error (store, error, "imports");
  return TRUE;
}

static gboolean
record_refusal (CsStore            *store,
                CsClipImportReport *report,
                guint               line,
                CsClipImportFile   *file,
                GError            **error)
{
  if (!cs_store_begin (store, error))
    return FALSE;
  if (!add_reject (store, report->import_id, line, file->error, file->path) ||
      !update_import (store, report, NULL))
    {
      cs_store_rollback (store);
      return cs_store_set_error (store, error, "import_rejects");
    }
  return cs_store_commit (store, error);
}

/* ---- reading ahead ---- */

/* While this thread stores file i, helper threads hash and analyse the
 * next files: a folder import keeps both cores busy. A file whose content
 * is already in the project is not analysed (its hash is looked up in the
 * hashes the project had at the start); a file repeated within the import
 * is analysed, and the in-order check when storing makes it a duplicate. */
#define READ_AHEAD 2
#define HELPER_NICE 10

typedef struct
{
  GMutex        lock;
  GCond         cond;
  GHashTable   *known;        /* content hashes in the project at the start */
  GCancellable *cancellable;  /* cancelled with the import, and when it ends */
} Reader;

typedef struct
{
  const char     *path;
  gboolean        done;       /* under the reader's lock */
  char           *hash;
  CsClipAnalysis *analysis;
  GError         *error;
} ReadTask;

static void
read_task_free (ReadTask *task)
{
  if (task == NULL)
    return;
  g_free (task->hash);
  g_clear_pointer (&task->analysis, cs_clip_analysis_free);
  g_clear_error (&task->error);
  g_free (task);
}

/* The helpers, and the threads they start (features on every core, the
 * sound), yield to the window's thread when the cores are all busy. The
 * helpers are the import's own threads (an exclusive pool), so the lower
 * priority goes with them; GStreamer's streaming threads come from GLib's
 * shared pool, made by its own spawner thread, and keep theirs. */
static void
lower_thread_priority (void)
{
#ifdef __linux__
  setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), HELPER_NICE);
#endif
}

static void
read_file_func (gpointer data,
                gpointer user_data)
{
  ReadTask *task = data;
  Reader *reader = user_data;
  GError *error = NULL;
  CsClipAnalysis *analysis = NULL;
  char *hash;

  lower_thread_priority ();

  hash = hash_file (task->path, reader->cancellable, &error);
  if (hash != NULL && !g_hash_table_contains (reader->known, hash))
    analysis = cs_clip_analyze (task->path, reader->cancellable, &error);
  g_mutex_lock (&reader->lock);
  task->hash = hash;
  task->analysis = analysis;
  task->error = error;
  task->done = TRUE;
  g_cond_broadcast (&reader->cond);
  g_mutex_unlock (&reader->lock);
}

static GHashTable *
known_hashes (CsStore *store)
{
  GHashTable *known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt = cs_store_prepare (store, "SELECT content_hash FROM clips WHERE content_hash IS NOT NULL", NULL);

  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (known, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return known;
}

static void
cancel_reader_cb (GCancellable *cancellable,
                  gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

/* Stores the files in order as the helpers read them; FALSE with @error
 * when the import stopped (cancelled, the disk full). */
static gboolean
import_files (CsStore            *store,
              GPtrArray          *files,
              GPtrArray          *tasks,
              GThreadPool        *pool,
              Reader             *reader,
              CsClipImportReport *report,
              CsProgressFunc      progress,
              gpointer            progress_data,
              GCancellable       *cancellable,
              GError            **error)
{
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autofree char *name = g_filename_display_basename (path);
      g_autofree char *hash = NULL;
      g_autoptr(GError) file_error = NULL;
      g_autoptr(CsClipAnalysis) analysis = NULL;
      ReadTask *task = g_ptr_array_index (tasks, i);
      CsClipImportFile *file;
      gint64 existing;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        break;
      if (progress != NULL)
        {
          g_autofree char *message = g_strdup_printf (_("Importing “%s” (%u of %u)"),
                                                      name, i + 1, files->len);

          progress ((double) i / files->len, message, progress_data);
        }

      file = g_new0 (CsClipImportFile, 1);
      file->path = g_strdup (path);
      g_ptr_array_add (report->files, file);

      g_mutex_lock (&reader->lock);
      while (!task->done)
        g_cond_wait (&reader->cond, &reader->lock);
      g_mutex_unlock (&reader->lock);
      if (i + READ_AHEAD < files->len)
        g_thread_pool_push (pool, g_ptr_array_index (tasks, i + READ_AHEAD), NULL);
      hash = g_steal_pointer (&task->hash);
      analysis = g_steal_pointer (&task->analysis);
      file_error = g_steal_pointer (&task->error);

      if (hash != NULL && (existing = find_by_hash (store, hash)) != 0)
        {
          g_autofree char *other = NULL;
          sqlite3_stmt *q = cs_store_prepare (store, "SELECT external_id FROM clips WHERE id = ?1", NULL);

          if (q != NULL)
            {
              sqlite3_bind_int64 (q, 1, existing);
              if (sqlite3_step (q) == SQLITE_ROW)
                other = g_strdup ((const char *) sqlite3_column_text (q, 0));
              sqlite3_reset (q);
            }
          file->status = CS_CLIP_IMPORT_DUPLICATE;
          file->clip_id = existing;
          file->error = g_strdup_printf (_("Already in the project as “%s”"), other != NULL ? other : "?");
          report->n_duplicate++;
          if (!record_refusal (store, report, i + 1, file, error))
            return FALSE;
          continue;
        }

      /* Known at the start but gone since: analysed here after all. */
      if (hash != NULL && analysis == NULL && file_error == NULL)
        analysis = cs_clip_analyze (path, cancellable, &file_error);

      if (analysis != NULL)
        {
          CsMediaInfo *info = analysis->info;

          file->duration_ms = info->duration_ms;
          file->width = info->width;
          file->height = info->height;
          file->fps = info->fps;
          file->video_codec = g_strdup (info->video_codec);
          file->audio_codec = g_strdup (info->audio_codec);
          file->has_audio = info->has_audio;
          if (analysis->audio_error != NULL)
            file->warning = g_strdup_printf (_("The sound is damaged and was left out of the "
                                               "measurements: %s"), analysis->audio_error);
          file->clip_id = store_clip (store, path, hash, analysis, &file_error);
          if (file->clip_id == 0 && g_error_matches (file_error, CS_STORE_ERROR, CS_STORE_ERROR_FULL))
            {
              /* Every next file would fail the same way. */
              g_propagate_error (error, g_steal_pointer (&file_error));
              return FALSE;
            }
        }

      if (file->clip_id != 0 && file_error == NULL)
        {
          file->status = CS_CLIP_IMPORT_OK;
          report->n_ok++;
          continue;
        }

      if (g_error_matches (file_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_ptr_array_remove_index (report->files, report->files->len - 1);
          g_propagate_error (error, g_steal_pointer (&file_error));
          break;
        }
      file->status = CS_CLIP_IMPORT_ERROR;
      file->error = g_strdup (file_error != NULL ? file_error->message : _("Unknown error"));
      file->error_code = file_error != NULL && file_error->domain == CS_MEDIA_ERROR
                         ? file_error->code : CS_MEDIA_ERROR_FAILED;
      file->clip_id = 0;
      report->n_error++;
      if (!record_refusal (store, report, i + 1, file, error))
        return FALSE;
    }

  /* The counts, also after a cancel: what was imported stays. */
  {
    g_autoptr(GError) update_error = NULL;

    if (cs_store_begin (store, &update_error))
      {
        if (update_import (store, report, &update_error))
          cs_store_commit (store, &update_error);
        else
          cs_store_rollback (store);
      }
    if (update_error != NULL && (error == NULL || *error == NULL))
      {
        g_propagate_error (error, g_steal_pointer (&update_error));
        return FALSE;
      }
  }

  if (error != NULL && *error != NULL)
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (progress != NULL)
    progress (1.0, NULL, progress_data);
  return TRUE;
}

CsClipImportReport *
cs_clip_import_run (CsStore            *store,
                    const char * const *paths,
                    CsProgressFunc      progress,
                    gpointer            progress_data,
                    GCancellable       *cancellable,
                    GError            **error)
{
  g_autoptr(CsClipImportReport) report = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autofree char *source = NULL;
  Reader reader = { 0 };
  GThreadPool *pool;
  gulong cancel_id = 0;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CS_IS_STORE (store), NULL);
  g_return_val_if_fail (paths != NULL, NULL);

  cs_media_init ();
  if (progress != NULL)
    progress (-1.0, _("Looking for video files"), progress_data);
  files = cs_clip_import_collect (paths, cancellable, error);
  if (files == NULL)
    return NULL;

  report = g_new0 (CsClipImportReport, 1);
  report->files = g_ptr_array_new_with_free_func ((GDestroyNotify) file_free);

  source = g_strjoinv ("\n", (char **) paths);
  if (!cs_store_begin (store, error))
    return NULL;
  stmt = cs_store_prepare (store, "INSERT INTO imports (kind, source) VALUES ('clips', ?1)", error);
  if (stmt == NULL)
    {
      cs_store_rollback (store);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, source, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      cs_store_rollback (store);
      cs_store_set_error (store, error, "imports");
      return NULL;
    }
  report->import_id = sqlite3_last_insert_rowid (cs_store_get_db (store));
  if (!cs_store_commit (store, error))
    return NULL;

  g_mutex_init (&reader.lock);
  g_cond_init (&reader.cond);
  reader.known = known_hashes (store);
  reader.cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (cancel_reader_cb),
                                       g_object_ref (reader.cancellable), g_object_unref);
  tasks = g_ptr_array_new_full (files->len, (GDestroyNotify) read_task_free);
  for (guint i = 0; i < files->len; i++)
    {
      ReadTask *task = g_new0 (ReadTask, 1);

      task->path = g_ptr_array_index (files, i);
      g_ptr_array_add (tasks, task);
    }
  pool = g_thread_pool_new (read_file_func, &reader, READ_AHEAD, TRUE, NULL);
  for (guint i = 0; i < MIN (READ_AHEAD, files->len); i++)
    g_thread_pool_push (pool, g_ptr_array_index (tasks, i), NULL);

  if (!import_files (store, files, tasks, pool, &reader, report, progress, progress_data, cancellable, error))
    g_clear_pointer (&report, cs_clip_import_report_free);

  /* The helpers stop (a cancel, a full disk) before anything they use goes. */
  g_cancellable_cancel (reader.cancellable);
  g_thread_pool_free (pool, TRUE, TRUE);
  if (cancel_id != 0)
    g_cancellable_disconnect (cancellable, cancel_id);
  g_clear_object (&reader.cancellable);
  g_hash_table_unref (reader.known);
  g_mutex_clear (&reader.lock);
  g_cond_clear (&reader.cond);
  return g_steal_pointer (&report);
}

static const char *
status_name (CsClipImportStatus status)
{
  switch (status)
    {
    case CS_CLIP_IMPORT_OK:
      return "ok";
    case CS_CLIP_IMPORT_DUPLICATE:
      return "duplicate";
    case CS_CLIP_IMPORT_ERROR:
    default:
      return "error";
    }
}

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

char *
cs_clip_import_report_to_json (CsClipImportReport *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (report != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "import_id");
  json_builder_add_int_value (builder, report->import_id);
  json_builder_set_member_name (builder, "files");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->files->len; i++)
    {
      CsClipImportFile *file = g_ptr_array_index (report->files, i);
      gboolean ok = file->status == CS_CLIP_IMPORT_OK;

      json_builder_begin_object (builder);
      add_string_or_null (builder, "path", file->path);
      add_string_or_null (builder, "status", status_name (file->status));
      add_string_or_null (builder, "error", file->error);
      json_builder_set_member_name (builder, "duration_ms");
      if (ok)
        json_builder_add_int_value (builder, file->duration_ms);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "width");
      if (ok)
        json_builder_add_int_value (builder, file->width);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "height");
      if (ok)
        json_builder_add_int_value (builder, file->height);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "fps");
      if (ok && file->fps > 0)
        json_builder_add_double_value (builder, round (file->fps * 1000.0) / 1000.0);
      else
        json_builder_add_null_value (builder);
      add_string_or_null (builder, "video_codec", ok ? file->video_codec : NULL);
      add_string_or_null (builder, "audio_codec", ok ? file->audio_codec : NULL);
      json_builder_set_member_name (builder, "has_audio");
      if (ok)
        json_builder_add_boolean_value (builder, file->has_audio);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "clip_id");
      if (file->clip_id != 0)
        json_builder_add_int_value (builder, file->clip_id);
      else
        json_builder_add_null_value (builder);
      add_string_or_null (builder, "warning", file->warning);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

gboolean
cs_clip_export_frame (CsStore     *store,
                      gint64       frame_id,
                      const char  *path,
                      GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (CS_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  stmt = cs_store_prepare (store, "SELECT data FROM frames WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, frame_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND,
                   _("No frame %" PRId64 " in this project"), (int64_t) frame_id);
      return FALSE;
    }
  ok = g_file_set_contents (path, sqlite3_column_blob (stmt, 0),
                            sqlite3_column_bytes (stmt, 0), error);
  sqlite3_reset (stmt);
  return ok;
}
