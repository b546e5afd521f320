#!/usr/bin/perl
# Standalone reproductions of the live-client findings of LWP::Authen::OAuth (Debian
# liblwp-authen-oauth-perl), the LWP::UserAgent subclass that signs every request it sends
# (docs/findings/clients/lwp-authen-oauth/), used as its synopsis and the capture driver
# (adapters/perl-lwp-authen-oauth/capture_driver.pl) use it: LWP::Authen::OAuth->new(oauth_consumer_key,
# oauth_consumer_secret, oauth_token, oauth_token_secret), then $ua->request(HTTP::Request) with each
# capture case's method, URL, content type and body (crates/conformance/src/live/capture/cases.rs).
#
# A signature finding: LWP's request_send hook keeps the request LWP would put on the wire and
# answers 204, so nothing is sent. The nonce, timestamp and signature are read from the
# Authorization header the library wrote; the program puts that nonce and timestamp into RFC 5849's
# signature base string of the request as sent and into the one the dossier documents (both
# written out below, from `oauth1-conformance capture`'s report of the case at port 8080) and signs
# both with Digest::SHA's HMAC-SHA1: the library's signature is RFC 5849's (exit 3), the documented
# one (0) or neither (4).
#
# The redirect finding: the program forks its own HTTP server on 127.0.0.1, port 0 (Loopback.pm
# beside it, on IO::Socket::INET, Perl's core), which answers the first request 307 to …/moved and
# the second 200, and hands each request's Authorization header back over a pipe; the child ends
# itself after 20 s (alarm) and is ended when the program ends. LWP follows the redirect itself. The
# re-sent header is judged as RFC 5849 wants: each parameter once (§3.1, §3.5.1), a nonce not used
# before (§3.3) and a signature for the URL it is sent to (§3.4.1.2), the port substituted into the
# base strings.
#
# Usage: perl lwp_authen_oauth_capture.pl CASE (the capture case id)
# Exit: 0 still as documented, 3 agrees with RFC 5849 (retire the dossier), 4 a third value,
# 2 usage or setup.
use strict;
use warnings;
use FindBin ();
use lib $FindBin::Bin;
use Digest::SHA ();
use HTTP::Request ();
use HTTP::Response ();
use JSON::PP ();
use Loopback ();
use LWP::Authen::OAuth ();
use MIME::Base64 ();
use URI::Escape ();

# The capture's fixed test credentials (RFC 5849 §1.2's client and token), and the HMAC-SHA1 key
# they make (§3.4.2).
my %CREDENTIALS = (oauth_consumer_key => 'dpf43f3p2l4k3l03', oauth_consumer_secret => 'kd94hf93k423kf44',
    oauth_token => 'nnch734d00sl2jdk', oauth_token_secret => 'pfkkdhi9sl3r4s00');
my $HMAC_KEY = 'kd94hf93k423kf44&pfkkdhi9sl3r4s00';

