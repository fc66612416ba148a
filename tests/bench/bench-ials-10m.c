/* bench-ials-10m.c: iALS and full-ranking evaluation at the scale of issue 6.
 *
 * The goal (DESIGN §1 "Recommend", issue 6): a simulated log of 10 M events,
 * 100 k viewers and 20 k clips; iALS with 64 factors and 10 iterations fits in
 * under 60 s on 2 cores, the full-ranking evaluation of every test viewer
 * takes under 30 s, and the process peaks under 2 GB.
 *
 * The log is built in memory (no SQLite: the goal is the model and the
 * evaluation, and bench-audience already measures reading such a log):
 *   - viewer activity is log-normal (σ = 1.2), so a few viewers have
 *     thousands of events and many have a handful;
 *   - clip popularity is Zipf (exponent 1) over a seeded random order of the
 *     clips, as in real logs;
 *   - each viewer has one of 64 tastes; 60 % of their events pick a clip by
 *     Zipf among the clips of that taste, the rest from the whole catalogue
 *     (something for a factor model to learn);
 *   - times are uniform over 90 days.
 * Repeated (viewer, clip) events collapse into one pair, as the engine does.
 *
 * Then, exactly as cs_evaluator_run does after reading the store: the
 * temporal 80/20 split (cs_protocol_split), the fit (cs_recommender_fit), and
 * the evaluation: every test viewer ranked over all unseen clips into a
 * CsMetricsAccumulator at K = 10, 20 by the evaluator's own scoring step
 * (cs_evaluator_score_split), then the 95 % bootstrap intervals of all 14
 * per-viewer series (1000 resamples). A Popularity
 * baseline goes through the same path, and the paired tests of iALS against
 * it and the pairwise significance matrix are timed too.
 *
 *   bench-ials-10m [--events N] [--viewers N] [--clips N] [--factors F]
 *                  [--iters N] [--seed S] [--numpy]
 *
 * --numpy also fits the same iALS (same CG steps, same data) in NumPy/SciPy
 * (Debian's python3-numpy and python3-scipy) and prints the ratio of fit
 * times. Seeded: the same arguments print the same metrics on every run.
 * Figures go in docs/BENCHMARKS.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "clipscope-engine.h"

#define N_TASTES 64
#define DAYS 90

static gint64 n_events = 10000000;
static gint n_viewers = 100000;
static gint n_clips = 20000;
static gint n_factors = 64;
static gint n_iters = 10;
static gint seed = 1;
static gboolean numpy_peer = FALSE;

static const GOptionEntry entries[] = {
  { "events", 0, 0, G_OPTION_ARG_INT64, &n_events, "Events in the simulated log", "N" },
  { "viewers", 0, 0, G_OPTION_ARG_INT, &n_viewers, "Viewers", "N" },
  { "clips", 0, 0, G_OPTION_ARG_INT, &n_clips, "Clips", "N" },
  { "factors", 0, 0, G_OPTION_ARG_INT, &n_factors, "iALS factors", "F" },
  { "iters", 0, 0, G_OPTION_ARG_INT, &n_iters, "iALS iterations", "N" },
  { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Seed of the log and of the model", "S" },
  { "numpy", 0, 0, G_OPTION_ARG_NONE, &numpy_peer, "Also fit the same iALS in NumPy", NULL },
  { NULL }
};

static double
now_s (void)
{
  return g_get_monotonic_time () / (double) G_USEC_PER_SEC;
}

static double
peak_rss_mb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

static double
cpu_s (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

/* Cumulative distribution of weights (rank + 1)^−s, for sampling by rank. */
static double *
zipf_cdf (gint   n,
          double s)
{
  double *cdf = g_new (double, n);
  double sum = 0;

  for (gint r = 0; r < n; r++)
    cdf[r] = sum += pow (r + 1, -s);
  for (gint r = 0; r < n; r++)
    cdf[r] /= sum;
  return cdf;
}

