/* cs-bpr.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cs-bpr.h"
#include "cs-recommender-private.h"
#include "cs-error.h"
#include "cs-mf-private.h"

struct _CsBpr
{
  CsRecommender parent_instance;

  guint   factors;
  guint   epochs;
  double  lr;
  double  reg;
  guint   seed;

  float  *user_factors;   /* viewers × factors */
  float  *item_factors;   /* clips × factors */
  float  *item_bias;      /* clips */
  gint32  n_items;
};

G_DEFINE_FINAL_TYPE (CsBpr, cs_bpr, CS_TYPE_RECOMMENDER)

enum {
  PROP_0,
  PROP_FACTORS,
  PROP_EPOCHS,
  PROP_LR,
  PROP_REG,
  PROP_SEED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Draws between cancellation checks: a few milliseconds of work. */
#define STEPS_PER_CHECK 20000
/* A viewer who has seen (nearly) every clip has no negative to draw. */
#define MAX_NEGATIVE_TRIES 64

static gboolean
cs_bpr_fit (CsRecommender   *recommender,
            const CsCsr     *train,
            CsProgressFunc   progress,
            gpointer         progress_data,
            GCancellable    *cancellable,
            GError         **error)
{
  CsBpr *self = CS_BPR (recommender);
  g_autoptr(GRand) rand = g_rand_new_with_seed (self->seed);
  guint f = self->factors;
  gint32 nnz = cs_csr_get_nnz (train);
  gint32 n_items = train->n_cols;
  g_autofree float *users = g_new (float, (gsize) MAX (train->n_rows, 1) * f);
  g_autofree float *items = g_new (float, (gsize) MAX (n_items, 1) * f);
  g_autofree float *bias = g_new0 (float, MAX (n_items, 1));
  g_autofree gint32 *row_of = g_new (gint32, MAX (nnz, 1));
  g_autofree float *pu = g_new (float, f);
  float lr = (float) self->lr, reg = (float) self->reg;

  g_clear_pointer (&self->user_factors, g_free);
  g_clear_pointer (&self->item_factors, g_free);
  g_clear_pointer (&self->item_bias, g_free);

  _cs_mf_init_normal (rand, users, (gsize) train->n_rows * f, 0.1);
  _cs_mf_init_normal (rand, items, (gsize) n_items * f, 0.1);
  for (gint32 u = 0; u < train->n_rows; u++)
    for (gint32 a = train->row_ptr[u]; a < train->row_ptr[u + 1]; a++)
      row_of[a] = u;

  for (guint epoch = 0; epoch < self->epochs && nnz > 0; epoch++)
    {
      for (gint32 step = 0; step < nnz; step++)
        {
          gint32 a = g_rand_int_range (rand, 0, nnz);
          gint32 u = row_of[a], i = train->col_idx[a], j = -1;
          float *p, *qi, *qj;
          double x = 0;
          float g;

          if (step % STEPS_PER_CHECK == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;

          for (guint t = 0; t < MAX_NEGATIVE_TRIES; t++)
            {
              gint32 c = g_rand_int_range (rand, 0, n_items);

              if (!cs_csr_contains (train, u, c))
                {
                  j = c;
                  break;
                }
            }
          if (j < 0)
            continue;

          p = &users[(gsize) u * f];
          qi = &items[(gsize) i * f];
          qj = &items[(gsize) j * f];
          for (guint d = 0; d < f; d++)
            x += p[d] * (qi[d] - qj[d]);
          x += bias[i] - bias[j];
          g = (float) (1.0 / (1.0 + exp (x)));

          memcpy (pu, p, sizeof (float) * f);
          for (guint d = 0; d < f; d++)
            {
              float di = qi[d], dj = qj[d];

              p[d] += lr * (g * (di - dj) - reg * p[d]);
              qi[d] += lr * (g * pu[d] - reg * di);
              qj[d] += lr * (-g * pu[d] - reg * dj);
            }
          bias[i] += lr * (g - reg * bias[i]);
          bias[j] += lr * (-g - reg * bias[j]);
        }
      if (progress)
        progress ((double) (epoch + 1) / self->epochs, NULL, progress_data);
    }

  if (!_cs_mf_all_finite (users, (gsize) train->n_rows * f) ||
      !_cs_mf_all_finite (items, (gsize) n_items * f) ||
      !_cs_mf_all_finite (bias, n_items))
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_FAILED,
                   _("%s could not fit: the factors became NaN or infinite. Choose a smaller "
                     "learning rate lr"), cs_recommender_get_display_name (recommender));
      return FALSE;
    }

  self->user_factors = g_steal_pointer (&users);
  self->item_factors = g_steal_pointer (&items);
  self->item_bias = g_steal_pointer (&bias);
  self->n_items = n_items;
  return TRUE;
}

