/* cs-table-reader-json.c: JSON arrays of objects and JSON Lines, streaming.
 *
 * yajl (a push parser) is fed the text piece by piece; its callbacks build
 * records into a queue that cs_table_reader_next() drains. JSON arrays are
 * fed one line at a time so that the callbacks know the line they are on;
 * JSON Lines are parsed one line at a time, each with a fresh parser, so that
 * a broken line is a problem on that record and the next line reads again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <string.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>

#include "cs-error.h"
#include "cs-table-reader-private.h"

#define CHUNK_SIZE (64 * 1024)

typedef enum
{
  KIND_STRING,   /* raw: quoted and escaped */
  KIND_LITERAL,  /* raw: as is (numbers, true, false, nested JSON) */
  KIND_NULL,     /* field: empty; raw: null */
} Kind;

typedef struct
{
  gint64     line;
  GPtrArray *keys;
  GPtrArray *values;
  GArray    *kinds;    /* guint8 Kind */
  char      *raw;      /* NULL until built */
  char      *problem;
} Record;

typedef struct
{
  CsTableReader *reader;
  GInputStream  *stream;
  gboolean       lines;
  int            elem_depth;     /* depth of the records' containers: 0 or 1 */

  yajl_handle    parser;
  yajl_gen       capture;        /* text of a nested value, or a bad item */
  int            capture_depth;  /* depth where the capture started, or -1 */
  gboolean       capture_is_item;
  int            depth;
  gboolean       array_open;
  Record        *building;
  char          *key;
  GQueue         ready;
  char          *fatal;          /* set by a callback that cancelled the parse */
  gsize          fed_since_event;

  guint8        *buf;
  gsize          buf_len;
  gsize          buf_pos;
  gboolean       eof;
  gboolean       finished;
  gboolean       saw_text;
  gint64         line;           /* line of buf[buf_pos] */
  GString       *line_text;      /* JSON Lines: the current line */

  GPtrArray     *columns;
  GHashTable    *column_index;   /* key → index + 1 */
  GQueue         held;           /* records read to find the header */
  gboolean       header_sent;
  GError        *held_error;     /* met while reading those: after them */
} State;

static void
record_free (Record *record)
{
  g_ptr_array_unref (record->keys);
  g_ptr_array_unref (record->values);
  g_array_unref (record->kinds);
  g_free (record->raw);
  g_free (record->problem);
  g_free (record);
}

static Record *
record_new (gint64 line)
{
  Record *record = g_new0 (Record, 1);

  record->line = line;
  record->keys = g_ptr_array_new_with_free_func (g_free);
  record->values = g_ptr_array_new_with_free_func (g_free);
  record->kinds = g_array_new (FALSE, FALSE, sizeof (guint8));
  return record;
}

static void
state_free (gpointer data)
{
  State *state = data;

  if (state->parser != NULL)
    yajl_free (state->parser);
  if (state->capture != NULL)
    yajl_gen_free (state->capture);
  if (state->building != NULL)
    record_free (state->building);
  g_free (state->key);
  g_queue_clear_full (&state->ready, (GDestroyNotify) record_free);
  g_queue_clear_full (&state->held, (GDestroyNotify) record_free);
  g_clear_error (&state->held_error);
  g_free (state->fatal);
  g_free (state->buf);
  g_string_free (state->line_text, TRUE);
  g_ptr_array_unref (state->columns);
  g_hash_table_unref (state->column_index);
  g_free (state);
}

/* Parser callbacks */

static void
add_value (State      *state,
           char       *key,
           char       *value,
           Kind        kind)
{
  Record *record = state->building;

  for (guint i = 0; i < record->keys->len; i++)
    if (strcmp (g_ptr_array_index (record->keys, i), key) == 0 && record->problem == NULL)
      record->problem = g_strdup_printf (_("the key “%s” appears twice in one object"), key);
  g_ptr_array_add (record->keys, key);
  g_ptr_array_add (record->values, value);
  g_array_append_vals (record->kinds, &(guint8) { kind }, 1);
}

