/* cs-store-migrations.c: the project schema, as numbered migrations.
 *
 * Migration N takes a project from user_version N-1 to N. They are applied in
 * one transaction by cs_store_open(); never edit a migration that has shipped,
 * add a new one instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cs-store-private.h"

static const char migration_1[] =
  /* Key/value settings of the project. 'app_id' marks a file as ours. */
  "CREATE TABLE settings ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT"
  ");"

  /* One row per clip: a video file, or only an id/title known from a log. */
  "CREATE TABLE clips ("
  "  id           INTEGER PRIMARY KEY,"
  "  external_id  TEXT NOT NULL UNIQUE,"   /* platform id, or file name */
  "  title        TEXT,"
  "  caption      TEXT,"
  "  hashtags     TEXT,"                   /* space-separated, without '#' */
  "  path         TEXT,"                   /* absolute path of the video file */
  "  content_hash TEXT UNIQUE,"
  "  duration_ms  INTEGER,"
  "  width        INTEGER,"
  "  height       INTEGER,"
  "  fps          REAL,"
  "  video_codec  TEXT,"
  "  audio_codec  TEXT,"
  "  has_audio    INTEGER,"
  "  posted_at    INTEGER,"                /* Unix seconds, UTC */
  "  simulated    INTEGER NOT NULL DEFAULT 0,"
  "  attrs        TEXT,"                   /* JSON: extra facts (demo truth, platform fields) */
  "  added_at     INTEGER NOT NULL DEFAULT (strftime('%s','now'))"
  ");"

  "CREATE TABLE clip_features ("
  "  clip_id INTEGER NOT NULL REFERENCES clips(id) ON DELETE CASCADE,"
  "  name    TEXT NOT NULL,"
  "  value   REAL,"
  "  PRIMARY KEY (clip_id, name)"
  ") WITHOUT ROWID;"

  "CREATE TABLE frames ("
  "  id      INTEGER PRIMARY KEY,"
  "  clip_id INTEGER NOT NULL REFERENCES clips(id) ON DELETE CASCADE,"
  "  time_ms INTEGER NOT NULL,"
  "  kind    TEXT NOT NULL,"                /* 'thumbnail', 'cover', 'train' */
  "  width   INTEGER NOT NULL,"
  "  height  INTEGER NOT NULL,"
  "  data    BLOB NOT NULL"                 /* PNG */
  ");"
  "CREATE INDEX frames_clip ON frames (clip_id);"

  "CREATE TABLE viewers ("
  "  id          INTEGER PRIMARY KEY,"
  "  external_id TEXT NOT NULL UNIQUE,"
  "  simulated   INTEGER NOT NULL DEFAULT 0,"
  "  attrs       TEXT"                      /* JSON */
  ");"

  /* One row per import of a file (or per demo generation). */
  "CREATE TABLE imports ("
  "  id            INTEGER PRIMARY KEY,"
  "  kind          TEXT NOT NULL,"          /* 'events', 'stats', 'clips', 'demo' */
  "  source        TEXT,"                   /* path of the source file */
  "  encoding      TEXT,"
  "  mapping       TEXT,"                   /* JSON {field: column} */
  "  rows_read     INTEGER NOT NULL DEFAULT 0,"
  "  rows_imported INTEGER NOT NULL DEFAULT 0,"
  "  rows_rejected INTEGER NOT NULL DEFAULT 0,"
  "  created_at    INTEGER NOT NULL DEFAULT (strftime('%s','now'))"
  ");"

  "CREATE TABLE import_rejects ("
  "  import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,"
  "  line      INTEGER NOT NULL,"
  "  reason    TEXT NOT NULL,"
  "  raw       TEXT"
  ");"
  "CREATE INDEX import_rejects_import ON import_rejects (import_id);"

  /* One row per viewer action. kind is a CsEventKind. */
  "CREATE TABLE events ("
  "  id        INTEGER PRIMARY KEY,"
  "  import_id INTEGER REFERENCES imports(id) ON DELETE CASCADE,"
  "  viewer_id INTEGER NOT NULL REFERENCES viewers(id) ON DELETE CASCADE,"
  "  clip_id   INTEGER NOT NULL REFERENCES clips(id) ON DELETE CASCADE,"
  "  time      INTEGER NOT NULL,"           /* Unix seconds, UTC */
  "  kind      INTEGER NOT NULL,"
  "  watch_ms  INTEGER,"
  "  value     REAL,"                       /* a rating or other number, when given */
  "  text      TEXT"
  ");"
  "CREATE INDEX events_import ON events (import_id);"
  "CREATE INDEX events_clip ON events (clip_id);"
  "CREATE INDEX events_viewer_time ON events (viewer_id, time);"

  /* Per-clip statistics as the platforms export them; day NULL = lifetime. */
  "CREATE TABLE clip_stats ("
  "  id              INTEGER PRIMARY KEY,"
  "  import_id       INTEGER REFERENCES imports(id) ON DELETE CASCADE,"
  "  clip_id         INTEGER NOT NULL REFERENCES clips(id) ON DELETE CASCADE,"
  "  day             TEXT,"
  "  views           REAL,"
  "  likes           REAL,"
  "  comments        REAL,"
  "  shares          REAL,"
  "  saves           REAL,"
  "  avg_watch_s     REAL,"
  "  completion_rate REAL,"
  "  followers       REAL"
  ");"
  "CREATE INDEX clip_stats_clip ON clip_stats (clip_id);"

  /* Saved column mappings, offered again for files with the same header. */
  "CREATE TABLE column_mappings ("
  "  kind       TEXT NOT NULL,"
  "  signature  TEXT NOT NULL,"             /* the header row, normalised */
  "  mapping    TEXT NOT NULL,"             /* JSON {field: column} */
  "  updated_at INTEGER NOT NULL DEFAULT (strftime('%s','now')),"
  "  PRIMARY KEY (kind, signature)"
  ");"

  /* A run is one trained/evaluated model; a comparison is a parent run
   * (model NULL) whose children are the models compared under one protocol. */
  "CREATE TABLE runs ("
  "  id          INTEGER PRIMARY KEY,"
  "  parent_id   INTEGER REFERENCES runs(id) ON DELETE CASCADE,"
  "  task        TEXT NOT NULL,"            /* 'recommend', 'predict', 'generate' */
  "  model       TEXT,"
  "  params      TEXT,"                     /* JSON */
  "  protocol    TEXT,"                     /* JSON */
  "  seed        INTEGER,"
  "  status      TEXT NOT NULL DEFAULT 'running'," /* running, done, failed, cancelled */
  "  error       TEXT,"
  "  fit_s       REAL,"
  "  score_s     REAL,"
  "  peak_rss_kb INTEGER,"
  "  summary     TEXT,"                     /* JSON: pair/viewer counts and other facts */
  "  started_at  INTEGER NOT NULL DEFAULT (strftime('%s','now')),"
  "  finished_at INTEGER"
  ");"
  "CREATE INDEX runs_parent ON runs (parent_id);"

  "CREATE TABLE metrics ("
  "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
  "  name   TEXT NOT NULL,"
  "  k      INTEGER NOT NULL DEFAULT 0,"     /* 0 when the metric has no cut-off */
  "  fold   INTEGER NOT NULL DEFAULT -1,"    /* -1 = over all folds / the single split */
  "  value  REAL,"
  "  PRIMARY KEY (run_id, name, k, fold)"
  ") WITHOUT ROWID;"

  "CREATE TABLE curves ("
  "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
  "  name   TEXT NOT NULL,"
  "  fold   INTEGER NOT NULL DEFAULT -1,"
  "  x      BLOB NOT NULL,"                 /* little-endian doubles */
  "  y      BLOB NOT NULL,"
  "  PRIMARY KEY (run_id, name, fold)"
  ") WITHOUT ROWID;"

  "CREATE TABLE artifacts ("
  "  id     INTEGER PRIMARY KEY,"
  "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
  "  name   TEXT NOT NULL,"
  "  data   BLOB"
  ");"
  "CREATE INDEX artifacts_run ON artifacts (run_id);"

  "CREATE TABLE generated_images ("
  "  id     INTEGER PRIMARY KEY,"
  "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
  "  step   INTEGER NOT NULL,"
  "  width  INTEGER NOT NULL,"
  "  height INTEGER NOT NULL,"
  "  data   BLOB NOT NULL"                  /* PNG */
  ");";

