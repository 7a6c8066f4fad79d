//! A typed extension: a wrapper that owns the `Extension` and reads and writes its values in
//! place, so that everything it does not know about (ids, unknown sub-extensions, their order)
//! survives a round trip.

use super::values::access;
use crate::emit::docs;
use crate::emit::root::Root;
use crate::emit::types::ident;
use crate::ir::profile::{ExtensionDef, ExtensionShape, SubExtension};
use crate::ir::TypeSpace;
use proc_macro2::TokenStream;
use quote::quote;

pub fn extension_type(space: &TypeSpace, def: &ExtensionDef, root: Root) -> TokenStream {
    let c = &def.common;
    let krate = root.path();
    let validate_doc = format!(
        " Checks the extension against its definition (see [`{}::profile::validate`]).",
        root.doc()
    );
    let name = ident(&c.rust_name);
    let table = ident(&c.table);
    let url = &c.url;
    let mut doc = vec![docs::escape(&c.title), String::new()];
    doc.extend(docs::paragraph(&c.description));
    doc.push(String::new());
    doc.push(format!(
        "Extension definition `{}` (<{url}>); its table is [`{}`].",
        c.id, c.table
    ));
    let doc = docs::attrs(&doc);
    let accessors = match &def.shape {
        ExtensionShape::Simple(value) => {
            let a = access(space, &value.types);
            let (rust, read, write) = (&a.rust, &a.read, &a.write);
            let facts = format!(
                " `value[x]`: {} · `{}..1`",
                value.types.join(" | "),
                value.min
            );
            quote! {
                /// The value.
                #[doc = ""]
                #[doc = #facts]
                pub fn value(&self) -> Option<&#rust> {
                    self.extension.value.as_ref().and_then(#read)
                }
                /// Sets the value (`None` removes it).
                pub fn set_value(&mut self, value: Option<#rust>) {
                    self.extension.value = value.map(#write);
                }
            }
        }
        ExtensionShape::Complex(parts) => {
            let parts = parts.iter().filter_map(|p| sub_accessors(space, p));
            quote!(#(#parts)*)
        }
    };
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq)]
        pub struct #name {
            extension: Extension,
        }

        impl #name {
            /// The extension's canonical URL.
            pub const URL: &'static str = #url;

            /// An extension with only its URL.
            pub fn new() -> Self {
                #name { extension: extension::new(Self::URL) }
            }

            /// Wraps an extension with this URL; gives it back unchanged otherwise.
            pub fn from_extension(extension: Extension) -> Result<Self, Extension> {
                if extension::has_url(&extension, Self::URL) {
                    Ok(#name { extension })
                } else {
                    Err(extension)
                }
            }

            /// The extension, exactly as read or as changed by the setters.
            pub fn as_extension(&self) -> &Extension {
                &self.extension
            }

            /// The extension, for writing back.
            pub fn into_extension(self) -> Extension {
                self.extension
            }

            #[doc = #validate_doc]
            pub fn validate(&self) -> Vec<#krate::validate::Issue> {
                #krate::profile::validate(&self.extension, &#table)
            }

            #accessors
        }

        impl Default for #name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl From<#name> for Extension {
            fn from(value: #name) -> Extension {
                value.extension
            }
        }

        impl TryFrom<Extension> for #name {
            type Error = Extension;
            fn try_from(extension: Extension) -> Result<Self, Extension> {
                Self::from_extension(extension)
            }
        }
    }
}

fn sub_accessors(space: &TypeSpace, part: &SubExtension) -> Option<TokenStream> {
    let value = part.value.as_ref()?;
    let a = access(space, &value.types);
    let (rust, read, write) = (&a.rust, &a.read, &a.write);
    let url = &part.url;
    let getter = ident(&part.accessor);
    let setter = ident(&format!("set_{}", part.accessor.trim_end_matches('_')));
    let max = part.max.map_or("*".to_owned(), |m| m.to_string());
    let short = format!(" {}", docs::escape(&part.short));
    let facts = format!(
        " Slice `{}`: sub-extension `{url}` · `{}..{max}` · {}",
        part.name,
        part.min,
        value.types.join(" | ")
    );
    Some(if part.max == Some(1) {
        quote! {
            #[doc = #short]
            #[doc = ""]
            #[doc = #facts]
            pub fn #getter(&self) -> Option<&#rust> {
                extension::values(&self.extension.extension, #url).find_map(#read)
            }
            /// Sets the sub-extension in place (`None` removes it); others are untouched.
            pub fn #setter(&mut self, value: Option<#rust>) {
                let values = value.into_iter().map(#write).collect();
                extension::set_values(&mut self.extension.extension, #url, values);
            }
        }
    } else {
        quote! {
            #[doc = #short]
            #[doc = ""]
            #[doc = #facts]
            pub fn #getter(&self) -> Vec<&#rust> {
                extension::values(&self.extension.extension, #url).filter_map(#read).collect()
            }
            /// Sets these sub-extensions, in place where they were; others are untouched.
            pub fn #setter(&mut self, values: Vec<#rust>) {
                let values = values.into_iter().map(#write).collect();
                extension::set_values(&mut self.extension.extension, #url, values);
            }
        }
    })
}
