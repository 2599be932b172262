#!/usr/bin/env node
/**
 * `npm start` and `npm run cli`: runs an entry point of src/ as compiled JavaScript, so no start pays
 * for compiling TypeScript (tsx cost about 1.1 s of every start; see the README's performance section).
 *
 *   node scripts/launch.mjs src/main.ts [args…]
 *
 * The build lives in dist/<key>/, where the key is a hash of every file the build is made from (src/,
 * this script, package.json, package-lock.json, tsconfig.json), so edited sources are never run
 * from an old build: a new key has no build yet and one is made (esbuild, about 0.3 s) before the
 * program starts. A build is written to a temporary folder and renamed into place when complete, so two
 * processes starting at once (two shards, the CLI beside the bot) each see a whole build or none.
 * Tests and the bench run the TypeScript sources through tsx and never use this.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
/** The entry points of a build; each becomes dist/<key>/<path>.js. */
const ENTRIES = ['src/main.ts', 'src/cli.ts', 'src/sources/read-worker.ts'];
/** Besides src/, the files that decide what a build is. */
const BUILD_INPUTS = ['scripts/launch.mjs', 'package.json', 'package-lock.json', 'tsconfig.json'];
/** Builds kept besides the current one: a process still running an older build may yet start its worker. */
const KEEP_BUILDS = 4;
/** Marks a complete build; written last, before the rename. */
const COMPLETE = 'build.json';

/** Every file under `dir`, as paths relative to ROOT, sorted. */
function filesUnder(dir) {
  const found = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) found.push(...filesUnder(path));
    else if (entry.isFile()) found.push(path);
  }
  return found.sort();
}

/** The key of the build the current files make: a hash of their names and contents. */
function buildKey() {
  const hash = createHash('sha1');
  for (const path of [...filesUnder('src'), ...BUILD_INPUTS]) {
    hash.update(`${path}\0`);
    if (existsSync(join(ROOT, path))) hash.update(readFileSync(join(ROOT, path)));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** Builds dist/<key>/ unless it is there; returns its folder. */
async function ensureBuild(key = buildKey()) {
  const target = join(DIST, key);
  if (existsSync(join(target, COMPLETE))) return target;
  const temp = join(DIST, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const { build } = await import('esbuild');
    await build({
      absWorkingDir: ROOT,
      entryPoints: ENTRIES,
      outdir: temp,
      outbase: 'src',
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // For target node20, esbuild rewrites every regex literal with a \p{…} escape into a `new RegExp(…)`
      // made again at each call (in the tokenizer: one per token; in the sentence splitter: per sentence),
      // as it deems Node 20's Unicode tables too old. Node 20 runs them natively, with the same results.
      supported: { 'regexp-unicode-property-escapes': true },
      sourcemap: 'linked',
      // Its errors come back in the thrown error, which the caller reports in one line.
      logLevel: 'silent',
      // Where the running code finds its own modules (src/runtime-files.ts).
      define: { QA_BUILD_DIR: JSON.stringify(relative(ROOT, target)) },
      plugins: [externalPackages],
    });
    writeFileSync(join(temp, COMPLETE), `${JSON.stringify({ key, builtAt: new Date().toISOString() })}\n`);
    // A folder left without its marker (removed halfway by hand) is no build: replace it.
    if (existsSync(target) && !existsSync(join(target, COMPLETE))) rmSync(target, { recursive: true, force: true });
    try {
      renameSync(temp, target);
    } catch (error) {
      // Another process finished the same build first: use it.
      if (!existsSync(join(target, COMPLETE))) throw error;
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  pruneOldBuilds(key);
  return target;
}

/**
 * Packages stay in node_modules (native modules and discord.js load as they are), except deep imports
 * without an extension (`natural/lib/natural/stemmers/porter_stemmer`), which Node's ESM loader cannot
 * resolve: those are bundled.
 */
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind === 'entry-point' || args.path.startsWith('natural/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

function pruneOldBuilds(current) {
  let builds;
  try {
    builds = readdirSync(DIST)
      .filter((name) => name !== current && !name.startsWith('.'))
      .map((name) => ({ name, at: statSync(join(DIST, name)).mtimeMs }))
      .sort((a, b) => b.at - a.at);
  } catch {
    return;
  }
  for (const { name } of builds.slice(KEEP_BUILDS)) rmSync(join(DIST, name), { recursive: true, force: true });
}

async function main() {
  const [entry, ...args] = process.argv.slice(2);
  if (entry === undefined || !ENTRIES.includes(entry)) {
    process.stderr.write(`usage: node scripts/launch.mjs ${ENTRIES.slice(0, 2).join('|')} [args…]\n`);
    process.exit(2);
  }
  let script;
  try {
    script = join(await ensureBuild(), entry.replace(/^src\//, '').replace(/\.ts$/, '.js'));
  } catch (error) {
    // A checkout the user cannot write (installed by root, a read-only image) still runs, only slower.
    process.stderr.write(`warning: could not build into ${relative(ROOT, DIST)}/ (${error instanceof Error ? error.message : String(error)}); running the TypeScript sources through tsx instead\n`);
    const { register } = await import('tsx/esm/api');
    register();
    script = join(ROOT, entry);
  }
  // The program sees itself as run directly (src/cli.ts checks argv[1] to know it is the entry point).
  process.argv = [process.argv[0], script, ...args];
  await import(pathToFileURL(script).href);
}

await main();
