//! What a teacher sends to create or change a resource, as the page's form (French field names,
//! multipart with the file) or as the API's JSON (with the file beside it in multipart), turned
//! into one [`ResourceDraft`].

use axum::extract::Multipart;
use serde::Deserialize;

use super::error::ApiError;
use crate::domain::resources::resource::{Audience, ResourceKind};
use crate::domain::resources::{DraftProblem, DraftSource, ResourceDraft};
use crate::domain::school::establishment::Target;
use crate::domain::DomainError;
use crate::files::{BlobStore, Staged};

/// Text fields are small (the longest is a description of 5,000 characters, or the API's
/// metadata JSON); anything longer is not a form of ours.
const MAX_TEXT_FIELD: usize = 64 << 10;
/// All text fields together, and how many there may be (the form's lists of levels and themes
/// are the longest: a few dozen values).
const MAX_TEXT_TOTAL: usize = 512 << 10;
const MAX_FIELDS: usize = 1000;

/// The parts of a multipart body: text fields in order, and the file, staged as it arrived.
#[derive(Default)]
pub struct Received {
    pub fields: Vec<(String, String)>,
    pub upload: Option<Staged>,
}

impl Received {
    pub fn first(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.fields
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect()
    }
}

fn unreadable() -> ApiError {
    ApiError::bad_request("Le formulaire envoyé est incomplet ou illisible. Réessayez.")
}

/// Reads a multipart body; the part named `file_field` is streamed to the blob folder's
/// staging area (never held in memory), within `limit` bytes.
pub async fn receive(
    mut multipart: Multipart,
    blobs: &BlobStore,
    file_field: &str,
    limit: u64,
) -> Result<Received, ApiError> {
    let received = receive_parts(&mut multipart, blobs, file_field, limit).await;
    if received.is_err() {
        drain(&mut multipart).await;
    }
    received
}

/// Reads a page's multipart form, its file (field `fichier`) staged within the upload limit,
/// for `account`, who may have only a few uploads running at once.
pub async fn receive_upload(
    state: &super::AppState,
    account: &crate::domain::accounts::account::Account,
    mut multipart: Multipart,
) -> Result<Received, ApiError> {
    let _slot = match state.upload_slot(account) {
        Ok(slot) => slot,
        Err(error) => {
            drain(&mut multipart).await;
            return Err(error);
        }
    };
    let blobs = state.domain.blobs()?;
    let limit = state.domain.config().files.max_upload_bytes();
    receive(multipart, blobs, "fichier", limit).await
}

/// Reads what is left of a refused multipart body, so that the browser gets the answer rather
/// than a connection closed while it is still sending (the body limit still bounds it). For
/// people allowed to upload, whose file was refused (too large, over quota).
pub async fn drain(multipart: &mut Multipart) {
    while let Ok(Some(mut field)) = multipart.next_field().await {
        while let Ok(Some(_)) = field.chunk().await {}
    }
}

/// What is read, at most, of the body of someone refused before their upload: enough for a
/// form without a file (the browser then shows the answer), never a file someone may not send.
const COURTESY_BYTES: usize = 1 << 20;
const COURTESY_TIME: std::time::Duration = std::time::Duration::from_secs(2);

/// Reads a little of a form refused before it was read (see [`COURTESY_BYTES`]); the connection
/// is then closed (`Connection: close` on every refusal of a request with a body).
pub async fn drain_some(multipart: &mut Multipart) {
    let courtesy = async {
        let mut read = 0;
        while let Ok(Some(mut field)) = multipart.next_field().await {
            while let Ok(Some(chunk)) = field.chunk().await {
                read += chunk.len();
                if read > COURTESY_BYTES {
                    return;
                }
            }
        }
    };
    let _ = tokio::time::timeout(COURTESY_TIME, courtesy).await;
}

