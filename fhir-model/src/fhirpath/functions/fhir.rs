//! Type functions, utility functions (`trace`, `now`, `today`, `timeOfDay`) and the FHIR
//! additions: `extension`, `hasValue`, `getValue`, `resolve`, `htmlChecks`, `memberOf`,
//! `conformsTo`.

use super::builtin::{Builtin, Builtin as F};
use super::{boolean, opt, value, Call};
use crate::fhirpath::eval::Result;
use crate::fhirpath::reflect::Reflect;
use crate::fhirpath::temporal::{Kind, Precision, Temporal};
use crate::fhirpath::types;
use crate::fhirpath::value::{Collection, Item, Value};

pub fn call<'a>(call: &Call<'_, '_, 'a>, f: Builtin) -> Result<Option<Collection<'a>>> {
    let focus = &call.focus;
    Ok(Some(match f {
        F::Is | F::As if !(f == F::As && call.ev.ctx.lenient) => {
            call.arity(1, 1)?;
            let ty = type_arg(call)?;
            call.ev.type_op(f == F::Is, focus.clone(), &ty, call.pos)?
        }
        // Lenient: `as()` filters the focus item by item, as the HL7 validator does and the
        // core definitions rely on (dom-3: `%resource.descendants().as(uri)`); strictly (the
        // suite's testFHIRPathAsFunction21) several items are an error.
        F::As => {
            call.arity(1, 1)?;
            let ty = type_arg(call)?;
            types::check_known(&ty).map_err(|m| call.error(m))?;
            focus
                .iter()
                .filter(|i| types::is_exactly(i, &ty))
                .cloned()
                .collect()
        }
        F::OfType => {
            call.arity(1, 1)?;
            let ty = type_arg(call)?;
            types::check_known(&ty).map_err(|m| call.error(m))?;
            focus
                .iter()
                .filter(|i| types::is_exactly(i, &ty))
                .cloned()
                .collect()
        }
        F::Type => {
            call.arity(0, 0)?;
            focus
                .iter()
                .map(|i| Item::Value(types::type_of(i)))
                .collect()
        }
        F::Trace => {
            call.arity(1, 2)?;
            let name = call.arg_string(0)?.unwrap_or_default();
            if let Some(sink) = &call.ev.ctx.trace {
                if call.args.len() == 2 {
                    let mut shown = Vec::new();
                    for (i, item) in focus.iter().enumerate() {
                        shown.extend(call.lambda(1, item, i)?);
                    }
                    sink(&name, &shown);
                } else {
                    sink(&name, focus);
                }
            }
            focus.clone()
        }
        F::Now | F::Today | F::TimeOfDay => {
            call.arity(0, 0)?;
            let mut t = now();
            match f {
                F::Today => {
                    t.kind = Kind::Date;
                    t.precision = Precision::Day;
                    t.offset = None;
                }
                F::TimeOfDay => {
                    t.kind = Kind::Time;
                    t.offset = None;
                }
                _ => {}
            }
            value(Value::Temporal(t))
        }
        F::Extension => {
            call.arity(1, 1)?;
            let Some(url) = call.arg_string(0)? else {
                return Ok(Some(Vec::new()));
            };
            let mut out = Vec::new();
            for item in focus {
                let mut extensions = Vec::new();
                item.children("extension", &mut extensions);
                for ext in extensions {
                    let mut urls = Vec::new();
                    ext.children("url", &mut urls);
                    if urls.first().and_then(|u| u.str()) == Some(url.as_str()) {
                        out.push(ext);
                    }
                }
            }
            out
        }
        F::HasValue => {
            call.arity(0, 0)?;
            boolean(
                focus.len() == 1 && matches!(&focus[0], Item::Node(n) if n.primitive().is_some()),
            )
        }
        F::GetValue => {
            call.arity(0, 0)?;
            match focus.as_slice() {
                [Item::Node(n)] if n.primitive().is_some() => focus.clone(),
                _ => Vec::new(),
            }
        }
        F::Resolve => {
            call.arity(0, 0)?;
            let mut out = Vec::new();
            for item in focus {
                if let Some(target) = resolve(call, item) {
                    out.push(Item::Node(target));
                }
            }
            out
        }
        F::HtmlChecks => {
            call.arity(0, 0)?;
            match focus.first().and_then(|i| i.str()) {
                Some(html) => boolean(crate::validate::rules::html_ok(html)),
                None => Vec::new(),
            }
        }
        F::MemberOf => {
            call.arity(1, 1)?;
            let Some(url) = call.arg_string(0)? else {
                return Ok(Some(Vec::new()));
            };
            let url = url.split('|').next().unwrap_or_default().to_owned();
            let Some(item) = focus.first() else {
                return Ok(Some(Vec::new()));
            };
            let mut codes = Vec::new();
            collect_codes(item, &mut codes);
            let mut result = None;
            for code in codes {
                match crate::codes::member_of(&url, &code) {
                    Some(true) => {
                        result = Some(true);
                        break;
                    }
                    Some(false) => result = Some(false),
                    None => {}
                }
            }
            opt(result.map(Value::Boolean))
        }
        F::ConformsTo => {
            call.arity(1, 1)?;
            let Some(url) = call.arg_string(0)? else {
                return Ok(Some(Vec::new()));
            };
            let Some(item) = focus.first() else {
                return Ok(Some(Vec::new()));
            };
            boolean(conforms_to(call, item, &url)?)
        }
        _ => return Ok(None),
    }))
}

