//! The catalogue's pages, pure: the catalogue (or one item), what was typed and the refusal
//! in; markup out.

use maud::{Markup, html};

use super::{CURATORS, Typed};
use crate::catalogue::search::Suggestion;
use crate::catalogue::{Catalogue, CatalogueEvent, Change, Item};
use crate::web::format::{bdi, date, number};
use crate::web::i18n::Locale;
use crate::web::layout::{csrf_field, page};
use crate::web::session::Viewer;

/// A refused change: the form (`action`) and field it concerns, why in the reader's words,
/// and the engine's own wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub action: String,
    pub field: String,
    pub message: String,
    pub detail: String,
}

/// What an item's page shows.
pub struct ItemPage<'a> {
    pub item: &'a Item,
    /// The items it may be merged into.
    pub others: Vec<&'a Item>,
    pub history: Vec<&'a Change>,
    /// The inventory form's lookup keys with their Persian labels.
    pub keys: Vec<(String, String)>,
}

fn key_label<'k>(keys: &'k [(String, String)], key: &'k str) -> &'k str {
    keys.iter()
        .find(|(k, _)| k == key)
        .map_or(key, |(_, label)| label)
}

/// `GET /catalogue`: every item, and the secretariat's add and seed forms.
pub fn list_page(
    viewer: &Viewer,
    catalogue: &Catalogue,
    keys: &[(String, String)],
    typed: &Typed,
    refusal: Option<&Refusal>,
) -> Markup {
    let locale = viewer.locale;
    let body = html! {
        @if catalogue.items.is_empty() {
            p.muted { (locale.pick("فهرست هنوز خالی است: قلمی بیفزایید یا آن را از یک پروندهٔ احصا پر کنید.", "The catalogue is empty: add an item or seed it from an inventory case.")) }
        } @else {
            table.catalogue {
                caption { (locale.pick("اقلام اطلاعاتی", "Data items")) }
                thead { tr {
                    th scope="col" { (locale.pick("شناسه", "Id")) }
                    th scope="col" { (locale.pick("نام", "Name")) }
                    th scope="col" { (locale.pick("مترادف‌ها", "Synonyms")) }
                    th scope="col" { (locale.pick("کلید استعلام", "Lookup key")) }
                    th scope="col" { (locale.pick("دستگاه‌ها", "Agencies")) }
                } }
                tbody {
                    @for item in catalogue.listed() {
                        tr {
                            td { a href={ "/catalogue/" (item.id) } { (bdi(&item.id)) } }
                            td { (item.name) }
                            td { (item.synonyms.join(locale.pick("، ", ", "))) }
                            td { @if let Some(key) = &item.lookup_key { (key_label(keys, key)) } }
                            td { (number(locale, item.agencies)) }
                        }
                    }
                }
            }
        }
        @if viewer.has_any(CURATORS) {
            (add_form(viewer, keys, typed, refusal))
            (seed_form(viewer, typed, refusal))
        }
    };
    page(
        viewer,
        locale.pick("فهرست اقلام اطلاعاتی", "Catalogue of data items"),
        body,
    )
}

/// One text field of a form, with its error when the refusal is about it.
fn field(
    locale: Locale,
    form: &str,
    name: &str,
    label: &str,
    value: &str,
    refusal: Option<&Refusal>,
) -> Markup {
    let id = format!("{form}-{name}");
    let error = refusal.filter(|r| r.action == form && r.field == name);
    let error_id = format!("{id}-error");
    let _ = locale;
    html! {
        div.field {
            label for=(id) { (label) }
            @if let Some(e) = error { p.field-error #(error_id) { (e.message) br; bdi.muted dir="ltr" { (e.detail) } } }
            input #(id) type="text" name=(name) value=(value)
                aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| error_id.as_str())];
        }
    }
}

fn key_select(
    locale: Locale,
    form: &str,
    keys: &[(String, String)],
    chosen: &str,
    refusal: Option<&Refusal>,
) -> Markup {
    let id = format!("{form}-lookup_key");
    let error = refusal.filter(|r| r.action == form && r.field == "lookup_key");
    html! {
        div.field {
            label for=(id) { (locale.pick("شناسه است؟ کلید استعلامی که نشان می‌دهد", "An identifier? The lookup key it stands for")) }
            @if let Some(e) = error { p.field-error { (e.message) } }
            select #(id) name="lookup_key" {
                option value="" { (locale.pick("— شناسه نیست —", "— not an identifier —")) }
                @for (key, label) in keys {
                    option value=(key) selected[chosen == key] { (label) }
                }
            }
        }
    }
}

