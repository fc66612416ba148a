/* test-job.c: CsJob and CsJobList.
 *
 * What a user would notice: the progress bar moves and ends full, the window
 * never receives notifications from a worker or so many that it stutters,
 * Cancel takes effect at once, a failure shows its reason, and the jobs list
 * shows exactly the running jobs with one toast per ended job.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "cs-error.h"
#include "cs-job.h"
#include "cs-job-list.h"

#define SPIN_TIMEOUT_USEC (30 * G_USEC_PER_SEC)

static GThread *main_thread;

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the default context until @cond holds; a ticker guarantees that
 * a blocking iteration wakes up to check the deadline. */
#define SPIN_UNTIL(cond)                                                   \
  G_STMT_START {                                                           \
    gint64 spin_deadline_ = g_get_monotonic_time () + SPIN_TIMEOUT_USEC;   \
    guint spin_ticker_ = g_timeout_add (50, wake_cb, NULL);                \
    while (!(cond))                                                        \
      {                                                                    \
        if (g_get_monotonic_time () > spin_deadline_)                      \
          g_error ("Timed out waiting for %s", #cond);                     \
        g_main_context_iteration (NULL, TRUE);                             \
      }                                                                    \
    g_source_remove (spin_ticker_);                                        \
  } G_STMT_END

/* Drops the last reference and waits for finalization: a pending progress
 * source may hold the job for one more iteration, never longer. */
static void
assert_finalize_soon (gpointer object)
{
  GObject *weak = object;

  g_object_add_weak_pointer (weak, (gpointer *) &weak);
  g_object_unref (object);
  SPIN_UNTIL (weak == NULL);
}

/* What the main thread saw of a job. */
typedef struct
{
  GArray    *fractions;
  GPtrArray *messages;
  GArray    *states;
  guint      n_error_notifies;
  gint       n_off_main;       /* atomic: a notify or signal on another thread */
  guint      n_finished;
  gint64     finished_time;
  gboolean   callback_done;
  guint      n_finished_at_callback;
  gboolean   ok;
  GError    *error;
} Recorder;

static void
recorder_clear (Recorder *rec)
{
  g_clear_pointer (&rec->fractions, g_array_unref);
  g_clear_pointer (&rec->messages, g_ptr_array_unref);
  g_clear_pointer (&rec->states, g_array_unref);
  g_clear_error (&rec->error);
}

static void
notify_cb (CsJob      *job,
           GParamSpec *pspec,
           Recorder   *rec)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_thread_self () != main_thread)
    {
      g_atomic_int_inc (&rec->n_off_main);
      return;
    }

  if (g_str_equal (name, "fraction"))
    {
      double fraction = cs_job_get_fraction (job);
      g_array_append_val (rec->fractions, fraction);
    }
  else if (g_str_equal (name, "message"))
    g_ptr_array_add (rec->messages, g_strdup (cs_job_get_message (job)));
  else if (g_str_equal (name, "state"))
    {
      CsJobState state = cs_job_get_state (job);
      g_array_append_val (rec->states, state);
    }
  else if (g_str_equal (name, "error"))
    rec->n_error_notifies++;
}

static void
finished_cb (CsJob    *job,
             Recorder *rec)
{
  if (g_thread_self () != main_thread)
    g_atomic_int_inc (&rec->n_off_main);

  rec->finished_time = g_get_monotonic_time ();
  rec->n_finished++;
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Recorder *rec = user_data;

  rec->ok = cs_job_run_finish (CS_JOB (object), result, &rec->error);
  rec->n_finished_at_callback = rec->n_finished;
  rec->callback_done = TRUE;
}

static CsJob *
recorded_job_new (const char *title,
                  Recorder   *rec)
{
  CsJob *job = cs_job_new (title);

  rec->fractions = g_array_new (FALSE, FALSE, sizeof (double));
  rec->messages = g_ptr_array_new_with_free_func (g_free);
  rec->states = g_array_new (FALSE, FALSE, sizeof (CsJobState));

  g_signal_connect (job, "notify", G_CALLBACK (notify_cb), rec);
  g_signal_connect (job, "finished", G_CALLBACK (finished_cb), rec);

  return job;
}

