//! Navigation the derive macros emit: creating the elements on the way to a mapped value, and
//! picking the item of a list by its `system` (an MRN among identifiers, a phone among
//! telecoms, a code of one code system).

use crate::datatypes::{CodeableConcept, Coding, ContactPoint, Extension, Identifier};
use crate::primitives::{Code, FhirString, Uri};
use crate::{CodeEnum, Primitive};

/// The single (boxed) element, created when absent.
pub fn one_mut<T: Default>(slot: &mut Option<Box<T>>) -> &mut T {
    slot.get_or_insert_with(Default::default)
}

/// The extensions of a primitive element (`_birthDate.extension`), the primitive created
/// (without a value) when absent.
pub fn primitive_extensions_mut<T>(slot: &mut Option<Primitive<T>>) -> &mut Vec<Extension> {
    &mut slot
        .get_or_insert_with(Default::default)
        .element_mut()
        .extension
}

/// The extensions of a primitive element, if it is present.
pub fn primitive_extensions<T>(slot: &Option<Primitive<T>>) -> &[Extension] {
    slot.as_ref().map_or(&[], |p| p.extension())
}

/// The item at `index`, created (after default items before it) when the list is shorter.
pub fn item_mut<T: Default>(list: &mut Vec<T>, index: usize) -> &mut T {
    if list.len() <= index {
        list.resize_with(index + 1, Default::default);
    }
    &mut list[index]
}

/// A datatype with a `system` that tells its items apart, and the value that goes with it.
pub trait BySystem: Default {
    /// What a field selected by system maps to (`Identifier.value`, `Coding.code`).
    type Value;
    /// Whether this item belongs to `system`.
    fn has_system(&self, system: &str) -> bool;
    /// A new item of `system`, with no value yet; `None` when `system` is not a valid value.
    fn with_system(system: &str) -> Option<Self>;
    /// The value of an item of `system`.
    fn value_of(&self, system: &str) -> Option<&Primitive<Self::Value>>;
    /// The value of an item of `system`, to write.
    fn value_mut(&mut self, system: &str) -> &mut Option<Primitive<Self::Value>>;
}

/// The first item of `system`.
pub fn select<'a, T: BySystem>(list: &'a [T], system: &str) -> Option<(usize, &'a T)> {
    list.iter().enumerate().find(|(_, x)| x.has_system(system))
}

/// The first item of `system`, appended when there is none. `None` when `system` is invalid.
pub fn select_mut<'a, T: BySystem>(list: &'a mut Vec<T>, system: &str) -> Option<&'a mut T> {
    let index = match list.iter().position(|x| x.has_system(system)) {
        Some(i) => i,
        None => {
            list.push(T::with_system(system)?);
            list.len() - 1
        }
    };
    list.get_mut(index)
}

fn uri(system: &str) -> Option<Primitive<Uri>> {
    Uri::parse(system).ok().map(Primitive::new)
}

fn is(value: &Option<Primitive<Uri>>, system: &str) -> bool {
    value
        .as_ref()
        .and_then(|v| v.value())
        .is_some_and(|v| v.as_str() == system)
}

impl BySystem for Identifier {
    type Value = FhirString;
    fn has_system(&self, system: &str) -> bool {
        is(&self.system, system)
    }
    fn with_system(system: &str) -> Option<Self> {
        Some(Identifier {
            system: Some(uri(system)?),
            ..Default::default()
        })
    }
    fn value_of(&self, _: &str) -> Option<&Primitive<FhirString>> {
        self.value.as_ref()
    }
    fn value_mut(&mut self, _: &str) -> &mut Option<Primitive<FhirString>> {
        &mut self.value
    }
}

impl BySystem for Coding {
    type Value = Code;
    fn has_system(&self, system: &str) -> bool {
        is(&self.system, system)
    }
    fn with_system(system: &str) -> Option<Self> {
        Some(Coding {
            system: Some(uri(system)?),
            ..Default::default()
        })
    }
    fn value_of(&self, _: &str) -> Option<&Primitive<Code>> {
        self.code.as_ref()
    }
    fn value_mut(&mut self, _: &str) -> &mut Option<Primitive<Code>> {
        &mut self.code
    }
}

/// A concept belongs to every system one of its codings has; its value is that coding's code.
impl BySystem for CodeableConcept {
    type Value = Code;
    fn has_system(&self, system: &str) -> bool {
        self.coding.iter().any(|c| c.has_system(system))
    }
    fn with_system(system: &str) -> Option<Self> {
        Some(CodeableConcept {
            coding: vec![Coding::with_system(system)?],
            ..Default::default()
        })
    }
    fn value_of(&self, system: &str) -> Option<&Primitive<Code>> {
        select(&self.coding, system).and_then(|(_, c)| c.code.as_ref())
    }
    fn value_mut(&mut self, system: &str) -> &mut Option<Primitive<Code>> {
        let index = match self.coding.iter().position(|c| c.has_system(system)) {
            Some(i) => i,
            None => match Coding::with_system(system) {
                Some(coding) => {
                    self.coding.push(coding);
                    self.coding.len() - 1
                }
                // Not a URI: `with_system` refused it when the concept was made.
                None => 0,
            },
        };
        &mut item_mut(&mut self.coding, index).code
    }
}

/// Telecoms by `system` code (`phone`, `email`): the field maps `ContactPoint.value`.
impl BySystem for ContactPoint {
    type Value = FhirString;
    fn has_system(&self, system: &str) -> bool {
        self.system
            .as_ref()
            .and_then(|s| s.value())
            .is_some_and(|s| s.code() == system)
    }
    fn with_system(system: &str) -> Option<Self> {
        Some(ContactPoint {
            system: Some(Primitive::new(CodeEnum::from_code(system)?)),
            ..Default::default()
        })
    }
    fn value_of(&self, _: &str) -> Option<&Primitive<FhirString>> {
        self.value.as_ref()
    }
    fn value_mut(&mut self, _: &str) -> &mut Option<Primitive<FhirString>> {
        &mut self.value
    }
}

/// A single element selected by system (`Encounter.class` of one code system): given that
/// system when it has none yet. `None` when it already holds another system, or when
/// `system` is not a valid value.
pub fn with_system_mut<'a, T: BySystem + PartialEq>(
    node: &'a mut T,
    system: &str,
) -> Option<&'a mut T> {
    if !node.has_system(system) {
        if *node != T::default() {
            return None;
        }
        *node = T::with_system(system)?;
    }
    Some(node)
}
