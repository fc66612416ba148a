/* cs-table-reader.c: opening, format and encoding detection, delimited text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>

#include "cs-error.h"
#include "cs-table-reader-private.h"

/* How much of the file decides its format and encoding. */
#define SNIFF_SIZE (64 * 1024)
/* Share of NUL bytes that must sit at one parity for BOM-less UTF-16. */
#define UTF16_PARITY_SHARE 0.9
/* More control characters than this share of the sample: binary data. */
#define BINARY_CONTROL_SHARE 0.1

struct _CsTableReader
{
  GObject               parent_instance;

  CsTableFormat         format;
  char                 *encoding;       /* for display */
  char                 *iconv_name;     /* NULL when the text is UTF-8 already */
  char                 *display_name;
  char                 *sheet;
  char                 *path;
  GBytes               *bytes;
  gsize                 bom_len;
  gsize                 max_field;
  guint64               total_bytes;

  GInputStream         *base;           /* the file, for progress */
  GInputStream         *text;           /* UTF-8 text */

  CsCsvReader          *csv;

  const CsTableBackend *backend;
  gpointer              backend_state;
  GPtrArray            *fields;         /* owned strings, NULL-terminated */
  GString              *raw;
  char                 *problem;
  gint64                line;
  gint64                n_records;
};

G_DEFINE_FINAL_TYPE (CsTableReader, cs_table_reader, G_TYPE_OBJECT)

static void
cs_table_reader_finalize (GObject *object)
{
  CsTableReader *self = CS_TABLE_READER (object);

  if (self->backend != NULL && self->backend_state != NULL)
    self->backend->free (self->backend_state);
  g_clear_object (&self->csv);
  g_clear_object (&self->text);
  g_clear_object (&self->base);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_free (self->path);
  g_free (self->encoding);
  g_free (self->iconv_name);
  g_free (self->display_name);
  g_free (self->sheet);
  g_ptr_array_unref (self->fields);
  g_string_free (self->raw, TRUE);
  g_free (self->problem);

  G_OBJECT_CLASS (cs_table_reader_parent_class)->finalize (object);
}

static void
cs_table_reader_class_init (CsTableReaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cs_table_reader_finalize;
}

static void
cs_table_reader_init (CsTableReader *self)
{
  self->fields = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->fields, NULL);
  self->raw = g_string_new (NULL);
  self->max_field = CS_CSV_READER_DEFAULT_MAX_FIELD;
}

/* Formats */

static const struct
{
  const char    *name;
  CsTableFormat  format;
} format_names[] = {
  { "auto", CS_TABLE_FORMAT_AUTO },
  { "csv", CS_TABLE_FORMAT_CSV },
  { "tsv", CS_TABLE_FORMAT_TSV },
  { "json", CS_TABLE_FORMAT_JSON },
  { "jsonl", CS_TABLE_FORMAT_JSON_LINES },
  { "ndjson", CS_TABLE_FORMAT_JSON_LINES },
  { "json-lines", CS_TABLE_FORMAT_JSON_LINES },
  { "xlsx", CS_TABLE_FORMAT_XLSX },
};

gboolean
cs_table_format_from_string (const char    *name,
                             CsTableFormat *format)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (g_ascii_strcasecmp (name, format_names[i].name) == 0)
      {
        if (format != NULL)
          *format = format_names[i].format;
        return TRUE;
      }
  return FALSE;
}

const char *
cs_table_format_get_name (CsTableFormat format)
{
  switch (format)
    {
    case CS_TABLE_FORMAT_CSV:
      return "CSV";
    case CS_TABLE_FORMAT_TSV:
      return "TSV";
    case CS_TABLE_FORMAT_JSON:
      return "JSON";
    case CS_TABLE_FORMAT_JSON_LINES:
      return "JSON Lines";
    case CS_TABLE_FORMAT_XLSX:
      return "XLSX";
    case CS_TABLE_FORMAT_AUTO:
    default:
      return "auto";
    }
}

/* Encodings */

