// Child process of check-electronegativity.mjs: runs Electronegativity's runner on one
// folder, writes its CSV report, and prints the files it could not parse as JSON on stdout
// (its CLI hides parse errors whenever a report file is requested).
//
// Electronegativity also fetches translations and Electron's release list from the
// internet; offline each lookup waits on DNS and got's retries (about 10 s in all). Every
// DNS lookup in this process fails at once, with an error code got does not retry, so it
// falls back immediately. Nothing else here needs the network.
//
// Usage: node scripts/electronegativity-scan.mjs <input-folder> <report.csv>
import dns from 'node:dns';
import { createRequire } from 'node:module';

function blocked(hostname) {
  return Object.assign(
    new Error(`network lookups are disabled for the static scan (${hostname})`),
    { code: 'EACCES', hostname },
  );
}
dns.lookup = function lookup(hostname, options, callback) {
  const cb = typeof options === 'function' ? options : callback;
  process.nextTick(cb, blocked(hostname));
};
dns.promises.lookup = async (hostname) => {
  throw blocked(hostname);
};

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: electronegativity-scan.mjs <input-folder> <report.csv>');
  process.exit(2);
}
const mod = createRequire(import.meta.url)('@doyensec/electronegativity');
const run = typeof mod === 'function' ? mod : mod.default;
const result = await run(
  {
    input,
    output,
    isSarif: false,
    customScan: [],
    excludeFromScan: [],
    isRelative: true,
    isVerbose: false,
    parserPlugins: [],
  },
  false,
);
const unparsed = result.errors
  .filter((e) => !e.tolerable)
  .map((e) => ({ file: e.file, why: e.message }));
process.stdout.write(`\n${JSON.stringify({ unparsed })}\n`);
