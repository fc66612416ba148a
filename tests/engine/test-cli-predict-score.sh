#!/bin/sh
# clipscope-cli predict-score end to end on a simulated project. Every demo
# clip has events, so the test takes the events of three clips away: those
# three, and only they, are clips without statistics and get a row each,
# with probabilities that sum to 1, the most probable class, and reasons
# where the model has them; a comparison of a number gives each its
# predicted number. Bad input gives a non-zero exit and one clear line on
# stderr.
#
# Environment: CS_CLI (path of clipscope-cli).
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

fail () {
  echo "test-cli-predict-score: $*" >&2
  exit 1
}

[ -n "${CS_CLI:-}" ] || fail "CS_CLI is not set (path of clipscope-cli)"
command -v python3 >/dev/null 2>&1 || fail "python3 is needed"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp"

"$CS_CLI" demo p.clipscope --no-media --clips 60 --viewers 150 >/dev/null 2>&1 || fail "demo failed"

check_bad () {
  expected=$1
  shift
  if "$CS_CLI" predict-score "$@" > /dev/null 2> err.txt; then
    fail "predict-score $* should fail"
  fi
  [ "$(wc -l < err.txt)" -eq 1 ] || fail "predict-score $*: expected one line on stderr, got: $(cat err.txt)"
  grep -q "$expected" err.txt || fail "predict-score $*: expected “$expected” in: $(cat err.txt)"
}

# No comparison yet.
check_bad "no finished prediction comparison yet" p.clipscope --run 1 --model nb

"$CS_CLI" predict-eval p.clipscope --target views:terciles --features text,time \
  --models "majority;nb;logreg;rbfsvm" --folds 3 --seed 5 --json > eval.json 2> err.txt \
  || fail "predict-eval failed: $(cat err.txt)"
run_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["run_id"])' eval.json)

# Every clip has statistics (events) in the demo: nothing to score.
python3 - p.clipscope <<'PY' || fail "the demo is expected to give every clip events"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
assert db.execute("SELECT count(*) FROM clips WHERE id NOT IN (SELECT clip_id FROM events)").fetchone()[0] == 0
PY
check_bad "no new clip to score" p.clipscope --run "$run_id" --model nb

# Three clips lose their events: they are the clips without statistics.
python3 - p.clipscope <<'PY' || fail "could not take the events of three clips away"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
ids = [r[0] for r in db.execute("SELECT id FROM clips ORDER BY id LIMIT 3 OFFSET 10")]
db.execute("DELETE FROM events WHERE clip_id IN (%s)" % ",".join(map(str, ids)))
db.commit()
open("unscored.txt", "w").write(",".join(map(str, ids)))
PY
ids=$(cat unscored.txt)

for model in nb logreg rbfsvm majority; do
  "$CS_CLI" predict-score p.clipscope --run "$run_id" --model "$model" --json > "score-$model.json" 2> err.txt \
    || fail "predict-score --model $model failed: $(cat err.txt)"
  python3 - "score-$model.json" "$ids" "$model" "$run_id" <<'PY' || fail "predict-score --model $model: wrong rows"
import json, sqlite3, sys
d = json.load(open(sys.argv[1]))
want = [int(x) for x in sys.argv[2].split(",")]
model = sys.argv[3]
assert d["run_id"] == int(sys.argv[4]) and d["model"] == model
got = [c["clip_id"] for c in d["clips"]]
assert got == sorted(want), (got, want)
# 60 clips with events less the 3 = the clips the model was fitted on.
assert d["n_train"] == 57, d["n_train"]
db = sqlite3.connect("p.clipscope")
for c in d["clips"]:
    probs = c["probabilities"]
    assert abs(sum(probs.values()) - 1) < 1e-9
    assert c["probability"] == max(probs.values()) == probs[c["class"]]
    assert c["title"] == db.execute("SELECT title FROM clips WHERE id = ?", (c["clip_id"],)).fetchone()[0]
    if model in ("majority", "rbfsvm"):
        assert c["reasons"] == [], c["reasons"]
    else:
        assert 1 <= len(c["reasons"]) <= 3
        mags = [abs(r["contribution"]) for r in c["reasons"]]
        assert mags == sorted(mags, reverse=True)
if model == "rbfsvm":
    assert "no per-clip contributions" in d["reasons_note"]
PY
done

# --clips picks some of them; a text table without --json.
first=${ids%%,*}
"$CS_CLI" predict-score p.clipscope --run "$run_id" --model logreg --clips "$first" > table.txt 2> err.txt \
  || fail "predict-score --clips failed: $(cat err.txt)"
