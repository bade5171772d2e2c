//! Request signers. Every function here is pure: the time, the nonce and the
//! credentials are arguments, so each one can be checked byte for byte
//! against the vectors the clouds and their SDKs publish.

pub mod alibaba;
pub mod huawei;
pub mod sigv4;

/// RFC 3986 percent-encoding: `A-Z a-z 0-9 - _ . ~` stay literal, every
/// other UTF-8 byte becomes `%XY` with uppercase hex (so a space is `%20`,
/// never `+`). Alibaba (both signatures) and Huawei's SDK-HMAC-SHA256 use
/// exactly this set, for canonical strings and for the URL actually sent.
pub fn percent_encode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len() + s.len() / 2);
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 0xf) as usize] as char);
        }
    }
    out
}

/// Lowercase hex of SHA-256, the payload hash of ACS3 and SDK-HMAC-SHA256.
pub fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encode_rfc3986() {
        assert_eq!(percent_encode("a b*~/é+&="), "a%20b%2A~%2F%C3%A9%2B%26%3D");
        assert_eq!(percent_encode("A-Z_a.z~09"), "A-Z_a.z~09");
    }

    #[test]
    fn empty_body_hash() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
