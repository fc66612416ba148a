/* cs-funnel-layer.h: stages that each keep part of the one before (views →
 * likes → comments → shares → follows), as bars with the step conversion
 * between them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-chart-layer.h"

G_BEGIN_DECLS

#define CS_TYPE_FUNNEL_LAYER (cs_funnel_layer_get_type ())
G_DECLARE_FINAL_TYPE (CsFunnelLayer, cs_funnel_layer, CS, FUNNEL_LAYER, CsChartLayer)

G_GNUC_WARN_UNUSED_RESULT
CsFunnelLayer *cs_funnel_layer_new            (void);
/* @counts[i] people reached stage @stages[i]; NaN is unknown. */
void           cs_funnel_layer_set_data       (CsFunnelLayer      *self,
                                               const char * const *stages,
                                               const double       *counts,
                                               guint               n_stages);
/* counts[stage] / counts[stage − 1]; NaN for the first stage or unknowns. */
double         cs_funnel_layer_get_step_rate  (CsFunnelLayer      *self,
                                               guint               stage);

G_END_DECLS
