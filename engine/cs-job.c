/* cs-job.c: a long operation running on a worker thread.
 *
 * Two views of the progress exist. Workers write the pending view under
 * @mutex; the main thread owns the public view (what the getters and the
 * properties return) and is the only thread that notifies. A single pending
 * G_PRIORITY_LOW source per job carries the pending view over, as sysprof's
 * set_progress() does, and it is rate-limited to about one per frame so that
 * a worker reporting every few microseconds cannot flood the main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "cs-job.h"

/* About one frame at 60 Hz: faster progress is invisible. */
#define MIN_FLUSH_INTERVAL_USEC (G_USEC_PER_SEC / 60)

typedef enum
{
  OUTCOME_SUCCEEDED,
  OUTCOME_FAILED,
  OUTCOME_CANCELLED,
} Outcome;

struct _CsJob
{
  GObject        parent_instance;

  GCancellable  *cancellable;

  /* Main thread only. */
  char          *title;
  double         fraction;
  char          *message;
  CsJobState     state;
  GError        *error;
  guint          run_called : 1;

  /* Shared with workers: everything below is under @mutex. */
  GMutex         mutex;
  GMainContext  *context;
  double         pending_fraction;
  char          *pending_message;
  gint64         last_flush_time;
  gint64         started_at;
  gint64         ended_at;
  guint          flush_pending : 1;
  guint          pending_running : 1;
  guint          ended : 1;
};

