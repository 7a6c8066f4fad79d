//! Definitions -> type space: one [`TypeDef`] per concrete datatype and resource.

use super::bindings::{CodeEnums, Terminology};
use super::names;
use super::*;
use crate::error::{Error, Result};
use crate::load::{BindingStrength, ElementDefinition, Loaded, Package, StructureDefinition};
use std::collections::BTreeMap;

const REFERENCE_PREFIX: &str = "http://hl7.org/fhir/StructureDefinition/";

/// Builds the type space from every concrete specialization (datatype or resource) of a package.
pub fn build_type_space(package: &Package) -> Result<TypeSpace> {
    let mut codes = CodeEnums::default();
    let mut datatypes = Vec::new();
    let mut resources = Vec::new();
    for loaded in package.structures.values() {
        let sd = &loaded.value;
        if sd.derivation.as_deref() != Some("specialization") || sd.is_abstract {
            continue;
        }
        let kind = match sd.kind.as_str() {
            "complex-type" => DefKind::Datatype,
            "resource" => DefKind::Resource,
            "primitive-type" => {
                check_primitive(loaded)?;
                continue;
            }
            _ => continue,
        };
        let def = DefBuilder {
            package,
            loaded,
            codes: &mut codes,
        }
        .build(kind)?;
        match kind {
            DefKind::Datatype => datatypes.push(def),
            DefKind::Resource => resources.push(def),
        }
    }
    datatypes.sort_by(|a, b| a.name.cmp(&b.name));
    resources.sort_by(|a, b| a.name.cmp(&b.name));
    let space = TypeSpace {
        package: package.id(),
        datatypes,
        resources,
        codes: codes.into_sorted(),
        profiles: Vec::new(),
    };
    check_names(&space)?;
    Ok(space)
}

fn check_primitive(loaded: &Loaded<StructureDefinition>) -> Result<()> {
    let sd = &loaded.value;
    match Primitive::from_code(&sd.type_name) {
        Some(_) => Ok(()),
        None => Err(Error::definition(
            &loaded.file,
            &sd.type_name,
            "unknown primitive type; the runtime has no value type for it",
        )),
    }
}

/// Struct names share one namespace across the whole model: fail loudly on a clash.
fn check_names(space: &TypeSpace) -> Result<()> {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    let defs = space.datatypes.iter().chain(&space.resources);
    let items = defs.flat_map(|d| {
        d.structs
            .iter()
            .map(|s| (s.name.as_str(), s.path.as_str()))
            .chain(d.choices.iter().map(|c| (c.name.as_str(), c.path.as_str())))
    });
    for (name, path) in items {
        if let Some(other) = seen.insert(name, path) {
            return Err(Error::definition(
                std::path::Path::new(&space.package),
                path,
                format!("Rust name {name} is also used for {other}"),
            ));
        }
    }
    Ok(())
}

struct DefBuilder<'a> {
    package: &'a Package,
    loaded: &'a Loaded<StructureDefinition>,
    codes: &'a mut CodeEnums,
}

