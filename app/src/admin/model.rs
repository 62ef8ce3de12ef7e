//! Views of the administration pages: the overview, the « fiches de connexion » and the
//! directory import.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminView {
    pub uai: String,
    pub academie: String,
    pub counts: Vec<CountLine>,
    pub classes: usize,
    pub groups: usize,
    pub sync: SyncStatus,
    /// Classes whose « fiches de connexion » can be printed: (code, label).
    pub sheet_classes: Vec<(String, String)>,
    pub server: ServerStatus,
}

/// The box's health, as the administrator's home shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServerStatus {
    /// What needs the administrator's attention, most urgent first (empty when all is well).
    pub alerts: Vec<String>,
    pub version: String,
    /// « 3 j 4 h », since « mardi 1 décembre 2026 à 05:12 ».
    pub uptime: String,
    pub started: String,
    /// (part, size): « Base de données », « 12 Mo »…
    pub disk: Vec<(String, String)>,
    /// « 41 Go libres sur 252 Go (16 %) ».
    pub free: String,
    pub disk_low: bool,
    /// The newest backup on the box, in words; `None` when there is none.
    pub last_backup: Option<SyncRun>,
    pub certificate: Option<CertificateLine>,
    /// Sessions open (expired ones not yet swept included).
    pub sessions: usize,
    /// The latest warnings and errors of the log, the latest first.
    pub problems: Vec<ProblemEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CertificateLine {
    /// SHA-256, `AB:CD:…`.
    pub fingerprint: String,
    /// « 1 janvier 4096 » (self-signed certificates last long).
    pub expires: String,
    pub expiring: bool,
    pub names: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProblemEntry {
    pub when: String,
    /// « erreur » or « avertissement ».
    pub level: String,
    pub error: bool,
    /// As logged (in English), with where it comes from.
    pub text: String,
}

/// The directory sync as the administrator's home shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyncStatus {
    /// Where the feed comes from, e.g. « data/inbox/ ».
    pub source: String,
    /// « dimanche 29 novembre 2026 à 02:30 », or « synchronisation désactivée ».
    pub next_run: String,
    pub last_run: Option<SyncRun>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyncRun {
    pub when: String,
    /// « importé », « refusé » or « échoué ».
    pub outcome: String,
    pub ok: bool,
    pub detail: String,
}

/// `GET /admin/fiches/{classe}`: who waits for activation in a class, and the form that prints
/// their sheets with fresh codes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SheetsConfirmView {
    pub class_label: String,
    /// Where the form posts: `/admin/fiches/{classe}`.
    pub action: String,
    pub pupils_waiting: usize,
    pub parents_waiting: usize,
    /// Pupils and parents of the class already activated (no sheet needed).
    pub already_active: usize,
    /// The audience checked in the form: `tous`, `eleves` or `parents`.
    pub audience: String,
}

/// `POST /admin/fiches/{classe}`: the printable sign-in sheets, with codes issued just now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SheetsView {
    pub class_label: String,
    /// The confirmation page, to print again.
    pub back: String,
    pub activation_url: String,
    pub sheets: Vec<Sheet>,
    /// « 7 décembre 2026 »: the day the codes stop working; empty without sheets.
    pub expires: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sheet {
    pub name: String,
    /// For parents: « parent de Léa Fontaine ».
    pub about: String,
    pub login: String,
    pub code: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CountLine {
    pub label: String,
    pub active: usize,
    pub to_activate: usize,
    pub deactivated: usize,
}

/// `/admin/annuaire`: upload the académie's files, preview the import, see past imports.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DirectoryView {
    pub error: Option<String>,
    pub preview: Option<ImportPreview>,
    pub history: Vec<SyncRun>,
}

/// What an uploaded feed would do, before it is applied.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportPreview {
    /// The staged upload to apply; `None` when the feed is refused.
    pub lot: Option<String>,
    pub files: Vec<String>,
    pub adopted_uai: Option<String>,
    pub rows: Vec<CountRow>,
    pub warnings: Vec<ProblemLine>,
    pub errors: Vec<ProblemLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CountRow {
    /// « créés », « mis à jour »…
    pub label: String,
    pub pupils: usize,
    pub parents: usize,
    pub staff: usize,
    pub classes: usize,
    pub groups: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProblemLine {
    /// « ENT2D_…_Eleve_0000.xml, ligne 12, enregistrement 3000006 ».
    pub place: String,
    pub message: String,
}

/// `/admin/sauvegardes`: the backups kept on the box and the last nightly one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BackupsView {
    /// « chaque jour à 01:30 », or « sauvegardes automatiques désactivées ».
    pub schedule: String,
    /// Where each nightly backup is copied, if anywhere.
    pub copy_to: Option<String>,
    /// « 7 quotidiennes et 4 hebdomadaires ».
    pub retention: String,
    pub last_nightly: Option<SyncRun>,
    pub backups: Vec<BackupLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BackupLine {
    /// « mardi 1 décembre 2026 à 02:30 ».
    pub when: String,
    /// « automatique », « manuelle » or « avant mise à jour ».
    pub kind: String,
    /// « 12,4 Mo ».
    pub size: String,
    pub download: String,
}

/// `/admin/services`: the services that sign in through Préau (CAS) and the home page's links.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CasServicesView {
    /// Declared in the configuration file: shown, not changed here.
    pub configured: Vec<CasServiceRow>,
    /// Registered on this page.
    pub registered: Vec<CasServiceRow>,
    pub links: Vec<HomeLinkRow>,
    /// What a service may learn: (form value, French label).
    pub attributes: Vec<(String, String)>,
    /// The profiles: (form value, French label).
    pub profiles: Vec<(String, String)>,
    /// The confirmation of the last change, if any.
    pub saved: Option<String>,
    /// The service form: empty, or as typed when it was refused.
    pub service_form: CasServiceForm,
    /// The link form: empty, or as typed when it was refused.
    pub link_form: HomeLinkForm,
}

/// « Enregistrer un service », with what was typed (form values) after a refusal.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CasServiceForm {
    pub name: String,
    pub url: String,
    /// The attributes' form values that were checked.
    pub attributes: Vec<String>,
    /// The profiles' form values that were checked.
    pub profiles: Vec<String>,
    pub single_logout: bool,
    pub tile: bool,
    pub proxy: bool,
    pub error: Option<FieldError>,
}

/// « Ajouter le lien », with what was typed after a refusal.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HomeLinkForm {
    pub label: String,
    pub url: String,
    pub profiles: Vec<String>,
    pub error: Option<FieldError>,
}

/// Why a form was refused, shown next to the field it names (the field's `name`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    /// The message if it is about `field`.
    pub fn about(error: &Option<FieldError>, field: &str) -> Option<String> {
        error
            .as_ref()
            .filter(|error| error.field == field)
            .map(|error| error.message.clone())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CasServiceRow {
    /// `None` for a service of the configuration file.
    pub id: Option<u64>,
    pub name: String,
    pub url: String,
    /// « identifiant, nom affiché… » or « aucun ».
    pub attributes: String,
    /// « tous » or the profiles' labels.
    pub profiles: String,
    pub single_logout: bool,
    pub tile: bool,
    pub proxy: bool,
    /// The address of its logo, when it has one.
    pub logo: Option<String>,
    /// Why the logo just sent for it was refused (French).
    pub logo_error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HomeLinkRow {
    pub id: u64,
    pub label: String,
    pub url: String,
    pub profiles: String,
}
