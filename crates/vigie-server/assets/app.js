/* Vigie dashboard: a single-page app over the JSON API (/api/*).
 *
 * Vanilla ES2020, no dependency, no build step, no external URL. Hash routes (#/view/arg?params)
 * make every view linkable and reload-safe.
 *
 * Security: all data from the API (article text, titles, names, URLs) is untrusted. The DOM is
 * built only with createElement / textContent / setAttribute (helpers `el` and `svg`), never
 * innerHTML, and `href`s only ever point to same-origin routes or to http(s) URLs (`safeUrl`).
 *
 * Contents: 1. helpers (DOM, text, routes, API)  2. shared widgets  3. views: search, document,
 * quotes, trends, reprints (with the diff), network  4. router and start-up.
 */
'use strict';

/* ==== 1. Helpers ==== */

const SVGNS = 'http://www.w3.org/2000/svg';

/** True for an href we allow: a hash route, a same-origin path, or an http(s) URL. */
function hrefAllowed(v) {
  const s = String(v);
  return s.startsWith('#') || (s.startsWith('/') && !s.startsWith('//')) || safeUrl(s) !== null;
}

/** Set attributes: `class`, `text` (textContent), `on<event>` handlers, booleans, strings.
 *  null / undefined / false values are skipped; an unsafe href is dropped. */
function setAttrs(node, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'class') node.setAttribute('class', Array.isArray(v) ? v.filter(Boolean).join(' ') : v);
    else if (k === 'text') node.textContent = String(v);
    else if (k === 'href' && !hrefAllowed(v)) continue;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
}

