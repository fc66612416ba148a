/* chart-samples.h: one sample chart of every kind, shared by the layer
 * tests (reference images) and chart-gallery (docs/charts/).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-chart.h"

G_BEGIN_DECLS

/* NULL-terminated names: "bar", "line", "area", … */
const char * const *chart_samples_list (void);
/* A new chart for @name, or NULL if unknown. */
CsChart            *chart_sample_new   (const char *name);

G_END_DECLS
