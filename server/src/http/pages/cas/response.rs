//! The validation answers: CAS 3.0 XML (namespace `http://www.yale.edu/tp/cas`) or, with
//! `format=JSON`, the same tree in JSON. Every text that reaches the XML is escaped: ticket
//! names come from the request and attribute values from the directory.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use quick_xml::escape::escape;
use serde_json::{json, Map, Value};

use crate::domain::cas::{CasFailure, Validated};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Xml,
    Json,
}

impl Format {
    pub fn of(format: Option<&str>) -> Self {
        match format {
            Some(format) if format.eq_ignore_ascii_case("json") => Format::Json,
            _ => Format::Xml,
        }
    }
}

/// The answer to a validation, always `200` as the protocol wants (the outcome is inside).
pub fn answer(format: Format, outcome: &Result<Validated, CasFailure>) -> Response {
    match format {
        Format::Xml => send(format, xml(outcome)),
        Format::Json => send(format, json(outcome).to_string()),
    }
}

fn send(format: Format, body: String) -> Response {
    let content_type = match format {
        Format::Xml => "application/xml; charset=utf-8",
        Format::Json => "application/json",
    };
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// The protocol's extra attributes, then the service's own.
fn all_attributes(validated: &Validated) -> Vec<(&str, Vec<String>)> {
    let mut all = vec![
        (
            "authenticationDate",
            vec![validated
                .authentication_date
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)],
        ),
        (
            "longTermAuthenticationRequestTokenUsed",
            vec!["false".to_owned()],
        ),
        (
            "isFromNewLogin",
            vec![validated.from_fresh_sign_in.to_string()],
        ),
    ];
    all.extend(
        validated
            .attributes
            .iter()
            .map(|(name, values)| (*name, values.clone())),
    );
    all
}

pub fn xml(outcome: &Result<Validated, CasFailure>) -> String {
    let mut out = String::from("<cas:serviceResponse xmlns:cas=\"http://www.yale.edu/tp/cas\">\n");
    match outcome {
        Ok(validated) => {
            out.push_str("  <cas:authenticationSuccess>\n    <cas:user>");
            out.push_str(&escape(validated.user.as_str()));
            out.push_str("</cas:user>\n    <cas:attributes>\n");
            for (name, values) in all_attributes(validated) {
                // Names are the domain's constants, never from outside.
                for value in values {
                    out.push_str(&format!(
                        "      <cas:{name}>{}</cas:{name}>\n",
                        escape(value.as_str())
                    ));
                }
            }
            out.push_str("    </cas:attributes>\n");
            // The schema's order: user, attributes, proxyGrantingTicket, proxies.
            if let Some(iou) = &validated.proxy_granting_ticket {
                out.push_str(&format!(
                    "    <cas:proxyGrantingTicket>{}</cas:proxyGrantingTicket>\n",
                    escape(iou.as_str())
                ));
            }
            if !validated.proxies.is_empty() {
                out.push_str("    <cas:proxies>\n");
                for proxy in &validated.proxies {
                    out.push_str(&format!(
                        "      <cas:proxy>{}</cas:proxy>\n",
                        escape(proxy.as_str())
                    ));
                }
                out.push_str("    </cas:proxies>\n");
            }
            out.push_str("  </cas:authenticationSuccess>\n");
        }
        Err(failure) => {
            out.push_str(&format!(
                "  <cas:authenticationFailure code=\"{}\">{}</cas:authenticationFailure>\n",
                failure.code.as_str(),
                escape(failure.message.as_str())
            ));
        }
    }
    out.push_str("</cas:serviceResponse>\n");
    out
}

pub fn json(outcome: &Result<Validated, CasFailure>) -> Value {
    let inner = match outcome {
        Ok(validated) => {
            let attributes: Map<String, Value> = all_attributes(validated)
                .into_iter()
                .map(|(name, values)| (name.to_owned(), json!(values)))
                .collect();
            let mut success = json!({"user": validated.user, "attributes": attributes});
            if let Some(iou) = &validated.proxy_granting_ticket {
                success["proxyGrantingTicket"] = json!(iou);
            }
            if !validated.proxies.is_empty() {
                success["proxies"] = json!(validated.proxies);
            }
            json!({ "authenticationSuccess": success })
        }
        Err(failure) => json!({"authenticationFailure": {
            "code": failure.code.as_str(),
            "description": failure.message,
        }}),
    };
    json!({ "serviceResponse": inner })
}

