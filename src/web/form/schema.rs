//! Reading a JSON Schema as a form: what widget each node becomes, its label, its help
//! text, its children in order. Shared by the renderer and the parser so that both see
//! the same fields. Local `$ref`s only; a chain longer than [`MAX_REF_HOPS`] or a
//! reference that does not resolve is read as a plain text field.

use serde_json::Value;

use crate::forms::{NOTHING_TO_DECLARE, admits_nil_return};

const MAX_REF_HOPS: usize = 16;
const AGENCY_REF: &str = "#/$defs/AgencyRef";
const JALALI_DATE: &str = "#/$defs/JalaliDate";

/// Strings at least this long are edited in a `<textarea>`.
const TEXTAREA_FROM: u64 = 1000;

/// One allowed value of an enum, with the title shown for it.
#[derive(Debug, Clone)]
pub(super) struct Choice<'s> {
    pub value: &'s Value,
    pub title: String,
}

#[derive(Debug, Clone)]
pub(super) enum Kind<'s> {
    Object,
    Array {
        items: &'s Value,
    },
    Choice(Vec<Choice<'s>>),
    /// An agency code, plus the constants allowed beside it (e.g. "unknown").
    Agency(Vec<Choice<'s>>),
    Date,
    Boolean,
    Integer,
    Number,
    Text {
        multiline: bool,
        ltr: bool,
    },
    /// `anyOf`/`oneOf` of constants and one other schema (e.g. a list of agencies or
    /// "any_with_legal_basis"): a choice between the constants and that schema.
    Alternative {
        consts: Vec<Choice<'s>>,
        main: &'s Value,
    },
}

/// A schema node read as a form field.
#[derive(Debug, Clone)]
pub(super) struct Field<'s> {
    /// The node after following `$ref`s (its keywords are the field's).
    pub node: &'s Value,
    pub title: Option<&'s str>,
    pub description: Option<&'s str>,
    /// The Persian help text (`x-help-fa`), where the schema gives one; an empty one means
    /// the field needs none in Persian (its options are labelled already).
    pub help_fa: Option<&'s str>,
    pub kind: Kind<'s>,
}

impl<'s> Field<'s> {
    /// Reads `node` of the schema `root`; the referring node's `title` and `description`
    /// win over the referred one's (`"needed_by": {"$ref": …JalaliDate, "title": …}`).
    pub fn read(root: &'s Value, node: &'s Value) -> Self {
        let mut title = None;
        let mut description = None;
        let mut help_fa = None;
        let mut current = node;
        let mut widget = None;
        for _ in 0..MAX_REF_HOPS {
            title = title.or_else(|| str_of(current, "title"));
            description = description.or_else(|| str_of(current, "description"));
            help_fa = help_fa.or_else(|| str_of(current, "x-help-fa"));
            let Some(reference) = str_of(current, "$ref") else {
                break;
            };
            // Help text of the shared definitions speaks to programmers (patterns, digits);
            // the form says it its own way.
            match reference {
                AGENCY_REF => widget = widget.or(Some(Widget::Agency)),
                JALALI_DATE => widget = widget.or(Some(Widget::Date)),
                _ => {}
            }
            if widget.is_some() {
                title = title.or_else(|| resolve(root, reference).and_then(|n| str_of(n, "title")));
                break;
            }
            match resolve(root, reference) {
                Some(next) => current = next,
                None => break,
            }
        }
        let kind = match widget {
            Some(Widget::Agency) => Kind::Agency(Vec::new()),
            Some(Widget::Date) => Kind::Date,
            None => kind_of(root, current),
        };
        Field {
            node: current,
            title,
            description,
            help_fa,
            kind,
        }
    }

    /// The help text to show in `locale`: Persian pages prefer `x-help-fa`.
    pub fn help(&self, locale: crate::web::i18n::Locale) -> Option<&'s str> {
        match (locale, self.help_fa) {
            (crate::web::i18n::Locale::Fa, Some(help)) => Some(help).filter(|h| !h.is_empty()),
            _ => self.description,
        }
    }

    /// The object's properties in display order: `x-order` first, then the `required`
    /// ones in their order, then the rest by name (serde_json keeps objects sorted).
    pub fn properties(&self) -> Vec<(&'s str, &'s Value)> {
        let Some(properties) = self.node.get("properties").and_then(Value::as_object) else {
            return Vec::new();
        };
        let mut names: Vec<&'s str> = Vec::with_capacity(properties.len());
        let listed = |key| {
            self.node
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
        };
        for name in listed("x-order")
            .chain(listed("required"))
            .chain(properties.keys().map(String::as_str))
        {
            if properties.contains_key(name) && !names.contains(&name) {
                names.push(name);
            }
        }
        names
            .into_iter()
            .filter_map(|name| properties.get_key_value(name))
            .map(|(name, schema)| (name.as_str(), schema))
            .collect()
    }

    /// Listed in `required`; or, in a form that admits a nil return, required by the answer
    /// with the lists (the `oneOf` branch that does not require `nothing_to_declare`): the
    /// form shows the lists' answer, and the nil return is chosen apart.
    pub fn is_required(&self, property: &str) -> bool {
        if requires(self.node, property) {
            return true;
        }
        if !admits_nil_return(self.node) {
            return false;
        }
        let branches = self.node.get("oneOf").and_then(Value::as_array);
        branches
            .into_iter()
            .flatten()
            .filter(|b| !requires(b, NOTHING_TO_DECLARE))
            .any(|b| requires(b, property))
    }

    pub fn number(&self, keyword: &str) -> Option<u64> {
        self.node.get(keyword).and_then(Value::as_u64)
    }
}

