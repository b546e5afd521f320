#!/usr/bin/perl
# Standalone reproductions of the live-server findings of Net::OAuth (Debian libnet-oauth-perl) as
# adapters/perl-net-oauth/server.pl runs it behind HTTP::Daemon (docs/findings/live/
# net-oauth-http-daemon/ and live/net-oauth-http-daemon+nginx-tls/valid-gate). Nothing listens and
# nothing is sent: each probe case's request is written out below as HTTP::Daemon hands it to the
# server (an HTTP::Request: method, target, headers, body), signed here with Digest::SHA's
# HMAC-SHA1 over the RFC 5849 signature base string written out below (the nonce, timestamp and
# the clock-relative timestamp substituted), and read the way Net::OAuth's documentation shows a
# Service Provider reading one and the server adapter does: the URL is http:// + Host + target
# (HTTP::Daemon gives no scheme), Net::OAuth->request('protected resource')->from_authorization_header(
# $header, request_url, request_method, extra_params => the form body), the consumer and token
# secrets set with the documented accessors, then ->verify. 1.0a messages, as the docs recommend.
#
# A case that must be refused is preceded by its control, the probe's valid-gate request with a
# fresh timestamp: a refused control means the program or the library changed, not a fix. A valid
# request the library refuses is signed a second time over the base string the dossier documents
# (the finding's quirk), which it must accept for the refusal to be the documented one (or, where
# the refusal is an error, the error must be the documented one). A replay
# case verifies the same request twice: Net::OAuth documents no nonce store.
#
# Usage: perl net_oauth_server.pl SERVER/CASE (the dossier id without live/)
# Exit: 0 still as documented, 3 agrees with RFC 5849 (retire the dossier), 4 a third behaviour,
# 2 usage.
use strict;
use warnings;
use Digest::SHA ();
use Encode ();
use HTTP::Request ();
use JSON::PP ();
use MIME::Base64 ();
use Net::OAuth ();
use URI ();
use URI::Escape ();

$Net::OAuth::PROTOCOL_VERSION = Net::OAuth::PROTOCOL_VERSION_1_0A;

# The credentials the probe matrix gives every server (adapters/servers-smoke/credentials.json).
my %CONSUMERS = (dpf43f3p2l4k3l03 => 'kd94hf93k423kf44');
my %TOKENS = (nnch734d00sl2jdk => {secret => 'pfkkdhi9sl3r4s00', consumer_key => 'dpf43f3p2l4k3l03'});
# RFC 5849 §3.4.2: the key is the encoded consumer secret, '&', the encoded token secret.
my $HMAC_KEY = 'kd94hf93k423kf44&pfkkdhi9sl3r4s00';

