#!/usr/bin/perl
# Net::OAuth (Debian libnet-oauth-perl) as a Service Provider behind HTTP::Daemon (Debian
# libhttp-daemon-perl): a live server for `oauth1-conformance probe`.
#
#   perl adapters/perl-net-oauth/server.pl --port PORT --credentials FILE
#
# * any path, any method: a protected resource. The message is read the way Net::OAuth's
#   documentation shows a Service Provider reading one: from_authorization_header($header,
#   %api_params) when there is an OAuth Authorization header (query parameters come from
#   request_url, form body parameters are passed as extra_params), otherwise from_hash of the
#   query and form parameters, as its CGI example does; then `die ... unless $request->verify`.
#   200 with a small JSON body when it verifies, 401 otherwise;
# * POST /initiate: the same with Net::OAuth->request('request token'), answered with a
#   Net::OAuth->response('request token') body;
# * POST /token: the same with Net::OAuth->request('access token'), answered with a
#   Net::OAuth->response('access token') body.
#
# OAuth 1.0a messages ($Net::OAuth::PROTOCOL_VERSION = PROTOCOL_VERSION_1_0A, as the docs recommend
# for new projects). The application's part (README.md lists it as `app`): the secrets are looked
# up by the message's consumer_key and token, and set with the documented accessors before
# verify; the verifier of a token request is compared with the stored one. Net::OAuth documents no
# timestamp or nonce check and this server does none.
#
# Prints `listening on http://127.0.0.1:PORT` once the socket listens; one connection at a time;
# exits on SIGTERM or SIGINT.

use strict;
use warnings;

use B ();
use Digest::SHA ();
use Encode ();
use Getopt::Long ();
use HTTP::Daemon ();
use HTTP::Response ();
use JSON::PP ();
use Net::OAuth ();
use URI ();

$Net::OAuth::PROTOCOL_VERSION = Net::OAuth::PROTOCOL_VERSION_1_0A;

my $MAX_CREDENTIALS_BYTES = 1 << 20;
my $FORM_CONTENT_TYPE = qr{^\s*application/x-www-form-urlencoded\s*(?:;|\z)}i;

# Whether a decoded JSON value is a string (JSON::PP keeps numbers as numbers, without a string value).
sub is_string {
    my ($value) = @_;
    return defined $value && !ref $value && (B::svref_2object(\$value)->FLAGS & B::SVp_POK);
}

# The credentials file (docs/credentials.schema.json), or dies with the problem.
sub load_credentials {
    my ($path) = @_;
    open my $fh, '<:raw', $path or die "cannot read $path: $!\n";
    my $read = read $fh, my $text, $MAX_CREDENTIALS_BYTES + 1;
    die "cannot read $path: $!\n" unless defined $read;
    die "$path: larger than $MAX_CREDENTIALS_BYTES bytes\n" if length $text > $MAX_CREDENTIALS_BYTES;
    my $doc = eval { JSON::PP->new->decode($text) } // die "$path: not JSON: $@";
    die "$path: needs \"consumers\" and \"tokens\" arrays and a \"verifier\" string\n"
        unless ref $doc eq 'HASH' and ref $doc->{consumers} eq 'ARRAY' and ref $doc->{tokens} eq 'ARRAY'
        and is_string($doc->{verifier});
    my (%consumers, %tokens);
    for my $i (0 .. $#{$doc->{consumers}}) {
        my $c = $doc->{consumers}[$i];
        die "$path: consumers[$i] needs a \"key\" string\n" unless ref $c eq 'HASH' and is_string($c->{key});
        $consumers{$c->{key}} = $c->{secret} // '';
    }
    for my $i (0 .. $#{$doc->{tokens}}) {
        my $t = $doc->{tokens}[$i];
        die "$path: tokens[$i] needs \"token\" and \"secret\" strings and the \"consumer_key\" of a consumer\n"
            unless ref $t eq 'HASH' and is_string($t->{token}) and is_string($t->{secret}) and is_string($t->{consumer_key})
            and exists $consumers{$t->{consumer_key}};
        $tokens{$t->{token}} = {secret => $t->{secret}, consumer_key => $t->{consumer_key}};
    }
    return {consumers => \%consumers, tokens => \%tokens, verifier => $doc->{verifier}};
}

# Pairs of an application/x-www-form-urlencoded string as URI's query_form decodes them, as
# character strings (Net::OAuth's I18N section asks for decoded text).
sub decoded_pairs {
    my ($encoded) = @_;
    my $form = URI->new('http://form.invalid/');
    $form->query($encoded);
    return map { Encode::decode('UTF-8', $_) } $form->query_form;
}

# The URL the client requested: HTTP::Daemon speaks plain HTTP; the authority is the Host header.
sub request_url {
    my ($daemon, $request) = @_;
    my $host = $request->header('Host') // ($daemon->sockhost . ':' . $daemon->sockport);
    return 'http://' . $host . $request->uri->path_query;
}

