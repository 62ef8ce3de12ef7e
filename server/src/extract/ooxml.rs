//! Office Open XML text and presentation (DOCX, PPTX): the `t` runs of the main parts.

use super::error::ExtractError;
use super::package::Package;
use super::text::Text;
use super::xml::{Node, Part, Skipping};

/// Word writes text boxes twice, as DrawingML in `mc:Choice` and as VML in `mc:Fallback`.
const SKIPPED: &[&str] = &["Fallback"];

pub(super) fn extract_document(bytes: &[u8], text: &mut Text) -> Result<(), ExtractError> {
    let mut package = Package::open("DOCX", bytes)?;
    runs(&package.read_part("word/document.xml")?, text)
}

/// Slides in their number order, which is their order in the presentation unless slides were
/// moved after creation; the index does not care about order, a reader of the text barely.
pub(super) fn extract_presentation(bytes: &[u8], text: &mut Text) -> Result<(), ExtractError> {
    let mut package = Package::open("PPTX", bytes)?;
    let mut slides: Vec<(u32, String)> = package
        .part_names()
        .into_iter()
        .filter_map(|name| Some((slide_number(&name)?, name)))
        .collect();
    slides.sort();
    for (_, name) in slides {
        if text.is_full() {
            break;
        }
        runs(&package.read(&name)?, text)?;
        text.line_break();
    }
    Ok(())
}

/// `ppt/slides/slide12.xml` → 12.
fn slide_number(part: &str) -> Option<u32> {
    part.strip_prefix("ppt/slides/slide")?
        .strip_suffix(".xml")?
        .parse()
        .ok()
}

/// Text is in `w:t` (DOCX), `a:t` (PPTX) and `m:t` (equations); everything else between
/// elements is layout.
fn runs(part: &Part, text: &mut Text) -> Result<(), ExtractError> {
    let mut in_run = false;
    let mut skipping = Skipping::default();
    part.walk(text, |node, text| {
        if skipping.track(&node, SKIPPED) {
            return;
        }
        match node {
            Node::Open("t") => in_run = true,
            Node::Close("t") => in_run = false,
            Node::Text(piece) if in_run => text.push(piece),
            Node::Open("tab") => text.space(),
            Node::Open("br" | "cr") | Node::Close("p") => text.line_break(),
            _ => {}
        }
    })
}
