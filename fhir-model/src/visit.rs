//! Walking every `Reference` in a resource with its element path, to read or rewrite them.
//!
//! Generated code implements [`Walk`] for every struct and choice enum; it knows which fields
//! are References and which resource types each one allows (from `targetProfile`).

use crate::datatypes::Reference;
use crate::Primitive;
use std::fmt::Write as _;

/// Where a Reference was found.
#[derive(Clone, Copy, Debug)]
pub struct ReferenceSite<'a> {
    /// Element path with zero-based indices (`Encounter.participant[0].individual`).
    pub path: &'a str,
    /// Resource types the element allows; empty when any resource is allowed.
    pub targets: &'static [&'static str],
}

impl ReferenceSite<'_> {
    /// Whether the element allows a reference to `resource_type`.
    pub fn allows(&self, resource_type: &str) -> bool {
        self.targets.is_empty() || self.targets.contains(&resource_type)
    }
}

/// Implemented by every generated struct, choice enum and `Resource`.
pub trait Walk {
    /// Reports every Reference inside `self` to the walker.
    fn walk(&self, w: &mut Walker<'_>);
    /// Same, handing out each Reference mutably.
    fn walk_mut(&mut self, w: &mut WalkerMut<'_>);
}

type Visit<'f> = dyn FnMut(&ReferenceSite<'_>, &Reference) + 'f;
type VisitMut<'f> = dyn FnMut(&ReferenceSite<'_>, &mut Reference) + 'f;

/// Walks `value`, calling `visit` for each Reference; paths start with `root`.
pub fn for_each_reference<T: Walk + ?Sized>(
    value: &T,
    root: &str,
    mut visit: impl FnMut(&ReferenceSite<'_>, &Reference),
) {
    let mut w = Walker {
        path: root.to_owned(),
        targets: &[],
        visit: &mut visit,
    };
    value.walk(&mut w);
}

/// Walks `value` mutably, calling `visit` for each Reference; paths start with `root`.
pub fn for_each_reference_mut<T: Walk + ?Sized>(
    value: &mut T,
    root: &str,
    mut visit: impl FnMut(&ReferenceSite<'_>, &mut Reference),
) {
    let mut w = WalkerMut {
        path: root.to_owned(),
        targets: &[],
        visit: &mut visit,
    };
    value.walk_mut(&mut w);
}

/// Walker state shared by generated code: the current path and the allowed targets of the
/// Reference field being entered.
pub struct Walker<'f> {
    path: String,
    targets: &'static [&'static str],
    visit: &'f mut Visit<'f>,
}

/// Like [`Walker`], handing out `&mut Reference`.
pub struct WalkerMut<'f> {
    path: String,
    targets: &'static [&'static str],
    visit: &'f mut VisitMut<'f>,
}

macro_rules! walker_methods {
    ($walker:ident, $walk:ident, $($mut:tt)?) => {
        impl $walker<'_> {
            /// Walks a child element.
            pub fn field<T: Walk + ?Sized>(&mut self, name: &str, value: &$($mut)? T) {
                let len = self.path.len();
                self.path.push('.');
                self.path.push_str(name);
                value.$walk(self);
                self.path.truncate(len);
            }

            /// Walks a Reference element, which allows `targets` (empty: any resource).
            pub fn refs<T: Walk + ?Sized>(&mut self, name: &str, value: &$($mut)? T, targets: &'static [&'static str]) {
                let outer = std::mem::replace(&mut self.targets, targets);
                self.field(name, value);
                self.targets = outer;
            }

            /// Walks a choice element; its enum adds the JSON name of the variant present.
            pub fn choice<T: Walk + ?Sized>(&mut self, value: &$($mut)? T) {
                value.$walk(self);
            }

            /// Reports a Reference at the current path.
            pub fn reference(&mut self, reference: &$($mut)? Reference) {
                let site = ReferenceSite { path: &self.path, targets: self.targets };
                (self.visit)(&site, reference);
                // Parts of a Reference (its identifier's assigner) set their own targets.
                self.targets = &[];
            }

            fn item<T: Walk + ?Sized>(&mut self, index: usize, value: &$($mut)? T) {
                let len = self.path.len();
                let _ = write!(self.path, "[{index}]");
                let targets = self.targets;
                value.$walk(self);
                self.targets = targets;
                self.path.truncate(len);
            }
        }
    };
}

walker_methods!(Walker, walk,);
walker_methods!(WalkerMut, walk_mut, mut);

impl<T: Walk> Walk for Option<T> {
    fn walk(&self, w: &mut Walker<'_>) {
        if let Some(v) = self {
            v.walk(w);
        }
    }
    fn walk_mut(&mut self, w: &mut WalkerMut<'_>) {
        if let Some(v) = self {
            v.walk_mut(w);
        }
    }
}

impl<T: Walk + ?Sized> Walk for Box<T> {
    fn walk(&self, w: &mut Walker<'_>) {
        (**self).walk(w);
    }
    fn walk_mut(&mut self, w: &mut WalkerMut<'_>) {
        (**self).walk_mut(w);
    }
}

impl<T: Walk> Walk for Vec<T> {
    fn walk(&self, w: &mut Walker<'_>) {
        for (i, v) in self.iter().enumerate() {
            w.item(i, v);
        }
    }
    fn walk_mut(&mut self, w: &mut WalkerMut<'_>) {
        for (i, v) in self.iter_mut().enumerate() {
            w.item(i, v);
        }
    }
}

/// Extensions on a primitive can hold References too (`_birthDate.extension[0].valueReference`).
impl<T> Walk for Primitive<T> {
    fn walk(&self, w: &mut Walker<'_>) {
        if let Some(e) = &self.element {
            w.field("extension", &e.extension);
        }
    }
    fn walk_mut(&mut self, w: &mut WalkerMut<'_>) {
        if let Some(e) = &mut self.element {
            w.field("extension", &mut e.extension);
        }
    }
}
