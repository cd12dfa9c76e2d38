//! Load generator for the sync API: many simulated devices pushing single-change mutations and
//! pulling, for a fixed time, against a running server. Prints throughput, latency
//! percentiles and errors. `scripts/bench-sync.sh` prepares a server and runs it.
//!
//! ```text
//! loadgen --url http://127.0.0.1:3000 --devices 100 --seconds 60 --units LOAD- --batch 1 --think-ms 0
//! ```
//!
//! Setup (timed separately, not in the figures): log in as `quantri` and `bantochuc` (demo
//! password), open a campaign, create one unit-editor account per `LOAD-nnn` unit, log each in
//! and create its plan. Then every device loops: push one edit (one changed field, the base it
//! saw) and, every fifth round, pull from its cursor. A plain HTTP/1.1 keep-alive client over
//! loopback keeps the generator's own cost low.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use uuid::Uuid;

const PASSWORD: &str = "taonguon2022";

struct Args {
    addr: String,
    devices: usize,
    seconds: u64,
    unit_prefix: String,
    /// Mutations per push: 1 is a device online typing; more is an outbox after a dead spell.
    batch: usize,
    /// Mean pause between a device's pushes (uniform in 0..2×), as a person types and the app
    /// syncs after each edit; 0 pushes back to back, which measures the server's ceiling.
    think_ms: u64,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        addr: "127.0.0.1:3000".into(),
        devices: 100,
        seconds: 60,
        unit_prefix: "LOAD-".into(),
        batch: 1,
        think_ms: 0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--url" => {
                a.addr = value
                    .trim_start_matches("http://")
                    .trim_end_matches('/')
                    .to_owned()
            }
            "--devices" => a.devices = value.parse().map_err(|e| format!("--devices: {e}"))?,
            "--seconds" => a.seconds = value.parse().map_err(|e| format!("--seconds: {e}"))?,
            "--units" => a.unit_prefix = value,
            "--batch" => a.batch = value.parse().map_err(|e| format!("--batch: {e}"))?,
            "--think-ms" => a.think_ms = value.parse().map_err(|e| format!("--think-ms: {e}"))?,
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(a)
}

/// One keep-alive HTTP/1.1 connection with a cookie jar of one.
struct Client {
    addr: String,
    stream: Option<BufReader<TcpStream>>,
    cookie: Option<String>,
}

struct Reply {
    status: u16,
    body: Value,
}

impl Client {
    fn new(addr: &str) -> Client {
        Client {
            addr: addr.to_owned(),
            stream: None,
            cookie: None,
        }
    }

    async fn call(
        &mut self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Reply, String> {
        // One retry on a connection the server closed while idle.
        match self.try_call(method, path, body).await {
            Ok(reply) => Ok(reply),
            Err(_) => {
                self.stream = None;
                self.try_call(method, path, body).await
            }
        }
    }

    async fn try_call(
        &mut self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Reply, String> {
        if self.stream.is_none() {
            let tcp = TcpStream::connect(&self.addr)
                .await
                .map_err(|e| format!("connect: {e}"))?;
            tcp.set_nodelay(true).map_err(|e| e.to_string())?;
            self.stream = Some(BufReader::new(tcp));
        }
        let stream = self.stream.as_mut().ok_or("no stream")?;
        let payload = body.map(Value::to_string).unwrap_or_default();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\n",
            self.addr,
            payload.len()
        );
        if body.is_some() {
            head.push_str("Content-Type: application/json\r\n");
        }
        if let Some(c) = &self.cookie {
            head.push_str(&format!("Cookie: {c}\r\n"));
        }
        head.push_str("\r\n");
        head.push_str(&payload);
        stream
            .get_mut()
            .write_all(head.as_bytes())
            .await
            .map_err(|e| format!("write: {e}"))?;

        let mut line = String::new();
        stream
            .read_line(&mut line)
            .await
            .map_err(|e| format!("read: {e}"))?;
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("bad status line {line:?}"))?;
        let mut length = 0usize;
        loop {
            line.clear();
            stream
                .read_line(&mut line)
                .await
                .map_err(|e| format!("read: {e}"))?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let value = value.trim();
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.parse().map_err(|_| "bad content-length")?;
                } else if name.eq_ignore_ascii_case("set-cookie") {
                    self.cookie = value.split(';').next().map(str::to_owned);
                }
            }
        }
        let mut buf = vec![0u8; length];
        stream
            .read_exact(&mut buf)
            .await
            .map_err(|e| format!("read body: {e}"))?;
        let body = if buf.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&buf).unwrap_or(Value::Null)
        };
        Ok(Reply { status, body })
    }

    async fn login(&mut self, username: &str) -> Result<Value, String> {
        let r = self
            .call(
                "POST",
                "/api/v1/auth/login",
                Some(&json!({"username": username, "password": PASSWORD})),
            )
            .await?;
        if r.status != 200 {
            return Err(format!("login {username}: {} {}", r.status, r.body));
        }
        Ok(r.body)
    }
}

