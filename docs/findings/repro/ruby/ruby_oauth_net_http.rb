# frozen_string_literal: true

# Standalone reproductions of the live-client findings of the oauth gem over Net::HTTP
# (docs/findings/clients/ruby-oauth-net-http/): a Net::HTTPGenericRequest signed with
# oauth!(http, consumer, token, signature_method:), as the gem's README signs one and
# adapters/ruby-oauth's capture driver does, on the capture case's request
# (oauth1-conformance capture --case CASE).
#
# * A signature finding calls the signing call alone and reads what it signed from the
#   Authorization header it wrote: the nonce and timestamp the gem chose go into the RFC 5849
#   signature base strings written out below, signed here with OpenSSL's HMAC-SHA1 and compared
#   with the gem's signature.
# * A finding of the request on the wire lets Net::HTTP send the signed request to a loopback server
#   (loopback.rb) and compares what arrived with what is required.
#
# The credentials are RFC 5849 §1.2's test set. Usage: ruby ruby_oauth_net_http.rb CASE. Exits 0
# while the gem behaves as the dossier documents, 3 when it does what is required (retire the
# dossier), 4 for a third behaviour.
require 'json'
require 'openssl'
require 'base64'
require 'net/http'
require 'oauth'
require 'oauth/client/net_http'
require_relative 'loopback'

CONSUMER_KEY = 'dpf43f3p2l4k3l03'
CONSUMER_SECRET = 'kd94hf93k423kf44'
TOKEN = 'nnch734d00sl2jdk'
TOKEN_SECRET = 'pfkkdhi9sl3r4s00'
# The signing-call cases are built for this URL (nothing listens there: nothing is sent).
ORIGIN = 'http://127.0.0.1:8080'

# Per capture case: the request (path and query after the server's origin, content type, body)
# and what is compared ("kind"):
# * "signature": the base string the gem's signature is over, RFC 5849's and the dossier's
#   ({nonce} and {timestamp} are the gem's own);
# * "body_hash": the Content-Type and oauth_body_hash of the request that arrived; what is required
#   is that oauth_body_hash does not accompany a form-encoded body.
CASES = JSON.parse(<<~'JSON')
  [
 {
  "case": "body-empty-post",
  "kind": "body_hash",
  "method": "POST",
  "path": "/ruby-oauth-net-http/body-empty-post",
  "query": null,
  "content_type": null,
  "body": "",
  "section": "OAuth Request Body Hash (draft-eaton-oauth-bodyhash) §3.1: no oauth_body_hash with a form-encoded body, whose parameters RFC 5849 §3.4.1.3.1 signs",
  "rfc": "not a form-encoded body with oauth_body_hash",
  "documented": "Content-Type application/x-www-form-urlencoded, oauth_body_hash=\"2jmj7l5rSw0yVb%2FvlWAYkK%2FYBwk%3D\""
 },
 {
  "case": "body-empty-put",
  "kind": "body_hash",
  "method": "PUT",
  "path": "/ruby-oauth-net-http/body-empty-put",
  "query": null,
  "content_type": null,
  "body": "",
  "section": "OAuth Request Body Hash (draft-eaton-oauth-bodyhash) §3.1: no oauth_body_hash with a form-encoded body, whose parameters RFC 5849 §3.4.1.3.1 signs",
  "rfc": "not a form-encoded body with oauth_body_hash",
  "documented": "Content-Type application/x-www-form-urlencoded, oauth_body_hash=\"2jmj7l5rSw0yVb%2FvlWAYkK%2FYBwk%3D\""
 },
 {
  "case": "query-reserved-raw",
  "kind": "signature",
  "method": "GET",
  "path": "/ruby-oauth-net-http/query-reserved-raw",
  "query": "q=a:b/c?d@e!$'()*,;f",
  "content_type": null,
  "body": null,
  "section": "RFC 5849 §3.4.1.3.1 (the query is decoded as W3C form data, which splits on & only)",
  "rfc": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fruby-oauth-net-http%2Fquery-reserved-raw&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26q%3Da%253Ab%252Fc%253Fd%2540e%2521%2524%2527%2528%2529%252A%252C%253Bf",
  "documented": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fruby-oauth-net-http%2Fquery-reserved-raw&f%3D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26q%3Da%253Ab%252Fc%253Fd%2540e%2521%2524%2527%2528%2529%252A%252C"
 }
]
JSON

