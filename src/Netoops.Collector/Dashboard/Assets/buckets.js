// The buckets page (`/`): buckets ranked by crash count, each with its sparkline, the big ones
// on top and the long tail of rare ones folded away. Filters live in the page's query string
// (so a filtered view is a link to share) and map one-to-one onto `GET /api/buckets`.
"use strict";

const RANGES = { "1h": 3600e3, "24h": 86400e3, "7d": 7 * 86400e3, "30d": 30 * 86400e3, "all": null };
const TEXT_FILTERS = ["kernel", "hardware", "bios", "host", "kind", "q"];
const MAX_BUCKETS = 500;
const SPARK_POINTS = 48;

// `seq` drops an answer overtaken by a newer request; `previous` (counts per bucket under the
// same filters) marks the rows that grew since the last poll.
const state = { tailOpen: false, previous: new Map(), filters: "", facetsAt: 0, seq: 0 };

function readFilters() {
  const q = new URLSearchParams(location.search);
  const f = { range: q.get("range") in RANGES ? q.get("range") : "all", cpu: q.get("cpu") || "", blob: q.get("blob") || "" };
  for (const name of TEXT_FILTERS) f[name] = q.get(name) || "";
  return f;
}

/** The API query for the filters: the range becomes `from`, `cpu` its vendor/family/model, each blob word a `blob`. */
function apiQuery(f, now) {
  const q = new URLSearchParams();
  if (RANGES[f.range]) q.set("from", String(now - RANGES[f.range]));
  for (const name of TEXT_FILTERS) if (f[name]) q.set(name, f[name]);
  const cpu = f.cpu.split(":");
  if (cpu.length === 3) { q.set("cpu_vendor", cpu[0]); q.set("cpu_family", cpu[1]); q.set("cpu_model", cpu[2]); }
  for (const pair of f.blob.split(/\s+/).filter(Boolean)) q.append("blob", pair);
  return q;
}

function pageQuery(f) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v && !(k === "range" && v === "all")) q.set(k, v);
  return q.toString();
}

function field(label, control) {
  return NO.el("label", { class: "field" }, NO.el("span", {}, label), control);
}

function select(name, first, value) {
  const s = NO.el("select", { name, id: "f-" + name }, NO.el("option", { value: "" }, first));
  s.dataset.want = value;
  return s;
}

/** Fills a select's options from a facet list, keeping the chosen value even when the facet no longer lists it. */
function setOptions(s, rows, valueOf, labelOf) {
  const want = s.value || s.dataset.want || "";
  s.replaceChildren(s.options[0]);
  const values = new Set();
  for (const r of rows) {
    values.add(valueOf(r));
    s.append(NO.el("option", { value: valueOf(r) }, `${labelOf(r)} (${NO.count(r.count)})`));
  }
  if (want && !values.has(want)) s.append(NO.el("option", { value: want }, want));
  s.value = want;
}

function filterForm(f) {
  const range = NO.el("select", { name: "range", id: "f-range" },
    ...Object.keys(RANGES).map(r => NO.el("option", { value: r }, r === "all" ? "all time" : "last " + r)));
  range.value = f.range;
  const text = (name, placeholder, list) =>
    NO.el("input", { name, id: "f-" + name, type: name === "q" ? "search" : "text", placeholder, value: f[name], list, autocomplete: "off", spellcheck: "false" });
  const form = NO.el("form", { class: "filters", method: "get", action: "/", role: "search" },
    field("Search titles", text("q", "e.g. paging request")),
    field("Time range", range),
    field("Kernel", select("kernel", "any kernel", f.kernel)),
    field("CPU", select("cpu", "any CPU", f.cpu)),
    field("Hardware", text("hardware", "vendor or model", "hardware-list")),
    field("BIOS", text("bios", "e.g. 1.16")),
    field("Host", select("host", "any host", f.host)),
    field("User blob", text("blob", "key=value", "blob-list")),
    field("Kind", select("kind", "any kind", f.kind)),
    NO.el("div", { class: "actions" }, NO.el("button", { type: "submit" }, "Apply"), NO.el("a", { href: "/", class: "reset" }, "Reset")),
    NO.el("datalist", { id: "hardware-list" }), NO.el("datalist", { id: "blob-list" }));
  form.addEventListener("submit", e => { e.preventDefault(); apply(form); });
  form.addEventListener("change", () => apply(form));
  let typing = null;
  form.addEventListener("input", e => {
    if (e.target.tagName !== "INPUT") return;
    clearTimeout(typing);
    typing = setTimeout(() => apply(form), 300);
  });
  return form;
}

function apply(form) {
  const f = {};
  for (const [k, v] of new FormData(form)) f[k] = String(v).trim();
  history.replaceState(null, "", "/" + (pageQuery(f) ? "?" + pageQuery(f) : ""));
  refresh();
}

async function loadFacets(form) {
  const facets = await NO.api("/api/facets");
  setOptions(form.querySelector("#f-kernel"), facets.kernels, r => r.value, r => r.value);
  setOptions(form.querySelector("#f-host"), facets.hosts, r => r.value, r => r.value);
  setOptions(form.querySelector("#f-kind"), facets.kinds, r => r.value, r => r.value);
  setOptions(form.querySelector("#f-cpu"), facets.cpus, c => `${c.vendor}:${c.family}:${c.model}`,
    c => `${c.vendor_name} family ${c.family} model ${c.model}`);
  form.querySelector("#hardware-list").replaceChildren(...facets.hardware.map(r => NO.el("option", { value: r.value })));
  form.querySelector("#blob-list").replaceChildren(...facets.labels.map(r => NO.el("option", { value: r.value })));
}