/* Converts @len bytes from @encoding, appending up to @max_out bytes of UTF-8
 * to @out (nullable). FALSE when a byte sequence is invalid, or cut short by
 * the end while @at_eof. */
static gboolean
convert_sample (const char   *encoding,
                const guint8 *data,
                gsize         len,
                gboolean      at_eof,
                GString      *out)
{
  GIConv cd = g_iconv_open ("UTF-8", encoding);
  char *in = (char *) data;
  gsize in_left = len;
  gboolean ok = TRUE;

  if (cd == (GIConv) -1)
    return FALSE;

  while (in_left > 0)
    {
      char buf[4096];
      char *o = buf;
      gsize out_left = sizeof buf;
      gsize r = g_iconv (cd, &in, &in_left, &o, &out_left);

      if (out != NULL)
        g_string_append_len (out, buf, o - buf);
      if (r != (gsize) -1)
        continue;
      if (errno == E2BIG)
        continue;
      if (errno == EINVAL && !at_eof)
        break;  /* a character cut by the end of the sample */
      ok = FALSE;
      break;
    }
  g_iconv_close (cd);
  return ok;
}

/* "gbk" → "GB18030"; "utf8" → "UTF-8"; others in upper case. */
static char *
normalise_encoding (const char *name)
{
  g_autofree char *upper = g_ascii_strup (name, -1);
  static const char * const gb[] = { "GBK", "GB2312", "CP936", "GB18030", "EUC-CN" };

  for (guint i = 0; i < G_N_ELEMENTS (gb); i++)
    if (strcmp (upper, gb[i]) == 0)
      return g_strdup ("GB18030");
  if (strcmp (upper, "UTF8") == 0)
    return g_strdup ("UTF-8");
  return g_steal_pointer (&upper);
}

static gboolean
valid_utf8_sample (const guint8 *data,
                   gsize         len,
                   gboolean      at_eof)
{
  const char *end;

  if (g_utf8_validate_len ((const char *) data, len, &end))
    return TRUE;
  /* A character cut by the end of the sample is not an error. */
  if (!at_eof && (const guint8 *) end + 4 > data + len)
    {
      gunichar c = g_utf8_get_char_validated (end, data + len - (const guint8 *) end);

      return c == (gunichar) -2;
    }
  return FALSE;
}

typedef enum
{
  SNIFF_TEXT,
  SNIFF_BINARY,
} Sniff;

/* Picks the encoding of a text sample; SNIFF_BINARY when it is not text. */
static Sniff
detect_encoding (CsTableReader *self,
                 const guint8  *data,
                 gsize          len,
                 gboolean       at_eof)
{
  gsize nul_even = 0, nul_odd = 0, control = 0;
  const char *utf16 = NULL;

  if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
    {
      self->encoding = g_strdup ("UTF-8 (BOM)");
      self->bom_len = 3;
      return SNIFF_TEXT;
    }
  if (len >= 2 && data[0] == 0xFF && data[1] == 0xFE)
    {
      self->encoding = g_strdup ("UTF-16LE");
      self->iconv_name = g_strdup ("UTF-16LE");
      self->bom_len = 2;
      return SNIFF_TEXT;
    }
  if (len >= 2 && data[0] == 0xFE && data[1] == 0xFF)
    {
      self->encoding = g_strdup ("UTF-16BE");
      self->iconv_name = g_strdup ("UTF-16BE");
      self->bom_len = 2;
      return SNIFF_TEXT;
    }

  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == 0)
        {
          if (i % 2 == 0)
            nul_even++;
          else
            nul_odd++;
        }
      else if (data[i] < 0x20 && data[i] != '\t' && data[i] != '\n' && data[i] != '\r'
               && data[i] != '\f' && data[i] != '\v')
        control++;
    }

  if (nul_even + nul_odd > 0)
    {
      if (nul_odd >= UTF16_PARITY_SHARE * (nul_even + nul_odd))
        utf16 = "UTF-16LE";
      else if (nul_even >= UTF16_PARITY_SHARE * (nul_even + nul_odd))
        utf16 = "UTF-16BE";
      if (utf16 == NULL || !convert_sample (utf16, data, len - (len % 2 && !at_eof), at_eof, NULL))
        return SNIFF_BINARY;
      self->encoding = g_strdup (utf16);
      self->iconv_name = g_strdup (utf16);
      return SNIFF_TEXT;
    }
  if (control > BINARY_CONTROL_SHARE * len)
    return SNIFF_BINARY;

  if (valid_utf8_sample (data, len, at_eof))
    self->encoding = g_strdup ("UTF-8");
  else if (convert_sample ("GB18030", data, len, at_eof, NULL))
    {
      self->encoding = g_strdup ("GB18030");
      self->iconv_name = g_strdup ("GB18030");
    }
  else
    self->encoding = g_strdup ("UTF-8");
  return SNIFF_TEXT;
}

