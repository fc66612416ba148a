/* cs-table-reader-xlsx.c: the first (or a chosen) sheet of an XLSX workbook.
 *
 * An XLSX file is a zip archive of XML parts (ECMA-376): xl/workbook.xml
 * lists the sheets, xl/_rels/workbook.xml.rels says which part holds each,
 * xl/sharedStrings.xml holds the texts the cells refer to by index, and
 * xl/styles.xml the number formats that tell dates from plain numbers. The
 * sheet itself is read with libxml2's xmlTextReader straight from the zip
 * member (libzip), so only the current row is in memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <libxml/xmlreader.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <zip.h>

#include "cs-error.h"
#include "cs-table-reader-private.h"

/* Excel's limit: column XFD. */
#define MAX_COLUMNS 16384
/* 9999-12-31, the last day Excel shows. */
#define MAX_SERIAL 2958466.0

typedef enum
{
  NUMBER_PLAIN,
  NUMBER_DATE,
  NUMBER_TIME,
  NUMBER_DATETIME,
  NUMBER_ELAPSED,  /* [h]:mm:ss: a duration, hours may pass 24 */
} NumberKind;

typedef struct
{
  zip_file_t *file;
  guint64    *count;
} PartIO;

typedef struct
{
  zip_t            *zip;
  xmlTextReaderPtr  xml;
  char             *xml_error;
  char             *sheet_part;
  guint64           sheet_read;

  GString          *strings;        /* shared strings, each followed by a NUL */
  GArray           *string_starts;  /* gsize */
  GArray           *xf_kinds;       /* guint8 NumberKind, by style index */
  gboolean          date1904;

  GPtrArray        *cells;          /* char *, by column; NULL is empty */
  GString          *value;
  GString          *inline_text;
  guint             header_width;
  gboolean          header_done;
  gint64            last_row;
  gint64            last_emitted;   /* the last row returned, for messages */
  gboolean          done;
} Xlsx;

typedef struct
{
  char *name;
  char *rel_id;
} Sheet;

static void
sheet_free (Sheet *sheet)
{
  g_free (sheet->name);
  g_free (sheet->rel_id);
  g_free (sheet);
}

static void
xlsx_free (gpointer data)
{
  Xlsx *x = data;

  if (x->xml != NULL)
    xmlFreeTextReader (x->xml);
  if (x->zip != NULL)
    zip_discard (x->zip);
  g_free (x->xml_error);
  g_free (x->sheet_part);
  if (x->strings != NULL)
    g_string_free (x->strings, TRUE);
  g_clear_pointer (&x->string_starts, g_array_unref);
  g_clear_pointer (&x->xf_kinds, g_array_unref);
  g_clear_pointer (&x->cells, g_ptr_array_unref);
  if (x->value != NULL)
    g_string_free (x->value, TRUE);
  if (x->inline_text != NULL)
    g_string_free (x->inline_text, TRUE);
  g_free (x);
}

/* Zip parts as XML streams */

static int
part_read (void *context,
           char *buffer,
           int   len)
{
  PartIO *io = context;
  zip_int64_t n = zip_fread (io->file, buffer, len);

  if (n < 0)
    return -1;
  if (io->count != NULL)
    *io->count += n;
  return (int) n;
}

static int
part_close (void *context)
{
  PartIO *io = context;

  zip_fclose (io->file);
  g_free (io);
  return 0;
}

static void
on_xml_error (void                   *arg,
              const char             *msg,
              xmlParserSeverities     severity,
              xmlTextReaderLocatorPtr locator)
{
  char **slot = arg;

  if (*slot == NULL && (severity == XML_PARSER_SEVERITY_ERROR || severity == XML_PARSER_SEVERITY_VALIDITY_ERROR))
    *slot = g_strstrip (g_strdup (msg));
}

/* NULL when the part does not exist. */
static xmlTextReaderPtr
open_part (zip_t      *zip,
           const char *name,
           guint64    *count,
           char      **error_slot)
{
  zip_file_t *file = zip_fopen (zip, name, 0);
  PartIO *io;
  xmlTextReaderPtr xml;

  if (file == NULL)
    return NULL;
  io = g_new0 (PartIO, 1);
  io->file = file;
  io->count = count;
  /* No network, no entity substitution: the file is untrusted. */
  xml = xmlReaderForIO (part_read, part_close, io, name, NULL, XML_PARSE_NONET);
  if (xml != NULL)
    xmlTextReaderSetErrorHandler (xml, on_xml_error, error_slot);
  return xml;
}

static gboolean
is_element (xmlTextReaderPtr  xml,
            const char       *name)
{
  return xmlTextReaderNodeType (xml) == XML_READER_TYPE_ELEMENT
         && strcmp ((const char *) xmlTextReaderConstLocalName (xml), name) == 0;
}

static gboolean
is_end (xmlTextReaderPtr  xml,
        const char       *name)
{
  return xmlTextReaderNodeType (xml) == XML_READER_TYPE_END_ELEMENT
         && strcmp ((const char *) xmlTextReaderConstLocalName (xml), name) == 0;
}

