/* cs-project.h: a Clipscope project, one SQLite file (*.clipscope).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cs-store.h"

G_BEGIN_DECLS

#define CS_TYPE_PROJECT (cs_project_get_type ())
G_DECLARE_FINAL_TYPE (CsProject, cs_project, CS, PROJECT, GObject)

/* What the window shows about a project without running a query on the main
 * thread: filled in by open and by cs_project_refresh_async(). */
typedef struct
{
  gint64 n_clips;
  gint64 n_viewers;
  gint64 n_events;
  gint64 n_runs;          /* comparisons (parent runs) */
} CsProjectCounts;

G_GNUC_WARN_UNUSED_RESULT
CsProject   *cs_project_open           (const char           *path,
                                        CsStoreFlags          flags,
                                        GError              **error);
void         cs_project_open_async     (const char           *path,
                                        CsStoreFlags          flags,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
CsProject   *cs_project_open_finish    (GAsyncResult         *result,
                                        GError              **error);

const char  *cs_project_get_path       (CsProject            *self);
/* The file name without extension ("Demo"). */
const char  *cs_project_get_title      (CsProject            *self);
gboolean     cs_project_get_simulated  (CsProject            *self);
gboolean     cs_project_get_read_only  (CsProject            *self);
const CsProjectCounts *
             cs_project_get_counts     (CsProject            *self);

/* A new connection for the calling thread (workers, CLI). */
G_GNUC_WARN_UNUSED_RESULT
CsStore     *cs_project_open_store     (CsProject            *self,
                                        GError              **error);

/* Recounts on a worker thread; emits ::changed on the main thread. */
void         cs_project_refresh_async  (CsProject            *self,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean     cs_project_refresh_finish (CsProject            *self,
                                        GAsyncResult         *result,
                                        GError              **error);
/* Blocking recount (worker threads, CLI) with the caller's connection. It
 * does not emit ::changed, and writes the counts from the calling thread:
 * the UI uses cs_project_refresh_async(). */
gboolean     cs_project_refresh        (CsProject            *self,
                                        CsStore              *store,
                                        GError              **error);

G_END_DECLS
