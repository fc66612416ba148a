/* test-clip-import.c: importing real clips and every broken file of
 * ../shared/data/videos.
 *
 * Expected facts come from reading `gst-discoverer-1.0 FILE` output by hand
 * (GStreamer 1.22, Debian 12, with gstreamer1.0-libav and -plugins-ugly but
 * not -plugins-bad), noted beside each file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "clipscope-engine.h"

typedef struct
{
  char    *dir;
  char    *path;
  CsStore *store;
} Fixture;

static const char *
shared_data (void)
{
  const char *dir = g_getenv ("CS_SHARED_DATA");

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    g_error ("CS_SHARED_DATA is not set or is not a folder (%s): the real-data tests "
             "need ../shared/data (meson -Dshared_data=PATH)", dir != NULL ? dir : "unset");
  return dir;
}

static char *
video (const char *relative)
{
  char *path = g_build_filename (shared_data (), "videos", relative, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    g_error ("%s is missing from the shared data", path);
  return path;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("clipscope-clips-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "Clips.clipscope", NULL);
  fixture->store = cs_store_open (fixture->path, CS_STORE_CREATE, &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static CsClipImportReport *
import (Fixture            *fixture,
        const char * const *paths)
{
  g_autoptr(GError) error = NULL;
  CsClipImportReport *report;

  report = cs_clip_import_run (fixture->store, paths, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static gint64
query_int (Fixture    *fixture,
           const char *sql)
{
  return cs_store_query_int (fixture->store, sql, -1);
}

static char *
query_text (Fixture    *fixture,
            const char *sql)
{
  sqlite3_stmt *stmt = cs_store_prepare (fixture->store, sql, NULL);
  char *value = NULL;

  g_assert_nonnull (stmt);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

static void
test_real_clips (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *flower = video ("mdn-cc0/flower.mp4");
  g_autofree char *vertical = video ("vertical/3.mp4");
  g_autofree char *water = video ("mdn-cc0/stream-of-water-audioless.webm");
  const char *paths[] = { flower, vertical, water, NULL };
  g_autoptr(CsClipImportReport) report = import (fixture, paths);
  CsClipImportFile *file;
  g_autofree char *title = NULL;
  g_autofree char *container = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *json = NULL;
  gint64 clip_id;

  g_assert_cmpuint (report->files->len, ==, 3);
  g_assert_cmpuint (report->n_ok, ==, 3);

  /* gst-discoverer-1.0 flower.mp4: Duration 0:00:05.055000000, H.264 (High
   * Profile) 960×540 at 30000/1001, MPEG-4 AAC, container ISO MP4/M4A. */
  file = g_ptr_array_index (report->files, 0);
  g_assert_cmpint (file->status, ==, CS_CLIP_IMPORT_OK);
  g_assert_cmpint (file->duration_ms, ==, 5055);
  g_assert_cmpint (file->width, ==, 960);
  g_assert_cmpint (file->height, ==, 540);
  g_assert_cmpfloat_with_epsilon (file->fps, 30000.0 / 1001.0, 1e-9);
  g_assert_cmpstr (file->video_codec, ==, "H.264 (High Profile)");
  g_assert_cmpstr (file->audio_codec, ==, "MPEG-4 AAC");
  g_assert_true (file->has_audio);
  clip_id = file->clip_id;
  g_assert_cmpint (clip_id, >, 0);

  title = query_text (fixture, "SELECT title FROM clips WHERE external_id = 'flower.mp4'");
  g_assert_cmpstr (title, ==, "flower");
  container = query_text (fixture, "SELECT container FROM clips WHERE external_id = 'flower.mp4'");
  g_assert_nonnull (container);
  hash = query_text (fixture, "SELECT content_hash FROM clips WHERE external_id = 'flower.mp4'");
  g_assert_cmpuint (strlen (hash), ==, 64);
  /* 1,128,375 bytes over 5.055 s. */
  g_assert_cmpint (query_int (fixture, "SELECT file_size FROM clips WHERE external_id = 'flower.mp4'"), ==, 1128375);
  g_assert_cmpint (query_int (fixture, "SELECT bitrate FROM clips WHERE external_id = 'flower.mp4'"), ==, 1785757);
  g_assert_cmpint (query_int (fixture, "SELECT rotation FROM clips WHERE external_id = 'flower.mp4'"), ==, 0);

  /* A strip of 8 thumbnails at most 320 px wide, 3 covers best first. */
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM frames WHERE clip_id = 1 AND kind = 'thumbnail'"), ==, 8);
  g_assert_cmpint (query_int (fixture, "SELECT max(width) FROM frames WHERE clip_id = 1 AND kind = 'thumbnail'"), ==, 320);
  g_assert_cmpint (query_int (fixture, "SELECT max(height) FROM frames WHERE clip_id = 1 AND kind = 'thumbnail'"), ==, 180);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM frames WHERE clip_id = 1 AND kind = 'cover'"), ==, 3);
  g_assert_cmpint (query_int (fixture, "SELECT max(width) FROM frames WHERE clip_id = 1 AND kind = 'cover'"), ==, 720);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM frames WHERE clip_id = 1 AND kind = 'cover' "
                                       "AND score > 0 AND score <= 1"), ==, 3);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM frames WHERE clip_id = 1 "
                                       "AND hex(substr(data, 1, 4)) = '89504E47'"), ==, 11);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM clip_features WHERE clip_id = 1"), ==, 10);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM clip_features WHERE clip_id = 1 AND name = 'brightness' "
                                       "AND value > 0.05 AND value < 0.95"), ==, 1);
  /* flower.mp4's AAC track is digital silence: GStreamer's level element
   * reports an RMS of −700 dB throughout. */
  g_assert_cmpint (query_int (fixture, "SELECT value FROM clip_features WHERE clip_id = 1 AND name = 'loudness_dbfs'"),
                   ==, (gint64) CS_AUDIO_SILENCE_DBFS);
  g_assert_cmpint (query_int (fixture, "SELECT value FROM clip_features WHERE clip_id = 1 AND name = 'silence_share'"), ==, 1);

  /* vertical/3.mp4: H.264 152×270, no sound (gst-discoverer-1.0 lists no audio stream). */
  file = g_ptr_array_index (report->files, 1);
  g_assert_cmpint (file->status, ==, CS_CLIP_IMPORT_OK);
  g_assert_cmpint (file->width, ==, 152);
  g_assert_cmpint (file->height, ==, 270);
  g_assert_false (file->has_audio);
  g_assert_cmpint (query_int (fixture, "SELECT value FROM clip_features WHERE clip_id = 2 AND name = 'orientation'"),
                   ==, CS_ORIENTATION_VERTICAL);
  /* Never enlarged: the thumbnails are the clip's own size. */
  g_assert_cmpint (query_int (fixture, "SELECT max(height) FROM frames WHERE clip_id = 2 AND kind = 'thumbnail'"), ==, 270);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM clip_features WHERE clip_id = 2 AND name = 'loudness_dbfs'"), ==, 0);

  /* stream-of-water-audioless.webm: VP8 640×360 and, despite the name, a
   * Vorbis stream; 0:00:03.963. */
  file = g_ptr_array_index (report->files, 2);
  g_assert_cmpint (file->status, ==, CS_CLIP_IMPORT_OK);
  g_assert_cmpint (file->duration_ms, ==, 3963);
  g_assert_cmpstr (file->video_codec, ==, "VP8");
  g_assert_cmpstr (file->audio_codec, ==, "Vorbis");

  /* The imports row. */
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM imports WHERE kind = 'clips'"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT rows_read FROM imports"), ==, 3);
  g_assert_cmpint (query_int (fixture, "SELECT rows_imported FROM imports"), ==, 3);
  g_assert_cmpint (query_int (fixture, "SELECT rows_rejected FROM imports"), ==, 0);

  json = cs_clip_import_report_to_json (report);
  g_assert_nonnull (strstr (json, "\"status\":\"ok\""));
  g_assert_nonnull (strstr (json, "\"duration_ms\":5055"));
}

