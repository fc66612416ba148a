/* cs-predict-reasons.h: for each clip, the few features that pushed its
 * prediction (Predict, DESIGN §1 "per-clip explanations").
 *
 * A reason is one feature column (cs-predict-features.h names it: a word,
 * "hour=7", "duration_s" …) with its signed contribution to the score of the
 * clip's predicted class, as the model's contributions define it
 * (CsContributionKind in cs-classifier.h): TreeSHAP on the raw score for rf
 * and gbdt, coefficient × value on the decision value for logreg and linsvm,
 * centred log-probability for nb. Positive pushes toward the predicted
 * class, negative away from it. A clip's reasons are its N columns with the
 * largest |contribution| (ties to the lower column), zeros left out; the
 * bias is not a reason. majority and rbfsvm have none (see
 * cs_predict_reasons_describe).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "cs-classifier.h"
#include "cs-predict-features.h"
#include "cs-sparse.h"

G_BEGIN_DECLS

#define CS_PREDICT_N_REASONS 3

typedef struct
{
  char   *feature;       /* column name */
  double  value;         /* the clip's value in that column (0: absent) */
  double  contribution;  /* signed, toward the predicted class */
} CsPredictReason;

void              cs_predict_reason_free      (CsPredictReason         *reason);
CsPredictReason  *cs_predict_reason_new       (const char              *feature,
                                               double                   value,
                                               double                   contribution);

/* The reasons of every row of @x (transformed by @features) toward
 * @predicted[i] (@features NULL: columns are named "column J"): a GPtrArray of x->n_rows GPtrArray of CsPredictReason*,
 * at most @n_top each, largest |contribution| first; every list is empty
 * when @clf has no contributions. Rows are explained a few at a time, so
 * at most 4 Mi contributions (16 MiB) are held at once.
 * @abs_sum, when not NULL, has n_cols entries and gets Σ over rows and
 * classes of |contribution| added (mean |SHAP| importance). */
GPtrArray        *cs_predict_reasons_compute  (CsClassifier            *clf,
                                               const CsPredictFeatures *features,
                                               const CsCsr             *x,
                                               const guint             *predicted,
                                               guint                    n_top,
                                               double                  *abs_sum,
                                               GError                 **error);

/* "weekday=wed +0.383, hour=18 −0.0996, 2 (absent) +0.453": each reason's
 * feature (marked absent when the clip's value is 0) and contribution with
 * 3 significant digits; "" for none. */
char             *cs_predict_reasons_to_text  (GPtrArray               *reasons);

/* Adds @reasons to @builder as one array value:
 * [{"feature", "value", "contribution"}, …], strongest first. */
void              cs_predict_reasons_add_json (GPtrArray               *reasons,
                                               JsonBuilder             *builder);

/* The contributions the model named @model has (majority, nb, …). */
CsContributionKind cs_predict_reasons_kind    (const char              *model);
/* One translated sentence on what a clip's reasons mean for @model, or
 * why it has none. */
const char       *cs_predict_reasons_describe (const char              *model);
/* The same for @model predicting a number, whose contributions are on the
 * scale it learns: log(1 + n) when @log_target (a count), else the number. */
const char       *cs_predict_reasons_describe_number (const char       *model,
                                                      gboolean          log_target);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsPredictReason, cs_predict_reason_free)

G_END_DECLS
