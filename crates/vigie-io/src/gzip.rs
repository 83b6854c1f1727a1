//! Gzipped bytes in memory, inflated whole under a limit: an input past the limit is refused
//! whole rather than read as a shorter one.

use std::io::{self, Read};

/// Whether `bytes` start like a gzip stream.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

/// The most bytes [`read_bytes`] inflates `compressed` gzipped bytes to: 16 times their size
/// plus 1 MiB (text compresses 3 to 10 times), so that a gzip bomb stops there.
pub fn inflate_limit(compressed: usize) -> usize {
    compressed.saturating_mul(16).saturating_add(1 << 20)
}

/// Why gzipped bytes could not be inflated.
#[derive(Debug)]
pub enum InflateError {
    /// They inflate past the limit: refused whole.
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The stream is corrupt or cut short.
    Corrupt {
        /// What inflated before the damage.
        partial: Vec<u8>,
        /// What the decoder said.
        error: io::Error,
    },
}

impl std::fmt::Display for InflateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InflateError::TooLarge { limit } => {
                write!(f, "the gzipped input inflates past {limit} bytes")
            }
            InflateError::Corrupt { error, .. } => {
                write!(f, "the gzip stream is corrupt or cut short: {error}")
            }
        }
    }
}

impl std::error::Error for InflateError {}

/// Inflates gzipped `bytes` (several members in a row are read as one stream) into memory,
/// refusing them whole when they inflate past `limit` bytes.
pub fn gunzip(bytes: &[u8], limit: usize) -> Result<Vec<u8>, InflateError> {
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(4).min(limit).min(64 << 20));
    // One byte past the limit tells an input of exactly `limit` bytes from a larger one.
    let mut dec = flate2::bufread::MultiGzDecoder::new(bytes).take(limit as u64 + 1);
    match dec.read_to_end(&mut out) {
        Ok(_) if out.len() > limit => Err(InflateError::TooLarge { limit }),
        Ok(_) => Ok(out),
        Err(error) => Err(InflateError::Corrupt {
            partial: out,
            error,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use std::io::Write;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn inflates_up_to_the_limit_exactly() {
        let data = vec![b'a'; 10_000];
        let z = gz(&data);
        assert!(is_gzip(&z));
        assert_eq!(gunzip(&z, 10_000).unwrap(), data);
        assert!(matches!(
            gunzip(&z, 9_999),
            Err(InflateError::TooLarge { limit: 9_999 })
        ));
    }

    #[test]
    fn corrupt_streams_keep_what_came_before() {
        let data: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
        let z = gz(&data);
        match gunzip(&z[..z.len() / 2], usize::MAX / 32) {
            Err(InflateError::Corrupt { partial, .. }) => {
                assert!(!partial.is_empty() && data.starts_with(&partial))
            }
            other => panic!("{other:?}"),
        }
    }

    /// Regression (issue 16, defect 5): 20,000 records gzipped past the cap were read as the
    /// 4,503 records before it, the rest lost as "malformed_json: EOF".
    #[test]
    fn read_bytes_refuses_an_input_past_its_cap_whole() {
        let mut body = String::new();
        for i in 0..20_000 {
            body.push_str(&format!(
                "{{\"id\":\"d{i}\",\"text\":\"{}\"}}\n",
                "mot ".repeat(40)
            ));
        }
        let z = gz(body.as_bytes());
        assert!(
            body.len() > inflate_limit(z.len()),
            "compresses less than the test needs"
        );
        let (mut docs, mut errors) = (0, Vec::new());
        let _ = crate::read_bytes(
            &z,
            "request",
            "r",
            &crate::ReadOptions::default(),
            &mut |it| {
                match it {
                    crate::Item::Doc(_) => docs += 1,
                    crate::Item::Error(e) => errors.push(e),
                }
                std::ops::ControlFlow::Continue(())
            },
        );
        assert_eq!(docs, 0);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].kind, crate::ErrorKind::TooLarge);
        // Under the cap, every record is read.
        let small: String = body.lines().take(2_000).map(|l| format!("{l}\n")).collect();
        let mut n = 0;
        let _ = crate::read_bytes(
            &gz(small.as_bytes()),
            "request",
            "r",
            &crate::ReadOptions::default(),
            &mut |it| {
                assert!(matches!(it, crate::Item::Doc(_)));
                n += 1;
                std::ops::ControlFlow::Continue(())
            },
        );
        assert_eq!(n, 2_000);
    }
}