/** Append children: nodes, strings (as text), nested arrays; null/false are skipped. */
function append(node, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(node, c);
    else node.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** el('a', {href: '#/', class: 'x'}, 'text', child, ...) → HTMLElement. */
function el(tag, attrs, ...children) {
  const n = document.createElement(tag);
  setAttrs(n, attrs);
  return append(n, children);
}

/** Same as `el` for SVG elements. */
function svg(tag, attrs, ...children) {
  const n = document.createElementNS(SVGNS, tag);
  setAttrs(n, attrs);
  return append(n, children);
}

/** The URL normalised if it is an absolute http(s) URL, else null (javascript:, data:, …). */
function safeUrl(u) {
  if (typeof u !== 'string' || !/^https?:\/\//i.test(u.trim())) return null;
  try {
    const p = new URL(u.trim());
    return p.protocol === 'http:' || p.protocol === 'https:' ? p.href : null;
  } catch (e) {
    return null;
  }
}

const fmt = (n) => (n == null || n === '' ? '' : Number(n).toLocaleString('en'));
const signed = (x) => (x > 0 ? '+' : x < 0 ? '−' : '±') + Math.abs(x).toFixed(2);
const pct = (x) => (x == null ? '' : Math.round(x * 100) + '%');
const plural = (n, one, many) => `${fmt(n)} ${n === 1 ? one : many || one + 's'}`;
const toInt = (v, d) => (/^\d+$/.test(v || '') ? parseInt(v, 10) : d);
const clamp = (x, lo, hi) => Math.max(lo, Math.min(hi, x));

/** Cut a string to n code points with an ellipsis. */
function truncate(s, n) {
  const cps = Array.from(s || '');
  return cps.length > n ? cps.slice(0, n).join('').trimEnd() + '…' : s || '';
}

/** Code-point slice of a string (API offsets count code points, not UTF-16 units). */
function cpSlice(cps, start, end) {
  return cps.slice(start, end).join('');
}

function setTitle(t) {
  document.title = t ? `${t} · Vigie` : 'Vigie';
}

function debounce(fn, ms) {
  let t = 0;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}

const prefersReducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches;

/* ---- routes ---- */

/** Parse location.hash (#/view/arg?params) → {view, arg, params: URLSearchParams}. */
function parseHash() {
  const h = location.hash.replace(/^#\/?/, '');
  const qi = h.indexOf('?');
  const path = qi < 0 ? h : h.slice(0, qi);
  const params = new URLSearchParams(qi < 0 ? '' : h.slice(qi + 1));
  const parts = path.split('/');
  let arg = null;
  if (parts.length > 1 && parts.slice(1).join('/') !== '') {
    try {
      arg = decodeURIComponent(parts.slice(1).join('/'));
    } catch (e) {
      arg = parts.slice(1).join('/');
    }
  }
  return { view: parts[0] || 'search', arg, params };
}

/** Query string from {key: value | [values]}; empty values are left out. */
function qs(params) {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    for (const x of Array.isArray(v) ? v : [v]) {
      if (x != null && x !== '' && x !== false) sp.append(k, String(x));
    }
  }
  const s = sp.toString();
  return s ? '?' + s : '';
}

/** '#/view[/arg]?params' */
function route(view, params, arg) {
  return '#/' + view + (arg != null ? '/' + encodeURIComponent(arg) : '') + qs(params);
}

const docHref = (id, params) => route('doc', params, id);

/** The filters of `keys` present in the address, as {key: [values]}, to carry them along. */
function keepFilters(p, keys) {
  const o = {};
  for (const k of keys) if (p.getAll(k).length) o[k] = p.getAll(k);
  return o;
}
const OTHER_FILTERS = ['lang', 'outlet', 'affiliation', 'actor', 'speaker', 'narrative'];

function go(hash) {
  if (location.hash === hash) router();
  else location.hash = hash;
}

/* ---- API ---- */

class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

const isAbort = (e) => e && e.name === 'AbortError';

/** GET a JSON endpoint; rejects with ApiError carrying the server's {"error"} message.
 *  Requests are tied to the current route and aborted when it changes. */
async function api(path, params, signal) {
  let res;
  try {
    res = await fetch(path + qs(params), {
      signal: signal || current.ctl.signal,
      headers: { Accept: 'application/json' },
    });
  } catch (e) {
    if (isAbort(e)) throw e;
    throw new ApiError('Could not reach the Vigie server (' + e.message + ').', 0);
  }
  let body = null;
  try {
    body = await res.json();
  } catch (e) {
    if (isAbort(e)) throw e;
  }
  if (!res.ok) {
    const msg = body && typeof body.error === 'string' ? body.error : res.statusText || 'request failed';
    throw new ApiError(msg, res.status);
  }
  if (body == null) throw new ApiError('The server sent an invalid answer for ' + path + '.', res.status);
  return body;
}

/** Small memo for answers that rarely change (lists, reprint clusters); bounded in size. */
const apiCache = new Map();
async function cachedApi(path, params) {
  const key = path + qs(params);
  if (apiCache.has(key)) return apiCache.get(key);
  const body = await api(path, params);
  if (apiCache.size > 40) apiCache.delete(apiCache.keys().next().value);
  apiCache.set(key, body);
  return body;
}

/* ==== 2. Shared widgets ==== */

const loadingBox = (what) => el('p', { class: 'loading', role: 'status' }, `Loading${what ? ' ' + what : ''}…`);

function errorBox(e) {
  const status = e && e.status ? `Error ${e.status}: ` : 'Error: ';
  return el('div', { class: 'error', role: 'alert' }, el('strong', null, status), (e && e.message) || String(e));
}

/** Show a loading state in `target`, run `fn` (which fills it), show errors inline.
 *  Aborted requests (route changed) are silently dropped. */
async function load(target, fn, what) {
  target.replaceChildren(loadingBox(what));
  target.setAttribute('aria-busy', 'true');
  try {
    await fn();
  } catch (e) {
    if (isAbort(e)) return;
    if (!(e instanceof ApiError)) console.error(e); // a bug, not an answer of the server
    target.replaceChildren(errorBox(e));
  } finally {
    target.removeAttribute('aria-busy');
  }
}

/** External link to an article: only http(s) URLs become links, anything else stays text. */
function extLink(url, text) {
  const u = safeUrl(url);
  if (!u) return url ? el('span', { class: 'bad-url', title: 'Not a web link' }, text || url) : null;
  return el('a', { href: u, class: 'ext', target: '_blank', rel: 'noopener noreferrer nofollow' }, text || u);
}

/** "a · b · c" from the truthy items. */
function metaLine(cls, ...items) {
  const parts = items.filter((x) => x != null && x !== '');
  const out = el('div', { class: cls });
  parts.forEach((p, i) => append(out, [i ? el('span', { class: 'sep', 'aria-hidden': 'true' }, ' · ') : null, p]));
  return out;
}

/** Labelled text input for dates (2022, 2022-08 or 2022-08-14). */
function dateField(id, label, value) {
  return el('label', { class: 'field field-date', for: id }, el('span', { class: 'field-label' }, label),
    el('input', {
      id, name: id, type: 'text', value: value || '', placeholder: 'YYYY-MM-DD', autocomplete: 'off',
      pattern: '\\d{4}(-\\d{2}(-\\d{2})?)?', title: 'A year, a month or a day: 2022, 2022-08 or 2022-08-14',
    }));
}

function field(label, input, cls) {
  return el('label', { class: ['field', cls], for: input.id }, el('span', { class: 'field-label' }, label), input);
}

/** Prev / Next links. `total` may be null (unknown): Next then depends on a full page. */
function pager(offset, limit, shown, total, hrefAt) {
  const hasPrev = offset > 0;
  const hasNext = total != null ? offset + shown < total : shown >= limit;
  const link = (id, ok, off, text, rel) =>
    ok ? el('a', { id, class: 'btn', href: hrefAt(Math.max(0, off)), rel }, text)
      : el('span', { id, class: 'btn disabled', 'aria-disabled': 'true' }, text);
  const info = shown ? `${fmt(offset + 1)}–${fmt(offset + shown)}${total != null ? ' of ' + fmt(total) : ''}` : '';
  return el('nav', { class: 'pager', 'aria-label': 'Pages' },
    link('pager-prev', hasPrev, offset - limit, '← Prev', 'prev'),
    el('span', { class: 'pager-info' }, info),
    link('pager-next', hasNext, offset + limit, 'Next →', 'next'));
}

/** Text with code-point ranges wrapped in <mark>. */
function highlighted(text, ranges) {
  const cps = Array.from(text || '');
  const out = [];
  let pos = 0;
  const rs = (ranges || []).filter((r) => Array.isArray(r) && r[1] > r[0]).sort((a, b) => a[0] - b[0]);
  for (const [s0, e0] of rs) {
    const s = clamp(s0, pos, cps.length), e = clamp(e0, s, cps.length);
    if (s > pos) out.push(cpSlice(cps, pos, s));
    if (e > s) out.push(el('mark', null, cpSlice(cps, s, e)));
    pos = Math.max(pos, e);
  }
  if (pos < cps.length) out.push(cpSlice(cps, pos, cps.length));
  return out;
}

/** Datalist suggestions for an input from a list endpoint (/api/speakers, /api/actors, …). */
function attachSuggestions(input, listId, endpoint) {
  const list = el('datalist', { id: listId });
  input.setAttribute('list', listId);
  let ctl = null;
  const fetchList = debounce(async () => {
    if (ctl) ctl.abort();
    ctl = new AbortController();
    try {
      const data = await api(endpoint, { q: input.value.trim(), limit: 15 }, ctl.signal);
      list.replaceChildren(...(data.items || []).map((it) =>
        el('option', { value: it.name || it.key }, `${it.name !== it.key ? it.key + ' · ' : ''}${plural(it.count, 'doc')}`)));
    } catch (e) {
      if (!isAbort(e)) console.warn('vigie: suggestions', e);
    }
  }, 200);
  input.addEventListener('input', fetchList);
  input.addEventListener('focus', () => { if (!list.children.length) fetchList(); }, { once: true });
  onCleanup(() => ctl && ctl.abort());
  return list;
}

/** Distinct, readable (≥ 3:1 on white) colours for chart series. */
const SERIES_COLORS = ['#1f5fa8', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0e7490', '#a16207', '#be185d', '#4d7c0f', '#475569'];

/* ==== 3a. Search view: #/search?q=&actor=&…&offset= ==== */

const FACETS = [['lang', 'Language'], ['outlet', 'Outlet'], ['affiliation', 'Affiliation'],
  ['actor', 'Actor'], ['speaker', 'Speaker'], ['narrative', 'Narrative']];
const FACET_LABEL = Object.fromEntries(FACETS);
const SEARCH_LIMIT = 20;
const FACET_SHOWN = 8;

function viewSearch(root, { params: p }) {
  const q = p.get('q') || '';
  const from = p.get('from') || '', to = p.get('to') || '';
  const offset = toInt(p.get('offset'), 0);
  const filters = FACETS.flatMap(([k]) => p.getAll(k).filter(Boolean).map((v) => [k, v]));
  setTitle(q ? `“${q}” – Search` : 'Search');

  /** Hash for a search state; filters as [[facet, key], …]; offset reset unless given. */
  const hrefFor = (o) => {
    const st = { q, from, to, filters, offset: 0, ...o };
    const params = { q: st.q, from: st.from, to: st.to };
    for (const [k, v] of st.filters) (params[k] = params[k] || []).push(v);
    params.offset = st.offset || null;
    return route('search', params);
  };
  const has = (k, v) => filters.some(([a, b]) => a === k && b === v);
  const without = (k, v) => filters.filter(([a, b]) => !(a === k && b === v));

  const input = el('input', {
    type: 'search', id: 'search-input', name: 'q', value: q, autocomplete: 'off',
    placeholder: 'Words, "a phrase", OR, -exclude', 'aria-label': 'Search words',
  });
  const fromI = dateField('search-from', 'From', from), toI = dateField('search-to', 'To', to);
  const form = el('form', {
    id: 'search-form', class: 'search-form', role: 'search',
    onsubmit: (e) => {
      e.preventDefault();
      go(hrefFor({ q: input.value.trim(), from: val(fromI), to: val(toI) }));
    },
  }, el('div', { class: 'search-row' }, input, el('button', { type: 'submit', class: 'btn primary' }, 'Search')),
  el('div', { class: 'form-row' }, fromI, toI));

  const active = el('div', { id: 'active-filters', class: 'chips active-filters' });
  const results = el('section', { id: 'search-results', class: 'results', 'aria-label': 'Results' });
  const facetsBox = el('aside', { id: 'facets', class: 'facets side', 'aria-label': 'Filter by' });
  root.append(el('h1', { class: 'visually-hidden' }, 'Search'), form, active,
    el('div', { class: 'layout-side' }, results, facetsBox));

  /** Active filter chips, each with a remove link; names come from the facets when known. */
  const renderActive = (names) => {
    active.replaceChildren();
    if (!filters.length) return;
    active.append(el('span', { class: 'chips-label' }, 'Filters:'));
    for (const [k, v] of filters) {
      const label = `${FACET_LABEL[k]}: ${names.get(k + '\u0000' + v) || v}`;
      active.append(el('span', { class: 'chip active-filter', 'data-facet': k, 'data-key': v },
        el('span', null, label),
        el('a', { class: 'chip-remove', href: hrefFor({ filters: without(k, v) }), 'aria-label': `Remove filter ${label}`, title: 'Remove' }, '×')));
    }
    if (filters.length > 1) active.append(el('a', { class: 'clear-all', href: hrefFor({ filters: [] }) }, 'Clear all'));
  };
  renderActive(new Map());

  load(results, async () => {
    const params = { q, from, to, limit: SEARCH_LIMIT, offset };
    for (const [k, v] of filters) (params[k] = params[k] || []).push(v);
    const data = await api('/api/search', params);
    const facets = data.facets || [];
    renderActive(new Map(facets.map((f) => [f.facet + '\u0000' + f.key, f.name])));
    renderFacets(facets);

    const hits = data.hits || [];
    const out = [];
    if ((data.unknown || []).length) {
      out.push(el('p', { id: 'unknown-notice', class: 'notice', role: 'status' },
        'Not found in this store: ', data.unknown.join(', '), '. Check the spelling or pick a value from the filters.'));
    }
    out.push(el('p', { id: 'search-total', class: 'total' },
      el('strong', null, plural(data.total || 0, 'document')), q ? ` matching “${q}”` : '', filters.length || from || to ? ' (filtered)' : ''));
    if (!hits.length) {
      out.push(el('p', { class: 'empty' }, offset ? 'No more results.' : 'No document matches. Try fewer words or remove a filter.'));
      if (offset) out.push(pager(offset, SEARCH_LIMIT, 0, data.total, (off) => hrefFor({ offset: off })));
    } else {
      out.push(el('ol', { class: 'hit-list', start: offset + 1 }, hits.map(hitItem)));
      out.push(pager(offset, SEARCH_LIMIT, hits.length, data.total, (off) => hrefFor({ offset: off })));
    }
    results.replaceChildren(...out);
  }, 'results');

  function hitItem(h) {
    return el('li', { class: 'hit', 'data-doc-id': h.doc_id },
      el('a', { class: 'hit-title', href: docHref(h.doc_id) }, h.title || h.doc_id),
      metaLine('hit-meta', h.date || 'undated', h.outlet, h.lang, h.url ? extLink(h.url, 'original ↗') : null),
      el('p', { class: 'snippet' }, h.snippet_start > 0 ? '… ' : '', highlighted(h.snippet, h.highlights), ' …'));
  }

  /** Facet counts grouped by dimension; a chip adds (or, when active, removes) a filter. */
  function renderFacets(facets) {
    const groups = new Map(FACETS.map(([k]) => [k, []]));
    for (const f of facets) if (groups.has(f.facet)) groups.get(f.facet).push(f);
    facetsBox.replaceChildren(el('h2', { class: 'side-title' }, 'Refine'));
    for (const [k, items] of groups) {
      if (!items.length) continue;
      const list = el('ul', { class: 'chips facet-list' }, items.map((f) => {
        const on = has(k, f.key);
        return el('li', null, el('a', {
          class: ['chip', 'facet', on && 'selected'], 'data-facet': k, 'data-key': f.key,
          href: hrefFor({ filters: on ? without(k, f.key) : [...filters, [k, f.key]] }),
          'aria-pressed': on ? 'true' : null, title: on ? 'Remove this filter' : `Add filter ${FACET_LABEL[k]}: ${f.name}`,
        }, el('span', { class: 'chip-name' }, f.name || f.key), el('span', { class: 'count' }, fmt(f.count))));
      }));
      const group = el('section', { class: 'facet-group', 'data-facet': k }, el('h3', null, FACET_LABEL[k]), list);
      if (items.length > FACET_SHOWN) {
        list.classList.add('collapsed');
        const more = el('button', { type: 'button', class: 'link-btn', 'aria-expanded': 'false' }, `Show all ${items.length}`);
        more.addEventListener('click', () => {
          const open = list.classList.toggle('collapsed') === false;
          more.setAttribute('aria-expanded', String(open));
          more.textContent = open ? 'Show fewer' : `Show all ${items.length}`;
        });
        group.append(more);
      }
      facetsBox.append(group);
    }
    if (!facets.length) facetsBox.append(el('p', { class: 'muted' }, 'No facet for these results.'));
  }
}

const val = (label) => label.querySelector('input').value.trim();

/* ==== 3b. Document view: #/doc/<id>?version=N&focus=quote-3 ==== */

const LAYERS = [
  ['quotes', 'Quotes', 'quote'], ['entities', 'Entities', 'entity'],
  ['narratives', 'Narratives', 'narrative'], ['stances', 'Stances', 'stance'],
];
const PANEL_CAP = 200;

function viewDoc(root, { arg: id, params: p }) {
  setTitle('Document');
  if (!id) return root.append(errorBox(new Error('No document id in the address.')));
  const version = p.get('version');
  const focus = p.get('focus');
  const box = el('div', { id: 'doc-view', class: 'doc-view' });
  root.append(box);
  load(box, async () => {
    const d = await api('/api/documents/' + encodeURIComponent(id), { version });
    renderDoc(box, d, focus);
  }, 'document');
}

/** Version entries may be objects or [version, ingested_at, hash] tuples. */
const normVersion = (v) => (Array.isArray(v) ? { version: v[0], ingested_at: v[1], hash: v[2] } : v || {});

function renderDoc(box, d, focus) {
  const a = d.analysis || {};
  const meta = a.meta || {};
  const text = typeof a.text === 'string' ? a.text : '';
  const title = meta.title || d.doc_id;
  setTitle(truncate(title, 60));

  /* --- header: title, metadata, versions --- */
  const versions = (d.versions || []).map(normVersion);
  const credited = ((a.outlets || {}).credited || []).filter((o, i, arr) => arr.findIndex((x) => x.id === o.id) === i);
  const publisher = (a.outlets || {}).publisher;
  const outletInfo = (o) => `${o.name || o.id}${o.country ? ' (' + o.country + ')' : ''}${o.state_affiliation ? ', ' + o.state_affiliation : ''}`;
  const lang = a.language || {};
  const dl = el('dl', { class: 'doc-meta' });
  const row = (k, v) => v != null && v !== '' && dl.append(el('dt', null, k), el('dd', null, v));
  row('Date', meta.date || 'undated');
  row('Outlet', meta.outlet || (publisher && outletInfo(publisher)));
  row('Credited', credited.length ? credited.map(outletInfo).join('; ') : null);
  row('URL', meta.url ? extLink(meta.url, meta.url) : null);
  row('Language', lang.code ? `${lang.code}${lang.score != null ? ' (' + pct(lang.score) + ')' : ''}` : null);
  row('Document id', el('code', null, d.doc_id));
  row('Origin', d.origin ? el('code', null, d.origin) : null);
  row('Analysed by', d.analyzed_by);
  if (versions.length) {
    row('Versions', el('ul', { id: 'doc-versions', class: 'versions' }, versions.map((v) => el('li', null,
      v.version === d.version
        ? el('span', { class: 'current', 'aria-current': 'page' }, `v${v.version}`)
        : el('a', { href: docHref(d.doc_id, { version: v.version }) }, `v${v.version}`),
      v.ingested_at ? ` ${v.ingested_at.replace('T', ' ').replace('Z', ' UTC')}` : ''))));
  }

  /* --- highlighted text --- */
  const { facts, speakerIdx } = docFacts(a);
  const textBox = el('div', { id: 'doc-text', class: 'doc-text', lang: /^[a-z]{2,3}$/.test(lang.code || '') ? lang.code : null });
  const factEls = renderText(textBox, text, a.paragraphs, facts);

  /** Scroll to a fact (quote-3, entity-2, stance-0-1, narrative-1-0-0), show its layer, flash it. */
  const jumpTo = (key) => {
    const els = factEls.get(key);
    if (!els || !els.length) return;
    const layer = LAYERS.find((l) => key.startsWith(l[2]));
    if (layer) {
      const cb = document.getElementById('toggle-' + layer[0]);
      if (cb && !cb.checked) { cb.checked = true; cb.dispatchEvent(new Event('change')); }
    }
    els[0].scrollIntoView({ block: 'center', behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
    for (const e of els) { e.classList.remove('flash'); void e.offsetWidth; e.classList.add('flash'); }
    els[0].setAttribute('tabindex', '-1');
    els[0].focus({ preventScroll: true });
    setTimeout(() => els.forEach((e) => e.classList.remove('flash')), 2200);
  };

  /* --- layer toggles --- */
  const counts = { quotes: (a.quotes || []).length, entities: (a.entities || []).length,
    narratives: (a.narratives || []).length, stances: (a.stances || []).length };
  const toggles = el('fieldset', { id: 'layer-toggles', class: 'layer-toggles' }, el('legend', null, 'Highlight'),
    LAYERS.map(([k, label, cls]) => el('label', { class: 'toggle', for: 'toggle-' + k },
      el('input', { type: 'checkbox', id: 'toggle-' + k, checked: true,
        onchange: (e) => textBox.classList.toggle('no-' + k, !e.target.checked) }),
      el('span', { class: 'swatch-' + cls, 'aria-hidden': 'true' }), ` ${label} (${fmt(counts[k])})`)));

  const panel = docPanel(a, speakerIdx, factEls);
  panel.addEventListener('click', (e) => {
    const b = !e.target.closest('a') && e.target.closest('[data-target]');
    if (b) jumpTo(b.getAttribute('data-target'));
  });

  box.replaceChildren(
    el('header', { class: 'doc-header' }, el('h1', { class: 'doc-title' }, title), dl),
    el('div', { class: 'layout-side doc-layout' },
      el('article', { class: 'doc-main', 'aria-label': 'Document text' }, toggles,
        text ? textBox : el('p', { class: 'notice' }, 'The store holds no text for this document (analysed with --no-text).')),
      panel));
  if (focus) requestAnimationFrame(() => jumpTo(focus));
}

/** Every highlightable fact of the analysis: {key, start, end, cls[], id?, title?, speaker?, prio}.
 *  prio orders the classes and decides who gets the element id when facts start together. */
function docFacts(a) {
  const facts = [];
  const speakerIdx = new Map();
  const ok = (s) => s && Number.isFinite(s.start) && Number.isFinite(s.end) && s.end > s.start;
  (a.quotes || []).forEach((q, i) => {
    const name = (q.speaker && q.speaker.name) || 'unattributed';
    if (!speakerIdx.has(name)) speakerIdx.set(name, speakerIdx.size);
    const spk = 'spk-' + (speakerIdx.get(name) % 10);
    if (ok(q.content)) {
      facts.push({ key: `quote-${i}`, id: true, start: q.content.start, end: q.content.end, cls: ['quote'], spk,
        speaker: name, title: `Quote ${i} (${q.type || 'quote'}) by ${name}`, prio: 0 });
    }
    if (ok(q.cue)) facts.push({ key: `cue-${i}`, start: q.cue.start, end: q.cue.end, cls: ['cue'], prio: 5 });
    if (ok(q.speaker_mention)) {
      facts.push({ key: `spkm-${i}`, start: q.speaker_mention.start, end: q.speaker_mention.end, cls: ['speaker-mention'], spk, speaker: name, prio: 5 });
    }
  });
  (a.stances || []).forEach((s, si) => (s.evidence || []).forEach((ev, ei) => {
    if (!ok(ev.text)) return;
    const v = Number(ev.value) || 0;
    facts.push({ key: `stance-${si}-${ei}`, id: true, start: ev.text.start, end: ev.text.end,
      cls: ['stance', v > 0 ? 'pos' : v < 0 ? 'neg' : 'neutral'],
      title: `Stance: ${s.holder} → ${s.target_name || s.target} (${signed(v)})`, prio: 1 });
  }));
  (a.narratives || []).forEach((n, ni) => (n.evidence || []).forEach((ev, ei) => (ev.spans || []).forEach((sp, k) => {
    if (!ok(sp)) return;
    facts.push({ key: `narrative-${ni}-${ei}-${k}`, id: true, start: sp.start, end: sp.end, cls: ['narrative'],
      title: `Narrative: ${n.label || n.id}`, prio: 2 });
  })));
  (a.entities || []).forEach((en, i) => {
    if (!ok(en)) return;
    facts.push({ key: `entity-${i}`, id: true, start: en.start, end: en.end, cls: ['entity'],
      title: `${en.label || 'entity'}${en.actor ? ' · ' + en.actor : ''}`, prio: 3 });
  });
  return { facts, speakerIdx };
}

/** Cut [0, n) at every fact and extra boundary → pieces {s, e, facts (sorted by prio) | null}. */
function cutPieces(n, facts, extra) {
  const bounds = new Set([0, n, ...extra.filter((x) => x >= 0 && x <= n)]);
  const starts = new Map(), ends = new Map();
  const push = (m, k, f) => (m.get(k) || m.set(k, []).get(k)).push(f);
  for (const f of facts) {
    const s = clamp(Math.floor(f.start), 0, n), e = clamp(Math.floor(f.end), 0, n);
    if (e <= s) continue;
    bounds.add(s); bounds.add(e);
    push(starts, s, f); push(ends, e, f);
  }
  const pts = [...bounds].sort((x, y) => x - y);
  const active = new Set();
  const pieces = [];
  for (let i = 0; i < pts.length - 1; i++) {
    for (const f of ends.get(pts[i]) || []) active.delete(f);
    for (const f of starts.get(pts[i]) || []) active.add(f);
    pieces.push({ s: pts[i], e: pts[i + 1], facts: active.size ? [...active].sort((x, y) => x.prio - y.prio) : null });
  }
  return pieces;
}

/** Render `text` into `box` as paragraphs whose pieces carry the classes of every covering fact.
 *  Offsets are code points. Returns Map fact key → its elements (for jump / flash). */
function renderText(box, text, paragraphs, facts) {
  const cps = Array.from(text);
  const n = cps.length;
  let paras = (paragraphs || []).filter((p) => p && p.end > p.start).map((p) => [clamp(p.start, 0, n), clamp(p.end, 0, n)]);
  paras.sort((x, y) => x[0] - y[0]);
  if (!paras.length) paras = [[0, n]];
  // Keep any non-blank text the paragraphs leave out (should not happen, but never hide text).
  const segs = [];
  let prev = 0;
  for (const [s, e] of [...paras, [n, n]]) {
    if (s > prev && cpSlice(cps, prev, s).trim()) segs.push([prev, s]);
    if (e > s) segs.push([s, e]);
    prev = Math.max(prev, e);
  }
  const pieces = cutPieces(n, facts, segs.flat());
  const factEls = new Map();
  let j = 0;
  for (const [ps, pe] of segs) {
    const p = el('p');
    while (j < pieces.length && pieces[j].e <= ps) j++;
    for (let k = j; k < pieces.length && pieces[k].s < pe; k++) {
      const pc = pieces[k];
      const str = cpSlice(cps, pc.s, pc.e);
      if (!pc.facts) { p.append(str); continue; }
      const span = el('span', null, str);
      const cls = new Set();
      const titles = [];
      // Nested quotes: the innermost (shortest) one gives the colour and data-speaker.
      let inner = null;
      for (const f of pc.facts) if (f.spk && (!inner || f.end - f.start < inner.end - inner.start)) inner = f;
      if (inner) { cls.add(inner.spk); span.setAttribute('data-speaker', inner.speaker); }
      for (const f of pc.facts) {
        f.cls.forEach((c) => cls.add(c));
        if (f.title && !titles.includes(f.title)) titles.push(f.title);
        if (!factEls.has(f.key)) {
          factEls.set(f.key, []);
          if (f.id && !span.id) span.id = f.key; // the id goes on the first piece of each fact
        }
        factEls.get(f.key).push(span);
      }
      span.className = [...cls].join(' ');
      if (titles.length) span.title = titles.join('\n');
      p.append(span);
    }
    box.append(p);
  }
  return factEls;
}

/** Side panel: quotes, actors, stances, narratives, entities. Buttons carry data-target=fact key. */
function docPanel(a, speakerIdx, factEls) {
  const jump = (key, ...content) => factEls.has(key)
    ? el('button', { type: 'button', class: 'jump', 'data-target': key, title: 'Show in the text' }, ...content)
    : el('span', { class: 'jump-missing' }, ...content);
  const section = (id, title, items, empty) => el('section', { id, class: 'panel-section' },
    el('h2', null, title, el('span', { class: 'count' }, fmt(items.length))),
    items.length ? el('ul', { class: 'panel-list' }, items.slice(0, PANEL_CAP)) : el('p', { class: 'muted' }, empty),
    items.length > PANEL_CAP ? el('p', { class: 'muted' }, `First ${PANEL_CAP} shown.`) : null);

  const quotes = (a.quotes || []).map((q, i) => {
    const sp = q.speaker || {};
    const name = sp.name || 'unattributed';
    return el('li', { class: 'panel-quote', 'data-speaker': name, 'data-quote': i, 'data-target': factEls.has(`quote-${i}`) ? `quote-${i}` : null },
      el('div', { class: 'pq-head' },
        el('span', { class: `swatch spk-${(speakerIdx.get(name) || 0) % 10}`, 'aria-hidden': 'true' }),
        sp.name ? el('a', { class: 'pq-speaker', href: route('quotes', { speaker: sp.name }), title: `All quotes by ${sp.name}` }, sp.name)
          : el('span', { class: 'pq-speaker' }, name),
        sp.role ? el('span', { class: 'pq-role' }, sp.role) : null,
        el('span', { class: 'badge' }, q.type || 'quote')),
      jump(`quote-${i}`, '“', truncate(q.content && q.content.text, 110), '”'));
  });

  const entByActor = new Map();
  (a.entities || []).forEach((en, i) => en.actor && !entByActor.has(en.actor) && entByActor.set(en.actor, `entity-${i}`));
  const actors = [...(a.actors || [])].sort((x, y) => (y.mentions || []).length - (x.mentions || []).length).map((ac) =>
    el('li', { class: 'panel-actor', 'data-actor': ac.id },
      el('a', { href: route('search', { actor: ac.id }), title: `Documents mentioning ${ac.name}` }, ac.name || ac.id),
      el('span', { class: 'muted' }, ` ${ac.kind || ''}${ac.roles && ac.roles[0] ? ', ' + ac.roles[0].title : ''}`),
      el('span', { class: 'count' }, plural((ac.mentions || []).length, 'mention')),
      entByActor.has(ac.id) ? jump(entByActor.get(ac.id), 'show') : null));

  const stances = (a.stances || []).map((s, si) => {
    const sc = Number(s.score) || 0;
    return el('li', { class: 'panel-stance' },
      jump(`stance-${si}-0`, el('span', null, `${s.holder} → ${s.target_name || s.target}`)),
      el('span', { class: ['score', sc > 0 ? 'pos' : sc < 0 ? 'neg' : ''] }, signed(sc)),
      el('div', { class: 'evidence' }, (s.evidence || []).slice(0, 8).map((ev) => ev.text && ev.text.text).filter(Boolean).join(', ')));
  });

  const narratives = (a.narratives || []).map((nv, ni) => {
    const words = [...new Set((nv.evidence || []).flatMap((ev) => (ev.spans || []).map((s) => s.text)).filter(Boolean))];
    const firstKey = (() => {
      for (let ei = 0; ei < (nv.evidence || []).length; ei++) if (factEls.has(`narrative-${ni}-${ei}-0`)) return `narrative-${ni}-${ei}-0`;
      return `narrative-${ni}-0-0`;
    })();
    return el('li', { class: 'panel-narrative', 'data-narrative': nv.id },
      jump(firstKey, nv.label || nv.id),
      el('span', { class: 'score' }, Number(nv.score || 0).toFixed(1)),
      el('div', { class: 'evidence' }, words.slice(0, 12).join(', ')),
      el('div', { class: 'links' }, el('a', { href: route('search', { narrative: nv.id }) }, 'documents'), ' · ',
        el('a', { href: route('quotes', { narrative: nv.id }) }, 'quotes')));
  });

  const entGroups = new Map();
  (a.entities || []).forEach((en, i) => {
    const k = `${en.label}\u0000${en.text}`;
    if (!entGroups.has(k)) entGroups.set(k, { en, key: `entity-${i}`, n: 0 });
    entGroups.get(k).n++;
  });
  const entities = [...entGroups.values()].sort((x, y) => y.n - x.n).map(({ en, key, n }) =>
    el('li', { class: 'panel-entity' }, jump(key, en.text), el('span', { class: 'badge' }, en.label || '?'),
      n > 1 ? el('span', { class: 'count' }, '×' + n) : null,
      en.actor ? el('a', { class: 'muted small', href: route('search', { actor: en.actor }) }, en.actor) : null));

  return el('aside', { id: 'doc-panel', class: 'side doc-panel', 'aria-label': 'Facts' },
    section('panel-quotes', 'Quotes', quotes, 'No quote found.'),
    section('panel-actors', 'Actors', actors, 'No actor.'),
    section('panel-stances', 'Stances', stances, 'No stance.'),
    section('panel-narratives', 'Narratives', narratives, 'No narrative.'),
    section('panel-entities', 'Entities', entities, 'No entity.'));
}

/* ==== 3c. Quote explorer: #/quotes?speaker=&about=&narrative=&from=&to=&offset= ==== */

const QUOTES_LIMIT = 50;

function viewQuotes(root, { params: p }) {
  const st = { speaker: p.get('speaker') || '', about: p.get('about') || '', narrative: p.get('narrative') || '',
    from: p.get('from') || '', to: p.get('to') || '' };
  const offset = toInt(p.get('offset'), 0);
  const extra = keepFilters(p, ['lang', 'outlet', 'affiliation', 'actor']); // other filters in the address are kept
  setTitle(st.speaker ? `Quotes by ${st.speaker}` : 'Quotes');
  const hrefFor = (o) => route('quotes', { ...st, ...extra, ...o });

  const speakerI = el('input', { id: 'quotes-speaker', name: 'speaker', type: 'text', value: st.speaker, autocomplete: 'off', placeholder: 'Name or actor id' });
  const aboutI = el('input', { id: 'quotes-about', name: 'about', type: 'text', value: st.about, autocomplete: 'off', placeholder: 'Actor mentioned in the quote' });
  const narrSel = el('select', { id: 'quotes-narrative', name: 'narrative' }, el('option', { value: '' }, 'Any narrative'));
  const chosen = st.narrative ? narrSel.appendChild(el('option', { value: st.narrative, selected: true }, st.narrative)) : null;
  const fromI = dateField('quotes-from', 'From', st.from), toI = dateField('quotes-to', 'To', st.to);
  const form = el('form', {
    id: 'quotes-form', class: 'filters-form',
    onsubmit: (e) => {
      e.preventDefault();
      go(hrefFor({ speaker: speakerI.value.trim(), about: aboutI.value.trim(), narrative: narrSel.value, from: val(fromI), to: val(toI), offset: null }));
    },
  },
  field('Speaker', speakerI, 'wide'), attachSuggestions(speakerI, 'speaker-options', '/api/speakers'),
  field('About actor', aboutI, 'wide'), attachSuggestions(aboutI, 'actor-options', '/api/actors'),
  field('Narrative', narrSel, 'wide'), fromI, toI,
  el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'btn primary' }, 'Find quotes'),
    el('a', { class: 'btn', href: '#/quotes' }, 'Reset')));

  const strip = el('div', { id: 'quotes-strip', class: 'strip' });
  const results = el('section', { id: 'quotes-results', class: 'results', 'aria-label': 'Quotes' });
  const box = el('div', { id: 'quotes-view' }, el('h1', null, 'Quote explorer'), form, strip, results);
  root.append(box);

  // The narrative list (cached) fills the select; failures only leave the select short.
  cachedApi('/api/narratives', { limit: 200 }).then((d) => {
    for (const it of d.items || []) {
      if (chosen && it.key === st.narrative) { chosen.textContent = truncate(it.name, 70); continue; }
      narrSel.append(el('option', { value: it.key }, `${truncate(it.name, 70)} (${fmt(it.count)})`));
    }
  }).catch((e) => !isAbort(e) && console.warn('vigie: narratives', e));

  // Per-month document counts for the chosen speaker / actor / narrative.
  const dim = st.speaker ? ['speaker', st.speaker] : st.about ? ['actor', st.about] : st.narrative ? ['narrative', st.narrative] : null;
  if (dim) {
    api('/api/trends', { by: dim[0], key: dim[1], interval: 'month', from: st.from, to: st.to })
      .then((d) => renderStrip(strip, d, dim))
      .catch((e) => !isAbort(e) && console.warn('vigie: strip', e));
  }

  load(results, async () => {
    const data = await api('/api/quotes', { ...st, ...extra, limit: QUOTES_LIMIT, offset });
    const quotes = data.quotes || [];
    const out = [];
    if ((data.unknown || []).length) out.push(el('p', { id: 'unknown-notice', class: 'notice' }, 'Not found in this store: ', data.unknown.join(', ')));
    if (!quotes.length) {
      out.push(el('p', { class: 'empty' }, offset ? 'No more quotes.' : 'No quote matches. Pick a speaker from the suggestions, or widen the dates.'));
      if (offset) out.push(pager(offset, QUOTES_LIMIT, 0, null, (off) => hrefFor({ offset: off || null })));
    } else {
      out.push(el('ol', { class: 'quote-list', start: offset + 1 }, quotes.map((q) => el('li', { class: 'quote-hit', 'data-speaker': q.speaker || '' },
        el('blockquote', { class: 'quote-text' }, q.content),
        metaLine('quote-meta',
          q.speaker ? el('a', { class: 'quote-speaker', href: hrefFor({ speaker: q.speaker, offset: null }) }, q.speaker) : 'unattributed',
          q.speaker_role ? el('span', { class: 'muted' }, q.speaker_role) : null,
          q.cue ? el('span', { class: 'muted' }, `“${q.cue}”`) : null,
          el('span', { class: 'badge' }, q.kind || 'quote')),
        metaLine('quote-source', q.date || 'undated', q.outlet,
          el('a', { class: 'quote-doc', href: docHref(q.doc_id, { focus: Number.isInteger(q.quote) ? `quote-${q.quote}` : null }) }, truncate(q.title || q.doc_id, 100)),
          q.url ? extLink(q.url, 'original ↗') : null)))));
      out.push(pager(offset, QUOTES_LIMIT, quotes.length, null, (off) => hrefFor({ offset: off || null })));
    }
    results.replaceChildren(...out);
  }, 'quotes');
}

/** A one-line bar strip of counts per month (from /api/trends). */
function renderStrip(box, d, [dim, value]) {
  const s = (d.series || [])[0];
  const buckets = d.buckets || [];
  if (!s || !buckets.length) return;
  const max = Math.max(1, ...s.counts);
  const W = 600, H = 44, bw = W / buckets.length;
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'strip-chart', role: 'img',
    'aria-label': `Documents per month, ${buckets[0]} to ${buckets[buckets.length - 1]}` });
  s.counts.forEach((c, i) => {
    const h = c ? Math.max(2, (c / max) * (H - 4)) : 0;
    chart.append(svg('rect', { x: (i * bw + 0.5).toFixed(1), y: (H - h).toFixed(1), width: Math.max(1, bw - 1).toFixed(1), height: h.toFixed(1), class: 'strip-bar' },
      svg('title', null, `${buckets[i]}: ${c}`)));
  });
  box.replaceChildren(el('p', { class: 'small muted' },
    `Documents per month ${dim === 'speaker' ? 'quoting' : dim === 'actor' ? 'mentioning' : 'carrying'} ${s.name || value}: ${fmt(s.total)} · `,
    el('a', { href: route('trends', { by: dim, key: s.key, interval: 'month' }) }, 'open in Trends')),
  chart, el('div', { class: 'strip-axis small muted' }, el('span', null, buckets[0]), el('span', null, buckets[buckets.length - 1])));
}

