/* cs-clip.h: one clip of a project, as the clip library shows it.
 *
 * A CsClip is an immutable snapshot of a row of `clips` (plus its first
 * thumbnail), made on a worker thread by CsClipList and then only read. Its
 * properties exist so that list models can sort and filter on them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "cs-store.h"

G_BEGIN_DECLS

#define CS_TYPE_CLIP (cs_clip_get_type ())
G_DECLARE_FINAL_TYPE (CsClip, cs_clip, CS, CLIP, GObject)

typedef enum
{
  CS_CLIP_SORT_ADDED,      /* newest first */
  CS_CLIP_SORT_DURATION,   /* longest first */
  CS_CLIP_SORT_NAME,       /* title A–Z in the locale's order */
} CsClipSort;

typedef enum
{
  CS_CLIP_ORIENTATION_UNKNOWN,
  CS_CLIP_ORIENTATION_VERTICAL,   /* taller than wide (9:16) */
  CS_CLIP_ORIENTATION_SQUARE,     /* 1/1.1 <= width / height <= 1.1, as the importer */
  CS_CLIP_ORIENTATION_LANDSCAPE,  /* wider than tall (16:9) */
} CsClipOrientation;

gint64       cs_clip_get_id            (CsClip *self);
const char  *cs_clip_get_external_id   (CsClip *self);
/* The title, or the external id (file name) when the clip has none. */
const char  *cs_clip_get_title         (CsClip *self);
const char  *cs_clip_get_caption       (CsClip *self);
const char  *cs_clip_get_hashtags      (CsClip *self);
const char  *cs_clip_get_path          (CsClip *self);
const char  *cs_clip_get_content_hash  (CsClip *self);
gint64       cs_clip_get_duration_ms   (CsClip *self);
/* Upright size: rotation already applied. 0 when unknown. */
int          cs_clip_get_width         (CsClip *self);
int          cs_clip_get_height        (CsClip *self);
double       cs_clip_get_fps           (CsClip *self);
const char  *cs_clip_get_video_codec   (CsClip *self);
const char  *cs_clip_get_audio_codec   (CsClip *self);
gboolean     cs_clip_get_has_audio     (CsClip *self);
gint64       cs_clip_get_posted_at     (CsClip *self);
gboolean     cs_clip_get_simulated     (CsClip *self);
const char  *cs_clip_get_attrs         (CsClip *self);
gint64       cs_clip_get_added_at      (CsClip *self);
const char  *cs_clip_get_container     (CsClip *self);
/* Bits per second; 0 when unknown. */
gint64       cs_clip_get_bitrate       (CsClip *self);
/* Degrees clockwise (0, 90, 180, 270) to turn the decoded picture upright. */
int          cs_clip_get_rotation      (CsClip *self);
/* Bytes; 0 when unknown. */
gint64       cs_clip_get_file_size     (CsClip *self);
/* The first frame of the thumbnail strip (PNG), or NULL. */
GBytes      *cs_clip_get_thumbnail     (CsClip *self);
/* attrs "hue" (degrees) for a placeholder colour, or -1. */
double       cs_clip_get_hue           (CsClip *self);
CsClipOrientation
             cs_clip_get_orientation   (CsClip *self);

/* TRUE when every whitespace-separated word of @query occurs in the
 * clip's title, caption, hashtags or file name, ignoring case. */
gboolean     cs_clip_matches           (CsClip     *self,
                                        const char *query);
int          cs_clip_compare           (CsClip     *a,
                                        CsClip     *b,
                                        CsClipSort  sort);

/* For CsClipList: a clip from a row of CS_CLIP_COLUMNS. */
#define CS_CLIP_COLUMNS "id, external_id, title, caption, hashtags, path, content_hash," \
                        " duration_ms, width, height, fps, video_codec, audio_codec, has_audio," \
                        " posted_at, simulated, attrs, added_at, container, bitrate, rotation, file_size"
CsClip      *_cs_clip_new_from_row     (sqlite3_stmt *stmt);
void         _cs_clip_set_thumbnail    (CsClip       *self,
                                        GBytes       *png);

/* The clip's features, thumbnail strip and cover suggestions. */
typedef struct
{
  gint64  id;        /* frames.id */
  gint64  time_ms;
  int     width;
  int     height;
  double  score;     /* covers: higher is better; NAN when not scored */
  GBytes *png;
} CsStoredFrame;

typedef struct
{
  char   *name;      /* as stored in clip_features */
  double  value;
} CsClipFeature;

typedef struct
{
  gint64     clip_id;
  GArray    *features;     /* of CsClipFeature, by name */
  GPtrArray *thumbnails;   /* of CsStoredFrame, by time */
  GPtrArray *covers;       /* of CsStoredFrame, best first, at most 3 */
  /* From the event log (cs-audience.h "retention curve"): the share of the
   * clip's views still watching at 0 … 100 % of it; retention_views is 0
   * when no view of the clip has a watch time. */
  guint64    retention_views;
  double     retention[101];
} CsClipDetails;

void          cs_clip_details_free        (CsClipDetails  *details);
/* NAN when the feature is not stored. */
double        cs_clip_details_get_feature (CsClipDetails  *details,
                                           const char     *name);
G_GNUC_WARN_UNUSED_RESULT
CsClipDetails *cs_clip_details_load       (CsStore        *store,
                                           gint64          clip_id,
                                           GError        **error);
/* Opens its own connection to @project_path on a worker thread. */
void          cs_clip_details_load_async  (const char           *project_path,
                                           gint64                clip_id,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
CsClipDetails *cs_clip_details_load_finish (GAsyncResult        *result,
                                            GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsClipDetails, cs_clip_details_free)

G_END_DECLS