/* Takes the encoding from the options. */
static gboolean
set_encoding (CsTableReader  *self,
              const char     *name,
              const guint8   *data,
              gsize           len,
              GError        **error)
{
  GIConv cd;

  self->encoding = normalise_encoding (name);
  cd = g_iconv_open ("UTF-8", self->encoding);
  if (cd == (GIConv) -1)
    {
      g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_ENCODING,
                   _("Unknown encoding “%s”; use for example UTF-8, GB18030 or UTF-16"),
                   name);
      return FALSE;
    }
  g_iconv_close (cd);

  /* A byte order mark matching the encoding is not text. */
  if (g_str_equal (self->encoding, "UTF-8"))
    {
      if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
        self->bom_len = 3;
      return TRUE;
    }
  if ((g_str_equal (self->encoding, "UTF-16LE") && len >= 2 && data[0] == 0xFF && data[1] == 0xFE)
      || (g_str_equal (self->encoding, "UTF-16BE") && len >= 2 && data[0] == 0xFE && data[1] == 0xFF))
    self->bom_len = 2;
  self->iconv_name = g_strdup (self->encoding);
  return TRUE;
}

/* Binary files we can name. */

static gboolean
has_prefix (const guint8 *data,
            gsize         len,
            const char   *magic,
            gsize         magic_len)
{
  return len >= magic_len && memcmp (data, magic, magic_len) == 0;
}

static gboolean
is_zip (const guint8 *data,
        gsize         len)
{
  return has_prefix (data, len, "PK\3\4", 4) || has_prefix (data, len, "PK\5\6", 4);
}

/* Files that are never text, whatever their bytes look like. */
static gboolean
is_known_binary (const guint8 *data,
                 gsize         len)
{
  return has_prefix (data, len, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)
         || has_prefix (data, len, "%PDF", 4)
         || has_prefix (data, len, "\x1F\x8B", 2);
}

static void
set_binary_error (CsTableReader  *self,
                  const guint8   *data,
                  gsize           len,
                  GError        **error)
{
  if (has_prefix (data, len, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
    g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT,
                 _("“%s” is an old Excel 97–2003 workbook (.xls) or a password-protected "
                   "workbook, which Clipscope cannot read; open it in a spreadsheet and save "
                   "it as .xlsx (without a password) or CSV"),
                 self->display_name);
  else if (has_prefix (data, len, "%PDF", 4))
    g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT,
                 _("“%s” is a PDF document, not a table; export the data as CSV or XLSX"),
                 self->display_name);
  else if (has_prefix (data, len, "\x1F\x8B", 2))
    g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT,
                 _("“%s” is compressed (gzip); uncompress it and import the file inside"),
                 self->display_name);
  else
    g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT,
                 _("“%s” is not a table: it holds binary data, not text; choose a CSV, "
                   "TSV, JSON or XLSX file"),
                 self->display_name);
}

