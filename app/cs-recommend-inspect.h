/* cs-recommend-inspect.h: one viewer's lists under a stored comparison.
 *
 * Pick a test viewer; each model's top-K clips show side by side as cards,
 * the clips the viewer watched next marked, with the viewer's training
 * history above them. The comparison's models are fitted again on a worker
 * (CsEvalInspector) the first time, and kept per comparison while the
 * widget lives.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "clipscope-engine.h"
#include "cs-eval-inspect.h"

G_BEGIN_DECLS

#define CS_TYPE_RECOMMEND_INSPECT (cs_recommend_inspect_get_type ())
G_DECLARE_FINAL_TYPE (CsRecommendInspect, cs_recommend_inspect, CS, RECOMMEND_INSPECT, GtkBox)

G_GNUC_WARN_UNUSED_RESULT
GtkWidget              *cs_recommend_inspect_new       (void);
/* The comparison to inspect (0: none); the models are fitted on the first
 * cs_recommend_inspect_start() (the Inspect button), not here. */
void                    cs_recommend_inspect_set_run   (CsRecommendInspect *self,
                                                        const char         *project_path,
                                                        gint64              run_id);
/* Fits the comparison's models on a worker unless already done, then
 * lists its test viewers and shows the first. */
void                    cs_recommend_inspect_start     (CsRecommendInspect *self);
/* Shows viewer @viewer_id (an external id), ranked on a worker. */
void                    cs_recommend_inspect_show_viewer (CsRecommendInspect *self,
                                                          const char         *viewer_id);
/* The viewer shown, or NULL. */
const CsEvalInspection *cs_recommend_inspect_get_inspection (CsRecommendInspect *self);
/* TRUE while fitting or ranking. */
gboolean                cs_recommend_inspect_is_busy   (CsRecommendInspect *self);

G_END_DECLS
