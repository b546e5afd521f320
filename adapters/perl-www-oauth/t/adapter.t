# prove adapters/perl-www-oauth/t   (from the repository root)
# Published value: RFC 5849 §3.4.1 with oauth_version=1.0 added, OB33pYjWAnf+xtOHN4Gmbdil168=
# (implementations.md; the RFC's own value without the version is r6/TJjbCOr97/+UU0NsvSne7s5g=,
# errata 2550; WWW::OAuth always sends the version).
use strict;
use warnings;
use FindBin ();
use lib "$FindBin::Bin/../../perl-common";
use Test::More;
use AdapterSession;

my $session = AdapterSession->start('perl', "$FindBin::Bin/../adapter.pl");
my $implementation = $session->handshake->{implementation};
is($implementation->{name}, 'www-oauth', 'handshake names the row');
ok(!$implementation->{capabilities}{can_omit_version}, 'declares that it always sends oauth_version');

my $signed = $session->request(
    cmd => 'sign',
    request => {method => 'POST', url => 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b',
                content_type => 'application/x-www-form-urlencoded', body => 'c2&a3=2+q'},
    oauth => {consumer_key => '9djdj82h48djs9d2', token => 'kkk9d7dh3k39sjv7', signature_method => 'HMAC-SHA1',
              timestamp => '137131201', nonce => '7d8f3e4a', version => '1.0', realm => 'Example', extra => {}},
    secrets => {consumer_secret => 'j49sk3j29djd', token_secret => 'dh893hdasih9', rsa_private_key_pem => undef},
);
my $trace = $signed->{result}{trace};
is($trace->{signature}, 'OB33pYjWAnf+xtOHN4Gmbdil168=', 'RFC 5849 §3.4.1 signature with oauth_version=1.0');
like($trace->{signature_base_string}, qr/^POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26/,
    'RFC 5849 §3.4.1.1 base string start');
like($trace->{authorization_header}, qr/oauth_signature="OB33pYjWAnf%2BxtOHN4Gmbdil168%3D"/, 'signature in the header');

my $unsupported = $session->request(
    cmd => 'sign', request => {method => 'GET', url => 'http://example.com/'},
    oauth => {consumer_key => 'k', signature_method => 'HMAC-SHA1', timestamp => '1', nonce => undef, version => '1.0', extra => {}},
    secrets => {consumer_secret => 's'});
like($unsupported->{unsupported}{message}, qr/oauth_nonce/, 'a null nonce cannot be expressed');

my ($stopped, $status) = $session->stop;
ok($stopped->{ok}, 'stop is answered');
is($status, 0, 'exit status 0');
done_testing;
