/* cs-metrics.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "cs-metrics.h"

static const struct
{
  const char *name;
  const char *label;
} metric_info[CS_N_METRICS] = {
  [CS_METRIC_NDCG]      = { "ndcg",      N_("NDCG") },
  [CS_METRIC_RECALL]    = { "recall",    N_("Recall") },
  [CS_METRIC_PRECISION] = { "precision", N_("Precision") },
  [CS_METRIC_HR]        = { "hr",        N_("Hit rate") },
  [CS_METRIC_MAP]       = { "map",       N_("MAP") },
  [CS_METRIC_MRR]       = { "mrr",       N_("MRR") },
  [CS_METRIC_COVERAGE]  = { "coverage",  N_("Coverage") },
  [CS_METRIC_NOVELTY]   = { "novelty",   N_("Novelty") },
};

const char *
cs_metric_get_name (CsMetric metric)
{
  g_return_val_if_fail (metric < CS_N_METRICS, NULL);
  return metric_info[metric].name;
}

const char *
cs_metric_get_label (CsMetric metric)
{
  g_return_val_if_fail (metric < CS_N_METRICS, NULL);
  return _(metric_info[metric].label);
}

CsMetric
cs_metric_from_name (const char *name)
{
  for (guint m = 0; m < CS_N_METRICS; m++)
    if (g_strcmp0 (name, metric_info[m].name) == 0)
      return (CsMetric) m;
  return CS_N_METRICS;
}

/* ---- Ranking ------------------------------------------------------------ */

typedef struct
{
  float  s;
  gint32 i;
} Scored;

/* TRUE when (sa, ia) ranks before (sb, ib). Scores are NaN-free here. */
static inline gboolean
ranks_before (float  sa,
              gint32 ia,
              float  sb,
              gint32 ib)
{
  return sa > sb || (sa == sb && ia < ib);
}

/* Min-heap on rank: the root is the worst of the kept candidates. */
static void
sift_down (Scored *heap,
           guint   n,
           guint   at)
{
  for (;;)
    {
      guint l = 2 * at + 1, r = l + 1, worst = at;

      if (l < n && ranks_before (heap[worst].s, heap[worst].i, heap[l].s, heap[l].i))
        worst = l;
      if (r < n && ranks_before (heap[worst].s, heap[worst].i, heap[r].s, heap[r].i))
        worst = r;
      if (worst == at)
        return;
      Scored tmp = heap[at];
      heap[at] = heap[worst];
      heap[worst] = tmp;
      at = worst;
    }
}

static void
sift_up (Scored *heap,
         guint   at)
{
  while (at > 0)
    {
      guint parent = (at - 1) / 2;

      if (!ranks_before (heap[parent].s, heap[parent].i, heap[at].s, heap[at].i))
        return;
      Scored tmp = heap[at];
      heap[at] = heap[parent];
      heap[parent] = tmp;
      at = parent;
    }
}

guint
cs_rank_top_k (const float  *scores,
               gint32        n_clips,
               const gint32 *seen,
               guint         n_seen,
               guint         k,
               gint32       *out)
{
  Scored stack_heap[64];
  g_autofree Scored *heap_alloc = NULL;
  Scored *heap = stack_heap;
  guint n = 0;
  guint next_seen = 0;

  g_return_val_if_fail (scores != NULL || n_clips == 0, 0);
  g_return_val_if_fail (out != NULL || k == 0, 0);

  if (k == 0)
    return 0;
  if (k > (guint) MAX (n_clips, 0))
    k = (guint) MAX (n_clips, 0);
  if (k > G_N_ELEMENTS (stack_heap))
    heap = heap_alloc = g_new (Scored, k);

  for (gint32 j = 0; j < n_clips; j++)
    {
      float s = scores[j];

      if (next_seen < n_seen && seen[next_seen] == j)
        {
          next_seen++;
          continue;
        }
      if (isnan (s))
        s = -INFINITY;

      if (n < k)
        {
          heap[n].s = s;
          heap[n].i = j;
          sift_up (heap, n);
          n++;
        }
      /* Candidates arrive in ascending index, so an equal score never beats
       * the root: only a strictly higher one does. */
      else if (s > heap[0].s)
        {
          heap[0].s = s;
          heap[0].i = j;
          sift_down (heap, n, 0);
        }
    }

  /* Pop the worst to the back: the array ends best first. */
  for (guint m = n; m > 0; m--)
    {
      out[m - 1] = heap[0].i;
      heap[0] = heap[m - 1];
      sift_down (heap, m - 1, 0);
    }
  return n;
}

