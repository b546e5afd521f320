//! Where `explain` and `verify` get the secrets from: a `--secrets-file` (JSON), or the
//! environment, never the command line (where they would land in shell history).
//!
//! The secrets are the user's configuration, so nothing here ever prints one: a secrets file
//! that does not parse is described by line and column only (`serde_json`'s messages quote
//! the offending value: `invalid type: integer 12345678`, `invalid type: string "…"`, an
//! unknown member's name), and a file that group or others may read gets a warning.

use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use oauth1_vectors::SignSecrets;
use serde::de::DeserializeOwned;

use crate::verify_command::ServerSecrets;

/// The largest secrets file read (1 MiB; a file with an RSA key in it is a few kilobytes).
pub const MAX_SECRETS_FILE_BYTES: u64 = 1 << 20;

/// Why the secrets could not be had. No variant holds or shows a secret: a parse failure keeps
/// the position and the kind of failure, not `serde_json`'s error (whose message quotes the
/// value it could not take), so it is no `source()` either.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `path` (`what`: the secrets file, a key file, the variable naming it) cannot be read.
    #[error("cannot read {what} {}: {source}", path.display())]
    Read {
        /// What the file is to the user.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// `path` is larger than [`MAX_SECRETS_FILE_BYTES`].
    #[error("cannot read {what} {}: larger than {MAX_SECRETS_FILE_BYTES} bytes", path.display())]
    TooLarge {
        /// What the file is to the user.
        what: &'static str,
        /// The file.
        path: PathBuf,
    },
    /// `path` is not UTF-8 text.
    #[error("cannot read {what} {}: not UTF-8 text", path.display())]
    NotUtf8 {
        /// What the file is to the user.
        what: &'static str,
        /// The file.
        path: PathBuf,
    },
    /// The secrets file is not JSON, or not an object of the expected string members.
    #[error("{}: {}; the content is not shown, since it holds secrets", path.display(), describe_parse(*category, *line, *column, members))]
    Parse {
        /// The secrets file.
        path: PathBuf,
        /// What kind of failure.
        category: serde_json::error::Category,
        /// Where (1-based line and column).
        line: usize,
        /// Where (column).
        column: usize,
        /// The members the file may have, in words.
        members: &'static str,
    },
}

/// A parse failure in words, by position only.
fn describe_parse(category: serde_json::error::Category, line: usize, column: usize, members: &str) -> String {
    let at = format!("line {line}, column {column}");
    match category {
        serde_json::error::Category::Syntax => format!("not valid JSON (at {at})"),
        serde_json::error::Category::Eof => format!("not valid JSON (it ends early, at {at})"),
        serde_json::error::Category::Data | serde_json::error::Category::Io => format!(
            "not a secrets object (at {at}): expected a JSON object whose members are among {members}, \
             each a string or null"
        ),
    }
}

/// The client's secrets for `explain`: from `secrets_file` (JSON `{consumer_secret,
/// token_secret, rsa_private_key_pem}`), or else from `OAUTH1_CONSUMER_SECRET`,
/// `OAUTH1_TOKEN_SECRET` and the PEM file `OAUTH1_RSA_PRIVATE_KEY_FILE` names.
///
/// # Errors
///
/// A file that cannot be read or parsed; the message names it and never quotes it.
pub fn signing_secrets(secrets_file: Option<&Path>) -> Result<SignSecrets, Error> {
    if let Some(path) = secrets_file {
        return read_secrets_file(path, "consumer_secret, token_secret and rsa_private_key_pem");
    }
    let rsa_private_key_pem = match std::env::var_os("OAUTH1_RSA_PRIVATE_KEY_FILE") {
        Some(path) => Some(read_secret_text(&PathBuf::from(path), "OAUTH1_RSA_PRIVATE_KEY_FILE")?),
        None => None,
    };
    Ok(SignSecrets {
        consumer_secret: std::env::var("OAUTH1_CONSUMER_SECRET").ok(),
        token_secret: std::env::var("OAUTH1_TOKEN_SECRET").ok(),
        rsa_private_key_pem,
    })
}

/// What the server knows, for `verify`: from `secrets_file` (JSON `{consumer_secret,
/// token_secret, rsa_public_key_pem}`), or else from `OAUTH1_CONSUMER_SECRET` and
/// `OAUTH1_TOKEN_SECRET`; the RSA public key from `rsa_public_key`, else (without a secrets
/// file) from the file `OAUTH1_RSA_PUBLIC_KEY_FILE` names.
///
/// # Errors
///
/// A file that cannot be read or parsed; the message names it and never quotes a secret.
pub fn server_secrets(secrets_file: Option<&Path>, rsa_public_key: Option<&Path>) -> Result<ServerSecrets, Error> {
    let mut secrets = match secrets_file {
        Some(path) => read_secrets_file(path, "consumer_secret, token_secret and rsa_public_key_pem")?,
        None => ServerSecrets {
            consumer_secret: std::env::var("OAUTH1_CONSUMER_SECRET").ok(),
            token_secret: std::env::var("OAUTH1_TOKEN_SECRET").ok(),
            rsa_public_key_pem: None,
        },
    };
    let key_file = rsa_public_key.map(Path::to_owned).or_else(|| match secrets_file {
        None => std::env::var_os("OAUTH1_RSA_PUBLIC_KEY_FILE").map(PathBuf::from),
        Some(_) => None,
    });
    if let Some(path) = key_file {
        // A public key is no secret, but the same bounded read serves.
        secrets.rsa_public_key_pem = Some(read_bounded(&path, "the RSA public key")?);
    }
    Ok(secrets)
}

