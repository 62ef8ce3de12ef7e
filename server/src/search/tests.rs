//! Behaviour of the index as a whole, through its public API.

use std::fs;

use super::*;

fn doc(id: u64, title: &str, description: &str) -> SearchDoc {
    SearchDoc {
        id,
        title: title.to_owned(),
        description: description.to_owned(),
        keywords: Vec::new(),
        body: String::new(),
        kind: "document".to_owned(),
        disciplines: vec!["061300".to_owned()],
        levels: vec!["num-021".to_owned()],
        theme_paths: Vec::new(),
        audiences: vec!["etablissement".to_owned()],
        updated_at: 1_700_000_000 + id as i64,
    }
}

fn text(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.to_owned(),
        per_page: 20,
        ..SearchQuery::default()
    }
}

fn ids(results: &SearchResults) -> Vec<u64> {
    results.hits.iter().map(|hit| hit.id).collect()
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|value| value.to_string()).collect()
}

fn index_with(docs: Vec<SearchDoc>) -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(&dir.path().join("index")).unwrap();
    index.rebuild(docs.into_iter()).unwrap();
    (dir, index)
}

#[test]
fn a_word_without_accents_finds_its_accented_plural() {
    let (_dir, index) = index_with(vec![
        doc(1, "Les élèves", "Fiche de présentation"),
        doc(2, "Le volcan", "Une éruption"),
    ]);
    let results = index.search(&text("eleve")).unwrap();
    assert_eq!(ids(&results), vec![1]);
    assert_eq!(results.hits[0].title_snippet, "Les <b>élèves</b>");
}

#[test]
fn a_typo_finds_the_word_and_never_a_word_near_its_stem() {
    let (_dir, index) = index_with(vec![
        doc(1, "Les fractions", "Comparer des fractions"),
        doc(2, "Comprendre le fonctionnement de la langue", "Grammaire"),
        doc(3, "Le volcan", "Une éruption"),
    ]);
    assert_eq!(ids(&index.search(&text("fractoin")).unwrap()), vec![1]);
    assert_eq!(ids(&index.search(&text("fraction")).unwrap()), vec![1]);
    assert_eq!(ids(&index.search(&text("volcna")).unwrap()), vec![3]);
    assert_eq!(
        ids(&index.search(&text("volc")).unwrap()),
        vec![3],
        "the word being typed"
    );
    assert_eq!(
        ids(&index.search(&text("vlocan eruption")).unwrap()),
        vec![3],
        "one typo from five letters"
    );
}

#[test]
fn a_word_found_as_typed_gets_no_typo_tolerance_and_exact_matches_rank_first() {
    let (_dir, index) = index_with(vec![
        doc(1, "La révolution industrielle", "Usines et machines"),
        doc(2, "L'évolution des espèces", "Darwin"),
        doc(3, "Évolutions des objets techniques", "Le téléphone"),
    ]);
    assert_eq!(ids(&index.search(&text("revolution")).unwrap()), vec![1]);
    let typo = index.search(&text("revolucion")).unwrap();
    assert!(ids(&typo).contains(&1), "{:?}", ids(&typo));
    let both = index.search(&text("evolution")).unwrap();
    let mut found = ids(&both);
    found.sort_unstable();
    assert_eq!(found, vec![2, 3], "a plural, not the word a typo away");
    assert!(both.hits.iter().all(|hit| hit.score >= 100.0), "exact tier");
}

#[test]
fn the_last_word_finds_the_words_it_starts_from_three_letters() {
    let (_dir, index) = index_with(vec![
        doc(1, "Le théorème de Pythagore", "Triangle rectangle"),
        doc(2, "Les pyramides d'Égypte", "Khéops"),
    ]);
    assert_eq!(ids(&index.search(&text("pyt")).unwrap()), vec![1]);
    assert_eq!(ids(&index.search(&text("théorème pyth")).unwrap()), vec![1]);
    assert!(index.search(&text("py")).unwrap().hits.is_empty());
    let typed = index.search(&text("pythag")).unwrap();
    assert_eq!(
        typed.hits[0].title_snippet,
        "Le théorème de <b>Pythagore</b>"
    );
}

