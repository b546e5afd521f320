# frozen_string_literal: true

# Standalone reproductions of the findings of signet (docs/findings/signet/): a
# Signet::OAuth1::Client as its documentation builds one, generate_authenticated_request(method:,
# uri:, headers:, body:) (or the temporary / token credential request for oauth_callback /
# oauth_verifier), the signature read back from the Authorization header it writes, on each
# finding's smallest input. signet draws the nonce and timestamp itself: they are fixed by
# replacing Signet::OAuth1.generate_nonce / generate_timestamp.
#
# Usage: ruby signet.rb FINDING
require 'json'
# signet's HMAC-SHA1 calls Base64 without requiring it (its callers load it).
require 'base64'
require 'signet/oauth_1/client'

# Per finding: the vector (id and file), its request, the stage compared, RFC 5849's value as the
# vector publishes it ("rfc"), and the value the dossier documents ("documented").
FINDINGS = JSON.parse(<<~'JSON')
  [
 {
  "finding": "collapses-duplicates-last-wins",
  "vector": "edge-more-repeated-name-first-value-empty",
  "file": "vectors/edge-cases-more.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://example.com/request?a=&a=x&a=y&b=",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "nnch734d00sl2jdk",
   "timestamp": "1700000000",
   "nonce": "h0ld0utn0nce",
   "version": "1.0",
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
  "rfc": "x2pby22NnEwCE+kT6f3WFYbqu4U=",
  "documented": "4TnBc+Q5LkqROL3qr4mfhNs6Nog="
 },
 {
  "finding": "decodes-pchar-path-escapes",
  "vector": "lib-signet-encoded-url-in-path",
  "file": "vectors/libraries-sign.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://photos.example.net/https%3A%2F%2Fwww.example.com?file=vacation.jpg&size=original",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "nnch734d00sl2jdk",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": "1.0",
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
  "rfc": "OzgzXHOW9I3ck0VPt2Qlnawzo+M=",
  "documented": "4kWI7LMo7bOrFfHTaJ681kfnnkU="
 },
 {
  "finding": "ignores-form-body",
  "vector": "lib-oauthruby-put-form-body-signed",
  "file": "vectors/libraries-sign.json",
  "stage": "signature",
  "request": {
   "method": "PUT",
   "url": "http://example.com/test",
   "content_type": "application/x-www-form-urlencoded",
   "body": "key2=value2"
  },
  "oauth": {
   "token": null,
   "timestamp": "1199645624",
   "nonce": "225579211881198842005988698334675835446",
   "version": "1.0",
   "realm": null,
   "extra": {},
   "consumer_key": "consumer_key_86cad9",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "5888bf0345e5d237",
   "token_secret": null,
   "rsa_private_key_pem": null
  },
  "rfc": "srJBx0vbnRPFIZrAj6mF7GsPl68=",
  "documented": "8Jfs8AtwC0NgLskSylFBG0m7nzE="
 },
 {
  "finding": "plaintext-signature-encoded",
  "vector": "lib-oauthruby-plaintext-header",
  "file": "vectors/libraries-sign.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://example.com/test?key=value",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "token_411a7f",
   "timestamp": "1199645624",
   "nonce": "225579211881198842005988698334675835446",
   "version": "1.0",
   "realm": null,
   "extra": {},
   "consumer_key": "consumer_key_86cad9",
   "signature_method": "PLAINTEXT"
  },
  "secrets": {
   "consumer_secret": "5888bf0345e5d237",
   "token_secret": "3196ffd991c8ebdb",
   "rsa_private_key_pem": null
  },
  "rfc": "5888bf0345e5d237&3196ffd991c8ebdb",
  "documented": "5888bf0345e5d237%263196ffd991c8ebdb"
 },
 {
  "finding": "query-name-space-as-plus",
  "vector": "lib-gomodule-special-characters",
  "file": "vectors/libraries-sign.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://PHOTOS.example.net:8001/Photos?photo%20size=300%25&title=Back%20of%20%24100%20Dollars%20Bill",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "nnch734d(0)0sl2jdk",
   "timestamp": "1191242096",
   "nonce": "kllo~9940~pd9333jh",
   "version": "1.0",
   "realm": null,
   "extra": {},
   "consumer_key": "dpf43f3++p+#2l4k3l03",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "secret01",
   "token_secret": "secret02",
   "rsa_private_key_pem": null
  },
  "rfc": "n1UAoQy2PoIYizZUiWvkdCxM3P0=",
  "documented": "IfZScIxsLrhUx2iScVnNPWqKHR4="
 },
 {
  "finding": "splits-whole-url-on-ampersand-and-question-mark",
  "vector": "edge-more-encoded-equals-in-query-name",
  "file": "vectors/edge-cases-more.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://example.com/request?a%3Db=c",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "nnch734d00sl2jdk",
   "timestamp": "1700000000",
   "nonce": "h0ld0utn0nce",
   "version": "1.0",
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
  "rfc": "1zyztsmeJ9UVnnhxu9keBUyw8FQ=",
  "documented": "61TMZqRagS+MeJAObG2zLCpcls8="
 }
]
JSON

def fix_nonce_and_timestamp(nonce, timestamp)
  Signet::OAuth1.define_singleton_method(:generate_nonce) { nonce }
  Signet::OAuth1.define_singleton_method(:generate_timestamp) { timestamp }
end

def signature(entry)
  request, oauth, secrets = entry.values_at('request', 'oauth', 'secrets')
  fix_nonce_and_timestamp(oauth['nonce'], oauth['timestamp'])
  rsa = oauth['signature_method'].start_with?('RSA-')
  token_secret = oauth['token'].nil? ? nil : secrets['token_secret'] || ''
  client = Signet::OAuth1::Client.new(
    client_credential_key: oauth['consumer_key'],
    client_credential_secret: (rsa ? secrets['rsa_private_key_pem'] : secrets['consumer_secret']) || '',
    token_credential_key: oauth['token'], token_credential_secret: token_secret,
    temporary_credential_key: oauth['token'], temporary_credential_secret: token_secret,
    two_legged: oauth['token'].nil?
  )
  options = { signature_method: oauth['signature_method'], realm: oauth['realm'] }
  extra = (oauth['extra'] || {}).dup
  signed =
    if extra.key?('oauth_callback')
      client.temporary_credential_uri = request['url']
      client.callback = extra.delete('oauth_callback')
      client.generate_temporary_credential_request(**options, additional_parameters: extra.to_a)
    elsif extra.key?('oauth_verifier')
      client.token_credential_uri = request['url']
      client.generate_token_credential_request(**options, verifier: extra['oauth_verifier'])
    else
      headers = request['content_type'].nil? ? [] : [['Content-Type', request['content_type']]]
      client.generate_authenticated_request(**options, method: request['method'], uri: request['url'],
                                                       headers: headers, body: request['body'] || '')
    end
  params = Signet::OAuth1.parse_authorization_header(signed.headers['Authorization'])
  value = params.find { |name, _| name == 'oauth_signature' }[1]
  # PLAINTEXT's dossier compares the value as sent in the header, before the one decoding
  # parse_authorization_header applies.
  entry['stage'] == 'authorization_header' ? signed.headers['Authorization'] : value
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

check('signet') { |entry| signature(entry) }
