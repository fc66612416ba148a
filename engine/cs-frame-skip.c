/* cs-frame-skip.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cs-frame-skip.h"

typedef enum
{
  NAL_OTHER,       /* anything that makes the access unit worth keeping */
  NAL_SLICE_NONREF,
  NAL_HARMLESS,    /* access unit delimiter, filler */
} NalKind;

/* ITU-T H.264 7.3.1: forbidden_zero_bit, nal_ref_idc (2 bits),
 * nal_unit_type (5 bits). */
static NalKind
nal_kind (guint8 header)
{
  int ref_idc = (header >> 5) & 3;
  int type = header & 0x1f;

  if ((header & 0x80) != 0)
    return NAL_OTHER;
  if (type == 1 && ref_idc == 0)
    return NAL_SLICE_NONREF;
  if (type == 9 || type == 12)
    return NAL_HARMLESS;
  return NAL_OTHER;
}

/* FALSE when the unit with this header byte must be decoded; notes a
 * non-reference slice in *@slices. */
static gboolean
unit_disposable (guint8    header,
                 gboolean *slices)
{
  switch (nal_kind (header))
    {
    case NAL_SLICE_NONREF:
      *slices = TRUE;
      return TRUE;
    case NAL_HARMLESS:
      return TRUE;
    case NAL_OTHER:
    default:
      return FALSE;
    }
}

/* Units prefixed by their big-endian length. */
static gboolean
disposable_avc (const guint8 *data,
                gsize         size,
                int           nal_length_size)
{
  gboolean slices = FALSE;
  gsize pos = 0;

  while (pos < size)
    {
      gsize length = 0;

      if (size - pos < (gsize) nal_length_size)
        return FALSE;
      for (int i = 0; i < nal_length_size; i++)
        length = (length << 8) | data[pos + i];
      pos += nal_length_size;
      if (length == 0 || length > size - pos || !unit_disposable (data[pos], &slices))
        return FALSE;
      pos += length;
    }
  return slices;
}

/* Annex B: each unit follows 00 00 01 (a fourth leading zero belongs to the
 * start code); only the byte after each start code matters here. */
static gboolean
disposable_byte_stream (const guint8 *data,
                        gsize         size)
{
  gboolean slices = FALSE;
  gsize pos = 0;

  /* Leading zeros, then the first start code. */
  while (pos < size && data[pos] == 0)
    pos++;
  if (pos < 2 || pos >= size || data[pos] != 1)
    return FALSE;
  pos++;

  for (;;)
    {
      /* A start code with no unit after it is malformed. */
      if (pos >= size || !unit_disposable (data[pos], &slices))
        return FALSE;
      /* On to the next 00 00 01, if any. */
      pos++;
      while (pos + 2 < size && !(data[pos] == 0 && data[pos + 1] == 0 && data[pos + 2] == 1))
        pos++;
      if (pos + 2 >= size)
        return slices;
      pos += 3;
    }
}

gboolean
cs_frame_skip_h264_disposable (const guint8 *data,
                               gsize         size,
                               int           nal_length_size)
{
  if (data == NULL || size == 0)
    return FALSE;
  if (nal_length_size == 0)
    return disposable_byte_stream (data, size);
  if (nal_length_size < 1 || nal_length_size > 4)
    return FALSE;
  return disposable_avc (data, size, nal_length_size);
}

gboolean
cs_frame_skip_before_next (gint64 pts_ns,
                           gint64 next_ms)
{
  return pts_ns >= 0 && next_ms >= 0 && pts_ns / 1000000 < next_ms;
}

gboolean
cs_frame_skip_before_target (gint64 pts_ns,
                             gint64 duration_ns,
                             gint64 frame_ns,
                             gint64 target_ns)
{
  if (pts_ns < 0 || target_ns < 0 || frame_ns <= 0)
    return FALSE;
  if (duration_ns < 0)
    duration_ns = frame_ns;
  /* Subtracting keeps the comparison from overflowing. */
  return pts_ns < target_ns - CS_FRAME_SKIP_MARGIN_FRAMES * frame_ns - duration_ns;
}

int
cs_frame_skip_h264_nal_length_size (const guint8 *data,
                                    gsize         size)
{
  int length_size;

  /* ISO/IEC 14496-15 5.3.3.1: configurationVersion 1, three profile and
   * level bytes, then six reserved 1 bits and lengthSizeMinusOne. */
  if (data == NULL || size < 7 || data[0] != 1)
    return 0;
  length_size = (data[4] & 3) + 1;
  return length_size == 3 ? 0 : length_size;
}
