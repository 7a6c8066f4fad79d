//! A DataFusion `TableProvider` over a directory of NDJSON: `SELECT ... FROM patient_view`
//! runs the view on the files, with the query's projection pushed down to the view (columns
//! not asked for are not evaluated).
//!
//! The files are split into partitions of about equal size (DataFusion's `target_partitions`,
//! at most one per file); each partition is read by one thread. The plan node
//! ([`ViewScanExec`]) carries the view's JSON, the projection and its files, so a Ballista
//! executor can rebuild it and read its share itself (see `crate::ballista`).
//!
//! ```no_run
//! # async fn demo() -> datafusion::error::Result<()> {
//! use datafusion::prelude::SessionContext;
//! use fhir_views::provider::ViewTable;
//! use std::sync::Arc;
//!
//! let ctx = SessionContext::new();
//! let view = std::fs::read_to_string("patient_view.json")?;
//! ctx.register_table("patient_view", Arc::new(ViewTable::try_new(&view, "export/".as_ref())?))?;
//! ctx.sql("SELECT gender, count(*) FROM patient_view GROUP BY gender").await?.show().await?;
//! # Ok(()) }
//! ```

use crate::arrow::{schema, ArrowOptions};
use crate::ndjson::{list_files, Progress, ScanOptions, Worker};
use crate::view::ViewDefinition;
use arrow_schema::SchemaRef;
use async_trait::async_trait;
use datafusion::catalog::Session;
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::datasource::{TableProvider, TableType};
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::TaskContext;
use datafusion::logical_expr::Expr;
use datafusion::physical_expr::{EquivalenceProperties, PhysicalExpr};
use datafusion::physical_plan::execution_plan::{Boundedness, EmissionType};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{
    DisplayAs, DisplayFormatType, ExecutionPlan, Partitioning, PlanProperties,
    ReplaceChildrenOptions, SendableRecordBatchStream,
};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// A view over NDJSON files, as a DataFusion table.
#[derive(Debug)]
pub struct ViewTable {
    view_json: Arc<str>,
    files: Vec<(PathBuf, u64)>,
    arrow: ArrowOptions,
    strict: bool,
    schema: SchemaRef,
    progress: Arc<Progress>,
    max_partitions: usize,
}

fn external(e: impl std::error::Error + Send + Sync + 'static) -> DataFusionError {
    DataFusionError::External(Box::new(e))
}

impl ViewTable {
    /// The view (JSON text) over the NDJSON files of `input` (a file or a directory).
    pub fn try_new(view_json: &str, input: &Path) -> Result<ViewTable> {
        let files = list_files(input).map_err(|e| {
            DataFusionError::Execution(format!("cannot list {}: {e}", input.display()))
        })?;
        ViewTable::with_files(view_json, files, ArrowOptions::default())
    }

    /// The view over the given files, with Arrow type choices.
    pub fn with_files(
        view_json: &str,
        files: Vec<PathBuf>,
        arrow: ArrowOptions,
    ) -> Result<ViewTable> {
        let view = ViewDefinition::from_json_str(view_json).map_err(external)?;
        view.check().map_err(external)?;
        let files = files
            .into_iter()
            .map(|f| {
                let len = std::fs::metadata(&f).map_or(0, |m| m.len());
                (f, len)
            })
            .collect();
        Ok(ViewTable {
            view_json: view_json.into(),
            schema: schema(&view, &arrow),
            files,
            arrow,
            strict: false,
            progress: Arc::new(Progress::default()),
            max_partitions: usize::MAX,
        })
    }

    /// Scans in at most `n` partitions (at least 1).
    pub fn with_max_partitions(mut self, n: usize) -> Self {
        self.max_partitions = n.max(1);
        self
    }

    /// Lines the FHIR reader would have to repair are issues (and not used).
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// The view's JSON.
    pub fn view_json(&self) -> &str {
        &self.view_json
    }

    /// The files read.
    pub fn files(&self) -> Vec<PathBuf> {
        self.files.iter().map(|f| f.0.clone()).collect()
    }

    /// The Arrow type choices.
    pub fn arrow_options(&self) -> ArrowOptions {
        self.arrow
    }

    /// Whether reading is strict.
    pub fn is_strict(&self) -> bool {
        self.strict
    }