/* An item of the array (or a JSON Lines value) that is not an object. */
static void
add_bad_item (State      *state,
              const char *text,
              gsize       len)
{
  Record *record = record_new (state->line);

  record->raw = g_strndup (text, len);
  record->problem = g_strdup (state->lines ? _("the line holds a JSON value that is not an object")
                                           : _("an item of the array is not an object"));
  g_queue_push_tail (&state->ready, record);
}

static void
start_capture (State    *state,
               gboolean  is_item)
{
  if (state->capture == NULL)
    state->capture = yajl_gen_alloc (NULL);
  yajl_gen_reset (state->capture, NULL);
  yajl_gen_clear (state->capture);
  state->capture_depth = state->depth;
  state->capture_is_item = is_item;
}

static void
end_capture (State *state)
{
  const unsigned char *text;
  size_t len;

  yajl_gen_get_buf (state->capture, &text, &len);
  if (state->capture_is_item)
    add_bad_item (state, (const char *) text, len);
  else
    add_value (state, g_steal_pointer (&state->key), g_strndup ((const char *) text, len),
               KIND_LITERAL);
  state->capture_depth = -1;
}

static int
fail (State      *state,
      const char *message)
{
  g_free (state->fatal);
  state->fatal = g_strdup (message);
  return 0;
}

/* A scalar: @text is its field text, @literal its JSON text (NULL for
 * strings). */
static int
on_scalar (State      *state,
           const char *text,
           gsize       len,
           Kind        kind)
{
  state->fed_since_event = 0;
  if (state->capture_depth >= 0)
    {
      if (kind == KIND_STRING)
        yajl_gen_string (state->capture, (const unsigned char *) text, len);
      else
        yajl_gen_number (state->capture, kind == KIND_NULL ? "null" : text,
                         kind == KIND_NULL ? 4 : len);
      return 1;
    }
  if (!state->lines && state->depth == 0)
    return fail (state, _("the JSON text is not an array of objects"));
  if (state->depth == state->elem_depth)
    {
      g_autoptr(GString) raw = g_string_new (NULL);

      if (kind == KIND_STRING)
        {
          /* Quoted as in the file, for the list of rejected rows. */
          yajl_gen gen = yajl_gen_alloc (NULL);
          const unsigned char *out;
          size_t out_len;

          yajl_gen_string (gen, (const unsigned char *) text, len);
          yajl_gen_get_buf (gen, &out, &out_len);
          g_string_append_len (raw, (const char *) out, out_len);
          yajl_gen_free (gen);
        }
      else
        g_string_append_len (raw, kind == KIND_NULL ? "null" : text, kind == KIND_NULL ? 4 : len);
      add_bad_item (state, raw->str, raw->len);
      return 1;
    }
  add_value (state, g_steal_pointer (&state->key),
             kind == KIND_NULL ? g_strdup ("") : g_strndup (text, len), kind);
  return 1;
}

static int
on_null (void *ctx)
{
  return on_scalar (ctx, "", 0, KIND_NULL);
}

static int
on_boolean (void *ctx,
            int   value)
{
  return on_scalar (ctx, value ? "true" : "false", value ? 4 : 5, KIND_LITERAL);
}

static int
on_number (void       *ctx,
           const char *text,
           size_t      len)
{
  return on_scalar (ctx, text, len, KIND_LITERAL);
}

static int
on_string (void                *ctx,
           const unsigned char *text,
           size_t               len)
{
  return on_scalar (ctx, (const char *) text, len, KIND_STRING);
}

static int
on_map_key (void                *ctx,
            const unsigned char *text,
            size_t               len)
{
  State *state = ctx;

  state->fed_since_event = 0;
  if (state->capture_depth >= 0)
    yajl_gen_string (state->capture, text, len);
  else
    {
      g_free (state->key);
      state->key = g_strndup ((const char *) text, len);
    }
  return 1;
}

