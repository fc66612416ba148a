/* cs-parallel.h: split a loop over [0, n) across the machine's cores.
 *
 * Chunks are handed out dynamically, so uneven work (popular items, heavy
 * viewers) still balances. Worker 0 is the calling thread. Results must not
 * depend on which worker ran which chunk: callers write per-index outputs or
 * per-worker scratch that they merge in a fixed order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Runs on a worker for indices [start, end). */
typedef void (*CsParallelFunc) (gint64   start,
                                gint64   end,
                                guint    worker,
                                gpointer user_data);

/* Workers a loop of @n indices in chunks of @chunk would use: the number of
 * processors (or $CS_NUM_THREADS when set), at most one per chunk, at least 1. */
guint    cs_parallel_get_n_workers (gint64          n,
                                    gint64          chunk);

/* Returns FALSE when @cancellable was cancelled before every chunk ran; the
 * chunks already started still finish. */
gboolean cs_parallel_for           (gint64          n,
                                    gint64          chunk,
                                    CsParallelFunc  func,
                                    gpointer        user_data,
                                    GCancellable   *cancellable);

G_END_DECLS
