//! Which structure of the feed is this appliance's establishment.
//!
//! An académie export may cover several establishments; one Préau serves one. The establishment
//! is named by its UAI (configured, or stored by an earlier import); the feed's `EtabEducNat`
//! records give the structure jointure that persons, classes and groups refer to.

use std::collections::BTreeMap;

use crate::directory::{Change, Feed, Problem, Records};
use crate::domain::school::establishment::Establishment;

/// The establishment the import is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    /// `ENTStructureJointure` of the establishment.
    pub structure: String,
    pub uai: String,
    /// Set when no UAI was configured nor stored and the feed's only establishment was taken.
    pub adopted: bool,
}

/// Finds the establishment in `feed`: the configured UAI first, then the stored one, then the
/// only establishment of the feed. Refuses to guess between several.
pub fn find_scope(
    feed: &Feed,
    configured_uai: Option<&str>,
    stored: &Establishment,
) -> Result<Scope, Problem> {
    let in_feed = structures_by_uai(feed);
    let stored_uai = (!stored.uai.is_empty()).then_some(stored.uai.as_str());
    let feed_name = feed
        .files
        .first()
        .map_or_else(String::new, |file| file.source.clone());
    if let Some(uai) = configured_uai.or(stored_uai) {
        let structure = match in_feed.get(uai) {
            Some(structure) => structure.clone(),
            None => match (&stored.structure, stored_uai == Some(uai)) {
                (Some(structure), true) => structure.clone(),
                _ => {
                    return Err(Problem::new(
                        &feed_name,
                        format!(
                            "l'établissement {uai} n'est pas dans les fichiers de l'annuaire \
                             (aucun enregistrement EtabEducNat n'a cet ENTStructureUAI) et aucun \
                             import précédent n'a indiqué sa structure"
                        ),
                    ))
                }
            },
        };
        return Ok(Scope {
            structure,
            uai: uai.to_owned(),
            adopted: false,
        });
    }
    let mut only = in_feed.into_iter();
    match (only.next(), only.next()) {
        (Some((uai, structure)), None) => Ok(Scope {
            structure,
            uai,
            adopted: true,
        }),
        (None, _) => Err(Problem::new(
            &feed_name,
            "aucun UAI d'établissement n'est configuré ([establishment] uai) et les fichiers de \
             l'annuaire ne contiennent aucun enregistrement EtabEducNat d'où le prendre",
        )),
        (Some(_), Some(_)) => Err(Problem::new(
            &feed_name,
            "les fichiers de l'annuaire contiennent plusieurs établissements : configurez l'UAI \
             de celui-ci ([establishment] uai)",
        )),
    }
}

/// `ENTStructureUAI` → `ENTStructureJointure` of every establishment record of the feed.
fn structures_by_uai(feed: &Feed) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    for file in &feed.files {
        let Records::Structures(entries) = &file.records else {
            continue;
        };
        for entry in entries {
            if let Change::Add(structure) | Change::Modify(structure) = &entry.change {
                if let Some(uai) = structure.uai.value() {
                    found.insert(uai.clone(), entry.id.clone());
                }
            }
        }
    }
    found
}
