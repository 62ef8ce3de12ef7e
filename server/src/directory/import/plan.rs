//! The plan: the feed applied, in memory, to what the store holds.
//!
//! Persons are keyed by `ENTPersonJointure`, never by name: a renamed person keeps their
//! account, data and login. Files are applied in the reader's order; after the files of one full
//! export of a kind, the persons of that kind it left out have left the establishment.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

use crate::directory::{
    Change, Entry, ExportType, Feed, FeedFile, FeedKind, Parent, Problem, Pupil, Records, Staff,
};
use crate::domain::accounts::account::Account;
use crate::domain::school::establishment::{Establishment, Target};

use super::draft::{Draft, Origin, PersonKind};
use super::report::{Counts, ReportProblem};
use super::scope::{find_scope, Scope};
use super::structures;

/// The feed applied in memory; `Plan::outcome` (in `outcome.rs`) turns it into accounts.
#[derive(Clone, Debug)]
pub struct Plan {
    pub scope: Scope,
    /// Every directory person, stored or new, by jointure.
    pub people: BTreeMap<String, Draft>,
    /// The establishment as stored.
    pub stored_establishment: Establishment,
    /// The establishment with the feed applied; teachings and principals are rebuilt from
    /// [`Plan::people`] when the plan is turned into accounts.
    pub establishment: Establishment,
    /// Person records of other establishments, left aside.
    pub skipped: Counts,
    pub warnings: Vec<ReportProblem>,
}

/// The stored state the plan starts from.
pub struct Stored {
    pub accounts: Vec<Account>,
    pub establishment: Establishment,
}

impl Plan {
    /// Applies `feed` to `stored` in memory. `configured_uai` and `configured_name` come from the
    /// configuration; an error refuses the whole feed.
    pub fn compute(
        feed: &Feed,
        stored: Stored,
        configured_uai: Option<&str>,
        configured_name: bool,
    ) -> Result<Self, Problem> {
        let scope = find_scope(feed, configured_uai, &stored.establishment)?;
        let mut establishment = stored.establishment.clone();
        structures::apply_scope(&mut establishment, &scope);
        let mut plan = Self {
            people: people_of(&stored),
            stored_establishment: stored.establishment,
            establishment,
            scope,
            skipped: Counts::default(),
            warnings: Vec::new(),
        };
        let mut group: Option<(NaiveDate, FeedKind)> = None;
        let mut seen: HashSet<String> = HashSet::new();
        for file in &feed.files {
            let key = file
                .name
                .filter(|name| name.export == ExportType::Complet)
                .map(|name| (name.date, name.kind));
            if key != group {
                if let Some((_, kind)) = group {
                    plan.close_full_export(kind, &seen, file);
                }
                group = key;
                seen.clear();
            }
            plan.apply_file(file, configured_name, &mut seen);
        }
        if let (Some((_, kind)), Some(last)) = (group, feed.files.last()) {
            plan.close_full_export(kind, &seen, last);
        }
        Ok(plan)
    }