static void
assert_states (Recorder         *rec,
               const CsJobState *expected,
               guint             n_expected)
{
  g_assert_cmpuint (rec->states->len, ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    g_assert_cmpint (g_array_index (rec->states, CsJobState, i), ==, expected[i]);
}

/* Worker functions. */

#define N_STEPS 50

static gboolean
steps_func (CsJob         *job,
            gpointer       task_data,
            GCancellable  *cancellable,
            GError       **error)
{
  for (guint i = 0; i < N_STEPS; i++)
    {
      g_autofree char *message = g_strdup_printf ("Step %u of %u", i + 1, N_STEPS);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      cs_job_update (job, (double) i / N_STEPS, message);
      g_usleep (2000);
    }

  return TRUE;
}

#define N_FLOOD 1000000

static gboolean
flood_func (CsJob         *job,
            gpointer       task_data,
            GCancellable  *cancellable,
            GError       **error)
{
  guint n = GPOINTER_TO_UINT (task_data);
  char message[64] = "";

  for (guint i = 0; i < n; i++)
    {
      if (i % 1000 == 0)
        g_snprintf (message, sizeof message, "Block %u", i / 1000);
      cs_job_update (job, (double) i / n, message);
    }

  return TRUE;
}

static gboolean
wait_for_cancel_func (CsJob         *job,
                      gpointer       task_data,
                      GCancellable  *cancellable,
                      GError       **error)
{
  gboolean report_other_error = GPOINTER_TO_INT (task_data);

  while (!g_cancellable_is_cancelled (cancellable))
    {
      cs_job_update (job, -1, "Waiting for Cancel");
      g_usleep (1000);
    }

  /* Rolling back after a cancel may surface as another error (an interrupted
   * query, say); the job must still count as cancelled. */
  if (report_other_error)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "interrupted");
  else
    g_cancellable_set_error_if_cancelled (cancellable, error);

  return FALSE;
}

static gboolean
fail_func (CsJob         *job,
           gpointer       task_data,
           GCancellable  *cancellable,
           GError       **error)
{
  cs_job_update (job, 0.5, "Checking the data");
  g_set_error_literal (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                       "Too little data: only 3 viewers have two or more views");
  return FALSE;
}

static gboolean
instant_func (CsJob         *job,
              gpointer       task_data,
              GCancellable  *cancellable,
              GError       **error)
{
  return TRUE;
}

static gboolean
counting_func (CsJob         *job,
               gpointer       task_data,
               GCancellable  *cancellable,
               GError       **error)
{
  g_atomic_int_inc ((gint *) task_data);
  return TRUE;
}

/* Waits until its gate opens (or the job is cancelled). */
static gboolean
gated_func (CsJob         *job,
            gpointer       task_data,
            GCancellable  *cancellable,
            GError       **error)
{
  gint *gate = task_data;

  while (!g_atomic_int_get (gate))
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      g_usleep (1000);
    }

  return TRUE;
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

/* Tests. */

