import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AppConfig } from './config/config.module';

/**
 * The browser pages, plain HTML/CSS/JS served as static files: /console (the admin console,
 * which calls the admin API with the token the admin typed) and, with DEMO_MODE only,
 * /simulator (the WhatsApp phone of `npm run demo`). Without DEMO_MODE /simulator is a 404.
 */
export async function registerStaticPages(
  app: NestFastifyApplication,
  config: AppConfig,
): Promise<void> {
  if (config.APP_ROLE === 'worker') return;
  const root = publicDir();
  const pages: { dir: string; prefix: string }[] = [
    { dir: join(root, 'console'), prefix: '/console/' },
    { dir: join(root, 'shared'), prefix: '/ui/' },
    { dir: dirname(require.resolve('uplot/dist/uPlot.iife.min.js')), prefix: '/ui/uplot/' },
  ];
  if (config.DEMO_MODE) pages.push({ dir: join(root, 'simulator'), prefix: '/simulator/' });
  for (const [i, page] of pages.entries()) {
    await app.register(fastifyStatic, {
      root: page.dir,
      prefix: page.prefix,
      decorateReply: i === 0,
      index: ['index.html'],
      redirect: true,
      setHeaders: (res) => {
        res.header(
          'content-security-policy',
          "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
        );
        res.header('x-content-type-options', 'nosniff');
        res.header('referrer-policy', 'no-referrer');
      },
    });
  }
}

/** public/ beside src/ (ts-node) or beside dist/ (the build runs from dist/src). */
function publicDir(): string {
  const candidates = [join(__dirname, '..', 'public'), join(__dirname, '..', '..', 'public')];
  const found = candidates.find((dir) => existsSync(join(dir, 'console')));
  if (!found) throw new Error(`public/ not found (looked in ${candidates.join(', ')})`);
  return found;
}
