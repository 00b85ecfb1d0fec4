#!/bin/sh
# Starts Apache httpd in the foreground with httpd.conf; the port, the expected audience,
# the issuer and the key server's JWKS URL come from audcheck's environment, which
# httpd.conf reads as ${...}, and the audience lines it writes to aud-<port>.conf. Options
# (AUDCHECK_OPTIONS): {} (Require claim aud:<audience>), {"aud":"regex"} (Require claim
# aud~^<escaped audience>$) or {"aud":"not-required"}.
set -e
case "${AUDCHECK_OPTIONS:-{\}}" in
  '{}') DEFINE="-DAUDCHECK_AUD_EXACT" ;;
  '{"aud":"regex"}') DEFINE="-DAUDCHECK_AUD_REGEX" ;;
  '{"aud":"not-required"}') DEFINE="-DAUDCHECK_AUD_NOT_REQUIRED" ;;
  *) echo "audcheck: unknown options $AUDCHECK_OPTIONS; known: {\"aud\":\"regex\"}, {\"aud\":\"not-required\"}" >&2; exit 2 ;;
esac
AUDCHECK_SERVER_ROOT=$(pwd)
# The pid files and audience files of all instances share one directory.
AUDCHECK_RUN_DIR=/tmp/audcheck-apache
mkdir -p "$AUDCHECK_RUN_DIR"
# (Files over a minute old only: a starting instance has written its audience file but not
# yet its pid file.)
for F in $(find "$AUDCHECK_RUN_DIR" -maxdepth 1 \( -name 'aud-*.conf' -o -name 'httpd-*.pid' \) -mmin +1); do
  OLD_PORT="${F##*-}"
  PIDFILE="$AUDCHECK_RUN_DIR/httpd-${OLD_PORT%.*}.pid"
  [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null && continue
  rm -f "$F"
done
# The audience lines: one per expected audience, any of them passes (<RequireAny>).
case "$DEFINE" in *REGEX) FORM=regex ;; *) FORM=exact ;; esac
perl audiences.pl "$FORM" > "$AUDCHECK_RUN_DIR/aud-$AUDCHECK_PORT.conf"
export AUDCHECK_SERVER_ROOT AUDCHECK_RUN_DIR
# httpd writes its pid file once it has read its configuration, and needs neither file
# afterwards: remove both then. (audcheck stops an instance with SIGKILL, so one stopped
# within moments of its start leaves them; a later start removes them.)
(
  while [ ! -f "$AUDCHECK_RUN_DIR/httpd-$AUDCHECK_PORT.pid" ]; do sleep 0.1; done
  rm -f "$AUDCHECK_RUN_DIR/aud-$AUDCHECK_PORT.conf" "$AUDCHECK_RUN_DIR/httpd-$AUDCHECK_PORT.pid"
) &
echo "audcheck-version: $(dpkg-query -W -f='${Version}' libapache2-mod-auth-openidc)"
apache2 -DFOREGROUND "$DEFINE" -d "$AUDCHECK_SERVER_ROOT" -f httpd.conf
