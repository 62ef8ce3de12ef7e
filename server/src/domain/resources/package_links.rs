//! Addresses of interactive packages: signed, expiring, and bound to the person they were made
//! for. A package runs its own scripts, so it is served in a sandbox without the session
//! cookie; the address stands in for the session, handed out only on the resource's page to
//! those who may see it, and checked against what they may see at every request.

use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::domain::accounts::account::Account;
use crate::domain::resources::resource::{Content, Resource};
use crate::domain::{Domain, DomainError};

/// How long a package address stays valid: a lesson, with margin.
const LIFETIME_SECS: i64 = 4 * 3600;
const KEY_NAME: &[u8] = b"package_link_key";

impl Domain {
    /// `/paquets/{token}/{launch page}` for `viewer`, if the resource is a package they may see.
    /// The token names the viewer, so that serving checks again that they still may.
    pub fn package_address(&self, viewer: &Account, id: u64) -> Result<String, DomainError> {
        let resource = self.resource_for(viewer, id)?;
        let Content::Package { file, package } = &resource.content else {
            return Err(DomainError::UnknownResource(id));
        };
        let expires = self.clock.now().timestamp() + LIFETIME_SECS;
        let mac = URL_SAFE_NO_PAD.encode(self.sign(id, viewer.id, expires, &file.hash)?);
        let launch: String = package
            .launch
            .split('/')
            .map(|part| form_urlencoded::byte_serialize(part.as_bytes()).collect::<String>())
            .collect::<Vec<_>>()
            .join("/");
        Ok(format!(
            "/paquets/{id}.{}.{expires}.{mac}/{launch}",
            viewer.id
        ))
    }

    /// The package a token opens, and for whom: unknown when forged or expired, when the
    /// package was replaced, and whenever its viewer may no longer see it (unpublished,
    /// restricted to other classes, deleted, or the viewer's account deactivated).
    pub fn package_by_token(&self, token: &str) -> Result<(Resource, Arc<Account>), DomainError> {
        let refused = || DomainError::UnknownResource(0);
        let mut parts = token.splitn(4, '.');
        let (Some(id), Some(viewer), Some(expires), Some(mac)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(refused());
        };
        let id: u64 = id.parse().map_err(|_| refused())?;
        let viewer: u64 = viewer.parse().map_err(|_| refused())?;
        let expires: i64 = expires.parse().map_err(|_| refused())?;
        let mac = URL_SAFE_NO_PAD.decode(mac).map_err(|_| refused())?;
        if expires < self.clock.now().timestamp() {
            return Err(refused());
        }
        let viewer = self.accounts.get_shared(viewer)?.ok_or_else(refused)?;
        let resource = self
            .resource_for(&viewer, id)
            .map_err(|error| match error {
                DomainError::UnknownResource(_) => refused(),
                other => other,
            })?;
        let Content::Package { file, .. } = &resource.content else {
            return Err(refused());
        };
        let check = self.mac(id, viewer.id, expires, &file.hash)?;
        check.verify_slice(&mac).map_err(|_| refused())?;
        Ok((resource, viewer))
    }

    fn sign(&self, id: u64, viewer: u64, expires: i64, hash: &str) -> Result<Vec<u8>, DomainError> {
        Ok(self
            .mac(id, viewer, expires, hash)?
            .finalize()
            .into_bytes()
            .to_vec())
    }

    fn mac(
        &self,
        id: u64,
        viewer: u64,
        expires: i64,
        hash: &str,
    ) -> Result<Hmac<Sha256>, DomainError> {
        let key = self.package_key()?;
        let mut mac = Hmac::<Sha256>::new_from_slice(&key).map_err(|_| DomainError::PackageKey)?;
        mac.update(format!("{id}.{viewer}.{expires}.{hash}").as_bytes());
        Ok(mac)
    }

    /// The store's key for package addresses (kept in sled, so links survive a restart).
    fn package_key(&self) -> Result<Vec<u8>, DomainError> {
        self.signing_key(KEY_NAME)
    }
}

#[cfg(test)]
mod tests {
    use crate::demo::testing::DemoSchool;
    use crate::domain::resources::resource::{Content, Resource};
    use crate::domain::DomainError;

    fn a_package(school: &DemoSchool) -> Resource {
        school
            .domain
            .store
            .resources
            .values()
            .filter_map(Result::ok)
            .find(|r| matches!(r.content, Content::Package { .. }))
            .expect("the demo has packages")
    }

