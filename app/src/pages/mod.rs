//! One module per page.

pub mod account;
pub mod activation;
pub mod admin;
pub mod classes;
pub mod directory;
pub mod error;
pub mod home;
pub mod login;
pub mod resource;
pub mod resource_form;
pub mod resource_import;
pub mod resources;
pub mod sheets;
