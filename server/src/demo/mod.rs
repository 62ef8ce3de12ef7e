//! The demo collège that `preau serve --demo` seeds on first start: realistic, deterministic,
//! and the same on every machine (seeded RNG).

mod agenda;
pub(crate) mod documents;
mod logbook;
mod messages;
mod names;
mod news;
mod package;
mod resources;
mod school;
#[cfg(test)]
pub(crate) mod testing;
mod timetable;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::domain::accounts::account::{Account, ChildLink, Responsibility, Schooling};
use crate::domain::accounts::activation::ActivationCode;
use crate::domain::accounts::password;
use crate::domain::accounts::profile::Profile;
use crate::domain::accounts::{InitialState, NewAccount};
use crate::domain::school::establishment::{Establishment, Level, Principal, Target, Teaching};
use crate::domain::{Domain, DomainError};
use crate::store::keys;

pub const PASSWORD: &str = "preau-demo";
/// The fixed demo logins, with what each one shows.
pub const LOGINS: [(&str, &str); 5] = [
    ("admin.demo", "administrateur de l'ENT"),
    (
        "enseignant.demo",
        "professeur de mathématiques, professeur principal de 4e B",
    ),
    ("eleve.demo", "élève de 4e B"),
    ("parent.demo", "parent de eleve.demo et d'un élève de 6e A"),
    ("cpe.demo", "vie scolaire : gère l'emploi du temps"),
];

const SEED: u64 = 0x0130_042A;

pub fn print_accounts() {
    println!("Comptes de démonstration (mot de passe : {PASSWORD}) :");
    for (login, what) in LOGINS {
        println!("  {login:<16} {what}");
    }
}

/// Seeds the demo collège when the store holds no account; returns whether it did.
pub fn seed_if_empty(domain: &Domain) -> Result<bool, DomainError> {
    if !domain.tables().accounts.is_empty() {
        return Ok(false);
    }
    tracing::info!("seeding the demo collège");
    Seeder::new(domain)?.run()?;
    Ok(true)
}

struct Seeder<'a> {
    domain: &'a Domain,
    rng: ChaCha8Rng,
    /// Salts of the activation codes, apart from `rng` so that hashing codes leaves the rest of
    /// the demo as it always was.
    salts: ChaCha8Rng,
    /// One hash of the demo password serves every demo account: hashing hundreds of times would
    /// make the first start slow for no benefit on a demo.
    demo_hash: String,
}

struct Staff {
    first: &'static str,
    last: &'static str,
    profile: Profile,
    subjects: &'static [&'static str],
    login: Option<&'static str>,
    is_admin: bool,
}

const fn staff(
    first: &'static str,
    last: &'static str,
    profile: Profile,
    subjects: &'static [&'static str],
) -> Staff {
    Staff {
        first,
        last,
        profile,
        subjects,
        login: None,
        is_admin: false,
    }
}

use school::*;

const TEAM: &[Staff] = &[
    Staff {
        login: Some("enseignant.demo"),
        ..staff("Thomas", "Moreau", Profile::Enseignant, &[MATHS])
    },
    staff("Isabelle", "Carpentier", Profile::Enseignant, &[MATHS]),
    staff("Karim", "Benali", Profile::Enseignant, &[MATHS]),
    staff(
        "Hélène",
        "Marchand",
        Profile::Enseignant,
        &[FRANCAIS, LATIN],
    ),
    staff("Julien", "Perrot", Profile::Enseignant, &[FRANCAIS]),
    staff("Aurélie", "Lemoine", Profile::Enseignant, &[FRANCAIS]),
    staff(
        "François",
        "Guérin",
        Profile::Enseignant,
        &[HISTOIRE_GEO, EMC],
    ),
    staff("Nadia", "Haddad", Profile::Enseignant, &[HISTOIRE_GEO, EMC]),
    staff(
        "Pierre",
        "Le Gall",
        Profile::Enseignant,
        &[HISTOIRE_GEO, EMC],
    ),
    staff("Emily", "Walker", Profile::Enseignant, &[ANGLAIS]),
    staff("Sandrine", "Roussel", Profile::Enseignant, &[ANGLAIS]),
    staff("Lucía", "Fernandez", Profile::Enseignant, &[ESPAGNOL]),
    staff("Markus", "Schneider", Profile::Enseignant, &[ALLEMAND]),
    staff(
        "Claire",
        "Dumas",
        Profile::Enseignant,
        &[SVT, SCIENCES_TECHNO],
    ),
    staff("Olivier", "Brunet", Profile::Enseignant, &[PHYSIQUE]),
    staff("Yann", "Le Goff", Profile::Enseignant, &[TECHNOLOGIE]),
    staff("Camille", "Roche", Profile::Enseignant, &[ARTS]),
    staff("Benoît", "Lacroix", Profile::Enseignant, &[MUSIQUE]),
    staff("Stéphane", "Vidal", Profile::Enseignant, &[EPS]),
    staff("Marion", "Aubert", Profile::Enseignant, &[EPS]),
    staff(
        "Anne",
        "Delaunay",
        Profile::Documentaliste,
        &[DOCUMENTATION],
    ),
    staff("Bernard", "Rousseau", Profile::Direction, &[]),
    staff("Laure", "Giraud", Profile::Direction, &[]),
    staff("Mehdi", "Ould Ahmed", Profile::VieScolaire, &[]),
    staff("Lucie", "Brun", Profile::VieScolaire, &[]),
    Staff {
        login: Some("cpe.demo"),
        ..staff("Hugo", "Lambert", Profile::VieScolaire, &[])
    },
    Staff {
        login: Some("admin.demo"),
        is_admin: true,
        ..staff("Nathalie", "Garnier", Profile::Administratif, &[])
    },
    staff("Sylvie", "Meunier", Profile::Administratif, &[]),
];

