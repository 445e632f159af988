//! The renderer and the parser without a server: shipped and hand-made schemas, the
//! validator's real errors, and render → post → parse round trips of the fixtures.

mod browser;
mod handmade;
mod nil_return;
mod shipped;

use serde_json::Value;

use super::{AgencyOption, FieldError, FormContext, Locale, render};

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read_json(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn shipped_schema(key: &str) -> Value {
    read_json(&root().join(format!("schemas/{key}.schema.json")))
}

/// The registered agencies of the fixtures, as the page would pass them.
fn agencies() -> Vec<AgencyOption> {
    let listed = read_json(&root().join("tests/fixtures/agencies.json"));
    let items = listed
        .as_array()
        .or_else(|| listed["agencies"].as_array())
        .expect("agencies.json lists agencies");
    items
        .iter()
        .map(|a| AgencyOption {
            code: a["code"].as_str().unwrap().to_owned(),
            name: a["name_fa"]
                .as_str()
                .or_else(|| a["name"].as_str())
                .unwrap_or_default()
                .to_owned(),
        })
        .collect()
}

fn context(agencies: &[AgencyOption]) -> FormContext<'_> {
    FormContext {
        locale: Locale::Fa,
        agencies,
        action: "/tasks/x",
    }
}

fn html(schema: &Value, data: &Value, errors: &[FieldError]) -> String {
    let agencies = agencies();
    render(schema, data, errors, &context(&agencies)).into_string()
}

/// `id="…"` appears exactly once.
fn assert_one_id(page: &str, id: &str) {
    let count = page.matches(&format!(" id=\"{id}\"")).count();
    assert_eq!(count, 1, "id {id} appears {count} times");
}

/// Every `<input>`, `<select>` and `<textarea>` that people fill has a `<label for>` or
/// sits inside a `<label>`.
fn assert_every_control_is_labelled(page: &str) {
    for tag in ["<input", "<select", "<textarea"] {
        for (at, _) in page.match_indices(tag) {
            let element = &page[at..at + page[at..].find('>').unwrap()];
            if element.contains("type=\"hidden\"") {
                continue;
            }
            let id = browser::attribute(element, "id").expect("a control without an id");
            let wrapped = page[..at].rfind("<label").is_some_and(|l| {
                page[l..at].find("</label>").is_none()
                    && page[l..at].contains(&format!("for=\"{id}\""))
            });
            assert!(
                wrapped || page.contains(&format!("for=\"{id}\"")),
                "no label for {element}"
            );
        }
    }
}
