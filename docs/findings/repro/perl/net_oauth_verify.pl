#!/usr/bin/perl
# Standalone reproduction of the verifier finding of Net::OAuth (docs/findings/net-oauth/): the
# request read as Net::OAuth's documentation shows a Service Provider reading one,
# Net::OAuth->request('protected resource')->from_authorization_header($header, request_url,
# request_method, consumer_secret, token_secret, extra_params => the form body's parameters),
# then ->verify, on the smallest request RFC 5849 makes a server refuse.
#
# Usage: perl net_oauth_verify.pl FINDING. Exits 0 while Net::OAuth still accepts it, 3 when it
# refuses it (retire the dossier).
use strict;
use warnings;
use Encode ();
use JSON::PP ();
use Net::OAuth ();
use URI ();

# Per finding: the vector (id and file), the request as received, the server's secrets and clock,
# RFC 5849's verdict as the vector publishes it ("rfc") and the documented one.
our $FINDINGS = JSON::PP->new->utf8->decode(<<'JSON');
[
 {
  "finding": "verifier-accepts-invalid",
  "vector": "edge-more-verify-oauth-prefixed-query-param-with-header",
  "file": "vectors/edge-cases-more.json",
  "stage": "verdict",
  "request": {
   "method": "GET",
   "url": "https://api.example.com/x?oauth_foo=bar&x=1",
   "content_type": null,
   "body": null,
   "headers": [
    [
     "Authorization",
     "OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1700000000\", oauth_nonce=\"h0ld0utn0nce\", oauth_signature=\"jdbsqkWOLElhQBvRcleJ0Vj0k80%3D\""
    ]
   ]
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_public_key_pem": null
  },
  "now": 1700000000,
  "rfc": "rejected (parameter_in_multiple_locations)",
  "documented": "accepted"
 }
]
JSON

sub decoded_pairs {
    my ($encoded) = @_;
    my $form = URI->new('http://form.invalid/');
    $form->query($encoded);
    return map { Encode::decode('UTF-8', $_) } $form->query_form;
}

sub verdict {
    my ($entry) = @_;
    my ($request, $secrets) = @{$entry}{qw(request secrets)};
    my %api = (request_url => $request->{url}, request_method => $request->{method},
        consumer_secret => $secrets->{consumer_secret} // '', token_secret => $secrets->{token_secret} // '');
    my ($type, $body) = @{$request}{qw(content_type body)};
    my %form = defined $body && defined $type && $type =~ m{^\s*application/x-www-form-urlencoded\s*(?:;|\z)}i
        ? decoded_pairs($body) : ();
    my @form = %form ? (extra_params => \%form) : ();
    my ($header) = map { $_->[1] } grep { lc $_->[0] eq 'authorization' } @{$request->{headers}};
    my $class = Net::OAuth->request(defined $secrets->{token_secret} ? 'protected resource' : 'consumer');
    my $message;
    if (defined $header) {
        $message = $class->from_authorization_header($header, %api, @form);
    } else {
        # Its CGI example: the request's parameters as one hash, the URL without its query.
        my $url = URI->new($request->{url});
        my %params = (decoded_pairs($url->query // ''), %form);
        $url->query(undef);
        $message = $class->from_hash(\%params, %api, request_url => $url->as_string);
    }
    return $message->verify ? 'accepted' : $entry->{rfc};
}

# Prints the library's value next to RFC 5849's and exits 0 (as documented), 3 (fixed: retire the
# dossier) or 4 (a third value).
sub check {
    my ($name, $value_of) = @_;
    my ($entry) = grep { $_->{finding} eq ($ARGV[0] // '') } @$FINDINGS;
    unless ($entry) {
        print STDERR "usage: $0 FINDING (one of: ", join(', ', map { $_->{finding} } @$FINDINGS), ")\n";
        exit 2;
    }
    my $value = $value_of->($entry);
    binmode STDOUT, ':encoding(UTF-8)';
    print "finding:  $entry->{finding} (vector $entry->{vector}, $entry->{stage})\n";
    print "$name: $value\n";
    print "RFC 5849: $entry->{rfc}\n";
    if ($value eq $entry->{rfc}) { print "fixed: $name now agrees with RFC 5849\n"; exit 3 }
    if ($value ne $entry->{documented}) { print "changed: the dossier documents $entry->{documented}\n"; exit 4 }
    exit 0;
}

check('Net::OAuth', \&verdict);
