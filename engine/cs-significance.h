/* cs-significance.h: intervals and paired tests over test viewers
 * (DESIGN §4 "Comparisons").
 *
 * Bootstrap interval of a mean: B resamples of the n values, each n draws
 * with replacement (indices from GRand's Mersenne Twister seeded with @seed,
 * so a seed gives the same interval on every machine); the interval is the
 * (1 − level)/2 and (1 + level)/2 quantiles of the B resample means, each
 * quantile by linear interpolation between order statistics (NumPy's default:
 * position q·(B − 1) in the sorted means). Several series resampled together
 * share the same draws, so intervals of different models and metrics over
 * the same viewers come from the same resamples.
 *
 * Paired tests of a against b over the same n viewers, d_i = a_i − b_i:
 *   paired t: t = mean(d) / (sd(d) / √n), sd with n − 1, df = n − 1,
 *     p = two-sided Student-t tail = I_{df/(df+t²)}(df/2, 1/2).
 *     All d equal: p = 1 when they are 0, else t = ±∞ and p = 0.
 *   Wilcoxon signed-rank (normal approximation, no continuity correction):
 *     zero differences dropped (n' left), |d| ranked with average ranks for
 *     ties, W+ = sum of the ranks of positive d,
 *     z = (W+ − n'(n'+1)/4) / √(n'(n'+1)(2n'+1)/24 − Σ(t³ − t)/48) over tie
 *     groups of size t, p = erfc(|z| / √2); p = 1 when n' = 0.
 *   wins / ties / losses: viewers with a > b, a = b, a < b (exact equality).
 * Holm's step-down adjustment of m p-values: with p sorted ascending,
 *   adj_(i) = max_{j ≤ i} min(1, (m − j + 1) · p_(j)), reported in input order.
 * Significance matrix of n models: every unordered pair {i, j} of models
 *   with values gets both tests of i against j; Holm's family is all those
 *   m = n'(n' − 1)/2 pairs (n' models with values), one family per test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CS_BOOTSTRAP_DEFAULT_RESAMPLES 1000
#define CS_BOOTSTRAP_DEFAULT_LEVEL     0.95

/* Intervals of the means of @n_series series of @n values each; writes
 * lo[s], hi[s]. n = 0 gives NAN. */
void   cs_bootstrap_mean_ci   (const double * const *series,
                               guint                 n_series,
                               gsize                 n,
                               guint                 n_resamples,
                               double                level,
                               guint32               seed,
                               double               *lo,
                               double               *hi);

typedef struct
{
  gsize  n;            /* pairs */
  double mean_diff;    /* mean(a − b) */
  double t;            /* paired t statistic (NAN when n < 2) */
  double t_p;          /* two-sided p of the paired t-test (NAN when n < 2) */
  double w_plus;       /* Wilcoxon W+ */
  double w_z;          /* its normal score */
  double w_p;          /* two-sided p of the signed-rank test */
  guint  wins;
  guint  ties;
  guint  losses;
} CsPairedTest;

void   cs_paired_test         (const double  *a,
                               const double  *b,
                               gsize          n,
                               CsPairedTest  *out);

/* Two-sided tail probability P(|T| ≥ |t|) of Student's t with @df degrees of
 * freedom. */
double cs_student_t_two_sided (double         t,
                               double         df);
/* Regularised incomplete beta function I_x(a, b), a, b > 0, 0 ≤ x ≤ 1. */
double cs_incomplete_beta     (double         x,
                               double         a,
                               double         b);

/* Holm-adjusted p-values of @p (n of them) into @adjusted (may be @p). NAN
 * entries are left out of the family and stay NAN. */
void   cs_holm_adjust         (const double  *p,
                               gsize          n,
                               double        *adjusted);

/* Every pair of @n_models models over the same viewers, as an n × n table
 * indexed [row · n_models + column] for "row against column". The p-values
 * are symmetric, mean_diff is antisymmetric, wins[r, c] = losses[c, r]. The
 * diagonal and the cells of a model without values are NAN (counts 0). */
typedef struct
{
  guint   n_models;
  gsize   n;          /* viewers */
  double *mean_diff;  /* mean(row − column) */
  double *t;          /* paired t statistic of row − column */
  double *t_p;        /* two-sided p of the paired t-test */
  double *t_p_holm;   /* … Holm-adjusted over all pairs */
  double *w_p;        /* two-sided p of the Wilcoxon signed-rank test */
  double *w_p_holm;   /* … Holm-adjusted over all pairs */
  guint  *wins;       /* viewers for whom row > column */
} CsSignificanceMatrix;

/* @values[m] holds model m's @n per-viewer values (the same viewers, in the
 * same order, for every model), or NULL for a model that has none (it
 * failed): its row and column stay NAN and it is not in Holm's family. */
G_GNUC_WARN_UNUSED_RESULT
CsSignificanceMatrix *cs_significance_matrix_new  (const double * const *values,
                                                   guint                 n_models,
                                                   gsize                 n);
/* An empty (all NAN) matrix to fill, e.g. from storage. */
G_GNUC_WARN_UNUSED_RESULT
CsSignificanceMatrix *cs_significance_matrix_alloc (guint               n_models,
                                                    gsize               n);
void                  cs_significance_matrix_free (CsSignificanceMatrix *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsSignificanceMatrix, cs_significance_matrix_free)

G_END_DECLS