/// The argument of `is()`, `as()`, `ofType()`: a type name, not an expression.
fn type_arg(call: &Call<'_, '_, '_>) -> Result<crate::fhirpath::ast::TypeSpec> {
    call.args[0]
        .as_type_spec()
        .ok_or_else(|| call.error("the argument must be a type name"))
}

/// The current time in UTC, millisecond precision.
fn now() -> Temporal {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    let t = Temporal::parse_date_time("1970-01-01T00:00:00.000Z", Kind::DateTime)
        .expect("epoch parses");
    t.add(ms, "millisecond").unwrap_or(t)
}

/// Codes of a `code`/`string`, a Coding or a CodeableConcept.
fn collect_codes(item: &Item<'_>, out: &mut Vec<String>) {
    if let Some(s) = item.str() {
        out.push(s.to_owned());
        return;
    }
    let mut children = Vec::new();
    match item.type_name() {
        "Coding" => item.children("code", &mut children),
        "CodeableConcept" => {
            let mut codings = Vec::new();
            item.children("coding", &mut codings);
            for c in &codings {
                c.children("code", &mut children);
            }
        }
        _ => {}
    }
    out.extend(children.iter().filter_map(|c| c.str().map(str::to_owned)));
}

#[cfg(feature = "bundle")]
fn same(a: &dyn Reflect, b: &dyn Reflect) -> bool {
    std::ptr::eq(
        a as *const dyn Reflect as *const (),
        b as *const dyn Reflect as *const (),
    )
}

/// `resolve()`: a contained resource (`#id`) of `%resource` or `%rootResource`, or, when the
/// root is a Bundle, the entry the Bundle's own resolution rules find.
fn resolve<'a>(call: &Call<'_, '_, 'a>, item: &Item<'a>) -> Option<&'a dyn Reflect> {
    let text: String = match item {
        Item::Node(n) if n.fhir_type() == "Reference" => {
            let mut r = Vec::new();
            item.children("reference", &mut r);
            r.first()?.str()?.to_owned()
        }
        other => other.str()?.to_owned(),
    };
    let ctx = call.ev.ctx;
    if let Some(id) = text.strip_prefix('#') {
        for holder in [ctx.resource, ctx.root_resource].into_iter().flatten() {
            let mut contained = Vec::new();
            Item::Node(holder).children("contained", &mut contained);
            for c in contained {
                let mut ids = Vec::new();
                c.children("id", &mut ids);
                if ids.first().and_then(|i| i.str()) == Some(id) {
                    if let Item::Node(n) = c {
                        return Some(n);
                    }
                }
            }
        }
        return None;
    }
    resolve_in_bundle(call, item, &text)
}

#[cfg(feature = "bundle")]
fn resolve_in_bundle<'a>(
    call: &Call<'_, '_, 'a>,
    item: &Item<'a>,
    text: &str,
) -> Option<&'a dyn Reflect> {
    use crate::resources::Bundle;
    let ctx = call.ev.ctx;
    let root = ctx.root_resource?;
    let bundle: &'a Bundle = match root.as_any().downcast_ref::<crate::Resource>() {
        Some(crate::Resource::Bundle(b)) => b,
        _ => root.as_any().downcast_ref::<Bundle>()?,
    };
    let owned;
    let reference = match item {
        Item::Node(n) => match n.as_any().downcast_ref::<crate::datatypes::Reference>() {
            Some(r) => r,
            None => {
                owned = crate::datatypes::Reference::to_literal(text).ok()?;
                &owned
            }
        },
        Item::Value(_) => {
            owned = crate::datatypes::Reference::to_literal(text).ok()?;
            &owned
        }
    };
    // The referencing entry: the one whose resource is `%resource`.
    let from = ctx.resource.and_then(|r| {
        bundle.entry.iter().position(|e| {
            e.resource
                .as_ref()
                .is_some_and(|res| same(res, r) || same(res.as_reflect(), r))
        })
    });
    let index = crate::bundle::BundleIndex::new(bundle).resolve(reference, from)?;
    let resource: &'a crate::Resource = bundle.entry[index].resource.as_ref()?;
    Some(resource)
}

#[cfg(not(feature = "bundle"))]
fn resolve_in_bundle<'a>(
    _call: &Call<'_, '_, 'a>,
    _item: &Item<'a>,
    _text: &str,
) -> Option<&'a dyn Reflect> {
    None
}

/// `conformsTo(url)`: a core StructureDefinition URL checks the type; a profile of a
/// generated package (US Core) runs the profile validator on the resource.
fn conforms_to(call: &Call<'_, '_, '_>, item: &Item<'_>, url: &str) -> Result<bool> {
    if let Some(name) = url.strip_prefix("http://hl7.org/fhir/StructureDefinition/") {
        let spec = crate::fhirpath::ast::TypeSpec {
            namespace: Some("FHIR".into()),
            name: name.to_owned(),
        };
        if types::check_known(&spec).is_ok() {
            return Ok(types::is(item, &spec));
        }
    }
    #[cfg(feature = "us_core")]
    {
        let url = url.split('|').next().unwrap_or_default();
        if let Some(profile) = crate::us_core::DEFINITIONS.iter().find(|p| p.url == url) {
            let Item::Node(n) = item else {
                return Ok(false);
            };
            let Some(resource) = n.as_any().downcast_ref::<crate::Resource>() else {
                return Err(call.error("needs a resource"));
            };
            if resource.resource_type() != profile.base {
                return Ok(false);
            }
            let issues = crate::profile::validate(resource, profile);
            return Ok(!issues
                .iter()
                .any(|i| i.severity == crate::validate::Severity::Error));
        }
    }
    Err(call.error(format!("unknown profile {url}")))
}
