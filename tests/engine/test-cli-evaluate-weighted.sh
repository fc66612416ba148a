#!/bin/sh
# clipscope-cli evaluate --positives weighted:…: the pairs are those of the
# weighted kinds (counted here from the events with sqlite3), the weights
# change iALS and nothing else (EASE reads only which pairs exist), and a
# rule with no positive weight is refused with a message showing the form.
#
# Environment: CS_CLI (path of clipscope-cli).
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

fail () {
  echo "test-cli-evaluate-weighted: $*" >&2
  exit 1
}

[ -n "${CS_CLI:-}" ] || fail "CS_CLI is not set (path of clipscope-cli)"
command -v python3 >/dev/null 2>&1 || fail "python3 is needed"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp"

"$CS_CLI" demo p.clipscope --no-media --clips 60 --viewers 300 >/dev/null 2>&1 || fail "demo failed"
for w in 1 10; do
  "$CS_CLI" evaluate p.clipscope --models "ease;ials:factors=16,iters=5" --k 10 \
      --positives "weighted:like=$w, view=1" --json > w$w.json 2> err.txt ||
    fail "evaluate with like=$w failed: $(cat err.txt)"
done

python3 - w1.json w10.json p.clipscope <<'PY' || fail "wrong weighted comparison"
import json, sqlite3, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a["protocol"]["positives"] == "weighted:view=1,like=1", a["protocol"]
assert b["protocol"]["positives"] == "weighted:view=1,like=10", b["protocol"]

# Pairs with a view or a like, earliest time first; temporal 80 % train.
db = sqlite3.connect(sys.argv[3])
first = {}
for v, c, t in db.execute("SELECT viewer_id, clip_id, time FROM events WHERE kind IN (1, 2)"):
    first[(v, c)] = min(t, first.get((v, c), t))
assert len(first) > 0
n_train = int(0.8 * len(first) + 1e-9)
likes = db.execute("SELECT COUNT(*) FROM events WHERE kind = 2").fetchone()[0]
assert likes > 0, "the demo has no likes"
for d in (a, b):
    assert d["train_pairs"] == n_train, (d["train_pairs"], n_train)
assert a["test_pairs"] == b["test_pairs"]

ease_a, ials_a = a["models"]
ease_b, ials_b = b["models"]
assert ease_a["metrics"] == ease_b["metrics"], "EASE must not see the weights"
assert ials_a["metrics"] != ials_b["metrics"], "iALS must see the weights"
PY

if "$CS_CLI" evaluate p.clipscope --models pop --positives "weighted:like=0" > out.txt 2> err.txt; then
  fail "a rule without a positive weight was accepted"
fi
grep -q "weighted:view=1,like=3,share=5" err.txt || fail "unhelpful message: $(cat err.txt)"
"$CS_CLI" evaluate --help | grep -q "weighted:" || fail "the usage text does not mention weighted rules"
echo ok