# The case's request, signed by the gem for `http` (the driver's calls, in its order).
def signed_request(entry, http, uri)
  headers = entry['content_type'] ? { 'Content-Type' => entry['content_type'] } : {}
  request = Net::HTTPGenericRequest.new(entry['method'], !entry['body'].nil?, true, uri.request_uri, headers)
  request.body = entry['body'] unless entry['body'].nil?
  consumer = OAuth::Consumer.new(CONSUMER_KEY, CONSUMER_SECRET, site: "#{uri.scheme}://#{uri.host}:#{uri.port}")
  request.oauth!(http, consumer, OAuth::Token.new(TOKEN, TOKEN_SECRET), signature_method: 'HMAC-SHA1')
  request
end

def url(entry, origin)
  "#{origin}#{entry['path']}#{entry['query'] ? "?#{entry['query']}" : ''}"
end

# The Authorization header's parameters: name => value, undecoded.
def header_parameters(header)
  header.to_s.delete_prefix('OAuth ').scan(/([^\s=,]+)="([^"]*)"/).to_h
end

def hmac_sha1(base_string, key)
  Base64.strict_encode64(OpenSSL::HMAC.digest('SHA1', key, base_string))
end

# The signing call alone: the gem's signature next to the ones of RFC 5849's and the dossier's
# base strings, signed here with the gem's nonce and timestamp. Returns [the gem's, RFC 5849's, verdict].
def signature_verdict(entry)
  uri = URI.parse(url(entry, ORIGIN))
  request = signed_request(entry, Net::HTTP.new(uri.host, uri.port), uri)
  protocol = header_parameters(request['Authorization'])
  signature = protocol['oauth_signature'].to_s.gsub(/%([0-9A-Fa-f]{2})/) { Regexp.last_match(1).hex.chr }
  fill = ->(text) { text.sub('{nonce}', protocol['oauth_nonce'].to_s).sub('{timestamp}', protocol['oauth_timestamp'].to_s) }
  rfc, documented = entry.values_at('rfc', 'documented').map { |t| hmac_sha1(fill.call(t), "#{CONSUMER_SECRET}&#{TOKEN_SECRET}") }
  verdict = { rfc => :fixed, documented => :documented }.fetch(signature, :changed)
  [signature, "#{rfc} over #{fill.call(entry['rfc'])}", verdict]
end

# What arrived at the loopback server once Net::HTTP sent the signed request.
def body_hash_verdict(entry)
  received = Loopback.capture do |origin|
    uri = URI.parse(url(entry, origin))
    http = Net::HTTP.new(uri.host, uri.port)
    http.open_timeout = http.read_timeout = Loopback::TIMEOUT
    http.request(signed_request(entry, http, uri))
  end
  content_type = received.header('Content-Type')
  body_hash = header_parameters(received.header('Authorization'))['oauth_body_hash']
  value = "Content-Type #{content_type || '(none)'}, oauth_body_hash#{body_hash ? "=\"#{body_hash}\"" : ' (none)'}"
  form = content_type.to_s.split(';').first.to_s.strip.casecmp?('application/x-www-form-urlencoded')
  verdict = if !(form && body_hash) then :fixed
            elsif value == entry['documented'] then :documented
            else :changed
            end
  [value, entry['rfc'], verdict]
end

entry = CASES.find { |e| e['case'] == ARGV[0] }
abort "usage: #{$PROGRAM_NAME} CASE (one of: #{CASES.map { |e| e['case'] }.join(', ')})" if entry.nil?
puts "finding:  clients/ruby-oauth-net-http/#{entry['case']} (#{entry['method']} #{entry['path']}, #{entry['section']})"
value, rfc, verdict = entry['kind'] == 'signature' ? signature_verdict(entry) : body_hash_verdict(entry)
puts "oauth gem: #{value}"
puts "required:  #{rfc}"
case verdict
when :documented then exit 0
when :fixed
  puts 'fixed: the oauth gem now does what is required'
  exit 3
else
  puts "changed: the dossier documents #{entry['documented']}"
  exit 4
end
