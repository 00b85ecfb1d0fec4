#!/bin/sh
# Starts Apache httpd in the foreground with httpd.conf; the port, the expected audience,
# the issuer and the key server's JWKS URL come from audcheck's environment, which
# httpd.conf reads as ${...}. Options (AUDCHECK_OPTIONS): {} (Require claim aud:<audience>),
# {"aud":"regex"} (Require claim aud~^<escaped audience>$) or {"aud":"not-required"}.
set -e
case "${AUDCHECK_OPTIONS:-{\}}" in
  '{}') DEFINE="-DAUDCHECK_AUD_EXACT" ;;
  '{"aud":"regex"}') DEFINE="-DAUDCHECK_AUD_REGEX" ;;
  '{"aud":"not-required"}') DEFINE="-DAUDCHECK_AUD_NOT_REQUIRED" ;;
  *) echo "audcheck: unknown options $AUDCHECK_OPTIONS; known: {\"aud\":\"regex\"}, {\"aud\":\"not-required\"}" >&2; exit 2 ;;
esac
# Each regex metacharacter escaped with a backslash, written doubled (httpd's parsing of the
# Require line takes one level away).
AUDCHECK_AUD_PATTERN=$(printf '%s' "$AUDCHECK_AUDIENCE" | sed 's/\\/\\\\\\\\/g; s/[]$*+?(){}|.^[]/\\\\&/g')
export AUDCHECK_AUD_PATTERN
AUDCHECK_SERVER_ROOT=$(pwd)
# The pid files of all instances share one directory: audcheck stops a service's whole
# process group, which leaves apache no time to remove its pid file, so each start removes
# those of instances no longer running.
AUDCHECK_RUN_DIR=/tmp/audcheck-apache
mkdir -p "$AUDCHECK_RUN_DIR"
for PIDFILE in "$AUDCHECK_RUN_DIR"/httpd-*.pid; do
  [ -f "$PIDFILE" ] && ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null && rm -f "$PIDFILE"
done
export AUDCHECK_SERVER_ROOT AUDCHECK_RUN_DIR
echo "audcheck-version: $(dpkg-query -W -f='${Version}' libapache2-mod-auth-openidc)"
apache2 -DFOREGROUND "$DEFINE" -d "$AUDCHECK_SERVER_ROOT" -f httpd.conf
