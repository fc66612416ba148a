/* cs-gen-quality.h: how good generated frames are, in figures, and grids.
 *
 * Pixel-projection features (our own fixed extractor, NOT the Inception
 * network of FID, so its numbers are not comparable with published FIDs):
 * each frame (3 × S × S in [-1, 1]) is area-averaged to 8 × 8 per channel,
 * giving 192 values in channel, row, column order, which are multiplied by a
 * fixed 64 × 192 matrix of N(0, 1/192) numbers drawn by CsNnRng from seed
 * 20261128. The features are thus 64 random linear views of the coarse
 * colour layout: they see colour, brightness and where things are, not
 * texture or fine detail.
 *
 * Fréchet pixel-projection distance between two sets of features with means
 * μ₁, μ₂ and (unbiased) covariances Σ₁, Σ₂:
 *   ‖μ₁ − μ₂‖² + tr Σ₁ + tr Σ₂ − 2 tr (Σ₁^½ Σ₂ Σ₁^½)^½,
 * the squared 2-Wasserstein distance between Gaussians of those moments
 * (square roots through LAPACKE_dsyev, negative eigenvalues from rounding
 * clamped to 0). 0 for identical sets; grows with differences in mean
 * colour layout and in its variety.
 *
 * Nearest real frame: the frame with the smallest L2 distance in pixel
 * space (all 3·S² values), reported as the root-mean-square difference per
 * value (in [-1, 1] units, so 0 = identical, 2 = opposite).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CS_GEN_FEATURES 64

/* @out: n × CS_GEN_FEATURES. @size must be a multiple of 8. */
void    cs_gen_features          (const float *images,
                                  int          n,
                                  int          size,
                                  double      *out);

/* NAN when either set has fewer than 2 rows. */
double  cs_gen_frechet_distance  (const double *a,
                                  int           na,
                                  const double *b,
                                  int           nb,
                                  int           dim);

/* Index of the nearest of @n @frames (d values each) to @image; its RMS
 * difference per value in @rms. */
int     cs_gen_nearest           (const float  *image,
                                  const float  *frames,
                                  int           n,
                                  gsize         d,
                                  double       *rms);

/* The @n images (3 × size², in [-1, 1]) as a PNG grid of @cols columns with
 * 2-pixel white gutters. */
GBytes *cs_gen_grid_png          (const float  *images,
                                  int           n,
                                  int           size,
                                  int           cols,
                                  GError      **error);

G_END_DECLS
