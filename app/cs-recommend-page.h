/* cs-recommend-page.h: train and compare recommender models.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "clipscope-engine.h"
#include "cs-chart.h"
#include "cs-recommend-inspect.h"

G_BEGIN_DECLS

#define CS_TYPE_RECOMMEND_PAGE (cs_recommend_page_get_type ())
G_DECLARE_FINAL_TYPE (CsRecommendPage, cs_recommend_page, CS, RECOMMEND_PAGE, AdwBin)

G_GNUC_WARN_UNUSED_RESULT
GtkWidget          *cs_recommend_page_new         (CsJobList       *jobs);
void                cs_recommend_page_set_project (CsRecommendPage *self,
                                                   CsProject       *project);
/* Re-reads the project's state (after an import or a run), off the main thread. */
void                cs_recommend_page_refresh     (CsRecommendPage *self);
/* Starts a comparison with the settings in the form (as the Run button does). */
void                cs_recommend_page_run         (CsRecommendPage *self);
/* Switches the model @name ("pop", "ease" …) on or off in the form. */
void                cs_recommend_page_set_model_enabled (CsRecommendPage *self,
                                                         const char      *name,
                                                         gboolean         enabled);
/* Reads stored comparison @run_id on a worker thread and shows it. */
void                cs_recommend_page_open_comparison   (CsRecommendPage *self,
                                                         gint64           run_id);
/* Deletes stored comparison @run_id on a worker thread, without asking
 * (the History popover asks first), then toasts and shows the newest left
 * when it was the one shown. */
void                cs_recommend_page_delete_comparison (CsRecommendPage *self,
                                                         gint64           run_id);
/* The stored comparisons (CsEvalRunInfo*, newest first) the History
 * popover lists, or NULL before the first read. */
const GPtrArray    *cs_recommend_page_get_history       (CsRecommendPage *self);
/* TRUE while a read or a delete is under way. */
gboolean            cs_recommend_page_is_loading        (CsRecommendPage *self);
/* The comparison shown, or NULL. */
const CsEvalResult *cs_recommend_page_get_result  (CsRecommendPage *self);
CsChart            *cs_recommend_page_get_chart   (CsRecommendPage *self);
/* The metric@K curve: one CsLineLayer series per model, x = K. */
CsChart            *cs_recommend_page_get_curve   (CsRecommendPage *self);
/* The viewer inspector under the results. */
CsRecommendInspect *cs_recommend_page_get_inspect (CsRecommendPage *self);
/* The significance matrix: every pair of models at one metric and K. */
CsChart            *cs_recommend_page_get_significance (CsRecommendPage *self);
/* Chooses its metric ("ndcg" …), K (one of the comparison's) and test (as
 * its dropdowns do). */
void                cs_recommend_page_set_significance (CsRecommendPage *self,
                                                        const char      *metric,
                                                        guint            k,
                                                        gboolean         wilcoxon);
/* Shows "ndcg" or "recall" on the curve (as its two buttons do). */
void                cs_recommend_page_set_curve_metric (CsRecommendPage *self,
                                                        const char      *metric);

/* Exports of the comparison shown, written on a worker thread; the page
 * toasts success through the window and shows errors in a dialog, and
 * then calls @callback (nullable). The report is read again from the
 * project, so the page may change meanwhile. */
void                cs_recommend_page_export_table_async  (CsRecommendPage     *self,
                                                           GFile               *file,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
void                cs_recommend_page_export_report_async (CsRecommendPage     *self,
                                                           GFile               *file,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean            cs_recommend_page_export_finish       (CsRecommendPage     *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

G_END_DECLS
