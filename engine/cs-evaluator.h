/* cs-evaluator.h: train and compare recommender models under one protocol.
 *
 * DESIGN §4 defines the protocols, models and metrics exactly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cs-metrics.h"
#include "cs-protocol.h"
#include "cs-recommender.h"
#include "cs-store.h"
#include "cs-types.h"

G_BEGIN_DECLS

typedef struct
{
  char    *protocol;   /* "temporal", "leave-last-out", "random:FRACTION:SEED", "kfold:K:SEED" */
  char    *models;     /* "pop;itemknn:k=100" */
  char    *positives;  /* NULL or "view" = any view event */
  guint   *ks;         /* cut-offs, ascending */
  guint    n_ks;
  guint64  seed;       /* also seeds the bootstrap */
  guint    baseline;   /* index in @models of the model the others are tested against */
  guint    n_bootstrap; /* resamples for the intervals; 0 = CS_BOOTSTRAP_DEFAULT_RESAMPLES */
  gboolean curve;      /* also the means at cs_eval_get_curve_ks() for a metric@K curve */
  gboolean store_state; /* keep each fitted model in the project (model_states, see
                         * cs_recommender_load_from_run()) */
  gboolean tune;       /* pick each model's settings from its grid on a validation
                        * split cut from each fold's training pairs (cs-eval-tuning.h)
                        * before fitting it on them; models without a grid run as given */
} CsEvalRequest;

typedef struct
{
  char       *name;     /* "itemknn" */
  char       *label;    /* "ItemKNN (k=100)" for tables and charts */
  char       *params;   /* JSON object text */
  gint64      run_id;   /* child run */
  double      fit_s;
  double      score_s;
  double      peak_rss_mb; /* the process's peak resident memory while this model
                            * trained and scored (MB of 10⁶ bytes; the most over folds), as
                            * cs-memory.h measures it; NAN when unknown */
  /* "ndcg@10" -> double*, and for every per-viewer metric M (all but
   * coverage) at each K, as cs-significance.h defines them:
   *   M_lo@K, M_hi@K       bootstrap interval of the mean over test viewers
   * and for every model but the baseline, against the baseline:
   *   M_t@K, M_p@K         paired t statistic and two-sided p
   *   M_p_holm@K           p after Holm's adjustment over the models compared
   *                        with the baseline (one family per metric and K)
   *   M_wilcoxon_p@K, M_wilcoxon_p_holm@K   the same for the signed-rank test
   *   M_wins@K, M_ties@K, M_losses@K        viewers better, equal, worse
   *
   * Under k-fold (CsEvalResult.n_folds = K > 1) every model is trained and
   * scored on each of the K splits, and:
   *   M@K        for a per-viewer metric, the mean over test viewers of each
   *              viewer's value, where a viewer tested in several folds
   *              counts once, with the mean of its folds' values; the
   *              intervals and paired tests above use these pooled values, so
   *              they stay over viewers. coverage@K is the mean of the folds'
   *              coverage. (At the curve's extra cut-offs too.)
   *   M@K#F      fold F's value (0 ≤ F < K), as a one-split run on that split
   *              would report it; stored as the metrics row (M, K, fold F)
   *   M_fold_mean@K, M_sd@K   mean and sample standard deviation (divisor
   *              K − 1) of the K fold values
   *   M_nb_t@K, M_nb_p@K      for every model but the baseline: Nadeau and
   *              Bengio's corrected resampled t-test of the fold values
   *              against the baseline's (cs-predict-metrics.h), with
   *              n_test/n_train the mean over folds of test pairs / training
   *              pairs; no Holm adjustment
   * These exist for every metric, coverage included, at the cut-offs asked
   * for (not at the curve's extra ones). fit_s and score_s are summed over
   * the folds. A model that fails on any fold fails as a whole, with a
   * message naming the fold. */
  GHashTable *metrics;
  char       *status;   /* "done" or "failed" */
  char       *error;    /* why it failed (translated), or NULL */
  /* With CsEvalRequest.tune, for a model with a grid: the JSON object text
   * of cs_eval_tuning_to_json() (grid, validation NDCG per point, chosen
   * point), kept in the child run's summary as "tuning"; @params and @label
   * then hold the chosen settings (under k-fold the one chosen in most
   * folds; each fold is fitted with its own choice). NULL otherwise. */
  char       *tuning;
} CsEvalModelResult;

/* One split of a k-fold run. */
typedef struct
{
  gint64 train_pairs;
  gint64 test_pairs;
  gint64 test_viewers;
  gint64 dropped_cold_clip;
} CsEvalFold;

