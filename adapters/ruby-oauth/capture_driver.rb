# frozen_string_literal: true

# The oauth gem's capture driver: a Net::HTTP request signed with
# Net::HTTPGenericRequest#oauth!(http, consumer, token), as the gem's README shows
# (docs/capture.md describes the environment).
require 'net/http'
require 'oauth'
require 'oauth/client/net_http'
require 'oauth/signature/plaintext'
require_relative '../ruby-common/capture_case'

c = CaptureCase.read
unless %w[HMAC-SHA1 RSA-SHA1 PLAINTEXT].include?(c.signature_method)
  CaptureCase.cannot_express("the oauth gem has no #{c.signature_method}")
end
begin
  uri = URI.parse(c.url)
rescue URI::InvalidURIError => e
  CaptureCase.cannot_express("Ruby's URI refuses the URL: #{e.message}")
end
http = Net::HTTP.new(uri.host, uri.port)
http.use_ssl = uri.scheme == 'https'
http.ca_file = c.ca_file if c.ca_file
request = Net::HTTPGenericRequest.new(c.method, !c.body.nil?, true, uri.request_uri, c.headers)
request.body = c.body unless c.body.nil?
consumer = OAuth::Consumer.new(c.consumer_key, c.consumer_secret, site: "#{uri.scheme}://#{uri.host}:#{uri.port}")
token = c.token && OAuth::Token.new(c.token, c.token_secret)
request.oauth!(http, consumer, token, signature_method: c.signature_method, realm: c.realm, private_key: c.rsa_key)
http.request(request)
