//! Text extraction of untrusted files in a short-lived, confined child process.
//!
//! The PDF parser inflates streams without bound and can loop on a crafted file: in the server,
//! one upload could take the whole appliance down (out-of-memory kill), and a parser bug that
//! runs the attacker's code would run it as the server. Under `preau serve`,
//! [`Extractor::Subprocess`] runs `preau internal extract-text` with the staged file as its
//! standard input instead: the child needs no path, and confines itself ([`super::confine`]:
//! resource limits, Landlock, seccomp) before it reads a byte. The parent bounds what it reads
//! back and how long it waits, and runs one child at a time, single uploads before bulk imports
//! ([`super::queue`]). Whatever the file does to the child, the server gets an
//! [`ExtractorError`], and the upload is kept without its text.
//!
//! The child confines itself because `CommandExt::pre_exec`, which would do it between `fork` and
//! `exec`, is `unsafe`, and the workspace forbids `unsafe` code; the program is always this binary
//! (`/proc/self/exe`), so the confinement holds all the same.

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use rustix::process::Signal;

use super::format::Format;
use super::queue::{ExtractionQueue, Priority};
use super::{text_of, ExtractError, MAX_TEXT_CHARS};

/// Wall-clock time the server waits for the child before it kills it: the CPU limit plus room
/// for a loaded machine, and a bound on a child that sleeps or blocks.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// How often the parent looks whether the child is done.
const POLL_INTERVAL: Duration = Duration::from_millis(10);

/// How long the parent still reads the pipes of a child that ended at its deadline.
const READ_GRACE: Duration = Duration::from_millis(500);

/// Bytes of text the child may write: [`MAX_TEXT_CHARS`] characters of four bytes at most in
/// UTF-8, and a margin. More means the child is not the extractor it should be.
const MAX_OUTPUT_BYTES: usize = 4 * MAX_TEXT_CHARS + (64 << 10);

/// Bytes of the child's error output kept for the log.
const MAX_MESSAGE_BYTES: usize = 4 << 10;

/// The extracting children of the process take their turns here: one at a time on the appliance.
static CHILDREN: ExtractionQueue = ExtractionQueue::new();

/// Where the text of an uploaded file is extracted.
#[derive(Debug, Clone)]
pub enum Extractor {
    /// In the calling process: for tests and tools that run on trusted files.
    InProcess,
    /// In a confined child `program internal extract-text …`, killed after `timeout`; `program`
    /// is the `preau` binary.
    Subprocess { program: PathBuf, timeout: Duration },
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
    #[error("the text extractor ran for more than {} and was killed", humantime::format_duration(*.0))]
    TimedOut(Duration),
    #[error("the text extractor failed with exit code {code}: {message}")]
    Failed { code: i32, message: String },
    #[error("the text extractor wrote more than {MAX_OUTPUT_BYTES} bytes of text")]
    TooMuchText,
    #[error("the text extractor wrote text that is not UTF-8")]
    NotUtf8,
}

impl Extractor {
    /// Plain text of the file at `path` for the search index, or None when its format carries no
    /// extractable text (see [`text_of`]); `name` is the uploader's file name, for its extension.
    /// A child waits for its turn after the jobs of `priority` and above already waiting.
    pub fn text(
        &self,
        path: &Path,
        name: &str,
        media_type: &str,
        priority: Priority,
    ) -> Result<Option<String>, ExtractorError> {
        match self {
            Self::InProcess => {
                let bytes = std::fs::read(path).map_err(ExtractorError::Read)?;
                Ok(text_of(name, media_type, &bytes)?)
            }
            // Images, audio and video are common uploads: no process for them.
            Self::Subprocess { .. } if Format::detect(name, media_type).is_none() => Ok(None),
            Self::Subprocess { program, timeout } => {
                let input = File::open(path).map_err(ExtractorError::Read)?;
                CHILDREN
                    .run(priority, || {
                        text_in_child(program, input, name, media_type, *timeout)
                    })
                    .map(Some)
            }
        }
    }
}

