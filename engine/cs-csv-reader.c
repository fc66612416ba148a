/* cs-csv-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <string.h>

#include "cs-csv-reader.h"
#include "cs-error.h"

/* Large enough that read() calls are rare, small enough to stay in cache. */
#define CHUNK_SIZE (64 * 1024)

typedef enum
{
  STATE_FIELD_START,
  STATE_UNQUOTED,
  STATE_QUOTED,
  STATE_QUOTE_IN_QUOTED,  /* a quote inside a quoted field: closes it or doubles */
} State;

struct _CsCsvReader
{
  GObject       parent_instance;

  GInputStream *stream;
  guint8       *buf;
  gsize         buf_len;
  gsize         buf_pos;
  gsize         raw_seg;      /* start in buf of the raw text not yet copied */
  guint64       buf_offset;   /* stream offset of buf[0] */
  gboolean      eof;
  gboolean      started;

  char          delimiter;
  char          line_char;    /* '\n', or '\r' for old Mac text */
  gboolean      had_bom;
  guint8        unquoted_special[256];
  guint8        quoted_special[256];

  GString      *raw;
  GString      *data;         /* the fields, each followed by a NUL */
  GArray       *starts;       /* gsize: offset of each field in data */
  GPtrArray    *fields;
  char         *problem;

  gint64        line;         /* line of the next byte to read */
  gint64        record_line;
  gint64        n_records;
  guint64       total_bytes;
  gsize         max_field;
};

G_DEFINE_FINAL_TYPE (CsCsvReader, cs_csv_reader, G_TYPE_OBJECT)

static void
cs_csv_reader_finalize (GObject *object)
{
  CsCsvReader *self = CS_CSV_READER (object);

  g_clear_object (&self->stream);
  g_clear_pointer (&self->buf, g_free);
  g_string_free (self->raw, TRUE);
  g_string_free (self->data, TRUE);
  g_clear_pointer (&self->starts, g_array_unref);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->problem, g_free);

  G_OBJECT_CLASS (cs_csv_reader_parent_class)->finalize (object);
}

static void
cs_csv_reader_class_init (CsCsvReaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cs_csv_reader_finalize;
}

static void
cs_csv_reader_init (CsCsvReader *self)
{
  self->buf = g_malloc (CHUNK_SIZE);
  self->raw = g_string_sized_new (256);
  self->data = g_string_sized_new (256);
  self->starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->fields = g_ptr_array_new ();
  self->line = 1;
  self->line_char = '\n';
  self->max_field = CS_CSV_READER_DEFAULT_MAX_FIELD;
  g_ptr_array_add (self->fields, NULL);
}

CsCsvReader *
cs_csv_reader_new (GInputStream *stream,
                   char          delimiter)
{
  CsCsvReader *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (delimiter != '"' && delimiter != '\n' && delimiter != '\r', NULL);

  self = g_object_new (CS_TYPE_CSV_READER, NULL);
  self->stream = g_object_ref (stream);
  self->delimiter = delimiter;

  if (G_IS_FILE_INPUT_STREAM (stream))
    {
      g_autoptr(GFileInfo) info =
        g_file_input_stream_query_info (G_FILE_INPUT_STREAM (stream),
                                        G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                        NULL, NULL);

      if (info != NULL)
        self->total_bytes = g_file_info_get_size (info);
    }

  return self;
}

GInputStream *
cs_csv_reader_open_path (const char  *path,
                         GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  file = g_file_new_for_path (path);
  /* g_file_read() opens read-only: the source is never changed (DESIGN §5). */
  stream = g_file_read (file, NULL, &local_error);
  if (stream != NULL)
    return G_INPUT_STREAM (g_steal_pointer (&stream));

  name = g_filename_display_name (path);
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_OPEN,
                 _("The file “%s” does not exist"), name);
  else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
    g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_OPEN,
                 _("“%s” is a folder, not a file"), name);
  else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_OPEN,
                 _("You are not allowed to read “%s”"), name);
  else
    g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_OPEN,
                 _("Cannot open “%s”: %s"), name, local_error->message);
  return NULL;
}

CsCsvReader *
cs_csv_reader_new_for_path (const char  *path,
                            char         delimiter,
                            GError     **error)
{
  g_autoptr(GInputStream) stream = cs_csv_reader_open_path (path, error);

  if (stream == NULL)
    return NULL;
  return cs_csv_reader_new (stream, delimiter);
}