static void
test_job_progress (void)
{
  Recorder rec = { 0 };
  CsJob *job = recorded_job_new ("Counting", &rec);
  double elapsed;

  g_assert_cmpint (cs_job_get_state (job), ==, CS_JOB_QUEUED);
  g_assert_cmpfloat (cs_job_get_elapsed (job), ==, 0.0);

  cs_job_run_async (job, steps_func, NULL, NULL, run_cb, &rec);
  SPIN_UNTIL (rec.callback_done);

  g_assert_true (rec.ok);
  g_assert_no_error (rec.error);
  g_assert_cmpint (cs_job_get_state (job), ==, CS_JOB_SUCCEEDED);
  g_assert_cmpint (g_atomic_int_get (&rec.n_off_main), ==, 0);

  /* The bar ends full, moved forward only, and was notified only on change. */
  g_assert_cmpuint (rec.fractions->len, >=, 2);
  g_assert_cmpfloat (g_array_index (rec.fractions, double, rec.fractions->len - 1), ==, 1.0);
  g_assert_cmpfloat (cs_job_get_fraction (job), ==, 1.0);
  for (guint i = 1; i < rec.fractions->len; i++)
    g_assert_cmpfloat (g_array_index (rec.fractions, double, i), >,
                       g_array_index (rec.fractions, double, i - 1));

  /* Intermediate messages reached the main thread, not only the last. */
  g_assert_cmpuint (rec.messages->len, >=, 2);
  g_assert_cmpstr (g_ptr_array_index (rec.messages, rec.messages->len - 1), ==, "Step 50 of 50");
  g_assert_cmpstr (cs_job_get_message (job), ==, "Step 50 of 50");
  for (guint i = 1; i < rec.messages->len; i++)
    g_assert_cmpstr (g_ptr_array_index (rec.messages, i), !=, g_ptr_array_index (rec.messages, i - 1));

  /* ::finished comes once, before the callback. */
  g_assert_cmpuint (rec.n_finished, ==, 1);
  g_assert_cmpuint (rec.n_finished_at_callback, ==, 1);

  /* 50 steps of 2 ms; the clock stops when the job ends. */
  elapsed = cs_job_get_elapsed (job);
  g_assert_cmpfloat (elapsed, >=, 0.09);
  g_usleep (10000);
  g_assert_cmpfloat (cs_job_get_elapsed (job), ==, elapsed);

  assert_finalize_soon (job);
  recorder_clear (&rec);
}

static void
test_job_coalesce (void)
{
  Recorder rec = { 0 };
  CsJob *job = recorded_job_new ("Flood", &rec);
  guint n_notifies;
  gint64 start = g_get_monotonic_time ();

  cs_job_run_async (job, flood_func, GUINT_TO_POINTER (N_FLOOD), NULL, run_cb, &rec);
  SPIN_UNTIL (rec.callback_done);

  g_assert_true (rec.ok);
  g_assert_cmpint (cs_job_get_state (job), ==, CS_JOB_SUCCEEDED);
  g_assert_cmpint (g_atomic_int_get (&rec.n_off_main), ==, 0);

  n_notifies = rec.fractions->len + rec.messages->len;
  g_test_message ("%u updates in %.0f ms gave %u fraction and %u message notifications",
                  N_FLOOD, (g_get_monotonic_time () - start) / 1000.0,
                  rec.fractions->len, rec.messages->len);
  g_assert_cmpuint (n_notifies, >, 0);
  g_assert_cmpuint (n_notifies, <, 10000);
  g_assert_cmpfloat (cs_job_get_fraction (job), ==, 1.0);
  g_assert_cmpstr (cs_job_get_message (job), ==, "Block 999");

  assert_finalize_soon (job);
  recorder_clear (&rec);
}

