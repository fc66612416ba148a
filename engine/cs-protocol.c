/* cs-protocol.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cs-error.h"
#include "cs-protocol.h"

CsProtocol *
cs_protocol_parse (const char  *spec,
                   GError     **error)
{
  g_autoptr(CsProtocol) self = g_new0 (CsProtocol, 1);
  g_autofree char *lower = NULL;

  g_return_val_if_fail (spec != NULL, NULL);

  lower = g_ascii_strdown (spec, -1);
  g_strstrip (lower);
  self->train_fraction = CS_PROTOCOL_DEFAULT_TRAIN_FRACTION;

  if (strcmp (lower, "temporal") == 0)
    {
      self->kind = CS_PROTOCOL_TEMPORAL;
      return g_steal_pointer (&self);
    }
  if (g_str_has_prefix (lower, "temporal:"))
    {
      const char *text = lower + strlen ("temporal:");
      char *end = NULL;
      double f = g_ascii_strtod (text, &end);

      if (end == text || *end != '\0' || !(f > 0 && f < 1))
        {
          g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                       _("The temporal protocol’s training fraction must be between 0 and 1, as in “temporal:0.8” (got “%s”)"),
                       spec);
          return NULL;
        }
      self->kind = CS_PROTOCOL_TEMPORAL;
      self->train_fraction = f;
      return g_steal_pointer (&self);
    }
  if (strcmp (lower, "leave-last-out") == 0 || strcmp (lower, "leave_last_out") == 0)
    {
      self->kind = CS_PROTOCOL_LEAVE_LAST_OUT;
      return g_steal_pointer (&self);
    }
  if (g_str_has_prefix (lower, "random"))
    {
      g_auto(GStrv) parts = g_strsplit (lower, ":", -1);
      char *end = NULL;
      double f = 0;
      guint64 seed = 0;
      gboolean ok = g_strv_length (parts) == 3 && g_str_equal (parts[0], "random");

      if (ok)
        {
          f = g_ascii_strtod (parts[1], &end);
          ok = end != parts[1] && *end == '\0' && f > 0 && f < 1;
        }
      /* g_ascii_string_to_unsigned refuses signs, spaces and overflow. */
      if (ok)
        ok = g_ascii_string_to_unsigned (parts[2], 10, 0, G_MAXUINT64, &seed, NULL);
      if (!ok)
        {
          g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                       _("The random holdout protocol needs a test fraction between 0 and 1 and a "
                         "non-negative whole seed, as in “random:0.2:42” (got “%s”)"),
                       spec);
          return NULL;
        }
      self->kind = CS_PROTOCOL_RANDOM;
      self->test_fraction = f;
      self->seed = seed;
      return g_steal_pointer (&self);
    }

  if (g_str_has_prefix (lower, "kfold") || g_str_has_prefix (lower, "k-fold"))
    {
      g_auto(GStrv) parts = g_strsplit (lower, ":", -1);
      guint64 folds = 0, seed = 0;
      gboolean ok = g_strv_length (parts) == 3 &&
                    (g_str_equal (parts[0], "kfold") || g_str_equal (parts[0], "k-fold"));

      if (ok)
        ok = g_ascii_string_to_unsigned (parts[1], 10, CS_PROTOCOL_MIN_FOLDS, CS_PROTOCOL_MAX_FOLDS,
                                         &folds, NULL);
      if (ok)
        ok = g_ascii_string_to_unsigned (parts[2], 10, 0, G_MAXUINT64, &seed, NULL);
      if (!ok)
        {
          g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                       _("The k-fold protocol needs a number of folds from %d to %d and a "
                         "non-negative whole seed, as in “kfold:5:42” (got “%s”)"),
                       CS_PROTOCOL_MIN_FOLDS, CS_PROTOCOL_MAX_FOLDS, spec);
          return NULL;
        }
      self->kind = CS_PROTOCOL_KFOLD;
      self->n_folds = (guint) folds;
      self->seed = seed;
      return g_steal_pointer (&self);
    }

  g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
               _("Unknown protocol “%s”: use temporal, leave-last-out, random:FRACTION:SEED "
                 "or kfold:FOLDS:SEED"), spec);
  return NULL;
}

