/* cs-parallel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>

#include "cs-parallel.h"

typedef struct
{
  gint64          n;
  gint64          chunk;
  gint            next;       /* atomic: the next chunk number */
  gint            cancelled;  /* atomic */
  CsParallelFunc  func;
  gpointer        user_data;
  GCancellable   *cancellable;
} Loop;

typedef struct
{
  Loop  *loop;
  guint  worker;
} Worker;

static guint
max_workers (void)
{
  const char *env = g_getenv ("CS_NUM_THREADS");

  if (env != NULL)
    {
      gint64 v = g_ascii_strtoll (env, NULL, 10);

      if (v >= 1 && v <= 256)
        return (guint) v;
    }
  return MAX (1, g_get_num_processors ());
}

guint
cs_parallel_get_n_workers (gint64 n,
                           gint64 chunk)
{
  gint64 chunks;

  g_return_val_if_fail (chunk > 0, 1);

  chunks = (n + chunk - 1) / chunk;
  return (guint) CLAMP (chunks, 1, (gint64) max_workers ());
}

static gpointer
run_worker (gpointer data)
{
  Worker *w = data;
  Loop *loop = w->loop;

  for (;;)
    {
      gint64 start;

      if (g_cancellable_is_cancelled (loop->cancellable))
        {
          g_atomic_int_set (&loop->cancelled, 1);
          break;
        }
      /* GLib has no 64-bit atomic add, so chunks are counted in a gint. */
      start = (gint64) g_atomic_int_add (&loop->next, 1) * loop->chunk;
      if (start >= loop->n)
        break;
      loop->func (start, MIN (start + loop->chunk, loop->n), w->worker, loop->user_data);
    }
  return NULL;
}

gboolean
cs_parallel_for (gint64          n,
                 gint64          chunk,
                 CsParallelFunc  func,
                 gpointer        user_data,
                 GCancellable   *cancellable)
{
  Loop loop = { n, chunk, 0, 0, func, user_data, cancellable };
  g_autofree Worker *workers = NULL;
  g_autofree GThread **threads = NULL;
  guint n_workers;

  g_return_val_if_fail (chunk > 0, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  /* Chunk numbers are counted in a gint. */
  g_return_val_if_fail (n / chunk < G_MAXINT, FALSE);

  n_workers = cs_parallel_get_n_workers (n, chunk);
  workers = g_new0 (Worker, n_workers);
  threads = g_new0 (GThread *, n_workers);
  for (guint i = 0; i < n_workers; i++)
    {
      workers[i].loop = &loop;
      workers[i].worker = i;
    }
  for (guint i = 1; i < n_workers; i++)
    threads[i] = g_thread_new ("cs-parallel", run_worker, &workers[i]);
  run_worker (&workers[0]);
  for (guint i = 1; i < n_workers; i++)
    g_thread_join (threads[i]);

  return !g_atomic_int_get (&loop.cancelled) && !g_cancellable_is_cancelled (cancellable);
}
