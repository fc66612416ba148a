#!/bin/sh
# Installs the Debian 12 packages Clipscope needs to build, run and test, if any
# are missing. Safe to run again: it does nothing when everything is there.
set -eu

packages="
  gcc pkg-config meson ninja-build gettext
  libglib2.0-dev libglib2.0-dev-bin libgtk-4-dev libadwaita-1-dev
  libsqlite3-dev sqlite3 libjson-glib-dev libyajl-dev libzip-dev libxml2-dev libopenblas-dev liblapacke-dev
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly gstreamer1.0-libav
  gstreamer1.0-tools gstreamer1.0-plugins-base-apps
  libgtk-4-media-gstreamer
  desktop-file-utils appstream
  xvfb xauth dbus dbus-x11 at-spi2-core
  librsvg2-bin poppler-utils imagemagick xdotool
  fonts-cantarell fonts-noto-cjk
  clang libclang-rt-14-dev
  python3-numpy python3-scipy
  libicu-dev liblinear-dev libsvm-dev libxgboost-dev
  python3-sklearn python3-xgboost
  python3-torch
"

missing=""
for p in $packages; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

[ -z "$missing" ] && exit 0

echo "Installing missing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
  sudo=""
else
  sudo="sudo"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
