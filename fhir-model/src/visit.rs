//! Walking every `Reference` in a resource with its element path, to read or rewrite them.
//!
//! Generated code implements [`Walk`] for every struct and choice enum; it knows which fields
//! are References and which resource types each one allows (from `targetProfile`).

use crate::datatypes::Reference;
use crate::json::PrimitiveValue;
use crate::Primitive;

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
    /// Whether walking `self` certainly finds nothing: an absent value, an empty array, a
    /// primitive without extensions. The walker skips such values without building their
    /// path. `false` (walk it) unless a type knows better.
    fn is_bare(&self) -> bool {
        false
    }
}

type Visit<'f> = dyn FnMut(&ReferenceSite<'_>, &Reference) + 'f;
type VisitMut<'f> = dyn FnMut(&ReferenceSite<'_>, &mut Reference) + 'f;
type RewriteUri<'f> = dyn FnMut(&str) -> Option<String> + 'f;

/// Walks `value`, calling `visit` for each Reference; paths start with `root`.
pub fn for_each_reference<T: Walk + ?Sized>(
    value: &T,
    root: &str,
    visit: impl FnMut(&ReferenceSite<'_>, &Reference),
) {
    for_each_reference_in(value, &mut root.to_owned(), visit);
}

/// [`for_each_reference`] with paths built in `path` (which starts as the root and is left
/// as it was), so that a caller walking many values allocates one buffer for all of them.
pub(crate) fn for_each_reference_in<T: Walk + ?Sized>(
    value: &T,
    path: &mut String,
    mut visit: impl FnMut(&ReferenceSite<'_>, &Reference),
) {
    let mut w = Walker {
        path: std::mem::take(path),
        targets: &[],
        visit: &mut visit,
        uris: None,
    };
    value.walk(&mut w);
    *path = w.path;
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
        uris: None,
    };
    value.walk_mut(&mut w);
}

/// Offers every `uri`, `url` and `canonical` value inside `value` (References' own strings
/// are `string`s, see [`for_each_reference_mut`]) to `rewrite`; `Some(text)` replaces the
/// value when `text` is valid for its type. A transaction uses it to point such elements at
/// the `urn:uuid:` of another entry, as servers rewrite them (http.html#trules).
pub fn rewrite_uris<T: Walk + ?Sized>(
    value: &mut T,
    mut rewrite: impl FnMut(&str) -> Option<String>,
) {
    let mut w = WalkerMut {
        path: String::new(),
        targets: &[],
        visit: &mut |_, _| {},
        uris: Some(&mut rewrite),
    };
    value.walk_mut(&mut w);
}

/// Walker state shared by generated code: the current path and the allowed targets of the
/// Reference field being entered.
pub struct Walker<'f> {
    path: String,
    targets: &'static [&'static str],
    visit: &'f mut Visit<'f>,
    /// Never set: only the mutable walk rewrites URIs.
    uris: Option<&'f mut RewriteUri<'f>>,
}

/// Like [`Walker`], handing out `&mut Reference`.
pub struct WalkerMut<'f> {
    path: String,
    targets: &'static [&'static str],
    visit: &'f mut VisitMut<'f>,
    /// Set by [`rewrite_uris`]: primitives offer their URI values, so none may be skipped.
    uris: Option<&'f mut RewriteUri<'f>>,
}

macro_rules! walker_methods {
    ($walker:ident, $walk:ident, $($mut:tt)?) => {
        impl $walker<'_> {
            /// Walks a child element.
            pub fn field<T: Walk + ?Sized>(&mut self, name: &str, value: &$($mut)? T) {
                if self.uris.is_none() && value.is_bare() {
                    return;
                }
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
                if self.uris.is_none() && value.is_bare() {
                    return;
                }
                let len = self.path.len();
                push_index(&mut self.path, index);
                let targets = self.targets;
                value.$walk(self);
                self.targets = targets;
                self.path.truncate(len);
            }
        }
    };
}

