<?php
// PECL oauth (Debian php-oauth) behind the oauth1-conformance adapter protocol, version 1
// (adapters/PROTOCOL.md). One process is one row:
//
//   adapter.php --variant client    -> "pecl-oauth": OAuth::fetch (sign)
//   adapter.php --variant provider  -> "pecl-oauth-provider": OAuthProvider::checkOAuthRequest
//                                      (verify), run in php-cgi by verify-cgi.php
//
// See README.md for which library call produces each stage and what the adapter does around
// the library. stdout carries protocol lines only: PHP's diagnostics go to stderr.

declare(strict_types=1);

ini_set('display_errors', 'stderr');
ini_set('log_errors', '0');
error_reporting(E_ALL);

const PROTOCOL = 1;
const RSA_UNUSED_CONSUMER_SECRET = 'unused-by-rsa-sha1';
const FORM_CONTENT_TYPE = '~^\s*application/x-www-form-urlencoded\s*(;|$)~i';

final class Rejected extends Exception
{
}

final class Unsupported extends Exception
{
}

// The library crashed on the input (php-cgi died, or OAuthProvider threw outside OAuthException).
final class Crashed extends Exception
{
}

require __DIR__ . '/fastcgi.php';

function debian_version(string $package): string
{
    $out = shell_exec('dpkg-query -W -f=\'${Version}\' ' . escapeshellarg($package) . ' 2>/dev/null');
    return is_string($out) && $out !== '' ? $out : 'unknown';
}

// PECL oauth takes body parameters from its caller as an array (OAuth::fetch's
// $extra_parameters); a string is sent as the body unsigned. A form body is decoded the way
// application/x-www-form-urlencoded defines (split on '&' and the first '=', '+' is a space,
// percent-decoding): not with parse_str, which rewrites names ('a.b' -> 'a_b', 'a[]' -> array).
// A PHP array holds one value per name, so a later duplicate replaces an earlier one.
function form_array(string $body): array
{
    $params = [];
    foreach (explode('&', $body) as $pair) {
        if ($pair === '') {
            continue;
        }
        $parts = explode('=', $pair, 2);
        $params[urldecode($parts[0])] = urldecode($parts[1] ?? '');
    }
    return $params;
}

function is_form(array $request): bool
{
    return isset($request['content_type'], $request['body'])
        && preg_match(FORM_CONTENT_TYPE, $request['content_type']) === 1;
}

// ---------------------------------------------------------------------------------------------
// sign: OAuth::fetch with no transport
// ---------------------------------------------------------------------------------------------

// OAuth::fetch computes the base string, the signature and the request it would send, records
// them in OAuth::$debugInfo (enableDebug), and then opens the URL with PHP's stream wrappers
// (the only request engine Debian's build has). The adapter unregisters every network wrapper
// at start-up, so that open fails at once: nothing leaves the machine, and what the library
// computed is in debugInfo.
function remove_network_wrappers(): void
{
    foreach (stream_get_wrappers() as $wrapper) {
        if ($wrapper !== 'php') {
            stream_wrapper_unregister($wrapper);
        }
    }
}

