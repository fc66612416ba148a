/* cs-nn-rng.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cs-nn-rng.h"

static guint64
splitmix64 (guint64 *x)
{
  guint64 z = (*x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

void
cs_nn_rng_init (CsNnRng *rng,
                guint64  seed)
{
  guint64 x = seed;

  for (int i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&x);
}

static inline guint64
rotl (guint64 x, int k)
{
  return (x << k) | (x >> (64 - k));
}

guint64
cs_nn_rng_next (CsNnRng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

float
cs_nn_rng_uniform (CsNnRng *rng)
{
  return (float) (cs_nn_rng_next (rng) >> 40) * (1.0f / 16777216.0f);
}

guint32
cs_nn_rng_below (CsNnRng *rng,
                 guint32  n)
{
  return (guint32) (((cs_nn_rng_next (rng) >> 32) * (guint64) n) >> 32);
}

float
cs_nn_rng_normal (CsNnRng *rng,
                  float    mean,
                  float    std)
{
  /* u1 in (0, 1] so the logarithm is finite. */
  double u1 = ((double) (cs_nn_rng_next (rng) >> 11) + 1.0) * (1.0 / 9007199254740992.0);
  double u2 = (double) (cs_nn_rng_next (rng) >> 11) * (1.0 / 9007199254740992.0);

  return mean + std * (float) (sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2));
}

void
cs_nn_rng_fill_normal (CsNnRng *rng,
                       float   *data,
                       gsize    n,
                       float    mean,
                       float    std)
{
  for (gsize i = 0; i < n; i++)
    data[i] = cs_nn_rng_normal (rng, mean, std);
}
