//! Reading the académie's directory feed (AAF): files, folders and zip archives of
//! `ficAlimMENESR` XML, parsed in one streaming pass and typed per kind of record.
//!
//! This is the parsing half of the directory import; it neither reads nor writes the store.
//! [`read_feed`] (or [`read_uploaded_feed`]) gives a [`Feed`] whose files are in import order
//! and whose records are typed [`Entry`] values, or every error found ([`FeedErrors`]).
//!
//! The sync ([`sync`], [`scheduler`]) takes the feed from the configured source on a schedule,
//! imports it and files it away under `data/inbox/`, keeping a history of the runs.

mod archive;
mod download;
mod encoding;
mod error;
mod feed;
mod feed_name;
mod field;
pub mod french;
pub mod history;
pub mod import;
pub mod inbox;
mod person;
mod pupil;
mod records;
pub mod schedule;
pub mod scheduler;
pub mod source;
mod staff;
mod structure;
pub mod sync;
#[cfg(test)]
mod testing;
pub mod upload;
mod values;
mod xml;

pub use error::{FeedError, FeedErrors, Problem};
pub use feed::{
    read_feed, read_feed_input, read_uploaded_feed, Feed, FeedFile, FeedInput, InputFile,
};
pub use feed_name::{ExportType, FeedFileName, FeedKind};
pub use field::Field;
pub use person::{Parent, Person};
pub use pupil::{GroupRef, ParentLink, Pupil, Responsibility};
pub use records::{Change, Entry, Records};
pub use staff::{Function, Staff, StaffProfile, Teaching};
pub use structure::{GroupDef, Mef, Structure, Subject};
