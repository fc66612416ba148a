/* cs-report-run.h: the report of a stored comparison, of the kind its run
 * says (DESIGN §7 "report"): a recommender comparison (task 'recommend',
 * clipscope-cli evaluate, the Recommend page) gets a CsRecommendReport, a
 * Predict comparison (task 'predict', clipscope-cli predict-eval, the
 * Predict page) a CsPredictReport. The CLI and both pages' exports go
 * through here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-predict-report.h"
#include "cs-recommend-report.h"
#include "cs-store.h"

G_BEGIN_DECLS

/* The report of comparison @run_id. CS_STORE_ERROR_NOT_FOUND, saying what
 * the run is instead, when @run_id is no run of @store, a generate run or
 * one model's row of a comparison (it names the comparison). */
G_GNUC_WARN_UNUSED_RESULT
CsReport *cs_report_load        (CsStore       *store,
                                 gint64         run_id,
                                 GError       **error);
/* The newest finished comparison of either kind (the larger run id of
 * cs_eval_result_latest_id() and cs_predict_result_latest_id()), or 0. */
gint64    cs_report_latest_run  (CsStore       *store);
/* Opens the project at @project_path, loads comparison @run_id and writes
 * its report to @file with @project_title and the simulated mark
 * (cs_report_export()); G_IO_ERROR_NOT_SUPPORTED for a file that is not in
 * a local folder. Blocking: for the pages' worker threads. */
gboolean  cs_report_export_run  (const char    *project_path,
                                 const char    *project_title,
                                 gboolean       simulated,
                                 gint64         run_id,
                                 GFile         *file,
                                 GCancellable  *cancellable,
                                 GError       **error);

G_END_DECLS
