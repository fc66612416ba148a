/* cs-job.h: a long operation running on a worker thread.
 *
 * A job carries a title, progress fraction and message, a state and, when it
 * failed, an error. Workers update it from any thread with cs_job_update();
 * changes reach the main thread through at most one pending low-priority idle
 * per job, and only the main thread emits notify. Cancel is cooperative:
 * workers check the job's GCancellable between steps (at least every 200 ms).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CS_TYPE_JOB (cs_job_get_type ())
G_DECLARE_FINAL_TYPE (CsJob, cs_job, CS, JOB, GObject)

typedef enum
{
  CS_JOB_QUEUED,
  CS_JOB_RUNNING,
  CS_JOB_SUCCEEDED,
  CS_JOB_FAILED,
  CS_JOB_CANCELLED,
} CsJobState;

#define CS_TYPE_JOB_STATE (cs_job_state_get_type ())
GType cs_job_state_get_type (void);

/* Runs on a worker thread. Return FALSE and set @error on failure; a
 * cancelled job returns FALSE with G_IO_ERROR_CANCELLED. */
typedef gboolean (*CsJobFunc) (CsJob         *job,
                               gpointer       task_data,
                               GCancellable  *cancellable,
                               GError       **error);

G_GNUC_WARN_UNUSED_RESULT
CsJob        *cs_job_new            (const char           *title);
const char   *cs_job_get_title      (CsJob                *self);
/* Main thread. */
void          cs_job_set_title      (CsJob                *self,
                                     const char           *title);
/* Main-thread view of the progress (updated by the idle). */
double        cs_job_get_fraction   (CsJob                *self);
const char   *cs_job_get_message    (CsJob                *self);
CsJobState    cs_job_get_state      (CsJob                *self);
const GError *cs_job_get_error      (CsJob                *self);
GCancellable *cs_job_get_cancellable (CsJob               *self);
/* Seconds since the job started running (0 before). */
double        cs_job_get_elapsed    (CsJob                *self);

/* Any thread. @fraction < 0 means "unknown" (pulse); @message NULL keeps the
 * previous message. Cheap: callers may update on every step. */
void          cs_job_update         (CsJob                *self,
                                     double                fraction,
                                     const char           *message);
/* A CsProgressFunc that forwards to cs_job_update(); @user_data is the job. */
void          cs_job_progress_func  (double                fraction,
                                     const char           *message,
                                     gpointer              user_data);
void          cs_job_cancel         (CsJob                *self);

/* Starts @func on a worker thread. @callback runs on the calling thread's
 * main context after the state has become final and ::finished was emitted.
 * A job runs once. A func that returns FALSE after the job was cancelled
 * ends CANCELLED whatever its error; one that returns TRUE has done its work
 * and ends SUCCEEDED even if Cancel came too late. */
void          cs_job_run_async      (CsJob                *self,
                                     CsJobFunc             func,
                                     gpointer              task_data,
                                     GDestroyNotify        task_data_free,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
/* FALSE with G_IO_ERROR_CANCELLED when the job was cancelled, or with the
 * job's error when it failed. */
gboolean      cs_job_run_finish     (CsJob                *self,
                                     GAsyncResult         *result,
                                     GError              **error);

G_END_DECLS