# The control, then per finding: the probe case (crates/conformance/data/probe-cases.json), its
# request as received, the base string its signature is computed over, its timestamp relative to
# the clock, how many times it is sent, RFC 5849's verdict and the one the dossier documents.
our $TABLE = JSON::PP->new->utf8->decode(<<'JSON');
{
 "control": {
  "finding": "net-oauth-http-daemon/valid-gate",
  "case": "valid-gate",
  "rfc_section": "RFC 5849 §3.1, §3.2",
  "request": {
   "method": "GET",
   "target": "/probe/photos?file=vacation.jpg&size=original",
   "headers": [
    "Host: 127.0.0.1:8080",
    "Authorization: OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"{timestamp}\", oauth_nonce=\"{nonce}\", oauth_version=\"1.0\", oauth_signature=\"{signature}\""
   ],
   "body": null
  },
  "base_string": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fprobe%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
  "timestamp": "now",
  "sends": 1,
  "rfc": "accepted",
  "documented": "accepted"
 },
 "findings": [
  {
   "finding": "net-oauth-http-daemon/malformed-unknown-version",
   "case": "malformed-unknown-version",
   "rfc_section": "RFC 5849 §3.2 (if present, oauth_version must be 1.0)",
   "request": {
    "method": "GET",
    "target": "/probe/photos?file=vacation.jpg&size=original",
    "headers": [
     "Host: 127.0.0.1:8080",
     "Authorization: OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"{timestamp}\", oauth_nonce=\"{nonce}\", oauth_version=\"2.0\", oauth_signature=\"{signature}\""
    ],
    "body": null
   },
   "base_string": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fprobe%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D2.0%26size%3Doriginal",
   "timestamp": "now",
   "sends": 1,
   "rfc": "refused",
   "documented": "accepted"
  },
  {
   "finding": "net-oauth-http-daemon/replay-same-request",
   "case": "replay-same-request",
   "rfc_section": "RFC 5849 §3.2, §3.3 (a nonce/timestamp/token combination is used once)",
   "request": {
    "method": "GET",
    "target": "/probe/photos?file=vacation.jpg&size=original",
    "headers": [
     "Host: 127.0.0.1:8080",
     "Authorization: OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"{timestamp}\", oauth_nonce=\"{nonce}\", oauth_version=\"1.0\", oauth_signature=\"{signature}\""
    ],
    "body": null
   },
   "base_string": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fprobe%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
   "timestamp": "now",
   "sends": 2,
   "rfc": "accepted, then refused",
   "documented": "accepted, then accepted"
  },
  {
   "finding": "net-oauth-http-daemon/time-future-24h",
   "case": "time-future-24h",
   "rfc_section": "RFC 5849 §3.3; §3.2",
   "request": {
    "method": "GET",
    "target": "/probe/photos?file=vacation.jpg&size=original",
    "headers": [
     "Host: 127.0.0.1:8080",
     "Authorization: OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"{timestamp}\", oauth_nonce=\"{nonce}\", oauth_version=\"1.0\", oauth_signature=\"{signature}\""
    ],
    "body": null
   },
   "base_string": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fprobe%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
   "timestamp": "now + 86400",
   "sends": 1,
   "rfc": "refused",
   "documented": "accepted"
  },
  {
   "finding": "net-oauth-http-daemon/time-milliseconds",
   "case": "time-milliseconds",
   "rfc_section": "RFC 5849 §3.3 (seconds since the epoch)",
   "request": {
    "method": "GET",
    "target": "/probe/photos?file=vacation.jpg&size=original",
    "headers": [
     "Host: 127.0.0.1:8080",
     "Authorization: OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"{timestamp}\", oauth_nonce=\"{nonce}\", oauth_version=\"1.0\", oauth_signature=\"{signature}\""
    ],
    "body": null
   },
   "base_string": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fprobe%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
   "timestamp": "now * 1000",
   "sends": 1,
   "rfc": "refused",
   "documented": "accepted"
  },
  {
   "finding": "net-oauth-http-daemon/time-stale-24h",
   "case": "time-stale-24h",
   "rfc_section": "RFC 5849 §3.3 (the server bounds the timestamps it accepts); §3.2",
   "request": {
    "method": "GET",
    "target": "/probe/photos?file=vacation.jpg&size=original",
    "headers": [
     "Host: 127.0.0.1:8080",
     "Authorization: OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"{timestamp}\", oauth_nonce=\"{nonce}\", oauth_version=\"1.0\", oauth_signature=\"{signature}\""
    ],
    "body": null
   },
   "base_string": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fprobe%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
   "timestamp": "now - 86400",
   "sends": 1,
   "rfc": "refused",
   "documented": "accepted"
  },
  {
   "finding": "net-oauth-http-daemon/valid-json-body-with-body-hash",
   "case": "valid-json-body-with-body-hash",
   "rfc_section": "draft-eaton-oauth-bodyhash §3.1; RFC 5849 §3.2 (a server may refuse unsupported parameters)",
   "request": {
    "method": "POST",
    "target": "/probe/photos?file=vacation.jpg&size=original",
    "headers": [
     "Host: 127.0.0.1:8080",
     "Authorization: OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"{timestamp}\", oauth_nonce=\"{nonce}\", oauth_version=\"1.0\", oauth_body_hash=\"GSeEl1OjPfFJUZum02QSRtzQM9g%3D\", oauth_signature=\"{signature}\"",
     "Content-Type: application/json"
    ],
    "body": "{\"probe\": \"oauth1-conformance\"}"
   },
   "base_string": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Fprobe%2Fphotos&file%3Dvacation.jpg%26oauth_body_hash%3DGSeEl1OjPfFJUZum02QSRtzQM9g%253D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
   "timestamp": "now",
   "sends": 1,
   "rfc": "accepted",
   "documented": "refused",
   "documented_reason": "Parameter oauth_body_hash not valid"
  },
  {
   "finding": "net-oauth-http-daemon/valid-non-ascii",
   "case": "valid-non-ascii",
   "rfc_section": "RFC 5849 §3.6 (UTF-8 octets percent-encoded)",
   "request": {
    "method": "GET",
    "target": "/probe/photos?file=vacation.jpg&size=original&name=caf%C3%A9",
    "headers": [
     "Host: 127.0.0.1:8080",
     "Authorization: OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"{timestamp}\", oauth_nonce=\"{nonce}\", oauth_version=\"1.0\", oauth_signature=\"{signature}\""
    ],
    "body": null
   },
   "base_string": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fprobe%2Fphotos&file%3Dvacation.jpg%26name%3Dcaf%25C3%25A9%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
   "timestamp": "now",
   "sends": 1,
   "rfc": "accepted",
   "documented": "refused",
   "documented_base_string": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fprobe%2Fphotos&file%3Dvacation.jpg%26name%3Dcaf%25C3%2583%25C2%25A9%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal"
  },
  {
   "finding": "net-oauth-http-daemon/valid-repeated-names",
   "case": "valid-repeated-names",
   "rfc_section": "RFC 5849 §3.4.1.3.2 (equal names sort by value)",
   "request": {
    "method": "GET",
    "target": "/probe/photos?file=vacation.jpg&size=original&a=2&a=1",
    "headers": [
     "Host: 127.0.0.1:8080",
     "Authorization: OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"{timestamp}\", oauth_nonce=\"{nonce}\", oauth_version=\"1.0\", oauth_signature=\"{signature}\""
    ],
    "body": null
   },
   "base_string": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fprobe%2Fphotos&a%3D1%26a%3D2%26file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
   "timestamp": "now",
   "sends": 1,
   "rfc": "accepted",
   "documented": "refused",
   "documented_base_string": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fprobe%2Fphotos&a%3D2%26file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal"
  },
  {
   "finding": "net-oauth-http-daemon+nginx-tls/valid-gate",
   "case": "valid-gate",
   "rfc_section": "RFC 5849 §3.1, §3.2",
   "request": {
    "method": "GET",
    "target": "/probe/photos?file=vacation.jpg&size=original",
    "headers": [
     "Host: 127.0.0.1:8443",
     "X-Forwarded-Proto: https",
     "X-Forwarded-Host: 127.0.0.1:8443",
     "X-Forwarded-For: 127.0.0.1",
     "Authorization: OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"{timestamp}\", oauth_nonce=\"{nonce}\", oauth_version=\"1.0\", oauth_signature=\"{signature}\""
    ],
    "body": null
   },
   "base_string": "GET&https%3A%2F%2F127.0.0.1%3A8443%2Fprobe%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
   "timestamp": "now",
   "sends": 1,
   "rfc": "accepted",
   "documented": "refused",
   "documented_base_string": "GET&http%3A%2F%2F127.0.0.1%3A8443%2Fprobe%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal"
  }
 ]
}
JSON

