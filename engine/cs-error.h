/* cs-error.h: one GError domain per engine area, with messages a user can act on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CS_STORE_ERROR  (cs_store_error_quark ())
#define CS_IMPORT_ERROR (cs_import_error_quark ())
#define CS_MODEL_ERROR  (cs_model_error_quark ())
#define CS_MEDIA_ERROR  (cs_media_error_quark ())

typedef enum
{
  CS_STORE_ERROR_FAILED,
  CS_STORE_ERROR_NOT_A_PROJECT,   /* the file is not a Clipscope project */
  CS_STORE_ERROR_TOO_NEW,         /* written by a newer Clipscope */
  CS_STORE_ERROR_READ_ONLY,       /* file or folder not writable */
  CS_STORE_ERROR_LOCKED,          /* another program holds a lock */
  CS_STORE_ERROR_FULL,            /* disk full */
  CS_STORE_ERROR_CORRUPT,         /* damaged database */
  CS_STORE_ERROR_NOT_FOUND,       /* no such project / row */
} CsStoreError;

typedef enum
{
  CS_IMPORT_ERROR_FAILED,
  CS_IMPORT_ERROR_OPEN,           /* the source file cannot be opened */
  CS_IMPORT_ERROR_EMPTY,          /* nothing to import */
  CS_IMPORT_ERROR_ENCODING,       /* text is not in a known encoding */
  CS_IMPORT_ERROR_MISSING_COLUMN, /* a required field has no column */
  CS_IMPORT_ERROR_FORMAT,         /* the file is not in the expected format */
} CsImportError;

typedef enum
{
  CS_MODEL_ERROR_FAILED,
  CS_MODEL_ERROR_UNKNOWN_MODEL,   /* a model name we do not know */
  CS_MODEL_ERROR_INVALID_PARAM,   /* a bad parameter or value */
  CS_MODEL_ERROR_NO_DATA,         /* too little data for the protocol */
} CsModelError;

typedef enum
{
  CS_MEDIA_ERROR_FAILED,
  CS_MEDIA_ERROR_NO_ELEMENT,      /* a GStreamer element is missing */
  CS_MEDIA_ERROR_ENCODE,          /* rendering or encoding failed */
  CS_MEDIA_ERROR_NOT_MEDIA,       /* not an audio or video file */
  CS_MEDIA_ERROR_EMPTY,           /* the file is empty (0 bytes) */
  CS_MEDIA_ERROR_TRUNCATED,       /* damaged or cut short */
  CS_MEDIA_ERROR_NO_DECODER,      /* no decoder installed for a codec */
  CS_MEDIA_ERROR_AUDIO_ONLY,      /* sound but no picture */
  CS_MEDIA_ERROR_TOO_SMALL,       /* a picture too small to show (1×1) */
  CS_MEDIA_ERROR_OPEN,            /* the file cannot be opened/read */
} CsMediaError;

GQuark cs_store_error_quark  (void);
GQuark cs_import_error_quark (void);
GQuark cs_model_error_quark  (void);
GQuark cs_media_error_quark  (void);

G_END_DECLS