# The message of TYPE as the documentation reads one (see the top of this file), secrets unset.
sub received_message {
    my ($type, $daemon, $request) = @_;
    my $class = Net::OAuth->request($type);
    my $url = request_url($daemon, $request);
    my %form;
    if (($request->header('Content-Type') // '') =~ $FORM_CONTENT_TYPE) {
        %form = decoded_pairs($request->content);    # a hash, as CGI->Vars: one value per name
    }
    my %api = (request_method => $request->method, consumer_secret => '', token_secret => '');
    my $header = $request->header('Authorization');
    if (defined $header and $header =~ /^OAuth /) {
        return $class->from_authorization_header($header, %api, request_url => $url, extra_params => \%form);
    }
    my $without_query = URI->new($url);
    my %params = (decoded_pairs($without_query->query // ''), %form);
    $without_query->query(undef);
    return $class->from_hash(\%params, %api, request_url => $without_query->as_string);
}

sub json_response {
    my ($status, $object) = @_;
    return HTTP::Response->new($status, undef, ['Content-Type' => 'application/json'], JSON::PP->new->canonical->encode($object));
}

sub form_response {
    my ($message) = @_;
    return HTTP::Response->new(200, undef, ['Content-Type' => 'application/x-www-form-urlencoded'], $message->to_post_body);
}

sub new_token { return Digest::SHA::sha1_hex(join ':', $$, time, rand, @_) }

# The server's state: the credentials file, and what it issued.
my %state = (temporary => {}, issued => {});

sub respond {
    my ($credentials, $daemon, $request) = @_;
    my $path = $request->uri->path;
    my $endpoint = ($path eq '/initiate' or $path eq '/token') ? $path : 'resource';
    return json_response(405, {error => 'POST only'}) if $endpoint ne 'resource' and $request->method ne 'POST';
    my $type = {'/initiate' => 'request token', '/token' => 'access token', resource => 'protected resource'}->{$endpoint};

    my $message = eval { received_message($type, $daemon, $request) };
    return json_response(401, {accepted => JSON::PP::false, error => "$@" =~ s/ at \S+ line \d+.*//sr}) unless $message;
    my $consumer_secret = $credentials->{consumers}{$message->consumer_key};
    return json_response(401, {accepted => JSON::PP::false, error => 'unknown consumer'}) unless defined $consumer_secret;
    $message->consumer_secret($consumer_secret);
    my $token;
    if ($endpoint eq '/token') {
        $token = $state{temporary}{$message->token};
        return json_response(401, {accepted => JSON::PP::false, error => 'unknown token'})
            unless $token and $token->{consumer_key} eq $message->consumer_key;
        return json_response(401, {accepted => JSON::PP::false, error => 'wrong verifier'}) unless $message->verifier eq $token->{verifier};
    } elsif ($endpoint eq 'resource') {
        $token = $state{issued}{$message->token} // $credentials->{tokens}{$message->token};
        return json_response(401, {accepted => JSON::PP::false, error => 'unknown token'})
            unless $token and $token->{consumer_key} eq $message->consumer_key;
    }
    $message->token_secret($token->{secret}) if $token;
    return json_response(401, {accepted => JSON::PP::false, error => 'Signature verification failed'}) unless $message->verify;

    if ($endpoint eq 'resource') {
        return json_response(200, {accepted => JSON::PP::true, server => 'net-oauth-provider'});
    }
    my ($new, $secret) = (new_token($message->consumer_key, 'token'), new_token($message->consumer_key, 'secret'));
    if ($endpoint eq '/initiate') {
        # The resource owner's authorization (RFC 5849 section 2.2) is not part of this server:
        # every temporary credential is issued already authorized, with the file's verifier.
        $state{temporary}{$new} = {secret => $secret, consumer_key => $message->consumer_key, verifier => $credentials->{verifier}};
        return form_response(Net::OAuth->response('request token')->new(token => $new, token_secret => $secret, callback_confirmed => 'true'));
    }
    delete $state{temporary}{$message->token};
    $state{issued}{$new} = {secret => $secret, consumer_key => $message->consumer_key};
    return form_response(Net::OAuth->response('access token')->new(token => $new, token_secret => $secret));
}

sub main {
    my ($port, $credentials_path);
    Getopt::Long::GetOptions('port=i' => \$port, 'credentials=s' => \$credentials_path)
        and defined $port and $port >= 0 and $port <= 65535 and defined $credentials_path and !@ARGV
        or do { print STDERR "usage: server.pl --port PORT --credentials FILE\n"; return 2 };
    my $credentials = eval { load_credentials($credentials_path) } or do { print STDERR "error: $@"; return 2 };

    my $daemon = HTTP::Daemon->new(LocalAddr => '127.0.0.1', LocalPort => $port, ReuseAddr => 1)
        or do { print STDERR "error: cannot listen on 127.0.0.1:$port: $@\n"; return 2 };
    local $SIG{TERM} = local $SIG{INT} = sub { $daemon->close; exit 0 };
    $| = 1;
    print 'listening on http://127.0.0.1:' . $daemon->sockport . "\n";
    while (my $connection = $daemon->accept) {
        # A client that sends nothing for this long is dropped, so it cannot hold the only thread.
        $connection->timeout(10);
        while (my $request = $connection->get_request) {
            my $response = eval { respond($credentials, $daemon, $request) }
                // json_response(500, {error => "$@" =~ s/ at \S+ line \d+.*//sr});
            $connection->send_response($response);
        }
        $connection->close;
    }
    return 0;
}

exit main();
