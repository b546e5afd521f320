# frozen_string_literal: true

# Standalone reproductions of the live-server findings of signet (docs/findings/live/signet-server-webrick/):
# Signet::OAuth1::Server.new with the Procs of its documentation's example (nonce_timestamp
# remembers the (nonce, timestamp) pair, the credential lookups find {key:, secret:}, verifier asks
# whether a verifier is active), as adapters/ruby-signet/server.rb passes them, and its
# authenticate_resource_request / authenticate_token_credential_request called with the probe
# case's request as the server receives it (method, the URL Rack rebuilds, the headers, the body).
# No web server: the request is handed over the way the adapter hands it.
#
# Each request carries a valid HMAC-SHA1 signature computed here with OpenSSL over the RFC 5849
# signature base string written out below (with the clock's timestamp put in where the case is
# time-relative), never by signet. The credentials are RFC 5849 §1.2's test set.
#
# Usage: ruby signet_server.rb CASE (the probe case id: oauth1-conformance probe --case CASE).
# Prints signet's verdict next to RFC 5849's and exits 0 while signet behaves as the dossier
# documents, 3 when it gives RFC 5849's verdict (retire the dossier), 4 for a third behaviour.
require 'json'
require 'openssl'
# signet's HMAC-SHA1 calls Base64 without requiring it (its callers load it).
require 'base64'
require 'signet/oauth_1/server'

CONSUMER_KEY = 'dpf43f3p2l4k3l03'
CONSUMER_SECRET = 'kd94hf93k423kf44'
TOKEN = 'nnch734d00sl2jdk'
TOKEN_SECRET = 'pfkkdhi9sl3r4s00'
# Temporary credentials this server issued at /initiate, already authorized with VERIFIER.
TEMPORARY_TOKEN = 'hh5s93j4hdidpola'
TEMPORARY_SECRET = 'hdhd0244k9j7ao03'
VERIFIER = 'hfdp7dh39dks9884'
A_DAY = 86_400

