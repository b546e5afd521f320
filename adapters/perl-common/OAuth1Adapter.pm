package OAuth1Adapter;

# The protocol loop of adapters/PROTOCOL.md (version 1), shared by the Perl adapters
# (perl-net-oauth, perl-www-oauth). An adapter supplies its identity, capabilities and one
# handler per operation; a handler returns the `result` object, or dies with
# OAuth1Adapter::Rejected (the library refused the input) or OAuth1Adapter::Unsupported (the
# input cannot be expressed through the library's API). Anything else it dies with is an
# adapter failure, answered as `error`. stdout carries protocol lines only.

use strict;
use warnings;
use Exporter 'import';
use JSON::PP ();    # its true/false constants (JSON::XS decodes to the same JSON::PP::Boolean)
use JSON::XS ();
use IO::Handle ();

our @EXPORT_OK = qw(debian_version library rejected unsupported run_adapter);

use constant PROTOCOL => 1;

my $JSON = JSON::XS->new->utf8->ascii->canonical->allow_nonref;    # JSON::PP costs ~1 ms per message

{
    package OAuth1Adapter::Rejected;
    sub new { my ($class, %fields) = @_; return bless {%fields}, $class }
}
{
    package OAuth1Adapter::Unsupported;
    sub new { my ($class, $message) = @_; return bless {message => $message}, $class }
}

# The installed version of a Debian package, for the handshake's version field.
sub debian_version {
    my ($package) = @_;
    open(my $dpkg, '-|', 'dpkg-query', '-W', '-f=${Version}', $package) or return 'unknown';
    my $version = <$dpkg>;
    close $dpkg;
    return defined $version && length $version ? $version : 'unknown';
}

sub rejected {
    my ($message, $reason) = @_;
    die OAuth1Adapter::Rejected->new(message => $message, reason => $reason);
}

sub unsupported { die OAuth1Adapter::Unsupported->new($_[0]) }

# Calls into the library: whatever it dies with is its refusal of the input. Warnings the
# library emits while doing so are kept for the rejection message and logged on stderr.
sub library {
    my ($what, $code) = @_;
    my @warnings;
    local $SIG{__WARN__} = sub { push @warnings, $_[0]; print STDERR "library warning ($what): $_[0]" };
    my @out = eval { $code->() };
    if (my $err = $@) {
        die $err if ref $err and (ref $err eq 'OAuth1Adapter::Rejected' or ref $err eq 'OAuth1Adapter::Unsupported');
        chomp(my $text = "$err");
        rejected("$what died: $text");
    }
    return wantarray ? @out : $out[0];
}

my $PROTOCOL_OUT;

sub _write {
    my ($message) = @_;
    print {$PROTOCOL_OUT} $JSON->encode($message), "\n";
    $PROTOCOL_OUT->flush;
}

sub _answer {
    my ($handlers, $msg) = @_;
    my $cmd = $msg->{cmd};
    my $handler = defined $cmd && !ref $cmd ? $handlers->{$cmd} : undef;
    return {error => {message => 'unsupported command ' . $JSON->encode($cmd)}} unless $handler;
    my $result = eval { $handler->($msg) };
    my $err = $@;
    return {result => $result} unless $err;
    if (ref $err eq 'OAuth1Adapter::Rejected') {
        return {rejected => {reason => $err->{reason}, message => $err->{message}}};
    }
    if (ref $err eq 'OAuth1Adapter::Unsupported') {
        return {unsupported => {message => $err->{message}}};
    }
    chomp(my $text = "$err");
    return {error => {message => "adapter failed: $text", context => Carp::longmess('')}};
}

# run_adapter(name => ..., version => ..., capabilities => {...}, handlers => {sign => sub, ...})
sub run_adapter {
    my (%spec) = @_;
    require Carp;
    binmode STDIN;
    # A stray print from a library must never reach the protocol stream.
    open($PROTOCOL_OUT, '>&', \*STDOUT) or die "cannot duplicate stdout: $!";
    binmode $PROTOCOL_OUT;
    open(STDOUT, '>&', \*STDERR) or die "cannot point stdout at stderr: $!";
    while (defined(my $line = <STDIN>)) {
        next unless $line =~ /\S/;
        my $msg = eval { $JSON->decode($line) };
        if (!defined $msg || ref $msg ne 'HASH') {
            print STDERR "$spec{name} adapter: ignoring a line that is not a JSON object: ", substr($line, 0, 200), "\n";
            next;
        }
        my $cmd = $msg->{cmd} // '';
        if ($cmd eq 'stop') {
            _write({ok => JSON::PP::true});
            return 0;
        }
        if ($cmd eq 'start') {
            _write(_handshake(\%spec, $msg));
            next;
        }
        my $id = $msg->{id};
        if (!defined $id || ref $id || $id !~ /^[0-9]+\z/) {
            print STDERR "$spec{name} adapter: ignoring a request without an integer id: ", substr($line, 0, 200), "\n";
            next;
        }
        _write({id => $id + 0, %{_answer($spec{handlers}, $msg)}});
    }
    return 0;
}

sub _handshake {
    my ($spec, $msg) = @_;
    my $protocol = $msg->{protocol} // 'null';
    if ($protocol ne PROTOCOL) {
        return {ok => JSON::PP::false, error => "this adapter speaks protocol " . PROTOCOL . ", not $protocol"};
    }
    return {
        ok => JSON::PP::true,
        protocol => 0 + PROTOCOL,    # a number: `ne` above made the constant a string too
        implementation => {
            name => $spec->{name},
            version => $spec->{version},
            language => 'perl',
            capabilities => $spec->{capabilities},
        },
    };
}

1;
