#!/usr/bin/perl
# Net::OAuth (Debian libnet-oauth-perl) behind the oauth1-conformance adapter protocol, version 1
# (adapters/PROTOCOL.md). One row, "net-oauth": sign and verify. See README.md for which library
# call produces each stage and what the adapter does around the library.

use strict;
use warnings;
use FindBin ();
use lib "$FindBin::Bin/../perl-common";

use Crypt::OpenSSL::RSA ();
use Encode ();
use JSON::PP ();
use Net::OAuth ();
use URI ();
use OAuth1Adapter qw(debian_version library rejected unsupported run_adapter);

# The methods Net::OAuth ships a Net::OAuth::SignatureMethod::* plugin for.
my @SIGNATURE_METHODS = ('HMAC-SHA1', 'HMAC-SHA256', 'RSA-SHA1', 'PLAINTEXT');

my $FORM_CONTENT_TYPE = qr{^\s*application/x-www-form-urlencoded\s*(?:;|\z)}i;

# Net::OAuth takes the body parameters from its caller as the extra_params hash. Its docs (I18N)
# ask for character strings, so the octets are decoded from UTF-8 as Perl programs decode form
# input; URI's query_form is the form decoder of URI, which Net::OAuth itself depends on.
sub form_params {
    my ($request) = @_;
    my ($content_type, $body) = @{$request}{qw(content_type body)};
    return {} unless defined $body and defined $content_type and $content_type =~ $FORM_CONTENT_TYPE;
    my %params = decoded_pairs($body);    # a hash: Net::OAuth has no multi-valued parameters
    return \%params;
}

sub rsa_key {
    my ($loader, $pem, $what) = @_;
    return undef unless defined $pem;
    return library("Crypt::OpenSSL::RSA->$loader ($what)", sub { Crypt::OpenSSL::RSA->$loader($pem) });
}

