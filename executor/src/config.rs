//! Server-side configuration: what the operator decides, never the guest.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::time::Duration;

/// The environment variable holding the `run_binary` allow-list: absolute paths separated
/// by `:`, like `PATH`. Unset or empty means no program may run.
pub const ALLOW_BINARIES_VAR: &str = "EXECUTOR_ALLOW_BINARIES";

/// How the executor treats commands that reach outside the process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The programs `run_binary` may start.
    pub allow_list: AllowList,
    /// How long a `run_binary` program may run before it is killed.
    pub run_binary_timeout: Duration,
    /// How many bytes of a `run_binary` program's stdout, and separately of its stderr,
    /// are kept; the rest is read and dropped so the program never blocks on a full pipe.
    pub max_captured_bytes: usize,
}

impl Default for Config {
    /// The safe defaults: nothing may run; 10 s and 1 MiB per stream for what may.
    fn default() -> Self {
        Config {
            allow_list: AllowList::default(),
            run_binary_timeout: Duration::from_secs(10),
            max_captured_bytes: 1 << 20,
        }
    }
}

impl Config {
    /// The defaults, with the allow-list read from [`ALLOW_BINARIES_VAR`].
    pub fn from_env() -> Self {
        let allow_list = std::env::var_os(ALLOW_BINARIES_VAR)
            .map(|raw| AllowList::parse(&raw))
            .unwrap_or_default();
        Config {
            allow_list,
            ..Config::default()
        }
    }
}

/// The absolute paths `run_binary` may start, compared as exact strings.
///
/// There is no canonicalisation: `/usr/bin/../bin/rm` does not match `/usr/bin/rm`, so the
/// spelling the operator wrote is the only one that runs, and no file-system lookup (which
/// could race with a rename) takes part in the decision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowList {
    paths: Vec<String>,
}

impl AllowList {
    /// Parses a `:`-separated list. Empty entries (`a::b`, a trailing `:`), relative
    /// entries and entries that are not UTF-8 are ignored: commands carry absolute UTF-8
    /// paths, so such entries could never match exactly, and a lossy conversion could
    /// make one match a *different* file.
    pub fn parse(raw: &OsStr) -> Self {
        let paths = raw
            .as_bytes()
            .split(|&b| b == b':')
            .filter_map(|entry| std::str::from_utf8(entry).ok())
            .filter(|entry| entry.starts_with('/'))
            .map(str::to_owned)
            .collect();
        AllowList { paths }
    }

    /// A list of exactly these paths (for tests and embedding).
    pub fn of<I: IntoIterator<Item = S>, S: Into<String>>(paths: I) -> Self {
        AllowList {
            paths: paths.into_iter().map(Into::into).collect(),
        }
    }

    /// True when no program may run.
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// True when `path` is on the list, spelled exactly the same.
    pub fn allows(&self, path: &str) -> bool {
        self.paths.iter().any(|allowed| allowed == path)
    }
}

#[cfg(test)]
mod tests {
    use super::AllowList;
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn empty_input_allows_nothing() {
        assert!(AllowList::parse(OsStr::new("")).is_empty());
        assert!(AllowList::parse(OsStr::new(":::")).is_empty());
    }

    #[test]
    fn keeps_absolute_utf8_entries_only() {
        let raw = OsStr::from_bytes(b"/bin/echo::relative/tool:/opt/\xFF:/usr/bin/env:");
        let list = AllowList::parse(raw);
        assert_eq!(list, AllowList::of(["/bin/echo", "/usr/bin/env"]));
    }

    #[test]
    fn matches_exact_spelling_only() {
        let list = AllowList::of(["/usr/bin/env"]);
        assert!(list.allows("/usr/bin/env"));
        assert!(!list.allows("/usr/bin/../bin/env"));
        assert!(!list.allows("/usr/bin/env/"));
        assert!(!list.allows("/usr/bin/en"));
    }
}
