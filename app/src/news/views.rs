//! The actualités pages.

use leptos::prelude::*;

use super::model::{FormView, ItemView, ListView, NewsLine};
use crate::widgets::{CsrfField, FormError};

#[component]
pub fn List(data: ListView) -> impl IntoView {
    let ListView { items, publish } = data;
    view! {
        <h1>"Actualités"</h1>
        {publish.map(|href| view! { <p><a href=href class="button">"Publier une actualité"</a></p> })}
        {items.is_empty().then(|| view! { <p class="card">"Aucune actualité pour le moment."</p> })}
        <ul class="plain-list news">
            {items.into_iter().map(|line| view! { <Line line=line/> }).collect_view()}
        </ul>
    }
}

#[component]
fn Line(line: NewsLine) -> impl IntoView {
    let NewsLine {
        href,
        title,
        detail,
        summary,
        pinned,
        status,
    } = line;
    view! {
        <li class="card news-item">
            <h2><a href=href>{title}</a></h2>
            <p class="muted small">
                {pinned.then(|| view! { <span class="badge">"À la une · "</span> })}
                {detail}
                {status.map(|status| view! { <span class="badge badge-todo">" · "{status}</span> })}
            </p>
            <p>{summary}</p>
        </li>
    }
}

#[component]
pub fn HomeCard(lines: Vec<NewsLine>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="titre-actualites">
            <h2 id="titre-actualites">"Actualités"</h2>
            <ul class="plain-list">
                {lines
                    .into_iter()
                    .map(|line| view! { <li><a href=line.href>{line.title}</a>" "<span class="muted small">{line.detail}</span></li> })
                    .collect_view()}
            </ul>
            <p><a href="/actualites">"Toutes les actualités"</a></p>
        </section>
    }
}

#[component]
pub fn Item(data: ItemView) -> impl IntoView {
    let ItemView {
        title,
        detail,
        body,
        image,
        delete,
    } = data;
    view! {
        <p><a href="/actualites">"← Actualités"</a></p>
        <article class="card news-article">
            <h1>{title}</h1>
            <p class="muted small">{detail}</p>
            {image.map(|src| view! { <img class="news-image" src=src alt=""/> })}
            <div class="lesson" inner_html=body></div>
        </article>
        {delete.map(|action| view! {
            <form method="post" action=action class="card">
                <CsrfField/>
                <button type="submit" class="danger">"Retirer cette actualité"</button>
            </form>
        })}
    }
}

#[component]
pub fn NewItem(data: FormView) -> impl IntoView {
    let FormView {
        title,
        body,
        audiences,
        from,
        until,
        pinned,
        max_upload,
        error,
    } = data;
    view! {
        <p><a href="/actualites">"← Actualités"</a></p>
        <h1>"Publier une actualité"</h1>
        <form method="post" action="/actualites/nouvelle" enctype="multipart/form-data" class="card">
            <CsrfField/>
            <FormError error=error/>
            <label for="titre">"Titre"</label>
            <input id="titre" name="titre" required maxlength="150" value=title/>
            <label for="texte">"Texte"</label>
            <p class="muted small" id="aide-texte">
                "Texte simple (une ligne vide sépare les paragraphes) ou mise en forme HTML simple : \
                 gras, italique, listes, liens."
            </p>
            <textarea id="texte" name="texte" rows="8" required aria-describedby="aide-texte">{body}</textarea>
            <label for="public">"Pour"</label>
            <select id="public" name="public">
                {audiences.into_iter().map(|choice| view! { <option value=choice.value selected=choice.selected>{choice.label}</option> }).collect_view()}
            </select>
            <label for="du">"Publiée à partir du"</label>
            <input type="date" id="du" name="du" required value=from/>
            <label for="au">"Jusqu'au (vide : sans fin)"</label>
            <input type="date" id="au" name="au" value=until/>
            <p>
                <input type="checkbox" id="une" name="une" value="oui" checked=pinned/>
                <label for="une">" À la une (en tête de liste)"</label>
            </p>
            <label for="image">"Illustration (facultative)"</label>
            <input type="file" id="image" name="fichier" accept="image/png,image/jpeg,image/gif,image/webp,image/avif"/>
            <p class="muted small">{format!("PNG, JPEG, GIF, WebP ou AVIF, {max_upload} au plus.")}</p>
            <button type="submit">"Publier"</button>
        </form>
    }
}
