/* test-significance.c: bootstrap intervals, paired t and Wilcoxon tests,
 * Holm's adjustment, on cases worked out by hand (the formulas are in the
 * comments) and on closed forms of Student's t.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cs-significance.h"

static void
test_incomplete_beta (void)
{
  /* I_x(1, 1) = x, I_x(a, 1) = x^a, I_x(1, b) = 1 − (1 − x)^b, I_½(a, a) = ½. */
  g_assert_cmpfloat_with_epsilon (cs_incomplete_beta (0.3, 1, 1), 0.3, 1e-12);
  g_assert_cmpfloat_with_epsilon (cs_incomplete_beta (0.3, 2, 1), 0.09, 1e-12);
  g_assert_cmpfloat_with_epsilon (cs_incomplete_beta (0.3, 1, 3), 1 - 0.343, 1e-12);
  g_assert_cmpfloat_with_epsilon (cs_incomplete_beta (0.9, 1, 3), 1 - 0.001, 1e-12);
  g_assert_cmpfloat_with_epsilon (cs_incomplete_beta (0.5, 7.5, 7.5), 0.5, 1e-12);
  g_assert_cmpfloat (cs_incomplete_beta (0, 2, 3), ==, 0);
  g_assert_cmpfloat (cs_incomplete_beta (1, 2, 3), ==, 1);
}

static void
test_student_t (void)
{
  static const double ts[] = { 0.1, 0.7, 1.5, 3.0, 12.0 };

  for (guint i = 0; i < G_N_ELEMENTS (ts); i++)
    {
      double t = ts[i];

      /* df = 1 (Cauchy): 1 − (2/π) atan |t|; df = 2: 1 − |t| / √(2 + t²);
       * df = 4: 1 − t (t² + 6) / (t² + 4)^{3/2}. */
      g_assert_cmpfloat_with_epsilon (cs_student_t_two_sided (t, 1), 1 - 2 / G_PI * atan (t), 1e-12);
      g_assert_cmpfloat_with_epsilon (cs_student_t_two_sided (-t, 2), 1 - t / sqrt (2 + t * t), 1e-12);
      g_assert_cmpfloat_with_epsilon (cs_student_t_two_sided (t, 4),
                                      1 - t * (t * t + 6) / pow (t * t + 4, 1.5), 1e-12);
    }
  /* Printed tables: t_{0.975} = 2.228 for 10 and 1.984 for 100 degrees of freedom. */
  g_assert_cmpfloat_with_epsilon (cs_student_t_two_sided (2.228, 10), 0.05, 1e-4);
  g_assert_cmpfloat_with_epsilon (cs_student_t_two_sided (1.984, 100), 0.05, 1e-4);
  g_assert_cmpfloat (cs_student_t_two_sided (0, 5), ==, 1);
  g_assert_cmpfloat (cs_student_t_two_sided (INFINITY, 5), ==, 0);
}

static void
test_paired_t (void)
{
  /* d = (2, 3, 1): mean 2, sd 1, t = 2 / (1/√3) = 2√3 with df 2, so
   * p = 1 − 2√3 / √(2 + 12) ≈ 0.0742. */
  const double a[] = { 3, 5, 4 };
  const double b[] = { 1, 2, 3 };
  CsPairedTest test;

  cs_paired_test (a, b, 3, &test);
  g_assert_cmpuint (test.n, ==, 3);
  g_assert_cmpfloat_with_epsilon (test.mean_diff, 2, 1e-12);
  g_assert_cmpfloat_with_epsilon (test.t, 2 * sqrt (3), 1e-12);
  g_assert_cmpfloat_with_epsilon (test.t_p, 1 - 2 * sqrt (3) / sqrt (14), 1e-12);
  g_assert_cmpuint (test.wins, ==, 3);
  g_assert_cmpuint (test.ties, ==, 0);
  g_assert_cmpuint (test.losses, ==, 0);

  /* Swapping the sides flips t, keeps p, swaps wins and losses. */
  cs_paired_test (b, a, 3, &test);
  g_assert_cmpfloat_with_epsilon (test.t, -2 * sqrt (3), 1e-12);
  g_assert_cmpfloat_with_epsilon (test.t_p, 1 - 2 * sqrt (3) / sqrt (14), 1e-12);
  g_assert_cmpuint (test.losses, ==, 3);

  /* Identical: p = 1, every viewer a tie. */
  cs_paired_test (a, a, 3, &test);
  g_assert_cmpfloat (test.t, ==, 0);
  g_assert_cmpfloat (test.t_p, ==, 1);
  g_assert_cmpfloat (test.w_p, ==, 1);
  g_assert_cmpuint (test.ties, ==, 3);

  /* One pair: no t-test. */
  cs_paired_test (a, b, 1, &test);
  g_assert_true (isnan (test.t_p));
}

