/* cs-format.h: numbers in user-facing text.
 *
 * xgettext cannot see through G_GINT64_FORMAT inside _(), so translatable
 * strings take counts as "%s" made by these helpers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "12,345" with the locale's thousands separator. */
char *cs_format_count (gint64 value);

G_END_DECLS
