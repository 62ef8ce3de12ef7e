//! Resources in the search index: what is indexed, kept in step with every write, and searched
//! within what the person may see.

use std::sync::Arc;

use crate::domain::accounts::account::Account;
use crate::domain::resources::resource::Resource;
use crate::domain::resources::understanding::{self, Facet, Understood};
use crate::domain::resources::visible_terms;
use crate::domain::resources::vocabulary::Vocabulary;
use crate::domain::{Domain, DomainError};
use crate::search::{Facets, SearchDoc, SearchIndex, SearchQuery, SearchResults};
use crate::store::keys;

/// Results per page of the library, in the API and on the page.
pub const PER_PAGE: usize = 20;

/// One page of resources found for a viewer, each joined with what the index does not hold.
#[derive(Debug)]
pub struct FoundResources {
    pub total: usize,
    /// The page shown: the one asked for, or the last one when that was past the end.
    pub page: usize,
    pub hits: Vec<FoundResource>,
    pub facets: Facets,
    /// The discipline and level filters searched, chosen or recognised in the words.
    pub disciplines: Vec<String>,
    pub levels: Vec<String>,
    /// The filters recognised in the words (`maths` → Mathématiques).
    pub understood: Vec<Understood>,
    /// When nothing was found: words that would find something (« Vouliez-vous dire … »).
    pub suggestion: Option<String>,
}

#[derive(Debug)]
pub struct FoundResource {
    pub resource: Resource,
    /// The author's display name (empty when the account is gone).
    pub author: String,
    /// Title and best passage of the description as HTML (escaped, matches in `<b>`).
    pub title_html: String,
    pub description_html: String,
}

/// The index's view of a resource, with the text extracted from its file. Drafts are indexed
/// for their author only.
pub fn search_doc(resource: &Resource, body: &str) -> SearchDoc {
    let vocabulary = Vocabulary::embedded();
    SearchDoc {
        id: resource.id,
        title: resource.title.clone(),
        description: resource.description.clone(),
        keywords: resource.keywords.clone(),
        body: body.to_owned(),
        kind: resource.kind.code().to_owned(),
        disciplines: resource.disciplines.clone(),
        levels: resource.levels.clone(),
        theme_paths: resource
            .themes
            .iter()
            .filter_map(|theme| vocabulary.theme_path(theme))
            .collect(),
        audiences: visible_terms(resource),
        updated_at: resource.updated_at.timestamp(),
    }
}

impl Domain {
    /// Attaches the search index; resource writes then keep it in step.
    pub fn with_search(mut self, index: SearchIndex) -> Self {
        self.search = Some(Arc::new(index));
        self
    }

    fn index(&self) -> Result<&SearchIndex, DomainError> {
        self.search.as_deref().ok_or(DomainError::NoSearchIndex)
    }

    pub(in crate::domain) fn index_resource(
        &self,
        resource: &Resource,
        body: &str,
    ) -> Result<(), DomainError> {
        match &self.search {
            Some(index) => index
                .upsert(&search_doc(resource, body))
                .map_err(DomainError::from),
            None => Ok(()),
        }
    }

    pub(in crate::domain) fn unindex_resource(&self, id: u64) -> Result<(), DomainError> {
        match &self.search {
            Some(index) => index.delete(id).map_err(DomainError::from),
            None => Ok(()),
        }
    }

    /// Rebuilds the index from the store (the store is the source of truth); returns the count.
    /// Resources stream from the store into the index: 50,000 of them are never all in memory.
    pub fn reindex_resources(&self) -> Result<usize, DomainError> {
        let index = self.index()?;
        let mut count = 0;
        let mut failure = None;
        let docs = self.store.resources.values().filter_map(|resource| {
            let doc = resource.and_then(|resource| {
                let body = self
                    .store
                    .resource_texts
                    .get(crate::store::keys::id(resource.id))?
                    .unwrap_or_default();
                Ok(search_doc(&resource, &body))
            });
            match doc {
                Ok(doc) => {
                    count += 1;
                    Some(doc)
                }
                Err(error) => {
                    failure.get_or_insert(error);
                    None
                }
            }
        });
        index.rebuild(docs).map_err(DomainError::from)?;
        match failure {
            Some(error) => Err(error.into()),
            None => Ok(count),
        }
    }