    /// Counters and issues of the scans run in this process so far.
    pub fn progress(&self) -> &Arc<Progress> {
        &self.progress
    }
}

/// Splits files into `n` groups of about equal bytes (largest first, each to the lightest).
fn partition(files: &[(PathBuf, u64)], n: usize) -> Vec<Vec<PathBuf>> {
    let n = n.clamp(1, files.len().max(1));
    let mut sorted: Vec<&(PathBuf, u64)> = files.iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut groups: Vec<(u64, Vec<PathBuf>)> = vec![(0, Vec::new()); n];
    for (path, len) in sorted {
        if let Some(g) = groups.iter_mut().min_by_key(|g| g.0) {
            g.0 += len;
            g.1.push(path.clone());
        }
    }
    groups.into_iter().map(|g| g.1).collect()
}

#[async_trait]
impl TableProvider for ViewTable {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn table_type(&self) -> TableType {
        TableType::Base
    }

    async fn scan(
        &self,
        state: &dyn Session,
        projection: Option<&Vec<usize>>,
        _filters: &[Expr],
        _limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let n = state.config().target_partitions().min(self.max_partitions);
        let groups = partition(&self.files, n);
        let exec = ViewScanExec::try_new(
            self.view_json.clone(),
            projection.cloned(),
            groups,
            self.arrow,
            self.strict,
            self.progress.clone(),
        )?;
        Ok(Arc::new(exec))
    }
}

/// The scan of a view over groups of files, one partition per group.
#[derive(Debug)]
pub struct ViewScanExec {
    view_json: Arc<str>,
    projection: Option<Vec<usize>>,
    groups: Vec<Vec<PathBuf>>,
    arrow: ArrowOptions,
    strict: bool,
    view: Arc<ViewDefinition>,
    /// Positions in the projected view's batch of the columns in the order asked for.
    order: Vec<usize>,
    schema: SchemaRef,
    properties: Arc<PlanProperties>,
    progress: Arc<Progress>,
    log_issues: bool,
}

impl ViewScanExec {
    /// Rebuilds a scan from its parts (what a Ballista codec carries).
    pub fn try_new(
        view_json: Arc<str>,
        projection: Option<Vec<usize>>,
        groups: Vec<Vec<PathBuf>>,
        arrow: ArrowOptions,
        strict: bool,
        progress: Arc<Progress>,
    ) -> Result<ViewScanExec> {
        let full = ViewDefinition::from_json_str(&view_json).map_err(external)?;
        let full_schema = schema(&full, &arrow);
        let (view, order, schema) = match &projection {
            None => {
                let order = (0..full.columns.len()).collect();
                (full, order, full_schema)
            }
            Some(p) => {
                let view = full.project(p).map_err(external)?;
                // The projected view yields the asked columns in view order, once each.
                let mut sorted = p.clone();
                sorted.sort_unstable();
                sorted.dedup();
                let order = p
                    .iter()
                    .map(|i| sorted.binary_search(i).unwrap_or(0))
                    .collect();
                let schema = Arc::new(full_schema.project(p)?);
                (view, order, schema)
            }
        };
        let properties = PlanProperties::new(
            EquivalenceProperties::new(schema.clone()),
            Partitioning::UnknownPartitioning(groups.len().max(1)),
            EmissionType::Incremental,
            Boundedness::Bounded,
        );
        Ok(ViewScanExec {
            view_json,
            projection,
            groups,
            arrow,
            strict,
            view: Arc::new(view),
            order,
            schema,
            properties: Arc::new(properties),
            progress,
            log_issues: false,
        })
    }

    /// Writes each partition's issues to stderr when it ends: for a scan rebuilt on a
    /// Ballista executor, where no [`ViewTable`] holds the counters.
    pub fn with_issues_logged(mut self) -> Self {
        self.log_issues = true;
        self
    }

    /// The view's JSON.
    pub fn view_json(&self) -> &str {
        &self.view_json
    }

    /// The columns asked for (indices into the view's columns).
    pub fn projection(&self) -> Option<&[usize]> {
        self.projection.as_deref()
    }

    /// The files of each partition.
    pub fn groups(&self) -> &[Vec<PathBuf>] {
        &self.groups
    }