static void
test_wilcoxon (void)
{
  /* d = 1 2 3 −4 5 6 7 8 (and two zeros, dropped): ranks 1…8, W+ = 36 − 4 =
   * 32, mean 8·9/4 = 18, variance 8·9·17/24 = 51. */
  const double a[] = { 1, 2, 3, 0, 5, 6, 7, 8, 4, 4 };
  const double b[] = { 0, 0, 0, 4, 0, 0, 0, 0, 4, 4 };
  /* d = 1 1 −2 3: |d| ranks 1.5 1.5 3 4, W+ = 7, mean 5,
   * variance 4·5·9/24 − (2³ − 2)/48 = 7.375. */
  const double c[] = { 1, 1, 0, 3 };
  const double z[] = { 0, 0, 2, 0 };
  CsPairedTest test;

  cs_paired_test (a, b, G_N_ELEMENTS (a), &test);
  g_assert_cmpfloat (test.w_plus, ==, 32);
  g_assert_cmpfloat_with_epsilon (test.w_z, 14 / sqrt (51), 1e-12);
  g_assert_cmpfloat_with_epsilon (test.w_p, erfc (14 / sqrt (51) / sqrt (2)), 1e-12);
  g_assert_cmpfloat_with_epsilon (test.w_p, 0.04995, 1e-4);
  g_assert_cmpuint (test.wins, ==, 7);
  g_assert_cmpuint (test.ties, ==, 2);
  g_assert_cmpuint (test.losses, ==, 1);

  cs_paired_test (c, z, 4, &test);
  g_assert_cmpfloat (test.w_plus, ==, 7);
  g_assert_cmpfloat_with_epsilon (test.w_z, 2 / sqrt (7.375), 1e-12);
}

static void
test_holm (void)
{
  /* Sorted 0.005 0.01 0.03 0.04 → ×4 ×3 ×2 ×1 = 0.02 0.03 0.06 0.04, then
   * running maximum: 0.02 0.03 0.06 0.06. */
  const double p[] = { 0.01, 0.04, 0.03, 0.005 };
  const double expected[] = { 0.03, 0.06, 0.06, 0.02 };
  /* NaN is no member of the family; a large p caps at 1. */
  const double q[] = { 0.2, NAN, 0.6 };
  double adjusted[4];

  cs_holm_adjust (p, 4, adjusted);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpfloat_with_epsilon (adjusted[i], expected[i], 1e-12);

  cs_holm_adjust (q, 3, adjusted);
  g_assert_cmpfloat_with_epsilon (adjusted[0], 0.4, 1e-12);
  g_assert_true (isnan (adjusted[1]));
  g_assert_cmpfloat_with_epsilon (adjusted[2], 0.6, 1e-12);
}

