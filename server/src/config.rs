//! Configuration: one struct, read from the environment once at start-up.
//!
//! Every variable has a default that runs out of the box on a laptop (an SQLite file under
//! `./data/`), and every invalid value is refused with an error naming the variable. The
//! README's "Configuration" table lists the same variables; keep the two in step.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Default listen address: loopback only, so a laptop demo is not exposed to the network.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:3000";
/// Default database: an SQLite file created on first run.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/tao-nguon.db?mode=rwc";
/// Default log filter: our own crates at `info`, the chatty SQL layers quieter.
pub const DEFAULT_LOG: &str = "info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn";
/// Default directory of the built client (`scripts/build-client.sh` writes it).
pub const DEFAULT_SITE_DIR: &str = "target/site";
/// Default request body limit. A whole plan with a 50-cell breakdown and its texts is well
/// under 200 KB of JSON; 1 MiB leaves room for a batch of queued edits.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;
const MIN_BODY_BYTES: usize = 1024;
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;
/// A session secret shorter than this is guessable.
pub const MIN_SECRET_LEN: usize = 32;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines, for a terminal.
    Text,
    /// One JSON object per line, for a log collector.
    Json,
}

/// The secret that signs session tokens. Its `Debug` never prints the value.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionSecret {
    bytes: Vec<u8>,
    generated: bool,
}

impl SessionSecret {
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// True when no secret was configured and a random one was made for this process.
    pub fn is_generated(&self) -> bool {
        self.generated
    }

    /// A fresh random secret, for development and tests.
    ///
    /// # Errors
    /// When the operating system's random source fails.
    pub fn random() -> Result<Self, getrandom::Error> {
        let mut bytes = vec![0u8; 32];
        getrandom::fill(&mut bytes)?;
        Ok(SessionSecret {
            bytes,
            generated: true,
        })
    }
}

impl fmt::Debug for SessionSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionSecret(…)")
    }
}

/// The whole server configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// `TAONGUON_LISTEN`: address and port to listen on.
    pub listen: SocketAddr,
    /// `DATABASE_URL`: `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// `TAONGUON_LOG`: a tracing filter such as `info` or `server=debug,info`.
    pub log: String,
    /// `TAONGUON_LOG_FORMAT`: `text` or `json`.
    pub log_format: LogFormat,
    /// `TAONGUON_SESSION_SECRET`: at least 32 characters; random per start when unset.
    pub session_secret: SessionSecret,
    /// `TAONGUON_SITE_DIR`: the built client (`pkg/`, `favicon.svg`, …).
    pub site_dir: PathBuf,
    /// `TAONGUON_MAX_BODY_BYTES`: largest request body accepted.
    pub max_body_bytes: usize,
    /// `TAONGUON_TRUST_PROXY`: take the client address from `X-Forwarded-For` (only behind a
    /// reverse proxy that sets it).
    pub trust_proxy: bool,
}

/// A variable that is set but cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("biến môi trường {var} = «{value}» không hợp lệ: {reason}")]
pub struct ConfigError {
    pub var: &'static str,
    pub value: String,
    pub reason: String,
}

