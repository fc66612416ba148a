/* cs-predict-clips.h: lists of clips with a prediction on the Predict page:
 * the clips of a confusion matrix cell, and the clips "Score new clips"
 * scored. Each row shows the clip's thumbnail (when it has one), title,
 * classes and probability (or the predicted number) and the reasons of its
 * prediction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "clipscope-engine.h"
#include "cs-clip-list.h"

G_BEGIN_DECLS

/* Rows beyond this many are left out and counted instead: thumbnails are
 * decoded on the main thread. */
#define CS_PREDICT_CLIPS_MAX_ROWS 100

/* One row. @clips (nullable) gives the title and thumbnail; without the
 * clip there, the row says "Clip N". @detail: "high, predicted medium". */
GtkWidget *cs_predict_clip_row_new    (CsClipList                 *clips,
                                       gint64                      clip_id,
                                       const char                 *detail,
                                       double                      probability,
                                       GPtrArray                  *reasons);
/* The same row with any text at its end: @value ("≈ 1,234 views", a
 * predicted number) with @value_tip as its tooltip; @detail (nullable) is
 * the subtitle's first line, above the reasons. */
GtkWidget *cs_predict_clip_row_new_value (CsClipList              *clips,
                                          gint64                   clip_id,
                                          const char              *detail,
                                          const char              *value,
                                          const char              *value_tip,
                                          GPtrArray               *reasons);

/* A window over @parent listing the clips of cell (@truth, @predicted) of
 * @model's confusion matrix, most probable first. */
GtkWidget *cs_predict_cell_window_new (GtkWidget                  *parent,
                                       CsClipList                 *clips,
                                       const CsPredictResult      *result,
                                       const CsPredictModelResult *model,
                                       guint                       truth,
                                       guint                       predicted);

G_END_DECLS