static void
test_duplicates (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *original = video ("vertical/4.mp4");
  g_autofree char *copy = g_build_filename (fixture->dir, "renamed.mp4", NULL);
  g_autofree char *contents = NULL;
  gsize length;
  const char *first[] = { original, NULL };
  const char *second[] = { copy, original, NULL };
  g_autoptr(CsClipImportReport) a = NULL;
  g_autoptr(CsClipImportReport) b = NULL;
  CsClipImportFile *file;

  g_assert_true (g_file_get_contents (original, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (copy, contents, length, NULL));

  a = import (fixture, first);
  g_assert_cmpuint (a->n_ok, ==, 1);

  /* The same bytes under another name, and the same file again. */
  b = import (fixture, second);
  g_assert_cmpuint (b->n_ok, ==, 0);
  g_assert_cmpuint (b->n_duplicate, ==, 2);
  file = g_ptr_array_index (b->files, 0);
  g_assert_cmpint (file->status, ==, CS_CLIP_IMPORT_DUPLICATE);
  g_assert_cmpint (file->clip_id, ==, 1);
  g_assert_nonnull (strstr (file->error, "4.mp4"));

  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM clips"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT rows_rejected FROM imports WHERE id = 2"), ==, 2);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM import_rejects WHERE import_id = 2"), ==, 2);
}

