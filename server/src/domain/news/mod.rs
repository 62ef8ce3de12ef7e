//! Actualités: news from direction, vie scolaire and teachers, each seen by its audience
//! ([`access::Action::SeeNews`]) between its dates, pinned ones first.

pub mod item;

use std::sync::Arc;

use chrono::NaiveDate;

use self::item::{NewsAudience, NewsBoard, NewsItem};
use super::access::{self, Action};
use super::accounts::account::Account;
use super::accounts::profile::Profile;
use super::school::establishment::Target;
use super::{Domain, DomainError};
use crate::files::media::{preview_of, Preview};
use crate::files::Staged;

/// Store key of the one news record.
pub const NEWS_KEY: &[u8] = b"news";

/// A news item as the form describes it.
#[derive(Clone, Debug)]
pub struct NewNews {
    pub title: String,
    /// As typed or as the editor sent it: cleaned here.
    pub body: String,
    pub audience: NewsAudience,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
    pub pinned: bool,
}

/// Why a news item is refused; the pages word it in French.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NewsProblem {
    #[error("no title")]
    NoTitle,
    #[error("the title or the text is too long")]
    TooLong,
    #[error("no text")]
    NoBody,
    #[error("the item ends before it starts")]
    EndsBeforeStart,
    #[error("no class or group chosen")]
    NoTarget,
    #[error("unknown class or group {0}")]
    UnknownTarget(String),
    #[error("the picture is not an image a browser shows")]
    NotAnImage,
}

impl Domain {
    fn news_board(&self) -> Result<Arc<NewsBoard>, DomainError> {
        Ok(self.tables().news.get_shared(NEWS_KEY)?.unwrap_or_default())
    }

    pub(in crate::domain) fn news_targets(
        &self,
        viewer: &Account,
    ) -> Result<Vec<Target>, DomainError> {
        match viewer.profile {
            Profile::Enseignant => self.teaching_targets(viewer),
            _ => self.resource_targets(viewer),
        }
    }

    pub(in crate::domain) fn may_see_news(
        &self,
        viewer: &Account,
        item: &NewsItem,
        targets: &[Target],
    ) -> bool {
        access::allows(
            viewer,
            Action::SeeNews {
                audience: &item.audience,
                author: item.author,
                viewer_targets: targets,
            },
        )
    }

    /// The news `viewer` may see on `day`, pinned first then newest first; with
    /// `include_own`, their own items that are not or no longer shown too.
    pub fn news_for(
        &self,
        viewer: &Account,
        day: NaiveDate,
        include_own: bool,
    ) -> Result<Vec<NewsItem>, DomainError> {
        let board = self.news_board()?;
        let targets = self.news_targets(viewer)?;
        let mut items: Vec<NewsItem> = board
            .items
            .iter()
            .filter(|item| {
                (item.is_current(day) || (include_own && item.author == viewer.id))
                    && self.may_see_news(viewer, item, &targets)
            })
            .cloned()
            .collect();
        items.sort_by_key(|item| std::cmp::Reverse((item.pinned, item.from, item.id)));
        Ok(items)
    }

    /// The news item `id`, if `viewer` may see it (shown now, or theirs).
    pub fn news_item(
        &self,
        viewer: &Account,
        id: u64,
        day: NaiveDate,
    ) -> Result<NewsItem, DomainError> {
        let board = self.news_board()?;
        let targets = self.news_targets(viewer)?;
        board
            .items
            .iter()
            .find(|item| item.id == id)
            .filter(|item| item.is_current(day) || item.author == viewer.id)
            .filter(|item| self.may_see_news(viewer, item, &targets))
            .cloned()
            .ok_or(DomainError::UnknownNews(id))
    }

    /// The audiences `viewer` may publish to.
    pub fn news_audiences(&self, viewer: &Account) -> Result<Vec<NewsAudience>, DomainError> {
        let teaches = self.news_targets(viewer)?;
        let mut found = Vec::new();
        let mut candidates = vec![NewsAudience::Establishment, NewsAudience::Staff];
        candidates.extend(
            self.establishment()?
                .targets()
                .into_iter()
                .map(|target| NewsAudience::Targets(vec![target])),
        );
        for audience in candidates {
            if access::allows(
                viewer,
                Action::PublishNews {
                    audience: &audience,
                    teaches: &teaches,
                },
            ) {
                found.push(audience);
            }
        }
        Ok(found)
    }

