/* cs-demo.c: the simulated demo project, and the generator of large
 * benchmark logs.
 *
 * docs/DEMO.md documents the model and every constant below; change them
 * together. The generator is deterministic: the same options give the same
 * clips, viewers and byte-identical events, because every random number comes
 * from a xoshiro256** stream seeded from (seed, what, index) and the
 * simulation visits clips and viewers in a fixed order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <gst/gst.h>
#include <math.h>
#include <string.h>

#include "cs-clip-store.h"
#include "cs-demo.h"
#include "cs-error.h"
#include "cs-store.h"

/* ---------------------------------------------------------------------- */
/* Model constants (docs/DEMO.md, "Parameters")                           */

#define DEMO_MODEL_VERSION   1
#define DEMO_START           G_GINT64_CONSTANT (1788220800)  /* 2026-09-01 00:00 UTC */
#define DAY_S                86400
#define SLOT_S               600                             /* viewers' usual time, 10-min slots */
#define N_SLOTS              (DAY_S / SLOT_S)
#define MAX_SESSIONS         15                              /* sessions within the horizon */
#define HORIZON_S            (14 * DAY_S)                    /* a clip is shown for 14 days */
#define PUSH_TAU_H           6.0                             /* the feed pushes a new clip hard for hours */
#define TAIL_WEIGHT          0.1                             /* ...then a little for days */
#define TAIL_TAU_H           72.0
#define WEEKEND_FACTOR       1.3
#define EXPOSURE_BASE        0.3
#define TASTE_EXPOSURE       0.35                            /* the feed favours a viewer's tastes */
#define QUALITY_REACH        0.5
#define FOLLOW_BOOST         1.8
#define FOLLOW_AT_START_P    0.12
#define FRESH_WATCH          1.5
#define VERTICAL_WATCH       0.5
#define NOISE_SD             0.6
#define RATIO_SLOPE          0.5
#define RATIO_OFFSET         1.75
#define RATIO_MAX            3.0
#define MIN_WATCH_MS         200
#define LIKE_OFFSET          6.4
#define COMMENT_OFFSET       8.9
#define SHARE_OFFSET         9.2
#define FOLLOW_OFFSET        8.2
#define MAX_VIEWS_PER_PAIR   20

#define VIDEO_FPS            25
#define FRAME_MS             (1000 / VIDEO_FPS)
#define AUDIO_RATE           22050

enum
{
  CAT_BAKERY,
  CAT_TEA,
  CAT_FASHION,
  CAT_STUDIO,
  N_CATEGORIES
};

static const char * const category_names[N_CATEGORIES] = {
  "bakery", "tea", "fashion", "studio",
};

/* Mean taste of the whole audience per category. */
static const double category_taste_mean[N_CATEGORIES] = { 0.2, 0.4, 0.0, -0.3 };

enum
{
  PROFILE_MORNING,
  PROFILE_LUNCH,
  PROFILE_EVENING,
  PROFILE_NIGHT,
  N_PROFILES
};

static const struct
{
  const char *name;
  double      share;
  double      center_h;                 /* UTC hour */
  double      taste_shift[N_CATEGORIES];
} profiles[N_PROFILES] = {
  { "morning", 0.10,  8.0, { 0.4, 0.0, 0.0, 0.0 } },
  { "lunch",   0.25, 12.5, { 0.6, 0.0, 0.0, 0.0 } },
  { "evening", 0.55, 20.0, { 0.0, 0.6, 0.0, 0.0 } },
  { "night",   0.10, 23.5, { 0.0, 0.0, 0.5, 0.0 } },
};

/* Hue ranges per category, in degrees; fashion uses every colour. */
static const double category_hue[N_CATEGORIES][2] = {
  { 20, 50 }, { 80, 150 }, { 0, 360 }, { 190, 290 },
};

static const char * const titles[N_CATEGORIES][10] = {
  {
    "Sourdough in 30 seconds", "Croissant lamination, step by step",
    "Morning bake: cinnamon rolls", "Cutting into a fresh baguette",
    "Strawberry shortcake for the weekend", "How we score our loaves",
    "Matcha swirl bread", "Egg tarts straight from the oven",
    "Chestnut cake for autumn", "Our best-selling butter rolls",
  },
  {
    "Matcha latte art", "Cold brew oolong at home",
    "Brewing Longjing the slow way", "Milk tea with brown sugar pearls",
    "Three teas for a rainy day", "Osmanthus oolong tasting",
    "Pouring the perfect pu'er", "Jasmine tea, five infusions",
    "Iced lemon black tea", "Our new tea gift box",
  },
  {
    "Autumn coat try-on", "One skirt, three outfits",
    "Knitwear colours of the season", "Packing orders: linen shirts",
    "Fitting room: wide-leg trousers", "Scarf tying in 20 seconds",
    "New arrivals this week", "Styling a trench coat",
    "Weekend outfit ideas", "Size guide for our sweaters",
  },
  {
    "A day in our little shop", "Packing 100 orders",
    "Meet the team", "Setting up the window display",
    "Unboxing the new teacups", "Q&A: how we started",
    "Restocking the shelves", "Our shop at closing time",
    "Printing the new labels", "Wrapping gifts for the holidays",
  },
};

/* Captions and their hashtags (space-separated, without '#'). */
static const char * const captions[N_CATEGORIES][4][2] = {
  {
    { "周末新品 #烘焙# #下午茶#", "烘焙 下午茶 新品" },
    { "Fresh out of the oven, come early! #bakery #sourdough", "bakery sourdough" },
    { "每天早上七点出炉 #面包# #早餐#", "面包 早餐" },
    { "Butter, flour, patience. #baking #croissant", "baking croissant" },
  },
  {
    { "一杯抹茶，一个好心情 #抹茶# #下午茶#", "抹茶 下午茶" },
    { "Slow mornings, good tea. #tea #matcha", "tea matcha" },
    { "新茶上市 #乌龙茶# #茶生活#", "乌龙茶 茶生活 新茶" },
    { "How we brew it in the shop #teatime", "teatime tea" },
  },
  {
    { "秋冬新款上架 #穿搭# #秋季穿搭#", "穿搭 秋季穿搭 新款" },
    { "Which one would you pick? #ootd #autumnstyle", "ootd autumnstyle" },
    { "小个子也能穿 #显瘦穿搭#", "显瘦穿搭 穿搭" },
    { "Linen, wool and a lot of steaming. #smallbusiness #fashion", "smallbusiness fashion" },
  },
  {
    { "小店日常 #小店# #创业#", "小店 创业 日常" },
    { "Behind the scenes at our little shop #smallbusiness", "smallbusiness behindthescenes" },
    { "谢谢每一位顾客 #小店日常#", "小店日常" },
    { "Packing orders with us #shoplife", "shoplife packing" },
  },
};

static const char * const comments_general[8] = {
  "Love this!", "太好看了！", "Where is your shop?", "求链接",
  "How much is it?", "已关注", "So satisfying to watch", "周末去打卡",
};

static const char * const comments_category[N_CATEGORIES][3] = {
  { "Looks delicious!", "看饿了", "Do you ship?" },
  { "想喝！", "What tea is this?", "这个配色绝了" },
  { "Is there a size S?", "求尺码表", "The colour is perfect" },
  { "加油！", "Such a cute shop", "Keep going!" },
};

/* ---------------------------------------------------------------------- */
/* Random numbers: xoshiro256**, seeded through splitmix64                */

typedef struct
{
  guint64 s[4];
} Rng;

enum
{
  STREAM_CLIP = 1,
  STREAM_VIEWER = 2,
  STREAM_VIEWS = 3,
  STREAM_LAYOUT = 4,
};

