//! The component's settings: declared by the component (`server.describe`,
//! see `wit/server.wit`), offered to the operator as flags and environment
//! variables, and handed to the guest as its environment (plain settings)
//! or kept by the host (secrets).
//!
//! The host knows no setting by name. Each one declared becomes a flag
//! `--<name>` with the declared environment variable, help text and
//! choices ([`Declared::args`]); the values the operator gives are kept by
//! variable name ([`SettingValues`]) so that a component swapped in later
//! is configured from the same values ([`Declared::configure`]).

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Result, bail};
use clap::builder::{PossibleValue, PossibleValuesParser};
use clap::parser::ValueSource;
use clap::{Arg, ArgMatches, Command};

use crate::component::Setting;
use crate::secret::{Secret, Secrets};

/// Where the component's settings are listed in `--help`.
const HELP_HEADING: &str = "Component settings (declared by the component)";

/// The settings a component declared, checked: valid names and variables,
/// none twice, none taken by a flag or variable of the host.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Declared(Vec<Setting>);

impl Declared {
    /// Checks `settings` against each other and against the host's own
    /// `command` line.
    pub fn new(settings: Vec<Setting>, command: &Command) -> Result<Self> {
        let mut names = BTreeSet::new();
        let mut variables = BTreeSet::new();
        for arg in command.get_arguments() {
            names.insert(arg.get_id().to_string());
            names.extend(arg.get_long().map(str::to_owned));
            if let Some(env) = arg.get_env() {
                variables.insert(env.to_string_lossy().into_owned());
            }
        }
        names.extend(["help", "version"].map(str::to_owned));
        for setting in &settings {
            let valid_name = setting.name.starts_with(|c: char| c.is_ascii_lowercase())
                && setting
                    .name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !valid_name {
                bail!(
                    "the component declares a setting named `{}`; names are lower-case letters, \
                     digits and `-`, starting with a letter",
                    setting.name
                );
            }
            let valid_env = !setting.env.is_empty()
                && !setting.env.starts_with(|c: char| c.is_ascii_digit())
                && setting
                    .env
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
            if !valid_env {
                bail!(
                    "the component's setting `{}` is read from `{}`; variables are upper-case \
                     letters, digits and `_`",
                    setting.name,
                    setting.env
                );
            }
            if !names.insert(setting.name.clone()) {
                bail!(
                    "the component declares a setting `{}`, which is already a flag of this host \
                     or another of its settings",
                    setting.name
                );
            }
            if !variables.insert(setting.env.clone()) {
                bail!(
                    "the component's setting `{}` is read from `{}`, which this host or another \
                     setting already reads",
                    setting.name,
                    setting.env
                );
            }
            if setting.secret && setting.default.is_some() {
                bail!(
                    "the component's secret setting `{}` has a default; a secret cannot",
                    setting.name
                );
            }
        }
        Ok(Self(settings))
    }

    /// The settings, in the component's order.
    pub fn settings(&self) -> &[Setting] {
        &self.0
    }

    /// One flag per setting, with its variable, description, default and
    /// choices, for the host's command line.
    pub fn args(&self) -> Vec<Arg> {
        self.0.iter().map(arg).collect()
    }

    /// The values the operator gave on the command line or in the
    /// environment (not the defaults), by variable.
    pub fn given(&self, matches: &ArgMatches) -> SettingValues {
        let mut values = SettingValues::default();
        for setting in &self.0 {
            let given = matches!(
                matches.value_source(&setting.name),
                Some(ValueSource::CommandLine | ValueSource::EnvVariable)
            );
            if let (true, Some(value)) = (given, matches.get_one::<String>(&setting.name)) {
                values.set(&setting.env, value);
            }
        }
        values
    }

    /// The secret settings that have no value in `lookup`.
    pub fn missing_secrets(&self, lookup: &dyn Fn(&str) -> Option<String>) -> Vec<&Setting> {
        self.0
            .iter()
            .filter(|s| s.secret && lookup(&s.env).and_then(|v| Secret::new(&v)).is_none())
            .collect()
    }

    /// The guest's environment and the host's secrets from the values in
    /// `lookup` (by variable), with a warning for each deprecated setting
    /// given or deprecated value chosen.
    pub fn configure(&self, lookup: &dyn Fn(&str) -> Option<String>) -> Result<Configured> {
        let mut configured = Configured::default();
        for setting in &self.0 {
            let given = lookup(&setting.env).filter(|v| !v.trim().is_empty());
            if setting.secret {
                let Some(secret) = given.as_deref().and_then(Secret::new) else {
                    bail!(
                        "the secret setting `{}` has no value: give --{} or {}",
                        setting.name,
                        setting.name,
                        setting.env
                    );
                };
                configured.secrets.insert(&setting.name, secret)?;
                continue;
            }
            if let (Some(why), true) = (&setting.deprecated, given.is_some()) {
                configured.warnings.push(format!(
                    "the setting `{}` is deprecated: {why}",
                    setting.name
                ));
            }
            let Some(value) = given.or_else(|| setting.default.clone()) else {
                continue;
            };
            if !setting.choices.is_empty() {
                let Some(choice) = setting.choices.iter().find(|c| c.value == value) else {
                    let allowed: Vec<&str> =
                        setting.choices.iter().map(|c| c.value.as_str()).collect();
                    bail!(
                        "the setting `{}` ({}) is `{value}`; it must be one of: {}",
                        setting.name,
                        setting.env,
                        allowed.join(", ")
                    );
                };
                if let Some(why) = &choice.deprecated {
                    configured.warnings.push(format!(
                        "`{}` {} is deprecated: {why}",
                        setting.name, choice.value
                    ));
                }
            }
            configured.env.push((setting.env.clone(), value));
        }
        Ok(configured)
    }
}

