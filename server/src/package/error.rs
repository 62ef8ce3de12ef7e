//! Why a package is refused. `Display` is for logs, in English; teachers read
//! [`PackageError::french`](super::PackageError::french).

use std::fmt;

/// Why a path inside a package could lead outside of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathProblem {
    /// Starts with `/`.
    Absolute,
    /// Has a `..` segment (zip-slip).
    ParentDirectory,
    /// Has a `\`, which Windows reads as a separator: `..\x` would escape there.
    Backslash,
    /// Starts with a Windows drive, like `C:`.
    DriveLetter,
    /// Has a NUL byte, which cuts the name short in C libraries.
    Nul,
}

impl fmt::Display for PathProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Absolute => "absolute path",
            Self::ParentDirectory => "'..' leaves the package (zip-slip)",
            Self::Backslash => "backslash in the name",
            Self::DriveLetter => "Windows drive letter",
            Self::Nul => "NUL byte in the name",
        })
    }
}

/// Why a package, or one of its files, is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PackageError {
    #[error("not a readable zip archive: {reason}")]
    NotZip { reason: String },
    #[error("the zip has {count} entries, more than the {limit} allowed")]
    TooManyEntries { count: usize, limit: usize },
    #[error("unsafe entry name {entry:?}: {problem}")]
    UnsafePath { entry: String, problem: PathProblem },
    #[error("entry {entry:?} is a symbolic link")]
    Symlink { entry: String },
    #[error("entry {entry:?} is encrypted")]
    Encrypted { entry: String },
    /// A method the zip crate is built without, such as Deflate64, which Windows' own zip
    /// writes for large files.
    #[error("entry {entry:?} is compressed with {method}, which is not supported")]
    UnsupportedCompression { entry: String, method: String },
    #[error("the entries declare {declared} bytes unpacked, more than the {limit} allowed")]
    DeclaredTooLarge { declared: u64, limit: u64 },
    #[error("unpacking {entry:?} takes the package past the {limit} bytes allowed")]
    UnpackedTooLarge { entry: String, limit: u64 },
    #[error(
        "entry {entry:?} expands from {compressed} to at least {unpacked} bytes, \
         more than {limit} times (zip bomb)"
    )]
    RatioTooHigh {
        entry: String,
        compressed: u64,
        unpacked: u64,
        limit: u64,
    },
    /// Corrupt data, a wrong checksum, or more bytes than the header declares.
    #[error("entry {entry:?} cannot be unpacked: {reason}")]
    Damaged { entry: String, reason: String },
    #[error("imsmanifest.xml, line {line}: {reason}")]
    InvalidManifest { line: u64, reason: String },
    #[error("imsmanifest.xml names no resource to launch")]
    NoLaunchResource,
    #[error("the launch page {href:?} named by imsmanifest.xml is not in the zip")]
    LaunchMissing { href: String },
    #[error("no start page: no imsmanifest.xml, no index.html, no single HTML page at the top")]
    NoStartPage,
}