    /// Publishes a news item, with `image` when given; everything is checked first.
    pub fn publish_news(
        &self,
        viewer: &Account,
        new: NewNews,
        image: Option<Staged>,
    ) -> Result<NewsItem, DomainError> {
        let teaches = self.news_targets(viewer)?;
        if !access::allows(
            viewer,
            Action::PublishNews {
                audience: &new.audience,
                teaches: &teaches,
            },
        ) {
            return Err(DomainError::Forbidden);
        }
        let problem = |problem| Err(DomainError::InvalidNews(problem));
        let title = new.title.trim();
        if title.is_empty() {
            return problem(NewsProblem::NoTitle);
        }
        let body = super::logbook::content::clean(&new.body);
        if body.is_empty() {
            return problem(NewsProblem::NoBody);
        }
        if title.chars().count() > 150 || body.len() > super::logbook::content::MAX_CONTENT {
            return problem(NewsProblem::TooLong);
        }
        if new.until.is_some_and(|until| until < new.from) {
            return problem(NewsProblem::EndsBeforeStart);
        }
        if let NewsAudience::Targets(targets) = &new.audience {
            if targets.is_empty() {
                return problem(NewsProblem::NoTarget);
            }
            let known = self.establishment()?.targets();
            if let Some(Target::Class(code) | Target::Group(code)) =
                targets.iter().find(|target| !known.contains(target))
            {
                return problem(NewsProblem::UnknownTarget(code.clone()));
            }
        }
        if let Some(staged) = &image {
            let media_type = crate::files::media::media_type_of(&staged.name);
            if preview_of(&media_type) != Preview::Image {
                return problem(NewsProblem::NotAnImage);
            }
        }
        let image = image
            .map(|staged| self.accept_upload(viewer, staged))
            .transpose()?;
        let item = NewsItem {
            id: self.tables().next_id()?,
            title: title.to_owned(),
            body,
            image,
            audience: new.audience,
            from: new.from,
            until: new.until,
            pinned: new.pinned,
            author: viewer.id,
            created_at: self.clock().now(),
        };
        let mut board = (*self.news_board()?).clone();
        board.items.push(item.clone());
        self.tables().news.insert(NEWS_KEY, &board)?;
        tracing::info!(news = item.id, by = %viewer.login, "news published");
        self.notify_news(&item);
        Ok(item)
    }

    /// Every news item stored, for the notifications job.
    pub(in crate::domain) fn published_news(&self) -> Result<Vec<NewsItem>, DomainError> {
        Ok(self.news_board()?.items.clone())
    }

    /// Whether `viewer` may remove `item`.
    pub fn may_remove_news(&self, viewer: &Account, item: &NewsItem) -> bool {
        access::allows(
            viewer,
            Action::RemoveNews {
                author: item.author,
            },
        )
    }

    /// Removes a news item and its picture.
    pub fn remove_news(
        &self,
        viewer: &Account,
        id: u64,
        day: NaiveDate,
    ) -> Result<(), DomainError> {
        let item = self.news_item(viewer, id, day)?;
        if !self.may_remove_news(viewer, &item) {
            return Err(DomainError::Forbidden);
        }
        let mut board = (*self.news_board()?).clone();
        board.items.retain(|kept| kept.id != id);
        self.tables().news.insert(NEWS_KEY, &board)?;
        self.tables()
            .news_announced
            .remove(crate::store::keys::id(id))
            .map_err(crate::store::StoreError::from)?;
        if let Some(image) = &item.image {
            self.release_file(&image.hash)?;
        }
        tracing::info!(news = id, by = %viewer.login, "news removed");
        Ok(())
    }

    /// Whether a news item uses the blob `hash` (for the file store's reference counting).
    pub(crate) fn news_uses_file(&self, hash: &str) -> Result<bool, DomainError> {
        Ok(self
            .news_board()?
            .items
            .iter()
            .any(|item| item.image.as_ref().is_some_and(|image| image.hash == hash)))
    }

    /// Bytes of the pictures of `author`'s news.
    pub(crate) fn news_files_of(&self, author: u64) -> Result<Vec<(String, u64)>, DomainError> {
        Ok(self
            .news_board()?
            .items
            .iter()
            .filter(|item| item.author == author)
            .filter_map(|item| {
                item.image
                    .as_ref()
                    .map(|image| (image.hash.clone(), image.size))
            })
            .collect())
    }
}

#[cfg(test)]
mod tests;