#[test]
fn words_next_to_each_other_rank_above_the_same_words_apart() {
    let (_dir, index) = index_with(vec![
        doc(1, "La guerre froide", "Deux blocs"),
        doc(
            2,
            "Froide guerre ? Non : la guerre de Troie",
            "Un hiver froid",
        ),
    ]);
    assert_eq!(ids(&index.search(&text("guerre froide")).unwrap())[0], 1);
}

#[test]
fn a_query_finding_nothing_suggests_the_closest_words_that_find_something() {
    let (_dir, index) = index_with(vec![
        doc(1, "La fraction", "Partager une unité"),
        doc(2, "Le volcan", "Une éruption"),
    ]);
    let none = index.search(&text("fractoim")).unwrap();
    assert_eq!(none.total, 0);
    assert_eq!(none.suggestion.as_deref(), Some("fraction"));
    let mut elsewhere = text("fractoim");
    elsewhere.audiences = Some(strings(&["classe:4A"]));
    assert_eq!(
        index.search(&elsewhere).unwrap().suggestion,
        None,
        "never a word of a resource the caller may not see"
    );
}

#[test]
fn the_viewers_own_class_ranks_first_among_equal_matches() {
    let mut other = doc(2, "Le volcan", "Une éruption");
    other.levels = strings(&["num-018"]);
    let (_dir, index) = index_with(vec![doc(1, "Le volcan", "Une éruption"), other]);
    let mut query = text("volcan");
    assert_eq!(ids(&index.search(&query).unwrap()), vec![2, 1]);
    query.own_levels = strings(&["num-021"]);
    assert_eq!(ids(&index.search(&query).unwrap()), vec![1, 2]);
}

#[test]
fn a_word_in_the_title_ranks_above_the_same_word_in_the_description() {
    let with_keyword = |mut doc: SearchDoc, keyword: &str| {
        doc.keywords = strings(&[keyword]);
        doc
    };
    let (_dir, index) = index_with(vec![
        with_keyword(doc(1, "Un dossier", "La pyramide de Khéops"), "égypte"),
        with_keyword(doc(2, "La pyramide", "Un dossier de Khéops"), "égypte"),
        with_keyword(doc(3, "Un dossier", "Le dossier de Khéops"), "pyramide"),
    ]);
    assert_eq!(
        ids(&index.search(&text("pyramide")).unwrap()),
        vec![2, 3, 1]
    );
}

#[test]
fn filters_are_and_between_kinds_and_or_within_one() {
    let mut french_4e = doc(2, "Texte", "");
    french_4e.disciplines = strings(&["020700"]);
    let mut maths_3e = doc(3, "Texte", "");
    maths_3e.levels = strings(&["num-023"]);
    let mut english_4e = doc(4, "Texte", "");
    english_4e.disciplines = strings(&["030201"]);
    let (_dir, index) = index_with(vec![doc(1, "Texte", ""), french_4e, maths_3e, english_4e]);
    let mut query = text("");
    query.disciplines = strings(&["061300", "020700"]);
    query.levels = strings(&["num-021"]);
    let results = index.search(&query).unwrap();
    assert_eq!(ids(&results), vec![2, 1], "newest first without text");
    assert_eq!(results.total, 2);
    // Counts are over the filtered set: the discipline facet shows only the selected values.
    let expected: BTreeMap<String, u64> =
        [("020700".to_owned(), 1), ("061300".to_owned(), 1)].into();
    assert_eq!(results.facets.discipline, expected);
    assert_eq!(results.facets.level, [("num-021".to_owned(), 2)].into());
}

#[test]
fn theme_counts_include_every_ancestor_once_per_document() {
    let mut calcul = doc(1, "Calcul littéral", "");
    calcul.theme_paths = vec![
        strings(&["061300", "num-947", "num-948", "num-951"]),
        strings(&["061300", "num-947", "num-948", "num-950"]),
    ];
    let mut nombres = doc(2, "Nombres", "");
    nombres.theme_paths = vec![strings(&["061300", "num-947", "num-948"])];
    let (_dir, index) = index_with(vec![calcul, nombres, doc(3, "Sans thème", "")]);
    let facets = index.search(&text("")).unwrap().facets;
    let expected: BTreeMap<String, u64> = [
        ("061300", 2),
        ("num-947", 2),
        ("num-948", 2),
        ("num-950", 1),
        ("num-951", 1),
    ]
    .map(|(node, count)| (node.to_owned(), count))
    .into();
    assert_eq!(facets.theme, expected);
    let mut under_948 = text("");
    under_948.theme = Some("num-948".to_owned());
    assert_eq!(ids(&index.search(&under_948).unwrap()), vec![2, 1]);
    under_948.theme = Some("num-951".to_owned());
    assert_eq!(ids(&index.search(&under_948).unwrap()), vec![1]);
}

