/* cs-gen-quality.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <lapacke.h>
#include <math.h>
#include <string.h>

#include "cs-gen-quality.h"
#include "cs-nn-rng.h"
#include "cs-png.h"

#define GRID 8
#define RAW (3 * GRID * GRID)
#define PROJECTION_SEED 20261128

static const float *
projection (void)
{
  static float *matrix = NULL;

  if (g_once_init_enter (&matrix))
    {
      float *m = g_new (float, CS_GEN_FEATURES * RAW);
      CsNnRng rng;

      cs_nn_rng_init (&rng, PROJECTION_SEED);
      cs_nn_rng_fill_normal (&rng, m, CS_GEN_FEATURES * RAW, 0.0f, (float) (1.0 / sqrt (RAW)));
      g_once_init_leave (&matrix, m);
    }
  return matrix;
}

void
cs_gen_features (const float *images,
                 int          n,
                 int          size,
                 double      *out)
{
  const float *p = projection ();
  int block = size / GRID;
  gsize plane = (gsize) size * size;

  g_return_if_fail (size % GRID == 0);
  for (int i = 0; i < n; i++)
    {
      const float *img = images + (gsize) i * 3 * plane;
      double raw[RAW];

      for (int c = 0; c < 3; c++)
        for (int gy = 0; gy < GRID; gy++)
          for (int gx = 0; gx < GRID; gx++)
            {
              double sum = 0;

              for (int y = gy * block; y < (gy + 1) * block; y++)
                for (int x = gx * block; x < (gx + 1) * block; x++)
                  sum += img[c * plane + (gsize) y * size + x];
              raw[(c * GRID + gy) * GRID + gx] = sum / (block * block);
            }
      for (int f = 0; f < CS_GEN_FEATURES; f++)
        {
          double sum = 0;

          for (int r = 0; r < RAW; r++)
            sum += p[f * RAW + r] * raw[r];
          out[(gsize) i * CS_GEN_FEATURES + f] = sum;
        }
    }
}

static void
moments (const double *x, int n, int dim, double *mean, double *cov)
{
  memset (mean, 0, dim * sizeof (double));
  memset (cov, 0, (gsize) dim * dim * sizeof (double));
  for (int i = 0; i < n; i++)
    for (int a = 0; a < dim; a++)
      mean[a] += x[(gsize) i * dim + a] / n;
  for (int i = 0; i < n; i++)
    for (int a = 0; a < dim; a++)
      for (int b = 0; b <= a; b++)
        cov[a * dim + b] += (x[(gsize) i * dim + a] - mean[a]) * (x[(gsize) i * dim + b] - mean[b]) / (n - 1);
  for (int a = 0; a < dim; a++)
    for (int b = 0; b < a; b++)
      cov[b * dim + a] = cov[a * dim + b];
}

/* Symmetric square root of @s (dim × dim), in place. FALSE if LAPACK fails. */
static gboolean
sqrtm_sym (double *s, int dim)
{
  g_autofree double *w = g_new (double, dim);
  g_autofree double *v = g_memdup2 (s, (gsize) dim * dim * sizeof (double));

  if (LAPACKE_dsyev (LAPACK_ROW_MAJOR, 'V', 'U', dim, v, dim, w) != 0)
    return FALSE;
  for (int a = 0; a < dim; a++)
    for (int b = 0; b < dim; b++)
      {
        double sum = 0;

        for (int k = 0; k < dim; k++)
          sum += v[a * dim + k] * sqrt (MAX (w[k], 0.0)) * v[b * dim + k];
        s[a * dim + b] = sum;
      }
  return TRUE;
}

double
cs_gen_frechet_distance (const double *a,
                         int           na,
                         const double *b,
                         int           nb,
                         int           dim)
{
  g_autofree double *ma = g_new (double, dim);
  g_autofree double *mb = g_new (double, dim);
  g_autofree double *ca = g_new (double, (gsize) dim * dim);
  g_autofree double *cb = g_new (double, (gsize) dim * dim);
  g_autofree double *t = g_new0 (double, (gsize) dim * dim);
  g_autofree double *m = g_new0 (double, (gsize) dim * dim);
  g_autofree double *w = g_new (double, dim);
  double dist = 0, tr = 0;

  if (na < 2 || nb < 2)
    return NAN;
  moments (a, na, dim, ma, ca);
  moments (b, nb, dim, mb, cb);
  for (int i = 0; i < dim; i++)
    {
      dist += (ma[i] - mb[i]) * (ma[i] - mb[i]);
      tr += ca[i * dim + i] + cb[i * dim + i];
    }
  if (!sqrtm_sym (ca, dim))
    return NAN;
  /* m = √Σa · Σb · √Σa, symmetric positive semi-definite */
  for (int i = 0; i < dim; i++)
    for (int j = 0; j < dim; j++)
      for (int k = 0; k < dim; k++)
        t[i * dim + j] += ca[i * dim + k] * cb[k * dim + j];
  for (int i = 0; i < dim; i++)
    for (int j = 0; j < dim; j++)
      for (int k = 0; k < dim; k++)
        m[i * dim + j] += t[i * dim + k] * ca[k * dim + j];
  if (LAPACKE_dsyev (LAPACK_ROW_MAJOR, 'N', 'U', dim, m, dim, w) != 0)
    return NAN;
  for (int i = 0; i < dim; i++)
    tr -= 2 * sqrt (MAX (w[i], 0.0));
  return MAX (dist + tr, 0.0);
}

int
cs_gen_nearest (const float *image,
                const float *frames,
                int          n,
                gsize        d,
                double      *rms)
{
  double best = G_MAXDOUBLE;
  int best_i = -1;

  for (int i = 0; i < n; i++)
    {
      const float *f = frames + (gsize) i * d;
      double sum = 0;

      for (gsize j = 0; j < d && sum < best; j++)
        sum += ((double) image[j] - f[j]) * ((double) image[j] - f[j]);
      if (sum < best)
        {
          best = sum;
          best_i = i;
        }
    }
  if (rms)
    *rms = best_i >= 0 ? sqrt (best / d) : NAN;
  return best_i;
}

GBytes *
cs_gen_grid_png (const float  *images,
                 int           n,
                 int           size,
                 int           cols,
                 GError      **error)
{
  int rows = (n + cols - 1) / cols, gap = 2;
  int w = cols * size + (cols + 1) * gap, h = rows * size + (rows + 1) * gap;
  g_autofree guint8 *rgb = g_malloc ((gsize) 3 * w * h);
  gsize plane = (gsize) size * size;

  memset (rgb, 255, (gsize) 3 * w * h);
  for (int i = 0; i < n; i++)
    {
      int ox = gap + (i % cols) * (size + gap), oy = gap + (i / cols) * (size + gap);
      const float *img = images + (gsize) i * 3 * plane;

      for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++)
          for (int c = 0; c < 3; c++)
            {
              float v = (img[c * plane + (gsize) y * size + x] + 1.0f) * 127.5f;

              rgb[3 * ((gsize) (oy + y) * w + ox + x) + c] = (guint8) CLAMP (lrintf (v), 0, 255);
            }
    }
  return cs_png_encode_rgb (rgb, w, h, 3 * w, error);
}