guint
cs_select_top_k (float  *scores,
                 gint32 *indices,
                 guint   n,
                 guint   k)
{
  g_autofree Scored *heap = NULL;
  guint m = 0;

  g_return_val_if_fail (n == 0 || (scores != NULL && indices != NULL), 0);

  k = MIN (k, n);
  if (k == 0)
    return 0;

  heap = g_new (Scored, k);
  for (guint a = 0; a < n; a++)
    {
      float s = isnan (scores[a]) ? -INFINITY : scores[a];

      if (m < k)
        {
          heap[m].s = s;
          heap[m].i = indices[a];
          sift_up (heap, m);
          m++;
        }
      else if (ranks_before (s, indices[a], heap[0].s, heap[0].i))
        {
          heap[0].s = s;
          heap[0].i = indices[a];
          sift_down (heap, m, 0);
        }
    }
  for (guint r = m; r > 0; r--)
    {
      scores[r - 1] = heap[0].s;
      indices[r - 1] = heap[0].i;
      heap[0] = heap[r - 1];
      sift_down (heap, r - 1, 0);
    }
  return m;
}

/* ---- Per-viewer metrics ------------------------------------------------- */

static inline gboolean
in_sorted (const gint32 *set,
           guint         n,
           gint32        x)
{
  guint lo = 0, hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (set[mid] < x)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo < n && set[lo] == x;
}

void
cs_metrics_compute_viewer (const gint32 *ranked,
                           guint         n_ranked,
                           guint         k,
                           const gint32 *test,
                           guint         n_test,
                           double       *out)
{
  guint depth = MIN (n_ranked, k);
  guint hits = 0;
  guint first_hit = 0;
  double dcg = 0, idcg = 0, ap = 0;

  g_return_if_fail (k > 0);
  g_return_if_fail (n_test > 0);
  g_return_if_fail (out != NULL);

  for (guint r = 1; r <= depth; r++)
    {
      if (!in_sorted (test, n_test, ranked[r - 1]))
        continue;
      hits++;
      if (first_hit == 0)
        first_hit = r;
      dcg += 1.0 / log2 (r + 1.0);
      ap += (double) hits / r;
    }
  for (guint r = 1; r <= MIN (n_test, k); r++)
    idcg += 1.0 / log2 (r + 1.0);

  out[CS_METRIC_PRECISION] = (double) hits / k;
  out[CS_METRIC_RECALL] = (double) hits / n_test;
  out[CS_METRIC_HR] = hits > 0 ? 1.0 : 0.0;
  out[CS_METRIC_NDCG] = dcg / idcg;
  out[CS_METRIC_MAP] = ap / MIN (n_test, k);
  out[CS_METRIC_MRR] = first_hit > 0 ? 1.0 / first_hit : 0.0;
}

static double
one_metric (CsMetric      metric,
            const gint32 *ranked,
            guint         n_ranked,
            guint         k,
            const gint32 *test,
            guint         n_test)
{
  double out[CS_N_METRICS];

  cs_metrics_compute_viewer (ranked, n_ranked, k, test, n_test, out);
  return out[metric];
}

double
cs_metric_precision (const gint32 *ranked, guint n_ranked, guint k,
                     const gint32 *test, guint n_test)
{
  return one_metric (CS_METRIC_PRECISION, ranked, n_ranked, k, test, n_test);
}

