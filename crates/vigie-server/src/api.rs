//! The JSON API: one read endpoint per corpus query, validated parameters, JSON errors.

use crate::pool::{Cache, Cost, QueryError};
use crate::AppState;
use axum::extract::{ConnectInfo, FromRequestParts, Path, State};
use axum::http::{header, request::Parts, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};
use vigie_core::PartialDate;
use vigie_store::browse::{FacetList, Network};
use vigie_store::reprints::{Cluster, ReprintOptions};
use vigie_store::{
    DocView, Facet, Filters, Interval, QuoteHit, QuoteQuery, SearchResults, Store, Trends,
};

/// The API's routes.
pub(crate) fn routes(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/api/stats", get(stats))
        .route("/api/search", get(search))
        .route(
            "/api/documents",
            axum::routing::post(crate::ingest::post_documents),
        )
        .route("/api/documents/{id}", get(document))
        .route("/api/quotes", get(quotes))
        .route("/api/trends", get(trends))
        .route("/api/reprints", get(reprints))
        .route("/api/actors", get(actors))
        .route("/api/speakers", get(speakers))
        .route("/api/narratives", get(narratives))
        .route("/api/outlets", get(outlets))
        .route("/api/network", get(network))
        .route("/api/openapi.json", get(openapi))
        .fallback(not_found)
        .with_state(state)
}

/// An error answer: a status and `{"error": message}`.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

/// The body of every error answer.
#[derive(Serialize, ToSchema)]
pub(crate) struct ErrorBody {
    /// What went wrong, for a person to read.
    error: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    pub fn bad(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            eprintln!("vigie serve: {} {}", self.status, self.message);
        }
        let body = serde_json::to_vec(&ErrorBody {
            error: self.message,
        })
        .unwrap_or_default();
        (
            self.status,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response()
    }
}

impl From<QueryError> for ApiError {
    fn from(e: QueryError) -> Self {
        match e {
            QueryError::Bad(m) => ApiError::bad(m),
            QueryError::Store(e) if e.is_invalid() => ApiError::bad(e.to_string()),
            QueryError::Store(e) => {
                // The details (paths included) go to the server's log, not to the client.
                eprintln!("vigie serve: store error: {e}");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the store failed (see the server's log)",
                )
            }
        }
    }
}

/// A JSON answer serialised on the blocking thread that computed it.
pub(crate) fn json_response<T: Serialize>(value: &T) -> Result<Response, QueryError> {
    let body = serde_json::to_vec(value)
        .map_err(|e| QueryError::Store(vigie_store::Error::msg(format!("json: {e}"))))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

type ApiResult = Result<Response, ApiError>;

/// Query-string parameters, parsed with repeated keys (`actor=RU&actor=FR`) and rejected with a
/// 400 and a message when malformed.
pub(crate) struct Q<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Q<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let q = parts.uri.query().unwrap_or("");
        // An empty value is refused rather than read as "unset" (`limit=` is not a limit), but
        // for the search words, where empty means every document.
        if let Some(key) = q
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
            .find(|(k, v)| v.is_empty() && *k != "q")
            .map(|(k, _)| k)
        {
            return Err(ApiError::bad(format!(
                "parameter {key:?} has no value: give one or leave it out"
            )));
        }
        serde_html_form::from_str(q)
            .map(Q)
            .map_err(|e| ApiError::bad(format!("invalid query parameters: {e}")))
    }
}

/// The client's address: the unit of the per-client shares of the query lanes.
pub(crate) struct Client(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Client(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip()),
        ))
    }
}