impl DefBuilder<'_> {
    fn error(&self, element: &str, message: impl Into<String>) -> Error {
        Error::definition(&self.loaded.file, element, message)
    }

    fn build(mut self, kind: DefKind) -> Result<TypeDef> {
        let sd = &self.loaded.value;
        let elements = sd.elements();
        let root = elements
            .first()
            .ok_or_else(|| self.error(&sd.type_name, "no snapshot elements"))?;
        if root.path != sd.type_name {
            return Err(self.error(
                &root.path,
                format!("first snapshot element should be {}", sd.type_name),
            ));
        }
        // Structs in order of first appearance, each with its fields in definition order.
        let mut structs = vec![Struct {
            name: names::struct_name(&root.path),
            path: root.path.clone(),
            doc: doc(root),
            fields: Vec::new(),
            invariants: self.invariants(root)?,
        }];
        let mut choices = Vec::new();
        for element in &elements[1..] {
            if element.slice_name.is_some() || element.max.as_deref() == Some("0") {
                continue;
            }
            let (parent, json_name) = element
                .path
                .rsplit_once('.')
                .ok_or_else(|| self.error(&element.path, "element outside the root"))?;
            let owner = structs
                .iter()
                .position(|s| s.path == parent)
                .ok_or_else(|| {
                    self.error(
                        &element.path,
                        format!("parent {parent} is not a nested element"),
                    )
                })?;
            let invariants = self.invariants(element)?;
            let mut field = self.field(element, json_name, &structs[owner].name, &mut choices)?;
            if self.is_nested_struct(element) {
                structs.push(Struct {
                    name: names::struct_name(&element.path),
                    path: element.path.clone(),
                    doc: doc(element),
                    fields: Vec::new(),
                    invariants,
                });
            } else {
                field.invariants = invariants;
            }
            structs[owner].fields.push(field);
        }
        Ok(TypeDef {
            name: sd.type_name.clone(),
            url: sd.url.clone(),
            kind,
            category: sd
                .category()
                .map(|c| c.split('.').next().unwrap_or(c).to_lowercase()),
            structs,
            choices,
        })
    }

    fn invariants(&self, element: &ElementDefinition) -> Result<Vec<Invariant>> {
        super::invariants::from_constraints(&element.constraint)
            .map_err(|message| self.error(&element.path, message))
    }

    fn is_nested_struct(&self, element: &ElementDefinition) -> bool {
        element.content_reference.is_none()
            && matches!(element.types.as_slice(), [t] if t.code == "BackboneElement" || t.code == "Element")
    }

    fn field(
        &mut self,
        element: &ElementDefinition,
        json_name: &str,
        owner: &str,
        choices: &mut Vec<Choice>,
    ) -> Result<Field> {
        let many = match (element.max(), element.max.is_some()) {
            (Ok(Some(1)), _) => false,
            (Ok(_), true) => true,
            (Ok(_), false) => {
                return Err(self.error(&element.path, "no max cardinality"));
            }
            (Err(message), _) => return Err(self.error(&element.path, message)),
        };
        let binding = element.binding.as_ref().and_then(|b| {
            Some(BindingInfo {
                strength: b.strength,
                value_set: b.value_set.as_deref()?.split('|').next()?.to_owned(),
            })
        });
        let (json_name, kind) = if let Some(base) = json_name.strip_suffix("[x]") {
            let choice = self.choice(element, owner, base, binding.as_ref())?;
            choices.push(choice);
            (base.to_owned(), FieldKind::Choice(choices.len() - 1))
        } else {
            (
                json_name.to_owned(),
                FieldKind::Value(self.value_type(element, binding.as_ref())?),
            )
        };
        Ok(Field {
            rust_name: names::field_name(&json_name),
            json_name,
            min: element.min,
            many,
            kind,
            doc: doc(element),
            binding,
            is_modifier: element.is_modifier,
            is_summary: element.is_summary,
            invariants: Vec::new(),
        })
    }

    fn choice(
        &mut self,
        element: &ElementDefinition,
        owner: &str,
        base: &str,
        binding: Option<&BindingInfo>,
    ) -> Result<Choice> {
        if element.types.len() < 2 {
            // A `[x]` element with one type is still a choice in JSON (`valueString`).
            if element.types.is_empty() {
                return Err(self.error(&element.path, "choice element without types"));
            }
        }
        let mut variants = Vec::new();
        for t in &element.types {
            let ty = self.type_ref(element, t.fhir_type(), &t.target_profile, binding, true)?;
            variants.push(ChoiceVariant {
                suffix: names::upper_first(t.fhir_type()),
                ty,
            });
        }
        Ok(Choice {
            name: format!("{owner}{}", names::upper_first(base)),
            path: element.path.clone(),
            variants,
        })
    }

    fn value_type(
        &mut self,
        element: &ElementDefinition,
        binding: Option<&BindingInfo>,
    ) -> Result<ValueType> {
        if let Some(reference) = &element.content_reference {
            let target = reference.strip_prefix('#').ok_or_else(|| {
                self.error(
                    &element.path,
                    format!("unsupported contentReference {reference}"),
                )
            })?;
            if self.loaded.value.element(target).is_none() {
                return Err(self.error(
                    &element.path,
                    format!("contentReference {reference} names no element"),
                ));
            }
            return Ok(ValueType::Backbone(names::struct_name(target)));
        }
        if self.is_nested_struct(element) {
            return Ok(ValueType::Backbone(names::struct_name(&element.path)));
        }
        let [t] = element.types.as_slice() else {
            return Err(self.error(
                &element.path,
                format!("expected one type, found {}", element.types.len()),
            ));
        };
        // The spec types Resource.id as `id` (resource.html#id); the snapshot only says System.String.
        let code = if is_resource_id(element) {
            "id"
        } else {
            t.fhir_type()
        };
        let attribute = element.representation.iter().any(|r| r == "xmlAttr");
        let ty = self.type_ref(element, code, &t.target_profile, binding, false)?;
        Ok(match ty {
            ValueType::Primitive { ty, .. } if attribute => ValueType::Primitive {
                ty,
                extensible: false,
            },
            other => other,
        })
    }

    fn type_ref(
        &mut self,
        element: &ElementDefinition,
        code: &str,
        target_profiles: &[String],
        binding: Option<&BindingInfo>,
        in_choice: bool,
    ) -> Result<ValueType> {
        if code == "Resource" {
            return Ok(ValueType::Resource);
        }
        if let Some(ty) = Primitive::from_code(code) {
            if ty == Primitive::Code && !in_choice {
                if let Some(b) = binding.filter(|b| b.strength == BindingStrength::Required) {
                    if let Some(name) = self
                        .codes
                        .for_value_set(Terminology::core(self.package), &b.value_set)
                    {
                        return Ok(ValueType::Code(name));
                    }
                }
            }
            return Ok(ValueType::Primitive {
                ty,
                extensible: ty != Primitive::Xhtml,
            });
        }
        let url = format!("{REFERENCE_PREFIX}{code}");
        match self.package.structures.get(&url).map(|l| &l.value) {
            Some(sd) if sd.kind == "complex-type" && !sd.is_abstract => {}
            _ => return Err(self.error(&element.path, format!("unknown or abstract type {code}"))),
        }
        let mut targets = Vec::new();
        for profile in target_profiles {
            let name = profile.strip_prefix(REFERENCE_PREFIX).ok_or_else(|| {
                self.error(
                    &element.path,
                    format!("target profile {profile} is not a core type"),
                )
            })?;
            if name != "Resource" && !targets.iter().any(|t| t == name) {
                targets.push(name.to_owned());
            }
        }
        Ok(ValueType::Complex {
            name: code.to_owned(),
            targets,
        })
    }
}

