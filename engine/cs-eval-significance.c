/* cs-eval-significance.c
 *
 * Stored as one JSON document per comparison:
 *   {"n_models": M, "n": viewers,
 *    "matrices": {"ndcg@10": {"mean_diff": [M·M], "t": […], "t_p": […],
 *                 "t_p_holm": […], "wilcoxon_p": […], "wilcoxon_p_holm": […],
 *                 "wins": […]}, …}}
 * row-major, null for NAN. A few kilobytes: 7 metrics × the Ks asked for ×
 * M² cells, whatever the number of viewers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "cs-eval-significance.h"

#define ARTIFACT_NAME "significance"

static char *
matrix_key (CsMetric metric,
            guint    k)
{
  return g_strdup_printf ("%s@%u", cs_metric_get_name (metric), k);
}

const CsSignificanceMatrix *
cs_eval_result_get_significance (const CsEvalResult *result,
                                 CsMetric            metric,
                                 guint               k)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (result != NULL, NULL);

  if (result->significance == NULL || metric >= CS_N_METRICS)
    return NULL;
  key = matrix_key (metric, k);
  return g_hash_table_lookup (result->significance, key);
}

void
cs_eval_significance_compute (CsEvalResult         *result,
                              const double * const *per_viewer,
                              gint32                n_slots)
{
  guint n_models = result->models->len;
  g_autofree const double **values = g_new0 (const double *, MAX (n_models, 1));

  for (guint ki = 0; ki < result->n_ks; ki++)
    for (guint metric = 0; metric < CS_N_METRICS; metric++)
      {
        gsize offset = ((gsize) ki * CS_N_METRICS + metric) * n_slots;

        if (metric == CS_METRIC_COVERAGE)
          continue;
        for (guint m = 0; m < n_models; m++)
          values[m] = per_viewer[m] ? &per_viewer[m][offset] : NULL;
        g_hash_table_replace (result->significance, matrix_key (metric, result->ks[ki]),
                              cs_significance_matrix_new (values, n_models, (gsize) n_slots));
      }
}

/* ---- Storing ------------------------------------------------------------ */

static const struct
{
  const char *name;
  gsize       offset;
} tables[] = {
  { "mean_diff", G_STRUCT_OFFSET (CsSignificanceMatrix, mean_diff) },
  { "t", G_STRUCT_OFFSET (CsSignificanceMatrix, t) },
  { "t_p", G_STRUCT_OFFSET (CsSignificanceMatrix, t_p) },
  { "t_p_holm", G_STRUCT_OFFSET (CsSignificanceMatrix, t_p_holm) },
  { "wilcoxon_p", G_STRUCT_OFFSET (CsSignificanceMatrix, w_p) },
  { "wilcoxon_p_holm", G_STRUCT_OFFSET (CsSignificanceMatrix, w_p_holm) },
};

static double *
table_of (const CsSignificanceMatrix *matrix,
          guint                       i)
{
  return G_STRUCT_MEMBER (double *, matrix, tables[i].offset);
}

static gint
compare_keys (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

void
cs_eval_significance_add_json (const CsEvalResult *result,
                               JsonBuilder        *b)
{
  g_autofree gpointer *keys = NULL;
  guint n_keys = 0;
  gsize cells = (gsize) result->models->len * result->models->len;
  gsize n = 0;

  keys = g_hash_table_get_keys_as_array (result->significance, &n_keys);
  g_qsort_with_data (keys, n_keys, sizeof (gpointer), compare_keys, NULL);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "n_models");
  json_builder_add_int_value (b, result->models->len);
  json_builder_set_member_name (b, "matrices");
  json_builder_begin_object (b);
  for (guint k = 0; k < n_keys; k++)
    {
      const CsSignificanceMatrix *matrix = g_hash_table_lookup (result->significance, keys[k]);

      n = matrix->n;
      json_builder_set_member_name (b, keys[k]);
      json_builder_begin_object (b);
      for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
        {
          const double *v = table_of (matrix, t);

          json_builder_set_member_name (b, tables[t].name);
          json_builder_begin_array (b);
          for (gsize c = 0; c < cells; c++)
            if (isfinite (v[c]))
              json_builder_add_double_value (b, v[c]);
            else
              json_builder_add_null_value (b);
          json_builder_end_array (b);
        }
      json_builder_set_member_name (b, "wins");
      json_builder_begin_array (b);
      for (gsize c = 0; c < cells; c++)
        json_builder_add_int_value (b, matrix->wins[c]);
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "n");
  json_builder_add_int_value (b, (gint64) n);
  json_builder_end_object (b);
}

