// The crash page (`/crashes/{id}`): what happened (title, report with its key lines marked),
// where (machine facts), the registers decoded, whether the dump is whole, and the full log.
"use strict";

// x86-64 registers in the order `show_regs` prints them, with what each usually holds (shown on hover).
const REGISTERS = [
  ["ip", "instruction pointer: where the CPU was"], ["sp", "stack pointer"], ["flags", "flags"],
  ["ax", "return value / scratch"], ["bx", "callee-saved"], ["cx", "4th argument"], ["dx", "3rd argument"],
  ["si", "2nd argument"], ["di", "1st argument"], ["bp", "frame pointer / callee-saved"],
  ["r8", "5th argument"], ["r9", "6th argument"], ["r10", "scratch"], ["r11", "scratch"],
  ["r12", "callee-saved"], ["r13", "callee-saved"], ["r14", "callee-saved"], ["r15", "callee-saved"],
  ["orig_ax", "system call number (or -1)"], ["cs", "code segment"], ["ss", "stack segment"],
  ["ds", "data segment"], ["es", "extra segment"], ["fs", "fs base"], ["gs", "gs base (per-CPU data)"],
  ["cr0", "control register 0"], ["cr2", "faulting address of the last page fault"],
  ["cr3", "page table base"], ["cr4", "control register 4"],
];
const FLAG_BITS = [[0, "CF"], [2, "PF"], [4, "AF"], [6, "ZF"], [7, "SF"], [8, "TF"], [9, "IF"], [10, "DF"], [11, "OF"], [18, "AC"], [21, "ID"]];

// Lines that say what went wrong (red) and lines that locate it (amber).
const HEADLINE = /(BUG:|Oops:|Oops -|WARNING:|Kernel panic|general protection fault|kernel BUG at|Unable to handle|unable to handle|invalid opcode|divide error|BUG: KASAN|watchdog: BUG|INFO: task .* blocked|rcu: INFO|Out of memory|possible circular locking|stack-protector|double fault)/;
const LOCATOR = /(^|\]\s*)(RIP:|PC is at|LR is at|Call Trace:|<TASK>|Code:|CR2:|Modules linked in:|Hardware name:|CPU: \d+ .*PID:|Tainted:)/;

function crashId() {
  const m = /^\/crashes\/(\d+)\/?$/.exec(location.pathname);
  return m ? Number(m[1]) : NaN;
}

/** What a 64-bit value looks like on x86-64 Linux: a hint, not a proof. */
function valueKind(hex) {
  let v;
  try { v = BigInt(hex); } catch { return ""; }
  if (v === 0n) return "NULL";
  if (v < 0x1000n) return "near NULL";
  if ((v & 0xffffffff00000000n) === 0xdead000000000000n || v === 0x6b6b6b6b6b6b6b6bn || v === 0x5a5a5a5a5a5a5a5an) return "poison";
  if (v < 0x0000800000000000n) return "user space";
  if (v >= 0xffffffff80000000n) return v >= 0xffffffffa0000000n ? "module space" : "kernel text";
  if (v >= 0xffff888000000000n && v < 0xffffc88000000000n) return "direct map";
  if (v >= 0xffffc90000000000n && v < 0xffffe90000000000n) return "vmalloc / stack";
  if (v >= 0xffffea0000000000n && v < 0xffffeb0000000000n) return "struct page";
  return v >= 0xffff800000000000n ? "kernel" : "non-canonical";
}

function flagsText(hex) {
  let v;
  try { v = BigInt(hex); } catch { return ""; }
  return FLAG_BITS.filter(([bit]) => (v >> BigInt(bit)) & 1n).map(([, name]) => name).join(" ");
}

function registersTable(registers) {
  const names = Object.keys(registers);
  const known = REGISTERS.filter(([name]) => name in registers);
  const others = names.filter(n => !REGISTERS.some(([r]) => r === n)).sort().map(n => [n, ""]);
  const rows = [...known, ...others];
  if (rows.length === 0) return NO.el("p", { class: "empty" }, "No registers in this report.");
  return NO.el("table", { class: "registers" },
    NO.el("thead", {}, NO.el("tr", {}, ...["Reg", "Value", "Looks like"].map(h => NO.el("th", {}, h)))),
    NO.el("tbody", {}, rows.map(([name, role]) => NO.el("tr", { title: role || null },
      NO.el("td", { class: "mono reg" }, name),
      NO.el("td", { class: "mono" }, registers[name]),
      NO.el("td", { class: "muted" }, name === "flags" ? flagsText(registers[name]) : valueKind(registers[name]))))));
}

/** A console line without its printk time stamp (and level): how the analysed report stores it. */
function bare(line) {
  return line.replace(/^\s*(<\d+>)?\s*\[\s*\d+\.\d+\]\s?/, "").trim();
}

