# frozen_string_literal: true

# Standalone reproduction of two findings in signet's Authorization header parser
# (Signet::OAuth1.parse_authorization_header, which Signet::OAuth1::Server uses on every request):
#
#   header-parse-raises-no-method-error: `OAuth ,` raises NoMethodError (a nil match) instead of
#     Signet::ParseError, so a server that rescues signet's own error class answers a 500.
#     RFC 5849 §3.5.1: the header is `OAuth` followed by comma-separated name="value" pairs; a
#     parser refuses anything else as malformed (a 400, §3.2), not with an internal error.
#   quadratic-header-parse: an unterminated quoted value (`OAuth a="` and n `x`) costs time
#     quadratic in n. The program times n = 2,000 and n = 8,000 in process CPU time: linear code
#     takes about 4 times as long for the second, quadratic code about 16 times.
#
# Usage: ruby signet_header_parse.rb FINDING. Exits 0 while signet behaves as documented, 3 when it
# behaves as RFC 5849 and a linear parser would (retire the dossier), 4 for anything else.
require 'signet/oauth_1'

def parse_error(header)
  Signet::OAuth1.parse_authorization_header(header)
  nil
rescue StandardError => e
  e
end

def no_method_error
  error = parse_error('OAuth ,')
  puts 'finding:   signet/header-parse-raises-no-method-error (header `OAuth ,`)'
  puts "signet:    #{error ? error.class : 'parsed it'}"
  puts 'RFC 5849:  refused as malformed (section 3.5.1, 3.2): Signet::ParseError'
  return 0 if error.is_a?(NoMethodError)
  return 3 if error.is_a?(Signet::ParseError)

  4
end

def cpu_seconds(n)
  start = Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID)
  parse_error("OAuth a=\"#{'x' * n}")
  Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID) - start
end

def quadratic
  small = cpu_seconds(2_000)
  large = cpu_seconds(8_000)
  ratio = large / [small, 1e-6].max
  puts 'finding:   signet/quadratic-header-parse (`OAuth a="` followed by n `x`)'
  puts format('signet:    n = 2,000: %.3f s, n = 8,000: %.3f s of CPU (%.1f times)', small, large, ratio)
  puts 'linear:    about 4 times; quadratic: about 16 times'
  return 0 if ratio >= 9
  return 3 if ratio <= 6

  4
end

case ARGV
when ['header-parse-raises-no-method-error'] then exit no_method_error
when ['quadratic-header-parse'] then exit quadratic
else
  warn 'usage: signet_header_parse.rb header-parse-raises-no-method-error|quadratic-header-parse'
  exit 2
end
