/* cs-interactions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "cs-error.h"
#include "cs-interactions.h"
#include "cs-types.h"

typedef struct
{
  gint32 v;  /* provisional viewer id, later internal index */
  gint32 c;
  gint64 t;
} Event;

typedef struct
{
  gint32 c;
  float  w;  /* the event's weight; 1 under an unweighted rule */
  gint64 t;
} ClipTime;

typedef struct
{
  const char *id;
  gint64      num;
  gint32      prov;
} Key;

static const struct
{
  const char  *name;
  CsEventKind  kind;
} kind_rules[] = {
  { "view",    CS_EVENT_VIEW },
  { "like",    CS_EVENT_LIKE },
  { "comment", CS_EVENT_COMMENT },
  { "share",   CS_EVENT_SHARE },
  { "follow",  CS_EVENT_FOLLOW },
  { "save",    CS_EVENT_SAVE },
};

/* "view=1,like=3" → weights by event kind (0 for kinds not named). */
static gboolean
parse_weights (const char  *text,
               double       weights[CS_EVENT_SAVE + 1],
               const char  *rule,
               GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  gboolean any = FALSE;

  for (guint k = 0; k <= CS_EVENT_SAVE; k++)
    weights[k] = 0;

  for (guint p = 0; parts[p] != NULL; p++)
    {
      const char *eq = strchr (parts[p], '=');
      g_autofree char *name = NULL;
      char *end = NULL;
      double w;
      gint kind = -1;

      if (eq == NULL)
        goto bad;
      name = g_strstrip (g_strndup (parts[p], (gsize) (eq - parts[p])));
      for (guint i = 0; i < G_N_ELEMENTS (kind_rules); i++)
        if (strcmp (name, kind_rules[i].name) == 0)
          kind = (gint) kind_rules[i].kind;
      w = g_ascii_strtod (eq + 1, &end);
      while (end != NULL && g_ascii_isspace (*end))
        end++;
      if (kind < 0 || end == eq + 1 || *end != '\0' || !isfinite (w) ||
          w < 0 || w > CS_POSITIVE_MAX_WEIGHT)
        goto bad;
      weights[kind] = w;
      any |= w > 0;
    }
  if (any)
    return TRUE;

bad:
  g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
               _("The weighted rule needs event kinds with weights from 0 to %d, at least one above 0, "
                 "as in “weighted:view=1,like=3,share=5” (got “%s”)"),
               CS_POSITIVE_MAX_WEIGHT, rule);
  return FALSE;
}

/* The normalised text: kinds in a fixed order, zero weights left out. */
static char *
format_weights (const double weights[CS_EVENT_SAVE + 1])
{
  GString *out = g_string_new ("weighted:");
  gboolean first = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (kind_rules); i++)
    {
      char number[G_ASCII_DTOSTR_BUF_SIZE];

      if (weights[kind_rules[i].kind] <= 0)
        continue;
      g_string_append_printf (out, "%s%s=%s", first ? "" : ",", kind_rules[i].name,
                              g_ascii_formatd (number, sizeof number, "%g",
                                               weights[kind_rules[i].kind]));
      first = FALSE;
    }
  return g_string_free (out, FALSE);
}

gboolean
cs_positive_rule_is_weighted (const char *rule)
{
  return rule != NULL && g_str_has_prefix (rule, "weighted:");
}

