/* test-audience.c: the Audience dashboard's numbers on a project small
 * enough to work out by hand.
 *
 * The process runs in UTC+8 without DST (TZ=CST-8, a POSIX zone string that
 * needs no tzdata). Day A is Monday 2026-03-02 local, which starts at
 * 1772380800 = 2026-03-01T16:00:00Z; day B is Tuesday 2026-03-03.
 *
 * Clips (duration, hashtags, posted):
 *   1 Bread  10 s   "bakery bread"  A 09:30
 *   2 Cake   20 s   "bakery Cake"   A 09:10
 *   3 Tea    none   "#tea"          unknown
 *   4 Jam     5 s   "jam"           A 09:45   (never watched)
 *
 * Events (import, viewer, clip, local time, kind, watch):
 *    1  i1 v1 c1 A 10:00    view  10000 ms  → 100 %
 *    2  i1 v1 c1 A 10:01    like
 *    3  i1 v1 c1 A 10:02    share
 *    4  i1 v2 c1 A 23:59:59 view   4500 ms  → 45 %   (15:59:59Z)
 *    5  i1 v2 c2 A 12:00    view  18000 ms  → 90 %
 *    6  i1 v2 c2 A 12:01    comment
 *    7  i1 v3 c1 B 00:00:00 view   8990 ms  → 89 %   (16:00:00Z, same UTC day as 4)
 *    8  i1 v3 c3 B 08:00    view   5000 ms  → no ratio (no duration)
 *    9  i1 v1 c2 B 20:00    view  25000 ms  → 125 %, counted as 100 %
 *   10  i1 v1 c2 B 20:01    follow
 *   11  i2 v4 c2 B 21:00    view   no watch time
 *   12  i2 v4 c2 B 21:01    like
 *   13  i2 v4 c2 B 21:02    share
 *   14  i2 v4 c2 B 21:03    follow
 *   15  i2 v2 c1 A 13:00    save
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "cs-audience.h"
#include "cs-error.h"
#include "cs-store.h"

#define A0 G_GINT64_CONSTANT (1772380800)
#define B0 (A0 + 86400)
#define DAY_A 20514
#define DAY_B 20515
#define H 3600

typedef struct
{
  char    *dir;
  char    *path;
  CsStore *store;
} Fixture;

static void
exec (CsStore    *store,
      const char *sql)
{
  g_autoptr(GError) error = NULL;

  cs_store_exec (store, sql, &error);
  g_assert_no_error (error);
}

static void
add_event (CsStore    *store,
           gint64      import_id,
           gint64      viewer,
           gint64      clip,
           gint64      time,
           int         kind,
           gint64      watch_ms)   /* -1: none */
{
  g_autofree char *watch = watch_ms < 0 ? g_strdup ("NULL") : g_strdup_printf ("%" G_GINT64_FORMAT, watch_ms);
  g_autofree char *sql = g_strdup_printf ("INSERT INTO events (import_id, viewer_id, clip_id, time, kind, watch_ms)"
                                          " VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
                                          ", %" G_GINT64_FORMAT ", %d, %s)",
                                          import_id, viewer, clip, time, kind, watch);

  exec (store, sql);
}