fn add_form(
    viewer: &Viewer,
    keys: &[(String, String)],
    typed: &Typed,
    refusal: Option<&Refusal>,
) -> Markup {
    let locale = viewer.locale;
    let mine = typed.action.is_empty() || typed.action == "add";
    let value = |text: &str| {
        if mine {
            text.to_string()
        } else {
            String::new()
        }
    };
    html! {
        form.panel method="post" action="/catalogue" novalidate {
            (csrf_field(viewer))
            input type="hidden" name="action" value="add";
            h2 { (locale.pick("افزودن قلم", "Add an item")) }
            (field(locale, "add", "name", locale.pick("نام فارسی", "Persian name"), &value(&typed.name), refusal))
            div.field {
                label for="add-synonyms" { (locale.pick("مترادف‌ها (هر کدام در یک سطر)", "Synonyms (one per line)")) }
                textarea #add-synonyms name="synonyms" rows="3" { (value(&typed.synonyms)) }
            }
            (field(locale, "add", "name_en", locale.pick("نام انگلیسی", "English name"), &value(&typed.name_en), refusal))
            (key_select(locale, "add", keys, &value(&typed.lookup_key), refusal))
            (field(locale, "add", "description", locale.pick("شرح", "Description"), &value(&typed.description), refusal))
            div.actions { button.primary type="submit" { (locale.pick("افزودن", "Add")) } }
        }
    }
}

fn seed_form(viewer: &Viewer, typed: &Typed, refusal: Option<&Refusal>) -> Markup {
    let locale = viewer.locale;
    let case = if typed.action == "seed" {
        typed.case.as_str()
    } else {
        ""
    };
    html! {
        form.panel method="post" action="/catalogue" novalidate {
            (csrf_field(viewer))
            input type="hidden" name="action" value="seed";
            h2 { (locale.pick("پر کردن از یک پروندهٔ احصا", "Seed from an inventory case")) }
            p.help { (locale.pick("نام‌های اقلام در ارسال‌های پذیرفته‌شدهٔ پرونده که هنوز در فهرست نیستند افزوده می‌شوند، هر کدام با نگارشی که بیشتر دستگاه‌ها نوشته‌اند.", "The data item names of the case's accepted submissions that the catalogue does not read yet are added, each as most agencies wrote it.")) }
            (field(locale, "seed", "case", locale.pick("شناسهٔ پرونده", "Case id"), case, refusal))
            div.actions { button type="submit" { (locale.pick("پر کردن", "Seed")) } }
        }
    }
}

/// `GET /catalogue/{id}`: the item, its history, and the secretariat's forms.
pub fn item_page(
    viewer: &Viewer,
    view: &ItemPage,
    typed: &Typed,
    refusal: Option<&Refusal>,
) -> Markup {
    let locale = viewer.locale;
    let item = view.item;
    let body = html! {
        p { a href="/catalogue" { (locale.pick("بازگشت به فهرست", "Back to the catalogue")) } }
        dl.doc-fields {
            div { dt { (locale.pick("شناسه", "Id")) } dd { (bdi(&item.id)) } }
            div { dt { (locale.pick("مترادف‌ها", "Synonyms")) } dd { (item.synonyms.join(locale.pick("، ", ", "))) } }
            @if let Some(name) = &item.name_en { div { dt { (locale.pick("نام انگلیسی", "English name")) } dd dir="ltr" { (name) } } }
            @if let Some(key) = &item.lookup_key { div { dt { (locale.pick("کلید استعلام", "Lookup key")) } dd { (key_label(&view.keys, key)) } } }
            @if let Some(text) = &item.description { div { dt { (locale.pick("شرح", "Description")) } dd { (text) } } }
            div { dt { (locale.pick("دستگاه‌های به‌کاربرنده", "Agencies using it")) } dd { (number(locale, item.agencies)) } }
            @if !item.former_ids.is_empty() { div { dt { (locale.pick("شناسه‌های پیشین", "Former ids")) } dd { (bdi(&item.former_ids.join(", "))) } } }
        }
        @if viewer.has_any(CURATORS) { (curation(viewer, view, typed, refusal)) }
        section.panel aria-labelledby="history-heading" {
            h2 #history-heading { (locale.pick("تاریخچه", "History")) }
            ol.history {
                @for change in &view.history {
                    li { (date(locale, change.at)) " — " (describe(locale, &change.event)) }
                }
            }
        }
    };
    page(viewer, &item.name, body)
}

