//! The demo collège's messagerie: a parent and the professeur principal writing about an
//! absence, a pupil's question to their teacher, the vie scolaire to the parents of 4e B, and
//! direction to all the staff.

use crate::domain::accounts::account::Account;
use crate::domain::accounts::profile::Profile;
use crate::domain::messages::recipients::{GroupId, RecipientId};
use crate::domain::messages::Composed;
use crate::domain::school::establishment::Target;
use crate::domain::{Domain, DomainError};

fn to(recipients: &[RecipientId], subject: &str, body: &str) -> Composed {
    Composed {
        to: recipients.iter().map(RecipientId::code).collect(),
        subject: subject.to_owned(),
        body: body.to_owned(),
        ..Composed::default()
    }
}

pub fn seed(domain: &Domain) -> Result<usize, DomainError> {
    let account = |login: &str| {
        domain
            .accounts()
            .by_login(login)?
            .ok_or_else(|| DomainError::UnknownLogin(login.to_owned()))
    };
    let teacher = account("enseignant.demo")?;
    let parent = account("parent.demo")?;
    let pupil = account("eleve.demo")?;
    let cpe = account("cpe.demo")?;
    let head: Account = domain
        .accounts()
        .all()
        .filter_map(Result::ok)
        .find(|account| account.profile == Profile::Direction)
        .ok_or_else(|| DomainError::UnknownLogin("direction".to_owned()))?;
    let person = |account: &Account| RecipientId::Person(account.id);
    let child = &pupil.first_name;
    let mut sent = 0;
    let question = domain.send_message(
        &parent,
        to(
            &[person(&teacher)],
            &format!("Absence de {child} jeudi"),
            &format!(
                "Bonjour Monsieur {},\n\n{child} aura rendez-vous chez l'orthodontiste jeudi \
                 de 14 h à 16 h et manquera donc le cours de mathématiques. Pourriez-vous me \
                 dire ce qu'il faudra rattraper ?\n\nBien cordialement,\n{}",
                teacher.last_name,
                parent.display_name()
            ),
        ),
        None,
    )?;
    sent += 1;
    domain.send_message(
        &teacher,
        Composed {
            in_reply_to: Some(question.id),
            ..to(
                &[person(&parent)],
                &format!("RE: Absence de {child} jeudi"),
                &format!(
                    "Bonjour,\n\nMerci de m'avoir prévenu. Le cours portera sur les \
                     <strong>équations du premier degré</strong> : {child} trouvera la leçon et \
                     les exercices dans le cahier de textes. Je reste disponible s'il y a des \
                     questions.\n\nCordialement,\n{}",
                    teacher.display_name()
                ),
            )
        },
        None,
    )?;
    sent += 1;
    domain.send_message(
        &pupil,
        to(
            &[person(&teacher)],
            "Question sur l'exercice 12",
            "Bonjour Monsieur,\n\nPour l'exercice 12 page 54, faut-il rédiger la démonstration \
             ou seulement donner le résultat ?\n\nMerci,",
        ),
        None,
    )?;
    sent += 1;
    domain.send_message(
        &cpe,
        to(
            &[RecipientId::Group(GroupId::Parents(Target::Class(
                "4B".to_owned(),
            )))],
            "Sortie au musée : autorisation à rendre",
            "Madame, Monsieur,\n\nLa classe de 4e B visitera le musée des Beaux-Arts le mois \
             prochain. Merci de rendre l'autorisation de sortie signée au professeur principal \
             avant vendredi.\n\nLa vie scolaire",
        ),
        None,
    )?;
    sent += 1;
    domain.send_message(
        &head,
        to(
            &[RecipientId::Group(GroupId::AllStaff)],
            "Conseils de classe du premier trimestre",
            "<p>Bonjour à toutes et à tous,</p><p>Le calendrier des conseils de classe du \
             premier trimestre est dans l'agenda. Merci de saisir les appréciations \
             <strong>au plus tard la veille</strong> de chaque conseil.</p><p>Bonne fin de \
             trimestre,</p>",
        ),
        None,
    )?;
    sent += 1;
    Ok(sent)
}
