//! `/v1/contacts`: list, get, batch create, partial update, delete, merge.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use serde_json::{Value, json};

use super::{ok, page};
use crate::http::AppState;
use crate::http::body;
use crate::http::error::{ApiError, V1Error};
use crate::http::params;
use crate::store::paging;
use crate::store::patch::FieldRules;

/// Every contact field but the ones the API owns.
pub const CONTACT_RULES: FieldRules = FieldRules {
    writable: &[
        "full_name",
        "first_name",
        "last_name",
        "job_title",
        "company",
        "description",
        "education",
        "legacy_location",
        "website",
        "image_url",
        "starred",
        "is_archived",
        "birthday",
        "birthday_year",
        "linkedin",
        "twitter",
        "facebook",
        "instagram",
        "telegram",
        "tiktok",
        "youtube",
        "frequency",
        "never_keep_in_touch",
        "last_seen_at",
        "next_reminder_at",
        "source",
        "contact_emails",
        "contact_phone_numbers",
        "legacy_contact_addresses",
        "tags_contacts",
        "groups_contacts",
        "custom_fields",
    ],
    read_only: &["id", "created_at", "updated_at"],
};

/// `GET /v1/contacts?take=&cursor=`
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, V1Error> {
    let params = params::cursor(&query)?;
    let store = state.store();
    Ok(page(paging::after_cursor(
        store.contacts().iter(),
        params.after,
        params.take,
    )))
}

/// `GET /v1/contacts/{id}`
pub async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, V1Error> {
    Ok(ok(state.store().contact(&id)?))
}

/// `POST /v1/contacts` with `{"contacts": [{...}, ...]}`; answers the
/// created contacts as a list.
pub async fn create(State(state): State<AppState>, bytes: Bytes) -> Result<Json<Value>, V1Error> {
    let (inner, _) = body::unwrap_key(body::object(&bytes)?, "contacts", &[])?;
    let Value::Array(items) = inner else {
        return Err(ApiError::bad_request("`contacts` must be a list").into());
    };
    if items.is_empty() {
        return Err(ApiError::bad_request("`contacts` must not be empty").into());
    }
    let batch = items
        .into_iter()
        .map(|item| body::as_object(item, "contacts[]"))
        .collect::<Result<Vec<_>, _>>()?;
    let created = state.store().create_contacts(&batch, CONTACT_RULES)?;
    Ok(ok(created))
}

/// `PUT /v1/contacts/{id}` with the changed fields, unwrapped.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, V1Error> {
    let fields = body::object(&bytes)?;
    let mut store = state.store();
    store.contact(&id)?;
    Ok(ok(store.update_contact(&id, &fields, CONTACT_RULES)?))
}

/// `DELETE /v1/contacts/{id}`; answers the deleted id.
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, V1Error> {
    let contact = state.store().delete_contact(&id)?;
    Ok(ok(json!({"id": contact.id})))
}

/// `POST /v1/contacts/merge` with `{"contactIds": [[keep, dup, ...], ...]}`;
/// answers the kept contacts after the merge.
pub async fn merge(State(state): State<AppState>, bytes: Bytes) -> Result<Json<Value>, V1Error> {
    let (inner, _) = body::unwrap_key(body::object(&bytes)?, "contactIds", &[])?;
    let groups: Vec<Vec<String>> = serde_json::from_value(inner).map_err(|_| {
        ApiError::bad_request("`contactIds` must be a list of lists of contact ids")
    })?;
    if groups.is_empty() {
        return Err(ApiError::bad_request("`contactIds` must not be empty").into());
    }
    Ok(ok(state.store().merge_contacts(&groups)?))
}
