/* cs-report-run.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cs-error.h"
#include "cs-report-run.h"

CsReport *
cs_report_load (CsStore *store,
                gint64   run_id,
                GError **error)
{
  g_autofree char *task_sql = NULL;
  g_autofree char *parent_sql = NULL;
  g_autofree char *id = NULL;
  g_autofree char *parent = NULL;
  gint64 task, parent_id;

  g_return_val_if_fail (CS_IS_STORE (store), NULL);

  /* The id is a number: it can be written into the query. */
  task_sql = g_strdup_printf ("SELECT CASE task WHEN 'recommend' THEN 1 WHEN 'predict' THEN 2"
                              " WHEN 'generate' THEN 3 ELSE 4 END FROM runs WHERE id = %" G_GINT64_FORMAT,
                              run_id);
  parent_sql = g_strdup_printf ("SELECT parent_id FROM runs WHERE id = %" G_GINT64_FORMAT, run_id);
  task = cs_store_query_int (store, task_sql, 0);
  parent_id = cs_store_query_int (store, parent_sql, 0);
  /* xgettext cannot see through G_GINT64_FORMAT: the ids go in as text. */
  id = g_strdup_printf ("%" G_GINT64_FORMAT, run_id);
  parent = g_strdup_printf ("%" G_GINT64_FORMAT, parent_id);

  if (task == 0)
    {
      g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND,
                   _("The project has no run %s: use the run id of a comparison (evaluate and "
                     "predict-eval print it), or run the comparison again"), id);
      return NULL;
    }
  if (task == 3)
    {
      g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND,
                   _("Run %s is a generate run, not a comparison; reports are made of "
                     "recommender and Predict comparisons"), id);
      return NULL;
    }
  if (parent_id != 0)
    {
      g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND,
                   /* Translators: "Run 12 is one model of comparison 10; report comparison 10 instead". */
                   _("Run %s is one model of comparison %s; report comparison %s instead"), id, parent, parent);
      return NULL;
    }
  if (task == 1)
    {
      CsEvalResult *result = cs_eval_result_load (store, run_id, error);

      return result != NULL ? cs_recommend_report_new (result) : NULL;
    }
  if (task == 2)
    {
      CsPredictResult *result = cs_predict_result_load (store, run_id, error);

      return result != NULL ? cs_predict_report_new (result) : NULL;
    }
  g_set_error (error, CS_STORE_ERROR, CS_STORE_ERROR_NOT_FOUND,
               _("Run %s is not a comparison; reports are made of recommender and Predict "
                 "comparisons"), id);
  return NULL;
}

gint64
cs_report_latest_run (CsStore *store)
{
  g_return_val_if_fail (CS_IS_STORE (store), 0);

  /* Run ids grow with time: the larger is the newer. */
  return MAX (cs_eval_result_latest_id (store), cs_predict_result_latest_id (store));
}

gboolean
cs_report_export_run (const char   *project_path,
                      const char   *project_title,
                      gboolean      simulated,
                      gint64        run_id,
                      GFile        *file,
                      GCancellable *cancellable,
                      GError      **error)
{
  g_autoptr(CsStore) store = NULL;
  g_autoptr(CsReport) report = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (project_path != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Reports can only be saved to local folders"));
      return FALSE;
    }
  store = cs_store_open (project_path, CS_STORE_OPEN_EXISTING, error);
  if (store == NULL)
    return FALSE;
  report = cs_report_load (store, run_id, error);
  if (report == NULL)
    return FALSE;
  cs_report_set_project_title (report, project_title);
  cs_report_set_simulated (report, simulated);
  return cs_report_export (report, path, cancellable, error);
}
