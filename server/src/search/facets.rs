//! Counting facet values over the matching documents in the same pass that ranks them.

use std::collections::BTreeMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::schema::{DISCIPLINE, KIND, LEVEL, THEME};
use super::Facets;

/// Where each facet column's counts go.
type Slot = fn(&mut Facets) -> &mut BTreeMap<String, u64>;

/// The facet columns and their place in [`Facets`].
const COLUMNS: [(&str, Slot); 4] = [
    (DISCIPLINE, |facets| &mut facets.discipline),
    (LEVEL, |facets| &mut facets.level),
    (THEME, |facets| &mut facets.theme),
    (KIND, |facets| &mut facets.kind),
];

/// Counts matching documents and, per facet column, documents per value.
///
/// Counting by term ordinal in a flat array per segment and naming only the ordinals seen at the
/// end keeps the per-document cost at a few array increments.
pub(crate) struct FacetCollector;

/// What one segment or the whole search counted.
pub(crate) struct FacetCounts {
    pub total: usize,
    pub facets: Facets,
}

pub(crate) struct FacetSegmentCollector {
    total: usize,
    columns: Vec<Option<(StrColumn, Vec<u64>)>>,
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        let fast_fields = segment.fast_fields();
        let mut columns = Vec::with_capacity(COLUMNS.len());
        for (name, _) in COLUMNS {
            // A segment where no document has a value has no column at all.
            columns.push(fast_fields.str(name)?.map(|column| {
                let counts = vec![0; column.num_terms()];
                (column, counts)
            }));
        }
        Ok(FacetSegmentCollector { total: 0, columns })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segment_fruits: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut merged = FacetCounts {
            total: 0,
            facets: Facets::default(),
        };
        for mut fruit in segment_fruits {
            merged.total += fruit.total;
            for (_, slot) in COLUMNS {
                let into = slot(&mut merged.facets);
                for (value, count) in std::mem::take(slot(&mut fruit.facets)) {
                    *into.entry(value).or_insert(0) += count;
                }
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.total += 1;
        for (column, counts) in self.columns.iter_mut().flatten() {
            for ord in column.term_ords(doc) {
                if let Some(count) = usize::try_from(ord).ok().and_then(|i| counts.get_mut(i)) {
                    *count += 1;
                }
            }
        }
    }

    fn harvest(self) -> FacetCounts {
        let mut facets = Facets::default();
        for ((_, slot), column) in COLUMNS.into_iter().zip(self.columns) {
            if let Some((column, counts)) = column {
                *slot(&mut facets) = name_counts(&column, &counts);
            }
        }
        FacetCounts {
            total: self.total,
            facets,
        }
    }
}

/// Turns counts per term ordinal into counts per value, skipping values no document matched.
/// The ordinals are named in one walk through the dictionary: naming each alone would decode
/// its block from the start every time (a third of a search's facet cost, `perf` said).
fn name_counts(column: &StrColumn, counts: &[u64]) -> BTreeMap<String, u64> {
    let seen: Vec<(u64, u64)> = counts
        .iter()
        .enumerate()
        .filter(|(_, &count)| count > 0)
        .map(|(ord, &count)| (ord as u64, count))
        .collect();
    let ords: Vec<u64> = seen.iter().map(|(ord, _)| *ord).collect();
    let mut named = BTreeMap::new();
    let mut counts = seen.iter().map(|(_, count)| *count);
    // An ordinal missing from the dictionary would be a corrupt segment: the values named until
    // then are kept, the rest dropped, rather than failing the whole search.
    let walked = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
        if let (Ok(value), Some(count)) = (std::str::from_utf8(bytes), counts.next()) {
            named.insert(value.to_owned(), count);
        }
    });
    if !matches!(walked, Ok(true)) {
        tracing::warn!("a facet column names fewer values than it counts");
    }
    named
}
