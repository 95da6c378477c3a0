// Small line charts on <canvas>, drawn by hand: no library, no build step.
// FleetCharts.draw(canvas, times, series, opts): series = [{label, values, color, fill}], values
// aligned with times (ms); opts.format(v) labels the axis; opts.window is the time span shown.
'use strict';

window.FleetCharts = (function () {
  function niceMax(v) {
    if (!(v > 0)) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 2.5, 5, 10]) {
      if (m * p >= v) return m * p;
    }
    return 10 * p;
  }

  function draw(canvas, times, series, opts) {
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth || 300;
    const h = canvas.clientHeight || 120;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
    }
    const g = canvas.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    const css = getComputedStyle(document.documentElement);
    const grid = css.getPropertyValue('--grid').trim() || '#ddd';
    const text = css.getPropertyValue('--muted').trim() || '#666';
    const now = times.length ? times[times.length - 1] : Date.now();
    // the span shown grows with the data, from one minute up to the window
    const have = times.length ? now - times[0] : 0;
    const span = Math.min(opts.window || 300000, Math.max(60000, Math.ceil(have / 60000) * 60000));
    let max = 0;
    for (const s of series) for (const v of s.values) if (v > max) max = v;
    max = niceMax(Math.max(max, opts.minMax || 0));
    g.font = '11px system-ui, sans-serif';
    const label = (v) => (opts.format ? opts.format(v) : String(v));
    const left = 10 + Math.max(...[0, max / 2, max].map((v) => g.measureText(label(v)).width));
    const right = 8, top = 8, bottom = 18;
    const pw = w - left - right, ph = h - top - bottom;
    g.fillStyle = text;
    g.strokeStyle = grid;
    g.lineWidth = 1;
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    for (let i = 0; i <= 2; i++) {
      const y = top + ph - (ph * i) / 2;
      g.beginPath();
      g.moveTo(left, Math.round(y) + 0.5);
      g.lineTo(left + pw, Math.round(y) + 0.5);
      g.stroke();
      g.fillText(label((max * i) / 2), left - 6, y);
    }
    g.textAlign = 'left';
    g.textBaseline = 'alphabetic';
    g.fillText('-' + Math.round(span / 60000) + ' min', left, h - 4);
    g.textAlign = 'right';
    g.fillText('now', left + pw, h - 4);
    const x = (t) => left + pw - ((now - t) / span) * pw;
    const y = (v) => top + ph - (Math.max(0, v) / max) * ph;
    for (const s of series) {
      if (!s.values.length) continue;
      g.beginPath();
      let started = false;
      for (let i = 0; i < times.length; i++) {
        if (now - times[i] > span || s.values[i] == null) continue;
        if (!started) { g.moveTo(x(times[i]), y(s.values[i])); started = true; }
        else g.lineTo(x(times[i]), y(s.values[i]));
      }
      if (!started) continue;
      g.strokeStyle = s.color;
      g.lineWidth = 2;
      g.lineJoin = 'round';
      g.setLineDash(s.dashed ? [5, 4] : []);
      g.stroke();
      g.setLineDash([]);
      if (s.fill) {
        g.lineTo(x(times[times.length - 1]), top + ph);
        const first = times.findIndex((t) => now - t <= span);
        g.lineTo(x(times[Math.max(0, first)]), top + ph);
        g.closePath();
        g.globalAlpha = 0.12;
        g.fillStyle = s.color;
        g.fill();
        g.globalAlpha = 1;
      }
    }
    // legend, top left inside the plot
    let lx = left + 6;
    g.textAlign = 'left';
    g.textBaseline = 'top';
    for (const s of series) {
      if (!s.label) continue;
      g.fillStyle = s.color;
      g.fillRect(lx, top + 3, 8, 8);
      g.fillStyle = text;
      g.fillText(s.label, lx + 11, top + 1);
      lx += g.measureText(s.label).width + 24;
    }
  }

  return { draw };
})();
