#!/usr/bin/perl
# audcheck adapter for Crypt::JWT (as Debian ships it in libcrypt-jwt-perl): decode_jwt
# with verify_aud, as its documentation describes it, reporting the library's own
# verdict. Protocol: docs/protocol.md.
#
# Targets (options in hello):
#   perl-crypt-jwt         verify_aud => 'https://api.example.com' (a Scalar: "'aud' claim
#                          value has to be equal to given string"; one audience)
#   perl-crypt-jwt+regex   verify_aud => qr/^(?:\Qaud1\E|\Qaud2\E)$/ (a Regexp: "'aud' claim
#                          value has to match given regexp"), anchored with ^ and $ and the
#                          audiences quoted, the way the documentation writes its
#                          accepted_alg regexps (qr/^HS(256|384|512)$/)
use strict;
use warnings;
use JSON ();
use MIME::Base64 ();
use Crypt::JWT qw(decode_jwt);

$| = 1;
my $json = JSON->new->utf8->canonical->allow_nonref;
my %options;

sub send_msg { print $json->encode($_[0]), "\n"; }

sub reason {
  my ($err) = @_;
  return 'config'        if $err =~ /JWT: verify_\w+ must be/;
  return 'missing-aud'   if $err =~ /JWT: aud claim required but missing/;
  return 'audience'      if $err =~ /JWT: aud claim/;
  return 'expired'       if $err =~ /JWT: exp claim/;
  return 'not-yet-valid' if $err =~ /JWT: nbf claim/;
  return 'issuer'        if $err =~ /JWT: iss claim/;
  return 'signature'     if $err =~ /JWS: (invalid signature|alg .* accepted_alg)/;
  return 'malformed'     if $err =~ /JWS: invalid|JWT: payload not a valid JSON|payload not decoded/;
  return 'other';
}

sub key_of {
  my ($msg) = @_;
  if ($msg->{alg} eq 'HS256') {
    (my $k = $msg->{key}{jwk}{k}) =~ tr{-_}{+/};
    return MIME::Base64::decode_base64($k);
  }
  my $pem = $msg->{key}{pem};
  return \$pem;
}

sub verify {
  my ($msg) = @_;
  my %args = (token => $msg->{token}, key => key_of($msg), accepted_alg => $msg->{alg});
  $args{verify_iss} = $msg->{issuer} if defined $msg->{issuer};
  my $aud = $msg->{audience};
  if (defined $aud) {
    if (($options{verify_aud} // '') eq 'regex') {
      my $alt = join '|', map { "\Q$_\E" } @$aud;
      $args{verify_aud} = qr/^(?:$alt)$/;
    } else {
      # One string; an empty list of expected audiences is passed on as it is (an ARRAY
      # ref, which decode_jwt refuses as a verify_aud of the wrong kind).
      $args{verify_aud} = @$aud ? $aud->[0] : $aud;
    }
  }
  my $ok = eval { decode_jwt(%args); 1 };
  return { op => 'verify', id => $msg->{id}, accepted => JSON::true } if $ok;
  my $err = "$@";
  $err =~ s/ at \S+ line \d+\.?\n?\z//;
  chomp $err;
  # Crypt::JWT croaks with "JWT: ...", "JWS: ..." or "JWE: ..."; any other die escaped the
  # library on this input (a crash), reported as such.
  if ($err !~ /^JW[STE]: /) {
    return { op => 'error', id => $msg->{id}, error => "decode_jwt died: $err" };
  }
  return { op => 'verify', id => $msg->{id}, accepted => JSON::false, reason => reason($err), error => $err };
}

sub hello {
  my ($msg) = @_;
  my $opts = $msg->{options} || {};
  for my $k (keys %$opts) {
    unless ($k eq 'verify_aud' && defined $opts->{$k} && $opts->{$k} eq 'regex') {
      return { op => 'error', id => undef, error => "unknown option $k; known: verify_aud (\"regex\")" };
    }
  }
  %options = %$opts;
  return { op => 'hello', protocol => 1, library => 'Crypt::JWT', version => "$Crypt::JWT::VERSION",
           language => 'perl',
           capabilities => { algorithms => [qw(HS256 RS256 PS256 ES256 EdDSA)],
                             audience => (($options{verify_aud} // '') eq 'regex' ? 'any-of' : 'single') } };
}

while (my $line = <STDIN>) {
  my $msg = eval { $json->decode($line) };
  if (!defined $msg || ref $msg ne 'HASH') {
    send_msg({ op => 'error', id => undef, error => "not JSON: " . ($@ || 'not an object') });
    next;
  }
  my $op = $msg->{op} // '';
  if ($op eq 'hello') { send_msg(hello($msg)); }
  elsif ($op eq 'verify') { send_msg(verify($msg)); }
  else { send_msg({ op => 'error', id => $msg->{id}, error => "unknown op '$op'" }); }
}
