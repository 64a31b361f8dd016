//! Helpers shared by the integration tests: a scratch folder that writes
//! fixtures with our own PBF writer, the binary under test, and the path to
//! the real data in `../shared/data` (setting: `CAMCOUNT_DATA`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// The real-data folder. A missing folder fails the test: these tests must
/// run in CI and are never skipped.
pub fn data_dir() -> PathBuf {
    let dir = std::env::var_os("CAMCOUNT_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    assert!(
        dir.join("pbf").is_dir(),
        "real data not found at {} (set CAMCOUNT_DATA to the shared data folder)",
        dir.display()
    );
    dir
}

/// A real extract by its file stem, e.g. `monaco-2026-07-10`.
pub fn extract(stem: &str) -> PathBuf {
    data_dir().join("pbf").join(format!("{stem}.osm.pbf"))
}

/// A reference file from `pbf/reference/`.
pub fn reference(name: &str) -> PathBuf {
    data_dir().join("pbf/reference").join(name)
}

/// The binary under test.
pub fn camcount() -> Command {
    Command::cargo_bin("camcount").expect("camcount binary is built")
}

/// A scratch folder for one test.
pub struct Workdir {
    dir: TempDir,
}

impl Workdir {
    pub fn new() -> Self {
        Workdir {
            dir: tempfile::tempdir().expect("create a temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a named fixture from `camcount::fixtures` and returns its path.
    pub fn case(&self, name: &str) -> PathBuf {
        let path = self.path(&format!("{name}.osm.pbf"));
        camcount::fixtures::write_case(name, &path).expect("write fixture");
        path
    }

    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, bytes).expect("write file");
        path
    }

    /// Names of the files in the folder, sorted; shows leftover temp files.
    pub fn listing(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path())
            .expect("list dir")
            .map(|e| {
                e.expect("dir entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }
}

/// Runs `camcount ARGS`, expecting success, and returns stdout.
pub fn stdout_of(args: &[&std::ffi::OsStr]) -> String {
    let output = camcount().args(args).output().expect("run camcount");
    assert!(
        output.status.success(),
        "camcount {:?} failed: {}",
        args,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// One CSV row, by column name.
pub type Row = std::collections::BTreeMap<String, String>;

/// Reads CSV text with a header row into rows keyed by column name.
pub fn read_csv_with(text: &str, delimiter: u8) -> Vec<Row> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers = reader.headers().expect("a header row").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("a valid CSV record");
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Reads comma-separated CSV text.
pub fn read_csv(text: &str) -> Vec<Row> {
    read_csv_with(text, b',')
}

/// GDAL's summary of a file (`ogrinfo -ro -al -so`).
pub fn ogrinfo_summary(path: &Path) -> String {
    ogrinfo(&["-ro", "-al", "-so"], path)
}

/// What `ogrinfo ARGS PATH` prints; GDAL must be installed (`.ci/run` and
/// `scripts/test.sh` install Debian's gdal-bin).
pub fn ogrinfo(args: &[&str], path: &Path) -> String {
    let output = std::process::Command::new("ogrinfo")
        .args(args)
        .arg(path)
        .output()
        .expect("ogrinfo (Debian gdal-bin) must be installed for this test");
    assert!(
        output.status.success(),
        "ogrinfo failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The feature count GDAL reads from a file.
pub fn ogr_feature_count(path: &Path) -> usize {
    let summary = ogrinfo_summary(path);
    let line = summary
        .lines()
        .find(|l| l.starts_with("Feature Count:"))
        .expect("a Feature Count line");
    line["Feature Count:".len()..]
        .trim()
        .parse()
        .expect("a number")
}
