//! What changed between an agency's previous submission and its current one: a pure diff of
//! two JSON values, guided by the form's schema, as a tree the document renderer walks.
//!
//! How array items are paired decides what a reviewer sees, so the rule is the schema's:
//! - items that are objects with a `title` property (the inventory's needs and offers) are
//!   paired by title, whatever their position. An agency that adds a need at the top, or
//!   reorders its list, sees one added need, not every need after it "changed". A title
//!   that was edited reads as one item removed and one added, which is what the reviewer
//!   needs to look at anyway. Repeated titles are paired in order.
//! - other object items (data items, legal references) are paired by index: they have no
//!   identity of their own, and the position is how people refer to them.
//! - scalar items (lookup keys, agency codes) are compared as a multiset: their order carries
//!   no meaning in these forms, so reordering them is no change.

use std::collections::BTreeMap;

use serde_json::Value;

use super::schema::{Field, Schema};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Same,
    Added,
    Removed,
    Changed,
}

/// One value in both submissions. `before` is the previous submission's value, `after` the
/// current one's; at least one is present.
#[derive(Debug, Clone, PartialEq)]
pub struct Diff<'a> {
    pub before: Option<&'a Value>,
    pub after: Option<&'a Value>,
    pub change: Change,
    pub children: Children<'a>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Children<'a> {
    /// A scalar, or two values of different shapes compared whole.
    Leaf,
    Object(BTreeMap<&'a str, Diff<'a>>),
    Array(Vec<Item<'a>>),
}

/// An array item with where it stood in each submission, in the order shown: the current
/// submission's order, then the items it no longer has.
#[derive(Debug, Clone, PartialEq)]
pub struct Item<'a> {
    pub before_index: Option<usize>,
    pub after_index: Option<usize>,
    pub diff: Diff<'a>,
}

/// The diff of `before` and `after`, both documents of the form `schema` describes.
pub fn diff<'a>(schema: &Schema<'a>, before: &'a Value, after: &'a Value) -> Diff<'a> {
    node(schema, Some(schema.root()), Some(before), Some(after))
}

fn node<'a>(
    schema: &Schema<'a>,
    field: Option<Field<'a>>,
    before: Option<&'a Value>,
    after: Option<&'a Value>,
) -> Diff<'a> {
    let shape = after
        .or(before)
        .expect("a diff node has a value on one side");
    let field = field.map(|f| schema.for_value(f, shape));
    let both = |shape: fn(&Value) -> bool| before.is_none_or(shape) && after.is_none_or(shape);
    let children = if both(Value::is_object) {
        object(schema, field, before, after)
    } else if both(Value::is_array) {
        array(schema, field, before, after)
    } else {
        Children::Leaf
    };
    let change = match (before, after, &children) {
        (None, _, _) => Change::Added,
        (_, None, _) => Change::Removed,
        (Some(b), Some(a), Children::Leaf) if b == a => Change::Same,
        (_, _, Children::Leaf) => Change::Changed,
        (_, _, children) if children_changed(children) => Change::Changed,
        _ => Change::Same,
    };
    Diff {
        before,
        after,
        change,
        children,
    }
}

fn children_changed(children: &Children<'_>) -> bool {
    match children {
        Children::Leaf => false,
        Children::Object(fields) => fields.values().any(|d| d.change != Change::Same),
        Children::Array(items) => items.iter().any(|i| i.diff.change != Change::Same),
    }
}

fn object<'a>(
    schema: &Schema<'a>,
    field: Option<Field<'a>>,
    before: Option<&'a Value>,
    after: Option<&'a Value>,
) -> Children<'a> {
    let properties: BTreeMap<&str, Field<'a>> = field
        .map(|f| schema.properties(&f).into_iter().collect())
        .unwrap_or_default();
    let keys = |v: Option<&'a Value>| {
        v.and_then(Value::as_object)
            .into_iter()
            .flat_map(|m| m.keys().map(String::as_str))
    };
    let mut fields = BTreeMap::new();
    for key in keys(before).chain(keys(after)) {
        if fields.contains_key(key) {
            continue;
        }
        let child = node(
            schema,
            properties.get(key).copied(),
            before.and_then(|b| b.get(key)),
            after.and_then(|a| a.get(key)),
        );
        fields.insert(key, child);
    }
    Children::Object(fields)
}

