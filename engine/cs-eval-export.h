/* cs-eval-export.h: a stored comparison as a CSV table, and its protocol
 * in words, for exports and reports (DESIGN §1 "Recommend", §7 "report").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-evaluator.h"

G_BEGIN_DECLS

/* RFC 4180 CSV text (CRLF line ends) with the header
 * "model,label,metric,k,mean,ci_lo,ci_hi,sd,p_holm" and one row per model ×
 * metric × K, models in run order, metrics in the engine's order (ndcg,
 * recall, precision, hr, map, mrr, coverage, novelty; one that no model has
 * is left out), K ascending: the mean over test viewers, its 95 % bootstrap
 * interval, the standard deviation over folds (k-fold runs) and the
 * Holm-adjusted paired t-test p against the baseline (cs-evaluator.h names
 * them M_lo, M_hi, M_sd, M_p_holm). Then per model two rows with an empty
 * k: "fit_s" and "score_s" (seconds, in the mean column). A value that does
 * not exist (a failed model, the baseline's p, sd of a single split) is an
 * empty field. Numbers use "." and the shortest text that reads back to the
 * same double. */
char     *cs_eval_result_to_csv            (const CsEvalResult *result);
/* Writes cs_eval_result_to_csv() atomically to @path. */
gboolean  cs_eval_result_write_csv         (const CsEvalResult *result,
                                            const char         *path,
                                            GError            **error);

/* "Temporal split: the oldest 80 % of interactions train, the newest 20 %
 * test" and similar; translated. */
char     *cs_eval_result_describe_protocol  (const CsEvalResult *result);
/* "Every view counts as interest" and similar; translated. */
char     *cs_eval_result_describe_positives (const CsEvalResult *result);
/* The protocol's short name ("temporal", "leave-last-out"), or NULL. */
char     *cs_eval_result_get_protocol_name  (const CsEvalResult *result);

G_END_DECLS
