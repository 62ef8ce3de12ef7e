use std::sync::Arc;

use super::error::ApiError;
use super::live::LiveCounts;
use super::shares::{Shares, Slot};
use crate::domain::accounts::account::Account;
use crate::domain::Domain;

/// Uploads one person may send at once: a teacher with two tabs, not a script with twenty.
const UPLOADS_PER_PERSON: usize = 2;
/// Package files one person may be sent at once (a module's page loads its scripts, styles and
/// media together), and how many more may wait for a turn.
const PACKAGE_STREAMS_PER_PERSON: usize = 8;
const PACKAGE_WAITING_PER_PERSON: usize = 64;
/// Live notification streams one person may hold: a tab each, on a few devices; a script
/// opening hundreds is refused.
const LIVE_STREAMS_PER_PERSON: usize = 16;

/// What every handler can reach. Cloned for every request, so everything in it is shared.
#[derive(Clone)]
pub struct AppState {
    pub domain: Arc<Domain>,
    /// True when served over TLS: cookies get `Secure`.
    pub secure_cookies: bool,
    pub assets: Arc<preau_app::document::AssetLinks>,
    /// The data directory (its `inbox/` holds the directory sync history).
    pub data: Arc<std::path::Path>,
    /// Uploads being received, per person.
    pub uploads: Arc<Shares>,
    /// Package files being streamed, per person.
    pub package_streams: Arc<Shares>,
    /// Where the files of the packages served lately lie in their zips.
    pub package_maps: Arc<super::packages::PackageMaps>,
    /// Each person's count of unseen notifications, for the tabs listening to it; the domain
    /// feeds it (attach it with [`Domain::with_unseen_observer`] before building the state).
    pub live: Arc<LiveCounts>,
    /// Live notification streams open, per person.
    pub live_streams: Arc<Shares>,
    /// Set while the box waits for its installation (no administrator yet).
    pub installation: Option<Arc<crate::installation::Installation>>,
    /// Uptime, certificate, recent errors and request counters.
    pub monitoring: Arc<crate::monitoring::Monitoring>,
    /// Delivers the CAS server's proxy-granting tickets to the services' callbacks.
    pub cas_proxy: Arc<super::pages::ProxyCallback>,
}

impl AppState {
    pub fn new(
        domain: Domain,
        secure_cookies: bool,
        data: &std::path::Path,
        live: Arc<LiveCounts>,
    ) -> Self {
        let cas_proxy = Arc::new(super::pages::ProxyCallback::new(
            domain.config().cas.proxy_callback_ca_pem.as_deref(),
        ));
        Self {
            cas_proxy,
            domain: Arc::new(domain),
            secure_cookies,
            assets: Arc::new(super::assets::links()),
            data: Arc::from(data),
            uploads: Shares::new(UPLOADS_PER_PERSON, 0),
            package_streams: Shares::new(PACKAGE_STREAMS_PER_PERSON, PACKAGE_WAITING_PER_PERSON),
            package_maps: Arc::default(),
            live,
            live_streams: Shares::new(LIVE_STREAMS_PER_PERSON, 0),
            installation: None,
            monitoring: Arc::default(),
        }
    }

    /// The monitoring the server started with (its logging layer feeds the recent errors).
    pub fn with_monitoring(mut self, monitoring: Arc<crate::monitoring::Monitoring>) -> Self {
        self.monitoring = monitoring;
        self
    }

    /// The state of a box waiting for its installation.
    pub fn with_installation(
        mut self,
        installation: Option<Arc<crate::installation::Installation>>,
    ) -> Self {
        self.installation = installation;
        self
    }

    /// A turn to upload for `person`, or the French refusal when they already send as many
    /// files as they may.
    pub fn upload_slot(&self, person: &Account) -> Result<Slot, ApiError> {
        self.uploads.try_take(person.id).ok_or_else(|| {
            tracing::info!(login = %person.login, "upload refused: too many at once");
            ApiError::busy(format!(
                "Vous envoyez déjà {UPLOADS_PER_PERSON} fichiers : attendez la fin d'un envoi \
                 avant d'en commencer un autre."
            ))
        })
    }
}