/* '[' starts a JSON array, '{' JSON Lines; anything else delimited text. */
static CsTableFormat
detect_text_format (CsTableReader *self,
                    const guint8  *data,
                    gsize          len,
                    gboolean       at_eof)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const char *p;

  if (self->iconv_name == NULL)
    g_string_append_len (text, (const char *) data, MIN (len, 4096));
  else
    convert_sample (self->iconv_name, data, MIN (len, 4096) & ~(gsize) 3,
                    at_eof && len <= 4096, text);

  for (p = text->str; *p != '\0' && g_ascii_isspace (*p); p++)
    ;
  if (*p == '[' || *p == '{')
    {
      /* What follows tells JSON from a CSV header such as "[id],name". */
      const char *q = p + 1;

      while (*q != '\0' && g_ascii_isspace (*q))
        q++;
      if (*p == '[' && (*q == '{' || *q == ']' || *q == '\0'))
        return CS_TABLE_FORMAT_JSON;
      if (*p == '{' && (*q == '"' || *q == '}' || *q == '\0'))
        return CS_TABLE_FORMAT_JSON_LINES;
    }
  if (g_str_has_suffix (self->display_name, ".tsv") || g_str_has_suffix (self->display_name, ".TSV")
      || g_str_has_suffix (self->display_name, ".tab"))
    return CS_TABLE_FORMAT_TSV;
  return CS_TABLE_FORMAT_CSV;
}

/* Opening */

static CsTableReader *
open_source (const char                 *path,
             GBytes                     *bytes,
             const char                 *name,
             const CsTableReaderOptions *opts,
             GError                    **error)
{
  static const CsTableReaderOptions defaults = { 0, };
  g_autoptr(CsTableReader) self = g_object_new (CS_TYPE_TABLE_READER, NULL);
  g_autoptr(GBufferedInputStream) buffered = NULL;
  g_autoptr(GError) local_error = NULL;
  const guint8 *sample;
  gsize len = 0;
  gboolean at_eof = FALSE;

  if (opts == NULL)
    opts = &defaults;

  self->path = g_strdup (path);
  self->bytes = bytes != NULL ? g_bytes_ref (bytes) : NULL;
  self->display_name = path != NULL ? g_filename_display_basename (path)
                                    : g_strdup (name != NULL ? name : _("the data"));
  if (opts->max_field > 0)
    self->max_field = opts->max_field;

  if (path != NULL)
    {
      g_autoptr(GFileInfo) info = NULL;

      self->base = cs_csv_reader_open_path (path, error);
      if (self->base == NULL)
        return NULL;
      info = g_file_input_stream_query_info (G_FILE_INPUT_STREAM (self->base),
                                             G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, NULL);
      if (info != NULL)
        self->total_bytes = g_file_info_get_size (info);
    }
  else
    {
      self->base = g_memory_input_stream_new_from_bytes (bytes);
      self->total_bytes = g_bytes_get_size (bytes);
    }

  /* Peek at the start without consuming it. */
  buffered = G_BUFFERED_INPUT_STREAM (g_buffered_input_stream_new_sized (self->base, SNIFF_SIZE));
  while ((len = g_buffered_input_stream_get_available (buffered)) < SNIFF_SIZE)
    {
      gssize n = g_buffered_input_stream_fill (buffered, SNIFF_SIZE - len, NULL, &local_error);

      if (n < 0)
        {
          g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_OPEN,
                       _("Cannot read “%s”: %s"), self->display_name, local_error->message);
          return NULL;
        }
      if (n == 0)
        {
          at_eof = TRUE;
          break;
        }
    }
  sample = g_buffered_input_stream_peek_buffer (buffered, &len);

  self->format = opts->format;
  if (is_zip (sample, len) || opts->format == CS_TABLE_FORMAT_XLSX)
    {
      if (opts->format != CS_TABLE_FORMAT_AUTO && opts->format != CS_TABLE_FORMAT_XLSX)
        {
          g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT,
                       _("“%s” is a zip archive (an Excel workbook?), not %s text; "
                         "choose the XLSX format or let Clipscope detect it"),
                       self->display_name, cs_table_format_get_name (opts->format));
          return NULL;
        }
      g_clear_object (&self->base);
      self->format = CS_TABLE_FORMAT_XLSX;
      self->encoding = g_strdup ("UTF-8");
      if (!cs_table_reader_setup_xlsx (self, path, bytes, opts->sheet, opts->sheet_index, error))
        return NULL;
      return g_steal_pointer (&self);
    }

  if (is_known_binary (sample, len))
    {
      set_binary_error (self, sample, len, error);
      return NULL;
    }
  if (opts->encoding != NULL)
    {
      if (!set_encoding (self, opts->encoding, sample, len, error))
        return NULL;
    }
  else if (detect_encoding (self, sample, len, at_eof) == SNIFF_BINARY)
    {
      set_binary_error (self, sample, len, error);
      return NULL;
    }

  if (self->format == CS_TABLE_FORMAT_AUTO)
    self->format = detect_text_format (self, sample + self->bom_len, len - self->bom_len, at_eof);

  if (self->bom_len > 0
      && g_input_stream_skip (G_INPUT_STREAM (buffered), self->bom_len, NULL, error) < 0)
    return NULL;

  if (self->iconv_name != NULL)
    {
      g_autoptr(GCharsetConverter) converter =
        g_charset_converter_new ("UTF-8", self->iconv_name, error);

      if (converter == NULL)
        return NULL;
      self->text = g_converter_input_stream_new (G_INPUT_STREAM (buffered),
                                                 G_CONVERTER (converter));
    }
  else
    self->text = g_object_ref (G_INPUT_STREAM (buffered));

  switch (self->format)
    {
    case CS_TABLE_FORMAT_CSV:
    case CS_TABLE_FORMAT_TSV:
      self->csv = cs_csv_reader_new (self->text,
                                     self->format == CS_TABLE_FORMAT_TSV ? '\t' : opts->delimiter);
      cs_csv_reader_set_max_field (self->csv, self->max_field);
      break;
    case CS_TABLE_FORMAT_JSON:
    case CS_TABLE_FORMAT_JSON_LINES:
      if (!cs_table_reader_setup_json (self, self->format == CS_TABLE_FORMAT_JSON_LINES, error))
        return NULL;
      break;
    case CS_TABLE_FORMAT_AUTO:
    case CS_TABLE_FORMAT_XLSX:
    default:
      g_assert_not_reached ();
    }

  return g_steal_pointer (&self);
}