#[derive(Debug, Clone, Copy)]
enum Widget {
    Agency,
    Date,
}

fn requires(node: &Value, property: &str) -> bool {
    node.get("required")
        .and_then(Value::as_array)
        .is_some_and(|r| r.iter().any(|n| n.as_str() == Some(property)))
}

fn str_of<'s>(node: &'s Value, key: &str) -> Option<&'s str> {
    node.get(key).and_then(Value::as_str)
}

/// A local reference (`#/$defs/X`) inside `root`.
pub(super) fn resolve<'s>(root: &'s Value, reference: &str) -> Option<&'s Value> {
    root.pointer(reference.strip_prefix('#')?)
}

fn kind_of<'s>(root: &'s Value, node: &'s Value) -> Kind<'s> {
    let types = declared_types(node);
    if node.get("properties").is_some() || types.contains(&"object") {
        return Kind::Object;
    }
    if types.contains(&"array") {
        return match node.get("items") {
            Some(items) => Kind::Array { items },
            None => text(node),
        };
    }
    if let Some(choices) = const_choices(node) {
        return Kind::Choice(choices);
    }
    if let Some(kind) = alternative(root, node) {
        return kind;
    }
    match types.first().copied() {
        Some("boolean") => Kind::Boolean,
        Some("integer") => Kind::Integer,
        Some("number") => Kind::Number,
        _ => text(node),
    }
}

fn declared_types(node: &Value) -> Vec<&str> {
    match node.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn text(node: &Value) -> Kind<'static> {
    let long = node
        .get("maxLength")
        .and_then(Value::as_u64)
        .is_some_and(|n| n >= TEXTAREA_FROM);
    let coded = node.get("pattern").is_some() || node.get("format").is_some();
    Kind::Text {
        multiline: long && !coded,
        ltr: coded,
    }
}

/// `enum`, or `oneOf`/`anyOf` whose every branch is a `const` (with its `title`).
fn const_choices(node: &Value) -> Option<Vec<Choice<'_>>> {
    if let Some(values) = node.get("enum").and_then(Value::as_array) {
        return Some(values.iter().map(plain_choice).collect());
    }
    ["oneOf", "anyOf"].iter().find_map(|keyword| {
        let branches = node.get(*keyword)?.as_array()?;
        let choices: Option<Vec<Choice<'_>>> = branches.iter().map(branch_choice).collect();
        choices.filter(|c| !c.is_empty())
    })
}

fn plain_choice(value: &Value) -> Choice<'_> {
    Choice {
        value,
        title: value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_owned),
    }
}

fn branch_choice(branch: &Value) -> Option<Choice<'_>> {
    let value = branch.get("const")?;
    Some(match str_of(branch, "title") {
        Some(title) => Choice {
            value,
            title: title.to_owned(),
        },
        None => plain_choice(value),
    })
}

/// Constants beside exactly one other schema: an agency with extra values, or a choice
/// between the constants and the other schema.
fn alternative<'s>(root: &'s Value, node: &'s Value) -> Option<Kind<'s>> {
    let branches = ["anyOf", "oneOf"]
        .iter()
        .find_map(|k| node.get(*k).and_then(Value::as_array))?;
    let (consts, others): (Vec<&Value>, Vec<&Value>) =
        branches.iter().partition(|b| b.get("const").is_some());
    let [main] = others.as_slice() else {
        return None;
    };
    let consts: Vec<Choice<'s>> = consts.into_iter().filter_map(branch_choice).collect();
    match Field::read(root, main).kind {
        Kind::Agency(_) => Some(Kind::Agency(consts)),
        _ => Some(Kind::Alternative { consts, main }),
    }
}

/// How a constant is written in a form field: strings as themselves, anything else as JSON.
pub(super) fn form_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The posted field that says which answer a form admitting a nil return carries:
/// `lists`, or `nothing_to_declare`.
pub(super) const ANSWER_FIELD: &str = "answer";

/// The segment of a JSON Pointer for a property name (RFC 6901).
pub(super) fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The pointer's segments, unescaped.
pub(super) fn segments(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// The HTML id of the field at `pointer`: `f-needs-0-title`. Characters other than ASCII
/// letters, digits and `_` are written as `.` and their hex code, so ids stay valid CSS
/// selectors and distinct pointers give distinct ids.
pub fn field_id(pointer: &str) -> String {
    let mut id = String::from("f");
    for segment in segments(pointer) {
        id.push('-');
        for c in segment.chars() {
            if c.is_ascii_alphanumeric() || c == '_' {
                id.push(c);
            } else {
                id.push_str(&format!(".{:x}.", u32::from(c)));
            }
        }
    }
    id
}

/// The field at `pointer` in documents of `root` (array indexes step into `items`, an
/// alternative into its non-constant branch).
pub(super) fn field_at<'s>(root: &'s Value, pointer: &str) -> Option<Field<'s>> {
    let mut field = Field::read(root, root);
    for segment in segments(pointer) {
        if let Kind::Alternative { main, .. } = field.kind {
            field = Field::read(root, main);
        }
        let next = match field.kind {
            Kind::Object => field.node.get("properties")?.get(&segment)?,
            Kind::Array { items } if segment.parse::<usize>().is_ok() => items,
            _ => return None,
        };
        field = Field::read(root, next);
    }
    Some(field)
}
