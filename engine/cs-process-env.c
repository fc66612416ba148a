/* cs-process-env.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <unistd.h>

#include "cs-process-env.h"

void
cs_process_env_init (char **argv)
{
  if (g_getenv ("OMP_WAIT_POLICY") != NULL)
    return;
  g_setenv ("OMP_WAIT_POLICY", "PASSIVE", TRUE);
  execv ("/proc/self/exe", argv);
  /* Still here: no /proc. The variable stays set for child processes. */
  g_debug ("Could not execute /proc/self/exe again: OpenMP threads keep their default wait policy");
}