static gboolean
is_text (xmlTextReaderPtr xml)
{
  int type = xmlTextReaderNodeType (xml);

  return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA
         || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE || type == XML_READER_TYPE_WHITESPACE;
}

static char *
get_attribute (xmlTextReaderPtr  xml,
               const char       *name)
{
  xmlChar *value = xmlTextReaderGetAttribute (xml, (const xmlChar *) name);
  char *copy = g_strdup ((const char *) value);

  xmlFree (value);
  return copy;
}

/* The relationship id of a <sheet>: r:id, whatever the prefix. */
static char *
get_rel_id (xmlTextReaderPtr xml)
{
  char *id = NULL;

  while (id == NULL && xmlTextReaderMoveToNextAttribute (xml) == 1)
    if (strcmp ((const char *) xmlTextReaderConstLocalName (xml), "id") == 0
        && xmlTextReaderConstNamespaceUri (xml) != NULL)
      id = g_strdup ((const char *) xmlTextReaderConstValue (xml));
  xmlTextReaderMoveToElement (xml);
  return id;
}

/* "worksheets/sheet1.xml" relative to xl/, or "/xl/…" from the root. */
static char *
resolve_target (zip_t      *zip,
                const char *target)
{
  g_autofree char *relative = NULL;

  if (target[0] == '/')
    return g_strdup (target + 1);
  relative = g_strconcat ("xl/", target, NULL);
  if (zip_name_locate (zip, relative, 0) < 0 && zip_name_locate (zip, target, 0) >= 0)
    return g_strdup (target);
  return g_steal_pointer (&relative);
}

/* Opening the workbook */

static gboolean
starts_like_zip (const char *path,
                 GBytes     *bytes)
{
  guint8 head[2] = { 0, };

  if (path != NULL)
    {
      FILE *file = fopen (path, "rb");

      if (file == NULL)
        return FALSE;
      if (fread (head, 1, 2, file) != 2)
        head[0] = 0;
      fclose (file);
    }
  else if (g_bytes_get_size (bytes) >= 2)
    memcpy (head, g_bytes_get_data (bytes, NULL), 2);
  return head[0] == 'P' && head[1] == 'K';
}

static zip_t *
open_zip (const char  *path,
          GBytes      *bytes,
          const char  *display_name,
          GError     **error)
{
  zip_error_t zerror;
  zip_t *zip = NULL;
  int code = 0;

  zip_error_init (&zerror);
  if (path != NULL)
    {
      zip = zip_open (path, ZIP_RDONLY, &code);
      zip_error_init_with_code (&zerror, code);
    }
  else
    {
      zip_source_t *source = zip_source_buffer_create (g_bytes_get_data (bytes, NULL),
                                                       g_bytes_get_size (bytes), 0, &zerror);

      if (source != NULL)
        {
          zip = zip_open_from_source (source, ZIP_RDONLY, &zerror);
          if (zip == NULL)
            zip_source_free (source);
        }
      code = zip_error_code_zip (&zerror);
    }

  if (zip == NULL)
    {
      if (!starts_like_zip (path, bytes))
        g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT,
                     _("“%s” is not an Excel workbook (.xlsx files are zip archives); choose "
                       "another format or let Clipscope detect it"),
                     display_name);
      else if (code == ZIP_ER_NOZIP || code == ZIP_ER_INCONS || code == ZIP_ER_EOF)
        g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT,
                     _("“%s” is damaged or cut short: it starts like an Excel workbook (a zip "
                       "archive) but its index is missing or wrong; save it again from the "
                       "spreadsheet or copy it again"),
                     display_name);
      else
        g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT,
                     _("“%s” cannot be read as an Excel workbook: %s"),
                     display_name, zip_error_strerror (&zerror));
    }
  zip_error_fini (&zerror);
  return zip;
}

/* The workbook's sheets in tab order and its date system; NULL and @error
 * when it is not a workbook. */
