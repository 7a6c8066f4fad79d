//! Parquet output: a directory of `part-NNNNN.parquet` files of at most a given number of
//! rows each (Snappy-compressed, plain Arrow types, so Spark, DuckDB and DataFusion read
//! the directory as one table).

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// Writes batches into rolling Parquet files.
pub struct PartitionedWriter {
    dir: PathBuf,
    rows_per_file: usize,
    schema: Option<SchemaRef>,
    current: Option<ArrowWriter<File>>,
    rows_in_current: usize,
    written: Vec<String>,
}

fn parquet_error(e: parquet::errors::ParquetError) -> io::Error {
    io::Error::other(e)
}

impl PartitionedWriter {
    /// Creates the directory; it must not hold Parquet files already (no silent mixing of
    /// two runs).
    pub fn create(dir: &Path, rows_per_file: usize) -> io::Result<PartitionedWriter> {
        std::fs::create_dir_all(dir)?;
        for entry in std::fs::read_dir(dir)? {
            let p = entry?.path();
            if p.extension().is_some_and(|e| e == "parquet") {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!(
                        "{} already holds Parquet files ({}); choose an empty directory",
                        dir.display(),
                        p.display()
                    ),
                ));
            }
        }
        Ok(PartitionedWriter {
            dir: dir.to_owned(),
            rows_per_file: rows_per_file.max(1),
            schema: None,
            current: None,
            rows_in_current: 0,
            written: Vec::new(),
        })
    }

    /// The schema of the batches to come (an empty result still gets one file).
    pub fn set_schema(&mut self, schema: SchemaRef) {
        self.schema = Some(schema);
    }

    fn open(&mut self, schema: SchemaRef) -> io::Result<()> {
        let path = self
            .dir
            .join(format!("part-{:05}.parquet", self.written.len()));
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build();
        let file = File::create(&path)?;
        self.current =
            Some(ArrowWriter::try_new(file, schema, Some(props)).map_err(parquet_error)?);
        self.rows_in_current = 0;
        self.written.push(path.display().to_string());
        Ok(())
    }

    fn close(&mut self) -> io::Result<()> {
        if let Some(w) = self.current.take() {
            w.close().map_err(parquet_error)?;
        }
        Ok(())
    }

    /// Writes a batch, starting a new file when the current one is full.
    pub fn write(&mut self, batch: &RecordBatch) -> io::Result<()> {
        let mut offset = 0;
        while offset < batch.num_rows() {
            if self.current.is_none() {
                self.open(batch.schema())?;
            }
            let room = self.rows_per_file - self.rows_in_current;
            let n = room.min(batch.num_rows() - offset);
            if let Some(w) = self.current.as_mut() {
                w.write(&batch.slice(offset, n)).map_err(parquet_error)?;
            }
            self.rows_in_current += n;
            offset += n;
            if self.rows_in_current >= self.rows_per_file {
                self.close()?;
            }
        }
        Ok(())
    }

    /// Closes the last file; returns the files written.
    pub fn finish(mut self) -> io::Result<Vec<String>> {
        if self.written.is_empty() {
            if let Some(schema) = self.schema.clone() {
                self.open(schema)?;
            }
        }
        self.close()?;
        Ok(std::mem::take(&mut self.written))
    }
}
