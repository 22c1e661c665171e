//! Settings: a TOML file layered under `MNBOT_` environment variables.
//!
//! Operators keep the non-secret settings in a file and pass the token through
//! the environment (`MNBOT_DISCORD__TOKEN`, or plain `DISCORD_TOKEN`), so the
//! token never lands in a file or a log. Every setting has a default that
//! works for local use; a wrong value is reported with its name.

use serde::Deserialize;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// All settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub knowledge: KnowledgeSettings,
    pub matching: MatchingSettings,
    pub discord: DiscordSettings,
    pub logging: LoggingSettings,
    pub recording: RecordingSettings,
    pub metrics: MetricsSettings,
}

/// Where the knowledge lives.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KnowledgeSettings {
    /// The knowledge directory.
    pub dir: PathBuf,
    /// Reload automatically when a file under `dir` changes (Discord bot only).
    pub watch: bool,
    /// Share knowledge edits (`/kb teach`, `/kb decline`, `/kb reload`,
    /// `teach`) with every bot process through PostgreSQL (see `sync`). Off:
    /// each process serves its own directory only.
    pub share: bool,
    /// The PostgreSQL database edits are shared through; unset, `recording.url`.
    /// Prefer the environment (`MNBOT_KNOWLEDGE__SHARE_URL`) when it holds a
    /// password: it is never logged.
    pub share_url: Option<Secret>,
    /// Seconds between two looks at the shared edits besides the
    /// notifications (a fallback for a notification missed while reconnecting).
    pub share_poll_seconds: u64,
    /// Commit each teach and decline when `dir` is a git work tree (the
    /// message names the action and the entry, never who asked).
    pub commit_edits: bool,
}

impl Default for KnowledgeSettings {
    fn default() -> Self {
        KnowledgeSettings {
            dir: PathBuf::from("knowledge"),
            watch: true,
            share: false,
            share_url: None,
            share_poll_seconds: 5,
            commit_edits: false,
        }
    }
}

impl Settings {
    /// The database knowledge edits are shared through, when
    /// `knowledge.share` is on: `knowledge.share_url`, else `recording.url`.
    pub fn share_url(&self) -> Option<&str> {
        if !self.knowledge.share {
            return None;
        }
        self.knowledge
            .share_url
            .as_ref()
            .map(|u| u.expose().trim())
            .filter(|u| !u.is_empty())
            .or_else(|| crate::gaps::postgres_url(&self.recording))
    }
}

/// How sure the matcher must be before it answers.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MatchingSettings {
    /// Confidence at or above which the best entry is answered outright.
    pub answer_threshold: f32,
    /// Confidence at or above which close candidates are offered as suggestions.
    pub clarify_threshold: f32,
    /// The best entry must lead the runner-up by this much to be answered
    /// outright; otherwise both are offered.
    pub min_margin: f32,
    /// At most this many suggestions.
    pub max_suggestions: usize,
    /// Messages are cut to this many characters before matching.
    pub max_input_chars: usize,
}

impl Default for MatchingSettings {
    fn default() -> Self {
        MatchingSettings {
            answer_threshold: 0.38,
            clarify_threshold: 0.3,
            min_margin: 0.01,
            max_suggestions: 3,
            max_input_chars: 1000,
        }
    }
}

/// The private record of unanswered questions, feedback and outcome counts
/// (see `gaps`): what members asked that the knowledge could not answer,
/// without anything that identifies them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RecordingSettings {
    /// Record at all; off, nothing is written and no file is created.
    pub enabled: bool,
    /// The SQLite file (its directory is created when needed). Unused when
    /// `url` is set.
    pub path: PathBuf,
    /// A shared PostgreSQL database instead of the file
    /// (`postgres://user:password@host:port/database`), for several processes
    /// recording into one place. Prefer the environment
    /// (`MNBOT_RECORDING__URL`) when it holds a password: it is never logged.
    pub url: Option<Secret>,
    /// Days kept, today included; older rows are deleted at start-up and daily.
    pub retention_days: u32,
}