/** Big bugs and rare bugs apart: a bucket at or below a twentieth of the biggest (and at least 1) is in the long tail. */
function split(buckets) {
  const top = buckets.length ? buckets[0].crashes : 0;
  const limit = Math.max(1, Math.floor(top / 20));
  const head = buckets.filter(b => b.crashes > limit);
  return head.length === 0 ? { head: buckets, tail: [], limit } : { head, tail: buckets.filter(b => b.crashes <= limit), limit };
}

function table(buckets, trends, rankFrom, top) {
  const rows = buckets.map((b, i) => {
    const before = state.previous.get(b.id);
    const row = NO.el("tr", { class: before !== undefined && before < b.crashes ? "fresh" : null, "data-bucket": b.id },
      NO.el("td", { class: "rank" }, String(rankFrom + i)),
      NO.el("td", { class: "spark-cell" }, Charts.sparkline(trends.get(b.id) || new Array(SPARK_POINTS).fill(0))),
      NO.el("td", { class: "num" },
        NO.el("strong", {}, NO.count(b.crashes)),
        NO.svg("svg", { class: "share", width: 64, height: 4, viewBox: "0 0 64 4" },
          NO.svg("rect", { class: "share-track", width: 64, height: 4, rx: 2 }),
          NO.svg("rect", { class: "share-bar", width: Math.max(2, 64 * b.crashes / Math.max(1, top)), height: 4, rx: 2 }))),
      NO.el("td", { class: "title-cell" }, NO.badge(b.kind), NO.link("buckets", b.id, b.title)),
      NO.el("td", { class: "num" }, NO.count(b.hosts)),
      NO.el("td", {}, NO.when(b.first_seen)),
      NO.el("td", {}, NO.when(b.last_seen)));
    return row;
  });
  return NO.el("table", { class: "buckets" },
    NO.el("thead", {}, NO.el("tr", {},
      NO.el("th", { class: "rank" }, "#"), NO.el("th", {}, "Trend"), NO.el("th", { class: "num" }, "Crashes"),
      NO.el("th", {}, "Bucket"), NO.el("th", { class: "num" }, "Hosts"), NO.el("th", {}, "First seen"), NO.el("th", {}, "Last seen"))),
    NO.el("tbody", {}, rows));
}

async function refresh() {
  const seq = ++state.seq;
  const f = readFilters();
  const now = Date.now();
  if (pageQuery(f) !== state.filters) { state.previous = new Map(); state.filters = pageQuery(f); }
  const query = apiQuery(f, now);
  query.set("limit", String(MAX_BUCKETS));
  let buckets;
  try { ({ buckets } = await NO.api("/api/buckets?" + query)); }
  catch (e) {
    // A filter the API refuses (e.g. a blob without `=`) is said where the list would be.
    if (e.status === 400 && seq === state.seq) document.getElementById("results").replaceChildren(NO.problem(e.message));
    throw e;
  }

  const from = RANGES[f.range] ? now - RANGES[f.range]
    : Math.min(now - 3600e3, ...buckets.map(b => new Date(b.first_seen).getTime()));
  const trendQuery = apiQuery(f, now);
  trendQuery.set("from", String(Math.floor(from)));
  trendQuery.set("to", String(now));
  trendQuery.set("points", String(SPARK_POINTS));
  trendQuery.set("ids", buckets.map(b => b.id).join(","));
  const trends = new Map();
  if (buckets.length) for (const t of (await NO.api("/api/trends?" + trendQuery)).trends) trends.set(t.bucket_id, t.counts);

  if (seq !== state.seq) return;

  const total = buckets.reduce((a, b) => a + b.crashes, 0);
  const { head, tail, limit } = split(buckets);
  const top = buckets.length ? buckets[0].crashes : 0;
  const results = [
    NO.el("p", { class: "summary" },
      NO.el("strong", {}, NO.count(total)), ` crashes in `, NO.el("strong", {}, NO.count(buckets.length)), ` buckets`,
      buckets.length ? ` · the biggest is ${Math.round((100 * top) / Math.max(1, total))}% of them` : "",
      ` · sparklines span ${f.range === "all" ? "all time" : "the last " + f.range}`),
  ];
  if (buckets.length === 0)
    results.push(NO.el("p", { class: "empty" }, pageQuery(f) ? "No crash matches these filters."
      : "No crashes stored yet. Crashes sent to this collector show up here by themselves."));
  else {
    results.push(table(head, trends, 1, top));
    if (tail.length) {
      const tailCrashes = tail.reduce((a, b) => a + b.crashes, 0);
      const details = NO.el("details", { class: "tail", open: state.tailOpen ? "" : null },
        NO.el("summary", {}, `Long tail: ${NO.count(tail.length)} rare buckets with ≤ ${NO.count(limit)} crash${limit === 1 ? "" : "es"} each (${NO.count(tailCrashes)} crashes)`),
        table(tail, trends, head.length + 1, top));
      details.addEventListener("toggle", () => { state.tailOpen = details.open; });
      results.push(details);
    }
    if (buckets.length === MAX_BUCKETS) results.push(NO.el("p", { class: "empty" }, `Showing the ${MAX_BUCKETS} biggest buckets; narrow the filters to see others.`));
  }
  document.getElementById("results").replaceChildren(...results);
  state.previous = new Map(buckets.map(b => [b.id, b.crashes]));

  if (now - state.facetsAt > 60e3) {
    state.facetsAt = now;
    await loadFacets(document.querySelector("form.filters"));
  }
}

document.addEventListener("DOMContentLoaded", () => {
  NO.show(
    NO.el("h1", {}, "Crash buckets"),
    filterForm(readFilters()),
    NO.el("section", { id: "results", "aria-live": "polite" }));
  NO.live(refresh);
});
