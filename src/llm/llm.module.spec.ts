import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { startFakeOpenRouter, type FakeOpenRouter } from '../../dev/fakes/fake-openrouter';
import { ConfigModule } from '../config/config.module';
import { parseEnv } from '../config/env.schema';
import { LlmGatewayClient } from './llm-gateway.client';
import { LlmModule } from './llm.module';

describe('LlmModule', () => {
  let fake: FakeOpenRouter;

  beforeAll(async () => {
    fake = await startFakeOpenRouter();
  });
  afterAll(() => fake.close());

  it('provides a gateway from APP_CONFIG that logs one structured line per attempt', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(
          parseEnv({
            ...process.env,
            OPENROUTER_BASE_URL: fake.baseUrl,
            LLM_BACKOFF_BASE_MS: '10',
          }),
        ),
        LlmModule,
      ],
    }).compile();
    const gateway = moduleRef.get(LlmGatewayClient);
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      fake.enqueue({ status: 502 });
      const secret = 'mi contraseña es 1234';
      const result = await gateway.complete({
        messages: [{ role: 'user', content: secret }],
        models: ['anthropic/claude-3-haiku'],
        maxTokens: 100,
        operation: 'test',
        tenantId: 'tenant-9',
        apiKey: 'sk-or-tenant-secret',
      });
      expect(result.message.content).toBeTruthy();

      expect(warn).toHaveBeenCalledTimes(1);
      expect(log).toHaveBeenCalledTimes(1);
      expect(log.mock.calls[0]![0]).toMatchObject({
        event: 'llm_call',
        model: 'anthropic/claude-3-haiku',
        tenantId: 'tenant-9',
        operation: 'test',
        outcome: 'ok',
        attempt: 2,
        modelIndex: 0,
        latencyMs: expect.any(Number),
        costUsd: expect.any(Number),
      });
      const logged = JSON.stringify([...log.mock.calls, ...warn.mock.calls]);
      expect(logged).not.toContain('sk-or-');
      expect(logged).not.toContain(secret);
      // The tenant's key went to OpenRouter instead of the platform key from the environment.
      expect(fake.chatRequests().map((r) => r.apiKey)).toEqual([
        'sk-or-tenant-secret',
        'sk-or-tenant-secret',
      ]);
    } finally {
      log.mockRestore();
      warn.mockRestore();
      await moduleRef.close();
    }
  });
});
