#!/bin/sh
# Starts Apache httpd in the foreground with httpd.conf; the port, the expected audience,
# the issuer and the key server's JWKS URL come from audcheck's environment, which
# httpd.conf reads as ${...}, and the audience lines it writes to aud-<pid>.conf. Options
# (AUDCHECK_OPTIONS): {} (Require oauth2_claim aud:<audience>, one line per audience).
set -e
case "${AUDCHECK_OPTIONS:-{\}}" in
  '{}') ;;
  *) echo "audcheck: unknown options $AUDCHECK_OPTIONS; known: {}" >&2; exit 2 ;;
esac
AUDCHECK_SERVER_ROOT=$(pwd)
# The pid files and audience files of all instances share one directory, named by the pid
# of the run.sh that started them (a port may be handed to two starting instances at once).
AUDCHECK_RUN_DIR=/tmp/audcheck-apache-oauth2
AUDCHECK_PID_FILE="$AUDCHECK_RUN_DIR/httpd-$$.pid"
AUDCHECK_AUD_FILE="$AUDCHECK_RUN_DIR/aud-$$.conf"
export AUDCHECK_SERVER_ROOT AUDCHECK_RUN_DIR AUDCHECK_PID_FILE AUDCHECK_AUD_FILE
mkdir -p "$AUDCHECK_RUN_DIR"
# Those of instances whose run.sh is gone (audcheck stops an instance's process group with
# SIGKILL, which leaves no time to remove them).
for F in "$AUDCHECK_RUN_DIR"/aud-*.conf "$AUDCHECK_RUN_DIR"/httpd-*.pid; do
  [ -f "$F" ] || continue
  OWNER="${F##*-}"
  kill -0 "${OWNER%.*}" 2>/dev/null || rm -f "$F"
done
# The audience lines: one per expected audience, any of them passes (<RequireAny>).
perl audiences.pl > "$AUDCHECK_AUD_FILE"
# httpd writes its pid file once it has read its configuration, and needs neither file
# afterwards: remove both then.
(
  while [ ! -f "$AUDCHECK_PID_FILE" ]; do sleep 0.1; done
  rm -f "$AUDCHECK_AUD_FILE" "$AUDCHECK_PID_FILE"
) &
echo "audcheck-version: $(sh version.sh)"
exec apache2 -DFOREGROUND -d "$AUDCHECK_SERVER_ROOT" -f httpd.conf
