/* cs-interactions.h: the positive (viewer, clip, time) pairs a recommender
 * learns from.
 *
 * DESIGN §4: the positives chosen by the user, duplicates of (viewer, clip)
 * collapsed. A pair seen several times keeps its earliest time, so a clip
 * counts from the first time the viewer met it.
 *
 * Internal indices (0 … n-1) follow ascending external id: numeric order when
 * every id (of viewers, respectively of clips) is an integer, byte order
 * (strcmp) otherwise; equal numbers ("7", "007") fall back to byte order.
 * Viewers and clips are indexed separately, and only those with at least one
 * positive get an index.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cs-store.h"

G_BEGIN_DECLS

/* The default rule: every event of kind view is a positive. */
#define CS_POSITIVES_DEFAULT "view"

typedef struct
{
  char    *rule;           /* the positives rule, normalised ("view") */
  gint32   n_viewers;
  gint32   n_clips;
  char   **viewer_ids;     /* external ids by internal index, NULL-terminated */
  char   **clip_ids;
  gint64  *viewer_rowids;  /* viewers.id by internal index; 0 when not from a store */
  gint64  *clip_rowids;    /* clips.id by internal index; 0 when not from a store */
  gboolean viewers_numeric;/* viewer ids ordered as integers */
  gboolean clips_numeric;
  gsize    n_pairs;
  gint32  *viewer;         /* pairs, sorted by (viewer, clip) */
  gint32  *clip;
  gint64  *time;           /* Unix seconds, earliest occurrence of the pair */
} CsInteractions;

/* Checks a positives rule: "view" (default), "any" (every event), "like",
 * "comment", "share", "follow", "save", or "watch:RATIO" (a view whose watch
 * time is at least RATIO × the clip's duration; clips of unknown duration give
 * no positives). Returns the normalised rule, or NULL with
 * CS_MODEL_ERROR_INVALID_PARAM. */
char           *cs_positive_rule_normalize (const char     *rule,
                                            GError        **error);

/* Reads the positives of @rule (NULL = "view") from the events of @store.
 * Blocking; call from a worker thread. */
G_GNUC_WARN_UNUSED_RESULT
CsInteractions *cs_interactions_load     (CsStore        *store,
                                          const char     *rule,
                                          GCancellable   *cancellable,
                                          GError        **error);

/* Builds interactions from raw events given by external id (tests, imports
 * that never touch a store): the same collapsing and index order as _load(). */
G_GNUC_WARN_UNUSED_RESULT
CsInteractions *cs_interactions_new      (const char * const *viewer_ids,
                                          const char * const *clip_ids,
                                          const gint64       *times,
                                          gsize               n_events);

void            cs_interactions_free     (CsInteractions *self);

/* Internal index of an external id, or -1 when absent. */
gint32          cs_interactions_find_viewer (const CsInteractions *self,
                                             const char           *external_id);
gint32          cs_interactions_find_clip   (const CsInteractions *self,
                                             const char           *external_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsInteractions, cs_interactions_free)

G_END_DECLS
