/* test-protocol.c: positives, index order and the split protocols on a tiny
 * hand-made log (DESIGN §4).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cs-error.h"
#include "cs-protocol.h"

/* The log, as (viewer, clip, time):
 *
 *   "2"  c1   100    ties with the next event: viewer "2" (index 1) sorts
 *   "10" c2   100    before viewer "10" (index 3) in numeric order
 *   "1"  c1   105
 *   "2"  c10  110
 *   "2"  c1   175    duplicate of ("2", c1): collapsed, keeps time 100
 *   "10" c1   140
 *   "10" c10  150
 *   "1"  c10  160    three pairs at 160: ("1", c10) before ("1", c2) by
 *   "1"  c2   160    clip index (c10 = 1 < c2 = 2), and both before
 *   "2"  c2   160    ("2", c2) by viewer index
 *   "3"  c2   170    viewer "3" has nothing else: cold
 *   "1"  c3   180    clip c3 has nothing else: cold
 *
 * Indices: viewers (all integers → numeric) "1" 0, "2" 1, "3" 2, "10" 3;
 * clips (byte order) "c1" 0, "c10" 1, "c2" 2, "c3" 3.
 */
static const char * const log_viewers[] = {
  "2", "10", "1", "2", "2", "10", "10", "1", "1", "2", "3", "1",
};
static const char * const log_clips[] = {
  "c1", "c2", "c1", "c10", "c1", "c1", "c10", "c10", "c2", "c2", "c2", "c3",
};
static const gint64 log_times[] = {
  100, 100, 105, 110, 175, 140, 150, 160, 160, 160, 170, 180,
};

static CsInteractions *
make_log (void)
{
  return cs_interactions_new (log_viewers, log_clips, log_times, G_N_ELEMENTS (log_times));
}

static void
assert_row (const CsCsr  *m,
            gint32        row,
            const gint32 *expected,
            gint32        n)
{
  g_assert_cmpint (cs_csr_row_length (m, row), ==, n);
  for (gint32 i = 0; i < n; i++)
    {
      g_assert_cmpint (m->col_idx[m->row_ptr[row] + i], ==, expected[i]);
      g_assert_cmpfloat (m->values[m->row_ptr[row] + i], ==, 1.0f);
    }
}

static void
test_interactions (void)
{
  g_autoptr(CsInteractions) ia = make_log ();
  const char * const viewers[] = { "1", "2", "3", "10" };
  const char * const clips[] = { "c1", "c10", "c2", "c3" };
  /* 12 events, one duplicate: 11 pairs, sorted by (viewer, clip). */
  const gint32 pv[] = { 0, 0, 0, 0, 1, 1, 1, 2, 3, 3, 3 };
  const gint32 pc[] = { 0, 1, 2, 3, 0, 1, 2, 2, 0, 1, 2 };
  const gint64 pt[] = { 105, 160, 160, 180, 100, 110, 160, 170, 140, 150, 100 };

  g_assert_cmpint (ia->n_viewers, ==, 4);
  g_assert_cmpint (ia->n_clips, ==, 4);
  g_assert_true (ia->viewers_numeric);
  g_assert_false (ia->clips_numeric);
  for (guint i = 0; i < 4; i++)
    {
      g_assert_cmpstr (ia->viewer_ids[i], ==, viewers[i]);
      g_assert_cmpstr (ia->clip_ids[i], ==, clips[i]);
    }
  g_assert_null (ia->viewer_ids[4]);

  g_assert_cmpuint (ia->n_pairs, ==, 11);
  for (guint i = 0; i < 11; i++)
    {
      g_assert_cmpint (ia->viewer[i], ==, pv[i]);
      g_assert_cmpint (ia->clip[i], ==, pc[i]);
      g_assert_cmpint (ia->time[i], ==, pt[i]);
    }

  g_assert_cmpint (cs_interactions_find_viewer (ia, "10"), ==, 3);
  g_assert_cmpint (cs_interactions_find_viewer (ia, "010"), ==, -1);
  g_assert_cmpint (cs_interactions_find_viewer (ia, "x"), ==, -1);
  g_assert_cmpint (cs_interactions_find_clip (ia, "c2"), ==, 2);
  g_assert_cmpint (cs_interactions_find_clip (ia, "c4"), ==, -1);
}

static void
check_order (const char * const *ids,
             guint               n,
             const char * const *expected,
             gboolean            numeric)
{
  g_autofree const char **clips = g_new (const char *, n);
  g_autofree gint64 *times = g_new0 (gint64, n);
  g_autoptr(CsInteractions) ia = NULL;

  for (guint i = 0; i < n; i++)
    clips[i] = "c";
  ia = cs_interactions_new (ids, clips, times, n);
  g_assert_cmpint (ia->n_viewers, ==, n);
  g_assert_cmpint (ia->viewers_numeric, ==, numeric);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpstr (ia->viewer_ids[i], ==, expected[i]);
      g_assert_cmpint (cs_interactions_find_viewer (ia, expected[i]), ==, i);
    }
}

static void
test_index_order (void)
{
  /* All integers: numeric order; "007" and "7" are both 7, byte order
   * breaks the tie ("0" < "7"). */
  const char * const numeric[] = { "10", "9", "-1", "7", "007", "123456789012" };
  const char * const numeric_sorted[] = { "-1", "007", "7", "9", "10", "123456789012" };
  /* One id is not an integer: byte order for all. */
  const char * const mixed[] = { "2", "10", "x", "B", "b" };
  const char * const mixed_sorted[] = { "10", "2", "B", "b", "x" };
  /* Too large for 64 bits: not an integer either. */
  const char * const huge[] = { "2", "99999999999999999999" };
  const char * const huge_sorted[] = { "2", "99999999999999999999" };
  /* A sign without digits or a '+' is not an integer. */
  const char * const signs[] = { "3", "+2", "-" };
  const char * const signs_sorted[] = { "+2", "-", "3" };

  check_order (numeric, G_N_ELEMENTS (numeric), numeric_sorted, TRUE);
  check_order (mixed, G_N_ELEMENTS (mixed), mixed_sorted, FALSE);
  check_order (huge, G_N_ELEMENTS (huge), huge_sorted, FALSE);
  check_order (signs, G_N_ELEMENTS (signs), signs_sorted, FALSE);
}

