// conformance-hook-for: github.com/mrjones/oauth

// This file is added by adapters/go-common/gopath-build.sh to the build copy of Debian's
// github.com/mrjones/oauth; it is not part of the library. It sets what the library's own tests set
// through unexported fields (the consumer's clock and nonce generator, the provider's clock) and
// wraps the consumer's signer to record the base string the library hands it and the signature it
// returns.

package oauth

type fixedClock struct{ seconds int64 }

func (c fixedClock) Seconds() int64 { return c.seconds }
func (c fixedClock) Nanos() int64   { return c.seconds * 1e9 }

type fixedNonce struct{ nonce int64 }

func (n fixedNonce) Int63() int64 { return n.nonce }

// ConformanceFix makes the consumer use this timestamp and nonce.
func ConformanceFix(c *Consumer, timestamp, nonce int64) {
	c.clock = fixedClock{timestamp}
	c.nonceGenerator = fixedNonce{nonce}
}

// ConformanceSetProviderClock makes the provider's clock read now.
func ConformanceSetProviderClock(p *Provider, now int64) {
	p.clock = fixedClock{now}
}

type recordingSigner struct {
	signer
	record func(baseString, signature string)
}

func (s recordingSigner) Sign(message string, tokenSecret string) (string, error) {
	signature, err := s.signer.Sign(message, tokenSecret)
	if err == nil {
		s.record(message, signature)
	}
	return signature, err
}

// ConformanceRecordSigning calls record with every base string the consumer signs and its signature.
func ConformanceRecordSigning(c *Consumer, record func(baseString, signature string)) {
	c.signer = recordingSigner{signer: c.signer, record: record}
}