    fn token_of(address: &str) -> &str {
        address
            .trim_start_matches("/paquets/")
            .split('/')
            .next()
            .expect("a token")
    }

    #[test]
    fn an_address_opens_its_package_until_it_expires_and_cannot_be_forged() {
        let school = DemoSchool::new();
        let package = a_package(&school);
        let admin = school.account("admin.demo");
        let address = school
            .domain
            .package_address(&admin, package.id)
            .expect("an address");
        assert!(address.ends_with("/index.html"), "{address}");
        let token = token_of(&address);
        let (opened, viewer) = school.domain.package_by_token(token).expect("opens");
        assert_eq!(opened.id, package.id);
        assert_eq!(viewer.login, "admin.demo");

        let (id, rest) = token.split_once('.').expect("id.viewer.expiry.mac");
        let other = format!("{}.{rest}", id.parse::<u64>().expect("id") + 1);
        assert!(
            school.domain.package_by_token(&other).is_err(),
            "bound to its id"
        );
        let (head, mac) = token.rsplit_once('.').expect("mac");
        let longer = head.replace(head.split('.').nth(2).expect("expiry"), "99999999999");
        assert!(
            school
                .domain
                .package_by_token(&format!("{longer}.{mac}"))
                .is_err(),
            "the expiry is signed"
        );
        assert!(school.domain.package_by_token("garbage").is_err());
        let (id, rest) = token.split_once('.').expect("id");
        let (_, rest) = rest.split_once('.').expect("viewer");
        let someone_else = school.account("eleve.demo");
        assert!(
            school
                .domain
                .package_by_token(&format!("{id}.{}.{rest}", someone_else.id))
                .is_err(),
            "bound to its viewer"
        );

        school.clock.advance(chrono::Duration::hours(5));
        assert!(matches!(
            school.domain.package_by_token(token),
            Err(DomainError::UnknownResource(_))
        ));
    }

    #[test]
    fn only_those_who_see_the_package_get_an_address() {
        let school = DemoSchool::new();
        let package = a_package(&school);
        let Some(outsider) = school
            .domain
            .accounts
            .all()
            .filter_map(Result::ok)
            .filter(|a| a.pupil.is_some())
            .find(|pupil| school.domain.resource_for(pupil, package.id).is_err())
        else {
            panic!("a pupil the package is not meant for");
        };
        assert!(matches!(
            school.domain.package_address(&outsider, package.id),
            Err(DomainError::UnknownResource(_))
        ));
    }

    #[test]
    fn an_address_stops_working_once_its_viewer_may_no_longer_see_the_package() {
        use crate::domain::resources::{DraftSource, ResourceDraft};
        use crate::domain::school::establishment::Target;
        let school = DemoSchool::new();
        let package = a_package(&school);
        let Some(pupil) = school
            .domain
            .accounts
            .all()
            .filter_map(Result::ok)
            .filter(|a| a.pupil.is_some())
            .find(|pupil| school.domain.resource_for(pupil, package.id).is_ok())
        else {
            panic!("a pupil the package is meant for");
        };
        let address = school
            .domain
            .package_address(&pupil, package.id)
            .expect("an address");
        let token = token_of(&address).to_owned();
        assert!(school.domain.package_by_token(&token).is_ok());

        let draft = |targets: Option<Vec<Target>>, published: bool| ResourceDraft {
            title: package.title.clone(),
            description: package.description.clone(),
            kind: Some(package.kind),
            disciplines: package.disciplines.clone(),
            levels: package.levels.clone(),
            themes: package.themes.clone(),
            keywords: package.keywords.clone(),
            licence: package.licence.clone(),
            source: DraftSource::Keep,
            targets,
            published,
        };
        let other_class = if pupil.class() == Some("3A") {
            "3B"
        } else {
            "3A"
        };
        let admin = school.account("admin.demo");
        school
            .domain
            .update_resource(
                &admin,
                package.id,
                draft(Some(vec![Target::Class(other_class.to_owned())]), true),
            )
            .expect("restricted to another class");
        assert!(matches!(
            school.domain.package_by_token(&token),
            Err(DomainError::UnknownResource(_))
        ));
        school
            .domain
            .update_resource(&admin, package.id, draft(None, false))
            .expect("unpublished");
        assert!(matches!(
            school.domain.package_by_token(&token),
            Err(DomainError::UnknownResource(_))
        ));
    }
}