/* ==== 3d. Trends: #/trends?by=&interval=&key=&from=&to= ==== */

const TREND_DIMS = ['narrative', 'actor', 'speaker', 'outlet'];
const INTERVALS = ['day', 'week', 'month'];
const TABLE_CAP = 400;

function viewTrends(root, { params: p }) {
  const by = TREND_DIMS.includes(p.get('by')) ? p.get('by') : 'narrative';
  const interval = INTERVALS.includes(p.get('interval')) ? p.get('interval') : 'month';
  const keys = p.getAll('key').filter(Boolean);
  const from = p.get('from') || '', to = p.get('to') || '';
  const extra = keepFilters(p, OTHER_FILTERS); // other filters in the address are kept
  setTitle(`Trends by ${by}`);
  const hrefFor = (o) => route('trends', { by, interval, key: keys, from, to, ...extra, ...o });

  const bySel = el('select', { id: 'trends-by', name: 'by', onchange: () => go(hrefFor({ by: bySel.value, key: null })) },
    TREND_DIMS.map((d) => el('option', { value: d, selected: d === by }, d)));
  const intSel = el('select', { id: 'trends-interval', name: 'interval', onchange: () => go(hrefFor({ interval: intSel.value })) },
    INTERVALS.map((d) => el('option', { value: d, selected: d === interval }, d)));
  const fromI = dateField('trends-from', 'From', from), toI = dateField('trends-to', 'To', to);
  const keysBox = el('fieldset', { id: 'trends-keys', class: 'keys' }, el('legend', null, `Series (${by}s)`), el('p', { class: 'muted small' }, 'Loading…'));
  const keysSummary = el('summary', null, keys.length ? `Series: ${keys.length} chosen` : 'Series: the top 6');
  const keysDetails = el('details', { id: 'trends-keys-box', class: 'keys-box' }, keysSummary, keysBox);
  const form = el('form', {
    id: 'trends-form', class: 'filters-form',
    onsubmit: (e) => {
      e.preventDefault();
      const chosen = [...keysBox.querySelectorAll('input[type=checkbox]:checked')].map((c) => c.value);
      go(hrefFor({ key: chosen, from: val(fromI), to: val(toI) }));
    },
  }, field('Count', bySel), field('Interval', intSel), fromI, toI,
  el('div', { class: 'form-actions' },
    el('button', { type: 'submit', id: 'trends-apply', class: 'btn primary' }, 'Apply'),
    el('a', { id: 'trends-reset', class: 'btn', href: hrefFor({ from: null, to: null }), 'aria-disabled': from || to ? null : 'true' }, 'Reset range')),
  keysDetails);

  const chartBox = el('div', { id: 'trends-chart-box', class: 'chart-box' });
  const tableBox = el('div', { id: 'trends-table-box', class: 'table-box' });
  root.append(el('div', { id: 'trends-view' }, el('h1', null, 'Trends'), form, chartBox, tableBox));

  load(chartBox, async () => {
    const [data, list] = await Promise.all([
      api('/api/trends', { by, interval, top: keys.length ? null : 6, key: keys, from, to, ...extra }),
      cachedApi(`/api/${by}s`, { limit: 50 }).catch((e) => { if (isAbort(e)) throw e; return { items: [] }; }),
    ]);
    const series = data.series || [];
    renderKeyPicker(keysBox, by, list.items || [], series, keys);
    keysSummary.textContent = `Series: ${series.length} shown, choose among ${keysBox.querySelectorAll('input[type=checkbox]').length}…`;
    if (!series.length || !(data.buckets || []).length) {
      chartBox.replaceChildren(el('p', { class: 'empty' }, 'No dated document for these series and dates.'));
      tableBox.replaceChildren();
      return;
    }
    const hidden = new Set();
    const chartWrap = el('div', { class: 'chart-wrap' });
    const legend = el('div', { id: 'trends-legend', class: 'legend', role: 'group', 'aria-label': 'Show or hide series' });
    const draw = () => drawTrends(chartWrap, data, hidden, interval, (a, b) => go(hrefFor({ from: a, to: b })));
    series.forEach((s, i) => {
      const b = el('button', { type: 'button', class: 'legend-item', 'aria-pressed': 'true', 'data-key': s.key },
        el('span', { class: 'legend-swatch', 'data-color': i }), `${truncate(s.name || s.key, 48)} (${fmt(s.total)})`);
      b.querySelector('.legend-swatch').style.background = SERIES_COLORS[i % SERIES_COLORS.length];
      b.addEventListener('click', () => {
        if (hidden.has(s.key)) hidden.delete(s.key); else hidden.add(s.key);
        b.setAttribute('aria-pressed', String(!hidden.has(s.key)));
        draw();
      });
      legend.append(b);
    });
    chartBox.replaceChildren(legend, chartWrap,
      el('p', { class: 'small muted' }, 'Drag across the chart to zoom on a date range. ',
        data.undated ? `${plural(data.undated, 'document')} without a date not shown.` : ''));
    draw();
    const onResize = debounce(draw, 150);
    window.addEventListener('resize', onResize);
    onCleanup(() => window.removeEventListener('resize', onResize));
    tableBox.replaceChildren(trendsTable(data, by));
  }, 'trends');
}

