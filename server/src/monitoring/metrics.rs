//! `/metrics`: requests by route and status with their latency, counted as they are answered,
//! and the box's state (store size, sessions, accounts, backups, directory sync) read at each
//! scrape. Encoded in the OpenMetrics text format, which Prometheus reads.

use std::time::Duration;

use prometheus_client::encoding::{text, EncodeLabelSet};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct AccountLabels {
    profile: String,
    state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PartLabels {
    part: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct VersionLabels {
    version: &'static str,
}

/// The request counters, shared by every request.
pub struct Metrics {
    requests: Family<RequestLabels, Counter>,
    durations: Family<RouteLabels, Histogram>,
}

/// Latency buckets from 1 ms to about 8 s, doubling.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 14))
}

/// What a scrape reads of the box at that moment.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    pub uptime: Duration,
    /// (part, bytes): store, files, index, backups.
    pub disk_parts: Vec<(&'static str, u64)>,
    pub disk_available: u64,
    pub sessions: usize,
    /// (profile code, state, count).
    pub accounts: Vec<(String, &'static str, usize)>,
    /// Seconds since the epoch of the newest backup file, if any.
    pub last_backup: Option<i64>,
    /// The last nightly run: (when, succeeded).
    pub last_nightly: Option<(i64, bool)>,
    /// The last directory sync or import: (when, applied).
    pub last_sync: Option<(i64, bool)>,
    pub certificate_expiry: Option<i64>,
}

impl Metrics {
    pub fn new() -> Self {
        Self {
            requests: Family::default(),
            durations: Family::new_with_constructor(latency_histogram),
        }
    }

    /// One answered request. `route` is the route's pattern (`/ressources/{id}`), never the
    /// path itself, so that the number of series stays bounded.
    pub fn observe(&self, method: &axum::http::Method, route: &str, status: u16, took: Duration) {
        let method = method_label(method);
        self.requests
            .get_or_create(&RequestLabels {
                method,
                route: route.to_owned(),
                status,
            })
            .inc();
        self.durations
            .get_or_create(&RouteLabels {
                method,
                route: route.to_owned(),
            })
            .observe(took.as_secs_f64());
    }

    /// Every metric, in the OpenMetrics text format.
    pub fn encode(&self, snapshot: &Snapshot) -> Result<String, std::fmt::Error> {
        let mut registry = Registry::with_prefix("preau");
        registry.register(
            "http_requests",
            "HTTP requests answered, by route pattern and status",
            self.requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to the response head, by route pattern",
            self.durations.clone(),
        );
        let build = Family::<VersionLabels, Gauge>::default();
        build
            .get_or_create(&VersionLabels {
                version: env!("CARGO_PKG_VERSION"),
            })
            .set(1);
        registry.register("build_info", "The running version", build);
        gauge(
            &mut registry,
            "uptime_seconds",
            "Seconds since the server started",
            seconds(snapshot.uptime),
        );
        let disk = Family::<PartLabels, Gauge>::default();
        for (part, bytes) in &snapshot.disk_parts {
            disk.get_or_create(&PartLabels { part }).set(clamp(*bytes));
        }
        registry.register(
            "data_bytes",
            "Bytes used by each part of the data directory",
            disk,
        );
        gauge(
            &mut registry,
            "disk_available_bytes",
            "Bytes still free on the data directory's file system",
            clamp(snapshot.disk_available),
        );
        gauge(
            &mut registry,
            "sessions",
            "Sessions in the store",
            clamp(snapshot.sessions as u64),
        );
        let accounts = Family::<AccountLabels, Gauge>::default();
        for (profile, state, count) in &snapshot.accounts {
            accounts
                .get_or_create(&AccountLabels {
                    profile: profile.clone(),
                    state,
                })
                .set(clamp(*count as u64));
        }
        registry.register("accounts", "Accounts by profile and state", accounts);
        if let Some(at) = snapshot.last_backup {
            gauge(
                &mut registry,
                "backup_last_timestamp_seconds",
                "When the newest backup in data/backups was taken",
                at,
            );
        }
        if let Some((at, ok)) = snapshot.last_nightly {
            gauge(
                &mut registry,
                "backup_nightly_last_run_timestamp_seconds",
                "When the last nightly backup ran",
                at,
            );
            gauge(
                &mut registry,
                "backup_nightly_last_success",
                "1 when the last nightly backup (and its copy) succeeded, else 0",
                i64::from(ok),
            );
        }
        if let Some((at, ok)) = snapshot.last_sync {
            gauge(
                &mut registry,
                "directory_sync_last_run_timestamp_seconds",
                "When the last directory sync or import ran",
                at,
            );
            gauge(
                &mut registry,
                "directory_sync_last_success",
                "1 when the last directory sync or import was applied, else 0",
                i64::from(ok),
            );
        }
        if let Some(expiry) = snapshot.certificate_expiry {
            gauge(
                &mut registry,
                "tls_certificate_expiry_timestamp_seconds",
                "When the served certificate expires",
                expiry,
            );
        }
        let mut out = String::new();
        text::encode(&mut out, &registry)?;
        Ok(out)
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

fn gauge(registry: &mut Registry, name: &str, help: &str, value: i64) {
    let gauge = Gauge::<i64>::default();
    gauge.set(value);
    registry.register(name, help, gauge);
}

fn clamp(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

fn seconds(duration: Duration) -> i64 {
    clamp(duration.as_secs())
}

/// The standard methods by name; anything else counts as one, so that a client inventing
/// methods cannot grow the series.
fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_counted_by_route_and_status_with_their_latency() {
        let metrics = Metrics::new();
        let get = axum::http::Method::GET;
        metrics.observe(&get, "/ressources/{id}", 200, Duration::from_millis(3));
        metrics.observe(&get, "/ressources/{id}", 200, Duration::from_millis(5));
        metrics.observe(&get, "/ressources/{id}", 404, Duration::from_millis(1));
        metrics.observe(
            &axum::http::Method::from_bytes(b"BREW").expect("method"),
            "/",
            405,
            Duration::from_millis(1),
        );
        let text = metrics
            .encode(&Snapshot {
                accounts: vec![("ELV".to_owned(), "active", 12)],
                last_nightly: Some((1_700_000_000, false)),
                ..Snapshot::default()
            })
            .expect("encoded");
        assert!(text.contains(
            "preau_http_requests_total{method=\"GET\",route=\"/ressources/{id}\",status=\"200\"} 2"
        ), "{text}");
        assert!(text.contains("status=\"404\"} 1"), "{text}");
        assert!(text.contains("method=\"OTHER\""), "{text}");
        assert!(text.contains(
            "preau_http_request_duration_seconds_count{method=\"GET\",route=\"/ressources/{id}\"} 3"
        ), "{text}");
        assert!(
            text.contains("preau_accounts{profile=\"ELV\",state=\"active\"} 12"),
            "{text}"
        );
        assert!(
            text.contains("preau_backup_nightly_last_success 0"),
            "{text}"
        );
        assert!(
            !text.contains("directory_sync"),
            "no sync yet, no series: {text}"
        );
        assert!(text.ends_with("# EOF\n"), "{text}");
    }
}
