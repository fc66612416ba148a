/* cs-user-knn.c
 *
 * The neighbour graph is the same sparse co-occurrence computation as
 * ItemKNN's, run on the viewer rows (cs-knn-private.h), so fitting costs
 * Σ_j |U_j|² rather than viewers².
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cs-knn-private.h"
#include "cs-user-knn.h"
#include "cs-recommender-private.h"

struct _CsUserKnn
{
  CsRecommender parent_instance;

  guint  k;
  CsCsr *neighbours;   /* viewers × viewers, row u = N_k(u) with similarities */
};

G_DEFINE_FINAL_TYPE (CsUserKnn, cs_user_knn, CS_TYPE_RECOMMENDER)

enum {
  PROP_0,
  PROP_K,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
cs_user_knn_fit (CsRecommender   *recommender,
                 const CsCsr     *train,
                 CsProgressFunc   progress,
                 gpointer         progress_data,
                 GCancellable    *cancellable,
                 GError         **error)
{
  CsUserKnn *self = CS_USER_KNN (recommender);
  g_autoptr(CsCsr) by_clip = NULL;

  g_clear_pointer (&self->neighbours, cs_csr_free);

  by_clip = cs_csr_transpose (train);
  self->neighbours = _cs_cosine_knn (train, by_clip, self->k,
                                     cs_recommender_get_display_name (recommender),
                                     progress, progress_data, cancellable, error);
  return self->neighbours != NULL;
}

static void
cs_user_knn_score (CsRecommender *recommender,
                   gint32         viewer,
                   float         *scores)
{
  CsUserKnn *self = CS_USER_KNN (recommender);
  const CsCsr *train = cs_recommender_get_train (recommender);
  const CsCsr *nb = self->neighbours;

  memset (scores, 0, sizeof (float) * train->n_cols);
  for (gint32 a = nb->row_ptr[viewer]; a < nb->row_ptr[viewer + 1]; a++)
    {
      gint32 v = nb->col_idx[a];
      float s = nb->values[a];

      for (gint32 b = train->row_ptr[v]; b < train->row_ptr[v + 1]; b++)
        scores[train->col_idx[b]] += s;
    }
}

static void
cs_user_knn_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CsUserKnn *self = CS_USER_KNN (object);

  switch (prop_id)
    {
    case PROP_K:
      g_value_set_uint (value, self->k);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cs_user_knn_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CsUserKnn *self = CS_USER_KNN (object);

  switch (prop_id)
    {
    case PROP_K:
      if (self->k != g_value_get_uint (value))
        {
          self->k = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cs_user_knn_finalize (GObject *object)
{
  CsUserKnn *self = CS_USER_KNN (object);

  g_clear_pointer (&self->neighbours, cs_csr_free);
  G_OBJECT_CLASS (cs_user_knn_parent_class)->finalize (object);
}

static gboolean
cs_user_knn_save_state (CsRecommender  *recommender,
                        CsStateWriter  *writer,
                        GError        **error)
{
  CsUserKnn *self = CS_USER_KNN (recommender);

  _cs_state_put_csr (writer, self->neighbours, TRUE);
  return TRUE;
}

static gboolean
cs_user_knn_load_state (CsRecommender  *recommender,
                        const CsCsr    *train,
                        CsStateReader  *reader,
                        GError        **error)
{
  CsUserKnn *self = CS_USER_KNN (recommender);

  g_clear_pointer (&self->neighbours, cs_csr_free);
  self->neighbours = _cs_state_get_csr (reader, error);
  if (self->neighbours == NULL)
    return FALSE;
  return _cs_state_check (reader, self->neighbours->n_rows == train->n_rows &&
                                  self->neighbours->n_cols == train->n_rows, error);
}

static void
cs_user_knn_class_init (CsUserKnnClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CsRecommenderClass *recommender_class = CS_RECOMMENDER_CLASS (klass);

  object_class->get_property = cs_user_knn_get_property;
  object_class->set_property = cs_user_knn_set_property;
  object_class->finalize = cs_user_knn_finalize;

  recommender_class->name = "userknn";
  recommender_class->display_name = N_("UserKNN");
  recommender_class->fit = cs_user_knn_fit;
  recommender_class->score = cs_user_knn_score;
  recommender_class->save_state = cs_user_knn_save_state;
  recommender_class->load_state = cs_user_knn_load_state;

  properties[PROP_K] =
    g_param_spec_uint ("k",
                       _("Neighbours"),
                       _("How many most similar viewers each viewer listens to"),
                       1, 1000000, CS_USER_KNN_DEFAULT_K,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cs_user_knn_init (CsUserKnn *self)
{
  self->k = CS_USER_KNN_DEFAULT_K;
}

CsRecommender *
cs_user_knn_new (guint k)
{
  return g_object_new (CS_TYPE_USER_KNN, "k", k, NULL);
}

const CsCsr *
cs_user_knn_get_neighbours (CsUserKnn *self)
{
  g_return_val_if_fail (CS_IS_USER_KNN (self), NULL);
  return self->neighbours;
}