char *
cs_positive_rule_normalize (const char  *rule,
                            GError     **error)
{
  g_autofree char *lower = NULL;

  if (rule == NULL || *rule == '\0')
    return g_strdup (CS_POSITIVES_DEFAULT);

  lower = g_ascii_strdown (rule, -1);
  g_strstrip (lower);

  if (strcmp (lower, "any") == 0)
    return g_steal_pointer (&lower);
  for (guint i = 0; i < G_N_ELEMENTS (kind_rules); i++)
    if (strcmp (lower, kind_rules[i].name) == 0)
      return g_steal_pointer (&lower);

  if (g_str_has_prefix (lower, "weighted:"))
    {
      double weights[CS_EVENT_SAVE + 1];

      if (!parse_weights (lower + strlen ("weighted:"), weights, rule, error))
        return NULL;
      return format_weights (weights);
    }

  if (g_str_has_prefix (lower, "watch:"))
    {
      const char *text = lower + strlen ("watch:");
      char *end = NULL;
      double ratio = g_ascii_strtod (text, &end);

      if (end != text && *end == '\0' && ratio > 0 && ratio <= 1.0)
        return g_strdup_printf ("watch:%g", ratio);

      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                   _("The watch-ratio rule needs a ratio between 0 and 1, as in “watch:0.5” (got “%s”)"),
                   rule);
      return NULL;
    }

  g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
               _("Unknown positives rule “%s”: use view, any, like, comment, share, follow, save, watch:RATIO or weighted:like=3,share=5"),
               rule);
  return NULL;
}

/* An id is an integer when it is an optional minus sign and decimal digits
 * that fit in 64 bits. */
