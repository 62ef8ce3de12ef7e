use std::time::Duration;

use crate::store::StoreError;

use super::password::PasswordProblem;

/// Why a domain operation did not happen. Messages here are for logs (English); the HTTP edge
/// gives each variant its status and French wording.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
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
        scope: super::files::QuotaScope,
        used: u64,
        quota: u64,
    },
    #[error("file storage: {0}")]
    FileStorage(String),
    #[error("not allowed")]
    Forbidden,
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
    #[error("login {0} is already taken")]
    LoginTaken(String),
    #[error("directory key {0} already belongs to another account")]
    JointureTaken(String),
    #[error("password hashing failed: {0}")]
    Hashing(String),
    #[error("search index: {0}")]
    Search(String),
    #[error("the directory import could not be carried out: {0}")]
    Directory(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}
