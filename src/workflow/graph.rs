//! The step graph: which steps the first step can reach, and which can still
//! reach `done` or `end`.
//!
//! Owns only those two questions. Unknown step references are reported by
//! `semantic`; here they count as exits so one typo is not also reported as a
//! trap. Steps with a duplicate id are skipped: references resolve to the first.

use std::collections::HashMap;

use super::error::{Issue, IssueKind};
use super::model::{Step, Target};

/// An edge to another step, or out of the graph (`done`, `end`, or unknown).
type Edge = Option<usize>;

pub(super) fn check(steps: &[Step], index: &HashMap<&str, usize>) -> Vec<Issue> {
    if steps.is_empty() {
        return Vec::new();
    }
    let edges: Vec<Vec<Edge>> = steps.iter().map(|s| edges_of(s, index)).collect();
    let canonical = |i: usize| index.get(steps[i].id.as_str()) == Some(&i);
    let reachable = reachable_from_first(&edges);
    let exits = can_exit(&edges);

    let mut issues: Vec<Issue> = (0..steps.len())
        .filter(|&i| canonical(i) && !reachable[i])
        .map(|i| {
            Issue::new(
                format!("/steps/{i}"),
                IssueKind::UnreachableStep(steps[i].id.clone()),
            )
        })
        .collect();
    let trapped: Vec<usize> = (0..steps.len())
        .filter(|&i| canonical(i) && !exits[i])
        .collect();
    if let Some(&first) = trapped.first() {
        let ids = trapped.iter().map(|&i| steps[i].id.clone()).collect();
        issues.push(Issue::new(
            format!("/steps/{first}"),
            IssueKind::NoWayOut(ids),
        ));
    }
    issues
}

fn edges_of(step: &Step, index: &HashMap<&str, usize>) -> Vec<Edge> {
    step.transitions()
        .into_iter()
        .map(|(_, target)| match target {
            Target::Step(id) => index.get(id.as_str()).copied(),
            Target::Done | Target::End => None,
        })
        .collect()
}

fn reachable_from_first(edges: &[Vec<Edge>]) -> Vec<bool> {
    let mut seen = vec![false; edges.len()];
    let mut stack = vec![0];
    seen[0] = true;
    while let Some(i) = stack.pop() {
        for &next in edges[i].iter().flatten() {
            if !seen[next] {
                seen[next] = true;
                stack.push(next);
            }
        }
    }
    seen
}

/// Steps from which some path leads out: walk the edges backwards from every
/// step that has an exit edge.
fn can_exit(edges: &[Vec<Edge>]) -> Vec<bool> {
    let mut predecessors: Vec<Vec<usize>> = vec![Vec::new(); edges.len()];
    let mut stack = Vec::new();
    for (i, out) in edges.iter().enumerate() {
        for edge in out {
            match edge {
                Some(next) => predecessors[*next].push(i),
                None => stack.push(i),
            }
        }
    }
    let mut exits = vec![false; edges.len()];
    for &i in &stack {
        exits[i] = true;
    }
    while let Some(i) = stack.pop() {
        for &previous in &predecessors[i] {
            if !exits[previous] {
                exits[previous] = true;
                stack.push(previous);
            }
        }
    }
    exits
}
