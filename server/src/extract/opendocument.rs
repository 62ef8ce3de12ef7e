//! OpenDocument text and presentation (ODT, ODP): the text of `content.xml`.

use super::error::ExtractError;
use super::package::Package;
use super::text::Text;
use super::xml::{Node, Skipping};

/// Deleted text kept for change tracking is not what a reader sees.
const SKIPPED: &[&str] = &["tracked-changes"];

pub(super) fn extract(bytes: &[u8], text: &mut Text) -> Result<(), ExtractError> {
    let mut package = Package::open("OpenDocument", bytes)?;
    let content = package.read_part("content.xml")?;
    let mut in_body = false;
    let mut skipping = Skipping::default();
    content.walk(text, |node, text| {
        if skipping.track(&node, SKIPPED) {
            return;
        }
        match node {
            // Styles and declarations come before the body and hold no text worth indexing.
            Node::Open("body") => in_body = true,
            Node::Close("body") => in_body = false,
            _ if !in_body => {}
            Node::Text(piece) => text.push(piece),
            Node::Open("s" | "tab") => text.space(),
            Node::Open("line-break") | Node::Close("p" | "h") => text.line_break(),
            Node::Open(_) | Node::Close(_) => {}
        }
    })
}
