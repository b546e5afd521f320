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
FINDINGS = JSON.parse(<<~'JSON')
  [
 {
  "finding": "collapses-duplicates-last-wins",
  "vector": "lib-ddo-put-form-repeated-name",
  "file": "vectors/libraries-sign.json",
  "stage": "signature",
  "request": {
   "method": "PUT",
   "url": "http://localhost:3737/rest/profiles/1ea2a42f-e14d-4057-8bcd-3e0b4514a267/properties?alt=json",
   "content_type": "application/x-www-form-urlencoded",
   "body": "currentbrowserversion=1&currentbrowserversion=5&currentbrowserversion=dfadfadfa"
  },
  "oauth": {
   "token": null,
   "timestamp": "1445951836",
   "nonce": "tKOQtKan8PHIrIoOlrl17zHkZQ2H5CsP",
   "version": "1.0",
   "realm": "https://ddo.me/",
   "extra": {},
   "consumer_key": "batch-dbc2cd8c-6ca8-463b-96e2-6d8683eac6fd",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "4S4Rvm25CJZWv7HBg5HOhhlRTBSZ7npl",
   "token_secret": null,
   "rsa_private_key_pem": null
  },
  "rfc": "ri0lfv4udd2uQmkg5cCPVqLruyk=",
  "documented": "EP1jJjyX3L5X5IpX1GTgCIzjQZ8="
 }
]
JSON

def signature(entry)
  request, oauth, secrets = entry.values_at('request', 'oauth', 'secrets')
  form = request['content_type'].to_s.split(';').first.to_s.strip.casecmp('application/x-www-form-urlencoded').zero?
  params = request['body'].nil? || !form ? {} : URI.decode_www_form(request['body']).to_h
  options = { consumer_key: oauth['consumer_key'], consumer_secret: secrets['consumer_secret'],
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
