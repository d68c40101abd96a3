import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { Env } from './env.schema';

/** Injection token for the validated, typed configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export type AppConfig = Env;

/**
 * The configuration, parsed once by whoever boots the app (main.ts from the environment, the
 * tests and benchmarks from an object) and injected everywhere as APP_CONFIG.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