/** Checkbox list of keys: the dimension's top items plus the series shown. */
function renderKeyPicker(box, by, items, series, keys) {
  const shown = new Set(series.map((s) => s.key));
  const all = new Map();
  for (const s of series) all.set(s.key, { key: s.key, name: s.name, count: s.total });
  for (const it of items) if (!all.has(it.key)) all.set(it.key, it);
  const filter = el('input', { type: 'search', id: 'trends-key-filter', placeholder: `Filter ${by}s`, 'aria-label': `Filter the ${by} list`, autocomplete: 'off' });
  const list = el('div', { class: 'key-list' }, [...all.values()].map((it, i) => el('label', { class: 'key-option', for: `key-${i}` },
    el('input', { type: 'checkbox', id: `key-${i}`, value: it.key, checked: shown.has(it.key) || keys.includes(it.key) }),
    ` ${truncate(it.name || it.key, 60)} `, el('span', { class: 'count' }, fmt(it.count)))));
  filter.addEventListener('input', () => {
    const f = filter.value.toLowerCase();
    for (const l of list.children) l.hidden = f && !l.textContent.toLowerCase().includes(f);
  });
  filter.addEventListener('keydown', (e) => { if (e.key === 'Enter') e.preventDefault(); });
  box.replaceChildren(el('legend', null, `Series (${by}s): tick, then Apply`), filter, list);
}

