/* cs-predict-score.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "cs-classifier.h"
#include "cs-error.h"
#include "cs-predict-features.h"
#include "cs-predict-score.h"
#include "cs-predictor.h"

static void
score_free (gpointer data)
{
  CsPredictScore *score = data;

  g_free (score->title);
  g_ptr_array_unref (score->reasons);
  g_free (score);
}

void
cs_predict_score_result_free (CsPredictScoreResult *result)
{
  if (result == NULL)
    return;
  g_free (result->model);
  g_free (result->label);
  g_free (result->params);
  g_free (result->target_spec);
  for (guint c = 0; c < CS_PREDICT_MAX_CLASSES; c++)
    g_free (result->class_names[c]);
  if (result->scores)
    g_ptr_array_unref (result->scores);
  g_free (result);
}

/* The stored settings {"C":1,"tol":0.0001} as "C=1,tol=0.0001". */
static char *
params_spec (const char *json)
{
  g_autoptr(JsonNode) node = json ? json_from_string (json, NULL) : NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  g_autoptr(GList) members = object ? json_object_get_members (object) : NULL;

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (object, l->data);
      char number[G_ASCII_DTOSTR_BUF_SIZE];

      if (!JSON_NODE_HOLDS_VALUE (value))
        continue;
      if (out->len > 0)
        g_string_append_c (out, ',');
      if (json_node_get_value_type (value) == G_TYPE_STRING)
        g_string_append_printf (out, "%s=%s", (const char *) l->data, json_node_get_string (value));
      else
        g_string_append_printf (out, "%s=%s", (const char *) l->data,
                                g_ascii_dtostr (number, sizeof number, json_node_get_double (value)));
    }
  return out->len > 0 ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

static CsPredictResult *
load_run (CsStore  *store,
          gint64    run_id,
          GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  CsPredictResult *result;
  gint64 latest = cs_predict_result_latest_id (store);

  if (latest == 0)
    {
      g_set_error_literal (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND,
                           _("The project has no finished prediction comparison yet: run one first "
                             "(Predict page, or clipscope-cli predict-eval)"));
      return NULL;
    }
  if (run_id <= 0)
    run_id = latest;
  result = cs_predict_result_load (store, run_id, &local_error);
  if (result == NULL && g_error_matches (local_error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND))
    g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND,
                 _("The project has no finished prediction comparison %" PRId64 ": give the id of one "
                   "(the newest is %" PRId64 ")"), run_id, latest);
  else if (result == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return result;
}

static const CsPredictModelResult *
find_model (const CsPredictResult  *run,
            const char             *name,
            GError                **error)
{
  const CsPredictModelResult *m = cs_predict_result_find_model (run, name);
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);

  if (m != NULL && g_strcmp0 (m->status, "done") == 0)
    return m;
  if (m != NULL)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_FAILED,
                   _("The model “%s” failed in comparison %" PRId64 " (%s): choose another model"),
                   name, run->run_id, m->error ? m->error : _("no reason recorded"));
      return NULL;
    }
  for (guint i = 0; i < run->models->len; i++)
    {
      const CsPredictModelResult *other = g_ptr_array_index (run->models, i);

      if (g_strcmp0 (other->status, "done") != 0 || !g_hash_table_add (listed, other->name))
        continue;
      g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", other->name);
    }
  g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_UNKNOWN_MODEL,
               _("Comparison %" PRId64 " has no model “%s”: choose one of %s"),
               run->run_id, name ? name : "", names->len > 0 ? names->str : _("(none finished)"));
  return NULL;
}

/* Keeps the rows of @ds whose clip is in @ids; fails on an id that is not a
 * clip, or whose target is known. */
static gboolean
choose_clips (CsStore           *store,
              CsPredictDataset  *ds,
              const char        *metric,
              const gint64      *ids,
              guint              n_ids,
              guint            **rows,
              guint             *n_rows,
              GError           **error)
{
  g_autoptr(GHashTable) row_of = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  sqlite3_stmt *stmt;

  for (guint i = 0; i < ds->n_rows; i++)
    g_hash_table_insert (row_of, &ds->clip_ids[i], GUINT_TO_POINTER (i + 1));
  *rows = g_new (guint, MAX (n_ids, 1));
  *n_rows = 0;
  for (guint k = 0; k < n_ids; k++)
    {
      gpointer row = g_hash_table_lookup (row_of, &ids[k]);
      int rc;

      if (row != NULL)
        {
          if (g_hash_table_add (seen, (gpointer) &ids[k]))
            (*rows)[(*n_rows)++] = GPOINTER_TO_UINT (row) - 1;
          continue;
        }
      stmt = cs_store_prepare (store, "SELECT 1 FROM clips WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, ids[k]);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_ROW)
        g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                     _("Clip %" PRId64 " already has a value for “%s”, so the model learns from it rather "
                       "than scoring it: choose clips without statistics"), ids[k], metric);
      else if (rc == SQLITE_DONE)
        g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND,
                     _("The project has no clip %" PRId64 ": check the clip ids"), ids[k]);
      else
        cs_store_set_error (store, error, _("Could not read the clips"));
      return FALSE;
    }
  return TRUE;
}

