//! JSON Pointers (RFC 6901) naming a location in the input document, so that a rejection
//! says *where* the input was wrong (`/0/args/a`), in the same notation ajv uses for its
//! `instancePath`.

use std::fmt;

/// A JSON Pointer, built segment by segment while descending into the input.
///
/// The root is the empty string, as RFC 6901 §5 specifies (not `/`, which names the member
/// whose key is the empty string).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JsonPointer(String);

impl JsonPointer {
    /// The pointer to the whole document: `""`.
    pub fn root() -> Self {
        JsonPointer(String::new())
    }

    /// The pointer to element `index` of the array this pointer names.
    pub fn index(&self, index: usize) -> Self {
        JsonPointer(format!("{}/{}", self.0, index))
    }

    /// The pointer to member `key` of the object this pointer names.
    ///
    /// > `~` needs to be encoded as `~0` and `/` needs to be encoded as `~1`
    /// > (RFC 6901 §3); `~` first, so that `~1` in a key does not turn into `/`.
    pub fn key(&self, key: &str) -> Self {
        let escaped = key.replace('~', "~0").replace('/', "~1");
        JsonPointer(format!("{}/{}", self.0, escaped))
    }

    /// The pointer as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for JsonPointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::JsonPointer;

    #[test]
    fn root_is_the_empty_string() {
        assert_eq!(JsonPointer::root().as_str(), "");
    }

    #[test]
    fn segments_are_joined_with_slashes() {
        let pointer = JsonPointer::root().index(0).key("args").key("a");
        assert_eq!(pointer.as_str(), "/0/args/a");
    }

    #[test]
    fn tilde_and_slash_are_escaped_in_that_order() {
        assert_eq!(JsonPointer::root().key("a/b~1").as_str(), "/a~1b~01");
        assert_eq!(JsonPointer::root().key("").as_str(), "/");
    }
}
