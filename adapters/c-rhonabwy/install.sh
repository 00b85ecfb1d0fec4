#!/bin/sh
# Installs the Debian packages this adapter uses (the versions Debian ships here) and
# compiles adapter.c against rhonabwy; jansson carries the protocol's JSON.
set -e
for PKG in $(cat apt.txt); do
  dpkg -s "$PKG" >/dev/null 2>&1 || { echo "installing Debian $PKG"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$PKG"; }
done
VERSION=$(dpkg-query -W -f='${Version}' librhonabwy-dev)
gcc -O1 -Wall -o adapter adapter.c -DRHONABWY_DEBIAN_VERSION="\"$VERSION\"" -lrhonabwy -ljansson
