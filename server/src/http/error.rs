//! The one mapping from domain outcomes to HTTP statuses, stable error codes and French messages.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::domain::accounts::password::PasswordProblem;
use crate::domain::agenda::EventProblem;
use crate::domain::logbook::EntryProblem;
use crate::domain::messages::MessageProblem;
use crate::domain::news::NewsProblem;
use crate::domain::resources::files::QuotaScope;
use crate::domain::resources::DraftProblem;
use crate::domain::timetable::CourseProblem;
use crate::domain::DomainError;
use crate::files::FileError;

/// An error as the edge shows it. Internal details go to the log, never to the client.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    /// French, for the person in front of the screen.
    pub message: String,
    pub retry_after: Option<u64>,
    /// Recipients the communication rules refuse (id, label), named in the body.
    pub refused: Vec<(String, String)>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after: None,
            refused: Vec::new(),
        }
    }

    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Vous devez vous connecter.",
        )
    }

    pub fn forbidden() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Vous n'avez pas accès à cette page.",
        )
    }

    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "La page demandée n'existe pas ou a été déplacée.",
        )
    }

    pub fn csrf() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "csrf_failed",
            "Le formulaire a expiré ou ne vient pas de l'ENT. Rechargez la page et recommencez.",
        )
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", message)
    }

    /// The client did not send its request in time.
    pub fn request_timeout() -> Self {
        Self::new(
            StatusCode::REQUEST_TIMEOUT,
            "request_timeout",
            "L'envoi a pris trop de temps. Vérifiez votre connexion et réessayez.",
        )
    }

    /// One person asked for more concurrent work than their share.
    pub fn busy(message: impl Into<String>) -> Self {
        Self {
            retry_after: Some(5),
            ..Self::new(StatusCode::TOO_MANY_REQUESTS, "too_busy", message)
        }
    }

    pub fn password_change_required() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "password_change_required",
            "Vous devez changer votre mot de passe avant de continuer.",
        )
    }

    /// A title for the error page.
    pub fn heading(&self) -> &'static str {
        match self.status {
            StatusCode::NOT_FOUND => "Page introuvable",
            StatusCode::FORBIDDEN => "Accès refusé",
            StatusCode::UNAUTHORIZED => "Connexion nécessaire",
            StatusCode::TOO_MANY_REQUESTS => "Trop de tentatives",
            StatusCode::BAD_REQUEST => "Demande incorrecte",
            StatusCode::REQUEST_TIMEOUT => "Délai dépassé",
            _ => "Une erreur est survenue",
        }
    }
}

