// The bucket page (`/buckets/{id}`): one bug's trend, where it happens (kernel, hardware, CPU,
// host) and its crashes, newest first.
"use strict";

const MAX_TREND_SLOTS = 240;

function bucketId() {
  const m = /^\/buckets\/(\d+)\/?$/.exec(location.pathname);
  return m ? Number(m[1]) : NaN;
}

/** The API's trend lists only slots with crashes; the plot wants every slot up to now, empty ones as 0. */
function fillTrend(points, step, now = Date.now()) {
  const stepMs = step === "day" ? 86400e3 : 3600e3;
  const counts = new Map(points.map(p => [new Date(p.start).getTime(), p.count]));
  if (counts.size === 0) return { filled: [], stepMs };
  let first = Math.min(...counts.keys());
  const last = Math.max(Math.floor(now / stepMs) * stepMs, ...counts.keys());
  first = Math.max(first, last - (MAX_TREND_SLOTS - 1) * stepMs);
  const filled = [];
  for (let t = Math.min(first, last - 11 * stepMs); t <= last; t += stepMs)
    filled.push({ start: new Date(t).toISOString(), count: counts.get(t) || 0 });
  return { filled, stepMs };
}

function breakdown(title, rows, href, wide = "") {
  return NO.el("section", { class: ("card " + wide).trim() },
    NO.el("h3", {}, title, NO.el("span", { class: "muted" }, ` · ${NO.count(rows.length)} distinct`)),
    rows.length ? Charts.bars(rows, { href, width: wide ? 1160 : 560, limit: wide ? 10 : 8 }) : NO.el("p", { class: "empty" }, "not reported"));
}

function crashTable(crashes) {
  return NO.el("table", { class: "crashes" },
    NO.el("thead", {}, NO.el("tr", {},
      ...["Crash", "Received (UTC)", "Host", "Kernel", "Hardware", "Dump", "Origin"].map(h => NO.el("th", {}, h)))),
    NO.el("tbody", {}, crashes.map(c => NO.el("tr", { "data-crash": c.id },
      NO.el("td", {}, NO.link("crashes", c.id, "#" + c.id)),
      NO.el("td", {}, NO.time(c.received_at)),
      NO.el("td", { class: "mono" }, c.host),
      NO.el("td", { class: "mono" }, c.kernel || "—"),
      NO.el("td", { class: "clip" }, NO.el("span", { title: c.hardware }, c.hardware || "—")),
      NO.el("td", {}, NO.el("span", { class: c.complete ? "status complete" : "status partial" }, c.complete ? "complete" : "partial")),
      NO.el("td", {}, c.origin)))));
}

async function refresh() {
  const id = bucketId();
  if (!Number.isSafeInteger(id)) { NO.show(NO.problem("This is not a bucket address.")); return; }
  let b;
  try { b = await NO.api(`/api/buckets/${id}`); }
  catch (e) {
    if (e.status === 404) { NO.show(NO.el("p", {}, NO.el("a", { href: "/" }, "← all buckets")), NO.problem(`There is no bucket ${id}.`)); return; }
    throw e;
  }
  document.title = `${b.title} · netoops`;
  const { filled, stepMs } = fillTrend(b.trend, b.trend_step);
  const q = (name) => (value) => "/?" + new URLSearchParams({ [name]: value });
  NO.show(
    NO.el("p", { class: "crumbs" }, NO.el("a", { href: "/" }, "← all buckets")),
    NO.el("h1", { class: "title" }, NO.badge(b.kind), NO.el("span", {}, b.title)),
    NO.el("dl", { class: "stats" },
      NO.el("div", {}, NO.el("dt", {}, "Crashes"), NO.el("dd", {}, NO.count(b.crashes))),
      NO.el("div", {}, NO.el("dt", {}, "Hosts"), NO.el("dd", {}, NO.count(b.hosts))),
      NO.el("div", {}, NO.el("dt", {}, "First seen"), NO.el("dd", {}, NO.when(b.first_seen))),
      NO.el("div", {}, NO.el("dt", {}, "Last seen"), NO.el("dd", {}, NO.when(b.last_seen))),
      NO.el("div", { class: "wide" }, NO.el("dt", {}, "Bucket key"), NO.el("dd", { class: "mono" }, b.key))),
    NO.el("section", { class: "card" },
      NO.el("h3", {}, `Crashes per ${b.trend_step} (UTC)`),
      filled.length ? Charts.trend(filled, stepMs) : NO.el("p", { class: "empty" }, "no crashes")),
    NO.el("div", { class: "grid2" },
      breakdown("Kernel", b.by_kernel, q("kernel")),
      breakdown("CPU model", b.by_cpu_model, null),
      breakdown("Hardware", b.by_hardware, q("hardware")),
      breakdown("BIOS", b.by_bios, q("bios")),
      breakdown("Host", b.by_host, q("host"), "span2")),
    NO.el("section", { class: "card" },
      NO.el("h3", {}, "Crashes", NO.el("span", { class: "muted" },
        b.recent_crashes.length < b.crashes ? ` · newest ${NO.count(b.recent_crashes.length)} of ${NO.count(b.crashes)}` : "")),
      crashTable(b.recent_crashes)));
}

document.addEventListener("DOMContentLoaded", () => NO.live(refresh));
