/* test-table-reader.c: one reader for CSV/TSV, JSON, JSON Lines and XLSX, in
 * every encoding importers meet.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>
#include <zip.h>

#include "cs-error.h"
#include "cs-table-reader.h"
#include "cs-test-data.h"

#define R(...) ((const char * const[]) { __VA_ARGS__, NULL })

static CsTableReader *
reader_for (const char                 *data,
            gssize                      len,
            const char                 *name,
            const CsTableReaderOptions *opts)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  CsTableReader *reader;

  if (len < 0)
    len = strlen (data);
  bytes = g_bytes_new (data, len);
  reader = cs_table_reader_new_for_bytes (bytes, name, opts, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reader);
  return reader;
}

static void
expect_record (CsTableReader      *reader,
               gint64              line,
               const char * const *fields)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = cs_table_reader_next (reader, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpstrv (cs_table_reader_get_fields (reader), fields);
  g_assert_cmpuint (cs_table_reader_get_n_fields (reader), ==, g_strv_length ((char **) fields));
  g_assert_cmpint (cs_table_reader_get_line (reader), ==, line);
  g_assert_null (cs_table_reader_get_problem (reader));
}

/* The next record has a problem that mentions @needle. */
static void
expect_problem (CsTableReader *reader,
                gint64         line,
                const char    *needle)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = cs_table_reader_next (reader, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpint (cs_table_reader_get_line (reader), ==, line);
  g_assert_nonnull (cs_table_reader_get_problem (reader));
  g_test_message ("line %" G_GINT64_FORMAT ": %s", line, cs_table_reader_get_problem (reader));
  if (strstr (cs_table_reader_get_problem (reader), needle) == NULL)
    g_error ("problem “%s” does not mention “%s”", cs_table_reader_get_problem (reader), needle);
}

static void
expect_end (CsTableReader *reader)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (cs_table_reader_next (reader, NULL, &error));
  g_assert_no_error (error);
}

/* Reading fails with @code and a message holding @needle. */
static void
expect_error (CsTableReader *reader,
              int            code,
              const char    *needle)
{
  g_autoptr(GError) error = NULL;

  while (cs_table_reader_next (reader, NULL, &error))
    ;
  g_assert_error (error, CS_IMPORT_ERROR, code);
  g_test_message ("%s", error->message);
  if (strstr (error->message, needle) == NULL)
    g_error ("error “%s” does not mention “%s”", error->message, needle);
}

static void
expect_open_error (const char                 *data,
                   gssize                      len,
                   const CsTableReaderOptions *opts,
                   int                         code,
                   const char                 *needle)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len < 0 ? strlen (data) : (gsize) len);
  g_autoptr(GError) error = NULL;
  g_autoptr(CsTableReader) reader = cs_table_reader_new_for_bytes (bytes, "in.dat", opts, &error);

  g_assert_null (reader);
  g_assert_error (error, CS_IMPORT_ERROR, code);
  g_test_message ("%s", error->message);
  if (strstr (error->message, needle) == NULL)
    g_error ("error “%s” does not mention “%s”", error->message, needle);
}

/* Delimited text */

static void
test_csv (void)
{
  g_autoptr(CsTableReader) reader =
    reader_for ("user,clip,note\n1,2,\"a,b\"\n3,4,\"x\ny\"\n", -1, "log.csv", NULL);
  gsize len;

  expect_record (reader, 1, R ("user", "clip", "note"));
  expect_record (reader, 2, R ("1", "2", "a,b"));
  expect_record (reader, 3, R ("3", "4", "x\ny"));
  g_assert_cmpstr (cs_table_reader_get_raw (reader, &len), ==, "3,4,\"x\ny\"");
  expect_end (reader);
  g_assert_cmpstr (cs_table_reader_get_format (reader), ==, "CSV");
  g_assert_cmpstr (cs_table_reader_get_encoding (reader), ==, "UTF-8");
  g_assert_cmpint (cs_table_reader_get_delimiter (reader), ==, ',');
  g_assert_cmpint (cs_table_reader_get_n_records (reader), ==, 3);
  g_assert_cmpuint (cs_table_reader_get_bytes_read (reader), ==,
                    cs_table_reader_get_total_bytes (reader));
}

static void
test_tsv (void)
{
  g_autoptr(CsTableReader) reader = reader_for ("a\tb\n1\t2\n", -1, NULL, NULL);
  /* No tab, but a .tsv name: the name says tab. */
  g_autoptr(CsTableReader) named = reader_for ("a,b\n1,2\n", -1, "export.tsv", NULL);
  CsTableReaderOptions tsv = { .format = CS_TABLE_FORMAT_TSV };
  g_autoptr(CsTableReader) forced = reader_for ("a,b\tc\n", -1, NULL, &tsv);
  g_autoptr(CsTableReader) bracket = reader_for ("[id],name\n1,x\n", -1, NULL, NULL);
  g_autoptr(CsTableReader) brace = reader_for ("{a},b\n", -1, NULL, NULL);

  expect_record (reader, 1, R ("a", "b"));
  g_assert_cmpstr (cs_table_reader_get_format (reader), ==, "TSV");
  expect_record (named, 1, R ("a,b"));
  g_assert_cmpstr (cs_table_reader_get_format (named), ==, "TSV");
  expect_record (forced, 1, R ("a,b", "c"));
  /* Brackets in a CSV header are not JSON. */
  expect_record (bracket, 1, R ("[id]", "name"));
  g_assert_cmpstr (cs_table_reader_get_format (bracket), ==, "CSV");
  expect_record (brace, 1, R ("{a}", "b"));
  g_assert_cmpstr (cs_table_reader_get_format (forced), ==, "TSV");
}

