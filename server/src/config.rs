//! One typed configuration: defaults, then what the installation page chose
//! (`data/installation.toml`), then the TOML file, then `PREAU_*` environment overrides,
//! validated once at start. Every key is listed in `docs/configuration.md`.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Deserializer};

use crate::directory::schedule::Schedule;
use crate::directory::source::SyncSource;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub server: ServerConfig,
    pub http: HttpConfig,
    pub establishment: EstablishmentConfig,
    pub session: SessionConfig,
    pub security: SecurityConfig,
    pub log: LogConfig,
    pub store: StoreConfig,
    pub tls: TlsConfig,
    pub directory: DirectoryConfig,
    pub files: FilesConfig,
    pub notifications: NotificationsConfig,
    pub backup: BackupConfig,
    pub monitoring: MonitoringConfig,
    pub cas: CasConfig,
    /// The `section.key`s the file or the environment set: the installation page shows them
    /// and does not ask for them.
    #[serde(skip)]
    pub explicit: std::collections::BTreeSet<String>,
    /// The file this was read from, if any: backups carry a copy of it.
    #[serde(skip)]
    pub source_file: Option<std::path::PathBuf>,
}

/// `/metrics` and the health shown on the administration page (`crate::monitoring`).
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MonitoringConfig {
    /// A secret a monitoring system sends as `Authorization: Bearer …` to read `/metrics` from
    /// another machine; without it, only the box itself (loopback) may.
    pub metrics_token: Option<String>,
    /// The administration page warns when the data directory's file system has less free
    /// space than this, in percent.
    pub disk_warning_percent: u8,
}

impl Default for MonitoringConfig {
    fn default() -> Self {
        Self {
            metrics_token: None,
            disk_warning_percent: 10,
        }
    }
}

/// The CAS server (`crate::domain::cas`): how long a service ticket works, and the services
/// registered by the file.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CasConfig {
    /// At most 5 minutes (the protocol's limit), longer than zero.
    #[serde(deserialize_with = "duration")]
    pub ticket_lifetime: Duration,
    /// `[[cas.services]]`.
    pub services: Vec<crate::domain::cas::service::CasService>,
    /// A PEM file of certificate authorities trusted for the services' proxy callbacks, beside
    /// the public ones (an académie's own authority, say).
    pub proxy_callback_ca: Option<std::path::PathBuf>,
    /// That file's contents, read and checked as the configuration loads.
    #[serde(skip)]
    pub proxy_callback_ca_pem: Option<Vec<u8>>,
}

impl Default for CasConfig {
    fn default() -> Self {
        Self {
            ticket_lifetime: Duration::from_secs(300),
            services: Vec::new(),
            proxy_callback_ca: None,
            proxy_callback_ca_pem: None,
        }
    }
}

impl CasConfig {
    /// Reads `proxy_callback_ca`: a file that cannot be read, or holds no certificate, stops
    /// the start with a clear message rather than leave proxies failing later.
    fn read_proxy_callback_ca(&mut self) -> Result<(), ConfigError> {
        let Some(path) = &self.proxy_callback_ca else {
            return Ok(());
        };
        let pem = std::fs::read(path).map_err(|source| ConfigError::Read {
            path: path.display().to_string(),
            source,
        })?;
        let certificates = reqwest::Certificate::from_pem_bundle(&pem).map_err(|error| {
            ConfigError::Invalid(format!(
                "cas.proxy_callback_ca: {} is not a PEM file of certificates: {error}",
                path.display()
            ))
        })?;
        if certificates.is_empty() {
            return Err(ConfigError::Invalid(format!(
                "cas.proxy_callback_ca: {} holds no certificate",
                path.display()
            )));
        }
        self.proxy_callback_ca_pem = Some(pem);
        Ok(())
    }
}

/// Nightly backups into `data/backups/` (`crate::backup::nightly`).
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BackupConfig {
    /// `"01:30"` (daily, Europe/Paris), an interval like `"12h"`, or `"off"`.
    #[serde(deserialize_with = "parsed")]
    pub schedule: Schedule,
    /// Nightly backups kept one a day, for this many of the last days.
    pub keep_daily: usize,
    /// Then one a week, for this many weeks.
    pub keep_weekly: usize,
    /// A mounted folder (USB disk, NAS) each nightly backup is also copied to.
    pub copy_to: Option<std::path::PathBuf>,
}