CsTableReader *
cs_table_reader_new_for_path (const char                 *path,
                              const CsTableReaderOptions *opts,
                              GError                    **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return open_source (path, NULL, NULL, opts, error);
}

CsTableReader *
cs_table_reader_new_for_bytes (GBytes                     *bytes,
                               const char                 *name,
                               const CsTableReaderOptions *opts,
                               GError                    **error)
{
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return open_source (NULL, bytes, name, opts, error);
}

GStrv
cs_table_reader_list_sheets (const char  *path,
                             GError     **error)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  name = g_filename_display_basename (path);
  return cs_xlsx_list_sheets (path, NULL, name, error);
}

/* Finds the line where the text stops being valid in its encoding, by
 * converting it again from the start: only after reading has failed. */
static void
set_encoding_error (CsTableReader  *self,
                    GError        **error)
{
  g_autoptr(GInputStream) stream = NULL;
  GIConv cd;
  gint64 line = 1;
  guint64 offset = self->bom_len;
  gboolean found = FALSE, cut = FALSE;
  char in[16 * 1024];
  gsize kept = 0;

  if (self->path != NULL)
    stream = cs_csv_reader_open_path (self->path, NULL);
  else
    stream = g_memory_input_stream_new_from_bytes (self->bytes);
  cd = g_iconv_open ("UTF-8", self->iconv_name);

  if (stream != NULL && cd != (GIConv) -1
      && g_input_stream_skip (stream, self->bom_len, NULL, NULL) == (gssize) self->bom_len)
    {
      for (;;)
        {
          gsize n = 0;
          char *p = in;
          gsize left;

          if (!g_input_stream_read_all (stream, in + kept, sizeof in - kept, &n, NULL, NULL))
            break;
          left = kept + n;
          if (left == 0)
            break;
          while (left > 0)
            {
              char out[16 * 1024];
              char *o = out;
              gsize out_left = sizeof out;
              char *before = p;
              gsize r = g_iconv (cd, &p, &left, &o, &out_left);

              offset += p - before;
              for (char *q = out; q < o; q++)
                if (*q == '\n')
                  line++;
              if (r != (gsize) -1 || errno == E2BIG)
                continue;
              if (errno == EINVAL)
                break;
              found = TRUE;
              break;
            }
          if (found)
            break;
          if (n == 0 || kept + n < sizeof in)
            {
              /* The end: an incomplete character left over. */
              cut = left > 0;
              break;
            }
          memmove (in, p, left);
          kept = left;
        }
    }
  if (cd != (GIConv) -1)
    g_iconv_close (cd);

  if (cut)
    g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_ENCODING,
                 _("“%s” ends in the middle of a %s character on line %" PRId64
                   "; the file may be cut short or in another encoding"),
                 self->display_name, self->encoding, line);
  else
    g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_ENCODING,
                 _("Line %" PRId64 " of “%s” is not valid %s text (byte %" PRIu64 "); "
                   "the file is in another encoding: choose it (for example UTF-8, "
                   "GB18030 or UTF-16) and import again"),
                 line, self->display_name, self->encoding, offset);
}

