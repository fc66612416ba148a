/* cs-mf-private.h: what the matrix-factorisation models (iALS, BPR-MF)
 * share: seeded starting factors and the scoring product.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cblas.h>
#include <glib.h>
#include <math.h>
#include <string.h>

G_BEGIN_DECLS

/* Fills @n floats with N(0, @sd²) draws from @rand (Box–Muller on GRand's
 * Mersenne Twister), so a seed gives the same factors on every machine. */
static inline void
_cs_mf_init_normal (GRand *rand,
                    float *out,
                    gsize  n,
                    double sd)
{
  for (gsize i = 0; i < n; i += 2)
    {
      double u1 = 1.0 - g_rand_double (rand);   /* (0, 1]: log stays finite */
      double u2 = g_rand_double (rand);
      double r = sqrt (-2.0 * log (u1)) * sd;

      out[i] = (float) (r * cos (2 * G_PI * u2));
      if (i + 1 < n)
        out[i + 1] = (float) (r * sin (2 * G_PI * u2));
    }
}

/* Small vector operations run on the engine's own worker threads: plain
 * loops, because OpenBLAS would start threads of its own inside each worker
 * (measured: iALS on ml-100k fits in less than half the time this way).
 * They work on four floats at a time through GCC's vector extension (also
 * in clang), which keeps the dot product's eight partial sums in registers
 * where the compiler's own vectorisation spilled them to the stack on every
 * step. Each lane does exactly what the scalar loop did, so results are the
 * same bit for bit. */
typedef float _CsMfV4 __attribute__ ((vector_size (4 * sizeof (float))));

static inline float
_cs_mf_dot (const float *x,
            const float *y,
            guint        n)
{
  /* Eight independent partial sums in a fixed order, in two vectors of four
   * (one SSE register each on any x86-64). */
  _CsMfV4 lo = { 0 }, hi = { 0 };
  float sum = 0;
  guint d = 0;

  for (; d + 8 <= n; d += 8)
    {
      _CsMfV4 x0, x1, y0, y1;

      memcpy (&x0, x + d, sizeof x0);
      memcpy (&x1, x + d + 4, sizeof x1);
      memcpy (&y0, y + d, sizeof y0);
      memcpy (&y1, y + d + 4, sizeof y1);
      lo += x0 * y0;
      hi += x1 * y1;
    }
  for (; d < n; d++)
    sum += x[d] * y[d];
  for (guint l = 0; l < 4; l++)
    sum += lo[l];
  for (guint l = 0; l < 4; l++)
    sum += hi[l];
  return sum;
}

static inline void
_cs_mf_axpy (float        a,
             const float *x,
             float       *y,
             guint        n)
{
  _CsMfV4 av = { a, a, a, a };
  guint d = 0;

  for (; d + 4 <= n; d += 4)
    {
      _CsMfV4 xv, yv;

      memcpy (&xv, x + d, sizeof xv);
      memcpy (&yv, y + d, sizeof yv);
      yv += av * xv;
      memcpy (y + d, &yv, sizeof yv);
    }
  for (; d < n; d++)
    y[d] += a * x[d];
}

/* scores[j] = items[j] · user (+ bias[j] when @bias is not NULL). */
static inline void
_cs_mf_score (const float *items,
              const float *bias,
              gint32       n_items,
              guint        factors,
              const float *user,
              float       *scores)
{
  for (gint32 j = 0; j < n_items; j++)
    scores[j] = _cs_mf_dot (&items[(gsize) j * factors], user, factors) + (bias ? bias[j] : 0.0f);
}

/* FALSE when any of @n floats is NaN or infinite. */
static inline gboolean
_cs_mf_all_finite (const float *values,
                   gsize        n)
{
  for (gsize i = 0; i < n; i++)
    if (!isfinite (values[i]))
      return FALSE;
  return TRUE;
}

G_END_DECLS
