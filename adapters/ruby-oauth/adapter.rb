# frozen_string_literal: true

# The Ruby oauth gem (Debian ruby-oauth) behind the adapter protocol (adapters/PROTOCOL.md), row
# `ruby-oauth`.
#
#   sign:         OAuth::Consumer#sign!(Net::HTTP request, OAuth::Token, options) - the call the gem
#                 documents for "an externally generated http request object"; it runs
#                 Net::HTTPGenericRequest#oauth!, which drives OAuth::Client::Helper.
#   parse_header: OAuth::Helper.parse_header
#   verify:       OAuth::Signature.verify(Rack::Request, consumer_secret:, token_secret:) through the
#                 gem's Rack request proxy.
#
# The stages are captured from the gem's own objects while it signs (see StageCapture); nothing is
# recomputed here. See README.md.

require_relative '../ruby-common/oauth1_adapter'
require 'oauth'
require 'oauth/client/net_http'
# oauth.rb loads HMAC-SHA1 and RSA-SHA1; PLAINTEXT registers itself only once its file is loaded.
require 'oauth/signature/plaintext'
require 'oauth/request_proxy/rack_request'
require 'rack'
require 'rack/mock'

module RubyOAuthAdapter
  Adapter = OAuth1Adapter

  # Records what the gem's request proxy and OAuth::Signature.sign return while a request is being
  # signed: the proxy's normalized_uri / normalized_parameters / signature_base_string are the
  # methods OAuth::Signature::Base#signature_base_string calls.
  module StageCapture
    RECORDER = OAuth1Adapter::StageRecorder.new

    module Proxy
      def normalized_uri
        StageCapture::RECORDER.record('base_string_uri', super)
      end

      def normalized_parameters
        StageCapture::RECORDER.record('normalized_parameters', super)
      end

      def signature_base_string
        StageCapture::RECORDER.record('signature_base_string', super)
      end
    end

    module Signing
      def sign(request, options = {}, &block)
        StageCapture::RECORDER.record('signature', super)
      end
    end
  end
  OAuth::RequestProxy::Base.prepend(StageCapture::Proxy)
  OAuth::Signature.singleton_class.prepend(StageCapture::Signing)

  # The extra protocol parameters OAuth::Client::Helper#oauth_parameters knows, by option name.
  EXTRA_OPTIONS = {
    'oauth_callback' => :oauth_callback,
    'oauth_verifier' => :oauth_verifier,
    'oauth_session_handle' => :oauth_session_handle
  }.freeze

  # "scheme://authority" and the request target ("/path?query") of an absolute URL, split as text:
  # the gem takes the site (OAuth::Consumer :site) and the request path separately.
  URL_PARTS = %r{\A(?<site>[^:/?#]+://[^/?#]*)(?<path>[^#]*)}.freeze

  def self.split_url(url)
    parts = URL_PARTS.match(url) or raise Adapter::Unsupported, "not an absolute URL: #{url.inspect}"
    path = parts[:path]
    # An HTTP client sends "/" for an empty path (RFC 7230 §5.3.1); Net::HTTP requires it.
    path = "/#{path}" unless path.start_with?('/')
    [parts[:site], path]
  end

  def self.http_request(method, path, content_type, body)
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

  def self.sign_options(oauth, secrets)
    options = {
      signature_method: oauth['signature_method'],
      nonce: oauth['nonce'],
      timestamp: oauth['timestamp'],
      # Helper#oauth_parameters drops empty values; "" is how the gem omits oauth_version.
      oauth_version: oauth['version'] || '',
      realm: oauth['realm'],
      private_key: secrets['rsa_private_key_pem']
    }
    options.update(Adapter.extra_options(oauth, EXTRA_OPTIONS, 'OAuth::Client::Helper'))
    %w[nonce timestamp].each do |field|
      raise Adapter::Unsupported, "OAuth::Client::Helper generates oauth_#{field} when none is given" if oauth[field].nil?
    end
    options
  end

  def self.sign(message)
    request, oauth, secrets = message.values_at('request', 'oauth', 'secrets')
    options = sign_options(oauth, secrets)
    site, path = split_url(request['url'])
    trace = nil
    authorization = nil
    helper = nil
    Adapter.library do
      consumer = OAuth::Consumer.new(oauth['consumer_key'], secrets['consumer_secret'], site: site)
      token = oauth['token'] && OAuth::Token.new(oauth['token'], secrets['token_secret'])
      http_request = http_request(request['method'], path, request['content_type'], request['body'])
      trace = StageCapture::RECORDER.during { consumer.sign!(http_request, token, options) }
      authorization = http_request['Authorization']
      helper = http_request.oauth_helper
    end
    body_hash = helper.options[:body_hash]
    if oauth['compute_body_hash'] && body_hash.nil?
      raise Adapter::Rejected.new('the gem computed no oauth_body_hash: Net::HTTPGenericRequest#oauth! hashes the body ' \
                                  'only of a request that permits a body and is not application/x-www-form-urlencoded',
                                  'body_hash_not_computed')
    end
    trace['body_hash'] = body_hash unless body_hash.nil?
    trace['authorization_header'] = authorization
    { 'trace' => trace }
  end

  def self.parse_header(message)
    params = Adapter.library { OAuth::Helper.parse_header(message['header']) }
    { 'params' => params.to_a }
  end

  def self.rack_request(request)
    env = Adapter.library do
      Rack::MockRequest.env_for(request['url'], method: request['method'], input: request['body'] || '')
    end
    env['REQUEST_METHOD'] = request['method'] # env_for uppercases it; a server sees it as sent
    env['CONTENT_TYPE'] = request['content_type'] unless request['content_type'].nil?
    request['headers'].each do |name, value|
      key = name.casecmp('content-type').zero? ? 'CONTENT_TYPE' : "HTTP_#{name.upcase.tr('-', '_')}"
      raise Adapter::Unsupported, "header #{name.inspect} given twice; a Rack env holds one value" if env.key?(key) && key != 'CONTENT_TYPE'

      env[key] = value
    end
    Rack::Request.new(env)
  end

  def self.verify(message)
    request, secrets = message.values_at('request', 'secrets')
    rack = rack_request(request)
    # RSA-SHA1 reads the public key (PEM or certificate) from the consumer secret.
    consumer_secret = secrets['rsa_public_key_pem'] || secrets['consumer_secret']
    valid = Adapter.library do
      OAuth::Signature.verify(rack, consumer_secret: consumer_secret, token_secret: secrets['token_secret'])
    end
    raise Adapter::Rejected, 'OAuth::Signature.verify returned false' unless valid

    { 'accepted' => true }
  end

  NOTES = <<~NOTES.tr("\n", ' ').strip
    sign: OAuth::Consumer.new(key, secret, site: "scheme://authority" of the URL).sign!(request, OAuth::Token(token,
    token_secret) or nil, {signature_method, nonce, timestamp, oauth_version: version or "" (the gem's way to omit
    it), realm, private_key: RSA PEM, oauth_callback/oauth_verifier/oauth_session_handle from extra}) where request
    is the Net::HTTP request class of the method (Net::HTTPGenericRequest for other methods) for the URL's path and
    query (the fragment is not sent; an empty path is sent as "/"), with the Content-Type header and the body.
    normalized_parameters, base_string_uri and signature_base_string are the return values of the gem's request
    proxy methods (normalized_parameters, normalized_uri, signature_base_string) and signature that of
    OAuth::Signature.sign, captured while sign! runs (PLAINTEXT computes no base string, so none is reported for
    it); body_hash is the one Helper#hash_body stored; authorization_header is the header set on the request.
    Observed behaviour: the gem adds a SHA-1 oauth_body_hash by itself to any request that permits a body
    (POST/PUT/PATCH, even without one) unless the Content-Type starts with application/x-www-form-urlencoded
    (when compute_body_hash is true and it adds none, the answer is rejected); a form body is signed only for POST
    and PUT; empty token/callback/verifier values are dropped; only HMAC-SHA1, RSA-SHA1 and PLAINTEXT exist; other
    extra oauth_* parameters cannot be sent (unsupported). parse_header: OAuth::Helper.parse_header (splits on
    , = &; duplicates collapse). verify: OAuth::Signature.verify(Rack::Request built by Rack::MockRequest.env_for,
    consumer_secret: consumer secret or RSA public key/certificate PEM, token_secret:); it checks the signature
    only: no timestamp window, nonce, version or duplicate checks exist in the gem (a server adds its own).
  NOTES

  IMPLEMENTATION = OAuth1Adapter.implementation(
    'ruby-oauth',
    "#{OAuth::VERSION} (Debian ruby-oauth #{OAuth1Adapter.debian_version('ruby-oauth')}, " \
    "ruby-rack #{OAuth1Adapter.debian_version('ruby-rack')}, ruby #{RUBY_VERSION})",
    operations: %w[sign parse_header verify], signature_methods: %w[HMAC-SHA1 RSA-SHA1 PLAINTEXT],
    stages: %w[body_hash normalized_parameters base_string_uri signature_base_string signature authorization_header],
    can_omit_version: true, body_hash: true, notes: NOTES
  )
end

OAuth1Adapter.serve_module(RubyOAuthAdapter) if $PROGRAM_NAME == __FILE__