/// An aggregate (reprint clusters, a facet's values, the network) cached for the store's
/// revision: looked up in the cheap lane, so that a cached answer never waits behind a
/// computation; on a miss, computed in the costly lane, once for every caller asking
/// meanwhile ([`Cache::get_or`]).
async fn aggregate<T: Send + Sync + 'static>(
    st: &Arc<AppState>,
    client: IpAddr,
    cache: fn(&AppState) -> &Cache,
    key: String,
    compute: impl FnOnce(&Store) -> Result<T, QueryError> + Send + 'static,
    render: impl Fn(&T) -> Result<Response, QueryError> + Send + Sync + 'static,
) -> ApiResult {
    let render = Arc::new(render);
    let (state, k, r) = (st.clone(), key.clone(), render.clone());
    let hit = st
        .pool
        .run(Cost::Cheap, client, move |s| {
            cache(&state).peek::<T>(s, &k)?.map(|v| r(&v)).transpose()
        })
        .await?;
    if let Some(res) = hit {
        return Ok(res);
    }
    let state = st.clone();
    Ok(st
        .pool
        .run(Cost::Costly, client, move |s| {
            let v = cache(&state).get_or(s, key, || compute(s))?;
            render(&v)
        })
        .await?)
}

/// Checks that `v` lies in `lo..=hi`.
fn in_range<T: PartialOrd + std::fmt::Display + Copy>(
    name: &str,
    v: T,
    lo: T,
    hi: T,
) -> Result<T, ApiError> {
    if v < lo || v > hi {
        return Err(ApiError::bad(format!(
            "{name} must be between {lo} and {hi} (got {v})"
        )));
    }
    Ok(v)
}

/// Longest search query or filter value accepted, in bytes: the store's cap, the command
/// line's too.
const MAX_TEXT: usize = vigie_store::MAX_QUERY_BYTES;

/// Values accepted per filter list.
const MAX_VALUES: usize = 50;

fn text_param(name: &str, v: &str) -> Result<(), ApiError> {
    if v.len() > MAX_TEXT {
        return Err(ApiError::bad(format!(
            "{name} is too long ({} bytes, at most {MAX_TEXT})",
            v.len()
        )));
    }
    Ok(())
}

fn date_param(name: &str, v: &Option<String>) -> Result<Option<PartialDate>, ApiError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| {
            ApiError::bad(format!(
                "{name}: {s:?} is not a date (use 2022, 2022-08 or 2022-08-14)"
            ))
        }),
    }
}

/// Document filters shared by search, quotes, trends and the network. Each list is an OR of
/// its values; lists are ANDed. Values are facet keys (`country:RU`) or names (`Russie`).
#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub(crate) struct FilterParams {
    /// Documents dated on or after this date (`2022`, `2022-08` or `2022-08-14`; the server
    /// also reads `2022/08/14`, `14/08/2022` and RFC 3339 timestamps).
    #[param(example = "2016-01", pattern = r"^\d{4}(-\d{2}(-\d{2})?)?$")]
    from: Option<String>,
    /// Documents dated on or before this date (`2022-08` includes the whole month).
    #[param(example = "2022-08", pattern = r"^\d{4}(-\d{2}(-\d{2})?)?$")]
    to: Option<String>,
    /// Language codes (`fr`).
    #[serde(default)]
    lang: Vec<String>,
    /// Publishing outlets.
    #[serde(default)]
    outlet: Vec<String>,
    /// State affiliation of the publisher or a credited outlet (`state-controlled`).
    #[serde(default)]
    affiliation: Vec<String>,
    /// Actors mentioned (`country:RU`, `RU` or `Russie`).
    #[serde(default)]
    actor: Vec<String>,
}

/// Document filters on who is quoted and what is carried (search, trends and the network;
/// the quote search has its own `speaker` and `narrative`).
#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub(crate) struct PartyParams {
    /// Speakers quoted.
    #[serde(default)]
    speaker: Vec<String>,
    /// Narratives carried.
    #[serde(default)]
    narrative: Vec<String>,
}

