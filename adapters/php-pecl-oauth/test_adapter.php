<?php
// php adapters/php-pecl-oauth/test_adapter.php   (exit status 0 when every check holds)
// Published values: OAuth Core 1.0a Appendix A.5 / the oauth.net HMAC-SHA1 test case (GET
// http://photos.example.net/photos?file=vacation.jpg&size=original with oauth_version=1.0,
// signature tR3+Ty81lMeYAr/Fid0kMTYa/WM=). PECL OAuth always sends oauth_version, so the RFC
// 5849 examples without it cannot be reproduced.

declare(strict_types=1);

$failures = 0;
function check(bool $ok, string $what): void
{
    global $failures;
    echo ($ok ? 'ok' : 'not ok') . " - $what\n";
    if (!$ok) {
        $failures++;
    }
}

function session(string $variant): array
{
    $process = proc_open([PHP_BINARY, __DIR__ . '/adapter.php', '--variant', $variant], [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => STDERR], $pipes);
    return [$process, $pipes];
}

function exchange(array $pipes, array $message): array
{
    fwrite($pipes[0], json_encode($message) . "\n");
    fflush($pipes[0]);
    return json_decode((string)fgets($pipes[1]), true);
}

function stop(array $session): int
{
    [$process, $pipes] = $session;
    $answer = exchange($pipes, ['cmd' => 'stop']);
    fclose($pipes[0]);
    fclose($pipes[1]);
    check(($answer['ok'] ?? false) === true, 'stop is answered');
    return proc_close($process);
}

$photos = ['method' => 'GET', 'url' => 'http://photos.example.net/photos?file=vacation.jpg&size=original', 'content_type' => null, 'body' => null];
$secrets = ['consumer_secret' => 'kd94hf93k423kf44', 'token_secret' => 'pfkkdhi9sl3r4s00'];

$client = session('client');
$hello = exchange($client[1], ['cmd' => 'start', 'protocol' => 1]);
check(($hello['implementation']['name'] ?? null) === 'pecl-oauth', 'client handshake names the row');
$signed = exchange($client[1], ['cmd' => 'sign', 'id' => 1, 'request' => $photos,
    'oauth' => ['consumer_key' => 'dpf43f3p2l4k3l03', 'token' => 'nnch734d00sl2jdk', 'signature_method' => 'HMAC-SHA1',
        'timestamp' => '1191242096', 'nonce' => 'kllo9940pd9333jh', 'version' => '1.0', 'realm' => null, 'extra' => []],
    'secrets' => $secrets + ['rsa_private_key_pem' => null]]);
$trace = $signed['result']['trace'] ?? [];
check(($signed['id'] ?? null) === 1, 'answer carries the request id');
check(($trace['signature'] ?? null) === 'tR3+Ty81lMeYAr/Fid0kMTYa/WM=', 'OAuth Core 1.0a A.5.2 signature');
check(($trace['signature_base_string'] ?? null) === 'GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal', 'OAuth Core 1.0a A.5.1 base string');
check(str_contains($trace['authorization_header'] ?? '', 'oauth_signature="tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D"'), 'signature in the header');
check(stop($client) === 0, 'client exits with status 0');

$header = 'OAuth realm="http://photos.example.net/", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_token="nnch734d00sl2jdk", '
    . 'oauth_signature_method="HMAC-SHA1", oauth_signature="tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D", '
    . 'oauth_timestamp="1191242096", oauth_nonce="kllo9940pd9333jh", oauth_version="1.0"';
$provider = session('provider');
$hello = exchange($provider[1], ['cmd' => 'start', 'protocol' => 1]);
check(($hello['implementation']['name'] ?? null) === 'pecl-oauth-provider', 'provider handshake names the row');
$accepted = exchange($provider[1], ['cmd' => 'verify', 'id' => 7, 'request' => $photos + ['headers' => [['Authorization', $header]]],
    'secrets' => $secrets, 'now' => 1191242096]);
check(($accepted['result']['accepted'] ?? null) === true, 'the published request verifies');
$tampered = str_replace('kllo9940pd9333jh', 'kllo9940pd9333ji', $header);
$refused = exchange($provider[1], ['cmd' => 'verify', 'id' => 8, 'request' => $photos + ['headers' => [['Authorization', $tampered]]],
    'secrets' => $secrets, 'now' => 1191242096]);
