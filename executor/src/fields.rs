//! Argument field types that carry the schema's bounds, so that a command which
//! deserializes is a command the schema accepts, and the other way round.
//!
//! Each type names the `$defs` entry of `schemas/command.schema.json` it implements. Two
//! rules of JSON Schema 2020-12 shape the code:
//!
//! - `"type": "integer"` means "a number with a zero fractional part" (Validation §6.1.1),
//!   so `1.0` and `1e3` are integers and are accepted here as well;
//! - `maxLength` counts Unicode code points (Validation §6.3.1), not UTF-8 bytes.
//!
//! Strings in the schema also carry `"pattern": "^[^\\uD800-\\uDFFF]*$"`: JavaScript strings
//! can hold unpaired surrogates (`"\ud800"`), Rust strings cannot, and `serde_json` refuses
//! them while parsing, so the schema refuses them too.

use crate::limits::{
    MAX_ARGS, MAX_ARG_CHARS, MAX_PATH_CHARS, MAX_SAFE_INTEGER, MAX_SLEEP_MS, MAX_TEXT_CHARS,
    MIN_SAFE_INTEGER,
};
use serde::de::{self, Deserialize, Deserializer, SeqAccess, Unexpected, Visitor};
use std::fmt;

/// An integer argument of `add` and `subtract` (`$defs/safeInteger`): from
/// [`MIN_SAFE_INTEGER`] to [`MAX_SAFE_INTEGER`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SafeInteger(pub i64);

impl<'de> Deserialize<'de> for SafeInteger {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let visitor = IntegerVisitor {
            min: MIN_SAFE_INTEGER,
            max: MAX_SAFE_INTEGER,
        };
        deserializer.deserialize_i64(visitor).map(SafeInteger)
    }
}

/// The `ms` argument of `sleep_ms` (`$defs/sleepArgs/properties/ms`): 0 to [`MAX_SLEEP_MS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SleepMillis(pub u64);

impl<'de> Deserialize<'de> for SleepMillis {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let visitor = IntegerVisitor {
            min: 0,
            max: MAX_SLEEP_MS,
        };
        // The visitor guarantees 0 ≤ ms, so the conversion cannot fail; no unwrap anyway.
        let ms = deserializer.deserialize_u64(visitor)?;
        u64::try_from(ms)
            .map(SleepMillis)
            .map_err(|_| de::Error::custom("negative duration"))
    }
}

/// Accepts a JSON number that is an integer in `min..=max`, however it was written.
struct IntegerVisitor {
    min: i64,
    max: i64,
}

impl IntegerVisitor {
    fn contains(&self, n: i64) -> bool {
        self.min <= n && n <= self.max
    }
}

impl<'de> Visitor<'de> for IntegerVisitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an integer from {} to {}", self.min, self.max)
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<i64, E> {
        if self.contains(n) {
            Ok(n)
        } else {
            Err(E::invalid_value(Unexpected::Signed(n), &self))
        }
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<i64, E> {
        match i64::try_from(n) {
            Ok(n) if self.contains(n) => Ok(n),
            _ => Err(E::invalid_value(Unexpected::Unsigned(n), &self)),
        }
    }

    /// `1.0`, `-0` and `1e3` are integers to JSON Schema; `1.5`, `NaN` and ±∞ are not.
    /// The bounds are at most 2^53 in magnitude, so they and every integral `f64` between
    /// them convert exactly.
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<i64, E> {
        let integral = n.is_finite() && n.fract() == 0.0;
        if integral && self.min as f64 <= n && n <= self.max as f64 {
            Ok(n as i64)
        } else {
            Err(E::invalid_value(Unexpected::Float(n), &self))
        }
    }
}

/// The `text` argument of `sha256` and `base64_encode` (`$defs/text`): at most
/// [`MAX_TEXT_CHARS`] code points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        check_length(&text, MAX_TEXT_CHARS, "text")?;
        Ok(Text(text))
    }
}