fn is_resource_id(element: &ElementDefinition) -> bool {
    element
        .base
        .as_ref()
        .is_some_and(|b| b.path == "Resource.id")
}

fn doc(element: &ElementDefinition) -> Doc {
    Doc {
        short: element.short.clone().unwrap_or_default(),
        definition: element.definition.clone().unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_package;

    fn tiny() -> TypeSpace {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny");
        build_type_space(&load_package(&dir).unwrap()).unwrap()
    }

    #[test]
    fn backbone_elements_become_named_structs() {
        let space = tiny();
        let thing = space.resources.iter().find(|d| d.name == "Thing").unwrap();
        let names: Vec<_> = thing.structs.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Thing", "ThingPart"]);
        let part = thing
            .root()
            .fields
            .iter()
            .find(|f| f.json_name == "part")
            .unwrap();
        assert!(part.many);
        assert_eq!(
            part.kind_value(),
            Some(&ValueType::Backbone("ThingPart".into()))
        );
    }

    #[test]
    fn content_reference_points_at_the_referenced_struct() {
        let space = tiny();
        let thing = space.resources.iter().find(|d| d.name == "Thing").unwrap();
        let nested = thing.structs[1]
            .fields
            .iter()
            .find(|f| f.json_name == "part")
            .unwrap();
        assert_eq!(
            nested.kind_value(),
            Some(&ValueType::Backbone("ThingPart".into()))
        );
    }

    #[test]
    fn choice_elements_collect_their_types() {
        let space = tiny();
        let thing = space.resources.iter().find(|d| d.name == "Thing").unwrap();
        let choice = &thing.choices[0];
        assert_eq!(choice.name, "ThingValue");
        let suffixes: Vec<_> = choice.variants.iter().map(|v| v.suffix.as_str()).collect();
        assert_eq!(suffixes, ["String", "DateTime", "Reference"]);
    }

    #[test]
    fn required_code_binding_becomes_an_enum() {
        let space = tiny();
        let thing = space.resources.iter().find(|d| d.name == "Thing").unwrap();
        let status = &thing
            .root()
            .fields
            .iter()
            .find(|f| f.json_name == "status")
            .unwrap();
        assert_eq!(
            status.kind_value(),
            Some(&ValueType::Code("ThingStatus".into()))
        );
        assert_eq!(status.min, 1);
        let codes: Vec<_> = space.codes[0]
            .variants
            .iter()
            .map(|v| v.rust_name.as_str())
            .collect();
        assert_eq!(codes, ["Active", "EnteredInError"]);
    }

    #[test]
    fn reference_targets_come_from_target_profiles() {
        let space = tiny();
        let thing = space.resources.iter().find(|d| d.name == "Thing").unwrap();
        let subject = thing
            .root()
            .fields
            .iter()
            .find(|f| f.json_name == "subject")
            .unwrap();
        assert_eq!(
            subject.kind_value(),
            Some(&ValueType::Complex {
                name: "Reference".into(),
                targets: vec!["Patient".into(), "Group".into()]
            })
        );
    }

    #[test]
    fn resource_id_is_an_extensible_id_and_element_id_an_attribute() {
        let space = tiny();
        let thing = space.resources.iter().find(|d| d.name == "Thing").unwrap();
        let id = &thing.root().fields[0];
        assert_eq!(
            id.kind_value(),
            Some(&ValueType::Primitive {
                ty: Primitive::Id,
                extensible: true
            })
        );
        let part_id = &thing.structs[1].fields[0];
        assert_eq!(
            part_id.kind_value(),
            Some(&ValueType::Primitive {
                ty: Primitive::String,
                extensible: false
            })
        );
    }

    #[test]
    fn an_unknown_type_is_an_error_naming_file_and_path() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny");
        let mut package = load_package(&dir).unwrap();
        let thing = package
            .structures
            .get_mut("http://example.org/StructureDefinition/Thing")
            .unwrap();
        let elements = &mut thing.value.snapshot.as_mut().unwrap().element;
        let subject = elements
            .iter_mut()
            .find(|e| e.path == "Thing.subject")
            .unwrap();
        subject.types[0].code = "Refrence".into();
        let err = build_type_space(&package).unwrap_err().to_string();
        assert!(
            err.contains(
                "StructureDefinition-Thing.json: Thing.subject: unknown or abstract type Refrence"
            ),
            "{err}"
        );
    }
}