static void
run_cancel_test (gboolean report_other_error)
{
  Recorder rec = { 0 };
  CsJob *job = recorded_job_new ("Waiting", &rec);
  const CsJobState expected[] = { CS_JOB_RUNNING, CS_JOB_CANCELLED };
  gint64 cancel_time;
  double latency_ms;

  cs_job_run_async (job, wait_for_cancel_func, GINT_TO_POINTER (report_other_error),
                    NULL, run_cb, &rec);
  SPIN_UNTIL (cs_job_get_state (job) == CS_JOB_RUNNING);
  /* Let the worker settle into its loop. */
  SPIN_UNTIL (rec.messages->len > 0);

  cancel_time = g_get_monotonic_time ();
  cs_job_cancel (job);
  SPIN_UNTIL (rec.callback_done);

  latency_ms = (rec.finished_time - cancel_time) / 1000.0;
  g_test_message ("cancel took effect after %.2f ms (goal < 200 ms)", latency_ms);
  g_assert_cmpfloat (latency_ms, <, 1000.0);

  g_assert_false (rec.ok);
  g_assert_error (rec.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (cs_job_get_state (job), ==, CS_JOB_CANCELLED);
  g_assert_null (cs_job_get_error (job));
  g_assert_cmpuint (rec.n_error_notifies, ==, 0);
  g_assert_cmpuint (rec.n_finished, ==, 1);
  assert_states (&rec, expected, G_N_ELEMENTS (expected));
  /* Cancelled is not done: the bar must not jump to full. */
  g_assert_cmpfloat (cs_job_get_fraction (job), <, 0.0);

  assert_finalize_soon (job);
  recorder_clear (&rec);
}

static void
test_job_cancel (void)
{
  run_cancel_test (FALSE);
}

static void
test_job_cancel_other_error (void)
{
  run_cancel_test (TRUE);
}

static void
test_job_cancel_before_run (void)
{
  Recorder rec = { 0 };
  CsJob *job = recorded_job_new ("Never started", &rec);
  const CsJobState expected[] = { CS_JOB_CANCELLED };
  gint n_calls = 0;

  cs_job_cancel (job);
  cs_job_run_async (job, counting_func, &n_calls, NULL, run_cb, &rec);
  SPIN_UNTIL (rec.callback_done);

  g_assert_cmpint (g_atomic_int_get (&n_calls), ==, 0);
  g_assert_error (rec.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_states (&rec, expected, G_N_ELEMENTS (expected));
  g_assert_cmpfloat (cs_job_get_elapsed (job), ==, 0.0);

  assert_finalize_soon (job);
  recorder_clear (&rec);
}

static void
test_job_fail (void)
{
  Recorder rec = { 0 };
  CsJob *job = recorded_job_new ("Evaluating", &rec);
  const CsJobState expected[] = { CS_JOB_RUNNING, CS_JOB_FAILED };
  g_autoptr(GError) prop_error = NULL;
  const GError *error;

  cs_job_run_async (job, fail_func, NULL, NULL, run_cb, &rec);
  SPIN_UNTIL (rec.callback_done);

  g_assert_cmpint (cs_job_get_state (job), ==, CS_JOB_FAILED);
  assert_states (&rec, expected, G_N_ELEMENTS (expected));

  error = cs_job_get_error (job);
  g_assert_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA);
  g_assert_cmpstr (error->message, ==, "Too little data: only 3 viewers have two or more views");
  g_assert_cmpuint (rec.n_error_notifies, ==, 1);

  g_object_get (job, "error", &prop_error, NULL);
  g_assert_error (prop_error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA);

  g_assert_false (rec.ok);
  g_assert_error (rec.error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA);
  g_assert_cmpstr (rec.error->message, ==, error->message);

  /* A failed job keeps the last progress it reached. */
  g_assert_cmpfloat (cs_job_get_fraction (job), ==, 0.5);
  g_assert_cmpstr (cs_job_get_message (job), ==, "Checking the data");

  assert_finalize_soon (job);
  recorder_clear (&rec);
}

static void
test_job_states (void)
{
  Recorder rec = { 0 };
  CsJob *job = recorded_job_new ("Instant", &rec);
  const CsJobState expected[] = { CS_JOB_RUNNING, CS_JOB_SUCCEEDED };
  guint n_title_notifies = 0;

  g_assert_cmpint (cs_job_get_state (job), ==, CS_JOB_QUEUED);

  /* Even a job that ends at once is seen RUNNING before it ends. */
  cs_job_run_async (job, instant_func, NULL, NULL, run_cb, &rec);
  g_assert_cmpint (cs_job_get_state (job), ==, CS_JOB_QUEUED);
  SPIN_UNTIL (rec.callback_done);

  assert_states (&rec, expected, G_N_ELEMENTS (expected));
  g_assert_cmpuint (rec.n_finished, ==, 1);
  g_assert_cmpint (g_atomic_int_get (&rec.n_off_main), ==, 0);
  g_assert_cmpfloat (cs_job_get_elapsed (job), >=, 0.0);

  /* Nothing is notified that did not change. */
  g_signal_connect (job, "notify::title", G_CALLBACK (count_cb), &n_title_notifies);
  cs_job_set_title (job, "Instant");
  g_assert_cmpuint (n_title_notifies, ==, 0);
  cs_job_set_title (job, "Instant job");
  g_assert_cmpuint (n_title_notifies, ==, 1);
  g_assert_cmpstr (cs_job_get_title (job), ==, "Instant job");

  assert_finalize_soon (job);
  recorder_clear (&rec);
}

/* The job is dropped by its owner while the worker still floods it: the
 * pending progress source must neither touch freed memory nor leak it. */
static void
test_job_unref_while_running (void)
{
  Recorder rec = { 0 };
  CsJob *job = recorded_job_new ("Orphan", &rec);
  GObject *weak = G_OBJECT (job);

  g_object_add_weak_pointer (weak, (gpointer *) &weak);
  cs_job_run_async (job, flood_func, GUINT_TO_POINTER (100000), NULL, run_cb, &rec);
  g_object_unref (job);

  SPIN_UNTIL (rec.callback_done);
  g_assert_true (rec.ok);
  SPIN_UNTIL (weak == NULL);

  recorder_clear (&rec);
}

/* CsJobList */

typedef struct
{
  GPtrArray *finished;       /* jobs in the order ::job-finished named them */
  guint      n_added;
  guint      n_removed;
  guint      n_items_notifies;
  gboolean   listed_when_finished;
} ListRecorder;

static void
items_changed_cb (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  ListRecorder *rec)
{
  g_assert_true (g_thread_self () == main_thread);
  rec->n_added += added;
  rec->n_removed += removed;
}

static void
n_items_cb (CsJobList    *list,
            GParamSpec   *pspec,
            ListRecorder *rec)
{
  rec->n_items_notifies++;
}

static gboolean
list_contains (GListModel *model,
               CsJob      *job)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CsJob) item = g_list_model_get_item (model, i);

      if (item == job)
        return TRUE;
    }

  return FALSE;
}

