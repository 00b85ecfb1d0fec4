# audcheck adapter for openid_connect (the gem as Debian ships it, ruby-openid-connect): an
# OpenID Connect relying party verifying an ID token as the gem's README/wiki shows, reporting
# the library's own verdict. Protocol: docs/protocol.md.
#
#   id_token = OpenIDConnect::ResponseObject::IdToken.decode(jwt, jwks)
#   id_token.verify!(issuer: issuer, client_id: client_id, nonce: nonce)
#
# - The key: the provider's JWK Set (JSON::JWK::Set of the case's public JWK), as a relying
#   party passes the discovered jwks; json-jwt picks the key by kid. HS256: the secret itself
#   (a String of its bytes), as a relying party passes its client_secret for HS256 ID tokens;
#   json-jwt 1.14 would take an oct JWK's "k" text as the secret without base64url-decoding it.
# - The audience: client_id: is one value (verify! accepts a token whose aud, a string or an
#   array, includes it), so the target takes one audience. No expected audience (null, or an
#   empty list) leaves client_id: out, as a caller that has none would.
# - The nonce: verify! requires nonce == expected[:nonce]. audcheck tests audiences, not
#   nonces: its OIDC cases carry the nonce the relying party sent (n-0S6_WzA2Mj) and its other
#   cases none. The adapter plays a relying party whose session holds the token's own nonce
#   (the decoded IdToken's nonce, nil when absent), so verify!'s nonce check always passes and
#   never decides a case.
# - exp is checked against the system clock (Time.now); audcheck's run clock is the system
#   clock. IdToken.new raises AttrRequired::AttrMissing when iss, sub, aud, exp or iat is
#   blank (so a missing aud, aud "" or aud [] is rejected at decode).
require 'json'
require 'base64'
require 'openid_connect'

$stdout.sync = true

def send_msg(msg)
  $stdout.write(JSON.generate(msg) + "\n")
end

IdToken = OpenIDConnect::ResponseObject::IdToken

REASONS = [
  [IdToken::InvalidAudience, 'audience'],
  [IdToken::ExpiredToken, 'expired'],
  [IdToken::InvalidIssuer, 'issuer'],
  [IdToken::InvalidNonce, 'other'],
  [JSON::JWT::VerificationFailed, 'signature'],
  [JSON::JWK::Set::KidNotFound, 'signature'],
  [JSON::JWT::InvalidFormat, 'malformed'],
  [JSON::ParserError, 'malformed']
].freeze

# The library's own exceptions: a rejection. Anything else escaping is a crash.
LIBRARY_ERRORS = [IdToken::InvalidToken, JSON::JWT::Exception, AttrRequired::AttrMissing, JSON::ParserError].freeze

def reason(err)
  return (err.message.include?('aud') ? 'missing-aud' : 'other') if err.is_a?(AttrRequired::AttrMissing)
  REASONS.each { |cls, name| return name if err.is_a?(cls) }
  'other'
end

def verify(msg)
  jwk = msg['key']['jwk']
  key = if msg['alg'] == 'HS256'
          Base64.urlsafe_decode64(jwk['k'] + '=' * (-jwk['k'].length % 4))
        else
          JSON::JWK::Set.new(jwk)
        end
  audience = msg['audience']
  expected = { issuer: msg['issuer'] }
  expected[:client_id] = audience[0] unless audience.nil? || audience.empty?
  begin
    id_token = IdToken.decode(msg['token'], key)
    id_token.verify!(**expected, nonce: id_token.nonce)
    { op: 'verify', id: msg['id'], accepted: true }
  rescue *LIBRARY_ERRORS => e
    { op: 'verify', id: msg['id'], accepted: false, reason: reason(e), error: "#{e.class}: #{e.message}" }
  rescue StandardError => e
    # An exception that is not one of the library's own: a crash on this input.
    { op: 'error', id: msg['id'], error: "#{e.class} escaped IdToken.decode/verify!: #{e.message}" }
  end
end

def hello(msg)
  opts = msg['options'] || {}
  return { op: 'error', id: nil, error: "this adapter takes no options, got #{JSON.generate(opts)}" } unless opts.empty?

  { op: 'hello', protocol: 1, library: 'openid_connect', version: OpenIDConnect::VERSION.strip, language: 'ruby',
    # EdDSA needs the optional rbnacl gem, which the Debian package does not pull in.
    capabilities: { algorithms: %w[HS256 RS256 PS256 ES256], audience: 'single' } }
end

$stdin.each_line do |line|
  begin
    msg = JSON.parse(line)
  rescue JSON::ParserError => e
    send_msg({ op: 'error', id: nil, error: "not JSON: #{e.message}" })
    next
  end
  case msg['op']
  when 'hello' then send_msg(hello(msg))
  when 'verify' then send_msg(verify(msg))
  else send_msg({ op: 'error', id: msg['id'], error: "unknown op #{msg['op'].inspect}" })
  end
end
