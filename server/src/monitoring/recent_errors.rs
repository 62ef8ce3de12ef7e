//! The latest warnings and errors of the log, kept in memory for the administration page:
//! an administrator without a shell still sees why something failed.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};

/// How many entries are kept: the latest ones.
const KEPT: usize = 30;

/// One warning or error as logged (in English, like the log).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedProblem {
    pub at: DateTime<Utc>,
    pub error: bool,
    pub target: String,
    /// The message, then the event's fields as `key=value`.
    pub text: String,
}

#[derive(Default)]
pub struct RecentErrors {
    kept: Mutex<VecDeque<LoggedProblem>>,
}

impl RecentErrors {
    /// The latest first.
    pub fn latest(&self) -> Vec<LoggedProblem> {
        let kept = self
            .kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        kept.iter().rev().cloned().collect()
    }

    fn keep(&self, problem: LoggedProblem) {
        let mut kept = self
            .kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if kept.len() == KEPT {
            kept.pop_front();
        }
        kept.push_back(problem);
    }

    /// The `tracing` layer that feeds this.
    pub fn layer(self: &std::sync::Arc<Self>) -> RecentErrorsLayer {
        RecentErrorsLayer(self.clone())
    }
}

pub struct RecentErrorsLayer(std::sync::Arc<RecentErrors>);

impl<S: Subscriber> Layer<S> for RecentErrorsLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let level = *event.metadata().level();
        // More verbose levels compare greater: this keeps WARN and ERROR.
        if level > Level::WARN {
            return;
        }
        let mut text = Text::default();
        event.record(&mut text);
        self.0.keep(LoggedProblem {
            at: Utc::now(),
            error: level == Level::ERROR,
            target: event.metadata().target().to_owned(),
            text: text.finish(),
        });
    }
}

#[derive(Default)]
struct Text {
    message: String,
    fields: String,
}

impl Text {
    fn finish(self) -> String {
        match (self.message.is_empty(), self.fields.is_empty()) {
            (_, true) => self.message,
            (true, false) => self.fields,
            (false, false) => format!("{} ({})", self.message, self.fields),
        }
    }
}

impl Visit for Text {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            self.record_debug(field, &format_args!("{value}"));
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
            return;
        }
        if !self.fields.is_empty() {
            self.fields.push_str(", ");
        }
        let _ = write!(self.fields, "{}={value:?}", field.name());
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use tracing_subscriber::layer::SubscriberExt;

    use super::*;

    #[test]
    fn warnings_and_errors_are_kept_latest_first_and_bounded() {
        let errors = Arc::new(RecentErrors::default());
        let subscriber = tracing_subscriber::registry().with(errors.layer());
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!("not kept");
            tracing::warn!(path = "/x", "first warning");
            for n in 0..KEPT {
                tracing::error!(n, "error");
            }
            tracing::error!(reason = %"disk full", "last error");
        });
        let latest = errors.latest();
        assert_eq!(latest.len(), KEPT);
        assert!(latest[0].error);
        assert_eq!(latest[0].text, "last error (reason=disk full)");
        assert!(
            latest.iter().all(|p| !p.text.contains("warning")),
            "the oldest went"
        );
        assert!(latest.iter().all(|p| p.text != "not kept"));
    }
}
