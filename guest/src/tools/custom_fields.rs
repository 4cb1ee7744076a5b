//! The `custom-fields` interface (`wit/custom-fields.wit`): listing the
//! account's custom fields with how many contacts hold a value, creating,
//! updating and deleting them, and setting their values on many contacts
//! at once; and the interface's WIT glue.
//!
//! Like tags, fields are named by the assistant as it heard them ("diet"),
//! so every tool takes a name (any case) or an id and resolves it against
//! Dex's list of definitions, read whole at each call (an account has a
//! handful). Counts and the values contacts hold come from the cached
//! account, whose contacts carry their values.
//!
//! `set-custom-field-values` checks every value against the field's type
//! before anything is sent, and answers each contact's outcome: a value
//! that does not fit is refused on its own rather than failing the values
//! that do, a value the contact holds already is not sent, and the rest go
//! to Dex in one batch request.

use std::rc::Rc;

use crate::account::{Account, AccountChange, CustomFieldChange, custom_field_counts};
use crate::dex::HttpTransport;
use crate::dex::v1::V1Writer;
use crate::model::{ContactId, CustomField, FieldType, Label, ToolError};
use crate::paging::{
    ANSWER_BUDGET_CHARS, Cursor, JsonSize, Page, continuation, field_size, list_field_size, page,
};
use crate::tools::tags::{count_caveat, require_new_name, resolve};
use crate::writes::{Written, date, require_confirmation, required_text};

/// What the custom field tools say they cannot do on the legacy API.
pub const CUSTOM_FIELDS_NEED: &str = "Custom fields (Dex's custom field endpoints)";

/// The most contacts one `set-custom-field-values` takes, so that its
/// answer, an outcome for each, stays within the answer budget.
pub const MAX_VALUES: usize = 100;

/// The longest list of options a refusal reason quotes, so that a hundred
/// refusals of a field with many options stay within the answer budget.
const MAX_LISTED_OPTIONS_CHARS: usize = 200;

/// A custom field and how many contacts hold a value for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldCount {
    /// The definition.
    pub field: CustomField,
    /// Contacts holding a value.
    pub contacts: u32,
}

impl JsonSize for FieldCount {
    fn json_size(&self) -> usize {
        field_size("id", &self.field.id)
            + field_size("name", &self.field.name)
            + list_field_size("options", &self.field.options)
            + 48
    }
}

/// The answer of `list-custom-fields`.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldList {
    /// This page.
    pub fields: Page<FieldCount>,
    /// One sentence for the assistant.
    pub summary: String,
}

/// What became of one contact's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Saved.
    Set,
    /// Removed.
    Cleared,
    /// Held already; not sent.
    Unchanged,
    /// Not sent; the reason says why.
    Refused,
}

/// One contact's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactOutcome {
    /// The contact's id, as given.
    pub contact_id: String,
    /// What became of its value.
    pub outcome: Outcome,
    /// The value saved or held, for a choice or date field.
    pub value: Option<String>,
    /// Why it was refused.
    pub reason: Option<String>,
}

/// The answer of `set-custom-field-values`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValuesSet {
    /// The field, counted after the write.
    pub field: FieldCount,
    /// One outcome for each contact given, in order.
    pub outcomes: Vec<ContactOutcome>,
}

/// Checks a field argument: not blank.
fn field_arg(raw: &str) -> Result<String, ToolError> {
    let given = raw.trim();
    if given.is_empty() {
        return Err(ToolError::validation(
            "field",
            "field is empty; pass a custom field's name or id (list_custom_fields)",
        ));
    }
    Ok(given.to_owned())
}

/// The field named or with id `given`, among `fields`.
fn resolve_field<'a>(fields: &'a [CustomField], given: &str) -> Result<&'a CustomField, ToolError> {
    let labels = labels(fields);
    let found = resolve(&labels, given, "custom field", "list_custom_fields")?;
    Ok(fields
        .iter()
        .find(|f| f.id == found.id)
        .expect("resolved among these fields"))
}

/// The fields as labels, to resolve and compare names as tags do.
fn labels(fields: &[CustomField]) -> Vec<Label> {
    fields
        .iter()
        .map(|f| Label {
            id: f.id.as_str().into(),
            name: f.name.as_str().into(),
        })
        .collect()
}