static void
test_bootstrap (void)
{
  g_autofree double *x = g_new (double, 1000);
  g_autofree double *y = g_new (double, 1000);
  const double *both[2] = { x, y };
  const double two[] = { 0, 1 };
  const double *two_series[1] = { two };
  double lo[2], hi[2], lo2[2], hi2[2];

  /* Mean of 2 draws from {0, 1}: 0, ½, 1 with probabilities ¼ ½ ¼, so the
   * 2.5 % and 97.5 % quantiles are 0 and 1. */
  cs_bootstrap_mean_ci (two_series, 1, 2, 4000, 0.95, 1, lo, hi);
  g_assert_cmpfloat (lo[0], ==, 0);
  g_assert_cmpfloat (hi[0], ==, 1);

  /* 30 % ones out of 1000: the mean is close to normal with sd
   * √(0.3 · 0.7 / 1000) = 0.01449, so the interval is about 0.3 ± 0.0284.
   * y = x + 1 is resampled with the same draws: its interval is x's + 1. */
  for (guint i = 0; i < 1000; i++)
    {
      x[i] = i % 10 < 3 ? 1 : 0;
      y[i] = x[i] + 1;
    }
  cs_bootstrap_mean_ci (both, 2, 1000, CS_BOOTSTRAP_DEFAULT_RESAMPLES, 0.95, 42, lo, hi);
  g_test_message ("interval [%f, %f]", lo[0], hi[0]);
  g_assert_cmpfloat_with_epsilon (lo[0], 0.3 - 0.0284, 0.006);
  g_assert_cmpfloat_with_epsilon (hi[0], 0.3 + 0.0284, 0.006);
  g_assert_cmpfloat_with_epsilon (lo[1], lo[0] + 1, 1e-12);
  g_assert_cmpfloat_with_epsilon (hi[1], hi[0] + 1, 1e-12);

  /* Same seed, same interval; another seed, another one. */
  cs_bootstrap_mean_ci (both, 2, 1000, CS_BOOTSTRAP_DEFAULT_RESAMPLES, 0.95, 42, lo2, hi2);
  g_assert_cmpfloat (lo2[0], ==, lo[0]);
  g_assert_cmpfloat (hi2[0], ==, hi[0]);
  cs_bootstrap_mean_ci (both, 2, 1000, CS_BOOTSTRAP_DEFAULT_RESAMPLES, 0.95, 43, lo2, hi2);
  g_assert_true (lo2[0] != lo[0] || hi2[0] != hi[0]);

  /* Constant values: a point; no values: NaN. */
  for (guint i = 0; i < 1000; i++)
    x[i] = 0.25;
  cs_bootstrap_mean_ci (both, 1, 1000, 200, 0.95, 0, lo, hi);
  g_assert_cmpfloat_with_epsilon (lo[0], 0.25, 1e-12);
  g_assert_cmpfloat_with_epsilon (hi[0], 0.25, 1e-12);
  cs_bootstrap_mean_ci (both, 1, 0, 200, 0.95, 0, lo, hi);
  g_assert_true (isnan (lo[0]) && isnan (hi[0]));
}

/* Four models over ten viewers plus one that failed (NULL, index 2). The
 * expected values come from SciPy, not from this code: printed by
 * tests/engine/significance-matrix.py (ttest_rel, wilcoxon with the
 * normal approximation, Holm written out over the six pairs). */
