/* cs-table-reader.h: one streaming reader for every table format importers take.
 *
 * CSV/TSV, JSON arrays of objects, JSON Lines and XLSX workbooks, in the
 * usual encodings, through one API that mirrors CsCsvReader's: importers loop
 * over cs_table_reader_next() and look at the current record's fields, line,
 * raw text and problem, whatever the file was.
 *
 * Records. The FIRST record is always the header (the column names):
 * - CSV/TSV: the first line, as written;
 * - XLSX: the first row of the sheet with a value (rows without values
 *   above it are skipped; later ones read as one empty field, as a blank line
 *   of a CSV file does);
 * - JSON and JSON Lines: the keys of the objects, in the order in which they
 *   first appear among the first CS_TABLE_READER_JSON_HEADER_RECORDS (1000)
 *   records, which are held in memory until then. Every later record then has
 *   exactly that many fields, in that order; a key missing from an object is an
 *   empty field. A key first seen after those records has no column: that
 *   record comes with a problem naming the key (so an importer rejects it and
 *   keeps its raw text; nothing is dropped silently). A key given twice in one
 *   object is a problem too. Values: strings as they are, numbers as written
 *   in the file ("4047.0" stays "4047.0"), true/false as "true"/"false", null
 *   as an empty field, nested objects and arrays as compact JSON text.
 *
 * Lines (cs_table_reader_get_line()): the 1-based line where the record
 * starts for text formats (the line of the opening brace for JSON arrays);
 * the sheet's row number for XLSX (rows absent from the sheet are skipped, so
 * numbers may jump, as in Excel).
 *
 * Raw text (cs_table_reader_get_raw(), for lists of rejected rows): the line
 * as in the file for CSV/TSV and JSON Lines (converted to UTF-8); the object
 * rewritten as compact JSON for JSON arrays; the cells joined with tabs for
 * XLSX. The header of a JSON file is the column names joined with tabs, and
 * its line is that of the first record.
 *
 * Format. Chosen from the content, the file name being a hint only:
 * - a zip archive (PK\3\4) is read as XLSX when it holds xl/workbook.xml,
 *   whatever its name (a workbook saved as "stats.csv" still works); any other
 *   archive, an old Excel 97–2003 .xls file or other binary data is an error
 *   saying what the file is;
 * - text whose first non-blank characters are '[' then '{' or ']' is a JSON
 *   array, '{' then '"' or '}' is JSON Lines (one object per line; blank
 *   lines are skipped), anything else (such as a header "[id],name") is
 *   delimited text (CsCsvReader: delimiter detected from the first line, or a
 *   tab when the name ends in .tsv or .tab). The format is "TSV" when the
 *   delimiter is a tab, "CSV" otherwise.
 * CsTableReaderOptions.format overrides the choice.
 *
 * Encodings (text formats; XLSX is always UTF-8 XML). Unless given:
 * 1. a byte order mark decides: EF BB BF "UTF-8 (BOM)", FF FE "UTF-16LE",
 *    FE FF "UTF-16BE" (the mark itself is skipped);
 * 2. otherwise the first 64 KiB are examined. NUL bytes mean UTF-16 without a
 *    mark when at least 90% of them sit at odd offsets (UTF-16LE: ASCII
 *    characters have a zero high byte) or at even offsets (UTF-16BE), and the
 *    sample converts cleanly; other NUL bytes, or more than 10% control
 *    characters, mean a binary file, which is refused;
 * 3. valid UTF-8 (a character cut by the end of the sample does not count)
 *    is "UTF-8". Chinese text in GB18030 is almost never valid UTF-8, as its
 *    two-byte characters rarely form UTF-8 sequences;
 * 4. text that is not valid UTF-8 but converts cleanly from GB18030 is
 *    "GB18030" (which includes GBK and GB2312);
 * 5. anything else is read as UTF-8, and the records that are not valid
 *    UTF-8 come with a problem, so a mostly readable file still imports.
 * The text is converted to UTF-8 while it streams (GCharsetConverter, that is
 * iconv), so memory stays flat. A byte that is not valid in the encoding in
 * use stops reading with CS_IMPORT_ERROR_ENCODING naming the line.
 * CsTableReaderOptions.encoding overrides the detection: any name iconv knows
 * ("GBK" and "GB2312" are read as GB18030, their superset).
 *
 * Memory stays flat for any file size: only the current record is held, plus
 * the first 1000 records of JSON files (see above) and, for XLSX, the
 * workbook's shared strings (cell texts are stored once per workbook, so they
 * are needed while the sheet streams), and the styles. A value longer than
 * the field limit (64 MiB by default) is an error, so a damaged or binary file
 * cannot take all memory.
 *
 * Problems inside one record (invalid UTF-8, an unclosed quote, a JSON Lines
 * line that is not valid JSON, a key without a column, a cell with a bad
 * reference) do not stop the reader: the record is returned and
 * cs_table_reader_get_problem() says what is wrong. Errors that make the rest
 * unreadable (a JSON syntax error inside an array, a damaged zip, a byte
 * invalid in the encoding) end reading with a GError in CS_IMPORT_ERROR,
 * after the records read before them (the parsers read ahead, so a few
 * records just before the damage may not be returned).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CS_TYPE_TABLE_READER (cs_table_reader_get_type ())
G_DECLARE_FINAL_TYPE (CsTableReader, cs_table_reader, CS, TABLE_READER, GObject)

/* Records of a JSON file whose keys make the header. */
#define CS_TABLE_READER_JSON_HEADER_RECORDS 1000

