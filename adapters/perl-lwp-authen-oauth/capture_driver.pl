#!/usr/bin/perl
# LWP::Authen::OAuth's capture driver: the module is an LWP::UserAgent that signs every request
# it sends, used as its documentation shows ($ua->request(HTTP::Request)); docs/capture.md
# describes the environment.
use strict;
use warnings;
use FindBin ();
use lib "$FindBin::Bin/../perl-common";
use CaptureCase qw(read_case cannot_express);
use HTTP::Request ();
use LWP::Authen::OAuth ();

my $c = read_case();
cannot_express("LWP::Authen::OAuth signs with HMAC-SHA1 only") unless $c->{signature_method} eq 'HMAC-SHA1';
cannot_express("LWP::Authen::OAuth cannot send a realm") if defined $c->{realm};
my $ua = LWP::Authen::OAuth->new(
    oauth_consumer_key => $c->{consumer_key},
    oauth_consumer_secret => $c->{consumer_secret},
    oauth_token => $c->{token},
    oauth_token_secret => $c->{token_secret},
);
$ua->ssl_opts(SSL_ca_file => $c->{ca_file}) if defined $c->{ca_file};
my $request = HTTP::Request->new($c->{method} => $c->{url});
$request->header('Content-Type' => $c->{content_type}) if defined $c->{content_type};
$request->content($c->{body}) if defined $c->{body};
my $response = $ua->request($request);
# A status LWP makes up itself (500 with Client-Warning) means nothing was sent.
exit(($response->header('Client-Warning') // '') eq 'Internal response' ? 1 : 0);
