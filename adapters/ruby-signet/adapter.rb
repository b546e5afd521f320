# frozen_string_literal: true

# signet (Debian ruby-signet) behind the adapter protocol (adapters/PROTOCOL.md), row `signet`.
#
#   sign:         Signet::OAuth1::Client#generate_authenticated_request
#   parse_header: Signet::OAuth1.parse_authorization_header
#   verify:       Signet::OAuth1::Server#authenticate_resource_request
#
# The stages are the return values of the Signet::OAuth1 module functions the client calls,
# captured while it runs (see StageCapture). See README.md.

# signet 0.17 uses Base64 without requiring it; on Ruby 3.1 nothing else loads it first.
require 'base64'
require_relative '../ruby-common/oauth1_adapter'
require 'signet'
require 'signet/oauth_1'
require 'signet/oauth_1/client'
require 'signet/oauth_1/server'

module RubySignetAdapter
  Adapter = OAuth1Adapter

  # The verifier's timestamp window, decided by the application in signet's nonce_timestamp hook.
  TIMESTAMP_WINDOW = 300

  # Records what Signet::OAuth1's module functions return while the client signs, and fixes the nonce
  # and timestamp: signet draws them from Signet::OAuth1.generate_nonce / generate_timestamp and has
  # no option for them.
  module StageCapture
    RECORDER = OAuth1Adapter::StageRecorder.new
    @fixed = nil

    class << self
      attr_reader :fixed

      def during(nonce, timestamp, &block)
        @fixed = { nonce: nonce, timestamp: timestamp }
        RECORDER.during(&block)
      ensure
        @fixed = nil
      end
    end

    module Functions
      def generate_nonce
        StageCapture.fixed ? StageCapture.fixed[:nonce] : super
      end

      def generate_timestamp
        StageCapture.fixed ? StageCapture.fixed[:timestamp] : super
      end

      def normalize_parameters(parameters)
        StageCapture::RECORDER.record('normalized_parameters', super)
      end

      def generate_base_string(method, uri, parameters)
        StageCapture::RECORDER.record('signature_base_string', super)
      end

      def sign_parameters(method, uri, parameters, client_credential_secret, token_credential_secret = nil)
        StageCapture::RECORDER.record('signature', super)
      end
    end
  end
  Signet::OAuth1.singleton_class.prepend(StageCapture::Functions)

  # Which of the client's three requests can carry the case's protocol parameters: signet adds
  # oauth_callback only to the temporary credential request and oauth_verifier only to the token
  # credential request, both POSTs without a body.
  def self.flow(request, oauth)
    extra = oauth['extra'] || {}
    return :resource if extra.empty?

    post_without_body = request['method'] == 'POST' && request['body'].nil?
    return :temporary if post_without_body && oauth['token'].nil? && extra.key?('oauth_callback')
    return :token if post_without_body && !oauth['token'].nil? && extra.keys == ['oauth_verifier']

    raise Adapter::Unsupported, "signet sends extra protocol parameters (#{extra.keys.join(', ')}) only in a temporary " \
                                'credential request (oauth_callback, no token) or a token credential request ' \
                                '(oauth_verifier, a token), both POST without a body'
  end

  def self.client(oauth, secrets)
    rsa = oauth['signature_method'].start_with?('RSA-')
    token_secret = oauth['token'].nil? ? nil : secrets['token_secret'] || ''
    Signet::OAuth1::Client.new(
      client_credential_key: oauth['consumer_key'],
      # RSA-SHA1 reads the private key from the client credential secret.
      client_credential_secret: (rsa ? secrets['rsa_private_key_pem'] : secrets['consumer_secret']) || '',
      token_credential_key: oauth['token'], token_credential_secret: token_secret,
      temporary_credential_key: oauth['token'], temporary_credential_secret: token_secret,
      two_legged: oauth['token'].nil?
    )
  end

  def self.signed_request(flow, client, request, oauth)
    options = { signature_method: oauth['signature_method'], realm: oauth['realm'] }
    extra = (oauth['extra'] || {}).dup
    case flow
    when :temporary
      client.temporary_credential_uri = request['url']
      client.callback = extra.delete('oauth_callback')
      client.generate_temporary_credential_request(**options, additional_parameters: extra.to_a)
    when :token
      client.token_credential_uri = request['url']
      client.generate_token_credential_request(**options, verifier: extra['oauth_verifier'])
    else
      headers = request['content_type'].nil? ? [] : [['Content-Type', request['content_type']]]
      client.generate_authenticated_request(**options, method: request['method'], uri: request['url'],
                                                       headers: headers, body: request['body'] || '')
    end
  end

  def self.sign(message)
    request, oauth, secrets = message.values_at('request', 'oauth', 'secrets')
    %w[nonce timestamp].each do |field|
      raise Adapter::Unsupported, "signet generates oauth_#{field}; it cannot be omitted" if oauth[field].nil?
    end
    raise Adapter::Unsupported, "signet's client sends oauth_version=\"1.0\" only; cannot send #{oauth['version'].inspect}" unless [nil, '1.0'].include?(oauth['version'])

    flow = flow(request, oauth)
    Adapter.library do
      client = client(oauth, secrets)
      signed = nil
      trace = StageCapture.during(oauth['nonce'], oauth['timestamp']) { signed = signed_request(flow, client, request, oauth) }
      trace['authorization_header'] = signed.headers['Authorization']
      { 'trace' => trace }
    end
  end

  def self.parse_header(message)
    { 'params' => Adapter.library { Signet::OAuth1.parse_authorization_header(message['header']) } }
  end

  def self.verify(message)
    request, secrets = message.values_at('request', 'secrets')
    now = message['now']
    headers = request['headers'].map(&:dup)
    headers << ['Content-Type', request['content_type']] unless request['content_type'].nil?
    server = Signet::OAuth1::Server.new(
      client_credential: ->(key) { Signet::OAuth1::Credential.new(key, secrets['rsa_public_key_pem'] || secrets['consumer_secret'] || '') },
      token_credential: ->(key) { Signet::OAuth1::Credential.new(key, secrets['token_secret'] || '') },
      # The application's policy: a decimal timestamp within the window of `now`; the nonce store is
      # empty for every request, so any nonce is fresh.
      nonce_timestamp: ->(_nonce, timestamp) { timestamp.to_s.match?(/\A\d+\z/) && (timestamp.to_i - now).abs <= TIMESTAMP_WINDOW }
    )
    authenticated = Adapter.library do
      server.authenticate_resource_request(
        method: request['method'], uri: request['url'], headers: headers, body: request['body'] || '',
        two_legged: secrets['token_secret'].nil?
      )
    end
    raise Adapter::Rejected, 'Signet::OAuth1::Server#authenticate_resource_request returned nil' if authenticated.nil?

    { 'accepted' => true }
  end

  NOTES = <<~NOTES.tr("\n", ' ').strip
    sign: Signet::OAuth1::Client.new(client_credential_key, client_credential_secret (the RSA private key PEM for
    RSA-SHA1; "" for null), token_credential_key/secret, two_legged: token is null).generate_authenticated_request(
    method, uri, headers: [Content-Type], body, signature_method, realm), or, for a case with oauth_callback