G_DEFINE_FINAL_TYPE (CsJob, cs_job, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (CsJobState, cs_job_state,
  G_DEFINE_ENUM_VALUE (CS_JOB_QUEUED, "queued"),
  G_DEFINE_ENUM_VALUE (CS_JOB_RUNNING, "running"),
  G_DEFINE_ENUM_VALUE (CS_JOB_SUCCEEDED, "succeeded"),
  G_DEFINE_ENUM_VALUE (CS_JOB_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (CS_JOB_CANCELLED, "cancelled"))

enum {
  PROP_0,
  PROP_TITLE,
  PROP_FRACTION,
  PROP_MESSAGE,
  PROP_STATE,
  PROP_ERROR,
  N_PROPS,
};

enum {
  SIGNAL_FINISHED,
  N_SIGNALS,
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  CsJobFunc       func;
  gpointer        task_data;
  GDestroyNotify  task_data_free;
  /* For warnings on the worker, which must not read the main-thread title. */
  char           *title;
  /* The task the caller's callback is attached to. */
  GTask          *outer;
  /* Written by the worker before it returns, read by the main thread. */
  Outcome         outcome;
  GError         *error;
} RunData;

static void
run_data_free (RunData *run)
{
  if (run->task_data_free != NULL)
    g_clear_pointer (&run->task_data, run->task_data_free);
  g_clear_object (&run->outer);
  g_clear_error (&run->error);
  g_free (run->title);
  g_free (run);
}

static gboolean
state_is_final (CsJobState state)
{
  return state == CS_JOB_SUCCEEDED ||
         state == CS_JOB_FAILED ||
         state == CS_JOB_CANCELLED;
}

static double
normalize_fraction (double fraction)
{
  /* NaN counts as "unknown" too. */
  if (!(fraction >= 0.0))
    return -1.0;
  return MIN (fraction, 1.0);
}

static void
set_fraction (CsJob  *self,
              double  fraction)
{
  if (self->fraction == fraction)
    return;

  self->fraction = fraction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

static void
set_message (CsJob      *self,
             const char *message)
{
  if (g_strcmp0 (self->message, message) == 0)
    return;

  g_free (self->message);
  self->message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

static void
set_state (CsJob      *self,
           CsJobState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* Main thread: copies the workers' view into the public one. */
static void
sync_progress (CsJob    *self,
               gboolean  from_source)
{
  g_autofree char *message = NULL;
  double fraction;
  gboolean running;

  g_mutex_lock (&self->mutex);
  if (from_source)
    self->flush_pending = FALSE;
  self->last_flush_time = g_get_monotonic_time ();
  fraction = self->pending_fraction;
  message = g_strdup (self->pending_message);
  running = self->pending_running;
  g_mutex_unlock (&self->mutex);

  if (state_is_final (self->state))
    return;

  if (running)
    set_state (self, CS_JOB_RUNNING);
  set_fraction (self, fraction);
  set_message (self, message);
}

static gboolean
flush_source_cb (gpointer user_data)
{
  sync_progress (CS_JOB (user_data), TRUE);
  return G_SOURCE_REMOVE;
}

/* Called with @mutex held, from any thread. */
static void
schedule_flush_locked (CsJob *self)
{
  GSource *source;
  gint64 delay;

  if (self->flush_pending || self->ended || self->context == NULL)
    return;

  delay = self->last_flush_time + MIN_FLUSH_INTERVAL_USEC - g_get_monotonic_time ();
  if (delay > 0)
    source = g_timeout_source_new ((guint) ((delay + 999) / 1000));
  else
    source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_LOW);
  g_source_set_static_name (source, "[clipscope] job progress");
  /* The source owns a reference, so it can never run on a finalized job. */
  g_source_set_callback (source, flush_source_cb, g_object_ref (self), g_object_unref);
  g_source_attach (source, self->context);
  g_source_unref (source);

  self->flush_pending = TRUE;
}

static void
cs_job_finalize (GObject *object)
{
  CsJob *self = (CsJob *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->message, g_free);
  g_clear_error (&self->error);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->pending_message, g_free);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (cs_job_parent_class)->finalize (object);
}

static void
cs_job_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  CsJob *self = CS_JOB (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;

    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cs_job_set_property (GObject      *object,
                     guint         prop_id,
                     const GValue *value,
                     GParamSpec   *pspec)
{
  CsJob *self = CS_JOB (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      cs_job_set_title (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cs_job_class_init (CsJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cs_job_finalize;
  object_class->get_property = cs_job_get_property;
  object_class->set_property = cs_job_set_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL,
                         -1.0, 1.0, 0.0,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       CS_TYPE_JOB_STATE,
                       CS_JOB_QUEUED,
                       (G_PARAM_READABLE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL,
                        G_TYPE_ERROR,
                        (G_PARAM_READABLE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted once on the main thread when the state has become final,
   * before the cs_job_run_async() callback runs. */
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 0);
}

static void
cs_job_init (CsJob *self)
{
  g_mutex_init (&self->mutex);
  self->cancellable = g_cancellable_new ();
  self->state = CS_JOB_QUEUED;
}

CsJob *
cs_job_new (const char *title)
{
  return g_object_new (CS_TYPE_JOB,
                       "title", title,
                       NULL);
}

const char *
cs_job_get_title (CsJob *self)
{
  g_return_val_if_fail (CS_IS_JOB (self), NULL);

  return self->title;
}

void
cs_job_set_title (CsJob      *self,
                  const char *title)
{
  g_return_if_fail (CS_IS_JOB (self));

  if (g_strcmp0 (self->title, title) == 0)
    return;

  g_free (self->title);
  self->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

double
cs_job_get_fraction (CsJob *self)
{
  g_return_val_if_fail (CS_IS_JOB (self), 0.0);

  return self->fraction;
}

const char *
cs_job_get_message (CsJob *self)
{
  g_return_val_if_fail (CS_IS_JOB (self), NULL);

  return self->message;
}

CsJobState
cs_job_get_state (CsJob *self)
{
  g_return_val_if_fail (CS_IS_JOB (self), CS_JOB_QUEUED);

  return self->state;
}

const GError *
cs_job_get_error (CsJob *self)
{
  g_return_val_if_fail (CS_IS_JOB (self), NULL);

  return self->error;
}

GCancellable *
cs_job_get_cancellable (CsJob *self)
{
  g_return_val_if_fail (CS_IS_JOB (self), NULL);

  return self->cancellable;
}

double
cs_job_get_elapsed (CsJob *self)
{
  gint64 started_at;
  gint64 ended_at;

  g_return_val_if_fail (CS_IS_JOB (self), 0.0);

  g_mutex_lock (&self->mutex);
  started_at = self->started_at;
  ended_at = self->ended_at;
  g_mutex_unlock (&self->mutex);

  if (started_at == 0)
    return 0.0;
  if (ended_at == 0)
    ended_at = g_get_monotonic_time ();

  return (double) (ended_at - started_at) / G_USEC_PER_SEC;
}

void
cs_job_update (CsJob      *self,
               double      fraction,
               const char *message)
{
  g_return_if_fail (CS_IS_JOB (self));

  fraction = normalize_fraction (fraction);

  g_mutex_lock (&self->mutex);
  if (!self->ended)
    {
      self->pending_fraction = fraction;
      /* Workers often repeat the same message; avoid a copy each step. */
      if (message != NULL && g_strcmp0 (self->pending_message, message) != 0)
        {
          g_free (self->pending_message);
          self->pending_message = g_strdup (message);
        }
      schedule_flush_locked (self);
    }
  g_mutex_unlock (&self->mutex);
}

void
cs_job_progress_func (double      fraction,
                      const char *message,
                      gpointer    user_data)
{
  cs_job_update (CS_JOB (user_data), fraction, message);
}

void
cs_job_cancel (CsJob *self)
{
  g_return_if_fail (CS_IS_JOB (self));

  g_cancellable_cancel (self->cancellable);
}

static void
job_thread_func (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  CsJob *self = source_object;
  RunData *run = task_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = FALSE;

  /* A job cancelled while it waited for a thread never starts. */
  if (!g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      g_mutex_lock (&self->mutex);
      self->started_at = g_get_monotonic_time ();
      self->pending_running = TRUE;
      schedule_flush_locked (self);
      g_mutex_unlock (&self->mutex);

      ok = run->func (self, run->task_data, cancellable, &error);

      if (ok && error != NULL)
        {
          g_critical ("Job “%s” succeeded but set an error: %s",
                      run->title, error->message);
          g_clear_error (&error);
        }
      else if (!ok && error == NULL)
        {
          g_critical ("Job “%s” failed without setting an error", run->title);
          g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("The operation failed for an unknown reason"));
        }
    }

  g_mutex_lock (&self->mutex);
  self->ended = TRUE;
  if (self->started_at != 0)
    self->ended_at = g_get_monotonic_time ();
  g_mutex_unlock (&self->mutex);

  if (ok)
    run->outcome = OUTCOME_SUCCEEDED;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
           g_cancellable_is_cancelled (cancellable))
    run->outcome = OUTCOME_CANCELLED;
  else
    run->outcome = OUTCOME_FAILED;
  run->error = g_steal_pointer (&error);

  g_task_return_boolean (task, TRUE);
}

static void
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CsJob *self = CS_JOB (object);
  RunData *run = g_task_get_task_data (G_TASK (result));
  g_autoptr(GTask) outer = g_steal_pointer (&run->outer);

  g_assert (!state_is_final (self->state));

  /* The task's completion is dispatched at default priority and may overtake
   * the low-priority progress source; sync first so RUNNING and the last
   * progress are notified before the final state. */
  sync_progress (self, FALSE);

  /* The caller's data is released on the thread that created the job. */
  if (run->task_data_free != NULL)
    g_clear_pointer (&run->task_data, run->task_data_free);

  switch (run->outcome)
    {
    case OUTCOME_SUCCEEDED:
      set_fraction (self, 1.0);
      set_state (self, CS_JOB_SUCCEEDED);
      break;

    case OUTCOME_FAILED:
      self->error = g_error_copy (run->error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
      set_state (self, CS_JOB_FAILED);
      break;

    case OUTCOME_CANCELLED:
      set_state (self, CS_JOB_CANCELLED);
      break;

    default:
      g_assert_not_reached ();
    }

  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);

  switch (run->outcome)
    {
    case OUTCOME_SUCCEEDED:
      g_task_return_boolean (outer, TRUE);
      break;

    case OUTCOME_FAILED:
      g_task_return_error (outer, g_steal_pointer (&run->error));
      break;

    case OUTCOME_CANCELLED:
      if (g_error_matches (run->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (outer, g_steal_pointer (&run->error));
      else
        g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 "%s", _("Cancelled"));
      break;

    default:
      g_assert_not_reached ();
    }
}

void
cs_job_run_async (CsJob               *self,
                  CsJobFunc            func,
                  gpointer             task_data,
                  GDestroyNotify       task_data_free,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *run;

  g_return_if_fail (CS_IS_JOB (self));
  g_return_if_fail (func != NULL);
  g_return_if_fail (!self->run_called);

  self->run_called = TRUE;

  run = g_new0 (RunData, 1);
  run->func = func;
  run->task_data = task_data;
  run->task_data_free = task_data_free;
  run->title = g_strdup (self->title);

  /* No cancellable here: the outcome is decided by the worker, and a late
   * Cancel must not turn finished work into an error. */
  run->outer = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (run->outer, cs_job_run_async);

  g_mutex_lock (&self->mutex);
  self->context = g_main_context_ref_thread_default ();
  /* Progress reported before the job was started has somewhere to go now. */
  if (self->pending_message != NULL || self->pending_fraction != 0.0)
    schedule_flush_locked (self);
  g_mutex_unlock (&self->mutex);

  task = g_task_new (self, self->cancellable, job_done_cb, NULL);
  g_task_set_source_tag (task, cs_job_run_async);
  g_task_set_task_data (task, run, (GDestroyNotify) run_data_free);
  /* The worker must finish and roll back; the job ends when it returns. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, job_thread_func);
}

gboolean
cs_job_run_finish (CsJob         *self,
                   GAsyncResult  *result,
                   GError       **error)
{
  g_return_val_if_fail (CS_IS_JOB (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cs_job_run_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
