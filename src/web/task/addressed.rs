//! On a provider's confirmation task: the needs addressed to its agency (what is asked, and
//! by whom), above the form that answers them. Pure.

use maud::{Markup, html};

use crate::reports::confirmations::AddressedNeed;
use crate::web::format::bdi;
use crate::web::i18n::Locale;

pub fn addressed_section(locale: Locale, needs: &[AddressedNeed]) -> Markup {
    html! {
        section.panel.addressed-needs aria-labelledby="addressed-title" {
            h2 #addressed-title { (locale.pick("نیازهایی که از دستگاه شما خواسته شده است", "The needs addressed to your agency")) }
            p.muted { (locale.pick(
                "برای هر نیاز در فرم زیر یک پاسخ بدهید: موافق (با واسط و تاریخ شروع)، موافق مشروط (با شرایط) یا مخالف (با مستند قانونی).",
                "Answer each need in the form below: agree (with the interface and the start date), agree with conditions (which), or decline (with the legal reason).",
            )) }
            div.table-scroll {
                table {
                    thead { tr {
                        th scope="col" { (locale.pick("شناسهٔ نیاز", "Need")) }
                        th scope="col" { (locale.pick("دستگاه متقاضی", "Asked by")) }
                        th scope="col" { (locale.pick("عنوان", "Title")) }
                        th scope="col" { (locale.pick("اقلام اطلاعاتی", "Data items")) }
                        th scope="col" { (locale.pick("عرضهٔ منطبق", "Matching offer")) }
                    } }
                    tbody {
                        @for need in needs {
                            tr {
                                td { (bdi(&need.need)) }
                                td { (bdi(&need.consumer)) }
                                td { (need.title) }
                                td { (need.data_items.join(locale.pick("، ", ", "))) }
                                td {
                                    @match &need.offer {
                                        Some(offer) => (bdi(offer)),
                                        None => span.muted { (locale.pick("بدون عرضهٔ منطبق", "none yet")) },
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
