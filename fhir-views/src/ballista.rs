//! Ballista: the view scan on Ballista executors.
//!
//! Ballista sends the logical plan from the client to the scheduler and physical plan
//! fragments from the scheduler to the executors, as protobuf. These codecs carry the two
//! things of this crate through: the table ([`ViewTable`], logical) and the scan (physical: a
//! `DataSourceExec` over a [`ViewSource`], with the view JSON, the projection and the files
//! of each partition), so an executor rebuilds the scan and reads the files itself.
//! Everything else goes to Ballista's own codecs. The files must be readable at the same
//! paths on every executor (a shared file system).
//!
//! The scan has one partition per group of files (the scheduler's `target_partitions`, at
//! most one per file). As for its own file scans, the scheduler cuts each task's plan down
//! to the task's groups, so the executors read disjoint shares of the files.
//!
//! ```no_run
//! # async fn demo() -> datafusion::error::Result<()> {
//! use ballista::extension::SessionContextExt;
//! use datafusion::execution::SessionStateBuilder;
//! use datafusion::prelude::SessionContext;
//!
//! let state = SessionStateBuilder::new()
//!     .with_config(fhir_views::ballista::session_config())
//!     .with_default_features()
//!     .build();
//! let ctx = SessionContext::remote_with_state("df://scheduler:50050", state).await?;
//! # Ok(()) }
//! ```

use crate::arrow::{ArrowOptions, DecimalAs, TemporalAs};
use crate::ndjson::Progress;
use crate::provider::{scan_files, view_scan, ViewSource, ViewTable};
use ballista_core::extension::SessionConfigExt;
use ballista_core::serde::{BallistaLogicalExtensionCodec, BallistaPhysicalExtensionCodec};
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::TableProvider;
use datafusion::common::TableReference;
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::TaskContext;
use datafusion::logical_expr::{AggregateUDF, Extension, LogicalPlan, ScalarUDF, WindowUDF};
use datafusion::physical_plan::ExecutionPlan;
use datafusion::prelude::SessionConfig;
use datafusion_proto::logical_plan::LogicalExtensionCodec;
use datafusion_proto::physical_plan::{PhysicalExtensionCodec, PhysicalProtoConverterExtension};
use serde_json::{json, Value as Json};
use std::path::PathBuf;
use std::sync::Arc;

/// Marks this crate's messages, so anything else goes to Ballista's codecs.
const MAGIC: &[u8] = b"fhir-views/2:";

/// A Ballista session configuration with this crate's codecs.
pub fn session_config() -> SessionConfig {
    SessionConfig::new_with_ballista()
        .with_ballista_logical_extension_codec(Arc::new(ViewLogicalCodec::default()))
        .with_ballista_physical_extension_codec(Arc::new(ViewPhysicalCodec::default()))
}

fn arrow_json(a: ArrowOptions) -> Json {
    let decimal = match a.decimal {
        DecimalAs::Text => Json::Null,
        DecimalAs::Decimal128 { precision, scale } => json!([precision, scale]),
    };
    json!({"decimal": decimal, "native_dates": a.temporal == TemporalAs::Native})
}

fn arrow_from_json(j: &Json) -> ArrowOptions {
    let decimal = match j["decimal"].as_array().map(Vec::as_slice) {
        Some([p, s]) => match (p.as_u64(), s.as_i64()) {
            (Some(p), Some(s)) => DecimalAs::Decimal128 {
                precision: p.min(38) as u8,
                scale: s.clamp(0, 38) as i8,
            },
            _ => DecimalAs::Text,
        },
        _ => DecimalAs::Text,
    };
    let temporal = if j["native_dates"].as_bool() == Some(true) {
        TemporalAs::Native
    } else {
        TemporalAs::Text
    };
    ArrowOptions { decimal, temporal }
}

fn encode(value: &Json, buf: &mut Vec<u8>) -> Result<()> {
    buf.extend_from_slice(MAGIC);
    serde_json::to_writer(buf, value).map_err(|e| DataFusionError::External(Box::new(e)))
}

