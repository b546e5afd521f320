#!/usr/bin/perl
# Standalone reproductions of the live-client findings of WWW::OAuth (Debian libwww-oauth-perl) with
# HTTP::Tiny, the pairing of its synopsis (docs/findings/clients/www-oauth-http-tiny/), used as the
# capture driver (adapters/perl-www-oauth/capture_driver.pl) uses it: WWW::OAuth->new(client_id,
# client_secret, token, token_secret, signature_method; RSA-SHA1 with a Crypt::OpenSSL::RSA signer,
# as its documentation says), ->authenticate({method, url, headers, content}), ->request_with(
# HTTP::Tiny->new), on each capture case (crates/conformance/src/live/capture/cases.rs).
#
# A signature finding: authenticate() writes the Authorization header without sending anything;
# the program reads the nonce, timestamp and signature from it, puts that nonce and timestamp into
# the base strings written out below (RFC 5849's, from `oauth1-conformance capture`'s report of the
# case at port 8080, and the one the dossier documents) and signs them itself: HMAC-SHA1 with
# Digest::SHA, RSA-SHA1 with Crypt::OpenSSL::RSA and the key below (the one the library signs with;
# RSASSA-PKCS1-v1_5 is deterministic). The library's signature is RFC 5849's (exit 3), the
# documented one (0) or neither (4).
#
# The redirect finding (signed, not sent: the signature on the wire is not for the URL it is sent
# to): the program forks its own HTTP server on 127.0.0.1, port 0 (Loopback.pm beside it, on
# IO::Socket::INET, Perl's core), which answers the first request 307 to …/moved and the second 200,
# and hands each request's Authorization header back over a pipe; the child ends itself after 20 s
# (alarm) and is ended when the program ends. HTTP::Tiny follows the redirect itself. The re-sent
# header is judged as RFC 5849 wants: each parameter once (§3.1, §3.5.1), a nonce not used before
# (§3.3) and a signature for the URL it is sent to (§3.4.1.2), the port substituted into the base
# strings.
#
# Usage: perl www_oauth_capture.pl CASE (the capture case id)
# Exit: 0 still as documented, 3 agrees with RFC 5849 (retire the dossier), 4 a third value,
# 2 usage or setup.
use strict;
use warnings;
use FindBin ();
use lib $FindBin::Bin;
use Crypt::OpenSSL::RSA ();
use Digest::SHA ();
use Encode ();
use HTTP::Tiny ();
use JSON::PP ();
use Loopback ();
use MIME::Base64 ();
use URI::Escape ();
use WWW::OAuth ();

# The capture's fixed test credentials (RFC 5849 §1.2's client and token), the HMAC-SHA1 key they
# make (§3.4.2), and an RSA key (the 512-bit key of the vector lib-pecl-rsa-sha1-512-bit-key,
# vectors/libraries-sign.json).
my %CREDENTIALS = (client_id => 'dpf43f3p2l4k3l03', client_secret => 'kd94hf93k423kf44',
    token => 'nnch734d00sl2jdk', token_secret => 'pfkkdhi9sl3r4s00');
my $HMAC_KEY = 'kd94hf93k423kf44&pfkkdhi9sl3r4s00';
my $RSA_KEY = <<'PEM';
-----BEGIN RSA PRIVATE KEY-----
MIIBOQIBAAJBALkBSThnaneNdYKgt+r+r0Ttbm6tXpiby5ywK0SIT9Q9zuml/qIO
GX9f43DgoCpK6Ju1+GjhZ5jmRD0ITUMgSx0CAwEAAQJAPoKwut42my6xBfJIMp7b
me6f4cWysN3zbn4YII/uaUflGTvYwwZYMAjZjqXYNcepZQhL8g6Fclsn9IAXbqRG
AQIhAPQMXKJuHjlGYHs/EhiEHuIPLaQ09f9X9TShLjeu1p3jAiEAwhCyle1J08F+
jmWbB1RqjivF6bmIXGfHUsHc5+fxwv8CIGdVGJ/56jgsEUv974aL4puq+5NMjWA5
eOx41p3jHKIrAiAKrxCl4GJoHgbxn/Zg+OzE1vQWYfh33d7DV5jpy4Mr0QIgIR95
BrFdH6fnl11HEZt2hSdvM8G1C/t0i6u5ApW/8Ko=
-----END RSA PRIVATE KEY-----
PEM

