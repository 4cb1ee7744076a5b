//! `prompts/*`, `resources/*` and `completion/complete`, answered from the
//! component's `prompts` and `resources` exports
//! ([`crate::component::offerings`]).
//!
//! The lists of prompts and templates were read when the component was
//! loaded; getting a prompt, reading a resource, listing resources and
//! completing run in a pooled instance like a tool call, under the same
//! limits, stopped when the client cancels, and a guest that traps fails
//! only its own request.

use std::future::Future;
use std::sync::atomic::Ordering;

use base64::Engine as _;
use rmcp::model::{
    ArgumentInfo, CompleteRequestParams, CompleteResult, CompletionInfo, ContentBlock, ErrorCode,
    GetPromptRequestParams, GetPromptResult, ListPromptsResult, ListResourceTemplatesResult,
    ListResourcesResult, Prompt, PromptArgument, PromptMessage, ReadResourceRequestParams,
    ReadResourceResult, Reference, Resource, ResourceContents, ResourceTemplate, Role,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData as McpError, RoleServer};
use serde_json::{Value, json};
use tracing::Instrument;

use super::{ComponentServer, NEXT_REQUEST_ID, REQUEST_CANCELLED};
use crate::component::offerings::{
    self, Completion, MessageContent, Pairs, RequestError, ResourceBody,
};
use crate::component::{CallError, GuestFailure, Icon};

/// What kind of thing a request asked for, for error codes: a resource
/// not found has its own code in revisions before 2026-07-28.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asked<'a> {
    /// A prompt (or a completion of its argument).
    Prompt,
    /// The resource at this URI.
    Resource(&'a str),
    /// A template's completion, or a page of resources.
    Other,
}

impl ComponentServer {
    /// `prompts/list`: the prompts the component listed when loaded.
    pub(super) fn list_component_prompts(&self) -> Result<ListPromptsResult, McpError> {
        let component = self.slot.current();
        let prompts = component.prompts().ok_or_else(no_prompts)?;
        Ok(ListPromptsResult::with_all_items(
            prompts.iter().map(mcp_prompt).collect(),
        ))
    }

    /// `resources/templates/list`.
    pub(super) fn list_component_templates(&self) -> Result<ListResourceTemplatesResult, McpError> {
        let component = self.slot.current();
        let templates = component.resource_templates().ok_or_else(no_resources)?;
        Ok(ListResourceTemplatesResult::with_all_items(
            templates.iter().map(mcp_template).collect(),
        ))
    }

    /// `prompts/get`.
    pub(super) async fn get_component_prompt(
        &self,
        request: GetPromptRequestParams,
        context: &RequestContext<RoleServer>,
    ) -> Result<GetPromptResult, McpError> {
        let arguments = string_pairs(request.arguments)?;
        let component = self.slot.current();
        let label = format!("prompts/get {}", request.name);
        let answer = self
            .offering_call(
                &label,
                context,
                component.get_prompt(request.name.clone(), arguments),
            )
            .await
            .ok_or_else(no_prompts)??;
        let rendered = answer.map_err(|err| request_error(err, Asked::Prompt, context))?;
        let mut messages = Vec::with_capacity(rendered.messages.len());
        for message in rendered.messages {
            let role = match message.role {
                offerings::Role::User => Role::User,
                offerings::Role::Assistant => Role::Assistant,
            };
            messages.push(PromptMessage::new(role, content_block(message.content)));
        }
        let mut result = GetPromptResult::new(messages);
        result.description = rendered.description;
        Ok(result)
    }

