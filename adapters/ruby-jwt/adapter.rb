# audcheck adapter for ruby-jwt (the jwt gem as Debian ships it): JWT.decode with the
# expected audience in aud: and verify_aud: true, as its README shows, reporting the
# library's own verdict. Protocol: docs/protocol.md.
#
# Targets (options in hello):
#   ruby-jwt                 aud: [expected audiences] (an Array, as the README's example)
#   ruby-jwt+string          aud: "expected audience" (one String)
#   ruby-jwt+no-verify-aud   aud: [...] without verify_aud: true (misuse: ruby-jwt then
#                            checks no audience at all; verify_aud defaults to false)
require 'json'
require 'base64'
require 'openssl'
require 'jwt'

$stdout.sync = true
$options = {}

def send_msg(msg)
  $stdout.write(JSON.generate(msg) + "\n")
end

REASONS = [
  [JWT::InvalidAudError, 'audience'],
  [JWT::ExpiredSignature, 'expired'],
  [JWT::ImmatureSignature, 'not-yet-valid'],
  [JWT::InvalidIssuerError, 'issuer'],
  [JWT::VerificationError, 'signature'],
  [JWT::IncorrectAlgorithm, 'signature'],
  [JWT::DecodeError, 'malformed']
].freeze

def reason(err)
  REASONS.each { |cls, name| return name if err.is_a?(cls) }
  'other'
end

def key_of(msg)
  if msg['alg'] == 'HS256'
    k = msg['key']['jwk']['k']
    Base64.urlsafe_decode64(k + '=' * (-k.length % 4))
  else
    OpenSSL::PKey.read(msg['key']['pem'])
  end
end

def verify(msg)
  audience = msg['audience']
  decode_options = { algorithm: msg['alg'] }
  unless msg['issuer'].nil?
    decode_options[:iss] = msg['issuer']
    decode_options[:verify_iss] = true
  end
  unless audience.nil?
    # One String for +string; an empty list of expected audiences is passed on as it is.
    decode_options[:aud] = $options['aud'] == 'string' && !audience.empty? ? audience[0] : audience
    decode_options[:verify_aud] = true unless $options['verify_aud'] == false
  end
  begin
    JWT.decode(msg['token'], key_of(msg), true, decode_options)
    { op: 'verify', id: msg['id'], accepted: true }
  rescue JWT::DecodeError => e
    { op: 'verify', id: msg['id'], accepted: false, reason: reason(e), error: "#{e.class}: #{e.message}" }
  rescue StandardError => e
    # An exception that is not one of ruby-jwt's own: a crash of the library on this input.
    { op: 'error', id: msg['id'], error: "#{e.class} escaped JWT.decode: #{e.message}" }
  end
end

KNOWN = { 'aud' => ['string'], 'verify_aud' => [false] }.freeze

def hello(msg)
  opts = msg['options'] || {}
  opts.each do |k, v|
    unless KNOWN.key?(k) && KNOWN[k].include?(v)
      return { op: 'error', id: nil, error: "unknown option #{k}=#{v.inspect}; known: aud (\"string\"), verify_aud (false)" }
    end
  end
  $options = opts
  { op: 'hello', protocol: 1, library: 'ruby-jwt', version: JWT::VERSION::STRING, language: 'ruby',
    # EdDSA needs the optional rbnacl gem, which the Debian package does not pull in.
    capabilities: { algorithms: %w[HS256 RS256 PS256 ES256],
                    audience: $options['aud'] == 'string' ? 'single' : 'any-of' } }
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
