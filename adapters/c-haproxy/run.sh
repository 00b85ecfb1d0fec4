#!/bin/sh
# Starts HAProxy in the foreground with haproxy.cfg; the expected audience, issuer and port
# come from audcheck's environment (AUDCHECK_AUDIENCE, AUDCHECK_ISSUER, AUDCHECK_PORT),
# which haproxy.cfg reads as "${...}".
echo "audcheck-version: $(sh version.sh)"
exec haproxy -db -f haproxy.cfg
