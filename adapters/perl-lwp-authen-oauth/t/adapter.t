# prove adapters/perl-lwp-authen-oauth/t   (from the repository root)
# Published values: OAuth Core 1.0a Appendix A.5.1-A.5.2 (the protected resource request with
# oauth_version=1.0: its signature base string and signature tR3+Ty81lMeYAr/Fid0kMTYa/WM=).
use strict;
use warnings;
use FindBin ();
use lib "$FindBin::Bin/../../perl-common";
use Test::More;
use AdapterSession;

my $session = AdapterSession->start('perl', "$FindBin::Bin/../adapter.pl");
my $implementation = $session->handshake->{implementation};
is($implementation->{name}, 'lwp-authen-oauth', 'handshake names the row');
is_deeply($implementation->{capabilities}{signature_methods}, ['HMAC-SHA1'], 'HMAC-SHA1 only');
ok(!$implementation->{capabilities}{can_omit_version}, 'always sends oauth_version');

my %appendix_a5 = (
    request => {method => 'GET', url => 'http://photos.example.net/photos?file=vacation.jpg&size=original',
                content_type => undef, body => undef},
    oauth => {consumer_key => 'dpf43f3p2l4k3l03', token => 'nnch734d00sl2jdk', signature_method => 'HMAC-SHA1',
              timestamp => '1191242096', nonce => 'kllo9940pd9333jh', version => '1.0', realm => undef, extra => {}},
    secrets => {consumer_secret => 'kd94hf93k423kf44', token_secret => 'pfkkdhi9sl3r4s00', rsa_private_key_pem => undef},
);
my $trace = $session->request(cmd => 'sign', %appendix_a5)->{result}{trace};
is($trace->{signature}, 'tR3+Ty81lMeYAr/Fid0kMTYa/WM=', 'OAuth Core 1.0a A.5.2 signature');
is($trace->{signature_base_string},
    'GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03'
    . '%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096'
    . '%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal',
    'OAuth Core 1.0a A.5.1 signature base string');
like($trace->{authorization_header}, qr/^OAuth .*oauth_nonce="kllo9940pd9333jh"/, 'the given nonce is sent');
like($trace->{authorization_header}, qr/oauth_signature="tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D"/, 'the signature is sent encoded');

my $no_nonce = $session->request(cmd => 'sign', %appendix_a5, oauth => {%{$appendix_a5{oauth}}, nonce => undef});
like($no_nonce->{unsupported}{message}, qr/oauth_nonce/, 'a null nonce cannot be expressed: unsupported');
my $again = $session->request(cmd => 'sign', %appendix_a5)->{result}{trace};
is($again->{signature}, 'tR3+Ty81lMeYAr/Fid0kMTYa/WM=', 'the process keeps serving after an unsupported input');

my ($stopped, $status) = $session->stop;
ok($stopped->{ok}, 'stop is answered');
is($status, 0, 'exit status 0');
done_testing;
