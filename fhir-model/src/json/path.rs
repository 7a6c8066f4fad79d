//! Element paths for error messages, built on the stack while decoding.

use std::fmt;

/// A FHIR element path such as `Encounter.participant[0].individual`, as a chain of borrowed
/// segments: building one costs nothing; only printing it (on error) walks the chain.
#[derive(Clone, Copy, Debug)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Segment,
    depth: u32,
}

#[derive(Clone, Copy, Debug)]
enum Segment {
    /// Top of a decode whose type is not known yet; replaced by the type's name.
    Root,
    Name(&'static str),
    Index(usize),
}

impl Path<'static> {
    /// The start of a top-level decode: the decoded type supplies the first segment.
    pub const ROOT: Path<'static> = Path {
        parent: None,
        segment: Segment::Root,
        depth: 0,
    };

    /// A path starting at a type name (`Patient`).
    pub const fn root(name: &'static str) -> Path<'static> {
        Path {
            parent: None,
            segment: Segment::Name(name),
            depth: 1,
        }
    }
}

impl<'a> Path<'a> {
    /// The path of a child element.
    pub fn field(&'a self, name: &'static str) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Name(name),
            depth: self.depth + 1,
        }
    }

    /// The path of an item of this repeating element.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Index(index),
            depth: self.depth + 1,
        }
    }

    /// Whether this is [`Path::ROOT`], which the first typed decoder replaces by its own name.
    pub fn is_root(&self) -> bool {
        matches!(self.segment, Segment::Root)
    }

    /// Number of segments, a measure of nesting depth.
    pub fn depth(&self) -> usize {
        self.depth as usize
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(parent) = self.parent {
            parent.fmt(f)?;
        }
        match self.segment {
            Segment::Root => Ok(()),
            Segment::Name(name) if self.parent.is_some_and(|p| !p.is_root()) => {
                write!(f, ".{name}")
            }
            Segment::Name(name) => f.write_str(name),
            Segment::Index(i) => write!(f, "[{i}]"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_print_with_dots_and_zero_based_indices() {
        let root = Path::root("Encounter");
        let participant = root.field("participant");
        let first = participant.index(0);
        let individual = first.field("individual");
        assert_eq!(
            individual.to_string(),
            "Encounter.participant[0].individual"
        );
        assert_eq!(individual.depth(), 4);
        let from_root = Path::ROOT.field("given");
        assert_eq!(from_root.to_string(), "given");
    }
}
