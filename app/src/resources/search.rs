//! `/ressources`: search the resource library by words, discipline, level, programme theme and
//! kind, sorted by relevance or date.
//!
//! Without JavaScript it is a GET form and links. Once hydrated, typing (after a pause), changing
//! a select, following a facet link or turning a page fetches the same view as JSON from
//! `/ressources.json` and shows it in place, keeping the address bar on the equivalent
//! `/ressources?…` so that it can still be shared or reloaded.

use leptos::html;
use leptos::prelude::*;

use super::model::{
    FacetLink, ResourceCard, ResourcesView, Suggestion, ThemeFacet, UnderstoodFilter,
};

/// Values of the sort select, as the server reads them.
const SORTS: [(&str, &str); 2] = [("", "Pertinence"), ("date", "Plus récentes")];

/// `id` of the result count, where the focus goes after a link updated the results in place.
const COUNT_ID: &str = "resultats-nombre";

/// `id` of the element holding the results, redrawn in place by the island.
const RESULTS_ID: &str = "resultats";

#[component]
pub fn Resources(data: ResourcesView) -> impl IntoView {
    let ResourcesView {
        query,
        discipline,
        level,
        theme,
        kind,
        sort,
        disciplines,
        levels,
        can_publish,
        total,
        ..
    } = data.clone();
    let sorts = SORTS
        .iter()
        .map(|(value, label)| ((*value).to_owned(), (*label).to_owned()))
        .collect();
    view! {
        <h1>"Ressources"</h1>
        {can_publish.then(|| view! {
            <p class="actions">
                <a class="button primary" href="/ressources/nouvelle">"Nouvelle ressource"</a>
                " "
                <a class="button" href="/ressources/import">"Importer une collection"</a>
            </p>
        })}
        // Everything below is rendered here, on the server; the island only listens to it.
        <LiveSearch>
            <form method="get" action="/ressources" class="card search-form" role="search">
                <div class="field search-words">
                    <label for="q">"Rechercher"</label>
                    <input
                        id="q"
                        name="q"
                        type="search"
                        value=query
                        placeholder="fractions, Moyen Âge, volcans…"
                    />
                </div>
                <Choice id="discipline" label="Discipline" choices=disciplines selected=discipline/>
                <Choice id="level" label="Niveau" choices=levels selected=level/>
                <Choice id="sort" label="Trier par" choices=sorts selected=sort/>
                <Hidden name="theme" value=theme/>
                <Hidden name="kind" value=kind/>
                <button type="submit" class="primary">"Rechercher"</button>
            </form>
            <p class="muted result-count" role="status" id=COUNT_ID tabindex="-1">
                {count_text(total)}
            </p>
            <div class="search-results" id=RESULTS_ID>
                <Results data=data/>
            </div>
        </LiveSearch>
    }
}

/// The island of the search page. Its children (the form, the count, the results) come from the
/// server; once hydrated, it listens to them: typing (after a pause), changing a select,
/// submitting, following a facet or pager link fetch the new results from `/ressources.json`
/// and draw them in place.
#[island]
fn LiveSearch(children: Children) -> impl IntoView {
    let live = Live {
        root: NodeRef::new(),
    };
    view! {
        <div
            class="live-search"
            node_ref=live.root
            on:input=move |ev| live.typed(&ev)
            on:change=move |ev| live.changed(&ev)
            on:submit=move |ev| live.submitted(&ev)
            on:click=move |ev| live.followed(&ev)
        >
            {children()}
        </div>
    }
}

/// A select of the search form.
#[component]
fn Choice(
    id: &'static str,
    label: &'static str,
    choices: Vec<(String, String)>,
    selected: String,
) -> impl IntoView {
    let options = choices
        .into_iter()
        .map(|(value, label)| {
            let is_selected = value == selected;
            view! { <option value=value selected=is_selected>{label}</option> }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=id>
                {options}
            </select>
        </div>
    }
}

/// A filter the form carries without showing it (the theme and kind chosen by their links);
/// disabled, hence left out of the address, while there is none.
#[component]
fn Hidden(name: &'static str, value: String) -> impl IntoView {
    let disabled = value.is_empty();
    view! { <input type="hidden" name=name value=value disabled=disabled/> }
}

fn count_text(total: usize) -> String {
    match total {
        0 => "Aucune ressource ne correspond.".to_owned(),
        1 => "1 ressource".to_owned(),
        n => format!("{} ressources", number(n as u64)),
    }
}

/// A count as French writes it: thousands apart by a narrow no-break space (« 1 234 »).
fn number(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + 6);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(digit);
    }
    out
}