impl From<DomainError> for ApiError {
    fn from(error: DomainError) -> Self {
        use DomainError as E;
        match error {
            E::InvalidCredentials => Self::new(
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
                "Identifiant ou mot de passe incorrect.",
            ),
            E::Throttled { retry_after } => {
                let seconds = retry_after.as_secs().max(1);
                let minutes = seconds.div_ceil(60);
                let wait = if minutes > 1 {
                    format!("{minutes} minutes")
                } else {
                    "une minute".to_owned()
                };
                Self {
                    retry_after: Some(seconds),
                    ..Self::new(
                        StatusCode::TOO_MANY_REQUESTS,
                        "too_many_attempts",
                        format!("Trop de tentatives de connexion. Réessayez dans {wait}."),
                    )
                }
            }
            E::UnknownLogin(_) => Self::new(
                StatusCode::NOT_FOUND,
                "unknown_login",
                "Aucun compte ne porte cet identifiant.",
            ),
            E::UnknownClass(_) => Self::new(
                StatusCode::NOT_FOUND,
                "unknown_class",
                "Cette classe n'existe pas dans l'établissement.",
            ),
            E::UnknownPerson(_) => Self::new(
                StatusCode::NOT_FOUND,
                "unknown_person",
                "Cette personne n'existe pas dans l'annuaire.",
            ),
            E::UnknownResource(_) => Self::new(
                StatusCode::NOT_FOUND,
                "unknown_resource",
                "Cette ressource n'existe pas ou ne vous est pas destinée.",
            ),
            E::InvalidPage(_) => Self::new(
                StatusCode::BAD_REQUEST,
                "invalid_page",
                format!(
                    "Numéro de page invalide : donnez un nombre entier de 1 à {}.",
                    crate::search::MAX_PAGE
                ),
            ),
            E::InvalidResource(problem) => Self::bad_request(match problem {
                DraftProblem::Title => "Donnez un titre (200 caractères au plus).".to_owned(),
                DraftProblem::Description => "La description dépasse 5 000 caractères.".to_owned(),
                DraftProblem::Kind => "Choisissez le type de ressource.".to_owned(),
                DraftProblem::Discipline(code) => format!("Discipline inconnue : {code}."),
                DraftProblem::Level(id) => format!("Niveau inconnu : {id}."),
                DraftProblem::Theme(id) => format!("Thème du programme inconnu : {id}."),
                DraftProblem::Url => {
                    "L'adresse doit commencer par https:// (ou http://).".to_owned()
                }
                DraftProblem::NoContent => {
                    "Donnez l'adresse de la ressource ou déposez un fichier.".to_owned()
                }
                DraftProblem::PackageNeedsZip => {
                    "Un module interactif se dépose sous forme d'archive zip (IMS, SCORM ou HTML)."
                        .to_owned()
                }
                DraftProblem::NoAudience => {
                    "Cochez au moins une classe ou un groupe, ou publiez pour tout l'établissement."
                        .to_owned()
                }
                DraftProblem::Target(_) => {
                    "Vous ne pouvez publier qu'aux classes et groupes où vous enseignez.".to_owned()
                }
            }),
            E::Package(problem) => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_package",
                problem.french(),
            ),
            E::Upload(FileError::TooLarge { limit }) => Self::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "file_too_large",
                format!(
                    "Le fichier dépasse la taille maximale autorisée ({} Mio).",
                    limit >> 20
                ),
            ),
            E::Upload(FileError::Empty) => Self::bad_request("Le fichier envoyé est vide."),
            E::QuotaExceeded { scope, used, quota } => Self::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "quota_exceeded",
                match scope {
                    QuotaScope::Person => format!(
                        "Votre espace de fichiers est plein ({} Mio utilisés sur {} Mio) : \
                         supprimez des ressources ou demandez plus d'espace à l'administrateur.",
                        mib(used),
                        mib(quota)
                    ),
                    QuotaScope::Establishment => format!(
                        "L'espace de fichiers de l'établissement est plein ({} Mio sur {} Mio) : \
                         prévenez l'administrateur.",
                        mib(used),
                        mib(quota)
                    ),
                },
            ),
            E::Forbidden => Self::forbidden(),
            E::CasUnknownService => Self::new(
                StatusCode::FORBIDDEN,
                "cas_unknown_service",
                "Ce service n'est pas enregistré auprès de l'ENT\u{a0}: aucune connexion ne lui est transmise. Si vous pensez qu'il devrait l'être, adressez-vous à l'administrateur de l'ENT.",
            ),
            E::CasServiceRefused(name) => Self::new(
                StatusCode::FORBIDDEN,
                "cas_service_refused",
                format!("Le service «\u{a0}{name}\u{a0}» n'est pas ouvert à votre profil."),
            ),
            E::CasRegistry(problem) => {
                use crate::domain::cas::registry::RegistryProblem as P;
                use crate::domain::cas::service::PrefixProblem as A;
                let message = match problem {
                    P::NoName => "Donnez-lui un nom.".to_owned(),
                    P::NameTooLong => "Ce nom est trop long (80 caractères au plus).".to_owned(),
                    P::Address(A::Scheme(url)) => format!("«\u{a0}{url}\u{a0}» n'est pas une adresse commençant par https:// ou http://."),
                    P::Address(A::NoHost(url)) => format!("«\u{a0}{url}\u{a0}» ne nomme pas de serveur (lettres, chiffres, points et tirets)."),
                    P::Address(A::Wildcard(url)) => format!("«\u{a0}{url}\u{a0}» contient un joker, une espace ou un caractère de contrôle\u{a0}: une adresse ne couvre qu'un service."),
                    P::AlreadyCovered(url) => format!("Un service déjà enregistré couvre «\u{a0}{url}\u{a0}»."),
                };
                Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_cas_service", message)
            }
            E::CasUnknownEntry(_) => Self::not_found(),
            E::CasLogo(problem) => {
                use crate::domain::cas::logo::{LogoProblem as L, MAX_LOGO_BYTES};
                let message = match problem {
                    L::Empty => "Le fichier est vide.".to_owned(),
                    L::TooLarge(bytes) => format!(
                        "Ce logo pèse {}\u{a0}Ko\u{a0}: {}\u{a0}Ko au plus.",
                        bytes.div_ceil(1024),
                        MAX_LOGO_BYTES / 1024
                    ),
                    L::Svg => "Les images SVG ne sont pas acceptées (elles peuvent contenir du \
                               script)\u{a0}: envoyez une image PNG, JPEG ou WebP."
                        .to_owned(),
                    L::NotAnImage => {
                        "Ce fichier n'est pas une image PNG, JPEG ou WebP.".to_owned()
                    }
                };
                Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_logo", message)
            }
            E::CasBusy(_) => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "cas_busy",
                "Trop de connexions aux services sont en cours. Réessayez dans un instant.",
            ),
            E::PasswordChangeRequired => Self::password_change_required(),
            E::WrongCurrentPassword => Self::new(
                StatusCode::BAD_REQUEST,
                "wrong_password",
                "Le mot de passe actuel est incorrect.",
            ),
            E::WeakPassword(problem) => Self::new(
                StatusCode::BAD_REQUEST,
                "weak_password",
                match problem {
                    PasswordProblem::TooShort(n) => {
                        format!("Le mot de passe doit comporter au moins {n} caractères.")
                    }
                    PasswordProblem::TooLong => "Le mot de passe est trop long.".to_owned(),
                    PasswordProblem::SameAsLogin => {
                        "Le mot de passe ne peut pas être votre identifiant.".to_owned()
                    }
                    PasswordProblem::Unchanged => {
                        "Le nouveau mot de passe doit être différent de l'actuel.".to_owned()
                    }
                },
            ),
            E::PasswordMismatch => Self::new(
                StatusCode::BAD_REQUEST,
                "password_mismatch",
                "Les deux mots de passe saisis ne sont pas identiques.",
            ),
            E::InvalidActivation => Self::new(
                StatusCode::BAD_REQUEST,
                "invalid_activation",
                "Identifiant ou code d'activation incorrect, ou compte déjà activé.",
            ),
            E::ActivationExpired => Self::new(
                StatusCode::BAD_REQUEST,
                "activation_expired",
                "Ce code d'activation a expiré. Demandez une nouvelle fiche de connexion à \
                 l'établissement.",
            ),
            E::NotWaitingForActivation(_) => Self::new(
                StatusCode::CONFLICT,
                "not_waiting_for_activation",
                "Ce compte n'attend pas d'activation : il est déjà activé ou a été désactivé.",
            ),
            E::InvalidLogin(_) => Self::bad_request("Cet identifiant n'est pas valide."),
            E::AlreadyInstalled => Self::new(
                StatusCode::CONFLICT,
                "already_installed",
                "Préau est déjà en service\u{a0}: connectez-vous avec le compte administrateur.",
            ),
            E::LoginTaken(_) => Self::new(
                StatusCode::CONFLICT,
                "login_taken",
                "Cet identifiant est déjà utilisé.",
            ),
            E::JointureTaken(_) => Self::new(
                StatusCode::CONFLICT,
                "directory_key_taken",
                "Cette personne de l'annuaire a déjà un compte.",
            ),
            E::ImportRefused(refusal) => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "import_refused",
                format!("L'import est refusé\u{a0}: {}", refusal.french().join(" ")),
            ),
            E::UnknownCalendar => Self::new(
                StatusCode::NOT_FOUND,
                "unknown_calendar",
                "Cette adresse d'abonnement n'existe pas ou a été renouvelée.",
            ),
            E::UnknownNews(_) => Self::new(
                StatusCode::NOT_FOUND,
                "unknown_news",
                "Cette actualité n'existe pas, n'est plus publiée ou ne vous est pas destinée.",
            ),
            E::UnknownMessage(_) => Self::new(
                StatusCode::NOT_FOUND,
                "unknown_message",
                "Ce message n'existe pas ou n'est pas dans votre messagerie.",
            ),
            E::InvalidMessage(problem) => Self::bad_request(match problem {
                MessageProblem::NoRecipient => "Choisissez au moins un destinataire.".to_owned(),
                MessageProblem::NoSubject => "Donnez un objet au message.".to_owned(),
                MessageProblem::NoBody => "Écrivez le texte du message.".to_owned(),
                MessageProblem::TooLong => {
                    "L'objet (200 caractères) ou le texte est trop long.".to_owned()
                }
                MessageProblem::UnknownRecipient(id) => {
                    format!("Le destinataire « {id} » n'existe pas.")
                }
                MessageProblem::TooManyAttachments => format!(
                    "Un message porte au plus {} pièces jointes.",
                    crate::domain::messages::MAX_ATTACHMENTS
                ),
            }),
            E::RecipientsRefused(refused) => {
                let names: Vec<&str> = refused.iter().map(|(_, label)| label.as_str()).collect();
                let mut error = Self::new(
                    StatusCode::FORBIDDEN,
                    "recipients_refused",
                    format!(
                        "Vous ne pouvez pas écrire à\u{a0}: {}. Retirez-les des destinataires.",
                        names.join(", ")
                    ),
                );
                error.refused = refused;
                error
            }
            E::InvalidNews(problem) => Self::bad_request(match problem {
                NewsProblem::NoTitle => "Donnez un titre à l'actualité.".to_owned(),
                NewsProblem::NoBody => "Écrivez le texte de l'actualité.".to_owned(),
                NewsProblem::TooLong => {
                    "Le titre (150 caractères) ou le texte est trop long.".to_owned()
                }
                NewsProblem::EndsBeforeStart => {
                    "La date de fin de publication doit suivre celle du début.".to_owned()
                }
                NewsProblem::NoTarget => "Choisissez au moins une classe ou un groupe.".to_owned(),
                NewsProblem::UnknownTarget(code) => {
                    format!("Aucune classe ni aucun groupe « {code} ».")
                }
                NewsProblem::NotAnImage => {
                    "L'illustration doit être une image PNG, JPEG, GIF, WebP ou AVIF.".to_owned()
                }
            }),
            E::UnknownEvent(_) => Self::new(
                StatusCode::NOT_FOUND,
                "unknown_event",
                "Cet événement n'existe pas ou ne vous est pas destiné.",
            ),
            E::InvalidEvent(problem) => Self::bad_request(match problem {
                EventProblem::NoTitle => "Donnez un titre à l'événement.".to_owned(),
                EventProblem::TooLong => {
                    "Le titre (120 caractères), le lieu (80) ou la description (2 000) est trop long."
                        .to_owned()
                }
                EventProblem::EndsBeforeStart => "La fin doit suivre le début.".to_owned(),
                EventProblem::TooLongEvent => format!(
                    "Un événement dure au plus {} jours.",
                    crate::domain::agenda::event::MAX_DAYS
                ),
                EventProblem::NoTarget => "Choisissez au moins une classe ou un groupe.".to_owned(),
                EventProblem::UnknownTarget(code) => {
                    format!("Aucune classe ni aucun groupe « {code} ».")
                }
            }),
            E::UnknownHomework(_) => Self::new(
                StatusCode::NOT_FOUND,
                "unknown_homework",
                "Ce travail n'existe pas ou ne vous est pas destiné.",
            ),
            E::InvalidEntry(problem) => Self::bad_request(match problem {
                EntryProblem::ContentTooLong => format!(
                    "Le contenu de la séance est trop long (au plus {} caractères une fois mis en forme).",
                    crate::domain::logbook::content::MAX_CONTENT
                ),
                EntryProblem::DescriptionTooLong => format!(
                    "La description d'un travail dépasse {} caractères.",
                    crate::domain::logbook::write::MAX_DESCRIPTION
                ),
                EntryProblem::DueBeforeSession => {
                    "Un travail ne peut pas être pour une date antérieure à la séance.".to_owned()
                }
                EntryProblem::DueTooLate => {
                    "Un travail doit être pour une date dans l'année qui suit la séance.".to_owned()
                }
                EntryProblem::MinutesOutOfRange => {
                    "Le temps estimé doit être compris entre 1 et 600 minutes.".to_owned()
                }
                EntryProblem::UnknownResource(id) => format!(
                    "La ressource n° {id} n'existe pas dans la bibliothèque ou ne vous est pas accessible."
                ),
                EntryProblem::TooManyAttachments => format!(
                    "Une séance a au plus {} pièces jointes : retirez-en une d'abord.",
                    crate::domain::logbook::write::MAX_ATTACHMENTS
                ),
                EntryProblem::TooManyResources => format!(
                    "Une séance renvoie à {} ressources au plus.",
                    crate::domain::logbook::write::MAX_RESOURCES
                ),
                EntryProblem::InvalidDueDate => {
                    "La date « Pour le » d'un travail n'est pas une date (jj/mm/aaaa).".to_owned()
                }
                EntryProblem::NoHandIn => {
                    "Ce travail ne demande pas de rendre un fichier.".to_owned()
                }
                EntryProblem::NothingToCopy => {
                    "Cette séance n'a encore rien à copier : enregistrez-la d'abord.".to_owned()
                }
            }),
            E::UnknownCourse(_) => Self::new(
                StatusCode::NOT_FOUND,
                "unknown_course",
                "Ce cours n'est pas à l'emploi du temps.",
            ),
            E::NoSuchSession { .. } => Self::new(
                StatusCode::NOT_FOUND,
                "unknown_session",
                "Ce cours n'a pas lieu à cette date (jour sans classe, autre jour ou autre semaine).",
            ),
            E::InvalidCourse(problem) => Self::bad_request(match problem {
                CourseProblem::UnknownSubject(code) => {
                    format!("La matière {code} n'est pas dans l'annuaire.")
                }
                CourseProblem::UnknownTarget(code) => {
                    format!("Aucune classe ni aucun groupe « {code} ».")
                }
                CourseProblem::NotATeacher(_) => {
                    "Choisissez un enseignant de l'établissement.".to_owned()
                }
                CourseProblem::NoTeacher => "Choisissez au moins un enseignant.".to_owned(),
                CourseProblem::EndsBeforeStart => {
                    "L'heure de fin doit suivre l'heure de début.".to_owned()
                }
                CourseProblem::PeriodReversed => {
                    "La date de fin doit suivre la date de début.".to_owned()
                }
                CourseProblem::RoomTooLong => {
                    "Le nom de salle dépasse 40 caractères.".to_owned()
                }
            }),
            E::TimetableRefused(refusal) => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "timetable_refused",
                format!(
                    "Le fichier est refusé, l'emploi du temps n'a pas changé\u{a0}: {}",
                    refusal.french().join(" ")
                ),
            ),
            E::InvalidRange => Self::bad_request(format!(
                "Période invalide : la date de fin doit suivre celle de début, sur {} jours au plus.",
                crate::domain::timetable::MAX_RANGE_DAYS
            )),
            E::Hashing(_)
            | E::NoSearchIndex
            | E::Search(_)
            | E::Worker(_)
            | E::Store(_)
            | E::NoFileStorage
            | E::FileIo { .. }
            | E::UploadLockPoisoned
            | E::DemoPackage(_)
            | E::DemoDocument(_)
            | E::Archive(_)
            | E::PackageKey
            | E::Upload(FileError::Io { .. }) => {
                tracing::error!(%error, "internal error");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal_error",
                    "Une erreur interne est survenue. Réessayez dans un instant.",
                )
            }
        }
    }
}

/// Mebibytes, rounded up, for messages.
fn mib(bytes: u64) -> u64 {
    bytes.div_ceil(1 << 20)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut error = serde_json::json!({ "code": self.code, "message": self.message });
        if !self.refused.is_empty() {
            error["refused"] = self
                .refused
                .iter()
                .map(|(id, label)| serde_json::json!({ "id": id, "label": label }))
                .collect();
        }
        let body = serde_json::json!({ "error": error });
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}
