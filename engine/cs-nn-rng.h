/* cs-nn-rng.h: the seeded random numbers of the neural-network code.
 *
 * xoshiro256** seeded through splitmix64. The whole state is four 64-bit
 * words, so a checkpoint stores it and a resumed training draws exactly the
 * numbers an uninterrupted one would have (GRand cannot be saved).
 * Normal numbers use Box–Muller without a cached second value for the same
 * reason: the state is only the four words.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint64 s[4];
} CsNnRng;

void    cs_nn_rng_init     (CsNnRng *rng,
                            guint64  seed);
guint64 cs_nn_rng_next     (CsNnRng *rng);
/* Uniform in [0, 1) with 24 random bits (every float in it is exact). */
float   cs_nn_rng_uniform  (CsNnRng *rng);
/* Uniform integer in [0, n), n > 0 (Lemire's multiply-shift, unbiased enough
 * for n ≪ 2^32). */
guint32 cs_nn_rng_below    (CsNnRng *rng,
                            guint32  n);
/* N(mean, std²). */
float   cs_nn_rng_normal   (CsNnRng *rng,
                            float    mean,
                            float    std);
void    cs_nn_rng_fill_normal (CsNnRng *rng,
                               float   *data,
                               gsize    n,
                               float    mean,
                               float    std);

G_END_DECLS
