//! The ENT services open to a person, as the navigation and the home page list them.
//! A service appears here once it exists: no link leads to an empty page.

use super::access::{self, Action};
use super::accounts::account::Account;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Service {
    pub href: &'static str,
    pub label: &'static str,
    pub description: &'static str,
}

const HOME: Service = Service {
    href: "/",
    label: "Accueil",
    description: "Votre page d'accueil",
};
const NOTIFICATIONS: Service = Service {
    href: "/notifications",
    label: "Notifications",
    description: "Ce qui vous concerne\u{a0}: messages, actualités, ressources",
};
const ACCOUNT: Service = Service {
    href: "/compte",
    label: "Mon compte",
    description: "Identifiant, profil et mot de passe",
};
const RESOURCES: Service = Service {
    href: "/ressources",
    label: "Ressources",
    description: "Les ressources pédagogiques publiées pour vous",
};
const TIMETABLE: Service = Service {
    href: "/emploi-du-temps",
    label: "Emploi du temps",
    description: "Les cours de la semaine, les salles et les changements",
};
const LOGBOOK: Service = Service {
    href: "/cahier-de-textes",
    label: "Cahier de textes",
    description: "Le travail à faire et ce qui a été fait en classe",
};
const MESSAGES: Service = Service {
    href: "/messagerie",
    label: "Messagerie",
    description: "Vos messages avec les enseignants, la vie scolaire et les familles",
};
const AGENDA: Service = Service {
    href: "/agenda",
    label: "Agenda",
    description: "Réunions, sorties, conseils de classe et vos rendez-vous",
};
const NEWS: Service = Service {
    href: "/actualites",
    label: "Actualités",
    description: "Les nouvelles de l'établissement et de vos classes",
};
const CLASSES: Service = Service {
    href: "/classes",
    label: "Classes",
    description: "Élèves et équipes pédagogiques des classes",
};
const ADMIN: Service = Service {
    href: "/admin",
    label: "Administration",
    description: "Établissement, comptes et profils",
};

/// Services in navigation order.
pub fn available_to(viewer: &Account) -> Vec<Service> {
    let mut services = vec![HOME];
    if access::uses_messages(viewer) {
        services.push(MESSAGES);
    }
    services.push(TIMETABLE);
    if access::uses_logbook(viewer) {
        services.push(LOGBOOK);
    }
    services.push(NEWS);
    services.push(AGENDA);
    services.push(RESOURCES);
    let no_class_list = access::class_scope(viewer, Vec::new) == access::ClassScope::None;
    if !no_class_list {
        services.push(CLASSES);
    }
    if access::allows(viewer, Action::ReadNotifications { owner: viewer.id }) {
        services.push(NOTIFICATIONS);
    }
    services.push(ACCOUNT);
    if access::allows(viewer, Action::Administer) {
        services.push(ADMIN);
    }
    services
}
