//! Views of the resource pages: the library search (also answered as JSON, for the search
//! island), a resource, its forms and the import of a collection.

use serde::{Deserialize, Serialize};

/// `/ressources`: the resource library, searched and filtered with plain links and a form. The
/// same value answers `/ressources.json`, which the hydrated page fetches to search as one types.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourcesView {
    /// The words as typed, discipline and level words included (see `understood`).
    pub query: String,
    /// The discipline and level chosen (in the form's selects or by a facet link); a filter
    /// read in the words is not in them but in `understood`, and lasts as long as its words.
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
    /// The discipline and level words of the query taken as filters (« maths » → the
    /// Mathématiques filter), each with the address of the search without it (without its
    /// words).
    pub understood: Vec<UnderstoodFilter>,
    /// When nothing was found and other words would find something: those words and their
    /// search (« Vouliez-vous dire … »).
    pub did_you_mean: Option<Suggestion>,
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

/// A filter read in the words of the query.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnderstoodFilter {
    /// The words as typed (« maths »).
    pub words: String,
    /// What they were taken for (« Mathématiques », « 5e »).
    pub label: String,
    /// The search without this filter: the same words but these.
    pub remove_href: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub words: String,
    pub href: String,
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