/* First index with cdf[i] ≥ u. */
static gint
sample_cdf (const double *cdf,
            gint          n,
            double        u)
{
  gint lo = 0, hi = n - 1;

  while (lo < hi)
    {
      gint mid = (lo + hi) / 2;

      if (cdf[mid] < u)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static int
compare_u64 (const void *a,
             const void *b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return (x > y) - (x < y);
}

/* The simulated log, collapsed to pairs as cs_interactions_load() does. */
static CsInteractions *
simulate (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) seed);
  g_autofree double *viewer_cdf = g_new (double, n_viewers);
  g_autofree double *clip_cdf = zipf_cdf (n_clips, 1.0);
  gint per_taste = n_clips / N_TASTES;
  g_autofree double *taste_cdf = zipf_cdf (per_taste, 1.0);
  g_autofree gint32 *clip_of_rank = g_new (gint32, n_clips);
  g_autofree guint64 *keys = g_new (guint64, n_events);
  g_autofree gint32 *viewer_index = g_new (gint32, n_viewers);
  g_autofree gint32 *clip_index = g_new (gint32, n_clips);
  CsInteractions *ia = g_new0 (CsInteractions, 1);
  double sum = 0;
  gsize n = 0;

  /* Log-normal activity. */
  for (gint v = 0; v < n_viewers; v++)
    {
      double u1 = 1.0 - g_rand_double (rand), u2 = g_rand_double (rand);

      viewer_cdf[v] = sum += exp (1.2 * sqrt (-2 * log (u1)) * cos (2 * G_PI * u2));
    }
  for (gint v = 0; v < n_viewers; v++)
    viewer_cdf[v] /= sum;
  /* A seeded random order of popularity. */
  for (gint c = 0; c < n_clips; c++)
    clip_of_rank[c] = c;
  for (gint c = n_clips - 1; c > 0; c--)
    {
      gint j = g_rand_int_range (rand, 0, c + 1);
      gint32 t = clip_of_rank[c];

      clip_of_rank[c] = clip_of_rank[j];
      clip_of_rank[j] = t;
    }

  for (gint64 e = 0; e < n_events; e++)
    {
      gint v = sample_cdf (viewer_cdf, n_viewers, g_rand_double (rand));
      gint rank;
      guint64 time = (guint64) g_rand_int_range (rand, 0, DAYS * 86400);

      if (g_rand_double (rand) < 0.6)
        rank = (gint) ((guint) v * 2654435761u % N_TASTES) +
               N_TASTES * sample_cdf (taste_cdf, per_taste, g_rand_double (rand));
      else
        rank = sample_cdf (clip_cdf, n_clips, g_rand_double (rand));
      keys[e] = (((guint64) v * (guint64) n_clips + (guint64) clip_of_rank[rank]) << 32) | time;
    }
  /* Sorted by (viewer, clip, time): the first of each pair is its earliest time. */
  qsort (keys, n_events, sizeof (guint64), compare_u64);

  memset (viewer_index, 0xff, sizeof (gint32) * n_viewers);
  memset (clip_index, 0xff, sizeof (gint32) * n_clips);
  for (gint64 e = 0; e < n_events; e++)
    if (e == 0 || keys[e] >> 32 != keys[e - 1] >> 32)
      {
        guint64 pair = keys[e] >> 32;

        viewer_index[pair / n_clips] = 0;
        clip_index[pair % n_clips] = 0;
        keys[n++] = keys[e];
      }

  /* Only viewers and clips with a pair get an index, in id order. */
  ia->viewer_ids = g_new0 (char *, n_viewers + 1);
  ia->clip_ids = g_new0 (char *, n_clips + 1);
  for (gint v = 0; v < n_viewers; v++)
    if (viewer_index[v] == 0)
      {
        viewer_index[v] = ia->n_viewers;
        ia->viewer_ids[ia->n_viewers++] = g_strdup_printf ("%d", v);
      }
  for (gint c = 0; c < n_clips; c++)
    if (clip_index[c] == 0)
      {
        clip_index[c] = ia->n_clips;
        ia->clip_ids[ia->n_clips++] = g_strdup_printf ("%d", c);
      }
  ia->rule = g_strdup (CS_POSITIVES_DEFAULT);
  ia->viewers_numeric = ia->clips_numeric = TRUE;
  ia->viewer_rowids = g_new0 (gint64, ia->n_viewers);
  ia->clip_rowids = g_new0 (gint64, ia->n_clips);
  ia->n_pairs = n;
  ia->viewer = g_new (gint32, n);
  ia->clip = g_new (gint32, n);
  ia->time = g_new (gint64, n);
  for (gsize p = 0; p < n; p++)
    {
      guint64 pair = keys[p] >> 32;

      ia->viewer[p] = viewer_index[pair / n_clips];
      ia->clip[p] = clip_index[pair % n_clips];
      ia->time[p] = (gint64) (keys[p] & 0xffffffffu);
    }
  return ia;
}