# Per probe case: the request as signet gets it ({timestamp} and {signature} are filled in: the
# timestamp by the "timestamp" rule, the signature percent-encoded as RFC 5849 §3.6 writes it),
# the signature base string RFC 5849 §3.4.1 gives for it, the HMAC-SHA1 key (§3.4.2), the signet
# call ("endpoint"), RFC 5849's verdict with its section and the verdict the dossier documents.
CASES = JSON.parse(<<~'JSON')
  [
 {
  "case": "flow-token-wrong-verifier",
  "endpoint": "token",
  "method": "POST",
  "url": "http://127.0.0.1:8085/token",
  "headers": [
   ["Host", "127.0.0.1:8085"],
   ["User-Agent", "oauth1-conformance-probe/0.1.0"],
   ["Authorization", "OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"hh5s93j4hdidpola\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"{timestamp}\", oauth_nonce=\"pr0bewr0ngver1f1er0000\", oauth_version=\"1.0\", oauth_verifier=\"w4ngv3r1f13r000000000000\", oauth_signature=\"{signature}\""],
   ["Connection", "close"],
   ["Content-Type", "application/x-www-form-urlencoded"]
  ],
  "body": "",
  "base_string": "POST&http%3A%2F%2F127.0.0.1%3A8085%2Ftoken&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dpr0bewr0ngver1f1er0000%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dhh5s93j4hdidpola%26oauth_verifier%3Dw4ngv3r1f13r000000000000%26oauth_version%3D1.0",
  "key": "kd94hf93k423kf44&hdhd0244k9j7ao03",
  "timestamp": "now",
  "rfc": "refused",
  "section": "RFC 5849 §2.3: the server verifies the oauth_verifier before it issues token credentials",
  "documented": "accepted"
 },
 {
  "case": "malformed-missing-nonce",
  "endpoint": "resource",
  "method": "GET",
  "url": "http://127.0.0.1:8085/probe/photos?file=vacation.jpg&size=original",
  "headers": [
   ["Host", "127.0.0.1:8085"],
   ["User-Agent", "oauth1-conformance-probe/0.1.0"],
   ["Authorization", "OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"{timestamp}\", oauth_version=\"1.0\", oauth_signature=\"{signature}\""],
   ["Connection", "close"]
  ],
  "body": "",
  "base_string": "GET&http%3A%2F%2F127.0.0.1%3A8085%2Fprobe%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
  "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00",
  "timestamp": "now",
  "rfc": "refused",
  "section": "RFC 5849 §3.1: oauth_nonce is REQUIRED (but with PLAINTEXT); §3.3",
  "documented": "accepted"
 },
 {
  "case": "malformed-missing-timestamp",
  "endpoint": "resource",
  "method": "GET",
  "url": "http://127.0.0.1:8085/probe/photos?file=vacation.jpg&size=original",
  "headers": [
   ["Host", "127.0.0.1:8085"],
   ["User-Agent", "oauth1-conformance-probe/0.1.0"],
   ["Authorization", "OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_nonce=\"pr0bem1ss1ngt1mestamp000\", oauth_version=\"1.0\", oauth_signature=\"{signature}\""],
   ["Connection", "close"]
  ],
  "body": "",
  "base_string": "GET&http%3A%2F%2F127.0.0.1%3A8085%2Fprobe%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dpr0bem1ss1ngt1mestamp000%26oauth_signature_method%3DHMAC-SHA1%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
  "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00",
  "timestamp": null,
  "rfc": "refused",
  "section": "RFC 5849 §3.1: oauth_timestamp is REQUIRED (but with PLAINTEXT); §3.3",
  "documented": "accepted"
 },
 {
  "case": "malformed-unknown-version",
  "endpoint": "resource",
  "method": "GET",
  "url": "http://127.0.0.1:8085/probe/photos?file=vacation.jpg&size=original",
  "headers": [
   ["Host", "127.0.0.1:8085"],
   ["User-Agent", "oauth1-conformance-probe/0.1.0"],
   ["Authorization", "OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"{timestamp}\", oauth_nonce=\"pr0beunkn0wnvers10n00000\", oauth_version=\"2.0\", oauth_signature=\"{signature}\""],
   ["Connection", "close"]
  ],
  "body": "",
  "base_string": "GET&http%3A%2F%2F127.0.0.1%3A8085%2Fprobe%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dpr0beunkn0wnvers10n00000%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D2.0%26size%3Doriginal",
  "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00",
  "timestamp": "now",
  "rfc": "refused",
  "section": "RFC 5849 §3.1 (oauth_version, if present, MUST be 1.0); §3.2",
  "documented": "accepted"
 },
 {
  "case": "time-future-24h",
  "endpoint": "resource",
  "method": "GET",
  "url": "http://127.0.0.1:8085/probe/photos?file=vacation.jpg&size=original",
  "headers": [
   ["Host", "127.0.0.1:8085"],
   ["User-Agent", "oauth1-conformance-probe/0.1.0"],
   ["Authorization", "OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"{timestamp}\", oauth_nonce=\"pr0bet1mefuture24h000000\", oauth_version=\"1.0\", oauth_signature=\"{signature}\""],
   ["Connection", "close"]
  ],
  "body": "",
  "base_string": "GET&http%3A%2F%2F127.0.0.1%3A8085%2Fprobe%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dpr0bet1mefuture24h000000%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
  "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00",
  "timestamp": "a day ahead",
  "rfc": "refused",
  "section": "RFC 5849 §3.3 (a server bounds the timestamps it accepts, so that it can bound the nonces it keeps); §3.2",
  "documented": "accepted"
 },
 {
  "case": "time-milliseconds",
  "endpoint": "resource",
  "method": "GET",
  "url": "http://127.0.0.1:8085/probe/photos?file=vacation.jpg&size=original",
  "headers": [
   ["Host", "127.0.0.1:8085"],
   ["User-Agent", "oauth1-conformance-probe/0.1.0"],
   ["Authorization", "OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"{timestamp}\", oauth_nonce=\"pr0bet1memill1sec0nds000\", oauth_version=\"1.0\", oauth_signature=\"{signature}\""],
   ["Connection", "close"]
  ],
  "body": "",
  "base_string": "GET&http%3A%2F%2F127.0.0.1%3A8085%2Fprobe%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dpr0bet1memill1sec0nds000%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
  "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00",
  "timestamp": "milliseconds",
  "rfc": "refused",
  "section": "RFC 5849 §3.3 (the timestamp is in seconds since the epoch; one in milliseconds is outside any window)",
  "documented": "accepted"
 },
 {
  "case": "time-stale-24h",
  "endpoint": "resource",
  "method": "GET",
  "url": "http://127.0.0.1:8085/probe/photos?file=vacation.jpg&size=original",
  "headers": [
   ["Host", "127.0.0.1:8085"],
   ["User-Agent", "oauth1-conformance-probe/0.1.0"],
   ["Authorization", "OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"{timestamp}\", oauth_nonce=\"pr0bet1mestale24h0000000\", oauth_version=\"1.0\", oauth_signature=\"{signature}\""],
   ["Connection", "close"]
  ],
  "body": "",
  "base_string": "GET&http%3A%2F%2F127.0.0.1%3A8085%2Fprobe%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dpr0bet1mestale24h0000000%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
  "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00",
  "timestamp": "a day ago",
  "rfc": "refused",
  "section": "RFC 5849 §3.3 (a server bounds the timestamps it accepts, so that it can bound the nonces it keeps); §3.2",
  "documented": "accepted"
 },
 {
  "case": "valid-form-body",
  "endpoint": "resource",
  "method": "POST",
  "url": "http://127.0.0.1:8085/probe/photos?file=vacation.jpg&size=original",
  "headers": [
   ["Host", "127.0.0.1:8085"],
   ["User-Agent", "oauth1-conformance-probe/0.1.0"],
   ["Authorization", "OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"{timestamp}\", oauth_nonce=\"pr0bef0rmb0dy00000000000\", oauth_version=\"1.0\", oauth_signature=\"{signature}\""],
   ["Connection", "close"],
   ["Content-Type", "application/x-www-form-urlencoded"]
  ],
  "body": "a=1&b=two+words",
  "base_string": "POST&http%3A%2F%2F127.0.0.1%3A8085%2Fprobe%2Fphotos&a%3D1%26b%3Dtwo%2520words%26file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dpr0bef0rmb0dy00000000000%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
  "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00",
  "timestamp": "now",
  "rfc": "accepted",
  "section": "RFC 5849 §3.4.1.3.1 (the form body's parameters are signed) and §3.5.1 (the header carries the protocol parameters only)",
  "documented": "refused (Signet::MalformedAuthorizationError: Request is of type application/x-www-form-urlencoded but Authentication header did not include form values)"
 },
 {
  "case": "valid-form-body-and-query",
  "endpoint": "resource",
  "method": "POST",
  "url": "http://127.0.0.1:8085/probe/photos?file=vacation.jpg&size=original&x=1",
  "headers": [
   ["Host", "127.0.0.1:8085"],
   ["User-Agent", "oauth1-conformance-probe/0.1.0"],
   ["Authorization", "OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"{timestamp}\", oauth_nonce=\"pr0bef0rmb0dyandquery000\", oauth_version=\"1.0\", oauth_signature=\"{signature}\""],
   ["Connection", "close"],
   ["Content-Type", "application/x-www-form-urlencoded"]
  ],
  "body": "a=1&b=two+words",
  "base_string": "POST&http%3A%2F%2F127.0.0.1%3A8085%2Fprobe%2Fphotos&a%3D1%26b%3Dtwo%2520words%26file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dpr0bef0rmb0dyandquery000%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal%26x%3D1",
  "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00",
  "timestamp": "now",
  "rfc": "accepted",
  "section": "RFC 5849 §3.4.1.3.1 (the query and the form body are both signed) and §3.5.1 (the header carries the protocol parameters only)",
  "documented": "refused (Signet::MalformedAuthorizationError: Request is of type application/x-www-form-urlencoded but Authentication header did not include form values)"
 },
 {
  "case": "valid-protocol-parameters-in-body",
  "endpoint": "resource",
  "method": "POST",
  "url": "http://127.0.0.1:8085/probe/photos?file=vacation.jpg&size=original",
  "headers": [
   ["Host", "127.0.0.1:8085"],
   ["User-Agent", "oauth1-conformance-probe/0.1.0"],
   ["Connection", "close"],
   ["Content-Type", "application/x-www-form-urlencoded"]
  ],
  "body": "a=1&b=two+words&oauth_consumer_key=dpf43f3p2l4k3l03&oauth_token=nnch734d00sl2jdk&oauth_signature_method=HMAC-SHA1&oauth_timestamp={timestamp}&oauth_nonce=pr0bepr0t0c0l1nb0dy00000&oauth_version=1.0&oauth_signature={signature}",
  "base_string": "POST&http%3A%2F%2F127.0.0.1%3A8085%2Fprobe%2Fphotos&a%3D1%26b%3Dtwo%2520words%26file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dpr0bepr0t0c0l1nb0dy00000%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
  "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00",
  "timestamp": "now",
  "rfc": "accepted",
  "section": "RFC 5849 §3.5.2 (the protocol parameters in a form body; §3.5 lets a server support fewer locations, so refusing is allowed)",
  "documented": "refused (Signet::MalformedAuthorizationError: Authorization header is missing)"
 },
 {
  "case": "valid-protocol-parameters-in-query",
  "endpoint": "resource",
  "method": "GET",
  "url": "http://127.0.0.1:8085/probe/photos?file=vacation.jpg&size=original&oauth_consumer_key=dpf43f3p2l4k3l03&oauth_token=nnch734d00sl2jdk&oauth_signature_method=HMAC-SHA1&oauth_timestamp={timestamp}&oauth_nonce=pr0bepr0t0c0l1nquery0000&oauth_version=1.0&oauth_signature={signature}",
  "headers": [
   ["Host", "127.0.0.1:8085"],
   ["User-Agent", "oauth1-conformance-probe/0.1.0"],
   ["Connection", "close"]
  ],
  "body": "",
  "base_string": "GET&http%3A%2F%2F127.0.0.1%3A8085%2Fprobe%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dpr0bepr0t0c0l1nquery0000%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
  "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00",
  "timestamp": "now",
  "rfc": "accepted",
  "section": "RFC 5849 §3.5.3 (the protocol parameters in the query; §3.5 lets a server support fewer locations, so refusing is allowed)",
  "documented": "refused (Signet::MalformedAuthorizationError: Authorization header is missing)"
 }
]
JSON

