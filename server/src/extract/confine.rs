//! What the extracting child does to itself before it reads a byte of its input.
//!
//! The child parses a hostile file with libraries that were not written for hostile files: if
//! one of them can be made to run the attacker's code, that code must find nothing to take. So
//! the child, in this order:
//! - lowers its resource limits (address space, CPU time, no core dump);
//! - sets `PR_SET_NO_NEW_PRIVS`: no program it could run gains privileges (setuid, file
//!   capabilities), and the two steps below need it;
//! - restricts itself with Landlock: no file may be opened, read, written or run, no TCP port
//!   bound or connected, no abstract Unix socket reached and no signal sent outside the child.
//!   Its input is already open (its standard input), its output is its standard output;
//! - installs a seccomp filter: no socket, no new process, no program run, no `io_uring` (whose
//!   operations would bypass the filter), no debugging of another process.
//!
//! Landlock and seccomp are applied as the running kernel allows: a kernel without Landlock
//! (or with an older ABI) leaves the child with what remains, and the server says so once at
//! start ([`log_kernel_support`]). The resource limits hold everywhere.
//!
//! Landlock, seccomp and `no_new_privs` bind the calling thread and the threads and processes it
//! starts later; the child is single-threaded, so they bind the whole child.

use std::collections::BTreeMap;
use std::io;

use landlock::{
    Access, AccessFs, AccessNet, LandlockStatus, Ruleset, RulesetAttr, RulesetStatus, Scope, ABI,
};
use rustix::process::{setrlimit, Resource, Rlimit};
use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter,
    SeccompRule, TargetArch,
};

/// Address space of the child: a real document needs a few tens of MiB (the file, the parsed
/// objects, the text); a flate bomb fails its allocation here and aborts.
const MEMORY_LIMIT_BYTES: u64 = 1 << 30;

/// CPU time of the child before `SIGXCPU`, a second more before `SIGKILL`: a 64 MiB PDF takes a
/// few seconds; a parser caught in a loop must not hold a core of the appliance.
const CPU_LIMIT_SECONDS: u64 = 20;

/// The Landlock ABI whose rights the child asks for: Linux 6.12 (ABI 6) adds the scopes
/// (abstract Unix sockets, signals) to the file system rights (ABI 1 to 5) and TCP (ABI 4).
/// Later ABIs add UDP, which the seccomp filter already denies with every socket.
const LANDLOCK_ABI: ABI = ABI::V6;

