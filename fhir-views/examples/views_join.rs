//! Two views over one Bulk Data export, joined in SQL with DataFusion.
//!
//! `cargo run -p fhir-views --features datafusion --example views_join -- EXPORT_DIR`
//!
//! EXPORT_DIR holds `.ndjson` (or `.ndjson.gz`) files; `fhir-views/bench/make-export.py`
//! writes one from the official examples.

use datafusion::prelude::SessionContext;
use fhir_views::provider::ViewTable;
use std::path::PathBuf;
use std::sync::Arc;

const PATIENTS: &str = include_str!("../views/patient_demographics.json");
const OBSERVATIONS: &str = include_str!("../views/observation_values.json");

#[tokio::main]
async fn main() -> datafusion::error::Result<()> {
    let Some(dir) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: views_join EXPORT_DIR");
        std::process::exit(2);
    };
    let ctx = SessionContext::new();
    let patients = Arc::new(ViewTable::try_new(PATIENTS, &dir)?);
    let observations = Arc::new(ViewTable::try_new(OBSERVATIONS, &dir)?);
    ctx.register_table("patient_view", patients.clone())?;
    ctx.register_table("observation_view", observations.clone())?;
    let df = ctx
        .sql(
            "SELECT p.gender, o.code, count(*) AS n, \
                    avg(CAST(o.value AS DOUBLE)) AS mean_value \
             FROM observation_view o JOIN patient_view p ON o.patient_id = p.id \
             WHERE o.value IS NOT NULL \
             GROUP BY p.gender, o.code ORDER BY n DESC LIMIT 10",
        )
        .await?;
    df.show().await?;
    for (name, table) in [
        ("patient_view", &patients),
        ("observation_view", &observations),
    ] {
        let summary = table.progress().summary();
        eprintln!("{name}: {summary}");
        for issue in table.progress().issues().iter().take(5) {
            eprintln!("  issue: {issue}");
        }
    }
    Ok(())
}