impl FilterParams {
    /// The store's filters, with the speaker and narrative filters of `party` if given.
    fn filters(self, party: Option<PartyParams>) -> Result<Filters, ApiError> {
        let party = party.unwrap_or_default();
        let from = date_param("from", &self.from)?;
        let to = date_param("to", &self.to)?;
        if let (Some(a), Some(b)) = (from, to) {
            if a.first_day() > b.last_day() {
                return Err(ApiError::bad("from is after to"));
            }
        }
        let f = Filters {
            from,
            to,
            lang: self.lang,
            outlet: self.outlet,
            affiliation: self.affiliation,
            actor: self.actor,
            speaker: party.speaker,
            narrative: party.narrative,
        };
        for (name, list) in [
            ("lang", &f.lang),
            ("outlet", &f.outlet),
            ("affiliation", &f.affiliation),
            ("actor", &f.actor),
            ("speaker", &f.speaker),
            ("narrative", &f.narrative),
        ] {
            if list.len() > MAX_VALUES {
                return Err(ApiError::bad(format!(
                    "{name}: at most {MAX_VALUES} values"
                )));
            }
            for v in list {
                text_param(name, v)?;
            }
        }
        Ok(f)
    }
}

/// Store counts.
#[derive(Serialize, ToSchema)]
pub(crate) struct StoreStats {
    /// Documents (latest versions).
    documents: i64,
    /// Stored versions.
    versions: i64,
    /// Store revision: grows with every write.
    revision: i64,
    /// Vigie version.
    version: String,
}

/// Counts of the store.
#[utoipa::path(get, path = "/api/stats", tag = "corpus",
    responses((status = 200, body = StoreStats)))]
pub(crate) async fn stats(State(st): State<Arc<AppState>>, Client(ip): Client) -> ApiResult {
    Ok(st
        .pool
        .run(Cost::Cheap, ip, |s| {
            let (documents, versions) = s.counts()?;
            json_response(&StoreStats {
                documents,
                versions,
                revision: s.revision()?,
                version: env!("CARGO_PKG_VERSION").to_string(),
            })
        })
        .await?)
}

/// Search parameters.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct SearchParams {
    /// Words to find (French and English stemming; `"exact phrase"`, `-word`, `a OR b`). Empty:
    /// every document, filters only.
    #[serde(default)]
    q: String,
    /// Results per page.
    #[param(minimum = 1, maximum = 100)]
    limit: Option<usize>,
    /// Results skipped (paging).
    #[param(minimum = 0, maximum = 10000)]
    offset: Option<usize>,
}

/// A page of search results.
#[derive(Serialize, ToSchema)]
pub(crate) struct SearchPage {
    /// Results skipped.
    offset: usize,
    /// Page size.
    limit: usize,
    #[serde(flatten)]
    results: SearchResults,
}

/// Full-text search with filters, ranked by relevance, with snippets and facet counts.
#[utoipa::path(get, path = "/api/search", tag = "corpus", params(SearchParams, FilterParams, PartyParams),
    responses((status = 200, body = SearchPage), (status = 400, body = ErrorBody)))]
pub(crate) async fn search(
    State(st): State<Arc<AppState>>,
    Client(ip): Client,
    Q(p): Q<SearchParams>,
    Q(f): Q<FilterParams>,
    Q(party): Q<PartyParams>,
) -> ApiResult {
    text_param("q", &p.q)?;
    let limit = in_range("limit", p.limit.unwrap_or(20), 1, 100)?;
    let offset = in_range("offset", p.offset.unwrap_or(0), 0, 10_000)?;
    let filters = f.filters(Some(party))?;
    Ok(st
        .pool
        .run(Cost::Cheap, ip, move |s| {
            let results = s.search(&p.q, &filters, limit, offset)?;
            json_response(&SearchPage {
                offset,
                limit,
                results,
            })
        })
        .await?)
}

/// Which version of a document.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct VersionParams {
    /// A stored version (1 is the first ingested); the latest when absent.
    #[param(minimum = 1)]
    version: Option<i64>,
}

/// One document with every layer of its analysis and its stored versions.
#[utoipa::path(get, path = "/api/documents/{id}", tag = "corpus",
    params(("id" = String, Path, description = "Document id"), VersionParams),
    responses((status = 200, body = DocView), (status = 404, body = ErrorBody),
        (status = 400, body = ErrorBody)))]
