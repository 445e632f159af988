//! A submission rendered as a readable document: the form's own titles as labels, nested
//! objects as definition lists, arrays of objects as numbered sections (or as a table when
//! their items are flat), arrays of values as lists — with what changed since the agency's
//! previous submission marked: `<ins>`/`<del>` for values, and a word («افزوده»,
//! «حذف‌شده», «تغییر کرده») beside each changed entry, so the marks do not rely on colour.
//!
//! Pure: schema and documents in, markup out. Escaping is maud's.

use std::collections::BTreeMap;

use maud::{Markup, PreEscaped, html};
use serde_json::Value;

use super::diff::{Change, Children, Diff, Item, changes, diff};
use super::schema::{Field, Schema};
use super::value::Reading;
use crate::web::i18n::Locale;

/// What the review page shows of one submission.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    /// The registered form version's JSON Schema the submission was made against.
    pub schema: &'a Value,
    pub current: &'a Value,
    /// The same agency's previous submission of this task, if any.
    pub previous: Option<&'a Value>,
    /// Agency code → name in the reader's language.
    pub agencies: &'a BTreeMap<String, String>,
    pub locale: Locale,
}

/// The document, with a summary of the changes at the top when there is a previous
/// submission.
pub fn render(document: &Document<'_>) -> Markup {
    let schema = Schema::new(document.schema);
    let reading = Reading {
        schema,
        agencies: document.agencies,
        locale: document.locale,
        quiet: false,
    };
    // Without a previous submission nothing is marked: the document is compared with itself.
    let tree = diff(
        &schema,
        document.previous.unwrap_or(document.current),
        document.current,
    );
    html! {
        article.document {
            @if document.previous.is_some() { (summary(&reading, &tree)) }
            (nil_return(&reading, document.current))
            (body(&reading, Some(schema.root()), &tree))
        }
    }
}

/// A nil return says at the top, in plain words, that the agency has nothing to declare and
/// why; the reason is the whole document, so it is quoted there rather than looked for.
fn nil_return(reading: &Reading<'_>, current: &Value) -> Markup {
    let Some(reason) = crate::forms::nil_return_reason(current) else {
        return html! {};
    };
    html! {
        div.nil-return role="note" {
            p { strong { (reading.text("این دستگاه موردی برای اعلام ندارد.", "This agency has nothing to declare.")) } }
            p { (reading.text("دلیل: ", "Reason: ")) q dir="auto" { (reason) } }
        }
    }
}

fn summary(reading: &Reading<'_>, tree: &Diff<'_>) -> Markup {
    let found = changes(tree);
    let count = |kind: Change| found.iter().filter(|(_, c)| *c == kind).count();
    let n = |k: usize| reading.number(&k.to_string());
    html! {
        p.diff-summary role="status" {
            @if found.is_empty() {
                (reading.text("بدون تغییر نسبت به ارسال قبلی.", "No change since the previous submission."))
            } @else {
                (reading.text("تغییر نسبت به ارسال قبلی: ", "Changes since the previous submission: "))
                span.diff-added { (n(count(Change::Added))) " " (reading.text("افزوده", "added")) }
                "، "
                span.diff-changed { (n(count(Change::Changed))) " " (reading.text("تغییر کرده", "changed")) }
                "، "
                span.diff-removed { (n(count(Change::Removed))) " " (reading.text("حذف‌شده", "removed")) }
            }
        }
    }
}

/// The root: each top-level property is a section under its own heading.
fn body(reading: &Reading<'_>, field: Option<Field<'_>>, tree: &Diff<'_>) -> Markup {
    let Children::Object(fields) = &tree.children else {
        return value(reading, field, tree, 3);
    };
    html! {
        @for (key, child_field, child) in entries(reading, field, fields) {
            section.doc-section.(class(reading, child.change)) {
                h3 { (label(child_field, key)) (badge(reading, child.change)) }
                (value(&reading.within(child.change), child_field, child, 4))
            }
        }
    }
}

/// An object's entries in the schema's order, then any key the schema does not name.
fn entries<'a, 's>(
    reading: &Reading<'s>,
    field: Option<Field<'s>>,
    fields: &'a BTreeMap<&'a str, Diff<'a>>,
) -> Vec<(&'a str, Option<Field<'s>>, &'a Diff<'a>)> {
    let properties = field
        .map(|f| reading.schema.properties(&f))
        .unwrap_or_default();
    let mut ordered: Vec<(&'a str, Option<Field<'s>>, &'a Diff<'a>)> = properties
        .iter()
        .filter_map(|(key, f)| fields.get_key_value(*key).map(|(k, d)| (*k, Some(*f), d)))
        .collect();
    for (key, child) in fields {
        if !properties.iter().any(|(k, _)| k == key) {
            ordered.push((key, None, child));
        }
    }
    ordered
}

/// Any value under its label; `level` is the heading level its sections take.
fn value(reading: &Reading<'_>, field: Option<Field<'_>>, tree: &Diff<'_>, level: u8) -> Markup {
    // A value is labelled by the field as the schema gives it (an `anyOf` of an agency
    // code or `{const: "unknown", title: …}` holds the label); containers read on in the
    // branch their value takes.
    if tree.children == Children::Leaf {
        return leaf(reading, field, tree);
    }
    let shape = tree.after.or(tree.before).unwrap_or(&Value::Null);
    let field = field.map(|f| reading.schema.for_value(f, shape));
    match &tree.children {
        Children::Leaf => leaf(reading, field, tree),
        Children::Object(fields) => object(reading, field, fields, level, None),
        Children::Array(items) => array(reading, field, items, level),
    }
}

