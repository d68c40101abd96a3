import type { TokenLedgerService } from '../../billing/ledger/token-ledger.service';
import type { OutboxService } from '../../inbox/services/outbox.service';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { InboundJobData } from '../../inbox/inbound-queue';
import type { InboundMessage } from '../../inbox/inbox.types';
import type { InboundMessagesService } from '../../inbox/services/inbound-messages.service';
import { MetricsService } from '../../observability/metrics.service';
import { GraphApiError } from '../../whatsapp/graph-api.errors';
import type { AnswerPipelineService } from '../services/answer-pipeline.service';
import { InboundProcessor } from './inbound.processor';

/** The processor alone, over mocked collaborators: claim → delegate → finish. */
describe('InboundProcessor', () => {
  const message = { wamid: 'wamid.1', attempts: 1 } as InboundMessage;
  let inbound: jest.Mocked<
    Pick<
      InboundMessagesService,
      'claim' | 'finish' | 'mustWaitForEarlier' | 'retryDelayMs' | 'recordAttemptError'
    >
  >;
  let pipeline: { run: jest.Mock };
  let processor: InboundProcessor;

  const job = (data: InboundJobData = { wamid: 'wamid.1' }) =>
    ({
      data,
      opts: { attempts: 5 },
      attemptsMade: 1,
      updateData: jest.fn(),
      moveToDelayed: jest.fn(),
    }) as unknown as Job<InboundJobData> & { updateData: jest.Mock; moveToDelayed: jest.Mock };

  beforeEach(() => {
    inbound = {
      claim: jest.fn().mockResolvedValue(message),
      finish: jest.fn().mockResolvedValue(undefined),
      mustWaitForEarlier: jest.fn().mockResolvedValue(false),
      retryDelayMs: jest.fn().mockReturnValue(400),
      recordAttemptError: jest.fn().mockResolvedValue(undefined),
    };
    pipeline = { run: jest.fn() };
    processor = new InboundProcessor(
      inbound as unknown as InboundMessagesService,
      pipeline as unknown as AnswerPipelineService,
      new MetricsService(),
      { findPrepared: jest.fn().mockResolvedValue([]) } as unknown as OutboxService,
      {} as unknown as TokenLedgerService,
    );
  });

  it('finishes an answered message as processed, with its shop', async () => {
    pipeline.run.mockResolvedValue({ status: 'processed', tenantId: 't1' });
    await expect(processor.process(job())).resolves.toBe('answered');
    expect(inbound.finish).toHaveBeenCalledWith(
      'wamid.1',
      'processed',
      expect.objectContaining({ tenantId: 't1' }),
    );
  });

  it('records why a message was not answered', async () => {
    pipeline.run.mockResolvedValue({ status: 'ignored', ignoreReason: 'unknown_sender' });
    await expect(processor.process(job())).resolves.toBe('ignored');
    expect(inbound.finish).toHaveBeenCalledWith(
      'wamid.1',
      'ignored',
      expect.objectContaining({ ignoreReason: 'unknown_sender' }),
    );
  });

  it('skips a message that is gone or already done', async () => {
    inbound.claim.mockResolvedValue(null);
    await expect(processor.process(job())).resolves.toBe('skipped');
    expect(pipeline.run).not.toHaveBeenCalled();
  });

  it('waits for an earlier message of the same chat (delayed, counted)', async () => {
    inbound.mustWaitForEarlier.mockResolvedValue(true);
    const j = job({ wamid: 'wamid.1', deferrals: 2 });
    await expect(processor.process(j)).rejects.toBeInstanceOf(DelayedError);
    expect(j.updateData).toHaveBeenCalledWith({ wamid: 'wamid.1', deferrals: 3 });
    expect(j.moveToDelayed).toHaveBeenCalled();
    expect(inbound.claim).not.toHaveBeenCalled();
  });

  it('gives up at once when Meta refuses the reply for good', async () => {
    pipeline.run.mockRejectedValue(
      new GraphApiError('invalid_request', 'invalid recipient', 400, 131030),
    );
    await expect(processor.process(job())).rejects.toBeInstanceOf(UnrecoverableError);
    expect(inbound.finish).toHaveBeenCalledWith(
      'wamid.1',
      'failed',
      expect.objectContaining({ error: expect.stringContaining('invalid recipient') }),
    );
  });

  it('lets BullMQ retry anything else, and marks the row failed only after the last attempt', async () => {
    pipeline.run.mockRejectedValue(new Error('tool result did not parse'));
    const j = job();
    await expect(processor.process(j)).rejects.toThrow('tool result did not parse');
    expect(inbound.finish).not.toHaveBeenCalled();
    await processor.onFailed(j, new Error('tool result did not parse'));
    expect(inbound.recordAttemptError).toHaveBeenCalledWith('wamid.1', 'tool result did not parse');
    (j as { attemptsMade: number }).attemptsMade = 5;
    await processor.onFailed(j, new Error('tool result did not parse'));
    expect(inbound.finish).toHaveBeenCalledWith('wamid.1', 'failed', {
      error: 'tool result did not parse',
    });
  });

  it.each([
    Object.assign(new Error('Connection terminated unexpectedly'), {}),
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    Object.assign(new Error('terminating connection'), { driverError: { code: '57P01' } }),
  ])(
    'an infrastructure error on the last attempt (%s) leaves the row to the reconciler, not failed',
    async (err) => {
      const j = job();
      (j as { attemptsMade: number }).attemptsMade = 5;
      await processor.onFailed(j, err);
      expect(inbound.finish).not.toHaveBeenCalled();
      expect(inbound.recordAttemptError).toHaveBeenCalledWith('wamid.1', err.message);
    },
  );
});
