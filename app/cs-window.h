/* cs-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "clipscope-engine.h"
#include "cs-application.h"

G_BEGIN_DECLS

#define CS_TYPE_WINDOW (cs_window_get_type ())
G_DECLARE_FINAL_TYPE (CsWindow, cs_window, CS, WINDOW, AdwApplicationWindow)

G_GNUC_WARN_UNUSED_RESULT
CsWindow  *cs_window_new           (CsApplication *application);
CsProject *cs_window_get_project   (CsWindow      *self);
CsJobList *cs_window_get_jobs      (CsWindow      *self);
/* Opens the project at @path in the background; errors are shown in a dialog
 * and leave the current project open. */
void       cs_window_open_path     (CsWindow      *self,
                                    const char    *path);
/* Opens the demo project, creating it first (a job) when it does not exist. */
void       cs_window_open_demo     (CsWindow      *self);
/* Imports an event log into the open project as a job. */
/* Imports @file as an event log with the columns guessed, as a job. */
void       cs_window_import_events (CsWindow      *self,
                                    GFile         *file);
/* Imports @file as a table of @kind (CS_TABLE_KIND_*) with @mapping (field ->
 * column; NULL guesses), @encoding (NULL detects), viewer ids pseudonymised
 * (events), dates without a year taken in @year (0: none), times without a
 * zone in @time_zone (NULL: the project's setting), as a job. */
void       cs_window_import_table  (CsWindow      *self,
                                    GFile         *file,
                                    const char    *kind,
                                    GHashTable    *mapping,
                                    const char    *encoding,
                                    gboolean       pseudonymise,
                                    int            year,
                                    const char    *time_zone);
void       cs_window_show_page     (CsWindow      *self,
                                    const char    *name);
const char *cs_window_get_page     (CsWindow      *self);
void       cs_window_toast         (CsWindow      *self,
                                    const char    *message);

G_END_DECLS
