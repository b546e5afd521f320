<?php
// Standalone reproduction of horde-oauth/does-not-compile-under-php8: Debian 12's php-horde-oauth
// 2.0.4 ships Horde/Oauth/Request.php with a nested ternary without parentheses (line 187,
// _getNormalizedUrl), a compile error since PHP 8.0. Loading Horde_Oauth_Request, which every
// signature and every verification needs (Horde_Oauth_Consumer too), kills PHP with a fatal error
// that no handler can catch, so the program loads it in a child PHP and reads how the child ended.
//
// Usage: php horde_oauth.php does-not-compile-under-php8. Exits 0 while loading the class is a
// fatal compile error, 3 when the class loads (retire the dossier; the matrix can then get a row),
// 4 when it fails otherwise.
if ($argc !== 2 || $argv[1] !== 'does-not-compile-under-php8') {
    fwrite(STDERR, "usage: php horde_oauth.php does-not-compile-under-php8\n");
    exit(2);
}
$child = escapeshellarg(PHP_BINARY) . ' -d display_errors=stderr -d log_errors=0 -r '
    . escapeshellarg('require "Horde/Oauth/Request.php"; echo class_exists("Horde_Oauth_Request", false) ? "loaded" : "missing";')
    . ' 2>&1';
exec($child, $lines, $status);
$output = implode("\n", $lines);
echo "finding:   horde-oauth/does-not-compile-under-php8 (PHP " . PHP_VERSION . ")\n";
echo "Horde:     exit status $status: $output\n";
echo "expected:  the class loads and signs (RFC 5849 section 3.4)\n";
if ($status !== 0 && str_contains($output, 'Unparenthesized')) {
    exit(0);
}
if ($status === 0 && $output === 'loaded') {
    exit(3);
}
exit(4);
