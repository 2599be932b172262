#!/usr/bin/env node
/**
 * `npm start`, `npm run cli` and bin/article-qa: runs an entry point of src/ as compiled JavaScript, so no
 * start pays for compiling TypeScript (tsx cost about 1.1 s of every start; see the README's performance section).
 *
 *   node scripts/launch.cjs src/main.ts [args…]      (scripts/launch.mjs, the older name, does the same)
 *
 * CommonJS, not an ES module: Node starts a CommonJS entry with its built-in modules about 20 ms sooner
 * (no ES module loader to set up), and a CLI start is on the clock.
 * The build lives in dist/<key>/, where the key is a hash of every file the build is made from (src/,
 * these launchers, package.json, package-lock.json, tsconfig.json), so edited sources are never run
 * from an old build: a new key has no build yet and one is made (esbuild, about 0.3 s) before the
 * program starts. A build is written to a temporary folder and renamed into place when complete, so two
 * processes starting at once (two shards, the CLI beside the bot) each see a whole build or none.
 * The CLI also runs from a CommonJS bundle of its own (dist/<key>/cli.cjs), compiled with V8's code cache
 * (see runWithCodeCache), so a CLI start does not parse and compile its code again.
 * Tests and the bench run the TypeScript sources through tsx and never use this.
 */
'use strict';
const { Buffer } = require('node:buffer');
const { createHash, randomBytes } = require('node:crypto');
const { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join, relative } = require('node:path');
const { pathToFileURL } = require('node:url');
const { setFlagsFromString } = require('node:v8');
const { Script } = require('node:vm');

const ROOT = join(__dirname, '..');
const DIST = join(ROOT, 'dist');
/** The entry points of a build; each becomes dist/<key>/<path>.js. */
const ENTRIES = ['src/main.ts', 'src/cli.ts', 'src/sources/read-worker.ts'];
/** Besides src/, the files that decide what a build is. */
const BUILD_INPUTS = ['scripts/launch.cjs', 'scripts/launch.mjs', 'package.json', 'package-lock.json', 'tsconfig.json'];
/** Builds kept besides the current one: a process still running an older build may yet start its worker. */
const KEEP_BUILDS = 4;
/** Marks a complete build; written last, before the rename. */
const COMPLETE = 'build.json';
/** The CLI as one CommonJS file: unlike an ES module, a script can be compiled with V8's code cache. */
const CLI_BUNDLE = 'cli.cjs';
/** Folder of a build that holds the CLI's code caches (see runWithCodeCache). */
const CODE_CACHE = 'code-cache';
/** The CLI's commands, each with a code cache of its own (any other first argument shares one). */
const CLI_COMMANDS = ['ask', 'summary', 'sources', 'cache', 'insights'];

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

/** The build inputs: every file under src/ and BUILD_INPUTS. */
function inputPaths() {
  return [...filesUnder('src'), ...BUILD_INPUTS];
}

/** The key of the build the current files make (a hash of their names and contents), and the stamps it was taken at. */
function buildKey() {
  const paths = inputPaths();
  const recorded = readStamps();
  // Each file stamped before it is read: one changed while being hashed has a newer stamp than recorded.
  const stamps = paths.map(stampOf);
  if (recorded !== undefined && sameStamps(recorded, paths, stamps)) return { key: recorded.key, paths, stamps };
  const hash = createHash('sha1');
  for (const path of paths) {
    hash.update(`${path}\0`);
    if (existsSync(join(ROOT, path))) hash.update(readFileSync(join(ROOT, path)));
    hash.update('\0');
  }
  const key = hash.digest('hex').slice(0, 16);
  writeStamps(key, paths, stamps);
  return { key, paths, stamps };
}

/**
 * dist/.inputs.json: the key the build inputs hashed to, with each file's stamp (size, mtime, ctime,
 * inode) at that time, so a start whose files all have those stamps takes the key without reading them
 * (about 750 KB, a sixth of a warm CLI run before the answering). A file's ctime cannot be set back, so a
 * changed file has a new stamp; stamps are recorded only when every file had been left alone for
 * SETTLED_MS, so a write within the same clock tick as the one that was hashed cannot go unseen.
 */
const STAMPS = join(DIST, '.inputs.json');
const SETTLED_MS = 2000;

