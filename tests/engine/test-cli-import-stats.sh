#!/bin/sh
# clipscope-cli import-stats end to end on a small Chinese creator-centre
# table: the guessed mapping, values (万, %, 5月31日 with --year), rejects in
# the JSON, the unmatched list, re-import replacing stats, --map, and one
# clear line on stderr for bad input.
#
# Environment: CS_CLI (path of clipscope-cli).
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

fail () {
  echo "test-cli-import-stats: $*" >&2
  exit 1
}

[ -n "${CS_CLI:-}" ] || fail "CS_CLI is not set (path of clipscope-cli)"
[ -x "$CS_CLI" ] || fail "CS_CLI=$CS_CLI is not an executable"
command -v python3 >/dev/null 2>&1 || fail "python3 is needed to check the JSON"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp"

cat > stats.csv <<'CSV'
作品ID,作品名称,发布时间,播放量,点赞,完播率
a1,第一条 #日常,5月31日 23:54,1.4万,"1,234",35.2%
a2,第二条,6月1日 08:00,12abc,5,10%
a3,第三条,6月2日 12:00,2.3亿,12K,0.5
CSV

"$CS_CLI" import-stats p.clipscope stats.csv --year 2020 --time-zone +08:00 --json > first.json \
  || fail "import-stats failed"
"$CS_CLI" import-stats p.clipscope stats.csv --year 2020 --time-zone +08:00 --json > second.json \
  || fail "the second import-stats failed"
"$CS_CLI" import-stats p.clipscope stats.csv --year 2020 --time-zone +08:00 \
  --map views=点赞,likes= --json > mapped.json || fail "import-stats --map failed"

python3 - first.json second.json mapped.json p.clipscope <<'PY' || fail "the JSON or the project is not as expected"
import json, sqlite3, sys
first, second, mapped = (json.load(open(p)) for p in sys.argv[1:4])
assert first["rows_read"] == 3 and first["rows_imported"] == 2 and first["rows_rejected"] == 1, first
assert first["mapping"] == {"clip": "作品ID", "title": "作品名称", "post_time": "发布时间",
                            "views": "播放量", "likes": "点赞", "completion_rate": "完播率"}, first["mapping"]
assert first["rejects"][0]["line"] == 3, first["rejects"]
assert first["rejects"][0]["reason"] == "column “播放量”: “12abc” is not a number", first["rejects"]
assert first["rejects"][0]["raw"].startswith("a2,第二条,"), first["rejects"]
assert first["unmatched"] == ["a1", "a3"] and first["clips_created"] == 2, first
# Again: the same clips, their stats replaced.
assert second["unmatched"] == [] and second["clips_linked"] == 2 and second["stats_replaced"] == 2, second
assert mapped["mapping"]["views"] == "点赞" and "likes" not in mapped["mapping"], mapped["mapping"]
db = sqlite3.connect(sys.argv[4])
rows = db.execute("SELECT c.external_id, c.posted_at, c.hashtags, s.views, s.likes, s.completion_rate "
                  "FROM clips c JOIN clip_stats s ON s.clip_id = c.id ORDER BY c.external_id").fetchall()
# 2020-05-31 23:54 and 2020-06-02 12:00 at UTC+8; views from 点赞 after --map.
# a2 is in now: its "12abc" views are no longer read. 2020-06-01 08:00 at UTC+8.
assert rows == [("a1", 1590940440, "日常", 1234.0, None, 0.352),
                ("a2", 1590969600, None, 5.0, None, 0.1),
                ("a3", 1591070400, None, 12000.0, None, 0.5)], rows
assert db.execute("SELECT count(*) FROM clip_stats").fetchone() == (3,)
PY

# Bad input: a non-zero exit and one line that says what to do.
for args in "p.clipscope missing.csv" "p.clipscope stats.csv --map nope=x" \
            "p.clipscope stats.csv --time-zone Mars/Base" "p.clipscope stats.csv --encoding EBCDIC"; do
  # shellcheck disable=SC2086
  if "$CS_CLI" import-stats $args > out.txt 2> err.txt; then
    fail "import-stats $args succeeded"
  fi
  [ "$(wc -l < err.txt)" -eq 1 ] || fail "import-stats $args: not one line on stderr: $(cat err.txt)"
  grep -q '^clipscope-cli: ' err.txt || fail "import-stats $args: $(cat err.txt)"
done
printf 'foo,bar\n1,2\n' > nothing.csv
if "$CS_CLI" import-stats p.clipscope nothing.csv 2> err.txt; then
  fail "a table without clips was imported"
fi
grep -q 'clip=COLUMN' err.txt || fail "no hint to --map clip=COLUMN: $(cat err.txt)"
echo "import-stats: ok"
