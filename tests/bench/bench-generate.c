/* bench-generate.c: seconds per training step of Clipscope's DCGAN and VAE
 * against the same architectures in PyTorch on the CPU, in the same run.
 *
 * For each of DCGAN 64×64, DCGAN 32×32 and VAE 64×64 at batch 64 (random
 * frames: the time of a step does not depend on the pixels), the mean time
 * of STEPS steps after two warm-up steps, then bench-generate.py does the
 * same in PyTorch with torch.set_num_threads(2) and OPENBLAS_NUM_THREADS=1
 * (PyTorch at its best on a 2-core machine, issue 8). Prints a table and the
 * ratio ours / PyTorch's (lower is better).
 *
 *   bench-generate [STEPS] [--ours-only]    (default 5 steps)
 *
 * CS_NN_SPLITS=1 measures the other way to use the cores (one SGEMM per
 * layer, threaded by OpenBLAS) against the default batch split.
 *
 * Figures go in docs/BENCHMARKS.md, "Generate".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>

#include "cs-gen-model.h"

#define BATCH 64

static const struct
{
  const char *name;
  CsGenKind   kind;
  int         size;
} cases[] = {
  { "dcgan64", CS_GEN_DCGAN, 64 },
  { "dcgan32", CS_GEN_DCGAN, 32 },
  { "vae64",   CS_GEN_VAE,   64 },
};

static double
ours (CsGenKind kind, int size, int steps)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CsGenModel) model = cs_gen_model_new (kind, size, BATCH, 0, 1, &error);
  gsize d = (gsize) 3 * size * size;
  g_autofree float *frames = g_new (float, d * BATCH);
  CsNnRng rng;
  CsGenLosses losses;
  gint64 start;

  g_assert_no_error (error);
  cs_nn_rng_init (&rng, 2);
  for (gsize i = 0; i < d * BATCH; i++)
    frames[i] = 2 * cs_nn_rng_uniform (&rng) - 1;
  for (int i = 0; i < 2; i++)
    cs_gen_model_step (model, frames, NULL, BATCH, &losses, NULL);
  start = g_get_monotonic_time ();
  for (int i = 0; i < steps; i++)
    cs_gen_model_step (model, frames, NULL, BATCH, &losses, NULL);
  return (g_get_monotonic_time () - start) / 1e6 / steps;
}

int
main (int    argc,
      char **argv)
{
  int steps = argc > 1 ? atoi (argv[1]) : 5;
  gboolean ours_only = argc > 2 && g_str_equal (argv[2], "--ours-only");
  double mine[G_N_ELEMENTS (cases)];
  g_autofree char *script = g_build_filename (CS_SOURCE_DIR, "tests", "bench", "bench-generate.py", NULL);
  g_autofree char *steps_arg = g_strdup_printf ("%d", MAX (steps, 1));
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "OPENBLAS_NUM_THREADS", "1", TRUE);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *torch = NULL;
  const char *argv_py[3 + G_N_ELEMENTS (cases) + 1] = { "/usr/bin/python3", script, steps_arg };
  int status = 0;

  steps = MAX (steps, 1);
  /* The machine may be shared: the load says how much to trust a figure. */
  {
    g_autofree char *load = NULL;

    if (g_file_get_contents ("/proc/loadavg", &load, NULL, NULL))
      printf ("Load average before: %s", load);
  }
  printf ("Training step, batch %d, %d steps after 2 warm-up steps; %u cores, CS_NN_SPLITS=%d\n\n",
          BATCH, steps, g_get_num_processors (), cs_nn_get_splits ());
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      mine[c] = ours (cases[c].kind, cases[c].size, steps);
      argv_py[3 + c] = cases[c].name;
    }

  if (ours_only)
    ;
  else if (!g_spawn_sync (NULL, (char **) argv_py, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error) ||
      !g_spawn_check_wait_status (status, &error) ||
      !json_parser_load_from_data (parser, out, -1, &error))
    {
      fprintf (stderr, "bench-generate: PyTorch run failed (install python3-torch): %s\n%s",
               error ? error->message : "", err ? err : "");
    }
  else
    torch = json_node_get_object (json_parser_get_root (parser));

  printf ("%-10s %14s %14s %8s\n", "model", "Clipscope s", "PyTorch s", "ratio");
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      double t = torch ? json_object_get_double_member_with_default (torch, cases[c].name, -1) : -1;

      if (t > 0)
        printf ("%-10s %14.3f %14.3f %8.2f\n", cases[c].name, mine[c], t, mine[c] / t);
      else
        printf ("%-10s %14.3f %14s %8s\n", cases[c].name, mine[c], "—", "—");
    }
  return 0;
}
