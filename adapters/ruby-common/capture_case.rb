# frozen_string_literal: true

# The case a capture driver must send, read from the environment `oauth1-conformance capture
# --exec` sets (docs/capture.md). A driver exits 0 once it got any HTTP response (the server
# judges the request), and CANNOT_EXPRESS (3) with the reason on stderr when its client cannot
# send the case.
module CaptureCase
  CANNOT_EXPRESS = 3

  Case = Struct.new(:url, :method, :content_type, :body, :consumer_key, :consumer_secret, :token, :token_secret,
                    :signature_method, :realm, :rsa_key, :ca_file, keyword_init: true) do
    def headers
      content_type ? { 'Content-Type' => content_type } : {}
    end

    def rsa?
      signature_method.start_with?('RSA-')
    end
  end

  def self.read(env = ENV)
    Case.new(
      url: env.fetch('OAUTH1_CAPTURE_URL'), method: env.fetch('OAUTH1_CAPTURE_METHOD'),
      content_type: env['OAUTH1_CAPTURE_CONTENT_TYPE'],
      body: env['OAUTH1_CAPTURE_BODY_FILE'] && File.binread(env['OAUTH1_CAPTURE_BODY_FILE']),
      consumer_key: env.fetch('OAUTH1_CONSUMER_KEY'), consumer_secret: env.fetch('OAUTH1_CONSUMER_SECRET'),
      token: env['OAUTH1_TOKEN'], token_secret: env['OAUTH1_TOKEN_SECRET'],
      signature_method: env.fetch('OAUTH1_SIGNATURE_METHOD'), realm: env['OAUTH1_REALM'],
      rsa_key: env['OAUTH1_RSA_PRIVATE_KEY_FILE'] && File.read(env['OAUTH1_RSA_PRIVATE_KEY_FILE']),
      ca_file: env['OAUTH1_CAPTURE_CA_FILE']
    )
  end

  def self.cannot_express(reason)
    warn reason
    exit CANNOT_EXPRESS
  end
end
