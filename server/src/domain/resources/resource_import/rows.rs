//! Checking a row of the CSV: its file or link, its title and description as the resource form
//! takes them, and its kind, disciplines, levels, themes and classes against the vocabularies
//! and the establishment.

use std::sync::Arc;

use super::archive::{file_name, Entries};
use super::folding::fold;
use super::table::{Column, Row};
use super::{ImportLimits, LineProblem};
use crate::domain::access::PublishScope;
use crate::domain::resources::resource::ResourceKind;
use crate::domain::resources::vocabulary::{Term, Vocabulary};
use crate::domain::resources::{
    valid_link, DraftSource, ResourceDraft, MAX_DESCRIPTION, MAX_TITLE,
};
use crate::domain::school::establishment::Target;
use crate::domain::school::indexed::IndexedEstablishment;
use crate::package::safe_path;

/// A theme's id with its labels folded, to find a theme by what a teacher calls it.
struct ThemeLabel {
    id: String,
    label: String,
    short: String,
}

/// Every theme of the programme tree.
fn theme_labels(vocabulary: &Vocabulary) -> Vec<ThemeLabel> {
    let mut labels = Vec::new();
    let mut pending = vocabulary.disciplines_roots();
    while let Some(theme) = pending.pop() {
        labels.push(ThemeLabel {
            id: theme.id.clone(),
            label: fold(&theme.label),
            short: fold(theme.short_label()),
        });
        pending.extend(vocabulary.children_of(&theme.id));
    }
    labels
}

/// A line that passed every check: the draft (its file still in the archive).
pub(super) struct CheckedRow {
    pub(super) line: u64,
    pub(super) draft: ResourceDraft,
    /// The path in the archive of the line's file.
    pub(super) file: Option<String>,
}

/// Checks lines against the vocabularies, the establishment and the archive.
pub(super) struct RowChecker<'a> {
    vocabulary: &'static Vocabulary,
    themes: Vec<ThemeLabel>,
    establishment: Arc<IndexedEstablishment>,
    /// What the author may publish to.
    allowed: PublishScope,
    entries: &'a Entries,
    /// The CSV's folder in the archive (`collection/`), which its paths are relative to.
    base: String,
    limits: &'a ImportLimits,
}

impl<'a> RowChecker<'a> {
    /// A checker for the lines of the CSV at `csv_path` in the archive of `entries`, for an
    /// author who may publish to `allowed`.
    pub(super) fn new(
        establishment: Arc<IndexedEstablishment>,
        allowed: PublishScope,
        entries: &'a Entries,
        csv_path: &str,
        limits: &'a ImportLimits,
    ) -> Self {
        Self {
            vocabulary: Vocabulary::embedded(),
            themes: theme_labels(Vocabulary::embedded()),
            establishment,
            allowed,
            entries,
            base: csv_path[..csv_path.rfind('/').map_or(0, |slash| slash + 1)].to_owned(),
            limits,
        }
    }

    pub(super) fn check(&self, row: &Row) -> Result<CheckedRow, Vec<LineProblem>> {
        let mut problems = Vec::new();
        let (file, link) = (row.cell(Column::File), row.cell(Column::Link));
        let mut source = DraftSource::Keep;
        let mut found = None;
        match (file.is_empty(), link.is_empty()) {
            (true, true) => problems.push(LineProblem::NoContent),
            (false, false) => problems.push(LineProblem::BothContents),
            (false, true) => match self.file(file) {
                Ok(path) => found = Some(path),
                Err(problem) => problems.push(problem),
            },
            (true, false) if valid_link(link) => source = DraftSource::Link(link.to_owned()),
            (true, false) => problems.push(LineProblem::BadUrl(link.to_owned())),
        }
        let kind = match row.cell(Column::Kind) {
            "" => None,
            value => {
                let kind = kind_of(value);
                if kind.is_none() {
                    problems.push(LineProblem::UnknownKind(value.to_owned()));
                }
                kind
            }
        };
        if kind == Some(ResourceKind::Package) && !file.to_lowercase().ends_with(".zip") {
            problems.push(LineProblem::PackageNeedsZip);
        }
        let title = match (row.cell(Column::Title), &found) {
            ("", Some(path)) => title_of(path),
            (title, _) => title.to_owned(),
        };
        if title.is_empty() && (file.is_empty() || found.is_some()) {
            problems.push(LineProblem::NoTitle);
        } else if title.chars().count() > MAX_TITLE {
            problems.push(LineProblem::TitleTooLong);
        }
        let description = row.cell(Column::Description).to_owned();
        if description.chars().count() > MAX_DESCRIPTION {
            problems.push(LineProblem::DescriptionTooLong);
        }
        let disciplines = each(row.cell(Column::Disciplines), &mut problems, |value| {
            self.discipline(value)
        });
        let levels = each(row.cell(Column::Levels), &mut problems, |value| {
            self.level(value)
        });
        let themes = each(row.cell(Column::Themes), &mut problems, |value| {
            self.theme(value)
        });
        let targets = each(row.cell(Column::Classes), &mut problems, |value| {
            self.target(value)
        });
        if !problems.is_empty() {
            return Err(problems);
        }
        let classes_given = !row.cell(Column::Classes).is_empty();
        Ok(CheckedRow {
            line: row.line,
            draft: ResourceDraft {
                title,
                description,
                kind,
                disciplines,
                levels,
                themes,
                keywords: list(row.cell(Column::Keywords))
                    .map(str::to_owned)
                    .collect(),
                licence: row.cell(Column::Licence).to_owned(),
                source,
                targets: classes_given.then_some(targets),
                published: true,
            },
            file: found,
        })
    }

