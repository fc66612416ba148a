/* cs-value-parse.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "cs-value-parse.h"

/* Values quoted in a reason. */
#define QUOTE_MAX_CHARS 40
/* Above this, a number read as a time is in milliseconds (1e11 s is the year
 * 5138; 1e11 ms is March 1973). */
#define MS_THRESHOLD 1e11
/* 0001-01-01 and 9999-12-31T23:59:59, in Unix seconds. */
#define MIN_TIME (-62135596800.0)
#define MAX_TIME 253402300799.0
/* Compact dates ("20200531") are read as dates only within these years. */
#define COMPACT_MIN_YEAR 1900
#define COMPACT_MAX_YEAR 2100
#define EDITED_MARK "已编辑"

static const char * const missing_markers[] = {
  "", "-", "--", "—", "——", "n/a", "na", "null", "none", "nan",
};

/* Text */

static gboolean
is_ascii_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* A copy of @text trimmed, with full-width forms and odd spaces in ASCII
 * (NFKC does both: "１２％" → "12%", U+3000 and U+00A0 → ' '). CJK
 * characters are left as they are. */
static char *
normalise_text (const char *text)
{
  gboolean ascii = TRUE;
  char *copy;

  for (const char *p = text; *p != '\0' && ascii; p++)
    ascii = ((guchar) *p) < 0x80;

  if (ascii || !g_utf8_validate (text, -1, NULL))
    copy = g_strdup (text);
  else
    copy = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);

  /* NFKC leaves these spaces as they are. */
  for (char *p = copy; *p != '\0'; p++)
    if (is_ascii_space (*p))
      *p = ' ';
  return g_strstrip (copy);
}

gboolean
cs_value_is_missing (const char *text)
{
  g_autofree char *norm = NULL;

  g_return_val_if_fail (text != NULL, FALSE);

  norm = normalise_text (text);
  for (guint i = 0; i < G_N_ELEMENTS (missing_markers); i++)
    if (g_ascii_strcasecmp (norm, missing_markers[i]) == 0)
      return TRUE;
  return FALSE;
}

char *
cs_value_quote (const char *text)
{
  g_autoptr(GString) quoted = g_string_new (NULL);
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  guint n = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p), n++)
    {
      if (n == QUOTE_MAX_CHARS)
        {
          g_string_append (quoted, "…");
          break;
        }
      if (*p == '\n' || *p == '\r' || *p == '\t')
        g_string_append_c (quoted, ' ');
      else
        g_string_append_len (quoted, p, g_utf8_next_char (p) - p);
    }
  return g_string_free (g_steal_pointer (&quoted), FALSE);
}

/* Returns CS_VALUE_INVALID from the caller with @reason set from @format (a
 * literal with one %s, the quoted value); a macro so the format is checked. */
#define RETURN_INVALID(reason, format, text) \
  G_STMT_START { \
    if ((reason) != NULL) \
      { \
        g_autofree char *quoted_ = cs_value_quote (text); \
        *(reason) = g_strdup_printf (format, quoted_); \
      } \
    return CS_VALUE_INVALID; \
  } G_STMT_END

static void
skip_spaces (const char **p)
{
  while (**p == ' ')
    (*p)++;
}

/* Reads between @min and @max digits. */
static gboolean
read_digits (const char **p,
             guint        min,
             guint        max,
             int         *out)
{
  guint n = 0;
  int value = 0;

  while (n < max && g_ascii_isdigit ((*p)[n]))
    {
      value = value * 10 + ((*p)[n] - '0');
      n++;
    }
  if (n < min)
    return FALSE;
  *p += n;
  *out = value;
  return TRUE;
}

static gboolean
eat (const char **p,
     const char  *word)
{
  gsize len = strlen (word);

  if (strncmp (*p, word, len) != 0)
    return FALSE;
  *p += len;
  return TRUE;
}

/* Numbers */

/* Powers of ten, so that "2.3亿" is read as "2.3e8": exactly 230000000,
 * where 2.3 × 1e8 would be 229999999.99999997. */
static const struct
{
  const char *suffix;
  int         exponent;
} multipliers[] = {
  /* Longer first: "百万" before a lone character. */
  { "百万", 6 },
  { "万", 4 },
  { "亿", 8 },
  { "千", 3 },
  { "w", 4 },
  { "W", 4 },
  { "k", 3 },
  { "K", 3 },
  { "m", 6 },
  { "M", 6 },
  { "b", 9 },
  { "B", 9 },
};

/* The number at the start of @norm: sign, digits (optionally grouped by
 * three), fraction, exponent, copied without separators into @plain. */
