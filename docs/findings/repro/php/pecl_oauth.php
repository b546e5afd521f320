<?php
// Standalone reproductions of the findings of PECL oauth's OAuth class (docs/findings/pecl-oauth/):
// new OAuth(consumer_key, consumer_secret, signature_method, OAUTH_AUTH_TYPE_AUTHORIZATION) with
// setNonce/setTimestamp/setVersion/setToken, then generateSignature(method, url, params), the
// signature OAuth::fetch sends, the form body given as the array the PHP manual passes, on each
// finding's smallest input.
//
// Usage: php pecl_oauth.php FINDING

// Per finding: the vector (id and file), its request, the stage compared, RFC 5849's value as the
// vector publishes it ("rfc"), and the value the dossier documents ("documented").
// A finding seen on generated cases only names its case (generated:SEED) and docs/findings/examples.json,
// where its input is recorded; its "rfc" is then the reference signer's value for that input (the
// dossier's RFC 5849 column), its "documented" the dossier's library column.
const FINDINGS = <<<'JSON'
[
 {
  "finding": "collapses-duplicates-last-wins",
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
  "documented": "4TnBc+Q5LkqROL3qr4mfhNs6Nog="
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
   "signature_method": "RSA-SHA1",
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
  "rfc": "iohSJsj1YOnBCYHAam+pAZwoWJw8+MDUPA1hXDBxGrBR/7OIfWoTvrxsintMhLjYdHkCj7Q0weh2lUFp/1ooikWbGAOJF7fFBWcnRrjbkGRHB9U+lzqbdq4+VTVQlS73IsfuobCarRTGDr0jyahBVoymcp8ZvAz+wJIjp+0UHLk=",
  "documented": "rZ7PStJry+MG2bUSFs5ScmegTSfP+6hQZNEyPRMYss4QZmqixlmd6vSAIX4rbU6NEKavVqRPLJjAvCr0zvQMRBKuvIS97lEK+wH2JiqfWN4TIWP3bbC1UZhiVB26Z3exC0TnOHIPMmBwOaIYZEDVA90IiSJ29EgIA9atXTJQQ88="
 },
 {
  "finding": "key-omits-token-secret",
  "vector": "generated:1481179458 (shrunk)",
  "file": "docs/findings/examples.json",
  "stage": "signature",
  "request": {
   "method": "GET",
   "url": "http://api.example.com/a",
   "content_type": null,
   "body": null
  },
  "oauth": {
   "consumer_key": "dpf43f3p2l4k3l03",
   "token": "nnch734d00sl2jdk",
   "signature_method": "HMAC-SHA1",
   "timestamp": "137131201",
   "nonce": "7d8f3e4a",
   "version": "1.0",
   "realm": null,
   "extra": {}
  },
  "secrets": {
   "consumer_secret": "a",
   "token_secret": "a"
  },
  "rfc": "mdm/Q7eFbj78/dTDsSCgBBDeJlM=",
  "documented": "ByG1QyMQVYm+fyO6TBg8jQq5sSM="
 },
 {
  "finding": "method-not-uppercased",
  "vector": "lib-gomodule-method-host-case-port-443",
  "file": "vectors/libraries-sign.json",
  "stage": "signature",
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
  "rfc": "o5cx1ggJrY9ognZuVVeUwglKV8U=",
  "documented": "pzxFdn3y7pzL1b2WGfybJqQy4GQ="
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
  "documented": "2K2gE0gcWYJk1fIMxYUCrrJYX9k="
 },
 {
  "finding": "sends-extra-protocol-parameters-outside-header",
  "vector": "lib-cpprest-extra-oauth-param",
  "file": "vectors/libraries-sign.json",
  "stage": "authorization_header",
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
   "extra": {
    "oauth_test": "xyzzy"
   },
   "consumer_key": "test_key",
   "signature_method": "HMAC-SHA1"
  },
  "secrets": {
   "consumer_secret": "test_secret",
   "token_secret": "test_token_secret",
   "rsa_private_key_pem": null
  },
  "parameter": "oauth_test",
  "rfc": "oauth_test=\"xyzzy\"",
  "documented": "(absent)"
 },
 {
  "finding": "sorts-unencoded-keys",
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
  "documented": "2K2gE0gcWYJk1fIMxYUCrrJYX9k="
 },
{
 "finding": "collapses-duplicates-first-wins",
 "vector": "generated:1481181099",
 "file": "docs/findings/examples.json",
 "stage": "signature_base_string",
 "request": {
  "method": "get",
  "url": "HTTPS://[::1]:/A/?b=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv&a=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv&c=",
  "content_type": "Application/X-WWW-Form-URLEncoded",
  "body": "b=&x_y=&a%5Bb%5D=-&x_y"
 },
 "oauth": {
  "token": "kkk9d7dh3k39sjv7",
  "timestamp": "1191242096",
  "nonce": "kllo9940pd9333jh",
  "version": "1.0",
  "realm": null,
  "extra": {},
  "consumer_key": "dpf43f3p2l4k3l03",
  "signature_method": "PLAINTEXT"
 },
 "secrets": {
  "consumer_secret": "''+~ ",
  "token_secret": "/a~😀~",
  "rsa_private_key_pem": null
 },
 "rfc": "GET&https%3A%2F%2F%5B%3A%3A1%5D%2FA%2F&a%3Dvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv%26a%255Bb%255D%3D-%26b%3D%26b%3Dvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv%26c%3D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DPLAINTEXT%26oauth_timestamp%3D1191242096%26oauth_token%3Dkkk9d7dh3k39sjv7%26oauth_version%3D1.0%26x_y%3D%26x_y%3D",
 "documented": "get&https%3A%2F%2F%5B%3A%3A1%5D%2FA%2F&a%3Dvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv%26a%255Bb%255D%3D-%26b%3Dvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv%26c%3D%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DPLAINTEXT%26oauth_timestamp%3D1191242096%26oauth_token%3Dkkk9d7dh3k39sjv7%26oauth_version%3D1.0%26x_y%3D"
}
]
JSON;

