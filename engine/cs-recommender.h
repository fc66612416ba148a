/* cs-recommender.h: the base class of recommender models.
 *
 * A model is fitted once on a training matrix (viewers × clips, CSR) and then
 * scores every clip for a viewer. Hyperparameters are GObject properties
 * declared by the subclass (their nick, blurb, range and default describe
 * the setting in the UI); the factory fills them from a model spec such as
 * "itemknn:k=100", and cs_recommender_get_params_json() stores them.
 *
 * After fit() the model is read-only: score() may run on several threads at
 * once. The training matrix is borrowed and must outlive the scoring (a
 * model from cs_recommender_load_state() owns its copy).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cs-clip-content.h"
#include "cs-sparse.h"
#include "cs-store.h"
#include "cs-types.h"

G_BEGIN_DECLS

typedef struct _CsStateWriter CsStateWriter;
typedef struct _CsStateReader CsStateReader;

/* What a model class needs from the caller and how it ranks (flags of
 * CsRecommenderClass). */
typedef enum
{
  /* fit() needs cs_recommender_set_clip_content() first. */
  CS_RECOMMENDER_NEEDS_CLIP_CONTENT = 1 << 0,
  /* The model can score clips nobody watched in training, so
   * cs_recommender_recommend() keeps them as candidates. */
  CS_RECOMMENDER_RANKS_COLD_CLIPS   = 1 << 1,
} CsRecommenderFlags;

#define CS_TYPE_RECOMMENDER (cs_recommender_get_type ())
G_DECLARE_DERIVABLE_TYPE (CsRecommender, cs_recommender, CS, RECOMMENDER, GObject)

struct _CsRecommenderClass
{
  GObjectClass parent_class;

  /* Set in class_init. */
  const char *name;          /* "itemknn": model specs and the runs table */
  const char *display_name;  /* N_("ItemKNN"): translated when shown */

  /* Learns from @train; reports progress as a fraction 0..1 (message NULL)
   * and checks @cancellable often (at least every ~100 ms). */
  gboolean  (*fit)       (CsRecommender  *self,
                          const CsCsr    *train,
                          CsProgressFunc  progress,
                          gpointer        progress_data,
                          GCancellable   *cancellable,
                          GError        **error);
  /* Writes a score for each of the train->n_cols clips; higher is better.
   * Must be safe to call from several threads at once. */
  void      (*score)     (CsRecommender  *self,
                          gint32          viewer,
                          float          *scores);
  /* Default: "ItemKNN (k=100)" from the display name and parameters. */
  char     *(*get_label) (CsRecommender  *self);
  /* Scores for @n_viewers viewers at once into @scores (n_viewers rows of
   * train->n_cols), exactly as score() would write them; models whose
   * scoring streams a large table (factors) read it once per call rather
   * than once per viewer. Default: score() for each viewer. */
  void      (*score_many) (CsRecommender  *self,
                           const gint32   *viewers,
                           guint           n_viewers,
                           float          *scores);

  /* Trained state (see cs_recommender_save_state()): save_state writes what
   * score() reads besides the training matrix, load_state reads it back
   * into a model whose parameters are already set. Optional: a class
   * without them cannot keep its state. */
  gboolean  (*save_state) (CsRecommender  *self,
                           CsStateWriter  *writer,
                           GError        **error);
  gboolean  (*load_state) (CsRecommender  *self,
                           const CsCsr    *train,
                           CsStateReader  *reader,
                           GError        **error);

  CsRecommenderFlags flags;

  gpointer padding[4];
};

const char    *cs_recommender_get_name         (CsRecommender  *self);
/* Translated. */
const char    *cs_recommender_get_display_name (CsRecommender  *self);
char          *cs_recommender_get_label        (CsRecommender  *self);
/* The hyperparameters as a JSON object text, keys sorted: {"k":100}. */
char          *cs_recommender_get_params_json  (CsRecommender  *self);
/* Sets one hyperparameter from text ("k", "100"), checking type and range. */
gboolean       cs_recommender_set_param        (CsRecommender  *self,
                                                const char     *key,
                                                const char     *value,
                                                GError        **error);

gboolean       cs_recommender_fit              (CsRecommender  *self,
                                                const CsCsr    *train,
                                                CsProgressFunc  progress,
                                                gpointer        progress_data,
                                                GCancellable   *cancellable,
                                                GError        **error);
gboolean       cs_recommender_is_fitted        (CsRecommender  *self);
/* The training matrix given to fit(). */
const CsCsr   *cs_recommender_get_train        (CsRecommender  *self);
gint32         cs_recommender_get_n_clips      (CsRecommender  *self);
void           cs_recommender_score            (CsRecommender  *self,
                                                gint32          viewer,
                                                float          *scores);
/* Scores into @scratch (n_clips floats) and writes the top @k unseen clips
 * to @out, best first (DESIGN §4 ranking); returns how many. */
guint          cs_recommender_recommend        (CsRecommender  *self,
                                                gint32          viewer,
                                                guint           k,
                                                float          *scratch,
                                                gint32         *out);
