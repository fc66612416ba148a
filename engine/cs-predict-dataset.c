/* cs-predict-dataset.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cs-error.h"
#include "cs-predict-dataset.h"
#include "cs-video-features.h"

static const char * const metric_names[] = {
  "views", "likes", "comments", "shares", "like_rate", "comment_rate",
  "share_rate", "completion_rate", "avg_watch_s",
};

gboolean
cs_predict_metric_is_valid (const char *metric)
{
  for (guint i = 0; i < G_N_ELEMENTS (metric_names); i++)
    if (g_strcmp0 (metric, metric_names[i]) == 0)
      return TRUE;
  return FALSE;
}

gboolean
cs_predict_metric_is_count (const char *metric)
{
  static const char * const counts[] = { "views", "likes", "comments", "shares", NULL };

  return metric != NULL && g_strv_contains (counts, metric);
}

double
cs_predict_dataset_model_value (double   v,
                                gboolean log_target)
{
  return log_target ? log1p (MAX (v, 0)) : v;
}

double
cs_predict_dataset_target_value (double   z,
                                 gboolean log_target)
{
  return log_target ? MAX (expm1 (z), 0) : z;
}

CsPredictDataset *
cs_predict_dataset_new (guint n_rows)
{
  CsPredictDataset *self = g_new0 (CsPredictDataset, 1);

  self->n_rows = n_rows;
  self->clip_ids = g_new0 (gint64, MAX (n_rows, 1));
  self->tokens = g_new0 (CsTextTokens *, MAX (n_rows, 1));
  self->hour = g_new (gint, MAX (n_rows, 1));
  self->weekday = g_new (gint, MAX (n_rows, 1));
  self->posted_at = g_new (gint64, MAX (n_rows, 1));
  self->duration_s = g_new (double, MAX (n_rows, 1));
  self->orientation = g_new (gint, MAX (n_rows, 1));
  self->target = g_new (double, MAX (n_rows, 1));
  for (guint i = 0; i < n_rows; i++)
    {
      self->clip_ids[i] = i;
      self->hour[i] = -1;
      self->weekday[i] = -1;
      self->posted_at[i] = G_MININT64;
      self->duration_s[i] = NAN;
      self->orientation[i] = -1;
      self->target[i] = NAN;
    }
  return self;
}

void
cs_predict_dataset_free (CsPredictDataset *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < self->n_rows; i++)
    cs_text_tokens_free (self->tokens[i]);
  g_free (self->tokens);
  g_free (self->clip_ids);
  g_free (self->hour);
  g_free (self->weekday);
  g_free (self->posted_at);
  g_free (self->duration_s);
  g_free (self->orientation);
  g_strfreev (self->content_names);
  g_free (self->content);
  g_free (self->target);
  g_free (self->target_spec);
  g_free (self->labels);
  for (guint c = 0; c < CS_PREDICT_MAX_CLASSES; c++)
    g_free (self->class_names[c]);
  g_free (self);
}

void
cs_predict_dataset_set_text (CsPredictDataset *self,
                             guint             row,
                             const char       *text,
                             const char       *hashtags)
{
  g_return_if_fail (row < self->n_rows);
  g_clear_pointer (&self->tokens[row], cs_text_tokens_free);
  self->tokens[row] = cs_text_tokens_new (text, hashtags);
}

void
cs_predict_dataset_fill_times (CsPredictDataset *self)
{
  for (guint i = 0; i < self->n_rows; i++)
    {
      g_autoptr(GDateTime) dt = NULL;

      if (self->posted_at[i] == G_MININT64)
        continue;
      dt = g_date_time_new_from_unix_local (self->posted_at[i]);
      if (dt == NULL)
        continue;
      self->hour[i] = g_date_time_get_hour (dt);
      self->weekday[i] = g_date_time_get_day_of_week (dt) - 1;
    }
}

void
cs_predict_dataset_set_content_names (CsPredictDataset   *self,
                                      const char * const *names,
                                      guint               n_content)
{
  g_strfreev (self->content_names);
  g_free (self->content);
  self->n_content = n_content;
  self->content_names = g_new0 (char *, n_content + 1);
  for (guint j = 0; j < n_content; j++)
    self->content_names[j] = g_strdup (names[j]);
  self->content = g_new (double, (gsize) MAX (self->n_rows, 1) * MAX (n_content, 1));
  for (gsize i = 0; i < (gsize) self->n_rows * n_content; i++)
    self->content[i] = NAN;
}

gboolean
cs_predict_parse_groups (const char  *spec,
                         guint       *groups,
                         GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (spec ? spec : "", ",", -1);

  *groups = 0;
  for (guint i = 0; parts[i]; i++)
    {
      const char *part = g_strstrip (parts[i]);

      if (*part == '\0')
        continue;
      if (strcmp (part, "text") == 0)
        *groups |= CS_PREDICT_TEXT;
      else if (strcmp (part, "time") == 0)
        *groups |= CS_PREDICT_TIME;
      else if (strcmp (part, "content") == 0)
        *groups |= CS_PREDICT_CONTENT;
      else if (strcmp (part, "duration") == 0)
        *groups |= CS_PREDICT_DURATION;
      else
        {
          g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                       _("Unknown feature group “%s”: use text, time, content or duration"), part);
          return FALSE;
        }
    }
  if (*groups == 0)
    {
      g_set_error_literal (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                           _("No feature groups chosen: give at least one of text, time, content or duration"));
      return FALSE;
    }
  return TRUE;
}

/* ---- Loading from a project --------------------------------------------- */