/// Everything that changes with the search, below the form and the count.
#[component]
fn Results(data: ResourcesView) -> impl IntoView {
    let ResourcesView {
        hits,
        discipline_facets,
        level_facets,
        kind_facets,
        theme_facet,
        understood,
        did_you_mean,
        previous_page,
        next_page,
        ..
    } = data;
    view! {
        <Understood filters=understood/>
        {did_you_mean.map(|suggestion| view! { <DidYouMean suggestion=suggestion/> })}
        <Facets title="Disciplines" links=discipline_facets/>
        <Facets title="Niveaux" links=level_facets/>
        <Facets title="Types" links=kind_facets/>
        <Themes facet=theme_facet/>
        <ul class="plain-list results">
            {hits.into_iter().map(|hit| view! { <Card hit=hit/> }).collect_view()}
        </ul>
        <nav class="pager" aria-label="Pages de résultats">
            {previous_page.map(|href| view! { <a href=href>"← Précédentes"</a> })}
            {next_page.map(|href| view! { <a href=href>"Suivantes →"</a> })}
        </nav>
    }
}

/// The filters read in the words, so that the pupil sees why the results are narrowed and can
/// undo it.
#[component]
fn Understood(filters: Vec<UnderstoodFilter>) -> impl IntoView {
    (!filters.is_empty()).then(|| {
        view! {
            <nav class="facets understood" aria-label="Filtres compris dans les mots">
                <span class="facets-title">"Compris\u{a0}:"</span>
                {filters.into_iter().map(|filter| {
                    let title = format!("Retirer le filtre {}", filter.label);
                    view! {
                        <a href=filter.remove_href class="chip" aria-current="true" title=title>
                            {format!("«\u{a0}{}\u{a0}» : {} ✕", filter.words, filter.label)}
                        </a>
                    }
                }).collect_view()}
            </nav>
        }
    })
}

#[component]
fn DidYouMean(suggestion: Suggestion) -> impl IntoView {
    view! {
        <p class="did-you-mean">
            "Vouliez-vous dire "
            <a href=suggestion.href>{format!("«\u{a0}{}\u{a0}»", suggestion.words)}</a>
            "\u{a0}?"
        </p>
    }
}

#[component]
fn Card(hit: ResourceCard) -> impl IntoView {
    view! {
        <li class="result">
            <a href=hit.href class="result-title" inner_html=hit.title_html></a>
            <p class="result-text" inner_html=hit.description_html></p>
            <p class="muted result-detail">{hit.detail}</p>
        </li>
    }
}

#[component]
fn Facets(title: &'static str, links: Vec<FacetLink>) -> impl IntoView {
    (!links.is_empty()).then(|| {
        view! {
            <nav class="facets" aria-label=title>
                <span class="facets-title">{title}"\u{a0}:"</span>
                {links.into_iter().map(|link| view! { <Chip link=link/> }).collect_view()}
            </nav>
        }
    })
}

/// A facet value with its count; the selected one is marked, and its link removes it.
#[component]
fn Chip(link: FacetLink) -> impl IntoView {
    let current = link.selected.then_some("true");
    view! {
        <a href=link.href class="chip" aria-current=current>
            {format!("{} ({})", link.label, number(link.count))}
        </a>
    }
}

/// The programme tree: the way back up from the chosen theme, then one level down.
#[component]
fn Themes(facet: ThemeFacet) -> impl IntoView {
    let ThemeFacet { path, children } = facet;
    (!path.is_empty() || !children.is_empty()).then(|| {
        view! {
            <nav class="theme-facet" aria-label="Thèmes du programme">
                <span class="facets-title">"Thèmes du programme\u{a0}:"</span>
                <ol class="crumbs">
                    {path.into_iter().map(|link| {
                        // The chosen node is where the search stands: no link.
                        let current = link.selected.then_some("true");
                        let href = (!link.selected).then_some(link.href);
                        view! { <li><a href=href aria-current=current>{link.label}</a></li> }
                    }).collect_view()}
                </ol>
                <div class="facets">
                    {children.into_iter().map(|link| view! { <Chip link=link/> }).collect_view()}
                </div>
            </nav>
        }
    })
}

/// What the island needs to search in place: the element around the server-rendered form and
/// results.
#[derive(Clone, Copy)]
struct Live {
    root: NodeRef<html::Div>,
}

