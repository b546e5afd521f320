#!/usr/bin/perl
# LWP::Authen::OAuth (Debian liblwp-authen-oauth-perl) behind the oauth1-conformance adapter
# protocol, version 1 (adapters/PROTOCOL.md). One row, "lwp-authen-oauth": sign. See README.md
# for which library call produces each stage and what the adapter does around the library.

use strict;
use warnings;
use FindBin ();
use lib "$FindBin::Bin/../perl-common";

use Digest::SHA ();
use Encode ();
use HTTP::Request ();
use HTTP::Response ();
use JSON::PP ();
use LWP::Authen::OAuth ();
use OAuth1Adapter qw(debian_version library unsupported run_adapter);

# LWP::Authen::OAuth signs with HMAC-SHA1 only ("This module only supports HMAC_SHA1 signing").
my @SIGNATURE_METHODS = ('HMAC-SHA1');

# What the library passed to Digest::SHA::hmac_sha1 while signing: its signature base string.
my @hmac_inputs;
{
    # The library calls Digest::SHA::hmac_sha1 by its full name at run time, so this wrapper
    # sees the message it signs; it forwards to Digest::SHA's own function unchanged.
    no warnings 'redefine';
    my $hmac_sha1 = \&Digest::SHA::hmac_sha1;
    *Digest::SHA::hmac_sha1 = sub (;@) { push @hmac_inputs, $_[0]; return $hmac_sha1->(@_) };
}

# The request the user agent would send: a request_send handler (LWP::UserAgent's documented
# hook) answers instead of the network, after LWP::Authen::OAuth's request() has signed it.
my $sent;
sub user_agent {
    my ($oauth, $secrets) = @_;
    my $ua = LWP::Authen::OAuth->new(
        oauth_consumer_key => $oauth->{consumer_key},
        oauth_consumer_secret => $secrets->{consumer_secret},
        oauth_token => $oauth->{token},
        oauth_token_secret => $secrets->{token_secret},
    );
    $ua->add_handler(request_send => sub { $sent = $_[0]->clone; return HTTP::Response->new(204, 'not sent') });
    return $ua;
}

# The protocol parameters the library takes from the caller: its docs say to set oauth_nonce
# "via a CGI parameter or the Authorization header"; it reads oauth_nonce, oauth_timestamp,
# oauth_version and any other oauth_* parameter from the request's Authorization header, and
# adds what is missing (a random nonce, time(), version 1.0). The header is written with the
# library's own writer, so its own reader gets the values back.
sub preset_parameters {
    my ($oauth) = @_;
    unsupported('LWP::Authen::OAuth generates oauth_nonce when none is given; it cannot be omitted') unless defined $oauth->{nonce};
    unsupported('LWP::Authen::OAuth adds oauth_timestamp=time() when none is given; it cannot be omitted') unless defined $oauth->{timestamp};
    my @pairs = (oauth_nonce => $oauth->{nonce}, oauth_timestamp => $oauth->{timestamp});
    push @pairs, oauth_version => $oauth->{version} if defined $oauth->{version};
    my $extra = $oauth->{extra} // {};
    push @pairs, map { ($_ => $extra->{$_}) } sort keys %$extra;
    return @pairs;
}

sub sign {
    my ($msg) = @_;
    my ($request, $oauth, $secrets) = @{$msg}{qw(request oauth secrets)};
    unsupported('LWP::Authen::OAuth has no oauth_body_hash') if $oauth->{compute_body_hash};
    my @preset = preset_parameters($oauth);
    my $ua = user_agent($oauth, $secrets);
    my $http = library('HTTP::Request->new', sub { HTTP::Request->new($request->{method} => $request->{url}) });
    $http->header('Content-Type' => $request->{content_type}) if defined $request->{content_type};
    $http->content(Encode::encode('UTF-8', $request->{body})) if defined $request->{body};
    library('LWP::Authen::OAuth::oauth_authorization_param', sub { LWP::Authen::OAuth::oauth_authorization_param($http, @preset) });

    @hmac_inputs = ();
    undef $sent;
    my $response = library('$ua->request', sub { $ua->request($http) });
    die "the request_send handler did not see the request (response: " . $response->status_line . ")\n" unless $sent;
    die 'the library called hmac_sha1 ' . scalar(@hmac_inputs) . " times\n" unless @hmac_inputs == 1;
    my $header = $sent->header('Authorization');
    my %sent_params = library('LWP::Authen::OAuth::oauth_authorization_param', sub { LWP::Authen::OAuth::oauth_authorization_param($sent) });
    return {
        trace => {
            signature_base_string => $hmac_inputs[0],
            signature => $sent_params{oauth_signature},
            authorization_header => $header,
        },
    };
}

exit run_adapter(
    name => 'lwp-authen-oauth',
    version => "$LWP::Authen::OAuth::VERSION (Debian liblwp-authen-oauth-perl " . debian_version('liblwp-authen-oauth-perl') . ")",
    capabilities => {
        operations => ['sign'],
        signature_methods => \@SIGNATURE_METHODS,
        stages => ['signature_base_string', 'signature', 'authorization_header'],
        can_omit_version => JSON::PP::false,
        body_hash => JSON::PP::false,
        reports_rejection_reasons => JSON::PP::false,
        notes => join(' ',
            "sign: LWP::Authen::OAuth->new(oauth_consumer_key, oauth_consumer_secret, oauth_token, oauth_token_secret),",
            "an HTTP::Request with the method, URL, Content-Type and body, whose Authorization header carries the case's",
            "oauth_nonce, oauth_timestamp, oauth_version and extra protocol parameters (the documented way to set the nonce;",
            "written with the library's oauth_authorization_param), then \$ua->request(\$request): a request_send handler",
            "answers instead of the network and keeps the signed request. authorization_header is the header the library",
            "wrote, signature its oauth_signature as the library's own reader decodes it, signature_base_string the message",
            "the library passed to Digest::SHA::hmac_sha1 (wrapped to record it). HMAC-SHA1 only; the library adds",
            "oauth_version=1.0, a nonce and a timestamp when none is given (a null one: unsupported) and has no realm",
            "and no body hash."),
    },
    handlers => {sign => \&sign},
);