double
cs_metric_recall (const gint32 *ranked, guint n_ranked, guint k,
                  const gint32 *test, guint n_test)
{
  return one_metric (CS_METRIC_RECALL, ranked, n_ranked, k, test, n_test);
}

double
cs_metric_hr (const gint32 *ranked, guint n_ranked, guint k,
              const gint32 *test, guint n_test)
{
  return one_metric (CS_METRIC_HR, ranked, n_ranked, k, test, n_test);
}

double
cs_metric_ndcg (const gint32 *ranked, guint n_ranked, guint k,
                const gint32 *test, guint n_test)
{
  return one_metric (CS_METRIC_NDCG, ranked, n_ranked, k, test, n_test);
}

double
cs_metric_map (const gint32 *ranked, guint n_ranked, guint k,
               const gint32 *test, guint n_test)
{
  return one_metric (CS_METRIC_MAP, ranked, n_ranked, k, test, n_test);
}

double
cs_metric_mrr (const gint32 *ranked, guint n_ranked, guint k,
               const gint32 *test, guint n_test)
{
  return one_metric (CS_METRIC_MRR, ranked, n_ranked, k, test, n_test);
}

double
cs_metric_novelty (const gint32 *ranked,
                   guint         n_ranked,
                   guint         k,
                   const gint32 *popularity,
                   gint32        n_train_viewers)
{
  guint depth = MIN (n_ranked, k);
  double sum = 0;

  g_return_val_if_fail (popularity != NULL || depth == 0, 0);

  if (depth == 0 || n_train_viewers <= 0)
    return 0;
  for (guint r = 0; r < depth; r++)
    sum += -log2 ((double) MAX (popularity[ranked[r]], 1) / n_train_viewers);
  return sum / depth;
}

/* ---- Accumulator -------------------------------------------------------- */

struct _CsMetricsAccumulator
{
  guint   *ks;
  guint    n_ks;
  guint    max_k;
  gint32   n_slots;
  gint32   n_clips;
  gint32  *popularity;       /* training viewers per clip */
  gint32   n_train_viewers;
  gint32   n_train_clips;
  double  *values;           /* [metric][k_index][slot] */
  gint32  *lists;            /* [slot][max_k] */
  guint   *list_len;         /* [slot] */
  guint8  *added;            /* [slot] */
};

CsMetricsAccumulator *
cs_metrics_accumulator_new (const guint *ks,
                            guint        n_ks,
                            const CsCsr *train,
                            gint32       n_slots)
{
  CsMetricsAccumulator *self;
  gsize n_values;

  g_return_val_if_fail (ks != NULL && n_ks > 0, NULL);
  g_return_val_if_fail (train != NULL, NULL);
  g_return_val_if_fail (n_slots >= 0, NULL);

  self = g_new0 (CsMetricsAccumulator, 1);
  self->ks = g_memdup2 (ks, sizeof (guint) * n_ks);
  self->n_ks = n_ks;
  for (guint i = 0; i < n_ks; i++)
    {
      g_return_val_if_fail (ks[i] > 0, NULL);
      self->max_k = MAX (self->max_k, ks[i]);
    }
  self->n_slots = n_slots;
  self->n_clips = train->n_cols;

  self->popularity = g_new0 (gint32, MAX (train->n_cols, 1));
  for (gint32 a = 0; a < cs_csr_get_nnz (train); a++)
    self->popularity[train->col_idx[a]]++;
  for (gint32 c = 0; c < train->n_cols; c++)
    if (self->popularity[c] > 0)
      self->n_train_clips++;
  self->n_train_viewers = cs_csr_count_rows_used (train);

  n_values = (gsize) CS_N_METRICS * n_ks * MAX (n_slots, 1);
  self->values = g_new (double, n_values);
  for (gsize i = 0; i < n_values; i++)
    self->values[i] = NAN;
  self->lists = g_new (gint32, (gsize) MAX (n_slots, 1) * self->max_k);
  self->list_len = g_new0 (guint, MAX (n_slots, 1));
  self->added = g_new0 (guint8, MAX (n_slots, 1));
  return self;
}

