//! An array of flat objects (every field a value, like the inventory's data items) as a
//! table: one row per item, one column per field the items use, in the schema's order.

use maud::{Markup, html};

use super::diff::{Children, Item};
use super::document::{badge, class, label};
use super::schema::Field;
use super::value::Reading;

pub(super) fn table(reading: &Reading<'_>, field: Option<Field<'_>>, items: &[Item<'_>]) -> Markup {
    let columns = columns(reading, field, items);
    html! {
        div.table-scroll {
            table.doc-table {
                thead {
                    tr {
                        th scope="col" { "#" }
                        @for (key, column) in &columns { th scope="col" { (label(*column, key)) } }
                    }
                }
                tbody {
                    @for (n, item) in items.iter().enumerate() {
                        tr.(class(reading, item.diff.change)) {
                            th scope="row" {
                                (reading.number(&(n + 1).to_string()))
                                (badge(reading, item.diff.change))
                            }
                            @for (key, column) in &columns {
                                td { (cell(&reading.within(item.diff.change), *column, item, key)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The fields of the schema any item uses, in the schema's order, then fields the schema
/// does not name.
fn columns<'s>(
    reading: &Reading<'s>,
    field: Option<Field<'s>>,
    items: &[Item<'_>],
) -> Vec<(String, Option<Field<'s>>)> {
    let used = |key: &str| {
        items.iter().any(|item| match &item.diff.children {
            Children::Object(fields) => fields.contains_key(key),
            _ => false,
        })
    };
    let properties = field
        .map(|f| reading.schema.properties(&f))
        .unwrap_or_default();
    let mut columns: Vec<(String, Option<Field<'s>>)> = properties
        .iter()
        .filter(|(key, _)| used(key))
        .map(|(key, f)| (key.to_string(), Some(*f)))
        .collect();
    for item in items {
        if let Children::Object(fields) = &item.diff.children {
            for key in fields.keys() {
                if !columns.iter().any(|(k, _)| k == key) {
                    columns.push((key.to_string(), None));
                }
            }
        }
    }
    columns
}

fn cell(reading: &Reading<'_>, column: Option<Field<'_>>, item: &Item<'_>, key: &str) -> Markup {
    match &item.diff.children {
        Children::Object(fields) => match fields.get(key) {
            Some(value) => super::document::leaf(reading, column, value),
            None => html! {},
        },
        _ => html! {},
    }
}
