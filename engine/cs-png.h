/* cs-png.h: encode packed RGB pixels as PNG, without a toolkit.
 *
 * The engine stores thumbnails and cover frames as PNG but links no image
 * library: GIO's zlib compressor and a CRC table are all PNG needs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* 8-bit RGB, @stride bytes per row. Returns the PNG file's bytes. */
GBytes *cs_png_encode_rgb (const guint8  *data,
                           int            width,
                           int            height,
                           int            stride,
                           GError       **error);

G_END_DECLS
