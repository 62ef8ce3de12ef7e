//! `preau serve`: the appliance.

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use hyper_util::rt::TokioExecutor;

use anyhow::Context;
use clap::Args;
use tracing_subscriber::EnvFilter;

use crate::config::{Config, HttpConfig, LogFormat};
use crate::control::{self, listener::ControlListener};
use crate::directory::{inbox::Inbox, scheduler::Scheduler};
use crate::relay::NotificationTask;
use crate::{demo, http};

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on (overrides `[server] listen`).
    #[arg(long)]
    pub listen: Option<SocketAddr>,
    /// Seed the demo collège on first start (an empty store).
    #[arg(long)]
    pub demo: bool,
    /// Log as JSON lines instead of human-readable text.
    #[arg(long)]
    pub log_json: bool,
}

pub fn run(data: &Path, mut config: Config, args: ServeArgs) -> anyhow::Result<ExitCode> {
    if let Some(listen) = args.listen {
        config.server.listen = listen;
    }
    if args.log_json {
        config.log.format = LogFormat::Json;
    }
    let monitoring = std::sync::Arc::new(crate::monitoring::Monitoring::default());
    init_logging(&config, &monitoring);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Blocking work (searches, password hashing, imports, file writes) is CPU- or
        // memory-bound: more threads than a few per core only add memory (each keeps its own
        // allocator pages; an argon2 hash takes 19 MiB), never throughput. Beyond this, work
        // waits its turn.
        .max_blocking_threads(blocking_threads())
        .build()
        .context("cannot start the async runtime")?;
    let stopped = runtime.block_on(serve(data, config, args.demo, monitoring))?;
    // Blocking work still running (a search, a hash) has this long to end.
    runtime.shutdown_timeout(Duration::from_secs(5));
    match stopped {
        Stopped::Asked => Ok(ExitCode::SUCCESS),
        Stopped::Installed => restart(),
    }
}

/// Why the server stopped.
enum Stopped {
    /// SIGTERM or Ctrl-C.
    Asked,
    /// The installation page is done: start again with its choices.
    Installed,
}

/// Replaces this process with a fresh `preau` of the same arguments (same process id: systemd
/// and whoever started it see the same service), which reads the installation's choices.
fn restart() -> anyhow::Result<ExitCode> {
    use std::os::unix::process::CommandExt;
    let binary = std::env::current_exe().context("cannot find the running binary")?;
    tracing::info!("restarting with the installation's settings");
    let error = std::process::Command::new(binary)
        .args(std::env::args_os().skip(1))
        .exec();
    Err(anyhow::Error::new(error).context("cannot restart after the installation"))
}

fn init_logging(config: &Config, monitoring: &crate::monitoring::Monitoring) {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let filter = EnvFilter::try_new(&config.log.level).unwrap_or_else(|_| EnvFilter::new("info"));
    // Standard error, as documented: standard output is for what the commands print (the demo
    // accounts). Under systemd, journald keeps and rotates it.
    let format = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let registry = tracing_subscriber::registry()
        .with(filter)
        .with(monitoring.errors.layer());
    match config.log.format {
        LogFormat::Json => registry.with(format.json()).init(),
        LogFormat::Text => registry.with(format).init(),
    }
}

async fn serve(
    data: &Path,
    config: Config,
    seed_demo: bool,
    monitoring: std::sync::Arc<crate::monitoring::Monitoring>,
) -> anyhow::Result<Stopped> {
    let listen = config.server.listen;
    let http_config = config.http.clone();
    let tls_config = config.tls.clone();
    let tls = crate::tls::server_config(&tls_config, data).await?;
    if tls.is_some() {
        monitoring.set_certificate(certificate_info(&tls_config, data));
    }
    control::listener::claim(data)?;
    let domain = super::open_domain(data, config)?;
    let mut seeded = false;
    if seed_demo {
        let seeding = domain.clone();
        seeded = tokio::task::spawn_blocking(move || demo::seed_if_empty(&seeding))
            .await
            .context("demo seeding panicked")??;
        if seeded {
            domain.tables().flush().await?;
        }
        demo::print_accounts();
    }
    // Attached after seeding, so that the demo's resources are indexed in one pass.
    let domain = super::attach_search(domain, data, seeded).await?;
    // Before any clone: every part of the server tells the open tabs of a new count.
    let live = http::live::LiveCounts::new();
    let domain = domain.with_unseen_observer(live.clone());
    let scheduler = Scheduler::start(domain.clone(), Inbox::of(data));
    let notifications = NotificationTask::start(domain.clone())
        .context("cannot start the e-mail relay of notifications")?;
    let backups = crate::backup::nightly::NightlyBackup::start(domain.clone(), data.to_owned());
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let local = listener.local_addr()?;
    // Once nothing else can fail at start: a socket left behind would be stale.
    let control = ControlListener::start(data, domain.clone())?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    let installation = waiting_installation(&domain, data, scheme, local)?;
    let restart_asked = installation
        .as_ref()
        .map(|installation| installation.restart_asked());
    let app = http::router(
        http::AppState::new(domain.clone(), tls.is_some(), data, live.clone())
            .with_installation(installation)
            .with_monitoring(monitoring.clone()),
    )
    .into_make_service_with_connect_info::<SocketAddr>();
    tracing::info!(
        address = %local,
        mimalloc_purge_delay_ms = crate::memory::purge_delay(),
        "Préau is ready: {scheme}://{local}/"
    );
    crate::systemd::ready(&domain);
    http::watch_single_logout(domain.clone(), live.closing());
    let handle = axum_server::Handle::new();
    let stopper = handle.clone();
    let installed = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let noted = installed.clone();
    tokio::spawn(async move {
        let restarting = match restart_asked {
            Some(restart) => tokio::select! {
                () = shutdown_signal() => false,
                () = restart.cancelled() => true,
            },
            None => {
                shutdown_signal().await;
                false
            }
        };
        if restarting {
            // The same process goes on (exec): systemd is not told of a stop.
            noted.store(true, std::sync::atomic::Ordering::Release);
        } else {
            crate::systemd::stopping();
        }
        // Live streams never end on their own: they end first, so that draining waits for
        // real requests only.
        live.close();
        stopper.graceful_shutdown(Some(DRAIN_TIMEOUT));
    });
    if let Some(served) = tls.clone() {
        let data = data.to_owned();
        tokio::spawn(reload_certificate_on_hangup(
            served, tls_config, data, monitoring,
        ));
    }
    let listener = listener.into_std()?;
    match tls {
        None => {
            let mut server = axum_server::from_tcp(listener)?;
            bound_connections(server.http_builder(), &http_config);
            server
                .first_request_timeout(http_config.header_timeout)
                .handle(handle)
                .serve(app)
                .await
                .context("server error")?;
        }
        Some(tls) => {
            let mut server = axum_server::tls_rustls::from_tcp_rustls(listener, tls)?;
            bound_connections(server.http_builder(), &http_config);
            server
                .first_request_timeout(http_config.header_timeout)
                .handle(handle)
                .serve(app)
                .await
                .context("server error")?;
        }
    }
    if let Some(control) = control {
        control.stop().await;
    }
    scheduler.stop().await;
    notifications.stop().await;
    backups.stop().await;
    tracing::info!("draining done, flushing the store");
    domain.tables().flush().await?;
    tracing::info!("stopped");
    if installed.load(std::sync::atomic::Ordering::Acquire) {
        return Ok(Stopped::Installed);
    }
    Ok(Stopped::Asked)
}