/** End date of a bucket for a `to` filter (a week bucket is labelled by its Monday). */
function bucketEnd(label, interval) {
  if (interval !== 'week' || !/^\d{4}-\d{2}-\d{2}$/.test(label)) return label;
  const d = new Date(label + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + 6);
  return d.toISOString().slice(0, 10);
}

/** Tick values 0..max with a 1-2-5 step. */
function niceTicks(max, count) {
  if (max <= 0) return [0, 1];
  const raw = max / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw));
  const ticks = [];
  for (let v = 0; v < max + step; v += step) ticks.push(v);
  return ticks;
}

/** Line chart with hover tooltip, keyboard cursor (← →) and drag-to-select a date range. */
function drawTrends(wrap, data, hidden, interval, onRange) {
  const buckets = data.buckets;
  const series = data.series.map((s, i) => ({ ...s, color: SERIES_COLORS[i % SERIES_COLORS.length] })).filter((s) => !hidden.has(s.key));
  const W = Math.max(300, Math.floor(wrap.clientWidth || 800)), H = W < 500 ? 240 : 320;
  const m = { l: 44, r: 16, t: 12, b: 44 };
  const pw = W - m.l - m.r, ph = H - m.t - m.b;
  const n = buckets.length;
  const max = Math.max(1, ...series.flatMap((s) => s.counts));
  const ticks = niceTicks(max, H < 300 ? 4 : 5);
  const top = ticks[ticks.length - 1];
  const x = (i) => m.l + (n === 1 ? pw / 2 : (i * pw) / (n - 1));
  const y = (v) => m.t + ph - (v / top) * ph;

  const chart = svg('svg', { id: 'trends-chart', class: 'trends-chart', width: W, height: H, viewBox: `0 0 ${W} ${H}`, tabindex: '0',
    role: 'img', 'aria-label': `Documents per ${interval}, ${buckets[0]} to ${buckets[n - 1]}; the table below has the numbers. Use the left and right arrow keys to read values.` });
  const axis = svg('g', { class: 'axis' });
  for (const t of ticks) {
    axis.append(svg('line', { x1: m.l, x2: W - m.r, y1: y(t), y2: y(t), class: 'grid' }),
      svg('text', { x: m.l - 6, y: y(t) + 4, 'text-anchor': 'end' }, fmt(t)));
  }
  const every = Math.max(1, Math.ceil(n / Math.max(1, Math.floor(pw / 78))));
  for (let i = 0; i < n; i += every) {
    axis.append(svg('line', { x1: x(i), x2: x(i), y1: m.t + ph, y2: m.t + ph + 4, class: 'tick' }),
      svg('text', { x: x(i), y: m.t + ph + 18, 'text-anchor': x(i) + 36 > W ? 'end' : x(i) - 36 < 0 ? 'start' : 'middle' }, buckets[i]));
  }
  axis.append(svg('line', { x1: m.l, x2: W - m.r, y1: m.t + ph, y2: m.t + ph, class: 'baseline' }),
    svg('text', { x: m.l + pw / 2, y: H - 6, 'text-anchor': 'middle', class: 'axis-title' }, `${interval} · documents`));
  chart.append(axis);

  for (const s of series) {
    const d = s.counts.map((c, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(c).toFixed(1)}`).join('');
    chart.append(svg('path', { d, class: 'series-line', stroke: s.color, 'data-key': s.key }));
    if (n <= 60) s.counts.forEach((c, i) => c && chart.append(svg('circle', { cx: x(i), cy: y(c), r: 2.5, fill: s.color })));
  }

  const guide = svg('line', { y1: m.t, y2: m.t + ph, class: 'guide', visibility: 'hidden' });
  const brush = svg('rect', { y: m.t, height: ph, class: 'brush', visibility: 'hidden' });
  const overlay = svg('rect', { x: m.l, y: m.t, width: pw, height: ph, class: 'overlay' });
  chart.append(guide, brush, overlay);
  const tip = el('div', { id: 'trends-tooltip', class: 'tooltip', role: 'status', hidden: true });

  const idxAt = (ev) => {
    const r = chart.getBoundingClientRect();
    const px = ((ev.clientX - r.left) * W) / (r.width || W);
    return n === 1 ? 0 : clamp(Math.round(((px - m.l) / pw) * (n - 1)), 0, n - 1);
  };
  let cursor = -1;
  const show = (i) => {
    cursor = i;
    guide.setAttribute('x1', x(i)); guide.setAttribute('x2', x(i)); guide.setAttribute('visibility', 'visible');
    tip.replaceChildren(el('strong', null, buckets[i]), ...series.map((s) => el('div', null,
      el('span', { class: 'legend-swatch', 'data-color': s.color }), ` ${truncate(s.name || s.key, 40)}: ${fmt(s.counts[i])}`)));
    tip.querySelectorAll('.legend-swatch').forEach((sw) => { sw.style.background = sw.getAttribute('data-color'); });
    tip.hidden = false;
    const left = x(i) + 14;
    tip.style.left = (left + 220 > W ? Math.max(0, x(i) - 14 - 220) : left) + 'px';
    tip.style.top = m.t + 'px';
  };
  const hide = () => { guide.setAttribute('visibility', 'hidden'); tip.hidden = true; cursor = -1; };

  let drag = null;
  overlay.addEventListener('pointerdown', (ev) => {
    if (ev.button !== 0) return;
    drag = { i0: idxAt(ev), i1: null };
    overlay.setPointerCapture(ev.pointerId);
  });
  overlay.addEventListener('pointermove', (ev) => {
    const i = idxAt(ev);
    show(i);
    if (!drag) return;
    drag.i1 = i;
    const a = Math.min(drag.i0, i), b = Math.max(drag.i0, i);
    brush.setAttribute('x', x(a)); brush.setAttribute('width', Math.max(1, x(b) - x(a)));
    brush.setAttribute('visibility', 'visible');
  });
  overlay.addEventListener('pointerup', () => {
    const d = drag;
    drag = null;
    if (d && d.i1 != null && d.i1 !== d.i0) {
      const a = Math.min(d.i0, d.i1), b = Math.max(d.i0, d.i1);
      onRange(buckets[a], bucketEnd(buckets[b], interval));
    } else brush.setAttribute('visibility', 'hidden');
  });
  overlay.addEventListener('pointercancel', () => { drag = null; brush.setAttribute('visibility', 'hidden'); });
  overlay.addEventListener('pointerleave', () => { if (!drag) hide(); });
  chart.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowRight' || ev.key === 'ArrowLeft') {
      ev.preventDefault();
      show(clamp(cursor < 0 ? 0 : cursor + (ev.key === 'ArrowRight' ? 1 : -1), 0, n - 1));
    } else if (ev.key === 'Escape') hide();
  });
  chart.addEventListener('blur', hide);
  current.onEscape = hide;
  wrap.replaceChildren(chart, tip);
}

/** The chart's numbers as a table (non-empty buckets, capped). */
function trendsTable(data, by) {
  const series = data.series;
  const rows = data.buckets.map((b, i) => [b, series.map((s) => s.counts[i])]).filter(([, cs]) => cs.some((c) => c));
  const shown = rows.slice(0, TABLE_CAP);
  return el('div', null,
    el('table', { id: 'trends-table', class: 'data-table' },
      el('caption', null, `Documents per bucket (buckets with no document left out)${rows.length > TABLE_CAP ? `; first ${TABLE_CAP} of ${rows.length} rows` : ''}`),
      el('thead', null, el('tr', null, el('th', { scope: 'col' }, 'Bucket'),
        series.map((s) => el('th', { scope: 'col' }, el('a', { href: route('search', { [by]: s.key }), title: `Search documents: ${s.name}` }, truncate(s.name || s.key, 40)))))),
      el('tbody', null, shown.map(([b, cs]) => el('tr', null, el('th', { scope: 'row' }, b), cs.map((c) => el('td', null, c ? fmt(c) : ''))))),
      el('tfoot', null, el('tr', null, el('th', { scope: 'row' }, 'Total'), series.map((s) => el('td', null, fmt(s.total)))))));
}

/* ==== 3e. Reprints: #/reprints?threshold=&cross_outlet= and #/reprints/<original>?copy= ==== */

const REPRINTS_LIMIT = 50;

function reprintParams(p) {
  const t = parseFloat(p.get('threshold'));
  return {
    threshold: Number.isFinite(t) ? clamp(t, 0, 1) : 0.8,
    cross_outlet: p.get('cross_outlet') === '1' || p.get('cross_outlet') === 'true' ? 1 : 0,
    from: p.get('from') || '', to: p.get('to') || '',
  };
}
/** API form of the list parameters (cross_outlet as a boolean). */
const reprintApi = (rp, offset) => ({ threshold: rp.threshold, cross_outlet: rp.cross_outlet ? 'true' : 'false',
  from: rp.from, to: rp.to, limit: REPRINTS_LIMIT, offset });
/** The server flattens the copy's document fields into the copy; a nested `doc` is accepted too. */
const copyDoc = (c) => c.doc || c;

function viewReprints(root, { arg, params: p }) {
  const rp = reprintParams(p);
  const offset = toInt(p.get('offset'), 0);
  const listHref = (o) => route('reprints', { ...rp, ...o, cross_outlet: (o && 'cross_outlet' in o ? o.cross_outlet : rp.cross_outlet) || null });
  if (arg) return viewCluster(root, arg, rp, p, offset, listHref);
  setTitle('Reprints');

  const thr = el('input', { id: 'reprints-threshold', name: 'threshold', type: 'number', min: '0.3', max: '1', step: '0.05', value: rp.threshold });
  const cross = el('input', { id: 'reprints-cross', name: 'cross_outlet', type: 'checkbox', checked: !!rp.cross_outlet });
  const fromI = dateField('reprints-from', 'From', rp.from), toI = dateField('reprints-to', 'To', rp.to);
  const form = el('form', {
    id: 'reprints-form', class: 'filters-form',
    onsubmit: (e) => {
      e.preventDefault();
      go(listHref({ threshold: thr.value || 0.8, cross_outlet: cross.checked ? 1 : 0, from: val(fromI), to: val(toI), offset: null }));
    },
  }, field('Similarity ≥', thr), el('label', { class: 'field check', for: 'reprints-cross' }, cross, ' Copies in other outlets only'),
  fromI, toI, el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'btn primary' }, 'Apply')));
  const results = el('section', { id: 'reprints-results', class: 'results', 'aria-label': 'Clusters' });
  root.append(el('div', { id: 'reprints-view' }, el('h1', null, 'Reprints'),
    el('p', { class: 'muted' }, 'Groups of near-identical articles: the earliest one and the copies that followed.'), form, results));

  load(results, async () => {
    const data = await cachedApi('/api/reprints', reprintApi(rp, offset));
    const clusters = data.clusters || [];
    if (!clusters.length) return results.replaceChildren(el('p', { class: 'empty' }, 'No reprint cluster at this threshold.'));
    results.replaceChildren(el('p', { id: 'reprints-total', class: 'total' }, el('strong', null, plural(data.total, 'cluster'))),
      el('ol', { class: 'cluster-list', start: offset + 1 }, clusters.map((c) => {
        const o = c.original || {};
        const copies = c.copies || [];
        const outlets = [...new Set([o.outlet, ...copies.map((x) => copyDoc(x).outlet)].filter(Boolean))];
        const lags = copies.map((x) => x.lag_days).filter((l) => l != null);
        const nOutlets = c.outlets != null ? c.outlets : outlets.length;
        return el('li', { class: 'cluster', 'data-doc-id': o.doc_id },
          el('a', { class: 'cluster-title', href: route('reprints', { ...rp, cross_outlet: rp.cross_outlet || null, offset: offset || null }, o.doc_id) }, o.title || o.doc_id),
          metaLine('cluster-meta', o.date || 'undated', o.outlet || 'unknown outlet',
            el('strong', null, plural(copies.length, 'copy', 'copies')),
            nOutlets ? plural(nOutlets, 'outlet') : null,
            lags.length ? `last after ${plural(Math.max(...lags), 'day')}` : null),
          outlets.length ? el('ul', { class: 'chips cluster-outlets' }, outlets.slice(0, 12).map((x) => el('li', { class: 'chip static' }, x))) : null);
      })),
      pager(offset, REPRINTS_LIMIT, clusters.length, data.total, (off) => listHref({ offset: off || null })));
  }, 'clusters');
}

/** Find the cluster whose original (or one of whose copies) is `id`: first on the page the list
 *  link came from, then by scanning a few pages (the API has no per-cluster endpoint). */
async function findCluster(id, rp, offset) {
  const tried = new Set();
  const match = (c) => (c.original || {}).doc_id === id || (c.copies || []).some((x) => copyDoc(x).doc_id === id);
  for (const off of [offset, ...Array.from({ length: 10 }, (_, i) => i * REPRINTS_LIMIT)]) {
    if (tried.has(off)) continue;
    tried.add(off);
    const data = await cachedApi('/api/reprints', reprintApi(rp, off));
    const found = (data.clusters || []).find(match);
    if (found) return found;
    if (off === 0 && (data.total || 0) <= REPRINTS_LIMIT) break;
  }
  return null;
}

function viewCluster(root, id, rp, p, offset, listHref) {
  setTitle('Reprint cluster');
  const copyId = p.get('copy');
  const box = el('div', { id: 'cluster-view' });
  root.append(el('p', { class: 'crumbs' }, el('a', { href: listHref({ offset: offset || null }) }, '← All clusters')), box);
  const clusterHref = (copy) => route('reprints', { ...rp, cross_outlet: rp.cross_outlet || null, offset: offset || null, copy }, id);

  load(box, async () => {
    const c = await findCluster(id, rp, offset);
    if (!c) throw new ApiError(`No reprint cluster contains “${id}” at similarity ≥ ${rp.threshold}.`, 404);
    const o = c.original || {};
    setTitle(`Reprints of ${truncate(o.title || o.doc_id, 50)}`);
    const changeBadges = (ch) => {
      if (!ch) return [];
      const b = [];
      if (ch.title_changed) b.push('title changed');
      if ((ch.credits_removed || []).length) b.push('credits removed: ' + ch.credits_removed.join(', '));
      if ((ch.credits_added || []).length) b.push('credits added: ' + ch.credits_added.join(', '));
      if (ch.paragraphs_cut) b.push(plural(ch.paragraphs_cut, 'paragraph') + ' cut');
      if (ch.paragraphs_added) b.push(plural(ch.paragraphs_added, 'paragraph') + ' added');
      if (ch.paragraphs_reworded) b.push(plural(ch.paragraphs_reworded, 'paragraph') + ' reworded');
      if (ch.reordered) b.push('reordered');
      return b.length ? b.map((t) => el('span', { class: ['badge', /removed|cut/.test(t) && 'warn'] }, t)) : [el('span', { class: 'muted' }, 'identical text')];
    };
    // The copy compared: the one asked for, else the first that changed something.
    const copies = c.copies || [];
    const changed = (x) => changeBadges(x.changes).some((b) => b.classList.contains('badge'));
    const first = copies.find(changed) || copies[0];
    const shownId = copyId || (first ? copyDoc(first).doc_id : null);
    const rows = copies.map((x) => {
      const d = copyDoc(x);
      const sel = d.doc_id === shownId;
      return el('tr', { class: ['copy', sel && 'selected'], 'data-doc-id': d.doc_id, 'aria-current': sel ? 'true' : null },
        el('td', null, el('a', { href: docHref(d.doc_id) }, truncate(d.title || d.doc_id, 90)), d.url ? el('div', { class: 'small' }, extLink(d.url, 'original ↗')) : null),
        el('td', null, d.outlet || '—'), el('td', null, d.date || '—'),
        el('td', { class: 'num' }, x.lag_days == null ? '—' : fmt(x.lag_days)),
        el('td', { class: 'num', title: x.jaccard != null ? `Jaccard ${pct(x.jaccard)}` : null }, pct(x.similarity)),
        el('td', { class: 'changes' }, changeBadges(x.changes)),
        el('td', null, sel ? el('span', { class: 'muted' }, 'shown below')
          : el('a', { class: 'btn compare', href: clusterHref(d.doc_id), 'aria-label': `Compare with the copy from ${d.outlet || d.doc_id}` }, 'Compare')));
    });
    const diffBox = el('section', { id: 'diff-view', class: 'diff-view', 'aria-label': 'Differences', tabindex: '-1' });
    box.replaceChildren(
      el('h1', null, 'Reprint cluster'),
      el('div', { class: 'cluster-original card' }, el('div', { class: 'small muted' }, 'Original (earliest)'),
        el('a', { class: 'cluster-title', href: docHref(o.doc_id) }, o.title || o.doc_id),
        metaLine('cluster-meta', o.date || 'undated', o.outlet || 'unknown outlet', o.url ? extLink(o.url, 'original ↗') : null)),
      el('div', { class: 'table-box' }, el('table', { id: 'copies', class: 'data-table copies' },
        el('caption', null, `${plural(rows.length, 'copy', 'copies')}; lag in days after the original`),
        el('thead', null, el('tr', null, ['Copy', 'Outlet', 'Date', 'Lag', 'Similarity', 'Changes', ''].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', null, rows))),
      diffBox);
    const copy = copies.find((x) => copyDoc(x).doc_id === shownId);
    if (!copy) {
      diffBox.append(el('p', { class: 'muted' }, 'Pick a copy (Compare) to see what changed, paragraph by paragraph.'));
      return;
    }
    current.onEscape = () => go(clusterHref(null));
    load(diffBox, async () => {
      const [da, db] = await Promise.all([api('/api/documents/' + encodeURIComponent(o.doc_id)), api('/api/documents/' + encodeURIComponent(copyDoc(copy).doc_id))]);
      renderDiff(diffBox, da, db, clusterHref(null));
      diffBox.focus({ preventScroll: true });
      if (p.get('copy')) diffBox.scrollIntoView({ block: 'start' });
    }, 'both texts');
  }, 'cluster');
}

/* ---- diff ---- */

/** Myers O(ND) diff of two sequences. Returns [[op, i, j]] with op '=', '-' (a[i]) or '+' (b[j]),
 *  or null when more than maxD edits are needed (the caller falls back to a coarser view). */
function myers(a, b, eq, maxD) {
  const n = a.length, m = b.length, max = Math.min(n + m, maxD);
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(off - d - 1, off + d + 2)); // v before step d, for k in [-d-1, d+1]
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? v[off + k + 1] : v[off + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && eq(a[x], b[y])) { x++; y++; }
      v[off + k] = x;
      if (x >= n && y >= m) return backtrack(trace, n, m);
    }
  }
  return null;
}

function backtrack(trace, n, m) {
  const ops = [];
  let x = n, y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const v = trace[d];
    const at = (k) => v[k + d + 1];
    const k = x - y;
    const pk = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const px = at(pk), py = px - pk;
    while (x > px && y > py) { x--; y--; ops.push(['=', x, y]); }
    if (d > 0) {
      if (x === px) { y--; ops.push(['+', x, y]); } else { x--; ops.push(['-', x, y]); }
    }
  }
  return ops.reverse();
}

const normSpace = (s) => s.replace(/\s+/g, ' ').trim();
const tokenize = (s) => s.match(/[\p{L}\p{N}]+|\s+|[^\p{L}\p{N}\s]/gu) || [];
function wordSim(a, b) {
  const wa = new Set(a.toLowerCase().match(/[\p{L}\p{N}]+/gu) || []), wb = new Set(b.toLowerCase().match(/[\p{L}\p{N}]+/gu) || []);
  let inter = 0;
  for (const w of wa) if (wb.has(w)) inter++;
  return inter / Math.max(1, wa.size + wb.size - inter);
}

/** Paragraph texts of a document (code-point offsets). */
function paragraphTexts(a) {
  const text = (a && a.text) || '';
  const cps = Array.from(text);
  const ps = (a.paragraphs || []).filter((p) => p.end > p.start);
  return ps.length ? ps.map((p) => cpSlice(cps, p.start, p.end)) : text.split(/\n\s*\n/).map((s) => s.trim()).filter(Boolean);
}

/** Align paragraphs → rows {kind: same|changed|deleted|inserted|moved, a?, b?}; null if too different. */
function diffParagraphs(A, B) {
  const na = A.map(normSpace), nb = B.map(normSpace);
  const ops = myers(na, nb, (p, q) => p === q, 600);
  if (!ops) return null;
  const rows = [];
  let dels = [], ins = [];
  const flush = () => {
    let j = 0;
    for (const i of dels) {
      let k = j;
      while (k < ins.length && wordSim(A[i], B[ins[k]]) < 0.35) k++;
      if (k < ins.length) {
        for (; j < k; j++) rows.push({ kind: 'inserted', b: ins[j] });
        rows.push({ kind: 'changed', a: i, b: ins[k] });
        j = k + 1;
      } else rows.push({ kind: 'deleted', a: i });
    }
    for (; j < ins.length; j++) rows.push({ kind: 'inserted', b: ins[j] });
    dels = []; ins = [];
  };
  for (const [op, i, j] of ops) {
    if (op === '=') { flush(); rows.push({ kind: 'same', a: i, b: j }); } else if (op === '-') dels.push(i); else ins.push(j);
  }
  flush();
  // A paragraph deleted in one place and inserted unchanged elsewhere was moved.
  const insByText = new Map();
  rows.forEach((r) => r.kind === 'inserted' && insByText.set(nb[r.b], r));
  for (const r of rows) {
    const twin = r.kind === 'deleted' && insByText.get(na[r.a]);
    if (twin && twin.kind === 'inserted') { r.kind = 'moved'; twin.kind = 'moved'; }
  }
  return rows;
}

/** Word-level diff of two paragraphs → [oldNodes, newNodes], or null when too large. */
function diffWords(a, b) {
  const ta = tokenize(a), tb = tokenize(b);
  if (ta.length + tb.length > 6000) return null;
  const ops = myers(ta, tb, (p, q) => p === q, 1200);
  if (!ops) return null;
  const left = [], right = [];
  const add = (side, kind, t) => {
    const last = side[side.length - 1];
    if (last && last[0] === kind) last[1] += t; else side.push([kind, t]);
  };
  ops.forEach(([op, i, j], x) => {
    // A lone space kept between two changes reads better inside them.
    const glue = op === '=' && /^\s+$/.test(ta[i]) && x > 0 && ops[x - 1][0] !== '=' && ops[x + 1] && ops[x + 1][0] !== '=';
    if (op === '=' && !glue) { add(left, '=', ta[i]); add(right, '=', tb[j]); } else if (op === '-' || glue) add(left, '-', ta[i]);
    if (op === '+' || glue) add(right, '+', tb[j]);
  });
  const nodes = (side) => side.map(([k, t]) => (k === '=' ? t : el(k === '-' ? 'del' : 'ins', null, t)));
  return [nodes(left), nodes(right)];
}

function renderDiff(box, da, db, closeHref) {
  const aa = da.analysis || {}, ab = db.analysis || {};
  const ma = aa.meta || {}, mb = ab.meta || {};
  const A = paragraphTexts(aa), B = paragraphTexts(ab);
  const rows = A.length + B.length > 4000 ? null : diffParagraphs(A, B);
  const head = (d, m, label) => el('div', { class: 'diff-col-head' }, el('strong', null, label), ' ',
    el('a', { href: docHref(d.doc_id) }, truncate(m.title || d.doc_id, 80)), metaLine('small muted', m.outlet, m.date));
  const cell = (side, content, cls) => el('div', { class: ['diff-cell', side, cls] }, content == null ? el('span', { class: 'diff-none', 'aria-label': 'nothing' }, '—') : content);
  const out = [];
  if ((ma.title || '') !== (mb.title || '')) {
    const w = diffWords(ma.title || '', mb.title || '') || [[el('del', null, ma.title || '')], [el('ins', null, mb.title || '')]];
    out.push(el('div', { class: 'diff-row changed title-row' }, cell('diff-old', w[0]), cell('diff-new', w[1])));
  }
  let stats = { same: 0, changed: 0, deleted: 0, inserted: 0, moved: 0 };
  if (!rows) {
    out.push(el('p', { class: 'notice' }, 'The texts differ too much for a paragraph diff; shown whole.'));
    out.push(el('div', { class: 'diff-row changed' }, cell('diff-old', A.map((t) => el('p', null, t))), cell('diff-new', B.map((t) => el('p', null, t)))));
  } else {
    for (const r of rows) {
      stats[r.kind]++;
      const ta = r.a != null ? A[r.a] : null, tb = r.b != null ? B[r.b] : null;
      let left = ta, right = tb;
      if (r.kind === 'changed') {
        const w = diffWords(ta, tb);
        if (w) [left, right] = w; else { left = el('del', null, ta); right = el('ins', null, tb); }
      } else if (r.kind === 'deleted') left = el('del', null, ta);
      else if (r.kind === 'inserted') right = el('ins', null, tb);
      else if (r.kind === 'moved') left = ta == null ? null : el('span', { class: 'moved-text', title: 'Moved' }, ta), right = tb == null ? null : el('span', { class: 'moved-text', title: 'Moved' }, tb);
      out.push(el('div', { class: ['diff-row', r.kind], 'data-kind': r.kind }, cell('diff-old', left), cell('diff-new', right)));
    }
  }
  box.replaceChildren(
    el('div', { class: 'diff-head' }, el('h2', null, 'What the copy changed'),
      el('a', { class: 'btn', href: closeHref, 'aria-label': 'Close the comparison' }, 'Close (Esc)')),
    rows ? el('p', { id: 'diff-summary', class: 'small muted' }, `${stats.same} same, ${stats.changed} reworded, ${stats.deleted} cut, ${stats.inserted} added, ${stats.moved} moved paragraphs. `,
      el('del', null, 'deleted words'), ' ', el('ins', null, 'inserted words')) : null,
    el('div', { class: 'diff-grid' }, el('div', { class: 'diff-row diff-heads' }, head(da, ma, 'Original'), head(db, mb, 'Copy')), out));
}

/* ==== 3f. Network: #/network?min=1&limit=80 ==== */

const KIND_COLORS = { speaker: '#1f5fa8', actor: '#c2410c', outlet: '#15803d' };

/** Deterministic PRNG (mulberry32) so the same graph always gets the same layout. */
function mulberry32(seed) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fruchterman–Reingold layout in a W×H frame (nodes stay inside it), a fixed number of
 *  iterations from a seeded start, then fitted to the frame. */
function forceLayout(nodes, links, W, H, iterations) {
  const rand = mulberry32(42);
  const n = nodes.length;
  const hw = W / 2 - 36, hh = H / 2 - 36;
  const P = nodes.map(() => ({ x: (rand() - 0.5) * W * 0.8, y: (rand() - 0.5) * H * 0.8 }));
  const k = Math.sqrt((W * H) / Math.max(1, n)) * 0.6; // ideal link length
  let temp = W / 8;
  const dx = new Float64Array(n), dy = new Float64Array(n);
  for (let it = 0; it < iterations; it++) {
    dx.fill(0); dy.fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let ex = P[i].x - P[j].x, ey = P[i].y - P[j].y;
        let d2 = ex * ex + ey * ey;
        if (d2 < 0.01) { ex = rand() - 0.5; ey = rand() - 0.5; d2 = 0.5; }
        const f = (k * k) / d2; // repulsion k²/d along the unit vector e/d
        dx[i] += ex * f; dy[i] += ey * f; dx[j] -= ex * f; dy[j] -= ey * f;
      }
    }
    for (const [a, b, w] of links) {
      const ex = P[a].x - P[b].x, ey = P[a].y - P[b].y;
      const d = Math.sqrt(ex * ex + ey * ey) || 0.01;
      const f = (d / k) * (1 + Math.log(w) * 0.2); // attraction d²/k, heavier links pull harder
      dx[a] -= ex * f; dy[a] -= ey * f; dx[b] += ex * f; dy[b] += ey * f;
    }
    for (let i = 0; i < n; i++) {
      dx[i] -= P[i].x * 0.05; dy[i] -= P[i].y * 0.05 * (W / H); // light pull to the centre
      const len = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) || 1;
      const step = Math.min(len, temp);
      P[i].x = clamp(P[i].x + (dx[i] / len) * step, -hw, hw);
      P[i].y = clamp(P[i].y + (dy[i] / len) * step, -hh, hh);
    }
    temp = Math.max(0.5, temp * 0.97);
  }
  const sx = hw / Math.max(1, ...P.map((p) => Math.abs(p.x))), sy = hh / Math.max(1, ...P.map((p) => Math.abs(p.y)));
  return P.map((p) => ({ x: W / 2 + p.x * sx, y: H / 2 + p.y * sy }));
}

function viewNetwork(root, { params: p }) {
  const st = { min: toInt(p.get('min'), 1), limit: toInt(p.get('limit'), 80), from: p.get('from') || '', to: p.get('to') || '' };
  const extra = keepFilters(p, OTHER_FILTERS);
  setTitle('Network');
  const minI = el('input', { id: 'network-min', name: 'min', type: 'number', min: '1', step: '1', value: st.min });
  const limI = el('input', { id: 'network-limit', name: 'limit', type: 'number', min: '5', max: '1000', step: '5', value: st.limit });
  const fromI = dateField('network-from', 'From', st.from), toI = dateField('network-to', 'To', st.to);
  const form = el('form', {
    id: 'network-form', class: 'filters-form',
    onsubmit: (e) => { e.preventDefault(); go(route('network', { ...extra, min: minI.value, limit: limI.value, from: val(fromI), to: val(toI) })); },
  }, field('Min. weight', minI), field('Max. links', limI), fromI, toI,
  el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'btn primary' }, 'Apply')));
  const chartBox = el('div', { id: 'network-box', class: 'chart-box' });
  const tableBox = el('div', { class: 'table-box' });
  root.append(el('div', { id: 'network-view' }, el('h1', null, 'Network'),
    el('p', { class: 'muted' }, 'Who quotes whom (outlet → speaker) and who mentions whom in quotes (speaker → actor). Wider lines: more often.'),
    form, chartBox, tableBox));

  load(chartBox, async () => {
    const data = await api('/api/network', { ...extra, ...st });
    const ids = new Set((data.nodes || []).map((nd) => nd.id));
    const edges = (data.edges || []).filter((e) => ids.has(e.source) && ids.has(e.target) && e.source !== e.target);
    const linked = new Set(edges.flatMap((e) => [e.source, e.target]));
    const nodes = (data.nodes || []).filter((nd) => linked.has(nd.id)); // no isolated node
    const byId = new Map(nodes.map((nd, i) => [nd.id, i]));
    if (!nodes.length) {
      chartBox.replaceChildren(el('p', { class: 'empty' }, 'No link at this minimum weight. Lower it.'));
      return;
    }
    drawNetwork(chartBox, nodes, edges, byId);
    if ((data.unknown || []).length) chartBox.prepend(el('p', { id: 'unknown-notice', class: 'notice' }, 'Not found in this store: ', data.unknown.join(', ')));
    tableBox.replaceChildren(edgeTable(nodes, edges, byId));
  }, 'network');
}

/** Where a node leads: a speaker's quotes, an actor's or an outlet's documents. */
function nodeHref(nd) {
  if (nd.kind === 'speaker') return route('quotes', { speaker: nd.name || nd.id });
  if (nd.kind === 'outlet') return route('search', { outlet: String(nd.id).replace(/^outlet:/, '') });
  return route('search', { actor: nd.id });
}

function drawNetwork(box, nodes, edges, byId) {
  const W = 1000, H = 640;
  const links = edges.map((e) => [byId.get(e.source), byId.get(e.target), Math.max(1, e.weight)]);
  // 300 iterations, fewer for big graphs (each one is O(n²)): the work stays bounded.
  const P = forceLayout(nodes, links, W, H, clamp(Math.floor(6e6 / (nodes.length * nodes.length || 1)), 20, 300));
  const maxW = Math.max(1, ...nodes.map((nd) => nd.weight || 1));
  const maxE = Math.max(1, ...edges.map((e) => e.weight || 1));
  const R = nodes.map((nd) => 4 + 16 * Math.sqrt((nd.weight || 1) / maxW));
  // Label above the node, kept inside the frame; only the biggest nodes' labels that do not overlap.
  const labelAt = (i) => {
    const w = Math.min(28, Array.from(nodes[i].name || nodes[i].id).length) * 6.6;
    return [clamp(P[i].x, w / 2 + 2, W - w / 2 - 2), Math.max(14, P[i].y - R[i] - 4), w];
  };
  const labelled = new Set();
  const boxes = [];
  for (const i of [...nodes.keys()].sort((a, b) => (nodes[b].weight || 0) - (nodes[a].weight || 0)).slice(0, 30)) {
    const [x, y, w] = labelAt(i);
    const b = [x - w / 2, y - 12, x + w / 2, y + 2];
    if (boxes.some((o) => b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3])) continue;
    boxes.push(b);
    labelled.add(i);
    if (labelled.size >= 18) break;
  }
  const neighbours = nodes.map(() => new Set());
  links.forEach(([a, b]) => { neighbours[a].add(b); neighbours[b].add(a); });

  const chart = svg('svg', { id: 'network-chart', class: 'network-chart', viewBox: `0 0 ${W} ${H}`, role: 'group',
    'aria-label': `Network of ${nodes.length} nodes and ${edges.length} links; the table below lists the links.` });
  chart.append(svg('defs', null, ['quotes', 'mentions'].map((k) => svg('marker', {
    id: `arrow-${k}`, viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '7', markerHeight: '7', markerUnits: 'userSpaceOnUse', orient: 'auto',
  }, svg('path', { d: 'M0,1 L10,5 L0,9 z', class: `arrow-${k}` })))));

  const edgeEls = edges.map((e, i) => {
    const [a, b] = links[i];
    const s = P[a], t = P[b];
    const mx = (s.x + t.x) / 2, my = (s.y + t.y) / 2;
    const len = Math.hypot(t.x - s.x, t.y - s.y) || 1;
    const cx = mx - ((t.y - s.y) / len) * len * 0.12, cy = my + ((t.x - s.x) / len) * len * 0.12; // slight curve
    const u = (px, py, qx, qy, r) => { const l = Math.hypot(qx - px, qy - py) || 1; return [px + ((qx - px) / l) * r, py + ((qy - py) / l) * r]; };
    const [sx, sy] = u(s.x, s.y, cx, cy, R[a]);
    const [ex, ey] = u(t.x, t.y, cx, cy, R[b] + 1.5);
    const kind = e.kind === 'quotes' ? 'quotes' : 'mentions';
    return svg('path', { d: `M${sx.toFixed(1)},${sy.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${ex.toFixed(1)},${ey.toFixed(1)}`,
      class: `edge ${kind}`, 'stroke-width': (0.8 + 4.5 * Math.sqrt(e.weight / maxE)).toFixed(2), 'marker-end': `url(#arrow-${kind})`,
      'data-source': e.source, 'data-target': e.target },
    svg('title', null, `${nodes[a].name} ${kind === 'quotes' ? 'quotes' : 'mentions'} ${nodes[b].name}: ${e.weight}`));
  });
  const gEdges = svg('g', { class: 'edges' }, edgeEls);
  const nodeEls = nodes.map((nd, i) => svg('a', {
    href: nodeHref(nd), class: ['node', `kind-${nd.kind}`, labelled.has(i) && 'labelled'], 'data-id': nd.id,
    'aria-label': `${nd.name} (${nd.kind}, ${nd.weight})`,
  }, svg('circle', { cx: P[i].x.toFixed(1), cy: P[i].y.toFixed(1), r: R[i].toFixed(1), fill: KIND_COLORS[nd.kind] || '#475569' }),
  svg('text', { x: labelAt(i)[0].toFixed(1), y: labelAt(i)[1].toFixed(1), 'text-anchor': 'middle', class: 'node-label' }, truncate(nd.name || nd.id, 28)),
  svg('title', null, `${nd.name} — ${nd.kind}, weight ${nd.weight}`)));
  const gNodes = svg('g', { class: 'nodes' }, nodeEls);
  chart.append(gEdges, gNodes);

  /** Highlight a node, its neighbours and its links; -1 clears. */
  const focusNode = (i) => {
    chart.classList.toggle('hovering', i >= 0);
    nodeEls.forEach((ne, j) => ne.classList.toggle('hl', i >= 0 && (j === i || neighbours[i].has(j))));
    edgeEls.forEach((ee, j) => ee.classList.toggle('hl', i >= 0 && (links[j][0] === i || links[j][1] === i)));
  };
  nodeEls.forEach((ne, i) => {
    ne.addEventListener('mouseenter', () => focusNode(i));
    ne.addEventListener('focus', () => focusNode(i));
    ne.addEventListener('mouseleave', () => focusNode(-1));
    ne.addEventListener('blur', () => focusNode(-1));
  });
  current.onEscape = () => { focusNode(-1); if (chart.contains(document.activeElement)) document.activeElement.blur(); };

  const legend = el('div', { class: 'legend static' },
    Object.entries(KIND_COLORS).map(([k, c]) => {
      const sw = el('span', { class: 'legend-swatch round' });
      sw.style.background = c;
      return el('span', { class: 'legend-item' }, sw, ` ${k}`);
    }),
    el('span', { class: 'legend-item' }, el('span', { class: 'legend-line quotes' }), ' quotes'),
    el('span', { class: 'legend-item' }, el('span', { class: 'legend-line mentions' }), ' mentions'));
  box.replaceChildren(legend, el('div', { class: 'network-wrap' }, chart),
    el('p', { class: 'small muted' }, `${plural(nodes.length, 'node')}, ${plural(edges.length, 'link')}. Hover or Tab to a node to see its neighbours; click it to open its quotes or documents.`));
}