static GPtrArray *
read_workbook (zip_t       *zip,
               const char  *display_name,
               gboolean    *date1904,
               GError     **error)
{
  g_autoptr(GPtrArray) sheets = g_ptr_array_new_with_free_func ((GDestroyNotify) sheet_free);
  g_autofree char *xml_error = NULL;
  xmlTextReaderPtr xml = open_part (zip, "xl/workbook.xml", NULL, &xml_error);
  int ret;

  if (xml == NULL)
    {
      if (zip_name_locate (zip, "content.xml", 0) >= 0)
        g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT,
                     _("“%s” is an OpenDocument spreadsheet, not an Excel workbook; save it "
                       "as .xlsx or CSV and import that"),
                     display_name);
      else
        g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT,
                     _("“%s” is a zip archive but not an Excel workbook (it has no "
                       "xl/workbook.xml); choose an .xlsx, CSV or JSON file"),
                     display_name);
      return NULL;
    }

  while ((ret = xmlTextReaderRead (xml)) == 1)
    {
      if (is_element (xml, "sheet"))
        {
          Sheet *sheet = g_new0 (Sheet, 1);

          sheet->name = get_attribute (xml, "name");
          sheet->rel_id = get_rel_id (xml);
          if (sheet->name == NULL)
            sheet->name = g_strdup_printf ("%u", sheets->len + 1);
          g_ptr_array_add (sheets, sheet);
        }
      else if (is_element (xml, "workbookPr") && date1904 != NULL)
        {
          g_autofree char *value = get_attribute (xml, "date1904");

          *date1904 = g_strcmp0 (value, "1") == 0 || g_strcmp0 (value, "true") == 0;
        }
    }
  xmlFreeTextReader (xml);

  if (ret < 0)
    {
      g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT,
                   _("The workbook “%s” is damaged: its list of sheets cannot be read (%s)"),
                   display_name, xml_error != NULL ? xml_error : _("unreadable data"));
      return NULL;
    }
  if (sheets->len == 0)
    {
      g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_EMPTY,
                   _("The workbook “%s” has no sheets"), display_name);
      return NULL;
    }
  return g_steal_pointer (&sheets);
}

/* Relationship id → part name, and the shared strings and styles parts. */
static GHashTable *
read_rels (zip_t  *zip,
           char  **strings_part,
           char  **styles_part)
{
  GHashTable *rels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *xml_error = NULL;
  xmlTextReaderPtr xml = open_part (zip, "xl/_rels/workbook.xml.rels", NULL, &xml_error);

  if (xml == NULL)
    return rels;
  while (xmlTextReaderRead (xml) == 1)
    if (is_element (xml, "Relationship"))
      {
        g_autofree char *id = get_attribute (xml, "Id");
        g_autofree char *target = get_attribute (xml, "Target");
        g_autofree char *type = get_attribute (xml, "Type");

        if (id == NULL || target == NULL)
          continue;
        if (type != NULL && g_str_has_suffix (type, "/sharedStrings") && *strings_part == NULL)
          *strings_part = resolve_target (zip, target);
        else if (type != NULL && g_str_has_suffix (type, "/styles") && *styles_part == NULL)
          *styles_part = resolve_target (zip, target);
        g_hash_table_insert (rels, g_steal_pointer (&id), resolve_target (zip, target));
      }
  xmlFreeTextReader (xml);
  return rels;
}

/* Excel writes the characters XML cannot hold (CR, other controls) as
 * _xHHHH_ (ECMA-376 ST_Xstring); "_x005F_" is an underscore itself. Decodes
 * @text from byte @from on, in place. */
static void
decode_xstring (GString *text,
                gsize    from)
{
  g_autoptr(GString) out = NULL;
  const char *p;

  if (strstr (text->str + from, "_x") == NULL)
    return;
  out = g_string_sized_new (text->len - from);
  for (p = text->str + from; *p != '\0';)
    {
      if (p[0] == '_' && p[1] == 'x' && g_ascii_isxdigit (p[2]) && g_ascii_isxdigit (p[3])
          && g_ascii_isxdigit (p[4]) && g_ascii_isxdigit (p[5]) && p[6] == '_')
        {
          gunichar c = (g_ascii_xdigit_value (p[2]) << 12) | (g_ascii_xdigit_value (p[3]) << 8)
                       | (g_ascii_xdigit_value (p[4]) << 4) | g_ascii_xdigit_value (p[5]);

          /* NUL cannot be in a field, nor half a surrogate pair in UTF-8. */
          if (c != 0 && g_unichar_validate (c))
            g_string_append_unichar (out, c);
          p += 7;
        }
      else
        g_string_append_c (out, *p++);
    }
  g_string_truncate (text, from);
  g_string_append_len (text, out->str, out->len);
}

static gboolean
read_shared_strings (Xlsx        *x,
                     const char  *part,
                     const char  *display_name,
                     GError     **error)
{
  g_autofree char *xml_error = NULL;
  xmlTextReaderPtr xml = open_part (x->zip, part, NULL, &xml_error);
  gboolean in_si = FALSE, in_t = FALSE, in_rph = FALSE;
  gsize start = 0;
  int ret;

  if (xml == NULL)
    return TRUE;  /* a workbook without texts */

  while ((ret = xmlTextReaderRead (xml)) == 1)
    {
      if (is_element (xml, "si"))
        {
          start = x->strings->len;
          in_si = !xmlTextReaderIsEmptyElement (xml);
          if (!in_si)
            {
              g_array_append_val (x->string_starts, start);
              g_string_append_c (x->strings, '\0');
            }
        }
      else if (is_end (xml, "si"))
        {
          decode_xstring (x->strings, start);
          g_array_append_val (x->string_starts, start);
          g_string_append_c (x->strings, '\0');
          in_si = FALSE;
        }
      else if (is_element (xml, "t"))
        in_t = in_si && !xmlTextReaderIsEmptyElement (xml);
      else if (is_end (xml, "t"))
        in_t = FALSE;
      /* Phonetic guides (furigana) are not part of the text. */
      else if (is_element (xml, "rPh"))
        in_rph = !xmlTextReaderIsEmptyElement (xml);
      else if (is_end (xml, "rPh"))
        in_rph = FALSE;
      else if (in_t && !in_rph && is_text (xml))
        g_string_append (x->strings, (const char *) xmlTextReaderConstValue (xml));
    }
  xmlFreeTextReader (xml);

  if (ret < 0)
    {
      g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT,
                   _("The workbook “%s” is damaged: its texts cannot be read (%s)"),
                   display_name, xml_error != NULL ? xml_error : _("unreadable data"));
      return FALSE;
    }
  return TRUE;
}