/// Appends one step to an element path: `.name`, then what tells the item apart. An empty
/// `name` appends only the index (an item of the array just entered).
pub(crate) fn push_step(path: &mut String, name: &str, step: Step<'_>) {
    if !name.is_empty() {
        path.push('.');
        path.push_str(name);
    }
    match step {
        Step::One => {}
        Step::Index(index) => push_index(path, index),
        Step::Choice(fhir_type) => push_type_suffix(path, fhir_type),
    }
}

/// How a step's item is told apart from its siblings in a path.
#[derive(Clone, Copy)]
pub(crate) enum Step<'t> {
    /// A single element: its name alone.
    One,
    /// An item of a repeating element: `[index]`.
    Index(usize),
    /// A choice's value: its type after the name (`valueQuantity`).
    #[cfg_attr(not(feature = "fhirpath"), allow(dead_code))]
    Choice(&'t str),
}

/// Appends a choice's type to its name: `Quantity` after `value` for `valueQuantity`,
/// `DateTime` for a `dateTime`.
pub(crate) fn push_type_suffix(path: &mut String, fhir_type: &str) {
    let mut chars = fhir_type.chars();
    if let Some(first) = chars.next() {
        path.push(first.to_ascii_uppercase());
        path.push_str(chars.as_str());
    }
}

/// Appends `[index]` (what `write!(path, "[{index}]")` does, without the formatting machinery:
/// this runs for every array item walked).
pub(crate) fn push_index(path: &mut String, index: usize) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    let mut n = index;
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    path.push('[');
    path.extend(digits[start..].iter().map(|&d| char::from(d)));
    path.push(']');
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
    fn is_bare(&self) -> bool {
        self.as_ref().map_or(true, Walk::is_bare)
    }
}

impl<T: Walk + ?Sized> Walk for Box<T> {
    fn walk(&self, w: &mut Walker<'_>) {
        (**self).walk(w);
    }
    fn walk_mut(&mut self, w: &mut WalkerMut<'_>) {
        (**self).walk_mut(w);
    }
    fn is_bare(&self) -> bool {
        (**self).is_bare()
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
    fn is_bare(&self) -> bool {
        self.iter().all(Walk::is_bare)
    }
}

/// Extensions on a primitive can hold References too (`_birthDate.extension[0].valueReference`).
impl<T: PrimitiveValue> Walk for Primitive<T> {
    fn walk(&self, w: &mut Walker<'_>) {
        if let Some(e) = &self.element {
            w.field("extension", &e.extension);
        }
    }
    fn walk_mut(&mut self, w: &mut WalkerMut<'_>) {
        if let (Some(rewrite), Some(value)) = (w.uris.as_mut(), self.value.as_mut()) {
            value.rewrite_uri(&mut **rewrite);
        }
        if let Some(e) = &mut self.element {
            w.field("extension", &mut e.extension);
        }
    }
    fn is_bare(&self) -> bool {
        self.element
            .as_ref()
            .map_or(true, |e| e.extension.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_print_like_format() {
        for index in [0, 7, 9, 10, 99, 100, 12_345, usize::MAX] {
            let mut path = String::from("a.b");
            push_index(&mut path, index);
            assert_eq!(path, format!("a.b[{index}]"));
        }
    }

    #[test]
    fn bare_values_are_skipped_and_others_walked() {
        use crate::datatypes::Extension;
        let none: Option<Primitive<bool>> = None;
        assert!(none.is_bare());
        assert!(Vec::<Primitive<bool>>::new().is_bare());
        let plain = Primitive::new(true);
        assert!(plain.is_bare());
        assert!(vec![Primitive::new(true), Primitive::new(false)].is_bare());
        let mut extended = Primitive::new(true);
        extended.element_mut().extension.push(Extension::default());
        assert!(!extended.is_bare());
        assert!(!vec![Primitive::new(true), extended].is_bare());
        assert!(!Some(Box::new(Reference::default())).is_bare());
    }
}
