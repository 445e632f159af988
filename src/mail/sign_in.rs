//! The sign-in e-mail: a one-time link to the pages, in the member's language. Pure, like
//! the other templates; queued through the same outbox.

use maud::{DOCTYPE, PreEscaped, html};

use super::Rendered;
use super::wording::rtl_wrap;
use crate::calendar::to_persian_digits;

/// The message carrying `url`, valid for `minutes`.
pub fn render_sign_in(locale: &str, name: &str, url: &str, minutes: u64) -> Rendered {
    let fa = locale == "fa";
    let (subject, lines) = if fa {
        (
            "ورود به دفتر".to_string(),
            vec![
                format!("{name} گرامی،"),
                format!(
                    "برای ورود به دفتر پیوند زیر را باز کنید. این پیوند {} دقیقه و فقط یک بار معتبر است.",
                    to_persian_digits(&minutes.to_string())
                ),
                "اگر شما درخواست ورود نکرده‌اید، این نامه را نادیده بگیرید.".to_string(),
            ],
        )
    } else {
        (
            "Sign in to daftar".to_string(),
            vec![
                format!("Dear {name},"),
                format!(
                    "Open the link below to sign in to daftar. It works once, within {minutes} minutes."
                ),
                "If you did not ask to sign in, ignore this message.".to_string(),
            ],
        )
    };
    let text = format!("{}\n\n{}\n\n{url}\n\n{}\n", lines[0], lines[1], lines[2]);
    let (dir, lang) = if fa { ("rtl", "fa") } else { ("ltr", "en") };
    let paragraphs = html! {
        p { (lines[0]) }
        p { (lines[1]) }
        p { a href=(url) { (if fa { "ورود به دفتر" } else { "Sign in" }) } }
        p { (lines[2]) }
    };
    let body = if fa {
        PreEscaped(rtl_wrap(&paragraphs.into_string()))
    } else {
        paragraphs
    };
    let html = html! {
        (DOCTYPE)
        html dir=(dir) lang=(lang) {
            head { meta charset="utf-8"; title { (subject) } }
            body dir=(dir) { (body) }
        }
    }
    .into_string();
    Rendered {
        subject,
        text,
        html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_is_in_both_parts_and_the_name_is_escaped() {
        let url = "https://daftar.example.org/sign-in/link?token=abc";
        let mail = render_sign_in("fa", "<مریم>", url, 15);
        assert!(mail.text.contains(url));
        assert!(mail.text.contains("۱۵ دقیقه"), "{}", mail.text);
        assert!(
            mail.html
                .contains(r#"href="https://daftar.example.org/sign-in/link?token=abc""#)
        );
        assert!(mail.html.contains("&lt;مریم&gt;"));
        assert!(
            mail.html
                .contains(r#"<div dir="rtl" style="direction:rtl;text-align:right"><p>"#)
        );
        let english = render_sign_in("en", "Maryam", url, 15);
        assert_eq!(english.subject, "Sign in to daftar");
        assert!(english.text.contains("within 15 minutes"));
    }
}
