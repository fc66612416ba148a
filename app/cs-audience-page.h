/* cs-audience-page.h: the Audience dashboard (DESIGN §1 "Audience analytics").
 *
 * KPI cards and charts of engine/cs-audience.h for a date range and a clip.
 * Every query runs in a CsJob on a worker (which first brings the project's
 * summaries up to date); a query that a newer one replaced is cancelled and
 * its result dropped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "clipscope-engine.h"

G_BEGIN_DECLS

#define CS_TYPE_AUDIENCE_PAGE (cs_audience_page_get_type ())
G_DECLARE_FINAL_TYPE (CsAudiencePage, cs_audience_page, CS, AUDIENCE_PAGE, AdwBin)

G_GNUC_WARN_UNUSED_RESULT
GtkWidget              *cs_audience_page_new         (void);
void                    cs_audience_page_set_project (CsAudiencePage *self,
                                                      CsProject      *project);
/* Queries again (after an import, or when the project changed). */
void                    cs_audience_page_refresh     (CsAudiencePage *self);
/* The result shown, or NULL while none has arrived. */
const CsAudienceResult *cs_audience_page_get_result  (CsAudiencePage *self);
/* TRUE while a query runs. */
gboolean                cs_audience_page_is_busy     (CsAudiencePage *self);
/* The text of KPI card @index (0 = views … 5 = follows), as shown. */
const char             *cs_audience_page_get_kpi_text (CsAudiencePage *self,
                                                       guint           index);

G_END_DECLS
