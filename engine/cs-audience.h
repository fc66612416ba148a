/* cs-audience.h: the numbers of the Audience dashboard (DESIGN §1
 * "Audience analytics"), computed from the project's own data.
 *
 * Sources. When the project has events, everything comes from them (through
 * the summaries below). When it has no events but has clip_stats (what the
 * creator centres export per clip), the KPIs, top clips, top hashtags and the
 * post-time heatmap come from clip_stats and the other parts stay empty;
 * CsAudienceResult.source says which.
 *
 * Time. Days and hours are local: the time zone of the process
 * (g_time_zone_new_local(), i.e. TZ or /etc/localtime). A local day is
 * numbered as days since 1970-01-01 (local). The filter works on whole local
 * days: it covers the day containing @from up to and including the day
 * containing @to − 1, so [from, to) with local midnights is exact.
 *
 * Definitions (events; docs/AUDIENCE.md has worked examples):
 *  - views: events of kind CS_EVENT_VIEW.
 *  - viewers: distinct viewers with at least one event of any kind.
 *  - watch ratio of a view: watch_ms / clips.duration_ms, counted as a whole
 *    percent p = min (⌊100 · watch_ms / duration_ms⌋, 100) (a view past the
 *    end counts as 100 %). Views without watch_ms or whose clip has no
 *    duration have no ratio.
 *  - average watch time: Σ watch_ms / views that have a watch_ms, in seconds.
 *  - completion rate: views with p ≥ 90 / views that have a ratio. "Watched
 *    to the end" is p = 100 and so is included.
 *  - engagement rate: (likes + comments + shares) / views (events counted in
 *    the range, not distinct viewers; saves and follows are not included).
 *  - follows: follow events.
 *  - views over time: views per local day; when the range spans more than
 *    92 days, per week starting Monday. Buckets without views are 0. The
 *    span is the filter's, or the days with data when a side is open.
 *  - retention curve: for p = 0 … 100, the share of the clip's views (with a
 *    ratio) that have p' ≥ p, i.e. still watching at p % of the clip.
 *  - watch-ratio histogram: views with a ratio in ten bins [0,10) % …
 *    [80,90) %, and [90,100] % (the completed views).
 *  - funnel: viewers with ≥ 1 view; of those, with ≥ 1 like or comment; of
 *    those, with ≥ 1 share; of those, with ≥ 1 follow — each within the range
 *    (any day of it, any clip of the filter), so each stage ⊆ the one before.
 *  - best time to post: for each clip posted inside the range (known
 *    posted_at), its views inside the range; a cell (local weekday of
 *    posted_at, Monday first × local hour) is the median of those views over
 *    its clips, NaN without clips. When no clip qualifies, the heatmap shows
 *    views by viewing time instead (the sum of views in the range per local
 *    weekday × hour of the view); post_time_by_posting says which.
 *  - top clips: by views in the range, descending, ties by clip id; each
 *    with its engagement rate. Clips without views are not listed.
 *  - top hashtags: clips.hashtags split on spaces, commas and '#',
 *    compared case-insensitively (shown in lower case); a hashtag's views,
 *    likes, comments and shares are the sums over its clips; ranked by views,
 *    ties by name.
 *
 * clip_stats source: per clip, its rows with a day (the newest import's row
 * for each day) when it has any, counted when the day is in the range;
 * otherwise its newest lifetime row (day NULL), counted when the filter is
 * open on both sides or the clip's posted_at lies in it. Views, likes,
 * comments, shares and followers add up; average watch time and completion
 * rate are averages weighted by views over rows that give them (a completion
 * rate above 1 is read as a percentage); viewers are unknown (NaN).
 *
 * Speed. Queries read summaries (tables audience_* of migration 3), not the
 * events table: cs_audience_refresh() brings them up to date and must run
 * (on a worker) before querying when the events or clips changed. It works
 * per import: an import whose first or last event id changed, or that has
 * no events any more, is summarised again or dropped; new imports are
 * added; a change of the local time zone or of any clip's duration rebuilds
 * everything. Deleting only part of an import's events in the middle of its
 * id range is not noticed: such writers call cs_audience_invalidate().
 * A clip filter's viewers and funnel read that clip's events directly
 * (index events_clip).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cs-store.h"

G_BEGIN_DECLS

typedef enum
{
  CS_AUDIENCE_SOURCE_NONE = 0,    /* neither events nor clip_stats */
  CS_AUDIENCE_SOURCE_EVENTS,
  CS_AUDIENCE_SOURCE_CLIP_STATS,
} CsAudienceSource;