function sign(array $msg): array
{
    $request = $msg['request'];
    $oauth = $msg['oauth'];
    $secrets = $msg['secrets'];
    foreach (['nonce', 'timestamp', 'version'] as $field) {
        if (!isset($oauth[$field])) {
            throw new Unsupported("PECL OAuth always sends oauth_$field (it generates one when not set)");
        }
    }
    if (($oauth['compute_body_hash'] ?? false) === true) {
        throw new Unsupported('PECL OAuth has no oauth_body_hash support');
    }

    $params = is_form($request) ? form_array($request['body']) : ($request['body'] ?? null);
    $extra = $oauth['extra'] ?? [];
    if ($extra !== []) {
        // The library's only way to add parameters: they are signed and sent in the body or query.
        $params = array_merge(is_array($params) ? $params : [], $extra);
        if (isset($request['body']) && !is_form($request)) {
            throw new Unsupported('extra protocol parameters and a non-form body cannot both be passed to OAuth::fetch');
        }
    }
    $headers = isset($request['content_type']) ? ['Content-Type' => $request['content_type']] : [];

    $consumer_secret = $secrets['consumer_secret'] ?? '';
    if ($oauth['signature_method'] === OAUTH_SIG_METHOD_RSASHA1 && $consumer_secret === '') {
        // The constructor refuses an empty consumer secret ("The consumer secret cannot be
        // empty") even for RSA-SHA1, whose signature does not use it.
        $consumer_secret = RSA_UNUSED_CONSUMER_SECRET;
    }
    try {
        $client = new OAuth($oauth['consumer_key'], $consumer_secret, $oauth['signature_method'], OAUTH_AUTH_TYPE_AUTHORIZATION);
        $client->setRequestEngine(OAUTH_REQENGINE_STREAMS);
        $client->enableDebug();
        $client->setNonce($oauth['nonce']);
        $client->setTimestamp($oauth['timestamp']);
        $client->setVersion($oauth['version']);
        if (isset($oauth['token'])) {
            $client->setToken($oauth['token'], $secrets['token_secret'] ?? '');
        }
        if (isset($secrets['rsa_private_key_pem'])) {
            $client->setRSACertificate($secrets['rsa_private_key_pem']);
        }
    } catch (Throwable $e) {
        throw new Rejected(get_class($e) . ': ' . $e->getMessage(), 0, $e);
    }

    $fetch_error = null;
    try {
        $client->fetch($request['url'], $params, $request['method'], $headers);
    } catch (Throwable $e) {
        $fetch_error = $e;
    }
    $debug = $client->debugInfo;
    if (!is_array($debug) || !isset($debug['sbs'])) {
        // The library stopped before signing: its refusal of the input.
        $message = $fetch_error === null ? 'OAuth::fetch recorded no base string' : get_class($fetch_error) . ': ' . $fetch_error->getMessage();
        throw new Rejected($message);
    }
    $authorization = null;
    foreach (preg_split('/\r?\n/', (string)($debug['headers_sent'] ?? '')) as $line) {
        if (stripos($line, 'Authorization: ') === 0) {
            $authorization = substr($line, strlen('Authorization: '));
        }
    }
    if ($authorization === null) {
        throw new RuntimeException('OAuth::fetch sent no Authorization header: ' . json_encode($debug));
    }
    try {
        $signature = $client->generateSignature($request['method'], $request['url'], $params);
    } catch (Throwable $e) {
        throw new Rejected('OAuth::generateSignature: ' . get_class($e) . ': ' . $e->getMessage(), 0, $e);
    }
    if (!is_string($signature)) {
        throw new Rejected('OAuth::generateSignature returned ' . var_export($signature, true));
    }
    return ['trace' => [
        'signature_base_string' => $debug['sbs'],
        'signature' => $signature,
        'authorization_header' => $authorization,
    ]];
}

// ---------------------------------------------------------------------------------------------
// verify: OAuthProvider under php-cgi
// ---------------------------------------------------------------------------------------------

// In the CLI SAPI, OAuthProvider refuses to read the request ("For the CLI sapi parameters must
// be set first"): it reads the Authorization header, the query and the form body only from a
// web SAPI. So each verify request runs verify-cgi.php in php-cgi with the request as CGI
// variables and the body as its input, as a web server would run it: over FastCGI, to one
// php-cgi child that serves the whole run (a php-cgi start per request cost about 60 ms).
function cgi_environment(array $request, array $msg): array
{
    $parts = parse_url($request['url']);
    if ($parts === false || !isset($parts['host'])) {
        throw new Rejected('the URL has no host PHP can route a CGI request to: ' . $request['url']);
    }
    $scheme = strtolower($parts['scheme'] ?? 'http');
    $body = $request['body'] ?? '';
    $env = [
        'GATEWAY_INTERFACE' => 'CGI/1.1',
        'SERVER_PROTOCOL' => 'HTTP/1.1',
        'REDIRECT_STATUS' => '200',
        'SCRIPT_FILENAME' => __DIR__ . '/verify-cgi.php',
        'REQUEST_METHOD' => $request['method'],
        'REQUEST_URI' => ($parts['path'] ?? '/') . (isset($parts['query']) ? '?' . $parts['query'] : ''),
        'QUERY_STRING' => $parts['query'] ?? '',
        'SERVER_NAME' => $parts['host'],
        'SERVER_PORT' => (string)($parts['port'] ?? ($scheme === 'https' ? 443 : 80)),
        'HTTP_HOST' => $parts['host'] . (isset($parts['port']) ? ':' . $parts['port'] : ''),
        'CONTENT_LENGTH' => (string)strlen($body),
        'OAUTH1_ADAPTER_CASE' => json_encode(['url' => $request['url'], 'method' => $request['method'], 'secrets' => $msg['secrets']]),
    ];
    if ($scheme === 'https') {
        $env['HTTPS'] = 'on';
    }
    if (isset($request['content_type'])) {
        $env['CONTENT_TYPE'] = $request['content_type'];
    }
    foreach ($request['headers'] as [$name, $value]) {
        $key = 'HTTP_' . strtoupper(str_replace('-', '_', $name));
        if (isset($env[$key])) {
            throw new Unsupported("header $name appears twice; CGI has one variable per header");
        }
        $env[$key] = $value;
    }
    return $env;
}

