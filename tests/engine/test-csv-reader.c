/* test-csv-reader.c: the streaming CSV/TSV reader.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cs-csv-reader.h"
#include "cs-error.h"
#include "cs-test-data.h"

static CsCsvReader *
reader_for_text (const char *text,
                 gssize      len,
                 char        delimiter)
{
  g_autoptr(GInputStream) stream = NULL;
  CsCsvReader *reader;

  if (len < 0)
    len = strlen (text);
  stream = g_memory_input_stream_new_from_data (g_memdup2 (text, len), len, g_free);
  reader = cs_csv_reader_new (stream, delimiter);
  cs_csv_reader_set_total_bytes (reader, len);
  return reader;
}

/* Reads the next record and checks its fields and first line. */
static void
expect_record (CsCsvReader        *reader,
               gint64              line,
               const char * const *fields)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = cs_csv_reader_next (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpstrv (cs_csv_reader_get_fields (reader), fields);
  g_assert_cmpuint (cs_csv_reader_get_n_fields (reader), ==, g_strv_length ((char **) fields));
  g_assert_cmpint (cs_csv_reader_get_line (reader), ==, line);
  g_assert_null (cs_csv_reader_get_problem (reader));
}

static void
expect_end (CsCsvReader *reader)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (cs_csv_reader_next (reader, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cs_csv_reader_get_bytes_read (reader), ==,
                    cs_csv_reader_get_total_bytes (reader));
}

#define R(...) ((const char * const[]) { __VA_ARGS__, NULL })

static void
test_simple (void)
{
  g_autoptr(CsCsvReader) reader = reader_for_text ("user,clip,time\n1,2,3\n4,5,6\n", -1, 0);

  expect_record (reader, 1, R ("user", "clip", "time"));
  expect_record (reader, 2, R ("1", "2", "3"));
  expect_record (reader, 3, R ("4", "5", "6"));
  expect_end (reader);
  g_assert_cmpint (cs_csv_reader_get_n_records (reader), ==, 3);
  g_assert_cmpint (cs_csv_reader_get_delimiter (reader), ==, ',');
}

static void
test_quoted_delimiter (void)
{
  g_autoptr(CsCsvReader) reader =
    reader_for_text ("id,tags,n\n7,\"cake,bread\",2\n", -1, 0);

  expect_record (reader, 1, R ("id", "tags", "n"));
  expect_record (reader, 2, R ("7", "cake,bread", "2"));
  expect_end (reader);
}

static void
test_doubled_quote (void)
{
  g_autoptr(CsCsvReader) reader =
    reader_for_text ("a,b\n\"she said \"\"hi\"\"\",\"\"\"\"\n", -1, 0);

  expect_record (reader, 1, R ("a", "b"));
  expect_record (reader, 2, R ("she said \"hi\"", "\""));
  expect_end (reader);
}

static void
test_quoted_newline (void)
{
  const char *text = "id,text\n1,\"line one\nline two\r\nline three\"\n2,x\n";
  g_autoptr(CsCsvReader) reader = reader_for_text (text, -1, 0);
  gsize len;
  const char *raw;

  expect_record (reader, 1, R ("id", "text"));
  expect_record (reader, 2, R ("1", "line one\nline two\r\nline three"));
  raw = cs_csv_reader_get_raw (reader, &len);
  g_assert_cmpstr (raw, ==, "1,\"line one\nline two\r\nline three\"");
  g_assert_cmpuint (len, ==, strlen (raw));
  /* The record started on line 2 and took three lines. */
  expect_record (reader, 5, R ("2", "x"));
  expect_end (reader);
}

static void
test_crlf (void)
{
  g_autoptr(CsCsvReader) reader = reader_for_text ("a,b\r\n1,2\r\n3,\"4\"\r\n", -1, 0);

  expect_record (reader, 1, R ("a", "b"));
  expect_record (reader, 2, R ("1", "2"));
  g_assert_cmpstr (cs_csv_reader_get_raw (reader, NULL), ==, "1,2");
  expect_record (reader, 3, R ("3", "4"));
  expect_end (reader);
}

static void
test_bare_cr (void)
{
  /* A lone CR is data; only LF and CRLF end records. */
  g_autoptr(CsCsvReader) reader =
    reader_for_text ("id,caption,n\n1,ab\rcd,2\n2,end\r,3\r\n3,x\r\r\n", -1, 0);

  expect_record (reader, 1, R ("id", "caption", "n"));
  expect_record (reader, 2, R ("1", "ab\rcd", "2"));
  expect_record (reader, 3, R ("2", "end\r", "3"));
  expect_record (reader, 4, R ("3", "x\r"));
  expect_end (reader);
}

