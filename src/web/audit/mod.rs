//! The auditor's pages: the event log with its filters and cursor paging ([`events`]), a
//! case's timeline ([`timeline`]), a case as it was at any position ([`state`]) and the
//! hash-chain verification with its checkpoint ([`verify`]). They only read: the work is
//! in [`crate::audit`] (shared with the API and the CLI), and no page here offers a button
//! that writes.

pub mod events;
pub mod state;
pub mod timeline;
pub mod verify;

#[cfg(test)]
mod tests;

use chrono::{DateTime, SecondsFormat, Utc};
use maud::{Markup, html};

use super::format::date;
use super::i18n::Locale;
use crate::domain::Role;

/// Who reads the log: auditors, and administrators.
pub const AUDITORS: &[Role] = &[Role::Auditor, Role::Admin];

/// An instant as an auditor needs it: the Jalali day and the exact UTC time.
pub fn instant(locale: Locale, at: DateTime<Utc>) -> Markup {
    html! {
        (date(locale, at))
        " "
        bdi.utc { (at.to_rfc3339_opts(SecondsFormat::Secs, true)) }
    }
}

/// An event type in the reader's language (its stored name stays beside it).
pub fn event_name(locale: Locale, event_type: &str) -> &str {
    let fa = match event_type {
        "CaseOpened" => "گشایش پرونده",
        "TaskAssigned" => "واگذاری کار",
        "SubmissionReceived" => "دریافت ارسال",
        "SubmissionReturned" => "بازگشت برای اصلاح",
        "SubmissionAccepted" => "پذیرش ارسال",
        "SubmissionWithdrawn" => "پس‌گرفتن ارسال",
        "TaskReassigned" => "واگذاری دوبارهٔ کار",
        "VoteOpened" => "آغاز رأی‌گیری",
        "VoteCast" => "ثبت رأی",
        "VoteClosed" => "پایان رأی‌گیری",
        "ChildCaseOrdered" => "دستور گشایش پروندهٔ تازه",
        "CaseCompleted" => "پایان پرونده",
        "CaseCancelled" => "لغو پرونده",
        "TaskReminded" | "TaskRemindedNow" => "یادآوری",
        "TaskOverdue" => "گذشتن مهلت",
        "DeadlineEscalated" => "پیگیری در سطح بالاتر",
        "DeadlineMoved" => "جابه‌جایی مهلت",
        "ResolutionAdopted" => "تصویب در جلسه",
        "FormVersionRegistered" => "ثبت نسخهٔ فرم",
        "WorkflowVersionRegistered" => "ثبت نسخهٔ گردش کار",
        "AgencyRegistered" => "ثبت دستگاه",
        "MemberRegistered" => "ثبت عضو",
        "MemberDisabled" => "غیرفعال‌شدن عضو",
        "MemberEnabled" => "فعال‌شدن عضو",
        "TokenIssued" => "صدور توکن",
        "TokenRevoked" => "ابطال توکن",
        "ClosureAdded" => "ثبت تعطیلی",
        _ => return event_type,
    };
    locale.pick(fa, event_type)
}

/// A role as stored in an event's metadata, in the reader's language.
pub fn role_name(locale: Locale, role: &str) -> &str {
    let fa = match role {
        "admin" => "مدیر سامانه",
        "secretariat" => "دبیرخانه",
        "member" => "عضو",
        "auditor" => "حسابرس",
        "system" => "سامانه",
        _ => return role,
    };
    locale.pick(fa, role)
}

/// The case a stream belongs to, if it is a case's stream.
pub fn case_of_stream(stream: &str) -> Option<&str> {
    stream.strip_prefix("case-")
}
