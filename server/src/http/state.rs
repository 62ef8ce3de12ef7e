use std::sync::Arc;

use crate::domain::Domain;

/// What every handler can reach. Cloned for every request, so everything in it is shared.
#[derive(Clone)]
pub struct AppState {
    pub domain: Arc<Domain>,
    /// True when served over TLS: cookies get `Secure`.
    pub secure_cookies: bool,
    pub assets: Arc<preau_app::document::AssetLinks>,
}

impl AppState {
    pub fn new(domain: Domain, secure_cookies: bool) -> Self {
        Self {
            domain: Arc::new(domain),
            secure_cookies,
            assets: Arc::new(super::assets::links()),
        }
    }
}