static char *
clip_title (CsStore *store,
            gint64   clip_id)
{
  sqlite3_stmt *stmt = cs_store_prepare (store, "SELECT title FROM clips WHERE id = ?1", NULL);
  char *title = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, clip_id);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    title = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return title;
}

static gboolean
report (double          fraction,
        const char     *message,
        CsProgressFunc  progress,
        gpointer        progress_data,
        GCancellable   *cancellable,
        GError        **error)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (progress)
    progress (fraction, message, progress_data);
  return TRUE;
}

CsPredictScoreResult *
cs_predict_score (CsStore       *store,
                  gint64         run_id,
                  const char    *model,
                  const gint64  *clip_ids,
                  guint          n_clip_ids,
                  guint          n_reasons,
                  CsProgressFunc progress,
                  gpointer       progress_data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(CsPredictResult) run = NULL;
  g_autoptr(CsPredictScoreResult) out = NULL;
  g_autoptr(CsPredictDataset) unknown = NULL;
  g_autoptr(CsPredictDataset) labelled = NULL;
  g_autoptr(CsPredictFeatures) features = NULL;
  g_autoptr(CsCsr) x_train = NULL;
  g_autoptr(CsCsr) x_new = NULL;
  g_autoptr(CsClassifier) clf = NULL;
  g_autoptr(GPtrArray) reasons = NULL;
  g_autofree char *metric = NULL;
  g_autofree char *settings = NULL;
  g_autofree guint *rows = NULL;
  g_autofree guint *all = NULL;
  g_autofree double *outputs = NULL;
  g_autofree guint *predicted = NULL;
  const CsPredictModelResult *m;
  const char *colon;
  guint n_rows, C;

  g_return_val_if_fail (CS_IS_STORE (store), NULL);
  g_return_val_if_fail (clip_ids != NULL || n_clip_ids == 0, NULL);

  if (!report (0.0, _("Reading the comparison"), progress, progress_data, cancellable, error))
    return NULL;
  run = load_run (store, run_id, error);
  if (run == NULL)
    return NULL;
  m = find_model (run, model, error);
  if (m == NULL)
    return NULL;
  colon = strchr (run->target_spec, ':');
  if (colon == NULL)
    {
      g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_CORRUPT,
                   _("The prediction comparison %" PRId64 " has no readable target"), run->run_id);
      return NULL;
    }
  metric = g_strndup (run->target_spec, colon - run->target_spec);

  /* The clips to score first: with none, there is nothing to fit for. */
  if (!report (0.05, _("Reading clips"), progress, progress_data, cancellable, error))
    return NULL;
  unknown = cs_predict_dataset_load_unknown (store, metric, error);
  if (unknown == NULL)
    return NULL;
  if (n_clip_ids > 0)
    {
      if (!choose_clips (store, unknown, metric, clip_ids, n_clip_ids, &rows, &n_rows, error))
        return NULL;
    }
  else
    {
      n_rows = unknown->n_rows;
      rows = g_new (guint, MAX (n_rows, 1));
      for (guint i = 0; i < n_rows; i++)
        rows[i] = i;
    }
  if (n_rows == 0)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_NO_DATA,
                   _("Every clip in the project has a value for “%s”, so there is no new clip to score: "
                     "import the clips you have not posted yet (clips without statistics)"), metric);
      return NULL;
    }

  labelled = cs_predict_dataset_load (store, metric, error);
  if (labelled == NULL || !cs_predict_dataset_set_target (labelled, metric, colon + 1, error))
    return NULL;
  /* Outputs per clip: one number, or a probability per class. */
  C = labelled->regression ? 1 : labelled->n_classes;

  if (!report (0.2, _("Preparing features"), progress, progress_data, cancellable, error))
    return NULL;
  all = g_new (guint, labelled->n_rows);
  for (guint i = 0; i < labelled->n_rows; i++)
    all[i] = i;
  features = cs_predict_features_fit (labelled, run->groups, all, labelled->n_rows, error);
  if (features == NULL)
    return NULL;
  x_train = cs_predict_features_transform (features, labelled, all, labelled->n_rows);
  x_new = cs_predict_features_transform (features, unknown, rows, n_rows);

  settings = params_spec (m->params);
  clf = cs_classifier_new (m->name, settings, labelled->regression ? CS_CLASSIFIER_REGRESSION : C,
                           run->seed, error);
  if (clf == NULL)
    return NULL;
  if (!report (0.3, m->label, progress, progress_data, cancellable, error) ||
      !cs_predictor_fit (clf, labelled, all, labelled->n_rows, x_train, error))
    return NULL;

  if (!report (0.8, _("Scoring clips"), progress, progress_data, cancellable, error))
    return NULL;
  outputs = g_new (double, (gsize) n_rows * C);
  predicted = g_new0 (guint, n_rows);
  if (!cs_predictor_predict (clf, x_new, labelled->log_target, outputs, error))
    return NULL;
  /* A number's reasons are toward its one output, "class" 0. */
  if (!labelled->regression)
    cs_classifier_argmax (outputs, n_rows, C, predicted);
  reasons = cs_predict_reasons_compute (clf, features, x_new, predicted, n_reasons, NULL, error);
  if (reasons == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  out = g_new0 (CsPredictScoreResult, 1);
  out->run_id = run->run_id;
  out->model = g_strdup (m->name);
  out->label = g_strdup (m->label);
  out->params = g_strdup (m->params);
  out->target_spec = g_strdup (labelled->target_spec);
  out->regression = labelled->regression;
  out->log_target = labelled->log_target;
  out->n_classes = labelled->n_classes;
  for (guint c = 0; c < labelled->n_classes; c++)
    out->class_names[c] = g_strdup (labelled->class_names[c]);
  out->n_train = labelled->n_rows;
  out->n_features = (guint) cs_predict_features_get_n_cols (features);
  out->reasons_note = labelled->regression ? cs_predict_reasons_describe_number (m->name, labelled->log_target)
                                            : cs_predict_reasons_describe (m->name);
  out->scores = g_ptr_array_new_with_free_func (score_free);
  for (guint i = 0; i < n_rows; i++)
    {
      CsPredictScore *score = g_new0 (CsPredictScore, 1);

      score->clip_id = unknown->clip_ids[rows[i]];
      score->title = clip_title (store, score->clip_id);
      score->predicted = predicted[i];
      if (labelled->regression)
        {
          for (guint c = 0; c < CS_PREDICT_MAX_CLASSES; c++)
            score->proba[c] = NAN;
          score->value = outputs[i];
        }
      else
        {
          memcpy (score->proba, outputs + (gsize) i * C, C * sizeof (double));
          score->value = NAN;
        }
      score->reasons = g_ptr_array_ref (g_ptr_array_index (reasons, i));
      g_ptr_array_add (out->scores, score);
    }
  if (progress)
    progress (1.0, NULL, progress_data);
  return g_steal_pointer (&out);
}

