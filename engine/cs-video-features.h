/* cs-video-features.h: what a clip looks and sounds like, as numbers.
 *
 * Pure functions on packed 8-bit RGB frames (3 bytes per pixel, rows
 * @stride bytes apart) and on mono float audio. No GStreamer here, so the
 * tests can feed them synthetic frames with answers worked out by hand.
 *
 * Luma is BT.601: Y = 0.299 R + 0.587 G + 0.114 B, on R, G, B in 0..255.
 *
 * The importer computes the frame features on frames scaled to 320 px on
 * the long side (so a 4K clip and a 360p clip of the same scene compare),
 * sampled at evenly spaced times, and stores the mean over the samples.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const guint8 *data;   /* R, G, B bytes */
  int           width;
  int           height;
  int           stride; /* bytes from one row to the next, >= 3 * width */
} CsRgbFrame;

/* Bins per channel of a CsFrameHistogram. */
#define CS_HISTOGRAM_BINS 32

/* Per-channel colour histogram, each channel normalised to sum 1:
 * bin b of channel c counts pixels with value v where v * BINS / 256 == b. */
typedef struct
{
  float bins[3][CS_HISTOGRAM_BINS];
} CsFrameHistogram;

typedef enum
{
  CS_ORIENTATION_LANDSCAPE = 0,  /* width / height > 1.1 */
  CS_ORIENTATION_SQUARE    = 1,  /* 1/1.1 <= width / height <= 1.1 */
  CS_ORIENTATION_VERTICAL  = 2,  /* width / height < 1/1.1 (9:16 phone video) */
} CsOrientation;

/* Brightness: mean of Y / 255 over all pixels. Unit: 0 (black) .. 1 (white). */
double        cs_video_brightness      (const CsRgbFrame *frame);

/* Contrast: population standard deviation of Y / 255 over all pixels.
 * Unit: 0 (flat) .. 0.5 (half black, half white). */
double        cs_video_contrast        (const CsRgbFrame *frame);

/* Colourfulness (Hasler & Süsstrunk 2003): with rg = R − G and
 * yb = (R + G) / 2 − B per pixel (0..255 scale),
 *   M = sqrt (σ_rg² + σ_yb²) + 0.3 · sqrt (μ_rg² + μ_yb²)
 * (σ population standard deviation, μ mean). Unit: the paper's, about
 * 0 (grey) .. ~110 for the most colourful images; 15 is "slightly", 33
 * "moderately", 59 "quite" and 82 "highly colourful" in its scale. */
double        cs_video_colourfulness   (const CsRgbFrame *frame);

/* Saturation: mean over pixels of HSV S = (max − min) / max of R, G, B
 * (0 for a black pixel). Unit: 0 (grey) .. 1 (pure hues). */
double        cs_video_saturation      (const CsRgbFrame *frame);

/* Sharpness: population variance of the 3×3 Laplacian
 *   L = Y(x−1,y) + Y(x+1,y) + Y(x,y−1) + Y(x,y+1) − 4 Y(x,y)
 * over the interior pixels (the 1-pixel border is left out), Y in 0..255.
 * Unit: luma levels squared; 0 for a flat frame, a few hundred for a soft
 * picture, thousands for a sharp, detailed one. 0 when the frame is
 * smaller than 3×3. */
double        cs_video_sharpness       (const CsRgbFrame *frame);

/* Motion between two samples of the same size: mean over pixels of
 * |Y_a − Y_b| / 255. Unit: 0 (identical) .. 1. Returns -1 when the sizes
 * differ. */
double        cs_video_motion          (const CsRgbFrame *a,
                                        const CsRgbFrame *b);

void          cs_video_histogram       (const CsRgbFrame *frame,
                                        CsFrameHistogram *histogram);

/* Distance between two histograms: the mean over R, G, B of the total
 * variation distance ½ Σ_b |p_b − q_b|. Unit: 0 (same colours) .. 1
 * (no colour in common). */
double        cs_video_histogram_distance (const CsFrameHistogram *a,
                                           const CsFrameHistogram *b);

/* A scene cut between two consecutive samples when their histogram
 * distance exceeds this. Samples are seconds apart, not consecutive frames,
 * so this counts changes of scene between samples; slow pans that change the
 * colours by more than half also count. */
#define CS_SCENE_CUT_THRESHOLD 0.5

/* Scene cuts per minute: @n_cuts over @duration_ms. 0 when the duration is
 * not positive. */
double        cs_video_cuts_per_minute (guint             n_cuts,
                                        gint64            duration_ms);

CsOrientation cs_video_orientation     (int               width,
                                        int               height);
/* "landscape", "square", "vertical" (untranslated; the stored value). */
const char   *cs_orientation_to_string (CsOrientation     orientation);

/* Exposure: 1 − 2 · |brightness − 0.5|. Unit: 0 (black or white) .. 1
 * (mean luma at mid grey). */
double        cs_video_exposure        (double            brightness);

/* Cover score of a sampled frame, 0..1, higher is a better cover:
 *   score = 0.4 · S + 0.3 · E + 0.3 · R
 * with S = min (1, log10 (1 + sharpness) / 4) (sharpness as above, so a
 * Laplacian variance of 10,000 or more counts as fully sharp),
 * E = cs_video_exposure (brightness), and R = 1 − the histogram distance
 * between the frame and the mean histogram of all the clip's samples
 * (representativeness, as FFmpeg's thumbnail filter picks the frame closest
 * to the average histogram). */
double        cs_video_cover_score     (double            sharpness,
                                        double            brightness,
                                        double            distance_to_mean);

/* Loudness: RMS level of @n mono samples in −1..1, in dBFS:
 *   20 · log10 (sqrt (Σ x² / n)).
 * A full-scale sine is −3.01 dBFS. Digital silence (or n == 0) gives
 * CS_AUDIO_SILENCE_DBFS. */
#define CS_AUDIO_SILENCE_DBFS (-120.0)
double        cs_audio_rms_dbfs        (const float      *samples,
                                        gsize             n);

/* Silence share: the fraction of consecutive windows of @window samples
 * (100 ms at the sample rate: rate / 10) whose RMS level is below
 * CS_AUDIO_SILENT_BELOW_DBFS; a last partial window counts when it holds at
 * least half a window. Unit: 0..1; 0 when there is no window. */
#define CS_AUDIO_SILENT_BELOW_DBFS (-50.0)
double        cs_audio_silence_share   (const float      *samples,
                                        gsize             n,
                                        gsize             window);

G_END_DECLS