static void
test_temporal (void)
{
  g_autoptr(CsInteractions) ia = make_log ();
  g_autoptr(CsProtocol) protocol = NULL;
  g_autoptr(CsSplit) split = NULL;
  g_autoptr(GError) error = NULL;
  const gint32 train0[] = { 0, 1, 2 };   /* "1": c1, c10, c2 */
  const gint32 train1[] = { 0, 1 };      /* "2": c1, c10 */
  const gint32 train3[] = { 0, 1, 2 };   /* "10": c1, c10, c2 */
  const gint32 test1[] = { 2 };          /* "2": c2 */

  /* Sorted by (time, viewer, clip), the 11 pairs are
   *   1 (v1,c0)@100  2 (v3,c2)@100  3 (v0,c0)@105  4 (v1,c1)@110
   *   5 (v3,c0)@140  6 (v3,c1)@150  7 (v0,c1)@160  8 (v0,c2)@160
   *   9 (v1,c2)@160 10 (v2,c2)@170 11 (v0,c3)@180
   * n_train = ⌊0.8 · 11⌋ = ⌊8.8⌋ = 8: pairs 1–8 train. Of the test pairs,
   * 9 is kept, 10 is dropped (viewer "3" has no training pair) and 11 is
   * dropped (clip c3 has no training pair). Had the duplicate ("2", c1)
   * kept its later time 175, it would sort 10th and be tested. */
  protocol = cs_protocol_parse ("temporal", &error);
  g_assert_no_error (error);
  split = cs_protocol_split (protocol, ia, 0, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (split->train->n_rows, ==, 4);
  g_assert_cmpint (split->train->n_cols, ==, 4);
  g_assert_cmpint (split->train_pairs, ==, 8);
  assert_row (split->train, 0, train0, 3);
  assert_row (split->train, 1, train1, 2);
  assert_row (split->train, 2, NULL, 0);
  assert_row (split->train, 3, train3, 3);

  g_assert_cmpint (split->test_pairs, ==, 1);
  assert_row (split->test, 0, NULL, 0);
  assert_row (split->test, 1, test1, 1);
  assert_row (split->test, 2, NULL, 0);
  assert_row (split->test, 3, NULL, 0);
  g_assert_cmpint (split->n_test_viewers, ==, 1);
  g_assert_cmpint (split->test_viewers[0], ==, 1);

  g_assert_cmpint (split->dropped_cold_viewer, ==, 1);
  g_assert_cmpint (split->dropped_cold_clip, ==, 1);
  g_assert_cmpint (split->dropped_seen, ==, 0);
}

static void
test_temporal_fraction (void)
{
  g_autoptr(CsInteractions) ia = make_log ();
  g_autoptr(CsProtocol) protocol = NULL;
  g_autoptr(CsSplit) split = NULL;
  g_autoptr(GError) error = NULL;
  const gint32 train0[] = { 0 };
  const gint32 train1[] = { 0, 1 };
  const gint32 train3[] = { 0, 2 };
  const gint32 test0[] = { 1, 2 };
  const gint32 test1[] = { 2 };
  const gint32 test3[] = { 1 };

  /* ⌊0.5 · 11⌋ = 5 training pairs: 1–5 above. Test pairs 6 (v3,c1),
   * 7 (v0,c1), 8 (v0,c2), 9 (v1,c2) are kept; 10 (cold viewer) and 11 (cold
   * clip) dropped. */
  protocol = cs_protocol_parse ("temporal:0.5", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (protocol->train_fraction, ==, 0.5);
  split = cs_protocol_split (protocol, ia, 0, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (split->train_pairs, ==, 5);
  assert_row (split->train, 0, train0, 1);
  assert_row (split->train, 1, train1, 2);
  assert_row (split->train, 3, train3, 2);
  g_assert_cmpint (split->test_pairs, ==, 4);
  assert_row (split->test, 0, test0, 2);
  assert_row (split->test, 1, test1, 1);
  assert_row (split->test, 3, test3, 1);
  g_assert_cmpint (split->n_test_viewers, ==, 3);
  g_assert_cmpint (split->dropped_cold_viewer, ==, 1);
  g_assert_cmpint (split->dropped_cold_clip, ==, 1);
}

typedef struct
{
  gint64 t;
  gint32 v, c;
} RefPair;

static int
compare_ref (const void *a,
             const void *b)
{
  const RefPair *x = a, *y = b;

  if (x->t != y->t)
    return x->t < y->t ? -1 : 1;
  if (x->v != y->v)
    return x->v < y->v ? -1 : 1;
  return (x->c > y->c) - (x->c < y->c);
}

static void
test_temporal_random (void)
{
  /* Random logs with times over ranges that need 1, 2 and 4 radix passes,
   * negative times included, checked against a plain sort by
   * (time, viewer, clip) and the §4 cut. */
  static const gint64 spans[] = { 50, 3000000, G_GINT64_CONSTANT (1) << 40 };

  for (guint s = 0; s < G_N_ELEMENTS (spans); s++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (11 + s);
      g_autoptr(GPtrArray) vids = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) cids = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(CsInteractions) ia = NULL;
      g_autoptr(CsProtocol) protocol = cs_protocol_parse ("temporal", NULL);
      g_autoptr(CsSplit) split = NULL;
      g_autofree RefPair *ref = NULL;
      g_autofree guint8 *viewer_warm = NULL;
      g_autofree guint8 *clip_warm = NULL;
      gsize n_train, n_test = 0;

      for (guint e = 0; e < 3000; e++)
        {
          gint64 t = (gint64) (g_rand_double (rand) * spans[s]) - spans[s] / 3;

          g_ptr_array_add (vids, g_strdup_printf ("%d", g_rand_int_range (rand, 0, 60)));
          g_ptr_array_add (cids, g_strdup_printf ("%d", g_rand_int_range (rand, 0, 80)));
          g_array_append_val (times, t);
        }
      ia = cs_interactions_new ((const char * const *) vids->pdata, (const char * const *) cids->pdata,
                                (gint64 *) (void *) times->data, times->len);
      split = cs_protocol_split (protocol, ia, 0, NULL, NULL);

      ref = g_new (RefPair, ia->n_pairs);
      for (gsize i = 0; i < ia->n_pairs; i++)
        {
          ref[i].t = ia->time[i];
          ref[i].v = ia->viewer[i];
          ref[i].c = ia->clip[i];
        }
      qsort (ref, ia->n_pairs, sizeof (RefPair), compare_ref);
      n_train = (gsize) cs_protocol_temporal_n_train ((gint64) ia->n_pairs, 0.8);
      viewer_warm = g_new0 (guint8, ia->n_viewers);
      clip_warm = g_new0 (guint8, ia->n_clips);
      for (gsize i = 0; i < n_train; i++)
        {
          g_assert_true (cs_csr_contains (split->train, ref[i].v, ref[i].c));
          viewer_warm[ref[i].v] = clip_warm[ref[i].c] = 1;
        }
      g_assert_cmpint (split->train_pairs, ==, n_train);
      for (gsize i = n_train; i < ia->n_pairs; i++)
        {
          gboolean kept = viewer_warm[ref[i].v] && clip_warm[ref[i].c];

          g_assert_false (cs_csr_contains (split->train, ref[i].v, ref[i].c));
          g_assert_cmpint (cs_csr_contains (split->test, ref[i].v, ref[i].c), ==, kept);
          n_test += kept;
        }
      g_assert_cmpint (split->test_pairs, ==, n_test);
    }
}

static void
test_leave_last_out (void)
{
  g_autoptr(CsInteractions) ia = make_log ();
  g_autoptr(CsProtocol) protocol = NULL;
  g_autoptr(CsSplit) split = NULL;
  g_autoptr(GError) error = NULL;
  const gint32 train0[] = { 0, 1, 2 };
  const gint32 train1[] = { 0, 1 };
  const gint32 train2[] = { 2 };
  const gint32 train3[] = { 0, 2 };
  const gint32 test0[] = { 3 };
  const gint32 test1[] = { 2 };
  const gint32 test3[] = { 1 };

  /* Per viewer, the last pair by (time, clip):
   *   "1":  c1@105 c10@160 c2@160 c3@180 → c3 (kept although cold)
   *   "2":  c1@100 c10@110 c2@160        → c2
   *   "3":  c2@170 only                  → training only
   *   "10": c1@140 c10@150 c2@100        → c10 */
  protocol = cs_protocol_parse ("leave-last-out", &error);
  g_assert_no_error (error);
  split = cs_protocol_split (protocol, ia, 0, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (split->train_pairs, ==, 8);
  assert_row (split->train, 0, train0, 3);
  assert_row (split->train, 1, train1, 2);
  assert_row (split->train, 2, train2, 1);
  assert_row (split->train, 3, train3, 2);
  g_assert_cmpint (split->test_pairs, ==, 3);
  assert_row (split->test, 0, test0, 1);
  assert_row (split->test, 1, test1, 1);
  assert_row (split->test, 2, NULL, 0);
  assert_row (split->test, 3, test3, 1);
  g_assert_cmpint (split->n_test_viewers, ==, 3);
  g_assert_cmpint (split->test_viewers[0], ==, 0);
  g_assert_cmpint (split->test_viewers[1], ==, 1);
  g_assert_cmpint (split->test_viewers[2], ==, 3);
}

static void
test_leave_last_out_tie (void)
{
  /* Viewer "a" watched b and a at the same time: by (time, clip) the last is
   * clip "b" (index 1). */
  const char * const viewers[] = { "a", "a", "a" };
  const char * const clips[] = { "c", "b", "a" };
  const gint64 times[] = { 1, 5, 5 };
  g_autoptr(CsInteractions) ia = cs_interactions_new (viewers, clips, times, 3);
  g_autoptr(CsProtocol) protocol = cs_protocol_parse ("leave-last-out", NULL);
  g_autoptr(CsSplit) split = cs_protocol_split (protocol, ia, 0, NULL, NULL);
  const gint32 train[] = { 0, 2 };
  const gint32 test[] = { 1 };

  assert_row (split->train, 0, train, 2);
  assert_row (split->test, 0, test, 1);
}

/* Checks a random holdout split of @ia against §4: every viewer's pairs are
 * in exactly one of train and test (or counted as a dropped cold clip), each
 * viewer holds out @held[v] pairs, every test clip and test viewer has
 * training pairs. Returns the test matrix's column indices, for comparing
 * splits. */
static GArray *
check_random_split (const CsInteractions *ia,
                    const char           *spec,
                    const gint64         *held)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CsProtocol) protocol = cs_protocol_parse (spec, &error);
  g_autoptr(CsSplit) split = NULL;
  g_autofree gint32 *clip_train = g_new0 (gint32, ia->n_clips);
  GArray *tests = g_array_new (FALSE, FALSE, sizeof (gint32));
  gint64 total_held = 0, n_test = 0, n_train = 0;

  g_assert_no_error (error);
  split = cs_protocol_split (protocol, ia, 0, NULL, &error);
  g_assert_no_error (error);

  for (gsize i = 0; i < ia->n_pairs; i++)
    {
      gboolean in_train = cs_csr_contains (split->train, ia->viewer[i], ia->clip[i]);
      gboolean in_test = cs_csr_contains (split->test, ia->viewer[i], ia->clip[i]);

      g_assert_false (in_train && in_test);
      clip_train[ia->clip[i]] += in_train;
    }
  for (gint32 v = 0; v < ia->n_viewers; v++)
    {
      gint64 n = 0, in_train = 0;

      for (gsize i = 0; i < ia->n_pairs; i++)
        if (ia->viewer[i] == v)
          {
            n++;
            in_train += cs_csr_contains (split->train, v, ia->clip[i]);
          }
      /* Held out = all pairs minus training, dropped or not. */
      g_assert_cmpint (n - in_train, ==, held[v]);
      g_assert_cmpint (cs_csr_row_length (split->train, v), ==, in_train);
      if (held[v] > 0)
        g_assert_cmpint (in_train, >=, 1);
      total_held += held[v];
      n_train += in_train;
      n_test += cs_csr_row_length (split->test, v);
      for (gint32 k = split->test->row_ptr[v]; k < split->test->row_ptr[v + 1]; k++)
        {
          g_assert_cmpint (clip_train[split->test->col_idx[k]], >, 0);
          g_array_append_val (tests, split->test->col_idx[k]);
        }
    }
  /* train ∪ held out = all pairs; the held-out pairs not in test are exactly
   * those whose clip has no training pair. */
  g_assert_cmpint (n_train + total_held, ==, (gint64) ia->n_pairs);
  g_assert_cmpint (split->train_pairs, ==, n_train);
  g_assert_cmpint (split->test_pairs, ==, n_test);
  g_assert_cmpint (n_test + split->dropped_cold_clip, ==, total_held);
  for (gsize i = 0; i < ia->n_pairs; i++)
    if (!cs_csr_contains (split->train, ia->viewer[i], ia->clip[i]) &&
        !cs_csr_contains (split->test, ia->viewer[i], ia->clip[i]))
      g_assert_cmpint (clip_train[ia->clip[i]], ==, 0);
  g_assert_cmpint (split->dropped_cold_viewer, ==, 0);
  g_assert_cmpint (split->dropped_seen, ==, 0);
  return tests;
}

static void
test_random_holdout (void)
{
  g_autoptr(CsInteractions) ia = make_log ();
  /* Pairs per viewer: "1" 4, "2" 3, "3" 1, "10" 3.
   *   0.2: round (0.8) = 1, round (0.6) = 1 → 1 each; "3" none.
   *   0.5: round (2.0) = 2, round (1.5) = 2.
   *   0.9: round (3.6) = 4 → at most n − 1 = 3; round (2.7) = 3 → 2.
   *   0.01: round (0.04) = 0 → at least 1. */
  const gint64 held_20[] = { 1, 1, 0, 1 };
  const gint64 held_50[] = { 2, 2, 0, 2 };
  const gint64 held_90[] = { 3, 2, 0, 2 };
  g_autoptr(GArray) a = check_random_split (ia, "random:0.2:7", held_20);
  /* Kept for their checks only. */
  g_autoptr(GArray) b = check_random_split (ia, "random:0.5:7", held_50);
  g_autoptr(GArray) c = check_random_split (ia, "random:0.9:0", held_90);
  g_autoptr(GArray) d = check_random_split (ia, "random:0.01:18446744073709551615", held_20);

  g_assert_cmpint (cs_protocol_random_n_test (1, 0.5), ==, 0);
  g_assert_cmpint (cs_protocol_random_n_test (2, 0.01), ==, 1);
  g_assert_cmpint (cs_protocol_random_n_test (2, 0.99), ==, 1);
  g_assert_cmpint (cs_protocol_random_n_test (10, 0.2), ==, 2);
  g_assert_cmpint (cs_protocol_random_n_test (10, 0.25), ==, 3); /* 2.5 rounds up */
}

static void
test_random_holdout_seed (void)
{
  /* 2000 events of 50 viewers over 40 clips: the chance that two seeds pick
   * the same test clips for every viewer is negligible. */
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  g_autoptr(GPtrArray) vids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) cids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(CsInteractions) ia = NULL;
  g_autofree gint64 *held = NULL;
  g_autoptr(GArray) first = NULL;
  g_autoptr(GArray) again = NULL;
  g_autoptr(GArray) other = NULL;
  gsize start = 0;

  for (gint64 e = 0; e < 2000; e++)
    {
      g_ptr_array_add (vids, g_strdup_printf ("%d", g_rand_int_range (rand, 0, 50)));
      g_ptr_array_add (cids, g_strdup_printf ("%d", g_rand_int_range (rand, 0, 40)));
      g_array_append_val (times, e);
    }
  ia = cs_interactions_new ((const char * const *) vids->pdata, (const char * const *) cids->pdata,
                            (gint64 *) (void *) times->data, times->len);
  held = g_new0 (gint64, ia->n_viewers);
  while (start < ia->n_pairs)
    {
      gsize end = start;
      gint64 n, want;

      while (end < ia->n_pairs && ia->viewer[end] == ia->viewer[start])
        end++;
      n = (gint64) (end - start);
      /* round (0.3 · n), kept within 1 … n − 1, worked out separately. */
      want = n < 2 ? 0 : (gint64) floor (0.3 * n + 0.5);
      held[ia->viewer[start]] = n < 2 ? 0 : CLAMP (want, 1, n - 1);
      start = end;
    }

  first = check_random_split (ia, "random:0.3:1", held);
  again = check_random_split (ia, "random:0.3:1", held);
  other = check_random_split (ia, "RANDOM:0.3:2", held);
  g_assert_cmpuint (first->len, ==, again->len);
  g_assert_cmpmem (first->data, first->len * sizeof (gint32), again->data, again->len * sizeof (gint32));
  g_assert_true (first->len != other->len ||
                 memcmp (first->data, other->data, first->len * sizeof (gint32)) != 0);
}

