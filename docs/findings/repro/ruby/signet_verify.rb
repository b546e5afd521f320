# frozen_string_literal: true

# Standalone reproduction of the verifier finding of signet (docs/findings/signet/):
# Signet::OAuth1::Server.new(client_credential:, token_credential:, nonce_timestamp:)
# .authenticate_resource_request(method:, uri:, headers:, body:), as its documentation verifies a
# request, with the vector's secrets and a nonce_timestamp Proc that accepts a decimal timestamp
# within 300 s of the vector's clock, on the smallest request RFC 5849 makes a server refuse.
#
# Usage: ruby signet_verify.rb FINDING. Exits 0 while signet still accepts it, 3 when it refuses
# it (retire the dossier).
require 'json'
# signet's HMAC-SHA1 calls Base64 without requiring it (its callers load it).
require 'base64'
require 'signet/oauth_1/server'

# Per finding: the vector (id and file), the request as received, the server's secrets and clock,
# RFC 5849's verdict as the vector publishes it ("rfc") and the documented one.
FINDINGS = JSON.parse(<<~'JSON')
  [
 {
  "finding": "verifier-accepts-invalid",
  "vector": "edge-more-verify-oauth-prefixed-query-param-with-header",
  "file": "vectors/edge-cases-more.json",
  "stage": "verdict",
  "request": {
   "method": "GET",
   "url": "https://api.example.com/x?oauth_foo=bar&x=1",
   "content_type": null,
   "body": null,
   "headers": [
    [
     "Authorization",
     "OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1700000000\", oauth_nonce=\"h0ld0utn0nce\", oauth_signature=\"jdbsqkWOLElhQBvRcleJ0Vj0k80%3D\""
    ]
   ]
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_public_key_pem": null
  },
  "now": 1700000000,
  "rfc": "rejected (parameter_in_multiple_locations)",
  "documented": "accepted"
 }
]
JSON

def verdict(entry)
  request, secrets, now = entry.values_at('request', 'secrets', 'now')
  headers = request['headers'].map(&:dup)
  headers << ['Content-Type', request['content_type']] unless request['content_type'].nil?
  server = Signet::OAuth1::Server.new(
    client_credential: ->(key) { Signet::OAuth1::Credential.new(key, secrets['consumer_secret'] || '') },
    token_credential: ->(key) { Signet::OAuth1::Credential.new(key, secrets['token_secret'] || '') },
    nonce_timestamp: ->(_nonce, timestamp) { timestamp.to_s.match?(/\A\d+\z/) && (timestamp.to_i - now).abs <= 300 }
  )
  accepted = server.authenticate_resource_request(method: request['method'], uri: request['url'], headers: headers,
                                                  body: request['body'] || '', two_legged: secrets['token_secret'].nil?)
  accepted.nil? ? entry['rfc'] : 'accepted'
end

# Prints the library's value next to RFC 5849's and exits 0 (as documented), 3 (fixed: retire the
# dossier) or 4 (a third value).
def check(name)
  entry = FINDINGS.find { |e| e['finding'] == ARGV[0] }
  abort "usage: #{$PROGRAM_NAME} FINDING (one of: #{FINDINGS.map { |e| e['finding'] }.join(', ')})" if entry.nil?
  value = yield entry
  puts "finding:  #{entry['finding']} (vector #{entry['vector']}, #{entry['stage']})"
  puts "#{name}: #{value}"
  puts "RFC 5849: #{entry['rfc']}"
  if value == entry['rfc']
    puts "fixed: #{name} now agrees with RFC 5849"
    exit 3
  end
  return if value == entry['documented']

  puts "changed: the dossier documents #{entry['documented']}"
  exit 4
end

check('signet') { |entry| verdict(entry) }
