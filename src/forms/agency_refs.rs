//! Where a document names agencies. A form marks an agency code by referring to its own
//! `$defs/AgencyRef`; walking the document alongside its schema finds every such value with
//! its JSON Pointer, whatever the form. The pattern in the schema only checks a code's shape;
//! whether the agency exists is the registry's answer, so the caller checks these.
//!
//! Pure; follows local `$ref`s only, and at most [`MAX_DEPTH`](super::MAX_DEPTH) levels.
//! A schema is an administrator's upload, so the walk must stay bounded whatever its shape:
//! each (schema node, document value) pair is visited once, so an `allOf` that refers to
//! itself, or a chain of `allOf`s each naming the next twice, costs one visit per pair
//! instead of doubling at every level.

use std::collections::{BTreeMap, HashSet};

use serde_json::Value;

/// The values an AgencyRef field may hold that are not agency codes.
pub const NOT_AGENCIES: [&str; 2] = ["unknown", "any_with_legal_basis"];

const AGENCY_REF: &str = "#/$defs/AgencyRef";

/// Every agency code in `data`, as (JSON Pointer, code), in document order. `unknown` and
/// `any_with_legal_basis` are left out: they are allowed values, not codes.
pub fn agency_refs(schema: &Value, data: &Value) -> Vec<(String, String)> {
    walk(schema, data).refs
}

/// What one walk found, and how many (schema node, value) pairs it visited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyRefWalk {
    pub refs: Vec<(String, String)>,
    pub visits: usize,
}

/// [`agency_refs`] with the number of visits the walk made.
pub fn walk(schema: &Value, data: &Value) -> AgencyRefWalk {
    let mut walker = Walker {
        root: schema,
        found: BTreeMap::new(),
        seen: HashSet::new(),
        visits: 0,
    };
    walker.visit(schema, data, &mut String::new(), 0);
    let mut refs: Vec<(String, String)> = walker.found.into_iter().collect();
    // BTreeMap orders "/needs/10" before "/needs/2"; report in document order instead.
    refs.sort_by_key(|(pointer, _)| pointer_order(pointer));
    AgencyRefWalk {
        refs,
        visits: walker.visits,
    }
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

struct Walker<'a> {
    root: &'a Value,
    found: BTreeMap<String, String>,
    /// (schema node, document value) pairs already walked, by address: walking a pair again
    /// finds nothing new.
    seen: HashSet<(*const Value, *const Value)>,
    visits: usize,
}

impl<'a> Walker<'a> {
    fn visit(&mut self, node: &'a Value, data: &Value, path: &mut String, depth: usize) {
        let Some(node) = resolve(self.root, node) else {
            return;
        };
        if depth > super::MAX_DEPTH || !self.seen.insert((node as *const _, data as *const _)) {
            return;
        }
        self.visits += 1;
        if node.get("$ref").and_then(Value::as_str) == Some(AGENCY_REF) {
            if let Some(code) = data.as_str().filter(|c| !NOT_AGENCIES.contains(c)) {
                self.found.insert(path.clone(), code.to_string());
            }
            return;
        }
        for combinator in ["anyOf", "oneOf", "allOf"] {
            for branch in node[combinator].as_array().into_iter().flatten() {
                self.visit(branch, data, path, depth + 1);
            }
        }
        let len = path.len();
        match data {
            Value::Object(fields) => {
                for (key, value) in fields {
                    if let Some(child) = node.get("properties").and_then(|p| p.get(key)) {
                        path.push('/');
                        path.push_str(&escape(key));
                        self.visit(child, value, path, depth + 1);
                        path.truncate(len);
                    }
                }
            }
            Value::Array(items) => {
                if let Some(child) = node.get("items") {
                    for (index, item) in items.iter().enumerate() {
                        path.push_str(&format!("/{index}"));
                        self.visit(child, item, path, depth + 1);
                        path.truncate(len);
                    }
                }
            }
            _ => {}
        }
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

    /// `A` is `allOf: [A, A]`: without the memo each level doubles the walk (2^64 visits).
    #[test]
    fn a_self_referencing_all_of_is_walked_once() {
        let schema = json!({
            "$defs": {"A": {"allOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/A"}]}},
            "$ref": "#/$defs/A"
        });
        let walked = walk(&schema, &json!({"x": 1}));
        assert!(walked.refs.is_empty());
        assert!(walked.visits <= 2, "{} visits", walked.visits);
    }

    /// A chain of 40 definitions, each naming the next twice: 2^40 paths to the last one.
    #[test]
    fn a_doubling_chain_of_all_ofs_stays_linear() {
        let mut defs = serde_json::Map::new();
        for n in 0..40 {
            let next = json!({"$ref": format!("#/$defs/D{}", n + 1)});
            defs.insert(format!("D{n}"), json!({"allOf": [next.clone(), next]}));
        }
        defs.insert(
            "D40".into(),
            json!({"properties": {"a": {"$ref": "#/$defs/AgencyRef"}}}),
        );
        defs.insert("AgencyRef".into(), json!({"type": "string"}));
        let schema = json!({"$defs": defs, "$ref": "#/$defs/D0"});
        let walked = walk(&schema, &json!({"a": "MIMT"}));
        assert_eq!(walked.refs, vec![("/a".to_string(), "MIMT".to_string())]);
        assert!(walked.visits <= 50, "{} visits", walked.visits);
    }
}
