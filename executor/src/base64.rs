//! Base64 encoding, RFC 4648 §4: the standard alphabet (`+`, `/`) with `=` padding, no line
//! breaks. Written here because Debian packages no base64 crate for this toolchain.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The base64 encoding of `bytes`.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity((bytes.len() + 2) / 3 * 4);
    for group in bytes.chunks(3) {
        // §4: each 24-bit group becomes four 6-bit indices; a short final group is
        // zero-filled, and the characters standing only for the fill become `=`.
        let b0 = group[0];
        let b1 = group.get(1).copied().unwrap_or(0);
        let b2 = group.get(2).copied().unwrap_or(0);
        let indices = [b0 >> 2, (b0 & 0x03) << 4 | b1 >> 4, (b1 & 0x0f) << 2 | b2 >> 6, b2 & 0x3f];
        let significant = group.len() + 1;
        for (position, &index) in indices.iter().enumerate() {
            if position < significant {
                out.push(char::from(ALPHABET[usize::from(index)]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::encode;

    /// RFC 4648 §10.
    #[test]
    fn matches_the_rfc_test_vectors() {
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (input, expected) in vectors {
            assert_eq!(encode(input.as_bytes()), expected, "input {:?}", input);
        }
    }

    #[test]
    fn uses_the_standard_alphabet_for_high_indices() {
        assert_eq!(encode(&[0xfb, 0xff, 0xbf]), "+/+/");
        assert_eq!(encode(&[0x00, 0x00, 0x00]), "AAAA");
        assert_eq!(encode("é".as_bytes()), "w6k=");
    }
}
