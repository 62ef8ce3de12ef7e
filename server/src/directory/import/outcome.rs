//! From the plan to accounts and an establishment to write, with the counts and warnings of
//! the report.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use rand::Rng;

use crate::domain::accounts::account::{Account, AccountState, ChildLink};
use crate::domain::accounts::activation::{self, ActivationCode};
use crate::domain::accounts::login_name;
use crate::domain::school::establishment::{Establishment, Principal, Target, Teaching};

use super::draft::{Draft, PersonKind};
use super::plan::Plan;
use super::report::{Counts, ImportReport, ReportProblem};
use super::structures;

/// What applying a plan writes.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Counts and warnings; `applied` is left to the caller.
    pub report: ImportReport,
    /// New accounts; their login is the base login, made unique when written.
    pub created: Vec<Account>,
    /// Stored accounts whose data or state changed.
    pub updated: Vec<Account>,
    /// Accounts deactivated by this import, whose sessions must end.
    pub deactivated: Vec<u64>,
    /// The establishment, when it changed.
    pub establishment: Option<Establishment>,
}

impl Plan {
    /// Account ids by jointure: stored ids, and for new persons ids that cannot collide with
    /// stored ones, good enough to compare and count (a dry run allocates nothing).
    pub fn provisional_ids(&self) -> HashMap<String, u64> {
        let mut next = u64::MAX;
        self.people
            .iter()
            .map(|(jointure, draft)| {
                let id = match &draft.stored {
                    Some(account) => account.id,
                    None => {
                        next -= 1;
                        next
                    }
                };
                (jointure.clone(), id)
            })
            .collect()
    }

    /// The new persons that the import creates, by jointure.
    pub fn new_people(&self) -> impl Iterator<Item = &str> {
        self.people
            .iter()
            .filter(|(_, d)| d.stored.is_none() && d.present)
            .map(|(j, _)| j.as_str())
    }

    /// Everything to write, with `ids` naming each person's account.
    pub fn outcome(
        &self,
        ids: &HashMap<String, u64>,
        now: DateTime<Utc>,
        rng: &mut impl Rng,
    ) -> Outcome {
        let children = self.children_by_parent(ids);
        let from_directory: HashSet<u64> = ids.values().copied().collect();
        let mut outcome = Outcome {
            report: ImportReport {
                skipped: self.skipped,
                warnings: self.warnings.clone(),
                adopted_uai: self.scope.adopted.then(|| self.scope.uai.clone()),
                ..ImportReport::default()
            },
            created: Vec::new(),
            updated: Vec::new(),
            deactivated: Vec::new(),
            establishment: None,
        };
        let report = &mut outcome.report;
        for (jointure, draft) in &self.people {
            let Some(&id) = ids.get(jointure) else {
                continue;
            };
            let links = children.get(jointure.as_str()).cloned().unwrap_or_default();
            let kind = draft.kind;
            match &draft.stored {
                None if draft.present => {
                    *report.created.person(kind) += 1;
                    let code = new_code(rng, now);
                    outcome.created.push(new_account(
                        id,
                        jointure,
                        draft,
                        links,
                        code,
                        now,
                        &from_directory,
                    ));
                }
                None => {}
                Some(stored) => {
                    let today = now.with_timezone(&chrono_tz::Europe::Paris).date_naive();
                    let mut account = stored.clone();
                    fill(&mut account, draft, links, &from_directory, today);
                    let was_active = !matches!(stored.state, AccountState::Deactivated { .. });
                    match (was_active, draft.present) {
                        (false, true) => {
                            *report.reactivated.person(kind) += 1;
                            account.state = match account.password_hash {
                                Some(_) => AccountState::Active,
                                None => AccountState::ToActivate {
                                    code: new_code(rng, now),
                                },
                            };
                        }
                        (true, false) => {
                            *report.deactivated.person(kind) += 1;
                            account.state = AccountState::Deactivated { since: now };
                            outcome.deactivated.push(account.id);
                        }
                        _ if account != *stored => {
                            *report.updated.person(kind) += 1;
                            if account.class() != stored.class() {
                                *report.moved.person(kind) += 1;
                            }
                        }
                        _ => {
                            if draft.covered {
                                *report.unchanged.person(kind) += 1;
                            }
                            continue;
                        }
                    }
                    account.updated_at = now;
                    outcome.updated.push(account);
                }
            }
        }
        let establishment = self.final_establishment(ids);
        let [created, updated, removed, unchanged] =
            structures::count(&self.stored_establishment, &establishment);
        add(&mut report.created, created);
        add(&mut report.updated, updated);
        add(&mut report.deactivated, removed);
        add(&mut report.unchanged, unchanged);
        report.warnings.extend(self.link_warnings(&establishment));
        if establishment != self.stored_establishment {
            outcome.establishment = Some(establishment);
        }
        outcome
    }

