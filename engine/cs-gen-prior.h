/* cs-gen-prior.h: a Gaussian mixture fitted to a VAE's codes, to draw
 * samples where the training frames lie (cs-gen-model.h,
 * cs_gen_model_fit_prior()).
 *
 * Fitting (cs_gen_prior_fit) on n codes of dimension d, K components:
 *   - shrinkage s = CS_GEN_PRIOR_SHRINK × tr(Σ)/d, Σ the codes' covariance
 *     (n − 1), added to every component's covariance so each stays
 *     positive definite;
 *   - K = 1: the mean and Σ + s·I (no iterations);
 *   - K > 1: k-means++ seeds (drawn with cs-nn-rng from the seed, so a
 *     seed gives the same mixture), 10 Lloyd iterations, then expectation–
 *     maximisation from those clusters (weights = cluster shares, each
 *     covariance the cluster's own) for at most CS_GEN_PRIOR_EM_ITERS
 *     iterations or until the mean log-likelihood gains less than 1e-6.
 *   Each covariance is kept as its Cholesky factor L_k (lower triangular);
 *   a factor that fails falls back to the diagonal.
 *
 * Mapping noise to codes (cs_gen_prior_map): z ~ N(0, I) of dimension d
 * becomes m_k + L_k·z′. The component k comes from z₀ itself: u = Φ(z₀)
 * picks k by the cumulative weights, and z′₀ = Φ⁻¹((u − c_k)/w_k) (c_k the
 * weight before k) is again N(0, 1) within the component, z′ᵢ = zᵢ for
 * the rest. So the same fixed noise always lands in the same component,
 * each component is drawn with its weight, and a path of z moves smoothly
 * inside a component (interpolation strips) with a jump where it crosses
 * to the next. With K = 1 the map is m + L·z exactly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CS_GEN_PRIOR_SHRINK   1e-3
#define CS_GEN_PRIOR_EM_ITERS 40

typedef struct
{
  int    k;        /* components */
  int    dim;
  float *weights;  /* k, summing to 1 */
  float *means;    /* k × dim */
  float *chol;     /* k × dim × dim, lower triangular, row-major */
} CsGenPrior;

/* A prior of @k components of dimension @dim, all zero (to be filled). */
CsGenPrior *cs_gen_prior_new  (int           k,
                               int           dim);
void        cs_gen_prior_free (CsGenPrior   *prior);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsGenPrior, cs_gen_prior_free)

/* Fits @k components (at most n / 2) to the @n codes @x (n × dim, n ≥ 2). */
CsGenPrior *cs_gen_prior_fit  (const double *x,
                               int           n,
                               int           dim,
                               int           k,
                               guint64       seed);

/* @n noise vectors @z (n × dim) to codes @out (n × dim), as above. */
void        cs_gen_prior_map  (const CsGenPrior *prior,
                               const float      *z,
                               int               n,
                               float            *out);

/* Φ⁻¹(p) for 0 < p < 1, to double precision. */
double      cs_gen_normal_quantile (double p);

G_END_DECLS
