/* cs-text-tokens.h: words and hashtags of a clip's text, in any language.
 *
 * Words come from ICU's word break iterator (UBRK_WORD, root locale), which
 * segments Chinese and Japanese with its dictionary and other scripts at
 * spaces and punctuation. Only segments ICU marks as words (letters, numbers,
 * kana, ideographs: rule status ≥ UBRK_WORD_NUMBER) are kept, lowercased;
 * spaces, punctuation and emoji are not words.
 *
 * Hashtags are tokens of their own and are not also split into words:
 *   - "#话题#" (Weibo/Douyin topic: '#', 1 to 64 characters without '#' or a
 *     line break, '#') gives the token "#话题#";
 *   - "#tag" ('#' followed by letters, digits or '_') gives "#tag";
 *   - each word of the clip's hashtags column (space-separated, without '#')
 *     gives "#word".
 * Whitespace inside a topic becomes '_', so no token contains a space and a
 * token list can be written space-separated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  GPtrArray *tokens;      /* char*, in text order: words and hashtags */
  guint      n_chars;     /* Unicode characters of the text (title + caption) */
  guint      n_emoji;     /* code points with Extended_Pictographic (ICU) */
  guint      n_hashtags;  /* hashtag tokens */
} CsTextTokens;

/* @text and @hashtags may be NULL or empty (then no tokens, counts 0).
 * Invalid UTF-8 is repaired (U+FFFD) first. */
G_GNUC_WARN_UNUSED_RESULT
CsTextTokens *cs_text_tokens_new  (const char   *text,
                                   const char   *hashtags);
void          cs_text_tokens_free (CsTextTokens *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsTextTokens, cs_text_tokens_free)

G_END_DECLS
