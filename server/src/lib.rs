//! Préau's server: one process that is the whole ENT of one establishment.

pub mod backup;
pub mod cli;
pub mod config;
pub mod control;
pub mod demo;
pub mod directory;
pub mod domain;
pub mod extract;
pub mod files;
pub mod http;
pub mod installation;
#[cfg(test)]
mod layering_tests;
pub mod memory;
pub mod monitoring;
pub mod package;
pub mod plain_lock;
pub mod relay;
pub mod scheduled;
pub mod search;
pub mod store;
pub mod systemd;
pub mod tls;
