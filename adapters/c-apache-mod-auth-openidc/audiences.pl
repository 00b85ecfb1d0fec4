# Writes the audience lines of httpd.conf's <RequireAny> from AUDCHECK_AUDIENCES (a JSON
# array), one Require claim line per expected audience, as a user lists them:
#   Require claim "aud:<audience>"            (the exact form)
#   Require claim "aud~^<escaped audience>$"  (+regex; each regex metacharacter escaped
#                                              with a backslash written doubled, as httpd's
#                                              parsing of the Require line takes one away)
# Perl and JSON::PP come with Debian's apache2 (it depends on perl).
use strict;
use warnings;
use JSON::PP;
my $audiences = JSON::PP->new->utf8->decode($ENV{AUDCHECK_AUDIENCES});
my $regex = ($ARGV[0] // '') eq 'regex';
binmode STDOUT, ':encoding(UTF-8)';
print "<RequireAny>\n";
for my $aud (@$audiences) {
    if ($regex) {
        (my $pattern = $aud) =~ s/\\/\\\\\\\\/g;
        $pattern =~ s/([\[\]\$*+?(){}|.^])/\\\\$1/g;
        print "    Require claim \"aud~^$pattern\$\"\n";
    } else {
        print "    Require claim \"aud:$aud\"\n";
    }
}
print "</RequireAny>\n";