/// [`drain_some`] for a body not read as a form.
pub async fn drain_some_body(body: axum::body::Body) {
    let _ = tokio::time::timeout(COURTESY_TIME, axum::body::to_bytes(body, COURTESY_BYTES)).await;
}

async fn receive_parts(
    multipart: &mut Multipart,
    blobs: &BlobStore,
    file_field: &str,
    limit: u64,
) -> Result<Received, ApiError> {
    let mut received = Received::default();
    let mut text_total = 0;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => {
                tracing::debug!(%error, "unreadable multipart body");
                return Err(unreadable());
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        if received.fields.len() >= MAX_FIELDS {
            tracing::info!("multipart body refused: more than {MAX_FIELDS} fields");
            return Err(unreadable());
        }
        if name == file_field && field.file_name().is_some() {
            if received.upload.is_some() {
                tracing::info!("multipart body refused: a second file");
                return Err(ApiError::bad_request("Envoyez un seul fichier à la fois."));
            }
            let file_name = field.file_name().unwrap_or_default().to_owned();
            let mut staging = blobs.stage(limit).map_err(DomainError::from)?;
            let mut empty = true;
            loop {
                match field.chunk().await {
                    Ok(Some(chunk)) => {
                        empty &= chunk.is_empty();
                        staging.write(&chunk).await.map_err(DomainError::from)?;
                    }
                    Ok(None) => break,
                    Err(error) => {
                        tracing::debug!(%error, "upload interrupted");
                        return Err(unreadable());
                    }
                }
            }
            // A file input left empty still sends its part, with no name and no bytes.
            if empty && file_name.is_empty() {
                continue;
            }
            received.upload = Some(
                staging
                    .finish(&file_name)
                    .await
                    .map_err(DomainError::from)?,
            );
            continue;
        }
        let mut text = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    text.extend_from_slice(&chunk);
                    text_total += chunk.len();
                    if text.len() > MAX_TEXT_FIELD || text_total > MAX_TEXT_TOTAL {
                        tracing::info!(field = %name.escape_debug(), "multipart body refused: text too long");
                        return Err(unreadable());
                    }
                }
                Ok(None) => break,
                Err(_) => return Err(unreadable()),
            }
        }
        let text = String::from_utf8(text).map_err(|_| unreadable())?;
        received.fields.push((name, text));
    }
    Ok(received)
}

/// The page's form (French field names).
pub fn draft_from_form(form: &mut Received) -> Result<ResourceDraft, ApiError> {
    let kind = match form.first("type").trim() {
        "" => None,
        code => Some(
            ResourceKind::from_code(code)
                .ok_or(DomainError::InvalidResource(DraftProblem::Kind))?,
        ),
    };
    let source = match form.upload.take() {
        Some(staged) => DraftSource::Upload(staged),
        None => match form.first("lien").trim() {
            "" => DraftSource::Keep,
            url => DraftSource::Link(url.to_owned()),
        },
    };
    let targets = if form.first("public") == "classes" {
        Some(
            form.all("cibles")
                .iter()
                .filter_map(|t| parse_target(t))
                .collect(),
        )
    } else {
        None
    };
    Ok(ResourceDraft {
        title: form.first("titre").to_owned(),
        description: form.first("description").to_owned(),
        kind,
        disciplines: form.all("disciplines"),
        levels: form.all("niveaux"),
        themes: form.all("themes"),
        keywords: split_list(form.first("mots_cles")),
        licence: form.first("licence").to_owned(),
        source,
        targets,
        published: form.first("publier") == "oui",
    })
}

/// `classe:4B` or `groupe:4B-LATIN`, the form's values for audiences.
pub fn parse_target(value: &str) -> Option<Target> {
    match value.split_once(':') {
        Some(("classe", code)) => Some(Target::Class(code.to_owned())),
        Some(("groupe", code)) => Some(Target::Group(code.to_owned())),
        _ => None,
    }
}

pub fn target_value(target: &Target) -> String {
    match target {
        Target::Class(code) => format!("classe:{code}"),
        Target::Group(code) => format!("groupe:{code}"),
    }
}

