# prove adapters/perl-net-oauth/t   (from the repository root)
# Published values: RFC 5849 §1.2 (the protected resource request, signature
# MdpQcU8iPSUjWoN/UDMsK2sui9I=), and its Authorization header as a verify request.
use strict;
use warnings;
use FindBin ();
use lib "$FindBin::Bin/../../perl-common";
use Test::More;
use AdapterSession;
use JSON::PP ();

my $session = AdapterSession->start('perl', "$FindBin::Bin/../adapter.pl");
my $implementation = $session->handshake->{implementation};
is($implementation->{name}, 'net-oauth', 'handshake names the row');
is_deeply($implementation->{capabilities}{operations}, ['sign', 'verify'], 'sign and verify');

my %rfc_1_2 = (
    request => {method => 'GET', url => 'http://photos.example.net/photos?file=vacation.jpg&size=original',
                content_type => undef, body => undef},
    oauth => {consumer_key => 'dpf43f3p2l4k3l03', token => 'nnch734d00sl2jdk', signature_method => 'HMAC-SHA1',
              timestamp => '137131202', nonce => 'chapoH', version => undef, realm => 'Photos', extra => {}},
    secrets => {consumer_secret => 'kd94hf93k423kf44', token_secret => 'pfkkdhi9sl3r4s00', rsa_private_key_pem => undef},
);
my $signed = $session->request(cmd => 'sign', %rfc_1_2);
my $trace = $signed->{result}{trace};
is($trace->{signature}, 'MdpQcU8iPSUjWoN/UDMsK2sui9I=', 'RFC 5849 §1.2 signature');
is($trace->{base_string_uri}, 'http://photos.example.net/photos', 'RFC 5849 §1.2 base string URI');
unlike($trace->{normalized_parameters}, qr/oauth_version/, 'no oauth_version when the request has none');
like($trace->{authorization_header}, qr/^OAuth realm="Photos",/, 'realm first in the header');

my $published_header = 'OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_token="nnch734d00sl2jdk", '
    . 'oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131202", oauth_nonce="chapoH", '
    . 'oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"';
my %verify = (
    request => {%{$rfc_1_2{request}}, headers => [['Authorization', $published_header]]},
    secrets => {consumer_secret => 'kd94hf93k423kf44', token_secret => 'pfkkdhi9sl3r4s00'},
    now => 137131202,
);
is_deeply($session->request(cmd => 'verify', %verify)->{result}, {accepted => JSON::PP::true}, 'RFC 5849 §1.2 request verifies');
(my $tampered = $published_header) =~ s/chapoH/chapoI/;
my $refused = $session->request(cmd => 'verify', %verify, request => {%{$verify{request}}, headers => [['Authorization', $tampered]]});
ok(exists $refused->{rejected}, 'a changed nonce is rejected');

my ($stopped, $status) = $session->stop;
ok($stopped->{ok}, 'stop is answered');
is($status, 0, 'exit status 0');
done_testing;
