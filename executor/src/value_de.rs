//! A serde [`Deserializer`] over a parsed [`serde_json::Value`] that knows where it is.
//!
//! serde's own errors say *what* went wrong ("invalid type: string, expected an integer")
//! but not *where*; the route needs a JSON Pointer to show the user. This deserializer
//! carries the pointer of the value it stands on, hands children their own pointer, and
//! stamps the innermost pointer on the first error that passes by. It is a small cousin of
//! the `serde_path_to_error` crate (not packaged in Debian), simplified because the input
//! is already a [`Value`] tree.
//!
//! It is also stricter than `serde_json`'s own `Value` deserializer in the two places where
//! serde's derives accept more than JSON Schema does:
//!
//! - a derived struct (or adjacently tagged enum) also accepts an *array* of its fields in
//!   order (`{"a":1,"b":2}` as `[1,2]`); here a struct must be an object;
//! - a derived field or variant identifier also accepts its *index* (`"action": 0` for the
//!   first variant); here an identifier must be a string.

use crate::json_pointer::JsonPointer;
use serde::de::{self, DeserializeSeed, Deserializer, Unexpected, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::{Map, Number, Value};
use std::fmt;

/// A validation error: what was wrong and, once known, where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pointer: Option<JsonPointer>,
    message: String,
}

impl Error {
    /// Where the error is, as a JSON Pointer into the input (the root if never stamped).
    pub fn pointer(&self) -> JsonPointer {
        self.pointer.clone().unwrap_or_else(JsonPointer::root)
    }

    /// What was wrong, in serde's words or ours.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Records `pointer` as the location unless a deeper one was recorded first: errors
    /// travel outwards, so the first stamp is the most precise.
    fn at(mut self, pointer: &JsonPointer) -> Self {
        if self.pointer.is_none() {
            self.pointer = Some(pointer.clone());
        }
        self
    }
}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error {
            pointer: None,
            message: message.to_string(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at {:?})", self.message, self.pointer().as_str())
    }
}

impl std::error::Error for Error {}

/// Deserializes a `T` from `value`, which sits at `pointer` in the input document.
pub fn from_value<'de, T: de::Deserialize<'de>>(
    value: &'de Value,
    pointer: JsonPointer,
) -> Result<T, Error> {
    T::deserialize(ValueDeserializer { value, pointer })
}

/// The deserializer for one value of the input document.
pub struct ValueDeserializer<'de> {
    value: &'de Value,
    pointer: JsonPointer,
}

impl<'de> ValueDeserializer<'de> {
    fn invalid_type<V: Visitor<'de>>(&self, visitor: &V) -> Error {
        de::Error::invalid_type(unexpected(self.value), visitor)
    }
}

impl<'de> Deserializer<'de> for ValueDeserializer<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let result = match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => visit_number(n, visitor),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => visitor.visit_seq(SeqAccess::new(items, &self.pointer)),
            Value::Object(members) => visitor.visit_map(MapAccess::new(members, &self.pointer)),
        };
        result.map_err(|e| e.at(&self.pointer))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let pointer = self.pointer.clone();
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
        .map_err(|e| e.at(&pointer))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    /// Structs (and adjacently tagged enums, which serde reads as structs) must be objects.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value {
            Value::Object(_) => self.deserialize_any(visitor),
            _ => Err(self.invalid_type(&visitor).at(&self.pointer)),
        }
    }

    /// Field and variant names must be strings, never indices.
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::String(s) => visitor.visit_borrowed_str(s).map_err(|e: Error| e.at(&self.pointer)),
            _ => Err(self.invalid_type(&visitor).at(&self.pointer)),
        }
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map enum ignored_any
    }
}

fn visit_number<'de, V: Visitor<'de>>(n: &Number, visitor: V) -> Result<V::Value, Error> {
    if let Some(u) = n.as_u64() {
        visitor.visit_u64(u)
    } else if let Some(i) = n.as_i64() {
        visitor.visit_i64(i)
    } else if let Some(f) = n.as_f64() {
        visitor.visit_f64(f)
    } else {
        // Unreachable without serde_json's `arbitrary_precision` feature; an error, not a panic.
        Err(de::Error::custom(format!("unrepresentable number {}", n)))
    }
}

/// How serde describes a value in "invalid type: …" messages.
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Unexpected::Unsigned(u),
            (None, Some(i), _) => Unexpected::Signed(i),
            (None, None, Some(f)) => Unexpected::Float(f),
            (None, None, None) => Unexpected::Other("number"),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// The elements of an array, each deserialized at `<array pointer>/<index>`.
struct SeqAccess<'de> {
    items: std::slice::Iter<'de, Value>,
    next_index: usize,
    pointer: JsonPointer,
}

