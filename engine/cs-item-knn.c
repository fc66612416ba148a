/* cs-item-knn.c
 *
 * Similarities come from sparse co-occurrence counts: for clip i, walking the
 * clip lists of i's viewers counts |U_i ∩ U_j| for every j that shares a
 * viewer with i, so the cost is Σ_u |I_u|² rather than clips². Rows are
 * independent and are computed in parallel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cs-error.h"
#include "cs-item-knn.h"
#include "cs-recommender-private.h"
#include "cs-knn-private.h"
#include "cs-metrics.h"
#include "cs-parallel.h"

struct _CsItemKnn
{
  CsRecommender parent_instance;

  guint  k;
  CsCsr *sim;   /* clips × clips, row i = the k nearest neighbours of i */
};

G_DEFINE_FINAL_TYPE (CsItemKnn, cs_item_knn, CS_TYPE_RECOMMENDER)

enum {
  PROP_0,
  PROP_K,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Rows per chunk: small enough that cancellation and progress stay prompt
 * even for popular clips, large enough to keep scheduling cheap. */
#define ROWS_PER_CHUNK 16

typedef struct
{
  gint32 col;
  float  value;
} Entry;

typedef struct
{
  gint32 *acc;      /* co-occurrence counts, zero between rows */
  gint32 *touched;
  float  *cand_s;
  gint32 *cand_i;
  GArray *entries;  /* Entry, the rows this worker computed */
} Scratch;

typedef struct
{
  const CsCsr    *a_t;       /* features × entities (ItemKNN: viewers × clips) */
  const CsCsr    *a;         /* entities × features (ItemKNN: clips × viewers) */
  guint           k;
  GCancellable   *cancellable;
  Scratch        *scratch;   /* per worker */
  guint          *row_worker;
  gsize          *row_offset;
  gint32         *row_len;
  gint            rows_done; /* atomic */
  CsProgressFunc  progress;
  gpointer        progress_data;
  double          last_reported;
} FitData;

static int
compare_entries (const void *a,
                 const void *b)
{
  const Entry *x = a;
  const Entry *y = b;

  return (x->col > y->col) - (x->col < y->col);
}

static void
compute_rows (gint64   start,
              gint64   end,
              guint    worker,
              gpointer user_data)
{
  FitData *data = user_data;
  Scratch *s = &data->scratch[worker];
  const CsCsr *cols = data->a_t;
  const CsCsr *rows = data->a;

  for (gint32 i = (gint32) start; i < (gint32) end; i++)
    {
      gint32 n_i = cs_csr_row_length (rows, i);
      guint n_touched = 0, n_cand = 0, kept;
      gsize offset = s->entries->len;

      if (g_cancellable_is_cancelled (data->cancellable))
        return;

      for (gint32 a = rows->row_ptr[i]; a < rows->row_ptr[i + 1]; a++)
        {
          gint32 u = rows->col_idx[a];

          for (gint32 b = cols->row_ptr[u]; b < cols->row_ptr[u + 1]; b++)
            {
              gint32 j = cols->col_idx[b];

              if (s->acc[j]++ == 0)
                s->touched[n_touched++] = j;
            }
        }

      for (guint t = 0; t < n_touched; t++)
        {
          gint32 j = s->touched[t];
          gint32 c = s->acc[j];

          s->acc[j] = 0;
          if (j == i)
            continue;
          s->cand_s[n_cand] = (float) (c / sqrt ((double) n_i * cs_csr_row_length (rows, j)));
          s->cand_i[n_cand] = j;
          n_cand++;
        }

      kept = cs_select_top_k (s->cand_s, s->cand_i, n_cand, data->k);
      for (guint t = 0; t < kept; t++)
        {
          Entry e = { s->cand_i[t], s->cand_s[t] };

          g_array_append_val (s->entries, e);
        }
      qsort (&g_array_index (s->entries, Entry, offset), kept, sizeof (Entry), compare_entries);

      data->row_worker[i] = worker;
      data->row_offset[i] = offset;
      data->row_len[i] = (gint32) kept;
    }

  g_atomic_int_add (&data->rows_done, (gint) (end - start));
  /* Only the calling thread reports, so receivers see an orderly stream. */
  if (worker == 0 && data->progress)
    {
      double fraction = (double) g_atomic_int_get (&data->rows_done) / MAX (rows->n_rows, 1);

      if (fraction - data->last_reported >= 0.01)
        {
          data->last_reported = fraction;
          data->progress (fraction, NULL, data->progress_data);
        }
    }
}

CsCsr *
_cs_cosine_knn (const CsCsr     *a,
                const CsCsr     *a_t,
                guint            k,
                const char      *model,
                CsProgressFunc   progress,
                gpointer         progress_data,
                GCancellable    *cancellable,
                GError         **error)
{
  g_autofree guint *row_worker = NULL;
  g_autofree gsize *row_offset = NULL;
  g_autofree gint32 *row_len = NULL;
  g_autofree Scratch *scratch = NULL;
  FitData data = { 0 };
  gint32 n_rows = a->n_rows;
  guint n_workers;
  gboolean done;
  gint64 nnz = 0;
  CsCsr *sim = NULL;

  n_workers = cs_parallel_get_n_workers (n_rows, ROWS_PER_CHUNK);
  scratch = g_new0 (Scratch, n_workers);
  for (guint w = 0; w < n_workers; w++)
    {
      scratch[w].acc = g_new0 (gint32, MAX (n_rows, 1));
      scratch[w].touched = g_new (gint32, MAX (n_rows, 1));
      scratch[w].cand_s = g_new (float, MAX (n_rows, 1));
      scratch[w].cand_i = g_new (gint32, MAX (n_rows, 1));
      scratch[w].entries = g_array_new (FALSE, FALSE, sizeof (Entry));
    }
  row_worker = g_new0 (guint, MAX (n_rows, 1));
  row_offset = g_new0 (gsize, MAX (n_rows, 1));
  row_len = g_new0 (gint32, MAX (n_rows, 1));

  data.a_t = a_t;
  data.a = a;
  data.k = k;
  data.cancellable = cancellable;
  data.scratch = scratch;
  data.row_worker = row_worker;
  data.row_offset = row_offset;
  data.row_len = row_len;
  data.progress = progress;
  data.progress_data = progress_data;

  done = cs_parallel_for (n_rows, ROWS_PER_CHUNK, compute_rows, &data, cancellable);

  if (done)
    {
      for (gint32 i = 0; i < n_rows; i++)
        nnz += row_len[i];
      if (nnz > G_MAXINT32)
        {
          g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, nnz);

          done = FALSE;
          /* Translators: the first %s is a model name such as ItemKNN. */
          g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                       _("%s would keep too many neighbours (%s); lower k"), model, count);
        }
    }

  if (done)
    {
      gint32 at = 0;

      sim = cs_csr_new (n_rows, n_rows, (gint32) nnz);
      for (gint32 i = 0; i < n_rows; i++)
        {
          const Entry *row;

          sim->row_ptr[i] = at;
          if (row_len[i] == 0)
            continue;
          row = (const Entry *) (void *) scratch[row_worker[i]].entries->data + row_offset[i];
          for (gint32 t = 0; t < row_len[i]; t++)
            {
              sim->col_idx[at] = row[t].col;
              sim->values[at] = row[t].value;
              at++;
            }
        }
      sim->row_ptr[n_rows] = at;
    }

  for (guint w = 0; w < n_workers; w++)
    {
      g_free (scratch[w].acc);
      g_free (scratch[w].touched);
      g_free (scratch[w].cand_s);
      g_free (scratch[w].cand_i);
      g_array_unref (scratch[w].entries);
    }

  if (!done)
    {
      if (error == NULL || *error == NULL)
        g_cancellable_set_error_if_cancelled (cancellable, error);
      return NULL;
    }
  if (progress)
    progress (1.0, NULL, progress_data);
  return sim;
}