check(str_contains($refused['rejected']['message'] ?? '', 'Signatures do not match'), 'a changed nonce is rejected');
// RFC 5849 §3.4.2: the key is consumer secret & token secret. A signature made without the token
// secret must not pass (the adapter once retried such requests as two-legged ones).
$base = 'GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal';
$without_token_secret = rawurlencode(base64_encode(hash_hmac('sha1', $base, 'kd94hf93k423kf44&', true)));
$forged = str_replace('tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D', $without_token_secret, $header);
$refused = exchange($provider[1], ['cmd' => 'verify', 'id' => 9, 'request' => $photos + ['headers' => [['Authorization', $forged]]],
    'secrets' => $secrets, 'now' => 1191242096]);
check(isset($refused['rejected']), 'a signature made without the token secret is rejected');
// PECL reads a bracketed query name as a nested $_GET value and signs it as "Array", with a PHP
// warning: a rejection that carries the warning, not a broken response.
$nested = ['url' => 'http://photos.example.net/photos?filter%5B0%5D%5Bid%5D=1'] + $photos;
$refused = exchange($provider[1], ['cmd' => 'verify', 'id' => 10, 'request' => $nested + ['headers' => [['Authorization', $header]]],
    'secrets' => $secrets, 'now' => 1191242096]);
check(str_contains($refused['rejected']['message'] ?? '', 'Array to string conversion'), 'a library warning is reported with its rejection');
$provider_pid = proc_get_status($provider[0])['pid'];
$children = php_cgi_children($provider_pid);
check(count($children) === 1, 'one php-cgi child serves every verify request');
check(stop($provider) === 0, 'provider exits with status 0');
check(!array_filter($children, 'is_running'), 'stop ends the php-cgi child');
check(glob(sys_get_temp_dir() . "/pecl-oauth-fcgi-$provider_pid-*") === [], "stop removes the socket's directory");

// The harness stops a stuck adapter with SIGKILL to its process group; SIGTERM to the adapter
// alone ends the child too. Each adapter runs in a session of its own here (setsid), so the
// test can signal its group.
foreach (['SIGTERM to the adapter' => false, 'SIGKILL to its process group' => true] as $how => $group) {
    $process = proc_open(['setsid', PHP_BINARY, __DIR__ . '/adapter.php', '--variant', 'provider'], [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => STDERR], $pipes);
    exchange($pipes, ['cmd' => 'start', 'protocol' => 1]);
    exchange($pipes, ['cmd' => 'verify', 'id' => 1, 'request' => $photos + ['headers' => [['Authorization', $header]]], 'secrets' => $secrets, 'now' => 1191242096]);
    $pid = proc_get_status($process)['pid'];
    $children = php_cgi_children($pid);
    posix_kill($group ? -$pid : $pid, $group ? SIGKILL : SIGTERM);
    proc_close($process);
    for ($i = 0; $i < 100 && array_filter($children, 'is_running'); $i++) {
        usleep(20000);
    }
    check(count($children) === 1 && !array_filter($children, 'is_running'), "$how ends the php-cgi child");
    $left = glob(sys_get_temp_dir() . "/pecl-oauth-fcgi-$pid-*");
    if ($group) {
        // Nothing runs after SIGKILL to remove the socket's directory: the test does.
        array_map(fn (string $dir) => array_map('unlink', glob("$dir/*")) && rmdir($dir), $left);
    } else {
        check($left === [], "$how removes the socket's directory");
    }
}

/** The php-cgi children of an adapter process: the processes listening on its socket. */
function php_cgi_children(int $adapter): array
{
    $children = [];
    foreach (glob('/proc/[0-9]*/cmdline') as $file) {
        $cmdline = (string)@file_get_contents($file);
        if (str_contains($cmdline, "/pecl-oauth-fcgi-$adapter-")) {
            $children[] = (int)basename(dirname($file));
        }
    }
    return $children;
}

function is_running(int $pid): bool
{
    // A zombie has exited: only its parent has yet to reap it.
    $stat = @file_get_contents("/proc/$pid/stat");
    return is_string($stat) && !preg_match('/^\d+ \(.*\) Z /s', $stat);
}

exit($failures === 0 ? 0 : 1);
