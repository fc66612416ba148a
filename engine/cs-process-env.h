/* cs-process-env.h: the process environment Clipscope's numerics want,
 * set before anything runs.
 *
 * XGBoost runs its trees on OpenMP threads (libgomp). By default libgomp
 * threads spin at every barrier for a while (GOMP_SPINCOUNT, 300,000 turns)
 * before they sleep, which costs nothing on an idle machine and a great deal
 * on a busy one: a spinning thread holds a core the descheduled thread it
 * waits for needs. Measured on this project's 2-core machine at load 5: a
 * 20-tree random forest on the 36-clip demo took 1.57 s a fold spinning and
 * 0.12 s with OMP_WAIT_POLICY=PASSIVE, whose threads sleep at once
 * (docs/BENCHMARKS.md, "OpenMP threads on a busy machine"). A desktop app
 * shares its cores with everything else the user runs, so Clipscope asks
 * for the passive policy.
 *
 * libgomp reads its environment when it is loaded, before main(): the
 * variable can only take effect in a new process image. So when
 * OMP_WAIT_POLICY is not set, cs_process_env_init() sets it and executes
 * the program again (/proc/self/exe, the same arguments, the same process
 * id); a user's own OMP_WAIT_POLICY is left as it is. Where /proc is
 * missing the exec fails and the program goes on with the default policy.
 * Under valgrind (which does not follow the exec by default) set
 * OMP_WAIT_POLICY yourself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Call first thing in main(), before any thread starts. Returns only when
 * the environment was already right (or the exec failed). */
void cs_process_env_init (char **argv);

G_END_DECLS