/* A log where no clip can turn cold: besides the tested viewers, one viewer
 * per clip watched only that clip (one pair, so always training).
 *   "A": c0 c1 c2 c3 c4    5 pairs
 *   "B": c0 c1 c2          3 pairs
 *   "C": c1 c3             2 pairs
 *   "D": c4                1 pair: never tested
 *   "a0" … "a4": c0 … c4   1 pair each: never tested
 * Viewer indices (byte order): "A" 0, "B" 1, "C" 2, "D" 3, "a0" 4 … "a4" 8. */
static CsInteractions *
make_warm_log (void)
{
  const char * const viewers[] = { "A", "A", "A", "A", "A", "B", "B", "B", "C", "C", "D",
                                   "a0", "a1", "a2", "a3", "a4" };
  const char * const clips[] = { "c0", "c1", "c2", "c3", "c4", "c0", "c1", "c2", "c1", "c3", "c4",
                                 "c0", "c1", "c2", "c3", "c4" };
  gint64 times[G_N_ELEMENTS (viewers)];

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    times[i] = 1000 + i;
  return cs_interactions_new (viewers, clips, times, G_N_ELEMENTS (times));
}

static CsSplit *
kfold_split (const char           *spec,
             const CsInteractions *ia,
             guint                 fold)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CsProtocol) protocol = cs_protocol_parse (spec, &error);
  CsSplit *split;

  g_assert_no_error (error);
  split = cs_protocol_split (protocol, ia, fold, NULL, &error);
  g_assert_no_error (error);
  return split;
}

