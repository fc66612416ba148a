/* cs-ials.c
 *
 * The conjugate-gradient form never builds the f × f system per viewer:
 * A·v = G·v + Σ_{i ∈ I_u} (c_ui − 1)(y_iᵀ v) y_i with G = YᵀY + reg·I
 * computed once per half-iteration (ssyrk, then mirrored so each row is a
 * plain dot product), so a step costs O(f² + |I_u|·f).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cs-error.h"
#include "cs-ials.h"
#include "cs-recommender-private.h"
#include "cs-mf-private.h"
#include "cs-parallel.h"

struct _CsIals
{
  CsRecommender parent_instance;

  guint   factors;
  guint   iters;
  double  reg;
  double  alpha;
  guint   cg_steps;
  guint   seed;

  float  *user_factors;   /* viewers × factors */
  float  *item_factors;   /* clips × factors */
  gint32  n_items;
};

G_DEFINE_FINAL_TYPE (CsIals, cs_ials, CS_TYPE_RECOMMENDER)

enum {
  PROP_0,
  PROP_FACTORS,
  PROP_ITERS,
  PROP_REG,
  PROP_ALPHA,
  PROP_CG_STEPS,
  PROP_SEED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define ROWS_PER_CHUNK 64

typedef struct
{
  const CsCsr  *m;         /* rows being solved × fixed rows */
  float        *solve;     /* rows × f, updated in place */
  const float  *fixed;     /* fixed rows × f */
  const float  *gram;      /* f × f: fixedᵀ fixed + reg·I */
  guint         f;
  float         alpha;
  guint         steps;
  float        *scratch;   /* per worker: 3·f */
  GCancellable *cancellable;
} SolveData;

/* out = A·v for the row's system. */
static void
apply_system (const SolveData *d,
              gint32           row,
              const float     *v,
              float           *out)
{
  guint f = d->f;

  /* G·v as a sum of G's rows (G is symmetric): axpy loops vectorise. */
  memset (out, 0, sizeof (float) * f);
  for (guint i = 0; i < f; i++)
    _cs_mf_axpy (v[i], &d->gram[(gsize) i * f], out, f);
  /* Four dot products at a time (they do not depend on @out), then the
   * updates in the order of the entries. */
  gint32 a = d->m->row_ptr[row], end = d->m->row_ptr[row + 1];

  for (; a + 4 <= end; a += 4)
    {
      const float *y[4];
      float dots[4];

      for (guint i = 0; i < 4; i++)
        y[i] = &d->fixed[(gsize) d->m->col_idx[a + i] * f];
      _cs_mf_dot4 (y, v, f, dots);
      for (guint i = 0; i < 4; i++)
        _cs_mf_axpy (d->alpha * d->m->values[a + i] * dots[i], y[i], out, f);
    }
  for (; a < end; a++)
    {
      const float *y = &d->fixed[(gsize) d->m->col_idx[a] * f];

      _cs_mf_axpy (d->alpha * d->m->values[a] * _cs_mf_dot (y, v, f), y, out, f);
    }
}

static void
solve_rows (gint64   start,
            gint64   end,
            guint    worker,
            gpointer user_data)
{
  SolveData *d = user_data;
  guint f = d->f;
  float *r = &d->scratch[(gsize) worker * 3 * f];
  float *p = r + f;
  float *ap = p + f;

  if (g_cancellable_is_cancelled (d->cancellable))
    return;
  for (gint32 row = (gint32) start; row < (gint32) end; row++)
    {
      float *x = &d->solve[(gsize) row * f];
      float rs_old, rs_new;

      /* r = b − A·x with b = Σ c_ui y_i. */
      apply_system (d, row, x, ap);
      memset (r, 0, sizeof (float) * f);
      for (gint32 a = d->m->row_ptr[row]; a < d->m->row_ptr[row + 1]; a++)
        _cs_mf_axpy (1.0f + d->alpha * d->m->values[a], &d->fixed[(gsize) d->m->col_idx[a] * f], r, f);
      _cs_mf_axpy (-1.0f, ap, r, f);
      memcpy (p, r, sizeof (float) * f);
      rs_old = _cs_mf_dot (r, r, f);

      for (guint s = 0; s < d->steps && rs_old > 1e-20f; s++)
        {
          float step;

          apply_system (d, row, p, ap);
          step = rs_old / _cs_mf_dot (p, ap, f);
          _cs_mf_axpy (step, p, x, f);
          _cs_mf_axpy (-step, ap, r, f);
          rs_new = _cs_mf_dot (r, r, f);
          /* p = r + (rs_new / rs_old) p */
          for (guint i = 0; i < f; i++)
            p[i] = r[i] + (rs_new / rs_old) * p[i];
          rs_old = rs_new;
        }
    }
}

static gboolean
solve_side (CsIals       *self,
            const CsCsr  *m,
            float        *solve,
            const float  *fixed,
            gint32        n_fixed,
            float        *gram,
            float        *scratch,
            GCancellable *cancellable)
{
  SolveData d = { 0 };
  guint f = self->factors;

  /* G = fixedᵀ fixed + reg·I, upper triangle (row major). */
  cblas_ssyrk (CblasRowMajor, CblasUpper, CblasTrans, (int) f, n_fixed, 1.0f, fixed, (int) f,
               0.0f, gram, (int) f);
  for (guint i = 0; i < f; i++)
    {
      gram[(gsize) i * f + i] += (float) self->reg;
      for (guint j = 0; j < i; j++)
        gram[(gsize) i * f + j] = gram[(gsize) j * f + i];
    }

  d.m = m;
  d.solve = solve;
  d.fixed = fixed;
  d.gram = gram;
  d.f = f;
  d.alpha = (float) self->alpha;
  d.steps = self->cg_steps;
  d.scratch = scratch;
  d.cancellable = cancellable;
  return cs_parallel_for (m->n_rows, ROWS_PER_CHUNK, solve_rows, &d, cancellable);
}

static gboolean
cs_ials_fit (CsRecommender   *recommender,
             const CsCsr     *train,
             CsProgressFunc   progress,
             gpointer         progress_data,
             GCancellable    *cancellable,
             GError         **error)
{
  CsIals *self = CS_IALS (recommender);
  g_autoptr(CsCsr) by_clip = cs_csr_transpose (train);
  g_autoptr(GRand) rand = g_rand_new_with_seed (self->seed);
  guint f = self->factors;
  guint n_workers = MAX (cs_parallel_get_n_workers (train->n_rows, ROWS_PER_CHUNK),
                         cs_parallel_get_n_workers (train->n_cols, ROWS_PER_CHUNK));
  g_autofree float *users = g_new (float, (gsize) MAX (train->n_rows, 1) * f);
  g_autofree float *items = g_new (float, (gsize) MAX (train->n_cols, 1) * f);
  g_autofree float *gram = g_new (float, (gsize) f * f);
  g_autofree float *scratch = g_new (float, (gsize) n_workers * 3 * f);

  g_clear_pointer (&self->user_factors, g_free);
  g_clear_pointer (&self->item_factors, g_free);

  _cs_mf_init_normal (rand, users, (gsize) train->n_rows * f, 0.01);
  _cs_mf_init_normal (rand, items, (gsize) train->n_cols * f, 0.01);

  for (guint it = 0; it < self->iters; it++)
    {
      if (!solve_side (self, train, users, items, train->n_cols, gram, scratch, cancellable) ||
          !solve_side (self, by_clip, items, users, train->n_rows, gram, scratch, cancellable))
        return !g_cancellable_set_error_if_cancelled (cancellable, error);
      if (progress)
        progress ((double) (it + 1) / self->iters, NULL, progress_data);
    }

  if (!_cs_mf_all_finite (users, (gsize) train->n_rows * f) ||
      !_cs_mf_all_finite (items, (gsize) train->n_cols * f))
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_FAILED,
                   _("%s could not fit: the factors became NaN or infinite. Choose a larger reg "
                     "or a smaller alpha"), cs_recommender_get_display_name (recommender));
      return FALSE;
    }

  self->user_factors = g_steal_pointer (&users);
  self->item_factors = g_steal_pointer (&items);
  self->n_items = train->n_cols;
  return TRUE;
}

