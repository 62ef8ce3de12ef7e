//! Reading `ressources.csv`: its encoding, its separator, its headers as a spreadsheet writes
//! them, and its lines into cells under their columns.

use super::folding::fold;
use super::{ImportLimits, ImportProblem, LineProblem};

/// The columns of `ressources.csv`, in the template's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Column {
    File,
    Title,
    Description,
    Kind,
    Disciplines,
    Levels,
    Themes,
    Keywords,
    Licence,
    Link,
    Classes,
}

impl Column {
    pub(super) const ALL: [Column; 11] = [
        Column::File,
        Column::Title,
        Column::Description,
        Column::Kind,
        Column::Disciplines,
        Column::Levels,
        Column::Themes,
        Column::Keywords,
        Column::Licence,
        Column::Link,
        Column::Classes,
    ];

    pub(super) fn name(self) -> &'static str {
        match self {
            Column::File => "fichier",
            Column::Title => "titre",
            Column::Description => "description",
            Column::Kind => "type",
            Column::Disciplines => "disciplines",
            Column::Levels => "niveaux",
            Column::Themes => "themes",
            Column::Keywords => "mots_cles",
            Column::Licence => "licence",
            Column::Link => "lien",
            Column::Classes => "classes",
        }
    }

    /// A header as a spreadsheet may write it: « Thèmes », « mots-clés », « Mots clés »…
    fn of_header(header: &str) -> Option<Column> {
        let folded = fold(header).replace([' ', '-'], "_");
        Self::ALL.into_iter().find(|column| column.name() == folded)
    }
}

/// The CSV's text: UTF-8 (with or without its BOM), else Windows-1252, as Excel saves « CSV ».
pub(super) fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// The lines of the CSV, each cell under its column.
pub(super) struct Table {
    pub(super) rows: Vec<Row>,
    /// Lines that could not be read into cells.
    pub(super) problems: Vec<ImportProblem>,
}

pub(super) struct Row {
    /// In the file, the header being line 1.
    pub(super) line: u64,
    /// Trimmed, indexed by [`Column`]; empty for a column the CSV does not have.
    cells: Vec<String>,
}

impl Row {
    pub(super) fn cell(&self, column: Column) -> &str {
        &self.cells[column as usize]
    }
}

impl Table {
    /// Separated by `;` as French spreadsheets write it, or by `,` when the header is.
    pub(super) fn parse(text: &str, limits: &ImportLimits) -> Result<Self, Vec<ImportProblem>> {
        let header_line = text.lines().next().unwrap_or_default();
        let delimiter = if !header_line.contains(';') && header_line.contains(',') {
            b','
        } else {
            b';'
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut records = reader.records();
        let header = match records.next() {
            Some(Ok(header)) => header,
            Some(Err(_)) => return Err(vec![ImportProblem::UnreadableCsv]),
            None => return Err(vec![ImportProblem::NoRows]),
        };
        let mut columns: Vec<Option<Column>> = Vec::new();
        let mut unknown = Vec::new();
        let mut problems = Vec::new();
        for name in header.iter().map(str::trim) {
            let column = Column::of_header(name);
            match column {
                // A spreadsheet may leave an empty header after the last column.
                None if name.is_empty() => {}
                None => unknown.push(name.to_owned()),
                Some(_) if columns.contains(&column) => {
                    problems.push(ImportProblem::DuplicateColumn(name.to_owned()))
                }
                Some(_) => {}
            }
            columns.push(column);
        }
        if !unknown.is_empty() {
            problems.push(ImportProblem::UnknownColumns(unknown));
        }
        if !columns.contains(&Some(Column::File)) && !columns.contains(&Some(Column::Link)) {
            problems.push(ImportProblem::NoContentColumn);
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut rows = Vec::new();
        let mut lines = LineCounter::new(text.as_bytes());
        for record in records {
            let record = match record {
                Ok(record) => record,
                Err(error) => {
                    problems.push(ImportProblem::Line {
                        line: error.position().map_or(0, |p| lines.line_at(p.byte())),
                        problem: LineProblem::Unreadable,
                    });
                    continue;
                }
            };
            if record.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
            if record
                .iter()
                .skip(columns.len())
                .any(|cell| !cell.trim().is_empty())
            {
                problems.push(ImportProblem::Line {
                    line,
                    problem: LineProblem::Columns {
                        found: record.len(),
                        expected: columns.len(),
                    },
                });
                continue;
            }
            let mut cells = vec![String::new(); Column::ALL.len()];
            for (column, cell) in columns.iter().zip(record.iter()) {
                if let Some(column) = column {
                    cells[*column as usize] = cell.trim().to_owned();
                }
            }
            rows.push(Row { line, cells });
        }
        let count = rows.len() + problems.len();
        if count > limits.max_rows {
            return Err(vec![ImportProblem::TooManyRows {
                count,
                limit: limits.max_rows,
            }]);
        }
        if count == 0 {
            return Err(vec![ImportProblem::NoRows]);
        }
        Ok(Table { rows, problems })
    }
}

/// The line a byte of the CSV is on, as a spreadsheet numbers them: a line ends with `\n`,
/// `\r\n` (Windows) or a lone `\r` (old Macs). The csv crate's own line count knows `\n` only
/// (found by the `import_csv` fuzz target). Asked in increasing order, it counts each byte once.
struct LineCounter<'a> {
    text: &'a [u8],
    at: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a [u8]) -> Self {
        Self {
            text,
            at: 0,
            line: 1,
        }
    }

    fn line_at(&mut self, byte: u64) -> u64 {
        let byte = usize::try_from(byte).map_or(self.text.len(), |b| b.min(self.text.len()));
        while self.at < byte {
            match self.text[self.at] {
                b'\r' => self.line += 1,
                b'\n' if self.at == 0 || self.text[self.at - 1] != b'\r' => self.line += 1,
                _ => {}
            }
            self.at += 1;
        }
        self.line
    }
}