static gboolean
parse_integer_id (const char *id,
                  gint64     *out)
{
  const char *p = id;
  char *end = NULL;
  gint64 v;

  if (*p == '-')
    p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  for (; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  errno = 0;
  v = g_ascii_strtoll (id, &end, 10);
  if (errno != 0 || *end != '\0')
    return FALSE;
  *out = v;
  return TRUE;
}

static int
compare_keys_numeric (const void *a,
                      const void *b)
{
  const Key *ka = a;
  const Key *kb = b;

  if (ka->num != kb->num)
    return ka->num < kb->num ? -1 : 1;
  return strcmp (ka->id, kb->id);
}

static int
compare_keys_bytes (const void *a,
                    const void *b)
{
  const Key *ka = a;
  const Key *kb = b;

  return strcmp (ka->id, kb->id);
}

static int
compare_clip_time (const void *a,
                   const void *b)
{
  const ClipTime *x = a;
  const ClipTime *y = b;

  if (x->c != y->c)
    return x->c < y->c ? -1 : 1;
  if (x->t != y->t)
    return x->t < y->t ? -1 : 1;
  return 0;
}

/* Gives the used provisional ids their internal index (in external id order)
 * in @map, and returns the external ids (and rowids) by internal index. */
static gint32
index_entities (char * const   *ext,
                const gint64   *rowids,
                gint32          n_prov,
                const guint8   *used,
                gint32         *map,
                char         ***out_ids,
                gint64        **out_rowids,
                gboolean       *out_numeric)
{
  g_autofree Key *keys = NULL;
  gboolean numeric = TRUE;
  gint32 n = 0;

  keys = g_new (Key, MAX (n_prov, 1));
  for (gint32 p = 0; p < n_prov; p++)
    {
      map[p] = -1;
      if (!used[p])
        continue;
      keys[n].id = ext[p];
      keys[n].prov = p;
      keys[n].num = 0;
      if (numeric && !parse_integer_id (ext[p], &keys[n].num))
        numeric = FALSE;
      n++;
    }

  qsort (keys, n, sizeof (Key), numeric ? compare_keys_numeric : compare_keys_bytes);

  *out_ids = g_new0 (char *, (gsize) n + 1);
  *out_rowids = g_new0 (gint64, MAX (n, 1));
  for (gint32 i = 0; i < n; i++)
    {
      map[keys[i].prov] = i;
      (*out_ids)[i] = g_strdup (keys[i].id);
      (*out_rowids)[i] = rowids ? rowids[keys[i].prov] : 0;
    }
  *out_numeric = numeric;
  return n;
}

/* Takes ownership of @events (provisional ids) and of @weights (one per
 * event, or NULL for an unweighted rule) and builds the collapsed, indexed
 * interactions. */
static CsInteractions *
build (const char     *rule,
       char * const   *viewer_ext,
       const gint64   *viewer_rowids,
       gint32          n_prov_viewers,
       char * const   *clip_ext,
       const gint64   *clip_rowids,
       gint32          n_prov_clips,
       Event          *events,
       float          *weights,
       gsize           n,
       GCancellable   *cancellable,
       GError        **error)
{
  g_autoptr(CsInteractions) self = g_new0 (CsInteractions, 1);
  g_autofree guint8 *viewer_used = g_new0 (guint8, MAX (n_prov_viewers, 1));
  g_autofree guint8 *clip_used = g_new0 (guint8, MAX (n_prov_clips, 1));
  g_autofree gint32 *viewer_map = g_new (gint32, MAX (n_prov_viewers, 1));
  g_autofree gint32 *clip_map = g_new (gint32, MAX (n_prov_clips, 1));
  g_autofree gsize *start = NULL;
  g_autofree ClipTime *row = NULL;
  gsize max_row = 0;
  gsize out = 0;

  self->rule = g_strdup (rule);

  for (gsize i = 0; i < n; i++)
    {
      viewer_used[events[i].v] = 1;
      clip_used[events[i].c] = 1;
    }
  self->n_viewers = index_entities (viewer_ext, viewer_rowids, n_prov_viewers, viewer_used,
                                    viewer_map, &self->viewer_ids, &self->viewer_rowids,
                                    &self->viewers_numeric);
  self->n_clips = index_entities (clip_ext, clip_rowids, n_prov_clips, clip_used,
                                  clip_map, &self->clip_ids, &self->clip_rowids,
                                  &self->clips_numeric);

  /* Bucket the events by viewer straight into the output arrays, then sort
   * and collapse each viewer's (clip, time) list on its own: linear in the
   * number of events apart from the short per-viewer sorts. */
  start = g_new0 (gsize, (gsize) self->n_viewers + 1);
  for (gsize i = 0; i < n; i++)
    {
      events[i].v = viewer_map[events[i].v];
      events[i].c = clip_map[events[i].c];
      start[events[i].v + 1]++;
    }
  for (gint32 v = 0; v < self->n_viewers; v++)
    {
      max_row = MAX (max_row, start[v + 1]);
      start[v + 1] += start[v];
    }

  self->viewer = g_new (gint32, MAX (n, 1));
  self->clip = g_new (gint32, MAX (n, 1));
  self->time = g_new (gint64, MAX (n, 1));
  if (weights != NULL)
    self->weight = g_new (float, MAX (n, 1));
  {
    g_autofree gsize *fill = g_memdup2 (start, sizeof (gsize) * ((gsize) self->n_viewers + 1));

    for (gsize i = 0; i < n; i++)
      {
        gsize at = fill[events[i].v]++;

        self->clip[at] = events[i].c;
        self->time[at] = events[i].t;
        if (weights != NULL)
          self->weight[at] = weights[i];
      }
  }
  g_free (events);
  g_free (weights);

  row = g_new (ClipTime, MAX (max_row, 1));
  for (gint32 v = 0; v < self->n_viewers; v++)
    {
      gsize len = start[v + 1] - start[v];

      if ((v & 0xfff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      for (gsize a = 0; a < len; a++)
        {
          row[a].c = self->clip[start[v] + a];
          row[a].t = self->time[start[v] + a];
          row[a].w = self->weight ? self->weight[start[v] + a] : 1.0f;
        }
      qsort (row, len, sizeof (ClipTime), compare_clip_time);
      /* Sorted by (clip, time): the first of each run of equal clips carries
       * the earliest time, and the run's weights add up. @out never
       * overtakes the read position. */
      for (gsize a = 0; a < len; a++)
        {
          if (a > 0 && row[a].c == row[a - 1].c)
            {
              if (self->weight != NULL)
                self->weight[out - 1] += row[a].w;
              continue;
            }
          self->viewer[out] = v;
          self->clip[out] = row[a].c;
          self->time[out] = row[a].t;
          if (self->weight != NULL)
            self->weight[out] = row[a].w;
          out++;
        }
    }

  self->n_pairs = out;
  self->viewer = g_renew (gint32, self->viewer, MAX (out, 1));
  self->clip = g_renew (gint32, self->clip, MAX (out, 1));
  self->time = g_renew (gint64, self->time, MAX (out, 1));
  if (self->weight != NULL)
    self->weight = g_renew (float, self->weight, MAX (out, 1));
  return g_steal_pointer (&self);
}

CsInteractions *
cs_interactions_new (const char * const *viewer_ids,
                     const char * const *clip_ids,
                     const gint64       *times,
                     gsize               n_events)
{
  return cs_interactions_new_weighted (viewer_ids, clip_ids, times, NULL, n_events);
}

CsInteractions *
cs_interactions_new_weighted (const char * const *viewer_ids,
                              const char * const *clip_ids,
                              const gint64       *times,
                              const float        *weights,
                              gsize               n_events)
{
  g_autoptr(GHashTable) viewers = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) clips = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) viewer_ext = g_ptr_array_new ();
  g_autoptr(GPtrArray) clip_ext = g_ptr_array_new ();
  Event *events;

  g_return_val_if_fail (n_events == 0 || (viewer_ids && clip_ids && times), NULL);

  events = g_new (Event, MAX (n_events, 1));
  for (gsize i = 0; i < n_events; i++)
    {
      gpointer id;

      if (!g_hash_table_lookup_extended (viewers, viewer_ids[i], NULL, &id))
        {
          id = GINT_TO_POINTER (viewer_ext->len);
          g_hash_table_insert (viewers, (gpointer) viewer_ids[i], id);
          g_ptr_array_add (viewer_ext, (gpointer) viewer_ids[i]);
        }
      events[i].v = GPOINTER_TO_INT (id);

      if (!g_hash_table_lookup_extended (clips, clip_ids[i], NULL, &id))
        {
          id = GINT_TO_POINTER (clip_ext->len);
          g_hash_table_insert (clips, (gpointer) clip_ids[i], id);
          g_ptr_array_add (clip_ext, (gpointer) clip_ids[i]);
        }
      events[i].c = GPOINTER_TO_INT (id);
      events[i].t = times[i];
    }

  return build (weights ? "weighted" : CS_POSITIVES_DEFAULT,
                (char * const *) viewer_ext->pdata, NULL, (gint32) viewer_ext->len,
                (char * const *) clip_ext->pdata, NULL, (gint32) clip_ext->len,
                events, weights ? g_memdup2 (weights, sizeof (float) * MAX (n_events, 1)) : NULL,
                n_events, NULL, NULL);
}

/* Reads "SELECT id, external_id FROM table ORDER BY id". */
static gboolean
load_entities (CsStore      *store,
               const char   *sql,
               GArray      **out_rowids,
               GPtrArray   **out_ext,
               GError      **error)
{
  g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) ext = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = cs_store_prepare (store, sql, error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *text = (const char *) sqlite3_column_text (stmt, 1);

      g_array_append_val (rowids, id);
      g_ptr_array_add (ext, g_strdup (text ? text : ""));
    }
  if (rc != SQLITE_DONE)
    {
      cs_store_set_error (store, error, _("Could not read the viewers and clips"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);

  *out_rowids = g_steal_pointer (&rowids);
  *out_ext = g_steal_pointer (&ext);
  return TRUE;
}

/* Maps table rowids to positions. Rowids are usually dense (1 … n), where a
 * plain array answers in one load; sparse ones fall back to binary search. */
typedef struct
{
  const gint64 *rowids;   /* ascending */
  gint32        n;
  gint32       *direct;   /* rowid → position or -1, when dense */
  gint64        max_rowid;
} RowidMap;

static gint32 find_rowid (const gint64 *rowids,
                          gint32        n,
                          gint64        id);

static void
rowid_map_init (RowidMap     *map,
                const gint64 *rowids,
                gint32        n)
{
  map->rowids = rowids;
  map->n = n;
  map->direct = NULL;
  map->max_rowid = n > 0 ? rowids[n - 1] : 0;
  if (n > 0 && rowids[0] >= 0 && map->max_rowid <= 4 * (gint64) n + 1024)
    {
      map->direct = g_new (gint32, map->max_rowid + 1);
      for (gint64 r = 0; r <= map->max_rowid; r++)
        map->direct[r] = -1;
      for (gint32 p = 0; p < n; p++)
        map->direct[rowids[p]] = p;
    }
}

static void
rowid_map_clear (RowidMap *map)
{
  g_clear_pointer (&map->direct, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RowidMap, rowid_map_clear)

static inline gint32
rowid_map_find (const RowidMap *map,
                gint64          id)
{
  if (map->direct != NULL)
    return id >= 0 && id <= map->max_rowid ? map->direct[id] : -1;
  return find_rowid (map->rowids, map->n, id);
}

static gint32
find_rowid (const gint64 *rowids,
            gint32        n,
            gint64        id)
{
  gint32 lo = 0, hi = n;

  while (lo < hi)
    {
      gint32 mid = lo + (hi - lo) / 2;

      if (rowids[mid] < id)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo < n && rowids[lo] == id ? lo : -1;
}

CsInteractions *
cs_interactions_load (CsStore       *store,
                      const char    *rule,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autofree char *normalized = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GArray) viewer_rowids = NULL;
  g_autoptr(GArray) clip_rowids = NULL;
  g_autoptr(GPtrArray) viewer_ext = NULL;
  g_autoptr(GPtrArray) clip_ext = NULL;
  g_autofree Event *events = NULL;
  gsize n = 0, allocated = 0;
  double watch_ratio = 0;
  double kind_weight[CS_EVENT_SAVE + 1] = { 0 };
  gboolean weighted = FALSE;
  g_autofree float *weights = NULL;
  g_auto(RowidMap) viewer_map = { 0 };
  g_auto(RowidMap) clip_map = { 0 };
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CS_IS_STORE (store), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  normalized = cs_positive_rule_normalize (rule, error);
  if (normalized == NULL)
    return NULL;

  if (!load_entities (store, "SELECT id, external_id FROM viewers ORDER BY id",
                      &viewer_rowids, &viewer_ext, error) ||
      !load_entities (store, "SELECT id, external_id FROM clips ORDER BY id",
                      &clip_rowids, &clip_ext, error))
    return NULL;

  /* Integer columns only: the external ids are joined in memory, which keeps
   * millions of rows from allocating a string each. */
  if (strcmp (normalized, "any") == 0)
    sql = g_strdup ("SELECT viewer_id, clip_id, time FROM events");
  else if (cs_positive_rule_is_weighted (normalized))
    {
      g_autoptr(GString) kinds = g_string_new (NULL);

      parse_weights (normalized + strlen ("weighted:"), kind_weight, normalized, NULL);
      for (guint k = 0; k <= CS_EVENT_SAVE; k++)
        if (kind_weight[k] > 0)
          g_string_append_printf (kinds, "%s%u", kinds->len ? "," : "", k);
      sql = g_strdup_printf ("SELECT viewer_id, clip_id, time, kind FROM events WHERE kind IN (%s)",
                             kinds->str);
      weighted = TRUE;
    }
  else if (g_str_has_prefix (normalized, "watch:"))
    {
      watch_ratio = g_ascii_strtod (normalized + strlen ("watch:"), NULL);
      sql = g_strdup_printf ("SELECT e.viewer_id, e.clip_id, e.time FROM events e"
                             " JOIN clips c ON c.id = e.clip_id"
                             " WHERE e.kind = %d AND c.duration_ms > 0"
                             " AND e.watch_ms >= ?1 * c.duration_ms",
                             CS_EVENT_VIEW);
    }
  else
    {
      for (guint i = 0; i < G_N_ELEMENTS (kind_rules); i++)
        if (strcmp (normalized, kind_rules[i].name) == 0)
          sql = g_strdup_printf ("SELECT viewer_id, clip_id, time FROM events WHERE kind = %d",
                                 kind_rules[i].kind);
    }
  g_assert (sql != NULL);

  stmt = cs_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;
  if (watch_ratio > 0)
    sqlite3_bind_double (stmt, 1, watch_ratio);

  rowid_map_init (&viewer_map, (gint64 *) (void *) viewer_rowids->data, (gint32) viewer_rowids->len);
  rowid_map_init (&clip_map, (gint64 *) (void *) clip_rowids->data, (gint32) clip_rowids->len);
  allocated = 1 << 16;
  events = g_new (Event, allocated);
  if (weighted)
    weights = g_new (float, allocated);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint32 v = rowid_map_find (&viewer_map, sqlite3_column_int64 (stmt, 0));
      gint32 c = rowid_map_find (&clip_map, sqlite3_column_int64 (stmt, 1));

      /* Foreign keys make a miss impossible unless they were off when the
       * row was written; such a row has no viewer or clip to recommend. */
      if (v < 0 || c < 0)
        continue;

      if ((n & 0xffff) == 0xffff && g_cancellable_is_cancelled (cancellable))
        break;
      if (n == allocated)
        {
          allocated *= 2;
          events = g_renew (Event, events, allocated);
          if (weighted)
            weights = g_renew (float, weights, allocated);
        }
      events[n].v = v;
      events[n].c = c;
      events[n].t = sqlite3_column_int64 (stmt, 2);
      if (weighted)
        {
          gint64 kind = sqlite3_column_int64 (stmt, 3);

          weights[n] = kind >= 0 && kind <= CS_EVENT_SAVE ? (float) kind_weight[kind] : 0.0f;
        }
      n++;
      if (n >= G_MAXINT32)
        {
          sqlite3_reset (stmt);
          g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_FAILED,
                       _("Too many events for one comparison (more than two billion)"));
          return NULL;
        }
    }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      cs_store_set_error (store, error, _("Could not read the events"));
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  return build (normalized,
                (char * const *) viewer_ext->pdata, (gint64 *) viewer_rowids->data,
                (gint32) viewer_ext->len,
                (char * const *) clip_ext->pdata, (gint64 *) clip_rowids->data,
                (gint32) clip_ext->len,
                g_steal_pointer (&events), g_steal_pointer (&weights), n, cancellable, error);
}

void
cs_interactions_free (CsInteractions *self)
{
  if (self == NULL)
    return;
  g_free (self->rule);
  g_strfreev (self->viewer_ids);
  g_strfreev (self->clip_ids);
  g_free (self->viewer_rowids);
  g_free (self->clip_rowids);
  g_free (self->viewer);
  g_free (self->clip);
  g_free (self->time);
  g_free (self->weight);
  g_free (self);
}

static gint32
find_id (char * const *ids,
         gint32        n,
         gboolean      numeric,
         const char   *id)
{
  Key key = { id, 0, 0 };
  gint32 lo = 0, hi = n;

  if (numeric && !parse_integer_id (id, &key.num))
    return -1;

  while (lo < hi)
    {
      gint32 mid = lo + (hi - lo) / 2;
      Key probe = { ids[mid], 0, 0 };
      int cmp;

      if (numeric)
        parse_integer_id (ids[mid], &probe.num);
      cmp = numeric ? compare_keys_numeric (&probe, &key) : compare_keys_bytes (&probe, &key);
      if (cmp < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo < n && strcmp (ids[lo], id) == 0 ? lo : -1;
}

gint32
cs_interactions_find_viewer (const CsInteractions *self,
                             const char           *external_id)
{
  g_return_val_if_fail (self != NULL && external_id != NULL, -1);
  return find_id (self->viewer_ids, self->n_viewers, self->viewers_numeric, external_id);
}

gint32
cs_interactions_find_clip (const CsInteractions *self,
                           const char           *external_id)
{
  g_return_val_if_fail (self != NULL && external_id != NULL, -1);
  return find_id (self->clip_ids, self->n_clips, self->clips_numeric, external_id);
}
