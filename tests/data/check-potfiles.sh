#!/bin/sh
# Fails when po/POTFILES.in is out of step with the sources:
#  - a C file under app/ engine/ widgets/ cli/ calls _(), N_(), C_(), NC_(), Q_()
#    or ngettext() but is not listed;
#  - a .ui file under resources/ has translatable="yes" but is not listed;
#  - a listed file does not exist;
#  - the list is not sorted (LC_ALL=C).
# Usage: check-potfiles.sh [SOURCE_ROOT]
set -u
LC_ALL=C
export LC_ALL

root=${1:-$(dirname "$0")/../..}
cd "$root" || exit 2
potfiles=po/POTFILES.in
if [ ! -f "$potfiles" ]; then
  echo "$root/$potfiles: not found"
  exit 2
fi

listed=$(mktemp) || exit 2
wanted=$(mktemp) || exit 2
trap 'rm -f "$listed" "$wanted"' EXIT

# Entries without comments, blank lines and surrounding blanks.
sed -e 's/#.*$//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' "$potfiles" \
  | grep -v '^$' > "$listed"

status=0

# Sources that need translation, whether listed or not.
c_call='(^|[^A-Za-z0-9_])(_|N_|C_|NC_|Q_|ngettext|g_dngettext)[[:space:]]*\('
for dir in app engine widgets cli; do
  [ -d "$dir" ] || continue
  find "$dir" -type f \( -name '*.c' -o -name '*.h' \) -exec grep -lE "$c_call" {} +
done | while IFS= read -r f; do
  # A call that only appears in a comment is not extracted, so it does not count.
  sed -e 's|/\*.*\*/||g' -e 's|//.*$||' -e '/^[[:space:]]*\/\*/d' \
      -e '/^[[:space:]]*\*\/\{0,1\}\([[:space:]].*\)\{0,1\}$/d' "$f" \
    | grep -qE "$c_call" && echo "$f"
done > "$wanted"
if [ -d resources ]; then
  find resources -type f -name '*.ui' -exec grep -l 'translatable="yes"' {} + >> "$wanted"
fi

missing=$(sort -u "$wanted" | while IFS= read -r f; do
  grep -qxF "$f" "$listed" || echo "  $f"
done)
if [ -n "$missing" ]; then
  echo "These files have translatable strings but are not in $potfiles:"
  echo "$missing"
  status=1
fi

absent=$(while IFS= read -r f; do
  [ -f "$f" ] || echo "  $f"
done < "$listed")
if [ -n "$absent" ]; then
  echo "These files are listed in $potfiles but do not exist:"
  echo "$absent"
  status=1
fi

if ! sort -c "$listed" 2>/dev/null; then
  echo "$potfiles is not sorted; sort it with: LC_ALL=C sort"
  status=1
fi

dups=$(sort "$listed" | uniq -d)
if [ -n "$dups" ]; then
  echo "These files are listed more than once in $potfiles:"
  echo "$dups" | sed 's/^/  /'
  status=1
fi

if [ "$status" -eq 0 ]; then
  echo "ok: $potfiles lists $(wc -l < "$listed" | tr -d ' ') files and misses none"
fi
exit "$status"
