/* bench-mainloop: does the window keep its frame rate while a job runs?
 * (a program, not a test; see docs/BENCHMARKS.md)
 *
 * A window with a spinning GtkSpinner, a GtkProgressBar bound to the running
 * job and the jobs list (CsJobRow over CsJobList) first idles, then runs
 * CPU-bound CsJobs (float matrix products) that call cs_job_update() on
 * every iteration, hundreds of thousands of times a second. Meanwhile it
 * records the gaps between frame-clock ticks and between 5 ms GLib timeouts;
 * the idle phase is the baseline the loaded phase is compared with. Last it
 * starts and cancels jobs to measure the time from cs_job_cancel() to
 * ::finished on the main thread.
 *
 * With --import-clips FOLDER the loaded phase is a real clip import of
 * FOLDER into a new project instead (probe, decode, features, PNG frames,
 * SQLite writes), reporting per file as the app's import does.
 *
 * Needs a display: xvfb-run -a build/tests/bench/bench-mainloop [--jobs N]
 *                  [--import-clips FOLDER]
 * Exits non-zero only when it cannot run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "clipscope-engine.h"
#include "cs-job.h"
#include "cs-job-list.h"
#include "cs-job-row.h"

#define TIMER_PERIOD_MS   5
#define WARMUP_MS         500
#define BASELINE_MS       2000
#define CANCEL_ROUNDS     5
#define CANCEL_AFTER_MS   300
#define WATCHDOG_S        120
#define MATRIX_N          96

typedef enum
{
  PHASE_WARMUP,
  PHASE_BASELINE,
  PHASE_LOAD,
  PHASE_CANCEL,
  PHASE_DONE,
  N_PHASES,
} Phase;

typedef struct
{
  GArray *frame_gaps;   /* ms between frame-clock ticks */
  GArray *timer_gaps;   /* ms between 5 ms timeouts */
  gint64  start;
  gint64  end;
  gint64  cpu_start;    /* main-thread CPU time, µs */
  gint64  cpu_end;
  double  longest_timer_gap;
  double  cpu_in_longest_gap;   /* ms the main thread ran during it */
} PhaseStats;

typedef struct
{
  GMainLoop      *loop;
  GtkWidget      *window;
  GtkWidget      *progress_bar;
  GtkWidget      *status_label;
  GBindingGroup  *progress_binding;
  CsJobList      *job_list;

  Phase           phase;
  PhaseStats      stats[N_PHASES];
  gint64          last_frame;
  gint64          last_timer;
  gint64          last_timer_cpu;

  guint           n_jobs;
  double          load_seconds;
  const char     *import_folder;   /* the loaded phase imports clips when set */
  guint           n_running;
  guint           n_notifies;
  gint            n_updates;       /* atomic: summed by the workers */
  double          checksum;

  guint           cancel_round;
  gint64          cancel_time;
  GArray         *cancel_latencies;

  gboolean        failed;
} Bench;

typedef struct
{
  double          seconds;
  Bench          *bench;
} BurnData;

static void start_phase (Bench *bench,
                         Phase  phase);

/* CPU time of the calling thread: what the main loop itself spent, whatever
 * else the machine is doing. */