    /// Each parent's children, from the pupils' side of the link (the authoritative one); only
    /// pupils still in the directory.
    fn children_by_parent(&self, ids: &HashMap<String, u64>) -> HashMap<&str, Vec<ChildLink>> {
        let mut children: HashMap<&str, Vec<ChildLink>> = HashMap::new();
        for (jointure, pupil) in &self.people {
            if pupil.kind != PersonKind::Pupil || !pupil.present {
                continue;
            }
            let Some(&id) = ids.get(jointure) else {
                continue;
            };
            for (parent, responsibility) in &pupil.parents {
                let links = children.entry(parent.as_str()).or_default();
                if !links.iter().any(|link| link.pupil == id) {
                    links.push(ChildLink {
                        pupil: id,
                        responsibility: *responsibility,
                    });
                }
            }
        }
        children
    }

    /// The establishment with the teachings and class levels the persons give it.
    fn final_establishment(&self, ids: &HashMap<String, u64>) -> Establishment {
        let mut establishment = self.establishment.clone();
        let directory_ids: HashSet<u64> = self
            .people
            .values()
            .filter_map(|d| d.stored.as_ref().map(|a| a.id))
            .collect();
        // Teachings of accounts that did not come from the directory (the demo's) stay as they are.
        establishment
            .teachings
            .retain(|t| !directory_ids.contains(&t.teacher));
        establishment
            .principals
            .retain(|p| !directory_ids.contains(&p.teacher));
        for (jointure, staff) in &self.people {
            let (Some(&teacher), true) = (ids.get(jointure), staff.present) else {
                continue;
            };
            let classes = staff
                .class_teachings
                .iter()
                .map(|(code, subject)| (Target::Class(code.clone()), subject.clone()));
            let groups = staff
                .group_teachings
                .iter()
                .map(|(code, subject)| (Target::Group(code.clone()), subject.clone()));
            for (target, subject) in classes.chain(groups) {
                establishment.teachings.push(Teaching {
                    teacher,
                    target,
                    subject,
                });
            }
            for class in &staff.principal_of {
                establishment.principals.push(Principal {
                    teacher,
                    class: class.clone(),
                });
            }
        }
        for class in &mut establishment.classes {
            let level = self
                .people
                .values()
                .filter(|d| d.present && d.schooling.class.as_deref() == Some(&class.code))
                .find_map(|d| d.mef.as_deref().and_then(structures::level_of_mef));
            if level.is_some() {
                class.level = level;
            }
        }
        establishment
    }

