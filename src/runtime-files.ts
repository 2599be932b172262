/**
 * Where the running program's own files are, whether it runs from the TypeScript sources (tests, the
 * bench, `npx tsx`) or from the compiled build that `npm start` and `npm run cli` run
 * (`scripts/launch.cjs` builds it into `dist/<hash of the sources>/`, a layout of src/ in .js files).
 * Code that reads a file of the package or starts a module of its own asks here, never
 * `import.meta.url` directly: in the build every module shares one bundle's location.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Set by the build (esbuild `define`) to the build's folder relative to the package root; absent in the sources. */
declare const QA_BUILD_DIR: string | undefined;

/** The compiled build's folder relative to the package root (e.g. `dist/3f0c…`), or undefined when running the sources. */
export const BUILD_DIR: string | undefined = typeof QA_BUILD_DIR === 'string' ? QA_BUILD_DIR : undefined;

/** The folder that holds package.json (and data/, src/). */
export const PACKAGE_ROOT = findPackageRoot();

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

/**
 * A built-in module, loaded when first asked for rather than when the program starts, for modules only
 * some runs need: the CLI fetches no page and (for articles under 256 KB) starts no worker, and
 * `node:http`, `node:https`, `node:dns` and `node:worker_threads` cost its start about 16 ms of main-thread
 * CPU (`node:net` is loaded anyway, by the URL checks and piped standard streams). `builtin('node:http')`.
 */
export function builtin<Name extends keyof LazyBuiltins>(name: Name): LazyBuiltins[Name] {
  requireBuiltin ??= createRequire(join(PACKAGE_ROOT, 'package.json'));
  return requireBuiltin(name) as LazyBuiltins[Name];
}

/** The built-ins loaded on first use, each name tied to its module's type so a caller cannot get it wrong. */
interface LazyBuiltins {
  'node:dns': typeof import('node:dns');
  'node:http': typeof import('node:http');
  'node:https': typeof import('node:https');
  'node:worker_threads': typeof import('node:worker_threads');
}

let requireBuiltin: NodeJS.Require | undefined;

/** A file of the package, e.g. `packageFile('data/background-frequencies.json')`. */
export function packageFile(path: string): string {
  return join(PACKAGE_ROOT, path);
}

/**
 * The running program's module for a module of src/, named without extension (`'sources/read-worker'`):
 * the compiled `.js` in the build, else the `.ts` source (which then needs tsx's loader).
 */
export function ownModule(path: string): URL {
  return pathToFileURL(BUILD_DIR === undefined ? join(PACKAGE_ROOT, 'src', `${path}.ts`) : join(PACKAGE_ROOT, BUILD_DIR, `${path}.js`));
}
