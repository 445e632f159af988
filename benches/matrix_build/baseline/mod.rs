//! The exchange matrix as it was built before match quality, catalogue items and the
//! extended normalisation: exact names after the old folding, every offer scanned for every
//! need, duplicates by comparing every pair. Kept verbatim (tests and schema derives
//! removed) as the benchmark's baseline, so each run measures both on the same machine.

#![allow(dead_code)]

pub mod duplicates;
pub mod entries;
pub mod matrix;
pub mod normalise;