static const char *
read_decimal (const char *p,
              GString    *plain)
{
  gboolean digits = FALSE;
  guint first_group = 0;

  if (*p == '+' || *p == '-')
    g_string_append_c (plain, *p++);
  while (g_ascii_isdigit (*p))
    {
      g_string_append_c (plain, *p++);
      first_group++;
      digits = TRUE;
    }
  /* Thousands separators: only between groups of exactly three digits. */
  if (first_group >= 1 && first_group <= 3)
    while ((p[0] == ',' || p[0] == ' ' || p[0] == '\'') &&
           g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2]) && g_ascii_isdigit (p[3]) &&
           !g_ascii_isdigit (p[4]))
      {
        g_string_append_len (plain, p + 1, 3);
        p += 4;
      }
  if (*p == '.' && (digits || g_ascii_isdigit (p[1])))
    {
      g_string_append_c (plain, *p++);
      while (g_ascii_isdigit (*p))
        {
          g_string_append_c (plain, *p++);
          digits = TRUE;
        }
    }
  if (!digits)
    return NULL;
  if ((*p == 'e' || *p == 'E') &&
      (g_ascii_isdigit (p[1]) || ((p[1] == '+' || p[1] == '-') && g_ascii_isdigit (p[2]))))
    {
      g_string_append_c (plain, *p++);
      if (*p == '+' || *p == '-')
        g_string_append_c (plain, *p++);
      while (g_ascii_isdigit (*p))
        g_string_append_c (plain, *p++);
    }
  return p;
}

CsValueResult
cs_value_parse_number (const char      *text,
                       CsNumberFlags    flags,
                       double          *value,
                       CsNumberTraits  *traits,
                       char           **reason)
{
  g_autofree char *norm = NULL;
  g_autoptr(GString) plain = g_string_new (NULL);
  CsNumberTraits found = 0;
  char *end = NULL;
  double number;
  int exponent = 0;
  const char *p;

  g_return_val_if_fail (text != NULL, CS_VALUE_INVALID);

  if (cs_value_is_missing (text))
    return CS_VALUE_MISSING;

  norm = normalise_text (text);
  p = read_decimal (norm, plain);
  if (p == NULL)
    RETURN_INVALID (reason, _("“%s” is not a number"), text);

  skip_spaces (&p);
  for (guint i = 0; i < G_N_ELEMENTS (multipliers); i++)
    if (eat (&p, multipliers[i].suffix))
      {
        exponent = multipliers[i].exponent;
        found |= CS_NUMBER_MULTIPLIED;
        break;
      }
  skip_spaces (&p);
  if (*p == '+' && (found & CS_NUMBER_MULTIPLIED) != 0)
    {
      p++;
      found |= CS_NUMBER_AT_LEAST;
    }
  else if (*p == '%' && (found & CS_NUMBER_MULTIPLIED) == 0)
    {
      p++;
      found |= CS_NUMBER_PERCENT;
    }
  skip_spaces (&p);
  if (*p != '\0')
    RETURN_INVALID (reason, _("“%s” is not a number"), text);

  if (exponent != 0 && strpbrk (plain->str, "eE") != NULL)
    RETURN_INVALID (reason, _("“%s” is not a number"), text);  /* "1e3万" */
  number = g_ascii_strtod (plain->str, &end);
  if (*end != '\0')
    RETURN_INVALID (reason, _("“%s” is not a number"), text);

  if (flags & CS_NUMBER_AS_RATE)
    {
      if ((found & CS_NUMBER_MULTIPLIED) || (!(found & CS_NUMBER_PERCENT) && number > 100.0))
        RETURN_INVALID (reason,
                        _("“%s” is not a rate: write a fraction (0.352) or a percentage (35.2%%)"),
                        text);
      if ((found & CS_NUMBER_PERCENT) || number > 1.0)
        exponent = -2;
    }

  /* Scaled in the text, so that "35.2%" is the double nearest 0.352, not
   * 35.2 / 100 = 0.35200000000000004. */
  if (exponent != 0)
    {
      if (strpbrk (plain->str, "eE") == NULL)
        {
          g_string_append_printf (plain, "e%d", exponent);
          number = g_ascii_strtod (plain->str, NULL);
        }
      else
        number *= pow (10, exponent);
    }
  if (!isfinite (number))
    RETURN_INVALID (reason, _("“%s” is too large a number"), text);

  if (value != NULL)
    *value = number;
  if (traits != NULL)
    *traits = found;
  return CS_VALUE_OK;
}

/* Times */