    /// The Arrow type choices.
    pub fn arrow_options(&self) -> ArrowOptions {
        self.arrow
    }

    /// Whether reading is strict.
    pub fn is_strict(&self) -> bool {
        self.strict
    }
}

impl DisplayAs for ViewScanExec {
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let files: usize = self.groups.iter().map(Vec::len).sum();
        write!(
            f,
            "ViewScanExec: view={} resource={}, files={files}, partitions={}, columns=[{}]",
            self.view.name.as_deref().unwrap_or("unnamed"),
            self.view.resource,
            self.groups.len(),
            self.schema
                .fields()
                .iter()
                .map(|f| f.name().as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

impl ExecutionPlan for ViewScanExec {
    fn name(&self) -> &str {
        "ViewScanExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        Vec::new()
    }

    fn apply_expressions(
        &self,
        _f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> Result<TreeNodeRecursion>,
    ) -> Result<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn replace_children(
        self: Arc<Self>,
        _children: Vec<Arc<dyn ExecutionPlan>>,
        _options: ReplaceChildrenOptions,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        Ok(self)
    }

    fn with_new_children(
        self: Arc<Self>,
        _children: Vec<Arc<dyn ExecutionPlan>>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        Ok(self)
    }

    fn execute(
        &self,
        partition: usize,
        _context: Arc<TaskContext>,
    ) -> Result<SendableRecordBatchStream> {
        let files = match self.groups.get(partition) {
            Some(files) => files.clone(),
            None if self.groups.is_empty() && partition == 0 => Vec::new(),
            None => {
                return Err(DataFusionError::Internal(format!(
                    "ViewScanExec has {} partitions, asked for {partition}",
                    self.groups.len()
                )))
            }
        };
        let (tx, rx) = tokio::sync::mpsc::channel::<Result<arrow_array::RecordBatch>>(2);
        let order = self.order.clone();
        let sender = tx.clone();
        let send: crate::ndjson::BatchSender = Arc::new(move |batch: arrow_array::RecordBatch| {
            let projected = batch.project(&order).map_err(DataFusionError::from);
            let failed = projected.is_err();
            sender.blocking_send(projected).is_ok() && !failed
        });
        let log_issues = self.log_issues;
        let worker = Worker {
            view: self.view.clone(),
            schema: crate::arrow::schema(&self.view, &self.arrow),
            options: ScanOptions {
                threads: 1,
                arrow: self.arrow,
                strict: self.strict,
                ..ScanOptions::default()
            },
            progress: self.progress.clone(),
            send,
            stop: Arc::new(AtomicBool::new(false)),
        };
        std::thread::Builder::new()
            .name(format!("fhir-views-scan-{partition}"))
            .spawn(move || {
                for file in &files {
                    if !worker.file(file) {
                        break;
                    }
                }
                drop(tx);
                if log_issues {
                    let summary = worker.progress.summary();
                    if summary.issues > 0 {
                        for issue in worker.progress.issues() {
                            eprintln!("fhir-views: partition {partition}: issue: {issue}");
                        }
                        eprintln!("fhir-views: partition {partition}: {summary}");
                    }
                }
            })
            .map_err(|e| DataFusionError::Execution(format!("cannot start a scan thread: {e}")))?;
        let stream = futures::stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|item| (item, rx))
        });
        Ok(Box::pin(RecordBatchStreamAdapter::new(
            self.schema.clone(),
            stream,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_balance_bytes() {
        let files: Vec<(PathBuf, u64)> = [5, 1, 4, 2, 3]
            .iter()
            .enumerate()
            .map(|(i, n)| (PathBuf::from(format!("f{i}")), *n))
            .collect();
        let groups = partition(&files, 2);
        assert_eq!(groups.len(), 2);
        let sum = |g: &Vec<PathBuf>| -> u64 {
            g.iter()
                .map(|p| files.iter().find(|f| &f.0 == p).map_or(0, |f| f.1))
                .sum()
        };
        assert_eq!(sum(&groups[0]) + sum(&groups[1]), 15);
        assert!(sum(&groups[0]).abs_diff(sum(&groups[1])) <= 1);
        assert_eq!(partition(&files, 9).len(), 5);
        assert_eq!(partition(&[], 4).len(), 1);
    }
}
