# frozen_string_literal: true

# Standalone reproduction of simple_oauth's crashes on malformed Authorization headers
# (simple-oauth/raises-no-method-error-on-malformed-header), on its documented server-side use:
# SimpleOAuth::Header.new(method, url, params, authorization_header).valid?(secrets).
#
#   1. an unquoted value, `OAuth oauth_consumer_key=k`: Header.parse raises NoMethodError (its
#      pair regexp does not match and the nil match is indexed);
#   2. a header without oauth_signature_method: valid? raises NoMethodError (nil.downcase), since a
#      parsed header gets none of the defaults a Hash of options gets.
#
# RFC 5849 §3.5.1 fixes the header's syntax (quoted values) and §3.1 makes oauth_signature_method
# REQUIRED: both requests are malformed and a server refuses them (§3.2), it does not crash.
#
# Usage: ruby simple_oauth_header_parse.rb raises-no-method-error-on-malformed-header. Exits 0 while
# both still raise NoMethodError, 3 when neither does (both refused: an error of the library's own or
# valid? false; retire the dossier), 4 otherwise.
require 'simple_oauth'

URL = 'http://127.0.0.1/photos'

def outcome(header)
  SimpleOAuth::Header.new('GET', URL, {}, header).valid?(consumer_secret: 'kd94hf93k423kf44') ? 'accepted' : 'refused'
rescue NoMethodError => e
  "NoMethodError (#{e.message.lines.first.strip})"
rescue StandardError => e
  "refused (#{e.class})"
end

HEADERS = [
  'OAuth oauth_consumer_key=k',
  'OAuth oauth_consumer_key="k", oauth_timestamp="1191242096", oauth_nonce="kllo9940pd9333jh", ' \
  'oauth_version="1.0", oauth_signature="tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D"'
].freeze

unless ARGV == ['raises-no-method-error-on-malformed-header']
  warn 'usage: simple_oauth_header_parse.rb raises-no-method-error-on-malformed-header'
  exit 2
end
results = HEADERS.map { |header| outcome(header) }
puts 'finding:   simple-oauth/raises-no-method-error-on-malformed-header'
HEADERS.zip(results).each { |header, result| puts "header:    #{header}\nsimple_oauth: #{result}" }
puts 'RFC 5849:  both refused as malformed (section 3.5.1 quoted values, 3.1 oauth_signature_method REQUIRED, 3.2)'
exit 0 if results.all? { |r| r.start_with?('NoMethodError') }
exit 3 if results.all? { |r| r.start_with?('refused') }
exit 4
