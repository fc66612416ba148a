/* cs-audience.c: summaries of the events and the dashboard's queries on them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cs-audience.h"
#include "cs-error.h"
#include "cs-types.h"

#define DAY_S 86400
#define N_PERCENT 101
/* Past this many days, views over time are counted per week. */
#define WEEKLY_AFTER_DAYS 92
#define SETTING_TZ "audience_tz"
#define SETTING_CLIPS "audience_clips"

/* One byte per viewer and local day in audience_viewers.flags. */
enum
{
  FLAG_ANY     = 1 << 0,
  FLAG_VIEW    = 1 << 1,
  FLAG_ENGAGE  = 1 << 2,   /* like or comment */
  FLAG_SHARE   = 1 << 3,
  FLAG_FOLLOW  = 1 << 4,
};

/* Counters of audience_daily, in column order. */
enum
{
  C_VIEWS, C_WATCH_VIEWS, C_WATCH_MS, C_LIKES, C_COMMENTS, C_SHARES, C_FOLLOWS, C_SAVES, N_COUNTERS
};

static gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Monday = 0; 1970-01-01 was a Thursday. */
static guint
day_weekday (gint64 day)
{
  return (guint) (day + 3 - 7 * floor_div (day + 3, 7));
}

/* ---- Local time ------------------------------------------------------------ */

/* The UTC offset of the local zone, cached per UTC hour: events come in no
 * particular order, and finding the zone's interval for each of 10 million
 * would cost more than the rest of the summary. */
typedef struct
{
  GTimeZone *tz;
  gint64     hours[1024];
  gint32     offsets[1024];
} TzCache;

static void
tz_cache_init (TzCache *cache)
{
  cache->tz = g_time_zone_new_local ();
  for (guint i = 0; i < G_N_ELEMENTS (cache->hours); i++)
    cache->hours[i] = G_MININT64;
}

static void
tz_cache_clear (TzCache *cache)
{
  g_clear_pointer (&cache->tz, g_time_zone_unref);
}

static gint64
tz_local_seconds (TzCache *cache,
                  gint64   t)
{
  gint64 hour = floor_div (t, 3600);
  guint slot = (guint) (hour & 1023);

  if (cache->hours[slot] != hour)
    {
      int interval = g_time_zone_find_interval (cache->tz, G_TIME_TYPE_UNIVERSAL, t);

      cache->offsets[slot] = interval >= 0 ? g_time_zone_get_offset (cache->tz, interval) : 0;
      cache->hours[slot] = hour;
    }
  return t + cache->offsets[slot];
}

gint64
cs_audience_local_day (gint64 unix_time)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  int interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, unix_time);
  gint64 offset = interval >= 0 ? g_time_zone_get_offset (tz, interval) : 0;

  return floor_div (unix_time + offset, DAY_S);
}

gint64
cs_audience_day_start (gint64 day)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  gint64 local = day * DAY_S;
  gint64 t = local;

  /* The offset depends on the instant we look for; two rounds settle it
   * (a midnight skipped by a DST change gives the instant after the gap). */
  for (int round = 0; round < 2; round++)
    {
      int interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, t);
      t = local - (interval >= 0 ? g_time_zone_get_offset (tz, interval) : 0);
    }
  return t;
}

static const char *
tz_identifier (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  static char name[256];

  /* Also an offset: a TZ string without a name ("UTC+3") still differs. */
  g_snprintf (name, sizeof name, "%s %d", g_time_zone_get_identifier (tz),
              g_time_zone_get_offset (tz, 0));
  return name;
}

/* ---- State of the summaries ------------------------------------------------ */

static gboolean
step_done (CsStore      *store,
           sqlite3_stmt *stmt,
           GError      **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      cs_store_set_error (store, error, _("updating the audience summaries"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* A fingerprint of every clip's duration, on which the watch ratios depend. */
static char *
clips_fingerprint (CsStore  *store,
                   GError  **error)
{
  sqlite3_stmt *stmt = cs_store_prepare (store, "SELECT id, COALESCE(duration_ms, -1) FROM clips ORDER BY id", error);
  guint64 hash = 14695981039346656037ull;
  guint64 n = 0;
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 v[2] = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1) };
      const guint8 *bytes = (const guint8 *) v;

      for (guint i = 0; i < sizeof v; i++)
        hash = (hash ^ bytes[i]) * 1099511628211ull;
      n++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      cs_store_set_error (store, error, _("reading the clips"));
      return NULL;
    }
  return g_strdup_printf ("%" G_GUINT64_FORMAT ":%016" G_GINT64_MODIFIER "x", n, hash);
}

typedef struct
{
  gint64 import_id;
  gint64 min_event;    /* 0 when the import has no events */
  gint64 max_event;
  gint64 old_min;      /* 0 when it has no summary */
  gint64 old_max;
} ImportState;

static gint64
event_bound (CsStore  *store,
             gint64    import_id,
             gboolean  last,
             GError  **error)
{
  /* Both use events_import, whose entries are ordered by (import_id, id). */
  sqlite3_stmt *stmt = cs_store_prepare (store,
                                         last ? "SELECT id FROM events WHERE import_id IS ?1 ORDER BY id DESC LIMIT 1"
                                              : "SELECT id FROM events WHERE import_id IS ?1 ORDER BY id LIMIT 1",
                                         error);
  gint64 id = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  if (import_id == 0)
    sqlite3_bind_null (stmt, 1);
  else
    sqlite3_bind_int64 (stmt, 1, import_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      cs_store_set_error (store, error, _("reading the events"));
      return -1;
    }
  return id;
}

/* What refresh would do: *rebuild when everything must go, and the imports
 * whose summary differs from their events. */
