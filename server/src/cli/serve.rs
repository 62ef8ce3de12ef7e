//! `preau serve`: the appliance.

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use tracing_subscriber::EnvFilter;

use crate::config::{Config, LogFormat};
use crate::directory::{inbox::Inbox, scheduler::Scheduler};
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
    let tls = crate::tls::server_config(&config.tls, data).await?;
    let domain = super::open_domain(data, config)?;
    let mut seeded = false;
    if seed_demo {
        let seeding = domain.clone();
        seeded = tokio::task::spawn_blocking(move || demo::seed_if_empty(&seeding))
            .await
            .context("demo seeding panicked")??;
        if seeded {
            domain.store.flush().await?;
        }
        demo::print_accounts();
    }
    // Attached after seeding, so that the demo's resources are indexed in one pass.
    let domain = super::attach_search(domain, data, seeded).await?;
    let scheduler = Scheduler::start(domain.clone(), Inbox::of(data));
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let local = listener.local_addr()?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    let app = http::router(http::AppState::new(domain.clone(), tls.is_some(), data))
        .into_make_service_with_connect_info::<SocketAddr>();
    tracing::info!(address = %local, "Préau is ready: {scheme}://{local}/");
    match tls {
        None => axum::serve(listener, app)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("server error")?,
        Some(tls) => {
            let handle = axum_server::Handle::new();
            let stopper = handle.clone();
            tokio::spawn(async move {
                shutdown_signal().await;
                stopper.graceful_shutdown(Some(DRAIN_TIMEOUT));
            });
            axum_server::tls_rustls::from_tcp_rustls(listener.into_std()?, tls)?
                .handle(handle)
                .serve(app)
                .await
                .context("server error")?;
        }
    }
    scheduler.stop().await;
    tracing::info!("draining done, flushing the store");
    domain.store.flush().await?;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// How long running requests may take to finish once a stop is requested (TLS server).
const DRAIN_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

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
