//! The installation form: what was typed, checked into the settings to write, each refusal
//! with its French sentence. Settings the configuration file or the environment already fixes
//! are neither asked nor written.

use serde::Deserialize;

use crate::directory::schedule::Schedule;
use crate::directory::source::SyncSource;

/// The form as sent (every field optional: a missing one is an empty one).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Choices {
    pub jeton: String,
    pub uai: String,
    pub nom: String,
    pub identifiant: String,
    pub mot_de_passe: String,
    pub confirmation: String,
    /// `dossier` or `adresse`.
    pub source: String,
    pub adresse: String,
    pub horaire: String,
    /// `self-signed`, `files` or `off`.
    pub tls: String,
    pub certificat: String,
    pub cle: String,
}

/// What the form sets, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub uai: String,
    pub name: String,
    /// `None`: the data directory's `inbox/`.
    pub url: Option<String>,
    pub schedule: String,
    pub tls: &'static str,
    pub cert: Option<String>,
    pub key: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChoiceProblem {
    #[error("UAI {0:?} is not 7 digits and a letter")]
    Uai(String),
    #[error("the establishment's name is empty")]
    NoName,
    #[error("directory source: {0}")]
    Source(String),
    #[error("sync schedule: {0}")]
    Schedule(String),
    #[error("unknown TLS mode {0:?}")]
    TlsMode(String),
    #[error("TLS files mode without both file paths")]
    TlsFiles,
}

impl ChoiceProblem {
    pub fn french(&self) -> String {
        match self {
            Self::Uai(_) => "Le numéro UAI est fait de 7 chiffres et d'une lettre, par exemple \
                             0130042X."
                .to_owned(),
            Self::NoName => "Donnez le nom de l'établissement.".to_owned(),
            Self::Source(_) => "L'adresse de l'annuaire doit commencer par https:// (par \
                                exemple https://annuaire.ac-exemple.fr/export.zip)."
                .to_owned(),
            Self::Schedule(_) => "La synchronisation s'écrit comme une heure (« 02:30 »), un \
                                  intervalle (« 6h ») ou « off »."
                .to_owned(),
            Self::TlsMode(_) => "Choisissez un mode HTTPS.".to_owned(),
            Self::TlsFiles => "Avec le certificat de l'établissement, donnez le chemin du \
                               fichier du certificat et celui de la clé privée."
                .to_owned(),
        }
    }
}

impl Choices {
    /// The settings to write; `explicit` tells which keys the configuration already fixes
    /// (those are not checked: they are not the form's to set).
    pub fn check(&self, explicit: impl Fn(&str) -> bool) -> Result<Settings, ChoiceProblem> {
        let uai = self.uai.trim().to_uppercase();
        let uai_ok = uai.len() == 8
            && uai[..7].bytes().all(|b| b.is_ascii_digit())
            && uai.as_bytes()[7].is_ascii_uppercase();
        if !explicit("establishment.uai") && !uai_ok {
            return Err(ChoiceProblem::Uai(self.uai.clone()));
        }
        let name = self.nom.trim().to_owned();
        if !explicit("establishment.name") && name.is_empty() {
            return Err(ChoiceProblem::NoName);
        }
        let url = if self.source == "adresse" && !explicit("directory.source") {
            let text = self.adresse.trim();
            match text.parse::<SyncSource>() {
                Ok(SyncSource::Url(_)) => Some(text.to_owned()),
                Ok(_) => return Err(ChoiceProblem::Source(format!("{text:?} is not a URL"))),
                Err(error) => return Err(ChoiceProblem::Source(error.to_string())),
            }
        } else {
            None
        };
        let schedule = self.horaire.trim().to_owned();
        if !explicit("directory.schedule") {
            schedule
                .parse::<Schedule>()
                .map_err(|error| ChoiceProblem::Schedule(error.to_string()))?;
        }
        let tls = match self.tls.as_str() {
            "self-signed" => "self-signed",
            "files" => "files",
            "off" => "off",
            _ if explicit("tls.mode") => "off",
            other => return Err(ChoiceProblem::TlsMode(other.to_owned())),
        };
        let (cert, key) = (self.certificat.trim(), self.cle.trim());
        let files = tls == "files" && !explicit("tls.mode");
        if files && (cert.is_empty() || key.is_empty()) {
            return Err(ChoiceProblem::TlsFiles);
        }
        Ok(Settings {
            uai,
            name,
            url,
            schedule,
            tls,
            cert: files.then(|| cert.to_owned()),
            key: files.then(|| key.to_owned()),
        })
    }
}

