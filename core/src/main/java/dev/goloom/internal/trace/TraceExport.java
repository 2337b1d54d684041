package dev.goloom.internal.trace;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes a {@link Timeline} as Chrome/Perfetto trace-event JSON or as a self-contained HTML page
 * (one row per P, a colour per goroutine, hover, zoom and pan; no external resources).
 */
public final class TraceExport {
    /* Implementation notes
     *
     * Overview
     *   chromeJson: the Trace Event Format (JSON object form): one "X" complete event per span on
     *   thread (tid) p, "i" instant events for the rest, "M" metadata naming the rows "P0".."Pn"
     *   and "other" (tid 1000000) for events off any P. Timestamps in microseconds, as floats.
     *   html: the same spans as flat number arrays in a JSON script block, drawn on a canvas by
     *   about 150 lines of plain JavaScript; row labels are DOM elements (class "prow",
     *   data-p attribute), which is what the headless-browser test counts.
     *
     * Lineage
     *   The Trace Event Format document (Google, "Trace Event Format", 2016) that chrome://tracing
     *   and ui.perfetto.dev read; Go's cmd/trace, which emits the same format for its viewer.
     *
     * Invariants
     *   I1 every string from the trace (names, reasons) reaches the page only through
     *      Timeline.json, which escapes '<', '>' and '&' (no markup injection from a goroutine
     *      name).
     *
     * Ownership & locking, Memory ordering: single-threaded.
     * Rejected alternatives
     *   SVG with one element per span: a browser chokes at ~100k elements; the canvas draws only
     *   what is visible. Loading Perfetto's UI: not self-contained.
     */
    private TraceExport() {
    }

    static final int OTHER_TID = 1_000_000;

    /** Writes the trace-event JSON. */
    public static void chromeJson(Timeline t, Writer w) throws IOException {
        w.write("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"goloom\",\"maxProcs\":");
        w.write(Integer.toString(t.data.maxProcs()));
        w.write("},\"traceEvents\":[\n");
        w.write("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"tid\":0,\"args\":{\"name\":\"goloom\"}}");
        for (int p = 0; p < t.procs; p++) {
            w.write(",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":" + p
                    + ",\"args\":{\"name\":\"P" + p + "\"}}");
            w.write(",\n{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":1,\"tid\":" + p
                    + ",\"args\":{\"sort_index\":" + p + "}}");
        }
        w.write(",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":" + OTHER_TID
                + ",\"args\":{\"name\":\"other\"}}");
        for (Timeline.Span s : t.spans) {
            String name = t.name(s.goid());
            w.write(",\n{\"name\":" + Timeline.json("G" + s.goid() + (name != null ? " " + name : ""))
                    + ",\"cat\":\"goroutine\",\"ph\":\"X\",\"pid\":1,\"tid\":" + s.p()
                    + ",\"ts\":" + micros(s.start()) + ",\"dur\":" + micros(s.end() - s.start())
                    + ",\"args\":{\"goid\":" + s.goid() + ",\"name\":" + Timeline.json(name)
                    + ",\"end\":" + Timeline.json(s.why()) + "}}");
        }
        for (Timeline.Instant i : t.instants) {
            w.write(",\n{\"name\":" + Timeline.json(Timeline.kindName(i.kind()))
                    + ",\"cat\":\"sched\",\"ph\":\"i\",\"s\":\"t\",\"pid\":1,\"tid\":"
                    + (i.p() < 0 ? OTHER_TID : i.p()) + ",\"ts\":" + micros(i.ts())
                    + ",\"args\":{\"goid\":" + i.goid() + ",\"arg\":" + i.arg() + "}}");
        }
        w.write("\n]}\n");
    }

    private static String micros(long ns) {
        return String.format(Locale.ROOT, "%.3f", ns / 1000.0);
    }