(no token) or oauth_verifier (a token) on a POST without a body, generate_temporary_credential_request(
signature_method, realm, additional_parameters: other extras) with temporary_credential_uri = url and callback,
or generate_token_credential_request(signature_method, realm, verifier) with token_credential_uri = url and the
token as temporary credential (signet sends those parameters only there); the nonce and timestamp are fixed by
    replacing Signet::OAuth1.generate_nonce/generate_timestamp during the call (signet has no option for them).
    normalized_parameters, signature_base_string and signature are the return values of
    Signet::OAuth1.normalize_parameters, generate_base_string and sign_parameters captured while the client runs
    (signet has no separate base-string-URI function, so that stage is not reported); authorization_header is the
    header the client sets. The client always sends oauth_version 1.0 (can_omit_version false), sends extra
    protocol parameters only as described (other cases: unsupported) and no body hash, normalizes the URL with Addressable first,
    reads a form body only for POST, and copies the form parameters into the Authorization header. Only
    HMAC-SHA1, RSA-SHA1 and PLAINTEXT exist. parse_header: Signet::OAuth1.parse_authorization_header. verify:
    Signet::OAuth1::Server.new(client_credential/token_credential lookups returning the case's secrets (the RSA
    public key PEM as the client secret), nonce_timestamp: the application's hook, here a decimal timestamp within
    #{TIMESTAMP_WINDOW} s of `now`).authenticate_resource_request(method, uri, headers + Content-Type, body,
    two_legged: token secret is null). The server reads parameters only from the Authorization header (and
    requires a POST form body's parameters to be repeated there), and signs with the client secret, so it cannot
    verify RSA-SHA1.
  NOTES

  IMPLEMENTATION = OAuth1Adapter.implementation(
    'signet',
    "#{Signet::VERSION} (Debian ruby-signet #{OAuth1Adapter.debian_version('ruby-signet')}, " \
    "ruby-faraday #{OAuth1Adapter.debian_version('ruby-faraday')}, ruby-addressable " \
    "#{OAuth1Adapter.debian_version('ruby-addressable')}, ruby #{RUBY_VERSION})",
    operations: %w[sign parse_header verify], signature_methods: %w[HMAC-SHA1 RSA-SHA1 PLAINTEXT],
    stages: %w[normalized_parameters signature_base_string signature authorization_header],
    can_omit_version: false, body_hash: false, notes: NOTES,
    # Extra protocol parameters go only into the temporary credential request (see `flow`).
    limits: { extras_only_without_token: true, extras_only_without_body: true, extras_only_with_methods: ['POST'] }
  )
end

OAuth1Adapter.serve_module(RubySignetAdapter) if $PROGRAM_NAME == __FILE__