static const guint ks[] = { 10, 20 };

/* Ranks every test viewer as the evaluator does; returns the accumulator,
 * *seconds the wall time. */
static CsMetricsAccumulator *
evaluate (CsRecommender *model,
          const CsSplit *split,
          double        *seconds)
{
  CsMetricsAccumulator *acc = cs_metrics_accumulator_new (ks, G_N_ELEMENTS (ks), split->train,
                                                          split->n_test_viewers);
  double t0 = now_s ();

  cs_evaluator_score_split (model, split, acc, NULL);
  *seconds = now_s () - t0;
  return acc;
}

/* The 14 per-viewer series (7 metrics × 2 K) as the evaluator copies them. */
static double *
per_viewer (CsMetricsAccumulator *acc,
            gint32                n_slots,
            const double        **series)
{
  double *values = g_new (double, (gsize) G_N_ELEMENTS (ks) * CS_N_METRICS * n_slots);
  guint n = 0;

  for (guint ki = 0; ki < G_N_ELEMENTS (ks); ki++)
    for (guint metric = 0; metric < CS_N_METRICS; metric++)
      if (metric != CS_METRIC_COVERAGE)
        {
          gint32 len = 0;
          const double *v = cs_metrics_accumulator_get_values (acc, metric, ki, &len);

          memcpy (&values[(gsize) n * n_slots], v, sizeof (double) * n_slots);
          series[n] = &values[(gsize) n * n_slots];
          n++;
        }
  return values;
}

static void
print_metrics (const char           *name,
               CsMetricsAccumulator *acc)
{
  g_print ("%-12s", name);
  for (guint ki = 0; ki < G_N_ELEMENTS (ks); ki++)
    for (guint metric = 0; metric < CS_N_METRICS; metric++)
      g_print (" %s@%u=%.6f", cs_metric_get_name (metric), ks[ki],
               cs_metrics_accumulator_get_mean (acc, metric, ki));
  g_print ("\n");
}

/* The same iALS (G = YᵀY + reg·I, CG from the current factors, cg_steps
 * steps, confidence 1 + α) for all rows at once: SciPy sparse products for
 * the Σ (c − 1)(yᵀv) y terms. Starting factors differ (NumPy's generator),
 * so only the time is compared. Prints the fit seconds. */
static const char numpy_script[] =
  "import sys, time\n"
  "import numpy as np, scipy.sparse as sp\n"
  "d = sys.argv[1]\n"
  "f, iters, steps, reg, alpha = int(sys.argv[2]), int(sys.argv[3]), 3, 0.01, 1.0\n"
  "rp = np.fromfile(d + '/row_ptr', dtype=np.int32)\n"
  "ci = np.fromfile(d + '/col_idx', dtype=np.int32)\n"
  "nc = int(sys.argv[4])\n"
  "X = sp.csr_matrix((np.ones(len(ci), np.float32), ci, rp), shape=(len(rp) - 1, nc))\n"
  "XT = X.T.tocsr()\n"
  "rng = np.random.default_rng(0)\n"
  "U = (rng.standard_normal((X.shape[0], f)) * 0.01).astype(np.float32)\n"
  "V = (rng.standard_normal((nc, f)) * 0.01).astype(np.float32)\n"
  "def solve(M, S, F):\n"
  "    G = F.T @ F + reg * np.eye(f, dtype=np.float32)\n"
  "    rows = np.repeat(np.arange(M.shape[0]), np.diff(M.indptr))\n"
  "    def A(P):\n"
  "        w = alpha * M.data * np.einsum('ij,ij->i', F[M.indices], P[rows])\n"
  "        return P @ G + sp.csr_matrix((w, M.indices, M.indptr), shape=M.shape) @ F\n"
  "    b = (1 + alpha) * (M @ F)\n"
  "    R = b - A(S)\n"
  "    P = R.copy()\n"
  "    rs = np.einsum('ij,ij->i', R, R)\n"
  "    for _ in range(steps):\n"
  "        AP = A(P)\n"
  "        a = rs / np.maximum(np.einsum('ij,ij->i', P, AP), 1e-30)\n"
  "        S += a[:, None] * P\n"
  "        R -= a[:, None] * AP\n"
  "        rn = np.einsum('ij,ij->i', R, R)\n"
  "        P = R + (rn / np.maximum(rs, 1e-30))[:, None] * P\n"
  "        rs = rn\n"
  "t = time.perf_counter()\n"
  "for _ in range(iters):\n"
  "    solve(X, U, V)\n"
  "    solve(XT, V, U)\n"
  "print(time.perf_counter() - t)\n";