/// On the server there is nothing to do: the form and the links go to the server themselves.
#[cfg(not(feature = "hydrate"))]
impl Live {
    fn typed(self, _ev: &leptos::ev::Event) {}
    fn changed(self, _ev: &leptos::ev::Event) {}
    fn submitted(self, _ev: &leptos::ev::SubmitEvent) {}
    fn followed(self, _ev: &leptos::ev::MouseEvent) {}
}

#[cfg(feature = "hydrate")]
mod live {
    use std::cell::Cell;
    use std::time::Duration;

    use std::cell::RefCell;

    use leptos::mount::{mount_to, UnmountHandle};
    use leptos::prelude::*;
    use leptos::task::spawn_local;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{HtmlElement, HtmlFormElement, HtmlInputElement, HtmlSelectElement};

    use super::{count_text, Live, Results, COUNT_ID, RESULTS_ID};
    use crate::resources::model::ResourcesView;

    type Drawn = UnmountHandle<<AnyView as leptos::tachys::view::Render>::State>;

    /// What started a search: the form (typing, a select) or a link of the results.
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Origin {
        Form,
        Link,
    }

    /// Pause after the last key before searching.
    const DEBOUNCE: Duration = Duration::from_millis(250);

    thread_local! {
        /// Number of the latest search started; an answer to an older one is dropped, so a slow
        /// answer never replaces a newer one.
        static LATEST: Cell<u64> = const { Cell::new(0) };
        /// The search waiting for the typing to pause.
        static PENDING: Cell<Option<TimeoutHandle>> = const { Cell::new(None) };
        /// The results drawn by the island, replacing the server's; dropped (unmounted) when
        /// the next ones come.
        static DRAWN: RefCell<Option<Drawn>> = const { RefCell::new(None) };
    }

    impl Live {
        /// Typing in the words field; the selects are handled by [`Self::changed`].
        pub(super) fn typed(self, ev: &leptos::ev::Event) {
            if target::<HtmlInputElement>(ev).is_none_or(|input| input.name() != "q") {
                return;
            }
            cancel_pending();
            let handle = set_timeout_with_handle(move || self.search_form(), DEBOUNCE).ok();
            PENDING.with(|pending| pending.set(handle));
        }

        pub(super) fn changed(self, ev: &leptos::ev::Event) {
            // A text field also fires `change` when it loses the focus: only selects search.
            if target::<HtmlSelectElement>(ev).is_some() {
                self.search_now();
            }
        }

        pub(super) fn submitted(self, ev: &leptos::ev::SubmitEvent) {
            ev.prevent_default();
            self.search_now();
        }

        fn search_now(self) {
            cancel_pending();
            self.search_form();
        }

        fn form(self) -> Option<HtmlFormElement> {
            self.root
                .get_untracked()?
                .query_selector("form")
                .ok()
                .flatten()?
                .dyn_into()
                .ok()
        }

        /// A facet, breadcrumb or pager link: shown in place. A result's own page, a click with
        /// a modifier (new tab…) or another button is left to the browser.
        pub(super) fn followed(self, ev: &leptos::ev::MouseEvent) {
            if ev.default_prevented()
                || ev.button() != 0
                || ev.ctrl_key()
                || ev.meta_key()
                || ev.shift_key()
                || ev.alt_key()
            {
                return;
            }
            let href = ev
                .target()
                .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
                .and_then(|element| element.closest("a[href]").ok().flatten())
                .and_then(|link| link.get_attribute("href"));
            let Some(href) = href.filter(|href| is_search(href)) else {
                return;
            };
            ev.prevent_default();
            cancel_pending();
            self.load(href, Origin::Link);
        }

        /// The form's filters as a `/ressources?…` address, empty ones left out.
        fn search_form(self) {
            let Some(form) = self.form() else {
                return;
            };
            let (Ok(data), Ok(params)) = (
                web_sys::FormData::new_with_form(&form),
                web_sys::UrlSearchParams::new(),
            ) else {
                return;
            };
            for name in ["q", "discipline", "level", "theme", "kind", "sort"] {
                if let Some(value) = data.get(name).as_string() {
                    if !value.trim().is_empty() {
                        params.append(name, value.trim());
                    }
                }
            }
            let query = String::from(params.to_string());
            let href = if query.is_empty() {
                "/ressources".to_owned()
            } else {
                format!("/ressources?{query}")
            };
            self.load(href, Origin::Form);
        }

