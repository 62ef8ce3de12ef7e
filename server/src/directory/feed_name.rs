//! Names of AAF files (`ENT2D_Complet_20260901_Eleve_0000.xml`) and the kinds of data they hold.

use std::fmt;

use chrono::NaiveDate;

/// Whether a file is a full export of the directory or the changes since the previous export.
///
/// Full exports sort before deltas of the same day, so that a delta applies on top of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExportType {
    /// Full export: a person absent from it has left.
    Complet,
    /// Changes only: nothing can be inferred from absence.
    Delta,
}

/// The six kinds of AAF files, declared in import order.
///
/// Structures come first because every other record points to one (attachment, classes,
/// groups); subjects and MEFs are the referentials that teaching assignments and pupils point to.
/// Staff refer only to those, so they come next: the accounts that run the establishment are
/// up to date even if a later file is refused. Pupils precede parents because the pupil's
/// `ENTElevePersRelEleve` carries the link and its attributes, and a parent is only meaningful
/// through the pupils they are responsible for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FeedKind {
    /// Establishments (`categorieStructure` = `EtabEducNat`).
    EtabEducNat,
    /// Subjects (`categorieMatiere` = `MatEducNat`).
    MatiereEducNat,
    /// MEF levels (`categorieMef` = `MefEducNat`).
    MefEducNat,
    /// Staff (`categoriePersonne` = `PersEducNat`).
    PersEducNat,
    /// Pupils (`categoriePersonne` = `Eleve`).
    Eleve,
    /// Parents and other responsible persons (`categoriePersonne` = `PersRelEleve`).
    PersRelEleve,
}

impl fmt::Display for ExportType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Complet => "Complet",
            Self::Delta => "Delta",
        })
    }
}

impl FeedKind {
    const ALL: [Self; 6] = [
        Self::EtabEducNat,
        Self::MatiereEducNat,
        Self::MefEducNat,
        Self::PersEducNat,
        Self::Eleve,
        Self::PersRelEleve,
    ];

    /// The kind as written in file names.
    pub fn file_token(self) -> &'static str {
        match self {
            Self::EtabEducNat => "EtabEducNat",
            Self::MatiereEducNat => "MatiereEducNat",
            Self::MefEducNat => "MefEducNat",
            Self::PersEducNat => "PersEducNat",
            Self::Eleve => "Eleve",
            Self::PersRelEleve => "PersRelEleve",
        }
    }

    /// The `operationalAttributes` attribute and value that mark a record of this kind.
    pub fn category(self) -> (&'static str, &'static str) {
        match self {
            Self::EtabEducNat => ("categorieStructure", "EtabEducNat"),
            Self::MatiereEducNat => ("categorieMatiere", "MatEducNat"),
            Self::MefEducNat => ("categorieMef", "MefEducNat"),
            Self::PersEducNat => ("categoriePersonne", "PersEducNat"),
            Self::Eleve => ("categoriePersonne", "Eleve"),
            Self::PersRelEleve => ("categoriePersonne", "PersRelEleve"),
        }
    }

    fn from_file_token(token: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.file_token().eq_ignore_ascii_case(token))
    }

    pub(crate) fn from_category(attribute: &str, value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.category() == (attribute, value))
    }

    pub(crate) fn is_category_attribute(attribute: &str) -> bool {
        Self::ALL
            .into_iter()
            .any(|kind| kind.category().0 == attribute)
    }
}

impl fmt::Display for FeedKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.file_token())
    }
}

/// What an AAF file name says: `<prefix>_<Complet|Delta>_<yyyymmdd>_<kind>_<nnnn>.xml`.
///
/// Names sort in import order: by day, full export before delta, kind, then part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FeedFileName {
    /// Day of the export.
    pub date: NaiveDate,
    /// Full export or delta.
    pub export: ExportType,
    /// Kind of records in the file.
    pub kind: FeedKind,
    /// Part number, when a kind spans several files (`_0000`, `_0001`, …).
    pub seq: u32,
}