/* The same for @n_viewers viewers at once (CS_RECOMMENDER_MAX_BATCH at
 * most): @scratch holds n_viewers × n_clips floats, viewer i's list goes to
 * @out[i · k …] and its length to @n_out[i]. Same lists as one call each. */
#define CS_RECOMMENDER_MAX_BATCH 8
void           cs_recommender_recommend_many   (CsRecommender  *self,
                                                const gint32   *viewers,
                                                guint           n_viewers,
                                                guint           k,
                                                float          *scratch,
                                                gint32         *out,
                                                guint          *n_out);

/* Side information about the clips (text, content features) by the
 * training matrix's clip index, for models with
 * CS_RECOMMENDER_NEEDS_CLIP_CONTENT; set before fit(). Other models ignore
 * it. The model keeps a reference. */
void           cs_recommender_set_clip_content (CsRecommender  *self,
                                                CsClipContent  *content);
CsClipContent *cs_recommender_get_clip_content (CsRecommender  *self);
gboolean       cs_recommender_needs_clip_content (CsRecommender *self);
/* TRUE when the model can rank clips without training pairs. */
gboolean       cs_recommender_ranks_cold_clips (CsRecommender  *self);

/* ---- Trained state ------------------------------------------------------
 *
 * A fitted model's state as one compact binary blob, so a stored comparison
 * can be inspected without training again. Layout (all integers and floats
 * little-endian; strings are a u32 byte length then UTF-8 bytes; arrays are
 * their elements back to back, lengths implied by the counts before them):
 *
 *   "CSMS"                       4 bytes magic
 *   u32 version                  CS_RECOMMENDER_STATE_VERSION
 *   string name                  "itemknn"
 *   string params                cs_recommender_get_params_json()
 *   i32 n_rows, i32 n_cols, i32 nnz, i32 row_ptr[n_rows + 1],
 *   i32 col_idx[nnz], u32 has_values, f32 values[nnz] if has_values
 *                                the training matrix (score() and the
 *                                ranking need the viewer's training clips)
 *   model payload                written by the class's save_state
 *
 * A loaded model scores exactly as the saved one (the same floats and
 * doubles, bit for bit) and owns its copy of the training matrix. */
#define CS_RECOMMENDER_STATE_FORMAT  "clipscope-model-state/1"
#define CS_RECOMMENDER_STATE_VERSION 1

/* NULL with CS_MODEL_ERROR_INVALID_PARAM when the model is not fitted or
 * its class cannot keep its state. */
G_GNUC_WARN_UNUSED_RESULT
GBytes        *cs_recommender_save_state       (CsRecommender  *self,
                                                GError        **error);
/* A fitted model from a blob of cs_recommender_save_state(); a damaged or
 * foreign blob gives CS_MODEL_ERROR_INVALID_PARAM. */
G_GNUC_WARN_UNUSED_RESULT
CsRecommender *cs_recommender_load_state       (GBytes         *state,
                                                GError        **error);
/* Stores @state for model run @run_id in the project's model_states table
 * (replacing an earlier one). Call inside or outside a transaction. */
gboolean       cs_recommender_store_state      (CsStore        *store,
                                                gint64          run_id,
                                                GBytes         *state,
                                                GError        **error);
/* The fitted model kept for model run @run_id (a child run of a
 * comparison made with CsEvalRequest.store_state), or NULL with
 * CS_STORE_ERROR_NOT_FOUND when the run kept none. */
G_GNUC_WARN_UNUSED_RESULT
CsRecommender *cs_recommender_load_from_run    (CsStore        *store,
                                                gint64          run_id,
                                                GError        **error);

/* Factory. Model names: "pop" (alias "popularity"), "itemknn", "userknn",
 * "ease", "ials" (alias "wrmf"), "bpr", "content". */
const char * const *cs_recommender_list_names  (void);
/* Makes @name (lower case) create @type, a CsRecommender subclass, in the
 * functions below; for models defined outside the engine (tests, plugins).
 * Built-in names cannot be replaced. Thread-safe. */
void           cs_recommender_register         (const char     *name,
                                                GType           type);
/* One model: "itemknn" or "itemknn:k=100,…". Unknown model →
 * CS_MODEL_ERROR_UNKNOWN_MODEL; unknown setting or bad value →
 * CS_MODEL_ERROR_INVALID_PARAM. */
G_GNUC_WARN_UNUSED_RESULT
CsRecommender *cs_recommender_new_from_spec    (const char     *spec,
                                                GError        **error);
/* Several models separated by ';': "pop;itemknn:k=100". Returns a
 * GPtrArray of CsRecommender in spec order (never empty). */
G_GNUC_WARN_UNUSED_RESULT
GPtrArray     *cs_recommender_parse_models     (const char     *spec,
                                                GError        **error);
/* From a stored run: model name and params JSON text (nullable). */
G_GNUC_WARN_UNUSED_RESULT
CsRecommender *cs_recommender_new_from_json    (const char     *name,
                                                const char     *params_json,
                                                GError        **error);

G_END_DECLS
