/* cs-predict-report.h: a Predict comparison as a printable report
 * (cs-report.h; DESIGN §1 "Everywhere": a whole comparison exports as a
 * PDF report).
 *
 * Page 1: the title, the target as the Predict page says it in words, the
 * feature groups, the protocol, folds and seed, the clips and classes (or
 * the number's mean and median) and the models. Then the results table as
 * the page shows it (cs-predict-table.h: every metric as mean ± sd over
 * folds, the corrected resampled t-test p-values against the best model and
 * the baseline, folds better / same / worse), over as many pages as it
 * needs, with how to read the tests. Then the page's charts
 * (cs-predict-charts.h), two a page: the comparison metric per model with
 * ± sd error bars and the best model's confusion matrix (a number: its
 * predicted-against-true scatter); for classes the best model's ROC,
 * precision–recall and calibration curves; its permutation importance and
 * SHAP when the comparison was explained. A chart the result has no data
 * for (no curves, no importance) is left out, not drawn empty.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-predictor.h"
#include "cs-report.h"

G_BEGIN_DECLS

#define CS_TYPE_PREDICT_REPORT (cs_predict_report_get_type ())
G_DECLARE_FINAL_TYPE (CsPredictReport, cs_predict_report, CS, PREDICT_REPORT, CsReport)

/* Takes ownership of @result. */
G_GNUC_WARN_UNUSED_RESULT
CsReport              *cs_predict_report_new        (CsPredictResult *result);
const CsPredictResult *cs_predict_report_get_result (CsPredictReport *self);
/* The model shown in the one-model charts: the best one (the highest mean
 * macro-F1, the lowest RMSE), or the first that did not fail. */
const CsPredictModelResult *cs_predict_report_get_detail_model (CsPredictReport *self);

G_END_DECLS
