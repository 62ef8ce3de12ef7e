//! The frame around every page: skip link, header with navigation, notice, footer.

use leptos::prelude::*;

use crate::error::ErrorPage;
use crate::model::{Notice, NoticeKind, PageBody, PageData, Viewer};

/// The whole `<body>` content of a page.
#[component]
pub fn App(data: PageData) -> impl IntoView {
    let PageData {
        title: _,
        establishment,
        viewer,
        notice,
        body,
    } = data;
    if let Some(viewer) = &viewer {
        provide_context(viewer.clone());
    }
    view! {
        <a class="skip-link" href="#contenu">"Aller au contenu"</a>
        <Header establishment=establishment viewer=viewer/>
        <main id="contenu" tabindex="-1">
            {notice.map(|notice| view! { <NoticeBanner notice=notice/> })}
            {page_body(body)}
        </main>
        <footer class="site-footer">
            <p>"Préau · espace numérique de travail"</p>
        </footer>
    }
}

fn page_body(body: PageBody) -> AnyView {
    match body {
        PageBody::Home(page) => page.render(),
        PageBody::Accounts(page) => page.render(),
        PageBody::Admin(page) => page.render(),
        PageBody::Classes(page) => page.render(),
        PageBody::Resources(page) => page.render(),
        PageBody::Timetable(page) => page.render(),
        PageBody::Logbook(page) => page.render(),
        PageBody::Agenda(page) => page.render(),
        PageBody::News(page) => page.render(),
        PageBody::Messages(page) => page.render(),
        PageBody::Notifications(page) => page.render(),
        PageBody::Error(data) => view! { <ErrorPage data=data/> }.into_any(),
    }
}

#[component]
fn Header(establishment: String, viewer: Option<Viewer>) -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="brand">
                <a href="/" class="brand-link">
                    <img src="/favicon.svg" alt="" width="32" height="32"/>
                    <span class="brand-name">"Préau"</span>
                </a>
                <span class="establishment">{establishment}</span>
            </div>
            {viewer.map(|viewer| view! {
                <div class="header-actions">
                    <NotificationsLink unseen=viewer.unseen_notifications/>
                    <MainNav viewer=viewer/>
                </div>
            })}
        </header>
    }
}

/// The way to the feed, with the count of what is new: right in the header, outside the folded
/// menu, so that a phone shows it. Served with the count of the moment (a refresh updates it);
/// `/notifications.js` rewrites the number as it changes, and hides it at zero.
#[component]
fn NotificationsLink(unseen: usize) -> impl IntoView {
    view! {
        <a href="/notifications" class="notifications-link">
            "Notifications "
            <span class="notifications-count" data-unseen="" hidden=unseen == 0>
                {unseen}
            </span>
        </a>
    }
}

/// Navigation built by the server from the viewer's profile. A `<details>` keeps it usable on a
/// phone without JavaScript: the menu folds behind one button.
#[component]
fn MainNav(viewer: Viewer) -> impl IntoView {
    let csrf = viewer.csrf.clone();
    let links = viewer
        .nav
        .into_iter()
        .map(|link| {
            let current = link.current.then_some("page");
            view! {
                <li>
                    <a href=link.href aria-current=current>{link.label}</a>
                </li>
            }
        })
        .collect_view();
    view! {
        <details class="menu">
            <summary>
                <span class="menu-user">{viewer.display_name}</span>
                <span class="menu-profile">{viewer.profile_label}</span>
            </summary>
            <nav aria-label="Navigation principale">
                <ul>{links}</ul>
                <form method="post" action="/deconnexion" class="logout">
                    <input type="hidden" name="csrf" value=csrf/>
                    <button type="submit" class="link-button">"Se déconnecter"</button>
                </form>
            </nav>
        </details>
    }
}

#[component]
fn NoticeBanner(notice: Notice) -> impl IntoView {
    let (class, role) = match notice.kind {
        NoticeKind::Success => ("notice notice-success", "status"),
        NoticeKind::Info => ("notice notice-info", "status"),
        NoticeKind::Error => ("notice notice-error", "alert"),
    };
    view! { <p class=class role=role>{notice.text}</p> }
}
