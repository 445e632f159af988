//! The posted form back to a JSON document, read along the same schema the form was
//! rendered from.
//!
//! Empty optional fields are left out; numbers accept Persian and Arabic-Indic digits;
//! dates are stored as `1405-09-30`; an agency may be typed as its code or its name. A
//! value that cannot be read is kept as typed (so the page shows it again) and reported
//! at its field: the document then fails validation there too, so nothing typed is lost
//! and nothing unreadable slips through.

use std::collections::BTreeMap;
use std::str::FromStr;

use serde_json::{Map, Number, Value};

use super::ops::ArrayOp;
use super::schema::{ANSWER_FIELD, Choice, Field, Kind, escape, form_value};
use super::text::{self, Phrase, ascii_digits, plain_digits};
use super::{FieldError, FormContext};
use crate::calendar::JalaliDate;
use crate::forms::{NOTHING_TO_DECLARE, admits_nil_return};

/// Deeper than this the posted names are ignored (the validator refuses such documents).
const MAX_DEPTH: usize = 64;

/// What a posted form says.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub data: Value,
    /// Values that could not be read, at their fields.
    pub errors: Vec<FieldError>,
    /// The array button that was pressed, if any.
    pub op: Option<ArrayOp>,
}

/// Posted values under one pointer prefix.
#[derive(Debug, Default)]
struct Posted {
    values: Vec<String>,
    children: BTreeMap<String, Posted>,
}

/// The form's own fields beside the values.
#[derive(Default)]
struct Meta {
    /// `len:` fields: the number of items, `None` for a list the document did not have.
    lens: BTreeMap<String, Option<usize>>,
    choices: BTreeMap<String, String>,
    /// The answer chosen in a form that admits a nil return.
    answer: Option<String>,
}

/// Reads `fields` (name → value, in the order posted) along `schema`.
pub fn parse(schema: &Value, fields: &[(String, String)], ctx: &FormContext) -> Parsed {
    let mut posted = Posted::default();
    let mut meta = Meta::default();
    let mut op = None;
    for (name, value) in fields {
        if let Some(pointer) = name.strip_prefix("len:") {
            let len = ascii_digits(value).trim().parse().ok();
            meta.lens.insert(pointer.to_owned(), len);
        } else if let Some(pointer) = name.strip_prefix("choice:") {
            meta.choices.insert(pointer.to_owned(), value.clone());
        } else if name == "op" {
            op = ArrayOp::parse(value);
        } else if name == ANSWER_FIELD {
            meta.answer = Some(value.clone());
        } else if name.starts_with('/') {
            posted.insert(name, value.clone());
        }
    }
    let reader = Reader {
        root: schema,
        ctx,
        meta,
        errors: std::cell::RefCell::default(),
    };
    let root = Field::read(schema, schema);
    // The document itself is there even when nothing in it was filled in.
    let mut data = reader.properties(&root, "", Some(&posted), 0);
    if admits_nil_return(schema) {
        data = chosen_answer(data, reader.meta.answer.as_deref());
    }
    let data = Value::Object(data);
    Parsed {
        data,
        errors: reader.errors.take(),
        op,
    }
}

/// Only the part of the form the person chose: the nil return (kept even with its reason
/// left blank, so that the validator asks for the reason at its field), or the lists.
fn chosen_answer(mut data: Map<String, Value>, answer: Option<&str>) -> Map<String, Value> {
    let nil = data.remove(NOTHING_TO_DECLARE);
    if answer != Some(NOTHING_TO_DECLARE) {
        return data;
    }
    let nil = nil.unwrap_or_else(|| Value::Object(Map::new()));
    Map::from_iter([(NOTHING_TO_DECLARE.to_owned(), nil)])
}

impl Posted {
    fn insert(&mut self, pointer: &str, value: String) {
        let mut node = self;
        for (depth, segment) in pointer.split('/').skip(1).enumerate() {
            if depth > MAX_DEPTH {
                return;
            }
            let key = segment.replace("~1", "/").replace("~0", "~");
            node = node.children.entry(key).or_default();
        }
        node.values.push(value);
    }

    /// The value that counts: the last one (a checkbox after its hidden default).
    fn last(&self) -> Option<&str> {
        self.values.last().map(String::as_str)
    }
}

