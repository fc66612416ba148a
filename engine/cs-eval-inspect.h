/* cs-eval-inspect.h: one viewer's lists under a stored comparison.
 *
 * The inspector rebuilds a comparison's split (same protocol and positives
 * from its protocol JSON) and loads each model the comparison kept
 * (CsEvalRequest.store_state) when its training matrix is the split's;
 * other models it refits with their stored params (the seed is one of
 * them). Either way each viewer gets the lists the evaluation scored.
 * Building it is the slow part (blocking: call it on a worker); inspecting a
 * viewer afterwards only ranks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cs-clip.h"
#include "cs-store.h"
#include "cs-types.h"

G_BEGIN_DECLS

typedef struct _CsEvalInspector CsEvalInspector;

typedef struct
{
  char       *label;     /* "ItemKNN (k=100)" */
  char       *error;     /* why the model could not fit again, or NULL */
  GPtrArray  *clips;     /* CsClip*, the top K unseen clips, best first */
  gboolean   *hits;      /* per clip: in the viewer's test set */
  guint       n_hits;
} CsEvalInspectList;

typedef struct
{
  char       *viewer_id;   /* external id */
  guint       k;
  GPtrArray  *train;       /* CsClip*, the viewer's training clips, oldest first */
  GPtrArray  *test;        /* CsClip*, the held-out clips, in clip order */
  GPtrArray  *models;      /* CsEvalInspectList*, in the comparison's model order */
} CsEvalInspection;

/* Reads comparison @run_id's data and fits its models again. Models that
 * fail get a list with an error; the others still work. */
G_GNUC_WARN_UNUSED_RESULT
CsEvalInspector  *cs_eval_inspector_new          (CsStore          *store,
                                                  gint64            run_id,
                                                  CsProgressFunc    progress,
                                                  gpointer          progress_data,
                                                  GCancellable     *cancellable,
                                                  GError          **error);
void              cs_eval_inspector_free         (CsEvalInspector  *self);
gint64            cs_eval_inspector_get_run_id   (CsEvalInspector  *self);
/* External ids of the test viewers, in the split's viewer order. */
const char * const *cs_eval_inspector_get_test_viewers (CsEvalInspector *self,
                                                        guint           *n_viewers);
/* Viewer @viewer_id's lists of length @k (the comparison's K when 0) with
 * clips read from @store (the same project; pass a store opened on the
 * calling thread). An unknown viewer or one without test clips gives
 * CS_MODEL_ERROR_NO_DATA. Several threads may inspect at once. */
CsEvalInspection *cs_eval_inspector_inspect      (CsEvalInspector  *self,
                                                  CsStore          *store,
                                                  const char       *viewer_id,
                                                  guint             k,
                                                  GError          **error);
void              cs_eval_inspection_free        (CsEvalInspection *inspection);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsEvalInspector, cs_eval_inspector_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsEvalInspection, cs_eval_inspection_free)

G_END_DECLS