static void
cs_ials_score (CsRecommender *recommender,
               gint32         viewer,
               float         *scores)
{
  CsIals *self = CS_IALS (recommender);

  _cs_mf_score (self->item_factors, NULL, self->n_items, self->factors,
                &self->user_factors[(gsize) viewer * self->factors], scores);
}

/* Item after item, each against all the viewers: the clip factors (20 k
 * clips × 64 floats is 5 MB, more than a core's cache) are read once per
 * batch instead of once per viewer. Same dot products as score(). */
static void
cs_ials_score_many (CsRecommender *recommender,
                    const gint32  *viewers,
                    guint          n_viewers,
                    float         *scores)
{
  CsIals *self = CS_IALS (recommender);
  guint f = self->factors;

  gint32 j = 0;

  /* Four clips against each viewer in turn: the four rows stay in the
   * first-level cache for all the viewers. */
  for (; j + 4 <= self->n_items; j += 4)
    {
      const float *items[4] = {
        &self->item_factors[(gsize) j * f], &self->item_factors[(gsize) (j + 1) * f],
        &self->item_factors[(gsize) (j + 2) * f], &self->item_factors[(gsize) (j + 3) * f],
      };

      for (guint i = 0; i < n_viewers; i++)
        _cs_mf_dot4 (items, &self->user_factors[(gsize) viewers[i] * f], f,
                     &scores[(gsize) i * self->n_items + j]);
    }
  for (; j < self->n_items; j++)
    for (guint i = 0; i < n_viewers; i++)
      scores[(gsize) i * self->n_items + j] =
        _cs_mf_dot (&self->item_factors[(gsize) j * f], &self->user_factors[(gsize) viewers[i] * f], f);
}

