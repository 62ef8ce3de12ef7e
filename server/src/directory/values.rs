//! Formats of single AAF values. Each parser returns the reason a value is refused, in French
//! for the administrator, phrased to follow the quoted value in a message such as
//! `ENTEleveMEF : « 123 » n'est pas un code MEF (…)`.

use chrono::NaiveDate;

/// A `dd/mm/yyyy` date that exists in the calendar.
pub(crate) fn date(value: &str) -> Result<NaiveDate, String> {
    let refused = || "n'est pas une date valide (attendu : jj/mm/aaaa)".to_owned();
    let mut parts = value.split('/');
    let (Some(day), Some(month), Some(year), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(refused());
    };
    if day.len() != 2 || month.len() != 2 || year.len() != 4 {
        return Err(refused());
    }
    let number = |text: &str| {
        text.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| text.parse::<u32>().ok())
            .flatten()
    };
    match (number(day), number(month), number(year)) {
        (Some(day), Some(month), Some(year)) => i32::try_from(year)
            .ok()
            .and_then(|year| NaiveDate::from_ymd_opt(year, month, day))
            .ok_or_else(refused),
        _ => Err(refused()),
    }
}

/// `O` (oui) or `N` (non).
pub(crate) fn yes_no(value: &str) -> Result<bool, String> {
    match value {
        "O" | "o" => Ok(true),
        "N" | "n" => Ok(false),
        _ => Err("n'est ni O ni N".to_owned()),
    }
}

/// A MEF code: exactly 11 digits.
pub(crate) fn mef(value: &str) -> Result<String, String> {
    if value.len() == 11 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(value.to_owned())
    } else {
        Err("n'est pas un code MEF (attendu : 11 chiffres)".to_owned())
    }
}

/// A BCN subject code: exactly 6 digits.
pub(crate) fn bcn(value: &str) -> Result<String, String> {
    if value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(value.to_owned())
    } else {
        Err("n'est pas un code matière BCN (attendu : 6 chiffres)".to_owned())
    }
}

/// The trimmed `$`-separated parts of `value`, which must be as many as in `format`
/// (e.g. `struct$classCode`); the parts marked by `required` must not be empty.
pub(crate) fn compound<'v>(
    value: &'v str,
    format: &str,
    required: &[usize],
) -> Result<Vec<&'v str>, String> {
    let parts: Vec<&str> = value.split('$').map(str::trim).collect();
    let names: Vec<&str> = format.split('$').collect();
    if parts.len() != names.len() {
        return Err(format!(
            "compte {} au lieu de {} séparées par « $ » ({format})",
            parts_count(parts.len()),
            names.len()
        ));
    }
    for &index in required {
        if parts[index].is_empty() {
            return Err(format!("a la partie {} vide ({format})", names[index]));
        }
    }
    Ok(parts)
}

/// `1 partie`, `3 parties`.
fn parts_count(count: usize) -> String {
    if count > 1 {
        format!("{count} parties")
    } else {
        format!("{count} partie")
    }
}

/// A `0`/`1` flag inside a compound value.
pub(crate) fn flag(value: &str, name: &str) -> Result<bool, String> {
    match value {
        "1" => Ok(true),
        "0" => Ok(false),
        _ => Err(format!("a « {value} » pour {name} (attendu : 0 ou 1)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_dd_mm_yyyy_and_must_exist() {
        assert_eq!(
            date("03/07/2015"),
            Ok(NaiveDate::from_ymd_opt(2015, 7, 3).unwrap())
        );
        assert_eq!(
            date("29/02/2016").map(|d| d.to_string()),
            Ok("2016-02-29".to_owned())
        );
        for bad in [
            "31/02/2015",
            "29/02/2015",
            "2015-07-03",
            "3/7/2015",
            "03/07/15",
            "03/07/2015/1",
            "aa/07/2015",
            "+3/07/2015",
            "",
        ] {
            assert_eq!(
                date(bad),
                Err("n'est pas une date valide (attendu : jj/mm/aaaa)".to_owned()),
                "{bad}"
            );
        }
    }

    #[test]
    fn yes_no_is_o_or_n() {
        assert_eq!(
            (yes_no("O"), yes_no("N"), yes_no("o")),
            (Ok(true), Ok(false), Ok(true))
        );
        assert_eq!(yes_no("Y"), Err("n'est ni O ni N".to_owned()));
        assert!(yes_no("1").is_err());
    }

    #[test]
    fn codes_have_a_fixed_number_of_digits() {
        assert_eq!(mef("10010012110"), Ok("10010012110".to_owned()));
        assert!(mef("1001001211").is_err() && mef("1001001211X").is_err());
        assert_eq!(
            mef("1001001211"),
            Err("n'est pas un code MEF (attendu : 11 chiffres)".to_owned())
        );
        assert_eq!(bcn("020700"), Ok("020700".to_owned()));
        assert_eq!(
            bcn("L0000"),
            Err("n'est pas un code matière BCN (attendu : 6 chiffres)".to_owned())
        );
    }

    #[test]
    fn compounds_have_the_parts_of_their_format() {
        assert_eq!(
            compound("4521$6A", "struct$classCode", &[0, 1]),
            Ok(vec!["4521", "6A"])
        );
        assert_eq!(
            compound("4521$6A$X", "struct$classCode", &[0, 1]),
            Err("compte 3 parties au lieu de 2 séparées par « $ » (struct$classCode)".to_owned())
        );
        assert_eq!(
            compound("4521$", "struct$classCode", &[0, 1]),
            Err("a la partie classCode vide (struct$classCode)".to_owned())
        );
        assert_eq!(compound("6A$", "code$label", &[0]), Ok(vec!["6A", ""]));
        assert_eq!(
            compound("6A", "code$label", &[0]),
            Err("compte 1 partie au lieu de 2 séparées par « $ » (code$label)".to_owned())
        );
    }

    #[test]
    fn flags_are_0_or_1() {
        assert_eq!(
            (flag("1", "contact"), flag("0", "contact")),
            (Ok(true), Ok(false))
        );
        assert_eq!(
            flag("O", "contact"),
            Err("a « O » pour contact (attendu : 0 ou 1)".to_owned())
        );
    }
}
