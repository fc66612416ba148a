/* cs-gen-model.h: the two image models of Generate, one training step at a
 * time, and their checkpoints.
 *
 * DCGAN, as the PyTorch example (pytorch/examples dcgan/main.py) builds it,
 * with nz = 100, ngf = ndf = 64:
 *   G (64×64): z (nz×1×1) → ConvT(nz, 8ngf, 4, 1, 0) BN ReLU → 4×4
 *              → ConvT(·, 4ngf, 4, 2, 1) BN ReLU → 8 → (2ngf) → 16 → (ngf) → 32
 *              → ConvT(ngf, 3, 4, 2, 1) tanh → 64×64
 *   D (64×64): Conv(3, ndf, 4, 2, 1) LeakyReLU(0.2) → 32 → Conv(·, 2ndf) BN LReLU
 *              → 16 → (4ndf) → 8 → (8ndf) → 4 → Conv(8ndf, 1, 4, 1, 0) → logit
 *   The 32×32 variant drops one block from each (G: nz → 4ngf at 4×4; D: up
 *   to 4ndf at 4×4). Convolutions have no bias, as in the example; weights
 *   N(0, 0.02), batch-norm scale N(1, 0.02). Adam lr 2e-4, β = (0.5, 0.999).
 *   One step: D on a real batch (target 1) and on G(z) (target 0), Adam on
 *   D; then G through the updated D with target 1, Adam on G. The example's
 *   sigmoid + BCELoss is computed as BCE with logits (the same function).
 *
 * VAE, latent 64: encoder Conv(3, 32, 4, 2, 1) LReLU(0.2), then Conv(·, 2×, 4,
 *   2, 1) BN LReLU down to 4×4 (256 channels at 64×64, 128 at 32×32), a
 *   linear layer to (μ, log σ²); z = μ + e^{½ log σ²}·ε, ε ~ N(0, I);
 *   decoder Linear(64, C·4·4) ReLU, ConvT(·, ½×, 4, 2, 1) BN ReLU up to half
 *   size, ConvT(32, 3, 4, 2, 1) tanh. He initialisation. Loss = Σ (x̂ − x)²
 *   + KL(q(z|x) ‖ N(0, I)), both per frame, averaged over the batch
 *   (cs-nn-loss.h). Adam lr 1e-3, β = (0.9, 0.999).
 *
 * Conditioning on a class (n_classes = K > 0; Generate uses the clip's
 *   engagement class, K = 3). The class enters every net as a one-hot code
 *   through a Condition layer (cs-nn-layer.h) placed first:
 *   - D and the VAE encoder see the image with K more channels, the one-hot
 *     code broadcast over size × size (1 in the class's plane, 0 in the
 *     others): input (3 + K) × size × size, so their first convolution has
 *     3 + K input channels;
 *   - G and the VAE decoder see [z, √nz·onehot]: input (nz + K) × 1 × 1, so
 *     G's first ConvT has nz + K input channels and the decoder's Linear
 *     nz + K inputs. The hot entry is √nz (10 for the DCGAN, 8 for the
 *     VAE), the typical length of z, so the class weighs as much as the
 *     noise at initialisation.
 *   A DCGAN step draws G(z) for the classes of the real batch, and D judges
 *   real and fake frames with their classes; the VAE encodes and decodes
 *   each frame with its own class. Everything else is as above.
 *
 * VAE β and KL warm-up: the objective is Σ (x̂ − x)² + w·KL with
 *   w = β·min(1, (t + 1)/W) at step t (0-based) for a warm-up of W steps,
 *   β = 1 and W = 0 by default (the plain VAE above). β < 1 trades samples
 *   from the prior for sharper reconstructions (see docs/GENERATE.md).
 *
 * Memory: cs_gen_model_memory() is what cs_gen_model_new() will allocate
 *   (nets for the training batch, the generator also for 64 samples at
 *   once, scratch); cs_gen_model_new() refuses when it exceeds
 *   cs_gen_memory_available() (MemAvailable of /proc/meminfo, or
 *   $CS_MEMORY_AVAILABLE minus what the nn module holds) with a message
 *   naming the need, what is available, and a smaller batch that fits.
 *   Allocation failures later (larger batches for evaluation) give the same
 *   message through the GError of the call, never an abort.
 *
 * Batches: the stream of training samples is the concatenation of random
 * permutations of the frames, permutation e drawn from a generator seeded
 * with (seed, e); step t uses samples t·B … t·B + B − 1. So the data order is
 * a function of the step alone and a resumed run sees the same batches.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cs-gen-prior.h"
#include "cs-nn-adam.h"
#include "cs-nn-layer.h"
#include "cs-nn-rng.h"

G_BEGIN_DECLS

typedef enum
{
  CS_GEN_VAE,
  CS_GEN_DCGAN,
} CsGenKind;

#define CS_GEN_DCGAN_NZ      100
#define CS_GEN_VAE_LATENT    64
#define CS_GEN_MAX_CLASSES   8
#define CS_GEN_SAMPLE_BATCH  64   /* samples drawn at once (grids, quality) */
#define CS_GEN_PRIOR_FRAMES  1024 /* frames a fitted prior is estimated from */
#define CS_GEN_PRIOR_COMPONENTS 10 /* at most; one per 100 frames */

typedef struct
{
  double d_loss;   /* DCGAN: errD = BCE(D(x), 1) + BCE(D(G(z)), 0) */
  double g_loss;   /* DCGAN: errG = BCE(D(G(z)), 1) */
  double d_x;      /* DCGAN: mean σ(D(x)) */
  double d_g_z;    /* DCGAN: mean σ(D(G(z))) after D's step */
  double recon;    /* VAE: Σ (x̂ − x)² per frame */
  double kl;       /* VAE: KL per frame */
  double loss;     /* the objective: errD + errG (DCGAN), recon + KL (VAE) */
} CsGenLosses;