function php_cgi(): string
{
    static $path = null;
    if ($path === null) {
        foreach (explode(PATH_SEPARATOR, (string)getenv('PATH')) as $dir) {
            if ($dir !== '' && is_executable("$dir/php-cgi")) {
                return $path = "$dir/php-cgi";
            }
        }
        throw new RuntimeException('php-cgi (Debian php-cgi) is not on PATH');
    }
    return $path;
}

/** The php-cgi child every verify request of this process goes to. */
function php_cgi_child(): FastCgiChild
{
    static $child = null;
    if ($child === null) {
        // display_errors=stderr: a message of PHP's own (outside verify-cgi.php's error handler)
        // goes to the child's stderr, never into the response.
        $child = new FastCgiChild([php_cgi(), '-d', 'display_errors=stderr', '-d', 'cgi.force_redirect=0']);
        register_shutdown_function([$child, 'stop']);
        pcntl_async_signals(true);
        foreach ([SIGTERM, SIGINT, SIGHUP] as $signal) {
            pcntl_signal($signal, function () use ($child): void {
                $child->stop();
                exit(1);
            });
        }
    }
    return $child;
}

function verify(array $msg): array
{
    $request = $msg['request'];
    $params = cgi_environment($request, $msg);
    $response = php_cgi_child()->request($params, $request['body'] ?? '');
    if ($response === null) {
        // php-cgi died inside the library: the library's crash on this input.
        throw new Crashed('php-cgi ended without answering while running OAuthProvider::checkOAuthRequest');
    }
    if ($response['stderr'] !== '') {
        fwrite(STDERR, "php-cgi stderr: {$response['stderr']}\n");
    }
    // The CGI response: header lines, a blank line, then the JSON line verify-cgi.php printed.
    $parts = preg_split('/\r?\n\r?\n/', $response['stdout'], 2);
    $answer = json_decode(trim($parts[1] ?? ''), true);
    if (!is_array($answer)) {
        throw new RuntimeException("verify-cgi.php answered no JSON: {$response['stdout']} {$response['stderr']}");
    }
    if (isset($answer['accepted'])) {
        return ['accepted' => true];
    }
    if (isset($answer['crashed'])) {
        throw new Crashed($answer['crashed']);
    }
    throw new Rejected($answer['rejected']);
}

// ---------------------------------------------------------------------------------------------
// The protocol loop
// ---------------------------------------------------------------------------------------------

const VARIANTS = [
    'client' => [
        'name' => 'pecl-oauth',
        'operations' => ['sign'],
        // Extra parameters travel in the fetch() parameters array, which a string body replaces.
        'limits' => ['extras_only_with_form_or_no_body' => true],
        'stages' => ['signature_base_string', 'signature', 'authorization_header'],
        'signature_methods' => [OAUTH_SIG_METHOD_HMACSHA1, OAUTH_SIG_METHOD_HMACSHA256, OAUTH_SIG_METHOD_RSASHA1, OAUTH_SIG_METHOD_PLAINTEXT],
        'notes' => 'sign: new OAuth(consumer_key, consumer_secret, signature_method, OAUTH_AUTH_TYPE_AUTHORIZATION), '
            . 'setRequestEngine(OAUTH_REQENGINE_STREAMS), enableDebug, setNonce, setTimestamp, setVersion, setToken, '
            . 'setRSACertificate(private key PEM), then fetch(url, params, method, [Content-Type]) with every stream wrapper '
            . 'but php:// unregistered, so the request fails before any I/O. signature_base_string is debugInfo[sbs] and '
            . 'authorization_header the Authorization line of debugInfo[headers_sent] as fetch recorded them; signature is '
            . 'generateSignature(method, url, params) on the same object. params: a form body (Content-Type '
            . 'application/x-www-form-urlencoded, case-insensitive) decoded by the adapter into a PHP array (explode + '
            . 'urldecode; one value per name, later duplicates win), the library\'s documented input; any other body is passed '
            . 'as the string it is (sent unsigned). Extra protocol parameters are added to that array: the library signs them '
            . 'but sends them in the body or query, not in the header. The library always sends oauth_version, oauth_nonce and '
            . 'oauth_timestamp (a null one: unsupported), has no realm and no body hash. The constructor refuses an empty '
            . 'consumer secret; for RSA-SHA1 (where it is unused) the adapter passes a placeholder.',
    ],
    'provider' => [
        'name' => 'pecl-oauth-provider',
        'operations' => ['verify'],
        'stages' => [],
        // No RSA-SHA1: OAuthProvider checks a signature by signing again and comparing, which
        // for RSA-SHA1 needs the client's private key; it has no way to take a public key.
        'signature_methods' => [OAUTH_SIG_METHOD_HMACSHA1, OAUTH_SIG_METHOD_HMACSHA256, OAUTH_SIG_METHOD_PLAINTEXT],
        'notes' => 'verify: each request runs verify-cgi.php in php-cgi (the CLI SAPI makes OAuthProvider refuse to read '
            . 'a request), sent over FastCGI to one php-cgi -b child that serves the whole run, with the request as CGI '
            . 'variables (REQUEST_METHOD, QUERY_STRING, CONTENT_TYPE, HTTP_AUTHORIZATION and the other headers) and the body '
            . 'as its input; OAuthProvider reads the header, $_GET and $_POST itself. '
            . 'new OAuthProvider(), consumerHandler and tokenHandler set consumer_secret/token_secret from the case '
            . '(OAUTH_OK), timestampNonceHandler returns OAUTH_OK for every timestamp and nonce (PECL leaves both checks to '
            . 'the application; now is unused), then checkOAuthRequest(url, method). When it fails with oauth_token absent '
            . 'the request is re-checked with is2LeggedEndpoint(true). For RSA-SHA1 the public key PEM is given as the '
            . 'consumer secret. A thrown OAuthException is rejected with its message and additionalInfo (and any PHP warning '
            . 'the library raised); reason null. Any other throwable, or php-cgi dying, is crashed.',
    ],
];