pub(crate) async fn document(
    State(st): State<Arc<AppState>>,
    Client(ip): Client,
    Path(id): Path<String>,
    Q(p): Q<VersionParams>,
) -> ApiResult {
    text_param("id", &id)?;
    if let Some(v) = p.version {
        in_range("version", v, 1, i64::MAX)?;
    }
    let id2 = id.clone();
    let found = st
        .pool
        .run(Cost::Cheap, ip, move |s| {
            s.show(&id2, p.version)?
                .map(|view| json_response(&view))
                .transpose()
        })
        .await?;
    found.ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            match p.version {
                Some(v) => format!("no version {v} of document {id:?}"),
                None => format!("no document {id:?}"),
            },
        )
    })
}

/// Quote search parameters.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct QuoteParams {
    /// Speaker: an actor (`person:sadio-camara`) or a name (a part of it matches when nothing
    /// matches exactly).
    speaker: Option<String>,
    /// An actor mentioned inside the quote.
    about: Option<String>,
    /// A narrative whose evidence lies inside the quote.
    narrative: Option<String>,
    /// Quotes per page.
    #[param(minimum = 1, maximum = 500)]
    limit: Option<usize>,
    /// Quotes skipped (paging).
    #[param(minimum = 0, maximum = 10000)]
    offset: Option<usize>,
}

/// A page of quotes, newest first.
#[derive(Serialize, ToSchema)]
pub(crate) struct QuotesPage {
    /// Quotes skipped.
    offset: usize,
    /// Page size.
    limit: usize,
    /// The quotes, with their speaker, document, date and outlet.
    quotes: Vec<QuoteHit>,
    /// Parameter values that matched nothing in the store.
    unknown: Vec<String>,
}

/// Quotes by speaker, about an actor, or carrying a narrative, newest first.
#[utoipa::path(get, path = "/api/quotes", tag = "corpus", params(QuoteParams, FilterParams),
    responses((status = 200, body = QuotesPage), (status = 400, body = ErrorBody)))]
pub(crate) async fn quotes(
    State(st): State<Arc<AppState>>,
    Client(ip): Client,
    Q(p): Q<QuoteParams>,
    Q(f): Q<FilterParams>,
) -> ApiResult {
    let limit = in_range("limit", p.limit.unwrap_or(50), 1, 500)?;
    let offset = in_range("offset", p.offset.unwrap_or(0), 0, 10_000)?;
    let blank = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let q = QuoteQuery {
        speaker: blank(p.speaker),
        about: blank(p.about),
        narrative: blank(p.narrative),
        filters: f.filters(None)?,
        limit,
        offset,
    };
    for v in [&q.speaker, &q.about, &q.narrative].into_iter().flatten() {
        text_param("value", v)?;
    }
    Ok(st
        .pool
        .run(Cost::Cheap, ip, move |s| {
            let (quotes, unknown) = s.quotes(&q)?;
            json_response(&QuotesPage {
                offset,
                limit,
                quotes,
                unknown,
            })
        })
        .await?)
}

/// A facet dimension of trends.
#[derive(Deserialize, ToSchema, Clone, Copy, Default)]
#[serde(rename_all = "lowercase")]
pub(crate) enum TrendDim {
    /// Narratives of the codebooks.
    #[default]
    Narrative,
    /// Actors mentioned.
    Actor,
    /// Speakers quoted.
    Speaker,
    /// Publishing outlets.
    Outlet,
}

/// Trend buckets.
#[derive(Deserialize, ToSchema, Clone, Copy, Default)]
#[serde(rename_all = "lowercase")]
pub(crate) enum TrendInterval {
    /// Calendar days.
    Day,
    /// ISO weeks, labelled by their Monday.
    Week,
    /// Calendar months.
    #[default]
    Month,
}

/// Trend parameters.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct TrendParams {
    /// What to count by.
    #[param(inline)]
    by: Option<TrendDim>,
    /// Bucket size.
    #[param(inline)]
    interval: Option<TrendInterval>,
    /// Series shown when no `key` is given: the most frequent values.
    #[param(minimum = 1, maximum = 50)]
    top: Option<usize>,
    /// Values to chart (keys or names); several give several series.
    #[serde(default)]
    key: Vec<String>,
}

