//! The OpenAPI 3.1 document, derived from the handlers and the types they answer with.

use crate::{api, ingest};
use std::sync::OnceLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Vigie API",
        description = "Who said what, about whom, with which stance, pushing which narrative, copied where and when: queries over a Vigie corpus store. Offsets are Unicode code points into the document text. Errors answer `{\"error\": message}`.",
        license(name = "Apache-2.0")
    ),
    paths(
        api::stats,
        api::search,
        api::document,
        api::quotes,
        api::trends,
        api::reprints,
        api::actors,
        api::speakers,
        api::narratives,
        api::outlets,
        api::network,
        api::openapi,
        ingest::post_documents,
    ),
    modifiers(&TokenScheme),
    tags(
        (name = "corpus", description = "Search, documents, quotes, trends, reprints and the actor network"),
        (name = "facets", description = "The values of each facet with their document counts"),
        (name = "ingest", description = "Adding documents (needs the server's token)"),
        (name = "meta", description = "This document")
    )
)]
struct ApiDoc;

/// Declares the bearer token that write endpoints need.
struct TokenScheme;

impl Modify for TokenScheme {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The OpenAPI document as JSON (built once).
pub fn openapi_json() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc = ApiDoc::openapi();
        doc.info.version = env!("CARGO_PKG_VERSION").to_string();
        doc.to_pretty_json()
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    })
}
