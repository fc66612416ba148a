/* cs-column-guess.h: which column of a table holds which field.
 *
 * Two kinds of table (DESIGN §1): event logs (one row per viewer action) and
 * clip stats (one row per clip, or per clip and day). A guess looks at the
 * header first and, for the fields the header says nothing about, at the
 * values of the first rows. The user corrects it in the mapping step; the
 * corrected mapping is saved per header and offered next time.
 *
 * Header names are compared normalised: trimmed, a RecBole type dropped
 * (`user_id:token` → `user_id`), NFKC (full-width → ASCII), case folded,
 * text in brackets dropped ("播放量(次)", "完播率（%）"), spaces, hyphens and
 * dots turned into '_'. Then, per field, in this order:
 *   1. a synonym equal to the whole name                 (confidence 0.95)
 *   2. a synonym equal to the last '_' part of the name,
 *      or, for Chinese synonyms, contained in the name   (confidence 0.7)
 *      ("weibo_content" → caption, "总播放量" → views)
 *   3. the values of the sample rows                     (confidence 0.2–0.6)
 * The first synonym in the table's order that names an unused column wins;
 * a column is never given to two fields.
 *
 * Synonyms (normalised; the first ones are preferred):
 *
 * Event logs
 *   viewer      user_id userid uid user viewer viewer_id visitor_id 用户 用户id 观众 粉丝id
 *   clip        item_id itemid video_id clip clip_id item video photo_id aweme_id
 *               作品id 视频id 作品 视频
 *   time        timestamp time datetime date event_time 时间 观看时间 日期
 *   event       event action type behavior behaviour event_type 行为 事件 类型
 *   watch_time  watch_time play_time watch_seconds play_duration watch_duration
 *               观看时长 播放时长
 *   value       rating score value 评分 分数
 *   text        comment text content 评论内容 评论 内容
 *
 * Clip stats
 *   clip             clip_id video_id item_id aweme_id photo_id id clip video item
 *                    作品id 视频id url link 链接 (last part: id, url)
 *   title            title name video_title 标题 作品名称 作品标题 视频标题 名称
 *   caption          caption content text description desc 文案 内容 描述 作品描述
 *                    正文 简介
 *   hashtags         hashtags hashtag tags tag topic topics 话题 标签
 *   post_time        post_time pub_time publish_time posted_at created_at
 *                    create_time upload_time time 发布时间 发表时间 上传时间 发布日期
 *   day              day date stat_date 日期 统计日期
 *   views            views view plays play play_count view_count 播放量 播放数
 *                    播放次数 观看次数 浏览量 阅读量
 *   likes            likes like digg_count like_count 点赞 点赞数 点赞量 赞
 *   comments         comments comment comment_count reply replies 评论 评论数
 *                    评论量 回复
 *   shares           shares share forward forwards repost reposts share_count
 *                    分享 分享数 转发 转发数 转发量
 *   saves            saves save favorite favourite collect collects
 *                    收藏 收藏数 收藏量
 *   avg_watch_time   avg_watch_time average_watch_time avg_play_time 平均播放时长
 *                    平均观看时长 人均观看时长
 *   completion_rate  completion_rate finish_rate completion 完播率 完播
 *   followers        followers followers_gained new_followers follows 涨粉
 *                    新增粉丝 涨粉数 粉丝增量
 *   duration         duration length video_duration 时长 视频时长 作品时长
 *
 * Values (when the header did not place a field): a column of times that
 * parse → time / post_time; of percentages → completion_rate; of "#tag"
 * text → hashtags; of long text (20+ characters on average) → caption, or
 * title when the file has a caption; of short distinct tokens without spaces
 * → viewer then clip (events; plain numbers too) or clip (stats: distinct and
 * not plain numbers, which are more likely counts); of durations that are not
 * plain numbers ("1:23", "12.5s") → watch_time (events). Of the columns of
 * counts (numbers >= 0, not row numbers 0, 1, 2 …) the one with the largest
 * mean is offered as views with a weak confidence (0.2, below
 * CS_COLUMN_GUESS_APPLY): the mapping step shows it, an import without a
 * mapping step does not use it (nothing tells views from coins).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cs-store.h"

G_BEGIN_DECLS

typedef enum
{
  CS_TABLE_EVENTS,
  CS_TABLE_STATS,
} CsTableKind;

/* Stats fields (event fields are the CS_EVENT_FIELD_* of cs-event-import.h). */
#define CS_STATS_FIELD_CLIP        "clip"
#define CS_STATS_FIELD_TITLE       "title"
#define CS_STATS_FIELD_CAPTION     "caption"
#define CS_STATS_FIELD_HASHTAGS    "hashtags"
#define CS_STATS_FIELD_POST_TIME   "post_time"
#define CS_STATS_FIELD_DAY         "day"
#define CS_STATS_FIELD_VIEWS       "views"
#define CS_STATS_FIELD_LIKES       "likes"
#define CS_STATS_FIELD_COMMENTS    "comments"
#define CS_STATS_FIELD_SHARES      "shares"
#define CS_STATS_FIELD_SAVES       "saves"
#define CS_STATS_FIELD_AVG_WATCH   "avg_watch_time"
#define CS_STATS_FIELD_COMPLETION  "completion_rate"
#define CS_STATS_FIELD_FOLLOWERS   "followers"
#define CS_STATS_FIELD_DURATION    "duration"

/* Guesses at least this confident are used by an import without a mapping
 * step; weaker ones are only offered. */
#define CS_COLUMN_GUESS_APPLY 0.25

typedef struct
{
  const char *field;       /* static */
  int         column;      /* index in the header, -1 when none was found */
  double      confidence;  /* 0..1; 0 when column is -1 */
  char       *reason;      /* translated: "header “播放量” means views" */
} CsColumnGuess;

void                cs_column_guess_free        (CsColumnGuess *guess);

/* "events" or "stats": the kind as stored in imports and column_mappings. */
const char         *cs_table_kind_to_string     (CsTableKind kind);

/* The fields of @kind in order, NULL-terminated. */
const char * const *cs_table_kind_get_fields    (CsTableKind kind);

/* The header name normalised as described above ("播放量（次）" → "播放量"). */
char               *cs_column_normalise_header  (const char *name);

/* One CsColumnGuess per field of @kind, in field order.
 * @rows: (nullable): @n_rows sample rows (each NULL-terminated; rows shorter
 * than the header are fine). */
GPtrArray          *cs_column_guess             (CsTableKind          kind,
                                                 const char * const  *header,
                                                 const char * const * const *rows,
                                                 guint                n_rows);

/* field → column name (both char*) for the guesses that found a column. */
GHashTable         *cs_column_guesses_to_mapping (GPtrArray          *guesses,
                                                  const char * const *header);

/* The header as stored in column_mappings.signature: each name trimmed and
 * case folded, joined by tabs (the signature cs-event-import uses too). */
char               *cs_column_signature         (const char * const *header);

/* Saves @mapping (field → column name) for files with this header; replaces
 * the mapping saved before for it. */
gboolean            cs_column_mapping_save      (CsStore            *store,
                                                 CsTableKind         kind,
                                                 const char * const *header,
                                                 GHashTable         *mapping,
                                                 GError            **error);

/* The mapping saved for this header, or NULL (no error) when there is none.
 * Columns the header no longer has are left out; the names are the
 * header's own spelling (a saved "Likes" finds "LIKES"). */
GHashTable         *cs_column_mapping_load      (CsStore            *store,
                                                 CsTableKind         kind,
                                                 const char * const *header,
                                                 GError            **error);

G_END_DECLS