static void
cs_ials_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  CsIals *self = CS_IALS (object);

  switch (prop_id)
    {
    case PROP_FACTORS:
      g_value_set_uint (value, self->factors);
      break;
    case PROP_ITERS:
      g_value_set_uint (value, self->iters);
      break;
    case PROP_REG:
      g_value_set_double (value, self->reg);
      break;
    case PROP_ALPHA:
      g_value_set_double (value, self->alpha);
      break;
    case PROP_CG_STEPS:
      g_value_set_uint (value, self->cg_steps);
      break;
    case PROP_SEED:
      g_value_set_uint (value, self->seed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cs_ials_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  CsIals *self = CS_IALS (object);

  switch (prop_id)
    {
    case PROP_FACTORS:
      self->factors = g_value_get_uint (value);
      break;
    case PROP_ITERS:
      self->iters = g_value_get_uint (value);
      break;
    case PROP_REG:
      self->reg = g_value_get_double (value);
      break;
    case PROP_ALPHA:
      self->alpha = g_value_get_double (value);
      break;
    case PROP_CG_STEPS:
      self->cg_steps = g_value_get_uint (value);
      break;
    case PROP_SEED:
      self->seed = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cs_ials_finalize (GObject *object)
{
  CsIals *self = CS_IALS (object);

  g_clear_pointer (&self->user_factors, g_free);
  g_clear_pointer (&self->item_factors, g_free);
  G_OBJECT_CLASS (cs_ials_parent_class)->finalize (object);
}

static gboolean
cs_ials_save_state (CsRecommender  *recommender,
                    CsStateWriter  *writer,
                    GError        **error)
{
  CsIals *self = CS_IALS (recommender);

  _cs_state_put_f32s (writer, self->user_factors, (gsize) cs_recommender_get_train (recommender)->n_rows * self->factors);
  _cs_state_put_f32s (writer, self->item_factors, (gsize) self->n_items * self->factors);
  return TRUE;
}

static gboolean
cs_ials_load_state (CsRecommender  *recommender,
                    const CsCsr    *train,
                    CsStateReader  *reader,
                    GError        **error)
{
  CsIals *self = CS_IALS (recommender);

  g_clear_pointer (&self->user_factors, g_free);
  g_clear_pointer (&self->item_factors, g_free);
  self->n_items = train->n_cols;
  return _cs_state_get_f32s (reader, &self->user_factors, (gsize) train->n_rows * self->factors, error) &&
         _cs_state_get_f32s (reader, &self->item_factors, (gsize) train->n_cols * self->factors, error);
}

static void
cs_ials_class_init (CsIalsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CsRecommenderClass *recommender_class = CS_RECOMMENDER_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  object_class->get_property = cs_ials_get_property;
  object_class->set_property = cs_ials_set_property;
  object_class->finalize = cs_ials_finalize;

  recommender_class->name = "ials";
  recommender_class->display_name = N_("iALS");
  recommender_class->fit = cs_ials_fit;
  recommender_class->score = cs_ials_score;
  recommender_class->save_state = cs_ials_save_state;
  recommender_class->load_state = cs_ials_load_state;
  recommender_class->score_many = cs_ials_score_many;

  properties[PROP_FACTORS] =
    g_param_spec_uint ("factors", _("Factors"), _("Length of each viewer and clip vector"),
                       1, 1024, 64, flags);
  properties[PROP_ITERS] =
    g_param_spec_uint ("iters", _("Iterations"), _("Alternating passes over viewers and clips"),
                       1, 1000, 10, flags);
  properties[PROP_REG] =
    g_param_spec_double ("reg", _("Regularisation"), _("Weight of the squared factor norms"),
                         0.0, 1e6, 0.01, flags);
  properties[PROP_ALPHA] =
    g_param_spec_double ("alpha", _("Confidence α"),
                         _("Confidence of a positive is 1 + α × its weight"),
                         0.0, 1e6, 1.0, flags);
  properties[PROP_CG_STEPS] =
    g_param_spec_uint ("cg-steps", _("CG steps"),
                       _("Conjugate-gradient steps per viewer or clip and pass"),
                       1, 100, 3, flags);
  properties[PROP_SEED] =
    g_param_spec_uint ("seed", _("Seed"), _("Seed of the random starting factors"),
                       0, G_MAXUINT32, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cs_ials_init (CsIals *self)
{
  self->factors = 64;
  self->iters = 10;
  self->reg = 0.01;
  self->alpha = 1.0;
  self->cg_steps = 3;
  self->seed = 0;
}

CsRecommender *
cs_ials_new (guint factors,
             guint iters,
             guint seed)
{
  return g_object_new (CS_TYPE_IALS, "factors", factors, "iters", iters, "seed", seed, NULL);
}