# Per capture case: the checks that failed and the quirk the capture named (adapters/baselines/
# clients/lwp-authen-oauth.json), the request, and RFC 5849's and the documented base strings (a
# signature finding) or RFC 5849's and the documented verdict on the re-sent request (the redirect).
our $FINDINGS = JSON::PP->new->utf8->decode(<<'JSON');
[
 {
  "finding": "brackets-form",
  "checks": [
   "signature"
  ],
  "diagnosis": [],
  "request": {
   "method": "POST",
   "url": "http://127.0.0.1:8080/lwp-authen-oauth/brackets-form",
   "content_type": "application/x-www-form-urlencoded",
   "body": "tags[]=x&tags[]=y&user[name]=bob"
  },
  "rfc": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Flwp-authen-oauth%2Fbrackets-form&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26tags%255B%255D%3Dx%26tags%255B%255D%3Dy%26user%255Bname%255D%3Dbob",
  "documented": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Flwp-authen-oauth%2Fbrackets-form&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26tags%255B%255D%3Dy%26tags%255B%255D%3Dx%26user%255Bname%255D%3Dbob"
 },
 {
  "finding": "form-and-query",
  "checks": [
   "signature"
  ],
  "diagnosis": [
   "ignores-query"
  ],
  "request": {
   "method": "POST",
   "url": "http://127.0.0.1:8080/lwp-authen-oauth/form-and-query?q=1",
   "content_type": "application/x-www-form-urlencoded",
   "body": "b=2"
  },
  "rfc": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Flwp-authen-oauth%2Fform-and-query&b%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26q%3D1",
  "documented": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Flwp-authen-oauth%2Fform-and-query&b%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
 },
 {
  "finding": "form-charset",
  "checks": [
   "signature"
  ],
  "diagnosis": [
   "ignores-form-body"
  ],
  "request": {
   "method": "POST",
   "url": "http://127.0.0.1:8080/lwp-authen-oauth/form-charset",
   "content_type": "application/x-www-form-urlencoded; charset=utf-8",
   "body": "a=1&n=caf%C3%A9"
  },
  "rfc": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Flwp-authen-oauth%2Fform-charset&a%3D1%26n%3Dcaf%25C3%25A9%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
  "documented": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Flwp-authen-oauth%2Fform-charset&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
 },
 {
  "finding": "form-repeated",
  "checks": [
   "signature"
  ],
  "diagnosis": [
   "sorts-by-name-only"
  ],
  "request": {
   "method": "POST",
   "url": "http://127.0.0.1:8080/lwp-authen-oauth/form-repeated",
   "content_type": "application/x-www-form-urlencoded",
   "body": "a=2&a=1"
  },
  "rfc": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Flwp-authen-oauth%2Fform-repeated&a%3D1%26a%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
  "documented": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Flwp-authen-oauth%2Fform-repeated&a%3D2%26a%3D1%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
 },
 {
  "finding": "path-tilde-encoded",
  "checks": [
   "signature"
  ],
  "diagnosis": [
   "decodes-unreserved-path-escapes"
  ],
  "request": {
   "method": "GET",
   "url": "http://127.0.0.1:8080/lwp-authen-oauth/path-tilde-encoded/%7Euser",
   "content_type": null,
   "body": null
  },
  "rfc": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Flwp-authen-oauth%2Fpath-tilde-encoded%2F%257Euser&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
  "documented": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Flwp-authen-oauth%2Fpath-tilde-encoded%2F~user&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
 },
 {
  "finding": "put-form",
  "checks": [
   "signature"
  ],
  "diagnosis": [
   "ignores-form-body"
  ],
  "request": {
   "method": "PUT",
   "url": "http://127.0.0.1:8080/lwp-authen-oauth/put-form",
   "content_type": "application/x-www-form-urlencoded",
   "body": "a=1&b=2"
  },
  "rfc": "PUT&http%3A%2F%2F127.0.0.1%3A8080%2Flwp-authen-oauth%2Fput-form&a%3D1%26b%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
  "documented": "PUT&http%3A%2F%2F127.0.0.1%3A8080%2Flwp-authen-oauth%2Fput-form&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
 },
 {
  "finding": "query-lowercase-escapes",
  "checks": [
   "signature"
  ],
  "diagnosis": [
   "query-octets-reencoded-as-utf8"
  ],
  "request": {
   "method": "GET",
   "url": "http://127.0.0.1:8080/lwp-authen-oauth/query-lowercase-escapes?l=%c3%a9%2f",
   "content_type": null,
   "body": null
  },
  "rfc": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Flwp-authen-oauth%2Fquery-lowercase-escapes&l%3D%25C3%25A9%252F%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
  "documented": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Flwp-authen-oauth%2Fquery-lowercase-escapes&l%3D%25C3%2583%25C2%25A9%252F%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
 },
 {
  "finding": "query-non-ascii",
  "checks": [
   "signature"
  ],
  "diagnosis": [
   "query-octets-reencoded-as-utf8"
  ],
  "request": {
   "method": "GET",
   "url": "http://127.0.0.1:8080/lwp-authen-oauth/query-non-ascii?n=caf%C3%A9",
   "content_type": null,
   "body": null
  },
  "rfc": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Flwp-authen-oauth%2Fquery-non-ascii&n%3Dcaf%25C3%25A9%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
  "documented": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Flwp-authen-oauth%2Fquery-non-ascii&n%3Dcaf%25C3%2583%25C2%25A9%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
 },
 {
  "finding": "query-non-ascii-raw",
  "checks": [
   "signature"
  ],
  "diagnosis": [
   "query-octets-reencoded-as-utf8"
  ],
  "request": {
   "method": "GET",
   "url": "http://127.0.0.1:8080/lwp-authen-oauth/query-non-ascii-raw?n=café",
   "content_type": null,
   "body": null
  },
  "rfc": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Flwp-authen-oauth%2Fquery-non-ascii-raw&n%3Dcaf%25C3%25A9%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
  "documented": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Flwp-authen-oauth%2Fquery-non-ascii-raw&n%3Dcaf%25C3%2583%25C2%25A9%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
 },
 {
  "finding": "query-repeated",
  "checks": [
   "signature"
  ],
  "diagnosis": [],
  "request": {
   "method": "GET",
   "url": "http://127.0.0.1:8080/lwp-authen-oauth/query-repeated?a=2&a=1&a=2",
   "content_type": null,
   "body": null
  },
  "rfc": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Flwp-authen-oauth%2Fquery-repeated&a%3D1%26a%3D2%26a%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
  "documented": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Flwp-authen-oauth%2Fquery-repeated&a%3D2%26a%3D2%26a%3D1%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
 },
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
   "url": "http://127.0.0.1:8080/lwp-authen-oauth/query-reserved-raw?q=a:b/c?d@e!$'()*,;f",
   "content_type": null,
   "body": null
  },
  "rfc": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Flwp-authen-oauth%2Fquery-reserved-raw&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26q%3Da%253Ab%252Fc%253Fd%2540e%2521%2524%2527%2528%2529%252A%252C%253Bf",
  "documented": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Flwp-authen-oauth%2Fquery-reserved-raw&f%3D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26q%3Da%253Ab%252Fc%253Fd%2540e%2521%2524%2527%2528%2529%252A%252C"
 },
 {
  "finding": "redirect-307",
  "checks": [
   "parameters",
   "header_syntax",
   "redirect_not_resigned"
  ],
  "diagnosis": [
   "resends-signature-on-redirect"
  ],
  "request": {
   "method": "GET",
   "url": "http://127.0.0.1:{port}/lwp-authen-oauth/redirect-307?x=1",
   "content_type": null,
   "body": null
  },
  "new_url_base_string": "GET&http%3A%2F%2F127.0.0.1%3A{port}%2Flwp-authen-oauth%2Fredirect-307%2Fmoved&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26x%3D1",
  "original_url_base_string": "GET&http%3A%2F%2F127.0.0.1%3A{port}%2Flwp-authen-oauth%2Fredirect-307&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26x%3D1",
  "rfc": "repeated parameters: none; nonce: fresh; oauth_signature signed for: the new URL",
  "documented": "repeated parameters: oauth_signature_method, oauth_signature; nonce: reused; oauth_signature signed for: the original URL, neither URL"
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

# The HMAC-SHA1 signature of a base string written out below, its placeholders filled in.
sub signature_of {
    my ($base_string, %fill) = @_;
    $base_string =~ s/\{(\w+)\}/$fill{$1}/g;
    return MIME::Base64::encode_base64(Digest::SHA::hmac_sha1($base_string, $HMAC_KEY), '');
}

sub user_agent {
    my $ua = LWP::Authen::OAuth->new(%CREDENTIALS);
    $ua->timeout(10);
    return $ua;
}

sub http_request {
    my ($spec, $url) = @_;
    my $request = HTTP::Request->new($spec->{method} => $url);
    $request->header('Content-Type' => $spec->{content_type}) if defined $spec->{content_type};
    $request->content($spec->{body}) if defined $spec->{body};
    return $request;
}

# Which base string the library's signature is the HMAC-SHA1 of.
sub signed_base_string {
    my ($entry) = @_;
    my $ua = user_agent();
    my $sent;
    $ua->add_handler(request_send => sub { $sent = shift; return HTTP::Response->new(204, 'not sent') });
    # The URL as the capture driver has it: octets (a raw é is two UTF-8 octets).
    utf8::encode(my $url = $entry->{request}{url});
    $ua->request(http_request($entry->{request}, $url));
    my @parameters = header_parameters($sent->header('Authorization') // '');
    my %fill = (nonce => parameter('oauth_nonce', @parameters), timestamp => parameter('oauth_timestamp', @parameters));
    my $signature = parameter('oauth_signature', @parameters);
    print "LWP::Authen::OAuth sent oauth_signature=\"$signature\" (oauth_nonce $fill{nonce}, oauth_timestamp $fill{timestamp})\n";
    return $entry->{rfc} if $signature eq signature_of($entry->{rfc}, %fill);
    return $entry->{documented} if $signature eq signature_of($entry->{documented}, %fill);
    return "neither base string below (the signature of something else)";
}

# What the re-sent request of the redirect carries, judged as RFC 5849 wants.
sub redirect_verdict {
    my ($entry) = @_;
    my ($headers, $port) = Loopback::redirect($entry->{request}{url}, sub {
        my ($url) = @_;
        user_agent()->request(http_request($entry->{request}, $url));
    });
    print "first request:  Authorization: $headers->[0]\nre-sent request: Authorization: $headers->[1]\n";
    my @first = header_parameters($headers->[0]);
    my @again = header_parameters($headers->[1]);
    my %count;
    $count{$_->[0]}++ for @again;
    my @repeated = grep { $count{$_} > 1 } do { my %seen; grep { !$seen{$_}++ } map { $_->[0] } @again };
    my %fill = (port => $port, nonce => parameter('oauth_nonce', @again), timestamp => parameter('oauth_timestamp', @again));
    my %for = (signature_of($entry->{new_url_base_string}, %fill) => 'the new URL',
        signature_of($entry->{original_url_base_string}, %fill) => 'the original URL');
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
    print "finding:  clients/lwp-authen-oauth/$entry->{finding} (failed checks: @{$entry->{checks}}",
        (@{$entry->{diagnosis}} ? "; $entry->{diagnosis}[0]" : ''), ")\n";
    my $value = eval { $entry->{new_url_base_string} ? redirect_verdict($entry) : signed_base_string($entry) };
    unless (defined $value) { print STDERR "error: $@"; return 2 }
    print "LWP::Authen::OAuth: $value\n";
    print "RFC 5849:           $entry->{rfc}\n";
    if ($value eq $entry->{rfc}) { print "fixed: LWP::Authen::OAuth now agrees with RFC 5849\n"; return 3 }
    if ($value ne $entry->{documented}) { print "changed: the dossier documents $entry->{documented}\n"; return 4 }
    return 0;
}

exit main();
