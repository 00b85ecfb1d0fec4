#!/bin/sh
# Installs the Debian package this adapter drives (the version Debian ships here) and
# compiles adapter.cpp against its headers; hello reports the installed package version.
set -e
for PKG in $(cat apt.txt); do
  dpkg -s "$PKG" >/dev/null 2>&1 || { echo "installing Debian $PKG"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$PKG"; }
done
VERSION=$(dpkg-query -W -f='${Version}' libcpp-jwt-dev)
g++ -std=c++17 -O1 -o adapter adapter.cpp -DCPP_JWT_DEBIAN_VERSION="\"$VERSION\"" -lssl -lcrypto