impl Default for BackupConfig {
    fn default() -> Self {
        Self {
            // 01:30: before the directory sync at 02:30, when nobody is signed in.
            schedule: Schedule::Daily(
                chrono::NaiveTime::from_hms_opt(1, 30, 0).unwrap_or_default(),
            ),
            keep_daily: 7,
            keep_weekly: 4,
            copy_to: None,
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Address and port to listen on.
    pub listen: SocketAddr,
}

/// How requests reach Préau.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpConfig {
    /// Reverse proxies (addresses or CIDR ranges) whose `X-Forwarded-For`/`Forwarded` and
    /// `X-Forwarded-Proto` are believed; from any other peer they are ignored.
    #[serde(deserialize_with = "networks")]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// A connection must send a request's head within this (and its first request within it
    /// once accepted); an idle kept-alive connection is closed after it.
    #[serde(deserialize_with = "duration")]
    pub header_timeout: Duration,
    /// A request body that sends nothing for this long is cut.
    #[serde(deserialize_with = "duration")]
    pub body_idle_timeout: Duration,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            trusted_proxies: Vec::new(),
            header_timeout: Duration::from_secs(15),
            body_idle_timeout: Duration::from_secs(30),
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EstablishmentConfig {
    /// UAI of the establishment this appliance serves, e.g. `0130042X`.
    #[serde(deserialize_with = "text")]
    pub uai: Option<String>,
    /// Name shown before the first directory import.
    #[serde(deserialize_with = "text")]
    pub name: Option<String>,
    /// School holiday zone (`"A"`, `"B"` or `"C"`); by default, the zone of the académie the
    /// directory names.
    pub zone: Option<crate::domain::timetable::calendar::Zone>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SessionConfig {
    #[serde(deserialize_with = "duration")]
    pub idle_timeout: Duration,
    #[serde(deserialize_with = "duration")]
    pub absolute_timeout: Duration,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SecurityConfig {
    pub min_password_length: usize,
    pub login_failures_per_account: u32,
    pub login_failures_per_address: u32,
    #[serde(deserialize_with = "duration")]
    pub login_throttle_window: Duration,
    /// How long an activation code works after it was issued.
    #[serde(deserialize_with = "duration")]
    pub activation_code_lifetime: Duration,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    pub format: LogFormat,
    /// A `tracing` filter, e.g. `info` or `preau_server=debug,info`.
    pub level: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// HTTPS with rustls. Session cookies get `Secure` whenever TLS is on.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TlsConfig {
    pub mode: TlsMode,
    /// PEM certificate chain, for `mode = "files"`.
    pub cert: Option<std::path::PathBuf>,
    /// PEM private key, for `mode = "files"`.
    pub key: Option<std::path::PathBuf>,
    /// Names the self-signed certificate is valid for (besides `localhost` and 127.0.0.1).
    #[serde(deserialize_with = "names")]
    pub hostnames: Vec<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TlsMode {
    /// Plain HTTP (behind a reverse proxy, or for trying Préau out).
    #[default]
    Off,
    /// A certificate generated on first start into `data/tls/`.
    SelfSigned,
    /// The certificate and key files named by `cert` and `key`.
    Files,
}

/// The directory sync: where the académie's feed comes from and when it is imported.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DirectoryConfig {
    /// A folder, or an `https://` URL; the data directory's `inbox/` by default.
    #[serde(deserialize_with = "parsed")]
    pub source: SyncSource,
    /// `"02:30"` (daily, Europe/Paris), an interval like `"6h"`, or `"off"`.
    #[serde(deserialize_with = "parsed")]
    pub schedule: Schedule,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StoreConfig {
    /// sled page cache, in MiB (sled's own default of 1 GiB is far too much for the box).
    pub cache_size_mb: u64,
}

/// Uploaded files (resource documents and packages), kept under `data/files/`.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FilesConfig {
    /// Largest single upload, in MiB.
    pub max_upload_mb: u64,
    /// What one person's resources may hold in files, in MiB.
    pub quota_per_user_mb: u64,
    /// What the whole establishment may hold in files, in MiB.
    pub quota_establishment_mb: u64,
}

impl FilesConfig {
    pub fn max_upload_bytes(&self) -> u64 {
        self.max_upload_mb << 20
    }
}

impl Default for FilesConfig {
    fn default() -> Self {
        Self {
            max_upload_mb: 256,
            quota_per_user_mb: 2048,
            quota_establishment_mb: 51_200,
        }
    }
}

/// Notifications, and their relay by e-mail: off until an SMTP server is named.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NotificationsConfig {
    /// The SMTP server digests go through; none: nothing is e-mailed.
    #[serde(deserialize_with = "text")]
    pub smtp_host: Option<String>,
    /// By default 25 without TLS, 587 with STARTTLS, 465 with TLS.
    pub smtp_port: Option<u16>,
    pub smtp_tls: SmtpTls,
    #[serde(deserialize_with = "text")]
    pub smtp_username: Option<String>,
    #[serde(deserialize_with = "secret")]
    pub smtp_password: Option<Secret>,
    /// The sender of digests, e.g. `ENT du collège <ent@college.fr>`.
    #[serde(deserialize_with = "text")]
    pub email_from: Option<String>,
    /// How often each person may get a digest (and how often feeds are pruned).
    #[serde(deserialize_with = "duration")]
    pub digest_interval: Duration,
    /// The ENT's address as people reach it (`https://ent.college.fr`), for the links of
    /// digests; none: digests list titles only.
    #[serde(deserialize_with = "text")]
    pub site_url: Option<String>,
}

impl NotificationsConfig {
    /// Whether notifications are relayed by e-mail.
    pub fn relay_enabled(&self) -> bool {
        self.smtp_host
            .as_deref()
            .is_some_and(|host| !host.is_empty())
    }

    pub fn smtp_port(&self) -> u16 {
        self.smtp_port.unwrap_or(match self.smtp_tls {
            SmtpTls::None => 25,
            SmtpTls::Starttls => 587,
            SmtpTls::Tls => 465,
        })
    }
}

impl Default for NotificationsConfig {
    fn default() -> Self {
        Self {
            smtp_host: None,
            smtp_port: None,
            smtp_tls: SmtpTls::default(),
            smtp_username: None,
            smtp_password: None,
            email_from: None,
            digest_interval: Duration::from_secs(3600),
            site_url: None,
        }
    }
}

/// How the connection to the SMTP server is protected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    /// Plain text: a relay on the box itself or on a trusted network only.
    None,
    /// Plain, then upgraded to TLS by STARTTLS, which is required.
    #[default]
    Starttls,
    /// TLS from the first byte (SMTPS).
    Tls,
}

/// A value never written out, not even in a debug print of the configuration.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("\"***\"")
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 3000)),
        }
    }
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            idle_timeout: Duration::from_secs(2 * 3600),
            absolute_timeout: Duration::from_secs(12 * 3600),
        }
    }
}

