//! [`Text`]: a name, code or reference read out of a submission once and shared by every
//! entry, match, cell and report that names it. Cloning it counts a reference; it never
//! copies the characters. It reads, compares, prints and serialises as the string it holds.
//! The texts of one matrix are pieces of a few long strings ([`Writing`]), not one
//! allocation each.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

mod names;

pub use names::{Iter as NamesIter, Names};

/// A string, or a piece of one shared string (see [`Written`]).
#[derive(Clone)]
pub struct Text {
    shared: Arc<str>,
    start: u32,
    len: u32,
}

impl Text {
    pub fn as_str(&self) -> &str {
        &self.shared[self.start as usize..(self.start + self.len) as usize]
    }
}

/// Many texts written into one string while a matrix is read, then cut out of it: one
/// allocation for all of them, and one count of references, which every clone and drop
/// finds in the same place, instead of one allocation and one count each.
#[derive(Default)]
pub struct Writing(String);

/// Where a text is in the string being written: the text once [`Writing::done`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    start: u32,
    len: u32,
}

impl Span {
    /// `len` bytes of this text from byte `from`.
    pub fn part(self, from: usize, len: usize) -> Span {
        assert!(
            from + len <= self.len as usize,
            "a part lies within its text"
        );
        Span {
            start: self.start + from as u32,
            len: len as u32,
        }
    }
}

impl Writing {
    /// Room for `bytes` bytes of texts before the string has to grow.
    pub fn with_capacity(bytes: usize) -> Self {
        Writing(String::with_capacity(bytes))
    }

    /// `text`, written.
    pub fn write(&mut self, text: &str) -> Span {
        let start = self.0.len();
        self.0.push_str(text);
        self.span_from(start)
    }

    /// What `write` writes, written.
    pub fn write_fmt(&mut self, args: fmt::Arguments) -> Span {
        use std::fmt::Write;
        let start = self.0.len();
        let _ = self.0.write_fmt(args);
        self.span_from(start)
    }

    fn span_from(&self, start: usize) -> Span {
        let offset = |at: usize| u32::try_from(at).expect("the texts of one matrix fit in 4 GiB");
        Span {
            start: offset(start),
            len: offset(self.0.len() - start),
        }
    }

    /// What has been written so far at `span`.
    pub fn read(&self, span: Span) -> &str {
        &self.0[span.start as usize..(span.start + span.len) as usize]
    }

    pub fn done(self) -> Written {
        Written(self.0.into())
    }
}

/// Texts written, to be cut out by their [`Span`]s.
pub struct Written(Arc<str>);

impl Written {
    pub fn text(&self, span: Span) -> Text {
        Text {
            shared: self.0.clone(),
            start: span.start,
            len: span.len,
        }
    }
}

impl Default for Text {
    fn default() -> Self {
        Text::from("")
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Text) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Text) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for Text {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Text::from)
    }
}

/// Written as a string.
impl schemars::JsonSchema for Text {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "String".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        let len = u32::try_from(text.len()).expect("a text under 4 GiB");
        Text {
            shared: text.into(),
            start: 0,
            len,
        }
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Text::from(text.as_str())
    }
}

impl From<Text> for String {
    fn from(text: Text) -> Self {
        text.as_str().to_string()
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_compares_and_serialises_as_its_string() {
        let text = Text::from("وضعیت کارت");
        let copy = text.clone();
        assert!(
            Arc::ptr_eq(&text.shared, &copy.shared),
            "a clone shares the characters"
        );
        assert_eq!(text, "وضعیت کارت");
        assert_eq!("وضعیت کارت".to_string(), text);
        assert_eq!(text.len(), "وضعیت کارت".len());
        assert_eq!(format!("{text}|{text:?}"), "وضعیت کارت|\"وضعیت کارت\"");
        assert_eq!(serde_json::to_string(&text).unwrap(), "\"وضعیت کارت\"");
        let back: Text = serde_json::from_str("\"AG01\"").unwrap();
        assert_eq!(back, Text::from("AG01"));
    }

    #[test]
    fn texts_written_together_are_pieces_of_one_string() {
        let mut writing = Writing::default();
        let name = writing.write("وضعيت كارت");
        let reference = writing.write_fmt(format_args!("{}/needs/{}", "AG01", 12));
        assert_eq!(writing.read(name), "وضعيت كارت");
        let padded = writing.write("  نشانی ");
        assert_eq!(writing.read(padded.part(2, "نشانی".len())), "نشانی");
        let written = writing.done();
        let (name, reference) = (written.text(name), written.text(reference));
        assert_eq!(name, "وضعيت كارت");
        assert_eq!(reference, "AG01/needs/12");
        assert!(Arc::ptr_eq(&name.shared, &reference.shared));
        assert!(
            name > reference,
            "ordered by their characters, not by place"
        );
        let set: std::collections::HashSet<Text> = [name.clone(), Text::from("وضعيت كارت")].into();
        assert_eq!(set.len(), 1, "hashed by their characters");
        assert_eq!(
            serde_json::to_string(&reference).unwrap(),
            "\"AG01/needs/12\""
        );
    }
}