static void
job_finished_cb (CsJobList    *list,
                 CsJob        *job,
                 ListRecorder *rec)
{
  g_assert_true (g_thread_self () == main_thread);
  g_assert_true (cs_job_get_state (job) == CS_JOB_SUCCEEDED ||
                 cs_job_get_state (job) == CS_JOB_FAILED ||
                 cs_job_get_state (job) == CS_JOB_CANCELLED);
  if (list_contains (G_LIST_MODEL (list), job))
    rec->listed_when_finished = TRUE;
  g_ptr_array_add (rec->finished, job);
}

static CsJobList *
recorded_list_new (ListRecorder *rec)
{
  CsJobList *list = cs_job_list_new ();

  rec->finished = g_ptr_array_new ();
  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), rec);
  g_signal_connect (list, "notify::n-items", G_CALLBACK (n_items_cb), rec);
  g_signal_connect (list, "job-finished", G_CALLBACK (job_finished_cb), rec);

  return list;
}

static guint
count_in (GPtrArray *array,
          gpointer   item)
{
  guint n = 0;

  for (guint i = 0; i < array->len; i++)
    if (g_ptr_array_index (array, i) == item)
      n++;

  return n;
}

#define N_LIST_JOBS 3

static void
test_job_list_add_remove (void)
{
  ListRecorder rec = { 0 };
  CsJobList *list = recorded_list_new (&rec);
  GListModel *model = G_LIST_MODEL (list);
  CsJob *jobs[N_LIST_JOBS];
  gint gates[N_LIST_JOBS] = { 0 };
  guint n_items;

  g_assert_true (g_list_model_get_item_type (model) == CS_TYPE_JOB);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);

  for (guint i = 0; i < N_LIST_JOBS; i++)
    {
      g_autofree char *title = g_strdup_printf ("Job %u", i);

      jobs[i] = cs_job_new (title);
      cs_job_list_add (list, jobs[i]);
      cs_job_run_async (jobs[i], gated_func, &gates[i], NULL, NULL, NULL);
    }

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_LIST_JOBS);
  g_assert_cmpuint (rec.n_added, ==, N_LIST_JOBS);
  g_assert_cmpuint (rec.n_items_notifies, ==, N_LIST_JOBS);
  g_object_get (list, "n-items", &n_items, NULL);
  g_assert_cmpuint (n_items, ==, N_LIST_JOBS);
  g_assert_null (g_list_model_get_item (model, N_LIST_JOBS));

  /* The middle job ends first: only it leaves, the others keep their order. */
  g_atomic_int_set (&gates[1], 1);
  SPIN_UNTIL (rec.finished->len == 1);
  g_assert_true (g_ptr_array_index (rec.finished, 0) == jobs[1]);
  g_assert_false (rec.listed_when_finished);
  g_assert_cmpuint (rec.n_removed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  {
    g_autoptr(CsJob) first = g_list_model_get_item (model, 0);
    g_autoptr(CsJob) second = g_list_model_get_item (model, 1);

    g_assert_true (first == jobs[0]);
    g_assert_true (second == jobs[2]);
  }

  g_atomic_int_set (&gates[0], 1);
  g_atomic_int_set (&gates[2], 1);
  SPIN_UNTIL (rec.finished->len == N_LIST_JOBS);
  /* Leftover sources (progress, task completion) must not repeat a toast. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

  g_assert_cmpuint (rec.finished->len, ==, N_LIST_JOBS);
  for (guint i = 0; i < N_LIST_JOBS; i++)
    {
      g_assert_cmpuint (count_in (rec.finished, jobs[i]), ==, 1);
      g_assert_cmpint (cs_job_get_state (jobs[i]), ==, CS_JOB_SUCCEEDED);
    }
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpuint (rec.n_removed, ==, N_LIST_JOBS);
  g_assert_false (rec.listed_when_finished);

  /* The list lets go of ended jobs. */
  g_assert_finalize_object (list);
  for (guint i = 0; i < N_LIST_JOBS; i++)
    assert_finalize_soon (jobs[i]);
  g_ptr_array_unref (rec.finished);
}