#[test]
fn a_document_for_another_class_is_invisible_even_in_counts() {
    let mut other_class = doc(1, "Contrôle de géométrie", "");
    other_class.audiences = strings(&["classe:4A"]);
    other_class.kind = "exercise".to_owned();
    other_class.levels = strings(&["num-023"]);
    let mut own_class = doc(2, "Exercices de géométrie", "");
    own_class.audiences = strings(&["classe:4B"]);
    let (_dir, index) = index_with(vec![other_class, own_class, doc(3, "Géométrie", "")]);
    for words in ["géométrie", ""] {
        let mut pupil = text(words);
        pupil.audiences = Some(strings(&["etablissement", "classe:4B"]));
        let results = index.search(&pupil).unwrap();
        assert_eq!(results.total, 2);
        assert!(!ids(&results).contains(&1));
        assert_eq!(results.facets.discipline["061300"], 2);
        assert!(!results.facets.kind.contains_key("exercise"));
        assert!(!results.facets.level.contains_key("num-023"));
    }
    let mut nobody = text("");
    nobody.audiences = Some(Vec::new());
    assert_eq!(index.search(&nobody).unwrap(), SearchResults::default());
    assert_eq!(
        index.search(&text("")).unwrap().total,
        3,
        "an administrator sees all"
    );
}

#[test]
fn updates_and_deletions_are_visible_to_the_next_search() {
    let (_dir, index) = index_with(vec![doc(1, "Le volcan", "")]);
    index.upsert(&doc(2, "Le séisme", "")).unwrap();
    assert_eq!(ids(&index.search(&text("séisme")).unwrap()), vec![2]);
    index.upsert(&doc(1, "Le tsunami", "")).unwrap();
    assert!(index.search(&text("volcan")).unwrap().hits.is_empty());
    assert_eq!(ids(&index.search(&text("tsunami")).unwrap()), vec![1]);
    index.delete(2).unwrap();
    assert_eq!(ids(&index.search(&text("")).unwrap()), vec![1]);
}

#[test]
fn a_rebuild_from_scratch_answers_like_incremental_writes() {
    let docs: Vec<SearchDoc> = (1..=30)
        .map(|id| {
            doc(
                id,
                &format!("Séance {id} sur les angles"),
                "Triangles et angles",
            )
        })
        .collect();
    let incremental_dir = tempfile::tempdir().unwrap();
    let incremental = SearchIndex::open(incremental_dir.path()).unwrap();
    for doc in &docs {
        incremental.upsert(doc).unwrap();
    }
    let (_dir, rebuilt) = index_with(docs.clone());
    for words in ["angle", "triangle", "", "séance 7"] {
        let all = SearchQuery {
            per_page: 50,
            ..text(words)
        };
        let a = incremental.search(&all).unwrap();
        let b = rebuilt.search(&all).unwrap();
        assert_eq!((a.total, &a.facets), (b.total, &b.facets), "{words}");
        let mut a_ids = ids(&a);
        let mut b_ids = ids(&b);
        a_ids.sort_unstable();
        b_ids.sort_unstable();
        assert_eq!(a_ids, b_ids, "{words}");
    }
    // Equal scores come back in index order, which a rebuild may change: compare whole result
    // sets, each sorted by id.
    let everything = SearchQuery {
        per_page: 50,
        ..text("angle")
    };
    let sorted = |mut results: SearchResults| {
        results.hits.sort_by_key(|hit| hit.id);
        results
    };
    let before = sorted(rebuilt.search(&everything).unwrap());
    rebuilt.rebuild(docs.into_iter()).unwrap();
    let after = sorted(rebuilt.search(&everything).unwrap());
    assert_eq!(
        after, before,
        "rebuilding the same resources changes nothing"
    );
}