void
cs_protocol_free (CsProtocol *self)
{
  g_free (self);
}

const char *
cs_protocol_get_name (const CsProtocol *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  switch (self->kind)
    {
    case CS_PROTOCOL_TEMPORAL:
      return "temporal";
    case CS_PROTOCOL_LEAVE_LAST_OUT:
      return "leave-last-out";
    case CS_PROTOCOL_RANDOM:
      return "random";
    case CS_PROTOCOL_KFOLD:
      return "kfold";
    default:
      g_assert_not_reached ();
    }
}

char *
cs_protocol_get_label (const CsProtocol *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  switch (self->kind)
    {
    case CS_PROTOCOL_TEMPORAL:
      {
        int train = (int) lround (self->train_fraction * 100);

        /* Translators: the temporal protocol with its train/test percentages. */
        return g_strdup_printf (_("Temporal %d/%d"), train, 100 - train);
      }
    case CS_PROTOCOL_LEAVE_LAST_OUT:
      return g_strdup (_("Leave last out"));
    case CS_PROTOCOL_RANDOM:
      {
        int test = (int) lround (self->test_fraction * 100);

        /* Translators: the random holdout protocol with its train/test percentages. */
        return g_strdup_printf (_("Random holdout %d/%d"), 100 - test, test);
      }
    case CS_PROTOCOL_KFOLD:
      /* Translators: the k-fold by viewer protocol; %u is the number of folds. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "K-fold by viewer (%u fold)",
                                           "K-fold by viewer (%u folds)", self->n_folds),
                              self->n_folds);
    default:
      g_assert_not_reached ();
    }
}

/* A JSON string literal, escaped by json-glib. */
static char *
json_string (const char *text)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), text);

  return json_to_string (node, FALSE);
}

char *
cs_protocol_to_json (const CsProtocol *self,
                     const char       *positives)
{
  g_autoptr(GString) json = g_string_new ("{");
  g_autofree char *name = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  /* Written by hand rather than with JsonBuilder, which prints 0.8 as
   * 0.80000000000000004: this text is shown and stored as is. */
  name = json_string (cs_protocol_get_name (self));
  g_string_append_printf (json, "\"name\":%s", name);
  if (self->kind == CS_PROTOCOL_TEMPORAL)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append_printf (json, ",\"train_fraction\":%s",
                              g_ascii_formatd (buf, sizeof buf, "%.15g", self->train_fraction));
    }
  if (self->kind == CS_PROTOCOL_RANDOM)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append_printf (json, ",\"test_fraction\":%s,\"seed\":%" G_GUINT64_FORMAT,
                              g_ascii_formatd (buf, sizeof buf, "%.15g", self->test_fraction),
                              self->seed);
    }
  if (self->kind == CS_PROTOCOL_KFOLD)
    g_string_append_printf (json, ",\"folds\":%u,\"seed\":%" G_GUINT64_FORMAT,
                            self->n_folds, self->seed);
  if (positives != NULL)
    {
      g_autofree char *value = json_string (positives);

      g_string_append_printf (json, ",\"positives\":%s", value);
    }
  g_string_append_c (json, '}');
  return g_string_free (g_steal_pointer (&json), FALSE);
}

guint
cs_protocol_get_n_folds (const CsProtocol *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->kind == CS_PROTOCOL_KFOLD ? self->n_folds : 1;
}

gint64
cs_protocol_temporal_n_train (gint64 n,
                              double fraction)
{
  double v = floor ((double) n * fraction + 1e-6);

  return CLAMP ((gint64) v, 0, n);
}

gint64
cs_protocol_random_n_test (gint64 n,
                           double fraction)
{
  if (n < 2)
    return 0;
  return CLAMP ((gint64) llround ((double) n * fraction), 1, n - 1);
}

void
cs_split_free (CsSplit *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->train, cs_csr_free);
  g_clear_pointer (&self->test, cs_csr_free);
  g_free (self->test_viewers);
  g_free (self);
}

typedef struct
{
  gint64 t;
  gint32 v;
  gint32 c;
} TimedPair;

