<?php
// Standalone reproduction of pecl-oauth/segfaults-through-user-stream-wrapper: PECL oauth 2.0.7's
// OAuth::fetch crashes PHP when the `http` scheme is served by a PHP user-space stream wrapper
// (stream_wrapper_register, a documented PHP feature that test suites and mocking libraries use).
// The wrapper below accepts every open and returns an empty response; the request is the RFC 5849
// section 1.2 protected-resource request. Cause not isolated: the extension's streams request
// engine reads memory it does not own, so how PHP dies depends on the memory layout (the same
// program dies by SIGSEGV from one directory and by a runaway allocation, "mmap() failed ... Out
// of memory", from another). A crash kills the process, so the program runs the fetch in a child
// PHP and reads how the child ended.
//
// Usage: php pecl_oauth_stream_wrapper.php segfaults-through-user-stream-wrapper. Exits 0 while the
// child dies (a signal, or PHP's out-of-memory fatal error), 3 when fetch returns or throws
// (retire the dossier), 4 otherwise.
final class EmptyHttpStream
{
    public $context;
    public function stream_open(string $path, string $mode, int $options, ?string &$opened): bool { return true; }
    public function stream_read(int $count): string { return ''; }
    public function stream_write(string $data): int { return strlen($data); }
    public function stream_eof(): bool { return true; }
    public function stream_stat(): array { return []; }
    public function stream_close(): void {}
}

function fetch_through_wrapper(): void
{
    stream_wrapper_unregister('http');
    stream_wrapper_register('http', EmptyHttpStream::class);
    $oauth = new OAuth('dpf43f3p2l4k3l03', 'kd94hf93k423kf44', OAUTH_SIG_METHOD_HMACSHA1, OAUTH_AUTH_TYPE_AUTHORIZATION);
    $oauth->setToken('nnch734d00sl2jdk', 'pfkkdhi9sl3r4s00');
    try {
        $oauth->fetch('http://photos.example.net/photos?file=vacation.jpg&size=original');
        echo "fetch returned\n";
    } catch (OAuthException $e) {
        echo 'fetch threw OAuthException: ', $e->getMessage(), "\n";
    }
}

if ($argc === 2 && $argv[1] === '--child') {
    fetch_through_wrapper();
    exit(0);
}
if ($argc !== 2 || $argv[1] !== 'segfaults-through-user-stream-wrapper') {
    fwrite(STDERR, "usage: php pecl_oauth_stream_wrapper.php segfaults-through-user-stream-wrapper\n");
    exit(2);
}
$child = proc_open([PHP_BINARY, __FILE__, '--child'], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
$output = trim(stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]));
fclose($pipes[1]);
fclose($pipes[2]);
// The pipes close when the child ends; wait (bounded) for its status, which names the signal.
$deadline = microtime(true) + 20;
do {
    $status = proc_get_status($child);
} while ($status['running'] && microtime(true) < $deadline && usleep(10000) === null);
if ($status['running']) {
    proc_terminate($child, 9);
    echo "OAuth::fetch: still running after 20 s\n";
    exit(4);
}
proc_close($child);
$code = $status['exitcode'];
$signal = $status['signaled'] ? $status['termsig'] : null;
echo "finding:   pecl-oauth/segfaults-through-user-stream-wrapper (PECL oauth ", phpversion('oauth'), ", PHP ", PHP_VERSION, ")\n";
echo 'OAuth::fetch: ', $signal !== null ? "killed by signal $signal" : "exit status $code", ($output === '' ? '' : ": $output"), "\n";
echo "expected:  fetch returns or throws OAuthException; a library does not crash its host\n";
$runaway = $code !== 0 && (str_contains($output, 'Out of memory') || str_contains($output, 'mmap() failed'));
if ($signal !== null || $code === 139 || $runaway) {
    exit(0);
}
if ($code === 0 && $output !== '') {
    exit(3);
}
exit(4);
