/* cs-predictor.h: train and compare engagement classifiers under one
 * protocol (DESIGN §1 "Predict", §4 "Classifiers" and "Comparisons").
 *
 * Protocols:
 *   stratified k-fold  each class's rows, in dataset order, are shuffled
 *                      (Fisher–Yates, SplitMix64 seeded with the run's seed,
 *                      classes in order) and dealt round-robin to the folds,
 *                      each class starting where the previous one stopped,
 *                      so every fold keeps the class proportions and fold
 *                      sizes differ by at most one. Every class needs at
 *                      least k rows.
 *   time split         rows sorted by posted_at (then clip id); the newest
 *                      test_fraction (0.2) is the test set, the rest trains.
 *   k-fold (number)    a number target (METRIC:value): the stratified rule
 *                      with a single class, so plain seeded k-fold (rows
 *                      shuffled and dealt round-robin); protocol name
 *                      "kfold".
 * Features are fitted on each fold's training rows only. Each model is
 * fitted and scored on every fold; metrics (cs-predict-metrics.h) are kept
 * per fold and as mean ± sample standard deviation.
 *
 * A number target (regression): models learn the target on its model scale
 * (log1p for counts, cs-predict-dataset.h); predictions are mapped back and
 * the metrics are MAE, RMSE, R², Spearman on the original scale and, for
 * counts, MAE, RMSE, R² on the log1p scale (cs-predict-metrics.h). The
 * comparison metric (cs_predict_result_get_primary_metric) is RMSE on the
 * scale the models learn (rmse_log for counts, rmse otherwise), lower
 * better: the best model, the t-tests, win/tie/loss (a win is a lower RMSE)
 * and permutation importance (the increase in it) all use it. No curves and
 * no confusion matrix; each tested clip keeps its true and predicted number.
 *
 * Comparisons, on macro-F1 per fold (the primary metric): the corrected resampled t-test of every
 * model against the best (highest mean macro-F1) and against the majority
 * baseline (when run), with n_test/n_train the mean ratio over folds; and
 * win/tie/loss counts against the baseline (tie: |difference| ≤ 1e-9).
 *
 * Explanations (request->explain):
 *   permutation importance  per model, fold and block of columns (all word
 *                           columns together, hour, weekday, each content
 *                           feature …): the test rows' values of the block
 *                           are permuted (seeded) and the drop in macro-F1
 *                           is the importance; mean ± sd over folds.
 *   SHAP                    tree models: mean |contribution| over test rows
 *                           and classes per feature (XGBoost pred_contribs),
 *                           averaged over folds; the 20 largest are kept.
 *   per-clip reasons        every test clip's 3 strongest reasons toward its
 *                           predicted class (cs-predict-reasons.h), from the
 *                           model fitted without it.
 *
 * Per-clip predictions: every clip that was in a test fold keeps its fold,
 * true class, out-of-fold predicted class and class probabilities per model
 * (and its reasons when explaining), so the confusion matrix cell (t, p)
 * holds exactly the clips with truth t and predicted p. Under a time split
 * only the test clips have one.
 *
 * Stored like a recommender comparison: a parent run (task 'predict',
 * protocol JSON, seed, summary JSON with the target, classes and counts),
 * one child run per model (params, fit_s and score_s summed over folds,
 * summary JSON with label, confusion matrix, tests and explanations),
 * metrics rows per fold (fold 0..k-1) and their mean (fold -1) with
 * "NAME_sd" beside it, and curves "roc:CLASS", "pr:CLASS",
 * "calibration:CLASS" per fold, and one predict_clips row per clip and
 * model (the child run's id, clip id, fold, classes, probabilities and
 * reasons as JSON).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cs-predict-dataset.h"
#include "cs-predict-metrics.h"
#include "cs-predict-reasons.h"
#include "cs-store.h"
#include "cs-types.h"

G_BEGIN_DECLS

typedef enum
{
  CS_PREDICT_PROTOCOL_KFOLD,
  CS_PREDICT_PROTOCOL_TIME_SPLIT,
} CsPredictProtocol;

typedef struct
{
  char              *target;        /* "likes:terciles", "like_rate:>=0.05" */
  guint              groups;        /* CsPredictGroups */
  char              *models;        /* "majority;nb;logreg:C=1" */
  CsPredictProtocol  protocol;
  guint              folds;         /* k-fold: k (5) */
  double             test_fraction; /* time split (0.2) */
  guint64            seed;
  gboolean           explain;       /* permutation importance and SHAP */
} CsPredictRequest;