/* Whether a number format shows a date, a time or both. Only the first
 * section counts; quoted text, escaped characters, colours and locales
 * ([Red], [$-804]) are skipped; [h], [mm], [ss] are elapsed time. 'm' is a
 * month unless hours or seconds are there too. */
static NumberKind
classify_format (const char *code)
{
  gboolean date = FALSE, time = FALSE, month = FALSE, elapsed = FALSE;

  for (const char *p = code; *p != '\0' && *p != ';'; p++)
    {
      char c = g_ascii_tolower (*p);

      if (c == '"')
        {
          const char *end = strchr (p + 1, '"');

          if (end == NULL)
            break;
          p = end;
        }
      else if (c == '\\' || c == '_' || c == '*')
        {
          if (p[1] == '\0')
            break;
          p++;
        }
      else if (c == '[')
        {
          const char *end = strchr (p, ']');
          gsize len;

          if (end == NULL)
            break;
          len = end - p - 1;
          if (len > 0 && strspn (p + 1, "hHmMsS") == len)
            elapsed = time = TRUE;
          p = end;
        }
      else if (g_ascii_strncasecmp (p, "am/pm", 5) == 0)
        {
          time = TRUE;
          p += 4;
        }
      else if (g_ascii_strncasecmp (p, "a/p", 3) == 0)
        {
          time = TRUE;
          p += 2;
        }
      else if (c == 'd' || c == 'y')
        date = TRUE;
      else if (c == 'h' || c == 's')
        time = TRUE;
      else if (c == 'm')
        month = TRUE;
    }

  if (month && !time)
    date = TRUE;
  if (elapsed && !date)
    return NUMBER_ELAPSED;
  if (date && time)
    return NUMBER_DATETIME;
  if (date)
    return NUMBER_DATE;
  if (time)
    return NUMBER_TIME;
  return NUMBER_PLAIN;
}

/* Built-in formats (ECMA-376 §18.8.30): 14–22 and 45–47, and the East Asian
 * ones Chinese Excel writes without defining them (27–36, 50–58). */
static NumberKind
builtin_kind (guint id)
{
  switch (id)
    {
    case 14: case 15: case 16: case 17:
    case 27: case 28: case 29: case 30: case 31: case 36:
    case 50: case 51: case 52: case 53: case 54: case 57: case 58:
      return NUMBER_DATE;
    case 18: case 19: case 20: case 21: case 45: case 47:
    case 32: case 33: case 34: case 35: case 55: case 56:
      return NUMBER_TIME;
    case 22:
      return NUMBER_DATETIME;
    case 46:
      return NUMBER_ELAPSED;
    default:
      return NUMBER_PLAIN;
    }
}

static void
read_styles (Xlsx       *x,
             const char *part)
{
  g_autoptr(GHashTable) custom = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autofree char *xml_error = NULL;
  xmlTextReaderPtr xml = open_part (x->zip, part, NULL, &xml_error);
  gboolean in_cell_xfs = FALSE;

  if (xml == NULL)
    return;
  /* A damaged styles part only loses date formatting: numbers stay numbers. */
  while (xmlTextReaderRead (xml) == 1)
    {
      if (is_element (xml, "numFmt"))
        {
          g_autofree char *id = get_attribute (xml, "numFmtId");
          g_autofree char *code = get_attribute (xml, "formatCode");

          if (id != NULL && code != NULL)
            g_hash_table_insert (custom, GUINT_TO_POINTER ((guint) g_ascii_strtoull (id, NULL, 10)),
                                 GUINT_TO_POINTER (classify_format (code) + 1));
        }
      else if (is_element (xml, "cellXfs"))
        in_cell_xfs = !xmlTextReaderIsEmptyElement (xml);
      else if (is_end (xml, "cellXfs"))
        in_cell_xfs = FALSE;
      else if (in_cell_xfs && is_element (xml, "xf"))
        {
          g_autofree char *id_text = get_attribute (xml, "numFmtId");
          guint id = id_text != NULL ? (guint) g_ascii_strtoull (id_text, NULL, 10) : 0;
          gpointer found = g_hash_table_lookup (custom, GUINT_TO_POINTER (id));
          guint8 kind = found != NULL ? GPOINTER_TO_UINT (found) - 1 : builtin_kind (id);

          g_array_append_val (x->xf_kinds, kind);
        }
    }
  xmlFreeTextReader (xml);
}