static int
on_start (State    *state,
          gboolean  map)
{
  state->fed_since_event = 0;
  if (state->capture_depth < 0)
    {
      if (!state->lines && state->depth == 0)
        {
          if (map)
            return fail (state, _("the JSON text is one object, not an array of objects"));
          state->array_open = TRUE;
          state->depth++;
          return 1;
        }
      if (state->depth == state->elem_depth && map)
        {
          state->building = record_new (state->line);
          state->depth++;
          return 1;
        }
      start_capture (state, state->depth == state->elem_depth);
    }
  if (map)
    yajl_gen_map_open (state->capture);
  else
    yajl_gen_array_open (state->capture);
  state->depth++;
  return 1;
}

static int
on_end (State    *state,
        gboolean  map)
{
  state->fed_since_event = 0;
  state->depth--;
  if (state->capture_depth >= 0)
    {
      if (map)
        yajl_gen_map_close (state->capture);
      else
        yajl_gen_array_close (state->capture);
      if (state->depth == state->capture_depth)
        end_capture (state);
      return 1;
    }
  if (state->building != NULL && state->depth == state->elem_depth)
    {
      g_queue_push_tail (&state->ready, g_steal_pointer (&state->building));
      return 1;
    }
  /* The closing bracket of the array. */
  state->array_open = FALSE;
  return 1;
}

static int
on_start_map (void *ctx)
{
  return on_start (ctx, TRUE);
}

static int
on_end_map (void *ctx)
{
  return on_end (ctx, TRUE);
}

static int
on_start_array (void *ctx)
{
  return on_start (ctx, FALSE);
}

static int
on_end_array (void *ctx)
{
  return on_end (ctx, FALSE);
}

static const yajl_callbacks callbacks = {
  .yajl_null = on_null,
  .yajl_boolean = on_boolean,
  .yajl_number = on_number,
  .yajl_string = on_string,
  .yajl_start_map = on_start_map,
  .yajl_map_key = on_map_key,
  .yajl_end_map = on_end_map,
  .yajl_start_array = on_start_array,
  .yajl_end_array = on_end_array,
};

/* "invalid object key (must be a string) near “,}”". */
static char *
describe_parse_error (State        *state,
                      const guint8 *text,
                      gsize         len)
{
  unsigned char *message = yajl_get_error (state->parser, 0, text, len);
  const char *what = (const char *) message;
  const char *colon = strstr (what, ": ");
  g_autofree char *clean = NULL;
  g_autofree char *near = NULL;
  gsize at = MIN (yajl_get_bytes_consumed (state->parser), len);
  gsize from = at > 12 ? at - 12 : 0;
  gsize to = MIN (len, at + 12);

  if (state->fatal != NULL)
    {
      yajl_free_error (state->parser, message);
      return g_strdup (state->fatal);
    }
  if (colon != NULL)
    what = colon + 2;
  clean = g_strstrip (g_strdup (what));
  yajl_free_error (state->parser, message);
  if (g_str_has_suffix (clean, "."))
    clean[strlen (clean) - 1] = '\0';
  if (strcmp (clean, "premature EOF") == 0)
    return g_strdup (_("the text ends before the JSON value is complete"));

  while (to > from && (text[to - 1] == '\n' || text[to - 1] == '\r'))
    to--;
  if (to <= from)
    return g_steal_pointer (&clean);
  near = g_utf8_make_valid ((const char *) text + from, to - from);
  g_strdelimit (near, "\n\r\t", ' ');
  /* TRANSLATORS: %s is yajl's (English) description, then a piece of the text. */
  return g_strdup_printf (_("%s, near “%s”"), clean, near);
}

static yajl_handle
new_parser (State *state)
{
  yajl_handle parser = yajl_alloc (&callbacks, NULL, state);

  /* Strings must be valid UTF-8; comments are not JSON. */
  yajl_config (parser, yajl_allow_comments, 0);
  return parser;
}

/* Input */

static gboolean
fill (State         *state,
      GCancellable  *cancellable,
      GError       **error)
{
  gsize n = 0;

  if (state->buf_pos < state->buf_len || state->eof)
    return TRUE;
  if (!g_input_stream_read_all (state->stream, state->buf, CHUNK_SIZE, &n, cancellable, error))
    return FALSE;
  state->buf_len = n;
  state->buf_pos = 0;
  if (n < CHUNK_SIZE)
    state->eof = TRUE;
  return TRUE;
}

