/* clipscope-cli: the engine from the command line (DESIGN §7).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cs-cli-common.h"
#include "cs-process-env.h"

typedef struct
{
  const char *name;
  int (*func) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "demo",          cs_cli_demo,          N_("Create a project with simulated clips, viewers and events") },
  { "import-events", cs_cli_import_events, N_("Import an event log (CSV/TSV) into a project") },
  { "import-stats",  cs_cli_import_stats,  N_("Import a clip-stats table (CSV/TSV) into a project") },
  { "undo-import",   cs_cli_undo_import,   N_("Remove an event import from a project again") },
  { "import-clips",  cs_cli_import_clips,  N_("Import video files or folders into a project") },
  { "evaluate",      cs_cli_evaluate,      N_("Train and compare recommender models") },
  { "predict-eval",  cs_cli_predict_eval,  N_("Train and compare engagement classifiers") },
  { "predict-score", cs_cli_predict_score, N_("Predict the engagement class of clips not posted yet") },
  { "report",        cs_cli_report,        N_("Write a comparison as a PDF report or an image") },
  { "generate",      cs_cli_generate,      N_("Train a VAE or a DCGAN on frames of the clips and draw samples") },
};

static void
usage (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: clipscope-cli COMMAND PROJECT [OPTIONS…]"));
  fprintf (out, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-15s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Run “clipscope-cli COMMAND --help” for the options of a command."));
}

int
main (int    argc,
      char **argv)
{
  /* First: it may execute the program again (OpenMP's wait policy). */
  cs_process_env_init (argv);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? 2 : 0;
    }

  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("clipscope-cli %s\n", PACKAGE_VERSION);
      return 0;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].func (argc - 1, argv + 1);

  return cs_cli_fail (_("unknown command “%s”; run “clipscope-cli --help” for the list"), argv[1]);
}
