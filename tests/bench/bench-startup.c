/* bench-startup: time from launch to the first frame of the window showing
 * the demo project (a program, not a test; see docs/BENCHMARKS.md).
 *
 * Each run starts build/app/clipscope --demo with CS_BENCH_STARTUP set to the
 * launch time (CLOCK_MONOTONIC, shared between processes); the window prints
 * "first-frame-ms N" after its first painted frame that shows the project
 * and closes. Needs a display (make bench uses Xvfb when there is none).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clipscope-engine.h"

#define RUNS 7

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
launch_once (const char  *app,
             char       **envp)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = g_strdupv (envp);
  const char *argv[] = { app, "--demo", NULL };
  g_autofree char *t0 = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_monotonic_time ());
  const char *line;
  int status;

  env = g_environ_setenv (env, "CS_BENCH_STARTUP", t0, TRUE);
  if (!g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL,
                     &out, &err, &status, &error))
    g_error ("cannot start %s: %s", app, error->message);
  line = out ? strstr (out, "first-frame-ms ") : NULL;
  if (line == NULL)
    g_error ("clipscope did not report its first frame (exit %d):\n%s\n%s", status, out, err);
  return g_ascii_strtod (line + strlen ("first-frame-ms "), NULL);
}

int
main (int    argc,
      char **argv)
{
  const char *app = argc > 1 ? argv[1] : CS_APP_PATH;
  g_autofree char *home = g_dir_make_tmp ("cs-bench-startup-XXXXXX", NULL);
  g_autofree char *demo_dir = g_build_filename (home, "clipscope", NULL);
  g_autofree char *demo = g_build_filename (demo_dir, "Demo.clipscope", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = g_get_environ ();
  double times[RUNS];
  CsDemoOptions options;
  gint64 t0;

  env = g_environ_setenv (env, "XDG_DATA_HOME", home, TRUE);
  env = g_environ_setenv (env, "GSETTINGS_BACKEND", "memory", TRUE);
  if (g_environ_getenv (env, "GSETTINGS_SCHEMA_DIR") == NULL)
    env = g_environ_setenv (env, "GSETTINGS_SCHEMA_DIR", CS_SCHEMA_DIR, TRUE);

  /* The demo project is made once, before timing, as a first launch would. */
  cs_demo_options_init (&options);
  g_mkdir_with_parents (demo_dir, 0700);
  t0 = g_get_monotonic_time ();
  if (!cs_demo_create (demo, &options, NULL, NULL, NULL, &error))
    g_error ("cannot create the demo project: %s", error->message);
  printf ("demo project created in %.1f s (first launch only)\n",
          (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC);

  for (guint i = 0; i < RUNS; i++)
    times[i] = launch_once (app, env);
  qsort (times, RUNS, sizeof times[0], compare_doubles);

  printf ("\n%-44s %10s %10s %10s\n", "launch to first frame with the demo project", "min", "median", "max");
  printf ("%-44s %8.1f ms %7.1f ms %7.1f ms\n", "clipscope --demo", times[0], times[RUNS / 2], times[RUNS - 1]);
  printf ("(%d launches)\n", RUNS);
  return 0;
}