    /// One page of the resources `viewer` may see that match `query`, with their stored record
    /// and author. A page past the last (an old link, a hand-made address) gives the last page.
    ///
    /// Discipline and level words of the text become those filters (replacing the ones chosen:
    /// the words are what the person just typed) for this search only; a pupil's own class and
    /// level rank a little higher among equal matches.
    pub fn find_resources(
        &self,
        viewer: &Account,
        mut query: SearchQuery,
    ) -> Result<FoundResources, DomainError> {
        let understood = understanding::understand(&query.text);
        query.text = understood.text;
        for facet in [Facet::Discipline, Facet::Level] {
            let values: Vec<String> = understood
                .understood
                .iter()
                .filter(|u| u.facet == facet)
                .map(|u| u.value.clone())
                .collect();
            if !values.is_empty() {
                match facet {
                    Facet::Discipline => query.disciplines = values,
                    Facet::Level => query.levels = values,
                }
            }
        }
        if let Some(class) = viewer.class() {
            query.own_audiences = vec![format!("classe:{class}")];
            let level = self
                .establishment()?
                .class(class)
                .and_then(|class| class.level);
            query.own_levels = level
                .map(|level| {
                    level
                        .scolomfr()
                        .trim_start_matches("scolomfr-voc-022-")
                        .to_owned()
                })
                .into_iter()
                .collect();
        }
        let mut results = self.search_resources(viewer, query.clone())?;
        let last_page = results.total.div_ceil(query.per_page.max(1)).max(1);
        if query.page > last_page {
            query.page = last_page;
            results = self.search_resources(viewer, query.clone())?;
        }
        let mut hits = Vec::with_capacity(results.hits.len());
        for hit in results.hits {
            // A resource deleted between the search and this read is left out. Not through the
            // decoded cache: a search touches resources once, and 20,000 cached would weigh.
            let Some(resource) = self.store.resources.get(keys::id(hit.id))? else {
                continue;
            };
            let author = self
                .accounts
                .get_shared(resource.author)?
                .map(|account| account.display_name())
                .unwrap_or_default();
            hits.push(FoundResource {
                resource,
                author,
                title_html: hit.title_snippet,
                description_html: hit.description_snippet,
            });
        }
        Ok(FoundResources {
            total: results.total,
            page: query.page,
            hits,
            facets: results.facets,
            disciplines: query.disciplines,
            levels: query.levels,
            understood: understood.understood,
            suggestion: results.suggestion,
        })
    }

    /// Searches within what `viewer` may see: the audience filter is part of the query, so hits,
    /// total and facet counts only ever include resources meant for them.
    pub fn search_resources(
        &self,
        viewer: &Account,
        mut query: SearchQuery,
    ) -> Result<SearchResults, DomainError> {
        query.audiences = Some(self.resource_scope(viewer)?.terms);
        self.index()?.search(&query).map_err(DomainError::from)
    }
}

#[cfg(test)]
mod tests {
    use crate::demo::testing::{account, DemoSchool};
    use crate::domain::accounts::profile::Profile;
    use crate::domain::resources::{DraftSource, ResourceDraft};
    use crate::search::{SearchIndex, SearchQuery};

    #[test]
    fn a_draft_is_found_by_its_author_only_even_by_those_who_find_every_published_resource() {
        let school = DemoSchool::new();
        let index_dir = tempfile::tempdir().expect("temp dir");
        let domain = school
            .domain
            .clone()
            .with_search(SearchIndex::open(index_dir.path()).expect("index opens"));
        domain.reindex_resources().expect("indexes");
        let teacher = account(&domain, "enseignant.demo");
        let draft = ResourceDraft {
            title: "Zygomorphie des fleurs".into(),
            kind: None,
            source: DraftSource::Link("https://example.org/zygomorphie".into()),
            published: false,
            ..ResourceDraft::default()
        };
        let created = domain.create_resource(&teacher, draft).expect("created");
        let query = SearchQuery {
            text: "zygomorphie".into(),
            ..SearchQuery::default()
        };
        let found = |login: &str| {
            domain
                .search_resources(&account(&domain, login), query.clone())
                .expect("searches")
                .hits
                .iter()
                .any(|hit| hit.id == created.id)
        };
        assert!(found("enseignant.demo"), "the author finds their draft");
        assert!(!found("admin.demo"), "support opens a draft by its address");
        for profile in [
            Profile::Direction,
            Profile::VieScolaire,
            Profile::Documentaliste,
        ] {
            let login = domain
                .accounts
                .all()
                .filter_map(Result::ok)
                .find(|a| a.profile == profile)
                .expect("someone of that profile")
                .login;
            assert!(!found(&login), "{profile:?} found a draft");
        }
        let mut published = created.clone();
        published.published = true;
        domain
            .index_resource(&published, "")
            .expect("indexes the published version");
        let direction = domain
            .accounts
            .all()
            .filter_map(Result::ok)
            .find(|a| a.profile == Profile::Direction)
            .expect("direction")
            .login;
        assert!(
            found(&direction),
            "direction finds every published resource"
        );
    }
}
