//! The extracted text as it is built: whitespace collapsed, length capped.

use super::MAX_TEXT_CHARS;

/// The widest whitespace seen since the last word: a line break outranks a space.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
enum Gap {
    #[default]
    None,
    Space,
    Line,
}

/// Text for the index. Readers push pieces as they find them and mark paragraph ends; the
/// whitespace between words is decided only when the next word comes, so the result never
/// starts or ends with whitespace and never holds two whitespace characters in a row.
#[derive(Debug, Default)]
pub(super) struct Text {
    out: String,
    chars: usize,
    gap: Gap,
}

impl Text {
    pub(super) fn push(&mut self, piece: &str) {
        for c in piece.chars() {
            if self.is_full() {
                return;
            }
            self.push_char(c);
        }
    }

    /// Readers stop early once this is true: nothing more would be kept.
    pub(super) fn is_full(&self) -> bool {
        self.chars >= MAX_TEXT_CHARS
    }

    pub(super) fn space(&mut self) {
        self.gap = self.gap.max(Gap::Space);
    }

    pub(super) fn line_break(&mut self) {
        self.gap = self.gap.max(Gap::Line);
    }

    pub(super) fn into_string(self) -> String {
        self.out
    }

    fn push_char(&mut self, c: char) {
        if matches!(
            c,
            '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
        ) {
            self.line_break();
        } else if c.is_whitespace() || c.is_control() {
            // No-break spaces (U+00A0, and U+202F before French `:` `;` `?` `!`) become plain
            // spaces, so the index splits words there; stray control bytes count as spaces too.
            self.space();
        } else {
            let separator = match self.gap {
                _ if self.chars == 0 => None,
                Gap::None => None,
                Gap::Space => Some(' '),
                Gap::Line => Some('\n'),
            };
            self.gap = Gap::None;
            let needed = 1 + usize::from(separator.is_some());
            if self.chars + needed > MAX_TEXT_CHARS {
                // A separator in the last slot would end the text with whitespace.
                self.chars = MAX_TEXT_CHARS;
                return;
            }
            self.out.extend(separator);
            self.out.push(c);
            self.chars += needed;
        }
    }
}