# Per capture case: the checks that failed and the quirk the capture named (adapters/baselines/
# clients/www-oauth-http-tiny.json), the request, and RFC 5849's and the documented base strings
# (HMAC-SHA1), what RFC 5849 and the dossier say the signature is (RSA-SHA1, over `base_string`),
# or RFC 5849's and the documented verdict on the re-sent request (the redirect).
our $FINDINGS = JSON::PP->new->utf8->decode(<<'JSON');
[
 {
  "finding": "query-reserved-raw",
  "checks": [
   "signature"
  ],
  "diagnosis": [
   "semicolon-separates-query"
  ],
  "request": {
   "method": "GET",
   "url": "http://127.0.0.1:8080/www-oauth-http-tiny/query-reserved-raw?q=a:b/c?d@e!$'()*,;f",
   "content_type": null,
   "body": null
  },
  "rfc": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fwww-oauth-http-tiny%2Fquery-reserved-raw&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26q%3Da%253Ab%252Fc%253Fd%2540e%2521%2524%2527%2528%2529%252A%252C%253Bf",
  "documented": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fwww-oauth-http-tiny%2Fquery-reserved-raw&f%3D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26q%3Da%253Ab%252Fc%253Fd%2540e%2521%2524%2527%2528%2529%252A%252C"
 },
 {
  "finding": "redirect-307",
  "checks": [
   "signature",
   "nonce_reused",
   "redirect_not_resigned"
  ],
  "diagnosis": [
   "signed-not-sent:resends-signature-on-redirect"
  ],
  "request": {
   "method": "GET",
   "url": "http://127.0.0.1:{port}/www-oauth-http-tiny/redirect-307?x=1",
   "content_type": null,
   "body": null
  },
  "new_url_base_string": "GET&http%3A%2F%2F127.0.0.1%3A{port}%2Fwww-oauth-http-tiny%2Fredirect-307%2Fmoved&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26x%3D1",
  "original_url_base_string": "GET&http%3A%2F%2F127.0.0.1%3A{port}%2Fwww-oauth-http-tiny%2Fredirect-307&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26x%3D1",
  "rfc": "repeated parameters: none; nonce: fresh; oauth_signature signed for: the new URL",
  "documented": "repeated parameters: none; nonce: reused; oauth_signature signed for: the original URL"
 },
 {
  "finding": "sig-rsa-sha1",
  "checks": [
   "signature"
  ],
  "diagnosis": [
   "rsa-signature-not-base64"
  ],
  "request": {
   "method": "GET",
   "url": "http://127.0.0.1:8080/www-oauth-http-tiny/sig-rsa-sha1?a=1",
   "content_type": null,
   "body": null
  },
  "signature_method": "RSA-SHA1",
  "base_string": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fwww-oauth-http-tiny%2Fsig-rsa-sha1&a%3D1%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DRSA-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
  "rfc": "the base64 encoding of the RSA-SHA1 signature of the base string",
  "documented": "the RSA-SHA1 signature octets of the base string, each as a Latin-1 character (not base64)"
 }
]
JSON

# The protocol parameters of an Authorization header, in order, decoded (§3.5.1).
sub header_parameters {
    my ($header) = @_;
    $header =~ s/^\s*OAuth\s+//i or return ();
    return map { /^\s*([^=\s]+)="([^"]*)"\s*$/ ? [$1, URI::Escape::uri_unescape($2)] : [$_, undef] } split /,/, $header;
}

sub parameter {
    my ($name, @parameters) = @_;
    my ($found) = grep { $_->[0] eq $name } @parameters;
    return $found ? $found->[1] : '';
}

sub filled {
    my ($base_string, %fill) = @_;
    $base_string =~ s/\{(\w+)\}/$fill{$1}/g;
    return $base_string;
}

sub hmac_signature_of { return MIME::Base64::encode_base64(Digest::SHA::hmac_sha1(filled(@_), $HMAC_KEY), '') }

sub rsa_key {
    my $key = Crypt::OpenSSL::RSA->new_private_key($RSA_KEY);
    $key->use_sha1_hash;
    return $key;
}

sub client {
    my ($entry) = @_;
    my $method = $entry->{signature_method} // 'HMAC-SHA1';
    my $oauth = WWW::OAuth->new(%CREDENTIALS, signature_method => $method);
    $oauth->signer(rsa_key()) if $method eq 'RSA-SHA1';
    return $oauth;
}

