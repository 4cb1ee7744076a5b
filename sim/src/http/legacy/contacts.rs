//! Legacy `/contacts` and `/search/contacts`.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use serde_json::{Map, Value, json};

use super::shapes;
use crate::http::AppState;
use crate::http::body;
use crate::http::error::{ApiError, LegacyError};
use crate::http::params;
use crate::model::{ContactEmail, ContactPhoneNumber};
use crate::store::paging;
use crate::store::patch::FieldRules;

/// Scalar fields legacy writes; the same names as v1, minus company and
/// the newer fields.
const SCALARS: &[&str] = &[
    "first_name",
    "last_name",
    "job_title",
    "description",
    "education",
    "image_url",
    "linkedin",
    "facebook",
    "twitter",
    "instagram",
    "telegram",
    "last_seen_at",
    "next_reminder_at",
];

/// What a legacy `changes` object may hold.
const CHANGE_RULES: FieldRules = FieldRules {
    writable: SCALARS,
    read_only: &[
        "id",
        "created_at",
        "updated_at",
        "birthday_current_year",
        "emails",
        "phones",
    ],
};

/// What a legacy insert may hold once `contact_emails` and
/// `contact_phone_numbers` are turned into v1 lists.
const INSERT_RULES: FieldRules = FieldRules {
    writable: &[
        "first_name",
        "last_name",
        "job_title",
        "description",
        "education",
        "image_url",
        "linkedin",
        "facebook",
        "twitter",
        "instagram",
        "telegram",
        "last_seen_at",
        "next_reminder_at",
        "contact_emails",
        "contact_phone_numbers",
    ],
    read_only: &["id", "created_at", "updated_at"],
};

/// `GET /contacts?limit=&offset=` -> `{"contacts": [...]}`
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, LegacyError> {
    let (limit, offset) = params::limit_offset(&query)?;
    let store = state.store();
    let page = paging::by_offset(store.contacts().iter().map(|(_, c)| c), offset, limit);
    let items: Vec<Value> = page
        .items
        .iter()
        .map(|c| shapes::contact(c, state.today))
        .collect();
    Ok(Json(json!({"contacts": items})))
}

/// `GET /contacts/{id}` -> `{"contacts": [one]}`
pub async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, LegacyError> {
    let store = state.store();
    let contact = store.contact(&id)?;
    Ok(Json(
        json!({"contacts": [shapes::contact(contact, state.today)]}),
    ))
}

/// `GET /search/contacts?email=` -> `{"search_contacts_by_exact_email": [...]}`;
/// the address must match whole, ignoring case.
pub async fn search_by_email(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, LegacyError> {
    let email = query
        .get("email")
        .filter(|e| !e.is_empty())
        .ok_or_else(|| ApiError::bad_request("`email` is required"))?
        .to_lowercase();
    let store = state.store();
    let found: Vec<Value> = store
        .contacts()
        .iter()
        .filter(|(_, c)| {
            c.contact_emails
                .iter()
                .any(|e| e.email.to_lowercase() == email)
        })
        .map(|(_, c)| shapes::contact(c, state.today))
        .collect();
    Ok(Json(json!({"search_contacts_by_exact_email": found})))
}

/// `POST /contacts` with `{"contact": {..., contact_emails: {"data": ...},
/// contact_phone_numbers: {"data": ...}}}` -> `insert_contacts_one`.
pub async fn create(
    State(state): State<AppState>,
    bytes: Bytes,
) -> Result<Json<Value>, LegacyError> {
    let (inner, _) = body::unwrap_key(body::object(&bytes)?, "contact", &[])?;
    let mut fields = body::as_object(inner, "contact")?;
    if let Some(emails) = fields.remove("contact_emails") {
        let rows = shapes::nested_rows(emails, "contact_emails")?;
        fields.insert("contact_emails".into(), Value::Array(email_rows(rows)?));
    }
    if let Some(phones) = fields.remove("contact_phone_numbers") {
        let rows = shapes::nested_rows(phones, "contact_phone_numbers")?;
        fields.insert(
            "contact_phone_numbers".into(),
            Value::Array(phone_rows(rows)?),
        );
    }
    let mut store = state.store();
    let created = store.create_contacts(&[fields], INSERT_RULES)?;
    Ok(Json(
        json!({"insert_contacts_one": shapes::contact(&created[0], state.today)}),
    ))
}

fn email_rows(rows: Vec<Map<String, Value>>) -> Result<Vec<Value>, ApiError> {
    rows.into_iter()
        .map(|row| {
            shapes::only_keys(&row, &["email", "contact_id", "label"], "contact_emails")?;
            let email = row
                .get("email")
                .and_then(Value::as_str)
                .ok_or_else(|| ApiError::bad_request("`contact_emails` rows need an email"))?;
            Ok(json!(ContactEmail {
                email: email.to_owned(),
                label: row.get("label").and_then(Value::as_str).map(str::to_owned),
                ranking: 0,
            }))
        })
        .collect()
}

fn phone_rows(rows: Vec<Map<String, Value>>) -> Result<Vec<Value>, ApiError> {
    rows.into_iter()
        .map(|row| {
            shapes::only_keys(
                &row,
                &["phone_number", "label", "contact_id"],
                "contact_phone_numbers",
            )?;
            let number = row
                .get("phone_number")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    ApiError::bad_request("`contact_phone_numbers` rows need a phone_number")
                })?;
            Ok(json!(ContactPhoneNumber {
                phone_number: number.to_owned(),
                label: row.get("label").and_then(Value::as_str).map(str::to_owned),
                ..ContactPhoneNumber::default()
            }))
        })
        .collect()
}

