// Shared helpers of the three pages. Everything shown comes from the network (crash text,
// titles, host names, user blobs) and is hostile: it only ever reaches the page as text nodes
// or attribute values, never as markup, and the Content-Security-Policy forbids inline script.
"use strict";

const NO = {
  /** An element with attributes (set with setAttribute, so values stay values) and children (strings become text). */
  el(tag, attrs, ...children) {
    return NO.fill(document.createElement(tag), attrs, children);
  },

  /** The same for SVG elements. */
  svg(tag, attrs, ...children) {
    return NO.fill(document.createElementNS("http://www.w3.org/2000/svg", tag), attrs, children);
  },

  fill(node, attrs, children) {
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (/^on/i.test(name)) throw new Error("event handlers are attached with addEventListener, not attributes");
      node.setAttribute(name, String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  },

  /** A link to one of the dashboard's own pages; ids are forced to numbers so no text reaches the path. */
  link(kind, id, ...children) {
    const n = Number(id);
    return NO.el("a", { href: Number.isSafeInteger(n) ? `/${kind}/${n}` : "/" }, ...children);
  },

  /** Fetches JSON from the collector's API; a refusal becomes an Error carrying the API's own message. */
  async api(path) {
    const response = await fetch(path, { headers: { accept: "application/json" }, cache: "no-store" });
    let body = null;
    try { body = await response.json(); } catch { body = null; }
    if (!response.ok) {
      const error = new Error(body && typeof body.error === "string" ? body.error : `${response.status} ${response.statusText}`);
      error.status = response.status;
      throw error;
    }
    return body;
  },

  /** Replaces the page's content. */
  show(...nodes) {
    const page = document.getElementById("page");
    page.replaceChildren(...nodes.flat());
  },

  problem(message) {
    return NO.el("div", { class: "problem", role: "alert" }, message);
  },

  count(n) { return Number(n).toLocaleString("en-US"); },

  /** `2026-11-27 14:05:09` in UTC: a fleet spans time zones, UTC is what logs and people compare. */
  time(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return String(iso);
    return d.toISOString().replace("T", " ").slice(0, 19);
  },

  /** `5 min ago`, `3 h ago`, `12 d ago`. */
  ago(iso, now = Date.now()) {
    const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
    if (s < 60) return `${s} s ago`;
    if (s < 3600) return `${Math.round(s / 60)} min ago`;
    if (s < 86400) return `${Math.round(s / 3600)} h ago`;
    return `${Math.round(s / 86400)} d ago`;
  },

  /** A time cell: relative for reading at a glance, the exact UTC time on hover. */
  when(iso) {
    return NO.el("time", { datetime: iso, title: NO.time(iso) + " UTC" }, NO.ago(iso));
  },

  badge(kind) {
    const known = ["oops", "bug", "warn", "sanitizer", "lockdep", "hang", "oom", "leak", "panic", "reboot"];
    const k = String(kind).toLowerCase();
    return NO.el("span", { class: "badge kind-" + (known.includes(k) ? k : "other") }, kind);
  },

  /** Packet numbers `[3,4,5,9]` as `3–5, 9`. */
  ranges(numbers) {
    const sorted = [...numbers].map(Number).sort((a, b) => a - b);
    const parts = [];
    for (let i = 0; i < sorted.length; i++) {
      let j = i;
      while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
      parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}–${sorted[j]}`);
      i = j;
    }
    return parts.join(", ");
  },

  /**
   * Calls `refresh` now and then every `ms` while the tab is visible (`ms` null: once): new
   * crashes show up without a reload. The header says when the data was last fetched, or why not.
   */
  live(refresh, ms = 5000) {
    const status = document.getElementById("live");
    let timer = null;
    const tick = async () => {
      clearTimeout(timer);
      try {
        await refresh();
        status.textContent = (ms ? "live · updated " : "loaded ") + new Date().toISOString().slice(11, 19) + " UTC";
        status.className = "live ok";
      } catch (e) {
        status.textContent = "live · " + e.message;
        status.className = "live failed";
      }
      if (ms && !document.hidden) timer = setTimeout(tick, ms);
    };
    if (ms) document.addEventListener("visibilitychange", () => { if (!document.hidden) tick(); });
    tick();
  },
};