static void
test_old_mac (void)
{
  /* No LF anywhere: CR ends lines. */
  g_autoptr(CsCsvReader) reader = reader_for_text ("a;b\r1;\"x\ry\"\r2;3", -1, 0);

  expect_record (reader, 1, R ("a", "b"));
  expect_record (reader, 2, R ("1", "x\ry"));
  expect_record (reader, 4, R ("2", "3"));
  expect_end (reader);
}

static void
test_bom (void)
{
  g_autoptr(CsCsvReader) reader =
    reader_for_text ("\xEF\xBB\xBFuser\tclip\n\xE5\xBC\xA0\t9\n", -1, 0);

  expect_record (reader, 1, R ("user", "clip"));
  g_assert_true (cs_csv_reader_get_had_bom (reader));
  g_assert_cmpint (cs_csv_reader_get_delimiter (reader), ==, '\t');
  expect_record (reader, 2, R ("张", "9"));
  expect_end (reader);
}

static void
test_detect (void)
{
  struct { const char *text; char expected; } cases[] = {
    { "a\tb\tc\n1\t2,5\t3\n", '\t' },
    { "a,b,c\n", ',' },
    { "a;b;c\n1,5;2;3\n", ';' },
    { "a|b\n", '|' },
    /* Commas inside quotes do not count. */
    { "\"a,b,c\";d;e\n", ';' },
    /* One column. */
    { "user_id\n1\n", ',' },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CsCsvReader) reader = reader_for_text (cases[i].text, -1, 0);
      g_autoptr(GError) error = NULL;

      g_assert_true (cs_csv_reader_next (reader, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (cs_csv_reader_get_delimiter (reader), ==, cases[i].expected);
    }
}

static void
test_given_delimiter (void)
{
  /* Commas outnumber semicolons, but the caller said semicolon. */
  g_autoptr(CsCsvReader) reader = reader_for_text ("a,b,c;d\n1,2,3;4\n", -1, ';');

  expect_record (reader, 1, R ("a,b,c", "d"));
  expect_record (reader, 2, R ("1,2,3", "4"));
  expect_end (reader);
}

static void
test_empty_fields (void)
{
  g_autoptr(CsCsvReader) reader = reader_for_text ("a,,c\n,\n\"\",x\n\nlast", -1, 0);

  expect_record (reader, 1, R ("a", "", "c"));
  expect_record (reader, 2, R ("", ""));
  expect_record (reader, 3, R ("", "x"));
  /* An empty line is one empty field. */
  expect_record (reader, 4, R (""));
  /* No line end after the last record. */
  expect_record (reader, 5, R ("last"));
  expect_end (reader);
}

static void
test_empty_input (void)
{
  g_autoptr(CsCsvReader) reader = reader_for_text ("", 0, 0);
  g_autoptr(CsCsvReader) bom_only = reader_for_text ("\xEF\xBB\xBF", -1, 0);

  expect_end (reader);
  expect_end (bom_only);
  g_assert_cmpint (cs_csv_reader_get_n_records (reader), ==, 0);
}

static void
test_lenient_quotes (void)
{
  /* Not RFC 4180, but spreadsheets write it: keep the text. */
  g_autoptr(CsCsvReader) reader =
    reader_for_text ("a,b\n5\" screen,\"x\"y\n", -1, 0);

  expect_record (reader, 1, R ("a", "b"));
  expect_record (reader, 2, R ("5\" screen", "xy"));
  expect_end (reader);
}

static void
test_unterminated_quote (void)
{
  g_autoptr(CsCsvReader) reader =
    reader_for_text ("a,b\n1,2\n3,\"open\n4,5\n", -1, 0);
  g_autoptr(GError) error = NULL;

  expect_record (reader, 1, R ("a", "b"));
  expect_record (reader, 2, R ("1", "2"));
  g_assert_true (cs_csv_reader_next (reader, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cs_csv_reader_get_line (reader), ==, 3);
  g_assert_cmpstr (cs_csv_reader_get_field (reader, 1), ==, "open\n4,5\n");
  g_assert_nonnull (cs_csv_reader_get_problem (reader));
  g_assert_nonnull (strstr (cs_csv_reader_get_problem (reader), "line 3"));
  expect_end (reader);
}

static const char invalid_text[] = "a,b\n1,caf\xE9\n2,ok\n3,nul\0byte\n4,end\n";

static void
test_invalid_utf8 (void)
{
  g_autoptr(CsCsvReader) reader =
    reader_for_text (invalid_text, sizeof invalid_text - 1, 0);
  g_autoptr(GError) error = NULL;

  expect_record (reader, 1, R ("a", "b"));

  g_assert_true (cs_csv_reader_next (reader, NULL, &error));
  g_assert_cmpint (cs_csv_reader_get_line (reader), ==, 2);
  g_assert_nonnull (cs_csv_reader_get_problem (reader));
  g_assert_nonnull (strstr (cs_csv_reader_get_problem (reader), "UTF-8"));

  /* The reader goes on after a bad record. */
  expect_record (reader, 3, R ("2", "ok"));

  g_assert_true (cs_csv_reader_next (reader, NULL, &error));
  g_assert_cmpint (cs_csv_reader_get_line (reader), ==, 4);
  g_assert_nonnull (cs_csv_reader_get_problem (reader));

  expect_record (reader, 5, R ("4", "end"));
  expect_end (reader);
}

static void
test_utf16 (void)
{
  g_autoptr(CsCsvReader) reader = reader_for_text ("\xFF\xFE" "a\0,\0b\0", 8, 0);
  g_autoptr(GError) error = NULL;

  g_assert_false (cs_csv_reader_next (reader, NULL, &error));
  g_assert_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_ENCODING);
}

static void
test_field_limit (void)
{
  g_autoptr(GString) text = g_string_new ("a,b\n1,short\n2,");
  g_autoptr(CsCsvReader) reader = NULL;
  g_autoptr(CsCsvReader) quoted = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 5000; i++)
    g_string_append (text, "xxxxxxxxxx");
  g_string_append (text, "\n3,ok\n");

  reader = reader_for_text (text->str, text->len, 0);
  cs_csv_reader_set_max_field (reader, 1000);
  expect_record (reader, 1, R ("a", "b"));
  expect_record (reader, 2, R ("1", "short"));
  g_assert_false (cs_csv_reader_next (reader, NULL, &error));
  g_assert_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "Line 3"));
  g_clear_error (&error);

  /* An unclosed quote cannot take more than the limit either. */
  g_string_insert_c (text, strlen ("a,b\n1,short\n2,"), '"');
  g_string_truncate (text, text->len - strlen ("\n3,ok\n"));
  quoted = reader_for_text (text->str, text->len, 0);
  cs_csv_reader_set_max_field (quoted, 1000);
  expect_record (quoted, 1, R ("a", "b"));
  expect_record (quoted, 2, R ("1", "short"));
  g_assert_false (cs_csv_reader_next (quoted, NULL, &error));
  g_assert_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT);
}