static void
test_empty (void)
{
  g_autoptr(CsTableReader) reader = reader_for ("", 0, NULL, NULL);
  CsTableReaderOptions lines = { .format = CS_TABLE_FORMAT_JSON_LINES };
  g_autoptr(CsTableReader) blank_lines = reader_for ("\n  \r\n\n", -1, NULL, &lines);

  expect_end (reader);
  g_assert_cmpint (cs_table_reader_get_n_records (reader), ==, 0);
  g_assert_cmpstr (cs_table_reader_get_format (reader), ==, "CSV");
  expect_end (blank_lines);
}

/* Encodings */

static const char chinese_csv[] =
  "作品名称,播放量,发布时间\n"
  "\"春天的早餐, 五分钟\",1.4万,5月31日 23:54\n"
  "张三的猫,12K,2024-05-31\n";

static void
expect_chinese (CsTableReader *reader,
                const char    *encoding)
{
  expect_record (reader, 1, R ("作品名称", "播放量", "发布时间"));
  expect_record (reader, 2, R ("春天的早餐, 五分钟", "1.4万", "5月31日 23:54"));
  expect_record (reader, 3, R ("张三的猫", "12K", "2024-05-31"));
  expect_end (reader);
  g_assert_cmpstr (cs_table_reader_get_encoding (reader), ==, encoding);
  g_assert_cmpuint (cs_table_reader_get_bytes_read (reader), ==,
                    cs_table_reader_get_total_bytes (reader));
}

static char *
encode (const char *text,
        const char *encoding,
        const char *bom,
        gsize       bom_len,
        gsize      *len)
{
  g_autoptr(GError) error = NULL;
  gsize n = 0;
  g_autofree char *converted = g_convert (text, -1, encoding, "UTF-8", NULL, &n, &error);
  char *out;

  g_assert_no_error (error);
  out = g_malloc (bom_len + n);
  memcpy (out, bom, bom_len);
  memcpy (out + bom_len, converted, n);
  *len = bom_len + n;
  return out;
}

static void
test_encodings (void)
{
  struct {
    const char *iconv;
    const char *bom;
    gsize       bom_len;
    const char *expected;
  } cases[] = {
    { "UTF-8", "", 0, "UTF-8" },
    { "UTF-8", "\xEF\xBB\xBF", 3, "UTF-8 (BOM)" },
    { "UTF-16LE", "\xFF\xFE", 2, "UTF-16LE" },
    { "UTF-16BE", "\xFE\xFF", 2, "UTF-16BE" },
    /* No mark: the NUL bytes of the ASCII characters tell. */
    { "UTF-16LE", "", 0, "UTF-16LE" },
    { "UTF-16BE", "", 0, "UTF-16BE" },
    { "GB18030", "", 0, "GB18030" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize len;
      g_autofree char *data = encode (chinese_csv, cases[i].iconv, cases[i].bom,
                                      cases[i].bom_len, &len);
      g_autoptr(CsTableReader) reader = reader_for (data, len, "stats.csv", NULL);

      g_test_message ("%s", cases[i].expected);
      expect_chinese (reader, cases[i].expected);
    }
}

static void
test_encoding_given (void)
{
  gsize len;
  g_autofree char *gbk = encode (chinese_csv, "GBK", "", 0, &len);
  CsTableReaderOptions opts = { .encoding = "gbk" };
  g_autoptr(CsTableReader) reader = reader_for (gbk, len, NULL, &opts);
  CsTableReaderOptions utf8 = { .encoding = "UTF-8" };
  g_autoptr(CsTableReader) wrong = reader_for (gbk, len, NULL, &utf8);
  CsTableReaderOptions ascii = { .encoding = "ascii" };
  g_autoptr(CsTableReader) invalid = reader_for ("a,b\n1,2\n3,4\n5,é\n6,7\n", -1, NULL, &ascii);
  CsTableReaderOptions unknown = { .encoding = "klingon-8" };

  /* GBK is read as GB18030, its superset. */
  expect_chinese (reader, "GB18030");

  /* GB18030 text read as UTF-8: every line with Chinese has a problem. */
  expect_problem (wrong, 1, "UTF-8");
  expect_problem (wrong, 2, "UTF-8");

  /* A byte that is not ASCII: reading stops at its line. */
  g_assert_cmpstr (cs_table_reader_get_encoding (invalid), ==, "ASCII");
  expect_error (invalid, CS_IMPORT_ERROR_ENCODING, "Line 4 ");

  expect_open_error ("a,b\n", -1, &unknown, CS_IMPORT_ERROR_ENCODING, "klingon-8");
}

static void
test_utf16_cut (void)
{
  gsize len;
  g_autofree char *data = encode ("a,b\n1,2\n", "UTF-16LE", "\xFF\xFE", 2, &len);
  g_autoptr(CsTableReader) reader = reader_for (data, len - 1, NULL, NULL);

  expect_error (reader, CS_IMPORT_ERROR_ENCODING, "line 2");
}

static void
test_binary (void)
{
  guint8 garbage[4096];
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = g_rand_int_range (rand, 0, 256);
  expect_open_error ((const char *) garbage, sizeof garbage, NULL, CS_IMPORT_ERROR_FORMAT,
                     "binary");
  expect_open_error ("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0", 12, NULL,
                     CS_IMPORT_ERROR_FORMAT, ".xls");
  expect_open_error ("%PDF-1.4\n", -1, NULL, CS_IMPORT_ERROR_FORMAT, "PDF");
  expect_open_error ("PK\3\4garbage that is no zip", -1, NULL, CS_IMPORT_ERROR_FORMAT,
                     "damaged or cut short");
}

/* JSON */

static void
test_json_array (void)
{
  const char *text =
    "[\n"
    "  {\"user\": \"a\", \"n\": 1, \"tags\": [\"x\", {\"y\": null}], \"ok\": true, \"z\": null},\n"
    "  {\"n\": 2.50, \"user\": \"b\\\"q\\u00e9\",\n"
    "   \"extra\": {\"k\": \"v\"}},\n"
    "  {}\n"
    "]\n";
  g_autoptr(CsTableReader) reader = reader_for (text, -1, "export.json", NULL);
  const char *raw;

  g_assert_cmpstr (cs_table_reader_get_format (reader), ==, "JSON");
  expect_record (reader, 2, R ("user", "n", "tags", "ok", "z", "extra"));
  expect_record (reader, 2, R ("a", "1", "[\"x\",{\"y\":null}]", "true", "", ""));
  raw = cs_table_reader_get_raw (reader, NULL);
  g_assert_cmpstr (raw, ==, "{\"user\":\"a\",\"n\":1,\"tags\":[\"x\",{\"y\":null}],\"ok\":true,"
                            "\"z\":null}");
  expect_record (reader, 3, R ("b\"qé", "2.50", "", "", "", "{\"k\":\"v\"}"));
  expect_record (reader, 5, R ("", "", "", "", "", ""));
  expect_end (reader);
  g_assert_cmpint (cs_table_reader_get_n_records (reader), ==, 4);
  g_assert_cmpuint (cs_table_reader_get_bytes_read (reader), ==, strlen (text));
}

static void
test_json_items (void)
{
  g_autoptr(CsTableReader) reader =
    reader_for ("[{\"a\":1,\"a\":2},\n 7,\n [1,2],\n {\"a\":3}]", -1, NULL, NULL);
  g_autoptr(CsTableReader) empty = reader_for ("[ ]", -1, NULL, NULL);
  CsTableReaderOptions json = { .format = CS_TABLE_FORMAT_JSON };
  g_autoptr(CsTableReader) object = reader_for ("{\"data\": []}", -1, NULL, &json);

  expect_record (reader, 1, R ("a"));
  expect_problem (reader, 1, "twice");
  g_assert_cmpstr (cs_table_reader_get_field (reader, 0), ==, "1");
  expect_problem (reader, 2, "not an object");
  g_assert_cmpstr (cs_table_reader_get_raw (reader, NULL), ==, "7");
  expect_problem (reader, 3, "not an object");
  g_assert_cmpstr (cs_table_reader_get_raw (reader, NULL), ==, "[1,2]");
  expect_record (reader, 4, R ("3"));
  expect_end (reader);

  expect_end (empty);
  expect_error (object, CS_IMPORT_ERROR_FORMAT, "one object");
}

static void
test_json_errors (void)
{
  g_autoptr(CsTableReader) syntax =
    reader_for ("[{\"a\": 1},\n {\"a\": 2,}\n]", -1, "bad.json", NULL);
  g_autoptr(CsTableReader) cut = reader_for ("[{\"a\": 1},\n {\"a\": ", -1, "cut.json", NULL);
  g_autoptr(CsTableReader) invalid = reader_for ("[{\"a\": \"caf\xE9\"}]", -1, NULL, NULL);
  g_autoptr(CsTableReader) trailing = reader_for ("[{\"a\": 1}] x", -1, NULL, NULL);
  g_autoptr(GError) error = NULL;

  /* The records before the error come first (the header reads ahead). */
  expect_record (syntax, 1, R ("a"));
  expect_record (syntax, 1, R ("1"));
  g_assert_false (cs_table_reader_next (syntax, NULL, &error));
  g_assert_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "Line 2 of “bad.json”"));
  g_assert_nonnull (strstr (error->message, "invalid object key"));
  g_clear_error (&error);

  expect_error (cut, CS_IMPORT_ERROR_FORMAT, "cut short");
  expect_error (invalid, CS_IMPORT_ERROR_FORMAT, "UTF8");
  expect_error (trailing, CS_IMPORT_ERROR_FORMAT, "trailing garbage");
}