static void
test_job_list_cancel_all (void)
{
  ListRecorder rec = { 0 };
  CsJobList *list = recorded_list_new (&rec);
  CsJob *jobs[2];

  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      jobs[i] = cs_job_new ("Waiting");
      cs_job_list_add (list, jobs[i]);
      cs_job_run_async (jobs[i], wait_for_cancel_func, NULL, NULL, NULL, NULL);
    }
  SPIN_UNTIL (cs_job_get_state (jobs[0]) == CS_JOB_RUNNING &&
              cs_job_get_state (jobs[1]) == CS_JOB_RUNNING);

  cs_job_list_cancel_all (list);
  SPIN_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (list)) == 0);

  g_assert_cmpuint (rec.finished->len, ==, 2);
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      g_assert_cmpuint (count_in (rec.finished, jobs[i]), ==, 1);
      g_assert_cmpint (cs_job_get_state (jobs[i]), ==, CS_JOB_CANCELLED);
    }

  g_assert_finalize_object (list);
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    assert_finalize_soon (jobs[i]);
  g_ptr_array_unref (rec.finished);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  main_thread = g_thread_self ();

  g_test_add_func ("/engine/job/progress", test_job_progress);
  g_test_add_func ("/engine/job/coalesce", test_job_coalesce);
  g_test_add_func ("/engine/job/cancel", test_job_cancel);
  g_test_add_func ("/engine/job/cancel-other-error", test_job_cancel_other_error);
  g_test_add_func ("/engine/job/cancel-before-run", test_job_cancel_before_run);
  g_test_add_func ("/engine/job/fail", test_job_fail);
  g_test_add_func ("/engine/job/states", test_job_states);
  g_test_add_func ("/engine/job/unref-while-running", test_job_unref_while_running);
  g_test_add_func ("/engine/job-list/add-remove", test_job_list_add_remove);
  g_test_add_func ("/engine/job-list/cancel-all", test_job_list_cancel_all);

  return g_test_run ();
}
