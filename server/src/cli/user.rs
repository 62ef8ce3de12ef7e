//! `preau user create-admin LOGIN` and `preau user reset-password LOGIN`.

use std::path::Path;
use std::process::ExitCode;

use clap::Subcommand;

use crate::config::Config;
use crate::domain::access::Actor;

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create an ENT administrator (or grant the role to an existing account) and print a
    /// one-time password to change at first sign-in.
    CreateAdmin { login: String },
    /// Give an account a new one-time password (printed), ending all its sessions.
    ResetPassword { login: String },
}

pub fn run(data: &Path, config: Config, command: UserCommand) -> anyhow::Result<ExitCode> {
    let domain = super::open_domain(data, config)?;
    let rng = &mut rand::rngs::OsRng;
    let (account, password) = match &command {
        UserCommand::CreateAdmin { login } => domain.create_admin(Actor::System, login, rng)?,
        UserCommand::ResetPassword { login } => domain.reset_password(Actor::System, login, rng)?,
    };
    domain.tables().flush_blocking()?;
    println!("identifiant : {}", account.login);
    println!("mot de passe à usage unique : {password}");
    println!("(à changer à la première connexion)");
    Ok(ExitCode::SUCCESS)
}
