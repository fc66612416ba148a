/* cs-import-review.h: what an import could not take, and the choice to keep
 * or roll back the import.
 *
 * DESIGN §5: rejected rows are shown with their line, the reason and the raw
 * text; the user decides whether the rows that were accepted stay. The window
 * only shows and asks; "rollback" hands the decision to the window, which
 * runs it as a job.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "clipscope-engine.h"

G_BEGIN_DECLS

#define CS_TYPE_IMPORT_REVIEW (cs_import_review_get_type ())
G_DECLARE_FINAL_TYPE (CsImportReview, cs_import_review, CS, IMPORT_REVIEW, AdwWindow)

/* @report: the finished import (its rejects are copied).
 * @unmatched: (nullable): clip references of a stats import that matched no
 * clip (char*), listed for review. */
CsImportReview *cs_import_review_new            (GtkWindow            *parent,
                                                 const char           *source_name,
                                                 const CsImportReport *report,
                                                 GPtrArray            *unmatched);
gint64          cs_import_review_get_import_id  (CsImportReview       *self);
/* For tests: the number of reject rows listed. */
guint           cs_import_review_get_n_listed   (CsImportReview       *self);
/* For tests: the number of unmatched references listed. */
guint           cs_import_review_get_n_unmatched (CsImportReview      *self);

G_END_DECLS
