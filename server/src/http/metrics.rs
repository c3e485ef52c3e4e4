//! Prometheus metrics: request counts and latencies per route, and pool statistics.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry, TextEncoder,
};

use crate::app::App;

/// The registry and its instruments (one per application, no globals).
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pool_size: IntGauge,
    pool_available: IntGauge,
    pool_waiting: IntGauge,
    pool_max: IntGauge,
    statements: IntGauge,
}

impl Metrics {
    /// Registers every instrument.
    pub fn new() -> prometheus::Result<Self> {
        let registry = Registry::new_custom(Some("stoa".into()), None)?;
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests by method, route and status",
            ),
            &["method", "route", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "HTTP request latency by method and route",
            ),
            &["method", "route"],
        )?;
        let pool_size = IntGauge::new("db_pool_connections", "Open database connections")?;
        let pool_available = IntGauge::new("db_pool_available", "Idle database connections")?;
        let pool_waiting = IntGauge::new("db_pool_waiting", "Requests waiting for a connection")?;
        let pool_max = IntGauge::new("db_pool_max_connections", "Configured pool size")?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(pool_size.clone()))?;
        registry.register(Box::new(pool_available.clone()))?;
        registry.register(Box::new(pool_waiting.clone()))?;
        registry.register(Box::new(pool_max.clone()))?;
        let statements = IntGauge::new(
            "db_statements_total",
            "SQL statements run by the pool since start",
        )?;
        registry.register(Box::new(statements.clone()))?;
        Ok(Self {
            registry,
            requests,
            latency,
            pool_size,
            pool_available,
            pool_waiting,
            pool_max,
            statements,
        })
    }
}

/// Counts and times every request.
pub async fn track(State(app): State<App>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = req.method().as_str().to_owned();
    let start = Instant::now();
    let resp = next.run(req).await;
    let m = &app.metrics;
    m.latency
        .with_label_values(&[method.as_str(), route.as_str()])
        .observe(start.elapsed().as_secs_f64());
    m.requests
        .with_label_values(&[method.as_str(), route.as_str(), resp.status().as_str()])
        .inc();
    resp
}

fn gauge(v: usize) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// `GET /metrics` in the Prometheus text format.
pub async fn handler(State(app): State<App>) -> Response {
    let m = &app.metrics;
    let status = app.state.pool.status();
    m.pool_size.set(gauge(status.size));
    m.pool_available.set(gauge(status.available));
    m.pool_waiting.set(gauge(status.waiting));
    m.pool_max.set(gauge(status.max_size));
    if let Some(c) = &app.statements {
        m.statements
            .set(i64::try_from(c.load(std::sync::atomic::Ordering::Relaxed)).unwrap_or(i64::MAX));
    }
    let mut buf = Vec::new();
    if let Err(e) = TextEncoder::new().encode(&m.registry.gather(), &mut buf) {
        tracing::error!(error = %e, "metrics encoding failed");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        buf,
    )
        .into_response()
}
