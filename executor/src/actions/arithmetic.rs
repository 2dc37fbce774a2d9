//! `add` and `subtract`: exact integer arithmetic whose result must stay a safe integer.
//!
//! The operands are at most 2^53 − 1 in magnitude, so the `i64` operation itself cannot
//! overflow; the checked operation is kept anyway so that widening the limits can never
//! turn into silent wrapping. A result outside the safe range is an `overflow` error
//! rather than a number the route's `JSON.parse` would round.

use crate::command::IntegerPair;
use crate::limits::{MAX_SAFE_INTEGER, MIN_SAFE_INTEGER};
use crate::result::{ActionError, ActionErrorCode};
use serde_json::Value;

/// `a + b`.
pub fn add(args: &IntegerPair) -> Result<Value, ActionError> {
    let (a, b) = (args.a.0, args.b.0);
    safe_result(a.checked_add(b), || format!("{} + {}", a, b))
}

/// `a - b`.
pub fn subtract(args: &IntegerPair) -> Result<Value, ActionError> {
    let (a, b) = (args.a.0, args.b.0);
    safe_result(a.checked_sub(b), || format!("{} - {}", a, b))
}

fn safe_result(result: Option<i64>, expression: impl Fn() -> String) -> Result<Value, ActionError> {
    match result {
        Some(n) if (MIN_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&n) => Ok(Value::from(n)),
        _ => Err(ActionError::new(
            ActionErrorCode::Overflow,
            format!(
                "{} is outside the safe integer range {}..={}",
                expression(),
                MIN_SAFE_INTEGER,
                MAX_SAFE_INTEGER
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::{add, subtract};
    use crate::command::IntegerPair;
    use crate::fields::SafeInteger;
    use crate::limits::{MAX_SAFE_INTEGER, MIN_SAFE_INTEGER};
    use crate::result::ActionErrorCode;
    use serde_json::json;

    fn pair(a: i64, b: i64) -> IntegerPair {
        IntegerPair { a: SafeInteger(a), b: SafeInteger(b) }
    }

    #[test]
    fn adds_and_subtracts() {
        assert_eq!(add(&pair(2, 3)), Ok(json!(5)));
        assert_eq!(add(&pair(-2, -3)), Ok(json!(-5)));
        assert_eq!(subtract(&pair(2, 3)), Ok(json!(-1)));
        assert_eq!(add(&pair(MAX_SAFE_INTEGER, MIN_SAFE_INTEGER)), Ok(json!(0)));
        assert_eq!(subtract(&pair(MAX_SAFE_INTEGER - 1, -1)), Ok(json!(MAX_SAFE_INTEGER)));
    }

    #[test]
    fn reports_overflow_instead_of_wrapping() {
        let cases = [
            add(&pair(MAX_SAFE_INTEGER, 1)),
            add(&pair(MIN_SAFE_INTEGER, -1)),
            add(&pair(MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)),
            subtract(&pair(MIN_SAFE_INTEGER, 1)),
            subtract(&pair(MAX_SAFE_INTEGER, MIN_SAFE_INTEGER)),
        ];
        for result in cases {
            let error = result.expect_err("should overflow");
            assert_eq!(error.code, ActionErrorCode::Overflow);
            assert!(error.message.contains("outside the safe integer range"), "{}", error.message);
        }
    }

    #[test]
    fn i64_overflow_is_reported_too() {
        let error = add(&pair(i64::MAX, 1)).expect_err("should overflow");
        assert_eq!(error.code, ActionErrorCode::Overflow);
    }
}
