#!/bin/sh
# End to end on MovieLens-100K (../shared/data/interactions/ml-100k): import
# the 100,000 ratings as view events, compare all six models under the
# temporal and leave-last-out protocols, check the figures are plausible, that
# every interval holds its mean, and that Popularity, ItemKNN and EASE equal
# an independent reference. The figures are printed for docs/BENCHMARKS.md.
#
# Environment: CS_CLI (path of clipscope-cli), CS_SHARED_DATA (the shared data
# folder). Fails, never skips, when either is missing (DESIGN §6).
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

fail () {
  echo "test-ml100k: $*" >&2
  exit 1
}

[ -n "${CS_CLI:-}" ] || fail "CS_CLI is not set (path of clipscope-cli)"
[ -x "$CS_CLI" ] || fail "CS_CLI=$CS_CLI is not an executable"
[ -n "${CS_SHARED_DATA:-}" ] || fail "CS_SHARED_DATA is not set (the shared data folder)"
inter="$CS_SHARED_DATA/interactions/ml-100k/ml-100k.inter"
[ -f "$inter" ] || fail "missing $inter: configure with -Dshared_data=PATH pointing at the shared data"
command -v python3 >/dev/null 2>&1 || fail "python3 is needed to check the JSON"
# The EASE reference needs NumPy (Debian's python3-numpy, in install-deps.sh);
# an interpreter of one's own on PATH may lack it.
numpy_python=""
for py in python3 /usr/bin/python3; do
  if "$py" -c "import numpy" >/dev/null 2>&1; then
    numpy_python=$py
    break
  fi
done
[ -n "$numpy_python" ] || fail "python3-numpy is needed for the EASE reference: run build-aux/install-deps.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp"

"$CS_CLI" import-events p.clipscope "$inter" --json > import.json \
  || fail "import-events failed"
python3 - import.json <<'PY' || fail "import-events JSON is not as expected"
import json, sys
report = json.load(open(sys.argv[1]))
assert report["rows_imported"] == 100000, report
assert report["rows_rejected"] == 0, report
print("imported", report["rows_imported"], "rows; mapping", report.get("mapping"))
PY

# Both protocols of §4 with every model, Popularity, ItemKNN and EASE
# cross-checked against an independent reading of the definitions
# (ml100k-reference.py: plain Python, NumPy for EASE). The table printed at
# the end is the one in docs/BENCHMARKS.md.
models="pop;itemknn:k=100;userknn:k=50;ease:lambda=500;ials:factors=64,iters=10,reg=0.01,alpha=1;bpr:factors=64,epochs=30,lr=0.05,reg=0.01"
here=$(cd "$(dirname "$0")" && pwd)
for protocol in temporal leave-last-out; do
  start=$(date +%s)
  "$CS_CLI" evaluate p.clipscope --protocol "$protocol" --models "$models" \
    --k 10,20 --json > "eval-$protocol.json" || fail "evaluate --protocol $protocol failed"
  end=$(date +%s)
  "$numpy_python" "$here/ml100k-reference.py" "$inter" "$protocol" 10,20 100 500 > "ref-$protocol.json" \
    || fail "the reference implementation failed"

  python3 - "eval-$protocol.json" "ref-$protocol.json" "$protocol" "$((end - start))" <<'PY' \
    || fail "evaluate --protocol $protocol: JSON is not as expected"
import json, math, sys
result = json.load(open(sys.argv[1]))
reference = json.load(open(sys.argv[2]))
protocol = sys.argv[3]
for key in ("run_id", "protocol", "train_pairs", "test_pairs", "test_viewers", "models"):
    assert key in result, "missing " + key
assert result["run_id"] > 0
assert result["protocol"]["name"] == protocol
if protocol == "temporal":
    # ⌊0.8 · 100000⌋ = 80000 pairs train (ml-100k has no duplicate pairs).
    assert result["train_pairs"] == 80000, result["train_pairs"]
else:
    # Every one of the 943 users has ≥ 20 ratings: one test pair each.
    assert result["test_pairs"] == 943 and result["test_viewers"] == 943, result
for key in ("train_pairs", "test_pairs", "test_viewers"):
    assert result[key] == reference[key], (key, result[key], reference[key])
models = {m["name"]: m for m in result["models"]}
assert sorted(models) == ["bpr", "ease", "ials", "itemknn", "pop", "userknn"], sorted(models)
assert models["itemknn"]["params"] == {"k": 100}, models["itemknn"]["params"]
assert models["ease"]["params"] == {"lambda": 500}, models["ease"]["params"]
names = ("ndcg", "recall", "precision", "hr", "map", "mrr", "coverage")
for model in result["models"]:
    metrics = model["metrics"]
    assert model["status"] == "done", model
    for k in (10, 20):
        for name in names:
            value = metrics["%s@%d" % (name, k)]
            assert 0.0 <= value <= 1.0, (model["name"], name, k, value)
        novelty = metrics["novelty@%d" % k]
        assert math.isfinite(novelty) and novelty >= 0, novelty
    assert metrics["ndcg@10"] > 0.01, (model["name"], metrics["ndcg@10"])
    assert metrics["recall@20"] >= metrics["recall@10"]
    # Every interval holds its mean.
    for key, (lo, hi) in model["ci"].items():
        assert lo <= metrics[key] <= hi, (model["name"], key, lo, metrics[key], hi)
    if model["name"] not in reference["models"]:
        continue
    expected = reference["models"][model["name"]]
    assert sorted(expected) == sorted(metrics), (sorted(expected), sorted(metrics))
    # EASE: LU in NumPy against Cholesky in the engine, both in double.
    tolerance = 1e-6 if model["name"] == "ease" else 1e-9
    for key, value in expected.items():
        assert abs(metrics[key] - value) < tolerance, (model["name"], key, metrics[key], value)

print("ml-100k %s: train %d, test %d pairs, %d test viewers; evaluate took %s s; "
      "Popularity, ItemKNN and EASE equal the reference"
      % (protocol, result["train_pairs"], result["test_pairs"], result["test_viewers"], sys.argv[4]))
# Markdown for docs/BENCHMARKS.md: mean [95 % interval], and Holm-adjusted
# paired-t p against the baseline (the first model, Popularity).
print("| model | fit s | score s | " + " | ".join("%s@%d" % (n, k) for k in (10, 20) for n in names + ("novelty",))
      + " | p(ndcg@10) vs pop |")
print("|---" * (4 + 2 * (len(names) + 1)) + "|")
for model in result["models"]:
    m, ci = model["metrics"], model["ci"]
    cells = []
    for k in (10, 20):
        for n in names + ("novelty",):
            key = "%s@%d" % (n, k)
            cells.append("%.4f" % m[key] + (" [%.4f, %.4f]" % tuple(ci[key]) if key in ci else ""))
    p = model.get("vs_baseline", {}).get("ndcg@10", {}).get("p_holm")
    print("| %s | %.2f | %.2f | %s | %s |" % (model["label"], model["fit_s"], model["score_s"],
                                             " | ".join(cells), "—" if p is None else "%.2g" % p))
PY
done
