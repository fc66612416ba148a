/* cs-frame-set.h: frames for Generate — sampled from chosen clips, square,
 * small, stored in the project.
 *
 * Sampling: for each clip, times (i + ½)/rate seconds for i = 0, 1, … while
 * inside the clip, at most @max_per_clip of them, spread over the whole clip
 * when it is longer (times (i + ½)·duration/max_per_clip). Each frame is
 * decoded by seeking (cs-frame-sampler.h) at twice the target size on its
 * short side, cropped to its centre square and area-averaged to
 * size × size (32 or 64) RGB.
 *
 * Storage: a row of frame_sets and one row of frames per frame (kind
 * 'train', frame_set_id, label), whose data is raw RGB, 3·size² bytes with
 * rows packed — not PNG: training reads every frame on every run, and PNG
 * would save little on 12 KiB of photographic pixels (see docs/GENERATE.md).
 *
 * Labels: an engagement class per clip chosen by the caller (an integer ≥ 0,
 * e.g. 0 low, 1 medium, 2 high), copied to every frame of that clip; -1 for
 * unlabelled. Clips whose file cannot be decoded are skipped and listed,
 * each with the reason; the set fails only when no frame at all was read.
 *
 * Loading gives a float tensor N × 3 × size × size (NCHW) with values
 * v/127.5 − 1 in [-1, 1], frames in (clip id, time) order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cs-store.h"
#include "cs-types.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  clip_id;
  char   *reason;  /* translated, says what to do */
} CsFrameSetSkip;

typedef struct
{
  gint64     id;
  int        size;
  double     rate;
  int        max_per_clip;
  guint      n_frames;
  guint      n_clips;      /* clips that gave at least one frame */
  GPtrArray *skipped;      /* CsFrameSetSkip */
} CsFrameSetInfo;

void            cs_frame_set_info_free (CsFrameSetInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsFrameSetInfo, cs_frame_set_info_free)

typedef struct
{
  int      size;
  int      n;
  float   *data;     /* n × 3 × size × size, in [-1, 1] */
  int     *labels;   /* n, -1 when unlabelled */
  gint64  *clip_ids; /* n */
} CsFrameTensor;

void            cs_frame_tensor_free   (CsFrameTensor *tensor);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsFrameTensor, cs_frame_tensor_free)

/* Whether @size is one Generate supports (32 or 64). */
gboolean        cs_frame_set_size_supported (int size);

/* Samples and stores a new frame set. @clip_ids (gint64) NULL or empty means
 * every clip of the project that has a video file. @labels maps a clip id
 * (gint64 *) to GINT_TO_POINTER (class + 1); NULL for none. Writes in one
 * transaction at the end, so a cancelled build leaves nothing. */
CsFrameSetInfo *cs_frame_set_build     (CsStore        *store,
                                        GArray         *clip_ids,
                                        int             size,
                                        double          rate,
                                        int             max_per_clip,
                                        GHashTable     *labels,
                                        CsProgressFunc  progress,
                                        gpointer        progress_data,
                                        GCancellable   *cancellable,
                                        GError        **error);

/* The newest stored set with the same clips (same list, in the same order),
 * size, rate and cap, or 0. */
gint64          cs_frame_set_find      (CsStore        *store,
                                        GArray         *clip_ids,
                                        int             size,
                                        double          rate,
                                        int             max_per_clip);

CsFrameSetInfo *cs_frame_set_get_info  (CsStore        *store,
                                        gint64          frame_set_id,
                                        GError        **error);

CsFrameTensor  *cs_frame_set_load      (CsStore        *store,
                                        gint64          frame_set_id,
                                        GError        **error);

G_END_DECLS
