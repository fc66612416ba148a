/* cs-popularity.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cs-popularity.h"
#include "cs-recommender-private.h"

struct _CsPopularity
{
  CsRecommender parent_instance;

  float  *counts;   /* training viewers per clip */
  gint32  n_clips;
};

G_DEFINE_FINAL_TYPE (CsPopularity, cs_popularity, CS_TYPE_RECOMMENDER)

static gboolean
cs_popularity_fit (CsRecommender   *recommender,
                   const CsCsr     *train,
                   CsProgressFunc   progress,
                   gpointer         progress_data,
                   GCancellable    *cancellable,
                   GError         **error)
{
  CsPopularity *self = CS_POPULARITY (recommender);
  gint32 nnz = cs_csr_get_nnz (train);

  g_clear_pointer (&self->counts, g_free);
  self->n_clips = train->n_cols;
  self->counts = g_new0 (float, MAX (train->n_cols, 1));
  /* Pairs are collapsed, so each entry of a column is one distinct viewer. */
  for (gint32 a = 0; a < nnz; a++)
    self->counts[train->col_idx[a]] += 1.0f;

  if (progress)
    progress (1.0, NULL, progress_data);
  return TRUE;
}

static void
cs_popularity_score (CsRecommender *recommender,
                     gint32         viewer,
                     float         *scores)
{
  CsPopularity *self = CS_POPULARITY (recommender);

  memcpy (scores, self->counts, sizeof (float) * self->n_clips);
}

static void
cs_popularity_finalize (GObject *object)
{
  CsPopularity *self = CS_POPULARITY (object);

  g_clear_pointer (&self->counts, g_free);
  G_OBJECT_CLASS (cs_popularity_parent_class)->finalize (object);
}

static gboolean
cs_popularity_save_state (CsRecommender  *recommender,
                          CsStateWriter  *writer,
                          GError        **error)
{
  CsPopularity *self = CS_POPULARITY (recommender);

  _cs_state_put_f32s (writer, self->counts, (gsize) self->n_clips);
  return TRUE;
}

static gboolean
cs_popularity_load_state (CsRecommender  *recommender,
                          const CsCsr    *train,
                          CsStateReader  *reader,
                          GError        **error)
{
  CsPopularity *self = CS_POPULARITY (recommender);

  g_clear_pointer (&self->counts, g_free);
  self->n_clips = train->n_cols;
  return _cs_state_get_f32s (reader, &self->counts, (gsize) train->n_cols, error);
}

static void
cs_popularity_class_init (CsPopularityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CsRecommenderClass *recommender_class = CS_RECOMMENDER_CLASS (klass);

  object_class->finalize = cs_popularity_finalize;

  recommender_class->name = "pop";
  recommender_class->display_name = N_("Popularity");
  recommender_class->fit = cs_popularity_fit;
  recommender_class->score = cs_popularity_score;
  recommender_class->save_state = cs_popularity_save_state;
  recommender_class->load_state = cs_popularity_load_state;
}

static void
cs_popularity_init (CsPopularity *self)
{
}

CsRecommender *
cs_popularity_new (void)
{
  return g_object_new (CS_TYPE_POPULARITY, NULL);
}