/// The message in `buf` when it is one of this crate's (`None`: give it to Ballista).
fn decode(buf: &[u8]) -> Option<Result<Json>> {
    let body = buf.strip_prefix(MAGIC)?;
    Some(serde_json::from_slice(body).map_err(|e| {
        DataFusionError::Internal(format!("fhir-views: cannot decode a plan message: {e}"))
    }))
}

/// The fields both messages share: the view, its Arrow choices, strictness.
fn view_fields(view_json: &str, arrow: ArrowOptions, strict: bool) -> Json {
    json!({"view": view_json, "arrow": arrow_json(arrow), "strict": strict})
}

fn view_of<'a>(m: &'a Json, what: &str) -> Result<&'a str> {
    m["view"].as_str().ok_or_else(|| {
        DataFusionError::Internal(format!("fhir-views: {what} message without a view"))
    })
}

fn files_json(files: &[(PathBuf, u64)]) -> Json {
    files
        .iter()
        .map(|(p, n)| json!([p.display().to_string(), n]))
        .collect()
}

fn files_from_json(j: &Json) -> Vec<(PathBuf, u64)> {
    j.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| Some((PathBuf::from(f[0].as_str()?), f[1].as_u64()?)))
                .collect()
        })
        .unwrap_or_default()
}

/// The function (UDF, UDAF, UDWF) methods of a codec, given to Ballista's codec `inner`.
macro_rules! forward_functions {
    () => {
        fn try_decode_udf(&self, name: &str, buf: &[u8]) -> Result<Arc<ScalarUDF>> {
            self.inner.try_decode_udf(name, buf)
        }

        fn try_encode_udf(&self, node: &ScalarUDF, buf: &mut Vec<u8>) -> Result<()> {
            self.inner.try_encode_udf(node, buf)
        }

        fn try_decode_udaf(&self, name: &str, buf: &[u8]) -> Result<Arc<AggregateUDF>> {
            self.inner.try_decode_udaf(name, buf)
        }

        fn try_encode_udaf(&self, node: &AggregateUDF, buf: &mut Vec<u8>) -> Result<()> {
            self.inner.try_encode_udaf(node, buf)
        }

        fn try_decode_udwf(&self, name: &str, buf: &[u8]) -> Result<Arc<WindowUDF>> {
            self.inner.try_decode_udwf(name, buf)
        }

        fn try_encode_udwf(&self, node: &WindowUDF, buf: &mut Vec<u8>) -> Result<()> {
            self.inner.try_encode_udwf(node, buf)
        }
    };
}

/// Carries [`ViewTable`] in logical plans; the rest goes to Ballista's codec.
#[derive(Debug, Default)]
pub struct ViewLogicalCodec {
    inner: BallistaLogicalExtensionCodec,
}

impl LogicalExtensionCodec for ViewLogicalCodec {
    fn try_decode(
        &self,
        buf: &[u8],
        inputs: &[LogicalPlan],
        ctx: &TaskContext,
    ) -> Result<Extension> {
        self.inner.try_decode(buf, inputs, ctx)
    }

    fn try_encode(&self, node: &Extension, buf: &mut Vec<u8>) -> Result<()> {
        self.inner.try_encode(node, buf)
    }

    fn try_decode_table_provider(
        &self,
        buf: &[u8],
        table_ref: &TableReference,
        schema: SchemaRef,
        ctx: &TaskContext,
    ) -> Result<Arc<dyn TableProvider>> {
        let Some(message) = decode(buf) else {
            return self
                .inner
                .try_decode_table_provider(buf, table_ref, schema, ctx);
        };
        let m = message?;
        let files = files_from_json(&m["files"])
            .into_iter()
            .map(|f| f.0)
            .collect();
        let table =
            ViewTable::with_files(view_of(&m, "table")?, files, arrow_from_json(&m["arrow"]))?
                .strict(m["strict"].as_bool() == Some(true));
        Ok(Arc::new(table))
    }

