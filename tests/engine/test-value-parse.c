/* test-value-parse.c: numbers, times and durations as platforms export them.
 *
 * Every expected Unix time below was computed with GNU date beforehand, e.g.
 *   date -u -d "2020-05-31 23:54" +%s                    → 1590969240
 *   TZ=Asia/Shanghai date -d "2020-05-31 23:54" +%s      → 1590940440
 *   TZ=Europe/Berlin date -d "2020-07-01 12:00" +%s      → 1593597600
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#include "cs-value-parse.h"

static void
check_number (const char    *text,
              CsNumberFlags  flags,
              double         expected)
{
  g_autofree char *reason = NULL;
  double value = -12345;
  CsValueResult result = cs_value_parse_number (text, flags, &value, NULL, &reason);

  if (result != CS_VALUE_OK)
    g_error ("“%s” did not parse: %s", text, reason ? reason : "(missing)");
  g_assert_null (reason);
  if (G_APPROX_VALUE (value, expected, 1e-9 * MAX (1.0, fabs (expected))) == FALSE)
    g_error ("“%s” gave %.17g, expected %.17g", text, value, expected);
}

static void
check_invalid_number (const char    *text,
                      CsNumberFlags  flags,
                      const char    *reason_part)
{
  g_autofree char *reason = NULL;

  g_assert_cmpint (cs_value_parse_number (text, flags, NULL, NULL, &reason), ==,
                   CS_VALUE_INVALID);
  g_assert_nonnull (reason);
  if (strstr (reason, reason_part) == NULL)
    g_error ("reason for “%s” is “%s”, expected it to contain “%s”", text, reason, reason_part);
}

static void
test_numbers (void)
{
  CsNumberTraits traits = 0;
  double value = 0;

  check_number ("0", 0, 0);
  check_number ("42", 0, 42);
  check_number ("3.0", 0, 3);
  check_number ("3061.0", 0, 3061);
  check_number ("-2", 0, -2);
  check_number ("+7", 0, 7);
  check_number (".5", 0, 0.5);
  check_number ("1e5", 0, 100000);
  check_number ("1,234", 0, 1234);
  check_number ("1,234,567", 0, 1234567);
  check_number ("1 234", 0, 1234);
  check_number ("1\u00a0234", 0, 1234);     /* no-break space */
  check_number ("1'234.5", 0, 1234.5);
  check_number ("  12  ", 0, 12);
  check_number ("\u3000１２\u3000", 0, 12);  /* full-width digits and spaces */
  check_number ("12.5", 0, 12.5);
  check_number ("1.4万", 0, 14000);
  check_number ("1.4 万", 0, 14000);
  check_number ("2.3亿", 0, 230000000);
  g_assert_cmpint (cs_value_parse_number ("2.3亿", 0, &value, NULL, NULL), ==, CS_VALUE_OK);
  g_assert_cmpfloat (value, ==, 230000000);  /* exactly, not 229999999.99999997 */
  g_assert_cmpint (cs_value_parse_number ("1.4万", 0, &value, NULL, NULL), ==, CS_VALUE_OK);
  g_assert_cmpfloat (value, ==, 14000);
  check_number ("1.4w", 0, 14000);
  check_number ("1.4W", 0, 14000);
  check_number ("12K", 0, 12000);
  check_number ("12k", 0, 12000);
  check_number ("3千", 0, 3000);
  check_number ("1.4M", 0, 1400000);
  check_number ("2B", 0, 2000000000);
  check_number ("1.2百万", 0, 1200000);
  check_number ("10万+", 0, 100000);

  g_assert_cmpint (cs_value_parse_number ("12.5%", 0, &value, &traits, NULL), ==, CS_VALUE_OK);
  g_assert_cmpfloat (value, ==, 12.5);
  g_assert_true (traits & CS_NUMBER_PERCENT);
  g_assert_cmpint (cs_value_parse_number ("10万+", 0, &value, &traits, NULL), ==, CS_VALUE_OK);
  g_assert_true (traits & CS_NUMBER_AT_LEAST);
  g_assert_true (traits & CS_NUMBER_MULTIPLIED);
  g_assert_cmpint (cs_value_parse_number ("12", 0, &value, &traits, NULL), ==, CS_VALUE_OK);
  g_assert_cmpint (traits, ==, 0);

  /* Rates: a percentage, a fraction, or a bare percentage above 1. */
  check_number ("12.5%", CS_NUMBER_AS_RATE, 0.125);
  check_number ("12.5 %", CS_NUMBER_AS_RATE, 0.125);
  check_number ("0.125", CS_NUMBER_AS_RATE, 0.125);
  check_number ("1", CS_NUMBER_AS_RATE, 1.0);
  check_number ("35.2", CS_NUMBER_AS_RATE, 0.352);
  g_assert_cmpint (cs_value_parse_number ("35.2%", CS_NUMBER_AS_RATE, &value, NULL, NULL), ==, CS_VALUE_OK);
  g_assert_cmpfloat (value, ==, 0.352);  /* exactly the double nearest, not 35.2 / 100 */
  check_number ("100", CS_NUMBER_AS_RATE, 1.0);
  check_number ("０．５", CS_NUMBER_AS_RATE, 0.5);
  check_invalid_number ("135", CS_NUMBER_AS_RATE, "is not a rate");
  check_invalid_number ("1.4万", CS_NUMBER_AS_RATE, "is not a rate");

  /* Missing values. */
  const char *missing[] = { "", "  ", "-", "--", "—", "N/A", "n/a", "NA", "null", "None", "NaN" };
  for (guint i = 0; i < G_N_ELEMENTS (missing); i++)
    {
      g_autofree char *reason = NULL;

      g_assert_cmpint (cs_value_parse_number (missing[i], 0, &value, NULL, &reason), ==,
                       CS_VALUE_MISSING);
      g_assert_null (reason);
      g_assert_true (cs_value_is_missing (missing[i]));
    }
  g_assert_false (cs_value_is_missing ("0"));

  /* Not numbers, with the value quoted in the reason. */
  check_invalid_number ("12abc", 0, "“12abc” is not a number");
  check_invalid_number ("abc", 0, "is not a number");
  check_invalid_number ("1,23", 0, "is not a number");
  check_invalid_number ("12,3456", 0, "is not a number");
  check_invalid_number ("1.2.3", 0, "is not a number");
  check_invalid_number ("0x10", 0, "is not a number");
  check_invalid_number ("inf", 0, "is not a number");
  check_invalid_number ("12%%", 0, "is not a number");
  check_invalid_number ("万", 0, "is not a number");
  check_invalid_number ("1e999", 0, "too large");
  check_invalid_number ("1万%", 0, "is not a number");
  check_invalid_number ("1e3万", 0, "is not a number");
}

