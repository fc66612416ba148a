/* cs-predict-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cs-csv-writer.h"
#include "cs-predict-export.h"

static void
append_start (GString                    *csv,
              const CsPredictModelResult *model,
              const char                 *metric)
{
  cs_csv_append_field (csv, model->name);
  g_string_append_c (csv, ',');
  cs_csv_append_field (csv, model->label);
  g_string_append_c (csv, ',');
  cs_csv_append_field (csv, metric);
  g_string_append_c (csv, ',');
}

/* A row with one value in the mean column and the rest empty. */
static void
append_single (GString                    *csv,
               const CsPredictModelResult *model,
               const char                 *primary,
               const char                 *what,
               double                      value,
               guint                       n_folds)
{
  g_autofree char *metric = g_strdup_printf ("%s_%s", primary, what);

  append_start (csv, model, metric);
  cs_csv_append_number (csv, value);
  g_string_append_c (csv, ',');
  for (guint f = 0; f < n_folds; f++)
    g_string_append_c (csv, ',');
  g_string_append (csv, "\r\n");
}

char *
cs_predict_result_to_csv (const CsPredictResult *result)
{
  const char *primary;
  guint n_folds;
  GString *csv;

  g_return_val_if_fail (result != NULL, NULL);

  primary = cs_predict_metric_get_name (cs_predict_result_get_primary_metric (result));
  n_folds = MAX (result->n_folds, 1);
  csv = g_string_new ("model,label,metric,mean,sd");
  for (guint f = 0; f < n_folds; f++)
    g_string_append_printf (csv, ",fold_%u", f + 1);
  g_string_append (csv, "\r\n");

  for (guint m = 0; m < result->models->len; m++)
    {
      const CsPredictModelResult *model = g_ptr_array_index (result->models, m);
      gboolean failed = g_strcmp0 (model->status, "failed") == 0;

      for (guint k = 0; k < CS_N_PREDICT_METRICS; k++)
        {
          if (!cs_predict_metric_applies ((CsPredictMetric) k, result->regression, result->log_target))
            continue;
          append_start (csv, model, cs_predict_metric_get_name ((CsPredictMetric) k));
          cs_csv_append_number (csv, failed ? NAN : model->mean[k]);
          g_string_append_c (csv, ',');
          cs_csv_append_number (csv, failed || model->n_folds < 2 ? NAN : model->sd[k]);
          for (guint f = 0; f < n_folds; f++)
            {
              g_string_append_c (csv, ',');
              if (!failed && model->folds[k] != NULL && f < model->n_folds)
                cs_csv_append_number (csv, model->folds[k][f]);
            }
          g_string_append (csv, "\r\n");
        }
      append_single (csv, model, primary, "p_vs_best", failed ? NAN : model->p_vs_best, n_folds);
      append_single (csv, model, primary, "p_vs_baseline", failed ? NAN : model->p_vs_baseline, n_folds);
      append_single (csv, model, primary, "wins", failed ? NAN : model->wins, n_folds);
      append_single (csv, model, primary, "ties", failed ? NAN : model->ties, n_folds);
      append_single (csv, model, primary, "losses", failed ? NAN : model->losses, n_folds);
    }
  return g_string_free (csv, FALSE);
}

gboolean
cs_predict_result_write_csv (const CsPredictResult *result,
                             const char            *path,
                             GError               **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  text = cs_predict_result_to_csv (result);
  return g_file_set_contents (path, text, -1, error);
}