/* Stable LSD radix sort on time, 16 bits per pass over t − min (two passes
 * for any log shorter than 136 years). The pairs come in (viewer, clip) order,
 * so stability leaves them in (time, viewer, clip) order: §4's sort, in
 * linear time. */
static void
sort_by_time (TimedPair *pairs,
              gsize      n)
{
  g_autofree TimedPair *tmp = NULL;
  g_autofree gsize *count = NULL;
  TimedPair *src = pairs, *dst;
  gint64 min, max;
  guint64 range;

  if (n < 2)
    return;

  min = max = pairs[0].t;
  for (gsize i = 1; i < n; i++)
    {
      min = MIN (min, pairs[i].t);
      max = MAX (max, pairs[i].t);
    }
  range = (guint64) max - (guint64) min;

  tmp = g_new (TimedPair, n);
  count = g_new (gsize, 65536 + 1);
  dst = tmp;
  for (guint shift = 0; shift < 64 && (range >> shift) != 0; shift += 16)
    {
      TimedPair *swap;

      memset (count, 0, sizeof (gsize) * (65536 + 1));
      for (gsize i = 0; i < n; i++)
        count[((((guint64) src[i].t - (guint64) min) >> shift) & 0xffff) + 1]++;
      for (guint d = 0; d < 65536; d++)
        count[d + 1] += count[d];
      for (gsize i = 0; i < n; i++)
        dst[count[(((guint64) src[i].t - (guint64) min) >> shift) & 0xffff]++] = src[i];
      swap = src;
      src = dst;
      dst = swap;
    }
  if (src != pairs)
    memcpy (pairs, src, sizeof (TimedPair) * n);
}

/* Under a weighted positives rule, gives each training pair its weight.
 * Both the pairs of @ia and each row of @train are in ascending (viewer,
 * clip) order, and the training pairs are a subset, so one merge pass
 * finds them all. */
static void
attach_weights (CsCsr                *train,
                const CsInteractions *ia)
{
  gsize p = 0;

  if (ia->weight == NULL)
    return;

  for (gint32 v = 0; v < train->n_rows; v++)
    for (gint32 a = train->row_ptr[v]; a < train->row_ptr[v + 1]; a++)
      {
        gint32 c = train->col_idx[a];

        while (p < ia->n_pairs &&
               (ia->viewer[p] < v || (ia->viewer[p] == v && ia->clip[p] < c)))
          p++;
        g_assert (p < ia->n_pairs && ia->viewer[p] == v && ia->clip[p] == c);
        train->values[a] = ia->weight[p];
      }
}

static void
finish_test (CsSplit *split,
             gint32   n_viewers,
             gint32   n_clips,
             GArray  *test_v,
             GArray  *test_c)
{
  g_autoptr(GArray) viewers = g_array_new (FALSE, FALSE, sizeof (gint32));

  split->test = cs_csr_new_from_pairs (n_viewers, n_clips,
                                       (gint32 *) test_v->data, (gint32 *) test_c->data,
                                       NULL, test_v->len);
  split->test_pairs = cs_csr_get_nnz (split->test);
  for (gint32 v = 0; v < n_viewers; v++)
    if (cs_csr_row_length (split->test, v) > 0)
      g_array_append_val (viewers, v);
  split->n_test_viewers = (gint32) viewers->len;
  split->test_viewers = (gint32 *) (void *) g_array_free (g_steal_pointer (&viewers), FALSE);
}

