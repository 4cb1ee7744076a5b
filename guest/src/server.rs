//! What the component tells its host about itself as a server
//! (`wit/server.wit`): the assistant's instructions, the settings it reads
//! ([`crate::settings::DECLARED`]) and where its requests go.

use crate::settings::Settings;

/// The server's name in a client's list of servers.
pub const TITLE: &str = "Dex CRM";

/// The server's picture.
pub const ICON: &str = crate::icons::CRM;

/// Told to the assistant once per session, before any tool is called.
pub const INSTRUCTIONS: &str = "Tools over the user's Dex personal CRM. Start with find_contact \
     to turn a name, email or phone into a contact id; the other tools take that id.";

/// The base URL every request is built on, from the settings `lookup`
/// gives; the error names the setting that is wrong.
pub fn upstream_base_url(lookup: impl Fn(&str) -> Option<String>) -> Result<String, String> {
    Settings::from_lookup(lookup)
        .map(|settings| settings.base_url)
        .map_err(|err| err.message)
}

/// The `server` export: [`INSTRUCTIONS`], the declared settings and
/// [`upstream_base_url`] as WIT values; compiled for the component only.
#[cfg(target_arch = "wasm32")]
mod export {
    use crate::component::Component;
    use crate::component::bindings::exports::dex::crm::server;
    use crate::settings::{ChoiceDoc, DECLARED, SettingDoc};

    fn choice(doc: &ChoiceDoc) -> server::SettingChoice {
        server::SettingChoice {
            value: doc.value.into(),
            description: doc.description.into(),
            deprecated: doc.deprecated.map(Into::into),
        }
    }

    fn setting(doc: &SettingDoc) -> server::Setting {
        server::Setting {
            name: doc.name.into(),
            env: doc.env.into(),
            description: doc.description.into(),
            default: doc.default.map(Into::into),
            choices: doc.choices.iter().map(choice).collect(),
            secret: doc.secret,
            deprecated: doc.deprecated.map(Into::into),
        }
    }

    impl server::Guest for Component {
        fn describe() -> server::Description {
            server::Description {
                title: crate::server::TITLE.into(),
                icons: vec![crate::icons::wit(crate::server::ICON)],
                instructions: crate::server::INSTRUCTIONS.into(),
                settings: DECLARED.iter().map(setting).collect(),
            }
        }

        fn upstream() -> Result<Option<server::UpstreamApi>, String> {
            crate::server::upstream_base_url(|name| std::env::var(name).ok())
                .map(|base_url| Some(server::UpstreamApi { base_url }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::{API_GENERATION_ENV, BASE_URL_ENV, CACHE_TTL_ENV, DEFAULT_V1_BASE_URL};

    #[test]
    fn upstream_is_the_configured_or_default_base_url() {
        assert_eq!(upstream_base_url(|_| None).unwrap(), DEFAULT_V1_BASE_URL);
        let configured =
            upstream_base_url(|n| (n == BASE_URL_ENV).then(|| "http://127.0.0.1:4100/".to_owned()));
        assert_eq!(configured.unwrap(), "http://127.0.0.1:4100");
    }

    #[test]
    fn a_bad_setting_fails_the_upstream_naming_it() {
        let err = upstream_base_url(|n| (n == CACHE_TTL_ENV).then(|| "soon".to_owned()));
        assert!(err.unwrap_err().contains(CACHE_TTL_ENV));
        let err = upstream_base_url(|n| (n == API_GENERATION_ENV).then(|| "v9".to_owned()));
        assert!(err.unwrap_err().contains(API_GENERATION_ENV));
    }
}
