//! An entry read waits for its texts: a reading thread writes every reference, title and
//! item name into one string ([`Writing`](crate::reports::text::Writing)) and cuts the
//! texts out of it once it is done, so each entry is made whole afterwards ([`Texts`]).

use std::ops::Range;

use super::{Consumers, NeedEntry, OfferEntry, Text};
use crate::reports::text::{Span, Written};

/// An entry read, its texts written but not yet cut out (see
/// [`Keys::texts`](super::Keys::texts)): where its reference, title and item names are, and
/// the `rest` of it.
pub struct Unwritten<R> {
    pub(super) reference: Span,
    pub(super) title: Span,
    pub(super) data_items: Range<usize>,
    pub(super) rest: R,
}

/// A [`NeedEntry`] but for its written texts.
pub struct NeedRest {
    pub(super) agency: Text,
    pub(super) provider_agency: Text,
    pub(super) lookup_keys: Vec<Text>,
}

/// An [`OfferEntry`] but for its written texts.
pub struct OfferRest {
    pub(super) agency: Text,
    pub(super) consumer_agencies: Consumers,
    pub(super) lookup_keys: Vec<Text>,
    pub(super) authoritative_master: bool,
}

/// The texts of the entries one [`Keys`](super::Keys) read: they make its [`Unwritten`]
/// entries whole.
pub struct Texts {
    written: Written,
    item_names: Vec<Span>,
}

impl Texts {
    pub(super) fn new(written: Written, item_names: Vec<Span>) -> Self {
        Texts {
            written,
            item_names,
        }
    }

    fn names(&self, run: Range<usize>) -> impl ExactSizeIterator<Item = Text> + '_ {
        self.item_names[run]
            .iter()
            .map(|&span| self.written.text(span))
    }

    pub fn need(&self, read: Unwritten<NeedRest>) -> NeedEntry {
        let NeedRest {
            agency,
            provider_agency,
            lookup_keys,
        } = read.rest;
        NeedEntry {
            reference: self.written.text(read.reference),
            agency,
            title: self.written.text(read.title),
            provider_agency,
            data_items: self.names(read.data_items).collect(),
            lookup_keys,
        }
    }

    pub fn offer(&self, read: Unwritten<OfferRest>) -> OfferEntry {
        let OfferRest {
            agency,
            consumer_agencies,
            lookup_keys,
            authoritative_master,
        } = read.rest;
        OfferEntry {
            reference: self.written.text(read.reference),
            agency,
            title: self.written.text(read.title),
            consumer_agencies,
            data_items: self.names(read.data_items).collect(),
            lookup_keys,
            authoritative_master,
        }
    }
}
