/* bench-table-reader.c: memory stays flat while CsTableReader reads large files.
 *
 * Writes one generated table of ROWS rows (default 1,000,000) in each format
 * to a temporary folder — JSON Lines, a JSON array, CSV converted to GB18030,
 * CSV in UTF-16LE and an XLSX workbook — then reads each in a child process
 * of its own and prints the records read (header included), the file size,
 * the wall-clock and CPU time and the child's peak resident memory (getrusage
 * ru_maxrss), so each figure is that format's alone.
 *
 *   bench-table-reader [ROWS]
 *
 * Figures go in docs/BENCHMARKS.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <zip.h>

#include "cs-table-reader.h"

static const char * const formats[] = { "jsonl", "json", "csv-gb18030", "csv-utf16", "xlsx" };

static void
write_or_die (GOutputStream *out,
              const char    *text,
              gsize          len)
{
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all (out, text, len, NULL, NULL, &error))
    g_error ("%s", error->message);
}

/* Writes @rows rows of one format to @path, a chunk at a time. */
static void
generate (const char *format,
          const char *path,
          guint       rows)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GString) chunk = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *sheet_path = NULL;
  const char *encoding = NULL;
  gboolean xlsx = g_str_equal (format, "xlsx");

  if (g_str_equal (format, "csv-gb18030"))
    encoding = "GB18030";
  else if (g_str_equal (format, "csv-utf16"))
    encoding = "UTF-16LE";

  sheet_path = xlsx ? g_strconcat (path, ".sheet.xml", NULL) : g_strdup (path);
  file = g_file_new_for_path (sheet_path);
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  if (stream == NULL)
    g_error ("%s", error->message);

  if (g_str_equal (format, "json"))
    g_string_append (chunk, "[\n");
  else if (encoding != NULL)
    g_string_append (chunk, "用户,视频,时间,事件,观看时长\n");
  else if (xlsx)
    g_string_append (chunk, "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                            "<sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>user</t></is></c>"
                            "<c t=\"inlineStr\"><is><t>clip</t></is></c><c t=\"inlineStr\"><is><t>time</t></is></c>"
                            "<c t=\"inlineStr\"><is><t>event</t></is></c><c t=\"inlineStr\"><is><t>watch</t></is></c>"
                            "</row>\n");

  for (guint i = 0; i < rows; i++)
    {
      guint user = i % 5000, clip = (i * 7) % 800;
      gint64 time = 1717200000 + i;
      const char *event = (i % 5) ? "view" : "like";
      double watch = (i % 600) / 10.0;

      if (g_str_equal (format, "jsonl") || g_str_equal (format, "json"))
        g_string_append_printf (chunk, "{\"user\": \"u%u\", \"clip\": \"c%u\", \"time\": %" G_GINT64_FORMAT
                                ", \"event\": \"%s\", \"watch\": %.1f}%s\n",
                                user, clip, time, event, watch,
                                g_str_equal (format, "json") && i + 1 < rows ? "," : "");
      else if (encoding != NULL)
        g_string_append_printf (chunk, "用户%u,视频%u,%" G_GINT64_FORMAT ",%s,%.1f\n",
                                user, clip, time, (i % 5) ? "播放" : "点赞", watch);
      else
        g_string_append_printf (chunk, "<row r=\"%u\"><c t=\"inlineStr\"><is><t>u%u</t></is></c>"
                                "<c t=\"inlineStr\"><is><t>c%u</t></is></c><c><v>%" G_GINT64_FORMAT "</v></c>"
                                "<c t=\"inlineStr\"><is><t>%s</t></is></c><c><v>%.1f</v></c></row>\n",
                                i + 2, user, clip, time, event, watch);

      if (chunk->len > 1024 * 1024 || i + 1 == rows)
        {
          if (i + 1 == rows && g_str_equal (format, "json"))
            g_string_append (chunk, "]\n");
          if (i + 1 == rows && xlsx)
            g_string_append (chunk, "</sheetData></worksheet>");
          if (encoding != NULL)
            {
              gsize len = 0;
              g_autofree char *converted = g_convert (chunk->str, chunk->len, encoding, "UTF-8",
                                                      NULL, &len, &error);

              if (converted == NULL)
                g_error ("%s", error->message);
              write_or_die (G_OUTPUT_STREAM (stream), converted, len);
            }
          else
            write_or_die (G_OUTPUT_STREAM (stream), chunk->str, chunk->len);
          g_string_truncate (chunk, 0);
        }
    }
  if (!g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &error))
    g_error ("%s", error->message);

  if (xlsx)
    {
      static const char workbook[] =
        "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        "<sheets><sheet name=\"Events\" r:id=\"rId1\"/></sheets></workbook>";
      int code = 0;
      zip_t *zip = zip_open (path, ZIP_CREATE | ZIP_TRUNCATE, &code);

      if (zip == NULL)
        g_error ("cannot create %s", path);
      zip_file_add (zip, "xl/workbook.xml",
                    zip_source_buffer (zip, workbook, strlen (workbook), 0), 0);
      zip_file_add (zip, "xl/worksheets/sheet1.xml",
                    zip_source_file (zip, sheet_path, 0, -1), 0);
      if (zip_close (zip) < 0)
        g_error ("cannot write %s", path);
      g_unlink (sheet_path);
    }
}

