//! Ballista: a scheduler and two executors in this process on loopback run the join of two
//! views; the rows equal those of a local DataFusion run, each view's scan is split into
//! partitions of files, the executors read disjoint shares of the files, and both executors
//! run scan tasks and return results.
#![cfg(feature = "ballista")]

mod common;

use ballista::extension::SessionContextExt;
use ballista_core::extension::SessionConfigExt;
use ballista_core::serde::protobuf::scheduler_grpc_client::SchedulerGrpcClient;
use common::{data, OBSERVATION_VIEW, PATIENT_VIEW};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::arrow::util::display::array_value_to_string;
use datafusion::error::Result;
use datafusion::execution::{SessionState, SessionStateBuilder, TaskContext};
use datafusion::logical_expr::{AggregateUDF, ScalarUDF, WindowUDF};
use datafusion::physical_plan::ExecutionPlan;
use datafusion::prelude::{SessionConfig, SessionContext};
use datafusion_proto::physical_plan::{PhysicalExtensionCodec, PhysicalProtoConverterExtension};
use fhir_views::ballista::ViewPhysicalCodec;
use fhir_views::provider::{scan_files, view_scan, ViewTable};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

const SQL: &str = "SELECT p.id, p.gender, o.id AS observation, o.value \
                   FROM observation_view o JOIN patient_view p ON o.patient_id = p.id \
                   WHERE p.birth_date >= '1915'";

/// Keeps Ballista's log lines (the scheduler's plan, where results are fetched from).
struct Capture(Mutex<Vec<String>>);

impl log::Log for Capture {
    fn enabled(&self, m: &log::Metadata<'_>) -> bool {
        m.target().starts_with("ballista")
    }
    fn log(&self, r: &log::Record<'_>) {
        if self.enabled(r.metadata()) {
            if let Ok(mut lines) = self.0.lock() {
                lines.push(r.args().to_string());
            }
        }
    }
    fn flush(&self) {}
}

fn capture() -> &'static Capture {
    static CAPTURE: OnceLock<&'static Capture> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let c: &'static Capture = Box::leak(Box::new(Capture(Mutex::new(Vec::new()))));
        let _ = log::set_logger(c);
        log::set_max_level(log::LevelFilter::Debug);
        c
    })
}

/// A view scan an executor received: which executor, which view, the files of each of
/// its partitions.
#[derive(Debug)]
struct ScanTask {
    executor: usize,
    view: String,
    groups: Vec<Vec<PathBuf>>,
}

/// The crate's physical codec as an executor uses it, noting each view scan it decodes.
#[derive(Debug)]
struct Recording {
    inner: ViewPhysicalCodec,
    executor: usize,
    seen: Arc<Mutex<Vec<ScanTask>>>,
}

impl Recording {
    fn note(&self, plan: &Arc<dyn ExecutionPlan>) {
        if let (Some((_, source)), Some(groups)) =
            (view_scan(plan.as_ref()), scan_files(plan.as_ref()))
        {
            let task = ScanTask {
                executor: self.executor,
                view: source.view().name.clone().unwrap_or_default(),
                groups: groups
                    .into_iter()
                    .map(|g| g.into_iter().map(|f| f.0).collect())
                    .collect(),
            };
            if let Ok(mut seen) = self.seen.lock() {
                seen.push(task);
            }
        }
        for child in plan.children() {
            self.note(child);
        }
    }
}

impl PhysicalExtensionCodec for Recording {
    fn try_decode(
        &self,
        buf: &[u8],
        inputs: &[Arc<dyn ExecutionPlan>],
        ctx: &TaskContext,
        converter: &dyn PhysicalProtoConverterExtension,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let plan = self.inner.try_decode(buf, inputs, ctx, converter)?;
        self.note(&plan);
        Ok(plan)
    }

    fn try_encode(
        &self,
        node: Arc<dyn ExecutionPlan>,
        buf: &mut Vec<u8>,
        converter: &dyn PhysicalProtoConverterExtension,
    ) -> Result<()> {
        self.inner.try_encode(node, buf, converter)
    }

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
}

fn session_state(config: SessionConfig) -> SessionState {
    SessionStateBuilder::new()
        .with_config(config.with_target_partitions(4))
        .with_default_features()
        .build()
}

fn register(ctx: &SessionContext, dir: &Path) {
    ctx.register_table(
        "patient_view",
        Arc::new(ViewTable::try_new(PATIENT_VIEW, dir).expect("table")),
    )
    .expect("register");
    ctx.register_table(
        "observation_view",
        Arc::new(ViewTable::try_new(OBSERVATION_VIEW, dir).expect("table")),
    )
    .expect("register");
}