    /// What the feed says that points nowhere: classes, groups, subjects, persons.
    fn link_warnings(&self, establishment: &Establishment) -> Vec<ReportProblem> {
        let present = |jointure: &str, kind: PersonKind| {
            self.people
                .get(jointure)
                .is_some_and(|d| d.kind == kind && d.present)
        };
        let has_class = |code: &str| establishment.classes.iter().any(|c| c.code == code);
        let has_group = |code: &str| establishment.groups.iter().any(|g| g.code == code);
        let has_subject = |code: &str| establishment.subjects.iter().any(|s| s.code == code);
        let mut warnings = Vec::new();
        for draft in self.people.values().filter(|d| d.present) {
            let Some(origin) = &draft.origin else {
                continue;
            };
            let mut warn = |message: String| {
                warnings.push(ReportProblem {
                    file: origin.file.clone(),
                    line: Some(origin.line),
                    record: Some(origin.record.clone()),
                    message,
                })
            };
            let schooling = &draft.schooling;
            if let Some(class) = schooling.class.as_deref().filter(|c| !has_class(c)) {
                warn(format!(
                    "ENTEleveClasses : l'établissement n'a pas de classe {class}"
                ));
            }
            for group in schooling.groups.iter().filter(|g| !has_group(g)) {
                warn(format!(
                    "ENTEleveGroupes : l'établissement n'a pas de groupe {group}"
                ));
            }
            for (parent, _) in draft
                .parents
                .iter()
                .filter(|(p, _)| !present(p, PersonKind::Parent))
            {
                warn(format!(
                    "ENTElevePersRelEleve : le responsable {parent} n'est pas dans l'annuaire ; aucun lien n'est créé"
                ));
            }
            for pupil in draft
                .listed_pupils
                .iter()
                .filter(|p| !present(p, PersonKind::Pupil))
            {
                warn(format!(
                    "ENTAuxPersRelEleveEleve : l'élève {pupil} n'est pas dans l'annuaire"
                ));
            }
            for (class, subject) in &draft.class_teachings {
                if !has_class(class) {
                    warn(format!(
                        "ENTAuxEnsClassesMatieres : l'établissement n'a pas de classe {class}"
                    ));
                }
                if !has_subject(subject) {
                    warn(format!(
                        "ENTAuxEnsClassesMatieres : matière {subject} inconnue"
                    ));
                }
            }
            for (group, subject) in &draft.group_teachings {
                if !has_group(group) {
                    warn(format!(
                        "ENTAuxEnsGroupesMatieres : l'établissement n'a pas de groupe {group}"
                    ));
                }
                if !has_subject(subject) {
                    warn(format!(
                        "ENTAuxEnsGroupesMatieres : matière {subject} inconnue"
                    ));
                }
            }
        }
        warnings
    }
}

/// Copies what the directory says about a person into their account; `from_directory` tells
/// which account ids are directory persons.
fn fill(
    account: &mut Account,
    draft: &Draft,
    children: Vec<ChildLink>,
    from_directory: &HashSet<u64>,
    today: NaiveDate,
) {
    account.first_name = draft.first_name.clone();
    account.last_name = draft.last_name.clone();
    account.email = draft.email.clone();
    account.profile = draft.profile;
    match draft.kind {
        PersonKind::Pupil => {
            account.pupil = Some(match &account.pupil {
                Some(stored) => stored.moved_to(&draft.schooling, today),
                None => draft.schooling.clone(),
            })
        }
        PersonKind::Parent => {
            // Links to pupils who are not from the directory are not the directory's to change.
            let mut kept: Vec<ChildLink> = account
                .children
                .iter()
                .filter(|old| !from_directory.contains(&old.pupil))
                .copied()
                .collect();
            kept.extend(children);
            account.children = kept;
        }
        PersonKind::Staff => {}
    }
}

/// The activation code of an account the import creates or brings back. Only its hash is kept,
/// so nobody will ever read it: it makes the account's wait for activation expire like any
/// other, and the administrator issues the code people use when printing the fiches de
/// connexion.
fn new_code(rng: &mut impl Rng, now: DateTime<Utc>) -> ActivationCode {
    ActivationCode::of(&activation::new_code(rng), rng, now)
}

fn new_account(
    id: u64,
    jointure: &str,
    draft: &Draft,
    children: Vec<ChildLink>,
    code: ActivationCode,
    now: DateTime<Utc>,
    from_directory: &HashSet<u64>,
) -> Account {
    let mut account = Account {
        id,
        login: login_name::base_login(&draft.first_name, &draft.last_name),
        first_name: String::new(),
        last_name: String::new(),
        email: None,
        profile: draft.profile,
        is_admin: false,
        state: AccountState::ToActivate { code },
        password_hash: None,
        must_change_password: false,
        jointure: Some(jointure.to_owned()),
        pupil: None,
        children: Vec::new(),
        created_at: now,
        updated_at: now,
        password_changed_at: None,
    };
    let today = now.with_timezone(&chrono_tz::Europe::Paris).date_naive();
    fill(&mut account, draft, children, from_directory, today);
    account
}

fn add(into: &mut Counts, from: Counts) {
    into.classes += from.classes;
    into.groups += from.groups;
    into.subjects += from.subjects;
    into.mefs += from.mefs;
}
