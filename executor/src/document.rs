//! Step one: stdin bytes → one JSON value.
//!
//! `serde_json` does the work and already refuses everything that must be refused here:
//! invalid UTF-8, unpaired surrogate escapes, a byte-order mark, trailing data, numbers
//! beyond the range of a double (`1e400`), and nesting deeper than 128 levels (its
//! recursion limit, which keeps a `[[[[…` bomb from overflowing the stack). Every such
//! failure becomes a `malformed_json` rejection carrying serde_json's line and column.

use crate::result::{Rejection, RejectionCode};
use serde_json::Value;

/// Parses the whole input as one JSON text (RFC 8259), surrounding whitespace allowed.
pub fn parse(input: &[u8]) -> Result<Value, Rejection> {
    if input.iter().all(|&b| is_json_whitespace(b)) {
        return Err(Rejection::new(
            RejectionCode::MalformedJson,
            "stdin was empty: expected one JSON command or batch",
        ));
    }
    serde_json::from_slice(input).map_err(|e| {
        Rejection::new(
            RejectionCode::MalformedJson,
            format!("stdin is not a JSON document the executor can read: {}", e),
        )
    })
}

/// RFC 8259 §2: `ws = *( %x20 / %x09 / %x0A / %x0D )` (narrower than ASCII whitespace).
fn is_json_whitespace(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::result::RejectionCode;

    fn message_of(input: &[u8]) -> String {
        let rejection = parse(input).expect_err("input should be rejected");
        assert_eq!(rejection.code, RejectionCode::MalformedJson);
        rejection.message
    }

    #[test]
    fn accepts_json_with_surrounding_whitespace() {
        assert!(parse(b" \n{\"a\": [1, 2.5, \"\\u00e9\"]}\n").is_ok());
    }

    #[test]
    fn rejects_empty_and_blank_input() {
        assert!(message_of(b"").contains("empty"));
        assert!(message_of(b" \n\t").contains("empty"));
    }

    #[test]
    fn rejects_what_is_not_json() {
        for input in [
            &b"{\"action\":"[..],
            b"{} {}",
            b"{'a': 1}",
            b"[1,]",
            b"NaN",
            b"\xEF\xBB\xBF{}",
            b"\"\xFF\"",
            b"\"\\ud800\"",
        ] {
            message_of(input);
        }
    }

    #[test]
    fn rejects_numbers_beyond_a_double() {
        assert!(message_of(b"1e400").contains("number out of range"));
    }

    #[test]
    fn rejects_deep_nesting_without_overflowing_the_stack() {
        let deep = "[".repeat(100_000);
        assert!(message_of(deep.as_bytes()).contains("recursion limit exceeded"));
    }
}