static void
check_time (const char *text,
            GTimeZone  *zone,
            int         default_year,
            gint64      expected)
{
  CsTimeContext context = { zone, default_year };
  g_autofree char *reason = NULL;
  gint64 seconds = 0;
  CsValueResult result = cs_value_parse_time (text, &context, &seconds, &reason);

  if (result != CS_VALUE_OK)
    g_error ("“%s” did not parse: %s", text, reason ? reason : "(missing)");
  if (seconds != expected)
    g_error ("“%s” gave %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT,
             text, seconds, expected);
}

static void
check_invalid_time (const char *text,
                    int         default_year,
                    const char *reason_part)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  CsTimeContext context = { utc, default_year };
  g_autofree char *reason = NULL;

  g_assert_cmpint (cs_value_parse_time (text, &context, NULL, &reason), ==, CS_VALUE_INVALID);
  g_assert_nonnull (reason);
  if (strstr (reason, reason_part) == NULL)
    g_error ("reason for “%s” is “%s”, expected it to contain “%s”", text, reason, reason_part);
}

static void
test_times (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) shanghai = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autofree char *reason = NULL;

  /* 2020-05-31 23:54 UTC = 1590969240; the same wall time in UTC+8 = 1590940440. */
  check_time ("2020-05-31T23:54:00Z", NULL, 0, 1590969240);
  check_time ("2020-05-31T23:54:00", utc, 0, 1590969240);
  check_time ("2020-05-31 23:54:00", shanghai, 0, 1590940440);
  check_time ("2020-05-31 23:54", shanghai, 0, 1590940440);
  check_time ("2020-05-31T15:54:00Z", shanghai, 0, 1590940440);
  check_time ("2020-05-31T23:54:00+08:00", utc, 0, 1590940440);
  check_time ("2020-05-31 23:54:00 +0800", utc, 0, 1590940440);
  check_time ("2020-05-31 23:54:00+08", utc, 0, 1590940440);
  check_time ("2020-05-31 23:54:00 UTC", shanghai, 0, 1590969240);
  check_time ("2020-05-31T23:54:07.250Z", NULL, 0, 1590969247);
  check_time ("2020/5/31 23:54", utc, 0, 1590969240);
  check_time ("2020/05/31 23:54", shanghai, 0, 1590940440);
  check_time ("2020.05.31 23:54", utc, 0, 1590969240);
  check_time ("2020年5月31日 23:54", shanghai, 0, 1590940440);
  check_time ("2020年5月31日23时54分", shanghai, 0, 1590940440);
  check_time ("２０２０年５月３１日 ２３:５４", shanghai, 0, 1590940440);
  /* Without a year: the context's. */
  check_time ("5月31日 23:54", shanghai, 2020, 1590940440);
  check_time ("05-31 23:54", shanghai, 2020, 1590940440);
  check_time ("5月31日", utc, 2020, 1590883200);
  /* As Weibo exports an edited post. */
  check_time ("5月31日 23:54            \t                 已编辑", shanghai, 2020, 1590940440);
  /* Date only: midnight in the context's zone (2020-05-31 = 1590883200 UTC). */
  check_time ("2020-05-31", utc, 0, 1590883200);
  check_time ("2020-05-31", shanghai, 0, 1590883200 - 8 * 3600);
  check_time ("2020-02-29", utc, 0, 1582934400);
  check_time ("2020年1月1日", shanghai, 0, 1577808000);
  /* Compact dates are dates, not Unix seconds. */
  check_time ("20200531", utc, 0, 1590883200);
  check_time ("20200531 2354", utc, 0, 1590969240);
  check_time ("202005312354", utc, 0, 1590969240);
  check_time ("20200531235407", utc, 0, 1590969247);
  check_time ("20200531T235400", shanghai, 0, 1590940440);
  /* Unix seconds and milliseconds. */
  check_time ("1590940440", shanghai, 0, 1590940440);
  check_time ("1590940440000", utc, 0, 1590940440);
  check_time ("1590940440.9", utc, 0, 1590940440);
  check_time ("946684799", utc, 0, 946684799);
  check_time ("0", utc, 0, 0);
  /* A zone with summer time: CEST (UTC+2) in July, CET (UTC+1) in January. */
  check_time ("2020-07-01 12:00", berlin, 0, 1593597600);
  check_time ("2020-01-01 12:00", berlin, 0, 1577876400);

  g_assert_cmpint (cs_value_parse_time ("", NULL, NULL, NULL), ==, CS_VALUE_MISSING);
  g_assert_cmpint (cs_value_parse_time ("--", NULL, NULL, NULL), ==, CS_VALUE_MISSING);

  check_invalid_time ("5月31日 23:54", 0, "has no year");
  check_invalid_time ("05-31 23:54", 0, "has no year");
  check_invalid_time ("昨天 23:54", 2020, "relative time");
  check_invalid_time ("3小时前", 2020, "relative time");
  check_invalid_time ("刚刚", 2020, "relative time");
  check_invalid_time ("2 hours ago", 2020, "relative time");
  check_invalid_time ("2021-02-29", 0, "not a valid date");
  check_invalid_time ("2月30日", 2020, "not a valid date");
  check_invalid_time ("2020-13-01", 0, "not a valid date");
  check_invalid_time ("2020-05-31 24:00", 0, "not a time");
  check_invalid_time ("2020-05-31 23:61", 0, "not a time");
  check_invalid_time ("12abc", 0, "“12abc” is not a time");
  check_invalid_time ("1e300", 0, "not a time");

  g_assert_cmpint (cs_value_parse_time ("nonsense", NULL, NULL, &reason), ==, CS_VALUE_INVALID);
  g_assert_nonnull (reason);
}