/* The child: reads @path and prints "rows wall_s cpu_s peak_kib\tformat, encoding". */
static int
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CsTableReader) reader = cs_table_reader_new_for_path (path, NULL, &error);
  gint64 start = g_get_monotonic_time ();
  gint64 n = 0, problems = 0;
  struct rusage usage;

  if (reader == NULL)
    g_error ("%s", error->message);
  while (cs_table_reader_next (reader, NULL, &error))
    {
      n++;
      problems += cs_table_reader_get_problem (reader) != NULL;
    }
  if (error != NULL)
    g_error ("%s", error->message);
  if (problems > 0)
    g_error ("%" G_GINT64_FORMAT " records with problems", problems);
  getrusage (RUSAGE_SELF, &usage);
  printf ("%" G_GINT64_FORMAT " %.2f %.2f %ld\t%s, %s\n", n,
          (g_get_monotonic_time () - start) / 1e6,
          usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
          + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6,
          usage.ru_maxrss,
          cs_table_reader_get_format (reader), cs_table_reader_get_encoding (reader));
  return 0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  guint rows = 1000000;

  if (argc == 3 && g_str_equal (argv[1], "--read"))
    return read_file (argv[2]);
  if (argc > 1)
    rows = (guint) g_ascii_strtoull (argv[1], NULL, 10);

  dir = g_dir_make_tmp ("cs-bench-table-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);

  printf ("%-12s %10s %9s %7s %7s %9s  %s\n", "input", "records", "file MiB", "wall s",
          "CPU s", "peak MiB", "detected");
  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      g_autofree char *name = g_strdup_printf ("table.%s", formats[f]);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
      const char *child[] = { self != NULL ? self : argv[0], "--read", path, NULL };
      g_autofree char *out = NULL;
      gint64 n = 0;
      double seconds = 0, cpu = 0;
      long peak = 0;
      const char *detected;
      int status = 0;
      GStatBuf st;

      generate (formats[f], path, rows);
      g_stat (path, &st);
      if (!g_spawn_sync (NULL, (char **) child, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                         &status, &error)
          || !g_spawn_check_wait_status (status, &error))
        g_error ("%s", error->message);
      detected = strchr (out, '\t');
      if (detected == NULL
          || sscanf (out, "%" G_GINT64_MODIFIER "d %lf %lf %ld", &n, &seconds, &cpu, &peak) != 4)
        g_error ("unexpected output: %s", out);
      printf ("%-12s %10" G_GINT64_FORMAT " %9.1f %7.2f %7.2f %9.1f  %s", formats[f], n,
              st.st_size / 1048576.0, seconds, cpu, peak / 1024.0, detected + 1);
      fflush (stdout);
      g_unlink (path);
    }
  g_rmdir (dir);
  return 0;
}
