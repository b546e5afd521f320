<?php
// Standalone reproductions of the live-server findings of PECL oauth's OAuthProvider (Debian
// php-oauth) as adapters/php-pecl-oauth/server.php runs it under PHP's built-in web server
// (docs/findings/live/pecl-oauth-provider-php-s/).
//
// OAuthProvider reads the request from the SAPI: the Authorization header, the URL, $_GET and
// $_POST (its constructor's params array, which stands in for them, is honoured under the CLI
// only, and takes no Authorization header and no repeated query name, so it would not show what
// a web server's request shows). So this one file is both parts: run with the CLI it is the
// driver, which starts `php -S 127.0.0.1:0 THIS_FILE` as a child (port 0: the kernel picks a
// free loopback port, which php -S reports; the child's log goes to a temporary file, not a
// pipe), writes each probe case's request, written out below, on a loopback socket (every
// socket operation with a timeout, the whole program bounded by a deadline), and ends the child
// and removes the log on exit. Under the built-in server (PHP_SAPI cli-server) it is the router
// script: OAuthProvider with the adapter's handlers (the consumer and token looked up in the
// probe matrix's credentials; timestampNonceHandler exactly the PHP manual's example, which
// refuses only nonce "bad" and timestamp 0), isRequestTokenEndpoint(true) on /initiate, then
// checkOAuthRequest() with no argument, answering "accepted" or OAuthProvider::reportProblem.
//
// Each request is signed here with hash_hmac('sha1') over the RFC 5849 signature base string
// written out below (nonce and clock-relative timestamp substituted). The Host header is the one
// the base string names (127.0.0.1:8080): PECL builds the URL from Host and the request target,
// and php -S serves any Host. A case that must be refused is preceded by its control (the probe's
// valid-gate, or for the flow the temporary-credential request with oauth_callback, fresh
// timestamps): a refused control means the program or the library changed, not a fix. A valid
// request the library refuses is signed a second time over the base string the dossier documents
// (the finding's quirk), which it must accept for the refusal to be the documented one. A replay
// case sends the same request twice.
//
// Usage: php pecl_oauth_provider_server.php SERVER/CASE (the dossier id without live/)
// Exit: 0 still as documented, 3 agrees with RFC 5849 (retire the dossier), 4 a third behaviour,
// 2 usage or setup.

declare(strict_types=1);

