/* cs-cli-import.c: clipscope-cli import-events (DESIGN §7).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <stdio.h>

#include "cs-cli-common.h"

/* Rejects listed in the human summary; --json has them all (up to the
 * report's limit). */
#define SUMMARY_REJECTS 5

static void
print_summary (CsImportReport *report,
               const char     *file)
{
  g_autofree char *name = g_filename_display_basename (file);
  g_autofree char *mapping = cs_cli_format_mapping (report->mapping, cs_event_fields ());

  printf (_("Imported %s (import %" PRId64 ")\n"), name, report->import_id);
  printf (_("  Rows read:     %" PRId64 "\n"), report->rows_read);
  printf (_("  Rows imported: %" PRId64 "\n"), report->rows_imported);
  printf (_("  Rows rejected: %" PRId64 "\n"), report->rows_rejected);
  printf (_("  Duplicates:    %" PRId64 " (already in the project or earlier in the file; "
            "skipped)\n"), report->rows_duplicate);
  if (report->pseudonymised)
    printf ("%s\n", _("  Viewer ids:    pseudonymised"));
  printf (_("  Encoding:      %s\n"), report->encoding);
  printf (_("  Mapping:       %s\n"), mapping);

  cs_cli_print_rejects (report, SUMMARY_REJECTS);
}

int
cs_cli_import_events (int    argc,
                      char **argv)
{
  g_autofree char *map = NULL;
  g_autofree char *encoding = NULL;
  gboolean json = FALSE;
  gboolean pseudonymise = FALSE;
  g_auto(GStrv) args = NULL;
  const GOptionEntry entries[] = {
    { "map", 0, 0, G_OPTION_ARG_STRING, &map,
      N_("Columns for fields, e.g. viewer=uid,clip=video_id (the rest are guessed)"),
      N_("FIELD=COLUMN,…") },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &encoding,
      N_("Text encoding of the file (detected when left out)"), N_("ENC") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the result as one JSON document"), NULL },
    { "pseudonymise", 0, 0, G_OPTION_ARG_NONE, &pseudonymise,
      N_("Store keyed hashes of the viewer ids instead of the ids (docs/IMPORT.md)"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, NULL },
    { NULL }
  };
  CsEventImportOptions options = { 0, };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GHashTable) mapping = NULL;
  g_autoptr(CsProject) project = NULL;
  g_autoptr(CsStore) store = NULL;
  g_autoptr(CsImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const char *project_path, *file;
  int status;

  context = g_option_context_new (_("PROJECT FILE"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Import an event log (CSV/TSV, one row per viewer action) into PROJECT,\n"
      "which is created when it does not exist yet."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Fields: viewer, clip, time (required); event, watch_time, value, text.\n"
      "Columns are guessed from the header (user_id, item_id, timestamp, 用户ID …);\n"
      "--map names the ones the guess gets wrong. FIELD= leaves a field out.\n"
      "Rows already in the project are skipped as duplicates; “clipscope-cli\n"
      "undo-import PROJECT ID” removes an import again.\n"));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cs_cli_fail_error (error);

  if (args == NULL || g_strv_length (args) != 2)
    return cs_cli_fail (_("import-events needs a PROJECT and a FILE; run “clipscope-cli "
                          "import-events --help”"));
  project_path = args[0];
  file = args[1];

  status = cs_cli_check_encoding (encoding);
  if (status != 0)
    return status;

  if (map != NULL)
    {
      mapping = cs_event_mapping_parse (map, &error);
      if (mapping == NULL)
        return cs_cli_fail_error (error);
    }

  /* Check the source before a missing PROJECT gets created for nothing. */
  status = cs_cli_check_source (file);
  if (status != 0)
    return status;

  project = cs_cli_open_project (project_path, &error);
  if (project == NULL)
    return cs_cli_fail_error (error);
  store = cs_project_open_store (project, &error);
  if (store == NULL)
    return cs_cli_fail_error (error);

  options.pseudonymise = pseudonymise;
  options.encoding = encoding;
  report = cs_event_import_run_full (store, file, mapping, &options,
                                     cs_cli_progress, NULL,
                                     cs_cli_get_cancellable (), &error);
  cs_cli_progress_done ();
  if (report == NULL)
    return cs_cli_fail_error (error);

  if (json)
    {
      g_autofree char *text = cs_import_report_to_json (report);

      printf ("%s\n", text);
    }
  else
    print_summary (report, file);

  return 0;
}

int
cs_cli_undo_import (int    argc,
                    char **argv)
{
  g_auto(GStrv) args = NULL;
  const GOptionEntry entries[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CsProject) project = NULL;
  g_autoptr(CsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 import_id;
  char *end = NULL;

  context = g_option_context_new (_("PROJECT IMPORT_ID"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Remove an event import from PROJECT: its events, its rejected rows, and the\n"
      "viewers and clips only it brought. IMPORT_ID is the number import-events printed."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cs_cli_fail_error (error);

  if (args == NULL || g_strv_length (args) != 2)
    return cs_cli_fail (_("undo-import needs a PROJECT and an IMPORT_ID; run “clipscope-cli "
                          "undo-import --help”"));
  import_id = g_ascii_strtoll (args[1], &end, 10);
  if (end == args[1] || *end != '\0' || import_id < 1)
    return cs_cli_fail (_("“%s” is not an import number (a whole number from 1)"), args[1]);
  if (!g_file_test (args[0], G_FILE_TEST_IS_REGULAR))
    return cs_cli_fail (_("The project “%s” does not exist"), args[0]);

  project = cs_cli_open_project (args[0], &error);
  if (project == NULL)
    return cs_cli_fail_error (error);
  store = cs_project_open_store (project, &error);
  if (store == NULL)
    return cs_cli_fail_error (error);
  if (!cs_event_import_rollback (store, import_id, cs_cli_get_cancellable (), &error))
    return cs_cli_fail_error (error);

  printf (_("Removed import %" PRId64 "\n"), import_id);
  return 0;
}