static gboolean
collect_state (CsStore   *store,
               gboolean  *rebuild,
               GArray    *changed,
               char     **clips_print,
               GError   **error)
{
  g_autofree char *tz = cs_store_get_setting (store, SETTING_TZ);
  g_autofree char *clips = cs_store_get_setting (store, SETTING_CLIPS);
  g_autofree char *clips_now = clips_fingerprint (store, error);
  sqlite3_stmt *stmt;
  int rc;

  if (clips_now == NULL)
    return FALSE;
  *rebuild = g_strcmp0 (tz, tz_identifier ()) != 0 || g_strcmp0 (clips, clips_now) != 0;

  stmt = cs_store_prepare (store,
                           "SELECT i.id, a.min_event, a.max_event FROM"
                           " (SELECT id FROM imports UNION SELECT import_id FROM audience_imports UNION SELECT 0) i"
                           " LEFT JOIN audience_imports a ON a.import_id = i.id ORDER BY i.id",
                           error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ImportState state = { sqlite3_column_int64 (stmt, 0), 0, 0,
                            sqlite3_column_int64 (stmt, 1), sqlite3_column_int64 (stmt, 2) };

      g_array_append_val (changed, state);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return cs_store_set_error (store, error, _("reading the imports"));

  for (guint i = 0; i < changed->len; )
    {
      ImportState *state = &g_array_index (changed, ImportState, i);

      state->min_event = event_bound (store, state->import_id, FALSE, error);
      if (state->min_event < 0)
        return FALSE;
      state->max_event = state->min_event ? event_bound (store, state->import_id, TRUE, error) : 0;
      if (state->max_event < 0)
        return FALSE;
      if (!*rebuild && state->min_event == state->old_min && state->max_event == state->old_max)
        g_array_remove_index (changed, i);
      else
        i++;
    }
  if (clips_print != NULL)
    *clips_print = g_steal_pointer (&clips_now);
  return TRUE;
}

gboolean
cs_audience_is_current (CsStore  *store,
                        GError  **error)
{
  g_autoptr(GArray) changed = g_array_new (FALSE, FALSE, sizeof (ImportState));
  gboolean rebuild = FALSE;

  g_return_val_if_fail (CS_IS_STORE (store), FALSE);

  if (!collect_state (store, &rebuild, changed, NULL, error))
    return FALSE;
  return !rebuild && changed->len == 0;
}

gboolean
cs_audience_invalidate (CsStore  *store,
                        GError  **error)
{
  g_return_val_if_fail (CS_IS_STORE (store), FALSE);

  if (!cs_store_begin (store, error))
    return FALSE;
  if (!cs_store_exec (store, "DELETE FROM settings WHERE key = '" SETTING_TZ "'", error))
    {
      cs_store_rollback (store);
      return FALSE;
    }
  return cs_store_commit (store, error);
}

/* ---- Summarising one import ----------------------------------------------- */

typedef struct
{
  gint64   day;
  gint64   clip_id;
  gint64   counters[N_COUNTERS];
  guint32 *percents;        /* N_PERCENT, or NULL */
} Daily;

typedef struct
{
  gint64  key;              /* (day * 24 + hour) */
  gint64  clip_id;
  gint64  views;
} Hourly;

typedef struct
{
  gint64      viewer_id;
  gint64      first_day;
  GByteArray *flags;
} Viewer;

static guint
pair_hash (gconstpointer key)
{
  const gint64 *pair = key;

  return g_int64_hash (&pair[0]) * 31u + g_int64_hash (&pair[1]);
}

static gboolean
pair_equal (gconstpointer a,
            gconstpointer b)
{
  const gint64 *x = a, *y = b;

  return x[0] == y[0] && x[1] == y[1];
}

static void
daily_free (gpointer data)
{
  Daily *daily = data;

  g_free (daily->percents);
  g_free (daily);
}

static void
viewer_free (gpointer data)
{
  Viewer *viewer = data;

  g_byte_array_unref (viewer->flags);
  g_free (viewer);
}

static void
viewer_mark (Viewer *viewer,
             gint64  day,
             guint8  flags)
{
  GByteArray *bytes = viewer->flags;

  if (bytes->len == 0)
    viewer->first_day = day;
  if (day < viewer->first_day)
    {
      guint grow = (guint) (viewer->first_day - day);

      g_byte_array_set_size (bytes, bytes->len + grow);
      memmove (bytes->data + grow, bytes->data, bytes->len - grow);
      memset (bytes->data, 0, grow);
      viewer->first_day = day;
    }
  if ((guint64) (day - viewer->first_day) >= bytes->len)
    {
      guint old = bytes->len;

      g_byte_array_set_size (bytes, (guint) (day - viewer->first_day + 1));
      memset (bytes->data + old, 0, bytes->len - old);
    }
  bytes->data[day - viewer->first_day] |= flags;
}

static gboolean
drop_import (CsStore  *store,
             gint64    import_id,
             GError  **error)
{
  static const char *tables[] = { "audience_daily", "audience_hourly", "audience_viewers", "audience_imports" };

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE import_id = ?1", tables[i]);
      sqlite3_stmt *stmt = cs_store_prepare (store, sql, error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, import_id);
      if (!step_done (store, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static GHashTable *
load_durations (CsStore  *store,
                GError  **error)
{
  g_autoptr(GHashTable) durations = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  sqlite3_stmt *stmt = cs_store_prepare (store, "SELECT id, duration_ms FROM clips WHERE duration_ms > 0", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 *id = g_new (gint64, 1);

      *id = sqlite3_column_int64 (stmt, 0);
      g_hash_table_insert (durations, id, GINT_TO_POINTER ((int) MIN (sqlite3_column_int64 (stmt, 1), G_MAXINT)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      cs_store_set_error (store, error, _("reading the clips"));
      return NULL;
    }
  return g_steal_pointer (&durations);
}

static gboolean
summarise_import (CsStore           *store,
                  const ImportState *state,
                  GHashTable        *durations,
                  TzCache           *tz,
                  GCancellable      *cancellable,
                  GError           **error)
{
  g_autoptr(GHashTable) daily = g_hash_table_new_full (pair_hash, pair_equal, NULL, daily_free);
  g_autoptr(GHashTable) hourly = g_hash_table_new_full (pair_hash, pair_equal, NULL, g_free);
  g_autoptr(GHashTable) viewers = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, viewer_free);
  GHashTableIter iter;
  gpointer value;
  sqlite3_stmt *stmt;
  guint64 n = 0;
  int rc;

  /* A scan of the import's id range; "+import_id" keeps the planner from
   * walking events_import and looking every row up by id instead. */
  stmt = cs_store_prepare (store,
                           "SELECT viewer_id, clip_id, time, kind, watch_ms FROM events"
                           " WHERE id BETWEEN ?1 AND ?2 AND +import_id IS ?3",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, state->min_event);
  sqlite3_bind_int64 (stmt, 2, state->max_event);
  if (state->import_id == 0)
    sqlite3_bind_null (stmt, 3);
  else
    sqlite3_bind_int64 (stmt, 3, state->import_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 viewer_id = sqlite3_column_int64 (stmt, 0);
      gint64 key[2] = { 0, sqlite3_column_int64 (stmt, 1) };
      gint64 local = tz_local_seconds (tz, sqlite3_column_int64 (stmt, 2));
      int kind = sqlite3_column_int (stmt, 3);
      gint64 day = floor_div (local, DAY_S);
      guint8 flags = FLAG_ANY;
      Daily *d;
      Viewer *viewer;

      if ((++n & 0xffff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }

      key[0] = day;
      d = g_hash_table_lookup (daily, key);
      if (d == NULL)
        {
          d = g_new0 (Daily, 1);
          d->day = day;
          d->clip_id = key[1];
          g_hash_table_insert (daily, &d->day, d);
        }

      switch (kind)
        {
        case CS_EVENT_VIEW:
          {
            gint64 hour_key[2] = { day * 24 + (local - day * DAY_S) / 3600, key[1] };
            Hourly *h = g_hash_table_lookup (hourly, hour_key);

            if (h == NULL)
              {
                h = g_new0 (Hourly, 1);
                h->key = hour_key[0];
                h->clip_id = hour_key[1];
                g_hash_table_insert (hourly, &h->key, h);
              }
            h->views++;
            d->counters[C_VIEWS]++;
            flags |= FLAG_VIEW;
            if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
              {
                gint64 watch_ms = MAX (sqlite3_column_int64 (stmt, 4), 0);
                int duration = GPOINTER_TO_INT (g_hash_table_lookup (durations, &key[1]));

                d->counters[C_WATCH_VIEWS]++;
                d->counters[C_WATCH_MS] += watch_ms;
                if (duration > 0)
                  {
                    if (d->percents == NULL)
                      d->percents = g_new0 (guint32, N_PERCENT);
                    d->percents[MIN (watch_ms * 100 / duration, 100)]++;
                  }
              }
          }
          break;
        case CS_EVENT_LIKE:
          d->counters[C_LIKES]++;
          flags |= FLAG_ENGAGE;
          break;
        case CS_EVENT_COMMENT:
          d->counters[C_COMMENTS]++;
          flags |= FLAG_ENGAGE;
          break;
        case CS_EVENT_SHARE:
          d->counters[C_SHARES]++;
          flags |= FLAG_SHARE;
          break;
        case CS_EVENT_FOLLOW:
          d->counters[C_FOLLOWS]++;
          flags |= FLAG_FOLLOW;
          break;
        case CS_EVENT_SAVE:
          d->counters[C_SAVES]++;
          break;
        default:
          break;
        }

      viewer = g_hash_table_lookup (viewers, &viewer_id);
      if (viewer == NULL)
        {
          viewer = g_new0 (Viewer, 1);
          viewer->viewer_id = viewer_id;
          viewer->flags = g_byte_array_new ();
          g_hash_table_insert (viewers, &viewer->viewer_id, viewer);
        }
      viewer_mark (viewer, day, flags);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return cs_store_set_error (store, error, _("reading the events"));

  stmt = cs_store_prepare (store,
                           "INSERT INTO audience_daily (import_id, day, clip_id, views, watch_views, watch_ms,"
                           " likes, comments, shares, follows, saves, ratios)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                           error);
  if (stmt == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, daily);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Daily *d = value;

      sqlite3_bind_int64 (stmt, 1, state->import_id);
      sqlite3_bind_int64 (stmt, 2, d->day);
      sqlite3_bind_int64 (stmt, 3, d->clip_id);
      for (guint c = 0; c < N_COUNTERS; c++)
        sqlite3_bind_int64 (stmt, 4 + (int) c, d->counters[c]);
      if (d->percents != NULL)
        {
          guint32 le[N_PERCENT];

          for (guint p = 0; p < N_PERCENT; p++)
            le[p] = GUINT32_TO_LE (d->percents[p]);
          sqlite3_bind_blob (stmt, 12, le, sizeof le, SQLITE_TRANSIENT);
        }
      else
        sqlite3_bind_null (stmt, 12);
      if (!step_done (store, stmt, error))
        return FALSE;
    }

  stmt = cs_store_prepare (store,
                           "INSERT INTO audience_hourly (import_id, day, hour, clip_id, views) VALUES (?1, ?2, ?3, ?4, ?5)",
                           error);
  if (stmt == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, hourly);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Hourly *h = value;

      sqlite3_bind_int64 (stmt, 1, state->import_id);
      sqlite3_bind_int64 (stmt, 2, floor_div (h->key, 24));
      sqlite3_bind_int64 (stmt, 3, h->key - 24 * floor_div (h->key, 24));
      sqlite3_bind_int64 (stmt, 4, h->clip_id);
      sqlite3_bind_int64 (stmt, 5, h->views);
      if (!step_done (store, stmt, error))
        return FALSE;
    }

  stmt = cs_store_prepare (store,
                           "INSERT INTO audience_viewers (viewer_id, import_id, first_day, flags) VALUES (?1, ?2, ?3, ?4)",
                           error);
  if (stmt == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, viewers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Viewer *viewer = value;

      sqlite3_bind_int64 (stmt, 1, viewer->viewer_id);
      sqlite3_bind_int64 (stmt, 2, state->import_id);
      sqlite3_bind_int64 (stmt, 3, viewer->first_day);
      sqlite3_bind_blob (stmt, 4, viewer->flags->data, (int) viewer->flags->len, SQLITE_STATIC);
      if (!step_done (store, stmt, error))
        return FALSE;
    }

  stmt = cs_store_prepare (store,
                           "INSERT INTO audience_imports (import_id, min_event, max_event) VALUES (?1, ?2, ?3)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, state->import_id);
  sqlite3_bind_int64 (stmt, 2, state->min_event);
  sqlite3_bind_int64 (stmt, 3, state->max_event);
  return step_done (store, stmt, error);
}

gboolean
cs_audience_refresh (CsStore       *store,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GArray) changed = g_array_new (FALSE, FALSE, sizeof (ImportState));
  g_autoptr(GHashTable) durations = NULL;
  g_autofree char *clips_print = NULL;
  gboolean rebuild = FALSE, ok = TRUE;
  TzCache tz;

  g_return_val_if_fail (CS_IS_STORE (store), FALSE);

  /* Most calls find nothing to do; only then take the write lock. */
  if (!collect_state (store, &rebuild, changed, NULL, error))
    return FALSE;
  if (!rebuild && changed->len == 0)
    return TRUE;
  if (cs_store_is_read_only (store))
    {
      g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_READ_ONLY,
                   _("The audience figures of this project need updating, but the project is read-only. "
                     "Open a copy you can write to."));
      return FALSE;
    }

  if (!cs_store_begin (store, error))
    return FALSE;
  /* Again inside the transaction: another connection may have done it. */
  g_array_set_size (changed, 0);
  if (!collect_state (store, &rebuild, changed, &clips_print, error))
    goto fail;
  if (rebuild &&
      !cs_store_exec (store,
                      "DELETE FROM audience_daily; DELETE FROM audience_hourly;"
                      " DELETE FROM audience_viewers; DELETE FROM audience_imports;",
                      error))
    goto fail;
  durations = load_durations (store, error);
  if (durations == NULL)
    goto fail;

  tz_cache_init (&tz);
  for (guint i = 0; i < changed->len && ok; i++)
    {
      const ImportState *state = &g_array_index (changed, ImportState, i);

      if (!rebuild && state->old_min != 0 && !drop_import (store, state->import_id, error))
        ok = FALSE;
      else if (state->min_event != 0 && !summarise_import (store, state, durations, &tz, cancellable, error))
        ok = FALSE;
    }
  tz_cache_clear (&tz);
  if (!ok ||
      !cs_store_set_setting (store, SETTING_TZ, tz_identifier (), error) ||
      !cs_store_set_setting (store, SETTING_CLIPS, clips_print, error))
    goto fail;
  return cs_store_commit (store, error);

fail:
  cs_store_rollback (store);
  return FALSE;
}

/* ---- Queries --------------------------------------------------------------- */

void
cs_audience_filter_init (CsAudienceFilter *filter)
{
  memset (filter, 0, sizeof *filter);
  filter->top_n = 10;
}

static void
row_free (gpointer data)
{
  CsAudienceRow *row = data;

  g_free (row->name);
  g_free (row);
}

void
cs_audience_result_free (CsAudienceResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->bucket_time, g_array_unref);
  g_clear_pointer (&result->bucket_views, g_array_unref);
  g_clear_pointer (&result->top_clips, g_ptr_array_unref);
  g_clear_pointer (&result->top_hashtags, g_ptr_array_unref);
  g_free (result);
}

/* The filter in local days: [d0, d1). */
typedef struct
{
  const CsAudienceFilter *filter;
  gint64 d0, d1;
  gboolean open;          /* no bound on either side */
} Range;

/* Per clip, within the range. */
typedef struct
{
  gint64 clip_id;
  double views, likes, comments, shares;
  /* clip_stats only: view-weighted sums and their weights */
  double watch_s_sum, watch_s_weight, completion_sum, completion_weight, follows;
} ClipAgg;

static ClipAgg *
clip_agg (GHashTable *clips,
          gint64      clip_id)
{
  ClipAgg *agg = g_hash_table_lookup (clips, &clip_id);

  if (agg == NULL)
    {
      agg = g_new0 (ClipAgg, 1);
      agg->clip_id = clip_id;
      g_hash_table_insert (clips, &agg->clip_id, agg);
    }
  return agg;
}

static gboolean
step_row (CsStore      *store,
          sqlite3_stmt *stmt,
          int          *rc)
{
  *rc = sqlite3_step (stmt);
  return *rc == SQLITE_ROW;
}

static gboolean
finish_rows (CsStore      *store,
             sqlite3_stmt *stmt,
             int           rc,
             GError      **error)
{
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return cs_store_set_error (store, error, _("reading the audience summaries"));
  return TRUE;
}

static void
bind_range (sqlite3_stmt *stmt,
            const Range  *range,
            gint64        clip_id)
{
  sqlite3_bind_int64 (stmt, 1, range->d0);
  sqlite3_bind_int64 (stmt, 2, range->d1);
  sqlite3_bind_int64 (stmt, 3, clip_id);
}

/* Sums of audience_daily in the range, and the views by watched percent. */
static gboolean
scan_daily (CsStore     *store,
            const Range *range,
            gint64       clip_id,
            gint64       totals[N_COUNTERS],
            guint64      percents[N_PERCENT],
            GError     **error)
{
  sqlite3_stmt *stmt = cs_store_prepare (store,
                                         "SELECT views, watch_views, watch_ms, likes, comments, shares, follows, saves, ratios"
                                         " FROM audience_daily WHERE day >= ?1 AND day < ?2 AND (?3 = 0 OR clip_id = ?3)",
                                         error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  memset (totals, 0, sizeof (gint64) * N_COUNTERS);
  memset (percents, 0, sizeof (guint64) * N_PERCENT);
  bind_range (stmt, range, clip_id);
  while (step_row (store, stmt, &rc))
    {
      const guint8 *blob = sqlite3_column_blob (stmt, 8);

      for (guint c = 0; c < N_COUNTERS; c++)
        totals[c] += sqlite3_column_int64 (stmt, (int) c);
      if (blob != NULL && sqlite3_column_bytes (stmt, 8) == N_PERCENT * 4)
        for (guint p = 0; p < N_PERCENT; p++)
          percents[p] += (guint32) blob[4 * p] | (guint32) blob[4 * p + 1] << 8 |
                         (guint32) blob[4 * p + 2] << 16 | (guint32) blob[4 * p + 3] << 24;
    }
  return finish_rows (store, stmt, rc, error);
}

static void
fill_retention (CsAudienceResult *result,
                const guint64     percents[N_PERCENT])
{
  guint64 total = 0, still = 0;

  for (guint p = 0; p < N_PERCENT; p++)
    total += percents[p];
  result->retention_views = total;
  for (int p = N_PERCENT - 1; p >= 0; p--)
    {
      still += percents[p];
      result->retention[p] = total > 0 ? (double) still / total : NAN;
    }
}

static void
fill_ratio_bins (CsAudienceResult *result,
                 const guint64     percents[N_PERCENT])
{
  memset (result->ratio_bins, 0, sizeof result->ratio_bins);
  for (guint p = 0; p < N_PERCENT; p++)
    result->ratio_bins[MIN (p / 10, CS_AUDIENCE_RATIO_BINS - 1)] += percents[p];
}

static void
tally_viewer (CsAudienceResult *result,
              guint8            flags)
{
  if (flags & FLAG_ANY)
    result->viewers++;
  if (!(flags & FLAG_VIEW))
    return;
  result->funnel[0]++;
  if (!(flags & FLAG_ENGAGE))
    return;
  result->funnel[1]++;
  if (!(flags & FLAG_SHARE))
    return;
  result->funnel[2]++;
  if (flags & FLAG_FOLLOW)
    result->funnel[3]++;
}

static gboolean
count_viewers (CsStore          *store,
               const Range      *range,
               CsAudienceResult *result,
               GCancellable     *cancellable,
               GError          **error)
{
  sqlite3_stmt *stmt;
  int rc;

  result->viewers = 0;
  memset (result->funnel, 0, sizeof result->funnel);

  if (range->filter->clip_id == 0)
    {
      gint64 current = G_MININT64;
      guint8 flags = 0;

      stmt = cs_store_prepare (store, "SELECT viewer_id, first_day, flags FROM audience_viewers ORDER BY viewer_id", error);
      if (stmt == NULL)
        return FALSE;
      while (step_row (store, stmt, &rc))
        {
          gint64 viewer = sqlite3_column_int64 (stmt, 0);
          gint64 first = sqlite3_column_int64 (stmt, 1);
          const guint8 *bytes = sqlite3_column_blob (stmt, 2);
          gint64 len = sqlite3_column_bytes (stmt, 2);
          gint64 lo = MAX (range->d0 - first, 0), hi = MIN (range->d1 - first, len);

          if (viewer != current)
            {
              tally_viewer (result, flags);
              current = viewer;
              flags = 0;
            }
          for (gint64 i = lo; i < hi; i++)
            flags |= bytes[i];
        }
      tally_viewer (result, flags);
      return finish_rows (store, stmt, rc, error);
    }
  else
    {
      g_autoptr(GHashTable) viewers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
      GHashTableIter iter;
      gpointer value;
      TzCache tz;
      guint64 n = 0;

      stmt = cs_store_prepare (store, "SELECT viewer_id, time, kind FROM events WHERE clip_id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, range->filter->clip_id);
      tz_cache_init (&tz);
      while (step_row (store, stmt, &rc))
        {
          gint64 day = floor_div (tz_local_seconds (&tz, sqlite3_column_int64 (stmt, 1)), DAY_S);
          gint64 viewer = sqlite3_column_int64 (stmt, 0);
          guint8 flags = FLAG_ANY;
          guint8 *seen;

          if ((++n & 0xffff) == 0 && g_cancellable_is_cancelled (cancellable))
            break;
          if (day < range->d0 || day >= range->d1)
            continue;
          switch (sqlite3_column_int (stmt, 2))
            {
            case CS_EVENT_VIEW: flags |= FLAG_VIEW; break;
            case CS_EVENT_LIKE:
            case CS_EVENT_COMMENT: flags |= FLAG_ENGAGE; break;
            case CS_EVENT_SHARE: flags |= FLAG_SHARE; break;
            case CS_EVENT_FOLLOW: flags |= FLAG_FOLLOW; break;
            default: break;
            }
          seen = g_hash_table_lookup (viewers, &viewer);
          if (seen == NULL)
            {
              seen = g_new0 (guint8, 1);
              g_hash_table_insert (viewers, g_memdup2 (&viewer, sizeof viewer), seen);
            }
          *seen |= flags;
        }
      tz_cache_clear (&tz);
      if (rc == SQLITE_ROW)
        {
          sqlite3_reset (stmt);
          return !g_cancellable_set_error_if_cancelled (cancellable, error);
        }
      g_hash_table_iter_init (&iter, viewers);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        tally_viewer (result, *(guint8 *) value);
      return finish_rows (store, stmt, rc, error);
    }
}

static gboolean
views_over_time (CsStore          *store,
                 const Range      *range,
                 CsAudienceResult *result,
                 GError          **error)
{
  gint64 lo = range->filter->from != 0 ? range->d0 : result->first_day;
  gint64 hi = range->filter->to != 0 ? range->d1 - 1 : result->last_day;
  gint64 base;
  guint n_buckets;
  sqlite3_stmt *stmt;
  int rc;

  if (lo > hi || result->last_day < result->first_day)
    return TRUE;
  result->weekly = hi - lo + 1 > WEEKLY_AFTER_DAYS;
  base = result->weekly ? lo - day_weekday (lo) : lo;
  n_buckets = (guint) ((hi - base) / (result->weekly ? 7 : 1) + 1);
  for (guint i = 0; i < n_buckets; i++)
    {
      gint64 start = cs_audience_day_start (base + (gint64) i * (result->weekly ? 7 : 1));

      g_array_append_val (result->bucket_time, start);
      g_array_append_val (result->bucket_views, (double) { 0.0 });
    }

  stmt = cs_store_prepare (store,
                           "SELECT day, SUM(views) FROM audience_daily"
                           " WHERE day >= ?1 AND day < ?2 AND (?3 = 0 OR clip_id = ?3) GROUP BY day",
                           error);
  if (stmt == NULL)
    return FALSE;
  bind_range (stmt, range, range->filter->clip_id);
  while (step_row (store, stmt, &rc))
    {
      gint64 day = sqlite3_column_int64 (stmt, 0);
      gint64 bucket = (day - base) / (result->weekly ? 7 : 1);

      if (day >= lo && day <= hi && bucket >= 0 && bucket < n_buckets)
        g_array_index (result->bucket_views, double, bucket) += sqlite3_column_double (stmt, 1);
    }
  return finish_rows (store, stmt, rc, error);
}

static gboolean
clip_sums_from_events (CsStore     *store,
                       const Range *range,
                       GHashTable  *clips,
                       GError     **error)
{
  sqlite3_stmt *stmt = cs_store_prepare (store,
                                         "SELECT clip_id, SUM(views), SUM(likes), SUM(comments), SUM(shares)"
                                         " FROM audience_daily WHERE day >= ?1 AND day < ?2 AND (?3 = 0 OR clip_id = ?3)"
                                         " GROUP BY clip_id",
                                         error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_range (stmt, range, range->filter->clip_id);
  while (step_row (store, stmt, &rc))
    {
      ClipAgg *agg = clip_agg (clips, sqlite3_column_int64 (stmt, 0));

      agg->views = sqlite3_column_double (stmt, 1);
      agg->likes = sqlite3_column_double (stmt, 2);
      agg->comments = sqlite3_column_double (stmt, 3);
      agg->shares = sqlite3_column_double (stmt, 4);
    }
  return finish_rows (store, stmt, rc, error);
}

/* "2026-05-31" (anything after the date is ignored) as a local day number. */
static gboolean
parse_day (const char *text,
           gint64     *day)
{
  unsigned y, m, d;
  GDate date;

  if (text == NULL || sscanf (text, "%4u-%2u-%2u", &y, &m, &d) != 3 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  *day = (gint64) g_date_get_julian (&date) - 719163;  /* julian day of 1970-01-01 */
  return TRUE;
}

/* clip_stats, reduced as the header says, into @clips; the data span too. */
static gboolean
clip_sums_from_stats (CsStore          *store,
                      const Range      *range,
                      GHashTable       *clips,
                      CsAudienceResult *result,
                      GError          **error)
{
  /* Newest row first per (clip, day), so the first one seen wins. */
  sqlite3_stmt *stmt = cs_store_prepare (store,
                                         "SELECT s.clip_id, s.day, s.views, s.likes, s.comments, s.shares,"
                                         " s.avg_watch_s, s.completion_rate, s.followers, c.posted_at"
                                         " FROM clip_stats s JOIN clips c ON c.id = s.clip_id"
                                         " WHERE (?1 = 0 OR s.clip_id = ?1)"
                                         " ORDER BY s.clip_id, s.day IS NULL, s.day, s.id DESC",
                                         error);
  gint64 clip = 0, last_day = G_MININT64;
  gboolean clip_has_days = FALSE, lifetime_done = FALSE;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, range->filter->clip_id);
  while (step_row (store, stmt, &rc))
    {
      gint64 clip_id = sqlite3_column_int64 (stmt, 0);
      gboolean has_day = sqlite3_column_type (stmt, 1) != SQLITE_NULL;
      gint64 day = 0;
      gboolean counted;
      double views;
      ClipAgg *agg;

      if (clip_id != clip)
        {
          clip = clip_id;
          last_day = G_MININT64;
          clip_has_days = FALSE;
          lifetime_done = FALSE;
        }
      if (has_day)
        {
          if (!parse_day ((const char *) sqlite3_column_text (stmt, 1), &day) || day == last_day)
            continue;
          last_day = day;
          clip_has_days = TRUE;
          result->first_day = MIN (result->first_day, day);
          result->last_day = MAX (result->last_day, day);
          counted = day >= range->d0 && day < range->d1;
        }
      else
        {
          if (clip_has_days || lifetime_done)
            continue;
          lifetime_done = TRUE;
          if (sqlite3_column_type (stmt, 9) != SQLITE_NULL)
            {
              gint64 posted = cs_audience_local_day (sqlite3_column_int64 (stmt, 9));

              result->first_day = MIN (result->first_day, posted);
              result->last_day = MAX (result->last_day, posted);
              counted = range->open || (posted >= range->d0 && posted < range->d1);
            }
          else
            counted = range->open;
        }
      if (!counted)
        continue;

      agg = clip_agg (clips, clip_id);
      views = sqlite3_column_double (stmt, 2);
      agg->views += views;
      agg->likes += sqlite3_column_double (stmt, 3);
      agg->comments += sqlite3_column_double (stmt, 4);
      agg->shares += sqlite3_column_double (stmt, 5);
      agg->follows += sqlite3_column_double (stmt, 8);
      if (sqlite3_column_type (stmt, 6) != SQLITE_NULL && views > 0)
        {
          agg->watch_s_sum += sqlite3_column_double (stmt, 6) * views;
          agg->watch_s_weight += views;
        }
      if (sqlite3_column_type (stmt, 7) != SQLITE_NULL && views > 0)
        {
          double rate = sqlite3_column_double (stmt, 7);

          agg->completion_sum += (rate > 1.0 ? rate / 100.0 : rate) * views;
          agg->completion_weight += views;
        }
    }
  return finish_rows (store, stmt, rc, error);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const CsAudienceRow *x = *(CsAudienceRow * const *) a, *y = *(CsAudienceRow * const *) b;

  if (x->views != y->views)
    return x->views > y->views ? -1 : 1;
  if (x->clip_id != y->clip_id)
    return x->clip_id < y->clip_id ? -1 : 1;
  return strcmp (x->name, y->name);
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
set_engagement (CsAudienceRow *row)
{
  row->engagement_rate = row->views > 0 ? (row->likes + row->comments + row->shares) / row->views : NAN;
}

static void
free_cells (GArray *cells[7][24])
{
  for (guint w = 0; w < 7; w++)
    for (guint h = 0; h < 24; h++)
      g_clear_pointer (&cells[w][h], g_array_unref);
}

/* Top clips, top hashtags and the post-time heatmap from per-clip sums. */
static gboolean
per_clip_parts (CsStore          *store,
                const Range      *range,
                GHashTable       *clips,
                CsAudienceParts   parts,
                CsAudienceResult *result,
                GError          **error)
{
  g_autoptr(GHashTable) tags = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, row_free);
  GArray *cells[7][24] = { { NULL } };
  guint top_n = range->filter->top_n ? range->filter->top_n : 10;
  gboolean any_posted = FALSE;
  sqlite3_stmt *stmt;
  TzCache tz;
  int rc;

  stmt = cs_store_prepare (store,
                           "SELECT id, COALESCE(NULLIF(title, ''), external_id), hashtags, posted_at FROM clips",
                           error);
  if (stmt == NULL)
    return FALSE;
  tz_cache_init (&tz);
  while (step_row (store, stmt, &rc))
    {
      gint64 clip_id = sqlite3_column_int64 (stmt, 0);
      ClipAgg *agg = g_hash_table_lookup (clips, &clip_id);
      double views = agg ? agg->views : 0.0;

      if (range->filter->clip_id != 0 && clip_id != range->filter->clip_id)
        continue;

      if ((parts & CS_AUDIENCE_TOP_CLIPS) && views > 0)
        {
          CsAudienceRow *row = g_new0 (CsAudienceRow, 1);

          row->clip_id = clip_id;
          row->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          row->views = views;
          row->likes = agg->likes;
          row->comments = agg->comments;
          row->shares = agg->shares;
          row->n_clips = 1;
          set_engagement (row);
          g_ptr_array_add (result->top_clips, row);
        }

      if ((parts & CS_AUDIENCE_TOP_HASHTAGS) && views > 0 && sqlite3_column_text (stmt, 2) != NULL)
        {
          g_auto(GStrv) words = g_strsplit_set ((const char *) sqlite3_column_text (stmt, 2), " ,#\t\n", -1);
          g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

          for (guint i = 0; words[i] != NULL; i++)
            {
              g_autofree char *tag = g_utf8_strdown (words[i], -1);
              CsAudienceRow *row;

              if (*tag == '\0' || g_hash_table_contains (seen, tag))
                continue;
              row = g_hash_table_lookup (tags, tag);
              if (row == NULL)
                {
                  row = g_new0 (CsAudienceRow, 1);
                  row->name = g_steal_pointer (&tag);
                  g_hash_table_insert (tags, row->name, row);
                }
              g_hash_table_add (seen, row->name);
              row->views += views;
              row->likes += agg->likes;
              row->comments += agg->comments;
              row->shares += agg->shares;
              row->n_clips++;
            }
        }

      if ((parts & CS_AUDIENCE_POST_TIME) && sqlite3_column_type (stmt, 3) != SQLITE_NULL)
        {
          gint64 local = tz_local_seconds (&tz, sqlite3_column_int64 (stmt, 3));
          gint64 day = floor_div (local, DAY_S);
          guint hour = (guint) ((local - day * DAY_S) / 3600);
          GArray **cell = &cells[day_weekday (day)][hour];

          if (day < range->d0 || day >= range->d1)
            continue;
          if (*cell == NULL)
            *cell = g_array_new (FALSE, FALSE, sizeof (double));
          g_array_append_val (*cell, views);
          any_posted = TRUE;
        }
    }
  tz_cache_clear (&tz);
  if (!finish_rows (store, stmt, rc, error))
    {
      free_cells (cells);
      return FALSE;
    }

  if (parts & CS_AUDIENCE_TOP_CLIPS)
    {
      g_ptr_array_sort (result->top_clips, compare_rows);
      if (result->top_clips->len > top_n)
        g_ptr_array_set_size (result->top_clips, top_n);
    }
  if (parts & CS_AUDIENCE_TOP_HASHTAGS)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, tags);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          set_engagement (value);
          g_ptr_array_add (result->top_hashtags, value);
          g_hash_table_iter_steal (&iter);
        }
      g_ptr_array_sort (result->top_hashtags, compare_rows);
      if (result->top_hashtags->len > top_n)
        g_ptr_array_set_size (result->top_hashtags, top_n);
    }

  if (!(parts & CS_AUDIENCE_POST_TIME))
    return TRUE;
  result->post_time_by_posting = any_posted || result->source != CS_AUDIENCE_SOURCE_EVENTS;
  for (guint w = 0; w < 7; w++)
    for (guint h = 0; h < 24; h++)
      {
        GArray *cell = cells[w][h];

        if (!result->post_time_by_posting)
          result->heat[w][h] = 0.0;
        else if (cell == NULL)
          result->heat[w][h] = NAN;
        else
          {
            double *v = (double *) cell->data;

            qsort (v, cell->len, sizeof (double), compare_doubles);
            result->heat[w][h] = cell->len % 2 ? v[cell->len / 2]
                                               : (v[cell->len / 2 - 1] + v[cell->len / 2]) / 2.0;
          }
      }
  free_cells (cells);
  if (result->post_time_by_posting)
    return TRUE;

  /* No clip with a post time in the range: views by when they were watched. */
  stmt = cs_store_prepare (store,
                           "SELECT day, hour, SUM(views) FROM audience_hourly"
                           " WHERE day >= ?1 AND day < ?2 AND (?3 = 0 OR clip_id = ?3) GROUP BY day, hour",
                           error);
  if (stmt == NULL)
    return FALSE;
  bind_range (stmt, range, range->filter->clip_id);
  while (step_row (store, stmt, &rc))
    {
      gint64 day = sqlite3_column_int64 (stmt, 0);
      int hour = sqlite3_column_int (stmt, 1);

      if (hour >= 0 && hour < 24)
        result->heat[day_weekday (day)][hour] += sqlite3_column_double (stmt, 2);
    }
  return finish_rows (store, stmt, rc, error);
}

static gboolean
has_rows (CsStore    *store,
          const char *sql)
{
  return cs_store_query_int (store, sql, 0) != 0;
}

CsAudienceResult *
cs_audience_query (CsStore                *store,
                   const CsAudienceFilter *filter,
                   CsAudienceParts         parts,
                   GCancellable           *cancellable,
                   GError                **error)
{
  g_autoptr(CsAudienceResult) result = g_new0 (CsAudienceResult, 1);
  g_autoptr(GHashTable) clips = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  CsAudienceFilter defaults;
  Range range;

  g_return_val_if_fail (CS_IS_STORE (store), NULL);

  if (filter == NULL)
    {
      cs_audience_filter_init (&defaults);
      filter = &defaults;
    }
  range.filter = filter;
  range.d0 = filter->from != 0 ? cs_audience_local_day (filter->from) : G_MININT32;
  range.d1 = filter->to != 0 ? cs_audience_local_day (filter->to - 1) + 1 : G_MAXINT32;
  range.open = filter->from == 0 && filter->to == 0;

  result->parts = parts;
  result->bucket_time = g_array_new (FALSE, FALSE, sizeof (gint64));
  result->bucket_views = g_array_new (FALSE, FALSE, sizeof (double));
  result->top_clips = g_ptr_array_new_with_free_func (row_free);
  result->top_hashtags = g_ptr_array_new_with_free_func (row_free);
  result->views = result->viewers = result->avg_watch_s = NAN;
  result->completion_rate = result->engagement_rate = result->follows = NAN;
  result->likes = result->comments = result->shares = result->saves = NAN;
  result->retention_clip_id = filter->retention_clip_id ? filter->retention_clip_id : filter->clip_id;
  for (guint p = 0; p < N_PERCENT; p++)
    result->retention[p] = NAN;
  for (guint w = 0; w < 7; w++)
    for (guint h = 0; h < 24; h++)
      result->heat[w][h] = NAN;
  result->first_day = 0;
  result->last_day = -1;

  if (has_rows (store, "SELECT EXISTS (SELECT 1 FROM audience_daily)"))
    {
      gint64 totals[N_COUNTERS];
      guint64 percents[N_PERCENT];
      guint64 rated = 0, completed = 0;

      result->source = CS_AUDIENCE_SOURCE_EVENTS;
      result->first_day = cs_store_query_int (store, "SELECT day FROM audience_daily ORDER BY day LIMIT 1", 0);
      result->last_day = cs_store_query_int (store, "SELECT day FROM audience_daily ORDER BY day DESC LIMIT 1", -1);

      if (parts & (CS_AUDIENCE_KPIS | CS_AUDIENCE_WATCH_RATIO | CS_AUDIENCE_RETENTION))
        {
          if (!scan_daily (store, &range, filter->clip_id, totals, percents, error))
            return NULL;
          for (guint p = 0; p < N_PERCENT; p++)
            {
              rated += percents[p];
              completed += p >= 90 ? percents[p] : 0;
            }
          result->views = totals[C_VIEWS];
          result->avg_watch_s = totals[C_WATCH_VIEWS] > 0 ? totals[C_WATCH_MS] / 1000.0 / totals[C_WATCH_VIEWS] : NAN;
          result->completion_rate = rated > 0 ? (double) completed / rated : NAN;
          result->likes = totals[C_LIKES];
          result->comments = totals[C_COMMENTS];
          result->shares = totals[C_SHARES];
          result->saves = totals[C_SAVES];
          result->follows = totals[C_FOLLOWS];
          result->engagement_rate = totals[C_VIEWS] > 0
                                    ? (double) (totals[C_LIKES] + totals[C_COMMENTS] + totals[C_SHARES]) / totals[C_VIEWS]
                                    : NAN;
          fill_ratio_bins (result, percents);
          if (result->retention_clip_id != filter->clip_id &&
              !scan_daily (store, &range, result->retention_clip_id, totals, percents, error))
            return NULL;
          fill_retention (result, percents);
        }
      if ((parts & (CS_AUDIENCE_KPIS | CS_AUDIENCE_FUNNEL)) &&
          !count_viewers (store, &range, result, cancellable, error))
        return NULL;
      if ((parts & CS_AUDIENCE_VIEWS_OVER_TIME) && !views_over_time (store, &range, result, error))
        return NULL;
      if ((parts & (CS_AUDIENCE_TOP_CLIPS | CS_AUDIENCE_TOP_HASHTAGS | CS_AUDIENCE_POST_TIME)) &&
          !clip_sums_from_events (store, &range, clips, error))
        return NULL;
    }
  else if (has_rows (store, "SELECT EXISTS (SELECT 1 FROM clip_stats)"))
    {
      GHashTableIter iter;
      gpointer value;
      double watch = 0, watch_w = 0, completion = 0, completion_w = 0;

      result->source = CS_AUDIENCE_SOURCE_CLIP_STATS;
      result->first_day = G_MAXINT32;
      result->last_day = G_MININT32;
      if (!clip_sums_from_stats (store, &range, clips, result, error))
        return NULL;
      if (result->first_day > result->last_day)
        {
          result->first_day = 0;
          result->last_day = -1;
        }
      result->views = result->likes = result->comments = result->shares = result->follows = 0;
      g_hash_table_iter_init (&iter, clips);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          ClipAgg *agg = value;

          result->views += agg->views;
          result->likes += agg->likes;
          result->comments += agg->comments;
          result->shares += agg->shares;
          result->follows += agg->follows;
          watch += agg->watch_s_sum;
          watch_w += agg->watch_s_weight;
          completion += agg->completion_sum;
          completion_w += agg->completion_weight;
        }
      result->avg_watch_s = watch_w > 0 ? watch / watch_w : NAN;
      result->completion_rate = completion_w > 0 ? completion / completion_w : NAN;
      result->engagement_rate = result->views > 0
                                ? (result->likes + result->comments + result->shares) / result->views : NAN;
    }
  else
    return g_steal_pointer (&result);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if ((parts & (CS_AUDIENCE_TOP_CLIPS | CS_AUDIENCE_TOP_HASHTAGS | CS_AUDIENCE_POST_TIME)) &&
      !per_clip_parts (store, &range, clips, parts, result, error))
    return NULL;
  return g_steal_pointer (&result);
}
