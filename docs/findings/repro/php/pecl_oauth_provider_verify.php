<?php
// Standalone reproduction of the verifier finding of PECL oauth's OAuthProvider (Debian php-oauth;
// docs/findings/pecl-oauth-provider/): the smallest request RFC 5849 makes a server refuse, checked
// the way the matrix's provider row (adapters/php-pecl-oauth/verify-cgi.php) checks it:
// OAuthProvider with consumer and token handlers that set the secrets, a timestampNonceHandler that
// accepts (PECL leaves the window and the nonce store to the application), then
// checkOAuthRequest(URL, METHOD) with the vector's URL and method.
//
// OAuthProvider reads the rest of the request (the Authorization header, $_GET) from a web SAPI,
// so this one file is both parts: run with the CLI it is the driver, which starts
// `php -S 127.0.0.1:0 THIS_FILE` as a child (port 0: the kernel picks a free loopback port, which
// php -S reports; the child's log goes to a temporary file, the finding's name through its
// environment), writes the vector's request, written out below, on a loopback socket (every socket
// operation with a timeout, the whole program bounded by a deadline), and ends the child and
// removes the log on exit. Under the built-in server (PHP_SAPI cli-server) it is the router script
// that runs OAuthProvider. Before sending, the driver checks with hash_hmac('sha1') that the
// vector's signature is the HMAC-SHA1 of the base string written out below, so a refusal can only
// be the library's §3.5 check.
//
// Usage: php pecl_oauth_provider_verify.php FINDING
// Exit: 0 still as documented, 3 agrees with RFC 5849 (retire the dossier), 4 a third value,
// 2 usage or setup.

declare(strict_types=1);

// Per finding: the vector (id and file), the request as received, the base string its signature
// covers, the server's secrets, RFC 5849's verdict as the vector publishes it ("rfc") and the
// documented one.
const FINDINGS = <<<'JSON'
[
 {
  "finding": "verifier-accepts-invalid",
  "vector": "edge-more-verify-oauth-prefixed-query-param-with-header",
  "file": "vectors/edge-cases-more.json",
  "stage": "verdict",
  "method": "GET",
  "url": "https://api.example.com/x?oauth_foo=bar&x=1",
  "request": [
   "GET /x?oauth_foo=bar&x=1 HTTP/1.1",
   "Host: api.example.com",
   "Authorization: OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1700000000\", oauth_nonce=\"h0ld0utn0nce\", oauth_signature=\"jdbsqkWOLElhQBvRcleJ0Vj0k80%3D\""
  ],
  "signature": "jdbsqkWOLElhQBvRcleJ0Vj0k80=",
  "base_string": "GET&https%3A%2F%2Fapi.example.com%2Fx&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_foo%3Dbar%26oauth_nonce%3Dh0ld0utn0nce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26x%3D1",
  "consumer_secret": "kd94hf93k423kf44",
  "token_secret": "pfkkdhi9sl3r4s00",
  "rfc": "rejected (parameter_in_multiple_locations)",
  "documented": "accepted"
 }
]
JSON;

/** The whole run's bound: well inside the 30 s a reproduction may take. */
const DEADLINE_SECONDS = 20.0;

function entry(string $finding): ?array
{
    foreach (json_decode(FINDINGS, true) as $candidate) {
        if ($candidate['finding'] === $finding) {
            return $candidate;
        }
    }
    return null;
}

/** The router: the request, read by OAuthProvider from the built-in server's SAPI. */
function route(array $entry): void
{
    $provider = new OAuthProvider();
    $provider->consumerHandler(function (OAuthProvider $provider) use ($entry): int {
        $provider->consumer_secret = $entry['consumer_secret'];
        return OAUTH_OK;
    });
    $provider->tokenHandler(function (OAuthProvider $provider) use ($entry): int {
        $provider->token_secret = $entry['token_secret'];
        return OAUTH_OK;
    });
    $provider->timestampNonceHandler(fn (OAuthProvider $provider): int => OAUTH_OK);
    try {
        $provider->checkOAuthRequest($entry['url'], $entry['method']);
    } catch (OAuthException $e) {
        echo 'rejected (' . $e->getMessage() . ')';
        return;
    }
    echo 'accepted';
}

final class Child
{
    /** @var resource */
    private $process;
    private string $log;
    public int $port = 0;

