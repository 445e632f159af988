//! The two languages of the pages: Persian (right to left, the default) and English. A page
//! picks its words with [`Locale::pick`], so both texts sit side by side where they are used
//! and a missing translation cannot compile; words used on many pages live in [`Text`].

/// The language a page is rendered in: the member's `locale`, Persian when unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    Fa,
    En,
}

impl Locale {
    /// `en` is English; anything else is Persian, the working group's language.
    pub fn parse(raw: &str) -> Self {
        if raw.trim().eq_ignore_ascii_case("en") {
            Locale::En
        } else {
            Locale::Fa
        }
    }

    /// The `lang` attribute.
    pub fn lang(self) -> &'static str {
        match self {
            Locale::Fa => "fa",
            Locale::En => "en",
        }
    }

    /// The `dir` attribute.
    pub fn dir(self) -> &'static str {
        match self {
            Locale::Fa => "rtl",
            Locale::En => "ltr",
        }
    }

    /// The Persian or the English text.
    pub fn pick<'a>(self, fa: &'a str, en: &'a str) -> &'a str {
        match self {
            Locale::Fa => fa,
            Locale::En => en,
        }
    }

    /// A word shared by many pages.
    pub fn text(self, text: Text) -> &'static str {
        let (fa, en) = text.pair();
        self.pick(fa, en)
    }
}

/// Words that many pages use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    AppName,
    Inbox,
    Cases,
    SignIn,
    SignOut,
    SkipToContent,
    Today,
    Back,
    Save,
    Submit,
    Cancel,
}

impl Text {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            Text::AppName => ("دفتر", "daftar"),
            Text::Inbox => ("کارتابل", "Inbox"),
            Text::Cases => ("پرونده‌ها", "Cases"),
            Text::SignIn => ("ورود", "Sign in"),
            Text::SignOut => ("خروج", "Sign out"),
            Text::SkipToContent => ("پرش به محتوا", "Skip to content"),
            Text::Today => ("امروز", "today"),
            Text::Back => ("بازگشت", "Back"),
            Text::Save => ("ذخیره", "Save"),
            Text::Submit => ("ارسال", "Submit"),
            Text::Cancel => ("انصراف", "Cancel"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_is_the_default_and_english_is_chosen_only_by_name() {
        assert_eq!(Locale::parse("fa"), Locale::Fa);
        assert_eq!(Locale::parse(""), Locale::Fa);
        assert_eq!(Locale::parse("de"), Locale::Fa);
        assert_eq!(Locale::parse("EN"), Locale::En);
        assert_eq!((Locale::Fa.lang(), Locale::Fa.dir()), ("fa", "rtl"));
        assert_eq!((Locale::En.lang(), Locale::En.dir()), ("en", "ltr"));
        assert_eq!(Locale::En.text(Text::Inbox), "Inbox");
        assert_eq!(Locale::Fa.text(Text::Inbox), "کارتابل");
    }
}
