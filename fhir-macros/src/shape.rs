//! How a user field holds its values: one, maybe one (`Option`), or many (`Vec`).

use syn::{GenericArgument, PathArguments, Type};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Cardinality {
    One,
    Optional,
    Many,
}

pub struct Shape<'a> {
    pub cardinality: Cardinality,
    /// The type of one value.
    pub item: &'a Type,
}

/// The single generic argument of `Name<T>` when the type's last segment is `Name`.
pub fn generic_of<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.iter().collect::<Vec<_>>().as_slice() {
        [GenericArgument::Type(inner)] => Some(inner),
        _ => None,
    }
}

pub fn shape(ty: &Type) -> Shape<'_> {
    if let Some(item) = generic_of(ty, "Option") {
        Shape {
            cardinality: Cardinality::Optional,
            item,
        }
    } else if let Some(item) = generic_of(ty, "Vec") {
        Shape {
            cardinality: Cardinality::Many,
            item,
        }
    } else {
        Shape {
            cardinality: Cardinality::One,
            item: ty,
        }
    }
}

/// What a reference field's type says about its target: `Key<T>` (a user type) or
/// `TypedReference<R>` (a model resource). Other types carry no target to check.
pub enum Target<'a> {
    Key(&'a Type),
    Resource(&'a Type),
}

pub fn reference_target(item: &Type) -> Option<Target<'_>> {
    generic_of(item, "Key")
        .map(Target::Key)
        .or_else(|| generic_of(item, "TypedReference").map(Target::Resource))
}