impl Default for SecurityConfig {
    fn default() -> Self {
        Self {
            min_password_length: 8,
            login_failures_per_account: 5,
            login_failures_per_address: 30,
            login_throttle_window: Duration::from_secs(15 * 60),
            // A school term and its holidays: sheets handed out in September still work after
            // the All Saints' break.
            activation_code_lifetime: Duration::from_secs(90 * 24 * 3600),
        }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            format: LogFormat::Text,
            level: "info".to_owned(),
        }
    }
}

impl Default for StoreConfig {
    fn default() -> Self {
        Self { cache_size_mb: 64 }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read configuration file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

/// Environment variables that are CLI options, not configuration keys.
const CLI_VARIABLES: &[&str] = &["PREAU_DATA", "PREAU_CONFIG"];

impl Config {
    /// Loads `file` (if any), then applies the `PREAU_*` variables of `env`.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        Self::load_installed(None, file, env)
    }

    /// As [`Config::load`], over what the installation page wrote in `installed` (if the file
    /// exists): the file and the environment win, key by key.
    pub fn load_installed(
        installed: Option<&Path>,
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let explicit = Self::explicit_table(file, env)?;
        let mut table = match installed.filter(|path| path.is_file()) {
            Some(path) => read_table(path)?,
            None => toml::Table::new(),
        };
        let mut keys = std::collections::BTreeSet::new();
        for (section, value) in explicit {
            match (value, table.get_mut(&section)) {
                (toml::Value::Table(fields), Some(toml::Value::Table(base))) => {
                    for (key, value) in fields {
                        keys.insert(format!("{section}.{key}"));
                        base.insert(key, value);
                    }
                }
                (value, _) => {
                    if let toml::Value::Table(fields) = &value {
                        keys.extend(fields.keys().map(|key| format!("{section}.{key}")));
                    }
                    table.insert(section, value);
                }
            }
        }
        let mut config: Config = toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| ConfigError::Invalid(e.message().to_owned()))?;
        config.validate()?;
        config.cas.read_proxy_callback_ca()?;
        config.explicit = keys;
        config.source_file = file.map(Path::to_path_buf);
        Ok(config)
    }