static inline guint64
splitmix64 (guint64 *x)
{
  guint64 z = (*x += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

/* Each (stream, index) gets its own generator, so a clip's attributes do not
 * depend on how many viewers there are, and so on. */
static void
rng_init (Rng     *rng,
          guint64  seed,
          guint64  stream,
          guint64  index)
{
  guint64 x = seed;

  x ^= splitmix64 (&(guint64) { stream * G_GUINT64_CONSTANT (0xD1B54A32D192ED03) });
  x ^= splitmix64 (&(guint64) { index + (stream << 40) });
  for (guint i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&x);
}

static inline guint64
rotl (guint64 x,
      int     k)
{
  return (x << k) | (x >> (64 - k));
}

static inline guint64
rng_next (Rng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

/* Uniform in [0, 1). */
static inline double
rng_uniform (Rng *rng)
{
  return (double) (rng_next (rng) >> 11) * 0x1.0p-53;
}

static inline double
rng_range (Rng    *rng,
           double  lo,
           double  hi)
{
  return lo + (hi - lo) * rng_uniform (rng);
}

/* Uniform integer in [0, n). */
static inline guint
rng_int (Rng   *rng,
         guint  n)
{
  return (guint) (rng_uniform (rng) * n);
}

static inline gboolean
rng_bool (Rng    *rng,
          double  p)
{
  return rng_uniform (rng) < p;
}

static double
rng_normal (Rng    *rng,
            double  mean,
            double  sd)
{
  double u1 = 1.0 - rng_uniform (rng);  /* (0, 1] */
  double u2 = rng_uniform (rng);

  return mean + sd * sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

static inline double
sigmoid (double x)
{
  return 1.0 / (1.0 + exp (-x));
}

/* ---------------------------------------------------------------------- */
/* The model                                                              */

typedef struct
{
  guint        category;
  double       hue;
  double       saturation;
  double       motion;          /* 0..1 */
  gboolean     text;
  gboolean     vertical;
  gboolean     sound;
  double       quality;
  guint        duration_ms;
  gint64       posted_at;
  char        *title;
  const char  *caption;
  const char  *hashtags;

  /* how it is drawn and heard */
  const char  *pattern;
  int          speed;           /* videotestsrc horizontal-speed */
  const char  *ball_motion;
  const char  *valign;
  const char  *wave;
  double       freq;

  /* filled by rendering */
  char        *path;
  char        *content_hash;
  CsClipAnalysis *analysis;     /* thumbnails, features, covers of the file */
} DemoClip;

typedef struct
{
  float   taste[N_CATEGORIES];
  float   like_motion;
  float   like_sound;
  float   like_text;
  float   activity;
  guint8  profile;
  guint8  favorite;
  gboolean follows_at_start;
  guint16 usual_minute;         /* minute of the UTC day */
} DemoViewer;

typedef struct
{
  CsDemoOptions  options;
  gint64         start;
  gint64         end;
  DemoClip      *clips;
  guint         *order;         /* clip indices by posting time */
  DemoViewer    *viewers;

  /* What the exposure loop reads for every (clip, viewer) pair, kept in
   * small separate arrays so that 100 000 viewers stay in cache. */
  float         *gain;          /* [v * N_CATEGORIES + c] = activity * e^(0.35 taste) */
  guint8        *slot;
  gint64        *follow_time;   /* G_MININT64: followed before; G_MAXINT64: never */

  double         scale;         /* exposure multiplier (1, or calibrated to n_events) */
  guint          viewer_digits; /* zero-padded ids sort in numeric order */
  guint          clip_digits;
} DemoModel;

static void
demo_model_free (DemoModel *model)
{
  if (model == NULL)
    return;
  for (guint i = 0; model->clips != NULL && i < model->options.n_clips; i++)
    {
      g_free (model->clips[i].title);
      g_free (model->clips[i].path);
      g_free (model->clips[i].content_hash);
      g_clear_pointer (&model->clips[i].analysis, cs_clip_analysis_free);
    }
  g_free (model->clips);
  g_free (model->order);
  g_free (model->viewers);
  g_free (model->gain);
  g_free (model->slot);
  g_free (model->follow_time);
  g_free (model);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DemoModel, demo_model_free)

static guint32
hsv_to_argb (double h,
             double s,
             double v)
{
  /* Which of (chroma, second largest, 0) is red, green and blue, for each
   * sixth of the colour wheel. */
  static const guint8 order[6][3] = {
    { 0, 1, 2 }, { 1, 0, 2 }, { 2, 0, 1 }, { 2, 1, 0 }, { 1, 2, 0 }, { 0, 2, 1 },
  };
  double hp = fmod (h, 360.0) / 60.0;
  double c = v * s;
  double values[3] = { c, c * (1.0 - fabs (fmod (hp, 2.0) - 1.0)), 0.0 };
  guint sector = MIN (5, (guint) hp);
  guint32 argb = 0xff000000u;

  for (guint i = 0; i < 3; i++)
    argb |= (guint32) lround ((values[order[sector][i]] + v - c) * 255) << (16 - 8 * i);
  return argb;
}

static int
compare_posted (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  const DemoClip *clips = user_data;
  guint ia = *(const guint *) a;
  guint ib = *(const guint *) b;

  if (clips[ia].posted_at != clips[ib].posted_at)
    return clips[ia].posted_at < clips[ib].posted_at ? -1 : 1;
  return ia < ib ? -1 : ia > ib;
}

static void
make_clips (DemoModel *model)
{
  const CsDemoOptions *o = &model->options;
  guint per_category[N_CATEGORIES] = { 0 };
  guint block[N_CATEGORIES];
  Rng layout;

  model->clips = g_new0 (DemoClip, o->n_clips);
  model->order = g_new (guint, o->n_clips);

  /* Categories come in shuffled blocks of four so that every demo, even a
   * small one, has all of them in equal numbers. */
  rng_init (&layout, o->seed, STREAM_LAYOUT, 0);

  for (guint i = 0; i < o->n_clips; i++)
    {
      DemoClip *clip = &model->clips[i];
      guint day, k;
      Rng rng;

      if (i % N_CATEGORIES == 0)
        {
          for (guint j = 0; j < N_CATEGORIES; j++)
            block[j] = j;
          for (guint j = N_CATEGORIES - 1; j > 0; j--)
            {
              guint r = rng_int (&layout, j + 1);
              guint tmp = block[j];

              block[j] = block[r];
              block[r] = tmp;
            }
        }

      rng_init (&rng, o->seed, STREAM_CLIP, i);
      clip->category = block[i % N_CATEGORIES];
      clip->hue = rng_range (&rng, category_hue[clip->category][0], category_hue[clip->category][1]);
      clip->saturation = rng_range (&rng, 0.45, 0.85);
      clip->motion = rng_uniform (&rng);
      clip->text = rng_bool (&rng, 0.6);
      clip->vertical = rng_bool (&rng, 0.7);
      clip->sound = rng_bool (&rng, 0.7);
      clip->quality = rng_normal (&rng, 0.0, 0.3);
      clip->duration_ms = 4000 + FRAME_MS * rng_int (&rng, 101);

      day = (guint) ((guint64) i * o->n_days / o->n_clips);
      clip->posted_at = model->start + (gint64) day * DAY_S
                        + (gint64) (7 + rng_int (&rng, 16)) * 3600
                        + (gint64) rng_int (&rng, 60) * 60;

      k = per_category[clip->category]++;
      if (k < G_N_ELEMENTS (titles[0]))
        clip->title = g_strdup (titles[clip->category][k]);
      else
        clip->title = g_strdup_printf ("%s (%u)",
                                       titles[clip->category][k % G_N_ELEMENTS (titles[0])],
                                       k / (guint) G_N_ELEMENTS (titles[0]) + 1);
      k = rng_int (&rng, G_N_ELEMENTS (captions[0]));
      clip->caption = captions[clip->category][k][0];
      clip->hashtags = captions[clip->category][k][1];

      /* High motion: a moving ball or fast-scrolling spokes; medium: slowly
       * scrolling bars and rings; low: still colour fields. */
      clip->speed = 0;
      clip->ball_motion = NULL;
      if (clip->motion >= 0.6)
        {
          static const char * const ball_motions[] = { "wavy", "sweep", "hsweep" };

          if (rng_bool (&rng, 0.6))
            {
              clip->pattern = "ball";
              clip->ball_motion = ball_motions[rng_int (&rng, G_N_ELEMENTS (ball_motions))];
            }
          else
            {
              clip->pattern = rng_bool (&rng, 0.5) ? "spokes" : "pinwheel";
              clip->speed = 6 + (int) lround (10 * (clip->motion - 0.6));
            }
        }
      else if (clip->motion >= 0.3)
        {
          clip->pattern = rng_bool (&rng, 0.5) ? "bar" : "circular";
          clip->speed = 1 + (int) lround (8 * (clip->motion - 0.3));
        }
      else
        {
          clip->pattern = rng_bool (&rng, 0.5) ? "solid-color" : "gradient";
        }
      {
        static const char * const valigns[] = { "top", "center", "bottom" };
        static const char * const waves[] = { "sine", "triangle", "square" };

        clip->valign = valigns[rng_int (&rng, G_N_ELEMENTS (valigns))];
        clip->wave = waves[rng_int (&rng, G_N_ELEMENTS (waves))];
        clip->freq = 220.0 * pow (2.0, rng_int (&rng, 25) / 12.0);  /* two octaves of notes */
      }

      model->order[i] = i;
    }

  g_qsort_with_data (model->order, o->n_clips, sizeof (guint), compare_posted, model->clips);
}

static guint
pick_profile (Rng *rng)
{
  double u = rng_uniform (rng);

  for (guint p = 0; p < N_PROFILES - 1; p++)
    {
      if (u < profiles[p].share)
        return p;
      u -= profiles[p].share;
    }
  return N_PROFILES - 1;
}

static void
make_viewers (DemoModel *model)
{
  const CsDemoOptions *o = &model->options;
  guint n = o->n_viewers;

  model->viewers = g_new0 (DemoViewer, n);
  model->gain = g_new (float, (gsize) n * N_CATEGORIES);
  model->slot = g_new (guint8, n);
  model->follow_time = g_new (gint64, n);

  for (guint v = 0; v < n; v++)
    {
      DemoViewer *viewer = &model->viewers[v];
      double minute;
      Rng rng;

      rng_init (&rng, o->seed, STREAM_VIEWER, v);
      viewer->profile = pick_profile (&rng);
      viewer->favorite = rng_int (&rng, N_CATEGORIES);
      for (guint c = 0; c < N_CATEGORIES; c++)
        viewer->taste[c] = category_taste_mean[c]
                           + profiles[viewer->profile].taste_shift[c]
                           + (c == viewer->favorite ? 1.0 : 0.0)
                           + rng_normal (&rng, 0.0, 0.7);
      viewer->like_motion = rng_normal (&rng, 0.3, 0.5);
      viewer->like_sound = rng_normal (&rng, 0.5, 0.4);
      viewer->like_text = rng_normal (&rng, 0.3, 0.4);
      /* log-normal with mean 1 */
      viewer->activity = exp (rng_normal (&rng, -0.18, 0.6));
      viewer->follows_at_start = rng_bool (&rng, FOLLOW_AT_START_P);
      minute = fmod (profiles[viewer->profile].center_h * 60.0 + rng_normal (&rng, 0.0, 40.0) + 2 * 1440.0,
                     1440.0);
      viewer->usual_minute = (guint16) MIN (1439, (guint) minute);

      for (guint c = 0; c < N_CATEGORIES; c++)
        model->gain[(gsize) v * N_CATEGORIES + c] = viewer->activity * exp (TASTE_EXPOSURE * viewer->taste[c]);
      model->slot[v] = viewer->usual_minute * 60 / SLOT_S;
    }
}

static void
reset_follows (DemoModel *model)
{
  for (guint v = 0; v < model->options.n_viewers; v++)
    model->follow_time[v] = model->viewers[v].follows_at_start ? G_MININT64 : G_MAXINT64;
}

static guint
id_digits (guint n)
{
  guint digits = 1;

  for (; n >= 10; n /= 10)
    digits++;
  return MAX (4, digits);
}

static DemoModel *
demo_model_new (const CsDemoOptions *options)
{
  DemoModel *model = g_new0 (DemoModel, 1);

  model->options = *options;
  model->start = DEMO_START;
  model->end = DEMO_START + (gint64) options->n_days * DAY_S;
  model->scale = 1.0;
  model->viewer_digits = id_digits (options->n_viewers);
  model->clip_digits = id_digits (options->n_clips);

  make_clips (model);
  make_viewers (model);
  reset_follows (model);
  return model;
}

static double
clip_reach (const DemoClip *clip)
{
  return exp (QUALITY_REACH * clip->quality);
}

static inline gboolean
is_weekend (gint64 t)
{
  gint64 weekday = (t / DAY_S + 4) % 7;  /* 1970-01-01 was a Thursday; 0 = Sunday */

  return weekday == 0 || weekday == 6;
}

/* For one clip: for each usual time of day (slot), the viewer's daily
 * sessions from the posting until the clip leaves the feed, each weighted by
 * how hard the feed pushes the clip at that age. */
typedef struct
{
  gint64 first[N_SLOTS];
  guint8 n[N_SLOTS];
  float  weight[N_SLOTS][MAX_SESSIONS];
  float  total[N_SLOTS];
} Sessions;

static void
compute_sessions (const DemoModel *model,
                  const DemoClip  *clip,
                  Sessions        *sessions)
{
  gint64 day_start = clip->posted_at - clip->posted_at % DAY_S;

  for (guint s = 0; s < N_SLOTS; s++)
    {
      gint64 first = day_start + (gint64) s * SLOT_S + SLOT_S / 2;
      float total = 0;
      guint n = 0;

      if (first < clip->posted_at)
        first += DAY_S;
      for (; n < MAX_SESSIONS; n++)
        {
          gint64 t = first + (gint64) n * DAY_S;
          double age_h;
          double w;

          if (t >= model->end || t - clip->posted_at >= HORIZON_S)
            break;
          age_h = (t - clip->posted_at) / 3600.0;
          w = (exp (-age_h / PUSH_TAU_H) + TAIL_WEIGHT * exp (-age_h / TAIL_TAU_H))
              * (is_weekend (t) ? WEEKEND_FACTOR : 1.0);
          sessions->weight[s][n] = w;
          total += w;
        }
      sessions->first[s] = first;
      sessions->n[s] = n;
      sessions->total[s] = total;
    }
}

/* Expected number of views at scale 1 with the follow states at the start:
 * the sum over pairs of the Poisson means, grouped by slot. Only every
 * @stride-th viewer counts. */
static double
expected_views (const DemoModel *model,
                guint            stride)
{
  const CsDemoOptions *o = &model->options;
  g_autofree double *sum = g_new0 (double, N_CATEGORIES * N_SLOTS * 2);
  g_autofree Sessions *sessions = g_new (Sessions, 1);
  double total = 0;

  for (guint v = 0; v < o->n_viewers; v += stride)
    for (guint c = 0; c < N_CATEGORIES; c++)
      sum[(c * N_SLOTS + model->slot[v]) * 2 + (model->viewers[v].follows_at_start ? 1 : 0)]
        += model->gain[(gsize) v * N_CATEGORIES + c];

  for (guint i = 0; i < o->n_clips; i++)
    {
      const DemoClip *clip = &model->clips[i];
      double clip_sum = 0;

      compute_sessions (model, clip, sessions);
      for (guint s = 0; s < N_SLOTS; s++)
        {
          const double *g = &sum[(clip->category * N_SLOTS + s) * 2];

          clip_sum += sessions->total[s] * (g[0] + FOLLOW_BOOST * g[1]);
        }
      total += EXPOSURE_BASE * clip_reach (clip) * clip_sum;
    }
  return total;
}

/* ---------------------------------------------------------------------- */
/* Progress                                                               */

typedef struct
{
  CsProgressFunc  func;
  gpointer        data;
  double          from;
  double          width;
} Progress;

static void
progress_report (Progress   *progress,
                 double      fraction,
                 const char *message)
{
  if (progress->func != NULL)
    progress->func (progress->from + progress->width * CLAMP (fraction, 0.0, 1.0),
                    message, progress->data);
}

static void
progress_phase (Progress *progress,
                double    from,
                double    width)
{
  progress->from = from;
  progress->width = width;
}

/* ---------------------------------------------------------------------- */
/* The simulation                                                         */

typedef struct
{
  CsStore      *store;          /* NULL: only count (calibration) */
  sqlite3_stmt *stmt;
  gint64        import_id;
  guint64       counts[CS_EVENT_SAVE + 1];
} Sink;

static gboolean
emit (Sink       *sink,
      guint       viewer,
      guint       clip,
      gint64      time,
      CsEventKind kind,
      gint64      watch_ms,
      const char *text,
      GError    **error)
{
  sqlite3_stmt *stmt = sink->stmt;

  sink->counts[kind]++;
  if (stmt == NULL)
    return TRUE;

  sqlite3_bind_int64 (stmt, 1, sink->import_id);
  sqlite3_bind_int64 (stmt, 2, (gint64) viewer + 1);
  sqlite3_bind_int64 (stmt, 3, (gint64) clip + 1);
  sqlite3_bind_int64 (stmt, 4, time);
  sqlite3_bind_int (stmt, 5, kind);
  if (watch_ms >= 0)
    sqlite3_bind_int64 (stmt, 6, watch_ms);
  else
    sqlite3_bind_null (stmt, 6);
  if (text != NULL)
    sqlite3_bind_text (stmt, 7, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 7);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      cs_store_set_error (sink->store, error, _("saving the simulated events"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static const char *
pick_comment (Rng  *rng,
              guint category)
{
  if (rng_bool (rng, 0.5))
    return comments_general[rng_int (rng, G_N_ELEMENTS (comments_general))];
  return comments_category[category][rng_int (rng, G_N_ELEMENTS (comments_category[0]))];
}

/* The views (and what follows them) of one viewer for one clip. */
static gboolean
simulate_pair (DemoModel      *model,
               guint           ci,
               guint           v,
               guint           n_views,
               const Sessions *sessions,
               Rng            *rng,
               Sink           *sink,
               GError        **error)
{
  const DemoClip *clip = &model->clips[ci];
  const DemoViewer *viewer = &model->viewers[v];
  guint slot = model->slot[v];
  gint64 times[MAX_VIEWS_PER_PAIR];
  gboolean liked = FALSE, commented = FALSE, shared = FALSE;
  double base;

  /* When: a session picked in proportion to the feed's push, then a moment
   * around the viewer's usual time. */
  for (guint i = 0; i < n_views; i++)
    {
      double u = rng_uniform (rng) * sessions->total[slot];
      guint d = 0;
      gint64 t;

      while (d + 1 < sessions->n[slot] && u >= sessions->weight[slot][d])
        u -= sessions->weight[slot][d++];
      t = sessions->first[slot] + (gint64) d * DAY_S + (gint64) rng_range (rng, -1200, 1200);
      t = CLAMP (t, clip->posted_at + 60, model->end - 1);

      /* insertion sort: n_views is tiny */
      guint j = i;
      for (; j > 0 && times[j - 1] > t; j--)
        times[j] = times[j - 1];
      times[j] = t;
    }

  base = viewer->taste[clip->category]
         + viewer->like_motion * (2.0 * clip->motion - 1.0)
         + (clip->sound ? viewer->like_sound : 0.0)
         + (clip->text ? viewer->like_text : 0.0)
         + (clip->vertical ? VERTICAL_WATCH : 0.0)
         + clip->quality;

  for (guint i = 0; i < n_views; i++)
    {
      gint64 t = times[i];
      double fresh = exp (-(t - clip->posted_at) / 3600.0 / PUSH_TAU_H);
      double affinity = base + FRESH_WATCH * fresh + rng_normal (rng, 0.0, NOISE_SD);
      double ratio = MIN (RATIO_MAX, exp (RATIO_SLOPE * affinity - RATIO_OFFSET));
      gint64 watch_ms = MAX (MIN_WATCH_MS, (gint64) lround (ratio * clip->duration_ms));
      gint64 after = t + (watch_ms + 999) / 1000;
      double z = affinity + MIN (ratio, 2.0);

      if (!emit (sink, v, ci, t, CS_EVENT_VIEW, watch_ms, NULL, error))
        return FALSE;

      if (!liked && rng_bool (rng, sigmoid (z - LIKE_OFFSET)))
        {
          liked = TRUE;
          if (!emit (sink, v, ci, t + (gint64) (rng_range (rng, 0.3, 1.0) * watch_ms / 1000),
                     CS_EVENT_LIKE, -1, NULL, error))
            return FALSE;
        }
      if (!commented && rng_bool (rng, sigmoid (z - COMMENT_OFFSET)))
        {
          commented = TRUE;
          if (!emit (sink, v, ci, after + (gint64) rng_range (rng, 5, 120),
                     CS_EVENT_COMMENT, -1, pick_comment (rng, clip->category), error))
            return FALSE;
        }
      if (!shared && rng_bool (rng, sigmoid (z - SHARE_OFFSET)))
        {
          shared = TRUE;
          if (!emit (sink, v, ci, after + (gint64) rng_range (rng, 1, 30),
                     CS_EVENT_SHARE, -1, NULL, error))
            return FALSE;
        }
      /* A viewer follows at most once (followers from before the demo
       * period never do). */
      if (model->follow_time[v] == G_MAXINT64 && rng_bool (rng, sigmoid (z - FOLLOW_OFFSET)))
        {
          gint64 ft = after + (gint64) rng_range (rng, 1, 20);

          model->follow_time[v] = ft;
          if (!emit (sink, v, ci, ft, CS_EVENT_FOLLOW, -1, NULL, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* Simulates every @stride-th viewer (1: all). */
static gboolean
simulate (DemoModel     *model,
          Sink          *sink,
          guint          stride,
          Progress      *progress,
          const char    *message,
          GCancellable  *cancellable,
          GError       **error)
{
  const CsDemoOptions *o = &model->options;
  g_autofree Sessions *sessions = g_new (Sessions, 1);

  reset_follows (model);

  for (guint k = 0; k < o->n_clips; k++)
    {
      guint ci = model->order[k];
      const DemoClip *clip = &model->clips[ci];
      double clip_factor = model->scale * EXPOSURE_BASE * clip_reach (clip);
      const float *gain = model->gain + clip->category;
      Rng rng;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      progress_report (progress, (double) k / o->n_clips, message);

      compute_sessions (model, clip, sessions);
      rng_init (&rng, o->seed, STREAM_VIEWS, ci);

      for (guint v = 0; v < o->n_viewers; v += stride)
        {
          double lambda = clip_factor * gain[(gsize) v * N_CATEGORIES] * sessions->total[model->slot[v]];
          double u = rng_uniform (&rng);
          double p, cdf;
          guint n = 0;

          if ((v & 0xffff) < stride && v > 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;

          if (model->follow_time[v] < clip->posted_at)
            lambda *= FOLLOW_BOOST;
          /* N ~ Poisson(lambda) by inversion of u; P(N = 0) = e^-lambda >=
           * 1 - lambda lets most pairs skip the exp(). */
          if (u < 1.0 - lambda)
            continue;
          p = exp (-lambda);
          cdf = p;
          while (u >= cdf && n < MAX_VIEWS_PER_PAIR)
            {
              n++;
              p *= lambda / n;
              cdf += p;
            }
          if (n == 0)
            continue;

          if (!simulate_pair (model, ci, v, n, sessions, &rng, sink, error))
            return FALSE;
        }
    }
  progress_report (progress, 1.0, message);
  return TRUE;
}

/* n_events > 0: choose the scale so that the number of views is close to the
 * target. The expected count with the follow states at the start is exact,
 * but follows made during the simulation add views. Viewers do not influence
 * each other, so dry runs on a sample of viewers measure that gain; two
 * rounds settle it, as the gain itself depends a little on the scale. */
#define CALIBRATION_VIEWERS 20000

static gboolean
calibrate (DemoModel     *model,
           Progress      *progress,
           GCancellable  *cancellable,
           GError       **error)
{
  double target = model->options.n_events;
  guint stride = MAX (1, (model->options.n_viewers + CALIBRATION_VIEWERS - 1) / CALIBRATION_VIEWERS);
  double expected_all = expected_views (model, 1);
  double expected_sample = expected_views (model, stride);
  Progress round = *progress;

  if (expected_all <= 0 || expected_sample <= 0)
    return TRUE;
  model->scale = target / expected_all;

  for (guint i = 0; i < 2; i++)
    {
      Sink dry = { 0 };
      double gain;

      progress_phase (&round, progress->from + i * progress->width / 2, progress->width / 2);
      if (!simulate (model, &dry, stride, &round, _("Calibrating the simulation"), cancellable, error))
        return FALSE;
      gain = dry.counts[CS_EVENT_VIEW] / (model->scale * expected_sample);
      g_debug ("demo: calibration round %u: scale %.5g, %" G_GUINT64_FORMAT " views of %.0f expected",
               i, model->scale, dry.counts[CS_EVENT_VIEW], model->scale * expected_sample);
      if (gain > 0)
        model->scale = target / (expected_all * gain);
    }
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Rendering                                                              */

static const struct
{
  const char *element;
  const char *package;
  gboolean    audio;
} required_elements[] = {
  { "videotestsrc", "gstreamer1.0-plugins-base", FALSE },
  { "textoverlay",  "gstreamer1.0-plugins-base", FALSE },
  { "vp8enc",       "gstreamer1.0-plugins-good", FALSE },
  { "webmmux",      "gstreamer1.0-plugins-good", FALSE },
  { "capsfilter",   "libgstreamer1.0-0",         FALSE },
  { "filesink",     "libgstreamer1.0-0",         FALSE },
  { "audiotestsrc", "gstreamer1.0-plugins-base", TRUE },
  { "audioconvert", "gstreamer1.0-plugins-base", TRUE },
  { "vorbisenc",    "gstreamer1.0-plugins-base", TRUE },
};

static gboolean
check_elements (GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (required_elements); i++)
    {
      g_autoptr(GstElementFactory) factory = gst_element_factory_find (required_elements[i].element);

      if (factory == NULL)
        {
          g_set_error (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_NO_ELEMENT,
                       _("The GStreamer element “%s” is missing; install the package %s"),
                       required_elements[i].element, required_elements[i].package);
          return FALSE;
        }
    }
  return TRUE;
}

typedef struct
{
  DemoClip   *clip;
  char       *file;             /* where it is being written */
  GstElement *pipeline;
  GstBus     *bus;
  guint64     uid_base;
} Render;

static void
render_free (Render *render)
{
  if (render->pipeline != NULL)
    gst_element_set_state (render->pipeline, GST_STATE_NULL);
  g_clear_object (&render->bus);
  g_clear_object (&render->pipeline);
  g_clear_pointer (&render->file, g_free);
  g_free (render);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Render, render_free)

static Render *
render_start (DemoClip    *clip,
              const char  *file,
              guint64      uid_base,
              GError     **error)
{
  g_autoptr(Render) render = g_new0 (Render, 1);
  g_autoptr(GString) desc = g_string_new (NULL);
  g_autoptr(GstElement) src = NULL;
  g_autoptr(GstElement) mux = NULL;
  g_autoptr(GstElement) enc = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GError) local_error = NULL;
  guint frames = clip->duration_ms / FRAME_MS;
  guint32 fg = hsv_to_argb (clip->hue, clip->saturation, 0.92);
  guint32 bg = hsv_to_argb (clip->hue + 30.0, clip->saturation * 0.8, 0.18);

  render->clip = clip;
  render->file = g_strdup (file);
  render->uid_base = uid_base;

  g_string_append_printf (desc,
                          "videotestsrc name=src num-buffers=%u"
                          " ! video/x-raw,width=%d,height=%d,framerate=%d/1",
                          frames,
                          clip->vertical ? 270 : 480, clip->vertical ? 480 : 270,
                          VIDEO_FPS);
  if (clip->text)
    g_string_append (desc, " ! textoverlay name=text");
  g_string_append (desc, " ! vp8enc name=enc ! webmmux name=mux ! filesink name=sink");
  if (clip->sound)
    /* 1/25 s per buffer, so that num-buffers gives the video's length. */
    g_string_append_printf (desc,
                            " audiotestsrc name=asrc num-buffers=%u samplesperbuffer=%d"
                            " ! audio/x-raw,rate=%d,channels=1 ! audioconvert ! vorbisenc ! mux.",
                            frames, AUDIO_RATE / VIDEO_FPS, AUDIO_RATE);

  render->pipeline = gst_parse_launch_full (desc->str, NULL, GST_PARSE_FLAG_FATAL_ERRORS, &local_error);
  if (render->pipeline == NULL)
    {
      g_set_error (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_FAILED,
                   _("Could not set up rendering of the demo clip “%s”: %s"),
                   clip->title, local_error->message);
      return NULL;
    }
  gst_object_ref_sink (render->pipeline);

  src = gst_bin_get_by_name (GST_BIN (render->pipeline), "src");
  gst_util_set_object_arg (G_OBJECT (src), "pattern", clip->pattern);
  gst_util_set_object_arg (G_OBJECT (src), "animation-mode", "frames");
  if (clip->ball_motion != NULL)
    gst_util_set_object_arg (G_OBJECT (src), "motion", clip->ball_motion);
  g_object_set (src,
                "foreground-color", fg,
                "background-color", bg,
                "horizontal-speed", clip->speed,
                NULL);

  if (clip->text)
    {
      g_autoptr(GstElement) text = gst_bin_get_by_name (GST_BIN (render->pipeline), "text");

      g_autofree char *markup = g_markup_escape_text (clip->title, -1);

      /* textoverlay reads Pango markup: "Q&A" must become "Q&amp;A". */
      g_object_set (text,
                    "text", markup,
                    "font-desc", clip->vertical ? "Sans Bold 14" : "Sans Bold 16",
                    /* Sizes are for our small frames, not scaled from 640 px. */
                    "auto-resize", FALSE,
                    "shaded-background", TRUE,
                    NULL);
      gst_util_set_object_arg (G_OBJECT (text), "valignment", clip->valign);
      gst_util_set_object_arg (G_OBJECT (text), "halignment", "center");
      gst_util_set_object_arg (G_OBJECT (text), "line-alignment", "center");
    }

  enc = gst_bin_get_by_name (GST_BIN (render->pipeline), "enc");
  /* Real-time deadline and the fastest speed: a 6 s clip encodes in a
   * fraction of a second. One thread each; clips are rendered side by side. */
  g_object_set (enc,
                "deadline", (gint64) 1,
                "cpu-used", 16,
                "target-bitrate", 350000,
                "threads", 1,
                "keyframe-max-dist", 2 * VIDEO_FPS,
                NULL);

  mux = gst_bin_get_by_name (GST_BIN (render->pipeline), "mux");
  /* A fixed creation time keeps the files, and their hashes, reproducible. */
  created = g_date_time_new_from_unix_utc (clip->posted_at);
  g_object_set (mux,
                "creation-time", created,
                "writing-app", "Clipscope demo (simulated)",
                NULL);
  gst_tag_setter_add_tags (GST_TAG_SETTER (mux), GST_TAG_MERGE_REPLACE,
                           GST_TAG_TITLE, clip->title,
                           GST_TAG_COMMENT, "Simulated clip of the Clipscope demo project",
                           NULL);

  if (clip->sound)
    {
      g_autoptr(GstElement) asrc = gst_bin_get_by_name (GST_BIN (render->pipeline), "asrc");

      gst_util_set_object_arg (G_OBJECT (asrc), "wave", clip->wave);
      g_object_set (asrc, "freq", clip->freq, "volume", 0.08, NULL);
    }

  sink = gst_bin_get_by_name (GST_BIN (render->pipeline), "sink");
  g_object_set (sink, "location", file, NULL);

  render->bus = gst_element_get_bus (render->pipeline);
  if (gst_element_set_state (render->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_autoptr(GstMessage) msg = gst_bus_pop_filtered (render->bus, GST_MESSAGE_ERROR);
      g_autoptr(GError) gst_error = NULL;

      if (msg != NULL)
        gst_message_parse_error (msg, &gst_error, NULL);
      g_set_error (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_ENCODE,
                   _("Could not render the demo clip “%s”: %s"),
                   clip->title, gst_error ? gst_error->message : _("the pipeline did not start"));
      return NULL;
    }

  return g_steal_pointer (&render);
}

/* EBML (Matroska/WebM) variable-length integers: an element ID keeps its
 * length marker, a size drops it; a size of all ones means "unknown". */
static gboolean
ebml_read_vint (const guint8 *data,
                gsize         end,
                gsize        *pos,
                gboolean      keep_marker,
                guint64      *value)
{
  guint8 first;
  guint length = 1;
  guint64 v;
  gboolean all_ones;

  if (*pos >= end)
    return FALSE;
  first = data[*pos];
  if (first == 0)
    return FALSE;
  while (!(first & (0x80 >> (length - 1))))
    length++;
  if (*pos + length > end)
    return FALSE;

  v = keep_marker ? first : first & (0xff >> length);
  all_ones = (first & (0xff >> length)) == (0xff >> length);
  for (guint i = 1; i < length; i++)
    {
      v = (v << 8) | data[*pos + i];
      all_ones = all_ones && data[*pos + i] == 0xff;
    }
  *pos += length;
  *value = !keep_marker && all_ones ? G_MAXUINT64 : v;
  return TRUE;
}

#define EBML_ID_SEGMENT     0x18538067
#define EBML_ID_TRACKS      0x1654AE6B
#define EBML_ID_TRACK_ENTRY 0xAE
#define EBML_ID_TRACK_UID   0x73C5
#define EBML_ID_CLUSTER     0x1F43B675

/* Calls @func for each child of the element whose data is [start, end);
 * stops early when @func returns FALSE. */
typedef gboolean (*EbmlChildFunc) (guint8  *data,
                                   guint64  id,
                                   gsize    start,
                                   gsize    end,
                                   gpointer user_data);

static void
ebml_children (guint8        *data,
               gsize          start,
               gsize          end,
               EbmlChildFunc  func,
               gpointer       user_data)
{
  gsize pos = start;

  while (pos < end)
    {
      guint64 id, size;
      gsize child_end;

      if (!ebml_read_vint (data, end, &pos, TRUE, &id) ||
          !ebml_read_vint (data, end, &pos, FALSE, &size))
        return;
      child_end = size == G_MAXUINT64 || size > end - pos ? end : pos + size;
      if (!func (data, id, pos, child_end, user_data))
        return;
      pos = child_end;
    }
}

typedef struct
{
  guint64 base;
  guint   n_tracks;
} UidPatch;

static gboolean
patch_track_entry_cb (guint8   *data,
                      guint64   id,
                      gsize     start,
                      gsize     end,
                      gpointer  user_data)
{
  UidPatch *patch = user_data;

  if (id == EBML_ID_TRACK_UID && end - start <= 8)
    {
      guint64 x = patch->base + patch->n_tracks;
      guint64 uid = splitmix64 (&x) | 1;  /* never 0, which Matroska forbids */

      for (gsize i = end; i > start; i--, uid >>= 8)
        data[i - 1] = uid & 0xff;
    }
  return TRUE;
}

static gboolean
patch_tracks_cb (guint8   *data,
                 guint64   id,
                 gsize     start,
                 gsize     end,
                 gpointer  user_data)
{
  UidPatch *patch = user_data;

  if (id == EBML_ID_TRACK_ENTRY)
    {
      ebml_children (data, start, end, patch_track_entry_cb, patch);
      patch->n_tracks++;
    }
  return TRUE;
}

static gboolean
patch_segment_cb (guint8   *data,
                  guint64   id,
                  gsize     start,
                  gsize     end,
                  gpointer  user_data)
{
  if (id == EBML_ID_TRACKS)
    ebml_children (data, start, end, patch_tracks_cb, user_data);
  return id != EBML_ID_CLUSTER && id != EBML_ID_TRACKS;
}

static gboolean
patch_top_cb (guint8   *data,
              guint64   id,
              gsize     start,
              gsize     end,
              gpointer  user_data)
{
  if (id == EBML_ID_SEGMENT)
    {
      ebml_children (data, start, end, patch_segment_cb, user_data);
      return FALSE;
    }
  return TRUE;
}

/* The WebM muxer gives each track a random UID, the only bytes that would
 * differ between two renderings of the same clip. Replacing them with UIDs
 * derived from the seed makes the files, and so their hashes, reproducible. */
static void
make_track_uids_reproducible (guint8  *data,
                              gsize    length,
                              guint64  base)
{
  UidPatch patch = { base, 0 };

  ebml_children (data, 0, length, patch_top_cb, &patch);
}

/* Returns 1 when done, 0 when still running, -1 on error. */
static int
render_poll (Render       *render,
             GstClockTime  timeout,
             GError      **error)
{
  g_autoptr(GstMessage) msg = NULL;
  g_autoptr(GError) gst_error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  msg = gst_bus_timed_pop_filtered (render->bus, timeout, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (msg == NULL)
    return 0;

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    {
      g_autofree char *debug = NULL;

      gst_message_parse_error (msg, &gst_error, &debug);
      g_debug ("demo: rendering %s failed: %s", render->file, debug ? debug : "");
      g_set_error (error, CS_MEDIA_ERROR, CS_MEDIA_ERROR_ENCODE,
                   _("Could not render the demo clip “%s”: %s"),
                   render->clip->title, gst_error->message);
      return -1;
    }

  /* EOS: the muxer has written its index; closing the file flushes it. */
  gst_element_set_state (render->pipeline, GST_STATE_NULL);
  if (!g_file_get_contents (render->file, &contents, &length, error))
    return -1;
  make_track_uids_reproducible ((guint8 *) contents, length, render->uid_base);
  if (!g_file_set_contents (render->file, contents, length, error))
    return -1;
  render->clip->content_hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
  return 1;
}

static gboolean
render_clips (DemoModel     *model,
              const char    *folder,        /* where the files are written */
              const char    *final_folder,  /* where they will be */
              Progress      *progress,
              GCancellable  *cancellable,
              GError       **error)
{
  const CsDemoOptions *o = &model->options;
  g_autoptr(GPtrArray) running = g_ptr_array_new_with_free_func ((GDestroyNotify) render_free);
  guint max_running = CLAMP (g_get_num_processors (), 1, 4);
  guint next = 0;
  guint done = 0;

  if (!gst_init_check (NULL, NULL, error))
    return FALSE;
  if (!check_elements (error))
    return FALSE;
  if (g_mkdir_with_parents (folder, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the folder “%s”: %s"), folder, g_strerror (saved_errno));
      return FALSE;
    }

  progress_report (progress, 0.0, NULL);
  while (done < o->n_clips)
    {
      gboolean progressed = FALSE;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      while (running->len < max_running && next < o->n_clips)
        {
          DemoClip *clip = &model->clips[next];
          g_autofree char *name = g_strdup_printf ("clip-%0*u.webm", model->clip_digits, next + 1);
          g_autofree char *file = g_build_filename (folder, name, NULL);
          Render *render = render_start (clip, file, o->seed ^ ((guint64) next << 32), error);

          if (render == NULL)
            return FALSE;
          clip->path = g_build_filename (final_folder, name, NULL);
          g_ptr_array_add (running, render);
          next++;
        }

      /* Wait on the oldest pipeline a little, then look at the others, so
       * that Cancel is noticed within ~50 ms. */
      for (guint i = 0; i < running->len;)
        {
          Render *render = g_ptr_array_index (running, i);
          int status = render_poll (render, i == 0 && !progressed ? 40 * GST_MSECOND : 0, error);

          if (status < 0)
            return FALSE;
          if (status == 0)
            {
              i++;
              continue;
            }
          g_ptr_array_remove_index (running, i);
          done++;
          progressed = TRUE;
          {
            g_autofree char *message = g_strdup_printf (_("Rendering clip %u of %u"), done, o->n_clips);

            progress_report (progress, (double) done / o->n_clips, message);
          }
        }
    }
  return TRUE;
}

/* The rendered clips are analysed as an import would analyse them, so the
 * demo's Clips page shows real thumbnails, features and covers. */
static gboolean
analyse_clips (DemoModel     *model,
               const char    *folder,        /* where the files are now */
               Progress      *progress,
               GCancellable  *cancellable,
               GError       **error)
{
  const CsDemoOptions *o = &model->options;

  for (guint i = 0; i < o->n_clips; i++)
    {
      DemoClip *clip = &model->clips[i];
      g_autofree char *name = g_path_get_basename (clip->path);
      g_autofree char *file = g_build_filename (folder, name, NULL);
      g_autofree char *message = g_strdup_printf (_("Analysing clip %u of %u"), i + 1, o->n_clips);

      progress_report (progress, (double) i / o->n_clips, message);
      clip->analysis = cs_clip_analyze (file, cancellable, error);
      if (clip->analysis == NULL)
        return FALSE;
    }
  progress_report (progress, 1.0, NULL);
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Writing the project                                                    */

static void
json_add_double (GString    *json,
                 const char *key,
                 double      value,
                 const char *format)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* g_ascii_formatd: JSON wants '.', whatever LC_NUMERIC says. */
  g_string_append_printf (json, "\"%s\":%s,", key, g_ascii_formatd (buf, sizeof buf, format, value));
}

static char *
clip_attrs (const DemoClip *clip)
{
  GString *json = g_string_new ("{\"simulated\":true,");
  GDateTime *posted = g_date_time_new_from_unix_utc (clip->posted_at);

  g_string_append_printf (json, "\"category\":\"%s\",", category_names[clip->category]);
  json_add_double (json, "hue", clip->hue, "%.1f");
  json_add_double (json, "saturation", clip->saturation, "%.3f");
  json_add_double (json, "motion", clip->motion, "%.3f");
  g_string_append_printf (json, "\"text\":%s,\"orientation\":\"%s\",\"sound\":%s,",
                          clip->text ? "true" : "false",
                          clip->vertical ? "vertical" : "landscape",
                          clip->sound ? "true" : "false");
  json_add_double (json, "quality", clip->quality, "%.3f");
  json_add_double (json, "reach", clip_reach (clip), "%.3f");
  g_string_append_printf (json, "\"post_hour\":%d,\"post_weekday\":%d,\"pattern\":\"%s\"}",
                          g_date_time_get_hour (posted),
                          g_date_time_get_day_of_week (posted) % 7,
                          clip->pattern);
  g_date_time_unref (posted);
  return g_string_free (json, FALSE);
}

static char *
viewer_attrs (const DemoViewer *viewer)
{
  GString *json = g_string_new ("{\"simulated\":true,");

  g_string_append_printf (json, "\"profile\":\"%s\",\"usual_time\":\"%02u:%02u\",",
                          profiles[viewer->profile].name,
                          viewer->usual_minute / 60, viewer->usual_minute % 60);
  json_add_double (json, "activity", viewer->activity, "%.3f");
  g_string_append_printf (json, "\"follows_at_start\":%s,\"favorite\":\"%s\",\"taste\":{",
                          viewer->follows_at_start ? "true" : "false",
                          category_names[viewer->favorite]);
  for (guint c = 0; c < N_CATEGORIES; c++)
    json_add_double (json, category_names[c], viewer->taste[c], "%.3f");
  g_string_truncate (json, json->len - 1);
  g_string_append (json, "},");
  json_add_double (json, "likes_motion", viewer->like_motion, "%.3f");
  json_add_double (json, "likes_sound", viewer->like_sound, "%.3f");
  json_add_double (json, "likes_text", viewer->like_text, "%.3f");
  g_string_truncate (json, json->len - 1);
  g_string_append_c (json, '}');
  return g_string_free (json, FALSE);
}

static gboolean
step_done (CsStore       *store,
           sqlite3_stmt  *stmt,
           const char    *what,
           GError       **error)
{
  gboolean ok = sqlite3_step (stmt) == SQLITE_DONE;

  if (!ok)
    cs_store_set_error (store, error, what);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return ok;
}

static gboolean
write_clips (CsStore    *store,
             DemoModel  *model,
             GError    **error)
{
  sqlite3_stmt *stmt;

  stmt = cs_store_prepare (store,
                           "INSERT INTO clips (id, external_id, title, caption, hashtags, path,"
                           " content_hash, duration_ms, width, height, fps, video_codec,"
                           " audio_codec, has_audio, posted_at, simulated, attrs)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 1, ?16)",
                           error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < model->options.n_clips; i++)
    {
      const DemoClip *clip = &model->clips[i];
      g_autofree char *external_id = g_strdup_printf ("clip-%0*u", model->clip_digits, i + 1);
      g_autofree char *attrs = clip_attrs (clip);

      sqlite3_bind_int64 (stmt, 1, i + 1);
      sqlite3_bind_text (stmt, 2, external_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, clip->title, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, clip->caption, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, clip->hashtags, -1, SQLITE_STATIC);
      /* Without media the clip is known as a platform export would know
       * it: length, size and sound, but no file. */
      if (clip->path != NULL)
        {
          sqlite3_bind_text (stmt, 6, clip->path, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 7, clip->content_hash, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 12, "VP8", -1, SQLITE_STATIC);
          if (clip->sound)
            sqlite3_bind_text (stmt, 13, "Vorbis", -1, SQLITE_STATIC);
        }
      sqlite3_bind_int (stmt, 8, clip->duration_ms);
      sqlite3_bind_int (stmt, 9, clip->vertical ? 270 : 480);
      sqlite3_bind_int (stmt, 10, clip->vertical ? 480 : 270);
      sqlite3_bind_double (stmt, 11, VIDEO_FPS);
      sqlite3_bind_int (stmt, 14, clip->sound);
      sqlite3_bind_int64 (stmt, 15, clip->posted_at);
      sqlite3_bind_text (stmt, 16, attrs, -1, SQLITE_STATIC);
      if (!step_done (store, stmt, _("saving the demo clips"), error))
        return FALSE;
      if (clip->analysis != NULL &&
          !cs_clip_store_analysis (store, i + 1, clip->analysis, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_viewers (CsStore       *store,
               DemoModel     *model,
               GCancellable  *cancellable,
               GError       **error)
{
  sqlite3_stmt *stmt;

  stmt = cs_store_prepare (store,
                           "INSERT INTO viewers (id, external_id, simulated, attrs)"
                           " VALUES (?1, ?2, 1, ?3)",
                           error);
  if (stmt == NULL)
    return FALSE;

  for (guint v = 0; v < model->options.n_viewers; v++)
    {
      g_autofree char *external_id = g_strdup_printf ("viewer-%0*u", model->viewer_digits, v + 1);
      g_autofree char *attrs = viewer_attrs (&model->viewers[v]);

      if ((v & 0xfff) == 0xfff && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, v + 1);
      sqlite3_bind_text (stmt, 2, external_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, attrs, -1, SQLITE_STATIC);
      if (!step_done (store, stmt, _("saving the demo viewers"), error))
        return FALSE;
    }
  return TRUE;
}

/* Drops the indexes of @table, returning the SQL that makes them again. */
static gboolean
drop_indexes (CsStore     *store,
              const char  *table,
              GPtrArray  **sql_out,
              GError     **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) sql = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = cs_store_prepare (store,
                           "SELECT name, sql FROM sqlite_master"
                           " WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL"
                           " ORDER BY name",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (sql, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  if (rc != SQLITE_DONE)
    {
      cs_store_set_error (store, error, _("saving the demo project"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);

  for (guint i = 0; i < names->len; i++)
    {
      char *drop = sqlite3_mprintf ("DROP INDEX \"%w\"", (const char *) g_ptr_array_index (names, i));
      gboolean ok = cs_store_exec (store, drop, error);

      sqlite3_free (drop);
      if (!ok)
        return FALSE;
    }

  *sql_out = g_steal_pointer (&sql);
  return TRUE;
}

static char *
options_json (const CsDemoOptions *o)
{
  return g_strdup_printf ("{\"model\":%d,\"seed\":%" G_GUINT64_FORMAT ",\"viewers\":%u,\"clips\":%u,"
                          "\"events\":%" G_GUINT64_FORMAT ",\"days\":%u,\"media\":%s,"
                          "\"start\":\"2026-09-01T00:00:00Z\",\"timezone\":\"UTC\"}",
                          DEMO_MODEL_VERSION, o->seed, o->n_viewers, o->n_clips,
                          o->n_events, o->n_days, o->render_media ? "true" : "false");
}

static gboolean
write_project (const char    *file,
               DemoModel     *model,
               Sink          *sink,
               Progress      *progress,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(CsStore) store = NULL;
  g_autofree char *options = options_json (&model->options);
  g_autoptr(GPtrArray) index_sql = NULL;
  Progress simulating = *progress;
  sqlite3_stmt *stmt;
  sqlite3 *db;

  store = cs_store_open (file, CS_STORE_CREATE, error);
  if (store == NULL)
    return FALSE;
  db = cs_store_get_db (store);

  /* Bulk loading: the generator makes only valid references, and the
   * checks would cost three lookups per event (foreign_keys cannot change
   * inside a transaction). */
  if (!cs_store_exec (store, "PRAGMA foreign_keys = OFF", error))
    return FALSE;
  /* The file is new and is deleted if anything fails, so the write-ahead
   * log would only write every page twice; the journal of the few pages
   * that existed before fits in memory. Sorting for the indexes spills to
   * temporary files rather than growing the process. */
  if (!cs_store_exec (store, "PRAGMA journal_mode = MEMORY", error) ||
      !cs_store_exec (store, "PRAGMA temp_store = FILE", error))
    return FALSE;
  if (!cs_store_begin (store, error))
    return FALSE;

  stmt = cs_store_prepare (store,
                           "INSERT INTO imports (kind, source) VALUES ('demo', 'simulated')",
                           error);
  if (stmt == NULL)
    goto fail;
  if (!step_done (store, stmt, _("saving the demo project"), error))
    goto fail;
  sink->import_id = sqlite3_last_insert_rowid (db);
  sink->store = store;

  if (!write_clips (store, model, error) ||
      !write_viewers (store, model, cancellable, error))
    goto fail;

  /* Building the events indexes once at the end, by sorting, is several
   * times faster than updating them row by row. */
  if (!drop_indexes (store, "events", &index_sql, error))
    goto fail;

  sink->stmt = cs_store_prepare (store,
                                 "INSERT INTO events (import_id, viewer_id, clip_id, time, kind, watch_ms, text)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                 error);
  if (sink->stmt == NULL)
    goto fail;
  /* Indexing and committing a large log take about a third as long as
   * simulating it. */
  progress_phase (&simulating, progress->from, 0.75 * progress->width);
  if (!simulate (model, sink, 1, &simulating, _("Simulating viewers"), cancellable, error))
    goto fail;
  sink->stmt = NULL;

  progress_report (progress, 0.75, _("Indexing the events"));
  for (guint i = 0; i < index_sql->len; i++)
    if (!cs_store_exec (store, g_ptr_array_index (index_sql, i), error))
      goto fail;
  progress_report (progress, 0.95, _("Saving the project"));

  stmt = cs_store_prepare (store,
                           "UPDATE imports SET rows_read = ?1, rows_imported = ?1 WHERE id = ?2",
                           error);
  if (stmt == NULL)
    goto fail;
  {
    guint64 total = 0;

    for (guint k = 0; k < G_N_ELEMENTS (sink->counts); k++)
      total += sink->counts[k];
    sqlite3_bind_int64 (stmt, 1, total);
    sqlite3_bind_int64 (stmt, 2, sink->import_id);
  }
  if (!step_done (store, stmt, _("saving the demo project"), error))
    goto fail;

  {
    g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, model->options.seed);

    if (!cs_store_set_setting (store, "simulated", "1", error) ||
        !cs_store_set_setting (store, "demo_seed", seed, error) ||
        !cs_store_set_setting (store, "demo_options", options, error))
      goto fail;
  }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto fail;
  if (!cs_store_commit (store, error))
    goto fail;

  /* Projects live in WAL mode (cs_store_open() sets it, but only when
   * opening for writing). */
  if (!cs_store_exec (store, "PRAGMA foreign_keys = ON", error) ||
      !cs_store_exec (store, "PRAGMA journal_mode = WAL", error))
    return FALSE;
  sink->stmt = NULL;
  sink->store = NULL;
  return TRUE;

fail:
  sink->stmt = NULL;
  sink->store = NULL;
  cs_store_rollback (store);
  return FALSE;
}

/* ---------------------------------------------------------------------- */
/* Files                                                                  */

static void
remove_database (const char *file)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (file, suffixes[i], NULL);

      g_remove (name);
    }
}

/* Removes a clips folder we made: only our clip-NNNN.webm files (and the
 * temporary files of rewriting them), then the folder if that left it
 * empty. */
static void
remove_clips_folder (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "clip-") && strstr (name, ".webm") != NULL)
      {
        g_autofree char *file = g_build_filename (folder, name, NULL);

        g_remove (file);
      }
  g_rmdir (folder);
}

static gboolean
rename_file (const char  *from,
             const char  *to,
             GError     **error)
{
  if (g_rename (from, to) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not move “%s” to “%s”: %s"), from, to, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Public API                                                             */

void
cs_demo_options_init (CsDemoOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->seed = 2026;
  options->n_viewers = 400;
  options->n_clips = 36;
  options->n_events = 0;
  options->n_days = 42;
  options->render_media = TRUE;
}

char *
cs_demo_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "clipscope", "Demo.clipscope", NULL);
}

char *
cs_demo_clips_folder (const char *path)
{
  g_autofree char *stem = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_str_has_suffix (path, ".clipscope"))
    stem = g_strndup (path, strlen (path) - strlen (".clipscope"));
  else
    stem = g_strdup (path);
  return g_strconcat (stem, "-clips", NULL);
}

gboolean
cs_demo_create (const char           *path,
                const CsDemoOptions  *options,
                CsProgressFunc        progress,
                gpointer              progress_data,
                GCancellable         *cancellable,
                GError              **error)
{
  return cs_demo_create_full (path, options, NULL, progress, progress_data, cancellable, error);
}

gboolean
cs_demo_create_full (const char           *path,
                     const CsDemoOptions  *options,
                     CsDemoSummary        *summary,
                     CsProgressFunc        progress_func,
                     gpointer              progress_data,
                     GCancellable         *cancellable,
                     GError              **error)
{
  CsDemoOptions defaults;
  g_autoptr(DemoModel) model = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *part_folder = NULL;
  g_autofree char *part_file = NULL;
  g_autofree char *parent = NULL;
  g_autofree char *absolute = NULL;
  Progress progress = { progress_func, progress_data, 0, 1 };
  Sink sink = { 0 };
  gboolean media;
  gboolean folder_moved = FALSE;
  gboolean wal_moved = FALSE;
  double render_share, calibrate_share;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* clips.path holds absolute paths. */
  absolute = g_canonicalize_filename (path, NULL);
  path = absolute;

  if (options == NULL)
    {
      cs_demo_options_init (&defaults);
      options = &defaults;
    }
  if (options->n_viewers == 0 || options->n_clips == 0 || options->n_days == 0)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                   _("A demo project needs at least one viewer, one clip and one day"));
      return FALSE;
    }
  if (options->n_viewers > 100000000 || options->n_clips > 10000000 || options->n_days > 3650)
    {
      g_set_error (error, CS_MODEL_ERROR, CS_MODEL_ERROR_INVALID_PARAM,
                   _("The demo project is limited to 100 million viewers, 10 million clips and 3650 days"));
      return FALSE;
    }
  media = options->render_media;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("“%s” already exists; choose another name or remove it first"), path);
      return FALSE;
    }
  folder = cs_demo_clips_folder (path);
  if (media && g_file_test (folder, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("The folder “%s” already exists; move it away or choose another project name"),
                   folder);
      return FALSE;
    }
  parent = g_path_get_dirname (path);
  if (g_mkdir_with_parents (parent, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the folder “%s”: %s"), parent, g_strerror (saved_errno));
      return FALSE;
    }

  /* Everything is built under temporary names and moved into place at the
   * end, so that an interruption, even a kill, never leaves a half-made
   * project under the real name. Leftovers of an interrupted run are ours. */
  part_file = g_strconcat (path, ".part", NULL);
  part_folder = g_strconcat (folder, ".part", NULL);
  remove_database (part_file);
  remove_clips_folder (part_folder);

  model = demo_model_new (options);

  render_share = media ? 0.5 : 0.0;
  calibrate_share = options->n_events > 0 ? 0.2 * (1.0 - render_share) : 0.0;

  if (media)
    {
      progress_phase (&progress, 0.0, render_share / 2);
      if (!render_clips (model, part_folder, folder, &progress, cancellable, error))
        goto fail;
      progress_phase (&progress, render_share / 2, render_share / 2);
      if (!analyse_clips (model, part_folder, &progress, cancellable, error))
        goto fail;
    }

  if (options->n_events > 0)
    {
      progress_phase (&progress, render_share, calibrate_share);
      if (!calibrate (model, &progress, cancellable, error))
        goto fail;
    }

  progress_phase (&progress, render_share + calibrate_share, 0.97 - render_share - calibrate_share);
  if (!write_project (part_file, model, &sink, &progress, cancellable, error))
    goto fail;

  progress_phase (&progress, 0.97, 0.03);
  progress_report (&progress, 0.0, _("Saving the project"));
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto fail;

  if (media)
    {
      if (!rename_file (part_folder, folder, error))
        goto fail;
      folder_moved = TRUE;
    }
  {
    g_autofree char *part_wal = g_strconcat (part_file, "-wal", NULL);
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);

    /* The checkpoint emptied the log; should it still hold pages, it must
     * travel with the database. */
    if (g_file_test (part_wal, G_FILE_TEST_EXISTS))
      {
        if (!rename_file (part_wal, wal, error))
          goto fail;
        wal_moved = TRUE;
      }
  }
  {
    g_autofree char *part_shm = g_strconcat (part_file, "-shm", NULL);

    g_remove (part_shm);
  }
  if (!rename_file (part_file, path, error))
    goto fail;

  progress_report (&progress, 1.0, _("Saving the project"));

  if (summary != NULL)
    {
      memset (summary, 0, sizeof *summary);
      summary->n_clips = options->n_clips;
      summary->n_viewers = options->n_viewers;
      for (guint k = 0; k < G_N_ELEMENTS (sink.counts); k++)
        {
          summary->n_by_kind[k] = sink.counts[k];
          summary->n_events += sink.counts[k];
        }
      summary->media = media;
    }
  return TRUE;

fail:
  remove_database (part_file);
  remove_clips_folder (part_folder);
  if (folder_moved)
    remove_clips_folder (folder);
  if (wal_moved)
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);

      g_remove (wal);
    }
  return FALSE;
}
