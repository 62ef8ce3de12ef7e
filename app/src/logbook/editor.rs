//! The lesson's text area and, once hydrated, a small formatting toolbar (bold, italic, list,
//! link). The buttons write the tags the server keeps (see the server's
//! `domain::logbook::content`), which cleans whatever arrives anyway; without JavaScript the
//! text area alone takes plain text or the same tags.

use leptos::prelude::*;

/// What a toolbar button does to the selected text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Bold,
    Italic,
    List,
    Link,
}

/// The markup `format` makes of `selected` (with `href` for a link).
#[cfg_attr(
    not(feature = "hydrate"),
    allow(dead_code, reason = "the buttons act in the browser only")
)]
pub fn wrap(format: Format, selected: &str, href: Option<&str>) -> String {
    match format {
        Format::Bold => format!("<strong>{selected}</strong>"),
        Format::Italic => format!("<em>{selected}</em>"),
        Format::List => {
            let items: String = selected
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .map(|line| format!("<li>{line}</li>\n"))
                .collect();
            let items = if items.is_empty() {
                "<li></li>\n".to_owned()
            } else {
                items
            };
            format!("<ul>\n{items}</ul>")
        }
        Format::Link => {
            let href = href.unwrap_or_default().replace('"', "%22");
            let text = if selected.is_empty() {
                href.as_str()
            } else {
                selected
            };
            format!("<a href=\"{href}\">{text}</a>")
        }
    }
}

#[island]
pub fn LessonEditor(children: Children) -> impl IntoView {
    let (hydrated, set_hydrated) = signal(false);
    // Effects only run in the browser.
    Effect::new(move |_| set_hydrated.set(true));
    let area = NodeRef::<leptos::html::Div>::new();
    let button = move |format: Format, label: &'static str| {
        view! {
            <button type="button" class="link-button" on:click=move |_| apply(area, format)>
                {label}
            </button>
        }
    };
    view! {
        <div class="editor" node_ref=area>
            <Show when=move || hydrated.get()>
                <div class="editor-toolbar" role="toolbar" aria-label="Mise en forme">
                    {button(Format::Bold, "Gras")}
                    {button(Format::Italic, "Italique")}
                    {button(Format::List, "Liste")}
                    {button(Format::Link, "Lien")}
                </div>
            </Show>
            {children()}
        </div>
    }
}

/// Replaces the selection of the text area in `area` with its formatted markup.
#[cfg(feature = "hydrate")]
fn apply(area: NodeRef<leptos::html::Div>, format: Format) {
    use wasm_bindgen::JsCast;
    let Some(text_area) = area
        .get_untracked()
        .and_then(|area| area.query_selector("textarea").ok().flatten())
        .and_then(|element| element.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    else {
        return;
    };
    let (Ok(Some(start)), Ok(Some(end))) = (text_area.selection_start(), text_area.selection_end())
    else {
        return;
    };
    // The browser counts in UTF-16 code units.
    let units: Vec<u16> = text_area.value().encode_utf16().collect();
    let (from, to) = (start as usize, (end as usize).min(units.len()));
    let selected = String::from_utf16_lossy(units.get(from.min(to)..to).unwrap_or_default());
    let href = if format == Format::Link {
        let asked = web_sys::window()
            .and_then(|window| {
                window
                    .prompt_with_message("Adresse du lien (https://…)")
                    .ok()
            })
            .flatten()
            .filter(|href| !href.trim().is_empty());
        match asked {
            Some(href) => Some(href.trim().to_owned()),
            None => return,
        }
    } else {
        None
    };
    let markup = wrap(format, &selected, href.as_deref());
    let _ = text_area.set_range_text_with_start_and_end(&markup, start, end);
    let _ = text_area.focus();
}

#[cfg(not(feature = "hydrate"))]
fn apply(_area: NodeRef<leptos::html::Div>, _format: Format) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_button_writes_tags_the_server_keeps() {
        assert_eq!(
            wrap(Format::Bold, "Pythagore", None),
            "<strong>Pythagore</strong>"
        );
        assert_eq!(wrap(Format::Italic, "cf.", None), "<em>cf.</em>");
        assert_eq!(
            wrap(Format::List, "un\n\n deux ", None),
            "<ul>\n<li>un</li>\n<li>deux</li>\n</ul>"
        );
        assert_eq!(
            wrap(Format::Link, "", Some("https://fr.wikipedia.org/wiki/\"x\"")),
            "<a href=\"https://fr.wikipedia.org/wiki/%22x%22\">https://fr.wikipedia.org/wiki/%22x%22</a>"
        );
    }
}
