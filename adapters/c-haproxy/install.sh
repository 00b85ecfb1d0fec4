#!/bin/sh
# Installs the Debian package this adapter drives, the version Debian ships here.
set -e
for PKG in $(cat apt.txt); do
  dpkg -s "$PKG" >/dev/null 2>&1 || { echo "installing Debian $PKG"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$PKG"; }
done
haproxy -v | head -1
sh version.sh >/dev/null