/* Copies the raw text consumed since raw_seg into self->raw. */
static gboolean
flush_raw (CsCsvReader  *self,
           GError      **error)
{
  if (self->buf_pos > self->raw_seg)
    g_string_append_len (self->raw, (const char *) self->buf + self->raw_seg,
                         self->buf_pos - self->raw_seg);
  self->raw_seg = self->buf_pos;

  if (self->raw->len > 2 * self->max_field)
    {
      g_autofree char *size = g_format_size_full (2 * (guint64) self->max_field,
                                                  G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT,
                   _("Line %" PRId64 " starts a row longer than %s; "
                     "the file is damaged or is not a text table"),
                   self->record_line, size);
      return FALSE;
    }
  return TRUE;
}

/* Makes at least @want bytes available from buf_pos unless the input ends
 * first. The unread bytes move to the start of the buffer. */
static gboolean
ensure (CsCsvReader   *self,
        gsize          want,
        GCancellable  *cancellable,
        GError       **error)
{
  gsize kept;
  gsize n_read = 0;

  g_assert (want <= CHUNK_SIZE);

  if (self->buf_len - self->buf_pos >= want || self->eof)
    return TRUE;

  if (!flush_raw (self, error))
    return FALSE;

  kept = self->buf_len - self->buf_pos;
  memmove (self->buf, self->buf + self->buf_pos, kept);
  self->buf_offset += self->buf_pos;
  self->buf_pos = 0;
  self->raw_seg = 0;
  self->buf_len = kept;

  if (!g_input_stream_read_all (self->stream, self->buf + kept, CHUNK_SIZE - kept,
                                &n_read, cancellable, error))
    return FALSE;

  self->buf_len += n_read;
  /* read_all() returns short only at the end of the stream. */
  if (n_read < CHUNK_SIZE - kept)
    self->eof = TRUE;
  return TRUE;
}

static void
set_delimiter (CsCsvReader *self,
               char         delimiter)
{
  self->delimiter = delimiter;

  memset (self->unquoted_special, 0, sizeof self->unquoted_special);
  self->unquoted_special[(guint8) delimiter] = 1;
  self->unquoted_special['\n'] = 1;
  self->unquoted_special['\r'] = 1;

  memset (self->quoted_special, 0, sizeof self->quoted_special);
  self->quoted_special['"'] = 1;
  self->quoted_special[(guint8) self->line_char] = 1;
}

/* The candidate seen most often outside quotes on the first line; ties go to
 * the earlier candidate, and a line without any means one column (comma). */
static char
detect_delimiter (CsCsvReader *self)
{
  static const char candidates[] = { '\t', ',', ';', '|' };
  guint counts[G_N_ELEMENTS (candidates)] = { 0, };
  gboolean in_quotes = FALSE;
  char best = ',';
  guint best_count = 0;

  for (gsize i = self->buf_pos; i < self->buf_len; i++)
    {
      char c = self->buf[i];

      if (c == '"')
        in_quotes = !in_quotes;
      else if (!in_quotes && c == self->line_char)
        break;
      else if (!in_quotes)
        for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
          if (c == candidates[k])
            counts[k]++;
    }

  for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
    if (counts[k] > best_count)
      {
        best = candidates[k];
        best_count = counts[k];
      }
  return best;
}

static gboolean
start (CsCsvReader   *self,
       GCancellable  *cancellable,
       GError       **error)
{
  const guint8 *p;
  gsize n;

  if (!ensure (self, CHUNK_SIZE, cancellable, error))
    return FALSE;

  p = self->buf;
  n = self->buf_len;
  if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
    {
      self->had_bom = TRUE;
      self->buf_pos = self->raw_seg = 3;
    }
  else if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)))
    {
      g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_ENCODING,
                   _("The file is UTF-16 text, which this version cannot read yet; "
                     "save it as UTF-8 (“CSV UTF-8” in Excel) and import it again"));
      return FALSE;
    }

  /* Text from old Macs ends lines with CR alone. Anything with an LF is read
   * with LF (or CRLF) line ends, where a lone CR is data. */
  p = self->buf + self->buf_pos;
  n = self->buf_len - self->buf_pos;
  if (memchr (p, '\n', n) == NULL && memchr (p, '\r', n) != NULL)
    self->line_char = '\r';

  set_delimiter (self, self->delimiter != 0 ? self->delimiter : detect_delimiter (self));
  self->started = TRUE;
  return TRUE;
}

static gboolean
check_field_length (CsCsvReader  *self,
                    gsize         field_start,
                    GError      **error)
{
  if (self->data->len - field_start > self->max_field)
    {
      g_autofree char *size = g_format_size_full (self->max_field, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT,
                   _("Line %" PRId64 " holds a value longer than %s; "
                     "the file is damaged or is not a text table"),
                   self->record_line, size);
      return FALSE;
    }
  return TRUE;
}

