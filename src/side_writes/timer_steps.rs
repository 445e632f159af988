//! How a batch's timer writes are grouped: runs of cancels and schedules written as a few
//! multi-row statements, where grouping cannot change the rows they leave.

use crate::timers::TimerGroup;

use super::SideWrite;

#[derive(Debug, PartialEq)]
pub(crate) enum Step<'a> {
    Timers(TimerGroup<'a>),
    One(&'a SideWrite),
}

/// Groups side writes (documents, case agencies, e-mails, their outcomes and credentials
/// left out: a batch writes those first) into steps that leave the same rows as applying each write in order. A group runs
/// its cancels and then its schedules; a cancel joins a group only when it matches none of
/// the group's schedules (so running it before them changes nothing), a schedule always joins
/// (it came after the group's cancels), and any other write closes the group.
pub(crate) fn steps<'a>(writes: impl IntoIterator<Item = &'a SideWrite>) -> Vec<Step<'a>> {
    let mut grouping = Grouping::default();
    for write in writes {
        match write {
            SideWrite::Document(_)
            | SideWrite::CaseAgency(_)
            | SideWrite::Enqueue(_)
            | SideWrite::FinishNotification(_)
            | SideWrite::Credential(_) => {}
            SideWrite::ScheduleTimer(timer) => {
                grouping.cases.insert(&timer.case_id);
                grouping
                    .tasks
                    .insert((&timer.case_id, timer.task_id.as_deref()));
                grouping.group.schedule.push(timer);
            }
            SideWrite::CancelTimers { case_id, task_id } => {
                let matches = match task_id {
                    None => grouping.cases.contains(case_id.as_str()),
                    Some(task) => grouping.tasks.contains(&(case_id.as_str(), Some(task))),
                };
                if matches {
                    grouping.close();
                }
                match task_id {
                    None => grouping.group.cancel_cases.push(case_id),
                    Some(task) => grouping.group.cancel_tasks.push((case_id, task)),
                }
            }
            SideWrite::CompleteTimer { .. } => {
                grouping.close();
                grouping.steps.push(Step::One(write));
            }
        }
    }
    grouping.close();
    grouping.steps
}

/// The steps so far and the open group, with what the group's schedules touch.
#[derive(Default)]
struct Grouping<'a> {
    steps: Vec<Step<'a>>,
    group: TimerGroup<'a>,
    cases: std::collections::HashSet<&'a str>,
    tasks: std::collections::HashSet<(&'a str, Option<&'a str>)>,
}

impl Grouping<'_> {
    /// Ends the open group: keeps it if it holds anything and forgets what it touched.
    fn close(&mut self) {
        if self.group != TimerGroup::default() {
            self.steps
                .push(Step::Timers(std::mem::take(&mut self.group)));
        }
        self.cases.clear();
        self.tasks.clear();
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;
    use crate::timers::TimerRow;

    /// The `timers` table as `(case, task, status)` by id.
    type Table = BTreeMap<String, (String, Option<String>, &'static str)>;

    fn schedule(table: &mut Table, t: &TimerRow) {
        table
            .entry(t.id.clone())
            .or_insert((t.case_id.clone(), t.task_id.clone(), "pending"));
    }

    fn cancel(table: &mut Table, case_id: &str, task_id: Option<&str>) {
        for (case, task, status) in table.values_mut() {
            if *status == "pending"
                && case == case_id
                && task_id.is_none_or(|t| task.as_deref() == Some(t))
            {
                *status = "cancelled";
            }
        }
    }

    fn one(table: &mut Table, write: &SideWrite) {
        match write {
            SideWrite::ScheduleTimer(t) => schedule(table, t),
            SideWrite::CancelTimers { case_id, task_id } => {
                cancel(table, case_id, task_id.as_deref())
            }
            SideWrite::CompleteTimer { id } => {
                if let Some(row) = table.get_mut(id) {
                    row.2 = "fired";
                }
            }
            _ => {}
        }
    }

    fn by_steps(table: &mut Table, writes: &[SideWrite]) {
        for step in steps(writes) {
            match step {
                Step::Timers(group) => {
                    for case in group.cancel_cases {
                        cancel(table, case, None);
                    }
                    for (case, task) in group.cancel_tasks {
                        cancel(table, case, Some(task));
                    }
                    for t in group.schedule {
                        schedule(table, t);
                    }
                }
                Step::One(write) => one(table, write),
            }
        }
    }

    fn write() -> impl Strategy<Value = SideWrite> {
        let case = || prop::sample::select(vec!["c1", "c2"]);
        let task = || prop::option::of(prop::sample::select(vec!["t1", "t2"]));
        prop_oneof![
            4 => (case(), task(), 0..3u8).prop_map(|(c, t, k)| SideWrite::ScheduleTimer(TimerRow {
                id: format!("{c}/{}/{k}", t.unwrap_or("-")),
                case_id: c.into(),
                task_id: t.map(Into::into),
                kind: k.to_string(),
                due_at_us: 0,
            })),
            3 => (case(), task()).prop_map(|(c, t)| SideWrite::CancelTimers {
                case_id: c.into(),
                task_id: t.map(Into::into),
            }),
            1 => (case(), task(), 0..3u8).prop_map(|(c, t, k)| SideWrite::CompleteTimer {
                id: format!("{c}/{}/{k}", t.unwrap_or("-")),
            }),
        ]
    }

    proptest! {
        #[test]
        fn steps_leave_the_rows_that_writes_in_order_leave(
            before in prop::collection::vec(write(), 0..8),
            writes in prop::collection::vec(write(), 0..24),
        ) {
            let mut table = Table::new();
            for w in &before {
                one(&mut table, w);
            }
            let mut expected = table.clone();
            for w in &writes {
                one(&mut expected, w);
            }
            by_steps(&mut table, &writes);
            prop_assert_eq!(table, expected);
        }
    }

    #[test]
    fn a_case_opening_and_submissions_to_other_cases_are_one_group() {
        let timer = |case: &str, task: &str, kind: &str| {
            SideWrite::ScheduleTimer(TimerRow {
                id: format!("{case}/{task}/{kind}"),
                case_id: case.into(),
                task_id: Some(task.into()),
                kind: kind.into(),
                due_at_us: 0,
            })
        };
        let cancel = |case: &str, task: &str| SideWrite::CancelTimers {
            case_id: case.into(),
            task_id: Some(task.into()),
        };
        let writes = [
            cancel("a", "1"),
            timer("b", "1", "reminder"),
            timer("b", "1", "deadline"),
            timer("b", "2", "reminder"),
            cancel("c", "7"),
            cancel("b", "2"),
            timer("b", "2", "reminder"),
        ];
        let steps = steps(&writes);
        assert_eq!(steps.len(), 2, "{steps:?}");
        let Step::Timers(first) = &steps[0] else {
            panic!("{steps:?}")
        };
        assert_eq!(first.cancel_tasks, [("a", "1"), ("c", "7")]);
        assert_eq!(first.schedule.len(), 3);
    }
}
