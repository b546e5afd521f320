<?php
// Standalone reproductions of the live-client findings of PECL oauth's OAuth class (Debian
// php-oauth; docs/findings/clients/pecl-oauth/): new OAuth(consumer_key, consumer_secret,
// OAUTH_SIG_METHOD_HMACSHA1, OAUTH_AUTH_TYPE_AUTHORIZATION) and setToken, as the capture driver
// (adapters/php-pecl-oauth/capture_driver.php) has them, on each capture case
// (crates/conformance/src/live/capture/cases.rs). The driver sends with OAuth::fetch; here
// OAuth::getRequestHeader writes the Authorization header for the same method and URL without
// sending anything, the nonce and timestamp the library's own. The program reads them from the
// header, puts them into the base strings written out below (RFC 5849's, from
// `oauth1-conformance capture`'s report of the case at port 8080, and the one the dossier
// documents) and signs both with hash_hmac('sha1'): the library's signature is RFC 5849's (exit 3),
// the documented one (0) or neither (4).
//
// Usage: php pecl_oauth_capture.php CASE (the capture case id)
// Exit: 0 still as documented, 3 agrees with RFC 5849 (retire the dossier), 4 a third value,
// 2 usage.

declare(strict_types=1);

// The capture's fixed test credentials (RFC 5849 §1.2's client and token), and the HMAC-SHA1 key
// they make (§3.4.2).
const CONSUMER_KEY = 'dpf43f3p2l4k3l03';
const CONSUMER_SECRET = 'kd94hf93k423kf44';
const TOKEN = 'nnch734d00sl2jdk';
const TOKEN_SECRET = 'pfkkdhi9sl3r4s00';
const HMAC_KEY = 'kd94hf93k423kf44&pfkkdhi9sl3r4s00';

// Per capture case: the checks that failed and the quirk the capture named (adapters/baselines/
// clients/pecl-oauth.json), the request, and RFC 5849's and the documented base strings.
const FINDINGS = <<<'JSON'
[
 {
  "finding": "brackets-array",
  "checks": [
   "signature"
  ],
  "diagnosis": [
   "collapses-duplicates-last-wins"
  ],
  "request": {
   "method": "GET",
   "url": "http://127.0.0.1:8080/pecl-oauth/brackets-array?a[]=1&a[]=2"
  },
  "rfc": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fpecl-oauth%2Fbrackets-array&a%255B%255D%3D1%26a%255B%255D%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
  "documented": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fpecl-oauth%2Fbrackets-array&a%255B%255D%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
 },
 {
  "finding": "brackets-encoded",
  "checks": [
   "signature"
  ],
  "diagnosis": [
   "collapses-duplicates-last-wins"
  ],
  "request": {
   "method": "GET",
   "url": "http://127.0.0.1:8080/pecl-oauth/brackets-encoded?a%5B%5D=1&a%5B%5D=2"
  },
  "rfc": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fpecl-oauth%2Fbrackets-encoded&a%255B%255D%3D1%26a%255B%255D%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
  "documented": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fpecl-oauth%2Fbrackets-encoded&a%255B%255D%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
 },
 {
  "finding": "query-repeated",
  "checks": [
   "signature"
  ],
  "diagnosis": [
   "collapses-duplicates-last-wins"
  ],
  "request": {
   "method": "GET",
   "url": "http://127.0.0.1:8080/pecl-oauth/query-repeated?a=2&a=1&a=2"
  },
  "rfc": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fpecl-oauth%2Fquery-repeated&a%3D1%26a%3D2%26a%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0",
  "documented": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fpecl-oauth%2Fquery-repeated&a%3D2%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0"
 }
]
JSON;

/** The protocol parameters of an Authorization header, decoded (§3.5.1). */
function header_parameters(string $header): array
{
    $parameters = [];
    foreach (explode(',', preg_replace('~^\s*OAuth\s+~i', '', $header)) as $pair) {
        if (preg_match('~^\s*([^=\s]+)="([^"]*)"\s*$~', $pair, $m) === 1) {
            $parameters[$m[1]] = rawurldecode($m[2]);
        }
    }
    return $parameters;
}

function signature_of(string $base_string, array $fill): string
{
    return base64_encode(hash_hmac('sha1', strtr($base_string, $fill), HMAC_KEY, true));
}

/** The base string the library's signature is the HMAC-SHA1 of. */
function signed_base_string(array $entry): string
{
    $client = new OAuth(CONSUMER_KEY, CONSUMER_SECRET, OAUTH_SIG_METHOD_HMACSHA1, OAUTH_AUTH_TYPE_AUTHORIZATION);
    $client->setToken(TOKEN, TOKEN_SECRET);
    $header = $client->getRequestHeader($entry['request']['method'], $entry['request']['url']);
    echo "PECL oauth wrote Authorization: $header\n";
    $parameters = header_parameters($header);
    $fill = ['{nonce}' => $parameters['oauth_nonce'] ?? '', '{timestamp}' => $parameters['oauth_timestamp'] ?? ''];
    $signature = $parameters['oauth_signature'] ?? '';
    if ($signature === signature_of($entry['rfc'], $fill)) {
        return $entry['rfc'];
    }
    if ($signature === signature_of($entry['documented'], $fill)) {
        return $entry['documented'];
    }
    return 'neither base string below (the signature of something else)';
}

function main(array $argv): int
{
    $entry = null;
    $findings = json_decode(FINDINGS, true);
    foreach ($findings as $candidate) {
        if ($candidate['finding'] === ($argv[1] ?? '')) {
            $entry = $candidate;
        }
    }
    if ($entry === null) {
        fwrite(STDERR, "usage: php {$argv[0]} CASE (one of: " . implode(', ', array_column($findings, 'finding')) . ")\n");
        return 2;
    }
    echo "finding:  clients/pecl-oauth/{$entry['finding']} (failed checks: " . implode(' ', $entry['checks']) . "; {$entry['diagnosis'][0]})\n";
    $value = signed_base_string($entry);
    echo "PECL oauth: $value\n";
    echo "RFC 5849:   {$entry['rfc']}\n";
    if ($value === $entry['rfc']) {
        echo "fixed: PECL oauth now agrees with RFC 5849\n";
        return 3;
    }
    if ($value !== $entry['documented']) {
        echo "changed: the dossier documents {$entry['documented']}\n";
        return 4;
    }
    return 0;
}

exit(main($argv));
