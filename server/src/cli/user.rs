//! `preau user create-admin LOGIN` and `preau user reset-password LOGIN`.

use clap::Subcommand;

use crate::control::protocol::Command;

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create an ENT administrator (or grant the role to an existing account) and print a
    /// one-time password to change at first sign-in.
    CreateAdmin { login: String },
    /// Give an account a new one-time password (printed), ending all its sessions.
    ResetPassword { login: String },
}

pub fn command(command: UserCommand) -> Command {
    match command {
        UserCommand::CreateAdmin { login } => Command::CreateAdmin { login },
        UserCommand::ResetPassword { login } => Command::ResetPassword { login },
    }
}