typedef struct
{
  char   *name;
  double  mean;
  double  sd;
} CsPredictImportance;

typedef struct
{
  CsCurveKind kind;
  guint       class_index;
  guint       fold;
  guint       n_points;
  double     *x;
  double     *y;
} CsPredictCurve;

/* One clip's out-of-fold prediction by one model. */
typedef struct
{
  gint64      clip_id;
  guint       fold;         /* the test fold it came from */
  guint       truth;
  guint       predicted;
  double      proba[CS_PREDICT_MAX_CLASSES];
  double      truth_value;     /* regression: the number and its prediction, */
  double      predicted_value; /* on the original scale */
  GPtrArray  *reasons;      /* CsPredictReason*, strongest first; may be empty */
} CsPredictClip;

typedef struct
{
  char       *name;
  char       *label;
  char       *params;       /* JSON object text */
  char       *status;       /* "done" or "failed" */
  char       *error;
  gint64      run_id;
  guint       n_folds;
  double     *folds[CS_N_PREDICT_METRICS]; /* n_folds values each */
  double      mean[CS_N_PREDICT_METRICS];
  double      sd[CS_N_PREDICT_METRICS];
  guint      *confusion;    /* summed over folds, n_classes², rows = truth; NULL for a number */
  double      p_vs_best;    /* NAN for the best itself or one fold */
  double      p_vs_baseline;
  guint       wins, ties, losses;
  GPtrArray  *importance;   /* CsPredictImportance*, largest first */
  GPtrArray  *shap;         /* CsPredictImportance* (sd unused) */
  GPtrArray  *curves;       /* CsPredictCurve* */
  GPtrArray  *clips;        /* CsPredictClip*, by dataset row (loaded: by clip id) */
  /* CPU seconds the whole process spent during this model's fits, summed
   * over the folds (every thread counts, so it means the fit's own cost
   * only when nothing else runs, as in tests/bench/bench-predict; a
   * shared machine's load changes it far less than the wall time). Not
   * stored with the run: 0 once loaded. */
  double      fit_cpu_s;
} CsPredictModelResult;

typedef struct
{
  gint64      run_id;
  char       *protocol_json;
  char       *target_spec;
  gboolean    regression;   /* the target is a number: no classes */
  gboolean    log_target;   /* a count: models learn log1p */
  double      target_mean;  /* regression: the target over the clips */
  double      target_median;
  guint       n_classes;
  char       *class_names[CS_PREDICT_MAX_CLASSES];
  guint       class_counts[CS_PREDICT_MAX_CLASSES];
  double      thresholds[CS_PREDICT_MAX_CLASSES - 1];
  guint       n_clips;
  guint       n_dropped;
  guint       groups;
  guint       n_folds;
  guint      *fold_of_row;  /* n_clips; time split: 0 test, 1 train */
  guint      *n_train;      /* per fold */
  guint      *n_test;
  guint       n_features;   /* columns of the first fold */
  GPtrArray  *models;       /* CsPredictModelResult* in request order */
  char       *best;         /* model name with the best mean primary metric */
  guint64     seed;
  gboolean    explained;    /* the request's explain: clips have reasons */
} CsPredictResult;

void     cs_predict_request_clear     (CsPredictRequest     *request);
void     cs_predict_result_free       (CsPredictResult      *result);
/* Frees @model, its arrays with the free functions they were made with
 * (all of them must exist, possibly empty). */