void
cs_metrics_accumulator_free (CsMetricsAccumulator *self)
{
  if (self == NULL)
    return;
  g_free (self->ks);
  g_free (self->popularity);
  g_free (self->values);
  g_free (self->lists);
  g_free (self->list_len);
  g_free (self->added);
  g_free (self);
}

guint
cs_metrics_accumulator_get_max_k (CsMetricsAccumulator *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->max_k;
}

static inline double *
value_at (CsMetricsAccumulator *self,
          CsMetric              metric,
          guint                 k_index,
          gint32                slot)
{
  return &self->values[((gsize) metric * self->n_ks + k_index) * self->n_slots + slot];
}

void
cs_metrics_accumulator_add (CsMetricsAccumulator *self,
                            gint32                slot,
                            const gint32         *ranked,
                            guint                 n_ranked,
                            const gint32         *test,
                            guint                 n_test)
{
  guint len;

  g_return_if_fail (self != NULL);
  g_return_if_fail (slot >= 0 && slot < self->n_slots);

  len = MIN (n_ranked, self->max_k);
  memcpy (&self->lists[(gsize) slot * self->max_k], ranked, sizeof (gint32) * len);
  self->list_len[slot] = len;
  self->added[slot] = 1;

  for (guint ki = 0; ki < self->n_ks; ki++)
    {
      double out[CS_N_METRICS];

      cs_metrics_compute_viewer (ranked, len, self->ks[ki], test, n_test, out);
      for (guint m = CS_METRIC_NDCG; m <= CS_METRIC_MRR; m++)
        *value_at (self, m, ki, slot) = out[m];
      *value_at (self, CS_METRIC_NOVELTY, ki, slot) =
        cs_metric_novelty (ranked, len, self->ks[ki], self->popularity, self->n_train_viewers);
    }
}

static double
coverage (CsMetricsAccumulator *self,
          guint                 k)
{
  g_autofree guint8 *hit = NULL;
  gint64 distinct = 0;

  if (self->n_train_clips == 0)
    return 0;

  hit = g_new0 (guint8, MAX (self->n_clips, 1));
  for (gint32 s = 0; s < self->n_slots; s++)
    {
      const gint32 *list = &self->lists[(gsize) s * self->max_k];

      if (!self->added[s])
        continue;
      for (guint r = 0; r < MIN (k, self->list_len[s]); r++)
        if (!hit[list[r]])
          {
            hit[list[r]] = 1;
            distinct++;
          }
    }
  return (double) distinct / self->n_train_clips;
}

void
cs_metrics_accumulator_count_all_clips (CsMetricsAccumulator *self)
{
  g_return_if_fail (self != NULL);

  self->n_train_clips = self->n_clips;
}

double
cs_metrics_accumulator_get_mean (CsMetricsAccumulator *self,
                                 CsMetric              metric,
                                 guint                 k_index)
{
  double sum = 0;
  gint64 n = 0;

  g_return_val_if_fail (self != NULL, NAN);
  g_return_val_if_fail (metric < CS_N_METRICS, NAN);
  g_return_val_if_fail (k_index < self->n_ks, NAN);

  if (metric == CS_METRIC_COVERAGE)
    return coverage (self, self->ks[k_index]);

  for (gint32 s = 0; s < self->n_slots; s++)
    if (self->added[s])
      {
        sum += *value_at (self, metric, k_index, s);
        n++;
      }
  return n > 0 ? sum / n : NAN;
}

const double *
cs_metrics_accumulator_get_values (CsMetricsAccumulator *self,
                                   CsMetric              metric,
                                   guint                 k_index,
                                   gint32               *n_slots)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (metric < CS_N_METRICS && metric != CS_METRIC_COVERAGE, NULL);
  g_return_val_if_fail (k_index < self->n_ks, NULL);

  if (n_slots)
    *n_slots = self->n_slots;
  return value_at (self, metric, k_index, 0);
}
