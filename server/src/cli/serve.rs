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
    init_logging(&config);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Blocking work (searches, password hashing, imports, file writes) is CPU- or
        // memory-bound: more threads than a few per core only add memory (each keeps its own
        // allocator pages; an argon2 hash takes 19 MiB), never throughput. Beyond this, work
        // waits its turn.
        .max_blocking_threads(blocking_threads())
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(serve(data, config, args.demo))
}

fn init_logging(config: &Config) {
    let filter = EnvFilter::try_new(&config.log.level).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match config.log.format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

async fn serve(data: &Path, config: Config, seed_demo: bool) -> anyhow::Result<ExitCode> {
    let listen = config.server.listen;
    let http_config = config.http.clone();
    let tls = crate::tls::server_config(&config.tls, data).await?;
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
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let local = listener.local_addr()?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    let app = http::router(http::AppState::new(
        domain.clone(),
        tls.is_some(),
        data,
        live.clone(),
    ))
    .into_make_service_with_connect_info::<SocketAddr>();
    tracing::info!(
        address = %local,
        mimalloc_purge_delay_ms = crate::memory::purge_delay(),
        "Préau is ready: {scheme}://{local}/"
    );
    crate::systemd::ready(&domain);
    let handle = axum_server::Handle::new();
    let stopper = handle.clone();
    tokio::spawn(async move {
        shutdown_signal().await;
        crate::systemd::stopping();
        // Live streams never end on their own: they end first, so that draining waits for
        // real requests only.
        live.close();
        stopper.graceful_shutdown(Some(DRAIN_TIMEOUT));
    });
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
    scheduler.stop().await;
    notifications.stop().await;
    tracing::info!("draining done, flushing the store");
    domain.tables().flush().await?;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
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
