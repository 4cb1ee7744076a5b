//! The WebAssembly face of the guest: WIT bindings and `wasi:http`.
//!
//! Only type conversions live here; every decision is made in the native
//! modules so that it is tested without a runtime.

use crate::dex::{self, HttpRequest, HttpResponse, HttpTransport, Method, TransportError};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use crate::account::{Account, AccountCache, AccountDirectory, CacheOutcome};
use crate::model;
use crate::settings::{ApiGeneration, Settings};
use crate::tools;

mod bindings {
    wit_bindgen::generate!({
        world: "dex-tools",
        path: "../wit",
    });
}

use bindings::dex::crm::types as wit;
use bindings::exports::dex::crm::search as wit_search;
use bindings::exports::dex::crm::{catalogue, contacts};

/// Sends requests through `wasi:http/outgoing-handler`, via waki.
struct WasiHttp;

impl HttpTransport for WasiHttp {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let client = waki::Client::new();
        let builder = match request.method {
            Method::Get => client.get(&request.url),
            Method::Post => client.post(&request.url),
            Method::Put => client.put(&request.url),
            Method::Delete => client.delete(&request.url),
        };
        let mut builder = builder.headers(request.headers.clone());
        // Only outside our host (stock wasmtime, jco) is the key handed to the
        // guest; our host never sets it and adds the header itself.
        if let Ok(key) = std::env::var("DEX_API_KEY") {
            builder = builder.header("authorization", format!("Bearer {key}"));
        }
        if let Some(body) = request.body {
            builder = builder
                .header("content-type", "application/json")
                .body(body);
        }
        let failed = |e: anyhow::Error| {
            let reason = format!("{e:#}");
            if reason.contains("HttpRequestDenied") || reason.contains("denied") {
                TransportError::Denied {
                    url: request.url.clone(),
                    reason,
                }
            } else {
                TransportError::Failed {
                    url: request.url.clone(),
                    reason,
                }
            }
        };
        let response = builder.send().map_err(failed)?;
        let status = response.status_code();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = response.body().map_err(failed)?;
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}

thread_local! {
    /// The account kept between calls. The host reuses this instance for
    /// later calls (a warm instance), so what is kept here survives the
    /// call that read it; see `crate::account`.
    static ACCOUNT: RefCell<AccountCache> = RefCell::new(AccountCache::new(Duration::ZERO));
}

/// The v1 API, or a clear error for a generation this build cannot use yet.
fn v1_only(settings: &Settings, tool: &str) -> Result<(), model::ToolError> {
    match settings.generation {
        ApiGeneration::V1 => Ok(()),
        ApiGeneration::Legacy => Err(model::ToolError::new(
            model::ErrorKind::Validation,
            format!("DEX_API_GENERATION=legacy is not supported by {tool} yet; use v1"),
        )),
    }
}

/// The fresh cached account, if there is one, with the cache's time to
/// live set from `settings`.
fn cached_account(settings: &Settings) -> Option<Rc<Account>> {
    ACCOUNT.with_borrow_mut(|cache| {
        cache.set_ttl(settings.cache_ttl);
        cache.fresh(Instant::now())
    })
}

/// The cached account, or the whole account read from Dex (all pages of
/// contacts, notes and reminders) and indexed, kept for the next calls.
fn account(settings: &Settings) -> Result<Rc<Account>, model::ToolError> {
    ACCOUNT.with_borrow_mut(|cache| {
        cache.set_ttl(settings.cache_ttl);
        let (account, outcome) = cache.get_or_read(Instant::now(), || {
            let started = Instant::now();
            let lists = dex::v1::V1Lists::new(&settings.base_url, WasiHttp);
            let snapshot = crate::snapshot::Snapshot::fetch(&lists);
            Ok::<_, model::ToolError>(Account::index(snapshot, started.elapsed()))
        })?;
        if outcome == CacheOutcome::Miss {
            let stats = cache.stats();
            let snapshot = &account.snapshot;
            // The host logs the guest's stderr: one line per account read.
            eprintln!(
                "dex-guest: account read in {} ms: {} contacts, {} notes, {} reminders{}; cache hits {}, misses {}",
                account.build_time.as_millis(),
                snapshot.contacts.len(),
                snapshot.notes.len(),
                snapshot.reminders.len(),
                if snapshot.is_partial() { " (partial, not kept)" } else { "" },
                stats.hits,
                stats.misses,
            );
        }
        Ok(account)
    })
}