fn rows(batches: &[RecordBatch]) -> Vec<String> {
    let mut out = Vec::new();
    for b in batches {
        for i in 0..b.num_rows() {
            let cells: Vec<String> = b
                .columns()
                .iter()
                .map(|c| array_value_to_string(c, i).unwrap_or_default())
                .collect();
            out.push(cells.join("|"));
        }
    }
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ballista_standalone_returns_the_local_rows() {
    let log = capture();
    let dir = data("ballista");

    let local = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(4));
    register(&local, &dir);
    let expected = rows(
        &local
            .sql(SQL)
            .await
            .expect("plan")
            .collect()
            .await
            .expect("run"),
    );
    assert_eq!(
        expected.len(),
        3 * 25,
        "patients p5..p29 are born 1915 or later"
    );

    let state = session_state(fhir_views::ballista::session_config());
    let addr = ballista_scheduler::standalone::new_standalone_scheduler_from_state(&state)
        .await
        .expect("scheduler");
    let url = format!("http://localhost:{}", addr.port());
    let scheduler = loop {
        match SchedulerGrpcClient::connect(url.clone()).await {
            Ok(s) => break s,
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
        }
    };
    // Two executors with one task slot each: a stage of several tasks needs both. Each
    // decodes its tasks with the crate's codec, wrapped to note the scans it receives.
    let seen = Arc::new(Mutex::new(Vec::new()));
    for executor in 0..2 {
        let codec = Recording {
            inner: ViewPhysicalCodec::default(),
            executor,
            seen: seen.clone(),
        };
        let config = fhir_views::ballista::session_config()
            .with_ballista_physical_extension_codec(Arc::new(codec));
        ballista_executor::new_standalone_executor_from_state(
            scheduler.clone(),
            1,
            &session_state(config),
        )
        .await
        .expect("executor");
    }
    let ctx = SessionContext::remote_with_state(&format!("df://localhost:{}", addr.port()), state)
        .await
        .expect("client");
    register(&ctx, &dir);
    let batches = ctx
        .sql(SQL)
        .await
        .expect("plan")
        .collect()
        .await
        .expect("run on ballista");
    assert_eq!(rows(&batches), expected);

    let lines = log.0.lock().map(|l| l.clone()).unwrap_or_default();
    let plan = lines
        .iter()
        .find(|l| l.starts_with("Submitting execution graph"))
        .expect("the scheduler logs the distributed plan");
    println!("{plan}");
    // Stages are cut at the exchanges (shuffles between executors); each view's scan is a
    // file scan of 4 partitions (6 files, target_partitions 4).
    assert!(
        plan.contains("ExchangeExec") || plan.contains("ShuffleWriterExec"),
        "{plan}"
    );
    assert_eq!(plan.matches("file_type=fhir-view").count(), 2, "{plan}");
    assert_eq!(plan.matches("file_groups={4 groups:").count(), 2, "{plan}");

    // The scans the executors ran (an executor may decode a task's plan more than once):
    // every task one partition; per view, 4 distinct groups of files, disjoint, together
    // all files, each on one executor; both executors ran scan tasks.
    let tasks = std::mem::take(&mut *seen.lock().expect("seen"));
    let mut groups: BTreeMap<(&str, &Vec<PathBuf>), BTreeSet<usize>> = BTreeMap::new();
    for t in &tasks {
        assert_eq!(t.groups.len(), 1, "one partition per task: {t:?}");
        groups
            .entry((&t.view, &t.groups[0]))
            .or_default()
            .insert(t.executor);
    }
    for ((view, files), executors) in &groups {
        println!("{view} scan of {files:?} on executor {executors:?}");
        assert_eq!(executors.len(), 1, "{view} {files:?} read on one executor");
    }
    let all: BTreeSet<PathBuf> = std::fs::read_dir(&dir)
        .expect("dir")
        .map(|e| std::fs::canonicalize(e.expect("entry").path()).expect("path"))
        .collect();
    assert_eq!(all.len(), 6);
    for view in ["patient_view", "observation_view"] {
        let mine: Vec<&Vec<PathBuf>> = groups
            .keys()
            .filter(|(v, _)| *v == view)
            .map(|(_, files)| *files)
            .collect();
        assert_eq!(mine.len(), 4, "{view}: one task per partition");
        let mut read: Vec<PathBuf> = mine.into_iter().flatten().cloned().collect();
        read.sort();
        let all: Vec<PathBuf> = all.iter().cloned().collect();
        assert_eq!(read, all, "{view}: each file in one partition");
    }
    let used: BTreeSet<usize> = tasks.iter().map(|t| t.executor).collect();
    assert_eq!(used.len(), 2, "scan tasks on both executors: {groups:?}");

    let executors: BTreeSet<&str> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("Fetching results from executor: "))
        .collect();
    println!("results fetched from executors: {executors:?}");
    let fetches: Vec<&String> = lines.iter().filter(|l| l.contains("Fetching")).collect();
    assert_eq!(executors.len(), 2, "{fetches:?}");
    std::fs::remove_dir_all(dir).ok();
}