static gboolean
is_leap_year (int year)
{
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int
days_in_month (int year,
               int month)
{
  static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  return month == 2 && is_leap_year (year) ? 29 : days[month - 1];
}

/* Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard
 * Hinnant's days_from_civil algorithm). */
static gint64
days_from_civil (gint64 y,
                 int    m,
                 int    d)
{
  gint64 era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

typedef struct
{
  int      year, month, day, hour, minute, second;
  gboolean has_zone;
  int      offset;  /* seconds east of UTC, when has_zone */
} Stamp;

static gboolean
valid_date (const Stamp *s)
{
  return s->year >= 1 && s->year <= 9999 && s->month >= 1 && s->month <= 12 &&
         s->day >= 1 && s->day <= days_in_month (s->year, s->month);
}

/* [T| ]H:MM[:SS[.fff]] or H时M分[S秒], then a zone; @p at the end of the date. */
static gboolean
read_time_of_day (const char **pp,
                  Stamp       *s)
{
  const char *p = *pp;

  if (*p == 'T' || *p == 't')
    p++;
  skip_spaces (&p);
  if (g_ascii_isdigit (*p))
    {
      if (!read_digits (&p, 1, 2, &s->hour))
        return FALSE;
      if (*p == ':')
        {
          p++;
          if (!read_digits (&p, 2, 2, &s->minute))
            return FALSE;
          if (*p == ':')
            {
              p++;
              if (!read_digits (&p, 2, 2, &s->second))
                return FALSE;
              if (*p == '.' || *p == ',')
                {
                  /* Fractions of a second are dropped: times are whole seconds. */
                  p++;
                  if (!g_ascii_isdigit (*p))
                    return FALSE;
                  while (g_ascii_isdigit (*p))
                    p++;
                }
            }
        }
      else if (eat (&p, "时") || eat (&p, "点"))
        {
          if (read_digits (&p, 1, 2, &s->minute))
            {
              if (!eat (&p, "分"))
                return FALSE;
              if (read_digits (&p, 1, 2, &s->second) && !eat (&p, "秒"))
                return FALSE;
            }
        }
      else
        return FALSE;
      if (s->hour > 23 || s->minute > 59 || s->second > 60)
        return FALSE;
    }

  skip_spaces (&p);
  if (*p == 'Z' || *p == 'z')
    {
      p++;
      s->has_zone = TRUE;
    }
  else if (g_ascii_strncasecmp (p, "UTC", 3) == 0 || g_ascii_strncasecmp (p, "GMT", 3) == 0)
    {
      p += 3;
      s->has_zone = TRUE;
    }
  if ((*p == '+' || *p == '-') && g_ascii_isdigit (p[1]))
    {
      int sign = *p == '-' ? -1 : 1;
      int oh, om = 0;

      p++;
      if (!read_digits (&p, 1, 2, &oh))
        return FALSE;
      if (*p == ':')
        p++;
      if (g_ascii_isdigit (*p) && !read_digits (&p, 2, 2, &om))
        return FALSE;
      if (oh > 18 || om > 59)
        return FALSE;
      s->offset = sign * (oh * 3600 + om * 60);
      s->has_zone = TRUE;
    }
  skip_spaces (&p);
  *pp = p;
  return *p == '\0';
}

/* "20200531", "202005312354", "20200531235400", and those with a space or
 * 'T' between the date and "2354"/"235400". */
static gboolean
parse_compact (const char *text,
               Stamp      *s)
{
  const char *p = text;
  guint n = 0;

  if (!read_digits (&p, 4, 4, &s->year) || !read_digits (&p, 2, 2, &s->month) ||
      !read_digits (&p, 2, 2, &s->day))
    return FALSE;
  if (*p == ' ' || *p == 'T')
    p++;
  while (g_ascii_isdigit (p[n]))
    n++;
  if (n == 4 || n == 6)
    {
      read_digits (&p, 2, 2, &s->hour);
      read_digits (&p, 2, 2, &s->minute);
      if (n == 6)
        read_digits (&p, 2, 2, &s->second);
    }
  else if (n != 0)
    return FALSE;
  return *p == '\0' && s->year >= COMPACT_MIN_YEAR && s->year <= COMPACT_MAX_YEAR &&
         valid_date (s) && s->hour <= 23 && s->minute <= 59 && s->second <= 60;
}

/* Y-M-D, Y/M/D, Y.M.D, Y年M月D日; or M月D日 and MM-DD without the year
 * (@year_missing set). */
static gboolean
parse_layout (const char *text,
              Stamp      *s,
              gboolean   *year_missing)
{
  const char *p = text;
  int first;

  *year_missing = FALSE;
  if (!read_digits (&p, 1, 4, &first))
    return FALSE;

  if (p - text == 4)
    {
      char sep = *p;

      s->year = first;
      if (eat (&p, "年"))
        {
          skip_spaces (&p);
          if (!read_digits (&p, 1, 2, &s->month) || !eat (&p, "月"))
            return FALSE;
          skip_spaces (&p);
          if (!read_digits (&p, 1, 2, &s->day))
            return FALSE;
          if (!eat (&p, "日"))
            eat (&p, "号");
        }
      else if (sep == '-' || sep == '/' || sep == '.')
        {
          p++;
          if (!read_digits (&p, 1, 2, &s->month) || *p != sep)
            return FALSE;
          p++;
          if (!read_digits (&p, 1, 2, &s->day))
            return FALSE;
        }
      else
        return FALSE;
    }
  else if (p - text <= 2)
    {
      s->month = first;
      if (eat (&p, "月"))
        {
          skip_spaces (&p);
          if (!read_digits (&p, 1, 2, &s->day))
            return FALSE;
          if (!eat (&p, "日"))
            eat (&p, "号");
        }
      else if (*p == '-')
        {
          p++;
          if (!read_digits (&p, 1, 2, &s->day))
            return FALSE;
        }
      else
        return FALSE;
      *year_missing = TRUE;
    }
  else
    return FALSE;

  return read_time_of_day (&p, s);
}

static gboolean
is_relative (const char *norm)
{
  static const char * const words[] = {
    "前", "昨天", "今天", "前天", "刚刚", "明天", "ago", "yesterday", "today", "now",
  };
  g_autofree char *folded = g_ascii_strdown (norm, -1);

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (strstr (folded, words[i]) != NULL)
      return TRUE;
  return FALSE;
}

static gboolean
all_digits (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (; *text != '\0'; text++)
    if (!g_ascii_isdigit (*text))
      return FALSE;
  return TRUE;
}

/* The stamp in Unix seconds: its own zone, else the context's. */
static gboolean
stamp_to_unix (const Stamp         *s,
               const CsTimeContext *context,
               gint64              *out)
{
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(GDateTime) dt = NULL;
  GTimeZone *zone;

  if (s->has_zone)
    {
      *out = days_from_civil (s->year, s->month, s->day) * 86400
             + s->hour * 3600 + s->minute * 60 + s->second - s->offset;
      return TRUE;
    }

  zone = context != NULL ? context->zone : NULL;
  if (zone == NULL)
    zone = local = g_time_zone_new_local ();
  /* Second 60 (a leap second) is added after, as the next minute's 0. */
  dt = g_date_time_new (zone, s->year, s->month, s->day, s->hour, s->minute, 0);
  if (dt == NULL)
    return FALSE;
  *out = g_date_time_to_unix (dt) + s->second;
  return TRUE;
}

CsValueResult
cs_value_parse_time (const char           *text,
                     const CsTimeContext  *context,
                     gint64               *unix_seconds,
                     char                **reason)
{
  g_autofree char *norm = NULL;
  Stamp s = { 0, };
  gboolean year_missing = FALSE;
  gint64 result;

  g_return_val_if_fail (text != NULL, CS_VALUE_INVALID);

  if (cs_value_is_missing (text))
    return CS_VALUE_MISSING;
  norm = normalise_text (text);
  /* Weibo marks edited posts after the time: "5月30日 05:06  已编辑". */
  if (g_str_has_suffix (norm, EDITED_MARK))
    {
      norm[strlen (norm) - strlen (EDITED_MARK)] = '\0';
      g_strchomp (norm);
    }

  if (parse_compact (norm, &s))
    ;
  else if (!all_digits (norm) && norm[0] != '-' && norm[0] != '+' &&
           (memset (&s, 0, sizeof s), parse_layout (norm, &s, &year_missing)))
    {
      if (year_missing)
        {
          if (context == NULL || context->default_year <= 0)
            RETURN_INVALID (reason,
                            _("“%s” has no year: say which year the file’s times are in"),
                            text);
          s.year = context->default_year;
        }
      if (!valid_date (&s))
        RETURN_INVALID (reason, _("“%s” is not a valid date"), text);
    }
  else
    {
      g_autoptr(GString) plain = g_string_new (NULL);
      const char *end = read_decimal (norm, plain);
      double value;

      if (end == NULL || *end != '\0' || plain->len != strlen (norm))
        {
          if (is_relative (norm))
            RETURN_INVALID (reason,
                            _("“%s” is a relative time, which depends on the day the file "
                              "was exported; export the table with full dates"),
                            text);
          RETURN_INVALID (reason,
                          _("“%s” is not a time (for example 2020-05-31 23:54)"), text);
        }
      value = g_ascii_strtod (plain->str, NULL);
      if (fabs (value) > MS_THRESHOLD)
        value /= 1000.0;
      if (!(value >= MIN_TIME && value <= MAX_TIME))
        RETURN_INVALID (reason, _("“%s” is not a time (for example 2020-05-31 23:54)"), text);
      if (unix_seconds != NULL)
        *unix_seconds = (gint64) floor (value);
      return CS_VALUE_OK;
    }

  if (!stamp_to_unix (&s, context, &result))
    RETURN_INVALID (reason, _("“%s” is not a valid date"), text);
  if (unix_seconds != NULL)
    *unix_seconds = result;
  return CS_VALUE_OK;
}

/* Durations */

static const struct
{
  const char *unit;
  double      seconds;
} duration_units[] = {
  /* Longer first, so that "min" is not read as "m" + "in". */
  { "小时", 3600 },
  { "分钟", 60 },
  { "毫秒", 0.001 },
  { "hours", 3600 },
  { "hour", 3600 },
  { "hrs", 3600 },
  { "hr", 3600 },
  { "mins", 60 },
  { "min", 60 },
  { "secs", 1 },
  { "sec", 1 },
  { "ms", 0.001 },
  { "h", 3600 },
  { "m", 60 },
  { "s", 1 },
  { "时", 3600 },
  { "分", 60 },
  { "秒", 1 },
};

/* "1分23秒", "2m3s", "1h 2min", "12.5s". */
static gboolean
parse_units (const char *p,
             double     *out)
{
  double total = 0;
  guint groups = 0;

  while (*p != '\0')
    {
      g_autoptr(GString) plain = g_string_new (NULL);
      gboolean matched = FALSE;

      if (*p == '-' || *p == '+')
        return FALSE;
      p = read_decimal (p, plain);
      if (p == NULL)
        return FALSE;
      skip_spaces (&p);
      for (guint i = 0; i < G_N_ELEMENTS (duration_units); i++)
        if (g_ascii_strncasecmp (p, duration_units[i].unit, strlen (duration_units[i].unit)) == 0)
          {
            total += g_ascii_strtod (plain->str, NULL) * duration_units[i].seconds;
            p += strlen (duration_units[i].unit);
            matched = TRUE;
            break;
          }
      if (!matched)
        return FALSE;
      skip_spaces (&p);
      groups++;
    }
  *out = total;
  return groups > 0 && isfinite (total);
}

/* "1:23", "01:02:03" (the last part may have a fraction). */
static gboolean
parse_clock (const char *text,
             double     *out)
{
  g_auto(GStrv) parts = g_strsplit (text, ":", -1);
  guint n = g_strv_length (parts);
  double total = 0;

  if (n < 2 || n > 3)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      const char *p = parts[i];
      double part;
      char *end = NULL;

      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p) || (i == n - 1 && *p == '.'))
        p++;
      if (*p != '\0')
        return FALSE;
      part = g_ascii_strtod (parts[i], &end);
      if (*end != '\0' || (i > 0 && part >= 60))
        return FALSE;
      total = total * 60 + part;
    }
  *out = total;
  return isfinite (total);
}

CsValueResult
cs_value_parse_duration (const char  *text,
                         double      *seconds,
                         char       **reason)
{
  g_autofree char *norm = NULL;
  g_autoptr(GString) plain = g_string_new (NULL);
  const char *end;
  double value;

  g_return_val_if_fail (text != NULL, CS_VALUE_INVALID);

  if (cs_value_is_missing (text))
    return CS_VALUE_MISSING;
  norm = normalise_text (text);

  end = read_decimal (norm, plain);
  if (end != NULL && *end == '\0' && plain->len == strlen (norm))
    {
      value = g_ascii_strtod (plain->str, NULL);
      if (value < 0)
        RETURN_INVALID (reason, _("“%s” is a negative duration"), text);
      if (!isfinite (value))
        RETURN_INVALID (reason, _("“%s” is too large a number"), text);
    }
  else if (!parse_clock (norm, &value) && !parse_units (norm, &value))
    {
      if (norm[0] == '-')
        RETURN_INVALID (reason, _("“%s” is a negative duration"), text);
      RETURN_INVALID (reason,
                      _("“%s” is not a duration (seconds, M:SS, H:MM:SS or 1分23秒)"), text);
    }

  if (seconds != NULL)
    *seconds = value;
  return CS_VALUE_OK;
}