[ "$(grep -c "^$first " table.txt)" -eq 1 ] || fail "the table has no row for clip $first: $(cat table.txt)"

# --reasons 0: the rows without reasons.
"$CS_CLI" predict-score p.clipscope --run "$run_id" --model nb --reasons 0 --json > none.json 2> err.txt \
  || fail "predict-score --reasons 0 failed: $(cat err.txt)"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["clips"]) == 3 and all(c["reasons"] == [] for c in d["clips"])' none.json \
  || fail "--reasons 0 should give 3 rows without reasons"

# Bad input.
check_bad "has no model “gbdt”: choose one of majority, nb, logreg, rbfsvm" p.clipscope --run "$run_id" --model gbdt
check_bad "no finished prediction comparison 999" p.clipscope --run 999 --model nb
check_bad "needs --run" p.clipscope --model nb
check_bad "needs --model" p.clipscope --run "$run_id"
check_bad "already has a value" p.clipscope --run "$run_id" --model nb --clips 1
check_bad "has no clip 99999" p.clipscope --run "$run_id" --model nb --clips 99999
check_bad "Cannot read --clips" p.clipscope --run "$run_id" --model nb --clips "1,a"

# A comparison of a number: each clip gets the predicted number instead of
# a class. The baseline predicts expm1 of the mean log1p(views) over the 57
# clips with events (views are their view events, kind 1), worked out here
# with sqlite3.
"$CS_CLI" predict-eval p.clipscope --target views:value --features text,time --models "majority;logreg;gbdt:rounds=20" \
  --folds 3 --json > reg.json 2> err.txt || fail "predict-eval views:value failed: $(cat err.txt)"
reg_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["run_id"])' reg.json)
for model in majority logreg gbdt; do
  "$CS_CLI" predict-score p.clipscope --run "$reg_id" --model "$model" --json > "reg-$model.json" 2> err.txt \
    || fail "predict-score of a number --model $model failed: $(cat err.txt)"
  python3 - "reg-$model.json" "$ids" "$model" <<'PY' || fail "predict-score of a number --model $model: wrong rows"
import json, math, sqlite3, sys
d = json.load(open(sys.argv[1]))
want = sorted(int(x) for x in sys.argv[2].split(","))
model = sys.argv[3]
assert d["target"] == {"spec": "views:value", "regression": True, "log_scale": True}, d["target"]
assert d["n_train"] == 57, d["n_train"]
assert [c["clip_id"] for c in d["clips"]] == want
db = sqlite3.connect("p.clipscope")
views = [r[0] for r in db.execute("SELECT sum(kind = 1) FROM events GROUP BY clip_id")]
assert len(views) == 57
baseline = math.expm1(sum(math.log1p(v) for v in views) / len(views))
for c in d["clips"]:
    assert not ({"class", "probability", "probabilities"} & set(c)), c
    assert isinstance(c["predicted"], (int, float)) and c["predicted"] >= 0, c
    if model == "majority":
        assert abs(c["predicted"] - baseline) < 1e-9 * baseline, (c["predicted"], baseline)
        assert c["reasons"] == []
    else:
        assert 1 <= len(c["reasons"]) <= 3
        mags = [abs(r["contribution"]) for r in c["reasons"]]
        assert mags == sorted(mags, reverse=True)
        # Views span the demo's clips; a prediction beyond them is wrong.
        assert min(views) / 2 <= c["predicted"] <= max(views) * 2, (c["predicted"], min(views), max(views))
if model != "majority":
    assert len({round(c["predicted"], 6) for c in d["clips"]}) > 1, "every clip got the same number"
PY
done

# The text table: the number where the class and probability were.
"$CS_CLI" predict-score p.clipscope --run "$reg_id" --model logreg > reg-table.txt 2> err.txt \
  || fail "predict-score of a number (text) failed: $(cat err.txt)"
python3 - reg-table.txt reg-logreg.json <<'PY' || fail "the text table of a number is wrong: $(cat reg-table.txt)"
import json, re, sys
lines = open(sys.argv[1]).read().splitlines()
d = json.load(open(sys.argv[2]))
for c in d["clips"]:
    row = [l for l in lines if l.startswith("%d  " % c["clip_id"])]
    assert len(row) == 1, row
    fields = row[0].split("  ")
    # clip id, title, number, reasons
    assert abs(float(fields[2]) - c["predicted"]) <= max(0.5, 1e-3 * c["predicted"]), (fields, c["predicted"])
    assert fields[3].startswith(c["reasons"][0]["feature"]), (fields, c["reasons"])
PY
echo "test-cli-predict-score: ok"