/// An object as a definition list, leaving out the field `shown` already as a heading.
fn object(
    reading: &Reading<'_>,
    field: Option<Field<'_>>,
    fields: &BTreeMap<&str, Diff<'_>>,
    level: u8,
    shown: Option<&str>,
) -> Markup {
    html! {
        dl.doc-fields {
            @for (key, child_field, child) in entries(reading, field, fields) {
                @if Some(key) != shown {
                    div.(class(reading, child.change)) {
                        dt { (label(child_field, key)) (badge(reading, child.change)) }
                        dd { (value(&reading.within(child.change), child_field, child, level)) }
                    }
                }
            }
        }
    }
}

pub(super) fn leaf(reading: &Reading<'_>, field: Option<Field<'_>>, tree: &Diff<'_>) -> Markup {
    let show = |v: &Value| reading.scalar(field, v);
    if reading.quiet {
        return tree.after.or(tree.before).map(show).unwrap_or_default();
    }
    match (tree.change, tree.before, tree.after) {
        (Change::Changed, Some(before), Some(after)) => {
            html! { del { (show(before)) } " " ins { (show(after)) } }
        }
        (Change::Added, _, Some(after)) => html! { ins { (show(after)) } },
        (Change::Removed, Some(before), _) => html! { del { (show(before)) } },
        (_, _, Some(v)) | (_, Some(v), None) => show(v),
        (_, None, None) => html! {},
    }
}

fn array(reading: &Reading<'_>, field: Option<Field<'_>>, items: &[Item<'_>], level: u8) -> Markup {
    let items_field = field.and_then(|f| reading.schema.items(&f));
    let values = || items.iter().filter_map(|i| i.diff.after.or(i.diff.before));
    if items.is_empty() {
        return html! { p.doc-empty { (reading.text("(هیچ)", "(none)")) } };
    }
    if values().all(|v| !v.is_object() && !v.is_array()) {
        return html! {
            ul.doc-list {
                @for item in items {
                    li.(class(reading, item.diff.change)) { (leaf(reading, items_field, &item.diff)) }
                }
            }
        };
    }
    let flat = values().all(|v| v.as_object().is_some_and(|o| o.values().all(is_scalar)));
    if flat {
        return super::table::table(reading, items_field, items);
    }
    html! {
        ol.doc-items {
            @for (n, item) in items.iter().enumerate() {
                li.(class(reading, item.diff.change)) {
                    section {
                        (heading(level, html! {
                            (item_title(reading, items_field, &item.diff, n))
                            (badge(reading, item.diff.change))
                        }))
                        (item_body(&reading.within(item.diff.change), items_field, &item.diff, (level + 1).min(6)))
                    }
                }
            }
        }
    }
}

/// An item of a list under its own heading: its `title`, being the heading, is not repeated.
fn item_body(
    reading: &Reading<'_>,
    field: Option<Field<'_>>,
    tree: &Diff<'_>,
    level: u8,
) -> Markup {
    let shape = tree.after.or(tree.before).unwrap_or(&Value::Null);
    match &tree.children {
        // A changed title (items paired by index) stays in the list, where it is marked.
        Children::Object(fields)
            if shape["title"].is_string()
                && fields
                    .get("title")
                    .is_some_and(|t| t.change != Change::Changed) =>
        {
            let field = field.map(|f| reading.schema.for_value(f, shape));
            object(reading, field, fields, level, Some("title"))
        }
        _ => value(reading, field, tree, level),
    }
}

fn is_scalar(value: &Value) -> bool {
    !value.is_object() && !value.is_array()
}

/// «۲. عنوان» for an item with a title, else «قلم اطلاعاتی ۲» after its schema's title.
fn item_title(
    reading: &Reading<'_>,
    field: Option<Field<'_>>,
    item: &Diff<'_>,
    n: usize,
) -> Markup {
    let number = reading.number(&(n + 1).to_string());
    let title = item.after.or(item.before).and_then(|v| v["title"].as_str());
    match (title, field.and_then(|f| f.title)) {
        (Some(title), _) => html! { (number) ". " (title) },
        (None, Some(kind)) => html! { (kind) " " (number) },
        (None, None) => html! { (number) },
    }
}

fn heading(level: u8, content: Markup) -> Markup {
    match level {
        ..=3 => html! { h3 { (content) } },
        4 => html! { h4 { (content) } },
        5 => html! { h5 { (content) } },
        _ => html! { h6 { (content) } },
    }
}

/// A field's label: its schema title, else its key (isolated, as it is a code).
pub(super) fn label(field: Option<Field<'_>>, key: &str) -> Markup {
    match field.and_then(|f| f.title) {
        Some(title) => html! { (title) },
        None => html! { bdi { (key) } },
    }
}

pub(super) fn class(reading: &Reading<'_>, change: Change) -> &'static str {
    if reading.quiet {
        return "diff-same";
    }
    match change {
        Change::Same => "diff-same",
        Change::Added => "diff-added",
        Change::Removed => "diff-removed",
        Change::Changed => "diff-changed",
    }
}

/// The word beside a changed entry, for readers who do not see the colour.
pub(super) fn badge(reading: &Reading<'_>, change: Change) -> Markup {
    if reading.quiet {
        return PreEscaped(String::new());
    }
    let word = match change {
        Change::Same => return PreEscaped(String::new()),
        Change::Added => reading.text("افزوده", "added"),
        Change::Removed => reading.text("حذف‌شده", "removed"),
        Change::Changed => reading.text("تغییر کرده", "changed"),
    };
    html! { " " span.diff-badge { (word) } }
}
