# An HTTP server on 127.0.0.1 (a port the system picks), for the redirect findings of the client
# reproductions: the library and its HTTP stack send the case's request here, the server answers it
# 307 to …/moved and the re-sent request 200, and the program judges the Authorization header of
# each. Perl's core only (IO::Socket::INET, POSIX). Loaded by the programs beside it with
# `use FindBin; use lib $FindBin::Bin;`.
#
# Bounded: the server is a forked child that ends itself after 20 s (alarm), so none of its reads
# outlives that; it serves two connections at most, and the child is killed and reaped before
# redirect() returns, whatever the library did.
package Loopback;

use strict;
use warnings;
use IO::Socket::INET ();
use POSIX ();

# A child process serving 127.0.0.1:PORT: 307 to `$moved`, then 200; each request's Authorization
# header goes to the parent over a pipe, one line each.
sub start_server {
    my ($moved) = @_;
    my $listener = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0, Listen => 4, Proto => 'tcp', ReuseAddr => 1)
        or die "cannot listen on 127.0.0.1: $@\n";
    pipe my $reader, my $writer or die "pipe: $!\n";
    my $pid = fork // die "fork: $!\n";
    if ($pid == 0) {
        close $reader;
        alarm 20;
        $writer->autoflush(1);
        my $port = $listener->sockport;
        for my $n (1, 2) {
            my $connection = $listener->accept or last;
            my $authorization = '';
            while (defined(my $line = <$connection>)) {
                last if $line =~ /^\r?\n\z/;
                $authorization = $1 if $line =~ /^Authorization:\s*(.*?)\r?\n\z/i;
            }
            print $writer "$authorization\n";
            print $connection $n == 1
                ? "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:$port$moved\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
            close $connection;
        }
        POSIX::_exit(0);
    }
    close $writer;
    my $port = $listener->sockport;
    close $listener;
    return ($pid, $reader, $port);
}

# Serves the redirect case whose URL is `$url` (`http://127.0.0.1:{port}PATH?QUERY`): calls
# `$send->($url with the port put in)`, which makes the library send it (and follow the 307 to
# PATH/moved?QUERY). Returns the Authorization headers of the request and of the re-sent one, and
# the port; dies unless exactly those two arrived.
sub redirect {
    my ($url, $send) = @_;
    (my $moved = $url) =~ s{^http://127\.0\.0\.1:\{port\}([^?]*)(.*)$}{$1/moved$2};
    my ($pid, $reader, $port) = start_server($moved);
    my $headers = eval {
        (my $sent = $url) =~ s/\{port\}/$port/;
        $send->($sent);
        kill 'TERM', $pid;
        [map { chomp; $_ } <$reader>];
    };
    kill 'KILL', $pid;
    waitpid $pid, 0;
    die $@ unless $headers;
    die "the server got " . scalar(@$headers) . " requests, not the request and its redirect\n" unless @$headers == 2;
    return ($headers, $port);
}

1;
