/* cs-window-private.h: internals shared with the app tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-import-dialog.h"
#include "cs-audience-page.h"
#include "cs-predict-page.h"
#include "cs-recommend-page.h"
#include "cs-window.h"

G_BEGIN_DECLS

CsRecommendPage *_cs_window_get_recommend_page (CsWindow *self);
CsAudiencePage  *_cs_window_get_audience_page  (CsWindow *self);
CsPredictPage   *_cs_window_get_predict_page   (CsWindow *self);
/* TRUE while a project is being opened or the demo created. */
gboolean         _cs_window_is_busy            (CsWindow *self);
/* Removes everything import @import_id added, as a job. */
void             cs_window_rollback_import     (CsWindow   *self,
                                                gint64      import_id);
/* Opens the mapping step for @file; the window imports when the user
 * confirms. (transfer none) */
CsImportDialog  *cs_window_choose_columns      (CsWindow   *self,
                                                GFile      *file,
                                                const char *kind);

G_END_DECLS