typedef struct
{
  const char *file;
  int         code;   /* -1: imported */
} Expected;

/* Outcomes for every file in videos/broken, with what gst-discoverer-1.0
 * says about each. */
static const Expected broken[] = {
  /* "The stream is of a different type than handled by this element." */
  { "exiftool-t-images/ASF.wmv",     CS_MEDIA_ERROR_TRUNCATED },
  /* "Could not decode stream." */
  { "exiftool-t-images/DV.dv",       CS_MEDIA_ERROR_TRUNCATED },
  /* Duration 0:00:00.000, VP6 192×160 + MP3: one 40 ms frame of a header. */
  { "exiftool-t-images/Flash.flv",   CS_MEDIA_ERROR_TRUNCATED },
  /* "Missing plugins": tsdemux is in gstreamer1.0-plugins-bad. */
  { "exiftool-t-images/M2TS.mts",    CS_MEDIA_ERROR_NO_DECODER },
  /* "Analyzing URI timed out". */
  { "exiftool-t-images/MXF.mxf",     CS_MEDIA_ERROR_TRUNCATED },
  /* H.264 704×576 stated, 2:28.608 long, but 507 bytes: no frame decodes. */
  { "exiftool-t-images/Matroska.mkv", CS_MEDIA_ERROR_TRUNCATED },
  /* "Could not demultiplex stream." */
  { "exiftool-t-images/Pentax.avi",  CS_MEDIA_ERROR_TRUNCATED },
  /* JPEG 320×240, 4.97 s stated, 3.9 KB: no frame decodes. */
  { "exiftool-t-images/QuickTime.mov", CS_MEDIA_ERROR_TRUNCATED },
  /* "Could not demultiplex stream." (or a time-out, run to run) */
  { "exiftool-t-images/RIFF.avi",    CS_MEDIA_ERROR_TRUNCATED },
  /* RealAudio G2 (Cook) only. */
  { "exiftool-t-images/Real.rm",     CS_MEDIA_ERROR_AUDIO_ONLY },
  /* VP9 1280×720 + Opus; no duration in the container (the discoverer's
   * estimate varies: 0.398 s or 0.466 s): measured by demuxing. */
  { "moviepy/no_duration.webm",      -1 },
  /* 0 bytes. */
  { "moviepy/result.webm",           CS_MEDIA_ERROR_EMPTY },
  /* H.264 (High 4:4:4 Profile) 1×1, 5 s. */
  { "moviepy/test_video.mp4",        CS_MEDIA_ERROR_TOO_SMALL },
  /* VP9 with alpha 200×200, 5 s, Vorbis. */
  { "moviepy/transparent.webm",      -1 },
  /* H.264 640×360, 11.259 s, MP3 (moviepy's decoder fails on it; GStreamer's does not). */
  { "moviepy/video_with_failing_audio.mp4", -1 },
};

