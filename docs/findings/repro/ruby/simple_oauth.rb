# frozen_string_literal: true

# Standalone reproductions of the findings of simple_oauth (docs/findings/simple-oauth/):
# SimpleOAuth::Header.new(method, url, params, options), as its README builds the header, with
# the form body's parameters as the Hash its README passes (URI.decode_www_form(body).to_h), the
# signature the header carries, on each finding's smallest input.
#
# Usage: ruby simple_oauth.rb FINDING
require 'json'
require 'simple_oauth'
require 'uri'

# Per finding: the vector (id and file), its request, the stage compared, RFC 5849's value as the
# vector publishes it ("rfc"), and the value the dossier documents ("documented").
# A finding seen on generated cases only names its case (generated:SEED) and docs/findings/examples.json,
# where its input is recorded; its "rfc" is then the reference signer's value for that input (the
# dossier's RFC 5849 column), its "documented" the dossier's library column.
FINDINGS = JSON.parse(<<~'JSON')
  [
{
 "finding": "drops-valueless-query-parameters",
 "vector": "generated:1481179167",
 "file": "docs/findings/examples.json",
 "stage": "signature",
 "request": {
  "method": "PUT",
  "url": "HTTPS://[2001:db8::1]/A?A=%2B%20&c&x_y=%27%2B%3D0&A=%2B%202",
  "content_type": "text/plain",
  "body": "{\"t\":\"😀_\"}"
 },
 "oauth": {
  "token": null,
  "timestamp": "1191242096",
  "nonce": "chapoH",
  "version": "1.0",
  "realm": "http://sp.example.com/",
  "extra": {},
  "consumer_key": "dpf43f3p2l4k3l03",
  "signature_method": "RSA-SHA1"
 },
 "secrets": {
  "consumer_secret": "&?",
  "token_secret": null,
  "rsa_private_key_pem": "generator"
 },
 "rfc": "lX10yWSswXi//8zWvV6r140UahJfLSpKhmABM9ZanX9zicfooW/cb5nWHE7wGQBdkxT0pRPseP7AaKWPPZI6C7Z6O84PNb1us9Q7QqBmAlMQi2Xi7dJPFAHqquXESYeBG/m0RaYDecoSr0IHjEBQFpauuyv8Lcrlp6CDET5dZYY=",
 "documented": "Vgcd9A/XAOWbhyq4xybog3Y8AMgaeIqd8WdbCfRtWd15upAz2NHfMW5f8kFKq9qz6cgjPGNgG01/h1Z7HzS/LFr4dwvFeRZd7cY3kHBINFFyAgYmHXomhKcDPHe3PDdbU8NcLaOCmQESH1bNtFRuINByGCqsmtIkW/5R/iVDuIk="
},
 {
  "finding": "collapses-body-duplicates-last-wins",
  "vector": "wild-bracket-names-in-form-body",
  "file": "vectors/in-the-wild.json",
  "stage": "signature",
  "request": {
   "method": "POST",
   "url": "https://shop.example.com/wp-json/wc/v3/products/batch",
   "content_type": "application/x-www-form-urlencoded",
   "body": "a[]=1&a[]=2&b[c]=d"
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1700000000",
   "nonce": "w1ldn0nce",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "0xBcCLSqcEltH9zdxEC5DRq5ibU=",
  "documented": "LsaEiwPrqPCPqOu6JmIRm1FtjZk="
 },
 {
  "finding": "collapses-duplicates-last-wins",
  "vector": "generated:1481179159",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://api.example.com",
   "content_type": "application/x-www-form-urlencoded",
   "body": "a=&a=2"
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "HMAC-SHA1",
   "timestamp": "137131201",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "",
   "token_secret": null
  },
  "rfc": "pIUA+AGX6uwtl6d8X0NmzaPPxok=",
  "documented": "BgWnVP+/L6PxWRlWK60S9QYYmRA="
 },
 {
  "finding": "drops-empty-values",
  "vector": "generated:1481179648 (shrunk)",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://api.example.com",
   "content_type": "application/x-www-form-urlencoded",
   "body": "a=&a=2"
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "HMAC-SHA1",
   "timestamp": "137131201",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "",
   "token_secret": null
  },
  "rfc": "pIUA+AGX6uwtl6d8X0NmzaPPxok=",
  "documented": "BgWnVP+/L6PxWRlWK60S9QYYmRA="
 },
 {
  "finding": "signs-oauth-signature",
  "vector": "wild-stale-signature-in-query",
  "file": "vectors/in-the-wild.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "https://api.example.com/p?a=1&oauth_signature=prev",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1700000000",
   "nonce": "w1ldn0nce",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "0zl+kA7lht8Aa+C0s4nLTcF63Z4=",
  "documented": "41Aw/sQvQmGa6U1scsRYrpoa4Fg="
 }
]
JSON

GENERATOR_KEY = File.expand_path('../../../../crates/conformance/data/generator-rsa-1024.pem', __dir__)

def signature(entry)
  request, oauth, secrets = entry.values_at('request', 'oauth', 'secrets')
  form = request['content_type'].to_s.split(';').first.to_s.strip.casecmp('application/x-www-form-urlencoded').zero?
  params = request['body'].nil? || !form ? {} : URI.decode_www_form(request['body']).to_h
  # simple_oauth takes an RSA private key's PEM as the consumer secret; a generated case signs
  # with the harness generator's test key (`"rsa_private_key_pem": "generator"`).
  secret = secrets['rsa_private_key_pem'] == 'generator' ? File.read(GENERATOR_KEY) : secrets['consumer_secret']
  options = { consumer_key: oauth['consumer_key'], consumer_secret: secret,
              signature_method: oauth['signature_method'], nonce: oauth['nonce'], timestamp: oauth['timestamp'] }
  options[:version] = oauth['version'] unless oauth['version'].nil?
  options.update(token: oauth['token'], token_secret: secrets['token_secret']) unless oauth['token'].nil?
  SimpleOAuth::Header.new(request['method'], request['url'], params, options).signed_attributes[:oauth_signature]
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

check('simple_oauth') { |entry| signature(entry) }