static void
test_kfold_warm (void)
{
  g_autoptr(CsInteractions) ia = make_warm_log ();
  /* Per viewer, test pairs in folds 0, 1, 2 of kfold:3: pair i goes to fold
   * i mod 3, so 5 pairs give 2, 2, 1; 3 give 1, 1, 1; 2 give 1, 1, 0. */
  const gint64 per_fold[3][3] = { { 2, 1, 1 }, { 2, 1, 1 }, { 1, 1, 0 } };
  g_autofree gint32 *tested = g_new0 (gint32, ia->n_pairs);

  for (guint f = 0; f < 3; f++)
    {
      g_autoptr(CsSplit) split = kfold_split ("kfold:3:11", ia, f);
      g_autoptr(CsSplit) again = kfold_split ("KFOLD:3:11", ia, f);

      g_assert_cmpint (split->dropped_cold_clip, ==, 0);
      g_assert_cmpint (split->dropped_cold_viewer, ==, 0);
      g_assert_cmpint (split->dropped_seen, ==, 0);
      for (gint32 v = 0; v < 3; v++)
        g_assert_cmpint (cs_csr_row_length (split->test, v), ==, per_fold[f][v]);
      for (gint32 v = 3; v < ia->n_viewers; v++)
        g_assert_cmpint (cs_csr_row_length (split->test, v), ==, 0);
      g_assert_cmpint (split->n_test_viewers, ==, f < 2 ? 3 : 2);
      g_assert_cmpint (split->train_pairs + split->test_pairs, ==, (gint64) ia->n_pairs);
      for (gsize i = 0; i < ia->n_pairs; i++)
        {
          gboolean in_train = cs_csr_contains (split->train, ia->viewer[i], ia->clip[i]);
          gboolean in_test = cs_csr_contains (split->test, ia->viewer[i], ia->clip[i]);

          g_assert_true (in_train != in_test);
          tested[i] += in_test;
          /* Same seed, same split. */
          g_assert_true (in_test == cs_csr_contains (again->test, ia->viewer[i], ia->clip[i]));
        }
    }
  /* Every pair of A, B and C tested exactly once, D and the anchors never. */
  for (gsize i = 0; i < ia->n_pairs; i++)
    g_assert_cmpint (tested[i], ==, ia->viewer[i] < 3 ? 1 : 0);
}

