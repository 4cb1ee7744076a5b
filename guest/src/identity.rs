//! What every request to Dex carries besides its own headers: who is
//! asking (`User-Agent`) and the API key, or rather the placeholder our
//! host replaces with it (see `wit/server.wit`).

use crate::settings::{API_KEY, ApiGeneration};

/// `dex-mcp/<version>`: Dex can tell this client's requests apart, and an
/// operator can find them in a proxy's log.
pub const USER_AGENT: &str = concat!("dex-mcp/", env!("CARGO_PKG_VERSION"));

/// Where the key in a request comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key<'a> {
    /// The component does not hold it: the request names it with a
    /// placeholder, which the host fills in for the Dex origin only.
    Placeholder,
    /// A plain WASI runtime gave the key in the environment.
    Given(&'a str),
}

impl Key<'_> {
    fn text(&self) -> String {
        match self {
            Key::Placeholder => format!("${{secret:{API_KEY}}}"),
            Key::Given(key) => (*key).to_owned(),
        }
    }
}

/// The headers every request to `generation` carries: the user agent,
/// and the key in the header that generation reads it from.
pub fn request_headers(generation: ApiGeneration, key: Key<'_>) -> [(&'static str, String); 2] {
    let credential = match generation {
        ApiGeneration::V1 => ("authorization", format!("Bearer {}", key.text())),
        ApiGeneration::Legacy => ("x-hasura-dex-api-key", key.text()),
    };
    [("user-agent", USER_AGENT.to_owned()), credential]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_agent_names_the_crate_version() {
        assert_eq!(USER_AGENT, format!("dex-mcp/{}", env!("CARGO_PKG_VERSION")));
        assert!(USER_AGENT.len() > "dex-mcp/".len());
    }

    #[test]
    fn v1_sends_a_bearer_placeholder_the_host_fills_in() {
        let [agent, credential] = request_headers(ApiGeneration::V1, Key::Placeholder);
        assert_eq!(agent, ("user-agent", USER_AGENT.to_owned()));
        assert_eq!(
            credential,
            ("authorization", "Bearer ${secret:api-key}".to_owned())
        );
    }

    #[test]
    fn legacy_sends_the_key_in_its_own_header() {
        let [_, credential] = request_headers(ApiGeneration::Legacy, Key::Placeholder);
        assert_eq!(
            credential,
            ("x-hasura-dex-api-key", "${secret:api-key}".to_owned())
        );
        let [_, given] = request_headers(ApiGeneration::Legacy, Key::Given("dex_k"));
        assert_eq!(given.1, "dex_k");
    }
}