/// The merge, rename, split, synonym and edit forms of an item.
fn curation(viewer: &Viewer, view: &ItemPage, typed: &Typed, refusal: Option<&Refusal>) -> Markup {
    let locale = viewer.locale;
    let item = view.item;
    let action = format!("/catalogue/{}", item.id);
    let kept = |form: &str, text: &str| {
        if typed.action == form {
            text.to_string()
        } else {
            String::new()
        }
    };
    let error = |form: &str| refusal.filter(|r| r.action == form);
    html! {
        form.panel method="post" action=(action) novalidate {
            (csrf_field(viewer))
            input type="hidden" name="action" value="merge";
            h2 { (locale.pick("ادغام در قلم دیگر", "Merge into another item")) }
            p.help { (locale.pick("این قلم مترادف قلم مقصد می‌شود و شناسه‌اش به آن اشاره خواهد کرد.", "This item becomes a synonym of the other, and its id will point there.")) }
            div.field {
                label for="merge-into" { (locale.pick("قلم مقصد (شناسه)", "Into (id)")) }
                @if let Some(e) = error("merge") { p.field-error #merge-into-error role="alert" { (e.message) br; bdi.muted dir="ltr" { (e.detail) } } }
                input #merge-into type="text" name="into" list="merge-targets" value=(kept("merge", &typed.into))
                    aria-invalid=[error("merge").map(|_| "true")] aria-describedby=[error("merge").map(|_| "merge-into-error")];
                datalist #merge-targets { @for other in &view.others { option value=(other.id) { (other.name) } } }
            }
            div.actions { button type="submit" { (locale.pick("ادغام", "Merge")) } }
        }
        form.panel method="post" action=(action) novalidate {
            (csrf_field(viewer))
            input type="hidden" name="action" value="rename";
            h2 { (locale.pick("تغییر نام", "Rename")) }
            (field(locale, "rename", "name", locale.pick("نام تازه (نام کنونی مترادف می‌شود)", "New name (the current one becomes a synonym)"), &kept("rename", &typed.name), refusal))
            div.actions { button type="submit" { (locale.pick("تغییر نام", "Rename")) } }
        }
        @for (form, title, button) in [
            ("split", locale.pick("جدا کردن یک مترادف به قلمی تازه", "Split a synonym off into a new item"), locale.pick("جدا کردن", "Split")),
            ("add-synonym", locale.pick("افزودن مترادف", "Add a synonym"), locale.pick("افزودن", "Add")),
            ("remove-synonym", locale.pick("حذف مترادف", "Remove a synonym"), locale.pick("حذف", "Remove")),
        ] {
            form.panel method="post" action=(action) novalidate {
                (csrf_field(viewer))
                input type="hidden" name="action" value=(form);
                h2 { (title) }
                (field(locale, form, "synonym", locale.pick("مترادف", "Synonym"), &kept(form, &typed.synonym), refusal))
                div.actions { button type="submit" { (button) } }
            }
        }
        form.panel method="post" action=(action) novalidate {
            (csrf_field(viewer))
            input type="hidden" name="action" value="edit";
            h2 { (locale.pick("ویرایش", "Edit")) }
            @let editing = typed.action == "edit";
            (field(locale, "edit", "name_en", locale.pick("نام انگلیسی", "English name"), &if editing { typed.name_en.clone() } else { item.name_en.clone().unwrap_or_default() }, refusal))
            (key_select(locale, "edit", &view.keys, &if editing { typed.lookup_key.clone() } else { item.lookup_key.clone().unwrap_or_default() }, refusal))
            (field(locale, "edit", "description", locale.pick("شرح", "Description"), &if editing { typed.description.clone() } else { item.description.clone().unwrap_or_default() }, refusal))
            div.actions { button type="submit" { (locale.pick("ذخیره", "Save")) } }
        }
    }
}

/// One change in a sentence.
fn describe(locale: Locale, event: &CatalogueEvent) -> Markup {
    match event {
        CatalogueEvent::ItemAdded { id, name, by, .. } => {
            html! { (locale.pick("افزوده شد: ", "Added: ")) (bdi(id)) " «" (name) "» — " (bdi(by)) }
        }
        CatalogueEvent::CatalogueSeeded {
            case, added, by, ..
        } => {
            html! { (locale.pick("از پرونده پر شد: ", "Seeded from case ")) (bdi(&case.to_string())) " (" (number(locale, added.len())) ") — " (bdi(by)) }
        }
        CatalogueEvent::ItemsMerged { from, into, by } => {
            html! { (bdi(from)) (locale.pick(" ادغام شد در ", " merged into ")) (bdi(into)) " — " (bdi(by)) }
        }
        CatalogueEvent::ItemRenamed {
            id,
            name,
            previous,
            by,
        } => html! { (bdi(id)) ": «" (previous) "» ← «" (name) "» — " (bdi(by)) },
        CatalogueEvent::ItemSplit {
            from,
            synonym,
            id,
            by,
        } => {
            html! { "«" (synonym) "»" (locale.pick(" از ", " split from ")) (bdi(from)) (locale.pick(" جدا شد و شد ", " into ")) (bdi(id)) " — " (bdi(by)) }
        }
        CatalogueEvent::SynonymAdded { id, synonym, by } => {
            html! { (bdi(id)) (locale.pick(": مترادف افزوده شد «", ": synonym added «")) (synonym) "» — " (bdi(by)) }
        }
        CatalogueEvent::SynonymRemoved { id, synonym, by } => {
            html! { (bdi(id)) (locale.pick(": مترادف حذف شد «", ": synonym removed «")) (synonym) "» — " (bdi(by)) }
        }
        CatalogueEvent::ItemEdited { id, by, .. } => {
            html! { (bdi(id)) (locale.pick(": ویرایش شد", ": edited")) " — " (bdi(by)) }
        }
    }
}

/// The suggestions for a name field, as the `<datalist>` it lists.
pub fn datalist(id: &str, found: &[Suggestion]) -> Markup {
    html! {
        datalist id=(id) {
            @for s in found { option value=(s.name) { (s.id) } }
        }
    }
}
