//! The notifications page.

use leptos::prelude::*;

use super::model::{FeedView, NotificationLine};

#[component]
pub fn Feed(data: FeedView) -> impl IntoView {
    let FeedView {
        summary,
        lines,
        refresh,
        newer,
        older,
    } = data;
    let empty = lines.is_empty();
    view! {
        <h1>"Notifications"</h1>
        <p class="feed-summary">
            {summary}" "<a href=refresh>"Actualiser"</a>
        </p>
        {empty.then(|| view! { <p class="card">"Aucune notification pour le moment."</p> })}
        <ul class="plain-list notifications">
            {lines.into_iter().map(|line| view! { <Line line=line/> }).collect_view()}
        </ul>
        {(newer.is_some() || older.is_some()).then(|| view! {
            <nav class="pager" aria-label="Pages des notifications">
                {newer.map(|href| view! { <a href=href>"← Plus récentes"</a> })}
                {older.map(|href| view! { <a href=href>"Plus anciennes →"</a> })}
            </nav>
        })}
    }
}

#[component]
fn Line(line: NotificationLine) -> impl IntoView {
    let NotificationLine {
        href,
        title,
        detail,
        new,
    } = line;
    let class = if new {
        "card notification-line unseen"
    } else {
        "card notification-line"
    };
    view! {
        <li class=class>
            <a href=href>{title}</a>
            <p class="muted small">
                {new.then(|| view! { <span class="badge">"Nouveau · "</span> })}
                {detail}
            </p>
        </li>
    }
}