    /// What `file` and `env` set.
    fn explicit_table(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<toml::Table, ConfigError> {
        let mut table = match file {
            Some(path) => read_table(path)?,
            None => toml::Table::new(),
        };
        for (name, value) in env {
            if CLI_VARIABLES.contains(&name.as_str()) {
                continue;
            }
            if let Some(rest) = name.strip_prefix("PREAU_") {
                apply_override(&mut table, &name, rest, &value)?;
            }
        }
        Ok(table)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if self.security.min_password_length < 6 {
            return Err(ConfigError::Invalid(
                "security.min_password_length must be at least 6".to_owned(),
            ));
        }
        if self.security.login_failures_per_account == 0
            || self.security.login_failures_per_address == 0
        {
            return Err(ConfigError::Invalid(
                "security.login_failures_* must be at least 1".to_owned(),
            ));
        }
        if self.http.header_timeout.is_zero() || self.http.body_idle_timeout.is_zero() {
            return Err(ConfigError::Invalid(
                "http timeouts must be longer than zero".to_owned(),
            ));
        }
        if self.security.activation_code_lifetime.is_zero() {
            return Err(ConfigError::Invalid(
                "security.activation_code_lifetime must be longer than zero".to_owned(),
            ));
        }
        if self.session.idle_timeout.is_zero() || self.session.absolute_timeout.is_zero() {
            return Err(ConfigError::Invalid(
                "session timeouts must be longer than zero".to_owned(),
            ));
        }
        if self.files.max_upload_mb == 0 || self.files.max_upload_mb > 4096 {
            return Err(ConfigError::Invalid(
                "files.max_upload_mb must be between 1 and 4096".to_owned(),
            ));
        }
        if self.tls.mode == TlsMode::Files && (self.tls.cert.is_none() || self.tls.key.is_none()) {
            return Err(ConfigError::Invalid(
                "tls.mode = \"files\" needs tls.cert and tls.key".to_owned(),
            ));
        }
        self.validate_notifications()?;
        if self
            .monitoring
            .metrics_token
            .as_ref()
            .is_some_and(|token| token.len() < 16)
        {
            return Err(ConfigError::Invalid(
                "monitoring.metrics_token must be at least 16 characters".to_owned(),
            ));
        }
        if self.monitoring.disk_warning_percent > 90 {
            return Err(ConfigError::Invalid(
                "monitoring.disk_warning_percent must be at most 90".to_owned(),
            ));
        }
        if self.cas.ticket_lifetime.is_zero() || self.cas.ticket_lifetime > Duration::from_secs(300)
        {
            return Err(ConfigError::Invalid(
                "cas.ticket_lifetime must be longer than zero and at most 5m".to_owned(),
            ));
        }
        if let Some(unnamed) = self.cas.services.iter().find(|s| s.name.trim().is_empty()) {
            return Err(ConfigError::Invalid(format!(
                "cas.services: the service of {} has no name",
                unnamed.url.as_str()
            )));
        }
        if self.backup.keep_daily == 0 {
            return Err(ConfigError::Invalid(
                "backup.keep_daily must be at least 1".to_owned(),
            ));
        }
        if let Some(uai) = &self.establishment.uai {
            let valid = uai.len() == 8
                && uai[..7].bytes().all(|b| b.is_ascii_digit())
                && uai.as_bytes()[7].is_ascii_uppercase();
            if !valid {
                return Err(ConfigError::Invalid(format!(
                    "establishment.uai {uai:?} is not a UAI (7 digits and a capital letter)"
                )));
            }
        }
        Ok(())
    }
}

impl Config {
    fn validate_notifications(&self) -> Result<(), ConfigError> {
        let notifications = &self.notifications;
        if notifications.digest_interval.is_zero() {
            return Err(ConfigError::Invalid(
                "notifications.digest_interval must be longer than zero".to_owned(),
            ));
        }
        if let Some(url) = &notifications.site_url {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(ConfigError::Invalid(format!(
                    "notifications.site_url {url:?} is not an http(s) address"
                )));
            }
        }
        if !notifications.relay_enabled() {
            return Ok(());
        }
        let from = notifications.email_from.as_deref().unwrap_or_default();
        if from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(ConfigError::Invalid(format!(
                "notifications.email_from {from:?} is not an e-mail address (needed with smtp_host)"
            )));
        }
        if notifications.smtp_username.is_some() != notifications.smtp_password.is_some() {
            return Err(ConfigError::Invalid(
                "notifications.smtp_username and smtp_password go together".to_owned(),
            ));
        }
        Ok(())
    }
}