/* Clips imported from video files (issue 3): what the probe finds beyond
 * migration 1's columns, and a score for suggested cover frames. */
static const char migration_2[] =
  "ALTER TABLE clips ADD COLUMN container TEXT;"
  "ALTER TABLE clips ADD COLUMN bitrate INTEGER;"        /* bits per second, NULL when unknown */
  "ALTER TABLE clips ADD COLUMN rotation INTEGER NOT NULL DEFAULT 0;" /* degrees clockwise to show upright */
  "ALTER TABLE clips ADD COLUMN file_size INTEGER;"      /* bytes */
  "CREATE INDEX clips_added ON clips (added_at);"
  "ALTER TABLE frames ADD COLUMN score REAL;";           /* cover frames: higher is better */

/* Summaries for the Audience dashboard (engine/cs-audience.h), kept per
 * import so that rolling an import back removes exactly its share. Days are
 * local days (days since 1970-01-01 in the time zone named by the setting
 * 'audience_tz'); import_id 0 stands for events without an import. They are
 * derived data: cs_audience_refresh() may empty and rebuild them at any time. */
static const char migration_3[] =
  "CREATE TABLE audience_daily ("
  "  import_id   INTEGER NOT NULL,"
  "  day         INTEGER NOT NULL,"
  "  clip_id     INTEGER NOT NULL,"
  "  views       INTEGER NOT NULL DEFAULT 0,"
  "  watch_views INTEGER NOT NULL DEFAULT 0,"   /* views with a watch time */
  "  watch_ms    INTEGER NOT NULL DEFAULT 0,"   /* sum over those views */
  "  likes       INTEGER NOT NULL DEFAULT 0,"
  "  comments    INTEGER NOT NULL DEFAULT 0,"
  "  shares      INTEGER NOT NULL DEFAULT 0,"
  "  follows     INTEGER NOT NULL DEFAULT 0,"
  "  saves       INTEGER NOT NULL DEFAULT 0,"
  "  ratios      BLOB,"  /* 101 little-endian uint32: views by watched percent */
  "  PRIMARY KEY (day, clip_id, import_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX audience_daily_import ON audience_daily (import_id);"
  "CREATE TABLE audience_hourly ("
  "  import_id INTEGER NOT NULL,"
  "  day       INTEGER NOT NULL,"
  "  hour      INTEGER NOT NULL,"                /* local hour 0..23 */
  "  clip_id   INTEGER NOT NULL,"
  "  views     INTEGER NOT NULL,"
  "  PRIMARY KEY (day, hour, clip_id, import_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX audience_hourly_import ON audience_hourly (import_id);"
  "CREATE TABLE audience_viewers ("
  "  viewer_id INTEGER NOT NULL,"
  "  import_id INTEGER NOT NULL,"
  "  first_day INTEGER NOT NULL,"
  "  flags     BLOB NOT NULL,"  /* one byte per day from first_day: CsAudienceFlags */
  "  PRIMARY KEY (viewer_id, import_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX audience_viewers_import ON audience_viewers (import_id);"
  /* What each import's summary was built from: its first and last event id. */
  "CREATE TABLE audience_imports ("
  "  import_id INTEGER PRIMARY KEY,"
  "  min_event INTEGER NOT NULL,"
  "  max_event INTEGER NOT NULL"
  ");";

