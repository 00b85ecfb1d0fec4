#!/bin/sh
# Installs the Debian packages this adapter drives, the versions Debian ships here.
set -e
for PKG in $(cat apt.txt); do
  dpkg -s "$PKG" >/dev/null 2>&1 || { echo "installing Debian $PKG"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$PKG"; }
done
dpkg-query -W -f='${Package} ${Version}\n' apache2 libapache2-mod-oauth2 liboauth2-0 liboauth2-apache0
sh version.sh >/dev/null
