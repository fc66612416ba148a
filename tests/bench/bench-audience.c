/* bench-audience.c: the Audience dashboard's queries on a large log.
 *
 * Builds a project with the demo generator (no media) holding about
 * EVENTS view events plus their likes, comments, shares and follows, times
 * cs_audience_refresh() once on it (the summaries from nothing) and once
 * more (nothing to do), then each chart's query, all time and for one clip,
 * against the plain GROUP BY over the raw events table that gives the same
 * numbers (the peer), in the same run. Each time is the best of three.
 *
 *   bench-audience [--events N] [--viewers N] [--clips N] [--keep PROJECT]
 *
 * Figures go in docs/BENCHMARKS.md ("Audience dashboard").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>

#include "clipscope-engine.h"

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

static double
time_ours (CsStore                *store,
           const CsAudienceFilter *filter,
           CsAudienceParts         parts)
{
  double best = G_MAXDOUBLE;

  for (int i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CsAudienceResult) result = NULL;
      double start = now_s ();

      result = cs_audience_query (store, filter, parts, NULL, &error);
      if (result == NULL)
        g_error ("query: %s", error->message);
      best = MIN (best, now_s () - start);
    }
  return best;
}

/* Runs @sql to the end (binding ?1 to @clip_id when it has one). */
static double
time_peer (CsStore    *store,
           const char *sql,
           gint64      clip_id)
{
  double best = G_MAXDOUBLE;
  sqlite3 *db = cs_store_get_db (store);

  for (int i = 0; i < 3; i++)
    {
      sqlite3_stmt *stmt = NULL;
      double start = now_s ();
      gint64 sink = 0;

      if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
        g_error ("peer: %s", sqlite3_errmsg (db));
      if (sqlite3_bind_parameter_count (stmt) > 0)
        sqlite3_bind_int64 (stmt, 1, clip_id);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        sink += sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
      /* Reading the rows is part of the work; keep the compiler from dropping it. */
      if (sink == G_MININT64)
        g_printerr ("%" G_GINT64_FORMAT "\n", sink);
      best = MIN (best, now_s () - start);
    }
  return best;
}

static const struct
{
  const char      *name;
  CsAudienceParts  parts;
  const char      *peer;
} charts[] = {
  { "KPIs", CS_AUDIENCE_KPIS,
    "SELECT SUM(e.kind = 1), COUNT(DISTINCT e.viewer_id), AVG(CASE WHEN e.kind = 1 THEN e.watch_ms END),"
    " SUM(e.kind = 1 AND e.watch_ms * 100 >= 90 * c.duration_ms) * 1.0"
    "  / SUM(e.kind = 1 AND e.watch_ms IS NOT NULL AND c.duration_ms > 0),"
    " SUM(e.kind IN (2, 3, 4)), SUM(e.kind = 5)"
    " FROM events e JOIN clips c ON c.id = e.clip_id WHERE ?1 = 0 OR e.clip_id = ?1" },
  { "views over time", CS_AUDIENCE_VIEWS_OVER_TIME,
    "SELECT COUNT(*), date(time, 'unixepoch', 'localtime') AS d FROM events"
    " WHERE kind = 1 AND (?1 = 0 OR clip_id = ?1) GROUP BY d" },
  { "retention", CS_AUDIENCE_RETENTION,
    "SELECT COUNT(*), MIN(e.watch_ms * 100 / c.duration_ms, 100) AS p FROM events e JOIN clips c ON c.id = e.clip_id"
    " WHERE e.kind = 1 AND e.watch_ms IS NOT NULL AND c.duration_ms > 0 AND (?1 = 0 OR e.clip_id = ?1) GROUP BY p" },
  { "watch-ratio histogram", CS_AUDIENCE_WATCH_RATIO,
    "SELECT COUNT(*), MIN(e.watch_ms * 10 / c.duration_ms, 9) AS b FROM events e JOIN clips c ON c.id = e.clip_id"
    " WHERE e.kind = 1 AND e.watch_ms IS NOT NULL AND c.duration_ms > 0 AND (?1 = 0 OR e.clip_id = ?1) GROUP BY b" },
  { "funnel", CS_AUDIENCE_FUNNEL,
    "SELECT COUNT(*), SUM(v AND g), SUM(v AND g AND s), SUM(v AND g AND s AND f) FROM"
    " (SELECT MAX(kind = 1) AS v, MAX(kind IN (2, 3)) AS g, MAX(kind = 4) AS s, MAX(kind = 5) AS f"
    "  FROM events WHERE ?1 = 0 OR clip_id = ?1 GROUP BY viewer_id) WHERE v" },
  { "post-time heatmap", CS_AUDIENCE_POST_TIME,
    "SELECT COUNT(*), clip_id FROM events WHERE kind = 1 AND (?1 = 0 OR clip_id = ?1) GROUP BY clip_id" },
  { "top clips", CS_AUDIENCE_TOP_CLIPS,
    "SELECT SUM(kind = 1) AS v, SUM(kind IN (2, 3, 4)), clip_id FROM events"
    " WHERE ?1 = 0 OR clip_id = ?1 GROUP BY clip_id ORDER BY v DESC LIMIT 10" },
  { "top hashtags", CS_AUDIENCE_TOP_HASHTAGS,
    "SELECT SUM(e.kind = 1), SUM(e.kind IN (2, 3, 4)), c.hashtags FROM events e JOIN clips c ON c.id = e.clip_id"
    " WHERE ?1 = 0 OR e.clip_id = ?1 GROUP BY e.clip_id" },
};