static void
add_number (JsonBuilder *b,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (b, name);
  if (isfinite (value))
    json_builder_add_double_value (b, value);
  else
    json_builder_add_null_value (b);
}

char *
cs_predict_score_result_to_json (const CsPredictScoreResult *result)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) params = result->params ? json_from_string (result->params, NULL) : NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "run_id");
  json_builder_add_int_value (b, result->run_id);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, result->model);
  json_builder_set_member_name (b, "label");
  json_builder_add_string_value (b, result->label);
  json_builder_set_member_name (b, "params");
  if (params != NULL)
    json_builder_add_value (b, g_steal_pointer (&params));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "target");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "spec");
  json_builder_add_string_value (b, result->target_spec);
  if (result->regression)
    {
      json_builder_set_member_name (b, "regression");
      json_builder_add_boolean_value (b, TRUE);
      json_builder_set_member_name (b, "log_scale");
      json_builder_add_boolean_value (b, result->log_target);
    }
  else
    {
      json_builder_set_member_name (b, "classes");
      json_builder_begin_array (b);
      for (guint c = 0; c < result->n_classes; c++)
        json_builder_add_string_value (b, result->class_names[c]);
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "n_train");
  json_builder_add_int_value (b, result->n_train);
  json_builder_set_member_name (b, "reasons_note");
  json_builder_add_string_value (b, result->reasons_note);
  json_builder_set_member_name (b, "clips");
  json_builder_begin_array (b);
  for (guint i = 0; i < result->scores->len; i++)
    {
      const CsPredictScore *score = g_ptr_array_index (result->scores, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "clip_id");
      json_builder_add_int_value (b, score->clip_id);
      json_builder_set_member_name (b, "title");
      if (score->title)
        json_builder_add_string_value (b, score->title);
      else
        json_builder_add_null_value (b);
      if (result->regression)
        add_number (b, "predicted", score->value);
      else
        {
          json_builder_set_member_name (b, "class");
          json_builder_add_string_value (b, result->class_names[score->predicted]);
          add_number (b, "probability", score->proba[score->predicted]);
          json_builder_set_member_name (b, "probabilities");
          json_builder_begin_object (b);
          for (guint c = 0; c < result->n_classes; c++)
            add_number (b, result->class_names[c], score->proba[c]);
          json_builder_end_object (b);
        }
      json_builder_set_member_name (b, "reasons");
      cs_predict_reasons_add_json (score->reasons, b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}