static void
add_clips (CsStore *store)
{
  g_autofree char *sql =
    g_strdup_printf ("INSERT INTO clips (id, external_id, title, duration_ms, hashtags, posted_at) VALUES"
                     " (1, 'c1', 'Bread', 10000, 'bakery bread', %" G_GINT64_FORMAT "),"
                     " (2, 'c2', 'Cake', 20000, 'bakery Cake', %" G_GINT64_FORMAT "),"
                     " (3, 'c3', 'Tea', NULL, '#tea', NULL),"
                     " (4, 'c4', 'Jam', 5000, 'jam', %" G_GINT64_FORMAT ")",
                     A0 + 9 * H + 1800, A0 + 9 * H + 600, A0 + 9 * H + 2700);

  exec (store, sql);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gboolean with_events = GPOINTER_TO_INT (data);

  g_setenv ("TZ", "CST-8", TRUE);
  fixture->dir = g_dir_make_tmp ("clipscope-audience-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "Test.clipscope", NULL);
  fixture->store = cs_store_open (fixture->path, CS_STORE_CREATE, &error);
  g_assert_no_error (error);

  add_clips (fixture->store);
  if (!with_events)
    return;
  exec (fixture->store,
        "INSERT INTO imports (id, kind) VALUES (1, 'events'), (2, 'events');"
        "INSERT INTO viewers (id, external_id) VALUES (1, 'v1'), (2, 'v2'), (3, 'v3'), (4, 'v4');");
  add_event (fixture->store, 1, 1, 1, A0 + 10 * H, 1, 10000);
  add_event (fixture->store, 1, 1, 1, A0 + 10 * H + 60, 2, -1);
  add_event (fixture->store, 1, 1, 1, A0 + 10 * H + 120, 4, -1);
  add_event (fixture->store, 1, 2, 1, A0 + 86399, 1, 4500);
  add_event (fixture->store, 1, 2, 2, A0 + 12 * H, 1, 18000);
  add_event (fixture->store, 1, 2, 2, A0 + 12 * H + 60, 3, -1);
  add_event (fixture->store, 1, 3, 1, B0, 1, 8990);
  add_event (fixture->store, 1, 3, 3, B0 + 8 * H, 1, 5000);
  add_event (fixture->store, 1, 1, 2, B0 + 20 * H, 1, 25000);
  add_event (fixture->store, 1, 1, 2, B0 + 20 * H + 60, 5, -1);
  add_event (fixture->store, 2, 4, 2, B0 + 21 * H, 1, -1);
  add_event (fixture->store, 2, 4, 2, B0 + 21 * H + 60, 2, -1);
  add_event (fixture->store, 2, 4, 2, B0 + 21 * H + 120, 4, -1);
  add_event (fixture->store, 2, 4, 2, B0 + 21 * H + 180, 5, -1);
  add_event (fixture->store, 2, 2, 1, A0 + 13 * H, 6, -1);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->store);
  for (const char *suffix = ""; suffix != NULL; suffix = g_str_equal (suffix, "") ? "-wal" : g_str_equal (suffix, "-wal") ? "-shm" : NULL)
    {
      g_autofree char *file = g_strconcat (fixture->path, suffix, NULL);
      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static CsAudienceResult *
query (CsStore *store,
       gint64   from,
       gint64   to,
       gint64   clip_id)
{
  g_autoptr(GError) error = NULL;
  CsAudienceFilter filter;
  CsAudienceResult *result;

  cs_audience_refresh (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cs_audience_is_current (store, &error));
  g_assert_no_error (error);

  cs_audience_filter_init (&filter);
  filter.from = from;
  filter.to = to;
  filter.clip_id = clip_id;
  result = cs_audience_query (store, &filter, CS_AUDIENCE_ALL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static void
assert_row (const CsAudienceRow *row,
            gint64               clip_id,
            const char          *name,
            double               views,
            double               engagement,
            guint                n_clips)
{
  g_assert_cmpint (row->clip_id, ==, clip_id);
  g_assert_cmpstr (row->name, ==, name);
  g_assert_cmpfloat_with_epsilon (row->views, views, 1e-9);
  g_assert_cmpfloat_with_epsilon (row->engagement_rate, engagement, 1e-9);
  g_assert_cmpuint (row->n_clips, ==, n_clips);
}

static void
test_all_time (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(CsAudienceResult) r = query (fixture->store, 0, 0, 0);
  const guint64 bins[CS_AUDIENCE_RATIO_BINS] = { 0, 0, 0, 0, 1, 0, 0, 0, 1, 3 };

  g_assert_cmpint (r->source, ==, CS_AUDIENCE_SOURCE_EVENTS);
  g_assert_cmpint (r->first_day, ==, DAY_A);
  g_assert_cmpint (r->last_day, ==, DAY_B);

  /* Views 1, 4, 5, 7, 8, 9, 11; viewers v1–v4. */
  g_assert_cmpfloat (r->views, ==, 7);
  g_assert_cmpfloat (r->viewers, ==, 4);
  /* Watch times of views 1, 4, 5, 7, 8, 9: 71,490 ms over 6 views. */
  g_assert_cmpfloat_with_epsilon (r->avg_watch_s, 71.490 / 6, 1e-9);
  /* Ratios 100, 45, 90, 89, 100: three at 90 % or more. */
  g_assert_cmpfloat_with_epsilon (r->completion_rate, 3.0 / 5, 1e-9);
  /* Likes 2 + comments 1 + shares 2 over 7 views. */
  g_assert_cmpfloat_with_epsilon (r->engagement_rate, 5.0 / 7, 1e-9);
  g_assert_cmpfloat (r->follows, ==, 2);
  g_assert_cmpfloat (r->saves, ==, 1);

  /* Daily: day A has views 1, 4, 5 (4 is one second before local
   * midnight), day B has 7, 8, 9, 11. */
  g_assert_false (r->weekly);
  g_assert_cmpuint (r->bucket_time->len, ==, 2);
  g_assert_cmpint (g_array_index (r->bucket_time, gint64, 0), ==, A0);
  g_assert_cmpint (g_array_index (r->bucket_time, gint64, 1), ==, B0);
  g_assert_cmpfloat (g_array_index (r->bucket_views, double, 0), ==, 3);
  g_assert_cmpfloat (g_array_index (r->bucket_views, double, 1), ==, 4);

  for (guint b = 0; b < CS_AUDIENCE_RATIO_BINS; b++)
    g_assert_cmpuint (r->ratio_bins[b], ==, bins[b]);

  /* Retention over all clips: 5 views with a ratio (100, 45, 90, 89, 100). */
  g_assert_cmpuint (r->retention_views, ==, 5);
  g_assert_cmpfloat (r->retention[0], ==, 1.0);
  g_assert_cmpfloat (r->retention[45], ==, 1.0);
  g_assert_cmpfloat_with_epsilon (r->retention[46], 4.0 / 5, 1e-12);
  g_assert_cmpfloat_with_epsilon (r->retention[89], 4.0 / 5, 1e-12);
  g_assert_cmpfloat_with_epsilon (r->retention[90], 3.0 / 5, 1e-12);
  g_assert_cmpfloat_with_epsilon (r->retention[91], 2.0 / 5, 1e-12);
  g_assert_cmpfloat_with_epsilon (r->retention[100], 2.0 / 5, 1e-12);

  /* v1 and v4 reach "followed"; v2 commented but never shared; v3 only watched. */
  g_assert_cmpuint (r->funnel[0], ==, 4);
  g_assert_cmpuint (r->funnel[1], ==, 3);
  g_assert_cmpuint (r->funnel[2], ==, 2);
  g_assert_cmpuint (r->funnel[3], ==, 2);

  /* Posted Monday 09:xx: Bread 3 views, Cake 3, Jam 0 → median 3. */
  g_assert_true (r->post_time_by_posting);
  for (guint w = 0; w < 7; w++)
    for (guint h = 0; h < 24; h++)
      if (w == 0 && h == 9)
        g_assert_cmpfloat (r->heat[w][h], ==, 3);
      else
        g_assert_true (isnan (r->heat[w][h]));

  /* Bread: likes 1 + shares 1 over 3; Cake: 1 + 1 + 1 over 3; Tea 0 over 1. */
  g_assert_cmpuint (r->top_clips->len, ==, 3);
  assert_row (g_ptr_array_index (r->top_clips, 0), 1, "Bread", 3, 2.0 / 3, 1);
  assert_row (g_ptr_array_index (r->top_clips, 1), 2, "Cake", 3, 1.0, 1);
  assert_row (g_ptr_array_index (r->top_clips, 2), 3, "Tea", 1, 0.0, 1);

  g_assert_cmpuint (r->top_hashtags->len, ==, 4);
  assert_row (g_ptr_array_index (r->top_hashtags, 0), 0, "bakery", 6, 5.0 / 6, 2);
  assert_row (g_ptr_array_index (r->top_hashtags, 1), 0, "bread", 3, 2.0 / 3, 1);
  assert_row (g_ptr_array_index (r->top_hashtags, 2), 0, "cake", 3, 1.0, 1);
  assert_row (g_ptr_array_index (r->top_hashtags, 3), 0, "tea", 1, 0.0, 1);
}

static void
test_day_filter (Fixture       *fixture,
                 gconstpointer  data)
{
  /* Day B only: views 7, 8, 9, 11 by v3, v3, v1, v4. */
  g_autoptr(CsAudienceResult) r = query (fixture->store, B0, B0 + 86400, 0);

  g_assert_cmpfloat (r->views, ==, 4);
  g_assert_cmpfloat (r->viewers, ==, 3);
  g_assert_cmpfloat_with_epsilon (r->avg_watch_s, 38.990 / 3, 1e-9);
  g_assert_cmpfloat_with_epsilon (r->completion_rate, 1.0 / 2, 1e-9);
  g_assert_cmpfloat_with_epsilon (r->engagement_rate, 2.0 / 4, 1e-9);
  g_assert_cmpfloat (r->follows, ==, 2);
  /* v1 watched and followed on B but liked and shared on A. */
  g_assert_cmpuint (r->funnel[0], ==, 3);
  g_assert_cmpuint (r->funnel[1], ==, 1);
  g_assert_cmpuint (r->funnel[2], ==, 1);
  g_assert_cmpuint (r->funnel[3], ==, 1);
  g_assert_cmpuint (r->bucket_time->len, ==, 1);
  g_assert_cmpfloat (g_array_index (r->bucket_views, double, 0), ==, 4);

  /* No clip was posted on B: views by viewing time, Tuesday at 0, 8, 20, 21 h. */
  g_assert_false (r->post_time_by_posting);
  for (guint w = 0; w < 7; w++)
    for (guint h = 0; h < 24; h++)
      g_assert_cmpfloat (r->heat[w][h], ==, (w == 1 && (h == 0 || h == 8 || h == 20 || h == 21)) ? 1 : 0);

  g_assert_cmpuint (r->top_clips->len, ==, 3);
  assert_row (g_ptr_array_index (r->top_clips, 0), 2, "Cake", 2, 1.0, 1);
  assert_row (g_ptr_array_index (r->top_clips, 1), 1, "Bread", 1, 0.0, 1);
  assert_row (g_ptr_array_index (r->top_clips, 2), 3, "Tea", 1, 0.0, 1);

  /* A filter that is not on local midnights covers whole days: 13:00 on A
   * to 01:00 on B is days A and B. */
  {
    g_autoptr(CsAudienceResult) wide = query (fixture->store, A0 + 13 * H, B0 + H, 0);
    g_assert_cmpfloat (wide->views, ==, 7);
  }
}

static void
test_clip_filter (Fixture       *fixture,
                  gconstpointer  data)
{
  /* Cake: views 5, 9, 11 by v2 (commented), v1 (followed), v4 (everything). */
  g_autoptr(CsAudienceResult) r = query (fixture->store, 0, 0, 2);

  g_assert_cmpfloat (r->views, ==, 3);
  g_assert_cmpfloat (r->viewers, ==, 3);
  g_assert_cmpfloat_with_epsilon (r->avg_watch_s, 43.0 / 2, 1e-9);
  g_assert_cmpfloat (r->completion_rate, ==, 1.0);
  g_assert_cmpuint (r->funnel[0], ==, 3);
  g_assert_cmpuint (r->funnel[1], ==, 2);
  g_assert_cmpuint (r->funnel[2], ==, 1);
  g_assert_cmpuint (r->funnel[3], ==, 1);
  g_assert_cmpint (r->retention_clip_id, ==, 2);
  g_assert_cmpfloat (r->retention[90], ==, 1.0);
  g_assert_cmpfloat_with_epsilon (r->retention[91], 1.0 / 2, 1e-12);
  g_assert_cmpuint (r->top_clips->len, ==, 1);

  /* Retention of Bread while the rest shows all clips: 100, 45, 89. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CsAudienceResult) bread = NULL;
    CsAudienceFilter filter;

    cs_audience_filter_init (&filter);
    filter.retention_clip_id = 1;
    bread = cs_audience_query (fixture->store, &filter, CS_AUDIENCE_RETENTION, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (bread->retention_views, ==, 3);
    g_assert_cmpfloat_with_epsilon (bread->retention[50], 2.0 / 3, 1e-12);
    g_assert_cmpfloat_with_epsilon (bread->retention[90], 1.0 / 3, 1e-12);
    g_assert_cmpfloat_with_epsilon (bread->retention[100], 1.0 / 3, 1e-12);
  }
}

static void
test_incremental (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&(CsAudienceResult *) { query (fixture->store, 0, 0, 0) }, cs_audience_result_free);

  /* A third import: v3 watches 2 s of Cake (10 %) on B. */
  exec (fixture->store, "INSERT INTO imports (id, kind) VALUES (3, 'events')");
  add_event (fixture->store, 3, 3, 2, B0 + 10 * H, 1, 2000);
  g_assert_false (cs_audience_is_current (fixture->store, &error));
  g_assert_no_error (error);
  {
    g_autoptr(CsAudienceResult) r = query (fixture->store, 0, 0, 0);

    g_assert_cmpfloat (r->views, ==, 8);
    g_assert_cmpfloat (r->viewers, ==, 4);
    g_assert_cmpfloat_with_epsilon (r->completion_rate, 3.0 / 6, 1e-9);
    g_assert_cmpuint (r->ratio_bins[1], ==, 1);
    g_assert_cmpfloat (g_array_index (r->bucket_views, double, 1), ==, 5);
  }

  /* Rolling back import 2 (in the middle) removes v4 and the save. */
  exec (fixture->store, "DELETE FROM events WHERE import_id = 2");
  g_assert_false (cs_audience_is_current (fixture->store, &error));
  {
    g_autoptr(CsAudienceResult) r = query (fixture->store, 0, 0, 0);

    g_assert_cmpfloat (r->views, ==, 7);
    g_assert_cmpfloat (r->viewers, ==, 3);
    g_assert_cmpfloat (r->follows, ==, 1);
    g_assert_cmpfloat (r->saves, ==, 0);
    g_assert_cmpfloat_with_epsilon (r->engagement_rate, 3.0 / 7, 1e-9);
    g_assert_cmpuint (r->funnel[0], ==, 3);
    g_assert_cmpuint (r->funnel[1], ==, 2);
    g_assert_cmpuint (r->funnel[2], ==, 1);
    g_assert_cmpuint (r->funnel[3], ==, 1);
  }

  /* Rolling back the newest import too. */
  exec (fixture->store, "DELETE FROM events WHERE import_id = 3");
  {
    g_autoptr(CsAudienceResult) r = query (fixture->store, 0, 0, 0);

    g_assert_cmpfloat (r->views, ==, 6);
    g_assert_cmpuint (r->ratio_bins[1], ==, 0);
  }

  /* A clip's duration changes every ratio of it: Tea gets 10 s, so view 8
   * (5 s) is 50 %. */
  exec (fixture->store, "UPDATE clips SET duration_ms = 10000 WHERE id = 3");
  {
    g_autoptr(CsAudienceResult) r = query (fixture->store, 0, 0, 0);

    g_assert_cmpuint (r->ratio_bins[5], ==, 1);
    g_assert_cmpfloat_with_epsilon (r->completion_rate, 3.0 / 6, 1e-9);
  }
}

static void
test_time_zone_change (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&(CsAudienceResult *) { query (fixture->store, 0, 0, 0) }, cs_audience_result_free);

  /* In UTC views 1, 4, 5, 7 fall on 2026-03-02 and 8, 9, 11 on 03-03. */
  g_setenv ("TZ", "UTC", TRUE);
  g_assert_false (cs_audience_is_current (fixture->store, &error));
  {
    g_autoptr(CsAudienceResult) r = query (fixture->store, 0, 0, 0);

    g_assert_cmpuint (r->bucket_time->len, ==, 2);
    g_assert_cmpint (g_array_index (r->bucket_time, gint64, 0), ==, A0 + 8 * H);
    g_assert_cmpfloat (g_array_index (r->bucket_views, double, 0), ==, 4);
    g_assert_cmpfloat (g_array_index (r->bucket_views, double, 1), ==, 3);
  }
  g_setenv ("TZ", "CST-8", TRUE);
}

static void
test_clip_stats (Fixture       *fixture,
                 gconstpointer  data)
{
  /* Bread: two lifetime rows, the newer (id 2) wins. Cake: two days (and a
   * lifetime row that its days override); 50 is read as 50 %. */
  exec (fixture->store,
        "INSERT INTO imports (id, kind) VALUES (10, 'stats'), (11, 'stats');"
        "INSERT INTO clip_stats (id, import_id, clip_id, day, views, likes, comments, shares,"
        " avg_watch_s, completion_rate, followers) VALUES"
        " (1, 10, 1, NULL, 100, 10, 5, 5, 8, 0.5, 2),"
        " (2, 11, 1, NULL, 150, 15, 5, 10, 10, 0.4, 3),"
        " (3, 11, 2, '2026-03-02', 40, 4, 0, 0, 5, 50, 1),"
        " (4, 11, 2, '2026-03-03', 60, 2, 2, 2, 10, NULL, 0),"
        " (5, 10, 2, NULL, 999, 0, 0, 0, NULL, NULL, NULL);");
  {
    g_autoptr(CsAudienceResult) r = query (fixture->store, 0, 0, 0);

    g_assert_cmpint (r->source, ==, CS_AUDIENCE_SOURCE_CLIP_STATS);
    g_assert_cmpfloat (r->views, ==, 250);
    g_assert_true (isnan (r->viewers));
    g_assert_cmpfloat_with_epsilon (r->engagement_rate, 40.0 / 250, 1e-12);
    g_assert_cmpfloat (r->follows, ==, 4);
    g_assert_cmpfloat_with_epsilon (r->avg_watch_s, (10 * 150 + 5 * 40 + 10 * 60) / 250.0, 1e-12);
    g_assert_cmpfloat_with_epsilon (r->completion_rate, (0.4 * 150 + 0.5 * 40) / 190.0, 1e-12);
    g_assert_cmpuint (r->top_clips->len, ==, 2);
    assert_row (g_ptr_array_index (r->top_clips, 0), 1, "Bread", 150, 30.0 / 150, 1);
    assert_row (g_ptr_array_index (r->top_clips, 1), 2, "Cake", 100, 10.0 / 100, 1);
    assert_row (g_ptr_array_index (r->top_hashtags, 0), 0, "bakery", 250, 40.0 / 250, 2);
    /* Both posted Monday 09:xx (Jam too, with no stats: 0): median of 150, 100, 0. */
    g_assert_true (r->post_time_by_posting);
    g_assert_cmpfloat (r->heat[0][9], ==, 100);
    g_assert_true (isnan (r->heat[1][9]));
    g_assert_cmpuint (r->bucket_time->len, ==, 0);
    g_assert_cmpuint (r->funnel[0], ==, 0);
  }
  {
    /* Day B: Cake's row of that day; Bread's lifetime row was posted on A. */
    g_autoptr(CsAudienceResult) r = query (fixture->store, B0, B0 + 86400, 0);

    g_assert_cmpfloat (r->views, ==, 60);
    g_assert_cmpfloat_with_epsilon (r->engagement_rate, 6.0 / 60, 1e-12);
  }
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(CsAudienceResult) r = query (fixture->store, 0, 0, 0);

  g_assert_cmpint (r->source, ==, CS_AUDIENCE_SOURCE_NONE);
  g_assert_true (isnan (r->views));
  g_assert_cmpuint (r->top_clips->len, ==, 0);
}

static void
test_read_only (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CsStore) reader = NULL;

  reader = cs_store_open (fixture->path, CS_STORE_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_false (cs_audience_refresh (reader, NULL, &error));
  g_assert_error (error, CS_STORE_ERROR, CS_STORE_ERROR_READ_ONLY);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("TZ", "CST-8", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(name, events, func) \
  g_test_add ("/audience/" name, Fixture, GINT_TO_POINTER (events), fixture_setup, func, fixture_teardown)
  ADD ("all-time", TRUE, test_all_time);
  ADD ("day-filter", TRUE, test_day_filter);
  ADD ("clip-filter", TRUE, test_clip_filter);
  ADD ("incremental", TRUE, test_incremental);
  ADD ("time-zone-change", TRUE, test_time_zone_change);
  ADD ("read-only", TRUE, test_read_only);
  ADD ("clip-stats", FALSE, test_clip_stats);
  ADD ("empty", FALSE, test_empty);
#undef ADD

  return g_test_run ();
}
