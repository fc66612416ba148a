/* cs-generate.h: train a VAE or a DCGAN on a project's frames (Generate).
 *
 * cs_generate_run() is blocking (a worker thread, or the CLI). It takes
 * (or builds, from clips) a frame set, holds out every tenth frame (index
 * i % 10 == 9, when the set has at least 20) for the quality figures, and
 * trains for @steps steps, reporting progress after each.
 *
 * Stored in the project: a runs row (task 'generate', model 'vae'/'dcgan',
 * params JSON with size, batch, steps, learning rate and frame set; status
 * running → done, cancelled or failed); every @checkpoint_every steps and
 * when cancelled, a checkpoint (artifacts row 'checkpoint', the whole
 * training state: cs_gen_model_save) and the per-step loss curves (curves
 * rows); every @sample_every steps and at the end, a grid of 64 samples
 * from fixed noise (generated_images, PNG). At the end the quality figures
 * go into metrics (cs-gen-quality.h and docs/GENERATE.md define them):
 * step_s, loss, recon_heldout and kl_heldout (VAE), frechet_pixel_projection
 * (256 samples against the training frames), frechet_real_heldout (held-out
 * against training frames: the figure a perfect model would approach),
 * nearest_real_rms (mean over the 64 fixed-noise samples).
 *
 * Conditioning (@condition "views" or "like_rate"): each clip's engagement
 * class is the tercile of that metric among the clips with statistics, as
 * the Predict dataset computes it (cs_predict_dataset_set_target
 * "terciles"); frames take their clip's class and frames of clips without
 * one are left out. The run's params keep the metric, the thresholds and
 * every clip's class. Sample grids then have one row of 8 per class (low,
 * medium, high from the top), the same 8 noise vectors in every row.
 *
 * Memory: before sampling or training, the model's need plus three copies
 * of the frames is compared with what is available (cs-gen-model.h); a
 * run that would not fit is refused with a message that says what it needs
 * and which batch would fit.
 *
 * Resuming (@resume_run_id): the run's model, size, batch, seed and frame
 * set come from the project; training continues from its checkpoint up to
 * @steps in total and gives exactly the losses and weights of a run that was
 * never interrupted.
 *
 * A loss that is not a finite number stops training: the run is marked
 * failed with a message that says so, and the last good checkpoint stays.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cs-frame-set.h"
#include "cs-gen-model.h"
#include "cs-store.h"
#include "cs-types.h"

G_BEGIN_DECLS

#define CS_GENERATE_MIN_FRAMES 16

typedef struct
{
  CsGenKind  kind;
  int        size;              /* 32 or 64 */
  int        steps;             /* total steps of the run */
  guint64    seed;
  int        batch;             /* 0: 64 */
  float      learning_rate;     /* 0: the model's default */
  gint64     frame_set_id;      /* 0: find or build one from the clips below */
  GArray    *clip_ids;          /* gint64; NULL: every clip with a video file */
  double     rate;              /* frames per second; 0: 1 */
  int        max_per_clip;      /* 0: 200 */
  int        sample_every;      /* 0: 100 */
  int        checkpoint_every;  /* 0: 100 */
  gint64     resume_run_id;     /* 0: a new run */
  const char *condition;        /* NULL, "views" or "like_rate": condition on its terciles */
  double     beta;              /* VAE KL weight; 0: 1 */
  int        kl_warmup;         /* VAE: steps of KL warm-up; 0: none */
  const char *prior;            /* VAE samples: "standard" (N(0, I)) or "fitted" (a Gaussian mixture
                                 * fitted to the training frames' codes, cs_gen_model_fit_prior(),
                                 * refitted for the live grid every 200 steps and at the end);
                                 * NULL: "fitted" for a new run, what the run used on resume
                                 * ("standard" for runs from before the option). A resumed run
                                 * may change it: it is how samples are drawn, not trained. */
} CsGenerateRequest;

typedef struct
{
  gint64          run_id;
  gint64          frame_set_id;
  CsFrameSetInfo *frame_set;
  int             n_train;
  int             n_heldout;
  CsGenKind       kind;
  int             size;
  int             batch;
  gint64          first_step;    /* steps already done when this call began */
  gint64          steps;         /* steps done in total */
  GArray         *losses;        /* CsGenLosses for steps 1 … steps */
  double          step_s;        /* mean seconds per step of this call */
  double          recon_heldout; /* VAE; NAN otherwise */
  double          kl_heldout;
  double          frechet;
  double          frechet_real;
  double          nearest_rms;
  GBytes         *grid_png;      /* the last samples from fixed noise: 8 × 8, or 8 per class */
  float          *samples;       /* those samples, 3 × size² each, row by row */
  int             n_samples;
  double          beta;          /* VAE KL weight and warm-up steps */
  int             kl_warmup;
  gboolean        fitted_prior;  /* VAE: samples from a Gaussian mixture fitted to the codes */
  char           *condition;     /* NULL, "views" or "like_rate" */
  int             n_classes;     /* 0 without a condition; else 3 (low, medium, high) */
  double          thresholds[CS_GEN_MAX_CLASSES - 1]; /* class k: t[k-1] ≤ v < t[k] */
  GHashTable     *clip_classes;  /* gint64 * clip id → GINT_TO_POINTER (class + 1) */
  int             n_unlabelled;  /* frames left out: their clip has no class */
} CsGenerateResult;

void              cs_generate_result_free (CsGenerateResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsGenerateResult, cs_generate_result_free)

void              cs_generate_request_init (CsGenerateRequest *request);

CsGenerateResult *cs_generate_run          (CsStore                 *store,
                                            const CsGenerateRequest *request,
                                            CsProgressFunc           progress,
                                            gpointer                 progress_data,
                                            GCancellable            *cancellable,
                                            GError                 **error);

G_END_DECLS