// The form body as the array OAuth::fetch takes: each name once (a PHP array).
function form_array(string $body): array
{
    $params = [];
    foreach (explode('&', $body) as $pair) {
        if ($pair !== '') {
            $parts = explode('=', $pair, 2);
            $params[urldecode($parts[0])] = urldecode($parts[1] ?? '');
        }
    }
    return $params;
}

function signature(array $entry): string
{
    ['request' => $request, 'oauth' => $oauth, 'secrets' => $secrets] = $entry;
    $form = isset($request['content_type'], $request['body'])
        && preg_match('~^\s*application/x-www-form-urlencoded\s*(;|$)~i', $request['content_type']) === 1;
    $params = $form ? form_array($request['body']) : ($request['body'] ?? null);
    if (($oauth['extra'] ?? []) !== []) {
        // The library's only way to add parameters.
        $params = array_merge(is_array($params) ? $params : [], $oauth['extra']);
    }
    $client = new OAuth($oauth['consumer_key'], $secrets['consumer_secret'] ?? '', $oauth['signature_method'], OAUTH_AUTH_TYPE_AUTHORIZATION);
    if (str_starts_with($oauth['signature_method'], 'RSA-')) {
        // The manual's RSA-SHA1: the private key through setRSACertificate (without it PECL crashes).
        $client->setRSACertificate($secrets['rsa_private_key_pem']);
    }
    $client->setNonce($oauth['nonce']);
    $client->setTimestamp($oauth['timestamp']);
    $client->setVersion($oauth['version']);
    if (isset($oauth['token'])) {
        $client->setToken($oauth['token'], $secrets['token_secret'] ?? '');
    }
    if (isset($entry['parameter'])) {
        // A finding that shows in the header alone: how the header getRequestHeader writes (the
        // one fetch sends) has the parameter.
        $header = $client->getRequestHeader($request['method'], $request['url'], $params);
        foreach (explode(',', preg_replace('~^OAuth ~', '', $header)) as $segment) {
            if (explode('=', $segment, 2)[0] === $entry['parameter']) {
                return $segment;
            }
        }
        return '(absent)';
    }
    if ($entry['stage'] === 'signature_base_string') {
        // A PLAINTEXT signature covers no parameter: the finding shows in the base string alone,
        // which OAuth::fetch records in OAuth::$debugInfo['sbs'] (enableDebug, as the manual
        // shows). Every network stream wrapper is unregistered first, so the request fetch
        // then opens fails at once and nothing leaves the machine.
        foreach (stream_get_wrappers() as $wrapper) {
            if ($wrapper !== 'php') {
                stream_wrapper_unregister($wrapper);
            }
        }
        $client->setRequestEngine(OAUTH_REQENGINE_STREAMS);
        $client->enableDebug();
        $headers = isset($request['content_type']) ? ['Content-Type' => $request['content_type']] : [];
        try {
            // `@`: the stream layer's warnings about the missing wrapper are that failure.
            @$client->fetch($request['url'], $params, $request['method'], $headers);
        } catch (OAuthException $e) {
            // The open fails by design; the base string was recorded before it.
        }
        return (string)($client->debugInfo['sbs'] ?? '(no base string recorded)');
    }
    return $client->generateSignature($request['method'], $request['url'], $params);
}

// Prints the library's value next to RFC 5849's and exits 0 (as documented), 3 (fixed: retire
// the dossier) or 4 (a third value).
function check(string $name, callable $value_of): void
{
    global $argv;
    $entry = null;
    $findings = json_decode(FINDINGS, true);
    foreach ($findings as $candidate) {
        if ($candidate['finding'] === ($argv[1] ?? '')) {
            $entry = $candidate;
        }
    }
    if ($entry === null) {
        fwrite(STDERR, "usage: php {$argv[0]} FINDING (one of: " . implode(', ', array_column($findings, 'finding')) . ")\n");
        exit(2);
    }
    $value = $value_of($entry);
    echo "finding:  {$entry['finding']} (vector {$entry['vector']}, {$entry['stage']})\n";
    echo "$name: $value\n";
    echo "RFC 5849: {$entry['rfc']}\n";
    if ($value === $entry['rfc']) {
        echo "fixed: $name now agrees with RFC 5849\n";
        exit(3);
    }
    if ($value !== $entry['documented']) {
        echo "changed: the dossier documents {$entry['documented']}\n";
        exit(4);
    }
    exit(0);
}

check('PECL oauth', 'signature');
