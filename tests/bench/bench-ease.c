/* bench-ease.c: EASE's fit against NumPy, and every model on MovieLens-100K.
 *
 * 1. EASE (λ = 500) fitted on all of ml-100k (943 viewers × 1682 clips, every
 *    rating a positive), against a NumPy implementation of the same formula
 *    (XᵀX, np.linalg.inv, B = I − P·diag(1/diag P), zero diagonal) run in
 *    the same process tree on the same file: median of 5 fits each, and the
 *    ratio ours / NumPy (lower is better; the aim is ≤ 1.0).
 * 2. Fit and full-ranking evaluation time of each model under the temporal
 *    and leave-last-out protocols (cs_evaluator_run, K = 10, 20), and the
 *    process's peak resident memory.
 *
 *   bench-ease [ML-100K.inter]   (default: $CS_SHARED_DATA/interactions/ml-100k/ml-100k.inter)
 *
 * NumPy comes from Debian's python3-numpy: /usr/bin/python3, or python3 on
 * PATH when that one has NumPy. Figures go in docs/BENCHMARKS.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "clipscope-engine.h"

#define REPEATS 5
#define LAMBDA 500.0
#define MODELS "pop;itemknn:k=100;userknn:k=50;ease:lambda=500;" \
               "ials:factors=64,iters=10,reg=0.01,alpha=1;bpr:factors=64,epochs=30,lr=0.05,reg=0.01"

/* The same steps as the engine, in NumPy; prints the median fit seconds. */
static const char numpy_script[] =
  "import sys, time\n"
  "import numpy as np\n"
  "users, items = {}, {}\n"
  "rows, cols = [], []\n"
  "with open(sys.argv[1]) as f:\n"
  "    f.readline()\n"
  "    for line in f:\n"
  "        u, i = line.split('\\t')[:2]\n"
  "        rows.append(users.setdefault(u, len(users)))\n"
  "        cols.append(items.setdefault(i, len(items)))\n"
  "X = np.zeros((len(users), len(items)))\n"
  "X[rows, cols] = 1.0\n"
  "lam = float(sys.argv[2])\n"
  "times = []\n"
  "for _ in range(int(sys.argv[3])):\n"
  "    t = time.perf_counter()\n"
  "    G = X.T @ X\n"
  "    G[np.diag_indices_from(G)] += lam\n"
  "    P = np.linalg.inv(G)\n"
  "    B = P / (-np.diag(P))\n"
  "    B[np.diag_indices_from(B)] = 0.0\n"
  "    times.append(time.perf_counter() - t)\n"
  "print(sorted(times)[len(times) // 2])\n";

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* ml-100k's .inter: a header, then user, item, rating, time separated by tabs. */
static CsCsr *
read_matrix (const char  *path,
             GError     **error)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) cols = g_array_new (FALSE, FALSE, sizeof (gint32));
  CsCsr *m;

  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  for (guint n = 1; lines[n]; n++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[n], "\t", 3);
      gpointer u, i;

      if (g_strv_length (cells) < 2)
        continue;
      if (!g_hash_table_lookup_extended (users, cells[0], NULL, &u))
        {
          u = GINT_TO_POINTER (g_hash_table_size (users));
          g_hash_table_insert (users, g_strdup (cells[0]), u);
        }
      if (!g_hash_table_lookup_extended (items, cells[1], NULL, &i))
        {
          i = GINT_TO_POINTER (g_hash_table_size (items));
          g_hash_table_insert (items, g_strdup (cells[1]), i);
        }
      {
        gint32 r = GPOINTER_TO_INT (u), c = GPOINTER_TO_INT (i);

        g_array_append_val (rows, r);
        g_array_append_val (cols, c);
      }
    }
  m = cs_csr_new_from_pairs ((gint32) g_hash_table_size (users), (gint32) g_hash_table_size (items),
                             (gint32 *) (void *) rows->data, (gint32 *) (void *) cols->data,
                             NULL, rows->len);
  /* Ratings of a pair were summed: back to binary. */
  for (gint32 a = 0; a < cs_csr_get_nnz (m); a++)
    m->values[a] = 1.0f;
  return m;
}

static const char *
numpy_python (void)
{
  static const char *candidates[] = { "python3", "/usr/bin/python3" };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      const char *argv[] = { candidates[i], "-c", "import numpy", NULL };
      int status = 0;

      if (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                        G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL) &&
          g_spawn_check_wait_status (status, NULL))
        return candidates[i];
    }
  return NULL;
}