static Xlsx *
open_workbook (const char  *path,
               GBytes      *bytes,
               const char  *display_name,
               GPtrArray  **sheets,
               GError     **error)
{
  static gsize initialised = 0;
  Xlsx *x = g_new0 (Xlsx, 1);

  /* Once, before any thread parses: xmlInitParser() is not thread-safe. */
  if (g_once_init_enter (&initialised))
    {
      xmlInitParser ();
      g_once_init_leave (&initialised, 1);
    }
  x->zip = open_zip (path, bytes, display_name, error);
  if (x->zip == NULL)
    {
      xlsx_free (x);
      return NULL;
    }
  *sheets = read_workbook (x->zip, display_name, &x->date1904, error);
  if (*sheets == NULL)
    {
      xlsx_free (x);
      return NULL;
    }
  return x;
}

GStrv
cs_xlsx_list_sheets (const char  *path,
                     GBytes      *bytes,
                     const char  *display_name,
                     GError     **error)
{
  g_autoptr(GPtrArray) sheets = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  Xlsx *x = open_workbook (path, bytes, display_name, &sheets, error);

  if (x == NULL)
    return NULL;
  for (guint i = 0; i < sheets->len; i++)
    g_strv_builder_add (names, ((Sheet *) g_ptr_array_index (sheets, i))->name);
  xlsx_free (x);
  return g_strv_builder_end (names);
}

/* Cells */

/* The attributes of a <c> element that matter, copied without allocating
 * (this runs for every cell): all are short, so a longer value is invalid
 * and becomes "?". */
typedef struct
{
  char type[16];   /* t: s, inlineStr, b, str, e, d, n */
  char style[16];  /* s: index into the cell formats */
  char ref[16];    /* r: "C5" */
} CellAttributes;

static void
read_cell_attributes (xmlTextReaderPtr  xml,
                      CellAttributes   *cell)
{
  cell->type[0] = cell->style[0] = cell->ref[0] = '\0';
  while (xmlTextReaderMoveToNextAttribute (xml) == 1)
    {
      const char *name = (const char *) xmlTextReaderConstLocalName (xml);
      char *slot = NULL;

      if (name[0] == '\0' || name[1] != '\0' || xmlTextReaderConstPrefix (xml) != NULL)
        continue;
      if (name[0] == 't')
        slot = cell->type;
      else if (name[0] == 's')
        slot = cell->style;
      else if (name[0] == 'r')
        slot = cell->ref;
      if (slot != NULL
          && g_strlcpy (slot, (const char *) xmlTextReaderConstValue (xml), 16) >= 16)
        strcpy (slot, "?");
    }
  xmlTextReaderMoveToElement (xml);
}

/* "C5" → 2 (and the row, unused); -1 when it is not a reference. */
static int
parse_column (const char *ref)
{
  int column = 0;
  const char *p = ref;

  for (; g_ascii_isalpha (*p); p++)
    {
      column = column * 26 + (g_ascii_toupper (*p) - 'A' + 1);
      if (column > MAX_COLUMNS)
        return -1;
    }
  if (p == ref)
    return -1;
  return column - 1;
}

static void
column_name (int      column,
             char     out[8])
{
  char tmp[8];
  int n = 0;

  column++;
  while (column > 0 && n < 7)
    {
      tmp[n++] = 'A' + (column - 1) % 26;
      column = (column - 1) / 26;
    }
  for (int i = 0; i < n; i++)
    out[i] = tmp[n - 1 - i];
  out[n] = '\0';
}

/* More than 15 significant digits is binary noise ("0.30000000000000004"):
 * show it as Excel does. Other numbers stay as written. */
static char *
format_number (const char *text)
{
  int digits = 0;
  gboolean leading = TRUE;
  char *end;
  double value;

  for (const char *p = text; *p != '\0' && *p != 'e' && *p != 'E'; p++)
    if (g_ascii_isdigit (*p))
      {
        if (*p != '0' || !leading)
          {
            digits++;
            leading = FALSE;
          }
      }
  value = g_ascii_strtod (text, &end);
  if (digits <= 15 || *end != '\0' || !isfinite (value))
    return g_strdup (text);
  {
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.15g", value));
  }
}

