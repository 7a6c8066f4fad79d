//! SQL on FHIR v2 views over FHIR data: a ViewDefinition runner on the typed model and its
//! FHIRPath engine, producing Arrow record batches; a parallel reader of Bulk Data NDJSON
//! directories; CSV, NDJSON and (feature `datafusion`) Parquet output; a DataFusion
//! `TableProvider` (feature `datafusion`) and its Ballista codec (feature `ballista`).
//!
//! ```
//! use fhir_views::{ViewDefinition, arrow::{schema, ArrowOptions, BatchBuilder}};
//!
//! let view = ViewDefinition::from_json_str(r#"{
//!     "resourceType": "ViewDefinition", "resource": "Patient",
//!     "select": [{"column": [
//!         {"name": "id", "path": "getResourceKey()", "type": "id"},
//!         {"name": "family", "path": "name.first().family", "type": "string"}
//!     ]}]
//! }"#)?;
//! view.check()?;
//! let patient = fhir_model::json::from_str(
//!     r#"{"resourceType": "Patient", "id": "p1", "name": [{"family": "Chalmers"}]}"#,
//! )?;
//! let mut builder = BatchBuilder::new(schema(&view, &ArrowOptions::default()));
//! for row in view.rows(&patient)? {
//!     builder.push(&row)?;
//! }
//! let batch = builder.finish();
//! assert_eq!(batch.num_rows(), 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod arrow;
#[cfg(feature = "ballista")]
pub mod ballista;
mod error;
pub mod keys;
mod lines;
pub mod ndjson;
pub mod output;
#[cfg(feature = "datafusion")]
pub mod parquet;
#[cfg(feature = "datafusion")]
pub mod provider;
pub mod prune;
mod run;
pub mod view;

pub use error::{RunError, ViewError};
pub use run::{Cell, Row};
pub use view::ViewDefinition;
