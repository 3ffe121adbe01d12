// Our own chart on canvas: lines (metrics) or stacked bars (the log
// histogram), a time axis with change-event markers, hover values, and
// click-drag to zoom the time range.
import {h, formatTime, compact} from "./dom.js";

export const palette = ["#2a7ab0", "#d9622b", "#3a9a4a", "#b03a6d", "#7b5cc4", "#a08a18", "#1c9c9c", "#c43a3a", "#6b7a8f", "#e08fb0"];
export const severityColors = {
  emergency: "#b0002a", alert: "#b0002a", critical: "#c8102e", error: "#d9362b", warning: "#e0a000",
  notice: "#3a9a4a", info: "#2a7ab0", debug: "#8a8f98", unknown: "#a0a4ab",
};

const margin = {left: 56, right: 12, top: 10, bottom: 24};

/** A "nice" tick step near `raw`. */
function niceStep(raw) {
  const power = 10 ** Math.floor(Math.log10(raw));
  const scaled = raw / power;
  return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * power;
}

/**
 * chart({kind: "line"|"bars", range: {start, end}, series: [{name, color, points: [[ms, value]], hidden}],
 *        bars: {step, buckets: [{time, stack: [[name, count]]}]}, events: [{time, text}], label, onZoom})
 * Returns the chart's element; `update(options)` redraws.
 */
