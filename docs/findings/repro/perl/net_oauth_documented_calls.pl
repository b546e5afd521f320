#!/usr/bin/perl
# Standalone reproduction of net-oauth/from-url-signs-oauth-signature: the documented Service
# Provider call Net::OAuth->request('protected resource')->from_url($url, request_url => $url, ...)
# ->verify never verifies a request whose protocol parameters travel in the query (RFC 5849 section
# 3.5.3): the parameters are read from request_url and oauth_signature is put into the signature
# base string, which section 3.4.1.3.1 excludes. The request is RFC 5849 section 1.2's
# protected-resource request (vector rfc5849-1.2-protected-resource, vectors/rfc5849.json) with its
# published parameters and signature moved to the query.
#
# Usage: perl net_oauth_documented_calls.pl from-url-signs-oauth-signature. Exits 0 while Net::OAuth
# refuses it as documented, 3 when it verifies it (retire the dossier), 4 for a third result.
use strict;
use warnings;
use Net::OAuth;

$Net::OAuth::PROTOCOL_VERSION = Net::OAuth::PROTOCOL_VERSION_1_0;

sub from_url {
    my $resource = 'http://photos.example.net/photos?file=vacation.jpg&size=original';
    my $url = $resource . '&oauth_consumer_key=dpf43f3p2l4k3l03&oauth_token=nnch734d00sl2jdk'
      . '&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131202&oauth_nonce=chapoH'
      . '&oauth_signature=MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D';
    my $rfc_base = 'GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03'
      . '%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202'
      . '%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal';
    my $request = Net::OAuth->request('protected resource')->from_url(
        $url,
        request_url     => $url,
        request_method  => 'GET',
        consumer_secret => 'kd94hf93k423kf44',
        token_secret    => 'pfkkdhi9sl3r4s00',
    );
    my $verified = $request->verify ? 1 : 0;
    my $base = $request->signature_base_string;
    print "finding:   net-oauth/from-url-signs-oauth-signature (rfc5849-1.2-protected-resource, vectors/rfc5849.json, sent in the query)\n";
    print "Net::OAuth: ", ($verified ? 'verified' : 'refused'), "\n  base string: $base\n";
    print "RFC 5849:  verified (sections 3.5.3, 3.4.1.3.1)\n  base string: $rfc_base\n";
    return 3 if $verified && $base eq $rfc_base;
    return 0 if !$verified && $base =~ /oauth_signature%3D/;
    return 4;
}

my %FINDINGS = ('from-url-signs-oauth-signature' => \&from_url);
my $finding = @ARGV == 1 ? $FINDINGS{ $ARGV[0] } : undef;
unless ($finding) {
    print STDERR "usage: net_oauth_documented_calls.pl from-url-signs-oauth-signature\n";
    exit 2;
}
exit $finding->();
