//! Text extraction of untrusted files in a short-lived, confined child process.
//!
//! The PDF parser inflates streams without bound and can loop on a crafted file: in the server,
//! one upload could take the whole appliance down (out-of-memory kill). Under `preau serve`,
//! [`Extractor::Subprocess`] runs `preau internal extract-text` on the staged file instead. The
//! child calls [`confine_this_process`] before it reads a byte of the file; the parent bounds what
//! it reads back and how long it waits. Whatever the file does to the child, the server gets an
//! [`ExtractorError`], and the upload is kept without its text.
//!
//! The child sets its own limits because `CommandExt::pre_exec`, which would set them between
//! `fork` and `exec`, is `unsafe`, and the workspace forbids `unsafe` code; the program is always
//! this binary (`std::env::current_exe`), so the limits hold all the same.

use std::io::{self, Read};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use rustix::process::{setrlimit, Resource, Rlimit, Signal};

use super::format::Format;
use super::{text_of, ExtractError, MAX_TEXT_CHARS};

/// Address space of the child: a real document needs a few tens of MiB (the file, the parsed
/// objects, the text); a flate bomb fails its allocation here and aborts.
pub const MEMORY_LIMIT_BYTES: u64 = 1 << 30;

/// CPU time of the child before `SIGXCPU`, a second more before `SIGKILL`: a 64 MiB PDF takes a
/// few seconds; a parser caught in a loop must not hold a core of the appliance.
pub const CPU_LIMIT_SECONDS: u64 = 20;

/// Wall-clock time the server waits for the child before it kills it: the CPU limit plus room
/// for a loaded machine, and a bound on a child that sleeps or blocks.
const TIMEOUT: Duration = Duration::from_secs(30);

/// How often the parent looks whether the child is done.
const POLL_INTERVAL: Duration = Duration::from_millis(10);

/// Bytes of text the child may write: [`MAX_TEXT_CHARS`] characters of four bytes at most in
/// UTF-8, and a margin. More means the child is not the extractor it should be.
const MAX_OUTPUT_BYTES: usize = 4 * MAX_TEXT_CHARS + (64 << 10);

/// Bytes of the child's error output kept for the log.
const MAX_MESSAGE_BYTES: usize = 4 << 10;

/// Where the text of an uploaded file is extracted.
#[derive(Debug, Clone)]
pub enum Extractor {
    /// In the calling process: for tests and tools that run on trusted files.
    InProcess,
    /// In a confined child `program internal extract-text …`; `program` is the `preau` binary.
    Subprocess { program: PathBuf },
}

