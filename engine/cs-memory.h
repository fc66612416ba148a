/* cs-memory.h: the process's peak memory, for "how much memory did this
 * model need" figures (DESIGN §4: "training time, scoring time, memory").
 *
 * Linux keeps the peak resident set size of a process (VmHWM in
 * /proc/self/status) and lets the process reset it to the current size by
 * writing "5" to /proc/self/clear_refs (Linux ≥ 4.0). Resetting before a
 * piece of work and reading after it gives the peak of the whole process
 * during that work: what the work needed on top of what was already
 * resident (the interactions, the other models' results), plus that.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Resets the peak to the current resident size. FALSE when the system does
 * not allow it (not Linux, an old kernel, a sandbox without /proc): then
 * peaks cannot be told apart and should not be shown per piece of work. */
gboolean cs_memory_reset_peak    (void);

/* The peak resident set size in bytes since the last reset (or since the
 * process started), or -1 when unknown. */
gint64   cs_memory_get_peak_rss  (void);

/* The current resident set size in bytes, or -1 when unknown. */
gint64   cs_memory_get_rss       (void);

/* The computer's physical memory in bytes, or G_MAXUINT64 when unknown
 * (so that a budget taken as a share of it never refuses work). */
guint64  cs_memory_get_physical  (void);

G_END_DECLS