struct Reader<'a, 's> {
    root: &'s Value,
    ctx: &'a FormContext<'a>,
    meta: Meta,
    errors: std::cell::RefCell<Vec<FieldError>>,
}

impl<'s> Reader<'_, 's> {
    fn value(
        &self,
        field: &Field<'s>,
        pointer: &str,
        posted: Option<&Posted>,
        depth: usize,
    ) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        match &field.kind {
            Kind::Object => self.object(field, pointer, posted, depth),
            Kind::Array { items } => self.array(items, pointer, posted, depth),
            Kind::Alternative { consts, main } => {
                let chosen = self.meta.choices.get(pointer).and_then(|c| {
                    let index: usize = c.strip_prefix('c')?.parse().ok()?;
                    consts.get(index)
                });
                match chosen {
                    Some(choice) => Some(choice.value.clone()),
                    None => self.value(&Field::read(self.root, main), pointer, posted, depth),
                }
            }
            _ => self.scalar(field, pointer, posted?.last()?),
        }
    }

    /// The object's posted properties; `None` when none was filled in. A required
    /// property that is an object is kept even when empty, so that the validator names
    /// its missing fields rather than the object.
    fn object(
        &self,
        field: &Field<'s>,
        pointer: &str,
        posted: Option<&Posted>,
        depth: usize,
    ) -> Option<Value> {
        let object = Value::Object(self.properties(field, pointer, posted, depth));
        (!is_blank(&object)).then_some(object)
    }

    fn properties(
        &self,
        field: &Field<'s>,
        pointer: &str,
        posted: Option<&Posted>,
        depth: usize,
    ) -> Map<String, Value> {
        let mut map = Map::new();
        for (name, schema) in field.properties() {
            let child = Field::read(self.root, schema);
            let at = format!("{pointer}/{}", escape(name));
            let node = posted.and_then(|p| p.children.get(name));
            let required = field.is_required(name);
            let value = match self.value(&child, &at, node, depth + 1) {
                Some(value) if required || worth_keeping(&child, &value) => Some(value),
                None if required && matches!(child.kind, Kind::Object) => {
                    Some(Value::Object(Map::new()))
                }
                // A required list the page showed is there, even empty: the validator
                // then says how many items it needs, at the list.
                None if required && self.meta.lens.contains_key(&at) => {
                    Some(Value::Array(Vec::new()))
                }
                _ => None,
            };
            if let Some(value) = value {
                map.insert(name.to_owned(), value);
            }
        }
        map
    }

    /// Items `0..len:` in order. An object item left empty stays (as `{}`), a text item
    /// left empty stays as `""`: rows the person added are not dropped behind their back.
    /// Enum items come from checkboxes: those checked, in the data's order, then new ones.
    fn array(
        &self,
        items: &'s Value,
        pointer: &str,
        posted: Option<&Posted>,
        depth: usize,
    ) -> Option<Value> {
        let item_field = Field::read(self.root, items);
        let len = self.meta.lens.get(pointer).copied();
        if matches!(len, None | Some(None)) && posted.is_none() {
            return None;
        }
        let len = len.flatten();
        let empty = Posted::default();
        let posted = posted.unwrap_or(&empty);
        let mut values = Vec::new();
        if let Kind::Choice(_) = item_field.kind {
            let mut indexed: Vec<(usize, &Posted)> = posted
                .children
                .iter()
                .filter_map(|(k, p)| Some((k.parse().ok()?, p)))
                .collect();
            indexed.sort_by_key(|(i, _)| *i);
            let appended = posted.children.get("-").map(|p| p.values.iter());
            let texts = indexed
                .iter()
                .filter_map(|(_, p)| p.last())
                .chain(appended.into_iter().flatten().map(String::as_str));
            for (i, text) in texts.enumerate() {
                let at = format!("{pointer}/{i}");
                values.extend(self.scalar(&item_field, &at, text));
            }
            return Some(Value::Array(values));
        }
        let len = len.unwrap_or_else(|| {
            let indexes = posted
                .children
                .keys()
                .filter_map(|k| k.parse::<usize>().ok());
            indexes.max().map_or(0, |n| n + 1)
        });
        for i in 0..len {
            let at = format!("{pointer}/{i}");
            let value = self.value(
                &item_field,
                &at,
                posted.children.get(&i.to_string()),
                depth + 1,
            );
            values.push(value.unwrap_or_else(|| match item_field.kind {
                Kind::Object => Value::Object(Map::new()),
                _ => Value::String(String::new()),
            }));
        }
        Some(Value::Array(values))
    }

    fn scalar(&self, field: &Field<'s>, pointer: &str, typed: &str) -> Option<Value> {
        let trimmed = typed.trim();
        if trimmed.is_empty() {
            return None;
        }
        let read = match &field.kind {
            Kind::Boolean => match trimmed {
                "true" => Ok(Value::Bool(true)),
                "false" => Ok(Value::Bool(false)),
                _ => Err(text::BAD_VALUE),
            },
            Kind::Integer => integer(trimmed),
            Kind::Number => number(trimmed),
            Kind::Date => date(trimmed),
            Kind::Agency(consts) => Ok(self.agency(consts, trimmed)),
            Kind::Choice(choices) => Ok(choice(choices, trimmed)),
            Kind::Text { ltr: true, .. } => Ok(Value::String(plain_digits(trimmed))),
            // Free text is kept exactly as typed (spaces included); only blank is empty.
            _ => Ok(Value::String(typed.to_owned())),
        };
        Some(read.unwrap_or_else(|message| {
            self.errors.borrow_mut().push(FieldError {
                pointer: pointer.to_owned(),
                message: message.get(self.ctx.locale).to_owned(),
            });
            Value::String(trimmed.to_owned())
        }))
    }

    /// A code, a constant (by value or title), or an agency's name; codes upper-cased.
    fn agency(&self, consts: &[Choice<'_>], typed: &str) -> Value {
        if let Some(c) = consts
            .iter()
            .find(|c| form_value(c.value).eq_ignore_ascii_case(typed) || c.title == typed)
        {
            return c.value.clone();
        }
        if let Some(agency) = self.ctx.agencies.iter().find(|a| a.name == typed) {
            return Value::String(agency.code.clone());
        }
        Value::String(plain_digits(typed).to_ascii_uppercase())
    }
}

