//! Server side: the complete HTML document of a page.

use leptos::prelude::*;

use crate::model::PageData;
use crate::{App, PAGE_DATA_ID};

/// Where the page finds its stylesheet and, when the WASM bundle was built, its boot script.
#[derive(Clone, Debug)]
pub struct AssetLinks {
    pub stylesheet: String,
    pub favicon: String,
    pub manifest: String,
    /// The module that loads the bundle and hydrates; absent in a build without the bundle.
    pub boot_script: Option<String>,
    /// Files worth fetching early: the bundle's JS glue and its WASM.
    pub preload_module: Option<String>,
    pub preload_wasm: Option<String>,
}

/// Renders `data` to a full document: `<head>` with the page data as JSON, `<body>` with the
/// component tree carrying the hydration markers the bundle expects.
pub fn render_document(data: &PageData, assets: &AssetLinks) -> String {
    let body = Owner::new().with(|| view! { <App data=data.clone()/> }.to_html());
    let title = format!("{} · {}", data.title, data.establishment);
    let json = if data.body.is_static() {
        String::new()
    } else {
        embed_json(data)
    };
    let mut html = String::with_capacity(body.len() + json.len() + 1024);
    html.push_str("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">");
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    html.push_str("<meta name=\"theme-color\" content=\"#1d4e89\">");
    html.push_str("<title>");
    html.push_str(&escape_text(&title));
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
    let hydrates = !data.body.is_static();
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
        html.push_str(&escape_text(boot));
        html.push_str("\"></script>");
    }
    if hydrates {
        html.push_str("<script type=\"application/json\" id=\"");
        html.push_str(PAGE_DATA_ID);
        html.push_str("\">");
        html.push_str(&json);
        html.push_str("</script>");
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
    html.push_str(&escape_text(href));
    html.push('"');
    html.push_str(extra);
    html.push('>');
}

/// JSON inside `<script>` must not be able to close the element: `<` is written as `\u003c`.
fn embed_json(data: &PageData) -> String {
    serde_json::to_string(data)
        .unwrap_or_else(|_| "null".to_owned())
        .replace('<', "\\u003c")
}

fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ErrorView, PageBody};

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

    #[test]
    fn embedded_json_cannot_close_the_script_element() {
        let html = render_document(
            &page("</script><script>alert(1)</script>"),
            &AssetLinks {
                stylesheet: "/a.css".into(),
                favicon: "/favicon.svg".into(),
                manifest: "/m.json".into(),
                boot_script: None,
                preload_module: None,
                preload_wasm: None,
            },
        );
        assert_eq!(html.matches("</script>").count(), 1);
        assert!(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)"));
    }

    #[test]
    fn a_static_page_loads_no_bundle_and_embeds_no_data() {
        let assets = AssetLinks {
            stylesheet: "/a.css".into(),
            favicon: "/favicon.svg".into(),
            manifest: "/m.json".into(),
            boot_script: Some("/boot.js".into()),
            preload_module: Some("/preau.js".into()),
            preload_wasm: Some("/preau.wasm".into()),
        };
        let hydrated = render_document(&page("Rien"), &assets);
        assert!(hydrated.contains("src=\"/boot.js\"") && hydrated.contains(PAGE_DATA_ID));
        let mut data = page("Rien");
        data.body = PageBody::ResourceDelete(crate::model::ResourceDeleteView {
            title: "Les fractions".into(),
            action: "/ressources/1/supprimer".into(),
            back: "/ressources/1".into(),
        });
        let html = render_document(&data, &assets);
        assert!(
            html.replace("<!>", "")
                .contains("Supprimer « Les fractions » ?"),
            "{html}"
        );
        for absent in ["/boot.js", "/preau.js", "/preau.wasm", PAGE_DATA_ID] {
            assert!(!html.contains(absent), "{absent} in a static page");
        }
    }

    #[test]
    fn embedded_json_round_trips_to_the_same_page() {
        let data = page("Rien ici « ni là » & c'est tout");
        let json = embed_json(&data);
        let back: PageData = serde_json::from_str(&json).expect("valid JSON");
        assert_eq!(back, data);
    }
}
