//! `/v1/contacts`: list, get, batch create, partial update, delete, merge.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use serde_json::{Value, json};

use super::{list_page, ok};
use crate::http::AppState;
use crate::http::body;
use crate::http::error::{ApiError, V1Error};
use crate::http::params;
use crate::shape::AnswerShape;
use crate::store::Survivor;
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

/// The link fields of a contact that lists leave out unless asked. Its
/// related contacts are among them (a guess: the hosted MCP shows them on
/// a contact read by id), so a client must read them by id too.
pub const CONTACT_LINKS: &[&str] = &[
    "contact_emails",
    "contact_phone_numbers",
    "related_contacts",
];

/// `GET /v1/contacts?take=&cursor=&include=`
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, V1Error> {
    let shape = state.shape();
    let params = params::cursor(&query, shape)?;
    let store = state.store();
    let page = paging::after_cursor(store.contacts().iter(), params.after, params.take);
    Ok(list_page(page, &state, &query, CONTACT_LINKS, shape, |c| {
        shape.contact(json!(c))
    }))
}

/// `GET /v1/contacts/count`: `data: {count}`, the number of contacts.
pub async fn count(State(state): State<AppState>) -> Json<Value> {
    ok(json!({"count": state.store().contacts().len()}))
}

/// `POST /v1/contacts/by-emails` with `{"emails": [...]}`: the contacts
/// that have one of the addresses (ignoring case and surrounding space),
/// in listing order, as `data: [contact...]`. Answers 404 when the
/// simulator is set to lack the route.
pub async fn by_emails(
    State(state): State<AppState>,
    bytes: Bytes,
) -> Result<Json<Value>, V1Error> {
    if !state.by_emails_route {
        return Err(ApiError::not_found("no route for /v1/contacts/by-emails").into());
    }
    let (inner, _) = body::unwrap_key(body::object(&bytes)?, "emails", &[])?;
    let emails: Vec<String> = serde_json::from_value(inner)
        .map_err(|_| ApiError::bad_request("`emails` must be a list of strings"))?;
    if emails.is_empty() {
        return Err(ApiError::bad_request("`emails` must not be empty").into());
    }
    let wanted: Vec<String> = emails.iter().map(|e| e.trim().to_lowercase()).collect();
    let store = state.store();
    let found: Vec<&crate::model::Contact> = store
        .contacts()
        .iter()
        .map(|(_, contact)| contact)
        .filter(|contact| {
            contact
                .contact_emails
                .iter()
                .any(|e| wanted.contains(&e.email.trim().to_lowercase()))
        })
        .collect();
    Ok(ok(found))
}

/// `GET /v1/contacts/{id}`: `data.contact` in the reference shape (a
/// guess: creates are wrapped there), the bare record in the older one.
pub async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, V1Error> {
    let shape = state.shape();
    let contact = shape.contact(json!(state.store().contact(&id)?));
    Ok(ok(shape.record("contact", contact)))
}

/// `POST /v1/contacts` with `{"contacts": [{...}, ...]}`; answers the
/// created contacts as a list (the older shape: a batch of one as the bare
/// record).
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
    let shape = state.shape();
    let created = state.store().create_contacts(&batch, CONTACT_RULES)?;
    let created = created.iter().map(|c| json!(c)).collect();
    Ok(ok(shape.created_contacts(created)))
}

/// `PUT /v1/contacts/{id}` with the changed fields, unwrapped, and
/// `related_contacts: {append, remove}` to relate or unrelate it; answers
/// the record as [`get_one`] does. Everything is checked before anything
/// changes.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, V1Error> {
    let shape = state.shape();
    let mut fields = body::object(&bytes)?;
    let mut store = state.store();
    store.contact(&id)?;
    let relations = fields
        .remove("related_contacts")
        .map(|change| store.check_relations(&id, &change))
        .transpose()?;
    store.update_contact(&id, &fields, CONTACT_RULES)?;
    if let Some(relations) = relations {
        store.relate(&id, relations);
    }
    let contact = shape.contact(json!(store.contact(&id)?));
    Ok(ok(shape.record("contact", contact)))
}

/// `DELETE /v1/contacts/{id}`: a message (reference) or the deleted id
/// (older).
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, V1Error> {
    let shape = state.shape();
    let contact = state.store().delete_contact(&id)?;
    Ok(Json(shape.deleted("Contact", &contact.id)))
}

/// `DELETE /v1/contacts?contactIds[]=a&contactIds[]=b`: deletes every
/// listed contact that exists (with the notes and reminders only about
/// it) and answers `data: {count, contact_ids}` naming the ones deleted;
/// unknown ids are passed over, as a batch has no one id to 404 on.
pub async fn delete_many(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, V1Error> {
    let ids: Vec<String> = pairs
        .into_iter()
        .filter(|(key, _)| key == "contactIds[]" || key == "contactIds")
        .map(|(_, id)| id)
        .collect();
    if ids.is_empty() {
        return Err(ApiError::bad_request("pass the contacts to delete as `contactIds[]`").into());
    }
    let mut store = state.store();
    let mut deleted: Vec<String> = Vec::new();
    for id in ids {
        if !deleted.contains(&id) && store.delete_contact(&id).is_ok() {
            deleted.push(id);
        }
    }
    Ok(ok(json!({"count": deleted.len(), "contact_ids": deleted})))
}

/// `POST /v1/contacts/merge` with `{"contactIds": [[a, b, ...], ...]}`.
/// Reference shape: the oldest contact of each group survives and the
/// answer is `{"mergedContactIds": [the others]}`. Older shape: the first
/// id survives and the answer is the kept contacts.
pub async fn merge(State(state): State<AppState>, bytes: Bytes) -> Result<Json<Value>, V1Error> {
    let shape = state.shape();
    let (inner, _) = body::unwrap_key(body::object(&bytes)?, "contactIds", &[])?;
    let groups: Vec<Vec<String>> = serde_json::from_value(inner).map_err(|_| {
        ApiError::bad_request("`contactIds` must be a list of lists of contact ids")
    })?;
    if groups.is_empty() {
        return Err(ApiError::bad_request("`contactIds` must not be empty").into());
    }
    let survivor = match shape {
        AnswerShape::Reference => Survivor::Oldest,
        AnswerShape::Older => Survivor::First,
    };
    let merged = state.store().merge_contacts(&groups, survivor)?;
    Ok(ok(match shape {
        AnswerShape::Reference => json!({
            "mergedContactIds": merged.iter().flat_map(|m| &m.removed).collect::<Vec<_>>(),
        }),
        AnswerShape::Older => json!(merged.iter().map(|m| &m.kept).collect::<Vec<_>>()),
    }))
}
