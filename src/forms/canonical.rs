//! Canonical JSON and content hashes: the identity of a schema or definition version.
//!
//! Owns only the byte form that gets hashed. It must not depend on how serde_json
//! happens to order map keys: another crate in the build may switch on serde_json's
//! `preserve_order` feature (features unify), which would silently turn key order
//! in a YAML file into a new version. So keys are sorted here, explicitly.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// Hex SHA-256 of [`canonical_json`]: equal for documents that differ only in
/// whitespace, comments or key order; different for any change of content.
pub fn content_hash(value: &Value) -> String {
    hex::encode(Sha256::digest(canonical_json(value).as_bytes()))
}

/// Compact JSON with object keys sorted by their UTF-8 bytes.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

// Recursion is bounded by the parsers' own nesting limit (serde_json refuses more
// than 128 levels, yaml_serde likewise), and schemas/definitions come only from them.
fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(item, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_order_does_not_change_the_hash() {
        let a = json!({"b": 1, "a": {"y": [1, 2], "x": "é\"q"}});
        let b = json!({"a": {"x": "é\"q", "y": [1, 2]}, "b": 1});
        assert_eq!(canonical_json(&a), r#"{"a":{"x":"é\"q","y":[1,2]},"b":1}"#);
        assert_eq!(content_hash(&a), content_hash(&b));
    }

    #[test]
    fn any_change_of_content_changes_the_hash() {
        let a = json!({"a": [1, 2]});
        let b = json!({"a": [2, 1]});
        assert_ne!(content_hash(&a), content_hash(&b));
        assert_eq!(content_hash(&a).len(), 64);
    }
}