typedef struct
{
  gint64      run_id;        /* the comparison (parent run) */
  char       *protocol_json; /* {"name":"temporal","train_fraction":0.8,...} */
  /* Under k-fold: training pairs averaged over the folds (rounded), test
   * pairs summed over the folds, and the viewers tested in at least one fold. */
  gint64      train_pairs;
  gint64      test_pairs;
  gint64      test_viewers;
  gint64      n_viewers;
  gint64      n_clips;
  GPtrArray  *models;        /* CsEvalModelResult* in request order */
  guint      *ks;            /* the cut-offs asked for, ascending: intervals and tests */
  guint       n_ks;
  guint      *curve_ks;      /* the metric@K curve's cut-offs (with @ks), ascending: means
                              * only; none when the run has no curve */
  guint       n_curve_ks;
  guint64     seed;
  gint        baseline;      /* index in @models, -1 when no test was made */
  guint       n_bootstrap;   /* resamples behind the intervals */
  guint       n_folds;       /* K under k-fold, else 1 */
  CsEvalFold *folds;         /* n_folds entries under k-fold, else NULL */
  GHashTable *significance;  /* "ndcg@10" -> CsSignificanceMatrix*: every pair of
                              * models; see cs-eval-significance.h */
} CsEvalResult;

/* The cut-offs a curve adds (1, 2, 3, 5, 10, 15, 20, 30, 40, 50): the
 * shape of metric@K up to 50 without computing all 50. */
const guint        *cs_eval_get_curve_ks (guint *n_ks);

/* The names derived from each per-viewer metric, in the order above. */
const char * const *cs_eval_get_statistic_suffixes (void);
/* The names derived from each metric under k-fold: "fold_mean", "sd",
 * "nb_t", "nb_p". */
const char * const *cs_eval_get_fold_suffixes      (void);

void          cs_eval_request_clear (CsEvalRequest *request);
void          cs_eval_result_free   (CsEvalResult  *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsEvalResult, cs_eval_result_free)

/* Looks up a metric ("ndcg@10"); NAN when absent. */
double        cs_eval_model_result_get (const CsEvalModelResult *model,
                                        const char              *metric);

/* Blocking; call from a worker thread. Models that need the clips' text and
 * features (cs_recommender_needs_clip_content()) get them from @store for
 * the interactions' clips. Stores the comparison and one child
 * run per model in the project (with request->store_state, also each
 * fitted model's state under its child run), all in one transaction at the end: a
 * cancelled or failed run leaves the project untouched and returns
 * G_IO_ERROR_CANCELLED or the error. A model that fails to fit is stored
 * with status "failed" and its message while the others still finish.
 * Progress goes 0 → 0.1 for reading and splitting, then an equal share per
 * model and fold (first half training, second half scoring; with
 * request->tune, a tuned model's share goes half to its grid, then a
 * quarter each to training and scoring); under k-fold
 * the folds run one after the other, every model on each. Memory: besides
 * the models, 8 bytes per viewer, model, metric and cut-off (curve included)
 * while the folds run. */
CsEvalResult *cs_evaluator_run        (CsStore             *store,
                                       const CsEvalRequest *request,
                                       CsProgressFunc       progress,
                                       gpointer             progress_data,
                                       GCancellable        *cancellable,
                                       GError             **error);

/* The scoring step of cs_evaluator_run() on its own, for benchmarks of
 * logs that never went through a store: ranks every test viewer of @split
 * with the fitted @model (in parallel) into @acc, made for @split's test
 * viewers. Returns FALSE only when cancelled. */
gboolean      cs_evaluator_score_split (CsRecommender        *model,
                                        const CsSplit        *split,
                                        CsMetricsAccumulator *acc,
                                        GCancellable         *cancellable);

/* Reads a stored comparison back (for reopening results). */
CsEvalResult *cs_eval_result_load     (CsStore             *store,
                                       gint64               run_id,
                                       GError             **error);
/* Id of the newest finished recommend comparison, or 0 when there is none. */
gint64        cs_eval_result_latest_id (CsStore            *store);

/* One stored comparison, as a history list shows it. */
typedef struct
{
  gint64  run_id;        /* the parent run */
  gint64  finished_at;   /* Unix seconds */
  char   *protocol_json; /* as CsEvalResult */
  char   *models;        /* the models' labels joined by ", " in run order */
  guint   n_models;
  gint64  test_viewers;
  guint   k;             /* the K the user asked for (the first one) */
} CsEvalRunInfo;

void          cs_eval_run_info_free   (CsEvalRunInfo       *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsEvalRunInfo, cs_eval_run_info_free)

/* The finished recommend comparisons of the project, newest first, as
 * CsEvalRunInfo*. Blocking (one query); fine on a worker thread. */
GPtrArray    *cs_eval_result_list     (CsStore             *store,
                                       GError             **error);
/* Deletes comparison @run_id with its model runs and their metrics (the
 * schema cascades). CS_STORE_ERROR_NOT_FOUND when there is no such
 * comparison. */
gboolean      cs_eval_result_delete   (CsStore             *store,
                                       gint64               run_id,
                                       GError             **error);

/* Parses "10,20" into ascending unique cut-offs. */
gboolean      cs_eval_parse_ks        (const char          *spec,
                                       guint              **ks,
                                       guint               *n_ks,
                                       GError             **error);

/* DESIGN §7 "evaluate" JSON document. */
char         *cs_eval_result_to_json  (const CsEvalResult  *result);

G_END_DECLS