static gboolean
cs_item_knn_fit (CsRecommender   *recommender,
                 const CsCsr     *train,
                 CsProgressFunc   progress,
                 gpointer         progress_data,
                 GCancellable    *cancellable,
                 GError         **error)
{
  CsItemKnn *self = CS_ITEM_KNN (recommender);
  g_autoptr(CsCsr) by_clip = NULL;

  g_clear_pointer (&self->sim, cs_csr_free);

  by_clip = cs_csr_transpose (train);
  self->sim = _cs_cosine_knn (by_clip, train, self->k, cs_recommender_get_display_name (recommender),
                              progress, progress_data, cancellable, error);
  return self->sim != NULL;
}

static void
cs_item_knn_score (CsRecommender *recommender,
                   gint32         viewer,
                   float         *scores)
{
  CsItemKnn *self = CS_ITEM_KNN (recommender);
  const CsCsr *train = cs_recommender_get_train (recommender);
  const CsCsr *sim = self->sim;

  memset (scores, 0, sizeof (float) * sim->n_cols);
  for (gint32 a = train->row_ptr[viewer]; a < train->row_ptr[viewer + 1]; a++)
    {
      gint32 i = train->col_idx[a];

      for (gint32 b = sim->row_ptr[i]; b < sim->row_ptr[i + 1]; b++)
        scores[sim->col_idx[b]] += sim->values[b];
    }
}

