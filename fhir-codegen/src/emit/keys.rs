//! The JSON keys of a struct, each with what decoding it does. Decode and encode both walk
//! this list, so `valueString` / `_valueString` are spelled in one place.

use crate::ir::{Field, FieldKind, TypeDef, ValueType};

pub struct Key<'a> {
    pub json: String,
    pub field: &'a Field,
    pub action: Action<'a>,
}

pub enum Action<'a> {
    /// A plain value: complex, backbone, resource or attribute primitive.
    Value(&'a ValueType),
    /// The value of a primitive element.
    PrimitiveValue,
    /// The `_name` object of a primitive element.
    PrimitiveExt,
    ChoiceValue {
        choice: &'a str,
        variant: &'a str,
    },
    ChoicePrimitiveValue {
        choice: &'a str,
        variant: &'a str,
    },
    ChoicePrimitiveExt {
        choice: &'a str,
        variant: &'a str,
    },
}

pub fn is_extensible(ty: &ValueType) -> bool {
    matches!(
        ty,
        ValueType::Primitive {
            extensible: true,
            ..
        } | ValueType::Code(_)
    )
}

pub fn keys<'a>(def: &'a TypeDef, fields: &'a [Field]) -> Vec<Key<'a>> {
    let mut keys = Vec::new();
    for field in fields {
        match &field.kind {
            FieldKind::Value(ty) if is_extensible(ty) => {
                keys.push(Key {
                    json: field.json_name.clone(),
                    field,
                    action: Action::PrimitiveValue,
                });
                keys.push(Key {
                    json: format!("_{}", field.json_name),
                    field,
                    action: Action::PrimitiveExt,
                });
            }
            FieldKind::Value(ty) => keys.push(Key {
                json: field.json_name.clone(),
                field,
                action: Action::Value(ty),
            }),
            FieldKind::Choice(index) => {
                let choice = &def.choices[*index];
                for v in &choice.variants {
                    let json = format!("{}{}", field.json_name, v.suffix);
                    let (choice, variant) = (choice.name.as_str(), v.suffix.as_str());
                    if is_extensible(&v.ty) {
                        keys.push(Key {
                            json: format!("_{json}"),
                            field,
                            action: Action::ChoicePrimitiveExt { choice, variant },
                        });
                        keys.insert(
                            keys.len() - 1,
                            Key {
                                json,
                                field,
                                action: Action::ChoicePrimitiveValue { choice, variant },
                            },
                        );
                    } else {
                        keys.push(Key {
                            json,
                            field,
                            action: Action::ChoiceValue { choice, variant },
                        });
                    }
                }
            }
        }
    }
    keys
}
