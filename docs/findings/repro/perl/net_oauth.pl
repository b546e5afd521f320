#!/usr/bin/perl
# Standalone reproductions of the findings of Net::OAuth (docs/findings/net-oauth/): a request
# message as Net::OAuth's documentation builds one, Net::OAuth->request(TYPE)->new(consumer_key,
# consumer_secret, token, token_secret, request_url, request_method, signature_method, timestamp,
# nonce, extra_params => the form body's parameters), then ->sign and ->signature_base_string,
# on each finding's smallest input.
#
# Usage: perl net_oauth.pl FINDING
use strict;
use warnings;
use Encode ();
use JSON::PP ();
use Net::OAuth ();
use URI ();

# Per finding: the vector (id and file), its request, the stage compared, RFC 5849's value as the
# vector publishes it ("rfc"), and the value the dossier documents ("documented").
# A finding seen on generated cases only names its case (generated:SEED) and docs/findings/examples.json,
# where its input is recorded; its "rfc" is then the reference signer's value for that input (the
# dossier's RFC 5849 column), its "documented" the dossier's library column.
our $FINDINGS = JSON::PP->new->utf8->decode(<<'JSON');
[
 {
  "finding": "collapses-body-duplicates-last-wins",
  "vector": "generated:1481179147",
  "file": "docs/findings/examples.json",
  "stage": "signature_base_string",
  "request": {
   "method": "GET",
   "url": "https://api.example.com:8443/x;y=z/v1%2fitems?filter%5B0%5D%5Bid%5D=&a%5Bb%5D=.%2F&A=1%3F&b=%26~0&a%5Bb%5D=.%2F2",
   "content_type": "Application/X-WWW-Form-URLEncoded",
   "body": "user%5Bname%5D=%F0%9F%98%80a&n%20a%25~=&n%20a%25~=2"
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "kkk9d7dh3k39sjv7",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1700000000",
   "nonce": "kllo9940pd9333jh",
   "version": "1.0",
   "realm": "http://sp.example.com/",
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "?-=&é",
   "token_secret": "./"
  },
  "rfc": "GET&https%3A%2F%2Fapi.example.com%3A8443%2Fx%3By%3Dz%2Fv1%252fitems&A%3D1%253F%26a%255Bb%255D%3D.%252F%26a%255Bb%255D%3D.%252F2%26b%3D%2526~0%26filter%255B0%255D%255Bid%255D%3D%26n%2520a%2525~%3D%26n%2520a%2525~%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dkkk9d7dh3k39sjv7%26oauth_version%3D1.0%26user%255Bname%255D%3D%25F0%259F%2598%2580a",
  "documented": "GET&https%3A%2F%2Fapi.example.com%3A8443%2Fx%3By%3Dz%2Fv1%252fitems&A%3D1%253F%26a%255Bb%255D%3D.%252F%26b%3D%2526~0%26filter%255B0%255D%255Bid%255D%3D%26n%2520a%2525~%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dkkk9d7dh3k39sjv7%26oauth_version%3D1.0%26user%255Bname%255D%3D%25F0%259F%2598%2580a"
 },
 {
  "finding": "collapses-duplicates-first-wins",
  "vector": "edge-more-sort-values-encoded-colon",
  "file": "vectors/edge-cases-more.json",
  "stage": "signature_base_string",
  "request": {
   "method": "GET",
   "url": "http://example.com/v?v=0&v=:",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "nnch734d00sl2jdk",
   "timestamp": "1700000000",
   "nonce": "h0ld0utn0nce",
   "version": null,
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
  "rfc": "GET&http%3A%2F%2Fexample.com%2Fv&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dh0ld0utn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26v%3D%253A%26v%3D0",
  "documented": "GET&http%3A%2F%2Fexample.com%2Fv&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dh0ld0utn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26v%3D0"
 },
 {
  "finding": "collapses-duplicates-last-wins",
  "vector": "edge-more-patch-form-body",
  "file": "vectors/edge-cases-more.json",
  "stage": "signature_base_string",
  "request": {
   "method": "PATCH",
   "url": "https://api.example.com/items/7",
   "content_type": "application/x-www-form-urlencoded",
   "body": "name=New%20name&tags=x&tags=y"
  },
  "oauth": {
   "token": "nnch734d00sl2jdk",
   "timestamp": "1700000000",
   "nonce": "h0ld0utn0nce",
   "version": null,
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
  "rfc": "PATCH&https%3A%2F%2Fapi.example.com%2Fitems%2F7&name%3DNew%2520name%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dh0ld0utn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26tags%3Dx%26tags%3Dy",
  "documented": "PATCH&https%3A%2F%2Fapi.example.com%2Fitems%2F7&name%3DNew%2520name%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dh0ld0utn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26tags%3Dy"
 },
 {
  "finding": "drops-empty-values",
  "vector": "oauthnet-normalize-name",
  "file": "vectors/oauth-net.json",
  "stage": "signature_base_string",
  "request": {
   "method": "GET",
   "url": "http://example.com/request?name",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": null,
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "GET&http%3A%2F%2Fexample.com%2Frequest&name%3D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
  "documented": "GET&http%3A%2F%2Fexample.com%2Frequest&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"
 },
 {
  "finding": "empty-path-not-slash",
  "vector": "oauthnet-concat-get-no-path",
  "file": "vectors/oauth-net.json",
  "stage": "signature_base_string",
  "request": {
   "method": "GET",
   "url": "http://example.com?n=v",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": null,
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "GET&http%3A%2F%2Fexample.com%2F&n%3Dv%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
  "documented": "GET&http%3A%2F%2Fexample.com&n%3Dv%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"
 },
 {
  "finding": "ignores-query",
  "vector": "generated:1481179842",
  "file": "docs/findings/examples.json",
  "stage": "signature_base_string",
  "request": {
   "method": "DELETE",
   "url": "https://xn--bcher-kva.example:/a%3Fb/r%20v/a?c",
   "content_type": "Application/X-WWW-Form-URLEncoded",
   "body": "nZ0="
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "HMAC-SHA256",
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
  "rfc": "DELETE&https%3A%2F%2Fxn--bcher-kva.example%2Fa%253Fb%2Fr%2520v%2Fa&c%3D%26nZ0%3D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D137131201%26oauth_version%3D1.0",
  "documented": "DELETE&https%3A%2F%2Fxn--bcher-kva.example%3A%2Fa%253Fb%2Fr%2520v%2Fa&nZ0%3D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D137131201%26oauth_version%3D1.0"
 },
 {
  "finding": "keeps-default-port",
  "vector": "edge-url-ipv6-default-port",
  "file": "vectors/edge-cases.json",
  "stage": "signature_base_string",
  "request": {
   "method": "GET",
   "url": "https://[::1]:443/",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": null,
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "GET&https%3A%2F%2F%5B%3A%3A1%5D%2F&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
  "documented": "GET&https%3A%2F%2F%5B%3A%3A1%5D%3A443%2F&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"
 },
 {
  "finding": "keeps-empty-query-segments",
  "vector": "edge-query-empty-segments",
  "file": "vectors/edge-cases.json",
  "stage": "signature_base_string",
  "request": {
   "method": "GET",
   "url": "https://example.com/r?a=1&&b=2&",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": null,
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "GET&https%3A%2F%2Fexample.com%2Fr&a%3D1%26b%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
  "documented": "GET&https%3A%2F%2Fexample.com%2Fr&%3D%26a%3D1%26b%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"
 },
 {
  "finding": "keeps-fragment",
  "vector": "edge-url-fragment",
  "file": "vectors/edge-cases.json",
  "stage": "signature_base_string",
  "request": {
   "method": "GET",
   "url": "https://example.com/p?x=1#frag&y=2",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": null,
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "GET&https%3A%2F%2Fexample.com%2Fp&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26x%3D1",
  "documented": "GET&https%3A%2F%2Fexample.com%2Fp%23frag%26y%3D2&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26x%3D1"
 },
 {
  "finding": "keeps-host-case",
  "vector": "edge-url-uppercase-scheme-host",
  "file": "vectors/edge-cases.json",
  "stage": "signature_base_string",
  "request": {
   "method": "GET",
   "url": "HTTPS://API.Example.COM/Path/To",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": null,
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "GET&https%3A%2F%2Fapi.example.com%2FPath%2FTo&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
  "documented": "GET&HTTPS%3A%2F%2FAPI.Example.COM%2FPath%2FTo&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"
 },
 {
  "finding": "keeps-userinfo",
  "vector": "edge-url-userinfo",
  "file": "vectors/edge-cases.json",
  "stage": "signature_base_string",
  "request": {
   "method": "GET",
   "url": "https://user:pw@example.com/p",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": null,
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "GET&https%3A%2F%2Fexample.com%2Fp&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
  "documented": "GET&https%3A%2F%2Fuser%3Apw%40example.com%2Fp&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"
 },
 {
  "finding": "method-not-uppercased",
  "vector": "edge-method-custom",
  "file": "vectors/edge-cases.json",
  "stage": "signature_base_string",
  "request": {
   "method": "purge",
   "url": "https://example.com/cache/item",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": null,
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "PURGE&https%3A%2F%2Fexample.com%2Fcache%2Fitem&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
  "documented": "purge&https%3A%2F%2Fexample.com%2Fcache%2Fitem&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"
 },
 {
  "finding": "query-octets-reencoded-as-utf8",
  "vector": "edge-query-non-utf8-octets",
  "file": "vectors/edge-cases.json",
  "stage": "signature_base_string",
  "request": {
   "method": "GET",
   "url": "https://example.com/r?v=%FF%FE",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": null,
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "GET&https%3A%2F%2Fexample.com%2Fr&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26v%3D%25FF%25FE",
  "documented": "GET&https%3A%2F%2Fexample.com%2Fr&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26v%3D%25C3%25BF%25C3%25BE"
 },
 {
  "finding": "semicolon-separates-query",
  "vector": "edge-query-semicolon",
  "file": "vectors/edge-cases.json",
  "stage": "signature_base_string",
  "request": {
   "method": "GET",
   "url": "https://example.com/r?a=1;b=2",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": null,
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "GET&https%3A%2F%2Fexample.com%2Fr&a%3D1%253Bb%253D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
  "documented": "GET&https%3A%2F%2Fexample.com%2Fr&a%3D1%26b%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"
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
 },
 {
  "finding": "sorts-joined-pairs",
  "vector": "edge-prefix-names",
  "file": "vectors/edge-cases.json",
  "stage": "signature_base_string",
  "request": {
   "method": "GET",
   "url": "https://example.com/r?a1=1&ab=3&a=2",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "1191242096",
   "nonce": "kllo9940pd9333jh",
   "version": null,
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "kd94hf93k423kf44",
   "token_secret": "pfkkdhi9sl3r4s00",
   "rsa_private_key_pem": null
  },
  "rfc": "GET&https%3A%2F%2Fexample.com%2Fr&a%3D2%26a1%3D1%26ab%3D3%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk",
  "documented": "GET&https%3A%2F%2Fexample.com%2Fr&a1%3D1%26a%3D2%26ab%3D3%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk"
 }
]
JSON

# The form body's parameters, decoded as URI's query_form decodes them (Net::OAuth's I18N
# section asks for decoded text); a hash: Net::OAuth takes one value per name.
sub form_params {
    my ($request) = @_;
    my ($type, $body) = @{$request}{qw(content_type body)};
    return {} unless defined $body and defined $type and $type =~ m{^\s*application/x-www-form-urlencoded\s*(;|$)}i;
    my $form = URI->new('http://form.invalid/');
    $form->query($body);
    my %params = map { Encode::decode('UTF-8', $_) } $form->query_form;
    return \%params;
}

sub base_string {
    my ($entry) = @_;
    my ($request, $oauth, $secrets) = @{$entry}{qw(request oauth secrets)};
    my %extra = %{$oauth->{extra} // {}};
    # Net::OAuth has one class per request type; only the 1.0a token requests carry
    # oauth_callback and oauth_verifier.
    my ($type, @type) = defined $oauth->{token}
        ? (exists $extra{oauth_verifier}
            ? ('access token', protocol_version => Net::OAuth::PROTOCOL_VERSION_1_0A, verifier => delete $extra{oauth_verifier})
            : ('protected resource'))
        : (exists $extra{oauth_callback}
            ? ('request token', protocol_version => Net::OAuth::PROTOCOL_VERSION_1_0A, callback => delete $extra{oauth_callback})
            : ('consumer'));
    my %params = (
        @type,
        consumer_key => $oauth->{consumer_key},
        consumer_secret => $secrets->{consumer_secret} // '',
        request_url => $request->{url},
        request_method => $request->{method},
        signature_method => $oauth->{signature_method},
        extra_params => {%{form_params($request)}, %extra},
    );
    $params{token} = $oauth->{token} if defined $oauth->{token};
    $params{token_secret} = $secrets->{token_secret} // '' if defined $oauth->{token};
    $params{timestamp} = $oauth->{timestamp} if defined $oauth->{timestamp};
    $params{nonce} = $oauth->{nonce} if defined $oauth->{nonce};
    $params{version} = $oauth->{version} if defined $oauth->{version};
    my $message = Net::OAuth->request($type)->new(%params);
    # The constructor sets oauth_version=1.0 when none is given; the accessor removes it.
    $message->version(undef) unless defined $oauth->{version};
    $message->sign;
    return $entry->{stage} eq 'signature' ? $message->signature : $message->signature_base_string;
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

check('Net::OAuth', \&base_string);