fn choice(choices: &[Choice<'_>], typed: &str) -> Value {
    choices
        .iter()
        .find(|c| form_value(c.value) == typed)
        .map_or_else(|| Value::String(typed.to_owned()), |c| c.value.clone())
}

fn integer(typed: &str) -> Result<Value, Phrase> {
    let ascii = ascii_digits(typed);
    if let Ok(n) = ascii.parse::<i64>() {
        return Ok(Value::from(n));
    }
    match ascii.parse::<f64>() {
        // "12.0" is an integer to JSON Schema; store it as one.
        Ok(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Value::from(f as i64)),
        _ => Err(text::BAD_INTEGER),
    }
}

fn number(typed: &str) -> Result<Value, Phrase> {
    let ascii = ascii_digits(typed);
    if let Ok(n) = ascii.parse::<i64>() {
        return Ok(Value::from(n));
    }
    ascii
        .parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map(Value::Number)
        .ok_or(text::BAD_NUMBER)
}

/// `۱۴۰۵/۹/۳۰`, `1405-09-30` or `30/09/1405` as `1405-09-30`, if it is a real day.
fn date(typed: &str) -> Result<Value, Phrase> {
    let ascii = ascii_digits(typed);
    let parts: Vec<&str> = ascii.split(['/', '-', '.']).map(str::trim).collect();
    let [a, b, c] = parts.as_slice() else {
        return Err(text::BAD_DATE);
    };
    let (year, month, day) = if c.len() == 4 { (c, b, a) } else { (a, b, c) };
    let numbers = (year.parse::<u16>(), month.parse::<u8>(), day.parse::<u8>());
    let (Ok(year), Ok(month), Ok(day)) = numbers else {
        return Err(text::BAD_DATE);
    };
    let stored = format!("{year:04}-{month:02}-{day:02}");
    JalaliDate::from_str(&stored)
        .map(|_| Value::String(stored))
        .map_err(|_| text::BAD_DATE)
}

/// Whether an optional property's value stays: not a blank object, and not an empty list
/// that the schema would refuse for being empty.
fn worth_keeping(field: &Field<'_>, value: &Value) -> bool {
    match value {
        Value::Array(items) => !items.is_empty() || field.number("minItems").unwrap_or(0) == 0,
        other => !is_blank(other),
    }
}

/// An object with nothing in it but blank objects and empty lists, or an empty list.
fn is_blank(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.values().all(is_blank),
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}