static void
test_kfold_more_folds_than_pairs (void)
{
  g_autoptr(CsInteractions) ia = make_warm_log ();
  g_autofree gint32 *tested = g_new0 (gint32, ia->n_pairs);
  /* kfold:20 on viewers of 5, 3 and 2 pairs: pair i is in fold i, so fold f
   * tests A when f < 5, B when f < 3, C when f < 2; folds 5 … 19 test
   * nobody and train on everything. */
  for (guint f = 0; f < 20; f++)
    {
      g_autoptr(CsSplit) split = kfold_split ("kfold:20:3", ia, f);
      gint32 expected = (f < 5) + (f < 3) + (f < 2);

      g_assert_cmpint (split->test_pairs, ==, expected);
      g_assert_cmpint (split->n_test_viewers, ==, expected);
      g_assert_cmpint (split->train_pairs, ==, (gint64) ia->n_pairs - expected);
      for (gsize i = 0; i < ia->n_pairs; i++)
        tested[i] += cs_csr_contains (split->test, ia->viewer[i], ia->clip[i]);
    }
  for (gsize i = 0; i < ia->n_pairs; i++)
    g_assert_cmpint (tested[i], ==, ia->viewer[i] < 3 ? 1 : 0);
}

/* The fold of each pair worked out again from the header's definition: the
 * viewer's clips ascending, Fisher–Yates with GRand seeded by
 * { seed low, seed high, viewer }, position mod K; test unless no other
 * viewer or fold trains on the clip. */
