<?php
// Runs in php-cgi, which adapter.php --variant provider sends each verify request to over
// FastCGI: the request arrives as CGI variables and the request body, as from a web server, so
// OAuthProvider reads the Authorization header, the query and the form body itself. Prints one
// JSON object: {"accepted": true}, {"rejected": "<message>"} or {"crashed": "<message>"}.

declare(strict_types=1);

$case = json_decode((string)($_SERVER['OAUTH1_ADAPTER_CASE'] ?? ''), true);
$secrets = $case['secrets'];

// A warning the library raises while checking (PECL turns a nested $_GET value into the string
// "Array" with an "Array to string conversion" warning) is part of its answer, not output that
// may break the response: it is kept and reported with the verdict. Deprecation notices (PECL
// 2.0.7 creates dynamic properties on OAuthProvider, deprecated in PHP 8.2) say nothing about
// the request and are left to PHP's own handling.
$warnings = [];
set_error_handler(function (int $level, string $message) use (&$warnings): bool {
    $warnings[] = "PHP warning: $message";
    return true;
}, E_ALL & ~E_DEPRECATED & ~E_USER_DEPRECATED);

function check(array $case, array $secrets, bool $two_legged): void
{
    $provider = new OAuthProvider();
    $provider->consumerHandler(function (OAuthProvider $p) use ($secrets): int {
        $p->consumer_secret = $secrets['consumer_secret'] ?? '';
        return OAUTH_OK;
    });
    $provider->tokenHandler(function (OAuthProvider $p) use ($secrets): int {
        $p->token_secret = $secrets['token_secret'] ?? '';
        return OAUTH_OK;
    });
    // PECL leaves the timestamp window and the nonce store to the application.
    $provider->timestampNonceHandler(fn (OAuthProvider $p): int => OAUTH_OK);
    if ($two_legged) {
        $provider->is2LeggedEndpoint(true);
    }
    $provider->checkOAuthRequest($case['url'], $case['method']);
}

function describe(OAuthException $e): string
{
    $info = $e->additionalInfo ?? null;
    return get_class($e) . ' (code ' . $e->getCode() . '): ' . $e->getMessage() . ($info ? " [$info]" : '');
}

try {
    try {
        check($case, $secrets, false);
    } catch (OAuthException $e) {
        // Only "Missing required parameters" naming oauth_token means a two-legged request.
        $missing = explode('%26', (string)($e->additionalInfo ?? ''));
        if ($e->getCode() !== OAUTH_PARAMETER_ABSENT || !in_array('oauth_token', $missing, true)) {
            throw $e;
        }
        check($case, $secrets, true);  // a two-legged request: no oauth_token
    }
    $answer = ['accepted' => true];
} catch (OAuthException $e) {
    $answer = ['rejected' => implode('; ', [describe($e), ...$warnings])];
} catch (Throwable $e) {
    // OAuthException is the library's error type: anything else out of it is a crash.
    $answer = ['crashed' => implode('; ', [get_class($e) . ': ' . $e->getMessage(), ...$warnings])];
}
if (isset($answer['accepted']) && $warnings !== []) {
    file_put_contents('php://stderr', 'OAuthProvider accepted the request with ' . implode('; ', $warnings) . "\n");
}
echo json_encode($answer, JSON_INVALID_UTF8_SUBSTITUTE), "\n";
