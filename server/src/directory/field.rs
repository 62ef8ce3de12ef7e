//! Typed reading of a record's attributes, with partial updates in mind.

use super::error::{FeedError, Problem, Report};
use super::xml::{Operation, Record};

/// What a record says about one attribute.
///
/// In an `addRequest` the record describes the whole object, so `Absent` and `Empty` both
/// mean "no value". In a `modifyRequest` only the attributes it lists change: `Absent` means
/// "keep the stored value" and `Empty` means "clear it".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Field<T> {
    /// The attribute is not in the record.
    #[default]
    Absent,
    /// The attribute is in the record with no value (`<value/>`, or only blank values).
    Empty,
    /// The attribute's value; for multi-valued attributes, a non-empty list.
    Value(T),
}

impl<T> Field<T> {
    /// The value, when the record gives one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Empty => None,
        }
    }

    /// Whether the record mentions the attribute, with or without a value.
    pub fn is_present(&self) -> bool {
        !matches!(self, Self::Absent)
    }
}

/// Reads one record's attributes into fields; every bad value becomes an error in the report.
pub(crate) struct Attrs<'a> {
    file: &'a str,
    record: &'a Record,
    report: &'a mut Report,
    failed: bool,
}

impl<'a> Attrs<'a> {
    pub(crate) fn new(file: &'a str, record: &'a Record, report: &'a mut Report) -> Self {
        Self {
            file,
            record,
            report,
            failed: false,
        }
    }

    fn problem(&self, message: String) -> Problem {
        Problem::new(self.file, message)
            .at_line(self.record.line)
            .for_record(&self.record.id)
    }

    fn fail(&mut self, message: String) {
        self.failed = true;
        let problem = self.problem(message);
        self.report.error(FeedError::Value(problem));
    }

