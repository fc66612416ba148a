/* cs-eval-inspect.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "cs-error.h"
#include "cs-eval-inspect.h"
#include "cs-evaluator.h"
#include "cs-interactions.h"
#include "cs-protocol.h"
#include "cs-recommender.h"

struct _CsEvalInspector
{
  gint64          run_id;
  guint           k;          /* the comparison's K */
  CsInteractions *ia;
  CsSplit        *split;
  GPtrArray      *models;     /* CsRecommender*, NULL for a model that failed */
  GPtrArray      *labels;     /* char* */
  GPtrArray      *errors;     /* char* or NULL */
  char          **test_viewers; /* external ids */
};

static void
unref_or_null (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static int
compare_gint32 (const void *a,
                const void *b)
{
  gint32 x = *(const gint32 *) a, y = *(const gint32 *) b;

  return (x > y) - (x < y);
}

void
cs_eval_inspector_free (CsEvalInspector *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->ia, cs_interactions_free);
  g_clear_pointer (&self->split, cs_split_free);
  g_clear_pointer (&self->models, g_ptr_array_unref);
  g_clear_pointer (&self->labels, g_ptr_array_unref);
  g_clear_pointer (&self->errors, g_ptr_array_unref);
  g_free (self->test_viewers);   /* the strings belong to ia */
  g_free (self);
}

void
cs_eval_inspection_free (CsEvalInspection *inspection)
{
  if (inspection == NULL)
    return;
  g_free (inspection->viewer_id);
  g_clear_pointer (&inspection->train, g_ptr_array_unref);
  g_clear_pointer (&inspection->test, g_ptr_array_unref);
  g_clear_pointer (&inspection->models, g_ptr_array_unref);
  g_free (inspection);
}

static void
inspect_list_free (gpointer data)
{
  CsEvalInspectList *list = data;

  g_free (list->label);
  g_free (list->error);
  g_clear_pointer (&list->clips, g_ptr_array_unref);
  g_free (list->hits);
  g_free (list);
}

/* "temporal:0.8" or "leave-last-out" and the positives rule, from the
 * protocol JSON that cs_protocol_to_json() wrote. */
static CsProtocol *
protocol_from_json (const char  *json,
                    char       **positives,
                    GError     **error)
{
  g_autoptr(JsonNode) node = json ? json_from_string (json, NULL) : NULL;
  JsonObject *object;
  const char *name;
  g_autofree char *spec = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                   _("This comparison’s protocol cannot be read, so its split cannot be rebuilt: run it again"));
      return NULL;
    }
  object = json_node_get_object (node);
  name = json_object_get_string_member_with_default (object, "name", "temporal");
  if (g_strcmp0 (name, "temporal") == 0)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      spec = g_strconcat ("temporal:",
                          g_ascii_formatd (buf, sizeof buf, "%.17g",
                                           json_object_get_double_member_with_default (object, "train_fraction",
                                                                                       CS_PROTOCOL_DEFAULT_TRAIN_FRACTION)),
                          NULL);
    }
  else
    spec = g_strdup (name);
  *positives = g_strdup (json_object_get_string_member_with_default (object, "positives", NULL));
  return cs_protocol_parse (spec, error);
}

/* Same viewers, clips and pairs. */
static gboolean
same_shape (const CsCsr *a,
            const CsCsr *b)
{
  return a->n_rows == b->n_rows && a->n_cols == b->n_cols &&
         memcmp (a->row_ptr, b->row_ptr, sizeof (gint32) * (a->n_rows + 1)) == 0 &&
         memcmp (a->col_idx, b->col_idx, sizeof (gint32) * cs_csr_get_nnz (a)) == 0;
}