my $FORM_CONTENT_TYPE = qr{^\s*application/x-www-form-urlencoded\s*(?:;|\z)}i;

# 24 letters and digits, new for every request, as the probe's nonces are.
sub nonce { return join '', map { ('A' .. 'Z', 'a' .. 'z', 0 .. 9)[rand 62] } 1 .. 24 }

sub timestamp {
    my ($relative) = @_;
    my $now = time;
    my %at = ('now' => $now, 'now - 86400' => $now - 86400, 'now + 86400' => $now + 86400, 'now * 1000' => $now * 1000);
    return $at{$relative} // die "unknown timestamp $relative\n";
}

# The request HTTP::Daemon would hand the server: the entry's, with its nonce, timestamp and the
# HMAC-SHA1 of its base string (or of `$base_string` when given) filled in.
sub signed_request {
    my ($entry, $base_string) = @_;
    my %fill = (nonce => nonce(), timestamp => timestamp($entry->{timestamp}));
    (my $text = $base_string // $entry->{base_string}) =~ s/\{(nonce|timestamp)\}/$fill{$1}/g;
    $fill{signature} = URI::Escape::uri_escape(MIME::Base64::encode_base64(Digest::SHA::hmac_sha1($text, $HMAC_KEY), ''));
    my $spec = $entry->{request};
    my $request = HTTP::Request->new($spec->{method} => $spec->{target});
    for my $line (@{$spec->{headers}}) {
        my ($name, $value) = split /: /, $line, 2;
        $value =~ s/\{(nonce|timestamp|signature)\}/$fill{$1}/g;
        $request->push_header($name => $value);
    }
    $request->content(Encode::encode('UTF-8', $spec->{body})) if defined $spec->{body};
    return $request;
}

# Pairs of a form-encoded string as URI's query_form decodes them, as character strings
# (Net::OAuth's I18N section asks for decoded text).
sub decoded_pairs {
    my ($encoded) = @_;
    my $form = URI->new('http://form.invalid/');
    $form->query($encoded);
    return map { Encode::decode('UTF-8', $_) } $form->query_form;
}

# What the server answers: "accepted", or "refused (why)". Net::OAuth's part is
# from_authorization_header and verify; the lookups of the secrets are the application's.
sub verdict {
    my ($request) = @_;
    my $url = 'http://' . $request->header('Host') . $request->uri->path_query;
    my %form = ($request->header('Content-Type') // '') =~ $FORM_CONTENT_TYPE ? decoded_pairs($request->content) : ();
    my $message = eval {
        Net::OAuth->request('protected resource')->from_authorization_header($request->header('Authorization'),
            request_url => $url, request_method => $request->method, consumer_secret => '', token_secret => '',
            extra_params => \%form);
    };
    return 'refused (Net::OAuth: ' . ($@ =~ s/ at \S+ line \d+.*//sr) . ')' unless $message;
    my $consumer_secret = $CONSUMERS{$message->consumer_key};
    my $token = $TOKENS{$message->token};
    return 'refused (unknown consumer or token)' unless defined $consumer_secret and $token and $token->{consumer_key} eq $message->consumer_key;
    $message->consumer_secret($consumer_secret);
    $message->token_secret($token->{secret});
    return 'accepted' if $message->verify;
    return 'refused (signature does not verify; Net::OAuth signed ' . $message->signature_base_string . ')';
}

# The entry's verdict: one per sending, joined with ", then ".
sub verdicts {
    my ($entry) = @_;
    my $request = signed_request($entry);
    return join ', then ', map { verdict($request) } 1 .. $entry->{sends};
}

sub word { return join ', then ', map { /^(\w+)/ } split /, then /, $_[0] }

sub main {
    my ($entry) = grep { $_->{finding} eq ($ARGV[0] // '') } @{$TABLE->{findings}};
    unless ($entry) {
        print STDERR "usage: $0 SERVER/CASE (one of: ", join(', ', map { $_->{finding} } @{$TABLE->{findings}}), ")\n";
        return 2;
    }
    binmode STDOUT, ':encoding(UTF-8)';
    print "finding:  live/$entry->{finding} (probe case $entry->{case}, $entry->{rfc_section})\n";
    if ($entry->{rfc} =~ /refused/) {
        my $control = verdict(signed_request($TABLE->{control}));
        print "control:  valid-gate with a fresh timestamp: $control\n";
        if (word($control) ne 'accepted') {
            print "changed: Net::OAuth refuses the control, so this case's verdict says nothing\n";
            return 4;
        }
    }
    my $value = verdicts($entry);
    print "Net::OAuth: $value\n";
    print "RFC 5849:   $entry->{rfc}\n";
    if (word($value) eq $entry->{rfc}) { print "fixed: Net::OAuth now agrees with RFC 5849\n"; return 3 }
    if (word($value) ne $entry->{documented}) { print "changed: the dossier documents $entry->{documented}\n"; return 4 }
    if (my $documented = $entry->{documented_base_string}) {
        my $quirk = verdict(signed_request($entry, $documented));
        print "signed over the base string the dossier documents ($documented): $quirk\n";
        if (word($quirk) ne 'accepted') { print "changed: the refusal is not the documented one\n"; return 4 }
    }
    if (my $reason = $entry->{documented_reason}) {
        if (index($value, $reason) < 0) { print "changed: the dossier documents the refusal \"$reason\"\n"; return 4 }
    }
    return 0;
}

exit main();