/* Which parts cs_audience_query() computes. */
typedef enum
{
  CS_AUDIENCE_KPIS            = 1 << 0,
  CS_AUDIENCE_VIEWS_OVER_TIME = 1 << 1,
  CS_AUDIENCE_RETENTION       = 1 << 2,
  CS_AUDIENCE_WATCH_RATIO     = 1 << 3,
  CS_AUDIENCE_FUNNEL          = 1 << 4,
  CS_AUDIENCE_POST_TIME       = 1 << 5,
  CS_AUDIENCE_TOP_CLIPS       = 1 << 6,
  CS_AUDIENCE_TOP_HASHTAGS    = 1 << 7,
  CS_AUDIENCE_ALL             = 0xff,
} CsAudienceParts;

typedef struct
{
  gint64 from;               /* Unix seconds; 0 = from the beginning */
  gint64 to;                 /* Unix seconds, exclusive; 0 = to the end */
  gint64 clip_id;            /* clips.id; 0 = all clips */
  gint64 retention_clip_id;  /* the clip of the retention curve; 0 = the filter's clip or all clips */
  guint  top_n;              /* rows of the top lists; 0 = 10 */
} CsAudienceFilter;

#define CS_AUDIENCE_RATIO_BINS 10
#define CS_AUDIENCE_FUNNEL_STAGES 4

typedef struct
{
  gint64  clip_id;           /* 0 for a hashtag */
  char   *name;              /* clip title (or external id), or the hashtag */
  double  views;
  double  likes;
  double  comments;
  double  shares;
  double  engagement_rate;   /* (likes + comments + shares) / views */
  guint   n_clips;           /* hashtags: clips that carry it */
} CsAudienceRow;

typedef struct
{
  CsAudienceSource source;
  CsAudienceParts  parts;        /* what was computed */
  /* Local days (see above) of the oldest and newest data in the whole
   * project, ignoring the filter; 0 and -1 when there is none. */
  gint64   first_day;
  gint64   last_day;

  /* KPIS; NaN when not known (no views, no watch times, clip_stats viewers). */
  double   views;
  double   viewers;
  double   avg_watch_s;
  double   completion_rate;      /* 0..1 */
  double   engagement_rate;      /* 0..1 and more */
  double   follows;
  double   likes, comments, shares, saves;

  /* VIEWS_OVER_TIME: bucket starts (Unix seconds of local midnights) and views. */
  gboolean weekly;
  GArray  *bucket_time;          /* gint64 */
  GArray  *bucket_views;         /* double */

  /* RETENTION: retention[p] for p = 0..100 (NaN without views with a ratio). */
  gint64   retention_clip_id;
  guint64  retention_views;
  double   retention[101];

  /* WATCH_RATIO */
  guint64  ratio_bins[CS_AUDIENCE_RATIO_BINS];

  /* FUNNEL: viewed, liked or commented, shared, followed. */
  guint64  funnel[CS_AUDIENCE_FUNNEL_STAGES];

  /* POST_TIME: [weekday Monday = 0][local hour]; NaN = no clip posted then. */
  gboolean post_time_by_posting;
  double   heat[7][24];

  /* TOP_CLIPS, TOP_HASHTAGS: CsAudienceRow */
  GPtrArray *top_clips;
  GPtrArray *top_hashtags;
} CsAudienceResult;

void              cs_audience_filter_init     (CsAudienceFilter       *filter);

/* Brings the summaries up to date (one transaction; nothing to do is cheap:
 * a few index probes). Blocking: run it on a worker. Fails with
 * CS_STORE_ERROR_READ_ONLY when they are stale on a read-only project. */
gboolean          cs_audience_refresh         (CsStore                *store,
                                               GCancellable           *cancellable,
                                               GError                **error);
/* TRUE when cs_audience_refresh() has nothing to do. */
gboolean          cs_audience_is_current      (CsStore                *store,
                                               GError                **error);
/* Drops the summaries, so that the next refresh rebuilds them. */
gboolean          cs_audience_invalidate      (CsStore                *store,
                                               GError                **error);

/* Computes @parts for @filter from current summaries (call refresh first). */
CsAudienceResult *cs_audience_query           (CsStore                *store,
                                               const CsAudienceFilter *filter,
                                               CsAudienceParts         parts,
                                               GCancellable           *cancellable,
                                               GError                **error);
void              cs_audience_result_free     (CsAudienceResult       *result);

/* Local day number of a Unix time, and the Unix time of a local day's start. */
gint64            cs_audience_local_day       (gint64                  unix_time);
gint64            cs_audience_day_start       (gint64                  day);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsAudienceResult, cs_audience_result_free)

G_END_DECLS