/// `PREAU_SESSION_IDLE_TIMEOUT=30m` sets `[session] idle_timeout`. Section names have no
/// underscore, so the first one separates section from key.
fn read_table(path: &Path) -> Result<toml::Table, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.display().to_string(),
        source,
    })?;
    text.parse::<toml::Table>()
        .map_err(|e| ConfigError::Invalid(format!("{}: {e}", path.display())))
}

fn apply_override(
    table: &mut toml::Table,
    name: &str,
    rest: &str,
    value: &str,
) -> Result<(), ConfigError> {
    let (section, key) = rest
        .split_once('_')
        .ok_or_else(|| ConfigError::Invalid(format!("{name}: expected PREAU_SECTION_KEY")))?;
    let section = section.to_lowercase();
    let key = key.to_lowercase();
    let entry = table
        .entry(section.clone())
        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    let toml::Value::Table(section_table) = entry else {
        return Err(ConfigError::Invalid(format!("[{section}] is not a table")));
    };
    section_table.insert(key, scalar(value));
    Ok(())
}

/// Environment values are strings; numbers and booleans are read as such so that the typed
/// structure accepts them (text fields accept a number back, see [`text`]).
fn scalar(value: &str) -> toml::Value {
    if let Ok(n) = value.parse::<i64>() {
        return toml::Value::Integer(n);
    }
    match value {
        "true" => toml::Value::Boolean(true),
        "false" => toml::Value::Boolean(false),
        _ => toml::Value::String(value.to_owned()),
    }
}

/// A text value that an environment override may have turned into a number.
fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Text {
        String(String),
        Integer(i64),
    }
    Ok(Some(match Text::deserialize(deserializer)? {
        Text::String(s) => s,
        Text::Integer(n) => n.to_string(),
    }))
}

/// A secret, kept out of debug prints.
fn secret<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Secret>, D::Error> {
    Ok(text(deserializer)?.map(Secret))
}

/// A list of names: a TOML array, or a comma-separated string from the environment.
fn names<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Names {
        List(Vec<String>),
        Text(String),
    }
    Ok(match Names::deserialize(deserializer)? {
        Names::List(list) => list,
        Names::Text(text) => text
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::to_owned)
            .collect(),
    })
}

/// Addresses and CIDR ranges (`10.0.0.2`, `192.168.0.0/16`, `::1`), as a list or a
/// comma-separated string; a bare address is a range of one.
fn networks<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<ipnet::IpNet>, D::Error> {
    names(deserializer)?
        .iter()
        .map(|text| {
            text.parse::<ipnet::IpNet>()
                .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| {
                    serde::de::Error::custom(format!("{text:?} is not an IP address or CIDR range"))
                })
        })
        .collect()
}

/// A value read from its text form, which says what is wrong when it does not parse.
fn parsed<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let text = String::deserialize(deserializer)?;
    text.parse().map_err(serde::de::Error::custom)
}