/// Parses a secrets file of type `T` (a JSON object with the string members `members`),
/// describing a failure by position only.
fn read_secrets_file<T: DeserializeOwned>(path: &Path, members: &'static str) -> Result<T, Error> {
    let text = read_secret_text(path, "the secrets file")?;
    // serde_json's own message is not kept: it quotes the value it could not take.
    serde_json::from_str(&text).map_err(|e| Error::Parse {
        path: path.to_owned(),
        category: e.classify(),
        line: e.line(),
        column: e.column(),
        members,
    })
}

/// Reads a file of secrets, warning (on stderr) when group or others may read it.
fn read_secret_text(path: &Path, what: &'static str) -> Result<String, Error> {
    warn_if_readable_by_others(path, what);
    read_bounded(path, what)
}

/// At most [`MAX_SECRETS_FILE_BYTES`] of `path` as UTF-8. Any kind of file is read (a pipe
/// from `--secrets-file <(pass show …)` is a good way to keep secrets off the disk), but no
/// more than that.
fn read_bounded(path: &Path, what: &'static str) -> Result<String, Error> {
    let read = |source| Error::Read { what, path: path.to_owned(), source };
    let file = fs::File::open(path).map_err(read)?;
    let mut bytes = Vec::new();
    file.take(MAX_SECRETS_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(read)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_SECRETS_FILE_BYTES {
        return Err(Error::TooLarge { what, path: path.to_owned() });
    }
    String::from_utf8(bytes).map_err(|_| Error::NotUtf8 { what, path: path.to_owned() })
}

/// The warning for a regular file whose mode lets group or others read it.
fn warn_if_readable_by_others(path: &Path, what: &str) {
    if let Some(warning) = readable_by_others(path, what) {
        eprintln!("warning: {warning}");
    }
}

#[cfg(unix)]
fn readable_by_others(path: &Path, what: &str) -> Option<String> {
    use std::os::unix::fs::PermissionsExt as _;
    let meta = fs::metadata(path).ok().filter(fs::Metadata::is_file)?;
    let mode = meta.permissions().mode() & 0o777;
    (mode & 0o044 != 0).then(|| {
        format!(
            "{what} {} is readable by {} (mode {mode:03o}); make it private with `chmod 600 {}`",
            path.display(),
            match (mode & 0o040 != 0, mode & 0o004 != 0) {
                (true, true) => "its group and by others",
                (true, false) => "its group",
                _ => "others",
            },
            path.display()
        )
    })
}

#[cfg(not(unix))]
fn readable_by_others(_path: &Path, _what: &str) -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str, text: &str, mode: u32) -> PathBuf {
        use std::os::unix::fs::PermissionsExt as _;
        let path = std::env::temp_dir().join(format!("oauth1-secrets-{}-{name}.json", std::process::id()));
        fs::write(&path, text).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
        path
    }

    /// Each kind of parse failure names the file and the position, and quotes nothing: not
    /// the value of a wrong type, not a string where an object belongs, not a member's name.
    #[test]
    fn a_secrets_file_that_does_not_parse_is_never_echoed() {
        for (name, text) in [
            ("syntax", r#"{"consumer_secret": "sekrit-1234", oops"#),
            ("integer", r#"{"consumer_secret": 987654321}"#),
            ("string", r#""sekrit-1234""#),
            ("member", r#"{"sekrit-1234": "x"}"#),
            ("escape", r#"{"consumer_secret": "sekrit-1234\q"}"#),
            ("eof", r#"{"consumer_secret": "sekrit-1234"#),
        ] {
            let path = scratch(name, text, 0o600);
            for error in [signing_secrets(Some(&path)).unwrap_err(), server_secrets(Some(&path), None).unwrap_err()] {
                assert!(matches!(error, Error::Parse { line: 1, .. }), "{name}: {error:?}");
                let error = error.to_string();
                assert!(error.contains(&path.display().to_string()) && error.contains("line 1, column"), "{error}");
                assert!(!error.contains("sekrit") && !error.contains("987654321"), "{name}: {error}");
            }
            fs::remove_file(&path).unwrap();
        }
        let path = scratch("ok", r#"{"consumer_secret": "cs", "token_secret": null}"#, 0o600);
        let secrets = signing_secrets(Some(&path)).unwrap();
        assert_eq!((secrets.consumer_secret.as_deref(), secrets.token_secret), (Some("cs"), None));
        fs::remove_file(&path).unwrap();
    }

    #[test]
    fn a_secrets_file_others_may_read_is_named_in_a_warning() {
        let private = scratch("private", "{}", 0o600);
        assert_eq!(readable_by_others(&private, "the secrets file"), None);
        let shared = scratch("shared", "{}", 0o644);
        let warning = readable_by_others(&shared, "the secrets file").unwrap();
        assert!(warning.contains("readable by its group and by others (mode 644)"), "{warning}");
        assert!(warning.contains("chmod 600"), "{warning}");
        let group = scratch("group", "{}", 0o640);
        assert!(readable_by_others(&group, "x").unwrap().contains("by its group (mode 640)"));
        for path in [private, shared, group] {
            fs::remove_file(&path).unwrap();
        }
    }
}
