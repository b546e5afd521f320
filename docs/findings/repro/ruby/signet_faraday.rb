# frozen_string_literal: true

# Standalone reproductions of the live-client findings of signet over Faraday
# (docs/findings/clients/signet-faraday/): a Signet::OAuth1::Client as adapters/ruby-signet's capture
# driver builds it, on the capture case's request (oauth1-conformance capture --case CASE).
#
# * A signature finding calls the signing call, generate_authenticated_request(method:, uri:,
#   headers:, body:, signature_method:), and reads what it signed from the Authorization header it
#   wrote: the nonce and timestamp signet chose go into the RFC 5849 signature base strings written
#   out below, which are signed here with OpenSSL's HMAC-SHA1 and compared with signet's signature.
# * A finding of the request on the wire (a check without a signing diagnosis) lets
#   fetch_protected_resource send the request over a Faraday connection, as the driver does, to a
#   loopback server (loopback.rb), and compares what arrived with what RFC 5849 requires.
#
# The credentials are RFC 5849 §1.2's test set. Usage: ruby signet_faraday.rb CASE. Exits 0 while
# signet behaves as the dossier documents, 3 when it does what RFC 5849 requires (retire the
# dossier), 4 for a third behaviour.
require 'json'
require 'openssl'
# signet's HMAC-SHA1 calls Base64 without requiring it (its callers load it).
require 'base64'
require 'faraday'
require 'signet/oauth_1/client'
require_relative 'loopback'

CONSUMER_KEY = 'dpf43f3p2l4k3l03'
CONSUMER_SECRET = 'kd94hf93k423kf44'
TOKEN = 'nnch734d00sl2jdk'
TOKEN_SECRET = 'pfkkdhi9sl3r4s00'
# The signing-call cases are built for this URL (nothing listens there: nothing is sent).
ORIGIN = 'http://127.0.0.1:8080'

