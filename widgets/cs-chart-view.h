/* cs-chart-view.h: the GTK widget that shows a CsChart.
 *
 * A thin layer over cs_chart_render(): theme colours, hover tooltips,
 * accessible description, and an "Export…" menu.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cs-chart.h"

G_BEGIN_DECLS

#define CS_TYPE_CHART_VIEW (cs_chart_view_get_type ())
G_DECLARE_FINAL_TYPE (CsChartView, cs_chart_view, CS, CHART_VIEW, GtkWidget)

G_GNUC_WARN_UNUSED_RESULT
GtkWidget *cs_chart_view_new       (CsChart     *chart);
CsChart   *cs_chart_view_get_chart (CsChartView *self);
void       cs_chart_view_set_chart (CsChartView *self,
                                    CsChart     *chart);

G_END_DECLS
