/* cs-retention-layer.h: the share of viewers still watching, against
 * seconds into the clip, as a filled line on 0..100 %.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-line-layer.h"

G_BEGIN_DECLS

#define CS_TYPE_RETENTION_LAYER (cs_retention_layer_get_type ())
G_DECLARE_FINAL_TYPE (CsRetentionLayer, cs_retention_layer, CS, RETENTION_LAYER, CsLineLayer)

G_GNUC_WARN_UNUSED_RESULT
CsRetentionLayer *cs_retention_layer_new      (void);
/* Adds a curve: @share[i] (0..1) of viewers still watching at @seconds[i]
 * (increasing). Use with cs_chart_set_axis_percent (chart, CS_CHART_AXIS_Y,
 * TRUE) and the x unit "s". Returns the series. */
guint             cs_retention_layer_add_curve (CsRetentionLayer *self,
                                                const char       *name,
                                                const double     *seconds,
                                                const double     *share,
                                                gsize             n);

G_END_DECLS