static double
numpy_fit (const CsCsr *train)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-ials-XXXXXX", &error);
  g_autofree char *rp = NULL, *ci = NULL, *out = NULL, *err = NULL;
  g_autofree char *f = g_strdup_printf ("%d", n_factors);
  g_autofree char *it = g_strdup_printf ("%d", n_iters);
  g_autofree char *nc = g_strdup_printf ("%d", train->n_cols);
  int status = 0;
  double seconds = NAN;

  if (dir == NULL)
    return NAN;
  rp = g_build_filename (dir, "row_ptr", NULL);
  ci = g_build_filename (dir, "col_idx", NULL);
  if (g_file_set_contents (rp, (const char *) train->row_ptr, sizeof (gint32) * (train->n_rows + 1), &error) &&
      g_file_set_contents (ci, (const char *) train->col_idx, sizeof (gint32) * cs_csr_get_nnz (train), &error))
    {
      /* Debian's python3 has NumPy and SciPy; one first on PATH may not. */
      const char *python = g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE)
                           ? "/usr/bin/python3" : "python3";
      const char *argv[] = { python, "-c", numpy_script, dir, f, it, nc, NULL };

      if (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                        &status, &error) && g_spawn_check_wait_status (status, &error))
        seconds = g_ascii_strtod (out, NULL);
      else
        g_printerr ("bench-ials-10m: NumPy run failed: %s\n%s", error->message, err ? err : "");
    }
  else
    g_printerr ("bench-ials-10m: %s\n", error->message);
  g_remove (rp);
  g_remove (ci);
  g_rmdir (dir);
  return seconds;
}