function handshake(string $variant, array $msg): array
{
    if (($msg['protocol'] ?? null) !== PROTOCOL) {
        return ['ok' => false, 'error' => 'this adapter speaks protocol ' . PROTOCOL . ', not ' . json_encode($msg['protocol'] ?? null)];
    }
    $spec = VARIANTS[$variant];
    return [
        'ok' => true,
        'protocol' => PROTOCOL,
        'implementation' => [
            'name' => $spec['name'],
            'version' => phpversion('oauth') . ' (Debian php-oauth ' . debian_version('php-oauth') . ', php ' . PHP_VERSION . ')',
            'language' => 'php',
            'capabilities' => [
                'operations' => $spec['operations'],
                'signature_methods' => $spec['signature_methods'],
                'stages' => $spec['stages'],
                'can_omit_version' => false,
                'body_hash' => false,
                'reports_rejection_reasons' => false,
                'limits' => $spec['limits'] ?? new stdClass(),
                'notes' => $spec['notes'],
            ],
        ],
    ];
}

function answer(string $variant, array $msg): array
{
    $handlers = $variant === 'client' ? ['sign' => 'sign'] : ['verify' => 'verify'];
    $cmd = $msg['cmd'] ?? null;
    if (!is_string($cmd) || !isset($handlers[$cmd])) {
        return ['error' => ['message' => 'unsupported command ' . json_encode($cmd) . " for variant $variant"]];
    }
    try {
        return ['result' => $handlers[$cmd]($msg)];
    } catch (Rejected $e) {
        return ['rejected' => ['reason' => null, 'message' => $e->getMessage()]];
    } catch (Unsupported $e) {
        return ['unsupported' => ['message' => $e->getMessage()]];
    } catch (Crashed $e) {
        return ['crashed' => ['message' => $e->getMessage()]];
    } catch (Throwable $e) {
        return ['error' => ['message' => 'adapter failed: ' . get_class($e) . ': ' . $e->getMessage(), 'context' => $e->getTraceAsString()]];
    }
}

function write_line(array $message): void
{
    // Library output may hold octets that are not UTF-8: substituted rather than lost.
    echo json_encode($message, JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE), "\n";
    flush();
}

function main(array $argv): int
{
    $variant = null;
    foreach ($argv as $i => $arg) {
        if ($arg === '--variant' && isset($argv[$i + 1])) {
            $variant = $argv[$i + 1];
        }
    }
    if (!isset(VARIANTS[$variant])) {
        fwrite(STDERR, "usage: php adapter.php --variant client|provider\n");
        return 2;
    }
    if ($variant === 'client') {
        remove_network_wrappers();
    }
    while (($line = fgets(STDIN)) !== false) {
        if (trim($line) === '') {
            continue;
        }
        $msg = json_decode($line, true);
        if (!is_array($msg)) {
            fwrite(STDERR, 'pecl-oauth adapter: ignoring a line that is not a JSON object: ' . substr($line, 0, 200) . "\n");
            continue;
        }
        $cmd = $msg['cmd'] ?? null;
        if ($cmd === 'stop') {
            write_line(['ok' => true]);
            return 0;
        }
        if ($cmd === 'start') {
            write_line(handshake($variant, $msg));
            continue;
        }
        if (!isset($msg['id']) || !is_int($msg['id'])) {
            fwrite(STDERR, 'pecl-oauth adapter: ignoring a request without an integer id: ' . substr($line, 0, 200) . "\n");
            continue;
        }
        write_line(['id' => $msg['id']] + answer($variant, $msg));
    }
    return 0;
}

exit(main($argv));
