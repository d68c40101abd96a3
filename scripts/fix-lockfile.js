// Completes package-lock.json for other platforms' optional binaries. The registry proxy some
// machines install through serves only their own platform's tarballs, so `npm install` leaves
// the other platforms' entries out and `npm ci` elsewhere then refuses the lock. Each missing
// entry is added with its version, tarball URL and integrity hash, read from the registry's
// metadata (`npm view`), so every entry of the lock can be verified. Re-run after `npm install`.
const fs = require('fs');
const { execFileSync } = require('child_process');

const PLATFORM =
  /(darwin|linux|win32|windows|freebsd|android|openharmony|sunos|aix|netbsd|openbsd)-(x64|arm64|arm|ia32|loong64|ppc64|riscv64|s390x|wasm32)(?:-(gnu|musl|msvc|eabi|gnueabihf|musleabihf))?/;

function registryDist(name, range) {
  const out = execFileSync(
    'npm',
    ['view', `${name}@${range}`, 'version', 'dist', 'os', 'cpu', 'libc', '--json'],
    {
      encoding: 'utf8',
    },
  );
  const parsed = JSON.parse(out);
  // A range matching several versions gives an array: the lock wants the highest.
  return Array.isArray(parsed) ? parsed[parsed.length - 1] : parsed;
}

const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8'));
const pk = lock.packages;
let added = 0;
let completed = 0;
for (const [path, meta] of Object.entries(pk)) {
  for (const [name, spec] of Object.entries(meta.optionalDependencies || {})) {
    const key = 'node_modules/' + name;
    const nested = path + '/node_modules/' + name;
    const existing = pk[nested] ? nested : pk[key] ? key : null;
    if (existing && pk[existing].integrity) continue;
    if (!PLATFORM.test(name)) {
      if (!existing) console.error('cannot infer platform for', name);
      continue;
    }
    const info = registryDist(name, spec);
    const entry = {
      version: info.version,
      resolved: info.dist.tarball,
      integrity: info.dist.integrity,
      optional: true,
    };
    if (meta.dev) entry.dev = true;
    for (const field of ['cpu', 'libc', 'os'])
      if (info[field]) entry[field] = [].concat(info[field]);
    pk[existing ?? key] = entry;
    if (existing) completed++;
    else added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(pk).sort(([a], [b]) =>
    a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  ),
);
fs.writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
const missing = Object.entries(lock.packages).filter(([k, v]) => k && !v.integrity && !v.link);
console.log(`added ${added}, completed ${completed}; entries without integrity: ${missing.length}`);
for (const [k] of missing) console.log('  no integrity:', k);
process.exitCode = missing.length ? 1 : 0;