/// What the settings give one component.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Configured {
    /// The guest's environment: every plain setting with a value.
    pub env: Vec<(String, String)>,
    /// The secrets, for the outbound policy.
    pub secrets: Secrets,
    /// For the operator, logged at start.
    pub warnings: Vec<String>,
}

/// Setting values by environment variable: what the operator gave on the
/// command line (or in the environment), and what the demo mode sets.
/// Values not here come from the process environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettingValues(BTreeMap<String, String>);

impl SettingValues {
    /// Sets the value of the setting read from `env`.
    pub fn set(&mut self, env: &str, value: &str) {
        self.0.insert(env.to_owned(), value.to_owned());
    }

    /// The value of the setting read from `env`: given here, else in the
    /// process environment.
    pub fn lookup(&self, env: &str) -> Option<String> {
        self.0.get(env).cloned().or_else(|| std::env::var(env).ok())
    }
}

impl std::fmt::Display for SettingValues {
    /// The variables given, without their values (a value may be a
    /// secret).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.0.keys().map(String::as_str).collect();
        f.write_str(&names.join(", "))
    }
}

/// `` `name` (--name or VARIABLE) `` for each setting, for messages that
/// tell the operator what to give.
pub fn named(settings: &[&Setting]) -> String {
    settings
        .iter()
        .map(|s| format!("`{}` (--{} or {})", s.name, s.name, s.env))
        .collect::<Vec<_>>()
        .join(", ")
}

