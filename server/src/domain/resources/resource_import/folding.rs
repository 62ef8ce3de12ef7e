//! Folding text for comparison, so that what a teacher types finds what it means whatever its
//! case, accents and spacing.

/// Lower case without accents and with single spaces, for what people type: « Mathématiques »,
/// « mathematiques » and « MATHÉMATIQUES » are the same discipline.
pub(super) fn fold(text: &str) -> String {
    let plain = deunicode::deunicode(text).to_lowercase();
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A path in the archive folded for lookup: `Cours.PDF` for `cours.pdf`, decomposed accents for
/// composed ones.
pub(super) fn fold_path(path: &str) -> String {
    deunicode::deunicode(path).to_lowercase()
}
