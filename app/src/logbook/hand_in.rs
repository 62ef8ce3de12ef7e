//! `/cahier-de-textes/devoirs/{id}`: one homework and a pupil's hand-in; `/rendus`: who handed
//! in what, for the teacher, with every file as one zip.

use leptos::prelude::*;

use super::entry::FileItem;
use super::model::{HandInRow, HandInView, HandInsView};
use crate::widgets::{CsrfField, FormError};

#[component]
pub fn HandIn(data: HandInView) -> impl IntoView {
    let HandInView {
        heading,
        facts,
        description,
        back,
        handed_in,
        upload,
        max_upload,
        error,
        notice,
    } = data;
    view! {
        <p><a href=back>"← Retour à la séance"</a></p>
        <h1>{heading}</h1>
        {notice.map(|text| view! { <p class="notice notice-success" role="status">{text}</p> })}
        <dl class="card facts">
            {facts.into_iter().map(|(term, value)| view! { <dt>{term}</dt><dd>{value}</dd> }).collect_view()}
        </dl>
        <p class="card homework-text">{description}</p>
        {handed_in.map(|(file, when)| view! {
            <p class="card">"Vous avez rendu " <FileItem file=file/> " " {when}</p>
        })}
        {upload.map(|action| view! {
            <form method="post" action=action enctype="multipart/form-data" class="card">
                <CsrfField/>
                <h2>"Rendre mon travail"</h2>
                <FormError error=error/>
                <label for="fichier">"Fichier (" {max_upload} " au plus)"</label>
                <input type="file" id="fichier" name="fichier" required/>
                <button type="submit">"Envoyer"</button>
            </form>
        })}
    }
}

#[component]
pub fn HandIns(data: HandInsView) -> impl IntoView {
    let HandInsView {
        heading,
        summary,
        back,
        rows,
        archive,
    } = data;
    view! {
        <p><a href=back>"← Retour à la séance"</a></p>
        <h1>{heading}</h1>
        <p>{summary}</p>
        {archive.map(|href| view! { <p><a href=href class="button">"Tout télécharger (zip)"</a></p> })}
        <ul class="plain-list card hand-ins">
            {rows.into_iter().map(|row| view! { <Row row=row/> }).collect_view()}
        </ul>
    }
}

#[component]
fn Row(row: HandInRow) -> impl IntoView {
    let HandInRow {
        pupil,
        file,
        status,
        late,
    } = row;
    let class = if late { "badge badge-todo" } else { "badge" };
    view! {
        <li>
            <strong>{pupil}</strong>
            " "
            <span class=class>{status}</span>
            {file.map(|file| view! { " " <FileItem file=file/> })}
        </li>
    }
}
