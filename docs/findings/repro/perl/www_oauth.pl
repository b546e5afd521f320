#!/usr/bin/perl
# Standalone reproductions of the findings of WWW::OAuth (docs/findings/www-oauth/):
# WWW::OAuth->new(client_id, client_secret, token, token_secret, signature_method)
# ->authorization_header(Basic => {method, url, content, headers}, {oauth_nonce, oauth_timestamp,
# oauth_version, realm}), as its documentation signs a request, the signature read back from
# the header, on each finding's smallest input.
#
# Usage: perl www_oauth.pl FINDING
use strict;
use warnings;
use JSON::PP ();
use URI::Escape ();
use WWW::OAuth ();

# Per finding: the vector (id and file), its request, the stage compared, RFC 5849's value as the
# vector publishes it ("rfc"), and the value the dossier documents ("documented").
our $FINDINGS = JSON::PP->new->utf8->decode(<<'JSON');
[
 {
  "finding": "keeps-default-port",
  "vector": "lib-cpprest-post-query-port-80",
  "file": "vectors/libraries-sign.json",
  "stage": "signature",
  "request": {
   "method": "POST",
   "url": "http://example.com:80/request?a=b&c=d",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "test_token",
   "timestamp": "12345678",
   "nonce": "ABCDEFGH",
   "version": "1.0",
   "realm": null,
   "extra": {},
   "consumer_key": "test_key",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "test_secret",
   "token_secret": "test_token_secret",
   "rsa_private_key_pem": null
  },
  "rfc": "iUq3VlP39UNXoJHXlKjgSTmjEs8=",
  "documented": "2d7EKsrlP+zPS6RcsgEFrsgWRU8="
 },
 {
  "finding": "keeps-host-case",
  "vector": "lib-signet-mixed-case-authority",
  "file": "vectors/libraries-sign.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://photos.eXaMpLe.NET/photos?file=vacation.jpg&size=original",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "nnch734d00sl2jdk",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": "1.0",
   "realm": null,
   "extra": {},
   "consumer_key": "dpf43f3p2l4k3l03",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "tR3+Ty81lMeYAr/Fid0kMTYa/WM=",
  "documented": "ECwLRRbZmf5GCd4OLSfTsst2eeI="
 }
]
JSON

sub signature {
    my ($entry) = @_;
    my ($request, $oauth, $secrets) = @{$entry}{qw(request oauth secrets)};
    my $client = WWW::OAuth->new(
        client_id => $oauth->{consumer_key},
        client_secret => $secrets->{consumer_secret} // '',
        token => $oauth->{token},
        token_secret => $secrets->{token_secret},
        signature_method => $oauth->{signature_method},
    );
    my %params = (%{$oauth->{extra} // {}}, oauth_nonce => $oauth->{nonce}, oauth_timestamp => $oauth->{timestamp},
        oauth_version => $oauth->{version});
    $params{realm} = $oauth->{realm} if defined $oauth->{realm};
    my %container = (method => $request->{method}, url => $request->{url});
    $container{content} = $request->{body} if defined $request->{body};
    $container{headers} = {'Content-Type' => $request->{content_type}} if defined $request->{content_type};
    my $header = $client->authorization_header(Basic => \%container, \%params);
    my ($value) = $header =~ /oauth_signature="([^"]*)"/;
    return URI::Escape::uri_unescape($value);
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

check('WWW::OAuth', \&signature);
