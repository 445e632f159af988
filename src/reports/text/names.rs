//! [`Names`]: some of an entry's data item names, in the entry's order — what a match shares
//! with its need and what it lacks. The need's list is shared and the names are picked by
//! position, so a match counts one reference to the list instead of one to each name. It
//! reads, compares and serialises as the list of the names it picks.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Text;

#[derive(Clone)]
pub struct Names(Picked);

#[derive(Clone)]
enum Picked {
    /// The names of `list` whose bits are set in `mask` (bit `i`: `list[i]`).
    Of { list: Arc<[Text]>, mask: u64 },
    /// A list of its own: read from JSON, or picked from a list too long for a mask.
    Listed(Vec<Text>),
}

impl Names {
    /// The names of `list` at `positions` (increasing, each below `list.len()`).
    pub fn picked(list: &Arc<[Text]>, positions: impl Iterator<Item = usize>) -> Names {
        if list.len() > u64::BITS as usize {
            return Names(Picked::Listed(
                positions.map(|at| list[at].clone()).collect(),
            ));
        }
        let mask = positions.fold(0u64, |mask, at| mask | 1 << at);
        if mask == 0 {
            return Names::default();
        }
        Names(Picked::Of {
            list: list.clone(),
            mask,
        })
    }

    pub fn iter(&self) -> Iter<'_> {
        match &self.0 {
            Picked::Of { list, mask } => Iter {
                list,
                mask: Some(*mask),
                at: 0,
            },
            Picked::Listed(names) => Iter {
                list: names,
                mask: None,
                at: 0,
            },
        }
    }

    pub fn len(&self) -> usize {
        match &self.0 {
            Picked::Of { mask, .. } => mask.count_ones() as usize,
            Picked::Listed(names) => names.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The names, `separator` between each two.
    pub fn join(&self, separator: &str) -> String {
        let mut joined = String::new();
        for (at, name) in self.iter().enumerate() {
            if at > 0 {
                joined.push_str(separator);
            }
            joined.push_str(name);
        }
        joined
    }

    pub fn to_vec(&self) -> Vec<Text> {
        self.iter().cloned().collect()
    }
}

impl Default for Names {
    fn default() -> Self {
        Names(Picked::Listed(Vec::new()))
    }
}

/// The names of a [`Names`], in order.
pub struct Iter<'a> {
    list: &'a [Text],
    /// `None`: every name of `list`.
    mask: Option<u64>,
    at: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a Text;

    fn next(&mut self) -> Option<&'a Text> {
        while self.at < self.list.len() {
            let at = self.at;
            self.at += 1;
            if self.mask.is_none_or(|mask| mask & 1 << at != 0) {
                return Some(&self.list[at]);
            }
        }
        None
    }
}

impl<'a> IntoIterator for &'a Names {
    type Item = &'a Text;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl From<Vec<Text>> for Names {
    fn from(names: Vec<Text>) -> Self {
        Names(Picked::Listed(names))
    }
}

impl PartialEq for Names {
    fn eq(&self, other: &Names) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for Names {}

impl<T: AsRef<str>, const N: usize> PartialEq<[T; N]> for Names {
    fn eq(&self, other: &[T; N]) -> bool {
        self.iter()
            .map(Text::as_str)
            .eq(other.iter().map(AsRef::as_ref))
    }
}

impl<T: AsRef<str>> PartialEq<Vec<T>> for Names {
    fn eq(&self, other: &Vec<T>) -> bool {
        self.iter()
            .map(Text::as_str)
            .eq(other.iter().map(AsRef::as_ref))
    }
}

impl fmt::Debug for Names {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Names {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<Text>::deserialize(deserializer).map(Names::from)
    }
}

/// Written as a list of strings.
impl schemars::JsonSchema for Names {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Names".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Vec<Text>>::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(names: &[&str]) -> Arc<[Text]> {
        names.iter().map(|&n| Text::from(n)).collect()
    }

    #[test]
    fn picks_by_position_in_order_and_shares_the_list() {
        let items = list(&["نام", "نشانی", "کد پستی", "وضعیت"]);
        let picked = Names::picked(&items, [1, 3].into_iter());
        assert_eq!(picked, ["نشانی", "وضعیت"]);
        assert_eq!(picked.len(), 2);
        assert_eq!(picked.join(" + "), "نشانی + وضعیت");
        assert_eq!(
            Arc::strong_count(&items),
            2,
            "the list is shared, not copied"
        );
        assert_eq!(
            serde_json::to_string(&picked).unwrap(),
            r#"["نشانی","وضعیت"]"#
        );
        let back: Names = serde_json::from_str(r#"["نشانی","وضعیت"]"#).unwrap();
        assert_eq!(back, picked);
        assert!(Names::picked(&items, std::iter::empty()).is_empty());
        assert_eq!(Names::picked(&items, std::iter::empty()), Names::default());
    }

    #[test]
    fn a_list_longer_than_a_mask_is_picked_as_a_list_of_its_own() {
        let names: Vec<String> = (0..70).map(|i| format!("قلم {i}")).collect();
        let items: Arc<[Text]> = names.iter().map(|n| Text::from(n.as_str())).collect();
        let picked = Names::picked(&items, [0, 64, 69].into_iter());
        assert_eq!(picked, ["قلم 0", "قلم 64", "قلم 69"]);
        assert_eq!(picked.len(), 3);
    }
}
