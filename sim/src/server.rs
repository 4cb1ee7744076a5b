//! Running the simulator: the listener, the connection loop, and the
//! handle tests and the demo mode hold.
//!
//! The loop serves HTTP/1.1 with hyper directly rather than `axum::serve`,
//! because a "connection reset" fault must be able to close a connection
//! without writing any answer, which a router response cannot express.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, mpsc};
use std::thread::JoinHandle as ThreadHandle;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Uri};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};
use tower::ServiceExt;

use crate::config::SimConfig;
use crate::counters::Counters;
use crate::dataset::Dataset;
use crate::faults::{FaultRule, FaultState};
use crate::http::control::PeerAddr;
use crate::http::{self, AppState, DropConnection, SimState};
use crate::shape::AnswerShape;
use crate::store::Store;

/// A simulator serving on a local port. Dropping it stops the server.
#[derive(Debug)]
pub struct RunningSim {
    addr: SocketAddr,
    state: AppState,
    stop: Option<watch::Sender<bool>>,
    task: Option<JoinHandle<()>>,
    /// The runtime thread of a simulator made by [`RunningSim::start_blocking`].
    thread: Option<ThreadHandle<()>>,
}

/// The error a dropped connection hands hyper, which then closes the
/// connection without an answer.
#[derive(Debug)]
struct ConnectionDropped;

impl std::fmt::Display for ConnectionDropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for ConnectionDropped {}

impl RunningSim {
    /// Builds the account (generated from the config, or its dataset) and
    /// serves it on `bind` (port 0 picks a free port). Must be called
    /// inside a tokio runtime.
    pub async fn start(config: SimConfig, bind: SocketAddr) -> io::Result<RunningSim> {
        let mut dataset = match config.dataset {
            Some(dataset) => {
                dataset
                    .validate()
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
                dataset
            }
            None => Dataset::generate(config.seed, config.contacts, config.today),
        };
        if let Some(zone) = &config.owner_time_zone {
            let mut user = dataset
                .user
                .take()
                .unwrap_or_else(crate::store::default_user);
            user.time_zone = zone.clone();
            dataset.user = Some(user);
        }
        let state = Arc::new(SimState {
            store: Mutex::new(Store::new(dataset.clone(), config.seed)),
            initial: Mutex::new(dataset),
            seed: config.seed,
            api_key: config.api_key,
            api_access: AtomicBool::new(config.api_access),
            today: config.today,
            faults: Mutex::new(FaultState::new(config.faults.clone(), config.seed)),
            initial_faults: config.faults,
            counters: Mutex::new(Counters::default()),
            list_links: config.list_links,
            by_emails_route: config.by_emails_route,
            shape: Mutex::new(config.shape),
            initial_shape: config.shape,
        });
        let listener = TcpListener::bind(bind).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(serve(listener, http::router(state.clone()), stopped));
        tracing::info!(%addr, "dex-sim listening");
        Ok(RunningSim {
            addr,
            state,
            stop: Some(stop),
            task: Some(task),
            thread: None,
        })
    }

