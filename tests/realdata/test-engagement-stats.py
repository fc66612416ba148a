#!/usr/bin/env python3
# End to end on the clip-stats tables of ../shared/data/engagement through
# `clipscope-cli import-stats --json`:
#  - weibo-cctv-2020: each of the 11 files into a project of its own (record
#    counts, duplicate posts replacing their earlier row, post times from
#    "5月31日 23:54" with --year 2020 at UTC+8, float counts), then all of them
#    into one project (files 1 and 2 overlap: one clip per distinct post);
#  - bilibili-bangumi: the current table by season id, then the older
#    snapshot (titles only) into the same project, linked by title.
# Every expected figure is computed here with Python's csv module and plain
# Python, not by Clipscope.
#
# Environment: CS_CLI, CS_SHARED_DATA. Fails, never skips, when missing.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import csv
import datetime
import glob
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import unicodedata


def fail(message):
    print("test-engagement-stats: " + message, file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


cli = os.environ.get("CS_CLI")
data = os.environ.get("CS_SHARED_DATA")
if not cli or not os.access(cli, os.X_OK):
    fail("CS_CLI is not set to clipscope-cli")
if not data:
    fail("CS_SHARED_DATA is not set (the shared data folder)")
weibo_dir = os.path.join(data, "engagement", "weibo-cctv-2020")
bili_dir = os.path.join(data, "engagement", "bilibili-bangumi")
for folder in (weibo_dir, bili_dir):
    if not os.path.isdir(folder):
        fail("missing %s: configure with -Dshared_data=PATH pointing at the shared data" % folder)


def read_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def import_stats(project, path, *extra):
    out = subprocess.run([cli, "import-stats", project, path, "--json", *extra],
                         capture_output=True, text=True)
    if out.returncode != 0:
        fail("import-stats %s failed: %s" % (path, out.stderr.strip()))
    return json.loads(out.stdout)


def query(project, sql):
    with sqlite3.connect(project) as db:
        return db.execute(sql).fetchall()


SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


# "5月31日 23:54", sometimes followed by Weibo's "已编辑" (edited). A few
# reposts hold two times ("2月3日 01:13,2月3日 00:16 … 已编辑"): those rows are
# rejected, with the reason and line kept.
WEIBO_TIME = re.compile(r"\s*(\d+)月(\d+)日\s+(\d+):(\d+)\s*(已编辑)?\s*$")


def weibo_time(text):
    m = WEIBO_TIME.match(text)
    check(m is not None, "unexpected Weibo time %r" % text)
    month, day, hour, minute = map(int, m.groups()[:4])
    return int(datetime.datetime(2020, month, day, hour, minute, tzinfo=SHANGHAI).timestamp())


tmp = tempfile.mkdtemp(prefix="clipscope-engagement-")

# Weibo, file by file.
weibo_files = sorted(glob.glob(os.path.join(weibo_dir, "sina_cctv_list_*.csv")),
                     key=lambda p: int(re.search(r"_(\d+)\.csv$", p).group(1)))
check(len(weibo_files) == 11, "expected 11 Weibo files, found %d" % len(weibo_files))
all_last = {}
total_rows = 0
total_bad = 0
for path in weibo_files:
    rows = read_rows(path)
    bad = [r for r in rows if not WEIBO_TIME.match(r["pub_time"])]
    last = {}
    for row in rows:
        if row in bad:
            continue
        last[row["weibo_url"]] = row  # a later row for a post replaces an earlier one
        all_last[row["weibo_url"]] = row
    total_rows += len(rows)
    total_bad += len(bad)

    project = os.path.join(tmp, "weibo-" + os.path.basename(path) + ".clipscope")
    report = import_stats(project, path, "--year", "2020", "--time-zone", "+08:00")
    name = os.path.basename(path)
    check(report["rows_read"] == len(rows), "%s: read %d rows, csv has %d" % (name, report["rows_read"], len(rows)))
    check(report["rows_imported"] == len(rows) - len(bad) and report["rows_rejected"] == len(bad),
          "%s: imported %d, rejected %d: %s" % (name, report["rows_imported"], report["rows_rejected"], report["rejects"][:3]))
    for reject, row in zip(report["rejects"], bad):
        check(reject["reason"].startswith("column “pub_time”: “" + row["pub_time"][:12]) and
              reject["reason"].endswith("is not a time (for example 2020-05-31 23:54)"),
              "%s: reject %s" % (name, reject))
    check(report["mapping"] == {"clip": "weibo_url", "caption": "weibo_content", "hashtags": "weibo_topic",
                                "post_time": "pub_time", "likes": "like", "comments": "comment",
                                "shares": "forward"}, "%s: mapping %s" % (name, report["mapping"]))
    check(report["clips_created"] == len(last), "%s: %d clips, %d distinct posts" % (name, report["clips_created"], len(last)))
    check(len(report["unmatched"]) == len(last), "%s: unmatched list" % name)
    check(report["stats_replaced"] == len(rows) - len(bad) - len(last), "%s: stats_replaced" % name)
    (n_stats, likes, shares, comments), = query(project, "SELECT count(*), sum(likes), sum(shares), sum(comments) FROM clip_stats")
    check(n_stats == len(last), "%s: %d stats rows, expected %d" % (name, n_stats, len(last)))
    check(likes == sum(float(r["like"]) for r in last.values()), "%s: sum of likes" % name)
    check(shares == sum(float(r["forward"]) for r in last.values()), "%s: sum of shares" % name)
    check(comments == sum(float(r["comment"]) for r in last.values()), "%s: sum of comments" % name)
    posted = dict(query(project, "SELECT external_id, posted_at FROM clips"))
    for url, row in last.items():
        check(posted[url] == weibo_time(row["pub_time"]), "%s: posted_at of %s" % (name, url))
    print("%s: %d rows, %d rejected, %d posts" % (name, len(rows), len(bad), len(last)))

# Hand-checked: the first post of file 1, 2020-05-31 23:54 at UTC+8.
project = os.path.join(tmp, "weibo-sina_cctv_list_1.csv.clipscope")
row, = query(project, "SELECT c.posted_at, s.likes, s.comments, s.shares, c.hashtags FROM clips c "
                      "JOIN clip_stats s ON s.clip_id = c.id WHERE c.external_id LIKE '%/J4wN6nMEg?%'")
check(row == (1590940440, 14333.0, 685.0, 3061.0, "医生陶勇送给网友一首诗"), "first post of file 1: %s" % (row,))
tags, = query(project, "SELECT hashtags FROM clips WHERE external_id LIKE '%/J4wHhzlDx?%'")[0]
check(tags.split() == ["中国女排儿童节送祝福", "六一儿童节", "微光云音乐会"], "hashtags of the second post: %r" % tags)

# All Weibo files into one project: one clip per distinct post.
together = os.path.join(tmp, "weibo-all.clipscope")
created = 0
for path in weibo_files:
    created += import_stats(together, path, "--year", "2020", "--time-zone", "+08:00")["clips_created"]
(n_clips,), = query(together, "SELECT count(*) FROM clips")
(n_stats,), = query(together, "SELECT count(*) FROM clip_stats")
check(n_clips == created == len(all_last), "all Weibo files: %d clips, %d distinct posts" % (n_clips, len(all_last)))
check(n_stats == len(all_last), "all Weibo files: %d stats rows" % n_stats)
check(total_rows == 8632, "the Weibo files hold %d rows, not 8,632" % total_rows)
print("weibo: %d rows, %d rejected, %d distinct posts" % (total_rows, total_bad, len(all_last)))

# Bilibili: season ids first.
bili = os.path.join(tmp, "bilibili.clipscope")
current = read_rows(os.path.join(bili_dir, "scores-ss1-ss41790.csv"))
report = import_stats(bili, os.path.join(bili_dir, "scores-ss1-ss41790.csv"))
check(report["rows_read"] == len(current) == 6567, "bilibili: read %d rows" % report["rows_read"])
check(report["rows_imported"] == len(current) and report["rows_rejected"] == 0, "bilibili: rejects %s" % report["rejects"][:3])
check(report["mapping"] == {"clip": "season_id", "title": "title", "views": "views", "likes": "likes",
                            "comments": "reply", "shares": "share", "saves": "favorite"},
      "bilibili: mapping %s" % report["mapping"])
check(report["clips_created"] == len(current), "bilibili: clips created")
(n_stats, views, saves), = query(bili, "SELECT count(*), sum(views), sum(saves) FROM clip_stats")
check(n_stats == len(current), "bilibili: stats rows")
check(views == sum(float(r["views"]) for r in current), "bilibili: sum of views")
check(saves == sum(float(r["favorite"]) for r in current), "bilibili: sum of saves")
row, = query(bili, "SELECT c.title, s.views, s.likes, s.comments, s.shares, s.saves FROM clips c "
                   "JOIN clip_stats s ON s.clip_id = c.id WHERE c.external_id = '7'")
check(row == ("漫研部", 1114990.0, 801.0, 923.0, 455.0, 96.0), "bilibili season 7: %s" % (row,))


def key(text):
    # cs_clip_linker_key(): NFKC, case folded, a video extension dropped,
    # white space and '_' removed.
    folded = unicodedata.normalize("NFKC", text).strip().casefold()
    for ext in (".mp4", ".mov", ".mkv", ".webm", ".avi", ".m4v", ".flv", ".wmv", ".3gp", ".ts",
                ".mpg", ".mpeg", ".ogv"):
        if folded.endswith(ext) and len(folded) > len(ext):
            folded = folded[: -len(ext)]
            break
    return "".join(c for c in folded if not c.isspace() and c != "_")


# The older snapshot has titles only: linked to the clips above by title.
old = read_rows(os.path.join(bili_dir, "scores-old-ss1-ss39050.csv"))
ids = {r["season_id"] for r in current}
id_keys = {key(r["season_id"]) for r in current}
title_keys = {key(r["title"]) for r in current}
new_keys = set()
linked, unmatched = set(), []
for r in old:
    title = r["title"].strip()
    k = key(title)
    if title in ids or k in id_keys:
        fail("a title that is also a season id: %r" % title)
    if k in title_keys:
        linked.add(k)
    elif k not in new_keys:
        new_keys.add(k)
        unmatched.append(title)
report = import_stats(bili, os.path.join(bili_dir, "scores-old-ss1-ss39050.csv"))
check(report["rows_read"] == len(old) == 5700 and report["rows_imported"] == len(old),
      "bilibili old: read %d, imported %d" % (report["rows_read"], report["rows_imported"]))
check(report["mapping"] == {"title": "title"}, "bilibili old: mapping %s" % report["mapping"])
check(report["clips_linked"] == len(linked), "bilibili old: linked %d, expected %d" % (report["clips_linked"], len(linked)))
check(report["clips_created"] == len(unmatched), "bilibili old: created %d, expected %d" % (report["clips_created"], len(unmatched)))
check(report["unmatched"] == unmatched, "bilibili old: the unmatched titles differ")
(n_clips,), = query(bili, "SELECT count(*) FROM clips")
(n_stats,), = query(bili, "SELECT count(*) FROM clip_stats")
check(n_clips == len(current) + len(unmatched), "bilibili: %d clips in all" % n_clips)
check(n_stats == len(current), "bilibili: a table without figures adds no stats")
print("bilibili: %d + %d rows; %d old titles linked, %d new" % (len(current), len(old), len(linked), len(unmatched)))

# The same Weibo file saved by Chinese Excel (GB18030) and as "Unicode Text"
# (UTF-16 with a byte order mark), converted here by Python, imports to
# exactly the same clips and stats as the UTF-8 original.
def stats_rows(project):
    return query(project, "SELECT c.external_id, c.title, c.hashtags, c.posted_at, s.day, s.views, "
                          "s.likes, s.comments, s.shares FROM clip_stats s JOIN clips c ON c.id = s.clip_id "
                          "ORDER BY c.external_id, s.day")


source = os.path.join(weibo_dir, "sina_cctv_list_11.csv")
with open(source, encoding="utf-8-sig", newline="") as f:
    text = f.read()
original = os.path.join(tmp, "encoding-utf8.clipscope")
import_stats(original, source, "--year", "2020", "--time-zone", "+08:00")
expected = stats_rows(original)
check(len(expected) > 100, "weibo 11: only %d stats rows" % len(expected))
for codec, label in (("gb18030", "GB18030"), ("utf-16", "UTF-16")):
    copy = os.path.join(tmp, "sina_cctv_list_11.%s.csv" % codec)
    with open(copy, "w", encoding=codec, newline="") as f:
        f.write(text)
    project = os.path.join(tmp, "encoding-%s.clipscope" % codec)
    report = import_stats(project, copy, "--year", "2020", "--time-zone", "+08:00")
    check(report["encoding"].upper().startswith(label),
          "weibo 11 in %s: detected as %s" % (label, report["encoding"]))
    check(stats_rows(project) == expected, "weibo 11 in %s: the rows differ from UTF-8's" % label)
    print("weibo 11 in %s: %d rows, the same as UTF-8" % (label, len(expected)))

subprocess.run(["rm", "-rf", tmp], check=True)
