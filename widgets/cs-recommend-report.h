/* cs-recommend-report.h: a recommender comparison as a printable report
 * (cs-report.h).
 *
 * Page 1 the title, protocol and data; then the full metrics table (over
 * as many pages as it needs); then charts of NDCG@K and Recall@K, coverage
 * and the fit and scoring times; then, when the comparison kept its
 * significance matrices, NDCG and Recall at the first K for every pair of
 * models (paired t-test, Holm over all pairs).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-evaluator.h"
#include "cs-report.h"

G_BEGIN_DECLS

#define CS_TYPE_RECOMMEND_REPORT (cs_recommend_report_get_type ())
G_DECLARE_FINAL_TYPE (CsRecommendReport, cs_recommend_report, CS, RECOMMEND_REPORT, CsReport)

/* Takes ownership of @result. */
G_GNUC_WARN_UNUSED_RESULT
CsReport           *cs_recommend_report_new        (CsEvalResult      *result);
const CsEvalResult *cs_recommend_report_get_result (CsRecommendReport *self);

G_END_DECLS
