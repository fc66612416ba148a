/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "cs-application.h"
#include "cs-process-env.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(CsApplication) app = NULL;

  /* First: it may execute the program again (OpenMP's wait policy). */
  cs_process_env_init (argv);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = cs_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
