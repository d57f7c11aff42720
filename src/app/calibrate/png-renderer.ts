import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Optional SVG → PNG rendering with whatever renderer the machine has: rsvg-convert, ImageMagick's
 * convert, inkscape or a headless chromium, looked up on PATH at run time (no dependency).
 * The report says which one rendered, or why PNGs were skipped.
 */
const RENDERERS: { bin: string; args: (svg: string, png: string) => string[] }[] = [
  { bin: 'rsvg-convert', args: (svg, png) => ['-o', png, svg] },
  { bin: 'convert', args: (svg, png) => [svg, png] },
  { bin: 'inkscape', args: (svg, png) => [svg, `--export-filename=${png}`] },
  {
    bin: 'chromium',
    args: (svg, png) => [
      '--headless',
      '--disable-gpu',
      '--no-sandbox',
      `--screenshot=${png}`,
      '--window-size=720,420',
      pathToFileURL(svg).href,
    ],
  },
];

export interface PngOutcome {
  /** PNG paths rendered, in the order of the SVGs given (undefined where one failed). */
  pngs: (string | undefined)[];
  note: string;
}

/** `pathEnv` is the PATH to look for a renderer in: the caller's (the CLI reads the environment; tests pass an empty one). */
export function renderPngs(svgPaths: readonly string[], pathEnv: string): PngOutcome {
  const found = RENDERERS.filter((r) => onPath(r.bin, pathEnv));
  if (found.length === 0) {
    return {
      pngs: svgPaths.map(() => undefined),
      note: 'PNG skipped: none of rsvg-convert, convert, inkscape or chromium is on PATH; the SVG plots are complete on their own.',
    };
  }
  const failures: string[] = [];
  for (const renderer of found) {
    const pngs = svgPaths.map((svg) => {
      const png = svg.replace(/\.svg$/, '.png');
      const res = spawnSync(renderer.bin, renderer.args(svg, png), { encoding: 'utf8', timeout: 60_000 });
      return res.status === 0 && existsSync(png) ? png : undefined;
    });
    if (pngs.every(Boolean)) return { pngs, note: `PNG rendered with ${renderer.bin}.` };
    failures.push(renderer.bin);
  }
  return {
    pngs: svgPaths.map(() => undefined),
    note: `PNG skipped: ${failures.join(', ')} ${failures.length > 1 ? 'are' : 'is'} on PATH but could not render the SVGs (e.g. a stand-in or a build without SVG support); the SVG plots are complete on their own.`,
  };
}

function onPath(bin: string, pathEnv: string): boolean {
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, bin), constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}