static void
cs_item_knn_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CsItemKnn *self = CS_ITEM_KNN (object);

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
cs_item_knn_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CsItemKnn *self = CS_ITEM_KNN (object);

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
cs_item_knn_finalize (GObject *object)
{
  CsItemKnn *self = CS_ITEM_KNN (object);

  g_clear_pointer (&self->sim, cs_csr_free);
  G_OBJECT_CLASS (cs_item_knn_parent_class)->finalize (object);
}

static gboolean
cs_item_knn_save_state (CsRecommender  *recommender,
                        CsStateWriter  *writer,
                        GError        **error)
{
  CsItemKnn *self = CS_ITEM_KNN (recommender);

  _cs_state_put_csr (writer, self->sim, TRUE);
  return TRUE;
}

static gboolean
cs_item_knn_load_state (CsRecommender  *recommender,
                        const CsCsr    *train,
                        CsStateReader  *reader,
                        GError        **error)
{
  CsItemKnn *self = CS_ITEM_KNN (recommender);

  g_clear_pointer (&self->sim, cs_csr_free);
  self->sim = _cs_state_get_csr (reader, error);
  if (self->sim == NULL)
    return FALSE;
  return _cs_state_check (reader, self->sim->n_rows == train->n_cols && self->sim->n_cols == train->n_cols,
                          error);
}

static void
cs_item_knn_class_init (CsItemKnnClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CsRecommenderClass *recommender_class = CS_RECOMMENDER_CLASS (klass);

  object_class->get_property = cs_item_knn_get_property;
  object_class->set_property = cs_item_knn_set_property;
  object_class->finalize = cs_item_knn_finalize;

  recommender_class->name = "itemknn";
  recommender_class->display_name = N_("ItemKNN");
  recommender_class->fit = cs_item_knn_fit;
  recommender_class->score = cs_item_knn_score;
  recommender_class->save_state = cs_item_knn_save_state;
  recommender_class->load_state = cs_item_knn_load_state;

  properties[PROP_K] =
    g_param_spec_uint ("k",
                       _("Neighbours"),
                       _("How many most similar clips each clip keeps"),
                       1, 100000, CS_ITEM_KNN_DEFAULT_K,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cs_item_knn_init (CsItemKnn *self)
{
  self->k = CS_ITEM_KNN_DEFAULT_K;
}

CsRecommender *
cs_item_knn_new (guint k)
{
  return g_object_new (CS_TYPE_ITEM_KNN, "k", k, NULL);
}

guint
cs_item_knn_get_k (CsItemKnn *self)
{
  g_return_val_if_fail (CS_IS_ITEM_KNN (self), 0);
  return self->k;
}

const CsCsr *
cs_item_knn_get_similarity (CsItemKnn *self)
{
  g_return_val_if_fail (CS_IS_ITEM_KNN (self), NULL);
  return self->sim;
}
