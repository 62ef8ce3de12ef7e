#![recursion_limit = "256"]
//! Préau's user interface: Leptos components rendered on the server and hydrated in the browser.
//!
//! Every page is a pure function of a [`model::PageData`]. The server computes that value (domain
//! calls, permission checks), renders it to HTML and embeds it, as JSON, in the page; the WASM
//! bundle reads it back and hydrates the same component tree. No page needs JavaScript to work:
//! links are links and forms post to the server.

pub mod model;

mod layout;
mod pages;
mod widgets;

pub use layout::App;

/// `id` of the `<script type="application/json">` element that carries the page data.
pub const PAGE_DATA_ID: &str = "preau-page";

#[cfg(feature = "ssr")]
pub mod document;

#[cfg(feature = "hydrate")]
mod hydrate;
