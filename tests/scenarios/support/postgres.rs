//! A throwaway PostgreSQL server for a test: `initdb` and `pg_ctl` in a temporary
//! folder, listening on 127.0.0.1 only, on a free port, stopped when dropped. As root
//! (initdb refuses root) the server runs as the `postgres` user through `runuser`.
//!
//! When the server binaries are not installed, [`PgServer::start`] prints loudly that the
//! test was skipped and how to run it, and returns `None` (the test passes), unless
//! `MICRONEEDLING_BOT_REQUIRE_POSTGRES=1`: then it panics (the test fails). `.ci/run`
//! installs PostgreSQL and sets that variable.

use super::record::{Cell, Stored, TABLES};
use std::collections::BTreeSet;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, OnceLock};

/// Set to `1` to make a missing PostgreSQL fail the tests instead of skipping them.
pub const REQUIRE_ENV: &str = "MICRONEEDLING_BOT_REQUIRE_POSTGRES";

/// The table that holds the schema version, besides [`TABLES`].
pub const SCHEMA_TABLE: &str = "record_schema";

/// Names the folder with `initdb` and `pg_ctl` instead of searching for it.
pub const BIN_DIR_ENV: &str = "MICRONEEDLING_BOT_POSTGRES_BIN";

/// The folder with `initdb` and `pg_ctl`: [`BIN_DIR_ENV`] if set, else the newest
/// `/usr/lib/postgresql/*/bin`, else `PATH`.
pub fn bin_dir() -> Option<PathBuf> {
    let has_tools = |d: &Path| d.join("initdb").is_file() && d.join("pg_ctl").is_file();
    if let Some(dir) = std::env::var_os(BIN_DIR_ENV) {
        let dir = PathBuf::from(dir);
        return has_tools(&dir).then_some(dir);
    }
    let mut versioned: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            Some((version, e.path().join("bin")))
        })
        .filter(|(_, d)| has_tools(d))
        .collect();
    versioned.sort();
    if let Some((_, d)) = versioned.pop() {
        return Some(d);
    }
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .find(|d| has_tools(d))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// A free TCP port on 127.0.0.1 (free when asked; the start retries if taken since).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}

/// A PostgreSQL server of this test only.
pub struct PgServer {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    as_postgres: bool,
}

impl PgServer {
    /// Starts a server, or says loudly why not and returns `None` (see the module).
    pub fn start(test: &str) -> Option<PgServer> {
        let Some(bin) = bin_dir() else {
            let msg = format!(
                "\n\
                 ********************************************************************\n\
                 SKIPPED {test}: no PostgreSQL server binaries (initdb, pg_ctl) in\n\
                 ${BIN_DIR_ENV}, /usr/lib/postgresql/*/bin or on PATH. To run it:\n\
                 \x20 apt-get install -y postgresql   (or put initdb/pg_ctl on PATH)\n\
                 \x20 cargo test --test scenarios postgres\n\
                 Set {REQUIRE_ENV}=1 to make this a failure (CI does).\n\
                 ********************************************************************"
            );
            if std::env::var(REQUIRE_ENV).as_deref() == Ok("1") {
                panic!("{msg}\n{REQUIRE_ENV}=1: PostgreSQL is required");
            }
            // Straight to the process's stderr: the test harness captures `eprintln!`
            // of a passing test, and a skip must be seen.
            use std::io::Write as _;
            let _ = std::io::stderr().write_all(format!("{msg}\n").as_bytes());
            return None;
        };
        let dir = tempfile::Builder::new()
            .prefix("mnbot-pg")
            .tempdir()
            .expect("tempdir");
        let as_postgres = is_root();
        let server = PgServer {
            dir,
            bin,
            port: 0,
            as_postgres,
        };
        if as_postgres {
            let out = Command::new("chown")
                .args(["-R", "postgres"])
                .arg(server.dir.path())
                .output()
                .expect("chown runs");
            assert!(out.status.success(), "chown: {out:?}");
        }
        let data = server.data_dir();
        server.tool(
            "initdb",
            &[
                "-D",
                data.to_str().unwrap(),
                "-A",
                "trust",
                "-U",
                "mnbot",
                "--no-sync",
                "-E",
                "UTF8",
            ],
        );
        let mut server = server;
        for attempt in 0..5 {
            server.port = free_port();
            if server.try_start() {
                return Some(server);
            }
            eprintln!(
                "PostgreSQL did not start on port {} (attempt {attempt})",
                server.port
            );
        }
        panic!(
            "PostgreSQL did not start; its log:\n{}",
            std::fs::read_to_string(server.dir.path().join("log")).unwrap_or_default()
        );
    }

    /// The data directory.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The port it listens on (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The URL of database `db` (trust authentication, loopback only).
    pub fn url(&self, db: &str) -> String {
        format!("postgres://mnbot@127.0.0.1:{}/{db}", self.port)
    }