/// A `/proxy` answer: the proxy ticket, or why not.
pub fn proxy_answer(format: Format, outcome: &Result<String, CasFailure>) -> Response {
    let body = match format {
        Format::Xml => {
            let inner = match outcome {
                Ok(ticket) => format!(
                    "  <cas:proxySuccess>\n    <cas:proxyTicket>{}</cas:proxyTicket>\n  </cas:proxySuccess>\n",
                    escape(ticket.as_str())
                ),
                Err(failure) => format!(
                    "  <cas:proxyFailure code=\"{}\">{}</cas:proxyFailure>\n",
                    failure.code.as_str(),
                    escape(failure.message.as_str())
                ),
            };
            format!("<cas:serviceResponse xmlns:cas=\"http://www.yale.edu/tp/cas\">\n{inner}</cas:serviceResponse>\n")
        }
        Format::Json => {
            let inner = match outcome {
                Ok(ticket) => json!({"proxySuccess": {"proxyTicket": ticket}}),
                Err(failure) => json!({"proxyFailure": {
                    "code": failure.code.as_str(),
                    "description": failure.message,
                }}),
            };
            json!({ "serviceResponse": inner }).to_string()
        }
    };
    send(format, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::cas::CasCode;
    use chrono::TimeZone;

    #[test]
    fn every_text_of_the_xml_is_escaped() {
        let validated = Validated {
            user: "a<b".to_owned(),
            attributes: vec![("displayName", vec!["Zoé & <Léa> \"O'Neil\"".to_owned()])],
            authentication_date: chrono::Utc
                .with_ymd_and_hms(2026, 9, 7, 8, 0, 0)
                .single()
                .expect("valid"),
            from_fresh_sign_in: false,
            proxies: vec!["https://portail.example/pgt?a=1&b=<2>".to_owned()],
            proxy_granting_ticket: Some("PGTIOU-x".to_owned()),
        };
        let text = xml(&Ok(validated.clone()));
        assert!(text.contains(
            "    </cas:attributes>\n    <cas:proxyGrantingTicket>PGTIOU-x</cas:proxyGrantingTicket>\n    <cas:proxies>\n      <cas:proxy>https://portail.example/pgt?a=1&amp;b=&lt;2&gt;</cas:proxy>\n    </cas:proxies>\n  </cas:authenticationSuccess>"
        ), "{text}");
        let as_json = json(&Ok(validated));
        assert_eq!(
            as_json["serviceResponse"]["authenticationSuccess"]["proxies"],
            json!(["https://portail.example/pgt?a=1&b=<2>"])
        );
        assert_eq!(
            as_json["serviceResponse"]["authenticationSuccess"]["proxyGrantingTicket"],
            "PGTIOU-x"
        );
        assert!(text.contains("<cas:user>a&lt;b</cas:user>"), "{text}");
        assert!(
            text.contains(
                "<cas:displayName>Zoé &amp; &lt;Léa&gt; &quot;O&apos;Neil&quot;</cas:displayName>"
            ),
            "{text}"
        );
        assert!(
            text.contains("<cas:authenticationDate>2026-09-07T08:00:00Z</cas:authenticationDate>")
        );
        let failure = xml(&Err(CasFailure::new(
            CasCode::InvalidTicket,
            "Ticket <x> not recognized",
        )));
        assert!(failure.contains(
            "<cas:authenticationFailure code=\"INVALID_TICKET\">Ticket &lt;x&gt; not recognized</cas:authenticationFailure>"
        ));
    }

    #[test]
    fn the_json_has_the_specification_shape() {
        let failure = json(&Err(CasFailure::new(CasCode::InvalidService, "no")));
        assert_eq!(
            failure,
            json!({"serviceResponse": {"authenticationFailure": {"code": "INVALID_SERVICE", "description": "no"}}})
        );
    }
}
