//! What a browser posts for a rendered form: its successful controls in document order
//! (HTML's form submission algorithm, for the markup this renderer writes).

/// The `name=value` pairs a browser would send when the form is submitted as is.
pub fn submitted(page: &str) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find('<') {
        rest = &rest[start..];
        let end = rest.find('>').expect("tags close");
        let tag = &rest[1..end];
        let name = attribute(tag, "name");
        if let Some(name) = name.filter(|_| !has(tag, "disabled")) {
            if tag.starts_with("input ") {
                let kind = attribute(tag, "type").unwrap_or_default();
                let checkable = kind == "checkbox" || kind == "radio";
                if !checkable || has(tag, "checked") {
                    let value = attribute(tag, "value").unwrap_or_else(|| {
                        if checkable {
                            "on".into()
                        } else {
                            String::new()
                        }
                    });
                    fields.push((name, value));
                }
            } else if tag.starts_with("select ") {
                let close = rest.find("</select>").expect("select closes");
                fields.push((name, selected(&rest[..close])));
            } else if tag.starts_with("textarea ") {
                let close = rest.find("</textarea>").expect("textarea closes");
                fields.push((name, unescape(&rest[end + 1..close])));
            }
        }
        rest = &rest[end..];
    }
    fields
}

/// The value of the selected option, else of the first.
fn selected(select: &str) -> String {
    let options: Vec<&str> = select
        .split("<option")
        .skip(1)
        .map(|o| &o[..o.find('>').unwrap()])
        .collect();
    let chosen = options
        .iter()
        .find(|o| has(o, "selected"))
        .or(options.first());
    chosen
        .and_then(|o| attribute(o, "value"))
        .unwrap_or_default()
}

/// Attributes of a tag's text (`input type="text" name="/a"`), unescaped.
fn attributes(tag: &str) -> Vec<(String, Option<String>)> {
    let mut found = Vec::new();
    let mut rest = tag.split_once(char::is_whitespace).map_or("", |(_, r)| r);
    loop {
        rest = rest.trim_start();
        let end = rest
            .find(|c: char| c == '=' || c.is_whitespace() || c == '/')
            .unwrap_or(rest.len());
        if end == 0 {
            if rest.is_empty() {
                return found;
            }
            rest = &rest[1..];
            continue;
        }
        let name = rest[..end].to_owned();
        rest = &rest[end..];
        if let Some(value) = rest.strip_prefix("=\"") {
            let close = value.find('"').expect("attribute values are quoted");
            found.push((name, Some(unescape(&value[..close]))));
            rest = &value[close + 1..];
        } else {
            found.push((name, None));
        }
    }
}

pub fn attribute(tag: &str, name: &str) -> Option<String> {
    attributes(tag)
        .into_iter()
        .find(|(n, _)| n == name)
        .and_then(|(_, v)| v)
}

fn has(tag: &str, name: &str) -> bool {
    attributes(tag).iter().any(|(n, _)| n == name)
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Replaces the value posted under `name` (the last one, as the parser reads it).
pub fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    match fields.iter_mut().rev().find(|(n, _)| n == name) {
        Some(field) => field.1 = value.to_owned(),
        None => fields.push((name.to_owned(), value.to_owned())),
    }
}
