//! View models: everything a page shows, computed by the server. The UI never reaches the store;
//! it only ever sees these plain values. They are serialisable for the JSON twins of pages (such
//! as `/ressources.json`, which the search island draws from).

use serde::{Deserialize, Serialize};

/// One page: the person looking at it (if any), an optional notice and the page body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageData {
    /// Text of `<title>`, without the establishment suffix.
    pub title: String,
    pub establishment: String,
    pub viewer: Option<Viewer>,
    pub notice: Option<Notice>,
    pub body: PageBody,
}

/// A one-line message shown above the page body after a form was handled.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoticeKind {
    Success,
    Info,
    Error,
}

/// The signed-in person, as the navigation and the forms need them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub login: String,
    pub display_name: String,
    /// Profile in words, e.g. « Élève », « Parent d'élève ».
    pub profile_label: String,
    pub is_admin: bool,
    /// Token to echo in the `csrf` field of every form that changes something.
    pub csrf: String,
    pub nav: Vec<NavLink>,
    /// True while the account must change its password before anything else.
    pub must_change_password: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NavLink {
    pub href: String,
    pub label: String,
    pub current: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum PageBody {
    Home(HomeView),
    Login(LoginView),
    Activation(ActivationView),
    Account(AccountView),
    Admin(AdminView),
    Classes(ClassesView),
    Class(ClassView),
    SheetsConfirm(SheetsConfirmView),
    Sheets(SheetsView),
    Directory(DirectoryView),
    Person(PersonView),
    Resources(ResourcesView),
    Resource(ResourceView),
    ResourceForm(ResourceFormView),
    ResourceDelete(ResourceDeleteView),
    ResourceImport(ResourceImportView),
    Error(ErrorView),
}

/// `/classes`: the classes the viewer may see.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassesView {
    pub classes: Vec<ClassLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassLine {
    pub code: String,
    pub label: String,
    pub pupils: usize,
}

/// `/classes/{code}`: a class's pupils and teaching team.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassView {
    pub label: String,
    pub pupils: Vec<PersonLine>,
    pub teachers: Vec<PersonLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonLine {
    pub name: String,
    pub login: String,
    /// The person's card, `/personnes/{id}`.
    pub href: String,
    /// What to say next to the name: subjects, « professeur principal », « compte à activer ».
    pub detail: String,
}

/// The home page: who you are, your classes or children, your services.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HomeView {
    pub greeting: String,
    pub profile_label: String,
    /// Today's date in words, e.g. « dimanche 29 novembre 2026 ».
    pub today: String,
    pub classes: Vec<ClassCard>,
    pub children: Vec<ChildCard>,
    pub selected_child: Option<ChildCard>,
    pub services: Vec<ServiceCard>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassCard {
    pub code: String,
    pub label: String,
    /// What the viewer does in that class, e.g. « Mathématiques · professeur principal ».
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChildCard {
    pub id: u64,
    pub display_name: String,
    pub class_label: String,
    /// « Responsable légal » or « Personne en charge ».
    pub link_label: String,
    pub teachers: Vec<TeacherLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeacherLine {
    pub subject: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceCard {
    pub href: String,
    pub label: String,
    pub description: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LoginView {
    pub login: String,
    /// Where to go once signed in (a local path).
    pub next: Option<String>,
    pub error: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ActivationView {
    pub login: String,
    pub error: Option<String>,
    pub min_password_len: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountView {
    pub login: String,
    pub display_name: String,
    pub profile_label: String,
    pub email: Option<String>,
    pub error: Option<String>,
    pub min_password_len: usize,
}

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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorView {
    pub status: u16,
    pub heading: String,
    pub message: String,
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

/// `/personnes/{id}`: a person's card.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonView {
    pub name: String,
    pub facts: Vec<(String, String)>,
    pub guardians: Vec<PersonLine>,
    pub children: Vec<PersonLine>,
    pub teaching: Vec<String>,
}

/// `/ressources`: the resource library, searched and filtered with plain links and a form. The
/// same value answers `/ressources.json`, which the hydrated page fetches to search as one types.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourcesView {
    pub query: String,
    pub discipline: String,
    pub level: String,
    /// The chosen programme theme node and resource kind; the form keeps them in hidden fields.
    pub theme: String,
    pub kind: String,
    /// `date` for newest first, empty for relevance.
    pub sort: String,
    /// Choices of the form's selects: (value, label); the first is « toutes ».
    pub disciplines: Vec<(String, String)>,
    pub levels: Vec<(String, String)>,
    pub total: usize,
    pub hits: Vec<ResourceCard>,
    /// Facet links: label with count, and the URL that applies the filter (that removes it, for
    /// the selected one). Every URL keeps the other filters.
    pub discipline_facets: Vec<FacetLink>,
    pub level_facets: Vec<FacetLink>,
    pub kind_facets: Vec<FacetLink>,
    pub theme_facet: ThemeFacet,
    pub previous_page: Option<String>,
    pub next_page: Option<String>,
    /// True for those who may publish: the page offers « Nouvelle ressource » and the import.
    pub can_publish: bool,
}

/// The programme tree as a facet: where the search stands in it and where it can go down.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThemeFacet {
    /// When a theme is chosen, the way back up: « Tous les thèmes », then every node from the
    /// discipline down to the chosen one (the last, `selected`). Empty otherwise.
    pub path: Vec<FacetLink>,
    /// The nodes one level down with their counts: the disciplines of the programme when no
    /// theme is chosen, else the chosen node's children.
    pub children: Vec<FacetLink>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceCard {
    /// Title and description passage as escaped HTML with `<b>` around matches.
    pub title_html: String,
    pub description_html: String,
    /// The resource's own page, `/ressources/{id}`.
    pub href: String,
    /// « Vidéo · Mathématiques · 4e · Thomas Moreau ».
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FacetLink {
    pub label: String,
    pub count: u64,
    pub href: String,
    pub selected: bool,
}

/// `/ressources/{id}`: one resource, shown in the page when the browser can (PDF, image, audio,
/// video, interactive package), offered for download otherwise.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceView {
    pub title: String,
    pub description: String,
    /// (« Disciplines », « Mathématiques, Physique-chimie »)…
    pub facts: Vec<(String, String)>,
    pub keywords: Vec<String>,
    pub preview: ResourcePreview,
    /// Set for the author and administrators.
    pub edit_href: Option<String>,
    pub delete_href: Option<String>,
    /// « Brouillon : visible de vous seul. » for an unpublished resource.
    pub draft_note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ResourcePreview {
    Link {
        url: String,
    },
    Pdf {
        src: String,
        download: String,
    },
    Image {
        src: String,
        alt: String,
        download: String,
    },
    Audio {
        src: String,
        download: String,
    },
    Video {
        src: String,
        download: String,
    },
    Package {
        src: String,
        standard: String,
    },
    Download {
        href: String,
        name: String,
        size: String,
    },
}

/// `/ressources/nouvelle` and `/ressources/{id}/modifier`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceFormView {
    pub heading: String,
    pub action: String,
    pub submit: String,
    pub error: Option<String>,
    pub values: ResourceFormValues,
    /// (value, label) choices.
    pub kinds: Vec<(String, String)>,
    pub disciplines: Vec<(String, String)>,
    pub levels: Vec<(String, String)>,
    pub themes: Vec<ChoiceGroup>,
    pub targets: Vec<(String, String)>,
    pub licences: Vec<String>,
    /// « cours.pdf (2,3 Mo) » when editing a resource with a file.
    pub current_file: Option<String>,
    pub max_upload: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ResourceFormValues {
    pub title: String,
    pub description: String,
    pub kind: String,
    pub disciplines: Vec<String>,
    pub levels: Vec<String>,
    pub themes: Vec<String>,
    pub keywords: String,
    pub licence: String,
    pub url: String,
    /// True: the whole establishment; false: the chosen `targets`.
    pub everyone: bool,
    pub targets: Vec<String>,
    pub published: bool,
}

/// Options under a heading (`<optgroup>`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChoiceGroup {
    pub label: String,
    pub choices: Vec<(String, String)>,
}

/// `/ressources/{id}/supprimer`: the confirmation that works without JavaScript.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceDeleteView {
    pub title: String,
    pub action: String,
    pub back: String,
}

/// `/ressources/import`: bring a collection (zip of files + CSV of their metadata).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceImportView {
    pub error: Option<String>,
    /// Line by line problems of a refused import.
    pub problems: Vec<String>,
    /// Titles created by an accepted import.
    pub created: Vec<(String, String)>,
    pub max_upload: String,
}