fn array<'a>(
    schema: &Schema<'a>,
    field: Option<Field<'a>>,
    before: Option<&'a Value>,
    after: Option<&'a Value>,
) -> Children<'a> {
    let items = |v: Option<&'a Value>| -> &'a [Value] {
        v.and_then(Value::as_array).map_or(&[], Vec::as_slice)
    };
    let (before_items, after_items) = (items(before), items(after));
    let items_field = field.and_then(|f| schema.items(&f));
    let by_title = field.is_some_and(|f| schema.items_have_title(&f));
    let scalars = before_items
        .iter()
        .chain(after_items)
        .all(|v| !v.is_object() && !v.is_array());
    let pairs = if by_title {
        pair_by(before_items, after_items, |a, b| {
            a["title"].is_string() && a["title"] == b["title"]
        })
    } else if scalars {
        pair_by(before_items, after_items, |a, b| a == b)
    } else {
        pair_by_index(before_items.len(), after_items.len())
    };
    let paired = pairs
        .into_iter()
        .map(|(b, a)| Item {
            before_index: b,
            after_index: a,
            diff: node(
                schema,
                items_field,
                b.map(|i| &before_items[i]),
                a.map(|i| &after_items[i]),
            ),
        })
        .collect();
    Children::Array(paired)
}

type Pair = (Option<usize>, Option<usize>);

/// Pairs every current item with the first unpaired previous item that `same` matches;
/// the unpaired previous items follow, in their order.
fn pair_by(before: &[Value], after: &[Value], same: impl Fn(&Value, &Value) -> bool) -> Vec<Pair> {
    let mut taken = vec![false; before.len()];
    let mut pairs = Vec::with_capacity(after.len());
    for (a, item) in after.iter().enumerate() {
        let found = (0..before.len()).find(|&b| !taken[b] && same(&before[b], item));
        if let Some(b) = found {
            taken[b] = true;
        }
        pairs.push((found, Some(a)));
    }
    pairs.extend(
        (0..before.len())
            .filter(|&b| !taken[b])
            .map(|b| (Some(b), None)),
    );
    pairs
}

fn pair_by_index(before: usize, after: usize) -> Vec<Pair> {
    (0..before.max(after))
        .map(|i| ((i < before).then_some(i), (i < after).then_some(i)))
        .collect()
}

/// Every place that changed, outermost first, as (JSON Pointer, change): an added or removed
/// subtree is one entry, a changed object or array is looked into. Pointers name the current
/// submission, or the previous one for what was removed.
pub fn changes(diff: &Diff<'_>) -> Vec<(String, Change)> {
    let mut found = Vec::new();
    collect(diff, &mut String::new(), &mut found);
    found
}

fn collect(diff: &Diff<'_>, path: &mut String, found: &mut Vec<(String, Change)>) {
    let descend = diff.change == Change::Changed && diff.children != Children::Leaf;
    if !descend {
        if diff.change != Change::Same {
            found.push((path.clone(), diff.change));
        }
        return;
    }
    let len = path.len();
    match &diff.children {
        Children::Leaf => {}
        Children::Object(fields) => {
            for (key, child) in fields {
                path.push('/');
                path.push_str(&key.replace('~', "~0").replace('/', "~1"));
                collect(child, path, found);
                path.truncate(len);
            }
        }
        Children::Array(items) => {
            for item in items {
                let index = item.after_index.or(item.before_index).unwrap_or_default();
                path.push('/');
                path.push_str(&index.to_string());
                collect(&item.diff, path, found);
                path.truncate(len);
            }
        }
    }
}
