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
# A finding seen on generated cases only names its case (generated:SEED) and docs/findings/examples.json,
# where its input is recorded; its "rfc" is then the reference signer's value for that input (the
# dossier's RFC 5849 column), its "documented" the dossier's library column.
FINDINGS = JSON.parse(<<~'JSON')
  [
 {
  "finding": "collapses-duplicates-last-wins",
  "vector": "generated:1481179466 (shrunk)",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "POST",
   "url": "http://api.example.com?a&a=2",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "RSA-SHA1",
   "timestamp": "137131201",
   "nonce": "chapoH",
   "version": "1.0",
   "realm": null,
   "extra": {
    "oauth_callback": "http://printer.example.com/ready?x=1&y=2"
   },
   "compute_body_hash": true
  },
  "secrets": {
   "consumer_secret": "*a&€",
   "token_secret": null,
   "rsa_private_key_pem": "-----BEGIN RSA PRIVATE KEY-----\nMIICXAIBAAKBgQC0g9GuFlLxDzT87A03L8Y6nvolTRKRli12uhtj05zEBmVc5X9E\nPrMXAI/lglBhUepXT4zqiOd4ZhzGRHekm9pfhVOewxYyXDtOpHS00IF0ZIxJP/be\nT+UU2W/X9e27HibCMcPuck/SXZ6nyJcVN47odJyIlhhFX1qslVLhxRQxJQIDAQAB\nAoGAebVi+4hrtcJ2DI2vP2VDtySXLe0wNt7VmnZSn1T/Hp/dWewWidHod/rWCn15\napSLdwDY1w0lW+UlQ3zIWkEG0zwON35ZjrqIVJ7bllZif9x9EF9wy2vMchwQQ4Q3\n6+Z8tjbM85NdnSpJo2SxHIAjlexgMf1pSEHsRMqTTHmpLsECQQDl3lo46dihp/JG\nEyrFmbCU2w6M27C5d8qJ2SCgXhGg+th5HDqP3pmr3TcYgCSVN16a0QODDk+yB3st\naCpNY7YVAkEAyQkskwUL6j0oVevUkjQJIZ0Y9HxKX1M8t1xdqKHquNjx9O+lGPhb\n5At71S7O7nr7rVKs9x5AKeUg7JVC6bbi0QJAd2MSzPh3cQ5/QHH4BwUZt1ZGqlX3\n5XwYD5xb266/zTI7eDt3Fv3wJlkQooL7fRxy4EmqX0jxj29fRGgTgHpHOQJANsOu\nBdrhFQ1V+JoGzVEpj6OZEbjuFau6JYUe6no5U+OdfgjuY6/8cFIEiN14d5S/DMcx\n4Ru3hPIrFufOU5aDkQJBAI6lQEyy2mkM5Ej1x65HXAi5Uekb2vn5k1ciCMuACpuK\nV+sFjBSKDPQK2+Ogj+eLFy/MhS3zaAtXIRuspMhTifo=\n-----END RSA PRIVATE KEY-----\n"
  },
  "rfc": "c649/PumveCZpA4NrzDz7uOlHy4X3JHPj2wKZVSxTddSFMZR9YzjmFoM0ALIPdEktFoM/F1FhMJpOJLLc7O5tgit6VdVqGW69Qxzknsi5pF6IXQ0VvYRFsx6qikMzgOt2FvwLTeDuuwyWdtbFavGvlPcw+xggzyLCE/IVmdJRYA=",
  "documented": "mr1fGkBIn5H8V+Tm/f73A4rfbnxv+EIj1u9Yh0/nNNH+0X6fY//25wBX79hFZaNX4FYrCis8paunGsSPyE9E9q3tSq+wQqbMc+jk59JL2Z/K8tWZmCLIpG7akxuCR86Yq+Hgf4R/ilLL/2rgcNbdRlL66RJTtZ4Ni7gzgus+Ecc="
 },
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
  "finding": "drops-valueless-query-parameters",
  "vector": "generated:1481179416",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "https://[::1]:8443/?a-b&a-b=&a%5B%5D=Z%C3%A9&z=&a%5B%5D=Z%C3%A92",
   "content_type": "application/x-www-form-urlencoded; charset=utf-8",
   "body": ""
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": "1.0",
   "realm": "Photos",
   "extra": {
    "oauth_callback": "oob"
   }
  },
  "secrets": {
   "consumer_secret": "😀_😀",
   "token_secret": "ü&_~&"
  },
  "rfc": "IdMYNXzNacXQHQS53wvbJZUy1vI=",
  "documented": "QNi2n6P6CJdrAdij9TziFYxeyEE="
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