function edgeTable(nodes, edges, byId) {
  const top = [...edges].sort((a, b) => b.weight - a.weight).slice(0, 50);
  const name = (id) => {
    const nd = nodes[byId.get(id)];
    return el('a', { href: nodeHref(nd) }, nd.name || nd.id);
  };
  return el('table', { id: 'network-edges', class: 'data-table' },
    el('caption', null, `Strongest links (${top.length} of ${edges.length})`),
    el('thead', null, el('tr', null, ['From', 'Link', 'To', 'Count'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', null, top.map((e) => el('tr', null, el('td', null, name(e.source)), el('td', null, e.kind),
      el('td', null, name(e.target)), el('td', { class: 'num' }, fmt(e.weight))))));
}

/* ==== 4. Router and start-up ==== */

function viewNotFound(root, r) {
  setTitle('Not found');
  root.append(el('h1', null, 'Page not found'), el('p', null, `No view called “${r.view}”. `, el('a', { href: '#/' }, 'Go to search')));
}

const VIEWS = { search: viewSearch, doc: viewDoc, quotes: viewQuotes, trends: viewTrends, reprints: viewReprints, network: viewNetwork };

/** The current route's state: its AbortController, clean-up callbacks, Escape handler. */
let current = { ctl: new AbortController(), cleanup: [], onEscape: null, view: null };
function onCleanup(fn) { current.cleanup.push(fn); }