/// Checks the options of a choice field: at least one, none blank, no two
/// alike ignoring case; trimmed.
fn options_arg(raws: &[String]) -> Result<Vec<String>, ToolError> {
    if raws.is_empty() {
        return Err(ToolError::validation(
            "options",
            "options is empty; a choice field needs at least one option",
        ));
    }
    let mut options: Vec<String> = Vec::with_capacity(raws.len());
    for raw in raws {
        let option = raw.trim();
        if option.is_empty() {
            return Err(ToolError::validation(
                "options",
                "an option is empty; pass the text of each option",
            ));
        }
        if let Some(twin) = options
            .iter()
            .find(|o| o.to_lowercase() == option.to_lowercase())
        {
            return Err(ToolError::validation(
                "options",
                format!("\"{option}\" and \"{twin}\" are the same option; pass each once"),
            ));
        }
        options.push(option.to_owned());
    }
    Ok(options)
}

/// `field` with its count of contacts holding a value in `account`.
fn counted(field: CustomField, account: &Account) -> FieldCount {
    let contacts = custom_field_counts(&account.contacts)
        .get(&field.id)
        .copied()
        .unwrap_or(0) as u32;
    FieldCount { field, contacts }
}

/// One page of the account's custom fields with their counts. The cursor
/// is checked before anything is sent.
pub fn list_custom_fields<T: HttpTransport>(
    dex: &V1Writer<T>,
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    cursor: Option<&str>,
) -> Result<FieldList, ToolError> {
    const TOOL: &str = "list-custom-fields";
    let start = match cursor {
        None => Cursor::start(TOOL),
        Some(raw) => Cursor::parse(TOOL, "cursor", raw)?,
    };
    let fields = dex.custom_fields()?;
    let account = account()?;
    let counts = custom_field_counts(&account.contacts);
    let all: Vec<FieldCount> = fields
        .into_iter()
        .map(|field| FieldCount {
            contacts: counts.get(&field.id).copied().unwrap_or(0) as u32,
            field,
        })
        .collect();
    let fields = page(all, start, usize::MAX, ANSWER_BUDGET_CHARS);
    let summary = format!(
        "{} custom fields; {} on this page.{}{}",
        fields.total,
        fields.items.len(),
        continuation(&fields, "fields"),
        count_caveat(&account)
    );
    Ok(FieldList { fields, summary })
}

/// Creates the custom field `name` of type `field_type`, with `options`
/// for a choice field; a name the account has is refused.
pub fn create_custom_field<T: HttpTransport>(
    dex: &V1Writer<T>,
    name: &str,
    field_type: FieldType,
    options: Option<&[String]>,
) -> Result<Written<FieldCount>, ToolError> {
    let name = required_text("name", name)?;
    let options = match (field_type, options) {
        (FieldType::Choice, Some(raws)) => options_arg(raws)?,
        (FieldType::Choice, None) => {
            return Err(ToolError::validation(
                "options",
                "a choice field needs its options; pass them in options",
            ));
        }
        (_, Some(_)) => {
            return Err(ToolError::validation(
                "options",
                format!(
                    "only a choice field has options; leave options out for a {} field",
                    field_type.as_str()
                ),
            ));
        }
        (_, None) => Vec::new(),
    };
    require_new_name(&labels(&dex.custom_fields()?), &name, "custom field")?;
    let field = dex.create_custom_field(&name, field_type, &options)?;
    let listed = if field.options.is_empty() {
        String::new()
    } else {
        format!(" with options {}", quoted(&field.options))
    };
    Ok(Written {
        summary: format!(
            "Created the {} field \"{}\" (id {}){listed}.",
            field.field_type.as_str(),
            field.name,
            field.id
        ),
        change: AccountChange::CustomFields(CustomFieldChange::Defined),
        answer: FieldCount { field, contacts: 0 },
    })
}