        /// Fetches the view of `href` and shows it, unless a newer search started meanwhile.
        /// Should the fetch fail (the session ended, the network dropped), the browser goes to
        /// `href` itself and the server says what is wrong.
        fn load(self, href: String, origin: Origin) {
            let number = LATEST.with(|latest| {
                latest.set(latest.get() + 1);
                latest.get()
            });
            spawn_local(async move {
                let json = href.replacen("/ressources", "/ressources.json", 1);
                let fetched = fetch_view(&json).await;
                if LATEST.with(Cell::get) != number {
                    return;
                }
                let Some(window) = web_sys::window() else {
                    return;
                };
                let Some(view) = fetched else {
                    let _ = window.location().assign(&href);
                    return;
                };
                self.show_in_form(&view, origin);
                show(view);
                if let Ok(history) = window.history() {
                    let _ = history.replace_state_with_url(
                        &wasm_bindgen::JsValue::NULL,
                        "",
                        Some(&href),
                    );
                }
                if origin == Origin::Link {
                    let count = window
                        .document()
                        .and_then(|document| document.get_element_by_id(COUNT_ID))
                        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
                    if let Some(count) = count {
                        let _ = count.focus();
                    }
                }
            });
        }

        /// The form follows what a link chose (a discipline or level, a theme, a kind), so that
        /// the next words typed search within it. A link may also change the words (removing a
        /// filter read in them removes them): the box then shows the link's words. The words of
        /// a search from the form are the person's own, typed on meanwhile, and stay as they are.
        fn show_in_form(self, view: &ResourcesView, origin: Origin) {
            let Some(form) = self.form() else {
                return;
            };
            if origin == Origin::Link {
                let words = form
                    .get_with_name("q")
                    .and_then(|field| field.dyn_into::<HtmlInputElement>().ok());
                if let Some(words) = words {
                    words.set_value(&view.query);
                }
            }
            for (name, value) in [
                ("discipline", &view.discipline),
                ("level", &view.level),
                ("sort", &view.sort),
                ("theme", &view.theme),
                ("kind", &view.kind),
            ] {
                let Some(field) = form.get_with_name(name) else {
                    continue;
                };
                match field.dyn_into::<HtmlSelectElement>() {
                    Ok(select) => select.set_value(value),
                    Err(field) => {
                        if let Ok(input) = field.dyn_into::<HtmlInputElement>() {
                            input.set_value(value);
                            input.set_disabled(value.is_empty());
                        }
                    }
                }
            }
        }
    }

    /// Draws the count and the results of `view` in place of the ones shown.
    fn show(view: ResourcesView) {
        let Some(document) = web_sys::window().and_then(|window| window.document()) else {
            return;
        };
        if let Some(count) = document.get_element_by_id(COUNT_ID) {
            count.set_text_content(Some(&count_text(view.total)));
        }
        let Some(results) = document
            .get_element_by_id(RESULTS_ID)
            .and_then(|element| element.dyn_into::<HtmlElement>().ok())
        else {
            return;
        };
        // The previous drawing first, then whatever the server had rendered.
        DRAWN.with(|drawn| drawn.borrow_mut().take());
        results.set_inner_html("");
        let handle = mount_to(results, move || view! { <Results data=view/> }.into_any());
        DRAWN.with(|drawn| *drawn.borrow_mut() = Some(handle));
    }

    /// The element an event happened on, if it is a `T`.
    fn target<T: JsCast>(ev: &leptos::ev::Event) -> Option<T> {
        ev.target()?.dyn_into::<T>().ok()
    }

    /// `/ressources` or `/ressources?…`, not a resource's own page.
    fn is_search(href: &str) -> bool {
        href == "/ressources" || href.starts_with("/ressources?")
    }

    fn cancel_pending() {
        if let Some(handle) = PENDING.with(Cell::take) {
            handle.clear();
        }
    }

    async fn fetch_view(url: &str) -> Option<ResourcesView> {
        let window = web_sys::window()?;
        let response = JsFuture::from(window.fetch_with_str(url)).await.ok()?;
        let response = response.dyn_into::<web_sys::Response>().ok()?;
        if !response.ok() {
            return None;
        }
        let text = JsFuture::from(response.text().ok()?).await.ok()?;
        serde_json::from_str(&text.as_string()?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::{count_text, number};

    #[test]
    fn counts_are_written_the_french_way() {
        assert_eq!(number(7), "7");
        assert_eq!(number(999), "999");
        assert_eq!(number(1234), "1\u{202f}234");
        assert_eq!(number(1_234_567), "1\u{202f}234\u{202f}567");
        assert_eq!(count_text(0), "Aucune ressource ne correspond.");
        assert_eq!(count_text(1), "1 ressource");
        assert_eq!(count_text(2500), "2\u{202f}500 ressources");
    }
}