static void
test_json_lines (void)
{
  const char *text =
    "{\"uid\": 1, \"item\": \"v1\", \"event\": \"like\"}\r\n"
    "\n"
    "{\"uid\": 2, \"item\": \"v2\", \"event\": \"view\", \"watch\": 12.5}\n"
    "{\"uid\": 3, \"item\": \n"
    "{\"item\": \"v4\", \"uid\": 4}\n"
    "[1, 2]\n"
    "{\"uid\": 5} {\"uid\": 6}\n"
    "{\"uid\": 7}";
  g_autoptr(CsTableReader) reader = reader_for (text, -1, "events.jsonl", NULL);

  g_assert_cmpstr (cs_table_reader_get_format (reader), ==, "JSON Lines");
  expect_record (reader, 1, R ("uid", "item", "event", "watch"));
  expect_record (reader, 1, R ("1", "v1", "like", ""));
  g_assert_cmpstr (cs_table_reader_get_raw (reader, NULL), ==,
                   "{\"uid\": 1, \"item\": \"v1\", \"event\": \"like\"}");
  expect_record (reader, 3, R ("2", "v2", "view", "12.5"));
  /* A broken line is a problem on that record; reading goes on. */
  expect_problem (reader, 4, "not valid JSON");
  g_assert_cmpstr (cs_table_reader_get_raw (reader, NULL), ==, "{\"uid\": 3, \"item\": ");
  g_assert_cmpuint (cs_table_reader_get_n_fields (reader), ==, 4);
  expect_record (reader, 5, R ("4", "v4", "", ""));
  expect_problem (reader, 6, "not an object");
  expect_problem (reader, 7, "not valid JSON");
  expect_record (reader, 8, R ("7", "", "", ""));
  expect_end (reader);
}

static void
test_json_late_key (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(CsTableReader) reader = NULL;

  for (guint i = 0; i < CS_TABLE_READER_JSON_HEADER_RECORDS; i++)
    g_string_append_printf (text, "{\"id\": %u}\n", i);
  g_string_append (text, "{\"id\": 1000, \"late\": \"x\"}\n{\"id\": 1001}\n");
  reader = reader_for (text->str, text->len, NULL, NULL);

  expect_record (reader, 1, R ("id"));
  for (guint i = 0; i < CS_TABLE_READER_JSON_HEADER_RECORDS; i++)
    {
      g_autofree char *id = g_strdup_printf ("%u", i);

      expect_record (reader, i + 1, R (id));
    }
  expect_problem (reader, 1001, "“late”");
  g_assert_cmpstr (cs_table_reader_get_field (reader, 0), ==, "1000");
  expect_record (reader, 1002, R ("1001"));
  expect_end (reader);
}

