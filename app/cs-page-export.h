/* cs-page-export.h: what the pages share to save a file and say how it
 * went. Success is a toast on the page's window; a failure is a dialog
 * under a heading (a toast would vanish before a user could read why); a
 * cancel says nothing. The writing always runs on a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "clipscope-engine.h"

G_BEGIN_DECLS

/* @message as a toast on @page's window; a log message without one. */
void     cs_page_toast               (GtkWidget            *page,
                                      const char           *message);
/* "Saved “NAME”" for @file. */
void     cs_page_toast_saved         (GtkWidget            *page,
                                      GFile                *file);
/* A dialog: @heading, then the error's message (which names the file). */
void     cs_page_show_save_error     (GtkWidget            *page,
                                      const char           *heading,
                                      const GError         *error);

/* Writes @bytes to @file on a worker, then the toast or the dialog under
 * @heading; then @callback (may be NULL), whose result has @page as its
 * source: cs_page_export_finish(). */
void     cs_page_save_bytes_async    (GtkWidget            *page,
                                      GFile                *file,
                                      GBytes               *bytes,
                                      const char           *heading,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
/* The PDF report of comparison @run_id of @project (cs_report_export_run(),
 * which reads the run again on the worker, so the page may show another
 * meanwhile), as cs_page_save_bytes_async() says. */
void     cs_page_export_report_async (GtkWidget            *page,
                                      CsProject            *project,
                                      gint64                run_id,
                                      GFile                *file,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
/* Fails at once with @error (taken), as an export would: the dialog, then
 * @callback. */
void     cs_page_export_fail         (GtkWidget            *page,
                                      const char           *heading,
                                      GError               *error,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
gboolean cs_page_export_finish       (GtkWidget            *page,
                                      GAsyncResult         *result,
                                      GError              **error);

G_END_DECLS
