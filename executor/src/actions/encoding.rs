//! `sha256` and `base64_encode`: pure functions of the UTF-8 bytes of `text`.

use crate::command::TextArgs;
use crate::{base64, sha256};
use serde_json::Value;

/// The SHA-256 digest of `text`'s UTF-8 bytes, as 64 lowercase hex digits.
pub fn sha256(args: &TextArgs) -> Value {
    Value::from(sha256::digest_hex(args.text.0.as_bytes()))
}

/// The padded standard base64 of `text`'s UTF-8 bytes.
pub fn base64_encode(args: &TextArgs) -> Value {
    Value::from(base64::encode(args.text.0.as_bytes()))
}
