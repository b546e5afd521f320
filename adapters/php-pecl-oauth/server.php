<?php
// PECL oauth's OAuthProvider as a web application: the router script server.sh runs under PHP's
// built-in web server (`php -S 127.0.0.1:PORT server.php`), a live server for
// `oauth1-conformance probe`. Every request comes here:
//
// * any path, any method: a protected resource; OAuthProvider::checkOAuthRequest() with no
//   argument (the provider reads the URL, the Authorization header, $_GET and $_POST of the request
//   itself), as the manual's OAuthProvider::__construct example shows: 200 with a small JSON body,
//   or `echo OAuthProvider::reportProblem($e)` (which sets the status) when it throws;
// * POST /initiate: the same with isRequestTokenEndpoint(true), then temporary credentials;
// * POST /token: the same, the token handler taking the temporary credentials, then token
//   credentials.
//
// The handlers are the application's part (README.md lists them as `app`): the consumer and token
// handlers look the keys up in the credentials file (OAUTH1_SERVER_CREDENTIALS) and in what this
// server issued (a JSON file in OAUTH1_SERVER_STATE, under an exclusive lock, since PHP keeps nothing
// between requests); the token handler compares the verifier of a temporary credential;
// timestampNonceHandler is the manual's example exactly.
//
// Run as `php server.php --check-credentials FILE` (CLI), it checks the credentials file and exits
// 0, or 2 with the problem on stderr: server.sh does this before starting the web server.

declare(strict_types=1);

const MAX_CREDENTIALS_BYTES = 1 << 20;

/** The credentials file as [consumers key => secret, tokens token => [secret, consumer_key], verifier], or the problem. */
function load_credentials(string $path): array|string
{
    $text = @file_get_contents($path, false, null, 0, MAX_CREDENTIALS_BYTES + 1);
    if ($text === false) {
        return "cannot read $path";
    }
    if (strlen($text) > MAX_CREDENTIALS_BYTES) {
        return "$path: larger than " . MAX_CREDENTIALS_BYTES . ' bytes';
    }
    try {
        $doc = json_decode($text, true, 16, JSON_THROW_ON_ERROR);
    } catch (JsonException $e) {
        return "$path: not JSON: " . $e->getMessage();
    }
    if (!is_array($doc) || !is_array($doc['consumers'] ?? null) || !is_array($doc['tokens'] ?? null)
        || !is_string($doc['verifier'] ?? null)) {
        return "$path: needs \"consumers\" and \"tokens\" arrays and a \"verifier\" string";
    }
    $consumers = [];
    foreach ($doc['consumers'] as $i => $consumer) {
        if (!is_string($consumer['key'] ?? null) || !(is_string($consumer['secret'] ?? null) || ($consumer['secret'] ?? null) === null)) {
            return "$path: consumers[$i] needs a \"key\" string and a \"secret\" string or null";
        }
        $consumers[$consumer['key']] = $consumer['secret'];
    }
    $tokens = [];
    foreach ($doc['tokens'] as $i => $token) {
        if (!is_string($token['token'] ?? null) || !is_string($token['secret'] ?? null)
            || !is_string($token['consumer_key'] ?? null) || !array_key_exists($token['consumer_key'], $consumers)) {
            return "$path: tokens[$i] needs \"token\" and \"secret\" strings and the \"consumer_key\" of a consumer";
        }
        $tokens[$token['token']] = ['secret' => $token['secret'], 'consumer_key' => $token['consumer_key']];
    }
    return ['consumers' => $consumers, 'tokens' => $tokens, 'verifier' => $doc['verifier']];
}

/** Runs $change on the server's state (temporary and issued credentials) under an exclusive lock. */
function with_state(callable $change): mixed
{
    $path = getenv('OAUTH1_SERVER_STATE') . '/state.json';
    $handle = fopen($path, 'c+');
    flock($handle, LOCK_EX);
    $text = stream_get_contents($handle);
    $state = $text === '' ? ['temporary' => [], 'issued' => []] : json_decode($text, true);
    $result = $change($state);
    ftruncate($handle, 0);
    rewind($handle);
    fwrite($handle, json_encode($state));
    flock($handle, LOCK_UN);
    fclose($handle);
    return $result;
}

function respond(int $status, string $content_type, string $body): void
{
    http_response_code($status);
    header("Content-Type: $content_type");
    echo $body;
}

