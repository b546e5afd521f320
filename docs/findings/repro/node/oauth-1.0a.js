'use strict';
// Standalone reproductions of the findings of oauth-1.0a (docs/findings/oauth-1.0a/): the
// library as its README drives it, OAuth({consumer, signature_method, hash_function, realm,
// version}).authorize({url, method, data}, token), the form body decoded into `data` with the
// library's own deParam, on each finding's smallest input.
//
// Usage: NODE_PATH=adapters/node-oauth-1.0a/node_modules node oauth-1.0a.js FINDING
const crypto = require('node:crypto');
const fs = require('node:fs');
const OAuth = require('oauth-1.0a');

// The RSA test key of the harness's generated cases (run from the repository root).
const GENERATOR_RSA_KEY = 'crates/conformance/data/generator-rsa-1024.pem';

// Per finding: the vector (id and file), its request, the stage compared, RFC 5849's value as
// the vector publishes it ("rfc"), and the value the dossier documents ("documented").
const FINDINGS = [
 {
  "finding": "collapses-duplicates-first-wins",
  "vector": "generated:1481179872",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "DELETE",
   "url": "HTTPS://api.example.com:/%7e/photos/!$&'()*+,;=/?n%27%3D.%2B%2B=&x_y=&x_y",
   "content_type": "application/x-www-form-urlencoded; charset=utf-8",
   "body": "a%5B%5D&a1=%21%21.%F0%9F%98%80&x_y=%2A~%3F%C3%BC"
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "kkk9d7dh3k39sjv7",
   "signature_method": "RSA-SHA1",
   "timestamp": "1700000000",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": "http://sp.example.com/",
   "extra": {
    "oauth_callback": "http://printer.example.com/ready?x=1&y=2"
   }
  },
  "secrets": {
   "consumer_secret": "",
   "token_secret": "11é!=",
   "rsa_private_key": "generator"
  },
  "rfc": "WPlS05cHpLCU4c7ytxx/qC9grGwq7JlaioPKKPFcxndE/2ICMojWHrKnNbPgczhHiOjStxbx7bj/rEqJt1bi1UuRVG6yjt5z2gA+c8TGifyTnKRe1SEoZ9irW7ZtKzWsJlykEI3UCKGYCqAnQoslj4BhTcUwvqiCRbKA3Npuh/o=",
  "documented": "h/FxLucg6ZOAu0wrwbgdn0GRoYGqxRV18DmhOJUqpxvsYTG/mGIflOdnILggY9fiOv8JSwBaclNiJ0r8lBLo/17PAyks91j9fDqT5AyufdIojPVs2xHB1fNbBq/pHwTjxA04A4GITfnsQolTXUsdSUMk7f0ULEP3IEhfDj05eVc="
 },
 {
  "finding": "collapses-duplicates-last-wins",
  "vector": "generated:1481179476",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "PATCH",
   "url": "http://[2001:db8::1]:8080?z&z=2",
   "content_type": "Application/X-WWW-Form-URLEncoded",
   "body": "A=%C3%BC~"
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "RSA-SHA512",
   "timestamp": "1700000000",
   "nonce": "chapoH",
   "version": "1.0",
   "realm": null,
   "extra": {
    "oauth_callback": "oob"
   }
  },
  "secrets": {
   "consumer_secret": "üZ",
   "token_secret": null,
   "rsa_private_key": "generator"
  },
  "rfc": "GlMwybbZ5wZNIXnZXzhGgQ17kTeirVP9ApYXrDnOqjB2OLxPZ7mD4Nxv15ibUuCnEkZ5CCxLSitbKyxcHGzREOmGdWR0XFE522CF/5Q9r/rgS9l4rGMPM1vjXIdRvonp7KOBe9JPOjuBnRTsn3RVMqpKEkl5//gvRiFKv6DMuOY=",
  "documented": "Sx0WNE/QCxSEt8cYiRP3HQw1NYmcKd0qiqqs3Uxu+u+Hto5hBHnhp64vuB6hdk1TpGPxbQM6x90pGJ9vBT46vPqNU5pefD4UNDeZdNJd/m/kgiiljpPGmLzNWLE5Mp8byYxhljYzn0AEW2Odroa1r35EWKqpCCno+Quw6uMPj7k="
 },
 {
  "finding": "drops-empty-body-values",
  "vector": "generated:1481179233",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "get",
   "url": "https://API.Example.COM:/x;y=z/%2F/x;y=z?a%5B%5D=.b&n-=%F0%9F%98%80%3D.&a=&c=%21%E2%82%AC0&c=%21%E2%82%AC02",
   "content_type": "application/x-www-form-urlencoded; charset=utf-8",
   "body": "a%5Bb%5D=&b=%E2%82%AC1&a%5B%5D=&x_y=%26a%3D&a%5Bb%5D=2"
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "kkk9d7dh3k39sjv7",
   "signature_method": "RSA-SHA256",
   "timestamp": "1191242096",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": "Example",
   "extra": {
    "oauth_callback": "http://printer.example.com/ready?x=1&y=2"
   }
  },
  "secrets": {
   "consumer_secret": "",
   "token_secret": "&1😀€0",
   "rsa_private_key_pem": "-----BEGIN RSA PRIVATE KEY-----\nMIICXAIBAAKBgQC0g9GuFlLxDzT87A03L8Y6nvolTRKRli12uhtj05zEBmVc5X9E\nPrMXAI/lglBhUepXT4zqiOd4ZhzGRHekm9pfhVOewxYyXDtOpHS00IF0ZIxJP/be\nT+UU2W/X9e27HibCMcPuck/SXZ6nyJcVN47odJyIlhhFX1qslVLhxRQxJQIDAQAB\nAoGAebVi+4hrtcJ2DI2vP2VDtySXLe0wNt7VmnZSn1T/Hp/dWewWidHod/rWCn15\napSLdwDY1w0lW+UlQ3zIWkEG0zwON35ZjrqIVJ7bllZif9x9EF9wy2vMchwQQ4Q3\n6+Z8tjbM85NdnSpJo2SxHIAjlexgMf1pSEHsRMqTTHmpLsECQQDl3lo46dihp/JG\nEyrFmbCU2w6M27C5d8qJ2SCgXhGg+th5HDqP3pmr3TcYgCSVN16a0QODDk+yB3st\naCpNY7YVAkEAyQkskwUL6j0oVevUkjQJIZ0Y9HxKX1M8t1xdqKHquNjx9O+lGPhb\n5At71S7O7nr7rVKs9x5AKeUg7JVC6bbi0QJAd2MSzPh3cQ5/QHH4BwUZt1ZGqlX3\n5XwYD5xb266/zTI7eDt3Fv3wJlkQooL7fRxy4EmqX0jxj29fRGgTgHpHOQJANsOu\nBdrhFQ1V+JoGzVEpj6OZEbjuFau6JYUe6no5U+OdfgjuY6/8cFIEiN14d5S/DMcx\n4Ru3hPIrFufOU5aDkQJBAI6lQEyy2mkM5Ej1x65HXAi5Uekb2vn5k1ciCMuACpuK\nV+sFjBSKDPQK2+Ogj+eLFy/MhS3zaAtXIRuspMhTifo=\n-----END RSA PRIVATE KEY-----\n"
  },
  "rfc": "FONllQlblqx9CYCCbJ4v911D9i3uTS0i6Qz3Q5fRRFe+fdSmaFTVrx8oFuH8nl+IqhBtNzxcD/wDdS/wrz9XMwKF0bX8q0oqSx90d6SzvWzo/EKIHfxSIuita7O+8SeJ0qlOieCDVJkttA9vhrSZtjMZ8ae8hMMisCihPr0nEdU=",
  "documented": "gHgn9ozWeybH1REQ8GsuEOvI/ZApA9k3vVl1MQvLw/zgyhe8yfkUaREIqKHAEJqluDbYCLQPL1lBPF7waz+jScKC2gPT4r1Vgd+cd2ny/VOoVm+sedhSKSUKwpaS3o/rFcEx5SzBeXlGRVPgYiYP2C2h6sVBYgkZ315NkNiVZFQ="
 },
 {
  "finding": "drops-empty-values",
  "vector": "generated:1481179844",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "get",
   "url": "HTTPS://[::1]:80/x;y=z/a/?x_y=%25%3Db-&a=%20&n=&n=2",
   "content_type": "application/x-www-form-urlencoded; charset=utf-8",
   "body": "n%25=%C3%BC0&x_y"
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "RSA-SHA256",
   "timestamp": "1700000000",
   "nonce": "kllo9940pd9333jh",
   "version": "1.0",
   "realm": "Example",
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "~-!",
   "token_secret": "😀-'&~",
   "rsa_private_key_pem": "-----BEGIN RSA PRIVATE KEY-----\nMIICXAIBAAKBgQC0g9GuFlLxDzT87A03L8Y6nvolTRKRli12uhtj05zEBmVc5X9E\nPrMXAI/lglBhUepXT4zqiOd4ZhzGRHekm9pfhVOewxYyXDtOpHS00IF0ZIxJP/be\nT+UU2W/X9e27HibCMcPuck/SXZ6nyJcVN47odJyIlhhFX1qslVLhxRQxJQIDAQAB\nAoGAebVi+4hrtcJ2DI2vP2VDtySXLe0wNt7VmnZSn1T/Hp/dWewWidHod/rWCn15\napSLdwDY1w0lW+UlQ3zIWkEG0zwON35ZjrqIVJ7bllZif9x9EF9wy2vMchwQQ4Q3\n6+Z8tjbM85NdnSpJo2SxHIAjlexgMf1pSEHsRMqTTHmpLsECQQDl3lo46dihp/JG\nEyrFmbCU2w6M27C5d8qJ2SCgXhGg+th5HDqP3pmr3TcYgCSVN16a0QODDk+yB3st\naCpNY7YVAkEAyQkskwUL6j0oVevUkjQJIZ0Y9HxKX1M8t1xdqKHquNjx9O+lGPhb\n5At71S7O7nr7rVKs9x5AKeUg7JVC6bbi0QJAd2MSzPh3cQ5/QHH4BwUZt1ZGqlX3\n5XwYD5xb266/zTI7eDt3Fv3wJlkQooL7fRxy4EmqX0jxj29fRGgTgHpHOQJANsOu\nBdrhFQ1V+JoGzVEpj6OZEbjuFau6JYUe6no5U+OdfgjuY6/8cFIEiN14d5S/DMcx\n4Ru3hPIrFufOU5aDkQJBAI6lQEyy2mkM5Ej1x65HXAi5Uekb2vn5k1ciCMuACpuK\nV+sFjBSKDPQK2+Ogj+eLFy/MhS3zaAtXIRuspMhTifo=\n-----END RSA PRIVATE KEY-----\n"
  },
  "rfc": "i5syIgmZYM9tDQo9GFx+4B6/IAgcMfd/tcDRY4no9eZ3HBVmAgEB6+nFAp5F1NuFyPcI8bSu7EC2VI0zvswpYeaqHxPLbZ5dxJSbw3ry+Jq8hd9jKiybOeYKQ52JUB+QaJcTUD2IyNU0g4M4ZOmW2VRPiq88RsjB5AXz+SMCSBk=",
  "documented": "mUQzTquIDcTdCqwHdBL8vLq/Wcq4MFKk/IeaWaZcavoHUUCLIdQYJ4vkoT/4ZFcpxYw5AJ7N+yriXuvxwnRvsVo8Hml1qTeyJkSqffPU2vNYfrynFUOh5Ol29jThQts339GqvvuJ4PytQF5g8FlqKJR5ur2/TdIRgdHV7Lj2Zeg="
 },
 {
  "finding": "empty-path-not-slash",
  "vector": "generated:1481179304",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "PATCH",
   "url": "http://127.0.0.1?n=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv&c=%2A%2B%2A%2A",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": null,
   "signature_method": "RSA-SHA1",
   "timestamp": "1700000000",
   "nonce": "kllo9940pd9333jh",
   "version": "1.0",
   "realm": "http://sp.example.com/",
   "extra": {
    "oauth_callback": "oob"
   }
  },
  "secrets": {
   "consumer_secret": "",
   "token_secret": null,
   "rsa_private_key_pem": "-----BEGIN RSA PRIVATE KEY-----\nMIICXAIBAAKBgQC0g9GuFlLxDzT87A03L8Y6nvolTRKRli12uhtj05zEBmVc5X9E\nPrMXAI/lglBhUepXT4zqiOd4ZhzGRHekm9pfhVOewxYyXDtOpHS00IF0ZIxJP/be\nT+UU2W/X9e27HibCMcPuck/SXZ6nyJcVN47odJyIlhhFX1qslVLhxRQxJQIDAQAB\nAoGAebVi+4hrtcJ2DI2vP2VDtySXLe0wNt7VmnZSn1T/Hp/dWewWidHod/rWCn15\napSLdwDY1w0lW+UlQ3zIWkEG0zwON35ZjrqIVJ7bllZif9x9EF9wy2vMchwQQ4Q3\n6+Z8tjbM85NdnSpJo2SxHIAjlexgMf1pSEHsRMqTTHmpLsECQQDl3lo46dihp/JG\nEyrFmbCU2w6M27C5d8qJ2SCgXhGg+th5HDqP3pmr3TcYgCSVN16a0QODDk+yB3st\naCpNY7YVAkEAyQkskwUL6j0oVevUkjQJIZ0Y9HxKX1M8t1xdqKHquNjx9O+lGPhb\n5At71S7O7nr7rVKs9x5AKeUg7JVC6bbi0QJAd2MSzPh3cQ5/QHH4BwUZt1ZGqlX3\n5XwYD5xb266/zTI7eDt3Fv3wJlkQooL7fRxy4EmqX0jxj29fRGgTgHpHOQJANsOu\nBdrhFQ1V+JoGzVEpj6OZEbjuFau6JYUe6no5U+OdfgjuY6/8cFIEiN14d5S/DMcx\n4Ru3hPIrFufOU5aDkQJBAI6lQEyy2mkM5Ej1x65HXAi5Uekb2vn5k1ciCMuACpuK\nV+sFjBSKDPQK2+Ogj+eLFy/MhS3zaAtXIRuspMhTifo=\n-----END RSA PRIVATE KEY-----\n"
  },
  "rfc": "YtOiEDoOPi+6as6K4VB2wzOXpPMAphEUPILmGJQDRLeJA0bIidvtgZFLv8wlzeOuUjSCGNHwPYVMpTMeRh1zpMh+PzUYMHCF0sDf30Fbgd+RPWXQ2BcysEA4Dr5RSyrQiCJmO50wPcsL6gVMBhqVSssSiUeeI7fEu80pY96/AD8=",
  "documented": "XGn8yMENOhHip66SQCDeVquJWYWq8eVxbxO14Z32A6JBkgq8UMFCtFVgm4jjkpm4MYqhuq6SmBUuuGtIeiQx7eU5p7qRtGgY+Fa0Acd96MjAUVx2Y7r6G3hys0iC83auHyYHiZe+FxzqmGS00FH3/p2ZEwJtcQT6Nu7rRkJt7bk="
 },
 {
  "finding": "empty-value-replaced-by-repeat",
  "vector": "edge-more-repeated-name-first-value-empty",
  "file": "vectors/edge-cases-more.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://example.com/request?a=&a=x&a=y&b=",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "nnch734d00sl2jdk",
   "timestamp": "1700000000",
   "nonce": "h0ld0utn0nce",
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
  "rfc": "x2pby22NnEwCE+kT6f3WFYbqu4U=",
  "documented": "I55myPQsHBkjb5oTq3aIsPcVThg="
 },
 {
  "finding": "hashes-empty-body-as-braces",
  "vector": "lib-pyoauth2-sign-request-hmac",
  "file": "vectors/libraries-sign.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://sp.example.com/",
   "content_type": null,
   "body": ""
  },
  "oauth": {
   "token": "tok-test-key",
   "timestamp": "137131200",
   "nonce": "4572616e48616d6d65724c61686176",
   "version": "1.0",
   "realm": null,
   "extra": {},
   "consumer_key": "con-test-key",
   "signature_method": "HMAC-SHA1",
   "compute_body_hash": true
  },
  "secrets": {
   "consumer_secret": "con-test-secret",
   "token_secret": "tok-test-secret",
   "rsa_private_key_pem": null
  },
  "rfc": "DX01TdHws7OninCLK9VztNTH1M4=",
  "documented": "gPKQUpsQUZWxCOcj9hz32sOYVwA="
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
  "finding": "names-not-decoded",
  "vector": "edge-more-encoded-equals-in-query-name",
  "file": "vectors/edge-cases-more.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://example.com/request?a%3Db=c",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "nnch734d00sl2jdk",
   "timestamp": "1700000000",
   "nonce": "h0ld0utn0nce",
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
  "rfc": "1zyztsmeJ9UVnnhxu9keBUyw8FQ=",
  "documented": "1gd6SaO8yjMq0lAA0yNiZF5lOPQ="
 },
 {
  "finding": "plus-not-decoded",
  "vector": "lib-gomodule-quickbooks-plus-and-star",
  "file": "vectors/libraries-sign.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "https://qb.sbfinance.intuit.com/v3/company/1273852765/query?query=select+%2A+from+account",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "token": "token",
   "timestamp": "1409876517",
   "nonce": "12345678",
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
  "rfc": "7crYee+JLvg7dksQiHbarUHN3rY=",
  "documented": "BH71N/igKftVtszxvhLMxKTbMtk="
 },
 {
  "finding": "query-overrides-body",
  "vector": "rfc5849-3.4.1-hmac-sha1-with-version",
  "file": "vectors/rfc5849.json",
  "stage": "signature",
  "request": {
   "method": "POST",
   "url": "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
   "content_type": "application/x-www-form-urlencoded",
   "body": "c2&a3=2+q"
  },
  "oauth": {
   "consumer_key": "9djdj82h48djs9d2",
   "token": "kkk9d7dh3k39sjv7",
   "signature_method": "HMAC-SHA1",
   "timestamp": "137131201",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": "Example",
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "j49sk3j29djd",
   "token_secret": "dh893hdasih9",
   "rsa_private_key_pem": null
  },
  "rfc": "OB33pYjWAnf+xtOHN4Gmbdil168=",
  "documented": "7YKYaHAPM562s6bWAoGXM2sCsHI="
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
];