static gint64
thread_cpu_usec (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;

  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
percentile (GArray *values,
            double  p)
{
  g_autofree double *sorted = NULL;
  guint index;

  if (values->len == 0)
    return 0.0;

  sorted = g_memdup2 (values->data, values->len * sizeof (double));
  qsort (sorted, values->len, sizeof (double), compare_doubles);
  index = (guint) (p * (values->len - 1) + 0.5);
  return sorted[MIN (index, values->len - 1)];
}

static double
maximum (GArray *values)
{
  double max = 0.0;

  for (guint i = 0; i < values->len; i++)
    max = MAX (max, g_array_index (values, double, i));

  return max;
}

/* The worker: C = A·B row by row, reporting after every row. */
static gboolean
burn_func (CsJob         *job,
           gpointer       task_data,
           GCancellable  *cancellable,
           GError       **error)
{
  BurnData *data = task_data;
  g_autofree float *a = g_new (float, MATRIX_N * MATRIX_N);
  g_autofree float *b = g_new (float, MATRIX_N * MATRIX_N);
  g_autofree float *c = g_new (float, MATRIX_N * MATRIX_N);
  gint64 start = g_get_monotonic_time ();
  gint64 end = start + (gint64) (data->seconds * G_USEC_PER_SEC);
  char message[64] = "Multiplying matrices";
  double checksum = 0.0;
  guint n_updates = 0;
  gboolean ok = TRUE;

  for (guint i = 0; i < MATRIX_N * MATRIX_N; i++)
    {
      a[i] = (float) ((i * 7919u) % 1000u) / (1000.0f * MATRIX_N);
      b[i] = (float) ((i * 104729u) % 1000u) / (1000.0f * MATRIX_N);
    }

  for (guint round = 1; ok; round++)
    {
      for (guint i = 0; i < MATRIX_N && ok; i++)
        {
          gint64 now;

          for (guint j = 0; j < MATRIX_N; j++)
            c[i * MATRIX_N + j] = 0.0f;
          for (guint k = 0; k < MATRIX_N; k++)
            {
              float aik = a[i * MATRIX_N + k];

              for (guint j = 0; j < MATRIX_N; j++)
                c[i * MATRIX_N + j] += aik * b[k * MATRIX_N + j];
            }

          now = g_get_monotonic_time ();
          if (now >= end)
            ok = FALSE;
          else if (g_cancellable_set_error_if_cancelled (cancellable, error))
            {
              g_atomic_int_add (&data->bench->n_updates, (gint) n_updates);
              return FALSE;
            }
          else
            {
              cs_job_update (job, (double) (now - start) / (double) (end - start), message);
              n_updates++;
            }
        }

      checksum += c[round % (MATRIX_N * MATRIX_N)];
      a[round % (MATRIX_N * MATRIX_N)] += 1e-4f;
      g_snprintf (message, sizeof message, "Multiplying matrices, round %u", round);
    }

  g_atomic_int_add (&data->bench->n_updates, (gint) n_updates);
  /* Keeps the compiler from dropping the arithmetic. */
  if (checksum < 0.0)
    g_printerr ("%g\n", checksum);

  return TRUE;
}

static void
remove_project (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_remove (file);
    }
}

/* The worker of --import-clips: the app's clip import into a new project. */
static gboolean
import_func (CsJob         *job,
             gpointer       task_data,
             GCancellable  *cancellable,
             GError       **error)
{
  BurnData *data = task_data;
  g_autofree char *dir = g_dir_make_tmp ("bench-mainloop-XXXXXX", error);
  g_autofree char *path = NULL;
  g_autoptr(CsStore) store = NULL;
  g_autoptr(CsClipImportReport) report = NULL;
  const char *paths[] = { data->bench->import_folder, NULL };

  if (dir == NULL)
    return FALSE;
  path = g_build_filename (dir, "bench.clipscope", NULL);
  store = cs_store_open (path, CS_STORE_CREATE, error);
  if (store != NULL)
    report = cs_clip_import_run (store, paths, cs_job_progress_func, job, cancellable, error);
  if (report != NULL)
    g_printerr ("bench-mainloop: imported %u clips, %u refused, %u duplicates\n",
                report->n_ok, report->n_error, report->n_duplicate);
  g_clear_object (&store);
  remove_project (path);
  g_rmdir (dir);
  return report != NULL;
}

static void
fraction_notify_cb (CsJob      *job,
                    GParamSpec *pspec,
                    Bench      *bench)
{
  if (bench->phase == PHASE_LOAD)
    bench->n_notifies++;
}

static CsJob *
start_job (Bench  *bench,
           double  seconds)
{
  CsJob *job = cs_job_new ("Multiplying matrices");
  BurnData *data = g_new0 (BurnData, 1);

  data->seconds = seconds;
  data->bench = bench;

  g_signal_connect (job, "notify::fraction", G_CALLBACK (fraction_notify_cb), bench);

  /* The plain bar follows the newest job; the list shows every job. */
  g_binding_group_set_source (bench->progress_binding, job);

  cs_job_list_add (bench->job_list, job);
  if (bench->import_folder != NULL && seconds == bench->load_seconds)
    {
      cs_job_set_title (job, "Importing clips");
      cs_job_run_async (job, import_func, data, g_free, NULL, NULL);
    }
  else
    cs_job_run_async (job, burn_func, data, g_free, NULL, NULL);

  return job;
}

static void
load_job_finished_cb (CsJob *job,
                      Bench *bench)
{
  if (cs_job_get_state (job) != CS_JOB_SUCCEEDED)
    {
      g_printerr ("bench-mainloop: a load job ended %d\n", cs_job_get_state (job));
      bench->failed = TRUE;
    }

  if (--bench->n_running == 0)
    start_phase (bench, PHASE_CANCEL);
}

