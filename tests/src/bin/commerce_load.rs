//! Load generator for the commerce benchmarks (issue 5).
//!
//! ```text
//! commerce_load checkout --url http://127.0.0.1:8080 --buyers 64 --seconds 10 --mode distinct|hot
//! commerce_load fanout   --url http://127.0.0.1:8080 --subscribers 10000 --token <staff access token>
//! ```
//!
//! `checkout`: guest buyers place one-line GraphQL checkouts as fast as they can — each buyer
//! on its own variants (`distinct`) or all on one variant (`hot`); prints orders/s, latency,
//! refusals (422 such as `INSUFFICIENT_STOCK`) and errors (anything else).
//!
//! `fanout`: opens N `graphql-transport-ws` connections subscribed to the staff order feed,
//! causes one order event (a checkout), and measures for every subscriber the time from the
//! start of that checkout request until its event arrived; prints p50/p99/max and how many received it.
//!
//! Both print one JSON line.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

const CHECKOUT: &str =
    "mutation Checkout($i: CheckoutInput!) { checkout(input: $i) { order { id orderNumber } } }";
const FEED: &str = "subscription { orderEvents { kind orderNumber status } }";

struct Args {
    cmd: String,
    url: String,
    buyers: usize,
    seconds: u64,
    mode: String,
    subscribers: usize,
    token: String,
}

fn parse() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let cmd = it.next().ok_or("checkout or fanout")?;
    let mut a = Args {
        cmd,
        url: "http://127.0.0.1:8080".into(),
        buyers: 64,
        seconds: 10,
        mode: "distinct".into(),
        subscribers: 1000,
        token: String::new(),
    };
    while let Some(k) = it.next() {
        let v = it.next().ok_or_else(|| format!("{k} needs a value"))?;
        let num = |v: &str| v.parse::<usize>().map_err(|e| format!("{k}: {e}"));
        match k.as_str() {
            "--url" => a.url = v,
            "--buyers" => a.buyers = num(&v)?,
            "--seconds" => a.seconds = num(&v)? as u64,
            "--mode" => a.mode = v,
            "--subscribers" => a.subscribers = num(&v)?,
            "--token" => a.token = v,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(a)
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    (sorted[i.min(sorted.len() - 1)].as_secs_f64() * 100_000.0).round() / 100.0
}

/// Every (product, variant) of the active catalog, through the storefront listing.
async fn variants(client: &reqwest::Client, url: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for page in 1.. {
        let body = json!({
            "query": "query($p: Int) { products(page: $p, limit: 100) { pages items { id variants { id stock } } } }",
            "variables": {"p": page},
        });
        let v: Value = client
            .post(format!("{url}/graphql"))
            .json(&body)
            .send()
            .await
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())?;
        let products = &v["data"]["products"];
        for p in products["items"].as_array().into_iter().flatten() {
            for var in p["variants"].as_array().into_iter().flatten() {
                if var["stock"].as_i64().unwrap_or(0) > 0 {
                    out.push((
                        p["id"].as_str().unwrap_or_default().to_owned(),
                        var["id"].as_str().unwrap_or_default().to_owned(),
                    ));
                }
            }
        }
        if page >= products["pages"].as_i64().unwrap_or(0) {
            break;
        }
    }
    if out.is_empty() {
        return Err("no variant in stock".into());
    }
    Ok(out)
}

fn checkout_body(product: &str, variant: &str) -> Value {
    let address = json!({"first_name": "Ann", "last_name": "Lee", "street": "Main 1",
        "city": "Berlin", "zip": "10115", "country_code": "DE", "email": "ann@example.com"});
    json!({"query": CHECKOUT, "variables": {"i": {
        "currency": "EUR",
        "billingAddress": address, "shippingAddress": address,
        "items": [{"productId": product, "variantId": variant, "quantity": 1}],
    }}})
}

/// 1 = order, 0 = refused (a domain error), -1 = failure.
async fn place(client: &reqwest::Client, url: &str, body: &Value) -> i8 {
    let Ok(r) = client
        .post(format!("{url}/graphql"))
        .json(body)
        .send()
        .await
    else {
        return -1;
    };
    if r.status().is_server_error() {
        return -1;
    }
    let Ok(v) = r.json::<Value>().await else {
        return -1;
    };
    if v["data"]["checkout"]["order"]["id"].is_string() {
        return 1;
    }
    match v["errors"][0]["extensions"]["code"].as_str() {
        Some("INTERNAL_ERROR" | "SERVICE_UNAVAILABLE") | None => -1,
        Some(_) => 0,
    }
}

