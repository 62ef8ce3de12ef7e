//! `preau user create-admin LOGIN` and `preau user reset-password LOGIN`.

use std::path::Path;
use std::process::ExitCode;

use clap::Subcommand;

use crate::config::Config;

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
    let (account, password) = match &command {
        UserCommand::CreateAdmin { login } => domain.accounts.create_admin(login)?,
        UserCommand::ResetPassword { login } => {
            let reset = domain.accounts.reset_password(login)?;
            domain.sessions.revoke_all(reset.0.id)?;
            reset
        }
    };
    domain.store.flush_blocking()?;
    println!("identifiant : {}", account.login);
    println!("mot de passe à usage unique : {password}");
    println!("(à changer à la première connexion)");
    Ok(ExitCode::SUCCESS)
}
