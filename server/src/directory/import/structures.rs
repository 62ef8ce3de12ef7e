//! The establishment's own records: its classes and groups, and the subject and MEF referentials.

use crate::directory::{self, Change, Entry, GroupDef, Structure};
use crate::domain::school::establishment::{Class, Establishment, Group, Level, Mef, Subject};

use super::report::Counts;
use super::scope::Scope;

/// Applies a record of the establishment's own structure. An `addRequest` describes the whole
/// structure, so its lists of classes and groups replace the stored ones.
pub fn apply_structure(
    establishment: &mut Establishment,
    structure: &Structure,
    whole: bool,
    keep_name: bool,
) {
    if let (Some(name), false) = (structure.name.value(), keep_name) {
        establishment.name = name.clone();
    }
    if let Some(academy) = structure.academy.value() {
        establishment.academie = academy.clone();
    }
    if whole || structure.classes.is_present() {
        let defs = structure.classes.value().cloned().unwrap_or_default();
        establishment.classes = defs
            .into_iter()
            .map(|def| {
                let level = establishment.class(&def.code).and_then(|class| class.level);
                Class {
                    label: label_or_code(def.label, &def.code),
                    code: def.code,
                    level,
                }
            })
            .collect();
    }
    if whole || structure.groups.is_present() {
        let defs: Vec<GroupDef> = structure.groups.value().cloned().unwrap_or_default();
        establishment.groups = defs
            .into_iter()
            .map(|def| Group {
                label: label_or_code(def.label, &def.code),
                code: def.code,
            })
            .collect();
    }
}

/// A class or group without label is shown by its code.
fn label_or_code(label: String, code: &str) -> String {
    if label.is_empty() {
        code.to_owned()
    } else {
        label
    }
}

/// Records the scope in the establishment: its UAI and structure jointure.
pub fn apply_scope(establishment: &mut Establishment, scope: &Scope) {
    establishment.uai = scope.uai.clone();
    establishment.structure = Some(scope.structure.clone());
}

/// Adds or relabels subjects; a `deleteRequest` removes one.
pub fn apply_subjects(subjects: &mut Vec<Subject>, entries: &[Entry<directory::Subject>]) {
    for entry in entries {
        match &entry.change {
            Change::Add(subject) | Change::Modify(subject) => {
                let label = subject.label.value().cloned().unwrap_or_default();
                upsert(
                    subjects,
                    Subject {
                        code: entry.id.clone(),
                        label,
                    },
                    |s| &s.code,
                );
            }
            Change::Delete => subjects.retain(|s| s.code != entry.id),
        }
    }
}

/// Adds or relabels MEFs; a `deleteRequest` removes one.
pub fn apply_mefs(mefs: &mut Vec<Mef>, entries: &[Entry<directory::Mef>]) {
    for entry in entries {
        match &entry.change {
            Change::Add(mef) | Change::Modify(mef) => {
                let label = mef.label.value().cloned().unwrap_or_default();
                upsert(
                    mefs,
                    Mef {
                        code: entry.id.clone(),
                        label,
                    },
                    |m| &m.code,
                );
            }
            Change::Delete => mefs.retain(|m| m.code != entry.id),
        }
    }
}

/// Relabels the item of `code` where it stands, or appends it: stable order keeps a re-import
/// of the same files from reporting changes.
fn upsert<T>(items: &mut Vec<T>, item: T, code: impl Fn(&T) -> &String) {
    match items.iter().position(|old| code(old) == code(&item)) {
        Some(index) => items[index] = item,
        None => items.push(item),
    }
}

/// The collège level a MEF code stands for: its first three digits are the « dispositif de
/// formation » (100 6e, 101 5e, 102 4e, 103 3e).
pub fn level_of_mef(mef: &str) -> Option<Level> {
    match mef.get(..3)? {
        "100" => Some(Level::Sixieme),
        "101" => Some(Level::Cinquieme),
        "102" => Some(Level::Quatrieme),
        "103" => Some(Level::Troisieme),
        _ => None,
    }
}

/// Compares two lists of coded items: `(created, updated, removed, unchanged)`.
pub fn diff<T: PartialEq>(
    before: &[T],
    after: &[T],
    code: impl Fn(&T) -> &str,
) -> (usize, usize, usize, usize) {
    let mut counts = (0, 0, 0, 0);
    for item in after {
        match before.iter().find(|old| code(old) == code(item)) {
            None => counts.0 += 1,
            Some(old) if old != item => counts.1 += 1,
            Some(_) => counts.3 += 1,
        }
    }
    counts.2 = before
        .iter()
        .filter(|old| !after.iter().any(|item| code(item) == code(old)))
        .count();
    counts
}

/// The report's counts for the establishment's lists, as `[created, updated, removed,
/// unchanged]`.
pub fn count(before: &Establishment, after: &Establishment) -> [Counts; 4] {
    let (classes, groups, subjects, mefs) = (
        diff(&before.classes, &after.classes, |c| &c.code),
        diff(&before.groups, &after.groups, |g| &g.code),
        diff(&before.subjects, &after.subjects, |s| &s.code),
        diff(&before.mefs, &after.mefs, |m| &m.code),
    );
    let pick = |select: fn((usize, usize, usize, usize)) -> usize| Counts {
        classes: select(classes),
        groups: select(groups),
        subjects: select(subjects),
        mefs: select(mefs),
        ..Counts::default()
    };
    [pick(|d| d.0), pick(|d| d.1), pick(|d| d.2), pick(|d| d.3)]
}