impl<'de> SeqAccess<'de> {
    fn new(items: &'de [Value], pointer: &JsonPointer) -> Self {
        SeqAccess {
            items: items.iter(),
            next_index: 0,
            pointer: pointer.clone(),
        }
    }
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let value = match self.items.next() {
            Some(value) => value,
            None => return Ok(None),
        };
        let pointer = self.pointer.index(self.next_index);
        self.next_index += 1;
        seed.deserialize(ValueDeserializer {
            value,
            pointer: pointer.clone(),
        })
        .map(Some)
        .map_err(|e| e.at(&pointer))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The members of an object: keys are checked at `<object pointer>/<key>` (so an unknown
/// field is reported where it is), values are deserialized there.
struct MapAccess<'de> {
    members: serde_json::map::Iter<'de>,
    current: Option<(JsonPointer, &'de Value)>,
    pointer: JsonPointer,
}

impl<'de> MapAccess<'de> {
    fn new(members: &'de Map<String, Value>, pointer: &JsonPointer) -> Self {
        MapAccess {
            members: members.iter(),
            current: None,
            pointer: pointer.clone(),
        }
    }
}

impl<'de> de::MapAccess<'de> for MapAccess<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let (key, value) = match self.members.next() {
            Some(member) => member,
            None => return Ok(None),
        };
        let pointer = self.pointer.key(key);
        self.current = Some((pointer.clone(), value));
        seed.deserialize(KeyDeserializer { key })
            .map(Some)
            .map_err(|e| e.at(&pointer))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let (pointer, value) = match self.current.take() {
            Some(current) => current,
            // Only a Deserialize impl that breaks serde's key-then-value protocol gets here.
            None => return Err(de::Error::custom("a value was requested before its key")),
        };
        seed.deserialize(ValueDeserializer {
            value,
            pointer: pointer.clone(),
        })
        .map_err(|e| e.at(&pointer))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
    }
}

/// The deserializer for an object key: always a string; its pointer is stamped by
/// [`MapAccess`].
struct KeyDeserializer<'de> {
    key: &'de str,
}

impl<'de> Deserializer<'de> for KeyDeserializer<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_borrowed_str(self.key)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::from_value;
    use crate::json_pointer::JsonPointer;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Pair {
        a: i64,
        b: i64,
    }

    /// `kind` sorts before `payload`, as `action` sorts before `args` in the real commands.
    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(tag = "kind", content = "payload", deny_unknown_fields)]
    enum Tagged {
        First(Pair),
        Second(Pair),
    }

    /// `body` sorts before `kind`: serde must buffer the content before it knows the variant.
    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(tag = "kind", content = "body", deny_unknown_fields)]
    enum ContentFirst {
        First(Pair),
    }

    fn pair(value: serde_json::Value) -> Result<Pair, super::Error> {
        from_value(&value, JsonPointer::root())
    }

    fn tagged(value: serde_json::Value) -> Result<Tagged, super::Error> {
        from_value(&value, JsonPointer::root())
    }

    #[test]
    fn reads_a_valid_struct() {
        assert_eq!(pair(json!({"a": 1, "b": -2})), Ok(Pair { a: 1, b: -2 }));
    }

    #[test]
    fn rejects_a_struct_given_as_an_array() {
        let error = pair(json!([1, 2])).unwrap_err();
        assert_eq!(error.pointer().as_str(), "");
        assert!(error.message().contains("invalid type: sequence"), "{}", error);
    }

    #[test]
    fn names_the_field_with_the_wrong_type() {
        let error = pair(json!({"a": 1, "b": "2"})).unwrap_err();
        assert_eq!(error.pointer().as_str(), "/b");
    }

    #[test]
    fn names_the_unknown_field() {
        let error = pair(json!({"a": 1, "b": 2, "c/d": 3})).unwrap_err();
        assert_eq!(error.pointer().as_str(), "/c~1d");
        assert!(error.message().contains("unknown field"), "{}", error);
    }

    #[test]
    fn reports_a_missing_field_at_its_object() {
        let error = pair(json!({"a": 1})).unwrap_err();
        assert_eq!(error.pointer().as_str(), "");
        assert!(error.message().contains("missing field `b`"), "{}", error);
    }

    #[test]
    fn rejects_a_variant_given_by_index() {
        let error = tagged(json!({"kind": 1, "payload": {"a": 1, "b": 2}})).unwrap_err();
        assert_eq!(error.pointer().as_str(), "/kind");
    }

    #[test]
    fn reads_an_adjacently_tagged_enum_and_points_into_its_content() {
        assert_eq!(
            tagged(json!({"kind": "Second", "payload": {"a": 1, "b": 2}})),
            Ok(Tagged::Second(Pair { a: 1, b: 2 }))
        );
        let error = tagged(json!({"kind": "First", "payload": {"a": 1, "b": null}})).unwrap_err();
        assert_eq!(error.pointer().as_str(), "/payload/b");
    }

    /// Why the command types rely on `action` sorting before `args`: when the content comes
    /// first, serde buffers it and its errors can only be placed at the enclosing object.
    #[test]
    fn buffered_content_is_reported_at_its_object() {
        let value = json!({"kind": "First", "body": {"a": 1, "b": null}});
        let error = from_value::<ContentFirst>(&value, JsonPointer::root()).unwrap_err();
        assert_eq!(error.pointer().as_str(), "");
    }

    #[test]
    fn rejects_an_unknown_member_next_to_the_tag() {
        let error = tagged(json!({"kind": "First", "payload": {"a": 1, "b": 2}, "extra": 0})).unwrap_err();
        assert_eq!(error.pointer().as_str(), "/extra");
    }
}