# The application's part, as the documentation's example writes it: the datastore is a Hash here.
class Application
  attr_reader :verifier_calls

  def initialize
    @nonces = {}
    @verifier_calls = 0
  end

  # OauthNonce.remember(n, t): true when the pair is new, and remembered. No timestamp window:
  # signet has none and the example checks none.
  def remember(nonce, timestamp)
    return false if @nonces.key?([nonce, timestamp])

    @nonces[[nonce, timestamp]] = true
  end

  def server
    Signet::OAuth1::Server.new(
      nonce_timestamp: ->(n, t) { remember(n, t) },
      client_credential: ->(key) { key == CONSUMER_KEY ? { key: key, secret: CONSUMER_SECRET } : nil },
      token_credential: ->(key) { key == TOKEN ? { key: key, secret: TOKEN_SECRET } : nil },
      temporary_credential: ->(key) { key == TEMPORARY_TOKEN ? { key: key, secret: TEMPORARY_SECRET } : nil },
      verifier: lambda { |verifier|
        @verifier_calls += 1
        verifier == VERIFIER
      }
    )
  end
end

def timestamp(rule)
  now = Time.now.to_i
  case rule
  when nil then nil
  when 'now' then now
  when 'a day ago' then now - A_DAY
  when 'a day ahead' then now + A_DAY
  when 'milliseconds' then now * 1000
  else raise ArgumentError, "unknown timestamp rule #{rule}"
  end
