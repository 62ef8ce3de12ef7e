//! The shape most page handlers share: a signed-in person, domain work done off the async
//! threads, then a page, a file, or a redirect once the write is durable. Anonymous visitors are
//! sent to sign in; domain errors become the French error page.

use std::sync::Arc;

use axum::extract::{Multipart, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use preau_app::model::PageBody;

use super::PageCtx;
use crate::domain::accounts::account::Account;
use crate::domain::resources::resource::StoredFile;
use crate::domain::{Domain, DomainError};
use crate::http::resource_input::{self, Received};

impl PageCtx {
    /// The page `build` makes for the viewer, wrapped by `body`.
    pub async fn signed_in_page<V, B>(
        &self,
        title: &str,
        build: B,
        body: impl FnOnce(V) -> PageBody,
    ) -> Response
    where
        V: Send + 'static,
        B: FnOnce(&Domain, &Account) -> Result<V, DomainError> + Send + 'static,
    {
        let auth = match self.require() {
            Ok(auth) => auth,
            Err(redirect) => return redirect.into_response(),
        };
        let domain = self.state.domain.clone();
        let viewer = auth.signed_in.account.clone();
        match crate::http::blocking(move || build(&domain, &viewer)).await {
            Ok(view) => self.render(StatusCode::OK, title, None, body(view)),
            Err(error) => self.error(error),
        }
    }

    /// The stored file `find` names for the viewer, served like a resource's file; `missing`
    /// answers when its blob is not there.
    pub async fn signed_in_file<F>(
        &self,
        find: F,
        download: bool,
        request: Request,
        missing: DomainError,
    ) -> Response
    where
        F: FnOnce(&Domain, &Account) -> Result<StoredFile, DomainError> + Send + 'static,
    {
        let auth = match self.require() {
            Ok(auth) => auth,
            Err(redirect) => return redirect.into_response(),
        };
        let domain = self.state.domain.clone();
        let viewer = auth.signed_in.account.clone();
        match crate::http::blocking(move || find(&domain, &viewer)).await {
            Ok(file) => {
                crate::http::files::serve_stored(self, &file, download, request, missing).await
            }
            Err(error) => self.error(error),
        }
    }

    /// A multipart form with a file, from a viewer `allowed` accepts: the decision (and what it
    /// found) comes off the async threads before a byte of the file is read; a refused person's
    /// body is read only as a courtesy, never stored. Then the form, its file staged.
    pub async fn signed_in_upload<T, A>(
        &self,
        mut multipart: Multipart,
        allowed: A,
    ) -> Result<(Arc<Account>, T, Received), Response>
    where
        T: Send + 'static,
        A: FnOnce(&Domain, &Account) -> Result<T, DomainError> + Send + 'static,
    {
        let auth = match self.require() {
            Ok(auth) => auth,
            Err(redirect) => {
                resource_input::drain_some(&mut multipart).await;
                return Err(redirect.into_response());
            }
        };
        let viewer = auth.signed_in.account.clone();
        let domain = self.state.domain.clone();
        let checked = {
            let viewer = viewer.clone();
            crate::http::blocking(move || allowed(&domain, &viewer)).await
        };
        let found = match checked {
            Ok(found) => found,
            Err(error) => {
                resource_input::drain_some(&mut multipart).await;
                return Err(self.error(error));
            }
        };
        match resource_input::receive_upload(&self.state, &viewer, multipart).await {
            Ok(received) => Ok((viewer, found, received)),
            Err(error) => Err(self.error(error)),
        }
    }

    /// The viewer's write, made durable, then a redirect to `to(outcome)`.
    pub async fn signed_in_write<T, W>(&self, write: W, to: impl FnOnce(T) -> String) -> Response
    where
        T: Send + 'static,
        W: FnOnce(&Domain, &Account) -> Result<T, DomainError> + Send + 'static,
    {
        let auth = match self.require() {
            Ok(auth) => auth,
            Err(redirect) => return redirect.into_response(),
        };
        let domain = self.state.domain.clone();
        let viewer = auth.signed_in.account.clone();
        let outcome = match crate::http::blocking(move || write(&domain, &viewer)).await {
            Ok(outcome) => outcome,
            Err(error) => return self.error(error),
        };
        if let Err(error) = self.state.domain.flush().await {
            return self.error(error);
        }
        Redirect::to(&to(outcome)).into_response()
    }
}