/// Documents per interval for the top values of a facet, or the values asked for.
#[utoipa::path(get, path = "/api/trends", tag = "corpus", params(TrendParams, FilterParams, PartyParams),
    responses((status = 200, body = Trends), (status = 400, body = ErrorBody)))]
pub(crate) async fn trends(
    State(st): State<Arc<AppState>>,
    Client(ip): Client,
    Q(p): Q<TrendParams>,
    Q(f): Q<FilterParams>,
    Q(party): Q<PartyParams>,
) -> ApiResult {
    let top = in_range("top", p.top.unwrap_or(6), 1, 50)?;
    if p.key.len() > MAX_VALUES {
        return Err(ApiError::bad(format!("key: at most {MAX_VALUES} values")));
    }
    for k in &p.key {
        text_param("key", k)?;
    }
    let by = match p.by.unwrap_or_default() {
        TrendDim::Narrative => Facet::Narrative,
        TrendDim::Actor => Facet::Actor,
        TrendDim::Speaker => Facet::Speaker,
        TrendDim::Outlet => Facet::Outlet,
    };
    let interval = match p.interval.unwrap_or_default() {
        TrendInterval::Day => Interval::Day,
        TrendInterval::Week => Interval::Week,
        TrendInterval::Month => Interval::Month,
    };
    let filters = f.filters(Some(party))?;
    Ok(st
        .pool
        .run(Cost::Cheap, ip, move |s| {
            json_response(&s.trends(by, interval, top, &p.key, &filters)?)
        })
        .await?)
}

/// Reprint parameters.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ReprintParams {
    /// Minimum share of the shorter document's word triples found in the other (rounded to
    /// a step of 0.05).
    #[param(minimum = 0.3, maximum = 1.0)]
    threshold: Option<f64>,
    /// Only clusters spanning more than one outlet.
    cross_outlet: Option<bool>,
    /// Only documents dated on or after this date.
    #[param(pattern = r"^\d{4}(-\d{2}(-\d{2})?)?$")]
    from: Option<String>,
    /// Only documents dated on or before this date.
    #[param(pattern = r"^\d{4}(-\d{2}(-\d{2})?)?$")]
    to: Option<String>,
    /// Clusters per page (largest first).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<usize>,
    /// Clusters skipped (paging).
    #[param(minimum = 0, maximum = 10000)]
    offset: Option<usize>,
}

/// A page of reprint clusters, largest first.
#[derive(Serialize, ToSchema)]
pub(crate) struct ReprintsPage {
    /// Clusters in all pages.
    total: usize,
    /// Clusters skipped.
    offset: usize,
    /// Page size.
    limit: usize,
    /// The threshold used.
    threshold: f64,
    /// The clusters: the earliest publication, its copies, their lags and changes.
    clusters: Vec<Cluster>,
}

/// Default reprint threshold.
const THRESHOLD: f64 = vigie_store::reprints::DEFAULT_THRESHOLD;

/// The cache key of the reprint clusters for `opts`.
fn reprints_key(opts: &ReprintOptions) -> String {
    format!(
        "reprints {} {} {:?}",
        opts.threshold, opts.cross_outlet, opts.days
    )
}

/// All reprint clusters for `opts`, cached for the store's revision.
fn clusters(
    st: &AppState,
    s: &Store,
    opts: ReprintOptions,
) -> Result<Arc<Vec<Cluster>>, QueryError> {
    st.reprint_cache
        .get_or(s, reprints_key(&opts), || Ok(s.reprints(&opts)?))
}

/// Runs [`warm_up`] on a blocking thread, one at a time: asked while it runs (writes in a
/// row), it runs once more after, on the latest revision.
pub(crate) fn warm_up_soon(st: &Arc<AppState>) {
    use std::sync::atomic::Ordering::{AcqRel, Acquire};
    let was = st
        .warming
        .fetch_update(AcqRel, Acquire, |w| Some(if w == 0 { 1 } else { 2 }));
    if was != Ok(0) {
        return;
    }
    let st = st.clone();
    tokio::task::spawn_blocking(move || loop {
        warm_up(&st);
        // Asked again meanwhile (2): once more; else (1) done.
        if st.warming.compare_exchange(1, 0, AcqRel, Acquire).is_ok() {
            // The computations' working memory is free: give it back.
            crate::release_memory(&st);
            break;
        }
        st.warming.store(1, std::sync::atomic::Ordering::Release);
    });
}