# Per capture case: the request (path and query after the server's origin, content type, body,
# whether it carries the token, the signature method), what is compared ("kind"), and RFC 5849's
# value next to the dossier's:
# * "signature": the request parameters signet writes into the Authorization header ("(none)":
#   the protocol parameters only) and the base string its signature is over ({nonce} and
#   {timestamp} are signet's own); "as_received" is the base string a server builds from the
#   request signet sends (the header's parameters are signed as well, RFC 5849 §3.4.1.3.1);
# * "plaintext": the oauth_signature of the header, as written there;
# * "query": the query of the request that arrived;
# * "header": the request parameters of the header that arrived, written as there.
CASES = JSON.parse(<<~'JSON')
  [
 {
  "case": "brackets-form",
  "kind": "header",
  "method": "POST",
  "path": "/signet-faraday/brackets-form",
  "query": null,
  "content_type": "application/x-www-form-urlencoded",
  "body": "tags[]=x&tags[]=y&user[name]=bob",
  "token": true,
  "signature_method": "HMAC-SHA1",
  "section": "RFC 5849 §3.5.1 (the header carries the protocol parameters) and §3.1 (a parameter MUST NOT appear more than once)",
  "rfc": "no parameter twice",
  "documented": "tags%5B%5D=\"x\", tags%5B%5D=\"y\", user%5Bname%5D=\"bob\""
 },
 {
  "case": "form-and-query",
  "kind": "signature",
  "method": "POST",
  "path": "/signet-faraday/form-and-query",
  "query": "q=1",
  "content_type": "application/x-www-form-urlencoded",
  "body": "b=2",
  "token": true,
  "signature_method": "HMAC-SHA1",
  "section": "RFC 5849 §3.5.1 (the header carries the protocol parameters only); §3.4.1.3.1",
  "rfc": {
   "header_parameters": "(none)",
   "base_string": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Fsignet-faraday%2Fform-and-query&b%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26q%3D1"
  },
  "documented": {
   "header_parameters": "b=\"2\"",
   "base_string": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Fsignet-faraday%2Fform-and-query&b%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26q%3D1"
  },
  "as_received": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Fsignet-faraday%2Fform-and-query&b%3D2%26b%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26q%3D1"
 },
 {
  "case": "form-charset",
  "kind": "signature",
  "method": "POST",
  "path": "/signet-faraday/form-charset",
  "query": null,
  "content_type": "application/x-www-form-urlencoded; charset=utf-8",
  "body": "a=1&n=caf%C3%A9",
  "token": true,
  "signature_method": "HMAC-SHA1",
  "section": "RFC 5849 §3.5.1 (the header carries the protocol parameters only); §3.4.1.3.1",
  "rfc": {
   "header_parameters": "(none)",
   "base_string": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Fsignet-faraday%2Fform-charset&a%3D1%26n%3Dcaf%25C3%25A9%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
  },
  "documented": {
   "header_parameters": "a=\"1\", n=\"caf%C3%A9\"",
   "base_string": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Fsignet-faraday%2Fform-charset&a%3D1%26n%3Dcaf%25C3%25A9%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
  },
  "as_received": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Fsignet-faraday%2Fform-charset&a%3D1%26a%3D1%26n%3Dcaf%25C3%25A9%26n%3Dcaf%25C3%25A9%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
 },
 {
  "case": "form-repeated",
  "kind": "header",
  "method": "POST",
  "path": "/signet-faraday/form-repeated",
  "query": null,
  "content_type": "application/x-www-form-urlencoded",
  "body": "a=2&a=1",
  "token": true,
  "signature_method": "HMAC-SHA1",
  "section": "RFC 5849 §3.5.1 (the header carries the protocol parameters) and §3.1 (a parameter MUST NOT appear more than once)",
  "rfc": "no parameter twice",
  "documented": "a=\"2\", a=\"1\""
 },
 {
  "case": "form-values",
  "kind": "signature",
  "method": "POST",
  "path": "/signet-faraday/form-values",
  "query": null,
  "content_type": "application/x-www-form-urlencoded",
  "body": "a=x+y&b=%2B&c=%20&d=~",
  "token": true,
  "signature_method": "HMAC-SHA1",
  "section": "RFC 5849 §3.5.1 (the header carries the protocol parameters only); §3.4.1.3.1",
  "rfc": {
   "header_parameters": "(none)",
   "base_string": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Fsignet-faraday%2Fform-values&a%3Dx%2520y%26b%3D%252B%26c%3D%2520%26d%3D~%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
  },
  "documented": {
   "header_parameters": "a=\"x%20y\", b=\"%2B\", c=\"%20\", d=\"~\"",
   "base_string": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Fsignet-faraday%2Fform-values&a%3Dx%2520y%26b%3D%252B%26c%3D%2520%26d%3D~%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
  },
  "as_received": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Fsignet-faraday%2Fform-values&a%3Dx%2520y%26a%3Dx%2520y%26b%3D%252B%26b%3D%252B%26c%3D%2520%26c%3D%2520%26d%3D~%26d%3D~%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
 },
 {
  "case": "post-form",
  "kind": "signature",
  "method": "POST",
  "path": "/signet-faraday/post-form",
  "query": null,
  "content_type": "application/x-www-form-urlencoded",
  "body": "a=1&b=two",
  "token": true,
  "signature_method": "HMAC-SHA1",
  "section": "RFC 5849 §3.5.1 (the header carries the protocol parameters only); §3.4.1.3.1",
  "rfc": {
   "header_parameters": "(none)",
   "base_string": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Fsignet-faraday%2Fpost-form&a%3D1%26b%3Dtwo%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
  },
  "documented": {
   "header_parameters": "a=\"1\", b=\"two\"",
   "base_string": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Fsignet-faraday%2Fpost-form&a%3D1%26b%3Dtwo%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
  },
  "as_received": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Fsignet-faraday%2Fpost-form&a%3D1%26a%3D1%26b%3Dtwo%26b%3Dtwo%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
 },
 {
  "case": "put-form",
  "kind": "signature",
  "method": "PUT",
  "path": "/signet-faraday/put-form",
  "query": null,
  "content_type": "application/x-www-form-urlencoded",
  "body": "a=1&b=2",
  "token": true,
  "signature_method": "HMAC-SHA1",
  "section": "RFC 5849 §3.4.1.3.1 (the parameters of a form-encoded body are signed, whatever the method)",
  "rfc": {
   "header_parameters": "(none)",
   "base_string": "PUT&http%3A%2F%2F127.0.0.1%3A8080%2Fsignet-faraday%2Fput-form&a%3D1%26b%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
  },
  "documented": {
   "header_parameters": "(none)",
   "base_string": "PUT&http%3A%2F%2F127.0.0.1%3A8080%2Fsignet-faraday%2Fput-form&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
  }
 },
 {
  "case": "query-repeated",
  "kind": "query",
  "method": "GET",
  "path": "/signet-faraday/query-repeated",
  "query": "a=2&a=1&a=2",
  "content_type": null,
  "body": null,
  "token": true,
  "signature_method": "HMAC-SHA1",
  "section": "RFC 5849 §3.4.1.3.1 (every query parameter is signed, repeated names included): the query sent is the one asked for",
  "rfc": "a=2&a=1&a=2",
  "documented": "a=2"
 },
 {
  "case": "sig-plaintext",
  "kind": "plaintext",
  "method": "GET",
  "path": "/signet-faraday/sig-plaintext",
  "query": "a=1",
  "content_type": null,
  "body": null,
  "token": true,
  "signature_method": "PLAINTEXT",
  "section": "RFC 5849 §3.4.4 (the signature is the encoded secrets joined by &) and §3.5.1 (the header encodes it once)",
  "rfc": "kd94hf93k423kf44%26pfkkdhi9sl3r4s00",
  "documented": "kd94hf93k423kf44%2526pfkkdhi9sl3r4s00"
 },
 {
  "case": "two-legged-form",
  "kind": "signature",
  "method": "POST",
  "path": "/signet-faraday/two-legged-form",
  "query": null,
  "content_type": "application/x-www-form-urlencoded",
  "body": "a=1",
  "token": false,
  "signature_method": "HMAC-SHA1",
  "section": "RFC 5849 §3.5.1 (the header carries the protocol parameters only); §3.4.1.3.1",
  "rfc": {
   "header_parameters": "(none)",
   "base_string": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Fsignet-faraday%2Ftwo-legged-form&a%3D1%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_version%3D1.0"
  },
  "documented": {
   "header_parameters": "a=\"1\"",
   "base_string": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Fsignet-faraday%2Ftwo-legged-form&a%3D1%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_version%3D1.0"
  },
  "as_received": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Fsignet-faraday%2Ftwo-legged-form&a%3D1%26a%3D1%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_version%3D1.0"
 }
]
JSON

