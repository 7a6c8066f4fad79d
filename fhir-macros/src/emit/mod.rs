//! Token emission, one file per derive; `navigate` holds the path-walking code they share.

pub mod bundle;
pub mod extension;
pub mod fallback;
mod navigate;
pub mod resource;
