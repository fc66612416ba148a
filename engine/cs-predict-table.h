/* cs-predict-table.h: a Predict comparison in words and as a table of
 * text, exactly as the Predict page shows it, so the page and the PDF report
 * (widgets/cs-predict-report.h) say the same thing (DESIGN §1 "Predict",
 * "Everywhere").
 *
 * The table has one column per model (run order) and these rows:
 * - every metric the target has (cs_predict_metric_applies()), classes:
 *   accuracy, balanced accuracy, macro precision, recall, F1, ROC AUC, log
 *   loss; a number: MAE, RMSE, R², Spearman and, for counts, MAE, RMSE, R²
 *   on the log scale; then fit and predict seconds. Cells are "mean ± sd"
 *   over folds (the mean alone for one fold, "—" when missing), with the
 *   decimals of cs_predict_metric_format() (three for fractions, R², ρ,
 *   log-scale errors and seconds; errors in views by their size). A cell that prints the same as the row's best
 *   (highest, or lowest for errors and log loss) is emphasised; times are
 *   no contest and never are;
 * - "P p vs best": the corrected resampled t-test p-value against the best
 *   model ("best" in its own column), "< 0.001" or "%.3f", "—" for one fold;
 * - when the majority baseline ran: "P p vs baseline" ("baseline" in its
 *   column; p < 0.05 emphasised) and "Folds better / same / worse" against
 *   it ("W / T / L").
 * P is macro-F1 for classes, RMSE or RMSE (log) for a number
 * (cs_predict_result_get_primary_metric()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-predictor.h"

G_BEGIN_DECLS

typedef struct
{
  char       *title;
  const char *tip;       /* how to read it (translated), or NULL */
  char      **cells;     /* one per model */
  gboolean   *emphasis;  /* one per model: the best value, a significant p */
} CsPredictTableRow;

/* "Views", "Like rate" … for a target metric name ("views"); @metric
 * itself when unknown. */
const char *cs_predict_target_get_title         (const char            *metric);
/* The form's names of a feature group (CS_PREDICT_TEXT …): "Posting
 * Time", and what it holds ("Hour of the day and day of the week"; NULL
 * for none). */
const char *cs_predict_group_get_title          (CsPredictGroups        group);
const char *cs_predict_group_get_description    (CsPredictGroups        group);
/* A number for reading: whole or ≥ 100 without decimals, else 3
 * significant digits. */
char       *cs_predict_format_number            (double                 v);
/* "stratified 5-fold cross-validation", "5-fold cross-validation" (a
 * number), "time split, the newest 20 % of clips test". */
char       *cs_predict_result_describe_protocol (const CsPredictResult *result);
/* The page's summary: "Predicting Views in 3 classes — low (< 50): 13, …;
 * stratified 5-fold cross-validation on 40 clips." or, for a number,
 * "Predicting Views, the number itself (…) — mean 64.6, median 57; …". */
char       *cs_predict_result_describe          (const CsPredictResult *result);
/* The table above: CsPredictTableRow*, freed with the array. */
GPtrArray  *cs_predict_result_get_table         (const CsPredictResult *result);

G_END_DECLS