struct Component;

impl catalogue::Guest for Component {
    fn describe() -> Vec<catalogue::ToolDoc> {
        tools::catalogue::catalogue()
            .into_iter()
            .map(|doc| catalogue::ToolDoc {
                name: doc.name.into(),
                title: doc.title.into(),
                description: doc.description.into(),
                hints: catalogue::ToolHints {
                    read_only: doc.hints.read_only,
                    destructive: doc.hints.destructive,
                    idempotent: doc.hints.idempotent,
                    open_world: doc.hints.open_world,
                },
                parameters: doc
                    .parameters
                    .iter()
                    .map(|(name, description)| catalogue::ParameterDoc {
                        name: (*name).into(),
                        description: (*description).into(),
                    })
                    .collect(),
            })
            .collect()
    }
}

impl contacts::Guest for Component {
    fn find_contact(
        name: Option<String>,
        email: Option<String>,
        phone: Option<String>,
        social_url: Option<String>,
        company: Option<String>,
        limit: Option<u32>,
        min_confidence: Option<u8>,
    ) -> Result<contacts::ContactMatches, wit::ToolError> {
        let args = tools::FindContactArgs {
            name,
            email,
            phone,
            social_url,
            company,
            limit,
            min_confidence,
        };
        let settings = Settings::from_env().map_err(tool_error)?;
        v1_only(&settings, "find_contact").map_err(tool_error)?;
        let read = || account(&settings);
        let directory = AccountDirectory::new(
            cached_account(&settings),
            &read,
            dex::v1::V1Client::new(&settings.base_url, WasiHttp),
        );
        let found = tools::find_contact(&directory, &args).map_err(tool_error)?;
        Ok(contacts::ContactMatches {
            matches: found
                .matches
                .into_iter()
                .map(|m| contacts::ContactMatch {
                    contact: contact(m.contact),
                    confidence: m.confidence,
                    matched_fields: m.matched_fields,
                    reasons: m.reasons,
                })
                .collect(),
            summary: found.summary,
        })
    }
}

impl wit_search::Guest for Component {
    fn search_contacts_full_text(
        query: String,
        max_results: Option<u32>,
        min_confidence: Option<u8>,
        include_types: Option<Vec<wit_search::RecordKind>>,
    ) -> Result<wit_search::SearchResults, wit::ToolError> {
        use crate::search::RecordKind as K;
        use wit_search::RecordKind as W;
        let kind_in = |k: W| match k {
            W::Contacts => K::Contact,
            W::Notes => K::Note,
            W::Reminders => K::Reminder,
        };
        let kind_out = |k: K| match k {
            K::Contact => W::Contacts,
            K::Note => W::Notes,
            K::Reminder => W::Reminders,
        };
        let args = tools::FullTextArgs {
            query,
            max_results,
            min_confidence,
            include_types: include_types.map(|kinds| kinds.into_iter().map(kind_in).collect()),
        };
        // Refuse bad arguments before reading the whole account.
        args.validate().map_err(tool_error)?;
        let settings = Settings::from_env().map_err(tool_error)?;
        v1_only(&settings, "search_contacts_full_text").map_err(tool_error)?;
        let account = account(&settings).map_err(tool_error)?;
        let found =
            tools::search_contacts_full_text(&account.index, &account.snapshot.failures, &args)
                .map_err(tool_error)?;
        Ok(wit_search::SearchResults {
            hits: found
                .hits
                .into_iter()
                .map(|hit| wit_search::SearchHit {
                    kind: kind_out(hit.record.kind()),
                    id: hit.record.id().to_owned(),
                    // The WIT boundary needs owned values: the one place a
                    // shared contact is copied.
                    contacts: hit
                        .contacts
                        .iter()
                        .map(|c| contact((**c).clone()))
                        .collect(),
                    matched_field: matched_field(hit.field),
                    confidence: hit.confidence,
                    snippet: hit.snippet,
                    date: match &hit.record {
                        crate::search::Record::Contact(_) => None,
                        crate::search::Record::Note(n) => n.event_time.clone(),
                        crate::search::Record::Reminder(r) => {
                            r.due_date.clone().or_else(|| r.due_time.clone())
                        }
                    },
                })
                .collect(),
            incomplete: found
                .incomplete
                .into_iter()
                .map(|gap| wit_search::IncompleteList {
                    kind: match gap.list {
                        dex::ListKind::Contacts => W::Contacts,
                        dex::ListKind::Notes => W::Notes,
                        dex::ListKind::Reminders => W::Reminders,
                    },
                    pages_read: u32::try_from(gap.pages_read).unwrap_or(u32::MAX),
                    error: tool_error(gap.error),
                })
                .collect(),
            summary: found.summary,
        })
    }
}

