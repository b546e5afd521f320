#!/usr/bin/perl
# WWW::OAuth (Debian libwww-oauth-perl) behind the oauth1-conformance adapter protocol, version 1
# (adapters/PROTOCOL.md). One row, "www-oauth": sign. See README.md for which library call
# produces each stage and what the adapter does around the library.

use strict;
use warnings;
use FindBin ();
use lib "$FindBin::Bin/../perl-common";

use Crypt::OpenSSL::RSA ();
use JSON::PP ();
use WWW::OAuth ();
use OAuth1Adapter qw(debian_version library unsupported run_adapter);

# The methods WWW::OAuth signs with: a default signer for PLAINTEXT and HMAC-SHA1, and RSA-SHA1
# with a Crypt::OpenSSL::RSA object as the signer (its documentation's example).
my @SIGNATURE_METHODS = ('HMAC-SHA1', 'RSA-SHA1', 'PLAINTEXT');

{
    # Stands in for the Crypt::OpenSSL::RSA object WWW::OAuth documents as an RSA-SHA1 signer:
    # records the base string the library passes to ->sign, then delegates.
    package RecordingRsaSigner;
    sub new { my ($class, $key, $record) = @_; return bless {key => $key, record => $record}, $class }
    sub sign {
        my ($self, $base_string) = @_;
        $self->{record}{base_string} = $base_string;
        return $self->{record}{signature} = $self->{key}->sign($base_string);
    }
}

# The signer attribute is WWW::OAuth's public hook: the library calls it with the signature base
# string it computed, and puts what it returns in oauth_signature.
sub recording_signer {
    my ($oauth, $method, $secrets, $record) = @_;
    if ($method eq 'RSA-SHA1') {
        my $pem = $secrets->{rsa_private_key_pem};
        my $key = library('Crypt::OpenSSL::RSA->new_private_key', sub { Crypt::OpenSSL::RSA->new_private_key($pem // '') });
        return RecordingRsaSigner->new($key, $record);
    }
    my $default = $oauth->signer;
    return sub {
        my ($base_string) = @_;
        $record->{base_string} = $base_string;
        return $record->{signature} = $default->(@_);
    };
}

sub sign {
    my ($msg) = @_;
    my ($request, $oauth, $secrets) = @{$msg}{qw(request oauth secrets)};
    for my $field (qw(version nonce timestamp)) {
        # authorization_header always generates oauth_nonce, oauth_timestamp and oauth_version;
        # the extra hash can replace them but not remove them.
        unsupported("WWW::OAuth always sends oauth_$field; it cannot be omitted") unless defined $oauth->{$field};
    }
    my $method = $oauth->{signature_method};
    my $signer_oauth = library('WWW::OAuth->new', sub {
        WWW::OAuth->new(
            client_id => $oauth->{consumer_key},
            # authorization_header requires a client secret even for RSA-SHA1; an absent one is empty.
            client_secret => $secrets->{consumer_secret} // '',
            token => $oauth->{token},
            token_secret => $secrets->{token_secret},
            signature_method => $method,
        );
    });
    my %record;
    $signer_oauth->signer(recording_signer($signer_oauth, $method, $secrets, \%record));

    my %oauth_params = (
        %{$oauth->{extra} // {}},
        oauth_nonce => $oauth->{nonce},
        oauth_timestamp => $oauth->{timestamp},
        oauth_version => $oauth->{version},
    );
    $oauth_params{realm} = $oauth->{realm} if defined $oauth->{realm};
    my %container = (method => $request->{method}, url => $request->{url});
    $container{content} = $request->{body} if defined $request->{body};
    $container{headers} = {'Content-Type' => $request->{content_type}} if defined $request->{content_type};

    my $header = library('WWW::OAuth->authorization_header',
        sub { $signer_oauth->authorization_header(Basic => \%container, \%oauth_params) });
    my %trace = (signature => $record{signature}, authorization_header => $header);
    # For PLAINTEXT the library passes an empty string instead of computing a base string.
    $trace{signature_base_string} = $record{base_string} unless $method eq 'PLAINTEXT';
    return {trace => \%trace};
}

exit run_adapter(
    name => 'www-oauth',
    version => "$WWW::OAuth::VERSION (Debian libwww-oauth-perl " . debian_version('libwww-oauth-perl') . ")",
    capabilities => {
        operations => ['sign'],
        signature_methods => \@SIGNATURE_METHODS,
        stages => ['signature_base_string', 'signature', 'authorization_header'],
        can_omit_version => JSON::PP::false,
        body_hash => JSON::PP::false,
        reports_rejection_reasons => JSON::PP::false,
        notes => join(' ',
            "sign: WWW::OAuth->new(client_id, client_secret, token, token_secret, signature_method)",
            "->authorization_header(Basic => {method, url, content => body, headers => {Content-Type}},",
            "{extra protocol parameters, oauth_nonce, oauth_timestamp, oauth_version, realm}). authorization_header is its",
            "return value; signature_base_string and signature are what the library passed to and got back from its signer",
            "(the documented signer attribute, wrapping the default PLAINTEXT/HMAC-SHA1 signer; for RSA-SHA1 a recording",
            "wrapper around the Crypt::OpenSSL::RSA object the docs show, whose raw sign() output the library puts in the",
            "header unencoded by base64; Crypt::OpenSSL::RSA 0.33 hashes with SHA-256 by default). No base string for",
            "PLAINTEXT (the library passes ''). It always sends oauth_version, oauth_nonce, oauth_timestamp (a null one: adapter",
            "error); a null consumer secret is passed as '' (the library requires one). The library reads the body itself",
            "when the Content-Type contains application/x-www-form-urlencoded (case-insensitive). No verifier."),
    },
    handlers => {sign => \&sign},
);
