# frozen_string_literal: true

# Standalone reproduction of the verifier finding of simple_oauth (docs/findings/simple-oauth/):
# SimpleOAuth::Header.new(method, url, form_params, authorization_header).valid?(consumer_secret:,
# token_secret:, ignore_extra_keys: true), as its README verifies a header, on the smallest
# request RFC 5849 makes a server refuse.
#
# Usage: ruby simple_oauth_verify.rb FINDING. Exits 0 while simple_oauth still accepts it, 3 when
# it refuses it (retire the dossier).
require 'json'
require 'simple_oauth'
require 'uri'

# Per finding: the vector (id and file), the request as received, the server's secrets and clock,
# RFC 5849's verdict as the vector publishes it ("rfc") and the documented one.
FINDINGS = JSON.parse(<<~'JSON')
  [
 {
  "finding": "verifier-accepts-invalid",
  "vector": "verify-missing-consumer-key",
  "file": "vectors/verify.json",
  "stage": "verdict",
  "request": {
   "method": "POST",
   "url": "https://api.example.com/v1/notes?draft=true",
   "content_type": "application/x-www-form-urlencoded",
   "body": "title=Hello%20World&tags=a+b",
   "headers": [
    [
     "Authorization",
     "OAuth oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1700000000\", oauth_nonce=\"b8c6f2a1d4e94e2f\", oauth_signature=\"9Mr4KRqPctRi7ZytxjwUSVKmFE0%3D\""
    ]
   ]
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_public_key_pem": null
  },
  "now": 1700000060,
  "rfc": "rejected (missing_parameter)",
  "documented": "accepted"
 }
]
JSON

def verdict(entry)
  request, secrets = entry.values_at('request', 'secrets')
  authorization = request['headers'].find { |name, _| name.casecmp('authorization').zero? }&.last.to_s
  form = request['content_type'].to_s.split(';').first.to_s.strip.casecmp('application/x-www-form-urlencoded').zero?
  params = request['body'].nil? || !form ? {} : URI.decode_www_form(request['body']).to_h
  header = SimpleOAuth::Header.new(request['method'], request['url'], params, authorization)
  valid = header.valid?(consumer_secret: secrets['consumer_secret'], token_secret: secrets['token_secret'],
                        ignore_extra_keys: true)
  valid ? 'accepted' : entry['rfc']
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

check('simple_oauth') { |entry| verdict(entry) }
