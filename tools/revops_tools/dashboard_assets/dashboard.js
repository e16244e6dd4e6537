// The dashboard's charts: reads the JSON of #dashboard-data and draws each chart as inline SVG.
// No library, no network. Every chart container ([data-chart]) gets data-rendered="true" and
// data-points="<marks drawn from data>" once drawn; every mark carries data-mark and data-value.
(function () {
  "use strict";

  const SVG_NS = "http://www.w3.org/2000/svg";
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const COLORS = {
    accent: "#2f5fb3",
    second: "#e08a2c",
    positive: "#2e8b57",
    negative: "#c8463d",
    total: "#44546a",
    fx: "#b08b2e",
    grid: "#e6eaef",
    muted: "#5e6b7a",
  };

  const data = JSON.parse(document.getElementById("dashboard-data").textContent);
  const currency = data.currency || "USD";

  // ---- formatting -------------------------------------------------------------------------------

  const moneyFull = new Intl.NumberFormat("en-US", { style: "currency", currency: currency });
  const moneyWhole = new Intl.NumberFormat("en-US", {
    style: "currency", currency: currency, maximumFractionDigits: 0,
  });
  const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
  const symbol = moneyWhole.formatToParts(0).filter((p) => p.type === "currency").map((p) => p.value).join("");

  function moneyCompact(value, signed) {
    const abs = Math.abs(value);
    let text;
    if (abs >= 1e9) text = (abs / 1e9).toFixed(abs >= 1e10 ? 1 : 2) + "B";
    else if (abs >= 1e6) text = (abs / 1e6).toFixed(abs >= 1e7 ? 1 : 2) + "M";
    else if (abs >= 1e3) text = (abs / 1e3).toFixed(abs >= 1e5 ? 0 : 1) + "k";
    else text = abs.toFixed(0);
    const sign = value < 0 ? "\u2212" : signed && value > 0 ? "+" : "";
    return sign + symbol + text;
  }
  function pct(value, digits) {
    return value === null || value === undefined ? "n/a" : (value * 100).toFixed(digits === undefined ? 1 : digits) + "%";
  }
  function monthLabel(iso, short) {
    const year = iso.slice(0, 4);
    const month = MONTHS[Number(iso.slice(5, 7)) - 1];
    return short ? month + " \u2019" + year.slice(2) : month + " " + year;
  }
  function formatValue(value, kind) {
    if (value === null || value === undefined) return "n/a";
    if (kind === "money") return moneyFull.format(value);
    if (kind === "percent") return pct(value);
    return integer.format(value);
  }

  // ---- SVG helpers ------------------------------------------------------------------------------

  function el(tag, attrs, parent) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const key in attrs) {
      if (attrs[key] !== undefined && attrs[key] !== null) node.setAttribute(key, attrs[key]);
    }
    if (parent) parent.appendChild(node);
    return node;
  }
  function text(parent, x, y, content, attrs) {
    const all = Object.assign({ x: x, y: y }, attrs || {});
    if (all.fill) { all.style = "fill:" + all.fill; delete all.fill; } // beats the stylesheet's text colour
    const node = el("text", all, parent);
    node.textContent = content;
    return node;
  }
  function svgRoot(container, width, height, label) {
    return el("svg", {
      viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": label,
      preserveAspectRatio: "xMidYMid meet",
    }, container);
  }

  // Each chart counts the marks it draws from data through its own counter.
  function markCounter() {
    let count = 0;
    return {
      mark(tag, attrs, parent, value, tooltip) {
        const node = el(tag, Object.assign({ "data-mark": "", "data-value": value }, attrs), parent);
        if (tooltip) el("title", {}, node).textContent = tooltip;
        count += 1;
        return node;
      },
      get count() { return count; },
    };
  }

  function linear(domainLo, domainHi, rangeLo, rangeHi) {
    const span = domainHi - domainLo || 1;
    return (v) => rangeLo + ((v - domainLo) / span) * (rangeHi - rangeLo);
  }
  function niceStep(span, count) {
    const raw = span / Math.max(count, 1);
    const power = Math.pow(10, Math.floor(Math.log10(raw)));
    const fraction = raw / power;
    return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10) * power;
  }
  function niceDomain(lo, hi, count) {
    if (lo === hi) { hi = lo === 0 ? 1 : lo * 1.1; lo = lo > 0 ? 0 : lo; }
    const step = niceStep(hi - lo, count);
    const start = Math.floor(lo / step) * step;
    const end = Math.ceil(hi / step) * step;
    const ticks = [];
    for (let v = start; v <= end + step / 2; v += step) ticks.push(Math.round(v / step) * step);
    return { lo: start, hi: end, ticks: ticks };
  }
  function yAxis(svg, ticks, y, left, right, format, title, titleX) {
    const g = el("g", { class: "axis" }, svg);
    ticks.forEach((t) => {
      el("line", { class: "gridline", x1: left, x2: right, y1: y(t), y2: y(t) }, g);
      text(g, left - 8, y(t) + 4, format(t), { "text-anchor": "end" });
    });
    if (title) {
      const mid = (y(ticks[0]) + y(ticks[ticks.length - 1])) / 2;
      const x = titleX === undefined ? 14 : titleX;
      text(svg, x, mid, title, { class: "axis-title", "text-anchor": "middle", transform: "rotate(-90 " + x + " " + mid + ")" });
    }
  }
  function monthAxis(svg, months, x, y0, every) {
    const g = el("g", { class: "axis" }, svg);
    months.forEach((m, i) => {
      if ((months.length - 1 - i) % every !== 0) return;
      el("line", { class: "baseline", x1: x(i), x2: x(i), y1: y0, y2: y0 + 4 }, g);
      text(g, x(i), y0 + 17, monthLabel(m, true), { "text-anchor": "middle" });
    });
  }
  function empty(container, message) {
    const svg = svgRoot(container, 640, 120, "no data");
    text(svg, 320, 64, message || "No data for this chart", { class: "empty", "text-anchor": "middle" });
    return 0;
  }
  function legend(svg, x, y, items) {
    const g = el("g", { class: "legend" }, svg);
    let offset = x;
    items.forEach((item) => {
      el("rect", { x: offset, y: y - 9, width: 12, height: 12, rx: 2, fill: item.color }, g);
      text(g, offset + 17, y + 1, item.label);
      offset += 30 + item.label.length * 6.3;
    });
  }

  // ---- charts -----------------------------------------------------------------------------------

  function drawRevenueBridge(container, chart) {
    const steps = (chart && chart.steps) || [];
    if (!steps.length) return empty(container);
    const W = 700, H = 370, left = 78, right = 12, top = 26, bottom = 46;
    const svg = svgRoot(container, W, H, "MRR bridge of " + monthLabel(chart.month));
    const marks = markCounter();
    // The running level before and after each step.
    let level = 0;
    const bars = steps.map((step, i) => {
      const total = i === 0 || i === steps.length - 1;
      const from = total ? 0 : level;
      const to = total ? step.value : level + step.value;
      level = to;
      return { step: step, total: total, from: from, to: to };
    });
    const levels = bars.map((b) => b.to).concat(bars.filter((b) => !b.total).map((b) => b.from));
    const lo = Math.min.apply(null, levels), hi = Math.max.apply(null, levels);
    // Movements are small next to MRR itself: start the axis near the lowest level (marked as a
    // break) so they stay readable, unless the levels span most of the range anyway.
    const span = hi - lo;
    const broken = lo > 0 && span < 0.5 * hi;
    const domain = broken ? niceDomain(Math.max(0, lo - span * 0.6), hi + span * 0.12, 5) : niceDomain(Math.min(0, lo), hi, 5);
    const y = linear(domain.lo, domain.hi, H - bottom, top);
    yAxis(svg, domain.ticks, y, left, W - right, (v) => moneyCompact(v), "MRR (" + currency + ")");
    const band = (W - left - right) / bars.length;
    const barWidth = band * 0.62;
    bars.forEach((b, i) => {
      const x0 = left + band * i + (band - barWidth) / 2;
      const base = b.total ? domain.lo : b.from;
      const yTop = y(Math.max(base, b.to)), yBottom = y(Math.min(base, b.to));
      const color = b.total ? COLORS.total : b.step.key === "fx" ? COLORS.fx : b.step.value >= 0 ? COLORS.positive : COLORS.negative;
      marks.mark("rect", {
        x: x0, y: yTop, width: barWidth, height: Math.max(yBottom - yTop, 1), fill: color, rx: 2,
        "data-step": b.step.key,
      }, svg, b.step.value, b.step.label + ": " + moneyFull.format(b.step.value));
      if (b.total && broken) {
        // axis-break zigzag across the bottom of a truncated total bar
        const yb = H - bottom - 8;
        el("path", {
          d: "M" + (x0 - 2) + " " + (yb + 3) + " l" + barWidth / 4 + " -6 l" + barWidth / 4 + " 6 l" + barWidth / 4 + " -6 l" + (barWidth / 4 + 4) + " 6",
          stroke: "#fff", "stroke-width": 3, fill: "none",
        }, svg);
      }
      const label = b.total ? moneyCompact(b.step.value) : moneyCompact(b.step.value, true);
      text(svg, x0 + barWidth / 2, yTop - 6, label, { class: "value-label", "text-anchor": "middle" });
      if (i < bars.length - 1) {
        el("line", {
          x1: x0 + barWidth, x2: x0 + band, y1: y(b.to), y2: y(b.to), stroke: "#9aa6b2", "stroke-dasharray": "3 3",
        }, svg);
      }
      const g = el("g", { class: "axis" }, svg);
      text(g, x0 + barWidth / 2, H - bottom + 17, b.step.label, { "text-anchor": "middle", "font-size": 10.5 });
    });
    if (broken) {
      text(svg, W - right, H - 6, "Axis starts at " + moneyCompact(domain.lo) + "; totals are cut at the break.",
        { class: "axis", "text-anchor": "end", fill: COLORS.muted, "font-size": 10.5 });
    }
    return marks.count;
  }

  function drawLinePanel(svg, marks, points, key, opts) {
    const { left, right, top, height, color, title, label, format } = opts;
    const values = points.map((p) => p[key]).filter((v) => v !== null && v !== undefined);
    const domain = niceDomain(0, Math.max.apply(null, values.concat([0])), 4);
    const y = linear(domain.lo, domain.hi, top + height, top);
    const x = linear(0, Math.max(points.length - 1, 1), left, opts.width - right);
    yAxis(svg, domain.ticks, y, left, opts.width - right, (v) => moneyCompact(v), title, 14);
    let path = "";
    let area = "";
    points.forEach((p, i) => {
      if (p[key] === null || p[key] === undefined) return;
      path += (path ? " L" : "M") + x(i) + " " + y(p[key]);
    });
    if (path) {
      area = path + " L" + x(points.length - 1) + " " + y(domain.lo) + " L" + x(0) + " " + y(domain.lo) + " Z";
      el("path", { d: area, fill: color, "fill-opacity": 0.08, stroke: "none" }, svg);
      el("path", { d: path, fill: "none", stroke: color, "stroke-width": 2.2, "stroke-linejoin": "round" }, svg);
    }
    points.forEach((p, i) => {
      if (p[key] === null || p[key] === undefined) return;
      marks.mark("circle", { cx: x(i), cy: y(p[key]), r: 2.6, fill: color, "data-series": key, "data-month": p.month },
        svg, p[key], label + " " + monthLabel(p.month) + ": " + format(p[key]));
    });
    const last = points[points.length - 1];
    if (last && last[key] !== null) {
      text(svg, x(points.length - 1) - 4, y(last[key]) - 9, moneyCompact(last[key]),
        { class: "value-label", "text-anchor": "end", fill: color });
    }
    return x;
  }

  function drawMrrArrTrend(container, chart) {
    const points = (chart && chart.points) || [];
    if (!points.length) return empty(container);
    const W = 640, H = 340, left = 78, right = 16;
    const svg = svgRoot(container, W, H, "MRR and ARR by month");
    const marks = markCounter();
    const opts = { width: W, left: left, right: right, format: (v) => moneyFull.format(v) };
    drawLinePanel(svg, marks, points, "mrr", Object.assign({}, opts, {
      top: 14, height: 118, color: COLORS.accent, title: "MRR (" + currency + ")", label: "MRR",
    }));
    const x = drawLinePanel(svg, marks, points, "arr", Object.assign({}, opts, {
      top: 170, height: 118, color: COLORS.second, title: "ARR (" + currency + ")", label: "ARR",
    }));
    const months = points.map((p) => p.month);
    monthAxis(svg, months, x, 288, Math.max(1, Math.ceil(months.length / 8)));
    text(svg, (left + W - right) / 2, H - 4, "Month", { class: "axis-title", "text-anchor": "middle" });
    return marks.count;
  }

  // Diverging around 100% (the cohort keeps its first month's MRR): red for lost revenue, green
  // for net expansion, saturating at 50% and 150%.
  function retentionColor(value) {
    const clamp = (v) => Math.max(0, Math.min(1, v));
    const mix = (a, b, t) => "rgb(" + a.map((c, i) => Math.round(c + (b[i] - c) * t)).join(",") + ")";
    const neutral = [238, 241, 245];
    if (value <= 1) return mix(neutral, [196, 62, 52], clamp((1 - value) / 0.5));
    return mix(neutral, [24, 122, 86], clamp((value - 1) / 0.5));
  }
  function retentionInk(value) {
    return Math.abs(value - 1) > 0.28 ? "#ffffff" : "#1d2733";
  }

  function drawCohortRetention(container, chart) {
    const cohorts = (chart && chart.cohorts) || [];
    if (!cohorts.length) return empty(container);
    const columns = chart.max_offset + 1;
    const left = 128, top = 40, right = 12, cell = 17.5, cellW = (1280 - left - right) / columns;
    const W = 1280, H = top + cohorts.length * cell + 64;
    const svg = svgRoot(container, W, H, "Cohort revenue retention heat map");
    const marks = markCounter();
    const header = el("g", { class: "axis" }, svg);
    for (let k = 0; k < columns; k++) {
      text(header, left + cellW * k + cellW / 2, top - 8, String(k), { "text-anchor": "middle" });
    }
    text(svg, left + (W - left - right) / 2, 12, "Months since the cohort's first month with MRR",
      { class: "axis-title", "text-anchor": "middle" });
    text(svg, 10, top - 8, "Cohort (customers)", { class: "axis-title" });
    cohorts.forEach((cohort, row) => {
      const yRow = top + row * cell;
      text(header, left - 8, yRow + cell / 2 + 4, monthLabel(cohort.cohort_month) + " (" + cohort.customers + ")",
        { "text-anchor": "end" });
      cohort.cells.forEach((c) => {
        if (c.revenue_retention === null || c.revenue_retention === undefined) return;
        const x0 = left + cellW * c.offset;
        const fill = retentionColor(c.revenue_retention);
        marks.mark("rect", {
          x: x0 + 0.5, y: yRow + 0.5, width: cellW - 1, height: cell - 1, fill: fill,
          "data-cohort": cohort.cohort_month, "data-offset": c.offset,
        }, svg, c.revenue_retention,
        monthLabel(cohort.cohort_month) + " cohort, month " + c.offset + ": revenue retention " +
          pct(c.revenue_retention) + " (" + moneyFull.format(c.mrr) + "), logo retention " + pct(c.logo_retention) +
          " (" + c.retained_customers + " of " + cohort.customers + ")");
        text(svg, x0 + cellW / 2, yRow + cell / 2 + 3.5, (c.revenue_retention * 100).toFixed(0), {
          "text-anchor": "middle", "font-size": 9.5, "pointer-events": "none",
          fill: retentionInk(c.revenue_retention),
        });
      });
    });
    // legend: a gradient from 0% to 150%
    const legendY = top + cohorts.length * cell + 24;
    const defs = el("defs", {}, svg);
    const gradient = el("linearGradient", { id: "retention-gradient", x1: "0", x2: "1", y1: "0", y2: "0" }, defs);
    [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5].forEach((v) => {
      el("stop", { offset: (v / 1.5) * 100 + "%", "stop-color": retentionColor(v) }, gradient);
    });
    el("rect", { x: left, y: legendY, width: 300, height: 10, fill: "url(#retention-gradient)", rx: 2 }, svg);
    const g = el("g", { class: "axis" }, svg);
    [0, 0.5, 1, 1.5].forEach((v) => text(g, left + (v / 1.5) * 300, legendY + 24, pct(v, 0), { "text-anchor": "middle" }));
    text(svg, left + 320, legendY + 9, "Revenue retention (cell text in %); cohorts of the last " + cohorts.length +
      " complete months, complete months only.", { class: "axis", fill: COLORS.muted, "font-size": 11 });
    return marks.count;
  }

  function drawLeadFunnel(container, chart) {
    const stages = (chart && chart.stages) || [];
    if (!stages.length || !stages[0].count) return empty(container);
    const W = 640, H = 340, left = 112, right = 150, top = 14, rowH = 60;
    const svg = svgRoot(container, W, H, "Lead funnel");
    const marks = markCounter();
    const maxCount = stages[0].count;
    const innerW = W - left - right;
    const cx = left + innerW / 2;
    stages.forEach((s, i) => {
      const w = Math.max((s.count / maxCount) * innerW, 2);
      const y0 = top + i * rowH;
      const shade = ["#2f5fb3", "#3d70c4", "#4f82d0", "#6a98db", "#2e8b57"][i] || COLORS.accent;
      marks.mark("rect", { x: cx - w / 2, y: y0, width: w, height: rowH - 14, rx: 3, fill: shade, "data-stage": s.stage },
        svg, s.count, s.label + ": " + integer.format(s.count));
      text(svg, left - 10, y0 + (rowH - 14) / 2 + 4, s.label, { "text-anchor": "end", "font-weight": 600, "font-size": 12.5 });
      const inside = w > 60;
      text(svg, inside ? cx : cx + w / 2 + 6, y0 + (rowH - 14) / 2 + 4.5, integer.format(s.count), {
        "text-anchor": inside ? "middle" : "start", class: "value-label", fill: inside ? "#ffffff" : "#1d2733",
        "font-size": 12.5,
      });
      const g = el("g", { class: "axis" }, svg);
      if (i > 0) {
        const prev = stages[i - 1].count;
        text(g, W - right + 12, y0 + 14, (prev ? pct(s.count / prev) : "n/a") + " of " + stages[i - 1].label.toLowerCase());
        text(g, W - right + 12, y0 + 30, pct(s.count / maxCount, 2) + " of leads");
      } else {
        text(g, W - right + 12, y0 + 22, "created " + monthLabel(chart.from_month, true) + " \u2013 " + monthLabel(chart.to_month, true));
      }
    });
    text(svg, cx, H - 6, "Leads by the furthest stage reached (lead cohorts)", { class: "axis-title", "text-anchor": "middle" });
    return marks.count;
  }

  function drawWinRate(container, chart) {
    const points = (chart && chart.points) || [];
    if (!points.length) return empty(container);
    const W = 640, H = 340, left = 62, right = 16, top = 30, bottom = 46;
    const svg = svgRoot(container, W, H, "Win rate by month");
    const marks = markCounter();
    const values = [];
    points.forEach((p) => [p.win_rate_count, p.win_rate_amount].forEach((v) => { if (v !== null) values.push(v); }));
    const domain = niceDomain(0, Math.max(0.5, Math.max.apply(null, values.concat([0]))), 5);
    const y = linear(domain.lo, domain.hi, H - bottom, top);
    const x = linear(0, Math.max(points.length - 1, 1), left + 8, W - right - 8);
    yAxis(svg, domain.ticks, y, left, W - right, (v) => pct(v, 0), "Win rate");
    const series = [
      { key: "win_rate_count", label: "By count", color: COLORS.accent },
      { key: "win_rate_amount", label: "By amount", color: COLORS.second },
    ];
    series.forEach((s) => {
      let path = "";
      points.forEach((p, i) => {
        const v = p[s.key];
        if (v === null || v === undefined) { path += " "; return; }
        path += (path && !path.endsWith(" ") ? " L" : " M") + x(i) + " " + y(v);
      });
      el("path", { d: path.trim(), fill: "none", stroke: s.color, "stroke-width": 2, "stroke-linejoin": "round" }, svg);
      points.forEach((p, i) => {
        const v = p[s.key];
        if (v === null || v === undefined) return;
        marks.mark("circle", { cx: x(i), cy: y(v), r: 3, fill: s.color, "data-series": s.key, "data-month": p.month }, svg, v,
          monthLabel(p.month) + " win rate " + s.label.toLowerCase() + ": " + pct(v) + " (" + p.won_count + " won of " + p.closed_count + " closed)");
      });
    });
    monthAxis(svg, points.map((p) => p.month), x, H - bottom, Math.max(1, Math.ceil(points.length / 8)));
    text(svg, (left + W - right) / 2, H - 6, "Close month", { class: "axis-title", "text-anchor": "middle" });
    legend(svg, left + 4, 14, series);
    return marks.count;
  }

  function channelLabel(channel) {
    return channel.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
  }

  function drawBarPanel(svg, marks, items, opts) {
    // vertical bars of items [{label, value, tooltip}] within [x0, x0 + width]
    const { x0, width, top, height, color, format, axisFormat, title } = opts;
    const values = items.map((it) => it.value).filter((v) => v !== null && v !== undefined);
    const domain = niceDomain(0, Math.max.apply(null, values.concat([0])) * 1.08, 4);
    const y = linear(domain.lo, domain.hi, top + height, top);
    yAxis(svg, domain.ticks, y, x0 + 60, x0 + width, axisFormat, title, x0 + 12);
    const band = (width - 60) / Math.max(items.length, 1);
    const barW = Math.min(band * 0.55, 90);
    items.forEach((it, i) => {
      const bx = x0 + 60 + band * i + (band - barW) / 2;
      const g = el("g", { class: "axis" }, svg);
      text(g, bx + barW / 2, top + height + 17, it.label, { "text-anchor": "middle" });
      if (it.value === null || it.value === undefined) {
        text(g, bx + barW / 2, top + height - 6, "n/a", { "text-anchor": "middle" });
        return;
      }
      marks.mark("rect", { x: bx, y: y(it.value), width: barW, height: Math.max(y(0) - y(it.value), 1), rx: 2, fill: color,
        "data-channel": it.channel, "data-series": opts.series }, svg, it.value, it.tooltip);
      text(svg, bx + barW / 2, y(it.value) - 6, format(it.value), { class: "value-label", "text-anchor": "middle" });
    });
  }

  function drawCacRoas(container, chart) {
    const channels = (chart && chart.channels) || [];
    const withCac = channels.filter((c) => c.cac_paid !== null && c.cac_paid !== undefined);
    const withRoas = channels.filter((c) => c.roas !== null && c.roas !== undefined);
    if (!withCac.length && !withRoas.length) return empty(container);
    const W = 1280, H = 300, top = 24, height = 220;
    const svg = svgRoot(container, W, H, "CAC paid and ROAS by channel");
    const marks = markCounter();
    drawBarPanel(svg, marks, channels.map((c) => ({
      channel: c.channel, label: channelLabel(c.channel), value: c.cac_paid,
      tooltip: channelLabel(c.channel) + ": CAC paid " + (c.cac_paid === null ? "n/a" : moneyFull.format(c.cac_paid)) +
        " = " + moneyFull.format(c.spend || 0) + " spend / " + (c.new_customers || 0) + " new customers",
    })), {
      x0: 0, width: 600, top: top, height: height, color: COLORS.accent, series: "cac_paid",
      format: (v) => moneyFull.format(v).replace(/\.\d\d$/, ""), axisFormat: (v) => moneyCompact(v),
      title: "CAC paid (" + currency + " per new customer)",
    });
    drawBarPanel(svg, marks, channels.map((c) => ({
      channel: c.channel, label: channelLabel(c.channel), value: c.roas,
      tooltip: channelLabel(c.channel) + ": ROAS " + (c.roas === null || c.roas === undefined ? "n/a" : c.roas.toFixed(2) + "x") +
        " = " + moneyFull.format(c.bookings_attributed || 0) + " attributed bookings / " + moneyFull.format(c.attributed_spend || 0) + " spend",
    })), {
      x0: 660, width: 600, top: top, height: height, color: COLORS.positive, series: "roas",
      format: (v) => v.toFixed(2) + "x", axisFormat: (v) => v.toFixed(1) + "x",
      title: "ROAS (bookings / spend), " + chart.attribution_model.replace(/_/g, " ") + " attribution",
    });
    text(svg, 330, H - 4, "Paid channel", { class: "axis-title", "text-anchor": "middle" });
    text(svg, 990, H - 4, "Paid channel", { class: "axis-title", "text-anchor": "middle" });
    return marks.count;
  }

  function drawDataQuality(container, chart) {
    const tables = (chart && chart.tables) || [];
    if (!tables.length) return empty(container);
    const columns = tables.length > 16 ? 2 : 1;
    const perColumn = Math.ceil(tables.length / columns);
    const W = 1280, rowH = 17, top = 44, labelW = 250, gap = 40;
    const H = top + perColumn * rowH + 46;
    const colW = (W - gap * (columns - 1)) / columns;
    const barArea = colW - labelW - 150;
    const svg = svgRoot(container, W, H, "Data-quality score by raw table");
    const marks = markCounter();
    const color = (s) => (s >= 0.99 ? COLORS.positive : s >= 0.95 ? "#d39b22" : COLORS.negative);
    for (let col = 0; col < columns; col++) {
      const x0 = col * (colW + gap) + labelW;
      const x = linear(0, 1, x0, x0 + barArea);
      const g = el("g", { class: "axis" }, svg);
      [0, 0.25, 0.5, 0.75, 1].forEach((t) => {
        el("line", { class: "gridline", x1: x(t), x2: x(t), y1: top - 4, y2: top + perColumn * rowH }, g);
        text(g, x(t), top + perColumn * rowH + 15, pct(t, 0), { "text-anchor": "middle" });
      });
      text(svg, x0 + barArea / 2, top + perColumn * rowH + 32, "Share of rows that passed every check",
        { class: "axis-title", "text-anchor": "middle" });
      text(svg, x0 - 8, top - 10, "Raw table", { class: "axis-title", "text-anchor": "end" });
      text(svg, x0 + barArea + 6, top - 10, "Score, latest load", { class: "axis-title" });
    }
    tables.forEach((t, i) => {
      const col = Math.floor(i / perColumn), row = i % perColumn;
      const x0 = col * (colW + gap) + labelW;
      const x = linear(0, 1, x0, x0 + barArea);
      const yRow = top + row * rowH;
      const g = el("g", { class: "axis" }, svg);
      text(g, x0 - 8, yRow + rowH / 2 + 3.5, t.source_table, { "text-anchor": "end" });
      marks.mark("rect", { x: x0, y: yRow + 2, width: Math.max(x(t.score) - x0, 1), height: rowH - 5, rx: 2,
        fill: color(t.score), "data-table": t.source_table }, svg, t.score,
        t.source_table + ", load of " + t.load_date + ": " + pct(t.score, 2) + " (" + t.rows_passed + " of " +
        t.rows_checked + " rows passed; " + t.rows_rejected + " rejected, " + t.rows_duplicate + " duplicate)");
      text(svg, x0 + barArea + 6, yRow + rowH / 2 + 4, pct(t.score, 2), { class: "value-label", fill: color(t.score) });
      text(g, x0 + barArea + 64, yRow + rowH / 2 + 3.5, t.load_date + ", " + integer.format(t.rows_checked) + " rows",
        { "font-size": 10 });
    });
    legend(svg, labelW, 12, [
      { label: "\u2265 99%", color: COLORS.positive },
      { label: "95\u201399%", color: "#d39b22" },
      { label: "< 95%", color: COLORS.negative },
    ]);
    return marks.count;
  }

  // ---- page -------------------------------------------------------------------------------------

  function drawKpis() {
    const box = document.getElementById("kpi-tiles");
    (data.kpis || []).forEach((k) => {
      const tile = document.createElement("div");
      tile.className = "kpi";
      tile.setAttribute("data-kpi", k.key);
      const label = document.createElement("div");
      label.className = "label";
      label.textContent = k.label;
      const value = document.createElement("div");
      value.className = "value";
      value.textContent = k.value !== null && k.format === "money" && Math.abs(k.value) >= 1e4
        ? moneyCompact(k.value, k.key === "net_new_mrr") : formatValue(k.value, k.format);
      value.title = formatValue(k.value, k.format);
      tile.appendChild(label);
      tile.appendChild(value);
      box.appendChild(tile);
    });
  }

  function setText(selector, content) {
    const node = document.querySelector(selector);
    if (node) node.textContent = content;
  }

  const DRAW = {
    revenue_bridge: drawRevenueBridge,
    mrr_arr_trend: drawMrrArrTrend,
    cohort_retention: drawCohortRetention,
    lead_funnel: drawLeadFunnel,
    win_rate: drawWinRate,
    cac_roas: drawCacRoas,
    data_quality: drawDataQuality,
  };

  setText("#dashboard-subtitle", "Complete months through " + monthLabel(data.last_complete_month) +
    " (" + monthLabel(data.as_of_month) + " is in progress). Amounts in " + currency + ".");
  setText("[data-period=revenue_bridge]", monthLabel(data.last_complete_month));
  const window12 = monthLabel(data.window_start_month) + " \u2013 " + monthLabel(data.last_complete_month);
  setText("[data-period=lead_funnel]", window12);
  setText("[data-period=cac_roas]", window12);
  setText("#dashboard-footer", "Generated from the warehouse marts (" + Object.keys(DRAW).map((k) => (data.charts[k] || {}).source)
    .filter(Boolean).join("; ") + "). Hover any bar, point or cell for its exact value.");
  drawKpis();

  document.querySelectorAll("[data-chart]").forEach((container) => {
    const name = container.getAttribute("data-chart");
    try {
      const draw = DRAW[name];
      if (!draw) throw new Error("no drawing function for chart " + name);
      const points = draw(container, (data.charts || {})[name]);
      container.setAttribute("data-points", String(points));
      container.setAttribute("data-rendered", "true");
    } catch (error) {
      container.setAttribute("data-rendered", "false");
      window.reportDashboardError("chart " + name + ": " + (error && error.stack ? error.stack : error));
    }
  });
})();
