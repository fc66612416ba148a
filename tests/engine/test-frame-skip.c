/* test-frame-skip.c: which H.264 access units the frame sampler may leave
 * undecoded, and when, on hand-made NAL units (header byte = forbidden bit,
 * nal_ref_idc << 5, nal_unit_type: 0x01 non-reference slice, 0x21 and 0x41
 * reference slices, 0x65 IDR slice, 0x09 access unit delimiter, 0x0c
 * filler, 0x06 SEI, 0x67 SPS, 0x68 PPS).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cs-frame-skip.h"

#define MS G_GINT64_CONSTANT (1000000)

#define DISPOSABLE(length_size, ...)                                          \
  G_STMT_START {                                                              \
    static const guint8 au[] = { __VA_ARGS__ };                               \
    g_assert_true (cs_frame_skip_h264_disposable (au, sizeof au, length_size)); \
  } G_STMT_END
#define KEPT(length_size, ...)                                                \
  G_STMT_START {                                                              \
    static const guint8 au[] = { __VA_ARGS__ };                               \
    g_assert_false (cs_frame_skip_h264_disposable (au, sizeof au, length_size)); \
  } G_STMT_END

static void
test_avc (void)
{
  /* One non-reference slice of 3 bytes, with a 4-byte length. */
  DISPOSABLE (4, 0, 0, 0, 3, 0x01, 0xaa, 0xbb);
  /* A delimiter, then the slice; two slices; filler after a slice. */
  DISPOSABLE (4, 0, 0, 0, 2, 0x09, 0xf0, 0, 0, 0, 3, 0x01, 0x9a, 0x00);
  DISPOSABLE (4, 0, 0, 0, 2, 0x01, 0x9a, 0, 0, 0, 2, 0x01, 0x9b);
  DISPOSABLE (4, 0, 0, 0, 2, 0x01, 0x9a, 0, 0, 0, 2, 0x0c, 0xff);
  /* 2- and 1-byte lengths. */
  DISPOSABLE (2, 0, 3, 0x01, 0x11, 0x22);
  DISPOSABLE (1, 3, 0x01, 0x11, 0x22);

  /* Pictures others refer to, whatever the nal_ref_idc. */
  KEPT (4, 0, 0, 0, 2, 0x21, 0x9a);
  KEPT (4, 0, 0, 0, 2, 0x41, 0x9a);
  KEPT (4, 0, 0, 0, 2, 0x65, 0x88);
  /* One reference slice among non-reference ones. */
  KEPT (4, 0, 0, 0, 2, 0x01, 0x9a, 0, 0, 0, 2, 0x21, 0x9b);
  /* Parameter sets or SEI travel with the picture: keep them. */
  KEPT (4, 0, 0, 0, 2, 0x67, 0x64, 0, 0, 0, 2, 0x68, 0xeb, 0, 0, 0, 2, 0x01, 0x9a);
  KEPT (4, 0, 0, 0, 2, 0x06, 0x05, 0, 0, 0, 2, 0x01, 0x9a);
  /* No slice at all. */
  KEPT (4, 0, 0, 0, 2, 0x09, 0xf0);
  /* Forbidden bit set. */
  KEPT (4, 0, 0, 0, 2, 0x81, 0x9a);
  /* Malformed: a length past the end, a zero length, a cut length. */
  KEPT (4, 0, 0, 0, 9, 0x01, 0x9a);
  KEPT (4, 0, 0, 0, 0, 0, 0, 0, 2, 0x01, 0x9a);
  KEPT (4, 0, 0, 0, 2, 0x01, 0x9a, 0, 0);
  /* Read with the wrong length size, the same bytes fall apart. */
  KEPT (2, 0, 0, 0, 3, 0x01, 0xaa, 0xbb);
  /* Not a length size. */
  KEPT (5, 0, 0, 0, 0, 3, 0x01, 0xaa, 0xbb);
  g_assert_false (cs_frame_skip_h264_disposable (NULL, 0, 4));
}

static void
test_byte_stream (void)
{
  /* 4-byte start code, delimiter, 3-byte start code, slice. */
  DISPOSABLE (0, 0, 0, 0, 1, 0x09, 0xf0, 0, 0, 1, 0x01, 0x9a, 0x00);
  DISPOSABLE (0, 0, 0, 1, 0x01, 0x88, 0x84);
  /* A reference slice after a non-reference one. */
  KEPT (0, 0, 0, 1, 0x01, 0x88, 0, 0, 1, 0x21, 0x99);
  KEPT (0, 0, 0, 0, 1, 0x65, 0x88);
  /* No start code, something before it, a start code with nothing after. */
  KEPT (0, 0x01, 0x88, 0x84);
  KEPT (0, 0x05, 0, 0, 1, 0x01, 0x88);
  KEPT (0, 0, 0, 1, 0x01, 0x88, 0, 0, 1);
}

