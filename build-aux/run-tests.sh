#!/bin/sh
# Runs the whole meson test suite, under a private X server and session bus when
# there is no display (CI, ssh).
set -eu
builddir=${1:-build}
shift || true
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  exec dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" \
    meson test -C "$builddir" --print-errorlogs "$@"
fi
exec meson test -C "$builddir" --print-errorlogs "$@"