    /// The archive path of the line's `fichier`, relative to the CSV's folder; `\` is taken for
    /// `/`, as a Windows user may type it.
    fn file(&self, written: &str) -> Result<String, LineProblem> {
        let relative = safe_path(&written.replace('\\', "/"))
            .map_err(|_| LineProblem::UnsafePath(written.to_owned()))?;
        let path = self
            .entries
            .find(&format!("{}{relative}", self.base))
            .ok_or_else(|| LineProblem::MissingFile(written.to_owned()))?;
        let entry = &self.entries.files[path];
        if !entry.readable {
            Err(LineProblem::UnreadableFile(written.to_owned()))
        } else if entry.size == 0 {
            Err(LineProblem::EmptyFile(written.to_owned()))
        } else if entry.size > self.limits.max_file_bytes {
            Err(LineProblem::FileTooLarge {
                path: written.to_owned(),
                limit: self.limits.max_file_bytes,
            })
        } else {
            Ok(path.to_owned())
        }
    }

    fn discipline(&self, value: &str) -> Result<String, LineProblem> {
        term_id(self.vocabulary.disciplines(), value, &fold(value))
            .ok_or_else(|| LineProblem::UnknownDiscipline(value.to_owned()))
    }

    /// By id or label, « 4ème » for « 4e » too.
    fn level(&self, value: &str) -> Result<String, LineProblem> {
        let folded = fold(value);
        let folded = match folded.strip_suffix("eme") {
            Some(digit) if digit.len() == 1 && digit.chars().all(|c| c.is_ascii_digit()) => {
                format!("{digit}e")
            }
            _ => folded,
        };
        term_id(self.vocabulary.levels(), value, &folded)
            .ok_or_else(|| LineProblem::UnknownLevel(value.to_owned()))
    }

    /// By id, full label, or label without its « (mathématiques cycle 4) » when that is enough
    /// to tell it from the others.
    fn theme(&self, value: &str) -> Result<String, LineProblem> {
        if self.vocabulary.theme(value).is_some() {
            return Ok(value.to_owned());
        }
        let folded = fold(value);
        let by_label: Vec<&ThemeLabel> = self.themes.iter().filter(|t| t.label == folded).collect();
        let matching = if by_label.is_empty() {
            self.themes.iter().filter(|t| t.short == folded).collect()
        } else {
            by_label
        };
        match matching.as_slice() {
            [theme] => Ok(theme.id.clone()),
            [] => Err(LineProblem::UnknownTheme(value.to_owned())),
            _ => Err(LineProblem::AmbiguousTheme(value.to_owned())),
        }
    }

    /// A class code (`4B`), or `groupe:CODE`, that the author may publish to.
    fn target(&self, value: &str) -> Result<Target, LineProblem> {
        let target = match value.split_once(':') {
            Some((prefix, code)) if fold(prefix) == "groupe" => self
                .establishment
                .groups
                .iter()
                .find(|group| group.code.eq_ignore_ascii_case(code.trim()))
                .map(|group| Target::Group(group.code.clone())),
            _ => self
                .establishment
                .classes
                .iter()
                .find(|class| class.code.eq_ignore_ascii_case(value))
                .map(|class| Target::Class(class.code.clone())),
        }
        .ok_or_else(|| LineProblem::UnknownTarget(value.to_owned()))?;
        if !self.allowed.allows(&target) {
            return Err(LineProblem::NotTaught(value.to_owned()));
        }
        Ok(target)
    }
}

/// The id of the term `value` names: its id, else a label that folds to `folded`.
fn term_id(terms: &[Term], value: &str, folded: &str) -> Option<String> {
    let by_id = terms.iter().find(|term| term.id == value);
    by_id
        .or_else(|| terms.iter().find(|term| fold(&term.label) == folded))
        .map(|term| term.id.clone())
}

/// The items of a list cell (`a, b`).
fn list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
}

/// Every item of a list cell resolved, the problems of those that are not kept.
fn each<T>(
    cell: &str,
    problems: &mut Vec<LineProblem>,
    resolve: impl Fn(&str) -> Result<T, LineProblem>,
) -> Vec<T> {
    let mut resolved = Vec::new();
    for item in list(cell) {
        match resolve(item) {
            Ok(value) => resolved.push(value),
            Err(problem) => problems.push(problem),
        }
    }
    resolved
}

/// A kind by its code (`video`) or its French name (« Vidéo »).
fn kind_of(value: &str) -> Option<ResourceKind> {
    let folded = fold(value);
    ResourceKind::ALL
        .into_iter()
        .find(|kind| kind.code() == folded || fold(kind.label()) == folded)
}

/// A title from a file's name: `Fractions_4e.pdf` gives « Fractions 4e ».
fn title_of(path: &str) -> String {
    let name = file_name(path);
    let stem = match name.rfind('.') {
        Some(dot) if dot > 0 => &name[..dot],
        _ => name,
    };
    stem.replace('_', " ").trim().to_owned()
}