end

# RFC 5849 §3.6: every octet but the unreserved characters as %XX.
def percent_encode(text)
  text.b.gsub(/[^A-Za-z0-9\-._~]/n) { |octet| format('%%%02X', octet.ord) }
end

# The request of `entry` as the server receives it, signed over its base string here.
def request(entry)
  stamp = timestamp(entry['timestamp']).to_s
  base_string = entry['base_string'].sub('{timestamp}', stamp)
  signature = Base64.strict_encode64(OpenSSL::HMAC.digest('SHA1', entry['key'], base_string))
  fill = ->(text) { text.sub('{timestamp}', stamp).sub('{signature}', percent_encode(signature)) }
  { method: entry['method'], uri: fill.call(entry['url']), headers: entry['headers'].map { |n, v| [n, fill.call(v)] },
    body: fill.call(entry['body']) }
end

# signet's verdict: accepted (credentials back), refused (nil or false back, or the exception the
# adapter answers 401), or an error (any other exception: a 500).
def verdict(entry, application)
  server = application.server
  components = request(entry)
  answer =
    if entry['endpoint'] == 'token'
      server.authenticate_token_credential_request(**components)
    else
      server.authenticate_resource_request(**components)
    end
  answer ? 'accepted' : 'refused'
rescue Signet::MalformedAuthorizationError => e
  "refused (#{e.class}: #{e.message})"
rescue StandardError => e
  "error (#{e.class}: #{e.message})"
end

entry = CASES.find { |e| e['case'] == ARGV[0] }
abort "usage: #{$PROGRAM_NAME} CASE (one of: #{CASES.map { |e| e['case'] }.join(', ')})" if entry.nil?
application = Application.new
value = verdict(entry, application)
puts "finding:  live/signet-server-webrick/#{entry['case']} (#{entry['method']} #{entry['url'].split('?').first})"
puts "signet:   #{value}"
puts "RFC 5849: #{entry['rfc']} (#{entry['section']})"
puts "          the verifier Proc was called #{application.verifier_calls} times" if entry['endpoint'] == 'token'
if value.split(' ').first == entry['rfc']
  puts 'fixed: signet now gives RFC 5849\'s verdict'
  exit 3
end
exit 0 if value == entry['documented']

puts "changed: the dossier documents #{entry['documented']}"
exit 4