/// The `path` argument of `run_binary` (`$defs/binaryPath`): absolute, no NUL (the kernel
/// takes C strings), at most [`MAX_PATH_CHARS`] code points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinaryPath(pub String);

impl<'de> Deserialize<'de> for BinaryPath {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let path = String::deserialize(deserializer)?;
        check_length(&path, MAX_PATH_CHARS, "path")?;
        if !path.starts_with('/') {
            return Err(de::Error::custom(format!(
                "path must be absolute (start with \"/\"), got {:?}",
                truncated(&path)
            )));
        }
        check_no_nul(&path, "path")?;
        Ok(BinaryPath(path))
    }
}

/// One argument of `run_binary` (`$defs/processArgument`): no NUL, at most
/// [`MAX_ARG_CHARS`] code points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessArgument(pub String);

impl<'de> Deserialize<'de> for ProcessArgument {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let argument = String::deserialize(deserializer)?;
        check_length(&argument, MAX_ARG_CHARS, "argument")?;
        check_no_nul(&argument, "argument")?;
        Ok(ProcessArgument(argument))
    }
}

/// The `args` argument of `run_binary` (`$defs/runBinaryArgs/properties/args`): at most
/// [`MAX_ARGS`] arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgumentList(pub Vec<ProcessArgument>);

impl<'de> Deserialize<'de> for ArgumentList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(ArgumentListVisitor)
    }
}

struct ArgumentListVisitor;

impl<'de> Visitor<'de> for ArgumentListVisitor {
    type Value = ArgumentList;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an array of at most {} strings", MAX_ARGS)
    }

    /// Stops reading at the first argument too many instead of reading them all.
    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<ArgumentList, A::Error> {
        let mut arguments = Vec::new();
        while let Some(argument) = items.next_element::<ProcessArgument>()? {
            if arguments.len() == MAX_ARGS {
                return Err(de::Error::invalid_length(MAX_ARGS + 1, &self));
            }
            arguments.push(argument);
        }
        Ok(ArgumentList(arguments))
    }
}

/// Fails when `s` has more than `max` code points. Counting is skipped when the byte
/// length already proves the bound, since every code point takes at least one byte.
fn check_length<E: de::Error>(s: &str, max: usize, what: &str) -> Result<(), E> {
    if s.len() <= max {
        return Ok(());
    }
    let chars = s.chars().count();
    if chars <= max {
        return Ok(());
    }
    Err(E::custom(format!(
        "{} is {} characters (Unicode code points) long; the limit is {}",
        what, chars, max
    )))
}

fn check_no_nul<E: de::Error>(s: &str, what: &str) -> Result<(), E> {
    if s.contains('\0') {
        Err(E::custom(format!("{} must not contain NUL (U+0000)", what)))
    } else {
        Ok(())
    }
}

