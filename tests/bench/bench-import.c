/* bench-import.c: importing a large event log, against `sqlite3 .import`.
 *
 *   bench-import [--rows N] [--dir DIR] [--again]
 *
 * 1. Makes a simulated project (cs_demo_create_full(): 100,000 viewers,
 *    5,000 clips, no videos) and writes its first N events (default
 *    5,000,000) as a CSV (user_id,item_id,timestamp,event,watch_time) and the
 *    next N/5 as a second CSV: the "more rows later" file.
 * 2. `sqlite3` imports the big CSV into a fresh database holding a table with
 *    the CSV's columns and the same secondary indexes as the events table
 *    (clip; viewer, time), in WAL mode with synchronous=NORMAL like a
 *    project; then the small CSV into that same database.
 * 3. `clipscope-cli import-events` imports the big CSV into a new project,
 *    then the small one into it, and with --again the big one again (all
 *    duplicates). Steps 2 and 3 alternate: big, big, small, small.
 *
 * Each step is a child process; its wall time and peak RSS (wait4) are
 * printed with rows/s and the ratio sqlite3 / ours. With --dir the CSVs are
 * kept in DIR and reused by the next run; without it everything lives in a
 * temporary folder that is removed at the end. Figures go in
 * docs/BENCHMARKS.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clipscope-engine.h"

typedef struct
{
  double  seconds;      /* wall */
  double  cpu_seconds;  /* user + system: steadier than wall on a busy machine */
  long    peak_kb;
} Run;

/* Runs @argv (stdin from @input when not NULL, stdout to /dev/null) and
 * measures it. */
static gboolean
run_child (const char * const *argv,
           const char         *input,
           Run                *run)
{
  struct rusage usage;
  gint64 start = g_get_monotonic_time ();
  int status;
  pid_t pid;

  fflush (stdout);
  pid = fork ();
  if (pid < 0)
    return FALSE;
  if (pid == 0)
    {
      FILE *in = input != NULL ? freopen (input, "r", stdin) : stdin;

      if (in == NULL || freopen ("/dev/null", "w", stdout) == NULL)
        _exit (126);
      execvp (argv[0], (char * const *) argv);
      _exit (127);
    }
  while (wait4 (pid, &status, 0, &usage) < 0)
    if (errno != EINTR)
      return FALSE;
  run->seconds = (g_get_monotonic_time () - start) / 1e6;
  run->peak_kb = usage.ru_maxrss;
  run->cpu_seconds = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
                     usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      g_printerr ("%s failed (status %d)\n", argv[0], status);
      return FALSE;
    }
  return TRUE;
}

static const char *
kind_name (int kind)
{
  static const char * const names[] = { "?", "view", "like", "comment", "share", "follow", "save" };

  return kind >= 1 && kind <= 6 ? names[kind] : "?";
}