fn duration<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
    let text = String::deserialize(deserializer)?;
    humantime::parse_duration(&text)
        .map_err(|e| serde::de::Error::custom(format!("{text:?} is not a duration ({e})")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cas_services_come_from_the_file_and_a_wildcard_is_refused() {
        use crate::domain::accounts::profile::Profile;
        use crate::domain::cas::service::CasAttribute;
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("preau.toml");
        std::fs::write(
            &file,
            "[[cas.services]]\nname = \"Moodle du collège\"\nurl = \"https://moodle.college.example/\"\nattributes = [\"login\", \"display_name\", \"profile\", \"uai\", \"classes\"]\nprofiles = [\"ELV\", \"ENS\"]\n\n[[cas.services]]\nname = \"CDI\"\nurl = \"https://cdi.college.example/\"\n",
        )
        .expect("writes");
        let config = Config::load(Some(&file), env(&[])).expect("loads");
        assert_eq!(config.cas.ticket_lifetime, Duration::from_secs(300));
        let [moodle, cdi] = &config.cas.services[..] else {
            panic!("two services: {:?}", config.cas.services)
        };
        assert_eq!(moodle.name, "Moodle du collège");
        assert_eq!(moodle.attributes[1], CasAttribute::DisplayName);
        assert_eq!(
            moodle.profiles.as_deref(),
            Some(&[Profile::Eleve, Profile::Enseignant][..])
        );
        assert_eq!((cdi.profiles.as_ref(), cdi.single_logout), (None, false));
        for refused in [
            "[[cas.services]]\nname = \"Tout\"\nurl = \"https://*\"\n",
            "[[cas.services]]\nname = \"Tout\"\nurl = \"*\"\n",
            "[[cas.services]]\nname = \"X\"\nurl = \"https://x.example/\"\nprofiles = [\"PROF\"]\n",
            "[[cas.services]]\nname = \"X\"\nurl = \"https://x.example/\"\nattributes = [\"password\"]\n",
            "[cas]\nticket_lifetime = \"6m\"\n",
        ] {
            std::fs::write(&file, refused).expect("writes");
            assert!(Config::load(Some(&file), env(&[])).is_err(), "{refused}");
        }
    }

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn defaults_apply_without_file_or_environment() {
        let config = Config::load(None, env(&[])).expect("loads");
        assert_eq!(config.server.listen.port(), 3000);
        assert_eq!(config.session.idle_timeout, Duration::from_secs(7200));
        assert_eq!(config.log.format, LogFormat::Text);
        assert_eq!(
            config.security.activation_code_lifetime,
            Duration::from_secs(90 * 86_400)
        );
    }

    #[test]
    fn the_activation_code_lifetime_is_a_duration_from_the_file_or_the_environment() {
        let config = Config::load(
            None,
            env(&[("PREAU_SECURITY_ACTIVATION_CODE_LIFETIME", "30days")]),
        )
        .expect("loads");
        assert_eq!(
            config.security.activation_code_lifetime,
            Duration::from_secs(30 * 86_400)
        );
        for bad in ["0s", "bientôt"] {
            let error = Config::load(
                None,
                env(&[("PREAU_SECURITY_ACTIVATION_CODE_LIFETIME", bad)]),
            )
            .expect_err(bad);
            assert!(
                error.to_string().contains("activation_code_lifetime")
                    || error.to_string().contains(bad),
                "{error}"
            );
        }
    }

    #[test]
    fn the_file_then_the_environment_override_defaults() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("preau.toml");
        std::fs::write(
            &path,
            "[establishment]\nuai = \"0130042X\"\n[session]\nidle_timeout = \"30m\"\n",
        )
        .expect("writes");
        let config = Config::load(
            Some(&path),
            env(&[
                ("PREAU_SESSION_IDLE_TIMEOUT", "45m"),
                ("PREAU_SECURITY_LOGIN_FAILURES_PER_ACCOUNT", "3"),
                ("PREAU_LOG_FORMAT", "json"),
                ("PREAU_DATA", "/var/lib/preau"),
                ("HOME", "/root"),
            ]),
        )
        .expect("loads");
        assert_eq!(config.establishment.uai.as_deref(), Some("0130042X"));
        assert_eq!(config.session.idle_timeout, Duration::from_secs(45 * 60));
        assert_eq!(config.security.login_failures_per_account, 3);
        assert_eq!(config.log.format, LogFormat::Json);
    }

    #[test]
    fn tls_is_configured_from_the_environment_and_files_mode_needs_both_files() {
        let config = Config::load(
            None,
            env(&[
                ("PREAU_TLS_MODE", "self-signed"),
                ("PREAU_TLS_HOSTNAMES", "ent.college.fr, preau.local"),
            ]),
        )
        .expect("loads");
        assert_eq!(config.tls.mode, TlsMode::SelfSigned);
        assert_eq!(config.tls.hostnames, ["ent.college.fr", "preau.local"]);
        let error = Config::load(None, env(&[("PREAU_TLS_MODE", "files")])).expect_err("refused");
        assert!(error.to_string().contains("tls.cert"), "{error}");
    }

    #[test]
    fn trusted_proxies_are_addresses_or_ranges_and_nothing_else() {
        let config = Config::load(
            None,
            env(&[(
                "PREAU_HTTP_TRUSTED_PROXIES",
                "10.0.0.2, 192.168.0.0/16, ::1",
            )]),
        )
        .expect("loads");
        let proxies: Vec<String> = config
            .http
            .trusted_proxies
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(proxies, ["10.0.0.2/32", "192.168.0.0/16", "::1/128"]);
        assert!(Config::load(None, env(&[]))
            .expect("loads")
            .http
            .trusted_proxies
            .is_empty());
        let error = Config::load(None, env(&[("PREAU_HTTP_TRUSTED_PROXIES", "proxy.lan")]))
            .expect_err("refused");
        assert!(error.to_string().contains("proxy.lan"), "{error}");
    }

    #[test]
    fn a_numeric_name_from_the_environment_stays_text() {
        let config =
            Config::load(None, env(&[("PREAU_ESTABLISHMENT_NAME", "1789")])).expect("loads");
        assert_eq!(config.establishment.name.as_deref(), Some("1789"));
    }

    #[test]
    fn the_holiday_zone_is_one_of_three_letters() {
        use crate::domain::timetable::calendar::Zone;
        assert_eq!(
            Config::load(None, env(&[]))
                .expect("loads")
                .establishment
                .zone,
            None
        );
        let config = Config::load(None, env(&[("PREAU_ESTABLISHMENT_ZONE", "C")])).expect("loads");
        assert_eq!(config.establishment.zone, Some(Zone::C));
        let bad =
            Config::load(None, env(&[("PREAU_ESTABLISHMENT_ZONE", "D")])).expect_err("refused");
        assert!(bad.to_string().contains('D'), "{bad}");
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused_with_their_name() {
        let unknown = Config::load(None, env(&[("PREAU_SESSION_IDLE", "3")])).expect_err("refused");
        assert!(unknown.to_string().contains("idle"), "{unknown}");
        let bad = Config::load(None, env(&[("PREAU_SESSION_IDLE_TIMEOUT", "soon")]))
            .expect_err("refused");
        assert!(bad.to_string().contains("soon"), "{bad}");
        let uai =
            Config::load(None, env(&[("PREAU_ESTABLISHMENT_UAI", "13X")])).expect_err("refused");
        assert!(uai.to_string().contains("UAI"), "{uai}");
    }

    #[test]
    fn nightly_backups_run_at_half_past_one_keep_seven_days_and_four_weeks_unless_told() {
        let config = Config::load(None, env(&[])).expect("loads");
        assert_eq!(
            config.backup.schedule.to_string(),
            "every day at 01:30 (Europe/Paris)"
        );
        assert_eq!(
            (config.backup.keep_daily, config.backup.keep_weekly),
            (7, 4)
        );
        assert_eq!(config.backup.copy_to, None);
        let config = Config::load(
            None,
            env(&[
                ("PREAU_BACKUP_SCHEDULE", "off"),
                ("PREAU_BACKUP_KEEP_DAILY", "3"),
                ("PREAU_BACKUP_KEEP_WEEKLY", "0"),
                ("PREAU_BACKUP_COPY_TO", "/media/usb"),
            ]),
        )
        .expect("loads");
        assert_eq!(config.backup.schedule, Schedule::Off);
        assert_eq!(
            (config.backup.keep_daily, config.backup.keep_weekly),
            (3, 0)
        );
        assert_eq!(
            config.backup.copy_to.as_deref(),
            Some(Path::new("/media/usb"))
        );
        let error =
            Config::load(None, env(&[("PREAU_BACKUP_KEEP_DAILY", "0")])).expect_err("refused");
        assert!(error.to_string().contains("backup.keep_daily"), "{error}");
    }

    #[test]
    fn the_e_mail_relay_is_off_by_default_and_needs_a_sender_once_on() {
        let config = Config::load(None, env(&[])).expect("loads");
        assert!(!config.notifications.relay_enabled());
        assert_eq!(
            config.notifications.digest_interval,
            Duration::from_secs(3600)
        );
        let on = env(&[
            ("PREAU_NOTIFICATIONS_SMTP_HOST", "127.0.0.1"),
            ("PREAU_NOTIFICATIONS_SMTP_PORT", "2525"),
            ("PREAU_NOTIFICATIONS_SMTP_TLS", "none"),
            (
                "PREAU_NOTIFICATIONS_EMAIL_FROM",
                "ENT du collège <ent@college.fr>",
            ),
            ("PREAU_NOTIFICATIONS_SMTP_USERNAME", "ent"),
            ("PREAU_NOTIFICATIONS_SMTP_PASSWORD", "s3cret-smtp"),
            ("PREAU_NOTIFICATIONS_DIGEST_INTERVAL", "2s"),
        ]);
        let config = Config::load(None, on).expect("loads");
        assert!(config.notifications.relay_enabled());
        assert_eq!(config.notifications.smtp_port(), 2525);
        assert_eq!(config.notifications.smtp_tls, SmtpTls::None);
        assert_eq!(config.notifications.digest_interval, Duration::from_secs(2));
        assert!(
            !format!("{config:?}").contains("s3cret-smtp"),
            "the password stays out of debug prints"
        );
        let starttls = Config::load(None, env(&[("PREAU_NOTIFICATIONS_SMTP_TLS", "starttls")]))
            .expect("loads");
        assert_eq!(starttls.notifications.smtp_port(), 587);
        for (name, value, named) in [
            (
                "PREAU_NOTIFICATIONS_EMAIL_FROM",
                "pas une adresse",
                "email_from",
            ),
            ("PREAU_NOTIFICATIONS_SMTP_TLS", "ssl", "ssl"),
            (
                "PREAU_NOTIFICATIONS_DIGEST_INTERVAL",
                "0s",
                "digest_interval",
            ),
            ("PREAU_NOTIFICATIONS_SMTP_PASSWORD", "seul", "smtp_username"),
        ] {
            let error = Config::load(
                None,
                env(&[
                    ("PREAU_NOTIFICATIONS_SMTP_HOST", "smtp.college.fr"),
                    ("PREAU_NOTIFICATIONS_EMAIL_FROM", "ent@college.fr"),
                    (name, value),
                ]),
            )
            .expect_err(value);
            assert!(error.to_string().contains(named), "{error}");
        }
    }

    #[test]
    fn the_directory_sync_defaults_to_the_inbox_at_half_past_two_and_is_checked() {
        let config = Config::load(None, env(&[])).expect("loads");
        assert_eq!(config.directory.source, SyncSource::Inbox);
        assert_eq!(config.directory.schedule, "02:30".parse().expect("time"));
        let overridden = env(&[
            ("PREAU_DIRECTORY_SOURCE", "/srv/aaf"),
            ("PREAU_DIRECTORY_SCHEDULE", "6h"),
        ]);
        let config = Config::load(None, overridden).expect("loads");
        assert_eq!(
            config.directory.source,
            SyncSource::Folder("/srv/aaf".into())
        );
        assert_eq!(config.directory.schedule, "6h".parse().expect("interval"));
        for (name, value) in [
            ("PREAU_DIRECTORY_SOURCE", "http://aaf.ac-lyon.fr/a.zip"),
            ("PREAU_DIRECTORY_SCHEDULE", "25:00"),
        ] {
            let error = Config::load(None, env(&[(name, value)])).expect_err(value);
            assert!(error.to_string().contains(value), "{error}");
        }
    }
}
