/* cs-value-parse.h: numbers, times and durations as platforms export them.
 *
 * Pure functions: no store, no locale (a decimal point is always '.').
 * Every parser trims white space (ASCII, no-break space, the ideographic
 * space U+3000) and first turns full-width forms into ASCII (“１２．５％” is
 * “12.5%”). Each returns CS_VALUE_OK, CS_VALUE_MISSING (the cell says “no
 * value”) or CS_VALUE_INVALID with a translated reason a user can act on,
 * such as “12abc” is not a number.
 *
 * Missing: "", "-", "--", "—", "N/A", "NA", "null", "none", "nan" (any case).
 *
 * Numbers (cs_value_parse_number):
 *   - digits with an optional sign, decimal point and exponent: "3.0", "-2",
 *     "1e5";
 *   - thousands separators ',' ' ' '\'' or a no-break space between groups of
 *     exactly three digits: "1,234", "1 234 567" (not "1,23");
 *   - a multiplier after the number, with or without a space:
 *       万 w W        × 10 000      ("1.4万" = 14000, "1.4w" = 14000)
 *       亿            × 100 000 000 ("2.3亿" = 230000000)
 *       千 k K        × 1 000       ("12K" = 12000)
 *       百万 m M      × 1 000 000   ("1.4M" = 1400000)
 *       b B           × 1 000 000 000
 *     and a trailing '+' as creator centres print a lower bound ("10万+" =
 *     100000);
 *   - a percent sign: "12.5%" is 12.5 with CS_NUMBER_PERCENT set, or 0.125
 *     when parsed as a rate (CS_NUMBER_AS_RATE).
 *   As a rate a number without '%' is a fraction when it is at most 1
 *   ("0.125" = 0.125, "1" = 1.0 = 100 %) and a percentage when it is above 1
 *   and at most 100 ("35.2" = 0.352): exports write completion rates both
 *   ways. A rate above 100 without '%' is invalid.
 *
 * Times (cs_value_parse_time), in Unix seconds (UTC), fractions of a second
 * dropped:
 *   - ISO 8601 and the common layouts: "2020-05-31T23:54:00Z",
 *     "2020-05-31 23:54:00+08:00", "2020-05-31 23:54", "2020/5/31 23:54",
 *     "2020.05.31", "2020-05-31" (midnight); zones Z, UTC, GMT, ±HH, ±HHMM,
 *     ±HH:MM;
 *   - Chinese: "2020年5月31日 23:54", "2020年5月31日23时54分", "2020年5月31日";
 *   - without a year, taken from the context: "5月31日 23:54", "05-31 23:54",
 *     "5月31日" (invalid when the context has no default year);
 *   - compact dates, never Unix seconds: "20200531", "20200531 2354",
 *     "20200531T235400", "202005312354", "20200531235400" (when the digits
 *     form a valid date between the years 1900 and 2100);
 *   - other numbers are Unix seconds, or Unix milliseconds above 1e11
 *     ("1590940440", "1590940440000", "1590940440.5");
 *   - relative times ("昨天 23:54", "3小时前", "刚刚", "2 hours ago") are
 *     invalid: they depend on the day the file was exported, which it does
 *     not say.
 *   A time without a zone is in the context's zone (local time when NULL).
 *   Weibo's "已编辑" (edited) after a time is ignored.
 *
 * Durations (cs_value_parse_duration), in seconds: "83", "12.5", "12.5s",
 *   "1:23" (M:SS), "01:02:03" (H:MM:SS), "1分23秒", "1小时2分3秒", "1.5分钟",
 *   "2m3s", "1h 2min", "250ms", "250毫秒". Negative durations are invalid.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  CS_VALUE_OK,
  CS_VALUE_MISSING,  /* an empty cell or a “no value” marker */
  CS_VALUE_INVALID,  /* @reason says why */
} CsValueResult;

typedef enum
{
  CS_NUMBER_DEFAULT = 0,
  CS_NUMBER_AS_RATE = 1 << 0,  /* a fraction: "12.5%" and "0.125" are 0.125 */
} CsNumberFlags;

typedef enum
{
  CS_NUMBER_PERCENT    = 1 << 0,  /* the text ended with '%' */
  CS_NUMBER_MULTIPLIED = 1 << 1,  /* it had 万/亿/K/M/B */
  CS_NUMBER_AT_LEAST   = 1 << 2,  /* it ended with '+' ("10万+") */
} CsNumberTraits;

/* How times without a zone or a year are read. */
typedef struct
{
  GTimeZone *zone;          /* (nullable): NULL = local time; for a fixed
                             * offset use g_time_zone_new_offset() */
  int        default_year;  /* for "5月31日 23:54"; 0 = such times are invalid */
} CsTimeContext;

/* @reason: (out) (optional) (nullable): set on CS_VALUE_INVALID only. */
CsValueResult cs_value_parse_number   (const char           *text,
                                       CsNumberFlags         flags,
                                       double               *value,
                                       CsNumberTraits       *traits,
                                       char                **reason);

/* @context: (nullable): NULL = local time, no default year. */
CsValueResult cs_value_parse_time     (const char           *text,
                                       const CsTimeContext  *context,
                                       gint64               *unix_seconds,
                                       char                **reason);

CsValueResult cs_value_parse_duration (const char           *text,
                                       double               *seconds,
                                       char                **reason);

/* Whether @text is one of the “no value” markers above (after trimming). */
gboolean      cs_value_is_missing     (const char           *text);

/* @text quoted for a reason: cut to 40 characters, on one line. */
char         *cs_value_quote          (const char           *text);

G_END_DECLS
