<?php
// PECL oauth's capture driver: OAuth::fetch, the extension's own HTTP request, with a form body
// given as the parameters array as its manual shows (docs/capture.md describes the
// environment). Exits 0 once a response arrived (OAuth::fetch throws on a status other than
// 2xx: the request was made all the same), 3 when the extension cannot express the case.

function cannot_express(string $reason): void
{
    fwrite(STDERR, $reason . "\n");
    exit(3);
}

$env = getenv();
$methods = ['HMAC-SHA1' => OAUTH_SIG_METHOD_HMACSHA1, 'HMAC-SHA256' => OAUTH_SIG_METHOD_HMACSHA256,
            'RSA-SHA1' => OAUTH_SIG_METHOD_RSASHA1, 'PLAINTEXT' => OAUTH_SIG_METHOD_PLAINTEXT];
$method = $env['OAUTH1_SIGNATURE_METHOD'];
if (!isset($methods[$method])) {
    cannot_express("PECL oauth has no $method");
}
if (isset($env['OAUTH1_REALM'])) {
    cannot_express('PECL oauth cannot send a realm');
}
$body = isset($env['OAUTH1_CAPTURE_BODY_FILE']) ? file_get_contents($env['OAUTH1_CAPTURE_BODY_FILE']) : null;
$content_type = $env['OAUTH1_CAPTURE_CONTENT_TYPE'] ?? null;
$params = $body;
if ($body !== null && $content_type !== null && preg_match('~^\s*application/x-www-form-urlencoded\s*(;|$)~i', $content_type)) {
    // The parameters array of the manual: one value per name, so a repeated name cannot be sent.
    $params = [];
    foreach (explode('&', $body) as $pair) {
        if ($pair === '') {
            continue;
        }
        [$name, $value] = array_pad(explode('=', $pair, 2), 2, '');
        if (array_key_exists(urldecode($name), $params)) {
            cannot_express('PECL oauth takes a form body as an array: the repeated name ' . urldecode($name) . ' cannot be sent');
        }
        $params[urldecode($name)] = urldecode($value);
    }
}
// The constructor refuses an empty consumer secret even for RSA-SHA1, which does not use it.
$oauth = new OAuth($env['OAUTH1_CONSUMER_KEY'], $env['OAUTH1_CONSUMER_SECRET'] ?: 'unused', $methods[$method], OAUTH_AUTH_TYPE_AUTHORIZATION);
if (isset($env['OAUTH1_TOKEN'])) {
    $oauth->setToken($env['OAUTH1_TOKEN'], $env['OAUTH1_TOKEN_SECRET'] ?? '');
}
if ($method === 'RSA-SHA1') {
    $oauth->setRSACertificate(file_get_contents($env['OAUTH1_RSA_PRIVATE_KEY_FILE']));
}
if (isset($env['OAUTH1_CAPTURE_CA_FILE'])) {
    $oauth->setCAPath(null, $env['OAUTH1_CAPTURE_CA_FILE']);
}
$headers = $content_type !== null ? ['Content-Type' => $content_type] : [];
try {
    $oauth->fetch($env['OAUTH1_CAPTURE_URL'], $params, $env['OAUTH1_CAPTURE_METHOD'], $headers);
} catch (OAuthException $e) {
    if ($e->getCode() === 0 && $oauth->getLastResponseInfo() === false) {
        fwrite(STDERR, $e->getMessage() . "\n");
        exit(1);
    }
}
