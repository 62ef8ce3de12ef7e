//! `/ressources/{id}`: one resource, previewed in the page when the browser can show it.

use leptos::prelude::*;

use super::model::{ResourcePreview, ResourceView};

#[component]
pub fn Resource(data: ResourceView) -> impl IntoView {
    let ResourceView {
        title,
        description,
        facts,
        keywords,
        preview,
        edit_href,
        delete_href,
        draft_note,
    } = data;
    let has_actions = edit_href.is_some() || delete_href.is_some();
    view! {
        <p><a href="/ressources">"← Ressources"</a></p>
        <h1>{title.clone()}</h1>
        {draft_note.map(|note| view! { <p class="notice notice-info">{note}</p> })}
        <Preview preview=preview title=title/>
        <section class="card" aria-labelledby="titre-description">
            <h2 id="titre-description">"Description"</h2>
            {(!description.is_empty()).then(|| view! { <p class="pre-line">{description}</p> })}
            <dl class="facts">
                {facts.into_iter().map(|(name, value)| view! {
                    <dt>{name}</dt>
                    <dd>{value}</dd>
                }).collect_view()}
            </dl>
            {(!keywords.is_empty()).then(|| view! {
                <p class="chips">
                    {keywords.into_iter().map(|k| view! { <span class="chip">{k}</span> }).collect_view()}
                </p>
            })}
        </section>
        {has_actions.then(|| view! {
            <p class="actions">
                {edit_href.map(|href| view! { <a class="button" href=href>"Modifier"</a> })}
                {delete_href.map(|href| view! { <a class="button danger" href=href>"Supprimer"</a> })}
            </p>
        })}
    }
}

#[component]
fn Preview(preview: ResourcePreview, title: String) -> impl IntoView {
    match preview {
        ResourcePreview::Link { url } => view! {
            <p><a class="button primary" href=url rel="noopener noreferrer" target="_blank">"Ouvrir la ressource ↗"</a></p>
        }
        .into_any(),
        ResourcePreview::Pdf { src, download } => view! {
            <div class="preview preview-document">
                <iframe src=src.clone() title=format!("Aperçu : {title}")></iframe>
            </div>
            <p><a class="button" href=download>"Télécharger le PDF"</a>" "<a href=src target="_blank">"Ouvrir en plein écran ↗"</a></p>
        }
        .into_any(),
        ResourcePreview::Image { src, alt, download } => view! {
            <figure class="preview"><img src=src alt=alt/></figure>
            <p><a class="button" href=download>"Télécharger l'image"</a></p>
        }
        .into_any(),
        ResourcePreview::Audio { src, download } => view! {
            <div class="preview"><audio controls=true preload="metadata" src=src></audio></div>
            <p><a class="button" href=download>"Télécharger le fichier audio"</a></p>
        }
        .into_any(),
        ResourcePreview::Video { src, download } => view! {
            <div class="preview"><video controls=true preload="metadata" src=src></video></div>
            <p><a class="button" href=download>"Télécharger la vidéo"</a></p>
        }
        .into_any(),
        ResourcePreview::Package { src, standard } => view! {
            <div class="preview preview-package">
                <iframe
                    src=src.clone()
                    title=format!("Module : {title}")
                    sandbox="allow-scripts allow-forms allow-popups allow-modals"
                ></iframe>
            </div>
            <p><a class="button" href=src target="_blank">"Ouvrir le module en plein écran ↗"</a>" "<span class="muted">{standard}</span></p>
        }
        .into_any(),
        ResourcePreview::Download { href, name, size } => view! {
            <p><a class="button primary" href=href>"Télécharger « "{name}" »"</a>" "<span class="muted">{size}</span></p>
        }
        .into_any(),
    }
}