sub request_spec {
    my ($spec, $url) = @_;
    my %request = (method => $spec->{method}, url => $url);
    $request{content} = $spec->{body} if defined $spec->{body};
    $request{headers} = {'Content-Type' => $spec->{content_type}} if defined $spec->{content_type};
    return \%request;
}

# What the library's signature is, as the entry's `rfc` and `documented` describe it.
sub signature_verdict {
    my ($entry) = @_;
    my $header = client($entry)->authenticate(request_spec($entry->{request}, $entry->{request}{url}))->header('Authorization');
    my @parameters = header_parameters($header);
    my %fill = (nonce => parameter('oauth_nonce', @parameters), timestamp => parameter('oauth_timestamp', @parameters));
    my $signature = parameter('oauth_signature', @parameters);
    print "WWW::OAuth wrote Authorization: $header\n";
    if (defined $entry->{base_string}) {
        my $octets = rsa_key()->sign(filled($entry->{base_string}, %fill));
        print "base string: ", filled($entry->{base_string}, %fill), "\n";
        return $entry->{rfc} if $signature eq MIME::Base64::encode_base64($octets, '');
        # The header's value is UTF-8: octets read as Latin-1 characters, encoded again.
        return $entry->{documented} if Encode::decode('UTF-8', $signature) eq Encode::decode('ISO-8859-1', $octets);
        return 'neither';
    }
    return $entry->{rfc} if $signature eq hmac_signature_of($entry->{rfc}, %fill);
    return $entry->{documented} if $signature eq hmac_signature_of($entry->{documented}, %fill);
    return 'neither base string below (the signature of something else)';
}

# What the re-sent request of the redirect carries, judged as RFC 5849 wants.
sub redirect_verdict {
    my ($entry) = @_;
    my ($headers, $port) = Loopback::redirect($entry->{request}{url}, sub {
        my ($url) = @_;
        client($entry)->authenticate(request_spec($entry->{request}, $url))->request_with(HTTP::Tiny->new(timeout => 10));
    });
    print "first request:  Authorization: $headers->[0]\nre-sent request: Authorization: $headers->[1]\n";
    my @first = header_parameters($headers->[0]);
    my @again = header_parameters($headers->[1]);
    my %count;
    $count{$_->[0]}++ for @again;
    my @repeated = grep { $count{$_} > 1 } do { my %seen; grep { !$seen{$_}++ } map { $_->[0] } @again };
    my %fill = (port => $port, nonce => parameter('oauth_nonce', @again), timestamp => parameter('oauth_timestamp', @again));
    my %for = (hmac_signature_of($entry->{new_url_base_string}, %fill) => 'the new URL',
        hmac_signature_of($entry->{original_url_base_string}, %fill) => 'the original URL');
    my @signed_for = map { $for{$_->[1]} // 'neither URL' } grep { $_->[0] eq 'oauth_signature' } @again;
    return join '; ', 'repeated parameters: ' . (@repeated ? join(', ', @repeated) : 'none'),
        'nonce: ' . (parameter('oauth_nonce', @first) eq $fill{nonce} ? 'reused' : 'fresh'),
        'oauth_signature signed for: ' . join(', ', @signed_for);
}

sub main {
    my ($entry) = grep { $_->{finding} eq ($ARGV[0] // '') } @$FINDINGS;
    unless ($entry) {
        print STDERR "usage: $0 CASE (one of: ", join(', ', map { $_->{finding} } @$FINDINGS), ")\n";
        return 2;
    }
    binmode STDOUT, ':encoding(UTF-8)';
    print "finding:  clients/www-oauth-http-tiny/$entry->{finding} (failed checks: @{$entry->{checks}}; $entry->{diagnosis}[0])\n";
    my $value = eval { $entry->{new_url_base_string} ? redirect_verdict($entry) : signature_verdict($entry) };
    unless (defined $value) { print STDERR "error: $@"; return 2 }
    print "WWW::OAuth: $value\n";
    print "RFC 5849:   $entry->{rfc}\n";
    if ($value eq $entry->{rfc}) { print "fixed: WWW::OAuth now agrees with RFC 5849\n"; return 3 }
    if ($value ne $entry->{documented}) { print "changed: the dossier documents $entry->{documented}\n"; return 4 }
    return 0;
}

exit main();