static void
test_kfold_reference (void)
{
  const guint K = 4;
  const guint64 seed = 0x100000005ULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (9);
  g_autoptr(GPtrArray) vids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) cids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(CsInteractions) ia = NULL;
  g_autofree guint *fold_of = NULL;
  gint64 dropped_total = 0;

  /* 300 events of 40 viewers over 120 clips: many clips have one or two
   * viewers, so some test pairs turn cold. */
  for (gint64 e = 0; e < 300; e++)
    {
      g_ptr_array_add (vids, g_strdup_printf ("%d", g_rand_int_range (rand, 0, 40)));
      g_ptr_array_add (cids, g_strdup_printf ("%d", g_rand_int_range (rand, 0, 120)));
      g_array_append_val (times, e);
    }
  ia = cs_interactions_new ((const char * const *) vids->pdata, (const char * const *) cids->pdata,
                            (gint64 *) (void *) times->data, times->len);
  fold_of = g_new (guint, ia->n_pairs);
  for (gsize start = 0, end; start < ia->n_pairs; start = end)
    {
      g_autofree gsize *order = NULL;
      gsize n;

      for (end = start; end < ia->n_pairs && ia->viewer[end] == ia->viewer[start]; end++)
        ;
      n = end - start;
      order = g_new (gsize, n);
      for (gsize i = 0; i < n; i++)
        order[i] = start + i;
      if (n >= 2)
        {
          const guint32 s[3] = { (guint32) seed, (guint32) (seed >> 32), (guint32) ia->viewer[start] };
          g_autoptr(GRand) r = g_rand_new_with_seed_array (s, 3);

          for (gsize i = n - 1; i > 0; i--)
            {
              gsize j = (gsize) g_rand_int_range (r, 0, (gint32) i + 1);
              gsize t = order[i];

              order[i] = order[j];
              order[j] = t;
            }
        }
      for (gsize i = 0; i < n; i++)
        fold_of[order[i]] = n >= 2 ? (guint) (i % K) : G_MAXUINT;
    }

  for (guint f = 0; f < K; f++)
    {
      g_autoptr(CsSplit) split = kfold_split ("kfold:4:4294967301", ia, f);
      g_autofree gint32 *clip_train = g_new0 (gint32, ia->n_clips);
      gint64 dropped = 0, n_test = 0;

      for (gsize i = 0; i < ia->n_pairs; i++)
        if (fold_of[i] != f)
          clip_train[ia->clip[i]]++;
      for (gsize i = 0; i < ia->n_pairs; i++)
        {
          gboolean held = fold_of[i] == f;
          gboolean want_test = held && clip_train[ia->clip[i]] > 0;

          g_assert_true (cs_csr_contains (split->train, ia->viewer[i], ia->clip[i]) == !held);
          g_assert_true (cs_csr_contains (split->test, ia->viewer[i], ia->clip[i]) == want_test);
          dropped += held && !want_test;
          n_test += want_test;
        }
      g_assert_cmpint (split->dropped_cold_clip, ==, dropped);
      g_assert_cmpint (split->test_pairs, ==, n_test);
      dropped_total += dropped;
    }
  /* The log is sparse enough that the cold-clip rule matters. */
  g_assert_cmpint (dropped_total, >, 0);
}

static void
test_kfold_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CsProtocol) kf = cs_protocol_parse ("kfold:5:42", &error);
  g_autofree char *json = NULL;
  g_autofree char *label = NULL;
  const char *bad_specs[] = { "kfold", "kfold:5", "kfold:1:0", "kfold:21:0", "kfold:0:1", "kfold:-5:1",
                              "kfold:5:-1", "kfold:5:x", "kfold:5:1:2", "kfold:2.5:1" };

  g_assert_no_error (error);
  g_assert_cmpint (kf->kind, ==, CS_PROTOCOL_KFOLD);
  g_assert_cmpuint (cs_protocol_get_n_folds (kf), ==, 5);
  g_assert_cmpstr (cs_protocol_get_name (kf), ==, "kfold");
  json = cs_protocol_to_json (kf, "view");
  g_assert_cmpstr (json, ==, "{\"name\":\"kfold\",\"folds\":5,\"seed\":42,\"positives\":\"view\"}");
  label = cs_protocol_get_label (kf);
  g_assert_cmpstr (label, ==, "K-fold by viewer (5 folds)");

  for (guint i = 0; i < G_N_ELEMENTS (bad_specs); i++)
    {
      g_autoptr(CsProtocol) bad = cs_protocol_parse (bad_specs[i], &error);

      g_assert_null (bad);
      g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM);
      g_assert_nonnull (strstr (error->message, "kfold:5:42"));
      g_clear_error (&error);
    }
}

static void
test_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CsProtocol) temporal = cs_protocol_parse ("Temporal", &error);
  g_autoptr(CsProtocol) llo = cs_protocol_parse ("leave-last-out", &error);
  g_autoptr(CsProtocol) bad = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_llo = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (temporal->kind, ==, CS_PROTOCOL_TEMPORAL);
  g_assert_cmpfloat (temporal->train_fraction, ==, 0.8);
  g_assert_cmpstr (cs_protocol_get_name (temporal), ==, "temporal");
  g_assert_cmpuint (cs_protocol_get_n_folds (temporal), ==, 1);
  json = cs_protocol_to_json (temporal, "view");
  g_assert_cmpstr (json, ==, "{\"name\":\"temporal\",\"train_fraction\":0.8,\"positives\":\"view\"}");
  json_llo = cs_protocol_to_json (llo, NULL);
  g_assert_cmpstr (json_llo, ==, "{\"name\":\"leave-last-out\"}");

  bad = cs_protocol_parse ("bogus", &error);
  g_assert_null (bad);
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM);
  g_clear_error (&error);
  bad = cs_protocol_parse ("temporal:1.5", &error);
  g_assert_null (bad);
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM);
  g_clear_error (&error);
  {
    g_autoptr(CsProtocol) rnd = cs_protocol_parse ("random:0.2:42", &error);
    g_autofree char *json_random = NULL;
    g_autofree char *label = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (rnd->kind, ==, CS_PROTOCOL_RANDOM);
    g_assert_cmpstr (cs_protocol_get_name (rnd), ==, "random");
    json_random = cs_protocol_to_json (rnd, NULL);
    g_assert_cmpstr (json_random, ==, "{\"name\":\"random\",\"test_fraction\":0.2,\"seed\":42}");
    label = cs_protocol_get_label (rnd);
    g_assert_cmpstr (label, ==, "Random holdout 80/20");
  }
  {
    const char *bad_specs[] = { "random", "random:0.2", "random:0:1", "random:1:1", "random:1.5:3",
                                "random:-0.2:1", "random:0.2:-1", "random:0.2:x", "random:0.2:1:2",
                                "random:0.2:99999999999999999999" };

    for (guint i = 0; i < G_N_ELEMENTS (bad_specs); i++)
      {
        bad = cs_protocol_parse (bad_specs[i], &error);
        g_assert_null (bad);
        g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM);
        g_assert_nonnull (strstr (error->message, "random:0.2:42"));
        g_clear_error (&error);
      }
  }
}

