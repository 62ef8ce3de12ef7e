//! The shape most page handlers share: a signed-in person, domain work done off the async
//! threads, then a page, a file, or a redirect once the write is durable. Anonymous visitors are
//! sent to sign in; domain errors become the French error page.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use preau_app::model::PageBody;

use super::PageCtx;
use crate::domain::accounts::account::Account;
use crate::domain::resources::resource::StoredFile;
use crate::domain::{Domain, DomainError};

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