    /// `resources/list`: the component's fixed resources, page by page.
    pub(super) async fn list_component_resources(
        &self,
        cursor: Option<String>,
        context: &RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, McpError> {
        let component = self.slot.current();
        let page = self
            .offering_call("resources/list", context, component.list_resources(cursor))
            .await
            .ok_or_else(no_resources)??
            .map_err(|err| request_error(err, Asked::Other, context))?;
        let mut result = ListResourcesResult::with_all_items(
            page.resources
                .into_iter()
                .map(|r| {
                    let mut resource = Resource::new(r.uri, r.name)
                        .with_title(r.title)
                        .with_description(r.description);
                    resource.mime_type = r.mime_type;
                    resource.icons = wit_icons(r.icons);
                    resource
                })
                .collect(),
        );
        result.next_cursor = page.next_cursor;
        Ok(result)
    }

    /// `resources/read`.
    pub(super) async fn read_component_resource(
        &self,
        request: ReadResourceRequestParams,
        context: &RequestContext<RoleServer>,
    ) -> Result<ReadResourceResult, McpError> {
        let component = self.slot.current();
        let contents = self
            .offering_call(
                "resources/read",
                context,
                component.read_resource(request.uri.clone()),
            )
            .await
            .ok_or_else(no_resources)??
            .map_err(|err| request_error(err, Asked::Resource(&request.uri), context))?;
        if contents.is_empty() {
            // The spec forbids an empty answer for a resource that is not
            // there; a component answering one has not found it.
            return Err(request_error(
                RequestError::NotFound(format!("no contents at `{}`", request.uri)),
                Asked::Resource(&request.uri),
                context,
            ));
        }
        Ok(ReadResourceResult::new(
            contents.into_iter().map(resource_contents).collect(),
        ))
    }

    /// `completion/complete`, for a prompt's argument or a template's
    /// variable.
    pub(super) async fn complete_for_component(
        &self,
        request: CompleteRequestParams,
        context: &RequestContext<RoleServer>,
    ) -> Result<CompleteResult, McpError> {
        let ArgumentInfo { name, value, .. } = request.argument;
        let given: Pairs = request
            .context
            .and_then(|c| c.arguments)
            .map(|arguments| arguments.into_iter().collect())
            .unwrap_or_default();
        let component = self.slot.current();
        let answer = match request.r#ref {
            Reference::Prompt(prompt) => {
                let label = format!("completion/complete {}", prompt.name);
                self.offering_call(
                    &label,
                    context,
                    component.complete_prompt(prompt.name, name, value, given),
                )
                .await
                .ok_or_else(no_prompts)??
                .map_err(|err| request_error(err, Asked::Prompt, context))?
            }
            Reference::Resource(template) => {
                let label = format!("completion/complete {}", template.uri);
                self.offering_call(
                    &label,
                    context,
                    component.complete_template(template.uri, name, value, given),
                )
                .await
                .ok_or_else(no_resources)??
                .map_err(|err| request_error(err, Asked::Other, context))?
            }
            _ => {
                return Err(McpError::invalid_params(
                    "completion/complete takes a ref/prompt or a ref/resource",
                    None,
                ));
            }
        };
        Ok(CompleteResult::new(completion_info(answer)))
    }

    /// Runs `call` (one of the component's offering calls) as a request
    /// of its own: logged with an id, stopped when the client cancels, a
    /// guest failure turned into an internal error. `None` passes through
    /// (the component has no such export).
    async fn offering_call<R>(
        &self,
        label: &str,
        context: &RequestContext<RoleServer>,
        call: impl Future<Output = Option<Result<R, CallError>>>,
    ) -> Option<Result<R, McpError>> {
        let request_id = NEXT_REQUEST_ID.fetch_add(1, Ordering::Relaxed);
        let span = tracing::info_span!("offering_call", request_id, request = %label);
        let started = std::time::Instant::now();
        // Dropping the call on cancellation throws its instance away, as
        // for a tool call.
        let outcome = tokio::select! {
            biased;
            () = context.ct.cancelled() => None,
            outcome = call.instrument(span.clone()) => Some(outcome),
        };
        let _in_call = span.enter();
        let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        let Some(outcome) = outcome else {
            tracing::info!(outcome = "cancelled", elapsed_ms, "request");
            return Some(Err(McpError::new(
                ErrorCode(REQUEST_CANCELLED),
                format!("{label} was cancelled by the client"),
                None,
            )));
        };
        Some(match outcome? {
            Ok(answer) => {
                tracing::info!(outcome = "ok", elapsed_ms, "request");
                Ok(answer)
            }
            Err(err) => {
                let err = match err {
                    CallError::Guest(err) => err,
                    CallError::Arguments(err) => anyhow::Error::new(err),
                };
                let failure = GuestFailure::of(&err);
                tracing::error!(outcome = "guest_failure", failure = failure.label(), elapsed_ms, error = %format!("{err:#}"), "request");
                self.metrics.guest_trap(failure.label());
                Err(McpError::internal_error(
                    format!(
                        "{label} was stopped because {}; other requests are unaffected (request {request_id})",
                        failure.explanation()
                    ),
                    Some(json!({ "reason": failure.label() })),
                ))
            }
        })
    }
}

fn no_prompts() -> McpError {
    McpError::method_not_found::<rmcp::model::ListPromptsRequestMethod>()
}

