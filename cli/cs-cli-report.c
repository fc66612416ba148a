/* cs-cli-report.c: clipscope-cli report PROJECT --run ID --out FILE — a
 * stored comparison (recommender or Predict) as a PDF report, or one tall
 * PNG or SVG image, or its table as CSV (DESIGN §7).
 *
 * The kind of report follows the run's task: a recommender comparison
 * ("evaluate") or a Predict comparison ("predict-eval"). Without --run the
 * newest comparison of either kind is reported.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cs-cli-common.h"
#include "cs-eval-export.h"
#include "cs-predict-export.h"
#include "cs-report-run.h"

int
cs_cli_report (int    argc,
               char **argv)
{
  gint64 run_id = 0;
  g_autofree char *out = NULL;
  const GOptionEntry entries[] = {
    { "run", 0, 0, G_OPTION_ARG_INT64, &run_id,
      N_("The comparison to report, from evaluate or predict-eval (its run_id; default: the newest of either)"),
      N_("ID") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out,
      N_("The file to write: .pdf (pages), .png or .svg (one image), or .csv (the table)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CsProject) project = NULL;
  g_autoptr(CsStore) store = NULL;
  g_autoptr(CsReport) report = NULL;
  gboolean csv;

  context = g_option_context_new (_("PROJECT — write a comparison as a PDF report or an image"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Reports a recommender comparison (clipscope-cli evaluate) or a Predict "
                                  "comparison (clipscope-cli predict-eval), whichever --run names; without "
                                  "--run, the newest comparison of either kind."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cs_cli_fail_error (error);
  if (argc != 2)
    return cs_cli_fail (_("report needs exactly one PROJECT; run “clipscope-cli report --help”"));
  if (out == NULL)
    return cs_cli_fail (_("report needs --out FILE.pdf, FILE.png, FILE.svg or FILE.csv"));
  if (run_id < 0)
    return cs_cli_fail (_("--run must be a run_id as printed by “clipscope-cli evaluate --json” or "
                          "“clipscope-cli predict-eval --json”"));
  csv = g_str_has_suffix (out, ".csv") || g_str_has_suffix (out, ".CSV");
  if (!csv && !cs_report_check_path (out, &error))
    return cs_cli_fail_error (error);
  /* Reporting never creates a project. */
  if (!g_file_test (argv[1], G_FILE_TEST_EXISTS))
    return cs_cli_fail (_("no project at “%s”"), argv[1]);

  project = cs_cli_open_project (argv[1], &error);
  if (project != NULL)
    store = cs_project_open_store (project, &error);
  if (store == NULL)
    return cs_cli_fail_error (error);

  if (run_id == 0)
    {
      run_id = cs_report_latest_run (store);
      if (run_id == 0)
        return cs_cli_fail (_("“%s” has no comparison yet; run “clipscope-cli evaluate” or "
                              "“clipscope-cli predict-eval” first"), argv[1]);
    }
  report = cs_report_load (store, run_id, &error);
  if (report == NULL)
    return cs_cli_fail_error (error);
  if (csv)
    {
      gboolean ok = CS_IS_RECOMMEND_REPORT (report)
                    ? cs_eval_result_write_csv (cs_recommend_report_get_result (CS_RECOMMEND_REPORT (report)),
                                                out, &error)
                    : cs_predict_result_write_csv (cs_predict_report_get_result (CS_PREDICT_REPORT (report)),
                                                   out, &error);

      return ok ? 0 : cs_cli_fail_error (error);
    }

  cs_report_set_project_title (report, cs_project_get_title (project));
  cs_report_set_simulated (report, cs_project_get_simulated (project));
  if (!cs_report_export (report, out, cs_cli_get_cancellable (), &error))
    return cs_cli_fail_error (error);
  return 0;
}
