/* test-process-env.c: cs_process_env_init() puts OpenMP threads on the
 * passive wait policy by executing the program again, and leaves a
 * policy the user chose alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cs-process-env.h"

static char *self_path;

/* The environment this process image started with: what libgomp read
 * when it was loaded (a setenv() after the start does not show here). */
static gboolean
initial_environment_has (const char *entry)
{
  g_autofree char *environ_text = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents ("/proc/self/environ", &environ_text, &length, NULL));
  for (gsize pos = 0; pos < length; pos += strlen (environ_text + pos) + 1)
    if (strcmp (environ_text + pos, entry) == 0)
      return TRUE;
  return FALSE;
}

static void
test_reexecuted (void)
{
  if (!g_file_test ("/proc/self/environ", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /proc");
      return;
    }
  /* main() called cs_process_env_init() with the variable unset (the
   * test's environment does not set it): the image running now was
   * started with it. */
  g_assert_true (initial_environment_has ("OMP_WAIT_POLICY=PASSIVE"));
  g_assert_cmpstr (g_getenv ("OMP_WAIT_POLICY"), ==, "PASSIVE");
}

static void
test_user_choice_kept (void)
{
  const char *argv[] = { self_path, "--print-policy", NULL };
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "OMP_WAIT_POLICY", "active", TRUE);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (out, ==, "active\n");
}

int
main (int    argc,
      char **argv)
{
  cs_process_env_init (argv);
  if (argc > 1 && strcmp (argv[1], "--print-policy") == 0)
    {
      g_print ("%s\n", g_getenv ("OMP_WAIT_POLICY"));
      return 0;
    }

  self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/process-env/reexecuted", test_reexecuted);
  if (self_path != NULL)
    g_test_add_func ("/engine/process-env/user-choice-kept", test_user_choice_kept);
  return g_test_run ();
}