static void
end_field (CsCsvReader *self,
           gsize       *field_start)
{
  g_string_append_c (self->data, '\0');
  *field_start = self->data->len;
  g_array_append_val (self->starts, *field_start);
}

gboolean
cs_csv_reader_next (CsCsvReader   *self,
                    GCancellable  *cancellable,
                    GError       **error)
{
  State state = STATE_FIELD_START;
  gsize field_start = 0;
  gsize term_len = 0;
  gint64 quote_line = 0;

  g_return_val_if_fail (CS_IS_CSV_READER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_string_truncate (self->raw, 0);
  g_string_truncate (self->data, 0);
  g_array_set_size (self->starts, 0);
  g_ptr_array_set_size (self->fields, 0);
  g_ptr_array_add (self->fields, NULL);
  g_clear_pointer (&self->problem, g_free);

  if (!self->started && !start (self, cancellable, error))
    return FALSE;

  if (!ensure (self, 1, cancellable, error))
    return FALSE;
  if (self->buf_pos >= self->buf_len)
    return FALSE;

  self->record_line = self->line;
  self->raw_seg = self->buf_pos;
  g_array_append_val (self->starts, field_start);

  for (;;)
    {
      const guint8 *buf;
      gsize pos, len;
      guint8 c;

      if (self->buf_pos >= self->buf_len)
        {
          if (!ensure (self, 1, cancellable, error))
            return FALSE;
          if (self->buf_pos >= self->buf_len)
            break;  /* end of input ends the record */
        }

      buf = self->buf;
      pos = self->buf_pos;
      len = self->buf_len;

      switch (state)
        {
        case STATE_FIELD_START:
          if (buf[pos] == '"')
            {
              self->buf_pos++;
              state = STATE_QUOTED;
              quote_line = self->line;
              continue;
            }
          state = STATE_UNQUOTED;
          G_GNUC_FALLTHROUGH;

        case STATE_UNQUOTED:
          {
            gsize p = pos;

            while (p < len && !self->unquoted_special[buf[p]])
              p++;
            if (p > pos)
              {
                g_string_append_len (self->data, (const char *) buf + pos, p - pos);
                self->buf_pos = p;
                if (!check_field_length (self, field_start, error))
                  return FALSE;
              }
            if (p == len)
              continue;

            c = buf[p];
            if (c == (guint8) self->delimiter)
              {
                self->buf_pos++;
                end_field (self, &field_start);
                state = STATE_FIELD_START;
                continue;
              }
            if (c == '\n' && self->line_char == '\n')
              {
                self->buf_pos++;
                self->line++;
                term_len = 1;
                goto end_record;
              }
            if (c == '\r')
              {
                if (!ensure (self, 2, cancellable, error))
                  return FALSE;
                pos = self->buf_pos;
                if (pos + 1 < self->buf_len && self->buf[pos + 1] == '\n')
                  {
                    self->buf_pos += 2;
                    self->line++;
                    term_len = 2;
                    goto end_record;
                  }
                if (self->line_char == '\r')
                  {
                    self->buf_pos++;
                    self->line++;
                    term_len = 1;
                    goto end_record;
                  }
              }
            /* A lone CR with LF line ends, or an LF in old Mac text. */
            g_string_append_c (self->data, (char) c);
            self->buf_pos++;
          }
          break;

        case STATE_QUOTED:
          {
            gsize p = pos;

            while (p < len && !self->quoted_special[buf[p]])
              p++;
            if (p > pos)
              {
                g_string_append_len (self->data, (const char *) buf + pos, p - pos);
                self->buf_pos = p;
                if (!check_field_length (self, field_start, error))
                  return FALSE;
              }
            if (p == len)
              continue;

            c = buf[p];
            self->buf_pos++;
            if (c == '"')
              state = STATE_QUOTE_IN_QUOTED;
            else
              {
                /* A line break inside quotes is part of the value. */
                g_string_append_c (self->data, (char) c);
                self->line++;
              }
          }
          break;

        case STATE_QUOTE_IN_QUOTED:
          if (buf[pos] == '"')
            {
              g_string_append_c (self->data, '"');
              self->buf_pos++;
              state = STATE_QUOTED;
            }
          else
            {
              /* The quote closed the field. Text after it before the next
               * delimiter is kept, as spreadsheets do with `"a"b`. */
              state = STATE_UNQUOTED;
            }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  /* The input ended inside this record. */
  if (state == STATE_QUOTED)
    self->problem = g_strdup_printf (_("a quoted value that starts on line %" PRId64
                                       " is never closed, so the rest of the file was read as "
                                       "one value"),
                                     quote_line);

end_record:
  if (!flush_raw (self, error))
    return FALSE;
  g_assert (self->raw->len >= term_len);
  g_string_truncate (self->raw, self->raw->len - term_len);
  g_string_append_c (self->data, '\0');

  g_ptr_array_set_size (self->fields, 0);
  for (guint i = 0; i < self->starts->len; i++)
    g_ptr_array_add (self->fields,
                     self->data->str + g_array_index (self->starts, gsize, i));
  g_ptr_array_add (self->fields, NULL);

  /* Validating the raw text covers every field. It also refuses NUL bytes,
   * which cannot be in text and would cut the field short. */
  if (self->problem == NULL && !g_utf8_validate_len (self->raw->str, self->raw->len, NULL))
    self->problem = g_strdup (_("the line is not valid UTF-8 text; the file may be in "
                                "another encoding or not be text"));

  self->n_records++;
  return TRUE;
}

const char * const *
cs_csv_reader_get_fields (CsCsvReader *self)
{
  g_return_val_if_fail (CS_IS_CSV_READER (self), NULL);

  return (const char * const *) self->fields->pdata;
}

guint
cs_csv_reader_get_n_fields (CsCsvReader *self)
{
  g_return_val_if_fail (CS_IS_CSV_READER (self), 0);

  return self->fields->len - 1;
}

const char *
cs_csv_reader_get_field (CsCsvReader *self,
                         guint        index)
{
  g_return_val_if_fail (CS_IS_CSV_READER (self), NULL);
  g_return_val_if_fail (index + 1 < self->fields->len, NULL);

  return g_ptr_array_index (self->fields, index);
}

GStrv
cs_csv_reader_dup_fields (CsCsvReader *self)
{
  g_return_val_if_fail (CS_IS_CSV_READER (self), NULL);

  return g_strdupv ((char **) self->fields->pdata);
}

gint64
cs_csv_reader_get_line (CsCsvReader *self)
{
  g_return_val_if_fail (CS_IS_CSV_READER (self), 0);

  return self->record_line;
}

const char *
cs_csv_reader_get_raw (CsCsvReader *self,
                       gsize       *length)
{
  g_return_val_if_fail (CS_IS_CSV_READER (self), NULL);

  if (length != NULL)
    *length = self->raw->len;
  return self->raw->str;
}

const char *
cs_csv_reader_get_problem (CsCsvReader *self)
{
  g_return_val_if_fail (CS_IS_CSV_READER (self), NULL);

  return self->problem;
}

gint64
cs_csv_reader_get_n_records (CsCsvReader *self)
{
  g_return_val_if_fail (CS_IS_CSV_READER (self), 0);

  return self->n_records;
}

char
cs_csv_reader_get_delimiter (CsCsvReader *self)
{
  g_return_val_if_fail (CS_IS_CSV_READER (self), 0);

  return self->delimiter;
}

gboolean
cs_csv_reader_get_had_bom (CsCsvReader *self)
{
  g_return_val_if_fail (CS_IS_CSV_READER (self), FALSE);

  return self->had_bom;
}

guint64
cs_csv_reader_get_bytes_read (CsCsvReader *self)
{
  g_return_val_if_fail (CS_IS_CSV_READER (self), 0);

  return self->buf_offset + self->buf_pos;
}

guint64
cs_csv_reader_get_total_bytes (CsCsvReader *self)
{
  g_return_val_if_fail (CS_IS_CSV_READER (self), 0);

  return self->total_bytes;
}

void
cs_csv_reader_set_total_bytes (CsCsvReader *self,
                               guint64      total)
{
  g_return_if_fail (CS_IS_CSV_READER (self));

  self->total_bytes = total;
}

gsize
cs_csv_reader_get_max_field (CsCsvReader *self)
{
  g_return_val_if_fail (CS_IS_CSV_READER (self), 0);

  return self->max_field;
}

void
cs_csv_reader_set_max_field (CsCsvReader *self,
                             gsize        max_field)
{
  g_return_if_fail (CS_IS_CSV_READER (self));
  g_return_if_fail (max_field > 0);

  self->max_field = max_field;
}

const char *
cs_csv_delimiter_get_name (char delimiter)
{
  switch (delimiter)
    {
    case ',':
      return _("comma");
    case '\t':
      return _("tab");
    case ';':
      return _("semicolon");
    case '|':
      return _("vertical bar");
    case ' ':
      return _("space");
    default:
      return _("other");
    }
}