CsEvalInspector *
cs_eval_inspector_new (CsStore       *store,
                       gint64         run_id,
                       CsProgressFunc progress,
                       gpointer       progress_data,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(CsEvalInspector) self = g_new0 (CsEvalInspector, 1);
  g_autoptr(CsEvalResult) result = NULL;
  g_autoptr(CsProtocol) protocol = NULL;
  g_autoptr(CsClipContent) content = NULL;
  g_autofree char *positives = NULL;

  g_return_val_if_fail (CS_IS_STORE (store), NULL);

  result = cs_eval_result_load (store, run_id, error);
  if (result == NULL)
    return NULL;
  protocol = protocol_from_json (result->protocol_json, &positives, error);
  if (protocol == NULL)
    return NULL;

  self->run_id = run_id;
  self->k = result->n_ks > 0 ? result->ks[0] : 10;
  if (progress)
    progress (0.0, _("Reading interactions"), progress_data);
  self->ia = cs_interactions_load (store, positives, cancellable, error);
  if (self->ia == NULL)
    return NULL;
  self->split = cs_protocol_split (protocol, self->ia, 0, cancellable, error);
  if (self->split == NULL)
    return NULL;
  self->test_viewers = g_new0 (char *, self->split->n_test_viewers + 1);
  for (gint32 i = 0; i < self->split->n_test_viewers; i++)
    self->test_viewers[i] = self->ia->viewer_ids[self->split->test_viewers[i]];

  self->models = g_ptr_array_new_with_free_func (unref_or_null);
  self->labels = g_ptr_array_new_with_free_func (g_free);
  self->errors = g_ptr_array_new_with_free_func (g_free);
  for (guint m = 0; m < result->models->len; m++)
    {
      const CsEvalModelResult *mr = g_ptr_array_index (result->models, m);
      g_autoptr(CsRecommender) model = NULL;
      g_autoptr(GError) local = NULL;
      g_autofree char *message = NULL;

      g_ptr_array_add (self->labels, g_strdup (mr->label));
      if (g_strcmp0 (mr->status, "done") != 0)
        {
          g_ptr_array_add (self->models, NULL);
          g_ptr_array_add (self->errors, g_strdup (mr->error ? mr->error : _("This model failed in the comparison")));
          continue;
        }
      /* The model the comparison kept, when it kept one and the project's
       * interactions still have the same shape; else it is trained again. */
      model = cs_recommender_load_from_run (store, mr->run_id, NULL);
      if (model != NULL &&
          !same_shape (cs_recommender_get_train (model), self->split->train))
        g_clear_object (&model);
      if (model != NULL)
        {
          g_ptr_array_add (self->models, g_steal_pointer (&model));
          g_ptr_array_add (self->errors, NULL);
          continue;
        }

      model = cs_recommender_new_from_json (mr->name, mr->params, &local);
      /* Translators: %s is a model such as "ItemKNN (k=100)". */
      message = g_strdup_printf (_("Training %s"), mr->label);
      if (progress)
        progress (0.1 + 0.9 * m / result->models->len, message, progress_data);
      if (model != NULL && cs_recommender_needs_clip_content (model))
        {
          if (content == NULL)
            content = cs_clip_content_load (store, self->ia->clip_rowids, (guint) self->ia->n_clips,
                                            cancellable, &local);
          if (content != NULL)
            cs_recommender_set_clip_content (model, content);
          else
            g_clear_object (&model);
        }
      if (model != NULL &&
          !cs_recommender_fit (model, self->split->train, NULL, NULL, cancellable, &local))
        g_clear_object (&model);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      g_ptr_array_add (self->models, g_steal_pointer (&model));
      g_ptr_array_add (self->errors, local ? g_strdup (local->message) : NULL);
    }
  if (progress)
    progress (1.0, NULL, progress_data);
  return g_steal_pointer (&self);
}

gint64
cs_eval_inspector_get_run_id (CsEvalInspector *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->run_id;
}

const char * const *
cs_eval_inspector_get_test_viewers (CsEvalInspector *self,
                                    guint           *n_viewers)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (n_viewers != NULL)
    *n_viewers = (guint) self->split->n_test_viewers;
  return (const char * const *) self->test_viewers;
}

/* Clips by internal index, read with their first thumbnail. */
static CsClip *
read_clip (CsStore *store,
           gint64   rowid,
           GError **error)
{
  sqlite3_stmt *stmt;
  CsClip *clip = NULL;
  int rc;

  stmt = cs_store_prepare (store, "SELECT " CS_CLIP_COLUMNS " FROM clips WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rowid);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    clip = _cs_clip_new_from_row (stmt);
  sqlite3_reset (stmt);
  if (clip == NULL)
    {
      cs_store_set_error (store, error, _("reading the clips"));
      return NULL;
    }

  stmt = cs_store_prepare (store,
                           "SELECT data FROM frames WHERE clip_id = ?1 AND kind = 'thumbnail'"
                           " ORDER BY time_ms, id LIMIT 1",
                           error);
  if (stmt == NULL)
    {
      g_object_unref (clip);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, rowid);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_bytes (stmt, 0) > 0)
    {
      g_autoptr(GBytes) png = g_bytes_new (sqlite3_column_blob (stmt, 0), (gsize) sqlite3_column_bytes (stmt, 0));

      _cs_clip_set_thumbnail (clip, png);
    }
  sqlite3_reset (stmt);
  return clip;
}

