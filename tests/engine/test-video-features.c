/* test-video-features.c: the feature functions on frames with answers
 * worked out by hand.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "clipscope-engine.h"
#include "cs-png.h"

#define W 8
#define H 8

typedef struct
{
  guint8     pixels[H][W * 3];
  CsRgbFrame frame;
} Frame;

static void
frame_fill (Frame  *f,
            guint8  r,
            guint8  g,
            guint8  b)
{
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      {
        f->pixels[y][3 * x] = r;
        f->pixels[y][3 * x + 1] = g;
        f->pixels[y][3 * x + 2] = b;
      }
  f->frame.data = &f->pixels[0][0];
  f->frame.width = W;
  f->frame.height = H;
  f->frame.stride = 3 * W;
}

static void
frame_checkerboard (Frame *f)
{
  frame_fill (f, 0, 0, 0);
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      if ((x + y) % 2 == 0)
        memset (&f->pixels[y][3 * x], 255, 3);
}

static void
test_black (void)
{
  Frame f;

  frame_fill (&f, 0, 0, 0);
  g_assert_cmpfloat (cs_video_brightness (&f.frame), ==, 0.0);
  g_assert_cmpfloat (cs_video_contrast (&f.frame), ==, 0.0);
  g_assert_cmpfloat (cs_video_colourfulness (&f.frame), ==, 0.0);
  g_assert_cmpfloat (cs_video_saturation (&f.frame), ==, 0.0);
  g_assert_cmpfloat (cs_video_sharpness (&f.frame), ==, 0.0);
}

static void
test_flat_grey (void)
{
  Frame f;

  /* The BT.601 weights sum to 1, so grey 128 has luma 128: 128/255. */
  frame_fill (&f, 128, 128, 128);
  g_assert_cmpfloat_with_epsilon (cs_video_brightness (&f.frame), 128.0 / 255.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (cs_video_contrast (&f.frame), 0.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (cs_video_colourfulness (&f.frame), 0.0, 1e-9);
  g_assert_cmpfloat (cs_video_saturation (&f.frame), ==, 0.0);
  g_assert_cmpfloat_with_epsilon (cs_video_sharpness (&f.frame), 0.0, 1e-6);
}

static void
test_checkerboard (void)
{
  Frame f;

  frame_checkerboard (&f);
  /* Half the pixels 0, half 1 (in luma/255): mean 0.5, standard deviation 0.5. */
  g_assert_cmpfloat_with_epsilon (cs_video_brightness (&f.frame), 0.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (cs_video_contrast (&f.frame), 0.5, 1e-9);
  /* Interior of 8×8 is 6×6 = 36 pixels. A white one (255) has four black
   * neighbours: L = 0 − 4·255 = −1020; a black one +1020. 18 of each, mean 0,
   * variance 1020² = 1,040,400. */
  g_assert_cmpfloat_with_epsilon (cs_video_sharpness (&f.frame), 1040400.0, 1e-3);
  /* Grey levels only: no colour. */
  g_assert_cmpfloat_with_epsilon (cs_video_colourfulness (&f.frame), 0.0, 1e-9);
  g_assert_cmpfloat (cs_video_saturation (&f.frame), ==, 0.0);
}

static void
test_pure_red (void)
{
  Frame f;

  frame_fill (&f, 255, 0, 0);
  /* rg = 255, yb = (255 + 0)/2 − 0 = 127.5 at every pixel: σ = 0,
   * M = 0.3 · sqrt (255² + 127.5²) = 0.3 · 285.0987… = 85.5296… */
  g_assert_cmpfloat_with_epsilon (cs_video_colourfulness (&f.frame), 0.3 * sqrt (255.0 * 255.0 + 127.5 * 127.5), 1e-9);
  g_assert_cmpfloat_with_epsilon (cs_video_colourfulness (&f.frame), 85.5296, 1e-4);
  g_assert_cmpfloat_with_epsilon (cs_video_saturation (&f.frame), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (cs_video_brightness (&f.frame), 0.299, 1e-12);
}

static void
test_motion (void)
{
  Frame a, b, c;

  frame_checkerboard (&a);
  frame_checkerboard (&b);
  g_assert_cmpfloat (cs_video_motion (&a.frame, &b.frame), ==, 0.0);

  frame_fill (&a, 0, 0, 0);
  frame_fill (&b, 255, 255, 255);
  g_assert_cmpfloat_with_epsilon (cs_video_motion (&a.frame, &b.frame), 1.0, 1e-9);

  /* Checkerboard against black: half the pixels differ by the full range. */
  frame_checkerboard (&c);
  g_assert_cmpfloat_with_epsilon (cs_video_motion (&a.frame, &c.frame), 0.5, 1e-9);

  c.frame.width = 4;
  g_assert_cmpfloat (cs_video_motion (&a.frame, &c.frame), ==, -1.0);
}

static void
test_histograms_and_cuts (void)
{
  Frame black, white, board;
  CsFrameHistogram hb, hw, hc;

  frame_fill (&black, 0, 0, 0);
  frame_fill (&white, 255, 255, 255);
  frame_checkerboard (&board);
  cs_video_histogram (&black.frame, &hb);
  cs_video_histogram (&white.frame, &hw);
  cs_video_histogram (&board.frame, &hc);

  g_assert_cmpfloat (hb.bins[0][0], ==, 1.0f);
  g_assert_cmpfloat (hw.bins[2][CS_HISTOGRAM_BINS - 1], ==, 1.0f);
  g_assert_cmpfloat (cs_video_histogram_distance (&hb, &hb), ==, 0.0);
  g_assert_cmpfloat_with_epsilon (cs_video_histogram_distance (&hb, &hw), 1.0, 1e-9);
  /* Half of each channel moved from bin 0 to the last bin. */
  g_assert_cmpfloat_with_epsilon (cs_video_histogram_distance (&hb, &hc), 0.5, 1e-9);
  /* Black to white is a cut; black to checkerboard (0.5) is not. */
  g_assert_cmpfloat (cs_video_histogram_distance (&hb, &hw), >, CS_SCENE_CUT_THRESHOLD);
  g_assert_false (cs_video_histogram_distance (&hb, &hc) > CS_SCENE_CUT_THRESHOLD);

  g_assert_cmpfloat_with_epsilon (cs_video_cuts_per_minute (3, 30000), 6.0, 1e-12);
  g_assert_cmpfloat (cs_video_cuts_per_minute (3, 0), ==, 0.0);
}

static void
test_orientation (void)
{
  g_assert_cmpint (cs_video_orientation (1080, 1920), ==, CS_ORIENTATION_VERTICAL);
  g_assert_cmpint (cs_video_orientation (152, 270), ==, CS_ORIENTATION_VERTICAL);
  g_assert_cmpint (cs_video_orientation (1000, 1000), ==, CS_ORIENTATION_SQUARE);
  g_assert_cmpint (cs_video_orientation (1050, 1000), ==, CS_ORIENTATION_SQUARE);
  g_assert_cmpint (cs_video_orientation (1920, 1080), ==, CS_ORIENTATION_LANDSCAPE);
  g_assert_cmpstr (cs_orientation_to_string (CS_ORIENTATION_VERTICAL), ==, "vertical");
}

static void
test_cover_score (void)
{
  /* Sharpness 9999: log10 (10000) / 4 = 1; mid-grey exposure 1; at the
   * mean histogram: 0.4 + 0.3 + 0.3. */
  g_assert_cmpfloat_with_epsilon (cs_video_cover_score (9999.0, 0.5, 0.0), 1.0, 1e-12);
  /* A black frame unlike the rest of the clip scores nothing. */
  g_assert_cmpfloat_with_epsilon (cs_video_cover_score (0.0, 0.0, 1.0), 0.0, 1e-12);
  /* Sharpness 99: log10 (100) / 4 = 0.5; brightness 0.75: exposure 0.5;
   * distance 0.5: 0.4·0.5 + 0.3·0.5 + 0.3·0.5 = 0.5. */
  g_assert_cmpfloat_with_epsilon (cs_video_cover_score (99.0, 0.75, 0.5), 0.5, 1e-12);
}

static void
test_audio (void)
{
  float samples[8000];

  /* A square wave of amplitude 0.5: RMS 0.5, 20·log10 (0.5) = −6.0206 dBFS. */
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    samples[i] = (i / 4) % 2 ? 0.5f : -0.5f;
  g_assert_cmpfloat_with_epsilon (cs_audio_rms_dbfs (samples, 8000), 20.0 * log10 (0.5), 1e-6);
  g_assert_cmpfloat (cs_audio_silence_share (samples, 8000, 800), ==, 0.0);

  /* First half digital silence: 5 of the ten 100 ms windows are silent,
   * and the RMS over the whole second halves (−6.02 − 3.01 dB). */
  memset (samples, 0, 4000 * sizeof (float));
  g_assert_cmpfloat_with_epsilon (cs_audio_silence_share (samples, 8000, 800), 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (cs_audio_rms_dbfs (samples, 8000), 10.0 * log10 (0.125), 1e-6);

  memset (samples, 0, sizeof samples);
  g_assert_cmpfloat (cs_audio_rms_dbfs (samples, 8000), ==, CS_AUDIO_SILENCE_DBFS);
  g_assert_cmpfloat (cs_audio_silence_share (samples, 8000, 800), ==, 1.0);
  g_assert_cmpfloat (cs_audio_rms_dbfs (samples, 0), ==, CS_AUDIO_SILENCE_DBFS);
  /* A last window of less than half a window is left out: 10 + (300 < 400). */
  g_assert_cmpfloat (cs_audio_silence_share (samples, 8000 - 500, 800), ==, 1.0);
}

static void
test_png (void)
{
  static const guint8 expected_signature[8] = { 137, 'P', 'N', 'G', '\r', '\n', 26, '\n' };
  Frame f;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *data;
  gsize size;

  frame_checkerboard (&f);
  png = cs_png_encode_rgb (f.frame.data, W, H, f.frame.stride, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (png, &size);
  g_assert_cmpuint (size, >, 8 + 25 + 12 + 12);
  g_assert_cmpmem (data, 8, expected_signature, 8);
  /* IHDR: length 13, "IHDR", width 8, height 8, depth 8, colour type 2. */
  g_assert_cmpmem (data + 12, 4, "IHDR", 4);
  g_assert_cmpuint (data[19], ==, W);
  g_assert_cmpuint (data[23], ==, H);
  g_assert_cmpuint (data[24], ==, 8);
  g_assert_cmpuint (data[25], ==, 2);
  g_assert_cmpmem (data + size - 8, 4, "IEND", 4);
  /* The CRC of an empty IEND chunk is fixed by the PNG specification. */
  g_assert_cmpuint (data[size - 4], ==, 0xae);
  g_assert_cmpuint (data[size - 3], ==, 0x42);
  g_assert_cmpuint (data[size - 2], ==, 0x60);
  g_assert_cmpuint (data[size - 1], ==, 0x82);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/video-features/black", test_black);
  g_test_add_func ("/video-features/flat-grey", test_flat_grey);
  g_test_add_func ("/video-features/checkerboard", test_checkerboard);
  g_test_add_func ("/video-features/pure-red", test_pure_red);
  g_test_add_func ("/video-features/motion", test_motion);
  g_test_add_func ("/video-features/histograms-and-cuts", test_histograms_and_cuts);
  g_test_add_func ("/video-features/orientation", test_orientation);
  g_test_add_func ("/video-features/cover-score", test_cover_score);
  g_test_add_func ("/video-features/audio", test_audio);
  g_test_add_func ("/video-features/png", test_png);

  return g_test_run ();
}
