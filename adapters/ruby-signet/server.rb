# frozen_string_literal: true

# signet's OAuth 1.0 server (Signet::OAuth1::Server, Debian ruby-signet) in a Rack application under
# WEBrick: a live server for `oauth1-conformance probe`.
#
#   ruby adapters/ruby-signet/server.rb --port PORT --credentials FILE
#
# * any path, any method: a protected resource, Server#authenticate_resource_request with the
#   request as Rack reads it (Rack::Request#request_method, #url, the headers, the body): 200 with a
#   small JSON body when it returns credentials, 401 when it returns nil or raises
#   Signet::MalformedAuthorizationError;
# * POST /initiate: Server#authenticate_temporary_credential_request, then temporary credentials;
# * POST /token: Server#authenticate_token_credential_request, then token credentials.
#
# The lookups are the application's part, passed as the Procs of Server.new as its documentation
# example shows (README.md lists them as `app`). Prints `listening on http://127.0.0.1:PORT` once
# WEBrick listens; stops on SIGTERM or SIGINT.

# signet 0.17 uses Base64 without requiring it; on Ruby 3.1 nothing else loads it first (every
# HMAC request would fail with NameError, a 500). As adapter.rb does, it is required here.
require "base64"
require "json"
require "optparse"
require "securerandom"
require "rack"
require "rack/handler/webrick"
require "signet/oauth_1/server"

MAX_CREDENTIALS_BYTES = 1 << 20
MAX_BODY_BYTES = 1 << 20

# The credentials file (docs/credentials.schema.json); raises ArgumentError naming the problem.
def load_credentials(path)
  text = File.open(path, "rb") { |f| f.read(MAX_CREDENTIALS_BYTES + 1) } || ""
  raise ArgumentError, "#{path}: larger than #{MAX_CREDENTIALS_BYTES} bytes" if text.bytesize > MAX_CREDENTIALS_BYTES

  doc = JSON.parse(text)
  raise ArgumentError, "#{path}: the top level must be an object" unless doc.is_a?(Hash)

  %w[consumers tokens].each do |name|
    raise ArgumentError, "#{path}: \"#{name}\" must be an array" unless doc[name].is_a?(Array)
  end
  consumers = {}
  doc["consumers"].each_with_index do |c, i|
    raise ArgumentError, "#{path}: consumers[#{i}] needs a \"key\" string" unless c.is_a?(Hash) && c["key"].is_a?(String)

    consumers[c["key"]] = c["secret"].to_s
  end
  tokens = {}
  doc["tokens"].each_with_index do |t, i|
    unless t.is_a?(Hash) && t["token"].is_a?(String) && t["secret"].is_a?(String) && consumers.key?(t["consumer_key"])
      raise ArgumentError, "#{path}: tokens[#{i}] needs \"token\" and \"secret\" strings and the \"consumer_key\" of a consumer"
    end

    tokens[t["token"]] = { "secret" => t["secret"], "consumer_key" => t["consumer_key"] }
  end
  raise ArgumentError, "#{path}: \"verifier\" must be a string" unless doc["verifier"].is_a?(String)

  { consumers: consumers, tokens: tokens, verifier: doc["verifier"] }
rescue SystemCallError => e
  raise ArgumentError, "cannot read #{path}: #{e.message}"
rescue JSON::ParserError => e
  raise ArgumentError, "#{path}: not JSON: #{e.message.lines.first&.strip}"
end

# The datastore of the documentation's example (ClientCredential, TokenCredential,
# TemporaryCredential, OauthNonce), in memory.
class Store
  def initialize(credentials)
    @credentials = credentials
    @lock = Mutex.new
    @temporary = {} # token -> {"secret", "consumer_key", "verifier"}
    @issued = {} # token -> {"secret", "consumer_key"}
    @nonces = {} # [nonce, timestamp] -> true
  end

  def client(key)
    secret = @credentials[:consumers][key]
    secret.nil? ? nil : { key: key, secret: secret }
  end

  def token(key)
    found = @lock.synchronize { @issued[key] } || @credentials[:tokens][key]
    found.nil? ? nil : { key: key, secret: found["secret"] }
  end

  def temporary(key)
    found = @lock.synchronize { @temporary[key] }
    found.nil? ? nil : { key: key, secret: found["secret"] }
  end

  # OauthNonce.remember(n, t) of the example: true when the pair is new (and now remembered).
  def remember(nonce, timestamp)
    @lock.synchronize { @nonces.key?([nonce, timestamp]) ? false : (@nonces[[nonce, timestamp]] = true) }
  end

  # Verifier.find_by_verifier(verifier).active? of the example.
  def verifier_active?(verifier)
    @lock.synchronize { @temporary.values.any? { |t| t["verifier"] == verifier } }
  end

  def issue_temporary(consumer_key)
    token = SecureRandom.hex(16)
    secret = SecureRandom.hex(16)
    # The resource owner's authorization (RFC 5849 section 2.2) is not part of this server: every
    # temporary credential is issued already authorized, with the file's verifier.
    @lock.synchronize do
      @temporary[token] = { "secret" => secret, "consumer_key" => consumer_key, "verifier" => @credentials[:verifier] }
    end
    [token, secret]
  end

  def exchange(temporary_token, consumer_key)
    token = SecureRandom.hex(16)
    secret = SecureRandom.hex(16)
    @lock.synchronize do
      @temporary.delete(temporary_token)
      @issued[token] = { "secret" => secret, "consumer_key" => consumer_key }
    end
    [token, secret]
  end