static void
set_syntax_error (State   *state,
                  gint64   line,
                  char    *what,
                  GError **error)
{
  if (state->fatal != NULL)
    g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT,
                 _("“%s” cannot be read as a table: %s; Clipscope reads JSON arrays of "
                   "objects and JSON Lines (one object per line)"),
                 cs_table_reader_get_display_name (state->reader), state->fatal);
  else
    g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT,
                 _("Line %" PRId64 " of “%s” is not valid JSON: %s; correct the file or "
                   "export it again"),
                 line, cs_table_reader_get_display_name (state->reader), what);
  g_free (what);
}

/* JSON arrays: feeds the parser until a record is ready or the text ends. */
static gboolean
feed_array (State         *state,
            GCancellable  *cancellable,
            GError       **error)
{
  gsize max_field = cs_table_reader_get_max_field (state->reader);

  while (g_queue_is_empty (&state->ready) && !state->finished)
    {
      const guint8 *piece, *nl;
      gsize len;
      yajl_status status;

      if (!fill (state, cancellable, error))
        return FALSE;

      if (state->buf_pos >= state->buf_len)
        {
          state->finished = TRUE;
          if (!state->saw_text)
            return TRUE;
          status = yajl_complete_parse (state->parser);
          if (status == yajl_status_ok)
            return TRUE;
          if (state->array_open || state->depth > 0)
            g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT,
                         _("“%s” ends before its JSON array is closed (line %" PRId64 "); "
                           "the file may be cut short"),
                         cs_table_reader_get_display_name (state->reader), state->line);
          else
            set_syntax_error (state, state->line, describe_parse_error (state, NULL, 0), error);
          return FALSE;
        }

      piece = state->buf + state->buf_pos;
      nl = memchr (piece, '\n', state->buf_len - state->buf_pos);
      len = nl != NULL ? (gsize) (nl - piece) + 1 : state->buf_len - state->buf_pos;
      state->buf_pos += len;

      for (gsize i = 0; i < len && !state->saw_text; i++)
        state->saw_text = !g_ascii_isspace (piece[i]);

      status = yajl_parse (state->parser, piece, len);
      if (status != yajl_status_ok)
        {
          set_syntax_error (state, state->line, describe_parse_error (state, piece, len), error);
          return FALSE;
        }
      if (nl != NULL)
        state->line++;

      state->fed_since_event += len;
      if (state->fed_since_event > max_field)
        {
          g_autofree char *size = g_format_size_full (max_field, G_FORMAT_SIZE_IEC_UNITS);

          g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT,
                       _("Line %" PRId64 " of “%s” holds a value longer than %s; the file is "
                         "damaged or is not a table"),
                       state->line, cs_table_reader_get_display_name (state->reader), size);
          return FALSE;
        }
    }
  return TRUE;
}

/* JSON Lines: reads the next line that is not blank into line_text. */
static gboolean
read_line (State         *state,
           gint64        *line,
           GCancellable  *cancellable,
           GError       **error)
{
  gsize limit = 2 * cs_table_reader_get_max_field (state->reader);

  for (;;)
    {
      gboolean blank = TRUE;
      gboolean ended = FALSE;

      g_string_truncate (state->line_text, 0);
      *line = state->line;
      while (!ended)
        {
          const guint8 *p, *nl;
          gsize len;

          if (!fill (state, cancellable, error))
            return FALSE;
          if (state->buf_pos >= state->buf_len)
            {
              if (state->line_text->len == 0)
                return TRUE;
              break;
            }
          p = state->buf + state->buf_pos;
          nl = memchr (p, '\n', state->buf_len - state->buf_pos);
          len = nl != NULL ? (gsize) (nl - p) : state->buf_len - state->buf_pos;
          g_string_append_len (state->line_text, (const char *) p, len);
          state->buf_pos += len + (nl != NULL);
          ended = nl != NULL;
          if (state->line_text->len > limit)
            {
              g_autofree char *size = g_format_size_full (limit, G_FORMAT_SIZE_IEC_UNITS);

              g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT,
                           _("Line %" PRId64 " of “%s” is longer than %s; the file is "
                             "damaged or is not a table"),
                           *line, cs_table_reader_get_display_name (state->reader), size);
              return FALSE;
            }
        }
      if (ended)
        state->line++;
      if (state->line_text->len > 0 && state->line_text->str[state->line_text->len - 1] == '\r')
        g_string_truncate (state->line_text, state->line_text->len - 1);

      for (gsize i = 0; i < state->line_text->len && blank; i++)
        blank = g_ascii_isspace (state->line_text->str[i]);
      if (!blank)
        return TRUE;
      if (!ended)
        {
          g_string_truncate (state->line_text, 0);
          return TRUE;
        }
    }
}