/// Why the child could not confine itself. Every variant stops the child before it reads its
/// input: what the kernel does not offer is not an error, but a call that fails where the kernel
/// offers it is.
#[derive(Debug, thiserror::Error)]
pub enum ConfinementError {
    #[error("cannot lower the resource limits: {0}")]
    Limits(#[source] io::Error),
    #[error("cannot set no_new_privs: {0}")]
    NoNewPrivs(#[source] io::Error),
    #[error("cannot restrict the process with Landlock: {0}")]
    Landlock(#[from] landlock::RulesetError),
    #[error("cannot build the seccomp filter: {0}")]
    SeccompFilter(#[source] seccompiler::BackendError),
    #[error("cannot install the seccomp filter: {0}")]
    Seccomp(#[source] seccompiler::Error),
}

/// What the kernel let the child confine itself with, beyond its resource limits and
/// `no_new_privs`, which hold everywhere.
#[derive(Debug)]
pub struct Confinement {
    /// How much of the Landlock ruleset the kernel enforces.
    pub landlock: RulesetStatus,
    /// Landlock in the running kernel: its ABI, or why it is missing.
    pub landlock_kernel: LandlockStatus,
    /// Whether the seccomp filter is installed.
    pub seccomp: bool,
}

/// Confines the current process as the extracting child: resource limits, then
/// [`confine_this_thread`]. For the child only: none of it can be undone.
pub fn confine_this_process() -> Result<Confinement, ConfinementError> {
    limit_resources().map_err(|errno| ConfinementError::Limits(errno.into()))?;
    confine_this_thread()
}

/// `no_new_privs`, Landlock and seccomp on the calling thread, as far as the kernel offers them.
fn confine_this_thread() -> Result<Confinement, ConfinementError> {
    rustix::thread::set_no_new_privs(true)
        .map_err(|errno| ConfinementError::NoNewPrivs(errno.into()))?;
    let landlock = restrict_access()?;
    let seccomp = filter_system_calls()?;
    Ok(Confinement {
        landlock: landlock.ruleset,
        landlock_kernel: landlock.landlock,
        seccomp,
    })
}

/// Logs, at warn level, what of the confinement the extracting children will miss on this
/// kernel; an error when they could not confine themselves at all. Found by confining a thread of
/// the calling process that ends at once: Landlock and seccomp bind that thread only, and it makes
/// the very calls the child makes.
pub fn log_kernel_support() -> Result<(), ConfinementError> {
    let confinement = std::thread::spawn(confine_this_thread)
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
    match confinement.landlock {
        RulesetStatus::FullyEnforced => {}
        RulesetStatus::PartiallyEnforced => tracing::warn!(
            kernel = ?confinement.landlock_kernel,
            "Landlock is only partly available on this kernel (Linux 6.12 has it all): the text \
             extractor cannot open files, but may reach TCP ports, abstract sockets or send signals \
             where the seccomp filter does not stop it"
        ),
        RulesetStatus::NotEnforced => tracing::warn!(
            kernel = ?confinement.landlock_kernel,
            "Landlock is not available on this kernel: the text extractor may read the files the \
             preau user can read; it keeps its resource limits, no_new_privs and the seccomp filter"
        ),
    }
    if !confinement.seccomp {
        tracing::warn!(
            "seccomp filters are not available on this kernel or architecture: the text extractor \
             may open sockets and start programs where Landlock does not stop it"
        );
    }
    Ok(())
}

fn limit_resources() -> rustix::io::Result<()> {
    let limit = |current, maximum| Rlimit {
        current: Some(current),
        maximum: Some(maximum),
    };
    setrlimit(Resource::As, limit(MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))?;
    setrlimit(
        Resource::Cpu,
        limit(CPU_LIMIT_SECONDS, CPU_LIMIT_SECONDS + 1),
    )?;
    // An aborted bomb would write a core as large as its memory.
    setrlimit(Resource::Core, limit(0, 0))?;
    Ok(())
}

/// Handles every right of [`LANDLOCK_ABI`] and grants none: no path is reachable at all.
fn restrict_access() -> Result<landlock::RestrictionStatus, landlock::RulesetError> {
    Ruleset::default()
        .handle_access(AccessFs::from_all(LANDLOCK_ABI))?
        .handle_access(AccessNet::from_all(LANDLOCK_ABI))?
        .scope(Scope::from_all(LANDLOCK_ABI))?
        .create()?
        .restrict_self()
}

/// Installs the filters of [`denied_system_calls`]; false where the architecture or the kernel
/// has no seccomp filters.
fn filter_system_calls() -> Result<bool, ConfinementError> {
    let Ok(arch) = TargetArch::try_from(std::env::consts::ARCH) else {
        return Ok(false);
    };
    let (refused, unsupported) = denied_system_calls().map_err(ConfinementError::SeccompFilter)?;
    // seccompiler gives one answer per filter, hence two; the kernel runs both.
    let filters = [(refused, libc::EPERM), (unsupported, libc::ENOSYS)]
        .into_iter()
        .map(|(calls, errno)| {
            // Every other call is allowed: the parsers allocate, read their input and write their
            // text through calls that differ by libc version; a list of what is denied stays right.
            SeccompFilter::new(
                calls,
                SeccompAction::Allow,
                SeccompAction::Errno(errno as u32),
                arch,
            )
            .and_then(BpfProgram::try_from)
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(ConfinementError::SeccompFilter)?;
    for filter in &filters {
        match seccompiler::apply_filter(filter) {
            Ok(()) => {}
            // The kernel was built without seccomp filters.
            Err(seccompiler::Error::Seccomp(error))
                if error.raw_os_error() == Some(libc::EINVAL) =>
            {
                return Ok(false)
            }
            Err(error) => return Err(ConfinementError::Seccomp(error)),
        }
    }
    Ok(true)
}

/// Denied system calls, each with the conditions under which it is denied (none: always): those
/// answered `EPERM`, then those answered `ENOSYS`.
type Denied = BTreeMap<i64, Vec<SeccompRule>>;

fn denied_system_calls() -> Result<(Denied, Denied), seccompiler::BackendError> {
    let always = [
        // The network: no socket of any family, so no connection either.
        libc::SYS_socket,
        libc::SYS_socketpair,
        libc::SYS_connect,
        libc::SYS_bind,
        libc::SYS_listen,
        libc::SYS_accept,
        libc::SYS_accept4,
        // Other programs.
        libc::SYS_execve,
        libc::SYS_execveat,
        // Other processes: read or write their memory, attach to them.
        libc::SYS_ptrace,
        libc::SYS_process_vm_readv,
        libc::SYS_process_vm_writev,
        // io_uring opens files and sockets without the system calls above.
        libc::SYS_io_uring_setup,
        libc::SYS_io_uring_enter,
        libc::SYS_io_uring_register,
        // New namespaces would be a way around the rest.
        libc::SYS_unshare,
        libc::SYS_setns,
        #[cfg(target_arch = "x86_64")]
        libc::SYS_fork,
        #[cfg(target_arch = "x86_64")]
        libc::SYS_vfork,
    ];
    let mut refused: Denied = always.into_iter().map(|call| (call, Vec::new())).collect();
    // A thread shares the child's confinement; a process without CLONE_THREAD would be a way out.
    let new_process = SeccompRule::new(vec![SeccompCondition::new(
        0,
        SeccompCmpArgLen::Qword,
        SeccompCmpOp::MaskedEq(libc::CLONE_THREAD as u64),
        0,
    )?])?;
    refused.insert(libc::SYS_clone, vec![new_process]);
    // `clone3` passes its flags in memory, out of the filter's sight: it is denied whole, as
    // unsupported, on which the C library falls back to `clone` to start a thread.
    let mut unsupported = Denied::from([(libc::SYS_clone3, Vec::new())]);
    #[cfg(target_arch = "x86_64")]
    {
        deny_x32_twins(&mut refused, &X32_ONLY);
        deny_x32_twins(&mut unsupported, &[]);
    }
    Ok((refused, unsupported))
}

/// On x86-64, a kernel built with the x32 ABI also takes each call under its number with bit 30
/// set, and the filter sees the same architecture: each denied call is denied under that number
/// too, and so are the calls of `x32_only`, whose x32 numbers differ.
#[cfg(target_arch = "x86_64")]
fn deny_x32_twins(denied: &mut Denied, x32_only: &[i64]) {
    const X32_SYSCALL_BIT: i64 = 0x4000_0000;
    let twins: Vec<_> = denied
        .iter()
        .map(|(call, rules)| (call | X32_SYSCALL_BIT, rules.clone()))
        .chain(
            x32_only
                .iter()
                .map(|call| (call | X32_SYSCALL_BIT, Vec::new())),
        )
        .collect();
    denied.extend(twins);
}

/// The x32 numbers of `execve`, `ptrace`, `process_vm_readv`, `process_vm_writev` and
/// `execveat` (arch/x86/entry/syscalls/syscall_64.tbl).
#[cfg(target_arch = "x86_64")]
const X32_ONLY: [i64; 5] = [520, 521, 539, 540, 545];
