//! SDET profiles of the person accessing the ENT (DOMAIN.md, « Profiles »).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Profile {
    /// `National_ELV`
    Eleve,
    /// `National_TUT`: a parent or other person responsible for a pupil.
    Parent,
    /// `National_ENS`
    Enseignant,
    /// `National_DOC`: the librarian (professeur documentaliste).
    Documentaliste,
    /// `National_DIR`
    Direction,
    /// `National_EVS`: CPE and assistants d'éducation.
    VieScolaire,
    /// `National_ETA`: administrative and technical staff.
    Administratif,
}

impl Profile {
    pub const ALL: [Profile; 7] = [
        Profile::Eleve,
        Profile::Parent,
        Profile::Enseignant,
        Profile::Documentaliste,
        Profile::Direction,
        Profile::VieScolaire,
        Profile::Administratif,
    ];

    /// The SDET code, as the API and the directory feed name it.
    pub fn code(self) -> &'static str {
        match self {
            Profile::Eleve => "National_ELV",
            Profile::Parent => "National_TUT",
            Profile::Enseignant => "National_ENS",
            Profile::Documentaliste => "National_DOC",
            Profile::Direction => "National_DIR",
            Profile::VieScolaire => "National_EVS",
            Profile::Administratif => "National_ETA",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|profile| profile.code() == code)
    }

    /// Singular French label.
    pub fn label(self) -> &'static str {
        match self {
            Profile::Eleve => "Élève",
            Profile::Parent => "Parent d'élève",
            Profile::Enseignant => "Enseignant",
            Profile::Documentaliste => "Professeur documentaliste",
            Profile::Direction => "Direction",
            Profile::VieScolaire => "Vie scolaire",
            Profile::Administratif => "Personnel administratif et technique",
        }
    }

    /// Plural French label, for counts.
    pub fn plural_label(self) -> &'static str {
        match self {
            Profile::Eleve => "Élèves",
            Profile::Parent => "Parents",
            Profile::Enseignant => "Enseignants",
            Profile::Documentaliste => "Documentalistes",
            Profile::Direction => "Direction",
            Profile::VieScolaire => "Vie scolaire",
            Profile::Administratif => "Personnels administratifs et techniques",
        }
    }

    /// Staff of the establishment (everyone but pupils and parents).
    pub fn is_staff(self) -> bool {
        !matches!(self, Profile::Eleve | Profile::Parent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_profile_round_trips_through_its_sdet_code() {
        for profile in Profile::ALL {
            assert_eq!(Profile::from_code(profile.code()), Some(profile));
        }
        assert_eq!(Profile::from_code("National_XYZ"), None);
    }
}