# The message type for a sign request: Net::OAuth has one class per OAuth request type, and only
# the 1.0a token requests carry oauth_callback / oauth_verifier. Returns the type, its
# constructor parameters, and the extra protocol parameters no class carries: those go into
# extra_params, where Net::OAuth refuses oauth_* names itself.
sub message_type {
    my ($oauth) = @_;
    my %extra = %{$oauth->{extra} // {}};
    my @type;
    if (defined $oauth->{token}) {
        @type = exists $extra{oauth_verifier}
            ? ('access token', protocol_version => Net::OAuth::PROTOCOL_VERSION_1_0A, verifier => delete $extra{oauth_verifier})
            : ('protected resource');
    } else {
        @type = exists $extra{oauth_callback}
            ? ('request token', protocol_version => Net::OAuth::PROTOCOL_VERSION_1_0A, callback => delete $extra{oauth_callback})
            : ('consumer');
    }
    return (\@type, \%extra);
}

sub sign {
    my ($msg) = @_;
    my ($request, $oauth, $secrets) = @{$msg}{qw(request oauth secrets)};
    my ($type_spec, $unplaced) = message_type($oauth);
    my ($type, %type_params) = @$type_spec;
    my %params = (
        %type_params,
        consumer_key => $oauth->{consumer_key},
        consumer_secret => $secrets->{consumer_secret} // '',
        request_url => $request->{url},
        request_method => $request->{method},
        signature_method => $oauth->{signature_method},
        extra_params => {%{form_params($request)}, %$unplaced},
    );
    $params{token} = $oauth->{token} if defined $oauth->{token};
    $params{token_secret} = $secrets->{token_secret} // '' if defined $oauth->{token};
    $params{timestamp} = $oauth->{timestamp} if defined $oauth->{timestamp};
    $params{nonce} = $oauth->{nonce} if defined $oauth->{nonce};
    $params{version} = $oauth->{version} if defined $oauth->{version};
    my $private_key = rsa_key('new_private_key', $secrets->{rsa_private_key_pem}, 'rsa_private_key_pem');
    $params{signature_key} = $private_key if defined $private_key;

    my $message = library("Net::OAuth->request('$type')->new", sub { Net::OAuth->request($type)->new(%params) });
    # The constructor sets oauth_version=1.0 when none is given; the version accessor removes it.
    library('$request->version(undef)', sub { $message->version(undef) }) unless defined $oauth->{version};
    library('$request->sign', sub { $message->sign });
    return {
        trace => {
            normalized_parameters => library('normalized_message_parameters', sub { $message->normalized_message_parameters }),
            base_string_uri => library('normalized_request_url', sub { $message->normalized_request_url->as_string }),
            signature_base_string => library('signature_base_string', sub { $message->signature_base_string }),
            signature => $message->signature,
            authorization_header => library('to_authorization_header', sub { $message->to_authorization_header($oauth->{realm}) }),
        },
    };
}

sub authorization_header {
    my ($headers) = @_;
    my @values = map { $_->[1] } grep { lc $_->[0] eq 'authorization' } @$headers;
    unsupported('the request has ' . scalar(@values) . ' Authorization headers') if @values > 1;
    return $values[0];
}

# Pairs of an application/x-www-form-urlencoded string as URI's query_form decodes them, as
# character strings (Net::OAuth's I18N section asks for decoded text).
sub decoded_pairs {
    my ($encoded) = @_;
    my $form = URI->new('http://form.invalid/');
    $form->query($encoded);
    return map { Encode::decode('UTF-8', $_) } $form->query_form;
}

# Net::OAuth's deserialisers, the way its documentation shows a Service Provider reading a
# request: from_authorization_header when there is an Authorization header (query parameters
# come from request_url, form parameters are passed as extra_params), otherwise from_hash of
# the request's parameters, as its CGI example does with CGI's merged query and form
# parameters (from_url cannot be used as documented: Net::OAuth would then sign the query a
# second time, oauth_signature included, through request_url).
sub received_message {
    my ($type, $request, $api_params) = @_;
    my $class = Net::OAuth->request($type);
    my $header = authorization_header($request->{headers});
    my $form = form_params($request);
    if (defined $header) {
        my @form = %$form ? (extra_params => $form) : ();
        return library("$class->from_authorization_header",
            sub { $class->from_authorization_header($header, %$api_params, @form) });
    }
    my $url = URI->new($request->{url});
    my %params = (decoded_pairs($url->query // ''), %$form);    # a hash, as CGI->Vars: one value per name
    $url->query(undef);
    return library("$class->from_hash", sub { $class->from_hash(\%params, %$api_params, request_url => $url->as_string) });
}

sub verify {
    my ($msg) = @_;
    my ($request, $secrets) = @{$msg}{qw(request secrets)};
    my %api_params = (
        request_url => $request->{url},
        request_method => $request->{method},
        consumer_secret => $secrets->{consumer_secret} // '',
        token_secret => $secrets->{token_secret} // '',
    );
    my $public_key = rsa_key('new_public_key', $secrets->{rsa_public_key_pem}, 'rsa_public_key_pem');
    $api_params{signature_key} = $public_key if defined $public_key;

    # A request without oauth_token is a Consumer Request (two-legged), as the docs describe.
    my $message = eval { received_message('protected resource', $request, \%api_params) };
    if (my $err = $@) {
        die $err unless ref $err eq 'OAuth1Adapter::Rejected' and $err->{message} =~ /Missing required parameter 'token'/;
        $message = received_message('consumer', $request, \%api_params);
    }
    my $valid = library('$request->verify', sub { $message->verify });
    rejected('$request->verify returned false') unless $valid;
    return {accepted => JSON::PP::true};
}

exit run_adapter(
    name => 'net-oauth',
    version => "$Net::OAuth::VERSION (Debian libnet-oauth-perl " . debian_version('libnet-oauth-perl') . ")",
    capabilities => {
        operations => ['sign', 'verify'],
        signature_methods => \@SIGNATURE_METHODS,
        stages => ['normalized_parameters', 'base_string_uri', 'signature_base_string', 'signature', 'authorization_header'],
        can_omit_version => JSON::PP::true,
        body_hash => JSON::PP::false,
        reports_rejection_reasons => JSON::PP::false,
        notes => join(' ',
            "sign: Net::OAuth->request(TYPE)->new(consumer_key, consumer_secret, token, token_secret, request_url, request_method,",
            "signature_method, timestamp, nonce, version, extra_params, signature_key) then ->sign; TYPE is 'protected resource'",
            "with a token, 'consumer' without, 1.0a 'request token' for oauth_callback and 1.0a 'access token' for oauth_verifier",
            "(other extra protocol parameters go into extra_params, where Net::OAuth refuses oauth_* names: rejected). A null version is removed with the ->version(undef) accessor (the",
            "constructor defaults it to 1.0, and also turns an empty version into 1.0). Stages are the message's own methods:",
            "normalized_message_parameters, normalized_request_url, signature_base_string, signature, to_authorization_header(realm)",
            "(realm inserted unescaped). The caller supplies body parameters: for a Content-Type application/x-www-form-urlencoded",
            "(case-insensitive) body the adapter decodes it with URI->query_form, decodes UTF-8 to characters (the docs' I18N",
            "section) and passes a hash as extra_params: duplicate names keep the last value. RSA keys: Crypt::OpenSSL::RSA",
            "new_private_key/new_public_key as the docs show (Debian's Crypt::OpenSSL::RSA 0.33 hashes with SHA-1 by",
            "default). verify: from_authorization_header(header, api params, extra_params=>form body)",
            "when an Authorization header is present, else from_hash(query and form parameters, request_url => url without",
            "its query), as the docs' CGI example; as 'protected resource', falling back to 'consumer' when oauth_token is missing; then ->verify.",
            "Net::OAuth checks only the signature: no timestamp window, no nonce store, no version check (now is unused).",
            "A false verify or a croak is rejected with reason null."),
    },
    handlers => {sign => \&sign, verify => \&verify},
);