typedef struct
{
  CsGenKind  kind;
  int        size;
  int        nz;        /* DCGAN nz, VAE latent */
  int        batch;
  int        n_classes; /* 0: unconditional */
  float      beta;      /* VAE: weight of KL, 1 by default */
  int        kl_warmup; /* VAE: steps over which the KL weight ramps up, 0: none */
  guint64    seed;
  gint64     step;      /* steps done */
  CsNnNet   *g;         /* generator / decoder */
  CsNnNet   *d;         /* discriminator / encoder */
  CsNnAdam   adam_g;
  CsNnAdam   adam_d;    /* VAE: unused, one optimiser over both nets */
  CsNnRng    rng;       /* noise for training steps */
  GPtrArray *vae_params;
  CsGenPrior *prior;     /* VAE: a fitted prior, or NULL for N(0, I) */
  /* scratch */
  float     *x;
  float     *z;
  float     *grad;
  float     *grad2;
  int       *labels;    /* the batch's classes */
  guint32   *perm;
  gint64     perm_epoch;
  int        perm_n;
} CsGenModel;

void         cs_gen_model_free        (CsGenModel   *model);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsGenModel, cs_gen_model_free)

const char  *cs_gen_kind_to_string    (CsGenKind     kind);
gboolean     cs_gen_kind_from_string  (const char   *name,
                                       CsGenKind    *kind);

/* NULL with CS_MODEL_ERROR_INVALID_PARAM for a size other than 32 or 64,
 * a batch below 2 (batch norm needs two samples), more than
 * CS_GEN_MAX_CLASSES classes, or more memory than is available. */
CsGenModel  *cs_gen_model_new         (CsGenKind     kind,
                                       int           size,
                                       int           batch,
                                       int           n_classes,
                                       guint64       seed,
                                       GError      **error);

/* Bytes cs_gen_model_new() allocates for these settings (0 when invalid). */
guint64      cs_gen_model_memory      (CsGenKind     kind,
                                       int           size,
                                       int           batch,
                                       int           n_classes);
/* Bytes free for training: $CS_MEMORY_AVAILABLE minus what the nn module
 * holds when set, else MemAvailable; 0 when unknown. */
guint64      cs_gen_memory_available  (void);
/* Whether the model plus @extra bytes (frames) fits; the error says what it
 * needs, what is available, and what to do. */
gboolean     cs_gen_model_check_memory (CsGenKind    kind,
                                        int          size,
                                        int          batch,
                                        int          n_classes,
                                        guint64      extra,
                                        GError     **error);

/* One training step on the frames @frames (@n_frames × 3 × size × size in
 * [-1, 1]) with their classes @labels (required when conditioned). FALSE
 * only when memory ran out. */
gboolean     cs_gen_model_step        (CsGenModel   *model,
                                       const float  *frames,
                                       const int    *labels,
                                       int           n_frames,
                                       CsGenLosses  *losses,
                                       GError      **error);

/* The KL weight w of the current step (see above). */
double       cs_gen_model_kl_weight   (CsGenModel   *model);

/* Images from latent vectors @z (n × nz) for classes @labels (n; ignored
 * by an unconditional model), in [-1, 1], into @out (n × 3 × size²). The
 * generator runs with batch statistics, as the PyTorch example samples,
 * without changing the running statistics. */
gboolean     cs_gen_model_generate    (CsGenModel   *model,
                                       const float  *z,
                                       const int    *labels,
                                       int           n,
                                       float        *out,
                                       GError      **error);

/* VAE only: reconstruction error and KL per frame on @frames (classes
 * @labels when conditioned), with the networks in evaluation mode and
 * z = μ for the reconstruction. */
gboolean     cs_gen_model_vae_eval    (CsGenModel   *model,
                                       const float  *frames,
                                       const int    *labels,
                                       int           n,
                                       double       *recon,
                                       double       *kl,
                                       GError      **error);

/* VAE only: fits a Gaussian mixture to the codes of the frames and samples
 * from it from then on ("ex-post density estimation", Ghosh et al. 2020,
 * "From Variational to Deterministic Autoencoders"). The encoder
 * (evaluation mode) gives μ(x) for min(n, CS_GEN_PRIOR_FRAMES) evenly
 * spaced frames i = ⌊j·n/n_used⌋; cs_gen_prior_fit() fits
 * clamp(n_used / 100, 1, CS_GEN_PRIOR_COMPONENTS) components to them with
 * the model's seed (one component: their mean and covariance (n_used − 1)
 * plus CS_GEN_PRIOR_SHRINK × tr(Σ)/nz on the diagonal). cs_gen_model_generate()
 * then decodes cs_gen_prior_map (z) instead of z, so the same fixed noise
 * z ~ N(0, I) lands where the training frames' codes are, rather than
 * where the KL term wished them to be. Saved in checkpoints. FALSE only
 * when memory ran out. */
gboolean     cs_gen_model_fit_prior   (CsGenModel   *model,
                                       const float  *frames,
                                       const int    *labels,
                                       int           n,
                                       GError      **error);

/* The whole training state (weights, Adam moments and steps, batch-norm
 * running statistics, step, noise generator, number of classes) as bytes,
 * and back into a model built with the same kind, size, batch and classes.
 * Checkpoints of the first format (no classes) still load as K = 0. */
GBytes      *cs_gen_model_save        (CsGenModel   *model);
gboolean     cs_gen_model_load        (CsGenModel   *model,
                                       GBytes       *bytes,
                                       GError      **error);

G_END_DECLS
