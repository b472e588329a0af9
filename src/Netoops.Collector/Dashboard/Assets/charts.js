// Charts as inline SVG, drawn here: a sparkline per bucket, a trend plot with axes, and
// horizontal bar charts for breakdowns. Labels are text nodes, so hostile values stay text.
"use strict";

const Charts = {
  /** A small area line of counts per slot; the last slot (now) gets a dot. */
  sparkline(counts, { width = 132, height = 28, label = "" } = {}) {
    const max = Math.max(1, ...counts);
    const n = counts.length;
    const x = i => n <= 1 ? width / 2 : 1 + (i * (width - 4)) / (n - 1);
    const y = c => height - 2 - (c / max) * (height - 5);
    const line = counts.map((c, i) => `${x(i).toFixed(1)},${y(c).toFixed(1)}`).join(" ");
    const total = counts.reduce((a, b) => a + b, 0);
    return NO.svg("svg", { class: "spark", width, height, viewBox: `0 0 ${width} ${height}`, role: "img",
        "aria-label": `${label}${total} crashes in ${n} slots` },
      NO.svg("title", {}, `${total} crashes, at most ${max} in one slot`),
      NO.svg("polygon", { class: "spark-area", points: `${x(0)},${height - 1} ${line} ${x(n - 1)},${height - 1}` }),
      NO.svg("polyline", { class: "spark-line", points: line }),
      counts[n - 1] > 0 ? NO.svg("circle", { class: "spark-dot", cx: x(n - 1), cy: y(counts[n - 1]), r: 2.4 }) : null);
  },

  /**
   * Crashes per slot as bars over a time axis. `points` are `{start, count}` with no gaps
   * (the caller fills empty slots with zeros); `stepMs` is the slot width.
   */
  trend(points, stepMs, { width = 1180, height = 220 } = {}) {
    const pad = { left: 44, right: 12, top: 12, bottom: 30 };
    const w = width - pad.left - pad.right, h = height - pad.top - pad.bottom;
    const max = Math.max(1, ...points.map(p => p.count));
    const ticks = Charts.niceTicks(max);
    const top = ticks[ticks.length - 1];
    const slot = w / Math.max(1, points.length);
    const chart = NO.svg("svg", { class: "trend", width: "100%", viewBox: `0 0 ${width} ${height}`, role: "img",
      "aria-label": `crashes per ${stepMs >= 86400000 ? "day" : "hour"}` });
    for (const t of ticks) {
      const ty = pad.top + h - (t / top) * h;
      chart.append(NO.svg("line", { class: "grid", x1: pad.left, x2: width - pad.right, y1: ty, y2: ty }),
        NO.svg("text", { class: "axis", x: pad.left - 8, y: ty + 4, "text-anchor": "end" }, NO.count(t)));
    }
    points.forEach((p, i) => {
      const bh = (p.count / top) * h;
      const bar = NO.svg("rect", { class: "bar", x: pad.left + i * slot + slot * 0.12, y: pad.top + h - bh,
        width: Math.max(1, slot * 0.76), height: Math.max(p.count > 0 ? 1.5 : 0, bh), rx: Math.min(3, slot / 5) },
        NO.svg("title", {}, `${NO.time(p.start)} UTC: ${NO.count(p.count)} crashes`));
      chart.append(bar);
    });
    // A label every `every` slots, so labels sit at even distances and never crowd.
    const every = Math.max(1, Math.ceil(points.length / 8));
    for (let i = 0; i < points.length; i += every) {
      const text = stepMs >= 86400000 ? NO.time(points[i].start).slice(5, 10) : NO.time(points[i].start).slice(5, 16);
      const anchor = i === 0 ? "start" : "middle";
      const x = anchor === "start" ? pad.left + i * slot : pad.left + i * slot + slot / 2;
      chart.append(NO.svg("text", { class: "axis", x, y: height - 8, "text-anchor": anchor }, text));
    }
    return chart;
  },

  /** 0, and round steps up to at least `max`. */
  niceTicks(max) {
    const raw = max / 4;
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = Math.max(1, [1, 2, 5, 10].map(m => m * mag).find(s => s >= raw));
    const ticks = [];
    for (let t = 0; t < max + step; t += step) ticks.push(t);
    return ticks;
  },

  /**
   * Horizontal bars for `rows` of `{value, count}`, the top `limit` drawn and the rest summed
   * into one "others" bar. `href(value)` may give each bar's label a link.
   */
  bars(rows, { width = 560, limit = 8, href = null, empty = "(none)" } = {}) {
    const shown = rows.slice(0, limit);
    const rest = rows.slice(limit).reduce((a, r) => a + r.count, 0);
    if (rest > 0) shown.push({ value: `${rows.length - limit} others`, count: rest, others: true });
    const rowH = 26, labelW = Math.min(Math.round(width * 0.46), 320), countW = 54;
    const barW = width - labelW - countW;
    const max = Math.max(1, ...shown.map(r => r.count));
    const total = rows.reduce((a, r) => a + r.count, 0);
    const chart = NO.svg("svg", { class: "bars", width: "100%", viewBox: `0 0 ${width} ${Math.max(1, shown.length) * rowH}`, role: "img" });
    shown.forEach((r, i) => {
      const y = i * rowH;
      const value = r.value === "" ? empty : r.value;
      const text = NO.svg("text", { class: r.others ? "bar-label others" : "bar-label", x: labelW - 10, y: y + 17, "text-anchor": "end" },
        Charts.clip(value, Math.floor(labelW / 7.2)));
      const label = href && !r.others && r.value !== "" ? NO.svg("a", { href: href(r.value) }, text) : text;
      chart.append(
        NO.svg("g", {},
          NO.svg("title", {}, `${value}: ${NO.count(r.count)} of ${NO.count(total)} crashes`),
          label,
          NO.svg("rect", { class: "bar-track", x: labelW, y: y + 5, width: barW, height: rowH - 10, rx: 3 }),
          NO.svg("rect", { class: r.others ? "bar others" : "bar", x: labelW, y: y + 5, width: Math.max(2, (r.count / max) * barW), height: rowH - 10, rx: 3 }),
          NO.svg("text", { class: "bar-count", x: width - 4, y: y + 17, "text-anchor": "end" }, NO.count(r.count))));
    });
    return chart;
  },

  clip(text, max) {
    const s = String(text);
    return s.length <= max ? s : s.slice(0, Math.max(1, max - 1)) + "…";
  },
};
