/* cs-predict-export.h: a stored Predict comparison as a CSV table (DESIGN
 * §1 "Everywhere": tables export to CSV).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-predictor.h"

G_BEGIN_DECLS

/* RFC 4180 CSV text (CRLF line ends) with the header
 * "model,label,metric,mean,sd,fold_1,…,fold_K" (K the comparison's folds;
 * a time split has one) and, per model in run order:
 * - one row per metric the target has (cs_predict_metric_applies(): the
 *   class metrics, or the number's, and fit_s, predict_s), in the engine's
 *   order (cs-predict-metrics.h): the mean and sample standard deviation
 *   over folds (empty for one fold) and each fold's value;
 * - rows "P_p_vs_best", "P_p_vs_baseline" (the corrected resampled t-test
 *   p-values) and "P_wins", "P_ties", "P_losses" (folds against the
 *   baseline), P the metric the models are compared on
 *   (cs_predict_result_get_primary_metric(): macro_f1, rmse or rmse_log),
 *   with the value in the mean column.
 * A value that does not exist (a failed model, the best model's p) is an
 * empty field; numbers use "." and the shortest text that reads back to
 * the same double. */
char     *cs_predict_result_to_csv    (const CsPredictResult *result);
/* Writes cs_predict_result_to_csv() to @path (atomically). */
gboolean  cs_predict_result_write_csv (const CsPredictResult *result,
                                       const char            *path,
                                       GError               **error);

G_END_DECLS
