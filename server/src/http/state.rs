use std::sync::Arc;

use crate::domain::Domain;

/// What every handler can reach. Cloned for every request, so everything in it is shared.
#[derive(Clone)]
pub struct AppState {
    pub domain: Arc<Domain>,
    /// True when served over TLS: cookies get `Secure`.
    pub secure_cookies: bool,
    pub assets: Arc<preau_app::document::AssetLinks>,
    /// The data directory (its `inbox/` holds the directory sync history).
    pub data: Arc<std::path::Path>,
}

impl AppState {
    pub fn new(domain: Domain, secure_cookies: bool, data: &std::path::Path) -> Self {
        Self {
            domain: Arc::new(domain),
            secure_cookies,
            assets: Arc::new(super::assets::links()),
            data: Arc::from(data),
        }
    }
}
