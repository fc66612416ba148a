/* cs-ease.c
 *
 * One n × n double buffer does all the work: it receives XᵀX + λI, is
 * factorised and inverted in place by LAPACK (only the upper triangle is
 * valid afterwards, so it is mirrored), and is then turned into B in place,
 * column by column. dpotrf + dpotri cost about n³ flops against 2n³ for
 * an LU inverse, and half the memory traffic.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

#include "cs-ease.h"
#include "cs-recommender-private.h"
#include "cs-error.h"
#include "cs-memory.h"
#include "cs-parallel.h"

struct _CsEase
{
  CsRecommender parent_instance;

  double  lambda;
  double *weights;   /* B, n_clips × n_clips, row major */
  gint32  n_clips;
};

G_DEFINE_FINAL_TYPE (CsEase, cs_ease, CS_TYPE_RECOMMENDER)

enum {
  PROP_0,
  PROP_LAMBDA,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define ROWS_PER_CHUNK 32

guint64
cs_ease_memory_needed (gint32 n_clips)
{
  return (guint64) MAX (n_clips, 0) * (guint64) MAX (n_clips, 0) * sizeof (double);
}


typedef struct
{
  const CsCsr *train;     /* viewers × clips */
  const CsCsr *by_clip;   /* clips × viewers */
  double      *gram;      /* n × n */
  double       lambda;
  GCancellable *cancellable;
} GramData;

/* Row i of XᵀX + λI: walk i's viewers and count their clips. Each row is
 * written by one worker only and the counts are exact, so the result does
 * not depend on the number of threads. */
static void
gram_rows (gint64   start,
           gint64   end,
           guint    worker,
           gpointer user_data)
{
  GramData *data = user_data;
  gint32 n = data->train->n_cols;

  for (gint32 i = (gint32) start; i < (gint32) end; i++)
    {
      double *row = &data->gram[(gsize) i * n];

      if (g_cancellable_is_cancelled (data->cancellable))
        return;
      for (gint32 a = data->by_clip->row_ptr[i]; a < data->by_clip->row_ptr[i + 1]; a++)
        {
          gint32 u = data->by_clip->col_idx[a];

          for (gint32 b = data->train->row_ptr[u]; b < data->train->row_ptr[u + 1]; b++)
            row[data->train->col_idx[b]] += 1.0;
        }
      row[i] += data->lambda;
    }
}

static gboolean
cs_ease_fit (CsRecommender   *recommender,
             const CsCsr     *train,
             CsProgressFunc   progress,
             gpointer         progress_data,
             GCancellable    *cancellable,
             GError         **error)
{
  CsEase *self = CS_EASE (recommender);
  const char *model = cs_recommender_get_display_name (recommender);
  gint32 n = train->n_cols;
  guint64 needed = cs_ease_memory_needed (n);
  guint64 available = cs_memory_get_physical () / 2;
  g_autoptr(CsCsr) by_clip = NULL;
  g_autofree double *p = NULL;
  GramData data = { 0 };
  lapack_int info;

  g_clear_pointer (&self->weights, g_free);
  self->n_clips = 0;

  if (needed > available || (gsize) needed != needed)
    {
      g_autofree char *need_text = g_format_size (needed);
      g_autofree char *have_text = g_format_size (cs_memory_get_physical ());

      /* Translators: EASE, then the clip count, the memory it needs and the
       * computer's memory, e.g. "… 120000 clips … 107.5 GB … 16.0 GB". */
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_FAILED,
                   _("%s cannot fit %d clips: it needs a %d × %d matrix of %s and this computer "
                     "has %s of memory (it may use half). Use ItemKNN or iALS for a catalogue "
                     "this large, or keep fewer clips"),
                   model, n, n, n, need_text, have_text);
      return FALSE;
    }

