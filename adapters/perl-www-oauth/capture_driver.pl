#!/usr/bin/perl
# WWW::OAuth's capture driver: $oauth->authenticate({method, url, headers, content})
# ->request_with(HTTP::Tiny->new), the pairing of its synopsis; RSA-SHA1 with a
# Crypt::OpenSSL::RSA signer as its documentation says (docs/capture.md describes the
# environment).
use strict;
use warnings;
use FindBin ();
use lib "$FindBin::Bin/../perl-common";
use CaptureCase qw(read_case cannot_express);
use HTTP::Tiny ();
use WWW::OAuth ();

my $c = read_case();
my $method = $c->{signature_method};
cannot_express("WWW::OAuth has no $method") unless grep { $_ eq $method } qw(HMAC-SHA1 RSA-SHA1 PLAINTEXT);
my $oauth = WWW::OAuth->new(
    client_id => $c->{consumer_key},
    client_secret => $c->{consumer_secret},
    token => $c->{token},
    token_secret => $c->{token_secret},
    signature_method => $method,
);
if ($method eq 'RSA-SHA1') {
    require Crypt::OpenSSL::RSA;
    my $key = Crypt::OpenSSL::RSA->new_private_key($c->{rsa_key});
    $key->use_sha1_hash;
    $oauth->signer($key);
}
my %request = (method => $c->{method}, url => $c->{url});
$request{content} = $c->{body} if defined $c->{body};
$request{headers} = {'Content-Type' => $c->{content_type}} if defined $c->{content_type};
my %parameters = defined $c->{realm} ? (realm => $c->{realm}) : ();
my $ua = HTTP::Tiny->new(defined $c->{ca_file} ? (SSL_options => {SSL_ca_file => $c->{ca_file}}, verify_SSL => 1) : ());
my $response = $oauth->authenticate(\%request, \%parameters)->request_with($ua);
# HTTP::Tiny reports a failure to connect or send as status 599.
exit($response->{status} == 599 ? 1 : 0);