/* Event imports (issue 4) that can be rolled back and deduplicated: which
 * import created a viewer or a clip (NULL: not an event import), how many
 * rows an import skipped as duplicates, and whether its viewer ids were
 * pseudonymised. */
static const char migration_4[] =
  "ALTER TABLE viewers ADD COLUMN import_id INTEGER;"
  "ALTER TABLE clips ADD COLUMN import_id INTEGER;"
  "ALTER TABLE imports ADD COLUMN rows_duplicate INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE imports ADD COLUMN pseudonymised INTEGER NOT NULL DEFAULT 0;";

/* Frame sets for Generate (issue 8): frames sampled from chosen clips,
 * square and small, stored as rows of frames (kind 'train') whose data is
 * raw RGB (3·size² bytes, rows packed) rather than PNG: training reads every
 * frame on every run and a 64×64 frame is 12 KiB either way. */
static const char migration_5[] =
  "CREATE TABLE frame_sets ("
  "  id           INTEGER PRIMARY KEY,"
  "  size         INTEGER NOT NULL,"             /* 32 or 64: frames are size × size */
  "  rate         REAL NOT NULL,"                /* frames per second of clip */
  "  max_per_clip INTEGER NOT NULL,"
  "  clips        TEXT NOT NULL,"                /* JSON [clip id, …] as asked for */
  "  skipped      TEXT,"                         /* JSON [{clip_id, reason}] */
  "  n_frames     INTEGER NOT NULL DEFAULT 0,"
  "  created_at   INTEGER NOT NULL DEFAULT (strftime('%s','now'))"
  ");"
  "ALTER TABLE frames ADD COLUMN frame_set_id INTEGER REFERENCES frame_sets(id) ON DELETE CASCADE;"
  "ALTER TABLE frames ADD COLUMN label INTEGER;"  /* engagement class, NULL when unlabelled */
  "CREATE INDEX frames_set ON frames (frame_set_id);";

/* Version 6: a recommender's trained state, kept with its model run
 * (cs_recommender_save_state(): format names the blob's layout). */
static const char migration_6[] =
  "CREATE TABLE model_states ("
  "  run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,"
  "  format TEXT NOT NULL,"
  "  bytes  BLOB NOT NULL"
  ");";

/* Version 7: per-clip out-of-fold predictions of Predict (issue 7): for each model's
 * child run and each clip it tested, the fold, true and predicted class
 * (indices into the parent run's classes), the class probabilities as a JSON
 * array and the strongest reasons as JSON [[feature, value, contribution]]
 * (NULL when not explained). No reference to clips: a result stays readable
 * after a clip is removed. */
static const char migration_7[] =
  "CREATE TABLE predict_clips ("
  "  run_id    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
  "  clip_id   INTEGER NOT NULL,"
  "  fold      INTEGER NOT NULL,"
  "  truth     INTEGER NOT NULL,"
  "  predicted INTEGER NOT NULL,"
  "  proba     TEXT NOT NULL,"
  "  reasons   TEXT,"
  "  PRIMARY KEY (run_id, clip_id)"
  ") WITHOUT ROWID;";

const char * const _cs_store_migrations[] = {
  migration_1,
  migration_2,
  migration_3,
  migration_4,
  migration_5,
  migration_6,
  migration_7,
};

const guint _cs_store_n_migrations = G_N_ELEMENTS (_cs_store_migrations);
