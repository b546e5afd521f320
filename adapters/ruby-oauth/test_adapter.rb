# frozen_string_literal: true

# Run from anywhere: ruby adapters/ruby-oauth/test_adapter.rb
require 'minitest/autorun'
require_relative '../ruby-common/adapter_test_support'

class RubyOAuthAdapterTest < AdapterTestSupport.test_case('ruby-oauth', __dir__)
  # RFC 5849 §1.2: the published signature of the protected-resource request.
  def test_rfc5849_1_2_protected_resource
    _, trace = AdapterTestSupport.signed(ADAPTER, 'rfc5849-1.2-protected-resource')
    assert_equal 'MdpQcU8iPSUjWoN/UDMsK2sui9I=', trace['signature']
    assert_equal 'http://photos.example.net/photos', trace['base_string_uri']
  end

  # RFC 5849 §3.4.1: the gem sorts the decoded names, so `c2` comes before `c@` (whose encoded form
  # `c%40` sorts first); everything else is the RFC's string, and the signature is not the RFC's.
  def test_rfc5849_3_4_1_sorts_decoded_names
    kase, trace = AdapterTestSupport.signed(ADAPTER, 'rfc5849-3.4.1-hmac-sha1')
    assert_equal kase['expected']['normalized_parameters'].sub('c%40=&c2=', 'c2=&c%40='), trace['normalized_parameters']
    refute_equal 'r6/TJjbCOr97/+UU0NsvSne7s5g=', trace['signature']
    refute trace.key?('body_hash'), 'a form body gets no oauth_body_hash'
  end

  # A POST without a form body gets an oauth_body_hash the request did not ask for (SHA-1 of "").
  def test_adds_body_hash_to_a_post_without_form_body
    _, trace = AdapterTestSupport.signed(ADAPTER, 'rfc5849-1.2-temporary-credentials')
    assert_equal '2jmj7l5rSw0yVb/vlWAYkK/YBwk=', trace['body_hash']
  end

  def test_verify_accepts_the_rfc_example_and_rejects_a_mutation
    assert_verify('rfc5849-1.2-protected-resource-verify', 'verify-mutated-body')
  end
end
