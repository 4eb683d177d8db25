// Build the widget for browsers: bundle src/widget.js (and socket.io-client) into one
// dist/widget.js, and copy the demo site (site/) beside it. No CDN: everything the page
// loads comes from dist/.
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const result = await build({
  entryPoints: [join(here, 'src', 'widget.js')],
  outfile: join(dist, 'widget.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2019', 'chrome80', 'firefox78', 'safari13'],
  minify: true,
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});
cpSync(join(here, 'site'), dist, { recursive: true });

const bytes = result.metafile.outputs['dist/widget.js']?.bytes
  ?? Object.values(result.metafile.outputs).find((o) => o.entryPoint)?.bytes;
console.log(`web/dist: widget.js ${(bytes / 1024).toFixed(1)} KiB + demo page`);