/* A date serial number as ISO 8601 text; NULL when out of range. */
static char *
format_serial (double      serial,
               NumberKind  kind,
               gboolean    date1904)
{
  gint64 ms, days, in_day;
  GDate date;
  int h, m, s, frac;
  g_autofree char *time = NULL;

  if (!isfinite (serial) || serial < 0 || serial > MAX_SERIAL)
    return NULL;
  ms = (gint64) llround (serial * 86400000.0);
  days = ms / 86400000;
  in_day = ms % 86400000;

  if (kind == NUMBER_ELAPSED)
    {
      gint64 total = ms / 1000;

      return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d",
                              total / 3600, (int) (total / 60 % 60), (int) (total % 60));
    }

  h = in_day / 3600000;
  m = in_day / 60000 % 60;
  s = in_day / 1000 % 60;
  frac = in_day % 1000;
  time = frac != 0 ? g_strdup_printf ("%02d:%02d:%02d.%03d", h, m, s, frac)
                   : g_strdup_printf ("%02d:%02d:%02d", h, m, s);
  if (kind == NUMBER_TIME)
    return g_steal_pointer (&time);

  g_date_clear (&date, 1);
  if (date1904)
    g_date_set_dmy (&date, 1, 1, 1904);
  else if (days == 60)
    {
      /* Excel's 1900 is a leap year (Lotus 1-2-3 compatibility): serial 60 is
       * a day that did not exist. */
      return kind == NUMBER_DATE ? g_strdup ("1900-02-29")
                                 : g_strdup_printf ("1900-02-29T%s", time);
    }
  else if (days < 60)
    g_date_set_dmy (&date, 31, 12, 1899);
  else
    g_date_set_dmy (&date, 30, 12, 1899);
  g_date_add_days (&date, (guint) days);

  if (kind == NUMBER_DATE)
    return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&date),
                            g_date_get_month (&date), g_date_get_day (&date));
  return g_strdup_printf ("%04d-%02d-%02dT%s", g_date_get_year (&date),
                          g_date_get_month (&date), g_date_get_day (&date), time);
}

/* The text of a finished cell; sets *problem when it cannot be read. */
static char *
cell_text (Xlsx        *x,
           const char  *type,
           const char  *style,
           const char  *ref,
           char       **problem)
{
  const char *v = x->value->str;

  if (g_strcmp0 (type, "s") == 0)
    {
      char *end;
      guint64 index = g_ascii_strtoull (v, &end, 10);

      if (end == v || *end != '\0' || index >= x->string_starts->len)
        {
          *problem = g_strdup_printf (_("cell %s refers to text number %s, which the "
                                        "workbook does not have"),
                                      ref, v);
          return g_strdup ("");
        }
      return g_strdup (x->strings->str + g_array_index (x->string_starts, gsize, index));
    }
  if (g_strcmp0 (type, "inlineStr") == 0)
    {
      decode_xstring (x->inline_text, 0);
      return g_strdup (x->inline_text->str);
    }
  if (g_strcmp0 (type, "str") == 0)
    decode_xstring (x->value, 0);
  if (g_strcmp0 (type, "b") == 0)
    return g_strdup (v[0] == '\0' ? "" : strcmp (v, "1") == 0 || strcmp (v, "true") == 0
                                         ? "TRUE" : "FALSE");
  if (type != NULL && strcmp (type, "n") != 0)
    return g_strdup (v);  /* str (a formula's text), e (an error such as #N/A), d (ISO date) */

  if (v[0] == '\0')
    return g_strdup ("");
  if (style != NULL)
    {
      guint64 s = g_ascii_strtoull (style, NULL, 10);

      if (s < x->xf_kinds->len && g_array_index (x->xf_kinds, guint8, s) != NUMBER_PLAIN)
        {
          char *end;
          double serial = g_ascii_strtod (v, &end);
          char *iso = *end == '\0' ? format_serial (serial, g_array_index (x->xf_kinds, guint8, s),
                                                    x->date1904)
                                   : NULL;

          if (iso != NULL)
            return iso;
        }
    }
  return format_number (v);
}

static void
set_sheet_error (CsTableReader  *reader,
                 Xlsx           *x,
                 GError        **error)
{
  g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT,
               _("The sheet “%s” of “%s” is damaged after row %" PRId64 " (%s); the rows "
                 "before it were read"),
               cs_table_reader_get_sheet (reader), cs_table_reader_get_display_name (reader),
               x->last_emitted, x->xml_error != NULL ? x->xml_error : _("the data cannot be uncompressed"));
}

/* FALSE when the row is skipped: rows without values before the header. */
static gboolean
emit_row (CsTableReader *reader,
          Xlsx          *x,
          gint64         row)
{
  GString *raw = cs_table_reader_get_raw_buffer (reader);
  guint n = x->cells->len;

  while (n > 0 && (g_ptr_array_index (x->cells, n - 1) == NULL
                   || *(char *) g_ptr_array_index (x->cells, n - 1) == '\0'))
    n--;
  if (n == 0 && !x->header_done)
    {
      /* Formatting-only rows above the table. */
      cs_table_reader_clear_record (reader);
      g_ptr_array_set_size (x->cells, 0);
      return FALSE;
    }
  if (n == 0)
    {
      /* A row without values reads as a blank line of a CSV file: one empty
       * field, which importers skip. */
      cs_table_reader_add_field (reader, g_strdup (""));
      cs_table_reader_set_line (reader, row);
      x->last_emitted = row;
      g_ptr_array_set_size (x->cells, 0);
      return TRUE;
    }
  if (!x->header_done)
    {
      x->header_width = n;
      x->header_done = TRUE;
    }
  n = MAX (n, x->header_width);
  for (guint i = 0; i < n; i++)
    {
      char *cell = i < x->cells->len ? g_steal_pointer (&x->cells->pdata[i]) : NULL;

      if (i > 0)
        g_string_append_c (raw, '\t');
      if (cell != NULL)
        g_string_append (raw, cell);
      cs_table_reader_add_field (reader, cell != NULL ? cell : g_strdup (""));
    }
  cs_table_reader_set_line (reader, row);
  x->last_emitted = row;
  g_ptr_array_set_size (x->cells, 0);
  return TRUE;
}

