//! Where a document names agencies. A form marks an agency code by referring to its own
//! `$defs/AgencyRef`; walking the document alongside its schema finds every such value with
//! its JSON Pointer, whatever the form. The pattern in the schema only checks a code's shape;
//! whether the agency exists is the registry's answer, so the caller checks these.
//!
//! Pure; follows local `$ref`s only, and at most [`MAX_DEPTH`](super::MAX_DEPTH) levels.

use std::collections::BTreeMap;

use serde_json::Value;

/// The values an AgencyRef field may hold that are not agency codes.
pub const NOT_AGENCIES: [&str; 2] = ["unknown", "any_with_legal_basis"];

const AGENCY_REF: &str = "#/$defs/AgencyRef";

/// Every agency code in `data`, as (JSON Pointer, code), in document order. `unknown` and
/// `any_with_legal_basis` are left out: they are allowed values, not codes.
pub fn agency_refs(schema: &Value, data: &Value) -> Vec<(String, String)> {
    let mut found = BTreeMap::new();
    visit(schema, schema, data, &mut String::new(), 0, &mut found);
    let mut refs: Vec<(String, String)> = found.into_iter().collect();
    // BTreeMap orders "/needs/10" before "/needs/2"; report in document order instead.
    refs.sort_by_key(|(pointer, _)| pointer_order(pointer));
    refs
}

fn pointer_order(pointer: &str) -> Vec<(u64, String)> {
    pointer
        .split('/')
        .map(|part| (part.parse().unwrap_or(u64::MAX), part.to_string()))
        .collect()
}

fn resolve<'s>(root: &'s Value, node: &'s Value) -> Option<&'s Value> {
    let mut node = node;
    for _ in 0..16 {
        match node.get("$ref").and_then(Value::as_str) {
            Some(reference) if reference != AGENCY_REF => {
                node = root.pointer(reference.strip_prefix('#')?)?;
            }
            _ => return Some(node),
        }
    }
    None
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn visit(
    root: &Value,
    node: &Value,
    data: &Value,
    path: &mut String,
    depth: usize,
    found: &mut BTreeMap<String, String>,
) {
    let Some(node) = resolve(root, node) else {
        return;
    };
    if depth > super::MAX_DEPTH {
        return;
    }
    if node.get("$ref").and_then(Value::as_str) == Some(AGENCY_REF) {
        if let Some(code) = data.as_str().filter(|c| !NOT_AGENCIES.contains(c)) {
            found.insert(path.clone(), code.to_string());
        }
        return;
    }
    for combinator in ["anyOf", "oneOf", "allOf"] {
        for branch in node[combinator].as_array().into_iter().flatten() {
            visit(root, branch, data, path, depth + 1, found);
        }
    }
    let len = path.len();
    match data {
        Value::Object(fields) => {
            for (key, value) in fields {
                if let Some(child) = node.get("properties").and_then(|p| p.get(key)) {
                    path.push('/');
                    path.push_str(&escape(key));
                    visit(root, child, value, path, depth + 1, found);
                    path.truncate(len);
                }
            }
        }
        Value::Array(items) => {
            if let Some(child) = node.get("items") {
                for (index, item) in items.iter().enumerate() {
                    path.push_str(&format!("/{index}"));
                    visit(root, child, item, path, depth + 1, found);
                    path.truncate(len);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn schema(name: &str) -> Value {
        let path = format!("{}/schemas/{name}.schema.json", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn inventory_provider_and_consumer_codes_are_found() {
        let data = json!({
            "needs": [{"provider_agency": "MIMT"}, {"provider_agency": "unknown"}, {"provider_agency": "XYZ"}],
            "offers": [{"consumer_agencies": ["CBI", "NOPE"]}, {"consumer_agencies": "any_with_legal_basis"}],
        });
        let refs = agency_refs(&schema("data-exchange-inventory"), &data);
        let expected = [
            ("/needs/0/provider_agency", "MIMT"),
            ("/needs/2/provider_agency", "XYZ"),
            ("/offers/0/consumer_agencies/0", "CBI"),
            ("/offers/0/consumer_agencies/1", "NOPE"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(p, c)| (p.to_string(), c.to_string()))
            .collect();
        assert_eq!(refs, expected);
    }

    #[test]
    fn service_card_codes_are_found_at_every_depth() {
        let data = json!({"services": [{
            "provider_agency": "INSO",
            "supervising_agency": "MIMT",
            "inquiries": [{"provider_agency": "NOCR"}, {"provider_agency": "AAA"}],
            "steps": [{"actor_agency": "POST"}],
            "title_fa": "MIMT",
        }]});
        let refs = agency_refs(&schema("service-identity-cards"), &data);
        let pointers: Vec<&str> = refs.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/services/0/inquiries/0/provider_agency",
                "/services/0/inquiries/1/provider_agency",
                "/services/0/provider_agency",
                "/services/0/steps/0/actor_agency",
                "/services/0/supervising_agency",
            ]
        );
    }

    #[test]
    fn document_order_puts_ten_after_two() {
        let needs: Vec<Value> = (0..11)
            .map(|_| json!({"provider_agency": "MIMT"}))
            .collect();
        let refs = agency_refs(
            &schema("data-exchange-inventory"),
            &json!({"needs": needs, "offers": []}),
        );
        assert_eq!(refs[2].0, "/needs/2/provider_agency");
        assert_eq!(refs[10].0, "/needs/10/provider_agency");
    }
}
