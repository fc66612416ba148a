/* cs-generate-page.h: train a VAE or a DCGAN on the project's frames and
 * look at what it draws (DESIGN §1 "Generate", docs/GENERATE.md).
 *
 * Everything that touches the project, trains or decodes runs on a worker
 * thread; the main thread only shows textures and numbers.
 * Live view while training: the page re-reads the run from the project on a
 * timer (every LIVE_INTERVAL_MS, one read at a time), not from the job's
 * progress, so it never floods the main thread: the newest sample grid (the
 * engine stores one every sample_every steps) and the loss curves (stored
 * with each checkpoint, every checkpoint_every steps). The page asks the
 * engine for both often enough to refresh within a few seconds on 32×32
 * frames (see request_for_form in the .c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "clipscope-engine.h"
#include "cs-chart.h"

G_BEGIN_DECLS

#define CS_TYPE_GENERATE_PAGE (cs_generate_page_get_type ())
G_DECLARE_FINAL_TYPE (CsGeneratePage, cs_generate_page, CS, GENERATE_PAGE, AdwBin)

G_GNUC_WARN_UNUSED_RESULT
GtkWidget  *cs_generate_page_new         (CsJobList      *jobs);
void        cs_generate_page_set_project (CsGeneratePage *self,
                                          CsProject      *project);
/* Re-reads the project's clips and latest run, off the main thread. */
void        cs_generate_page_refresh     (CsGeneratePage *self);

/* Form settings, as a user would set them. */
void        cs_generate_page_set_form    (CsGeneratePage *self,
                                          CsGenKind       kind,
                                          int             size,
                                          double          rate,
                                          int             steps,
                                          int             batch,
                                          guint64         seed);
/* Starts training with the form's settings (as the Start button does). */
/* Switches "Condition on Engagement Class" on with @metric ("views" or
 * "like_rate"), or off for NULL. */
void        cs_generate_page_set_condition (CsGeneratePage *self,
                                            const char     *metric);
void        cs_generate_page_start       (CsGeneratePage *self);
/* Whether a training job of this page is running. */
gboolean    cs_generate_page_is_running  (CsGeneratePage *self);

/* What the page shows of the run on screen: its id (0: none), the sample
 * grid (NULL: none), the loss chart and its number of points per series,
 * and the text of the quality figures. */
gint64      cs_generate_page_get_run_id   (CsGeneratePage *self);
GdkTexture *cs_generate_page_get_grid     (CsGeneratePage *self);
CsChart    *cs_generate_page_get_chart    (CsGeneratePage *self);
guint       cs_generate_page_get_n_points (CsGeneratePage *self);
const char *cs_generate_page_get_quality_text (CsGeneratePage *self);
/* The latent interpolation strip (8 frames in a row, as a grid), or NULL. */
GdkTexture *cs_generate_page_get_strip    (CsGeneratePage *self);
/* The sentence under the chosen sample and its nearest training frame. */
const char *cs_generate_page_get_nearest_text (CsGeneratePage *self);

G_END_DECLS
