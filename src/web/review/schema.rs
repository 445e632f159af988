//! Reading a form's JSON Schema (2020-12) for display: local `$ref`s followed, the label a
//! field shows (its `title`; an enum value's `oneOf`/`anyOf` `{const, title}`), the order its
//! properties are shown in, and which fields hold agency codes or Jalali dates.
//!
//! Pure and forgiving: a schema the registry accepted is assumed, and anything this module
//! does not understand falls back to showing the value as it is.

use serde_json::Value;

/// A form marks an agency code by referring to its own `$defs/AgencyRef` (as
/// `forms::agency_refs` reads it), and a Solar Hijri date by `$defs/JalaliDate`.
const AGENCY_REF: &str = "#/$defs/AgencyRef";
const JALALI_DATE: &str = "#/$defs/JalaliDate";

/// How far `$ref` chains are followed; a cycle stops here instead of looping.
const MAX_REFS: usize = 16;

/// What a value means beyond its JSON type, for showing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Plain,
    Agency,
    JalaliDate,
}

/// A schema node with its `$ref`s followed. The title and description nearest to the use
/// win: `{"$ref": "#/$defs/Contact", "title": "رابط"}` is labelled «رابط».
#[derive(Debug, Clone, Copy)]
pub struct Field<'s> {
    pub node: &'s Value,
    pub title: Option<&'s str>,
    pub description: Option<&'s str>,
    pub kind: Kind,
}

/// The schema a whole form is read with: the root, which local `$ref`s point into.
#[derive(Debug, Clone, Copy)]
pub struct Schema<'s> {
    root: &'s Value,
}

impl<'s> Schema<'s> {
    pub fn new(root: &'s Value) -> Self {
        Schema { root }
    }

    pub fn root(&self) -> Field<'s> {
        self.field(self.root)
    }

    /// `node` with its `$ref` chain followed.
    pub fn field(&self, node: &'s Value) -> Field<'s> {
        let mut field = Field {
            node,
            title: None,
            description: None,
            kind: Kind::Plain,
        };
        let mut node = node;
        for _ in 0..MAX_REFS {
            field.title = field.title.or(node["title"].as_str());
            field.description = field.description.or(node["description"].as_str());
            let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
                break;
            };
            match reference {
                AGENCY_REF => field.kind = Kind::Agency,
                JALALI_DATE => field.kind = Kind::JalaliDate,
                _ => {}
            }
            match reference
                .strip_prefix('#')
                .and_then(|pointer| self.root.pointer(pointer))
            {
                Some(target) => node = target,
                None => break,
            }
        }
        field.node = node;
        field
    }

    /// The field as it applies to `value`: where the node offers alternatives (`anyOf` /
    /// `oneOf` with no type of its own, like `provider_agency`: an AgencyRef or
    /// `"unknown"`), the branch `value` fits, keeping the outer title.
    pub fn for_value(&self, field: Field<'s>, value: &Value) -> Field<'s> {
        if field.node.get("type").is_some() || field.node.get("properties").is_some() {
            return field;
        }
        // A branch that names the value itself wins over one that merely admits its type.
        let branch = branches(field.node)
            .map(|branch| self.field(branch))
            .find(|branch| branch.node.get("const") == Some(value))
            .or_else(|| {
                branches(field.node)
                    .map(|branch| self.field(branch))
                    .find(|branch| fits(branch.node, value))
            });
        match branch {
            Some(branch) => Field {
                node: branch.node,
                title: field.title.or(branch.title),
                description: field.description.or(branch.description),
                kind: if field.kind == Kind::Plain {
                    branch.kind
                } else {
                    field.kind
                },
            },
            None => field,
        }
    }

    /// The label of an enum value: the `title` of the `{const, title}` branch that holds it,
    /// looked for in the node's `oneOf`/`anyOf` and, one level down, in theirs.
    pub fn value_label(&self, field: &Field<'s>, value: &Value) -> Option<&'s str> {
        let mut pending: Vec<&'s Value> = branches(field.node).collect();
        for _ in 0..2 {
            let mut deeper = Vec::new();
            for branch in pending {
                let branch = self.field(branch);
                if branch.node.get("const") == Some(value)
                    && let Some(title) = branch.title
                {
                    return Some(title);
                }
                deeper.extend(branches(branch.node));
            }
            pending = deeper;
        }
        None
    }

    /// The schema of an array's items.
    pub fn items(&self, field: &Field<'s>) -> Option<Field<'s>> {
        field.node.get("items").map(|items| self.field(items))
    }

    /// An object's properties in the order shown: the required ones in the order the schema
    /// lists them (a form's authors list the essentials there, first things first), then the
    /// optional ones. The order of `properties` itself is not kept by `serde_json`'s map.
    pub fn properties(&self, field: &Field<'s>) -> Vec<(&'s str, Field<'s>)> {
        let Some(properties) = field.node["properties"].as_object() else {
            return Vec::new();
        };
        let required: Vec<&str> = field.node["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut ordered: Vec<(&'s str, Field<'s>)> = Vec::with_capacity(properties.len());
        for name in &required {
            if let Some((key, node)) = properties.get_key_value(*name) {
                ordered.push((key.as_str(), self.field(node)));
            }
        }
        for (key, node) in properties {
            if !required.contains(&key.as_str()) {
                ordered.push((key.as_str(), self.field(node)));
            }
        }
        ordered
    }

    /// Whether an array's items are objects with a `title` property: then items are told
    /// apart by their title (see `diff`).
    pub fn items_have_title(&self, field: &Field<'s>) -> bool {
        self.items(field)
            .is_some_and(|items| items.node["properties"].get("title").is_some())
    }
}

fn branches(node: &Value) -> impl Iterator<Item = &Value> {
    ["oneOf", "anyOf"]
        .into_iter()
        .flat_map(move |combinator| node[combinator].as_array().into_iter().flatten())
}

/// Whether `value` could be an instance of `node`, judged by `const`, `enum` and `type` only
/// (enough to pick a branch for display; validation is the registry's job).
fn fits(node: &Value, value: &Value) -> bool {
    if let Some(constant) = node.get("const") {
        return constant == value;
    }
    if let Some(values) = node["enum"].as_array() {
        return values.contains(value);
    }
    match node["type"].as_str() {
        Some("object") => value.is_object(),
        Some("array") => value.is_array(),
        Some("string") => value.is_string(),
        Some("boolean") => value.is_boolean(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("null") => value.is_null(),
        _ => true,
    }
}
