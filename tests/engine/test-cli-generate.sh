#!/bin/sh
# clipscope-cli generate end to end on one real clip: a 32×32 VAE trained
# for 3 steps writes samples.png (an 8 × 8 grid: 8·32 + 9·2 = 274 pixels
# square), losses.csv (a header and 3 rows) and JSON with a run_id; bad
# input gives a non-zero exit and one clear line on stderr.
#
# Environment: CS_CLI (path of clipscope-cli), CS_SHARED_DATA.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

fail () {
  echo "test-cli-generate: $*" >&2
  exit 1
}

[ -n "${CS_CLI:-}" ] || fail "CS_CLI is not set (path of clipscope-cli)"
[ -n "${CS_SHARED_DATA:-}" ] || fail "CS_SHARED_DATA is not set (meson -Dshared_data=PATH)"
command -v python3 >/dev/null 2>&1 || fail "python3 is needed"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp"

"$CS_CLI" import-clips p.clipscope "$CS_SHARED_DATA/videos/mdn-cc0/flower.mp4" >/dev/null

# flower.mp4 lasts 5.055 s: 4 frames a second gives 20 frames, 2 held out.
"$CS_CLI" generate p.clipscope --model vae --size 32 --steps 3 --batch 4 --seed 5 \
  --rate 4 --out out --json > result.json || fail "generate failed"
python3 - <<'PY' || fail "unexpected output"
import json, struct
r = json.load(open("result.json"))
assert r["run_id"] == 1, r
assert r["steps"] == 3 and r["model"] == "vae" and r["size"] == 32, r
assert r["frames"]["train"] == 18 and r["frames"]["heldout"] == 2, r["frames"]
assert r["step_s"] > 0
for k in ("recon_heldout", "kl_heldout", "frechet_pixel_projection", "nearest_real_rms"):
    assert r["quality"][k] is not None, k
rows = open("out/losses.csv").read().splitlines()
assert rows[0] == "step,loss,recon,kl" and len(rows) == 4, rows
png = open("out/samples.png", "rb").read()
assert png[:8] == b"\x89PNG\r\n\x1a\n"
assert struct.unpack(">II", png[16:24]) == (274, 274)
assert r["prior"] == "fitted", r.get("prior")
PY

# The prior is how samples are drawn, not trained: resuming at the same
# step with --prior standard draws the same fixed noise from N(0, I), so
# the grid changes, the stored setting follows, and the training figures
# (held-out reconstruction and KL) stay as they were.
cp out/samples.png fitted.png
"$CS_CLI" generate p.clipscope --resume 1 --steps 3 --prior standard --out out --json > standard.json ||
  fail "resume with --prior standard failed"
python3 - p.clipscope <<'PY' || fail "--prior standard on resume"
import json, sqlite3, sys
a = json.load(open("result.json"))
b = json.load(open("standard.json"))
assert b["prior"] == "standard" and b["steps"] == 3, b
for k in ("recon_heldout", "kl_heldout"):
    assert abs(a["quality"][k] - b["quality"][k]) < 1e-9 * max(1, abs(a["quality"][k])), (k, a["quality"], b["quality"])
assert open("fitted.png", "rb").read() != open("out/samples.png", "rb").read()
db = sqlite3.connect(sys.argv[1])
assert db.execute("SELECT json_extract(params, '$.prior') FROM runs WHERE id = 1").fetchone()[0] == "standard"
PY

expect_error () {
  pattern=$1
  shift
  if "$CS_CLI" "$@" > /dev/null 2> err.txt; then
    fail "“$*” should have failed"
  fi
  grep -q "$pattern" err.txt || fail "“$*”: expected “$pattern” in: $(cat err.txt)"
  [ "$(wc -l < err.txt)" -eq 1 ] || fail "“$*”: more than one line on stderr"
}

expect_error "32 or 64" generate p.clipscope --model vae --size 48 --steps 3 --out out
expect_error "vae or dcgan" generate p.clipscope --model gan --steps 3 --out out
expect_error "at least 16" generate p.clipscope --model dcgan --size 32 --steps 3 --rate 1 --out out
expect_error "no Generate run 42" generate p.clipscope --resume 42 --steps 3 --out out
expect_error "standard or fitted" generate p.clipscope --model vae --size 32 --steps 3 --prior wide --out out
expect_error "views or like_rate" generate p.clipscope --model vae --size 32 --steps 3 --condition likes --out out
# No statistics yet: no engagement classes.
expect_error "Import clip statistics" generate p.clipscope --model vae --size 32 --steps 3 --rate 4 \
  --condition views --out out
# 100 MB cannot hold a 64×64 DCGAN (its parameters alone, with gradients and
# Adam moments, take 101 MB): refused before any frame is sampled.
CS_MEMORY_AVAILABLE=100M expect_error "needs about .* of memory" generate p.clipscope --model dcgan \
  --size 64 --steps 3 --out out
exit 0
