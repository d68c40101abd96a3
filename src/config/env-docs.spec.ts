import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSchema } from './env.schema';

/** The docs must name every setting the app reads: a new variable fails here until documented. */
describe('configuration docs', () => {
  const root = join(__dirname, '..', '..');
  const keys = Object.keys(envSchema.shape);
  const example = readFileSync(join(root, '.env.example'), 'utf8');
  const readme = readFileSync(join(root, 'README.md'), 'utf8');

  it.each(keys)('%s is in .env.example and in the README table', (key) => {
    expect(example).toMatch(new RegExp(`^${key}=`, 'm'));
    expect(readme).toContain(`\`${key}\``);
  });

  it('documents nothing the app does not read', () => {
    const documented = [...example.matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(documented.filter((k) => !keys.includes(k))).toEqual([]);
  });
});