/* Reading */

gboolean
cs_table_reader_next (CsTableReader  *self,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (CS_IS_TABLE_READER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->csv != NULL)
    ok = cs_csv_reader_next (self->csv, cancellable, &local_error);
  else
    {
      cs_table_reader_clear_record (self);
      ok = self->backend->next (self, self->backend_state, cancellable, &local_error);
    }

  if (ok)
    {
      self->n_records++;
      return TRUE;
    }
  if (local_error == NULL)
    return FALSE;

  if (self->iconv_name != NULL
      && (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA)
          || g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT)))
    set_encoding_error (self, error);
  else if (local_error->domain == G_IO_ERROR
           && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FAILED,
                 _("Cannot read “%s”: %s"), self->display_name, local_error->message);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

const char * const *
cs_table_reader_get_fields (CsTableReader *self)
{
  g_return_val_if_fail (CS_IS_TABLE_READER (self), NULL);

  if (self->csv != NULL)
    return cs_csv_reader_get_fields (self->csv);
  return (const char * const *) self->fields->pdata;
}

guint
cs_table_reader_get_n_fields (CsTableReader *self)
{
  g_return_val_if_fail (CS_IS_TABLE_READER (self), 0);

  if (self->csv != NULL)
    return cs_csv_reader_get_n_fields (self->csv);
  return self->fields->len - 1;
}

const char *
cs_table_reader_get_field (CsTableReader *self,
                           guint          index)
{
  g_return_val_if_fail (CS_IS_TABLE_READER (self), NULL);
  g_return_val_if_fail (index < cs_table_reader_get_n_fields (self), NULL);

  return cs_table_reader_get_fields (self)[index];
}

GStrv
cs_table_reader_dup_fields (CsTableReader *self)
{
  g_return_val_if_fail (CS_IS_TABLE_READER (self), NULL);

  return g_strdupv ((char **) cs_table_reader_get_fields (self));
}

gint64
cs_table_reader_get_line (CsTableReader *self)
{
  g_return_val_if_fail (CS_IS_TABLE_READER (self), 0);

  if (self->csv != NULL)
    return cs_csv_reader_get_line (self->csv);
  return self->line;
}

const char *
cs_table_reader_get_raw (CsTableReader *self,
                         gsize         *length)
{
  g_return_val_if_fail (CS_IS_TABLE_READER (self), NULL);

  if (self->csv != NULL)
    return cs_csv_reader_get_raw (self->csv, length);
  if (length != NULL)
    *length = self->raw->len;
  return self->raw->str;
}

const char *
cs_table_reader_get_problem (CsTableReader *self)
{
  g_return_val_if_fail (CS_IS_TABLE_READER (self), NULL);

  if (self->csv != NULL)
    return cs_csv_reader_get_problem (self->csv);
  return self->problem;
}