static gboolean
xlsx_next (CsTableReader  *reader,
           gpointer        data,
           GCancellable   *cancellable,
           GError        **error)
{
  Xlsx *x = data;
  gsize max_field = cs_table_reader_get_max_field (reader);
  gint64 row = 0;
  gboolean in_row = FALSE, in_cell = FALSE, in_v = FALSE, in_is = FALSE;
  gboolean in_t = FALSE, in_rph = FALSE;
  CellAttributes cell = { "", "", "" };
  int column = -1, next_column = 0;
  int ret;

  if (x->done)
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  while ((ret = xmlTextReaderRead (x->xml)) == 1)
    {
      if (!in_row)
        {
          if (is_element (x->xml, "row"))
            {
              g_autofree char *r = get_attribute (x->xml, "r");
              gint64 number = r != NULL ? g_ascii_strtoll (r, NULL, 10) : 0;

              row = number > 0 ? number : x->last_row + 1;
              x->last_row = row;
              next_column = 0;
              g_ptr_array_set_size (x->cells, 0);
              if (xmlTextReaderIsEmptyElement (x->xml))
                {
                  if (emit_row (reader, x, row))
                    return TRUE;
                  continue;
                }
              in_row = TRUE;
            }
          continue;
        }

      if (is_element (x->xml, "c"))
        {
          read_cell_attributes (x->xml, &cell);
          column = cell.ref[0] != '\0' ? parse_column (cell.ref) : next_column;
          if (column < 0 || column >= MAX_COLUMNS)
            {
              cs_table_reader_take_problem (
                reader, g_strdup_printf (_("the cell reference “%s” is not a valid column "
                                           "(A to XFD); that cell was left out"),
                                         cell.ref));
              column = -1;
            }
          g_string_truncate (x->value, 0);
          g_string_truncate (x->inline_text, 0);
          in_cell = !xmlTextReaderIsEmptyElement (x->xml);
          if (column >= 0)
            next_column = column + 1;
        }
      else if (in_cell && is_end (x->xml, "c"))
        {
          char *problem = NULL;

          in_cell = FALSE;
          if (column >= 0)
            {
              char *text;

              if (cell.ref[0] == '\0')
                {
                  char name[8];

                  column_name (column, name);
                  g_snprintf (cell.ref, sizeof cell.ref, "%s%" PRId64, name, row);
                }
              text = cell_text (x, cell.type[0] != '\0' ? cell.type : NULL,
                                cell.style[0] != '\0' ? cell.style : NULL, cell.ref, &problem);
              if ((guint) column >= x->cells->len)
                g_ptr_array_set_size (x->cells, column + 1);
              g_free (g_ptr_array_index (x->cells, column));
              g_ptr_array_index (x->cells, column) = text;
            }
          if (problem != NULL)
            cs_table_reader_take_problem (reader, problem);
        }
      else if (in_cell && is_element (x->xml, "v"))
        in_v = !xmlTextReaderIsEmptyElement (x->xml);
      else if (is_end (x->xml, "v"))
        in_v = FALSE;
      else if (in_cell && is_element (x->xml, "is"))
        in_is = !xmlTextReaderIsEmptyElement (x->xml);
      else if (is_end (x->xml, "is"))
        in_is = FALSE;
      else if (in_is && is_element (x->xml, "t"))
        in_t = !xmlTextReaderIsEmptyElement (x->xml);
      else if (is_end (x->xml, "t"))
        in_t = FALSE;
      else if (in_is && is_element (x->xml, "rPh"))
        in_rph = !xmlTextReaderIsEmptyElement (x->xml);
      else if (is_end (x->xml, "rPh"))
        in_rph = FALSE;
      else if (is_text (x->xml) && (in_v || (in_t && !in_rph)))
        {
          GString *target = in_v ? x->value : x->inline_text;

          g_string_append (target, (const char *) xmlTextReaderConstValue (x->xml));
          if (target->len > max_field)
            {
              g_autofree char *size = g_format_size_full (max_field, G_FORMAT_SIZE_IEC_UNITS);

              g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT,
                           _("Row %" PRId64 " of the sheet “%s” holds a value longer than %s; "
                             "the file is damaged"),
                           row, cs_table_reader_get_sheet (reader), size);
              return FALSE;
            }
        }
      else if (is_end (x->xml, "row"))
        {
          if (emit_row (reader, x, row))
            return TRUE;
          in_row = FALSE;
        }
    }

  if (ret < 0)
    {
      set_sheet_error (reader, x, error);
      return FALSE;
    }
  x->done = TRUE;
  if (in_row)
    {
      /* The XML ended inside a row: report what was read, with a problem. */
      if (!emit_row (reader, x, row))
        return FALSE;
      cs_table_reader_take_problem (reader, g_strdup (_("the sheet ends in the middle of "
                                                        "this row")));
      return TRUE;
    }
  return FALSE;
}