/* Records of every length, so that quotes, CRs and CRLFs fall on every
 * position relative to the 64 KiB chunks the reader reads. */
static void
test_chunk_boundaries (void)
{
  g_autoptr(GString) text = g_string_new ("id,text,n\r\n");
  g_autoptr(CsCsvReader) reader = NULL;
  const guint n_rows = 6000;
  gint64 line = 2;

  for (guint i = 0; i < n_rows; i++)
    {
      g_string_append_printf (text, "%u,", i);
      switch (i % 4)
        {
        case 0: /* unquoted with a lone CR */
          for (guint k = 0; k < i % 97; k++)
            g_string_append_c (text, 'a');
          g_string_append (text, "\rz");
          break;
        case 1: /* quoted with a line break, a doubled quote and a comma */
          g_string_append_c (text, '"');
          for (guint k = 0; k < i % 89; k++)
            g_string_append_c (text, 'b');
          g_string_append (text, "\r\n\"\",\"");
          break;
        case 2: /* empty */
          break;
        default: /* unquoted, ending in a lone CR */
          for (guint k = 0; k < i % 83; k++)
            g_string_append_c (text, 'c');
          g_string_append_c (text, '\r');
          break;
        }
      g_string_append_printf (text, ",%u\r\n", i * 7);
    }

  reader = reader_for_text (text->str, text->len, 0);
  expect_record (reader, 1, R ("id", "text", "n"));

  for (guint i = 0; i < n_rows; i++)
    {
      g_autofree char *id = g_strdup_printf ("%u", i);
      g_autofree char *n = g_strdup_printf ("%u", i * 7);
      g_autoptr(GString) value = g_string_new (NULL);

      switch (i % 4)
        {
        case 0:
          for (guint k = 0; k < i % 97; k++)
            g_string_append_c (value, 'a');
          g_string_append (value, "\rz");
          break;
        case 1:
          for (guint k = 0; k < i % 89; k++)
            g_string_append_c (value, 'b');
          g_string_append (value, "\r\n\",");
          break;
        case 2:
          break;
        default:
          for (guint k = 0; k < i % 83; k++)
            g_string_append_c (value, 'c');
          g_string_append_c (value, '\r');
          break;
        }

      expect_record (reader, line, R (id, value->str, n));
      line += (i % 4 == 1) ? 2 : 1;
    }
  expect_end (reader);
  g_assert_cmpint (cs_csv_reader_get_n_records (reader), ==, n_rows + 1);
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CsCsvReader) reader =
    cs_csv_reader_new_for_path ("/nonexistent/clipscope/log.csv", 0, &error);

  g_assert_null (reader);
  g_assert_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, "log.csv"));
}

