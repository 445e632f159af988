//! The workflow definition language (design.md §4): what administrators write in
//! `workflows/*.yaml` or PUT over the API, and its versions.
//!
//! Owns parsing, validation against `schemas/workflow.schema.json`, the semantic
//! checks (references, forms, reachability), content hashes and the in-memory
//! version registry. Every refusal lists all problems, each at a JSON Pointer.
//! It must not run workflows (the engine does), resolve deadlines (the calendar
//! does) or do I/O outside `load_file` / `load_dir`.

mod definition;
mod duration;
mod error;
mod files;
mod graph;
mod load;
mod model;
mod on_return;
mod registry;
mod schema;
mod semantic;

#[cfg(test)]
mod tests;

pub use definition::WorkflowDefinition;
pub use duration::{DurationError, IsoDuration};
pub use error::{DefinitionError, Issue, IssueKind};
pub use files::{format_of, load_dir, load_file};
pub use load::Format;
pub use model::{
    Assignee, AssigneeScope, DueOverride, DueRule, Escalation, JalaliPeriod, Notify, Participants,
    Review, Roll, StartCases, Step, StepKind, Submission, Target, Title, Vote, Voters,
};
pub use on_return::{OnReturn, ReturnDue};
pub use registry::{Registered, WorkflowRegistry, WorkflowVersion};
pub use schema::{WORKFLOW_SCHEMA, workflow_schema};