function stampOf(path) {
  try {
    const stat = statSync(join(ROOT, path));
    return [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino];
  } catch {
    return null;
  }
}

function readStamps() {
  try {
    const recorded = JSON.parse(readFileSync(STAMPS, 'utf8'));
    return typeof recorded?.key === 'string' && Array.isArray(recorded.paths) && Array.isArray(recorded.stamps) ? recorded : undefined;
  } catch {
    return undefined;
  }
}

function sameStamps(recorded, paths, stamps) {
  if (recorded.paths.length !== paths.length) return false;
  for (let i = 0; i < paths.length; i++) {
    if (recorded.paths[i] !== paths[i] || JSON.stringify(recorded.stamps[i]) !== JSON.stringify(stamps[i])) return false;
  }
  return true;
}

/** Best effort, written to a temporary file renamed into place: without it every start hashes the files, as before. */
function writeStamps(key, paths, stamps) {
  const now = Date.now();
  if (stamps.some((stamp) => stamp !== null && now - Math.max(stamp[1], stamp[2]) < SETTLED_MS)) return;
  const temp = `${STAMPS}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(DIST, { recursive: true });
    writeFileSync(temp, `${JSON.stringify({ key, paths, stamps })}\n`);
    renameSync(temp, STAMPS);
  } catch {
    rmSync(temp, { force: true });
  }
}

/**
 * Builds dist/<key>/ unless it is there; returns its folder. esbuild reads the files a moment after they
 * were hashed: a build during which an input changed may hold the new code under the old key (and run
 * after the file is put back), so it is thrown away and made again from a fresh key.
 */
async function ensureBuild() {
  for (let attempt = 1; ; attempt++) {
    const inputs = buildKey();
    const changed = () => {
      const paths = inputPaths();
      return !sameStamps(inputs, paths, paths.map(stampOf));
    };
    // The last attempt keeps its build whatever happens, so files edited without pause cannot stop a start.
    const target = await buildOnce(inputs.key, () => attempt < BUILD_ATTEMPTS && changed());
    if (target !== undefined) return target;
  }
}

const BUILD_ATTEMPTS = 3;

/** Builds dist/<key>/ unless it is there; undefined when `changedSince()` says an input changed meanwhile. */
async function buildOnce(key, changedSince) {
  const target = join(DIST, key);
  if (existsSync(join(target, COMPLETE))) return target;
  const temp = join(DIST, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const { build } = await import('esbuild');
    const common = {
      absWorkingDir: ROOT,
      bundle: true,
      platform: 'node',
      target: 'node20',
      // For target node20, esbuild rewrites every regex literal with a \p{…} escape into a `new RegExp(…)`
      // made again at each call (in the tokenizer: one per token; in the sentence splitter: per sentence),
      // as it deems Node 20's Unicode tables too old. Node 20 runs them natively, with the same results.
      supported: { 'regexp-unicode-property-escapes': true },
      sourcemap: 'linked',
      // Its errors come back in the thrown error, which the caller reports in one line.
      logLevel: 'silent',
      plugins: [externalPackages()],
    };
    // Where the running code finds its own modules (src/runtime-files.ts).
    const buildDir = JSON.stringify(relative(ROOT, target));
    await Promise.all([
      build({ ...common, entryPoints: ENTRIES, outdir: temp, outbase: 'src', splitting: true, format: 'esm', define: { QA_BUILD_DIR: buildDir } }),
      // The CLI again, as one CommonJS script. `import.meta.url` becomes the bundle's own URL: on the CLI's
      // path it only finds the package (src/runtime-files.ts) and the CLI's own file (src/cli.ts).
      build({
        ...common,
        entryPoints: ['src/cli.ts'],
        outfile: join(temp, CLI_BUNDLE),
        format: 'cjs',
        define: { QA_BUILD_DIR: buildDir, 'import.meta.url': '__qaModuleUrl' },
        banner: { js: 'const __qaModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
        plugins: [externalPackages(CLI_BUNDLED_PACKAGES)],
      }),
    ]);
    if (changedSince()) return undefined;
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
 * resolve, and the packages in `bundled`: those are bundled.
 */
function externalPackages(bundled = []) {
  return {
    name: 'external-packages',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.kind === 'entry-point' || args.path.startsWith('natural/') || bundled.includes(args.path)) return undefined;
        return { path: args.path, external: true };
      });
    },
  };
}

/**
 * Packages every CLI start loads, bundled into cli.cjs so they come with its code cache: dotenv from
 * node_modules cost each start about 8 ms of main-thread CPU (finding it, reading its package.json,
 * compiling it). Its version is in package-lock.json, a build input, so an update makes a new build.
 */
const CLI_BUNDLED_PACKAGES = ['dotenv'];

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

/**
 * Runs a CommonJS bundle as Node would, compiled with V8's code cache: a CLI start spends no time parsing
 * and compiling the functions an earlier run of the same command compiled. The cache of each command
 * (`ask`, `summary`, …), Node version and set of node flags is its own file in the build's folder; it holds
 * the SHA-1 of the bundle it was made from, so a bundle edited by hand never runs with another's code
 * (V8 itself checks only the source's length), and V8 is told to verify the cache's own checksum. A missing or rejected cache is made at exit, written to a
 * temporary file and renamed into place, so processes sharing the build never read half a cache.
 */
function runWithCodeCache(file, args) {
  // Release V8 takes a damaged cache of the right length without checking its checksum, and then
  // crashes or hangs at every run; with the check it rejects the cache, which is made again at exit.
  setFlagsFromString('--verify-snapshot-checksum');
  const source = readFileSync(file, 'utf8');
  const digest = createHash('sha1').update(source).digest();
  const cacheFile = codeCacheFile(file, args[0]);
  let cachedData;
  try {
    const stored = readFileSync(cacheFile);
    if (stored.length > digest.length && stored.subarray(0, digest.length).equals(digest)) cachedData = stored.subarray(digest.length);
  } catch {
    // No cache yet: it is made at exit.
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData === undefined ? {} : { cachedData }),
    importModuleDynamically: (specifier) => import(specifier),
  });
  if (cachedData === undefined || script.cachedDataRejected === true) process.once('exit', () => writeCodeCache(cacheFile, digest, script));
  const module = { exports: {}, filename: file, id: file, loaded: false };
  process.argv = [process.argv[0], file, ...args];
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
}

function codeCacheFile(bundle, command) {
  const flavour = createHash('sha1').update(`${process.version}\0${process.arch}\0${process.execArgv.join('\0')}`).digest('hex').slice(0, 12);
  const name = CLI_COMMANDS.includes(command) ? command : 'other';
  return join(dirname(bundle), CODE_CACHE, `${name}-${flavour}.bin`);
}

/** Best effort: where the build's folder cannot be written, the CLI runs without a cache, as before. */
function writeCodeCache(cacheFile, digest, script) {
  const temp = `${cacheFile}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    writeFileSync(temp, Buffer.concat([digest, script.createCachedData()]));
    renameSync(temp, cacheFile);
  } catch {
    rmSync(temp, { force: true });
  }
}

