//! Resources: the library searched by words and facets, one resource's page, the forms that
//! publish, change and delete a resource, and the import of a whole collection.

pub mod model;

mod form;
mod import;
mod resource;
mod search;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use model::{
    ResourceDeleteView, ResourceFormView, ResourceImportView, ResourceView, ResourcesView,
};

/// The pages of the service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Page {
    /// `/ressources`.
    Search(ResourcesView),
    /// `/ressources/{id}`.
    Resource(ResourceView),
    /// `/ressources/nouvelle` and `/ressources/{id}/modifier`.
    Form(ResourceFormView),
    /// `/ressources/{id}/supprimer`.
    Delete(ResourceDeleteView),
    /// `/ressources/import`.
    Import(ResourceImportView),
}

impl Page {
    pub(crate) fn render(self) -> AnyView {
        match self {
            Page::Search(data) => view! { <search::Resources data=data/> }.into_any(),
            Page::Resource(data) => view! { <resource::Resource data=data/> }.into_any(),
            Page::Form(data) => view! { <form::ResourceForm data=data/> }.into_any(),
            Page::Delete(data) => view! { <form::ResourceDelete data=data/> }.into_any(),
            Page::Import(data) => view! { <import::ResourceImport data=data/> }.into_any(),
        }
    }
}