fn split_list(text: &str) -> Vec<String> {
    text.split([',', ';'])
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The API's JSON (`docs/api.md`): alone as the body, or as the `metadata` part of a multipart
/// body whose `file` part carries the upload.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub kind: Option<String>,
    #[serde(default)]
    pub disciplines: Vec<String>,
    #[serde(default)]
    pub levels: Vec<String>,
    #[serde(default)]
    pub themes: Vec<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub licence: String,
    pub url: Option<String>,
    /// `{"to":"establishment"}` (the default) or
    /// `{"to":"targets","targets":[{"kind":"class","code":"4B"}]}`.
    pub audience: Option<Audience>,
    #[serde(default = "published_by_default")]
    pub published: bool,
}

fn published_by_default() -> bool {
    true
}

impl ResourceInput {
    pub fn into_draft(self, upload: Option<Staged>) -> Result<ResourceDraft, ApiError> {
        let kind = match self.kind.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(code) => Some(
                ResourceKind::from_code(code)
                    .ok_or(DomainError::InvalidResource(DraftProblem::Kind))?,
            ),
        };
        let source = match (upload, self.url) {
            (Some(staged), _) => DraftSource::Upload(staged),
            (None, Some(url)) if !url.trim().is_empty() => DraftSource::Link(url),
            (None, _) => DraftSource::Keep,
        };
        Ok(ResourceDraft {
            title: self.title,
            description: self.description,
            kind,
            disciplines: self.disciplines,
            levels: self.levels,
            themes: self.themes,
            keywords: self.keywords,
            licence: self.licence,
            source,
            targets: match self.audience {
                None | Some(Audience::Establishment) => None,
                Some(Audience::Targets(targets)) => Some(targets),
            },
            published: self.published,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_becomes_a_draft_with_its_lists_and_audience() {
        let mut form = Received {
            fields: [
                ("titre", "Les volcans"),
                ("type", "document"),
                ("lien", "https://example.org/volcans"),
                ("niveaux", "num-021"),
                ("niveaux", "num-631"),
                ("mots_cles", "magma, éruption ;lave"),
                ("public", "classes"),
                ("cibles", "classe:4B"),
                ("cibles", "groupe:4B-LATIN"),
                ("cibles", "n'importe quoi"),
                ("publier", "oui"),
            ]
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
            upload: None,
        };
        let draft = draft_from_form(&mut form).expect("a draft");
        assert_eq!(draft.kind, Some(ResourceKind::Document));
        assert_eq!(draft.levels, vec!["num-021", "num-631"]);
        assert_eq!(draft.keywords, vec!["magma", "éruption", "lave"]);
        assert_eq!(
            draft.targets,
            Some(vec![
                Target::Class("4B".into()),
                Target::Group("4B-LATIN".into())
            ])
        );
        assert!(
            matches!(draft.source, DraftSource::Link(ref url) if url == "https://example.org/volcans")
        );
        assert!(draft.published);
    }

    #[test]
    fn json_input_reads_the_documented_shape_and_refuses_unknown_fields() {
        let input: ResourceInput = serde_json::from_str(
            r#"{"title":"Fractions","kind":"link","url":"https://example.org",
                "audience":{"to":"targets","targets":[{"kind":"class","code":"4B"}]}}"#,
        )
        .expect("parses");
        let draft = input.into_draft(None).expect("a draft");
        assert_eq!(draft.targets, Some(vec![Target::Class("4B".into())]));
        assert!(draft.published, "published unless said otherwise");
        assert!(serde_json::from_str::<ResourceInput>(r#"{"title":"x","colour":"red"}"#).is_err());
        let unknown = ResourceInput {
            kind: Some("hologram".into()),
            ..serde_json::from_str(r#"{"title":"x"}"#).expect("parses")
        };
        assert!(unknown.into_draft(None).is_err());
    }
}
