/* cs-clip-import.h: import video files and folders into a project.
 *
 * For each file, in order: SHA-256 of its bytes (a clip already in the
 * project with the same hash is a "duplicate", whatever its name), probe
 * (cs_media_probe), 16 frames sampled by seeking at (i + ½)/16 of the
 * duration, content features (cs-video-features.h) averaged over them, a
 * thumbnail strip (8 of those frames, 320 px on the long side, PNG), the
 * loudness and silence share of the sound, and the 3 best cover frames
 * (cs_video_cover_score; up to 720 px on the long side, PNG).
 *
 * Each accepted file is its own transaction, so a bad or cancelled file
 * loses nothing else. The import leaves an imports row (kind 'clips':
 * rows_read = files seen, rows_imported = clips added, rows_rejected =
 * duplicates + errors) and one import_rejects row per refused file
 * (line = 1-based index of the file in the import, reason, raw = path).
 *
 * clip_features names written: brightness, contrast, colourfulness,
 * saturation, sharpness, motion, scene_cuts_per_min, orientation
 * (a CsOrientation: 0 landscape, 1 square, 2 vertical), and with sound
 * loudness_dbfs and silence_share (left out when the sound cannot be
 * decoded; the clip's attrs JSON then holds "audio_error").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cs-media-probe.h"
#include "cs-store.h"
#include "cs-types.h"

G_BEGIN_DECLS

typedef enum
{
  CS_CLIP_IMPORT_OK,
  CS_CLIP_IMPORT_DUPLICATE,
  CS_CLIP_IMPORT_ERROR,
} CsClipImportStatus;

/* One file of an import. */
typedef struct
{
  char              *path;
  CsClipImportStatus status;
  char              *error;        /* user-facing reason; NULL when ok */
  int                error_code;   /* a CsMediaError when status is ERROR */
  char              *warning;      /* imported, but something was left out (damaged sound) */
  gint64             clip_id;      /* the new clip, or the one it duplicates; 0 on error */
  gint64             duration_ms;
  int                width;
  int                height;
  double             fps;
  char              *video_codec;
  char              *audio_codec;
  gboolean           has_audio;
} CsClipImportFile;

typedef struct
{
  gint64     import_id;
  GPtrArray *files;        /* CsClipImportFile*, in import order */
  guint      n_ok;
  guint      n_duplicate;
  guint      n_error;
} CsClipImportReport;

void                cs_clip_import_report_free    (CsClipImportReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsClipImportReport, cs_clip_import_report_free)

/* Frames and features of one file, before anything is stored. */
typedef struct
{
  gint64  time_ms;
  int     width;
  int     height;
  double  score;     /* covers only */
  GBytes *png;
} CsClipFrame;

typedef struct
{
  CsMediaInfo *info;
  GPtrArray   *thumbnails;   /* CsClipFrame*, in time order */
  GPtrArray   *covers;       /* CsClipFrame*, best first */
  GArray      *feature_values;
  GPtrArray   *feature_names; /* const char* (static) */
  char        *audio_error;  /* sound present but not decodable */
  guint        n_sought;     /* samples found by seeking; the rest decoded through */
} CsClipAnalysis;

void                cs_clip_analysis_free         (CsClipAnalysis *analysis);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsClipAnalysis, cs_clip_analysis_free)

/* Probe, frames, features and covers of one file (no store). Blocking. */
CsClipAnalysis     *cs_clip_analyze               (const char     *path,
                                                   GCancellable   *cancellable,
                                                   GError        **error);

/* The files an import of @paths covers: files as given, folders walked
 * recursively (hidden entries skipped) for files with a video extension
 * (see cs_clip_import_is_video_name), sorted by path within each folder.
 * A path that does not exist is an error. */
GPtrArray          *cs_clip_import_collect        (const char * const *paths,
                                                   GCancellable   *cancellable,
                                                   GError        **error);
gboolean            cs_clip_import_is_video_name  (const char     *name);

/* Imports @paths (files and folders) into the project open in @store.
 * Blocking; call from a worker thread with a store opened on that thread.
 * Returns NULL only when the import could not run (a path missing, the
 * project not writable) or was cancelled; refused files are in the report.
 * On cancel, the files already imported stay, and so does the imports row. */
CsClipImportReport *cs_clip_import_run            (CsStore            *store,
                                                   const char * const *paths,
                                                   CsProgressFunc      progress,
                                                   gpointer            progress_data,
                                                   GCancellable       *cancellable,
                                                   GError            **error);

/* {"import_id","files":[{"path","status":"ok"|"duplicate"|"error","error",
 * "duration_ms","width","height","fps","video_codec","audio_codec",
 * "has_audio","clip_id","warning"}...]} (DESIGN §7). */
char               *cs_clip_import_report_to_json (CsClipImportReport *report);

/* Writes the PNG of frames row @frame_id (a cover or thumbnail) to @path. */
gboolean            cs_clip_export_frame          (CsStore        *store,
                                                   gint64          frame_id,
                                                   const char     *path,
                                                   GError        **error);

G_END_DECLS
