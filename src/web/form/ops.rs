//! The array buttons: add an item, remove one, move one up or down. Posted as
//! `op=add:/needs`, `op=remove:/needs/2`, `op=up:/needs/2`, `op=down:/needs/2`.

use serde_json::{Map, Value};

use super::schema::{Field, Kind, field_at, segments};

/// Empty items are made this deep at most (a schema may refer to itself).
const MAX_SKELETON_DEPTH: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArrayOp {
    /// Append an empty item to the array at the pointer.
    Add(String),
    /// The item at the pointer (`/needs/2`).
    Remove(String),
    Up(String),
    Down(String),
}

impl ArrayOp {
    pub fn parse(text: &str) -> Option<Self> {
        let (verb, pointer) = text.split_once(':')?;
        if !pointer.starts_with('/') {
            return None;
        }
        let pointer = pointer.to_owned();
        match verb {
            "add" => Some(ArrayOp::Add(pointer)),
            "remove" => Some(ArrayOp::Remove(pointer)),
            "up" => Some(ArrayOp::Up(pointer)),
            "down" => Some(ArrayOp::Down(pointer)),
            _ => None,
        }
    }

    /// The array the operation changes.
    pub fn array(&self) -> &str {
        match self {
            ArrayOp::Add(array) => array,
            ArrayOp::Remove(item) | ArrayOp::Up(item) | ArrayOp::Down(item) => {
                item.rsplit_once('/').map_or("", |(array, _)| array)
            }
        }
    }
}

/// Applies `op` to `data` within the schema's `minItems`/`maxItems`; false when it does not
/// apply (no such array or item, or a limit reached), leaving `data` as it was.
pub fn apply_op(schema: &Value, data: &mut Value, op: &ArrayOp) -> bool {
    let Some(field) = field_at(schema, op.array()) else {
        return false;
    };
    let Kind::Array { items } = field.kind else {
        return false;
    };
    let max = field.number("maxItems").unwrap_or(u64::MAX) as usize;
    let min = field.number("minItems").unwrap_or(0) as usize;
    if let ArrayOp::Add(pointer) = op {
        let Some(array) = array_at(data, pointer) else {
            return false;
        };
        if array.len() >= max {
            return false;
        }
        array.push(skeleton(schema, &Field::read(schema, items), 0));
        return true;
    }
    let (pointer, index) = match op {
        ArrayOp::Remove(item) | ArrayOp::Up(item) | ArrayOp::Down(item) => {
            match item.rsplit_once('/').map(|(a, i)| (a, i.parse::<usize>())) {
                Some((array, Ok(index))) => (array, index),
                _ => return false,
            }
        }
        ArrayOp::Add(_) => return false,
    };
    let Some(array) = data.pointer_mut(pointer).and_then(Value::as_array_mut) else {
        return false;
    };
    match op {
        ArrayOp::Remove(_) if index < array.len() && array.len() > min => {
            array.remove(index);
        }
        ArrayOp::Up(_) if index > 0 && index < array.len() => array.swap(index - 1, index),
        ArrayOp::Down(_) if index + 1 < array.len() => array.swap(index, index + 1),
        _ => return false,
    }
    true
}

/// The array at `pointer`, made (with the objects above it) when missing.
fn array_at<'d>(data: &'d mut Value, pointer: &str) -> Option<&'d mut Vec<Value>> {
    let mut node = data;
    let parts = segments(pointer);
    for (i, segment) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        node = match node {
            Value::Object(map) => map.entry(segment.clone()).or_insert_with(|| {
                if last {
                    Value::Array(Vec::new())
                } else {
                    Value::Object(Map::new())
                }
            }),
            Value::Array(items) => items.get_mut(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    node.as_array_mut()
}

/// A new, empty item: `{}` with the rows its required lists must have (a need starts
/// with one empty data item and one empty legal basis), `""` for a text item.
fn skeleton(root: &Value, field: &Field<'_>, depth: usize) -> Value {
    match field.kind {
        Kind::Object => {
            let mut map = Map::new();
            for (name, schema) in field.properties() {
                let child = Field::read(root, schema);
                let Kind::Array { items } = child.kind else {
                    continue;
                };
                let item = Field::read(root, items);
                let min = child.number("minItems").unwrap_or(0) as usize;
                if field.is_required(name)
                    && matches!(item.kind, Kind::Object)
                    && depth < MAX_SKELETON_DEPTH
                {
                    let rows = (0..min).map(|_| skeleton(root, &item, depth + 1)).collect();
                    map.insert(name.to_owned(), Value::Array(rows));
                }
            }
            Value::Object(map)
        }
        _ => Value::String(String::new()),
    }
}

/// The first list in `data` longer than its schema's `maxItems`: (pointer, length, max).
/// Such a document is refused before it is drawn (2,000 needs would be a page of
/// tens of megabytes), with a message that says which list.
pub fn oversized(schema: &Value, data: &Value) -> Option<(String, usize, u64)> {
    let mut stack = vec![(String::new(), data)];
    while let Some((pointer, value)) = stack.pop() {
        match value {
            Value::Array(items) => {
                let max = field_at(schema, &pointer).and_then(|f| f.number("maxItems"));
                if let Some(max) = max.filter(|m| items.len() as u64 > *m) {
                    return Some((pointer, items.len(), max));
                }
                let children = items.iter().enumerate();
                stack.extend(children.map(|(i, v)| (format!("{pointer}/{i}"), v)));
            }
            Value::Object(map) => {
                let children = map.iter();
                stack.extend(
                    children.map(|(k, v)| (format!("{pointer}/{}", super::schema::escape(k)), v)),
                );
            }
            _ => {}
        }
    }
    None
}
