/* cs-nn-loss.h: the losses of the VAE and the DCGAN, each with its gradient.
 *
 * Every function returns the loss and, when @grad is not NULL, writes
 * d loss / d input into it. @n is the batch size, @d the values per sample.
 *
 * - BCE with logits, averaged over all n·d values (PyTorch's BCEWithLogits,
 *   "mean"): ℓ = mean(max(z, 0) − z·t + log(1 + e^−|z|)), ∂ℓ/∂z = (σ(z) − t)/(n·d).
 *   The DCGAN discriminator ends in this (the sigmoid of the PyTorch
 *   example folded into the loss, which is the same function, computed stably).
 * - Reconstruction, summed over a sample's values and averaged over the batch:
 *   MSE Σ(x̂ − x)²/n; BCE with logits against targets in [0, 1], Σ bce/n.
 * - KL(N(μ, σ²) ‖ N(0, I)) of a diagonal Gaussian given μ and log σ²,
 *   summed over the d latent values, averaged over the batch:
 *   −½ Σ (1 + log σ² − μ² − σ²) / n; ∂/∂μ = μ/n, ∂/∂log σ² = ½(σ² − 1)/n.
 *
 * Sums are in double.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

double cs_nn_bce_with_logits (const float *logits,
                              const float *targets,
                              gsize        n,
                              gsize        d,
                              float       *grad);
double cs_nn_mse_sum         (const float *x_hat,
                              const float *x,
                              gsize        n,
                              gsize        d,
                              float       *grad);
double cs_nn_bce_sum         (const float *logits,
                              const float *targets,
                              gsize        n,
                              gsize        d,
                              float       *grad);
double cs_nn_kl_gaussian     (const float *mu,
                              const float *logvar,
                              gsize        n,
                              gsize        d,
                              float       *grad_mu,
                              float       *grad_logvar);

G_END_DECLS
