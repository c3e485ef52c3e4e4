//! Load generator for the storefront listing benchmark.
//!
//! `loadgen --url http://127.0.0.1:8080 --scenario graphql|rest --connections 32 --seconds 10`
//! prints one JSON line: requests, errors, req/s, p50/p99 latency (ms) and SQL statements per
//! request (from the server's `stoa_db_statements_total` metric).

use std::sync::Arc;
use std::time::{Duration, Instant};

const QUERY: &str = include_str!("../../../schema/operations/bench/storefront_products.graphql");

struct Args {
    url: String,
    scenario: String,
    connections: usize,
    seconds: u64,
    pages: u64,
}

fn parse() -> Result<Args, String> {
    let mut a = Args {
        url: "http://127.0.0.1:8080".into(),
        scenario: "graphql".into(),
        connections: 8,
        seconds: 10,
        pages: 50,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().ok_or_else(|| format!("{k} needs a value"))?;
        match k.as_str() {
            "--url" => a.url = v,
            "--scenario" => a.scenario = v,
            "--connections" => {
                a.connections = v.parse().map_err(|e| format!("--connections: {e}"))?
            }
            "--seconds" => a.seconds = v.parse().map_err(|e| format!("--seconds: {e}"))?,
            "--pages" => a.pages = v.parse().map_err(|e| format!("--pages: {e}"))?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if !matches!(a.scenario.as_str(), "graphql" | "rest") {
        return Err("--scenario is graphql or rest".into());
    }
    Ok(a)
}

async fn statements(client: &reqwest::Client, url: &str) -> Option<f64> {
    let text = client
        .get(format!("{url}/metrics"))
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("stoa_db_statements_total "))
        .and_then(|v| v.trim().parse().ok())
}

async fn worker(
    client: reqwest::Client,
    args: Arc<Args>,
    id: u64,
    until: Instant,
) -> (Vec<Duration>, u64) {
    let mut seed = 0x9E37_79B9_7F4A_7C15u64 ^ (id.wrapping_mul(0xBF58_476D_1CE4_E5B9));
    let mut lat = Vec::new();
    let mut errors = 0;
    while Instant::now() < until {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let page = seed % args.pages + 1;
        let start = Instant::now();
        let resp = if args.scenario == "graphql" {
            let body = serde_json::json!({"query": QUERY, "variables": {"page": page, "limit": 20, "locale": "de-DE"}});
            client
                .post(format!("{}/graphql", args.url))
                .json(&body)
                .send()
                .await
        } else {
            client
                .get(format!(
                    "{}/api/v1/store/products?limit=20&page={page}",
                    args.url
                ))
                .send()
                .await
        };
        let ok = match resp {
            Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
            _ => false,
        };
        if ok {
            lat.push(start.elapsed());
        } else {
            errors += 1;
        }
    }
    (lat, errors)
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = match parse() {
        Ok(a) => Arc::new(a),
        Err(e) => {
            eprintln!("loadgen: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let client = match reqwest::Client::builder()
        .pool_max_idle_per_host(args.connections)
        .timeout(Duration::from_secs(30))
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("loadgen: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    // Warm up connections and caches.
    let warm_until = Instant::now() + Duration::from_secs(1);
    let warm: Vec<_> = (0..args.connections as u64)
        .map(|i| tokio::spawn(worker(client.clone(), args.clone(), i + 1000, warm_until)))
        .collect();
    for w in warm {
        let _ = w.await;
    }
    let before = statements(&client, &args.url).await;
    let start = Instant::now();
    let until = start + Duration::from_secs(args.seconds);
    let tasks: Vec<_> = (0..args.connections as u64)
        .map(|i| tokio::spawn(worker(client.clone(), args.clone(), i, until)))
        .collect();
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        if let Ok((lat, e)) = t.await {
            all.extend(lat);
            errors += e;
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    let after = statements(&client, &args.url).await;
    all.sort();
    let n = all.len() as f64;
    let per_req = match (before, after) {
        (Some(b), Some(a)) if n > 0.0 => (a - b) / (n + errors as f64),
        _ => f64::NAN,
    };
    let out = serde_json::json!({
        "scenario": args.scenario,
        "connections": args.connections,
        "requests": all.len(),
        "errors": errors,
        "rps": (n / elapsed * 10.0).round() / 10.0,
        "p50_ms": (pct(&all, 0.50) * 100.0).round() / 100.0,
        "p99_ms": (pct(&all, 0.99) * 100.0).round() / 100.0,
        "statements_per_request": (per_req * 100.0).round() / 100.0,
    });
    println!("{out}");
    std::process::ExitCode::SUCCESS
}