const HMAC = { 'HMAC-SHA1': 'sha1', 'HMAC-SHA256': 'sha256', 'HMAC-SHA512': 'sha512' };

function isForm(contentType) {
  return typeof contentType === 'string'
    && contentType.split(';', 1)[0].trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

function signature({ request, oauth, secrets }) {
  const options = {
    consumer: { key: oauth.consumer_key, secret: secrets.consumer_secret ?? '' },
    signature_method: oauth.signature_method,
  };
  if (oauth.signature_method in HMAC) {
    const algorithm = HMAC[oauth.signature_method];
    options.hash_function = (text, key) => crypto.createHmac(algorithm, key).update(text).digest('base64');
  } else if (oauth.signature_method.startsWith('RSA-')) {
    // The README's RSA signer: hash_function signs the base string with the caller's private key.
    // A generated case signs with the harness's RSA test key, kept in the repository.
    const key = secrets.rsa_private_key === 'generator' ? fs.readFileSync(GENERATOR_RSA_KEY, 'ascii') : secrets.rsa_private_key_pem;
    options.hash_function = (text) => crypto.createSign(oauth.signature_method).update(text).sign(key, 'base64');
  }
  if (oauth.realm != null) options.realm = oauth.realm;
  if (oauth.version != null) options.version = oauth.version;
  if (oauth.compute_body_hash) {
    options.body_hash_function = (text) => crypto.createHash('sha1').update(text).digest('base64');
  }
  const client = OAuth(options);
  client.getNonce = () => oauth.nonce;
  client.getTimeStamp = () => oauth.timestamp;
  const requestData = { url: request.url, method: request.method };
  if (oauth.compute_body_hash) {
    // The README's includeBodyHash: the library hashes `data` (the body string) itself.
    requestData.includeBodyHash = true;
    requestData.data = request.body ?? undefined;
  } else {
    const body = isForm(request.content_type) ? request.body : null;
    requestData.data = body ? client.deParam(body) : {};
    Object.assign(requestData.data, oauth.extra || {});
  }
  const token = { secret: secrets.token_secret ?? undefined };
  if (oauth.token != null) token.key = oauth.token;
  return client.authorize(requestData, token).oauth_signature;
}

// Prints the library's value next to RFC 5849's and exits 0 (as documented), 3 (fixed: retire the
// dossier) or 4 (a third value).
function main(name, value) {
  const wanted = process.argv[2];
  const entry = FINDINGS.find((e) => e.finding === wanted);
  if (!entry) {
    console.error(`usage: node ${process.argv[1]} FINDING (one of: ${FINDINGS.map((e) => e.finding).join(', ')})`);
    process.exit(2);
  }
  const got = value(entry);
  console.log(`finding:  ${entry.finding} (vector ${entry.vector}, ${entry.stage})`);
  console.log(`${name}: ${got}`);
  console.log(`RFC 5849: ${entry.rfc}`);
  if (got === entry.rfc) {
    console.log(`fixed: ${name} now agrees with RFC 5849`);
    process.exit(3);
  }
  if (got !== entry.documented) {
    console.log(`changed: the dossier documents ${entry.documented}`);
    process.exit(4);
  }
}

main('oauth-1.0a', signature);