fn arg(setting: &Setting) -> Arg {
    let mut help = setting.description.clone();
    if let Some(why) = &setting.deprecated {
        help.push_str(&format!(" Deprecated: {why}"));
    }
    let mut arg = Arg::new(setting.name.clone())
        .long(setting.name.clone())
        .env(setting.env.clone())
        .help(help)
        .help_heading(HELP_HEADING)
        // As the host's own serving flags: `dex-mcp doctor --api-key ...`.
        .global(true)
        .hide_env_values(setting.secret);
    if let Some(default) = &setting.default {
        arg = arg.default_value(default.clone());
    }
    arg = arg.value_name(if setting.secret { "SECRET" } else { "VALUE" });
    if !setting.choices.is_empty() {
        let choices = setting.choices.iter().map(|choice| {
            let mut help = choice.description.clone();
            if let Some(why) = &choice.deprecated {
                help.push_str(&format!(". Deprecated: {why}"));
            }
            PossibleValue::new(choice.value.clone()).help(help)
        });
        arg = arg.value_parser(PossibleValuesParser::new(choices));
    }
    arg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::component::SettingChoice;

    fn setting(name: &str, env: &str) -> Setting {
        Setting {
            name: name.into(),
            env: env.into(),
            description: format!("What {name} does."),
            default: None,
            choices: Vec::new(),
            secret: false,
            deprecated: None,
        }
    }

    fn generation() -> Setting {
        Setting {
            default: Some("new".into()),
            choices: vec![
                SettingChoice {
                    value: "new".into(),
                    description: "the current API".into(),
                    deprecated: None,
                },
                SettingChoice {
                    value: "old".into(),
                    description: "the older API".into(),
                    deprecated: Some("its host stops answering soon; use new".into()),
                },
            ],
            ..setting("flavour", "APP_FLAVOUR")
        }
    }

    fn key() -> Setting {
        Setting {
            secret: true,
            ..setting("token", "APP_TOKEN")
        }
    }

    fn host() -> Command {
        Command::new("host").arg(Arg::new("listen").long("listen").env("HOST_LISTEN"))
    }

    fn declared() -> Declared {
        Declared::new(
            vec![key(), generation(), setting("base", "APP_BASE")],
            &host(),
        )
        .unwrap()
    }

    fn command() -> Command {
        host().args(declared().args())
    }

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn each_setting_is_a_flag_with_its_variable_help_and_choices() {
        let help = command().render_long_help().to_string();
        assert!(help.contains("--flavour <VALUE>"), "{help}");
        assert!(help.contains("[env: APP_FLAVOUR=]"), "{help}");
        assert!(help.contains("[default: new]"), "{help}");
        assert!(help.contains("What flavour does."), "{help}");
        assert!(
            help.contains("old: the older API. Deprecated: its host stops answering soon; use new"),
            "{help}"
        );
        assert!(help.contains("--token <SECRET>"), "{help}");
        assert!(help.contains(HELP_HEADING), "{help}");
    }

    #[test]
    fn the_secret_value_is_never_shown_in_help() {
        let mut command = command();
        // SAFETY: no other test reads or writes this variable.
        unsafe { std::env::set_var("APP_TOKEN", "hunter2-never-shown") };
        let help = command.render_long_help().to_string();
        unsafe { std::env::remove_var("APP_TOKEN") };
        assert!(!help.contains("hunter2-never-shown"), "{help}");
    }

    #[test]
    fn only_given_values_are_kept_and_flags_win_over_nothing() {
        let matches = command()
            .try_get_matches_from(["host", "--flavour", "old", "--token", "t0k"])
            .unwrap();
        let given = declared().given(&matches);
        assert_eq!(given.0.get("APP_FLAVOUR").map(String::as_str), Some("old"));
        assert_eq!(given.0.get("APP_TOKEN").map(String::as_str), Some("t0k"));
        // The default is not "given": a swapped-in component gets its own.
        let matches = command().try_get_matches_from(["host"]).unwrap();
        assert!(declared().given(&matches).0.is_empty());
    }

    #[test]
    fn a_value_outside_the_choices_is_refused_on_the_command_line() {
        let err = command()
            .try_get_matches_from(["host", "--flavour", "newest"])
            .unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::InvalidValue);
    }

    #[test]
    fn plain_settings_go_to_the_environment_and_secrets_to_the_host() {
        let configured = declared()
            .configure(&lookup(&[
                ("APP_TOKEN", " t0k\n"),
                ("APP_BASE", "http://x"),
            ]))
            .unwrap();
        assert_eq!(
            configured.env,
            [
                ("APP_FLAVOUR".to_owned(), "new".to_owned()),
                ("APP_BASE".to_owned(), "http://x".to_owned()),
            ]
        );
        assert_eq!(configured.secrets.names().collect::<Vec<_>>(), ["token"]);
        assert!(configured.warnings.is_empty());
        assert!(!format!("{configured:?}").contains("t0k"));
    }

    #[test]
    fn a_deprecated_choice_or_setting_is_warned_about() {
        let deprecated = Setting {
            deprecated: Some("use base".into()),
            ..setting("old-base", "APP_OLD_BASE")
        };
        let declared = Declared::new(vec![generation(), deprecated], &host()).unwrap();
        let configured = declared
            .configure(&lookup(&[("APP_FLAVOUR", "old")]))
            .unwrap();
        assert_eq!(
            configured.warnings,
            ["`flavour` old is deprecated: its host stops answering soon; use new"]
        );
        let configured = declared
            .configure(&lookup(&[("APP_OLD_BASE", "http://x")]))
            .unwrap();
        assert_eq!(
            configured.warnings,
            ["the setting `old-base` is deprecated: use base"]
        );
    }

    #[test]
    fn a_value_outside_the_choices_is_refused_when_configuring() {
        let err = declared()
            .configure(&lookup(&[("APP_TOKEN", "t"), ("APP_FLAVOUR", "newest")]))
            .unwrap_err();
        assert!(
            err.to_string().contains("must be one of: new, old"),
            "{err}"
        );
    }

    #[test]
    fn a_missing_secret_is_named_with_its_flag_and_variable() {
        let declared = declared();
        let missing = declared.missing_secrets(&lookup(&[("APP_TOKEN", "  ")]));
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].name, "token");
        let err = declared.configure(&lookup(&[])).unwrap_err().to_string();
        assert!(
            err.contains("--token") && err.contains("APP_TOKEN"),
            "{err}"
        );
    }

    #[test]
    fn bad_declarations_are_refused() {
        let refused = |settings: Vec<Setting>| Declared::new(settings, &host()).is_err();
        assert!(refused(vec![setting("Bad", "APP_X")]));
        assert!(refused(vec![setting("1st", "APP_X")]));
        assert!(refused(vec![setting("x", "app_x")]));
        assert!(refused(vec![setting("x", "")]));
        assert!(refused(vec![setting("listen", "APP_X")]), "a host flag");
        assert!(refused(vec![setting("help", "APP_X")]));
        assert!(
            refused(vec![setting("x", "HOST_LISTEN")]),
            "a host variable"
        );
        assert!(refused(vec![setting("x", "APP_X"), setting("x", "APP_Y")]));
        assert!(refused(vec![setting("x", "APP_X"), setting("y", "APP_X")]));
        assert!(refused(vec![Setting {
            default: Some("k".into()),
            ..key()
        }]));
        assert!(!refused(vec![setting("x-2", "APP_X_2")]));
    }

    #[test]
    fn settings_are_named_with_their_flag_and_variable() {
        assert_eq!(
            named(&[&key(), &generation()]),
            "`token` (--token or APP_TOKEN), `flavour` (--flavour or APP_FLAVOUR)"
        );
    }

    #[test]
    fn values_list_their_variables_only() {
        let mut values = SettingValues::default();
        values.set("APP_TOKEN", "t0k");
        assert_eq!(values.to_string(), "APP_TOKEN");
        assert_eq!(values.lookup("APP_TOKEN").as_deref(), Some("t0k"));
    }
}