gint64
cs_table_reader_get_n_records (CsTableReader *self)
{
  g_return_val_if_fail (CS_IS_TABLE_READER (self), 0);

  return self->n_records;
}

guint64
cs_table_reader_get_bytes_read (CsTableReader *self)
{
  g_return_val_if_fail (CS_IS_TABLE_READER (self), 0);

  if (self->backend != NULL && self->backend->bytes_read != NULL)
    return self->backend->bytes_read (self, self->backend_state);
  if (self->base != NULL && G_IS_SEEKABLE (self->base))
    return g_seekable_tell (G_SEEKABLE (self->base));
  return 0;
}

guint64
cs_table_reader_get_total_bytes (CsTableReader *self)
{
  g_return_val_if_fail (CS_IS_TABLE_READER (self), 0);

  return self->total_bytes;
}

CsTableFormat
cs_table_reader_get_format_id (CsTableReader *self)
{
  g_return_val_if_fail (CS_IS_TABLE_READER (self), CS_TABLE_FORMAT_AUTO);

  if (self->csv != NULL)
    return cs_csv_reader_get_delimiter (self->csv) == '\t' ? CS_TABLE_FORMAT_TSV
                                                           : CS_TABLE_FORMAT_CSV;
  return self->format;
}

const char *
cs_table_reader_get_format (CsTableReader *self)
{
  g_return_val_if_fail (CS_IS_TABLE_READER (self), NULL);

  return cs_table_format_get_name (cs_table_reader_get_format_id (self));
}

const char *
cs_table_reader_get_encoding (CsTableReader *self)
{
  g_return_val_if_fail (CS_IS_TABLE_READER (self), NULL);

  return self->encoding;
}

char
cs_table_reader_get_delimiter (CsTableReader *self)
{
  g_return_val_if_fail (CS_IS_TABLE_READER (self), 0);

  return self->csv != NULL ? cs_csv_reader_get_delimiter (self->csv) : 0;
}

const char *
cs_table_reader_get_sheet (CsTableReader *self)
{
  g_return_val_if_fail (CS_IS_TABLE_READER (self), NULL);

  return self->sheet;
}

/* For the back ends */

const char *
cs_table_reader_get_display_name (CsTableReader *self)
{
  return self->display_name;
}

gsize
cs_table_reader_get_max_field (CsTableReader *self)
{
  return self->max_field;
}

GInputStream *
cs_table_reader_get_text_stream (CsTableReader *self)
{
  return self->text;
}

void
cs_table_reader_set_backend (CsTableReader        *self,
                             const CsTableBackend *backend,
                             gpointer              state)
{
  self->backend = backend;
  self->backend_state = state;
}

void
cs_table_reader_set_total (CsTableReader *self,
                           guint64        total)
{
  self->total_bytes = total;
}

void
cs_table_reader_set_sheet (CsTableReader *self,
                           const char    *sheet)
{
  g_free (self->sheet);
  self->sheet = g_strdup (sheet);
}

void
cs_table_reader_clear_record (CsTableReader *self)
{
  g_ptr_array_set_size (self->fields, 0);
  g_ptr_array_add (self->fields, NULL);
  g_string_truncate (self->raw, 0);
  g_clear_pointer (&self->problem, g_free);
}

void
cs_table_reader_add_field (CsTableReader *self,
                           char          *field)
{
  /* Replace the terminating NULL, then terminate again. */
  g_ptr_array_index (self->fields, self->fields->len - 1) = field;
  g_ptr_array_add (self->fields, NULL);
}

GString *
cs_table_reader_get_raw_buffer (CsTableReader *self)
{
  return self->raw;
}

void
cs_table_reader_set_line (CsTableReader *self,
                          gint64         line)
{
  self->line = line;
}

void
cs_table_reader_take_problem (CsTableReader *self,
                              char          *problem)
{
  if (self->problem == NULL)
    self->problem = problem;
  else
    g_free (problem);
}