static void
fit_progress (double      fraction,
              const char *message,
              gpointer    user_data)
{
  double *t0 = user_data;

  g_printerr ("  iALS %3.0f %%  %6.2f s\n", fraction * 100, now_s () - *t0);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- iALS and evaluation at 10 M events");
  g_autoptr(GError) error = NULL;
  g_autoptr(CsInteractions) ia = NULL;
  g_autoptr(CsProtocol) protocol = NULL;
  g_autoptr(CsSplit) split = NULL;
  g_autoptr(CsRecommender) ials = NULL;
  g_autoptr(CsRecommender) pop = NULL;
  g_autoptr(CsMetricsAccumulator) acc_ials = NULL;
  g_autoptr(CsMetricsAccumulator) acc_pop = NULL;
  g_autofree double *values_ials = NULL;
  g_autofree double *values_pop = NULL;
  const double *series_ials[G_N_ELEMENTS (ks) * (CS_N_METRICS - 1)];
  const double *series_pop[G_N_ELEMENTS (ks) * (CS_N_METRICS - 1)];
  double lo[G_N_ELEMENTS (series_ials)], hi[G_N_ELEMENTS (series_ials)];
  double t0, c0, t_sim, t_split, t_fit, c_fit, t_rank, c_rank, t_rank_pop, t_boot, c_boot, t_tests, rss_log;
  CsPairedTest test;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-ials-10m: %s\n", error->message);
      return 2;
    }
  if (n_events < 1 || n_viewers < 1 || n_clips < N_TASTES || n_factors < 1 || n_iters < 1 ||
      (gint64) n_viewers * n_clips >= G_MAXINT32)
    {
      g_printerr ("bench-ials-10m: give positive sizes, at least %d clips, "
                  "and viewers × clips below 2³¹\n", N_TASTES);
      return 2;
    }

  t0 = now_s ();
  ia = simulate ();
  t_sim = now_s () - t0;
  rss_log = peak_rss_mb ();

  t0 = now_s ();
  protocol = cs_protocol_parse ("temporal", &error);
  split = cs_protocol_split (protocol, ia, 0, NULL, &error);
  if (split == NULL)
    {
      g_printerr ("bench-ials-10m: %s\n", error->message);
      return 1;
    }
  t_split = now_s () - t0;

  ials = cs_ials_new ((guint) n_factors, (guint) n_iters, (guint) seed);
  t0 = now_s ();
  c0 = cpu_s ();
  if (!cs_recommender_fit (ials, split->train, fit_progress, &t0, NULL, &error))
    {
      g_printerr ("bench-ials-10m: %s\n", error->message);
      return 1;
    }
  t_fit = now_s () - t0;
  c_fit = cpu_s () - c0;

  c0 = cpu_s ();
  acc_ials = evaluate (ials, split, &t_rank);
  c_rank = cpu_s () - c0;

  pop = cs_recommender_new_from_spec ("pop", &error);
  if (!cs_recommender_fit (pop, split->train, NULL, NULL, NULL, &error))
    {
      g_printerr ("bench-ials-10m: %s\n", error->message);
      return 1;
    }
  acc_pop = evaluate (pop, split, &t_rank_pop);

  t0 = now_s ();
  c0 = cpu_s ();
  values_ials = per_viewer (acc_ials, split->n_test_viewers, series_ials);
  values_pop = per_viewer (acc_pop, split->n_test_viewers, series_pop);
  cs_bootstrap_mean_ci (series_ials, G_N_ELEMENTS (series_ials), split->n_test_viewers,
                        CS_BOOTSTRAP_DEFAULT_RESAMPLES, CS_BOOTSTRAP_DEFAULT_LEVEL, (guint32) seed, lo, hi);
  t_boot = now_s () - t0;
  c_boot = cpu_s () - c0;

  t0 = now_s ();
  for (guint s = G_N_ELEMENTS (series_ials); s-- > 0;)
    cs_paired_test (series_ials[s], series_pop[s], split->n_test_viewers, &test);
  t_tests = now_s () - t0;

  g_print ("log: %" G_GINT64_FORMAT " events -> %" G_GSIZE_FORMAT " pairs, %d viewers, %d clips "
           "(simulated in %.2f s, peak RSS %.0f MB)\n",
           n_events, ia->n_pairs, ia->n_viewers, ia->n_clips, t_sim, rss_log);
  g_print ("temporal 80/20: %" G_GINT64_FORMAT " train pairs, %" G_GINT64_FORMAT " test pairs, "
           "%d test viewers (split in %.2f s)\n",
           split->train_pairs, split->test_pairs, split->n_test_viewers, t_split);
  print_metrics ("iALS", acc_ials);
  print_metrics ("Popularity", acc_pop);
  g_print ("ndcg@10 of iALS: 95 %% interval [%.6f, %.6f]; vs Popularity: t = %.3f, p = %.3g, Wilcoxon p = %.3g\n",
           lo[0], hi[0], test.t, test.t_p, test.w_p);
  /* CPU time beside wall time: on a shared machine the wall time says how
   * busy the others were; CPU time / threads is what an idle machine gives. */
  g_print ("\n%-52s %9s %9s %9s\n", "step", "wall s", "CPU s", "goal s");
  {
    g_autofree char *fit = g_strdup_printf ("iALS fit (%d factors, %d iterations, 3 CG steps)", n_factors, n_iters);

    g_print ("%-52s %9.2f %9.2f %9s\n", fit, t_fit, c_fit, "60");
  }
  g_print ("%-52s %9.2f %9.2f\n", "iALS ranking + metrics, all test viewers, K = 10, 20", t_rank, c_rank);
  g_print ("%-52s %9.2f %9.2f\n", "bootstrap intervals, 14 series x 1000 resamples", t_boot, c_boot);
  g_print ("%-52s %9.2f %9.2f %9s\n", "iALS evaluation (ranking + metrics + intervals)", t_rank + t_boot,
           c_rank + c_boot, "30");
  g_print ("%-52s %9.2f\n", "Popularity ranking + metrics (same path)", t_rank_pop);
  g_print ("%-52s %9.2f\n", "paired t + Wilcoxon, 14 series", t_tests);
  g_print ("%-52s %9.0f %9s\n", "peak RSS, MB (whole process, log included)", peak_rss_mb (), "2048");
  g_print ("threads: %u\n", cs_parallel_get_n_workers (split->n_test_viewers, 1));

  if (numpy_peer)
    {
      double peer = numpy_fit (split->train);

      g_print ("\n%-52s %9.2f\n", "NumPy/SciPy iALS fit, same data and steps", peer);
      g_print ("%-52s %9.2f\n", "ratio ours / NumPy (lower is better)", t_fit / peer);
    }
  return 0;
}