/// `items` quoted and joined.
fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("\"{i}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Renames custom field `field` and/or replaces its options.
pub fn update_custom_field<T: HttpTransport>(
    dex: &V1Writer<T>,
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    field: &str,
    name: Option<&str>,
    options: Option<&[String]>,
) -> Result<Written<FieldCount>, ToolError> {
    let field = field_arg(field)?;
    let name = name.map(|n| required_text("name", n)).transpose()?;
    let options = options.map(options_arg).transpose()?;
    if name.is_none() && options.is_none() {
        return Err(ToolError::validation(
            "name",
            "nothing to change; pass a new name, new options, or both",
        ));
    }
    let fields = dex.custom_fields()?;
    let old = resolve_field(&fields, &field)?.clone();
    if options.is_some() && old.field_type != FieldType::Choice {
        return Err(ToolError::validation(
            "options",
            format!(
                "\"{}\" is a {} field, which has no options",
                old.name,
                old.field_type.as_str()
            ),
        ));
    }
    if let Some(name) = &name {
        let others: Vec<CustomField> = fields.into_iter().filter(|f| f.id != old.id).collect();
        require_new_name(&labels(&others), name, "custom field")?;
    }
    let updated = dex.update_custom_field(&old.id, name.as_deref(), options.as_deref())?;
    let account = account()?;
    let mut sentences = Vec::new();
    if updated.name != old.name {
        sentences.push(format!(
            "Renamed the custom field \"{}\" to \"{}\".",
            old.name, updated.name
        ));
    }
    if let Some(options) = &options {
        sentences.push(format!(
            "\"{}\" now has the options {}.",
            updated.name,
            quoted(options)
        ));
        let unlisted = holders_of_unlisted(&account, &old.id, options);
        if unlisted > 0 {
            sentences.push(format!(
                "{unlisted} contacts hold a value that is no longer one of its options; set_custom_field_values changes them."
            ));
        }
    }
    if sentences.is_empty() {
        sentences.push(format!("\"{}\" was already so.", updated.name));
    }
    let change = if updated.name != old.name {
        CustomFieldChange::Renamed {
            field_id: updated.id.clone(),
            name: updated.name.clone(),
        }
    } else {
        CustomFieldChange::Defined
    };
    Ok(Written {
        summary: sentences.join(" "),
        change: AccountChange::CustomFields(change),
        answer: counted(updated, &account),
    })
}

/// Contacts of `account` whose value of field `field_id` is none of
/// `options` (ignoring case).
fn holders_of_unlisted(account: &Account, field_id: &str, options: &[String]) -> usize {
    account
        .contacts
        .iter()
        .filter(|c| {
            c.custom_fields.iter().any(|v| {
                v.field_id == field_id
                    && v.values.iter().any(|value| {
                        !options
                            .iter()
                            .any(|o| o.to_lowercase() == value.to_lowercase())
                    })
            })
        })
        .count()
}

/// Deletes custom field `field` once `confirm` is true; otherwise says how
/// many contacts hold a value that would be lost.
pub fn delete_custom_field<T: HttpTransport>(
    dex: &V1Writer<T>,
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    field: &str,
    confirm: Option<bool>,
) -> Result<Written<FieldCount>, ToolError> {
    let given = field_arg(field)?;
    let fields = dex.custom_fields()?;
    let field = resolve_field(&fields, &given)?.clone();
    let account = account()?;
    let counted = counted(field, &account);
    require_confirmation(confirm, || {
        Ok(format!(
            "It deletes the custom field \"{}\" and the values {} contacts hold for it (the contacts stay).{}",
            counted.field.name,
            counted.contacts,
            count_caveat(&account)
        ))
    })?;
    dex.delete_custom_field(&counted.field.id)?;
    Ok(Written {
        summary: format!(
            "Deleted the custom field \"{}\" and the values {} contacts held.",
            counted.field.name, counted.contacts
        ),
        change: AccountChange::CustomFields(CustomFieldChange::Deleted {
            field_id: counted.field.id.clone(),
        }),
        answer: counted,
    })
}

/// One contact's value as the tool was given it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueArg {
    /// The contact's id, unchecked.
    pub contact_id: String,
    /// The value; `None` or blank clears.
    pub value: Option<String>,
}

/// `raw` made the value `field` stores: trimmed text, the option as the
/// field spells it, a checked date; `None` clears. The error is the
/// contact's refusal reason.
fn fitted(field: &CustomField, raw: Option<&str>) -> Result<Option<String>, String> {
    let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    match field.field_type {
        FieldType::Text => Ok(Some(text.to_owned())),
        FieldType::Choice => field.option(text).map(|o| Some(o.to_owned())).ok_or_else(|| {
            // Each refused contact carries its reason: a long list of
            // options is left to the answer's field, said once.
            let options = quoted(&field.options);
            let options = if options.len() <= MAX_LISTED_OPTIONS_CHARS {
                format!("its options are {options}")
            } else {
                "its options are in field.options".to_owned()
            };
            format!(
                "\"{}\" is not an option of \"{}\"; {options} (update_custom_field adds options)",
                echoed(text),
                field.name
            )
        }),
        FieldType::Date => date("values", text).map(Some).map_err(|_| {
            format!(
                "\"{}\" is not a date; pass YYYY-MM-DD, like 2025-03-14 (\"{}\" is a date field)",
                echoed(text),
                field.name
            )
        }),
    }
}