    /// Like [`RunningSim::start`] on `127.0.0.1:0`, for code without a
    /// runtime (plain `#[test]`s): the server runs on a tokio runtime in a
    /// thread of its own until the handle is dropped.
    pub fn start_blocking(config: SimConfig) -> io::Result<RunningSim> {
        let (sender, receiver) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("dex-sim".to_owned())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(1)
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(e) => {
                        let _ = sender.send(Err(e));
                        return;
                    }
                };
                runtime.block_on(async move {
                    let bind = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
                    match RunningSim::start(config, bind).await {
                        Ok(mut sim) => {
                            let task = sim.task.take();
                            let _ = sender.send(Ok(sim));
                            if let Some(task) = task {
                                let _ = task.await;
                            }
                        }
                        Err(e) => {
                            let _ = sender.send(Err(e));
                        }
                    }
                });
            })?;
        let mut sim = receiver
            .recv()
            .map_err(|_| io::Error::other("simulator thread ended before starting"))??;
        sim.thread = Some(thread);
        Ok(sim)
    }

    /// The address served on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The v1 base URL, `http://127.0.0.1:PORT` (paths start with `/v1`).
    pub fn v1_base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The legacy base URL, `http://127.0.0.1:PORT/api/rest`.
    pub fn legacy_base_url(&self) -> String {
        format!("http://{}/api/rest", self.addr)
    }

    /// The control API's base URL, `http://127.0.0.1:PORT/_sim`.
    pub fn control_url(&self) -> String {
        format!("http://{}/_sim", self.addr)
    }

    /// The API key the simulator accepts.
    pub fn api_key(&self) -> &str {
        &self.state.api_key
    }

    /// What has been served so far.
    pub fn counters(&self) -> Counters {
        self.state.counters().clone()
    }

    /// Forgets what has been served.
    pub fn reset_counters(&self) {
        *self.state.counters() = Counters::default();
    }

    /// Replaces the fault rules.
    pub fn set_faults(&self, rules: Vec<FaultRule>) {
        self.state.faults().set_rules(rules);
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.set_faults(Vec::new());
    }

    /// The fault rules in force.
    pub fn faults(&self) -> Vec<FaultRule> {
        self.state.faults().rules().to_vec()
    }

    /// The shape the v1 routes answer in now.
    pub fn shape(&self) -> AnswerShape {
        self.state.shape()
    }

    /// Switches the shape the v1 routes answer in (until [`RunningSim::reset`]).
    pub fn set_shape(&self, shape: AnswerShape) {
        self.state.set_shape(shape);
    }

    /// Switches API access on (valid keys served) or off (valid keys 403).
    pub fn set_api_access(&self, on: bool) {
        self.state.api_access.store(on, Ordering::Relaxed);
    }

    /// The current state as a dataset (what `GET /_sim/state` returns).
    pub fn snapshot(&self) -> Dataset {
        self.state.store().snapshot()
    }

    /// Replaces the whole state with `dataset`; it also becomes what
    /// [`RunningSim::reset`] returns to.
    pub fn load(&self, dataset: Dataset) -> Result<(), crate::dataset::DatasetError> {
        dataset.validate()?;
        *self.state.store() = Store::new(dataset.clone(), self.state.seed);
        *self.state.initial.lock().unwrap_or_else(|e| e.into_inner()) = dataset;
        Ok(())
    }

    /// Back to the state at start (or at the last [`RunningSim::load`]),
    /// with the start's fault rules and answer shape, API access on,
    /// counters cleared.
    pub fn reset(&self) {
        crate::http::control::reset(&self.state);
    }

    /// Stops serving and waits for the server to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningSim {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Accepts connections until told to stop; open connections are cut when
/// it stops.
async fn serve(listener: TcpListener, router: Router, mut stopped: watch::Receiver<bool>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let router = router.clone();
                    connections.spawn(serve_connection(stream, peer, router));
                }
                Err(error) => {
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                }
            },
            _ = stopped.changed() => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.abort_all();
}

async fn serve_connection(stream: tokio::net::TcpStream, peer: SocketAddr, router: Router) {
    let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
        let router = router.clone();
        request.extensions_mut().insert(PeerAddr(peer));
        strip_trailing_slash(&mut request);
        async move {
            let response = router
                .oneshot(request.map(Body::new))
                .await
                .unwrap_or_else(|never| match never {});
            if response.extensions().get::<DropConnection>().is_some() {
                Err(ConnectionDropped)
            } else {
                Ok(response)
            }
        }
    });
    let result = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .await;
    if let Err(error) = result {
        tracing::debug!(%error, %peer, "connection ended");
    }
}

/// `/v1/contacts/` and `/v1/contacts` are the same resource: the API
/// reference writes both forms.
fn strip_trailing_slash<B>(request: &mut Request<B>) {
    let path = request.uri().path();
    if path.len() > 1 && path.ends_with('/') {
        let trimmed = path.trim_end_matches('/');
        let trimmed = if trimmed.is_empty() { "/" } else { trimmed };
        let path_and_query = match request.uri().query() {
            Some(query) => format!("{trimmed}?{query}"),
            None => trimmed.to_owned(),
        };
        let mut parts = request.uri().clone().into_parts();
        if let Ok(pq) = path_and_query.parse() {
            parts.path_and_query = Some(pq);
            if let Ok(uri) = Uri::from_parts(parts) {
                *request.uri_mut() = uri;
            }
        }
    }
}
