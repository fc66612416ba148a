/* cs-csv-writer.h: fields and numbers for the CSV tables Clipscope writes
 * (RFC 4180, "." decimals), shared by the comparison exports.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends @text (nothing for NULL); a field with a comma, quote, CR or LF
 * is quoted, and quotes inside it are doubled. */
void cs_csv_append_field  (GString    *csv,
                           const char *text);
/* Appends the shortest of %.15g, %.16g, %.17g that reads back to @value
 * (so 0.1 stays "0.1" and no digit is lost); nothing for NaN or ±∞, which
 * leaves the field empty. */
void cs_csv_append_number (GString    *csv,
                           double      value);

G_END_DECLS
