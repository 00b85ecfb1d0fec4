# Writes the audience lines of httpd.conf's <RequireAny> from AUDCHECK_AUDIENCES (a JSON
# array), one "Require oauth2_claim" line per expected audience, as a user lists them:
#   Require oauth2_claim "aud:<audience>"
# (mod_oauth2 3.3.1 has only this exact form; liboauth2's "aud~<regex>" is commented out.)
# Perl and JSON::PP come with Debian's apache2 (it depends on perl).
use strict;
use warnings;
use JSON::PP;
my $audiences = JSON::PP->new->utf8->decode($ENV{AUDCHECK_AUDIENCES});
binmode STDOUT, ':encoding(UTF-8)';
print "<RequireAny>\n";
for my $aud (@$audiences) {
    # httpd's ap_getword_conf reads the quoted word; a backslash before the quote or before
    # another backslash is taken away, so both are written doubled.
    (my $value = $aud) =~ s/([\\"])/\\$1/g;
    print "    Require oauth2_claim \"aud:$value\"\n";
}
print "</RequireAny>\n";
