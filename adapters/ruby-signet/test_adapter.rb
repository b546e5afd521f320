# frozen_string_literal: true

# Run from anywhere: ruby adapters/ruby-signet/test_adapter.rb
require 'minitest/autorun'
require_relative '../ruby-common/adapter_test_support'

class SignetAdapterTest < AdapterTestSupport.test_case('signet', __dir__)
  # signet always sends oauth_version; it reports no base string URI.
  def test_rfc5849_3_4_1_with_version
    assert_rfc5849_3_4_1_with_version(%w[normalized_parameters signature_base_string])
  end

  # RFC 5849 §1.2: oauth_callback goes through the temporary credential request.
  def test_rfc5849_1_2_temporary_credentials
    _, trace = AdapterTestSupport.signed(ADAPTER, 'rfc5849-1.2-temporary-credentials')
    assert_match(/oauth_callback="http%3A%2F%2Fprinter.example.com%2Fready"/, trace['authorization_header'])
  end

  def test_parse_header_and_verify
    params = AdapterTestSupport.answer(ADAPTER, 'rfc5849-3.5.1-header').fetch('result').fetch('params')
    assert_equal %w[realm Example], params.first
    assert_verify('rfc5849-1.2-protected-resource-verify', 'verify-timestamp-stale-301s')
  end
end
