/* cs-video-features.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cs-video-features.h"

static inline double
luma (const guint8 *p)
{
  return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
}

static inline gsize
n_pixels (const CsRgbFrame *frame)
{
  return (gsize) frame->width * (gsize) frame->height;
}

double
cs_video_brightness (const CsRgbFrame *frame)
{
  double sum = 0.0;

  g_return_val_if_fail (frame != NULL, 0.0);

  if (n_pixels (frame) == 0)
    return 0.0;
  for (int y = 0; y < frame->height; y++)
    {
      const guint8 *row = frame->data + (gsize) y * frame->stride;

      for (int x = 0; x < frame->width; x++)
        sum += luma (row + 3 * x);
    }
  return sum / n_pixels (frame) / 255.0;
}

double
cs_video_contrast (const CsRgbFrame *frame)
{
  double sum = 0.0, sum2 = 0.0, mean, var;
  gsize n;

  g_return_val_if_fail (frame != NULL, 0.0);

  n = n_pixels (frame);
  if (n == 0)
    return 0.0;
  for (int y = 0; y < frame->height; y++)
    {
      const guint8 *row = frame->data + (gsize) y * frame->stride;

      for (int x = 0; x < frame->width; x++)
        {
          double v = luma (row + 3 * x) / 255.0;

          sum += v;
          sum2 += v * v;
        }
    }
  mean = sum / n;
  var = sum2 / n - mean * mean;
  return var > 0.0 ? sqrt (var) : 0.0;
}

double
cs_video_colourfulness (const CsRgbFrame *frame)
{
  double s_rg = 0.0, s_yb = 0.0, s2_rg = 0.0, s2_yb = 0.0;
  double m_rg, m_yb, v_rg, v_yb;
  gsize n;

  g_return_val_if_fail (frame != NULL, 0.0);

  n = n_pixels (frame);
  if (n == 0)
    return 0.0;
  for (int y = 0; y < frame->height; y++)
    {
      const guint8 *row = frame->data + (gsize) y * frame->stride;

      for (int x = 0; x < frame->width; x++)
        {
          const guint8 *p = row + 3 * x;
          double rg = (double) p[0] - p[1];
          double yb = 0.5 * ((double) p[0] + p[1]) - p[2];

          s_rg += rg;
          s2_rg += rg * rg;
          s_yb += yb;
          s2_yb += yb * yb;
        }
    }
  m_rg = s_rg / n;
  m_yb = s_yb / n;
  v_rg = MAX (0.0, s2_rg / n - m_rg * m_rg);
  v_yb = MAX (0.0, s2_yb / n - m_yb * m_yb);
  return sqrt (v_rg + v_yb) + 0.3 * sqrt (m_rg * m_rg + m_yb * m_yb);
}

double
cs_video_saturation (const CsRgbFrame *frame)
{
  double sum = 0.0;

  g_return_val_if_fail (frame != NULL, 0.0);

  if (n_pixels (frame) == 0)
    return 0.0;
  for (int y = 0; y < frame->height; y++)
    {
      const guint8 *row = frame->data + (gsize) y * frame->stride;

      for (int x = 0; x < frame->width; x++)
        {
          const guint8 *p = row + 3 * x;
          int max = MAX (p[0], MAX (p[1], p[2]));
          int min = MIN (p[0], MIN (p[1], p[2]));

          if (max > 0)
            sum += (double) (max - min) / max;
        }
    }
  return sum / n_pixels (frame);
}

double
cs_video_sharpness (const CsRgbFrame *frame)
{
  g_autofree double *y_plane = NULL;
  int w, h;
  double sum = 0.0, sum2 = 0.0, mean;
  gsize n = 0;

  g_return_val_if_fail (frame != NULL, 0.0);

  w = frame->width;
  h = frame->height;
  if (w < 3 || h < 3)
    return 0.0;

  y_plane = g_new (double, (gsize) w * h);
  for (int y = 0; y < h; y++)
    {
      const guint8 *row = frame->data + (gsize) y * frame->stride;

      for (int x = 0; x < w; x++)
        y_plane[(gsize) y * w + x] = luma (row + 3 * x);
    }

  for (int y = 1; y < h - 1; y++)
    for (int x = 1; x < w - 1; x++)
      {
        const double *c = y_plane + (gsize) y * w + x;
        double l = c[-1] + c[1] + c[-w] + c[w] - 4.0 * c[0];

        sum += l;
        sum2 += l * l;
        n++;
      }
  mean = sum / n;
  return MAX (0.0, sum2 / n - mean * mean);
}

double
cs_video_motion (const CsRgbFrame *a,
                 const CsRgbFrame *b)
{
  double sum = 0.0;

  g_return_val_if_fail (a != NULL && b != NULL, -1.0);

  if (a->width != b->width || a->height != b->height)
    return -1.0;
  if (n_pixels (a) == 0)
    return 0.0;
  for (int y = 0; y < a->height; y++)
    {
      const guint8 *ra = a->data + (gsize) y * a->stride;
      const guint8 *rb = b->data + (gsize) y * b->stride;

      for (int x = 0; x < a->width; x++)
        sum += fabs (luma (ra + 3 * x) - luma (rb + 3 * x));
    }
  return sum / n_pixels (a) / 255.0;
}

void
cs_video_histogram (const CsRgbFrame *frame,
                    CsFrameHistogram *histogram)
{
  guint64 counts[3][CS_HISTOGRAM_BINS] = { { 0 } };
  gsize n;

  g_return_if_fail (frame != NULL && histogram != NULL);

  n = n_pixels (frame);
  for (int y = 0; y < frame->height; y++)
    {
      const guint8 *row = frame->data + (gsize) y * frame->stride;

      for (int x = 0; x < frame->width; x++)
        for (int c = 0; c < 3; c++)
          counts[c][row[3 * x + c] * CS_HISTOGRAM_BINS / 256]++;
    }
  for (int c = 0; c < 3; c++)
    for (int b = 0; b < CS_HISTOGRAM_BINS; b++)
      histogram->bins[c][b] = n > 0 ? (float) ((double) counts[c][b] / n) : 0.0f;
}

double
cs_video_histogram_distance (const CsFrameHistogram *a,
                             const CsFrameHistogram *b)
{
  double total = 0.0;

  g_return_val_if_fail (a != NULL && b != NULL, 0.0);

  for (int c = 0; c < 3; c++)
    for (int i = 0; i < CS_HISTOGRAM_BINS; i++)
      total += fabs ((double) a->bins[c][i] - b->bins[c][i]);
  return 0.5 * total / 3.0;
}

double
cs_video_cuts_per_minute (guint  n_cuts,
                          gint64 duration_ms)
{
  if (duration_ms <= 0)
    return 0.0;
  return n_cuts * 60000.0 / duration_ms;
}

CsOrientation
cs_video_orientation (int width,
                      int height)
{
  double ratio;

  if (width <= 0 || height <= 0)
    return CS_ORIENTATION_LANDSCAPE;
  ratio = (double) width / height;
  if (ratio > 1.1)
    return CS_ORIENTATION_LANDSCAPE;
  if (ratio < 1.0 / 1.1)
    return CS_ORIENTATION_VERTICAL;
  return CS_ORIENTATION_SQUARE;
}

const char *
cs_orientation_to_string (CsOrientation orientation)
{
  switch (orientation)
    {
    case CS_ORIENTATION_SQUARE:
      return "square";
    case CS_ORIENTATION_VERTICAL:
      return "vertical";
    case CS_ORIENTATION_LANDSCAPE:
    default:
      return "landscape";
    }
}

double
cs_video_exposure (double brightness)
{
  return CLAMP (1.0 - 2.0 * fabs (brightness - 0.5), 0.0, 1.0);
}

double
cs_video_cover_score (double sharpness,
                      double brightness,
                      double distance_to_mean)
{
  double s = MIN (1.0, log10 (1.0 + MAX (0.0, sharpness)) / 4.0);
  double e = cs_video_exposure (brightness);
  double r = CLAMP (1.0 - distance_to_mean, 0.0, 1.0);

  return 0.4 * s + 0.3 * e + 0.3 * r;
}

static double
mean_square_to_dbfs (double mean_square)
{
  double db;

  if (mean_square <= 0.0)
    return CS_AUDIO_SILENCE_DBFS;
  db = 10.0 * log10 (mean_square);
  return MAX (db, CS_AUDIO_SILENCE_DBFS);
}

double
cs_audio_rms_dbfs (const float *samples,
                   gsize        n)
{
  double sum = 0.0;

  if (n == 0 || samples == NULL)
    return CS_AUDIO_SILENCE_DBFS;
  for (gsize i = 0; i < n; i++)
    sum += (double) samples[i] * samples[i];
  return mean_square_to_dbfs (sum / n);
}

double
cs_audio_silence_share (const float *samples,
                        gsize        n,
                        gsize        window)
{
  gsize windows = 0, silent = 0;

  if (samples == NULL || window == 0)
    return 0.0;
  for (gsize start = 0; start < n; start += window)
    {
      gsize len = MIN (window, n - start);

      if (len * 2 < window)
        break;
      windows++;
      if (cs_audio_rms_dbfs (samples + start, len) < CS_AUDIO_SILENT_BELOW_DBFS)
        silent++;
    }
  return windows > 0 ? (double) silent / windows : 0.0;
}