impl Settings {
    /// The settings as `installation.toml`, without the keys `explicit` names.
    pub fn to_toml(&self, explicit: impl Fn(&str) -> bool) -> String {
        let mut sections = toml::Table::new();
        let mut put = |section: &str, key: &str, value: &str| {
            if explicit(&format!("{section}.{key}")) {
                return;
            }
            let entry = sections
                .entry(section.to_owned())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            if let toml::Value::Table(table) = entry {
                table.insert(key.to_owned(), toml::Value::String(value.to_owned()));
            }
        };
        put("establishment", "uai", &self.uai);
        put("establishment", "name", &self.name);
        if let Some(url) = &self.url {
            put("directory", "source", url);
        }
        put("directory", "schedule", &self.schedule);
        put("tls", "mode", self.tls);
        if let (Some(cert), Some(key)) = (&self.cert, &self.key) {
            put("tls", "cert", cert);
            put("tls", "key", key);
        }
        format!(
            "# Written by Préau's installation page. The configuration file and the PREAU_* \
             variables win over it,\n# key by key.\n{}",
            toml::to_string(&sections).unwrap_or_default()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed() -> Choices {
        Choices {
            uai: " 0130042x ".into(),
            nom: "Collège Jean Moulin".into(),
            source: "dossier".into(),
            horaire: "02:30".into(),
            tls: "self-signed".into(),
            ..Choices::default()
        }
    }

    #[test]
    fn a_complete_form_gives_settings_that_the_configuration_reads_back() {
        let settings = typed().check(|_| false).expect("accepted");
        assert_eq!(settings.uai, "0130042X");
        let text = settings.to_toml(|_| false);
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("installation.toml");
        std::fs::write(&path, text).expect("written");
        let config =
            crate::config::Config::load_installed(Some(&path), None, Vec::new()).expect("reads");
        assert_eq!(config.establishment.uai.as_deref(), Some("0130042X"));
        assert_eq!(
            config.establishment.name.as_deref(),
            Some("Collège Jean Moulin")
        );
        assert_eq!(config.tls.mode, crate::config::TlsMode::SelfSigned);
        assert!(config.explicit.is_empty());
        // The file and the environment win, key by key.
        let config = crate::config::Config::load_installed(
            Some(&path),
            None,
            vec![("PREAU_TLS_MODE".to_owned(), "off".to_owned())],
        )
        .expect("reads");
        assert_eq!(config.tls.mode, crate::config::TlsMode::Off);
        assert_eq!(config.establishment.uai.as_deref(), Some("0130042X"));
        assert!(config.explicit.contains("tls.mode"));
    }

    #[test]
    fn each_mistake_is_refused_with_its_sentence() {
        let cases = [
            (
                Choices {
                    uai: "013004X".into(),
                    ..typed()
                },
                "UAI",
            ),
            (
                Choices {
                    nom: "  ".into(),
                    ..typed()
                },
                "nom",
            ),
            (
                Choices {
                    source: "adresse".into(),
                    adresse: "http://annuaire.fr/x".into(),
                    ..typed()
                },
                "https://",
            ),
            (
                Choices {
                    horaire: "la nuit".into(),
                    ..typed()
                },
                "« 02:30 »",
            ),
            (
                Choices {
                    tls: "".into(),
                    ..typed()
                },
                "mode HTTPS",
            ),
            (
                Choices {
                    tls: "files".into(),
                    certificat: "/etc/cert.pem".into(),
                    ..typed()
                },
                "clé",
            ),
        ];
        for (choices, said) in cases {
            let problem = choices.check(|_| false).expect_err("refused");
            assert!(
                problem.french().contains(said),
                "{problem}: {}",
                problem.french()
            );
        }
    }

    #[test]
    fn what_the_configuration_fixes_is_neither_checked_nor_written() {
        let choices = Choices {
            uai: String::new(),
            tls: String::new(),
            ..typed()
        };
        let fixed = |key: &str| key == "establishment.uai" || key == "tls.mode";
        let settings = choices.check(fixed).expect("accepted");
        let text = settings.to_toml(fixed);
        assert!(!text.contains("uai") && !text.contains("mode"), "{text}");
        assert!(text.contains("Collège Jean Moulin"));
    }
}
