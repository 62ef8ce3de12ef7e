//! `/cahier-de-textes/seances/{id}`: what was done in a session, the homework set, and for the
//! session's teacher the form that fills it (a plain multipart form: it works without
//! JavaScript), the copy to another session; for direction, the visa.

use leptos::prelude::*;

use super::editor;
use super::model::{
    CopyForm, EntryForm, EntryView, FileLink, HomeworkFields, HomeworkLine, VisaForm,
};
use crate::widgets::{CsrfField, FormError};

#[component]
pub fn Entry(data: EntryView) -> impl IntoView {
    let EntryView {
        heading,
        facts,
        back,
        content,
        attachments,
        resources,
        homework,
        visa,
        form,
        copy,
        visa_form,
        error,
        notice,
    } = data;
    let nothing = content.is_none() && attachments.is_empty() && homework.is_empty();
    view! {
        <p><a href=back.0>{back.1}</a></p>
        <h1>{heading}</h1>
        {notice.map(|text| view! { <p class="notice notice-success" role="status">{text}</p> })}
        <dl class="card facts">
            {facts.into_iter().map(|(term, value)| view! { <dt>{term}</dt><dd>{value}</dd> }).collect_view()}
        </dl>
        {visa.map(|text| view! { <p class="card visa">{text}</p> })}
        <section class="card" aria-labelledby="titre-contenu">
            <h2 id="titre-contenu">"Contenu de la séance"</h2>
            {nothing.then(|| view! { <p class="muted">"Rien n'a encore été noté pour cette séance."</p> })}
            {content.map(|html| view! { <div class="lesson" inner_html=html></div> })}
            {(!attachments.is_empty()).then(|| view! {
                <h3>"Documents"</h3>
                <ul class="plain-list files">
                    {attachments.into_iter().map(|file| view! { <li><FileItem file=file/></li> }).collect_view()}
                </ul>
            })}
            {(!resources.is_empty()).then(|| view! {
                <h3>"Ressources de la bibliothèque"</h3>
                <ul class="plain-list">
                    {resources.into_iter().map(|(href, title)| view! { <li><a href=href>{title}</a></li> }).collect_view()}
                </ul>
            })}
        </section>
        {(!homework.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="titre-travail">
                <h2 id="titre-travail">"Travail à faire"</h2>
                <ul class="plain-list homework">
                    {homework.into_iter().map(|line| view! { <Homework line=line/> }).collect_view()}
                </ul>
            </section>
        })}
        {form.map(|form| view! { <Form form=form error=error/> })}
        {copy.map(|copy| view! { <Copy copy=copy/> })}
        {visa_form.map(|form| view! { <Visa form=form/> })}
    }
}

#[component]
pub(super) fn FileItem(file: FileLink) -> impl IntoView {
    view! {
        <a href=file.href>{file.name}</a>
        " "
        <span class="muted small">{file.detail}</span>
    }
}

#[component]
fn Homework(line: HomeworkLine) -> impl IntoView {
    let HomeworkLine {
        due,
        kind,
        description,
        link,
    } = line;
    view! {
        <li class="homework-item">
            <p class="homework-head"><strong>{due}</strong><span class="muted">{kind}</span></p>
            <p class="homework-text">{description}</p>
            {link.map(|(href, label)| view! { <p><a href=href>{label}</a></p> })}
        </li>
    }
}

