# frozen_string_literal: true

# simple_oauth (Debian ruby-simple-oauth) behind the adapter protocol (adapters/PROTOCOL.md), row
# `simple-oauth`.
#
#   sign:   SimpleOAuth::Header.new(method, url, form_params, options); the stages are the values of
#           its own methods (url, normalized_params, signature_base, signed_attributes, to_s).
#   verify: SimpleOAuth::Header.new(method, url, form_params, authorization_header)
#           .valid?(consumer_secret:, token_secret:)
#
# See README.md.

require_relative '../ruby-common/oauth1_adapter'
require 'simple_oauth'
require 'uri'

module RubySimpleOAuthAdapter
  Adapter = OAuth1Adapter

  # The protocol parameters SimpleOAuth::Header::ATTRIBUTE_KEYS knows besides those every request has.
  EXTRA_OPTIONS = { 'oauth_callback' => :callback, 'oauth_verifier' => :verifier }.freeze

  FORM = 'application/x-www-form-urlencoded'

  # simple_oauth signs the `params` it is given as the request's body parameters and reads the query
  # itself; its README passes them as a Hash. The caller decodes a form body with Ruby's own
  # URI.decode_www_form, as the gems built on simple_oauth (twitter) hand it their form parameters.
  def self.form_params(request)
    content_type = request['content_type']
    body = request['body']
    return {} if body.nil? || content_type.to_s.split(';').first.to_s.strip.casecmp(FORM) != 0

    Adapter.library { URI.decode_www_form(body).to_h }
  end

  def self.sign_options(oauth, secrets)
    raise Adapter::Unsupported, 'SimpleOAuth::Header generates oauth_nonce/oauth_timestamp when not given' if oauth['nonce'].nil? || oauth['timestamp'].nil?

    options = {
      consumer_key: oauth['consumer_key'],
      # RSA-SHA1 reads the private key from :consumer_secret (SimpleOAuth::Header#private_key).
      consumer_secret: oauth['signature_method'].start_with?('RSA-') ? secrets['rsa_private_key_pem'] : secrets['consumer_secret'],
      signature_method: oauth['signature_method'],
      nonce: oauth['nonce'],
      timestamp: oauth['timestamp']
    }
    # default_options supplies version "1.0" when none is given: it cannot be omitted.
    options[:version] = oauth['version'] unless oauth['version'].nil?
    unless oauth['token'].nil?
      options[:token] = oauth['token']
      options[:token_secret] = secrets['token_secret']
    end
    options.update(Adapter.extra_options(oauth, EXTRA_OPTIONS, 'SimpleOAuth::Header'))
  end

  def self.sign(message)
    request, oauth, secrets = message.values_at('request', 'oauth', 'secrets')
    options = sign_options(oauth, secrets)
    params = form_params(request)
    Adapter.library do
      header = SimpleOAuth::Header.new(request['method'], request['url'], params, options)
      trace = {
        'base_string_uri' => header.url,
        'normalized_parameters' => header.send(:normalized_params),
        'signature_base_string' => header.send(:signature_base),
        'signature' => header.signed_attributes[:oauth_signature],
        'authorization_header' => header.to_s
      }
      { 'trace' => trace }
    end
  end

  def self.verify(message)
    request, secrets = message.values_at('request', 'secrets')
    authorization = request['headers'].select { |name, _| name.casecmp('authorization').zero? }.map(&:last)
    raise Adapter::Unsupported, 'more than one Authorization header' if authorization.length > 1

    params = form_params(request)
    valid = Adapter.library do
      header = SimpleOAuth::Header.new(request['method'], request['url'], params, authorization.first.to_s)
      # realm (and any other non-protocol name) in the header is an "extra key" the signer refuses
      # unless told to ignore it; RSA-SHA1 cannot verify (it signs with :consumer_secret as a private key).
      header.valid?(consumer_secret: secrets['consumer_secret'], token_secret: secrets['token_secret'], ignore_extra_keys: true)
    end
    raise Adapter::Rejected, 'SimpleOAuth::Header#valid? returned false' unless valid

    { 'accepted' => true }
  end

  NOTES = <<~NOTES.tr("\n", ' ').strip
    sign: SimpleOAuth::Header.new(method, url, form_params, {consumer_key, consumer_secret (the RSA private key PEM
    for RSA-SHA1), token, token_secret, signature_method, nonce, timestamp, version when given, callback/verifier
    from extra}); form_params is URI.decode_www_form(body).to_h when the Content-Type is
    application/x-www-form-urlencoded (the caller decodes the body: the library takes body parameters as a Hash,
    so duplicate body names collapse to the last), else {}. base_string_uri = Header#url, normalized_parameters
    = Header#normalized_params, signature_base_string = Header#signature_base (private methods, called with
    send), signature = Header#signed_attributes[:oauth_signature], authorization_header = Header#to_s. The
    library always sends oauth_version (default 1.0: can_omit_version false), has no realm and no body hash,
    knows only HMAC-SHA1, RSA-SHA1 and PLAINTEXT, and only oauth_callback/oauth_verifier as extra parameters
    (others: unsupported). verify: SimpleOAuth::Header.new(method, url, form_params, Authorization header
    string).valid?(consumer_secret:, token_secret:, ignore_extra_keys: true) (ignore_extra_keys so that a realm
    in the header is not an error); it compares the signature only: no timestamp window, nonce, version or
    duplicate checks, parameters only from the Authorization header, RSA-SHA1 cannot be verified.
  NOTES

  IMPLEMENTATION = OAuth1Adapter.implementation(
    'simple-oauth',
    "#{OAuth1Adapter.gem_version('simple_oauth')} " \
    "(Debian ruby-simple-oauth #{OAuth1Adapter.debian_version('ruby-simple-oauth')}, ruby #{RUBY_VERSION})",
    operations: %w[sign verify], signature_methods: %w[HMAC-SHA1 RSA-SHA1 PLAINTEXT],
    stages: %w[normalized_parameters base_string_uri signature_base_string signature authorization_header],
    can_omit_version: false, body_hash: false, notes: NOTES
  )
end

OAuth1Adapter.serve_module(RubySimpleOAuthAdapter) if $PROGRAM_NAME == __FILE__