    /** Writes the self-contained HTML timeline. */
    public static void html(Timeline t, String title, Writer w) throws IOException {
        StringBuilder d = new StringBuilder(t.spans.size() * 24 + 1024);
        List<String> whys = new ArrayList<>();
        Map<String, Integer> whyIds = new HashMap<>();
        Set<Long> shown = new HashSet<>();
        d.append("{\"procs\":").append(t.procs).append(",\"end\":").append(t.end)
                .append(",\"epochMs\":").append(t.data.epochNanos() / 1_000_000).append(",\"spans\":[");
        boolean first = true;
        for (Timeline.Span s : t.spans) {
            Integer wi = whyIds.computeIfAbsent(s.why(), k -> {
                whys.add(k);
                return whys.size() - 1;
            });
            d.append(first ? "" : ",").append(s.p()).append(',').append(s.goid()).append(',')
                    .append(s.start()).append(',').append(s.end()).append(',').append(wi);
            first = false;
            shown.add(s.goid());
        }
        d.append("],\"instants\":[");
        first = true;
        for (Timeline.Instant i : t.instants) {
            d.append(first ? "" : ",").append(i.p()).append(',').append(i.ts()).append(',')
                    .append(i.kind()).append(',').append(i.goid()).append(',').append(i.arg());
            first = false;
            shown.add(i.goid());
        }
        d.append("],\"whys\":[");
        for (int i = 0; i < whys.size(); i++) {
            d.append(i == 0 ? "" : ",").append(Timeline.json(whys.get(i)));
        }
        d.append("],\"kinds\":[");
        for (int i = 0; i < Trace.KIND_NAMES.size(); i++) {
            d.append(i == 0 ? "" : ",").append(Timeline.json(Trace.KIND_NAMES.get(i)));
        }
        d.append("],\"names\":{");
        first = true;
        for (Map.Entry<Long, String> e : t.data.names().entrySet()) {
            if (shown.contains(e.getKey())) {
                d.append(first ? "" : ",").append('"').append(e.getKey()).append("\":")
                        .append(Timeline.json(e.getValue()));
                first = false;
            }
        }
        d.append("}}");
        w.write(PAGE_HEAD.replace("$TITLE", htmlText(title)));
        w.write(d.toString());                     // keeps I1: every string went through json()
        w.write(PAGE_TAIL);
    }

