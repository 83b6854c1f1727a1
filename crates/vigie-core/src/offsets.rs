//! Byte spans inside the pipeline and their conversion to code-point offsets at the boundary.

/// A half-open range of UTF-8 byte offsets into a document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ByteSpan {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl ByteSpan {
    /// A span from `start` to `end` (bytes).
    pub fn new(start: usize, end: usize) -> Self {
        ByteSpan { start, end }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers nothing.
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}

const BLOCK: usize = 256;

/// Converts byte offsets of one text into Unicode code-point offsets in O(1) + a short scan.
///
/// For pure-ASCII text the two are equal and nothing is stored.
#[derive(Debug, Clone)]
pub struct CharIndex<'a> {
    text: &'a str,
    /// Code points before each block of `BLOCK` bytes; empty for ASCII text.
    blocks: Vec<u32>,
}

impl<'a> CharIndex<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> Self {
        if text.is_ascii() {
            return CharIndex {
                text,
                blocks: Vec::new(),
            };
        }
        let bytes = text.as_bytes();
        let mut blocks = Vec::with_capacity(bytes.len() / BLOCK + 1);
        let mut count = 0u32;
        for chunk in bytes.chunks(BLOCK) {
            blocks.push(count);
            count += chunk.iter().filter(|&&b| (b as i8) >= -0x40).count() as u32;
        }
        CharIndex { text, blocks }
    }

    /// The code-point offset of byte offset `byte` (which must be a char boundary or the end;
    /// other offsets are rounded down to the previous boundary).
    pub fn char_offset(&self, byte: usize) -> usize {
        if self.blocks.is_empty() {
            return byte.min(self.text.len());
        }
        let byte = byte.min(self.text.len());
        let b = byte / BLOCK;
        let base = self.blocks[b.min(self.blocks.len() - 1)] as usize;
        let from = b.min(self.blocks.len() - 1) * BLOCK;
        base + self.text.as_bytes()[from..byte]
            .iter()
            .filter(|&&c| (c as i8) >= -0x40)
            .count()
    }

    /// Converts a byte span to a code-point [`crate::Span`].
    pub fn span(&self, s: ByteSpan) -> crate::Span {
        crate::Span {
            start: self.char_offset(s.start),
            end: self.char_offset(s.end),
        }
    }

    /// Converts a byte span to a code-point [`crate::TextSpan`] carrying its text.
    pub fn text_span(&self, s: ByteSpan) -> crate::TextSpan {
        crate::TextSpan {
            start: self.char_offset(s.start),
            end: self.char_offset(s.end),
            text: self.text.get(s.start..s.end).unwrap_or("").to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_and_multibyte_offsets_agree_with_chars() {
        let text = "d’”engranger des résultats”, a déclaré le ministre. ".repeat(40);
        let idx = CharIndex::new(&text);
        for (ci, (bi, _)) in text.char_indices().enumerate() {
            assert_eq!(idx.char_offset(bi), ci);
        }
        assert_eq!(idx.char_offset(text.len()), text.chars().count());
        let ascii = CharIndex::new("plain text");
        assert_eq!(ascii.char_offset(5), 5);
    }
}
