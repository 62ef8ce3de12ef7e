//! Import benchmark: generates a full AAF export of N accounts (default 2,500), imports it with
//! the real `preau` binary into a fresh store, then imports it again (nothing to change), and
//! prints the wall time and the peak resident memory of each import.
//!
//! `aaf_import_bench [ACCOUNTS…]`; the binary is `PREAU_BIN`, by default the release build.
//! Exits 1 when an import fails or the second one changes something.

use std::error::Error;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use preau_tests::aaf_generator::write_full_export;
use serde_json::Value;

type Result<T, E = Box<dyn Error>> = std::result::Result<T, E>;

const DEFAULT_ACCOUNTS: usize = 2_500;
/// A fixed seed: every run imports the same export.
const SEED: u64 = 2026;
/// How often the child's memory is read; its high-water mark is kept by the kernel, so a
/// coarse period only misses a peak in the last few milliseconds of the run.
const POLL: Duration = Duration::from_millis(5);

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("aaf_import_bench: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let mut sizes = Vec::new();
    for arg in std::env::args().skip(1) {
        sizes.push(
            arg.parse::<usize>()
                .map_err(|_| format!("'{arg}' is not a number of accounts"))?,
        );
    }
    if sizes.is_empty() {
        sizes.push(DEFAULT_ACCOUNTS);
    }
    let binary = match std::env::var_os("PREAU_BIN") {
        Some(path) => PathBuf::from(path),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/release/preau"),
    };
    if !binary.is_file() {
        return Err(format!("no preau binary at {}", binary.display()).into());
    }
    println!("binary: {}", binary.display());
    println!(
        "{:>8} {:>7} {:>7} {:>6} {:>10} {:>12} {:>11} {:>13}",
        "accounts",
        "pupils",
        "parents",
        "staff",
        "generate s",
        "1st import s",
        "re-import s",
        "peak RSS MiB"
    );
    for accounts in sizes {
        let work = tempfile::Builder::new().prefix("preau-bench-").tempdir()?;
        let export = work.path().join("export");
        let started = Instant::now();
        let summary = write_full_export(&export, accounts, SEED)?;
        let generated = started.elapsed();
        let data = work.path().join("data");
        let first = import(&binary, &data, &export, work.path())?;
        if first.report["created"]["pupils"].as_u64() != Some(summary.pupils as u64) {
            return Err(format!(
                "the first import did not create every pupil: {}",
                first.report
            )
            .into());
        }
        let second = import(&binary, &data, &export, work.path())?;
        for outcome in ["created", "updated", "deactivated", "reactivated"] {
            let counts = second.report[outcome]
                .as_object()
                .cloned()
                .unwrap_or_default();
            if counts.values().any(|n| n.as_u64() != Some(0)) {
                return Err(format!("the re-import changed {outcome}: {}", second.report).into());
            }
        }
        println!(
            "{:>8} {:>7} {:>7} {:>6} {:>10.2} {:>12.2} {:>11.2} {:>13}",
            summary.accounts(),
            summary.pupils,
            summary.parents,
            summary.staff,
            generated.as_secs_f64(),
            first.wall.as_secs_f64(),
            second.wall.as_secs_f64(),
            format!("{:.1} / {:.1}", mib(first.peak_kib), mib(second.peak_kib)),
        );
    }
    println!("(peak RSS: first import / re-import)");
    Ok(())
}

struct Run {
    wall: Duration,
    peak_kib: u64,
    report: Value,
}

/// `preau --data DATA directory import --json EXPORT`, timed, its memory sampled meanwhile.
fn import(binary: &Path, data: &Path, export: &Path, work: &Path) -> Result<Run> {
    let stdout = work.join("report.json");
    let stderr = work.join("stderr.txt");
    let started = Instant::now();
    let mut child = Command::new(binary)
        .arg("--data")
        .arg(data)
        .args(["directory", "import", "--json"])
        .arg(export)
        .env_remove("PREAU_BIN")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        // Files, not pipes: a pipe nobody reads while we wait could stall the child.
        .stdout(File::create(&stdout)?)
        .stderr(File::create(&stderr)?)
        .spawn()?;
    let status_path = PathBuf::from(format!("/proc/{}/status", child.id()));
    let done = AtomicBool::new(false);
    let (status, wall, peak_kib) = thread::scope(|scope| {
        let sampler = scope.spawn(|| {
            let mut peak = 0;
            while !done.load(Ordering::Relaxed) {
                if let Some(kib) = high_water_mark(&status_path) {
                    peak = peak.max(kib);
                }
                thread::sleep(POLL);
            }
            peak
        });
        let status = child.wait();
        let wall = started.elapsed();
        done.store(true, Ordering::Relaxed);
        (status, wall, sampler.join().unwrap_or(0))
    });
    let status = status?;
    let output = std::fs::read_to_string(&stdout)?;
    if !status.success() {
        let errors = std::fs::read_to_string(&stderr)?;
        return Err(format!("the import failed ({status}): {output}{errors}").into());
    }
    let report: Value = serde_json::from_str(&output)?;
    if report["applied"] != Value::Bool(true) {
        return Err(format!("the import was not applied: {report}").into());
    }
    Ok(Run {
        wall,
        peak_kib,
        report,
    })
}

/// `VmHWM` of a running process, in KiB; `None` once it has exited.
fn high_water_mark(status: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(status).ok()?;
    text.lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}