static void
test_broken (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *folder = video ("broken");
  g_autofree char *text = g_build_filename (fixture->dir, "notes.mp4", NULL);
  g_autofree char *audio = video ("mimetype-testdata/audio.mp4");
  const char *paths[] = { folder, text, audio, NULL };
  g_autoptr(CsClipImportReport) report = NULL;
  g_autofree char *attrs = NULL;
  guint n_refused = 0;

  g_assert_true (g_file_set_contents (text, "not a video at all\n", -1, NULL));
  report = import (fixture, paths);
  g_assert_cmpuint (report->files->len, ==, G_N_ELEMENTS (broken) + 2);

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      CsClipImportFile *file = g_ptr_array_index (report->files, i);
      g_autofree char *joined = g_build_filename (folder, broken[i].file, NULL);
      /* The importer keeps absolute, canonical paths. */
      g_autofree char *expected_path = g_canonicalize_filename (joined, NULL);

      g_test_message ("%s: %s", broken[i].file, file->error != NULL ? file->error : "ok");
      g_assert_cmpstr (file->path, ==, expected_path);
      if (broken[i].code < 0)
        {
          g_assert_cmpint (file->status, ==, CS_CLIP_IMPORT_OK);
          g_assert_null (file->error);
        }
      else
        {
          g_assert_cmpint (file->status, ==, CS_CLIP_IMPORT_ERROR);
          g_assert_cmpint (file->error_code, ==, broken[i].code);
          g_assert_nonnull (file->error);
          n_refused++;
        }
    }

  /* The messages name what to do or what is wrong. */
  {
    CsClipImportFile *m2ts = g_ptr_array_index (report->files, 3);
    CsClipImportFile *empty = g_ptr_array_index (report->files, 11);
    CsClipImportFile *tiny = g_ptr_array_index (report->files, 12);
    CsClipImportFile *notes = g_ptr_array_index (report->files, G_N_ELEMENTS (broken));
    CsClipImportFile *sound = g_ptr_array_index (report->files, G_N_ELEMENTS (broken) + 1);

    g_assert_nonnull (strstr (m2ts->error, "gstreamer1.0-plugins-bad"));
    g_assert_nonnull (strstr (empty->error, "empty"));
    g_assert_nonnull (strstr (tiny->error, "1×1"));
    g_assert_cmpint (notes->error_code, ==, CS_MEDIA_ERROR_NOT_MEDIA);
    /* audio.mp4: Apple Lossless Audio (ALAC) only. */
    g_assert_cmpint (sound->error_code, ==, CS_MEDIA_ERROR_AUDIO_ONLY);
    g_assert_nonnull (strstr (sound->error, "ALAC"));
    n_refused += 2;
  }

  g_assert_cmpuint (report->n_ok, ==, 3);
  g_assert_cmpuint (report->n_error, ==, n_refused);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM clips"), ==, 3);
  g_assert_cmpint (query_int (fixture, "SELECT rows_rejected FROM imports"), ==, n_refused);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM import_rejects"), ==, n_refused);
  /* line = the file's place in the import; raw = its path. */
  g_assert_cmpint (query_int (fixture, "SELECT line FROM import_rejects WHERE raw LIKE '%result.webm'"), ==, 12);

  /* no_duration.webm: measured, about 4.9 s. */
  g_assert_cmpint (query_int (fixture, "SELECT duration_ms FROM clips WHERE external_id = 'no_duration.webm'"), >, 4500);
  g_assert_cmpint (query_int (fixture, "SELECT duration_ms FROM clips WHERE external_id = 'no_duration.webm'"), <, 5100);
  attrs = query_text (fixture, "SELECT attrs FROM clips WHERE external_id = 'no_duration.webm'");
  g_assert_nonnull (strstr (attrs, "\"duration_measured\":true"));
  g_clear_pointer (&attrs, g_free);
  attrs = query_text (fixture, "SELECT attrs FROM clips WHERE external_id = 'transparent.webm'");
  g_assert_nonnull (strstr (attrs, "\"has_alpha\":true"));
  g_assert_cmpint (query_int (fixture, "SELECT duration_ms FROM clips WHERE external_id = 'transparent.webm'"), ==, 5000);
  g_assert_cmpint (query_int (fixture, "SELECT duration_ms FROM clips WHERE external_id = 'video_with_failing_audio.mp4'"), ==, 11259);
  /* Its MP3 sound decodes here and is not silent. */
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM clip_features f JOIN clips c ON c.id = f.clip_id "
                                       "WHERE c.external_id = 'video_with_failing_audio.mp4' AND f.name = 'loudness_dbfs' "
                                       "AND f.value > -60 AND f.value < 0"), ==, 1);
}

