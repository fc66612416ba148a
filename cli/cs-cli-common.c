/* cs-cli-common.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include "cs-cli-common.h"

static gboolean status_line_drawn;
static GMutex progress_lock;

CsProject *
cs_cli_open_project (const char  *path,
                     GError     **error)
{
  CsStoreFlags flags = CS_STORE_OPEN_EXISTING;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    flags |= CS_STORE_CREATE;

  return cs_project_open (path, flags, error);
}

int
cs_cli_fail (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  cs_cli_progress_done ();
  /* One line, always: join whatever lines the message has. */
  g_strdelimit (message, "\n", ' ');
  fprintf (stderr, "clipscope-cli: %s\n", message);
  return 1;
}

int
cs_cli_fail_error (const GError *error)
{
  return cs_cli_fail ("%s", error->message);
}

void
cs_cli_progress (double      fraction,
                 const char *message,
                 gpointer    user_data)
{
  static gint64 last_draw;
  gint64 now;

  if (!isatty (STDERR_FILENO))
    return;

  now = g_get_monotonic_time ();
  g_mutex_lock (&progress_lock);
  if (now - last_draw >= G_USEC_PER_SEC / 10 || fraction >= 1.0)
    {
      last_draw = now;
      if (fraction >= 0)
        fprintf (stderr, "\r\033[K%3.0f%%  %s", fraction * 100.0, message ? message : "");
      else
        fprintf (stderr, "\r\033[K      %s", message ? message : "");
      fflush (stderr);
      status_line_drawn = TRUE;
    }
  g_mutex_unlock (&progress_lock);
}

void
cs_cli_progress_done (void)
{
  g_mutex_lock (&progress_lock);
  if (status_line_drawn)
    {
      fprintf (stderr, "\r\033[K");
      fflush (stderr);
      status_line_drawn = FALSE;
    }
  g_mutex_unlock (&progress_lock);
}

static gboolean
on_signal_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_CONTINUE;
}

static gpointer
signal_thread (gpointer user_data)
{
  GMainContext *context = g_main_context_new ();
  GSource *sint = g_unix_signal_source_new (SIGINT);
  GSource *sterm = g_unix_signal_source_new (SIGTERM);

  g_source_set_callback (sint, on_signal_cb, user_data, NULL);
  g_source_set_callback (sterm, on_signal_cb, user_data, NULL);
  g_source_attach (sint, context);
  g_source_attach (sterm, context);
  for (;;)
    g_main_context_iteration (context, TRUE);
  return NULL;
}

GCancellable *
cs_cli_get_cancellable (void)
{
  static GCancellable *cancellable;

  if (g_once_init_enter (&cancellable))
    {
      GCancellable *c = g_cancellable_new ();
      /* Commands block their main thread in engine calls, so signals are
       * watched from a small thread of their own. */
      g_thread_unref (g_thread_new ("cs-cli-signals", signal_thread, c));
      g_once_init_leave (&cancellable, c);
    }
  return cancellable;
}

int
cs_cli_check_encoding (const char *encoding)
{
  g_autoptr(GCharsetConverter) converter = NULL;

  if (encoding == NULL)
    return 0;
  /* The readers convert through iconv: a name it knows is a name they take. */
  converter = g_charset_converter_new ("UTF-8", encoding, NULL);
  if (converter != NULL)
    return 0;
  return cs_cli_fail (_("The encoding “%s” is not known; leave --encoding out to detect it, "
                        "or name one such as UTF-8, UTF-16 or GB18030"),
                      encoding);
}

int
cs_cli_check_source (const char *file)
{
  g_autofree char *name = NULL;

  if (g_file_test (file, G_FILE_TEST_IS_REGULAR))
    return 0;
  name = g_filename_display_name (file);
  if (g_file_test (file, G_FILE_TEST_IS_DIR))
    return cs_cli_fail (_("“%s” is a folder, not a file"), name);
  return cs_cli_fail (_("The file “%s” does not exist"), name);
}

void
cs_cli_print_rejects (CsImportReport *report,
                      guint           max)
{
  if (report->rows_rejected == 0)
    return;
  printf ("%s\n", _("Rejected rows:"));
  for (guint i = 0; i < report->rejects->len && i < max; i++)
    {
      CsImportReject *reject = g_ptr_array_index (report->rejects, i);

      printf (_("  line %" PRId64 ": %s\n"), reject->line, reject->reason);
    }
  if (report->rows_rejected > max)
    printf (_("  … and %" PRId64 " more (see --json, or the import in the app)\n"),
            report->rows_rejected - max);
}

char *
cs_cli_format_mapping (GHashTable         *mapping,
                       const char * const *fields)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; mapping != NULL && fields[i] != NULL; i++)
    {
      const char *column = g_hash_table_lookup (mapping, fields[i]);

      if (column == NULL)
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append_printf (text, "%s=%s", fields[i], column);
    }
  return g_string_free (text, FALSE);
}