impl FeedFileName {
    /// Recognises the last component of `name` (folders and `archive.zip!/` prefixes are
    /// ignored); `None` when it does not follow the convention.
    pub fn parse(name: &str) -> Option<Self> {
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
        let stem = strip_suffix_ignore_case(base, ".xml")?;
        let mut parts = stem.rsplitn(5, '_');
        let seq = parts.next()?;
        let kind = parts.next()?;
        let date = parts.next()?;
        let export = parts.next()?;
        let prefix = parts.next()?;
        if prefix.is_empty() || !all_digits(seq) || date.len() != 8 || !all_digits(date) {
            return None;
        }
        let export = if export.eq_ignore_ascii_case("Complet") {
            ExportType::Complet
        } else if export.eq_ignore_ascii_case("Delta") {
            ExportType::Delta
        } else {
            return None;
        };
        Some(Self {
            date: NaiveDate::parse_from_str(date, "%Y%m%d").ok()?,
            export,
            kind: FeedKind::from_file_token(kind)?,
            seq: seq.parse().ok()?,
        })
    }
}

fn all_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

fn strip_suffix_ignore_case<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    let split = text.len().checked_sub(suffix.len())?;
    let (stem, tail) = (text.get(..split)?, text.get(split..)?);
    tail.eq_ignore_ascii_case(suffix).then_some(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_standard_name_gives_export_date_kind_and_part() {
        assert_eq!(
            FeedFileName::parse("ENT2D_Complet_20260901_Eleve_0000.xml"),
            Some(FeedFileName {
                date: date(2026, 9, 1),
                export: ExportType::Complet,
                kind: FeedKind::Eleve,
                seq: 0,
            })
        );
        let delta = FeedFileName::parse("ENT2D_Delta_20260902_PersRelEleve_0003.XML").unwrap();
        assert_eq!(
            (delta.export, delta.kind, delta.seq),
            (ExportType::Delta, FeedKind::PersRelEleve, 3)
        );
    }

    #[test]
    fn folders_and_archive_prefixes_are_ignored() {
        let name =
            FeedFileName::parse("export.zip!/aaf/ENT2D_Complet_20260901_MatiereEducNat_0001.xml");
        assert_eq!(
            name.map(|n| (n.kind, n.seq)),
            Some((FeedKind::MatiereEducNat, 1))
        );
    }

    #[test]
    fn every_kind_is_recognised_from_its_file_token() {
        for kind in FeedKind::ALL {
            let name = format!("ENT2D_Complet_20260901_{}_0000.xml", kind.file_token());
            assert_eq!(FeedFileName::parse(&name).map(|n| n.kind), Some(kind));
        }
    }

    #[test]
    fn names_off_the_convention_are_not_recognised() {
        for name in [
            "eleves.xml",
            "ENT2D_Complet_20260901_Eleve_0000.txt",
            "Complet_20260901_Eleve_0000.xml",
            "ENT2D_Partiel_20260901_Eleve_0000.xml",
            "ENT2D_Complet_20260231_Eleve_0000.xml",
            "ENT2D_Complet_2026091_Eleve_0000.xml",
            "ENT2D_Complet_20260901_Parent_0000.xml",
            "ENT2D_Complet_20260901_Eleve_00a0.xml",
            "ENT2D_Complet_20260901_Eleve_.xml",
        ] {
            assert_eq!(FeedFileName::parse(name), None, "{name}");
        }
    }

    #[test]
    fn categories_map_to_kinds_and_back() {
        assert_eq!(
            FeedKind::from_category("categorieMatiere", "MatEducNat"),
            Some(FeedKind::MatiereEducNat)
        );
        assert_eq!(
            FeedKind::from_category("categoriePersonne", "MatEducNat"),
            None
        );
        for kind in FeedKind::ALL {
            let (attribute, value) = kind.category();
            assert_eq!(FeedKind::from_category(attribute, value), Some(kind));
            assert!(FeedKind::is_category_attribute(attribute));
        }
    }

    #[test]
    fn kinds_sort_in_import_order() {
        let mut kinds = FeedKind::ALL;
        kinds.reverse();
        kinds.sort();
        assert_eq!(kinds, FeedKind::ALL);
        assert!(FeedKind::EtabEducNat < FeedKind::PersEducNat);
        assert!(FeedKind::Eleve < FeedKind::PersRelEleve);
        assert!(ExportType::Complet < ExportType::Delta);
        assert_eq!(
            format!("{} {}", ExportType::Delta, FeedKind::Eleve),
            "Delta Eleve"
        );
    }
}
