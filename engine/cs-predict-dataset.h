/* cs-predict-dataset.h: one row per clip with its engagement target and the
 * raw facts features are made of (Predict, DESIGN §1 and §4).
 *
 * Rows come from a project (cs_predict_dataset_load) or from arrays filled by
 * the caller (cs_predict_dataset_new + the fields below), so models, folds
 * and metrics never depend on the store.
 *
 * Targets (cs_predict_dataset_set_target), with SPEC after "METRIC:":
 *   terciles   three classes low / medium / high: with t1, t2 the 1/3 and 2/3
 *              quantiles of the metric over the rows (linear interpolation
 *              between order statistics, as numpy.quantile), a row is low when
 *              v < t1, medium when t1 ≤ v < t2, high when v ≥ t2;
 *   >=X        two classes: below X, at least X;
 *   X,Y        three classes with the user's thresholds: v < X, X ≤ v < Y, v ≥ Y;
 *   value      the number itself (regression): no classes. Counts (views,
 *              likes, comments, shares) are modelled as log1p (v), since they
 *              span orders of magnitude and a few viral clips would otherwise
 *              decide every squared error; rates and avg_watch_s as they are
 *              (cs_predict_dataset_model_value).
 * METRIC is one of views, likes, comments, shares, like_rate (likes / views),
 * comment_rate, share_rate, completion_rate (0..1) or avg_watch_s. Rows whose
 * metric is unknown (no stats, or a rate with 0 views) are dropped.
 *
 * Statistics per clip: its newest lifetime row of clip_stats (day NULL); for
 * clips without one, counts aggregated from the event log (views, likes,
 * comments and shares are event counts; avg_watch_s the mean watch time of
 * views that carry one; completion_rate the share of those views that
 * watched the whole clip).
 *
 * Posting hour and weekday are in the computer's local time zone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cs-store.h"
#include "cs-text-tokens.h"

G_BEGIN_DECLS

/* Feature groups the user switches on and off. */
typedef enum
{
  CS_PREDICT_TEXT     = 1 << 0,  /* TF-IDF of words and word pairs; length, emoji, hashtags */
  CS_PREDICT_TIME     = 1 << 1,  /* posting hour and weekday, one-hot */
  CS_PREDICT_CONTENT  = 1 << 2,  /* clip_features (brightness, colourfulness …) */
  CS_PREDICT_DURATION = 1 << 3,  /* duration and orientation */
} CsPredictGroups;

#define CS_PREDICT_MAX_CLASSES 3

typedef struct
{
  guint          n_rows;
  gint64        *clip_ids;      /* project clip ids (or row numbers) */
  CsTextTokens **tokens;        /* NULL when the clip has no text */
  gint          *hour;          /* 0..23, -1 unknown */
  gint          *weekday;       /* 0 = Monday .. 6 = Sunday, -1 unknown */
  gint64        *posted_at;     /* Unix seconds; G_MININT64 unknown */
  double        *duration_s;    /* NAN unknown */
  gint          *orientation;   /* CsOrientation, -1 unknown */
  guint          n_content;
  char         **content_names; /* n_content names, sorted */
  double        *content;       /* n_rows × n_content, NAN missing */
  double        *target;        /* the metric, NAN unknown */

  /* Set by cs_predict_dataset_set_target(). */
  char          *target_spec;   /* "likes:terciles" */
  guint         *labels;        /* class per row, 0 .. n_classes-1 */
  guint          n_classes;
  char          *class_names[CS_PREDICT_MAX_CLASSES];
  double         thresholds[CS_PREDICT_MAX_CLASSES - 1];
  guint          n_dropped;     /* rows dropped for an unknown target */
  gboolean       regression;    /* "value": labels NULL, n_classes 0 */
  gboolean       log_target;    /* regression on a count: models learn log1p */
} CsPredictDataset;

/* @n_rows rows, everything unknown; fill the arrays, then set the target. */
G_GNUC_WARN_UNUSED_RESULT
CsPredictDataset *cs_predict_dataset_new          (guint              n_rows);
void              cs_predict_dataset_free         (CsPredictDataset  *self);
/* Tokenises @text (title and caption) and @hashtags for @row. */
void              cs_predict_dataset_set_text     (CsPredictDataset  *self,
                                                   guint              row,
                                                   const char        *text,
                                                   const char        *hashtags);
/* Fills hour and weekday from posted_at (local time). */
void              cs_predict_dataset_fill_times   (CsPredictDataset  *self);
/* Sets aside @n_content named content features (NAN = missing). */
void              cs_predict_dataset_set_content_names (CsPredictDataset *self,
                                                        const char * const *names,
                                                        guint             n_content);

/* Reads every clip_features value of the project into the content columns
 * (all feature names of the project, sorted): @row_of_clip maps a clips.id
 * (gint64*) to its row + 1 (GUINT_TO_POINTER); other clips are skipped. */
gboolean          cs_predict_dataset_load_content (CsPredictDataset *self,
                                                   CsStore          *store,
                                                   GHashTable       *row_of_clip,
                                                   GError          **error);
/* Loads every clip with statistics; @metric picks the target column
 * ("likes", "like_rate" …). CS_MODEL_ERROR_INVALID_PARAM for an unknown
 * metric, CS_MODEL_ERROR_NO_DATA when no clip has statistics. */
G_GNUC_WARN_UNUSED_RESULT
CsPredictDataset *cs_predict_dataset_load         (CsStore           *store,
                                                   const char        *metric,
                                                   GError           **error);

/* Every clip whose @metric is unknown (no statistics at all, or a rate with
 * 0 views): the clips a model can score but not learn from. Their target
 * stays NAN and no labels are set. CS_MODEL_ERROR_NO_DATA when the project
 * has no clips; an empty dataset when every clip has a value. */
G_GNUC_WARN_UNUSED_RESULT
CsPredictDataset *cs_predict_dataset_load_unknown (CsStore           *store,
                                                   const char        *metric,
                                                   GError           **error);

/* @spec: "terciles", ">=X", "X,Y" or "value" (see above); @metric is
 * recorded and decides log_target. Drops rows with an unknown target. Fails
 * with CS_MODEL_ERROR_NO_DATA when every row has the same value or a class
 * ends up empty. */
gboolean          cs_predict_dataset_set_target   (CsPredictDataset  *self,
                                                   const char        *metric,
                                                   const char        *spec,
                                                   GError           **error);

/* Whether @metric is one we know. */
gboolean          cs_predict_metric_is_valid      (const char        *metric);
/* Whether @metric is a count (views, likes, comments, shares), modelled as
 * log1p when predicted as a number. */
gboolean          cs_predict_metric_is_count      (const char        *metric);

/* A regression target on the models' scale: log1p (v) when @log_target,
 * else v; and back: expm1 (z) clipped at 0 (a count is never negative), or
 * z. Back from the log scale a prediction estimates the median more than
 * the mean (exp of a mean of logs). */
double            cs_predict_dataset_model_value  (double             v,
                                                   gboolean           log_target);
double            cs_predict_dataset_target_value (double             z,
                                                   gboolean           log_target);

/* Parses "text,time,content,duration" into CsPredictGroups. */
gboolean          cs_predict_parse_groups         (const char        *spec,
                                                   guint             *groups,
                                                   GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsPredictDataset, cs_predict_dataset_free)

G_END_DECLS
