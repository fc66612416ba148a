#!/bin/sh
# Runs every libFuzzer target for a bounded time (DESIGN §5).
#   build-aux/fuzz.sh [SECONDS_PER_TARGET]   (default 60)
# Builds with clang in build-fuzz/. New crashes are written to build-fuzz/crashes/;
# add a minimised copy to tests/fuzz/corpus/TARGET/ so the replay test keeps it.
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-60}

if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang meson setup build-fuzz -Dfuzzing=true -Db_sanitize=address,undefined \
    -Db_lundef=false -Dbuildtype=debugoptimized -Dshared_data=${SHARED_DATA:-../shared/data}
fi
meson compile -C build-fuzz
mkdir -p build-fuzz/crashes

status=0
for corpus in tests/fuzz/corpus/*/; do
  target=$(basename "$corpus")
  work=build-fuzz/corpus-$target
  mkdir -p "$work"
  echo "fuzzing $target for ${seconds}s"
  if ! ASAN_OPTIONS=detect_leaks=0 build-fuzz/tests/fuzz/fuzz-$target \
        -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix=build-fuzz/crashes/$target- "$work" "$corpus" >build-fuzz/fuzz-$target.log 2>&1; then
    echo "fuzz-$target found a problem:"
    tail -40 build-fuzz/fuzz-$target.log
    status=1
  else
    grep -E "^#[0-9]+.*DONE|Done [0-9]+ runs" build-fuzz/fuzz-$target.log | tail -1
  fi
done
exit $status
