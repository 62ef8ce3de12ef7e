//! The services and links the administrator registers on `/admin/services`, beside the ones of
//! the configuration file (shown there read-only): one record, read once per request that needs
//! it (`cas_registry` tree).

use serde::{Deserialize, Serialize};

use super::service::{CasAttribute, CasService, UrlPrefix};
use crate::domain::access::{self, Action};
use crate::domain::accounts::account::Account;
use crate::domain::accounts::profile::Profile;
use crate::domain::{Domain, DomainError};

pub const REGISTRY_KEY: &[u8] = b"registry";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasRegistry {
    pub services: Vec<StoredService>,
    pub links: Vec<HomeLink>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredService {
    pub id: u64,
    pub service: CasService,
    /// The SHA-256 of its logo ([`super::logo`]), when it has one.
    #[serde(default)]
    pub logo: Option<String>,
}

/// A plain link to an outside service (no sign-in through Préau), shown as a home tile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeLink {
    pub id: u64,
    pub label: String,
    pub url: UrlPrefix,
    /// `None`: every profile.
    pub profiles: Option<Vec<Profile>>,
}

/// What the administrator typed for a new service.
#[derive(Clone, Debug, Default)]
pub struct NewService {
    pub name: String,
    pub url: String,
    pub attributes: Vec<CasAttribute>,
    pub profiles: Vec<Profile>,
    pub single_logout: bool,
    pub tile: bool,
    pub proxy: bool,
}

/// What the administrator typed for a new link.
#[derive(Clone, Debug, Default)]
pub struct NewLink {
    pub label: String,
    pub url: String,
    pub profiles: Vec<Profile>,
}

/// Why a service or a link is refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RegistryProblem {
    #[error("no name")]
    NoName,
    #[error("name too long")]
    NameTooLong,
    #[error(transparent)]
    Address(#[from] super::service::PrefixProblem),
    #[error("an address already registered covers {0}")]
    AlreadyCovered(String),
}

/// A home tile: a service or a link the person may open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tile {
    pub label: String,
    pub href: String,
    /// Signs in through Préau (a CAS service), or a plain link.
    pub single_sign_on: bool,
    /// The address of the service's logo, when it has one.
    pub logo: Option<String>,
}

const MAX_NAME: usize = 80;

fn checked_name(name: &str) -> Result<String, RegistryProblem> {
    let name = name.trim();
    if name.is_empty() {
        return Err(RegistryProblem::NoName);
    }
    if name.chars().count() > MAX_NAME {
        return Err(RegistryProblem::NameTooLong);
    }
    Ok(name.to_owned())
}

/// An empty choice of profiles is « every profile ».
fn profiles_of(chosen: Vec<Profile>) -> Option<Vec<Profile>> {
    (!chosen.is_empty()).then_some(chosen)
}

impl Domain {
    /// The administrator's registry (empty before the first registration).
    pub fn cas_registry(&self) -> Result<std::sync::Arc<CasRegistry>, DomainError> {
        Ok(self
            .tables()
            .cas_registry
            .get_shared(REGISTRY_KEY)?
            .unwrap_or_default())
    }

    pub(super) fn administer(viewer: &Account) -> Result<(), DomainError> {
        if access::allows(viewer, Action::Administer) {
            Ok(())
        } else {
            Err(DomainError::Forbidden)
        }
    }

    /// Registers a service; refused when its address is already covered by another one.
    pub fn cas_register_service(
        &self,
        viewer: &Account,
        new: NewService,
    ) -> Result<u64, DomainError> {
        Self::administer(viewer)?;
        let name = checked_name(&new.name).map_err(DomainError::CasRegistry)?;
        let url = UrlPrefix::parse(&new.url)
            .map_err(|problem| DomainError::CasRegistry(problem.into()))?;
        if self.cas_service(url.as_str())?.is_some() {
            return Err(DomainError::CasRegistry(RegistryProblem::AlreadyCovered(
                url.as_str().to_owned(),
            )));
        }
        let mut registry = (*self.cas_registry()?).clone();
        let id = self.tables().next_id()?;
        registry.services.push(StoredService {
            id,
            service: CasService {
                name,
                url,
                attributes: new.attributes,
                profiles: profiles_of(new.profiles),
                single_logout: new.single_logout,
                tile: new.tile,
                proxy: new.proxy,
            },
            logo: None,
        });
        self.tables().cas_registry.insert(REGISTRY_KEY, &registry)?;
        Ok(id)
    }

    /// Adds a plain link for the home page.
    pub fn cas_add_link(&self, viewer: &Account, new: NewLink) -> Result<u64, DomainError> {
        Self::administer(viewer)?;
        let label = checked_name(&new.label).map_err(DomainError::CasRegistry)?;
        let url = UrlPrefix::parse(&new.url)
            .map_err(|problem| DomainError::CasRegistry(problem.into()))?;
        let mut registry = (*self.cas_registry()?).clone();
        let id = self.tables().next_id()?;
        registry.links.push(HomeLink {
            id,
            label,
            url,
            profiles: profiles_of(new.profiles),
        });
        self.tables().cas_registry.insert(REGISTRY_KEY, &registry)?;
        Ok(id)
    }

    /// Removes a registered service or link (`404` for an id that is neither).
    pub fn cas_remove(&self, viewer: &Account, id: u64) -> Result<(), DomainError> {
        Self::administer(viewer)?;
        let mut registry = (*self.cas_registry()?).clone();
        let before = registry.services.len() + registry.links.len();
        registry.services.retain(|stored| stored.id != id);
        registry.links.retain(|link| link.id != id);
        if registry.services.len() + registry.links.len() == before {
            return Err(DomainError::CasUnknownEntry(id));
        }
        self.tables().cas_registry.insert(REGISTRY_KEY, &registry)?;
        self.cas_forget_logo(id)?;
        Ok(())
    }

    /// The home page's tiles for `viewer`: the services shown as tiles that they may open (the
    /// configuration's first), then the links for their profile.
    pub fn home_tiles(&self, viewer: &Account) -> Result<Vec<Tile>, DomainError> {
        let registry = self.cas_registry()?;
        let may = |profiles: Option<&[Profile]>| {
            access::allows(viewer, Action::OpenCasService { profiles })
        };
        let services = self
            .config
            .cas
            .services
            .iter()
            .map(|service| (service, None))
            .chain(registry.services.iter().map(|stored| {
                let logo = stored
                    .logo
                    .as_deref()
                    .map(|sha256| super::logo::logo_href(stored.id, sha256));
                (&stored.service, logo)
            }))
            .filter(|(service, _)| service.tile && may(service.profiles.as_deref()))
            .map(|(service, logo)| Tile {
                label: service.name.clone(),
                href: service.url.as_str().to_owned(),
                single_sign_on: true,
                logo,
            });
        let links = registry
            .links
            .iter()
            .filter(|link| may(link.profiles.as_deref()))
            .map(|link| Tile {
                label: link.label.clone(),
                href: link.url.as_str().to_owned(),
                single_sign_on: false,
                logo: None,
            });
        Ok(services.chain(links).collect())
    }
}