/// The first few characters of a value that is about to be quoted in an error message, so
/// that a 4 KiB path does not become a 4 KiB message.
fn truncated(s: &str) -> String {
    const SHOWN: usize = 64;
    match s.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json_pointer::JsonPointer;
    use crate::value_de::{from_value, Error};
    use serde_json::{json, Value};

    fn read<T: for<'de> Deserialize<'de>>(value: Value) -> Result<T, Error> {
        from_value(&value, JsonPointer::root())
    }

    fn parsed(text: &str) -> Value {
        serde_json::from_str(text).expect("test input is JSON")
    }

    #[test]
    fn safe_integer_accepts_its_bounds() {
        assert_eq!(read::<SafeInteger>(json!(MAX_SAFE_INTEGER)), Ok(SafeInteger(MAX_SAFE_INTEGER)));
        assert_eq!(read::<SafeInteger>(json!(MIN_SAFE_INTEGER)), Ok(SafeInteger(MIN_SAFE_INTEGER)));
    }

    #[test]
    fn safe_integer_rejects_one_past_its_bounds() {
        assert!(read::<SafeInteger>(json!(MAX_SAFE_INTEGER + 1)).is_err());
        assert!(read::<SafeInteger>(json!(MIN_SAFE_INTEGER - 1)).is_err());
        assert!(read::<SafeInteger>(json!(i64::MAX)).is_err());
        assert!(read::<SafeInteger>(json!(u64::MAX)).is_err());
    }

    #[test]
    fn safe_integer_accepts_integral_floats_as_json_schema_does() {
        assert_eq!(read::<SafeInteger>(parsed("1.0")), Ok(SafeInteger(1)));
        assert_eq!(read::<SafeInteger>(parsed("1e3")), Ok(SafeInteger(1000)));
        assert_eq!(read::<SafeInteger>(parsed("-0")), Ok(SafeInteger(0)));
        assert_eq!(read::<SafeInteger>(parsed("-0.0")), Ok(SafeInteger(0)));
        assert_eq!(
            read::<SafeInteger>(parsed("9007199254740991.0")),
            Ok(SafeInteger(MAX_SAFE_INTEGER))
        );
    }

    #[test]
    fn safe_integer_rejects_fractions_and_huge_floats() {
        assert!(read::<SafeInteger>(parsed("1.5")).is_err());
        assert!(read::<SafeInteger>(parsed("1e300")).is_err());
        assert!(read::<SafeInteger>(parsed("99999999999999999999")).is_err());
        assert!(read::<SafeInteger>(parsed("9007199254740992.0")).is_err());
    }

    #[test]
    fn safe_integer_rejects_other_types() {
        for value in [json!("1"), json!(true), json!(null), json!([1]), json!({"n": 1})] {
            assert!(read::<SafeInteger>(value.clone()).is_err(), "{}", value);
        }
    }

    #[test]
    fn sleep_millis_is_bounded_to_one_second() {
        assert_eq!(read::<SleepMillis>(json!(0)), Ok(SleepMillis(0)));
        assert_eq!(read::<SleepMillis>(json!(1000)), Ok(SleepMillis(1000)));
        assert_eq!(read::<SleepMillis>(parsed("1e3")), Ok(SleepMillis(1000)));
        assert!(read::<SleepMillis>(json!(1001)).is_err());
        assert!(read::<SleepMillis>(json!(-1)).is_err());
        assert!(read::<SleepMillis>(json!(0.5)).is_err());
    }

    #[test]
    fn text_length_counts_code_points_not_bytes() {
        let at_limit = "é".repeat(MAX_TEXT_CHARS);
        assert!(read::<Text>(json!(at_limit)).is_ok());
        let over = "a".repeat(MAX_TEXT_CHARS + 1);
        let error = read::<Text>(json!(over)).unwrap_err();
        assert!(error.message().contains("1048577 characters"), "{}", error);
    }

    #[test]
    fn binary_path_must_be_absolute_without_nul() {
        assert!(read::<BinaryPath>(json!("/bin/echo")).is_ok());
        assert!(read::<BinaryPath>(json!("bin/echo")).is_err());
        assert!(read::<BinaryPath>(json!("")).is_err());
        assert!(read::<BinaryPath>(json!("/bin/e\u{0}cho")).is_err());
        assert!(read::<BinaryPath>(json!(format!("/{}", "a".repeat(MAX_PATH_CHARS)))).is_err());
    }

    #[test]
    fn argument_list_is_bounded() {
        let at_limit: Vec<String> = vec!["x".to_owned(); MAX_ARGS];
        assert_eq!(read::<ArgumentList>(json!(at_limit)).map(|l| l.0.len()), Ok(MAX_ARGS));
        let over: Vec<String> = vec!["x".to_owned(); MAX_ARGS + 1];
        assert!(read::<ArgumentList>(json!(over)).is_err());
        assert!(read::<ArgumentList>(json!(["a", 1])).is_err());
        assert!(read::<ArgumentList>(json!(["a\u{0}"])).is_err());
        assert!(read::<ArgumentList>(json!("a")).is_err());
    }

    #[test]
    fn long_values_are_shortened_in_messages() {
        assert_eq!(truncated("abc"), "abc");
        assert_eq!(truncated(&"é".repeat(100)).chars().count(), 65);
    }
}
