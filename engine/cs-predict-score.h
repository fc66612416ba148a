/* cs-predict-score.h: "Score new clips" (Predict, DESIGN §1): a model of a
 * finished comparison predicts the engagement class, or the number, of
 * clips that have not been posted yet.
 *
 * The model is fitted again, with the comparison's settings and seed, on
 * every clip whose target is known now (the same dataset, target spec and
 * feature groups as the comparison; terciles are recomputed on those clips,
 * so they match the comparison's when the statistics have not changed).
 * It then scores the clips whose target is unknown, the ones the dataset
 * builder leaves out (cs_predict_dataset_load_unknown): each gets its
 * predicted class (the most probable, ties to the lower), every class's
 * probability and its strongest reasons (cs-predict-reasons.h).
 *
 * A comparison of a number (METRIC:value) scores the same way through the
 * predictor's own fit and predict (cs_predictor_fit, cs_predictor_predict):
 * the model learns the target on its model scale (log1p for counts) and
 * each clip gets its predicted number back on the metric's scale (expm1
 * clipped at 0 for counts) with the features that pushed it up or down
 * (contributions on the model scale: TreeSHAP for rf and gbdt,
 * coefficient × value for logreg and linsvm, none for majority and rbfsvm).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cs-predict-dataset.h"
#include "cs-predict-reasons.h"
#include "cs-store.h"
#include "cs-types.h"

G_BEGIN_DECLS

typedef struct
{
  gint64      clip_id;
  char       *title;       /* NULL when the clip has none */
  guint       predicted;   /* a number: 0 */
  double      proba[CS_PREDICT_MAX_CLASSES]; /* a number: NAN */
  double      value;       /* a number: the prediction on the metric's scale; classes: NAN */
  GPtrArray  *reasons;     /* CsPredictReason*, strongest first */
} CsPredictScore;

typedef struct
{
  gint64      run_id;
  char       *model;       /* "logreg" */
  char       *label;       /* "Logistic regression" */
  char       *params;      /* JSON object text */
  char       *target_spec;
  gboolean    regression;  /* the target is a number: no classes */
  gboolean    log_target;  /* a count: the model learnt log1p */
  guint       n_classes;   /* a number: 0 */
  char       *class_names[CS_PREDICT_MAX_CLASSES];
  guint       n_train;     /* labelled clips the model was fitted on */
  guint       n_features;
  const char *reasons_note; /* cs_predict_reasons_describe() of the model */
  GPtrArray  *scores;      /* CsPredictScore*, by clip id */
} CsPredictScoreResult;

void cs_predict_score_result_free (CsPredictScoreResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsPredictScoreResult, cs_predict_score_result_free)

/* Scores with model @model (a name in comparison @run_id; the first one
 * when several share it; @run_id 0: the newest comparison) the clips in
 * @clip_ids (@n_clip_ids of them) or, when @n_clip_ids is 0, every clip
 * whose target is unknown; @n_reasons reasons each. Fails, saying what to
 * do, with CS_STORE_ERROR_NOT_FOUND when there is no such finished
 * comparison or clip, CS_MODEL_ERROR_UNKNOWN_MODEL when the comparison has
 * no such model, CS_MODEL_ERROR_FAILED when it failed there, and
 * CS_MODEL_ERROR_NO_DATA when there is no clip to score or a chosen clip's
 * target is known. Blocking; call from a worker thread. */
CsPredictScoreResult *cs_predict_score (CsStore       *store,
                                        gint64         run_id,
                                        const char    *model,
                                        const gint64  *clip_ids,
                                        guint          n_clip_ids,
                                        guint          n_reasons,
                                        CsProgressFunc progress,
                                        gpointer       progress_data,
                                        GCancellable  *cancellable,
                                        GError       **error);

/* {"run_id","model","label","params","target":{"spec","classes"},"n_train",
 *  "reasons_note","clips":[{"clip_id","title","class","probability",
 *  "probabilities":{CLASS:P},"reasons":[{"feature","value","contribution"}]}]}
 * For a number, "target" is {"spec","regression":true,"log_scale"} and each
 * clip has "predicted" (the number) instead of "class", "probability" and
 * "probabilities". */
char *cs_predict_score_result_to_json (const CsPredictScoreResult *result);

G_END_DECLS
