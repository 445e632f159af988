//! The definition loader (`WorkflowDefinition::parse`, YAML and JSON, and `from_value`):
//! arbitrary text, shipped definitions with random damage, arbitrary JSON documents, and
//! the classic bombs (alias expansion, deep nesting), each refused quickly.

use std::path::Path;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use daftar::forms::FormRegistry;
use daftar::workflow::{Format, WorkflowDefinition};
use proptest::prelude::*;

use crate::{cases, json_value};

static FORMS: LazyLock<FormRegistry> = LazyLock::new(|| {
    let mut forms = FormRegistry::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    forms
        .load_dir(&root.join("schemas"))
        .expect("shipped forms load");
    forms
});

static SHIPPED: LazyLock<Vec<String>> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("workflows");
    let mut texts: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    texts.sort();
    texts
});

/// Parses within a time bound: a parse that takes seconds is a denial of service.
fn parse_quickly(text: &str, format: Format) {
    let started = Instant::now();
    let _ = WorkflowDefinition::parse("fuzz", text, format, &FORMS);
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(2),
        "parsing took {took:?}: {:.200}",
        text
    );
}

/// A shipped definition with some bytes replaced, inserted or cut.
fn damaged() -> impl Strategy<Value = String> {
    let edits = prop::collection::vec((any::<prop::sample::Index>(), 0..3u8, "\\PC{0,6}"), 1..8);
    (0..SHIPPED.len(), edits).prop_map(|(which, edits)| {
        let mut text: Vec<char> = SHIPPED[which].chars().collect();
        for (at, kind, insert) in edits {
            let at = at.index(text.len().max(1)).min(text.len());
            match kind {
                0 => {
                    text.splice(at..at, insert.chars());
                }
                1 => {
                    let end = (at + insert.len() + 1).min(text.len());
                    text.drain(at..end);
                }
                _ => {
                    let end = (at + insert.chars().count()).min(text.len());
                    text.splice(at..end, insert.chars());
                }
            }
        }
        text.into_iter().collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_is_refused_or_read_never_a_panic(text in "\\PC{0,400}") {
        parse_quickly(&text, Format::Yaml);
        parse_quickly(&text, Format::Json);
    }

    #[test]
    fn damaged_shipped_definitions_never_panic(text in damaged()) {
        parse_quickly(&text, Format::Yaml);
    }

    #[test]
    fn arbitrary_json_documents_never_panic(document in json_value()) {
        let _ = WorkflowDefinition::from_value("fuzz", document.clone(), &FORMS);
        parse_quickly(&document.to_string(), Format::Json);
    }
}

#[test]
fn an_alias_bomb_is_refused_quickly() {
    // Nine levels of nine aliases: 387,420,489 strings if expanded.
    let mut text = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    for pair in names.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 9].join(",");
        text.push_str(&format!("{}: &{} [{refs}]\n", pair[1], pair[1]));
    }
    parse_quickly(&text, Format::Yaml);
}

#[test]
fn deep_nesting_is_refused_quickly() {
    for depth in [1_000, 100_000] {
        parse_quickly(
            &format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
            Format::Yaml,
        );
        parse_quickly(
            &format!("{}{}", "{\"a\":".repeat(depth), "}".repeat(depth)),
            Format::Json,
        );
        parse_quickly(&"- ".repeat(depth), Format::Yaml);
        // Flow mappings used to take the YAML parser quadratic time (50,000 levels: 46 s).
        let mappings = format!("{}{}", "{a: ".repeat(depth), "}".repeat(depth));
        parse_quickly(&mappings, Format::Yaml);
    }
}