#[derive(Default)]
struct Tally {
    push: Vec<Duration>,
    pull: Vec<Duration>,
    applied: u64,
    errors: u64,
    first_error: Option<String>,
}

impl Tally {
    fn error(&mut self, what: String) {
        self.errors += 1;
        if self.first_error.is_none() {
            self.first_error = Some(what);
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

async fn device(
    addr: String,
    username: String,
    unit: Value,
    campaign: Value,
    until: Instant,
    batch: usize,
    think_ms: u64,
) -> Tally {
    let mut t = Tally::default();
    let mut c = Client::new(&addr);
    if let Err(e) = c.login(&username).await {
        t.error(e);
        return t;
    }
    let plan_id = Uuid::new_v4();
    let create = json!({"protocol": 1, "device_id": Uuid::new_v4(), "mutations": [{
        "id": Uuid::new_v4(), "plan_id": plan_id, "base_revision": 0, "created_at": "2022-02-01T00:00:00Z",
        "op": {"create": {"unit_id": unit, "campaign_id": campaign, "document": {"sections": {"solutions": "Tải thử"}}}}}]});
    match c.call("POST", "/api/v1/sync/push", Some(&create)).await {
        Ok(r) if r.status == 200 && r.body["results"][0]["applied"].is_object() => {}
        Ok(r) => {
            t.error(format!("create: {} {}", r.status, r.body));
            return t;
        }
        Err(e) => {
            t.error(e);
            return t;
        }
    }
    let device_id = Uuid::new_v4();
    let mut notes = String::new();
    let mut cursor = 0u64;
    let mut round = 0u64;
    while Instant::now() < until {
        round += 1;
        if think_ms > 0 {
            // Uniform in 0..2×think: random enough that devices do not march in step.
            let pause = u64::try_from(Uuid::new_v4().as_u128() % u128::from(2 * think_ms))
                .unwrap_or(think_ms);
            tokio::time::sleep(Duration::from_millis(pause)).await;
            if Instant::now() >= until {
                break;
            }
        }
        // A batch of single-change edits, each based on the value the one before left.
        let mut mutations = Vec::with_capacity(batch);
        let mut last = notes.clone();
        for i in 0..batch {
            let next = format!("ghi chú lần {round}.{i}");
            mutations.push(json!({
                "id": Uuid::new_v4(), "plan_id": plan_id, "base_revision": 1, "created_at": "2022-02-01T00:00:00Z",
                "op": {"edit": {"changes": [{"path": "sections.notes", "base": last, "value": next}]}}}));
            last = next;
        }
        let push = json!({"protocol": 1, "device_id": device_id, "mutations": mutations});
        let started = Instant::now();
        match c.call("POST", "/api/v1/sync/push", Some(&push)).await {
            Ok(r) if r.status == 200 => {
                t.push.push(started.elapsed());
                let results = r.body["results"].as_array().cloned().unwrap_or_default();
                let applied = results.iter().filter(|x| x["applied"].is_object()).count();
                t.applied += applied as u64;
                if applied == batch {
                    notes = last;
                } else {
                    t.error(format!("push: {} of {batch} applied", applied));
                }
            }
            Ok(r) => t.error(format!("push: {} {}", r.status, r.body["error"]["code"])),
            Err(e) => t.error(format!("push: {e}")),
        }
        if round.is_multiple_of(5) {
            let started = Instant::now();
            match c
                .call(
                    "GET",
                    &format!("/api/v1/sync/pull?cursor={cursor}&limit=200&schema=2"),
                    None,
                )
                .await
            {
                Ok(r) if r.status == 200 => {
                    t.pull.push(started.elapsed());
                    cursor = r.body["next_cursor"].as_u64().unwrap_or(cursor);
                }
                Ok(r) => t.error(format!("pull: {}", r.status)),
                Err(e) => t.error(format!("pull: {e}")),
            }
        }
    }
    t
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let a = args()?;
    let setup = Instant::now();
    let mut admin = Client::new(&a.addr);
    admin.login("quantri").await?;
    let mut reviewer = Client::new(&a.addr);
    let me = reviewer.login("bantochuc").await?;
    let _ = me;
    let campaign = Uuid::new_v4();
    let r = reviewer
        .call("POST", "/api/v1/campaigns", Some(&json!({
            "id": campaign, "letter_number": "381-CV/HU", "letter_date": "2022-01-10",
            "title": "Tải thử", "term": {"start_year": 2020, "end_year": 2025},
            "years": [2022, 2023, 2024, 2025], "deadline": "2022-02-15", "term_total_rule": "at_least"})))
        .await?;
    if r.status != 201 {
        return Err(format!("open campaign: {} {}", r.status, r.body));
    }
    // The units come from `tao-nguon import-units`; find them through a reviewer's pull.
    let mut units = Vec::new();
    let mut cursor = 0;
    loop {
        let r = reviewer
            .call(
                "GET",
                &format!("/api/v1/sync/pull?cursor={cursor}&limit=500&schema=2"),
                None,
            )
            .await?;
        for change in r.body["changes"].as_array().cloned().unwrap_or_default() {
            let unit = &change["unit"];
            if unit["code"]
                .as_str()
                .is_some_and(|c| c.starts_with(&a.unit_prefix))
            {
                units.push((
                    unit["code"].as_str().unwrap_or_default().to_lowercase(),
                    unit["id"].clone(),
                ));
            }
        }
        cursor = r.body["next_cursor"].as_u64().unwrap_or(cursor);
        if r.body["has_more"] != json!(true) {
            break;
        }
    }
    if units.len() < a.devices {
        return Err(format!(
            "only {} units named {}…: import more (scripts/bench-sync.sh does)",
            units.len(),
            a.unit_prefix
        ));
    }
    units.truncate(a.devices);
    for (username, unit) in &units {
        let r = admin
            .call("POST", "/api/v1/admin/users", Some(&json!({"username": username, "display_name": username, "role": "unit_editor", "unit_id": unit, "password": PASSWORD})))
            .await?;
        if r.status != 201 && r.status != 409 {
            return Err(format!("create {username}: {} {}", r.status, r.body));
        }
    }
    eprintln!(
        "setup: {} devices in {:.1} s",
        a.devices,
        setup.elapsed().as_secs_f64()
    );

    let start = Instant::now();
    let until = start + Duration::from_secs(a.seconds);
    let tasks: Vec<_> = units
        .into_iter()
        .map(|(username, unit)| {
            tokio::spawn(device(
                a.addr.clone(),
                username,
                unit,
                json!(campaign),
                until,
                a.batch,
                a.think_ms,
            ))
        })
        .collect();
    let mut total = Tally::default();
    for task in tasks {
        let t = task.await.map_err(|e| e.to_string())?;
        total.push.extend(t.push);
        total.pull.extend(t.pull);
        total.applied += t.applied;
        total.errors += t.errors;
        if total.first_error.is_none() {
            total.first_error = t.first_error;
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    total.push.sort_unstable();
    total.pull.sort_unstable();
    println!(
        "devices {}, duration {:.1} s, {} mutation(s) per push, think time {} ms",
        a.devices, elapsed, a.batch, a.think_ms
    );
    println!(
        "pushes: {} ({:.0}/s), {} applied mutations ({:.0}/s); push latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        total.push.len(),
        total.push.len() as f64 / elapsed,
        total.applied,
        total.applied as f64 / elapsed,
        percentile(&total.push, 50.0),
        percentile(&total.push, 99.0),
        percentile(&total.push, 100.0)
    );
    println!(
        "pulls: {}, {:.0}/s; latency p50 {:.1} ms, p99 {:.1} ms",
        total.pull.len(),
        total.pull.len() as f64 / elapsed,
        percentile(&total.pull, 50.0),
        percentile(&total.pull, 99.0)
    );
    println!(
        "errors: {}{}",
        total.errors,
        total
            .first_error
            .map(|e| format!(" (first: {e})"))
            .unwrap_or_default()
    );
    Ok(())
}