void     cs_predict_model_result_free (CsPredictModelResult *model);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsPredictResult, cs_predict_result_free)

/* Stratified folds as above: @fold_of_row[i] in 0..k-1. Fails with
 * CS_MODEL_ERROR_NO_DATA, saying what to do, when there are fewer rows
 * than folds or a class has fewer than k rows. */
gboolean cs_predict_stratified_folds (const guint        *labels,
                                      guint               n,
                                      guint               n_classes,
                                      const char * const *class_names,
                                      guint               k,
                                      guint64             seed,
                                      guint              *fold_of_row,
                                      GError            **error);

/* Fits @clf (a regressor exactly when @ds's target is a number) on rows
 * @rows of @ds, which @x holds transformed (n_rows rows): their classes, or
 * their number on the models' scale (cs_predict_dataset_model_value). The
 * comparison's folds and "Score new clips" both fit through it. */
gboolean cs_predictor_fit     (CsClassifier           *clf,
                               const CsPredictDataset *ds,
                               const guint            *rows,
                               guint                   n_rows,
                               const CsCsr            *x,
                               GError                **error);
/* Predicts every row of @x into @out: each class's probability
 * (x->n_rows × n_classes, row-major), or for a regressor one number per row
 * on the original scale (cs_predict_dataset_target_value: expm1 clipped at
 * 0 when @log_target). */
gboolean cs_predictor_predict (CsClassifier           *clf,
                               const CsCsr            *x,
                               gboolean                log_target,
                               double                 *out,
                               GError                **error);

/* Runs on a dataset whose target is set; stores nothing. Blocking. */
CsPredictResult *cs_predictor_run_dataset (const CsPredictDataset *dataset,
                                           const CsPredictRequest *request,
                                           CsProgressFunc          progress,
                                           gpointer                progress_data,
                                           GCancellable           *cancellable,
                                           GError                **error);

/* Loads the project's clips, runs, and stores the comparison in one
 * transaction at the end (nothing is written when cancelled or failed).
 * Blocking; call from a worker thread. */
CsPredictResult *cs_predictor_run         (CsStore                *store,
                                           const CsPredictRequest *request,
                                           CsProgressFunc          progress,
                                           gpointer                progress_data,
                                           GCancellable           *cancellable,
                                           GError                **error);

/* Reads a stored comparison back (for reopening results): everything above
 * but fold_of_row (NULL), n_train and n_test (0). CS_STORE_ERROR_NOT_FOUND
 * when @run_id is not a predict comparison. */
CsPredictResult *cs_predict_result_load      (CsStore  *store,
                                              gint64    run_id,
                                              GError  **error);
/* Id of the newest predict comparison, or 0 when there is none. */
gint64           cs_predict_result_latest_id (CsStore  *store);

/* The clips of confusion matrix cell (@truth, @predicted) of @model, most
 * probable first (probability of @predicted, then clip id); the array
 * borrows them from @model. */
GPtrArray       *cs_predict_model_result_get_cell (const CsPredictModelResult *model,
                                                   guint                       truth,
                                                   guint                       predicted);
/* The model of @result named @name, or NULL. */
CsPredictModelResult *cs_predict_result_find_model (const CsPredictResult *result,
                                                    const char            *name);

/* What models are compared on: macro-F1 for classes; RMSE on the models'
 * scale for a number (rmse_log for counts). See
 * cs_predict_metric_higher_is_better for its direction. */
CsPredictMetric  cs_predict_result_get_primary_metric (const CsPredictResult *result);

/* DESIGN §7 "predict-eval" JSON document. For a number target each model's
 * "metrics" hold mae, rmse, r2, spearman (and mae_log, rmse_log, r2_log for
 * counts), fit_s, predict_s; "target" has "regression": true, "log_scale",
 * "mean" and "median" instead of classes; no "confusion"; each clip's
 * "truth" and "predicted" are numbers and it has no "proba". */
char            *cs_predict_result_to_json (const CsPredictResult *result);

G_END_DECLS
