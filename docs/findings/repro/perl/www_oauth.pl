#!/usr/bin/perl
# Standalone reproductions of the findings of WWW::OAuth (docs/findings/www-oauth/):
# WWW::OAuth->new(client_id, client_secret, token, token_secret, signature_method)
# ->authorization_header(Basic => {method, url, content, headers}, {oauth_nonce, oauth_timestamp,
# oauth_version, realm}), as its documentation signs a request, the signature read back from
# the header (or, for a finding that shows in the header alone, how the header writes the
# parameter `parameter`), on each finding's smallest input.
#
# Usage: perl www_oauth.pl FINDING
use strict;
use warnings;
use Crypt::OpenSSL::RSA ();
use JSON::PP ();
use URI::Escape ();
use WWW::OAuth ();

# Per finding: the vector (id and file), its request, the stage compared, RFC 5849's value as the
# vector publishes it ("rfc"), and the value the dossier documents ("documented").
# A finding seen on generated cases only names its case (generated:SEED) and docs/findings/examples.json,
# where its input is recorded; its "rfc" is then the reference signer's value for that input (the
# dossier's RFC 5849 column), its "documented" the dossier's library column.
our $FINDINGS = JSON::PP->new->utf8->decode(<<'JSON');
[
 {
  "finding": "empty-path-not-slash",
  "vector": "generated:1481179290 (shrunk)",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://api.example.com",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "HMAC-SHA1",
   "timestamp": "137131201",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "",
   "token_secret": null
  },
  "rfc": "b+qsiT4ahydschLs6ChiiuoTfRQ=",
  "documented": "6tdjC+62rGhNviIhQUtYvVIVHpU="
 },
 {
  "finding": "ignores-query",
  "vector": "generated:1481180029",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "get",
   "url": "https://127.0.0.1:80/%7Euser/photos?a-b",
   "content_type": "Application/X-WWW-Form-URLEncoded",
   "body": "n%26%2B=~a&x_y="
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "chapoH",
   "version": "1.0",
   "realm": "Example",
   "extra": {
    "oauth_callback": "http://printer.example.com/ready?x=1&y=2"
   }
  },
  "secrets": {
   "consumer_secret": "é",
   "token_secret": null
  },
  "rfc": "4LcUeEELrTtYx7SKsKouOmBqUyA=",
  "documented": "ucTF7yh5fgOv6FYCaqZ5fzurxew="
 },
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
  "vector": "wild-mixed-case-path",
  "file": "vectors/in-the-wild.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "HTTPS://API.Example.com/Users/Bob",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1700000000",
   "nonce": "w1ldn0nce",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "cqbpSBpCKW0tOBh6fszRpRlCVeo=",
  "documented": "ysq+BRs3zn50/y1imA07oN4Qp6g="
 },
 {
  "finding": "percent-encodes-realm-in-header",
  "vector": "lib-ddo-put-form-repeated-name",
  "file": "vectors/libraries-sign.json",
  "stage": "authorization_header",
  "request": {
   "method": "PUT",
   "url": "http://localhost:3737/rest/profiles/1ea2a42f-e14d-4057-8bcd-3e0b4514a267/properties?alt=json",
   "content_type": "application/x-www-form-urlencoded",
   "body": "currentbrowserversion=1&currentbrowserversion=5&currentbrowserversion=dfadfadfa"
  },
  "oauth": {
   "token": null,
   "timestamp": "1445951836",
   "nonce": "tKOQtKan8PHIrIoOlrl17zHkZQ2H5CsP",
   "version": "1.0",
   "realm": "https://ddo.me/",
   "extra": {},
   "consumer_key": "batch-dbc2cd8c-6ca8-463b-96e2-6d8683eac6fd",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "4S4Rvm25CJZWv7HBg5HOhhlRTBSZ7npl",
   "token_secret": null,
   "rsa_private_key_pem": null
  },
  "parameter": "realm",
  "rfc": "realm=\"https://ddo.me/\"",
  "documented": "realm=\"https%3A%2F%2Fddo.me%2F\""
 },
 {
  "finding": "rsa-signature-not-base64",
  "vector": "lib-pecl-rsa-sha1-512-bit-key",
  "file": "vectors/libraries-sign.json",
  "stage": "authorization_header",
  "request": {
   "method": "POST",
   "url": "http://127.0.0.1:12342/test",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": null,
   "timestamp": "12345",
   "nonce": "testing",
   "version": "1.0",
   "realm": null,
   "extra": {},
   "consumer_key": "1234",
   "signature_method": "RSA-SHA1"
  },
  "secrets": {
   "consumer_secret": null,
   "token_secret": null,
   "rsa_private_key_pem": "-----BEGIN RSA PRIVATE KEY-----\nMIIBOQIBAAJBALkBSThnaneNdYKgt+r+r0Ttbm6tXpiby5ywK0SIT9Q9zuml/qIO\nGX9f43DgoCpK6Ju1+GjhZ5jmRD0ITUMgSx0CAwEAAQJAPoKwut42my6xBfJIMp7b\nme6f4cWysN3zbn4YII/uaUflGTvYwwZYMAjZjqXYNcepZQhL8g6Fclsn9IAXbqRG\nAQIhAPQMXKJuHjlGYHs/EhiEHuIPLaQ09f9X9TShLjeu1p3jAiEAwhCyle1J08F+\njmWbB1RqjivF6bmIXGfHUsHc5+fxwv8CIGdVGJ/56jgsEUv974aL4puq+5NMjWA5\neOx41p3jHKIrAiAKrxCl4GJoHgbxn/Zg+OzE1vQWYfh33d7DV5jpy4Mr0QIgIR95\nBrFdH6fnl11HEZt2hSdvM8G1C/t0i6u5ApW/8Ko=\n-----END RSA PRIVATE KEY-----\n"
  },
  "parameter": "oauth_signature",
  "rfc": "oauth_signature=\"AxTdf9nwR0Z54JCKIKAne%2BXKmNtuKerXchcK8axD792sk7cphqMBvNqbPVoJmKYcm0vAkq2ICto0NVz4%2F6WxqA%3D%3D\"",
  "documented": "oauth_signature=\"%03%14%C3%9D%7F%C3%99%C3%B0GFy%C3%A0%C2%90%C2%8A%20%C2%A0%27%7B%C3%A5%C3%8A%C2%98%C3%9Bn%29%C3%AA%C3%97r%17%0A%C3%B1%C2%ACC%C3%AF%C3%9D%C2%AC%C2%93%C2%B7%29%C2%86%C2%A3%01%C2%BC%C3%9A%C2%9B%3DZ%09%C2%98%C2%A6%1C%C2%9BK%C3%80%C2%92%C2%AD%C2%88%0A%C3%9A45%5C%C3%B8%C3%BF%C2%A5%C2%B1%C2%A8\""
 },
 {
  "finding": "signs-oauth-signature",
  "vector": "wild-stale-signature-in-query",
  "file": "vectors/in-the-wild.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "https://api.example.com/p?a=1&oauth_signature=prev",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1700000000",
   "nonce": "w1ldn0nce",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "0zl+kA7lht8Aa+C0s4nLTcF63Z4=",
  "documented": "41Aw/sQvQmGa6U1scsRYrpoa4Fg="
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
        # RSA-SHA1 as the documentation shows it: a Crypt::OpenSSL::RSA object as the signer.
        ($oauth->{signature_method} eq 'RSA-SHA1'
            ? (signer => Crypt::OpenSSL::RSA->new_private_key($secrets->{rsa_private_key_pem})) : ()),
    );
    my %params = (%{$oauth->{extra} // {}}, oauth_nonce => $oauth->{nonce}, oauth_timestamp => $oauth->{timestamp},
        oauth_version => $oauth->{version});
    $params{realm} = $oauth->{realm} if defined $oauth->{realm};
    my %container = (method => $request->{method}, url => $request->{url});
    $container{content} = $request->{body} if defined $request->{body};
    $container{headers} = {'Content-Type' => $request->{content_type}} if defined $request->{content_type};
    my $header = $client->authorization_header(Basic => \%container, \%params);
    # A finding that shows in the header alone compares how one parameter is written there.
    if (defined(my $name = $entry->{parameter})) {
        my ($segment) = grep { (split /=/, $_, 2)[0] eq $name } split /, /, ($header =~ s/^OAuth //r);
        return $segment // '(absent)';
    }
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