def client(entry)
  Signet::OAuth1::Client.new(
    client_credential_key: CONSUMER_KEY, client_credential_secret: CONSUMER_SECRET,
    token_credential_key: entry['token'] ? TOKEN : nil, token_credential_secret: entry['token'] ? TOKEN_SECRET : nil,
    two_legged: !entry['token']
  )
end

def request_options(entry, origin)
  uri = "#{origin}#{entry['path']}#{entry['query'] ? "?#{entry['query']}" : ''}"
  headers = entry['content_type'] ? [['Content-Type', entry['content_type']]] : []
  { method: entry['method'], uri: uri, headers: headers, body: entry['body'] || '',
    signature_method: entry['signature_method'] }
end

# The Authorization header's parameters as written there: [name, value] pairs, values undecoded.
def header_pairs(header)
  header.to_s.delete_prefix('OAuth ').scan(/([^\s=,]+)="([^"]*)"/)
end

# The request parameters among them (neither oauth_* nor realm), written as in the header.
def request_parameters(pairs)
  others = pairs.reject { |name, _| name.start_with?('oauth_') || name == 'realm' }
  others.empty? ? '(none)' : others.map { |name, value| "#{name}=\"#{value}\"" }.join(', ')
end

# The signing call alone: the Authorization header signet writes (nothing is sent).
def signed_header(entry)
  client(entry).generate_authenticated_request(**request_options(entry, ORIGIN)).headers['Authorization']