/// Computes ahead of the first request what the dashboard's pages ask first and what takes
/// long on a large store: the value lists of its pickers, the whole network, then the
/// default reprint clusters (seconds).
fn warm_up(st: &AppState) {
    let _ = st.pool.with_store(|s| {
        for kind in ["actor", "speaker", "narrative", "outlet"] {
            facet_values(st, s, kind, 50, 0, "")?;
        }
        facet_values(st, s, "narrative", 200, 0, "")?;
        network_of(st, s, &Filters::default(), 1, NETWORK_EDGES)?;
        clusters(st, s, ReprintOptions::default()).map(|_| ())
    });
}

/// Clusters of near-duplicate documents: the earliest source, each copy, its lag and changes.
#[utoipa::path(get, path = "/api/reprints", tag = "corpus", params(ReprintParams),
    responses((status = 200, body = ReprintsPage), (status = 400, body = ErrorBody)))]
pub(crate) async fn reprints(
    State(st): State<Arc<AppState>>,
    Client(ip): Client,
    Q(p): Q<ReprintParams>,
) -> ApiResult {
    let threshold = p.threshold.unwrap_or(THRESHOLD);
    if !threshold.is_finite() {
        return Err(ApiError::bad("threshold must be a number"));
    }
    // In steps of 0.05: each threshold is a full computation, cached.
    let threshold = (in_range("threshold", threshold, 0.3, 1.0)? * 20.0).round() / 20.0;
    let limit = in_range("limit", p.limit.unwrap_or(20), 1, 200)?;
    let offset = in_range("offset", p.offset.unwrap_or(0), 0, 10_000)?;
    let from = date_param("from", &p.from)?;
    let to = date_param("to", &p.to)?;
    let days = Filters {
        from,
        to,
        ..Filters::default()
    }
    .days();
    let opts = ReprintOptions {
        threshold,
        cross_outlet: p.cross_outlet.unwrap_or(false),
        days,
    };
    aggregate(
        &st,
        ip,
        |st| &st.reprint_cache,
        reprints_key(&opts),
        move |s| Ok(s.reprints(&opts)?),
        move |all: &Vec<Cluster>| {
            let page: Vec<Cluster> = all.iter().skip(offset).take(limit).cloned().collect();
            json_response(&ReprintsPage {
                total: all.len(),
                offset,
                limit,
                threshold,
                clusters: page,
            })
        },
    )
    .await
}

/// Parameters of a facet's value list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ListParams {
    /// Only values whose name or key contains this (any case).
    q: Option<String>,
    /// Values per page.
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<usize>,
    /// Values skipped (paging).
    #[param(minimum = 0, maximum = 10000)]
    offset: Option<usize>,
}

async fn facet_list(st: Arc<AppState>, ip: IpAddr, kind: &'static str, p: ListParams) -> ApiResult {
    let limit = in_range("limit", p.limit.unwrap_or(50), 1, 1000)?;
    let offset = in_range("offset", p.offset.unwrap_or(0), 0, 10_000)?;
    let q = p.q.unwrap_or_default();
    text_param("q", &q)?;
    aggregate(
        &st,
        ip,
        |st| &st.cache,
        facet_key(kind, limit, offset, &q),
        move |s| Ok(s.facet_values(kind, Some(&q), limit, offset)?),
        |list: &FacetList| json_response(list),
    )
    .await
}

/// The cache key of a facet's value list.
fn facet_key(kind: &str, limit: usize, offset: usize, q: &str) -> String {
    format!("facet {kind} {limit} {offset} {q}")
}

/// A facet's value list, cached for the store's revision.
fn facet_values(
    st: &AppState,
    s: &Store,
    kind: &str,
    limit: usize,
    offset: usize,
    q: &str,
) -> Result<Arc<FacetList>, QueryError> {
    st.cache.get_or(s, facet_key(kind, limit, offset, q), || {
        Ok(s.facet_values(kind, Some(q), limit, offset)?)
    })
}

