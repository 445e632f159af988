//! Arrays where a body's type expects an object. serde reads a struct from an array of its
//! fields in order, so `{"agencies": [["X1", "name"]]}` would pass for a list of agencies
//! although the contract (and the OpenAPI document) says each is an object. A body read
//! into its type is checked against that type's JSON Schema — the one the OpenAPI document
//! publishes — for an array where no schema the value may follow accepts one.

use std::any::TypeId;
use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{Arc, LazyLock, Mutex};

use schemars::JsonSchema;
use serde_json::Value;

/// Each body type's schema, generated on its first request.
static SCHEMAS: LazyLock<Mutex<HashMap<TypeId, Arc<Value>>>> = LazyLock::new(Default::default);

fn schema_of<T: JsonSchema + 'static>() -> Arc<Value> {
    let mut schemas = SCHEMAS.lock().expect("body schemas lock");
    let schema = schemas.entry(TypeId::of::<T>()).or_insert_with(|| {
        let generator = schemars::SchemaGenerator::default();
        Arc::new(generator.into_root_schema_for::<T>().to_value())
    });
    schema.clone()
}

/// The JSON Pointer of the first array in `body` where `T` expects an object.
pub(super) fn misplaced_array<T: JsonSchema + 'static>(body: &Value) -> Option<String> {
    let root = schema_of::<T>();
    let mut at = String::new();
    find(&root, &root, body, &mut at).then_some(at)
}

/// Whether `value`, or a value inside it, is an array that `schema` does not accept;
/// `at` is left pointing at it.
fn find(root: &Value, schema: &Value, value: &Value, at: &mut String) -> bool {
    let branches = branches(root, schema);
    if value.is_array() && !branches.iter().any(|b| accepts_array(b)) {
        return true;
    }
    // Into the members only where one branch says what they are: under alternatives that
    // disagree, a value one refuses may be another's.
    let key = if value.is_array() {
        "items"
    } else {
        "properties"
    };
    let mut describing = branches.iter().filter_map(|b| b.get(key));
    let (Some(inner), None) = (describing.next(), describing.next()) else {
        return false;
    };
    let mut within = |segment: &dyn std::fmt::Display, schema: &Value, child: &Value| {
        let len = at.len();
        let _ = write!(at, "/{segment}");
        let found = find(root, schema, child, at);
        if !found {
            at.truncate(len);
        }
        found
    };
    match value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .any(|(i, child)| within(&i, inner, child)),
        Value::Object(members) => members.iter().any(|(name, child)| {
            let segment = name.replace('~', "~0").replace('/', "~1");
            inner
                .get(name)
                .is_some_and(|schema| within(&segment, schema, child))
        }),
        _ => false,
    }
}

/// `schema` with its references followed, and the alternatives and parts it is made of:
/// every schema a value of it may have to follow (each once, should references form a
/// loop).
fn branches<'s>(root: &'s Value, schema: &'s Value) -> Vec<&'s Value> {
    let mut found: Vec<&Value> = Vec::new();
    let mut pending = vec![schema];
    while let Some(schema) = pending.pop() {
        let schema = resolved(root, schema);
        if found.iter().any(|seen| std::ptr::eq(*seen, schema)) {
            continue;
        }
        found.push(schema);
        for combinator in ["anyOf", "oneOf", "allOf"] {
            if let Some(Value::Array(parts)) = schema.get(combinator) {
                pending.extend(parts);
            }
        }
    }
    found
}

/// `schema`, or the schema its `$ref` (a pointer into the root document) names.
fn resolved<'s>(root: &'s Value, schema: &'s Value) -> &'s Value {
    let mut schema = schema;
    for _ in 0..32 {
        match schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|pointer| root.pointer(pointer))
        {
            Some(target) => schema = target,
            None => break,
        }
    }
    schema
}

/// Whether a schema, taken alone, lets an array through: it names no type, or names
/// `array` among its types. (Its alternatives are branches of their own.)
fn accepts_array(schema: &Value) -> bool {
    if schema.get("anyOf").is_some() || schema.get("oneOf").is_some() {
        // Decided by its alternatives, which are branches too.
        return false;
    }
    match schema.get("type") {
        None => true,
        Some(Value::String(t)) => t == "array",
        Some(Value::Array(types)) => types.iter().any(|t| t == "array"),
        Some(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    #[derive(Deserialize, JsonSchema)]
    #[allow(dead_code)]
    struct Item {
        code: String,
        n: Option<u32>,
    }

    #[derive(Deserialize, JsonSchema)]
    #[serde(untagged)]
    #[allow(dead_code)]
    enum Listed {
        Codes(Vec<String>),
        One(Item),
    }

    #[derive(Deserialize, JsonSchema)]
    #[allow(dead_code)]
    struct Body {
        items: Vec<Item>,
        #[serde(default)]
        one: Option<Item>,
        #[serde(default)]
        any: Option<Value>,
        #[serde(default)]
        listed: Option<Listed>,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        nested: Option<Vec<Vec<String>>>,
    }

    fn at(body: Value) -> Option<String> {
        // Each case also reads into the type, as a request would before the check.
        assert!(
            serde_json::from_value::<Body>(body.clone()).is_ok(),
            "{body}"
        );
        misplaced_array::<Body>(&body)
    }

    #[test]
    fn an_array_where_a_struct_belongs_is_found_with_its_pointer() {
        assert_eq!(
            at(json!({"items": [["a", 1]]})).as_deref(),
            Some("/items/0")
        );
        let second = json!({"items": [{"code": "a"}, ["b", null]]});
        assert_eq!(at(second).as_deref(), Some("/items/1"));
        let optional = json!({"items": [{"code": "a"}], "one": ["a", 2]});
        assert_eq!(at(optional).as_deref(), Some("/one"));
        let untagged_object = json!({"items": [], "listed": {"code": "a", "n": 1}});
        assert_eq!(at(untagged_object), None);
    }

    #[test]
    fn alternatives_that_refer_to_each_other_end() {
        let root = json!({
            "$defs": {
                "A": {"anyOf": [{"$ref": "#/$defs/B"}, {"type": "object"}]},
                "B": {"anyOf": [{"$ref": "#/$defs/A"}, {"type": "string"}]}
            },
            "$ref": "#/$defs/A"
        });
        let mut at = String::new();
        assert!(find(&root, &root, &json!([1]), &mut at));
        assert!(!find(&root, &root, &json!({"a": [1]}), &mut at));
    }

    #[test]
    fn arrays_the_type_has_pass() {
        assert_eq!(at(json!({"items": []})), None);
        assert_eq!(at(json!({"items": [{"code": "a", "n": 3}]})), None);
        assert_eq!(at(json!({"items": [], "tags": ["x", "y"]})), None);
        assert_eq!(at(json!({"items": [], "nested": [["x"], []]})), None);
        // Any JSON at all, arrays included.
        assert_eq!(at(json!({"items": [], "any": [[1], {"a": [2]}]})), None);
        // One alternative of an untagged enum is a list.
        assert_eq!(at(json!({"items": [], "listed": ["a", "b"]})), None);
    }
}