fn matched_field(field: crate::search::Field) -> wit_search::MatchedField {
    use crate::search::Field as F;
    use wit_search::MatchedField as M;
    match field {
        F::Name => M::Name,
        F::Email => M::Email,
        F::Company => M::Company,
        F::JobTitle => M::JobTitle,
        F::Description => M::Description,
        F::NoteText => M::Note,
        F::ReminderText => M::Reminder,
    }
}

fn tool_error(e: model::ToolError) -> wit::ToolError {
    use model::ErrorKind as K;
    wit::ToolError {
        kind: match e.kind {
            K::NotFound => wit::ErrorKind::NotFound,
            K::Unauthorized => wit::ErrorKind::Unauthorized,
            K::Forbidden => wit::ErrorKind::Forbidden,
            K::RateLimited => wit::ErrorKind::RateLimited,
            K::Validation => wit::ErrorKind::Validation,
            K::Upstream => wit::ErrorKind::Upstream,
            K::ConfirmationRequired => wit::ErrorKind::ConfirmationRequired,
        },
        code: e.kind.code(),
        message: e.message,
        field: e.field,
        retry_after_seconds: e.retry_after_seconds,
    }
}

fn contact(c: model::Contact) -> wit::Contact {
    use model::SocialNetwork as N;
    wit::Contact {
        id: c.id,
        full_name: c.full_name,
        first_name: c.first_name,
        last_name: c.last_name,
        job_title: c.job_title,
        company: c.company,
        description: c.description,
        emails: c
            .emails
            .into_iter()
            .map(|e| wit::EmailEntry {
                email: e.email,
                label: e.label,
            })
            .collect(),
        phones: c
            .phones
            .into_iter()
            .map(|p| wit::PhoneEntry {
                number: p.number,
                label: p.label,
            })
            .collect(),
        social_links: c
            .social_links
            .into_iter()
            .map(|l| wit::SocialLink {
                network: match l.network {
                    N::Linkedin => wit::SocialNetwork::Linkedin,
                    N::Twitter => wit::SocialNetwork::Twitter,
                    N::Facebook => wit::SocialNetwork::Facebook,
                    N::Instagram => wit::SocialNetwork::Instagram,
                    N::Telegram => wit::SocialNetwork::Telegram,
                    N::Tiktok => wit::SocialNetwork::Tiktok,
                    N::Youtube => wit::SocialNetwork::Youtube,
                },
                url: l.url,
            })
            .collect(),
        website: c.website,
        birthday: c.birthday,
        starred: c.starred,
        archived: c.archived,
        last_seen_at: c.last_seen_at,
        next_reminder_at: c.next_reminder_at,
        created_at: c.created_at,
        updated_at: c.updated_at,
    }
}

bindings::export!(Component with_types_in bindings);