/** Runs `args` = [entry, …its arguments], as `node scripts/launch.cjs entry …` does. */
async function main(args) {
  const [entry, ...rest] = args;
  if (entry === undefined || !ENTRIES.includes(entry)) {
    process.stderr.write(`usage: node scripts/launch.cjs ${ENTRIES.slice(0, 2).join('|')} [args…]\n`);
    process.exit(2);
  }
  let script;
  try {
    const build = await ensureBuild();
    if (entry === 'src/cli.ts') {
      runWithCodeCache(join(build, CLI_BUNDLE), rest);
      return;
    }
    script = join(build, entry.replace(/^src\//, '').replace(/\.ts$/, '.js'));
  } catch (error) {
    // A checkout the user cannot write (installed by root, a read-only image) still runs, only slower.
    process.stderr.write(`warning: could not build into ${relative(ROOT, DIST)}/ (${error instanceof Error ? error.message : String(error)}); running the TypeScript sources through tsx instead\n`);
    const { register } = await import('tsx/esm/api');
    register();
    script = join(ROOT, entry);
  }
  // The program sees itself as run directly (src/cli.ts checks argv[1] to know it is the entry point).
  process.argv = [process.argv[0], script, ...rest];
  await import(pathToFileURL(script).href);
}

module.exports = { main };

if (require.main === module) {
  main(process.argv.slice(2)).catch((error) => {
    process.exitCode = 1;
    throw error;
  });
}