    public function __construct(string $finding)
    {
        $this->log = tempnam(sys_get_temp_dir(), 'pecl-provider-repro-');
        // The same PHP as the driver, its php.ini and conf.d (which load oauth) as the adapter's.
        $command = [PHP_BINARY, '-S', '127.0.0.1:0', __FILE__];
        $environment = getenv() + ['PECL_PROVIDER_REPRO_FINDING' => $finding];
        $process = proc_open($command, [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', $this->log, 'w']], $pipes, null, $environment);
        if ($process === false) {
            throw new RuntimeException('cannot start php -S');
        }
        $this->process = $process;
        $until = microtime(true) + 10.0;
        while (microtime(true) < $until) {
            if (preg_match('~Development Server \(http://127\.0\.0\.1:(\d+)\) started~', (string)file_get_contents($this->log), $m)) {
                $this->port = (int)$m[1];
                return;
            }
            if (!proc_get_status($this->process)['running']) {
                break;
            }
            usleep(20000);
        }
        $this->stop();
        throw new RuntimeException('php -S did not report its port');
    }

    public function stop(): void
    {
        proc_terminate($this->process);
        proc_close($this->process);
        @unlink($this->log);
    }
}

/** Sends the raw request to the child; the router's answer. */
function answer(int $port, string $request): string
{
    $deadline = microtime(true) + DEADLINE_SECONDS;
    $socket = @stream_socket_client("tcp://127.0.0.1:$port", $errno, $error, 5.0);
    if ($socket === false) {
        throw new RuntimeException("cannot connect to php -S on 127.0.0.1:$port: $error");
    }
    stream_set_timeout($socket, 10);
    fwrite($socket, $request);
    $response = '';
    while (!feof($socket) && strlen($response) < 1 << 20 && microtime(true) < $deadline) {
        $chunk = fread($socket, 8192);
        if ($chunk === false || ($chunk === '' && stream_get_meta_data($socket)['timed_out'])) {
            throw new RuntimeException('php -S did not answer in time');
        }
        $response .= $chunk;
    }
    fclose($socket);
    if (preg_match('~^HTTP/1\.[01] 200 ~', $response) !== 1) {
        // The router answers 200 with its verdict; anything else (it crashed) is no verdict.
        throw new RuntimeException('php -S gave no verdict: ' . substr($response, 0, 200));
    }
    return trim(explode("\r\n\r\n", $response, 2)[1] ?? '');
}

function main(array $argv): int
{
    $entry = entry($argv[1] ?? '');
    if ($entry === null) {
        fwrite(STDERR, "usage: php {$argv[0]} FINDING (one of: " . implode(', ', array_column(json_decode(FINDINGS, true), 'finding')) . ")\n");
        return 2;
    }
    $key = rawurlencode($entry['consumer_secret']) . '&' . rawurlencode($entry['token_secret']);
    if (base64_encode(hash_hmac('sha1', $entry['base_string'], $key, true)) !== $entry['signature']) {
        fwrite(STDERR, "error: the vector's signature is not the HMAC-SHA1 of the base string written out\n");
        return 2;
    }
    try {
        $child = new Child($entry['finding']);
    } catch (RuntimeException $e) {
        fwrite(STDERR, "error: {$e->getMessage()}\n");
        return 2;
    }
    try {
        $value = answer($child->port, implode("\r\n", [...$entry['request'], 'Connection: close']) . "\r\n\r\n");
    } catch (RuntimeException $e) {
        fwrite(STDERR, "error: {$e->getMessage()}\n");
        return 2;
    } finally {
        $child->stop();
    }
    echo "finding:  {$entry['finding']} (vector {$entry['vector']}, {$entry['stage']})\n";
    echo "OAuthProvider: $value\n";
    echo "RFC 5849:      {$entry['rfc']}\n";
    if (str_starts_with($value, 'rejected')) {
        echo "fixed: OAuthProvider now refuses it, as RFC 5849 requires\n";
        return 3;
    }
    if ($value !== $entry['documented']) {
        echo "changed: the dossier documents {$entry['documented']}\n";
        return 4;
    }
    return 0;
}

if (PHP_SAPI === 'cli-server') {
    $entry = entry((string)getenv('PECL_PROVIDER_REPRO_FINDING'));
    if ($entry === null) {
        http_response_code(500);
        echo 'no finding named in PECL_PROVIDER_REPRO_FINDING';
        return;
    }
    route($entry);
} else {
    exit(main($argv));
}