/// Why the text of a file could not be extracted. The file itself may still be stored and
/// served: only its words are missing from the index.
#[derive(Debug, thiserror::Error)]
pub enum ExtractorError {
    #[error(transparent)]
    Extract(#[from] ExtractError),
    #[error("cannot read the file to extract its text: {0}")]
    Read(#[source] io::Error),
    #[error("cannot run the text extractor {}: {source}", program.display())]
    Run {
        program: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("the text extractor was killed by signal {signal} ({}): {message}", signal_meaning(*signal))]
    Killed { signal: i32, message: String },
    #[error("the text extractor ran for more than {} s and was killed", TIMEOUT.as_secs())]
    TimedOut,
    #[error("the text extractor failed with exit code {code}: {message}")]
    Failed { code: i32, message: String },
    #[error("the text extractor wrote more than {MAX_OUTPUT_BYTES} bytes of text")]
    TooMuchText,
    #[error("the text extractor wrote text that is not UTF-8")]
    NotUtf8,
}

/// Serialises the extracting children of the process.
static CHILD_TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());

impl Extractor {
    /// Plain text of the file at `path` for the search index, or None when its format carries no
    /// extractable text (see [`text_of`]); `name` is the uploader's file name, for its extension.
    pub fn text(
        &self,
        path: &Path,
        name: &str,
        media_type: &str,
    ) -> Result<Option<String>, ExtractorError> {
        match self {
            Self::InProcess => {
                let bytes = std::fs::read(path).map_err(ExtractorError::Read)?;
                Ok(text_of(name, media_type, &bytes)?)
            }
            // Images, audio and video are common uploads: no process for them.
            Self::Subprocess { .. } if Format::detect(name, media_type).is_none() => Ok(None),
            Self::Subprocess { program } => {
                // One child at a time: each may take a gigabyte, and uploads are rare enough
                // that waiting a few seconds costs nobody.
                let _turn = CHILD_TURN
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                text_in_child(program, path, name, media_type).map(Some)
            }
        }
    }
}

/// Lowers the limits of the current process to [`MEMORY_LIMIT_BYTES`] of address space and
/// [`CPU_LIMIT_SECONDS`] of CPU time, with no core dump (an aborted bomb would write one as large
/// as its memory). For the extracting child only: the limits cannot be raised again.
pub fn confine_this_process() -> io::Result<()> {
    let limit = |current, maximum| Rlimit {
        current: Some(current),
        maximum: Some(maximum),
    };
    setrlimit(Resource::As, limit(MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))?;
    setrlimit(
        Resource::Cpu,
        limit(CPU_LIMIT_SECONDS, CPU_LIMIT_SECONDS + 1),
    )?;
    setrlimit(Resource::Core, limit(0, 0))?;
    Ok(())
}

fn text_in_child(
    program: &Path,
    path: &Path,
    name: &str,
    media_type: &str,
) -> Result<String, ExtractorError> {
    let run_error = |source| ExtractorError::Run {
        program: program.to_owned(),
        source,
    };
    // `--name=…` and `--` keep a file name that starts with a dash from reading as an option.
    let mut child = Command::new(program)
        .args(["internal", "extract-text"])
        .arg(format!("--name={name}"))
        .arg(format!("--media-type={media_type}"))
        .arg("--")
        .arg(path)
        .env_clear()
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(run_error)?;
    let stdout = child
        .stdout
        .take()
        .map(|out| read_capped(out, MAX_OUTPUT_BYTES));
    let stderr = child
        .stderr
        .take()
        .map(|err| read_capped(err, MAX_MESSAGE_BYTES));
    let status = wait_until(&mut child, Instant::now() + TIMEOUT).map_err(run_error)?;
    let output = joined(stdout).map_err(run_error)?;
    let message = joined(stderr).map_err(run_error)?;
    let message = String::from_utf8_lossy(&message.bytes).trim().to_owned();
    let Some(status) = status else {
        return Err(ExtractorError::TimedOut);
    };
    if let Some(signal) = status.signal() {
        return Err(ExtractorError::Killed { signal, message });
    }
    match status.code() {
        Some(0) if output.truncated => Err(ExtractorError::TooMuchText),
        Some(0) => String::from_utf8(output.bytes).map_err(|_| ExtractorError::NotUtf8),
        code => Err(ExtractorError::Failed {
            code: code.unwrap_or(-1),
            message,
        }),
    }
}

/// What was read from one of the child's pipes.
#[derive(Default)]
struct Captured {
    bytes: Vec<u8>,
    /// The child wrote more than the cap; the rest was read and dropped.
    truncated: bool,
}

/// Reads `pipe` on a thread of its own, keeping `cap` bytes: the child never blocks on a full
/// pipe while the parent waits for it to exit.
fn read_capped<R: Read + Send + 'static>(pipe: R, cap: usize) -> JoinHandle<io::Result<Captured>> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let mut pipe = pipe.take(cap as u64 + 1);
        pipe.read_to_end(&mut bytes)?;
        let truncated = bytes.len() > cap;
        bytes.truncate(cap);
        io::copy(&mut pipe.into_inner(), &mut io::sink())?;
        Ok(Captured { bytes, truncated })
    })
}

fn joined(reader: Option<JoinHandle<io::Result<Captured>>>) -> io::Result<Captured> {
    match reader {
        Some(reader) => reader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        None => Ok(Captured::default()),
    }
}

/// The child's exit status, or None when it ran past `deadline` and was killed.
fn wait_until(child: &mut Child, deadline: Instant) -> io::Result<Option<ExitStatus>> {
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(Some(status)),
            Ok(None) if Instant::now() < deadline => thread::sleep(POLL_INTERVAL),
            Ok(None) => {
                child.kill()?;
                child.wait()?;
                return Ok(None);
            }
            Err(error) => {
                // Never leave a child running behind: it may be a bomb going off.
                let _ = child.kill();
                let _ = child.wait();
                return Err(error);
            }
        }
    }
}