    fn apply_file(&mut self, file: &FeedFile, keep_name: bool, seen: &mut HashSet<String>) {
        let structure = self.scope.structure.clone();
        match &file.records {
            Records::Structures(entries) => {
                for entry in entries.iter().filter(|e| e.id == structure) {
                    match &entry.change {
                        Change::Add(s) => {
                            structures::apply_structure(&mut self.establishment, s, true, keep_name)
                        }
                        Change::Modify(s) => structures::apply_structure(
                            &mut self.establishment,
                            s,
                            false,
                            keep_name,
                        ),
                        Change::Delete => self.warn(
                            file,
                            entry,
                            "deleteRequest visant l'établissement lui-même ; requête ignorée",
                        ),
                    }
                }
            }
            Records::Subjects(entries) => {
                structures::apply_subjects(&mut self.establishment.subjects, entries);
                seen.extend(entries.iter().map(|e| e.id.clone()));
            }
            Records::Mefs(entries) => {
                structures::apply_mefs(&mut self.establishment.mefs, entries);
                seen.extend(entries.iter().map(|e| e.id.clone()));
            }
            Records::Staff(entries) => {
                for entry in entries {
                    let ours = |staff: &Staff| {
                        let attached = staff
                            .person
                            .structure
                            .value()
                            .or_else(|| staff.functions.value()?.first().map(|f| &f.structure));
                        attached.is_none_or(|s| *s == structure)
                    };
                    self.person(file, entry, PersonKind::Staff, seen, ours, |d, s, w| {
                        d.staff(s, &structure, w)
                    });
                }
            }
            Records::Pupils(entries) => {
                for entry in entries {
                    let ours = |pupil: &Pupil| {
                        let attached = pupil
                            .person
                            .structure
                            .value()
                            .or_else(|| pupil.classes.value()?.first().map(|c| &c.structure));
                        attached.is_none_or(|s| *s == structure)
                    };
                    self.person(file, entry, PersonKind::Pupil, seen, ours, |d, p, w| {
                        d.pupil(p, &structure, w)
                    });
                }
            }
            Records::Parents(entries) => {
                let linked = self.linked_parents();
                for entry in entries {
                    let ours = self.is_our_parent(entry, &linked);
                    self.person(
                        file,
                        entry,
                        PersonKind::Parent,
                        seen,
                        |_| ours,
                        |d, p, w| d.parent(p, w),
                    );
                }
            }
        }
    }

    /// Parents carry no attachment of their own (`ENTPersonStructRattach` is for pupils and
    /// staff): they belong to the establishment through the pupils who name them, the pupils
    /// they name, or because the establishment already knows them.
    fn is_our_parent(&self, entry: &Entry<Parent>, linked: &HashSet<String>) -> bool {
        let (Change::Add(parent) | Change::Modify(parent)) = &entry.change else {
            return true;
        };
        if let Some(structure) = parent.person.structure.value() {
            return *structure == self.scope.structure;
        }
        let names_ours = parent.pupils.value().is_some_and(|pupils| {
            pupils.iter().any(|pupil| {
                self.people
                    .get(pupil)
                    .is_some_and(|d| d.kind == PersonKind::Pupil && d.present)
            })
        });
        names_ours || linked.contains(&entry.id) || self.people.contains_key(&entry.id)
    }

    /// Applies one person record, unless it belongs to another establishment.
    fn person<T>(
        &mut self,
        file: &FeedFile,
        entry: &Entry<T>,
        kind: PersonKind,
        seen: &mut HashSet<String>,
        ours: impl Fn(&T) -> bool,
        apply: impl Fn(&mut Draft, &T, bool),
    ) {
        let (object, whole) = match &entry.change {
            Change::Add(object) => (Some(object), true),
            Change::Modify(object) => (Some(object), false),
            Change::Delete => (None, false),
        };
        if object.is_some_and(|object| !ours(object)) {
            *self.skipped.person(kind) += 1;
            return;
        }
        let origin = Origin {
            file: file.source.clone(),
            line: entry.line,
            record: entry.id.clone(),
        };
        match (object, whole, self.people.get_mut(&entry.id)) {
            (Some(object), true, found) => {
                let draft = match found {
                    Some(draft) => draft,
                    None => self
                        .people
                        .entry(entry.id.clone())
                        .or_insert_with(|| Draft::new(kind)),
                };
                apply(draft, object, true);
                draft.present = true;
                draft.origin = Some(origin);
                draft.covered = true;
                seen.insert(entry.id.clone());
            }
            (Some(object), false, Some(draft)) => {
                apply(draft, object, false);
                draft.origin = Some(origin);
                draft.covered = true;
                seen.insert(entry.id.clone());
            }
            (Some(_), _, None) => self.warn(
                file,
                entry,
                "modifyRequest pour une personne que l'établissement ne connaît pas ; requête ignorée",
            ),
            (None, _, Some(draft)) => {
                draft.present = false;
                draft.origin = Some(origin);
                draft.covered = true;
            }
            (None, _, None) => {}
        }
    }