// The controls, then per finding: the probe case (crates/conformance/data/probe-cases.json), its
// request as received, the base string its signature is computed over and the HMAC-SHA1 key (RFC
// 5849 §3.4.2), its timestamp relative to the clock, how many times it is sent, RFC 5849's verdict
// and the one the dossier documents.
const TABLE = <<<'JSON'
{
 "controls": {
  "gate": {
   "finding": "pecl-oauth-provider-php-s/valid-gate",
   "case": "valid-gate",
   "rfc_section": "RFC 5849 §3.1, §3.2",
   "request": {
    "method": "GET",
    "target": "/probe/photos?file=vacation.jpg&size=original",
    "headers": [
     "Host: 127.0.0.1:8080",
     "Authorization: OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"{timestamp}\", oauth_nonce=\"{nonce}\", oauth_version=\"1.0\", oauth_signature=\"{signature}\""
    ],
    "body": null
   },
   "base_string": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fprobe%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
   "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00",
   "timestamp": "now",
   "sends": 1,
   "rfc": "accepted",
   "documented": "accepted"
  },
  "flow": {
   "finding": "pecl-oauth-provider-php-s/flow-callback-confirmed",
   "case": "flow-callback-confirmed",
   "rfc_section": "RFC 5849 §2.1 (oauth_callback_confirmed MUST be present and set to true)",
   "request": {
    "method": "POST",
    "target": "/initiate",
    "headers": [
     "Host: 127.0.0.1:8080",
     "Authorization: OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"{timestamp}\", oauth_nonce=\"{nonce}\", oauth_version=\"1.0\", oauth_callback=\"http%3A%2F%2Fclient.example%2Fready\", oauth_signature=\"{signature}\"",
     "Content-Type: application/x-www-form-urlencoded"
    ],
    "body": ""
   },
   "base_string": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Finitiate&oauth_callback%3Dhttp%253A%252F%252Fclient.example%252Fready%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_version%3D1.0",
   "key": "kd94hf93k423kf44&",
   "timestamp": "now",
   "sends": 1,
   "rfc": "accepted",
   "documented": "accepted"
  }
 },
 "findings": [
  {
   "finding": "pecl-oauth-provider-php-s/flow-initiate-without-callback",
   "case": "flow-initiate-without-callback",
   "rfc_section": "RFC 5849 §2.1 (oauth_callback is REQUIRED)",
   "request": {
    "method": "POST",
    "target": "/initiate",
    "headers": [
     "Host: 127.0.0.1:8080",
     "Authorization: OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"{timestamp}\", oauth_nonce=\"{nonce}\", oauth_version=\"1.0\", oauth_signature=\"{signature}\"",
     "Content-Type: application/x-www-form-urlencoded"
    ],
    "body": ""
   },
   "base_string": "POST&http%3A%2F%2F127.0.0.1%3A8080%2Finitiate&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_version%3D1.0",
   "key": "kd94hf93k423kf44&",
   "timestamp": "now",
   "sends": 1,
   "rfc": "refused",
   "documented": "accepted"
  },
  {
   "finding": "pecl-oauth-provider-php-s/malformed-unknown-version",
   "case": "malformed-unknown-version",
   "rfc_section": "RFC 5849 §3.2 (if present, oauth_version must be 1.0)",
   "request": {
    "method": "GET",
    "target": "/probe/photos?file=vacation.jpg&size=original",
    "headers": [
     "Host: 127.0.0.1:8080",
     "Authorization: OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"{timestamp}\", oauth_nonce=\"{nonce}\", oauth_version=\"2.0\", oauth_signature=\"{signature}\""
    ],
    "body": null
   },
   "base_string": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fprobe%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D2.0%26size%3Doriginal",
   "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00",
   "timestamp": "now",
   "sends": 1,
   "rfc": "refused",
   "documented": "accepted"
  },
  {
   "finding": "pecl-oauth-provider-php-s/replay-same-request",
   "case": "replay-same-request",
   "rfc_section": "RFC 5849 §3.2, §3.3 (a nonce/timestamp/token combination is used once)",
   "request": {
    "method": "GET",
    "target": "/probe/photos?file=vacation.jpg&size=original",
    "headers": [
     "Host: 127.0.0.1:8080",
     "Authorization: OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"{timestamp}\", oauth_nonce=\"{nonce}\", oauth_version=\"1.0\", oauth_signature=\"{signature}\""
    ],
    "body": null
   },
   "base_string": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fprobe%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
   "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00",
   "timestamp": "now",
   "sends": 2,
   "rfc": "accepted, then refused",
   "documented": "accepted, then accepted"
  },
  {
   "finding": "pecl-oauth-provider-php-s/time-future-24h",
   "case": "time-future-24h",
   "rfc_section": "RFC 5849 §3.3; §3.2",
   "request": {
    "method": "GET",
    "target": "/probe/photos?file=vacation.jpg&size=original",
    "headers": [
     "Host: 127.0.0.1:8080",
     "Authorization: OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"{timestamp}\", oauth_nonce=\"{nonce}\", oauth_version=\"1.0\", oauth_signature=\"{signature}\""
    ],
    "body": null
   },
   "base_string": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fprobe%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
   "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00",
   "timestamp": "now + 86400",
   "sends": 1,
   "rfc": "refused",
   "documented": "accepted"
  },
  {
   "finding": "pecl-oauth-provider-php-s/time-milliseconds",
   "case": "time-milliseconds",
   "rfc_section": "RFC 5849 §3.3 (seconds since the epoch)",
   "request": {
    "method": "GET",
    "target": "/probe/photos?file=vacation.jpg&size=original",
    "headers": [
     "Host: 127.0.0.1:8080",
     "Authorization: OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"{timestamp}\", oauth_nonce=\"{nonce}\", oauth_version=\"1.0\", oauth_signature=\"{signature}\""
    ],
    "body": null
   },
   "base_string": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fprobe%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
   "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00",
   "timestamp": "now * 1000",
   "sends": 1,
   "rfc": "refused",
   "documented": "accepted"
  },
  {
   "finding": "pecl-oauth-provider-php-s/time-stale-24h",
   "case": "time-stale-24h",
   "rfc_section": "RFC 5849 §3.3 (the server bounds the timestamps it accepts); §3.2",
   "request": {
    "method": "GET",
    "target": "/probe/photos?file=vacation.jpg&size=original",
    "headers": [
     "Host: 127.0.0.1:8080",
     "Authorization: OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"{timestamp}\", oauth_nonce=\"{nonce}\", oauth_version=\"1.0\", oauth_signature=\"{signature}\""
    ],
    "body": null
   },
   "base_string": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fprobe%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
   "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00",
   "timestamp": "now - 86400",
   "sends": 1,
   "rfc": "refused",
   "documented": "accepted"
  },
  {
   "finding": "pecl-oauth-provider-php-s/valid-repeated-names",
   "case": "valid-repeated-names",
   "rfc_section": "RFC 5849 §3.4.1.3.2 (equal names sort by value)",
   "request": {
    "method": "GET",
    "target": "/probe/photos?file=vacation.jpg&size=original&a=2&a=1",
    "headers": [
     "Host: 127.0.0.1:8080",
     "Authorization: OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"{timestamp}\", oauth_nonce=\"{nonce}\", oauth_version=\"1.0\", oauth_signature=\"{signature}\""
    ],
    "body": null
   },
   "base_string": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fprobe%2Fphotos&a%3D1%26a%3D2%26file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
   "key": "kd94hf93k423kf44&pfkkdhi9sl3r4s00",
   "timestamp": "now",
   "sends": 1,
   "rfc": "accepted",
   "documented": "refused",
   "documented_base_string": "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fprobe%2Fphotos&a%3D1%26file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D{nonce}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D{timestamp}%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal"
  }
 ]
}
JSON;