end

# The request as signet takes it: method, URL, headers as [name, value] pairs, body.
def request_components(request)
  headers = request.env.filter_map do |name, value|
    next unless name.start_with?("HTTP_")

    [name.delete_prefix("HTTP_").split("_").map(&:capitalize).join("-"), value]
  end
  headers << ["Content-Type", request.content_type] if request.content_type
  body = request.body ? request.body.read(MAX_BODY_BYTES).to_s : ""
  { method: request.request_method, uri: request.url, headers: headers, body: body }
end

def json_response(status, object)
  [status, { "Content-Type" => "application/json" }, [JSON.generate(object)]]
end

def form_response(pairs)
  [200, { "Content-Type" => "application/x-www-form-urlencoded" }, [Rack::Utils.build_query(pairs)]]
end

def application(store)
  server = Signet::OAuth1::Server.new(
    nonce_timestamp: ->(n, t) { store.remember(n, t) },
    client_credential: ->(key) { store.client(key) },
    token_credential: ->(key) { store.token(key) },
    temporary_credential: ->(key) { store.temporary(key) },
    verifier: ->(verifier) { store.verifier_active?(verifier) }
  )
  lambda do |env|
    request = Rack::Request.new(env)
    endpoint = %w[/initiate /token].include?(request.path_info) ? request.path_info : nil
    return json_response(405, { error: "POST only" }) if endpoint && !request.post?

    components = request_components(request)
    # What the server issues is keyed by the request's own parameters (signet returns only the
    # callback or the credentials it looked up).
    auth = endpoint ? Signet::OAuth1.parse_authorization_header(env["HTTP_AUTHORIZATION"].to_s).to_h : {}
    case endpoint
    when "/initiate"
      callback = server.authenticate_temporary_credential_request(components)
      return json_response(401, { accepted: false }) unless callback

      token, secret = store.issue_temporary(auth["oauth_consumer_key"])
      form_response("oauth_token" => token, "oauth_token_secret" => secret, "oauth_callback_confirmed" => "true")
    when "/token"
      verified = server.authenticate_token_credential_request(components)
      return json_response(401, { accepted: false }) unless verified

      token, secret = store.exchange(auth["oauth_token"], auth["oauth_consumer_key"])
      form_response("oauth_token" => token, "oauth_token_secret" => secret)
    else
      verified = server.authenticate_resource_request(components)
      return json_response(401, { accepted: false }) unless verified

      json_response(200, { accepted: true, server: "signet-server" })
    end
  rescue Signet::MalformedAuthorizationError => e
    json_response(401, { accepted: false, error: e.message })
  end
end

def main
  options = {}
  parser = OptionParser.new("usage: server.rb --port PORT --credentials FILE")
  parser.on("--port PORT", Integer) { |v| options[:port] = v }
  parser.on("--credentials FILE") { |v| options[:credentials] = v }
  begin
    parser.parse!(ARGV)
  rescue OptionParser::ParseError => e
    warn "error: #{e.message}; #{parser.banner}"
    exit 2
  end
  unless options[:port]&.between?(0, 65_535) && options[:credentials] && ARGV.empty?
    warn parser.banner
    exit 2
  end
  begin
    credentials = load_credentials(options[:credentials])
  rescue ArgumentError => e
    warn "error: #{e.message}"
    exit 2
  end

  $stdout.sync = true
  webrick = nil
  # WEBrick listens when the server is built and calls StartCallback as it starts accepting; with
  # port 0 its config holds the port the system chose.
  Rack::Handler::WEBrick.run(
    application(Store.new(credentials)),
    Host: "127.0.0.1", Port: options[:port], Logger: WEBrick::Log.new($stderr),
    AccessLog: [[$stderr, WEBrick::AccessLog::COMMON_LOG_FORMAT]],
    StartCallback: -> { puts "listening on http://127.0.0.1:#{webrick.config[:Port]}" }
  ) do |server|
    webrick = server
    %w[TERM INT].each { |signal| trap(signal) { server.shutdown } }
  end
rescue Errno::EADDRINUSE, Errno::EACCES => e
  warn "error: #{e.message}"
  exit 2
end

main if $PROGRAM_NAME == __FILE__