/// `PUT /contacts/{id}` with `{"contactId", "changes", "update_contact_emails",
/// "contact_emails", "update_contact_phone_numbers", "contact_phone_numbers"}`
/// -> `update_contacts_by_pk`. A list replaces the old one only when its
/// flag is true.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Json<Value>, LegacyError> {
    let (changes, rest) = body::unwrap_key(
        body::object(&bytes)?,
        "changes",
        &[
            "contactId",
            "update_contact_emails",
            "contact_emails",
            "update_contact_phone_numbers",
            "contact_phone_numbers",
        ],
    )?;
    let changes = body::as_object(changes, "changes")?;
    if let Some(other) = rest.get("contactId").and_then(Value::as_str)
        && other != id
    {
        return Err(ApiError::bad_request("`contactId` does not match the path").into());
    }
    let flag = |name: &str| rest.get(name).and_then(Value::as_bool).unwrap_or(false);
    let list = |name: &str| -> Result<Vec<Map<String, Value>>, ApiError> {
        match rest.get(name) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(rows)) => rows
                .iter()
                .map(|r| body::as_object(r.clone(), name))
                .collect(),
            Some(_) => Err(ApiError::bad_request(format!("`{name}` must be a list"))),
        }
    };
    let emails = if flag("update_contact_emails") {
        Some(email_rows(list("contact_emails")?)?)
    } else {
        None
    };
    let phones = if flag("update_contact_phone_numbers") {
        Some(phone_rows(list("contact_phone_numbers")?)?)
    } else {
        None
    };
    let mut store = state.store();
    store.contact(&id)?;
    crate::store::patch::check_fields(&changes, CHANGE_RULES)?;
    let mut updated = store.update_contact(&id, &changes, CHANGE_RULES)?;
    if let Some(emails) = emails {
        let emails = serde_json::from_value(Value::Array(emails))
            .map_err(|e| ApiError::bad_request(e.to_string()))?;
        updated = store.set_contact_emails(&id, emails)?;
    }
    if let Some(phones) = phones {
        let phones = serde_json::from_value(Value::Array(phones))
            .map_err(|e| ApiError::bad_request(e.to_string()))?;
        updated = store.set_contact_phones(&id, phones)?;
    }
    Ok(Json(
        json!({"update_contacts_by_pk": shapes::contact(&updated, state.today)}),
    ))
}

/// `DELETE /contacts/{id}` -> `delete_contacts_by_pk`.
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, LegacyError> {
    let contact = state.store().delete_contact(&id)?;
    Ok(Json(json!({"delete_contacts_by_pk": {"id": contact.id}})))
}
