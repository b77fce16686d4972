#!/usr/bin/env node
/*
 * Draws the add-in and ribbon icons into assets/ as PNG, with Node built-ins only (zlib for the PNG stream).
 * Glyphs are described on a 16×16 grid and scaled, so edges land on whole pixels at 16/32/64/80/128 px;
 * 4×4 supersampling smooths the diagonals. Run: node scripts/make-icons.js
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** Encodes straight-alpha RGBA pixels (width*height*4 bytes) as an 8-bit RGBA PNG. */
function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // adaptive filtering
  ihdr[12] = 0; // no interlace
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function hex(color, alpha = 1) {
  const n = parseInt(color.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, alpha];
}

// Shapes on the 16-unit grid: each is { color: [r,g,b,a], inside(x, y) }.
function rect(x0, y0, x1, y1, color) {
  return { color, inside: (x, y) => x >= x0 && x < x1 && y >= y0 && y < y1 };
}

function roundRect(x0, y0, x1, y1, r, color) {
  return {
    color,
    inside(x, y) {
      if (x < x0 || x >= x1 || y < y0 || y >= y1) return false;
      const cx = Math.min(Math.max(x, x0 + r), x1 - r);
      const cy = Math.min(Math.max(y, y0 + r), y1 - r);
      return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
    },
  };
}

function frame(x0, y0, x1, y1, w, color) {
  return {
    color,
    inside: (x, y) =>
      x >= x0 && x < x1 && y >= y0 && y < y1 && !(x >= x0 + w && x < x1 - w && y >= y0 + w && y < y1 - w),
  };
}

function polyline(points, width, color) {
  const half = width / 2;
  return {
    color,
    inside(x, y) {
      for (let i = 1; i < points.length; i++) {
        const [ax, ay] = points[i - 1];
        const [bx, by] = points[i];
        const dx = bx - ax;
        const dy = by - ay;
        const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
        if ((x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= half * half) return true;
      }
      return false;
    },
  };
}

const GREEN = "#1E7145";
const LIGHT_GREEN = "#CDE8D5";
const INK = "#404040";
const WHITE = "#FFFFFF";

/** The add-in icon: a ledger sheet (header row, grid) on a green tile. */
const appGlyph = [
  roundRect(0, 0, 16, 16, 3, hex(GREEN)),
  rect(3, 3, 13, 13, hex(WHITE)),
  rect(3, 3, 13, 6, hex(LIGHT_GREEN)),
  rect(3, 8, 13, 9, hex(GREEN)),
  rect(3, 10.5, 13, 11.5, hex(GREEN, 0.6)),
  rect(6, 6, 7, 13, hex(GREEN)),
];

/** Open pane: a window whose right part is the (green) task pane. */
const paneGlyph = [
  rect(1, 2, 15, 14, hex(WHITE)),
  frame(1, 2, 15, 14, 1, hex(INK)),
  rect(10, 3, 14, 13, hex(GREEN)),
  rect(3, 5, 8, 6, hex(INK, 0.7)),
  rect(3, 8, 8, 9, hex(INK, 0.7)),
  rect(3, 11, 7, 12, hex(INK, 0.7)),
];

/** Generate summary: rising bars on a baseline. */
const summaryGlyph = [
  rect(2, 9, 5, 14, hex(GREEN)),
  rect(6.5, 6, 9.5, 14, hex(GREEN)),
  rect(11, 2, 14, 14, hex(GREEN)),
  rect(1, 14, 15, 15, hex(INK)),
];

/** Check plan: a ledger page with a check mark. */
const checkGlyph = [
  rect(2, 1, 12, 15, hex(WHITE)),
  frame(2, 1, 12, 15, 1, hex(INK)),
  rect(4, 4, 10, 5, hex(INK, 0.7)),
  rect(4, 7, 10, 8, hex(INK, 0.7)),
  polyline(
    [
      [6.5, 10.5],
      [9, 13],
      [14.5, 6.5],
    ],
    3.2,
    hex(WHITE),
  ),
  polyline(
    [
      [6.5, 10.5],
      [9, 13],
      [14.5, 6.5],
    ],
    1.8,
    hex(GREEN),
  ),
];

/** Rasterises shapes (painter's order) at size×size with 4×4 supersampling; returns straight-alpha RGBA. */
function render(shapes, size) {
  const ss = 4;
  const scale = 16 / size;
  const out = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const x = (px + (sx + 0.5) / ss) * scale;
          const y = (py + (sy + 0.5) / ss) * scale;
          // Premultiplied "over" compositing of every shape covering this sample.
          let cr = 0;
          let cg = 0;
          let cb = 0;
          let ca = 0;
          for (const shape of shapes) {
            if (!shape.inside(x, y)) continue;
            const [sr, sg, sb, sa] = shape.color;
            cr = sr * sa + cr * (1 - sa);
            cg = sg * sa + cg * (1 - sa);
            cb = sb * sa + cb * (1 - sa);
            ca = sa + ca * (1 - sa);
          }
          r += cr;
          g += cg;
          b += cb;
          a += ca;
        }
      }
      const n = ss * ss;
      const i = (py * size + px) * 4;
      const alpha = a / n;
      out[i] = alpha > 0 ? Math.round(r / n / alpha) : 0;
      out[i + 1] = alpha > 0 ? Math.round(g / n / alpha) : 0;
      out[i + 2] = alpha > 0 ? Math.round(b / n / alpha) : 0;
      out[i + 3] = Math.round(alpha * 255);
    }
  }
  return out;
}

const ICONS = [
  { name: "icon", glyph: appGlyph, sizes: [16, 32, 64, 80, 128] },
  { name: "pane", glyph: paneGlyph, sizes: [16, 32, 80] },
  { name: "summary", glyph: summaryGlyph, sizes: [16, 32, 80] },
  { name: "check", glyph: checkGlyph, sizes: [16, 32, 80] },
];

function main() {
  const dir = path.join(__dirname, "..", "assets");
  fs.mkdirSync(dir, { recursive: true });
  for (const icon of ICONS) {
    for (const size of icon.sizes) {
      const file = path.join(dir, `${icon.name}-${size}.png`);
      fs.writeFileSync(file, encodePng(size, size, render(icon.glyph, size)));
      console.log(`wrote ${path.relative(process.cwd(), file)}`);
    }
  }
}

if (require.main === module) main();

module.exports = { encodePng, render };