static void
test_nal_length_size (void)
{
  /* again.mkv's codec_data starts 01 64 00 1e ff: 0xff & 3 = 3, so 4. */
  static const guint8 four[] = { 0x01, 0x64, 0x00, 0x1e, 0xff, 0xe1, 0x00 };
  static const guint8 two[] = { 0x01, 0x64, 0x00, 0x1e, 0xfd, 0xe1, 0x00 };
  static const guint8 one[] = { 0x01, 0x64, 0x00, 0x1e, 0xfc, 0xe1, 0x00 };
  static const guint8 three[] = { 0x01, 0x64, 0x00, 0x1e, 0xfe, 0xe1, 0x00 };
  static const guint8 version0[] = { 0x00, 0x64, 0x00, 0x1e, 0xff, 0xe1, 0x00 };

  g_assert_cmpint (cs_frame_skip_h264_nal_length_size (four, sizeof four), ==, 4);
  g_assert_cmpint (cs_frame_skip_h264_nal_length_size (two, sizeof two), ==, 2);
  g_assert_cmpint (cs_frame_skip_h264_nal_length_size (one, sizeof one), ==, 1);
  g_assert_cmpint (cs_frame_skip_h264_nal_length_size (three, sizeof three), ==, 0);
  g_assert_cmpint (cs_frame_skip_h264_nal_length_size (version0, sizeof version0), ==, 0);
  g_assert_cmpint (cs_frame_skip_h264_nal_length_size (four, 6), ==, 0);
}

static void
test_before_next (void)
{
  /* Frame times are whole milliseconds, rounded down: 999 999 ns is 0 ms. */
  g_assert_true (cs_frame_skip_before_next (999999, 1));
  g_assert_false (cs_frame_skip_before_next (1000000, 1));
  g_assert_true (cs_frame_skip_before_next (1966666666, 1967));
  g_assert_false (cs_frame_skip_before_next (1967000000, 1967));
  g_assert_false (cs_frame_skip_before_next (2000000000, 1967));
  /* A time is wanted from 0 ms: nothing comes before it. */
  g_assert_false (cs_frame_skip_before_next (0, 0));
  /* Unknown picture time or no wanted time. */
  g_assert_false (cs_frame_skip_before_next (-1, 1000));
  g_assert_false (cs_frame_skip_before_next (500000000, -1));
}

static void
test_before_target (void)
{
  /* 30 fps: a frame is 33 333 333 ns, the margin 3 frames = 99 999 999 ns.
   * Seeking to 1000 ms. Frame n shows at n * 33 333 333 ns for one frame;
   * it may be skipped when pts < 1e9 - 99 999 999 - 33 333 333
   * = 866 666 668. */
  gint64 frame = 33333333;

  g_assert_true (cs_frame_skip_before_target (800 * MS, frame, frame, 1000 * MS));
  /* Frame 26 (866 666 658 ns) may go, frame 27 (899 999 991 ns) not. */
  g_assert_true (cs_frame_skip_before_target (26 * frame, frame, frame, 1000 * MS));
  g_assert_false (cs_frame_skip_before_target (27 * frame, frame, frame, 1000 * MS));
  /* Nor the frames at or after the wanted time. */
  g_assert_false (cs_frame_skip_before_target (1000 * MS, frame, frame, 1000 * MS));
  g_assert_false (cs_frame_skip_before_target (1100 * MS, frame, frame, 1000 * MS));
  /* No duration on the buffer: one frame, as the decoder gives it. */
  g_assert_true (cs_frame_skip_before_target (26 * frame, -1, frame, 1000 * MS));
  g_assert_false (cs_frame_skip_before_target (27 * frame, -1, frame, 1000 * MS));

  /* A picture shown for 2 s from 0 covers 1 s: an accurate seek to 1 s
   * prerolls it, so it stays. Shown for 0.5 s, it ends at
   * 0.5 s + 0.1 s < 1 s. */
  g_assert_false (cs_frame_skip_before_target (0, 2000 * MS, frame, 1000 * MS));
  g_assert_true (cs_frame_skip_before_target (0, 500 * MS, frame, 1000 * MS));

  /* Frame rate unknown, no time on the picture, no wanted time: keep. */
  g_assert_false (cs_frame_skip_before_target (0, frame, 0, 1000 * MS));
  g_assert_false (cs_frame_skip_before_target (-1, frame, frame, 1000 * MS));
  g_assert_false (cs_frame_skip_before_target (0, frame, frame, -1));
  /* A seek within the margin of the start: nothing before it. */
  g_assert_false (cs_frame_skip_before_target (0, frame, frame, 50 * MS));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/frame-skip/avc", test_avc);
  g_test_add_func ("/frame-skip/byte-stream", test_byte_stream);
  g_test_add_func ("/frame-skip/nal-length-size", test_nal_length_size);
  g_test_add_func ("/frame-skip/before-next", test_before_next);
  g_test_add_func ("/frame-skip/before-target", test_before_target);
  return g_test_run ();
}