end

# The request fetch_protected_resource sends over Faraday, as the loopback server received it.
def sent_request(entry)
  Loopback.capture do |origin|
    connection = Faraday.new(request: { open_timeout: Loopback::TIMEOUT, timeout: Loopback::TIMEOUT })
    client(entry).fetch_protected_resource(**request_options(entry, origin), connection: connection)
  end
end

def hmac_sha1(base_string, key)
  Base64.strict_encode64(OpenSSL::HMAC.digest('SHA1', key, base_string))
end

def percent_decode(text)
  text.to_s.gsub(/%([0-9A-Fa-f]{2})/) { Regexp.last_match(1).hex.chr }
end

# signet's signature and header against RFC 5849's and the dossier's, the base strings signed here
# with the nonce and timestamp signet chose. Returns [signet's value, RFC 5849's, verdict].
def signature_verdict(entry)
  pairs = header_pairs(signed_header(entry))
  protocol = pairs.to_h
  signature = percent_decode(protocol['oauth_signature'])
  key = "#{CONSUMER_SECRET}&#{entry['token'] ? TOKEN_SECRET : ''}"
  fill = ->(text) { text.sub('{nonce}', protocol['oauth_nonce'].to_s).sub('{timestamp}', protocol['oauth_timestamp'].to_s) }
  sent = request_parameters(pairs)
  signs = ->(expected) { signature == hmac_sha1(fill.call(expected['base_string']), key) }
  verdict =
    if sent == entry['rfc']['header_parameters'] && signs.call(entry['rfc']) then :fixed
    elsif sent == entry['documented']['header_parameters'] && signs.call(entry['documented']) then :documented
    else :changed
    end
  rfc = "header parameters #{entry['rfc']['header_parameters']}; signature " \
        "#{hmac_sha1(fill.call(entry['rfc']['base_string']), key)} over #{fill.call(entry['rfc']['base_string'])}"
  if entry['as_received'] && sent != '(none)'
    rfc += "\n          (a server verifying the request signet sends signs its header's parameters too: " \
           "#{hmac_sha1(fill.call(entry['as_received']), key)})"
  end
  ["header parameters #{sent}; signature #{signature}", rfc, verdict]
end

# The value compared for the other kinds, and whether it is RFC 5849's.
def wire_value(entry)
  case entry['kind']
  when 'plaintext'
    value = header_pairs(signed_header(entry)).to_h['oauth_signature'].to_s
    [value, value == entry['rfc']]
  when 'query'
    value = sent_request(entry).query.to_s
    [value, value == entry['rfc']]
  when 'header'
    pairs = header_pairs(sent_request(entry).header('Authorization'))
    # A request that arrives without a signed header is a third behaviour, not a fix.
    signed = pairs.any? { |name, _| name == 'oauth_signature' }
    [request_parameters(pairs), signed && pairs.map(&:first).uniq.size == pairs.size]
  end
end

entry = CASES.find { |e| e['case'] == ARGV[0] }
abort "usage: #{$PROGRAM_NAME} CASE (one of: #{CASES.map { |e| e['case'] }.join(', ')})" if entry.nil?
puts "finding:  clients/signet-faraday/#{entry['case']} (#{entry['method']} #{entry['path']}, #{entry['section']})"
if entry['kind'] == 'signature'
  value, rfc, verdict = signature_verdict(entry)
else
  value, agrees = wire_value(entry)
  rfc = entry['rfc']
  verdict = if agrees then :fixed
            elsif value == entry['documented'] then :documented
            else :changed
            end
end
puts "signet:   #{value}"
puts "RFC 5849: #{rfc}"
case verdict
when :documented then exit 0
when :fixed
  puts 'fixed: signet now does what RFC 5849 requires'
  exit 3
else
  puts "changed: the dossier documents #{entry['documented'].is_a?(Hash) ? entry['documented'].to_json : entry['documented']}"
  exit 4
end