static void
test_matrix (void)
{
  static const double a[] = { 4, 2, 7, 0, 6, 3, 5, 1, 8, 4 };
  static const double b[] = { 3, 2, 5, 1, 2, 3, 2, 0, 4, 1 };
  static const double c[] = { 4, 3, 6, 0, 6, 2, 6, 1, 8, 3 };
  static const double d[] = { 1, 0, 2, 0, 1, 0, 3, 0, 2, 1 };
  /* row, column (the script's indices), mean(row − column), t, p, p Holm,
   * Wilcoxon p, Wilcoxon p Holm, wins, losses. */
  static const struct
  {
    guint  r, c;
    double mean_diff, t, t_p, t_p_holm, w_p, w_p_holm;
    guint  wins, losses;
  } expected[] = {
    { 0, 1, 0.21249999999999999, 3.0424049299866573, 0.013963451496507994, 0.053103509858292049, 0.024001453892338206, 0.093909560595952055, 7, 1 },
    { 0, 2, 0.012500000000000001, 0.4285714285714286, 0.67830974180557968, 0.67830974180557968, 0.65472084601857694, 0.65472084601857694, 3, 2 },
    { 0, 3, 0.375, 5.0311529493745271, 0.00070825525793394685, 0.003779839139818446, 0.0073685746263749304, 0.044211447758249582, 9, 0 },
    { 1, 2, -0.20000000000000001, -2.666666666666667, 0.025762791667886788, 0.053103509858292049, 0.031987266918664159, 0.093909560595952055, 2, 8 },
    { 1, 3, 0.16250000000000001, 3.0736305843324927, 0.013275877464573012, 0.053103509858292049, 0.023477390148988014, 0.093909560595952055, 7, 1 },
    { 2, 3, 0.36249999999999999, 5.117647058823529, 0.00062997318996974104, 0.003779839139818446, 0.0074209612878664982, 0.044211447758249582, 9, 0 },
  };
  static const guint engine_index[] = { 0, 1, 3, 4 };
  double eighths[4][10];
  const double *values[5] = { eighths[0], eighths[1], NULL, eighths[2], eighths[3] };
  g_autoptr(CsSignificanceMatrix) m = NULL;

  for (guint i = 0; i < 10; i++)
    {
      eighths[0][i] = a[i] / 8;
      eighths[1][i] = b[i] / 8;
      eighths[2][i] = c[i] / 8;
      eighths[3][i] = d[i] / 8;
    }
  m = cs_significance_matrix_new (values, 5, 10);
  g_assert_cmpuint (m->n_models, ==, 5);
  g_assert_cmpuint (m->n, ==, 10);

  for (guint e = 0; e < G_N_ELEMENTS (expected); e++)
    {
      gsize rc = engine_index[expected[e].r] * 5 + engine_index[expected[e].c];
      gsize cr = engine_index[expected[e].c] * 5 + engine_index[expected[e].r];

      g_assert_cmpfloat_with_epsilon (m->mean_diff[rc], expected[e].mean_diff, 1e-12);
      g_assert_cmpfloat_with_epsilon (m->mean_diff[cr], -expected[e].mean_diff, 1e-12);
      g_assert_cmpfloat_with_epsilon (m->t[rc], expected[e].t, 1e-9);
      g_assert_cmpfloat_with_epsilon (m->t[cr], -expected[e].t, 1e-9);
      g_assert_cmpfloat_with_epsilon (m->t_p[rc], expected[e].t_p, 1e-9);
      g_assert_cmpfloat_with_epsilon (m->t_p_holm[rc], expected[e].t_p_holm, 1e-9);
      g_assert_cmpfloat_with_epsilon (m->w_p[rc], expected[e].w_p, 1e-9);
      g_assert_cmpfloat_with_epsilon (m->w_p_holm[rc], expected[e].w_p_holm, 1e-9);
      g_assert_cmpfloat (m->t_p_holm[cr], ==, m->t_p_holm[rc]);
      g_assert_cmpfloat (m->w_p_holm[cr], ==, m->w_p_holm[rc]);
      g_assert_cmpuint (m->wins[rc], ==, expected[e].wins);
      g_assert_cmpuint (m->wins[cr], ==, expected[e].losses);
    }

  /* The diagonal and the failed model are empty, and that model is not in
   * Holm's family (six pairs, not ten: checked through the values above). */
  for (guint i = 0; i < 5; i++)
    {
      g_assert_true (isnan (m->t_p[i * 5 + i]));
      g_assert_true (isnan (m->t_p_holm[i * 5 + 2]));
      g_assert_true (isnan (m->w_p_holm[2 * 5 + i]));
      g_assert_cmpuint (m->wins[2 * 5 + i], ==, 0);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/significance/incomplete-beta", test_incomplete_beta);
  g_test_add_func ("/engine/significance/student-t", test_student_t);
  g_test_add_func ("/engine/significance/paired-t", test_paired_t);
  g_test_add_func ("/engine/significance/wilcoxon", test_wilcoxon);
  g_test_add_func ("/engine/significance/holm", test_holm);
  g_test_add_func ("/engine/significance/bootstrap", test_bootstrap);
  g_test_add_func ("/engine/significance/matrix", test_matrix);

  return g_test_run ();
}
