package AdapterSession;

# Drives an adapter process over adapters/PROTOCOL.md for the Perl adapters' tests: start it,
# send requests, read answers in order, stop it.

use strict;
use warnings;
use IPC::Open2 ();
use JSON::XS ();

my $JSON = JSON::XS->new->utf8->canonical;

sub start {
    my ($class, @command) = @_;
    my $pid = IPC::Open2::open2(my $from, my $to, @command);
    my $self = bless {pid => $pid, from => $from, to => $to, next_id => 1}, $class;
    $self->{handshake} = $self->exchange({cmd => 'start', protocol => 1});
    return $self;
}

sub handshake { $_[0]{handshake} }

sub exchange {
    my ($self, $message) = @_;
    print {$self->{to}} $JSON->encode($message), "\n";
    $self->{to}->flush;
    my $line = readline($self->{from});
    die "the adapter closed its stdout\n" unless defined $line;
    return $JSON->decode($line);
}

# Sends a request (cmd and fields) with a fresh id; returns the answer.
sub request {
    my ($self, %fields) = @_;
    my $id = $self->{next_id}++;
    my $answer = $self->exchange({%fields, id => $id});
    die "answer id $answer->{id} for request $id\n" unless $answer->{id} == $id;
    return $answer;
}

sub stop {
    my ($self) = @_;
    my $answer = $self->exchange({cmd => 'stop'});
    close $self->{to};
    waitpid($self->{pid}, 0);
    return ($answer, $? >> 8);
}

1;
