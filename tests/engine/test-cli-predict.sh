#!/bin/sh
# clipscope-cli predict-eval end to end on a simulated project: the JSON
# follows DESIGN §7 (run_id, per model per fold and mean metrics, the
# corrected t-test against the best), the run is stored, and bad input gives
# a non-zero exit and one clear line on stderr.
#
# Environment: CS_CLI (path of clipscope-cli).
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

fail () {
  echo "test-cli-predict: $*" >&2
  exit 1
}

[ -n "${CS_CLI:-}" ] || fail "CS_CLI is not set (path of clipscope-cli)"
command -v python3 >/dev/null 2>&1 || fail "python3 is needed"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp"

"$CS_CLI" demo p.clipscope --no-media --clips 90 --viewers 200 >/dev/null 2>&1 || fail "demo failed"

"$CS_CLI" predict-eval p.clipscope --target views:terciles --features text,time \
  --models "majority;nb;logreg" --folds 3 --seed 4 --json > out.json 2> err.txt \
  || fail "predict-eval failed: $(cat err.txt)"

python3 - out.json <<'PY' || fail "the JSON does not follow DESIGN §7"
import json, math, sys
d = json.load(open(sys.argv[1]))
assert d["run_id"] > 0
assert d["protocol"] == {"name": "stratified-kfold", "folds": 3, "seed": 4}
assert d["target"]["classes"] == ["low", "medium", "high"]
assert sum(d["target"]["class_counts"]) == d["n_clips"] == 90
names = [m["name"] for m in d["models"]]
assert names == ["majority", "nb", "logreg"], names
for m in d["models"]:
    assert m["status"] == "done"
    for k in ("accuracy", "balanced_accuracy", "macro_f1", "roc_auc", "log_loss", "fit_s", "predict_s"):
        v = m["metrics"][k]
        assert len(v["folds"]) == 3
        assert abs(v["mean"] - sum(v["folds"]) / 3) < 1e-9
    assert sum(map(sum, m["confusion"])) == 90
    # Every clip once, out of fold: its (truth, predicted) cell counts add
    # up to the confusion matrix, and the predicted class is the likeliest.
    classes = d["target"]["classes"]
    clips = m["clips"]
    assert len(clips) == 90 and len({c["clip_id"] for c in clips}) == 90, len(clips)
    cells = [[0] * 3 for _ in classes]
    for c in clips:
        cells[classes.index(c["truth"])][classes.index(c["predicted"])] += 1
        assert abs(sum(c["proba"]) - 1) < 1e-6, c
        assert c["proba"][classes.index(c["predicted"])] == max(c["proba"]), c
        assert 0 <= c["fold"] < 3
    assert cells == m["confusion"], (cells, m["confusion"])
    assert "p_vs_best" in m
# The baseline predicts one class: balanced accuracy 1/3 on every fold.
assert all(abs(x - 1 / 3) < 1e-9 for x in d["models"][0]["metrics"]["balanced_accuracy"]["folds"])
best = [m for m in d["models"] if m["name"] == d["best"]][0]
assert best["p_vs_best"] is None
assert all(m["p_vs_best"] is None or 0 <= m["p_vs_best"] <= 1 for m in d["models"])
PY

run_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["run_id"])' out.json)
[ -n "$run_id" ] || fail "no run_id"

# Bad input: one line on stderr, non-zero exit, and it says what to do.
check_bad () {
  expected=$1
  shift
  if "$CS_CLI" predict-eval p.clipscope "$@" > /dev/null 2> err.txt; then
    fail "predict-eval $* should fail"
  fi
  [ "$(wc -l < err.txt)" -eq 1 ] || fail "predict-eval $*: expected one line on stderr, got: $(cat err.txt)"
  grep -q "$expected" err.txt || fail "predict-eval $*: expected “$expected” in: $(cat err.txt)"
}
check_bad "fewer than the 40 folds" --target views:terciles --models nb --folds 40
check_bad "Unknown model" --models "nb;forest"
check_bad "leave the content features out" --features content --models nb
check_bad "Unknown target metric" --target popularity:terciles --models nb
check_bad "at least 2" --folds 1 --models nb