fn text_in_child(
    program: &Path,
    input: File,
    name: &str,
    media_type: &str,
    timeout: Duration,
) -> Result<String, ExtractorError> {
    let run_error = |source| ExtractorError::Run {
        program: program.to_owned(),
        source,
    };
    // `--name=…` keeps a file name that starts with a dash from reading as an option.
    let mut child = Command::new(program)
        .args(["internal", "extract-text"])
        .arg(format!("--name={name}"))
        .arg(format!("--media-type={media_type}"))
        .env_clear()
        .env("NO_COLOR", "1")
        .stdin(Stdio::from(input))
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
    let deadline = Instant::now() + timeout;
    let status = wait_until(&mut child, deadline).map_err(run_error)?;
    // The pipes close as the child ends: a moment more lets the readers see it.
    let read_deadline = deadline.max(Instant::now() + READ_GRACE);
    let output = read_by(stdout, read_deadline).map_err(run_error)?;
    let message = read_by(stderr, read_deadline).map_err(run_error)?;
    let (Some(status), Some(output), Some(message)) = (status, output, message) else {
        return Err(ExtractorError::TimedOut(timeout));
    };
    let message = String::from_utf8_lossy(&message.bytes).trim().to_owned();
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

/// What `reader` read once its pipe closed, or None when the pipe is still open at `deadline`:
/// a process the child started holds it (where seccomp could not forbid that). The reader is then
/// left to end with that process, and the turn of the next child does not wait for it.
fn read_by(
    reader: Option<JoinHandle<io::Result<Captured>>>,
    deadline: Instant,
) -> io::Result<Option<Captured>> {
    let Some(reader) = reader else {
        return Ok(Some(Captured::default()));
    };
    while !reader.is_finished() {
        if Instant::now() >= deadline {
            return Ok(None);
        }
        thread::sleep(POLL_INTERVAL);
    }
    reader
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        .map(Some)
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
        Some(Signal::SYS) => "a system call the seccomp filter forbids",
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
            .text(
                &fixture("fractions.pdf"),
                "fiche.pdf",
                "application/pdf",
                Priority::Interactive,
            )
            .unwrap()
            .expect("a PDF has text");
        assert!(text.contains("même dénominateur"), "{text}");
    }

    #[test]
    fn in_process_a_missing_file_is_a_read_error() {
        let error = Extractor::InProcess
            .text(
                &fixture("absent.pdf"),
                "absent.pdf",
                "application/pdf",
                Priority::Interactive,
            )
            .unwrap_err();
        assert!(matches!(error, ExtractorError::Read(_)), "{error}");
    }

    #[test]
    fn no_child_runs_for_a_format_without_text() {
        let extractor = Extractor::Subprocess {
            program: PathBuf::from("/nonexistent/preau"),
            timeout: TIMEOUT,
        };
        let text = extractor
            .text(
                &fixture("carte-mentale.png"),
                "carte.png",
                "image/png",
                Priority::Interactive,
            )
            .unwrap();
        assert_eq!(text, None);
    }

    #[test]
    fn a_program_that_cannot_start_is_a_run_error_naming_it() {
        let extractor = Extractor::Subprocess {
            program: PathBuf::from("/nonexistent/preau"),
            timeout: TIMEOUT,
        };
        let error = extractor
            .text(
                &fixture("fractions.pdf"),
                "fiche.pdf",
                "application/pdf",
                Priority::Interactive,
            )
            .unwrap_err();
        assert!(matches!(error, ExtractorError::Run { .. }), "{error}");
        assert!(error.to_string().contains("/nonexistent/preau"), "{error}");
    }

    /// Shell scripts that stand for `preau`, killed after `timeout`, all written before the first
    /// one runs, so that no script is open for writing while a child starts.
    fn scripts(timeout: Duration, bodies: &[&str]) -> (tempfile::TempDir, Vec<Extractor>) {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let extractors = bodies
            .iter()
            .enumerate()
            .map(|(i, body)| {
                let path = dir.path().join(format!("script-{i}"));
                std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
                Extractor::Subprocess {
                    program: path,
                    timeout,
                }
            })
            .collect();
        (dir, extractors)
    }

    /// Shell scripts stand for `preau` (the unit test binary is not it; the real child is tested
    /// end to end): what each child does becomes the answer of the parent.
    #[test]
    fn what_the_child_does_becomes_text_or_a_typed_error() {
        let (_dir, children) = scripts(
            TIMEOUT,
            &[
                r#"printf '%s|' "$@"; head -c 5; export -p"#,
                "echo 'unreadable PDF: broken' >&2; exit 2",
                "echo 'memory allocation failed' >&2; kill -9 $$",
                r"printf '\351l\350ve'",
                "i=0; while [ $i -lt 16 ]; do printf '%065536d' 0; i=$((i+1)); done",
            ],
        );
        let [echo, fails, killed, latin1, chatty] = &children[..] else {
            unreachable!()
        };
        let pdf = fixture("fractions.pdf");
        let text = |extractor: &Extractor, name: &str| {
            extractor.text(&pdf, name, "application/pdf", Priority::Interactive)
        };

        let echoed = text(echo, "-fiche.pdf").unwrap().expect("text");
        let arguments_then_input =
            "internal|extract-text|--name=-fiche.pdf|--media-type=application/pdf|%PDF-";
        assert!(echoed.starts_with(arguments_then_input), "{echoed}");
        assert!(echoed.contains("NO_COLOR='1'"), "{echoed}");
        assert!(
            !echoed.contains("PATH") && !echoed.contains("HOME"),
            "{echoed}"
        );

        let error = text(fails, "fiche.pdf").unwrap_err();
        assert!(
            matches!(&error, ExtractorError::Failed { code: 2, message } if message == "unreadable PDF: broken"),
            "{error}"
        );
        let error = text(killed, "fiche.pdf").unwrap_err();
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
        let error = text(latin1, "fiche.pdf").unwrap_err();
        assert!(matches!(error, ExtractorError::NotUtf8), "{error}");
        let error = text(chatty, "fiche.pdf").unwrap_err();
        assert!(matches!(error, ExtractorError::TooMuchText), "{error}");
    }

    /// The first child is a shell that waits for a `sleep` of its own: killing the shell leaves
    /// the `sleep` holding the output pipe, as a process started by a child could.
    #[test]
    fn a_child_that_outlives_its_timeout_is_killed_and_the_next_child_runs_at_once() {
        let (_dir, children) = scripts(
            Duration::from_millis(200),
            &["sleep 30", "printf 'la suite'"],
        );
        let pdf = fixture("fractions.pdf");
        let started = Instant::now();

        let error = children[0]
            .text(&pdf, "fiche.pdf", "application/pdf", Priority::Bulk)
            .unwrap_err();
        let next = children[1]
            .text(&pdf, "fiche.pdf", "application/pdf", Priority::Interactive)
            .unwrap();

        assert!(matches!(error, ExtractorError::TimedOut(_)), "{error}");
        assert_eq!(
            error.to_string(),
            "the text extractor ran for more than 200ms and was killed"
        );
        assert_eq!(next.as_deref(), Some("la suite"));
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
    }
}
