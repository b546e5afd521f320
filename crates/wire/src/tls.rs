//! TLS for both sides, with rustls and the `ring` provider.
//!
//! The server's certificate comes from a throw-away certificate authority generated at startup
//! ([`ThrowawayCa`]): its leaf names `127.0.0.1`, `localhost` and `::1`, and the CA's PEM is
//! what a client under test is told to trust (`capture` exports it as
//! `OAUTH1_CAPTURE_CA_FILE`). Its private keys never leave the process.
//!
//! The client trusts the system's roots, plus any CA file given, or nothing at all with
//! `insecure` (for self-signed test servers).

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::Path;
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose, SanType,
};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};
use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};

/// A TLS set-up failure, with what failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsSetupError(pub String);

impl fmt::Display for TlsSetupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TlsSetupError {}

/// rustls 0.23.48 deprecates the ring provider because it lacks post-quantum key exchange;
/// that is irrelevant to loopback test traffic, and the aws-lc-rs provider would need cmake
/// and a long C build on every machine that builds the harness.
#[allow(deprecated)]
fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A certificate authority made for one run, and a server certificate it signed.
pub struct ThrowawayCa {
    ca_pem: String,
    server: Arc<rustls::ServerConfig>,
}

impl fmt::Debug for ThrowawayCa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ThrowawayCa").finish_non_exhaustive()
    }
}

impl ThrowawayCa {
    /// Generates the CA (ECDSA P-256) and a leaf for `127.0.0.1`, `localhost` and `::1`, both
    /// valid from a day ago for 30 days.
    ///
    /// # Errors
    /// When key generation, signing or the rustls configuration fails.
    pub fn generate() -> Result<Self, TlsSetupError> {
        let failed = |what: &'static str| move |e: rcgen::Error| TlsSetupError(format!("generating the {what}: {e}"));
        let now = time::OffsetDateTime::now_utc();
        let (not_before, not_after) = (now - time::Duration::days(1), now + time::Duration::days(30));

        let ca_key = KeyPair::generate().map_err(failed("CA key"))?;
        let mut ca_params = CertificateParams::default();
        ca_params.distinguished_name = DistinguishedName::new();
        ca_params.distinguished_name.push(DnType::CommonName, "oauth1-conformance throw-away CA");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        (ca_params.not_before, ca_params.not_after) = (not_before, not_after);
        let ca_cert = ca_params.self_signed(&ca_key).map_err(failed("CA certificate"))?;

        let leaf_key = KeyPair::generate().map_err(failed("server key"))?;
        let mut leaf_params = CertificateParams::new(vec!["localhost".to_owned()]).map_err(failed("server name"))?;
        leaf_params.distinguished_name = DistinguishedName::new();
        leaf_params.distinguished_name.push(DnType::CommonName, "localhost");
        leaf_params.subject_alt_names.push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        leaf_params.subject_alt_names.push(SanType::IpAddress(IpAddr::V6(Ipv6Addr::LOCALHOST)));
        leaf_params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        leaf_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        (leaf_params.not_before, leaf_params.not_after) = (not_before, not_after);
        let leaf_cert = leaf_params.signed_by(&leaf_key, &ca_cert, &ca_key).map_err(failed("server certificate"))?;

        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
        let mut server = rustls::ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .and_then(|b| b.with_no_client_auth().with_single_cert(vec![leaf_cert.der().clone()], key))
            .map_err(|e| TlsSetupError(format!("the TLS server configuration: {e}")))?;
        server.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Self { ca_pem: ca_cert.pem(), server: Arc::new(server) })
    }

    /// The CA certificate, PEM-encoded: what a client must trust.
    #[must_use]
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// Writes the CA certificate (PEM) to `path`.
    ///
    /// # Errors
    /// When the file cannot be written, naming it.
    pub fn write_ca_pem(&self, path: &Path) -> Result<(), TlsSetupError> {
        std::fs::write(path, &self.ca_pem)
            .map_err(|e| TlsSetupError(format!("cannot write the CA certificate to {}: {e}", path.display())))
    }

    /// The server configuration, for [`crate::server::ServerConfig::tls`].
    #[must_use]
    pub fn server_config(&self) -> Arc<rustls::ServerConfig> {
        Arc::clone(&self.server)
    }
}

/// The client's TLS configuration and how many roots it trusts (0 with `insecure`).
pub(crate) fn client_config(
    insecure: bool,
    ca_file: Option<&Path>,
) -> Result<(Arc<rustls::ClientConfig>, usize), TlsSetupError> {
    let builder = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsSetupError(format!("the TLS client configuration: {e}")))?;
    let (mut config, roots) = if insecure {
        let verifier = Arc::new(AnyCertificate(provider()));
        (builder.dangerous().with_custom_certificate_verifier(verifier).with_no_client_auth(), 0)
    } else {
        let mut store = RootCertStore::empty();
        // Unreadable system certificates are skipped: the ones that load still verify, and a
        // server none of them vouches for fails with UnknownIssuer, which the error explains.
        let native = rustls_native_certs::load_native_certs();
        store.add_parsable_certificates(native.certs);
        if let Some(path) = ca_file {
            let certs = CertificateDer::pem_file_iter(path)
                .and_then(Iterator::collect::<Result<Vec<_>, _>>)
                .map_err(|e| TlsSetupError(format!("cannot read the CA file {}: {e}", path.display())))?;
            if certs.is_empty() {
                return Err(TlsSetupError(format!("the CA file {} holds no certificate", path.display())));
            }
            for cert in certs {
                store
                    .add(cert)
                    .map_err(|e| TlsSetupError(format!("a certificate of the CA file {}: {e}", path.display())))?;
            }
        }
        let roots = store.len();
        (builder.with_root_certificates(store).with_no_client_auth(), roots)
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok((Arc::new(config), roots))
}

/// `insecure`: accepts any server certificate, but still checks that the server holds the
/// key of the certificate it sent (the handshake signature), so a TLS stack bug still fails.
#[derive(Debug)]
struct AnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
