//! The messagerie pages.

use leptos::prelude::*;

use super::model::{
    ComposeView, FolderLink, FolderView, MessageLine, MessageView, RecipientChoice, RulesView,
    ShownMessage,
};
use super::picker::{RecipientPicker, SUGGESTIONS_ID};
use crate::logbook::editor::LessonEditor;
use crate::widgets::{CsrfField, FormError};

#[component]
fn Folders(folders: Vec<FolderLink>) -> impl IntoView {
    view! {
        <nav class="mail-folders" aria-label="Dossiers">
            <a href="/messagerie/nouveau" class="button primary">"Écrire"</a>
            <ul class="tabs">
                {folders.into_iter().map(|folder| {
                    let current = folder.current.then_some("page");
                    view! {
                        <li>
                            <a href=folder.href aria-current=current>
                                {folder.label}
                                {folder.count.filter(|count| *count > 0).map(|count| view! { " "<span class="badge">{count}</span> })}
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form method="get" action="/messagerie/recherche" class="search-row" role="search">
                <label for="recherche-messages" class="visually-hidden">"Chercher dans mes messages"</label>
                <input type="search" id="recherche-messages" name="q" placeholder="Chercher dans mes messages"/>
                <button type="submit" class="secondary">"Chercher"</button>
            </form>
        </nav>
    }
}

#[component]
pub fn Folder(data: FolderView) -> impl IntoView {
    let FolderView {
        title,
        folders,
        lines,
        summary,
        previous,
        next,
        empty_trash,
        query,
    } = data;
    let empty = if query.is_some() {
        "Aucun de vos messages ne correspond."
    } else {
        "Aucun message."
    };
    view! {
        <h1>"Messagerie"</h1>
        <Folders folders=folders/>
        <h2>{title}</h2>
        <p class="muted small">{summary}</p>
        {empty_trash.filter(|_| !lines.is_empty()).map(|action| view! {
            <form method="post" action=action>
                <CsrfField/>
                <button type="submit" class="danger">"Vider la corbeille"</button>
                <span class="muted small">" Les messages restent 30 jours dans la corbeille."</span>
            </form>
        })}
        {lines.is_empty().then(|| view! { <p class="card">{empty}</p> })}
        <ul class="plain-list mail-list">
            {lines.into_iter().map(|line| view! { <Line line=line/> }).collect_view()}
        </ul>
        <p class="pager">
            {previous.map(|href| view! { <a href=href>"← Plus récents"</a>" " })}
            {next.map(|href| view! { <a href=href>"Plus anciens →"</a> })}
        </p>
    }
}

#[component]
fn Line(line: MessageLine) -> impl IntoView {
    let MessageLine {
        href,
        who,
        subject,
        date,
        read,
        attachments,
        folder,
    } = line;
    let class = if read {
        "card mail-line"
    } else {
        "card mail-line unread"
    };
    view! {
        <li class=class>
            <a href=href>
                <span class="mail-who">{who}</span>
                <span class="mail-date muted small">{date}</span>
                <span class="mail-subject">
                    {(!read).then(|| view! { <span class="badge">"Non lu"</span>" " })}
                    {subject}
                    {attachments.then(|| view! { <span class="muted small">" · pièce jointe"</span> })}
                    {folder.map(|folder| view! { <span class="muted small">" · "{folder}</span> })}
                </span>
            </a>
        </li>
    }
}

#[component]
pub fn Message(data: MessageView) -> impl IntoView {
    let MessageView {
        subject,
        back,
        back_label,
        messages,
        reply,
        reply_all,
        forward,
        mark_unread,
        trash,
        restore,
        delete,
    } = data;
    let post = |action: String, label: &'static str, class: &'static str| {
        view! {
            <form method="post" action=action class="inline-form">
                <CsrfField/>
                <button type="submit" class=class>{label}</button>
            </form>
        }
    };
    view! {
        <p><a href=back>{format!("← {back_label}")}</a></p>
        <h1>{subject}</h1>
        {messages.into_iter().map(|shown| view! { <Shown shown=shown/> }).collect_view()}
        <div class="actions">
            {reply.map(|href| view! { <a href=href class="button">"Répondre"</a>" " })}
            {reply_all.map(|href| view! { <a href=href class="button secondary">"Répondre à tous"</a>" " })}
            <a href=forward class="button secondary">"Transférer"</a>
            {mark_unread.map(|action| post(action, "Marquer comme non lu", "secondary"))}
            {restore.map(|action| post(action, "Remettre dans ses dossiers", "secondary"))}
            {trash.map(|action| post(action, "Mettre à la corbeille", "danger"))}
            {delete.map(|action| post(action, "Supprimer définitivement", "danger"))}
        </div>
    }
}

#[component]
fn Shown(shown: ShownMessage) -> impl IntoView {
    let ShownMessage {
        anchor,
        from,
        to,
        date,
        body,
        attachments,
        current,
        href,
    } = shown;
    let class = if current {
        "card mail-message current"
    } else {
        "card mail-message"
    };
    view! {
        <article class=class id=anchor>
            <header>
                <p><strong>{from}</strong>" "<span class="muted small">{date}</span></p>
                <p class="muted small">"À : "{to}</p>
                {href.map(|href| view! { <p class="small"><a href=href>"Ouvrir ce message"</a></p> })}
            </header>
            <div class="lesson" inner_html=body></div>
            {(!attachments.is_empty()).then(|| view! {
                <ul class="plain-list attachments">
                    {attachments.into_iter().map(|file| view! {
                        <li><a href=file.href download="">{file.name}</a>" "<span class="muted small">{file.size}</span></li>
                    }).collect_view()}
                </ul>
            })}
        </article>
    }
}

#[component]
fn Choices(choices: Vec<RecipientChoice>, prefix: &'static str) -> impl IntoView {
    choices
        .into_iter()
        .enumerate()
        .map(|(index, choice)| {
            let id = format!("{prefix}-{index}");
            view! {
                <p class="check">
                    <input type="checkbox" id=id.clone() name="a" value=choice.id checked=choice.checked/>
                    <label for=id>" "{choice.label}</label>
                </p>
            }
        })
        .collect_view()
}

#[component]
pub fn Compose(data: ComposeView) -> impl IntoView {
    let ComposeView {
        title,
        chosen,
        query,
        matches,
        searched,
        subject,
        body,
        in_reply_to,
        forwarding,
        draft,
        files,
        max_upload,
        error,
        notice,
    } = data;
    let none_found = searched && matches.is_empty();
    let hidden = |name: &'static str, value: Option<u64>| {
        value.map(|value| view! { <input type="hidden" name=name value=value.to_string()/> })
    };
    view! {
        <p><a href="/messagerie">"← Messagerie"</a></p>
        <h1>{title}</h1>
        <form method="post" action="/messagerie/nouveau" enctype="multipart/form-data" class="card compose">
            <CsrfField/>
            {hidden("reponse_a", in_reply_to)}
            {hidden("transfert", forwarding)}
            {hidden("brouillon", draft)}
            <FormError error=error/>
            {notice.map(|notice| view! { <p class="notice notice-success" role="status">{notice}</p> })}
            <fieldset>
                <legend>"Destinataires"</legend>
                {chosen.is_empty().then(|| view! { <p class="muted small">"Aucun destinataire pour l'instant : cherchez une personne ou un groupe."</p> })}
                <Choices choices=chosen prefix="choisi"/>
                <RecipientPicker>
                    <label for="chercher-destinataire">"Chercher une personne ou un groupe"</label>
                    <p class="muted small" id="aide-destinataire">"Un nom, une classe (« 4e B »), « parents », « enseignants »…"</p>
                    <div class="search-row">
                        <input
                            type="search"
                            id="chercher-destinataire"
                            name="q"
                            value=query
                            autocomplete="off"
                            aria-describedby="aide-destinataire"
                            aria-autocomplete="list"
                            aria-controls=SUGGESTIONS_ID
                        />
                        <button type="submit" name="action" value="chercher" class="secondary">"Chercher"</button>
                    </div>
                </RecipientPicker>
                {none_found.then(|| view! { <p class="muted">"Personne à qui vous pouvez écrire ne correspond."</p> })}
                {(!matches.is_empty()).then(|| view! { <p class="muted small">"Cochez pour ajouter :"</p> })}
                <Choices choices=matches prefix="trouve"/>
            </fieldset>
            <label for="objet">"Objet"</label>
            <input type="text" id="objet" name="objet" maxlength="200" value=subject/>
            <label for="texte-message">"Message"</label>
            <p class="muted small" id="aide-message">
                "Texte simple (une ligne vide sépare les paragraphes) ou mise en forme simple : \
                 gras, italique, listes, liens."
            </p>
            <LessonEditor>
                <textarea id="texte-message" name="texte" rows="10" aria-describedby="aide-message">{body}</textarea>
            </LessonEditor>
            {(!files.is_empty()).then(|| view! {
                <fieldset>
                    <legend>"Pièces jointes"</legend>
                    {files.into_iter().enumerate().map(|(index, file)| {
                        let id = format!("garder-{index}");
                        view! {
                            <p class="check">
                                <input type="checkbox" id=id.clone() name="garder" value=file.hash checked=true/>
                                <label for=id>" "{file.name}" "<span class="muted small">{file.size}</span></label>
                            </p>
                        }
                    }).collect_view()}
                </fieldset>
            })}
            <label for="fichier">"Joindre un fichier"</label>
            <input type="file" id="fichier" name="fichier"/>
            <p class="muted small">{format!("{max_upload} au plus. Pour en joindre plusieurs, enregistrez le brouillon puis ajoutez le suivant.")}</p>
            <div class="actions">
                <button type="submit" name="action" value="envoyer" class="primary">"Envoyer"</button>" "
                <button type="submit" name="action" value="enregistrer" class="secondary">"Enregistrer le brouillon"</button>
                {draft.map(|id| view! {
                    " "
                    <button type="submit" formaction=format!("/messagerie/messages/{id}/supprimer") class="danger">
                        "Supprimer le brouillon"
                    </button>
                })}
            </div>
        </form>
    }
}

#[component]
pub fn Rules(data: RulesView) -> impl IntoView {
    let RulesView {
        senders,
        rows,
        saved,
    } = data;
    view! {
        <p><a href="/admin">"← Administration"</a></p>
        <h1>"Règles de communication"</h1>
        <p>
            "Qui peut écrire à qui dans la messagerie. Les règles valent pour chaque destinataire, \
             y compris à l'intérieur des groupes (« Parents de 4e B ») ; on peut toujours répondre \
             à quelqu'un qui vous a écrit. Les personnels écrivent à tous par défaut ; les élèves et \
             les parents à leurs enseignants, à la vie scolaire et à la direction."
        </p>
        {saved.then(|| view! { <p class="notice notice-success" role="status">"Les règles sont enregistrées."</p> })}
        <form method="post" action="/admin/communication" class="card">
            <CsrfField/>
            <div class="table-scroll">
                <table class="rules">
                    <thead>
                        <tr>
                            <th scope="col">"Peuvent écrire à… / Qui écrit"</th>
                            {senders.into_iter().map(|sender| view! { <th scope="col">{sender}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|row| view! {
                            <tr>
                                <th scope="row">{row.label}</th>
                                {row.cells.into_iter().map(|cell| match cell {
                                    Some(cell) => view! {
                                        <td>
                                            <input type="checkbox" name="regle" value=cell.value checked=cell.allowed aria-label=cell.label/>
                                        </td>
                                    }.into_any(),
                                    None => view! { <td class="muted" aria-label="Sans objet">"—"</td> }.into_any(),
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <button type="submit">"Enregistrer les règles"</button>
        </form>
    }
}
