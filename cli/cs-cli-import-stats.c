/* cs-cli-import-stats.c: clipscope-cli import-stats (DESIGN §7).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <stdio.h>

#include "cs-cli-common.h"

/* Rejects and unmatched references listed in the human summary; --json has
 * them all (up to the report's limit). */
#define SUMMARY_ITEMS 5

static void
print_summary (CsStatsImportReport *result,
               const char          *file)
{
  CsImportReport *report = result->report;
  g_autofree char *name = g_filename_display_basename (file);
  g_autofree char *mapping =
    cs_cli_format_mapping (report->mapping, cs_table_kind_get_fields (CS_TABLE_STATS));

  printf (_("Imported %s (import %" PRId64 ")\n"), name, report->import_id);
  printf (_("  Rows read:      %" PRId64 "\n"), report->rows_read);
  printf (_("  Rows imported:  %" PRId64 "\n"), report->rows_imported);
  printf (_("  Rows rejected:  %" PRId64 "\n"), report->rows_rejected);
  printf (_("  Clips linked:   %" PRId64 "\n"), result->clips_linked);
  printf (_("  Clips created:  %" PRId64 "\n"), result->clips_created);
  printf (_("  Stats replaced: %" PRId64 "\n"), result->stats_replaced);
  printf (_("  Encoding:       %s\n"), report->encoding);
  printf (_("  Mapping:        %s\n"), mapping);

  if (result->unmatched->len > 0)
    {
      printf ("%s\n", _("Not matched to a clip of the project (new clips were made):"));
      for (guint i = 0; i < result->unmatched->len && i < SUMMARY_ITEMS; i++)
        printf ("  %s\n", (const char *) g_ptr_array_index (result->unmatched, i));
      if (result->unmatched->len > SUMMARY_ITEMS)
        printf (_("  … and %u more (see --json)\n"), result->unmatched->len - SUMMARY_ITEMS);
    }
  cs_cli_print_rejects (report, SUMMARY_ITEMS);
}

int
cs_cli_import_stats (int    argc,
                     char **argv)
{
  g_autofree char *map = NULL;
  g_autofree char *encoding = NULL;
  g_autofree char *zone_name = NULL;
  gboolean json = FALSE;
  int year = 0;
  g_auto(GStrv) args = NULL;
  const GOptionEntry entries[] = {
    { "map", 0, 0, G_OPTION_ARG_STRING, &map,
      N_("Columns for fields, e.g. clip=作品ID,views=播放量 (the rest are guessed)"),
      N_("FIELD=COLUMN,…") },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &encoding,
      N_("Text encoding of the file (detected when left out)"), N_("ENC") },
    { "year", 0, 0, G_OPTION_ARG_INT, &year,
      N_("Year of times written without one (“5月31日 23:54”)"), N_("YEAR") },
    { "time-zone", 0, 0, G_OPTION_ARG_STRING, &zone_name,
      N_("Zone of times written without one: +08:00, Asia/Shanghai, UTC (default: local time)"),
      N_("ZONE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the result as one JSON document"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  CsStatsImportOptions options = { NULL, { NULL, 0 } };
  g_autoptr(GHashTable) mapping = NULL;
  g_autoptr(CsProject) project = NULL;
  g_autoptr(CsStore) store = NULL;
  g_autoptr(CsStatsImportReport) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *project_path, *file;
  int status;

  context = g_option_context_new (_("PROJECT FILE"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Import a clip-stats table (CSV/TSV, one row per clip, or per clip and day)\n"
      "into PROJECT, which is created when it does not exist yet."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Fields: clip, title, caption, hashtags, post_time, day, views, likes, comments,\n"
      "shares, saves, avg_watch_time, completion_rate, followers, duration.\n"
      "A clip or a title column is required. Columns are guessed from the header\n"
      "(作品ID, 播放量, 点赞, 完播率, 发布时间 …) and the values; --map names the ones\n"
      "the guess gets wrong, FIELD= leaves a field out. Rows are linked to the\n"
      "project's clips by id, file name or title; the rest become new clips.\n"
      "Importing the same stats again replaces them.\n"));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cs_cli_fail_error (error);

  if (args == NULL || g_strv_length (args) != 2)
    return cs_cli_fail (_("import-stats needs a PROJECT and a FILE; run “clipscope-cli "
                          "import-stats --help”"));
  project_path = args[0];
  file = args[1];

  status = cs_cli_check_encoding (encoding);
  if (status != 0)
    return status;
  options.encoding = encoding;
  if (year < 0 || year > 9999)
    return cs_cli_fail (_("--year %d is not a year"), year);
  options.time.default_year = year;
  if (zone_name != NULL)
    {
      zone = g_time_zone_new_identifier (zone_name);
      if (zone == NULL)
        return cs_cli_fail (_("“%s” is not a time zone; write an offset such as +08:00, "
                              "or a name such as Asia/Shanghai"),
                            zone_name);
      options.time.zone = zone;
    }
  if (map != NULL)
    {
      mapping = cs_stats_mapping_parse (map, &error);
      if (mapping == NULL)
        return cs_cli_fail_error (error);
      options.mapping = mapping;
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

  result = cs_stats_import_run (store, file, &options, cs_cli_progress, NULL,
                                cs_cli_get_cancellable (), &error);
  cs_cli_progress_done ();
  if (result == NULL)
    return cs_cli_fail_error (error);

  if (json)
    {
      g_autofree char *text = cs_stats_import_report_to_json (result);

      printf ("%s\n", text);
    }
  else
    print_summary (result, file);

  return 0;
}
