# frozen_string_literal: true

# signet's capture driver: Signet::OAuth1::Client#fetch_protected_resource over a Faraday
# connection, as signet's documentation pairs them (docs/capture.md describes the environment).
require 'base64' # signet's HMAC-SHA1 calls Base64 without requiring it
require 'faraday'
require 'signet/oauth_1/client'
require_relative '../ruby-common/capture_case'

c = CaptureCase.read
unless %w[HMAC-SHA1 RSA-SHA1 PLAINTEXT].include?(c.signature_method)
  CaptureCase.cannot_express("signet has no #{c.signature_method}")
end
client = Signet::OAuth1::Client.new(
  client_credential_key: c.consumer_key,
  # RSA-SHA1 reads the private key from the client credential secret.
  client_credential_secret: c.rsa? ? c.rsa_key : c.consumer_secret,
  token_credential_key: c.token, token_credential_secret: c.token && c.token_secret,
  two_legged: c.token.nil?
)
connection = Faraday.new(ssl: { ca_file: c.ca_file })
begin
  client.fetch_protected_resource(method: c.method, uri: c.url, headers: c.headers.to_a, body: c.body || '',
                                  signature_method: c.signature_method, realm: c.realm, connection: connection)
rescue Signet::AuthorizationError
  # A 401 or 403 answer: the request was made, the server judged it.
end
