# frozen_string_literal: true

# Run from anywhere: ruby adapters/ruby-simple-oauth/test_adapter.rb
require 'minitest/autorun'
require_relative '../ruby-common/adapter_test_support'

class SimpleOAuthAdapterTest < AdapterTestSupport.test_case('simple-oauth', __dir__)
  # simple_oauth always sends oauth_version, and never a realm.
  def test_rfc5849_3_4_1_with_version
    trace = assert_rfc5849_3_4_1_with_version(%w[normalized_parameters base_string_uri signature_base_string])
    refute_match(/realm=/, trace['authorization_header'])
  end

  def test_verify_accepts_the_rfc_example_and_rejects_a_mutation
    assert_verify('rfc5849-3.4.1-verify', 'verify-mutated-body')
  end
end