impl Config {
    /// Reads the configuration from the process environment.
    ///
    /// # Errors
    /// [`ConfigError`] naming the first variable whose value is invalid.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `lookup`, so tests need not touch the real environment.
    ///
    /// # Errors
    /// [`ConfigError`] naming the first variable whose value is invalid.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        // An empty variable counts as unset: `FOO= tao-nguon` is a common way to "clear" one.
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let invalid = |var: &'static str, value: &str, reason: &str| ConfigError {
            var,
            value: value.to_owned(),
            reason: reason.to_owned(),
        };

        let listen = match get("TAONGUON_LISTEN") {
            None => DEFAULT_LISTEN
                .parse()
                .map_err(|_| invalid("TAONGUON_LISTEN", DEFAULT_LISTEN, "giá trị mặc định sai"))?,
            Some(v) => v.trim().parse().map_err(|_| {
                invalid(
                    "TAONGUON_LISTEN",
                    &v,
                    "cần dạng địa-chỉ:cổng, ví dụ 127.0.0.1:3000 hoặc 0.0.0.0:8080",
                )
            })?,
        };

        let database_url = get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        let database_url = database_url.trim().to_owned();
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(invalid(
                "DATABASE_URL",
                &redact_url(&database_url),
                "chỉ hỗ trợ sqlite://… hoặc postgres://…",
            ));
        }

        let log = get("TAONGUON_LOG").unwrap_or_else(|| DEFAULT_LOG.into());
        if let Err(err) = tracing_subscriber::EnvFilter::try_new(&log) {
            return Err(invalid("TAONGUON_LOG", &log, &err.to_string()));
        }

        let log_format = match get("TAONGUON_LOG_FORMAT").as_deref().map(str::trim) {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(invalid(
                    "TAONGUON_LOG_FORMAT",
                    other,
                    "chỉ nhận «text» hoặc «json»",
                ));
            }
        };

        let session_secret = match get("TAONGUON_SESSION_SECRET") {
            Some(v) if v.chars().count() < MIN_SECRET_LEN => {
                return Err(invalid(
                    "TAONGUON_SESSION_SECRET",
                    "(ẩn)",
                    &format!("cần ít nhất {MIN_SECRET_LEN} ký tự ngẫu nhiên"),
                ));
            }
            Some(v) => SessionSecret {
                bytes: v.into_bytes(),
                generated: false,
            },
            None => SessionSecret::random().map_err(|err| {
                invalid(
                    "TAONGUON_SESSION_SECRET",
                    "(chưa đặt)",
                    &format!("không tạo được khóa ngẫu nhiên: {err}"),
                )
            })?,
        };

        let site_dir =
            PathBuf::from(get("TAONGUON_SITE_DIR").unwrap_or_else(|| DEFAULT_SITE_DIR.into()));

        let max_body_bytes = match get("TAONGUON_MAX_BODY_BYTES") {
            None => DEFAULT_MAX_BODY_BYTES,
            Some(v) => match v.trim().parse::<usize>() {
                Ok(n) if (MIN_BODY_BYTES..=MAX_BODY_BYTES).contains(&n) => n,
                _ => {
                    return Err(invalid(
                        "TAONGUON_MAX_BODY_BYTES",
                        &v,
                        &format!("cần một số byte từ {MIN_BODY_BYTES} đến {MAX_BODY_BYTES}"),
                    ));
                }
            },
        };

        let trust_proxy = match get("TAONGUON_TRUST_PROXY").as_deref().map(str::trim) {
            None | Some("false" | "0" | "no") => false,
            Some("true" | "1" | "yes") => true,
            Some(other) => {
                return Err(invalid(
                    "TAONGUON_TRUST_PROXY",
                    other,
                    "chỉ nhận «true» hoặc «false»",
                ));
            }
        };

        Ok(Config {
            listen,
            database_url,
            log,
            log_format,
            session_secret,
            site_dir,
            max_body_bytes,
            trust_proxy,
        })
    }

    /// The database URL with any password hidden, for logs.
    pub fn database_url_redacted(&self) -> String {
        redact_url(&self.database_url)
    }
}

/// Hides the password of `scheme://user:password@host/…`.
fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((credentials, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config_from(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_run_out_of_the_box_on_sqlite() {
        let config = config_from(&[]).expect("defaults are valid");
        assert_eq!(config.listen.to_string(), DEFAULT_LISTEN);
        assert_eq!(config.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(config.log_format, LogFormat::Text);
        assert!(config.session_secret.is_generated());
        assert_eq!(config.session_secret.as_bytes().len(), 32);
        assert_eq!(config.max_body_bytes, DEFAULT_MAX_BODY_BYTES);
    }

    #[test]
    fn each_invalid_variable_is_named_in_the_error() {
        let cases = [
            ("TAONGUON_LISTEN", "localhost"),
            ("DATABASE_URL", "mysql://root@localhost/test"),
            ("TAONGUON_LOG", "server=loud"),
            ("TAONGUON_LOG_FORMAT", "xml"),
            ("TAONGUON_SESSION_SECRET", "short"),
            ("TAONGUON_MAX_BODY_BYTES", "12"),
            ("TAONGUON_MAX_BODY_BYTES", "lots"),
            ("TAONGUON_TRUST_PROXY", "maybe"),
        ];
        for (var, value) in cases {
            let err = config_from(&[(var, value)]).expect_err(var);
            assert_eq!(err.var, var);
            assert!(err.to_string().contains(var), "{err}");
        }
    }

    #[test]
    fn secrets_and_passwords_never_reach_error_messages_or_debug_output() {
        let err = config_from(&[("TAONGUON_SESSION_SECRET", "hunter2")]).expect_err("short");
        assert!(!err.to_string().contains("hunter2"));

        let err = config_from(&[("DATABASE_URL", "mysql://app:s3cret@db/x")]).expect_err("mysql");
        assert!(!err.to_string().contains("s3cret"), "{err}");

        let secret = "x".repeat(40);
        let config = config_from(&[("TAONGUON_SESSION_SECRET", &secret)]).expect("long enough");
        assert!(!format!("{config:?}").contains(&secret));
        assert!(!config.session_secret.is_generated());
    }

    #[test]
    fn postgres_urls_are_accepted_and_redacted_for_logs() {
        let config = config_from(&[("DATABASE_URL", "postgres://app:pw@db:5432/taonguon")])
            .expect("postgres URL");
        assert_eq!(
            config.database_url_redacted(),
            "postgres://app:***@db:5432/taonguon"
        );
    }

    #[test]
    fn empty_values_count_as_unset() {
        let config = config_from(&[("TAONGUON_LISTEN", ""), ("TAONGUON_LOG_FORMAT", "  ")])
            .expect("empty means default");
        assert_eq!(config.listen.to_string(), DEFAULT_LISTEN);
    }
}
