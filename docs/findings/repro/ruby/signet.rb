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
# A finding seen on generated cases only names its case (generated:SEED) and docs/findings/examples.json,
# where its input is recorded; its "rfc" is then the reference signer's value for that input (the
# dossier's RFC 5849 column), its "documented" the dossier's library column.
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
  "finding": "collapses-query-duplicates-last-wins",
  "vector": "generated:1481179347",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "POST",
   "url": "https://API.Example.COM:?x_y=%2F%F0%9F%98%80.&b=%25%C3%BC%F0%9F%98%80&x_y=%2F%F0%9F%98%80.2",
   "content_type": "application/x-www-form-urlencoded",
   "body": "a-b=&n_-b.=%C3%BC%201.~&n=%27&n_-b.=%C3%BC%201.~2"
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
   "consumer_secret": "Z+!é",
   "token_secret": null
  },
  "rfc": "AbAWaIcwHKxvlTGLBbzpizBS+KQ=",
  "documented": "P+y+bZ81IdohdLNyHj6p5Y5E2JY="
 },
 {
  "finding": "decodes-equals-in-query-names",
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
  "finding": "decodes-unreserved-path-escapes",
  "vector": "generated:1481179267",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "get",
   "url": "https://127.0.0.1:8080/@/v1%2fitems/%7Euser?n%C3%A9.%2F%2A%25=&a1=",
   "content_type": "application/x-www-form-urlencoded; charset=utf-8",
   "body": ""
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "t%k n",
   "signature_method": "HMAC-SHA1",
   "timestamp": "137131201",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "",
   "token_secret": "'😀0"
  },
  "rfc": "IFWc3fzn7t4ITLPywQFwvLfq64s=",
  "documented": "c8K05zuu79DTwux69g1dvhTBM3g="
 },
 {
  "finding": "drops-empty-values",
  "vector": "generated:1481180096",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "DELETE",
   "url": "HTTPS://[2001:db8::1]:/?a%5B%5D=&A=_.%F0%9F%98%80%3F%3F&z=%26b&a=%2A&a=%2A2",
   "content_type": "application/x-www-form-urlencoded; charset=utf-8",
   "body": "b&a1=a%20%C3%BC%F0%9F%98%80%2A&filter%5B0%5D%5Bid%5D=%F0%9F%98%80%2Fb%C3%A9"
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "t%k n",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "chapoH",
   "version": "1.0",
   "realm": "Example",
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "😀",
   "token_secret": "~&"
  },
  "rfc": "MKaz6hdSDLoxgrLCCs00M6t+pUo=",
  "documented": "BnCcG3ZBwgdYghW3gABLkbX/fHA="
 },
 {
  "finding": "empty-path-not-slash",
  "vector": "generated:1481179444",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "POST",
   "url": "HTTPS://[::1]:?a%5Bb%5D&a%5Bb%5D=",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "RSA-SHA1",
   "timestamp": "1191242096",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": "http://sp.example.com/",
   "extra": {
    "oauth_callback": "http://printer.example.com/ready?x=1&y=2"
   }
  },
  "secrets": {
   "consumer_secret": "/€?€+",
   "token_secret": null,
   "rsa_private_key_pem": "-----BEGIN RSA PRIVATE KEY-----\nMIICXAIBAAKBgQC0g9GuFlLxDzT87A03L8Y6nvolTRKRli12uhtj05zEBmVc5X9E\nPrMXAI/lglBhUepXT4zqiOd4ZhzGRHekm9pfhVOewxYyXDtOpHS00IF0ZIxJP/be\nT+UU2W/X9e27HibCMcPuck/SXZ6nyJcVN47odJyIlhhFX1qslVLhxRQxJQIDAQAB\nAoGAebVi+4hrtcJ2DI2vP2VDtySXLe0wNt7VmnZSn1T/Hp/dWewWidHod/rWCn15\napSLdwDY1w0lW+UlQ3zIWkEG0zwON35ZjrqIVJ7bllZif9x9EF9wy2vMchwQQ4Q3\n6+Z8tjbM85NdnSpJo2SxHIAjlexgMf1pSEHsRMqTTHmpLsECQQDl3lo46dihp/JG\nEyrFmbCU2w6M27C5d8qJ2SCgXhGg+th5HDqP3pmr3TcYgCSVN16a0QODDk+yB3st\naCpNY7YVAkEAyQkskwUL6j0oVevUkjQJIZ0Y9HxKX1M8t1xdqKHquNjx9O+lGPhb\n5At71S7O7nr7rVKs9x5AKeUg7JVC6bbi0QJAd2MSzPh3cQ5/QHH4BwUZt1ZGqlX3\n5XwYD5xb266/zTI7eDt3Fv3wJlkQooL7fRxy4EmqX0jxj29fRGgTgHpHOQJANsOu\nBdrhFQ1V+JoGzVEpj6OZEbjuFau6JYUe6no5U+OdfgjuY6/8cFIEiN14d5S/DMcx\n4Ru3hPIrFufOU5aDkQJBAI6lQEyy2mkM5Ej1x65HXAi5Uekb2vn5k1ciCMuACpuK\nV+sFjBSKDPQK2+Ogj+eLFy/MhS3zaAtXIRuspMhTifo=\n-----END RSA PRIVATE KEY-----\n"
  },
  "rfc": "DatVS2bpoq5GhO6rhH+xDVBIHiCkYWcXRwRDGfxHO3xYU3tjhdN3r4NTE5DsgvA2IVpcXXrWCq/JCY26rT+0djQ/ki+AgSty6nqzH3SsYUtkUJzQY+EBtAjvdIoFAhkNpDLcUKhSp8mxHcdkCyZjOfYo80R5MVYpfPSaQqA1DYg=",
  "documented": "oqI92JMDNt+1QA1ZVO6RKa6IqrDptyTGJPHYU8HOd/QdhVMKc66AiYLytQQP17n2HQNneMfnQvcJMOk+o6MwjXOftzLtHRpcLHHVZfeDtcVhhZ5MwEys0mp8OwFE/2tYJk3u3SP3TyyOEd6+I6ji96xhp2OWRWnxMpupnRSLrIM="
 },
 {
  "finding": "empty-value-replaced-by-repeat",
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
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "😀_😀",
   "token_secret": "ü&_~&"
  },
  "rfc": "VBkOi6O449JYROebDhAw8Qa8st0=",
  "documented": "QhJMUjC21QGGONT5i8gctsvMEyU="
 },
 {
  "finding": "form-content-type-case-sensitive",
  "vector": "generated:1481179161",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "POST",
   "url": "http://api.example.com:80/x;y=z",
   "content_type": "Application/X-WWW-Form-URLEncoded",
   "body": "a1=.%C3%A9&a-b=%21&z=%2A&a1=.%C3%A92"
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "HMAC-SHA1",
   "timestamp": "1700000000",
   "nonce": "kllo9940pd9333jh",
   "version": "1.0",
   "realm": "http://sp.example.com/",
   "extra": {}
  },
  "secrets": {
   "consumer_secret": " ",
   "token_secret": null
  },
  "rfc": "tAf13z4YyVOLEObcQVkF669zjes=",
  "documented": "ve9/fZIOdkBJpx67CAolpIE6Mts="
 },
 {
  "finding": "signs-form-body-for-post-only",
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
  "finding": "sends-form-body-in-header",
  "vector": "lib-oauthruby-post-form",
  "file": "vectors/libraries-sign.json",
  "stage": "authorization_header",
  "request": {
   "method": "POST",
   "url": "http://example.com/test",
   "content_type": "application/x-www-form-urlencoded",
   "body": "key=value"
  },
  "oauth": {
   "token": "token_411a7f",
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
   "token_secret": "3196ffd991c8ebdb",
   "rsa_private_key_pem": null
  },
  "parameter": "key",
  "rfc": "(absent)",
  "documented": "key=\"value\""
 },
 {
  "finding": "sorts-joined-pairs",
  "vector": "generated:1481179439",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "PUT",
   "url": "http://127.0.0.1/!$&'()*+,;=/a%3Fb/?A=&n%27b_%F0%9F%98%80=&n=",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "HMAC-SHA1",
   "timestamp": "1700000000",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "=-+.+",
   "token_secret": null
  },
  "rfc": "JcQXEgnXH+FXFVyiXO4EqatsQYI=",
  "documented": "Gu4uhyD4XSasNLv/z1Z+65m6P5w="
 },
 {
  "finding": "strips-bracket-indexes",
  "vector": "wild-nested-index-names",
  "file": "vectors/in-the-wild.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "https://shop.example.com/api/rest/products?filter%5B0%5D%5Bin%5D%5B2%5D=b&filter%5B0%5D%5Bin%5D%5B10%5D=a&limit=21",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "nnch734d00sl2jdk",
   "timestamp": "1700000000",
   "nonce": "w1ldn0nce",
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
  "rfc": "c0O6bVnJFiCtqDoZ3VVn4cKn89E=",
  "documented": "igzNDIn6cdWshoZvgURx5jieGJM="
 },
 {
  "finding": "uppercases-path-escapes",
  "vector": "generated:1481179237",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "DELETE",
   "url": "https://api.example.com:443/photos/a/v1%2fitems",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "PLAINTEXT",
   "timestamp": "137131201",
   "nonce": "kllo9940pd9333jh",
   "version": "1.0",
   "realm": "Photos",
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "😀é",
   "token_secret": null
  },
  "rfc": "%F0%9F%98%80%C3%A9&",
  "documented": "%25F0%259F%2598%2580%25C3%25A9%26"
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
  header = signed.headers['Authorization']
  # A finding that shows in the header alone compares how one parameter is written there.
  if entry['parameter']
    return header.delete_prefix('OAuth ').split(', ').find { |s| s.split('=', 2)[0] == entry['parameter'] } || '(absent)'
  end

  params = Signet::OAuth1.parse_authorization_header(header)
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