    private static String htmlText(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static final String PAGE_HEAD = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <title>goloom trace: $TITLE</title>
            <style>
            body{margin:0;font:12px system-ui,sans-serif;background:#fafafa;color:#222}
            header{padding:6px 10px;border-bottom:1px solid #ccc;display:flex;gap:10px;align-items:center}
            header b{font-size:14px} header button{font:inherit}
            #main{display:flex;position:relative}
            #labels{width:64px;flex:none;padding-top:24px;border-right:1px solid #ccc}
            .prow,.orow{height:28px;line-height:28px;padding-left:8px;box-sizing:border-box;border-bottom:1px solid #eee;font-weight:600}
            .orow{color:#777;font-weight:400}
            #wrap{flex:1;overflow:hidden} canvas{display:block;cursor:crosshair}
            #tip{position:fixed;display:none;pointer-events:none;background:#fff;border:1px solid #888;padding:4px 6px;white-space:pre;box-shadow:2px 2px 4px #0003}
            #help{color:#666}
            </style></head>
            <body>
            <header><b>goloom trace</b><span id="sum"></span>
            <button id="zin">zoom in</button><button id="zout">zoom out</button><button id="reset">reset</button>
            <span id="help">wheel: zoom &middot; drag: pan &middot; click: follow a goroutine &middot; double-click: reset &middot; W/S/A/D</span></header>
            <div id="main"><div id="labels"></div><div id="wrap"><canvas id="cv"></canvas></div></div>
            <div id="tip"></div>
            <script type="application/json" id="data">""";

    private static final String PAGE_TAIL = """
            </script>
            <script>
            "use strict";
            const D = JSON.parse(document.getElementById('data').textContent);
            const ROW = 28, TOP = 24;
            const labels = document.getElementById('labels'), cv = document.getElementById('cv');
            const ctx = cv.getContext('2d'), tip = document.getElementById('tip');
            const rows = [];                     // per P: span indexes sorted by start
            for (let p = 0; p < D.procs; p++) {
              rows.push([]);
              const l = document.createElement('div');
              l.className = 'prow'; l.dataset.p = p; l.textContent = 'P' + p;
              labels.appendChild(l);
            }
            const S = D.spans, NS = S.length / 5;
            for (let i = 0; i < NS; i++) rows[S[5 * i]].push(i);
            for (const r of rows) r.sort((a, b) => S[5 * a + 2] - S[5 * b + 2]);
            const I = D.instants, NI = I.length / 5;
            let hasOther = false;
            for (let i = 0; i < NI; i++) if (I[5 * i] < 0) hasOther = true;
            const nrows = D.procs + (hasOther ? 1 : 0);
            if (hasOther) {
              const l = document.createElement('div'); l.className = 'orow'; l.textContent = 'other';
              labels.appendChild(l);
            }
            const gs = new Set(); for (let i = 0; i < NS; i++) gs.add(S[5 * i + 1]);
            document.getElementById('sum').textContent =
              D.procs + ' Ps, ' + gs.size + ' goroutines, ' + NS + ' spans, ' + fmt(D.end);
            let t0 = 0, t1 = Math.max(1, D.end);
            function fmt(ns) {
              const a = Math.abs(ns);
              if (a >= 1e9) return (ns / 1e9).toFixed(3) + ' s';
              if (a >= 1e6) return (ns / 1e6).toFixed(3) + ' ms';
              if (a >= 1e3) return (ns / 1e3).toFixed(1) + ' \\u00b5s';
              return Math.round(ns) + ' ns';
            }
            function color(g) { return 'hsl(' + ((g * 137.508) % 360).toFixed(0) + ',65%,' + (55 + (g % 3) * 8) + '%)'; }
            function W() { return cv.width; }
            function xOf(t) { return (t - t0) / (t1 - t0) * W(); }
            function tOf(x) { return t0 + x / W() * (t1 - t0); }
            function resize() {
              cv.width = Math.max(200, document.getElementById('wrap').clientWidth);
              cv.height = TOP + nrows * ROW;
              draw();
            }
            function draw() {
              ctx.clearRect(0, 0, cv.width, cv.height);
              ctx.font = '11px system-ui,sans-serif';
              const span = t1 - t0, step = Math.pow(10, Math.floor(Math.log10(span / 6)));
              const st = span / step > 30 ? step * 5 : span / step > 12 ? step * 2 : step;
              ctx.fillStyle = '#555'; ctx.strokeStyle = '#e4e4e4';
              for (let t = Math.ceil(t0 / st) * st; t <= t1; t += st) {
                const x = xOf(t); ctx.beginPath(); ctx.moveTo(x, TOP - 4); ctx.lineTo(x, cv.height); ctx.stroke();
                ctx.fillText(fmt(t), x + 2, 12);
              }
              for (let r = 0; r <= nrows; r++) {
                ctx.strokeStyle = '#ddd'; ctx.beginPath(); ctx.moveTo(0, TOP + r * ROW); ctx.lineTo(cv.width, TOP + r * ROW); ctx.stroke();
              }
              for (let i = 0; i < NS; i++) {
                const a = S[5 * i + 2], b = S[5 * i + 3];
                if (b < t0 || a > t1) continue;
                const p = S[5 * i], g = S[5 * i + 1];
                const x0 = xOf(a), w = Math.max(1, xOf(b) - x0), y = TOP + p * ROW + 3;
                ctx.globalAlpha = sel < 0 || sel === g ? 1 : 0.2;
                ctx.fillStyle = color(g); ctx.fillRect(x0, y, w, ROW - 6);
                ctx.globalAlpha = 1;
                if (w > 36) { ctx.fillStyle = '#000'; ctx.fillText('G' + g, Math.max(x0, 0) + 3, y + 15); }
              }
              for (let i = 0; i < NI; i++) {
                const t = I[5 * i + 1]; if (t < t0 || t > t1) continue;
                const p = I[5 * i] < 0 ? D.procs : I[5 * i], x = xOf(t), y = TOP + p * ROW;
                ctx.fillStyle = ['#000', '#2a7', '#000', '#c33', '#37c', '#000', '#999', '#000', '#000', '#e80', '#a0a', '#088', '#a00', '#999'][I[5 * i + 2]] || '#000';
                ctx.beginPath(); ctx.moveTo(x - 3, y + 1); ctx.lineTo(x + 3, y + 1); ctx.lineTo(x, y + 7); ctx.fill();
              }
            }
            function spanAt(p, t, tol) {
              const r = rows[p]; if (!r) return -1;
              let lo = 0, hi = r.length - 1, best = -1;
              while (lo <= hi) { const m = (lo + hi) >> 1; if (S[5 * r[m] + 2] <= t + tol) { best = m; lo = m + 1; } else hi = m - 1; }
              if (best >= 0 && S[5 * r[best] + 3] >= t - tol) return r[best];
              return -1;
            }
            function instantAt(p, t, tol) {
              for (let i = 0; i < NI; i++) {
                const ip = I[5 * i] < 0 ? D.procs : I[5 * i];
                if (ip === p && Math.abs(I[5 * i + 1] - t) <= tol) return i;
              }
              return -1;
            }
            function gname(g) { const n = D.names[g]; return 'G' + g + (n ? ' ' + n : ''); }
            let drag = null, sel = -1, moved = false;
            cv.addEventListener('click', ev => {
              if (moved) return;                  // the end of a pan, not a click
              const rect = cv.getBoundingClientRect(), x = ev.clientX - rect.left, y = ev.clientY - rect.top;
              const p = Math.floor((y - TOP) / ROW), i = p >= 0 && p < D.procs ? spanAt(p, tOf(x), 3 * (t1 - t0) / W()) : -1;
              sel = i >= 0 && S[5 * i + 1] !== sel ? S[5 * i + 1] : -1;
              document.body.dataset.selected = sel;
              draw();
            });
            cv.addEventListener('mousemove', ev => {
              const rect = cv.getBoundingClientRect(), x = ev.clientX - rect.left, y = ev.clientY - rect.top;
              if (drag) {
                if (Math.abs(drag.x - x) > 2) moved = true;
                const dt = (drag.x - x) / W() * (t1 - t0); t0 = drag.t0 + dt; t1 = drag.t1 + dt; draw(); return;
              }
              const p = Math.floor((y - TOP) / ROW), t = tOf(x), tol = 3 * (t1 - t0) / W();
              let text = null;
              const ii = (y - TOP - p * ROW) < 9 ? instantAt(p, t, tol) : -1;
              if (ii >= 0) {
                text = D.kinds[I[5 * ii + 2]] + ' at ' + fmt(I[5 * ii + 1]) + '\\n' + gname(I[5 * ii + 3]) + '  arg ' + I[5 * ii + 4];
              } else if (p >= 0 && p < D.procs) {
                const i = spanAt(p, t, tol);
                if (i >= 0) {
                  const a = S[5 * i + 2], b = S[5 * i + 3];
                  text = gname(S[5 * i + 1]) + '\\nid ' + S[5 * i + 1] + ' on P' + p + '\\n' + fmt(a) + ' \\u2192 ' + fmt(b)
                    + ' (' + fmt(b - a) + ')\\nthen: ' + D.whys[S[5 * i + 4]];
                }
              }
              if (text) { tip.textContent = text; tip.style.display = 'block'; tip.style.left = (ev.clientX + 12) + 'px'; tip.style.top = (ev.clientY + 12) + 'px'; }
              else tip.style.display = 'none';
            });
            cv.addEventListener('mouseleave', () => { tip.style.display = 'none'; drag = null; });
            cv.addEventListener('mousedown', ev => { moved = false; drag = { x: ev.clientX - cv.getBoundingClientRect().left, t0, t1 }; });
            window.addEventListener('mouseup', () => { drag = null; });
            function zoom(f, x) {
              const tm = tOf(x); t0 = tm - (tm - t0) * f; t1 = tm + (t1 - tm) * f;
              if (t1 - t0 < 10) { t1 = t0 + 10; } draw();
            }
            cv.addEventListener('wheel', ev => {
              ev.preventDefault();
              zoom(Math.exp(ev.deltaY * 0.002), ev.clientX - cv.getBoundingClientRect().left);
            }, { passive: false });
            function reset() { t0 = 0; t1 = Math.max(1, D.end); draw(); }
            cv.addEventListener('dblclick', reset);
            document.getElementById('zin').onclick = () => zoom(0.5, W() / 2);
            document.getElementById('zout').onclick = () => zoom(2, W() / 2);
            document.getElementById('reset').onclick = reset;
            window.addEventListener('keydown', ev => {
              const k = ev.key.toLowerCase(), pan = (t1 - t0) * 0.2;
              if (k === 'w') zoom(0.8, W() / 2); else if (k === 's') zoom(1.25, W() / 2);
              else if (k === 'a') { t0 -= pan; t1 -= pan; draw(); } else if (k === 'd') { t0 += pan; t1 += pan; draw(); }
            });
            window.addEventListener('resize', resize);
            resize();
            document.body.dataset.rows = D.procs;
            document.body.dataset.ready = 'true';
            </script>
            </body></html>
            """;
}
