#![recursion_limit = "256"]
//! Préau's user interface: Leptos components rendered on the server, with a few islands made
//! interactive in the browser.
//!
//! Every page is a pure function of a [`model::PageData`]: the server computes that value (domain
//! calls, permission checks) and renders it to HTML. Pages are never hydrated as a whole: only
//! the `#[island]` components (password reveal, child switcher, live search, the
//! lesson editor's toolbar) are, each from its
//! own small props, and a page without an island loads no WASM at all. No page needs JavaScript
//! to work: links are links and forms post to the server.
//!
//! Each service is one module: its `Page` enum (one variant per page, rendered by
//! `Page::render`), its view models in `model.rs` and its components. [`model::PageBody`] and
//! the layout name each service once.

pub mod model;

pub mod accounts;
pub mod admin;
pub mod agenda;
pub mod classes;
pub mod error;
pub mod home;
pub mod logbook;
pub mod messages;
pub mod news;
pub mod notifications;
pub mod resources;
pub mod timetable;

mod layout;
mod widgets;

pub use layout::App;

#[cfg(feature = "ssr")]
pub mod document;

#[cfg(feature = "hydrate")]
mod hydrate;