fn no_resources() -> McpError {
    McpError::method_not_found::<rmcp::model::ListResourcesRequestMethod>()
}

/// MCP's prompt arguments are strings; anything else is refused.
fn string_pairs(arguments: Option<rmcp::model::JsonObject>) -> Result<Pairs, McpError> {
    let mut pairs = Vec::new();
    for (name, value) in arguments.unwrap_or_default() {
        match value {
            Value::String(text) => pairs.push((name, text)),
            // A client that sends null for an argument it leaves out.
            Value::Null => {}
            other => {
                return Err(McpError::invalid_params(
                    format!(
                        "the prompt argument `{name}` is {other}: prompt arguments are strings"
                    ),
                    Some(json!({ "field": name })),
                ));
            }
        }
    }
    Ok(pairs)
}

/// The JSON-RPC error for a component's `request-error`.
///
/// A resource that is not there is `-32602` with its URI in `data` from
/// 2026-07-28 on (SEP-2164), and `-32002` ("Resource not found") before.
fn request_error(
    err: RequestError,
    asked: Asked,
    context: &RequestContext<RoleServer>,
) -> McpError {
    match (err, asked) {
        (RequestError::NotFound(message), Asked::Resource(uri)) => {
            let data = Some(json!({ "uri": uri }));
            // Revisions with `initialize` are those before 2026-07-28.
            let current = context
                .protocol_version()
                .is_none_or(|v| !v.has_initialize());
            if current {
                McpError::invalid_params(message, data)
            } else {
                McpError::resource_not_found(message, data)
            }
        }
        (RequestError::NotFound(message) | RequestError::InvalidArgument(message), _) => {
            McpError::invalid_params(message, None)
        }
        (RequestError::Unavailable(message), _) => McpError::internal_error(message, None),
    }
}

fn mcp_prompt(prompt: &offerings::Prompt) -> Prompt {
    let arguments = prompt
        .arguments
        .iter()
        .map(|a| {
            PromptArgument::new(a.name.clone())
                .with_title(a.title.clone())
                .with_description(a.description.clone())
                .with_required(a.required)
        })
        .collect::<Vec<_>>();
    let mut mcp = Prompt::new(
        prompt.name.clone(),
        Some(prompt.description.clone()),
        (!arguments.is_empty()).then_some(arguments),
    )
    .with_title(prompt.title.clone());
    mcp.icons = wit_icons(prompt.icons.clone());
    mcp
}

fn mcp_template(template: &offerings::ResourceTemplate) -> ResourceTemplate {
    let mut mcp = ResourceTemplate::new(template.uri_template.clone(), template.name.clone())
        .with_title(template.title.clone())
        .with_description(template.description.clone());
    mcp.mime_type = template.mime_type.clone();
    mcp.icons = wit_icons(template.icons.clone());
    mcp
}

/// A prompt's, resource's or template's WIT icons as MCP's `icons`, by
/// the conversion the tools' and the server's take.
fn wit_icons(icons: Vec<offerings::WitIcon>) -> Option<Vec<rmcp::model::Icon>> {
    let icons: Vec<Icon> = icons.into_iter().map(Icon::from).collect();
    super::icons::to_mcp(&icons)
}

fn resource_contents(contents: offerings::ResourceContents) -> ResourceContents {
    match contents.body {
        ResourceBody::Text(text) => {
            ResourceContents::text(text, contents.uri).with_mime_type(contents.mime_type)
        }
        ResourceBody::Blob(bytes) => ResourceContents::blob(
            base64::engine::general_purpose::STANDARD.encode(bytes),
            contents.uri,
        )
        .with_mime_type(contents.mime_type),
    }
}

fn content_block(content: MessageContent) -> ContentBlock {
    match content {
        MessageContent::Text(text) => ContentBlock::text(text),
        MessageContent::Image(image) => ContentBlock::image(
            base64::engine::general_purpose::STANDARD.encode(image.data),
            image.mime_type,
        ),
        MessageContent::Embedded(contents) => ContentBlock::resource(resource_contents(contents)),
    }
}

/// MCP allows 100 values at most; more from a component are cut, and
/// counted as more.
fn completion_info(found: Completion) -> CompletionInfo {
    let mut values = found.values;
    let cut = values.len() > CompletionInfo::MAX_VALUES;
    values.truncate(CompletionInfo::MAX_VALUES);
    let mut info = CompletionInfo::default();
    info.values = values;
    info.total = found.total;
    info.has_more = Some(found.has_more || cut);
    info
}