/// Edges the network keeps by default.
const NETWORK_EDGES: usize = 80;

/// The cache key of a network.
fn network_key(filters: &Filters, min: u64, limit: usize) -> String {
    format!("network {min} {limit} {filters:?}")
}

/// The network of `filters`, cached for the store's revision.
fn network_of(
    st: &AppState,
    s: &Store,
    filters: &Filters,
    min: u64,
    limit: usize,
) -> Result<Arc<Network>, QueryError> {
    st.cache.get_or(s, network_key(filters, min, limit), || {
        Ok(s.network(filters, min, limit)?)
    })
}

/// Actors (people, countries, organisations) by the number of documents mentioning them.
#[utoipa::path(get, path = "/api/actors", tag = "facets", params(ListParams),
    responses((status = 200, body = FacetList), (status = 400, body = ErrorBody)))]
pub(crate) async fn actors(
    State(st): State<Arc<AppState>>,
    Client(ip): Client,
    Q(p): Q<ListParams>,
) -> ApiResult {
    facet_list(st, ip, "actor", p).await
}

/// Speakers by the number of documents quoting them.
#[utoipa::path(get, path = "/api/speakers", tag = "facets", params(ListParams),
    responses((status = 200, body = FacetList), (status = 400, body = ErrorBody)))]
pub(crate) async fn speakers(
    State(st): State<Arc<AppState>>,
    Client(ip): Client,
    Q(p): Q<ListParams>,
) -> ApiResult {
    facet_list(st, ip, "speaker", p).await
}

/// Narratives by the number of documents carrying them.
#[utoipa::path(get, path = "/api/narratives", tag = "facets", params(ListParams),
    responses((status = 200, body = FacetList), (status = 400, body = ErrorBody)))]
pub(crate) async fn narratives(
    State(st): State<Arc<AppState>>,
    Client(ip): Client,
    Q(p): Q<ListParams>,
) -> ApiResult {
    facet_list(st, ip, "narrative", p).await
}

/// Publishing outlets by the number of documents.
#[utoipa::path(get, path = "/api/outlets", tag = "facets", params(ListParams),
    responses((status = 200, body = FacetList), (status = 400, body = ErrorBody)))]
pub(crate) async fn outlets(
    State(st): State<Arc<AppState>>,
    Client(ip): Client,
    Q(p): Q<ListParams>,
) -> ApiResult {
    facet_list(st, ip, "outlet", p).await
}

/// Network parameters.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct NetworkParams {
    /// Smallest edge weight (quotes) kept.
    #[param(minimum = 1, maximum = 1000000000)]
    min: Option<u64>,
    /// Most edges kept (the heaviest).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<usize>,
}

/// Who quotes or mentions whom: speakers mentioning actors inside their quotes, outlets
/// quoting speakers, weighted by the number of quotes.
#[utoipa::path(get, path = "/api/network", tag = "corpus", params(NetworkParams, FilterParams, PartyParams),
    responses((status = 200, body = Network), (status = 400, body = ErrorBody)))]
pub(crate) async fn network(
    State(st): State<Arc<AppState>>,
    Client(ip): Client,
    Q(p): Q<NetworkParams>,
    Q(f): Q<FilterParams>,
    Q(party): Q<PartyParams>,
) -> ApiResult {
    let min = in_range("min", p.min.unwrap_or(1), 1, 1_000_000_000)?;
    let limit = in_range("limit", p.limit.unwrap_or(NETWORK_EDGES), 1, 1000)?;
    let filters = f.filters(Some(party))?;
    aggregate(
        &st,
        ip,
        |st| &st.cache,
        network_key(&filters, min, limit),
        move |s| Ok(s.network(&filters, min, limit)?),
        |net: &Network| json_response(net),
    )
    .await
}

/// The OpenAPI 3.1 document of this API.
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta",
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json")))]
pub(crate) async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        crate::openapi::openapi_json(),
    )
        .into_response()
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "no such page or endpoint")
}
