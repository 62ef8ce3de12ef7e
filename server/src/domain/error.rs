use std::time::Duration;

use crate::store::StoreError;

use super::accounts::password::PasswordProblem;

/// Why a domain operation did not happen. Messages here are for logs (English); the HTTP edge
/// gives each variant its status and French wording.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    #[error("the CAS service is not registered")]
    CasUnknownService,
    #[error("the CAS service {0} is not open to this profile")]
    CasServiceRefused(String),
    #[error("too many live CAS tickets ({0})")]
    CasBusy(usize),
    #[error("the CAS service or link is refused: {0}")]
    CasRegistry(super::cas::registry::RegistryProblem),
    #[error("no registered CAS service or link {0}")]
    CasUnknownEntry(u64),
    #[error("the logo is refused: {0}")]
    CasLogo(super::cas::logo::LogoProblem),
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("too many failed attempts; retry in {} s", retry_after.as_secs())]
    Throttled { retry_after: Duration },
    #[error("no account with login {0}")]
    UnknownLogin(String),
    #[error("no class {0}")]
    UnknownClass(String),
    #[error("no person with id {0}")]
    UnknownPerson(u64),
    #[error("no resource with id {0}")]
    UnknownResource(u64),
    #[error("invalid page number {0:?}")]
    InvalidPage(String),
    #[error("invalid resource: {0}")]
    InvalidResource(super::resources::DraftProblem),
    #[error("the package is refused: {0}")]
    Package(#[from] crate::package::PackageError),
    #[error("the upload is refused: {0}")]
    Upload(#[from] crate::files::FileError),
    #[error("the {scope:?} file quota is reached: {used} of {quota} bytes used")]
    QuotaExceeded {
        scope: super::resources::files::QuotaScope,
        used: u64,
        quota: u64,
    },
    #[error("no file storage is configured")]
    NoFileStorage,
    #[error("cannot {action} {path}: {source}")]
    FileIo {
        action: &'static str,
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A thread panicked while it held the lock that serialises upload commits.
    #[error("the upload lock is poisoned")]
    UploadLockPoisoned,
    #[error("the demo package cannot be built: {0}")]
    DemoPackage(#[source] zip::result::ZipError),
    #[error("the demo document cannot be written: {0}")]
    DemoDocument(#[source] crate::demo::documents::DocumentError),
    /// The package-link signing key in the store is missing or unusable.
    #[error("the package link key is unusable")]
    PackageKey,
    #[error(transparent)]
    ImportRefused(#[from] super::resources::resource_import::ImportRefusal),
    #[error("not allowed")]
    Forbidden,
    #[error("no calendar at this address")]
    UnknownCalendar,
    #[error("no course with id {0}")]
    UnknownCourse(u64),
    #[error("course {course} has no session on {date}")]
    NoSuchSession {
        course: u64,
        date: chrono::NaiveDate,
    },
    #[error("invalid course: {0}")]
    InvalidCourse(super::timetable::CourseProblem),
    #[error(transparent)]
    TimetableRefused(#[from] super::timetable::import::TimetableRefusal),
    #[error(
        "the date range is reversed or longer than {} days",
        super::timetable::MAX_RANGE_DAYS
    )]
    InvalidRange,
    #[error("invalid cahier de textes entry: {0}")]
    InvalidEntry(super::logbook::EntryProblem),
    #[error("invalid news item: {0}")]
    InvalidNews(super::news::NewsProblem),
    #[error("no news item with id {0}")]
    UnknownNews(u64),
    #[error("no message with id {0} in this mailbox")]
    UnknownMessage(u64),
    #[error("invalid message: {0}")]
    InvalidMessage(super::messages::MessageProblem),
    /// Each refused recipient's id and label.
    #[error("the communication rules refuse these recipients: {0:?}")]
    RecipientsRefused(Vec<(String, String)>),
    #[error("invalid event: {0}")]
    InvalidEvent(super::agenda::EventProblem),
    #[error("no event with id {0}")]
    UnknownEvent(u64),
    #[error("no homework with id {0}")]
    UnknownHomework(u64),
    #[error("the archive cannot be written: {0}")]
    Archive(#[source] zip::result::ZipError),
    #[error("the password must be changed first")]
    PasswordChangeRequired,
    #[error("the current password is wrong")]
    WrongCurrentPassword,
    #[error("the new password is refused: {0}")]
    WeakPassword(PasswordProblem),
    #[error("the two passwords differ")]
    PasswordMismatch,
    #[error("invalid login or activation code")]
    InvalidActivation,
    #[error("the activation code has expired")]
    ActivationExpired,
    #[error("account {0} is not waiting for activation")]
    NotWaitingForActivation(String),
    #[error("invalid login: {0}")]
    InvalidLogin(String),
    #[error("the appliance already has an administrator")]
    AlreadyInstalled,
    #[error("login {0} is already taken")]
    LoginTaken(String),
    #[error("directory key {0} already belongs to another account")]
    JointureTaken(String),
    #[error("password hashing failed: {0}")]
    Hashing(#[source] argon2::password_hash::Error),
    #[error("no search index is open")]
    NoSearchIndex,
    #[error(transparent)]
    Search(#[from] crate::search::SearchError),
    /// A blocking task panicked or was cancelled.
    #[error("a worker thread failed: {0}")]
    Worker(#[from] tokio::task::JoinError),
    #[error(transparent)]
    Store(#[from] StoreError),
}
