//! The connections: accepted under a cap, each served by hyper with a header-read timeout,
//! closed when idle too long, and shut down gracefully on Ctrl-C.
//!
//! A connection is *idle* when no request of it is being answered: it waits for a request's
//! headers (or is a slow client still sending them). When the cap is reached, a new connection
//! closes the oldest idle one rather than being turned away, so idle sockets cannot lock
//! clients out; only when every open connection is busy is the new one refused (503). One
//! client address holds at most half of the cap.

use crate::AppState;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};

/// What the connections are allowed.
pub(crate) struct Limits {
    /// Time to send a request's headers, and to stay idle between requests.
    pub header_timeout: Duration,
    /// Connections open at once.
    pub max_connections: usize,
}

/// File descriptors kept for the store (database, index segments) and the rest.
#[cfg(unix)]
const RESERVED_FDS: u64 = 256;

/// The connection cap `wanted`, lowered to what the open-file limit allows (raising the soft
/// limit towards the hard one first).
#[allow(clippy::unnecessary_cast)] // `rlim_t` is not `u64` on every platform
pub(crate) fn usable_connections(wanted: usize) -> usize {
    let wanted = wanted.max(1);
    #[cfg(unix)]
    {
        let need = wanted as u64 + RESERVED_FDS;
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit and setrlimit only read or write the struct passed.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
                return wanted;
            }
            if (lim.rlim_cur as u64) < need {
                let raised = libc::rlimit {
                    rlim_cur: (need as libc::rlim_t).min(lim.rlim_max),
                    rlim_max: lim.rlim_max,
                };
                if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                    lim.rlim_cur = raised.rlim_cur;
                }
            }
        }
        let fit = (lim.rlim_cur as u64).saturating_sub(RESERVED_FDS).max(16) as usize;
        if fit < wanted {
            eprintln!(
                "vigie serve: at most {fit} connections (the open-file limit is {}; raise it with `ulimit -n`)",
                lim.rlim_cur
            );
            return fit;
        }
    }
    wanted
}

/// The open connections.
struct Registry {
    max: usize,
    per_client: usize,
    inner: Mutex<Inner>,
    /// Requests being answered, all connections together.
    busy: AtomicUsize,
    /// Requests answered so far.
    served: AtomicU64,
}

#[derive(Default)]
struct Inner {
    next: u64,
    /// By age: the oldest first.
    open: BTreeMap<u64, Conn>,
    per_client: FxHashMap<IpAddr, usize>,
}

struct Conn {
    client: IpAddr,
    /// Requests of this connection being answered.
    busy: Arc<AtomicUsize>,
    close: Arc<Notify>,
}

/// What a connection task needs from the registry.
struct Admitted {
    id: u64,
    busy: Arc<AtomicUsize>,
    close: Arc<Notify>,
}

impl Registry {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Makes room for a connection of `client`, closing an idle one if needed; `None` when
    /// every connection that could go is busy.
    fn admit(&self, client: IpAddr) -> Option<Admitted> {
        let mut inner = self.lock();
        let theirs = inner.per_client.get(&client).copied().unwrap_or(0);
        if theirs >= self.per_client {
            // At its share: its own oldest idle connection goes.
            if !inner.close_idle(|c| c.client == client) {
                return None;
            }
        } else if inner.open.len() >= self.max && !inner.close_idle(|_| true) {
            return None;
        }
        let id = inner.next;
        inner.next += 1;
        let busy = Arc::new(AtomicUsize::new(0));
        let close = Arc::new(Notify::new());
        inner.open.insert(
            id,
            Conn {
                client,
                busy: busy.clone(),
                close: close.clone(),
            },
        );
        *inner.per_client.entry(client).or_default() += 1;
        Some(Admitted { id, busy, close })
    }

    fn release(&self, id: u64) {
        self.lock().remove(id);
    }

    fn open(&self) -> usize {
        self.lock().open.len()
    }
}