static void cancel_round_start (Bench *bench);

static void
cancel_job_finished_cb (CsJob *job,
                        Bench *bench)
{
  double latency_ms = (g_get_monotonic_time () - bench->cancel_time) / 1000.0;

  if (cs_job_get_state (job) != CS_JOB_CANCELLED)
    {
      g_printerr ("bench-mainloop: a cancelled job ended %d\n", cs_job_get_state (job));
      bench->failed = TRUE;
    }

  g_array_append_val (bench->cancel_latencies, latency_ms);

  if (++bench->cancel_round < CANCEL_ROUNDS)
    cancel_round_start (bench);
  else
    start_phase (bench, PHASE_DONE);
}

static void
cancel_now_cb (gpointer user_data)
{
  CsJob *job = user_data;
  Bench *bench = g_object_get_data (G_OBJECT (job), "bench");

  bench->cancel_time = g_get_monotonic_time ();
  cs_job_cancel (job);
}

static void
cancel_round_start (Bench *bench)
{
  g_autoptr(CsJob) job = start_job (bench, 3600.0);

  g_object_set_data (G_OBJECT (job), "bench", bench);
  g_signal_connect (job, "finished", G_CALLBACK (cancel_job_finished_cb), bench);
  g_timeout_add_once (CANCEL_AFTER_MS, cancel_now_cb, job);
}

static void
next_phase_cb (gpointer user_data)
{
  Bench *bench = user_data;

  start_phase (bench, bench->phase + 1);
}

static void
start_phase (Bench *bench,
             Phase  phase)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_usec ();

  bench->stats[bench->phase].end = now;
  bench->stats[bench->phase].cpu_end = cpu;
  bench->phase = phase;
  bench->stats[phase].start = now;
  bench->stats[phase].cpu_start = cpu;
  /* Gaps are counted within a phase only. */
  bench->last_frame = 0;
  bench->last_timer = 0;

  switch (phase)
    {
    case PHASE_WARMUP:
      g_timeout_add_once (WARMUP_MS, next_phase_cb, bench);
      break;

    case PHASE_BASELINE:
      gtk_label_set_text (GTK_LABEL (bench->status_label), "Idle (baseline)");
      g_timeout_add_once (BASELINE_MS, next_phase_cb, bench);
      break;

    case PHASE_LOAD:
      gtk_label_set_text (GTK_LABEL (bench->status_label), "Running CPU-bound jobs");
      for (guint i = 0; i < bench->n_jobs; i++)
        {
          g_autoptr(CsJob) job = start_job (bench, bench->load_seconds);

          g_signal_connect (job, "finished", G_CALLBACK (load_job_finished_cb), bench);
          bench->n_running++;
        }
      break;

    case PHASE_CANCEL:
      gtk_label_set_text (GTK_LABEL (bench->status_label), "Starting and cancelling jobs");
      cancel_round_start (bench);
      break;

    case PHASE_DONE:
      g_main_loop_quit (bench->loop);
      break;

    case N_PHASES:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  Bench *bench = user_data;
  gint64 now = g_get_monotonic_time ();

  /* The first frame starts the clock: the window is on screen. */
  if (bench->phase == PHASE_WARMUP && bench->stats[PHASE_WARMUP].start == 0)
    start_phase (bench, PHASE_WARMUP);

  if (bench->last_frame != 0)
    {
      double gap = (now - bench->last_frame) / 1000.0;
      g_array_append_val (bench->stats[bench->phase].frame_gaps, gap);
    }
  bench->last_frame = now;

  return G_SOURCE_CONTINUE;
}

static gboolean
timer_cb (gpointer user_data)
{
  Bench *bench = user_data;
  PhaseStats *stats = &bench->stats[bench->phase];
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_usec ();

  if (bench->last_timer != 0)
    {
      double gap = (now - bench->last_timer) / 1000.0;

      g_array_append_val (stats->timer_gaps, gap);
      /* Tells a busy main thread from one that was starved or blocked. */
      if (gap > stats->longest_timer_gap)
        {
          stats->longest_timer_gap = gap;
          stats->cpu_in_longest_gap = (cpu - bench->last_timer_cpu) / 1000.0;
        }
    }
  bench->last_timer = now;
  bench->last_timer_cpu = cpu;

  return G_SOURCE_CONTINUE;
}