static void
test_cancel_and_missing (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *clip = video ("vertical/2.mp4");
  g_autofree char *missing = g_build_filename (fixture->dir, "nope.mp4", NULL);
  const char *paths[] = { clip, NULL };
  const char *bad[] = { clip, missing, NULL };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CsClipImportReport) report = NULL;

  report = cs_clip_import_run (fixture->store, bad, NULL, NULL, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_OPEN);
  g_clear_error (&error);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM imports"), ==, 0);

  g_cancellable_cancel (cancellable);
  report = cs_clip_import_run (fixture->store, paths, NULL, NULL, cancellable, &error);
  g_assert_null (report);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM clips"), ==, 0);
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (300 * G_TIME_SPAN_MILLISECOND);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_cancel_during_file (Fixture       *fixture,
                         gconstpointer  data)
{
  /* MXF.mxf holds the preroll until its 4 s time-out: a cancel must not
   * wait for it (DESIGN §2: within 200 ms). */
  g_autofree char *slow = video ("broken/exiftool-t-images/MXF.mxf");
  const char *paths[] = { slow, NULL };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CsClipImportReport) report = NULL;
  GThread *thread;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed_ms;

  thread = g_thread_new ("cancel", cancel_later, cancellable);
  report = cs_clip_import_run (fixture->store, paths, NULL, NULL, cancellable, &error);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  g_thread_join (thread);

  g_assert_null (report);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_test_message ("cancelled after %" G_GINT64_FORMAT " ms", elapsed_ms);
  g_assert_cmpint (elapsed_ms, <, 300 + 1000);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM clips"), ==, 0);
  /* The imports row stays, with nothing imported. */
  g_assert_cmpint (query_int (fixture, "SELECT rows_imported FROM imports"), ==, 0);
}

static void
test_export_cover (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *clip = video ("moviepy-media/fire2.mp4");
  g_autofree char *out = g_build_filename (fixture->dir, "cover.png", NULL);
  const char *paths[] = { clip, NULL };
  g_autoptr(CsClipImportReport) report = import (fixture, paths);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  gint64 frame_id;

  g_assert_cmpuint (report->n_ok, ==, 1);
  frame_id = query_int (fixture, "SELECT id FROM frames WHERE kind = 'cover' ORDER BY score DESC LIMIT 1");
  g_assert_cmpint (frame_id, >, 0);
  g_assert_true (cs_clip_export_frame (fixture->store, frame_id, out, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (out, &contents, &length, NULL));
  g_assert_cmpint (length, ==, query_int (fixture, "SELECT length(data) FROM frames WHERE kind = 'cover' ORDER BY score DESC LIMIT 1"));
  g_assert_cmpmem (contents + 1, 3, "PNG", 3);

  g_assert_false (cs_clip_export_frame (fixture->store, 9999, out, &error));
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND);
}

/* Sets the display matrix of every track of an MP4 (ISO/IEC 14496-12
 * §8.3.2, 'tkhd' version 0 or 1) to a quarter turn clockwise, as phones
 * write portrait recordings: a = d = 0, b = 1.0, c = −1.0 (16.16). */