async fn checkout(a: Arc<Args>) -> Result<Value, String> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(a.buyers)
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| e.to_string())?;
    let all = Arc::new(variants(&client, &a.url).await?);
    let until = Instant::now() + Duration::from_secs(a.seconds);
    let start = Instant::now();
    let tasks: Vec<_> = (0..a.buyers)
        .map(|b| {
            let (client, a, all) = (client.clone(), a.clone(), all.clone());
            tokio::spawn(async move {
                let (mut lat, mut orders, mut refused, mut failed) = (Vec::new(), 0u64, 0u64, 0u64);
                let mut n = 0usize;
                while Instant::now() < until {
                    let (p, v) = if a.mode == "hot" {
                        &all[0]
                    } else {
                        // Buyer b takes variants b, b + buyers, b + 2·buyers, …
                        &all[(b + n * a.buyers) % all.len()]
                    };
                    n += 1;
                    let t = Instant::now();
                    match place(&client, &a.url, &checkout_body(p, v)).await {
                        1 => {
                            orders += 1;
                            lat.push(t.elapsed());
                        }
                        0 => refused += 1,
                        _ => failed += 1,
                    }
                }
                (lat, orders, refused, failed)
            })
        })
        .collect();
    let (mut lat, mut orders, mut refused, mut failed) = (Vec::new(), 0, 0, 0);
    for t in tasks {
        if let Ok((l, o, r, f)) = t.await {
            lat.extend(l);
            orders += o;
            refused += r;
            failed += f;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    lat.sort();
    Ok(json!({
        "scenario": format!("checkout-{}", a.mode), "buyers": a.buyers, "orders": orders,
        "refused": refused, "errors": failed,
        "orders_per_s": (orders as f64 / secs * 10.0).round() / 10.0,
        "p50_ms": pct(&lat, 0.5), "p99_ms": pct(&lat, 0.99),
    }))
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn subscriber(url: &str, token: &str) -> Result<Ws, String> {
    let ws_url = url.replacen("http", "ws", 1) + "/graphql/ws";
    let mut req = ws_url.into_client_request().map_err(|e| e.to_string())?;
    req.headers_mut().insert(
        "sec-websocket-protocol",
        http_header("graphql-transport-ws")?,
    );
    // A small read buffer: tungstenite's default (128 KiB) is zero-filled on every read,
    // which would make this generator's own receive cost dominate the measurement.
    let config = tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default()
        .read_buffer_size(4 * 1024);
    let (mut ws, _) = tokio_tungstenite::connect_async_with_config(req, Some(config), true)
        .await
        .map_err(|e| e.to_string())?;
    let init =
        json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {token}")}});
    ws.send(Message::Text(init.to_string().into()))
        .await
        .map_err(|e| e.to_string())?;
    loop {
        match ws.next().await {
            Some(Ok(Message::Text(t))) if t.contains("connection_ack") => break,
            Some(Ok(Message::Text(t))) if t.contains("\"ping\"") || t.contains("\"ka\"") => {}
            Some(Ok(other)) => return Err(format!("unexpected {other:?}")),
            _ => return Err("closed before ack".into()),
        }
    }
    let sub = json!({"id": "1", "type": "subscribe", "payload": {"query": FEED}});
    ws.send(Message::Text(sub.to_string().into()))
        .await
        .map_err(|e| e.to_string())?;
    Ok(ws)
}

fn http_header(v: &str) -> Result<http::HeaderValue, String> {
    http::HeaderValue::from_str(v).map_err(|e| e.to_string())
}

async fn fanout(a: Arc<Args>) -> Result<Value, String> {
    let client = reqwest::Client::new();
    let all = variants(&client, &a.url).await?;
    // Connect in waves so the accept queue is not flooded.
    let mut subs = Vec::with_capacity(a.subscribers);
    let connect_start = Instant::now();
    for chunk in (0..a.subscribers).collect::<Vec<_>>().chunks(200) {
        let wave: Vec<_> = chunk
            .iter()
            .map(|_| {
                let (url, token) = (a.url.clone(), a.token.clone());
                tokio::spawn(async move { subscriber(&url, &token).await })
            })
            .collect();
        for w in wave {
            subs.push(w.await.map_err(|e| e.to_string())??);
        }
    }
    let connect_secs = connect_start.elapsed().as_secs_f64();
    // Let every subscription reach the server's bus before the event.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Instant>();
    for mut ws in subs {
        let tx = tx.clone();
        tokio::spawn(async move {
            while let Some(Ok(m)) = ws.next().await {
                if let Message::Text(t) = m
                    && t.contains("\"next\"")
                {
                    let _ = tx.send(Instant::now());
                    break;
                }
            }
            // Keep the connection open until the process ends.
            std::future::pending::<()>().await;
        });
    }
    drop(tx);
    let (p, v) = &all[0];
    let sent = Instant::now();
    if place(&client, &a.url, &checkout_body(p, v)).await != 1 {
        return Err("the triggering checkout failed".into());
    }
    let mut lat = Vec::with_capacity(a.subscribers);
    let deadline = tokio::time::sleep(Duration::from_secs(30));
    tokio::pin!(deadline);
    while lat.len() < a.subscribers {
        tokio::select! {
            got = rx.recv() => match got {
                Some(at) => lat.push(at.saturating_duration_since(sent)),
                None => break,
            },
            () = &mut deadline => break,
        }
    }
    lat.sort();
    Ok(json!({
        "scenario": "fanout", "subscribers": a.subscribers, "received": lat.len(),
        "connect_s": (connect_secs * 10.0).round() / 10.0,
        "p50_ms": pct(&lat, 0.5), "p99_ms": pct(&lat, 0.99),
        "max_ms": lat.last().map(|d| (d.as_secs_f64() * 100_000.0).round() / 100.0).unwrap_or(0.0),
    }))
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = match parse() {
        Ok(a) => Arc::new(a),
        Err(e) => {
            eprintln!("commerce_load: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let out = match args.cmd.as_str() {
        "checkout" => checkout(args).await,
        "fanout" => fanout(args).await,
        other => Err(format!("unknown command {other}")),
    };
    match out {
        Ok(v) => {
            println!("{v}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("commerce_load: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