/** Crash text as lines, each its own text node, the key ones marked; lines also in the report are marked in the full log. */
function textBlock(text, reportLines) {
  const pre = NO.el("pre", { class: "log" });
  String(text).split("\n").forEach((line, i) => {
    const classes = ["line"];
    if (HEADLINE.test(line)) classes.push("headline");
    else if (LOCATOR.test(line)) classes.push("locator");
    if (reportLines && bare(line) && reportLines.has(bare(line))) classes.push("in-report");
    pre.append(NO.el("span", { class: classes.join(" "), "data-line": i + 1 }, line), "\n");
  });
  return pre;
}

/** Opens the full log where the report starts (minus a little context), once it is laid out. */
function scrolledToReport(pre) {
  requestAnimationFrame(() => {
    const first = pre.querySelector(".in-report");
    if (first) pre.scrollTop = Math.max(0, first.offsetTop - pre.offsetTop - 80);
  });
  return pre;
}

function fact(name, value, mono = false) {
  return NO.el("div", {}, NO.el("dt", {}, name), NO.el("dd", { class: mono ? "mono" : null }, value === "" || value === null || value === undefined ? "—" : value));
}

function completeness(c) {
  if (c.complete) return NO.el("span", { class: "status complete" }, c.packet_count ? `complete · ${c.packet_count} packets` : "complete");
  const missing = c.missing || [];
  const of = c.packet_count ? ` of ${c.packet_count} packets` : " packets";
  return NO.el("span", { class: "status partial" },
    missing.length ? `partial · missing ${missing.length}${of}: ${NO.ranges(missing)}` : "partial");
}

/** Whether the sender proved it holds the fleet key, and whether the text was analysed or counted by fingerprint in a storm. */
function provenance(c) {
  const sender = c.authenticated
    ? NO.el("span", { class: "status signed", title: "every packet carried a valid fleet-key signature" }, "authenticated sender")
    : NO.el("span", { class: "status unsigned", title: "unsigned: a stock kernel, or an agent without the fleet key" }, "unsigned");
  if (c.analysed_by !== "fingerprint") return sender;
  return NO.el("span", {}, sender, " ", NO.el("span", { class: "status storm", title: "counted during a crash storm as an occurrence of a report analysed moments before; its text was not kept" }, "storm occurrence"));
}

async function refresh() {
  const id = crashId();
  if (!Number.isSafeInteger(id)) { NO.show(NO.problem("This is not a crash address.")); return; }
  let c;
  try { c = await NO.api(`/api/crashes/${id}`); }
  catch (e) {
    if (e.status === 404) { NO.show(NO.el("p", {}, NO.el("a", { href: "/" }, "← all buckets")), NO.problem(`There is no crash ${id}.`)); return; }
    throw e;
  }
  document.title = `#${c.id} ${c.title} · netoops`;
  const cpu = c.cpu ? `${c.cpu.vendor_name} family ${c.cpu.family} model ${c.cpu.model} stepping ${c.cpu.stepping}` : "";
  const labels = Object.entries(c.labels || {});
  const reportLines = new Set(String(c.report).split("\n").map(bare).filter(Boolean));
  NO.show(
    NO.el("p", { class: "crumbs" }, NO.el("a", { href: "/" }, "all buckets"), " / ",
      NO.link("buckets", c.bucket_id, c.bucket_title), " / ", `crash #${c.id}`),
    NO.el("h1", { class: "title" }, NO.badge(c.kind), NO.el("span", {}, c.title)),
    NO.el("p", { class: "subtitle" }, completeness(c), " ", provenance(c), " ", `received ${NO.time(c.received_at)} UTC from `,
      NO.el("span", { class: "mono" }, c.source), ` over ${c.origin}`),
    NO.el("div", { class: "crash-layout" },
      NO.el("div", { class: "text-column" },
        NO.el("section", { class: "card" }, NO.el("h3", {}, "Report"), textBlock(c.report, null)),
        NO.el("details", { class: "card fulllog", open: "" },
          NO.el("summary", {}, NO.el("h3", {}, "Full log", NO.el("span", { class: "muted" },
            ` · ${NO.count(String(c.log_text).split("\n").length)} lines; the report's lines are marked`))),
          scrolledToReport(textBlock(c.log_text, reportLines)))),
      NO.el("aside", { class: "fact-column" },
        NO.el("section", { class: "card" }, NO.el("h3", {}, "Machine"),
          NO.el("dl", { class: "facts" },
            fact("Host", c.host, true), fact("Kernel", c.kernel, true), fact("CPU", cpu),
            fact("Hardware", c.hardware), fact("Board", c.board), fact("BIOS", c.bios),
            fact("Boot id", c.boot_id, true), fact("Dump", c.dump_id === null ? "" : `id ${c.dump_id}, type ${c.dump_type}`),
            fact("User blob", c.user_blob, true),
            labels.length ? fact("Labels", NO.el("span", { class: "labels" },
              labels.map(([k, v]) => NO.el("a", { class: "label", href: "/?" + new URLSearchParams({ blob: `${k}=${v}` }) }, `${k}=${v}`)))) : null)),
        NO.el("section", { class: "card" }, NO.el("h3", {}, "Registers"), registersTable(c.registers || {})))));
}

// A stored crash never changes: load it once (the header still says when).
document.addEventListener("DOMContentLoaded", () => NO.live(refresh, null));
