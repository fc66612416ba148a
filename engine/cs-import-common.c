/* cs-import-common.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <string.h>

#include "cs-column-guess.h"
#include "cs-error.h"
#include "cs-import-common.h"

/* Columns named in a message before "…". */
#define DESCRIBED_COLUMNS 30

static void
reject_free (CsImportReject *reject)
{
  g_free (reject->reason);
  g_free (reject->raw);
  g_free (reject);
}

CsImportReport *
cs_import_report_new (const char *encoding)
{
  CsImportReport *report = g_new0 (CsImportReport, 1);

  report->encoding = g_strdup (encoding);
  report->rejects = g_ptr_array_new_with_free_func ((GDestroyNotify) reject_free);
  return report;
}

char *
cs_import_make_raw (const char *raw,
                    gsize       len)
{
  gsize n = MIN (len, CS_IMPORT_RAW_MAX_BYTES);
  g_autofree char *copy = g_memdup2 (raw, n + 1);
  g_autofree char *valid = NULL;
  gsize cut;

  /* An invalid byte becomes U+FFFD below; so does a NUL this way. */
  for (gsize i = 0; i < n; i++)
    if (copy[i] == '\0')
      copy[i] = (char) 0xFF;
  valid = g_utf8_make_valid (copy, n);
  if (len <= CS_IMPORT_RAW_MAX_BYTES)
    return g_steal_pointer (&valid);

  cut = MIN (strlen (valid), CS_IMPORT_RAW_MAX_BYTES);
  while (cut > 0 && (valid[cut] & 0xC0) == 0x80)
    cut--;
  valid[cut] = '\0';
  return g_strconcat (valid, "…", NULL);
}

void
cs_import_report_add_reject (CsImportReport *report,
                             gint64          line,
                             char           *reason,
                             char           *raw)
{
  CsImportReject *reject;

  if (report->rejects->len >= CS_IMPORT_MAX_REPORTED_REJECTS)
    {
      g_free (reason);
      g_free (raw);
      return;
    }
  reject = g_new0 (CsImportReject, 1);
  reject->line = line;
  reject->reason = reason;
  reject->raw = raw;
  g_ptr_array_add (report->rejects, reject);
}

static gboolean
step_done (CsStore       *store,
           sqlite3_stmt  *stmt,
           const char    *what,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return cs_store_set_error (store, error, what);
  return TRUE;
}

gboolean
cs_import_record_begin (CsStore         *store,
                        const char      *kind,
                        const char      *path,
                        const char      *mapping_json,
                        CsImportReport  *report,
                        GError         **error)
{
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);
  sqlite3_stmt *stmt;

  stmt = cs_store_prepare (store,
                           "INSERT INTO imports (kind, source, encoding, mapping) "
                           "VALUES (?1, ?2, ?3, ?4)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, absolute, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, report->encoding, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, mapping_json, -1, SQLITE_STATIC);
  if (!step_done (store, stmt, _("Could not record the import"), error))
    return FALSE;
  report->import_id = sqlite3_last_insert_rowid (cs_store_get_db (store));
  return TRUE;
}

gboolean
cs_import_record_counts (CsStore         *store,
                         CsImportReport  *report,
                         GError         **error)
{
  sqlite3_stmt *stmt;

  stmt = cs_store_prepare (store,
                           "UPDATE imports SET rows_read = ?2, rows_imported = ?3, "
                           "rows_rejected = ?4 WHERE id = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, report->import_id);
  sqlite3_bind_int64 (stmt, 2, report->rows_read);
  sqlite3_bind_int64 (stmt, 3, report->rows_imported);
  sqlite3_bind_int64 (stmt, 4, report->rows_rejected);
  return step_done (store, stmt, _("Could not record the import"), error);
}

gboolean
cs_import_reject_row (CsStore         *store,
                      sqlite3_stmt    *insert_reject,
                      CsImportReport  *report,
                      gint64           line,
                      const char      *raw,
                      gsize            raw_len,
                      char            *reason,
                      char           **first_problem,
                      GError         **error)
{
  g_autofree char *owned_reason = reason;
  g_autofree char *text = NULL;

  report->rows_rejected++;
  if (*first_problem == NULL)
    *first_problem = g_strdup_printf (_("line %" PRId64 ": %s"), line, reason);
  if (report->rows_rejected > CS_IMPORT_MAX_STORED_REJECTS)
    return TRUE;

  if (insert_reject == NULL)
    insert_reject = cs_store_prepare (store,
                                      "INSERT INTO import_rejects (import_id, line, reason, raw) "
                                      "VALUES (?1, ?2, ?3, ?4)",
                                      error);
  if (insert_reject == NULL)
    return FALSE;
  text = cs_import_make_raw (raw, raw_len);
  sqlite3_bind_int64 (insert_reject, 1, report->import_id);
  sqlite3_bind_int64 (insert_reject, 2, line);
  sqlite3_bind_text (insert_reject, 3, owned_reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert_reject, 4, text, -1, SQLITE_STATIC);
  if (!step_done (store, insert_reject, _("Could not save the rejected rows"), error))
    return FALSE;

  cs_import_report_add_reject (report, line, g_steal_pointer (&owned_reason),
                               g_steal_pointer (&text));
  return TRUE;
}

int
cs_import_find_column (const char * const *header,
                       const char         *name)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (name));
  g_autofree char *folded = g_utf8_casefold (trimmed, -1);
  g_autofree char *normalised = cs_column_normalise_header (name);

  for (guint pass = 0; pass < 3; pass++)
    for (guint i = 0; header[i] != NULL; i++)
      {
        g_autofree char *column = g_strstrip (g_strdup (header[i]));
        g_autofree char *other = pass == 0 ? g_strdup (column)
                                 : pass == 1 ? g_utf8_casefold (column, -1)
                                 : cs_column_normalise_header (column);

        if (strcmp (other, pass == 0 ? trimmed : pass == 1 ? folded : normalised) == 0)
          return i;
      }
  return -1;
}

