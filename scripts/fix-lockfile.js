// Adds lock entries for platform-specific optional packages that the registry proxy does not serve,
// so that `npm ci` sees package.json and the lock in sync; they are skipped on this platform anyway.
const fs = require('fs');
const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8'));
const pk = lock.packages;
let added = 0;
for (const [path, meta] of Object.entries(pk)) {
  for (const [name, spec] of Object.entries(meta.optionalDependencies || {})) {
    const key = 'node_modules/' + name;
    if (pk[key] || pk[path + '/node_modules/' + name]) continue;
    const m = name.match(
      /(darwin|linux|win32|freebsd|android|openharmony|sunos|aix|netbsd|openbsd)-(x64|arm64|arm|ia32|loong64|ppc64|riscv64|s390x|wasm32)(?:-(gnu|musl|msvc|eabi|gnueabihf|musleabihf))?/,
    );
    if (!m) {
      console.error('cannot infer platform for', name);
      continue;
    }
    const entry = { version: spec.replace(/^[\^~=]/, ''), optional: true };
    if (meta.dev) entry.dev = true;
    entry.os = [m[1]];
    entry.cpu = [m[2]];
    if (m[3] === 'gnu' || m[3] === 'gnueabihf') entry.libc = ['glibc'];
    if (m[3] === 'musl' || m[3] === 'musleabihf') entry.libc = ['musl'];
    pk[key] = entry;
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(pk).sort(([a], [b]) =>
    a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  ),
);
fs.writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
console.log('added', added);
