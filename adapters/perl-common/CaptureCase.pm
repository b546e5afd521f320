package CaptureCase;
# The case a capture driver must send, read from the environment `oauth1-conformance capture
# --exec` sets (docs/capture.md). A driver exits 0 once it got any HTTP response (the server
# judges the request), and 3 with the reason on stderr when its client cannot send the case.
use strict;
use warnings;
use Exporter 'import';
our @EXPORT_OK = qw(read_case cannot_express);

sub slurp {
    my ($path) = @_;
    open my $fh, '<:raw', $path or die "$path: $!\n";
    local $/;
    return scalar <$fh>;
}

sub read_case {
    my %e = %ENV;
    return {
        url => $e{OAUTH1_CAPTURE_URL},
        method => $e{OAUTH1_CAPTURE_METHOD},
        content_type => $e{OAUTH1_CAPTURE_CONTENT_TYPE},
        body => defined $e{OAUTH1_CAPTURE_BODY_FILE} ? slurp($e{OAUTH1_CAPTURE_BODY_FILE}) : undef,
        consumer_key => $e{OAUTH1_CONSUMER_KEY},
        consumer_secret => $e{OAUTH1_CONSUMER_SECRET},
        token => $e{OAUTH1_TOKEN},
        token_secret => $e{OAUTH1_TOKEN_SECRET},
        signature_method => $e{OAUTH1_SIGNATURE_METHOD},
        realm => $e{OAUTH1_REALM},
        rsa_key => defined $e{OAUTH1_RSA_PRIVATE_KEY_FILE} ? slurp($e{OAUTH1_RSA_PRIVATE_KEY_FILE}) : undef,
        ca_file => $e{OAUTH1_CAPTURE_CA_FILE},
    };
}

sub cannot_express {
    print STDERR "$_[0]\n";
    exit 3;
}

1;