static guint64
xlsx_bytes_read (CsTableReader *reader,
                 gpointer       data)
{
  return ((Xlsx *) data)->sheet_read;
}

static const CsTableBackend xlsx_backend = {
  .next = xlsx_next,
  .bytes_read = xlsx_bytes_read,
  .free = xlsx_free,
};

gboolean
cs_table_reader_setup_xlsx (CsTableReader  *reader,
                            const char     *path,
                            GBytes         *bytes,
                            const char     *sheet_name,
                            guint           sheet_index,
                            GError        **error)
{
  const char *display_name = cs_table_reader_get_display_name (reader);
  g_autoptr(GPtrArray) sheets = NULL;
  g_autoptr(GHashTable) rels = NULL;
  g_autofree char *strings_part = NULL;
  g_autofree char *styles_part = NULL;
  Sheet *sheet = NULL;
  const char *part;
  zip_stat_t stat;
  Xlsx *x = open_workbook (path, bytes, display_name, &sheets, error);

  if (x == NULL)
    return FALSE;
  x->strings = g_string_new (NULL);
  x->string_starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  x->xf_kinds = g_array_new (FALSE, FALSE, sizeof (guint8));
  x->cells = g_ptr_array_new_with_free_func (g_free);
  x->value = g_string_new (NULL);
  x->inline_text = g_string_new (NULL);
  cs_table_reader_set_backend (reader, &xlsx_backend, x);

  if (sheet_name != NULL)
    {
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint i = 0; i < sheets->len && sheet == NULL; i++)
        if (g_strcmp0 (((Sheet *) g_ptr_array_index (sheets, i))->name, sheet_name) == 0)
          sheet = g_ptr_array_index (sheets, i);
      for (guint i = 0; i < sheets->len && sheet == NULL; i++)
        {
          if (i > 0)
            g_string_append (list, ", ");
          g_string_append (list, ((Sheet *) g_ptr_array_index (sheets, i))->name);
        }
      if (sheet == NULL)
        {
          g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT,
                       _("The workbook “%s” has no sheet named “%s”; its sheets are: %s"),
                       display_name, sheet_name, list->str);
          return FALSE;
        }
    }
  else if (sheet_index >= sheets->len)
    {
      g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The workbook “%s” has only %u sheet; sheet %u does not exist",
                                "The workbook “%s” has only %u sheets; sheet %u does not exist",
                                sheets->len),
                   display_name, sheets->len, sheet_index + 1);
      return FALSE;
    }
  else
    sheet = g_ptr_array_index (sheets, sheet_index);
  cs_table_reader_set_sheet (reader, sheet->name);

  rels = read_rels (x->zip, &strings_part, &styles_part);
  part = sheet->rel_id != NULL ? g_hash_table_lookup (rels, sheet->rel_id) : NULL;
  if (part == NULL)
    {
      g_autofree char *guess = g_strdup_printf ("xl/worksheets/sheet%u.xml",
                                                sheet_index + 1);

      /* No relationships part: the usual name. */
      x->sheet_part = sheet_name == NULL ? g_steal_pointer (&guess) : NULL;
    }
  else
    x->sheet_part = g_strdup (part);

  if (x->sheet_part == NULL || zip_stat (x->zip, x->sheet_part, 0, &stat) < 0)
    {
      g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT,
                   _("The workbook “%s” is damaged: the sheet “%s” is listed but its "
                     "data (%s) is missing; save the workbook again from the spreadsheet"),
                   display_name, sheet->name, x->sheet_part != NULL ? x->sheet_part : "?");
      return FALSE;
    }
  if (stat.valid & ZIP_STAT_SIZE)
    cs_table_reader_set_total (reader, stat.size);

  if (!read_shared_strings (x, strings_part != NULL ? strings_part : "xl/sharedStrings.xml",
                            display_name, error))
    return FALSE;
  read_styles (x, styles_part != NULL ? styles_part : "xl/styles.xml");

  x->xml = open_part (x->zip, x->sheet_part, &x->sheet_read, &x->xml_error);
  if (x->xml == NULL)
    {
      g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT,
                   _("The workbook “%s” is damaged: the sheet “%s” cannot be opened (%s)"),
                   display_name, sheet->name, zip_strerror (x->zip));
      return FALSE;
    }
  return TRUE;
}
