//! The single error type shared by every primitive parser.

use std::fmt;

/// Longest excerpt (in chars) of the rejected text kept in an error.
const EXCERPT_CHARS: usize = 40;

/// A value was rejected as a FHIR primitive.
///
/// Only a short excerpt of the offending text is kept, so an error about a
/// multi-megabyte string stays small and printable in logs.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PrimitiveError {
    fhir_type: &'static str,
    reason: &'static str,
    excerpt: Box<str>,
}

impl PrimitiveError {
    /// Builds an error for `text`, which is cut down to an excerpt of at most
    /// 40 chars (plus "…") so the whole input is never copied.
    pub fn new(fhir_type: &'static str, reason: &'static str, text: &str) -> Self {
        let excerpt = match text.char_indices().nth(EXCERPT_CHARS) {
            Some((cut, _)) => {
                let head = text.get(..cut).unwrap_or_default();
                let mut short = String::with_capacity(cut + '…'.len_utf8());
                short.push_str(head);
                short.push('…');
                short.into_boxed_str()
            }
            None => Box::from(text),
        };
        PrimitiveError {
            fhir_type,
            reason,
            excerpt,
        }
    }

    /// The FHIR type name that was expected, e.g. `"dateTime"`.
    pub fn fhir_type(&self) -> &'static str {
        self.fhir_type
    }

    /// Short description of what is wrong, e.g. `"month out of range 01-12"`.
    pub fn reason(&self) -> &'static str {
        self.reason
    }

    /// The start of the rejected text (at most 40 chars, "…" appended if cut).
    pub fn excerpt(&self) -> &str {
        &self.excerpt
    }
}

impl fmt::Display for PrimitiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {} \"{}\": {}",
            self.fhir_type, self.excerpt, self.reason
        )
    }
}

impl fmt::Debug for PrimitiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrimitiveError")
            .field("fhir_type", &self.fhir_type)
            .field("reason", &self.reason)
            .field("excerpt", &self.excerpt)
            .finish()
    }
}

impl std::error::Error for PrimitiveError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_format() {
        let e = PrimitiveError::new("dateTime", "month out of range 01-12", "2015-13");
        assert_eq!(
            e.to_string(),
            "invalid dateTime \"2015-13\": month out of range 01-12"
        );
        assert_eq!(e.fhir_type(), "dateTime");
        assert_eq!(e.reason(), "month out of range 01-12");
        assert_eq!(e.excerpt(), "2015-13");
    }

    #[test]
    fn short_text_is_kept_whole() {
        let forty = "a".repeat(40);
        assert_eq!(PrimitiveError::new("string", "x", &forty).excerpt(), forty);
        assert_eq!(PrimitiveError::new("string", "x", "").excerpt(), "");
    }

    #[test]
    fn long_text_is_cut_with_ellipsis() {
        let long = "b".repeat(20_000_000);
        let e = PrimitiveError::new("string", "x", &long);
        assert_eq!(e.excerpt(), format!("{}…", "b".repeat(40)));
    }

    #[test]
    fn cut_respects_multibyte_boundaries() {
        // 39 ASCII chars, then multi-byte chars straddling the byte limit.
        let text = format!("{}€😀ü{}", "x".repeat(39), "é".repeat(50));
        let e = PrimitiveError::new("code", "x", &text);
        assert_eq!(e.excerpt(), format!("{}€…", "x".repeat(39)));
        let all_wide = "😀".repeat(41);
        let e = PrimitiveError::new("code", "x", &all_wide);
        assert_eq!(e.excerpt(), format!("{}…", "😀".repeat(40)));
        assert_eq!(e.excerpt().chars().count(), 41);
    }

    #[test]
    fn is_std_error() {
        fn takes(_: &dyn std::error::Error) {}
        takes(&PrimitiveError::new("id", "x", "y"));
    }
}