typedef enum
{
  CS_TABLE_FORMAT_AUTO,
  CS_TABLE_FORMAT_CSV,         /* delimited text, delimiter detected or given */
  CS_TABLE_FORMAT_TSV,         /* delimited text, tab */
  CS_TABLE_FORMAT_JSON,        /* one JSON array of objects */
  CS_TABLE_FORMAT_JSON_LINES,  /* one JSON object per line */
  CS_TABLE_FORMAT_XLSX,        /* Office Open XML workbook */
} CsTableFormat;

/* All zero (CsTableReaderOptions opts = { 0 }) means: detect everything, read
 * the first sheet, default field limit. */
typedef struct
{
  CsTableFormat  format;
  /* (nullable): an iconv encoding name, NULL to detect. */
  const char    *encoding;
  /* Delimited text: ',' '\t' ';' '|' …, or 0 to detect. */
  char           delimiter;
  /* XLSX: (nullable) the sheet's name (as shown on its tab); when NULL,
   * sheet_index (0-based, in tab order) chooses. */
  const char    *sheet;
  guint          sheet_index;
  /* Longest value in bytes; 0 for CS_CSV_READER_DEFAULT_MAX_FIELD. */
  gsize          max_field;
} CsTableReaderOptions;

/* Opens @path read-only and finds its format and encoding, reading at most
 * the first 64 KiB (and, for XLSX, the workbook's index, styles and shared
 * strings). Errors are in CS_IMPORT_ERROR: _OPEN (cannot open), _FORMAT (a
 * binary file, a damaged or non-Excel archive, a sheet that does not exist),
 * _ENCODING (an encoding iconv does not know). @opts may be NULL. */
G_GNUC_WARN_UNUSED_RESULT
CsTableReader      *cs_table_reader_new_for_path    (const char                 *path,
                                                     const CsTableReaderOptions *opts,
                                                     GError                    **error);
/* The same for bytes in memory; @name (nullable) is used as the file name in
 * messages and as the name hint. */
G_GNUC_WARN_UNUSED_RESULT
CsTableReader      *cs_table_reader_new_for_bytes   (GBytes                     *bytes,
                                                     const char                 *name,
                                                     const CsTableReaderOptions *opts,
                                                     GError                    **error);

/* The sheet names of the XLSX workbook at @path, in tab order. */
GStrv               cs_table_reader_list_sheets     (const char    *path,
                                                     GError       **error);

/* Reads the next record. TRUE when there is one, FALSE at the end (@error
 * unset; an empty file has no record at all) or on an error (@error set, in
 * CS_IMPORT_ERROR, or G_IO_ERROR_CANCELLED). */
gboolean            cs_table_reader_next            (CsTableReader *self,
                                                     GCancellable  *cancellable,
                                                     GError       **error);

/* The current record's fields, NULL-terminated, UTF-8 unless get_problem()
 * says otherwise; owned by the reader, valid until the next call to next(). */
const char * const *cs_table_reader_get_fields      (CsTableReader *self);
guint               cs_table_reader_get_n_fields    (CsTableReader *self);
const char         *cs_table_reader_get_field       (CsTableReader *self,
                                                     guint          index);
GStrv               cs_table_reader_dup_fields      (CsTableReader *self);
/* See "Lines" above. */
gint64              cs_table_reader_get_line        (CsTableReader *self);
/* See "Raw text" above; without a line end. */
const char         *cs_table_reader_get_raw         (CsTableReader *self,
                                                     gsize         *length);
/* (nullable): what is wrong with the current record, translated. */
const char         *cs_table_reader_get_problem     (CsTableReader *self);
/* Records returned so far (the header and the current one included). */
gint64              cs_table_reader_get_n_records   (CsTableReader *self);

/* Progress: bytes of the file consumed so far, and the file's size (0 when
 * unknown). For XLSX, the uncompressed bytes of the sheet read so far, and
 * the sheet's uncompressed size. */
guint64             cs_table_reader_get_bytes_read  (CsTableReader *self);
guint64             cs_table_reader_get_total_bytes (CsTableReader *self);

CsTableFormat       cs_table_reader_get_format_id   (CsTableReader *self);
/* "CSV", "TSV", "JSON", "JSON Lines" or "XLSX" (a detected tab delimiter
 * makes "TSV" from the first next() on). */
const char         *cs_table_reader_get_format      (CsTableReader *self);
/* "UTF-8", "UTF-8 (BOM)", "UTF-16LE", "UTF-16BE", "GB18030", or the name
 * given in the options (upper case). */
const char         *cs_table_reader_get_encoding    (CsTableReader *self);
/* Delimited text: the delimiter in use (after the first next() when
 * detected); 0 for other formats. */
char                cs_table_reader_get_delimiter   (CsTableReader *self);
/* XLSX: the sheet being read; NULL for other formats. */
const char         *cs_table_reader_get_sheet       (CsTableReader *self);

/* "csv", "tsv", "json", "jsonl" (or "ndjson", "json-lines"), "xlsx", "auto",
 * any case; FALSE for anything else. For a --format option. */
gboolean            cs_table_format_from_string     (const char    *name,
                                                     CsTableFormat *format);
const char         *cs_table_format_get_name        (CsTableFormat  format);

G_END_DECLS
