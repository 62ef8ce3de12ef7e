//! `preau internal extract-text`: the confined child that reads the text of one uploaded file for
//! the server ([`crate::extract::Extractor::Subprocess`]). Hidden: no one types it. It opens no
//! store, no file and takes no lock: the file comes on its standard input, so it runs beside
//! `preau serve` without reaching the data directory.

use std::io::{Read, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};

use crate::extract::confine;

/// Exit code of an extraction error (a file that cannot be read as its format); 1 stays for the
/// errors of the command itself.
const EXTRACTION_FAILED: u8 = 2;

#[derive(Subcommand, Debug)]
pub enum InternalCommand {
    /// Write the text of the file on the standard input to the standard output, confined.
    ExtractText(ExtractTextArgs),
}

#[derive(Args, Debug)]
pub struct ExtractTextArgs {
    /// The name of the file on the uploader's machine: its extension tells the format.
    #[arg(long)]
    name: String,
    /// The media type the file was uploaded with.
    #[arg(long)]
    media_type: String,
}

pub fn run(command: InternalCommand) -> anyhow::Result<ExitCode> {
    match command {
        InternalCommand::ExtractText(args) => extract_text(&args),
    }
}

fn extract_text(args: &ExtractTextArgs) -> anyhow::Result<ExitCode> {
    // Before the first byte of the file: from here on, the process reaches nothing but its
    // standard input, output and error.
    confine::confine_this_process().context("cannot confine the extractor")?;
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .context("cannot read the file on the standard input")?;
    match crate::extract::text_of(&args.name, &args.media_type, &bytes) {
        Ok(text) => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.unwrap_or_default().as_bytes())
                .and_then(|()| stdout.flush())
                .context("cannot write the text")?;
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            eprintln!("{error}");
            Ok(ExitCode::from(EXTRACTION_FAILED))
        }
    }
}