impl<'a> Seeder<'a> {
    fn new(domain: &'a Domain) -> Result<Self, DomainError> {
        Ok(Self {
            domain,
            rng: ChaCha8Rng::seed_from_u64(SEED),
            salts: ChaCha8Rng::seed_from_u64(SEED + 1),
            demo_hash: domain.accounts().hash_password(PASSWORD)?,
        })
    }

    fn active(&self) -> InitialState {
        InitialState::Active {
            password_hash: self.demo_hash.clone(),
        }
    }

    fn run(mut self) -> Result<(), DomainError> {
        let mut establishment = Establishment {
            uai: UAI.to_owned(),
            name: NAME.to_owned(),
            academie: ACADEMIE.to_owned(),
            classes: classes(),
            subjects: subjects(),
            ..Establishment::default()
        };
        let team = self.create_team()?;
        self.assign_teachings(&mut establishment, &team);
        let groups = self.create_pupils_and_parents(&establishment)?;
        establishment.groups = groups.iter().map(|(group, _)| group.clone()).collect();
        for (group, subject) in &groups {
            let teacher = team
                .iter()
                .find(|(staff, _)| staff.subjects.contains(subject))
                .map(|(_, id)| *id);
            if let Some(teacher) = teacher {
                establishment.teachings.push(Teaching {
                    teacher,
                    target: Target::Group(group.code.clone()),
                    subject: (*subject).to_owned(),
                });
            }
        }
        let courses = timetable::seed(self.domain, &establishment)?;
        tracing::info!(courses, "demo timetable written");
        self.domain
            .tables()
            .establishment
            .insert(keys::ESTABLISHMENT, &establishment.into())?;
        let resources = resources::seed(self.domain)?;
        tracing::info!(resources, "demo resources published");
        let entries = logbook::seed(self.domain)?;
        tracing::info!(entries, "demo cahier de textes written");
        let events = agenda::seed(self.domain)?;
        tracing::info!(events, "demo agenda written");
        let news = news::seed(self.domain)?;
        tracing::info!(news, "demo news published");
        let messages = messages::seed(self.domain)?;
        tracing::info!(messages, "demo messages sent");
        Ok(())
    }

    fn create_team(&mut self) -> Result<Vec<(&'static Staff, u64)>, DomainError> {
        let mut team = Vec::with_capacity(TEAM.len());
        for member in TEAM {
            let account = self.domain.accounts().create(NewAccount {
                login: member.login.map(str::to_owned),
                first_name: member.first.to_owned(),
                last_name: member.last.to_owned(),
                email: Some(format!(
                    "{}@ac-aix-marseille.fr",
                    crate::domain::accounts::login_name::base_login(member.first, member.last)
                )),
                profile: member.profile,
                is_admin: member.is_admin,
                initial: self.active(),
                jointure: None,
                pupil: None,
                children: Vec::new(),
            })?;
            team.push((member, account.id));
        }
        Ok(team)
    }