char *
cs_import_describe_columns (const char * const *header)
{
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; header[i] != NULL && i < DESCRIBED_COLUMNS; i++)
    {
      g_autofree char *column = g_strstrip (g_strdup (header[i]));

      if (i > 0)
        g_string_append (list, ", ");
      g_string_append (list, column);
    }
  if (g_strv_length ((char **) header) > DESCRIBED_COLUMNS)
    g_string_append (list, ", …");
  return g_string_free (g_steal_pointer (&list), FALSE);
}

gboolean
cs_import_unknown_field (const char          *field,
                         const char * const  *fields,
                         const char          *what,
                         GError             **error)
{
  g_autofree char *list = g_strjoinv (", ", (char **) fields);

  /* TRANSLATORS: the second %s is "an event log" or "a clip-stats table". */
  g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FAILED,
               _("There is no field “%s” in %s; the fields are: %s"), field, what, list);
  return FALSE;
}

GHashTable *
cs_import_mapping_parse (const char          *spec,
                         const char * const  *fields,
                         const char          *what,
                         const char          *example,
                         GError             **error)
{
  g_autoptr(GHashTable) mapping = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                         g_free, g_free);
  g_auto(GStrv) items = NULL;

  g_return_val_if_fail (spec != NULL, NULL);

  items = g_strsplit (spec, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *eq;
      g_autofree char *field = NULL;

      if (g_strstrip (items[i])[0] == '\0')
        continue;
      eq = strchr (items[i], '=');
      if (eq == NULL)
        {
          g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FAILED,
                       _("“%s” is not FIELD=COLUMN (for example %s)"), items[i], example);
          return NULL;
        }
      field = g_strstrip (g_strndup (items[i], eq - items[i]));
      if (!g_strv_contains (fields, field))
        {
          cs_import_unknown_field (field, fields, what, error);
          return NULL;
        }
      if (g_hash_table_contains (mapping, field))
        {
          g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FAILED,
                       _("The field “%s” is mapped twice"), field);
          return NULL;
        }
      g_hash_table_insert (mapping, g_steal_pointer (&field), g_strstrip (g_strdup (eq + 1)));
    }
  return g_steal_pointer (&mapping);
}

static void
add_mapping (JsonBuilder        *builder,
             GHashTable         *mapping,
             const char * const *fields)
{
  json_builder_begin_object (builder);
  /* In field order, so that the output is stable. */
  for (guint f = 0; mapping != NULL && fields[f] != NULL; f++)
    {
      const char *column = g_hash_table_lookup (mapping, fields[f]);

      if (column == NULL)
        continue;
      json_builder_set_member_name (builder, fields[f]);
      json_builder_add_string_value (builder, column);
    }
  json_builder_end_object (builder);
}

char *
cs_import_mapping_to_json (GHashTable         *mapping,
                           const char * const *fields)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  add_mapping (builder, mapping, fields);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

void
cs_import_report_add_json (CsImportReport     *report,
                           const char * const *fields,
                           JsonBuilder        *builder)
{
  json_builder_set_member_name (builder, "import_id");
  json_builder_add_int_value (builder, report->import_id);
  json_builder_set_member_name (builder, "rows_read");
  json_builder_add_int_value (builder, report->rows_read);
  json_builder_set_member_name (builder, "rows_imported");
  json_builder_add_int_value (builder, report->rows_imported);
  json_builder_set_member_name (builder, "rows_rejected");
  json_builder_add_int_value (builder, report->rows_rejected);
  json_builder_set_member_name (builder, "encoding");
  json_builder_add_string_value (builder, report->encoding);
  json_builder_set_member_name (builder, "mapping");
  add_mapping (builder, report->mapping, fields);

  json_builder_set_member_name (builder, "rejects");
  json_builder_begin_array (builder);
  for (guint i = 0; report->rejects != NULL && i < report->rejects->len; i++)
    {
      CsImportReject *reject = g_ptr_array_index (report->rejects, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "line");
      json_builder_add_int_value (builder, reject->line);
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, reject->reason);
      json_builder_set_member_name (builder, "raw");
      json_builder_add_string_value (builder, reject->raw);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static char *
format_count (gint64 n)
{
  /* The ' flag groups digits as the locale does: "12,000", "12 000". */
  return g_strdup_printf ("%'" G_GINT64_FORMAT, n);
}

char *
cs_import_progress_message (gint64 rows_read)
{
  g_autofree char *count = format_count (rows_read);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Read %s row", "Read %s rows",
                                       (gulong) rows_read),
                          count);
}

void
cs_import_set_cancelled (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                       _("Import cancelled; the project was not changed"));
}

void
cs_import_set_nothing_read (GError     **error,
                            gint64       rows_read,
                            const char  *first_problem)
{
  g_autofree char *count = format_count (rows_read);

  if (rows_read == 1)
    g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT,
                 _("The only row could not be read: %s"), first_problem);
  else
    g_set_error (error, CS_IMPORT_ERROR, CS_IMPORT_ERROR_FORMAT,
                 g_dngettext (GETTEXT_PACKAGE,
                              "None of the %s row could be read; first problem: %s",
                              "None of the %s rows could be read; first problem: %s",
                              (gulong) rows_read),
                 count, first_problem);
}