#[test]
fn pages_split_the_results() {
    let (_dir, index) = index_with((1..=5).map(|id| doc(id, "Carte", "")).collect());
    let mut query = text("");
    query.per_page = 2;
    query.page = 3;
    let results = index.search(&query).unwrap();
    assert_eq!((results.total, ids(&results)), (5, vec![1]));
}

#[test]
fn an_index_is_rebuilt_after_a_schema_version_change_but_not_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let first = SearchIndex::open(dir.path()).unwrap();
    assert!(first.needs_rebuild(), "a new index is empty");
    first
        .rebuild([doc(1, "Le volcan", "")].into_iter())
        .unwrap();
    assert!(!first.needs_rebuild());
    drop(first);
    let reopened = SearchIndex::open(dir.path()).unwrap();
    assert!(!reopened.needs_rebuild());
    assert_eq!(reopened.search(&text("volcan")).unwrap().total, 1);
    drop(reopened);
    fs::write(dir.path().join("preau-schema-version"), "0").unwrap();
    let upgraded = SearchIndex::open(dir.path()).unwrap();
    assert!(upgraded.needs_rebuild());
    assert_eq!(upgraded.search(&text("")).unwrap().total, 0);
}

#[test]
fn an_index_never_completely_fed_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let first = SearchIndex::open(dir.path()).unwrap();
    first.upsert(&doc(1, "Le volcan", "")).unwrap();
    drop(first);
    assert!(SearchIndex::open(dir.path()).unwrap().needs_rebuild());
}

#[test]
fn a_corrupt_index_directory_is_recreated() {
    let dir = tempfile::tempdir().unwrap();
    let first = SearchIndex::open(dir.path()).unwrap();
    first
        .rebuild([doc(1, "Le volcan", "")].into_iter())
        .unwrap();
    drop(first);
    fs::write(dir.path().join("meta.json"), "{ not json").unwrap();
    let recreated = SearchIndex::open(dir.path()).unwrap();
    assert!(recreated.needs_rebuild());
    recreated
        .rebuild([doc(2, "Le séisme", "")].into_iter())
        .unwrap();
    assert_eq!(ids(&recreated.search(&text("")).unwrap()), vec![2]);
}

#[test]
fn recreating_the_resource_index_leaves_the_mail_index_in_its_subdirectory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let resources = SearchIndex::open(dir.path()).expect("opens");
    resources
        .rebuild([doc(1, "Le volcan", "")].into_iter())
        .expect("rebuilds");
    let mail = MailIndex::open(&dir.path().join("mail")).expect("opens");
    let message = MailDoc {
        id: 7,
        holders: vec![3],
        subject: "Le volcan".to_owned(),
        body: String::new(),
        sender: String::new(),
        recipients: Vec::new(),
        attachments: Vec::new(),
    };
    mail.rebuild([message].into_iter()).expect("rebuilds");
    drop((resources, mail));
    fs::write(dir.path().join("meta.json"), "{ not json").expect("written");
    assert!(SearchIndex::open(dir.path())
        .expect("opens")
        .needs_rebuild());
    let mail = MailIndex::open(&dir.path().join("mail")).expect("reopens");
    assert!(!mail.needs_rebuild());
    assert_eq!(mail.search(3, "volcan", 10).expect("searches"), [7]);
}

#[test]
fn equal_scores_come_in_id_order_whatever_the_indexing_order() {
    let same = |id| SearchDoc {
        updated_at: 1_700_000_000,
        ..doc(id, "Le cycle de l'eau", "Évaporation et pluie")
    };
    // Indexed 3, 1, 2 (an update re-adds a document last), then rebuilt 1, 2, 3.
    let (_dir, index) = index_with(vec![same(3), same(1)]);
    index.upsert(&same(2)).unwrap();
    let before_words = ids(&index.search(&text("eau")).unwrap());
    let before_date = ids(&index.search(&text("")).unwrap());
    index
        .rebuild([same(1), same(2), same(3)].into_iter())
        .unwrap();
    assert_eq!(ids(&index.search(&text("eau")).unwrap()), before_words);
    assert_eq!(ids(&index.search(&text("")).unwrap()), before_date);
    assert_eq!(before_words, vec![3, 2, 1], "ties go to the newer resource");
    assert_eq!(before_date, vec![3, 2, 1]);
}