/* The newest lifetime row per clip, else counts from the event log. */
static const char load_sql[] =
  "WITH life AS ("
  "  SELECT clip_id, views, likes, comments, shares, avg_watch_s, completion_rate"
  "  FROM clip_stats WHERE id IN (SELECT max(id) FROM clip_stats WHERE day IS NULL GROUP BY clip_id)),"
  " ev AS ("
  "  SELECT e.clip_id,"
  "   sum(e.kind = 1) AS views, sum(e.kind = 2) AS likes,"
  "   sum(e.kind = 3) AS comments, sum(e.kind = 4) AS shares,"
  "   avg(CASE WHEN e.kind = 1 THEN e.watch_ms END) / 1000.0 AS avg_watch_s,"
  "   avg(CASE WHEN e.kind = 1 AND e.watch_ms IS NOT NULL AND c.duration_ms > 0"
  "       THEN e.watch_ms >= c.duration_ms END) AS completion_rate"
  "  FROM events e JOIN clips c ON c.id = e.clip_id"
  "  WHERE e.clip_id NOT IN (SELECT clip_id FROM life)"
  "  GROUP BY e.clip_id)"
  " SELECT c.id, c.title, c.caption, c.hashtags, c.posted_at, c.duration_ms,"
  "  c.width, c.height, c.rotation,"
  "  coalesce(l.views, ev.views), coalesce(l.likes, ev.likes),"
  "  coalesce(l.comments, ev.comments), coalesce(l.shares, ev.shares),"
  "  coalesce(l.avg_watch_s, ev.avg_watch_s),"
  "  coalesce(l.completion_rate, ev.completion_rate)"
  " FROM clips c LEFT JOIN life l ON l.clip_id = c.id LEFT JOIN ev ON ev.clip_id = c.id"
  " WHERE ?1 OR l.clip_id IS NOT NULL OR ev.clip_id IS NOT NULL"
  " ORDER BY c.id";

static double
column_or_nan (sqlite3_stmt *stmt,
               int           column)
{
  return sqlite3_column_type (stmt, column) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, column);
}

static double
rate (double part,
      double views)
{
  return isfinite (part) && isfinite (views) && views > 0 ? part / views : NAN;
}