impl Default for RecordingSettings {
    fn default() -> Self {
        RecordingSettings {
            enabled: true,
            path: PathBuf::from("data/gaps.db"),
            url: None,
            retention_days: 30,
        }
    }
}

/// The operators' endpoint (`/metrics` and `/healthz`; see `metrics`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetricsSettings {
    /// Serve the endpoint at all; off by default, so nothing listens unless
    /// an operator asks for it.
    pub enabled: bool,
    /// The IP address and port to listen on. Loopback by default: the
    /// figures are for a scraper on the same host.
    pub listen: String,
}

impl Default for MetricsSettings {
    fn default() -> Self {
        MetricsSettings {
            enabled: false,
            listen: "127.0.0.1:9898".to_string(),
        }
    }
}

impl MetricsSettings {
    /// [`MetricsSettings::listen`] as an address (an IP address and a port,
    /// e.g. `127.0.0.1:9898` or `[::1]:9898`; not a host name).
    pub fn listen_addr(&self) -> Result<SocketAddr, SettingsError> {
        self.listen
            .trim()
            .parse()
            .map_err(|_| SettingsError::OutOfRange {
                name: "metrics.listen",
                why: format!(
                    "`{}` is not an IP address and port such as 127.0.0.1:9898",
                    self.listen
                ),
            })
    }
}

/// A secret that never shows in `Debug` output or logs.
#[derive(Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    /// The secret itself, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_empty() {
            "<unset>"
        } else {
            "<redacted>"
        })
    }
}

/// Discord connection and behaviour.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DiscordSettings {
    /// The bot token; prefer the environment (`DISCORD_TOKEN`).
    pub token: Option<Secret>,
    /// Another base URL for REST and gateway (a local fake Discord or a REST proxy).
    pub api_base: Option<String>,
    /// Register slash commands in this guild only (instant, for testing)
    /// instead of globally.
    pub guild_id: Option<u64>,
    /// Channels where the bot answers without being mentioned (needs the
    /// privileged message-content intent).
    pub auto_answer_channels: Vec<u64>,
    /// Roles allowed to use `/kb` besides members with Manage Server.
    pub moderator_roles: Vec<u64>,
    /// Seconds a member waits between two questions.
    pub user_cooldown_seconds: u64,
    /// Replies per minute at most in one channel.
    pub channel_replies_per_minute: u32,
    /// A fixed number of shards instead of Discord's recommendation.
    pub shard_count: Option<u32>,
    /// With `shard_count`: the shards this process runs, `[first, last]` inclusive.
    pub shard_range: Option<[u32; 2]>,
}

impl Default for DiscordSettings {
    fn default() -> Self {
        DiscordSettings {
            token: None,
            api_base: None,
            guild_id: None,
            auto_answer_channels: Vec::new(),
            moderator_roles: Vec::new(),
            user_cooldown_seconds: 5,
            channel_replies_per_minute: 30,
            shard_count: None,
            shard_range: None,
        }
    }
}

/// Log output.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LoggingSettings {
    /// `human` (default) or `json`.
    pub format: LogFormat,
}

/// Log line format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Human,
    Json,
}