static void
rotate_mp4_tracks (const char *path)
{
  static const guint8 quarter_turn[36] = {
    0x00, 0x00, 0x00, 0x00,  0x00, 0x01, 0x00, 0x00,  0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0x00, 0x00,  0x00, 0x00, 0x00, 0x00,  0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,  0x00, 0x00, 0x00, 0x00,  0x40, 0x00, 0x00, 0x00,
  };
  g_autofree char *data = NULL;
  gsize length, patched = 0;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  for (gsize i = 4; i + 4 <= length; i++)
    if (memcmp (data + i, "tkhd", 4) == 0)
      {
        /* After the type: version/flags 4, then times and ids (20 bytes in
         * version 0, 32 in version 1), reserved 8, layer, group, volume,
         * reserved 2 each. */
        gsize matrix = i + 4 + 4 + (data[i + 4] == 1 ? 32 : 20) + 8 + 8;

        g_assert_cmpuint (matrix + sizeof quarter_turn, <=, length);
        memcpy (data + matrix, quarter_turn, sizeof quarter_turn);
        patched++;
      }
  g_assert_cmpuint (patched, >, 0);
  g_assert_true (g_file_set_contents (path, data, length, NULL));
}

/* A phone's portrait clip is stored landscape with a rotation: Clipscope
 * shows and measures it upright. flower.mp4 is 960×540 (gst-discoverer). */
static void
test_rotation (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *original = video ("mdn-cc0/flower.mp4");
  g_autofree char *rotated = g_build_filename (fixture->dir, "portrait.mp4", NULL);
  g_autofree char *contents = NULL;
  const char *paths[] = { rotated, NULL };
  g_autoptr(CsClipImportReport) report = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (original, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (rotated, contents, length, NULL));
  rotate_mp4_tracks (rotated);

  report = import (fixture, paths);
  g_assert_cmpuint (report->n_ok, ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT rotation FROM clips"), ==, 90);
  g_assert_cmpint (query_int (fixture, "SELECT width FROM clips"), ==, 540);
  g_assert_cmpint (query_int (fixture, "SELECT height FROM clips"), ==, 960);
  /* The sampled frames are upright too: taller than wide. */
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM frames WHERE width >= height"), ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM frames"), >, 0);
  g_assert_cmpint (query_int (fixture, "SELECT CAST(value AS INTEGER) FROM clip_features "
                                       "WHERE name = 'orientation'"), ==, CS_ORIENTATION_VERTICAL);
}

/* One pipeline probes and samples: the probe gives what
 * gst-discoverer-1.0 prints for flower.mp4 (read by hand: Quicktime,
 * H.264 (High Profile) 960×540 at 30000/1001, MPEG-4 AAC, 0:00:05.055),
 * and the frames come at the times asked, no larger than asked. A file
 * without pictures is refused as the discoverer refuses it. */
/* smpte-2997.mp4 has a key frame every 0.6 s over 10 s (checked with
 * gst-launch-1.0 … qtdemux ! fakesink silent=false: 17 without
 * delta-unit), closer than its samples (1/16 of the clip): every sample is
 * one key-unit seek. vertical/2.mp4 has 7 key frames in 1 661 pictures
 * (27.7 s): the second seek lands back on the first key frame and the
 * sampler decodes through from there, still giving every thumbnail. */
