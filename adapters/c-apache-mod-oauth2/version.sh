#!/bin/sh
# Prints the version of what this adapter drives, as its Debian packages say. dpkg-query
# takes tens of milliseconds and the gateway is started once per expected audience, so
# the answer is kept in version.txt (written by install.sh) until dpkg changes something.
set -e
if [ ! version.txt -nt /var/lib/dpkg/status ]; then
  echo "$(dpkg-query -W -f='${Version}' libapache2-mod-oauth2) (liboauth2 $(dpkg-query -W -f='${Version}' liboauth2-0))" > version.txt.$$
  mv version.txt.$$ version.txt
fi
cat version.txt