static void
cs_bpr_score (CsRecommender *recommender,
              gint32         viewer,
              float         *scores)
{
  CsBpr *self = CS_BPR (recommender);

  _cs_mf_score (self->item_factors, self->item_bias, self->n_items, self->factors,
                &self->user_factors[(gsize) viewer * self->factors], scores);
}

static void
cs_bpr_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  CsBpr *self = CS_BPR (object);

  switch (prop_id)
    {
    case PROP_FACTORS:
      g_value_set_uint (value, self->factors);
      break;
    case PROP_EPOCHS:
      g_value_set_uint (value, self->epochs);
      break;
    case PROP_LR:
      g_value_set_double (value, self->lr);
      break;
    case PROP_REG:
      g_value_set_double (value, self->reg);
      break;
    case PROP_SEED:
      g_value_set_uint (value, self->seed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cs_bpr_set_property (GObject      *object,
                     guint         prop_id,
                     const GValue *value,
                     GParamSpec   *pspec)
{
  CsBpr *self = CS_BPR (object);

  switch (prop_id)
    {
    case PROP_FACTORS:
      self->factors = g_value_get_uint (value);
      break;
    case PROP_EPOCHS:
      self->epochs = g_value_get_uint (value);
      break;
    case PROP_LR:
      self->lr = g_value_get_double (value);
      break;
    case PROP_REG:
      self->reg = g_value_get_double (value);
      break;
    case PROP_SEED:
      self->seed = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cs_bpr_finalize (GObject *object)
{
  CsBpr *self = CS_BPR (object);

  g_clear_pointer (&self->user_factors, g_free);
  g_clear_pointer (&self->item_factors, g_free);
  g_clear_pointer (&self->item_bias, g_free);
  G_OBJECT_CLASS (cs_bpr_parent_class)->finalize (object);
}

static gboolean
cs_bpr_save_state (CsRecommender  *recommender,
                   CsStateWriter  *writer,
                   GError        **error)
{
  CsBpr *self = CS_BPR (recommender);

  _cs_state_put_f32s (writer, self->user_factors, (gsize) cs_recommender_get_train (recommender)->n_rows * self->factors);
  _cs_state_put_f32s (writer, self->item_factors, (gsize) self->n_items * self->factors);
  _cs_state_put_f32s (writer, self->item_bias, (gsize) self->n_items);
  return TRUE;
}

static gboolean
cs_bpr_load_state (CsRecommender  *recommender,
                   const CsCsr    *train,
                   CsStateReader  *reader,
                   GError        **error)
{
  CsBpr *self = CS_BPR (recommender);

  g_clear_pointer (&self->user_factors, g_free);
  g_clear_pointer (&self->item_factors, g_free);
  g_clear_pointer (&self->item_bias, g_free);
  self->n_items = train->n_cols;
  return _cs_state_get_f32s (reader, &self->user_factors, (gsize) train->n_rows * self->factors, error) &&
         _cs_state_get_f32s (reader, &self->item_factors, (gsize) train->n_cols * self->factors, error) &&
         _cs_state_get_f32s (reader, &self->item_bias, (gsize) train->n_cols, error);
}

static void
cs_bpr_class_init (CsBprClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CsRecommenderClass *recommender_class = CS_RECOMMENDER_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  object_class->get_property = cs_bpr_get_property;
  object_class->set_property = cs_bpr_set_property;
  object_class->finalize = cs_bpr_finalize;

  recommender_class->name = "bpr";
  recommender_class->display_name = N_("BPR-MF");
  recommender_class->fit = cs_bpr_fit;
  recommender_class->score = cs_bpr_score;
  recommender_class->save_state = cs_bpr_save_state;
  recommender_class->load_state = cs_bpr_load_state;

  properties[PROP_FACTORS] =
    g_param_spec_uint ("factors", _("Factors"), _("Length of each viewer and clip vector"),
                       1, 1024, 64, flags);
  properties[PROP_EPOCHS] =
    g_param_spec_uint ("epochs", _("Epochs"),
                       _("Passes, each drawing as many triples as there are training pairs"),
                       1, 10000, 30, flags);
  properties[PROP_LR] =
    g_param_spec_double ("lr", _("Learning rate"), _("Step size of stochastic gradient ascent"),
                         1e-6, 10.0, 0.05, flags);
  properties[PROP_REG] =
    g_param_spec_double ("reg", _("Regularisation"), _("Weight of the squared factor norms"),
                         0.0, 100.0, 0.01, flags);
  properties[PROP_SEED] =
    g_param_spec_uint ("seed", _("Seed"), _("Seed of the starting factors and the sampling"),
                       0, G_MAXUINT32, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cs_bpr_init (CsBpr *self)
{
  self->factors = 64;
  self->epochs = 30;
  self->lr = 0.05;
  self->reg = 0.01;
  self->seed = 0;
}

CsRecommender *
cs_bpr_new (guint factors,
            guint epochs,
            guint seed)
{
  return g_object_new (CS_TYPE_BPR, "factors", factors, "epochs", epochs, "seed", seed, NULL);
}
