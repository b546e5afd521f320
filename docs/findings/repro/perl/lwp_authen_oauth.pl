#!/usr/bin/perl
# Standalone reproductions of the findings of LWP::Authen::OAuth (docs/findings/lwp-authen-oauth/):
# the user agent its synopsis shows, LWP::Authen::OAuth->new(oauth_consumer_key, oauth_consumer_secret,
# oauth_token, oauth_token_secret), and an HTTP::Request sent through it, on each finding's smallest
# input. The nonce, timestamp, version and other protocol parameters go in the request's Authorization header, the way its
# documentation says to set a nonce, written with the module's own oauth_authorization_param.
# Nothing goes on the network: LWP's request_send hook answers 204. The module returns no base
# string; it passes it to Digest::SHA::hmac_sha1, which is wrapped here to keep it.
#
# Usage: perl lwp_authen_oauth.pl FINDING
# Exit: 0 still as documented, 3 agrees with RFC 5849 (retire the dossier), 4 a third value, 2 usage.
use strict;
use warnings;
use Digest::SHA ();
use Encode ();
use HTTP::Request ();
use HTTP::Response ();
use JSON::PP ();
use LWP::Authen::OAuth ();

# Per finding: the vector (id and file), its request, the stage compared, RFC 5849's value as the
# vector publishes it ("rfc"; for a generated input, recorded in docs/findings/examples.json, the
# dossier's: the harness's reference signer, which oauthlib's signature functions agree with), and the
# value the dossier documents ("documented").
our $FINDINGS = JSON::PP->new->utf8->decode(<<'JSON');
[
{
 "finding": "charset-content-type-not-form",
 "vector": "generated:1481180219",
 "file": "docs/findings/examples.json",
 "stage": "signature_base_string",
 "request": {
  "method": "POST",
  "url": "http://127.0.0.1:/x;y=z/%2F/photos/",
  "content_type": "application/x-www-form-urlencoded; charset=utf-8",
  "body": "x_y=&z=Z_%21%C3%A9%2B&z="
 },
 "oauth": {
  "token": "t%k n",
  "timestamp": "1700000000",
  "nonce": "chapoH",
  "version": "1.0",
  "realm": null,
  "extra": {},
  "consumer_key": "dpf43f3p2l4k3l03",
  "signature_method": "HMAC-SHA1"
 },
 "secrets": {
  "consumer_secret": "éZ!üb",
  "token_secret": "=b?😀"
 },
 "rfc": "POST&http%3A%2F%2F127.0.0.1%2Fx%3By%3Dz%2F%252F%2Fphotos%2F&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dt%2525k%2520n%26oauth_version%3D1.0%26x_y%3D%26z%3D%26z%3DZ_%2521%25C3%25A9%252B",
 "documented": "POST&http%3A%2F%2F127.0.0.1%2Fx%3By%3Dz%2F%252F%2Fphotos%2F&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dt%2525k%2520n%26oauth_version%3D1.0",
 "rfcSignature": "SgH4q1VknJ6Cy8UO8WetFb+A2+g="
},
{
 "finding": "form-content-type-case-sensitive",
 "vector": "generated:1481179514",
 "file": "docs/findings/examples.json",
 "stage": "signature_base_string",
 "request": {
  "method": "POST",
  "url": "https://api.example.com:80/!$&'()*+,;=/~user",
  "content_type": "Application/X-WWW-Form-URLEncoded",
  "body": "n0Z%F0%9F%98%80%2B-=&b=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv&filter%5B0%5D%5Bid%5D=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv&n0Z%F0%9F%98%80%2B-=2"
 },
 "oauth": {
  "token": "nnch734d00sl2jdk",
  "timestamp": "1191242096",
  "nonce": "kllo9940pd9333jh",
  "version": "1.0",
  "realm": null,
  "extra": {
   "oauth_callback": "oob"
  },
  "consumer_key": "dpf43f3p2l4k3l03",
  "signature_method": "HMAC-SHA1"
 },
 "secrets": {
  "consumer_secret": "/😀%€a",
  "token_secret": "%0-"
 },
 "rfc": "POST&https%3A%2F%2Fapi.example.com%3A80%2F%21%24%26%27%28%29%2A%2B%2C%3B%3D%2F~user&b%3Dvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv%26filter%255B0%255D%255Bid%255D%3Dvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv%26n0Z%25F0%259F%2598%2580%252B-%3D%26n0Z%25F0%259F%2598%2580%252B-%3D2%26oauth_callback%3Doob%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
 "documented": "POST&https%3A%2F%2Fapi.example.com%3A80%2F%21%24%26%27%28%29%2A%2B%2C%3B%3D%2F~user&oauth_callback%3Doob%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
 "rfcSignature": "nxeNkuOVc+B0NriS/W2M9MOc9dg="
},
 {
  "finding": "signs-form-body-for-post-only",
  "vector": "lib-oauthruby-put-form-body-signed",
  "file": "vectors/libraries-sign.json",
  "stage": "signature_base_string",
  "request": {
   "method": "PUT",
   "url": "http://example.com/test",
   "content_type": "application/x-www-form-urlencoded",
   "body": "key2=value2"
  },
  "oauth": {
   "token": null,
   "timestamp": "1199645624",
   "nonce": "225579211881198842005988698334675835446",
   "version": "1.0",
   "realm": null,
   "extra": {},
   "consumer_key": "consumer_key_86cad9",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "5888bf0345e5d237",
   "token_secret": null,
   "rsa_private_key_pem": null
  },
  "rfc": "PUT&http%3A%2F%2Fexample.com%2Ftest&key2%3Dvalue2%26oauth_consumer_key%3Dconsumer_key_86cad9%26oauth_nonce%3D225579211881198842005988698334675835446%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1199645624%26oauth_version%3D1.0",
  "documented": "PUT&http%3A%2F%2Fexample.com%2Ftest&oauth_consumer_key%3Dconsumer_key_86cad9%26oauth_nonce%3D225579211881198842005988698334675835446%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1199645624%26oauth_version%3D1.0"
 },
 {
  "finding": "ignores-query",
  "vector": "lib-gomodule-raw-slash-in-query",
  "file": "vectors/libraries-sign.json",
  "stage": "signature_base_string",
  "request": {
   "method": "POST",
   "url": "https://stream.twitter.com/1.1/statuses/filter.json?track=example.com/query",
   "content_type": "application/x-www-form-urlencoded",
   "body": ""
  },
  "oauth": {
   "token": "token",
   "timestamp": "1362435218",
   "nonce": "884275759fbab914654b50ae643c563a",
   "version": "1.0",
   "realm": null,
   "extra": {},
   "consumer_key": "consumer_key",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "consumer_secret",
   "token_secret": "secret",
   "rsa_private_key_pem": null
  },
  "rfc": "POST&https%3A%2F%2Fstream.twitter.com%2F1.1%2Fstatuses%2Ffilter.json&oauth_consumer_key%3Dconsumer_key%26oauth_nonce%3D884275759fbab914654b50ae643c563a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1362435218%26oauth_token%3Dtoken%26oauth_version%3D1.0%26track%3Dexample.com%252Fquery",
  "documented": "POST&https%3A%2F%2Fstream.twitter.com%2F1.1%2Fstatuses%2Ffilter.json&oauth_consumer_key%3Dconsumer_key%26oauth_nonce%3D884275759fbab914654b50ae643c563a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1362435218%26oauth_token%3Dtoken%26oauth_version%3D1.0"
 },
 {
  "finding": "method-not-uppercased",
  "vector": "lib-gomodule-method-host-case-port-443",
  "file": "vectors/libraries-sign.json",
  "stage": "signature_base_string",
  "request": {
   "method": "GeT",
   "url": "https://apI.twItter.com:443/1/?page=10",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "10212-JJ3Zc1A49qSMgdcAO2GMOpW9l7A348ESmhjmOBOU",
   "timestamp": "1355795903",
   "nonce": "8067e8abc6bdca2006818132445c8f4c",
   "version": "1.0",
   "realm": null,
   "extra": {},
   "consumer_key": "kMViZR2MHk2mM7hUNVw9A",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "56Fgl58yOfqXOhHXX0ybvOmSnPQFvR2miYmm30A",
   "token_secret": "yF75mvq4LZMHj9O0DXwoC3ZxUnN1ptvieThYuOAYM",
   "rsa_private_key_pem": null
  },
  "rfc": "GET&https%3A%2F%2Fapi.twitter.com%2F1%2F&oauth_consumer_key%3DkMViZR2MHk2mM7hUNVw9A%26oauth_nonce%3D8067e8abc6bdca2006818132445c8f4c%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1355795903%26oauth_token%3D10212-JJ3Zc1A49qSMgdcAO2GMOpW9l7A348ESmhjmOBOU%26oauth_version%3D1.0%26page%3D10",
  "documented": "GeT&https%3A%2F%2Fapi.twitter.com%2F1%2F&oauth_consumer_key%3DkMViZR2MHk2mM7hUNVw9A%26oauth_nonce%3D8067e8abc6bdca2006818132445c8f4c%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1355795903%26oauth_token%3D10212-JJ3Zc1A49qSMgdcAO2GMOpW9l7A348ESmhjmOBOU%26oauth_version%3D1.0%26page%3D10"
 },
 {
  "finding": "query-octets-reencoded-as-utf8",
  "vector": "wild-latin1-character-in-query",
  "file": "vectors/in-the-wild.json",
  "stage": "signature_base_string",
  "request": {
   "method": "GET",
   "url": "https://api.example.com/p?price=%C2%A355",
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
  "rfc": "GET&https%3A%2F%2Fapi.example.com%2Fp&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dw1ldn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26price%3D%25C2%25A355",
  "documented": "GET&https%3A%2F%2Fapi.example.com%2Fp&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dw1ldn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26price%3D%25C3%2582%25C2%25A355"
 },
 {
  "finding": "decodes-unreserved-path-escapes",
  "vector": "generated:1481179188",
  "file": "docs/findings/examples.json",
  "stage": "signature_base_string",
  "request": {
   "method": "GET",
   "url": "http://api.example.com/%7e",
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
  "rfc": "GET&http%3A%2F%2Fapi.example.com%2F%257e&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_version%3D1.0",
  "documented": "GET&http%3A%2F%2Fapi.example.com%2F~&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_version%3D1.0",
  "rfcSignature": "TrbxYz6AtohSiGcOTV1kAJQa5YM="
 },
 {
  "finding": "drops-empty-values",
  "vector": "generated:1481179842",
  "file": "docs/findings/examples.json",
  "stage": "signature_base_string",
  "request": {
   "method": "GET",
   "url": "http://api.example.com",
   "content_type": "application/x-www-form-urlencoded",
   "body": "nZ0="
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "HMAC-SHA1",
   "timestamp": "137131201",
   "nonce": "kllo9940pd9333jh",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": " +a",
   "token_secret": null
  },
  "rfc": "GET&http%3A%2F%2Fapi.example.com%2F&nZ0%3D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_version%3D1.0",
  "documented": "GET&http%3A%2F%2Fapi.example.com%2F&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_version%3D1.0",
  "rfcSignature": "VSSdnreVNHbGKd+r+QAirZc4Z20="
 },
 {
  "finding": "empty-path-not-slash",
  "vector": "generated:1481179165",
  "file": "docs/findings/examples.json",
  "stage": "signature_base_string",
  "request": {
   "method": "GET",
   "url": "http://api.example.com?a=",
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
  "rfc": "GET&http%3A%2F%2Fapi.example.com%2F&a%3D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_version%3D1.0",
  "documented": "GET&http%3A%2F%2Fapi.example.com&a%3D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_version%3D1.0",
  "rfcSignature": "zfJkqCWxmbEnW4wxVHY5YrknbFk="
 },
 {
  "finding": "sorts-by-name-only",
  "vector": "generated:1481180529",
  "file": "docs/findings/examples.json",
  "stage": "signature_base_string",
  "request": {
   "method": "DELETE",
   "url": "https://API.Example.COM:/a%3Fb/%2F?A=&a%5B%5D=&a=Z&a=%2B%2B&A=2",
   "content_type": "Application/X-WWW-Form-URLEncoded",
   "body": ""
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "chapoH",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "éé= ",
   "token_secret": null
  },
  "rfc": "DELETE&https%3A%2F%2Fapi.example.com%2Fa%253Fb%2F%252F&A%3D%26A%3D2%26a%3D%252B%252B%26a%3DZ%26a%255B%255D%3D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_version%3D1.0",
  "documented": "DELETE&https%3A%2F%2Fapi.example.com%2Fa%253Fb%2F%252F&A%3D%26A%3D2%26a%3DZ%26a%3D%252B%252B%26a%255B%255D%3D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_version%3D1.0",
  "rfcSignature": "Qx9+qbVsOt1DpLrIyV/BClEycjI="
 },
 {
  "finding": "sorts-unencoded-keys",
  "vector": "generated:1481179464",
  "file": "docs/findings/examples.json",
  "stage": "signature_base_string",
  "request": {
   "method": "GET",
   "url": "HTTPS://127.0.0.1:8443/~user/?n0_0=~_0%2F&user%5Bname%5D=%21a&a%5B%5D=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv&a1=",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "chapoH",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "b ",
   "token_secret": null
  },
  "rfc": "GET&https%3A%2F%2F127.0.0.1%3A8443%2F~user%2F&a%255B%255D%3Dvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv%26a1%3D%26n0_0%3D~_0%252F%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_version%3D1.0%26user%255Bname%255D%3D%2521a",
  "documented": "GET&https%3A%2F%2F127.0.0.1%3A8443%2F~user%2F&a1%3D%26a%255B%255D%3Dvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv%26n0_0%3D~_0%252F%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_version%3D1.0%26user%255Bname%255D%3D%2521a",
  "rfcSignature": "3YMqPybnpw87iRvsy5UVr3Q+Z/U="
 },
 {
  "finding": "uppercases-path-escapes",
  "vector": "generated:1481179221",
  "file": "docs/findings/examples.json",
  "stage": "signature_base_string",
  "request": {
   "method": "POST",
   "url": "http://api.example.com/a/v1%2fitems/a%3Fb?x_y=&a1=&c=%21~&a1=2",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "b",
   "token_secret": "*=1"
  },
  "rfc": "POST&http%3A%2F%2Fapi.example.com%2Fa%2Fv1%252fitems%2Fa%253Fb&a1%3D%26a1%3D2%26c%3D%2521~%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26x_y%3D",
  "documented": "POST&http%3A%2F%2Fapi.example.com%2Fa%2Fv1%252Fitems%2Fa%253Fb&a1%3D%26a1%3D2%26c%3D%2521~%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26x_y%3D",
  "rfcSignature": "SHIGG4s1Jie+75yEDS66tWncGmk="
 }
]
JSON

my @hmac_inputs;
{
    no warnings 'redefine';
    my $hmac_sha1 = \&Digest::SHA::hmac_sha1;
    *Digest::SHA::hmac_sha1 = sub (;@) { push @hmac_inputs, $_[0]; return $hmac_sha1->(@_) };
}

sub base_string {
    my ($entry) = @_;
    my ($request, $oauth, $secrets) = @{$entry}{qw(request oauth secrets)};
    my $ua = LWP::Authen::OAuth->new(
        oauth_consumer_key => $oauth->{consumer_key},
        oauth_consumer_secret => $secrets->{consumer_secret},
        oauth_token => $oauth->{token},
        oauth_token_secret => $secrets->{token_secret},
    );
    $ua->add_handler(request_send => sub { HTTP::Response->new(204, 'not sent') });
    my $http = HTTP::Request->new($request->{method} => $request->{url});
    $http->header('Content-Type' => $request->{content_type}) if defined $request->{content_type};
    $http->content(Encode::encode('UTF-8', $request->{body})) if defined $request->{body};
    my @preset = (oauth_nonce => $oauth->{nonce}, oauth_timestamp => $oauth->{timestamp});
    push @preset, oauth_version => $oauth->{version} if defined $oauth->{version};
    my $extra = $oauth->{extra} // {};
    push @preset, map { ($_ => $extra->{$_}) } sort keys %$extra;
    LWP::Authen::OAuth::oauth_authorization_param($http, @preset);
    @hmac_inputs = ();
    $ua->request($http);
    die "LWP::Authen::OAuth called hmac_sha1 " . scalar(@hmac_inputs) . " times\n" unless @hmac_inputs == 1;
    # The module signs octets; shown as text, as the vectors publish it.
    return Encode::decode('UTF-8', $hmac_inputs[0]);
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

check('LWP::Authen::OAuth', \&base_string);