int
main (int    argc,
      char **argv)
{
  gint64 events = 10000000, viewers = 20000, clips = 200;
  g_autofree char *keep = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CsStore) store = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  GOptionEntry entries[] = {
    { "events", 0, 0, G_OPTION_ARG_INT64, &events, "Target number of view events (default 10,000,000)", "N" },
    { "viewers", 0, 0, G_OPTION_ARG_INT64, &viewers, "Viewers (default 20,000)", "N" },
    { "clips", 0, 0, G_OPTION_ARG_INT64, &clips, "Clips (default 200)", "N" },
    { "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep, "Use (or create and keep) this project", "PROJECT" },
    { NULL }
  };
  CsAudienceFilter filter;
  gint64 top_clip, n_events;
  double start, total_ours = 0, total_peer = 0;

  context = g_option_context_new ("— time the Audience dashboard's queries");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-audience: %s\n", error->message);
      return 1;
    }

  if (keep != NULL)
    path = g_strdup (keep);
  else
    {
      dir = g_dir_make_tmp ("clipscope-bench-audience-XXXXXX", &error);
      g_assert_no_error (error);
      path = g_build_filename (dir, "Bench.clipscope", NULL);
    }

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      CsDemoOptions options;
      CsDemoSummary summary = { 0 };

      cs_demo_options_init (&options);
      options.n_events = (guint64) events;
      options.n_viewers = (guint) viewers;
      options.n_clips = (guint) clips;
      options.render_media = FALSE;
      start = now_s ();
      if (!cs_demo_create_full (path, &options, &summary, NULL, NULL, NULL, &error))
        {
          g_printerr ("bench-audience: %s\n", error->message);
          return 1;
        }
      printf ("generated %" G_GUINT64_FORMAT " events (%" G_GUINT64_FORMAT " views), %u viewers, %u clips in %.1f s\n",
              summary.n_events, summary.n_by_kind[CS_EVENT_VIEW], summary.n_viewers, summary.n_clips,
              now_s () - start);
    }

  store = cs_store_open (path, CS_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  n_events = cs_store_query_int (store, "SELECT COUNT(*) FROM events", 0);

  start = now_s ();
  if (!cs_audience_refresh (store, NULL, &error))
    {
      g_printerr ("bench-audience: %s\n", error->message);
      return 1;
    }
  printf ("refresh, summaries from nothing (%" G_GINT64_FORMAT " events): %.2f s\n", n_events, now_s () - start);
  start = now_s ();
  g_assert_true (cs_audience_refresh (store, NULL, &error));
  printf ("refresh, nothing to do: %.2f ms\n", (now_s () - start) * 1e3);
  printf ("summary rows: daily %" G_GINT64_FORMAT ", hourly %" G_GINT64_FORMAT ", viewers %" G_GINT64_FORMAT "\n",
          cs_store_query_int (store, "SELECT COUNT(*) FROM audience_daily", 0),
          cs_store_query_int (store, "SELECT COUNT(*) FROM audience_hourly", 0),
          cs_store_query_int (store, "SELECT COUNT(*) FROM audience_viewers", 0));

  top_clip = cs_store_query_int (store,
                                 "SELECT clip_id FROM audience_daily GROUP BY clip_id ORDER BY SUM(views) DESC LIMIT 1",
                                 0);
  printf ("\n%-24s %-9s %10s %10s %9s\n", "chart", "filter", "ours_ms", "peer_ms", "peer/ours");
  for (int pass = 0; pass < 2; pass++)
    {
      cs_audience_filter_init (&filter);
      filter.clip_id = pass == 0 ? 0 : top_clip;
      for (guint i = 0; i < G_N_ELEMENTS (charts); i++)
        {
          double ours = time_ours (store, &filter, charts[i].parts);
          double peer = time_peer (store, charts[i].peer, filter.clip_id);

          printf ("%-24s %-9s %10.1f %10.1f %9.0f\n", charts[i].name, pass == 0 ? "all time" : "top clip",
                  ours * 1e3, peer * 1e3, peer / ours);
          total_ours += ours;
          total_peer += peer;
        }
      {
        double ours = time_ours (store, &filter, CS_AUDIENCE_ALL);

        printf ("%-24s %-9s %10.1f\n", "whole dashboard", pass == 0 ? "all time" : "top clip", ours * 1e3);
      }
    }
  printf ("%-24s %-9s %10.1f %10.1f %9.0f\n", "TOTAL (per chart)", "", total_ours * 1e3, total_peer * 1e3,
          total_peer / total_ours);

  g_clear_object (&store);
  if (keep == NULL)
    {
      const char *suffixes[] = { "", "-wal", "-shm", "-journal" };
      g_autofree char *clips_dir = cs_demo_clips_folder (path);

      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
          g_unlink (file);
        }
      g_rmdir (clips_dir);
      g_rmdir (dir);
    }
  return 0;
}