static gboolean
feed_line (State         *state,
           GCancellable  *cancellable,
           GError       **error)
{
  gint64 line;
  yajl_status status;
  const guint8 *text;
  gsize len;
  Record *record;

  if (state->finished)
    return TRUE;
  if (!read_line (state, &line, cancellable, error))
    return FALSE;
  if (state->line_text->len == 0)
    {
      state->finished = TRUE;
      return TRUE;
    }

  text = (const guint8 *) state->line_text->str;
  len = state->line_text->len;
  if (state->parser != NULL)
    yajl_free (state->parser);
  state->parser = new_parser (state);
  state->depth = 0;
  state->capture_depth = -1;
  state->line = line;  /* for the callbacks */
  g_clear_pointer (&state->fatal, g_free);

  status = yajl_parse (state->parser, text, len);
  if (status == yajl_status_ok)
    status = yajl_complete_parse (state->parser);
  state->line = line + 1;

  if (status != yajl_status_ok || g_queue_get_length (&state->ready) != 1)
    {
      g_autofree char *what = status != yajl_status_ok
                              ? describe_parse_error (state, text, len)
                              : g_strdup (_("more than one value"));

      g_queue_clear_full (&state->ready, (GDestroyNotify) record_free);
      g_clear_pointer (&state->building, record_free);
      g_clear_pointer (&state->key, g_free);
      record = record_new (line);
      record->problem = g_strdup_printf (_("the line is not valid JSON: %s"), what);
      g_queue_push_tail (&state->ready, record);
    }
  record = g_queue_peek_tail (&state->ready);
  g_free (record->raw);
  record->raw = g_strndup ((const char *) text, len);
  return TRUE;
}

/* The next record from the text, or NULL at the end (@error unset) or on an
 * error. */
static Record *
pull_record (State         *state,
             GCancellable  *cancellable,
             GError       **error)
{
  if (g_queue_is_empty (&state->ready))
    {
      gboolean ok = state->lines ? feed_line (state, cancellable, error)
                                 : feed_array (state, cancellable, error);

      if (!ok)
        return NULL;
    }
  return g_queue_pop_head (&state->ready);
}

/* Records */

static void
build_raw (Record *record)
{
  yajl_gen gen;
  const unsigned char *text;
  size_t len;

  if (record->raw != NULL)
    return;
  gen = yajl_gen_alloc (NULL);
  yajl_gen_map_open (gen);
  for (guint i = 0; i < record->keys->len; i++)
    {
      const char *key = g_ptr_array_index (record->keys, i);
      const char *value = g_ptr_array_index (record->values, i);

      yajl_gen_string (gen, (const unsigned char *) key, strlen (key));
      switch (g_array_index (record->kinds, guint8, i))
        {
        case KIND_STRING:
          yajl_gen_string (gen, (const unsigned char *) value, strlen (value));
          break;
        case KIND_NULL:
          yajl_gen_null (gen);
          break;
        default:
          yajl_gen_number (gen, value, strlen (value));
          break;
        }
    }
  yajl_gen_map_close (gen);
  yajl_gen_get_buf (gen, &text, &len);
  record->raw = g_strndup ((const char *) text, len);
  yajl_gen_free (gen);
}

static void
add_columns (State  *state,
             Record *record)
{
  for (guint i = 0; i < record->keys->len; i++)
    {
      const char *key = g_ptr_array_index (record->keys, i);

      if (!g_hash_table_contains (state->column_index, key))
        {
          g_ptr_array_add (state->columns, g_strdup (key));
          g_hash_table_insert (state->column_index, g_strdup (key),
                               GUINT_TO_POINTER (state->columns->len));
        }
    }
}

