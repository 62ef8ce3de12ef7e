//! Logins are `prenom.nom`, ASCII-folded and lower-cased; homonyms get `prenom.nom2`, `prenom.nom3`…

use deunicode::deunicode;

/// The base login for a person, before deduplication. Spaces and hyphens inside a name become a
/// single hyphen, apostrophes and other marks disappear: « Jean-Éric » « N'Diaye » →
/// `jean-eric.ndiaye`.
pub fn base_login(first_name: &str, last_name: &str) -> String {
    let first = fold(first_name);
    let last = fold(last_name);
    match (first.is_empty(), last.is_empty()) {
        (false, false) => format!("{first}.{last}"),
        (true, false) => last,
        (false, true) => first,
        (true, true) => "utilisateur".to_owned(),
    }
}

/// The first of `base`, `base2`, `base3`… that `taken` does not hold.
pub fn unique_login(base: &str, mut taken: impl FnMut(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_owned();
    }
    (2u32..)
        .map(|n| format!("{base}{n}"))
        .find(|candidate| !taken(candidate))
        .unwrap_or_else(|| base.to_owned())
}

/// A login typed by a person: trimmed and lower-cased, so that `Eleve.Demo ` signs in.
pub fn normalize(login: &str) -> String {
    login.trim().to_lowercase()
}

/// Longest typed login that sign-in and activation look up: well above any real login (64),
/// short enough that no throttle key or log line grows with what a client sends.
pub const MAX_TYPED_CHARS: usize = 100;

/// A login typed at sign-in or activation, normalised; `None` when it is longer than
/// [`MAX_TYPED_CHARS`] once trimmed, and so cannot name an account.
pub fn typed(login: &str) -> Option<String> {
    let trimmed = login.trim();
    trimmed
        .chars()
        .nth(MAX_TYPED_CHARS)
        .is_none()
        .then(|| trimmed.to_lowercase())
}

/// Logins are at most 64 chars of `a-z 0-9 . - _`.
pub fn is_valid(login: &str) -> bool {
    !login.is_empty()
        && login.len() <= 64
        && login
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
}

fn fold(name: &str) -> String {
    let ascii = deunicode(name).to_lowercase();
    let mut out = String::with_capacity(ascii.len());
    let mut pending_hyphen = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_hyphen && !out.is_empty() {
                out.push('-');
            }
            pending_hyphen = false;
            out.push(c);
        } else if c == ' ' || c == '-' {
            pending_hyphen = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_ligatures_and_case_are_folded() {
        assert_eq!(base_login("Élodie", "BŒUF"), "elodie.boeuf");
        assert_eq!(base_login("Zoë", "Lefèvre"), "zoe.lefevre");
        assert_eq!(base_login("François", "Ça"), "francois.ca");
    }

    #[test]
    fn apostrophes_vanish_and_spaces_become_hyphens() {
        assert_eq!(base_login("Jean-Éric", "N'Diaye"), "jean-eric.ndiaye");
        assert_eq!(
            base_login("Marie Claire", "de La Tour"),
            "marie-claire.de-la-tour"
        );
        assert_eq!(base_login("Anne", "D’Arc"), "anne.darc");
        assert_eq!(base_login(" Léo ", "  Petit--Jean "), "leo.petit-jean");
    }

    #[test]
    fn a_missing_name_part_still_gives_a_login() {
        assert_eq!(base_login("", "Martin"), "martin");
        assert_eq!(base_login("Inès", ""), "ines");
        assert_eq!(base_login("", "'"), "utilisateur");
    }

    #[test]
    fn homonyms_get_numbered_logins() {
        let taken = ["emma.martin", "emma.martin2"];
        assert_eq!(
            unique_login("emma.martin", |l| taken.contains(&l)),
            "emma.martin3"
        );
        assert_eq!(
            unique_login("hugo.petit", |l| taken.contains(&l)),
            "hugo.petit"
        );
    }

    #[test]
    fn generated_logins_are_valid_and_typed_logins_are_normalised() {
        assert!(is_valid(&base_login("Jean-Éric", "N'Diaye")));
        assert!(!is_valid("emma martin"));
        assert!(!is_valid(""));
        assert_eq!(normalize("  Eleve.Demo "), "eleve.demo");
    }

    #[test]
    fn a_typed_login_longer_than_a_hundred_characters_is_refused() {
        let longest = "é".repeat(MAX_TYPED_CHARS);
        assert_eq!(typed(&format!("  {longest}  ")), Some(longest.clone()));
        assert_eq!(typed(&format!("{longest}x")), None);
        assert_eq!(typed(&"a".repeat(1 << 20)), None);
        assert_eq!(typed(" Eleve.Demo "), Some("eleve.demo".to_owned()));
    }
}