    fn try_encode_table_provider(
        &self,
        table_ref: &TableReference,
        node: Arc<dyn TableProvider>,
        buf: &mut Vec<u8>,
    ) -> Result<()> {
        let Some(table) = (node.as_ref() as &dyn std::any::Any).downcast_ref::<ViewTable>() else {
            return self.inner.try_encode_table_provider(table_ref, node, buf);
        };
        let mut m = view_fields(table.view_json(), table.arrow_options(), table.is_strict());
        let files: Vec<(PathBuf, u64)> = table.files().into_iter().map(|f| (f, 0)).collect();
        m["files"] = files_json(&files);
        encode(&m, buf)
    }

    fn try_decode_file_format(
        &self,
        buf: &[u8],
        ctx: &TaskContext,
    ) -> Result<Arc<dyn datafusion::datasource::file_format::FileFormatFactory>> {
        self.inner.try_decode_file_format(buf, ctx)
    }

    fn try_encode_file_format(
        &self,
        buf: &mut Vec<u8>,
        node: Arc<dyn datafusion::datasource::file_format::FileFormatFactory>,
    ) -> Result<()> {
        self.inner.try_encode_file_format(buf, node)
    }

    forward_functions!();
}

/// Carries the view scan (a `DataSourceExec` over a [`ViewSource`]) in physical plans; the
/// rest goes to Ballista's codec.
#[derive(Debug, Default)]
pub struct ViewPhysicalCodec {
    inner: BallistaPhysicalExtensionCodec,
}

impl PhysicalExtensionCodec for ViewPhysicalCodec {
    fn try_decode(
        &self,
        buf: &[u8],
        inputs: &[Arc<dyn ExecutionPlan>],
        ctx: &TaskContext,
        converter: &dyn PhysicalProtoConverterExtension,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let Some(message) = decode(buf) else {
            return self.inner.try_decode(buf, inputs, ctx, converter);
        };
        let m = message?;
        let projection = m["projection"].as_array().map(|p| {
            p.iter()
                .filter_map(Json::as_u64)
                .map(|i| i as usize)
                .collect()
        });
        let groups = m["groups"]
            .as_array()
            .map(|g| g.iter().map(files_from_json).collect())
            .unwrap_or_default();
        let limit = m["limit"].as_u64().map(|n| n as usize);
        let source = ViewSource::try_new(
            view_of(&m, "scan")?.into(),
            arrow_from_json(&m["arrow"]),
            m["strict"].as_bool() == Some(true),
            Arc::new(Progress::default()),
        )?
        .with_projection(projection)?
        .with_issues_logged();
        Ok(source.into_exec(groups, limit))
    }

    fn try_encode(
        &self,
        node: Arc<dyn ExecutionPlan>,
        buf: &mut Vec<u8>,
        converter: &dyn PhysicalProtoConverterExtension,
    ) -> Result<()> {
        let (Some((config, source)), Some(groups)) =
            (view_scan(node.as_ref()), scan_files(node.as_ref()))
        else {
            return self.inner.try_encode(node, buf, converter);
        };
        let mut m = view_fields(
            source.view_json(),
            source.arrow_options(),
            source.is_strict(),
        );
        m["projection"] = json!(source.projection_indices());
        m["groups"] = groups.iter().map(|g| files_json(g)).collect();
        m["limit"] = json!(config.limit);
        encode(&m, buf)
    }

    forward_functions!();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrow_options_round_trip() {
        for a in [
            ArrowOptions::default(),
            ArrowOptions {
                decimal: DecimalAs::Decimal128 {
                    precision: 20,
                    scale: 4,
                },
                temporal: TemporalAs::Native,
            },
        ] {
            assert_eq!(arrow_from_json(&arrow_json(a)), a);
        }
        assert!(decode(b"not ours").is_none());
        assert!(decode(&[MAGIC, b"{"].concat()).is_some_and(|r| r.is_err()));
    }
}
