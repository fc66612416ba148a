/* cs-text-tokens.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>

#include "cs-text-tokens.h"

#define MAX_TOPIC_CHARS 64

void
cs_text_tokens_free (CsTextTokens *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->tokens);
  g_free (self);
}

static gboolean
is_tag_char (gunichar c)
{
  return c == '_' || g_unichar_isalnum (c) || g_unichar_ismark (c);
}

static void
add_hashtag (CsTextTokens *self,
             const char   *start,
             gsize         length,
             gboolean      closed)
{
  g_autofree char *inner = g_utf8_strdown (start, length);
  GString *token = g_string_new ("#");

  for (char *p = inner; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        g_string_append_c (token, '_');
      else
        g_string_append_unichar (token, c);
    }
  if (closed)
    g_string_append_c (token, '#');
  g_ptr_array_add (self->tokens, g_string_free (token, FALSE));
  self->n_hashtags++;
}

/* Finds "#topic#" at @p (which points at '#'); returns its end or NULL. */
static const char *
match_topic (const char *p)
{
  const char *q = p + 1;
  guint n = 0;

  while (*q && n <= MAX_TOPIC_CHARS)
    {
      gunichar c = g_utf8_get_char (q);

      if (c == '#')
        return n > 0 ? q + 1 : NULL;
      if (c == '\n' || c == '\r')
        return NULL;
      q = g_utf8_next_char (q);
      n++;
    }
  return NULL;
}

/* Words of @text (no hashtags left in it) through ICU. */
static void
add_words (CsTextTokens *self,
           const char   *text,
           gsize         length)
{
  UErrorCode status = U_ZERO_ERROR;
  UText *ut;
  UBreakIterator *bi;
  int32_t start, end;

  if (length == 0)
    return;
  ut = utext_openUTF8 (NULL, text, (int64_t) length, &status);
  bi = ubrk_open (UBRK_WORD, "", NULL, 0, &status);
  if (U_SUCCESS (status))
    ubrk_setUText (bi, ut, &status);
  if (U_FAILURE (status))
    {
      /* ICU without its data: fall back to whitespace, never lose the text. */
      g_auto(GStrv) words = g_strsplit_set (text, " \t\n\r", -1);

      for (guint i = 0; words[i]; i++)
        if (words[i][0])
          g_ptr_array_add (self->tokens, g_utf8_strdown (words[i], -1));
      if (bi)
        ubrk_close (bi);
      utext_close (ut);
      return;
    }

  /* With a UTF-8 UText, boundaries are byte offsets into @text. */
  start = ubrk_first (bi);
  for (end = ubrk_next (bi); end != UBRK_DONE; start = end, end = ubrk_next (bi))
    {
      if (ubrk_getRuleStatus (bi) < UBRK_WORD_NUMBER)
        continue;
      g_ptr_array_add (self->tokens, g_utf8_strdown (text + start, end - start));
    }
  ubrk_close (bi);
  utext_close (ut);
}

CsTextTokens *
cs_text_tokens_new (const char *text,
                    const char *hashtags)
{
  CsTextTokens *self = g_new0 (CsTextTokens, 1);
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);
  GString *rest = g_string_new (NULL);
  const char *p = valid;

  self->tokens = g_ptr_array_new_with_free_func (g_free);
  self->n_chars = (guint) g_utf8_strlen (valid, -1);

  /* Hashtags out first, in text order, with words between them segmented as
   * one piece so that ICU sees whole sentences. */
  while (*p)
    {
      gunichar c = g_utf8_get_char (p);

      if (u_hasBinaryProperty ((UChar32) c, UCHAR_EXTENDED_PICTOGRAPHIC))
        self->n_emoji++;

      if (c == '#' || c == 0xFF03 /* fullwidth # */)
        {
          const char *after = g_utf8_next_char (p);
          const char *end = c == '#' ? match_topic (p) : NULL;

          if (end != NULL)
            {
              add_words (self, rest->str, rest->len);
              g_string_truncate (rest, 0);
              add_hashtag (self, after, (gsize) (end - 1 - after), TRUE);
              p = end;
              continue;
            }
          if (*after && is_tag_char (g_utf8_get_char (after)))
            {
              const char *q = after;

              while (*q && is_tag_char (g_utf8_get_char (q)))
                q = g_utf8_next_char (q);
              add_words (self, rest->str, rest->len);
              g_string_truncate (rest, 0);
              add_hashtag (self, after, (gsize) (q - after), FALSE);
              p = q;
              continue;
            }
        }
      g_string_append_len (rest, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }
  add_words (self, rest->str, rest->len);
  g_string_free (rest, TRUE);

  if (hashtags != NULL)
    {
      g_autofree char *valid_tags = g_utf8_make_valid (hashtags, -1);
      g_auto(GStrv) tags = g_strsplit_set (valid_tags, " \t\n\r,", -1);

      for (guint i = 0; tags[i]; i++)
        {
          const char *tag = tags[i];

          while (*tag == '#')
            tag++;
          if (*tag)
            add_hashtag (self, tag, strlen (tag), FALSE);
        }
    }
  return self;
}