static char *
to_json (const CsEvalResult *result)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  cs_eval_significance_add_json (result, b);
  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

gboolean
cs_eval_significance_store (CsStore             *store,
                            const CsEvalResult  *result,
                            GError             **error)
{
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CS_IS_STORE (store), FALSE);
  g_return_val_if_fail (result != NULL && result->run_id > 0, FALSE);

  if (result->significance == NULL || g_hash_table_size (result->significance) == 0)
    return TRUE;
  text = to_json (result);
  stmt = cs_store_prepare (store, "INSERT INTO artifacts (run_id, name, data) VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, result->run_id);
  sqlite3_bind_text (stmt, 2, ARTIFACT_NAME, -1, SQLITE_STATIC);
  sqlite3_bind_blob64 (stmt, 3, text, strlen (text), SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return cs_store_set_error (store, error, _("Could not save the significance tests of the comparison"));
  return TRUE;
}

/* ---- Reading back ------------------------------------------------------- */

/* Fills @out (@cells values) from an array member; FALSE when it is missing
 * or has another length (a damaged document is ignored, not half read). */
static gboolean
read_table (JsonObject *object,
            const char *member,
            gsize       cells,
            double     *out,
            guint      *out_counts)
{
  JsonNode *node = json_object_get_member (object, member);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  if (json_array_get_length (array) != cells)
    return FALSE;
  for (gsize c = 0; c < cells; c++)
    {
      JsonNode *element = json_array_get_element (array, (guint) c);
      gboolean number = JSON_NODE_HOLDS_VALUE (element);

      if (out != NULL)
        out[c] = number ? json_node_get_double (element) : NAN;
      else
        out_counts[c] = number ? (guint) MAX (json_node_get_int (element), 0) : 0;
    }
  return TRUE;
}

gboolean
cs_eval_significance_load (CsStore       *store,
                           CsEvalResult  *result,
                           GError       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *matrices;
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;
  sqlite3_stmt *stmt;
  guint n_models;
  gsize n, cells;
  gboolean parsed = FALSE;
  int rc;

  g_return_val_if_fail (CS_IS_STORE (store), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  stmt = cs_store_prepare (store, "SELECT data FROM artifacts WHERE run_id = ?1 AND name = ?2"
                                  " ORDER BY id DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, result->run_id);
  sqlite3_bind_text (stmt, 2, ARTIFACT_NAME, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    parsed = json_parser_load_from_data (parser, sqlite3_column_blob (stmt, 0),
                                         sqlite3_column_bytes (stmt, 0), NULL);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return cs_store_set_error (store, error, _("Could not read the comparison"));
  if (!parsed || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return TRUE;

  root = json_node_get_object (json_parser_get_root (parser));
  n_models = (guint) json_object_get_int_member_with_default (root, "n_models", 0);
  n = (gsize) MAX (json_object_get_int_member_with_default (root, "n", 0), 0);
  node = json_object_get_member (root, "matrices");
  /* Models of the stored run must be the ones read back, in the same order. */
  if (n_models != result->models->len || node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return TRUE;
  matrices = json_node_get_object (node);
  cells = (gsize) n_models * n_models;

  json_object_iter_init (&iter, matrices);
  while (json_object_iter_next (&iter, &key, &node))
    {
      g_autoptr(CsSignificanceMatrix) matrix = cs_significance_matrix_alloc (n_models, n);
      JsonObject *object;
      gboolean ok = TRUE;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      for (guint t = 0; t < G_N_ELEMENTS (tables) && ok; t++)
        ok = read_table (object, tables[t].name, cells, table_of (matrix, t), NULL);
      if (ok && read_table (object, "wins", cells, NULL, matrix->wins))
        g_hash_table_replace (result->significance, g_strdup (key), g_steal_pointer (&matrix));
    }
  return TRUE;
}
