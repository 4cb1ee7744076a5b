//! The HTTP face of the simulator: one router serving v1 under `/v1`,
//! legacy under `/api/rest` and the control API under `/_sim`.

mod auth;
mod body;
pub mod control;
pub mod error;
mod fault_layer;
mod legacy;
mod params;
mod v1;

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::extract::Request;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;

use crate::config::ListLinks;
use crate::counters::{Counters, Outcome};
use crate::dataset::Dataset;
use crate::faults::{FaultRule, FaultState};
use crate::shape::AnswerShape;
use crate::store::Store;
use error::{ApiError, Generation};

pub use fault_layer::DropConnection;

/// Everything the routes share: the store, the switches, the counters.
#[derive(Debug)]
pub struct SimState {
    /// The account's data.
    pub store: Mutex<Store>,
    /// What `POST /_sim/reset` goes back to.
    pub initial: Mutex<Dataset>,
    /// Seed of the store's and the faults' random choices.
    pub seed: u64,
    /// The key both generations accept.
    pub api_key: String,
    /// When false, valid keys are answered 403 (a plan without API access).
    pub api_access: AtomicBool,
    /// The date "upcoming" and birthdays are reckoned from.
    pub today: NaiveDate,
    /// The fault rules in force and their dice.
    pub faults: Mutex<FaultState>,
    /// The fault rules given at start, for reset.
    pub initial_faults: Vec<FaultRule>,
    /// What was served.
    pub counters: Mutex<Counters>,
    /// When list pages carry links between records.
    pub list_links: ListLinks,
    /// Whether `POST /v1/contacts/by-emails` is served (else 404).
    pub by_emails_route: bool,
    /// The shape the v1 routes answer in.
    pub shape: Mutex<AnswerShape>,
    /// The shape given at start, for reset.
    pub initial_shape: AnswerShape,
}

/// Shared state handle used by every route.
pub type AppState = Arc<SimState>;

impl SimState {
    /// The store, even if a handler panicked while holding it (the store's
    /// writes build the new record before swapping it in, so a poisoned
    /// lock still guards consistent data).
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The counters (see [`SimState::store`] on poisoning).
    pub fn counters(&self) -> MutexGuard<'_, Counters> {
        self.counters.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The fault rules (see [`SimState::store`] on poisoning).
    pub fn faults(&self) -> MutexGuard<'_, FaultState> {
        self.faults.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The shape the v1 routes answer in now.
    pub fn shape(&self) -> AnswerShape {
        *self.shape.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Switches the shape the v1 routes answer in.
    pub fn set_shape(&self, shape: AnswerShape) {
        *self.shape.lock().unwrap_or_else(|e| e.into_inner()) = shape;
    }
}

/// The whole router.
pub fn router(state: AppState) -> Router {
    let v1 = v1::routes().route_layer(middleware::from_fn_with_state(
        state.clone(),
        auth::require_v1_key,
    ));
    let legacy = legacy::routes().route_layer(middleware::from_fn_with_state(
        state.clone(),
        auth::require_legacy_key,
    ));
    let dex = v1.merge(legacy).route_layer(middleware::from_fn_with_state(
        state.clone(),
        fault_layer::apply_faults,
    ));
    dex.merge(control::routes())
        .fallback(unmatched)
        .with_state(state)
}

/// Unknown paths: 404 in the shape of the generation the path looks like.
async fn unmatched(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request,
) -> Response {
    let path = request.uri().path().to_owned();
    state.counters().record("unmatched", Outcome::Answered(404));
    Generation::of_path(&path)
        .respond(ApiError::not_found(format!("no route for {path}")))
        .into_response()
}