/// On a box with no administrator: the installation, its token written to the log.
fn waiting_installation(
    domain: &crate::domain::Domain,
    data: &Path,
    scheme: &str,
    local: SocketAddr,
) -> anyhow::Result<Option<std::sync::Arc<crate::installation::Installation>>> {
    if domain.accounts().has_administrator()? {
        return Ok(None);
    }
    let explicit = domain.config().explicit.clone();
    let (installation, token) = crate::installation::Installation::open(data, explicit);
    tracing::warn!(
        "no administrator yet: open {scheme}://{local}/installation?jeton={token} from the \
         school's network (installation token: {token})"
    );
    Ok(Some(std::sync::Arc::new(installation)))
}

/// The served certificate's fingerprint and expiry, for the administration page.
fn certificate_info(
    tls: &crate::config::TlsConfig,
    data: &Path,
) -> Option<crate::monitoring::certificate::CertificateInfo> {
    let (cert, _) = crate::tls::pem_files(tls, data).ok().flatten()?;
    crate::monitoring::certificate::CertificateInfo::from_pem_file(&cert)
        .map_err(|error| tracing::warn!(%error, "cannot read the served certificate"))
        .ok()
}

/// SIGHUP (`systemctl reload preau`): the certificate files are read again, so that a renewed
/// certificate is served without a restart. A file that does not load leaves the served one.
async fn reload_certificate_on_hangup(
    served: axum_server::tls_rustls::RustlsConfig,
    tls: crate::config::TlsConfig,
    data: std::path::PathBuf,
    monitoring: std::sync::Arc<crate::monitoring::Monitoring>,
) {
    let mut hangups = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()) {
        Ok(signal) => signal,
        Err(error) => {
            tracing::warn!(%error, "cannot listen for SIGHUP: certificate reload disabled");
            return;
        }
    };
    while hangups.recv().await.is_some() {
        match crate::tls::reload(&served, &tls, &data).await {
            Ok(_) => {
                let info = certificate_info(&tls, &data);
                tracing::info!(
                    fingerprint = info.as_ref().map_or("?", |info| info.fingerprint.as_str()),
                    "TLS certificate reloaded"
                );
                monitoring.set_certificate(info);
            }
            Err(error) => {
                tracing::error!(%error, "TLS certificate reload failed: the previous one is still served");
            }
        }
    }
}

/// How long running requests may take to finish once a stop is requested.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(30);
/// Requests one HTTP/2 connection may have in flight: a page and its assets, not a flood.
const HTTP2_MAX_STREAMS: u32 = 64;

/// Bounds what one connection may hold, whatever its protocol: a client that trickles the
/// bytes of a request's head cannot hold a connection past `[http] header_timeout` (a request
/// body that stops flowing is cut in the router, after `[http] body_idle_timeout`).
fn bound_connections(
    builder: &mut hyper_util::server::conn::auto::Builder<TokioExecutor>,
    config: &HttpConfig,
) {
    builder
        .http1()
        .header_read_timeout(config.header_timeout)
        .max_buf_size(64 << 10);
    builder
        .http2()
        .max_concurrent_streams(HTTP2_MAX_STREAMS)
        .keep_alive_interval(Duration::from_secs(30))
        .keep_alive_timeout(Duration::from_secs(20));
}

/// SIGTERM (systemd, `kill`) or Ctrl-C: stop accepting, let running requests finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested");
}

/// Threads for blocking work: one per core, plus two so that a slow file write never waits
/// behind a full set of searches for long.
fn blocking_threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    cores + 2
}
