//! What the services notify, and whom: each hook runs once the service's own write is done,
//! reaches only those the service's rules let see the thing (`access.rs`), never its author,
//! and never fails the write it follows ([`Domain::notify_or_log`]).

use chrono::NaiveDate;
use chrono_tz::Europe::Paris;

use super::notification::{Notification, NotificationKind};
use crate::domain::access;
use crate::domain::accounts::account::Account;
use crate::domain::accounts::profile::Profile;
use crate::domain::messages::message::Message;
use crate::domain::news::item::{NewsAudience, NewsItem};
use crate::domain::resources::resource::{Audience, Resource};
use crate::domain::resources::visible_terms;
use crate::domain::school::establishment::Target;
use crate::domain::{Domain, DomainError};
use crate::store::StoreError;

impl Domain {
    /// A message sent reaches each of its recipients, groups already expanded by the sending.
    pub(crate) fn notify_message(&self, sender: &Account, message: &Message) {
        let owners: Vec<u64> = message
            .recipients
            .iter()
            .copied()
            .filter(|owner| *owner != sender.id)
            .collect();
        self.notify_or_log(
            &owners,
            &Notification {
                kind: NotificationKind::Message,
                title: format!(
                    "Nouveau message de {}\u{a0}: {}",
                    sender.display_name(),
                    message.subject
                ),
                href: format!("/messagerie/messages/{}", message.id),
                date: message.date(),
            },
        );
    }

    /// A news item published reaches those it is for and who may see it: everyone, the staff,
    /// or the pupils, parents and teachers of its classes and groups (not direction and vie
    /// scolaire, who see every class's news but are not its audience). An item shown only
    /// from a later day is announced that day ([`Domain::announce_due_news`]): its link would
    /// not open yet.
    pub(crate) fn notify_news(&self, item: &NewsItem) {
        if !item.is_current(self.today()) {
            return;
        }
        match self.news_readers(item) {
            Ok(owners) => self.notify_or_log(
                &owners,
                &Notification {
                    kind: NotificationKind::News,
                    title: format!("Nouvelle actualité\u{a0}: {}", item.title),
                    href: format!("/actualites/{}", item.id),
                    date: self.clock().now(),
                },
            ),
            Err(error) => {
                tracing::error!(%error, news = item.id, "cannot list who a news item reaches")
            }
        }
    }

    /// Today in the establishment's time zone.
    fn today(&self) -> NaiveDate {
        self.clock().now().with_timezone(&Paris).date_naive()
    }

    /// Announces the news items published for a later day whose day has come (the
    /// notifications job runs it every round); each once. Returns how many were announced.
    pub fn announce_due_news(&self) -> Result<usize, DomainError> {
        let today = self.today();
        let announced = &self.tables().news_announced;
        let mut count = 0;
        for item in self.published_news()? {
            let published_on = item.created_at.with_timezone(&Paris).date_naive();
            let waited = item.from > published_on;
            if !waited
                || !item.is_current(today)
                || announced
                    .contains_key(crate::store::keys::id(item.id))
                    .map_err(StoreError::from)?
            {
                continue;
            }
            self.notify_news(&item);
            announced
                .insert(crate::store::keys::id(item.id), &[])
                .map_err(StoreError::from)?;
            count += 1;
        }
        Ok(count)
    }

    fn news_readers(&self, item: &NewsItem) -> Result<Vec<u64>, DomainError> {
        let mut readers = Vec::new();
        for account in self.accounts().all_shared()? {
            if account.id == item.author || !account.is_active() {
                continue;
            }
            let targets = match &item.audience {
                NewsAudience::Targets(audience) => {
                    let targets = self.news_targets(&account)?;
                    if !audience.iter().any(|target| targets.contains(target)) {
                        continue;
                    }
                    targets
                }
                // Who sees these does not depend on classes.
                NewsAudience::Establishment | NewsAudience::Staff => Vec::new(),
            };
            if self.may_see_news(&account, item, &targets) {
                readers.push(account.id);
            }
        }
        Ok(readers)
    }

    /// A resource published to classes or groups reaches their pupils who may find it; when it
    /// was published before (`before`), only those it did not reach then. A resource for the
    /// whole establishment is announced to no one: it concerns no class in particular.
    pub(crate) fn notify_resource(
        &self,
        author: &Account,
        resource: &Resource,
        before: Option<&Resource>,
    ) {
        let reached = |resource: &Resource| self.resource_pupils(author, resource);
        let owners = match (reached(resource), before.map(reached).transpose()) {
            (Ok(now), Ok(then)) => {
                let then = then.unwrap_or_default();
                now.into_iter()
                    .filter(|pupil| !then.contains(pupil))
                    .collect::<Vec<_>>()
            }
            (Err(error), _) | (_, Err(error)) => {
                tracing::error!(%error, resource = resource.id, "cannot list who a resource reaches");
                return;
            }
        };
        self.notify_or_log(
            &owners,
            &Notification {
                kind: NotificationKind::Resource,
                title: format!(
                    "Nouvelle ressource de {}\u{a0}: {}",
                    author.display_name(),
                    resource.title
                ),
                href: format!("/ressources/{}", resource.id),
                date: resource.updated_at,
            },
        );
    }

    fn resource_pupils(
        &self,
        author: &Account,
        resource: &Resource,
    ) -> Result<Vec<u64>, DomainError> {
        let Audience::Targets(audience) = &resource.audience else {
            return Ok(Vec::new());
        };
        if !resource.published {
            return Ok(Vec::new());
        }
        let terms = visible_terms(resource);
        let mut pupils = Vec::new();
        for account in self.accounts().all_shared()? {
            if account.profile != Profile::Eleve || account.id == author.id {
                continue;
            }
            let Some(schooling) = &account.pupil else {
                continue;
            };
            let targets: Vec<Target> = schooling
                .class
                .iter()
                .cloned()
                .map(Target::Class)
                .chain(schooling.groups.iter().cloned().map(Target::Group))
                .collect();
            if audience.iter().any(|target| targets.contains(target))
                && access::resource_scope(&account, &targets).allows(&terms)
            {
                pupils.push(account.id);
            }
        }
        Ok(pupils)
    }
}