/// `text` as a refusal reason quotes it: at most 60 characters, so that a
/// hundred refused values stay within the answer budget.
fn echoed(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// What to do with one contact: refuse, keep, or send this value.
enum Plan {
    Refuse(String),
    Keep(Option<String>),
    /// Send this value; the bool says whether the contact held one.
    Send(ContactId, Option<String>, bool),
}

/// The plan for one contact's value: refused when the value does not fit,
/// the id is malformed, the contact was given before, or it is not in an
/// account read whole; kept when it holds the value already.
fn plan(
    field: &CustomField,
    account: &Account,
    complete: bool,
    seen: &[String],
    given: &ValueArg,
) -> Plan {
    let id = match ContactId::parse("values", &given.contact_id) {
        Ok(id) => id,
        Err(e) => return Plan::Refuse(e.message),
    };
    if seen.iter().any(|s| s == id.as_str()) {
        return Plan::Refuse("this contact is given twice; pass each contact once".into());
    }
    let value = match fitted(field, given.value.as_deref()) {
        Ok(value) => value,
        Err(reason) => return Plan::Refuse(reason),
    };
    let contact = account.contacts.iter().find(|c| c.id == id.as_str());
    if contact.is_none() && complete {
        return Plan::Refuse(format!(
            "the account has no contact with id {id}; find_contact finds contacts"
        ));
    }
    let held: Option<Vec<String>> = contact.and_then(|c| {
        c.custom_fields
            .iter()
            .find(|v| v.field_id == field.id)
            .map(|v| v.values.clone())
    });
    let unchanged = match (&held, &value) {
        (None, None) => true,
        (Some(held), Some(value)) => held.as_slice() == std::slice::from_ref(value),
        _ => false,
    };
    if unchanged && contact.is_some() {
        Plan::Keep(value)
    } else {
        Plan::Send(id, value, held.is_some())
    }
}

/// Sets or clears the value of custom field `field` on each contact of
/// `values`, each checked against the field's type first.
pub fn set_custom_field_values<T: HttpTransport>(
    dex: &V1Writer<T>,
    account: &dyn Fn() -> Result<Rc<Account>, ToolError>,
    field: &str,
    values: &[ValueArg],
) -> Result<Written<ValuesSet>, ToolError> {
    if values.is_empty() {
        return Err(ToolError::validation(
            "values",
            "values is empty; pass at least one contact and its value",
        ));
    }
    if values.len() > MAX_VALUES {
        return Err(ToolError::validation(
            "values",
            format!(
                "{} contacts at once; pass at most {MAX_VALUES} and call again for the rest",
                values.len()
            ),
        ));
    }
    let given = field_arg(field)?;
    let fields = dex.custom_fields()?;
    let field = resolve_field(&fields, &given)?.clone();
    let account = account()?;
    let complete = account
        .snapshot
        .incomplete_reason(&crate::tools::tags::COUNT_NEEDS)
        .is_none();
    let shown = |value: &Option<String>| match field.field_type {
        FieldType::Text => None,
        _ => value.clone(),
    };
    let mut seen: Vec<String> = Vec::with_capacity(values.len());
    let mut outcomes: Vec<ContactOutcome> = Vec::with_capacity(values.len());
    let mut sends: Vec<(ContactId, Option<String>)> = Vec::new();
    let mut holders = counted(field.clone(), &account).contacts as i64;
    for given in values {
        let (outcome, value, reason) = match plan(&field, &account, complete, &seen, given) {
            Plan::Refuse(reason) => (Outcome::Refused, None, Some(reason)),
            Plan::Keep(value) => (Outcome::Unchanged, shown(&value), None),
            Plan::Send(id, value, held) => {
                let outcome = if value.is_some() {
                    Outcome::Set
                } else {
                    Outcome::Cleared
                };
                holders += i64::from(value.is_some()) - i64::from(held);
                let value_shown = shown(&value);
                sends.push((id, value));
                (outcome, value_shown, None)
            }
        };
        if outcome != Outcome::Refused {
            seen.push(given.contact_id.trim().to_owned());
        }
        outcomes.push(ContactOutcome {
            contact_id: given.contact_id.trim().to_owned(),
            outcome,
            value,
            reason,
        });
    }
    if outcomes.iter().all(|o| o.outcome == Outcome::Refused) {
        let reasons: Vec<String> = outcomes
            .iter()
            .take(3)
            .map(|o| format!("{}: {}", o.contact_id, o.reason.as_deref().unwrap_or("")))
            .collect();
        return Err(ToolError::validation(
            "values",
            format!(
                "every value was refused, so nothing was sent. {}",
                reasons.join("; ")
            ),
        ));
    }
    let reported = if sends.is_empty() {
        None
    } else {
        dex.set_custom_field_values(&field, &sends)?
    };
    let count = |outcome: Outcome| outcomes.iter().filter(|o| o.outcome == outcome).count();
    let mut summary = format!(
        "\"{}\": {} set, {} cleared, {} unchanged, {} refused.",
        field.name,
        count(Outcome::Set),
        count(Outcome::Cleared),
        count(Outcome::Unchanged),
        count(Outcome::Refused)
    );
    if sends.is_empty() {
        summary.push_str(" Nothing needed sending.");
    }
    if let Some(reported) = reported.filter(|n| *n != sends.len() as u64) {
        summary.push_str(&format!(
            " Dex reported {reported} values applied of the {} sent.",
            sends.len()
        ));
    }
    if count(Outcome::Refused) > 0 {
        summary.push_str(" The refused ones were not sent; each outcome says why.");
    }
    let change = CustomFieldChange::ValuesSet {
        field_id: field.id.clone(),
        values: sends
            .into_iter()
            .map(|(id, value)| (id.to_string(), value))
            .collect(),
    };
    Ok(Written {
        summary,
        change: AccountChange::CustomFields(change),
        answer: ValuesSet {
            field: FieldCount {
                field,
                contacts: holders.max(0) as u32,
            },
            outcomes,
        },
    })
}

/// The `custom-fields` export: WIT values into the adapters above and
/// their answers out; compiled for the component only.
#[cfg(target_arch = "wasm32")]
mod export {
    use crate::component::Component;
    use crate::component::bindings::dex::crm::types as wit;
    use crate::component::bindings::exports::dex::crm::custom_fields as cf;
    use crate::component::convert::tool_error;
    use crate::component::state::{account, record_write};
    use crate::component::transport::WasiHttp;
    use crate::dex::v1::V1Writer;
    use crate::model::{self, FieldType};
    use crate::settings::Settings;
    use crate::writes::Written;

    use super::{FieldCount, Outcome, ValueArg};

    /// The settings and a v1 writer; on the legacy API, the validation
    /// error, before any request.
    fn dex() -> Result<(Settings, V1Writer<WasiHttp>), wit::ToolError> {
        let settings = Settings::from_env().map_err(tool_error)?;
        settings
            .generation
            .require_v1(super::CUSTOM_FIELDS_NEED)
            .map_err(tool_error)?;
        let writer = V1Writer::new(&settings.base_url, WasiHttp);
        Ok((settings, writer))
    }

    fn field_type(t: FieldType) -> cf::FieldType {
        match t {
            FieldType::Text => cf::FieldType::Text,
            FieldType::Choice => cf::FieldType::Choice,
            FieldType::Date => cf::FieldType::Date,
        }
    }

    fn field(f: FieldCount) -> cf::CustomField {
        cf::CustomField {
            id: f.field.id,
            name: f.field.name,
            field_type: field_type(f.field.field_type),
            options: f.field.options,
            contacts: f.contacts,
        }
    }

    fn written(
        written: Result<Written<FieldCount>, model::ToolError>,
    ) -> Result<cf::CustomFieldWrite, wit::ToolError> {
        let (answer, summary) = record_write(written).map_err(tool_error)?;
        Ok(cf::CustomFieldWrite {
            field: field(answer),
            summary,
        })
    }

    impl cf::Guest for Component {
        fn list_custom_fields(
            cursor: Option<String>,
        ) -> Result<cf::CustomFieldList, wit::ToolError> {
            let (settings, dex) = dex()?;
            let read = || account(&settings);
            let list =
                super::list_custom_fields(&dex, &read, cursor.as_deref()).map_err(tool_error)?;
            Ok(cf::CustomFieldList {
                fields: list.fields.items.into_iter().map(field).collect(),
                next_cursor: list.fields.next_cursor,
                summary: list.summary,
            })
        }

        fn create_custom_field(
            name: String,
            field_type: cf::FieldType,
            options: Option<Vec<String>>,
        ) -> Result<cf::CustomFieldWrite, wit::ToolError> {
            let (_, dex) = dex()?;
            let field_type = match field_type {
                cf::FieldType::Text => FieldType::Text,
                cf::FieldType::Choice => FieldType::Choice,
                cf::FieldType::Date => FieldType::Date,
            };
            written(super::create_custom_field(
                &dex,
                &name,
                field_type,
                options.as_deref(),
            ))
        }

        fn update_custom_field(
            field: String,
            name: Option<String>,
            options: Option<Vec<String>>,
        ) -> Result<cf::CustomFieldWrite, wit::ToolError> {
            let (settings, dex) = dex()?;
            let read = || account(&settings);
            written(super::update_custom_field(
                &dex,
                &read,
                &field,
                name.as_deref(),
                options.as_deref(),
            ))
        }

        fn delete_custom_field(
            field: String,
            confirm: Option<bool>,
        ) -> Result<cf::CustomFieldWrite, wit::ToolError> {
            let (settings, dex) = dex()?;
            let read = || account(&settings);
            written(super::delete_custom_field(&dex, &read, &field, confirm))
        }

        fn set_custom_field_values(
            field_: String,
            values: Vec<cf::ContactValue>,
        ) -> Result<cf::CustomFieldValues, wit::ToolError> {
            let (settings, dex) = dex()?;
            let read = || account(&settings);
            let values: Vec<ValueArg> = values
                .into_iter()
                .map(|v| ValueArg {
                    contact_id: v.contact_id,
                    value: v.value,
                })
                .collect();
            let written = super::set_custom_field_values(&dex, &read, &field_, &values);
            let (answer, summary) = record_write(written).map_err(tool_error)?;
            Ok(cf::CustomFieldValues {
                field: field(answer.field),
                outcomes: answer
                    .outcomes
                    .into_iter()
                    .map(|o| cf::ContactValueOutcome {
                        contact_id: o.contact_id,
                        outcome: match o.outcome {
                            Outcome::Set => cf::ValueOutcome::Set,
                            Outcome::Cleared => cf::ValueOutcome::Cleared,
                            Outcome::Unchanged => cf::ValueOutcome::Unchanged,
                            Outcome::Refused => cf::ValueOutcome::Refused,
                        },
                        value: o.value,
                        reason: o.reason,
                    })
                    .collect(),
                summary,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;
    use crate::dex::testing::{Scripted, no_wait};
    use crate::model::{Contact, CustomFieldValue, ErrorKind};
    use crate::snapshot::Snapshot;

    const FIELDS: &str = r#"{"error":false,"data":{"items":[
        {"id":"f1","name":"How we met","field_type":"input","categories":[]},
        {"id":"f2","name":"Diet","field_type":"autocomplete","categories":[{"category":"Vegan"},{"category":"Pescatarian"}]},
        {"id":"f3","name":"Met on","field_type":"datepicker","categories":[]}
    ],"nextCursor":null}}"#;

    const C1: &str = "11111111-1111-4111-8111-111111111111";
    const C2: &str = "22222222-2222-4222-8222-222222222222";
    const C3: &str = "33333333-3333-4333-8333-333333333333";

    fn dex(script: &Scripted) -> V1Writer<&Scripted> {
        V1Writer::new("http://dex.test", script).with_retrier(no_wait())
    }

    /// C1 eats vegan and met through work; C2 holds nothing; C3 is not in
    /// the account.
    fn account() -> Result<Rc<Account>, ToolError> {
        let value = |field_id: &str, text: &str| CustomFieldValue {
            field_id: field_id.into(),
            name: None,
            values: vec![text.into()],
        };
        let snapshot = Snapshot {
            contacts: vec![
                Arc::new(Contact {
                    id: C1.into(),
                    custom_fields: vec![value("f2", "Vegan"), value("f1", "Through work")],
                    ..Contact::default()
                }),
                Arc::new(Contact {
                    id: C2.into(),
                    ..Contact::default()
                }),
            ],
            ..Snapshot::default()
        };
        Ok(Rc::new(Account::index(snapshot, Duration::ZERO)))
    }

    fn arg(contact_id: &str, value: Option<&str>) -> ValueArg {
        ValueArg {
            contact_id: contact_id.into(),
            value: value.map(str::to_owned),
        }
    }

    fn outcomes(set: &ValuesSet) -> Vec<(Outcome, Option<&str>)> {
        set.outcomes
            .iter()
            .map(|o| (o.outcome, o.value.as_deref()))
            .collect()
    }

    #[test]
    fn fields_are_listed_with_their_options_and_the_contacts_holding_a_value() {
        let script = Scripted::new(&[(200, FIELDS)]);
        let list = list_custom_fields(&dex(&script), &account, None).unwrap();
        let read: Vec<(&str, FieldType, usize, u32)> = list
            .fields
            .items
            .iter()
            .map(|f| {
                (
                    f.field.name.as_str(),
                    f.field.field_type,
                    f.field.options.len(),
                    f.contacts,
                )
            })
            .collect();
        assert_eq!(
            read,
            [
                ("How we met", FieldType::Text, 0, 1),
                ("Diet", FieldType::Choice, 2, 1),
                ("Met on", FieldType::Date, 0, 0)
            ]
        );
        assert_eq!(script.asked(), ["GET /v1/custom-fields?take=100"]);
    }

    #[test]
    fn values_are_fitted_to_the_field_and_only_changes_are_sent() {
        let script = Scripted::new(&[
            (200, FIELDS),
            (200, r#"{"error":false,"data":{"count":2}}"#),
        ]);
        let written = set_custom_field_values(
            &dex(&script),
            &account,
            "diet",
            &[
                arg(C1, Some("vegan")),
                arg(C2, Some(" PESCATARIAN ")),
                arg(C3, Some("Keto")),
                arg(C1, Some("Pescatarian")),
                arg("not an id", Some("Vegan")),
            ],
        )
        .unwrap();
        // C3 is not in the account, but its value is refused first.
        assert_eq!(
            outcomes(&written.answer),
            [
                (Outcome::Unchanged, Some("Vegan")),
                (Outcome::Set, Some("Pescatarian")),
                (Outcome::Refused, None),
                (Outcome::Refused, None),
                (Outcome::Refused, None),
            ]
        );
        let reasons: Vec<&str> = written
            .answer
            .outcomes
            .iter()
            .filter_map(|o| o.reason.as_deref())
            .collect();
        assert!(
            reasons[0].contains("\"Vegan\", \"Pescatarian\""),
            "{}",
            reasons[0]
        );
        assert!(reasons[1].contains("twice"), "{}", reasons[1]);
        assert_eq!(
            script.body(1),
            serde_json::json!({"values": [
                {"contact_id": C2, "custom_field_id": "f2", "array_value": ["Pescatarian"]}
            ]})
        );
        assert_eq!(written.answer.field.contacts, 2, "C2 now holds one too");
        assert!(
            written
                .summary
                .contains("1 set, 0 cleared, 1 unchanged, 3 refused"),
            "{}",
            written.summary
        );
        assert!(matches!(
            written.change,
            AccountChange::CustomFields(CustomFieldChange::ValuesSet { ref values, .. }) if values.len() == 1
        ));
    }

    #[test]
    fn dates_are_checked_values_cleared_and_unknown_contacts_refused() {
        let script = Scripted::new(&[
            (200, FIELDS),
            (200, r#"{"error":false,"data":{"count":2}}"#),
        ]);
        let written = set_custom_field_values(
            &dex(&script),
            &account,
            "f3",
            &[
                arg(C1, Some("2024-02-30")),
                arg(C2, Some("2024-02-29")),
                arg(C3, Some("2024-01-01")),
            ],
        )
        .unwrap();
        assert_eq!(
            outcomes(&written.answer),
            [
                (Outcome::Refused, None),
                (Outcome::Set, Some("2024-02-29")),
                (Outcome::Refused, None)
            ]
        );
        assert!(
            written.answer.outcomes[0]
                .reason
                .as_deref()
                .unwrap()
                .contains("YYYY-MM-DD")
        );
        assert!(
            written.answer.outcomes[2]
                .reason
                .as_deref()
                .unwrap()
                .contains("find_contact")
        );
        let script = Scripted::new(&[
            (200, FIELDS),
            (200, r#"{"error":false,"data":{"count":1}}"#),
        ]);
        let written = set_custom_field_values(
            &dex(&script),
            &account,
            "How we met",
            &[arg(C1, None), arg(C2, Some(""))],
        )
        .unwrap();
        assert_eq!(
            outcomes(&written.answer),
            [(Outcome::Cleared, None), (Outcome::Unchanged, None)]
        );
        assert_eq!(
            script.body(1)["values"][0]["text_value"],
            serde_json::Value::Null
        );
        assert_eq!(written.answer.field.contacts, 0);
    }

    #[test]
    fn nothing_is_sent_when_every_value_is_refused_or_the_arguments_are_bad() {
        let script = Scripted::new(&[]);
        let err = set_custom_field_values(&dex(&script), &account, "Diet", &[]).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("values"));
        let err =
            set_custom_field_values(&dex(&script), &account, " ", &[arg(C1, None)]).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("field"));
        let many: Vec<ValueArg> = (0..=MAX_VALUES).map(|_| arg(C1, None)).collect();
        assert!(set_custom_field_values(&dex(&script), &account, "Diet", &many).is_err());
        assert!(script.seen().is_empty());
        let script = Scripted::new(&[(200, FIELDS)]);
        let err =
            set_custom_field_values(&dex(&script), &account, "Diet", &[arg(C2, Some("Keto"))])
                .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Validation);
        assert!(err.message.contains("nothing was sent"), "{}", err.message);
        assert!(
            err.message.contains("\"Vegan\", \"Pescatarian\""),
            "{}",
            err.message
        );
        assert_eq!(script.asked(), ["GET /v1/custom-fields?take=100"]);
    }

    #[test]
    fn a_hundred_refusals_of_a_field_with_many_options_stay_within_the_budget() {
        let field = CustomField {
            id: "f9".into(),
            name: "City".into(),
            field_type: FieldType::Choice,
            options: (0..300)
                .map(|i| format!("A city of some length {i}"))
                .collect(),
        };
        let reason = fitted(&field, Some(&"Atlantis ".repeat(500))).unwrap_err();
        assert!(reason.contains("field.options"), "{reason}");
        assert!(reason.len() * MAX_VALUES < ANSWER_BUDGET_CHARS, "{reason}");
        let short = CustomField {
            options: vec!["Rome".into()],
            ..field
        };
        assert!(
            fitted(&short, Some("Atlantis"))
                .unwrap_err()
                .contains("\"Rome\"")
        );
    }

    #[test]
    fn a_create_checks_its_options_against_its_type_before_any_request() {
        let script = Scripted::new(&[]);
        for (field_type, options, field) in [
            (FieldType::Choice, None, "options"),
            (
                FieldType::Choice,
                Some(vec!["A".to_owned(), "a ".to_owned()]),
                "options",
            ),
            (FieldType::Date, Some(vec!["A".to_owned()]), "options"),
        ] {
            let err = create_custom_field(&dex(&script), "Sport", field_type, options.as_deref())
                .unwrap_err();
            assert_eq!(err.field.as_deref(), Some(field), "{}", err.message);
        }
        assert!(script.seen().is_empty());
        let script = Scripted::new(&[(200, FIELDS)]);
        let err = create_custom_field(&dex(&script), "diet", FieldType::Text, None).unwrap_err();
        assert!(err.message.contains("id f2"), "{}", err.message);
        let script = Scripted::new(&[
            (200, FIELDS),
            (
                200,
                r#"{"error":false,"data":{"custom_field":{"id":"f4","name":"Sport","field_type":"autocomplete","categories":[{"category":"Rowing"}]}}}"#,
            ),
        ]);
        let written = create_custom_field(
            &dex(&script),
            " Sport ",
            FieldType::Choice,
            Some(&["Rowing".into()]),
        )
        .unwrap();
        assert_eq!(written.answer.field.options, ["Rowing"]);
        assert!(
            written.summary.contains("choice field \"Sport\""),
            "{}",
            written.summary
        );
    }

    #[test]
    fn a_field_is_deleted_only_once_confirmed_and_the_question_counts_the_values_lost() {
        let script = Scripted::new(&[(200, FIELDS), (200, FIELDS), (200, r#"{"error":false}"#)]);
        let err = delete_custom_field(&dex(&script), &account, "diet", None).unwrap_err();
        assert_eq!(err.kind, ErrorKind::ConfirmationRequired);
        assert!(
            err.message.contains("the values 1 contacts hold"),
            "{}",
            err.message
        );
        assert!(err.confirmation.is_some(), "a question for the user");
        let written = delete_custom_field(&dex(&script), &account, "f2", Some(true)).unwrap();
        assert_eq!(written.answer.field.name, "Diet");
        assert_eq!(script.asked()[2], "DELETE /v1/custom-fields/f2");
        assert_eq!(
            written.change,
            AccountChange::CustomFields(CustomFieldChange::Deleted {
                field_id: "f2".into()
            })
        );
    }

    #[test]
    fn an_update_renames_or_replaces_options_and_says_who_holds_a_dropped_one() {
        let script = Scripted::new(&[]);
        let err = update_custom_field(&dex(&script), &account, "Diet", None, None).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Validation);
        assert!(script.seen().is_empty());
        let script = Scripted::new(&[(200, FIELDS)]);
        let err = update_custom_field(&dex(&script), &account, "Met on", None, Some(&["A".into()]))
            .unwrap_err();
        assert_eq!(err.field.as_deref(), Some("options"));
        let script = Scripted::new(&[(200, FIELDS)]);
        let err =
            update_custom_field(&dex(&script), &account, "Diet", Some("MET ON"), None).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("name"));
        let script = Scripted::new(&[
            (200, FIELDS),
            (
                200,
                r#"{"error":false,"data":{"id":"f2","name":"Food","type":"autocomplete","categories":["Pescatarian","Keto"]}}"#,
            ),
        ]);
        let written = update_custom_field(
            &dex(&script),
            &account,
            "diet",
            Some("Food"),
            Some(&["Pescatarian".into(), "Keto".into()]),
        )
        .unwrap();
        assert_eq!(
            script.body(1),
            serde_json::json!({"custom_field": {"name": "Food", "categories": [{"category": "Pescatarian"}, {"category": "Keto"}]}})
        );
        assert!(
            written
                .summary
                .contains("1 contacts hold a value that is no longer"),
            "{}",
            written.summary
        );
        assert_eq!(
            written.change,
            AccountChange::CustomFields(CustomFieldChange::Renamed {
                field_id: "f2".into(),
                name: "Food".into()
            })
        );
    }
}
