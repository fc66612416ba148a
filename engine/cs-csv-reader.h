/* cs-csv-reader.h: a streaming reader of delimited text (CSV, TSV; RFC 4180).
 *
 * Reads UTF-8 text from a GInputStream in fixed-size chunks, so memory stays
 * flat for any file size; only the current record is held. Other encodings
 * are converted before the reader sees them (wrap the stream in a
 * GConverterInputStream).
 *
 * What it accepts:
 * - a delimiter given, or detected from the first line (comma, tab,
 *   semicolon or pipe, whichever occurs most outside quotes);
 * - a UTF-8 byte order mark, skipped;
 * - quoted fields holding delimiters, doubled quotes and line breaks;
 * - records ended by LF or CRLF. A lone CR is data, not a record end: real
 *   exports carry bare CRs inside unquoted text (KuaiRec's captions), and
 *   splitting there would break records in two. Only a file with no LF at all
 *   in its first chunk is read as old Mac text, with CR as the record end;
 * - quotes that do not follow RFC 4180 (a quote inside an unquoted field, or
 *   text after a closing quote) are kept as text, as spreadsheets do.
 *
 * Problems inside one record (invalid UTF-8, a quote never closed) do not stop
 * the reader: the record is returned and cs_csv_reader_get_problem() says what
 * is wrong, so an importer can reject that record and go on. A value longer
 * than the field limit (64 MiB by default) is an error, so that a broken or
 * binary file cannot take all memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CS_TYPE_CSV_READER (cs_csv_reader_get_type ())
G_DECLARE_FINAL_TYPE (CsCsvReader, cs_csv_reader, CS, CSV_READER, GObject)

/* The default limit on the length of one field, in bytes. */
#define CS_CSV_READER_DEFAULT_MAX_FIELD (64 * 1024 * 1024)

/* @delimiter: a byte (',' '\t' ';' '|' …), or 0 to detect it from the first
 * line. @stream must yield UTF-8. When @stream is a GFileInputStream the total
 * size is queried for progress; otherwise see cs_csv_reader_set_total_bytes(). */
G_GNUC_WARN_UNUSED_RESULT
CsCsvReader        *cs_csv_reader_new               (GInputStream  *stream,
                                                     char           delimiter);
/* Opens @path read-only. Errors are in CS_IMPORT_ERROR_OPEN. */
G_GNUC_WARN_UNUSED_RESULT
CsCsvReader        *cs_csv_reader_new_for_path      (const char    *path,
                                                     char           delimiter,
                                                     GError       **error);

/* Opens @path read-only, with the messages above (CS_IMPORT_ERROR_OPEN: does
 * not exist, is a folder, not allowed…); shared with CsTableReader. */
G_GNUC_WARN_UNUSED_RESULT
GInputStream       *cs_csv_reader_open_path         (const char    *path,
                                                     GError       **error);

/* Reads the next record. Returns TRUE when there is one, FALSE at the end of
 * the input (@error unset) or on an error (@error set: a read error, a field
 * over the limit, UTF-16 text, or G_IO_ERROR_CANCELLED). An empty line is
 * returned as a record of one empty field. */
gboolean            cs_csv_reader_next              (CsCsvReader   *self,
                                                     GCancellable  *cancellable,
                                                     GError       **error);

/* The current record's fields, NULL-terminated; owned by the reader and valid
 * until the next call to cs_csv_reader_next(). */
const char * const *cs_csv_reader_get_fields        (CsCsvReader   *self);
guint               cs_csv_reader_get_n_fields      (CsCsvReader   *self);
const char         *cs_csv_reader_get_field         (CsCsvReader   *self,
                                                     guint          index);
/* A copy of the fields. */
GStrv               cs_csv_reader_dup_fields        (CsCsvReader   *self);
/* 1-based line of the file where the current record starts. */
gint64              cs_csv_reader_get_line          (CsCsvReader   *self);
/* The current record as it stands in the file, without its line end; may be
 * invalid UTF-8 when get_problem() says so. */
const char         *cs_csv_reader_get_raw           (CsCsvReader   *self,
                                                     gsize         *length);
/* (nullable): what is wrong with the current record, translated; NULL when
 * nothing is. */
const char         *cs_csv_reader_get_problem       (CsCsvReader   *self);
/* Records returned so far, the current one included. */
gint64              cs_csv_reader_get_n_records     (CsCsvReader   *self);

/* The delimiter in use; after the first cs_csv_reader_next() when detected. */
char                cs_csv_reader_get_delimiter     (CsCsvReader   *self);
/* Whether the input started with a UTF-8 byte order mark. */
gboolean            cs_csv_reader_get_had_bom       (CsCsvReader   *self);

/* Bytes consumed from the stream so far, and the total when known (0 when
 * not), for progress. */
guint64             cs_csv_reader_get_bytes_read    (CsCsvReader   *self);
guint64             cs_csv_reader_get_total_bytes   (CsCsvReader   *self);
void                cs_csv_reader_set_total_bytes   (CsCsvReader   *self,
                                                     guint64        total);

gsize               cs_csv_reader_get_max_field     (CsCsvReader   *self);
/* A record, all fields together, may be twice as long. */
void                cs_csv_reader_set_max_field     (CsCsvReader   *self,
                                                     gsize          max_field);

/* A name for @delimiter a user understands ("comma", "tab" …), translated. */
const char         *cs_csv_delimiter_get_name       (char           delimiter);

G_END_DECLS