function handle(array $credentials): void
{
    $path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
    $endpoint = in_array($path, ['/initiate', '/token'], true) ? $path : 'resource';
    if ($endpoint !== 'resource' && $_SERVER['REQUEST_METHOD'] !== 'POST') {
        respond(405, 'application/json', json_encode(['error' => 'POST only']));
        return;
    }
    $state = with_state(fn (array $s): array => $s);

    $provider = new OAuthProvider();
    $provider->consumerHandler(function (OAuthProvider $provider) use ($credentials): int {
        if (!array_key_exists($provider->consumer_key, $credentials['consumers'])) {
            return OAUTH_CONSUMER_KEY_UNKNOWN;
        }
        $provider->consumer_secret = (string)$credentials['consumers'][$provider->consumer_key];
        return OAUTH_OK;
    });
    $provider->tokenHandler(function (OAuthProvider $provider) use ($credentials, $state, $endpoint): int {
        if ($endpoint === '/token') {
            $found = $state['temporary'][$provider->token] ?? null;
            if ($found === null || $found['consumer_key'] !== $provider->consumer_key) {
                return OAUTH_TOKEN_REJECTED;
            }
            if (!hash_equals($found['verifier'], (string)$provider->verifier)) {
                return OAUTH_VERIFIER_INVALID;
            }
        } else {
            $found = $state['issued'][$provider->token] ?? $credentials['tokens'][$provider->token] ?? null;
            if ($found === null || $found['consumer_key'] !== $provider->consumer_key) {
                return OAUTH_TOKEN_REJECTED;
            }
        }
        $provider->token_secret = $found['secret'];
        return OAUTH_OK;
    });
    // The manual's example (OAuthProvider::timestampNonceHandler, Example #1), exactly.
    $provider->timestampNonceHandler(function (OAuthProvider $provider): int {
        if ($provider->nonce === 'bad') {
            return OAUTH_BAD_NONCE;
        } elseif ($provider->timestamp == '0') {
            return OAUTH_BAD_TIMESTAMP;
        }
        return OAUTH_OK;
    });
    if ($endpoint === '/initiate') {
        $provider->isRequestTokenEndpoint(true);
    }

    try {
        $provider->checkOAuthRequest();
    } catch (OAuthException $e) {
        echo OAuthProvider::reportProblem($e);
        return;
    }

    if ($endpoint === 'resource') {
        respond(200, 'application/json', json_encode(['accepted' => true, 'server' => 'pecl-oauth-provider']));
        return;
    }
    $token = bin2hex($provider->generateToken(16));
    $secret = bin2hex($provider->generateToken(16));
    $consumer_key = $provider->consumer_key;
    if ($endpoint === '/initiate') {
        // The resource owner's authorization (RFC 5849 section 2.2) is not part of this server:
        // every temporary credential is issued already authorized, with the file's verifier.
        $verifier = $credentials['verifier'];
        with_state(function (array &$s) use ($token, $secret, $consumer_key, $verifier): void {
            $s['temporary'][$token] = ['secret' => $secret, 'consumer_key' => $consumer_key, 'verifier' => $verifier];
        });
        respond(200, 'application/x-www-form-urlencoded',
            http_build_query(['oauth_token' => $token, 'oauth_token_secret' => $secret, 'oauth_callback_confirmed' => 'true']));
        return;
    }
    $used = $provider->token;
    with_state(function (array &$s) use ($token, $secret, $consumer_key, $used): void {
        unset($s['temporary'][$used]);
        $s['issued'][$token] = ['secret' => $secret, 'consumer_key' => $consumer_key];
    });
    respond(200, 'application/x-www-form-urlencoded',
        http_build_query(['oauth_token' => $token, 'oauth_token_secret' => $secret]));
}

if (PHP_SAPI === 'cli') {
    $problem = ($argv[1] ?? '') === '--check-credentials' && isset($argv[2])
        ? load_credentials($argv[2])
        : 'usage: php server.php --check-credentials FILE (the server itself runs under server.sh)';
    if (is_string($problem)) {
        fwrite(STDERR, "error: $problem\n");
        exit(2);
    }
    exit(0);
}

$credentials = load_credentials((string)getenv('OAUTH1_SERVER_CREDENTIALS'));
if (is_string($credentials)) {
    respond(500, 'application/json', json_encode(['error' => 'the server cannot read its credentials']));
    return;
}
handle($credentials);
