//! What a review's return gives: the step the task goes back to and the deadline the agency
//! then has. Written `on_return: submit` (the step only) or
//! `on_return: {step: submit, due: keep | {after: P5D} | {working_days: 3}}`.
//!
//! Owns the shape only; the domain decides what the rule means when a return happens.

use serde::{Deserialize, Serialize};

use super::IsoDuration;
use super::model::{DueRule, Target};

/// Where a return sends the task and the time it gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "OnReturnText", into = "OnReturnText")]
pub struct OnReturn {
    pub step: Target,
    /// `None` when the definition does not say: the domain's default applies.
    pub due: Option<ReturnDue>,
}

impl OnReturn {
    /// The JSON Pointer tail under which the target step is written.
    pub fn step_key(&self) -> &'static str {
        if self.due.is_some() {
            "on_return/step"
        } else {
            "on_return"
        }
    }
}

/// The deadline a return gives, counted from the moment of the return. A return never
/// shortens a deadline: the later of this and the current deadline applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ReturnDueText", into = "ReturnDueText")]
pub enum ReturnDue {
    /// The current deadline stays.
    Keep,
    After(IsoDuration),
    WorkingDays(u32),
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum OnReturnText {
    Step(Target),
    Full {
        step: Target,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due: Option<ReturnDue>,
    },
}

impl From<OnReturnText> for OnReturn {
    fn from(text: OnReturnText) -> Self {
        match text {
            OnReturnText::Step(step) => OnReturn { step, due: None },
            OnReturnText::Full { step, due } => OnReturn { step, due },
        }
    }
}

impl From<OnReturn> for OnReturnText {
    fn from(on_return: OnReturn) -> Self {
        match on_return.due {
            None => OnReturnText::Step(on_return.step),
            due => OnReturnText::Full {
                step: on_return.step,
                due,
            },
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum ReturnDueText {
    Keyword(String),
    Rule(DueRule),
}

impl TryFrom<ReturnDueText> for ReturnDue {
    type Error = String;

    fn try_from(text: ReturnDueText) -> Result<Self, Self::Error> {
        match text {
            ReturnDueText::Keyword(k) if k == "keep" => Ok(ReturnDue::Keep),
            ReturnDueText::Keyword(k) => Err(format!("unknown return deadline {k:?}")),
            ReturnDueText::Rule(DueRule::After(d)) => Ok(ReturnDue::After(d)),
            ReturnDueText::Rule(DueRule::WorkingDays(n)) => Ok(ReturnDue::WorkingDays(n)),
            ReturnDueText::Rule(other) => Err(format!(
                "a return gives time counted from the return ({{after: …}} or {{working_days: …}}), not {other:?}"
            )),
        }
    }
}

impl From<ReturnDue> for ReturnDueText {
    fn from(due: ReturnDue) -> Self {
        match due {
            ReturnDue::Keep => ReturnDueText::Keyword("keep".to_owned()),
            ReturnDue::After(d) => ReturnDueText::Rule(DueRule::After(d)),
            ReturnDue::WorkingDays(n) => ReturnDueText::Rule(DueRule::WorkingDays(n)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(yaml: &str) -> OnReturn {
        yaml_serde::from_str(yaml).unwrap()
    }

    #[test]
    fn the_step_alone_still_reads_and_says_nothing_of_the_deadline() {
        let on_return = read("submit");
        assert_eq!(on_return.step, Target::Step("submit".into()));
        assert_eq!(on_return.due, None);
        assert_eq!(on_return.step_key(), "on_return");
    }

    #[test]
    fn the_long_form_carries_the_deadline_it_gives() {
        assert_eq!(read("{step: submit, due: keep}").due, Some(ReturnDue::Keep));
        assert_eq!(
            read("{step: submit, due: {after: P5D}}").due,
            Some(ReturnDue::After(IsoDuration::parse("P5D").unwrap()))
        );
        let three = read("{step: submit, due: {working_days: 3}}");
        assert_eq!(three.due, Some(ReturnDue::WorkingDays(3)));
        assert_eq!(three.step_key(), "on_return/step");
        let written = serde_json::to_value(&three).unwrap();
        assert_eq!(
            written,
            serde_json::json!({"step": "submit", "due": {"working_days": 3}})
        );
    }

    #[test]
    fn a_deadline_not_counted_from_the_return_is_refused() {
        assert!(
            yaml_serde::from_str::<OnReturn>("{step: submit, due: {end_of: jalali_month}}")
                .is_err()
        );
        assert!(yaml_serde::from_str::<OnReturn>("{step: submit, due: forever}").is_err());
    }
}