static int
bench_fit (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CsCsr) x = read_matrix (path, &error);
  double ours[REPEATS];
  const char *python = numpy_python ();
  g_autofree char *out = NULL;
  g_autofree char *repeats = g_strdup_printf ("%d", REPEATS);
  g_autofree char *lambda = g_strdup_printf ("%g", LAMBDA);
  double peer;
  int status = 0;

  if (x == NULL)
    {
      g_printerr ("bench-ease: %s\n", error->message);
      return 1;
    }
  for (int r = 0; r < REPEATS; r++)
    {
      g_autoptr(CsRecommender) ease = cs_ease_new (LAMBDA);
      gint64 t0 = g_get_monotonic_time ();

      if (!cs_recommender_fit (ease, x, NULL, NULL, NULL, &error))
        {
          g_printerr ("bench-ease: %s\n", error->message);
          return 1;
        }
      ours[r] = (g_get_monotonic_time () - t0) / 1e6;
    }
  qsort (ours, REPEATS, sizeof (double), compare_doubles);

  if (python == NULL)
    {
      g_printerr ("bench-ease: no python3 with NumPy; install python3-numpy (build-aux/install-deps.sh)\n");
      return 1;
    }
  {
    const char *argv[] = { python, "-c", numpy_script, path, lambda, repeats, NULL };

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL,
                       &status, &error) ||
        !g_spawn_check_wait_status (status, &error))
      {
        g_printerr ("bench-ease: NumPy run failed: %s\n", error->message);
        return 1;
      }
  }
  peer = g_ascii_strtod (out, NULL);
  printf ("EASE fit, ml-100k (%d viewers × %d clips, %d pairs, λ = %g), median of %d:\n",
          x->n_rows, x->n_cols, cs_csr_get_nnz (x), LAMBDA, REPEATS);
  printf ("  clipscope (sparse XᵀX, dpotrf + dpotri)  %8.3f s\n", ours[REPEATS / 2]);
  printf ("  NumPy (X.T @ X, np.linalg.inv)            %8.3f s\n", peer);
  printf ("  ratio clipscope / NumPy                   %8.2f\n", ours[REPEATS / 2] / peer);
  return 0;
}

static int
bench_models (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("bench-ease-XXXXXX", &error);
  g_autofree char *project_path = NULL;
  g_autoptr(CsProject) project = NULL;
  g_autoptr(CsStore) store = NULL;
  g_autoptr(CsImportReport) report = NULL;
  static const char * const protocols[] = { "temporal", "leave-last-out" };
  struct rusage usage;

  if (tmp == NULL)
    {
      g_printerr ("bench-ease: %s\n", error->message);
      return 1;
    }
  project_path = g_build_filename (tmp, "ml100k.clipscope", NULL);
  project = cs_project_open (project_path, CS_STORE_CREATE, &error);
  if (project != NULL)
    store = cs_project_open_store (project, &error);
  if (store != NULL)
    report = cs_event_import_run (store, path, NULL, NULL, NULL, NULL, &error);
  if (report == NULL)
    {
      g_printerr ("bench-ease: %s\n", error->message);
      return 1;
    }

  for (guint p = 0; p < G_N_ELEMENTS (protocols); p++)
    {
      static const guint ks[] = { 10, 20 };
      CsEvalRequest request = { 0 };
      g_autoptr(CsEvalResult) result = NULL;
      gint64 t0 = g_get_monotonic_time ();

      request.protocol = (char *) protocols[p];
      request.models = (char *) MODELS;
      request.ks = (guint *) ks;
      request.n_ks = G_N_ELEMENTS (ks);
      result = cs_evaluator_run (store, &request, NULL, NULL, NULL, &error);
      if (result == NULL)
        {
          g_printerr ("bench-ease: %s\n", error->message);
          return 1;
        }
      printf ("\n%s: %" G_GINT64_FORMAT " train pairs, %" G_GINT64_FORMAT " test viewers; "
              "whole comparison %.2f s (with intervals and tests)\n",
              protocols[p], result->train_pairs, result->test_viewers,
              (g_get_monotonic_time () - t0) / 1e6);
      printf ("  %-70s %8s %8s %8s\n", "model", "fit s", "score s", "ndcg@10");
      for (guint m = 0; m < result->models->len; m++)
        {
          const CsEvalModelResult *model = g_ptr_array_index (result->models, m);

          printf ("  %-70s %8.3f %8.3f %8.4f\n", model->label, model->fit_s, model->score_s,
                  cs_eval_model_result_get (model, "ndcg@10"));
        }
    }

  getrusage (RUSAGE_SELF, &usage);
  printf ("\npeak resident memory %.0f MB\n", usage.ru_maxrss / 1024.0);

  g_clear_object (&store);
  g_clear_object (&project);
  {
    g_autoptr(GFile) dir = g_file_new_for_path (tmp);
    g_autoptr(GFileEnumerator) e = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                              G_FILE_QUERY_INFO_NONE, NULL, NULL);
    GFileInfo *info;

    while (e && (info = g_file_enumerator_next_file (e, NULL, NULL)) != NULL)
      {
        g_autofree char *child = g_build_filename (tmp, g_file_info_get_name (info), NULL);

        g_remove (child);
        g_object_unref (info);
      }
    g_rmdir (tmp);
  }
  return 0;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *path = NULL;

  if (argc > 1)
    path = g_strdup (argv[1]);
  else if (g_getenv ("CS_SHARED_DATA") != NULL)
    path = g_build_filename (g_getenv ("CS_SHARED_DATA"), "interactions", "ml-100k", "ml-100k.inter", NULL);
  else
    {
      g_printerr ("bench-ease: give ml-100k.inter or set CS_SHARED_DATA\n");
      return 1;
    }
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_printerr ("bench-ease: %s is missing\n", path);
      return 1;
    }

  if (bench_fit (path) != 0)
    return 1;
  return bench_models (path);
}