  p = g_try_malloc0 (MAX (needed, 1));
  if (p == NULL)
    {
      g_autofree char *need_text = g_format_size (needed);

      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_FAILED,
                   _("%s cannot fit %d clips: could not allocate %s of memory. Close other "
                     "programs, or use ItemKNN or iALS"), model, n, need_text);
      return FALSE;
    }

  by_clip = cs_csr_transpose (train);
  data.train = train;
  data.by_clip = by_clip;
  data.gram = p;
  data.lambda = self->lambda;
  data.cancellable = cancellable;
  if (!cs_parallel_for (n, ROWS_PER_CHUNK, gram_rows, &data, cancellable))
    return !g_cancellable_set_error_if_cancelled (cancellable, error);
  if (progress)
    progress (0.2, NULL, progress_data);
  if (n == 0)
    goto done;

  /* Row-major upper is column-major lower: either way LAPACK sees one
   * triangle of a symmetric matrix. */
  info = LAPACKE_dpotrf (LAPACK_ROW_MAJOR, 'U', n, p, n);
  if (info == 0)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (progress)
        progress (0.55, NULL, progress_data);
      info = LAPACKE_dpotri (LAPACK_ROW_MAJOR, 'U', n, p, n);
    }
  if (info != 0)
    {
      char lambda_text[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (lambda_text, sizeof lambda_text, "%g", self->lambda);
      if (info > 0)
        g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_FAILED,
                     _("%s could not fit: XᵀX + λI is singular with λ = %s. Choose a larger lambda"),
                     model, lambda_text);
      else
        g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_FAILED,
                     _("%s could not fit: LAPACK rejected argument %d"), model, (int) -info);
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  /* Mirror the upper triangle, then B[i, j] = −P[i, j] / P[j, j]. The
   * diagonal is read before any row overwrites it. */
  {
    g_autofree double *inv_diag = g_new (double, n);

    for (gint32 i = 0; i < n; i++)
      for (gint32 j = 0; j < i; j++)
        p[(gsize) i * n + j] = p[(gsize) j * n + i];
    for (gint32 j = 0; j < n; j++)
      {
        double d = p[(gsize) j * n + j];

        if (!isfinite (d) || d <= 0)
          {
            g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_FAILED,
                         _("%s could not fit: the inverse has a non-positive or NaN diagonal. "
                           "Choose a larger lambda"), model);
            return FALSE;
          }
        inv_diag[j] = 1.0 / d;
      }
    for (gint32 i = 0; i < n; i++)
      {
        double *row = &p[(gsize) i * n];

        for (gint32 j = 0; j < n; j++)
          row[j] = -row[j] * inv_diag[j];
        row[i] = 0.0;
      }
  }

done:
  self->weights = g_steal_pointer (&p);
  self->n_clips = n;
  if (progress)
    progress (1.0, NULL, progress_data);
  return TRUE;
}

static void
cs_ease_score (CsRecommender *recommender,
               gint32         viewer,
               float         *scores)
{
  CsEase *self = CS_EASE (recommender);
  const CsCsr *train = cs_recommender_get_train (recommender);
  gint32 n = self->n_clips;
  g_autofree double *sum = g_new0 (double, MAX (n, 1));

  for (gint32 a = train->row_ptr[viewer]; a < train->row_ptr[viewer + 1]; a++)
    {
      const double *row = &self->weights[(gsize) train->col_idx[a] * n];

      for (gint32 j = 0; j < n; j++)
        sum[j] += row[j];
    }
  for (gint32 j = 0; j < n; j++)
    scores[j] = (float) sum[j];
}

static void
cs_ease_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  CsEase *self = CS_EASE (object);

  switch (prop_id)
    {
    case PROP_LAMBDA:
      g_value_set_double (value, self->lambda);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cs_ease_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  CsEase *self = CS_EASE (object);

  switch (prop_id)
    {
    case PROP_LAMBDA:
      if (self->lambda != g_value_get_double (value))
        {
          self->lambda = g_value_get_double (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cs_ease_finalize (GObject *object)
{
  CsEase *self = CS_EASE (object);

  g_clear_pointer (&self->weights, g_free);
  G_OBJECT_CLASS (cs_ease_parent_class)->finalize (object);
}

static gboolean
cs_ease_save_state (CsRecommender  *recommender,
                    CsStateWriter  *writer,
                    GError        **error)
{
  CsEase *self = CS_EASE (recommender);

  /* Doubles, as score() sums them: floats would change the scores. */
  _cs_state_put_f64s (writer, self->weights, (gsize) self->n_clips * self->n_clips);
  return TRUE;
}

static gboolean
cs_ease_load_state (CsRecommender  *recommender,
                    const CsCsr    *train,
                    CsStateReader  *reader,
                    GError        **error)
{
  CsEase *self = CS_EASE (recommender);

  g_clear_pointer (&self->weights, g_free);
  self->n_clips = train->n_cols;
  return _cs_state_get_f64s (reader, &self->weights, (gsize) train->n_cols * train->n_cols, error);
}

static void
cs_ease_class_init (CsEaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CsRecommenderClass *recommender_class = CS_RECOMMENDER_CLASS (klass);

  object_class->get_property = cs_ease_get_property;
  object_class->set_property = cs_ease_set_property;
  object_class->finalize = cs_ease_finalize;

  recommender_class->name = "ease";
  recommender_class->display_name = N_("EASE");
  recommender_class->fit = cs_ease_fit;
  recommender_class->score = cs_ease_score;
  recommender_class->save_state = cs_ease_save_state;
  recommender_class->load_state = cs_ease_load_state;

  properties[PROP_LAMBDA] =
    g_param_spec_double ("lambda",
                         _("Regularisation λ"),
                         _("Added to the diagonal of XᵀX; larger values give smoother weights"),
                         0.0, 1e12, CS_EASE_DEFAULT_LAMBDA,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cs_ease_init (CsEase *self)
{
  self->lambda = CS_EASE_DEFAULT_LAMBDA;
}

CsRecommender *
cs_ease_new (double lambda)
{
  return g_object_new (CS_TYPE_EASE, "lambda", lambda, NULL);
}

const double *
cs_ease_get_weights (CsEase *self)
{
  g_return_val_if_fail (CS_IS_EASE (self), NULL);
  return self->weights;
}
