//! The words of a digest e-mail, in French and in plain text (every mail client shows it, and
//! no markup from a title can do anything there).

use crate::domain::notifications::digest::Digest;

pub struct DigestText {
    pub subject: String,
    pub body: String,
}

/// The subject and body of `digest`; with `site_url`, each line has its address.
pub fn digest(establishment: &str, digest: &Digest, site_url: Option<&str>) -> DigestText {
    let count = digest.notifications.len() + digest.more;
    let what = if count == 1 {
        "1 nouvelle notification".to_owned()
    } else {
        format!("{count} nouvelles notifications")
    };
    let mut body = format!(
        "Bonjour {},\n\nVoici ce qui vous concerne sur l'ENT de l'établissement {establishment} \
         depuis le dernier courriel\u{a0}:\n\n",
        digest.name
    );
    for notification in &digest.notifications {
        body.push_str("– ");
        body.push_str(&notification.title);
        body.push_str(" (");
        body.push_str(notification.kind.label());
        body.push_str(")\n");
        if let Some(site) = site_url {
            body.push_str("  ");
            body.push_str(site);
            body.push_str(&notification.href);
            body.push('\n');
        }
    }
    if digest.more > 0 {
        body.push_str(&format!("– et {} autres.\n", digest.more));
    }
    body.push_str("\nCe que vous avez déjà vu sur l'ENT ne vous est pas envoyé par courriel.");
    if let Some(site) = site_url {
        body.push_str(&format!(
            "\nToutes vos notifications\u{a0}: {site}/notifications"
        ));
    }
    body.push_str(
        "\n\n-- \nCourriel automatique de l'ENT, merci de ne pas y répondre. Pour ne plus le \
         recevoir\u{a0}: « Mon compte », « Notifications par courriel ».\n",
    );
    DigestText {
        subject: format!("{establishment}\u{a0}: {what}"),
        body,
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::notifications::notification::{Notification, NotificationKind};

    #[test]
    fn a_digest_lists_each_title_with_its_address_and_counts_the_rest() {
        let line = |title: &str, href: &str| Notification {
            kind: NotificationKind::Message,
            title: title.to_owned(),
            href: href.to_owned(),
            date: chrono::Utc::now(),
        };
        let digest = crate::domain::notifications::digest::Digest::for_test(
            "Sophie Fontaine",
            "sophie.fontaine@exemple.fr",
            vec![
                line(
                    "Nouveau message de Marc Durand\u{a0}: Sortie",
                    "/messagerie/messages/12",
                ),
                line("Nouvelle actualité\u{a0}: Cantine", "/actualites/3"),
            ],
            3,
        );
        let text = super::digest(
            "Collège Jean Moulin",
            &digest,
            Some("https://ent.college.fr"),
        );
        assert_eq!(
            text.subject,
            "Collège Jean Moulin\u{a0}: 5 nouvelles notifications"
        );
        assert!(text.body.starts_with("Bonjour Sophie Fontaine,"));
        assert!(text.body.contains(
            "– Nouveau message de Marc Durand\u{a0}: Sortie (Messagerie)\n  https://ent.college.fr/messagerie/messages/12\n"
        ));
        assert!(text.body.contains("– et 3 autres."));
        let bare = super::digest("Collège Jean Moulin", &digest, None);
        assert!(!bare.body.contains("http"), "{}", bare.body);
        let one = crate::domain::notifications::digest::Digest::for_test(
            "Sophie Fontaine",
            "sophie.fontaine@exemple.fr",
            vec![line("Nouvelle actualité\u{a0}: Cantine", "/actualites/3")],
            0,
        );
        assert!(super::digest("Collège", &one, None)
            .subject
            .ends_with("1 nouvelle notification"));
    }
}