static void
emit_record (State  *state,
             Record *record)
{
  CsTableReader *reader = state->reader;
  guint n = state->columns->len;
  g_autofree char **fields = g_new0 (char *, n);
  GString *raw = cs_table_reader_get_raw_buffer (reader);

  for (guint i = 0; i < record->keys->len; i++)
    {
      const char *key = g_ptr_array_index (record->keys, i);
      guint index = GPOINTER_TO_UINT (g_hash_table_lookup (state->column_index, key));

      if (index == 0)
        {
          if (record->problem == NULL)
            record->problem =
              g_strdup_printf (_("the key “%s” first appears after the first %d records, "
                                 "which make the columns; put it in an earlier record or "
                                 "convert the file to CSV"),
                               key, CS_TABLE_READER_JSON_HEADER_RECORDS);
          continue;
        }
      /* A key given twice: the first value stays (and the record has a problem). */
      if (fields[index - 1] == NULL)
        fields[index - 1] = g_ptr_array_index (record->values, i);
    }
  for (guint i = 0; i < n; i++)
    cs_table_reader_add_field (reader, g_strdup (fields[i] != NULL ? fields[i] : ""));

  build_raw (record);
  g_string_append (raw, record->raw);
  cs_table_reader_set_line (reader, record->line);
  cs_table_reader_take_problem (reader, g_steal_pointer (&record->problem));
}

static gboolean
json_next (CsTableReader  *reader,
           gpointer        data,
           GCancellable   *cancellable,
           GError        **error)
{
  State *state = data;
  Record *record;

  if (!state->header_sent)
    {
      GString *raw = cs_table_reader_get_raw_buffer (reader);
      gint64 line = 1;

      /* An error here comes after the records before it, so that a preview
       * shows them. */
      while (g_queue_get_length (&state->held) < CS_TABLE_READER_JSON_HEADER_RECORDS)
        {
          record = pull_record (state, cancellable, &state->held_error);
          if (record == NULL)
            break;
          add_columns (state, record);
          g_queue_push_tail (&state->held, record);
        }
      state->header_sent = TRUE;
      if (g_queue_is_empty (&state->held))
        {
          if (state->held_error != NULL)
            g_propagate_error (error, g_steal_pointer (&state->held_error));
          return FALSE;
        }

      record = g_queue_peek_head (&state->held);
      line = record->line;
      for (guint i = 0; i < state->columns->len; i++)
        {
          const char *column = g_ptr_array_index (state->columns, i);

          cs_table_reader_add_field (reader, g_strdup (column));
          if (i > 0)
            g_string_append_c (raw, '\t');
          g_string_append (raw, column);
        }
      cs_table_reader_set_line (reader, line);
      return TRUE;
    }

  record = g_queue_pop_head (&state->held);
  if (record == NULL && state->held_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&state->held_error));
      state->finished = TRUE;
      g_queue_clear_full (&state->ready, (GDestroyNotify) record_free);
      return FALSE;
    }
  if (record == NULL)
    record = pull_record (state, cancellable, error);
  if (record == NULL)
    return FALSE;
  emit_record (state, record);
  record_free (record);
  return TRUE;
}

static const CsTableBackend json_backend = {
  .next = json_next,
  .free = state_free,
};

gboolean
cs_table_reader_setup_json (CsTableReader  *reader,
                            gboolean        lines,
                            GError        **error)
{
  State *state = g_new0 (State, 1);

  state->reader = reader;
  state->stream = cs_table_reader_get_text_stream (reader);
  state->lines = lines;
  state->elem_depth = lines ? 0 : 1;
  state->capture_depth = -1;
  state->buf = g_malloc (CHUNK_SIZE);
  state->line = 1;
  state->line_text = g_string_new (NULL);
  state->columns = g_ptr_array_new_with_free_func (g_free);
  state->column_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!lines)
    state->parser = new_parser (state);
  cs_table_reader_set_backend (reader, &json_backend, state);
  return TRUE;
}
