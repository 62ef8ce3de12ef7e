//! Server side: the complete HTML document of a page.

use std::sync::Arc;

use hydration_context::SsrSharedContext;
use leptos::prelude::*;

use crate::model::PageData;
use crate::App;

/// Where the page finds its stylesheet and, when the WASM bundle was built, its boot script.
#[derive(Clone, Debug)]
pub struct AssetLinks {
    pub stylesheet: String,
    pub favicon: String,
    pub manifest: String,
    /// The script that registers the service worker, for the one page kept offline.
    pub offline_script: String,
    /// The script that keeps the header's count of notifications live, on signed-in pages.
    pub live_script: String,
    /// The module that loads the bundle and hydrates the islands; absent in a build without
    /// the bundle.
    pub boot_script: Option<String>,
    /// Files worth fetching early: the bundle's JS glue and its WASM.
    pub preload_module: Option<String>,
    pub preload_wasm: Option<String>,
}

/// The element the server renders around each island; the boot script looks for it.
const ISLAND_TAG: &str = "<leptos-island";

/// Renders `data` to a full document. The page carries no copy of its data: islands carry their
/// own props, and only a page that has one loads the bundle.
pub fn render_document(data: PageData, assets: &AssetLinks) -> String {
    let title = format!("{} · {}", data.title, data.establishment);
    let offline = data.body.kept_offline();
    // Not while a password must be changed: the stream would be refused like every other page.
    let live = data
        .viewer
        .as_ref()
        .is_some_and(|viewer| !viewer.must_change_password);
    // Islands render through a server-side shared context (it marks their children).
    let context = Arc::new(SsrSharedContext::new());
    let body = Owner::new_root(Some(context)).with(|| view! { <App data=data/> }.to_html());
    let mut html = String::with_capacity(body.len() + 1024);
    html.push_str("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">");
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    html.push_str("<meta name=\"theme-color\" content=\"#1d4e89\">");
    html.push_str("<title>");
    push_escaped(&mut html, &title);
    html.push_str("</title>");
    push_link(&mut html, "stylesheet", &assets.stylesheet, "");
    push_link(
        &mut html,
        "icon",
        &assets.favicon,
        " type=\"image/svg+xml\"",
    );
    push_link(&mut html, "manifest", &assets.manifest, "");
    // A page with nothing to make interactive loads no WASM at all: its HTML is the whole page.
    let hydrates = body.contains(ISLAND_TAG);
    if let Some(module) = assets.preload_module.as_ref().filter(|_| hydrates) {
        push_link(&mut html, "modulepreload", module, "");
    }
    if let Some(wasm) = assets.preload_wasm.as_ref().filter(|_| hydrates) {
        push_link(
            &mut html,
            "preload",
            wasm,
            " as=\"fetch\" type=\"application/wasm\" crossorigin",
        );
    }
    if let Some(boot) = assets.boot_script.as_ref().filter(|_| hydrates) {
        html.push_str("<script type=\"module\" src=\"");
        push_escaped(&mut html, boot);
        html.push_str("\"></script>");
    }
    if offline {
        html.push_str("<script defer src=\"");
        push_escaped(&mut html, &assets.offline_script);
        html.push_str("\"></script>");
    }
    if live {
        html.push_str("<script defer src=\"");
        push_escaped(&mut html, &assets.live_script);
        html.push_str("\"></script>");
    }
    html.push_str("</head><body>");
    html.push_str(&body);
    html.push_str("</body></html>");
    html
}

fn push_link(html: &mut String, rel: &str, href: &str, extra: &str) {
    html.push_str("<link rel=\"");
    html.push_str(rel);
    html.push_str("\" href=\"");
    push_escaped(html, href);
    html.push('"');
    html.push_str(extra);
    html.push('>');
}

/// Appends `text` with the characters that could end an element or an attribute escaped.
fn push_escaped(html: &mut String, text: &str) {
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>', '"']) {
        html.push_str(&rest[..at]);
        html.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => "&quot;",
        });
        rest = &rest[at + 1..];
    }
    html.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorView;
    use crate::model::PageBody;
    use crate::{accounts, resources};

    fn page(message: &str) -> PageData {
        PageData {
            title: "Erreur".into(),
            establishment: "Collège".into(),
            viewer: None,
            notice: None,
            body: PageBody::Error(ErrorView {
                status: 404,
                heading: "Page introuvable".into(),
                message: message.into(),
            }),
        }
    }

    fn assets(boot: bool) -> AssetLinks {
        AssetLinks {
            stylesheet: "/a.css".into(),
            favicon: "/favicon.svg".into(),
            manifest: "/m.json".into(),
            offline_script: "/hors-ligne.js".into(),
            live_script: "/notifications.js".into(),
            boot_script: boot.then(|| "/boot.js".into()),
            preload_module: boot.then(|| "/preau.js".into()),
            preload_wasm: boot.then(|| "/preau.wasm".into()),
        }
    }

    #[test]
    fn markup_characters_are_escaped_and_the_rest_kept() {
        let mut html = String::from("<p>");
        push_escaped(&mut html, "Tom & Léa <3 \"élèves\">");
        assert_eq!(html, "<p>Tom &amp; Léa &lt;3 &quot;élèves&quot;&gt;");
        push_escaped(&mut html, "");
        push_escaped(&mut html, "ça");
        assert!(html.ends_with("&gt;ça"));
    }

    #[test]
    fn only_the_to_do_page_registers_the_offline_copy() {
        use crate::logbook::{model::TodoView, Page};
        let plain = render_document(page("Rien"), &assets(false));
        assert!(!plain.contains("/hors-ligne.js"));
        let mut todo = page("");
        todo.body = PageBody::Logbook(Page::Todo(TodoView {
            heading: "À faire".into(),
            chooser: None,
            fetched: "Mis à jour le lundi 30 novembre 2026 à 17:05".into(),
            days: Vec::new(),
            empty: Some("Rien à faire.".into()),
            class_href: None,
        }));
        let html = render_document(todo, &assets(false));
        assert!(html.contains("<script defer src=\"/hors-ligne.js\"></script>"));
        assert!(html.contains("data-fetched"));
        assert!(!html.contains("/boot.js"), "no bundle for it");
    }

    #[test]
    fn a_signed_in_page_keeps_its_count_live_with_a_plain_script_and_no_bundle() {
        let mut data = page("Rien");
        data.viewer = Some(crate::model::Viewer {
            login: "eleve.demo".into(),
            display_name: "Léa Martin".into(),
            profile_label: "Élève".into(),
            is_admin: false,
            csrf: "jeton".into(),
            nav: Vec::new(),
            must_change_password: false,
            unseen_notifications: 3,
        });
        let html = render_document(data.clone(), &assets(true)).replace("<!>", "");
        assert!(html.contains("<script defer src=\"/notifications.js\"></script>"));
        let count = |html: &str| {
            let at = html.find("data-unseen").expect("the header's count");
            let tag_start = html[..at].rfind('<').expect("its tag");
            let text_end = at + html[at..].find("</span>").expect("its end");
            html[tag_start..text_end].to_owned()
        };
        assert!(count(&html).ends_with(">3"), "{html}");
        assert!(!count(&html).contains("hidden"), "{html}");
        assert!(!html.contains("/boot.js") && !html.contains(ISLAND_TAG));
        if let Some(viewer) = data.viewer.as_mut() {
            viewer.unseen_notifications = 0;
            viewer.must_change_password = true;
        }
        let html = render_document(data, &assets(true)).replace("<!>", "");
        assert!(
            !html.contains("/notifications.js"),
            "no stream before the password change"
        );
        assert!(count(&html).contains("hidden"), "hidden at zero: {html}");
        assert!(!render_document(page("Rien"), &assets(true)).contains("/notifications.js"));
    }

    #[test]
    fn text_cannot_open_a_script_element() {
        let html = render_document(page("</script><script>alert(1)</script>"), &assets(false));
        assert!(!html.contains("<script"));
        assert!(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)"));
    }

    #[test]
    fn a_page_without_islands_loads_no_bundle() {
        let mut data = page("Rien");
        data.body = PageBody::Resources(resources::Page::Delete(
            resources::model::ResourceDeleteView {
                title: "Les fractions".into(),
                action: "/ressources/1/supprimer".into(),
                back: "/ressources/1".into(),
            },
        ));
        let html = render_document(data, &assets(true));
        assert!(
            html.replace("<!>", "")
                .contains("Supprimer « Les fractions » ?"),
            "{html}"
        );
        for absent in [
            "/boot.js",
            "/preau.js",
            "/preau.wasm",
            ISLAND_TAG,
            "<script",
        ] {
            assert!(!html.contains(absent), "{absent} in a page without islands");
        }
    }

    #[test]
    fn a_page_with_an_island_loads_the_bundle_but_no_copy_of_its_data() {
        let mut data = page("Rien");
        data.body = PageBody::Accounts(accounts::Page::Login(accounts::model::LoginView {
            login: "identifiant.distinctif".into(),
            next: None,
            error: Some("Une erreur bien particulière.".into()),
        }));
        let html = render_document(data, &assets(true));
        assert!(
            html.contains("src=\"/boot.js\"") && html.contains(ISLAND_TAG),
            "{html}"
        );
        assert_eq!(html.matches("identifiant.distinctif").count(), 1, "{html}");
        assert_eq!(html.matches("Une erreur bien particulière.").count(), 1);
        assert!(!html.contains("application/json"));
    }
}
