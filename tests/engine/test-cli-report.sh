#!/bin/sh
# clipscope-cli report end to end: a tiny event log is imported and
# evaluated, the comparison is written as a PDF (pages and text checked with
# pdfinfo and pdftotext), a PNG and an SVG; bad input gives a non-zero exit
# and one clear line on stderr.
#
# Environment: CS_CLI (path of clipscope-cli).
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

fail () {
  echo "test-cli-report: $*" >&2
  exit 1
}

[ -n "${CS_CLI:-}" ] || fail "CS_CLI is not set (path of clipscope-cli)"
[ -x "$CS_CLI" ] || fail "CS_CLI=$CS_CLI is not an executable"
for tool in pdfinfo pdftotext python3; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is needed (poppler-utils, python3)"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp"

# Six viewers, six clips, each viewer's history in time order.
{
  echo "viewer_id,clip_id,event,timestamp"
  t=1000
  for v in 1 2 3 4 5 6; do
    for c in 1 2 3 4 5 6; do
      if [ $(( (v + c) % 3 )) -ne 0 ] || [ "$c" -le 2 ]; then
        echo "v$v,c$c,view,$t"
        t=$((t + 60))
      fi
    done
  done
} > events.csv

"$CS_CLI" import-events p.clipscope events.csv --json > import.json || fail "import-events failed"
"$CS_CLI" evaluate p.clipscope --protocol leave-last-out --models "pop;itemknn:k=5" --k 2,3 --json > eval.json \
  || fail "evaluate failed"
run_id=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["run_id"])' eval.json) \
  || fail "no run_id in the evaluate JSON"

"$CS_CLI" report p.clipscope --run "$run_id" --out r.pdf 2> err.txt || fail "report failed: $(cat err.txt)"
[ ! -s err.txt ] || fail "report wrote to stderr: $(cat err.txt)"
pages=$(pdfinfo r.pdf | sed -n 's/^Pages:[[:space:]]*//p')
# Title, metrics, two chart pages and the significance matrices.
[ "$pages" = 5 ] || fail "expected 5 pages, got '$pages'"
pdftotext -layout r.pdf text.out
for text in "Recommender comparison" "Leave last out" "not comparable" "Metrics" \
            "Popularity" "ItemKNN" "NDCG@2" "Recall@3" "Training time" "NDCG@K" \
            "Which differences are real" "NDCG@2: is the row model better"; do
  grep -qF "$text" text.out || fail "the PDF does not say '$text'"
done
# The table holds the evaluate figures, to 4 decimals.
python3 - eval.json text.out <<'PY' || fail "the PDF table does not match the evaluate JSON"
import json, sys
result = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read()
for model in result["models"]:
    for key in ("ndcg@2", "recall@3", "precision@2"):
        value = "%.4f" % model["metrics"][key]
        assert value in text, (model["name"], key, value)
PY

# The newest comparison when --run is left out; PNG and SVG images.
"$CS_CLI" report p.clipscope --out r.png || fail "report to PNG failed"
python3 - r.png <<'PY' || fail "r.png is not a PNG"
import sys
assert open(sys.argv[1], "rb").read(8) == b"\x89PNG\r\n\x1a\n"
PY
"$CS_CLI" report p.clipscope --run "$run_id" --out r.svg || fail "report to SVG failed"
grep -q "<svg" r.svg || fail "r.svg is not an SVG"

# The table as CSV: the figures of the JSON, full precision.
"$CS_CLI" report p.clipscope --run "$run_id" --out t.csv || fail "report to CSV failed"
python3 - eval.json t.csv <<'PY' || fail "t.csv does not match the evaluate JSON"
import csv, json, sys
result = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2], newline="")))
assert rows and list(rows[0].keys()) == ["model", "label", "metric", "k", "mean", "ci_lo", "ci_hi", "sd",
                                         "p_holm"], rows[:1]
got = {(r["model"], r["metric"] + "@" + r["k"]): r for r in rows if r["k"]}
for model in result["models"]:
    for key, value in model["metrics"].items():
        row = got[(model["name"], key)]
        assert float(row["mean"]) == value, (model["name"], key)
        assert row["sd"] == "", row  # one split: no spread over folds
        if key in model.get("ci", {}):
            assert [float(row["ci_lo"]), float(row["ci_hi"])] == model["ci"][key], (row, model["ci"][key])
        vs = model.get("vs_baseline", {}).get(key)
        assert (row["p_holm"] == "") == (vs is None or vs["p_holm"] is None), (row, vs)
        if row["p_holm"]:
            assert float(row["p_holm"]) == vs["p_holm"], (row, vs)
PY

# Bad input: non-zero exit, one line naming the problem.
expect_fail () {
  what=$1
  pattern=$2
  shift 2
  if "$CS_CLI" "$@" > out.txt 2> err.txt; then
    fail "$what: exit status 0"
  fi
  [ "$(wc -l < err.txt)" -eq 1 ] || fail "$what: expected one line on stderr, got: $(cat err.txt)"
  grep -qF -e "$pattern" err.txt || fail "$what: message does not mention '$pattern': $(cat err.txt)"
}
expect_fail "unknown run" "99999" report p.clipscope --run 99999 --out x.pdf
[ ! -e x.pdf ] || fail "a failed report left x.pdf behind"
expect_fail "unknown extension" ".pdf, .png or .svg" report p.clipscope --run "$run_id" --out r.txt
[ ! -e r.txt.pdf ] && [ ! -e r.txt ] || fail "a refused report left a file"
expect_fail "missing folder" "no-such-folder" report p.clipscope --run "$run_id" --out no-such-folder/r.pdf
expect_fail "no --out" "--out" report p.clipscope --run "$run_id"
expect_fail "no project" "nope.clipscope" report nope.clipscope --out x.pdf
[ ! -e nope.clipscope ] || fail "report created a project"

# Random holdout: every viewer's pairs, counted from events.csv here, go
# round (0.5 · n) (within 1 … n − 1) to held out; the protocol and its seed
# come back in the JSON, and the same seed gives the same split.
"$CS_CLI" evaluate p.clipscope --protocol random:0.5:3 --models pop --k 2 --json > rand1.json \
  || fail "evaluate with random:0.5:3 failed"
"$CS_CLI" evaluate p.clipscope --protocol random:0.5:3 --models pop --k 2 --json > rand2.json \
  || fail "evaluate with random:0.5:3 failed the second time"
python3 - events.csv rand1.json rand2.json <<'PY' || fail "the random holdout split is not as defined"
import collections, csv, json, math, sys
pairs = collections.defaultdict(set)
for row in csv.DictReader(open(sys.argv[1])):
    pairs[row["viewer_id"]].add(row["clip_id"])
held = sum(min(max(math.floor(0.5 * len(c) + 0.5), 1), len(c) - 1) for c in pairs.values() if len(c) >= 2)
total = sum(len(c) for c in pairs.values())
a, b = (json.load(open(f)) for f in sys.argv[2:4])
assert a["protocol"] == {"name": "random", "test_fraction": 0.5, "seed": 3, "positives": "view"}, a["protocol"]
assert a["train_pairs"] == total - held, (a["train_pairs"], total, held)
assert 0 < a["test_pairs"] <= held, (a["test_pairs"], held)
for key in ("train_pairs", "test_pairs", "test_viewers"):
    assert a[key] == b[key], key
assert a["models"][0]["metrics"] == b["models"][0]["metrics"]
PY
expect_fail "random fraction out of range" "random:0.2:42" evaluate p.clipscope --protocol random:1.5:3 --models pop --k 2

echo "ok: report of run $run_id has $pages pages"