/** The whole run's bound: well inside the 30 s a reproduction may take. */
const DEADLINE_SECONDS = 20.0;

// The credentials the probe matrix gives every server (adapters/servers-smoke/credentials.json).
const CONSUMERS = ['dpf43f3p2l4k3l03' => 'kd94hf93k423kf44'];
const TOKENS = ['nnch734d00sl2jdk' => ['secret' => 'pfkkdhi9sl3r4s00', 'consumer_key' => 'dpf43f3p2l4k3l03']];

/** The router: one request, read by OAuthProvider from the built-in server's SAPI. */
function route(): void
{
    $provider = new OAuthProvider();
    $provider->consumerHandler(function (OAuthProvider $provider): int {
        if (!array_key_exists($provider->consumer_key, CONSUMERS)) {
            return OAUTH_CONSUMER_KEY_UNKNOWN;
        }
        $provider->consumer_secret = CONSUMERS[$provider->consumer_key];
        return OAUTH_OK;
    });
    $provider->tokenHandler(function (OAuthProvider $provider): int {
        $token = TOKENS[$provider->token] ?? null;
        if ($token === null || $token['consumer_key'] !== $provider->consumer_key) {
            return OAUTH_TOKEN_REJECTED;
        }
        $provider->token_secret = $token['secret'];
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
    if (parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) === '/initiate') {
        $provider->isRequestTokenEndpoint(true);
    }
    try {
        $provider->checkOAuthRequest();
    } catch (OAuthException $e) {
        echo OAuthProvider::reportProblem($e);
        return;
    }
    echo 'accepted';
}

/** 24 letters and digits, new for every request, as the probe's nonces are. */
function nonce(): string
{
    $alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    $nonce = '';
    for ($i = 0; $i < 24; $i++) {
        $nonce .= $alphabet[random_int(0, 61)];
    }
    return $nonce;
}

function timestamp(string $relative): string
{
    $now = time();
    $at = ['now' => $now, 'now - 86400' => $now - 86400, 'now + 86400' => $now + 86400, 'now * 1000' => $now * 1000];
    return (string)($at[$relative] ?? throw new RuntimeException("unknown timestamp $relative"));
}

/** The raw request: the entry's, its nonce, timestamp and HMAC-SHA1 signature filled in. */
function signed_request(array $entry, ?string $base_string = null): string
{
    $fill = ['{nonce}' => nonce(), '{timestamp}' => timestamp($entry['timestamp'])];
    $text = strtr($base_string ?? $entry['base_string'], $fill);
    $fill['{signature}'] = rawurlencode(base64_encode(hash_hmac('sha1', $text, $entry['key'], true)));
    $spec = $entry['request'];
    $lines = ["{$spec['method']} {$spec['target']} HTTP/1.1"];
    foreach ($spec['headers'] as $header) {
        $lines[] = strtr($header, $fill);
    }
    $body = $spec['body'] ?? '';
    if ($spec['body'] !== null) {
        $lines[] = 'Content-Length: ' . strlen($body);
    }
    $lines[] = 'Connection: close';
    return implode("\r\n", $lines) . "\r\n\r\n" . $body;
}

final class Child
{
    /** @var resource */
    private $process;
    private string $log;
    public int $port = 0;

    public function __construct()
    {
        $this->log = tempnam(sys_get_temp_dir(), 'pecl-provider-repro-');
        // The same PHP as the driver, its php.ini and conf.d (which load oauth) as the adapter's.
        $command = [PHP_BINARY, '-S', '127.0.0.1:0', __FILE__];
        $process = proc_open($command, [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', $this->log, 'w']], $pipes);
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
        throw new RuntimeException('php -S did not report its port: ' . file_get_contents($this->log));
    }

    public function stop(): void
    {
        proc_terminate($this->process);
        proc_close($this->process);
        @unlink($this->log);
    }
}

/** Sends a raw request to the child; "accepted", or "refused (STATUS BODY)". */
function verdict(int $port, string $request, float $deadline): string
{
    $left = max(0.1, $deadline - microtime(true));
    $socket = @stream_socket_client("tcp://127.0.0.1:$port", $errno, $error, min(5.0, $left));
    if ($socket === false) {
        throw new RuntimeException("cannot connect to php -S on 127.0.0.1:$port: $error");
    }
    stream_set_timeout($socket, (int)ceil(min(10.0, $left)));
    fwrite($socket, $request);
    $response = '';
    while (!feof($socket) && strlen($response) < 1 << 20) {
        $chunk = fread($socket, 8192);
        if ($chunk === false || ($chunk === '' && stream_get_meta_data($socket)['timed_out'])) {
            throw new RuntimeException('php -S did not answer in time');
        }
        $response .= $chunk;
    }
    fclose($socket);
    [$head, $body] = array_pad(explode("\r\n\r\n", $response, 2), 2, '');
    if (preg_match('~^HTTP/1\.[01] (\d{3})~', $head, $m) !== 1) {
        // No answer (the router crashed): not a refusal.
        throw new RuntimeException('php -S gave no HTTP response: ' . substr($response, 0, 200));
    }
    $status = $m[1];
    if ($status === '200' && $body === 'accepted') {
        return 'accepted';
    }
    // reportProblem answers 400 or 401; any other answer is neither verdict.
    return (in_array($status, ['400', '401'], true) ? 'refused' : 'answered') . " ($status " . trim($body) . ')';
}

function word(string $verdicts): string
{
    return implode(', then ', array_map(fn (string $v): string => explode(' ', $v)[0], explode(', then ', $verdicts)));
}

function drive(array $entry, array $controls, int $port, float $deadline): int
{
    echo "finding:  live/{$entry['finding']} (probe case {$entry['case']}, {$entry['rfc_section']})\n";
    if (str_starts_with($entry['rfc'], 'refused')) {
        $control = $controls[str_starts_with($entry['case'], 'flow-') ? 'flow' : 'gate'];
        $verdict = verdict($port, signed_request($control), $deadline);
        echo "control:  {$control['case']} with a fresh timestamp: $verdict\n";
        if (word($verdict) !== 'accepted') {
            echo "changed: OAuthProvider refuses the control, so this case's verdict says nothing\n";
            return 4;
        }
    }
    $request = signed_request($entry);
    $verdicts = [];
    for ($i = 0; $i < $entry['sends']; $i++) {
        $verdicts[] = verdict($port, $request, $deadline);
    }
    $value = implode(', then ', $verdicts);
    echo "OAuthProvider: $value\n";
    echo "RFC 5849:      {$entry['rfc']}\n";
    if (word($value) === $entry['rfc']) {
        echo "fixed: OAuthProvider now agrees with RFC 5849\n";
        return 3;
    }
    if (word($value) !== $entry['documented']) {
        echo "changed: the dossier documents {$entry['documented']}\n";
        return 4;
    }
    if (isset($entry['documented_base_string'])) {
        $quirk = verdict($port, signed_request($entry, $entry['documented_base_string']), $deadline);
        echo "signed over the base string the dossier documents ({$entry['documented_base_string']}): $quirk\n";
        if (word($quirk) !== 'accepted') {
            echo "changed: the refusal is not the documented one\n";
            return 4;
        }
    }
    return 0;
}

function main(array $argv): int
{
    $table = json_decode(TABLE, true);
    $entry = null;
    foreach ($table['findings'] as $candidate) {
        if ($candidate['finding'] === ($argv[1] ?? '')) {
            $entry = $candidate;
        }
    }
    if ($entry === null) {
        fwrite(STDERR, "usage: php {$argv[0]} SERVER/CASE (one of: " . implode(', ', array_column($table['findings'], 'finding')) . ")\n");
        return 2;
    }
    $deadline = microtime(true) + DEADLINE_SECONDS;
    try {
        $child = new Child();
    } catch (RuntimeException $e) {
        fwrite(STDERR, "error: {$e->getMessage()}\n");
        return 2;
    }
    try {
        return drive($entry, $table['controls'], $child->port, $deadline);
    } catch (RuntimeException $e) {
        fwrite(STDERR, "error: {$e->getMessage()}\n");
        return 2;
    } finally {
        $child->stop();
    }
}

if (PHP_SAPI === 'cli-server') {
    route();
} else {
    exit(main($argv));
}