#[component]
fn Form(form: EntryForm, error: Option<String>) -> impl IntoView {
    let EntryForm {
        action,
        content,
        homework,
        resources,
        attachments,
        max_upload,
    } = form;
    let attachments_hint = format!("Un fichier à la fois, {max_upload} au plus.");
    view! {
        <form method="post" action=action enctype="multipart/form-data" class="card entry-form">
            <CsrfField/>
            <h2>"Remplir la séance"</h2>
            <FormError error=error/>
            // `contenu` is the id of the page's main element (the skip link's target).
            <label for="texte-seance">"Contenu"</label>
            <p class="muted small" id="aide-contenu">
                "Texte simple (une ligne vide sépare les paragraphes) ou mise en forme HTML simple : \
                 gras, italique, listes, liens. Le reste est retiré à l'enregistrement."
            </p>
            <editor::LessonEditor>
                <textarea id="texte-seance" name="contenu" rows="8" aria-describedby="aide-contenu">{content}</textarea>
            </editor::LessonEditor>
            {(!attachments.is_empty()).then(|| view! {
                <fieldset>
                    <legend>"Documents joints"</legend>
                    {attachments.into_iter().enumerate().map(|(index, file)| {
                        let id = format!("retirer-{index}");
                        view! {
                            <p>
                                <input type="checkbox" id=id.clone() name="retirer" value=file.hash/>
                                <label for=id>" Retirer " {file.name}</label>
                            </p>
                        }
                    }).collect_view()}
                </fieldset>
            })}
            <label for="fichier">"Ajouter un document"</label>
            <input type="file" id="fichier" name="fichier" aria-describedby="aide-fichier"/>
            <p class="muted small" id="aide-fichier">{attachments_hint}</p>
            {(!resources.is_empty()).then(|| view! {
                <fieldset>
                    <legend>"Ressources de la bibliothèque à lier"</legend>
                    {resources.into_iter().map(|choice| {
                        let id = format!("ressource-{}", choice.value);
                        view! {
                            <p>
                                <input type="checkbox" id=id.clone() name="ressource" value=choice.value checked=choice.selected/>
                                <label for=id>" " {choice.label}</label>
                            </p>
                        }
                    }).collect_view()}
                </fieldset>
            })}
            {homework.into_iter().enumerate().map(|(index, fields)| view! { <HomeworkFieldset index=index fields=fields/> }).collect_view()}
            <button type="submit">"Enregistrer"</button>
        </form>
    }
}

#[component]
fn HomeworkFieldset(index: usize, fields: HomeworkFields) -> impl IntoView {
    let HomeworkFields {
        id,
        description,
        due,
        kinds,
        minutes,
        hand_in,
    } = fields;
    let new = id.is_empty();
    let field = move |name: &str| format!("{name}-{index}");
    let legend = if new {
        "Nouveau travail à faire"
    } else {
        "Travail à faire"
    };
    view! {
        <fieldset class="homework-fields">
            <legend>{legend}</legend>
            <input type="hidden" name="devoir" value=id/>
            <label for=field("description")>"Description"</label>
            <textarea id=field("description") name="description" rows="3" maxlength="2000">{description}</textarea>
            <label for=field("pour")>"Pour le (vide : la prochaine séance)"</label>
            <input type="date" id=field("pour") name="pour" value=due/>
            <label for=field("nature")>"Nature"</label>
            <select id=field("nature") name="nature">
                {kinds.into_iter().map(|choice| view! { <option value=choice.value selected=choice.selected>{choice.label}</option> }).collect_view()}
            </select>
            <label for=field("minutes")>"Temps estimé (minutes)"</label>
            <input type="number" id=field("minutes") name="minutes" min="1" max="600" inputmode="numeric" value=minutes/>
            <label for=field("rendu")>"Rendu en ligne"</label>
            <select id=field("rendu") name="rendu">
                <option value="non" selected=!hand_in>"Pas de fichier à rendre"</option>
                <option value="oui" selected=hand_in>"Les élèves rendent un fichier"</option>
            </select>
            {(!new).then(|| view! {
                <p class="muted small">"Videz la description pour retirer ce travail."</p>
            })}
        </fieldset>
    }
}

#[component]
fn Copy(copy: CopyForm) -> impl IntoView {
    let CopyForm { action, sessions } = copy;
    view! {
        <form method="post" action=action class="card">
            <CsrfField/>
            <h2>"Copier vers une autre séance"</h2>
            <label for="vers">"Séance"</label>
            <select id="vers" name="vers">
                {sessions.into_iter().map(|choice| view! { <option value=choice.value>{choice.label}</option> }).collect_view()}
            </select>
            <button type="submit">"Copier"</button>
        </form>
    }
}

#[component]
fn Visa(form: VisaForm) -> impl IntoView {
    let VisaForm { action, signed } = form;
    view! {
        <form method="post" action=action class="card">
            <CsrfField/>
            <input type="hidden" name="vise" value=if signed { "non" } else { "oui" }/>
            <button type="submit">{if signed { "Retirer le visa" } else { "Viser cette séance" }}</button>
        </form>
    }
}