/* Events [offset, offset + n) of the demo project, in id order. */
static gboolean
write_csv (sqlite3    *db,
           const char *path,
           gint64      offset,
           gint64      n)
{
  sqlite3_stmt *stmt = NULL;
  FILE *out = fopen (path, "w");
  gint64 written = 0;

  if (out == NULL)
    return FALSE;
  fputs ("user_id,item_id,timestamp,event,watch_time\n", out);
  sqlite3_prepare_v2 (db,
                      "SELECT v.external_id, c.external_id, e.time, e.kind, e.watch_ms "
                      "FROM events e JOIN viewers v ON v.id = e.viewer_id "
                      "JOIN clips c ON c.id = e.clip_id ORDER BY e.id LIMIT ?2 OFFSET ?1",
                      -1, &stmt, NULL);
  sqlite3_bind_int64 (stmt, 1, offset);
  sqlite3_bind_int64 (stmt, 2, n);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      fprintf (out, "%s,%s,%" G_GINT64_FORMAT ",%s,",
               sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 1),
               (gint64) sqlite3_column_int64 (stmt, 2), kind_name (sqlite3_column_int (stmt, 3)));
      if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
        {
          gint64 ms = sqlite3_column_int64 (stmt, 4);

          fprintf (out, "%" G_GINT64_FORMAT ".%03d", ms / 1000, (int) (ms % 1000));
        }
      fputc ('\n', out);
      written++;
    }
  sqlite3_finalize (stmt);
  if (fclose (out) != 0 || written != n)
    {
      g_printerr ("wrote %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " rows to %s\n",
                  written, n, path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
make_csvs (const char *dir,
           const char *big,
           const char *small,
           gint64      n_rows)
{
  g_autofree char *project = g_build_filename (dir, "source.clipscope", NULL);
  g_autoptr(GError) error = NULL;
  CsDemoOptions options;
  CsDemoSummary summary;
  sqlite3 *db = NULL;
  gboolean ok;

  if (g_file_test (big, G_FILE_TEST_EXISTS) && g_file_test (small, G_FILE_TEST_EXISTS))
    return TRUE;

  cs_demo_options_init (&options);
  options.n_viewers = 100000;
  options.n_clips = 5000;
  /* Views are about 88 % of the events the model makes. */
  options.n_events = (guint64) (n_rows * 1.2 / 1.13);
  options.render_media = FALSE;
  g_unlink (project);
  printf ("Simulating %" G_GUINT64_FORMAT " views…\n", options.n_events);
  if (!cs_demo_create_full (project, &options, &summary, NULL, NULL, NULL, &error))
    {
      g_printerr ("demo: %s\n", error->message);
      return FALSE;
    }
  if ((gint64) summary.n_events < n_rows + n_rows / 5)
    {
      g_printerr ("the demo made only %" G_GUINT64_FORMAT " events\n", summary.n_events);
      return FALSE;
    }

  sqlite3_open_v2 (project, &db, SQLITE_OPEN_READONLY, NULL);
  ok = write_csv (db, big, 0, n_rows) && write_csv (db, small, n_rows, n_rows / 5);
  sqlite3_close (db);
  g_unlink (project);
  return ok;
}

static void
print_run (const char *what,
           gint64      rows,
           const Run  *run)
{
  printf ("  %-48s %7.2f s wall %7.2f s CPU  %9.0f rows/s  peak %6.1f MB\n",
          what, run->seconds, run->cpu_seconds, rows / run->seconds, run->peak_kb / 1024.0);
}

static gboolean
sqlite_import (const char *db_path,
               const char *csv,
               gboolean    create,
               Run        *run)
{
  g_autofree char *script_path = g_strconcat (db_path, ".sql", NULL);
  g_autofree char *script = NULL;
  const char *argv[] = { "sqlite3", "-batch", db_path, NULL };
  gboolean ok;

  script = g_strdup_printf ("%s"
                            ".import --csv --skip 1 '%s' events\n",
                            create ?
                            "PRAGMA journal_mode = WAL;\n"
                            "PRAGMA synchronous = NORMAL;\n"
                            "CREATE TABLE events (user_id TEXT, item_id TEXT, timestamp INTEGER,"
                            " event TEXT, watch_time REAL);\n"
                            "CREATE INDEX events_clip ON events (item_id);\n"
                            "CREATE INDEX events_viewer_time ON events (user_id, timestamp);\n"
                            : "PRAGMA synchronous = NORMAL;\n",
                            csv);
  if (!g_file_set_contents (script_path, script, -1, NULL))
    return FALSE;
  ok = run_child (argv, script_path, run);
  g_unlink (script_path);
  return ok;
}

static gboolean
ours_import (const char *cli,
             const char *project,
             const char *csv,
             Run        *run)
{
  const char *argv[] = { cli, "import-events", "--json", project, csv, NULL };

  return run_child (argv, NULL, run);
}

static gint64
count_rows (const char *db_path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  if (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
remove_db (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (path, suffixes[i], NULL);

      g_unlink (name);
    }
}

int
main (int    argc,
      char **argv)
{
  gint64 n_rows = 5000000;
  g_autofree char *dir = NULL;
  gboolean again = FALSE;
  const GOptionEntry entries[] = {
    { "again", 0, 0, G_OPTION_ARG_NONE, &again,
      "Then import the big CSV again (all duplicates; long)", NULL },
    { "rows", 0, 0, G_OPTION_ARG_INT64, &n_rows, "Rows of the big CSV (default 5,000,000)", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Keep and reuse the CSVs in DIR", "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *big = NULL, *small = NULL, *peer_db = NULL, *project = NULL;
  gboolean temporary = FALSE;
  Run peer_big, peer_small, ours_big, ours_small, ours_again;
  gint64 n_small;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_rows < 10)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "--rows must be at least 10");
      return 2;
    }
  n_small = n_rows / 5;

  if (dir == NULL)
    {
      dir = g_dir_make_tmp ("bench-import-XXXXXX", &error);
      if (dir == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      temporary = TRUE;
    }
  g_mkdir_with_parents (dir, 0700);
  big = g_build_filename (dir, "events-big.csv", NULL);
  small = g_build_filename (dir, "events-more.csv", NULL);
  peer_db = g_build_filename (dir, "peer.db", NULL);
  project = g_build_filename (dir, "ours.clipscope", NULL);

  if (!make_csvs (dir, big, small, n_rows))
    return 1;
  remove_db (peer_db);
  remove_db (project);

  printf ("Event import, %" G_GINT64_FORMAT " rows then %" G_GINT64_FORMAT " more (%s)\n",
          n_rows, n_small, dir);
  /* Each figure as soon as it is known: the last step is long. */
  setvbuf (stdout, NULL, _IOLBF, 0);
  if (!sqlite_import (peer_db, big, TRUE, &peer_big))
    return 1;
  print_run ("sqlite3 .import, into a new database", n_rows, &peer_big);
  if (!ours_import (CS_CLI_PATH, project, big, &ours_big))
    return 1;
  print_run ("clipscope-cli import-events, into a new project", n_rows, &ours_big);
  printf ("  ratio (sqlite3 / ours): %.2f wall, %.2f CPU\n",
          peer_big.seconds / ours_big.seconds, peer_big.cpu_seconds / ours_big.cpu_seconds);
  if (!sqlite_import (peer_db, small, FALSE, &peer_small))
    return 1;
  print_run ("sqlite3 .import, more rows", n_small, &peer_small);
  if (!ours_import (CS_CLI_PATH, project, small, &ours_small))
    return 1;
  print_run ("clipscope-cli import-events, more rows", n_small, &ours_small);
  printf ("  ratio (sqlite3 / ours): %.2f wall, %.2f CPU\n",
          peer_small.seconds / ours_small.seconds, peer_small.cpu_seconds / ours_small.cpu_seconds);
  if (again)
    {
      if (!ours_import (CS_CLI_PATH, project, big, &ours_again))
        return 1;
      print_run ("clipscope-cli, the big file again (duplicates)", n_rows, &ours_again);
    }
  /* sqlite3 keeps every row; we keep one of each set of identical rows. */
  printf ("  events: sqlite3 %" G_GINT64_FORMAT " (all rows), ours %" G_GINT64_FORMAT
          " (distinct rows, by sqlite3: %" G_GINT64_FORMAT ")\n",
          count_rows (peer_db, "SELECT count(*) FROM events"),
          count_rows (project, "SELECT count(*) FROM events"),
          count_rows (peer_db, "SELECT count(*) FROM (SELECT DISTINCT user_id, item_id, "
                               "timestamp, event, watch_time FROM events)"));

  remove_db (peer_db);
  remove_db (project);
  if (temporary)
    {
      g_unlink (big);
      g_unlink (small);
      g_rmdir (dir);
    }
  return 0;
}
