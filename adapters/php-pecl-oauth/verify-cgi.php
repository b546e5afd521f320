<?php
// Runs under php-cgi, started by adapter.php --variant provider for one verify request: the
// request arrives as CGI variables and stdin, as from a web server, so OAuthProvider reads the
// Authorization header, the query and the form body itself. Prints one JSON object:
// {"accepted": true} or {"rejected": "<message>"}.

declare(strict_types=1);

$case = json_decode((string)getenv('OAUTH1_ADAPTER_CASE'), true);
$secrets = $case['secrets'];

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
    echo json_encode(['accepted' => true]), "\n";
} catch (OAuthException $e) {
    echo json_encode(['rejected' => describe($e)], JSON_INVALID_UTF8_SUBSTITUTE), "\n";
} catch (Throwable $e) {
    echo json_encode(['rejected' => get_class($e) . ': ' . $e->getMessage()], JSON_INVALID_UTF8_SUBSTITUTE), "\n";
}