static gboolean
add_clip (GPtrArray      *clips,
          CsStore        *store,
          CsEvalInspector *self,
          gint32          index,
          GError        **error)
{
  CsClip *clip = read_clip (store, self->ia->clip_rowids[index], error);

  if (clip == NULL)
    return FALSE;
  g_ptr_array_add (clips, clip);
  return TRUE;
}

typedef struct
{
  gint32 clip;
  gint64 time;
} TimedClip;

static int
compare_timed (const void *a,
               const void *b)
{
  const TimedClip *x = a, *y = b;

  if (x->time != y->time)
    return x->time < y->time ? -1 : 1;
  return (x->clip > y->clip) - (x->clip < y->clip);
}

/* When viewer @v first watched @clip (pairs are sorted by viewer, clip). */
static gint64
pair_time (const CsInteractions *ia,
           gint32                v,
           gint32                clip)
{
  gsize lo = 0, hi = ia->n_pairs;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (ia->viewer[mid] < v || (ia->viewer[mid] == v && ia->clip[mid] < clip))
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo < ia->n_pairs && ia->viewer[lo] == v && ia->clip[lo] == clip ? ia->time[lo] : 0;
}

CsEvalInspection *
cs_eval_inspector_inspect (CsEvalInspector *self,
                           CsStore         *store,
                           const char      *viewer_id,
                           guint            k,
                           GError         **error)
{
  g_autoptr(CsEvalInspection) inspection = NULL;
  const CsCsr *train, *test;
  g_autofree float *scratch = NULL;
  g_autofree gint32 *list = NULL;
  g_autofree TimedClip *history = NULL;
  gint32 v, n_train, n_test;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (CS_IS_STORE (store), NULL);
  g_return_val_if_fail (viewer_id != NULL, NULL);

  train = self->split->train;
  test = self->split->test;
  v = cs_interactions_find_viewer (self->ia, viewer_id);
  if (v < 0 || cs_csr_row_length (test, v) == 0)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                   _("Viewer “%s” has no held-out clips in this comparison: pick one of its test viewers"),
                   viewer_id);
      return NULL;
    }

  k = k > 0 ? k : self->k;
  inspection = g_new0 (CsEvalInspection, 1);
  inspection->viewer_id = g_strdup (viewer_id);
  inspection->k = k;
  inspection->train = g_ptr_array_new_with_free_func (g_object_unref);
  inspection->test = g_ptr_array_new_with_free_func (g_object_unref);
  inspection->models = g_ptr_array_new_with_free_func (inspect_list_free);

  n_train = cs_csr_row_length (train, v);
  history = g_new (TimedClip, MAX (n_train, 1));
  for (gint32 i = 0; i < n_train; i++)
    {
      history[i].clip = train->col_idx[train->row_ptr[v] + i];
      history[i].time = pair_time (self->ia, v, history[i].clip);
    }
  qsort (history, (gsize) n_train, sizeof (TimedClip), compare_timed);
  for (gint32 i = 0; i < n_train; i++)
    if (!add_clip (inspection->train, store, self, history[i].clip, error))
      return NULL;
  n_test = cs_csr_row_length (test, v);
  for (gint32 i = 0; i < n_test; i++)
    if (!add_clip (inspection->test, store, self, test->col_idx[test->row_ptr[v] + i], error))
      return NULL;

  scratch = g_new (float, MAX (train->n_cols, 1));
  list = g_new (gint32, k);
  for (guint m = 0; m < self->models->len; m++)
    {
      CsRecommender *model = g_ptr_array_index (self->models, m);
      CsEvalInspectList *out = g_new0 (CsEvalInspectList, 1);
      guint n;

      g_ptr_array_add (inspection->models, out);
      out->label = g_strdup (g_ptr_array_index (self->labels, m));
      out->clips = g_ptr_array_new_with_free_func (g_object_unref);
      if (model == NULL)
        {
          out->error = g_strdup (g_ptr_array_index (self->errors, m));
          continue;
        }
      n = cs_recommender_recommend (model, v, k, scratch, list);
      out->hits = g_new0 (gboolean, MAX (n, 1));
      for (guint i = 0; i < n; i++)
        {
          /* Test rows are ascending: a binary search finds a hit. */
          gint32 *found = bsearch (&list[i], &test->col_idx[test->row_ptr[v]], (gsize) n_test,
                                   sizeof (gint32), compare_gint32);

          out->hits[i] = found != NULL;
          out->n_hits += found != NULL;
          if (!add_clip (out->clips, store, self, list[i], error))
            return NULL;
        }
    }
  return g_steal_pointer (&inspection);
}