    /// The files of one full export of `kind` are applied: whoever they left out has left.
    fn close_full_export(&mut self, kind: FeedKind, seen: &HashSet<String>, file: &FeedFile) {
        let persons = match kind {
            FeedKind::Eleve => PersonKind::Pupil,
            FeedKind::PersRelEleve => PersonKind::Parent,
            FeedKind::PersEducNat => PersonKind::Staff,
            FeedKind::MatiereEducNat => {
                self.establishment
                    .subjects
                    .retain(|s| seen.contains(&s.code));
                return;
            }
            FeedKind::MefEducNat => {
                self.establishment.mefs.retain(|m| seen.contains(&m.code));
                return;
            }
            FeedKind::EtabEducNat => return,
        };
        if seen.is_empty() {
            // An export without one person of the establishment is a wrong file, not an
            // establishment that everybody left.
            self.warnings.push(ReportProblem {
                file: file.source.clone(),
                line: None,
                record: None,
                message: format!(
                    "l'export complet {kind} ne contient aucune personne de cet établissement ; aucun compte n'est désactivé"
                ),
            });
            return;
        }
        for (jointure, draft) in self.people.iter_mut() {
            if draft.kind == persons && !seen.contains(jointure) {
                draft.present = false;
                draft.covered = true;
            }
        }
    }

    /// Parents named by the pupils of the establishment.
    fn linked_parents(&self) -> HashSet<String> {
        self.people
            .values()
            .filter(|d| d.kind == PersonKind::Pupil && d.present)
            .flat_map(|d| d.parents.iter().map(|(parent, _)| parent.clone()))
            .collect()
    }

    fn warn<T>(&mut self, file: &FeedFile, entry: &Entry<T>, message: &str) {
        self.warnings.push(ReportProblem {
            file: file.source.clone(),
            line: Some(entry.line),
            record: Some(entry.id.clone()),
            message: message.to_owned(),
        });
    }
}

/// The directory persons of the store, with their links and teachings keyed by jointure.
fn people_of(stored: &Stored) -> BTreeMap<String, Draft> {
    let jointure_of: HashMap<u64, &str> = stored
        .accounts
        .iter()
        .filter_map(|a| a.jointure.as_deref().map(|j| (a.id, j)))
        .collect();
    let mut people: BTreeMap<String, Draft> = stored
        .accounts
        .iter()
        .filter_map(|a| Some((a.jointure.clone()?, Draft::from_stored(a.clone()))))
        .collect();
    for parent in stored.accounts.iter().filter(|a| a.jointure.is_some()) {
        let Some(parent_jointure) = &parent.jointure else {
            continue;
        };
        for link in &parent.children {
            let pupil = jointure_of
                .get(&link.pupil)
                .and_then(|j| people.get_mut(*j));
            if let Some(pupil) = pupil {
                pupil
                    .parents
                    .push((parent_jointure.clone(), link.responsibility));
            }
        }
    }
    let establishment = &stored.establishment;
    for teaching in &establishment.teachings {
        let teacher = jointure_of
            .get(&teaching.teacher)
            .and_then(|j| people.get_mut(*j));
        if let Some(teacher) = teacher {
            let pair = |code: &String| (code.clone(), teaching.subject.clone());
            match &teaching.target {
                Target::Class(code) => teacher.class_teachings.push(pair(code)),
                Target::Group(code) => teacher.group_teachings.push(pair(code)),
            }
        }
    }
    for principal in &establishment.principals {
        if let Some(teacher) = jointure_of
            .get(&principal.teacher)
            .and_then(|j| people.get_mut(*j))
        {
            teacher.principal_of.push(principal.class.clone());
        }
    }
    people
}
