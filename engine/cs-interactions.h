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
  float   *weight;         /* the pair's weight under a weighted rule, else NULL */
} CsInteractions;

/* The largest weight one event kind can have in a weighted rule. */
#define CS_POSITIVE_MAX_WEIGHT 1000

/* Checks a positives rule: "view" (default), "any" (every event), "like",
 * "comment", "share", "follow", "save", "watch:RATIO" (a view whose watch
 * time is at least RATIO × the clip's duration; clips of unknown duration give
 * no positives), or "weighted:KIND=W,…" (KIND one of view, like, comment,
 * share, follow, save; 0 ≤ W ≤ CS_POSITIVE_MAX_WEIGHT, at least one W > 0).
 *
 * Under a weighted rule a (viewer, clip) pair is a positive when it has an
 * event of a kind with W > 0, and its weight is the sum of W over all such
 * events of the pair (a viewer who watched twice and liked once, with
 * view=1,like=3, gives 1 + 1 + 3 = 5). Only iALS reads the weight, as its
 * confidence c = 1 + α·weight; every other model sees whether the pair is a
 * positive, nothing more.
 *
 * Returns the normalised rule (kinds in the order view, like, comment,
 * share, follow, save; zero weights left out: "weighted:view=1,like=3"), or
 * NULL with CS_MODEL_ERROR_INVALID_PARAM. */
char           *cs_positive_rule_normalize (const char     *rule,
                                            GError        **error);
/* TRUE for a normalised "weighted:…" rule. */
gboolean        cs_positive_rule_is_weighted (const char   *rule);

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

/* The same with a weight per event (summed per pair, as a weighted rule
 * does); the rule reads "weighted". */
G_GNUC_WARN_UNUSED_RESULT
CsInteractions *cs_interactions_new_weighted (const char * const *viewer_ids,
                                              const char * const *clip_ids,
                                              const gint64       *times,
                                              const float        *weights,
                                              gsize               n_events);

void            cs_interactions_free     (CsInteractions *self);

/* Internal index of an external id, or -1 when absent. */
gint32          cs_interactions_find_viewer (const CsInteractions *self,
                                             const char           *external_id);
gint32          cs_interactions_find_clip   (const CsInteractions *self,
                                             const char           *external_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsInteractions, cs_interactions_free)

G_END_DECLS