/// Settings could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The file or an environment variable has a wrong or unknown value.
    #[error("invalid settings: {0}")]
    Invalid(#[from] config::ConfigError),
    /// A value is out of its range.
    #[error("invalid setting `{name}`: {why}")]
    OutOfRange { name: &'static str, why: String },
}

/// The file used when `--config` is not given (if it exists).
pub const DEFAULT_FILE: &str = "config.toml";

impl Settings {
    /// Loads settings from `file` (required when given; `config.toml` if present
    /// otherwise), then `MNBOT_*` environment variables (`MNBOT_DISCORD__TOKEN`
    /// sets `discord.token`), then `DISCORD_TOKEN`.
    pub fn load(file: Option<&Path>) -> Result<Settings, SettingsError> {
        Self::load_from(file, |k| std::env::var(k).ok(), std::env::vars().collect())
    }

    /// [`Settings::load`] with the environment given, for tests.
    pub fn load_from(
        file: Option<&Path>,
        var: impl Fn(&str) -> Option<String>,
        env: Vec<(String, String)>,
    ) -> Result<Settings, SettingsError> {
        let source = match file {
            Some(path) => config::File::from(path).required(true),
            None => config::File::from(Path::new(DEFAULT_FILE)).required(false),
        };
        let env: config::Map<String, String> = env
            .into_iter()
            .filter(|(k, _)| k.starts_with("MNBOT_"))
            .collect();
        let built = config::Config::builder()
            .add_source(source.format(config::FileFormat::Toml))
            .add_source(
                config::Environment::with_prefix("MNBOT")
                    .prefix_separator("_")
                    .separator("__")
                    .try_parsing(true)
                    .list_separator(",")
                    .with_list_parse_key("discord.auto_answer_channels")
                    .with_list_parse_key("discord.moderator_roles")
                    .with_list_parse_key("discord.shard_range")
                    .source(Some(env)),
            )
            .build()?;
        let mut settings: Settings = built.try_deserialize()?;
        if settings
            .discord
            .token
            .as_ref()
            .is_none_or(|t| t.0.is_empty())
        {
            if let Some(t) = var("DISCORD_TOKEN").filter(|t| !t.trim().is_empty()) {
                settings.discord.token = Some(Secret(t.trim().to_string()));
            }
        }
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), SettingsError> {
        let m = &self.matching;
        let unit = |name: &'static str, v: f32| {
            if (0.0..=1.0).contains(&v) {
                Ok(())
            } else {
                Err(SettingsError::OutOfRange {
                    name,
                    why: format!("{v} is not between 0 and 1"),
                })
            }
        };
        unit("matching.answer_threshold", m.answer_threshold)?;
        unit("matching.clarify_threshold", m.clarify_threshold)?;
        unit("matching.min_margin", m.min_margin)?;
        if m.clarify_threshold > m.answer_threshold {
            return Err(SettingsError::OutOfRange {
                name: "matching.clarify_threshold",
                why: "must not be above matching.answer_threshold".into(),
            });
        }
        if m.max_input_chars == 0 {
            return Err(SettingsError::OutOfRange {
                name: "matching.max_input_chars",
                why: "must be at least 1".into(),
            });
        }
        let d = &self.discord;
        if let Some([first, last]) = d.shard_range {
            let total = d.shard_count.ok_or(SettingsError::OutOfRange {
                name: "discord.shard_range",
                why: "needs discord.shard_count".into(),
            })?;
            if first > last || last >= total {
                return Err(SettingsError::OutOfRange {
                    name: "discord.shard_range",
                    why: format!("[{first}, {last}] is not within 0..{total}"),
                });
            }
        }
        if d.shard_count == Some(0) {
            return Err(SettingsError::OutOfRange {
                name: "discord.shard_count",
                why: "must be at least 1".into(),
            });
        }
        if let Some(base) = &d.api_base {
            if !(base.starts_with("http://") || base.starts_with("https://")) {
                return Err(SettingsError::OutOfRange {
                    name: "discord.api_base",
                    why: format!("`{base}` is not an http:// or https:// URL"),
                });
            }
        }
        if self.recording.retention_days == 0 {
            return Err(SettingsError::OutOfRange {
                name: "recording.retention_days",
                why: "must be at least 1".into(),
            });
        }
        if let Some(url) = crate::gaps::postgres_url(&self.recording) {
            crate::gaps::postgres::check_url(url).map_err(|e| SettingsError::OutOfRange {
                name: "recording.url",
                why: e.to_string(),
            })?;
        }
        if self.knowledge.share {
            let url = self.share_url().ok_or(SettingsError::OutOfRange {
                name: "knowledge.share",
                why: "needs a PostgreSQL database: set knowledge.share_url or recording.url".into(),
            })?;
            crate::gaps::postgres::check_url(url).map_err(|e| SettingsError::OutOfRange {
                name: "knowledge.share_url",
                why: e.to_string(),
            })?;
            if self.knowledge.share_poll_seconds == 0 {
                return Err(SettingsError::OutOfRange {
                    name: "knowledge.share_poll_seconds",
                    why: "must be at least 1".into(),
                });
            }
        }
        self.metrics.listen_addr()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn file(text: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        f
    }

    #[test]
    fn defaults_without_file_or_environment() {
        let s = Settings::load_from(None, |_| None, vec![]).unwrap();
        assert_eq!(s.knowledge.dir, PathBuf::from("knowledge"));
        assert_eq!(s.matching, MatchingSettings::default());
        assert!(s.discord.token.is_none());
    }

    #[test]
    fn environment_overrides_the_file() {
        let f = file("[matching]\nanswer_threshold = 0.6\n[discord]\nuser_cooldown_seconds = 9\n");
        let s = Settings::load_from(
            Some(f.path()),
            |_| None,
            env(&[
                ("MNBOT_DISCORD__TOKEN", "abc"),
                ("MNBOT_DISCORD__AUTO_ANSWER_CHANNELS", "1,2"),
                ("MNBOT_MATCHING__ANSWER_THRESHOLD", "0.7"),
            ]),
        )
        .unwrap();
        assert_eq!(s.matching.answer_threshold, 0.7);
        assert_eq!(s.discord.user_cooldown_seconds, 9);
        assert_eq!(s.discord.auto_answer_channels, vec![1, 2]);
        assert_eq!(s.discord.token.unwrap().expose(), "abc");
    }

    #[test]
    fn plain_discord_token_is_accepted_and_never_printed() {
        let s = Settings::load_from(
            None,
            |k| (k == "DISCORD_TOKEN").then(|| "s3cret".to_string()),
            vec![],
        )
        .unwrap();
        let debug = format!("{s:?}");
        assert!(!debug.contains("s3cret"), "{debug}");
        assert_eq!(s.discord.token.unwrap().expose(), "s3cret");
    }

    #[test]
    fn the_documented_example_file_is_valid_and_matches_the_defaults() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
        let s = Settings::load_from(Some(&path), |_| None, vec![]).unwrap();
        assert_eq!(s.matching, MatchingSettings::default());
        assert_eq!(s.knowledge.dir, PathBuf::from("knowledge"));
        assert_eq!(s.discord.user_cooldown_seconds, 5);
        assert_eq!(s.metrics, MetricsSettings::default());
    }

    #[test]
    fn metrics_are_off_and_local_by_default_and_the_address_is_checked() {
        let s = Settings::load_from(None, |_| None, vec![]).unwrap();
        assert!(!s.metrics.enabled);
        let addr = s.metrics.listen_addr().unwrap();
        assert!(addr.ip().is_loopback());
        assert_eq!(addr.port(), 9898);

        let f = file("[metrics]\nenabled = true\nlisten = \"[::1]:9100\"\n");
        let s = Settings::load_from(Some(f.path()), |_| None, vec![]).unwrap();
        assert!(s.metrics.enabled);
        assert_eq!(s.metrics.listen_addr().unwrap().to_string(), "[::1]:9100");

        let s = Settings::load_from(
            None,
            |_| None,
            env(&[
                ("MNBOT_METRICS__ENABLED", "true"),
                ("MNBOT_METRICS__LISTEN", "0.0.0.0:9000"),
            ]),
        )
        .unwrap();
        assert!(s.metrics.enabled);
        assert_eq!(s.metrics.listen, "0.0.0.0:9000");

        for bad in ["localhost:9898", "127.0.0.1", "127.0.0.1:99999", ""] {
            let e = Settings::load_from(None, |_| None, env(&[("MNBOT_METRICS__LISTEN", bad)]))
                .unwrap_err();
            assert!(e.to_string().contains("metrics.listen"), "{bad}: {e}");
        }
    }

    #[test]
    fn the_record_goes_to_postgres_when_a_url_is_set_and_it_is_never_printed() {
        let s = Settings::load_from(None, |_| None, vec![]).unwrap();
        assert!(crate::gaps::postgres_url(&s.recording).is_none());
        let url = "postgres://bot:hunter2@db.internal:5433/mnbot";
        let s = Settings::load_from(None, |_| None, env(&[("MNBOT_RECORDING__URL", url)])).unwrap();
        assert_eq!(crate::gaps::postgres_url(&s.recording), Some(url));
        assert!(!format!("{s:?}").contains("hunter2"));
        let shown = crate::gaps::describe(&s.recording);
        assert_eq!(shown, "postgres://bot@db.internal:5433/mnbot");
        // A Unix socket, as the README shows it.
        let socket = "postgres:///mnbot?user=mnbot&host=/run/postgresql";
        let s =
            Settings::load_from(None, |_| None, env(&[("MNBOT_RECORDING__URL", socket)])).unwrap();
        assert_eq!(
            crate::gaps::describe(&s.recording),
            "postgres://mnbot@/run/postgresql/mnbot"
        );
        // An empty value (e.g. to unset it from the environment) is no URL.
        let f = file("[recording]\nurl = \"postgres://a@b/c\"\n");
        let s = Settings::load_from(
            Some(f.path()),
            |_| None,
            env(&[("MNBOT_RECORDING__URL", "")]),
        )
        .unwrap();
        assert!(crate::gaps::postgres_url(&s.recording).is_none());
        for bad in ["mysql://a@b/c", "postgres://a@b:notaport/c", "data/gaps.db"] {
            let e = Settings::load_from(None, |_| None, env(&[("MNBOT_RECORDING__URL", bad)]))
                .unwrap_err();
            assert!(e.to_string().contains("recording.url"), "{bad}: {e}");
        }
    }

    #[test]
    fn errors_name_the_setting() {
        let f = file("[matching]\nanswer_treshold = 0.6\n");
        let e = Settings::load_from(Some(f.path()), |_| None, vec![]).unwrap_err();
        assert!(e.to_string().contains("answer_treshold"), "{e}");

        let f = file("[matching]\nanswer_threshold = \"high\"\n");
        let e = Settings::load_from(Some(f.path()), |_| None, vec![]).unwrap_err();
        assert!(e.to_string().contains("answer_threshold"), "{e}");

        let e = Settings::load_from(
            None,
            |_| None,
            env(&[("MNBOT_MATCHING__CLARIFY_THRESHOLD", "1.5")]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("matching.clarify_threshold"), "{e}");

        let e = Settings::load_from(Some(Path::new("/nonexistent/x.toml")), |_| None, vec![])
            .unwrap_err();
        assert!(e.to_string().contains("x.toml"), "{e}");
    }

    #[test]
    fn sharing_knowledge_is_off_by_default_and_needs_a_database() {
        let s = Settings::load_from(None, |_| None, vec![]).unwrap();
        assert!(!s.knowledge.share);
        assert_eq!(s.share_url(), None);
        let e = Settings::load_from(None, |_| None, env(&[("MNBOT_KNOWLEDGE__SHARE", "true")]))
            .unwrap_err();
        assert!(e.to_string().contains("knowledge.share"), "{e}");
        let url = "postgres://bot:hunter2@db.internal:5433/mnbot";
        let s = Settings::load_from(
            None,
            |_| None,
            env(&[
                ("MNBOT_KNOWLEDGE__SHARE", "true"),
                ("MNBOT_RECORDING__URL", url),
            ]),
        )
        .unwrap();
        assert_eq!(s.share_url(), Some(url));
        let own = "postgres://kb@other/kb";
        let s = Settings::load_from(
            None,
            |_| None,
            env(&[
                ("MNBOT_KNOWLEDGE__SHARE", "true"),
                ("MNBOT_RECORDING__URL", url),
                ("MNBOT_KNOWLEDGE__SHARE_URL", own),
            ]),
        )
        .unwrap();
        assert_eq!(s.share_url(), Some(own));
        assert!(!format!("{s:?}").contains("hunter2"));
        let e = Settings::load_from(
            None,
            |_| None,
            env(&[
                ("MNBOT_KNOWLEDGE__SHARE", "true"),
                ("MNBOT_KNOWLEDGE__SHARE_URL", "mysql://x"),
            ]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("knowledge.share_url"), "{e}");
    }
}
