/* cs-eval-tuning.h: pick a model's settings from a small grid on a
 * validation split cut from the training data (CsEvalRequest.tune).
 *
 * Grids (cs_eval_tuning_get_grid()), one per model name; a grid is
 * "KEY=V1,V2,… KEY=V1,…" (dimensions separated by spaces), and its points
 * are every combination, the first dimension varying slowest:
 *   itemknn  k = 50, 100, 200
 *   userknn  k = 50, 100, 200
 *   ease     lambda = 100, 500, 2000
 *   ials     factors = 32, 64 × reg = 0.01, 0.1
 *   bpr      factors = 32, 64 × lr = 0.01, 0.05
 *   content  feature-weight = 0, 0.5, 2
 *   pop      none (nothing to tune; the model runs as it is)
 * The other settings keep the values the user gave.
 *
 * Validation split (cs_eval_tuning_split()), cut from one split's training
 * matrix only; the test pairs are never an input:
 *   CS_EVAL_TUNING_CUT_LAST (temporal, leave-last-out): for every viewer
 *     with ≥ 2 training pairs, the last training pair by (time, clip index)
 *     is validation.
 *   CS_EVAL_TUNING_CUT_RANDOM (random, kfold): for every viewer v with
 *     n ≥ 2 training pairs, the pairs in ascending clip index are shuffled
 *     by Fisher–Yates (for i = n − 1 … 1, swap i with
 *     g_rand_int_range (r, 0, i + 1)) with a GRand seeded by the array
 *     { SEED & 0xffffffff, SEED >> 32, v, 0x76616c69 }, and the first
 *     clamp (round (0.2 · n), 1, n − 1) are validation.
 * The rest of the training matrix is the tuning-train matrix. Viewers with
 * one training pair are tuning-train only; no validation pair is dropped
 * (a clip left without tuning-train pairs is a miss for every point alike).
 *
 * Choice (cs_eval_tuning_run()): every point is fitted on tuning-train and
 * ranks every validation viewer's clips unseen in tuning-train (DESIGN §4
 * ranking); its score is the mean NDCG@K over the validation viewers, K the
 * comparison's first cut-off. The best score wins; ties go to the earlier
 * point in grid order. A point that cannot fit scores NaN and is never
 * chosen. The caller then fits the chosen point on the full training
 * matrix and evaluates it on the test pairs as usual.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cs-interactions.h"
#include "cs-protocol.h"
#include "cs-recommender.h"
#include "cs-sparse.h"
#include "cs-types.h"

G_BEGIN_DECLS

typedef enum
{
  CS_EVAL_TUNING_CUT_LAST,
  CS_EVAL_TUNING_CUT_RANDOM,
} CsEvalTuningCut;

#define CS_EVAL_TUNING_VALIDATION_FRACTION 0.2

/* One model's tuning on one split. */
typedef struct
{
  guint      k;                 /* NDCG@k */
  GPtrArray *points;            /* char*: "factors=32,reg=0.01", grid order */
  double    *validation_ndcg;   /* per point; NAN when the point failed */
  guint      chosen;            /* index in @points */
  gint64     tuning_train_pairs;
  gint64     validation_pairs;
  gint64     validation_viewers;
  double     seconds;           /* the whole grid; set by the caller */
} CsEvalTuning;

/* The grid of model @name, or NULL when it has none. */
const char     *cs_eval_tuning_get_grid      (const char        *name);
/* Gives model @name (say one registered with cs_recommender_register())
 * the grid @grid, replacing any it had. Thread-safe. */
void            cs_eval_tuning_register_grid (const char        *name,
                                              const char        *grid);
/* The points of @grid in grid order, each as settings text "k=50"; NULL
 * with CS_MODEL_ERROR_INVALID_PARAM when @grid is malformed. */
GPtrArray      *cs_eval_tuning_expand_grid   (const char        *grid,
                                              GError           **error);

/* The cut a protocol gets: LAST for temporal and leave-last-out, RANDOM
 * for random and kfold. */
CsEvalTuningCut cs_eval_tuning_cut_for       (const CsProtocol  *protocol);

/* The validation split of @train (see above) as a CsSplit whose train is
 * the tuning-train matrix and whose test rows are the validation pairs.
 * @interactions gives the times (every pair of @train must be one of its
 * pairs). */
G_GNUC_WARN_UNUSED_RESULT
CsSplit        *cs_eval_tuning_split         (const CsCsr          *train,
                                              const CsInteractions *interactions,
                                              CsEvalTuningCut       cut,
                                              guint64               seed);

/* Fits every point of @grid, each on a fresh copy of @model's settings
 * (and clip content), on @validation's train and scores it at @k.
 * Progress goes 0 → 1 (first 80 % of each point's share fitting). Errors:
 * cancelled; CS_MODEL_ERROR_NO_DATA when @validation has no viewer;
 * CS_MODEL_ERROR_FAILED naming the first failure when no point could fit. */
G_GNUC_WARN_UNUSED_RESULT
CsEvalTuning   *cs_eval_tuning_run           (CsRecommender     *model,
                                              const char        *grid,
                                              const CsSplit     *validation,
                                              guint              k,
                                              CsProgressFunc     progress,
                                              gpointer           progress_data,
                                              GCancellable      *cancellable,
                                              GError           **error);
void            cs_eval_tuning_free          (CsEvalTuning      *self);

/* Sets the settings of @point ("k=50") on @model. */
gboolean        cs_eval_tuning_apply         (CsRecommender     *model,
                                              const char        *point,
                                              GError           **error);

/* The point chosen most often over @n tunings of the same grid (one per
 * fold); ties go to the earlier point in grid order. */
guint           cs_eval_tuning_mode          (CsEvalTuning * const *tunings,
                                              guint               n);

/* What a run keeps and `evaluate --json` prints as "tuning":
 *   {"metric": "ndcg@10", "validation": "last" | "random:0.2",
 *    "grid": [{"k": 50}, …], "validation_ndcg": [per point],
 *    "chosen": {"k": 100}, "tuning_train_pairs", "validation_pairs",
 *    "validation_viewers", "tuning_s"}
 * Under k-fold (@n > 1) the numbers are means over the folds
 * (validation_ndcg per point, the pair and viewer counts rounded;
 * tuning_s is the sum),
 * "chosen" is cs_eval_tuning_mode(), and "folds" lists each fold's
 * {"validation_ndcg", "chosen"}. */
char           *cs_eval_tuning_to_json       (CsEvalTuning * const *tunings,
                                              guint               n,
                                              CsEvalTuningCut     cut);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsEvalTuning, cs_eval_tuning_free)

G_END_DECLS