    /// Spreads each subject's classes over its teachers; the professeur principal of a class is
    /// one of its teachers, and enseignant.demo leads 4e B.
    fn assign_teachings(&self, establishment: &mut Establishment, team: &[(&Staff, u64)]) {
        for (level_index, level) in Level::ALL.iter().enumerate() {
            for (letter_index, letter) in LETTERS.iter().enumerate() {
                let class = class_code(*level, letter);
                let mut class_teachers = Vec::new();
                for subject in class_subjects(*level) {
                    // EMC goes with history-geography: the same teacher as the class's HG.
                    let lead = if *subject == EMC {
                        HISTOIRE_GEO
                    } else {
                        subject
                    };
                    let candidates: Vec<u64> = team
                        .iter()
                        .filter(|(staff, _)| staff.subjects.contains(&lead))
                        .map(|(_, id)| *id)
                        .collect();
                    if candidates.is_empty() {
                        continue;
                    }
                    let teacher = candidates[(level_index + letter_index) % candidates.len()];
                    establishment.teachings.push(Teaching {
                        teacher,
                        target: Target::Class(class.clone()),
                        subject: (*subject).to_owned(),
                    });
                    class_teachers.push(teacher);
                }
                let principal = if class == "4B" {
                    team[0].1
                } else {
                    class_teachers[(level_index * 3 + letter_index) % class_teachers.len()]
                };
                establishment.principals.push(Principal {
                    teacher: principal,
                    class,
                });
            }
        }
    }

    fn create_pupils_and_parents(
        &mut self,
        establishment: &Establishment,
    ) -> Result<Vec<(crate::domain::school::establishment::Group, &'static str)>, DomainError> {
        let groups: Vec<_> = Level::ALL.iter().flat_map(|l| option_groups(*l)).collect();
        // Pupils by family: most families have one child here, some two in different levels.
        let mut families: Vec<Family> = Vec::new();
        for (level_index, level) in Level::ALL.iter().enumerate() {
            for letter in LETTERS {
                let class = class_code(*level, letter);
                let size = self.rng.gen_range(24..=27);
                for _ in 0..size {
                    let sibling_of = (level_index > 0 && self.rng.gen_bool(0.12))
                        .then(|| {
                            let older: Vec<usize> = families
                                .iter()
                                .enumerate()
                                .filter(|(_, f)| f.children.len() == 1)
                                .map(|(i, _)| i)
                                .collect();
                            older.choose(&mut self.rng).copied()
                        })
                        .flatten();
                    let pupil = self.pupil_plan(*level, &class, &groups);
                    match sibling_of {
                        Some(index) => families[index].children.push(pupil),
                        None => {
                            let surname = *SURNAME_POOL.choose(&mut self.rng).unwrap_or(&"Martin");
                            families.push(Family {
                                surname,
                                children: vec![pupil],
                            });
                        }
                    }
                }
            }
        }
        self.place_demo_family(&mut families);
        for family in families {
            self.create_family(family)?;
        }
        let _ = establishment;
        Ok(groups)
    }