function router() {
  current.ctl.abort();
  for (const fn of current.cleanup) { try { fn(); } catch (e) { console.warn(e); } }
  const r = parseHash();
  const main = document.getElementById('main');
  const active = document.activeElement;
  const focusId = active && main.contains(active) ? active.id : null;
  current = { ctl: new AbortController(), cleanup: [], onEscape: null, view: r.view };
  main.replaceChildren();
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.getAttribute('data-nav') === (r.view === 'doc' ? '' : r.view)) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  try {
    (VIEWS[r.view] || viewNotFound)(main, r);
  } catch (e) {
    console.error(e);
    main.append(errorBox(e));
  }
  window.scrollTo(0, 0);
  // Keep the keyboard where it was (the same control in the new render: the search box, a
  // select); else start again from the top of the page, as a page load does: Tab then reaches
  // the skip link first.
  const f = focusId && document.getElementById(focusId);
  if (f && f !== main) f.focus({ preventScroll: true });
  else if (focusId !== null || document.activeElement === document.body) focusTop();
}

/** Move the keyboard's starting point to the top of the document. */
function focusTop() {
  const b = document.body;
  b.setAttribute('tabindex', '-1');
  b.focus({ preventScroll: true });
  b.removeAttribute('tabindex');
}

async function loadStats() {
  const box = document.getElementById('store-stats');
  try {
    const s = await api('/api/stats', null, new AbortController().signal);
    box.textContent = `${fmt(s.documents)} docs`;
    box.title = `${fmt(s.documents)} documents, ${fmt(s.versions)} versions · Vigie ${s.version || ''}`;
    document.getElementById('footer-version').textContent = s.version || '';
  } catch (e) {
    box.textContent = 'store offline';
    box.classList.add('offline');
  }
}

function start() {
  window.addEventListener('hashchange', router);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && current.onEscape && !e.defaultPrevented) current.onEscape(e);
  });
  // The skip link must not change the hash (that would be a route): focus the content instead.
  document.getElementById('skip-link').addEventListener('click', (e) => {
    e.preventDefault();
    const main = document.getElementById('main');
    main.focus();
    main.scrollIntoView();
  });
  loadStats();
  router();
}

start();
