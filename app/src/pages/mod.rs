//! One module per page.

pub mod account;
pub mod activation;
pub mod admin;
pub mod classes;
pub mod directory;
pub mod error;
pub mod home;
pub mod login;
#[cfg(feature = "ssr")]
pub mod resource;
#[cfg(feature = "ssr")]
pub mod resource_form;
#[cfg(feature = "ssr")]
pub mod resource_import;
pub mod resources;
#[cfg(feature = "ssr")]
pub mod sheets;