static double
metric_value (const char *metric,
              const double *s) /* views likes comments shares avg_watch completion */
{
  if (strcmp (metric, "views") == 0)
    return s[0];
  if (strcmp (metric, "likes") == 0)
    return s[1];
  if (strcmp (metric, "comments") == 0)
    return s[2];
  if (strcmp (metric, "shares") == 0)
    return s[3];
  if (strcmp (metric, "like_rate") == 0)
    return rate (s[1], s[0]);
  if (strcmp (metric, "comment_rate") == 0)
    return rate (s[2], s[0]);
  if (strcmp (metric, "share_rate") == 0)
    return rate (s[3], s[0]);
  if (strcmp (metric, "avg_watch_s") == 0)
    return s[4];
  return s[5];
}

gboolean
cs_predict_dataset_load_content (CsPredictDataset  *self,
                                 CsStore           *store,
                                 GHashTable        *row_of_clip,
                                 GError           **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  sqlite3_stmt *stmt;
  int rc;

  stmt = cs_store_prepare (store, "SELECT DISTINCT name FROM clip_features ORDER BY name", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return cs_store_set_error (store, error, _("Could not read the clips’ features"));
  g_ptr_array_add (names, NULL);
  cs_predict_dataset_set_content_names (self, (const char * const *) names->pdata, names->len - 1);
  for (guint j = 0; j < self->n_content; j++)
    g_hash_table_insert (index, self->content_names[j], GUINT_TO_POINTER (j + 1));

  stmt = cs_store_prepare (store, "SELECT clip_id, name, value FROM clip_features", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 clip = sqlite3_column_int64 (stmt, 0);
      gpointer row = g_hash_table_lookup (row_of_clip, &clip);
      guint j = GPOINTER_TO_UINT (g_hash_table_lookup (index, sqlite3_column_text (stmt, 1)));

      if (row != NULL && j > 0)
        self->content[(gsize) (GPOINTER_TO_UINT (row) - 1) * self->n_content + j - 1] = column_or_nan (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return cs_store_set_error (store, error, _("Could not read the clips’ features"));
  return TRUE;
}

/* Every clip with statistics, or with @all_clips every clip. */
static CsPredictDataset *
load_rows (CsStore     *store,
           const char  *metric,
           gboolean     all_clips,
           GError     **error)
{
  g_autoptr(CsPredictDataset) self = NULL;
  g_autoptr(GHashTable) row_of_clip = g_hash_table_new (g_int64_hash, g_int64_equal);
  sqlite3_stmt *stmt;
  gint64 n;
  guint row = 0;
  int rc;

  g_return_val_if_fail (CS_IS_STORE (store), NULL);

  if (!cs_predict_metric_is_valid (metric))
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                   _("Unknown target metric “%s”: use views, likes, comments, shares, like_rate, "
                     "comment_rate, share_rate, completion_rate or avg_watch_s"), metric);
      return NULL;
    }

  n = all_clips ? cs_store_query_int (store, "SELECT count(*) FROM clips", 0)
                : cs_store_query_int (store,
                                      "SELECT count(*) FROM clips WHERE id IN (SELECT clip_id FROM clip_stats)"
                                      " OR id IN (SELECT clip_id FROM events)", 0);
  if (n <= 0 && all_clips)
    {
      g_set_error_literal (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                           _("The project has no clips: import clips first"));
      return NULL;
    }
  if (n <= 0)
    {
      g_set_error_literal (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                           _("No clip has statistics yet: import clip statistics or an event log first"));
      return NULL;
    }
  self = cs_predict_dataset_new ((guint) n);

  stmt = cs_store_prepare (store, load_sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, all_clips);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW && row < self->n_rows)
    {
      const char *title = (const char *) sqlite3_column_text (stmt, 1);
      const char *caption = (const char *) sqlite3_column_text (stmt, 2);
      const char *hashtags = (const char *) sqlite3_column_text (stmt, 3);
      g_autofree char *text = g_strjoin ("\n", title ? title : "", caption ? caption : "", NULL);
      double s[6];
      int width = sqlite3_column_int (stmt, 6), height = sqlite3_column_int (stmt, 7);
      int rotation = sqlite3_column_int (stmt, 8);

      self->clip_ids[row] = sqlite3_column_int64 (stmt, 0);
      if (title != NULL || caption != NULL || hashtags != NULL)
        cs_predict_dataset_set_text (self, row, text, hashtags);
      if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
        self->posted_at[row] = sqlite3_column_int64 (stmt, 4);
      if (sqlite3_column_type (stmt, 5) != SQLITE_NULL && sqlite3_column_int64 (stmt, 5) > 0)
        self->duration_s[row] = sqlite3_column_int64 (stmt, 5) / 1000.0;
      if (width > 0 && height > 0)
        self->orientation[row] = (rotation % 180 == 90) ? cs_video_orientation (height, width)
                                                         : cs_video_orientation (width, height);
      for (int c = 0; c < 6; c++)
        s[c] = column_or_nan (stmt, 9 + c);
      self->target[row] = metric_value (metric, s);
      g_hash_table_insert (row_of_clip, &self->clip_ids[row], GUINT_TO_POINTER (row + 1));
      row++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      cs_store_set_error (store, error, _("Could not read the clips’ statistics"));
      return NULL;
    }
  self->n_rows = row;
  cs_predict_dataset_fill_times (self);
  if (!cs_predict_dataset_load_content (self, store, row_of_clip, error))
    return NULL;
  return g_steal_pointer (&self);
}

