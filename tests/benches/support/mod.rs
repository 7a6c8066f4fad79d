//! The parts of the `throughput` bench: what is measured, and the side-by-side report.

pub mod report;
pub mod workloads;