    /// Creates database `name` and returns its URL.
    pub fn create_database(&self, name: &str) -> String {
        let mut c = postgres::Client::connect(&self.url("postgres"), postgres::NoTls)
            .expect("connect to the test server");
        c.batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create database");
        self.url(name)
    }

    fn command(&self, tool: &str) -> Command {
        let path = self.bin.join(tool);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    fn run(&self, tool: &str, args: &[&str]) -> Output {
        self.command(tool)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{tool} runs: {e}"))
    }

    fn tool(&self, tool: &str, args: &[&str]) {
        let out = self.run(tool, args);
        assert!(
            out.status.success(),
            "{tool} {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn try_start(&self) -> bool {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.path().display()
        );
        let data = self.data_dir();
        let log = self.dir.path().join("log");
        self.run(
            "pg_ctl",
            &[
                "-D",
                data.to_str().unwrap(),
                "-o",
                &options,
                "-l",
                log.to_str().unwrap(),
                "-w",
                "-t",
                "30",
                "start",
            ],
        )
        .status
        .success()
    }

    /// Stops the server (fast shutdown: connections are closed); [`PgServer::restart`]
    /// starts it again on the same port.
    pub fn stop(&self) {
        let data = self.data_dir();
        self.tool(
            "pg_ctl",
            &[
                "-D",
                data.to_str().unwrap(),
                "-m",
                "fast",
                "-w",
                "-t",
                "30",
                "stop",
            ],
        );
    }

    /// Starts a stopped server again, on the same port.
    pub fn restart(&self) {
        for _ in 0..3 {
            if self.try_start() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(500));
        }
        panic!("PostgreSQL did not start again on port {}", self.port);
    }

    /// Every file of the data directory with its bytes (tables, indexes, WAL).
    pub fn data_files(&self) -> Vec<(PathBuf, Vec<u8>)> {
        fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if let Ok(bytes) = std::fs::read(&path) {
                    out.push((path, bytes));
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.data_dir(), &mut out);
        out
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        let data = self.data_dir();
        let _ = self.run(
            "pg_ctl",
            &[
                "-D",
                data.to_str().unwrap(),
                "-m",
                "immediate",
                "-w",
                "-t",
                "30",
                "stop",
            ],
        );
    }
}

/// Every value of every column of every row of the record in database `url`, as text.
/// Asserts first that the database has exactly the record's tables (and the schema
/// version's) and no column whose name looks identifying.
pub fn every_value(url: &str) -> Vec<Cell> {
    let mut c = postgres::Client::connect(url, postgres::NoTls).expect("connect");
    let tables: Vec<String> = c
        .query(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut expected: BTreeSet<&str> = BTreeSet::from(TABLES);
    expected.insert(SCHEMA_TABLE);
    assert_eq!(
        tables.iter().map(String::as_str).collect::<BTreeSet<_>>(),
        expected,
        "no other table"
    );
    let mut out = Vec::new();
    for table in &tables {
        let columns: Vec<String> = c
            .query(
                "SELECT column_name::text FROM information_schema.columns
                 WHERE table_name = $1 ORDER BY ordinal_position",
                &[table],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        for column in &columns {
            assert!(
                !super::record::identifying_column(column),
                "{table}.{column} looks identifying"
            );
        }
        let select: Vec<String> = columns.iter().map(|c| format!("{c}::text")).collect();
        let rows = c
            .query(&format!("SELECT {} FROM {table}", select.join(", ")), &[])
            .unwrap();
        for row in rows {
            for (i, column) in columns.iter().enumerate() {
                let value: Option<String> = row.get(i);
                out.push(Cell {
                    table: table.clone(),
                    column: column.clone(),
                    value: value.map_or(Stored::Null, Stored::Text),
                });
            }
        }
    }
    out
}

/// The log lines of this test binary, captured from the first call on (a global
/// subscriber; `None` when another one was installed first, e.g. with `TEST_LOG`).
pub fn capture_logs() -> Option<&'static Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Option<&'static Mutex<Vec<u8>>>> = OnceLock::new();
    *LOGS.get_or_init(|| {
        let buffer: &'static Mutex<Vec<u8>> = Box::leak(Box::new(Mutex::new(Vec::new())));
        let installed = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("warn"))
            .with_ansi(false)
            .with_writer(move || Capture(buffer))
            .try_init()
            .is_ok();
        installed.then_some(buffer)
    })
}

struct Capture(&'static Mutex<Vec<u8>>);

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut logs = self.0.lock().unwrap_or_else(|e| e.into_inner());
        // Bounded: a long test run keeps the first 4 MiB.
        if logs.len() < 4 << 20 {
            logs.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