static gboolean
watchdog_cb (gpointer user_data)
{
  Bench *bench = user_data;

  g_printerr ("bench-mainloop: gave up after %d s in phase %d\n", WATCHDOG_S, bench->phase);
  bench->failed = TRUE;
  g_main_loop_quit (bench->loop);

  return G_SOURCE_REMOVE;
}

static void
window_destroy_cb (Bench *bench)
{
  bench->window = NULL;
  if (bench->phase != PHASE_DONE)
    {
      g_printerr ("bench-mainloop: the window was closed\n");
      bench->failed = TRUE;
    }
  g_main_loop_quit (bench->loop);
}

static GtkWidget *
build_window (Bench *bench)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *list_box = gtk_list_box_new ();

  gtk_window_set_title (GTK_WINDOW (window), "bench-mainloop");
  gtk_window_set_default_size (GTK_WINDOW (window), 480, 320);

  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);

  gtk_widget_set_size_request (spinner, 48, 48);
  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_box_append (GTK_BOX (box), spinner);

  bench->status_label = gtk_label_new ("Starting");
  gtk_box_append (GTK_BOX (box), bench->status_label);

  bench->progress_bar = gtk_progress_bar_new ();
  gtk_box_append (GTK_BOX (box), bench->progress_bar);
  /* A group, because the jobs it follows come and go. */
  bench->progress_binding = g_binding_group_new ();
  g_binding_group_bind (bench->progress_binding, "fraction",
                        bench->progress_bar, "fraction",
                        G_BINDING_SYNC_CREATE);

  gtk_list_box_bind_model (GTK_LIST_BOX (list_box), G_LIST_MODEL (bench->job_list),
                           cs_job_row_create, NULL, NULL);
  gtk_widget_set_vexpand (list_box, TRUE);
  gtk_box_append (GTK_BOX (box), list_box);

  gtk_window_set_child (GTK_WINDOW (window), box);

  gtk_widget_add_tick_callback (spinner, tick_cb, bench, NULL);
  g_signal_connect_swapped (window, "destroy", G_CALLBACK (window_destroy_cb), bench);

  return window;
}

static void
print_row (const char *name,
           double      idle,
           double      load,
           const char *goal)
{
  printf ("  %-34s %10.2f %10.2f %9.2f  %s\n",
          name, idle, load, idle > 0.0 ? load / idle : 0.0, goal);
}

static double
cpu_per_second (PhaseStats *stats)
{
  double wall_s = (stats->end - stats->start) / (double) G_USEC_PER_SEC;

  if (wall_s <= 0.0)
    return 0.0;

  return (stats->cpu_end - stats->cpu_start) / 1000.0 / wall_s;
}

