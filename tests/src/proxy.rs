//! A TCP proxy in front of the test database that can be cut and restored, to prove that a
//! lost database gives 503 and that the pool recovers.

use std::net::SocketAddr;
use std::path::PathBuf;

use tokio::net::{TcpListener, TcpStream, UnixStream};
use tokio::task::JoinSet;

/// Where the proxy forwards to.
#[derive(Debug, Clone)]
pub enum Upstream {
    Tcp(String),
    Unix(PathBuf),
}

impl Upstream {
    /// The server of a connection string (URL or key/value; default port 5432).
    pub fn from_url(url: &str) -> Self {
        if let Some(host) = url
            .split_whitespace()
            .find_map(|kv| kv.strip_prefix("host="))
        {
            if host.starts_with('/') {
                return Self::Unix(PathBuf::from(host).join(".s.PGSQL.5432"));
            }
            return Self::Tcp(format!("{host}:5432"));
        }
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        let authority = rest.split('/').next().unwrap_or(rest);
        let hostport = authority.rsplit('@').next().unwrap_or(authority);
        if hostport.contains(':') {
            Self::Tcp(hostport.to_owned())
        } else {
            Self::Tcp(format!("{hostport}:5432"))
        }
    }
}

/// A running proxy; `cut` drops every connection and stops listening, `restore` listens again
/// on the same port.
pub struct DbProxy {
    pub addr: SocketAddr,
    upstream: Upstream,
    tasks: Option<JoinSet<()>>,
}

async fn pipe(mut client: TcpStream, upstream: Upstream) {
    match upstream {
        Upstream::Tcp(a) => {
            if let Ok(mut s) = TcpStream::connect(a).await {
                let _ = tokio::io::copy_bidirectional(&mut client, &mut s).await;
            }
        }
        Upstream::Unix(p) => {
            if let Ok(mut s) = UnixStream::connect(p).await {
                let _ = tokio::io::copy_bidirectional(&mut client, &mut s).await;
            }
        }
    }
}

impl DbProxy {
    /// Starts a proxy on an ephemeral port.
    pub async fn start(upstream: Upstream) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().expect("proxy addr");
        let mut p = Self {
            addr,
            upstream,
            tasks: None,
        };
        p.listen(listener);
        p
    }

    fn listen(&mut self, listener: TcpListener) {
        let mut tasks = JoinSet::new();
        let upstream = self.upstream.clone();
        tasks.spawn(async move {
            let mut conns = JoinSet::new();
            while let Ok((client, _)) = listener.accept().await {
                conns.spawn(pipe(client, upstream.clone()));
            }
        });
        self.tasks = Some(tasks);
    }

    /// Drops every connection and stops accepting.
    pub async fn cut(&mut self) {
        if let Some(mut t) = self.tasks.take() {
            t.shutdown().await;
        }
    }

    /// Accepts again on the same port.
    pub async fn restore(&mut self) {
        let listener = TcpListener::bind(self.addr).await.expect("rebind proxy");
        self.listen(listener);
    }
}