export function chart(options) {
  const canvas = h("canvas", {role: "img", "aria-label": options.label ?? "chart"});
  const tip = h("div", {class: "chart-tip", hidden: true, role: "status"});
  const element = h("div", {class: "chart"}, canvas, tip);
  let state = options, drag = null, hover = null;

  const colors = () => {
    const style = getComputedStyle(document.documentElement);
    return {text: style.getPropertyValue("--muted").trim() || "#666", grid: style.getPropertyValue("--grid").trim() || "#ddd",
      event: style.getPropertyValue("--event").trim() || "#8b3fd1", select: style.getPropertyValue("--select").trim() || "rgba(42,122,176,.2)"};
  };

  function scales(width, height) {
    const {start, end} = state.range;
    let max = 0;
    if (state.kind === "bars") {
      for (const bucket of state.bars.buckets) max = Math.max(max, bucket.stack.reduce((sum, [, count]) => sum + count, 0));
    } else {
      for (const series of state.series) if (!series.hidden) for (const [, value] of series.points) if (Number.isFinite(value)) max = Math.max(max, value);
    }
    let min = 0;
    if (state.kind !== "bars") {
      for (const series of state.series) if (!series.hidden) for (const [, value] of series.points) if (Number.isFinite(value)) min = Math.min(min, value);
    }
    if (max === min) max = min + 1;
    else max += (max - min) * 0.08;  // headroom, so the top line is not hidden by the grid
    const x = (time) => margin.left + (time - start) / (end - start) * (width - margin.left - margin.right);
    const y = (value) => height - margin.bottom - (value - min) / (max - min) * (height - margin.top - margin.bottom);
    const time = (pixel) => start + (pixel - margin.left) / (width - margin.left - margin.right) * (end - start);
    return {x, y, time, min, max};
  }

  function draw() {
    const ratio = window.devicePixelRatio || 1;
    const width = element.clientWidth || 600, height = state.height ?? 220;
    canvas.width = width * ratio; canvas.height = height * ratio;
    canvas.style.width = `${width}px`; canvas.style.height = `${height}px`;
    const context = canvas.getContext("2d");
    context.scale(ratio, ratio);
    const color = colors();
    const scale = scales(width, height);
    context.font = "11px system-ui, sans-serif";
    context.fillStyle = color.text; context.strokeStyle = color.grid; context.lineWidth = 1;
    // Value axis.
    const valueStep = niceStep((scale.max - scale.min) / 4);
    for (let value = Math.ceil(scale.min / valueStep) * valueStep; value <= scale.max; value += valueStep) {
      const py = Math.round(scale.y(value)) + 0.5;
      context.beginPath(); context.moveTo(margin.left, py); context.lineTo(width - margin.right, py); context.stroke();
      context.textAlign = "right"; context.fillText(compact(value), margin.left - 6, py + 4);
    }
    // Time axis.
    const span = state.range.end - state.range.start;
    const timeStep = [1e3, 5e3, 15e3, 30e3, 60e3, 300e3, 900e3, 1800e3, 3600e3, 10800e3, 21600e3, 43200e3, 86400e3].find((step) => span / step <= 8) ?? 86400e3;
    context.textAlign = "center";
    for (let time = Math.ceil(state.range.start / timeStep) * timeStep; time <= state.range.end; time += timeStep) {
      const label = formatTime(time, false);
      context.fillText(span > 86400e3 ? label.slice(5, 16) : label.slice(11, timeStep < 60e3 ? 19 : 16), scale.x(time), height - 6);
    }
    // Data.
    if (state.kind === "bars") {
      const barWidth = Math.max(1, scale.x(state.range.start + state.bars.step) - scale.x(state.range.start) - 1);
      for (const bucket of state.bars.buckets) {
        let base = 0;
        for (const [name, count] of bucket.stack) {
          context.fillStyle = severityColors[name] ?? severityColors.unknown;
          const top = scale.y(base + count), bottom = scale.y(base);
          context.fillRect(scale.x(bucket.time), top, barWidth, bottom - top);
          base += count;
        }
      }
    } else {
      context.lineWidth = 1.5;
      for (const series of state.series) {
        if (series.hidden) continue;
        context.strokeStyle = series.color;
        context.beginPath();
        let open = false, previous = null;
        for (const [time, value] of series.points) {
          if (!Number.isFinite(value)) { open = false; continue; }
          // A gap longer than three steps is drawn as a gap.
          if (open && previous !== null && state.step && time - previous > state.step * 3) open = false;
          const px = scale.x(time), py = scale.y(value);
          if (open) context.lineTo(px, py); else context.moveTo(px, py);
          open = true; previous = time;
        }
        context.stroke();
        // Sparse series (a point alone between gaps draws no line): dots too.
        if (series.points.length <= 60) {
          context.fillStyle = series.color;
          for (const [time, value] of series.points) if (Number.isFinite(value)) context.fillRect(scale.x(time) - 2, scale.y(value) - 2, 4, 4);
        }
      }
    }
    // Change events: a dashed vertical line with a flag.
    context.strokeStyle = color.event; context.fillStyle = color.event; context.setLineDash([4, 3]); context.lineWidth = 1.5;
    for (const event of state.events ?? []) {
      if (event.time < state.range.start || event.time > state.range.end) continue;
      const px = Math.round(scale.x(event.time)) + 0.5;
      context.beginPath(); context.moveTo(px, margin.top); context.lineTo(px, height - margin.bottom); context.stroke();
      context.fillRect(px - 3, margin.top - 2, 7, 7);
    }
    context.setLineDash([]);
    if (drag && Math.abs(drag.to - drag.from) > 2) {
      context.fillStyle = color.select;
      context.fillRect(Math.min(drag.from, drag.to), margin.top, Math.abs(drag.to - drag.from), height - margin.top - margin.bottom);
    }
    if (hover !== null) {
      context.strokeStyle = color.text; context.lineWidth = 1;
      context.beginPath(); context.moveTo(hover + 0.5, margin.top); context.lineTo(hover + 0.5, height - margin.bottom); context.stroke();
    }
  }

  /** What the tooltip says at pixel `px`. */
  function describe(px) {
    const scale = scales(element.clientWidth || 600, state.height ?? 220);
    const time = scale.time(px);
    const rows = [h("strong", {}, formatTime(time, false))];
    const nearEvents = (state.events ?? []).filter((event) => Math.abs(scale.x(event.time) - px) < 6);
    for (const event of nearEvents) rows.push(h("div", {class: "tip-event"}, "⚑ ", event.text));
    if (state.kind === "bars") {
      const bucket = state.bars.buckets.find((candidate) => time >= candidate.time && time < candidate.time + state.bars.step);
      for (const [name, count] of bucket?.stack ?? []) rows.push(h("div", {}, h("span", {class: "swatch", style: `background:${severityColors[name] ?? severityColors.unknown}`}), `${name}: ${count}`));
    } else {
      for (const series of state.series) {
        if (series.hidden || !series.points.length) continue;
        let best = series.points[0];
        for (const point of series.points) if (Math.abs(point[0] - time) < Math.abs(best[0] - time)) best = point;
        rows.push(h("div", {}, h("span", {class: "swatch", style: `background:${series.color}`}), `${series.name}: ${compact(best[1])}`));
      }
    }
    return rows;
  }

  const pixel = (event) => event.clientX - canvas.getBoundingClientRect().left;
  canvas.addEventListener("mousedown", (event) => { drag = {from: pixel(event), to: pixel(event)}; });
  canvas.addEventListener("mousemove", (event) => {
    const px = pixel(event);
    if (drag) drag.to = px;
    hover = px;
    tip.replaceChildren(...describe(px));
    tip.hidden = false;
    tip.style.left = `${Math.min(px + 12, (element.clientWidth || 600) - 220)}px`;
    draw();
  });
  canvas.addEventListener("mouseleave", () => { hover = null; tip.hidden = true; drag = null; draw(); });
  canvas.addEventListener("mouseup", () => {
    if (!drag) return;
    const {from, to} = drag;
    drag = null;
    if (Math.abs(to - from) > 4 && state.onZoom) {
      const scale = scales(element.clientWidth || 600, state.height ?? 220);
      const start = scale.time(Math.min(from, to)), end = scale.time(Math.max(from, to));
      state.onZoom(Math.round(start), Math.round(end));
    } else draw();
  });
  new ResizeObserver(() => draw()).observe(element);
  element.update = (next) => { state = {...state, ...next}; draw(); };
  requestAnimationFrame(draw);
  return element;
}