static void
print_report (Bench      *bench,
              const char *renderer)
{
  PhaseStats *idle = &bench->stats[PHASE_BASELINE];
  PhaseStats *load = &bench->stats[PHASE_LOAD];
  double load_s = (load->end - load->start) / (double) G_USEC_PER_SEC;
  double idle_stall = MAX (0.0, maximum (idle->timer_gaps) - TIMER_PERIOD_MS);
  double load_stall = MAX (0.0, maximum (load->timer_gaps) - TIMER_PERIOD_MS);
  double cancel_median = percentile (bench->cancel_latencies, 0.5);
  double cancel_max = maximum (bench->cancel_latencies);
  guint n_updates = (guint) g_atomic_int_get (&bench->n_updates);

  printf ("bench-mainloop: GTK %u.%u.%u, GLib %u.%u.%u, renderer %s, %u %s, "
          "%u logical CPUs\n",
          gtk_get_major_version (), gtk_get_minor_version (), gtk_get_micro_version (),
          glib_major_version, glib_minor_version, glib_micro_version,
          renderer, bench->n_jobs,
          bench->import_folder != NULL ? "clip import job(s)" : "CPU-bound job(s)",
          g_get_num_processors ());
  printf ("  %-34s %10s %10s %9s\n", "", "idle", "with job", "ratio");
  printf ("  %-34s %10.1f %10.1f\n", "phase length (s)",
          (idle->end - idle->start) / (double) G_USEC_PER_SEC, load_s);
  printf ("  %-34s %10u %10u\n", "frames", idle->frame_gaps->len + 1, load->frame_gaps->len + 1);
  print_row ("frame interval p50 (ms)",
             percentile (idle->frame_gaps, 0.5), percentile (load->frame_gaps, 0.5), "");
  print_row ("frame interval p99 (ms)",
             percentile (idle->frame_gaps, 0.99), percentile (load->frame_gaps, 0.99), "");
  print_row ("longest frame interval (ms)",
             maximum (idle->frame_gaps), maximum (load->frame_gaps), "");
  print_row ("5 ms timer gap p99 (ms)",
             percentile (idle->timer_gaps, 0.99), percentile (load->timer_gaps, 0.99), "");
  print_row ("longest 5 ms timer gap (ms)",
             maximum (idle->timer_gaps), maximum (load->timer_gaps), "");
  print_row ("longest main-loop stall (ms)", idle_stall, load_stall, "goal < 20 ms");
  print_row ("main-thread CPU in that gap (ms)",
             idle->cpu_in_longest_gap, load->cpu_in_longest_gap, "");
  print_row ("main-thread CPU (ms per s)",
             cpu_per_second (idle), cpu_per_second (load), "");
  printf ("  %-34s %21u  (%.0f per second)\n", "cs_job_update calls",
          n_updates, load_s > 0 ? n_updates / load_s : 0.0);
  printf ("  %-34s %21u  (%.0f per second)\n", "fraction notifications (main)",
          bench->n_notifies, load_s > 0 ? bench->n_notifies / load_s : 0.0);
  printf ("\n");
  printf ("longest main-loop stall: %.1f ms (goal < 20 ms) %s\n",
          load_stall, load_stall < 20.0 ? "ok" : "MISSED");
  printf ("p99 frame interval: %.1f ms with job, %.1f ms idle\n",
          percentile (load->frame_gaps, 0.99), percentile (idle->frame_gaps, 0.99));
  printf ("cancel latency: median %.2f ms, max %.2f ms over %u runs (goal < 200 ms) %s\n",
          cancel_median, cancel_max, bench->cancel_latencies->len,
          cancel_max < 200.0 ? "ok" : "MISSED");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  Bench bench = { 0 };
  int n_jobs = 1;
  double seconds = 5.0;
  const char *renderer = "unknown";
  g_autofree char *import_folder = NULL;
  const GOptionEntry entries[] = {
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &n_jobs, "CPU-bound jobs to run at once (1)", "N" },
    { "seconds", 's', 0, G_OPTION_ARG_DOUBLE, &seconds, "How long the jobs run (5)", "S" },
    { "import-clips", 0, 0, G_OPTION_ARG_FILENAME, &import_folder, "Import the clips of FOLDER as the load", "FOLDER" },
    { NULL }
  };

  context = g_option_context_new ("- main-loop stalls while jobs run");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-mainloop: %s\n", error->message);
      return EXIT_FAILURE;
    }
  if (n_jobs < 1 || seconds <= 0.0)
    {
      g_printerr ("bench-mainloop: --jobs and --seconds must be positive\n");
      return EXIT_FAILURE;
    }

  if (!gtk_init_check ())
    {
      g_printerr ("bench-mainloop: cannot open a display (try xvfb-run -a)\n");
      return EXIT_FAILURE;
    }

  bench.loop = g_main_loop_new (NULL, FALSE);
  bench.job_list = cs_job_list_new ();
  bench.n_jobs = (guint) n_jobs;
  bench.load_seconds = seconds;
  bench.import_folder = import_folder;
  bench.cancel_latencies = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < N_PHASES; i++)
    {
      bench.stats[i].frame_gaps = g_array_new (FALSE, FALSE, sizeof (double));
      bench.stats[i].timer_gaps = g_array_new (FALSE, FALSE, sizeof (double));
    }

  bench.window = build_window (&bench);
  gtk_window_present (GTK_WINDOW (bench.window));

  g_timeout_add (TIMER_PERIOD_MS, timer_cb, &bench);
  g_timeout_add_seconds (WATCHDOG_S, watchdog_cb, &bench);

  g_main_loop_run (bench.loop);

  if (bench.window != NULL)
    {
      GskRenderer *gsk = gtk_native_get_renderer (GTK_NATIVE (bench.window));

      if (gsk != NULL)
        renderer = G_OBJECT_TYPE_NAME (gsk);
    }

  if (bench.phase != PHASE_DONE || bench.stats[PHASE_LOAD].frame_gaps->len == 0)
    {
      g_printerr ("bench-mainloop: could not run (no frames, or stopped in phase %d)\n",
                  bench.phase);
      return EXIT_FAILURE;
    }

  print_report (&bench, renderer);
  if (bench.failed)
    g_printerr ("bench-mainloop: some jobs did not end as expected (see above)\n");

  return EXIT_SUCCESS;
}
