/* cs-demo.h: the simulated demo project (and large benchmark logs).
 *
 * docs/DEMO.md documents the model. Same options + same seed = same project.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cs-types.h"

G_BEGIN_DECLS

typedef struct
{
  guint64  seed;
  guint    n_viewers;       /* default 400 */
  guint    n_clips;         /* default 36 */
  guint64  n_events;        /* target number of view events; 0 = what the model gives (default) */
  guint    n_days;          /* default 42 */
  gboolean render_media;    /* render the clips as video files (default TRUE) */
} CsDemoOptions;

void      cs_demo_options_init  (CsDemoOptions  *options);

/* The demo project of this user: $XDG_DATA_HOME/clipscope/Demo.clipscope */
char     *cs_demo_default_path  (void);

/* What cs_demo_create_full() wrote. */
typedef struct
{
  guint     n_clips;
  guint     n_viewers;
  guint64   n_events;                      /* all rows of the events table */
  guint64   n_by_kind[CS_EVENT_SAVE + 1];  /* indexed by CsEventKind */
  gboolean  media;                         /* the clips were rendered */
} CsDemoSummary;

/* Creates the project at @path (which must not exist yet: G_IO_ERROR_EXISTS)
 * with its clips in the folder "<path without .clipscope>-clips" beside it.
 * @options may be NULL for the defaults. Blocking: run it on a worker thread.
 * On failure or cancel nothing is left behind. */
gboolean  cs_demo_create        (const char           *path,
                                 const CsDemoOptions  *options,
                                 CsProgressFunc        progress,
                                 gpointer              progress_data,
                                 GCancellable         *cancellable,
                                 GError              **error);
/* The same, also filling @summary (nullable) on success. */
gboolean  cs_demo_create_full   (const char           *path,
                                 const CsDemoOptions  *options,
                                 CsDemoSummary        *summary,
                                 CsProgressFunc        progress,
                                 gpointer              progress_data,
                                 GCancellable         *cancellable,
                                 GError              **error);

/* The folder that holds the rendered clips of the project at @path. */
char     *cs_demo_clips_folder  (const char           *path);

G_END_DECLS
