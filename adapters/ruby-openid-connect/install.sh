#!/bin/sh
# Installs the Debian packages this adapter drives (listed in apt.txt) when missing.
set -e
for PKG in $(cat apt.txt); do
  dpkg -s "$PKG" >/dev/null 2>&1 || { echo "installing Debian $PKG"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$PKG"; }
done
