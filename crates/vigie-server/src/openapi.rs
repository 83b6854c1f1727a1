//! The OpenAPI 3.1 document, derived from the handlers and the types they answer with.

use crate::{api, ingest};
use std::sync::OnceLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
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
    modifiers(&TokenScheme, &CommonAnswers),
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

/// Completes every operation: a description for each answer (the status's reason when the
/// handler gave none), and the answers any request may get from the guards and the store.
struct CommonAnswers;

impl Modify for CommonAnswers {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let error = || {
            ResponseBuilder::new().content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
        };
        let common = [
            ("421", "The request named a host other than localhost while the server listens on loopback"),
            ("429", "Too many requests from this address (see `Retry-After`)"),
            ("500", "The store failed"),
        ];
        for item in doc.paths.paths.values_mut() {
            for op in [&mut item.get, &mut item.post].into_iter().flatten() {
                let answers = &mut op.responses.responses;
                for (code, text) in common {
                    answers
                        .entry(code.to_string())
                        .or_insert_with(|| error().description(text).build().into());
                }
                for (code, answer) in answers.iter_mut() {
                    if let RefOr::T(r) = answer {
                        if r.description.is_empty() {
                            r.description = reason(code).to_string();
                        }
                    }
                }
            }
        }
    }
}

fn reason(code: &str) -> &'static str {
    code.parse::<u16>()
        .ok()
        .and_then(|c| axum::http::StatusCode::from_u16(c).ok())
        .and_then(|c| c.canonical_reason())
        .unwrap_or("Answer")
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