impl Inner {
    fn remove(&mut self, id: u64) -> Option<Conn> {
        let c = self.open.remove(&id)?;
        if let Some(n) = self.per_client.get_mut(&c.client) {
            *n -= 1;
            if *n == 0 {
                self.per_client.remove(&c.client);
            }
        }
        Some(c)
    }

    /// Closes the oldest idle connection that `which` accepts; false when there is none.
    fn close_idle(&mut self, which: impl Fn(&Conn) -> bool) -> bool {
        let found = self
            .open
            .iter()
            .find(|(_, c)| which(c) && c.busy.load(Ordering::Acquire) == 0)
            .map(|(id, _)| *id);
        match found.and_then(|id| self.remove(id)) {
            Some(c) => {
                c.close.notify_one();
                true
            }
            None => false,
        }
    }
}

/// Counts a request as being answered while alive.
struct Busy {
    conn: Arc<AtomicUsize>,
    registry: Arc<Registry>,
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.conn.fetch_sub(1, Ordering::AcqRel);
        self.registry.busy.fetch_sub(1, Ordering::AcqRel);
        self.registry.served.fetch_add(1, Ordering::AcqRel);
    }
}

/// The answer to a connection over the cap when every other one is busy.
fn refused() -> Vec<u8> {
    let body = r#"{"error":"too many connections are open: try again in a moment"}"#;
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Serves `app` on `listener` until `signal` completes, then shuts down gracefully: no new
/// connection, idle ones closed, requests under way given [`crate::SHUTDOWN_GRACE`] to finish.
pub(crate) async fn serve(
    listener: TcpListener,
    app: axum::Router,
    limits: Limits,
    state: Arc<AppState>,
    signal: impl Future<Output = ()>,
) {
    let registry = Arc::new(Registry {
        max: limits.max_connections,
        per_client: (limits.max_connections / 2).max(1),
        inner: Mutex::default(),
        busy: AtomicUsize::new(0),
        served: AtomicU64::new(0),
    });
    let (stop_tx, stop_rx) = watch::channel(false);
    let idle_task = tokio::spawn(release_when_idle(registry.clone(), state));
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    tokio::pin!(signal);
    let mut accept_errors = Instant::now() - Duration::from_secs(60);
    loop {
        let (stream, remote) = tokio::select! {
            _ = &mut signal => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors, say: wait for some to close.
                    if accept_errors.elapsed() > Duration::from_secs(10) {
                        eprintln!("vigie serve: accepting a connection: {e}");
                        accept_errors = Instant::now();
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let Some(admitted) = registry.admit(remote.ip()) else {
            tokio::spawn(async move {
                let mut stream = stream;
                let _ = tokio::time::timeout(Duration::from_secs(2), async {
                    stream.write_all(&refused()).await?;
                    stream.shutdown().await
                })
                .await;
            });
            continue;
        };
        let conn = builder.serve_connection(
            TokioIo::new(stream),
            service(app.clone(), remote, admitted.busy.clone(), registry.clone()),
        );
        let (registry, mut stop) = (registry.clone(), stop_rx.clone());
        tokio::spawn(async move {
            tokio::pin!(conn);
            let mut stopping = false;
            loop {
                tokio::select! {
                    _ = conn.as_mut() => break,
                    // Closed to make room: dropping the connection closes the socket.
                    _ = admitted.close.notified() => break,
                    _ = stop.changed(), if !stopping => {
                        stopping = true;
                        if admitted.busy.load(Ordering::Acquire) == 0 {
                            // Idle, or a request still half sent: nothing to finish.
                            break;
                        }
                        conn.as_mut().graceful_shutdown();
                    }
                }
            }
            registry.release(admitted.id);
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    // Requests under way finish (a second Ctrl-C stops at once); connections that have not
    // closed by the deadline are dropped with the runtime.
    let deadline = Instant::now() + crate::SHUTDOWN_GRACE;
    let second = tokio::signal::ctrl_c();
    tokio::pin!(second);
    while registry.open() > 0 && Instant::now() < deadline {
        tokio::select! {
            _ = &mut second => break,
            _ = tokio::time::sleep(Duration::from_millis(20)) => {}
        }
    }
    idle_task.abort();
}

/// The service of one connection: the router, with the client's address and the counts of
/// requests under way.
fn service(
    app: axum::Router,
    remote: SocketAddr,
    conn_busy: Arc<AtomicUsize>,
    registry: Arc<Registry>,
) -> impl hyper::service::Service<
    hyper::Request<Incoming>,
    Response = axum::response::Response,
    Error = std::convert::Infallible,
    Future = impl Future<Output = Result<axum::response::Response, std::convert::Infallible>> + Send,
> + Clone {
    hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        conn_busy.fetch_add(1, Ordering::AcqRel);
        registry.busy.fetch_add(1, Ordering::AcqRel);
        let busy = Busy {
            conn: conn_busy.clone(),
            registry: registry.clone(),
        };
        req.extensions_mut().insert(ConnectInfo(remote));
        let mut app = app.clone();
        async move {
            let _busy = busy;
            tower_service::Service::call(&mut app, req).await
        }
    })
}

/// Gives memory back to the system once the server has fallen idle after answering requests
/// (see [`crate::Config::release_memory`]).
async fn release_when_idle(registry: Arc<Registry>, state: Arc<AppState>) {
    let mut released_at = registry.served.load(Ordering::Acquire);
    loop {
        tokio::time::sleep(Duration::from_secs(2)).await;
        let served = registry.served.load(Ordering::Acquire);
        if served != released_at && registry.busy.load(Ordering::Acquire) == 0 {
            // Nothing answered for a moment: the queries' buffers are free.
            tokio::time::sleep(Duration::from_millis(500)).await;
            if registry.served.load(Ordering::Acquire) == served
                && registry.busy.load(Ordering::Acquire) == 0
            {
                let st = state.clone();
                let _ = tokio::task::spawn_blocking(move || crate::release_memory(&st)).await;
                released_at = served;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn ip(n: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(127, 0, 0, n))
    }

    fn registry(max: usize) -> Registry {
        Registry {
            max,
            per_client: (max / 2).max(1),
            inner: Mutex::default(),
            busy: AtomicUsize::new(0),
            served: AtomicU64::new(0),
        }
    }

    #[test]
    fn a_new_connection_closes_the_oldest_idle_one() {
        let r = registry(4);
        let a = r.admit(ip(1)).unwrap();
        let b = r.admit(ip(2)).unwrap();
        let _c = r.admit(ip(3)).unwrap();
        let _d = r.admit(ip(4)).unwrap();
        a.busy.store(1, Ordering::Release);
        // Full: the oldest idle one (b, as a is busy) goes.
        let _e = r.admit(ip(5)).unwrap();
        assert_eq!(r.open(), 4);
        assert!(!r.lock().open.contains_key(&b.id));
        assert!(r.lock().open.contains_key(&a.id));
        // Every one busy: refused.
        for c in r.lock().open.values() {
            c.busy.store(1, Ordering::Release);
        }
        assert!(r.admit(ip(6)).is_none());
        r.release(a.id);
        assert!(r.admit(ip(6)).is_some());
    }

    #[test]
    fn one_client_holds_half_of_the_cap() {
        let r = registry(6);
        let first = r.admit(ip(1)).unwrap();
        for _ in 0..10 {
            assert!(r.admit(ip(1)).is_some());
        }
        assert_eq!(r.lock().per_client[&ip(1)], 3);
        assert!(!r.lock().open.contains_key(&first.id));
        // The others still get in.
        for n in 2..5 {
            assert!(r.admit(ip(n)).is_some());
        }
        assert_eq!(r.open(), 6);
    }
}
