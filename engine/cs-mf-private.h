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

/* out[i] = _cs_mf_dot (a[i], b, n) for four vectors at once, bit for bit:
 * each keeps its own eight partial sums, but the four chains of additions
 * overlap in the processor instead of each waiting on its own. */
static inline void
_cs_mf_dot4 (const float * const *a,
             const float         *b,
             guint                n,
             float               *out)
{
  /* Written out by hand: with arrays of four the compiler kept the sums on
   * the stack. */
  const float *a0 = a[0], *a1 = a[1], *a2 = a[2], *a3 = a[3];
  _CsMfV4 lo0 = { 0 }, lo1 = { 0 }, lo2 = { 0 }, lo3 = { 0 };
  _CsMfV4 hi0 = { 0 }, hi1 = { 0 }, hi2 = { 0 }, hi3 = { 0 };
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  guint d = 0;

#define CS_MF_LOAD4(v, p) memcpy (&(v), (p), sizeof (v))
  for (; d + 8 <= n; d += 8)
    {
      _CsMfV4 b0, b1, x0, x1;

      CS_MF_LOAD4 (b0, b + d);
      CS_MF_LOAD4 (b1, b + d + 4);
      CS_MF_LOAD4 (x0, a0 + d);
      CS_MF_LOAD4 (x1, a0 + d + 4);
      lo0 += x0 * b0;
      hi0 += x1 * b1;
      CS_MF_LOAD4 (x0, a1 + d);
      CS_MF_LOAD4 (x1, a1 + d + 4);
      lo1 += x0 * b0;
      hi1 += x1 * b1;
      CS_MF_LOAD4 (x0, a2 + d);
      CS_MF_LOAD4 (x1, a2 + d + 4);
      lo2 += x0 * b0;
      hi2 += x1 * b1;
      CS_MF_LOAD4 (x0, a3 + d);
      CS_MF_LOAD4 (x1, a3 + d + 4);
      lo3 += x0 * b0;
      hi3 += x1 * b1;
    }
#undef CS_MF_LOAD4
  for (guint t = d; t < n; t++)
    {
      s0 += a0[t] * b[t];
      s1 += a1[t] * b[t];
      s2 += a2[t] * b[t];
      s3 += a3[t] * b[t];
    }
  for (guint l = 0; l < 4; l++)
    {
      s0 += lo0[l];
      s1 += lo1[l];
      s2 += lo2[l];
      s3 += lo3[l];
    }
  for (guint l = 0; l < 4; l++)
    {
      s0 += hi0[l];
      s1 += hi1[l];
      s2 += hi2[l];
      s3 += hi3[l];
    }
  out[0] = s0;
  out[1] = s1;
  out[2] = s2;
  out[3] = s3;
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
  gint32 j = 0;

  for (; j + 4 <= n_items; j += 4)
    {
      const float *rows[4] = {
        &items[(gsize) j * factors], &items[(gsize) (j + 1) * factors],
        &items[(gsize) (j + 2) * factors], &items[(gsize) (j + 3) * factors],
      };

      _cs_mf_dot4 (rows, user, factors, &scores[j]);
      for (guint i = 0; i < 4; i++)
        scores[j + i] += bias ? bias[j + i] : 0.0f;
    }
  for (; j < n_items; j++)
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
