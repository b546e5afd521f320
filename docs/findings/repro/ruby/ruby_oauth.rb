# frozen_string_literal: true

# Standalone reproductions of the findings of the oauth gem (docs/findings/ruby-oauth/):
# OAuth::Consumer.new(key, secret, site:).sign!(net_http_request, token, signature_method:,
# nonce:, timestamp:, …), as its README signs a Net::HTTP request, the signature read back
# from the Authorization header, on each finding's smallest input.
#
# Usage: ruby ruby_oauth.rb FINDING
require 'json'
require 'oauth'
require 'oauth/client/net_http'
require 'oauth/signature/plaintext'

# Per finding: the vector (id and file), its request, the stage compared, RFC 5849's value as the
# vector publishes it ("rfc"), and the value the dossier documents ("documented").
FINDINGS = JSON.parse(<<~'JSON')
  [
 {
  "finding": "double-slash-path-read-as-authority",
  "vector": "edge-more-double-slash-path",
  "file": "vectors/edge-cases-more.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://example.com//double//slash",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "nnch734d00sl2jdk",
   "timestamp": "1700000000",
   "nonce": "h0ld0utn0nce",
   "version": null,
   "realm": null,
   "extra": {},
   "consumer_key": "dpf43f3p2l4k3l03",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "cC7sohxgYGsn1IBsoYk1dp2/Z1A=",
  "documented": "eApbJt+f5e0Kmhnkh+M7wgSKRVQ="
 },
 {
  "finding": "ignores-form-body",
  "vector": "edge-more-get-with-form-body",
  "file": "vectors/edge-cases-more.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "https://api.example.com/search?q=1",
   "content_type": "application/x-www-form-urlencoded",
   "body": "filter=recent"
  },
  "oauth": {
   "token": "nnch734d00sl2jdk",
   "timestamp": "1700000000",
   "nonce": "h0ld0utn0nce",
   "version": null,
   "realm": null,
   "extra": {},
   "consumer_key": "dpf43f3p2l4k3l03",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "P9SmmLDznYSVgMUmx4TwxS8DKjE=",
  "documented": "eZ6pLV6xPJzOK+2Mpp1T21qWFu8="
 },
 {
  "finding": "method-not-uppercased",
  "vector": "edge-method-custom",
  "file": "vectors/edge-cases.json",
  "stage": "signature",
  "request": {
   "method": "purge",
   "url": "https://example.com/cache/item",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": null,
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "/d1i7NQwsT9UAZdhjzO6Vbd1fhM=",
  "documented": "zqM99gBL3znFMmIUGA1SSRo7KP0="
 },
 {
  "finding": "semicolon-separates-query",
  "vector": "edge-query-semicolon",
  "file": "vectors/edge-cases.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "https://example.com/r?a=1;b=2",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": null,
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "9Y9mog9OtkJ8HEIdobjtImgwB3Q=",
  "documented": "z0DDoYMla1WvC48MtIULQQrSefs="
 },
 {
  "finding": "sorts-unencoded-keys",
  "vector": "edge-more-sort-values-encoded-colon",
  "file": "vectors/edge-cases-more.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://example.com/v?v=0&v=:",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "nnch734d00sl2jdk",
   "timestamp": "1700000000",
   "nonce": "h0ld0utn0nce",
   "version": null,
   "realm": null,
   "extra": {},
   "consumer_key": "dpf43f3p2l4k3l03",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "ZdJ/+epu7E8b677NYxBArw99c74=",
  "documented": "EmiPMx27pt96vpvuvDFfQgDaqo0="
 }
]
JSON

def http_request(method, path, content_type, body)
  headers = content_type.nil? ? {} : { 'Content-Type' => content_type }
  klass = Net::HTTP.const_get(method.capitalize) if method.match?(/\A[A-Z]+\z/) && Net::HTTP.const_defined?(method.capitalize)
  request = if klass && klass < Net::HTTPRequest
              klass.new(path, headers)
            else
              Net::HTTPGenericRequest.new(method, !body.nil?, method != 'HEAD', path, headers)
            end
  request.body = body unless body.nil?
  request
end

def signature(entry)
  request, oauth, secrets = entry.values_at('request', 'oauth', 'secrets')
  # The gem takes the site ("scheme://authority") and the request target separately.
  parts = %r{\A(?<site>[^:/?#]+://[^/?#]*)(?<path>[^#]*)}.match(request['url'])
  path = parts[:path].start_with?('/') ? parts[:path] : "/#{parts[:path]}"
  options = { signature_method: oauth['signature_method'], nonce: oauth['nonce'], timestamp: oauth['timestamp'],
              oauth_version: oauth['version'] || '', realm: oauth['realm'], private_key: secrets['rsa_private_key_pem'] }
  (oauth['extra'] || {}).each { |name, value| options[name.to_sym] = value }
  consumer = OAuth::Consumer.new(oauth['consumer_key'], secrets['consumer_secret'], site: parts[:site])
  token = oauth['token'] && OAuth::Token.new(oauth['token'], secrets['token_secret'])
  http = http_request(request['method'], path, request['content_type'], request['body'])
  consumer.sign!(http, token, options)
  OAuth::Helper.parse_header(http['Authorization'])['oauth_signature']
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

check('oauth gem') { |entry| signature(entry) }
