//! Ballista: a scheduler and two executors in this process on loopback run the join of two
//! views; the rows equal those of a local DataFusion run, the distributed plan scans the
//! views on the executors, and the results come from both executors.
#![cfg(feature = "ballista")]

mod common;

use ballista::extension::SessionContextExt;
use ballista_core::serde::protobuf::scheduler_grpc_client::SchedulerGrpcClient;
use common::{data, OBSERVATION_VIEW, PATIENT_VIEW};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::arrow::util::display::array_value_to_string;
use datafusion::execution::SessionStateBuilder;
use datafusion::prelude::{SessionConfig, SessionContext};
use fhir_views::provider::ViewTable;
use std::path::Path;
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

    let config = fhir_views::ballista::session_config().with_target_partitions(4);
    let state = SessionStateBuilder::new()
        .with_config(config)
        .with_default_features()
        .build();
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
    // Two executors with one task slot each: a stage of several tasks needs both.
    for _ in 0..2 {
        ballista_executor::new_standalone_executor_from_state(scheduler.clone(), 1, &state)
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
    // Stages are cut at the exchanges (shuffles between executors).
    assert!(
        plan.contains("ExchangeExec") || plan.contains("ShuffleWriterExec"),
        "{plan}"
    );
    assert_eq!(plan.matches("ViewScanExec").count(), 2, "{plan}");
    let executors: std::collections::BTreeSet<&str> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("Fetching results from executor: "))
        .collect();
    println!("results fetched from executors: {executors:?}");
    let fetches: Vec<&String> = lines.iter().filter(|l| l.contains("Fetching")).collect();
    assert_eq!(executors.len(), 2, "{fetches:?}");
    std::fs::remove_dir_all(dir).ok();
}
