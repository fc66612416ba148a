/* cs-cli-import-clips.c: clipscope-cli import-clips (DESIGN §7).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cs-cli-common.h"

static void
print_summary (CsClipImportReport *report)
{
  for (guint i = 0; i < report->files->len; i++)
    {
      CsClipImportFile *file = g_ptr_array_index (report->files, i);
      g_autofree char *name = g_filename_display_name (file->path);

      switch (file->status)
        {
        case CS_CLIP_IMPORT_OK:
          printf (_("ok         %s: %d:%02d, %d×%d, %s%s%s\n"), name,
                  (int) (file->duration_ms / 60000), (int) (file->duration_ms / 1000 % 60),
                  file->width, file->height,
                  file->video_codec != NULL ? file->video_codec : "?",
                  file->audio_codec != NULL ? " + " : "",
                  file->audio_codec != NULL ? file->audio_codec : "");
          if (file->warning != NULL)
            printf ("           %s\n", file->warning);
          break;
        case CS_CLIP_IMPORT_DUPLICATE:
          printf (_("duplicate  %s: %s\n"), name, file->error);
          break;
        case CS_CLIP_IMPORT_ERROR:
        default:
          printf (_("error      %s: %s\n"), name, file->error);
          break;
        }
    }
  printf (_("%u imported, %u duplicates, %u refused\n"),
          report->n_ok, report->n_duplicate, report->n_error);
}

int
cs_cli_import_clips (int    argc,
                     char **argv)
{
  gboolean json = FALSE;
  g_auto(GStrv) args = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the result as one JSON document"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CsProject) project = NULL;
  g_autoptr(CsStore) store = NULL;
  g_autoptr(CsClipImportReport) report = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;

  context = g_option_context_new (_("PROJECT PATH…"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Import video files, or every video file in folders, into PROJECT,\n"
      "which is created when it does not exist yet. A file already in the\n"
      "project (same content, whatever its name) is reported as a duplicate;\n"
      "a file that cannot be read is reported with the reason, and the rest\n"
      "goes on."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cs_cli_fail_error (error);

  if (args == NULL || g_strv_length (args) < 2)
    return cs_cli_fail (_("import-clips needs a PROJECT and at least one file or folder; "
                          "run “clipscope-cli import-clips --help”"));

  /* Check the sources before a missing PROJECT gets created for nothing. */
  files = cs_clip_import_collect ((const char * const *) args + 1, NULL, &error);
  if (files == NULL)
    return cs_cli_fail_error (error);

  project = cs_cli_open_project (args[0], &error);
  if (project == NULL)
    return cs_cli_fail_error (error);
  store = cs_project_open_store (project, &error);
  if (store == NULL)
    return cs_cli_fail_error (error);

  report = cs_clip_import_run (store, (const char * const *) args + 1,
                               cs_cli_progress, NULL,
                               cs_cli_get_cancellable (), &error);
  cs_cli_progress_done ();
  if (report == NULL)
    return cs_cli_fail_error (error);

  if (json)
    {
      g_autofree char *text = cs_clip_import_report_to_json (report);

      printf ("%s\n", text);
    }
  else
    print_summary (report);

  return 0;
}