static void
test_json_utf16 (void)
{
  gsize len;
  g_autofree char *data = encode ("[{\"标题\": \"猫\", \"播放量\": 3}]", "UTF-16LE",
                                  "\xFF\xFE", 2, &len);
  g_autoptr(CsTableReader) reader = reader_for (data, len, NULL, NULL);

  expect_record (reader, 1, R ("标题", "播放量"));
  expect_record (reader, 1, R ("猫", "3"));
  expect_end (reader);
  g_assert_cmpstr (cs_table_reader_get_format (reader), ==, "JSON");
}

/* XLSX, written by the test with libzip */

typedef struct
{
  const char *name;
  const char *text;
} Part;

static const char content_types[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
  "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
  "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";

static const char workbook[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
  "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
  "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
  "<workbookPr/><sheets>"
  "<sheet name=\"作品数据\" sheetId=\"1\" r:id=\"rId1\"/>"
  "<sheet name=\"Daily\" sheetId=\"2\" r:id=\"rId2\"/>"
  "</sheets></workbook>";

static const char workbook_1904[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
  "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
  "<workbookPr date1904=\"1\"/><sheets>"
  "<sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/>"
  "</sheets></workbook>";

static const char rels[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
  "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
  "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
  "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
  "relationships/worksheet\" Target=\"/xl/worksheets/daily.xml\"/>"
  "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
  "relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
  "<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
  "relationships/styles\" Target=\"styles.xml\"/>"
  "</Relationships>";

/* Texts 0–5; 3 is rich text with a phonetic guide, which is not text; 5
 * has a CR written as Excel does and an escaped escape. */
static const char shared_strings[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"5\" "
  "uniqueCount=\"5\">"
  "<si><t>标题</t></si>"
  "<si><t>播放量</t></si>"
  "<si><t xml:space=\"preserve\"> 发布时间 </t></si>"
  "<si><r><rPr><b/></rPr><t>春天</t></r><r><t>的早餐 &amp; 茶</t></r>"
  "<rPh sb=\"0\" eb=\"2\"><t>chuntian</t></rPh></si>"
  "<si><t/></si>"
  "<si><t>line_x000D_break _x005F_x0041_ _x41</t></si>"
  "</sst>";

/* Styles 0 plain, 1 built-in 14 (date), 2 custom datetime, 3 built-in 20
 * (time), 4 custom with quoted "d" (a number, not a date), 5 elapsed [h]:mm. */
static const char styles[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
  "<numFmts count=\"3\">"
  "<numFmt numFmtId=\"164\" formatCode=\"yyyy/mm/dd\\ hh:mm;@\"/>"
  "<numFmt numFmtId=\"165\" formatCode=\"0.0&quot; days&quot;\"/>"
  "<numFmt numFmtId=\"166\" formatCode=\"[h]:mm\"/>"
  "</numFmts>"
  "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
  "<cellXfs count=\"6\">"
  "<xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/>"
  "<xf numFmtId=\"164\"><alignment wrapText=\"1\"/></xf><xf numFmtId=\"20\"/>"
  "<xf numFmtId=\"165\"/><xf numFmtId=\"166\"/>"
  "</cellXfs></styleSheet>";

static const char sheet1[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
  "<dimension ref=\"A1:F4\"/><sheetData>"
  "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
  "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"inlineStr\"><is><t>完播率</t></is></c>"
  "<c r=\"E1\" t=\"inlineStr\"><is><t>ok</t></is></c><c r=\"F1\" t=\"inlineStr\"><is><t>len</t></is></c>"
  "<c r=\"G1\" s=\"1\"/></row>"
  /* 45444 is 2024-06-01; .75 is 18:00. */
  "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>3</v></c><c r=\"B2\"><v>14000</v></c>"
  "<c r=\"C2\" s=\"1\"><v>45444</v></c><c r=\"D2\"><v>0.30000000000000004</v></c>"
  "<c r=\"E2\" t=\"b\"><v>1</v></c><c r=\"F2\" s=\"5\"><v>1.5</v></c></row>"
  /* Row 3 is absent; row 4 leaves B and D empty. */
  "<row r=\"4\"><c r=\"A4\" t=\"str\"><f>A2</f><v>formula text</v></c>"
  "<c r=\"C4\" s=\"2\"><v>45444.75</v></c><c r=\"E4\" t=\"b\"><v>0</v></c></row>"
  "<row r=\"5\" spans=\"1:6\"><c r=\"A5\" t=\"s\"><v>4</v></c><c r=\"B5\" s=\"4\"><v>2.5</v></c>"
  "<c r=\"C5\" s=\"3\"><v>0.5</v></c><c r=\"D5\" t=\"e\"><v>#N/A</v></c></row>"
  "<row r=\"6\"><c r=\"A6\" t=\"s\"><v>99</v></c><c r=\"B6\"><v>1</v></c></row>"
  "<row r=\"7\"><c r=\"A7\" t=\"s\"><v>5</v></c></row>"
  "</sheetData></worksheet>";

/* Formatting-only rows 1 and 2 above the table; an empty row 5 inside it. */
static const char daily[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
  "<row r=\"1\" ht=\"20\"/><row r=\"2\"><c r=\"A2\" s=\"1\"/><c r=\"B2\" t=\"s\"><v>4</v></c></row>"
  "<row r=\"3\"><c r=\"B3\" t=\"inlineStr\"><is><t>day</t></is></c></row>"
  "<row r=\"4\"><c r=\"B4\" s=\"1\"><v>1</v></c><c r=\"C4\"><v>7</v></c></row>"
  "<row r=\"5\"><c r=\"A5\" s=\"1\"/></row>"
  "<row r=\"6\"><c r=\"B6\" s=\"1\"><v>60</v></c></row>"
  "<row r=\"7\"><c r=\"B7\" s=\"1\"><v>61</v></c></row>"
  "</sheetData></worksheet>";

static const char sheet_1904[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
  "<row><c t=\"inlineStr\"><is><t>date</t></is></c></row>"
  "<row><c s=\"1\"><v>0</v></c></row>"
  "<row><c s=\"1\"><v>43981</v></c></row>"
  "</sheetData></worksheet>";

static char *
write_zip (const char *dir,
           const char *name,
           const Part *parts,
           guint       n_parts)
{
  char *path = g_build_filename (dir, name, NULL);
  int code = 0;
  zip_t *zip = zip_open (path, ZIP_CREATE | ZIP_TRUNCATE, &code);

  g_assert_nonnull (zip);
  for (guint i = 0; i < n_parts; i++)
    {
      zip_source_t *source = zip_source_buffer (zip, parts[i].text, strlen (parts[i].text), 0);

      g_assert_nonnull (source);
      g_assert_cmpint (zip_file_add (zip, parts[i].name, source, ZIP_FL_ENC_UTF_8), >=, 0);
    }
  g_assert_cmpint (zip_close (zip), ==, 0);
  return path;
}

static const Part workbook_parts[] = {
  { "[Content_Types].xml", content_types },
  { "xl/workbook.xml", workbook },
  { "xl/_rels/workbook.xml.rels", rels },
  { "xl/sharedStrings.xml", shared_strings },
  { "xl/styles.xml", styles },
  { "xl/worksheets/sheet1.xml", sheet1 },
  { "xl/worksheets/daily.xml", daily },
};

static CsTableReader *
open_path (const char                 *path,
           const CsTableReaderOptions *opts)
{
  g_autoptr(GError) error = NULL;
  CsTableReader *reader = cs_table_reader_new_for_path (path, opts, &error);

  g_assert_no_error (error);
  return reader;
}

static void
test_xlsx (void)
{
  g_autofree char *dir = cs_test_make_dir ("cs-table-reader-XXXXXX");
  g_autofree char *path = write_zip (dir, "stats.xlsx", workbook_parts,
                                     G_N_ELEMENTS (workbook_parts));
  g_autoptr(CsTableReader) reader = open_path (path, NULL);
  g_auto(GStrv) sheets = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (cs_table_reader_get_format (reader), ==, "XLSX");
  g_assert_cmpstr (cs_table_reader_get_sheet (reader), ==, "作品数据");
  expect_record (reader, 1, R ("标题", "播放量", " 发布时间 ", "完播率", "ok", "len"));
  expect_record (reader, 2, R ("春天的早餐 & 茶", "14000", "2024-06-01", "0.3", "TRUE", "36:00:00"));
  g_assert_cmpstr (cs_table_reader_get_raw (reader, NULL), ==,
                   "春天的早餐 & 茶\t14000\t2024-06-01\t0.3\tTRUE\t36:00:00");
  /* Empty cells keep their columns; the row is as wide as the header. */
  expect_record (reader, 4, R ("formula text", "", "2024-06-01T18:00:00", "", "FALSE", ""));
  expect_record (reader, 5, R ("", "2.5", "12:00:00", "#N/A", "", ""));
  expect_problem (reader, 6, "text number 99");
  g_assert_cmpstr (cs_table_reader_get_field (reader, 1), ==, "1");
  expect_record (reader, 7, R ("line\rbreak _x0041_ _x41", "", "", "", "", ""));
  expect_end (reader);
  g_assert_cmpuint (cs_table_reader_get_bytes_read (reader), ==, strlen (sheet1));
  g_assert_cmpuint (cs_table_reader_get_total_bytes (reader), ==, strlen (sheet1));

  sheets = cs_table_reader_list_sheets (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (sheets, R ("作品数据", "Daily"));

  cs_test_remove_dir (dir);
}

static void
test_xlsx_sheets (void)
{
  g_autofree char *dir = cs_test_make_dir ("cs-table-reader-XXXXXX");
  /* A workbook saved with the wrong name is still read. */
  g_autofree char *path = write_zip (dir, "stats.csv", workbook_parts,
                                     G_N_ELEMENTS (workbook_parts));
  CsTableReaderOptions by_name = { .sheet = "Daily" };
  CsTableReaderOptions by_index = { .sheet_index = 1 };
  CsTableReaderOptions missing = { .sheet = "Weekly" };
  CsTableReaderOptions too_far = { .sheet_index = 2 };
  CsTableReaderOptions as_csv = { .format = CS_TABLE_FORMAT_CSV };
  g_autoptr(CsTableReader) named = open_path (path, &by_name);
  g_autoptr(CsTableReader) indexed = open_path (path, &by_index);
  g_autoptr(GError) error = NULL;
  g_autoptr(CsTableReader) none = NULL;

  /* Serial 1 is 1900-01-01; 60 is Excel's 29 February 1900; 61 is 1 March. */
  expect_record (named, 3, R ("", "day"));
  expect_record (named, 4, R ("", "1900-01-01", "7"));
  expect_record (named, 5, R (""));
  expect_record (named, 6, R ("", "1900-02-29"));
  expect_record (named, 7, R ("", "1900-03-01"));
  expect_end (named);
  expect_record (indexed, 3, R ("", "day"));
  g_assert_cmpstr (cs_table_reader_get_sheet (indexed), ==, "Daily");

  none = cs_table_reader_new_for_path (path, &missing, &error);
  g_assert_null (none);
  g_assert_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "“Weekly”"));
  g_assert_nonnull (strstr (error->message, "作品数据, Daily"));
  g_clear_error (&error);

  none = cs_table_reader_new_for_path (path, &too_far, &error);
  g_assert_null (none);
  g_assert_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "only 2 sheets"));
  g_clear_error (&error);

  none = cs_table_reader_new_for_path (path, &as_csv, &error);
  g_assert_null (none);
  g_assert_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "XLSX"));

  cs_test_remove_dir (dir);
}

static void
test_xlsx_1904 (void)
{
  g_autofree char *dir = cs_test_make_dir ("cs-table-reader-XXXXXX");
  const Part parts[] = {
    { "xl/workbook.xml", workbook_1904 },
    { "xl/styles.xml", styles },
    { "xl/worksheets/sheet1.xml", sheet_1904 },
  };
  g_autofree char *path = write_zip (dir, "mac.xlsx", parts, G_N_ELEMENTS (parts));
  g_autoptr(CsTableReader) reader = open_path (path, NULL);

  /* No relationships part: rows without numbers count from 1. In the 1904
   * system serial 0 is 1904-01-01 and 43981 is 2024-05-31. */
  expect_record (reader, 1, R ("date"));
  expect_record (reader, 2, R ("1904-01-01"));
  expect_record (reader, 3, R ("2024-05-31"));
  expect_end (reader);
  cs_test_remove_dir (dir);
}

static void
test_xlsx_broken (void)
{
  g_autofree char *dir = cs_test_make_dir ("cs-table-reader-XXXXXX");
  const Part no_sheet[] = {
    { "xl/workbook.xml", workbook },
    { "xl/_rels/workbook.xml.rels", rels },
  };
  const Part not_excel[] = { { "hello.txt", "hello" } };
  const Part ods[] = { { "mimetype", "application/vnd.oasis.opendocument.spreadsheet" },
                       { "content.xml", "<office:document-content/>" } };
  g_autoptr(GString) broken_sheet = g_string_new ("<worksheet><sheetData>");
  g_autofree char *needle = NULL;
  gint64 n_read;
  g_autofree char *no_sheet_path = write_zip (dir, "nosheet.xlsx", no_sheet, 2);
  g_autofree char *not_excel_path = write_zip (dir, "other.zip", not_excel, 1);
  g_autofree char *ods_path = write_zip (dir, "calc.xlsx", ods, 2);
  g_autofree char *good_path = write_zip (dir, "good.xlsx", workbook_parts,
                                          G_N_ELEMENTS (workbook_parts));
  g_autofree char *cut_path = g_build_filename (dir, "cut.xlsx", NULL);
  g_autofree char *bad_xml_path = NULL;
  g_autofree char *good = NULL;
  gsize good_len;
  g_autoptr(GError) error = NULL;
  g_autoptr(CsTableReader) reader = NULL;
  const char *cases[][2] = {
    { no_sheet_path, "is missing" },
    { not_excel_path, "not an Excel workbook" },
    { ods_path, "OpenDocument" },
    { cut_path, "cut short" },
  };
  CsTableReaderOptions xlsx = { .format = CS_TABLE_FORMAT_XLSX };

  /* The first two thirds of a workbook: the zip index at the end is gone. */
  g_assert_true (g_file_get_contents (good_path, &good, &good_len, NULL));
  g_assert_true (g_file_set_contents (cut_path, good, good_len * 2 / 3, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      reader = cs_table_reader_new_for_path (cases[i][0], NULL, &error);
      g_assert_null (reader);
      g_assert_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT);
      if (strstr (error->message, cases[i][1]) == NULL)
        g_error ("%s: “%s” does not mention “%s”", cases[i][0], error->message, cases[i][1]);
      g_clear_error (&error);
    }

  /* Text said to be a workbook. */
  expect_open_error ("a,b\n1,2\n", -1, &xlsx, CS_IMPORT_ERROR_FORMAT, "not an Excel workbook");

  /* Enough rows that the first ones are read before the damage is seen. */
  for (guint i = 1; i <= 2000; i++)
    g_string_append_printf (broken_sheet, "<row r=\"%u\"><c><v>%u</v></c></row>", i, i);
  g_string_append (broken_sheet, "<row r=\"2001\"><c><v>1</v></x></row>");
  {
    const Part bad_xml[] = {
      { "xl/workbook.xml", workbook },
      { "xl/_rels/workbook.xml.rels", rels },
      { "xl/worksheets/sheet1.xml", broken_sheet->str },
    };

    bad_xml_path = write_zip (dir, "badxml.xlsx", bad_xml, 3);
  }
  reader = open_path (bad_xml_path, NULL);
  expect_record (reader, 1, R ("1"));
  while (cs_table_reader_next (reader, NULL, &error))
    ;
  g_assert_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT);
  /* The XML parser reads ahead, so the last rows before the damage may be
   * lost with it; the message names the last row returned. */
  n_read = cs_table_reader_get_n_records (reader);
  g_assert_cmpint (n_read, >, 1000);
  g_assert_cmpint (n_read, <=, 2000);
  needle = g_strdup_printf ("damaged after row %" G_GINT64_FORMAT " ", n_read);
  g_assert_nonnull (strstr (error->message, needle));
  g_assert_nonnull (strstr (error->message, "tag mismatch"));

  cs_test_remove_dir (dir);
}

/* Real data */

static void
test_kuairec (void)
{
  g_autofree char *path = g_build_filename (cs_test_shared_data (), "interactions", "kuairec-metadata",
                                            "kuairec_caption_category.csv", NULL);
  g_autoptr(CsTableReader) reader = open_path (path, NULL);
  g_autoptr(GError) error = NULL;
  gint64 n = 0;

  g_assert_true (cs_table_reader_next (reader, NULL, &error));
  g_assert_cmpstr (cs_table_reader_get_field (reader, 0), ==, "video_id");
  while (cs_table_reader_next (reader, NULL, &error))
    {
      g_assert_null (cs_table_reader_get_problem (reader));
      g_assert_cmpuint (cs_table_reader_get_n_fields (reader), ==, 10);
      n++;
    }
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 10728);
  g_assert_cmpstr (cs_table_reader_get_format (reader), ==, "CSV");
  g_assert_cmpstr (cs_table_reader_get_encoding (reader), ==, "UTF-8");
  g_assert_cmpuint (cs_table_reader_get_bytes_read (reader), ==, 1964578);
}

/* Every table of the shared data reads without a problem, with the number
 * of records (header included) Python's csv module counts, except KuaiRec's
 * captions, where Python splits at bare CRs (see test-csv-reader.c). */
static void
test_real_tables (void)
{
  static const struct { const char *path; gint64 records; const char *format; } tables[] = {
    { "interactions/kuairec-metadata/item_categories.csv", 10729, "CSV" },
    { "interactions/kuairec-metadata/kuairec_caption_category.csv", 10729, "CSV" },
    { "interactions/kuairec-metadata/user_features.csv", 7177, "CSV" },
    { "interactions/ml-100k/ml-100k.inter", 100001, "TSV" },
    { "interactions/ml-100k/ml-100k.item", 1683, "TSV" },
    { "interactions/ml-100k/ml-100k.user", 944, "TSV" },
    { "interactions/tiktok-pairs/tiktok.inter", 59542, "TSV" },
    { "interactions/douyin-sample/byterec_sample.txt", 200, "TSV" },
    { "engagement/bilibili-bangumi/scores-old-ss1-ss39050.csv", 5701, "CSV" },
    { "engagement/bilibili-bangumi/scores-ss1-ss41790.csv", 6568, "CSV" },
    { "engagement/weibo-cctv-2020/sina_cctv_list_1.csv", 929, "CSV" },
    { "engagement/weibo-cctv-2020/sina_cctv_list_2.csv", 963, "CSV" },
    { "engagement/weibo-cctv-2020/sina_cctv_list_3.csv", 604, "CSV" },
    { "engagement/weibo-cctv-2020/sina_cctv_list_4.csv", 954, "CSV" },
    { "engagement/weibo-cctv-2020/sina_cctv_list_5.csv", 963, "CSV" },
    { "engagement/weibo-cctv-2020/sina_cctv_list_6.csv", 960, "CSV" },
    { "engagement/weibo-cctv-2020/sina_cctv_list_7.csv", 843, "CSV" },
    { "engagement/weibo-cctv-2020/sina_cctv_list_8.csv", 967, "CSV" },
    { "engagement/weibo-cctv-2020/sina_cctv_list_9.csv", 351, "CSV" },
    { "engagement/weibo-cctv-2020/sina_cctv_list_10.csv", 959, "CSV" },
    { "engagement/weibo-cctv-2020/sina_cctv_list_11.csv", 150, "CSV" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *path = g_build_filename (cs_test_shared_data (), tables[i].path, NULL);
      g_autoptr(CsTableReader) reader = open_path (path, NULL);
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", tables[i].path);
      while (cs_table_reader_next (reader, NULL, &error))
        g_assert_null (cs_table_reader_get_problem (reader));
      g_assert_no_error (error);
      g_assert_cmpint (cs_table_reader_get_n_records (reader), ==, tables[i].records);
      g_assert_cmpstr (cs_table_reader_get_format (reader), ==, tables[i].format);
      g_assert_cmpstr (cs_table_reader_get_encoding (reader), ==, "UTF-8");
    }
}

static GPtrArray *
read_all (const char *path,
          const char *encoding)
{
  g_autoptr(CsTableReader) reader = open_path (path, NULL);
  g_autoptr(GError) error = NULL;
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  while (cs_table_reader_next (reader, NULL, &error))
    {
      g_assert_null (cs_table_reader_get_problem (reader));
      g_ptr_array_add (records, cs_table_reader_dup_fields (reader));
    }
  g_assert_no_error (error);
  g_assert_cmpstr (cs_table_reader_get_encoding (reader), ==, encoding);
  return records;
}

/* A Chinese Weibo export, converted by the test to GB18030 and to UTF-16
 * (both byte orders, with a mark, as Excel writes): exactly the same fields.
 * Python's csv module reads 150 records (a header and 149 posts). */
static void
test_weibo_encodings (void)
{
  g_autofree char *path = g_build_filename (cs_test_shared_data (), "engagement", "weibo-cctv-2020",
                                            "sina_cctv_list_11.csv", NULL);
  g_autofree char *dir = cs_test_make_dir ("cs-table-reader-XXXXXX");
  g_autofree char *text = NULL;
  gsize len;
  g_autoptr(GPtrArray) original = NULL;
  struct { const char *name, *iconv, *bom, *expected; } copies[] = {
    { "gb18030.csv", "GB18030", "", "GB18030" },
    { "utf16le.csv", "UTF-16LE", "\xFF\xFE", "UTF-16LE" },
    { "utf16be.csv", "UTF-16BE", "\xFE\xFF", "UTF-16BE" },
  };

  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  original = read_all (path, "UTF-8");
  g_assert_cmpuint (original->len, ==, 150);

  for (guint i = 0; i < G_N_ELEMENTS (copies); i++)
    {
      g_autofree char *copy_path = g_build_filename (dir, copies[i].name, NULL);
      gsize copy_len;
      g_autofree char *copy = encode (text, copies[i].iconv, copies[i].bom,
                                      strlen (copies[i].bom), &copy_len);
      g_autoptr(GPtrArray) records = NULL;

      g_assert_true (g_file_set_contents (copy_path, copy, copy_len, NULL));
      records = read_all (copy_path, copies[i].expected);
      g_assert_cmpuint (records->len, ==, original->len);
      for (guint r = 0; r < records->len; r++)
        g_assert_cmpstrv (g_ptr_array_index (records, r), g_ptr_array_index (original, r));
    }
  cs_test_remove_dir (dir);
}

static void
expect_same_records (const char *path,
                     GPtrArray  *expected,
                     const char *format)
{
  g_autoptr(CsTableReader) reader = open_path (path, NULL);
  g_autoptr(GError) error = NULL;
  guint n = 0;

  while (cs_table_reader_next (reader, NULL, &error))
    {
      g_assert_null (cs_table_reader_get_problem (reader));
      g_assert_cmpuint (n, <, expected->len);
      g_assert_cmpstrv (cs_table_reader_get_fields (reader), g_ptr_array_index (expected, n));
      n++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, expected->len);
  g_assert_cmpstr (cs_table_reader_get_format (reader), ==, format);
}

/* The same Weibo export as a JSON array and JSON Lines (written by
 * json-glib) and as an XLSX workbook with shared strings: the same records
 * as the CSV. */
static void
test_weibo_formats (void)
{
  g_autofree char *path = g_build_filename (cs_test_shared_data (), "engagement",
                                            "weibo-cctv-2020", "sina_cctv_list_11.csv", NULL);
  g_autofree char *dir = cs_test_make_dir ("cs-table-reader-XXXXXX");
  g_autofree char *json_path = g_build_filename (dir, "weibo.json", NULL);
  g_autofree char *lines_path = g_build_filename (dir, "weibo.jsonl", NULL);
  g_autoptr(GPtrArray) records = read_all (path, "UTF-8");
  const char * const *header = g_ptr_array_index (records, 0);
  g_autoptr(JsonBuilder) array = json_builder_new ();
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autoptr(GString) sst = g_string_new ("<sst xmlns=\"http://schemas.openxmlformats.org/"
                                         "spreadsheetml/2006/main\">");
  g_autoptr(GString) sheet = g_string_new ("<worksheet xmlns=\"http://schemas.openxmlformats.org/"
                                           "spreadsheetml/2006/main\"><sheetData>");
  g_autofree char *json_text = NULL;
  g_autofree char *xlsx_path = NULL;
  guint n_strings = 0;

  json_builder_begin_array (array);
  for (guint r = 0; r < records->len; r++)
    {
      const char * const *row = g_ptr_array_index (records, r);
      g_autoptr(JsonBuilder) object = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *line = NULL;

      g_string_append_printf (sheet, "<row r=\"%u\">", r + 1);
      for (guint c = 0; row[c] != NULL; c++)
        {
          g_autofree char *escaped = g_markup_escape_text (row[c], -1);

          g_string_append_printf (sst, "<si><t>%s</t></si>", escaped);
          g_string_append_printf (sheet, "<c r=\"%c%u\" t=\"s\"><v>%u</v></c>", 'A' + c, r + 1,
                                  n_strings++);
        }
      g_string_append (sheet, "</row>");
      if (r == 0)
        continue;

      json_builder_begin_object (object);
      for (guint c = 0; header[c] != NULL; c++)
        {
          json_builder_set_member_name (object, header[c]);
          json_builder_add_string_value (object, row[c]);
        }
      json_builder_end_object (object);
      node = json_builder_get_root (object);
      line = json_to_string (node, FALSE);
      g_string_append_printf (lines, "%s\n", line);
      json_builder_add_value (array, g_steal_pointer (&node));
    }
  json_builder_end_array (array);
  g_string_append (sst, "</sst>");
  g_string_append (sheet, "</sheetData></worksheet>");

  {
    g_autoptr(JsonNode) root = json_builder_get_root (array);

    json_text = json_to_string (root, TRUE);
  }
  g_assert_true (g_file_set_contents (json_path, json_text, -1, NULL));
  g_assert_true (g_file_set_contents (lines_path, lines->str, lines->len, NULL));
  {
    const Part parts[] = {
      { "xl/workbook.xml", workbook },
      { "xl/_rels/workbook.xml.rels", rels },
      { "xl/sharedStrings.xml", sst->str },
      { "xl/styles.xml", styles },
      { "xl/worksheets/sheet1.xml", sheet->str },
    };

    xlsx_path = write_zip (dir, "weibo.xlsx", parts, G_N_ELEMENTS (parts));
  }

  expect_same_records (json_path, records, "JSON");
  expect_same_records (lines_path, records, "JSON Lines");
  expect_same_records (xlsx_path, records, "XLSX");
  cs_test_remove_dir (dir);
}

static void
test_format_names (void)
{
  CsTableFormat format;

  g_assert_true (cs_table_format_from_string ("JSONL", &format));
  g_assert_cmpint (format, ==, CS_TABLE_FORMAT_JSON_LINES);
  g_assert_true (cs_table_format_from_string ("xlsx", &format));
  g_assert_cmpint (format, ==, CS_TABLE_FORMAT_XLSX);
  g_assert_false (cs_table_format_from_string ("xls", &format));
  g_assert_cmpstr (cs_table_format_get_name (CS_TABLE_FORMAT_JSON_LINES), ==, "JSON Lines");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/table/csv", test_csv);
  g_test_add_func ("/engine/table/tsv", test_tsv);
  g_test_add_func ("/engine/table/empty", test_empty);
  g_test_add_func ("/engine/table/encodings", test_encodings);
  g_test_add_func ("/engine/table/encoding-given", test_encoding_given);
  g_test_add_func ("/engine/table/utf16-cut", test_utf16_cut);
  g_test_add_func ("/engine/table/binary", test_binary);
  g_test_add_func ("/engine/table/json-array", test_json_array);
  g_test_add_func ("/engine/table/json-items", test_json_items);
  g_test_add_func ("/engine/table/json-errors", test_json_errors);
  g_test_add_func ("/engine/table/json-lines", test_json_lines);
  g_test_add_func ("/engine/table/json-late-key", test_json_late_key);
  g_test_add_func ("/engine/table/json-utf16", test_json_utf16);
  g_test_add_func ("/engine/table/xlsx", test_xlsx);
  g_test_add_func ("/engine/table/xlsx-sheets", test_xlsx_sheets);
  g_test_add_func ("/engine/table/xlsx-1904", test_xlsx_1904);
  g_test_add_func ("/engine/table/xlsx-broken", test_xlsx_broken);
  g_test_add_func ("/engine/table/kuairec", test_kuairec);
  g_test_add_func ("/engine/table/real-tables", test_real_tables);
  g_test_add_func ("/engine/table/weibo-encodings", test_weibo_encodings);
  g_test_add_func ("/engine/table/weibo-formats", test_weibo_formats);
  g_test_add_func ("/engine/table/format-names", test_format_names);

  return g_test_run ();
}