static void
test_n_train (void)
{
  /* ⌊0.8 · 10⌋ = 8, ⌊0.8 · 9⌋ = ⌊7.2⌋ = 7, ⌊0.8 · 11⌋ = 8, and 0.29 · 100
   * is 28.999999999999996 in binary floating point but 29 here. */
  g_assert_cmpint (cs_protocol_temporal_n_train (10, 0.8), ==, 8);
  g_assert_cmpint (cs_protocol_temporal_n_train (9, 0.8), ==, 7);
  g_assert_cmpint (cs_protocol_temporal_n_train (11, 0.8), ==, 8);
  g_assert_cmpint (cs_protocol_temporal_n_train (100, 0.29), ==, 29);
  g_assert_cmpint (cs_protocol_temporal_n_train (0, 0.8), ==, 0);
  g_assert_cmpint (cs_protocol_temporal_n_train (100000, 0.8), ==, 80000);
}

static void
test_positive_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *def = cs_positive_rule_normalize (NULL, &error);
  g_autofree char *like = cs_positive_rule_normalize (" Like ", &error);
  g_autofree char *watch = cs_positive_rule_normalize ("watch:0.5", &error);
  g_autofree char *bad = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (def, ==, "view");
  g_assert_cmpstr (like, ==, "like");
  g_assert_cmpstr (watch, ==, "watch:0.5");

  bad = cs_positive_rule_normalize ("stars", &error);
  g_assert_null (bad);
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM);
  g_clear_error (&error);
  bad = cs_positive_rule_normalize ("watch:2", &error);
  g_assert_null (bad);
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM);
  g_clear_error (&error);
}

/* Weighted rules: kinds in a fixed order, zero weights dropped, and a
 * message that shows the form for anything else. */
static void
test_weighted_rules (void)
{
  static const struct
  {
    const char *rule;
    const char *normalized;  /* NULL: refused */
  } cases[] = {
    { "weighted:share=5, LIKE=3,view=1", "weighted:view=1,like=3,share=5" },
    { "Weighted:like=2.5,comment=0", "weighted:like=2.5" },
    { "weighted:save=1000", "weighted:save=1000" },
    { "weighted:", NULL },
    { "weighted:like", NULL },
    { "weighted:like=", NULL },
    { "weighted:like=-1", NULL },
    { "weighted:like=0,view=0", NULL },
    { "weighted:like=1001", NULL },
    { "weighted:like=nan", NULL },
    { "weighted:stars=3", NULL },
    { "weighted:like=3x", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = cs_positive_rule_normalize (cases[i].rule, &error);

      if (cases[i].normalized != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (normalized, ==, cases[i].normalized);
          g_assert_true (cs_positive_rule_is_weighted (normalized));
        }
      else
        {
          g_assert_null (normalized);
          g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM);
          g_assert_nonnull (strstr (error->message, "weighted:view=1,like=3,share=5"));
        }
    }
  g_assert_false (cs_positive_rule_is_weighted ("view"));
}

/* The log above with weight i + 1 on its i-th event. Pair weights, worked
 * out by hand (the duplicate ("2", c1) is events 0 and 4: 1 + 5 = 6), by
 * [viewer index][clip index]; 0 = no pair. */
static const float pair_weight[4][4] = {
  /* c1  c10  c2  c3 */
  {  3,   8,  9, 12 },  /* "1" */
  {  6,   4, 10,  0 },  /* "2" */
  {  0,   0, 11,  0 },  /* "3" */
  {  6,   7,  2,  0 },  /* "10" */
};

static CsInteractions *
make_weighted_log (void)
{
  float weights[G_N_ELEMENTS (log_times)];

  for (guint i = 0; i < G_N_ELEMENTS (weights); i++)
    weights[i] = (float) (i + 1);
  return cs_interactions_new_weighted (log_viewers, log_clips, log_times, weights, G_N_ELEMENTS (weights));
}

/* Every protocol gives the weighted log the same split as the unweighted
 * one; training pairs carry their weights, test pairs stay plain 1s. */
static void
test_weighted_split (void)
{
  static const char * const specs[] = { "temporal", "leave-last-out", "random:0.3:5", "kfold:3:9" };
  g_autoptr(CsInteractions) plain = make_log ();
  g_autoptr(CsInteractions) weighted = make_weighted_log ();

  g_assert_cmpuint (weighted->n_pairs, ==, 11);
  for (gsize i = 0; i < weighted->n_pairs; i++)
    {
      g_assert_cmpint (weighted->viewer[i], ==, plain->viewer[i]);
      g_assert_cmpint (weighted->clip[i], ==, plain->clip[i]);
      g_assert_cmpint (weighted->time[i], ==, plain->time[i]);
      g_assert_cmpfloat (weighted->weight[i], ==, pair_weight[weighted->viewer[i]][weighted->clip[i]]);
    }
  g_assert_null (plain->weight);

  for (guint s = 0; s < G_N_ELEMENTS (specs); s++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CsProtocol) protocol = cs_protocol_parse (specs[s], &error);

      g_assert_no_error (error);
      for (guint fold = 0; fold < cs_protocol_get_n_folds (protocol); fold++)
        {
          g_autoptr(CsSplit) a = cs_protocol_split (protocol, plain, fold, NULL, &error);
          g_autoptr(CsSplit) b = cs_protocol_split (protocol, weighted, fold, NULL, &error);

          g_assert_no_error (error);
          g_assert_cmpint (a->train_pairs, ==, b->train_pairs);
          g_assert_cmpint (a->test_pairs, ==, b->test_pairs);
          g_assert_cmpmem (a->train->row_ptr, sizeof (gint32) * 5, b->train->row_ptr, sizeof (gint32) * 5);
          g_assert_cmpmem (a->train->col_idx, sizeof (gint32) * a->train_pairs,
                           b->train->col_idx, sizeof (gint32) * b->train_pairs);
          g_assert_cmpmem (a->test->col_idx, sizeof (gint32) * a->test_pairs,
                           b->test->col_idx, sizeof (gint32) * b->test_pairs);
          for (gint32 v = 0; v < 4; v++)
            for (gint32 k = b->train->row_ptr[v]; k < b->train->row_ptr[v + 1]; k++)
              g_assert_cmpfloat (b->train->values[k], ==, pair_weight[v][b->train->col_idx[k]]);
          for (gint32 k = 0; k < (gint32) b->test_pairs; k++)
            g_assert_cmpfloat (b->test->values[k], ==, 1.0f);
        }
    }
}

