/* cs-cli-common.h: what every clipscope-cli command shares.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "clipscope-engine.h"

G_BEGIN_DECLS

/* Each command parses its own options (GOptionContext) from argv, where
 * argv[0] is the command name. Returns the process exit status. */
int        cs_cli_demo          (int    argc,
                                 char **argv);
int        cs_cli_undo_import   (int    argc,
                                 char **argv);
int        cs_cli_import_events (int    argc,
                                 char **argv);
int        cs_cli_import_stats  (int    argc,
                                 char **argv);
int        cs_cli_evaluate      (int    argc,
                                 char **argv);
int        cs_cli_import_clips  (int    argc,
                                 char **argv);
int        cs_cli_report        (int    argc,
                                 char **argv);
int        cs_cli_predict_eval  (int    argc,
                                 char **argv);
int        cs_cli_predict_score (int    argc,
                                 char **argv);
int        cs_cli_generate      (int    argc,
                                 char **argv);

/* Opens PROJECT, creating it when the path does not exist yet (DESIGN §7). */
CsProject *cs_cli_open_project  (const char  *path,
                                 GError     **error);

/* For the import commands: 0 when @encoding (nullable) can be read, else
 * the failure status after saying why. */
int        cs_cli_check_encoding (const char *encoding);
/* 0 when @file is a regular file, else the failure status after saying why
 * (checked before a missing PROJECT gets created for nothing). */
int        cs_cli_check_source   (const char *file);
/* "field=column, field=column" in @fields order. */
char      *cs_cli_format_mapping (GHashTable         *mapping,
                                  const char * const *fields);
/* The first @max rejects of @report, "  line N: reason", and how many more. */
void       cs_cli_print_rejects  (CsImportReport *report,
                                  guint           max);

/* Prints "clipscope-cli: MESSAGE" on one line of stderr and returns 1. */
int        cs_cli_fail          (const char  *format,
                                 ...) G_GNUC_PRINTF (1, 2);
/* Same, from a GError. */
int        cs_cli_fail_error    (const GError *error);

/* A CsProgressFunc that redraws one status line on stderr when stderr is a
 * terminal (and prints nothing otherwise). */
void       cs_cli_progress      (double       fraction,
                                 const char  *message,
                                 gpointer     user_data);
/* Ends the status line, if one was drawn. */
void       cs_cli_progress_done (void);

/* A GCancellable cancelled by SIGINT/SIGTERM, so Ctrl+C rolls back cleanly. */
GCancellable *cs_cli_get_cancellable (void);

G_END_DECLS
