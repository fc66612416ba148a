/* cs-protocol.h: evaluation protocols, which split interactions into a
 * training matrix and per-viewer test sets (DESIGN §4).
 *
 * temporal[:FRACTION] (FRACTION = 0.8 by default)
 *   The n collapsed pairs are sorted by (time, viewer index, clip index); the
 *   first n_train = ⌊FRACTION · n⌋ are training, the rest test. Test pairs
 *   whose viewer or clip has no training pair are dropped (counted as cold
 *   viewer when both are cold), and so are test pairs already in training
 *   (impossible after collapsing, kept as a guard).
 *
 * leave-last-out
 *   For every viewer with at least 2 pairs, the last pair by (time, clip
 *   index) is the test pair and the others are training; viewers with a single
 *   pair are training only. Nothing is dropped: a test clip nobody else
 *   watched stays in the test set (no model trained on these pairs can hit it).
 *
 * random:FRACTION:SEED (0 < FRACTION < 1 is the test share, SEED an unsigned
 * 64-bit integer)
 *   For every viewer v with n ≥ 2 pairs, the pairs (in ascending clip index)
 *   are shuffled by Fisher–Yates (for i = n − 1 … 1, swap i with
 *   g_rand_int_range (r, 0, i + 1)) with a GRand seeded by the array
 *   { SEED & 0xffffffff, SEED >> 32, v }; the first
 *   n_test = clamp (round (FRACTION · n), 1, n − 1) go to test, the rest
 *   train. Viewers with one pair are training only, so every test viewer has
 *   training pairs. Test pairs whose clip has no training pair (of any
 *   viewer) are dropped and counted in dropped_cold_clip. The same SEED
 *   always gives the same split of the same log.
 *
 * kfold:K:SEED (k-fold by viewer; 2 ≤ K ≤ 20 folds, SEED as above)
 *   K splits, numbered 0 … K − 1. For every viewer v with n ≥ 2 pairs, the
 *   pairs (in ascending clip index) are shuffled exactly as random:F:SEED
 *   shuffles them (same generator, same seed array), and the i-th shuffled
 *   pair (i = 0 … n − 1) belongs to fold i mod K. In split f, v's fold-f
 *   pairs are test and the rest training; since K ≥ 2 and n ≥ 2 every viewer
 *   keeps a training pair in every split. Viewers with one pair (all of it
 *   would be test in fold 0) are training only, in every split. A viewer with
 *   n < K pairs is tested in folds 0 … n − 1 only. Test pairs whose clip has
 *   no training pair in that split are dropped and counted in
 *   dropped_cold_clip. Over the K splits every pair of a viewer with n ≥ 2 is
 *   tested exactly once, apart from the dropped ones; the same SEED always
 *   gives the same K splits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cs-interactions.h"
#include "cs-sparse.h"

G_BEGIN_DECLS

typedef enum
{
  CS_PROTOCOL_TEMPORAL,
  CS_PROTOCOL_LEAVE_LAST_OUT,
  CS_PROTOCOL_RANDOM,
  CS_PROTOCOL_KFOLD,
} CsProtocolKind;

#define CS_PROTOCOL_DEFAULT_TRAIN_FRACTION 0.8
#define CS_PROTOCOL_MIN_FOLDS 2
#define CS_PROTOCOL_MAX_FOLDS 20

typedef struct
{
  CsProtocolKind kind;
  double         train_fraction;  /* temporal only */
  double         test_fraction;   /* random only */
  guint64        seed;            /* random and kfold */
  guint          n_folds;         /* kfold only */
} CsProtocol;

typedef struct
{
  CsCsr  *train;               /* n_viewers × n_clips; values 1, or each pair's weight
                                * under a weighted positives rule */
  CsCsr  *test;                /* same shape; row v = viewer v's test clips, ascending */
  gint32 *test_viewers;        /* viewers with ≥ 1 test pair, ascending */
  gint32  n_test_viewers;
  gint64  train_pairs;
  gint64  test_pairs;
  gint64  dropped_cold_viewer; /* test pairs whose viewer has no training pair */
  gint64  dropped_cold_clip;   /* … whose clip has no training pair */
  gint64  dropped_seen;        /* … already in training */
} CsSplit;

/* "temporal", "temporal:0.7", "leave-last-out", "random:0.2:42",
 * "kfold:5:42". Errors are
 * CS_MODEL_ERROR_INVALID_PARAM with a message naming the valid protocols. */
G_GNUC_WARN_UNUSED_RESULT
CsProtocol *cs_protocol_parse      (const char           *spec,
                                    GError              **error);
void        cs_protocol_free       (CsProtocol           *self);
/* "temporal", "leave-last-out", "random", "kfold". */
const char *cs_protocol_get_name   (const CsProtocol     *self);
/* A short translated label for tables: "Temporal 80/20",
 * "K-fold by viewer (5 folds)". */
char       *cs_protocol_get_label  (const CsProtocol     *self);
/* The protocol and its parameters as a JSON object text, for storage beside
 * every result: {"name":"temporal","train_fraction":0.8,"positives":"view"},
 * {"name":"random","test_fraction":0.2,"seed":42},
 * {"name":"kfold","folds":5,"seed":42}.
 * @positives: (nullable): the positives rule, included when given. */
char       *cs_protocol_to_json    (const CsProtocol     *self,
                                    const char           *positives);
/* K for kfold, 1 for the other protocols; cs_protocol_split() takes a fold
 * index below it. */
guint       cs_protocol_get_n_folds (const CsProtocol    *self);

G_GNUC_WARN_UNUSED_RESULT
CsSplit    *cs_protocol_split      (const CsProtocol     *self,
                                    const CsInteractions *interactions,
                                    guint                 fold,
                                    GCancellable         *cancellable,
                                    GError              **error);

/* Test pairs of a viewer with @n pairs under random:@fraction:
 * clamp (round (fraction · n), 1, n − 1); 0 when n < 2. */
gint64      cs_protocol_random_n_test (gint64      n,
                                       double      fraction);

/* Number of training pairs for @n pairs at @fraction: ⌊fraction · n⌋, with a
 * tiny tolerance so 0.8 · 10 is 8 despite binary rounding. */
gint64      cs_protocol_temporal_n_train (gint64       n,
                                          double       fraction);

void        cs_split_free          (CsSplit              *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsProtocol, cs_protocol_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsSplit, cs_split_free)

G_END_DECLS