    fn pupil_plan(
        &mut self,
        level: Level,
        class: &str,
        groups: &[(crate::domain::school::establishment::Group, &'static str)],
    ) -> PupilPlan {
        let girl = self.rng.gen_bool(0.5);
        let first = if girl {
            names::GIRLS.choose(&mut self.rng)
        } else {
            names::BOYS.choose(&mut self.rng)
        };
        let digit = &level.label()[..1];
        let mut pupil_groups = Vec::new();
        if level != Level::Sixieme {
            let lv2 = if self.rng.gen_bool(0.7) {
                "ESP2"
            } else {
                "ALL2"
            };
            pupil_groups.push(format!("{digit}-{lv2}"));
            if self.rng.gen_bool(0.2) {
                pupil_groups.push(format!("{digit}-LAT"));
            }
        }
        pupil_groups.retain(|code| groups.iter().any(|(g, _)| &g.code == code));
        let birth_year =
            2026 - 11 - Level::ALL.iter().position(|l| *l == level).unwrap_or(0) as i32;
        PupilPlan {
            first: first.copied().unwrap_or("Camille"),
            class: class.to_owned(),
            groups: pupil_groups,
            birth: chrono::NaiveDate::from_ymd_opt(
                birth_year,
                self.rng.gen_range(1..=12),
                self.rng.gen_range(1..=28),
            ),
            login: None,
        }
    }

    /// eleve.demo is a pupil of 4B whose parent, parent.demo, also has a child in 6A.
    fn place_demo_family(&mut self, families: &mut Vec<Family>) {
        let take = |families: &mut Vec<Family>, class: &str| -> Option<PupilPlan> {
            let index = families
                .iter()
                .position(|f| f.children.len() == 1 && f.children[0].class == class)?;
            families.remove(index).children.pop()
        };
        let (Some(mut pupil), Some(mut sibling)) = (take(families, "4B"), take(families, "6A"))
        else {
            return;
        };
        pupil.first = "Léa";
        pupil.login = Some("eleve.demo");
        sibling.first = "Hugo";
        families.push(Family {
            surname: "Fontaine",
            children: vec![pupil, sibling],
        });
    }

    fn create_family(&mut self, family: Family) -> Result<(), DomainError> {
        let mut children = Vec::new();
        for plan in &family.children {
            let account = self.domain.accounts().create(NewAccount {
                login: plan.login.map(str::to_owned),
                first_name: plan.first.to_owned(),
                last_name: family.surname.to_owned(),
                email: None,
                profile: Profile::Eleve,
                is_admin: false,
                initial: self.active(),
                jointure: None,
                pupil: Some(Schooling {
                    class: Some(plan.class.clone()),
                    groups: plan.groups.clone(),
                    birth_date: plan.birth,
                    ine: Some(self.ine()),
                    since: None,
                    past: Vec::new(),
                }),
                children: Vec::new(),
            })?;
            children.push(account);
        }
        let is_demo = children.iter().any(|c| c.login == "eleve.demo");
        let two_parents = is_demo || self.rng.gen_bool(0.8);
        let mother_surname = if self.rng.gen_bool(0.3) {
            SURNAME_POOL
                .choose(&mut self.rng)
                .copied()
                .unwrap_or(family.surname)
        } else {
            family.surname
        };
        let mut parents = vec![(
            if is_demo {
                "Claire"
            } else {
                names::WOMEN
                    .choose(&mut self.rng)
                    .copied()
                    .unwrap_or("Anne")
            },
            mother_surname,
            Responsibility::Legal,
            is_demo.then_some("parent.demo"),
        )];
        if two_parents {
            parents.push((
                names::MEN.choose(&mut self.rng).copied().unwrap_or("Paul"),
                family.surname,
                Responsibility::Legal,
                None,
            ));
        } else if self.rng.gen_bool(0.3) {
            // A grandparent or other person in charge, level 2 in the directory.
            parents.push((
                names::WOMEN
                    .choose(&mut self.rng)
                    .copied()
                    .unwrap_or("Anne"),
                SURNAME_POOL
                    .choose(&mut self.rng)
                    .copied()
                    .unwrap_or("Martin"),
                Responsibility::InCharge,
                None,
            ));
        }
        // Families of 3C have not activated their accounts yet: their fiches de connexion show
        // the activation flow. Nobody sees the codes drawn here: printing the sheets issues
        // fresh ones, as it does for accounts imported from the directory. They are drawn as
        // they always were, so that the seeded demo stays the same collège.
        let to_activate = children.iter().all(|c| c.class() == Some("3C"));
        for (first, last, responsibility, login) in parents {
            let initial = if to_activate && login.is_none() {
                let code = password::one_time_code(&mut self.rng);
                InitialState::ToActivate {
                    code: ActivationCode::of(&code, &mut self.salts, self.domain.clock().now()),
                }
            } else {
                self.active()
            };
            self.domain.accounts().create(NewAccount {
                login: login.map(str::to_owned),
                first_name: first.to_owned(),
                last_name: last.to_owned(),
                email: Some(format!(
                    "{}@exemple.fr",
                    crate::domain::accounts::login_name::base_login(first, last)
                )),
                profile: Profile::Parent,
                is_admin: false,
                initial,
                jointure: None,
                pupil: None,
                children: children
                    .iter()
                    .map(|child: &Account| ChildLink {
                        pupil: child.id,
                        responsibility,
                    })
                    .collect(),
            })?;
        }
        Ok(())
    }

    /// An INE-shaped identifier: 9 digits and 2 letters.
    fn ine(&mut self) -> String {
        let digits: u32 = self.rng.gen_range(100_000_000..1_000_000_000);
        let a = char::from(b'A' + self.rng.gen_range(0..26u8));
        let b = char::from(b'A' + self.rng.gen_range(0..26u8));
        format!("{digits}{a}{b}")
    }
}

const SURNAME_POOL: &[&str] = names::SURNAMES;

struct Family {
    surname: &'static str,
    children: Vec<PupilPlan>,
}

struct PupilPlan {
    first: &'static str,
    class: String,
    groups: Vec<String>,
    birth: Option<chrono::NaiveDate>,
    login: Option<&'static str>,
}
