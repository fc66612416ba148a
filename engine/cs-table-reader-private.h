/* cs-table-reader-private.h: what the format back ends of CsTableReader share.
 *
 * cs-table-reader.c opens the source, finds the format and encoding and reads
 * delimited text through CsCsvReader; cs-table-reader-json.c and
 * cs-table-reader-xlsx.c fill the current record for the other formats.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cs-csv-reader.h"
#include "cs-table-reader.h"

G_BEGIN_DECLS

typedef struct _CsTableBackend CsTableBackend;

struct _CsTableBackend
{
  /* Fills the current record (see cs_table_reader_set_record() and friends). */
  gboolean (*next)       (CsTableReader  *self,
                          gpointer        state,
                          GCancellable   *cancellable,
                          GError        **error);
  guint64  (*bytes_read) (CsTableReader  *self,
                          gpointer        state);
  void     (*free)       (gpointer        state);
};

/* The source's display name, for messages. */
const char   *cs_table_reader_get_display_name (CsTableReader        *self);
gsize         cs_table_reader_get_max_field    (CsTableReader        *self);
/* The UTF-8 text stream (text formats). */
GInputStream *cs_table_reader_get_text_stream  (CsTableReader        *self);
void          cs_table_reader_set_backend      (CsTableReader        *self,
                                                const CsTableBackend *backend,
                                                gpointer              state);
void          cs_table_reader_set_total        (CsTableReader        *self,
                                                guint64               total);
void          cs_table_reader_set_sheet        (CsTableReader        *self,
                                                const char           *sheet);

/* The current record: cleared, then fields added one by one. */
void          cs_table_reader_clear_record     (CsTableReader        *self);
void          cs_table_reader_add_field        (CsTableReader        *self,
                                                char                 *field);
GString      *cs_table_reader_get_raw_buffer   (CsTableReader        *self);
void          cs_table_reader_set_line         (CsTableReader        *self,
                                                gint64                line);
void          cs_table_reader_take_problem     (CsTableReader        *self,
                                                char                 *problem);

/* Back ends: each sets itself up on @self from the UTF-8 text stream or the
 * source, reading what it needs before the first record. */
gboolean      cs_table_reader_setup_json       (CsTableReader        *self,
                                                gboolean              lines,
                                                GError              **error);
/* Exactly one of @path and @bytes is set. */
gboolean      cs_table_reader_setup_xlsx       (CsTableReader        *self,
                                                const char           *path,
                                                GBytes               *bytes,
                                                const char           *sheet,
                                                guint                 sheet_index,
                                                GError              **error);
GStrv         cs_xlsx_list_sheets              (const char           *path,
                                                GBytes               *bytes,
                                                const char           *display_name,
                                                GError              **error);

G_END_DECLS