static void
test_csr (void)
{
  /* Unsorted triples with a duplicate (1, 2) summed: 2 + 0.5 = 2.5.
   *   row 0: (0, 1.0) (3, 4.0)   row 1: (0, 3.0) (2, 2.5)   row 2: empty */
  const gint32 rows[] = { 1, 0, 1, 0, 1 };
  const gint32 cols[] = { 2, 3, 0, 0, 2 };
  const float values[] = { 2.0f, 4.0f, 3.0f, 1.0f, 0.5f };
  g_autoptr(CsCsr) m = cs_csr_new_from_pairs (3, 4, rows, cols, values, 5);
  g_autoptr(CsCsr) t = cs_csr_transpose (m);
  g_autoptr(CsCsr) empty = cs_csr_new_from_pairs (0, 0, NULL, NULL, NULL, 0);

  g_assert_cmpint (cs_csr_get_nnz (m), ==, 4);
  g_assert_cmpint (m->row_ptr[1], ==, 2);
  g_assert_cmpint (m->col_idx[0], ==, 0);
  g_assert_cmpfloat (m->values[0], ==, 1.0f);
  g_assert_cmpint (m->col_idx[1], ==, 3);
  g_assert_cmpint (m->col_idx[3], ==, 2);
  g_assert_cmpfloat (m->values[3], ==, 2.5f);
  g_assert_cmpint (cs_csr_row_length (m, 2), ==, 0);
  g_assert_true (cs_csr_contains (m, 1, 2));
  g_assert_false (cs_csr_contains (m, 1, 1));
  g_assert_cmpint (cs_csr_count_rows_used (m), ==, 2);

  /* Transposed: row 0 = (0, 1.0) (1, 3.0); row 2 = (1, 2.5); row 3 = (0, 4.0). */
  g_assert_cmpint (t->n_rows, ==, 4);
  g_assert_cmpint (t->n_cols, ==, 3);
  g_assert_cmpint (cs_csr_row_length (t, 0), ==, 2);
  g_assert_cmpint (t->col_idx[t->row_ptr[0] + 1], ==, 1);
  g_assert_cmpfloat (t->values[t->row_ptr[0] + 1], ==, 3.0f);
  g_assert_cmpint (cs_csr_row_length (t, 1), ==, 0);
  g_assert_cmpfloat (t->values[t->row_ptr[2]], ==, 2.5f);
  g_assert_cmpfloat (t->values[t->row_ptr[3]], ==, 4.0f);

  g_assert_cmpint (cs_csr_get_nnz (empty), ==, 0);
}

static void
test_empty (void)
{
  g_autoptr(CsInteractions) ia = cs_interactions_new (NULL, NULL, NULL, 0);
  g_autoptr(CsProtocol) protocol = cs_protocol_parse ("temporal", NULL);
  g_autoptr(CsSplit) split = cs_protocol_split (protocol, ia, 0, NULL, NULL);

  g_assert_cmpuint (ia->n_pairs, ==, 0);
  g_assert_cmpint (split->train_pairs, ==, 0);
  g_assert_cmpint (split->n_test_viewers, ==, 0);
}

static void
test_cancelled (void)
{
  g_autoptr(CsInteractions) ia = make_log ();
  g_autoptr(CsProtocol) protocol = cs_protocol_parse ("temporal", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CsSplit) split = NULL;

  g_cancellable_cancel (cancellable);
  split = cs_protocol_split (protocol, ia, 0, cancellable, &error);
  g_assert_null (split);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/protocol/interactions", test_interactions);
  g_test_add_func ("/engine/protocol/index-order", test_index_order);
  g_test_add_func ("/engine/protocol/temporal", test_temporal);
  g_test_add_func ("/engine/protocol/temporal-fraction", test_temporal_fraction);
  g_test_add_func ("/engine/protocol/temporal-random", test_temporal_random);
  g_test_add_func ("/engine/protocol/leave-last-out", test_leave_last_out);
  g_test_add_func ("/engine/protocol/leave-last-out-tie", test_leave_last_out_tie);
  g_test_add_func ("/engine/protocol/random-holdout", test_random_holdout);
  g_test_add_func ("/engine/protocol/random-holdout-seed", test_random_holdout_seed);
  g_test_add_func ("/engine/protocol/kfold-warm", test_kfold_warm);
  g_test_add_func ("/engine/protocol/kfold-more-folds-than-pairs", test_kfold_more_folds_than_pairs);
  g_test_add_func ("/engine/protocol/kfold-reference", test_kfold_reference);
  g_test_add_func ("/engine/protocol/kfold-parse", test_kfold_parse);
  g_test_add_func ("/engine/protocol/parse", test_parse);
  g_test_add_func ("/engine/protocol/n-train", test_n_train);
  g_test_add_func ("/engine/protocol/positive-rules", test_positive_rules);
  g_test_add_func ("/engine/protocol/weighted-rules", test_weighted_rules);
  g_test_add_func ("/engine/protocol/weighted-split", test_weighted_split);
  g_test_add_func ("/engine/protocol/csr", test_csr);
  g_test_add_func ("/engine/protocol/empty", test_empty);
  g_test_add_func ("/engine/protocol/cancelled", test_cancelled);

  return g_test_run ();
}