static CsSplit *
split_temporal (const CsProtocol     *self,
                const CsInteractions *ia,
                GCancellable         *cancellable,
                GError              **error)
{
  g_autoptr(CsSplit) split = g_new0 (CsSplit, 1);
  g_autofree TimedPair *pairs = NULL;
  g_autofree gint32 *train_v = NULL;
  g_autofree gint32 *train_c = NULL;
  g_autofree gint32 *viewer_train = NULL;
  g_autofree gint32 *clip_train = NULL;
  g_autoptr(GArray) test_v = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) test_c = g_array_new (FALSE, FALSE, sizeof (gint32));
  gsize n = ia->n_pairs;
  gsize n_train;

  pairs = g_new (TimedPair, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    {
      pairs[i].t = ia->time[i];
      pairs[i].v = ia->viewer[i];
      pairs[i].c = ia->clip[i];
    }
  sort_by_time (pairs, n);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  n_train = (gsize) cs_protocol_temporal_n_train ((gint64) n, self->train_fraction);
  train_v = g_new (gint32, MAX (n_train, 1));
  train_c = g_new (gint32, MAX (n_train, 1));
  viewer_train = g_new0 (gint32, MAX (ia->n_viewers, 1));
  clip_train = g_new0 (gint32, MAX (ia->n_clips, 1));
  for (gsize i = 0; i < n_train; i++)
    {
      train_v[i] = pairs[i].v;
      train_c[i] = pairs[i].c;
      viewer_train[pairs[i].v]++;
      clip_train[pairs[i].c]++;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  split->train = cs_csr_new_from_pairs (ia->n_viewers, ia->n_clips, train_v, train_c,
                                        NULL, n_train);
  split->train_pairs = cs_csr_get_nnz (split->train);
  attach_weights (split->train, ia);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  for (gsize i = n_train; i < n; i++)
    {
      if (viewer_train[pairs[i].v] == 0)
        split->dropped_cold_viewer++;
      else if (clip_train[pairs[i].c] == 0)
        split->dropped_cold_clip++;
      else if (cs_csr_contains (split->train, pairs[i].v, pairs[i].c))
        split->dropped_seen++;
      else
        {
          g_array_append_val (test_v, pairs[i].v);
          g_array_append_val (test_c, pairs[i].c);
        }
    }

  finish_test (split, ia->n_viewers, ia->n_clips, test_v, test_c);
  return g_steal_pointer (&split);
}

static CsSplit *
split_leave_last_out (const CsProtocol     *self,
                      const CsInteractions *ia,
                      GCancellable         *cancellable,
                      GError              **error)
{
  g_autoptr(CsSplit) split = g_new0 (CsSplit, 1);
  g_autoptr(GArray) train_v = g_array_sized_new (FALSE, FALSE, sizeof (gint32), ia->n_pairs);
  g_autoptr(GArray) train_c = g_array_sized_new (FALSE, FALSE, sizeof (gint32), ia->n_pairs);
  g_autoptr(GArray) test_v = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) test_c = g_array_new (FALSE, FALSE, sizeof (gint32));
  gsize start = 0;

  /* Pairs are grouped by viewer (sorted by viewer, then clip). */
  while (start < ia->n_pairs)
    {
      gint32 v = ia->viewer[start];
      gsize end = start;
      gsize last = start;

      while (end < ia->n_pairs && ia->viewer[end] == v)
        {
          /* Latest time wins; at equal times the higher clip index is
           * "later", as it sorts last by (time, clip). */
          if (ia->time[end] > ia->time[last] ||
              (ia->time[end] == ia->time[last] && ia->clip[end] > ia->clip[last]))
            last = end;
          end++;
        }

      for (gsize i = start; i < end; i++)
        {
          if (end - start >= 2 && i == last)
            {
              g_array_append_val (test_v, ia->viewer[i]);
              g_array_append_val (test_c, ia->clip[i]);
            }
          else
            {
              g_array_append_val (train_v, ia->viewer[i]);
              g_array_append_val (train_c, ia->clip[i]);
            }
        }
      start = end;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  split->train = cs_csr_new_from_pairs (ia->n_viewers, ia->n_clips,
                                        (gint32 *) train_v->data, (gint32 *) train_c->data,
                                        NULL, train_v->len);
  split->train_pairs = cs_csr_get_nnz (split->train);
  attach_weights (split->train, ia);
  finish_test (split, ia->n_viewers, ia->n_clips, test_v, test_c);
  return g_steal_pointer (&split);
}

/* random and kfold: both shuffle each viewer's pairs the same way and hold
 * out some of the shuffled positions (the first n_test, or those ≡ @fold
 * mod K). */
static gboolean
is_held_out (const CsProtocol *self,
             gsize             i,
             gsize             n,
             guint             fold)
{
  if (n < 2)
    return FALSE;
  if (self->kind == CS_PROTOCOL_KFOLD)
    return i % self->n_folds == fold;
  return i < (gsize) cs_protocol_random_n_test ((gint64) n, self->test_fraction);
}

static CsSplit *
split_shuffled (const CsProtocol     *self,
                const CsInteractions *ia,
                guint                 fold,
                GCancellable         *cancellable,
                GError              **error)
{
  g_autoptr(CsSplit) split = g_new0 (CsSplit, 1);
  g_autoptr(GArray) train_v = g_array_sized_new (FALSE, FALSE, sizeof (gint32), ia->n_pairs);
  g_autoptr(GArray) train_c = g_array_sized_new (FALSE, FALSE, sizeof (gint32), ia->n_pairs);
  g_autoptr(GArray) held_v = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) held_c = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) test_v = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) test_c = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autofree gint32 *clips = NULL;
  g_autofree gint32 *clip_train = g_new0 (gint32, MAX (ia->n_clips, 1));
  gsize start = 0;

  clips = g_new (gint32, MAX (ia->n_pairs, 1));
  /* Pairs are grouped by viewer (sorted by viewer, then clip). */
  while (start < ia->n_pairs)
    {
      gint32 v = ia->viewer[start];
      gsize end = start;
      gsize n;

      while (end < ia->n_pairs && ia->viewer[end] == v)
        end++;
      n = end - start;
      memcpy (clips, ia->clip + start, sizeof (gint32) * n);
      if (n >= 2)
        {
          /* One generator per viewer, so a viewer's split does not depend on
           * how many pairs the viewers before it have. */
          const guint32 seed[3] = { (guint32) (self->seed & 0xffffffff),
                                    (guint32) (self->seed >> 32), (guint32) v };
          g_autoptr(GRand) rand = g_rand_new_with_seed_array (seed, G_N_ELEMENTS (seed));

          for (gsize i = n - 1; i > 0; i--)
            {
              gsize j = (gsize) g_rand_int_range (rand, 0, (gint32) i + 1);
              gint32 tmp = clips[i];

              clips[i] = clips[j];
              clips[j] = tmp;
            }
        }
      for (gsize i = 0; i < n; i++)
        {
          if (is_held_out (self, i, n, fold))
            {
              g_array_append_val (held_v, v);
              g_array_append_val (held_c, clips[i]);
            }
          else
            {
              g_array_append_val (train_v, v);
              g_array_append_val (train_c, clips[i]);
              clip_train[clips[i]]++;
            }
        }
      start = end;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  for (guint i = 0; i < held_v->len; i++)
    {
      gint32 c = g_array_index (held_c, gint32, i);

      if (clip_train[c] == 0)
        split->dropped_cold_clip++;
      else
        {
          g_array_append_val (test_v, g_array_index (held_v, gint32, i));
          g_array_append_val (test_c, c);
        }
    }

  split->train = cs_csr_new_from_pairs (ia->n_viewers, ia->n_clips,
                                        (gint32 *) train_v->data, (gint32 *) train_c->data,
                                        NULL, train_v->len);
  split->train_pairs = cs_csr_get_nnz (split->train);
  attach_weights (split->train, ia);
  finish_test (split, ia->n_viewers, ia->n_clips, test_v, test_c);
  return g_steal_pointer (&split);
}

CsSplit *
cs_protocol_split (const CsProtocol     *self,
                   const CsInteractions *interactions,
                   guint                 fold,
                   GCancellable         *cancellable,
                   GError              **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (interactions != NULL, NULL);
  g_return_val_if_fail (fold < cs_protocol_get_n_folds (self), NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  switch (self->kind)
    {
    case CS_PROTOCOL_TEMPORAL:
      return split_temporal (self, interactions, cancellable, error);
    case CS_PROTOCOL_LEAVE_LAST_OUT:
      return split_leave_last_out (self, interactions, cancellable, error);
    case CS_PROTOCOL_RANDOM:
    case CS_PROTOCOL_KFOLD:
      return split_shuffled (self, interactions, fold, cancellable, error);
    default:
      g_assert_not_reached ();
    }
}
