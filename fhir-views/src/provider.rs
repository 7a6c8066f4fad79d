//! A DataFusion `TableProvider` over a directory of NDJSON: `SELECT ... FROM patient_view`
//! runs the view on the files, with the query's projection pushed down to the view (columns
//! not asked for are not evaluated).
//!
//! The files are split into partitions of about equal size (DataFusion's `target_partitions`,
//! at most one per file). The scan is DataFusion's own `DataSourceExec` over a
//! [`ViewSource`] (a `FileSource` that runs the view on each file), so each partition is a
//! file group: DataFusion reads the groups on separate threads, and Ballista hands each
//! task only its groups (see `crate::ballista`), so executors read their share of the files.
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
use crate::ndjson::{list_files, BatchSender, Progress, ScanOptions, Worker};
use crate::view::ViewDefinition;
use arrow_array::{RecordBatch, RecordBatchOptions};
use arrow_schema::SchemaRef;
use async_trait::async_trait;
use datafusion::catalog::Session;
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::datasource::listing::PartitionedFile;
use datafusion::datasource::object_store::ObjectStoreUrl;
use datafusion::datasource::physical_plan::{
    FileGroup, FileOpenFuture, FileOpener, FileScanConfig, FileScanConfigBuilder, FileSource,
};
use datafusion::datasource::source::DataSourceExec;
use datafusion::datasource::table_schema::TableSchema;
use datafusion::datasource::{TableProvider, TableType};
use datafusion::error::{DataFusionError, Result};
use datafusion::logical_expr::Expr;
use datafusion::object_store::ObjectStore;
use datafusion::physical_expr::expressions::Column;
use datafusion::physical_expr::projection::ProjectionExprs;
use datafusion::physical_expr::PhysicalExpr;
use datafusion::physical_plan::metrics::ExecutionPlanMetricsSet;
use datafusion::physical_plan::{DisplayFormatType, ExecutionPlan};
use futures::StreamExt;
use std::any::Any;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// A view over NDJSON files, as a DataFusion table.
#[derive(Debug)]
pub struct ViewTable {
    view_json: Arc<str>,
    resource: String,
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
                // Absolute, so executors elsewhere find the same files (a shared file system).
                (std::fs::canonicalize(&f).unwrap_or(f), len)
            })
            .collect();
        Ok(ViewTable {
            view_json: view_json.into(),
            resource: view.resource.clone(),
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

/// How much reading `path` costs a view of `resource`: its size, or a sixteenth of it when
/// its name says it holds another resource type (Bulk Data names files by type,
/// `Observation.003.ndjson`): such lines are skipped undecoded. The file is read either way.
fn weight(path: &Path, len: u64, resource: &str) -> u64 {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let ty = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or_default();
    if ty != resource && crate::view::empty_resource(ty).is_some() {
        len / 16 + 1
    } else {
        len
    }
}

/// Splits files into `n` groups of about equal work for a view of `resource` (heaviest
/// first, each to the lightest group; see [`weight`]).
fn partition(files: &[(PathBuf, u64)], n: usize, resource: &str) -> Vec<Vec<(PathBuf, u64)>> {
    let n = n.clamp(1, files.len().max(1));
    let mut sorted: Vec<(u64, &PathBuf, u64)> = files
        .iter()
        .map(|(p, len)| (weight(p, *len, resource), p, *len))
        .collect();
    sorted.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let mut groups: Vec<(u64, Vec<(PathBuf, u64)>)> = vec![(0, Vec::new()); n];
    for (w, path, len) in sorted {
        if let Some(g) = groups.iter_mut().min_by_key(|g| g.0) {
            g.0 += w;
            g.1.push((path.clone(), len));
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
        limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let n = state.config().target_partitions().min(self.max_partitions);
        let source = ViewSource::try_new(
            self.view_json.clone(),
            self.arrow,
            self.strict,
            self.progress.clone(),
        )?
        .with_projection(projection.cloned())?;
        Ok(source.into_exec(partition(&self.files, n, &self.resource), limit))
    }
}

/// The local path of a file of a scan (kept beside the object-store path, which is
/// percent-encoded).
#[derive(Debug, Clone)]
struct LocalPath(PathBuf);

fn partitioned_file(path: &Path, len: u64) -> PartitionedFile {
    PartitionedFile::new(path.display().to_string(), len).with_extension(LocalPath(path.to_owned()))
}

fn local_path(file: &PartitionedFile) -> PathBuf {
    match file.extension::<LocalPath>() {
        Some(p) => p.0.clone(),
        None => PathBuf::from(format!("/{}", file.object_meta.location)),
    }
}

/// The files (path, size) of each partition of a view scan: `Some` when `plan` is one
/// (a `DataSourceExec` over a [`ViewSource`]).
pub fn scan_files(plan: &dyn ExecutionPlan) -> Option<Vec<Vec<(PathBuf, u64)>>> {
    let (config, _) = view_scan(plan)?;
    Some(
        config
            .file_groups
            .iter()
            .map(|g| {
                g.iter()
                    .map(|f| (local_path(f), f.object_meta.size))
                    .collect()
            })
            .collect(),
    )
}

/// The file scan configuration and the view source of `plan`, when it is a view scan.
pub fn view_scan(plan: &dyn ExecutionPlan) -> Option<(&FileScanConfig, &ViewSource)> {
    let exec = (plan as &dyn Any).downcast_ref::<DataSourceExec>()?;
    let config = (exec.data_source().as_ref() as &dyn Any).downcast_ref::<FileScanConfig>()?;
    Some((config, config.file_source().downcast_ref::<ViewSource>()?))
}

/// The view as a DataFusion [`FileSource`]: the scan is a `DataSourceExec` with one
/// partition per group of files, which DataFusion and Ballista split over threads and
/// executors as they do their own file scans.
#[derive(Debug, Clone)]
pub struct ViewSource {
    view_json: Arc<str>,
    full_columns: usize,
    table_schema: TableSchema,
    projection: Option<Vec<usize>>,
    projection_exprs: Option<ProjectionExprs>,
    /// The view with only the asked columns computed.
    view: Arc<ViewDefinition>,
    /// The schema of the projected view's batches.
    view_schema: SchemaRef,
    /// Positions in the projected view's batch of the columns in the order asked for.
    order: Vec<usize>,
    /// The schema of the scan's batches.
    output: SchemaRef,
    arrow: ArrowOptions,
    strict: bool,
    batch_rows: usize,
    progress: Arc<Progress>,
    log_issues: bool,
    metrics: ExecutionPlanMetricsSet,
}

impl ViewSource {
    /// The source of a view (its JSON), all columns.
    pub fn try_new(
        view_json: Arc<str>,
        arrow: ArrowOptions,
        strict: bool,
        progress: Arc<Progress>,
    ) -> Result<ViewSource> {
        let full = ViewDefinition::from_json_str(&view_json).map_err(external)?;
        let full_schema = schema(&full, &arrow);
        Ok(ViewSource {
            view_json,
            full_columns: full.columns.len(),
            table_schema: TableSchema::from(full_schema.clone()),
            projection: None,
            projection_exprs: None,
            order: (0..full.columns.len()).collect(),
            view: Arc::new(full),
            view_schema: full_schema.clone(),
            output: full_schema,
            arrow,
            strict,
            batch_rows: ScanOptions::default().batch_rows,
            progress,
            log_issues: false,
            metrics: ExecutionPlanMetricsSet::new(),
        })
    }

    /// The same source with only the columns `projection` (indices into the view's
    /// columns, in the order asked) computed and returned; `None` for all.
    pub fn with_projection(&self, projection: Option<Vec<usize>>) -> Result<ViewSource> {
        let full = ViewDefinition::from_json_str(&self.view_json).map_err(external)?;
        let full_schema = self.table_schema.file_schema().clone();
        let mut source = self.clone();
        match &projection {
            None => {
                source.order = (0..full.columns.len()).collect();
                source.view_schema = full_schema.clone();
                source.output = full_schema;
                source.view = Arc::new(full);
                source.projection_exprs = None;
            }
            Some(p) => {
                let view = full.project(p).map_err(external)?;
                // The projected view yields the asked columns in view order, once each.
                let mut sorted = p.clone();
                sorted.sort_unstable();
                sorted.dedup();
                source.order = p
                    .iter()
                    .map(|i| sorted.binary_search(i).unwrap_or(0))
                    .collect();
                source.view_schema = schema(&view, &self.arrow);
                source.output = Arc::new(full_schema.project(p)?);
                source.view = Arc::new(view);
                source.projection_exprs = Some(ProjectionExprs::from_indices(p, &full_schema));
            }
        }
        source.projection = projection;
        Ok(source)
    }

    /// Writes each file's issues to stderr when it ends: for a scan rebuilt on a Ballista
    /// executor, where no [`ViewTable`] holds the counters.
    pub fn with_issues_logged(mut self) -> Self {
        self.log_issues = true;
        self
    }

    /// The scan of `groups` (one partition each), at most `limit` rows.
    pub fn into_exec(
        self,
        groups: Vec<Vec<(PathBuf, u64)>>,
        limit: Option<usize>,
    ) -> Arc<DataSourceExec> {
        let mut groups: Vec<FileGroup> = groups
            .into_iter()
            .map(|g| FileGroup::new(g.iter().map(|(p, n)| partitioned_file(p, *n)).collect()))
            .collect();
        if groups.is_empty() {
            groups.push(FileGroup::new(Vec::new()));
        }
        let config = FileScanConfigBuilder::new(ObjectStoreUrl::local_filesystem(), Arc::new(self))
            .with_file_groups(groups)
            .with_limit(limit)
            .build();
        DataSourceExec::from_data_source(config)
    }

    /// The view's JSON.
    pub fn view_json(&self) -> &str {
        &self.view_json
    }

    /// The view as run (only the asked columns computed).
    pub fn view(&self) -> &ViewDefinition {
        &self.view
    }

    /// The columns asked for (indices into the view's columns).
    pub fn projection_indices(&self) -> Option<&[usize]> {
        self.projection.as_deref()
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

impl FileSource for ViewSource {
    fn create_file_opener(
        &self,
        _object_store: Arc<dyn ObjectStore>,
        _base_config: &FileScanConfig,
        partition: usize,
    ) -> Result<Arc<dyn FileOpener>> {
        Ok(Arc::new(ViewOpener {
            source: Arc::new(self.clone()),
            partition,
        }))
    }

    fn table_schema(&self) -> &TableSchema {
        &self.table_schema
    }

    fn with_batch_size(&self, batch_size: usize) -> Arc<dyn FileSource> {
        let mut source = self.clone();
        source.batch_rows = batch_size.max(1);
        Arc::new(source)
    }

    fn projection(&self) -> Option<&ProjectionExprs> {
        self.projection_exprs.as_ref()
    }

    fn metrics(&self) -> &ExecutionPlanMetricsSet {
        &self.metrics
    }

    fn file_type(&self) -> &str {
        "fhir-view"
    }

    fn fmt_extra(&self, _t: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            ", view={} resource={}",
            self.view.name.as_deref().unwrap_or("unnamed"),
            self.view.resource
        )
    }

    /// A file is read whole by one reader (lines are not split by byte ranges).
    fn supports_repartitioning(&self) -> bool {
        false
    }

    /// Plain column selections (the view computes only those columns); anything else
    /// stays above the scan.
    fn try_pushdown_projection(
        &self,
        projection: &ProjectionExprs,
    ) -> Result<Option<Arc<dyn FileSource>>> {
        let current: Vec<usize> = match &self.projection {
            Some(p) => p.clone(),
            None => (0..self.full_columns).collect(),
        };
        let names = self.table_schema.file_schema();
        let mut indices = Vec::with_capacity(current.len());
        for e in projection.iter() {
            let Some(column) = e.expr.downcast_ref::<Column>() else {
                return Ok(None);
            };
            let Some(&i) = current.get(column.index()) else {
                return Ok(None);
            };
            if names.field(i).name() != &e.alias {
                return Ok(None);
            }
            indices.push(i);
        }
        Ok(Some(Arc::new(self.with_projection(Some(indices))?)))
    }

    fn apply_expressions(
        &self,
        f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> Result<TreeNodeRecursion>,
    ) -> Result<TreeNodeRecursion> {
        if let Some(exprs) = &self.projection_exprs {
            for e in exprs.iter() {
                if f(&e.expr)? == TreeNodeRecursion::Stop {
                    return Ok(TreeNodeRecursion::Stop);
                }
            }
        }
        Ok(TreeNodeRecursion::Continue)
    }
}

/// Opens one file of a view scan: a thread reads it through the view and hands the
/// batches over a bounded channel.
struct ViewOpener {
    source: Arc<ViewSource>,
    partition: usize,
}

impl FileOpener for ViewOpener {
    fn open(&self, file: PartitionedFile) -> Result<FileOpenFuture> {
        let path = local_path(&file);
        let s = &self.source;
        let (tx, rx) = tokio::sync::mpsc::channel::<Result<RecordBatch>>(2);
        let (order, output) = (s.order.clone(), s.output.clone());
        let sender = tx.clone();
        let send: BatchSender = Arc::new(move |batch: RecordBatch| {
            let options = RecordBatchOptions::new().with_row_count(Some(batch.num_rows()));
            let projected = batch
                .project(&order)
                .and_then(|b| {
                    RecordBatch::try_new_with_options(
                        output.clone(),
                        b.columns().to_vec(),
                        &options,
                    )
                })
                .map_err(DataFusionError::from);
            let failed = projected.is_err();
            sender.blocking_send(projected).is_ok() && !failed
        });
        // On an executor each file reports its own issues; locally they go to the table.
        let progress = if s.log_issues {
            Arc::new(Progress::default())
        } else {
            s.progress.clone()
        };
        let worker = Worker {
            view: s.view.clone(),
            schema: s.view_schema.clone(),
            options: ScanOptions {
                threads: 1,
                batch_rows: s.batch_rows,
                arrow: s.arrow,
                strict: s.strict,
            },
            progress,
            send,
            stop: Arc::new(AtomicBool::new(false)),
        };
        let (log_issues, partition) = (s.log_issues, self.partition);
        std::thread::Builder::new()
            .name(format!("fhir-views-scan-{partition}"))
            .spawn(move || {
                worker.file(&path);
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
        Ok(Box::pin(futures::future::ready(Ok(stream.boxed()))))
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
        let groups = partition(&files, 2, "Patient");
        assert_eq!(groups.len(), 2);
        let sum = |g: &Vec<(PathBuf, u64)>| -> u64 { g.iter().map(|f| f.1).sum() };
        assert_eq!(sum(&groups[0]) + sum(&groups[1]), 15);
        assert!(sum(&groups[0]).abs_diff(sum(&groups[1])) <= 1);
        assert_eq!(partition(&files, 9, "Patient").len(), 5);
        assert_eq!(partition(&[], 4, "Patient").len(), 1);
    }

    #[test]
    fn files_of_other_types_weigh_less() {
        let files: Vec<(PathBuf, u64)> = [
            ("Observation.0.ndjson", 1600),
            ("Observation.1.ndjson", 1600),
            ("Observation.2.ndjson", 1600),
            ("Patient.0.ndjson", 1000),
            ("Patient.1.ndjson", 1000),
        ]
        .iter()
        .map(|(p, n)| (PathBuf::from(p), *n))
        .collect();
        // By bytes both Patient files would go to one group; by work each has its own.
        for group in partition(&files, 2, "Patient") {
            let patients = group
                .iter()
                .filter(|f| f.0.to_string_lossy().starts_with("Patient"))
                .count();
            assert_eq!(patients, 1, "{group:?}");
        }
        assert_eq!(weight(Path::new("x/Patient.0.ndjson"), 100, "Patient"), 100);
        assert_eq!(
            weight(Path::new("Observation.ndjson"), 1600, "Patient"),
            101
        );
        assert_eq!(weight(Path::new("export.ndjson"), 1600, "Patient"), 1600);
    }
}
