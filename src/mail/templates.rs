//! E-mail texts in Persian and English: a plain-text body and an HTML alternative (right to
//! left for Persian, with Jalali dates in Persian digits). Pure: the same inputs always give
//! the same message, which is rendered once, when the causing event is appended. The rules
//! every text follows (agencies by name, deadlines with weekday and time, the right-to-left
//! wrapper) are the helpers of [`super::wording`].

use serde::{Deserialize, Serialize};

use super::wording::{Lang, agency_name, due, rtl_wrap};
use crate::calendar::to_persian_digits;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Template {
    TaskAssigned,
    VoteRequested,
    Reminder,
    Overdue,
    Escalation,
    Returned,
    Accepted,
    ResolutionApproved,
    ResolutionRejected,
    ResolutionExpired,
    CaseCompleted,
    DeadlineExtended,
    RemindedNow,
    DeadlineMovedByClosure,
}

impl Template {
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

/// What a message talks about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailContext {
    pub recipient: String,
    pub case_title: String,
    pub case_id: String,
    pub task_id: Option<String>,
    pub step: Option<String>,
    /// The agency's code; its names below, from the directory when the mail is composed.
    pub agency: Option<String>,
    pub agency_name_fa: Option<String>,
    pub agency_name_en: Option<String>,
    pub due_jalali: Option<String>,
    pub due_at: Option<String>,
    pub comment: Option<String>,
    pub level: Option<u32>,
    /// The page where the recipient acts (`DAFTAR_PUBLIC_URL` + path), if known.
    pub link: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

fn persian(template: Template, ctx: &MailContext) -> (String, Vec<String>) {
    let title = &ctx.case_title;
    let agency = agency_name(ctx, Lang::Fa);
    let due = due(ctx, Lang::Fa);
    let level = to_persian_digits(&ctx.level.unwrap_or(0).to_string());
    let comment = ctx.comment.clone().unwrap_or_default();
    let (subject, lines) = match template {
        Template::TaskAssigned => (
            format!("کار جدید در کارتابل: {title}"),
            vec![
                format!("کار جدیدی برای {agency} در پرونده «{title}» در کارتابل شما قرار گرفت."),
                format!("مهلت: {due}"),
            ],
        ),
        Template::VoteRequested => (
            format!("درخواست رأی: {title}"),
            vec![
                format!("لطفاً درباره مصوبه «{title}» رأی دهید."),
                format!("مهلت رأی‌گیری: {due}"),
            ],
        ),
        Template::Reminder => (
            format!("یادآوری مهلت: {title}"),
            vec![
                format!("مهلت کار {agency} در پرونده «{title}» نزدیک است."),
                format!("مهلت: {due}"),
            ],
        ),
        Template::Overdue => (
            format!("مهلت گذشته: {title}"),
            vec![
                format!("مهلت کار {agency} در پرونده «{title}» گذشته است."),
                format!("مهلت: {due}"),
            ],
        ),
        Template::Escalation => (
            format!("ارجاع به سطح {level}: {title}"),
            vec![
                format!(
                    "کار {agency} در پرونده «{title}» پس از مهلت انجام نشده و به سطح {level} ارجاع شد."
                ),
                format!("مهلت: {due}"),
            ],
        ),
        Template::Returned => (
            format!("اطلاعات ارسالی «{title}» جهت اصلاح عودت داده شد"),
            vec![
                format!("اطلاعات ارسالی {agency} در پرونده «{title}» جهت اصلاح عودت داده شد."),
                format!("توضیح دبیرخانه: {comment}"),
                format!("مهلت: {due}"),
            ],
        ),
        Template::Accepted => (
            format!("پذیرفته شد: {title}"),
            vec![format!(
                "اطلاعات ارسالی {agency} در پرونده «{title}» پذیرفته شد."
            )],
        ),
        Template::ResolutionApproved => (
            format!("مصوبه تصویب شد: {title}"),
            vec![format!("مصوبه «{title}» تصویب شد.")],
        ),
        Template::ResolutionRejected => (
            format!("پیش‌نویس مصوبه تصویب نشد: {title}"),
            vec![format!("پیش‌نویس مصوبه «{title}» تصویب نشد.")],
        ),
        Template::ResolutionExpired => (
            format!("رأی‌گیری بی‌نتیجه ماند: {title}"),
            vec![format!(
                "رأی‌گیری مصوبه «{title}» تا پایان مهلت به حد نصاب نرسید."
            )],
        ),
        Template::CaseCompleted => (
            format!("پرونده تکمیل شد: {title}"),
            vec![format!("همه وظایف پرونده «{title}» انجام شد.")],
        ),
        Template::DeadlineExtended | Template::RemindedNow | Template::DeadlineMovedByClosure => {
            super::practice::persian(template, ctx)
        }
    };
    let mut body = vec![format!("{} گرامی،", ctx.recipient)];
    body.extend(lines);
    body.push(format!("شناسه پرونده: {}", ctx.case_id));
    (subject, body)
}

fn english(template: Template, ctx: &MailContext) -> (String, Vec<String>) {
    let title = &ctx.case_title;
    let agency = agency_name(ctx, Lang::En);
    let due = due(ctx, Lang::En);
    let level = ctx.level.unwrap_or(0);
    let comment = ctx.comment.clone().unwrap_or_default();
    let (subject, lines) = match template {
        Template::TaskAssigned => (
            format!("New task in your inbox: {title}"),
            vec![
                format!("A task for {agency} was assigned in “{title}”."),
                format!("Due: {due}"),
            ],
        ),
        Template::VoteRequested => (
            format!("Your vote is requested: {title}"),
            vec![
                format!("Please vote on the resolution “{title}”."),
                format!("Voting closes: {due}"),
            ],
        ),
        Template::Reminder => (
            format!("Reminder, deadline approaching: {title}"),
            vec![
                format!("The task of {agency} in “{title}” is due soon."),
                format!("Due: {due}"),
            ],
        ),
        Template::Overdue => (
            format!("Overdue: {title}"),
            vec![
                format!("The task of {agency} in “{title}” is past its deadline."),
                format!("Due: {due}"),
            ],
        ),
        Template::Escalation => (
            format!("Escalated to level {level}: {title}"),
            vec![
                format!(
                    "The task of {agency} in “{title}” is overdue and was escalated to level {level}."
                ),
                format!("Due: {due}"),
            ],
        ),
        Template::Returned => (
            format!("Returned for revision: {title}"),
            vec![
                format!("The submission of {agency} in “{title}” was returned for revision."),
                format!("The secretariat's comment: {comment}"),
                format!("Due: {due}"),
            ],
        ),
        Template::Accepted => (
            format!("Accepted: {title}"),
            vec![format!(
                "The submission of {agency} in “{title}” was accepted."
            )],
        ),
        Template::ResolutionApproved => (
            format!("Resolution approved: {title}"),
            vec![format!("The resolution “{title}” was approved.")],
        ),
        Template::ResolutionRejected => (
            format!("Draft resolution not adopted: {title}"),
            vec![format!("The draft resolution “{title}” was not adopted.")],
        ),
        Template::ResolutionExpired => (
            format!("Vote expired without quorum: {title}"),
            vec![format!(
                "The vote on “{title}” reached no quorum by its deadline."
            )],
        ),
        Template::CaseCompleted => (
            format!("Case completed: {title}"),
            vec![format!("Every task of “{title}” is done.")],
        ),
        Template::DeadlineExtended | Template::RemindedNow | Template::DeadlineMovedByClosure => {
            super::practice::english(template, ctx)
        }
    };
    let mut body = vec![format!("Dear {},", ctx.recipient)];
    body.extend(lines);
    body.push(format!("Case: {}", ctx.case_id));
    (subject, body)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Renders a message in `locale` ("fa", anything else is English).
pub fn render(template: Template, locale: &str, ctx: &MailContext) -> Rendered {
    let fa = locale == "fa";
    let (subject, lines) = if fa {
        persian(template, ctx)
    } else {
        english(template, ctx)
    };
    let label = if fa {
        "باز کردن در دفتر"
    } else {
        "Open in daftar"
    };
    let mut text = lines.join("\n\n") + "\n";
    let (dir, lang) = if fa { ("rtl", "fa") } else { ("ltr", "en") };
    let mut paragraphs: String = lines
        .iter()
        .map(|l| format!("<p>{}</p>", escape(l)))
        .collect();
    if let Some(link) = &ctx.link {
        text.push_str(&format!("\n{label}: {link}\n"));
        paragraphs.push_str(&format!("<p><a href=\"{}\">{label}</a></p>", escape(link)));
    }
    if fa {
        paragraphs = rtl_wrap(&paragraphs);
    }
    let html = format!(
        "<!DOCTYPE html><html dir=\"{dir}\" lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{}</title></head><body dir=\"{dir}\">{paragraphs}</body></html>",
        escape(&subject)
    );
    Rendered {
        subject,
        text,
        html,
    }
}

#[cfg(test)]
mod tests;