    /// Trimmed non-blank values of `name`, or `None` when the record does not have it.
    fn raw(&self, name: &str) -> Option<Vec<&'a str>> {
        let record: &'a Record = self.record;
        let attribute = record.attributes.iter().find(|a| a.name == name)?;
        Some(
            attribute
                .values
                .iter()
                .map(|value| value.trim())
                .filter(|value| !value.is_empty())
                .collect(),
        )
    }

    /// A single-valued attribute; extra values are dropped with a warning.
    pub(crate) fn one<T>(
        &mut self,
        name: &str,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Field<T> {
        let Some(values) = self.raw(name) else {
            return Field::Absent;
        };
        let Some(&first) = values.first() else {
            return Field::Empty;
        };
        if values.len() > 1 {
            let warning = self.problem(format!(
                "{name} a {} valeurs ; seule la première, « {first} », est conservée",
                values.len()
            ));
            self.report.warn(warning);
        }
        match parse(first) {
            Ok(value) => Field::Value(value),
            Err(reason) => {
                self.fail(format!("{name} : « {first} » {reason}"));
                Field::Absent
            }
        }
    }

    /// A multi-valued attribute, each value parsed on its own.
    pub(crate) fn list<T>(
        &mut self,
        name: &str,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Field<Vec<T>> {
        let Some(values) = self.raw(name) else {
            return Field::Absent;
        };
        if values.is_empty() {
            return Field::Empty;
        }
        let mut parsed = Vec::with_capacity(values.len());
        for value in values {
            match parse(value) {
                Ok(item) => parsed.push(item),
                Err(reason) => self.fail(format!("{name} : « {value} » {reason}")),
            }
        }
        Field::Value(parsed)
    }

    /// A single-valued text attribute.
    pub(crate) fn text(&mut self, name: &str) -> Field<String> {
        self.one(name, |value| Ok(value.to_owned()))
    }

    /// A multi-valued text attribute.
    pub(crate) fn texts(&mut self, name: &str) -> Field<Vec<String>> {
        self.list(name, |value| Ok(value.to_owned()))
    }

    /// Checks that the key attribute, when present, repeats the request identifier.
    pub(crate) fn key(&mut self, name: &str) {
        let id = self.record.id.as_str();
        if let Field::Value(key) = self.text(name) {
            if key != id {
                self.fail(format!(
                    "{name} : « {key} » diffère de l'identifiant de la requête, « {id} »"
                ));
            }
        }
    }

    /// Warns when an `addRequest` lacks a value that the object cannot do without.
    pub(crate) fn expect_on_add(&mut self, name: &str) {
        let missing = self.raw(name).is_none_or(|values| values.is_empty());
        if self.record.op == Operation::Add && missing {
            let warning = self.problem(format!("addRequest sans valeur pour {name}"));
            self.report.warn(warning);
        }
    }

    /// The typed object, or `None` when one of its values was refused.
    pub(crate) fn finish<T>(self, object: T) -> Option<T> {
        (!self.failed).then_some(object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::feed_name::FeedKind;
    use crate::directory::values::date;
    use crate::directory::xml::Attribute;

    fn record(op: Operation, attributes: &[(&str, &[&str])]) -> Record {
        Record {
            op,
            category: FeedKind::Eleve,
            id: "3000006".into(),
            attributes: attributes
                .iter()
                .map(|(name, values)| Attribute {
                    name: (*name).into(),
                    values: values.iter().map(|v| (*v).into()).collect(),
                })
                .collect(),
            line: 9,
        }
    }

    #[test]
    fn absent_empty_and_valued_attributes_are_told_apart() {
        let record = record(
            Operation::Modify,
            &[
                ("mail", &[""]),
                ("sn", &[" MARTIN "]),
                ("ENTEleveGroupes", &["", " "]),
            ],
        );
        let mut report = Report::default();
        let mut attrs = Attrs::new("f.xml", &record, &mut report);
        assert_eq!(attrs.text("mail"), Field::Empty);
        assert_eq!(attrs.text("sn"), Field::Value("MARTIN".into()));
        assert_eq!(attrs.text("givenName"), Field::Absent);
        assert_eq!(attrs.texts("ENTEleveGroupes"), Field::Empty);
        assert_eq!(attrs.finish(()), Some(()));
        assert!(report.errors.is_empty() && report.warnings.is_empty());
        assert!(Field::<()>::Empty.is_present() && !Field::<()>::Absent.is_present());
        assert_eq!(Field::Value(3).value(), Some(&3));
    }

    #[test]
    fn a_bad_value_is_an_error_naming_attribute_value_record_and_line() {
        let record = record(
            Operation::Add,
            &[("ENTPersonDateNaissance", &["31/02/2015"])],
        );
        let mut report = Report::default();
        let mut attrs = Attrs::new("f.xml", &record, &mut report);
        attrs.one("ENTPersonDateNaissance", date);
        assert_eq!(attrs.finish(()), None);
        assert_eq!(
            report.errors,
            [FeedError::Value(
                Problem::new(
                    "f.xml",
                    "ENTPersonDateNaissance : « 31/02/2015 » n'est pas une date valide (attendu : jj/mm/aaaa)"
                )
                .at_line(9)
                .for_record("3000006")
            )]
        );
    }

    #[test]
    fn extra_values_of_a_single_valued_attribute_are_a_warning() {
        let record = record(Operation::Add, &[("sn", &["MARTIN", "DURAND"])]);
        let mut report = Report::default();
        let mut attrs = Attrs::new("f.xml", &record, &mut report);
        assert_eq!(attrs.text("sn"), Field::Value("MARTIN".into()));
        assert!(attrs.finish(()).is_some());
        assert_eq!(
            report.warnings[0].message,
            "sn a 2 valeurs ; seule la première, « MARTIN », est conservée"
        );
    }

    #[test]
    fn a_key_attribute_must_repeat_the_identifier() {
        let record = record(Operation::Add, &[("ENTPersonJointure", &["3000007"])]);
        let mut report = Report::default();
        let mut attrs = Attrs::new("f.xml", &record, &mut report);
        attrs.key("ENTPersonJointure");
        assert!(attrs.finish(()).is_none());
        assert_eq!(
            report.errors[0].problem().message,
            "ENTPersonJointure : « 3000007 » diffère de l'identifiant de la requête, « 3000006 »"
        );
    }

    #[test]
    fn missing_names_are_a_warning_on_add_only() {
        let mut report = Report::default();
        for op in [Operation::Add, Operation::Modify] {
            let record = record(op, &[("sn", &[""])]);
            let mut attrs = Attrs::new("f.xml", &record, &mut report);
            attrs.expect_on_add("sn");
            attrs.expect_on_add("givenName");
        }
        let messages: Vec<_> = report.warnings.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "addRequest sans valeur pour sn",
                "addRequest sans valeur pour givenName"
            ]
        );
    }
}
