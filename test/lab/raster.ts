// Rendering the lab report's SVG figures without a browser: parse5 finds each inline <svg> in the
// HTML and gives its exact source text (so what is rendered is what the report holds), and resvg
// (@resvg/resvg-js from npm: a Rust SVG renderer that parses SVG as strict XML) draws it to pixels.
import { Resvg } from '@resvg/resvg-js';
import { parse } from 'parse5';

/** One inline SVG of the report: its source text, the section it is in, and where its start tag ends. */
export interface Figure {
  /** `learning-curves` or `weight-histogram` (the `km-` class of the <svg>). */
  kind: string;
  /** `data-variant` of the enclosing `<section class="variant">`, or null. */
  variant: string | null;
  source: string;
  /** Offset in `source` just after the <svg …> start tag (where a <style> may be inserted). */
  bodyStart: number;
}

interface Loc { startOffset: number; endOffset: number; startTag?: { endOffset: number } }
interface Node {
  nodeName: string;
  tagName?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: Node[];
  content?: Node;
  sourceCodeLocation?: Loc;
}

const attr = (n: Node, name: string): string | undefined => n.attrs?.find((a) => a.name === name)?.value;

/** Every top-level <svg> of an HTML document, in document order. */
export function figuresOf(html: string): Figure[] {
  const doc = parse(html, { sourceCodeLocationInfo: true }) as unknown as Node;
  const out: Figure[] = [];
  const walk = (n: Node, variant: string | null): void => {
    if (n.tagName === 'svg') {
      const loc = n.sourceCodeLocation!;
      const kind = (attr(n, 'class') ?? '').split(/\s+/).find((c) => c.startsWith('km-'))?.slice(3) ?? '';
      out.push({ kind, variant, source: html.slice(loc.startOffset, loc.endOffset), bodyStart: loc.startTag!.endOffset - loc.startOffset });
      return;
    }
    const inSection = n.tagName === 'section' ? (attr(n, 'data-variant') ?? variant) : variant;
    for (const c of n.childNodes ?? []) walk(c, inSection);
  };
  walk(doc, null);
  return out;
}

/** The figure with a CSS rule set added (resvg applies <style> over presentation attributes, as browsers do). */
export function withStyle(fig: Figure, css: string): string {
  return `${fig.source.slice(0, fig.bodyStart)}<style>${css}</style>${fig.source.slice(fig.bodyStart)}`;
}

export interface Raster { width: number; height: number; pixels: Buffer; png: () => Buffer }

/** Renders SVG text on white; throws resvg's parse error for SVG that is not well-formed XML. */
export function rasterize(svg: string): Raster {
  const resvg = new Resvg(svg, { background: '#ffffff', font: { loadSystemFonts: true, sansSerifFamily: 'DejaVu Sans' }, logLevel: 'off' });
  const image = resvg.render();
  return { width: image.width, height: image.height, pixels: image.pixels, png: () => image.asPng() };
}

/** External resources (images) an SVG would need to fetch, as resvg finds them. */
export function externalImages(svg: string): string[] {
  return new Resvg(svg, { font: { loadSystemFonts: false }, logLevel: 'off' }).imagesToResolve();
}

export const MAGENTA = '#ff00ff';

/**
 * Pixels painted magenta, counted with coverage: each pixel adds its magenta share (min(r, b) − g)/255,
 * so an anti-aliased edge counts in part and white, grey and the plots' own colours add ~0. For a
 * stroke this is ≈ width × drawn length; for a fill, the filled area.
 */
export function magentaArea(r: Raster): number {
  let area = 0;
  const p = r.pixels;
  for (let i = 0; i < p.length; i += 4) {
    const share = Math.min(p[i]!, p[i + 2]!) - p[i + 1]!;
    if (share > 0) area += share / 255;
  }
  return area;
}

/** Fraction of pixels that are not white (anything drawn at all). */
export function inkFraction(r: Raster): number {
  let ink = 0;
  const p = r.pixels;
  for (let i = 0; i < p.length; i += 4) if (p[i]! < 250 || p[i + 1]! < 250 || p[i + 2]! < 250) ink++;
  return ink / (p.length / 4);
}