static void
check_duration (const char *text,
                double      expected)
{
  g_autofree char *reason = NULL;
  double seconds = -1;

  if (cs_value_parse_duration (text, &seconds, &reason) != CS_VALUE_OK)
    g_error ("“%s” did not parse: %s", text, reason ? reason : "(missing)");
  if (!G_APPROX_VALUE (seconds, expected, 1e-9))
    g_error ("“%s” gave %g s, expected %g s", text, seconds, expected);
}

static void
test_durations (void)
{
  g_autofree char *reason = NULL;

  check_duration ("83", 83);
  check_duration ("12.5", 12.5);
  check_duration ("12.5s", 12.5);
  check_duration ("12.5 秒", 12.5);
  check_duration ("1:23", 83);
  check_duration ("01:02:03", 3723);
  check_duration ("0:00:01.5", 1.5);
  check_duration ("1分23秒", 83);
  check_duration ("1小时2分3秒", 3723);
  check_duration ("1.5分钟", 90);
  check_duration ("2m3s", 123);
  check_duration ("1h 2min", 3720);
  check_duration ("250ms", 0.25);
  check_duration ("250毫秒", 0.25);
  check_duration ("１：２３", 83);

  g_assert_cmpint (cs_value_parse_duration ("", NULL, NULL), ==, CS_VALUE_MISSING);
  g_assert_cmpint (cs_value_parse_duration ("-5", NULL, &reason), ==, CS_VALUE_INVALID);
  g_assert_nonnull (strstr (reason, "negative"));
  g_clear_pointer (&reason, g_free);
  g_assert_cmpint (cs_value_parse_duration ("1:75", NULL, &reason), ==, CS_VALUE_INVALID);
  g_assert_nonnull (strstr (reason, "is not a duration"));
  g_clear_pointer (&reason, g_free);
  g_assert_cmpint (cs_value_parse_duration ("abc", NULL, &reason), ==, CS_VALUE_INVALID);
  g_clear_pointer (&reason, g_free);
  g_assert_cmpint (cs_value_parse_duration ("5 parsecs", NULL, &reason), ==, CS_VALUE_INVALID);
}

static void
test_quote (void)
{
  g_autofree char *short_text = cs_value_quote ("a\tb\nc");
  g_autofree char *long_text = cs_value_quote ("0123456789012345678901234567890123456789XYZ");

  g_assert_cmpstr (short_text, ==, "a b c");
  g_assert_cmpstr (long_text, ==, "0123456789012345678901234567890123456789…");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/value-parse/numbers", test_numbers);
  g_test_add_func ("/value-parse/times", test_times);
  g_test_add_func ("/value-parse/durations", test_durations);
  g_test_add_func ("/value-parse/quote", test_quote);

  return g_test_run ();
}
