/* pdf-test-utils.h: what the report tests share — a PDF's pages and text,
 * read back with pdfinfo and pdftotext (Debian poppler-utils).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* FALSE (and the test skipped) without pdfinfo and pdftotext. */
gboolean pdf_tools_available (void);
guint    pdf_pages           (const char *path);
/* Page @page (1-based) as pdftotext -layout lays it out. */
char    *pdf_text            (const char *path,
                              guint       page);
/* Every page's text, in reading order. */
char    *pdf_all_text        (const char *path);

G_END_DECLS