/// What a signal that ended the child most likely means, for the log.
fn signal_meaning(signal: i32) -> &'static str {
    match Signal::from_named_raw(signal) {
        Some(Signal::ABORT) => "out of memory, or a failed check",
        Some(Signal::XCPU) => "CPU-time limit",
        Some(Signal::KILL) => "CPU-time hard limit, or the system out of memory",
        Some(Signal::SEGV) => "out of stack, or a crash",
        _ => "unexpected",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/resources")
            .join(name)
    }

    #[test]
    fn in_process_the_text_of_a_pdf_is_read_from_its_path() {
        let text = Extractor::InProcess
            .text(&fixture("fractions.pdf"), "fiche.pdf", "application/pdf")
            .unwrap()
            .expect("a PDF has text");
        assert!(text.contains("même dénominateur"), "{text}");
    }

    #[test]
    fn in_process_a_missing_file_is_a_read_error() {
        let error = Extractor::InProcess
            .text(&fixture("absent.pdf"), "absent.pdf", "application/pdf")
            .unwrap_err();
        assert!(matches!(error, ExtractorError::Read(_)), "{error}");
    }

    #[test]
    fn no_child_runs_for_a_format_without_text() {
        let extractor = Extractor::Subprocess {
            program: PathBuf::from("/nonexistent/preau"),
        };
        let text = extractor
            .text(&fixture("carte-mentale.png"), "carte.png", "image/png")
            .unwrap();
        assert_eq!(text, None);
    }

    #[test]
    fn a_program_that_cannot_start_is_a_run_error_naming_it() {
        let extractor = Extractor::Subprocess {
            program: PathBuf::from("/nonexistent/preau"),
        };
        let error = extractor
            .text(&fixture("fractions.pdf"), "fiche.pdf", "application/pdf")
            .unwrap_err();
        assert!(matches!(error, ExtractorError::Run { .. }), "{error}");
        assert!(error.to_string().contains("/nonexistent/preau"), "{error}");
    }

    /// Shell scripts stand for `preau` (the unit test binary is not it; the real child is tested
    /// end to end): what each child does becomes the answer of the parent. The scripts are all
    /// written before the first one runs, so no script is open for writing while a child starts.
    #[test]
    fn what_the_child_does_becomes_text_or_a_typed_error() {
        let dir = tempfile::tempdir().unwrap();
        let script = |name: &str, body: &str| {
            use std::os::unix::fs::PermissionsExt;
            let path = dir.path().join(name);
            std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
            Extractor::Subprocess { program: path }
        };
        let echo = script("echo", r#"printf '%s|' "$@"; export -p"#);
        let fails = script("fails", "echo 'unreadable PDF: broken' >&2; exit 2");
        let killed = script("killed", "echo 'memory allocation failed' >&2; kill -9 $$");
        let latin1 = script("latin1", r"printf '\351l\350ve'");
        let chatty = script(
            "chatty",
            "i=0; while [ $i -lt 16 ]; do printf '%065536d' 0; i=$((i+1)); done",
        );
        let pdf = fixture("fractions.pdf");
        let text =
            |extractor: &Extractor, name: &str| extractor.text(&pdf, name, "application/pdf");

        let echoed = text(&echo, "-fiche.pdf").unwrap().expect("text");
        let arguments = format!(
            "internal|extract-text|--name=-fiche.pdf|--media-type=application/pdf|--|{}|",
            pdf.display()
        );
        assert!(echoed.starts_with(&arguments), "{echoed}");
        assert!(echoed.contains("NO_COLOR='1'"), "{echoed}");
        assert!(
            !echoed.contains("PATH") && !echoed.contains("HOME"),
            "{echoed}"
        );

        let error = text(&fails, "fiche.pdf").unwrap_err();
        assert!(
            matches!(&error, ExtractorError::Failed { code: 2, message } if message == "unreadable PDF: broken"),
            "{error}"
        );
        let error = text(&killed, "fiche.pdf").unwrap_err();
        assert!(
            matches!(error, ExtractorError::Killed { signal: 9, .. }),
            "{error}"
        );
        let logged = error.to_string();
        assert!(
            logged.starts_with("the text extractor was killed by signal 9 (")
                && logged.ends_with("): memory allocation failed"),
            "{logged}"
        );
        let error = text(&latin1, "fiche.pdf").unwrap_err();
        assert!(matches!(error, ExtractorError::NotUtf8), "{error}");
        let error = text(&chatty, "fiche.pdf").unwrap_err();
        assert!(matches!(error, ExtractorError::TooMuchText), "{error}");
    }
}