/* KuaiRec's captions: quoted fields with commas, four bare CRs inside
 * unquoted captions. Python's csv module reads 10,733 records from it (it
 * splits at the CRs); the file holds 10,728 videos and a header. */
static void
test_kuairec (void)
{
  g_autofree char *path = g_build_filename (cs_test_shared_data (), "interactions",
                                            "kuairec-metadata", "kuairec_caption_category.csv",
                                            NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CsCsvReader) reader = cs_csv_reader_new_for_path (path, 0, &error);
  gint64 n_data = 0;
  guint n_with_cr = 0;

  g_assert_no_error (error);
  g_assert_true (cs_csv_reader_next (reader, NULL, &error));
  g_assert_cmpstr (cs_csv_reader_get_field (reader, 0), ==, "video_id");
  g_assert_cmpstr (cs_csv_reader_get_field (reader, 9), ==, "third_level_category_name");
  g_assert_cmpuint (cs_csv_reader_get_n_fields (reader), ==, 10);

  while (cs_csv_reader_next (reader, NULL, &error))
    {
      g_autofree char *expected_id = g_strdup_printf ("%" G_GINT64_FORMAT, n_data);

      g_assert_null (cs_csv_reader_get_problem (reader));
      g_assert_cmpuint (cs_csv_reader_get_n_fields (reader), ==, 10);
      /* Videos are numbered from 0, one line each, after the header. */
      g_assert_cmpstr (cs_csv_reader_get_field (reader, 0), ==, expected_id);
      g_assert_cmpint (cs_csv_reader_get_line (reader), ==, n_data + 2);
      if (strchr (cs_csv_reader_get_field (reader, 2), '\r') != NULL)
        n_with_cr++;
      if (n_data == 4)
        g_assert_cmpstr (cs_csv_reader_get_field (reader, 3), ==,
                         "[五爱市场,感谢快手我要上热门,搞笑]");
      if (n_data == 5910)
        g_assert_cmpstr (cs_csv_reader_get_field (reader, 2), ==,
                         "我不会离开你 就像数学题一样 说不会就是不会\r");
      n_data++;
    }
  g_assert_no_error (error);
  g_assert_cmpint (n_data, ==, 10728);
  g_assert_cmpuint (n_with_cr, ==, 4);
  g_assert_cmpuint (cs_csv_reader_get_bytes_read (reader), ==,
                    cs_csv_reader_get_total_bytes (reader));
  g_assert_cmpuint (cs_csv_reader_get_total_bytes (reader), ==, 1964578);
}

static void
test_ml100k_header (void)
{
  g_autofree char *path = g_build_filename (cs_test_shared_data (), "interactions", "ml-100k",
                                            "ml-100k.inter", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CsCsvReader) reader = cs_csv_reader_new_for_path (path, 0, &error);
  gint64 n = 0;

  g_assert_no_error (error);
  expect_record (reader, 1, R ("user_id:token", "item_id:token", "rating:float",
                               "timestamp:float"));
  g_assert_cmpint (cs_csv_reader_get_delimiter (reader), ==, '\t');
  expect_record (reader, 2, R ("196", "242", "3", "881250949"));
  while (cs_csv_reader_next (reader, NULL, &error))
    n++;
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 99999);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/csv/simple", test_simple);
  g_test_add_func ("/engine/csv/quoted-delimiter", test_quoted_delimiter);
  g_test_add_func ("/engine/csv/doubled-quote", test_doubled_quote);
  g_test_add_func ("/engine/csv/quoted-newline", test_quoted_newline);
  g_test_add_func ("/engine/csv/crlf", test_crlf);
  g_test_add_func ("/engine/csv/bare-cr", test_bare_cr);
  g_test_add_func ("/engine/csv/old-mac", test_old_mac);
  g_test_add_func ("/engine/csv/bom", test_bom);
  g_test_add_func ("/engine/csv/detect", test_detect);
  g_test_add_func ("/engine/csv/given-delimiter", test_given_delimiter);
  g_test_add_func ("/engine/csv/empty-fields", test_empty_fields);
  g_test_add_func ("/engine/csv/empty-input", test_empty_input);
  g_test_add_func ("/engine/csv/lenient-quotes", test_lenient_quotes);
  g_test_add_func ("/engine/csv/unterminated-quote", test_unterminated_quote);
  g_test_add_func ("/engine/csv/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/engine/csv/utf16", test_utf16);
  g_test_add_func ("/engine/csv/field-limit", test_field_limit);
  g_test_add_func ("/engine/csv/chunk-boundaries", test_chunk_boundaries);
  g_test_add_func ("/engine/csv/missing-file", test_missing_file);
  g_test_add_func ("/engine/csv/kuairec", test_kuairec);
  g_test_add_func ("/engine/csv/ml100k-header", test_ml100k_header);

  return g_test_run ();
}