static void
test_seeking (void)
{
  g_autofree char *seekable = video ("moviepy-media/smpte-2997.mp4");
  g_autofree char *far_apart = video ("vertical/2.mp4");
  g_autoptr(CsClipAnalysis) sought = NULL;
  g_autoptr(CsClipAnalysis) through = NULL;
  g_autoptr(GError) error = NULL;

  sought = cs_clip_analyze (seekable, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sought->n_sought, ==, 16);
  g_assert_cmpuint (sought->thumbnails->len, ==, 8);

  through = cs_clip_analyze (far_apart, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (through->n_sought, ==, 1);
  g_assert_cmpuint (through->thumbnails->len, ==, 8);
  for (guint i = 1; i < through->thumbnails->len; i++)
    {
      const CsClipFrame *before = g_ptr_array_index (through->thumbnails, i - 1);
      const CsClipFrame *frame = g_ptr_array_index (through->thumbnails, i);

      /* Every other sample, 2/16 of 27.7 s apart. */
      g_assert_cmpint (frame->time_ms - before->time_ms, >, 3000);
      g_assert_cmpint (frame->time_ms - before->time_ms, <, 4000);
    }
}

static void
test_sampler_open (void)
{
  g_autofree char *flower = video ("mdn-cc0/flower.mp4");
  g_autofree char *sound = video ("mimetype-testdata/audio.mp4");
  g_autoptr(CsMediaInfo) info = NULL;
  g_autoptr(CsMediaInfo) none = NULL;
  g_autoptr(CsFrameSampler) sampler = NULL;
  g_autoptr(GPtrArray) frames = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GError) error = NULL;
  const gint64 times[] = { 1000, 4000 };
  const gint64 later[] = { 2500 };

  sampler = cs_frame_sampler_open (flower, 320, &info, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sampler);
  g_assert_cmpstr (info->container, ==, "Quicktime");
  g_assert_cmpstr (info->video_codec, ==, "H.264 (High Profile)");
  g_assert_cmpstr (info->audio_codec, ==, "MPEG-4 AAC");
  g_assert_true (info->has_audio);
  g_assert_cmpint (info->width, ==, 960);
  g_assert_cmpint (info->height, ==, 540);
  g_assert_cmpfloat_with_epsilon (info->fps, 30000.0 / 1001.0, 1e-9);
  g_assert_cmpint (info->duration_ms, ==, 5055);
  g_assert_cmpint (info->rotation, ==, 0);
  g_assert_true (info->seekable);

  frames = cs_frame_sampler_grab (sampler, times, G_N_ELEMENTS (times), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (frames->len, ==, 2);
  for (guint i = 0; i < frames->len; i++)
    {
      const CsSampledFrame *frame = g_ptr_array_index (frames, i);

      /* 960×540 fitted to 320 on the long side. */
      g_assert_cmpint (frame->width, ==, 320);
      g_assert_cmpint (frame->height, ==, 180);
      /* A key-unit seek lands within a second or so of the time asked. */
      g_assert_cmpint (ABS (frame->time_ms - times[i]), <, 1500);
    }
  /* The same sampler serves again. */
  again = cs_frame_sampler_grab (sampler, later, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, 1);

  g_assert_null (cs_frame_sampler_open (sound, 320, &none, NULL, &error));
  g_assert_error (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_AUDIO_ONLY);
  g_assert_nonnull (strstr (error->message, "ALAC"));
  g_assert_null (none);
}

static void
test_collect (void)
{
  g_autofree char *folder = video ("mdn-cc0");
  const char *paths[] = { folder, NULL };
  g_autoptr(GPtrArray) files = cs_clip_import_collect (paths, NULL, NULL);

  /* The six clips, sorted; LICENSE.md and SOURCE.txt are left out. */
  g_assert_nonnull (files);
  g_assert_cmpuint (files->len, ==, 6);
  g_assert_true (g_str_has_suffix (g_ptr_array_index (files, 0), "/flower.mp4"));
  g_assert_true (g_str_has_suffix (g_ptr_array_index (files, 5), "/stream-of-water.webm"));
  g_assert_true (cs_clip_import_is_video_name ("A.MP4"));
  g_assert_false (cs_clip_import_is_video_name ("notes.txt"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/clip-import/collect", test_collect);
  g_test_add_func ("/clip-import/sampler-open", test_sampler_open);
  g_test_add_func ("/clip-import/seeking", test_seeking);
  g_test_add ("/clip-import/real-clips", Fixture, NULL, fixture_set_up, test_real_clips, fixture_tear_down);
  g_test_add ("/clip-import/duplicates", Fixture, NULL, fixture_set_up, test_duplicates, fixture_tear_down);
  g_test_add ("/clip-import/broken", Fixture, NULL, fixture_set_up, test_broken, fixture_tear_down);
  g_test_add ("/clip-import/cancel-and-missing", Fixture, NULL, fixture_set_up, test_cancel_and_missing, fixture_tear_down);
  g_test_add ("/clip-import/cancel-during-file", Fixture, NULL, fixture_set_up, test_cancel_during_file, fixture_tear_down);
  g_test_add ("/clip-import/export-cover", Fixture, NULL, fixture_set_up, test_export_cover, fixture_tear_down);
  g_test_add ("/clip-import/rotation", Fixture, NULL, fixture_set_up, test_rotation, fixture_tear_down);

  return g_test_run ();
}