CsPredictDataset *
cs_predict_dataset_load (CsStore     *store,
                         const char  *metric,
                         GError     **error)
{
  return load_rows (store, metric, FALSE, error);
}

/* ---- Targets ------------------------------------------------------------ */

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* numpy.quantile's default (linear) on sorted values. */
static double
quantile (const double *sorted,
          guint         n,
          double        q)
{
  double pos = q * (n - 1);
  guint lo = (guint) floor (pos);
  guint hi = MIN (lo + 1, n - 1);

  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

/* Keeps the rows with keep[i], in order. */
static void
keep_rows (CsPredictDataset *self,
           const gboolean   *keep)
{
  guint out = 0;

  for (guint i = 0; i < self->n_rows; i++)
    {
      if (!keep[i])
        {
          cs_text_tokens_free (self->tokens[i]);
          continue;
        }
      self->clip_ids[out] = self->clip_ids[i];
      self->tokens[out] = self->tokens[i];
      self->hour[out] = self->hour[i];
      self->weekday[out] = self->weekday[i];
      self->posted_at[out] = self->posted_at[i];
      self->duration_s[out] = self->duration_s[i];
      self->orientation[out] = self->orientation[i];
      self->target[out] = self->target[i];
      if (self->n_content > 0)
        memmove (self->content + (gsize) out * self->n_content,
                 self->content + (gsize) i * self->n_content,
                 self->n_content * sizeof (double));
      out++;
    }
  self->n_dropped += self->n_rows - out;
  self->n_rows = out;
}

static char *
format_threshold (double value)
{
  return g_strdup_printf ("%.6g", value);
}

gboolean
cs_predict_dataset_set_target (CsPredictDataset  *self,
                               const char        *metric,
                               const char        *spec,
                               GError           **error)
{
  g_autofree gboolean *keep = g_new (gboolean, MAX (self->n_rows, 1));
  g_autofree double *sorted = NULL;
  guint counts[CS_PREDICT_MAX_CLASSES] = { 0 };
  char *end;

  for (guint i = 0; i < self->n_rows; i++)
    keep[i] = isfinite (self->target[i]);
  keep_rows (self, keep);
  if (self->n_rows == 0)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                   _("No clip has a value for “%s”: import statistics that include it, or choose another target"),
                   metric);
      return FALSE;
    }

  for (guint c = 0; c < CS_PREDICT_MAX_CLASSES; c++)
    g_clear_pointer (&self->class_names[c], g_free);
  sorted = g_memdup2 (self->target, self->n_rows * sizeof (double));
  qsort (sorted, self->n_rows, sizeof (double), compare_double);
  if (sorted[0] == sorted[self->n_rows - 1])
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                   _("All %u clips have the same %s (%g): there is nothing to predict; choose another target"),
                   self->n_rows, metric, sorted[0]);
      return FALSE;
    }

  self->regression = FALSE;
  self->log_target = FALSE;
  if (g_strcmp0 (spec, "value") == 0)
    {
      self->regression = TRUE;
      self->log_target = cs_predict_metric_is_count (metric);
      self->n_classes = 0;
      g_clear_pointer (&self->labels, g_free);
      g_free (self->target_spec);
      self->target_spec = g_strdup_printf ("%s:%s", metric, spec);
      return TRUE;
    }
  if (g_strcmp0 (spec, "terciles") == 0)
    {
      self->n_classes = 3;
      self->thresholds[0] = quantile (sorted, self->n_rows, 1.0 / 3.0);
      self->thresholds[1] = quantile (sorted, self->n_rows, 2.0 / 3.0);
      self->class_names[0] = g_strdup ("low");
      self->class_names[1] = g_strdup ("medium");
      self->class_names[2] = g_strdup ("high");
    }
  else if (spec != NULL && g_str_has_prefix (spec, ">="))
    {
      g_autofree char *x = NULL;

      self->n_classes = 2;
      self->thresholds[0] = g_ascii_strtod (spec + 2, &end);
      if (end == spec + 2 || *end != '\0' || !isfinite (self->thresholds[0]))
        goto bad_spec;
      x = format_threshold (self->thresholds[0]);
      self->class_names[0] = g_strdup_printf ("<%s", x);
      self->class_names[1] = g_strdup_printf (">=%s", x);
    }
  else if (spec != NULL)
    {
      self->n_classes = 3;
      self->thresholds[0] = g_ascii_strtod (spec, &end);
      if (end == spec || *end != ',')
        goto bad_spec;
      self->thresholds[1] = g_ascii_strtod (end + 1, &end);
      if (*end != '\0' || !(self->thresholds[0] < self->thresholds[1]))
        goto bad_spec;
      self->class_names[0] = g_strdup ("low");
      self->class_names[1] = g_strdup ("medium");
      self->class_names[2] = g_strdup ("high");
    }
  else
    goto bad_spec;

  g_free (self->labels);
  self->labels = g_new (guint, self->n_rows);
  for (guint i = 0; i < self->n_rows; i++)
    {
      guint c = 0;

      while (c + 1 < self->n_classes && self->target[i] >= self->thresholds[c])
        c++;
      self->labels[i] = c;
      counts[c]++;
    }
  for (guint c = 0; c < self->n_classes; c++)
    if (counts[c] == 0)
      {
        g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                     _("No clip falls in the class “%s” of %s (thresholds %g and %g): too many clips share "
                       "the same value; choose thresholds yourself or another target"),
                     self->class_names[c], metric, self->thresholds[0],
                     self->n_classes > 2 ? self->thresholds[1] : self->thresholds[0]);
        return FALSE;
      }
  g_free (self->target_spec);
  self->target_spec = g_strdup_printf ("%s:%s", metric, spec);
  return TRUE;

bad_spec:
  g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
               _("Cannot read the target “%s:%s”: use METRIC:terciles, METRIC:>=X, METRIC:X,Y with X < Y "
                 "or METRIC:value"),
               metric, spec ? spec : "");
  return FALSE;
}

/* ---- Clips to score ---------------------------------------------------- */

CsPredictDataset *
cs_predict_dataset_load_unknown (CsStore     *store,
                                 const char  *metric,
                                 GError     **error)
{
  g_autoptr(CsPredictDataset) self = load_rows (store, metric, TRUE, error);
  g_autofree gboolean *keep = NULL;

  if (self == NULL)
    return NULL;
  keep = g_new (gboolean, MAX (self->n_rows, 1));
  for (guint i = 0; i < self->n_rows; i++)
    keep[i] = !isfinite (self->target[i]);
  keep_rows (self, keep);
  self->n_dropped = 0;
  return g_steal_pointer (&self);
}
